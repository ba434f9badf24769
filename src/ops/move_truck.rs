//! Moving a truck between bays, and letting it leave through the gate.

use super::{OpError, Outcome, Refusal, Writer, outcome, required};
use crate::domain::bay::BayId;
use crate::domain::event::Event;
use crate::domain::plate::Plate;
use crate::domain::stay::Action;

pub(super) fn run_move(
    w: &mut Writer<'_, '_>,
    plate: &Plate,
    to: &BayId,
) -> Result<Outcome, OpError> {
    let stay = w.stay_for(plate, Action::Move { to: to.zone() })?;
    let from = w.current_bay(&stay)?;
    if &from == to {
        return Err(Refusal::SameBay {
            plate: plate.clone(),
            bay: from,
        }
        .into());
    }
    w.free_bay(to)?;
    w.record(Event::Moved {
        stay: stay.id,
        from,
        to: to.clone(),
    })?;
    Ok(outcome(&stay, Some(to.clone())))
}

pub(super) fn run_depart(
    w: &mut Writer<'_, '_>,
    plate: &Plate,
    force_reason: Option<&str>,
) -> Result<Outcome, OpError> {
    let forced = force_reason
        .map(|r| required("force reason", r))
        .transpose()?;
    let stay = w.stay_for(
        plate,
        Action::Depart {
            forced: forced.is_some(),
        },
    )?;
    let from = w.current_bay(&stay)?;
    w.record(Event::Departed {
        stay: stay.id,
        from: from.clone(),
        forced,
    })?;
    Ok(outcome(&stay, Some(from)))
}
