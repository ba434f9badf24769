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
        let per_col = entries.len().div_ceil(cols).max(1);
        let columns: Vec<&[(String, &str)]> = entries.chunks(per_col).collect();
        let widths = column_widths(&columns, inner.width as usize);
        let mut lines: Vec<Line> = Vec::new();
        for r in 0..per_col {
            let mut spans = Vec::new();
            for (c, (column, &(key_w, text_w))) in columns.iter().zip(&widths).enumerate() {
                let Some((k, d)) = column.get(r) else {
                    continue;
                };
                let key = fit(k, key_w);
                let text = fit(d, text_w);
                let lead = key_w.saturating_sub(key.width());
                let gap = if c + 1 < columns.len() { GAP } else { 0 };
                let trail = text_w.saturating_sub(text.width()) + gap;
                spans.push(Span::styled(format!("{}{key}", " ".repeat(lead)), bold()));
                spans.push(Span::raw(format!("  {text}{}", " ".repeat(trail))));
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

/// Cells between two columns of the help.
const GAP: usize = 2;

/// Each column's key width and text width within `width` cells (a gap
/// between two columns, none after the last): the keys as
/// wide as the column's widest (at most 13), the room left for text shared
/// so that a column of short descriptions gives what it does not need to
/// the others, and only the longest descriptions are cut.
fn column_widths(columns: &[&[(String, &str)]], width: usize) -> Vec<(usize, usize)> {
    let keys: Vec<usize> = columns
        .iter()
        .map(|c| c.iter().map(|(k, _)| k.width()).max().unwrap_or(1).min(13))
        .collect();
    let needs: Vec<usize> = columns
        .iter()
        .map(|c| c.iter().map(|(_, d)| d.width()).max().unwrap_or(0))
        .collect();
    let fixed: usize =
        keys.iter().map(|k| k + 2).sum::<usize>() + GAP * columns.len().saturating_sub(1);
    let mut room = width.saturating_sub(fixed);
    let mut texts = vec![0; columns.len()];
    // The smallest needs first, each given what it needs or an equal share
    // of what is left, whichever is less.
    let mut order: Vec<usize> = (0..columns.len()).collect();
    order.sort_by_key(|&i| needs[i]);
    for (n, &i) in order.iter().enumerate() {
        let share = room / (columns.len() - n);
        texts[i] = needs[i].min(share);
        room -= texts[i];
    }
    keys.into_iter().zip(texts).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_columns_give_their_room_to_long_ones() {
        let a: Vec<(String, &str)> = vec![("a".into(), "arrive"), ("m".into(), "move")];
        let b: Vec<(String, &str)> = vec![
            ("Ctrl-c Ctrl-q".into(), "quit now"),
            ("D".into(), "disinfect a zone or the lot"),
        ];
        let widths = column_widths(&[&a, &b], 60);
        assert_eq!(widths[0], (1, 6), "as much as it needs");
        assert_eq!(widths[1], (13, 27), "the rest is there for the long one");
        let narrow = column_widths(&[&a, &b], 40);
        assert_eq!(narrow[0], (1, 6));
        assert_eq!(narrow[1].1, 40 - (1 + 2) - 6 - GAP - (13 + 2));
        assert!(narrow.iter().map(|(k, t)| k + 2 + t).sum::<usize>() + GAP <= 40);
    }
}
