//! `results import FILE.csv`: a lab's results file read as CSV (header
//! `sample,test,result,time`), handed row by row to `ops::import_results`,
//! and its report printed one line per row, then a summary; or as JSON.
//!
//! What lives elsewhere: checking and recording the rows, all-or-nothing and
//! duplicates (`ops::import`), the time forms (`cli::values::time`).

use std::io::Write;
use std::path::Path;

use chrono::SubsecRound;
use chrono_tz::Tz;
use serde::Serialize;

use super::output::{self, safe};
use super::values::time;
use super::{Failure, Setup};
use crate::domain::event::{TestKind, TestResult};
use crate::domain::plate::Plate;
use crate::domain::text;
use crate::ops::{self, Ctx, ImportMode, ImportReport, ImportRow, ResultRow, RowVerdict};
use crate::store::Store;

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
    let name = safe(&file.display().to_string());
    let bytes = std::fs::read(file)
        .map_err(|e| Failure::Env(format!("cannot open the results file '{name}': {e}")))?;
    let rows = parse(&bytes, setup.config.timezone)
        .map_err(|e| Failure::Usage(format!("'{name}' is not a results file: {e}")))?;
    let report = ops::import_results(store, ctx, &rows, mode)?;
    let summary = summary(&report, mode);
    if json {
        output::json(out, &report_json(&name, &rows, &report, mode))?;
    } else {
        let recorded = report.committed;
        for (row, (line, verdict)) in rows.iter().zip(&report.rows) {
            writeln!(out, "line {line}: {}", row_text(row, verdict, recorded))?;
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

/// Reads the file's rows; `Err` when it is not a results file at all (no
/// header, a missing column). A row that does not parse is kept as a row
/// with its reason, so the report names its line.
fn parse(bytes: &[u8], tz: Tz) -> Result<Vec<ImportRow>, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let expected = COLUMNS.join(",");
    let header = reader
        .headers()
        .map_err(|e| format!("its header line cannot be read ({e}); expected {expected}"))?
        .clone();
    if header.iter().all(str::is_empty) {
        return Err(format!("it is empty; expected the header {expected}"));
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
        return Err(format!(
            "the header lacks {} (expected {expected}; found {})",
            missing.join(", "),
            found.join(",")
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
    for record in reader.records() {
        let row = match record {
            Ok(r) => ImportRow {
                line: line_at(r.position()),
                row: parse_row(&r, header.len(), &cols, tz),
            },
            Err(e) => ImportRow {
                line: line_at(e.position()),
                row: Err(format!("the line cannot be read ({e})")),
            },
        };
        rows.push(row);
    }
    Ok(rows)
}

fn parse_row(
    r: &csv::StringRecord,
    width: usize,
    cols: &[usize; 4],
    tz: Tz,
) -> Result<ResultRow, String> {
    if r.len() != width {
        return Err(format!(
            "the row has {} fields; the header has {width}",
            r.len()
        ));
    }
    let field = |i: usize| r.get(cols[i]).unwrap_or("");
    let sample = text::clean("sample", field(0), true).map_err(|e| e.to_string())?;
    let test = match field(1) {
        "" => None,
        t => Some(t.parse::<TestKind>().map_err(|e| format!("test: {e}"))?),
    };
    let result = match field(2) {
        "" => return Err("the result is empty (expected negative, positive or invalid)".into()),
        t => t
            .parse::<TestResult>()
            .map_err(|e| format!("result: {e}"))?,
    };
    let time = match field(3) {
        "" => return Err("the time is empty (expected RFC 3339 or 'YYYY-MM-DD HH:MM')".into()),
        t => time(t)?
            .resolve(tz)
            .ok_or_else(|| {
                format!(
                    "the time '{}' does not exist in the site time zone ({})",
                    text::echo(t),
                    tz.name()
                )
            })?
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
fn row_text(row: &ImportRow, verdict: &RowVerdict, recorded: bool) -> String {
    let what = |plate: &Plate, test: &TestKind| -> String {
        let Ok(r) = &row.row else {
            return format!("{plate} {test}");
        };
        let tube = if Plate::parse(&r.sample).is_ok_and(|p| &p == plate) {
            String::new()
        } else {
            format!(" (tube {})", r.sample)
        };
        format!("{plate} {test} {}{tube}", r.result)
    };
    match verdict {
        RowVerdict::Applied { plate, test } if recorded => {
            let next = match row.row.as_ref().map(|r| r.result) {
                Ok(TestResult::Positive) => {
                    format!("; propose: isolate (trucklot isolate {plate} --reason …)")
                }
                Ok(TestResult::Invalid) => {
                    format!("; propose: resample (trucklot sample {plate} {test})")
                }
                _ => String::new(),
            };
            format!("applied {}{next}", what(plate, test))
        }
        RowVerdict::Applied { plate, test } => format!("would apply {}", what(plate, test)),
        RowVerdict::AlreadyRecorded { plate, test } => {
            format!("already recorded {}, skipped", what(plate, test))
        }
        RowVerdict::Refused { reason } => format!("refused: {reason}"),
    }
}

/// "2 applied, 1 already recorded, 1 refused: nothing was recorded (…)".
fn summary(report: &ImportReport, mode: ImportMode) -> String {
    let (applied, already, refused) = (
        report.count("applied"),
        report.count("already_recorded"),
        report.count("refused"),
    );
    if report.rows.is_empty() {
        return "the file has no rows: nothing to record".into();
    }
    // Rows that pass are "applied" only when the file was recorded.
    let recorded = !mode.dry_run && (refused == 0 || mode.partial);
    let ok = if recorded { "applied" } else { "would apply" };
    let counts = format!("{applied} {ok}, {already} already recorded, {refused} refused");
    let tail = if mode.dry_run {
        if refused > 0 && !mode.partial {
            "dry run, nothing was recorded (as it stands the file would be refused whole; \
             --partial records the good rows)"
                .to_string()
        } else {
            "dry run, nothing was recorded".to_string()
        }
    } else if refused > 0 && !mode.partial {
        "nothing was recorded (the file is all-or-nothing; --partial records the good rows)"
            .to_string()
    } else if refused > 0 && applied == 0 {
        "nothing new was recorded (--partial)".to_string()
    } else if refused > 0 {
        let s = if applied == 1 { "" } else { "s" };
        format!("recorded {applied} good row{s}, not the refused ones (--partial)")
    } else if applied > 0 {
        format!("{applied} recorded")
    } else {
        "nothing new to record".to_string()
    };
    format!("{counts}: {tail}")
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
                RowVerdict::Applied { plate, test } => ("applied", Some(plate), Some(*test), None),
                RowVerdict::AlreadyRecorded { plate, test } => {
                    ("already_recorded", Some(plate), Some(*test), None)
                }
                RowVerdict::Refused { reason } => (
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

    const TZ: Tz = chrono_tz::Asia::Shanghai;

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
                    AG-5,antigen,negative,2026-11-25 10:00\n";
        let rows = parse(file.as_bytes(), TZ).unwrap();
        let lines: Vec<usize> = rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 3, 4, 5, 6, 8, 9, 11]);
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
    }

    #[test]
    fn a_file_without_the_header_is_not_a_results_file() {
        let e = parse(b"sample,result,time\nx,negative,2026-11-25\n", TZ).unwrap_err();
        assert!(e.contains("lacks test"), "{e}");
        assert!(parse(b"", TZ).unwrap_err().contains("empty"));
        assert!(parse(b"sample,test,result,time\n", TZ).unwrap().is_empty());
    }
}
