//! An operation that moves a truck (isolate, release, handoff start),
//! typed in full but for its bay: the bay is asked of `ops::suggested_bay`
//! (`Effect::SuggestBay`), then a confirmation names it, and the operation
//! runs with that bay and no other.
//!
//! The operation checks the bay again when it writes. If another terminal
//! took it (or closed it) since it was offered, the refusal brings back the
//! same confirmation with what was typed, a fresh offer, and a line saying
//! what became of the first bay (`Planned::of_op`, from `outcome`). With no
//! bay free, the confirmation runs nothing: Enter looks again.

use super::confirm::{Confirm, Then};
use super::{Cmd, Effect};
use crate::domain::bay::{BayId, Zone};
use crate::domain::event::HandoffMode;
use crate::domain::plate::Plate;
use crate::i18n::Msg;
use crate::i18n::words::word;
use crate::ops::{Op, OpError, Refusal};
use crate::tui::shared::Shared;
use crate::tui::view::bay_text;

/// What the operator typed for an operation that moves a truck.
#[derive(Debug, Clone, PartialEq)]
pub enum Planned {
    Isolate {
        subject: String,
        reason: String,
    },
    Release {
        subject: String,
        reason: String,
        by: String,
    },
    Transfer {
        receiver: Plate,
        company: String,
    },
    Escort {
        escort: String,
        by: Option<String>,
    },
}

impl Planned {
    /// The zone the truck goes to.
    pub fn zone(&self) -> Zone {
        match self {
            Planned::Isolate { .. } => Zone::Isolation,
            Planned::Release { .. } => Zone::Parking,
            Planned::Transfer { .. } | Planned::Escort { .. } => Zone::Handoff,
        }
    }

    /// Asks which bay to offer `plate` (`Effect::SuggestBay`); `taken`:
    /// why the bay offered before could not be given.
    pub fn offer(self, plate: Plate, taken: Option<Refusal>) -> Cmd {
        Cmd::Effect(Effect::SuggestBay {
            plate,
            zone: self.zone(),
            then: self,
            taken,
        })
    }

    /// What the operator typed for `op`, an operation into a bay it
    /// names, and that bay: to offer another if `op` is refused because the
    /// bay is no longer free. The truck is named where it stands now.
    pub fn of_op(sh: &Shared, op: &Op) -> Option<(Plate, BayId, Planned)> {
        let subject = |plate: &Plate| sh.truck_subject(plate);
        let (plate, bay, planned) = match op {
            Op::Isolate {
                plate,
                reason,
                bay: Some(bay),
            } => (
                plate,
                bay,
                Planned::Isolate {
                    subject: subject(plate),
                    reason: reason.clone(),
                },
            ),
            Op::Release {
                plate,
                reason,
                by,
                bay: Some(bay),
            } => (
                plate,
                bay,
                Planned::Release {
                    subject: subject(plate),
                    reason: reason.clone(),
                    by: by.clone(),
                },
            ),
            Op::HandoffStart {
                plate,
                mode: HandoffMode::Transfer,
                receiver: Some(receiver),
                company: Some(company),
                bay: Some(bay),
                ..
            } => (
                plate,
                bay,
                Planned::Transfer {
                    receiver: receiver.clone(),
                    company: company.clone(),
                },
            ),
            Op::HandoffStart {
                plate,
                mode: HandoffMode::Escort,
                escort: Some(escort),
                by,
                bay: Some(bay),
                ..
            } => (
                plate,
                bay,
                Planned::Escort {
                    escort: escort.clone(),
                    by: by.clone(),
                },
            ),
            _ => return None,
        };
        Some((plate.clone(), bay.clone(), planned))
    }

    /// Whether `e`, `op`'s refusal, says only that the bay `op` named is
    /// no longer free (another terminal took or closed it): then the same
    /// plan is offered another bay. The refusal, if so.
    pub fn bay_gone(sh: &Shared, op: &Op, e: &OpError) -> Option<(Plate, Planned, Refusal)> {
        let (plate, bay, planned) = Planned::of_op(sh, op)?;
        match e {
            OpError::Refused(
                r @ (Refusal::BayOccupied { bay: b, .. } | Refusal::BayClosed { bay: b, .. }),
            ) if *b == bay => Some((plate, planned, r.clone())),
            _ => None,
        }
    }

    /// The confirmation, naming the bay the operation will take. `taken`:
    /// why the bay offered before could not be given, said first. With no
    /// bay free (`None`) nothing runs: Enter looks again.
    pub fn confirm(
        self,
        sh: &Shared,
        plate: Plate,
        bay: Option<BayId>,
        taken: Option<&Refusal>,
    ) -> Confirm {
        let mut warnings: Vec<String> = taken
            .map(|r| format!("✗ {}", taken_text(sh, r, bay.as_ref())))
            .into_iter()
            .collect();
        let again = bay.is_none().then(|| (plate.clone(), self.clone()));
        if bay.is_none() {
            warnings.push(format!(
                "✗ {}",
                sh.t(Msg::NoFreeBayNow)
                    .replace("{x}", sh.t(word(self.zone())))
            ));
        }
        let mut c = self.confirm_with(sh, plate, bay);
        c.warnings = warnings;
        if let Some((plate, planned)) = again {
            c.then = Then::LookAgain { plate, planned };
        }
        c
    }

    fn confirm_with(self, sh: &Shared, plate: Plate, bay: Option<BayId>) -> Confirm {
        let to = bay_text(bay.as_ref());
        let labelled = |m: Msg, v: &str| format!("{}: {v}", sh.t(m));
        match self {
            Planned::Isolate { subject, reason } => Confirm::run(
                Msg::ConfirmIsolate,
                vec![format!("{subject}  → {to}"), reason.clone()],
                Op::Isolate { plate, reason, bay },
            ),
            Planned::Release {
                subject,
                reason,
                by,
            } => Confirm::run(
                Msg::ConfirmRelease,
                vec![
                    format!("{subject}  → {to}"),
                    labelled(Msg::Reason, &reason),
                    labelled(Msg::DecidedBy, &by),
                ],
                Op::Release {
                    plate,
                    reason,
                    by,
                    bay,
                },
            ),
            Planned::Transfer { receiver, company } => Confirm::run(
                Msg::ConfirmHandoff,
                vec![
                    format!("{plate}  → {to}"),
                    format!(
                        "{}: {receiver}  {company}",
                        sh.t(word(HandoffMode::Transfer))
                    ),
                ],
                Op::HandoffStart {
                    plate,
                    mode: HandoffMode::Transfer,
                    receiver: Some(receiver),
                    company: Some(company),
                    escort: None,
                    by: None,
                    bay,
                },
            ),
            Planned::Escort { escort, by } => {
                let mut lines = vec![
                    format!("{plate}  → {to}"),
                    format!("{}: {escort}", sh.t(word(HandoffMode::Escort))),
                ];
                if let Some(by) = &by {
                    lines.push(labelled(Msg::AuthorisedBy, by));
                }
                Confirm::run(
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
        }
    }
}

/// What became of the bay offered before (`taken`, the operation's
/// refusal), and which is offered now, if one is.
fn taken_text(sh: &Shared, taken: &Refusal, now: Option<&BayId>) -> String {
    let gone = match taken {
        Refusal::BayOccupied { bay, plate } => sh
            .t(Msg::BayTakenMeanwhile)
            .replace("{bay}", bay.as_str())
            .replace("{plate}", plate.as_str()),
        Refusal::BayClosed { bay, reason } => sh
            .t(Msg::BayClosedMeanwhile)
            .replace("{bay}", bay.as_str())
            .replace("{x}", reason),
        other => crate::i18n::refusal::text(sh.session.lang, &OpError::Refused(other.clone())),
    };
    match now {
        Some(bay) => gone + &sh.t(Msg::OfferedInstead).replace("{bay}", bay.as_str()),
        None => gone,
    }
}
