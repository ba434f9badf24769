//! Demo data: twelve hours of simulated checkpoint traffic, written through
//! the same `ops::execute` as every real action, so that a new user sees a
//! living lot (and its log, clocks and isolation board) in one command.
//!
//! The simulation is a small discrete-event loop over a `FixedClock`:
//! arrivals spread over the window, each scheduling what follows it (samples,
//! results, isolation and release, handoffs, service calls, departures).
//! Whatever is scheduled after `end` never happens, which leaves results
//! pending and some overdue, as on a real lot. A deterministic PRNG makes the
//! same seed give the same lot. Refusals (a plate collision, a full zone) are
//! skipped. The generated plates, names and checks live in `traffic`.
//! Nothing here reads the system clock or knows SQL.

mod traffic;

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use anyhow::Context;
use chrono::{DateTime, Duration, Utc};

use crate::domain::bay::{BayId, Zone};
use crate::domain::clock::FixedClock;
use crate::domain::event::{
    ArrivalRecord, HandoffMode, Passenger, ServiceKind, Target, TestKind, TestResult,
};
use crate::domain::layout::Layout;
use crate::domain::plate::Plate;
use crate::domain::policy::Policy;
use crate::domain::suggest::suggest;
use crate::ops::{self, Ctx, Op, OpError, Outcome};
use crate::store::Store;
use traffic::{
    DESTINATIONS, ESCORT_TO, ORIGINS, Rng, TRANSFER_TO, cargo, code, driver, phone, plate,
    temperature,
};

/// What a demo run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoSummary {
    /// Operations that were recorded.
    pub operations: usize,
    pub arrivals: usize,
    pub departures: usize,
    /// Operations the rules refused (skipped).
    pub skipped: usize,
}

/// How long the simulated window is.
const WINDOW_HOURS: i64 = 12;

/// Arrivals that leave parking about 70% full at the end, for `layout`.
pub fn default_trucks(layout: &Layout) -> usize {
    // About 1 in 6 arrivals leaves, or ends elsewhere than parking.
    (layout.zone(Zone::Parking).capacity() as f64 * 0.70 / 0.84).round() as usize
}

/// One simulated action about truck `usize` (an index into `Sim::trucks`).
#[derive(Debug, Clone)]
enum Step {
    Arrive(usize),
    Sample(usize, TestKind),
    Result(usize, TestKind),
    Isolate(usize),
    Release(usize),
    Escalate(usize),
    ToParking(usize),
    HandoffStart(usize),
    HandoffDone(usize),
    Depart(usize),
    Service(usize, ServiceKind),
    ServiceDone(usize),
    Disinfect(Zone),
    Close(BayId, &'static str),
    Open(BayId),
}

struct Truck {
    arrival: ArrivalRecord,
    /// Where the gate puts it, if not the suggestion: a work lane or a living bay.
    lane: Option<Zone>,
    leaves: bool,
    isolated: bool,
    /// Departures the rules have refused so far.
    tries: u8,
}

struct Sim<'a> {
    rng: Rng,
    end: DateTime<Utc>,
    queue: BinaryHeap<Reverse<(DateTime<Utc>, u64)>>,
    steps: Vec<Option<Step>>,
    trucks: Vec<Truck>,
    layout: &'a Layout,
    policy: &'a Policy,
    summary: DemoSummary,
    /// Results the lab will be late with, so that a few are overdue at the end.
    late_results: usize,
    /// The hour (UTC, since the epoch) of the step being simulated.
    clock_hour: i64,
}

impl Sim<'_> {
    fn at(&mut self, t: DateTime<Utc>, step: Step) {
        if t > self.end {
            return;
        }
        self.queue.push(Reverse((t, self.steps.len() as u64)));
        self.steps.push(Some(step));
    }
}

/// Fills `store` with simulated traffic from 12 hours before `end` to `end`:
/// `trucks` arrivals and everything that follows them.
pub fn populate(
    store: &mut Store,
    policy: &Policy,
    trucks: usize,
    seed: u64,
    end: DateTime<Utc>,
) -> anyhow::Result<DemoSummary> {
    // Thousands of simulated commits need not each wait for the disk.
    store.relax_durability_for_simulation()?;
    let layout = store.layout().clone();
    let start = end - Duration::hours(WINDOW_HOURS);
    let mut sim = Sim {
        rng: Rng(seed ^ 0x7472_7563_6b6c_6f74),
        end,
        queue: BinaryHeap::new(),
        steps: Vec::new(),
        trucks: Vec::new(),
        layout: &layout,
        policy,
        summary: DemoSummary::default(),
        late_results: 2,
        clock_hour: 0,
    };
    plan(&mut sim, trucks, start);

    let clock = FixedClock::new(start);
    while let Some(Reverse((t, i))) = sim.queue.pop() {
        let Some(step) = sim.steps.get_mut(i as usize).and_then(Option::take) else {
            continue;
        };
        clock.set(t);
        sim.clock_hour = t.timestamp().div_euclid(3600);
        let (operator, terminal) = staff(&step, t, &mut sim.rng);
        let ctx = Ctx {
            action: None,
            operator,
            terminal,
            clock: &clock,
            policy,
        };
        let Some(op) = op_for(&mut sim, store, &step)? else {
            continue;
        };
        match ops::execute(store, &ctx, &op) {
            Ok(out) => {
                sim.summary.operations += 1;
                follow_up(&mut sim, &step, &out, t);
            }
            Err(OpError::Refused(_) | OpError::Invalid(_) | OpError::AlreadyDone { .. }) => {
                sim.summary.skipped += 1;
                // The gate sends a truck back to wait when the rules hold it
                // (a PCR still at the lab): it tries again an hour later.
                if let Step::Depart(n) = step
                    && sim.trucks[n].tries < 4
                {
                    sim.trucks[n].tries += 1;
                    sim.at(t + Duration::hours(1), Step::Depart(n));
                }
            }
            Err(OpError::Store(e)) => {
                return Err(e).with_context(|| format!("demo stopped at {t}"));
            }
        }
    }
    Ok(sim.summary)
}

/// Schedules the arrivals, the disinfection rounds and a few closed bays.
fn plan(sim: &mut Sim<'_>, trucks: usize, start: DateTime<Utc>) {
    let window = WINDOW_HOURS * 3600;
    for _ in 0..trucks {
        let rng = &mut sim.rng;
        let Some(plate) = plate(rng) else { continue };
        let at = start + Duration::seconds(rng.range(0, window - 60));
        let recent = (sim.end - at) < Duration::minutes(30);
        let lane = if recent && rng.chance(0.3) {
            Some(Zone::Work)
        } else if rng.chance(0.02) {
            Some(Zone::Living)
        } else {
            None
        };
        let arrival = ArrivalRecord {
            plate,
            driver: rng.chance(0.97).then(|| driver(rng)),
            phone: if rng.chance(0.92) { phone(rng) } else { None },
            cargo: cargo(rng),
            origin: Some(rng.word(ORIGINS).to_string()),
            destination: Some(rng.word(DESTINATIONS).to_string()),
            temperature: temperature(rng),
            code: Some(code(rng)),
            travel_flag: rng.chance(0.001),
            handoff_required: rng.chance(0.04),
            passengers: Vec::new(),
            gate: Some(if rng.chance(0.6) { "east" } else { "west" }.to_string()),
            venue_code: Some(rng.chance(0.97)),
        };
        let mut arrival = arrival;
        // About one cab in five carries a co-driver.
        if rng.chance(0.2)
            && let Some(t) = temperature(rng)
        {
            arrival.passengers.push(Passenger {
                name: Some(driver(rng)),
                phone: phone(rng),
                temperature: Some(t),
                code: Some(code(rng)),
            });
        }
        let leaves = rng.chance(0.16);
        sim.trucks.push(Truck {
            arrival,
            lane,
            leaves,
            isolated: false,
            tries: 0,
        });
        let n = sim.trucks.len() - 1;
        sim.at(at, Step::Arrive(n));
    }
    for zone in Zone::ALL {
        let mut t = start + sim.rng.minutes(5, 200);
        while t < sim.end {
            sim.at(t, Step::Disinfect(zone));
            t += sim.rng.minutes(200, 250);
        }
    }
    let parking = sim.layout.zone(Zone::Parking).bays.clone();
    let reasons = [
        "路面破损维修",
        "积水 / water on the bay",
        "消毒作业中",
        "blocked by a broken-down trailer",
    ];
    for reason in reasons {
        let i = sim.rng.range(parking.start as i64, parking.end as i64 - 1) as usize;
        let bay = sim.layout.bays[i].id.clone();
        let t = start + sim.rng.minutes(0, 30);
        sim.at(t, Step::Close(bay.clone(), reason));
        if sim.rng.chance(0.3) {
            let back = t + sim.rng.minutes(120, 600);
            sim.at(back, Step::Open(bay));
        }
    }
    let iso = sim.layout.zone(Zone::Isolation).bays.clone();
    if let Some(last) = iso.end.checked_sub(1).filter(|&l| l >= iso.start) {
        let bay = sim.layout.bays[last].id.clone();
        let t = start + sim.rng.minutes(0, 20);
        sim.at(t, Step::Close(bay, reasons[2]));
    }
}

/// Who does what: gate staff in two shifts at two gates, the shift lead for
/// isolation decisions.
fn staff(step: &Step, t: DateTime<Utc>, rng: &mut Rng) -> (&'static str, &'static str) {
    // Shanghai is UTC+8: the day shift is 08:00–20:00 there.
    let hour = (t.timestamp().div_euclid(3600) + 8).rem_euclid(24);
    let day = (8..20).contains(&hour);
    match step {
        Step::Isolate(_) | Step::Release(_) | Step::Escalate(_) => {
            (if day { "zhao.min" } else { "sun.lei" }, "lead")
        }
        _ => {
            let who = if day { "li.na" } else { "wang.qiang" };
            (who, if rng.chance(0.7) { "gate-1" } else { "gate-2" })
        }
    }
}

/// A free, open bay of `zone`, by the lot's own suggestion.
fn free_bay(
    store: &Store,
    layout: &Layout,
    zone: Zone,
    priority: bool,
) -> anyhow::Result<Option<BayId>> {
    let lot = store.lot()?;
    let free = |i: usize| {
        lot.bays
            .get(i)
            .is_some_and(|b| b.occupant.is_none() && b.closed.is_none())
    };
    Ok(suggest(layout, zone, priority, free).map(|i| layout.bays[i].id.clone()))
}

fn op_for(sim: &mut Sim<'_>, store: &Store, step: &Step) -> anyhow::Result<Option<Op>> {
    let plate = |n: usize| sim.trucks[n].arrival.plate.clone();
    Ok(Some(match step {
        Step::Arrive(n) => {
            let truck = &sim.trucks[*n];
            let bay = match truck.lane {
                Some(zone) => free_bay(store, sim.layout, zone, false)?,
                None => None,
            };
            // A lane is for clean arrivals; flagged ones go where the checks say.
            let clean = is_clean(sim.policy, &truck.arrival);
            Op::Arrive {
                arrival: truck.arrival.clone(),
                bay: bay.filter(|_| clean),
                override_reason: None,
            }
        }
        Step::Sample(n, test) => Op::Sample {
            plate: plate(*n),
            test: *test,
            tube: None,
            // The lab collects PCR tubes in four batches a day.
            batch: (*test == TestKind::Pcr).then(|| {
                let hour = (sim.clock_hour + 8).rem_euclid(24);
                format!("PCR-B{}", hour / 6 + 1)
            }),
        },
        Step::Result(n, test) => {
            let p = sim.rng.unit();
            let positive = if sim.trucks[*n].isolated { 0.03 } else { 0.002 };
            let result = if p < positive {
                TestResult::Positive
            } else if p < positive + 0.02 {
                TestResult::Invalid
            } else {
                TestResult::Negative
            };
            Op::Result {
                plate: plate(*n),
                test: *test,
                result,
            }
        }
        Step::Isolate(n) => Op::Isolate {
            plate: plate(*n),
            reason: "positive test result".into(),
            bay: None,
        },
        Step::Release(n) => Op::Release {
            plate: plate(*n),
            reason: "PCR negative, no symptoms".into(),
            by: "区卫健局 王医生".into(),
            bay: None,
        },
        Step::Escalate(n) => Op::Escalate {
            plate: plate(*n),
            note: "positive result reported to the district health office".into(),
        },
        Step::ToParking(n) => {
            let priority = sim.trucks[*n].arrival.cargo.is_priority();
            match free_bay(store, sim.layout, Zone::Parking, priority)? {
                Some(to) => Op::Move {
                    plate: plate(*n),
                    to,
                },
                None => return Ok(None),
            }
        }
        Step::HandoffStart(n) => {
            if sim.rng.chance(0.4) {
                Op::HandoffStart {
                    plate: plate(*n),
                    mode: HandoffMode::Escort,
                    receiver: None,
                    company: None,
                    escort: Some(sim.rng.word(ESCORT_TO).to_string()),
                    by: None,
                    bay: None,
                }
            } else {
                // "晋D5K231 长治市物资公司": the receiving vehicle, then its company.
                let (receiver, company) = sim
                    .rng
                    .word(TRANSFER_TO)
                    .split_once(' ')
                    .unwrap_or_default();
                Op::HandoffStart {
                    plate: plate(*n),
                    mode: HandoffMode::Transfer,
                    receiver: Plate::parse(receiver).ok(),
                    company: Some(company.to_string()),
                    escort: None,
                    by: None,
                    bay: None,
                }
            }
        }
        Step::HandoffDone(n) => Op::HandoffDone { plate: plate(*n) },
        Step::Depart(n) => Op::Depart {
            plate: plate(*n),
            force_reason: None,
        },
        Step::Service(n, service) => Op::ServiceRequest {
            plate: plate(*n),
            service: *service,
        },
        Step::ServiceDone(n) => Op::ServiceDone {
            plate: plate(*n),
            service: None,
        },
        Step::Disinfect(zone) => Op::Disinfect {
            target: Target::Zone(*zone),
        },
        Step::Close(bay, reason) => Op::CloseBay {
            bay: bay.clone(),
            reason: reason.to_string(),
        },
        Step::Open(bay) => Op::OpenBay { bay: bay.clone() },
    }))
}

/// Whether the checks let this arrival into a bay outside isolation.
fn is_clean(policy: &Policy, a: &ArrivalRecord) -> bool {
    policy.findings(&a.people(), a.travel_flag).is_empty()
}

/// What a recorded step sets in motion.
fn follow_up(sim: &mut Sim<'_>, step: &Step, out: &Outcome, t: DateTime<Utc>) {
    match step {
        Step::Arrive(n) => {
            let n = *n;
            sim.summary.arrivals += 1;
            let zone = out.bay.as_ref().map(BayId::zone);
            let isolated = zone == Some(Zone::Isolation);
            sim.trucks[n].isolated = isolated;
            let antigen = t + sim.rng.minutes(1, 6);
            sim.at(antigen, Step::Sample(n, TestKind::Antigen));
            if isolated || sim.rng.chance(0.22) {
                let pcr = t + sim.rng.minutes(6, 25);
                sim.at(pcr, Step::Sample(n, TestKind::Pcr));
            }
            if zone == Some(Zone::Work) {
                let m = t + sim.rng.minutes(15, 45);
                sim.at(m, Step::ToParking(n));
            }
            if sim.rng.chance(0.10) {
                let s = *sim.rng.pick(ServiceKind::ALL);
                let when = t + sim.rng.minutes(30, 420);
                sim.at(when, Step::Service(n, s));
            }
            let truck = &sim.trucks[n];
            if truck.arrival.handoff_required && !isolated {
                let h = t + sim.rng.minutes(50, 240);
                sim.at(h, Step::HandoffStart(n));
            } else if truck.leaves && !isolated {
                let d = t + sim.rng.minutes(90, 600);
                sim.at(d, Step::Depart(n));
            }
        }
        Step::Sample(n, test) => {
            let due = t + match test {
                TestKind::Antigen => sim.policy.antigen_due(),
                TestKind::Pcr => sim.policy.pcr_due(),
            };
            // Due in the last hour and a half, and the lab is late: overdue now.
            if sim.late_results > 0 && due < sim.end && sim.end - due < Duration::minutes(90) {
                sim.late_results -= 1;
                return;
            }
            let delay = match test {
                TestKind::Antigen if sim.rng.chance(0.02) => sim.rng.minutes(16, 50),
                TestKind::Antigen => sim.rng.minutes(5, 14),
                TestKind::Pcr if sim.rng.chance(0.05) => sim.rng.minutes(330, 480),
                TestKind::Pcr => sim.rng.minutes(150, 340),
            };
            sim.at(t + delay, Step::Result(*n, *test));
        }
        Step::Result(n, test) => {
            let n = *n;
            let result = out.events.iter().find_map(|(_, e)| match e {
                crate::domain::event::Event::ResultRecorded { result, .. } => Some(*result),
                _ => None,
            });
            let isolated = sim.trucks[n].isolated;
            match result {
                Some(TestResult::Positive) if isolated => {
                    let e = t + sim.rng.minutes(10, 60);
                    sim.at(e, Step::Escalate(n));
                }
                Some(TestResult::Positive) => {
                    let i = t + sim.rng.minutes(2, 12);
                    sim.at(i, Step::Isolate(n));
                }
                Some(TestResult::Invalid) => {
                    let s = t + sim.rng.minutes(3, 12);
                    sim.at(s, Step::Sample(n, *test));
                }
                Some(TestResult::Negative)
                    if isolated && *test == TestKind::Pcr && sim.rng.chance(0.8) =>
                {
                    let r = t + sim.rng.minutes(15, 90);
                    sim.at(r, Step::Release(n));
                }
                _ => {}
            }
        }
        Step::Isolate(n) => {
            sim.trucks[*n].isolated = true;
            let s = t + sim.rng.minutes(15, 40);
            sim.at(s, Step::Sample(*n, TestKind::Pcr));
        }
        Step::Release(n) => {
            sim.trucks[*n].isolated = false;
            if sim.rng.chance(0.5) {
                let d = t + sim.rng.minutes(30, 180);
                sim.at(d, Step::Depart(*n));
            }
        }
        Step::HandoffStart(n) => {
            let d = t + sim.rng.minutes(40, 150);
            sim.at(d, Step::HandoffDone(*n));
        }
        Step::HandoffDone(n) => {
            let d = t + sim.rng.minutes(10, 40);
            sim.at(d, Step::Depart(*n));
        }
        Step::Service(n, _) => {
            let d = t + sim.rng.minutes(5, 35);
            sim.at(d, Step::ServiceDone(*n));
        }
        Step::Depart(_) => sim.summary.departures += 1,
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_fills_parking_to_about_seventy_percent() {
        let l = Layout::default_lot();
        let n = default_trucks(&l);
        assert!((900..=1200).contains(&n), "{n}");
    }
}
