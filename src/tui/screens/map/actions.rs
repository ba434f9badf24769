//! The flows that start from a key on the map, for the truck or bay under
//! the cursor: which menu, prompt, bay pick or confirmation comes first.
//! What the rules allow (which tests can be sampled, whether a handoff is
//! under isolation) is asked of `ops::stay_state` through
//! `Effect::LoadStay`, then decided here by `domain::stay`; whether a truck
//! can be escalated, of `ops::escalation_check` (the operation's own
//! check) through `Effect::EscalationCheck`.

use super::super::confirm::Confirm;
use super::super::menu::{self, Menu, MenuOption, MenuPick, option};
use super::super::pick_bay::{PickBay, PickPurpose};
use super::super::prompt::{Prompt, PromptNext};
use super::super::{Cmd, Effect, Screen};
use crate::domain::event::{HandoffMode, ServiceKind, TestKind};
use crate::domain::plate::Plate;
use crate::domain::stay::{self, Status, StayState};
use crate::i18n::Msg;
use crate::i18n::words::word;
use crate::ops::{Op, OpError, Refusal};
use crate::tui::keymap::Action;
use crate::tui::shared::Shared;

/// Starts the flow for a truck or bay action from the map.
pub fn truck_action(sh: &Shared, a: Action) -> Vec<Cmd> {
    let bay = sh.cursor_bay().clone();
    let view = &sh.snap.lot.bays[sh.cursor];
    match a {
        Action::Disinfect => {
            let zone = bay.zone();
            return vec![Menu::push(
                Msg::MenuDisinfect,
                bay.to_string(),
                vec![
                    option('b', Msg::OptThisBay, MenuPick::DisinfectBay(bay)),
                    option('z', word(zone), MenuPick::DisinfectZone(zone)),
                ],
            )];
        }
        Action::CloseOpen => {
            return vec![if view.closed.is_some() {
                Confirm::push(Msg::ConfirmOpen, vec![bay.to_string()], Op::OpenBay { bay })
            } else if view.occupant.is_some() {
                Cmd::error(sh.t(Msg::BayOccupiedCannotClose))
            } else {
                Prompt::push(
                    Msg::PromptCloseReason,
                    bay.to_string(),
                    true,
                    PromptNext::CloseBay(bay),
                )
            }];
        }
        _ => {}
    }
    let Some(o) = view.occupant.as_ref() else {
        if !matches!(a, Action::Jump | Action::Confirm) {
            return vec![Cmd::error(sh.t(Msg::NoTruckHere))];
        }
        return Vec::new();
    };
    let plate = o.plate.clone();
    let subject = format!("{plate}  {bay}");
    let cmd = match a {
        Action::Move => Cmd::Push(Screen::PickBay(PickBay {
            purpose: PickPurpose::Move { plate },
            from_cursor: sh.cursor,
        })),
        // What stands in the way is asked of the store first, so the
        // confirmation can show it before anything is tried.
        Action::Depart => Cmd::Effect(Effect::DepartureCheck(plate)),
        Action::Correct => {
            use crate::domain::event::Field;
            let options = [
                ('p', Field::Plate),
                ('n', Field::Driver),
                ('h', Field::Phone),
                ('c', Field::Cargo),
                ('o', Field::Origin),
                ('d', Field::Destination),
            ]
            .into_iter()
            .map(|(key, f)| {
                menu::option(
                    key,
                    menu::field_msg(f),
                    MenuPick::CorrectField(plate.clone(), f),
                )
            })
            .collect();
            Menu::push(Msg::MenuCorrect, subject, options)
        }
        Action::Recheck => {
            let people: Vec<(u8, Option<String>)> = sh
                .detail_of(o.stay)
                .map(|d| {
                    d.people
                        .iter()
                        .map(|p| (p.person, p.name.clone()))
                        .collect()
                })
                .unwrap_or_default();
            if people.len() <= 1 {
                return menu::pick(sh, MenuPick::RecheckPerson(plate, 0));
            }
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
            Menu::push(Msg::MenuRecheck, subject, options)
        }
        // Which tests, and whether under isolation: the rules decide, on the
        // stay as the store has it.
        Action::Sample | Action::Result => Cmd::Effect(Effect::LoadStay { plate, action: a }),
        Action::Isolate => Prompt::push(
            Msg::PromptIsolateReason,
            subject,
            true,
            PromptNext::Isolate(plate),
        ),
        // A positive result that stands forbids a release: asked of the
        // rules first, so the operator is told before typing a reason.
        Action::Release => Cmd::Effect(Effect::LoadStay { plate, action: a }),
        // Whether it can be escalated is asked of the rules first, so a
        // refusal comes before the note is typed.
        Action::Escalate => Cmd::Effect(Effect::EscalationCheck(plate)),
        Action::Handoff => match handoff_step(sh, o) {
            Some(HandoffStep::MarkDone) => Confirm::push(
                Msg::ConfirmHandoffDone,
                vec![subject],
                Op::HandoffDone { plate },
            ),
            Some(HandoffStep::ConfirmArrival) => Confirm::push(
                Msg::ConfirmHandoffArrived,
                vec![subject],
                Op::HandoffConfirm { plate },
            ),
            Some(HandoffStep::Confirmed) => {
                Cmd::Toast(sh.t(Msg::HandoffAlreadyConfirmed).to_string(), false)
            }
            None => Cmd::Effect(Effect::LoadStay { plate, action: a }),
        },
        Action::Service => Cmd::Effect(Effect::LoadStay { plate, action: a }),
        _ => return Vec::new(),
    };
    vec![cmd]
}

/// The rest of a sample, result, release or handoff flow, once
/// `ops::stay_state` has answered for `plate`.
pub fn with_state(
    sh: &Shared,
    action: Action,
    plate: &Plate,
    state: Result<Option<StayState>, OpError>,
) -> Vec<Cmd> {
    let state = match state {
        Ok(Some(s)) => s,
        Ok(None) => {
            let e = OpError::Refused(Refusal::NotOnSite(plate.clone()));
            return vec![Cmd::error(crate::i18n::refusal::text(sh.session.lang, &e))];
        }
        Err(e) => return vec![Cmd::error(crate::i18n::refusal::text(sh.session.lang, &e))],
    };
    let bay = state
        .bay
        .as_ref()
        .map(|b| b.to_string())
        .unwrap_or_default();
    let subject = format!("{plate}  {bay}");
    let plate = plate.clone();
    let cmd = match action {
        Action::Sample | Action::Result => {
            let sampling = action == Action::Sample;
            let rule = |t| {
                if sampling {
                    stay::Action::Sample(t)
                } else {
                    stay::Action::Result(t)
                }
            };
            let tests: Vec<TestKind> = [TestKind::Antigen, TestKind::Pcr]
                .into_iter()
                .filter(|t| stay::check(&state, rule(*t)).is_ok())
                .collect();
            match tests.as_slice() {
                [] => Cmd::error(sh.t(if sampling {
                    Msg::AllSamplesPending
                } else {
                    Msg::NoSampleWaiting
                })),
                // One test waiting for its result: straight to the result.
                [t] if !sampling => return menu::pick(sh, MenuPick::ResultFor(plate, *t)),
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
                    Menu::push(title, subject, options)
                }
            }
        }
        Action::Release => match stay::check(&state, stay::Action::Release) {
            Ok(()) => Prompt::push(
                Msg::PromptReleaseReason,
                subject,
                true,
                PromptNext::Release(plate),
            ),
            Err(rule) => Cmd::error(crate::i18n::refusal::text(
                sh.session.lang,
                &OpError::Refused(Refusal::Rule(rule)),
            )),
        },
        Action::Handoff => {
            let under = state.under_isolation();
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
            Menu::push(title, subject, options)
        }
        Action::Service => service_menu(sh, subject, plate, state.open_kinds()),
        _ => return Vec::new(),
    };
    vec![cmd]
}

/// A call for a meal, water or a doctor, or one of the calls open now
/// marked done, by its kind: closing the oldest (the command line's default)
/// could close a medical call when the meal was delivered, and an open
/// medical call is what holds a truck at the gate.
fn service_menu(sh: &Shared, subject: String, plate: Plate, kinds: Vec<ServiceKind>) -> Cmd {
    let mut options: Vec<MenuOption> = ServiceKind::ALL
        .iter()
        .copied()
        .map(|k| option(service_key(k), word(k), MenuPick::Service(plate.clone(), k)))
        .collect();
    match kinds.as_slice() {
        [] => {}
        [k] => options.push(MenuOption {
            detail: sh.t(word(*k)).to_string(),
            ..option('d', Msg::ServiceDoneOf, MenuPick::ServiceDone(plate, *k))
        }),
        _ => options.push(option(
            'd',
            Msg::ServiceDoneWhich,
            MenuPick::ServiceDoneWhich(plate, kinds),
        )),
    }
    Menu::push(Msg::MenuService, subject, options)
}

/// The key that names a kind of call in the service menus.
pub fn service_key(k: ServiceKind) -> char {
    match k {
        ServiceKind::Meal => 'm',
        ServiceKind::Water => 'w',
        ServiceKind::Medical => 'e',
    }
}

/// The note prompt for an escalation `ops::escalation_check` allowed, or
/// its refusal. The stay may have left (a positive result that came back
/// after it did): it is named so.
pub fn escalation_checked(sh: &Shared, plate: &Plate, result: Result<StayState, OpError>) -> Cmd {
    match result {
        Ok(stay) => {
            let bay = match (&stay.bay, stay.status) {
                (Some(b), s) if s != Status::Departed => b.to_string(),
                // The report is of a stay that left; the truck may be back
                // (the report stays owed): where it is now, and which.
                _ => match sh.bay_id_of_plate(plate) {
                    Some(b) => format!("{b} · {}", sh.t(Msg::ItsLastStay)),
                    None => sh.t(Msg::LeftTheLot).to_string(),
                },
            };
            Prompt::push(
                Msg::PromptEscalateNote,
                format!("{plate}  {bay}"),
                true,
                PromptNext::Escalate(plate.clone()),
            )
        }
        Err(e) => Cmd::error(crate::i18n::refusal::text(sh.session.lang, &e)),
    }
}

/// Where a truck's handoff stands once started: what `p` does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum HandoffStep {
    /// Under way: mark it done.
    MarkDone,
    /// Done: confirm its arrival at the destination.
    ConfirmArrival,
    /// Done and confirmed: nothing left.
    Confirmed,
}

/// The step `p` takes for the truck `o`; `None` before a handoff starts
/// (then `p` starts one). Asked by the key and by the panel's key hint.
pub(super) fn handoff_step(sh: &Shared, o: &crate::store::Occupant) -> Option<HandoffStep> {
    match o.status {
        Status::Handoff => Some(HandoffStep::MarkDone),
        Status::HandoffDone
            if sh
                .detail_of(o.stay)
                .is_some_and(|d| d.handoff_confirmed_at.is_some()) =>
        {
            Some(HandoffStep::Confirmed)
        }
        Status::HandoffDone => Some(HandoffStep::ConfirmArrival),
        _ => None,
    }
}
