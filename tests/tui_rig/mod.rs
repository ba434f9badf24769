//! What the interface's test files share: a session, a lot on a real file
//! with the app over it, operations and effects run the way the event loop
//! runs them, and the screen drawn into a buffer or read back as text.

// Each test crate uses a different subset of these helpers.
#![allow(dead_code)]

use chrono::{DateTime, NaiveTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use tempfile::TempDir;
use trucklot::domain::clock::FixedClock;
use trucklot::domain::policy::Policy;
use trucklot::i18n::Lang;
use trucklot::ops::{self, Ctx, Op};
use trucklot::store::Store;
use trucklot::tui::app::App;
use trucklot::tui::{Session, run_effects, snapshot};

/// A session at gate `gates[0]` of a two-gate site, shifts at 08:00 and 20:00.
pub fn session(
    operator: &str,
    terminal: &str,
    gates: [&str; 2],
    lang: Lang,
    ascii: bool,
    color: bool,
) -> Session {
    Session {
        operator: operator.into(),
        terminal: terminal.into(),
        policy: Policy::default(),
        lang,
        ascii,
        color,
        tz: trucklot::tz::Tz::shanghai(),
        gates: gates.iter().map(|g| g.to_string()).collect(),
        gate: gates[0].into(),
        province: '晋',
        sign_in: None,
        shifts: [8, 20]
            .into_iter()
            .filter_map(|h| NaiveTime::from_hms_opt(h, 0, 0))
            .collect(),
    }
}

/// A new lot (the default layout) in a temporary directory and the app
/// over it at `start`.
pub fn lot(session: Session, start: DateTime<Utc>) -> (TempDir, Store, App) {
    let dir = TempDir::new().unwrap();
    let store = Store::create(
        &dir.path().join("lot.db"),
        trucklot::domain::layout::DEFAULT_LAYOUT,
    )
    .unwrap();
    let app = App::new(
        session,
        store.layout().clone(),
        snapshot(&store).unwrap(),
        start,
    );
    (dir, store, app)
}

/// Runs `op` (if any) as the session's operator, refreshes the app's lot,
/// then the app's effects the way the event loop does, until none are left.
pub fn run(app: &mut App, store: &mut Store, clock: &FixedClock, policy: &Policy, op: Option<&Op>) {
    let (operator, terminal) = (
        app.shared.session.operator.clone(),
        app.shared.session.terminal.clone(),
    );
    let ctx = Ctx {
        action: None,
        operator: &operator,
        terminal: &terminal,
        clock,
        policy,
    };
    if let Some(op) = op {
        ops::execute(store, &ctx, op).unwrap();
        app.set_snapshot(snapshot(store).unwrap());
    }
    while run_effects(app, store, &ctx) {}
}

/// One key, with Ctrl when asked.
pub fn key(app: &mut App, code: KeyCode, ctrl: bool) {
    let mods = if ctrl {
        KeyModifiers::CONTROL
    } else {
        KeyModifiers::NONE
    };
    app.key(&KeyEvent::new(code, mods));
}

/// The status line's message, if one stands ("" if none).
pub fn toast(app: &App) -> String {
    app.shared
        .toast
        .as_ref()
        .map(|t| t.text.clone())
        .unwrap_or_default()
}

/// The app drawn at `w`×`h`.
pub fn buffer(app: &App, w: u16, h: u16) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| app.render(f)).unwrap();
    t.backend().buffer().clone()
}

/// The buffer as text, a wide character printed once; `trim` drops the
/// spaces at the ends of lines.
pub fn text(buf: &Buffer, trim: bool) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..buf.area.width {
            // A wide character covers the next cell too: print it once.
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
            line.push_str(sym);
        }
        out.push_str(if trim { line.trim_end() } else { &line });
        out.push('\n');
    }
    out
}
