//! The clocks board: everything due, soonest first, live; Enter goes to
//! the truck or zone, `a` confirms a finished handoff arrived, `e` reports a
//! truck up (a positive result that came after it left).

use chrono::Duration;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::confirm::Confirm;
use super::isolation::IsolationBoard;
use super::{Cmd, Effect, Layer, Screen};
use crate::domain::clocks::{ClockKind, DueItem, NextAction, TruckRef};
use crate::domain::event::StayId;
use crate::i18n::Msg;
use crate::i18n::words::word;
use crate::ops::Op;
use crate::tui::bay_state::BayState;
use crate::tui::keymap::{Action, Key, Mode};
use crate::tui::shared::Shared;
use crate::tui::view::table::{self, Col};
use crate::tui::view::{block, bold, color, hhmm, span};

/// The clocks board's cursor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClocksBoard {
    pub selected: usize,
    /// The selected clock by what it is, not by its place: when the lot
    /// changes (a result in, a new sample) and clocks come and go above
    /// it, the selection stays on it, so a key acts on the truck the
    /// operator saw highlighted.
    held: Option<ClockId>,
}

/// What a clock is about: its kind and its truck's stay.
type ClockId = (ClockKind, Option<StayId>);

fn clock_id(c: &DueItem) -> ClockId {
    (c.kind.clone(), c.truck.as_ref().map(|t| t.stay))
}

fn late_style(sh: &Shared) -> Style {
    BayState::Overdue.style(color(sh))
}

impl ClocksBoard {
    /// The bay of the selected clock: its truck's, or for a zone's
    /// disinfection the zone (as a navigation to it).
    fn target(&self, sh: &Shared) -> Option<Cmd> {
        let c = sh.clocks.get(self.selected)?;
        match (&c.truck, &c.kind) {
            (Some(t), _) => sh.layout.find(t.bay.as_ref()?).map(Cmd::Cursor),
            (None, ClockKind::Disinfection { zone }) => {
                Some(Cmd::Navigate(Action::Zone(zone.index())))
            }
            _ => None,
        }
    }

    /// `a`: the selected finished handoff arrived.
    fn handoff_arrived(&self, sh: &Shared) -> Cmd {
        let clock = sh.clocks.get(self.selected);
        match clock.and_then(|c| match (&c.kind, &c.truck) {
            (ClockKind::HandoffConfirm { mode }, Some(t)) => Some((*mode, t.clone())),
            _ => None,
        }) {
            Some((mode, t)) => Confirm::push(
                Msg::ConfirmHandoffArrived,
                vec![subject(sh, &t), sh.t(word(mode)).to_string()],
                Op::HandoffConfirm { plate: t.plate },
            ),
            None => Cmd::error(sh.t(Msg::SelectHandoffToConfirm)),
        }
    }

    /// `e`: report the selected clock's truck up (escalate), with a note:
    /// the alarm of a positive result that came after the truck left ends
    /// so. The rules are asked first, as on the map: a truck that cannot be
    /// escalated is refused before the note is typed.
    fn escalate(&self, sh: &Shared) -> Cmd {
        match sh.clocks.get(self.selected).and_then(|c| c.truck.as_ref()) {
            Some(t) => Cmd::Effect(Effect::EscalationCheck(t.plate.clone())),
            None => Cmd::error(sh.t(Msg::SelectTruckToEscalate)),
        }
    }
}

/// A clock's truck as a confirmation or a prompt names it: its plate and
/// bay, or that it has left the lot.
fn subject(sh: &Shared, t: &TruckRef) -> String {
    let bay = t
        .bay
        .as_ref()
        .map(|b| b.to_string())
        .unwrap_or_else(|| sh.t(Msg::LeftTheLot).to_string());
    format!("{}  {bay}", t.plate)
}

impl ClocksBoard {
    fn select(&mut self, i: usize, sh: &Shared) {
        self.selected = i.min(sh.clocks.len().saturating_sub(1));
        self.held = sh.clocks.get(self.selected).map(clock_id);
    }
}

impl Layer for ClocksBoard {
    fn mode(&self) -> Mode {
        Mode::Clocks
    }

    /// The clocks changed: the selection follows the clock it was on, or
    /// stays in place (within the list) when that clock has ended.
    fn refresh(&mut self, sh: &Shared) {
        let at = self
            .held
            .as_ref()
            .and_then(|h| sh.clocks.iter().position(|c| &clock_id(c) == h));
        self.select(at.unwrap_or(self.selected), sh);
    }

    fn handle(&mut self, action: Action, _key: Key, sh: &Shared) -> Vec<Cmd> {
        match action {
            Action::Back => vec![Cmd::Pop],
            Action::Up => {
                self.select(self.selected.saturating_sub(1), sh);
                Vec::new()
            }
            Action::Down => {
                self.select(self.selected + 1, sh);
                Vec::new()
            }
            Action::Newer => {
                self.select(self.selected.saturating_sub(super::board_page(sh)), sh);
                Vec::new()
            }
            Action::Older => {
                self.select(self.selected + super::board_page(sh), sh);
                Vec::new()
            }
            Action::Jump => match self.target(sh) {
                Some(to) => vec![Cmd::Pop, to],
                None => Vec::new(),
            },
            Action::IsolationBoard => vec![
                Cmd::Pop,
                Cmd::Push(Screen::Isolation(IsolationBoard::new(sh))),
            ],
            Action::HandoffArrived => vec![self.handoff_arrived(sh)],
            Action::Escalate => vec![self.escalate(sh)],
            _ => Vec::new(),
        }
    }

    fn replaces_map(&self) -> bool {
        true
    }

    fn render(&self, sh: &Shared, f: &mut Frame, area: Rect, _top: bool) {
        let title = Line::from(Span::styled(
            format!(
                " {} — {} {} ",
                sh.t(Msg::ClocksTitle),
                sh.overdue(),
                sh.t(Msg::Overdue)
            ),
            bold(),
        ));
        let outer = block(sh, title, true);
        let inner = outer.inner(area);
        f.render_widget(outer, area);
        if sh.clocks.is_empty() {
            f.render_widget(Paragraph::new(sh.t(Msg::NothingDue)), inner);
            return;
        }
        // The times, the plate and the bay keep their widths while there
        // is room, so the columns stand still as clocks come and go; what
        // is due gives way on a narrow screen; the start takes the rest.
        let cols = [
            Col::new(sh.t(Msg::ColDue)).floor(11),
            Col::new(sh.t(Msg::ColLeft)).floor(10),
            Col::new(sh.t(Msg::ColWhat)).gives(1),
            Col::new(sh.t(Msg::ColPlate)).floor(11),
            Col::new(sh.t(Msg::ColBay)).floor(8),
            Col::new(sh.t(Msg::ColSince)),
        ];
        let rows = sh
            .clocks
            .iter()
            .map(|c| {
                let left = c.remaining(sh.now);
                let late = c.overdue(sh.now);
                let left_text = if late {
                    // Round lateness up: a clock just past due says -1 m, never -0 m.
                    format!("-{}", span(sh, left - Duration::seconds(59)))
                } else {
                    span(sh, left)
                };
                // A clock of a stay that left (a positive that came back
                // after it) shows where the truck is if it is back.
                let (plate, bay) = match &c.truck {
                    Some(t) => (
                        t.plate.to_string(),
                        t.bay
                            .as_ref()
                            .or_else(|| sh.bay_id_of_plate(&t.plate))
                            .map(|b| b.to_string())
                            .unwrap_or_else(|| sh.t(Msg::BayLeft).to_string()),
                    ),
                    None => (String::new(), String::new()),
                };
                let cells = vec![
                    hhmm(sh, c.due),
                    left_text,
                    what_text(sh, c),
                    plate,
                    bay,
                    format!("{} ({})", hhmm(sh, c.started), span(sh, sh.now - c.started)),
                ];
                let style = if late { late_style(sh) } else { Style::new() };
                (cells, style)
            })
            .collect();
        table::render(sh, f, inner, &cols, rows, self.selected);
    }
}

/// What a clock is for, in the interface language.
pub(super) fn what_text(sh: &Shared, c: &crate::domain::clocks::DueItem) -> String {
    match &c.kind {
        ClockKind::Result { test } => {
            format!("{} {}", sh.t(Msg::KindResult), sh.t(word(*test)))
        }
        ClockKind::IsolationReview => sh.t(Msg::KindReview).to_string(),
        ClockKind::Disinfection { zone } => {
            format!("{} {}", sh.t(Msg::KindDisinfect), sh.t(word(*zone)))
        }
        ClockKind::Service { service } => {
            format!("{} {}", sh.t(Msg::KindService), sh.t(word(*service)))
        }
        ClockKind::Handoff { mode } => {
            format!("{} {}", sh.t(Msg::KindHandoff), sh.t(word(*mode)))
        }
        ClockKind::HandoffConfirm { mode } => {
            format!("{} {}", sh.t(word(*mode)), sh.t(Msg::KindHandoffConfirm))
        }
        ClockKind::WaitingForIsolation => sh.t(Msg::KindWaitingIsolation).to_string(),
        ClockKind::PositiveNotIsolated => sh.t(Msg::KindPositiveOutside).to_string(),
        ClockKind::PositiveDeparted => sh.t(Msg::KindPositiveDeparted).to_string(),
    }
}

pub(super) fn next_text(sh: &Shared, n: &NextAction) -> String {
    match n {
        NextAction::ChaseResult { test } => {
            format!("{} {}", sh.t(Msg::NextChase), sh.t(word(*test)))
        }
        NextAction::AwaitResult { test, due } => {
            format!(
                "{} {} {}",
                sh.t(Msg::NextAwait),
                sh.t(word(*test)),
                hhmm(sh, *due)
            )
        }
        NextAction::Escalate => sh.t(Msg::NextEscalate).to_string(),
        NextAction::ReportLastStay => sh.t(Msg::NextReportLastStay).to_string(),
        NextAction::WaitForBay => sh.t(Msg::NextWaitForBay).to_string(),
        NextAction::EscortUnderWay => sh.t(Msg::NextEscortUnderWay).to_string(),
        NextAction::LetOutUnderEscort => sh.t(Msg::NextLetOut).to_string(),
        NextAction::AwaitDecision { at, note } => format!(
            "{} ({note})",
            sh.t(Msg::NextAwaitDecision).replace("{x}", &hhmm(sh, *at))
        ),
        NextAction::TakeSample => sh.t(Msg::NextSample).to_string(),
        NextAction::Review => sh.t(Msg::NextReview).to_string(),
        NextAction::ReviewAt { due } => format!("{} {}", sh.t(Msg::NextReviewAt), hhmm(sh, *due)),
    }
}
