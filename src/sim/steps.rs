//! The simulation's steps, and the operation each becomes when its time
//! comes — with who performs it (gate staff in two shifts at two gates, the
//! shift lead for isolation decisions). A step whose truck has left or
//! changed course becomes nothing.
//!
//! What lives elsewhere: when steps are scheduled (`day`, `follow`).

use chrono::{DateTime, Timelike, Utc};

use super::Sim;
use super::traffic::{ESCORT_TO, Rng, TRANSFER_TO, plate};
use crate::domain::bay::{BayId, Zone};
use crate::domain::event::{HandoffMode, ServiceKind, Target, TestKind, TestResult};
use crate::domain::gate::gate_findings;
use crate::domain::plate::Plate;
use crate::domain::suggest::suggest;
use crate::ops::Op;
use crate::store::{Store, StoreError};
use crate::tz::Tz;

/// One simulated action; `usize` is a truck (an index into `Sim::trucks`).
#[derive(Debug, Clone)]
pub(super) enum Step {
    /// Plans day `u32` of the scenario (not an operation).
    Day(u32),
    Arrive(usize),
    Sample(usize, TestKind),
    Result(usize, TestKind),
    /// After a positive result outside isolation, or when a bay frees for
    /// a truck on the holding list.
    Isolate(usize),
    Release(usize),
    Escalate(usize),
    /// The escorted departure someone authorised: the way out for a
    /// positive truck.
    Escort(usize),
    ToParking(usize),
    HandoffStart(usize),
    HandoffDone(usize),
    HandoffConfirm(usize),
    Depart(usize),
    /// A departure the shift lead forces, with a reason, after the lab has
    /// kept the truck waiting far too long.
    ForceDepart(usize),
    Service(usize, ServiceKind),
    ServiceDone(usize, ServiceKind),
    Disinfect(Zone),
    /// A free bay of the zone is closed, for the reason given.
    Close(Zone, &'static str),
    Open(BayId),
}

impl Step {
    /// The truck the step is about, if any.
    fn truck(&self) -> Option<usize> {
        match *self {
            Step::Arrive(n)
            | Step::Sample(n, _)
            | Step::Result(n, _)
            | Step::Isolate(n)
            | Step::Release(n)
            | Step::Escalate(n)
            | Step::Escort(n)
            | Step::ToParking(n)
            | Step::HandoffStart(n)
            | Step::HandoffDone(n)
            | Step::HandoffConfirm(n)
            | Step::Depart(n)
            | Step::ForceDepart(n)
            | Step::Service(n, _)
            | Step::ServiceDone(n, _) => Some(n),
            Step::Day(_) | Step::Disinfect(_) | Step::Close(..) | Step::Open(_) => None,
        }
    }
}

/// Who decides for isolation: the district's health officer.
const HEALTH_OFFICER: &str = "区卫健局 王医生";

/// The operation `step` becomes at `t`, or `None` when there is nothing to do.
pub(super) fn op_for(
    sim: &mut Sim<'_>,
    store: &mut Store,
    step: &Step,
    t: DateTime<Utc>,
) -> Result<Option<Op>, StoreError> {
    let plate = |n: usize| sim.trucks[n].plate.clone();
    if let Some(n) = step.truck()
        && !matches!(step, Step::Arrive(_))
    {
        // A result or a confirmation may come after the truck left, unless
        // its plate is back on site as another stay; anything else is for
        // a truck on site only.
        let late = matches!(step, Step::Result(..) | Step::HandoffConfirm(_));
        let here = sim.on_site.get(&sim.trucks[n].plate);
        if here.is_some_and(|&m| m != n) || (here.is_none() && !late) {
            return Ok(None);
        }
    }
    Ok(Some(match step {
        Step::Day(_) => return Ok(None),
        Step::Arrive(n) => return arrive(sim, store, *n),
        Step::Sample(n, test) => Op::Sample {
            plate: plate(*n),
            test: *test,
            tube: None,
            // The lab collects PCR tubes in four batches a day.
            batch: (*test == TestKind::Pcr).then(|| {
                let hour = t.with_timezone(&sim.sc.timezone).hour();
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
            reason: "检测阳性 / positive test result".into(),
            bay: None,
        },
        Step::Release(n) => Op::Release {
            plate: plate(*n),
            reason: "核酸阴性，无症状 / PCR negative, no symptoms".into(),
            by: HEALTH_OFFICER.into(),
            bay: None,
        },
        Step::Escalate(n) => Op::Escalate {
            plate: plate(*n),
            note: "阳性已报区卫健局 / positive reported to the district health office".into(),
        },
        Step::Escort(n) => Op::HandoffStart {
            plate: plate(*n),
            mode: HandoffMode::Escort,
            receiver: None,
            company: None,
            escort: Some(sim.rng.word(ESCORT_TO).to_string()),
            by: Some(HEALTH_OFFICER.into()),
            bay: None,
        },
        Step::ToParking(n) => {
            let priority = sim.trucks[*n]
                .arrival
                .as_ref()
                .is_some_and(|a| a.cargo.is_priority());
            match free_bay(store, Zone::Parking, priority)? {
                Some(to) => Op::Move {
                    plate: plate(*n),
                    to,
                },
                None => return Ok(None),
            }
        }
        Step::HandoffStart(n) => handoff(&mut sim.rng, plate(*n)),
        Step::HandoffDone(n) => Op::HandoffDone { plate: plate(*n) },
        Step::HandoffConfirm(n) => Op::HandoffConfirm { plate: plate(*n) },
        Step::Depart(n) => Op::Depart {
            plate: plate(*n),
            force_reason: None,
        },
        Step::ForceDepart(n) => Op::Depart {
            plate: plate(*n),
            force_reason: Some(
                "结果延误，带班组长放行 / lab result late; let out by the shift lead".into(),
            ),
        },
        Step::Service(n, service) => Op::ServiceRequest {
            plate: plate(*n),
            service: *service,
        },
        Step::ServiceDone(n, service) => Op::ServiceDone {
            plate: plate(*n),
            service: Some(*service),
        },
        Step::Disinfect(zone) => Op::Disinfect {
            target: Target::Zone(*zone),
        },
        Step::Close(zone, reason) => {
            let mask = store.read(|tx| tx.free_mask(*zone))?;
            let free: Vec<usize> = (0..mask.len()).filter(|&i| mask[i]).collect();
            if free.is_empty() {
                return Ok(None);
            }
            let i = *sim.rng.pick(&free);
            Op::CloseBay {
                bay: sim.layout.bays[i].id.clone(),
                reason: reason.to_string(),
            }
        }
        Step::Open(bay) => Op::OpenBay { bay: bay.clone() },
    }))
}

/// The gate registers truck `n`: in the lane or living bay it was sent to
/// when the checks allow (the suggestion otherwise). A plate already on
/// site is a generator's coincidence: the truck gets another.
fn arrive(sim: &mut Sim<'_>, store: &mut Store, n: usize) -> Result<Option<Op>, StoreError> {
    if sim.on_site.contains_key(&sim.trucks[n].plate) {
        let Some(fresh) = fresh_plate(sim) else {
            return Ok(None);
        };
        sim.trucks[n].plate = fresh.clone();
        if let Some(a) = sim.trucks[n].arrival.as_mut() {
            a.plate = fresh;
        }
    }
    let truck = &sim.trucks[n];
    let Some(arrival) = truck.arrival.clone() else {
        return Ok(None);
    };
    // A lane is for clean arrivals; flagged ones go where the checks say
    // (a truck whose last stay left positive is flagged too, as the gate
    // flags it).
    let positive_before = crate::ops::positive_before(store, &arrival.plate)?;
    let clean = gate_findings(
        sim.policy,
        &arrival.people(),
        arrival.travel_flag,
        positive_before,
    )
    .is_empty();
    let bay = match truck.lane {
        Some(zone) if clean => free_bay(store, zone, false)?,
        _ => None,
    };
    Ok(Some(Op::Arrive {
        arrival,
        bay,
        override_reason: None,
    }))
}

/// A generated plate not on site now (a few tries; `None` is vanishingly rare).
fn fresh_plate(sim: &mut Sim<'_>) -> Option<Plate> {
    (0..8)
        .filter_map(|_| plate(&mut sim.rng))
        .find(|p| !sim.on_site.contains_key(p))
}

/// A cargo transfer to a local vehicle, or an escorted run to the destination.
fn handoff(rng: &mut Rng, plate: Plate) -> Op {
    if rng.chance(0.4) {
        return Op::HandoffStart {
            plate,
            mode: HandoffMode::Escort,
            receiver: None,
            company: None,
            escort: Some(rng.word(ESCORT_TO).to_string()),
            by: None,
            bay: None,
        };
    }
    // "晋D5K231 长治市物资公司": the receiving vehicle, then its company.
    let (receiver, company) = rng.word(TRANSFER_TO).split_once(' ').unwrap_or_default();
    Op::HandoffStart {
        plate,
        mode: HandoffMode::Transfer,
        receiver: Plate::parse(receiver).ok(),
        company: Some(company.to_string()),
        escort: None,
        by: None,
        bay: None,
    }
}

/// The free, open bay of `zone` the lot would suggest.
fn free_bay(store: &mut Store, zone: Zone, priority: bool) -> Result<Option<BayId>, StoreError> {
    let mask = store.read(|tx| tx.free_mask(zone))?;
    let layout = store.layout();
    Ok(suggest(layout, zone, priority, |i| mask[i]).map(|i| layout.bays[i].id.clone()))
}

/// Who does `step` at `t`: gate staff in two shifts at two gates, the shift
/// lead for isolation decisions.
pub(super) fn staff(
    step: &Step,
    t: DateTime<Utc>,
    tz: Tz,
    rng: &mut Rng,
) -> (&'static str, &'static str) {
    let hour = t.with_timezone(&tz).hour();
    let day = (8..20).contains(&hour);
    match step {
        Step::Isolate(_)
        | Step::Release(_)
        | Step::Escalate(_)
        | Step::Escort(_)
        | Step::ForceDepart(_) => (if day { "zhao.min" } else { "sun.lei" }, "lead"),
        _ => {
            let who = if day { "li.na" } else { "wang.qiang" };
            (who, if rng.chance(0.7) { "gate-1" } else { "gate-2" })
        }
    }
}
