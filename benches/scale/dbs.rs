//! The lots the benchmarks read: simulated seasons made once by the real
//! `trucklot simulate` (every event through the same operations as a gate)
//! and kept under `target/scale/db/`, named by their size and seed, so a
//! rerun starts at once. A file is written under a temporary name and
//! renamed when whole: an interrupted generation leaves nothing cached.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::process;

/// The seed of every simulated lot: the same seed, the same lot.
pub const SEED: u64 = 7;

/// One simulated lot.
#[derive(Debug, Clone)]
pub struct Spec {
    /// Its name in tables, the chart and the cache.
    pub name: &'static str,
    pub days: u32,
    /// Arrivals per day; `None` for `simulate`'s default.
    pub trucks_per_day: Option<u32>,
}

/// A lot on disk, with how many events its log holds.
#[derive(Debug, Clone)]
pub struct Lot {
    pub spec: Spec,
    pub path: PathBuf,
    pub events: i64,
}

pub fn cache_dir() -> PathBuf {
    let dir = super::target_dir().join("scale").join("db");
    std::fs::create_dir_all(&dir).expect("create the database cache");
    dir
}

/// The lot of `spec`, generated first if it is not cached yet.
pub fn lot(bin: &Path, spec: &Spec) -> Lot {
    let tpd = spec
        .trucks_per_day
        .map(|k| format!("-k{k}"))
        .unwrap_or_default();
    let path = cache_dir().join(format!(
        "{}-d{}{tpd}-seed{SEED}-sim.db",
        spec.name, spec.days
    ));
    if !path.exists() {
        generate(bin, spec, &path);
    }
    // Opened once by this build (a newer schema migrates here, not in a
    // timed run).
    process::run(bin, &["--db", path_str(&path), "status"]);
    let events = event_count(&path);
    Lot {
        spec: spec.clone(),
        path,
        events,
    }
}

fn generate(bin: &Path, spec: &Spec, path: &Path) {
    let tmp = path.with_extension("partial");
    for p in [
        tmp.clone(),
        tmp.with_extension("partial-wal"),
        tmp.with_extension("partial-shm"),
    ] {
        let _ = std::fs::remove_file(p);
    }
    let days = spec.days.to_string();
    let seed = SEED.to_string();
    let tpd = spec.trucks_per_day.map(|k| k.to_string());
    let mut args = vec![
        "--db",
        path_str(&tmp),
        "simulate",
        "--days",
        &days,
        "--seed",
        &seed,
        "--start",
        "2026-05-01",
    ];
    if let Some(k) = &tpd {
        args.extend(["--trucks-per-day", k]);
    }
    eprintln!("scale: generating {} ({} days)…", spec.name, spec.days);
    let t = Instant::now();
    process::run(bin, &args);
    std::fs::rename(&tmp, path).expect("put the generated lot in place");
    eprintln!(
        "scale: {} generated in {:.0} s: {} events",
        spec.name,
        t.elapsed().as_secs_f64(),
        event_count(path)
    );
}

pub fn event_count(path: &Path) -> i64 {
    let conn = rusqlite::Connection::open(path).expect("open the lot");
    conn.query_row("SELECT count(*) FROM events", [], |r| r.get(0))
        .expect("count events")
}

pub fn path_str(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}
