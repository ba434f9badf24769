//! A demo lot living on: the simulator driven forward from the lot as it
//! is, in step with a clock (the interface's compressed one), while the
//! interface runs.
//!
//! The simulation's own state (its trucks and what is scheduled for them)
//! ends with the run that made the history, so it is taken over from the
//! lot: every truck on site gets what would have come next for it (the
//! results still at the lab, the isolation's way out, its handoff, its
//! departure when its stay is up), as do departed trucks whose handoff
//! the destination has not confirmed and closed bays; new arrivals come
//! from the same daily waves, from now on. After that it is the same
//! event loop, steps and follow-ups as `run`.
//!
//! Each operation is its own transaction (no `Store::bulk`, durability as
//! for any terminal), recorded by the operator `demo` at the terminal
//! `demo`, at the clock's time. A step the rules refuse is skipped or
//! retried as in `run`, never forced; one the database could not take
//! (another terminal held the lock past the busy timeout, or wrote the
//! same thing first) is tried again later or dropped; any other store
//! error ends the run.
//!
//! What lives elsewhere: the thread, the clock and stopping (`tui::demo`),
//! the mark that makes a lot a demo (`store::DemoLot`).

use std::cmp::Reverse;
use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};

use super::steps::Step;
use super::{Scenario, SimError, Summary, Truck, day, waves};
use super::{Scheduled, Sim};
use crate::domain::bay::{BayId, Zone};
use crate::domain::clock::{Clock, FixedClock};
use crate::domain::event::{ArrivalRecord, StayId, TestKind, TestResult};
use crate::domain::policy::{Policy, Temperature};
use crate::domain::stay::Status;
use crate::store::{DemoLot, StayDetail, Store, StoreError};
use crate::tz::Tz;

/// Who records the demo's live traffic, and where: plainly not a person
/// nor a gate.
const DEMO_OPERATOR: &str = "demo";
const DEMO_TERMINAL: &str = "demo";

/// Steps run before `pause` is asked again, when many are due at once.
const ROUND: usize = 8;

/// Runs the demo's traffic on `store` from the lot as it is now, at
/// `clock`'s time, until `pause` says to stop. `pause(summary, idle)` is
/// called after every few steps (`idle` false) and whenever nothing is due
/// yet (`idle` true: where a caller waits a moment); it returns whether to
/// go on. Every step runs whole before `pause` is asked, so stopping
/// leaves nothing half-written.
pub fn live(
    store: &mut Store,
    policy: &Policy,
    demo: &DemoLot,
    timezone: Tz,
    clock: &dyn Clock,
    pause: &mut dyn FnMut(&Summary, bool) -> bool,
) -> Result<Summary, SimError> {
    let now = clock.now();
    let sc = Scenario {
        start: now,
        // Nothing is dropped as past the end: the lot lives as long as
        // the interface is open.
        end: DateTime::<Utc>::MAX_UTC,
        trucks_per_day: demo.trucks_per_day,
        // Another session, other trucks; the same session, the same ones.
        seed: demo.seed ^ (now.timestamp_millis() as u64).rotate_left(29),
        timezone,
    };
    let layout = store.layout().clone();
    let mut sim = Sim::new(&sc, &layout, policy);
    sim.staff = Some((DEMO_OPERATOR, DEMO_TERMINAL));
    day::begin(&mut sim);
    let lot = present(store).map_err(|source| SimError::Store { at: now, source })?;
    adopt(&mut sim, lot, now);
    let fixed = FixedClock::new(now);
    loop {
        let mut ran = 0;
        while ran < ROUND {
            let now = clock.now();
            match sim.queue.peek() {
                Some(Reverse(next)) if next.at <= now => {}
                _ => break,
            }
            let Some(Reverse(Scheduled { step, .. })) = sim.queue.pop() else {
                break;
            };
            // At the clock's time, not the step's: the log stays in time
            // order with the operator's own actions beside it.
            sim.live_step(store, &fixed, now, step)
                .map_err(|source| SimError::Store { at: now, source })?;
            ran += 1;
        }
        if !pause(&sim.summary, ran == 0) {
            return Ok(sim.summary);
        }
    }
}

impl Sim<'_> {
    /// `step` at `t`, as `step` runs it, except what the database could
    /// not take: held up by a lock another terminal kept past the busy
    /// timeout, it is tried again a minute later; beaten to it by another
    /// terminal (a constraint), it is dropped.
    fn live_step(
        &mut self,
        store: &mut Store,
        clock: &FixedClock,
        t: DateTime<Utc>,
        step: Step,
    ) -> Result<(), StoreError> {
        let again = step.clone();
        match self.step(store, clock, t, step) {
            Err(StoreError::Busy) => {
                self.summary.skipped += 1;
                self.at(t + Duration::minutes(1), again);
                Ok(())
            }
            Err(StoreError::Conflict(_)) => {
                self.summary.skipped += 1;
                Ok(())
            }
            other => other,
        }
    }
}

/// What the lot holds now that the simulation takes over: every stay on
/// site or with a handoff to confirm, and the closed bays.
struct Present {
    stays: Vec<StayDetail>,
    closed: Vec<BayId>,
}

/// The lot, read in one snapshot.
fn present(store: &Store) -> Result<Present, StoreError> {
    store.consistent(|s| {
        let lot = s.lot()?;
        let facts = s.clock_facts()?;
        // Stays in their order of arrival, so a seed gives the same run.
        let mut ids: BTreeSet<i64> = lot
            .bays
            .iter()
            .filter_map(|b| b.occupant.as_ref().map(|o| o.stay.0))
            .collect();
        ids.extend(facts.samples.iter().map(|x| x.truck.stay.0));
        ids.extend(facts.isolations.iter().map(|x| x.truck.stay.0));
        ids.extend(facts.services.iter().map(|x| x.truck.stay.0));
        ids.extend(facts.handoffs.iter().map(|x| x.truck.stay.0));
        let mut stays = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(d) = s.stay_detail(StayId(id))? {
                stays.push(d);
            }
        }
        let closed = lot
            .bays
            .iter()
            .zip(&s.layout().bays)
            .filter(|(view, _)| view.closed.is_some())
            .map(|(_, bay)| bay.id.clone())
            .collect();
        Ok(Present { stays, closed })
    })
}

/// Takes the lot over at `now`: each stay becomes a truck of the
/// simulation with its next step scheduled, each closed bay is reopened
/// some hours on.
fn adopt(sim: &mut Sim<'_>, lot: Present, now: DateTime<Utc>) {
    for d in lot.stays {
        adopt_stay(sim, d, now);
    }
    for bay in lot.closed {
        let at = now + sim.rng.minutes(30, 8 * 60);
        sim.at(at, Step::Open(bay));
    }
}

fn adopt_stay(sim: &mut Sim<'_>, d: StayDetail, now: DateTime<Utc>) {
    let on_site = d.departed_at.is_none();
    let under_isolation = d.isolated_at.is_some() && d.released_at.is_none();
    let priority = d.cargo.is_priority();
    let stay = waves::stay(&mut sim.rng, sim.mean_stay, priority);
    sim.trucks.push(Truck {
        plate: d.plate.clone(),
        arrival: on_site.then(|| arrival_of(&d)),
        lane: None,
        stay,
        isolated: on_site && (under_isolation || d.status == Status::Holding),
        handoff: d.handoff_started_at.is_some(),
        tries: 0,
    });
    let n = sim.trucks.len() - 1;
    if !on_site {
        if d.handoff_done_at.is_some() && d.handoff_confirmed_at.is_none() {
            let at = now + sim.rng.minutes(10, 120);
            sim.at(at, Step::HandoffConfirm(n));
        }
        return;
    }
    sim.on_site.insert(d.plate.clone(), n);
    for sample in d.samples.iter().filter(|x| x.result.is_none()) {
        // When the lab would have answered, or soon if that has passed.
        let usual = match sample.test {
            TestKind::Antigen => sim.rng.minutes(5, 14),
            TestKind::Pcr => sim.rng.minutes(150, 340),
        };
        let soon = now + sim.rng.minutes(1, 10);
        sim.at(
            (sample.taken_at + usual).max(soon),
            Step::Result(n, sample.test),
        );
    }
    for call in d.services.iter().filter(|c| c.done_at.is_none()) {
        let at = now + sim.rng.minutes(5, 35);
        sim.at(at, Step::ServiceDone(n, call.service));
    }
    match d.status {
        Status::Holding => {
            let at = now + sim.rng.minutes(1, 10);
            sim.at(at, Step::Isolate(n));
        }
        Status::Isolated => isolated(sim, n, &d, now),
        Status::Handoff => {
            let at = now + sim.rng.minutes(10, 90);
            sim.at(at, Step::HandoffDone(n));
        }
        Status::HandoffDone => {
            let at = now + sim.rng.minutes(5, 30);
            sim.at(at, Step::Depart(n));
        }
        Status::Parked => parked(sim, n, &d, now),
        Status::Departed => {}
    }
}

/// An isolated truck's way out: an escort once escalated, an escalation
/// after a positive result, a release after a negative PCR, or else a PCR
/// (unless one is at the lab, whose result `follow` acts on).
fn isolated(sim: &mut Sim<'_>, n: usize, d: &StayDetail, now: DateTime<Utc>) {
    let soon = now + sim.rng.minutes(10, 60);
    let latest = latest_result(d, None, None);
    let pcr_since = latest_result(d, Some(TestKind::Pcr), d.isolated_at);
    let pcr_pending = d
        .samples
        .iter()
        .any(|x| x.test == TestKind::Pcr && x.result.is_none());
    if d.escalated_at.is_some() {
        sim.at(soon, Step::Escort(n));
    } else if latest == Some(TestResult::Positive) {
        sim.at(soon, Step::Escalate(n));
    } else if pcr_pending {
        // Its result, scheduled with the pending samples, decides.
    } else if pcr_since == Some(TestResult::Negative) {
        sim.at(soon, Step::Release(n));
    } else {
        let at = now + sim.rng.minutes(5, 30);
        sim.at(at, Step::Sample(n, TestKind::Pcr));
    }
}

/// A parked truck: isolated if a positive result has not been acted on;
/// else out of its work lane, then its handoff or its departure when its
/// stay is up (spread over the coming hours if it already is).
fn parked(sim: &mut Sim<'_>, n: usize, d: &StayDetail, now: DateTime<Utc>) {
    if d.isolated_at.is_none() && latest_result(d, None, None) == Some(TestResult::Positive) {
        sim.trucks[n].isolated = true;
        let at = now + sim.rng.minutes(2, 12);
        sim.at(at, Step::Isolate(n));
        return;
    }
    if d.bay.as_ref().map(BayId::zone) == Some(Zone::Work) {
        let at = now + sim.rng.minutes(5, 30);
        sim.at(at, Step::ToParking(n));
    }
    if d.handoff_required && d.handoff_started_at.is_none() {
        let at = now + sim.rng.minutes(20, 120);
        sim.at(at, Step::HandoffStart(n));
        return;
    }
    let planned = d.arrived_at + sim.trucks[n].stay;
    let at = if planned > now {
        planned
    } else {
        let mean = sim.mean_stay.num_minutes().max(10);
        now + sim.rng.minutes(5, mean)
    };
    sim.at(at, Step::Depart(n));
}

/// The latest result of the stay (of `test`, given after `since`, if asked).
fn latest_result(
    d: &StayDetail,
    test: Option<TestKind>,
    since: Option<DateTime<Utc>>,
) -> Option<TestResult> {
    d.samples
        .iter()
        .filter(|x| test.is_none_or(|t| x.test == t))
        .filter_map(|x| Some((x.result_at?, x.result?)))
        .filter(|(at, _)| since.is_none_or(|s| *at >= s))
        .max_by_key(|(at, _)| *at)
        .map(|(_, r)| r)
}

/// The arrival as the simulation keeps it for a truck on site: its cargo
/// and whether it must hand its cargo over are what the steps read.
fn arrival_of(d: &StayDetail) -> ArrivalRecord {
    ArrivalRecord {
        plate: d.plate.clone(),
        driver: d.driver.clone(),
        phone: d.phone.clone(),
        cargo: d.cargo,
        origin: d.origin.clone(),
        destination: d.destination.clone(),
        temperature: d.temperature.and_then(|c| Temperature::new(c).ok()),
        code: d.code,
        travel_flag: d.travel_flag,
        handoff_required: d.handoff_required,
        passengers: Vec::new(),
        gate: d.gate.clone(),
        venue_code: d.venue_code,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::layout::DEFAULT_LAYOUT;
    use crate::store::LogFilter;
    use chrono::TimeZone;

    fn demo() -> DemoLot {
        DemoLot {
            trucks_per_day: 600,
            seed: 11,
            speed: 60,
        }
    }

    /// A lot with a day of history made by `run`, ending at `end`.
    fn history(dir: &std::path::Path, end: DateTime<Utc>) -> Store {
        let mut store = Store::create(&dir.join("lot.db"), DEFAULT_LAYOUT).unwrap();
        let sc = Scenario {
            start: end - Duration::days(1),
            end,
            trucks_per_day: demo().trucks_per_day,
            seed: demo().seed,
            timezone: crate::tz::Tz::shanghai(),
        };
        super::super::run(&mut store, &Policy::default(), &sc, &mut |_| {}).unwrap();
        store
    }

    /// `live` for `minutes` simulated minutes on a clock moved by hand,
    /// a minute whenever nothing is due.
    fn live_for(store: &mut Store, from: DateTime<Utc>, minutes: i64) -> Summary {
        let clock = FixedClock::new(from);
        let until = from + Duration::minutes(minutes);
        live(
            store,
            &Policy::default(),
            &demo(),
            crate::tz::Tz::shanghai(),
            &clock,
            &mut |_, idle| {
                if idle {
                    clock.advance(Duration::minutes(1));
                }
                clock.now() < until
            },
        )
        .unwrap()
    }

    #[test]
    fn the_lot_lives_on_from_where_it_is_by_the_rules() {
        let dir = tempfile::tempdir().unwrap();
        let end = Utc.with_ymd_and_hms(2026, 3, 2, 2, 0, 0).unwrap();
        let mut store = history(dir.path(), end);
        let before = store.event_count().unwrap();
        let pending_before = store.clock_facts().unwrap().samples.len();
        assert!(pending_before > 0, "the history leaves results pending");
        let summary = live_for(&mut store, end, 8 * 60);
        assert!(summary.operations > 100, "{summary:?}");
        assert!(
            summary.arrivals > 20 && summary.departures > 20,
            "{summary:?}"
        );
        // Every operation is an event or more (an arrival records its checks too).
        let after = store.event_count().unwrap();
        assert!(
            after - before >= summary.operations as i64,
            "{before} → {after}"
        );
        // Recorded as the demo, in time order after the history.
        let ours = store
            .log(&LogFilter {
                since: Some(end),
                ..LogFilter::default()
            })
            .unwrap();
        assert!(!ours.is_empty());
        assert!(
            ours.iter()
                .all(|e| e.operator == DEMO_OPERATOR && e.terminal == DEMO_TERMINAL)
        );
        // The trucks that were waiting for the lab got their results: none
        // of the samples pending at the start is still pending eight hours
        // on (a PCR takes at most about six).
        let still: Vec<_> = store
            .clock_facts()
            .unwrap()
            .samples
            .into_iter()
            .filter(|x| x.taken_at < end)
            .collect();
        assert!(still.is_empty(), "{still:?}");
        let check = store.check().unwrap();
        assert!(check.ok(), "{check:?}");
    }

    #[test]
    fn nothing_runs_before_its_time_and_a_stop_is_obeyed() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::create(&dir.path().join("lot.db"), DEFAULT_LAYOUT).unwrap();
        let from = Utc.with_ymd_and_hms(2026, 3, 2, 2, 0, 0).unwrap();
        let clock = FixedClock::new(from);
        let mut asked = 0;
        let summary = live(
            &mut store,
            &Policy::default(),
            &demo(),
            crate::tz::Tz::shanghai(),
            &clock,
            &mut |_, _| {
                asked += 1;
                false
            },
        )
        .unwrap();
        assert_eq!(asked, 1);
        assert_eq!(summary.operations, 0, "nothing was due yet");
        assert_eq!(store.event_count().unwrap(), 0);
    }
}
