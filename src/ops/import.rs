//! Results from the lab in bulk: one row per sample (its tube id, or the
//! truck's plate), checked and recorded in one transaction. By default the
//! file is all-or-nothing: one refused row and nothing is recorded. A row
//! already recorded with the same result is reported and skipped, so the
//! same file imported twice never records anything twice; a row that
//! contradicts a recorded result is refused.
//!
//! Reading the file (CSV, times) is the edge's job; this module takes rows.

use chrono::{DateTime, Duration, SubsecRound, Utc};
use serde::Serialize;

use super::tests::record_result;
use super::{Ctx, OpError, Refusal, Writer};
use crate::domain::event::{StayId, TestKind, TestResult};
use crate::domain::plate::Plate;
use crate::store::{EventMeta, OnFile, Store, StoreError};

/// One row of a results file, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultRow {
    /// The tube id, or a plate (its pending sample of `test`).
    pub sample: String,
    /// Needed when `sample` is a plate; checked against the tube when given.
    pub test: Option<TestKind>,
    pub result: TestResult,
    /// When the lab reported it.
    pub time: DateTime<Utc>,
}

/// A row as read: its line in the file and what parsing made of it.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRow {
    pub line: usize,
    pub row: Result<ResultRow, String>,
}

/// How to treat the file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportMode {
    /// Check every row and record nothing.
    pub dry_run: bool,
    /// Record the good rows even when others are refused.
    pub partial: bool,
}

/// What became of one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum RowVerdict {
    /// Recorded (or, in a dry run or a file that was refused, would be).
    Applied {
        plate: Plate,
        test: TestKind,
        /// What the result asks for next, as the single `result` says it.
        #[serde(skip)]
        next: RowNext,
    },
    /// The same result is already on record: skipped.
    AlreadyRecorded { plate: Plate, test: TestKind },
    Refused {
        /// The reason in English, for scripts (`--json`).
        reason: String,
        /// The reason, typed, for a face to say in its language.
        #[serde(skip)]
        why: RowRefusal,
    },
}

/// What a recorded result asks for next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RowNext {
    #[default]
    Nothing,
    /// A positive for a truck on site and not yet isolated.
    Isolate,
    /// A positive for a truck that has left: report it (escalate).
    Report,
    /// An invalid result: take the sample again.
    Resample,
}

impl RowNext {
    fn of(o: &super::Outcome) -> RowNext {
        if o.notes.contains(&super::Note::PositiveAfterDeparture) {
            return RowNext::Report;
        }
        match o.proposal {
            Some(super::Proposal::Isolate { .. }) => RowNext::Isolate,
            Some(super::Proposal::Resample(_)) => RowNext::Resample,
            _ => RowNext::Nothing,
        }
    }
}

/// Why a row was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RowRefusal {
    /// The row itself did not parse; the reader said why.
    #[error("{0}")]
    Unreadable(String),
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error("the time {} is in the future", .0.format("%Y-%m-%d %H:%M UTC"))]
    FutureTime(DateTime<Utc>),
    /// A lab cannot report on a sample before it was taken: a typo in the
    /// time, or the wrong sample.
    #[error(
        "the time {} is before the sample was taken ({})",
        .time.format("%Y-%m-%d %H:%M UTC"),
        .taken.format("%Y-%m-%d %H:%M UTC")
    )]
    BeforeSample {
        time: DateTime<Utc>,
        taken: DateTime<Utc>,
    },
    #[error("tube {tube} is a {is} sample, not {given}")]
    WrongTest {
        tube: String,
        is: TestKind,
        given: TestKind,
    },
    #[error("{0}: a row naming a plate needs its test")]
    PlateNeedsTest(Plate),
}

impl RowRefusal {
    fn verdict(self) -> RowVerdict {
        RowVerdict::Refused {
            reason: self.to_string(),
            why: self,
        }
    }
}

/// A row that could not be recorded: refused, or the database failed.
enum Failed {
    Row(RowRefusal),
    Store(StoreError),
}

impl From<RowRefusal> for Failed {
    fn from(r: RowRefusal) -> Failed {
        Failed::Row(r)
    }
}

impl From<Refusal> for Failed {
    fn from(r: Refusal) -> Failed {
        Failed::Row(r.into())
    }
}

impl From<StoreError> for Failed {
    fn from(e: StoreError) -> Failed {
        Failed::Store(e)
    }
}

impl From<OpError> for Failed {
    fn from(e: OpError) -> Failed {
        match e {
            OpError::Refused(r) => r.into(),
            OpError::Store(e) => Failed::Store(e),
            // `record_result` validates nothing the row did not.
            OpError::Invalid(m) => Failed::Row(RowRefusal::Unreadable(m)),
            // An import is one transaction of its own, never an action sent again.
            e @ OpError::AlreadyDone { .. } => Failed::Row(RowRefusal::Unreadable(e.to_string())),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// Per row, in file order: the line number and its verdict.
    pub rows: Vec<(usize, RowVerdict)>,
    /// Whether anything was recorded.
    pub committed: bool,
}

impl ImportReport {
    pub fn count(&self, key: &str) -> usize {
        self.rows
            .iter()
            .filter(|(_, v)| match v {
                RowVerdict::Applied { .. } => key == "applied",
                RowVerdict::AlreadyRecorded { .. } => key == "already_recorded",
                RowVerdict::Refused { .. } => key == "refused",
            })
            .count()
    }
}

/// Results recorded through a committed import: an error carrying the
/// report rolls the transaction back.
enum Abort {
    Report(ImportReport),
    Op(OpError),
}

impl From<StoreError> for Abort {
    fn from(e: StoreError) -> Abort {
        Abort::Op(e.into())
    }
}

impl OnFile for Abort {
    fn on_file(self, file: &std::path::Path) -> Abort {
        match self {
            Abort::Op(e) => Abort::Op(e.on_file(file)),
            report => report,
        }
    }
}

pub fn import_results(
    store: &mut Store,
    ctx: &Ctx<'_>,
    rows: &[ImportRow],
    mode: ImportMode,
) -> Result<ImportReport, OpError> {
    let meta = EventMeta {
        at: ctx.clock.now(),
        operator: ctx.operator,
        terminal: ctx.terminal,
    };
    let outcome = store.write(|tx| {
        let mut w = Writer {
            tx,
            meta: &meta,
            policy: ctx.policy,
            events: Vec::new(),
        };
        let mut report = ImportReport {
            rows: Vec::new(),
            committed: false,
        };
        for r in rows {
            let verdict = match &r.row {
                Err(e) => RowRefusal::Unreadable(e.clone()).verdict(),
                // A refused row wrote nothing: every refusal comes before
                // the row's one event is recorded.
                Ok(row) => match one(&mut w, row) {
                    Ok(v) => v,
                    Err(Failed::Store(e)) => return Err(Abort::Op(e.into())),
                    Err(Failed::Row(why)) => why.verdict(),
                },
            };
            report.rows.push((r.line, verdict));
        }
        let refused = report.count("refused") > 0;
        if mode.dry_run || (refused && !mode.partial) {
            return Err(Abort::Report(report));
        }
        report.committed = report.count("applied") > 0;
        Ok(report)
    });
    match outcome {
        Ok(r) | Err(Abort::Report(r)) => Ok(r),
        Err(Abort::Op(e)) => Err(e),
    }
}

fn one(w: &mut Writer<'_, '_>, row: &ResultRow) -> Result<RowVerdict, Failed> {
    // The log keeps milliseconds: a file with finer times must still be
    // recognised as imported before.
    let row = &ResultRow {
        time: row.time.trunc_subsecs(3),
        ..row.clone()
    };
    // A lab clock a little ahead is normal; a result from tomorrow is a typo.
    if row.time > w.meta.at + Duration::minutes(10) {
        return Err(RowRefusal::FutureTime(row.time).into());
    }
    if let Ok(plate) = Plate::parse(&row.sample) {
        return by_plate(w, &plate, row);
    }
    let s =
        w.tx.sample_by_tube(&row.sample)?
            .ok_or_else(|| Refusal::UnknownTube(row.sample.clone()))?;
    if let Some(given) = row.test.filter(|t| *t != s.test) {
        return Err(RowRefusal::WrongTest {
            tube: row.sample.clone(),
            is: s.test,
            given,
        }
        .into());
    }
    match s.result {
        Some(r) if r == row.result => Ok(RowVerdict::AlreadyRecorded {
            plate: s.plate,
            test: s.test,
        }),
        Some(recorded) => Err(Refusal::ResultConflict {
            tube: row.sample.clone(),
            recorded,
            given: row.result,
        }
        .into()),
        None => {
            let stay =
                w.tx.stay_by_id(s.stay)?
                    .ok_or_else(|| StoreError::Decode(format!("stay {} is missing", s.stay)))?;
            not_before_sample(w, stay.id, s.test, row.time)?;
            let o = record_result(w, stay, s.test, row.result, Some(row.time))?;
            Ok(RowVerdict::Applied {
                plate: s.plate,
                test: s.test,
                next: RowNext::of(&o),
            })
        }
    }
}

fn by_plate(w: &mut Writer<'_, '_>, plate: &Plate, row: &ResultRow) -> Result<RowVerdict, Failed> {
    let test = row
        .test
        .ok_or_else(|| RowRefusal::PlateNeedsTest(plate.clone()))?;
    // On site, or gone with the sample pending; else (imported before?)
    // the plate's latest stay.
    let stay = match w.tx.stay_awaiting(plate, test)? {
        Some(s) => s,
        None => {
            w.tx.latest_stay(plate)?
                .ok_or_else(|| Refusal::NotOnSite(plate.clone()))?
        }
    };
    // Imported before? The same result at the same time is on record.
    if !stay.pending.contains(&test)
        && let Some((recorded, at)) = w.tx.latest_result(stay.id, test)?
        && recorded == row.result
        && at == row.time
    {
        return Ok(RowVerdict::AlreadyRecorded {
            plate: plate.clone(),
            test,
        });
    }
    not_before_sample(w, stay.id, test, row.time)?;
    let o = record_result(w, stay, test, row.result, Some(row.time))?;
    Ok(RowVerdict::Applied {
        plate: plate.clone(),
        test,
        next: RowNext::of(&o),
    })
}

/// Refuses a lab time earlier than the taking of the stay's pending sample
/// of `test` (none pending: the rules say so when it is recorded).
fn not_before_sample(
    w: &Writer<'_, '_>,
    stay: StayId,
    test: TestKind,
    time: DateTime<Utc>,
) -> Result<(), Failed> {
    match w.tx.pending_taken_at(stay, test)? {
        Some(taken) if time < taken => Err(RowRefusal::BeforeSample { time, taken }.into()),
        _ => Ok(()),
    }
}
