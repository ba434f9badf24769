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
    /// That screen's own words for some of its keys (`Layer::key_help`:
    /// Enter closes a notice, goes on to the next question), as its footer
    /// says them, in place of the table's.
    pub words: Vec<(Action, Msg)>,
}

impl Help {
    /// The help over `screen` (`None`: the map), with the words it uses.
    pub fn over(about: Mode, screen: Option<&dyn Layer>) -> Help {
        let words = match screen {
            Some(s) => keymap::bindings(about)
                .filter_map(|b| s.key_help(b.action).map(|m| (b.action, m)))
                .collect(),
            None => Vec::new(),
        };
        Help { about, words }
    }
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
                let word = self
                    .words
                    .iter()
                    .find(|(a, _)| *a == b.action)
                    .map_or(b.help, |&(_, m)| m);
                (keys, sh.t(word))
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
        // Key lists wider than the widest key column are cut; descriptions
        // are not.
        let entries: Vec<(String, &str)> = entries
            .into_iter()
            .map(|(k, d)| (fit(&k, MAX_KEY_W), d))
            .collect();
        let columns: Vec<&[(String, &str)]> = entries.chunks(per_col).collect();
        let widths = column_widths(&columns, inner.width as usize);
        let drawn: Vec<Vec<(String, String)>> = columns
            .iter()
            .zip(&widths)
            .map(|(c, w)| column_lines(c, *w, rows_avail))
            .collect();
        let height = drawn.iter().map(Vec::len).max().unwrap_or(0);
        let mut lines: Vec<Line> = Vec::new();
        for r in 0..height {
            let mut spans = Vec::new();
            for (c, (column, &(key_w, text_w))) in drawn.iter().zip(&widths).enumerate() {
                let gap = if c + 1 < drawn.len() { GAP } else { 0 };
                let col_w = key_w + 2 + text_w;
                let (key, text) = column.get(r).cloned().unwrap_or_default();
                let trail = col_w.saturating_sub(key.width() + text.width()) + gap;
                spans.push(Span::styled(key, bold()));
                spans.push(Span::raw(format!("{text}{}", " ".repeat(trail))));
            }
            lines.push(Line::from(spans));
        }
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            policy,
            Style::new().add_modifier(Modifier::DIM),
        ));
        f.render_widget(
            Paragraph::new(lines).wrap(Wrap { trim: false }),
            crate::tui::view::wrap_inside(inner),
        );
    }
}

/// Cells between two columns of the help.
const GAP: usize = 2;
/// The widest a key column gets; longer key lists are cut.
const MAX_KEY_W: usize = 13;

/// A column's lines, each a key part (bold) and a text part: keys
/// right-aligned in the key column, a key wider than it (`Ctrl-c Ctrl-q`)
/// standing out into its own entry's text room. A description longer than
/// its room wraps between words onto the next lines, under the text, while
/// the column stays within `max_lines`; otherwise it is cut.
fn column_lines(
    entries: &[(String, &str)],
    (key_w, text_w): (usize, usize),
    max_lines: usize,
) -> Vec<(String, String)> {
    let col_w = key_w + 2 + text_w;
    let lay = |wrap_text: bool| -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (k, d) in entries {
            let (key, indent) = if k.width() <= key_w {
                (format!("{}{k}", " ".repeat(key_w - k.width())), key_w + 2)
            } else {
                (k.clone(), k.width() + 2)
            };
            let room = col_w.saturating_sub(indent);
            let texts = if wrap_text {
                crate::tui::view::wrap(d, room)
            } else {
                vec![fit(d, room)]
            };
            for (i, t) in texts.into_iter().enumerate() {
                if i == 0 {
                    out.push((key.clone(), format!("  {t}")));
                } else {
                    out.push((String::new(), format!("{}{t}", " ".repeat(indent))));
                }
            }
        }
        out
    };
    let wrapped = lay(true);
    if wrapped.len() <= max_lines.max(entries.len()) {
        wrapped
    } else {
        lay(false)
    }
}

/// The key column of a column of entries: as wide as its widest key, but
/// one key much wider than the others (`Ctrl-c Ctrl-q`) stands out into its
/// own entry's text room, when that whole entry is no wider than the
/// others need anyway, instead of pushing every description right.
fn key_width(column: &[(String, &str)]) -> usize {
    let Some(widest) = column
        .iter()
        .enumerate()
        .max_by_key(|(_, (k, _))| k.width())
        .map(|(i, _)| i)
    else {
        return 1;
    };
    let others = || {
        column
            .iter()
            .enumerate()
            .filter(move |(i, _)| *i != widest)
            .map(|(_, e)| e)
    };
    let rest = others().map(|(k, _)| k.width()).max();
    let (k, d) = &column[widest];
    match rest {
        Some(rest)
            if k.width() >= rest + STAND_OUT
                && k.width() + 2 + d.width()
                    <= others()
                        .map(|(_, d)| rest + 2 + d.width())
                        .max()
                        .unwrap_or(0) =>
        {
            rest.max(1)
        }
        _ => k.width().clamp(1, MAX_KEY_W),
    }
}

/// How much wider than the others a key must be to stand out: a key a
/// cell or two wider (`Home 0`) widens the column, so the texts align.
const STAND_OUT: usize = 4;

/// Each column's key width and text width within `width` cells (a gap
/// between two columns, none after the last): the keys as wide as the
/// column's keys need (`key_width`), the room left for text shared so that
/// a column of short descriptions gives what it does not need to the
/// others; only the longest descriptions wrap (or, without the lines for
/// it, are cut).
fn column_widths(columns: &[&[(String, &str)]], width: usize) -> Vec<(usize, usize)> {
    let keys: Vec<usize> = columns.iter().map(|c| key_width(c)).collect();
    // What each entry needs right of the key column (a key standing out
    // takes some of it).
    let needs: Vec<usize> = columns
        .iter()
        .zip(&keys)
        .map(|(c, &key_w)| {
            c.iter()
                .map(|(k, d)| (k.width().max(key_w) - key_w) + d.width())
                .max()
                .unwrap_or(0)
        })
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
        assert_eq!(widths[1], (1, 27), "the rest is there for the long one");
        let narrow = column_widths(&[&a, &b], 30);
        assert_eq!(narrow[0], (1, 6));
        assert_eq!(narrow[1].1, 30 - (1 + 2) - 6 - GAP - (1 + 2));
        assert!(narrow.iter().map(|(k, t)| k + 2 + t).sum::<usize>() + GAP <= 30);
    }

    #[test]
    fn one_wide_key_stands_out_instead_of_pushing_every_text_right() {
        let b: Vec<(String, &str)> = vec![
            ("D".into(), "disinfect a zone or the lot"),
            ("? F1".into(), "help"),
            ("Ctrl-c Ctrl-q".into(), "quit now"),
        ];
        assert_eq!(key_width(&b), 4);
        let lines = column_lines(&b, (4, 27), 10);
        assert_eq!(
            lines[0],
            ("   D".into(), "  disinfect a zone or the lot".into())
        );
        assert_eq!(lines[2], ("Ctrl-c Ctrl-q".into(), "  quit now".into()));
        // Where the wide key's entry is the longest, the keys make room.
        let c: Vec<(String, &str)> = vec![
            ("D".into(), "disinfect"),
            ("Ctrl-c Ctrl-q".into(), "quit now"),
        ];
        assert_eq!(key_width(&c), 13);
    }

    #[test]
    fn a_long_description_wraps_under_its_text_while_there_are_lines() {
        let c: Vec<(String, &str)> = vec![
            ("t".into(), "lot at a past moment"),
            ("R".into(), "shift report"),
        ];
        let lines = column_lines(&c, (1, 12), 3);
        assert_eq!(
            lines,
            vec![
                ("t".into(), "  lot at a".into()),
                (String::new(), "   past moment".into()),
                ("R".into(), "  shift report".into()),
            ]
        );
        // Without the lines for it, cut, between words.
        let lines = column_lines(&c, (1, 12), 2);
        assert_eq!(lines[0], ("t".into(), "  lot at a…".into()));
        assert_eq!(lines.len(), 2);
    }
}
