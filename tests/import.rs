//! Lab results in bulk (`ops::import_results`): rows by tube id or by plate,
//! all-or-nothing by default, `partial` and `dry_run`, rows already on
//! record reported and never recorded twice, contradictions refused.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::*;
use trucklot::domain::event::{Event, TestKind, TestResult};
use trucklot::ops::{ImportMode, ImportReport, ImportRow, Op, ResultRow, RowVerdict};
use trucklot::store::LogFilter;

fn mins(m: i64) -> Duration {
    Duration::minutes(m)
}

fn row(
    line: usize,
    sample: &str,
    test: Option<TestKind>,
    result: TestResult,
    time: DateTime<Utc>,
) -> ImportRow {
    ImportRow {
        line,
        row: Ok(ResultRow {
            sample: sample.into(),
            test,
            result,
            time,
        }),
    }
}

fn tube(lot: &mut Lot, p: &str, test: TestKind, id: &str) {
    lot.ok(Op::Sample {
        plate: plate(p),
        test,
        tube: Some(id.into()),
        batch: Some("B-1".into()),
    });
}

/// Three trucks with samples out: two PCR tubes and an antigen by plate.
fn lab_day() -> Lot {
    let mut lot = Lot::new();
    for p in ["晋D11111", "晋D22222", "晋D33333"] {
        lot.arrive(p);
    }
    tube(&mut lot, "晋D11111", TestKind::Pcr, "TUBE-0001");
    tube(&mut lot, "晋D22222", TestKind::Pcr, "TUBE-0002");
    lot.ok(sample_op("晋D33333", TestKind::Antigen));
    // One result is already in: the file will contradict it.
    tube(&mut lot, "晋D33333", TestKind::Pcr, "TUBE-0003");
    lot.advance(mins(30));
    lot.ok(result_op("晋D33333", TestKind::Pcr, TestResult::Negative));
    lot.advance(mins(60));
    lot
}

fn good_rows(lot: &Lot) -> Vec<ImportRow> {
    let at = lot.now() - mins(10);
    vec![
        row(
            2,
            "TUBE-0001",
            Some(TestKind::Pcr),
            TestResult::Negative,
            at,
        ),
        row(3, "TUBE-0002", None, TestResult::Positive, at),
        row(
            4,
            "晋D33333",
            Some(TestKind::Antigen),
            TestResult::Negative,
            at,
        ),
        // The same tube again, same result: a repeat, not a second result.
        row(
            5,
            "TUBE-0001",
            Some(TestKind::Pcr),
            TestResult::Negative,
            at,
        ),
    ]
}

/// The good rows plus every kind of bad one.
fn mixed_rows(lot: &Lot) -> Vec<ImportRow> {
    let at = lot.now() - mins(10);
    let mut rows = good_rows(lot);
    rows.extend([
        row(6, "TUBE-9999", None, TestResult::Negative, at),
        ImportRow {
            line: 7,
            row: Err("line 7: 'maybe' is not a result".into()),
        },
        // TUBE-0003 is on record as negative.
        row(8, "TUBE-0003", None, TestResult::Positive, at),
        row(
            9,
            "TUBE-0002",
            Some(TestKind::Antigen),
            TestResult::Positive,
            at,
        ),
        row(
            10,
            "晋D44444",
            Some(TestKind::Pcr),
            TestResult::Negative,
            at,
        ),
        row(11, "晋D11111", None, TestResult::Negative, at),
        row(
            12,
            "TUBE-0002",
            None,
            TestResult::Positive,
            lot.now() + mins(60),
        ),
    ]);
    rows
}

fn verdicts(r: &ImportReport) -> Vec<(usize, &'static str)> {
    r.rows
        .iter()
        .map(|(line, v)| {
            (
                *line,
                match v {
                    RowVerdict::Applied { .. } => "applied",
                    RowVerdict::AlreadyRecorded { .. } => "already_recorded",
                    RowVerdict::Refused { .. } => "refused",
                },
            )
        })
        .collect()
}

fn reason(r: &ImportReport, line: usize) -> String {
    match r.rows.iter().find(|(l, _)| *l == line) {
        Some((_, RowVerdict::Refused { reason, .. })) => reason.clone(),
        other => panic!("line {line}: {other:?}"),
    }
}

fn results_recorded(lot: &Lot) -> usize {
    lot.store
        .log(&LogFilter {
            kind: Some("result_recorded".into()),
            ..LogFilter::default()
        })
        .unwrap()
        .len()
}

const MIXED: [(usize, &str); 11] = [
    (2, "applied"),
    (3, "applied"),
    (4, "applied"),
    (5, "already_recorded"),
    (6, "refused"),
    (7, "refused"),
    (8, "refused"),
    (9, "refused"),
    (10, "refused"),
    (11, "refused"),
    (12, "refused"),
];

#[test]
fn a_file_with_a_bad_row_records_nothing_by_default() {
    let mut lot = lab_day();
    let rows = mixed_rows(&lot);
    let events = lot.events();
    let before = lot.lot();
    let report = lot.import(&rows, ImportMode::default()).unwrap();
    assert_eq!(verdicts(&report), MIXED);
    assert!(!report.committed);
    assert_eq!(lot.events(), events, "all or nothing: nothing");
    assert_eq!(lot.lot(), before);
    assert!(lot.store.check().unwrap().ok());
    // Each refusal says why.
    assert!(
        reason(&report, 6).contains("TUBE-9999"),
        "{}",
        reason(&report, 6)
    );
    assert!(reason(&report, 7).contains("maybe"));
    let conflict = reason(&report, 8);
    assert!(
        conflict.contains("negative") && conflict.contains("positive"),
        "{conflict}"
    );
    assert!(
        reason(&report, 9).contains("not antigen"),
        "{}",
        reason(&report, 9)
    );
    assert!(
        reason(&report, 10).contains("not on site"),
        "{}",
        reason(&report, 10)
    );
    assert!(
        reason(&report, 11).contains("needs its test"),
        "{}",
        reason(&report, 11)
    );
    assert!(
        reason(&report, 12).contains("future"),
        "{}",
        reason(&report, 12)
    );
}

/// A lab cannot report on a sample before it was taken: by tube or by
/// plate, such a row is refused and nothing is written.
#[test]
fn a_result_reported_before_its_sample_was_taken_is_refused() {
    let mut lot = lab_day();
    let taken = lot.now() - mins(90);
    let rows = [
        row(
            2,
            "晋D33333",
            Some(TestKind::Antigen),
            TestResult::Negative,
            taken - mins(1),
        ),
        row(4, "TUBE-0001", None, TestResult::Negative, taken - mins(5)),
        row(
            3,
            "晋D33333",
            Some(TestKind::Antigen),
            TestResult::Negative,
            taken,
        ),
    ];
    let events = lot.events();
    let report = lot.import(&rows[..2], ImportMode::default()).unwrap();
    assert_eq!(verdicts(&report), [(2, "refused"), (4, "refused")]);
    for line in [2, 4] {
        let why = reason(&report, line);
        assert!(why.contains("before the sample was taken"), "{why}");
    }
    assert_eq!(lot.events(), events);
    // At the very moment it was taken: a quick test, recorded.
    let report = lot.import(&rows[2..], ImportMode::default()).unwrap();
    assert_eq!(verdicts(&report), [(3, "applied")]);
}

#[test]
fn a_partial_import_records_only_the_good_rows_once() {
    let mut lot = lab_day();
    let rows = mixed_rows(&lot);
    let events = lot.events();
    let results = results_recorded(&lot);
    let report = lot
        .import(
            &rows,
            ImportMode {
                partial: true,
                ..ImportMode::default()
            },
        )
        .unwrap();
    assert_eq!(verdicts(&report), MIXED);
    assert!(report.committed);
    assert_eq!(
        lot.events(),
        events + 3,
        "three results, the repeat skipped"
    );
    assert_eq!(results_recorded(&lot), results + 3);
    // The lab's time is kept as the time of the result.
    let at = lot.now() - mins(10);
    let detail = |p: &str| {
        let s = lot.store.stay_of_plate(&plate(p)).unwrap().unwrap();
        lot.store.stay_detail(s).unwrap().unwrap()
    };
    let one = detail("晋D11111");
    assert_eq!(one.samples[0].result, Some(TestResult::Negative));
    assert_eq!(one.samples[0].result_at, Some(at));
    let three = detail("晋D33333");
    let antigen = three
        .samples
        .iter()
        .find(|s| s.test == TestKind::Antigen)
        .unwrap();
    assert_eq!(antigen.result, Some(TestResult::Negative));
    // The contradicted result stands as it was.
    let pcr = three
        .samples
        .iter()
        .find(|s| s.test == TestKind::Pcr)
        .unwrap();
    assert_eq!(pcr.result, Some(TestResult::Negative));
    let log = lot.store.log(&LogFilter::default()).unwrap();
    assert!(matches!(
        log[0].event,
        Event::ResultRecorded { reported_at: Some(t), .. } if t == at
    ));
    assert!(lot.store.check().unwrap().ok());
}

#[test]
fn importing_the_same_file_twice_records_nothing_twice() {
    let mut lot = lab_day();
    let rows = good_rows(&lot);
    let first = lot.import(&rows, ImportMode::default()).unwrap();
    assert!(first.committed);
    assert_eq!(
        verdicts(&first),
        [
            (2, "applied"),
            (3, "applied"),
            (4, "applied"),
            (5, "already_recorded")
        ]
    );
    let events = lot.events();
    lot.advance(mins(5));
    let second = lot.import(&rows, ImportMode::default()).unwrap();
    assert_eq!(
        verdicts(&second),
        [
            (2, "already_recorded"),
            (3, "already_recorded"),
            (4, "already_recorded"),
            (5, "already_recorded")
        ]
    );
    assert!(!second.committed);
    assert_eq!(lot.events(), events);
    assert!(lot.store.check().unwrap().ok());
}

#[test]
fn a_dry_run_records_nothing_and_says_what_would_happen() {
    let mut lot = lab_day();
    let rows = good_rows(&lot);
    let events = lot.events();
    let before = lot.lot();
    let report = lot
        .import(
            &rows,
            ImportMode {
                dry_run: true,
                ..ImportMode::default()
            },
        )
        .unwrap();
    assert_eq!(
        verdicts(&report),
        [
            (2, "applied"),
            (3, "applied"),
            (4, "applied"),
            (5, "already_recorded")
        ]
    );
    assert!(!report.committed);
    assert_eq!(lot.events(), events);
    assert_eq!(lot.lot(), before);
    // And a dry run of a partial import too.
    let rows = mixed_rows(&lot);
    let report = lot
        .import(
            &rows,
            ImportMode {
                dry_run: true,
                partial: true,
            },
        )
        .unwrap();
    assert_eq!(verdicts(&report), MIXED);
    assert!(!report.committed);
    assert_eq!(lot.events(), events);
    // The real import afterwards still records each result.
    let report = lot.import(&good_rows(&lot), ImportMode::default()).unwrap();
    assert!(report.committed);
    assert_eq!(lot.events(), events + 3);
}

#[test]
fn a_result_for_a_truck_that_left_is_imported_by_tube_and_by_plate() {
    let mut lot = Lot::new();
    lot.arrive("晋D11111");
    lot.arrive("晋D22222");
    for p in ["晋D11111", "晋D22222"] {
        lot.cleared(p);
    }
    tube(&mut lot, "晋D11111", TestKind::Pcr, "TUBE-0001");
    lot.ok(sample_op("晋D22222", TestKind::Pcr));
    for p in ["晋D11111", "晋D22222"] {
        lot.ok(Op::Depart {
            plate: plate(p),
            force_reason: Some("PCR result to follow".into()),
        });
    }
    lot.advance(Duration::hours(6));
    let at = lot.now() - mins(1);
    let rows = vec![
        row(2, "TUBE-0001", None, TestResult::Negative, at),
        row(3, "晋D22222", Some(TestKind::Pcr), TestResult::Positive, at),
    ];
    let report = lot.import(&rows, ImportMode::default()).unwrap();
    assert_eq!(verdicts(&report), [(2, "applied"), (3, "applied")]);
    assert!(lot.store.check().unwrap().ok());
    // By tube, the same row again is a repeat.
    let events = lot.events();
    let again = lot.import(&rows[..1], ImportMode::default()).unwrap();
    assert_eq!(verdicts(&again), [(2, "already_recorded")]);
    assert_eq!(lot.events(), events);
}

/// CORE BUG (reported to the lead, not fixed here): a row naming the plate
/// of a truck that has left, imported a second time, is refused "not on
/// site" instead of reported as already recorded, so re-importing the same
/// file fails as a whole (all or nothing). `by_plate` in src/ops/import.rs
/// finds the stay with `Tx::stay_awaiting`, which only returns a departed
/// stay while it still has a pending sample; after the first import it has
/// none, and the duplicate check below it is never reached.
#[test]
fn importing_twice_a_plate_row_for_a_truck_that_left_records_nothing_twice() {
    let mut lot = Lot::new();
    lot.arrive("晋D22222");
    lot.cleared("晋D22222");
    lot.ok(sample_op("晋D22222", TestKind::Pcr));
    lot.ok(Op::Depart {
        plate: plate("晋D22222"),
        force_reason: Some("PCR result to follow".into()),
    });
    lot.advance(Duration::hours(6));
    let at = lot.now() - mins(1);
    let rows = vec![row(
        3,
        "晋D22222",
        Some(TestKind::Pcr),
        TestResult::Positive,
        at,
    )];
    let report = lot.import(&rows, ImportMode::default()).unwrap();
    assert_eq!(verdicts(&report), [(3, "applied")]);
    let events = lot.events();
    // The same file again: nothing twice, and nothing refused.
    let again = lot.import(&rows, ImportMode::default()).unwrap();
    assert_eq!(verdicts(&again), [(3, "already_recorded")], "{again:?}");
    assert_eq!(lot.events(), events);
}
