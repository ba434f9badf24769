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
    // Which generator made it is part of the name: a lot made from demo
    // windows is never taken for a simulated one.
    let how = if has_simulate(bin) { "sim" } else { "demo" };
    let path = cache_dir().join(format!(
        "{}-d{}{tpd}-seed{SEED}-{how}.db",
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
    if !has_simulate(bin) {
        demo_windows(spec, &tmp);
        std::fs::rename(&tmp, path).expect("put the generated lot in place");
        return;
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
        "2026-09-01",
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

/// Whether this build has `trucklot simulate` (it is being written on
/// another branch).
pub fn has_simulate(bin: &Path) -> bool {
    std::process::Command::new(bin)
        .args(["simulate", "--help"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Until `simulate` exists: the demo's 12-hour windows back to back, two a
/// day, each through the real operations. The demo leaves its last trucks
/// on site, so before the next window every truck that may leave is sent
/// out (forced where its tests are still out; a positive truck stays, as
/// the rules say). The log this makes has those forced departures in it,
/// which a real season would not.
fn demo_windows(spec: &Spec, path: &Path) {
    use trucklot::domain::clock::FixedClock;
    use trucklot::domain::layout::DEFAULT_LAYOUT;
    use trucklot::domain::policy::Policy;
    use trucklot::ops::{self, Ctx, Op};
    use trucklot::store::Store;

    eprintln!(
        "scale: `simulate` is not in this build: {} from {} demo windows",
        spec.name,
        spec.days * 2
    );
    let t = Instant::now();
    // The windows are the same whatever the length: a longer lot goes on
    // from the longest shorter one already cached.
    let done = shorter_lot(spec).map_or(0, |(days, from)| {
        std::fs::copy(&from, path).expect("copy the shorter lot");
        eprintln!("scale: going on from {} ({days} days)", from.display());
        days
    });
    let mut store = if done > 0 {
        Store::open(path).expect("open the shorter lot")
    } else {
        Store::create(path, DEFAULT_LAYOUT).expect("create the lot")
    };
    let policy = Policy::default();
    let trucks = spec.trucks_per_day.map_or_else(
        || trucklot::demo::default_trucks(store.layout()),
        |k| k as usize / 2,
    );
    let start = chrono::DateTime::parse_from_rfc3339("2026-09-01T00:00:00Z")
        .expect("start")
        .with_timezone(&chrono::Utc);
    for w in done * 2..spec.days * 2 {
        let end = start + chrono::Duration::hours(12 * (w as i64 + 1));
        trucklot::demo::populate(&mut store, &policy, trucks, SEED + w as u64, end)
            .expect("a demo window");
        let clock = FixedClock::new(end);
        let ctx = Ctx {
            operator: "night-shift",
            terminal: "gate-2",
            clock: &clock,
            policy: &policy,
        };
        let on_site: Vec<_> = store
            .lot()
            .expect("the lot")
            .bays
            .into_iter()
            .filter_map(|b| b.occupant.map(|o| o.plate))
            .collect();
        for plate in on_site {
            // Refused (a positive result): it stays, as on a real lot.
            let _ = ops::execute(
                &mut store,
                &ctx,
                &Op::Depart {
                    plate,
                    force_reason: Some("end of the simulated shift".into()),
                },
            );
        }
    }
    drop(store);
    eprintln!(
        "scale: {} generated in {:.0} s: {} events",
        spec.name,
        t.elapsed().as_secs_f64(),
        event_count(path)
    );
}

/// The longest cached demo lot of fewer days than `spec`, and its days.
fn shorter_lot(spec: &Spec) -> Option<(u32, PathBuf)> {
    (1..spec.days).rev().find_map(|days| {
        let tpd = spec
            .trucks_per_day
            .map(|k| format!("-k{k}"))
            .unwrap_or_default();
        let name_end = format!("-d{days}{tpd}-seed{SEED}-demo.db");
        std::fs::read_dir(cache_dir())
            .ok()?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.ends_with(&name_end))
            })
            .map(|p| (days, p))
    })
}

pub fn event_count(path: &Path) -> i64 {
    let conn = rusqlite::Connection::open(path).expect("open the lot");
    conn.query_row("SELECT count(*) FROM events", [], |r| r.get(0))
        .expect("count events")
}

pub fn path_str(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}
