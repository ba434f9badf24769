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
use trucklot::store::{LogFilter, Notice, SCHEMA_VERSION, Store};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/schema-v1.db");

fn user_version(path: &Path) -> i64 {
    let c = rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap();
    c.query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

/// The schema version of a fixture, read without touching it: `immutable`
/// leaves no `-shm` or `-wal` beside it in the source tree.
fn fixture_version(path: &str) -> i64 {
    let c = rusqlite::Connection::open_with_flags(
        format!("file:{path}?immutable=1"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_URI,
    )
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
    assert_eq!(fixture_version(FIXTURE), 1, "the fixture is version 1");
    let (_dir, path) = copy();
    let mut store = Store::open(&path).unwrap();
    assert_eq!(SCHEMA_VERSION, 15);
    drop(store);
    assert_eq!(user_version(&path), SCHEMA_VERSION);

    // Schema 6 rewrote the log once, to move personal data out of it: a
    // copy of the file as it was is kept beside it first.
    let backup = path.with_file_name("lot.db.before-schema-6.bak");
    assert_eq!(user_version(&backup), 1, "the backup is the file as it was");
    let raw = |p: &Path, sql: &str| -> i64 {
        let c =
            rusqlite::Connection::open_with_flags(p, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
                .unwrap();
        c.query_row(sql, [], |r| r.get(0)).unwrap()
    };
    let named = "SELECT count(*) FROM events WHERE details LIKE '%王五%'";
    assert!(raw(&backup, named) > 0);
    assert_eq!(raw(&path, named), 0, "names left the log");
    assert!(
        raw(
            &path,
            "SELECT count(*) FROM personal WHERE value = '\"王五\"'"
        ) > 0
    );
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
        action: None,
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

const FIXTURE_V5: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/schema-v5.db");

/// `tests/fixtures/schema-v5.db` was written by the build before personal
/// data left the log (schema 5): 16 events, among them an arrival with a
/// passenger, a recheck, a correction of the driver's name and phone, a
/// departure, and a policy. Opening it moves every personal value out of
/// the events, once, after a backup; everything reads as before.
#[test]
fn a_schema_5_database_moves_personal_data_out_of_its_log() {
    assert_eq!(fixture_version(FIXTURE_V5), 5);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lot.db");
    std::fs::copy(FIXTURE_V5, &path).unwrap();
    let mut store = Store::open(&path).unwrap();
    assert_eq!(user_version(&path), SCHEMA_VERSION);
    let backup = dir.path().join("lot.db.before-schema-6.bak");
    assert_eq!(user_version(&backup), 5);
    // The store says so to its caller, once, and prints nothing itself.
    assert_eq!(
        store.take_notices(),
        [Notice::UpgradeBackup {
            path: path.clone(),
            from: 5,
            copy: backup.clone(),
        }]
    );
    assert!(store.take_notices().is_empty());

    let report = store.check().unwrap();
    assert!(report.ok(), "{:#?}", report.differences);
    assert_eq!(report.events, 16);
    let raw = |sql: &str| -> i64 {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.query_row(sql, [], |r| r.get(0)).unwrap()
    };
    for name in ["张三", "张山", "李四", "王五", "13800138000", "13700137000"] {
        assert_eq!(
            raw(&format!(
                "SELECT count(*) FROM events WHERE details LIKE '%{name}%'"
            )),
            0,
            "{name} is still in the log"
        );
    }
    // The log reads as it was written: names and measurements put back.
    let log = store.log(&LogFilter::default()).unwrap();
    let corrected = log
        .iter()
        .find_map(|e| match &e.event {
            Event::Corrected { changes, .. } => Some(changes.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(corrected[0].old.as_deref(), Some("张三"));
    assert_eq!(corrected[0].new.as_deref(), Some("张山"));
    let arrived = log
        .iter()
        .find_map(|e| match &e.event {
            Event::Arrived { arrival, .. } if arrival.plate == plate("晋D12345") => {
                Some(arrival.clone())
            }
            _ => None,
        })
        .unwrap();
    assert_eq!(arrived.passengers[0].name.as_deref(), Some("李四"));
    assert_eq!(arrived.code, Some(HealthCode::Green));
    drop(store);

    // Opening it again changes nothing more, and makes no second backup.
    let mut again = Store::open(&path).unwrap();
    assert!(!dir.path().join("lot.db.before-schema-6.bak.2").exists());
    assert_eq!(again.event_count().unwrap(), 16);
    assert!(again.take_notices().is_empty());
}

/// The command line tells of the backup an upgrade made, in the user's
/// language, on stderr, naming the copy; the output itself is unchanged.
#[test]
fn the_upgrade_backup_is_told_in_the_users_language() {
    for (lang, says) in [
        ("en", "a copy of it as it was is in"),
        ("zh", "升级前的完整副本在"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lot.db");
        std::fs::copy(FIXTURE_V5, &path).unwrap();
        let out = trucklot_at(dir.path(), &path, &["--lang", lang, "status"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", said(&out));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(says) && err.contains("lot.db.before-schema-6.bak"),
            "{err}"
        );
        let again = trucklot_at(dir.path(), &path, &["--lang", lang, "status"])
            .output()
            .unwrap();
        assert!(again.stderr.is_empty(), "told once");
    }
}

/// An upgrade made only of new indexes (schemas 10, 11 and 13), of tables
/// copied whole into a new shape (schema 12) or of a column filled by the
/// projection's own expression (schemas 14 and 15) keeps the state tables as they
/// are instead of replaying the whole log: a mark put in the state by hand
/// before the upgrade is still there after it, and so is every row.
#[test]
fn an_upgrade_that_keeps_the_state_does_not_replay_the_log() {
    let mut lot = Lot::new();
    lot.arrive("晋D12345");
    lot.arrive("晋D12346");
    // A positive, whose time schema 14 fills in.
    lot.ok(sample_op("晋D12346", TestKind::Antigen));
    lot.ok(result_op(
        "晋D12346",
        TestKind::Antigen,
        TestResult::Positive,
    ));
    // A truck forced out before its positive came back, and back: its new
    // stay carries that positive, from its arrival on (schema 15).
    lot.arrive("晋D12347");
    lot.ok(sample_op("晋D12347", TestKind::Antigen));
    lot.ok(Op::Depart {
        plate: plate("晋D12347"),
        force_reason: Some("the driver was needed at home".into()),
    });
    lot.ok(result_op(
        "晋D12347",
        TestKind::Antigen,
        TestResult::Positive,
    ));
    lot.ok(arrive_op(arrival("晋D12347")));
    let path = lot.path.clone();
    drop(lot.store);
    let rows = |c: &rusqlite::Connection| -> (Vec<String>, Vec<String>) {
        let all = |sql: &str| -> Vec<String> {
            let mut st = c.prepare(sql).unwrap();
            st.query_map([], |r| r.get::<_, String>(0))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        (
            all(
                "SELECT stay || '/' || person || '/' || ifnull(name, '-') || '/' || checked_at
                   FROM people ORDER BY stay, person",
            ),
            all("SELECT id || '/' || first_event || '/' || last_event FROM actions ORDER BY id"),
        )
    };
    let before;
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        before = rows(&c);
        // The file as schema 9 left it: rowid tables, an index of every
        // stretch's end, none of the indexes of 10, 11 and 13, nor the
        // column of 14.
        c.execute_batch(
            "DROP INDEX samples_positive;
             DROP INDEX stays_forced_out;
             DROP INDEX stays_positive_on_site;
             ALTER TABLE stays DROP COLUMN positive_at;
             DROP INDEX bays_taken;
             DROP INDEX occupancy_to;
             CREATE INDEX occupancy_to ON occupancy (to_at);
             CREATE TABLE p9 (
                 stay INTEGER NOT NULL REFERENCES stays (id),
                 person INTEGER NOT NULL CHECK (person BETWEEN 0 AND 3),
                 name TEXT, phone TEXT, temperature REAL,
                 code TEXT CHECK ((code = 'green' OR code = 'yellow' OR code = 'red')),
                 checked_at TEXT NOT NULL,
                 PRIMARY KEY (stay, person)) STRICT;
             INSERT INTO p9 SELECT * FROM people;
             DROP TABLE people;
             ALTER TABLE p9 RENAME TO people;
             CREATE TABLE a9 (
                 id TEXT PRIMARY KEY,
                 first_event INTEGER NOT NULL UNIQUE REFERENCES events (id),
                 last_event INTEGER NOT NULL REFERENCES events (id),
                 CHECK (last_event >= first_event)) STRICT;
             INSERT INTO a9 SELECT * FROM actions;
             DROP TABLE actions;
             ALTER TABLE a9 RENAME TO actions;
             UPDATE bays SET disinfected_at = '2026-01-01T00:00:00.000Z' WHERE id = 'P-09-09';
             PRAGMA user_version = 9;",
        )
        .unwrap();
        assert_eq!(rows(&c), before, "the file as it was keeps its rows");
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(user_version(&path), SCHEMA_VERSION);
    let c = rusqlite::Connection::open(&path).unwrap();
    let (index, mark): (i64, Option<String>) = c
        .query_row(
            "SELECT (SELECT count(*) FROM sqlite_master
                      WHERE name IN ('samples_positive', 'stays_forced_out')),
                    (SELECT disinfected_at FROM bays WHERE id = 'P-09-09')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(index, 2, "the indexes are made");
    assert_eq!(
        mark.as_deref(),
        Some("2026-01-01T00:00:00.000Z"),
        "no replay"
    );
    assert_eq!(rows(&c), before, "people and actions copied whole");
    let without_rowid: i64 = c
        .query_row(
            "SELECT count(*) FROM sqlite_master
              WHERE name IN ('people', 'actions') AND sql LIKE '%WITHOUT ROWID'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(without_rowid, 2, "keyed by their primary keys");
    let refused = c.execute("DELETE FROM actions", []).unwrap_err();
    assert!(refused.to_string().contains("append-only"), "{refused}");
    let positive: Vec<Option<String>> = c
        .prepare("SELECT positive_at FROM stays ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(
        positive[0].is_none() && positive[1..].iter().all(Option::is_some),
        "{positive:?}"
    );
    assert_eq!(positive.len(), 4, "the carrying stay is the fourth");
    drop(c);
    // Apart from the mark put in by hand, the state is the log's replay,
    // the filled column included.
    let mut store = store;
    let report = store.check().unwrap();
    assert!(
        report.differences.iter().all(|d| d.contains("P-09-09")),
        "{:?}",
        report.differences
    );
}
