//! Scale benchmarks with baselines measured in the same run (issue 10 §2).
//!
//! Every figure that has a baseline is a ratio against it, taken in one
//! loop that alternates the two (`stats::paired`): this machine is shared
//! and noisy, so absolute times from different runs do not compare. The
//! lots are simulated seasons (`dbs`), generated once and cached under
//! `target/scale/db/`.
//!
//! Run: `cargo bench --bench scale` (`-- --quick` for fewer runs; `--
//! --only gate,check` for some parts: `start`, `screen`, `gate`,
//! `simulate`, `reads`, `growth`). It prints the tables in Markdown, writes
//! them to `target/scale/results.md`, and draws `docs/speed-scale.svg`
//! (when `growth` runs).

mod chart;
mod dbs;
mod process;
mod reads;
mod screen;
mod stats;
mod writes;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use trucklot::store::Store;

use dbs::Spec;
use stats::{Paired, human};

/// `target/` of this package (or `CARGO_TARGET_DIR`).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}

/// The lots of the growth table; the one named `90-day` is the season
/// every other figure is measured on (`simulate`'s default traffic, 1,500
/// arrivals a day: about 7,300 events a day). The others are sized by
/// their traffic to about 10k, 100k and 1M events.
fn specs() -> Vec<Spec> {
    let spec = |name, days, k| Spec {
        name,
        days,
        trucks_per_day: k,
    };
    vec![
        spec("10k", 1, Some(2200)),
        spec("100k", 14, None),
        spec("90-day", 90, None),
        spec("1M", 70, Some(3000)),
    ]
}

/// How many runs each kind of figure takes.
struct Runs {
    process: usize,
    frame: usize,
    gate: usize,
    page: usize,
    check: usize,
    simulate: usize,
}

/// One line of the main table.
struct Line {
    metric: String,
    figure: String,
    baseline: String,
    ratio: String,
    target: &'static str,
    met: bool,
}

fn paired_line(metric: &str, p: Paired, baseline: &str, target: &'static str, max: f64) -> Line {
    Line {
        metric: metric.into(),
        figure: human(p.measured),
        baseline: format!(
            "{baseline}: {} (medians of {} each)",
            human(p.baseline),
            p.runs
        ),
        ratio: format!("{:.2}×", p.ratio()),
        target,
        met: p.ratio() <= max,
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "--quick");
    let only: Option<Vec<String>> = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1))
        .map(|list| list.split(',').map(str::to_owned).collect());
    let want = |part: &str| only.as_ref().is_none_or(|o| o.iter().any(|p| p == part));
    let runs = if quick {
        Runs {
            process: 7,
            frame: 41,
            gate: 11,
            page: 21,
            check: 1,
            simulate: 1,
        }
    } else {
        Runs {
            process: 31,
            frame: 301,
            gate: 41,
            page: 101,
            check: 3,
            simulate: 3,
        }
    };
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_trucklot"));
    let machine = machine();
    eprintln!("scale: {machine}");

    let mut lots: Vec<dbs::Lot> = specs().iter().map(|s| dbs::lot(&bin, s)).collect();
    lots.sort_by_key(|l| l.events);
    let season = lots
        .iter()
        .find(|l| l.spec.name == "90-day")
        .expect("the 90-day lot")
        .clone();
    let sp = &season.path;
    let mut lines: Vec<Line> = Vec::new();
    let on = format!("90-day lot, {} events", season.events);
    eprintln!("scale: measuring on the {on}");

    // Whole processes against the sqlite3 shell on the same file.
    let mut rss = None;
    if want("start") {
        let (cold, peak) = reads::cold_start(&bin, sp, runs.process);
        rss = Some(peak);
        lines.push(paired_line(
            "cold start to first complete frame (160×45 pty)",
            cold,
            "sqlite3 count",
            "≤ 3×",
            3.0,
        ));
    }
    for cmd in ["status", "clocks", "isolation"]
        .into_iter()
        .filter(|_| want("start"))
    {
        let p = reads::command(&bin, sp, &[cmd], runs.process);
        lines.push(paired_line(
            &format!("`trucklot {cmd}` (whole process)"),
            p,
            "sqlite3 count",
            "≤ 3×",
            3.0,
        ));
    }

    // The screen, in process.
    let mut store = Store::open(sp).expect("open the season");
    if want("screen") {
        screen_lines(&mut store, runs.frame, &mut lines);
    }

    // Writes.
    if want("gate") {
        let gate = writes::gate_action(sp, runs.gate);
        lines.push(paired_line(
            "one durable gate action (arrival + bay, synchronous=FULL)",
            gate,
            "bare INSERT commit",
            "≤ 2×",
            2.0,
        ));
    }
    if want("simulate") {
        simulate_line(&bin, runs.simulate, &mut lines);
    }

    if want("reads") {
        read_lines(&bin, &store, sp, &season, &runs, &mut lines);
    }
    drop(store);
    if let Some(rss) = rss {
        lines.push(Line {
            metric: "peak memory of the interface (start to first frame)".into(),
            figure: format!("{:.1} MB", rss as f64 / 1024.0),
            baseline: "—".into(),
            ratio: "—".into(),
            target: "≤ 40 MB",
            met: rss as f64 / 1024.0 <= 40.0,
        });
    }

    let growth = if want("growth") {
        growth_table(&lots, &runs)
    } else {
        String::new()
    };
    report(&machine, &on, &lines, &growth);
}

/// The map's frames against a plain paragraph, and the bytes of a cursor move.
fn screen_lines(store: &mut Store, frames: usize, lines: &mut Vec<Line>) {
    let now = last_event_time(store);
    let mut app = screen::app(store, now);
    for (w, h) in [(160u16, 45u16), (240, 70)] {
        let p = screen::frame(&mut app, w, h, frames);
        lines.push(paired_line(
            &format!("full map frame {w}×{h} (TestBackend)"),
            p,
            "plain Paragraph",
            "≤ 3×",
            3.0,
        ));
    }
    let wire = screen::cursor_bytes(&mut app, store, now, 41);
    lines.push(Line {
        metric: format!(
            "bytes written for one cursor move (the interface's backend into a buffer; median of {} moves)",
            wire.moves
        ),
        figure: format!("{} bytes", wire.bytes),
        baseline: format!("{} changed cells", wire.changed_cells),
        ratio: format!("{:.1} bytes/cell", wire.bytes_per_cell),
        target: "≤ 16 bytes/cell",
        met: wire.bytes_per_cell <= 16.0,
    });
    drop(app);
}

/// `simulate`'s throughput against plain inserts of its rows.
fn simulate_line(bin: &Path, runs: usize, lines: &mut Vec<Line>) {
    let sim_days = 3;
    let t = writes::simulate(bin, sim_days, runs);
    lines.push(Line {
        metric: format!(
            "`simulate --days {sim_days}` throughput ({} events; medians of {})",
            t.events, t.runs
        ),
        figure: format!("{:.0} events/s", t.simulate),
        baseline: format!("plain inserts, one transaction: {:.0} events/s", t.inserts),
        ratio: format!("{:.2}×", t.simulate / t.inserts),
        target: "≥ 0.3×",
        met: t.simulate / t.inserts >= 0.3,
    });
}

/// Log pages with each filter, search, and `check`, on the season.
fn read_lines(
    bin: &Path,
    store: &Store,
    sp: &Path,
    season: &dbs::Lot,
    runs: &Runs,
    lines: &mut Vec<Line>,
) {
    // Reads without a baseline.
    for (name, f) in reads::filters(store) {
        let d = reads::log_page(store, &f, runs.page);
        lines.push(Line {
            metric: format!("log page ({} rows), filter: {name}", reads::PAGE),
            figure: human(d),
            baseline: "—".into(),
            ratio: "—".into(),
            target: "≤ 5 ms",
            met: d <= Duration::from_millis(5),
        });
    }
    let (d, plates) = reads::search(store, 100_000, runs.page / 2 + 1);
    lines.push(Line {
        metric: format!("search over {plates} plates that left + the lot"),
        figure: human(d),
        baseline: "—".into(),
        ratio: "—".into(),
        target: "≤ 5 ms",
        met: d <= Duration::from_millis(5),
    });
    let check = reads::check(bin, sp, runs.check);
    let rate = season.events as f64 / check.as_secs_f64();
    lines.push(Line {
        metric: "`trucklot check` (whole process)".into(),
        figure: format!("{} = {:.0} events/s", human(check), rate),
        baseline: "—".into(),
        ratio: "—".into(),
        target: "≥ 200k events/s",
        met: rate >= 200_000.0,
    });
}

/// Start-up, log pages and `check` on each lot, as a Markdown table; the
/// chart of the same figures.
fn growth_table(lots: &[dbs::Lot], runs: &Runs) -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_trucklot"));
    // How cost grows with the log.
    let mut growth = String::new();
    let _ = writeln!(
        growth,
        "| lot | events | cold start | sqlite3 | ratio | log page (no filter) | log page (plate) | check | check events/s |"
    );
    let _ = writeln!(growth, "|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut series: Vec<chart::Series> = [
        "cold start to first frame",
        "sqlite3 baseline (same run)",
        "log page, no filter",
        "log page, plate filter",
        "check",
    ]
    .iter()
    .map(|n| chart::Series {
        name: n.to_string(),
        points: Vec::new(),
    })
    .collect();
    for lot in lots {
        let (cold, _) = reads::cold_start(bin, &lot.path, runs.process / 2 + 1);
        let store = Store::open(&lot.path).expect("open");
        let filters = reads::filters(&store);
        let page = reads::log_page(&store, &filters[0].1, runs.page);
        let plate = reads::log_page(&store, &filters[1].1, runs.page);
        drop(store);
        let check = reads::check(bin, &lot.path, runs.check);
        let x = lot.events as f64;
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        for (s, y) in series.iter_mut().zip([
            ms(cold.measured),
            ms(cold.baseline),
            ms(page),
            ms(plate),
            ms(check),
        ]) {
            s.points.push((x, y));
        }
        let _ = writeln!(
            growth,
            "| {} | {} | {} | {} | {:.2}× | {} | {} | {} | {:.0} |",
            lot.spec.name,
            lot.events,
            human(cold.measured),
            human(cold.baseline),
            cold.ratio(),
            human(page),
            human(plate),
            human(check),
            lot.events as f64 / check.as_secs_f64()
        );
    }
    let svg = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/speed-scale.svg");
    if let Err(e) = chart::draw(
        &svg,
        "trucklot: cost against log size (medians, same run)",
        &series,
    ) {
        eprintln!("scale: the chart could not be drawn: {e}");
    }

    growth
}

/// Prints the tables and writes them to `target/scale/results.md`.
fn report(machine: &str, on: &str, lines: &[Line], growth: &str) {
    let mut out = String::new();
    let _ = writeln!(out, "Machine: {machine}\n");
    let _ = writeln!(out, "On the {on}:\n");
    let _ = writeln!(
        out,
        "| metric | median | baseline in the same run | ratio | target | met |"
    );
    let _ = writeln!(out, "|---|---:|---|---:|---|---|");
    for l in lines {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            l.metric,
            l.figure,
            l.baseline,
            l.ratio,
            l.target,
            if l.met { "yes" } else { "**no**" }
        );
    }
    let _ = writeln!(out, "\nGrowth:\n\n{growth}");
    print!("{out}");
    let results = target_dir().join("scale").join("results.md");
    std::fs::write(&results, &out).expect("write the results");
    eprintln!("scale: written to {}", results.display());
}

/// The time of the lot's last event: the moment its clocks are read at.
fn last_event_time(store: &Store) -> DateTime<Utc> {
    store
        .log(&trucklot::store::LogFilter {
            limit: Some(1),
            ..Default::default()
        })
        .expect("the last event")
        .first()
        .map_or_else(Utc::now, |e| e.at)
}

/// The machine, as the README reports it: cores and CPU model.
fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    format!("{cores} cores (nproc), {cpu}")
}
