//! The bay grid: one zone's rows of bays, one cell per bay, drawn straight
//! into the frame buffer. When the zone does not fit its area, the grid
//! drops aisles first, then scrolls rows and columns around the cursor, so
//! the cursor's neighbourhood is always on screen.

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
    /// A bay to mark (the arrival's suggested bay), blinking.
    pub marked: Option<usize>,
    pub disinfection_due: bool,
    pub ascii: bool,
    pub color: bool,
    /// Draw the column ruler above the rows when there is room.
    pub ruler: bool,
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
}

impl BayGrid<'_> {
    fn cursor_pos(&self) -> Option<(usize, usize)> {
        self.block.rows.iter().enumerate().find_map(|(r, row)| {
            row.bays
                .contains(&self.cursor)
                .then(|| (r, self.cursor - row.bays.start))
        })
    }

    /// Lays the zone out in `area`: pure arithmetic, no allocation beyond the
    /// list of visible lines.
    pub fn viewport(&self, area: Rect) -> Viewport {
        let label_width: u16 = if self.block.row_labels { 3 } else { 0 };
        let cells = (area.width.saturating_sub(label_width)) as usize;
        let widest = self.block.widest_row();
        let (cur_row, cur_col) = self.cursor_pos().unwrap_or((0, 0));
        let first_col = if widest > cells && cells > 0 {
            cur_col.saturating_sub(cells / 2).min(widest - cells)
        } else {
            0
        };
        let rows = self.block.rows.len();
        let mut height = area.height as usize;
        let ruler = self.ruler && height > rows + 1;
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
        let mut y = area.y;
        let x0 = area.x + vp.label_width;
        if vp.ruler {
            // Bay numbers every ten columns.
            for c in vp.first_col..vp.first_col + vp.cols {
                let n = c + 1;
                if n == 1 || n % 10 == 0 {
                    let x = x0 + (c - vp.first_col) as u16;
                    let s = n.to_string();
                    if (c - vp.first_col) + s.len() <= vp.cols {
                        buf.set_string(x, y, &s, dim);
                    }
                }
            }
            y += 1;
        }
        let cursor_row = self.cursor_pos().map(|(r, _)| r);
        for line in &vp.lines {
            if y >= area.bottom() {
                break;
            }
            match line {
                None => {
                    let rule = if self.ascii { "-" } else { "─" };
                    for x in x0..x0 + vp.cols as u16 {
                        buf.set_string(x, y, rule, dim);
                    }
                }
                Some(r) => {
                    let row = &self.block.rows[*r];
                    if vp.label_width > 0 {
                        let style = if cursor_row == Some(*r) {
                            Style::new().add_modifier(Modifier::BOLD)
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
                        let mut style = state.style(self.color);
                        if self.marked == Some(i) {
                            style = style.add_modifier(
                                Modifier::SLOW_BLINK | Modifier::UNDERLINED | Modifier::BOLD,
                            );
                        }
                        if i == self.cursor {
                            style = style.add_modifier(Modifier::REVERSED | Modifier::BOLD);
                        }
                        let x = x0 + (c - vp.first_col) as u16;
                        if let Some(cell) = buf.cell_mut((x, y)) {
                            cell.set_symbol(state.glyph(self.ascii)).set_style(style);
                        }
                    }
                }
            }
            y += 1;
        }
    }
}
