//! `simulate` and `demo` end to end, and the store pieces they stand on.
//! The real binary on a temporary directory: two simulated days pass
//! `check` and keep parking below capacity; the same seed gives the same
//! log; an existing file is refused and left byte for byte unchanged; bad
//! `--days` is refused with nothing created; the progress bar keeps quiet
//! when stderr is not a terminal. In the library: a draft that finds its
//! target taken is refused and leaves nothing, and a bulk load rolls back
//! a refused operation alone and a failed load whole. No timings.

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;
use trucklot::domain::layout::DEFAULT_LAYOUT;
use trucklot::ops::{self, Ctx, OpError};
use trucklot::store::{Store, StoreError};

struct Dir {
    dir: TempDir,
}

impl Dir {
    fn new() -> Dir {
        Dir {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn cmd(&self, db: &Path, args: &[&str]) -> Command {
        Command::from_std(common::trucklot_at(self.dir.path(), db, args))
    }

    /// Runs and expects success; returns stdout, and checks stderr is empty.
    fn ok(&self, db: &Path, args: &[&str]) -> String {
        let out = self.cmd(db, args).output().expect("run");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?} failed: {err}");
        assert!(err.is_empty(), "{args:?} wrote to stderr: {err:?}");
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    /// Runs and expects exit `code`; returns the one stderr line.
    fn fails(&self, db: &Path, args: &[&str], code: i32) -> String {
        let out = self.cmd(db, args).output().expect("run");
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?} printed to stdout");
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        err
    }

    /// Every file in the directory (partial files included).
    fn files(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }
}

/// Two days in March 2026 at a small daily traffic.
const TWO_DAYS: [&str; 7] = [
    "simulate",
    "--days",
    "2",
    "--start",
    "2026-03-01",
    "--trucks-per-day",
    "300",
];

#[test]
fn two_days_pass_check_and_keep_parking_below_capacity() {
    let d = Dir::new();
    let db = d.path("season.db");
    // The default traffic: 1,500 trucks a day.
    let args = ["simulate", "--days", "2", "--start", "2026-03-01", "--json"];
    let out: Value = serde_json::from_str(&d.ok(&db, &args)).unwrap();
    assert_eq!(out["days"], 2);
    assert_eq!(out["start"], "2026-03-01 00:00");
    assert_eq!(out["end"], "2026-03-03 00:00");
    assert_eq!(out["trucks_per_day"], 1500);
    assert_eq!(out["stays"], 3000, "{out}");
    let events = out["events"].as_i64().unwrap();
    assert!(events > 3000 * 4, "{out}");
    let peak = out["peak_parking"].as_u64().unwrap();
    let capacity = out["parking_capacity"].as_u64().unwrap();
    assert!(peak > 0 && peak < capacity * 6 / 10, "{out}");
    assert!(out["departures"].as_u64().unwrap() > 2400, "{out}");
    // How full parking is over the second day, every other hour (site
    // time), as the README says a demo looks: about a third on average,
    // a sixth before dawn, half in the evening.
    let parked: Vec<(u32, f64)> = (0..24)
        .step_by(2)
        .map(|h| {
            let at: Value = serde_json::from_str(
                &d.ok(&db, &["at", &format!("2026-03-02 {h:02}:30"), "--json"]),
            )
            .unwrap();
            let zone = at["zones"]
                .as_array()
                .unwrap()
                .iter()
                .find(|z| z["zone"] == "parking")
                .unwrap();
            let share = zone["occupied"].as_f64().unwrap() / zone["capacity"].as_f64().unwrap();
            (h, share)
        })
        .collect();
    let average = parked.iter().map(|(_, s)| s).sum::<f64>() / parked.len() as f64;
    let (low_h, low) = parked
        .iter()
        .cloned()
        .fold((0, 1.0), |a, b| if b.1 < a.1 { b } else { a });
    let (high_h, high) = parked
        .iter()
        .cloned()
        .fold((0, 0.0), |a, b| if b.1 > a.1 { b } else { a });
    assert!((0.28..0.40).contains(&average), "{parked:?}");
    assert!(
        (0.10..0.24).contains(&low) && (2..=8).contains(&low_h),
        "{parked:?}"
    );
    assert!(
        (0.42..0.60).contains(&high) && (14..=20).contains(&high_h),
        "{parked:?}"
    );
    // The file holds what was said, and its state is its log's replay.
    let check = d.ok(&db, &["check"]);
    assert_eq!(
        check.trim(),
        format!("ok: {events} events, state matches the log")
    );
    // Every kind of traffic the season promises happened.
    let log: Value =
        serde_json::from_str(&d.ok(&db, &["log", "--json", "--limit", "100000"])).unwrap();
    let kinds: std::collections::BTreeSet<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    for kind in [
        "arrived",
        "sample_taken",
        "result_recorded",
        "isolated",
        "released",
        "escalated",
        "handoff_started",
        "handoff_completed",
        "handoff_confirmed",
        "service_requested",
        "service_done",
        "disinfected",
        "bay_closed",
        "bay_opened",
        "moved",
        "departed",
    ] {
        assert!(kinds.contains(kind), "no {kind} in two days: {kinds:?}");
    }
    // Trucks leave by the rules: no departure had to be forced (a truck
    // that must hand over its cargo does so first, even after isolation).
    let forced: Vec<&Value> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "departed" && !e["details"]["forced"].is_null())
        .collect();
    assert!(forced.is_empty(), "{forced:?}");
    // Only the database is left in the directory: no partial file.
    assert_eq!(d.files(), ["season.db"]);
}

#[test]
fn the_summary_is_one_line_and_the_bar_keeps_quiet_off_a_terminal() {
    let d = Dir::new();
    let db = d.path("s.db");
    let args = [
        "simulate",
        "--days",
        "1",
        "--start",
        "2026-03-01",
        "--trucks-per-day",
        "50",
    ];
    // `ok` asserts that stderr (not a terminal here) stayed empty.
    let out = d.ok(&db, &args);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.starts_with("simulated 1 days: "), "{out}");
    assert!(
        out.contains(" stays, ") && out.contains("events/s"),
        "{out}"
    );
}

#[test]
fn the_same_seed_gives_the_same_log_and_another_seed_another() {
    let d = Dir::new();
    let log = |name: &str, seed: &str| -> String {
        let db = d.path(name);
        let mut args = TWO_DAYS.to_vec();
        args.extend(["--seed", seed]);
        d.ok(&db, &args);
        d.ok(&db, &["log", "--json", "--limit", "100000"])
    };
    let a = log("a.db", "7");
    let b = log("b.db", "7");
    assert!(a.len() > 10_000);
    assert_eq!(a, b, "the same seed gave two logs");
    let c = log("c.db", "8");
    assert_ne!(a, c);
}

#[test]
fn an_existing_file_is_refused_and_left_unchanged() {
    let d = Dir::new();
    let db = d.path("lot.db");
    d.ok(&db, &["init"]);
    d.ok(
        &db,
        &["arrive", "晋D12345", "--temp", "36.5", "--code", "green"],
    );
    let before = std::fs::read(&db).unwrap();
    for args in [
        vec!["simulate", "--days", "1", "--trucks-per-day", "20"],
        vec!["demo", "--trucks", "20"],
    ] {
        let err = d.fails(&db, &args, 1);
        assert!(
            err.contains("already exists and was left unchanged"),
            "{err}"
        );
        assert_eq!(
            std::fs::read(&db).unwrap(),
            before,
            "{args:?} changed the file"
        );
    }
    assert_eq!(
        d.ok(&db, &["check"]).trim(),
        "ok: 1 events, state matches the log"
    );
    // An empty lot is a file too: never replaced, never added to.
    let empty = d.path("empty.db");
    d.ok(&empty, &["init"]);
    let before = std::fs::read(&empty).unwrap();
    d.fails(&empty, &["simulate", "--days", "1"], 1);
    assert_eq!(std::fs::read(&empty).unwrap(), before);
    // Nothing else was left beside them.
    assert_eq!(d.files(), ["empty.db", "lot.db"]);
}

#[test]
fn bad_days_are_refused_with_nothing_created() {
    let d = Dir::new();
    let db = d.path("season.db");
    for days in ["0", "-3", "100000", "367", "ninety", "2.5", ""] {
        let arg = format!("--days={days}");
        let err = d.fails(&db, &["simulate", &arg], 2);
        assert!(err.contains("--days"), "{days}: {err}");
        assert!(err.contains("from 1 to 366"), "{days}: {err}");
    }
    // Written apart from its value, a negative number is still a value.
    let err = d.fails(&db, &["simulate", "--days", "-3"], 2);
    assert!(err.contains("'-3' is not a number of days"), "{err}");
    let err = d.fails(&db, &["simulate"], 2);
    assert!(err.contains("--days"), "{err}");
    for tpd in ["0", "3001", "many"] {
        let err = d.fails(
            &db,
            &["simulate", "--days", "1", "--trucks-per-day", tpd],
            2,
        );
        assert!(err.contains("--trucks-per-day"), "{tpd}: {err}");
    }
    let err = d.fails(
        &db,
        &["simulate", "--days", "1", "--start", "2026-02-30"],
        2,
    );
    assert!(err.contains("not a date"), "{err}");
    // A season may not run into days that have not happened.
    let err = d.fails(
        &db,
        &["simulate", "--days", "3", "--start", "2099-01-01"],
        2,
    );
    assert!(err.contains("past yesterday"), "{err}");
    assert!(d.files().is_empty(), "{:?}", d.files());
}

#[test]
fn simulate_and_demo_never_write_the_default_database() {
    let d = Dir::new();
    for args in [["simulate", "--days", "1"], ["demo", "--trucks", "5"]] {
        let out = Command::new(assert_cmd::cargo::cargo_bin!("trucklot"))
            .env_clear()
            .env("HOME", d.dir.path())
            .env("XDG_DATA_HOME", d.path("data"))
            .env("LANG", "C")
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("--db"));
    }
    assert!(!d.path("data").exists());
}

#[test]
fn demo_writes_three_days_up_to_now_and_passes_check() {
    let d = Dir::new();
    let db = d.path("demo.db");
    let out = d.ok(&db, &["demo", "--trucks", "150", "--seed", "3"]);
    assert!(
        out.starts_with("demo: 3 days of traffic up to now"),
        "{out}"
    );
    assert!(out.contains("parking"), "{out}");
    assert!(d.ok(&db, &["check"]).starts_with("ok: "));
    // The oldest event is about three days old, the newest recent.
    let log: Value =
        serde_json::from_str(&d.ok(&db, &["log", "--json", "--limit", "100000"])).unwrap();
    let times: Vec<chrono::DateTime<chrono::Utc>> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["at"].as_str().unwrap().parse().unwrap())
        .collect();
    let (newest, oldest) = (times[0], times[times.len() - 1]);
    let span = newest - oldest;
    assert!(span > chrono::Duration::hours(60), "{span}");
    assert!(span <= chrono::Duration::days(3), "{span}");
}

/// A file that appears at the target while a draft is filled is never
/// replaced: publishing is refused and the draft removed.
#[test]
fn a_draft_never_replaces_a_file_that_appeared_meanwhile() {
    let d = Dir::new();
    let target = d.path("lot.db");
    let mut draft = Store::draft(&target, DEFAULT_LAYOUT).unwrap();
    assert!(!target.exists(), "a draft is not at its target");
    assert_ne!(draft.store().path(), target.as_path());
    std::fs::write(&target, b"someone else's file").unwrap();
    match draft.publish() {
        Err(StoreError::AlreadyExists { .. }) => {}
        other => panic!("published over a file: {other:?}"),
    }
    assert_eq!(std::fs::read(&target).unwrap(), b"someone else's file");
    assert_eq!(d.files(), ["lot.db"], "the draft was left behind");
    // Dropped without publishing: nothing at all.
    let other = d.path("other.db");
    drop(Store::draft(&other, DEFAULT_LAYOUT).unwrap());
    assert_eq!(d.files(), ["lot.db"]);
    // Published: at the target, complete, and the temporary name gone.
    let mut draft = Store::draft(&other, DEFAULT_LAYOUT).unwrap();
    let ctx_clock = trucklot::domain::clock::FixedClock::new(common::t0());
    let policy = trucklot::domain::policy::Policy::default();
    let ctx = Ctx {
        action: None,
        operator: "tester",
        terminal: "gate-1",
        clock: &ctx_clock,
        policy: &policy,
    };
    ops::execute(
        draft.store(),
        &ctx,
        &common::arrive_op(common::arrival("晋D12345")),
    )
    .unwrap();
    let store = draft.publish().unwrap();
    assert_eq!(store.path(), other.as_path());
    assert_eq!(store.event_count().unwrap(), 1);
    drop(store);
    assert_eq!(d.files(), ["lot.db", "other.db"]);
}

/// Inside a bulk load, a refused operation rolls back alone; a load that
/// fails rolls back whole; outside one, every operation is its own.
#[test]
fn a_bulk_load_keeps_the_good_operations_and_drops_a_failed_load() {
    let d = Dir::new();
    let clock = trucklot::domain::clock::FixedClock::new(common::t0());
    let policy = trucklot::domain::policy::Policy::default();
    let ctx = Ctx {
        action: None,
        operator: "tester",
        terminal: "gate-1",
        clock: &clock,
        policy: &policy,
    };
    let mut store = Store::create(&d.path("lot.db"), DEFAULT_LAYOUT).unwrap();
    let arrive = |p: &str| common::arrive_op(common::arrival(p));
    store
        .bulk(|s| -> Result<(), OpError> {
            ops::execute(s, &ctx, &arrive("晋D00001"))?;
            // The same plate again: refused, and only this one is undone.
            let again = ops::execute(s, &ctx, &arrive("晋D00001"));
            assert!(matches!(again, Err(OpError::Refused(_))), "{again:?}");
            ops::execute(s, &ctx, &arrive("晋D00002"))?;
            Ok(())
        })
        .unwrap();
    assert_eq!(store.event_count().unwrap(), 2);
    let failed: Result<(), OpError> = store.bulk(|s| {
        ops::execute(s, &ctx, &arrive("晋D00003"))?;
        Err(OpError::Invalid("stop".into()))
    });
    assert!(failed.is_err());
    assert_eq!(store.event_count().unwrap(), 2, "a failed load left events");
    // After a load, writes are their own transactions again.
    ops::execute(&mut store, &ctx, &arrive("晋D00004")).unwrap();
    assert_eq!(store.event_count().unwrap(), 3);
    assert!(store.check().unwrap().ok());
}
