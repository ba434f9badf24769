//! The record in the interface, driven by keys: the event log (`L`: pages,
//! filters, Enter to the truck or to a departed truck's stay), the lot at a
//! past moment (`T`: a truck that has left since, every action refused,
//! `[`/`]` by the hour, Esc back to now) and the shift report (`R`: the
//! arrivals of this shift and the one before).

mod tui_rig;

use chrono::{DateTime, Duration, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tempfile::TempDir;
use trucklot::domain::bay::BayId;
use trucklot::domain::clock::{Clock, FixedClock};
use trucklot::domain::event::{ArrivalRecord, HandoffMode, TestKind};
use trucklot::domain::plate::Plate;
use trucklot::domain::policy::{Cargo, HealthCode, Policy, Temperature};
use trucklot::i18n::Lang;
use trucklot::ops::{self, Ctx, Op};
use trucklot::store::Store;
use trucklot::tui::Session;
use trucklot::tui::app::App;
use trucklot::tui::keymap::Mode;
use trucklot::tui::screens::Screen;

fn session() -> Session {
    tui_rig::session("tester", "gate-1", ["east", "west"], Lang::En, false, true)
}

fn plate(s: &str) -> Plate {
    Plate::parse(s).unwrap()
}

fn arrival(p: &str) -> ArrivalRecord {
    ArrivalRecord {
        plate: plate(p),
        driver: Some("张三".into()),
        phone: None,
        cargo: Cargo::Other,
        origin: None,
        destination: None,
        temperature: Some(Temperature::new(36.5).unwrap()),
        code: Some(HealthCode::Green),
        travel_flag: false,
        handoff_required: false,
        passengers: vec![],
        gate: Some("east".into()),
        venue_code: Some(true),
    }
}

struct Rig {
    _dir: TempDir,
    store: Store,
    clock: FixedClock,
    policy: Policy,
    app: App,
}

impl Rig {
    fn new(start: DateTime<Utc>) -> Rig {
        let (dir, store, app) = tui_rig::lot(session(), start);
        Rig {
            _dir: dir,
            store,
            clock: FixedClock::new(start),
            policy: Policy::default(),
            app,
        }
    }

    fn op(&mut self, op: Op) {
        tui_rig::run(
            &mut self.app,
            &mut self.store,
            &self.clock,
            &self.policy,
            Some(&op),
        );
    }

    fn arrive(&mut self, p: &str) {
        self.op(Op::Arrive {
            arrival: arrival(p),
            bay: None,
            override_reason: None,
        });
    }

    fn depart(&mut self, p: &str) {
        self.op(Op::Depart {
            plate: plate(p),
            // No antigen sample: forced, with its reason.
            force_reason: Some("released by the county".into()),
        });
    }

    fn advance(&mut self, d: Duration) {
        self.clock.advance(d);
        self.app.set_now(self.clock.now());
    }

    fn settle(&mut self) {
        tui_rig::run(
            &mut self.app,
            &mut self.store,
            &self.clock,
            &self.policy,
            None,
        );
    }

    fn key(&mut self, code: KeyCode) {
        self.app.key(&KeyEvent::new(code, KeyModifiers::NONE));
        self.settle();
    }

    fn ctrl(&mut self, c: char) {
        self.app
            .key(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
        self.settle();
    }

    fn typed(&mut self, s: &str) {
        for c in s.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    fn screen(&self, w: u16, h: u16) -> String {
        tui_rig::text(&tui_rig::buffer(&self.app, w, h), false)
    }

    fn toast(&self) -> String {
        tui_rig::toast(&self.app)
    }

    fn log(&self) -> &trucklot::tui::screens::EventLog {
        match self.app.screens.last() {
            Some(Screen::Log(l)) => l,
            other => panic!("the log is on top, not {other:?}"),
        }
    }

    fn log_ids(&self) -> Vec<i64> {
        self.log().rows.iter().map(|e| e.id).collect()
    }
}

fn start() -> DateTime<Utc> {
    // 03:00 on 2026-11-25 at the site (Asia/Shanghai): the night shift.
    Utc.with_ymd_and_hms(2026, 11, 24, 19, 0, 0).unwrap()
}

/// Twenty arrivals a minute apart, the fifth truck left again.
fn busy_log() -> Rig {
    let mut r = Rig::new(start());
    for n in 0..20 {
        r.arrive(&format!("晋A100{n:02}"));
        r.advance(Duration::minutes(1));
    }
    r.depart("晋A10004");
    r
}

#[test]
fn the_log_opens_newest_first_and_pages_by_keys() {
    let mut r = busy_log();
    // 80×24: a page is what fits (15 rows).
    r.app.resize(80, 24);
    r.key(KeyCode::Char('L'));
    assert_eq!(r.app.mode(), Mode::Log);
    let first = r.log_ids();
    assert_eq!(first.len(), 15);
    assert!(first.windows(2).all(|w| w[0] > w[1]), "newest first");
    assert_eq!(
        first[0],
        r.store.event_count().unwrap(),
        "the departure is on top"
    );
    assert!(r.screen(80, 24).contains("departed"));
    // PgDn: the page older than the last row, never an offset.
    r.key(KeyCode::PageDown);
    let second = r.log_ids();
    assert_eq!(r.log().pages, vec![None, Some(*first.last().unwrap())]);
    assert_eq!(second[0], first.last().unwrap() - 1);
    assert_eq!(second.len(), 6, "21 events: 15 + 6");
    assert!(r.screen(80, 24).contains("page 2"));
    r.key(KeyCode::PageDown);
    assert_eq!(r.toast(), "no older events");
    assert_eq!(r.log_ids(), second);
    r.key(KeyCode::PageUp);
    assert_eq!(r.log_ids(), first);
    r.key(KeyCode::PageUp);
    assert_eq!(r.toast(), "this is the newest page");
    // A message goes after eight seconds, or at once when the clock is set
    // back before it was said.
    r.advance(Duration::seconds(7));
    assert_eq!(r.toast(), "this is the newest page");
    r.advance(Duration::seconds(-60));
    assert_eq!(r.toast(), "");
    // Esc: back to the map.
    r.key(KeyCode::Esc);
    assert!(r.app.screens.is_empty());
}

#[test]
fn the_filter_bar_filters_and_enter_goes_to_the_truck() {
    let mut r = busy_log();
    r.key(KeyCode::Char('L'));
    r.key(KeyCode::Char('f'));
    assert_eq!(r.app.mode(), Mode::LogFilter);
    // A pinyin province is fine, as in the form.
    r.typed("jinA10007");
    r.key(KeyCode::Enter);
    assert_eq!(r.app.mode(), Mode::Log);
    let rows = &r.log().rows;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].plate, Some(plate("晋A10007")));
    // Enter: the map, the cursor on its bay.
    r.key(KeyCode::Enter);
    assert!(r.app.screens.is_empty());
    assert_eq!(
        r.app.shared.bay_of_plate(&plate("晋A10007")),
        Some(r.app.shared.cursor)
    );
    // By kind (in the interface's word) and a zone that is none: refused,
    // the focus on the field.
    r.key(KeyCode::Char('L'));
    r.key(KeyCode::Char('f'));
    r.key(KeyCode::Tab);
    r.key(KeyCode::Tab);
    r.typed("Q");
    r.key(KeyCode::Tab);
    r.typed("departed");
    r.key(KeyCode::Enter);
    assert!(r.toast().starts_with("zone: not a zone"), "{}", r.toast());
    assert_eq!(r.log().focus, Some(2));
    r.ctrl('u');
    r.typed("parking");
    r.key(KeyCode::Enter);
    let rows = &r.log().rows;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].event.kind(), "departed");
    // `x` clears every filter.
    r.key(KeyCode::Char('x'));
    assert_eq!(r.log().rows.len(), 21);
    // A bay typed in a hurry (`p-1-5` for P-01-05), as the command line
    // reads it.
    let at = r
        .app
        .shared
        .bay_of_plate(&plate("晋A10007"))
        .expect("on site");
    let bay = r.app.shared.layout.bays[at].id.clone();
    let hurried: String = bay
        .as_str()
        .split('-')
        .map(|p| p.trim_start_matches('0'))
        .collect::<Vec<_>>()
        .join("-")
        .to_lowercase();
    assert_ne!(hurried.to_uppercase(), bay.as_str());
    r.key(KeyCode::Char('f'));
    r.key(KeyCode::Tab);
    r.typed(&hurried);
    r.key(KeyCode::Enter);
    assert_eq!(r.app.mode(), Mode::Log, "{}", r.toast());
    let rows = &r.log().rows;
    assert!(!rows.is_empty());
    assert!(
        rows.iter().all(|e| e.bay.as_ref() == Some(&bay)),
        "{rows:?}"
    );
}

#[test]
fn enter_on_a_departed_truck_shows_its_stay() {
    let mut r = busy_log();
    r.key(KeyCode::Char('L'));
    // The departure, on top.
    r.key(KeyCode::Enter);
    match r.app.screens.last() {
        Some(Screen::Stay(card)) => {
            assert_eq!(card.detail.plate, plate("晋A10004"));
            assert!(card.detail.departed_at.is_some());
        }
        other => panic!("the stay is shown, not {other:?}"),
    }
    let t = r.screen(160, 45);
    assert!(t.contains("晋A10004") && t.contains("departed"), "{t}");
    r.key(KeyCode::Esc);
    assert_eq!(r.app.mode(), Mode::Log, "Esc: back to the log");
}

/// An alarm raised while the shift lead looks at the past still finds
/// him: the status line counts what is late now; the banner what was then.
#[test]
fn the_status_line_keeps_the_alarms_of_now_over_a_past_moment() {
    use trucklot::domain::event::TestKind;
    let mut r = Rig::new(start());
    r.arrive("晋D12345");
    r.op(Op::Sample {
        plate: plate("晋D12345"),
        test: TestKind::Antigen,
        tube: None,
        batch: None,
    });
    r.advance(Duration::hours(1));
    // 03:05: the antigen (due 03:15) was not late yet.
    r.key(KeyCode::Char('t'));
    r.typed("2026-11-25 03:05");
    r.key(KeyCode::Enter);
    assert_eq!(r.app.mode(), Mode::Past);
    let t = r.screen(160, 45);
    let top = t.lines().next().unwrap();
    assert!(top.contains("! 1 overdue"), "now: {top}");
    assert!(!t.contains("late then"), "{t}");
    // 03:30: it was late then too, and the banner says so.
    r.key(KeyCode::Char('t'));
    r.typed("2026-11-25 03:30");
    r.key(KeyCode::Enter);
    assert!(r.screen(160, 45).contains("· 1 late then"));
}

#[test]
fn the_lot_at_a_past_moment_shows_a_truck_that_has_left_and_refuses_actions() {
    let mut r = Rig::new(start());
    r.arrive("晋D12345");
    r.arrive("冀A8B9C1");
    r.advance(Duration::hours(2));
    r.depart("晋D12345");
    r.advance(Duration::hours(1));
    assert_eq!(r.app.shared.bay_of_plate(&plate("晋D12345")), None);
    let events = r.store.event_count().unwrap();
    // 04:00 at the site: it was still there.
    // The prompt offers the hour now began; typing replaces it.
    r.key(KeyCode::Char('t'));
    r.typed("2026-11-25 04:00");
    r.key(KeyCode::Enter);
    assert_eq!(r.app.mode(), Mode::Past);
    assert_eq!(r.app.shared.past, Some(start() + Duration::hours(1)));
    let bay = r
        .app
        .shared
        .bay_of_plate(&plate("晋D12345"))
        .expect("on the map as it was");
    r.app.set_cursor(bay);
    r.settle();
    let t = r.screen(160, 45);
    assert!(t.contains("the lot at 2026-11-25 04:00 — read only"), "{t}");
    assert!(t.contains("晋D12345"), "the panel names it");
    // The map is the lot then; the status line, beside now's clock, the
    // lot now (found by a new user's try: it mixed now's clock with then's
    // counts, and hid the alarms raised meanwhile).
    assert!(t.contains("Parking 停车区 2/1200"), "the map then: {t}");
    let top = t.lines().next().unwrap();
    assert!(
        top.contains("06:00") && top.contains("Parking 1/1200"),
        "the status line now: {top}"
    );
    // Every action says why not, and nothing is written.
    for c in ['d', 'm', 'a', 's', 'C', 'L'] {
        r.key(KeyCode::Char(c));
        assert!(r.toast().starts_with("read only"), "{c}: {}", r.toast());
        assert_eq!(r.app.mode(), Mode::Past);
    }
    assert_eq!(r.store.event_count().unwrap(), events);
    // Another terminal's write keeps the past on screen.
    r.arrive("豫B54321");
    assert_eq!(r.app.shared.bay_of_plate(&plate("豫B54321")), None);
    // An hour on: it left at 05:00 exactly.
    r.key(KeyCode::Char(']'));
    assert_eq!(r.app.shared.past, Some(start() + Duration::hours(2)));
    assert_eq!(r.app.shared.bay_of_plate(&plate("晋D12345")), None);
    r.key(KeyCode::Char('['));
    assert!(r.app.shared.bay_of_plate(&plate("晋D12345")).is_some());
    // Not into the future.
    r.key(KeyCode::Char(']'));
    r.key(KeyCode::Char(']'));
    r.key(KeyCode::Char(']'));
    assert_eq!(r.toast(), "that moment has not come yet");
    // Esc: now again, with the truck that came meanwhile.
    r.key(KeyCode::Esc);
    assert!(r.app.screens.is_empty());
    assert_eq!(r.app.shared.past, None);
    assert_eq!(r.app.shared.bay_of_plate(&plate("晋D12345")), None);
    assert!(r.app.shared.bay_of_plate(&plate("豫B54321")).is_some());
    assert!(!r.screen(160, 45).contains("read only"));
}

#[test]
fn the_shift_report_counts_this_shifts_arrivals_and_the_last_ones() {
    // The day shift (08:00–20:00 at the site): two arrivals.
    let mut r = Rig::new(Utc.with_ymd_and_hms(2026, 11, 24, 2, 0, 0).unwrap());
    r.arrive("晋D12345");
    r.arrive("冀A8B9C1");
    // The night shift: three arrivals and a departure.
    r.advance(Duration::hours(17));
    r.arrive("豫B54321");
    r.arrive("晋E54321");
    r.arrive("晋K66666");
    r.depart("晋D12345");
    r.advance(Duration::minutes(30));
    r.key(KeyCode::Char('R'));
    assert_eq!(r.app.mode(), Mode::Report);
    let report = |r: &Rig| match r.app.screens.last() {
        Some(Screen::Report(s)) => s.report.clone().expect("loaded"),
        other => panic!("the report is on top, not {other:?}"),
    };
    let arrivals = |r: &Rig| report(r).summary.arrivals_by_cargo.values().sum::<usize>();
    assert_eq!(arrivals(&r), 3);
    let t = r.screen(160, 45);
    assert!(
        t.contains("Shift report 2026-11-24 20:00 – 2026-11-25 08:00"),
        "{t}"
    );
    assert!(t.contains("arrivals: 3 (other 3)"), "{t}");
    assert!(t.contains("departures: 1 (other 1)"), "{t}");
    assert!(t.contains("Parking    1200   2         4"), "{t}");
    // The shift before.
    r.key(KeyCode::Char('['));
    assert_eq!(arrivals(&r), 2);
    assert!(r.screen(160, 45).contains("arrivals: 2 (other 2)"));
    r.key(KeyCode::Char(']'));
    assert_eq!(arrivals(&r), 3);
    r.key(KeyCode::Char(']'));
    assert_eq!(r.toast(), "this is the shift under way");
    // Scrolls at 80×24 (drawn at that size first, as a resize is).
    r.app.resize(80, 24);
    r.screen(80, 24);
    r.key(KeyCode::PageDown);
    assert!(r.screen(80, 24).contains("Overrides"));
    // Paging on stops with the report's end on the screen, not past it
    // on a blank page; a page up then moves at once.
    for _ in 0..10 {
        r.key(KeyCode::PageDown);
        r.screen(80, 24);
    }
    let end = r.screen(80, 24);
    assert!(end.contains("Actions undone"), "{end}");
    r.key(KeyCode::PageUp);
    assert_ne!(r.screen(80, 24), end);
}

#[test]
fn the_new_screens_have_their_keys_in_help() {
    let mut r = busy_log();
    r.key(KeyCode::Char('L'));
    r.key(KeyCode::Char('?'));
    let t = r.screen(160, 45);
    assert!(t.contains("older events") && t.contains("filter"), "{t}");
    let _ = BayId::parse("P-01-01");
}

#[test]
fn u_undoes_my_last_action_after_a_confirmation_that_names_it() {
    let mut r = Rig::new(start());
    r.key(KeyCode::Char('U'));
    assert!(
        r.toast().contains("no action left to undo"),
        "{}",
        r.toast()
    );

    r.arrive("晋A10001");
    r.arrive("晋A10002");
    r.key(KeyCode::Char('U'));
    let s = r.screen(120, 40);
    assert!(s.contains("Undo your last action?"), "{s}");
    assert!(s.contains("晋A10002") && s.contains("arrived"), "{s}");
    // Esc: nothing undone.
    r.key(KeyCode::Esc);
    assert_eq!(r.store.event_count().unwrap(), 2);

    r.key(KeyCode::Char('U'));
    r.key(KeyCode::Enter);
    assert_eq!(r.store.event_count().unwrap(), 3);
    let s = r.screen(160, 45);
    assert!(
        s.contains("Parking 1/1200"),
        "the truck is off the map:\n{s}"
    );
    // The message names what was taken back.
    assert!(
        r.toast().contains("undone") && r.toast().contains("event 2 taken back (arrived)"),
        "{}",
        r.toast()
    );

    // A decision is not undone: the operator is told why.
    r.op(Op::Isolate {
        plate: plate("晋A10001"),
        reason: "fever at recheck".into(),
        bay: None,
    });
    r.key(KeyCode::Char('U'));
    assert!(r.toast().contains("not undone"), "{}", r.toast());
    assert_eq!(r.app.mode(), Mode::Map);
}

/// A refused undo names the events as the log does, in words: never the
/// stored key (`handoff_started`, `sample_taken`).
#[test]
fn a_refused_undo_names_the_events_in_words() {
    let mut r = Rig::new(start());
    r.arrive("晋A10001");
    r.op(Op::HandoffStart {
        plate: plate("晋A10001"),
        mode: HandoffMode::Escort,
        receiver: None,
        company: None,
        escort: Some("交警护送".into()),
        by: None,
        bay: None,
    });
    r.key(KeyCode::Char('U'));
    let toast = r.toast();
    assert!(toast.contains("(handoff started) is not undone"), "{toast}");
    // An arrival someone else's sample came after.
    r.arrive("晋A10002");
    let ctx = Ctx {
        action: None,
        operator: "李",
        terminal: "gate-2",
        clock: &r.clock,
        policy: &r.policy,
    };
    ops::execute(
        &mut r.store,
        &ctx,
        &Op::Sample {
            plate: plate("晋A10002"),
            test: TestKind::Antigen,
            tube: None,
            batch: None,
        },
    )
    .unwrap();
    r.settle();
    r.key(KeyCode::Char('U'));
    let toast = r.toast();
    assert!(
        toast.contains("(arrived) can no longer be undone")
            && toast.contains("(sample taken, by 李)"),
        "{toast}"
    );
    assert!(!toast.contains('_'), "{toast}");
}

#[test]
fn the_interface_asks_who_is_at_the_keyboard_and_remembers_it() {
    let dir = tempfile::tempdir().unwrap();
    let remembered = dir.path().join("operator-gate-1");
    let mut s = session();
    s.sign_in = Some(remembered.clone());
    let (_db, store, app) = tui_rig::lot(s, start());
    let mut r = Rig {
        _dir: _db,
        store,
        clock: FixedClock::new(start()),
        policy: Policy::default(),
        app,
    };
    // The first thing on screen: who is it, the last name offered.
    let screen = r.screen(100, 30);
    assert!(screen.contains("Who is at the keyboard?"), "{screen}");
    assert!(screen.contains("tester"), "{screen}");
    r.ctrl('u');
    r.key(KeyCode::Enter);
    assert!(
        r.toast().contains("required"),
        "a name is required: {}",
        r.toast()
    );
    r.typed("王班长");
    r.key(KeyCode::Enter);
    assert_eq!(r.app.mode(), Mode::Map);
    assert_eq!(r.app.shared.session.operator, "王班长");
    assert!(r.screen(160, 45).contains("王班长@gate-1"));
    assert_eq!(
        trucklot::tui::sign_in::remembered(&remembered).as_deref(),
        Some("王班长")
    );
    // What is recorded from now on is in that name: the rig runs effects
    // as the event loop does, with the session's operator.
    r.arrive("晋A10001");
    let log = r.store.log(&trucklot::store::LogFilter::default()).unwrap();
    assert_eq!(log[0].operator, "王班长");

    // O: someone else takes the keyboard mid-shift.
    r.key(KeyCode::Char('O'));
    r.ctrl('u');
    r.typed("李四");
    r.key(KeyCode::Enter);
    assert_eq!(r.app.shared.session.operator, "李四");
}

#[test]
fn the_isolation_board_at_a_past_moment_is_the_board_as_it_was() {
    let mut r = Rig::new(start());
    r.arrive("晋D12345");
    r.op(Op::Sample {
        plate: plate("晋D12345"),
        test: trucklot::domain::event::TestKind::Pcr,
        tube: None,
        batch: None,
    });
    r.op(Op::Isolate {
        plate: plate("晋D12345"),
        reason: "fever at recheck".into(),
        bay: None,
    });
    r.advance(Duration::hours(2));
    r.op(Op::Release {
        plate: plate("晋D12345"),
        reason: "re-measured 36.6".into(),
        by: "王班长".into(),
        bay: None,
    });
    r.advance(Duration::hours(1));
    // Now: nobody in isolation.
    r.key(KeyCode::Char('i'));
    assert!(!r.screen(160, 45).contains("晋D12345"));
    r.key(KeyCode::Esc);
    // 04:00 at the site: it was isolated, its PCR pending.
    // The prompt offers the hour now began; typing replaces it.
    r.key(KeyCode::Char('t'));
    r.typed("2026-11-25 04:00");
    r.key(KeyCode::Enter);
    r.key(KeyCode::Char('i'));
    assert_eq!(r.app.mode(), Mode::Isolation);
    let board = r.screen(160, 45);
    assert!(board.contains("晋D12345"), "{board}");
    assert!(board.contains("fever at recheck"), "{board}");
    // Nothing can be decided on a past board, and its footer offers
    // nothing of the kind (the help still lists the keys).
    let foot = r
        .screen(160, 45)
        .lines()
        .last()
        .unwrap_or_default()
        .to_string();
    assert!(
        foot.contains("go to bay") && !foot.contains("release") && !foot.contains("escalate"),
        "{foot}"
    );
    r.key(KeyCode::Char('u'));
    assert!(r.toast().starts_with("read only"), "{}", r.toast());
    assert_eq!(r.app.mode(), Mode::Isolation);
    // Back to the past map, then to now.
    r.key(KeyCode::Esc);
    assert_eq!(r.app.mode(), Mode::Past);
}
