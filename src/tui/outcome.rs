//! What an operation's result does to the screen: a toast naming the plate
//! and bay, the cursor following the truck, the next step a result proposes,
//! the offer to force a refused departure with a reason, and another bay
//! offered when the one confirmed was taken meanwhile.

use super::screens::{Cmd, Confirm, Planned, Prompt, PromptNext};
use super::shared::Shared;
use super::view::{bay_text, person_text};
use crate::domain::event::Event;
use crate::i18n::Msg;
use crate::i18n::words::word;
use crate::ops::{Note, Op, OpError, Outcome, Proposal, Refusal};

/// What an operation's result does to the screen.
/// `promised`: the bay an arrival's form showed as its suggestion when it
/// was sent.
pub fn op_done(
    sh: &Shared,
    op: &Op,
    result: Result<Outcome, OpError>,
    promised: Option<usize>,
) -> Vec<Cmd> {
    let mut out = Vec::new();
    match result {
        Ok(done) => {
            if matches!(op, Op::Arrive { .. }) {
                out.push(Cmd::CloseForm);
            }
            let plate = done
                .plate
                .as_ref()
                .map(|p| p.to_string())
                .unwrap_or_default();
            let bay = done.bay.as_ref().map(|b| b.to_string()).unwrap_or_default();
            let mut text = ["✓", sh.t(op_msg(op)), &plate, &bay]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            // What was recorded, where the plate alone does not say it.
            if let Some(d) = detail(sh, op, &done) {
                text.push_str(" · ");
                text.push_str(&d);
            }
            // The suggestion shown was taken by another terminal before
            // Enter: the operation put the truck in the next best bay, and
            // says so rather than leave the operator to notice.
            if let (Op::Arrive { bay: None, .. }, Some(shown), Some(got)) = (
                op,
                promised.map(|i| &sh.layout.bays[i].id),
                done.bay.as_ref(),
            ) && shown != got
            {
                text.push_str(" · ");
                text.push_str(&sh.t(Msg::SuggestionTaken).replace("{bay}", shown.as_str()));
            }
            // What else happened is said on the same line.
            for note in &done.notes {
                text.push_str(" · ");
                text.push_str(&match note {
                    Note::Holding => sh.t(Msg::NoteHolding).to_string(),
                    Note::ServiceClosedAtDeparture(kind) => sh
                        .t(Msg::NoteServiceClosed)
                        .replace("{x}", sh.t(word(*kind))),
                    Note::PositiveAfterDeparture => sh.t(Msg::NotePositiveLeft).to_string(),
                    Note::ReportOwed => sh.t(Msg::NoteReportOwed).to_string(),
                    Note::PositiveCarried => sh.t(Msg::NotePositiveCarried).to_string(),
                });
            }
            out.push(Cmd::Toast(text, false));
            if let (Some(b), true) = (
                done.bay.as_ref().and_then(|b| sh.layout.find(b)),
                moves_truck(op),
            ) {
                out.push(Cmd::Cursor(b));
            }
            match (done.proposal, done.plate) {
                (Some(Proposal::Isolate { bay }), Some(plate)) => {
                    let to = bay_text(bay.as_ref());
                    let (title, reason) = match op {
                        Op::Recheck {
                            person,
                            temperature,
                            code,
                            ..
                        } => (
                            Msg::ProposeIsolateRecheck,
                            format!(
                                "{}: {} {temperature} {}",
                                sh.t(Msg::RecheckReason),
                                person_text(sh, *person, None),
                                sh.t(word(*code))
                            ),
                        ),
                        _ => (Msg::ProposeIsolate, sh.t(Msg::PositiveResult).to_string()),
                    };
                    out.push(Confirm::push(
                        title,
                        vec![format!("{plate}  → {to}"), reason.clone()],
                        Op::Isolate { plate, reason, bay },
                    ));
                }
                (Some(Proposal::IsolateWaiting { plate, bay }), _) => {
                    let reason = sh.t(Msg::FromHoldingList).to_string();
                    out.push(Confirm::push(
                        Msg::ProposeIsolateWaiting,
                        vec![
                            sh.t(Msg::IsolationBayFree)
                                .replace("{bay}", bay.as_str())
                                .replace("{plate}", plate.as_str()),
                        ],
                        Op::Isolate {
                            plate,
                            reason,
                            bay: Some(bay),
                        },
                    ));
                }
                (Some(Proposal::Resample(test)), Some(plate)) => out.push(Confirm::push(
                    Msg::ProposeResample,
                    vec![format!("{plate}  {}", sh.t(word(test)))],
                    Op::Sample {
                        plate,
                        test,
                        tube: None,
                        batch: None,
                    },
                )),
                _ => {}
            }
        }
        Err(e) => {
            // The bay the confirmation offered was taken or closed by
            // another terminal before Enter: what was typed is kept, and
            // the same confirmation comes back with the next free bay
            // (asked of the store again) and what became of the first.
            // The truck goes into no bay the operator did not see.
            if let Some((plate, planned, taken)) = Planned::bay_gone(sh, op, &e) {
                out.push(planned.offer(plate, Some(taken)));
                return out;
            }
            let forceable = matches!(
                &e,
                OpError::Refused(Refusal::DepartureBlocked { blockers, .. })
                    if crate::domain::stay::may_be_forced(blockers)
            );
            out.push(Cmd::error(crate::i18n::refusal::text(sh.session.lang, &e)));
            if let (
                true,
                Op::Depart {
                    plate,
                    force_reason: None,
                },
            ) = (forceable, op)
            {
                out.push(Prompt::push(
                    Msg::PromptForceReason,
                    plate.to_string(),
                    true,
                    PromptNext::ForceDepart(plate.clone()),
                ));
            }
        }
    }
    out
}

/// What the main event recorded that the operator should see at once: a
/// sample's test and due time ("PCR · due 17:10"), a result ("PCR
/// negative"), what a forced departure went past and why, and that an
/// escalation reported the truck's last stay (its owed report) rather than
/// the stay on site. As the event log says them.
fn detail(sh: &Shared, op: &Op, done: &Outcome) -> Option<String> {
    done.events.iter().find_map(|(_, e)| match (op, e) {
        (Op::Sample { .. }, Event::SampleTaken { .. })
        | (Op::Result { .. }, Event::ResultRecorded { .. })
        // Which event was taken back, and what it was.
        | (Op::Undo { .. }, Event::Undone { .. })
        // What was put right: old → new.
        | (Op::Correct { .. }, Event::Corrected { .. })
        | (
            Op::Depart {
                force_reason: Some(_),
                ..
            },
            Event::Departed { .. },
        ) => Some(super::screens::event_log::summary::summary(sh, e)),
        // Which call: a truck may have several open.
        (Op::ServiceRequest { service, .. }, Event::ServiceRequested { .. })
        | (
            Op::ServiceDone {
                service: Some(service),
                ..
            },
            Event::ServiceDone { .. },
        ) => Some(sh.t(crate::i18n::words::word(*service)).to_string()),
        // A zone's round names no bay: the zone, then.
        (
            Op::Disinfect {
                target: crate::domain::event::Target::Zone(z),
            },
            Event::Disinfected { .. },
        ) => Some(sh.t(crate::i18n::words::word(*z)).to_string()),
        (Op::Escalate { plate, .. }, Event::Escalated { stay, .. }) => {
            let on_site = sh
                .bay_of_plate(plate)
                .and_then(|b| sh.occupant(b))
                .map(|o| o.stay);
            on_site
                .is_some_and(|s| s != *stay)
                .then(|| sh.t(Msg::ItsLastStay).to_string())
        }
        _ => None,
    })
}

fn moves_truck(op: &Op) -> bool {
    matches!(
        op,
        Op::Arrive { .. }
            | Op::Move { .. }
            | Op::Isolate { .. }
            | Op::Release { .. }
            | Op::HandoffStart { .. }
    )
}

fn op_msg(op: &Op) -> Msg {
    match op {
        Op::Arrive { .. } => Msg::DoneArrive,
        Op::Move { .. } => Msg::DoneMove,
        Op::Depart { .. } => Msg::DoneDepart,
        Op::Correct { .. } => Msg::DoneCorrect,
        Op::SetPolicy { .. } => Msg::DonePolicy,
        Op::Disclose { .. } => Msg::DoneDisclose,
        Op::Sample { .. } => Msg::DoneSample,
        Op::Result { .. } => Msg::DoneResult,
        Op::Isolate { .. } => Msg::DoneIsolate,
        Op::Release { .. } => Msg::DoneRelease,
        Op::Escalate { .. } => Msg::DoneEscalate,
        Op::HandoffStart { .. } => Msg::DoneHandoffStart,
        Op::HandoffDone { .. } => Msg::DoneHandoffDone,
        Op::HandoffConfirm { .. } => Msg::DoneHandoffConfirm,
        Op::Recheck { .. } => Msg::DoneRecheck,
        Op::ServiceRequest { .. } => Msg::DoneService,
        Op::ServiceDone { .. } => Msg::DoneServiceDone,
        Op::Disinfect { .. } => Msg::DoneDisinfect,
        Op::CloseBay { .. } => Msg::DoneClose,
        Op::OpenBay { .. } => Msg::DoneOpen,
        Op::Undo { .. } => Msg::DoneUndo,
        Op::Purge { .. } => Msg::DonePurge,
    }
}
