//! The screens, driven by keys through `App` and drawn on ratatui's
//! `TestBackend` at 80×24 and 160×45. No terminal, fixed clock.

mod tui_rig;

use chrono::{DateTime, Duration, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tempfile::TempDir;
use trucklot::domain::bay::BayId;
use trucklot::domain::clock::FixedClock;
use trucklot::domain::event::{ArrivalRecord, TestKind, TestResult};
use trucklot::domain::plate::Plate;
use trucklot::domain::policy::{Cargo, HealthCode, Policy, Temperature};
use trucklot::i18n::Lang;
use trucklot::ops::Op;
use trucklot::store::Store;
use trucklot::tui::Session;
use trucklot::tui::app::App;

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 19, 0, 0).unwrap()
}

struct Rig {
    _dir: TempDir,
    store: Store,
    clock: FixedClock,
    policy: Policy,
    app: App,
    presses: usize,
}

fn session(lang: Lang) -> Session {
    tui_rig::session("tester", "gate-1", ["east", "west"], lang, false, true)
}

fn arrival(plate: &str, cargo: Cargo, temp: f64, code: HealthCode) -> ArrivalRecord {
    ArrivalRecord {
        plate: Plate::parse(plate).unwrap(),
        driver: Some("张三".into()),
        phone: None,
        cargo,
        origin: Some("太原".into()),
        destination: Some("长治".into()),
        temperature: Some(Temperature::new(temp).unwrap()),
        code: Some(code),
        travel_flag: false,
        handoff_required: false,
        passengers: vec![],
        gate: Some("east".into()),
        venue_code: Some(true),
    }
}

impl Rig {
    fn new(lang: Lang) -> Rig {
        let (dir, store, app) = tui_rig::lot(session(lang), start());
        let mut rig = Rig {
            _dir: dir,
            store,
            clock: FixedClock::new(start()),
            policy: Policy::default(),
            app,
            presses: 0,
        };
        rig.settle();
        rig
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

    /// A sample taken at another terminal's pace: no tube, no batch.
    fn sample(&mut self, plate: &str, test: TestKind) {
        self.op(Op::Sample {
            plate: Plate::parse(plate).unwrap(),
            test,
            tube: None,
            batch: None,
        });
    }

    fn result(&mut self, plate: &str, test: TestKind, result: TestResult) {
        self.op(Op::Result {
            plate: Plate::parse(plate).unwrap(),
            test,
            result,
        });
    }

    fn arrive(&mut self, plate: &str, cargo: Cargo, temp: f64, bay: Option<&str>) {
        self.op(Op::Arrive {
            arrival: arrival(plate, cargo, temp, HealthCode::Green),
            bay: bay.map(|b| BayId::parse(b).unwrap()),
            override_reason: None,
        });
    }

    /// A small busy lot: clean, priority, pending, overdue and isolated trucks.
    fn busy(lang: Lang) -> Rig {
        let mut r = Rig::new(lang);
        r.arrive("晋D12345", Cargo::Emergency, 36.5, None);
        r.arrive("冀A8B9C1", Cargo::Other, 36.8, None);
        r.arrive("豫B12345", Cargo::Other, 38.4, None);
        r.arrive("晋D1234挂", Cargo::Living, 36.6, Some("P-05-30"));
        r.sample("冀A8B9C1", TestKind::Antigen);
        r.sample("晋D1234挂", TestKind::Pcr);
        r.clock.advance(Duration::minutes(40));
        let now = r.clock.now_utc();
        r.app.set_now(now);
        r
    }

    /// Runs the app's effects the way the event loop does, until none are left.
    fn settle(&mut self) {
        tui_rig::run(
            &mut self.app,
            &mut self.store,
            &self.clock,
            &self.policy,
            None,
        );
    }

    /// A key press that is not part of typed text (those are counted).
    fn press(&mut self, code: KeyCode) {
        self.presses += 1;
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
            self.app
                .key(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
            self.settle();
        }
    }

    fn screen(&self, w: u16, h: u16) -> String {
        tui_rig::text(&tui_rig::buffer(&self.app, w, h), true)
    }

    fn events(&self) -> i64 {
        self.store.event_count().unwrap()
    }

    /// The status line's message, if one stands.
    fn toast(&self) -> String {
        tui_rig::toast(&self.app)
    }
}

trait NowUtc {
    fn now_utc(&self) -> DateTime<Utc>;
}

impl NowUtc for FixedClock {
    fn now_utc(&self) -> DateTime<Utc> {
        use trucklot::domain::clock::Clock;
        self.now()
    }
}

#[test]
fn the_whole_lot_is_on_one_screen_at_160x45() {
    let r = Rig::busy(Lang::En);
    let s = r.screen(160, 45);
    for text in [
        "Work 工作区",
        "Living 生活区",
        "Parking 停车区",
        "Isolation 隔离区",
        "Handoff 点对点",
        "exit 出口",
        "1 overdue",
    ] {
        assert!(s.contains(text), "missing {text:?} in\n{s}");
    }
    // Every parking row is drawn, each with all 60 bays.
    for row in 1..=20 {
        let label = format!("{row:02} ");
        let line = s
            .lines()
            .find(|l| l.contains(&format!("┃{label}")))
            .unwrap_or_else(|| panic!("row {row} missing\n{s}"));
        // Sixty bays in six groups of ten, a blank column between groups.
        let cells = line
            .split(&format!("┃{label}"))
            .nth(1)
            .unwrap()
            .chars()
            .take(65)
            .collect::<String>();
        let groups: Vec<&str> = cells.split(' ').collect();
        assert_eq!(groups.len(), 6, "row {row}: {cells:?}");
        assert!(
            groups.iter().all(|g| g.chars().count() == 10),
            "row {row}: {cells:?}"
        );
    }
    // State glyphs: a priority truck at the exit end of row 1, an overdue antigen, isolation.
    assert!(s.contains("▪┃"), "priority truck nearest the exit\n{s}");
    assert!(s.contains('!') && s.contains('✚') && s.contains('◐'));
    assert!(
        s.contains("free") && s.contains("overdue") && s.contains("isolated"),
        "legend on screen"
    );
    insta::assert_snapshot!("map_160x45", s);
}

#[test]
fn the_map_works_at_80x24() {
    let mut r = Rig::busy(Lang::En);
    let s = r.screen(80, 24);
    for text in [
        "Work",
        "Living",
        "Parking",
        "Isolation",
        "Handoff",
        "1 overdue",
        "P-01-01",
    ] {
        assert!(s.contains(text), "missing {text:?} in\n{s}");
    }
    // Move to the far end of the parking rows: the grid scrolls to keep the cursor on screen.
    r.press(KeyCode::Char('3'));
    r.press(KeyCode::End);
    let s = r.screen(80, 24);
    assert!(s.contains("P-01-60"), "{s}");
    assert!(s.contains("晋D12345"), "the strip shows the truck\n{s}");
    insta::assert_snapshot!("map_80x24", s);
}

#[test]
fn a_terminal_too_small_says_how_large_it_must_be() {
    let r = Rig::new(Lang::En);
    let s = r.screen(50, 12);
    assert!(s.contains("60×18"), "{s}");
}

#[test]
fn arrival_in_the_suggested_bay_takes_few_keys() {
    let mut r = Rig::new(Lang::En);
    let before = r.events();
    r.form_start("晋D12345", "36.6", 'g');
    r.press(KeyCode::Char('e'));
    r.typed("张三");
    r.press(KeyCode::Tab);
    r.typed("13800138000");
    r.press(KeyCode::Tab);
    r.typed("太原");
    r.press(KeyCode::Tab);
    r.typed("长治");
    let form = r.screen(160, 45);
    assert!(
        form.contains("P-01-60"),
        "priority cargo is offered the bay nearest the exit\n{form}"
    );
    r.press(KeyCode::Enter);
    // Every field filled, into the suggested bay: the README says how many.
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    assert!(
        readme.contains(&format!("**{} keys**", r.presses)),
        "README should say **{} keys**",
        r.presses
    );
    assert!(r.presses <= 12, "{} keys", r.presses);
    assert_eq!(r.events(), before + 1);
    assert_eq!(r.app.shared.cursor_bay().as_str(), "P-01-60");
    assert!(r.screen(160, 45).contains("arrived 晋D12345 P-01-60"));
}

/// The shortest arrival the README gives: plate, temperature, code and
/// venue code are required; `Enter` before that registers nothing and
/// puts the cursor on what is missing.
#[test]
fn the_shortest_arrival_is_the_one_the_readme_gives() {
    let mut r = Rig::new(Lang::En);
    r.press(KeyCode::Char('a'));
    r.typed("晋D12345");
    r.press(KeyCode::Enter);
    assert_eq!(r.events(), 0, "a, plate, Enter is not an arrival");
    assert!(r.screen(160, 45).contains("Temp °C: required"));
    r.press(KeyCode::Esc);
    r.press(KeyCode::Char('y'));
    r.presses = 0;
    // a, plate, Tab, temperature, Tab, g, y; then Enter.
    r.form_start("晋D12345", "36.6", 'g');
    r.press(KeyCode::Enter);
    assert_eq!(r.events(), 1);
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let readme = readme.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        readme.contains(&format!(
            "`a`, plate, `Tab`, temperature, `Tab`, `g`, `y`, `Enter` — **{} keys**",
            r.presses
        )),
        "README should give the shortest arrival, {} keys",
        r.presses
    );
}

#[test]
fn the_form_validates_as_you_type_and_esc_changes_nothing() {
    let mut r = Rig::new(Lang::En);
    r.press(KeyCode::Char('a'));
    r.typed("晋I12345");
    assert!(
        r.screen(160, 45)
            .contains("second character must be a letter")
    );
    r.press(KeyCode::Enter);
    assert_eq!(r.events(), 0, "an invalid form is not submitted");
    r.press(KeyCode::Esc);
    assert!(
        r.screen(160, 45).contains("Discard this arrival?"),
        "typed data is not dropped on one key"
    );
    r.press(KeyCode::Char('y'));
    assert!(!r.screen(160, 45).contains("Arrival"));
    assert_eq!(r.events(), 0);
}

#[test]
fn a_fever_suggests_isolation_and_picking_parking_needs_a_reason() {
    let mut r = Rig::new(Lang::En);
    r.press(KeyCode::Char('a'));
    r.typed("晋D12345");
    r.press(KeyCode::Tab);
    r.typed("38.1");
    let s = r.screen(160, 45);
    assert!(s.contains("I-01") && s.contains("fever: driver"), "{s}");
    r.press(KeyCode::Tab);
    r.press(KeyCode::Char('g'));
    r.press(KeyCode::Char('y'));
    // Pick a parking bay on the map instead.
    // Cargo → Driver, Phone, From, To, Travel, Handoff, Gate, Bay.
    for _ in 0..8 {
        r.press(KeyCode::Tab);
    }
    r.press(KeyCode::Char(' '));
    r.press(KeyCode::Char('3'));
    r.press(KeyCode::Enter);
    let s = r.screen(160, 45);
    assert!(s.contains("against the checks"));
    // The summary names the zone and bay the truck takes, that it is an
    // override, and what the checks said; the reason's label is whole.
    let picked = r.app.arrival_plan().unwrap().bay.unwrap();
    let picked = r.app.shared.layout.bays[picked].id.to_string();
    assert!(picked.starts_with("P-"), "{picked}");
    let wide = format!("→ Parking ◇ {picked}: override, the checks say Isolation");
    assert!(s.contains(&wide) && s.contains("(fever: driver)"), "{s}");
    assert!(s.contains("Override reason "), "{s}");
    let s = r.screen(80, 24);
    assert!(s.contains(&format!("{wide} (fever: driver)")), "{s}");
    assert!(s.contains("Override reason "), "{s}");
    r.press(KeyCode::Enter);
    assert_eq!(r.events(), 0, "no override reason, no arrival");
    r.typed("doctor on site cleared him");
    r.press(KeyCode::Enter);
    assert_eq!(r.events(), 1);
    assert_eq!(
        r.app.shared.cursor_bay().zone(),
        trucklot::domain::bay::Zone::Parking
    );
}

/// The summary never calls the checks clean before they are done: it says
/// what is still missing, for the driver and for each passenger.
#[test]
fn the_summary_says_which_checks_are_missing_until_they_are_done() {
    // The summary line at 80×24, where the form spans the screen, joined
    // when it wraps (up to the keys' hint or the bottom border).
    let summary = |r: &Rig| {
        let s = r.screen(80, 24);
        let inside = |l: &str| {
            l.trim_start_matches('┃')
                .trim_end_matches([' ', '┃'])
                .to_string()
        };
        let lines: Vec<String> = s.lines().map(inside).collect();
        let i = lines
            .iter()
            .position(|l| l.starts_with("→ "))
            .unwrap_or_else(|| panic!("no summary\n{s}"));
        let mut text = lines[i]["→ ".len()..].to_string();
        for l in &lines[i + 1..] {
            if l.is_empty() || l.starts_with('┗') || l.starts_with("Tab") {
                break;
            }
            text.push(' ');
            text.push_str(l);
        }
        text
    };
    let mut r = Rig::new(Lang::En);
    r.press(KeyCode::Char('a'));
    r.typed("晋D12345");
    let bay = r.app.arrival_plan().unwrap().bay.unwrap();
    let bay = r.app.shared.layout.bays[bay].id.to_string();
    assert_eq!(
        summary(&r),
        format!("Parking ◇ {bay}: missing temperature, health code, venue code")
    );
    r.press(KeyCode::Tab);
    r.typed("36.6");
    r.press(KeyCode::Tab);
    r.press(KeyCode::Char('g'));
    assert_eq!(summary(&r), format!("Parking ◇ {bay}: missing venue code"));
    r.ctrl('p');
    assert_eq!(
        summary(&r),
        format!(
            "Parking ◇ {bay}: missing venue code, passenger 1 temperature, passenger 1 health code"
        )
    );
    r.ctrl('r');
    // Gate, back up to the venue code.
    for _ in 0..8 {
        r.press(KeyCode::Up);
    }
    r.press(KeyCode::Char('y'));
    let s = summary(&r);
    assert!(s.ends_with(": checks clean"), "{s}");
    // In Chinese too.
    let mut r = Rig::new(Lang::Zh);
    r.press(KeyCode::Char('a'));
    r.typed("晋D12345");
    r.press(KeyCode::Tab);
    r.typed("36.6");
    let s = summary(&r);
    assert!(s.ends_with(": 尚缺 健康码、场所码"), "{s}");
    // A fever says so, and what is still to be given after it; a plate
    // that is not one is missing too.
    let mut r = Rig::new(Lang::En);
    r.press(KeyCode::Char('a'));
    r.typed("ABC");
    r.press(KeyCode::Tab);
    r.typed("38.6");
    let s = summary(&r);
    assert!(
        s.ends_with(": fever: driver · missing plate, health code, venue code"),
        "{s}"
    );
}

#[test]
fn move_and_depart_confirm_with_plate_and_bay() {
    let mut r = Rig::busy(Lang::En);
    r.press(KeyCode::Char('/'));
    r.typed("a8b9");
    r.press(KeyCode::Enter);
    assert_eq!(r.app.shared.cursor_bay().as_str(), "P-01-01");
    r.press(KeyCode::Char('m'));
    r.press(KeyCode::Char('j'));
    r.press(KeyCode::Enter);
    let s = r.screen(160, 45);
    assert!(s.contains("冀A8B9C1   P-01-01 → P-02-01"), "{s}");
    r.press(KeyCode::Enter);
    assert_eq!(r.app.shared.cursor_bay().as_str(), "P-02-01");
    // Departure with an antigen result pending is refused, then forced with a reason.
    let before = r.events();
    r.press(KeyCode::Char('d'));
    let s = r.screen(160, 45);
    assert!(s.contains("冀A8B9C1  P-02-01"), "{s}");
    assert!(
        s.contains("Departure blocked") && s.contains("the antigen result is pending"),
        "the blockers are shown before anything is tried\n{s}"
    );
    r.press(KeyCode::Enter);
    assert_eq!(r.events(), before, "nothing tried: a result is pending");
    assert!(r.screen(160, 45).contains("reason to force it"));
    r.typed("lab closed, driver escorted");
    r.press(KeyCode::Enter);
    r.press(KeyCode::Enter);
    assert_eq!(r.events(), before + 1);
    assert!(r.app.shared.occupant(r.app.shared.cursor).is_none());
}

#[test]
fn results_propose_the_next_step() {
    let mut r = Rig::busy(Lang::En);
    r.press(KeyCode::Char('/'));
    r.typed("jina8");
    assert!(
        r.screen(160, 45).contains("0 found"),
        "pinyin jin is not 冀"
    );
    r.press(KeyCode::Esc);
    r.press(KeyCode::Char('/'));
    r.typed("jia8");
    r.press(KeyCode::Enter);
    // Only the antigen is waiting, so `r` goes straight to its result.
    r.press(KeyCode::Char('r'));
    assert!(r.screen(160, 45).contains("冀A8B9C1  antigen"));
    r.press(KeyCode::Char('p'));
    let s = r.screen(160, 45);
    assert!(s.contains("Positive result: move to isolation?"), "{s}");
    r.press(KeyCode::Enter);
    assert_eq!(
        r.app.shared.cursor_bay().zone(),
        trucklot::domain::bay::Zone::Isolation
    );
    // Its positive result stands: a release is refused at once, with the
    // reason, before the operator types why and who decided.
    let before = r.events();
    r.press(KeyCode::Char('u'));
    let s = r.screen(160, 45);
    assert!(s.contains("cannot be released"), "{s}");
    assert!(!s.contains("Why release?"), "no prompt: {s}");
    assert_eq!(r.events(), before);
    // At 80 columns the refusal takes more lines rather than lose its end,
    // which says what to do; in Chinese too.
    for (lang, end) in [
        (Lang::En, "authorised escort"),
        (Lang::Zh, "只能经授权护送离开"),
    ] {
        r.app.shared.session.lang = lang;
        r.press(KeyCode::Char('u'));
        let s = r.screen(80, 24);
        let joined: String = s.lines().map(|l| l.trim()).collect::<Vec<_>>().join(" ");
        let joined_zh: String = s.lines().map(|l| l.trim()).collect();
        assert!(
            joined.contains(end) || joined_zh.contains(end),
            "{lang:?}: {s}"
        );
        assert!(!s.contains('…') || !s.contains("✗"), "{lang:?} cut: {s}");
    }
    r.app.shared.session.lang = Lang::En;
    // Nothing waiting now: `r` says so; `s` offers both tests.
    let before = r.events();
    r.press(KeyCode::Char('r'));
    assert!(
        r.screen(160, 45)
            .contains("no sample is waiting for a result")
    );
    r.press(KeyCode::Char('s'));
    let s = r.screen(160, 45);
    assert!(s.contains("Take which sample?") && s.contains("PCR"), "{s}");
    r.press(KeyCode::Char('p'));
    assert_eq!(r.events(), before + 1);
}

#[test]
fn clocks_and_isolation_boards() {
    let mut r = Rig::busy(Lang::En);
    r.press(KeyCode::Char('c'));
    let s = r.screen(160, 45);
    assert!(s.contains("Clocks — 1 overdue"), "{s}");
    let late = s
        .lines()
        .position(|l| l.contains("result antigen"))
        .unwrap();
    let pcr = s.lines().position(|l| l.contains("result PCR")).unwrap();
    assert!(late < pcr, "soonest first");
    assert!(s.lines().nth(late).unwrap().contains("-25m"), "{s}");
    insta::assert_snapshot!("clocks_160x45", s);
    r.press(KeyCode::Char('i'));
    let s = r.screen(160, 45);
    assert!(
        s.contains("豫B12345") && s.contains("fever") && s.contains("take a PCR sample"),
        "{s}"
    );
    insta::assert_snapshot!("isolation_160x45", s);
    // Release from the board: reason, suggested parking bay, confirm.
    r.press(KeyCode::Char('u'));
    r.typed("PCR negative");
    r.press(KeyCode::Enter);
    assert!(r.screen(160, 45).contains("Decided by"));
    r.press(KeyCode::Enter);
    assert!(
        r.screen(160, 45).contains("Decided by"),
        "who decided is required"
    );
    r.typed("Dr. Li");
    r.press(KeyCode::Enter);
    let s = r.screen(160, 45);
    assert!(s.contains("Release from isolation?"), "{s}");
    assert!(
        s.contains("reason: PCR negative") && s.contains("decided by: Dr. Li"),
        "{s}"
    );
    r.press(KeyCode::Enter);
    assert_eq!(
        r.app.shared.cursor_bay().zone(),
        trucklot::domain::bay::Zone::Parking
    );
    assert!(r.app.isolation_rows().is_empty());
    let s = r.screen(80, 24);
    assert!(s.contains("P-"), "{s}");
}

/// Puts the clocks board's selection on the first clock `pick` accepts.
fn select_clock(r: &mut Rig, pick: impl Fn(&trucklot::domain::clocks::DueItem) -> bool) {
    let i = r
        .app
        .shared
        .clocks
        .iter()
        .position(pick)
        .expect("such a clock");
    for _ in 0..i {
        r.press(KeyCode::Down);
    }
}

#[test]
fn escalate_asks_the_rules_before_the_note_on_every_screen_that_binds_it() {
    use trucklot::domain::clocks::ClockKind;
    let mut r = Rig::busy(Lang::En);
    let before = r.events();
    // The clocks board: the overdue antigen of 冀A8B9C1, a truck in parking.
    // It cannot be escalated: said at once, with the reason, no note asked.
    r.press(KeyCode::Char('c'));
    assert!(r.screen(160, 45).contains("result antigen"));
    r.press(KeyCode::Char('e'));
    let s = r.screen(160, 45);
    assert!(s.contains("冀A8B9C1 is not in isolation"), "{s}");
    assert!(!s.contains("Escalation note"), "no prompt: {s}");
    assert_eq!(r.app.mode(), trucklot::tui::keymap::Mode::Clocks);
    // The map, on the same truck: the same.
    r.press(KeyCode::Esc);
    r.press(KeyCode::Char('/'));
    r.typed("jia8");
    r.press(KeyCode::Enter);
    r.press(KeyCode::Char('e'));
    let s = r.screen(160, 45);
    assert!(s.contains("冀A8B9C1 is not in isolation"), "{s}");
    assert!(!s.contains("Escalation note"), "no prompt: {s}");
    assert_eq!(r.app.mode(), trucklot::tui::keymap::Mode::Map);
    assert_eq!(r.events(), before, "nothing written");
    // The isolation board: 豫B12345 (fever) can be; the note is asked.
    r.press(KeyCode::Char('i'));
    r.press(KeyCode::Char('e'));
    let s = r.screen(160, 45);
    assert!(
        s.contains("Escalation note") && s.contains("豫B12345  I-"),
        "{s}"
    );
    r.typed("reported to CDC");
    r.press(KeyCode::Enter);
    assert_eq!(r.events(), before + 1);
    assert!(r.screen(160, 45).contains("escalated 豫B12345"));
    // The operation checks again when it runs: released meanwhile by
    // another terminal, the note typed is refused, nothing recorded.
    r.press(KeyCode::Char('e'));
    assert!(r.screen(160, 45).contains("Escalation note"));
    r.op(Op::Release {
        plate: Plate::parse("豫B12345").unwrap(),
        reason: "PCR negative".into(),
        by: "Dr. Li".into(),
        bay: None,
    });
    let released = r.events();
    r.typed("again");
    r.press(KeyCode::Enter);
    let s = r.screen(160, 45);
    assert!(s.contains("豫B12345 is not in isolation"), "{s}");
    assert_eq!(r.events(), released);
    // A truck that left before its positive result came back: the clocks
    // board's alarm asks for the note, naming it as gone.
    let gone = Plate::parse("晋D1234挂").unwrap();
    r.op(Op::Depart {
        plate: gone.clone(),
        force_reason: Some("driver refused to wait".into()),
    });
    r.clock.advance(Duration::minutes(5));
    let now = r.clock.now_utc();
    r.app.set_now(now);
    r.result(gone.as_str(), TestKind::Pcr, TestResult::Positive);
    r.press(KeyCode::Esc);
    r.press(KeyCode::Char('c'));
    select_clock(&mut r, |c| c.kind == ClockKind::PositiveDeparted);
    r.press(KeyCode::Char('e'));
    let s = r.screen(160, 45);
    assert!(
        s.contains("Escalation note") && s.contains("晋D1234挂  left the lot"),
        "{s}"
    );
    let n = r.events();
    r.typed("destination CDC told by phone");
    r.press(KeyCode::Enter);
    assert_eq!(r.events(), n + 1);
}

#[test]
fn a_plate_already_on_site_is_named_with_its_bay_as_you_type() {
    let mut r = Rig::busy(Lang::En);
    r.press(KeyCode::Char('a'));
    r.typed("晋d 12345");
    let s = r.screen(160, 45);
    assert!(s.contains("already on site, in P-01-60"), "{s}");
    // Enter at once says that, not what else the form lacks.
    r.press(KeyCode::Enter);
    let t = r.toast();
    assert!(t.contains("is already on site, in bay P-01-60"), "{t}");
    r.press(KeyCode::Tab);
    r.typed("36.5");
    r.press(KeyCode::Tab);
    r.press(KeyCode::Char('g'));
    r.press(KeyCode::Char('y'));
    let before = r.events();
    r.press(KeyCode::Enter);
    assert_eq!(r.events(), before, "refused on submit too");
    assert!(
        r.screen(160, 45)
            .contains("晋D12345 is already on site, in bay P-01-60")
    );
}

#[test]
fn esc_then_a_key_typed_fast_is_not_taken_as_alt() {
    let mut r = Rig::new(Lang::En);
    r.press(KeyCode::Char('a'));
    r.typed("晋D1234");
    // A terminal sends Esc followed at once by `y` as Alt-y: Esc asks
    // whether to discard what was typed, `y` says yes.
    r.app
        .key(&KeyEvent::new(KeyCode::Char('y'), KeyModifiers::ALT));
    r.settle();
    assert!(!r.screen(160, 45).contains("Arrival 入场登记"));
    // The same from a form with nothing typed: Esc closes it, `i` is a key.
    r.press(KeyCode::Char('a'));
    r.app
        .key(&KeyEvent::new(KeyCode::Char('i'), KeyModifiers::ALT));
    r.settle();
    let s = r.screen(160, 45);
    assert!(!s.contains("Arrival 入场登记"), "Esc closed the form\n{s}");
    assert!(
        s.contains("Isolation —"),
        "and i opened the isolation board\n{s}"
    );
    assert_eq!(r.events(), 0);
}

#[test]
fn help_lists_every_key_of_the_screen() {
    let mut r = Rig::new(Lang::En);
    r.press(KeyCode::Char('?'));
    let s = r.screen(160, 45);
    for b in trucklot::tui::keymap::bindings(trucklot::tui::keymap::Mode::Map) {
        let text = b.help.text(Lang::En);
        assert!(s.contains(text), "help lacks {text:?}\n{s}");
    }
    assert!(s.contains("fever ≥ 37.3"));
    // At 80×24 the keys take three columns, each as wide as its own keys
    // and texts need: short ones whole, every key there, no line wrapped.
    let s = r.screen(80, 24);
    for whole in [
        "bay to the left",
        "close/open bay",
        "correct a typo",
        "previous zone",
    ] {
        assert!(s.contains(whole), "{whole:?} cut\n{s}");
    }
    for b in trucklot::tui::keymap::bindings(trucklot::tui::keymap::Mode::Map) {
        for k in b.keys {
            let label = k.label_in(Lang::En);
            assert!(
                s.contains(&label),
                "help at 80×24 lacks the key {label:?}\n{s}"
            );
        }
    }
    r.press(KeyCode::Esc);
    assert!(!r.screen(160, 45).contains("Keys — Map"));
}

/// Every screen's help, at 80×24 and 160×45, in both languages: every
/// key's description whole — on its line, or wrapped between words onto
/// the next — and nothing cut with "…" but the long lists of keys (a
/// menu's letters, the gates, the keys that would act at a past moment),
/// which are cut to the key column by design.
#[test]
fn every_help_description_is_whole_at_80x24_in_both_languages() {
    use trucklot::tui::keymap::{Mode, bindings};
    use trucklot::tui::screens::{Help, Screen};
    let mut cut = Vec::new();
    for lang in [Lang::En, Lang::Zh] {
        let mut r = Rig::new(lang);
        for mode in Mode::ALL {
            r.app.screens.push(Screen::Help(Help::over(mode, None)));
            for (w, h) in [(80, 24), (160, 45)] {
                let s = r.screen(w, h);
                let cuts = s.matches('…').count();
                let long_keys = bindings(mode)
                    .filter(|b| {
                        let keys: Vec<String> = b.keys.iter().map(|k| k.label_in(lang)).collect();
                        keys.join(" ").chars().count() > 13
                    })
                    .count();
                if cuts > long_keys {
                    cut.push(format!("{lang:?} {mode:?} {w}x{h}: {cuts} cut\n{s}"));
                }
                // Wrapped or not, every word is there.
                let border = |c: char| c.is_whitespace() || ('\u{2500}'..='\u{257f}').contains(&c);
                let words: Vec<&str> = s.split(border).collect();
                for b in bindings(mode) {
                    let text = b.help.text(lang);
                    if !text.split_whitespace().all(|w| words.contains(&w)) {
                        cut.push(format!("{lang:?} {mode:?} {w}x{h}: {text:?}\n{s}"));
                    }
                }
            }
            r.app.screens.pop();
        }
    }
    assert!(cut.is_empty(), "{} cut:\n{}", cut.len(), cut.join("\n"));
}

#[test]
fn chinese_interface() {
    let mut r = Rig::busy(Lang::Zh);
    let s = r.screen(160, 45);
    assert!(s.contains("超时") && s.contains("入场"), "{s}");
    r.press(KeyCode::Char('a'));
    assert!(r.screen(160, 45).contains("车牌"));
    r.ctrl('c');
    assert!(r.screen(160, 45).contains("放弃登记并退出"));
    r.press(KeyCode::Char('n'));
    assert!(!r.app.quit);
    r.ctrl('c');
    r.press(KeyCode::Char('y'));
    assert!(r.app.quit);
}

#[test]
fn ascii_mode_draws_only_ascii_on_the_map() {
    let mut r = Rig::busy(Lang::En);
    r.app.shared.session.ascii = true;
    let s = r.screen(160, 45);
    let map: String = s
        .lines()
        .skip(1)
        .map(|l| l.chars().take(90).collect::<String>())
        .collect();
    let non_ascii: Vec<char> = map
        .chars()
        .filter(|c| !c.is_ascii())
        .filter(|c| !"工作区生活区停车区隔离区点对点出口".contains(*c))
        .collect();
    assert!(non_ascii.is_empty(), "{non_ascii:?}\n{s}");
}

#[test]
fn the_readme_lists_exactly_the_keys_of_the_keymap() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let keys = trucklot::tui::keymap::markdown();
    assert!(
        readme.contains(&keys),
        "README.md's key list is out of date; it should contain:\n{keys}"
    );
}

impl Rig {
    /// Opens the form and fills plate, temperature, code and venue code;
    /// the focus is then on the cargo field.
    fn form_start(&mut self, plate: &str, temp: &str, code: char) {
        self.press(KeyCode::Char('a'));
        self.typed(plate);
        self.press(KeyCode::Tab);
        self.typed(temp);
        self.press(KeyCode::Tab);
        self.press(KeyCode::Char(code));
        self.press(KeyCode::Char('y'));
    }

    fn go_to(&mut self, plate: &str) {
        let p = Plate::parse(plate).unwrap();
        let bay = self.app.shared.bay_of_plate(&p).expect("on site");
        self.app.set_cursor(bay);
        self.settle();
    }

    fn status_of(&self, plate: &str) -> trucklot::domain::stay::Status {
        let p = Plate::parse(plate).unwrap();
        let bay = self.app.shared.bay_of_plate(&p).expect("on site");
        self.app.shared.occupant(bay).unwrap().status
    }

    fn close_isolation_except(&mut self, keep: usize) {
        let ids: Vec<BayId> = self
            .app
            .shared
            .layout
            .bays
            .iter()
            .filter(|b| b.zone == trucklot::domain::bay::Zone::Isolation)
            .skip(keep)
            .map(|b| b.id.clone())
            .collect();
        for bay in ids {
            self.op(Op::CloseBay {
                bay,
                reason: "repairs".into(),
            });
        }
    }
}

#[test]
fn the_form_has_no_preselected_code_and_refuses_enter_until_one_is_chosen() {
    let mut r = Rig::new(Lang::En);
    r.press(KeyCode::Char('a'));
    r.typed("晋D12345");
    r.press(KeyCode::Tab);
    r.typed("36.5");
    r.press(KeyCode::Enter);
    assert_eq!(r.events(), 0, "no code chosen: nothing recorded");
    let s = r.screen(160, 45);
    assert!(s.contains("Health code: required"), "{s}");
    assert!(
        s.contains("▸Health code"),
        "the focus goes to the code\n{s}"
    );
    r.press(KeyCode::Char('g'));
    r.press(KeyCode::Enter);
    assert_eq!(r.events(), 0);
    assert!(r.screen(160, 45).contains("Venue code: required"));
    r.press(KeyCode::Char('n'));
    r.press(KeyCode::Enter);
    assert_eq!(r.events(), 1);
}

#[test]
fn a_passenger_with_a_fever_sends_the_truck_to_isolation_and_is_named() {
    let mut r = Rig::new(Lang::En);
    r.form_start("晋D12345", "36.5", 'g');
    let plan = r.app.arrival_plan().unwrap().clone();
    assert_eq!(plan.zone, trucklot::domain::bay::Zone::Parking);
    r.ctrl('p');
    r.typed("李四");
    r.press(KeyCode::Tab);
    r.press(KeyCode::Tab);
    r.typed("38.5");
    r.press(KeyCode::Tab);
    r.press(KeyCode::Char('g'));
    let plan = r.app.arrival_plan().unwrap().clone();
    assert_eq!(plan.zone, trucklot::domain::bay::Zone::Isolation);
    let s = r.screen(160, 45);
    assert!(s.contains("fever: passenger 1 李四"), "{s}");
    assert!(s.contains("P1 temp °C"), "{s}");
    r.press(KeyCode::Enter);
    assert_eq!(r.events(), 1);
    assert_eq!(r.app.shared.cursor, plan.bay.unwrap());
    assert_eq!(
        r.app.shared.cursor_bay().zone(),
        trucklot::domain::bay::Zone::Isolation
    );
    // A cab holds the driver and three passengers; Ctrl-r removes the last.
    r.press(KeyCode::Char('a'));
    for _ in 0..4 {
        r.ctrl('p');
    }
    assert!(r.screen(160, 45).contains("at most 3 passengers"));
    r.ctrl('r');
    let s = r.screen(160, 45);
    assert!(s.contains("P2 name") && !s.contains("P3 name"), "{s}");
}

#[test]
fn the_plan_the_form_shows_is_what_the_arrival_does() {
    // Clean, flagged, and flagged with the isolation zone full.
    let mut r = Rig::new(Lang::En);
    for (plate, temp, code) in [("晋D11111", "36.5", 'g'), ("晋D22222", "36.6", 'y')] {
        r.form_start(plate, temp, code);
        let plan = r.app.arrival_plan().unwrap().clone();
        r.press(KeyCode::Enter);
        let bay = r
            .app
            .shared
            .bay_of_plate(&Plate::parse(plate).unwrap())
            .unwrap();
        assert_eq!(Some(bay), plan.bay, "{plate}");
        assert_eq!(r.app.shared.layout.bays[bay].zone, plan.zone, "{plate}");
    }
    r.close_isolation_except(1);
    r.form_start("晋D33333", "38.9", 'g');
    let plan = r.app.arrival_plan().unwrap().clone();
    assert!(plan.holding);
    let s = r.screen(160, 45);
    let work = r.app.shared.layout.bays[plan.bay.unwrap()].id.to_string();
    // The zone and bay it will take: a work lane, to wait there.
    assert!(
        s.contains(&format!("→ Work ◇ {work}: fever: driver"))
            && s.contains("isolation full: waits there"),
        "{s}"
    );
    r.press(KeyCode::Enter);
    let bay = r
        .app
        .shared
        .bay_of_plate(&Plate::parse("晋D33333").unwrap())
        .unwrap();
    assert_eq!(Some(bay), plan.bay);
    assert_eq!(
        r.status_of("晋D33333"),
        trucklot::domain::stay::Status::Holding
    );
    let s = r.screen(160, 45);
    assert!(s.contains("waiting for isolation: 1"), "{s}");
    assert!(s.contains("holding list"), "the toast says so\n{s}");
}

/// The isolation board's title counts the zone's bays as the map does;
/// a truck on the board that waits for a bay is said apart.
#[test]
fn the_isolation_board_counts_bays_and_names_the_waiting_apart() {
    let mut r = Rig::new(Lang::En);
    r.close_isolation_except(1);
    for p in ["晋D11111", "晋D22222"] {
        r.op(Op::Arrive {
            arrival: arrival(p, Cargo::Other, 38.5, HealthCode::Green),
            bay: None,
            override_reason: None,
        });
    }
    r.press(KeyCode::Char('i'));
    let s = r.screen(160, 45);
    assert!(s.contains("I 1/40"), "the map's count\n{s}");
    assert!(
        s.contains("Isolation — 1/40 · waiting for isolation: 1"),
        "{s}"
    );
    assert!(s.contains("晋D11111") && s.contains("晋D22222"), "{s}");
}

#[test]
fn a_freed_isolation_bay_is_proposed_for_the_waiting_truck() {
    let mut r = Rig::new(Lang::En);
    r.close_isolation_except(1);
    r.op(Op::Arrive {
        arrival: arrival("晋D11111", Cargo::Other, 38.5, HealthCode::Green),
        bay: None,
        override_reason: None,
    });
    r.op(Op::Arrive {
        arrival: arrival("晋D22222", Cargo::Other, 38.6, HealthCode::Green),
        bay: None,
        override_reason: None,
    });
    assert_eq!(
        r.status_of("晋D22222"),
        trucklot::domain::stay::Status::Holding
    );
    r.go_to("晋D11111");
    r.press(KeyCode::Char('u'));
    r.typed("fever gone");
    r.press(KeyCode::Enter);
    r.typed("Dr. Li");
    r.press(KeyCode::Enter);
    r.press(KeyCode::Enter);
    let s = r.screen(160, 45);
    assert!(
        s.contains("isolation bay I-01 free: isolate 晋D22222 (waiting)"),
        "{s}"
    );
    r.press(KeyCode::Enter);
    assert_eq!(
        r.status_of("晋D22222"),
        trucklot::domain::stay::Status::Isolated
    );
}

#[test]
fn the_departure_confirmation_lists_the_blockers_and_a_positive_cannot_be_forced() {
    let mut r = Rig::new(Lang::En);
    r.arrive("晋D11111", Cargo::Other, 36.5, None);
    r.go_to("晋D11111");
    r.press(KeyCode::Char('d'));
    let s = r.screen(160, 45);
    assert!(
        s.contains("no antigen sample was taken")
            && s.contains("it may be let out with a reason, which is recorded")
            && s.contains("Enter continue · Esc cancel"),
        "{s}"
    );
    r.press(KeyCode::Esc);
    // A positive result stands: no force is offered.
    r.sample("晋D11111", TestKind::Antigen);
    r.result("晋D11111", TestKind::Antigen, TestResult::Positive);
    let before = r.events();
    r.press(KeyCode::Char('d'));
    let s = r.screen(160, 45);
    assert!(s.contains("May not leave"), "{s}");
    assert!(s.contains("a positive antigen result stands"), "{s}");
    assert!(s.contains("authorised"), "{s}");
    assert!(!s.contains("force it"), "{s}");
    r.press(KeyCode::Enter);
    let s = r.screen(160, 45);
    assert!(!s.contains("reason to force it"), "{s}");
    assert_eq!(r.events(), before);
    // The same in Chinese.
    r.app.shared.session.lang = Lang::Zh;
    r.press(KeyCode::Char('d'));
    let s = r.screen(160, 45);
    assert!(
        s.contains("抗原阳性结果未解除") && s.contains("不得离场"),
        "{s}"
    );
}

#[test]
fn a_transfer_asks_for_the_receiving_plate_and_company_and_is_confirmed_at_the_end() {
    let mut r = Rig::new(Lang::En);
    r.arrive("晋D11111", Cargo::Other, 36.5, None);
    r.go_to("晋D11111");
    r.press(KeyCode::Char('p'));
    r.press(KeyCode::Char('t'));
    assert!(r.screen(160, 45).contains("Receiving vehicle (plate)"));
    r.typed("晋I1");
    r.press(KeyCode::Enter);
    let s = r.screen(160, 45);
    assert!(
        s.contains("Receiving vehicle (plate)") && s.contains("second character"),
        "{s}"
    );
    for _ in 0..3 {
        r.press(KeyCode::Backspace);
    }
    r.typed("冀A12345");
    r.press(KeyCode::Enter);
    assert!(r.screen(160, 45).contains("Receiving company"));
    r.press(KeyCode::Enter);
    assert!(
        r.screen(160, 45).contains("Receiving company"),
        "the company is required"
    );
    r.typed("顺丰物流");
    r.press(KeyCode::Enter);
    let s = r.screen(160, 45);
    assert!(s.contains("cargo transfer: 冀A12345  顺丰物流"), "{s}");
    r.press(KeyCode::Enter);
    assert_eq!(
        r.status_of("晋D11111"),
        trucklot::domain::stay::Status::Handoff
    );
    // The panel's keys name the step that comes next, first: the handoff
    // has started, so `p` marks it done.
    r.go_to("晋D11111");
    let s = r.screen(160, 45);
    assert!(s.contains("p mark handoff done · m move"), "{s}");
    assert!(!s.contains("p handoff"), "{s}");
    r.press(KeyCode::Char('p'));
    r.press(KeyCode::Enter);
    r.go_to("晋D11111");
    let s = r.screen(160, 45);
    assert!(s.contains("p confirm handoff arrived · m move"), "{s}");
    assert!(!s.contains("p handoff"), "{s}");
    // Done: the arrival at the destination is confirmed from the clocks board.
    r.press(KeyCode::Char('c'));
    let row = r
        .app
        .shared
        .clocks
        .iter()
        .position(|c| {
            matches!(
                c.kind,
                trucklot::domain::clocks::ClockKind::HandoffConfirm { .. }
            )
        })
        .unwrap();
    for _ in 0..row {
        r.press(KeyCode::Down);
    }
    let before = r.events();
    r.press(KeyCode::Char('a'));
    assert!(
        r.screen(160, 45)
            .contains("Handoff arrived at its destination?")
    );
    r.press(KeyCode::Enter);
    assert_eq!(r.events(), before + 1);
    // Confirmed: the handoff key has nothing left to do for this truck.
    r.press(KeyCode::Esc);
    r.go_to("晋D11111");
    let s = r.screen(160, 45);
    assert!(s.contains("m move · d depart"), "{s}");
    assert!(!s.contains("p confirm") && !s.contains("p handoff"), "{s}");
}

#[test]
fn an_escort_from_isolation_needs_who_authorised_it() {
    let mut r = Rig::busy(Lang::En);
    r.go_to("豫B12345");
    r.press(KeyCode::Char('p'));
    let s = r.screen(160, 45);
    assert!(
        !s.contains("cargo transfer") && s.contains("escort only"),
        "{s}"
    );
    // The menu is as wide as its title, at 80×24 too.
    let s = r.screen(80, 24);
    assert!(
        s.contains("Handoff (under isolation's authority: escort only)"),
        "{s}"
    );
    r.press(KeyCode::Char('e'));
    r.typed("县疾控中心");
    r.press(KeyCode::Enter);
    assert!(r.screen(160, 45).contains("Authorised by (required"));
    r.press(KeyCode::Enter);
    assert!(r.screen(160, 45).contains("Authorised by (required"));
    r.typed("王主任");
    r.press(KeyCode::Enter);
    let s = r.screen(160, 45);
    assert!(s.contains("authorised by: 王主任"), "{s}");
    r.press(KeyCode::Enter);
    assert_eq!(
        r.status_of("豫B12345"),
        trucklot::domain::stay::Status::Handoff
    );
    let s = r.screen(160, 45);
    assert!(s.contains("authorised by 王主任"), "the panel\n{s}");
}

#[test]
fn a_recheck_that_flags_proposes_isolation() {
    let mut r = Rig::new(Lang::En);
    r.arrive("晋D11111", Cargo::Other, 36.5, None);
    r.go_to("晋D11111");
    let before = r.events();
    r.press(KeyCode::Char('T'));
    assert!(r.screen(160, 45).contains("New temperature"));
    r.typed("38.7");
    r.press(KeyCode::Enter);
    assert!(r.screen(160, 45).contains("Health code now"));
    r.press(KeyCode::Char('g'));
    assert_eq!(r.events(), before + 1);
    let s = r.screen(160, 45);
    assert!(s.contains("Recheck flagged: move to isolation?"), "{s}");
    r.press(KeyCode::Enter);
    assert_eq!(
        r.status_of("晋D11111"),
        trucklot::domain::stay::Status::Isolated
    );
}

#[test]
fn a_truck_parked_against_the_checks_has_its_own_glyph_and_reason() {
    let mut r = Rig::new(Lang::En);
    r.op(Op::Arrive {
        arrival: arrival("晋D11111", Cargo::Other, 38.2, HealthCode::Green),
        bay: Some(BayId::parse("P-01-01").unwrap()),
        override_reason: Some("doctor cleared him".into()),
    });
    r.go_to("晋D11111");
    let s = r.screen(160, 45);
    assert!(s.contains("┃01 ◆"), "{s}");
    assert!(s.contains("◆against the checks"), "legend\n{s}");
    assert!(
        s.contains("against the checks: doctor cleared him"),
        "panel\n{s}"
    );
    assert!(s.contains("flagged: fever: driver 张三"), "{s}");
    r.app.shared.session.ascii = true;
    assert!(r.screen(160, 45).contains("|01 &"));
    insta::assert_snapshot!("overridden_160x45", r.screen(160, 45));
}

/// A plate with an invisible character (a zero-width space, a BOM) is
/// refused in the form beside the field and on Enter, naming the character
/// by its code point as the command line does, in English and in Chinese;
/// nothing is written.
#[test]
fn the_form_names_an_invisible_character_by_its_code_point() {
    for (lang, typed, named) in [
        (
            Lang::En,
            "晋D1\u{200B}2346",
            "the invisible character U+200B",
        ),
        (Lang::Zh, "晋D1\u{200B}2346", "不可见字符 U+200B"),
        (
            Lang::En,
            "\u{FEFF}晋D12346",
            "the invisible character U+FEFF",
        ),
        (Lang::Zh, "jin\u{FEFF}D12346", "不可见字符 U+FEFF"),
    ] {
        let mut r = Rig::new(lang);
        let before = r.events();
        r.press(KeyCode::Char('a'));
        r.typed(typed);
        let s = r.screen(160, 45);
        assert!(s.contains(named), "{lang} {typed:?}: {s}");
        assert!(!s.contains("I/O"), "{lang} {typed:?}: {s}");
        r.press(KeyCode::Enter);
        assert_eq!(r.events(), before, "{lang} {typed:?}: nothing written");
        let s = r.screen(80, 24);
        assert!(s.contains(named), "{lang} {typed:?} at 80×24: {s}");
    }
}

/// So does a phone number's field, after its reason.
#[test]
fn the_form_names_an_invisible_character_in_a_phone_number() {
    // (The line may wrap between the words and the code point.)
    for (lang, named) in [(Lang::En, "invisible"), (Lang::Zh, "不可见字符")] {
        let mut r = Rig::new(lang);
        r.press(KeyCode::Char('a'));
        r.typed("晋D12346");
        // Plate, temperature, code, venue, cargo, driver: then the phone.
        for _ in 0..6 {
            r.press(KeyCode::Tab);
        }
        r.typed("138\u{200B}00138000");
        let s = r.screen(160, 45);
        assert!(s.contains(named) && s.contains("U+200B"), "{lang}: {s}");
    }
}

/// A correction and a receiving vehicle read a plate as the form and the
/// command line do (`Plate::parse_typed`): a pinyin province is fine, and
/// a pinyin of two provinces, neither the site's, is refused naming them.
#[test]
fn a_corrected_plate_and_a_receiving_vehicle_take_a_pinyin_province() {
    let mut r = Rig::new(Lang::En);
    r.arrive("晋D11111", Cargo::Other, 36.5, None);
    r.go_to("晋D11111");
    let before = r.events();
    r.press(KeyCode::Char('E'));
    r.press(KeyCode::Char('p'));
    r.typed("jin d 11112");
    r.press(KeyCode::Enter);
    assert_eq!(r.events(), before + 1);
    r.go_to("晋D11112");
    r.press(KeyCode::Char('p'));
    r.press(KeyCode::Char('t'));
    r.typed("jiA12345");
    r.press(KeyCode::Enter);
    let s = r.screen(160, 45);
    assert!(
        s.contains("Receiving vehicle (plate)") && s.contains("the pinyin could be 冀 / 吉"),
        "{s}"
    );
    for _ in 0.."jiA12345".len() {
        r.press(KeyCode::Backspace);
    }
    r.typed("jingA12345");
    r.press(KeyCode::Enter);
    assert!(r.screen(160, 45).contains("Receiving company"));
    r.typed("顺丰物流");
    r.press(KeyCode::Enter);
    let s = r.screen(160, 45);
    assert!(s.contains("cargo transfer: 京A12345  顺丰物流"), "{s}");
}

#[test]
fn a_typo_is_corrected_from_the_map_and_kept_as_old_and_new() {
    let mut r = Rig::new(Lang::En);
    r.arrive("晋D11111", Cargo::Other, 36.5, None);
    r.go_to("晋D11111");
    let before = r.events();
    r.press(KeyCode::Char('E'));
    assert!(r.screen(160, 45).contains("Correct which field?"));
    r.press(KeyCode::Char('p'));
    assert!(r.screen(160, 45).contains("The right value"));
    r.typed("晋D11112");
    r.press(KeyCode::Enter);
    assert_eq!(r.events(), before + 1);
    // The message says what was put right, old and new.
    assert!(r.toast().contains("晋D11111 → 晋D11112"), "{}", r.toast());
    let log = r
        .store
        .log(&trucklot::store::LogFilter {
            kind: Some("corrected".into()),
            ..Default::default()
        })
        .unwrap();
    match &log[0].event {
        trucklot::domain::event::Event::Corrected { changes, .. } => {
            assert_eq!(changes[0].old.as_deref(), Some("晋D11111"));
            assert_eq!(changes[0].new.as_deref(), Some("晋D11112"));
        }
        e => panic!("{e:?}"),
    }
    // Nothing to correct: refused, said, nothing written.
    r.go_to("晋D11112");
    r.press(KeyCode::Char('E'));
    r.press(KeyCode::Char('p'));
    r.typed("晋D11112");
    r.press(KeyCode::Enter);
    assert_eq!(r.events(), before + 1);
    assert!(r.screen(160, 45).contains("nothing to correct"));
}

impl Rig {
    /// Another terminal (its own connection to the file) runs `op`; this
    /// app is not told.
    fn other_terminal(&self, op: Op) {
        let mut other = Store::open(&self._dir.path().join("lot.db")).unwrap();
        let ctx = trucklot::ops::Ctx {
            action: None,
            operator: "other",
            terminal: "gate-2",
            clock: &self.clock,
            policy: &self.policy,
        };
        trucklot::ops::execute(&mut other, &ctx, &op).unwrap();
    }

    /// The bay of `zone` the operations would give `plate` now.
    fn suggested(&mut self, plate: &str, zone: trucklot::domain::bay::Zone) -> BayId {
        let p = Plate::parse(plate).unwrap();
        trucklot::ops::suggested_bay(&mut self.store, &p, &[zone])
            .unwrap()
            .expect("a free bay")
    }

    fn bay_of(&self, plate: &str) -> String {
        let p = Plate::parse(plate).unwrap();
        let b = self.app.shared.bay_of_plate(&p).expect("on site");
        self.app.shared.layout.bays[b].id.to_string()
    }
}

/// A release whose offered parking bay another terminal took before Enter:
/// what was typed is kept, the next free bay is offered (as the operation
/// would pick it now), the first is named as taken meanwhile, and one more
/// Enter finishes it. The refused try wrote nothing.
#[test]
fn a_release_whose_bay_was_taken_meanwhile_offers_the_next_and_keeps_the_typing() {
    use trucklot::domain::bay::Zone;
    for lang in [Lang::En, Lang::Zh] {
        let mut r = Rig::busy(lang);
        r.go_to("豫B12345");
        r.press(KeyCode::Char('u'));
        r.typed("PCR negative");
        r.press(KeyCode::Enter);
        r.typed("Dr. Li");
        r.press(KeyCode::Enter);
        let offered = r.suggested("豫B12345", Zone::Parking);
        let s = r.screen(160, 45);
        assert!(s.contains(&format!("→ {offered}")), "{s}");
        r.other_terminal(Op::Arrive {
            arrival: arrival("冀C55555", Cargo::Other, 36.5, HealthCode::Green),
            bay: Some(offered.clone()),
            override_reason: None,
        });
        let before = r.events();
        r.press(KeyCode::Enter);
        assert_eq!(r.events(), before, "the refused try wrote nothing");
        let next = r.suggested("豫B12345", Zone::Parking);
        assert_ne!(next, offered);
        let s = r.screen(160, 45);
        let (title, taken, reason, by) = match lang {
            Lang::En => (
                "Release from isolation?",
                format!("✗ {offered} was taken meanwhile by 冀C55555: {next} is offered instead"),
                "reason: PCR negative",
                "decided by: Dr. Li",
            ),
            Lang::Zh => (
                "解除隔离？",
                format!("✗ 车位 {offered} 刚被 冀C55555 占用，改为 {next}"),
                "PCR negative",
                "Dr. Li",
            ),
        };
        assert!(s.contains(title), "{s}");
        assert!(s.contains(&format!("豫B12345  I-01  → {next}")), "{s}");
        assert!(s.contains(&taken), "{s}");
        assert!(s.contains(reason) && s.contains(by), "kept: {s}");
        // At 80×24 the whole of it is there too.
        let s = r.screen(80, 24);
        assert!(s.contains(&offered.to_string()) && s.contains(by), "{s}");
        r.press(KeyCode::Enter);
        assert_eq!(r.events(), before + 1);
        assert_eq!(r.bay_of("豫B12345"), next.to_string());
        let log = r
            .store
            .log(&trucklot::store::LogFilter {
                kind: Some("released".into()),
                ..Default::default()
            })
            .unwrap();
        match &log[0].event {
            trucklot::domain::event::Event::Released { to, reason, by, .. } => {
                assert_eq!(to, &next);
                assert_eq!(reason, "PCR negative");
                assert_eq!(by.as_deref(), Some("Dr. Li"));
            }
            e => panic!("{e:?}"),
        }
    }
}

/// Isolate (`x`) the same, with the offered bay closed meanwhile and no
/// other isolation bay free: the confirmation says so and never runs
/// without a bay the operator saw; Enter looks again, and a bay freed
/// since is offered.
#[test]
fn an_isolation_whose_bay_was_closed_meanwhile_looks_again_and_never_picks_unseen() {
    let mut r = Rig::new(Lang::En);
    r.arrive("晋D11111", Cargo::Other, 36.5, None);
    r.close_isolation_except(1);
    r.go_to("晋D11111");
    r.press(KeyCode::Char('x'));
    r.typed("cough");
    r.press(KeyCode::Enter);
    assert!(r.screen(160, 45).contains("→ I-01"));
    r.other_terminal(Op::CloseBay {
        bay: BayId::parse("I-01").unwrap(),
        reason: "disinfection".into(),
    });
    let before = r.events();
    r.press(KeyCode::Enter);
    let s = r.screen(160, 45);
    assert!(s.contains("Move to isolation?") && s.contains("→ —"), "{s}");
    assert!(
        s.contains("✗ I-01 was closed meanwhile (disinfection)")
            && s.contains("✗ no free bay in the Isolation zone now")
            && s.contains("cough")
            && s.contains("Enter look again · Esc cancel"),
        "{s}"
    );
    // Still none: said again, nothing written, the reason still there.
    r.press(KeyCode::Enter);
    let s = r.screen(160, 45);
    assert!(s.contains("no free bay in the Isolation zone now") && s.contains("cough"));
    assert_eq!(r.events(), before);
    // Another terminal opens a bay: it is offered, by name, and taken.
    r.other_terminal(Op::OpenBay {
        bay: BayId::parse("I-07").unwrap(),
    });
    let opened = r.events();
    r.press(KeyCode::Enter);
    let s = r.screen(160, 45);
    assert!(s.contains("晋D11111  P-") && s.contains("→ I-07"), "{s}");
    assert!(s.contains("Enter confirm") && !s.contains("✗"), "{s}");
    assert_eq!(r.events(), opened);
    r.press(KeyCode::Enter);
    assert_eq!(r.events(), opened + 1);
    assert_eq!(r.bay_of("晋D11111"), "I-07");
}

/// A handoff start (`p`) the same: the receiving vehicle and company kept.
#[test]
fn a_handoff_whose_bay_was_taken_meanwhile_offers_the_next() {
    use trucklot::domain::bay::Zone;
    let mut r = Rig::new(Lang::En);
    r.arrive("晋D11111", Cargo::Other, 36.5, None);
    r.arrive("晋D22222", Cargo::Other, 36.5, None);
    r.go_to("晋D11111");
    r.press(KeyCode::Char('p'));
    r.press(KeyCode::Char('t'));
    r.typed("冀A12345");
    r.press(KeyCode::Enter);
    r.typed("顺丰物流");
    r.press(KeyCode::Enter);
    let offered = r.suggested("晋D11111", Zone::Handoff);
    assert!(r.screen(160, 45).contains(&format!("→ {offered}")));
    r.other_terminal(Op::HandoffStart {
        plate: Plate::parse("晋D22222").unwrap(),
        mode: trucklot::domain::event::HandoffMode::Escort,
        receiver: None,
        company: None,
        escort: Some("县疾控中心".into()),
        by: None,
        bay: Some(offered.clone()),
    });
    let before = r.events();
    r.press(KeyCode::Enter);
    let next = r.suggested("晋D11111", Zone::Handoff);
    let s = r.screen(160, 45);
    assert!(
        s.contains(&format!(
            "✗ {offered} was taken meanwhile by 晋D22222: {next} is offered instead"
        )) && s.contains("cargo transfer: 冀A12345  顺丰物流"),
        "{s}"
    );
    r.press(KeyCode::Enter);
    assert_eq!(r.events(), before + 1);
    assert_eq!(r.bay_of("晋D11111"), next.to_string());
    assert_eq!(
        r.status_of("晋D11111"),
        trucklot::domain::stay::Status::Handoff
    );
}

/// A plate typed with its province in pinyin is shown beside the field as
/// it will be recorded (`jinD12345 → 晋D12345`, the site's province
/// deciding `jin`), while the field keeps what the operator typed; a
/// pinyin of two provinces, neither the site's, says why before Enter, and
/// Enter refuses it on the field. In both languages, at 80×24 and 160×45.
#[test]
fn the_form_shows_a_pinyin_plate_as_it_will_be_recorded() {
    let typed_plate = |r: &Rig| match r.app.screens.last() {
        Some(trucklot::tui::screens::Screen::Form(f)) => f.plate.text(),
        other => panic!("no form on top: {other:?}"),
    };
    for lang in [Lang::En, Lang::Zh] {
        let mut r = Rig::new(lang);
        r.press(KeyCode::Char('a'));
        r.typed("jinD12345");
        for (w, h) in [(80, 24), (160, 45)] {
            let s = r.screen(w, h);
            assert!(s.contains("jinD12345 → 晋D12345"), "{lang} {w}×{h}: {s}");
        }
        // Left for the next field: still said, the text as typed.
        r.press(KeyCode::Tab);
        let s = r.screen(80, 24);
        assert!(s.contains("jinD12345 → 晋D12345"), "{lang}: {s}");
        assert_eq!(typed_plate(&r), "jinD12345");
        // A plate typed in its normal form has nothing to resolve.
        r.press(KeyCode::Up);
        r.ctrl('u');
        r.typed("晋D12345");
        let s = r.screen(80, 24);
        assert!(!s.contains("→ 晋D12345") && s.contains("晋D12345"), "{s}");
        // 'gui' is 桂 or 贵, and the site is in 晋: refused, with why.
        r.ctrl('u');
        r.typed("guiA12345");
        let why = match lang {
            Lang::En => "the pinyin could be 桂 / 贵: type the province character",
            Lang::Zh => "拼音可能是 桂 / 贵：请输入省份汉字",
        };
        for (w, h) in [(80, 24), (160, 45)] {
            let s = r.screen(w, h);
            assert!(s.contains(why), "{lang} {w}×{h}: {s}");
            assert!(!s.contains("→ 桂") && !s.contains("→ 贵"), "{s}");
        }
        r.press(KeyCode::Tab);
        r.typed("36.5");
        r.press(KeyCode::Tab);
        r.press(KeyCode::Char('g'));
        r.press(KeyCode::Char('y'));
        let before = r.events();
        r.press(KeyCode::Enter);
        assert_eq!(r.events(), before, "nothing written");
        let s = r.screen(80, 24);
        assert!(s.contains(why), "{lang}: {s}");
        assert_eq!(typed_plate(&r), "guiA12345");
        // Put right: recorded as resolved.
        r.ctrl('u');
        r.typed("jinD12345");
        r.press(KeyCode::Enter);
        assert_eq!(r.events(), before + 1);
        assert!(
            r.app
                .shared
                .bay_of_plate(&Plate::parse("晋D12345").unwrap())
                .is_some()
        );
    }
}

/// The footer's keys at 80x24 (its last line), spaces collapsed.
fn footer_80x24(r: &Rig) -> String {
    let s = r.screen(80, 24);
    let last = s.lines().last().unwrap_or_default();
    last.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The footer says what Enter does in the dialog above it: a notice's
/// Enter only closes it, a look-again confirmation's looks again; only a
/// confirmation that runs says `Enter confirm`.
#[test]
fn the_footer_says_what_enter_does_under_each_kind_of_confirmation() {
    let mut r = Rig::new(Lang::En);
    r.arrive("晋D11111", Cargo::Other, 36.5, None);
    r.go_to("晋D11111");
    // A departure that may be forced: Enter goes on (to the reason).
    r.press(KeyCode::Char('d'));
    footer_says(&mut r, "Enter continue", "Enter 继续");
    r.press(KeyCode::Esc);
    // A positive stands: a notice, whose Enter only closes it.
    r.sample("晋D11111", TestKind::Antigen);
    r.result("晋D11111", TestKind::Antigen, TestResult::Positive);
    r.press(KeyCode::Char('d'));
    let s = r.screen(80, 24);
    assert!(s.contains("May not leave"), "{s}");
    footer_says(&mut r, "Enter close", "Enter 关闭");
    r.press(KeyCode::Enter);
    assert!(r.app.screens.is_empty(), "Enter closed the notice");

    // No free bay in isolation: Enter looks again.
    let mut r = Rig::new(Lang::En);
    r.arrive("晋D11111", Cargo::Other, 36.5, None);
    r.close_isolation_except(0);
    r.go_to("晋D11111");
    r.press(KeyCode::Char('x'));
    r.typed("cough");
    r.press(KeyCode::Enter);
    let s = r.screen(80, 24);
    assert!(s.contains("no free bay in the Isolation zone now"), "{s}");
    footer_says(&mut r, "Enter look again", "Enter 重新查找");
}

/// The footer at 80×24 says `en` in English and `zh` in Chinese, and
/// "confirm" in neither unless that is what it says.
fn footer_says(r: &mut Rig, en: &str, zh: &str) {
    // "confirm" only where it is what is said.
    let never = |says: &str, word: &'static str| if says.contains(word) { "\u{0}" } else { word };
    for (lang, says, never) in [
        (Lang::En, en, never(en, "confirm")),
        (Lang::Zh, zh, never(zh, "确认")),
    ] {
        r.app.shared.session.lang = lang;
        let foot = footer_80x24(r);
        assert!(
            foot.contains(says) && !foot.contains(never),
            "{foot}\n{}",
            r.screen(80, 24)
        );
        // The help over it says the same.
        r.press(KeyCode::F(1));
        let help = r.screen(80, 24);
        let word = says.split_whitespace().last().unwrap();
        let enter = help
            .lines()
            .find(|l| l.contains("Enter"))
            .unwrap_or_default()
            .to_string();
        assert!(
            enter.contains(word) && !enter.contains(never),
            "{enter}\n{help}"
        );
        r.press(KeyCode::F(1));
    }
    r.app.shared.session.lang = Lang::En;
}

/// At 80x24 the map's two-line strip cuts a closed bay's long reason at
/// the edge between words, with `…`, in English and Chinese: never clipped
/// with no sign.
#[test]
fn the_strip_at_80x24_cuts_a_long_reason_with_a_mark() {
    for (lang, reason, head) in [
        (
            Lang::En,
            "disinfection after a positive driver stayed overnight, waiting for the county CDC to check the drains",
            "disinfection after a positive",
        ),
        (
            Lang::Zh,
            "阳性司机过夜后全面消毒，等待县疾控中心检查下水道、厨房和卫生间后再开放使用",
            "阳性司机过夜后全面消毒",
        ),
    ] {
        let mut r = Rig::new(lang);
        let bay = BayId::parse("P-02-01").unwrap();
        r.op(Op::CloseBay {
            bay: bay.clone(),
            reason: reason.into(),
        });
        let i = r
            .app
            .shared
            .layout
            .bays
            .iter()
            .position(|b| b.id == bay)
            .unwrap();
        r.app.set_cursor(i);
        r.settle();
        let s = r.screen(80, 24);
        let line = s
            .lines()
            .find(|l| l.starts_with("P-02-01") && l.contains(head))
            .unwrap_or_else(|| panic!("no strip line for P-02-01\n{s}"));
        assert!(line.ends_with('…'), "{lang:?}: {line:?}\n{s}");
        assert!(!line.contains(reason), "{lang:?}: {line:?}");
        for l in s.lines() {
            assert!(
                unicode_width::UnicodeWidthStr::width(l) <= 80,
                "{lang:?}: wider than the screen: {l:?}"
            );
        }
    }
}

/// A plate whose last stay left with a positive result that still stands
/// is flagged in the form as soon as it is typed, as the arrival will be:
/// the form asks the store (`ops::positive_before`) and its plan sends the
/// clean cab to isolation, saying why; Enter puts it there.
#[test]
fn the_form_flags_a_truck_whose_last_stay_left_positive() {
    for lang in [Lang::En, Lang::Zh] {
        let mut r = Rig::new(lang);
        let back = Plate::parse("晋D55555").unwrap();
        r.arrive("晋D55555", Cargo::Other, 36.5, None);
        r.sample("晋D55555", TestKind::Antigen);
        r.op(Op::Depart {
            plate: back.clone(),
            force_reason: Some("driver refused to wait".into()),
        });
        r.clock.advance(Duration::minutes(20));
        r.result("晋D55555", TestKind::Antigen, TestResult::Positive);
        r.clock.advance(Duration::hours(2));
        let now = r.clock.now_utc();
        r.app.set_now(now);
        r.form_start("晋D55555", "36.5", 'g');
        let (why, zone) = match lang {
            Lang::En => ("positive at its last stay", "Isolation"),
            Lang::Zh => ("上次入场检测阳性", "隔离区"),
        };
        for (w, h) in [(80, 24), (160, 45)] {
            let s = r.screen(w, h);
            let summary = s.lines().find(|l| l.contains('→') && l.contains(why));
            assert!(
                summary.is_some_and(|l| l.contains(zone)),
                "{lang} {w}×{h}: {s}"
            );
        }
        // Another plate, the same clean cab: parking, nothing said.
        let on_plate = |r: &Rig| match r.app.screens.last() {
            Some(trucklot::tui::screens::Screen::Form(f)) => {
                f.focus == trucklot::tui::screens::form::Field::Plate
            }
            other => panic!("no form on top: {other:?}"),
        };
        for _ in 0..10 {
            if on_plate(&r) {
                break;
            }
            r.press(KeyCode::Up);
        }
        r.ctrl('u');
        r.typed("晋D55556");
        let s = r.screen(160, 45);
        assert!(!s.contains(why), "{lang}: {s}");
        r.ctrl('u');
        r.typed("晋D55555");
        assert!(r.screen(160, 45).contains(why));
        r.press(KeyCode::Enter);
        assert_eq!(
            r.status_of("晋D55555"),
            trucklot::domain::stay::Status::Isolated,
            "{lang}"
        );
        let bay = r.bay_of("晋D55555");
        // The flag is about the truck: it names no one in the cab.
        let reason = r.screen(160, 45);
        assert!(!reason.contains(&format!("{why}:")), "{reason}");
        // Now on site: the form offers no bay for it, and says why.
        r.press(KeyCode::Char('a'));
        r.typed("晋D55555");
        let (on_site, nothing) = match lang {
            Lang::En => ("already on site, in", "nothing to register"),
            Lang::Zh => ("已在场内，车位", "无需登记"),
        };
        let s = r.screen(80, 24);
        let summary = s.lines().find(|l| l.contains(nothing));
        assert!(
            summary.is_some_and(|l| l.contains(on_site) && l.contains(&bay) && !l.contains('→')),
            "{lang}: {s}"
        );
        r.ctrl('u');
        r.press(KeyCode::Esc);
        // The report still owed for its last stay: the clocks board shows
        // where the truck is now, and the note names which stay it is of.
        r.press(KeyCode::Char('c'));
        let s = r.screen(80, 24);
        assert!(
            s.lines()
                .any(|l| l.contains("晋D55555") && l.contains(&bay)),
            "{lang}: {s}"
        );
        r.press(KeyCode::Char('e'));
        let last_stay = match lang {
            Lang::En => "the positive of its last stay",
            Lang::Zh => "上次入场的阳性结果",
        };
        let s = r.screen(80, 24);
        assert!(s.contains(&format!("{bay} · {last_stay}")), "{lang}: {s}");
        // Done, the message says which stay it reported.
        r.typed("CDC told");
        r.press(KeyCode::Enter);
        let toast = r.toast();
        assert!(
            toast.starts_with('✓') && toast.ends_with(last_stay),
            "{lang}: {toast}"
        );
    }
}

/// A sample's and a result's done messages say what was recorded: the
/// test and when its result is due, the result.
#[test]
fn done_messages_say_what_was_recorded() {
    let mut r = Rig::new(Lang::En);
    r.arrive("晋D11111", Cargo::Other, 36.5, None);
    r.go_to("晋D11111");
    r.press(KeyCode::Char('s'));
    r.press(KeyCode::Char('p'));
    let t = r.toast();
    assert!(
        t.contains("sample taken") && t.contains("PCR · due "),
        "{t}"
    );
    r.press(KeyCode::Char('r'));
    r.press(KeyCode::Char('n'));
    let t = r.toast();
    assert!(
        t.contains("result recorded") && t.contains("PCR negative"),
        "{t}"
    );
    // A forced departure says what it went past and why.
    r.press(KeyCode::Char('d'));
    r.press(KeyCode::Enter);
    r.typed("driver ill");
    r.press(KeyCode::Enter);
    // "Force departure (recorded)?"
    r.press(KeyCode::Enter);
    let t = r.toast();
    assert!(
        t.contains("departed") && t.contains("forced past a missing sample: driver ill"),
        "{t}"
    );
}

/// A prompt whose Enter does it (an escalation's note) says "confirm"; one
/// that asks something more after it (a release's reason, then who
/// decided) says "continue", in its own key line and in the footer.
#[test]
fn a_prompt_says_whether_enter_does_it_or_goes_on() {
    let mut r = Rig::busy(Lang::En);
    r.go_to("豫B12345");
    r.press(KeyCode::Char('e'));
    assert!(r.screen(80, 24).contains("Enter confirm · Esc cancel"));
    footer_says(&mut r, "Enter confirm", "Enter 确认");
    r.press(KeyCode::Esc);
    r.press(KeyCode::Char('u'));
    let s = r.screen(80, 24);
    assert!(s.contains("Enter continue · Esc cancel"), "{s}");
    footer_says(&mut r, "Enter continue", "Enter 继续");
}

/// At 80×24 the form may not show every field at once: those out of view
/// are counted above and below, never lost without a sign, and the field
/// in focus is always shown.
#[test]
fn the_form_says_how_many_fields_are_out_of_view() {
    for lang in [Lang::En, Lang::Zh] {
        let mut r = Rig::new(lang);
        r.press(KeyCode::Char('a'));
        r.typed("jinD12345");
        let total = match r.app.screens.last() {
            Some(trucklot::tui::screens::Screen::Form(f)) => f.fields().count(),
            other => panic!("no form on top: {other:?}"),
        };
        let mut seen_hidden = false;
        for _ in 0..total {
            let s = r.screen(80, 24);
            // The form is the last box at 80×24: its field rows come first,
            // then the line that counts what is out of view.
            let lines: Vec<&str> = s.lines().collect();
            let top = lines.iter().rposition(|l| l.starts_with('┏')).unwrap();
            let body: Vec<&str> = lines[top + 1..]
                .iter()
                .take_while(|l| !l.starts_with('┗'))
                .map(|l| l.trim_matches('┃'))
                .collect();
            let is_marker = |l: &&str| l.starts_with('↑') || l.starts_with('↓');
            let shown = body
                .iter()
                .take_while(|l| !is_marker(l) && !l.trim().is_empty())
                .count();
            let counted: usize = body
                .iter()
                .find(|l| is_marker(l))
                .map(|l| {
                    l.split_whitespace()
                        .filter_map(|w| w.strip_prefix('↑').or_else(|| w.strip_prefix('↓')))
                        .filter_map(|n| n.parse::<usize>().ok())
                        .sum()
                })
                .unwrap_or(0);
            seen_hidden |= counted > 0;
            assert!(s.contains('▸'), "the field in focus is shown: {s}");
            assert_eq!(shown + counted, total, "{lang}\n{s}");
            r.press(KeyCode::Tab);
        }
        assert!(seen_hidden, "{lang}: at 80×24 some field is out of view");
    }
}

/// A refusal on the status line is marked ✗ (x with `--ascii`) as a done
/// message is marked ✓: without colour it must not read like news.
#[test]
fn a_refusal_on_the_status_line_is_marked_as_one() {
    let mut r = Rig::busy(Lang::En);
    r.go_to("冀A8B9C1");
    r.press(KeyCode::Char('e'));
    let s = r.screen(80, 24);
    assert!(s.contains("✗ 冀A8B9C1 is not in isolation"), "{s}");
    r.app.shared.session.ascii = true;
    let s = r.screen(80, 24);
    assert!(s.contains(" x 冀A8B9C1 is not in isolation"), "{s}");
    // A message already marked is not marked twice.
    r.app.shared.session.ascii = false;
    r.press(KeyCode::Char('a'));
    r.press(KeyCode::Enter);
    let s = r.screen(80, 24);
    assert!(!s.contains("✗ ✗"), "{s}");
}

/// When the lot changes under a board (another terminal records a result,
/// isolates a truck), the selection stays on the truck it was on, not on
/// the place it had: a key then acts on the truck the operator saw.
#[test]
fn a_board_keeps_its_selection_on_the_same_truck_when_rows_come_and_go() {
    use trucklot::tui::screens::Screen;
    let mut r = Rig::busy(Lang::En);
    // Clocks: select the second clock, then end the first one.
    r.press(KeyCode::Char('c'));
    r.press(KeyCode::Down);
    let selected_clock = |r: &Rig| match r.app.screens.last() {
        Some(Screen::Clocks(b)) => r.app.shared.clocks[b.selected].clone(),
        other => panic!("no clocks board: {other:?}"),
    };
    let first = r.app.shared.clocks[0].clone();
    let held = selected_clock(&r);
    assert_ne!(first, held);
    let Some(t) = first.truck.as_ref() else {
        panic!("the first clock is a truck's: {first:?}")
    };
    // The first clock is the overdue antigen of 冀A8B9C1: its result ends it.
    assert_eq!(t.plate.as_str(), "冀A8B9C1");
    r.result("冀A8B9C1", TestKind::Antigen, TestResult::Negative);
    assert_ne!(r.app.shared.clocks[0], first, "the first clock ended");
    assert_eq!(selected_clock(&r), held);
    r.press(KeyCode::Esc);
    // Isolation board: a second truck isolated ahead of the selected one.
    r.arrive("晋A00001", Cargo::Other, 38.9, None);
    r.press(KeyCode::Char('i'));
    let selected_row = |r: &Rig| match r.app.screens.last() {
        Some(Screen::Isolation(b)) => b.rows[b.selected].truck.plate.to_string(),
        other => panic!("no isolation board: {other:?}"),
    };
    // Newest first, so the next truck isolated comes in above.
    r.press(KeyCode::Char('S'));
    r.press(KeyCode::Down);
    let held = selected_row(&r);
    r.clock.advance(Duration::minutes(1));
    let now = r.clock.now_utc();
    r.app.set_now(now);
    r.arrive("晋A00002", Cargo::Other, 39.1, None);
    match r.app.screens.last() {
        Some(Screen::Isolation(b)) => {
            assert_eq!(b.rows[0].truck.plate.as_str(), "晋A00002", "came in above")
        }
        other => panic!("no isolation board: {other:?}"),
    }
    assert_eq!(selected_row(&r), held);
}

/// A dialog drawn over the map never loses its left border to a Chinese
/// character of the screen under it: a wide character just left of the
/// border would cover it (and the terminal's diff skips the cell it
/// covers), so no wide character may stand where its second half is drawn
/// on. Tried over the map's zone titles and the isolation board's header,
/// in both languages, at 80x24 and 160x45.
#[test]
fn a_dialog_keeps_its_borders_over_chinese_text() {
    use unicode_width::UnicodeWidthStr;
    // The frame as drawn, before the terminal's diff: what a terminal that
    // redraws everything would show.
    let drawn = |r: &Rig, w: u16, h: u16| {
        let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
        t.draw(|f| r.app.render(f)).unwrap().buffer.clone()
    };
    let covered = |buf: &ratatui::buffer::Buffer| -> Vec<String> {
        let mut bad = Vec::new();
        for y in 0..buf.area.height {
            for x in 0..buf.area.width.saturating_sub(1) {
                let here = buf[(x, y)].symbol();
                let next = buf[(x + 1, y)].symbol();
                if here.width() == 2 && next != " " && !next.is_empty() {
                    bad.push(format!("({x},{y}) {here:?} covers {next:?}"));
                }
            }
        }
        bad
    };
    for lang in [Lang::En, Lang::Zh] {
        for (w, h) in [(80, 24), (160, 45)] {
            let mut r = Rig::new(lang);
            r.arrive("晋D11111", Cargo::Other, 36.5, None);
            r.arrive("晋D22222", Cargo::Other, 38.6, None);
            let mut tries: Vec<(&str, Vec<String>)> = Vec::new();
            // Departure confirmation over the map.
            r.go_to("晋D11111");
            r.press(KeyCode::Char('d'));
            tries.push(("depart", covered(&drawn(&r, w, h))));
            r.press(KeyCode::Esc);
            // Help over the isolation board.
            r.press(KeyCode::Char('i'));
            r.press(KeyCode::F(1));
            tries.push(("help over isolation", covered(&drawn(&r, w, h))));
            r.press(KeyCode::F(1));
            r.press(KeyCode::Esc);
            // The form's discard question.
            r.press(KeyCode::Char('a'));
            r.typed("晋D33333");
            r.press(KeyCode::Esc);
            tries.push(("discard", covered(&drawn(&r, w, h))));
            for (what, bad) in tries {
                assert!(bad.is_empty(), "{lang:?} {w}x{h} {what}: {bad:?}");
            }
        }
    }
}

/// At 80x24 the zone above the form stays on the suggested bay under the
/// discard question, as under the form itself; only picking a bay on the
/// map makes it follow the cursor.
#[test]
fn the_zone_above_a_narrow_form_stays_on_the_suggestion_under_a_dialog() {
    let mut r = Rig::new(Lang::En);
    r.press(KeyCode::Char('a'));
    r.typed("晋D77777");
    r.press(KeyCode::Tab);
    r.typed("38.6");
    let strip = |r: &Rig| {
        r.screen(80, 24)
            .lines()
            .nth(1)
            .unwrap_or_default()
            .to_string()
    };
    assert!(strip(&r).contains("Isolation"), "{}", r.screen(80, 24));
    r.press(KeyCode::Esc);
    assert!(
        r.screen(80, 24)
            .contains(&trucklot::i18n::Msg::DiscardFormTitle.text(Lang::En)[..10]),
        "the discard question: {}",
        r.screen(80, 24)
    );
    assert!(strip(&r).contains("Isolation"), "{}", r.screen(80, 24));
}

/// Another terminal takes the bay the form suggested between the form and
/// Enter: the truck goes to the next best bay, and the done message says
/// the suggestion was taken rather than leave the operator to notice.
#[test]
fn an_arrival_says_when_its_suggested_bay_was_taken_meanwhile() {
    let mut r = Rig::new(Lang::En);
    r.form_start("晋D11111", "36.5", 'g');
    let shown = match r.app.screens.last() {
        Some(trucklot::tui::screens::Screen::Form(f)) => r.app.shared.layout.bays
            [f.plan.as_ref().unwrap().bay.unwrap()]
        .id
        .clone(),
        other => panic!("{other:?}"),
    };
    // Committed elsewhere; this terminal has not looked again yet.
    let other = trucklot::ops::Ctx {
        action: None,
        operator: "李",
        terminal: "gate-2",
        clock: &r.clock,
        policy: &r.policy,
    };
    trucklot::ops::execute(
        &mut r.store,
        &other,
        &Op::Arrive {
            arrival: arrival("晋D22222", Cargo::Other, 36.5, HealthCode::Green),
            bay: Some(shown.clone()),
            override_reason: None,
        },
    )
    .unwrap();
    r.press(KeyCode::Enter);
    let t = r.toast();
    assert!(
        t.starts_with('✓')
            && t.contains(&format!("{shown}, the bay suggested, was taken meanwhile")),
        "{t}"
    );
    assert_ne!(r.bay_of("晋D11111"), shown.to_string());
    // Without a race, nothing of the kind is said.
    r.form_start("晋D33333", "36.5", 'g');
    r.press(KeyCode::Enter);
    let t = r.toast();
    assert!(t.starts_with('✓') && !t.contains("meanwhile"), "{t}");
}

/// An antigen sampled and come back positive.
fn positive_antigen(r: &mut Rig, p: &Plate) {
    use trucklot::domain::event::{TestKind, TestResult};
    r.op(Op::Sample {
        plate: p.clone(),
        test: TestKind::Antigen,
        tube: None,
        batch: None,
    });
    r.op(Op::Result {
        plate: p.clone(),
        test: TestKind::Antigen,
        result: TestResult::Positive,
    });
}

/// An escort by the county traffic police, authorised by `by`.
fn escort(p: &Plate, by: Option<&str>) -> Op {
    Op::HandoffStart {
        plate: p.clone(),
        mode: trucklot::domain::event::HandoffMode::Escort,
        receiver: None,
        company: None,
        escort: Some("县交警".into()),
        by: by.map(str::to_string),
        bay: None,
    }
}

/// The panel never tells the operator a truck may leave that the rules
/// hold: an escort nobody authorised, done after the antigen came back
/// positive, leaves the truck positive, and its status says only that the
/// handoff is done.
#[test]
fn a_handoff_done_is_not_said_to_let_a_positive_truck_leave() {
    let mut r = Rig::new(Lang::En);
    r.arrive("晋A22222", Cargo::Other, 36.5, None);
    let p = Plate::parse("晋A22222").unwrap();
    r.op(escort(&p, None));
    positive_antigen(&mut r, &p);
    r.op(Op::HandoffDone { plate: p });
    r.go_to("晋A22222");
    let s = r.screen(160, 45);
    assert!(s.contains("handoff done"), "{s}");
    assert!(!s.contains("may leave"), "{s}");
}

/// A positive truck let out under its authorised escort: the departure's
/// confirmation says so, naming the escort and who authorised it (found by
/// a new user's try: it read as any truck's departure).
#[test]
fn the_departure_of_a_positive_truck_names_its_escort() {
    let mut r = Rig::new(Lang::En);
    r.arrive("晋A22222", Cargo::Other, 36.5, None);
    let p = Plate::parse("晋A22222").unwrap();
    positive_antigen(&mut r, &p);
    r.op(Op::Isolate {
        plate: p.clone(),
        reason: "positive".into(),
        bay: None,
    });
    r.op(escort(&p, Some("李主任")));
    r.op(Op::HandoffDone { plate: p });
    r.go_to("晋A22222");
    r.press(KeyCode::Char('d'));
    let s = r.screen(160, 45);
    assert!(
        s.contains("positive: leaves under its escort: 县交警 · authorised by 李主任"),
        "{s}"
    );
    let before = r.events();
    r.press(KeyCode::Enter);
    assert_eq!(r.events(), before + 1, "{}", r.toast());
}
