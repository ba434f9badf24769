//! Service calls a driver phones in (meal, water, medical): requested, then done.

use super::{OpError, Outcome, Refusal, Writer, outcome};
use crate::domain::event::{Event, ServiceKind};
use crate::domain::plate::Plate;
use crate::domain::stay::{Action, RuleRefusal};

pub(super) fn request(
    w: &mut Writer<'_, '_>,
    plate: &Plate,
    service: ServiceKind,
) -> Result<Outcome, OpError> {
    let stay = w.stay_for(plate, Action::ServiceRequest)?;
    w.record(Event::ServiceRequested {
        stay: stay.id,
        service,
    })?;
    Ok(outcome(&stay, stay.bay.clone()))
}

/// Closes the oldest open call of the truck (of `service`, if given).
pub(super) fn done(
    w: &mut Writer<'_, '_>,
    plate: &Plate,
    service: Option<ServiceKind>,
) -> Result<Outcome, OpError> {
    let stay = w.stay_for(plate, Action::ServiceDone)?;
    // Which call, when calls of several kinds are open: the oldest would
    // close a medical call (which holds the truck at the gate) for a meal
    // delivered.
    let kinds = stay.open_kinds();
    if service.is_none() && kinds.len() > 1 {
        return Err(Refusal::WhichServiceCall {
            plate: plate.clone(),
            open: kinds,
        }
        .into());
    }
    let call =
        w.tx.open_service_call(stay.id, service)?
            .ok_or_else(|| match service {
                Some(kind) => Refusal::NoServiceCallOfKind {
                    plate: plate.clone(),
                    kind,
                    open: stay.open_services.clone(),
                },
                None => Refusal::Rule(RuleRefusal::NoServiceCall {
                    plate: plate.clone(),
                }),
            })?;
    w.record(Event::ServiceDone {
        stay: stay.id,
        call,
        at_departure: false,
    })?;
    Ok(outcome(&stay, stay.bay.clone()))
}
