//! Views: `render(&App, &mut Frame)` draws the whole screen from the app's
//! state. Views read and draw; they never change the app.

pub mod bars;
pub mod boards;
pub mod map;
pub mod panel;
pub mod popups;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::app::App;
use super::screens::Screen;
use crate::i18n::Msg;

pub use super::{MIN_HEIGHT, MIN_WIDTH};

pub fn render(app: &App, f: &mut Frame) {
    let area = f.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(app, f, area);
        return;
    }
    let [top, body, foot] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(area);
    bars::status_line(app, f, top);
    bars::footer(app, f, foot);

    // A board replaces the map; everything else draws over it.
    let board = app.screens.iter().rev().find_map(|s| match s {
        Screen::Clocks(b) => Some((true, b)),
        Screen::Isolation(b) => Some((false, b)),
        _ => None,
    });
    match board {
        Some((true, b)) => boards::clocks(app, b, f, body),
        Some((false, b)) => boards::isolation(app, b, f, body),
        None => map::render(app, f, body),
    }
    for screen in &app.screens {
        match screen {
            Screen::Form(form) => popups::form(app, form, f, body),
            Screen::Search(s) => popups::search(app, s, f, body),
            Screen::Confirm(c) => popups::confirm(app, c, f, body),
            Screen::Prompt(p) => popups::prompt(app, p, f, body),
            Screen::Menu(m) => popups::menu(app, m, f, body),
            Screen::Help => popups::help(app, f, body),
            Screen::PickBay(_) | Screen::Clocks(_) | Screen::Isolation(_) => {}
        }
    }
    bars::toast(app, f, body);
    if app.session.ascii {
        asciify(f.buffer_mut(), area);
    }
}

/// With `--ascii`, whatever symbol is left (a box-drawing line, an arrow
/// in a key label, a mark in data-made text) becomes its ASCII form, one
/// cell for one cell. Chinese characters stay: they are wide, never
/// ambiguous. Texts from the catalogue are made ASCII before they are laid
/// out (`App::t`); this is the net under everything else.
pub fn asciify(buf: &mut ratatui::buffer::Buffer, area: Rect) {
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            let Some(cell) = buf.cell_mut((x, y)) else {
                continue;
            };
            let sym = cell.symbol();
            if sym.is_ascii() || unicode_width::UnicodeWidthStr::width(sym) != 1 {
                continue;
            }
            let mut chars = sym.chars();
            let c = chars.next().unwrap_or(' ');
            let plain = ascii_cell(c);
            cell.set_symbol(plain);
        }
    }
}

/// One cell's ASCII form.
fn ascii_cell(c: char) -> &'static str {
    match c {
        '─' | '━' | '═' | '╌' | '┄' => "-",
        '│' | '┃' | '║' | '╎' | '┆' => "|",
        '┌' | '┐' | '└' | '┘' | '┏' | '┓' | '┗' | '┛' | '├' | '┤' | '┬' | '┴' | '┼' | '╭' | '╮'
        | '╯' | '╰' => "+",
        '✓' => "+",
        '✗' => "x",
        '°' => "o",
        '≥' => ">",
        '≤' => "<",
        _ => match crate::i18n::ascii_symbol(c) {
            Some(a) => &a[..1],
            None => "?",
        },
    }
}

fn too_small(app: &App, f: &mut Frame, area: Rect) {
    let text = app
        .t(Msg::TooSmall)
        .replace("{w}", &MIN_WIDTH.to_string())
        .replace("{h}", &MIN_HEIGHT.to_string())
        .replace("{cw}", &area.width.to_string())
        .replace("{ch}", &area.height.to_string());
    f.render_widget(
        Paragraph::new(vec![Line::styled(
            text,
            Style::new().add_modifier(Modifier::BOLD),
        )])
        .wrap(ratatui::widgets::Wrap { trim: true }),
        area,
    );
}

/// A rectangle of `w`×`h` centred in `area`, clipped to it.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// Local time in the site's zone, as `HH:MM`, with the date (`11-26 07:47`)
/// when it is not today.
pub fn hhmm(app: &App, t: chrono::DateTime<chrono::Utc>) -> String {
    let local = t.with_timezone(&app.session.tz);
    if local.date_naive() == app.now.with_timezone(&app.session.tz).date_naive() {
        local.format("%H:%M").to_string()
    } else {
        local.format("%m-%d %H:%M").to_string()
    }
}

/// A duration as people read it in the interface language (`2h 05m`,
/// `2小时05分`); see `humanize`.
pub fn span(app: &App, d: chrono::Duration) -> String {
    crate::humanize::duration_in(app.session.lang, d)
}

/// Whether to use colour: not when NO_COLOR is set (https://no-color.org).
pub fn color(app: &App) -> bool {
    app.session.color
}
