//! The shift lead's boards: `isolation` (every isolated truck, what is
//! pending and overdue, the next action) and `clocks` (everything due,
//! soonest first), as human tables, JSON or CSV.
//!
//! What lives elsewhere: due times and next actions (`domain::clocks`), the
//! facts they are computed from (`Store::clock_facts`).

use std::io::Write;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::args::TableFormat;
use super::checks::described;
use super::output::{self, Table, csv, duration_in, local, remaining, say, wd};
use super::{Failure, Setup};
use crate::domain::bay::{BayId, Zone};
use crate::domain::clocks::{self, ClockKind, DueItem, IsolationRow, NextAction};
use crate::domain::event::{StayId, TestKind};
use crate::domain::plate::Plate;
use crate::i18n::{CliMsg, Lang};
use crate::store::Store;
use crate::tz::Tz;

#[derive(Serialize)]
struct BoardJson<'a> {
    at: DateTime<Utc>,
    trucks: Vec<BoardRowJson<'a>>,
}

#[derive(Serialize)]
pub(super) struct BoardRowJson<'a> {
    stay: StayId,
    plate: &'a Plate,
    bay: Option<&'a BayId>,
    reason: String,
    since: DateTime<Utc>,
    minutes: i64,
    pending: &'a [TestKind],
    overdue: &'a [TestKind],
    escalation: Option<&'a str>,
    review_due: DateTime<Utc>,
    next: &'a NextAction,
}

fn next_text(lang: Lang, n: &NextAction, tz: Tz) -> String {
    let plain = |m: CliMsg| m.text(lang).to_string();
    match n {
        NextAction::ChaseResult { test } => say(lang, CliMsg::NextChase, &[&wd(lang, *test)]),
        NextAction::AwaitResult { test, due } => say(
            lang,
            CliMsg::NextAwait,
            &[&wd(lang, *test), &output::local_hm(*due, tz)],
        ),
        NextAction::WaitForBay => plain(CliMsg::NextWaitForBay),
        NextAction::EscortUnderWay => plain(CliMsg::NextEscortUnderWay),
        NextAction::LetOutUnderEscort => plain(CliMsg::NextLetOut),
        NextAction::AwaitDecision { at, note } => say(
            lang,
            CliMsg::NextAwaitDecision,
            &[&output::local_hm(*at, tz), note],
        ),
        NextAction::Escalate => plain(CliMsg::NextEscalate),
        NextAction::ReportLastStay => plain(CliMsg::NextReportLastStay),
        NextAction::TakeSample => plain(CliMsg::NextTakeSample),
        NextAction::Review => plain(CliMsg::NextReview),
        NextAction::ReviewAt { due } => say(lang, CliMsg::NextReviewAt, &[&local(*due, tz)]),
    }
}

/// Tests as CSV keeps them: "antigen pcr".
fn tests_key(t: &[TestKind]) -> String {
    t.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(" ")
}

/// Tests as people read them: "antigen pcr", "抗原 核酸".
/// Why the truck is held: what someone typed, or else who the gate checks
/// flagged, in `lang` (English, the domain's words, for JSON and CSV).
fn reason_text(lang: Lang, r: &IsolationRow) -> String {
    match &r.reason {
        Some(typed) => typed.clone(),
        None => described(lang, &[], &r.findings, |n| r.name(n)),
    }
}

fn tests_text(lang: Lang, t: &[TestKind]) -> String {
    t.iter().map(|t| wd(lang, *t)).collect::<Vec<_>>().join(" ")
}

fn rfc(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

pub(super) fn isolation(
    store: &Store,
    setup: &Setup,
    format: TableFormat,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let now = output::now();
    let facts = store
        .clock_facts()
        .map_err(Failure::reading(setup.lang, store))?;
    let rows = clocks::isolation_board(&facts, &setup.config.policy, now);
    isolation_board(store, setup, &rows, now, format, out)
}

/// The isolation board's rows for `JSON` output (no names: the board's
/// reason names who was flagged by role).
pub(super) fn isolation_json(rows: &[IsolationRow]) -> Vec<BoardRowJson<'_>> {
    rows.iter()
        .map(|r| BoardRowJson {
            stay: r.truck.stay,
            plate: &r.truck.plate,
            bay: r.truck.bay.as_ref(),
            reason: reason_text(Lang::En, r),
            since: r.since,
            minutes: r.minutes,
            pending: &r.pending,
            overdue: &r.overdue,
            escalation: r.escalation.as_deref(),
            review_due: r.review_due,
            next: &r.next,
        })
        .collect()
}

/// The isolation board as it stood at `now` (the present, or a past moment
/// for `at`), in the format asked for.
pub(super) fn isolation_board(
    store: &Store,
    setup: &Setup,
    rows: &[IsolationRow],
    now: DateTime<Utc>,
    format: TableFormat,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let tz = setup.config.timezone;
    let lang = setup.lang;
    if format.json {
        let trucks = isolation_json(rows);
        output::json(out, &BoardJson { at: now, trucks })?;
    } else if format.csv {
        let cells: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                vec![
                    r.truck.plate.to_string(),
                    r.truck
                        .bay
                        .as_ref()
                        .map(|b| b.to_string())
                        .unwrap_or_default(),
                    r.truck.stay.to_string(),
                    reason_text(Lang::En, r),
                    rfc(r.since),
                    r.minutes.to_string(),
                    tests_key(&r.pending),
                    tests_key(&r.overdue),
                    r.escalation.clone().unwrap_or_default(),
                    rfc(r.review_due),
                    r.next.key().to_string(),
                ]
            })
            .collect();
        csv(
            out,
            &[
                "plate",
                "bay",
                "stay",
                "reason",
                "since",
                "minutes",
                "pending",
                "overdue",
                "escalation",
                "review_due",
                "next",
            ],
            &cells,
        )?;
    } else if rows.is_empty() {
        writeln!(out, "{}", CliMsg::NoneIsolated.text(lang))?;
    } else {
        let h = |m: CliMsg| m.text(lang);
        let mut t = Table::new(&[
            h(CliMsg::ColPlate),
            h(CliMsg::ColBay),
            h(CliMsg::ColReason),
            h(CliMsg::ColSince),
            h(CliMsg::ColHeld),
            h(CliMsg::ColPending),
            h(CliMsg::ColOverdue),
            h(CliMsg::ColNext),
        ]);
        for r in rows {
            let reason = reason_text(lang, r);
            t.row(vec![
                r.truck.plate.to_string(),
                r.truck
                    .bay
                    .as_ref()
                    .map(|b| b.to_string())
                    .unwrap_or_default(),
                crate::domain::text::fit(&reason, 30),
                local(r.since, tz),
                duration_in(lang, chrono::Duration::minutes(r.minutes)),
                tests_text(lang, &r.pending),
                tests_text(lang, &r.overdue),
                next_text(lang, &r.next, tz),
            ]);
        }
        t.print(out)?;
        let cap = store.layout().zone(Zone::Isolation).capacity();
        // The board also lists trucks under isolation's authority elsewhere
        // (waiting for a bay, escorted out through a handoff bay).
        let held = rows
            .iter()
            .filter(|r| {
                r.truck
                    .bay
                    .as_ref()
                    .is_some_and(|b| b.zone() == Zone::Isolation)
            })
            .count();
        let waiting = rows
            .iter()
            .filter(|r| matches!(r.next, NextAction::WaitForBay))
            .count();
        let waiting = if waiting > 0 {
            say(lang, CliMsg::BoardWaiting, &[&waiting])
        } else {
            String::new()
        };
        writeln!(
            out,
            "{}",
            say(lang, CliMsg::BoardHeld, &[&held, &cap, &waiting])
        )?;
    }
    Ok(())
}

#[derive(Serialize)]
struct ClocksJson<'a> {
    at: DateTime<Utc>,
    overdue: usize,
    clocks: Vec<ClockJson<'a>>,
}

#[derive(Serialize)]
struct ClockJson<'a> {
    #[serde(flatten)]
    kind: &'a ClockKind,
    stay: Option<StayId>,
    plate: Option<&'a Plate>,
    bay: Option<&'a BayId>,
    started: DateTime<Utc>,
    due: DateTime<Utc>,
    remaining_min: i64,
    overdue: bool,
}

/// What a clock is about, for people: "antigen result", "抗原结果".
pub(super) fn clock_what(lang: Lang, k: &ClockKind) -> String {
    match k {
        ClockKind::Result { test } => say(lang, CliMsg::ClockResult, &[&wd(lang, *test)]),
        ClockKind::IsolationReview => CliMsg::ClockReview.text(lang).into(),
        ClockKind::Disinfection { zone } => say(lang, CliMsg::ClockDisinfect, &[&wd(lang, *zone)]),
        ClockKind::Service { service } => say(lang, CliMsg::ClockService, &[&wd(lang, *service)]),
        ClockKind::Handoff { mode } => say(lang, CliMsg::ClockHandoff, &[&wd(lang, *mode)]),
        ClockKind::HandoffConfirm { mode } => say(lang, CliMsg::ClockConfirm, &[&wd(lang, *mode)]),
        ClockKind::WaitingForIsolation => CliMsg::ClockWaiting.text(lang).into(),
        ClockKind::PositiveNotIsolated => CliMsg::ClockPositiveOutside.text(lang).into(),
        ClockKind::PositiveDeparted => CliMsg::ClockPositiveDeparted.text(lang).into(),
    }
}

/// The CSV's `what` column: the clock's subject as a stable key.
fn clock_key(k: &ClockKind) -> String {
    match k {
        ClockKind::Result { test } => test.to_string(),
        ClockKind::Disinfection { zone } => zone.to_string(),
        ClockKind::Service { service } => service.to_string(),
        ClockKind::Handoff { mode } | ClockKind::HandoffConfirm { mode } => mode.to_string(),
        ClockKind::IsolationReview
        | ClockKind::WaitingForIsolation
        | ClockKind::PositiveNotIsolated
        | ClockKind::PositiveDeparted => String::new(),
    }
}

pub(super) fn clocks(
    store: &Store,
    setup: &Setup,
    format: TableFormat,
    only_overdue: bool,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let now = output::now();
    let tz = setup.config.timezone;
    let lang = setup.lang;
    let mut all = clocks::clocks(
        &store
            .clock_facts()
            .map_err(Failure::reading(setup.lang, store))?,
        &setup.config.policy,
    );
    let overdue = clocks::overdue_count(&all, now);
    if only_overdue {
        all.retain(|c| c.overdue(now));
    }
    if format.json {
        let list = all
            .iter()
            .map(|c| ClockJson {
                kind: &c.kind,
                stay: c.truck.as_ref().map(|t| t.stay),
                plate: c.truck.as_ref().map(|t| &t.plate),
                bay: c.truck.as_ref().and_then(|t| t.bay.as_ref()),
                started: c.started,
                due: c.due,
                remaining_min: c.remaining(now).num_minutes(),
                overdue: c.overdue(now),
            })
            .collect();
        output::json(
            out,
            &ClocksJson {
                at: now,
                overdue,
                clocks: list,
            },
        )?;
    } else if format.csv {
        let cells: Vec<Vec<String>> = all
            .iter()
            .map(|c| {
                vec![
                    c.kind.key().to_string(),
                    clock_key(&c.kind),
                    plate_of(c),
                    bay_of(c),
                    rfc(c.started),
                    rfc(c.due),
                    c.remaining(now).num_minutes().to_string(),
                    c.overdue(now).to_string(),
                ]
            })
            .collect();
        csv(
            out,
            &[
                "kind",
                "what",
                "plate",
                "bay",
                "started",
                "due",
                "remaining_min",
                "overdue",
            ],
            &cells,
        )?;
    } else {
        let h = |m: CliMsg| m.text(lang);
        let mut t = Table::new(&[
            h(CliMsg::ColDue),
            h(CliMsg::ColLeft),
            h(CliMsg::ColWhat),
            h(CliMsg::ColPlate),
            h(CliMsg::ColBay),
        ]);
        for c in &all {
            t.row(vec![
                local(c.due, tz),
                remaining(lang, c.remaining(now)),
                clock_what(lang, &c.kind),
                plate_of(c),
                match (&c.truck, bay_of(c)) {
                    // A truck's clock with no bay: it has left.
                    (Some(_), b) if b.is_empty() => CliMsg::BayLeft.text(lang).to_string(),
                    (_, b) => b,
                },
            ]);
        }
        if t.is_empty() {
            let m = if only_overdue {
                CliMsg::NothingOverdue
            } else {
                CliMsg::NothingDue
            };
            writeln!(out, "{}", m.text(lang))?;
        } else {
            t.print(out)?;
            writeln!(out, "{}", say(lang, CliMsg::NOverdue, &[&overdue]))?;
        }
    }
    Ok(())
}

/// The plate of a clock's truck, or empty (a zone's disinfection).
fn plate_of(c: &DueItem) -> String {
    c.truck
        .as_ref()
        .map(|t| t.plate.to_string())
        .unwrap_or_default()
}

/// The bay of a clock's truck, or empty.
fn bay_of(c: &DueItem) -> String {
    c.truck
        .as_ref()
        .and_then(|t| t.bay.as_ref())
        .map(|b| b.to_string())
        .unwrap_or_default()
}
