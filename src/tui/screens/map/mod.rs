//! The map: the screen under every other, with the cursor on a bay. Its own
//! state is where the cursor has been (per zone, and the stacked block last
//! visited); the cursor itself is shared, since the panel, the boards and
//! the bay pick all speak of the bay under it. `actions` starts the flows
//! for the truck or bay under the cursor; `view` and `panel` draw it.

pub mod actions;
pub mod panel;
pub mod view;

use ratatui::Frame;
use ratatui::layout::Rect;

use super::clocks::ClocksBoard;
use super::form::ArrivalForm;
use super::isolation::IsolationBoard;
use super::search::Search;
use super::{Cmd, Effect, Layer, Screen};
use crate::domain::bay::Zone;
use crate::domain::layout::Layout;
use crate::tui::keymap::Action;
use crate::tui::shared::Shared;

/// Where the cursor has been.
#[derive(Debug, Clone, PartialEq)]
pub struct Map {
    /// Last cursor per zone, so Tab and 1–5 come back where you were.
    zone_cursor: [usize; 5],
    /// The stacked block (work, living, isolation, handoff) visited last:
    /// where `←` from parking goes.
    last_stacked: Zone,
}

impl Map {
    pub fn new(layout: &Layout) -> Map {
        Map {
            zone_cursor: Zone::ALL.map(|z| layout.zone(z).bays.start),
            last_stacked: Zone::Living,
        }
    }

    /// Where the cursor starts: the parking field's first bay.
    pub fn start(&self) -> usize {
        self.zone_cursor[Zone::Parking.index()]
    }

    /// The cursor is now on `bay`: remember it for its zone.
    pub fn moved_to(&mut self, layout: &Layout, bay: usize) {
        let zone = layout.bays[bay].zone;
        self.zone_cursor[zone.index()] = bay;
        if zone != Zone::Parking {
            // Remember which stacked block "left of parking" returns to.
            self.last_stacked = zone;
        }
    }

    /// An action on the map (or, for navigation, under a bay pick).
    pub fn handle(&mut self, action: Action, sh: &Shared) -> Vec<Cmd> {
        if let Some(target) = self.navigate(action, sh) {
            return target.map(Cmd::Cursor).into_iter().collect();
        }
        match action {
            Action::Back => Vec::new(),
            Action::Clocks => vec![Cmd::Push(Screen::Clocks(ClocksBoard::default()))],
            Action::IsolationBoard => vec![Cmd::Push(Screen::Isolation(IsolationBoard::new(sh)))],
            Action::Search => {
                let mut search = Search::default();
                search.refresh(sh);
                vec![
                    Cmd::Push(Screen::Search(search)),
                    Cmd::Effect(Effect::LoadDeparted),
                ]
            }
            Action::Arrive => {
                let s = &sh.session;
                let mut form = ArrivalForm::new(&s.gates, &s.gate, s.province);
                form.refresh(sh);
                vec![Cmd::Push(Screen::Form(form))]
            }
            Action::Log => {
                let (log, load) = super::event_log::EventLog::open(sh);
                vec![Cmd::Push(Screen::Log(Box::new(log))), load]
            }
            Action::Past => vec![super::past::PastView::ask(sh)],
            Action::Undo => vec![Cmd::Effect(super::Effect::UndoCheck)],
            Action::SignIn => vec![Cmd::Push(super::Prompt::sign_in(sh))],
            Action::Report => match super::report::ReportScreen::open(sh) {
                Some((r, load)) => vec![Cmd::Push(Screen::Report(Box::new(r))), load],
                None => vec![Cmd::error(sh.t(crate::i18n::Msg::ReportNoShift))],
            },
            a => actions::truck_action(sh, a),
        }
    }

    /// Cursor movement: `None` if `a` is not a movement, `Some(None)` if it
    /// is one that goes nowhere from here.
    pub fn navigate(&self, a: Action, sh: &Shared) -> Option<Option<usize>> {
        let cursor = sh.cursor;
        let b = &sh.layout.bays[cursor];
        let zone = b.zone;
        let block = sh.layout.zone(zone);
        let (row, col) = (b.row, b.col);
        let row_at = |r: usize, col: usize| {
            let range = block.rows[r].bays.clone();
            range.start + col.min(range.len() - 1)
        };
        Some(match a {
            Action::Left if col > 0 => Some(cursor - 1),
            Action::Right if col + 1 < block.rows[row].bays.len() => Some(cursor + 1),
            Action::Left | Action::Right => {
                let side = self.beside(zone, a == Action::Left);
                side.map(|z| self.zone_cursor[z.index()])
            }
            Action::Up if row > 0 => Some(row_at(row - 1, col)),
            Action::Down if row + 1 < block.rows.len() => Some(row_at(row + 1, col)),
            Action::Up | Action::Down => {
                let next = stacked(zone, a == Action::Up);
                next.map(|z| {
                    let nb = sh.layout.zone(z);
                    let r = if a == Action::Up {
                        nb.rows.len() - 1
                    } else {
                        0
                    };
                    let range = nb.rows[r].bays.clone();
                    range.start + col.min(range.len() - 1)
                })
            }
            Action::RowStart => Some(block.rows[row].bays.start),
            Action::RowEnd => Some(block.rows[row].bays.end - 1),
            Action::NextZone | Action::PrevZone => {
                let n = Zone::ALL.len();
                let i = zone.index();
                let j = if a == Action::NextZone {
                    (i + 1) % n
                } else {
                    (i + n - 1) % n
                };
                Some(self.zone_cursor[j])
            }
            Action::Zone(i) if i < Zone::ALL.len() => Some(self.zone_cursor[i]),
            _ => return None,
        })
    }

    /// Left of parking is the last stacked block visited; right of a stacked
    /// block is parking.
    fn beside(&self, zone: Zone, left: bool) -> Option<Zone> {
        match (zone, left) {
            (Zone::Parking, true) => Some(self.last_stacked),
            (Zone::Parking, false) => None,
            (_, false) => Some(Zone::Parking),
            (_, true) => None,
        }
    }

    /// The map and the bay panel, with `marked` (the arrival form's bay).
    pub fn render(&self, sh: &Shared, marked: Option<usize>, f: &mut Frame, area: Rect) {
        view::render(sh, marked, f, area);
    }
}

/// The map draws work, living, isolation and handoff stacked in a column
/// left of parking; up and down cross between the stacked blocks.
fn stacked(zone: Zone, up: bool) -> Option<Zone> {
    const COLUMN: [Zone; 4] = [Zone::Work, Zone::Living, Zone::Isolation, Zone::Handoff];
    let i = COLUMN.iter().position(|z| *z == zone)?;
    if up {
        i.checked_sub(1).map(|j| COLUMN[j])
    } else {
        COLUMN.get(i + 1).copied()
    }
}
