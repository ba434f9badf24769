//! `demo` and `simulate`: a new database filled with simulated traffic by
//! the one simulator (`sim`). `demo` writes a few days up to now, marks
//! the file a demo (the interface keeps its traffic going, `tui::demo`)
//! and shows the lot; `simulate` a season of whole days, with a progress
//! bar on a terminal and a one-line summary (or JSON), not a demo.
//!
//! The file is built under a temporary name beside the target and put in
//! place whole (`Store::draft`): an existing file is never written to, even
//! one that appears while the simulation runs, and a run that fails or is
//! killed leaves nothing at the target.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::time::Instant;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use super::args::SimulateArgs;
use super::output::{self, say};
use super::{Failure, Global, Setup, lang_of, read};
use crate::domain::layout::DEFAULT_LAYOUT;
use crate::i18n::{CliMsg, Lang};
use crate::sim::{self, Scenario, Summary};
use crate::store::{DemoLot, Store, StoreError};
use crate::tz::Tz;

pub(super) fn demo(
    g: &Global,
    trucks: Option<u32>,
    seed: u64,
    speed: u32,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let lang = lang_of(g);
    let Some(path) = &g.db else {
        return Err(Failure::Usage(CliMsg::DemoNeedsDb.text(lang).to_string()));
    };
    let setup = Setup::load(g)?;
    refuse_existing(lang, path)?;
    let end = output::now();
    let sc = Scenario {
        start: end - Duration::days(i64::from(sim::DEMO_DAYS)),
        end,
        trucks_per_day: trucks.unwrap_or(sim::DEFAULT_TRUCKS_PER_DAY),
        seed,
        timezone: setup.config.timezone,
    };
    let demo = DemoLot {
        trucks_per_day: sc.trucks_per_day,
        seed,
        speed,
    };
    let (store, summary) = build(path, &setup, &sc, Some(&demo))?;
    writeln!(
        out,
        "{}",
        say(
            lang,
            CliMsg::DemoDone,
            &[
                &sim::DEMO_DAYS,
                &summary.operations,
                &summary.arrivals,
                &summary.departures,
                &summary.skipped
            ]
        )
    )?;
    read::status(&store, &setup, false, out)?;
    writeln!(
        out,
        "{}",
        say(
            lang,
            CliMsg::DemoOpen,
            &[&output::safe(&path.display().to_string()), &speed]
        )
    )?;
    Ok(())
}

/// What `simulate --json` prints.
#[derive(Serialize)]
struct SimulateJson<'a> {
    db: String,
    start: &'a str,
    end: &'a str,
    days: u32,
    trucks_per_day: u32,
    seed: u64,
    events: i64,
    stays: u64,
    departures: u64,
    operations: u64,
    refused: u64,
    peak_parking: usize,
    parking_capacity: usize,
    elapsed_s: f64,
    events_per_s: f64,
}

pub(super) fn simulate(g: &Global, a: &SimulateArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let lang = lang_of(g);
    let Some(path) = &g.db else {
        return Err(Failure::Usage(
            CliMsg::SimulateNeedsDb.text(lang).to_string(),
        ));
    };
    let setup = Setup::load(g)?;
    let tz = setup.config.timezone;
    // Whole days that are over: the log never holds what has not happened.
    let today = output::now().with_timezone(&tz).date_naive();
    let days = chrono::Days::new(u64::from(a.days));
    let last_allowed = today - chrono::Days::new(1);
    let first = match a.start {
        Some(d) => d,
        None => today - days,
    };
    if first + days > today {
        return Err(Failure::Usage(say(
            lang,
            CliMsg::SimulateFuture,
            &[&first, &a.days, &last_allowed],
        )));
    }
    refuse_existing(lang, path)?;
    let sc = Scenario {
        start: midnight(first, tz),
        end: midnight(first + days, tz),
        trucks_per_day: a.trucks_per_day,
        seed: a.seed,
        timezone: tz,
    };
    let began = Instant::now();
    let (store, summary) = build(path, &setup, &sc, None)?;
    let elapsed = began.elapsed().as_secs_f64();
    let events = store.event_count().map_err(|e| Failure::store(lang, e))?;
    let per_s = if elapsed > 0.0 {
        events as f64 / elapsed
    } else {
        0.0
    };
    if a.json {
        let (start, end) = (output::local(sc.start, tz), output::local(sc.end, tz));
        output::json(
            out,
            &SimulateJson {
                db: path.display().to_string(),
                start: &start,
                end: &end,
                days: a.days,
                trucks_per_day: a.trucks_per_day,
                seed: a.seed,
                events,
                stays: summary.arrivals,
                departures: summary.departures,
                operations: summary.operations,
                refused: summary.skipped,
                peak_parking: summary.peak_parking,
                parking_capacity: store
                    .layout()
                    .zone(crate::domain::bay::Zone::Parking)
                    .capacity(),
                elapsed_s: (elapsed * 10.0).round() / 10.0,
                events_per_s: per_s.round(),
            },
        )?;
        return Ok(());
    }
    writeln!(
        out,
        "{}",
        say(
            lang,
            CliMsg::SimulateDone,
            &[
                &a.days,
                &events,
                &summary.arrivals,
                &format!("{elapsed:.1}"),
                &format!("{per_s:.0}")
            ]
        )
    )?;
    Ok(())
}

/// The first instant of `day` in `tz` (the earliest, should a clock change
/// fall on midnight).
fn midnight(day: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let naive = day.and_time(chrono::NaiveTime::MIN);
    tz.from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&naive))
}

/// Refuses a file that is already there (not even opened: opening an older
/// lot would upgrade it), before any work is done; the guarantee is
/// `Draft::publish`, which refuses one that appears meanwhile.
fn refuse_existing(lang: Lang, path: &Path) -> Result<(), Failure> {
    if path.exists() {
        let shown = output::safe(&path.display().to_string());
        return Err(Failure::Refused(say(lang, CliMsg::SimExists, &[&shown])));
    }
    Ok(())
}

/// Builds the database beside `path`, fills it, marks it a demo if it is
/// one, and puts it in place.
fn build(
    path: &Path,
    setup: &Setup,
    sc: &Scenario,
    demo: Option<&DemoLot>,
) -> Result<(Store, Summary), Failure> {
    let lang = setup.lang;
    let refused = |e| existing(lang, path, e);
    let mut draft = Store::draft(path, DEFAULT_LAYOUT).map_err(refused)?;
    let hours = (sc.end - sc.start).num_hours().max(1) as u64;
    let bar = progress_bar(lang, hours);
    let mut progress = |p: sim::Progress| {
        bar.set_position(p.hour);
        bar.set_message(say(
            lang,
            CliMsg::SimulateProgress,
            &[&p.hour.div_ceil(24), &p.hours.div_ceil(24), &p.operations],
        ));
    };
    let summary = sim::run(draft.store(), &setup.config.policy, sc, &mut progress);
    bar.finish_and_clear();
    // What fails while the new file is filled (a full disk, a size limit)
    // is the creation of `path` failing: named so, with nothing left there.
    let creating = |e: StoreError| e.creating(path);
    let summary = summary.map_err(|e| match e {
        sim::SimError::Store { source, .. } => Failure::store(lang, creating(source)),
    })?;
    // In the file before it is in place: a lot is never seen unmarked.
    if let Some(demo) = demo {
        draft
            .store()
            .mark_demo(demo)
            .map_err(|e| Failure::store(lang, creating(e)))?;
    }
    let store = draft.publish().map_err(|e| refused(creating(e)))?;
    Ok((store, summary))
}

/// A file that appeared at the target while the simulation ran is left as
/// it is: a refusal, like one that was there from the start.
fn existing(lang: Lang, path: &Path, e: StoreError) -> Failure {
    match e {
        StoreError::AlreadyExists { .. } => Failure::Refused(say(
            lang,
            CliMsg::SimExists,
            &[&output::safe(&path.display().to_string())],
        )),
        e => Failure::store(lang, e),
    }
}

/// A bar by simulated hours on a terminal's stderr; nothing when stderr is
/// not a terminal (a pipe, a log file, a test).
fn progress_bar(lang: Lang, hours: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(hours);
    if let Ok(style) = ProgressStyle::with_template("{elapsed_precise} [{bar:40}] {msg}") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(say(
        lang,
        CliMsg::SimulateProgress,
        &[&0, &hours.div_ceil(24), &0],
    ));
    bar
}
