//! Every operation through `ops::execute`, on a real database with a fixed
//! clock: the happy path, and each refusal with "nothing written" checked
//! (the log and the lot exactly as before; see `Lot::refused`).

mod common;

use chrono::Duration;
use common::*;
use trucklot::domain::Zone;
use trucklot::domain::bay::BayId;
use trucklot::domain::clocks::{self, ClockKind, NextAction, isolation_board};
use trucklot::domain::event::{
    Event, HandoffMode, ServiceKind, StayId, Target, TestKind, TestResult,
};
use trucklot::domain::policy::{Cargo, CheckFlag, HealthCode, Policy, Temperature};
use trucklot::domain::stay::{Blocker, RuleRefusal, Status};
use trucklot::ops::{Op, OpError, Proposal, Refusal};
use trucklot::store::StayDetail;

fn mins(m: i64) -> Duration {
    Duration::minutes(m)
}

fn detail(lot: &Lot, p: &str) -> StayDetail {
    let stay = lot
        .store
        .stay_of_plate(&plate(p))
        .unwrap()
        .unwrap_or_else(|| panic!("{p} has no stay"));
    lot.store.stay_detail(stay).unwrap().unwrap()
}

fn rule(r: Refusal) -> RuleRefusal {
    match r {
        Refusal::Rule(r) => r,
        other => panic!("expected a rule refusal, got {other:?}"),
    }
}

fn sample(p: &str, test: TestKind) -> Op {
    sample_op(p, test)
}

fn result(p: &str, test: TestKind, result: TestResult) -> Op {
    result_op(p, test, result)
}

fn depart(p: &str) -> Op {
    depart_op(p)
}

fn isolate(p: &str) -> Op {
    Op::Isolate {
        plate: plate(p),
        reason: "antigen positive".into(),
        bay: None,
    }
}

fn release(p: &str) -> Op {
    release_op(p)
}

fn mv(p: &str, to: &str) -> Op {
    Op::Move {
        plate: plate(p),
        to: bay(to),
    }
}

fn handoff(p: &str) -> Op {
    transfer_op(p)
}

/// The keys of the blockers a departure was refused for.
fn blocked(r: Refusal) -> Vec<&'static str> {
    match r {
        Refusal::DepartureBlocked { blockers, .. } => blockers.iter().map(|b| b.key()).collect(),
        other => panic!("expected a blocked departure, got {other:?}"),
    }
}

fn close(b: &str) -> Op {
    Op::CloseBay {
        bay: bay(b),
        reason: "under disinfection".into(),
    }
}

fn with_temp(p: &str, c: f64) -> trucklot::domain::event::ArrivalRecord {
    let mut a = arrival(p);
    a.temperature = Some(Temperature::new(c).unwrap());
    a
}

fn depart_forced(p: &str) -> Op {
    Op::Depart {
        plate: plate(p),
        force_reason: Some("sent back to the highway".into()),
    }
}

fn invalid(e: OpError) -> String {
    match e {
        OpError::Invalid(s) => s,
        other => panic!("expected invalid input, got {other:?}"),
    }
}

// ------------------------------------------------------------- arrival

#[test]
fn a_clean_arrival_parks_from_the_far_side_of_the_lot() {
    let mut lot = Lot::new();
    let out = lot.ok(arrive_op(arrival("晋D11111")));
    assert_eq!(out.stay, Some(StayId(1)));
    assert_eq!(out.plate, Some(plate("晋D11111")));
    assert_eq!(out.bay, Some(bay("P-01-01")));
    assert_eq!(out.proposal, None);
    match &out.events[..] {
        [
            (
                1,
                Event::Arrived {
                    stay,
                    bay: b,
                    flags,
                    override_reason,
                    arrival: a,
                    findings,
                    holding,
                },
            ),
        ] => {
            assert_eq!(*stay, StayId(1));
            assert!(findings.is_empty() && !holding);
            assert_eq!(b, &bay("P-01-01"));
            assert!(flags.is_empty());
            assert_eq!(override_reason, &None);
            assert_eq!(a, &arrival("晋D11111"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(lot.arrive("晋D22222"), bay("P-01-02"));
    let d = detail(&lot, "晋D11111");
    assert_eq!(d.status, Status::Parked);
    assert_eq!(d.arrived_at, t0());
    assert_eq!(d.isolation_reason, None);
    assert_eq!(lot.events(), 2);
}

#[test]
fn priority_cargo_gets_the_bay_nearest_the_exit() {
    let mut lot = Lot::new();
    let mut got = Vec::new();
    for (p, cargo) in [
        ("晋D11111", Cargo::Emergency),
        ("晋D22222", Cargo::Living),
        ("晋D33333", Cargo::Production),
        ("晋D44444", Cargo::Other),
    ] {
        let mut a = arrival(p);
        a.cargo = cargo;
        got.push(lot.ok(arrive_op(a)).bay.unwrap());
    }
    assert_eq!(
        got,
        [
            bay("P-01-60"),
            bay("P-02-60"),
            bay("P-03-60"),
            bay("P-01-01")
        ]
    );
}

#[test]
fn closed_bays_are_never_suggested() {
    let mut lot = Lot::new();
    for b in ["P-01-01", "P-01-60", "I-01", "H-01", "H-12"] {
        lot.ok(close(b));
    }
    assert_eq!(lot.arrive("晋D11111"), bay("P-01-02"));
    let mut a = arrival("晋D22222");
    a.cargo = Cargo::Emergency;
    assert_eq!(lot.ok(arrive_op(a)).bay, Some(bay("P-02-60")));
    assert_eq!(
        lot.ok(arrive_op(with_temp("晋D33333", 38.0))).bay,
        Some(bay("I-02"))
    );
    assert_eq!(lot.ok(handoff("晋D11111")).bay, Some(bay("H-02")));
    assert_eq!(lot.ok(handoff("晋D22222")).bay, Some(bay("H-24")));
    // Reopened, a bay is suggested again.
    lot.ok(Op::OpenBay {
        bay: bay("P-01-01"),
    });
    assert_eq!(lot.arrive("晋D44444"), bay("P-01-01"));
}

/// Plate, temperature, code, travel flag → expected zone and flags.
type GateCase = (&'static str, f64, HealthCode, bool, Zone, Vec<CheckFlag>);

#[test]
fn checks_decide_the_zone() {
    let cases: Vec<GateCase> = vec![
        (
            "晋D10001",
            36.5,
            HealthCode::Green,
            false,
            Zone::Parking,
            vec![],
        ),
        (
            "晋D10002",
            37.2,
            HealthCode::Green,
            false,
            Zone::Parking,
            vec![],
        ),
        (
            "晋D10003",
            37.3,
            HealthCode::Green,
            false,
            Zone::Isolation,
            vec![CheckFlag::Fever],
        ),
        (
            "晋D10004",
            36.5,
            HealthCode::Yellow,
            false,
            Zone::Isolation,
            vec![CheckFlag::YellowCode],
        ),
        (
            "晋D10005",
            36.5,
            HealthCode::Red,
            false,
            Zone::Isolation,
            vec![CheckFlag::RedCode],
        ),
        (
            "晋D10006",
            36.5,
            HealthCode::Green,
            true,
            Zone::Isolation,
            vec![CheckFlag::TravelHistory],
        ),
        (
            "晋D10007",
            39.0,
            HealthCode::Red,
            true,
            Zone::Isolation,
            vec![
                CheckFlag::Fever,
                CheckFlag::RedCode,
                CheckFlag::TravelHistory,
            ],
        ),
    ];
    let mut lot = Lot::new();
    for (p, temp, code, travel, zone, flags) in cases {
        let mut a = with_temp(p, temp);
        a.code = Some(code);
        a.travel_flag = travel;
        let out = lot.ok(arrive_op(a));
        let b = out.bay.clone().unwrap();
        assert_eq!(b.zone(), zone, "{p}");
        match &out.events[0].1 {
            Event::Arrived { flags: f, .. } => assert_eq!(f, &flags, "{p}"),
            e => panic!("{e:?}"),
        }
        let d = detail(&lot, p);
        if zone == Zone::Isolation {
            assert_eq!(d.status, Status::Isolated, "{p}");
            assert_eq!(d.isolated_at, Some(t0()), "{p}");
            // The checks say why: the findings name each flag.
            assert_eq!(d.isolation_reason, None, "{p}");
            let found: Vec<CheckFlag> = d.findings.iter().map(|f| f.flag).collect();
            assert_eq!(found, flags, "{p}");
        } else {
            assert_eq!(d.status, Status::Parked, "{p}");
        }
    }
    // Changed with the closed loop (issue 7): without a temperature reading
    // a green code no longer parks; the arrival is refused as incomplete.
    let mut a = arrival("晋D10008");
    a.temperature = None;
    let msg = invalid(lot.rejected(arrive_op(a)));
    assert!(msg.contains("temperature"), "{msg}");
}

#[test]
fn policy_thresholds_change_the_decision() {
    let mut lot = Lot::new();
    lot.policy = Policy {
        fever_c: 37.5,
        travel_flag_isolates: false,
        ..Policy::default()
    };
    let out = lot.ok(arrive_op(with_temp("晋D11111", 37.4)));
    assert_eq!(out.bay.unwrap().zone(), Zone::Parking);
    let mut a = arrival("晋D22222");
    a.travel_flag = true;
    assert_eq!(lot.ok(arrive_op(a)).bay.unwrap().zone(), Zone::Parking);
    let out = lot.ok(arrive_op(with_temp("晋D33333", 37.5)));
    assert_eq!(out.bay.unwrap().zone(), Zone::Isolation);
}

#[test]
fn an_override_into_parking_needs_a_reason_and_is_recorded() {
    let mut lot = Lot::new();
    let op = |reason: Option<&str>| Op::Arrive {
        arrival: with_temp("晋D11111", 38.2),
        bay: Some(bay("P-05-05")),
        override_reason: reason.map(Into::into),
    };
    match lot.refused(op(None)) {
        Refusal::OverrideNeedsReason {
            suggested,
            flags,
            bay: b,
        } => {
            assert_eq!(suggested, Zone::Isolation);
            assert_eq!(flags, vec![CheckFlag::Fever]);
            assert_eq!(b, bay("P-05-05"));
        }
        other => panic!("{other:?}"),
    }
    // A blank reason is no reason.
    assert!(matches!(
        lot.refused(op(Some("   "))),
        Refusal::OverrideNeedsReason { .. }
    ));
    let out = lot.ok(op(Some("re-measured 36.9 after rest")));
    assert_eq!(out.bay, Some(bay("P-05-05")));
    match &out.events[0].1 {
        Event::Arrived {
            flags,
            override_reason,
            ..
        } => {
            assert_eq!(flags, &vec![CheckFlag::Fever]);
            assert_eq!(
                override_reason.as_deref(),
                Some("re-measured 36.9 after rest")
            );
        }
        e => panic!("{e:?}"),
    }
    let d = detail(&lot, "晋D11111");
    assert_eq!(d.status, Status::Parked);
    assert_eq!(
        d.override_reason.as_deref(),
        Some("re-measured 36.9 after rest")
    );
    assert_eq!(d.flags, "fever");
}

#[test]
fn an_override_into_isolation_needs_a_reason_too() {
    let mut lot = Lot::new();
    let op = |reason: Option<&str>| Op::Arrive {
        arrival: arrival("晋D11111"),
        bay: Some(bay("I-05")),
        override_reason: reason.map(Into::into),
    };
    match lot.refused(op(None)) {
        Refusal::OverrideNeedsReason {
            suggested, flags, ..
        } => {
            assert_eq!(suggested, Zone::Parking);
            assert!(flags.is_empty());
        }
        other => panic!("{other:?}"),
    }
    lot.ok(op(Some("driver reports a cough")));
    let d = detail(&lot, "晋D11111");
    assert_eq!(d.status, Status::Isolated);
    assert_eq!(d.bay, Some(bay("I-05")));
    assert_eq!(
        d.isolation_reason.as_deref(),
        Some("driver reports a cough")
    );
    // A clean truck may go to a work or living bay without an override.
    lot.arrive_in("晋D22222", "W-02");
    lot.arrive_in("晋D33333", "L-10");
}

#[test]
fn arrival_refusals_write_nothing() {
    let mut lot = Lot::new();
    lot.arrive_in("晋D11111", "P-02-02");
    lot.ok(close("P-02-03"));

    // The same plate, typed differently, is the same truck.
    match lot.refused(arrive_op(arrival("晋d 11111"))) {
        Refusal::AlreadyOnSite { plate: p, bay: b } => {
            assert_eq!(p, plate("晋D11111"));
            assert_eq!(b, "P-02-02");
        }
        other => panic!("{other:?}"),
    }
    let with_bay = |b: &str| Op::Arrive {
        arrival: arrival("晋D22222"),
        bay: Some(bay(b)),
        override_reason: None,
    };
    assert_eq!(
        lot.refused(with_bay("P-02-02")),
        Refusal::BayOccupied {
            bay: bay("P-02-02"),
            plate: plate("晋D11111")
        }
    );
    assert_eq!(
        lot.refused(with_bay("P-02-03")),
        Refusal::BayClosed {
            bay: bay("P-02-03"),
            reason: "under disinfection".into()
        }
    );
    assert_eq!(
        lot.refused(with_bay("P-30-01")),
        Refusal::UnknownBay(bay("P-30-01"))
    );
    assert_eq!(
        lot.refused(with_bay("I-41")),
        Refusal::UnknownBay(bay("I-41"))
    );
    assert_eq!(lot.refused(with_bay("H-01")), Refusal::ArriveInHandoff);

    // Free text is checked: control characters and over-long text.
    let mut a = arrival("晋D22222");
    a.driver = Some("王\u{1b}[2J五".into());
    let msg = invalid(lot.rejected(arrive_op(a)));
    assert!(msg.contains("driver"), "{msg}");
    let mut a = arrival("晋D22222");
    a.origin = Some("太".repeat(201));
    let msg = invalid(lot.rejected(arrive_op(a)));
    assert!(msg.contains("origin"), "{msg}");
    let mut a = arrival("晋D22222");
    a.destination = Some("长".repeat(200));
    lot.ok(arrive_op(a));
}

#[test]
fn a_full_zone_has_no_free_bay() {
    let mut lot = Lot::new();
    for i in 1..=40 {
        lot.ok(close(&format!("I-{i:02}")));
    }
    // Changed with the closed loop (issue 7): a flagged truck finding the
    // isolation zone full is no longer turned away but waits in a work lane
    // on the holding list; only with the work lanes full too is there no bay.
    let out = lot.ok(arrive_op(with_temp("晋D10001", 38.5)));
    assert_eq!(out.bay.as_ref().map(|b| b.zone()), Some(Zone::Work));
    assert_eq!(out.notes, vec![trucklot::ops::Note::Holding]);
    lot.ok(depart_forced("晋D10001"));
    for i in 1..=6 {
        lot.ok(close(&format!("W-{i:02}")));
    }
    assert_eq!(
        lot.refused(arrive_op(with_temp("晋D11111", 38.5))),
        Refusal::NowhereToWait
    );
    // The operator can still put it elsewhere, with a reason.
    lot.ok(Op::Arrive {
        arrival: with_temp("晋D11111", 38.5),
        bay: Some(bay("P-20-01")),
        override_reason: Some("isolation zone closed for disinfection".into()),
    });
    for i in 1..=24 {
        lot.ok(close(&format!("H-{i:02}")));
    }
    assert_eq!(
        lot.refused(handoff("晋D11111")),
        Refusal::NoFreeBay(Zone::Handoff)
    );
}

// ---------------------------------------------------------------- moves

#[test]
fn a_move_takes_a_free_bay_and_frees_the_old_one() {
    let mut lot = Lot::new();
    lot.arrive_in("晋D11111", "P-01-01");
    lot.advance(mins(30));
    let out = lot.ok(mv("晋D11111", "L-05"));
    assert_eq!(out.bay, Some(bay("L-05")));
    assert_eq!(
        out.events[0].1,
        Event::Moved {
            stay: StayId(1),
            from: bay("P-01-01"),
            to: bay("L-05")
        }
    );
    assert_eq!(lot.bay_of("晋D11111"), Some(bay("L-05")));
    assert_eq!(lot.store.stay_in_bay(&bay("P-01-01")).unwrap(), None);
    let d = detail(&lot, "晋D11111");
    assert_eq!(d.bay_since, t0() + mins(30));
    assert_eq!(d.arrived_at, t0());
    assert_eq!(lot.arrive("晋D22222"), bay("P-01-01"));
}

#[test]
fn move_refusals_write_nothing() {
    let mut lot = Lot::new();
    lot.arrive_in("晋D11111", "P-01-01");
    lot.arrive_in("晋D22222", "P-01-02");
    lot.ok(close("P-01-03"));
    assert_eq!(
        lot.refused(mv("晋D11111", "P-01-01")),
        Refusal::SameBay {
            plate: plate("晋D11111"),
            bay: bay("P-01-01")
        }
    );
    assert_eq!(
        lot.refused(mv("晋D11111", "P-01-02")),
        Refusal::BayOccupied {
            bay: bay("P-01-02"),
            plate: plate("晋D22222")
        }
    );
    assert!(matches!(
        lot.refused(mv("晋D11111", "P-01-03")),
        Refusal::BayClosed { .. }
    ));
    assert_eq!(
        lot.refused(mv("晋D11111", "P-21-01")),
        Refusal::UnknownBay(bay("P-21-01"))
    );
    assert_eq!(
        lot.refused(mv("晋D99999", "P-01-04")),
        Refusal::NotOnSite(plate("晋D99999"))
    );
    // Zones with their own way in.
    assert_eq!(
        rule(lot.refused(mv("晋D11111", "I-01"))),
        RuleRefusal::UseIsolate {
            plate: plate("晋D11111")
        }
    );
    assert_eq!(
        rule(lot.refused(mv("晋D11111", "H-01"))),
        RuleRefusal::UseHandoff {
            plate: plate("晋D11111")
        }
    );
    // An isolated truck moves only within isolation.
    lot.ok(isolate("晋D11111"));
    assert_eq!(
        rule(lot.refused(mv("晋D11111", "P-01-01"))),
        RuleRefusal::IsolatedUseRelease {
            plate: plate("晋D11111")
        }
    );
    lot.ok(mv("晋D11111", "I-20"));
    // A truck in a handoff moves only within the handoff zone.
    lot.ok(handoff("晋D22222"));
    assert_eq!(
        rule(lot.refused(mv("晋D22222", "L-01"))),
        RuleRefusal::InHandoff {
            plate: plate("晋D22222")
        }
    );
    lot.ok(mv("晋D22222", "H-24"));
    assert_eq!(lot.bay_of("晋D22222"), Some(bay("H-24")));
}

// ------------------------------------------------------ samples, results

#[test]
fn samples_are_due_fifteen_minutes_or_six_hours_later() {
    let mut lot = Lot::new();
    lot.arrive("晋D11111");
    lot.advance(mins(7));
    let out = lot.ok(sample("晋D11111", TestKind::Antigen));
    assert_eq!(
        out.events[0].1,
        Event::SampleTaken {
            stay: StayId(1),
            test: TestKind::Antigen,
            due: t0() + mins(7 + 15),
            // Generated from the stay and the count of its samples of the test.
            tube: Some("AG-000001-1".into()),
            batch: None,
        }
    );
    lot.ok(sample("晋D11111", TestKind::Pcr));
    let d = detail(&lot, "晋D11111");
    let due: Vec<_> = d
        .samples
        .iter()
        .map(|s| (s.test, s.taken_at, s.due_at))
        .collect();
    assert_eq!(
        due,
        vec![
            (TestKind::Antigen, t0() + mins(7), t0() + mins(22)),
            (
                TestKind::Pcr,
                t0() + mins(7),
                t0() + mins(7) + Duration::hours(6)
            ),
        ]
    );
    assert!(d.samples.iter().all(|s| s.result.is_none()));
    // The map shows the earliest due result.
    let lot_view = lot.lot();
    let i = lot.store.layout().find(&bay("P-01-01")).unwrap();
    let occ = lot_view.bays[i].occupant.as_ref().unwrap();
    assert_eq!(occ.next_due, Some(t0() + mins(22)));
    assert!(!occ.positive);

    // A policy with other due times.
    lot.policy = Policy {
        antigen_due_min: 30,
        ..Policy::default()
    };
    lot.arrive("晋D22222");
    let out = lot.ok(sample("晋D22222", TestKind::Antigen));
    assert!(matches!(
        out.events[0].1,
        Event::SampleTaken { due, .. } if due == t0() + mins(7 + 30)
    ));
}

#[test]
fn sample_and_result_refusals_write_nothing() {
    let mut lot = Lot::new();
    lot.arrive("晋D11111");
    assert_eq!(
        rule(lot.refused(result("晋D11111", TestKind::Antigen, TestResult::Negative))),
        RuleRefusal::NoPendingSample {
            plate: plate("晋D11111"),
            test: TestKind::Antigen
        }
    );
    lot.ok(sample("晋D11111", TestKind::Antigen));
    assert_eq!(
        rule(lot.refused(sample("晋D11111", TestKind::Antigen))),
        RuleRefusal::SampleAlreadyPending {
            plate: plate("晋D11111"),
            test: TestKind::Antigen
        }
    );
    assert!(matches!(
        rule(lot.refused(result("晋D11111", TestKind::Pcr, TestResult::Negative))),
        RuleRefusal::NoPendingSample {
            test: TestKind::Pcr,
            ..
        }
    ));
    assert_eq!(
        lot.refused(sample("晋D22222", TestKind::Pcr)),
        Refusal::NotOnSite(plate("晋D22222"))
    );
    assert_eq!(
        lot.refused(result("晋D22222", TestKind::Pcr, TestResult::Positive)),
        Refusal::NotOnSite(plate("晋D22222"))
    );
}

#[test]
fn results_propose_what_comes_next() {
    let mut lot = Lot::new();
    lot.arrive_in("晋D11111", "P-04-04");
    lot.ok(close("I-01"));

    lot.ok(sample("晋D11111", TestKind::Antigen));
    let out = lot.ok(result("晋D11111", TestKind::Antigen, TestResult::Invalid));
    assert_eq!(out.proposal, Some(Proposal::Resample(TestKind::Antigen)));

    lot.ok(sample("晋D11111", TestKind::Antigen));
    let out = lot.ok(result("晋D11111", TestKind::Antigen, TestResult::Negative));
    assert_eq!(out.proposal, None);

    lot.ok(sample("晋D11111", TestKind::Antigen));
    lot.advance(mins(12));
    let out = lot.ok(result("晋D11111", TestKind::Antigen, TestResult::Positive));
    assert_eq!(
        out.proposal,
        Some(Proposal::Isolate {
            bay: Some(bay("I-02"))
        })
    );
    // A proposal is only a proposal: the truck has not moved.
    assert_eq!(lot.bay_of("晋D11111"), Some(bay("P-04-04")));
    let i = lot.store.layout().find(&bay("P-04-04")).unwrap();
    assert!(lot.lot().bays[i].occupant.as_ref().unwrap().positive);
    let d = detail(&lot, "晋D11111");
    let results: Vec<_> = d.samples.iter().map(|s| s.result).collect();
    assert_eq!(
        results,
        vec![
            Some(TestResult::Invalid),
            Some(TestResult::Negative),
            Some(TestResult::Positive)
        ]
    );
    assert_eq!(d.samples[2].result_at, Some(t0() + mins(12)));

    // Confirmed: the truck goes to the proposed bay.
    let out = lot.ok(isolate("晋D11111"));
    assert_eq!(out.bay, Some(bay("I-02")));
    // Already isolated: a positive proposes nothing more.
    lot.ok(sample("晋D11111", TestKind::Pcr));
    let out = lot.ok(result("晋D11111", TestKind::Pcr, TestResult::Positive));
    assert_eq!(out.proposal, None);
}

#[test]
fn clocks_come_soonest_first_and_go_overdue_with_the_clock() {
    let mut lot = Lot::new();
    // Disinfect every zone now, so that no clock depends on when the file
    // was created.
    for z in Zone::ALL {
        lot.ok(Op::Disinfect {
            target: Target::Zone(z),
        });
    }
    lot.arrive("晋D11111");
    lot.arrive("晋D22222");
    lot.ok(sample("晋D11111", TestKind::Antigen)); // due t0+15m
    lot.advance(mins(5));
    lot.ok(sample("晋D22222", TestKind::Pcr)); // due t0+6h05m
    lot.ok(Op::ServiceRequest {
        plate: plate("晋D22222"),
        service: ServiceKind::Water,
    }); // due t0+35m

    let facts = lot.store.clock_facts().unwrap();
    let all = clocks::clocks(&facts, &lot.policy);
    let seen: Vec<(&str, Option<String>, chrono::DateTime<chrono::Utc>)> = all
        .iter()
        .map(|c| {
            (
                c.kind.key(),
                c.truck.as_ref().map(|t| t.plate.to_string()),
                c.due,
            )
        })
        .collect();
    let h4 = t0() + Duration::hours(4);
    assert_eq!(
        seen,
        vec![
            ("result", Some("晋D11111".into()), t0() + mins(15)),
            ("service", Some("晋D22222".into()), t0() + mins(35)),
            ("disinfection", None, h4),
            ("disinfection", None, h4),
            ("disinfection", None, h4),
            ("disinfection", None, h4),
            ("disinfection", None, h4),
            ("result", Some("晋D22222".into()), t0() + mins(365)),
        ]
    );
    assert_eq!(
        all[0].truck.as_ref().unwrap().bay,
        Some(bay("P-01-01")),
        "a clock names the bay"
    );
    let overdue = |at| clocks::overdue_count(&all, at);
    assert_eq!(overdue(t0() + mins(15)), 0, "due is not yet overdue");
    assert_eq!(overdue(t0() + mins(16)), 1);
    assert_eq!(overdue(t0() + mins(36)), 2);
    assert_eq!(overdue(h4 + mins(1)), 7);
    assert_eq!(all[0].remaining(t0() + mins(20)), mins(-5));

    // Recording the result stops its clock.
    lot.advance(mins(20));
    lot.ok(result("晋D11111", TestKind::Antigen, TestResult::Negative));
    let facts = lot.store.clock_facts().unwrap();
    let all = clocks::clocks(&facts, &lot.policy);
    assert_eq!(all[0].kind.key(), "service");
    assert_eq!(clocks::overdue_count(&all, lot.now()), 0);
    lot.advance(mins(11));
    assert_eq!(clocks::overdue_count(&all, lot.now()), 1);
}

// ------------------------------------------------------------ departure

#[test]
fn a_clean_departure_frees_the_bay() {
    let mut lot = Lot::new();
    lot.arrive("晋D11111");
    lot.cleared("晋D11111");
    lot.advance(mins(90));
    let out = lot.ok(depart("晋D11111"));
    assert_eq!(out.bay, Some(bay("P-01-01")));
    assert_eq!(
        out.events,
        vec![(
            4,
            Event::Departed {
                stay: StayId(1),
                from: bay("P-01-01"),
                forced: None,
                overridden: vec![],
            }
        )]
    );
    assert!(lot.occupancy().is_empty());
    let d = detail(&lot, "晋D11111");
    assert_eq!(d.status, Status::Departed);
    assert_eq!(d.departed_at, Some(t0() + mins(90)));
    assert_eq!(d.bay, None);
    assert_eq!(d.forced_reason, None);
    assert_eq!(
        lot.refused(depart("晋D11111")),
        Refusal::NotOnSite(plate("晋D11111"))
    );
    // It may come back: a new stay.
    let out = lot.ok(arrive_op(arrival("晋D11111")));
    assert_eq!(out.stay, Some(StayId(2)));
}

#[test]
fn departure_is_refused_with_a_result_pending_unless_forced() {
    let mut lot = Lot::new();
    lot.arrive("晋D11111");
    lot.ok(sample("晋D11111", TestKind::Pcr));
    // Now every blocker is named: the pending PCR and the antigen the
    // default policy needs and nobody took.
    assert_eq!(
        lot.refused(depart("晋D11111")),
        Refusal::DepartureBlocked {
            plate: plate("晋D11111"),
            blockers: vec![
                Blocker::ResultPending {
                    test: TestKind::Pcr
                },
                Blocker::NoSample {
                    test: TestKind::Antigen
                },
            ]
        }
    );
    // Forcing needs a real reason.
    let msg = invalid(lot.rejected(Op::Depart {
        plate: plate("晋D11111"),
        force_reason: Some("  ".into()),
    }));
    assert!(msg.contains("reason"), "{msg}");
    let out = lot.ok(Op::Depart {
        plate: plate("晋D11111"),
        force_reason: Some("lab closed; result to be phoned to the driver".into()),
    });
    assert!(matches!(
        &out.events[0].1,
        Event::Departed { forced: Some(r), overridden, .. }
            if r.starts_with("lab closed") && overridden == &["result_pending", "no_sample"]
    ));
    let d = detail(&lot, "晋D11111");
    assert_eq!(d.status, Status::Departed);
    assert_eq!(
        d.forced_reason.as_deref(),
        Some("lab closed; result to be phoned to the driver")
    );
    // Gone, it still owes its result: on the clocks, with no bay, until
    // the lab answers.
    let facts = lot.store.clock_facts().unwrap();
    assert_eq!(facts.samples.len(), 1);
    assert_eq!(facts.samples[0].truck.bay, None);
}

#[test]
fn departure_from_isolation_needs_a_release_unless_forced() {
    let mut lot = Lot::new();
    lot.ok(arrive_op(with_temp("晋D11111", 38.0)));
    lot.cleared("晋D11111");
    assert_eq!(blocked(lot.refused(depart("晋D11111"))), ["not_released"]);
    lot.ok(release("晋D11111"));
    lot.ok(depart("晋D11111"));

    lot.ok(arrive_op(with_temp("晋D22222", 38.0)));
    lot.ok(Op::Depart {
        plate: plate("晋D22222"),
        force_reason: Some("escorted to the district hospital".into()),
    });
    assert_eq!(
        detail(&lot, "晋D22222").forced_reason.as_deref(),
        Some("escorted to the district hospital")
    );
    assert!(lot.occupancy().is_empty());
}

#[test]
fn departure_of_cargo_needing_a_handoff_waits_for_it() {
    let mut lot = Lot::new();
    let mut a = arrival("晋D11111");
    a.handoff_required = true;
    a.cargo = Cargo::Living;
    lot.ok(arrive_op(a));
    lot.cleared("晋D11111");
    assert_eq!(
        blocked(lot.refused(depart("晋D11111"))),
        ["handoff_required"]
    );
    lot.ok(handoff("晋D11111"));
    assert_eq!(
        blocked(lot.refused(depart("晋D11111"))),
        ["handoff_under_way"]
    );
    lot.ok(Op::HandoffDone {
        plate: plate("晋D11111"),
    });
    lot.ok(depart("晋D11111"));
}

// ------------------------------------------------------------ isolation

#[test]
fn isolate_release_and_escalate() {
    let mut lot = Lot::new();
    lot.arrive_in("晋D11111", "P-03-03");
    lot.advance(mins(5));
    let msg = invalid(lot.rejected(Op::Isolate {
        plate: plate("晋D11111"),
        reason: "".into(),
        bay: None,
    }));
    assert!(msg.contains("reason"), "{msg}");
    assert_eq!(
        lot.refused(Op::Isolate {
            plate: plate("晋D11111"),
            reason: "cough".into(),
            bay: Some(bay("P-03-04")),
        }),
        Refusal::WrongZone {
            bay: bay("P-03-04"),
            expected: vec![Zone::Isolation]
        }
    );
    assert_eq!(
        rule(lot.refused(release("晋D11111"))),
        RuleRefusal::NotIsolated {
            plate: plate("晋D11111")
        }
    );
    assert_eq!(
        rule(lot.refused(Op::Escalate {
            plate: plate("晋D11111"),
            note: "call the office".into()
        })),
        RuleRefusal::NotIsolated {
            plate: plate("晋D11111")
        }
    );
    // Asked before the note is typed (the interface's `e`), the answer is
    // the operation's own.
    let check = |lot: &mut Lot| trucklot::ops::escalation_check(&mut lot.store, &plate("晋D11111"));
    assert!(matches!(
        check(&mut lot),
        Err(OpError::Refused(Refusal::Rule(
            RuleRefusal::NotIsolated { .. }
        )))
    ));

    let out = lot.ok(isolate("晋D11111"));
    assert_eq!(out.bay, Some(bay("I-01")));
    assert_eq!(check(&mut lot).unwrap().bay, Some(bay("I-01")));
    assert_eq!(
        out.events[0].1,
        Event::Isolated {
            stay: StayId(1),
            from: bay("P-03-03"),
            to: bay("I-01"),
            reason: "antigen positive".into()
        }
    );
    let d = detail(&lot, "晋D11111");
    assert_eq!(d.status, Status::Isolated);
    assert_eq!(d.isolated_at, Some(t0() + mins(5)));
    assert_eq!(d.isolation_reason.as_deref(), Some("antigen positive"));
    assert_eq!(
        rule(lot.refused(isolate("晋D11111"))),
        RuleRefusal::AlreadyIsolated {
            plate: plate("晋D11111")
        }
    );

    lot.ok(Op::Escalate {
        plate: plate("晋D11111"),
        note: "reported to the district office".into(),
    });
    let d = detail(&lot, "晋D11111");
    assert_eq!(
        d.escalation_note.as_deref(),
        Some("reported to the district office")
    );

    assert_eq!(
        lot.refused(Op::Release {
            plate: plate("晋D11111"),
            reason: "negative".into(),
            by: "王班长".into(),
            bay: Some(bay("I-03")),
        }),
        Refusal::WrongZone {
            bay: bay("I-03"),
            expected: vec![Zone::Parking, Zone::Living, Zone::Work]
        }
    );
    assert!(matches!(
        invalid(lot.rejected(Op::Release {
            plate: plate("晋D11111"),
            reason: " ".into(),
            by: "王班长".into(),
            bay: None,
        })),
        m if m.contains("reason")
    ));
    lot.advance(mins(60));
    let out = lot.ok(release("晋D11111"));
    assert_eq!(out.bay, Some(bay("P-01-01")), "the suggested parking bay");
    let d = detail(&lot, "晋D11111");
    assert_eq!(d.status, Status::Parked);
    assert_eq!(d.release_reason.as_deref(), Some("PCR negative"));
    assert_eq!(d.released_by.as_deref(), Some("王班长"));
    assert_eq!(d.released_at, Some(t0() + mins(65)));

    // Released into a bay of the operator's choosing.
    lot.ok(isolate("晋D11111"));
    let out = lot.ok(Op::Release {
        plate: plate("晋D11111"),
        reason: "cleared".into(),
        by: "王班长".into(),
        bay: Some(bay("L-07")),
    });
    assert_eq!(out.bay, Some(bay("L-07")));
}

#[test]
fn the_isolation_board_lists_exactly_the_trucks_in_isolation() {
    let mut lot = Lot::new();
    // In isolation three ways: fever at the gate, an override, a positive.
    lot.ok(arrive_op(with_temp("晋D11111", 38.4)));
    lot.advance(mins(10));
    lot.ok(Op::Arrive {
        arrival: arrival("晋D22222"),
        bay: Some(bay("I-30")),
        override_reason: Some("driver reports a cough".into()),
    });
    lot.arrive("晋D33333");
    lot.arrive("晋D44444");
    lot.ok(sample("晋D33333", TestKind::Antigen));
    lot.advance(mins(20));
    lot.ok(result("晋D33333", TestKind::Antigen, TestResult::Positive));
    lot.ok(isolate("晋D33333"));
    lot.ok(sample("晋D33333", TestKind::Pcr));

    let board = |lot: &Lot| {
        let facts = lot.store.clock_facts().unwrap();
        isolation_board(&facts, &lot.policy, lot.now())
    };
    let in_isolation_bays = |lot: &Lot| {
        let mut v: Vec<StayId> = lot
            .occupancy()
            .into_iter()
            .filter(|(b, _)| b.zone() == Zone::Isolation)
            .map(|(_, s)| s)
            .collect();
        v.sort();
        v
    };
    let rows = board(&lot);
    let mut stays: Vec<StayId> = rows.iter().map(|r| r.truck.stay).collect();
    stays.sort();
    assert_eq!(stays, in_isolation_bays(&lot));
    assert_eq!(stays.len(), 3);

    // Longest held first, with reason, duration, what is pending and next.
    let plates: Vec<String> = rows.iter().map(|r| r.truck.plate.to_string()).collect();
    assert_eq!(plates, ["晋D11111", "晋D22222", "晋D33333"]);
    // No reason was typed: the checks name who was flagged.
    assert_eq!(rows[0].reason, None);
    assert_eq!(
        trucklot::domain::event::describe_findings(&rows[0].findings, |n| rows[0].name(n)),
        "fever: driver 张三"
    );
    assert_eq!(rows[0].minutes, 30);
    assert_eq!(rows[0].next, NextAction::TakeSample);
    assert_eq!(rows[0].truck.bay, Some(bay("I-01")));
    assert_eq!(rows[1].reason.as_deref(), Some("driver reports a cough"));
    assert_eq!(rows[1].truck.bay, Some(bay("I-30")));
    assert_eq!(rows[2].pending, vec![TestKind::Pcr]);
    assert!(rows[2].overdue.is_empty());
    assert_eq!(
        rows[2].next,
        NextAction::AwaitResult {
            test: TestKind::Pcr,
            due: t0() + mins(30) + Duration::hours(6)
        }
    );
    lot.advance(Duration::hours(7));
    let rows = board(&lot);
    assert_eq!(rows[2].overdue, vec![TestKind::Pcr]);
    assert_eq!(
        rows[2].next,
        NextAction::ChaseResult {
            test: TestKind::Pcr
        }
    );

    // Released: off the board. Changed with the closed loop (issue 7): a
    // truck leaving isolation under an authorised escort stays on the board
    // (still under isolation's authority) until it has gone through the gate.
    lot.ok(release("晋D11111"));
    lot.ok(escort_op("晋D22222", Some("李队长")));
    let rows = board(&lot);
    let stays: Vec<StayId> = rows.iter().map(|r| r.truck.stay).collect();
    assert_eq!(stays, vec![StayId(2), StayId(3)]);
    assert_eq!(in_isolation_bays(&lot), vec![StayId(3)]);
    assert_eq!(rows[0].next, NextAction::EscortUnderWay);
    lot.ok(Op::HandoffDone {
        plate: plate("晋D22222"),
    });
    assert_eq!(board(&lot)[0].next, NextAction::LetOutUnderEscort);
    lot.ok(depart("晋D22222"));
    let rows = board(&lot);
    let stays: Vec<StayId> = rows.iter().map(|r| r.truck.stay).collect();
    assert_eq!(stays, in_isolation_bays(&lot));
    assert_eq!(stays, vec![StayId(3)]);
}

/// The bay a confirmation offered (`ops::suggested_bay`) is checked again
/// by the operation when it writes: taken or closed since, the operation is
/// refused and writes nothing, and the next suggestion is another bay. A
/// truck not on site has no suggestion: it is refused as the operation
/// refuses it, not taken for a full zone.
#[test]
fn an_offered_bay_taken_meanwhile_is_refused_and_the_next_is_suggested() {
    let mut lot = Lot::new();
    lot.arrive_in("晋D11111", "P-10-10");
    lot.ok(isolate("晋D11111"));
    let suggest = |lot: &mut Lot, p: &str, z: Zone| {
        trucklot::ops::suggested_bay(&mut lot.store, &plate(p), &[z]).unwrap()
    };
    let offered = suggest(&mut lot, "晋D11111", Zone::Parking).unwrap();
    lot.arrive_in("晋D22222", offered.as_str());
    let released = |b: &BayId| Op::Release {
        plate: plate("晋D11111"),
        reason: "PCR negative".into(),
        by: "王班长".into(),
        bay: Some(b.clone()),
    };
    assert_eq!(
        lot.refused(released(&offered)),
        Refusal::BayOccupied {
            bay: offered.clone(),
            plate: plate("晋D22222")
        }
    );
    let next = suggest(&mut lot, "晋D11111", Zone::Parking).unwrap();
    assert_ne!(next, offered);
    lot.ok(close(next.as_str()));
    assert!(matches!(
        lot.refused(released(&next)),
        Refusal::BayClosed { bay, .. } if bay == next
    ));
    let third = suggest(&mut lot, "晋D11111", Zone::Parking).unwrap();
    assert_eq!(lot.ok(released(&third)).bay, Some(third));
    assert!(matches!(
        trucklot::ops::suggested_bay(&mut lot.store, &plate("晋D33333"), &[Zone::Parking]),
        Err(OpError::Refused(Refusal::NotOnSite(_)))
    ));
}

// -------------------------------------------------------------- handoff

#[test]
fn a_handoff_starts_in_a_handoff_bay_and_is_marked_done() {
    let mut lot = Lot::new();
    lot.arrive("晋D11111");
    let mut a = arrival("晋D22222");
    a.cargo = Cargo::Emergency;
    lot.ok(arrive_op(a));

    assert_eq!(
        rule(lot.refused(Op::HandoffDone {
            plate: plate("晋D11111")
        })),
        RuleRefusal::NoHandoff {
            plate: plate("晋D11111")
        }
    );
    assert_eq!(
        lot.refused(Op::HandoffStart {
            plate: plate("晋D11111"),
            mode: HandoffMode::Escort,
            receiver: None,
            company: None,
            escort: Some("交警大队".into()),
            by: None,
            bay: Some(bay("P-09-09")),
        }),
        Refusal::WrongZone {
            bay: bay("P-09-09"),
            expected: vec![Zone::Handoff]
        }
    );
    lot.advance(mins(3));
    let out = lot.ok(handoff("晋D11111"));
    assert_eq!(out.bay, Some(bay("H-01")));
    assert_eq!(
        out.events[0].1,
        Event::HandoffStarted {
            stay: StayId(1),
            from: bay("P-01-01"),
            to: bay("H-01"),
            mode: HandoffMode::Transfer,
            counterpart: None,
            receiver: Some(plate("晋D99999")),
            company: Some("长治物流".into()),
            escort: None,
            by: None,
        }
    );
    // Priority cargo gets the handoff bay nearest the exit.
    let out = lot.ok(escort_op("晋D22222", None));
    assert_eq!(out.bay, Some(bay("H-12")));
    assert_eq!(
        rule(lot.refused(handoff("晋D11111"))),
        RuleRefusal::HandoffAlreadyStarted {
            plate: plate("晋D11111")
        }
    );
    let d = detail(&lot, "晋D11111");
    assert_eq!(d.status, Status::Handoff);
    assert_eq!(d.handoff_mode, Some(HandoffMode::Transfer));
    assert_eq!(d.handoff_started_at, Some(t0() + mins(3)));
    assert_eq!(d.handoff_counterpart.as_deref(), Some("晋D99999 长治物流"));

    // A handoff under way has a clock.
    let facts = lot.store.clock_facts().unwrap();
    assert_eq!(facts.handoffs.len(), 2);
    let c = clocks::clocks(&facts, &lot.policy);
    assert!(c.iter().any(|c| c.kind
        == ClockKind::Handoff {
            mode: HandoffMode::Transfer
        }
        && c.due == t0() + mins(3 + 120)));

    lot.advance(mins(40));
    lot.ok(Op::HandoffDone {
        plate: plate("晋D11111"),
    });
    let d = detail(&lot, "晋D11111");
    assert_eq!(d.status, Status::HandoffDone);
    assert_eq!(d.handoff_done_at, Some(t0() + mins(43)));
    assert_eq!(
        rule(lot.refused(Op::HandoffDone {
            plate: plate("晋D11111")
        })),
        RuleRefusal::NoHandoff {
            plate: plate("晋D11111")
        }
    );
    assert_eq!(
        rule(lot.refused(handoff("晋D11111"))),
        RuleRefusal::HandoffAlreadyStarted {
            plate: plate("晋D11111")
        }
    );
    // Changed with the closed loop (issue 7): a finished handoff stays on
    // the clocks board until its arrival at the destination is confirmed.
    let facts = lot.store.clock_facts().unwrap();
    assert_eq!(facts.handoffs.len(), 2);
    assert!(clocks::clocks(&facts, &lot.policy).iter().any(|c| c.kind
        == ClockKind::HandoffConfirm {
            mode: HandoffMode::Transfer
        }
        && c.due == t0() + mins(43) + lot.policy.handoff_confirm()));
    lot.ok(Op::HandoffConfirm {
        plate: plate("晋D11111"),
    });
    assert_eq!(lot.store.clock_facts().unwrap().handoffs.len(), 1);
    // Changed with the closed loop (issue 7): an isolated truck is no
    // longer sent to a cargo transfer; it leaves isolation only under an
    // escort that someone authorised.
    lot.ok(arrive_op(with_temp("晋D33333", 38.0)));
    assert_eq!(
        rule(lot.refused(handoff("晋D33333"))),
        RuleRefusal::TransferUnderIsolation {
            plate: plate("晋D33333")
        }
    );
    lot.ok(escort_op("晋D33333", Some("李队长")));
    let d = detail(&lot, "晋D33333");
    assert_eq!(d.status, Status::Handoff);
    assert_eq!(d.handoff_by.as_deref(), Some("李队长"));
}

// ------------------------------------------------------------- services

#[test]
fn service_calls_are_requested_and_done() {
    let mut lot = Lot::new();
    lot.arrive("晋D11111");
    assert_eq!(
        rule(lot.refused(Op::ServiceDone {
            plate: plate("晋D11111"),
            service: None
        })),
        RuleRefusal::NoServiceCall {
            plate: plate("晋D11111")
        }
    );
    lot.ok(Op::ServiceRequest {
        plate: plate("晋D11111"),
        service: ServiceKind::Meal,
    });
    lot.advance(mins(2));
    lot.ok(Op::ServiceRequest {
        plate: plate("晋D11111"),
        service: ServiceKind::Water,
    });
    let facts = lot.store.clock_facts().unwrap();
    let open: Vec<_> = facts.services.iter().map(|s| s.service).collect();
    assert_eq!(open, [ServiceKind::Meal, ServiceKind::Water]);
    // Of a kind not called for: refused, naming the calls that are open.
    assert_eq!(
        lot.refused(Op::ServiceDone {
            plate: plate("晋D11111"),
            service: Some(ServiceKind::Medical)
        }),
        Refusal::NoServiceCallOfKind {
            plate: plate("晋D11111"),
            kind: ServiceKind::Medical,
            open: vec![ServiceKind::Meal, ServiceKind::Water],
        }
    );
    lot.advance(mins(10));
    let out = lot.ok(Op::ServiceDone {
        plate: plate("晋D11111"),
        service: Some(ServiceKind::Water),
    });
    let water_call = match out.events[0].1 {
        Event::ServiceDone { call, .. } => call,
        ref e => panic!("{e:?}"),
    };
    let d = detail(&lot, "晋D11111");
    let water = d.services.iter().find(|s| s.id == water_call).unwrap();
    assert_eq!(water.service, ServiceKind::Water);
    assert_eq!(water.done_at, Some(t0() + mins(12)));
    assert_eq!(water.done_at.unwrap() - water.requested_at, mins(10));
    // Without a kind, the oldest open call.
    lot.ok(Op::ServiceDone {
        plate: plate("晋D11111"),
        service: None,
    });
    let d = detail(&lot, "晋D11111");
    assert!(d.services.iter().all(|s| s.done_at.is_some()));
    assert!(lot.store.clock_facts().unwrap().services.is_empty());
    assert_eq!(
        lot.refused(Op::ServiceRequest {
            plate: plate("晋D22222"),
            service: ServiceKind::Meal
        }),
        Refusal::NotOnSite(plate("晋D22222"))
    );
}

// ------------------------------------------------- disinfection and bays

#[test]
fn disinfecting_a_zone_resets_its_clock() {
    let mut lot = Lot::new();
    lot.ok(Op::Disinfect {
        target: Target::Zone(Zone::Parking),
    });
    let parking_due = |lot: &Lot| {
        let facts = lot.store.clock_facts().unwrap();
        clocks::clocks(&facts, &lot.policy)
            .into_iter()
            .find(|c| {
                c.kind
                    == ClockKind::Disinfection {
                        zone: Zone::Parking,
                    }
            })
            .unwrap()
    };
    let c = parking_due(&lot);
    assert_eq!((c.started, c.due), (t0(), t0() + Duration::hours(4)));
    lot.advance(Duration::hours(5));
    assert!(parking_due(&lot).overdue(lot.now()));
    lot.ok(Op::Disinfect {
        target: Target::Zone(Zone::Parking),
    });
    let c = parking_due(&lot);
    assert_eq!(c.due, t0() + Duration::hours(9));
    assert!(!c.overdue(lot.now()));
    assert_eq!(
        lot.lot().zone_disinfected[Zone::Parking.index()],
        Some(t0() + Duration::hours(5))
    );

    // A bay round is recorded on the bay.
    lot.ok(Op::Disinfect {
        target: Target::Bay(bay("I-03")),
    });
    let i = lot.store.layout().find(&bay("I-03")).unwrap();
    assert_eq!(
        lot.lot().bays[i].disinfected_at,
        Some(t0() + Duration::hours(5))
    );
    assert_eq!(
        lot.refused(Op::Disinfect {
            target: Target::Bay(bay("I-99"))
        }),
        Refusal::UnknownBay(bay("I-99"))
    );
}

#[test]
fn bays_are_closed_and_reopened_with_a_reason() {
    let mut lot = Lot::new();
    lot.arrive_in("晋D11111", "P-02-02");
    let out = lot.ok(Op::CloseBay {
        bay: bay("P-02-03"),
        reason: "oil spill".into(),
    });
    assert_eq!(out.bay, Some(bay("P-02-03")));
    let i = lot.store.layout().find(&bay("P-02-03")).unwrap();
    assert_eq!(lot.lot().bays[i].closed.as_deref(), Some("oil spill"));
    let parking = lot.store.status().unwrap()[Zone::Parking.index()].clone();
    assert_eq!(
        (
            parking.capacity,
            parking.occupied,
            parking.closed,
            parking.free
        ),
        (1200, 1, 1, 1198)
    );

    assert_eq!(
        lot.refused(close("P-02-02")),
        Refusal::BayOccupied {
            bay: bay("P-02-02"),
            plate: plate("晋D11111")
        }
    );
    assert_eq!(
        lot.refused(close("P-02-03")),
        Refusal::BayClosed {
            bay: bay("P-02-03"),
            reason: "oil spill".into()
        }
    );
    assert_eq!(lot.refused(close("W-07")), Refusal::UnknownBay(bay("W-07")));
    let msg = invalid(lot.rejected(Op::CloseBay {
        bay: bay("P-02-04"),
        reason: "".into(),
    }));
    assert!(msg.contains("reason"), "{msg}");
    assert_eq!(
        lot.refused(Op::OpenBay {
            bay: bay("P-02-04")
        }),
        Refusal::BayNotClosed(bay("P-02-04"))
    );
    assert_eq!(
        lot.refused(Op::OpenBay { bay: bay("L-41") }),
        Refusal::UnknownBay(bay("L-41"))
    );

    lot.ok(Op::OpenBay {
        bay: bay("P-02-03"),
    });
    assert_eq!(lot.lot().bays[i].closed, None);
    assert_eq!(lot.store.status().unwrap()[Zone::Parking.index()].closed, 0);
    lot.ok(mv("晋D11111", "P-02-03"));
}

#[test]
fn every_truck_operation_refuses_a_plate_not_on_site() {
    let mut lot = Lot::new();
    lot.arrive("晋D11111");
    lot.clear_and_depart("晋D11111");
    let p = || plate("晋D11111");
    for op in [
        mv("晋D11111", "P-05-05"),
        depart("晋D11111"),
        sample("晋D11111", TestKind::Antigen),
        result("晋D11111", TestKind::Antigen, TestResult::Negative),
        isolate("晋D11111"),
        release("晋D11111"),
        handoff("晋D11111"),
        Op::HandoffDone { plate: p() },
        Op::ServiceRequest {
            plate: p(),
            service: ServiceKind::Medical,
        },
        Op::ServiceDone {
            plate: p(),
            service: None,
        },
        Op::Recheck {
            plate: p(),
            person: 0,
            temperature: Temperature::new(36.5).unwrap(),
            code: HealthCode::Green,
        },
    ] {
        assert_eq!(lot.refused(op), Refusal::NotOnSite(p()));
    }
    // Escalation answers for the latest stay, which may report a positive
    // that came back after the truck left; this one has none.
    assert_eq!(
        lot.refused(Op::Escalate {
            plate: p(),
            note: "x".into(),
        }),
        Refusal::NotOnSite(p())
    );
    assert!(matches!(
        trucklot::ops::escalation_check(&mut lot.store, &p()),
        Err(OpError::Refused(Refusal::NotOnSite(_)))
    ));
}

#[test]
fn every_event_records_who_where_and_when() {
    let mut lot = Lot::new();
    lot.arrive("晋D11111");
    lot.advance(mins(1));
    lot.ok(sample("晋D11111", TestKind::Antigen));
    let log = lot
        .store
        .log(&trucklot::store::LogFilter::default())
        .unwrap();
    let seen: Vec<_> = log
        .iter()
        .map(|e| (e.operator.as_str(), e.terminal.as_str(), e.at))
        .collect();
    assert_eq!(
        seen,
        [
            ("tester", "gate-1", t0() + mins(1)),
            ("tester", "gate-1", t0())
        ]
    );
    assert!(lot.store.check().unwrap().ok());
}
