//! A final action waiting for Enter, naming the plate and the bay
//! (`Action::Confirm` → Enter → the operation runs).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::planned::Planned;
use super::prompt::{Prompt, PromptNext};
use super::{Cmd, Layer, Screen};
use crate::domain::plate::Plate;
use crate::domain::stay::{Blocker, WayOut, way_out};
use crate::i18n::Msg;
use crate::ops::Op;
use crate::tui::keymap::{Action, Key, Mode};
use crate::tui::shared::Shared;
use crate::tui::view::{bad_style, bold, centered, frame_popup};

/// A final action waiting for Enter; names the plate and the bay.
#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    pub title: Msg,
    pub lines: Vec<String>,
    /// What stands in the way, shown in the alarm style (a departure's
    /// blockers).
    pub warnings: Vec<String>,
    pub then: Then,
}

/// What Enter on a confirmation does.
#[derive(Debug, Clone, PartialEq)]
pub enum Then {
    Run(Op),
    /// Ask for a line of text first (the reason to force a departure).
    Prompt {
        title: Msg,
        subject: String,
        next: PromptNext,
    },
    /// Nothing may be done from here: Enter closes it, like Esc.
    Close,
    /// No bay was free to offer: Enter asks again which bay the operation
    /// would give, and confirms that (`Planned::offer`).
    LookAgain {
        plate: Plate,
        planned: Planned,
    },
}

impl Confirm {
    /// Enter runs `op`.
    pub fn run(title: Msg, lines: Vec<String>, op: Op) -> Confirm {
        Confirm {
            title,
            lines,
            warnings: Vec::new(),
            then: Then::Run(op),
        }
    }

    /// Opens a confirmation that runs `op`.
    pub fn push(title: Msg, lines: Vec<String>, op: Op) -> Cmd {
        Cmd::Push(Screen::Confirm(Confirm::run(title, lines, op)))
    }

    /// The departure confirmation, with what stands between the truck and
    /// the gate out (as the store found it) up front.
    pub fn departure(sh: &Shared, plate: &Plate, blockers: &[Blocker]) -> Confirm {
        let subject = sh.truck_subject(plate);
        let lang = sh.session.lang;
        let warnings: Vec<String> = blockers
            .iter()
            .map(|b| format!("✗ {}", crate::i18n::refusal::blocker_text(lang, b)))
            .collect();
        let (title, lines, then) = if blockers.is_empty() {
            (
                Msg::ConfirmDepart,
                [Some(subject), escort_line(sh, plate)]
                    .into_iter()
                    .flatten()
                    .collect(),
                Then::Run(Op::Depart {
                    plate: plate.clone(),
                    force_reason: None,
                }),
            )
        } else if crate::domain::stay::may_be_forced(blockers) {
            (
                Msg::ConfirmDepartBlocked,
                vec![subject.clone(), sh.t(Msg::DepartForceHint).to_string()],
                Then::Prompt {
                    title: Msg::PromptForceReason,
                    subject,
                    next: PromptNext::ForceDepart(plate.clone()),
                },
            )
        } else {
            let hint = match way_out(blockers) {
                Some(WayOut::MarkEscortDone) => Msg::DepartEscortUnderWay,
                Some(WayOut::IsolateFirst) => Msg::DepartIsolateFirst,
                Some(WayOut::AuthorisedEscort) | None => Msg::DepartEscortOnly,
            };
            (
                Msg::DepartNever,
                vec![subject, sh.t(hint).to_string()],
                Then::Close,
            )
        };
        Confirm {
            title,
            lines,
            warnings,
            then,
        }
    }
}

impl Layer for Confirm {
    fn mode(&self) -> Mode {
        Mode::Confirm
    }

    /// Enter closes a notice and looks again for a bay: the footer says
    /// so, as the dialog's own key line does.
    fn key_help(&self, action: Action) -> Option<Msg> {
        match (action, &self.then) {
            (Action::Confirm, Then::Close) => Some(Msg::KeyClose),
            (Action::Confirm, Then::LookAgain { .. }) => Some(Msg::KeyLookAgain),
            (Action::Confirm, Then::Prompt { .. }) => Some(Msg::KeyContinue),
            _ => None,
        }
    }

    fn handle(&mut self, action: Action, _key: Key, _sh: &Shared) -> Vec<Cmd> {
        match action {
            Action::Back => vec![Cmd::Pop],
            Action::Confirm => {
                let next = match self.then.clone() {
                    Then::Run(op) => Some(Cmd::run(op)),
                    Then::Prompt {
                        title,
                        subject,
                        next,
                    } => Some(Prompt::push(title, subject, true, next)),
                    Then::Close => None,
                    Then::LookAgain { plate, planned } => Some(planned.offer(plate, None)),
                };
                std::iter::once(Cmd::Pop).chain(next).collect()
            }
            _ => Vec::new(),
        }
    }

    fn render(&self, sh: &Shared, f: &mut Frame, body: Rect, _top: bool) {
        let c = self;
        let title_w = sh.t(c.title).width() as u16 + 6;
        let w = c
            .lines
            .iter()
            .chain(&c.warnings)
            .map(|l| l.width() as u16 + 4)
            .max()
            .unwrap_or(30)
            .max(title_w)
            .clamp(36, body.width.min(100));
        let inner_w = w.saturating_sub(2).max(1) as usize;
        let rows: u16 = c
            .lines
            .iter()
            .chain(&c.warnings)
            .map(|l| l.width().div_ceil(inner_w).max(1) as u16)
            .sum();
        let area = centered(body, w, rows + 4);
        let inner = frame_popup(sh, f, area, sh.t(c.title));
        // The subject first, then what stands in the way, then what Enter does.
        let mut lines: Vec<Line> = c
            .lines
            .iter()
            .take(1)
            .map(|l| Line::styled(l.clone(), bold()))
            .collect();
        lines.extend(
            c.warnings
                .iter()
                .map(|l| Line::styled(l.clone(), bad_style(sh))),
        );
        lines.extend(
            c.lines
                .iter()
                .skip(1)
                .map(|l| Line::styled(l.clone(), bold())),
        );
        lines.push(Line::raw(""));
        let keys = match c.then {
            Then::Close => Msg::CloseKeys,
            Then::LookAgain { .. } => Msg::LookAgainKeys,
            // Enter asks for what comes next (a reason): nothing is done yet.
            Then::Prompt { .. } => Msg::PromptKeys,
            Then::Run(_) => Msg::ConfirmKeys,
        };
        lines.push(Line::styled(
            sh.t(keys),
            Style::new().add_modifier(Modifier::DIM),
        ));
        f.render_widget(
            Paragraph::new(lines).wrap(Wrap { trim: false }),
            crate::tui::view::wrap_inside(inner),
        );
    }
}

/// For a positive truck let out (only its done, authorised escort lets it
/// be): the line that says it leaves under that escort, and whose.
fn escort_line(sh: &Shared, plate: &Plate) -> Option<String> {
    let occupant = sh.bay_of_plate(plate).and_then(|b| sh.occupant(b))?;
    if !occupant.positive {
        return None;
    }
    let mut line = sh.t(Msg::LeavesUnderEscort).to_string();
    if let Some(d) = sh.detail_of(occupant.stay) {
        if let Some(to) = &d.handoff_counterpart {
            line.push_str(&format!(": {to}"));
        }
        if let Some(by) = &d.handoff_by {
            line.push_str(&format!(" · {} {by}", sh.t(Msg::AuthorisedBy)));
        }
    }
    Some(line)
}
