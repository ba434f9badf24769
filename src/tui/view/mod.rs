//! What every screen draws with: the status line, footer and toast
//! (`bars`), the boards' tables (`table`), popup frames and styles, time
//! and duration texts. Views take the shared data (`&Shared`) and their
//! screen's own state; they never change either, and know nothing of the
//! sh.

pub mod bars;
pub mod table;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use ratatui::style::Color;
use ratatui::text::Span;
use ratatui::widgets::{Block, BorderType, Borders, Clear};
use unicode_width::UnicodeWidthStr;

use super::shared::Shared;
use crate::domain::policy::Finding;
use crate::i18n::Msg;

pub use super::{MIN_HEIGHT, MIN_WIDTH};

/// With `--ascii`, whatever symbol is left (a box-drawing line, an arrow
/// in a key label, a mark in data-made text) becomes its ASCII form, one
/// cell for one cell. Chinese characters stay: they are wide, never
/// ambiguous. Texts from the catalogue are made ASCII before they are laid
/// out (`Shared::t`); this is the net under everything else.
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

pub fn too_small(sh: &Shared, f: &mut Frame, area: Rect) {
    let text = sh
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

/// Where text wrapped at words may go in `area` (a frame's inside): all
/// but its last column. ratatui 0.30's word wrapper can start a
/// double-width glyph (Chinese) in a line's last column, and its second
/// half then lands on the cell beyond, the frame (ratatui#2679); the spare
/// column takes it instead.
pub fn wrap_inside(area: Rect) -> Rect {
    Rect {
        width: area.width.saturating_sub(1).max(1),
        ..area
    }
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
pub fn hhmm(sh: &Shared, t: chrono::DateTime<chrono::Utc>) -> String {
    let local = t.with_timezone(&sh.session.tz);
    if local.date_naive() == sh.now.with_timezone(&sh.session.tz).date_naive() {
        local.format("%H:%M").to_string()
    } else {
        local.format("%m-%d %H:%M").to_string()
    }
}

/// A duration as people read it in the interface language (`2h 05m`,
/// `2小时05分`); see `humanize`.
pub fn span(sh: &Shared, d: chrono::Duration) -> String {
    crate::humanize::duration_in(sh.session.lang, d)
}

/// Whether to use colour: not when NO_COLOR is set (https://no-color.org).
pub fn color(sh: &Shared) -> bool {
    sh.session.color
}

pub fn bold() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

pub fn ok_style(sh: &Shared) -> Style {
    if color(sh) {
        Style::new().fg(Color::Green)
    } else {
        Style::new()
    }
}

pub fn bad_style(sh: &Shared) -> Style {
    if color(sh) {
        Style::new()
            .fg(Color::LightRed)
            .add_modifier(Modifier::BOLD)
    } else {
        bold()
    }
}

pub fn block<'a>(sh: &Shared, title: Line<'a>, focused: bool) -> Block<'a> {
    let mut b = Block::default().borders(Borders::ALL).title(title);
    b = if sh.session.ascii {
        b.border_set(ASCII_BORDER)
    } else if focused {
        b.border_type(BorderType::Thick)
    } else {
        b.border_type(BorderType::Plain)
    };
    if focused && color(sh) {
        b = b.border_style(Style::new().fg(Color::Cyan));
    }
    b
}

/// Plain ASCII borders for terminals that draw box-drawing characters wide.
pub const ASCII_BORDER: ratatui::symbols::border::Set = ratatui::symbols::border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

/// A popup's frame with its title, cleared underneath; returns the inside.
pub fn frame_popup(sh: &Shared, f: &mut Frame, area: Rect, title: &str) -> Rect {
    f.render_widget(Clear, area);
    free_left_edge(f.buffer_mut(), area);
    let b = block(
        sh,
        Line::from(Span::styled(format!(" {title} "), bold())),
        true,
    );
    let inner = b.inner(area);
    f.render_widget(b, area);
    inner
}

/// Blanks a wide character (Chinese) of the screen under `area` that
/// stands just left of it: its second half would cover `area`'s first
/// column, the popup's border, and the terminal diff skips a cell so
/// covered, so the border would never be drawn.
fn free_left_edge(buf: &mut ratatui::buffer::Buffer, area: Rect) {
    let Some(x) = area.x.checked_sub(1) else {
        return;
    };
    for y in area.top()..area.bottom() {
        if let Some(cell) = buf.cell_mut((x, y))
            && unicode_width::UnicodeWidthStr::width(cell.symbol()) > 1
        {
            cell.set_symbol(" ");
        }
    }
}

/// Who person `n` in the cab is, in the interface language.
pub fn person_text(sh: &Shared, n: u8, name: Option<&str>) -> String {
    crate::i18n::words::person_in(sh.session.lang, n, name)
}

/// The checks' findings naming who was flagged, in the interface language.
pub fn findings_text(
    sh: &Shared,
    findings: &[Finding],
    name: impl Fn(u8) -> Option<String>,
) -> String {
    crate::i18n::words::findings_in(sh.session.lang, findings, name)
}

/// A bay for a confirmation line, or a dash when none is free.
pub fn bay_text(bay: Option<&crate::domain::bay::BayId>) -> String {
    bay.map_or_else(|| "—".to_string(), |b| b.to_string())
}

/// Text broken into lines of at most `width` cells, between words where
/// there are spaces and between characters in a run of Chinese (which has
/// none); never inside a word that fits on a line of its own.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = vec![String::new()];
    for word in text.split(' ') {
        let line = lines.last_mut().expect("one line at least");
        let used = line.width();
        let w = word.width();
        if used > 0 && used + 1 + w <= width {
            line.push(' ');
            line.push_str(word);
            continue;
        }
        if used == 0 && w <= width {
            line.push_str(word);
            continue;
        }
        if w <= width {
            lines.push(word.to_string());
            continue;
        }
        // A word longer than a line (a run of Chinese): by characters.
        if used > 0 {
            lines.push(String::new());
        }
        for c in word.chars() {
            let line = lines.last_mut().expect("one line at least");
            let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if line.width() + cw > width {
                lines.push(String::new());
            }
            lines.last_mut().expect("one line at least").push(c);
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

    /// The frame's right side, row by row, after a Chinese line wrapped at
    /// words inside it, at every width from 20 to 60: whole only when the
    /// text keeps to `wrap_inside`. (The first half documents ratatui's
    /// own wrapper: when it stops spilling, `wrap_inside` may go.)
    #[test]
    fn wrapped_chinese_never_overwrites_the_frame() {
        let text = "晋G88888 抗原 15:44 · 晋H99999 送餐 15:44 · 晋H99999 医疗 15:44 · 晋H99991 送水 15:44 · 隔离 24 小时复核";
        let frame_intact = |narrowed: bool, w: u16| {
            let mut t = Terminal::new(TestBackend::new(w, 10)).unwrap();
            t.draw(|f| {
                let b = Block::default().borders(Borders::ALL);
                let inner = b.inner(f.area());
                f.render_widget(b, f.area());
                let area = if narrowed {
                    super::wrap_inside(inner)
                } else {
                    inner
                };
                f.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), area);
            })
            .unwrap();
            let buf = t.backend().buffer();
            (1..9).all(|y| buf[(w - 1, y)].symbol() == "│")
        };
        assert!(
            (20..60).any(|w| !frame_intact(false, w)),
            "ratatui wraps wide glyphs within bounds now"
        );
        assert!((20..60).all(|w| frame_intact(true, w)));
    }
}
