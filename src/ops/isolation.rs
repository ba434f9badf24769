//! The isolation zone: holding a truck (also one from the holding list),
//! releasing it (with a reason and who decided), and escalating a case to the
//! shift lead's superiors (also a truck that left before its positive result
//! came back).

use super::{OpError, Outcome, Refusal, Writer, outcome, required};
use crate::domain::bay::{BayId, Zone};
use crate::domain::event::Event;
use crate::domain::plate::Plate;
use crate::domain::stay::{self, Action, RuleRefusal, StayState};
use crate::store::Tx;

pub(super) fn isolate(
    w: &mut Writer<'_, '_>,
    plate: &Plate,
    reason: &str,
    bay: Option<&BayId>,
) -> Result<Outcome, OpError> {
    let reason = required("reason", reason)?;
    w.relocate(
        plate,
        Action::Isolate,
        bay,
        &[Zone::Isolation],
        |stay, from, to| Event::Isolated {
            stay,
            from,
            to,
            reason,
        },
    )
}

/// Out of isolation by a decision: who decided and why are both required,
/// and a positive result that stands forbids it (`stay::check`).
pub(super) fn release(
    w: &mut Writer<'_, '_>,
    plate: &Plate,
    reason: &str,
    by: &str,
    bay: Option<&BayId>,
) -> Result<Outcome, OpError> {
    let reason = required("reason", reason)?;
    let by = required("decided by", by)?;
    let zones = [Zone::Parking, Zone::Living, Zone::Work];
    w.relocate(plate, Action::Release, bay, &zones, |stay, from, to| {
        Event::Released {
            stay,
            from,
            to,
            reason,
            by: Some(by),
        }
    })
}

/// Reports a case up: a truck under isolation's authority, or one that
/// left before a positive result came back (its latest stay).
pub(super) fn escalate(
    w: &mut Writer<'_, '_>,
    plate: &Plate,
    note: &str,
) -> Result<Outcome, OpError> {
    let note = required("note", note)?;
    let stay = escalation_target(w.tx, plate)?;
    w.record(Event::Escalated {
        stay: stay.id,
        note,
    })?;
    Ok(outcome(&stay, stay.bay.clone()))
}

/// The stay an escalation of `plate` would report, or why there is none:
/// a stay that left before a positive came back, unreported, while that
/// positive stands (the report owed first, also with the truck back on
/// site: its alarm ends no other way); otherwise its latest stay, if
/// `stay::check` allows the escalation. Asked by the operation when it
/// runs, and before it by the interface (`ops::escalation_check`), so a
/// refusal comes before the note is typed.
pub(super) fn escalation_target(tx: &Tx<'_>, plate: &Plate) -> Result<StayState, OpError> {
    if let Some(owed) = tx.owed_report(plate)?
        && stay::check(&owed, Action::Escalate).is_ok()
    {
        return Ok(owed);
    }
    let stay = tx
        .latest_stay(plate)?
        .ok_or_else(|| Refusal::NotOnSite(plate.clone()))?;
    stay::check(&stay, Action::Escalate).map_err(|r| match r {
        // Gone with nothing to report: as every other truck operation says.
        RuleRefusal::AlreadyDeparted { .. } => Refusal::NotOnSite(plate.clone()),
        r => Refusal::Rule(r),
    })?;
    Ok(stay)
}
