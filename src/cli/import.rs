//! `results import FILE.csv`: a lab's results file read as CSV (header
//! `sample,test,result,time`), handed row by row to `ops::import_results`,
//! and its report printed one line per row, then a summary; or as JSON.
//!
//! What lives elsewhere: checking and recording the rows, all-or-nothing and
//! duplicates (`ops::import`), the time forms (`cli::values::dated_time`).

use std::io::Write;
use std::path::Path;

use chrono::SubsecRound;
use serde::Serialize;

use super::output::{self, local, safe, say, wd};
use super::values::{ArgError, Word, clean_required, dated_time};
use super::{Failure, Setup};
use crate::domain::event::{TestKind, TestResult};
use crate::domain::plate::Plate;
use crate::domain::text;
use crate::i18n::{CliMsg, Lang};
use crate::ops::{
    self, Ctx, ImportMode, ImportReport, ImportRow, OpError, ResultRow, RowNext, RowRefusal,
    RowVerdict,
};
use crate::store::Store;
use crate::tz::Tz;

/// The columns a results file must have, in the documented order.
const COLUMNS: [&str; 4] = ["sample", "test", "result", "time"];

#[derive(Serialize)]
struct ImportJson<'a> {
    file: String,
    dry_run: bool,
    partial: bool,
    /// Whether anything was recorded.
    committed: bool,
    applied: usize,
    already_recorded: usize,
    refused: usize,
    rows: Vec<RowJson<'a>>,
}

#[derive(Serialize)]
struct RowJson<'a> {
    line: usize,
    /// applied, already_recorded or refused.
    verdict: &'static str,
    sample: Option<&'a str>,
    plate: Option<&'a Plate>,
    test: Option<TestKind>,
    result: Option<TestResult>,
    reason: Option<&'a str>,
}

pub(super) fn import(
    store: &mut Store,
    ctx: &Ctx<'_>,
    setup: &Setup,
    file: &Path,
    mode: ImportMode,
    json: bool,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let lang = setup.lang;
    let tz = setup.config.timezone;
    let name = safe(&file.display().to_string());
    let bytes = std::fs::read(file)
        .map_err(|e| Failure::Env(say(lang, CliMsg::CannotOpenResults, &[&name, &e])))?;
    let (rows, reasons) = parse(&bytes, setup.config.timezone)
        .map_err(|e| Failure::Usage(say(lang, CliMsg::NotAResultsFile, &[&name, &e.text(lang)])))?;
    let report = ops::import_results(store, ctx, &rows, mode).map_err(|e| Failure::op(lang, e))?;
    let summary = summary(lang, &report, mode);
    if json {
        output::json(out, &report_json(&name, &rows, &report, mode))?;
    } else {
        let recorded = report.committed;
        for ((row, reason), (line, verdict)) in rows.iter().zip(&reasons).zip(&report.rows) {
            let text = row_text(lang, tz, row, reason.as_ref(), verdict, recorded);
            writeln!(out, "{}", say(lang, CliMsg::LineN, &[line, &text]))?;
        }
        if report.count("refused") == 0 {
            writeln!(out, "{summary}")?;
        }
    }
    if report.count("refused") > 0 {
        return Err(Failure::Refused(summary));
    }
    Ok(())
}

/// The file's rows, and for each row that does not parse its reason in both
/// languages (the rows carry the English one, for the report and JSON).
type Parsed = (Vec<ImportRow>, Vec<Option<ArgError>>);

/// Reads the file's rows; `Err` when it is not a results file at all (no
/// header, a missing column). A row that does not parse is kept as a row
/// with its reason, so the report names its line.
fn parse(bytes: &[u8], tz: Tz) -> Result<Parsed, ArgError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let expected = COLUMNS.join(",");
    let header = reader
        .headers()
        .map_err(|e| {
            let e = e.to_string();
            bilingual(CliMsg::HeaderUnreadable, &[&e, &expected])
        })?
        .clone();
    if header.iter().all(str::is_empty) {
        return Err(bilingual(CliMsg::FileEmpty, &[&expected]));
    }
    let mut cols = [0usize; 4];
    let mut missing = Vec::new();
    for (i, c) in COLUMNS.iter().enumerate() {
        match header.iter().position(|h| h.eq_ignore_ascii_case(c)) {
            Some(p) => cols[i] = p,
            None => missing.push(*c),
        }
    }
    if !missing.is_empty() {
        let found: Vec<String> = header.iter().map(text::echo).collect();
        return Err(bilingual(
            CliMsg::HeaderLacks,
            &[&missing.join(", "), &expected, &found.join(",")],
        ));
    }
    // The line a record starts on, counted from its byte offset: the csv
    // crate's own line count leaves blank lines out.
    let mut counted = (0usize, 1usize);
    let mut line_at = |pos: Option<&csv::Position>| -> usize {
        let mut byte = pos.map_or(0, |p| p.byte() as usize).min(bytes.len());
        // A record's position is taken before the blank lines it skips.
        while byte < bytes.len() && matches!(bytes[byte], b'\n' | b'\r') {
            byte += 1;
        }
        let (from, line) = counted;
        let from = from.min(byte);
        let line = line + bytes[from..byte].iter().filter(|&&b| b == b'\n').count();
        counted = (byte, line);
        line
    };
    let mut rows = Vec::new();
    let mut reasons = Vec::new();
    for record in reader.records() {
        let (line, row) = match record {
            Ok(r) => (
                line_at(r.position()),
                parse_row(&r, header.len(), &cols, tz),
            ),
            Err(e) => {
                let detail = e.to_string();
                (
                    line_at(e.position()),
                    Err(bilingual(CliMsg::LineUnreadable, &[&detail])),
                )
            }
        };
        let (row, reason) = match row {
            Ok(r) => (Ok(r), None),
            Err(e) => (Err(e.en.clone()), Some(e)),
        };
        rows.push(ImportRow { line, row });
        reasons.push(reason);
    }
    Ok((rows, reasons))
}

fn bilingual(m: CliMsg, args: &[&dyn std::fmt::Display]) -> ArgError {
    ArgError {
        en: say(Lang::En, m, args),
        zh: say(Lang::Zh, m, args),
    }
}

fn parse_row(
    r: &csv::StringRecord,
    width: usize,
    cols: &[usize; 4],
    tz: Tz,
) -> Result<ResultRow, ArgError> {
    if r.len() != width {
        return Err(bilingual(CliMsg::RowFields, &[&r.len(), &width]));
    }
    let field = |i: usize| r.get(cols[i]).unwrap_or("");
    let sample = clean_required("sample", field(0))?;
    let test = match field(1) {
        "" => None,
        t => Some(<TestKind as Word>::read(t).map_err(|e| ArgError {
            en: format!("test: {e}"),
            zh: say(Lang::Zh, CliMsg::BadTest, &[&text::echo(t)]),
        })?),
    };
    let result = match field(2) {
        "" => return Err(bilingual(CliMsg::ResultEmpty, &[])),
        t => <TestResult as Word>::read(t).map_err(|e| ArgError {
            en: format!("result: {e}"),
            zh: say(Lang::Zh, CliMsg::BadResult, &[&text::echo(t)]),
        })?,
    };
    let time = match field(3) {
        "" => return Err(bilingual(CliMsg::TimeEmpty, &[])),
        t => dated_time(t)?
            .resolve(tz)
            .ok_or_else(|| bilingual(CliMsg::TimeNotInZone, &[&text::echo(t), &tz.name()]))?
            // The database keeps milliseconds; a finer time would never
            // match its own record when the file is imported again.
            .trunc_subsecs(3),
    };
    Ok(ResultRow {
        sample,
        test,
        result,
        time,
    })
}

/// One row of the report: "applied 晋D12345 antigen negative (tube AG-000001-1)".
/// `parse_reason` is why the row did not parse, in both languages.
fn row_text(
    lang: Lang,
    tz: Tz,
    row: &ImportRow,
    parse_reason: Option<&ArgError>,
    verdict: &RowVerdict,
    recorded: bool,
) -> String {
    let what = |plate: &Plate, test: &TestKind| -> String {
        let test_word = wd(lang, *test);
        let Ok(r) = &row.row else {
            return format!("{plate} {test_word}");
        };
        let tube = if Plate::parse(&r.sample).is_ok_and(|p| &p == plate) {
            String::new()
        } else {
            say(lang, CliMsg::ParenTube, &[&r.sample])
        };
        format!("{plate} {test_word} {}{tube}", wd(lang, r.result))
    };
    match verdict {
        RowVerdict::Applied { plate, test, next } if recorded => {
            let next = match next {
                RowNext::Isolate => say(lang, CliMsg::RowProposeIsolate, &[plate]),
                RowNext::Report => say(lang, CliMsg::RowProposeReport, &[plate]),
                RowNext::Resample => say(lang, CliMsg::RowProposeResample, &[plate, test]),
                RowNext::Nothing => String::new(),
            };
            say(lang, CliMsg::RowApplied, &[&what(plate, test), &next])
        }
        RowVerdict::Applied { plate, test, .. } => {
            say(lang, CliMsg::RowWouldApply, &[&what(plate, test)])
        }
        RowVerdict::AlreadyRecorded { plate, test } => {
            say(lang, CliMsg::RowAlready, &[&what(plate, test)])
        }
        // A row that did not parse is ours; a refusal is typed by `ops`.
        RowVerdict::Refused { why, .. } => {
            let reason = match parse_reason {
                Some(r) => r.text(lang).to_string(),
                None => refusal_in(lang, tz, why),
            };
            say(lang, CliMsg::RowRefused, &[&reason])
        }
    }
}

/// Why `ops` refused a row, in `lang`.
/// Times in the site's time, as the file writes them.
fn refusal_in(lang: Lang, tz: Tz, why: &RowRefusal) -> String {
    match why {
        RowRefusal::Unreadable(m) => m.clone(),
        RowRefusal::Refused(r) => crate::i18n::refusal::text(lang, &OpError::Refused(r.clone())),
        RowRefusal::FutureTime(t) => say(lang, CliMsg::RowFutureTime, &[&local(*t, tz)]),
        RowRefusal::BeforeSample { time, taken } => say(
            lang,
            CliMsg::RowBeforeSample,
            &[&local(*time, tz), &local(*taken, tz)],
        ),
        RowRefusal::WrongTest { tube, is, given } => say(
            lang,
            CliMsg::RowWrongTest,
            &[tube, &wd(lang, *is), &wd(lang, *given)],
        ),
        RowRefusal::PlateNeedsTest(p) => say(lang, CliMsg::RowPlateNeedsTest, &[p]),
    }
}

/// "2 applied, 1 already recorded, 1 refused: nothing was recorded (…)".
fn summary(lang: Lang, report: &ImportReport, mode: ImportMode) -> String {
    let (applied, already, refused) = (
        report.count("applied"),
        report.count("already_recorded"),
        report.count("refused"),
    );
    if report.rows.is_empty() {
        return CliMsg::NoRows.text(lang).into();
    }
    // Rows that pass are "applied" only when the file was recorded.
    let recorded = !mode.dry_run && (refused == 0 || mode.partial);
    let counts = say(
        lang,
        if recorded {
            CliMsg::CountsApplied
        } else {
            CliMsg::CountsWouldApply
        },
        &[&applied, &already, &refused],
    );
    let plain = |m: CliMsg| m.text(lang).to_string();
    let tail = if mode.dry_run {
        if refused > 0 && !mode.partial {
            plain(CliMsg::DryRunWouldRefuse)
        } else {
            plain(CliMsg::DryRun)
        }
    } else if refused > 0 && !mode.partial {
        plain(CliMsg::AllOrNothing)
    } else if refused > 0 && applied == 0 {
        plain(CliMsg::NothingNewPartial)
    } else if refused > 0 {
        let m = if applied == 1 {
            CliMsg::RecordedGoodRow
        } else {
            CliMsg::RecordedGoodRows
        };
        say(lang, m, &[&applied])
    } else if applied > 0 {
        say(lang, CliMsg::NRecorded, &[&applied])
    } else {
        plain(CliMsg::NothingNew)
    };
    say(lang, CliMsg::CountsTail, &[&counts, &tail])
}

fn report_json<'a>(
    file: &str,
    rows: &'a [ImportRow],
    report: &'a ImportReport,
    mode: ImportMode,
) -> ImportJson<'a> {
    let rows = rows
        .iter()
        .zip(&report.rows)
        .map(|(row, (line, verdict))| {
            let parsed = row.row.as_ref().ok();
            let (verdict, plate, test, reason) = match verdict {
                RowVerdict::Applied { plate, test, .. } => {
                    ("applied", Some(plate), Some(*test), None)
                }
                RowVerdict::AlreadyRecorded { plate, test } => {
                    ("already_recorded", Some(plate), Some(*test), None)
                }
                RowVerdict::Refused { reason, .. } => (
                    "refused",
                    None,
                    parsed.and_then(|r| r.test),
                    Some(reason.as_str()),
                ),
            };
            RowJson {
                line: *line,
                verdict,
                sample: parsed.map(|r| r.sample.as_str()),
                plate,
                test,
                result: parsed.map(|r| r.result),
                reason,
            }
        })
        .collect();
    ImportJson {
        file: file.to_string(),
        dry_run: mode.dry_run,
        partial: mode.partial,
        committed: report.committed,
        applied: report.count("applied"),
        already_recorded: report.count("already_recorded"),
        refused: report.count("refused"),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_results_file_parses_row_by_row() {
        let file = "\u{feff}Sample, Test ,result,time\n\
                    AG-000001-1,,negative,2026-11-25 10:00\n\
                    晋D12345,pcr,positive,2026-11-25T02:00:00Z\n\
                    晋D12345,blood,negative,2026-11-25 10:00\n\
                    AG-1,antigen,negative,yesterday\n\
                    AG-2,antigen,negative\n\
                    \n\
                    AG-3,antigen,,2026-11-25 10:00\n\
                    \"AG\n4\",antigen,negative,2026-11-25 10:00\n\
                    AG-5,antigen,negative,2026-11-25 10:00\n\
                    AG-6,antigen,negative,03:00\n";
        let (rows, reasons) = parse(file.as_bytes(), Tz::shanghai()).unwrap();
        assert!(reasons[0].is_none());
        assert!(reasons[2].as_ref().unwrap().zh.contains("检测"));
        let lines: Vec<usize> = rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 3, 4, 5, 6, 8, 9, 11, 12]);
        let first = rows[0].row.as_ref().unwrap();
        assert_eq!(first.sample, "AG-000001-1");
        assert_eq!(first.test, None);
        assert_eq!(first.time.to_rfc3339(), "2026-11-25T02:00:00+00:00");
        assert_eq!(rows[1].row.as_ref().unwrap().test, Some(TestKind::Pcr));
        let err = |i: usize| rows[i].row.clone().unwrap_err();
        assert!(err(2).contains("blood"), "{}", err(2));
        assert!(err(3).contains("yesterday"), "{}", err(3));
        assert!(err(4).contains("3 fields"), "{}", err(4));
        assert!(err(5).contains("result is empty"), "{}", err(5));
        // A time without its date would be another day when read again.
        assert!(err(8).contains("names no date"), "{}", err(8));
    }

    #[test]
    fn a_file_without_the_header_is_not_a_results_file() {
        let e = parse(
            b"sample,result,time\nx,negative,2026-11-25\n",
            Tz::shanghai(),
        )
        .unwrap_err();
        assert!(e.en.contains("lacks test"), "{e}");
        assert!(parse(b"", Tz::shanghai()).unwrap_err().en.contains("empty"));
        assert!(
            parse(b"sample,test,result,time\n", Tz::shanghai())
                .unwrap()
                .0
                .is_empty()
        );
    }
}
