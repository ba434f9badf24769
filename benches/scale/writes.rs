//! Writes that wait for the disk: one durable gate action (an arrival into
//! its bay, through `ops::execute`, `synchronous=FULL`) against one bare
//! `INSERT` commit with the same pragmas in the same directory; and the
//! simulation's throughput against plain inserts of the same event rows in
//! one transaction.

use std::path::Path;
use std::time::Duration;

use chrono::Utc;
use rusqlite::Connection;
use trucklot::domain::clock::SystemClock;
use trucklot::domain::event::ArrivalRecord;
use trucklot::domain::plate::Plate;
use trucklot::domain::policy::{Cargo, HealthCode, Policy, Temperature};
use trucklot::ops::{self, Ctx, Op};
use trucklot::store::Store;

use super::dbs::{self, path_str};
use super::process;
use super::stats::{self, Paired};

/// A copy of `lot` to write on, on the ordinary disk beside the cache.
pub fn scratch_copy(lot: &Path, name: &str) -> std::path::PathBuf {
    let dir = super::target_dir().join("scale").join("tmp");
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let to = dir.join(name);
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", to.display()));
    }
    std::fs::copy(lot, &to).expect("copy the lot");
    to
}

fn arrival(n: usize) -> ArrivalRecord {
    ArrivalRecord {
        plate: Plate::parse(&format!("陕Z{:05}", n % 100_000)).expect("plate"),
        driver: Some("张师傅".into()),
        phone: None,
        cargo: Cargo::Other,
        origin: Some("太原".into()),
        destination: Some("长治".into()),
        temperature: Some(Temperature::new(36.6).expect("temperature")),
        code: Some(HealthCode::Green),
        travel_flag: false,
        handoff_required: false,
        passengers: vec![],
        gate: Some("east".into()),
        venue_code: Some(true),
    }
}

/// Untimed arrivals and departures before the gate action is measured.
const WARM_GATE_ACTIONS: usize = 40;
/// Untimed bare inserts before the baseline is measured.
const WARM_BARE_INSERTS: usize = 600;

/// One arrival (checks, suggested bay, event, projection, fsync) against one
/// bare `INSERT` commit. Each arrival's truck leaves again, untimed, so the
/// lot stays as full as it was.
pub fn gate_action(lot: &Path, runs: usize) -> Paired {
    let path = scratch_copy(lot, "gate.db");
    let bare_path = path.with_file_name("bare.db");
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", bare_path.display()));
    }
    let bare = Connection::open(&bare_path).expect("bare db");
    bare.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;
         CREATE TABLE t (id INTEGER PRIMARY KEY, at TEXT NOT NULL, details TEXT NOT NULL);",
    )
    .expect("bare schema");
    let mut insert = bare
        .prepare("INSERT INTO t (at, details) VALUES (?1, ?2)")
        .expect("prepare");
    let mut store = Store::open(&path).expect("open the copy");
    let clock = SystemClock;
    let policy = Policy::default();
    let ctx = Ctx {
        operator: "bench",
        terminal: "gate-1",
        clock: &clock,
        policy: &policy,
        action: None,
    };
    let mut n = 0usize;
    let mut bare_commit = || {
        stats::time(|| {
            insert
                .execute((Utc::now().to_rfc3339(), "{\"arrived\":\"陕Z00000\"}"))
                .expect("insert");
        })
    };
    let mut gate = || {
        n += 1;
        let a = arrival(n);
        let plate = a.plate.clone();
        let t = stats::time(|| {
            ops::execute(
                &mut store,
                &ctx,
                &Op::Arrive {
                    arrival: a,
                    bay: None,
                    override_reason: None,
                },
            )
            .expect("arrive");
        });
        ops::execute(
            &mut store,
            &ctx,
            &Op::Depart {
                plate,
                force_reason: Some("bench: leaves at once".into()),
            },
        )
        .expect("depart");
        t
    };
    // Steady state first, untimed, as at a gate open for a while: each
    // side writes until its write-ahead log has passed SQLite's automatic
    // checkpoint (1,000 pages) and begun again from its start, so both
    // sides' commits overwrite the log's blocks instead of growing a new
    // file (an arrival and departure write about 50 pages, a bare insert 2).
    for _ in 0..WARM_GATE_ACTIONS {
        gate();
    }
    for _ in 0..WARM_BARE_INSERTS {
        bare_commit();
    }
    let paired = stats::paired(runs, bare_commit, gate);
    drop(insert);
    drop(bare);
    paired
}

/// Events per second of `trucklot simulate --days N` (the whole process)
/// against inserting the same event rows in one transaction into a table of
/// the same columns, with the pragmas the simulation uses.
#[derive(Debug, Clone, Copy)]
pub struct Throughput {
    pub events: i64,
    /// Events per second, medians of the runs.
    pub simulate: f64,
    pub inserts: f64,
    pub runs: usize,
}

pub fn simulate(bin: &Path, days: u32, runs: usize) -> Throughput {
    let dir = super::target_dir().join("scale").join("tmp");
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let sim = dir.join("simulate.db");
    let plain = dir.join("plain.db");
    let clean = |p: &Path| {
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", p.display()));
        }
    };
    let days_arg = days.to_string();
    let seed = dbs::SEED.to_string();
    let run_sim = || {
        clean(&sim);
        process::run(
            bin,
            &[
                "--db",
                path_str(&sim),
                "simulate",
                "--days",
                &days_arg,
                "--seed",
                &seed,
                "--start",
                "2026-09-01",
            ],
        )
        .wall
    };
    // Once untimed, for the rows the baseline inserts.
    run_sim();
    let rows = read_rows(&sim);
    let p = stats::paired(
        runs,
        || {
            clean(&plain);
            plain_inserts(&plain, &rows)
        },
        run_sim,
    );
    let events = rows.len() as i64;
    Throughput {
        events,
        simulate: events as f64 / p.measured.as_secs_f64(),
        inserts: events as f64 / p.baseline.as_secs_f64(),
        runs,
    }
}

type Row = (
    i64,
    String,
    String,
    String,
    String,
    Option<i64>,
    Option<String>,
    Option<String>,
    String,
);

fn read_rows(path: &Path) -> Vec<Row> {
    let conn = Connection::open(path).expect("open the simulated lot");
    let mut st = conn
        .prepare("SELECT id, at, operator, terminal, kind, stay, bay, zone, details FROM events ORDER BY id")
        .expect("prepare");
    st.query_map([], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
            r.get(7)?,
            r.get(8)?,
        ))
    })
    .expect("query")
    .collect::<rusqlite::Result<_>>()
    .expect("rows")
}

fn plain_inserts(path: &Path, rows: &[Row]) -> Duration {
    stats::time(|| {
        let mut conn = Connection::open(path).expect("plain db");
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
             CREATE TABLE events (id INTEGER PRIMARY KEY, at TEXT NOT NULL, operator TEXT NOT NULL,
                 terminal TEXT NOT NULL, kind TEXT NOT NULL, stay INTEGER, bay TEXT, zone TEXT,
                 details TEXT NOT NULL);",
        )
        .expect("schema");
        let tx = conn.transaction().expect("begin");
        {
            let mut ins = tx
                .prepare("INSERT INTO events VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
                .expect("prepare");
            for r in rows {
                ins.execute(rusqlite::params![
                    r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7, r.8
                ])
                .expect("insert");
            }
        }
        tx.commit().expect("commit");
    })
}
