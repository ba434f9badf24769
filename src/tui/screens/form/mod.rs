//! The arrival form: its fields and keys (`state`), validation and the
//! record (`record`), and how it is drawn (`view`, `rows`). Where the truck
//! would go is asked of the arrival operation's own rule whenever the form
//! or the lot changes, and kept in the form (`plan`).

mod fields;
mod record;
mod rows;
mod state;
#[cfg(test)]
mod tests;
mod view;

use ratatui::Frame;
use ratatui::layout::Rect;

pub use self::fields::{Field, FieldError, PassengerInput, temp_problem};
pub use self::state::ArrivalForm;
use super::menu::{Menu, MenuPick};
use super::pick_bay::{PickBay, PickPurpose};
use super::{Cmd, Effect, Layer, Screen};
use crate::domain::gate::{ArrivalPlan, gate_findings, open_to_arrivals, plan_arrival};
use crate::domain::plate::Plate;
use crate::i18n::Msg;
use crate::i18n::words::word;
use crate::ops::{self, Op};
use crate::tui::keymap::{Action, Key, Mode};
use crate::tui::shared::Shared;

impl ArrivalForm {
    /// Where the arrival would go, asked of the very rule the arrival
    /// operation applies: `ops::plan` once the form is complete, the same
    /// `plan_arrival` on what has been measured before that.
    fn compute_plan(&self, sh: &Shared) -> ArrivalPlan {
        let (policy, layout) = (&sh.session.policy, &sh.layout);
        let is_free = open_to_arrivals(
            layout,
            |i: usize| sh.is_free(i),
            sh.waiting_for_isolation() > 0,
        );
        let positive_before = self.positive_before();
        match self.record() {
            Some(r) => ops::plan(policy, layout, is_free, &r, positive_before, self.picked),
            None => {
                let people = self.people();
                let findings = gate_findings(policy, &people, self.travel, positive_before);
                let priority = self.cargo.is_priority();
                plan_arrival(layout, is_free, findings, priority, self.picked)
            }
        }
    }

    /// The bay the plate typed stands in, if that truck is on site (it
    /// cannot arrive again): said on the plate's row and in the summary.
    pub(super) fn on_site(&self, sh: &Shared) -> Option<usize> {
        self.plate_value().ok().and_then(|p| sh.bay_of_plate(&p))
    }

    /// Whether the plate typed came back positive from its last stay, as
    /// far as the store has answered for it.
    fn positive_before(&self) -> bool {
        let plate = self.plate_value().ok();
        self.history
            .as_ref()
            .is_some_and(|(p, yes)| *yes && Some(p) == plate.as_ref())
    }

    /// Asks the store about a plate newly typed (`ops::positive_before`,
    /// through `Effect::PositiveBefore`), once per plate.
    fn ask_history(&mut self) -> Option<Cmd> {
        let plate = self.plate_value().ok()?;
        if self.asked.as_ref() == Some(&plate) {
            return None;
        }
        self.asked = Some(plate.clone());
        Some(Cmd::Effect(Effect::PositiveBefore(plate)))
    }

    /// The store's answer for `plate` (`App::positive_before_known`).
    pub fn history_known(&mut self, plate: Plate, positive_before: bool, sh: &Shared) {
        self.history = Some((plate, positive_before));
        self.sync(sh);
    }

    /// Keeps the plan, and the override field with it, in step with the
    /// form and the lot.
    fn sync(&mut self, sh: &Shared) {
        let plan = self.compute_plan(sh);
        self.needs_override = plan.against;
        if !plan.against && self.focus == Field::Override {
            self.focus = Field::Bay;
        }
        self.plan = Some(plan);
    }

    fn submit(&mut self, sh: &Shared) -> Vec<Cmd> {
        // A truck already on site: nothing to register, whatever else the
        // form lacks; said first, as the plate's line and the summary say.
        if let (Some(bay), Ok(plate)) = (self.on_site(sh), self.plate_value()) {
            self.focus = Field::Plate;
            // The operation's own refusal, word for word.
            let refusal = crate::ops::OpError::Refused(crate::ops::Refusal::AlreadyOnSite {
                plate,
                bay: sh.layout.bays[bay].id.to_string(),
            });
            return vec![Cmd::error(crate::i18n::refusal::text(
                sh.session.lang,
                &refusal,
            ))];
        }
        if let Some((field, err)) = self.first_problem() {
            let text = format!("{}: {}", field.label_text(sh.session.lang), err.text(sh));
            self.focus = field;
            return vec![Cmd::error(text)];
        }
        let (Some(record), Some(plan)) = (self.record(), self.plan.as_ref()) else {
            return Vec::new();
        };
        let Some(bay) = plan.bay else {
            return vec![Cmd::error(format!(
                "{} {}",
                sh.t(Msg::NoFreeBay),
                sh.t(word(plan.zone))
            ))];
        };
        // A suggestion is left to the operation, which asks the same rule
        // (and so also sends a flagged truck to the holding list); only a
        // bay picked on the map is named.
        vec![Cmd::run(Op::Arrive {
            arrival: record,
            bay: plan.picked.then(|| sh.layout.bays[bay].id.clone()),
            override_reason: self.override_text(),
        })]
    }
}

impl Layer for ArrivalForm {
    /// Which keys apply: the field in focus decides.
    fn mode(&self) -> Mode {
        match self.focus {
            Field::Code | Field::PCode(_) => Mode::FormCode,
            Field::Venue | Field::Travel | Field::Handoff => Mode::FormFlag,
            Field::Cargo => Mode::FormCargo,
            Field::Gate => Mode::FormGate,
            Field::Bay => Mode::FormBay,
            _ => Mode::Form,
        }
    }

    fn handle(&mut self, action: Action, key: Key, sh: &Shared) -> Vec<Cmd> {
        let mut out = Vec::new();
        // Its own key again: whatever was above it has gone.
        self.picking = false;
        match action {
            // Typed data is not thrown away on one key: ask, like Ctrl-C.
            Action::Back if self.is_dirty() => {
                return vec![Menu::yes_no(
                    Msg::DiscardFormTitle,
                    self.plate.text(),
                    (Msg::DiscardFormYes, MenuPick::DiscardForm),
                    Msg::DiscardFormNo,
                )];
            }
            Action::Back => return vec![Cmd::Pop],
            Action::Choose => {
                if !self.apply(action, key) {
                    return vec![Cmd::NotAKey(key)];
                }
            }
            Action::Edit(_)
            | Action::SetCode(_)
            | Action::SetCargo(_)
            | Action::SetFlag(_)
            | Action::ToggleFlag
            | Action::ChoiceNext
            | Action::ChoicePrev
            | Action::NextField
            | Action::PrevField => {
                if !self.apply(action, key) {
                    return out;
                }
            }
            Action::Confirm => return self.submit(sh),
            Action::PickOnMap => {
                if let Some(bay) = self.plan.as_ref().and_then(|p| p.bay) {
                    out.push(Cmd::Cursor(bay));
                }
                out.push(Cmd::Push(Screen::PickBay(PickBay {
                    purpose: PickPurpose::Arrival,
                    from_cursor: sh.cursor,
                })));
                self.picking = true;
                return out;
            }
            Action::AddPerson => {
                if !self.add_passenger() {
                    out.push(Cmd::error(sh.t(Msg::CabFull)));
                }
            }
            Action::RemovePerson => {
                if !self.remove_passenger() {
                    out.push(Cmd::error(sh.t(Msg::NoPassengerToRemove)));
                }
            }
            _ => return out,
        }
        self.sync(sh);
        out.extend(self.ask_history());
        out
    }

    fn insert(&mut self, c: char, sh: &Shared) -> Vec<Cmd> {
        self.picking = false;
        if self.insert_char(c) {
            self.sync(sh);
        }
        self.ask_history().into_iter().collect()
    }

    fn refresh(&mut self, sh: &Shared) {
        self.sync(sh);
    }

    fn picked(&mut self, bay: usize, sh: &Shared) {
        self.picking = false;
        self.picked = Some(bay);
        self.sync(sh);
    }

    fn marked_bay(&self) -> Option<usize> {
        self.plan.as_ref().and_then(|p| p.bay)
    }

    fn render(&self, sh: &Shared, f: &mut Frame, area: Rect, top: bool) {
        view::render(sh, self, f, area, top);
    }
}
