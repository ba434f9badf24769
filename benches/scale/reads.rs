//! Reads on a long log, in process: a page of the event log with each
//! filter, search over the trucks that ever came (100,000 plates), and the
//! whole-process reads (`status`, `clocks`, `isolation`, `check`, the
//! interface's first frame) against the `sqlite3` shell.

use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, Utc};
use trucklot::domain::bay::Zone;
use trucklot::domain::event::StayId;
use trucklot::domain::plate::Plate;
use trucklot::store::{DepartedPlate, LogFilter, Store};
use trucklot::tui::screens::search::search_hits;

use super::dbs::path_str;
use super::process::{self, Run};
use super::stats::{self, Paired};

/// The page the interface asks for (a full screen of rows and one more).
pub const PAGE: usize = 41;

/// The filters of the log, each with a value the lot really has, picked
/// from the middle of its log.
pub fn filters(store: &Store) -> Vec<(&'static str, LogFilter)> {
    let total = store.event_count().expect("count");
    let mid = store
        .log(&LogFilter {
            before: Some(total / 2),
            limit: Some(200),
            ..LogFilter::default()
        })
        .expect("the middle of the log");
    let with_plate = mid
        .iter()
        .find(|e| e.plate.is_some())
        .expect("a truck's event");
    let with_bay = mid.iter().find(|e| e.bay.is_some()).expect("a bay's event");
    let at = with_plate.at;
    let page = |f: LogFilter| LogFilter {
        limit: Some(PAGE),
        ..f
    };
    vec![
        ("none", page(LogFilter::default())),
        (
            "plate",
            page(LogFilter {
                plate: with_plate.plate.clone(),
                ..LogFilter::default()
            }),
        ),
        (
            "bay",
            page(LogFilter {
                bay: with_bay.bay.clone(),
                ..LogFilter::default()
            }),
        ),
        (
            "zone",
            page(LogFilter {
                zone: Some(Zone::Isolation),
                ..LogFilter::default()
            }),
        ),
        (
            "kind",
            page(LogFilter {
                kind: Some("result_recorded".into()),
                ..LogFilter::default()
            }),
        ),
        (
            "operator",
            page(LogFilter {
                operator: Some(with_plate.operator.clone()),
                ..LogFilter::default()
            }),
        ),
        (
            "terminal",
            page(LogFilter {
                terminal: Some(with_plate.terminal.clone()),
                ..LogFilter::default()
            }),
        ),
        (
            "since+until",
            page(LogFilter {
                since: Some(at - chrono::Duration::hours(6)),
                until: Some(at),
                ..LogFilter::default()
            }),
        ),
        (
            "older page",
            page(LogFilter {
                before: Some(total / 2),
                ..LogFilter::default()
            }),
        ),
    ]
}

/// The median time of one page with `filter`.
pub fn log_page(store: &Store, filter: &LogFilter, runs: usize) -> Duration {
    stats::alone(runs, || {
        stats::time(|| {
            let page = store.log(filter).expect("log page");
            std::hint::black_box(page);
        })
    })
}

/// `/` search as the interface runs it, over the trucks on site and
/// `plates` trucks that left (the lot's own, then made-up ones up to that
/// many). Returns the median and how many plates were searched.
pub fn search(store: &Store, plates: usize, runs: usize) -> (Duration, usize) {
    let lot = store.lot().expect("lot");
    let mut departed = store.departed_plates().expect("departed");
    let at: DateTime<Utc> = departed.first().map_or_else(Utc::now, |d| d.departed_at);
    let mut n = 0usize;
    while departed.len() < plates {
        n += 1;
        let text = format!("豫{}{:05}", ['A', 'B', 'C', 'E', 'F'][n % 5], n % 100_000);
        if let Ok(plate) = Plate::parse(&text) {
            departed.push(DepartedPlate {
                plate,
                stay: StayId(-(n as i64)),
                departed_at: at,
            });
        }
    }
    departed.truncate(plates);
    let layout = store.layout().clone();
    let d = stats::alone(runs, || {
        stats::time(|| {
            for q in ["D123", "jinD12", "P-10"] {
                std::hint::black_box(search_hits(&layout, &lot, &departed, q));
            }
        }) / 3
    });
    (d, departed.len())
}

/// The `sqlite3` shell opening the lot and counting occupied bays: the
/// baseline of every whole-process figure.
pub fn sqlite3_count(lot: &Path) -> Run {
    process::run(
        Path::new("sqlite3"),
        &[path_str(lot), "SELECT count(occupant) FROM bays"],
    )
}

/// `trucklot ARGS` on `lot` against the `sqlite3` baseline, alternating.
pub fn command(bin: &Path, lot: &Path, args: &[&str], runs: usize) -> Paired {
    let mut all = vec!["--db", path_str(lot)];
    all.extend_from_slice(args);
    stats::paired(
        runs,
        || sqlite3_count(lot).wall,
        || process::run(bin, &all).wall,
    )
}

/// The interface from process start to its first complete frame on a
/// 160×45 pseudo-terminal, against the `sqlite3` baseline; also the
/// largest peak memory of its runs.
pub fn cold_start(bin: &Path, lot: &Path, runs: usize) -> (Paired, i64) {
    let mut rss = 0;
    let p = stats::paired(
        runs,
        || sqlite3_count(lot).wall,
        || {
            let r = process::run_on_pty(
                bin,
                &[
                    "--db",
                    path_str(lot),
                    "--lang",
                    "en",
                    "--exit-after-first-frame",
                ],
                160,
                45,
            );
            rss = rss.max(r.max_rss_kb);
            r.wall
        },
    );
    (p, rss)
}

/// `trucklot check` as a whole process: its median time.
pub fn check(bin: &Path, lot: &Path, runs: usize) -> Duration {
    stats::alone(runs, || {
        process::run(bin, &["--db", path_str(lot), "check"]).wall
    })
}
