//! The map: every zone as a block of bays, placed like the lot — work,
//! living, isolation and handoff stacked on the left, the parking field in
//! the middle with the exit lanes on its side, and the bay panel on the
//! right (or as a strip at the bottom on a small terminal).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::panel;
use crate::domain::bay::Zone;
use crate::domain::layout::Side;
use crate::i18n::Msg;
use crate::tui::bay_state::BayState;
use crate::tui::shared::Shared;
use crate::tui::view::bars::{bilingual, zone_title};
use crate::tui::view::{block, color};
use crate::tui::widgets::bay_grid::{BayGrid, grouped_width};

/// The stacked zones, top to bottom.
const STACK: [Zone; 4] = [Zone::Work, Zone::Living, Zone::Isolation, Zone::Handoff];
/// The bay panel's narrowest useful width.
const PANEL_MIN: u16 = 30;

/// The stacked zones' width and the parking block's, as `render` lays them out.
fn widths(sh: &Shared, area: Rect) -> (u16, u16) {
    let stack_w = STACK
        .iter()
        .map(|z| sh.layout.zone(*z).widest_row() as u16 + 2)
        .chain(STACK.iter().map(|z| {
            let cap = sh.layout.zone(*z).capacity();
            // Title, "occupied/capacity", the alarm glyph and the corners.
            (zone_title(sh, *z).width() + 2 * cap.to_string().len() + 8) as u16
        }))
        .max()
        .unwrap_or(20)
        .min(area.width / 3);
    let parking = sh.layout.zone(Zone::Parking);
    // Room for a blank column after every ten bays, when the screen has it.
    let parking_w = grouped_width(parking.widest_row()) as u16 + 3 + 2;
    (stack_w, parking_w)
}

/// The width of the zones (everything but the bay panel) at `area`.
pub fn map_width(sh: &Shared, area: Rect) -> u16 {
    let (stack_w, parking_w) = widths(sh, area);
    stack_w + parking_w
}

/// The map, with `marked` (the arrival form's bay) marked.
pub fn render(sh: &Shared, marked: Option<usize>, f: &mut Frame, area: Rect) {
    let (stack_w, parking_w) = widths(sh, area);
    let wide = area.width >= stack_w + parking_w + PANEL_MIN;
    let (map_area, panel_area, strip) = if wide {
        let [m, p] =
            Layout::horizontal([Constraint::Length(stack_w + parking_w), Constraint::Fill(1)])
                .areas(area);
        (m, p, false)
    } else {
        let [m, p] = Layout::vertical([Constraint::Fill(1), Constraint::Length(2)]).areas(area);
        (m, p, true)
    };
    let [left, right] =
        Layout::horizontal([Constraint::Length(stack_w), Constraint::Fill(1)]).areas(map_area);
    draw_stack(sh, marked, f, left);
    draw_parking(sh, marked, f, right, !wide);
    if strip {
        panel::strip(sh, f, panel_area);
    } else {
        panel::render(sh, f, panel_area);
    }
}

fn grid<'a>(sh: &'a Shared, marked: Option<usize>, zone: Zone, ruler: bool) -> BayGrid<'a> {
    BayGrid {
        block: sh.layout.zone(zone),
        lot: &sh.snap.lot,
        now: sh.at(),
        cursor: sh.cursor,
        center: sh.cursor,
        marked,
        disinfection_due: sh.disinfection_due(zone),
        ascii: sh.session.ascii,
        color: color(sh),
        ruler,
        groups: true,
    }
}

/// One zone alone, kept scrolled to `bay`: what the arrival form leaves
/// visible on a small terminal (the suggested bay and its neighbours, or
/// the cursor while a bay is picked).
pub fn focus_zone(sh: &Shared, marked: Option<usize>, f: &mut Frame, area: Rect, bay: usize) {
    let zone = sh.layout.bays[bay].zone;
    let b = block(sh, title(sh, zone), true);
    let inner = b.inner(area);
    f.render_widget(ratatui::widgets::Clear, area);
    let mut g = grid(sh, marked, zone, true);
    g.center = bay;
    let b = b.title_bottom(Line::from(format!(" {} ", sh.layout.bays[bay].id)).right_aligned());
    f.render_widget(b, area);
    f.render_widget(g, inner);
}

fn title(sh: &Shared, zone: Zone) -> Line<'static> {
    let count = sh.snap.status.get(zone.index());
    let mut spans = vec![Span::styled(
        format!(" {} ", zone_title(sh, zone)),
        Style::new().add_modifier(Modifier::BOLD),
    )];
    if let Some(c) = count {
        spans.push(Span::raw(format!("{}/{} ", c.occupied, c.capacity)));
    }
    if sh.disinfection_due(zone) {
        spans.push(Span::styled(
            format!("{} ", BayState::DisinfectionDue.glyph(sh.session.ascii)),
            BayState::DisinfectionDue.style(color(sh)),
        ));
    }
    Line::from(spans)
}

fn draw_stack(sh: &Shared, marked: Option<usize>, f: &mut Frame, area: Rect) {
    let cursor_zone = sh.layout.bays[sh.cursor].zone;
    // Each block gets its rows plus borders, and the cursor's block any
    // height left over when the terminal is short.
    let want: Vec<u16> = STACK
        .iter()
        .map(|z| sh.layout.zone(*z).rows.len() as u16 + 2)
        .collect();
    let total: u16 = want.iter().sum();
    let heights: Vec<u16> = if total <= area.height {
        want.clone()
    } else {
        let spare = area.height.saturating_sub(3 * STACK.len() as u16);
        STACK
            .iter()
            .zip(&want)
            .map(|(z, w)| {
                if *z == cursor_zone {
                    (*w).min(3 + spare)
                } else {
                    3
                }
            })
            .collect()
    };
    let mut y = area.y;
    for (zone, h) in STACK.iter().zip(heights) {
        let h = h.min(area.bottom().saturating_sub(y));
        if h < 3 {
            break;
        }
        let rect = Rect {
            x: area.x,
            y,
            width: area.width,
            height: h,
        };
        let b = block(sh, title(sh, *zone), *zone == cursor_zone);
        let inner = b.inner(rect);
        f.render_widget(b, rect);
        f.render_widget(grid(sh, marked, *zone, false), inner);
        y += h;
    }
}

fn draw_parking(
    sh: &Shared,
    marked: Option<usize>,
    f: &mut Frame,
    area: Rect,
    legend_inside: bool,
) {
    let cursor_zone = sh.layout.bays[sh.cursor].zone;
    let exit_word = bilingual(sh, Msg::ExitLabel);
    let exit = match (sh.layout.exit, sh.session.ascii) {
        (Side::East, false) => format!(" {exit_word} ▶ "),
        (Side::East, true) => format!(" {exit_word} > "),
        (Side::West, false) => format!(" ◀ {exit_word} "),
        (Side::West, true) => format!(" < {exit_word} "),
    };
    let mut b = block(sh, title(sh, Zone::Parking), cursor_zone == Zone::Parking);
    b = match sh.layout.exit {
        Side::East => b.title_top(Line::from(exit).right_aligned()),
        Side::West => b.title_top(Line::from(exit).left_aligned()),
    };
    let inner = b.inner(area);
    let legend_lines = legend(sh, true, inner.width as usize);
    let legend_h = legend_lines.len() as u16;
    let (grid_area, legend_area) = if legend_inside && inner.height > 4 {
        let [g, l] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(legend_h)]).areas(inner);
        (g, Some(l))
    } else {
        (inner, None)
    };
    let g = grid(sh, marked, Zone::Parking, true);
    // When the field is wider or taller than the screen, say which part shows.
    let vp = g.viewport(grid_area);
    let block_rows = &sh.layout.zone(Zone::Parking).rows;
    let rows_shown: Vec<usize> = vp.lines.iter().flatten().copied().collect();
    let cols_cut = vp.cols < sh.layout.zone(Zone::Parking).widest_row();
    let rows_cut = rows_shown.len() < block_rows.len();
    if cols_cut || rows_cut {
        let (first_row, last_row) = (
            rows_shown.first().map_or(1, |r| r + 1),
            rows_shown.last().map_or(1, |r| r + 1),
        );
        let text = format!(
            " {}–{} × {:02}–{:02} ",
            vp.first_col + 1,
            vp.first_col + vp.cols,
            first_row,
            last_row
        );
        b = b.title_bottom(Line::from(text).right_aligned());
    }
    f.render_widget(b, area);
    f.render_widget(g, grid_area);
    if let Some(l) = legend_area {
        f.render_widget(Paragraph::new(legend_lines), l);
    }
}

/// The glyph legend, on screen always, broken into lines of at most
/// `width` cells between entries (never inside one).
pub fn legend(sh: &Shared, compact: bool, width: usize) -> Vec<Line<'static>> {
    let mut lines = vec![Line::default()];
    for s in BayState::LEGEND {
        let label = if compact {
            sh.t(s.short_label())
        } else {
            sh.t(s.label())
        };
        let entry_w = 1 + label.width();
        let line = lines.last_mut().expect("one line at least");
        let used = line.width();
        if used > 0 && used + 1 + entry_w > width {
            lines.push(Line::default());
        } else if used > 0 {
            line.push_span(Span::raw(" "));
        }
        let line = lines.last_mut().expect("one line at least");
        line.push_span(Span::styled(
            s.glyph(sh.session.ascii).to_string(),
            s.style(color(sh)),
        ));
        line.push_span(Span::raw(label.to_string()));
    }
    lines
}
