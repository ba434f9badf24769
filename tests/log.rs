//! The event log as a query: keyset pages, every filter on an index (the
//! query plan proves it), and the bay and zone each row records.

mod common;

use common::*;
use trucklot::domain::bay::Zone;
use trucklot::domain::event::{Target, TestKind, TestResult};
use trucklot::ops::Op;
use trucklot::store::LogFilter;

/// A small lot with every kind of row the filters look for.
fn lot() -> Lot {
    let mut lot = Lot::new();
    for n in 0..30 {
        lot.ok(arrive_op(arrival(nth_plate(n).as_str())));
    }
    let p = nth_plate(3);
    lot.ok(Op::Sample {
        plate: p.clone(),
        test: TestKind::Antigen,
        tube: None,
        batch: None,
    });
    lot.ok(Op::Result {
        plate: p,
        test: TestKind::Antigen,
        result: TestResult::Negative,
    });
    lot.ok(Op::Disinfect {
        target: Target::Zone(Zone::Isolation),
    });
    lot
}

#[test]
fn every_filter_walks_an_index() {
    let lot = lot();
    let filters = [
        ("none", LogFilter::default()),
        (
            "plate",
            LogFilter {
                plate: Some(nth_plate(3)),
                ..LogFilter::default()
            },
        ),
        (
            "bay",
            LogFilter {
                bay: Some(bay("P-01-01")),
                ..LogFilter::default()
            },
        ),
        (
            "zone",
            LogFilter {
                zone: Some(Zone::Isolation),
                ..LogFilter::default()
            },
        ),
        (
            "kind",
            LogFilter {
                kind: Some("arrived".into()),
                ..LogFilter::default()
            },
        ),
        (
            "operator",
            LogFilter {
                operator: Some("li.na".into()),
                ..LogFilter::default()
            },
        ),
        (
            "terminal",
            LogFilter {
                terminal: Some("gate-1".into()),
                ..LogFilter::default()
            },
        ),
        (
            "since",
            LogFilter {
                since: Some(t0()),
                ..LogFilter::default()
            },
        ),
        (
            "until",
            LogFilter {
                until: Some(t0()),
                ..LogFilter::default()
            },
        ),
        (
            "window",
            LogFilter {
                since: Some(t0() - chrono::Duration::hours(1)),
                until: Some(t0()),
                ..LogFilter::default()
            },
        ),
        (
            "page",
            LogFilter {
                kind: Some("arrived".into()),
                before: Some(10),
                limit: Some(5),
                ..LogFilter::default()
            },
        ),
    ];
    for (name, f) in filters {
        let plan = lot.store.log_plan(&f).unwrap();
        let events_step = plan
            .iter()
            .find(|l| l.contains(" e ") || l.ends_with(" e") || l.contains("events"))
            .unwrap_or_else(|| panic!("{name}: no step reads events: {plan:?}"));
        // Unfiltered, the log is read backwards along its rowid: the page's
        // own rows and no more. Any filter must use its index.
        let unfiltered = name == "none";
        assert!(
            events_step.contains("USING") || (unfiltered && events_step == "SCAN e"),
            "{name}: the log is scanned without an index: {plan:?}"
        );
        // A plate's stays are few: only its events are sorted.
        assert!(
            !plan.iter().any(|l| l.contains("TEMP B-TREE FOR ORDER BY")) || name == "plate",
            "{name}: the page is sorted after reading: {plan:?}"
        );
        // Every step that reads events uses an index (or the rowid).
        for step in plan
            .iter()
            .filter(|l| l.starts_with("SEARCH") || l.starts_with("SCAN"))
        {
            assert!(
                step.contains("USING") || (unfiltered && step == "SCAN e"),
                "{name}: {step} in {plan:?}"
            );
        }
    }
}

#[test]
fn pages_follow_each_other_without_gaps_or_repeats() {
    let lot = lot();
    let all: Vec<i64> = lot
        .store
        .log(&LogFilter::default())
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect();
    let mut paged = Vec::new();
    let mut before = None;
    loop {
        let page = lot
            .store
            .log(&LogFilter {
                before,
                limit: Some(7),
                ..LogFilter::default()
            })
            .unwrap();
        if page.is_empty() {
            break;
        }
        assert!(page.len() <= 7);
        before = page.last().map(|e| e.id);
        paged.extend(page.iter().map(|e| e.id));
    }
    assert_eq!(paged, all);
    assert!(all.windows(2).all(|w| w[0] > w[1]), "newest first");
}

#[test]
fn samples_and_results_carry_their_bay_and_zone_wide_rounds_their_zone() {
    let lot = lot();
    let by_plate = lot
        .store
        .log(&LogFilter {
            plate: Some(nth_plate(3)),
            ..LogFilter::default()
        })
        .unwrap();
    let kinds: Vec<&str> = by_plate.iter().map(|e| e.event.kind()).collect();
    assert_eq!(kinds, ["result_recorded", "sample_taken", "arrived"]);
    let arrived_bay = by_plate[2].bay.clone().unwrap();
    assert!(
        by_plate
            .iter()
            .all(|e| e.bay.as_ref() == Some(&arrived_bay)),
        "{by_plate:?}"
    );
    // The bay filter finds the sample and the result too.
    let in_bay = lot
        .store
        .log(&LogFilter {
            bay: Some(arrived_bay),
            ..LogFilter::default()
        })
        .unwrap();
    assert_eq!(in_bay.len(), 3);
    // A round of the whole isolation zone is found by the zone filter.
    let iso = lot
        .store
        .log(&LogFilter {
            zone: Some(Zone::Isolation),
            ..LogFilter::default()
        })
        .unwrap();
    assert_eq!(iso.len(), 1);
    assert_eq!(iso[0].event.kind(), "disinfected");
    assert_eq!(iso[0].bay, None);
}
