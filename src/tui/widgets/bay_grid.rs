//! The bay grid: one zone's rows of bays, one cell per bay, drawn straight
//! into the frame buffer. When the zone does not fit its area, the grid
//! drops aisles first, then scrolls rows and columns around the cursor, so
//! the cursor's neighbourhood is always on screen.
//!
//! So that bays can be counted: every bay is a small glyph with space
//! around it (`▪` not `■`), a wide zone gets a blank column after every ten
//! bays when the whole row fits with them, the ruler numbers every tenth
//! bay, and the cursor's row label and column number are drawn in reverse
//! video like the cursor cell itself.

use chrono::{DateTime, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::Widget;

use crate::domain::layout::ZoneBlock;
use crate::store::LotView;
use crate::tui::bay_state::BayState;

/// Everything the grid needs, borrowed from the app.
pub struct BayGrid<'a> {
    pub block: &'a ZoneBlock,
    pub lot: &'a LotView,
    pub now: DateTime<Utc>,
    pub cursor: usize,
    /// The bay to keep in view when the zone must scroll: the cursor,
    /// or the suggested bay beside the arrival form.
    pub center: usize,
    /// A bay to mark (the arrival's suggested bay), with its own glyph.
    pub marked: Option<usize>,
    pub disinfection_due: bool,
    pub ascii: bool,
    pub color: bool,
    /// Draw the column ruler above the rows when there is room.
    pub ruler: bool,
    /// Leave a blank column after every ten bays when the rows fit with it.
    pub groups: bool,
}

/// Bays per group between the blank columns.
pub const GROUP: usize = 10;

/// The cells a row of `bays` bays takes with a gap after every group.
pub fn grouped_width(bays: usize) -> usize {
    bays + bays.saturating_sub(1) / GROUP
}

/// Which rows and columns are on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewport {
    pub label_width: u16,
    pub first_col: usize,
    pub cols: usize,
    /// Row indices, with `None` for an aisle line.
    pub lines: Vec<Option<usize>>,
    pub ruler: bool,
    /// A blank column after every group of ten bays.
    pub gaps: bool,
}

impl Viewport {
    /// The cell offset of column `c` from the first bay cell.
    pub fn x_of(&self, c: usize) -> u16 {
        let gaps = if self.gaps {
            c / GROUP - self.first_col / GROUP
        } else {
            0
        };
        (c - self.first_col + gaps) as u16
    }
}

impl BayGrid<'_> {
    fn pos_of(&self, bay: usize) -> Option<(usize, usize)> {
        self.block
            .rows
            .iter()
            .enumerate()
            .find_map(|(r, row)| row.bays.contains(&bay).then(|| (r, bay - row.bays.start)))
    }

    /// Lays the zone out in `area`: pure arithmetic, no allocation beyond the
    /// list of visible lines.
    pub fn viewport(&self, area: Rect) -> Viewport {
        let label_width: u16 = if self.block.row_labels { 3 } else { 0 };
        let cells = (area.width.saturating_sub(label_width)) as usize;
        let widest = self.block.widest_row();
        let gaps = self.groups && grouped_width(widest) <= cells;
        let (cur_row, cur_col) = self
            .pos_of(self.center)
            .or_else(|| self.pos_of(self.cursor))
            .unwrap_or((0, 0));
        let first_col = if widest > cells && cells > 0 {
            cur_col.saturating_sub(cells / 2).min(widest - cells)
        } else {
            0
        };
        let rows = self.block.rows.len();
        let mut height = area.height as usize;
        // The ruler, when it does not cost the zone its last rows, or
        // when the zone scrolls anyway.
        let ruler = self.ruler && (height > rows + 1 || height >= 4);
        if ruler {
            height -= 1;
        }
        let aisles = self.block.rows.iter().filter(|r| r.aisle_after).count();
        let lines: Vec<Option<usize>> = if rows + aisles <= height {
            let mut v = Vec::with_capacity(rows + aisles);
            for (i, r) in self.block.rows.iter().enumerate() {
                v.push(Some(i));
                if r.aisle_after {
                    v.push(None);
                }
            }
            v
        } else if rows <= height {
            (0..rows).map(Some).collect()
        } else {
            let first = cur_row.saturating_sub(height / 2).min(rows - height);
            (first..first + height).map(Some).collect()
        };
        Viewport {
            label_width,
            first_col,
            cols: cells.min(widest),
            lines,
            ruler,
            gaps,
        }
    }
}

impl Widget for BayGrid<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width == 0 || area.height == 0 {
            return;
        }
        let vp = self.viewport(area);
        let dim = if self.color {
            Style::new().add_modifier(Modifier::DIM)
        } else {
            Style::new()
        };
        // The cursor's row label and column number stand out like the cell.
        let here = Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD);
        let cursor = self.pos_of(self.cursor);
        let mut y = area.y;
        let x0 = area.x + vp.label_width;
        let x_end = x0 + vp.x_of((vp.first_col + vp.cols).max(1) - 1) + 1;
        if vp.ruler {
            // The cursor's column number, and where it stands.
            let marked = cursor
                .filter(|&(_, c)| (vp.first_col..vp.first_col + vp.cols).contains(&c))
                .map(|(_, c)| {
                    let s = (c + 1).to_string();
                    let x = (x0 + vp.x_of(c)).min(x_end.saturating_sub(s.len() as u16));
                    (x, s)
                });
            // Bay numbers every ten columns, but none that would run into
            // the cursor's: "10" beside a cursor on 12 would read "1012".
            let clear_of_cursor = |x: u16, len: u16| {
                marked
                    .as_ref()
                    .is_none_or(|(cx, cs)| x + len < *cx || x > *cx + cs.len() as u16)
            };
            for c in vp.first_col..vp.first_col + vp.cols {
                let n = c + 1;
                if n == 1 || n % 10 == 0 {
                    let x = x0 + vp.x_of(c);
                    let s = n.to_string();
                    if x + s.len() as u16 <= x_end && clear_of_cursor(x, s.len() as u16) {
                        buf.set_string(x, y, &s, dim);
                    }
                }
            }
            if let Some((x, s)) = marked {
                buf.set_string(x, y, &s, here);
            }
            y += 1;
        }
        for line in &vp.lines {
            if y >= area.bottom() {
                break;
            }
            match line {
                None => {
                    let rule = if self.ascii { "-" } else { "─" };
                    for x in x0..x_end {
                        buf.set_string(x, y, rule, dim);
                    }
                }
                Some(r) => {
                    let row = &self.block.rows[*r];
                    if vp.label_width > 0 {
                        let style = if cursor.map(|(cr, _)| cr) == Some(*r) {
                            here
                        } else {
                            dim
                        };
                        buf.set_string(area.x, y, format!("{:02}", row.number % 100), style);
                    }
                    for c in vp.first_col..(vp.first_col + vp.cols).min(row.bays.len()) {
                        let i = row.bays.start + c;
                        let Some(view) = self.lot.bays.get(i) else {
                            continue;
                        };
                        let state = BayState::of(view, self.disinfection_due, self.now);
                        let (mut glyph, mut style) =
                            (state.glyph(self.ascii), state.style(self.color));
                        if self.marked == Some(i) {
                            glyph = BayState::suggested_glyph(self.ascii);
                            style = BayState::suggested_style(self.color);
                        }
                        if i == self.cursor {
                            style = style.add_modifier(Modifier::REVERSED | Modifier::BOLD);
                        }
                        let x = x0 + vp.x_of(c);
                        if let Some(cell) = buf.cell_mut((x, y)) {
                            cell.set_symbol(glyph).set_style(style);
                        }
                    }
                }
            }
            y += 1;
        }
    }
}
