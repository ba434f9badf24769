//! Random sequences of everything an operator can do, on a small lot (so that
//! bays collide and zones fill up), on a real WAL database file, with the
//! clock moving. After every step the lot must be sound; at the end the state
//! tables must equal a replay of the log.
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
use trucklot::domain::event::{HandoffMode, ServiceKind, StayId, Target, TestKind, TestResult};
use trucklot::domain::layout::Layout;
use trucklot::domain::plate::Plate;
use trucklot::domain::policy::{Cargo, HealthCode, Temperature};
use trucklot::domain::stay::Status;
use trucklot::ops::{Op, OpError, Refusal};

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
    Escalate {
        who: Who,
    },
    HandoffStart {
        who: Who,
        mode: HandoffMode,
        bay: Option<usize>,
    },
    HandoffDone {
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
            | Step::Escalate { who }
            | Step::HandoffStart { who, .. }
            | Step::HandoffDone { who }
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
                bay,
                override_reason,
                ..
            } => {
                let mut a = arrival(p().as_str());
                a.temperature = Some(Temperature::new(TEMPS[temp % TEMPS.len()]).unwrap());
                a.code = code;
                a.travel_flag = travel;
                a.cargo = cargo;
                a.handoff_required = handoff_required;
                Op::Arrive {
                    arrival: a,
                    bay: b(bay),
                    override_reason: override_reason.then(|| "operator's call".into()),
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
            Step::Sample { test, .. } => Op::Sample { plate: p(), test },
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
                bay: b(bay),
            },
            Step::Escalate { .. } => Op::Escalate {
                plate: p(),
                note: "called the office".into(),
            },
            Step::HandoffStart { mode, bay, .. } => Op::HandoffStart {
                plate: p(),
                mode,
                counterpart: Some("晋D99999".into()),
                bay: b(bay),
            },
            Step::HandoffDone { .. } => Op::HandoffDone { plate: p() },
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
            code,
            prop::bool::weighted(0.1),
            cargo,
            prop::bool::weighted(0.2),
            maybe_bay.clone(),
            any::<bool>(),
        )
            .prop_map(
                |(plate, temp, code, travel, cargo, handoff_required, bay, override_reason)| {
                    Step::Arrive {
                        plate,
                        temp,
                        code,
                        travel,
                        cargo,
                        handoff_required,
                        bay,
                        override_reason,
                    }
                }
            ),
        3 => (who(), bay.clone()).prop_map(|(who, bay)| Step::Move { who, bay }),
        4 => (who(), prop::bool::weighted(0.3))
            .prop_map(|(who, force)| Step::Depart { who, force }),
        3 => (who(), test.clone()).prop_map(|(who, test)| Step::Sample { who, test }),
        3 => (who(), test, result)
            .prop_map(|(who, test, result)| Step::Result { who, test, result }),
        2 => (who(), maybe_bay.clone()).prop_map(|(who, bay)| Step::Isolate { who, bay }),
        2 => (who(), maybe_bay.clone()).prop_map(|(who, bay)| Step::Release { who, bay }),
        1 => who().prop_map(|who| Step::Escalate { who }),
        2 => (
            who(),
            prop_oneof![Just(HandoffMode::Transfer), Just(HandoffMode::Escort)],
            maybe_bay
        )
            .prop_map(|(who, mode, bay)| Step::HandoffStart { who, mode, bay }),
        2 => who().prop_map(|who| Step::HandoffDone { who }),
        2 => (who(), service.clone())
            .prop_map(|(who, service)| Step::ServiceRequest { who, service }),
        2 => (who(), prop::option::weighted(0.3, service))
            .prop_map(|(who, service)| Step::ServiceDone { who, service }),
        1 => zone.prop_map(|zone| Step::DisinfectZone { zone }),
        1 => bay.clone().prop_map(|bay| Step::DisinfectBay { bay }),
        1 => bay.clone().prop_map(|bay| Step::Close { bay }),
        1 => bay.prop_map(|bay| Step::Open { bay }),
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
    prop_assert_eq!(board, isolated_in_isolation, "isolation board");

    for (z, c) in Zone::ALL.iter().zip(lot.store.status().unwrap()) {
        let occupied = seen.values().filter(|b| b.zone() == *z).count();
        prop_assert_eq!(c.occupied, occupied, "{} occupied", z);
        prop_assert_eq!(c.capacity, layout.zone(*z).capacity());
        prop_assert_eq!(c.occupied + c.closed + c.free, c.capacity, "{}", z);
    }
    Ok(())
}

fn run(steps: &[(i64, Step)]) -> Result<(), TestCaseError> {
    let mut lot = Lot::in_ram(SMALL_LAYOUT);
    let mut on_site: BTreeSet<Plate> = BTreeSet::new();
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
        match lot.exec(&op) {
            Ok(out) => {
                prop_assert!(!out.events.is_empty(), "step {n}: {op:?} recorded nothing");
                prop_assert_eq!(lot.events(), events + out.events.len() as i64);
                match step {
                    Step::Arrive { .. } => {
                        let p = who.clone().unwrap();
                        prop_assert!(on_site.insert(p), "step {}: arrived twice", n);
                    }
                    Step::Depart { .. } => {
                        prop_assert!(on_site.remove(who.as_ref().unwrap()));
                    }
                    _ => {}
                }
            }
            Err(OpError::Refused(r)) => {
                prop_assert_eq!(lot.events(), events, "step {}: refused but logged", n);
                prop_assert_eq!(&lot.lot(), &before, "step {}: refused but changed", n);
                if let Some(p) = &who {
                    let expect_not_on_site =
                        !on_site.contains(p) && !matches!(step, Step::Arrive { .. });
                    prop_assert_eq!(
                        matches!(r, Refusal::NotOnSite(_)),
                        expect_not_on_site,
                        "step {}: {:?} → {}",
                        n,
                        op,
                        r
                    );
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
