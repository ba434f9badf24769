//! Keys that behave: every binding of every mode, driven from the one
//! keymap table, does something or says why not; `?`/F1 everywhere; Ctrl
//! letters never type; Esc on a typed form asks; a too-small screen
//! commits nothing; search finds bays, drivers and trucks that left; the
//! map's `←` from parking returns to the block last visited; the loop's
//! refresh shows another connection's commit.

mod tui_rig;

use chrono::{DateTime, TimeZone, Utc};
use crossterm::event::KeyCode;
use tempfile::TempDir;
use trucklot::domain::bay::BayId;
use trucklot::domain::clock::FixedClock;
use trucklot::domain::event::ArrivalRecord;
use trucklot::domain::plate::Plate;
use trucklot::domain::policy::{Cargo, HealthCode, Policy, Temperature};
use trucklot::i18n::Lang;
use trucklot::ops::{self, Ctx, Op};
use trucklot::store::Store;
use trucklot::tui::app::App;
use trucklot::tui::keymap::{self, Action, Key, Mode};
use trucklot::tui::screens::form::Field;
use trucklot::tui::screens::{Hit, Screen};
use trucklot::tui::{Link, Session, poll_db};

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 19, 0, 0).unwrap()
}

fn session() -> Session {
    tui_rig::session("tester", "gate-1", ["east", "west"], Lang::En, false, true)
}

fn arrival(plate: &str, driver: &str) -> ArrivalRecord {
    ArrivalRecord {
        plate: Plate::parse(plate).unwrap(),
        driver: Some(driver.into()),
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
    dir: TempDir,
    store: Store,
    clock: FixedClock,
    policy: Policy,
    app: App,
}

impl Rig {
    /// A lot with two trucks: 晋D12345 (driver 张三) in P-05-30 and
    /// 冀A8B9C1 (driver Li Si) in P-05-31, and 豫B54321 that has left.
    fn new() -> Rig {
        let (dir, store, app) = tui_rig::lot(session(), start());
        let mut r = Rig {
            dir,
            store,
            clock: FixedClock::new(start()),
            policy: Policy::default(),
            app,
        };
        r.op(Op::Arrive {
            arrival: arrival("晋D12345", "张三"),
            bay: Some(BayId::parse("P-05-30").unwrap()),
            override_reason: None,
        });
        r.op(Op::Arrive {
            arrival: arrival("冀A8B9C1", "Li Si"),
            bay: Some(BayId::parse("P-05-31").unwrap()),
            override_reason: None,
        });
        r.op(Op::Arrive {
            arrival: arrival("豫B54321", "王五"),
            bay: Some(BayId::parse("P-09-01").unwrap()),
            override_reason: None,
        });
        r.op(Op::Depart {
            plate: Plate::parse("豫B54321").unwrap(),
            force_reason: Some("test".into()),
        });
        r.go("P-05-30");
        r
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

    fn settle(&mut self) {
        tui_rig::run(
            &mut self.app,
            &mut self.store,
            &self.clock,
            &self.policy,
            None,
        );
    }

    fn go(&mut self, bay: &str) {
        let i = self
            .app
            .shared
            .layout
            .find(&BayId::parse(bay).unwrap())
            .unwrap();
        self.app.set_cursor(i);
        self.settle();
    }

    fn send(&mut self, key: Key) {
        tui_rig::key(&mut self.app, key.code, key.ctrl);
        self.settle();
    }

    fn press(&mut self, code: KeyCode) {
        self.send(Key { code, ctrl: false });
    }

    fn ctrl(&mut self, c: char) {
        self.send(Key {
            code: KeyCode::Char(c),
            ctrl: true,
        });
    }

    fn typed(&mut self, s: &str) {
        for c in s.chars() {
            self.press(KeyCode::Char(c));
        }
    }

    fn screen(&self) -> String {
        tui_rig::text(&self.buffer(), false)
    }

    /// The whole screen with its styles (a cursor is a style).
    fn buffer(&self) -> ratatui::buffer::Buffer {
        tui_rig::buffer(&self.app, 160, 45)
    }

    fn events(&self) -> i64 {
        self.store.event_count().unwrap()
    }

    fn form(&self) -> &trucklot::tui::screens::form::ArrivalForm {
        self.app
            .screens
            .iter()
            .rev()
            .find_map(|s| match s {
                Screen::Form(f) => Some(f),
                _ => None,
            })
            .expect("a form is open")
    }

    fn tab_to(&mut self, field: Field) {
        for _ in 0..40 {
            if self.form().focus == field {
                return;
            }
            self.press(KeyCode::Tab);
        }
        panic!("{field:?} not reached");
    }

    fn toast(&self) -> String {
        tui_rig::toast(&self.app)
    }
}

/// A rig with `mode` on top, reached by keys.
fn in_mode(mode: Mode) -> Rig {
    let mut r = Rig::new();
    let form_to = |r: &mut Rig, field: Field| {
        r.press(KeyCode::Char('a'));
        r.typed("晋E11111");
        r.tab_to(field);
    };
    match mode {
        Mode::Map => {}
        Mode::Form => r.press(KeyCode::Char('a')),
        Mode::FormCode => form_to(&mut r, Field::Code),
        Mode::FormFlag => form_to(&mut r, Field::Venue),
        Mode::FormCargo => form_to(&mut r, Field::Cargo),
        Mode::FormGate => form_to(&mut r, Field::Gate),
        Mode::FormBay => form_to(&mut r, Field::Bay),
        Mode::PickBay => {
            form_to(&mut r, Field::Bay);
            r.press(KeyCode::Char(' '));
        }
        Mode::Search => r.press(KeyCode::Char('/')),
        Mode::Confirm => r.press(KeyCode::Char('d')),
        Mode::Prompt => r.press(KeyCode::Char('x')),
        Mode::Menu => r.press(KeyCode::Char('v')),
        Mode::Help => r.press(KeyCode::Char('?')),
        Mode::Clocks => r.press(KeyCode::Char('c')),
        Mode::Isolation => {
            r.op(Op::Isolate {
                plate: Plate::parse("冀A8B9C1").unwrap(),
                reason: "fever".into(),
                bay: None,
            });
            r.op(Op::Isolate {
                plate: Plate::parse("晋D12345").unwrap(),
                reason: "cough".into(),
                bay: None,
            });
            r.press(KeyCode::Char('i'));
        }
        Mode::Log => r.press(KeyCode::Char('L')),
        Mode::LogFilter => {
            r.press(KeyCode::Char('L'));
            r.press(KeyCode::Char('f'));
        }
        Mode::Past => {
            r.press(KeyCode::Char('t'));
            r.press(KeyCode::Enter);
        }
        Mode::Report => r.press(KeyCode::Char('R')),
        Mode::Stay => {
            // The newest event: 豫B54321 left; Enter shows its stay.
            r.press(KeyCode::Char('L'));
            r.press(KeyCode::Enter);
        }
    }
    assert_eq!(r.app.mode(), mode, "reaching {mode:?}");
    r
}

/// Bindings that may leave everything as it was, and why.
fn why_nothing(mode: Mode, action: Action, key: Key) -> Option<&'static str> {
    match (mode, action) {
        // Text editing on an empty field, or at its edge.
        (_, Action::Edit(_)) => Some("nothing typed to edit yet"),
        // Moving a cursor that is at the edge it moves towards.
        (Mode::Search, Action::Up | Action::Down) if key.code != KeyCode::Tab => {
            Some("one hit: the selection wraps onto itself")
        }
        (Mode::Search, Action::Down) => Some("one hit: the selection wraps onto itself"),
        (Mode::Clocks | Mode::Isolation, Action::Up | Action::Newer) => {
            Some("the first row is selected")
        }
        (Mode::Log | Mode::Report | Mode::Stay, Action::Up | Action::Newer)
            if mode != Mode::Log || action == Action::Up =>
        {
            Some("at the top already")
        }
        (Mode::Clocks, Action::Down | Action::Older) => Some("one clock at most in this lot"),
        (Mode::Map | Mode::PickBay | Mode::Past, Action::Zone(2)) => {
            Some("the cursor is in parking already")
        }
        // The suggestion is P-01-01, the top left of parking, where picking starts.
        (Mode::PickBay, Action::Up | Action::RowStart) => Some("the top left bay already"),
        _ => None,
    }
}

#[test]
fn every_binding_of_every_mode_does_something_or_says_why_not() {
    let mut checked = 0;
    let mut silent = Vec::new();
    for mode in Mode::ALL {
        for b in keymap::bindings(mode) {
            for key in b.keys {
                let mut r = in_mode(mode);
                let before = (r.buffer(), r.toast(), r.app.quit, r.events());
                r.send(*key);
                let after = (r.buffer(), r.toast(), r.app.quit, r.events());
                if before == after && why_nothing(mode, b.action, *key).is_none() {
                    silent.push(format!("{mode:?}: {} ({:?})", key.label(), b.action));
                }
                checked += 1;
            }
        }
    }
    assert!(
        silent.is_empty(),
        "did nothing and said nothing: {silent:#?}"
    );
    assert!(checked > 100, "{checked} keys checked");
}

#[test]
fn help_opens_in_every_mode_and_lists_that_modes_keys() {
    for mode in Mode::ALL.into_iter().filter(|m| *m != Mode::Help) {
        let mut r = in_mode(mode);
        r.send(keymap::help_key(mode));
        assert_eq!(r.app.mode(), Mode::Help, "{mode:?}");
        assert_eq!(r.app.help_mode(), mode);
        let s = r.screen();
        let title = mode.title().text(Lang::En);
        assert!(s.contains(title), "{mode:?}: help names {title}");
        // The screen's own word for a key where it has one (a notice's
        // Enter closes it), as its footer says; else the table's.
        let words = match r.app.screens.last() {
            Some(trucklot::tui::screens::Screen::Help(h)) => h.words.clone(),
            _ => Vec::new(),
        };
        for b in keymap::bindings(mode) {
            let word = words
                .iter()
                .find(|(a, _)| *a == b.action)
                .map_or(b.help, |&(_, m)| m);
            assert!(
                s.contains(word.text(Lang::En)),
                "{mode:?}: help lists {word:?}"
            );
        }
        r.press(KeyCode::Esc);
        assert_eq!(r.app.mode(), mode, "Esc goes back to {mode:?}");
    }
}

#[test]
fn f1_is_help_in_the_form_and_the_footer_says_so() {
    let mut r = Rig::new();
    r.press(KeyCode::Char('a'));
    r.typed("晋D?");
    assert_eq!(r.form().plate.text(), "晋D?", "? is a character in a field");
    assert!(r.screen().contains(" F1  help"), "the footer shows F1");
    r.press(KeyCode::F(1));
    assert_eq!(r.app.mode(), Mode::Help);
    assert_eq!(r.app.help_mode(), Mode::Form);
    r.press(KeyCode::F(1));
    assert_eq!(r.app.mode(), Mode::Form, "F1 again closes help");
}

#[test]
fn ctrl_letters_never_type_ctrl_w_deletes_a_word_and_ctrl_u_the_line() {
    let mut r = Rig::new();
    r.press(KeyCode::Char('a'));
    r.tab_to(Field::Driver);
    r.typed("张 三丰");
    r.ctrl('w');
    assert_eq!(r.form().driver.text(), "张 ");
    r.ctrl('x');
    assert_eq!(r.toast(), "Ctrl-x: not a key here — F1 for help");
    r.ctrl('a');
    assert_eq!(
        r.form().driver.text(),
        "张 ",
        "other Ctrl-letters type nothing"
    );
    r.ctrl('u');
    assert_eq!(r.form().driver.text(), "");
    // Search and prompts edit alike.
    r.press(KeyCode::Esc);
    r.press(KeyCode::Char('y'));
    r.press(KeyCode::Char('/'));
    r.typed("D12 34");
    r.ctrl('w');
    r.ctrl('e');
    match r.app.screens.last() {
        Some(Screen::Search(s)) => assert_eq!(s.input.text(), "D12 "),
        _ => panic!("search is open"),
    }
}

#[test]
fn esc_on_a_form_with_typed_data_asks_and_on_an_empty_one_closes() {
    let mut r = Rig::new();
    let events = r.events();
    r.press(KeyCode::Char('a'));
    r.press(KeyCode::Esc);
    assert!(r.app.screens.is_empty(), "nothing typed: Esc closes");
    r.press(KeyCode::Char('a'));
    r.typed("晋E");
    r.press(KeyCode::Esc);
    let s = r.screen();
    assert!(s.contains("Discard this arrival?"));
    // The question names the plate typed, above its options.
    let lines: Vec<&str> = s.lines().collect();
    let title = lines
        .iter()
        .position(|l| l.contains("Discard this arrival?"))
        .unwrap();
    assert!(lines[title + 1].contains("晋E"), "{s}");
    r.press(KeyCode::Char('n'));
    assert_eq!(r.form().plate.text(), "晋E", "n keeps the form");
    r.press(KeyCode::Esc);
    r.press(KeyCode::Esc);
    assert_eq!(r.form().plate.text(), "晋E", "Esc on the question keeps it");
    r.press(KeyCode::Esc);
    r.press(KeyCode::Char('y'));
    assert!(r.app.screens.is_empty());
    assert_eq!(r.events(), events, "nothing was written");
}

#[test]
fn while_the_terminal_is_too_small_no_key_commits_anything() {
    let mut r = Rig::new();
    r.press(KeyCode::Char('d'));
    assert_eq!(r.app.mode(), Mode::Confirm);
    let events = r.events();
    r.app.resize(50, 15);
    assert!(r.app.too_small());
    r.press(KeyCode::Enter);
    r.press(KeyCode::Char('y'));
    assert_eq!(r.app.mode(), Mode::Confirm, "Enter did nothing");
    assert_eq!(r.events(), events);
    r.press(KeyCode::Char('q'));
    assert!(!r.app.quit, "q is no quit in a confirmation");
    r.app.resize(160, 45);
    r.press(KeyCode::Esc);
    r.app.resize(50, 15);
    r.press(KeyCode::Char('a'));
    assert!(r.app.screens.is_empty(), "no form opened blind");
    r.press(KeyCode::Char('q'));
    assert!(r.app.quit, "quit still works");
}

#[test]
fn an_unknown_key_gets_a_one_line_hint_in_the_interface_language() {
    let mut r = Rig::new();
    r.press(KeyCode::Char('Y'));
    assert_eq!(r.toast(), "Y: not a key here — ? for help");
    r.app.shared.session.lang = Lang::Zh;
    r.press(KeyCode::Char('Z'));
    assert_eq!(r.toast(), "Z：此处没有这个键 — 按 ? 查看帮助");
}

#[test]
fn an_error_stays_until_the_next_key_and_goes_with_what_it_was_about() {
    let mut r = Rig::new();
    let later = |r: &mut Rig, secs: i64| r.app.set_now(start() + chrono::Duration::seconds(secs));
    // The form: Enter with the temperature missing says so, and the error
    // stays however long the operator looks at it...
    r.press(KeyCode::Char('a'));
    r.typed("晋E11111");
    r.press(KeyCode::Enter);
    let said = r.toast();
    assert_eq!(said, "Temp °C: required");
    assert_eq!(r.form().focus, Field::Temp);
    later(&mut r, 60);
    assert_eq!(r.toast(), said, "not gone by itself");
    assert!(r.screen().contains(&said));
    // ... until the field it is about is typed into again.
    r.typed("36.6");
    assert_eq!(r.toast(), "");
    assert!(!r.screen().contains(&said), "{}", r.screen());
    // The next missing field, then the form left: gone with it.
    r.press(KeyCode::Enter);
    let said = r.toast();
    assert!(!said.is_empty() && r.screen().contains(&said));
    r.press(KeyCode::Esc);
    r.press(KeyCode::Char('y'));
    assert!(r.app.screens.is_empty(), "the form discarded");
    assert_eq!(r.toast(), "");
    assert!(!r.screen().contains(&said));
    // The map: a refused key, then another screen.
    r.go("P-05-30");
    r.press(KeyCode::Char('u'));
    assert!(
        r.toast().contains("晋D12345 is not in isolation"),
        "{}",
        r.toast()
    );
    r.press(KeyCode::Char('c'));
    assert_eq!(r.app.mode(), Mode::Clocks);
    assert_eq!(r.toast(), "", "left on the map");
    // A board: a refused key, then another board.
    r.press(KeyCode::Char('a'));
    assert!(
        r.toast().starts_with("select a handoff waiting"),
        "{}",
        r.toast()
    );
    r.press(KeyCode::Char('i'));
    assert_eq!(r.app.mode(), Mode::Isolation);
    assert_eq!(r.toast(), "");
    // Esc on the map dismisses one too (it has nothing else to do there).
    r.press(KeyCode::Esc);
    r.press(KeyCode::Char('Y'));
    assert!(!r.toast().is_empty());
    r.press(KeyCode::Esc);
    assert_eq!(r.toast(), "");
    // A done message is no error: it stays through the next keys and goes
    // after its eight seconds, as before.
    r.press(KeyCode::Char('v'));
    r.press(KeyCode::Char('m'));
    let done = r.toast();
    assert!(done.starts_with('✓'), "{done}");
    r.press(KeyCode::Char('j'));
    assert_eq!(r.toast(), done);
    later(&mut r, 60 + 8);
    assert_eq!(r.toast(), "");
}

#[test]
fn search_finds_a_bay_id_a_drivers_name_and_a_departed_truck() {
    let mut r = Rig::new();
    r.go("P-01-01");
    r.press(KeyCode::Char('/'));
    r.typed("P-05-31");
    let hits = |r: &Rig| match r.app.screens.last() {
        Some(Screen::Search(s)) => s.hits.clone(),
        _ => panic!("search is open"),
    };
    let bay = r
        .app
        .shared
        .layout
        .find(&BayId::parse("P-05-31").unwrap())
        .unwrap();
    assert_eq!(hits(&r), vec![Hit::Bay(bay)]);
    assert!(r.screen().contains("冀A8B9C1"));
    // Typed in a hurry, without the layout's zeros: the same bay first.
    r.ctrl('u');
    r.typed("p-5-31");
    assert_eq!(hits(&r).first(), Some(&Hit::Bay(bay)));
    r.press(KeyCode::Enter);
    assert_eq!(r.app.shared.cursor_bay().as_str(), "P-05-31");
    // A driver's name, in any case.
    r.press(KeyCode::Char('/'));
    r.typed("li si");
    assert_eq!(hits(&r), vec![Hit::Bay(bay)]);
    r.ctrl('u');
    r.typed("张三");
    let d = r
        .app
        .shared
        .layout
        .find(&BayId::parse("P-05-30").unwrap())
        .unwrap();
    assert_eq!(hits(&r), vec![Hit::Bay(d)]);
    // A truck that left: found, marked, not on the map.
    r.ctrl('u');
    r.typed("yuB54");
    let h = hits(&r);
    assert!(
        matches!(h.as_slice(), [Hit::Departed { plate, .. }] if plate.as_str() == "豫B54321"),
        "{h:?}"
    );
    assert!(r.screen().contains("豫B54321   departed"));
    r.press(KeyCode::Enter);
    assert!(r.toast().contains("豫B54321 left at"), "{}", r.toast());
    assert_eq!(r.app.mode(), Mode::Search);
}

#[test]
fn the_form_takes_a_pinyin_province_and_a_comma_decimal() {
    let mut r = Rig::new();
    r.press(KeyCode::Char('a'));
    r.typed("jinE12345");
    r.press(KeyCode::Tab);
    r.typed("36,6");
    r.press(KeyCode::Tab);
    r.press(KeyCode::Char('g'));
    r.press(KeyCode::Char('y'));
    let events = r.events();
    r.press(KeyCode::Enter);
    assert!(r.events() > events, "{}", r.toast());
    assert!(r.toast().contains("晋E12345"), "{}", r.toast());
}

#[test]
fn left_from_parking_returns_to_the_stacked_block_last_visited() {
    let mut r = Rig::new();
    // 4 isolation, 3 parking, ← : back to isolation, not to living.
    r.press(KeyCode::Char('4'));
    assert_eq!(r.app.shared.cursor_bay().as_str(), "I-01");
    r.press(KeyCode::Char('3'));
    r.press(KeyCode::Char('0'));
    r.press(KeyCode::Left);
    assert_eq!(r.app.shared.cursor_bay().as_str(), "I-01");
    // And the same for handoff and work.
    for (key, bay) in [('5', "H-01"), ('1', "W-01")] {
        r.press(KeyCode::Char(key));
        r.press(KeyCode::Char('3'));
        r.press(KeyCode::Char('0'));
        r.press(KeyCode::Left);
        assert_eq!(r.app.shared.cursor_bay().as_str(), bay);
    }
}

#[test]
fn the_loops_refresh_shows_another_connections_commit() {
    let mut r = Rig::new();
    let mut link = Link::default();
    r.store.changed().unwrap();
    assert!(!poll_db(&mut r.store, &mut r.app, &mut link), "nothing new");
    // Another terminal writes to the same database.
    let mut other = Store::open(&r.dir.path().join("lot.db")).unwrap();
    let (clock, policy) = (FixedClock::new(start()), Policy::default());
    let ctx2 = Ctx {
        action: None,
        operator: "other",
        terminal: "gate-2",
        clock: &clock,
        policy: &policy,
    };
    ops::execute(
        &mut other,
        &ctx2,
        &Op::Arrive {
            arrival: arrival("晋K22222", "赵六"),
            bay: Some(BayId::parse("P-10-10").unwrap()),
            override_reason: None,
        },
    )
    .unwrap();
    assert!(poll_db(&mut r.store, &mut r.app, &mut link));
    let bay = r
        .app
        .shared
        .bay_of_plate(&Plate::parse("晋K22222").unwrap());
    assert_eq!(
        bay.map(|b| r.app.shared.layout.bays[b].id.to_string())
            .as_deref(),
        Some("P-10-10")
    );
    r.go("P-10-10");
    assert!(r.screen().contains("晋K22222"));
}

/// A lost server: the banner says so over the map (which keeps the lot as
/// last read) until it answers again, and an action whose answer was lost
/// goes again with the same id, so a first try that was committed is told
/// done instead of being recorded twice.
#[test]
fn a_lost_server_is_said_over_the_map_and_an_unanswered_action_keeps_its_id() {
    let mut r = Rig::new();
    r.app.set_unreachable(Some(4));
    let screen = r.screen();
    assert!(
        screen.contains("lot server unreachable — retrying in 4 s"),
        "{screen}"
    );
    assert!(screen.contains("Parking"), "the map stays: {screen}");
    r.app.set_unreachable(None);
    assert!(!r.screen().contains("unreachable"));

    let depart = |p: &str| Op::Depart {
        plate: Plate::parse(p).unwrap(),
        force_reason: None,
    };
    let op = depart("晋D12345");
    let first = r.app.action_for(&op);
    let lost: Result<trucklot::ops::Outcome, ops::OpError> = Err(ops::OpError::Store(
        trucklot::store::StoreError::Disconnected {
            detail: "connection closed".into(),
        },
    ));
    r.app.remember_action(&op, first.clone(), &lost);
    assert!(r.app.connection_lost(), "the loop hears of it");
    assert!(!r.app.connection_lost(), "once");
    assert_eq!(r.app.action_for(&op), first, "sent again: the same id");
    assert_ne!(r.app.action_for(&op), first, "answered: the next is new");
    let other = depart("晋D22222");
    r.app.remember_action(&op, first.clone(), &lost);
    assert_ne!(r.app.action_for(&other), first, "another action: a new id");
}

/// `v` closes a call by its kind: with a meal and a medical call open, the
/// meal delivered is not taken for the doctor (closing the oldest would
/// have), and the done message names the call.
#[test]
fn a_service_call_is_marked_done_by_its_kind() {
    let mut r = Rig::new();
    for kind in ['e', 'm'] {
        r.press(KeyCode::Char('v'));
        r.press(KeyCode::Char(kind));
    }
    assert!(r.toast().contains("meal"), "{}", r.toast());
    r.press(KeyCode::Char('v'));
    assert!(r.screen().contains("done: which call"), "{}", r.screen());
    r.press(KeyCode::Char('d'));
    assert!(r.screen().contains("Which call is done?"), "{}", r.screen());
    r.press(KeyCode::Char('m'));
    assert!(
        r.toast().contains("service done") && r.toast().contains("meal"),
        "{}",
        r.toast()
    );
    // The medical call is still open: it holds the truck, and it is the
    // one call left to mark done.
    let plate = Plate::parse("晋D12345").unwrap();
    let blockers =
        trucklot::ops::departure_blockers(&mut r.store, &r.policy, &plate).expect("on site");
    assert!(
        blockers.contains(&trucklot::domain::stay::Blocker::MedicalCall),
        "{blockers:?}"
    );
    r.press(KeyCode::Char('v'));
    assert!(r.screen().contains("done: medical"), "{}", r.screen());
    r.press(KeyCode::Char('d'));
    assert!(r.toast().contains("medical"), "{}", r.toast());
    r.press(KeyCode::Char('v'));
    assert!(!r.screen().contains("done:"), "{}", r.screen());
}

/// PgDn and PgUp move a board's selection a screen at a time: a demo's
/// clocks run to a hundred rows.
#[test]
fn the_clocks_board_pages_with_pgdn_and_pgup() {
    use trucklot::domain::event::TestKind;
    use trucklot::tui::screens::Screen;
    let mut r = Rig::new();
    for n in 0..50 {
        let plate = format!("晋E{:05}", 10_000 + n);
        r.op(Op::Arrive {
            arrival: arrival(&plate, "赵六"),
            bay: None,
            override_reason: None,
        });
        r.op(Op::Sample {
            plate: Plate::parse(&plate).unwrap(),
            test: TestKind::Antigen,
            tube: None,
            batch: None,
        });
    }
    r.press(KeyCode::Char('c'));
    let selected = |r: &Rig| match r.app.screens.last() {
        Some(Screen::Clocks(b)) => b.selected,
        other => panic!("the clocks board is open, not {other:?}"),
    };
    // Drawn 45 rows high: a page is about a screenful of rows.
    r.screen();
    r.press(KeyCode::PageDown);
    let page = selected(&r);
    assert!((30..=45).contains(&page), "{page}");
    r.press(KeyCode::PageDown);
    assert!(selected(&r) >= 49, "the last row: {}", selected(&r));
    r.press(KeyCode::PageUp);
    r.press(KeyCode::PageUp);
    assert_eq!(selected(&r), 0);
}
