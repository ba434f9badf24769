//! What a recorded step sets in motion, and what happens after a refusal:
//! a truck's life on the lot. An arrival brings its samples (results come
//! on time, now and then late or invalid), maybe a service call, a wait in
//! a work lane, and its departure when its stay is up — or, when flagged,
//! isolation: a PCR, then a release, or after a positive result an
//! escalation and an escorted departure someone authorised. Handoffs are
//! started, completed, the truck leaves, and the destination confirms.
//! A departure the rules still hold is tried again later.
//!
//! What lives elsewhere: the operations the steps become (`steps`).

use chrono::{DateTime, Utc};

use super::Sim;
use super::steps::Step;
use crate::domain::bay::{BayId, Zone};
use crate::domain::event::{Event, ServiceKind, TestKind, TestResult};
use crate::ops::{Note, OpError, Outcome, Proposal, Refusal};

/// How many departed plates are kept as regulars who may come back.
const REGULARS: usize = 2000;
/// Refused departures before the shift lead forces one out (with a reason;
/// never a positive truck, which the rules refuse even then).
const TRIES_BEFORE_FORCE: u8 = 16;

/// `step` was recorded at `t` with outcome `out`.
pub(super) fn recorded(sim: &mut Sim<'_>, step: &Step, out: &Outcome, t: DateTime<Utc>) {
    // A bay freed in isolation for a truck on the holding list: the lead
    // moves it in a few minutes later.
    if let Some(Proposal::IsolateWaiting { plate, .. }) = &out.proposal
        && let Some(&n) = sim.on_site.get(plate)
    {
        let at = t + sim.rng.minutes(1, 6);
        sim.at(at, Step::Isolate(n));
    }
    match step.clone() {
        Step::Arrive(n) => arrived(sim, n, out, t),
        Step::Sample(n, test) => {
            // Most results come back before they are due, some late.
            let delay = match test {
                TestKind::Antigen if sim.rng.chance(0.03) => sim.rng.minutes(16, 50),
                TestKind::Antigen => sim.rng.minutes(5, 14),
                TestKind::Pcr if sim.rng.chance(0.06) => sim.rng.minutes(365, 480),
                TestKind::Pcr => sim.rng.minutes(150, 340),
            };
            sim.at(t + delay, Step::Result(n, test));
        }
        Step::Result(n, test) => result(sim, n, test, out, t),
        Step::Isolate(n) => {
            sim.trucks[n].isolated = true;
            let s = t + sim.rng.minutes(15, 40);
            sim.at(s, Step::Sample(n, TestKind::Pcr));
        }
        Step::Release(n) => {
            sim.trucks[n].isolated = false;
            let d = t + sim.rng.minutes(30, 180);
            sim.at(d, Step::Depart(n));
        }
        Step::Escalate(n) => {
            let e = t + sim.rng.minutes(30, 120);
            sim.at(e, Step::Escort(n));
        }
        Step::Escort(n) | Step::HandoffStart(n) => {
            sim.trucks[n].handoff = true;
            let d = t + sim.rng.minutes(40, 150);
            sim.at(d, Step::HandoffDone(n));
        }
        Step::HandoffDone(n) => {
            let d = t + sim.rng.minutes(10, 40);
            sim.at(d, Step::Depart(n));
        }
        Step::Depart(n) | Step::ForceDepart(n) => departed(sim, n, t),
        Step::Service(n, service) => {
            let d = t + sim.rng.minutes(5, 35);
            sim.at(d, Step::ServiceDone(n, service));
        }
        Step::Close(..) if sim.rng.chance(0.95) => {
            if let Some(bay) = out.bay.clone() {
                let back = t + sim.rng.minutes(60, 16 * 60);
                sim.at(back, Step::Open(bay));
            }
        }
        Step::Disinfect(zone) => {
            // Every four hours by policy; now and then the crew is late.
            let next = if sim.rng.chance(0.08) {
                sim.rng.minutes(250, 300)
            } else {
                sim.rng.minutes(200, 235)
            };
            sim.at(t + next, Step::Disinfect(zone));
        }
        _ => {}
    }
}

/// The rules refused `step` at `t` with `why`.
pub(super) fn refused(sim: &mut Sim<'_>, step: &Step, why: &OpError, t: DateTime<Utc>) {
    match *step {
        // Isolation drives an isolated truck's way out; others wait for
        // what holds them (a result still at the lab, a handoff).
        // A truck that must hand its cargo over and has not started yet
        // (its handoff was put off by isolation, or by a full zone) goes to
        // the handoff zone first.
        Step::Depart(n) | Step::HandoffStart(n)
            if !sim.trucks[n].isolated && sim.is_on_site(n) && awaits_handoff(sim, n) =>
        {
            let h = t + sim.rng.minutes(20, 60);
            sim.at(h, Step::HandoffStart(n));
        }
        Step::Depart(n) if !sim.trucks[n].isolated && sim.is_on_site(n) => {
            let truck = &mut sim.trucks[n];
            truck.tries += 1;
            let force = truck.tries >= TRIES_BEFORE_FORCE;
            let next = t + sim.rng.minutes(30, 60);
            sim.at(
                next,
                if force {
                    Step::ForceDepart(n)
                } else {
                    Step::Depart(n)
                },
            );
        }
        // The isolation zone is full: the truck is tried again later.
        Step::Isolate(n)
            if sim.is_on_site(n) && matches!(why, OpError::Refused(Refusal::NoFreeBay(_))) =>
        {
            let at = t + sim.rng.minutes(20, 40);
            sim.at(at, Step::Isolate(n));
        }
        // An earlier positive still stands: no release, so the case goes
        // up and out under escort.
        Step::Release(n) if sim.is_on_site(n) => {
            let e = t + sim.rng.minutes(10, 60);
            sim.at(e, Step::Escalate(n));
        }
        _ => {}
    }
}

/// Whether truck `n` must hand its cargo over and has not started to.
fn awaits_handoff(sim: &Sim<'_>, n: usize) -> bool {
    let truck = &sim.trucks[n];
    !truck.handoff && truck.arrival.as_ref().is_some_and(|a| a.handoff_required)
}

fn arrived(sim: &mut Sim<'_>, n: usize, out: &Outcome, t: DateTime<Utc>) {
    sim.summary.arrivals += 1;
    let plate = sim.trucks[n].plate.clone();
    sim.on_site.insert(plate, n);
    let zone = out.bay.as_ref().map(BayId::zone);
    let holding = out.notes.contains(&Note::Holding);
    let isolated = holding || zone == Some(Zone::Isolation);
    sim.trucks[n].isolated = isolated;
    let antigen = t + sim.rng.minutes(1, 6);
    sim.at(antigen, Step::Sample(n, TestKind::Antigen));
    if isolated || sim.rng.chance(0.22) {
        let pcr = t + sim.rng.minutes(6, 25);
        sim.at(pcr, Step::Sample(n, TestKind::Pcr));
    }
    if isolated {
        return;
    }
    let stay = sim.trucks[n].stay;
    if zone == Some(Zone::Work) {
        let m = t + sim.rng.minutes(15, 45);
        sim.at(m, Step::ToParking(n));
    }
    if sim.rng.chance(0.10) {
        let s = *sim.rng.pick(ServiceKind::ALL);
        let latest = (stay.num_minutes() - 45).clamp(20, 420);
        let when = t + sim.rng.minutes(15, latest);
        sim.at(when, Step::Service(n, s));
    }
    if awaits_handoff(sim, n) {
        let h = t + sim.rng.minutes(50, 240);
        sim.at(h, Step::HandoffStart(n));
    } else {
        sim.at(t + stay, Step::Depart(n));
    }
}

fn result(sim: &mut Sim<'_>, n: usize, test: TestKind, out: &Outcome, t: DateTime<Utc>) {
    let result = out.events.iter().find_map(|(_, e)| match e {
        Event::ResultRecorded { result, .. } => Some(*result),
        _ => None,
    });
    // A result for a truck that has left changes nothing here.
    if !sim.is_on_site(n) {
        return;
    }
    let isolated = sim.trucks[n].isolated;
    match result {
        Some(TestResult::Positive) if isolated => {
            let e = t + sim.rng.minutes(10, 60);
            sim.at(e, Step::Escalate(n));
        }
        Some(TestResult::Positive) => {
            // Its departure waits for isolation's way out now.
            sim.trucks[n].isolated = true;
            let i = t + sim.rng.minutes(2, 12);
            sim.at(i, Step::Isolate(n));
        }
        Some(TestResult::Invalid) => {
            let s = t + sim.rng.minutes(3, 12);
            sim.at(s, Step::Sample(n, test));
        }
        Some(TestResult::Negative) if isolated && test == TestKind::Pcr => {
            if sim.rng.chance(0.85) {
                let r = t + sim.rng.minutes(15, 90);
                sim.at(r, Step::Release(n));
            } else {
                // The doctor wants a second PCR before deciding.
                let s = t + sim.rng.minutes(30, 120);
                sim.at(s, Step::Sample(n, TestKind::Pcr));
            }
        }
        _ => {}
    }
}

fn departed(sim: &mut Sim<'_>, n: usize, t: DateTime<Utc>) {
    sim.summary.departures += 1;
    let truck = &mut sim.trucks[n];
    truck.arrival = None;
    let plate = truck.plate.clone();
    let handoff = truck.handoff;
    sim.on_site.remove(&plate);
    if handoff {
        // The destination confirms the cargo or the escort arrived; now and
        // then hours late, and the clock shows it overdue meanwhile.
        let c = if sim.rng.chance(0.05) {
            sim.rng.minutes(6 * 60, 20 * 60)
        } else {
            sim.rng.minutes(30, 180)
        };
        sim.at(t + c, Step::HandoffConfirm(n));
    }
    // A regular comes back another day, not before its handoff is confirmed.
    if handoff {
        return;
    }
    if sim.left.len() >= REGULARS {
        let i = sim.rng.range(0, sim.left.len() as i64 - 1) as usize;
        sim.left.swap_remove(i);
    }
    sim.left.push(plate);
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn a_hold_is_forced_only_after_many_hours() {
        // Retries are 30–60 minutes apart: a force comes after 8 hours at least,
        // beyond the latest a PCR result is simulated (8 hours after sampling).
        assert!(Duration::minutes(30) * i32::from(TRIES_BEFORE_FORCE) >= Duration::hours(8));
    }
}
