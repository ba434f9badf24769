//! The map as the operator sees it, in process: a full frame at 160×45 and
//! 240×70 against a plain `Paragraph` filling the same area, and the bytes
//! one cursor move sends to a real terminal (crossterm's backend writing
//! into a buffer) against the cells that changed.

use std::cell::RefCell;
use std::hint::black_box;
use std::io::Write;
use std::rc::Rc;

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::{Terminal, TerminalOptions, Viewport};
use trucklot::domain::clock::FixedClock;
use trucklot::domain::policy::Policy;
use trucklot::i18n::Lang;
use trucklot::ops::Ctx;
use trucklot::store::Store;
use trucklot::tui::app::App;
use trucklot::tui::backend::FrameBackend;
use trucklot::tui::{Session, run_effects, snapshot};

use super::stats::{self, Paired};

pub fn session() -> Session {
    Session {
        operator: "bench".into(),
        terminal: "gate-1".into(),
        policy: Policy::default(),
        lang: Lang::En,
        ascii: false,
        color: true,
        tz: trucklot::tz::Tz::shanghai(),
        gates: vec!["east".into(), "west".into()],
        gate: "east".into(),
        province: '晋',
        sign_in: None,
        shifts: [8, 20]
            .into_iter()
            .filter_map(|h| chrono::NaiveTime::from_hms_opt(h, 0, 0))
            .collect(),
    }
}

/// The interface on `store` as it starts: the lot read, the detail of the
/// bay under the cursor loaded.
pub fn app(store: &mut Store, now: DateTime<Utc>) -> App {
    let mut app = App::new(
        session(),
        store.layout().clone(),
        snapshot(store).expect("read the lot"),
        now,
    );
    settle(&mut app, store, now);
    app
}

/// Runs what the app asked for (the panel's detail), as the loop does.
fn settle(app: &mut App, store: &mut Store, now: DateTime<Utc>) {
    let clock = FixedClock::new(now);
    let policy = Policy::default();
    let ctx = Ctx {
        operator: "bench",
        terminal: "gate-1",
        clock: &clock,
        policy: &policy,
        action: None,
    };
    run_effects(app, store, &ctx);
}

/// The map drawn into a `TestBackend` frame of `w`×`h` against a plain
/// paragraph of the same size, alternating.
pub fn frame(app: &mut App, w: u16, h: u16, runs: usize) -> Paired {
    app.resize(w, h);
    let mut map = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    let mut plain = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    // Text of the map's kind (a glyph and a space), every cell filled.
    let rows: Vec<String> = (0..h)
        .map(|r| {
            (0..w)
                .map(|c| if (r + c) % 2 == 0 { '▪' } else { ' ' })
                .collect()
        })
        .collect();
    stats::paired(
        runs,
        || {
            stats::time(|| {
                plain
                    .draw(|f| {
                        let lines: Vec<Line> = rows.iter().map(|r| Line::raw(r.as_str())).collect();
                        f.render_widget(Paragraph::new(lines), f.area());
                    })
                    .expect("draw");
            })
        },
        || {
            stats::time(|| {
                map.draw(|f| black_box(&*app).render(f)).expect("draw");
            })
        },
    )
}

/// The terminal's side of the wire: what crossterm wrote, kept to be counted.
#[derive(Debug, Clone, Default)]
struct Tap(Rc<RefCell<Vec<u8>>>);

impl Write for Tap {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What one cursor move costs on the wire.
#[derive(Debug, Clone, Copy)]
pub struct Wire {
    /// Median over the moves.
    pub bytes: usize,
    pub changed_cells: usize,
    pub bytes_per_cell: f64,
    pub moves: usize,
}

/// Moves the cursor around the map (right, down, left, up, …) at 160×45
/// and counts, for each move, the bytes the interface writes (its
/// backend, byte for byte crossterm's) and the cells
/// that differ between the two frames. The detail of the new bay is loaded
/// between the key and the frame, as the loop does.
pub fn cursor_bytes(app: &mut App, store: &mut Store, now: DateTime<Utc>, moves: usize) -> Wire {
    let (w, h) = (160u16, 45u16);
    app.resize(w, h);
    let area = Rect::new(0, 0, w, h);
    let tap = Tap::default();
    let mut wire = Terminal::with_options(
        FrameBackend::new(tap.clone()),
        TerminalOptions {
            viewport: Viewport::Fixed(area),
        },
    )
    .expect("terminal");
    let mut test = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    wire.draw(|f| app.render(f)).expect("draw");
    test.draw(|f| app.render(f)).expect("draw");
    let keys = ['l', 'j', 'h', 'k', 'l', 'l', 'j'];
    let mut samples: Vec<(usize, usize)> = Vec::new();
    for i in 0..moves {
        let before: Buffer = test.backend().buffer().clone();
        let key = KeyEvent::new(KeyCode::Char(keys[i % keys.len()]), KeyModifiers::NONE);
        app.key(&key);
        settle(app, store, now);
        tap.0.borrow_mut().clear();
        wire.draw(|f| app.render(f)).expect("draw");
        test.draw(|f| app.render(f)).expect("draw");
        let after = test.backend().buffer();
        let changed = before
            .content
            .iter()
            .zip(after.content.iter())
            .filter(|(a, b)| a != b)
            .count();
        samples.push((tap.0.borrow().len(), changed));
    }
    let mut per_cell: Vec<f64> = samples
        .iter()
        .map(|&(b, c)| b as f64 / c.max(1) as f64)
        .collect();
    per_cell.sort_by(f64::total_cmp);
    let mut bytes: Vec<usize> = samples.iter().map(|s| s.0).collect();
    bytes.sort();
    let mut cells: Vec<usize> = samples.iter().map(|s| s.1).collect();
    cells.sort();
    Wire {
        bytes: bytes[bytes.len() / 2],
        changed_cells: cells[cells.len() / 2],
        bytes_per_cell: per_cell[per_cell.len() / 2],
        moves,
    }
}
