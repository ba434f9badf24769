//! Arrival at the gate: everyone in the cab is checked, the checks decide
//! the zone, the best free bay is taken (or the one the operator picked, with
//! a reason if it goes against the checks), and the stay begins. A flagged
//! truck that finds the isolation zone full waits on the holding list. A
//! truck whose last stay left with a positive result that still stands is
//! flagged for it, as a positive test flags any truck.

use super::{Note, OpError, Outcome, Refusal, Writer, optional};
use crate::domain::bay::{BayId, Zone};
use crate::domain::event::{ArrivalRecord, Event, Passenger};
use crate::domain::gate::{ArrivalPlan, gate_findings, open_to_arrivals, plan_arrival};
use crate::domain::layout::Layout;
use crate::domain::plate::Plate;
use crate::domain::policy::{MAX_PEOPLE, Policy, flags_of};
use crate::store::Tx;

/// What the arrival would do on a lot whose free bays `is_free` names: the
/// one rule both `execute` and the TUI's form follow.
pub fn plan(
    policy: &Policy,
    layout: &Layout,
    is_free: impl Fn(usize) -> bool,
    arrival: &ArrivalRecord,
    positive_before: bool,
    picked: Option<usize>,
) -> ArrivalPlan {
    let findings = gate_findings(
        policy,
        &arrival.people(),
        arrival.travel_flag,
        positive_before,
    );
    plan_arrival(
        layout,
        is_free,
        findings,
        arrival.cargo.is_priority(),
        picked,
    )
}

/// Whether `plate`'s last stay left with a positive result that still
/// stands: the arrival's `positive_before` (read by `execute` and, through
/// `ops::positive_before`, by the form).
pub(super) fn positive_before_in(tx: &Tx<'_>, plate: &Plate) -> crate::store::Result<bool> {
    Ok(tx
        .left_after_a_positive(plate)?
        .is_some_and(|s| s.standing_positive().is_some()))
}

/// Refuses an arrival whose checks are incomplete or whose text is not clean,
/// and returns it cleaned.
fn validated(arrival: &ArrivalRecord) -> Result<ArrivalRecord, OpError> {
    let mut a = arrival.clone();
    if a.temperature.is_none() {
        return Err(OpError::Invalid(
            "the driver's temperature is required: every person in the cab is checked".into(),
        ));
    }
    if a.code.is_none() {
        return Err(OpError::Invalid(
            "the driver's health code is required: every person in the cab is checked".into(),
        ));
    }
    if let Some(i) = a
        .passengers
        .iter()
        .position(|p| p.temperature.is_none() || p.code.is_none())
    {
        return Err(OpError::Invalid(format!(
            "passenger {}'s temperature and health code are required: every person in the cab is checked",
            i + 1
        )));
    }
    if a.passengers.len() + 1 > MAX_PEOPLE {
        return Err(OpError::Invalid(format!(
            "{} passengers: a cab holds the driver and at most {}",
            a.passengers.len(),
            MAX_PEOPLE - 1
        )));
    }
    a.driver = optional("driver", a.driver.as_deref())?;
    a.origin = optional("origin", a.origin.as_deref())?;
    a.destination = optional("destination", a.destination.as_deref())?;
    a.gate = optional("gate", a.gate.as_deref())?;
    a.passengers = a
        .passengers
        .iter()
        .enumerate()
        .map(|(i, p)| {
            Ok(Passenger {
                name: optional(&format!("passenger {} name", i + 1), p.name.as_deref())?,
                ..p.clone()
            })
        })
        .collect::<Result<_, OpError>>()?;
    Ok(a)
}

pub(super) fn run(
    w: &mut Writer<'_, '_>,
    arrival: &ArrivalRecord,
    bay: Option<&BayId>,
    override_reason: Option<&str>,
) -> Result<Outcome, OpError> {
    let a = validated(arrival)?;
    let override_reason = optional("override reason", override_reason)?;

    if let Some(on_site) = w.tx.open_stay(&a.plate)? {
        return Err(Refusal::AlreadyOnSite {
            plate: a.plate.clone(),
            bay: on_site.bay.map(|b| b.to_string()).unwrap_or_default(),
        }
        .into());
    }
    let layout = w.tx.layout();
    let picked = match bay {
        Some(b) => {
            w.free_bay(b)?;
            if b.zone() == Zone::Handoff {
                return Err(Refusal::ArriveInHandoff.into());
            }
            Some(
                layout
                    .find(b)
                    .ok_or_else(|| Refusal::UnknownBay(b.clone()))?,
            )
        }
        None => None,
    };
    let free = w.tx.free_mask_all()?;
    let waiting = w.tx.first_holding()?.is_some();
    let is_free = open_to_arrivals(layout, |i| free[i], waiting);
    let positive_before = positive_before_in(w.tx, &a.plate)?;
    let p = plan(w.policy, layout, is_free, &a, positive_before, picked);
    let flags = flags_of(&p.findings);
    // Only a picked bay can go against the checks.
    if let (true, None, Some(picked)) = (p.against, &override_reason, bay) {
        return Err(Refusal::OverrideNeedsReason {
            suggested: p.zone,
            flags,
            bay: picked.clone(),
        }
        .into());
    }
    if override_reason.is_some() && !p.against {
        return Err(Refusal::NothingToOverride.into());
    }
    let Some(i) = p.bay else {
        return Err(match p.zone {
            Zone::Isolation => Refusal::NowhereToWait,
            zone => Refusal::NoFreeBay(zone),
        }
        .into());
    };
    let bay = layout.bays[i].id.clone();
    let stay = w.tx.next_stay_id()?;
    let plate = a.plate.clone();
    // Asked only of the rare truck that comes back with a positive.
    let report_owed = positive_before
        && w.tx
            .owed_report(&plate)?
            .is_some_and(|s| s.standing_positive().is_some());
    w.record(Event::Arrived {
        stay,
        arrival: a,
        bay: bay.clone(),
        flags,
        override_reason,
        findings: p.findings,
        holding: p.holding,
    })?;
    Ok(Outcome {
        stay: Some(stay),
        plate: Some(plate),
        bay: Some(bay),
        events: Vec::new(),
        proposal: None,
        notes: [
            p.holding.then_some(Note::Holding),
            report_owed.then_some(Note::ReportOwed),
        ]
        .into_iter()
        .flatten()
        .collect(),
    })
}
