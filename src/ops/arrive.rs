//! Arrival at the gate: the checks decide the zone, the best free bay is
//! taken (or the one the operator picked, with a reason if it goes against
//! the checks), and the stay begins.

use super::{OpError, Outcome, Refusal, Writer, optional};
use crate::domain::bay::{BayId, Zone};
use crate::domain::event::{ArrivalRecord, Event};
use crate::domain::policy::{CheckFlag, Checks, Policy};

/// The zone the gate checks send an arrival to, and why.
pub fn triage(policy: &Policy, a: &ArrivalRecord) -> (Zone, Vec<CheckFlag>) {
    let flags = policy.flags(&Checks {
        temperature: a.temperature,
        code: a.code,
        travel_flag: a.travel_flag,
    });
    let zone = if flags.is_empty() {
        Zone::Parking
    } else {
        Zone::Isolation
    };
    (zone, flags)
}

pub(super) fn run(
    w: &mut Writer<'_, '_>,
    arrival: &ArrivalRecord,
    bay: Option<&BayId>,
    override_reason: Option<&str>,
) -> Result<Outcome, OpError> {
    let mut a = arrival.clone();
    a.driver = optional("driver", a.driver.as_deref())?;
    a.origin = optional("origin", a.origin.as_deref())?;
    a.destination = optional("destination", a.destination.as_deref())?;
    let override_reason = optional("override reason", override_reason)?;

    if let Some(on_site) = w.tx.open_stay(&a.plate)? {
        return Err(Refusal::AlreadyOnSite {
            plate: a.plate.clone(),
            bay: on_site.bay.map(|b| b.to_string()).unwrap_or_default(),
        }
        .into());
    }
    let (suggested, flags) = triage(w.policy, &a);
    let bay = match bay {
        Some(b) => {
            w.free_bay(b)?;
            if b.zone() == Zone::Handoff {
                return Err(Refusal::ArriveInHandoff.into());
            }
            let against_checks = (suggested == Zone::Isolation) != (b.zone() == Zone::Isolation);
            if against_checks && override_reason.is_none() {
                return Err(Refusal::OverrideNeedsReason {
                    suggested,
                    flags,
                    bay: b.clone(),
                }
                .into());
            }
            b.clone()
        }
        None => w.pick_bay(None, &[suggested], a.cargo.is_priority())?,
    };
    let stay = w.tx.next_stay_id()?;
    let plate = a.plate.clone();
    w.record(Event::Arrived {
        stay,
        arrival: a,
        bay: bay.clone(),
        flags,
        override_reason,
    })?;
    Ok(Outcome {
        stay: Some(stay),
        plate: Some(plate),
        bay: Some(bay),
        events: Vec::new(),
        proposal: None,
    })
}
