//! The shift lead's boards: `isolation` (every isolated truck, what is
//! pending and overdue, the next action) and `clocks` (everything due,
//! soonest first), as human tables, JSON or CSV.
//!
//! What lives elsewhere: due times and next actions (`domain::clocks`), the
//! facts they are computed from (`Store::clock_facts`).

use std::io::Write;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use super::args::TableFormat;
use super::output::{self, Table, csv, duration, local, remaining};
use super::{Failure, Setup};
use crate::domain::bay::{BayId, Zone};
use crate::domain::clocks::{self, Clock, ClockKind, NextAction};
use crate::domain::event::{StayId, TestKind};
use crate::domain::plate::Plate;
use crate::store::Store;

#[derive(Serialize)]
struct BoardJson<'a> {
    at: DateTime<Utc>,
    trucks: Vec<BoardRowJson<'a>>,
}

#[derive(Serialize)]
struct BoardRowJson<'a> {
    stay: StayId,
    plate: &'a Plate,
    bay: Option<&'a BayId>,
    reason: Option<&'a str>,
    since: DateTime<Utc>,
    minutes: i64,
    pending: &'a [TestKind],
    overdue: &'a [TestKind],
    escalation: Option<&'a str>,
    review_due: DateTime<Utc>,
    next: &'a NextAction,
}

fn next_text(n: &NextAction, tz: Tz) -> String {
    match n {
        NextAction::ChaseResult { test } => format!("chase the overdue {test} result"),
        NextAction::AwaitResult { test, due } => {
            format!("await {test} result by {}", output::local_hm(*due, tz))
        }
        NextAction::WaitForBay => "waiting for isolation: isolate when a bay frees".into(),
        NextAction::EscortUnderWay => "escort under way: mark the handoff done".into(),
        NextAction::LetOutUnderEscort => "escort done: let it out".into(),
        NextAction::AwaitDecision { at, note } => format!(
            "escalated {} — await decision ({note})",
            output::local_hm(*at, tz)
        ),
        NextAction::Escalate => "escalate (positive result)".into(),
        NextAction::TakeSample => "take a PCR sample".into(),
        NextAction::Review => "review: release or escalate".into(),
        NextAction::ReviewAt { due } => format!("review at {}", local(*due, tz)),
    }
}

fn tests_text(t: &[TestKind]) -> String {
    t.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(" ")
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
    let tz = setup.config.timezone;
    let rows = clocks::isolation_board(&store.clock_facts()?, &setup.config.policy, now);
    if format.json {
        let trucks = rows
            .iter()
            .map(|r| BoardRowJson {
                stay: r.truck.stay,
                plate: &r.truck.plate,
                bay: r.truck.bay.as_ref(),
                reason: r.reason.as_deref(),
                since: r.since,
                minutes: r.minutes,
                pending: &r.pending,
                overdue: &r.overdue,
                escalation: r.escalation.as_deref(),
                review_due: r.review_due,
                next: &r.next,
            })
            .collect();
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
                    r.reason.clone().unwrap_or_default(),
                    rfc(r.since),
                    r.minutes.to_string(),
                    tests_text(&r.pending),
                    tests_text(&r.overdue),
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
        writeln!(out, "no trucks in isolation")?;
    } else {
        let mut t = Table::new(&[
            "PLATE", "BAY", "REASON", "SINCE", "HELD", "PENDING", "OVERDUE", "NEXT",
        ]);
        for r in &rows {
            t.row(vec![
                r.truck.plate.to_string(),
                r.truck
                    .bay
                    .as_ref()
                    .map(|b| b.to_string())
                    .unwrap_or_default(),
                crate::domain::text::fit(r.reason.as_deref().unwrap_or("-"), 30),
                local(r.since, tz),
                duration(chrono::Duration::minutes(r.minutes)),
                tests_text(&r.pending),
                tests_text(&r.overdue),
                next_text(&r.next, tz),
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
            format!("; {waiting} waiting for isolation")
        } else {
            String::new()
        };
        writeln!(out, "{held} of {cap} isolation bays held{waiting}")?;
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

fn clock_what(k: &ClockKind) -> (String, String) {
    match k {
        ClockKind::Result { test } => (format!("{test} result"), test.to_string()),
        ClockKind::IsolationReview => ("isolation review".into(), String::new()),
        ClockKind::Disinfection { zone } => (format!("disinfect {zone}"), zone.to_string()),
        ClockKind::Service { service } => (format!("{service} call"), service.to_string()),
        ClockKind::Handoff { mode } => (format!("{mode} handoff"), mode.to_string()),
        ClockKind::HandoffConfirm { mode } => (format!("confirm {mode} arrival"), mode.to_string()),
        ClockKind::WaitingForIsolation => ("waiting for isolation".into(), String::new()),
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
    let mut all = clocks::clocks(&store.clock_facts()?, &setup.config.policy);
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
                    clock_what(&c.kind).1,
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
        let mut t = Table::new(&["DUE", "LEFT", "WHAT", "PLATE", "BAY"]);
        for c in &all {
            t.row(vec![
                local(c.due, tz),
                remaining(c.remaining(now)),
                clock_what(&c.kind).0,
                plate_of(c),
                bay_of(c),
            ]);
        }
        if t.is_empty() {
            writeln!(
                out,
                "nothing {}",
                if only_overdue { "overdue" } else { "due" }
            )?;
        } else {
            t.print(out)?;
            writeln!(out, "{overdue} overdue")?;
        }
    }
    Ok(())
}

/// The plate of a clock's truck, or empty (a zone's disinfection).
fn plate_of(c: &Clock) -> String {
    c.truck
        .as_ref()
        .map(|t| t.plate.to_string())
        .unwrap_or_default()
}

/// The bay of a clock's truck, or empty.
fn bay_of(c: &Clock) -> String {
    c.truck
        .as_ref()
        .and_then(|t| t.bay.as_ref())
        .map(|b| b.to_string())
        .unwrap_or_default()
}
