//! Every screen of the interface, walked by keys on a busy lot and drawn on
//! `TestBackend` at 160×45 and 80×24: in Chinese no English word of the
//! catalogue may show, with `--ascii` no cell may hold anything but ASCII
//! (or the Chinese characters of plates and names, which are data), and
//! the main screens are kept as snapshots that carry every cell's colour and
//! attributes, so a colour or `NO_COLOR` regression shows in review.

mod tui_rig;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use tempfile::TempDir;
use trucklot::domain::bay::BayId;
use trucklot::domain::clock::{Clock, FixedClock};
use trucklot::domain::event::{
    ArrivalRecord, HandoffMode, Passenger, ServiceKind, TestKind, TestResult,
};
use trucklot::domain::plate::Plate;
use trucklot::domain::policy::{Cargo, HealthCode, Policy, Temperature};
use trucklot::i18n::{Lang, Msg};
use trucklot::ops::{self, Ctx, Op};
use trucklot::store::Store;
use trucklot::tui::Session;
use trucklot::tui::app::App;
use trucklot::tui::screens::Screen;

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 19, 0, 0).unwrap()
}

/// Everything the walk types or records: Chinese, as people at this lot
/// would, so any ASCII word on a Chinese screen comes from the program.
const NAMES: [&str; 4] = ["张三", "李四", "王五", "赵六"];

struct Rig {
    _dir: TempDir,
    store: Store,
    clock: FixedClock,
    policy: Policy,
    app: App,
}

fn session(lang: Lang, ascii: bool, color: bool) -> Session {
    tui_rig::session("值班员", "一号门", ["东门", "西门"], lang, ascii, color)
}

fn plate(s: &str) -> Plate {
    Plate::parse(s).unwrap()
}

fn arrival(p: &str, cargo: Cargo, temp: f64, code: HealthCode) -> ArrivalRecord {
    ArrivalRecord {
        plate: plate(p),
        driver: Some(NAMES[0].into()),
        phone: None,
        cargo,
        origin: Some("太原".into()),
        destination: Some("长治".into()),
        temperature: Some(Temperature::new(temp).unwrap()),
        code: Some(code),
        travel_flag: false,
        handoff_required: false,
        passengers: vec![],
        gate: Some("东门".into()),
        venue_code: Some(true),
    }
}

impl Rig {
    fn new(lang: Lang, ascii: bool, color: bool) -> Rig {
        let (dir, store, app) = tui_rig::lot(session(lang, ascii, color), start());
        let mut rig = Rig {
            _dir: dir,
            store,
            clock: FixedClock::new(start()),
            policy: Policy::default(),
            app,
        };
        rig.settle();
        rig
    }

    /// A lot with one of everything: priority cargo, a pending and an
    /// overdue test, a positive, a fever with a flagged passenger in
    /// isolation (escalated), one parked against the checks, a handoff done
    /// and waiting for confirmation, an open service call, a closed bay.
    fn busy(lang: Lang, ascii: bool, color: bool) -> Rig {
        let mut r = Rig::new(lang, ascii, color);
        r.arrive(
            arrival("晋D12345", Cargo::Emergency, 36.5, HealthCode::Green),
            None,
            None,
        );
        r.arrive(
            arrival("冀A8B9C1", Cargo::Other, 36.8, HealthCode::Green),
            None,
            None,
        );
        let mut fever = arrival("豫B12345", Cargo::Other, 38.4, HealthCode::Green);
        fever.passengers = vec![Passenger {
            name: Some(NAMES[1].into()),
            phone: None,
            temperature: Some(Temperature::new(36.6).unwrap()),
            code: Some(HealthCode::Yellow),
        }];
        r.arrive(fever, None, None);
        r.arrive(
            arrival("晋D1234挂", Cargo::Living, 36.6, HealthCode::Green),
            Some("P-05-30"),
            None,
        );
        r.arrive(
            arrival("晋E54321", Cargo::Production, 36.4, HealthCode::Yellow),
            Some("P-03-10"),
            Some("隔离区消毒中"),
        );
        r.arrive(
            arrival("晋K66666", Cargo::Other, 36.2, HealthCode::Green),
            None,
            None,
        );
        r.arrive(
            arrival("晋L77777", Cargo::Other, 36.3, HealthCode::Green),
            None,
            None,
        );
        r.op(Op::Sample {
            plate: plate("冀A8B9C1"),
            test: TestKind::Antigen,
            tube: None,
            batch: None,
        });
        r.op(Op::Sample {
            plate: plate("晋D1234挂"),
            test: TestKind::Pcr,
            tube: None,
            batch: None,
        });
        r.op(Op::Sample {
            plate: plate("晋K66666"),
            test: TestKind::Antigen,
            tube: None,
            batch: None,
        });
        r.op(Op::Result {
            plate: plate("晋K66666"),
            test: TestKind::Antigen,
            result: TestResult::Positive,
        });
        r.op(Op::Escalate {
            plate: plate("豫B12345"),
            note: "已报区疾控".into(),
        });
        r.op(Op::HandoffStart {
            plate: plate("晋L77777"),
            mode: HandoffMode::Transfer,
            receiver: Some(plate("晋M88888")),
            company: Some("长治物流".into()),
            escort: None,
            by: None,
            bay: None,
        });
        r.op(Op::HandoffDone {
            plate: plate("晋L77777"),
        });
        r.op(Op::ServiceRequest {
            plate: plate("晋D12345"),
            service: ServiceKind::Meal,
        });
        r.op(Op::CloseBay {
            bay: BayId::parse("P-20-01").unwrap(),
            reason: "路面维修".into(),
        });
        r.clock.advance(Duration::minutes(40));
        let now = r.clock.now();
        r.app.set_now(now);
        r
    }

    fn arrive(&mut self, a: ArrivalRecord, bay: Option<&str>, why: Option<&str>) {
        self.op(Op::Arrive {
            arrival: a,
            bay: bay.map(|b| BayId::parse(b).unwrap()),
            override_reason: why.map(str::to_string),
        });
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

    fn go_to(&mut self, p: &str) {
        let bay = self.app.shared.bay_of_plate(&plate(p)).expect("on site");
        self.app.set_cursor(bay);
        self.settle();
    }

    /// Esc until the map; a form with typed data asks first: discard it.
    fn esc_all(&mut self) {
        while !self.app.screens.is_empty() {
            self.key(KeyCode::Esc);
            if let Some(Screen::Menu(m)) = self.app.screens.last()
                && m.title == Msg::DiscardFormTitle
            {
                self.key(KeyCode::Char('y'));
            }
        }
    }

    fn buffer(&self, w: u16, h: u16) -> Buffer {
        tui_rig::buffer(&self.app, w, h)
    }

    fn text(&self, w: u16, h: u16) -> String {
        text(&self.buffer(w, h))
    }

    /// The arrival form's focus field, moved with Tab until `pred` holds.
    fn tab_until(&mut self, pred: impl Fn(&trucklot::tui::screens::form::Field) -> bool) {
        for _ in 0..40 {
            if let Some(Screen::Form(f)) = self.app.screens.last()
                && pred(&f.focus)
            {
                return;
            }
            self.key(KeyCode::Tab);
        }
        panic!("field not reached");
    }
}

/// The buffer as text, a wide character printed once.
fn text(buf: &Buffer) -> String {
    tui_rig::text(buf, true)
}

/// The buffer as text with its styles: each row, then (marked `~`) one
/// letter per cell naming the cell's foreground, background and attributes
/// — a wide character's two cells get two letters, so the letters stand
/// under the characters in a CJK-aware monospace view — and the key to the
/// letters at the end. Cells in the default style are blank.
fn styled(buf: &Buffer) -> String {
    let mut keys: BTreeMap<String, char> = BTreeMap::new();
    let mut order: Vec<(char, String)> = Vec::new();
    let letters: Vec<char> = ('a'..='z').chain('A'..='Z').chain('0'..='9').collect();
    let mut out = String::new();
    let t = text(buf);
    for (y, line) in t.lines().enumerate() {
        out.push_str("  ");
        out.push_str(line);
        out.push('\n');
        let mut codes = String::new();
        for x in 0..buf.area.width {
            let c = &buf[(x, y as u16)];
            let desc = describe(c.fg, c.bg, c.modifier);
            let code = if desc.is_empty() {
                ' '
            } else {
                let n = keys.len();
                *keys.entry(desc.clone()).or_insert_with(|| {
                    let l = letters.get(n).copied().unwrap_or('+');
                    order.push((l, desc.clone()));
                    l
                })
            };
            codes.push(code);
        }
        let codes = codes.trim_end();
        if !codes.is_empty() {
            out.push_str("~ ");
            out.push_str(codes);
            out.push('\n');
        }
    }
    out.push_str("\nstyles:\n");
    for (l, d) in order {
        out.push_str(&format!("  {l} = {d}\n"));
    }
    out
}

fn describe(fg: Color, bg: Color, m: Modifier) -> String {
    let mut parts = Vec::new();
    if fg != Color::Reset {
        parts.push(format!("fg {fg}"));
    }
    if bg != Color::Reset {
        parts.push(format!("bg {bg}"));
    }
    if !m.is_empty() {
        parts.push(format!("{m:?}").replace(" | ", "+"));
    }
    parts.join(" ")
}

/// Every screen, walked by keys: (name, what shows at 160×45, at 80×24).
fn walk(lang: Lang, ascii: bool) -> Vec<(String, Buffer, Buffer)> {
    let mut r = Rig::busy(lang, ascii, true);
    let mut shots = Vec::new();
    let mut shot = |r: &Rig, name: &str| {
        shots.push((name.to_string(), r.buffer(160, 45), r.buffer(80, 24)));
    };
    // The map, on each kind of truck.
    for p in [
        "豫B12345",
        "晋E54321",
        "晋L77777",
        "冀A8B9C1",
        "晋K66666",
        "晋D12345",
    ] {
        r.go_to(p);
        shot(&r, &format!("map {p}"));
    }
    r.app.set_cursor(
        r.app
            .shared
            .layout
            .find(&BayId::parse("P-20-01").unwrap())
            .unwrap(),
    );
    shot(&r, "map closed bay");
    // A demo lot's badge.
    r.app.shared.demo = Some(60);
    shot(&r, "map of a demo lot");
    r.app.shared.demo = None;
    r.key(KeyCode::Char('?'));
    shot(&r, "help");
    r.esc_all();
    // Search.
    r.key(KeyCode::Char('/'));
    r.typed("D12");
    shot(&r, "search");
    r.typed("999");
    shot(&r, "search, no match");
    r.esc_all();
    // The arrival form: an invalid plate, then a fever with a passenger.
    r.key(KeyCode::Char('a'));
    shot(&r, "form, empty");
    r.typed("晋I1");
    shot(&r, "form, invalid plate");
    for _ in 0..2 {
        r.key(KeyCode::Backspace);
    }
    r.typed("D99887");
    shot(&r, "form, plate");
    r.key(KeyCode::Tab);
    r.typed("38.6");
    r.key(KeyCode::Tab);
    r.key(KeyCode::Char('g'));
    r.key(KeyCode::Char('y'));
    r.key(KeyCode::Char('p'));
    r.typed(NAMES[2]);
    r.ctrl('p');
    r.typed(NAMES[3]);
    shot(&r, "form, passenger");
    r.tab_until(|f| *f == trucklot::tui::screens::form::Field::Bay);
    shot(&r, "form, bay");
    r.key(KeyCode::Char(' '));
    shot(&r, "pick bay");
    r.key(KeyCode::Char('3'));
    r.key(KeyCode::Enter);
    shot(&r, "form, against the checks");
    r.ctrl('c');
    shot(&r, "quit, discard the form?");
    r.esc_all();
    // Menus, prompts, confirmations.
    r.go_to("冀A8B9C1");
    r.key(KeyCode::Char('s'));
    shot(&r, "sample menu");
    r.esc_all();
    r.key(KeyCode::Char('v'));
    shot(&r, "service menu");
    r.esc_all();
    r.key(KeyCode::Char('p'));
    shot(&r, "handoff menu");
    r.esc_all();
    r.key(KeyCode::Char('x'));
    shot(&r, "isolate prompt");
    r.esc_all();
    r.key(KeyCode::Char('d'));
    shot(&r, "departure with blockers");
    r.key(KeyCode::Enter);
    shot(&r, "force reason prompt");
    r.esc_all();
    r.go_to("晋K66666");
    r.key(KeyCode::Char('d'));
    shot(&r, "departure never (positive)");
    r.esc_all();
    r.go_to("冀A8B9C1");
    r.key(KeyCode::Char('m'));
    shot(&r, "move: pick bay");
    r.key(KeyCode::Left);
    r.key(KeyCode::Enter);
    shot(&r, "move: confirm");
    r.key(KeyCode::Enter);
    shot(&r, "toast: moved");
    r.app.set_cursor(
        r.app
            .shared
            .layout
            .find(&BayId::parse("P-19-01").unwrap())
            .unwrap(),
    );
    r.key(KeyCode::Char('r'));
    shot(&r, "toast: no truck here");
    // A refusal, as the loop reports it.
    let refused = Op::Move {
        plate: plate("晋D12345"),
        to: r.app.shared.layout.bays[r.app.shared.bay_of_plate(&plate("冀A8B9C1")).unwrap()]
            .id
            .clone(),
    };
    let ctx = Ctx {
        action: None,
        operator: "值班员",
        terminal: "一号门",
        clock: &r.clock,
        policy: &r.policy,
    };
    let err = ops::execute(&mut r.store, &ctx, &refused);
    assert!(err.is_err());
    r.app.op_done(&refused, err, None);
    shot(&r, "toast: refused");
    r.esc_all();
    // The boards.
    r.key(KeyCode::Char('c'));
    shot(&r, "clocks");
    r.key(KeyCode::Char('?'));
    shot(&r, "clocks help");
    r.esc_all();
    r.key(KeyCode::Char('i'));
    shot(&r, "isolation board");
    r.key(KeyCode::Char('4'));
    shot(&r, "isolation board by reason");
    r.esc_all();
    // The event log: a page, the filter bar, a filtered page.
    r.key(KeyCode::Char('L'));
    shot(&r, "log");
    r.key(KeyCode::Char('f'));
    r.typed("晋D12345");
    shot(&r, "log filter");
    r.key(KeyCode::Enter);
    shot(&r, "log filtered");
    r.key(KeyCode::Char('f'));
    r.key(KeyCode::Tab);
    r.typed("Q-1");
    r.key(KeyCode::Enter);
    shot(&r, "log filter refused");
    r.esc_all();
    // The lot at a past moment, and an action refused there.
    r.key(KeyCode::Char('t'));
    shot(&r, "past prompt");
    r.key(KeyCode::Enter);
    shot(&r, "past");
    r.go_to("晋K66666");
    shot(&r, "past, a truck");
    r.key(KeyCode::Char('d'));
    shot(&r, "past: read only");
    r.esc_all();
    // The shift report, this shift and the one before.
    r.key(KeyCode::Char('R'));
    shot(&r, "report");
    r.key(KeyCode::Char('['));
    shot(&r, "report, previous shift");
    r.esc_all();
    // A truck that left, found in the log: its stay.
    r.op(Op::Depart {
        plate: plate("冀A8B9C1"),
        force_reason: Some("司机已隔离转运".into()),
    });
    r.key(KeyCode::Char('L'));
    r.key(KeyCode::Enter);
    shot(&r, "log: a departed truck's stay");
    r.esc_all();
    // Too small.
    shots.push(("too small".into(), r.buffer(59, 17), r.buffer(40, 10)));
    shots
}

/// ASCII words of two letters or more.
fn words(s: &str) -> BTreeSet<String> {
    s.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 2)
        .map(str::to_string)
        .collect()
}

#[test]
fn every_screen_in_chinese_shows_no_english_word_of_the_catalogue() {
    // The English side's words, less those the Chinese side uses too
    // (key names like Enter, Esc, Tab; PCR is not one: 核酸).
    let zh: BTreeSet<String> = Msg::ALL
        .iter()
        .flat_map(|m| words(m.text(Lang::Zh)))
        .collect();
    let english: BTreeSet<String> = Msg::ALL
        .iter()
        .flat_map(|m| words(m.text(Lang::En)))
        .filter(|w| !zh.contains(w))
        .collect();
    assert!(english.contains("overdue") && english.contains("Parking"));
    let mut found = Vec::new();
    for (name, wide, small) in walk(Lang::Zh, false) {
        for (size, buf) in [("160x45", &wide), ("80x24", &small)] {
            let t = text(buf);
            for w in words(&t) {
                if english.contains(&w) {
                    found.push(format!("{name} at {size}: {w:?}\n{t}"));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "{} English words:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
#[ignore = "prints every screen; run with --ignored --nocapture to look"]
fn print_every_screen() {
    let lang = match std::env::var("LANG_UNDER_TEST").as_deref() {
        Ok("zh") => Lang::Zh,
        _ => Lang::En,
    };
    let ascii = std::env::var("ASCII_UNDER_TEST").is_ok();
    for (name, wide, small) in walk(lang, ascii) {
        println!("=== {name}\n{}\n{}", text(&wide), text(&small));
    }
}

#[test]
fn every_screen_with_ascii_is_ascii() {
    let mut bad = Vec::new();
    for (name, wide, small) in walk(Lang::En, true) {
        for (size, buf) in [("160x45", &wide), ("80x24", &small)] {
            for cell in buf.content() {
                let sym = cell.symbol();
                // Plates, names and places are data, in Chinese: wide
                // characters, never ambiguous ones.
                let data = sym.chars().all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
                if !sym.is_ascii() && !data {
                    bad.push(format!("{name} at {size}: {sym:?}"));
                }
            }
            if bad.len() > 40 {
                break;
            }
        }
    }
    assert!(bad.is_empty(), "not ASCII:\n{}", bad.join("\n"));
}

/// The cursor's column number on the ruler never runs into the tick beside
/// it: on column 12 at 80 columns, "10" would read "1012"; the tick gives
/// way (where there is room, "10 12" stands apart anyway).
#[test]
fn the_rulers_cursor_number_stands_apart_from_the_ticks() {
    let mut r = Rig::busy(Lang::En, false, true);
    for (bay, shown) in [("P-07-12", "12"), ("P-07-09", "9"), ("P-07-21", "21")] {
        r.app.set_cursor(
            r.app
                .shared
                .layout
                .find(&BayId::parse(bay).unwrap())
                .unwrap(),
        );
        for (w, h) in [(80, 24), (160, 45)] {
            let t = text(&r.buffer(w, h));
            let lines: Vec<&str> = t.lines().collect();
            let first_row = lines.iter().position(|l| l.contains("┃01 ")).unwrap();
            let ruler = lines[first_row - 1];
            let ruler = &ruler[ruler.find('┃').unwrap()..];
            let words: Vec<&str> = ruler
                .split(|c: char| !c.is_ascii_digit())
                .filter(|w| !w.is_empty())
                .collect();
            assert!(words.contains(&shown), "{bay} at {w}x{h}: {ruler}");
            for word in &words {
                let n: usize = word.parse().unwrap();
                assert!(
                    *word == shown || n == 1 || (n.is_multiple_of(10) && n <= 50),
                    "{bay} at {w}x{h}: {word} in {ruler}"
                );
            }
            assert!(words.len() >= 3, "{bay} at {w}x{h}: {ruler}");
        }
    }
}

#[test]
fn the_cursor_shows_its_row_and_column_and_the_suggestion_needs_no_blink() {
    let mut r = Rig::busy(Lang::En, false, true);
    r.app.set_cursor(
        r.app
            .shared
            .layout
            .find(&BayId::parse("P-07-23").unwrap())
            .unwrap(),
    );
    let buf = r.buffer(160, 45);
    let t = text(&buf);
    let (y, line) = t
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("┃07 "))
        .unwrap();
    let _ = line;
    let x = (0..buf.area.width - 2)
        .find(|&x| {
            buf[(x, y as u16)].symbol() == "┃"
                && buf[(x + 1, y as u16)].symbol() == "0"
                && buf[(x + 2, y as u16)].symbol() == "7"
        })
        .unwrap()
        + 1;
    assert!(
        buf[(x, y as u16)].modifier.contains(Modifier::REVERSED),
        "row label 07 in reverse video"
    );
    // The ruler names the cursor's column, in reverse video.
    let ruler = t.lines().nth(y - 1).unwrap_or("");
    let ruler = if ruler.contains(" 10 ") {
        ruler
    } else {
        t.lines().nth(2).unwrap()
    };
    assert!(ruler.contains("23"), "{ruler}");
    // The suggested bay: its own glyph and a steady colour, no blink.
    r.key(KeyCode::Char('a'));
    r.typed("晋D99887");
    let buf = r.buffer(160, 45);
    let marked: Vec<_> = buf.content().iter().filter(|c| c.symbol() == "◇").collect();
    assert!(!marked.is_empty());
    assert!(
        marked
            .iter()
            .all(|c| !c.modifier.contains(Modifier::SLOW_BLINK))
    );
}

#[test]
fn the_gate_works_at_80x24() {
    let mut r = Rig::busy(Lang::En, false, true);
    // The footer keeps help and quit.
    let t = r.text(80, 24);
    let footer = t.lines().last().unwrap();
    assert!(footer.contains("? ") && footer.contains("q "), "{footer}");
    // With a plate typed the form leaves the suggested bay in view, marked.
    r.key(KeyCode::Char('a'));
    r.typed("晋D99887");
    let bay = r.app.arrival_plan().unwrap().bay.unwrap();
    let id = r.app.shared.layout.bays[bay].id.to_string();
    let t = r.text(80, 24);
    let form_top = t.lines().position(|l| l.contains("Arrival")).unwrap();
    let above: String = t.lines().take(form_top).collect::<Vec<_>>().join("\n");
    assert!(above.contains('◇') && above.contains(&id), "{t}");
    // Picking on the map shows the cursor's zone above the form.
    r.tab_until(|f| *f == trucklot::tui::screens::form::Field::Bay);
    r.key(KeyCode::Char(' '));
    r.key(KeyCode::Right);
    let t = r.text(80, 24);
    assert!(t.contains(r.app.shared.cursor_bay().as_str()), "{t}");
    // A long reason is never cut: it moves below the fields and wraps.
    r.esc_all();
    r.key(KeyCode::Char('a'));
    r.typed("晋D9988");
    let t = r.text(80, 24);
    assert!(
        t.contains("wrong length: province, letter and 5 characters"),
        "{t}"
    );
}

#[test]
fn long_texts_are_whole_at_160_columns() {
    let mut r = Rig::busy(Lang::En, false, true);
    r.key(KeyCode::Char('a'));
    r.typed("晋D99887");
    r.tab_until(|f| *f == trucklot::tui::screens::form::Field::Bay);
    assert!(r.text(160, 45).contains("Space: pick on map"));
    r.esc_all();
    r.key(KeyCode::Char('c'));
    let t = r.text(160, 45);
    assert!(t.contains("cargo transfer confirm arrival"), "{t}");
}

/// A demo lot says so first on the status line, in either language and
/// at any width the interface draws; a real lot never does.
#[test]
fn a_demo_lot_is_marked_on_the_status_line_and_a_real_one_is_not() {
    for (lang, ascii, badge) in [
        (Lang::En, false, "DEMO ×60"),
        (Lang::Zh, false, "演示 ×60"),
        (Lang::En, true, "DEMO x60"),
    ] {
        let mut r = Rig::busy(lang, ascii, true);
        for (w, h) in [(160, 45), (80, 24), (60, 18)] {
            let top = |r: &Rig| r.text(w, h).lines().next().unwrap_or("").to_string();
            assert!(!top(&r).contains(badge), "{w}x{h}: {}", top(&r));
            r.app.shared.demo = Some(60);
            assert!(
                top(&r).starts_with(&format!(" {badge} ")),
                "{w}x{h}: {}",
                top(&r)
            );
            r.app.shared.demo = None;
        }
    }
}

fn snap(name: &str, buf: &Buffer) {
    insta::assert_snapshot!(name, styled(buf));
}

#[test]
fn snapshots_with_styles() {
    for lang in [Lang::En, Lang::Zh] {
        let mut r = Rig::busy(lang, false, true);
        r.go_to("豫B12345");
        for (w, h) in [(160, 45), (80, 24)] {
            snap(&format!("map_{lang}_{w}x{h}"), &r.buffer(w, h));
        }
        r.key(KeyCode::Char('a'));
        r.typed("晋D99887");
        r.key(KeyCode::Tab);
        r.typed("36.6");
        for (w, h) in [(160, 45), (80, 24)] {
            snap(&format!("form_{lang}_{w}x{h}"), &r.buffer(w, h));
        }
        r.esc_all();
        r.key(KeyCode::Char('c'));
        for (w, h) in [(160, 45), (80, 24)] {
            snap(&format!("clocks_{lang}_{w}x{h}"), &r.buffer(w, h));
        }
        r.esc_all();
        r.key(KeyCode::Char('i'));
        for (w, h) in [(160, 45), (80, 24)] {
            snap(&format!("isolation_{lang}_{w}x{h}"), &r.buffer(w, h));
        }
    }
    // Without colour (NO_COLOR) and with ASCII, the glyphs carry the state.
    let mut r = Rig::busy(Lang::En, false, false);
    r.go_to("豫B12345");
    snap("map_en_160x45_no_color", &r.buffer(160, 45));
    let mut r = Rig::busy(Lang::En, true, false);
    r.go_to("豫B12345");
    snap("map_en_80x24_ascii_no_color", &r.buffer(80, 24));
}

/// A board's table on screen: its heading and rows, each line without the
/// box's sides, up to a blank line, the selected row said in full (`▸`) or
/// the box's bottom; `skip`: lines of the box above the heading (the
/// log's filter bar).
fn table_lines(t: &str, skip: usize) -> Vec<String> {
    t.lines()
        .skip(2 + skip)
        .map(|l| {
            l.trim_start_matches('┃')
                .trim_end()
                .trim_end_matches('┃')
                .trim_end()
                .to_string()
        })
        .take_while(|l| !l.is_empty() && !l.starts_with('▸') && !l.starts_with('┗'))
        .collect()
}

/// The selected row's cells said in full under the table, the wrapped
/// lines joined again.
fn said_in_full(t: &str) -> String {
    let inside: Vec<&str> = t
        .lines()
        .map(|l| l.trim_start_matches('┃').trim_end().trim_end_matches('┃'))
        .collect();
    let Some(first) = inside.iter().position(|l| l.starts_with("▸ ")) else {
        return String::new();
    };
    let mut out = vec![inside[first].trim_start_matches("▸ ").trim_end()];
    out.extend(
        inside[first + 1..]
            .iter()
            .take_while(|l| l.starts_with("  ") && !l.trim().is_empty())
            .map(|l| l.trim()),
    );
    out.join(" ")
}

/// A word without the separators a cut drops before `…`.
fn bare(word: &str) -> &str {
    word.trim_end_matches([':', ';', ',', '·', '—', '(', '：', '；', '，', '、', '（'])
}

/// The words of `narrow` that are cut dishonestly, against the words of the
/// same table drawn wide enough that nothing is cut: a word that is not
/// whole must end with `…`, and what stands before the `…` must be whole
/// words, or end in a Chinese character (Chinese is cut between any two).
fn dishonest_cuts(narrow: &[String], wide: &[String]) -> Vec<String> {
    let whole: BTreeSet<&str> = wide.iter().flat_map(|l| l.split_whitespace()).collect();
    let bare_whole: BTreeSet<&str> = whole.iter().map(|w| bare(w)).collect();
    let mut bad = Vec::new();
    for line in narrow {
        for word in line.split_whitespace() {
            match word.strip_suffix('…') {
                None if !whole.contains(word) => {
                    bad.push(format!("{word:?} is cut with no '…': {line:?}"))
                }
                Some(body)
                    if !(body.is_empty()
                        || bare_whole.contains(bare(body))
                        || body.chars().next_back().is_some_and(|c| {
                            unicode_width::UnicodeWidthChar::width(c) == Some(2)
                        })) =>
                {
                    bad.push(format!("{word:?} is cut mid-word: {line:?}"))
                }
                _ => {}
            }
        }
    }
    bad
}

/// At 80×24 a table's cells that do not fit their columns are cut between
/// words with `…` (Chinese between characters), never mid-word with no
/// sign, on the clocks board, the isolation board and the event log, in
/// both languages; the selected row's cut cells are said in full under the
/// table. At 160×45 nothing is cut.
#[test]
fn boards_at_80x24_cut_cells_between_words_with_an_ellipsis() {
    let mut bad = Vec::new();
    for lang in [Lang::En, Lang::Zh] {
        let mut r = Rig::busy(lang, false, true);
        for (board, key, skip) in [("clocks", 'c', 0), ("isolation", 'i', 0), ("log", 'L', 3)] {
            r.key(KeyCode::Char(key));
            let small = r.text(80, 24);
            let narrow = table_lines(&small, skip);
            let wide = table_lines(&r.text(400, 60), skip);
            assert!(narrow.len() >= 2 && narrow.len() <= wide.len(), "{small}");
            for why in dishonest_cuts(&narrow, &wide) {
                bad.push(format!("{board} in {lang} at 80x24: {why}\n{small}"));
            }
            // Where the busy lot's texts are longer than their columns, the
            // cut is marked.
            let must_cut = board != "clocks" || lang == Lang::En;
            if narrow.iter().any(|l| l.contains('…')) != must_cut {
                bad.push(format!(
                    "{board} in {lang} at 80x24: '…' expected: {must_cut}\n{small}"
                ));
            }
            // Nothing is cut at 160×45, and nothing is said twice.
            let t = r.text(160, 45);
            let lines = table_lines(&t, skip);
            for why in dishonest_cuts(&lines, &wide) {
                bad.push(format!("{board} in {lang} at 160x45: {why}\n{t}"));
            }
            if lines.iter().any(|l| l.contains('…')) || !said_in_full(&t).is_empty() {
                bad.push(format!("{board} in {lang} at 160x45: cut\n{t}"));
            }
            r.esc_all();
        }
    }
    // With --ascii the cut is marked `...` (`…` may be drawn two cells wide).
    let mut r = Rig::busy(Lang::En, true, true);
    r.key(KeyCode::Char('i'));
    let t = r.text(80, 24);
    assert!(
        t.contains(" F fever: driver... ") && t.contains(" -- await...|"),
        "{t}"
    );
    assert!(t.contains("|> reason: F fever: driver 张三;"), "{t}");
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn the_selected_rows_cut_cells_are_said_in_full_under_the_table() {
    for (lang, reason, next, details) in [
        (
            Lang::En,
            "reason: ⚑ fever: driver 张三; yellow code: passenger 1 李四",
            "next action: escalated 03:00 — await decision (已报区疾控)",
            "details: production · 36.4 °C · yellow · flagged: yellow code: driver · override: 隔离区消毒中",
        ),
        (
            Lang::Zh,
            "原因: ⚑ 发热: 司机 张三; 黄码: 乘客 1 李四",
            "下一步: 已于03:00上报——等待决定 (已报区疾控)",
            "摘要: 重点生产物资 · 36.4 °C · 黄码 · 异常: 黄码: 司机 · 变更原因：隔离区消毒中",
        ),
    ] {
        let mut r = Rig::busy(lang, false, true);
        r.key(KeyCode::Char('i'));
        let t = r.text(80, 24);
        let full = said_in_full(&t);
        assert!(
            full.contains(reason) && full.contains(next),
            "{full:?}\n{t}"
        );
        r.esc_all();
        // The log: the first row is whole, so nothing is said under it; on
        // an arrival whose details are cut, they are.
        r.key(KeyCode::Char('L'));
        assert_eq!(said_in_full(&r.text(80, 24)), "");
        let Some(Screen::Log(log)) = r.app.screens.last() else {
            panic!("the log");
        };
        let row = log
            .rows
            .iter()
            .position(|e| e.plate.as_ref() == Some(&plate("晋E54321")))
            .unwrap();
        for _ in 0..row {
            r.key(KeyCode::Down);
        }
        let t = r.text(80, 24);
        assert!(
            t.lines().any(|l| l.contains("晋E54321") && l.contains('…')),
            "{t}"
        );
        assert_eq!(said_in_full(&t), details, "{t}");
        // The selected row stays in view above what is said.
        let selected = t.lines().position(|l| l.contains("晋E54321")).unwrap();
        let said = t.lines().position(|l| l.contains("▸ ")).unwrap();
        assert!(selected < said, "{t}");
        r.esc_all();
    }
}

/// The search popup's driver names are cut to the popup with `…`.
#[test]
fn a_long_driver_name_in_search_is_cut_with_an_ellipsis() {
    let mut r = Rig::busy(Lang::En, false, true);
    let mut a = arrival("晋D99887", Cargo::Other, 36.5, HealthCode::Green);
    a.driver = Some("Zhang Weiguo and his brother-in-law Li Jianjun".into());
    r.arrive(a, None, None);
    r.key(KeyCode::Char('/'));
    r.typed("D99887");
    let t = r.text(80, 24);
    let line = t.lines().find(|l| l.contains("晋D99887")).expect("a hit");
    assert!(line.contains("Zhang Weiguo and his…"), "{t}");
}
