//! Random sequences of everything an operator can do, on a small lot (so that
//! bays collide and zones fill up), on a real WAL database file, with the
//! clock moving. After every step the lot must be sound; at the end the state
//! tables must equal a replay of the log. Before every arrival into the
//! suggested bay, the plan the TUI's form would show (`ops::plan` over the
//! read model) must be exactly what `ops::execute` then does.
//!
//! The file lives on a RAM disk when there is one (`Lot::in_ram`): these are
//! thousands of commits, and what is tested here is the logic, not the
//! fsync (the store tests use the ordinary disk).

mod common;

use std::collections::{BTreeMap, BTreeSet};

use chrono::Duration;
use common::*;
use proptest::prelude::*;
use trucklot::domain::Zone;
use trucklot::domain::bay::BayId;
use trucklot::domain::clocks::isolation_board;
use trucklot::domain::event::{
    Event, HandoffMode, ServiceKind, StayId, Target, TestKind, TestResult,
};
use trucklot::domain::gate::ArrivalPlan;
use trucklot::domain::layout::Layout;
use trucklot::domain::plate::Plate;
use trucklot::domain::policy::{Cargo, HealthCode, Temperature};
use trucklot::domain::stay::Status;
use trucklot::ops::{self, Op, OpError, Refusal};
use trucklot::store::StayDetail;

/// Few plates, so that the same truck is acted on again and again.
const PLATES: usize = 8;
const TEMPS: [f64; 4] = [36.4, 37.2, 37.3, 38.6];

fn pool_plate(i: usize) -> Plate {
    nth_plate(i % PLATES)
}

fn small_layout() -> Layout {
    Layout::parse(SMALL_LAYOUT).unwrap()
}

fn bay_count() -> usize {
    small_layout().capacity()
}

fn bay_at(i: usize) -> BayId {
    let l = small_layout();
    l.bays[i % l.capacity()].id.clone()
}

/// Which truck a step acts on: usually one that is on site (picked when the
/// step runs), sometimes any plate of the pool, on site or not.
#[derive(Debug, Clone, Copy)]
enum Who {
    OnSite(usize),
    Any(usize),
}

impl Who {
    fn resolve(self, on_site: &BTreeSet<Plate>) -> Plate {
        match self {
            Who::OnSite(k) if !on_site.is_empty() => {
                on_site.iter().nth(k % on_site.len()).unwrap().clone()
            }
            Who::OnSite(k) | Who::Any(k) => pool_plate(k),
        }
    }
}

/// One operator action, with indices into the plate pool and the bay list.
#[derive(Debug, Clone)]
enum Step {
    Arrive {
        plate: usize,
        temp: usize,
        code: HealthCode,
        travel: bool,
        cargo: Cargo,
        handoff_required: bool,
        /// Each passenger's temperature, an index into `TEMPS`.
        passengers: Vec<usize>,
        bay: Option<usize>,
        override_reason: bool,
    },
    Move {
        who: Who,
        bay: usize,
    },
    Depart {
        who: Who,
        force: bool,
    },
    Sample {
        who: Who,
        test: TestKind,
        /// A tube id from a small pool (so tubes get reused), or generated.
        tube: Option<usize>,
    },
    Result {
        who: Who,
        test: TestKind,
        result: TestResult,
    },
    Isolate {
        who: Who,
        bay: Option<usize>,
    },
    Release {
        who: Who,
        bay: Option<usize>,
    },
    Recheck {
        who: Who,
        person: u8,
        temp: usize,
        code: HealthCode,
    },
    Escalate {
        who: Who,
    },
    HandoffStart {
        who: Who,
        mode: HandoffMode,
        /// Who authorised it (needed from isolation).
        decided: bool,
        bay: Option<usize>,
    },
    HandoffDone {
        who: Who,
    },
    HandoffConfirm {
        who: Who,
    },
    ServiceRequest {
        who: Who,
        service: ServiceKind,
    },
    ServiceDone {
        who: Who,
        service: Option<ServiceKind>,
    },
    DisinfectZone {
        zone: Zone,
    },
    DisinfectBay {
        bay: usize,
    },
    Close {
        bay: usize,
    },
    Open {
        bay: usize,
    },
    /// The operator takes back their last action.
    Undo,
}

impl Step {
    /// The plate this step acts on, if it acts on a truck, given what is on
    /// site now.
    fn plate(&self, on_site: &BTreeSet<Plate>) -> Option<Plate> {
        match *self {
            Step::Arrive { plate, .. } => Some(pool_plate(plate)),
            Step::Move { who, .. }
            | Step::Depart { who, .. }
            | Step::Sample { who, .. }
            | Step::Result { who, .. }
            | Step::Isolate { who, .. }
            | Step::Release { who, .. }
            | Step::Recheck { who, .. }
            | Step::Escalate { who }
            | Step::HandoffStart { who, .. }
            | Step::HandoffDone { who }
            | Step::HandoffConfirm { who }
            | Step::ServiceRequest { who, .. }
            | Step::ServiceDone { who, .. } => Some(who.resolve(on_site)),
            _ => None,
        }
    }

    /// `closed` lists the bays closed now: opening picks one of them.
    fn op(&self, on_site: &BTreeSet<Plate>, closed: &[BayId]) -> Op {
        let p = || self.plate(on_site).unwrap();
        let b = |i: Option<usize>| i.map(bay_at);
        match *self {
            Step::Arrive {
                temp,
                code,
                travel,
                cargo,
                handoff_required,
                ref passengers,
                bay,
                override_reason,
                ..
            } => {
                let mut a = arrival(p().as_str());
                a.temperature = Some(Temperature::new(TEMPS[temp % TEMPS.len()]).unwrap());
                a.code = Some(code);
                a.travel_flag = travel;
                a.cargo = cargo;
                a.handoff_required = handoff_required;
                a.passengers = passengers
                    .iter()
                    .enumerate()
                    .map(|(i, t)| {
                        passenger(
                            &format!("乘客{i}"),
                            TEMPS[t % TEMPS.len()],
                            HealthCode::Green,
                        )
                    })
                    .collect();
                Op::Arrive {
                    arrival: a,
                    bay: b(bay),
                    // A reason only with a picked bay: without one there is
                    // nothing to override (refused since the closed loop).
                    override_reason: (override_reason && bay.is_some())
                        .then(|| "operator's call".into()),
                }
            }
            Step::Move { bay, .. } => Op::Move {
                plate: p(),
                to: bay_at(bay),
            },
            Step::Depart { force, .. } => Op::Depart {
                plate: p(),
                force_reason: force.then(|| "shift lead decided".into()),
            },
            Step::Sample { test, tube, .. } => Op::Sample {
                plate: p(),
                test,
                tube: tube.map(|t| format!("TUBE-{t}")),
                batch: None,
            },
            Step::Result { test, result, .. } => Op::Result {
                plate: p(),
                test,
                result,
            },
            Step::Isolate { bay, .. } => Op::Isolate {
                plate: p(),
                reason: "positive".into(),
                bay: b(bay),
            },
            Step::Release { bay, .. } => Op::Release {
                plate: p(),
                reason: "negative".into(),
                by: "王班长".into(),
                bay: b(bay),
            },
            Step::Recheck {
                person, temp, code, ..
            } => Op::Recheck {
                plate: p(),
                person,
                temperature: Temperature::new(TEMPS[temp % TEMPS.len()]).unwrap(),
                code,
            },
            Step::Escalate { .. } => Op::Escalate {
                plate: p(),
                note: "called the office".into(),
            },
            Step::HandoffStart {
                mode, decided, bay, ..
            } => {
                let transfer = mode == HandoffMode::Transfer;
                Op::HandoffStart {
                    plate: p(),
                    mode,
                    receiver: transfer.then(|| nth_plate(99)),
                    company: transfer.then(|| "长治物流".into()),
                    escort: (!transfer).then(|| "交警大队".into()),
                    by: decided.then(|| "李队长".into()),
                    bay: b(bay),
                }
            }
            Step::HandoffDone { .. } => Op::HandoffDone { plate: p() },
            Step::HandoffConfirm { .. } => Op::HandoffConfirm { plate: p() },
            Step::ServiceRequest { service, .. } => Op::ServiceRequest {
                plate: p(),
                service,
            },
            Step::ServiceDone { service, .. } => Op::ServiceDone {
                plate: p(),
                service,
            },
            Step::DisinfectZone { zone } => Op::Disinfect {
                target: Target::Zone(zone),
            },
            Step::DisinfectBay { bay } => Op::Disinfect {
                target: Target::Bay(bay_at(bay)),
            },
            Step::Close { bay } => Op::CloseBay {
                bay: bay_at(bay),
                reason: "disinfection".into(),
            },
            Step::Open { bay } => Op::OpenBay {
                bay: match closed {
                    [] => bay_at(bay),
                    c if bay % 4 != 0 => c[bay % c.len()].clone(),
                    _ => bay_at(bay),
                },
            },
            Step::Undo => Op::Undo { expected: None },
        }
    }
}

fn who() -> impl Strategy<Value = Who> {
    prop_oneof![
        6 => (0..PLATES).prop_map(Who::OnSite),
        1 => (0..PLATES).prop_map(Who::Any),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    let bays = bay_count();
    let bay = 0..bays;
    let maybe_bay = prop_oneof![2 => Just(None), 1 => (0..bays).prop_map(Some)];
    let test = prop_oneof![Just(TestKind::Antigen), Just(TestKind::Pcr)];
    let code = prop_oneof![
        6 => Just(HealthCode::Green),
        1 => Just(HealthCode::Yellow),
        1 => Just(HealthCode::Red)
    ];
    let cargo = prop_oneof![
        1 => Just(Cargo::Emergency),
        1 => Just(Cargo::Living),
        1 => Just(Cargo::Production),
        3 => Just(Cargo::Other)
    ];
    let result = prop_oneof![
        2 => Just(TestResult::Negative),
        1 => Just(TestResult::Positive),
        1 => Just(TestResult::Invalid)
    ];
    let service = prop_oneof![
        Just(ServiceKind::Meal),
        Just(ServiceKind::Water),
        Just(ServiceKind::Medical)
    ];
    let zone = prop::sample::select(Zone::ALL.to_vec());
    prop_oneof![
        5 => (
            0..PLATES,
            0..TEMPS.len(),
            code.clone(),
            prop::bool::weighted(0.1),
            cargo,
            prop::bool::weighted(0.2),
            prop::collection::vec(0..TEMPS.len(), 0..=3),
            maybe_bay.clone(),
            any::<bool>(),
        )
            .prop_map(
                |(
                    plate,
                    temp,
                    code,
                    travel,
                    cargo,
                    handoff_required,
                    passengers,
                    bay,
                    override_reason,
                )| {
                    Step::Arrive {
                        plate,
                        temp,
                        code,
                        travel,
                        cargo,
                        handoff_required,
                        passengers,
                        bay,
                        override_reason,
                    }
                }
            ),
        3 => (who(), bay.clone()).prop_map(|(who, bay)| Step::Move { who, bay }),
        4 => (who(), prop::bool::weighted(0.3))
            .prop_map(|(who, force)| Step::Depart { who, force }),
        3 => (who(), test.clone(), prop::option::weighted(0.3, 0..6usize))
            .prop_map(|(who, test, tube)| Step::Sample { who, test, tube }),
        3 => (who(), test, result)
            .prop_map(|(who, test, result)| Step::Result { who, test, result }),
        2 => (who(), maybe_bay.clone()).prop_map(|(who, bay)| Step::Isolate { who, bay }),
        2 => (who(), maybe_bay.clone()).prop_map(|(who, bay)| Step::Release { who, bay }),
        1 => who().prop_map(|who| Step::Escalate { who }),
        2 => (who(), 0..4u8, 0..TEMPS.len(), code.clone())
            .prop_map(|(who, person, temp, code)| Step::Recheck { who, person, temp, code }),
        2 => (
            who(),
            prop_oneof![Just(HandoffMode::Transfer), Just(HandoffMode::Escort)],
            any::<bool>(),
            maybe_bay
        )
            .prop_map(|(who, mode, decided, bay)| Step::HandoffStart { who, mode, decided, bay }),
        2 => who().prop_map(|who| Step::HandoffDone { who }),
        1 => who().prop_map(|who| Step::HandoffConfirm { who }),
        2 => (who(), service.clone())
            .prop_map(|(who, service)| Step::ServiceRequest { who, service }),
        2 => (who(), prop::option::weighted(0.3, service))
            .prop_map(|(who, service)| Step::ServiceDone { who, service }),
        1 => zone.prop_map(|zone| Step::DisinfectZone { zone }),
        1 => bay.clone().prop_map(|bay| Step::DisinfectBay { bay }),
        1 => bay.clone().prop_map(|bay| Step::Close { bay }),
        1 => bay.prop_map(|bay| Step::Open { bay }),
        2 => Just(Step::Undo),
    ]
}

/// Minutes to move the clock before a step: often none, sometimes hours.
fn minutes() -> impl Strategy<Value = i64> {
    prop_oneof![2 => Just(0i64), 3 => 1i64..20, 1 => 20i64..600]
}

/// Everything that must hold after every step. `on_site` is what the
/// sequence of successful arrivals and departures says is on the lot.
fn check_lot(lot: &Lot, on_site: &BTreeSet<Plate>) -> Result<(), TestCaseError> {
    let layout = lot.store.layout();
    let view = lot.lot();
    let mut seen: BTreeMap<StayId, BayId> = BTreeMap::new();
    let mut plates = BTreeSet::new();
    let mut isolated_in_isolation = BTreeSet::new();
    // Isolated or holding: under isolation's authority, on the board.
    let mut under_isolation = BTreeSet::new();
    // In an escorted handoff that someone authorised.
    let mut authorised_escorts = BTreeSet::new();
    for (i, b) in view.bays.iter().enumerate() {
        let id = &layout.bays[i].id;
        let Some(o) = &b.occupant else { continue };
        prop_assert!(b.closed.is_none(), "closed bay {} holds {}", id, o.plate);
        if let Some(other) = seen.insert(o.stay, id.clone()) {
            prop_assert!(false, "stay {} is in {} and {}", o.stay, other, id);
        }
        prop_assert!(plates.insert(o.plate.clone()), "{} in two bays", o.plate);
        let d = lot.store.stay_detail(o.stay).unwrap().unwrap();
        prop_assert_ne!(d.status, Status::Departed, "departed {} in {}", o.plate, id);
        prop_assert!(d.departed_at.is_none());
        prop_assert_eq!(d.bay.as_ref(), Some(id));
        prop_assert_eq!(&d.plate, &o.plate);
        prop_assert_eq!(d.status, o.status);
        if matches!(o.status, Status::Handoff | Status::HandoffDone)
            && d.handoff_mode == Some(HandoffMode::Escort)
            && d.handoff_by.is_some()
        {
            authorised_escorts.insert(o.stay);
        }
        // Isolation bays hold isolated trucks, and isolated trucks are in
        // isolation bays.
        let in_isolation = id.zone() == Zone::Isolation;
        prop_assert_eq!(
            in_isolation,
            o.status == Status::Isolated,
            "{} ({:?}) in {}",
            o.plate,
            o.status,
            id
        );
        if in_isolation && o.status == Status::Isolated {
            isolated_in_isolation.insert(o.stay);
        }
        if o.status == Status::Holding {
            prop_assert_eq!(id.zone(), Zone::Work, "{} is holding in {}", o.plate, id);
        }
        if matches!(o.status, Status::Isolated | Status::Holding) {
            under_isolation.insert(o.stay);
        }
        if id.zone() == Zone::Handoff {
            prop_assert!(
                matches!(o.status, Status::Handoff | Status::HandoffDone),
                "{} ({:?}) in {}",
                o.plate,
                o.status,
                id
            );
        }
    }
    prop_assert_eq!(&plates, on_site, "trucks on the map vs trucks on site");

    let facts = lot.store.clock_facts().unwrap();
    let board: BTreeSet<StayId> = isolation_board(&facts, &lot.policy, lot.now())
        .iter()
        .map(|r| r.truck.stay)
        .collect();
    // The board holds every truck isolated or waiting for isolation, and
    // besides them only trucks leaving under an authorised escort.
    prop_assert!(
        under_isolation.is_subset(&board),
        "isolation board {:?} misses some of {:?}",
        board,
        under_isolation
    );
    prop_assert!(isolated_in_isolation.is_subset(&under_isolation));
    for s in board.difference(&under_isolation) {
        prop_assert!(
            authorised_escorts.contains(s),
            "stay {} is on the isolation board but neither isolated, holding nor under escort",
            s
        );
    }

    for (z, c) in Zone::ALL.iter().zip(lot.store.status().unwrap()) {
        let occupied = seen.values().filter(|b| b.zone() == *z).count();
        prop_assert_eq!(c.occupied, occupied, "{} occupied", z);
        prop_assert_eq!(c.capacity, layout.zone(*z).capacity());
        prop_assert_eq!(c.occupied + c.closed + c.free, c.capacity, "{}", z);
    }
    Ok(())
}

/// What the TUI's form would promise for an arrival into the suggested bay:
/// `ops::plan` over the read model (free = no occupant and not closed).
fn preview(lot: &mut Lot, op: &Op) -> Option<ArrivalPlan> {
    let Op::Arrive {
        arrival, bay: None, ..
    } = op
    else {
        return None;
    };
    // What the form asks of the store for the plate typed.
    let positive_before = ops::positive_before(&mut lot.store, &arrival.plate).unwrap();
    let view = lot.lot();
    let free = |i: usize| view.bays[i].occupant.is_none() && view.bays[i].closed.is_none();
    let waiting = view
        .bays
        .iter()
        .filter_map(|b| b.occupant.as_ref())
        .any(|o| o.status == trucklot::domain::stay::Status::Holding);
    let layout = lot.store.layout().clone();
    let free = trucklot::domain::gate::open_to_arrivals(&layout, free, waiting);
    Some(ops::plan(
        &lot.policy,
        &layout,
        free,
        arrival,
        positive_before,
        None,
    ))
}

/// The preview must be what the arrival did: the same bay (so the same
/// zone), holding exactly when it said so, isolated exactly when the plan's
/// zone is isolation and it was not holding; or no bay at all.
fn same_as_preview(
    lot: &Lot,
    plan: &ArrivalPlan,
    result: &Result<ops::Outcome, OpError>,
) -> Result<(), TestCaseError> {
    let layout = lot.store.layout();
    match result {
        Ok(out) => {
            let want = plan.bay.map(|i| layout.bays[i].id.clone());
            prop_assert_eq!(&out.bay, &want, "bay: plan {:?}", plan);
            prop_assert_eq!(
                out.notes.contains(&ops::Note::Holding),
                plan.holding,
                "holding: plan {:?}",
                plan
            );
            let d = lot.store.stay_detail(out.stay.unwrap()).unwrap().unwrap();
            let want_status = if plan.holding {
                Status::Holding
            } else if plan.zone == Zone::Isolation {
                Status::Isolated
            } else {
                Status::Parked
            };
            prop_assert_eq!(d.status, want_status, "plan {:?}", plan);
            match &out.events[0].1 {
                trucklot::domain::event::Event::Arrived {
                    findings, holding, ..
                } => {
                    prop_assert_eq!(findings, &plan.findings);
                    prop_assert_eq!(*holding, plan.holding);
                }
                e => prop_assert!(false, "{:?}", e),
            }
        }
        Err(OpError::Refused(Refusal::NoFreeBay(z))) => {
            prop_assert_eq!(plan.bay, None, "ops found no bay, the plan did");
            prop_assert_eq!(*z, plan.zone);
        }
        // A flagged truck with neither an isolation bay nor a lane to wait in.
        Err(OpError::Refused(Refusal::NowhereToWait)) => {
            prop_assert_eq!(plan.bay, None, "ops found no bay, the plan did");
            prop_assert_eq!(plan.zone, Zone::Isolation);
        }
        // Not a question of bays: the preview has nothing to say.
        Err(OpError::Refused(Refusal::AlreadyOnSite { .. })) => {}
        Err(e) => prop_assert!(false, "arrival failed: {}", e),
    }
    Ok(())
}

/// A positive result that stands, worked out here from the stay's samples
/// (results in the order they were reported): the last positive, with no
/// negative PCR reported after it.
fn positive_stands(d: &StayDetail) -> bool {
    let mut results: Vec<_> = d
        .samples
        .iter()
        .filter_map(|s| Some((s.result_at?, s.test, s.result?)))
        .collect();
    // `samples` come in the order they were taken; a stable sort keeps it
    // among results reported at the same time.
    results.sort_by_key(|(at, _, _)| *at);
    let Some(last) = results
        .iter()
        .rposition(|(_, _, r)| *r == TestResult::Positive)
    else {
        return false;
    };
    !results[last + 1..]
        .iter()
        .any(|(_, t, r)| *t == TestKind::Pcr && *r == TestResult::Negative)
}

fn run(steps: &[(i64, Step)]) -> Result<(), TestCaseError> {
    let mut lot = Lot::in_ram(SMALL_LAYOUT);
    let mut on_site: BTreeSet<Plate> = BTreeSet::new();
    // Every plate that has ever arrived.
    let mut ever: BTreeSet<Plate> = BTreeSet::new();
    for (n, (minutes, step)) in steps.iter().enumerate() {
        lot.advance(Duration::minutes(*minutes));
        let closed: Vec<BayId> = {
            let view = lot.lot();
            let layout = lot.store.layout();
            view.bays
                .iter()
                .zip(&layout.bays)
                .filter(|(b, _)| b.closed.is_some())
                .map(|(_, d)| d.id.clone())
                .collect()
        };
        let op = step.op(&on_site, &closed);
        let who = step.plate(&on_site);
        let events = lot.events();
        let before = lot.lot();
        let plan = preview(&mut lot, &op);
        let stay_before = match (step, &who) {
            (Step::Depart { .. }, Some(p)) => lot
                .store
                .stay_of_plate(p)
                .unwrap()
                .and_then(|s| lot.store.stay_detail(s).unwrap())
                .filter(|d| d.status != Status::Departed),
            // The latest stay, gone or not: a departed one may be escalated.
            (Step::Escalate { .. }, Some(p)) => lot
                .store
                .stay_of_plate(p)
                .unwrap()
                .and_then(|s| lot.store.stay_detail(s).unwrap()),
            _ => None,
        };
        let result = lot.exec(&op);
        if let Some(plan) = &plan {
            same_as_preview(&lot, plan, &result)
                .map_err(|e| TestCaseError::fail(format!("step {n}: {op:?}: {e}")))?;
        }
        match result {
            Ok(out) => {
                prop_assert!(!out.events.is_empty(), "step {n}: {op:?} recorded nothing");
                prop_assert_eq!(lot.events(), events + out.events.len() as i64);
                match step {
                    Step::Arrive { .. } => {
                        let p = who.clone().unwrap();
                        ever.insert(p.clone());
                        prop_assert!(on_site.insert(p), "step {}: arrived twice", n);
                    }
                    Step::Depart { .. } => {
                        prop_assert!(on_site.remove(who.as_ref().unwrap()));
                        // No positive truck leaves but under an escort that
                        // someone authorised and that is done.
                        let d = stay_before.as_ref().unwrap();
                        if positive_stands(d) {
                            prop_assert!(
                                d.status == Status::HandoffDone
                                    && d.handoff_mode == Some(HandoffMode::Escort)
                                    && d.handoff_by.is_some(),
                                "step {}: {} left with a positive result: {:?}",
                                n,
                                d.plate,
                                d
                            );
                        }
                    }
                    // An arrival taken back is off site; a departure
                    // taken back is on site again.
                    Step::Undo => {
                        for (_, e) in &out.events {
                            if let Event::Undone { undone_kind, .. } = e {
                                let p = || out.plate.clone().unwrap();
                                match undone_kind.as_str() {
                                    "arrived" => prop_assert!(on_site.remove(&p())),
                                    "departed" => prop_assert!(on_site.insert(p())),
                                    _ => {}
                                }
                            }
                        }
                    }
                    // After departure only a late result, the handoff's
                    // confirmation, or the report of a positive result
                    // that came back after the truck left may still be
                    // recorded.
                    Step::Result { .. } | Step::HandoffConfirm { .. } => {}
                    Step::Escalate { .. } => {
                        let p = who.as_ref().unwrap();
                        let d = stay_before.as_ref().unwrap();
                        prop_assert!(
                            on_site.contains(p) || positive_stands(d),
                            "step {}: {:?} off site with no positive standing",
                            n,
                            op
                        );
                    }
                    _ => {
                        if let Some(p) = &who {
                            prop_assert!(on_site.contains(p), "step {}: {:?} off site", n, op);
                        }
                    }
                }
            }
            Err(OpError::Refused(r)) => {
                prop_assert_eq!(lot.events(), events, "step {}: refused but logged", n);
                prop_assert_eq!(&lot.lot(), &before, "step {}: refused but changed", n);
                if let Some(p) = &who {
                    let gone = !on_site.contains(p) && !matches!(step, Step::Arrive { .. });
                    let not_on_site = matches!(r, Refusal::NotOnSite(_));
                    match step {
                        // A late result finds the departed stay's pending
                        // sample, if it has one; a confirmation looks at the
                        // latest stay, on site or not.
                        Step::Result { .. } if ever.contains(p) => {
                            prop_assert!(gone || !not_on_site, "step {}: {}", n, r)
                        }
                        Step::HandoffConfirm { .. } if ever.contains(p) => {
                            prop_assert!(!not_on_site, "step {}: {}", n, r)
                        }
                        _ => prop_assert_eq!(not_on_site, gone, "step {}: {:?} → {}", n, op, r),
                    }
                    if matches!(step, Step::Arrive { .. }) {
                        prop_assert_eq!(
                            matches!(r, Refusal::AlreadyOnSite { .. }),
                            on_site.contains(p),
                            "step {}: {:?} → {}",
                            n,
                            op,
                            r
                        );
                    }
                }
            }
            Err(e) => {
                prop_assert!(false, "step {n}: {op:?} failed instead of a refusal: {e}");
            }
        }
        check_lot(&lot, &on_site)
            .map_err(|e| TestCaseError::fail(format!("after step {n} ({op:?}): {e}")))?;
    }
    let report = lot.store.check().unwrap();
    prop_assert!(
        report.ok(),
        "state differs from the log: {:#?}",
        report.differences
    );
    let view = lot.lot();
    let report = lot.store.rebuild().unwrap();
    prop_assert!(report.ok());
    prop_assert_eq!(lot.lot(), view);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_operations_keep_the_lot_sound(
        steps in prop::collection::vec((minutes(), step()), 1..=60)
    ) {
        run(&steps)?;
    }
}

/// A fixed sequence through the same checks, so that a plain `cargo test`
/// run always covers a crowded lot whatever the random seed.
#[test]
fn a_crowded_small_lot_stays_sound() {
    let mut steps = Vec::new();
    for p in 0..PLATES {
        steps.push((
            1,
            Step::Arrive {
                plate: p,
                temp: p % TEMPS.len(),
                code: HealthCode::Green,
                travel: false,
                cargo: if p % 2 == 0 {
                    Cargo::Emergency
                } else {
                    Cargo::Other
                },
                handoff_required: p % 3 == 0,
                passengers: vec![],
                bay: None,
                override_reason: false,
            },
        ));
    }
    for p in 0..PLATES {
        let who = Who::Any(p);
        steps.push((
            2,
            Step::Sample {
                who,
                test: TestKind::Antigen,
                tube: None,
            },
        ));
        steps.push((
            0,
            Step::Result {
                who,
                test: TestKind::Antigen,
                result: TestResult::Positive,
            },
        ));
        steps.push((0, Step::Isolate { who, bay: None }));
        steps.push((
            0,
            Step::HandoffStart {
                who,
                mode: HandoffMode::Escort,
                decided: true,
                bay: None,
            },
        ));
        steps.push((0, Step::Move { who, bay: p }));
        steps.push((
            30,
            Step::Depart {
                who,
                force: p % 2 == 0,
            },
        ));
    }
    run(&steps).unwrap();
}

/// One arrival into the suggested bay, or a change to the lot around it.
#[derive(Debug, Clone)]
enum GateStep {
    Arrive {
        plate: usize,
        temp: usize,
        passenger: Option<usize>,
        code: HealthCode,
        cargo: Cargo,
    },
    /// Frees a bay: the truck leaves (forced: this is about bays, not tests).
    Leave {
        who: usize,
    },
    Close {
        bay: usize,
    },
    Open {
        bay: usize,
    },
}

fn gate_step() -> impl Strategy<Value = GateStep> {
    let bays = bay_count();
    prop_oneof![
        6 => (
            0..PLATES * 2,
            0..TEMPS.len(),
            prop::option::weighted(0.3, 0..TEMPS.len()),
            prop_oneof![
                4 => Just(HealthCode::Green),
                1 => Just(HealthCode::Yellow),
                1 => Just(HealthCode::Red)
            ],
            prop_oneof![Just(Cargo::Emergency), Just(Cargo::Other)],
        )
            .prop_map(|(plate, temp, passenger, code, cargo)| GateStep::Arrive {
                plate,
                temp,
                passenger,
                code,
                cargo,
            }),
        2 => (0..PLATES * 2).prop_map(|who| GateStep::Leave { who }),
        1 => (0..bays).prop_map(|bay| GateStep::Close { bay }),
        1 => (0..bays).prop_map(|bay| GateStep::Open { bay }),
    ]
}

/// Random arrivals, many of them flagged, on a small lot whose isolation
/// zone starts nearly full (some of its bays closed): the plan the form
/// shows from the read model is always what the arrival does, including
/// the holding list when the isolation zone is full and "no bay" when the
/// work lanes are full too.
fn run_gate(closed_isolation: usize, steps: &[GateStep]) -> Result<(), TestCaseError> {
    let mut lot = Lot::in_ram(SMALL_LAYOUT);
    for b in bays_of(&lot.store, Zone::Isolation)
        .into_iter()
        .take(closed_isolation)
    {
        lot.ok(Op::CloseBay {
            bay: b,
            reason: "disinfection".into(),
        });
    }
    for (n, step) in steps.iter().enumerate() {
        lot.advance(Duration::minutes(1));
        match *step {
            GateStep::Arrive {
                plate,
                temp,
                passenger: pass,
                code,
                cargo,
            } => {
                let mut a = arrival(nth_plate(plate).as_str());
                a.temperature = Some(Temperature::new(TEMPS[temp]).unwrap());
                a.code = Some(code);
                a.cargo = cargo;
                a.passengers = pass
                    .map(|t| passenger("李四", TEMPS[t], HealthCode::Green))
                    .into_iter()
                    .collect();
                let op = arrive_op(a);
                let plan = preview(&mut lot, &op).unwrap();
                let result = lot.exec(&op);
                same_as_preview(&lot, &plan, &result)
                    .map_err(|e| TestCaseError::fail(format!("step {n}: {op:?}: {e}")))?;
            }
            GateStep::Leave { who } => {
                let _ = lot.exec(&Op::Depart {
                    plate: nth_plate(who),
                    force_reason: Some("sent on".into()),
                });
            }
            GateStep::Close { bay } => {
                let _ = lot.exec(&Op::CloseBay {
                    bay: bay_at(bay),
                    reason: "disinfection".into(),
                });
            }
            GateStep::Open { bay } => {
                let _ = lot.exec(&Op::OpenBay { bay: bay_at(bay) });
            }
        }
    }
    prop_assert!(lot.store.check().unwrap().ok());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        ..ProptestConfig::default()
    })]

    #[test]
    fn the_arrival_preview_is_what_ops_does(
        closed_isolation in 1usize..=3,
        steps in prop::collection::vec(gate_step(), 1..=40)
    ) {
        run_gate(closed_isolation, &steps)?;
    }
}

/// The same on a fixed sequence: the isolation zone fills, the next flagged
/// truck is planned and put on the holding list, the one after with the work
/// lanes full has no bay in the plan nor in ops.
#[test]
fn the_preview_follows_the_lot_as_isolation_fills() {
    let flagged = |plate| GateStep::Arrive {
        plate,
        temp: 3,
        passenger: None,
        code: HealthCode::Green,
        cargo: Cargo::Other,
    };
    // 3 isolation bays, 2 closed: one flagged truck fills isolation, two
    // more fill both work lanes on the holding list, the fourth finds no bay.
    let steps: Vec<_> = (0..4).map(flagged).collect();
    run_gate(2, &steps).unwrap();
    let mut lot = Lot::in_ram(SMALL_LAYOUT);
    for b in bays_of(&lot.store, Zone::Isolation).into_iter().take(2) {
        lot.ok(Op::CloseBay {
            bay: b,
            reason: "disinfection".into(),
        });
    }
    let mut notes = Vec::new();
    for p in 0..4 {
        let mut a = arrival(nth_plate(p).as_str());
        a.temperature = Some(Temperature::new(38.6).unwrap());
        let op = arrive_op(a);
        let plan = preview(&mut lot, &op).unwrap();
        notes.push((plan.holding, plan.bay.is_some(), lot.exec(&op).is_ok()));
    }
    assert_eq!(
        notes,
        [
            (false, true, true),
            (true, true, true),
            (true, true, true),
            (false, false, false)
        ]
    );
}
