//! What an operation's result does to the screen: a toast naming the plate
//! and bay, the cursor following the truck, the next step a result proposes,
//! and the offer to force a refused departure with a reason.

use super::app::App;
use super::flows::{bay_text, person_text};
use super::screens::{PromptNext, Screen};
use crate::i18n::Msg;
use crate::i18n::words::word;
use crate::ops::{Note, Op, OpError, Outcome, Proposal, Refusal};

/// What an operation's result does to the screen.
pub(super) fn op_done(app: &mut App, op: &Op, result: Result<Outcome, OpError>) {
    match result {
        Ok(out) => {
            if matches!(op, Op::Arrive { .. }) {
                app.screens
                    .retain(|s| !matches!(s, Screen::Form(_) | Screen::PickBay(_)));
                app.sync_form();
            }
            let plate = out
                .plate
                .as_ref()
                .map(|p| p.to_string())
                .unwrap_or_default();
            let bay = out.bay.as_ref().map(|b| b.to_string()).unwrap_or_default();
            let mut text = ["✓", app.t(op_msg(op)), &plate, &bay]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            // What else happened is said on the same line.
            for note in &out.notes {
                text.push_str(" · ");
                text.push_str(&match note {
                    Note::Holding => app.t(Msg::NoteHolding).to_string(),
                    Note::ServiceClosedAtDeparture(kind) => app
                        .t(Msg::NoteServiceClosed)
                        .replace("{x}", app.t(word(*kind))),
                });
            }
            app.toast(text, false);
            if let (Some(b), true) = (
                out.bay.as_ref().and_then(|b| app.layout.find(b)),
                moves_truck(op),
            ) {
                app.set_cursor(b);
            }
            match (out.proposal, out.plate) {
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
                                app.t(Msg::RecheckReason),
                                person_text(app, *person, None),
                                app.t(word(*code))
                            ),
                        ),
                        _ => (Msg::ProposeIsolate, app.t(Msg::PositiveResult).to_string()),
                    };
                    app.confirm(
                        title,
                        vec![format!("{plate}  → {to}"), reason.clone()],
                        Op::Isolate { plate, reason, bay },
                    );
                }
                (Some(Proposal::IsolateWaiting { plate, bay }), _) => {
                    let reason = app.t(Msg::FromHoldingList).to_string();
                    app.confirm(
                        Msg::ProposeIsolateWaiting,
                        vec![
                            app.t(Msg::IsolationBayFree)
                                .replace("{bay}", bay.as_str())
                                .replace("{plate}", plate.as_str()),
                        ],
                        Op::Isolate {
                            plate,
                            reason,
                            bay: Some(bay),
                        },
                    );
                }
                (Some(Proposal::Resample(test)), Some(plate)) => app.confirm(
                    Msg::ProposeResample,
                    vec![format!("{plate}  {}", app.t(word(test)))],
                    Op::Sample {
                        plate,
                        test,
                        tube: None,
                        batch: None,
                    },
                ),
                _ => {}
            }
        }
        Err(e) => {
            let forceable = matches!(
                &e,
                OpError::Refused(Refusal::DepartureBlocked { blockers, .. })
                    if blockers.iter().all(|b| b.forceable())
            );
            app.toast(crate::i18n::refusal::text(app.session.lang, &e), true);
            if let (
                true,
                Op::Depart {
                    plate,
                    force_reason: None,
                },
            ) = (forceable, op)
            {
                app.prompt(
                    Msg::PromptForceReason,
                    plate.to_string(),
                    true,
                    PromptNext::ForceDepart(plate.clone()),
                );
            }
        }
    }
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
    }
}
