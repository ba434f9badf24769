//! A database written by the first schema version keeps opening: the
//! migration to version 2 recreates the state tables and replays the log
//! into them, in one transaction, and the lot goes on working.
//!
//! `tests/fixtures/schema-v1.db` was written by the previous trucklot: 31
//! events of every first-version kind, among them a transfer handoff from
//! isolation of a truck with a positive result (晋B22222), a forced departure,
//! and a truck still isolated with its PCR pending (晋E55555). The test works
//! on a copy; the fixture itself must never change.

mod common;

use std::path::{Path, PathBuf};

use chrono::Duration;
use common::*;
use trucklot::domain::clock::FixedClock;
use trucklot::domain::clocks::{NextAction, isolation_board};
use trucklot::domain::event::{Event, HandoffMode, TestKind, TestResult};
use trucklot::domain::policy::{HealthCode, Policy, Temperature};
use trucklot::domain::stay::Status;
use trucklot::ops::{self, Ctx, Op};
use trucklot::store::{LogFilter, SCHEMA_VERSION, Store};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/schema-v1.db");

fn user_version(path: &Path) -> i64 {
    let c = rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap();
    c.query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

/// A copy of the fixture in its own temporary directory.
fn copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lot.db");
    std::fs::copy(FIXTURE, &path).unwrap();
    (dir, path)
}

#[test]
fn a_first_version_database_opens_migrated_with_every_event() {
    let fixture_before = std::fs::read(FIXTURE).unwrap();
    assert_eq!(
        user_version(Path::new(FIXTURE)),
        1,
        "the fixture is version 1"
    );
    let (_dir, path) = copy();
    let mut store = Store::open(&path).unwrap();
    // 001–005 and 007_speed (006 is being written on main at the same time).
    assert_eq!(SCHEMA_VERSION, 6);
    drop(store);
    assert_eq!(user_version(&path), SCHEMA_VERSION);
    store = Store::open(&path).unwrap();

    // Every event still there, in order, and the state equal to their replay.
    assert_eq!(store.event_count().unwrap(), 31);
    let log = store.log(&LogFilter::default()).unwrap();
    let ids: Vec<i64> = log.iter().rev().map(|e| e.id).collect();
    assert_eq!(ids, (1..=31).collect::<Vec<_>>());
    let report = store.check().unwrap();
    assert!(report.ok(), "{:#?}", report.differences);
    assert_eq!(report.events, 31);

    // 晋E55555 is still isolated, with its PCR pending, on the board.
    let facts = store.clock_facts().unwrap();
    let board = isolation_board(&facts, &Policy::default(), t0() + Duration::hours(3));
    let e5: Vec<_> = board
        .iter()
        .filter(|r| r.truck.plate == plate("晋E55555"))
        .collect();
    assert_eq!(e5.len(), 1, "{board:#?}");
    assert_eq!(e5[0].truck.bay, Some(bay("I-01")));
    assert_eq!(e5[0].status, Status::Isolated);
    assert_eq!(e5[0].pending, vec![TestKind::Pcr]);
    assert!(matches!(
        e5[0].next,
        NextAction::ChaseResult { .. } | NextAction::AwaitResult { .. }
    ));
    // First-version arrivals checked the driver alone: their flags become
    // the driver's findings, and no typed reason is invented.
    assert_eq!(e5[0].reason, None);
    assert_eq!(
        trucklot::domain::event::describe_findings(&e5[0].findings, |n| e5[0].name(n)),
        "fever: driver 王五"
    );

    // 晋B22222's old transfer from isolation is kept as it was recorded.
    let b2 = store
        .stay_detail(trucklot::domain::event::StayId(3))
        .unwrap()
        .unwrap();
    assert_eq!(b2.plate, plate("晋B22222"));
    assert_eq!(b2.status, Status::Departed);
    assert_eq!(b2.handoff_mode, Some(HandoffMode::Transfer));
    assert_eq!(b2.handoff_counterpart.as_deref(), Some("晋K11111 顺丰"));
    assert!(b2.handoff_done_at.is_some());
    assert_eq!(b2.handoff_by, None);
    assert_eq!(b2.samples[0].result, Some(TestResult::Positive));
    assert_eq!(b2.escalation_note.as_deref(), Some("reported to CDC"));
    // The forced departure keeps its reason; the old release has no decider.
    let d1 = store
        .stay_detail(trucklot::domain::event::StayId(1))
        .unwrap()
        .unwrap();
    assert_eq!(d1.forced_reason.as_deref(), Some("driver ill"));
    let c3 = store
        .stay_detail(trucklot::domain::event::StayId(4))
        .unwrap()
        .unwrap();
    assert_eq!(c3.status, Status::HandoffDone);
    assert!(c3.released_at.is_some());
    assert_eq!(c3.released_by, None);
    // The people table is filled from the old arrivals: the driver only.
    let d = store
        .stay_detail(trucklot::domain::event::StayId(6))
        .unwrap()
        .unwrap();
    assert_eq!(d.people.len(), 1);
    assert_eq!(d.people[0].name.as_deref(), Some("王五"));
    assert_eq!(d.people[0].temperature, Some(37.9));
    // An old arrival without a temperature still reads.
    let a1 = store
        .stay_detail(trucklot::domain::event::StayId(2))
        .unwrap()
        .unwrap();
    assert_eq!(a1.temperature, None);
    assert_eq!(a1.venue_code, None);

    // Handoffs finished before confirmation existed were never asked for
    // one: they do not turn up on the clocks board as overdue.
    assert!(
        facts.handoffs.is_empty(),
        "first-version handoffs wait for no confirmation: {:?}",
        facts.handoffs
    );

    drop(store);
    assert_eq!(
        std::fs::read(FIXTURE).unwrap(),
        fixture_before,
        "the fixture itself is never modified"
    );
}

#[test]
fn a_migrated_lot_goes_on_working() {
    let (_dir, path) = copy();
    let mut store = Store::open(&path).unwrap();
    // After the fixture's last event.
    let clock = FixedClock::new(t0() + Duration::hours(3));
    let policy = Policy::default();
    let ctx = Ctx {
        operator: "tester",
        terminal: "gate-1",
        clock: &clock,
        policy: &policy,
    };
    let mut exec =
        |op: Op| ops::execute(&mut store, &ctx, &op).unwrap_or_else(|e| panic!("{op:?}: {e}"));

    // A new truck, everyone checked, through the whole loop.
    let mut a = arrival("晋F66666");
    a.passengers = vec![passenger("李四", 36.7, HealthCode::Green)];
    let out = exec(arrive_op(a));
    assert_eq!(out.stay, Some(trucklot::domain::event::StayId(7)));
    let out = exec(sample_op("晋F66666", TestKind::Antigen));
    assert!(matches!(
        &out.events[0].1,
        Event::SampleTaken { tube: Some(t), .. } if t == "AG-000007-1"
    ));
    clock.advance(Duration::minutes(15));
    exec(result_op(
        "晋F66666",
        TestKind::Antigen,
        TestResult::Negative,
    ));
    exec(depart_op("晋F66666"));

    // The old isolated truck's PCR comes back; it is released by a decision.
    exec(result_op("晋E55555", TestKind::Pcr, TestResult::Negative));
    exec(Op::Recheck {
        plate: plate("晋E55555"),
        person: 0,
        temperature: Temperature::new(36.6).unwrap(),
        code: HealthCode::Green,
    });
    exec(release_op("晋E55555"));
    // The old truck whose escort was done before the migration leaves once
    // its checks allow: its medical call is still open.
    let blockers: Vec<_> = ops::departure_blockers(&mut store, &policy, &plate("晋C33333"))
        .unwrap()
        .iter()
        .map(|b| b.key())
        .collect();
    assert_eq!(blockers, ["no_sample", "medical_call"]);

    assert_eq!(store.event_count().unwrap(), 31 + 7);
    let report = store.check().unwrap();
    assert!(report.ok(), "{:#?}", report.differences);
    drop(store);
    // Reopened at version 2: no second migration, the same lot.
    let store = Store::open(&path).unwrap();
    assert_eq!(store.event_count().unwrap(), 38);
    assert_eq!(user_version(&path), SCHEMA_VERSION);
}
