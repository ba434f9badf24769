//! The store's behaviour with a lot, the same on both engines: handles
//! racing for one bay, refusals that leave nothing behind, the log and its
//! replay (`check`, `rebuild`), a whole day round-tripped. Run here on a
//! file and again on PostgreSQL (`tests/on_postgres.rs`); what only a file
//! has is in `tests/store.rs`.

mod common;

use std::sync::{Arc, Barrier};

use chrono::Duration;
use common::*;
use trucklot::domain::event::{Event, StayId};
use trucklot::domain::phone::Phone;
use trucklot::domain::policy::{Cargo, HealthCode, Temperature};
use trucklot::ops::{Op, OpError, Refusal};
use trucklot::store::{LogFilter, Store};

#[test]
fn two_handles_racing_for_one_bay_exactly_one_wins() {
    let lot = Lot::new();
    let path = lot.path.clone();
    for (round, target) in ["P-05-05", "I-07", "L-03", "W-01"].into_iter().enumerate() {
        let barrier = Arc::new(Barrier::new(2));
        let handles: Vec<_> = (0..2)
            .map(|i| {
                let path = path.clone();
                let barrier = barrier.clone();
                std::thread::spawn(move || {
                    let mut store = Store::open(&path).unwrap();
                    let terminal = if i == 0 { "gate-1" } else { "gate-2" };
                    let p = nth_plate(round * 2 + i);
                    let op = Op::Arrive {
                        arrival: arrival(p.as_str()),
                        bay: Some(bay(target)),
                        // Only a clean truck put into isolation goes against
                        // the checks; since the closed loop a reason with
                        // nothing to override is refused (NothingToOverride).
                        override_reason: target
                            .starts_with("I-")
                            .then(|| "test: chosen bay".into()),
                    };
                    barrier.wait();
                    (p, exec_on(&mut store, terminal, &op))
                })
            })
            .collect();
        let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        let winners: Vec<_> = results.iter().filter(|(_, r)| r.is_ok()).collect();
        assert_eq!(winners.len(), 1, "{target}: {results:?}");
        let (winner, _) = winners[0];
        let (_, loser) = results.iter().find(|(_, r)| r.is_err()).unwrap();
        match loser {
            Err(OpError::Refused(Refusal::BayOccupied { bay: b, plate: p })) => {
                assert_eq!(b, &bay(target));
                assert_eq!(p, winner);
            }
            other => panic!("{target}: the loser should be refused, got {other:?}"),
        }
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.event_count().unwrap(), 4);
    assert_eq!(occupancy(&store).len(), 4);
}

#[test]
fn two_handles_arriving_at_once_get_different_bays() {
    let lot = Lot::new();
    let path = lot.path.clone();
    let barrier = Arc::new(Barrier::new(2));
    let handles: Vec<_> = (0..2)
        .map(|i| {
            let path = path.clone();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                let mut store = Store::open(&path).unwrap();
                barrier.wait();
                (0..8)
                    .map(|n| {
                        let op = arrive_op(arrival(nth_plate(i * 100 + n).as_str()));
                        exec_on(&mut store, "gate", &op)
                            .unwrap_or_else(|e| panic!("gate {i} arrival {n}: {e}"))
                            .bay
                            .unwrap()
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut all: Vec<_> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 16, "every arrival got its own bay");
    let mut store = Store::open(&path).unwrap();
    assert_eq!(occupancy(&store).len(), 16);
    assert!(store.check().unwrap().ok());
}

#[test]
fn a_refused_operation_leaves_the_log_and_the_lot_unchanged() {
    let mut lot = Lot::new();
    lot.arrive_in("晋D11111", "P-03-03");
    let events = lot.events();
    let map = lot.lot();
    let status = lot.store.status().unwrap();
    let log = lot.store.log(&LogFilter::default()).unwrap();
    for op in [
        Op::Arrive {
            arrival: arrival("晋D22222"),
            bay: Some(bay("P-03-03")),
            override_reason: None,
        },
        arrive_op(arrival("晋D11111")),
        Op::Move {
            plate: plate("晋D33333"),
            to: bay("P-01-01"),
        },
        Op::CloseBay {
            bay: bay("P-03-03"),
            reason: "spill".into(),
        },
    ] {
        assert!(lot.exec(&op).is_err(), "{op:?}");
    }
    assert_eq!(lot.events(), events);
    assert_eq!(lot.lot(), map);
    assert_eq!(lot.store.status().unwrap(), status);
    assert_eq!(lot.store.log(&LogFilter::default()).unwrap(), log);
}

#[test]
fn check_is_ok_after_a_day_and_rebuild_reproduces_the_lot() {
    let mut lot = Lot::new();
    scripted_day(&mut lot);
    let report = lot.store.check().unwrap();
    assert!(report.ok(), "{:#?}", report.differences);
    assert_eq!(report.events as i64, lot.events());
    assert_eq!(report.events, 35);
    // The day really touches every kind of event (so the replay is tested
    // on each of them).
    let log = lot.store.log(&LogFilter::default()).unwrap();
    for kind in Event::KINDS {
        assert!(
            log.iter().any(|e| e.event.kind() == kind),
            "the scripted day has no {kind} event"
        );
    }

    let map = lot.lot();
    let status = lot.store.status().unwrap();
    let facts = lot.store.clock_facts().unwrap();
    let details: Vec<_> = (1..=4)
        .map(|s| lot.store.stay_detail(StayId(s)).unwrap().unwrap())
        .collect();
    let report = lot.store.rebuild().unwrap();
    assert!(report.ok(), "{:#?}", report.differences);
    assert_eq!(lot.lot(), map);
    assert_eq!(lot.store.status().unwrap(), status);
    assert_eq!(lot.store.clock_facts().unwrap(), facts);
    for (s, d) in (1..=4).zip(&details) {
        assert_eq!(&lot.store.stay_detail(StayId(s)).unwrap().unwrap(), d);
    }
}

#[test]
fn the_log_holds_every_event_as_recorded_newest_first() {
    let mut lot = Lot::new();
    let mut recorded: Vec<(i64, Event)> = Vec::new();
    let mut times = Vec::new();
    for (i, p) in ["晋D11111", "晋D22222", "晋D33333"].iter().enumerate() {
        lot.advance(Duration::minutes(i as i64 + 1));
        let out = lot.ok(arrive_op(arrival(p)));
        times.extend(out.events.iter().map(|_| lot.now()));
        recorded.extend(out.events);
    }
    let out = lot.ok(Op::Move {
        plate: plate("晋D22222"),
        to: bay("L-01"),
    });
    times.extend(out.events.iter().map(|_| lot.now()));
    recorded.extend(out.events);

    let log = lot.store.log(&LogFilter::default()).unwrap();
    let mut got: Vec<(i64, Event)> = log.iter().map(|e| (e.id, e.event.clone())).collect();
    got.reverse();
    assert_eq!(got, recorded);
    let mut at: Vec<_> = log.iter().map(|e| e.at).collect();
    at.reverse();
    assert_eq!(at, times);
    assert!(
        log.iter()
            .all(|e| e.operator == "tester" && e.terminal == "gate-1")
    );

    let only = lot
        .store
        .log(&LogFilter {
            plate: Some(plate("晋D22222")),
            ..LogFilter::default()
        })
        .unwrap();
    let kinds: Vec<_> = only.iter().map(|e| e.event.kind()).collect();
    assert_eq!(kinds, ["moved", "arrived"]);
}

#[test]
fn an_arrival_round_trips_through_the_store() {
    let mut lot = Lot::new();
    let mut a = arrival("晋D12345");
    a.driver = Some("李四".into());
    a.phone = Some(Phone::parse("0086 139 1234 5678").unwrap());
    a.cargo = Cargo::Production;
    a.temperature = Some(Temperature::new(36.8).unwrap());
    a.code = Some(HealthCode::Green);
    a.handoff_required = true;
    let out = lot.ok(arrive_op(a.clone()));
    let d = lot.store.stay_detail(out.stay.unwrap()).unwrap().unwrap();
    assert_eq!(d.plate, a.plate);
    assert_eq!(d.driver.as_deref(), Some("李四"));
    assert_eq!(d.phone.as_ref().map(|p| p.as_str()), Some("13912345678"));
    assert_eq!(d.cargo, Cargo::Production);
    assert_eq!(d.temperature, Some(36.8));
    assert_eq!(d.code, Some(HealthCode::Green));
    assert!(d.handoff_required && !d.travel_flag);
    assert_eq!(d.origin.as_deref(), Some("太原"));
    assert_eq!(d.destination.as_deref(), Some("长治"));
    assert_eq!(d.arrived_at, t0());
    assert_eq!(d.bay, out.bay);
    assert_eq!(d.departed_at, None);
    assert_eq!(
        lot.store.stay_of_plate(&a.plate).unwrap(),
        Some(out.stay.unwrap())
    );
}

#[test]
fn departed_plates_are_listed_once_with_their_latest_stay_and_not_while_back_on_site() {
    let mut lot = Lot::new();
    lot.ok(arrive_op(arrival("晋D10001")));
    lot.clear_and_depart("晋D10001");
    lot.ok(arrive_op(arrival("晋D10002")));
    lot.clear_and_depart("晋D10002");
    lot.ok(arrive_op(arrival("晋D10002")));
    lot.clear_and_depart("晋D10002");
    lot.ok(arrive_op(arrival("晋D10003")));
    lot.clear_and_depart("晋D10003");
    lot.ok(arrive_op(arrival("晋D10003"))); // back on site
    let gone = lot.store.departed_plates().unwrap();
    let plates: Vec<String> = gone.iter().map(|d| d.plate.to_string()).collect();
    assert_eq!(plates.len(), 2, "{plates:?}");
    assert!(plates.contains(&"晋D10001".to_string()));
    let d2 = gone
        .iter()
        .find(|d| d.plate.as_str() == "晋D10002")
        .unwrap();
    assert_eq!(d2.stay.0, 3, "the latest of its two stays");
}

/// The interface counts the zones from the bays it has read; the command
/// line asks the database. After a day with closures, isolation and
/// departures the two say the same.
#[test]
fn the_zones_counted_from_the_bays_are_what_status_says() {
    let mut lot = Lot::new();
    scripted_day(&mut lot);
    let view = lot.store.lot().unwrap();
    assert_eq!(
        view.zone_counts(lot.store.layout()),
        lot.store.status().unwrap()
    );
    assert!(
        view.bays.iter().any(|b| b.closed.is_some()),
        "the day closes a bay"
    );
}
