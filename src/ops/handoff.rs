//! Point-to-point handoff: into a handoff bay for a cargo transfer or an
//! escorted departure, then marked done.

use super::{OpError, Outcome, Writer, optional, outcome};
use crate::domain::bay::{BayId, Zone};
use crate::domain::event::{Event, HandoffMode};
use crate::domain::plate::Plate;
use crate::domain::stay::Action;

pub(super) fn start(
    w: &mut Writer<'_, '_>,
    plate: &Plate,
    mode: HandoffMode,
    counterpart: Option<&str>,
    bay: Option<&BayId>,
) -> Result<Outcome, OpError> {
    let counterpart = optional("handoff counterpart", counterpart)?;
    w.relocate(
        plate,
        Action::HandoffStart,
        bay,
        &[Zone::Handoff],
        |stay, from, to| Event::HandoffStarted {
            stay,
            from,
            to,
            mode,
            counterpart,
        },
    )
}

pub(super) fn done(w: &mut Writer<'_, '_>, plate: &Plate) -> Result<Outcome, OpError> {
    let stay = w.stay_for(plate, Action::HandoffDone)?;
    w.record(Event::HandoffCompleted { stay: stay.id })?;
    Ok(outcome(&stay, stay.bay.clone()))
}
