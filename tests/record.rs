//! The record kept straight: undo as a compensating event (each kind of
//! action, and every refusal), and personal data purged while counts, the
//! log's shape and `check` stay.

mod common;

use chrono::Duration;
use common::*;
use trucklot::domain::event::{Event, Field, ServiceKind, TestKind, TestResult};
use trucklot::domain::policy::HealthCode;
use trucklot::ops::{Op, OpError, Refusal};
use trucklot::store::{LogFilter, ZoneCount};

/// What an undo must give back: who is where, the per-zone counts, and a
/// state that a replay of the log reproduces.
fn snapshot(
    lot: &Lot,
) -> (
    std::collections::BTreeMap<trucklot::domain::bay::BayId, trucklot::domain::event::StayId>,
    Vec<ZoneCount>,
) {
    (lot.occupancy(), lot.store.status().unwrap())
}

fn undo(lot: &mut Lot) {
    lot.ok(Op::Undo { expected: None });
    let report = lot.store.check().unwrap();
    assert!(report.ok(), "{:#?}", report.differences);
}

fn undo_refused(lot: &mut Lot) -> Refusal {
    lot.refused(Op::Undo { expected: None })
}

#[test]
fn every_undoable_action_is_taken_back_and_the_state_is_as_before() {
    let mut lot = Lot::new();
    lot.arrive("晋D10001");
    let before = snapshot(&lot);

    // Each action, then its undo: the lot is as it was, and check agrees.
    let actions: Vec<Op> = vec![
        Op::Move {
            plate: plate("晋D10001"),
            to: bay("P-05-05"),
        },
        sample_op("晋D10001", TestKind::Antigen),
        Op::ServiceRequest {
            plate: plate("晋D10001"),
            service: ServiceKind::Meal,
        },
        Op::CloseBay {
            bay: bay("P-09-09"),
            reason: "pothole".into(),
        },
        Op::Correct {
            plate: plate("晋D10001"),
            changes: vec![
                (Field::Driver, "李四".into()),
                (Field::Plate, "晋D10002".into()),
            ],
        },
        arrive_op(arrival("晋D20001")),
    ];
    for op in actions {
        lot.ok(op.clone());
        lot.advance(Duration::minutes(1));
        undo(&mut lot);
        assert_eq!(snapshot(&lot), before, "after undoing {op:?}");
    }
    // The correction undone: the old plate and driver are back.
    let d = lot
        .store
        .stay_detail(
            lot.store
                .stay_of_plate(&plate("晋D10001"))
                .unwrap()
                .unwrap(),
        )
        .unwrap()
        .unwrap();
    assert_eq!(d.driver.as_deref(), Some("张三"));

    // A result, then its sample, each undone in turn (last action first).
    lot.ok(sample_op("晋D10001", TestKind::Antigen));
    lot.ok(result_op(
        "晋D10001",
        TestKind::Antigen,
        TestResult::Negative,
    ));
    undo(&mut lot);
    let d = detail(&lot, "晋D10001");
    assert_eq!(d.samples.len(), 1);
    assert_eq!(
        d.samples[0].result, None,
        "the sample waits for its result again"
    );
    undo(&mut lot);
    assert!(detail(&lot, "晋D10001").samples.is_empty());

    // A call answered, then un-answered.
    lot.ok(Op::ServiceRequest {
        plate: plate("晋D10001"),
        service: ServiceKind::Water,
    });
    lot.ok(Op::ServiceDone {
        plate: plate("晋D10001"),
        service: None,
    });
    undo(&mut lot);
    assert!(
        detail(&lot, "晋D10001")
            .services
            .iter()
            .all(|s| s.done_at.is_none())
    );

    // A bay reopened by mistake is closed again, with its reason.
    lot.ok(Op::CloseBay {
        bay: bay("P-09-09"),
        reason: "pothole".into(),
    });
    lot.ok(Op::OpenBay {
        bay: bay("P-09-09"),
    });
    undo(&mut lot);
    let closed: usize = lot.store.status().unwrap().iter().map(|z| z.closed).sum();
    assert_eq!(closed, 1);
    // Undone once more, the closing itself is taken back: the bay is open,
    // and the closure that the undone opening had ended, then begun again,
    // ends now (the replay agrees: `undo` checks).
    undo(&mut lot);
    let closed: usize = lot.store.status().unwrap().iter().map(|z| z.closed).sum();
    assert_eq!(closed, 0);

    // A departure undone: the truck is back in its bay, its open call too.
    let b = lot.bay_of("晋D10001").unwrap();
    lot.cleared("晋D10001");
    lot.ok(depart_op("晋D10001"));
    assert_eq!(lot.bay_of("晋D10001"), None);
    undo(&mut lot);
    assert_eq!(lot.bay_of("晋D10001"), Some(b));
    assert!(
        detail(&lot, "晋D10001")
            .services
            .iter()
            .any(|s| s.done_at.is_none()),
        "the call the departure closed is open again"
    );
    // And it may leave again, as before.
    lot.ok(Op::ServiceDone {
        plate: plate("晋D10001"),
        service: None,
    });
    lot.ok(depart_op("晋D10001"));
    // The log keeps every action and every undo.
    let undos = lot
        .store
        .log(&LogFilter {
            kind: Some("undone".into()),
            ..LogFilter::default()
        })
        .unwrap();
    assert_eq!(undos.len(), 12);
}

fn detail(lot: &Lot, p: &str) -> trucklot::store::StayDetail {
    let id = lot.store.stay_of_plate(&plate(p)).unwrap().unwrap();
    lot.store.stay_detail(id).unwrap().unwrap()
}

#[test]
fn undo_refuses_what_can_no_longer_be_undone_and_says_why() {
    let mut lot = Lot::new();
    // Nothing done yet.
    assert!(matches!(undo_refused(&mut lot), Refusal::NothingToUndo(op) if op == "tester"));

    // A decision is not undone: the next decision is recorded instead.
    lot.arrive("晋D10001");
    lot.ok(Op::Isolate {
        plate: plate("晋D10001"),
        reason: "fever at recheck".into(),
        bay: None,
    });
    assert!(matches!(undo_refused(&mut lot), Refusal::UndoDecision { kind } if kind == "isolated"));

    // A positive result stands.
    lot.arrive("晋D10002");
    lot.ok(sample_op("晋D10002", TestKind::Antigen));
    lot.ok(result_op(
        "晋D10002",
        TestKind::Antigen,
        TestResult::Positive,
    ));
    assert_eq!(undo_refused(&mut lot), Refusal::UndoPositive);

    // Another operator acted on the truck since: the arrival stands.
    lot.arrive("晋D10003");
    lot.exec_as("李", &sample_op("晋D10003", TestKind::Antigen))
        .unwrap();
    match undo_refused(&mut lot) {
        Refusal::UndoChangedSince {
            kind,
            later_kind,
            by,
            ..
        } => {
            assert_eq!(
                (kind.as_str(), later_kind.as_str(), by.as_str()),
                ("arrived", "sample_taken", "李")
            );
        }
        r => panic!("{r:?}"),
    }
    // Once that sample is undone by its own operator, the arrival can go.
    lot.exec_as("李", &Op::Undo { expected: None }).unwrap();
    undo(&mut lot);

    // A move whose old bay is now taken is not undone.
    lot.arrive_in("晋D10004", "P-02-01");
    lot.ok(Op::Move {
        plate: plate("晋D10004"),
        to: bay("P-02-02"),
    });
    lot.exec_as(
        "李",
        &Op::Arrive {
            arrival: arrival("晋D10005"),
            bay: Some(bay("P-02-01")),
            override_reason: None,
        },
    )
    .unwrap();
    assert!(matches!(
        undo_refused(&mut lot),
        Refusal::UndoChangedSince { .. } | Refusal::BayOccupied { .. }
    ));

    // A departure whose truck is back on site is not undone.
    lot.clear_and_depart("晋D10004");
    lot.exec_as("李", &arrive_op(arrival("晋D10004"))).unwrap();
    assert!(matches!(
        undo_refused(&mut lot),
        Refusal::AlreadyOnSite { .. } | Refusal::UndoChangedSince { .. }
    ));

    // The confirmation named an action that is no longer the last one.
    let mut lot = Lot::new();
    lot.arrive("晋D10001");
    let shown = trucklot::ops::undo_target(&mut lot.store, "tester")
        .unwrap()
        .id;
    lot.arrive("晋D10002");
    assert_eq!(
        lot.refused(Op::Undo {
            expected: Some(shown)
        }),
        Refusal::UndoNotLast { event: shown }
    );
}

#[test]
fn purge_blanks_personal_data_and_keeps_the_counts_and_check() {
    let mut lot = Lot::new();
    let mut a = arrival("晋D10001");
    a.passengers
        .push(passenger("王五", 36.4, HealthCode::Green));
    lot.ok(arrive_op(a));
    lot.ok(Op::Recheck {
        plate: plate("晋D10001"),
        person: 1,
        temperature: trucklot::domain::policy::Temperature::new(36.8).unwrap(),
        code: HealthCode::Green,
    });
    lot.ok(Op::Correct {
        plate: plate("晋D10001"),
        changes: vec![(Field::Phone, "13900139000".into())],
    });
    lot.clear_and_depart("晋D10001");
    lot.advance(Duration::days(2));
    lot.arrive("晋D10002"); // still on site: kept whole
    let t_report = lot.now();
    let report_before = lot
        .store
        .report(t0() - Duration::hours(1), t_report, &lot.policy, false)
        .unwrap();
    let status_before = lot.store.status().unwrap();

    // Not into the future, and not when there is nothing to purge.
    assert!(matches!(
        lot.rejected(Op::Purge {
            before: lot.now() + Duration::hours(1)
        }),
        OpError::Invalid(_)
    ));
    assert!(matches!(
        lot.refused(Op::Purge {
            before: t0() - Duration::days(1)
        }),
        Refusal::NothingToPurge { .. }
    ));

    lot.ok(Op::Purge {
        before: lot.now() - Duration::days(1),
    });
    assert!(lot.store.check().unwrap().ok());

    // The departed stay reads with nothing personal; the one on site is whole.
    let gone = detail(&lot, "晋D10001");
    assert_eq!(
        (gone.driver.as_deref(), gone.phone.as_ref(), gone.code),
        (None, None, None)
    );
    assert!(
        gone.people
            .iter()
            .all(|p| p.name.is_none() && p.temperature.is_none() && p.code.is_none())
    );
    assert_eq!(gone.findings.len(), 0);
    let here = detail(&lot, "晋D10002");
    assert_eq!(here.driver.as_deref(), Some("张三"));

    // Every event still reads, in place, with nothing personal left in it.
    let log = lot.store.log(&LogFilter::default()).unwrap();
    for e in &log {
        match &e.event {
            Event::Arrived { arrival, .. } if arrival.plate == plate("晋D10001") => {
                assert_eq!(
                    (arrival.driver.as_ref(), arrival.temperature, arrival.code),
                    (None, None, None)
                );
                assert_eq!(arrival.passengers.len(), 1, "who was in the cab is kept");
                assert_eq!(arrival.passengers[0].name, None);
            }
            Event::Rechecked {
                temperature, code, ..
            } => assert_eq!((*temperature, *code), (None, None)),
            Event::Corrected { changes, .. } => {
                assert_eq!((&changes[0].old, &changes[0].new), (&None, &None))
            }
            _ => {}
        }
    }

    // Counts are kept: the report and the zones say the same.
    let report_after = lot
        .store
        .report(t0() - Duration::hours(1), t_report, &lot.policy, false)
        .unwrap();
    assert_eq!(
        report_after.summary.arrivals_by_cargo,
        report_before.summary.arrivals_by_cargo
    );
    assert_eq!(
        report_after.summary.departures_by_cargo,
        report_before.summary.departures_by_cargo
    );
    assert_eq!(report_after.summary.samples, report_before.summary.samples);
    assert_eq!(lot.store.status().unwrap(), status_before);

    // The names are gone from the file itself, not just hidden. (On a
    // server the files are the server's; `checkpoint` rewrites the table
    // there, which the statement above already proved blank.)
    lot.store.checkpoint().unwrap();
    if !common::on_postgres() {
        let bytes = std::fs::read(&lot.path).unwrap();
        let find = |needle: &str| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
        assert!(!find("王五"), "a purged name is still in the file");
        assert!(!find("13900139000"), "a purged phone is still in the file");
        assert!(find("晋D10001"), "the plate (not personal) is kept");
    }

    // A purged stay's actions are not undone.
    let mut lot2 = Lot::new();
    lot2.arrive("晋D10003");
    lot2.clear_and_depart("晋D10003");
    lot2.advance(Duration::minutes(1));
    lot2.exec_as("李", &Op::Purge { before: lot2.now() })
        .unwrap();
    assert!(matches!(
        undo_refused(&mut lot2),
        Refusal::UndoPurged { .. }
    ));
}

#[test]
fn a_retry_with_the_same_action_id_records_nothing_twice() {
    use trucklot::domain::clock::FixedClock;
    use trucklot::ops::{self, ActionId, Ctx};
    let mut lot = Lot::new();
    let clock = FixedClock::new(t0());
    let policy = trucklot::domain::policy::Policy::default();
    let id = ActionId::new();
    let ctx = Ctx {
        operator: "tester",
        terminal: "gate-1",
        clock: &clock,
        policy: &policy,
        action: Some(&id),
    };
    let op = arrive_op(arrival("晋D10001"));
    let first = ops::execute(&mut lot.store, &ctx, &op).unwrap();
    let events = lot.events();
    match ops::execute(&mut lot.store, &ctx, &op) {
        Err(OpError::AlreadyDone {
            action,
            event,
            kind,
        }) => {
            assert_eq!(action, id.to_string());
            assert_eq!(event, first.events[0].0);
            assert_eq!(kind, "arrived");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(lot.events(), events, "nothing recorded twice");
    // A departure that closes a call records two events: one action.
    lot.ok(Op::ServiceRequest {
        plate: plate("晋D10001"),
        service: ServiceKind::Meal,
    });
    lot.cleared("晋D10001");
    let id2 = ActionId::new();
    let ctx2 = Ctx {
        action: Some(&id2),
        ..ctx
    };
    let out = ops::execute(&mut lot.store, &ctx2, &depart_op("晋D10001")).unwrap();
    assert_eq!(out.events.len(), 2);
    assert!(matches!(
        ops::execute(&mut lot.store, &ctx2, &depart_op("晋D10001")),
        Err(OpError::AlreadyDone { .. })
    ));
    assert!(lot.store.check().unwrap().ok());
}
