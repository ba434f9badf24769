//! Acting on bays and zones rather than trucks: disinfection rounds, closing
//! a bay (blocked, under disinfection) and opening it again.

use super::{OpError, Outcome, Refusal, Writer, required};
use crate::domain::bay::BayId;
use crate::domain::event::{Event, Target};
use crate::domain::policy::Policy;

fn bay_outcome(bay: Option<BayId>) -> Outcome {
    Outcome {
        stay: None,
        plate: None,
        bay,
        events: Vec::new(),
        proposal: None,
        notes: Vec::new(),
    }
}

pub(super) fn disinfect(w: &mut Writer<'_, '_>, target: &Target) -> Result<Outcome, OpError> {
    if let Target::Bay(b) = target {
        w.tx.bay(b)?.ok_or_else(|| Refusal::UnknownBay(b.clone()))?;
    }
    w.record(Event::Disinfected {
        target: target.clone(),
    })?;
    Ok(bay_outcome(match target {
        Target::Bay(b) => Some(b.clone()),
        Target::Zone(_) => None,
    }))
}

pub(super) fn close(w: &mut Writer<'_, '_>, bay: &BayId, reason: &str) -> Result<Outcome, OpError> {
    let reason = required("reason", reason)?;
    w.free_bay(bay)?;
    w.record(Event::BayClosed {
        bay: bay.clone(),
        reason,
    })?;
    Ok(bay_outcome(Some(bay.clone())))
}

/// An unmasked look at personal data, on the record.
pub(super) fn disclose(
    w: &mut Writer<'_, '_>,
    what: &str,
    plate: Option<&crate::domain::plate::Plate>,
) -> Result<Outcome, OpError> {
    let what = required("what", what)?;
    let stay = match plate {
        Some(p) => w.tx.latest_stay(p)?.map(|s| s.id),
        None => None,
    };
    w.record(Event::Disclosed { stay, what })?;
    Ok(bay_outcome(None))
}

/// The policy becomes the lot's: checked, and recorded only when it changes.
pub(super) fn set_policy(w: &mut Writer<'_, '_>, policy: &Policy) -> Result<Outcome, OpError> {
    policy
        .validate()
        .map_err(|e| OpError::Invalid(e.to_string()))?;
    if w.tx.recorded_policy()?.as_ref() == Some(policy) {
        return Err(Refusal::PolicyUnchanged.into());
    }
    w.record(Event::PolicyChanged {
        policy: policy.clone(),
    })?;
    Ok(bay_outcome(None))
}

pub(super) fn open(w: &mut Writer<'_, '_>, bay: &BayId) -> Result<Outcome, OpError> {
    let b =
        w.tx.bay(bay)?
            .ok_or_else(|| Refusal::UnknownBay(bay.clone()))?;
    if b.closed_reason.is_none() {
        return Err(Refusal::BayNotClosed(bay.clone()).into());
    }
    w.record(Event::BayOpened { bay: bay.clone() })?;
    Ok(bay_outcome(Some(bay.clone())))
}
