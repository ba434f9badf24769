//! The multi-step flows that start from a key on the map or a board: which
//! menu, prompt, bay pick or confirmation comes next, and what an operation's
//! result leads to (a toast, a proposal, an offer to force).
//!
//! (Over 400 lines: every multi-step flow is here until each prompt/menu/confirm screen owns its own `handle`.)

use super::app::{App, Effect};
use super::form::ArrivalForm;
use super::input::TextInput;
use super::keymap::Action;
use super::screens::*;
use crate::domain::bay::{BayId, Zone};
use crate::domain::clocks::ClockKind;
use crate::domain::event::{HandoffMode, ServiceKind, TestKind, TestResult};
use crate::domain::gate::{ArrivalPlan, plan_arrival};
use crate::domain::plate::Plate;
use crate::domain::policy::{Finding, HealthCode, Temperature};
use crate::domain::stay::{Blocker, Status, standing_positive};
use crate::domain::text;
use crate::i18n::Msg;
use crate::i18n::words::word;
use crate::ops::{self, Op, OpError};
use crate::store::Occupant;

fn option(key: char, label: Msg, pick: MenuPick) -> MenuOption {
    MenuOption {
        key,
        label,
        detail: String::new(),
        pick,
    }
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

    /// The plan for the arrival form, if one is open (kept by `sync_form`).
    pub fn arrival_plan(&self) -> Option<&ArrivalPlan> {
        self.plan.as_ref()
    }

    /// Where the form's arrival would go, asked of the very rule the
    /// arrival operation applies: `ops::plan` once the form is complete,
    /// the same `plan_arrival` on what has been measured before that.
    fn compute_plan(&self) -> Option<ArrivalPlan> {
        let f = self.form()?;
        let (policy, layout) = (&self.session.policy, &self.layout);
        let is_free = |i: usize| self.is_free(i);
        Some(match f.record() {
            Some(r) => ops::plan(policy, layout, is_free, &r, f.picked),
            None => plan_arrival(
                policy,
                layout,
                is_free,
                &f.people(),
                f.travel,
                f.cargo.is_priority(),
                f.picked,
            ),
        })
    }

    /// Keeps the form's override field in step with the plan.
    pub(super) fn sync_form(&mut self) {
        self.plan = self.compute_plan();
        let Some(plan) = self.plan.clone() else {
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
            let text = format!(
                "{}: {}",
                field.label_text(self.session.lang),
                self.t(err.msg)
            );
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
                format!("{} {}", self.t(Msg::NoFreeBay), self.t(word(plan.zone))),
                true,
            );
            return;
        };
        // A suggestion is left to the operation, which asks the same rule
        // (and so also sends a flagged truck to the holding list); only a
        // bay picked on the map is named.
        let op = Op::Arrive {
            arrival: record,
            bay: plan.picked.then(|| self.layout.bays[bay].id.clone()),
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
                self.confirm(
                    Msg::ConfirmMove,
                    vec![format!("{plate}   {from} → {to}")],
                    Op::Move { plate, to },
                );
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
                        option('z', word(zone), MenuPick::DisinfectZone(zone)),
                    ],
                }));
                return;
            }
            Action::CloseOpen => {
                if view.closed.is_some() {
                    self.confirm(Msg::ConfirmOpen, vec![bay.to_string()], Op::OpenBay { bay });
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
            // What stands in the way is asked of the store first, so the
            // confirmation can show it before anything is tried.
            Action::Depart => self.push_effect(Effect::DepartureCheck(plate)),
            Action::Recheck => {
                let people: Vec<(u8, Option<String>)> = self
                    .detail
                    .as_ref()
                    .filter(|d| d.stay == o.stay)
                    .map(|d| {
                        d.people
                            .iter()
                            .map(|p| (p.person, p.name.clone()))
                            .collect()
                    })
                    .unwrap_or_default();
                if people.len() <= 1 {
                    self.menu_pick(MenuPick::RecheckPerson(plate, 0));
                } else {
                    let options = people
                        .into_iter()
                        .map(|(n, name)| MenuOption {
                            key: if n == 0 { 'd' } else { char::from(b'0' + n) },
                            label: if n == 0 {
                                Msg::PersonDriver
                            } else {
                                Msg::PersonPassengerN
                            },
                            detail: match (n, name) {
                                (0, None) => String::new(),
                                (0, Some(name)) => format!(" {name}"),
                                (n, name) => format!(" {n} {}", name.unwrap_or_default()),
                            },
                            pick: MenuPick::RecheckPerson(plate.clone(), n),
                        })
                        .collect();
                    self.menu(Msg::MenuRecheck, subject, options);
                }
            }
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
                                option(key, word(*t), pick)
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
            Action::Handoff if o.status == Status::Handoff => self.confirm(
                Msg::ConfirmHandoffDone,
                vec![subject],
                Op::HandoffDone { plate },
            ),
            Action::Handoff if o.status == Status::HandoffDone => {
                let confirmed = self
                    .detail
                    .as_ref()
                    .filter(|d| d.stay == o.stay)
                    .is_some_and(|d| d.handoff_confirmed_at.is_some());
                if confirmed {
                    self.toast(self.t(Msg::HandoffAlreadyConfirmed), false);
                } else {
                    self.confirm(
                        Msg::ConfirmHandoffArrived,
                        vec![subject],
                        Op::HandoffConfirm { plate },
                    )
                }
            }
            Action::Handoff => {
                let under = self.under_isolation(&o);
                let mut options = Vec::new();
                if !under {
                    options.push(option(
                        't',
                        Msg::HandoffTransfer,
                        MenuPick::HandoffMode(plate.clone(), HandoffMode::Transfer, false),
                    ));
                }
                options.push(option(
                    'e',
                    Msg::HandoffEscort,
                    MenuPick::HandoffMode(plate, HandoffMode::Escort, under),
                ));
                let title = if under {
                    Msg::MenuHandoffUnderIsolation
                } else {
                    Msg::MenuHandoff
                };
                self.menu(title, subject, options);
            }
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
        self.screens.push(Screen::Confirm(Confirm {
            title,
            lines,
            warnings: Vec::new(),
            then: Then::Run(op),
        }));
    }

    /// Under the isolation zone's authority: isolated, waiting for a bay, or
    /// a positive result that stands (from the loaded detail; without it,
    /// any positive on record counts, so nothing is offered that `ops`
    /// would refuse).
    pub(super) fn under_isolation(&self, o: &Occupant) -> bool {
        if matches!(o.status, Status::Isolated | Status::Holding) {
            return true;
        }
        match self.detail.as_ref().filter(|d| d.stay == o.stay) {
            Some(d) => {
                let mut results: Vec<_> = d
                    .samples
                    .iter()
                    .filter_map(|s| Some((s.result_at?, s.test, s.result?)))
                    .collect();
                results.sort_by_key(|r| r.0);
                let results: Vec<_> = results.into_iter().map(|(_, t, r)| (t, r)).collect();
                standing_positive(&results).is_some()
            }
            None => o.positive,
        }
    }

    /// The store's answer to "what stands between this truck and the gate
    /// out": the departure confirmation, with the blockers up front.
    pub fn departure_checked(&mut self, plate: &Plate, result: Result<Vec<Blocker>, OpError>) {
        let blockers = match result {
            Ok(b) => b,
            Err(e) => {
                self.toast(crate::i18n::refusal::text(self.session.lang, &e), true);
                return;
            }
        };
        let bay = self
            .bay_of_plate(plate)
            .map(|b| self.layout.bays[b].id.to_string())
            .unwrap_or_default();
        let subject = format!("{plate}  {bay}");
        let lang = self.session.lang;
        let warnings: Vec<String> = blockers
            .iter()
            .map(|b| format!("✗ {}", crate::i18n::refusal::blocker_text(lang, b)))
            .collect();
        let (title, lines, then) = if blockers.is_empty() {
            (
                Msg::ConfirmDepart,
                vec![subject],
                Then::Run(Op::Depart {
                    plate: plate.clone(),
                    force_reason: None,
                }),
            )
        } else if blockers.iter().all(|b| b.forceable()) {
            (
                Msg::ConfirmDepartBlocked,
                vec![subject.clone(), self.t(Msg::DepartForceHint).to_string()],
                Then::Prompt {
                    title: Msg::PromptForceReason,
                    subject,
                    next: PromptNext::ForceDepart(plate.clone()),
                },
            )
        } else {
            (
                Msg::DepartNever,
                vec![subject, self.t(Msg::DepartEscortOnly).to_string()],
                Then::Close,
            )
        };
        self.screens.push(Screen::Confirm(Confirm {
            title,
            lines,
            warnings,
            then,
        }));
    }

    /// `a` on the clocks board: the selected finished handoff arrived.
    pub(super) fn confirm_handoff_from_clocks(&mut self) {
        let Some(Screen::Clocks(b)) = self.screens.last() else {
            return;
        };
        let clock = self.clocks.get(b.selected);
        match clock.and_then(|c| match (&c.kind, &c.truck) {
            (ClockKind::HandoffConfirm { mode }, Some(t)) => Some((*mode, t.clone())),
            _ => None,
        }) {
            Some((mode, t)) => {
                let bay = t
                    .bay
                    .as_ref()
                    .map(|b| b.to_string())
                    .unwrap_or_else(|| self.t(Msg::LeftTheLot).to_string());
                self.confirm(
                    Msg::ConfirmHandoffArrived,
                    vec![
                        format!("{}  {bay}", t.plate),
                        self.t(word(mode)).to_string(),
                    ],
                    Op::HandoffConfirm { plate: t.plate },
                );
            }
            None => self.toast(self.t(Msg::SelectHandoffToConfirm), true),
        }
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
                format!("{plate}  {}", self.t(word(test))),
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
            MenuPick::HandoffMode(plate, HandoffMode::Transfer, _) => self.prompt(
                Msg::PromptReceiver,
                plate.to_string(),
                true,
                PromptNext::HandoffReceiver(plate),
            ),
            MenuPick::HandoffMode(plate, HandoffMode::Escort, under_isolation) => self.prompt(
                Msg::PromptEscort,
                plate.to_string(),
                true,
                PromptNext::HandoffEscort {
                    plate,
                    under_isolation,
                },
            ),
            MenuPick::RecheckPerson(plate, person) => {
                let name = self
                    .detail
                    .as_ref()
                    .and_then(|d| d.people.iter().find(|p| p.person == person))
                    .and_then(|p| p.name.clone());
                let who = person_text(self, person, name.as_deref());
                self.prompt(
                    Msg::PromptRecheckTemp,
                    format!("{plate}  {who}"),
                    true,
                    PromptNext::RecheckTemp { plate, person },
                )
            }
            MenuPick::RecheckCode(plate, person, temperature, code) => self.run(Op::Recheck {
                plate,
                person,
                temperature,
                code,
            }),
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
            MenuPick::DiscardForm => {
                self.screens
                    .retain(|s| !matches!(s, Screen::Form(_) | Screen::PickBay(_)));
                self.sync_form();
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
        // Values that must parse are checked before the prompt closes, so a
        // typo is corrected in place.
        let receiver = match &p.next {
            PromptNext::HandoffReceiver(own) => match Plate::parse(&value) {
                Ok(r) if &r == own => {
                    self.toast(self.t(Msg::ReceiverIsItself), true);
                    return;
                }
                Ok(r) => Some(r),
                Err(e) => {
                    let msg = super::form::plate_msg(&e);
                    self.toast(
                        format!("{}: {}", self.t(Msg::FieldPlate), self.t(msg)),
                        true,
                    );
                    return;
                }
            },
            _ => None,
        };
        let temperature = match &p.next {
            PromptNext::RecheckTemp { .. } => {
                match super::form::temp_problem(&TextInput::new(&value)) {
                    Some(msg) => {
                        self.toast(self.t(msg), true);
                        return;
                    }
                    None => Temperature::parse(&value).ok(),
                }
            }
            _ => None,
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
        let labelled = |app: &App, m: Msg, v: &str| format!("{}: {v}", app.t(m));
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
            PromptNext::Release(plate) => self.prompt(
                Msg::PromptReleaseBy,
                p.subject,
                true,
                PromptNext::ReleaseBy {
                    plate,
                    reason: value,
                },
            ),
            PromptNext::ReleaseBy { plate, reason } => {
                let bay = bay_of(self, Zone::Parking, &plate);
                let to = bay_text(bay.as_ref());
                self.confirm(
                    Msg::ConfirmRelease,
                    vec![
                        format!("{}  → {to}", p.subject),
                        labelled(self, Msg::Reason, &reason),
                        labelled(self, Msg::DecidedBy, &value),
                    ],
                    Op::Release {
                        plate,
                        reason,
                        by: value,
                        bay,
                    },
                )
            }
            PromptNext::Escalate(plate) => self.run(Op::Escalate { plate, note: value }),
            PromptNext::CloseBay(bay) => self.run(Op::CloseBay { bay, reason: value }),
            PromptNext::HandoffReceiver(plate) => {
                let Some(receiver) = receiver else { return };
                self.prompt(
                    Msg::PromptCompany,
                    format!("{plate}  → {receiver}"),
                    true,
                    PromptNext::HandoffCompany { plate, receiver },
                )
            }
            PromptNext::HandoffCompany { plate, receiver } => {
                let bay = bay_of(self, Zone::Handoff, &plate);
                let to = bay_text(bay.as_ref());
                self.confirm(
                    Msg::ConfirmHandoff,
                    vec![
                        format!("{plate}  → {to}"),
                        format!(
                            "{}: {receiver}  {value}",
                            self.t(word(HandoffMode::Transfer))
                        ),
                    ],
                    Op::HandoffStart {
                        plate,
                        mode: HandoffMode::Transfer,
                        receiver: Some(receiver),
                        company: Some(value),
                        escort: None,
                        by: None,
                        bay,
                    },
                )
            }
            PromptNext::HandoffEscort {
                plate,
                under_isolation,
            } => {
                let title = if under_isolation {
                    Msg::PromptAuthorisedByRequired
                } else {
                    Msg::PromptAuthorisedBy
                };
                self.prompt(
                    title,
                    format!("{plate}  {value}"),
                    under_isolation,
                    PromptNext::HandoffBy {
                        plate,
                        escort: value,
                        under_isolation,
                    },
                )
            }
            PromptNext::HandoffBy { plate, escort, .. } => {
                let bay = bay_of(self, Zone::Handoff, &plate);
                let to = bay_text(bay.as_ref());
                let by = (!value.is_empty()).then_some(value);
                let mut lines = vec![
                    format!("{plate}  → {to}"),
                    format!("{}: {escort}", self.t(word(HandoffMode::Escort))),
                ];
                if let Some(by) = &by {
                    lines.push(labelled(self, Msg::AuthorisedBy, by));
                }
                self.confirm(
                    Msg::ConfirmHandoff,
                    lines,
                    Op::HandoffStart {
                        plate,
                        mode: HandoffMode::Escort,
                        receiver: None,
                        company: None,
                        escort: Some(escort),
                        by,
                        bay,
                    },
                )
            }
            PromptNext::RecheckTemp { plate, person } => {
                let Some(t) = temperature else { return };
                let subject = format!("{}  {t}", p.subject);
                let options = [
                    ('g', Msg::CodeGreen, HealthCode::Green),
                    ('y', Msg::CodeYellow, HealthCode::Yellow),
                    ('r', Msg::CodeRed, HealthCode::Red),
                ]
                .into_iter()
                .map(|(k, m, c)| option(k, m, MenuPick::RecheckCode(plate.clone(), person, t, c)))
                .collect();
                self.menu(Msg::MenuRecheckCode, subject, options);
            }
        }
    }
}

/// Who person `n` in the cab is, in the interface language.
pub(super) fn person_text(app: &App, n: u8, name: Option<&str>) -> String {
    crate::i18n::words::person_in(app.session.lang, n, name)
}

/// The checks' findings naming who was flagged, in the interface language.
pub(super) fn findings_text(
    app: &App,
    findings: &[Finding],
    name: impl Fn(u8) -> Option<String>,
) -> String {
    crate::i18n::words::findings_in(app.session.lang, findings, name)
}

/// A bay for a confirmation line, or a dash when none is free.
pub(super) fn bay_text(bay: Option<&BayId>) -> String {
    bay.map_or_else(|| "—".to_string(), |b| b.to_string())
}
