//! The store on a real file: creation and file modes, refusing files that
//! are not ours (and leaving them untouched), constraints the database
//! enforces on its own, the write lock, state drifting from the log. What
//! behaves the same on a server is in `tests/store_lot.rs`, which runs on
//! both engines.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::{Arc, Barrier};

use common::*;
use rusqlite::Connection;
use trucklot::domain::Zone;
use trucklot::domain::event::TestKind;
use trucklot::domain::layout::DEFAULT_LAYOUT;
use trucklot::store::{LogFilter, SCHEMA_VERSION, Store, StoreError};

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// A raw connection, as another program (or a careless admin) would open it.
fn raw(path: &Path) -> Connection {
    let c = Connection::open(path).unwrap();
    c.pragma_update(None, "foreign_keys", "ON").unwrap();
    c
}

/// The file's bytes; only call with every SQLite handle on it closed.
fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

fn err_text<T>(r: Result<T, StoreError>) -> (StoreError, String) {
    match r {
        Ok(_) => panic!("expected the store to refuse"),
        Err(e) => {
            let s = e.to_string();
            (e, s)
        }
    }
}

// ---------------------------------------------------------------- files

#[test]
fn create_makes_a_private_file_and_keeps_it_private() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lot.db");
    let mut store = Store::create(&path, DEFAULT_LAYOUT).unwrap();
    assert_eq!(mode(&path), 0o600, "database file mode");

    // SQLite gives its -wal and -shm files the database file's mode.
    exec_on(&mut store, "gate-1", &arrive_op(arrival("晋D12345"))).unwrap();
    assert!(wal_path(&path).exists(), "the database runs in WAL mode");
    assert_eq!(mode(&wal_path(&path)), 0o600, "-wal file mode");
    assert_eq!(mode(&shm_path(&path)), 0o600, "-shm file mode");
    let s = store.status().unwrap();
    assert_eq!(
        s.iter().map(|z| z.capacity).sum::<usize>(),
        trucklot::domain::layout::Layout::default_lot().capacity()
    );
    assert_eq!(s[Zone::Parking.index()].occupied, 1);
}

#[test]
fn create_refuses_an_existing_file_and_leaves_it_alone() {
    let mut lot = Lot::new();
    lot.arrive("晋D12345");
    let path = lot.path.clone();
    drop(lot.store);
    let before = bytes(&path);
    let (e, msg) = err_text(Store::create(&path, DEFAULT_LAYOUT));
    assert!(matches!(e, StoreError::AlreadyExists { .. }), "{e:?}");
    assert!(msg.contains("already exists"), "{msg}");
    assert_eq!(bytes(&path), before);
    // Still the same lot.
    let store = Store::open(&path).unwrap();
    assert_eq!(store.event_count().unwrap(), 1);
}

#[test]
fn create_with_a_bad_layout_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lot.db");
    let (e, _) = err_text(Store::create(&path, "name = 'x'\nexit = 'east'\n"));
    assert!(matches!(e, StoreError::Layout(_)), "{e:?}");
    assert!(!path.exists());
}

#[test]
fn open_or_create_makes_private_parent_directories() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("share");
    let parent = data.join("trucklot");
    let path = parent.join("lot.db");
    let store = Store::open_or_create(&path, DEFAULT_LAYOUT).unwrap();
    assert_eq!(mode(&data), 0o700, "intermediate directory mode");
    assert_eq!(mode(&parent), 0o700, "parent directory mode");
    assert_eq!(mode(&path), 0o600, "database file mode");
    drop(store);

    // The second time it opens what is there, and does not reseed it.
    let mut lot_store = Store::open_or_create(&path, DEFAULT_LAYOUT).unwrap();
    exec_on(&mut lot_store, "gate-1", &arrive_op(arrival("晋D12345"))).unwrap();
    drop(lot_store);
    let store = Store::open_or_create(&path, DEFAULT_LAYOUT).unwrap();
    assert_eq!(store.event_count().unwrap(), 1);
    assert_eq!(
        store.layout().capacity(),
        trucklot::domain::layout::Layout::default_lot().capacity()
    );
}

#[test]
fn opening_a_missing_path_is_not_found_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("typo").join("lot.db");
    let (e, msg) = err_text(Store::open(&path));
    assert!(
        matches!(&e, StoreError::NotFound { path: p } if p == &path),
        "{e:?}"
    );
    assert!(
        msg.contains("init"),
        "the message says how to create one: {msg}"
    );
    assert!(!path.exists());
    assert!(!dir.path().join("typo").exists(), "no directory was made");

    let path = dir.path().join("lot.db");
    let (e, _) = err_text(Store::open(&path));
    assert!(matches!(e, StoreError::NotFound { .. }), "{e:?}");
    assert!(!path.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

/// Checks `path` is refused by both `open` and `open_or_create`, and that it
/// is byte-for-byte unchanged afterwards, with no WAL file left behind.
fn assert_refused_untouched(path: &Path, expect: impl Fn(&StoreError) -> bool) -> String {
    let before = bytes(path);
    let (e, msg) = err_text(Store::open(path));
    assert!(expect(&e), "open: unexpected error {e:?}");
    assert_eq!(bytes(path), before, "open changed the file");
    assert!(!wal_path(path).exists(), "open left a -wal file");
    let (e, _) = err_text(Store::open_or_create(path, DEFAULT_LAYOUT));
    assert!(expect(&e), "open_or_create: unexpected error {e:?}");
    assert_eq!(bytes(path), before, "open_or_create changed the file");
    assert!(!wal_path(path).exists(), "open_or_create left a -wal file");
    msg
}

#[test]
fn a_foreign_sqlite_file_is_refused_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    for (name, app_id, with_table) in [
        ("plain.db", 0i64, true),
        ("other-app.db", 0x4750_4B47, true),
        ("other-app-empty.db", 0x1234_5678, false),
    ] {
        let path = dir.path().join(name);
        {
            let c = Connection::open(&path).unwrap();
            if with_table {
                c.execute_batch(
                    "CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL);
                     INSERT INTO invoices (amount) VALUES (12.5), (99.0);",
                )
                .unwrap();
            }
            c.pragma_update(None, "application_id", app_id).unwrap();
        }
        let msg = assert_refused_untouched(
            &path,
            |e| matches!(e, StoreError::Foreign { found, .. } if *found == app_id),
        );
        assert!(msg.contains("not a trucklot database"), "{name}: {msg}");
        assert!(msg.contains("left unchanged"), "{name}: {msg}");
        assert!(msg.contains(name), "the message names the file: {msg}");
    }
}

#[test]
fn a_database_from_a_newer_version_is_refused_and_left_unchanged() {
    let mut lot = Lot::new();
    lot.arrive("晋D12345");
    let path = lot.path.clone();
    drop(lot.store);
    {
        let c = raw(&path);
        c.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        c.close().unwrap();
    }
    assert!(!wal_path(&path).exists(), "the raw connection checkpointed");
    let msg = assert_refused_untouched(&path, |e| {
        matches!(e, StoreError::Newer { found, known, .. }
            if *found == SCHEMA_VERSION + 1 && *known == SCHEMA_VERSION)
    });
    assert!(msg.contains("newer"), "{msg}");
    assert!(msg.contains("upgrade"), "{msg}");
}

#[test]
fn a_garbage_file_is_refused_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.db");
    let text = "Shift notes: 晋D12345 left at 14:00.\n".repeat(200);
    std::fs::write(&path, &text).unwrap();
    let msg = assert_refused_untouched(&path, |e| matches!(e, StoreError::Unreadable { .. }));
    assert!(msg.contains("not a SQLite database"), "{msg}");
    assert!(
        msg.contains("notes.db"),
        "the message names the file: {msg}"
    );
}

#[test]
fn an_empty_file_is_refused_by_open_but_initialised_by_open_or_create() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.db");
    std::fs::write(&path, b"").unwrap();
    let (e, msg) = err_text(Store::open(&path));
    assert!(matches!(e, StoreError::Unreadable { .. }), "{e:?}");
    assert!(msg.contains("init"), "{msg}");
    assert_eq!(bytes(&path).len(), 0, "open wrote to the empty file");
    let store = Store::open_or_create(&path, DEFAULT_LAYOUT).unwrap();
    assert_eq!(
        store.layout().capacity(),
        trucklot::domain::layout::Layout::default_lot().capacity()
    );
}

#[test]
fn two_gates_starting_on_a_new_file_at_once_both_succeed() {
    let dir = tempfile::tempdir().unwrap();
    for round in 0..40 {
        let path = dir.path().join(format!("gate{round}")).join("lot.db");
        let barrier = Arc::new(Barrier::new(2));
        let handles: Vec<_> = (0..2)
            .map(|_| {
                let path = path.clone();
                let barrier = barrier.clone();
                std::thread::spawn(move || {
                    barrier.wait();
                    Store::open_or_create(&path, DEFAULT_LAYOUT).map(|s| s.status().unwrap())
                })
            })
            .collect();
        for h in handles {
            match h.join().unwrap() {
                Ok(status) => {
                    assert_eq!(
                        status.iter().map(|z| z.capacity).sum::<usize>(),
                        trucklot::domain::layout::Layout::default_lot().capacity()
                    )
                }
                Err(e) => panic!("round {round}: a gate failed to start: {e}"),
            }
        }
        let mut store = Store::open(&path).unwrap();
        assert_eq!(store.event_count().unwrap(), 0);
        assert!(store.check().unwrap().ok());
    }
}

// ---------------------------------------------------------- constraints

#[test]
fn the_event_log_refuses_update_and_delete() {
    let mut lot = Lot::new();
    lot.arrive("晋D12345");
    lot.clear_and_depart("晋D12345");
    let c = raw(&lot.path);
    for sql in [
        "UPDATE events SET operator = 'someone else'",
        "UPDATE events SET details = '{}' WHERE kind = 'departed'",
        "DELETE FROM events WHERE kind = 'departed'",
        "DELETE FROM events",
    ] {
        let e = c.execute(sql, []).expect_err(sql);
        assert!(e.to_string().contains("append-only"), "{sql}: {e}");
    }
    drop(c);
    assert_eq!(lot.events(), 4, "arrival, sample, result, departure");
    let log = lot.store.log(&LogFilter::default()).unwrap();
    assert!(log.iter().all(|e| e.operator == "tester"));
    assert!(lot.store.check().unwrap().ok());
}

#[test]
fn the_database_itself_refuses_double_occupancy() {
    let mut lot = Lot::new();
    let a = lot.arrive_in("晋D11111", "P-01-01").stay.unwrap();
    let b = lot.arrive_in("晋D22222", "P-01-02").stay.unwrap();
    lot.ok(sample_op("晋D11111", TestKind::Antigen));
    let events = lot.events();
    let lot_before = lot.lot();
    let c = raw(&lot.path);
    let refused = |sql: &str, why: &str| {
        let e = c.execute(sql, []).expect_err(sql);
        assert!(e.to_string().contains(why), "{sql}: {e}");
    };
    // A stay already in a bay cannot take a second one, free or occupied.
    refused(
        &format!("UPDATE bays SET occupant = {} WHERE id = 'P-01-03'", a.0),
        "UNIQUE constraint failed: bays.occupant",
    );
    refused(
        &format!("UPDATE bays SET occupant = {} WHERE id = 'P-01-01'", b.0),
        "UNIQUE constraint failed: bays.occupant",
    );
    // A plate is on site at most once.
    refused(
        "INSERT INTO stays (id, plate, status, cargo, code, travel_flag, handoff_required,
                            flags, arrived_at, bay_since)
         VALUES (99, '晋D11111', 'parked', 'other', 'green', 0, 0, '',
                 '2026-11-25T09:00:00.000Z', '2026-11-25T09:00:00.000Z')",
        "UNIQUE constraint failed: stays.plate",
    );
    // A closed bay holds no truck, and no bay holds a stay that does not exist.
    refused(
        "UPDATE bays SET closed_reason = 'oil spill' WHERE id = 'P-01-01'",
        "CHECK constraint failed",
    );
    refused(
        "UPDATE bays SET occupant = 999 WHERE id = 'P-01-04'",
        "FOREIGN KEY constraint failed",
    );
    // One pending sample per test per stay.
    refused(
        &format!(
            "INSERT INTO samples (id, stay, test, taken_at, due_at)
             VALUES (9999, {}, 'antigen', '2026-11-25T09:00:00.000Z', '2026-11-25T09:15:00.000Z')",
            a.0
        ),
        "UNIQUE constraint failed: samples.stay, samples.test",
    );
    // The unique index is partial: a plate's past stays do not block it.
    c.execute_batch(
        "BEGIN;
         INSERT INTO stays (id, plate, status, cargo, code, travel_flag, handoff_required,
                            flags, arrived_at, bay_since, departed_at)
         VALUES (98, '晋D11111', 'departed', 'other', 'green', 0, 0, '',
                 '2026-11-24T09:00:00.000Z', '2026-11-24T09:00:00.000Z', '2026-11-24T10:00:00.000Z');
         ROLLBACK;",
    )
    .unwrap();
    drop(c);
    assert_eq!(lot.events(), events);
    assert_eq!(lot.lot(), lot_before);
    assert!(lot.store.check().unwrap().ok());
}

// ------------------------------------------------------ two handles, one file

#[test]
fn a_handle_sees_what_another_handle_wrote() {
    let mut lot = Lot::new();
    let mut other = Store::open(&lot.path).unwrap();
    assert!(other.changed().unwrap(), "the first answer is: changed");
    assert!(!other.changed().unwrap(), "then nothing until a commit");
    lot.arrive_in("晋D12345", "P-02-02");
    assert!(
        other.changed().unwrap(),
        "the other handle's commit is seen"
    );
    assert_eq!(
        other.stay_in_bay(&bay("P-02-02")).unwrap(),
        lot.store.stay_in_bay(&bay("P-02-02")).unwrap()
    );
    assert_eq!(other.lot().unwrap(), lot.lot());
}

// ------------------------------------------------------------ refusals

// ------------------------------------------------------- log and replay

#[test]
fn check_finds_state_that_drifted_from_the_log_and_rebuild_repairs_it() {
    let mut lot = Lot::new();
    scripted_day(&mut lot);
    let map = lot.lot();
    {
        let c = raw(&lot.path);
        c.execute("UPDATE bays SET occupant = NULL WHERE occupant = 4", [])
            .unwrap();
        c.execute(
            "UPDATE bays SET closed_reason = NULL WHERE id = 'P-10-10'",
            [],
        )
        .unwrap();
    }
    assert_ne!(lot.lot(), map);
    let report = lot.store.check().unwrap();
    assert!(!report.ok());
    assert_eq!(report.differences.len(), 4, "{:#?}", report.differences);
    assert!(
        report.differences.iter().any(|d| d.contains("P-10-10")),
        "{:#?}",
        report.differences
    );
    // check changed nothing.
    assert!(!lot.store.check().unwrap().ok());
    let report = lot.store.rebuild().unwrap();
    assert_eq!(report.differences.len(), 4);
    assert_eq!(lot.lot(), map);
    assert!(lot.store.check().unwrap().ok());
}

/// `check` replays without the schema's references and `CHECK` rules
/// enforced, and checks the stored rows against them instead: a stored
/// row that refers to nothing is named, even where the replay would agree
/// with it (one line of its own, beside the rows that differ).
#[test]
fn check_names_a_stored_row_that_refers_to_nothing() {
    let mut lot = Lot::new();
    scripted_day(&mut lot);
    {
        let c = raw(&lot.path);
        c.pragma_update(None, "foreign_keys", "OFF").unwrap();
        c.execute(
            "INSERT INTO people (stay, person, checked_at) VALUES (424242, 0, '2026-11-25T08:00:00Z')",
            [],
        )
        .unwrap();
    }
    let report = lot.store.check().unwrap();
    assert!(
        report
            .differences
            .contains(&"stored:  people refers to a row of stays that does not exist".to_string()),
        "{:#?}",
        report.differences
    );
}

/// A stored row that breaks a `CHECK` rule is found by the file's
/// verification, which `check` runs first.
#[test]
fn check_refuses_a_stored_row_that_breaks_a_check_rule() {
    let mut lot = Lot::new();
    scripted_day(&mut lot);
    {
        let c = raw(&lot.path);
        c.pragma_update(None, "ignore_check_constraints", "ON")
            .unwrap();
        let n = c
            .execute(
                "UPDATE bays SET closed_reason = 'tampered' WHERE occupant IS NOT NULL",
                [],
            )
            .unwrap();
        assert!(n > 0);
    }
    let (e, text) = err_text(lot.store.check());
    assert!(matches!(e, StoreError::Damaged { .. }), "{e:?}");
    assert!(text.contains("CHECK constraint failed in bays"), "{text}");
}

#[test]
fn the_state_survives_close_and_reopen() {
    let mut lot = Lot::new();
    scripted_day(&mut lot);
    let map = lot.lot();
    let status = lot.store.status().unwrap();
    let facts = lot.store.clock_facts().unwrap();
    let log = lot.store.log(&LogFilter::default()).unwrap();
    let path = lot.path.clone();
    drop(lot.store);
    assert!(!wal_path(&path).exists(), "closing checkpointed the WAL");

    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.lot().unwrap(), map);
    assert_eq!(store.status().unwrap(), status);
    assert_eq!(store.clock_facts().unwrap(), facts);
    assert_eq!(store.log(&LogFilter::default()).unwrap(), log);
    assert!(store.check().unwrap().ok());
    assert_eq!(mode(&path), 0o600);
}

#[test]
fn a_gate_starting_while_another_holds_the_write_lock_waits_for_it() {
    // Another gate has begun creating the schema on the new, empty file and
    // holds the write lock for a moment. This gate must wait for it (the
    // busy timeout), not fail with "database is busy".
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lot.db");
    std::fs::write(&path, b"").unwrap();
    let other = Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let gate = {
        let path = path.clone();
        std::thread::spawn(move || Store::open_or_create(&path, DEFAULT_LAYOUT).map(|_| ()))
    };
    std::thread::sleep(std::time::Duration::from_millis(300));
    other.execute_batch("ROLLBACK").unwrap();
    drop(other);
    if let Err(e) = gate.join().unwrap() {
        panic!("the second gate failed to start: {e}");
    }
    assert!(Store::open(&path).unwrap().check().unwrap().ok());
}

/// What the TUI relies on to show another terminal's writes within a second:
/// `changed` answers yes when another connection commits, and the other
/// terminal's read then sees the new truck.
#[test]
fn another_terminals_commit_is_seen_through_changed() {
    let mut a = Lot::new();
    let mut b = Store::open(&a.path).unwrap();
    b.changed().unwrap();
    assert!(!b.changed().unwrap(), "nothing happened");
    a.arrive("晋D12345");
    assert!(
        b.changed().unwrap(),
        "the other terminal's commit is noticed"
    );
    assert!(b.lot().unwrap().bays.iter().any(|v| {
        v.occupant
            .as_ref()
            .is_some_and(|o| o.plate == plate("晋D12345"))
    }));
    // A terminal's own commit does not make it refresh twice.
    exec_on(&mut b, "gate-2", &arrive_op(arrival("晋D22222"))).unwrap();
    assert!(!b.changed().unwrap(), "its own commit");
}

/// No constraint of the final schema checks a value against a list with
/// `IN (…)`: SQLite builds a temporary b-tree of the list on every write
/// that checks it (schema 9 wrote them as `=` … `OR`). The rules still
/// hold: a code outside the list is refused.
#[test]
fn constraints_check_values_in_place() {
    let lot = Lot::new();
    let conn = rusqlite::Connection::open(&lot.path).unwrap();
    let mut st = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '% IN (%'")
        .unwrap();
    let listed: Vec<String> = st
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(listed.is_empty(), "{listed:?}");
    let refused = conn.execute(
        "INSERT INTO stays (id, plate, status, cargo, code, travel_flag, handoff_required,
                            flags, arrived_at, bay_since)
         VALUES (99, '晋D12345', 'parked', 'other', 'blue', 0, 0, '', 'x', 'x')",
        [],
    );
    assert!(refused.is_err(), "a blue health code was accepted");
}
