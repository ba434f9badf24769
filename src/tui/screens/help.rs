//! `?` / F1: every key of the screen under it, from the keymap, and the
//! policy's numbers.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::{Cmd, Layer};
use crate::domain::text::fit;
use crate::i18n::Msg;
use crate::tui::keymap::{self, Action, Key, Mode};
use crate::tui::shared::Shared;
use crate::tui::view::{bold, centered, frame_popup};

/// The help over a screen.
#[derive(Debug, Clone, PartialEq)]
pub struct Help {
    /// The mode of the screen under it, whose keys it lists.
    pub about: Mode,
}

impl Layer for Help {
    fn mode(&self) -> Mode {
        Mode::Help
    }

    fn handle(&mut self, action: Action, _key: Key, _sh: &Shared) -> Vec<Cmd> {
        match action {
            Action::Help | Action::Back => vec![Cmd::Pop],
            _ => Vec::new(),
        }
    }

    fn render(&self, sh: &Shared, f: &mut Frame, body: Rect, _top: bool) {
        let mode = self.about;
        let area = centered(body, body.width.saturating_sub(4).min(120), body.height);
        let title = format!("{} — {}", sh.t(Msg::HelpTitle), sh.t(mode.title()));
        let inner = frame_popup(sh, f, area, &title);
        let entries: Vec<(String, &str)> = keymap::bindings(mode)
            .map(|b| {
                let keys = b
                    .keys
                    .iter()
                    .map(|k| k.label_in(sh.session.lang))
                    .collect::<Vec<_>>()
                    .join(" ");
                (keys, sh.t(b.help))
            })
            .collect();
        let p = &sh.session.policy;
        let policy = sh
            .t(Msg::HelpPolicy)
            .replace("{fever}", &format!("{:.1}", p.fever_c))
            .replace("{antigen}", &p.antigen_due_min.to_string())
            .replace("{pcr}", &format!("{:.1}", p.pcr_due_min as f64 / 60.0))
            .replace("{review}", &p.isolation_review_h.to_string())
            .replace("{disinfect}", &p.disinfection_every_h.to_string());
        let reserved = 3u16;
        let rows_avail = inner.height.saturating_sub(reserved).max(1) as usize;
        let cols = entries.len().div_ceil(rows_avail).max(1);
        let col_w = (inner.width as usize / cols).max(12);
        let per_col = entries.len().div_ceil(cols);
        let key_w = entries
            .iter()
            .map(|(k, _)| k.width())
            .max()
            .unwrap_or(4)
            .min(13);
        let mut lines: Vec<Line> = Vec::new();
        for r in 0..per_col {
            let mut spans = Vec::new();
            for c in 0..cols {
                if let Some((k, d)) = entries.get(c * per_col + r) {
                    let key = fit(k, key_w);
                    let text = fit(d, col_w.saturating_sub(key_w + 3));
                    let lead = key_w.saturating_sub(key.width());
                    let trail = col_w.saturating_sub(key_w + 2 + text.width());
                    spans.push(Span::styled(format!("{}{key}", " ".repeat(lead)), bold()));
                    spans.push(Span::raw(format!("  {text}{}", " ".repeat(trail))));
                }
            }
            lines.push(Line::from(spans));
        }
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            policy,
            Style::new().add_modifier(Modifier::DIM),
        ));
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    }
}
