//! Point-to-point handoff: into a handoff bay for a cargo transfer (to a
//! named receiving vehicle and company) or an escorted departure (with the
//! escorting unit, and who authorised it when the truck is under isolation's
//! authority); marked done; then confirmed at its destination, which may be
//! after the truck has left.

use super::{OpError, Outcome, Refusal, Writer, optional, outcome};
use crate::domain::bay::{BayId, Zone};
use crate::domain::event::{Event, HandoffMode};
use crate::domain::plate::Plate;
use crate::domain::stay::{self, Action};

/// What the operator said about the handoff being started.
pub(super) struct Start<'a> {
    pub mode: HandoffMode,
    pub receiver: Option<&'a Plate>,
    pub company: Option<&'a str>,
    pub escort: Option<&'a str>,
    pub by: Option<&'a str>,
}

pub(super) fn start(
    w: &mut Writer<'_, '_>,
    plate: &Plate,
    s: &Start<'_>,
    bay: Option<&BayId>,
) -> Result<Outcome, OpError> {
    let company = optional("receiving company", s.company)?;
    let escort = optional("escorting unit", s.escort)?;
    let by = optional("authorised by", s.by)?;
    let (receiver, company, escort) = match s.mode {
        HandoffMode::Transfer => match (s.receiver, company) {
            (Some(r), Some(c)) if r == plate => {
                return Err(OpError::Invalid(format!(
                    "the receiving vehicle {r} is the truck itself (company {c})"
                )));
            }
            (Some(r), Some(c)) => (Some(r.clone()), Some(c), None),
            _ => {
                return Err(OpError::Invalid(
                    "a cargo transfer needs the receiving vehicle's plate and its company".into(),
                ));
            }
        },
        HandoffMode::Escort => match escort {
            Some(e) => (None, None, Some(e)),
            None => {
                return Err(OpError::Invalid(
                    "an escorted departure needs the escorting unit".into(),
                ));
            }
        },
    };
    let action = Action::HandoffStart {
        mode: s.mode,
        decided: by.is_some(),
    };
    let mode = s.mode;
    w.relocate(plate, action, bay, &[Zone::Handoff], |stay, from, to| {
        Event::HandoffStarted {
            stay,
            from,
            to,
            mode,
            counterpart: None,
            receiver,
            company,
            escort,
            by,
        }
    })
}

pub(super) fn done(w: &mut Writer<'_, '_>, plate: &Plate) -> Result<Outcome, OpError> {
    let stay = w.stay_for(plate, Action::HandoffDone)?;
    w.record(Event::HandoffCompleted { stay: stay.id })?;
    Ok(outcome(&stay, stay.bay.clone()))
}

/// Confirms the latest stay's handoff arrived at its destination.
pub(super) fn confirm(w: &mut Writer<'_, '_>, plate: &Plate) -> Result<Outcome, OpError> {
    let stay =
        w.tx.stay_to_confirm(plate)?
            .ok_or_else(|| Refusal::NotOnSite(plate.clone()))?;
    stay::check(&stay, Action::HandoffConfirm).map_err(Refusal::Rule)?;
    w.record(Event::HandoffConfirmed { stay: stay.id })?;
    Ok(outcome(&stay, stay.bay.clone()))
}
