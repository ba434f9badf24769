//! What only a lot on a server has: the command line with `--db
//! postgres://…`, TLS, a server that stops under a burst of actions and
//! comes back, change notices between laptops, and `migrate` between a file
//! and a server. Gates racing for bays over TCP are in `tests/race.rs`
//! (the same body on a file); the rules themselves run on PostgreSQL in
//! `tests/on_postgres.rs`.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use common::pg::{self, PgCluster};
use common::*;
use trucklot::domain::clock::FixedClock;
use trucklot::domain::policy::Policy;
use trucklot::ops::{self, ActionId, Ctx, OpError};
use trucklot::store::{Store, StoreError};

#[test]
fn every_command_runs_on_a_server_given_by_address() {
    let Some(cluster) = pg::shared() else { return };
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let url = cluster.new_database();
    let out = ok_at(h, &url, &["init"]);
    assert!(out.contains("1310 bays"), "{out}");
    // Twice is refused, and the lot is left as it is.
    let again = trucklot_at(h, &url, &["init"]).output().unwrap();
    assert_eq!(again.status.code(), Some(3), "{}", said(&again));
    assert!(said(&again).contains("already exists"), "{}", said(&again));

    ok_at(
        h,
        &url,
        &[
            "arrive",
            "晋D12345",
            "--driver",
            "张三",
            "--temp",
            "36.5",
            "--code",
            "green",
        ],
    );
    ok_at(h, &url, &["sample", "晋D12345", "antigen"]);
    ok_at(h, &url, &["result", "晋D12345", "antigen", "negative"]);
    ok_at(h, &url, &["move", "晋D12345", "P-10-10"]);
    assert!(ok_at(h, &url, &["show", "晋D12345"]).contains("P-10-10"));
    ok_at(h, &url, &["depart", "晋D12345"]);
    let status = ok_at(h, &url, &["status", "--json"]);
    assert!(status.contains("\"occupied\""), "{status}");
    let log = ok_at(h, &url, &["log"]);
    assert!(
        log.contains("晋D12345") && log.contains("departed"),
        "{log}"
    );
    let check = ok_at(h, &url, &["check"]);
    assert!(check.contains("ok: 5 events"), "{check}");
    ok_at(h, &url, &["report"]);
    ok_at(h, &url, &["clocks"]);
    ok_at(h, &url, &["isolation"]);

    // The environment names the server as well as --db does.
    let out = Command::new(assert_cmd::cargo::cargo_bin!("trucklot"))
        .env_clear()
        .env("HOME", h)
        .env("LANG", "C")
        .env("TRUCKLOT_DB", &url)
        .arg("status")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", said(&out));

    // What only a file has is refused with what to do instead.
    let backup = trucklot_at(h, &url, &["backup", "/tmp/never.db"])
        .output()
        .unwrap();
    assert_ne!(backup.status.code(), Some(0));
    assert!(said(&backup).contains("pg_dump"), "{}", said(&backup));

    // A database that is not there, and a server that is not there, are
    // said as such, without the engine's words for them.
    let missing = url.rsplit_once('/').unwrap().0.to_owned() + "/no_such_lot";
    let out = trucklot_at(h, &missing, &["status"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(
        said(&out).contains("no database 'no_such_lot'"),
        "{}",
        said(&out)
    );
    let out = trucklot_at(h, "postgres://postgres@127.0.0.1:1/lot", &["status"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(said(&out).contains("cannot be reached"), "{}", said(&out));
}

#[test]
fn a_password_is_never_shown() {
    let Some(cluster) = pg::shared() else { return };
    let home = tempfile::tempdir().unwrap();
    let url = cluster.new_database();
    // The test cluster trusts loopback: any password is accepted, and the
    // point is where it appears.
    let with_password = url.replacen("postgres@", "postgres:hunter2@", 1);
    let out = trucklot_at(home.path(), &with_password, &["init"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", said(&out));
    assert!(!said(&out).contains("hunter2"), "{}", said(&out));
    assert!(said(&out).contains("postgres:***@"), "{}", said(&out));
}

/// A password file others can read is passed over, as libpq does, and the
/// user is told once, in their language, when the lot is opened.
#[test]
fn a_password_file_others_can_read_is_ignored_and_said_so() {
    use std::os::unix::fs::PermissionsExt;
    let Some(cluster) = pg::shared() else { return };
    let home = tempfile::tempdir().unwrap();
    let url = cluster.new_database();
    ok_at(home.path(), &url, &["init"]);
    let file = home.path().join(".pgpass");
    std::fs::write(&file, "*:*:*:*:hunter2\n").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    for (lang, says) in [("en", "is ignored: others can read it"), ("zh", "未被使用")] {
        let out = trucklot_at(home.path(), &url, &["--lang", lang, "status"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", said(&out));
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.matches(".pgpass").count(), 1, "{err}");
        assert!(err.contains(says) && !err.contains("hunter2"), "{err}");
    }
}

#[test]
fn migrate_copies_a_lot_to_a_server_and_back() {
    let Some(cluster) = pg::shared() else { return };
    let mut lot = Lot::new();
    for n in 0..12 {
        lot.arrive(&format!("晋D1{n:04}"));
        lot.advance(chrono::Duration::minutes(3));
    }
    for n in 0..5 {
        lot.clear_and_depart(&format!("晋D1{n:04}"));
    }
    lot.advance(chrono::Duration::minutes(1));
    lot.exec_as("李", &trucklot::ops::Op::Purge { before: lot.now() })
        .unwrap();
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let file = lot.path.to_str().unwrap().to_owned();
    let url = cluster.new_database();
    let out = ok_at(h, &file, &["migrate", "--from", &file, "--to", &url]);
    assert!(out.contains("copied"), "{out}");
    assert_eq!(out.matches("state matches the log").count(), 2, "{out}");

    let back = h.join("back.db");
    let back = back.to_str().unwrap();
    ok_at(h, &url, &["migrate", "--from", &url, "--to", back]);
    // The three lots say the same, event for event.
    for args in [&["status", "--json"][..], &["log", "--json"][..]] {
        let a = ok_at(h, &file, args);
        assert_eq!(a, ok_at(h, &url, args), "{args:?}: file and server");
        assert_eq!(a, ok_at(h, back, args), "{args:?}: file and its copy back");
    }
    // New events on the server follow the copied ones.
    ok_at(
        h,
        &url,
        &["arrive", "晋D99999", "--temp", "36.5", "--code", "green"],
    );
    assert!(ok_at(h, &url, &["check"]).contains("ok"));

    // A target that already holds a lot is refused and left alone.
    let out = trucklot_at(h, &url, &["migrate", "--from", &file, "--to", &url])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", said(&out));
    assert!(ok_at(h, &url, &["log"]).contains("晋D99999"));
}

/// The server stops at once in the middle of a burst and starts again: the
/// gates reconnect by themselves, every acknowledged action is there once,
/// and retries made no duplicates.
#[test]
fn a_server_that_stops_mid_burst_loses_no_acknowledged_action_and_duplicates_none() {
    let Some(cluster) = PgCluster::start() else {
        return;
    };
    let url = cluster.new_database();
    Store::create(Path::new(&url), trucklot::domain::layout::DEFAULT_LAYOUT).unwrap();
    const GATES: usize = 2;
    const TRUCKS: usize = 60;
    let start = Arc::new(Barrier::new(GATES + 1));
    let gates: Vec<_> = (0..GATES)
        .map(|gate| {
            let (url, start) = (url.clone(), start.clone());
            std::thread::spawn(move || {
                let mut store = Store::open(Path::new(&url)).unwrap();
                let (clock, policy) = (FixedClock::new(t0()), Policy::default());
                let terminal = format!("gate-{gate}");
                let mut done = Vec::new();
                let mut retries = 0;
                start.wait();
                for n in 0..TRUCKS {
                    let op = arrive_op(arrival(&format!("晋B{gate}{n:04}")));
                    let id = ActionId::new();
                    let ctx = Ctx {
                        action: Some(&id),
                        operator: "tester",
                        terminal: &terminal,
                        clock: &clock,
                        policy: &policy,
                    };
                    let deadline = Instant::now() + Duration::from_secs(60);
                    loop {
                        match ops::execute(&mut store, &ctx, &op) {
                            Ok(_) | Err(OpError::AlreadyDone { .. }) => break,
                            Err(OpError::Store(
                                StoreError::Disconnected { .. } | StoreError::Busy,
                            )) => {
                                assert!(Instant::now() < deadline, "gate {gate} never got back");
                                retries += 1;
                                std::thread::sleep(Duration::from_millis(200));
                                // Not yet back is fine: the next round tries again.
                                let _ = store.reconnect();
                            }
                            Err(e) => panic!("gate {gate}, truck {n}: {e}"),
                        }
                    }
                    done.push(id.to_string());
                    std::thread::sleep(Duration::from_millis(20));
                }
                (done, retries)
            })
        })
        .collect();
    start.wait();
    std::thread::sleep(Duration::from_millis(600));
    cluster.crash();
    std::thread::sleep(Duration::from_millis(1500));
    cluster.start_again();
    let mut acknowledged = Vec::new();
    let mut retries = 0;
    for g in gates {
        let (done, r) = g.join().expect("a gate failed");
        acknowledged.extend(done);
        retries += r;
    }
    assert!(
        retries > 0,
        "the server stopped while nobody was writing: no fault was tested"
    );
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let recorded: BTreeSet<String> = client
        .query("SELECT id FROM actions", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(acknowledged.len(), GATES * TRUCKS);
    for id in &acknowledged {
        assert!(recorded.contains(id), "acknowledged {id} was lost");
    }
    let arrivals: i64 = client
        .query_one("SELECT count(*) FROM events WHERE kind = 'arrived'", &[])
        .unwrap()
        .get(0);
    assert_eq!(
        arrivals as usize,
        GATES * TRUCKS,
        "a retry recorded an arrival twice"
    );
    let mut store = Store::open(Path::new(&url)).unwrap();
    assert!(store.check().unwrap().ok());
}

#[test]
fn another_laptops_commit_is_heard_and_its_own_is_not() {
    let Some(cluster) = pg::shared() else { return };
    let url = cluster.new_database();
    let mut a = Store::create(Path::new(&url), trucklot::domain::layout::DEFAULT_LAYOUT).unwrap();
    let mut b = Store::open(Path::new(&url)).unwrap();
    assert!(b.changed().unwrap(), "the first answer is: changed");
    assert!(!b.changed().unwrap());
    exec_on(&mut a, "gate-1", &arrive_op(arrival("晋D12345"))).unwrap();
    // Delivered on commit; the socket may take a moment.
    let deadline = Instant::now() + Duration::from_secs(5);
    while !b.changed().unwrap() {
        assert!(
            Instant::now() < deadline,
            "the other laptop's commit was not heard"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    exec_on(&mut b, "gate-2", &arrive_op(arrival("晋D22222"))).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    assert!(!b.changed().unwrap(), "its own commit is not news");
    assert!(
        a.changed().unwrap() || {
            std::thread::sleep(Duration::from_millis(300));
            a.changed().unwrap()
        }
    );
}

/// `sslmode=require` over TCP to a server that takes nothing else: the
/// connection is encrypted (rustls), a root certificate given in
/// `PGSSLROOTCERT` verifies the server, and a wrong one is refused.
#[test]
fn tls_is_required_and_the_server_verified_when_a_root_is_given() {
    let Some((cluster, pem)) = PgCluster::start_tls() else {
        return;
    };
    let url = cluster.new_database();
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let tls = format!("{url}?sslmode=require");
    ok_at(h, &tls, &["init"]);
    assert!(ok_at(h, &tls, &["status"]).contains("total"));
    // Without TLS the server refuses: what worked above was encrypted.
    let plain = trucklot_at(h, format!("{url}?sslmode=disable"), &["status"])
        .output()
        .unwrap();
    assert_ne!(plain.status.code(), Some(0), "{}", said(&plain));
    assert!(said(&plain).contains("no encryption"), "{}", said(&plain));

    let root = h.join("root.crt");
    std::fs::write(&root, &pem).unwrap();
    let out = trucklot_at(h, &tls, &["status"])
        .env("PGSSLROOTCERT", &root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "verified against its root: {}",
        said(&out)
    );
    let other = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).unwrap();
    std::fs::write(&root, other.cert.pem()).unwrap();
    let out = trucklot_at(h, &tls, &["status"])
        .env("PGSSLROOTCERT", &root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", said(&out));
}

/// A login the server lets only read (a shift lead's reporting laptop):
/// every reading command works, a write is refused in words that say so,
/// and nothing is changed.
#[test]
fn a_login_that_may_only_read_reads_and_is_told_it_may_not_write() {
    let Some(cluster) = pg::shared() else { return };
    let (home, url, mut admin) = lot_with_a_truck(cluster);
    let h = home.path();
    let reader = reader_of(&mut admin, &url);
    assert!(ok_at(h, &reader, &["status"]).contains("total"));
    assert!(ok_at(h, &reader, &["log"]).contains("晋D12345"));
    refused_to_read_only(
        h,
        &reader,
        &["arrive", "晋D22222", "--temp", "36.5", "--code", "green"],
    );
    assert!(!ok_at(h, &url, &["log"]).contains("晋D22222"));
}

/// A lot made on a server by an earlier release (schema 11) is upgraded
/// in place, a step at a time, when a laptop of this one opens it: the rows stay, the rules
/// hold in their new shape, and `check` finds the state equal to its log.
#[test]
fn a_lot_of_the_release_before_is_upgraded_on_the_server() {
    let Some(cluster) = pg::shared() else { return };
    let (home, url, mut admin) = lot_with_a_truck(cluster);
    let h = home.path();
    // Schema 11 as that release wrote it.
    admin
        .batch_execute(
            "DROP INDEX bays_occupant;
             ALTER TABLE bays ADD CONSTRAINT bays_occupant_key UNIQUE (occupant);
             DROP INDEX occupancy_to;
             CREATE INDEX occupancy_to ON occupancy (to_at);
             DROP INDEX stays_forced_out;
             DROP INDEX stays_positive_on_site;
             ALTER TABLE stays DROP COLUMN positive_at;
             UPDATE meta SET value = '11' WHERE key = 'schema_version';",
        )
        .unwrap();
    // A login that may only read cannot upgrade it, and is told so.
    let reader = reader_of(&mut admin, &url);
    refused_to_read_only(h, &reader, &["status"]);
    let status = ok_at(h, &url, &["status"]);
    assert!(status.contains("total"), "{status}");
    // Upgraded by a gate, the lot reads for the reader again.
    assert!(ok_at(h, &reader, &["status"]).contains("total"));
    let shape = |c: &mut postgres::Client| -> (String, i64, i64, String, String) {
        let r = c
            .query_one(
                "SELECT (SELECT value FROM meta WHERE key = 'schema_version'),
                        (SELECT count(*) FROM pg_constraint WHERE conname = 'bays_occupant_key'),
                        (SELECT count(*) FROM bays WHERE occupant IS NOT NULL),
                        (SELECT indexdef FROM pg_indexes WHERE indexname = 'occupancy_to'),
                        (SELECT indexdef FROM pg_indexes WHERE indexname = 'stays_forced_out')",
                &[],
            )
            .unwrap();
        (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4))
    };
    let (version, old_rule, taken, to_index, forced_index) = shape(&mut admin);
    assert_eq!(version, "15");
    assert!(
        forced_index.contains("WHERE (forced_reason IS NOT NULL)"),
        "{forced_index}"
    );
    assert_eq!(old_rule, 0, "the rule is the partial index now");
    assert_eq!(taken, 1, "the truck is still in its bay");
    assert!(to_index.contains("WHERE (to_at IS NOT NULL)"), "{to_index}");
    // The rule still holds: one bay per truck.
    let refused = admin
        .execute(
            "UPDATE bays SET occupant = (SELECT occupant FROM bays WHERE occupant IS NOT NULL)
              WHERE id = 'P-20-20'",
            &[],
        )
        .unwrap_err();
    assert_eq!(
        refused.code(),
        Some(&postgres::error::SqlState::UNIQUE_VIOLATION),
        "{refused}"
    );
    assert!(ok_at(h, &url, &["check"]).contains("state matches"));
    // Opened again: nothing more to do.
    ok_at(h, &url, &["status"]);
    assert_eq!(shape(&mut admin).0, "15");
}

/// A new lot on `cluster` with one truck on it, made by the program; the
/// home it ran in, the lot's address, and a connection as its owner.
fn lot_with_a_truck(cluster: &PgCluster) -> (tempfile::TempDir, String, postgres::Client) {
    let home = tempfile::tempdir().unwrap();
    let url = cluster.new_database();
    ok_at(home.path(), &url, &["init"]);
    ok_at(
        home.path(),
        &url,
        &["arrive", "晋D12345", "--temp", "36.5", "--code", "green"],
    );
    let admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    (home, url, admin)
}

/// `args` run by a login that may only read: exit 3, in words that say so.
fn refused_to_read_only(home: &Path, reader: &str, args: &[&str]) {
    let out = trucklot_at(home, reader, args).output().unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", said(&out));
    assert!(
        said(&out).contains("does not let this login write"),
        "{}",
        said(&out)
    );
}

/// A login that may only read this lot's tables (made once per cluster):
/// the lot's address for it.
fn reader_of(admin: &mut postgres::Client, url: &str) -> String {
    admin
        .batch_execute(
            "DO $$ BEGIN
                 IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'reader') THEN
                     CREATE ROLE reader LOGIN;
                 END IF;
             END $$;
             GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader;",
        )
        .unwrap();
    url.replacen("postgres@", "reader@", 1)
}
