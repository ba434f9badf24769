//! The status line on top (a demo's badge, lot, time, per-zone counts, the
//! overdue alarm), the footer of main keys, and the toast line for the last
//! action's result.

use crate::i18n::words::word;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::color;
use crate::domain::bay::Zone;
use crate::i18n::{Lang, Msg};
use crate::tui::keymap;
use crate::tui::shared::Shared;

pub fn status_line(sh: &Shared, f: &mut Frame, area: Rect) {
    let c = color(sh);
    let now = sh
        .now
        .with_timezone(&sh.session.tz)
        .format("%Y-%m-%d %H:%M")
        .to_string();
    let overdue = sh.overdue();
    let alarm = if overdue > 0 {
        let s = format!(" ! {overdue} {} ", sh.t(Msg::Overdue));
        Span::styled(s, marked(sh, Color::White, Color::Red))
    } else {
        Span::styled(format!(" {} ", sh.t(Msg::NoneOverdue)), Style::new())
    };
    // The holding list is an alarm too: flagged trucks without a bay.
    let waiting = sh.waiting_for_isolation();
    let alarm = if waiting > 0 {
        let style = if c {
            Style::new()
                .fg(Color::Black)
                .bg(Color::LightMagenta)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED)
        };
        let text = sh
            .t(Msg::WaitingForIsolationN)
            .replace("{n}", &waiting.to_string());
        Line::from(vec![
            Span::styled(format!(" {text} "), style),
            Span::raw(" "),
            alarm,
        ])
    } else {
        Line::from(alarm)
    };
    let lot = match (sh.session.lang, &sh.layout.name_zh) {
        (Lang::Zh, Some(zh)) => zh.clone(),
        _ => sh.layout.name.clone(),
    };
    // Per-zone counts, long form first, short if the line is too narrow.
    // The lot now, as the clock beside it: a past moment is the map's.
    let counts = |short: bool| -> String {
        sh.live()
            .status
            .iter()
            .map(|z| {
                let name = if short {
                    match sh.session.lang {
                        // The zone word's first character: 工 生 停 隔 点.
                        Lang::Zh => sh.t(word(z.zone)).chars().take(1).collect(),
                        Lang::En => z.zone.prefix().to_string(),
                    }
                } else {
                    sh.t(word(z.zone)).to_string()
                };
                format!("{name} {}/{}", z.occupied, z.capacity)
            })
            .collect::<Vec<_>>()
            .join("  ")
    };
    // Never dropped for room: simulated trucks must not pass for real ones.
    let badge = sh.demo.map(|speed| {
        let text = sh.t(Msg::DemoBadge).replace("{n}", &speed.to_string());
        Span::styled(format!(" {text} "), marked(sh, Color::Black, Color::Yellow))
    });
    let badge_w = badge.as_ref().map_or(0, |b| b.width() + 1);
    let avail = (area.width as usize).saturating_sub(badge_w);
    let alarm_w = alarm.width();
    // Who is at the keyboard, and where: every event is recorded in their name.
    let who = format!("{}@{}", sh.session.operator, sh.session.terminal);
    let mut parts = vec![format!("trucklot · {lot}"), now.clone(), who, counts(false)];
    let fits = |p: &[String]| p.iter().map(|s| s.width() + 3).sum::<usize>() + alarm_w <= avail;
    if !fits(&parts) {
        parts[3] = counts(true);
    }
    if !fits(&parts) {
        parts.remove(0);
    }
    if !fits(&parts) {
        // The operator goes before the clock does.
        parts.remove(1);
    }
    if !fits(&parts) {
        parts[0] = now[11..].to_string();
    }
    let left = parts.join("   ");
    let pad = avail.saturating_sub(left.width() + alarm_w);
    let mut spans = Vec::new();
    if let Some(b) = badge {
        spans.extend([b, Span::raw(" ")]);
    }
    spans.extend([
        Span::styled(left, Style::new().add_modifier(Modifier::BOLD)),
        Span::raw(" ".repeat(pad)),
    ]);
    spans.extend(alarm.spans);
    let line = Line::from(spans);
    let bg = if c {
        Style::new().bg(Color::Indexed(236))
    } else {
        Style::new()
    };
    f.render_widget(Paragraph::new(line).style(bg), area);
}

/// The footer: this screen's main keys, from the keymap.
/// `hint`: a line before the keys (what a bay is picked for);
/// `key_help`: the top screen's own word for a key, where it has one
/// (`Layer::key_help`), else the table's; `inert`: a key that can do
/// nothing there now (`Layer::inert`), left out.
pub fn footer(
    sh: &Shared,
    mode: keymap::Mode,
    hint: Option<String>,
    key_help: &dyn Fn(keymap::Action) -> Option<Msg>,
    inert: &dyn Fn(keymap::Action) -> bool,
    f: &mut Frame,
    area: Rect,
) {
    let help = |b: &keymap::Binding| sh.t(key_help(b.action).unwrap_or(b.help));
    let key_style = if color(sh) {
        Style::new()
            .fg(Color::Black)
            .bg(Color::Gray)
            .add_modifier(Modifier::BOLD)
    } else {
        Style::new().add_modifier(Modifier::REVERSED)
    };
    let mut spans = Vec::new();
    let mut used = 0;
    if let Some(h) = &hint {
        used += h.width() + 2;
        spans.push(Span::styled(
            format!("{h}  "),
            Style::new().add_modifier(Modifier::BOLD),
        ));
    }
    // Help and quit are always there; the rest as far as they fit.
    let always = |b: &keymap::Binding| {
        matches!(
            b.action,
            keymap::Action::Help | keymap::Action::Quit | keymap::Action::Back
        )
    };
    let entry_w =
        |b: &keymap::Binding| b.keys[0].label_in(sh.session.lang).width() + help(b).width() + 4;
    let footer: Vec<&keymap::Binding> = keymap::bindings(mode)
        .filter(|b| b.footer && !inert(b.action))
        .collect();
    let reserved: usize = footer
        .iter()
        .filter(|b| always(b))
        .map(|b| entry_w(b))
        .sum();
    let mut avail = (area.width as usize).saturating_sub(reserved);
    for b in footer {
        let w = entry_w(b);
        if !always(b) {
            if used + w > avail {
                continue;
            }
        } else {
            avail += w;
        }
        used += w;
        spans.push(Span::styled(
            format!(" {} ", b.keys[0].label_in(sh.session.lang)),
            key_style,
        ));
        spans.push(Span::raw(format!(" {} ", help(b))));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Bold `fg` on `bg`, or bold reversed without colour: what must be seen
/// (an alarm, the demo's badge).
fn marked(sh: &Shared, fg: Color, bg: Color) -> Style {
    if color(sh) {
        Style::new().fg(fg).bg(bg).add_modifier(Modifier::BOLD)
    } else {
        Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED)
    }
}

/// The banner while the lot's server cannot be reached (`n` seconds to
/// the next try): white on red, as an alarm.
pub fn unreachable(sh: &Shared, n: u64, f: &mut Frame, area: Rect) {
    let text = sh.t(Msg::ServerUnreachable).replace("{n}", &n.to_string());
    let style = marked(sh, Color::White, Color::Red);
    let text = crate::domain::text::fit(&text, area.width.saturating_sub(2) as usize);
    f.render_widget(Paragraph::new(format!(" {text}")).style(style), area);
}

/// The last action's result, over the bottom lines of the body.
pub fn toast(sh: &Shared, f: &mut Frame, body: Rect) {
    let Some(t) = &sh.toast else { return };
    if body.height == 0 {
        return;
    }
    let style = match (color(sh), t.error) {
        (true, true) => Style::new()
            .fg(Color::White)
            .bg(Color::Red)
            .add_modifier(Modifier::BOLD),
        (true, false) => Style::new().fg(Color::Black).bg(Color::Green),
        (false, _) => Style::new().add_modifier(Modifier::REVERSED),
    };
    // An error is marked as one in its words too (as a done message is
    // with ✓): without colour, or to a reader who does not see red, a
    // refusal must not read like news.
    let mark = if sh.session.ascii { "x" } else { "✗" };
    let text = match t.error && !t.text.starts_with(mark) {
        true => format!("{mark} {}", t.text),
        false => t.text.clone(),
    };
    // A long refusal takes more lines rather than lose its end, which is
    // often what to do next ("…; it leaves only under an authorised
    // escort"): up to three, over the bottom of the screen above it. A
    // done message keeps to one line: it stays while the next truck is
    // typed in, and must not cover the form's summary.
    let cut = if sh.session.ascii { "..." } else { "…" };
    let max = if t.error { TOAST_LINES } else { 1 };
    let lines = crate::domain::text::wrap(
        &text,
        body.width.saturating_sub(2) as usize,
        max.min(body.height as usize),
        cut,
    );
    let height = lines.len().max(1) as u16;
    let area = Rect {
        y: body.bottom() - height,
        height,
        ..body
    };
    let text: Vec<Line> = lines
        .into_iter()
        .map(|l| Line::from(format!(" {l}")))
        .collect();
    f.render_widget(Clear, area);
    f.render_widget(Paragraph::new(text).style(style), area);
}

/// The most lines a message on the status line takes.
const TOAST_LINES: usize = 3;

/// The zone name as the map titles it: "Parking 停车区" in English, so an
/// operator who reads either finds it; "停车区" in Chinese; "Parking" with
/// `--ascii`.
pub fn zone_title(sh: &Shared, zone: Zone) -> String {
    bilingual(sh, word(zone))
}

/// A label in English with its Chinese beside it, in Chinese alone, or in
/// English alone with `--ascii`.
pub fn bilingual(sh: &Shared, m: Msg) -> String {
    match (sh.session.lang, sh.session.ascii) {
        (Lang::En, false) => format!("{} {}", m.text(Lang::En), m.text(Lang::Zh)),
        _ => sh.t(m).to_string(),
    }
}
