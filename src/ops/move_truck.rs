//! Moving a truck between bays.

use super::{OpError, Outcome, Refusal, Writer, outcome};
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
