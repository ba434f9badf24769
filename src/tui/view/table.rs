//! The boards' tables (clocks, isolation, event log), drawn the same way:
//! each column as wide as its widest cell (its heading included), the text
//! columns giving way when the screen is narrow, and every cell that is
//! still too wide cut honestly — between words where one is near, ending
//! with `…` (`text::fit`), never mid-word with no sign. The selected row's
//! cut cells are said in full under the table, so nothing is out of reach
//! at 80×24.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};

use super::{bold, wrap};
use crate::domain::text::{fit_with, width};
use crate::tui::shared::Shared;

/// Cells between columns (ratatui's default).
const GAP: usize = 1;

/// One column: its heading, and how wide it may be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Col {
    /// The heading as drawn (with a sort mark, say).
    pub head: String,
    /// The column's name where the selected row is said in full.
    pub name: String,
    /// At most this wide: longer cells are cut.
    pub cap: usize,
    /// At least this wide while the screen has room, so that the columns
    /// do not move as a cell grows by a digit.
    pub floor: usize,
    /// 0: as wide as its widest cell. More: a text column that gives way
    /// when the screen is narrow, keeping this share of the room left.
    pub give: usize,
    /// This share of the room the cells leave on a wide screen (if no
    /// column takes any, the last takes it all).
    pub fill: usize,
}

impl Col {
    pub fn new(head: impl Into<String>) -> Col {
        let head = head.into();
        Col {
            name: head.clone(),
            head,
            cap: usize::MAX,
            floor: 0,
            give: 0,
            fill: 0,
        }
    }

    pub fn named(mut self, name: impl Into<String>) -> Col {
        self.name = name.into();
        self
    }

    pub fn cap(mut self, cells: usize) -> Col {
        self.cap = cells;
        self
    }

    pub fn floor(mut self, cells: usize) -> Col {
        self.floor = cells;
        self
    }

    pub fn gives(mut self, share: usize) -> Col {
        self.give = share;
        self
    }

    pub fn fills(mut self, share: usize) -> Col {
        self.fill = share;
        self
    }
}

/// The columns' widths in `room` cells: each as wide as its widest cell
/// (capped) or its floor; the columns that fill (or else the last) take
/// what is left. When that is too wide, the floors go first, then the text
/// columns share what the others leave, by their `give` (a column that
/// needs less than its share keeps its width and leaves the rest to the
/// others), and the cells a cut between words leaves unused go where they
/// show another word; on a screen too narrow even for that, the columns
/// from the right give way. `mark` is what a cut ends with.
pub fn widths(room: usize, cols: &[Col], rows: &[Vec<String>], mark: &str) -> Vec<usize> {
    let n = cols.len();
    if n == 0 {
        return Vec::new();
    }
    let avail = room.saturating_sub(GAP * (n - 1));
    let content: Vec<usize> = cols
        .iter()
        .enumerate()
        .map(|(c, col)| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|t| width(t))
                .chain([width(&col.head)])
                .max()
                .unwrap_or(0)
                .min(col.cap)
        })
        .collect();
    let mut w: Vec<usize> = content
        .iter()
        .zip(cols)
        .map(|(c, col)| (*c).max(col.floor).min(col.cap))
        .collect();
    let total = |w: &[usize]| w.iter().sum::<usize>();
    // The floors give way first.
    for i in 0..n {
        let over = total(&w).saturating_sub(avail);
        let take = (w[i] - content[i]).min(over);
        w[i] -= take;
    }
    if total(&w) <= avail {
        let left = avail - total(&w);
        spread(&mut w, cols, left);
        return w;
    }
    // Then the text columns share what the others leave.
    let fixed: usize = (0..n).filter(|&i| cols[i].give == 0).map(|i| w[i]).sum();
    let mut budget = avail.saturating_sub(fixed);
    let mut open: Vec<usize> = (0..n).filter(|&i| cols[i].give > 0).collect();
    while !open.is_empty() {
        let shares: usize = open.iter().map(|&i| cols[i].give).sum();
        let settled = open
            .iter()
            .position(|&i| w[i] <= budget * cols[i].give / shares);
        match settled {
            Some(k) => {
                budget -= w[open[k]];
                open.remove(k);
            }
            None => {
                let mut given = 0;
                for &i in &open {
                    w[i] = budget * cols[i].give / shares;
                    given += w[i];
                }
                // The cells left over, to the largest shares first.
                open.sort_by_key(|&i| std::cmp::Reverse(cols[i].give));
                for &i in open.iter().cycle().take(budget - given) {
                    w[i] += 1;
                }
                break;
            }
        }
    }
    // A text column cut between words leaves cells of its share unused:
    // they are pooled, and spent where the fewest cells show one more word.
    let shown = |i: usize, w: usize| -> usize {
        rows.iter()
            .filter_map(|r| r.get(i))
            .map(|t| width(&fit_with(t, w, mark)))
            .sum()
    };
    let cut: Vec<usize> = (0..n)
        .filter(|&i| cols[i].give > 0 && w[i] < content[i])
        .collect();
    let mut pool = 0;
    for &i in &cut {
        let used = rows
            .iter()
            .filter_map(|r| r.get(i))
            .chain([&cols[i].head])
            .map(|t| width(&fit_with(t, w[i], mark)))
            .max()
            .unwrap_or(0);
        pool += w[i] - used;
        w[i] = used;
    }
    while pool > 0 {
        // The cheapest column to show more of, the larger share first.
        let step = cut
            .iter()
            .filter_map(|&i| {
                let now = shown(i, w[i]);
                (1..=pool.min(content[i] - w[i]))
                    .find(|&d| shown(i, w[i] + d) > now)
                    .map(|d| (d, std::cmp::Reverse(cols[i].give), i))
            })
            .min();
        let Some((d, _, i)) = step else { break };
        w[i] += d;
        pool -= d;
    }
    // Cells nobody can use: as when there is room.
    spread(&mut w, cols, pool);
    // A screen too narrow even for the rest: from the right.
    let mut over = total(&w).saturating_sub(avail);
    for i in (0..n).rev() {
        let take = w[i].min(over);
        w[i] -= take;
        over -= take;
    }
    w
}

/// `left` cells more to the columns that fill, by their shares (the
/// largest share takes what rounding leaves), or else to the last column.
fn spread(w: &mut [usize], cols: &[Col], left: usize) {
    let shares: usize = cols.iter().map(|c| c.fill).sum();
    if shares == 0 {
        if let Some(last) = w.last_mut() {
            *last += left;
        }
        return;
    }
    let mut given = 0;
    for (w, c) in w.iter_mut().zip(cols) {
        let add = left * c.fill / shares;
        *w += add;
        given += add;
    }
    if let Some(i) = (0..cols.len()).max_by_key(|&i| (cols[i].fill, i)) {
        w[i] += left - given;
    }
}

/// Draws a table in `area`: the header, the rows with their styles, the
/// selected one highlighted and kept in view; under it, when any of the
/// selected row's cells is cut, those cells in full (wrapped between
/// words, at most a third of the area).
pub fn render(
    sh: &Shared,
    f: &mut Frame,
    area: Rect,
    cols: &[Col],
    rows: Vec<(Vec<String>, Style)>,
    selected: usize,
) {
    // `…` is East Asian ambiguous: drawn two cells wide where `--ascii` is
    // needed.
    let mark = if sh.session.ascii { "..." } else { "…" };
    let cells: Vec<Vec<String>> = rows.iter().map(|(c, _)| c.clone()).collect();
    let w = widths(area.width as usize, cols, &cells, mark);
    let header = Row::new(
        cols.iter()
            .zip(&w)
            .map(|(c, w)| Cell::from(fit_with(&c.head, *w, mark))),
    )
    .style(bold().add_modifier(Modifier::UNDERLINED));
    let mut full = Vec::new();
    let n_rows = rows.len();
    let body: Vec<Row> = rows
        .into_iter()
        .enumerate()
        .map(|(r, (cells, style))| {
            let fitted: Vec<String> = cells
                .iter()
                .zip(&w)
                .map(|(text, w)| fit_with(text, *w, mark))
                .collect();
            if r == selected {
                for ((text, shown), col) in cells.iter().zip(&fitted).zip(cols) {
                    if shown != text {
                        full.push((col.name.clone(), text.clone()));
                    }
                }
            }
            Row::new(fitted).style(style)
        })
        .collect();
    let lines = in_full(
        sh.session.ascii,
        &full,
        area.width as usize,
        (area.height / 3).max(1) as usize,
    );
    let detail_h = lines.len() as u16;
    let table_h = area.height.saturating_sub(detail_h);
    let gap = u16::from(detail_h > 0 && table_h > n_rows as u16 + 1);
    let table_area = Rect {
        height: table_h.saturating_sub(gap).min(n_rows as u16 + 1),
        ..area
    };
    let table = Table::new(body, w.iter().map(|w| Constraint::Length(*w as u16)))
        .header(header)
        .row_highlight_style(bold().add_modifier(Modifier::REVERSED));
    let mut state = TableState::default().with_selected(Some(selected));
    f.render_stateful_widget(table, table_area, &mut state);
    if detail_h > 0 {
        let detail_area = Rect {
            y: table_area.bottom() + gap,
            height: detail_h,
            ..area
        };
        f.render_widget(Paragraph::new(lines), detail_area);
    }
}

/// The selected row's cut cells in full, each `name: text` wrapped to
/// `width` between words, the first line marked `▸` (`>` with `--ascii`);
/// at most `max` lines, the last ending with `…` if there is more.
fn in_full(ascii: bool, full: &[(String, String)], width: usize, max: usize) -> Vec<Line<'static>> {
    if full.is_empty() {
        return Vec::new();
    }
    let (mark, cut) = if ascii {
        ("> ", "...")
    } else {
        ("▸ ", "…")
    };
    let mut texts: Vec<(Option<String>, String)> = Vec::new();
    for (name, text) in full {
        let head = format!("{name}:");
        let lines = wrap(&format!("{head} {text}"), width.saturating_sub(2));
        for (i, line) in lines.into_iter().enumerate() {
            let label = (i == 0 && line.starts_with(&head)).then(|| head.clone());
            texts.push((label, line));
        }
    }
    let more = texts.len() > max;
    texts.truncate(max);
    let last = texts.len() - 1;
    texts
        .into_iter()
        .enumerate()
        .map(|(i, (label, text))| {
            let lead = if i == 0 { mark } else { "  " };
            let text = if more && i == last {
                // Said to be cut, even if the line has room.
                fit_with(&format!("{text} {cut}"), width.saturating_sub(2), cut)
            } else {
                text
            };
            let mut spans = vec![Span::raw(lead)];
            match label.filter(|l| text.starts_with(l.as_str())) {
                Some(l) => {
                    let rest = text[l.len()..].to_string();
                    spans.push(Span::styled(l, bold()));
                    spans.push(Span::raw(rest));
                }
                None => spans.push(Span::raw(text)),
            }
            Line::from(spans)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(cells: &[&[&str]]) -> Vec<Vec<String>> {
        cells
            .iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    #[test]
    fn columns_as_wide_as_their_cells_and_the_last_takes_the_rest() {
        let cols = [
            Col::new("due").floor(11),
            Col::new("what").gives(1),
            Col::new("since"),
        ];
        let r = rows(&[&["03:00", "result antigen", "03:00 (40m)"]]);
        assert_eq!(widths(80, &cols, &r, "…"), vec![11, 14, 80 - 2 - 11 - 14]);
    }

    #[test]
    fn floors_give_way_first_then_text_columns_by_share() {
        let cols = [
            Col::new("since").floor(17),
            Col::new("reason").gives(1),
            Col::new("next").gives(2),
        ];
        let r = rows(&[&["03:00 (40m)", &"r".repeat(40), &"n".repeat(40)]]);
        // 17 + 40 + 40 + 2 gaps = 99: the floor goes, then 47 shared 1:2.
        assert_eq!(widths(60, &cols, &r, "…"), vec![11, 15, 32]);
        // A text column that needs less than its share leaves the rest.
        let r = rows(&[&["03:00 (40m)", "short", &"n".repeat(60)]]);
        assert_eq!(widths(60, &cols, &r, "…"), vec![11, 6, 41]);
        // Room for everything: the floor stays, the last takes the rest.
        assert_eq!(widths(120, &cols, &r, "…"), vec![17, 6, 95]);
    }

    #[test]
    fn cells_a_cut_between_words_leaves_go_to_the_other_cut_column() {
        let cols = [
            Col::new("reason").gives(1),
            Col::new("next action").gives(2),
        ];
        let reason = "⚑ fever: driver 张三; yellow code: passenger 1 李四";
        let next = "escalated 03:00 — await decision (已报区疾控)";
        let r = rows(&[&[reason, next]]);
        // Shared 15:30, the next action cut at "await" uses 24 of its 30.
        let w = widths(46, &cols, &r, "…");
        assert_eq!(w, vec![21, 24]);
        assert_eq!(fit_with(reason, w[0], "…"), "⚑ fever: driver 张三…");
        assert_eq!(fit_with(next, w[1], "…"), "escalated 03:00 — await…");
    }

    #[test]
    fn the_room_left_goes_to_the_columns_that_fill_by_their_shares() {
        let cols = [
            Col::new("since"),
            Col::new("reason").gives(1).fills(1),
            Col::new("next").gives(2).fills(2),
            Col::new("tests"),
        ];
        let r = rows(&[&["03:00 (40m)", "fever", "take a PCR sample", "—"]]);
        // 11 + 6 + 17 + 5 + 3 gaps = 42: 38 left, 12 and 26.
        assert_eq!(widths(80, &cols, &r, "…"), vec![11, 6 + 12, 17 + 26, 5]);
    }

    #[test]
    fn what_is_said_in_full_is_marked_when_it_runs_out_of_lines() {
        let text = |l: &Line| {
            l.spans
                .iter()
                .map(|s| s.content.as_ref())
                .collect::<String>()
        };
        let full = [(
            "details".to_string(),
            "one two three four five six".to_string(),
        )];
        let lines: Vec<String> = in_full(false, &full, 16, 5).iter().map(text).collect();
        assert_eq!(lines, ["▸ details: one", "  two three four", "  five six"]);
        let lines: Vec<String> = in_full(true, &full, 16, 2).iter().map(text).collect();
        assert_eq!(lines, ["> details: one", "  two three..."]);
        assert!(in_full(false, &[], 16, 2).is_empty());
    }

    #[test]
    fn widths_never_exceed_the_room() {
        let cols = [
            Col::new("time"),
            Col::new("operator").cap(8),
            Col::new("details").gives(1),
        ];
        let r = rows(&[&["11-25 03:00", "a very long operator name", "x y z"]]);
        for room in 0..40 {
            let w = widths(room, &cols, &r, "…");
            let used: usize = w.iter().sum::<usize>() + GAP * 2;
            assert!(used <= room.max(GAP * 2), "{room}: {w:?}");
        }
        assert_eq!(widths(40, &cols, &r, "…"), vec![11, 8, 40 - 2 - 19]);
    }
}
