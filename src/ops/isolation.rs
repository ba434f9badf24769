//! The isolation zone: holding a truck, releasing it (with a reason and who
//! decided), and escalating a case to the shift lead's superiors.

use super::{OpError, Outcome, Writer, outcome, required};
use crate::domain::bay::{BayId, Zone};
use crate::domain::event::Event;
use crate::domain::plate::Plate;
use crate::domain::stay::Action;

pub(super) fn isolate(
    w: &mut Writer<'_, '_>,
    plate: &Plate,
    reason: &str,
    bay: Option<&BayId>,
) -> Result<Outcome, OpError> {
    let reason = required("reason", reason)?;
    let stay = w.stay_for(plate, Action::Isolate)?;
    let from = w.current_bay(&stay)?;
    let to = w.pick_bay(bay, &[Zone::Isolation], false)?;
    w.record(Event::Isolated {
        stay: stay.id,
        from,
        to: to.clone(),
        reason,
    })?;
    Ok(outcome(&stay, Some(to)))
}

pub(super) fn release(
    w: &mut Writer<'_, '_>,
    plate: &Plate,
    reason: &str,
    bay: Option<&BayId>,
) -> Result<Outcome, OpError> {
    let reason = required("reason", reason)?;
    let stay = w.stay_for(plate, Action::Release)?;
    let from = w.current_bay(&stay)?;
    let priority = w.is_priority(stay.id)?;
    let to = w.pick_bay(bay, &[Zone::Parking, Zone::Living, Zone::Work], priority)?;
    w.record(Event::Released {
        stay: stay.id,
        from,
        to: to.clone(),
        reason,
    })?;
    Ok(outcome(&stay, Some(to)))
}

pub(super) fn escalate(
    w: &mut Writer<'_, '_>,
    plate: &Plate,
    note: &str,
) -> Result<Outcome, OpError> {
    let note = required("note", note)?;
    let stay = w.stay_for(plate, Action::Escalate)?;
    w.record(Event::Escalated {
        stay: stay.id,
        note,
    })?;
    Ok(outcome(&stay, stay.bay.clone()))
}
