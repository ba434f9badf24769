//! The gate's decision for an arrival: the zone the checks send it to, the
//! bay it takes (the one picked on the map, or the suggestion), whether that
//! bay goes against the checks, and whether a flagged truck must wait on the
//! holding list because the isolation zone is full.
//!
//! Pure: the caller says which bays are free. The arrival operation and the
//! TUI's form both call `plan_arrival`, so the form shows exactly what the
//! operation will do.

use super::bay::Zone;
use super::layout::Layout;
use super::policy::{CheckFlag, Finding, PersonCheck, Policy};
use super::suggest::suggest;

/// What an arrival would do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArrivalPlan {
    /// The zone the checks decide: parking when clean, isolation when flagged.
    pub zone: Zone,
    pub findings: Vec<Finding>,
    /// The bay it takes (an index into `Layout::bays`): the picked one, or
    /// the suggestion. `None`: no free bay where it must go.
    pub bay: Option<usize>,
    /// The operator picked the bay.
    pub picked: bool,
    /// Flagged, but the isolation zone is full: it waits in a work lane.
    pub holding: bool,
    /// The picked bay goes against the checks: an override reason is needed.
    pub against: bool,
}

/// What the gate's checks find: each person's measurement (driver first),
/// the declared travel history, and a positive result that still stands
/// from the truck's last stay (`positive_before`, on the driver: the
/// stay's samples are the cab's).
pub fn gate_findings(
    policy: &Policy,
    people: &[PersonCheck],
    travel_flag: bool,
    positive_before: bool,
) -> Vec<Finding> {
    let mut findings = policy.findings(people, travel_flag);
    if positive_before {
        findings.push(Finding {
            person: 0,
            flag: CheckFlag::PositiveBefore,
        });
    }
    findings
}

/// The bays an arrival may be given: the free ones (`is_free`), but no
/// isolation bay while trucks wait on the holding list (`waiting`): first
/// come, first isolated, a freed bay is theirs, and a flagged arrival waits
/// behind them.
pub fn open_to_arrivals<'a>(
    layout: &'a Layout,
    is_free: impl Fn(usize) -> bool + 'a,
    waiting: bool,
) -> impl Fn(usize) -> bool + 'a {
    move |i| is_free(i) && !(waiting && layout.bays[i].zone == Zone::Isolation)
}

/// The plan for an arrival whose checks found `findings` (`gate_findings`).
pub fn plan_arrival(
    layout: &Layout,
    is_free: impl Fn(usize) -> bool,
    findings: Vec<Finding>,
    priority: bool,
    picked: Option<usize>,
) -> ArrivalPlan {
    let zone = if findings.is_empty() {
        Zone::Parking
    } else {
        Zone::Isolation
    };
    if let Some(i) = picked {
        let bay_zone = layout.bays[i].zone;
        return ArrivalPlan {
            zone,
            findings,
            bay: Some(i),
            picked: true,
            holding: false,
            against: (zone == Zone::Isolation) != (bay_zone == Zone::Isolation),
        };
    }
    let mut bay = suggest(layout, zone, priority, &is_free);
    let mut holding = false;
    if bay.is_none() && zone == Zone::Isolation {
        // A flagged truck is never turned away: it waits at the gate's work
        // lanes until an isolation bay frees.
        bay = suggest(layout, Zone::Work, priority, &is_free);
        holding = bay.is_some();
    }
    ArrivalPlan {
        zone,
        findings,
        bay,
        picked: false,
        holding,
        against: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::policy::{HealthCode, Temperature};

    fn lot() -> Layout {
        Layout::parse(crate::domain::layout::DEFAULT_LAYOUT).unwrap()
    }

    fn person(t: f64) -> PersonCheck {
        PersonCheck {
            temperature: Some(Temperature::new(t).unwrap()),
            code: Some(HealthCode::Green),
        }
    }

    #[test]
    fn a_flagged_truck_waits_in_a_work_lane_when_isolation_is_full() {
        let l = lot();
        let iso_full = |i: usize| l.bays[i].zone != Zone::Isolation;
        let findings = gate_findings(&Policy::default(), &[person(38.5)], false, false);
        let p = plan_arrival(&l, iso_full, findings, false, None);
        assert_eq!(p.zone, Zone::Isolation);
        assert!(p.holding);
        assert_eq!(l.bays[p.bay.unwrap()].zone, Zone::Work);
    }

    /// A positive result that still stands from the truck's last stay
    /// flags a clean cab, on the driver, as a positive test does.
    #[test]
    fn a_positive_from_the_last_stay_sends_a_clean_cab_to_isolation() {
        let l = lot();
        let cab = [person(36.5)];
        let findings = gate_findings(&Policy::default(), &cab, false, true);
        assert_eq!(
            findings,
            [Finding {
                person: 0,
                flag: CheckFlag::PositiveBefore
            }]
        );
        let p = plan_arrival(&l, |_| true, findings, false, None);
        assert_eq!(p.zone, Zone::Isolation);
        assert_eq!(l.bays[p.bay.unwrap()].zone, Zone::Isolation);
        let clean = gate_findings(&Policy::default(), &cab, false, false);
        assert_eq!(
            plan_arrival(&l, |_| true, clean, false, None).zone,
            Zone::Parking
        );
    }

    #[test]
    fn a_picked_bay_against_the_checks_needs_a_reason() {
        let l = lot();
        let parking = l.zone(Zone::Parking).bays.start;
        let cab = [person(36.5), person(38.0)];
        let findings = gate_findings(&Policy::default(), &cab, false, false);
        let p = plan_arrival(&l, |_| true, findings, false, Some(parking));
        assert!(p.against && p.picked);
        assert_eq!(p.findings[0].person, 1);
    }
}
