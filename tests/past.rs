//! The lot at a past moment (`Store::lot_at`) against a replay of the log
//! up to that moment, done here independently in plain Rust: they agree at
//! every instant of a hand-built history with moves, isolation, a handoff,
//! departures and a closed bay.

mod common;

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use common::*;
use trucklot::domain::bay::BayId;
use trucklot::domain::event::{Event, HandoffMode, TestKind, TestResult};
use trucklot::ops::Op;
use trucklot::store::LogFilter;

/// Who stood in which bay at `at`, by replaying the log's events up to it.
fn replayed(lot: &Lot, at: DateTime<Utc>) -> (BTreeMap<BayId, String>, Vec<BayId>) {
    let mut log = lot.store.log(&LogFilter::default()).unwrap();
    log.reverse();
    let mut bays: BTreeMap<BayId, String> = BTreeMap::new();
    let mut closed: Vec<BayId> = Vec::new();
    for e in log.into_iter().filter(|e| e.at <= at) {
        let plate = e.plate.map(|p| p.to_string()).unwrap_or_default();
        match e.event {
            Event::Arrived { bay, .. } => {
                bays.insert(bay, plate);
            }
            Event::Moved { from, to, .. }
            | Event::Isolated { from, to, .. }
            | Event::Released { from, to, .. }
            | Event::HandoffStarted { from, to, .. } => {
                bays.remove(&from);
                bays.insert(to, plate);
            }
            Event::Departed { from, .. } => {
                bays.remove(&from);
            }
            Event::BayClosed { bay, .. } => closed.push(bay),
            Event::BayOpened { bay } => closed.retain(|b| b != &bay),
            _ => {}
        }
    }
    closed.sort();
    (bays, closed)
}

fn at_store(lot: &Lot, at: DateTime<Utc>) -> (BTreeMap<BayId, String>, Vec<BayId>) {
    let past = lot.store.lot_at(at).unwrap();
    let bays = past
        .occupants
        .iter()
        .map(|o| (o.bay.clone(), o.plate.to_string()))
        .collect();
    let mut closed: Vec<BayId> = past.closed.iter().map(|c| c.bay.clone()).collect();
    closed.sort();
    (bays, closed)
}

#[test]
fn the_lot_at_every_past_moment_equals_a_replay_up_to_it() {
    let mut lot = Lot::new();
    let step = |lot: &mut Lot| lot.advance(Duration::minutes(10));
    lot.arrive("晋D10001");
    step(&mut lot);
    lot.arrive("晋D10002");
    step(&mut lot);
    lot.ok(Op::Move {
        plate: plate("晋D10001"),
        to: bay("P-05-05"),
    });
    step(&mut lot);
    lot.ok(Op::CloseBay {
        bay: bay("P-10-10"),
        reason: "oil".into(),
    });
    step(&mut lot);
    lot.ok(Op::Sample {
        plate: plate("晋D10002"),
        test: TestKind::Antigen,
        tube: None,
        batch: None,
    });
    step(&mut lot);
    lot.ok(Op::Result {
        plate: plate("晋D10002"),
        test: TestKind::Antigen,
        result: TestResult::Positive,
    });
    lot.ok(Op::Isolate {
        plate: plate("晋D10002"),
        reason: "positive".into(),
        bay: None,
    });
    step(&mut lot);
    lot.clear_and_depart("晋D10001");
    step(&mut lot);
    lot.ok(Op::HandoffStart {
        plate: plate("晋D10002"),
        mode: HandoffMode::Escort,
        receiver: None,
        company: None,
        escort: Some("县疾控".into()),
        by: Some("王主任".into()),
        bay: None,
    });
    step(&mut lot);
    lot.ok(Op::OpenBay {
        bay: bay("P-10-10"),
    });
    lot.arrive("晋D10001"); // back again, a new stay
    step(&mut lot);

    let end = lot.now();
    let mut t = t0() - Duration::minutes(1);
    let mut seen = 0;
    while t <= end + Duration::minutes(1) {
        let expected = replayed(&lot, t);
        assert_eq!(at_store(&lot, t), expected, "at {t}");
        // The isolation board then: exactly the trucks in the zone then.
        let mut on_board: Vec<String> = lot
            .store
            .lot_at(t)
            .unwrap()
            .isolation
            .isolations
            .iter()
            .map(|i| i.truck.plate.to_string())
            .collect();
        on_board.sort();
        let mut in_zone: Vec<String> = expected
            .0
            .iter()
            .filter(|(b, _)| b.zone() == trucklot::domain::bay::Zone::Isolation)
            .map(|(_, p)| p.clone())
            .collect();
        in_zone.sort();
        assert_eq!(on_board, in_zone, "isolation board at {t}");
        seen += expected.0.len();
        t += Duration::minutes(5);
    }
    assert!(seen > 10, "the history was not seen");

    // At the moment of the positive result: pending nothing, positive yes.
    let positive_at = t0() + Duration::minutes(50);
    // Isolated then, with the result known then and none of what came later.
    let board = lot
        .store
        .lot_at(positive_at + Duration::minutes(5))
        .unwrap()
        .isolation;
    assert_eq!(board.isolations.len(), 1);
    assert_eq!(board.isolations[0].since, positive_at);
    assert_eq!(
        board.isolations[0].results,
        vec![(TestKind::Antigen, TestResult::Positive)]
    );
    assert_eq!(board.isolations[0].reason.as_deref(), Some("positive"));
    let past = lot.store.lot_at(positive_at).unwrap();
    let d2 = past
        .occupants
        .iter()
        .find(|o| o.plate.as_str() == "晋D10002")
        .unwrap();
    assert!(d2.positive && d2.pending.is_empty(), "{d2:?}");
    // Ten minutes before: its antigen was pending.
    let past = lot
        .store
        .lot_at(positive_at - Duration::minutes(5))
        .unwrap();
    let d2 = past
        .occupants
        .iter()
        .find(|o| o.plate.as_str() == "晋D10002")
        .unwrap();
    assert_eq!(d2.pending, vec![TestKind::Antigen]);
    assert!(!d2.positive);
    // A negative PCR clears the positive from then on, not before.
    assert!(lot.bay_of("晋D10002").is_some(), "still on site");
    lot.ok(sample_op("晋D10002", TestKind::Pcr));
    lot.advance(Duration::minutes(30));
    lot.ok(result_op("晋D10002", TestKind::Pcr, TestResult::Negative));
    let cleared = lot.now();
    let positive_then = |at| {
        lot.store
            .lot_at(at)
            .unwrap()
            .occupants
            .iter()
            .find(|o| o.plate.as_str() == "晋D10002")
            .unwrap()
            .positive
    };
    assert!(positive_then(cleared - Duration::minutes(1)));
    assert!(!positive_then(cleared + Duration::minutes(1)));
    // And `check` agrees that the stretches are what the log says.
    assert!(lot.store.check().unwrap().ok());
}
