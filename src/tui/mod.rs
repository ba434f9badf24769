//! The terminal user interface: terminal setup and restore, the event loop,
//! the app state, views and widgets. It turns keys into `ops::Op`s and state
//! into frames; it never writes SQL.
//!
//! One loop: terminal events, a 1 Hz tick and the database's
//! `data_version` (another terminal's commit, or a demo lot's traffic,
//! `demo`) all mark the screen dirty; the loop drains what is pending, runs
//! the app's effects, and draws once.

pub mod app;
pub mod backend;
pub mod bay_state;
pub mod demo;
pub mod input;
pub mod keymap;
pub mod log;
pub mod outcome;
pub mod screens;
pub mod shared;
pub mod sign_in;
pub mod terminal;
pub mod view;
pub mod widgets;

use std::sync::Arc;
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use crossterm::event::{self, Event, KeyEventKind};

use self::app::{App, Effect, Snapshot};
use crate::domain::clock::{Clock, SystemClock};
use crate::domain::policy::Policy;
use crate::i18n::Lang;
use crate::ops::{self, Ctx};
use crate::store::{Store, StoreError};
use crate::tz::Tz;

/// Below this the map cannot show every zone: the screen says so instead,
/// and no key but quit does anything.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 18;

/// Who is at the keyboard and how they want the screen.
#[derive(Debug, Clone)]
pub struct Session {
    pub operator: String,
    pub terminal: String,
    pub policy: Policy,
    pub lang: Lang,
    /// Plain ASCII glyphs and borders, for terminals that draw ambiguous-width
    /// characters wide.
    pub ascii: bool,
    /// Colours on; off for `NO_COLOR` and monochrome screens (glyphs still
    /// carry every state).
    pub color: bool,
    pub tz: Tz,
    /// The site's gates (config `[site] gates`), offered in the arrival form.
    pub gates: Vec<String>,
    /// The gate this terminal stands at (config `[site] gate`): the form's default.
    pub gate: String,
    /// The site's province (config `[site] province`): a plate typed with
    /// a pinyin province that names two (`jin`: 晋 and 津) is this one.
    pub province: char,
    /// When the shifts start each day, in site time (config `[site] shifts`):
    /// the shift report's windows.
    pub shifts: Vec<chrono::NaiveTime>,
    /// Where this terminal remembers who signed in (`sign_in::path_for`):
    /// `Some` asks who is at the keyboard at start, the remembered name
    /// offered; `None` (an `--operator` was given) does not ask.
    pub sign_in: Option<std::path::PathBuf>,
}

/// Everything the app shows, read from the store in one go: one read
/// transaction, so the map, the counts and the clocks agree, and no lock
/// that would make a writer wait.
pub fn snapshot(store: &Store) -> Result<Snapshot, StoreError> {
    store.consistent(|s| {
        // The zones' counts from the bays just read: the same answer as
        // `Store::status`, without a second pass over the bays.
        let lot = s.lot()?;
        Ok(Snapshot {
            status: lot.zone_counts(s.layout()),
            lot,
            facts: s.clock_facts()?,
        })
    })
}

/// How the interface ended.
#[derive(Debug)]
pub enum Ended {
    /// The operator quit.
    Quit,
    /// SIGTERM, SIGHUP or SIGINT (its number) ended it, the terminal
    /// restored first.
    Signal(i32),
    /// The file was found damaged (`Store::verify`): the interface stops
    /// before anything is written, and says which file and what to do.
    Damaged(StoreError),
}

impl Ended {
    /// 0, or 128 + the signal's number: what a shell reports for a process
    /// the signal ended (143 for SIGTERM, 129 for SIGHUP), so a supervisor
    /// can tell a stop from a quit.
    pub fn exit_code(&self) -> u8 {
        match self {
            Ended::Quit => 0,
            Ended::Signal(sig) => u8::try_from(128 + sig).unwrap_or(u8::MAX),
            Ended::Damaged(_) => 3,
        }
    }
}

/// Leaves the alternate screen and raw mode however the loop ends.
struct RestoreGuard;

impl Drop for RestoreGuard {
    fn drop(&mut self) {
        ratatui::restore();
    }
}

/// How often to look for another terminal's writes.
const POLL_DB: Duration = Duration::from_millis(400);
const TICK: Duration = Duration::from_secs(1);
/// Events handled between two frames at most.
const MAX_EVENTS_PER_FRAME: usize = 256;

/// Runs the TUI until the user quits. Restores the terminal on every exit
/// path: normal quit, error, panic (ratatui chains a restoring panic hook),
/// and SIGTERM/SIGHUP/SIGINT (turned into a normal quit, then reported as
/// `Ended::Signal`).
///
/// `exit_after_first_frame` quits as soon as the first frame is on the
/// terminal, at once (the terminal restored, nothing torn down): the
/// cold-start benchmark times the real start (open, read the lot, set up
/// the terminal, draw) as a whole process.
pub fn run(
    mut store: Store,
    session: Session,
    exit_after_first_frame: bool,
) -> anyhow::Result<Ended> {
    // A demo lot lives on, on its own clock; a real one runs on the machine's.
    let (mut demo, demo_unread) = match demo::Demo::of(&store) {
        Ok(d) => (d, None),
        Err(e) => (None, Some(e)),
    };
    let clock: Arc<dyn Clock> = match &demo {
        Some(d) => d.clock(),
        None => Arc::new(SystemClock),
    };
    let snap = snapshot(&store).context("reading the lot")?;
    let mut app = App::new(session.clone(), store.layout().clone(), snap, clock.now());
    app.shared.demo = demo.as_ref().map(demo::Demo::speed);
    if let Some(e) = &demo_unread {
        app.error("reading whether the lot is a demo", e);
    }

    // The number of the signal that asked to stop; 0 while none has.
    let stop = Arc::new(AtomicI32::new(0));
    let signals = watch_signals(Arc::clone(&stop)).context("installing signal handlers")?;

    // The whole file is verified (`quick_check`) on a connection of its
    // own, started once the first frame is drawn: on a season's file that
    // takes about a second, which the operator should not wait for to see
    // the lot, and started before it, it competed with the first frame for
    // the CPU and the disk (two shared cores). The first write waits for
    // the verdict; a damaged file ends the interface.
    let mut verifier = None;
    let mut verified = false;
    let log_file = log::init();
    log::write("info", "trucklot started");
    let mut terminal = match terminal::init() {
        Ok(t) => t,
        // No terminal to draw on: a damaged file is the more useful news.
        Err(e) => {
            if let Err(damage @ StoreError::Damaged { .. }) = Store::verify_file(store.path()) {
                return Ok(Ended::Damaged(damage));
            }
            return Err(anyhow::Error::new(e).context("opening the terminal"));
        }
    };
    let _guard = RestoreGuard;
    if let Err(why) = &log_file {
        app.toast(format!("log: {why}"), true);
    }
    // Said last, so it is what shows: every action would be refused.
    if store.read_only() {
        let file = store.path().display().to_string();
        let text = app.shared.t(crate::i18n::Msg::ReadOnlyLot);
        app.toast(text.replace("{file}", &file), true);
    }
    // The first answer is "changed": the lot was just read, so it is taken
    // as the point from which changes count.
    let mut link = Link::default();
    if let Err(e) = store.changed() {
        app.error("listening for other terminals' changes", &e);
    }
    let mut last_poll = Instant::now();
    let mut last_tick = Instant::now();
    let mut dirty = true;
    loop {
        // Whoever signed in last acts: a sign-in changes it mid-session.
        let operator = app.shared.session.operator.clone();
        let ctx = Ctx {
            action: None,
            operator: &operator,
            terminal: &session.terminal,
            clock: &*clock,
            policy: &session.policy,
        };
        // A write asked for before the first frame (none can be yet) still
        // waits for the verdict.
        if !verified && verifier.is_none() && app.wants_to_write() {
            verifier = Some(verify_in_background(store.path()));
        }
        if let Some(v) = verifier.take() {
            if v.is_finished() || app.wants_to_write() {
                if let Err(e) = v.join().unwrap_or(Ok(())) {
                    log::write("error", &e.to_string());
                    return Ok(Ended::Damaged(e));
                }
                verified = true;
            } else {
                verifier = Some(v);
            }
        }
        // A demo's traffic once the file is known sound, on a file it can
        // write; not for a start that is only timed.
        let writable = !store.read_only() && !exit_after_first_frame;
        if let Some(d) = demo.as_mut().filter(|_| verified && writable) {
            d.start(&store.address(), &session.policy, session.tz);
            if let Some(crate::sim::SimError::Store { source, .. }) = d.failure() {
                app.error("running the demo's traffic", &source);
                dirty = true;
            }
        }
        if run_effects(&mut app, &mut store, &ctx) {
            dirty = true;
        }
        if app.quit || stop.load(Ordering::Relaxed) != 0 {
            break;
        }
        if dirty {
            let size = terminal.size().context("reading the terminal size")?;
            app.resize(size.width, size.height);
            terminal.draw(|f| app.render(f)).context("drawing")?;
            dirty = false;
            if exit_after_first_frame {
                // The clock stops here: the frame is on the terminal. What
                // a session ends with (closing the file, freeing the lot
                // and the screens, a few milliseconds on a season) is not
                // part of starting, so it is skipped; nothing was written.
                ratatui::restore();
                std::process::exit(0);
            }
            if !verified && verifier.is_none() {
                verifier = Some(verify_in_background(store.path()));
            }
        }
        if event::poll(Duration::from_millis(200)).context("reading the keyboard")? {
            // Drain what is pending before drawing again, but never forever:
            // a terminal that went away can report events without end.
            for _ in 0..MAX_EVENTS_PER_FRAME {
                match event::read().context("reading the keyboard")? {
                    Event::Key(k) if k.kind != KeyEventKind::Release => {
                        app.key(&k);
                        dirty = true;
                    }
                    Event::Resize(w, h) => {
                        app.resize(w, h);
                        dirty = true;
                    }
                    _ => {}
                }
                if stop.load(Ordering::Relaxed) != 0 || !event::poll(Duration::ZERO)? {
                    break;
                }
            }
        }
        if last_tick.elapsed() >= TICK {
            last_tick = Instant::now();
            app.set_now(clock.now());
            dirty = true;
        }
        if last_poll.elapsed() >= POLL_DB {
            last_poll = Instant::now();
            if poll_db(&mut store, &mut app, &mut link) {
                dirty = true;
            }
        }
    }
    signals.close();
    // Its last operation ends whole before the interface is gone.
    if let Some(d) = demo {
        d.stop();
    }
    Ok(match stop.load(Ordering::SeqCst) {
        0 => {
            log::write("info", "trucklot quit");
            Ended::Quit
        }
        sig => {
            log::write("info", &format!("trucklot stopped by signal {sig}"));
            Ended::Signal(sig)
        }
    })
}

/// Runs `Store::verify` on the file at `path` on a thread and connection of
/// its own. A file that cannot be opened again is left to the main
/// connection's own errors.
fn verify_in_background(path: &std::path::Path) -> std::thread::JoinHandle<Result<(), StoreError>> {
    let path = path.to_path_buf();
    std::thread::spawn(move || match Store::verify_file(&path) {
        Err(e @ StoreError::Damaged { .. }) => Err(e),
        // A file that cannot be opened again is left to the main
        // connection's own errors.
        _ => Ok(()),
    })
}

/// The connection to a server as the loop sees it: up, or down since a
/// moment and to be tried again at another. A file is always up.
#[derive(Debug, Default)]
pub struct Link {
    down: Option<Retry>,
}

#[derive(Debug)]
struct Retry {
    next: Instant,
    wait: Duration,
}

impl Link {
    /// The first retry a second after the loss, then twice as long each
    /// time, up to half a minute: quick back after a blip, and a server
    /// that is down for long is not hammered.
    const FIRST: Duration = Duration::from_secs(1);
    const LONGEST: Duration = Duration::from_secs(30);

    fn lost(&mut self) {
        if self.down.is_none() {
            self.down = Some(Retry {
                next: Instant::now() + Self::FIRST,
                wait: Self::FIRST,
            });
        }
    }

    fn failed_again(&mut self) {
        if let Some(r) = &mut self.down {
            r.wait = (r.wait * 2).min(Self::LONGEST);
            r.next = Instant::now() + r.wait;
        }
    }

    /// Seconds until the next try, if the connection is down.
    pub fn retry_in(&self) -> Option<u64> {
        self.down
            .as_ref()
            .map(|r| r.next.saturating_duration_since(Instant::now()).as_secs() + 1)
    }
}

/// Looks for another terminal's commit and, if there is one, reads the lot
/// again; on a server whose connection was lost, tries to connect again
/// when the backoff says so, keeping the last lot on screen meanwhile. A
/// failure is shown on the status line and logged, never swallowed.
/// Returns whether the screen changed.
pub fn poll_db(store: &mut Store, app: &mut App, link: &mut Link) -> bool {
    if let Some(r) = &link.down {
        if Instant::now() < r.next {
            app.set_unreachable(link.retry_in());
            return true;
        }
        match store.reconnect() {
            Ok(_) => {
                log::write("info", "the lot's server answers again");
                link.down = None;
                app.set_unreachable(None);
            }
            Err(e) => {
                log::write(
                    "error",
                    &format!("connecting to the lot's server again: {e}"),
                );
                link.failed_again();
                app.set_unreachable(link.retry_in());
                return true;
            }
        }
    }
    if app.connection_lost() {
        link.lost();
        app.set_unreachable(link.retry_in());
        return true;
    }
    match store.changed() {
        Ok(true) => {
            refresh(store, app);
            true
        }
        Ok(false) => false,
        Err(StoreError::Disconnected { detail }) => {
            log::write("error", &format!("the lot's server: {detail}"));
            link.lost();
            app.set_unreachable(link.retry_in());
            true
        }
        Err(e) => {
            app.error("looking for other terminals' changes", &e);
            true
        }
    }
}

/// SIGTERM, SIGHUP and SIGINT ask the loop to quit the normal way. If it has
/// not come round within a second — a terminal that went away can leave
/// crossterm reading an endless end-of-file — restore the terminal and exit
/// from here. Every operation is one transaction, so leaving between or
/// even inside one loses nothing that was committed.
fn watch_signals(stop: Arc<AtomicI32>) -> std::io::Result<signal_hook::iterator::Handle> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT])?;
    let handle = signals.handle();
    std::thread::spawn(move || {
        if let Some(sig) = signals.forever().next() {
            stop.store(sig, Ordering::SeqCst);
            std::thread::sleep(Duration::from_secs(1));
            ratatui::restore();
            std::process::exit(128 + sig);
        }
    });
    Ok(handle)
}

/// Carries out what the app asked for: runs operations (then refreshes the
/// snapshot and tells the app how it went) and loads a stay's detail.
/// Returns whether anything happened.
pub fn run_effects(app: &mut App, store: &mut Store, ctx: &Ctx<'_>) -> bool {
    let effects = app.take_effects();
    let any = !effects.is_empty();
    for effect in effects {
        match effect {
            Effect::Run(op) => {
                // Read before the lot is read again after the operation.
                let shown = app.suggestion_shown();
                // The same action again after a lost connection keeps its
                // id: if the first try was committed, this one is told so.
                let action = app.action_for(&op);
                let result = ops::execute(
                    store,
                    &Ctx {
                        action: Some(&action),
                        ..*ctx
                    },
                    &op,
                );
                app.remember_action(&op, action, &result);
                app.set_now(ctx.clock.now());
                if result.is_ok() {
                    refresh(store, app);
                }
                app.op_done(&op, result, shown);
            }
            Effect::LoadDetail(stay) => match store.stay_detail(stay) {
                Ok(d) => app.set_detail(d),
                Err(e) => app.error("reading a truck's detail", &e),
            },
            Effect::DepartureCheck(plate) => {
                let result = ops::departure_blockers(store, ctx.policy, &plate);
                app.departure_checked(&plate, result);
            }
            Effect::PositiveBefore(plate) => {
                let result = ops::positive_before(store, &plate);
                app.positive_before_known(plate, result);
            }
            Effect::EscalationCheck(plate) => {
                let result = ops::escalation_check(store, &plate);
                app.escalation_checked(&plate, result);
            }
            Effect::SignIn(name) => app.signed_in(name),
            Effect::UndoCheck => {
                let target = ops::undo_target(store, ctx.operator);
                app.undo_checked(target);
            }
            Effect::LoadStay { plate, action } => {
                let state = ops::stay_state(store, &plate);
                app.stay_loaded(&plate, action, state);
            }
            Effect::SuggestBay {
                plate,
                zone,
                then,
                taken,
            } => {
                let bay = ops::suggested_bay(store, &plate, &[zone]);
                app.bay_suggested(plate, then, bay, taken);
            }
            Effect::LoadDeparted => match store.departed_plates() {
                Ok(d) => app.set_departed(d),
                Err(e) => app.error("reading the trucks that left", &e),
            },
            Effect::LoadLog {
                filters,
                before,
                limit,
            } => app.log_loaded(store.log(&filters.query(before, limit))),
            Effect::ShowStay(stay) => app.stay_shown(store.stay_detail(stay)),
            Effect::LoadPast(at) => app.past_loaded(at, store.lot_at(at)),
            Effect::LoadReport { from, to, ends_now } => {
                app.report_loaded(store.report(from, to, ctx.policy, ends_now))
            }
            Effect::Quit => {}
        }
    }
    any
}

fn refresh(store: &Store, app: &mut App) {
    match snapshot(store) {
        Ok(s) => app.set_snapshot(s),
        Err(e) => app.error("reading the lot", &e),
    }
}
