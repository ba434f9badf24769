//! The shift report on a hand-built history, with the numbers checked: who
//! arrived (by cargo, province, gate), who left, tests and results, the
//! positive and its isolation, what was overdue at the end, handoffs,
//! service calls, disinfection, closed bays, and every override and forced
//! action with its operator and reason.

mod common;

use chrono::Duration;
use common::*;
use trucklot::domain::bay::Zone;
use trucklot::domain::clocks::ClockKind;
use trucklot::domain::event::{HandoffMode, ServiceKind, Target, TestKind, TestResult};
use trucklot::domain::policy::Cargo;
use trucklot::ops::Op;

/// The next shift's report lists the trucks isolated before it began:
/// the one still held, which no event of the window touched (the next
/// shift inherits it), and the one released in it, each with when its
/// isolation began and why, in the order they began.
#[test]
fn the_report_lists_isolations_that_began_before_the_window() {
    let mut lot = Lot::new();
    for (p, reason) in [("晋D20001", "fever on recheck"), ("晋D20002", "red code")] {
        lot.arrive(p);
        lot.ok(Op::Isolate {
            plate: plate(p),
            reason: reason.into(),
            bay: None,
        });
        lot.advance(Duration::minutes(30));
    }
    let began = lot.now() - Duration::minutes(60);
    lot.advance(Duration::hours(2));
    let from = lot.now();
    lot.advance(Duration::hours(1));
    lot.ok(release_op("晋D20002"));
    lot.advance(Duration::hours(1));
    let to = lot.now();

    let r = lot.store.report(from, to, &lot.policy, false).unwrap();
    let lines: Vec<_> = r
        .summary
        .isolations
        .iter()
        .map(|l| (l.plate.as_str(), l.reason.as_deref(), l.since, l.until))
        .collect();
    assert_eq!(
        lines,
        [
            ("晋D20001", Some("fever on recheck"), Some(began), None),
            (
                "晋D20002",
                Some("red code"),
                Some(began + Duration::minutes(30)),
                Some(from + Duration::hours(1))
            ),
        ]
    );
}

#[test]
fn the_report_adds_up_the_window() {
    let mut lot = Lot::new();
    // Before the window: one truck already on site.
    lot.arrive("晋D00001");
    lot.advance(Duration::hours(1));
    let from = lot.now();

    let mut a = arrival("冀A12345");
    a.cargo = Cargo::Emergency;
    a.gate = Some("west".into());
    lot.ok(arrive_op(a));
    lot.arrive("晋D10002");
    lot.ok(Op::Arrive {
        arrival: {
            let mut a = arrival("晋D10003");
            a.temperature = Some(trucklot::domain::policy::Temperature::new(38.4).unwrap());
            a
        },
        bay: Some(bay("P-02-02")),
        override_reason: Some("doctor cleared at the gate".into()),
    });
    lot.advance(Duration::minutes(5));
    for p in ["晋D10002", "冀A12345"] {
        lot.ok(Op::Sample {
            plate: plate(p),
            test: TestKind::Antigen,
            tube: None,
            batch: None,
        });
    }
    lot.ok(Op::Sample {
        plate: plate("晋D10003"),
        test: TestKind::Pcr,
        tube: None,
        batch: None,
    });
    lot.advance(Duration::minutes(15));
    lot.ok(Op::Result {
        plate: plate("晋D10002"),
        test: TestKind::Antigen,
        result: TestResult::Negative,
    });
    lot.ok(Op::Result {
        plate: plate("冀A12345"),
        test: TestKind::Antigen,
        result: TestResult::Positive,
    });
    lot.ok(Op::Isolate {
        plate: plate("冀A12345"),
        reason: "positive antigen".into(),
        bay: None,
    });
    lot.ok(Op::ServiceRequest {
        plate: plate("晋D10002"),
        service: ServiceKind::Water,
    });
    lot.ok(Op::Disinfect {
        target: Target::Zone(Zone::Parking),
    });
    lot.ok(Op::CloseBay {
        bay: bay("P-10-10"),
        reason: "oil".into(),
    });
    lot.advance(Duration::minutes(10));
    lot.ok(Op::HandoffStart {
        plate: plate("晋D10002"),
        mode: HandoffMode::Transfer,
        receiver: Some(plate("晋D5K231")),
        company: Some("物资公司".into()),
        escort: None,
        by: None,
        bay: None,
    });
    lot.ok(Op::HandoffDone {
        plate: plate("晋D10002"),
    });
    lot.ok(Op::Depart {
        plate: plate("晋D10002"),
        force_reason: None,
    });
    // The truck from before the window leaves, forced past its missing test.
    lot.ok(Op::Depart {
        plate: plate("晋D00001"),
        force_reason: Some("ordered out by the police".into()),
    });
    lot.advance(Duration::hours(7));
    let to = lot.now();

    let r = lot.store.report(from, to, &lot.policy, false).unwrap();
    let s = &r.summary;
    assert_eq!(s.arrivals_by_cargo.values().sum::<usize>(), 3);
    assert_eq!(s.arrivals_by_cargo[&Cargo::Emergency], 1);
    assert_eq!(s.arrivals_by_province["晋"], 2);
    assert_eq!(s.arrivals_by_province["冀"], 1);
    assert_eq!(s.arrivals_by_gate["west"], 1);
    assert_eq!(s.arrivals_by_gate["east"], 2);
    assert_eq!(s.flagged_at_gate, 1);
    // Both departures counted by their cargo, the earlier arrival too.
    assert_eq!(s.departures_by_cargo[&Cargo::Other], 2);
    assert_eq!(s.samples[&TestKind::Antigen], 2);
    assert_eq!(s.samples[&TestKind::Pcr], 1);
    assert_eq!(s.results[&TestKind::Antigen][&TestResult::Negative], 1);
    assert_eq!(s.results[&TestKind::Antigen][&TestResult::Positive], 1);
    assert_eq!(s.positives.len(), 1);
    assert_eq!(s.positives[0].0.as_str(), "冀A12345");
    assert_eq!(s.isolations.len(), 1);
    assert_eq!(s.isolations[0].reason.as_deref(), Some("positive antigen"));
    assert_eq!(s.isolations[0].until, None, "still held at the end");
    assert_eq!(s.handoffs_started[&HandoffMode::Transfer], 1);
    assert_eq!((s.handoffs_done, s.handoffs_confirmed), (1, 0));
    assert_eq!(s.services_requested[&ServiceKind::Water], 1);
    // The water call was closed when its truck left.
    assert_eq!(s.services_done, 1);
    assert_eq!(s.disinfections.len(), 1);
    assert_eq!(s.bays_closed.len(), 1);
    let what: Vec<(&str, &str)> = s
        .overrides
        .iter()
        .map(|o| (o.what, o.reason.as_str()))
        .collect();
    assert_eq!(
        what,
        [
            ("arrival_override", "doctor cleared at the gate"),
            ("forced_departure", "ordered out by the police")
        ]
    );
    assert_eq!(s.overrides[1].overridden, ["no_sample"]);
    assert_eq!(s.overrides[1].operator, "tester");
    // Occupancy: one truck at the start; at the end 冀A12345 (isolation)
    // and 晋D10003 (parking) remain.
    let occ =
        |zs: &[trucklot::store::ZoneAt], z: Zone| zs.iter().find(|x| x.zone == z).unwrap().occupied;
    assert_eq!(occ(&r.start, Zone::Parking), 1);
    assert_eq!(occ(&r.end, Zone::Parking), 1);
    assert_eq!(occ(&r.end, Zone::Isolation), 1);
    // 晋D10003's PCR was due 6 h after sampling and is still out.
    let overdue: Vec<(&str, &ClockKind)> = r
        .overdue_at_end
        .iter()
        .map(|o| (o.truck.as_ref().map_or("", |t| t.plate.as_str()), &o.kind))
        .collect();
    // The window ends at the log's end: the clocks board's own list, the
    // zones' disinfection rounds (none recorded) with it.
    let round = |zone| ClockKind::Disinfection { zone };
    assert_eq!(
        overdue,
        [
            ("", &round(Zone::Work)),
            ("", &round(Zone::Living)),
            ("", &round(Zone::Isolation)),
            ("", &round(Zone::Handoff)),
            ("", &round(Zone::Parking)),
            (
                "晋D10003",
                &ClockKind::Result {
                    test: TestKind::Pcr
                }
            )
        ]
    );
    let facts = lot.store.clock_facts().unwrap();
    let board: Vec<_> = trucklot::domain::clocks::clocks(&facts, &lot.policy)
        .into_iter()
        .filter(|c| c.overdue(to))
        .collect();
    assert_eq!(r.overdue_at_end, board);
    // A window that ended before later events: what the log rebuilds of
    // that moment, the late results.
    lot.advance(Duration::minutes(1));
    lot.arrive("晋D10009");
    // The same window as the shift under way (another terminal recorded
    // the arrival while the report was read): the clocks' own list still.
    let under_way = lot.store.report(from, to, &lot.policy, true).unwrap();
    assert_eq!(
        under_way.overdue_at_end.len(),
        6,
        "{:?}",
        under_way.overdue_at_end
    );
    let earlier = lot.store.report(from, to, &lot.policy, false).unwrap();
    let kinds: Vec<_> = earlier.overdue_at_end.iter().map(|o| &o.kind).collect();
    assert_eq!(
        kinds,
        [&ClockKind::Result {
            test: TestKind::Pcr
        }]
    );
}
