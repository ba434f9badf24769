//! The multi-step flows that start from a key on the map or a board: which
//! menu, prompt, bay pick or confirmation comes next, and what an operation's
//! result leads to (a toast, a proposal, an offer to force).

use super::app::{App, Effect};
use super::form::ArrivalForm;
use super::input::TextInput;
use super::keymap::Action;
use super::screens::*;
use crate::domain::bay::{BayId, Zone};
use crate::domain::event::{HandoffMode, ServiceKind, TestKind, TestResult};
use crate::domain::plate::Plate;
use crate::domain::policy::CheckFlag;
use crate::domain::stay::Status;
use crate::domain::text;
use crate::i18n::Msg;
use crate::ops::Op;

/// Where an arrival in the form would go, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct ArrivalPlan {
    /// The zone the checks decide.
    pub zone: Zone,
    pub flags: Vec<CheckFlag>,
    /// The bay the arrival takes: the picked one, or the suggestion.
    pub bay: Option<usize>,
    pub picked: bool,
    /// The chosen bay goes against the checks (an override reason is needed).
    pub against: bool,
}

fn option(key: char, label: Msg, pick: MenuPick) -> MenuOption {
    MenuOption { key, label, pick }
}

impl App {
    fn form(&self) -> Option<&ArrivalForm> {
        self.screens.iter().rev().find_map(|s| match s {
            Screen::Form(f) => Some(f),
            _ => None,
        })
    }

    fn form_mut(&mut self) -> Option<&mut ArrivalForm> {
        self.screens.iter_mut().rev().find_map(|s| match s {
            Screen::Form(f) => Some(f),
            _ => None,
        })
    }

    /// The plan for the arrival form, if one is open.
    pub fn arrival_plan(&self) -> Option<ArrivalPlan> {
        let f = self.form()?;
        let people = [crate::domain::policy::PersonCheck {
            temperature: f.temperature(),
            code: Some(f.code),
        }];
        let findings = self.session.policy.findings(&people, f.travel);
        let flags = crate::domain::policy::flags_of(&findings);
        let zone = if flags.is_empty() {
            Zone::Parking
        } else {
            Zone::Isolation
        };
        let bay = f
            .picked
            .or_else(|| self.suggest(zone, f.cargo.is_priority()));
        let against = f.picked.is_some_and(|b| {
            (self.layout.bays[b].zone == Zone::Isolation) != (zone == Zone::Isolation)
        });
        Some(ArrivalPlan {
            zone,
            flags,
            bay,
            picked: f.picked.is_some(),
            against,
        })
    }

    /// Keeps the form's override field in step with the plan.
    pub(super) fn sync_form(&mut self) {
        let Some(plan) = self.arrival_plan() else {
            return;
        };
        if let Some(f) = self.form_mut() {
            f.needs_override = plan.against;
            if !plan.against && f.focus == super::form::Field::Override {
                f.focus = super::form::Field::Bay;
            }
        }
    }

    pub(super) fn submit_form(&mut self) {
        let Some(f) = self.form() else { return };
        if let Some((field, err)) = f.first_problem() {
            let text = format!("{}: {}", self.t(field.label()), self.t(err.msg));
            if let Some(f) = self.form_mut() {
                f.focus = field;
            }
            self.toast(text, true);
            return;
        }
        let (Some(record), Some(plan)) = (f.record(), self.arrival_plan()) else {
            return;
        };
        let Some(bay) = plan.bay else {
            self.toast(
                format!("{} {}", self.t(Msg::NoFreeBay), self.t(zone_msg(plan.zone))),
                true,
            );
            return;
        };
        let op = Op::Arrive {
            arrival: record,
            bay: Some(self.layout.bays[bay].id.clone()),
            override_reason: f.override_text(),
        };
        self.push_effect(Effect::Run(op));
    }

    pub(super) fn pick_confirm(&mut self) {
        let Some(Screen::PickBay(p)) = self.screens.last().cloned() else {
            return;
        };
        let b = &self.snap.lot.bays[self.cursor];
        if b.occupant.is_some() || b.closed.is_some() {
            self.toast(self.t(Msg::PickFreeBay), true);
            return;
        }
        let target = self.cursor;
        self.screens.pop();
        match p.purpose {
            PickPurpose::Arrival => {
                self.set_cursor(p.from_cursor);
                if let Some(f) = self.form_mut() {
                    f.picked = Some(target);
                }
                self.sync_form();
            }
            PickPurpose::Move { plate } => {
                let to = self.layout.bays[target].id.clone();
                let from = self.layout.bays[p.from_cursor].id.clone();
                self.screens.push(Screen::Confirm(Confirm {
                    title: Msg::ConfirmMove,
                    lines: vec![format!("{plate}   {from} → {to}")],
                    op: Op::Move { plate, to },
                }));
            }
        }
    }

    /// Starts the flow for a truck or bay action from the map.
    pub(super) fn truck_action(&mut self, a: Action) {
        let bay = self.cursor_bay().clone();
        let view = &self.snap.lot.bays[self.cursor];
        match a {
            Action::Disinfect => {
                let zone = bay.zone();
                self.screens.push(Screen::Menu(Menu {
                    title: Msg::MenuDisinfect,
                    subject: bay.to_string(),
                    options: vec![
                        option('b', Msg::OptThisBay, MenuPick::DisinfectBay(bay)),
                        option('z', zone_msg(zone), MenuPick::DisinfectZone(zone)),
                    ],
                }));
                return;
            }
            Action::CloseOpen => {
                if view.closed.is_some() {
                    self.screens.push(Screen::Confirm(Confirm {
                        title: Msg::ConfirmOpen,
                        lines: vec![bay.to_string()],
                        op: Op::OpenBay { bay },
                    }));
                } else if view.occupant.is_some() {
                    self.toast(self.t(Msg::BayOccupiedCannotClose), true);
                } else {
                    self.prompt(
                        Msg::PromptCloseReason,
                        bay.to_string(),
                        true,
                        PromptNext::CloseBay(bay),
                    );
                }
                return;
            }
            _ => {}
        }
        let Some(o) = view.occupant.clone() else {
            if !matches!(a, Action::Jump | Action::Confirm) {
                self.toast(self.t(Msg::NoTruckHere), true);
            }
            return;
        };
        let plate = o.plate.clone();
        let subject = format!("{plate}  {bay}");
        match a {
            Action::Move => {
                let from_cursor = self.cursor;
                self.screens.push(Screen::PickBay(PickBay {
                    purpose: PickPurpose::Move { plate },
                    from_cursor,
                }));
            }
            Action::Depart => self.screens.push(Screen::Confirm(Confirm {
                title: Msg::ConfirmDepart,
                lines: vec![subject],
                op: Op::Depart {
                    plate,
                    force_reason: None,
                },
            })),
            Action::Sample | Action::Result => {
                // What is pending decides what can be asked, when the detail
                // is loaded (it is, for the bay under the cursor).
                let pending: Option<Vec<TestKind>> =
                    self.detail.as_ref().filter(|d| d.stay == o.stay).map(|d| {
                        d.samples
                            .iter()
                            .filter(|s| s.result.is_none())
                            .map(|s| s.test)
                            .collect()
                    });
                let sampling = a == Action::Sample;
                let tests: Vec<TestKind> = [TestKind::Antigen, TestKind::Pcr]
                    .into_iter()
                    .filter(|t| pending.as_ref().is_none_or(|p| p.contains(t) != sampling))
                    .collect();
                match tests.as_slice() {
                    [] => {
                        let why = if sampling {
                            Msg::AllSamplesPending
                        } else {
                            Msg::NoSampleWaiting
                        };
                        self.toast(self.t(why), true);
                    }
                    // One test waiting for its result: straight to the result.
                    [t] if !sampling => self.menu_pick(MenuPick::ResultFor(plate, *t)),
                    _ => {
                        let options = tests
                            .iter()
                            .map(|t| {
                                let key = if *t == TestKind::Antigen { 'a' } else { 'p' };
                                let pick = if sampling {
                                    MenuPick::Sample(plate.clone(), *t)
                                } else {
                                    MenuPick::ResultFor(plate.clone(), *t)
                                };
                                option(key, test_msg(*t), pick)
                            })
                            .collect();
                        let title = if sampling {
                            Msg::MenuSample
                        } else {
                            Msg::MenuResultTest
                        };
                        self.menu(title, subject, options);
                    }
                }
            }
            Action::Isolate => self.prompt(
                Msg::PromptIsolateReason,
                subject,
                true,
                PromptNext::Isolate(plate),
            ),
            Action::Release => self.prompt(
                Msg::PromptReleaseReason,
                subject,
                true,
                PromptNext::Release(plate),
            ),
            Action::Escalate => self.prompt(
                Msg::PromptEscalateNote,
                subject,
                true,
                PromptNext::Escalate(plate),
            ),
            Action::Handoff if o.status == Status::Handoff => {
                self.screens.push(Screen::Confirm(Confirm {
                    title: Msg::ConfirmHandoffDone,
                    lines: vec![subject],
                    op: Op::HandoffDone { plate },
                }))
            }
            Action::Handoff => self.menu(
                Msg::MenuHandoff,
                subject,
                vec![
                    option(
                        't',
                        Msg::HandoffTransfer,
                        MenuPick::HandoffMode(plate.clone(), HandoffMode::Transfer),
                    ),
                    option(
                        'e',
                        Msg::HandoffEscort,
                        MenuPick::HandoffMode(plate, HandoffMode::Escort),
                    ),
                ],
            ),
            Action::Service => self.menu(
                Msg::MenuService,
                subject,
                vec![
                    option(
                        'm',
                        Msg::ServiceMeal,
                        MenuPick::Service(plate.clone(), ServiceKind::Meal),
                    ),
                    option(
                        'w',
                        Msg::ServiceWater,
                        MenuPick::Service(plate.clone(), ServiceKind::Water),
                    ),
                    option(
                        'e',
                        Msg::ServiceMedical,
                        MenuPick::Service(plate.clone(), ServiceKind::Medical),
                    ),
                    option('d', Msg::ServiceDone, MenuPick::ServiceDone(plate)),
                ],
            ),
            _ => {}
        }
    }

    fn menu(&mut self, title: Msg, subject: String, options: Vec<MenuOption>) {
        self.screens.push(Screen::Menu(Menu {
            title,
            subject,
            options,
        }));
    }

    pub(super) fn prompt(&mut self, title: Msg, subject: String, required: bool, next: PromptNext) {
        self.screens.push(Screen::Prompt(Prompt {
            title,
            subject,
            input: TextInput::default(),
            required,
            next,
        }));
    }

    pub(super) fn confirm(&mut self, title: Msg, lines: Vec<String>, op: Op) {
        self.screens
            .push(Screen::Confirm(Confirm { title, lines, op }));
    }

    fn run(&mut self, op: Op) {
        self.push_effect(Effect::Run(op));
    }

    pub(super) fn menu_pick(&mut self, pick: MenuPick) {
        match pick {
            MenuPick::Sample(plate, test) => self.run(Op::Sample {
                plate,
                test,
                tube: None,
                batch: None,
            }),
            MenuPick::ResultFor(plate, test) => self.menu(
                Msg::MenuResult,
                format!("{plate}  {}", self.t(test_msg(test))),
                vec![
                    option(
                        'n',
                        Msg::ResultNegative,
                        MenuPick::Result(plate.clone(), test, TestResult::Negative),
                    ),
                    option(
                        'p',
                        Msg::ResultPositive,
                        MenuPick::Result(plate.clone(), test, TestResult::Positive),
                    ),
                    option(
                        'i',
                        Msg::ResultInvalid,
                        MenuPick::Result(plate, test, TestResult::Invalid),
                    ),
                ],
            ),
            MenuPick::Result(plate, test, result) => self.run(Op::Result {
                plate,
                test,
                result,
            }),
            MenuPick::Service(plate, service) => self.run(Op::ServiceRequest { plate, service }),
            MenuPick::ServiceDone(plate) => self.run(Op::ServiceDone {
                plate,
                service: None,
            }),
            MenuPick::HandoffMode(plate, mode) => self.prompt(
                Msg::PromptCounterpart,
                plate.to_string(),
                false,
                PromptNext::HandoffCounterpart { plate, mode },
            ),
            MenuPick::DisinfectBay(bay) => self.run(Op::Disinfect {
                target: crate::domain::event::Target::Bay(bay),
            }),
            MenuPick::DisinfectZone(zone) => self.run(Op::Disinfect {
                target: crate::domain::event::Target::Zone(zone),
            }),
            MenuPick::QuitDiscard => {
                self.quit = true;
                self.push_effect(Effect::Quit);
            }
            MenuPick::Stay => {}
        }
    }

    pub(super) fn prompt_confirm(&mut self) {
        let Some(Screen::Prompt(p)) = self.screens.last().cloned() else {
            return;
        };
        let value = match text::clean("reason", &p.input.text(), p.required) {
            Ok(v) => v,
            Err(e) => {
                let msg = match e {
                    text::TextError::Empty { .. } => Msg::ErrRequired,
                    text::TextError::TooLong { .. } => Msg::ErrTooLong,
                    text::TextError::Control { .. } => Msg::ErrControl,
                };
                self.toast(self.t(msg), true);
                return;
            }
        };
        self.screens.pop();
        let bay_of = |app: &App, zone: Zone, plate: &Plate| {
            let priority = app
                .snap
                .lot
                .bays
                .iter()
                .filter_map(|b| b.occupant.as_ref())
                .find(|o| &o.plate == plate)
                .is_some_and(|o| o.cargo.is_priority());
            app.suggest(zone, priority)
                .map(|i| app.layout.bays[i].id.clone())
        };
        match p.next {
            PromptNext::ForceDepart(plate) => self.confirm(
                Msg::ConfirmForceDepart,
                vec![p.subject, value.clone()],
                Op::Depart {
                    plate,
                    force_reason: Some(value),
                },
            ),
            PromptNext::Isolate(plate) => {
                let bay = bay_of(self, Zone::Isolation, &plate);
                let to = bay_text(bay.as_ref());
                self.confirm(
                    Msg::ConfirmIsolate,
                    vec![format!("{}  → {to}", p.subject), value.clone()],
                    Op::Isolate {
                        plate,
                        reason: value,
                        bay,
                    },
                )
            }
            PromptNext::Release(plate) => {
                let bay = bay_of(self, Zone::Parking, &plate);
                let to = bay_text(bay.as_ref());
                self.confirm(
                    Msg::ConfirmRelease,
                    vec![format!("{}  → {to}", p.subject), value.clone()],
                    Op::Release {
                        plate,
                        reason: value,
                        by: self.session.operator.clone(),
                        bay,
                    },
                )
            }
            PromptNext::Escalate(plate) => self.run(Op::Escalate { plate, note: value }),
            PromptNext::CloseBay(bay) => self.run(Op::CloseBay { bay, reason: value }),
            PromptNext::HandoffCounterpart { plate, mode } => {
                let bay = bay_of(self, Zone::Handoff, &plate);
                let to = bay_text(bay.as_ref());
                self.confirm(
                    Msg::ConfirmHandoff,
                    vec![
                        format!("{plate}  → {to}"),
                        format!("{}  {value}", self.t(mode_msg(mode))),
                    ],
                    Op::HandoffStart {
                        plate,
                        mode,
                        receiver: None,
                        company: None,
                        escort: (!value.is_empty()).then_some(value),
                        by: None,
                        bay,
                    },
                )
            }
        }
    }
}

/// A bay for a confirmation line, or a dash when none is free.
pub(super) fn bay_text(bay: Option<&BayId>) -> String {
    bay.map_or_else(|| "—".to_string(), |b| b.to_string())
}

pub(super) fn zone_msg(z: Zone) -> Msg {
    match z {
        Zone::Work => Msg::ZoneWork,
        Zone::Living => Msg::ZoneLiving,
        Zone::Parking => Msg::ZoneParking,
        Zone::Isolation => Msg::ZoneIsolation,
        Zone::Handoff => Msg::ZoneHandoff,
    }
}

pub(super) fn result_msg(r: TestResult) -> Msg {
    match r {
        TestResult::Negative => Msg::ResultNegative,
        TestResult::Positive => Msg::ResultPositive,
        TestResult::Invalid => Msg::ResultInvalid,
    }
}

pub(super) fn mode_msg(m: HandoffMode) -> Msg {
    match m {
        HandoffMode::Transfer => Msg::HandoffTransfer,
        HandoffMode::Escort => Msg::HandoffEscort,
    }
}

pub(super) fn service_msg(s: ServiceKind) -> Msg {
    match s {
        ServiceKind::Meal => Msg::ServiceMeal,
        ServiceKind::Water => Msg::ServiceWater,
        ServiceKind::Medical => Msg::ServiceMedical,
    }
}

pub(super) fn test_msg(t: TestKind) -> Msg {
    match t {
        TestKind::Antigen => Msg::TestAntigen,
        TestKind::Pcr => Msg::TestPcr,
    }
}
