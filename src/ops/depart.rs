//! Letting a truck leave through the gate: refused, naming everything that
//! is missing, until the closed loop allows it; forced with a reason for all
//! but a positive result. Meal and water calls still open are closed in the
//! same transaction.

use super::{Note, OpError, Outcome, Refusal, Writer, outcome, required};
use crate::domain::event::Event;
use crate::domain::plate::Plate;
use crate::domain::stay::departure_blockers;

pub(super) fn run(
    w: &mut Writer<'_, '_>,
    plate: &Plate,
    force_reason: Option<&str>,
) -> Result<Outcome, OpError> {
    let forced = force_reason
        .map(|r| required("force reason", r))
        .transpose()?;
    let stay =
        w.tx.open_stay(plate)?
            .ok_or_else(|| Refusal::NotOnSite(plate.clone()))?;
    let blockers = departure_blockers(&stay, w.policy);
    let may_force = crate::domain::stay::may_be_forced(&blockers);
    if !blockers.is_empty() && (forced.is_none() || !may_force) {
        return Err(Refusal::DepartureBlocked {
            plate: plate.clone(),
            blockers,
        }
        .into());
    }
    let from = w.current_bay(&stay)?;
    let mut notes = Vec::new();
    for (call, kind) in w.tx.open_service_calls(stay.id)? {
        w.record(Event::ServiceDone {
            stay: stay.id,
            call,
            at_departure: true,
        })?;
        notes.push(Note::ServiceClosedAtDeparture(kind));
    }
    w.record(Event::Departed {
        stay: stay.id,
        from: from.clone(),
        // A reason with nothing to override is not a forced departure.
        forced: forced.filter(|_| !blockers.is_empty()),
        overridden: blockers.iter().map(|b| b.key().to_string()).collect(),
    })?;
    let mut out = outcome(&stay, Some(from));
    out.notes = notes;
    Ok(out)
}
