//! The closed loop (issue 7), rule by rule, through `ops::execute` on a real
//! database: every departure blocker, every way in and out of isolation,
//! the checks of everyone in the cab, handoff confirmation, tube ids and
//! late results.
//!
//! The tables set up one stay per row, try one operation and expect it to
//! succeed or to be refused with a stable key (`Blocker::key`,
//! `RuleRefusal::key`, or the `Refusal` variant). A refusal must leave the
//! event log and the lot exactly as they were, and `check()` must still find
//! the state equal to a replay of the log.

mod common;

use chrono::Duration;
use common::*;
use trucklot::domain::Zone;
use trucklot::domain::clocks::{self, ClockKind, NextAction, isolation_board};
use trucklot::domain::event::{Event, HandoffMode, ServiceKind, TestKind, TestResult};
use trucklot::domain::layout::DEFAULT_LAYOUT;
use trucklot::domain::policy::{CheckFlag, Finding, HealthCode, Policy, Temperature};
use trucklot::domain::stay::Status;
use trucklot::ops::{Note, Op, OpError, Proposal, Refusal};
use trucklot::store::StayDetail;

/// The truck every row is about.
const T: &str = "晋D11111";

fn mins(m: i64) -> Duration {
    Duration::minutes(m)
}

/// What a row expects.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    Ok,
    /// A departure refused, naming exactly these blockers (keys, in order).
    Blocked(&'static [&'static str]),
    /// Refused with this key: a `RuleRefusal::key`, or the name of the
    /// `Refusal` variant (e.g. "TubeInUse").
    Refused(&'static str),
    /// Invalid input, the message containing this.
    Invalid(&'static str),
}

struct Row {
    name: &'static str,
    setup: fn(&mut Lot),
    op: fn() -> Op,
    expect: Expect,
}

fn row(name: &'static str, setup: fn(&mut Lot), op: fn() -> Op, expect: Expect) -> Row {
    Row {
        name,
        setup,
        op,
        expect,
    }
}

/// A stable key for a refusal: the rule's key, or the variant's name.
fn key(r: &Refusal) -> String {
    match r {
        Refusal::Rule(r) => r.key().to_string(),
        other => format!("{other:?}")
            .split([' ', '(', '{'])
            .next()
            .unwrap()
            .to_string(),
    }
}

/// Runs every row on a lot of its own and collects what went wrong, so
/// that one run reports every failing row.
fn run_table(rows: Vec<Row>, policy: fn() -> Policy) {
    let mut failures = Vec::new();
    for r in rows {
        let mut lot = Lot::in_ram(DEFAULT_LAYOUT);
        lot.policy = policy();
        (r.setup)(&mut lot);
        lot.advance(mins(1));
        let op = (r.op)();
        let events = lot.events();
        let before = lot.lot();
        let got = lot.exec(&op);
        let verdict = match &got {
            Ok(_) => Expect::Ok,
            Err(OpError::Refused(Refusal::DepartureBlocked { blockers, .. })) => {
                let keys: Vec<&'static str> = blockers.iter().map(|b| b.key()).collect();
                // Leak: a handful of short strings in a test, to compare
                // with the row's static slice.
                Expect::Blocked(Box::leak(keys.into_boxed_slice()))
            }
            Err(OpError::Refused(refusal)) => {
                Expect::Refused(Box::leak(key(refusal).into_boxed_str()))
            }
            Err(OpError::Invalid(m)) => match r.expect {
                Expect::Invalid(want) if m.contains(want) => Expect::Invalid(want),
                _ => Expect::Invalid(Box::leak(m.clone().into_boxed_str())),
            },
            Err(e) => {
                failures.push(format!("{}: store error {e}", r.name));
                continue;
            }
        };
        if verdict != r.expect {
            failures.push(format!(
                "{}: expected {:?}, got {:?}",
                r.name, r.expect, verdict
            ));
            continue;
        }
        if got.is_err() {
            if lot.events() != events {
                failures.push(format!("{}: refused but wrote events", r.name));
            }
            if lot.lot() != before {
                failures.push(format!("{}: refused but changed the lot", r.name));
            }
        }
        let report = lot.store.check().unwrap();
        if !report.ok() {
            failures.push(format!("{}: check: {:?}", r.name, report.differences));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

// ------------------------------------------------------------ setups

fn arrive(lot: &mut Lot) {
    lot.arrive(T);
}

fn arrive_fever(lot: &mut Lot) {
    let mut a = arrival(T);
    a.temperature = Some(Temperature::new(38.2).unwrap());
    lot.ok(arrive_op(a));
}

/// A fever at the gate, put in a parking bay against the checks with a
/// reason, and tested negative.
fn fever_overridden_to_parking(lot: &mut Lot) {
    let mut a = arrival(T);
    a.temperature = Some(Temperature::new(38.2).unwrap());
    lot.ok(Op::Arrive {
        arrival: a,
        bay: Some(trucklot::domain::bay::BayId::parse("P-05-05").unwrap()),
        override_reason: Some("the driver had just run to the gate".into()),
    });
    lot.cleared(T);
}

/// A clean arrival, tested negative, then a fever on a recheck that
/// proposed isolation, and nobody isolated it.
fn fever_on_recheck(lot: &mut Lot) {
    arrive(lot);
    lot.cleared(T);
    lot.ok(recheck(0, 39.1));
}

fn sampled(lot: &mut Lot, test: TestKind, result: TestResult) {
    lot.ok(sample_op(T, test));
    // Results are ordered by when they were reported: a minute apart.
    lot.advance(mins(1));
    lot.ok(result_op(T, test, result));
    lot.advance(mins(1));
}

fn positive(lot: &mut Lot) {
    arrive(lot);
    sampled(lot, TestKind::Antigen, TestResult::Positive);
}

fn isolated_positive(lot: &mut Lot) {
    positive(lot);
    lot.ok(Op::Isolate {
        plate: plate(T),
        reason: "antigen positive".into(),
        bay: None,
    });
}

/// An escort started without who authorised it (allowed then), and the
/// antigen sampled before it comes back positive.
fn positive_under_unauthorised_escort(lot: &mut Lot) {
    arrive(lot);
    lot.ok(sample_op(T, TestKind::Antigen));
    lot.ok(escort_undecided());
    lot.advance(mins(1));
    lot.ok(result_op(T, TestKind::Antigen, TestResult::Positive));
}

fn isolated_cleared(lot: &mut Lot) {
    arrive_fever(lot);
    lot.cleared(T);
}

/// Closes every isolation bay but the first `keep`.
fn fill_isolation(lot: &mut Lot, keep: usize) {
    for b in bays_of(&lot.store, Zone::Isolation).into_iter().skip(keep) {
        lot.ok(Op::CloseBay {
            bay: b,
            reason: "disinfection".into(),
        });
    }
}

fn holding(lot: &mut Lot) {
    fill_isolation(lot, 0);
    arrive_fever(lot);
    lot.cleared(T);
}

fn needs_handoff(lot: &mut Lot) {
    let mut a = arrival(T);
    a.handoff_required = true;
    lot.ok(arrive_op(a));
    lot.cleared(T);
}

fn service(lot: &mut Lot, kind: ServiceKind) {
    lot.ok(Op::ServiceRequest {
        plate: plate(T),
        service: kind,
    });
}

fn done(lot: &mut Lot) {
    lot.ok(Op::HandoffDone { plate: plate(T) });
}

// --------------------------------------------------------------- ops

fn depart() -> Op {
    depart_op(T)
}

fn force() -> Op {
    Op::Depart {
        plate: plate(T),
        force_reason: Some("shift lead decided".into()),
    }
}

fn release() -> Op {
    release_op(T)
}

fn release_by(by: &str) -> Op {
    Op::Release {
        plate: plate(T),
        reason: "PCR negative".into(),
        by: by.into(),
        bay: None,
    }
}

fn transfer() -> Op {
    transfer_op(T)
}

fn escort_by() -> Op {
    escort_op(T, Some("李队长"))
}

fn escort_undecided() -> Op {
    escort_op(T, None)
}

fn handoff(
    mode: HandoffMode,
    receiver: Option<&str>,
    company: Option<&str>,
    escort: Option<&str>,
) -> Op {
    Op::HandoffStart {
        plate: plate(T),
        mode,
        receiver: receiver.map(plate),
        company: company.map(Into::into),
        escort: escort.map(Into::into),
        by: Some("李队长".into()),
        bay: None,
    }
}

fn recheck(person: u8, c: f64) -> Op {
    Op::Recheck {
        plate: plate(T),
        person,
        temperature: Temperature::new(c).unwrap(),
        code: HealthCode::Green,
    }
}

// ------------------------------------------------------------ tables

#[test]
fn departure_rules() {
    use Expect::*;
    run_table(
        vec![
            row("never sampled", arrive, depart, Blocked(&["no_sample"])),
            row("never sampled, forced", arrive, force, Ok),
            row(
                "a fever put in parking against the checks",
                fever_overridden_to_parking,
                depart,
                Blocked(&["flagged"]),
            ),
            row(
                "a fever put in parking against the checks, forced",
                fever_overridden_to_parking,
                force,
                Ok,
            ),
            row(
                "a fever on a recheck, not isolated",
                fever_on_recheck,
                depart,
                Blocked(&["flagged"]),
            ),
            row(
                "a fever on a recheck, isolated and released",
                |l| {
                    fever_on_recheck(l);
                    l.ok(Op::Isolate {
                        plate: plate(T),
                        reason: "fever on recheck".into(),
                        bay: None,
                    });
                    l.advance(mins(1));
                    l.ok(release());
                },
                depart,
                Ok,
            ),
            row(
                "released, then a fever on a recheck",
                |l| {
                    isolated_cleared(l);
                    l.ok(release());
                    l.advance(mins(1));
                    l.ok(recheck(0, 39.1));
                },
                depart,
                Blocked(&["flagged"]),
            ),
            row(
                "a fever on a recheck, then a normal one",
                |l| {
                    fever_on_recheck(l);
                    l.ok(recheck(0, 36.6));
                },
                depart,
                Ok,
            ),
            row(
                "antigen pending",
                |l| {
                    arrive(l);
                    l.ok(sample_op(T, TestKind::Antigen));
                },
                depart,
                Blocked(&["result_pending"]),
            ),
            row(
                "a PCR pending the policy does not need",
                |l| {
                    arrive(l);
                    l.cleared(T);
                    l.ok(sample_op(T, TestKind::Pcr));
                },
                depart,
                Blocked(&["result_pending"]),
            ),
            row(
                "antigen pending, forced",
                |l| {
                    arrive(l);
                    l.ok(sample_op(T, TestKind::Antigen));
                },
                force,
                Ok,
            ),
            row(
                "latest antigen invalid",
                |l| {
                    arrive(l);
                    sampled(l, TestKind::Antigen, TestResult::Invalid);
                },
                depart,
                Blocked(&["invalid_result"]),
            ),
            row(
                "negative, then invalid",
                |l| {
                    arrive(l);
                    sampled(l, TestKind::Antigen, TestResult::Negative);
                    sampled(l, TestKind::Antigen, TestResult::Invalid);
                },
                depart,
                Blocked(&["invalid_result"]),
            ),
            row(
                "invalid, then negative",
                |l| {
                    arrive(l);
                    sampled(l, TestKind::Antigen, TestResult::Invalid);
                    sampled(l, TestKind::Antigen, TestResult::Negative);
                },
                depart,
                Ok,
            ),
            row(
                "negative antigen",
                |l| {
                    arrive(l);
                    l.cleared(T);
                },
                depart,
                Ok,
            ),
            row("positive", positive, depart, Blocked(&["positive"])),
            row(
                "positive: forcing is refused",
                positive,
                force,
                Blocked(&["positive"]),
            ),
            row(
                "positive, then a negative antigen: still positive",
                |l| {
                    positive(l);
                    sampled(l, TestKind::Antigen, TestResult::Negative);
                },
                force,
                Blocked(&["positive"]),
            ),
            row(
                "positive, then a negative PCR: cleared",
                |l| {
                    positive(l);
                    sampled(l, TestKind::Pcr, TestResult::Negative);
                },
                depart,
                Ok,
            ),
            row(
                "negative PCR, then positive antigen",
                |l| {
                    arrive(l);
                    sampled(l, TestKind::Pcr, TestResult::Negative);
                    sampled(l, TestKind::Antigen, TestResult::Positive);
                },
                force,
                Blocked(&["positive"]),
            ),
            row(
                "positive PCR, then negative antigen",
                |l| {
                    arrive(l);
                    sampled(l, TestKind::Pcr, TestResult::Positive);
                    sampled(l, TestKind::Antigen, TestResult::Negative);
                },
                force,
                Blocked(&["positive"]),
            ),
            row(
                "isolated, not released",
                isolated_cleared,
                depart,
                Blocked(&["not_released"]),
            ),
            row(
                "isolated, not released, forced",
                isolated_cleared,
                force,
                Ok,
            ),
            row(
                "isolated, released",
                |l| {
                    isolated_cleared(l);
                    l.ok(release());
                },
                depart,
                Ok,
            ),
            row(
                "holding",
                holding,
                depart,
                Blocked(&["waiting_for_isolation"]),
            ),
            row("holding, forced", holding, force, Ok),
            row(
                "handoff required, not started",
                needs_handoff,
                depart,
                Blocked(&["handoff_required"]),
            ),
            row("handoff required, forced", needs_handoff, force, Ok),
            row(
                "handoff under way",
                |l| {
                    needs_handoff(l);
                    l.ok(transfer());
                },
                depart,
                Blocked(&["handoff_under_way"]),
            ),
            row(
                "handoff done",
                |l| {
                    needs_handoff(l);
                    l.ok(transfer());
                    done(l);
                },
                depart,
                Ok,
            ),
            row(
                "a handoff not required, under way",
                |l| {
                    arrive(l);
                    l.cleared(T);
                    l.ok(transfer());
                },
                depart,
                Blocked(&["handoff_under_way"]),
            ),
            row(
                "open medical call",
                |l| {
                    arrive(l);
                    l.cleared(T);
                    service(l, ServiceKind::Medical);
                },
                depart,
                Blocked(&["medical_call"]),
            ),
            row(
                "open medical call, forced",
                |l| {
                    arrive(l);
                    l.cleared(T);
                    service(l, ServiceKind::Medical);
                },
                force,
                Ok,
            ),
            row(
                "open water and meal calls close at departure",
                |l| {
                    arrive(l);
                    l.cleared(T);
                    service(l, ServiceKind::Water);
                    service(l, ServiceKind::Meal);
                },
                depart,
                Ok,
            ),
            row(
                "positive, under an authorised escort, done",
                |l| {
                    isolated_positive(l);
                    l.ok(escort_by());
                    done(l);
                },
                depart,
                Ok,
            ),
            row(
                "positive, under an authorised escort, not done",
                |l| {
                    isolated_positive(l);
                    l.ok(escort_by());
                },
                force,
                // Until the escort is done, the positive still stands.
                Blocked(&["positive", "handoff_under_way"]),
            ),
            row(
                "positive under escort, a medical call open",
                |l| {
                    isolated_positive(l);
                    service(l, ServiceKind::Medical);
                    l.ok(escort_by());
                    done(l);
                },
                depart,
                Blocked(&["medical_call"]),
            ),
            row(
                "every blocker at once, in order",
                |l| {
                    isolated_positive(l);
                    l.ok(sample_op(T, TestKind::Pcr));
                    service(l, ServiceKind::Medical);
                },
                force,
                Blocked(&["positive", "not_released", "result_pending", "medical_call"]),
            ),
            row("not on site", |_| {}, depart, Refused("NotOnSite")),
            row(
                "a blank force reason",
                arrive,
                || Op::Depart {
                    plate: plate(T),
                    force_reason: Some(" ".into()),
                },
                Invalid("reason"),
            ),
        ],
        Policy::default,
    );
}

#[test]
fn departure_rules_under_a_policy_that_requires_pcr() {
    use Expect::*;
    let policy = || Policy {
        require_pcr: true,
        ..Policy::default()
    };
    run_table(
        vec![
            row(
                "antigen only",
                |l| {
                    arrive(l);
                    l.cleared(T);
                },
                depart,
                Blocked(&["no_sample"]),
            ),
            row(
                "antigen only, forced",
                |l| {
                    arrive(l);
                    l.cleared(T);
                },
                force,
                Ok,
            ),
            row(
                "nothing",
                arrive,
                depart,
                Blocked(&["no_sample", "no_sample"]),
            ),
            row(
                "antigen and PCR negative",
                |l| {
                    arrive(l);
                    l.cleared(T);
                    sampled(l, TestKind::Pcr, TestResult::Negative);
                },
                depart,
                Ok,
            ),
            row(
                "PCR invalid",
                |l| {
                    arrive(l);
                    l.cleared(T);
                    sampled(l, TestKind::Pcr, TestResult::Invalid);
                },
                depart,
                Blocked(&["invalid_result"]),
            ),
        ],
        policy,
    );
    // And a policy that requires nothing lets a clean truck go untested.
    run_table(
        vec![row("no test required", arrive, depart, Expect::Ok)],
        || Policy {
            require_antigen: false,
            require_pcr: false,
            ..Policy::default()
        },
    );
}

#[test]
fn isolation_and_handoff_rules() {
    use Expect::*;
    run_table(
        vec![
            row("release, decided", isolated_cleared, release, Ok),
            row(
                "release without who decided",
                isolated_cleared,
                || release_by("  "),
                Invalid("decided by"),
            ),
            row(
                "release a positive",
                isolated_positive,
                release,
                Refused("positive_no_release"),
            ),
            row(
                "release a positive after a negative antigen",
                |l| {
                    isolated_positive(l);
                    sampled(l, TestKind::Antigen, TestResult::Negative);
                },
                release,
                Refused("positive_no_release"),
            ),
            row(
                "release a positive after a negative PCR",
                |l| {
                    isolated_positive(l);
                    sampled(l, TestKind::Pcr, TestResult::Negative);
                },
                release,
                Ok,
            ),
            row(
                "release a truck not isolated",
                arrive,
                release,
                Refused("not_isolated"),
            ),
            row(
                "release a truck on the holding list",
                holding,
                release,
                Refused("not_isolated"),
            ),
            row(
                "transfer from isolation",
                isolated_cleared,
                transfer,
                Refused("transfer_under_isolation"),
            ),
            row(
                "transfer of a positive outside isolation",
                positive,
                transfer,
                Refused("transfer_under_isolation"),
            ),
            row(
                "transfer from the holding list",
                holding,
                transfer,
                Refused("transfer_under_isolation"),
            ),
            row(
                "escort from isolation without who authorised it",
                isolated_positive,
                escort_undecided,
                Refused("escort_needs_decider"),
            ),
            row(
                "escort from isolation, authorised",
                isolated_positive,
                escort_by,
                Ok,
            ),
            row(
                "escort of a positive outside isolation, authorised",
                positive,
                escort_by,
                Ok,
            ),
            row(
                "escort of a clean truck needs no decider",
                arrive,
                escort_undecided,
                Ok,
            ),
            row(
                "escort without the escorting unit",
                isolated_positive,
                || handoff(HandoffMode::Escort, None, None, None),
                Invalid("escorting unit"),
            ),
            row(
                "transfer without the receiving vehicle",
                arrive,
                || handoff(HandoffMode::Transfer, None, Some("长治物流"), None),
                Invalid("receiving vehicle"),
            ),
            row(
                "transfer without the company",
                arrive,
                || handoff(HandoffMode::Transfer, Some("晋D99999"), None, None),
                Invalid("company"),
            ),
            row(
                "transfer to itself",
                arrive,
                || handoff(HandoffMode::Transfer, Some(T), Some("长治物流"), None),
                Invalid("the truck itself"),
            ),
            row(
                "transfer with a blank company",
                arrive,
                || handoff(HandoffMode::Transfer, Some("晋D99999"), Some("  "), None),
                Invalid("company"),
            ),
            row("a clean transfer", arrive, transfer, Ok),
            row(
                "escalate from the holding list",
                holding,
                || Op::Escalate {
                    plate: plate(T),
                    note: "no isolation bay".into(),
                },
                Ok,
            ),
            row(
                "move a holding truck into isolation",
                holding,
                || Op::Move {
                    plate: plate(T),
                    to: bay("I-01"),
                },
                Refused("use_isolate"),
            ),
            row(
                "move a holding truck elsewhere",
                holding,
                || Op::Move {
                    plate: plate(T),
                    to: bay("P-01-01"),
                },
                Refused("holding_use_isolate"),
            ),
            row(
                "isolate a holding truck, the zone still full",
                holding,
                || Op::Isolate {
                    plate: plate(T),
                    reason: "fever".into(),
                    bay: None,
                },
                Refused("NoFreeBay"),
            ),
            row(
                "confirm a handoff not started",
                arrive,
                || Op::HandoffConfirm { plate: plate(T) },
                Refused("no_handoff_to_confirm"),
            ),
            row(
                "confirm a handoff under way",
                |l| {
                    arrive(l);
                    l.ok(transfer());
                },
                || Op::HandoffConfirm { plate: plate(T) },
                Refused("no_handoff_to_confirm"),
            ),
            row(
                "confirm a handoff done",
                |l| {
                    arrive(l);
                    l.ok(transfer());
                    done(l);
                },
                || Op::HandoffConfirm { plate: plate(T) },
                Ok,
            ),
            row(
                "confirm a handoff twice",
                |l| {
                    arrive(l);
                    l.ok(transfer());
                    done(l);
                    l.ok(Op::HandoffConfirm { plate: plate(T) });
                },
                || Op::HandoffConfirm { plate: plate(T) },
                Refused("no_handoff_to_confirm"),
            ),
            row(
                "confirm after departure",
                |l| {
                    arrive(l);
                    l.ok(transfer());
                    done(l);
                    l.clear_and_depart(T);
                },
                || Op::HandoffConfirm { plate: plate(T) },
                Ok,
            ),
            // Found by a new user's try: the escorted truck back before its
            // arrival was confirmed left the confirmation unreachable.
            row(
                "confirm after the truck is back on site",
                |l| {
                    arrive(l);
                    l.ok(transfer());
                    done(l);
                    l.clear_and_depart(T);
                    l.advance(Duration::hours(2));
                    arrive(l);
                },
                || Op::HandoffConfirm { plate: plate(T) },
                Ok,
            ),
            row(
                "confirm for a plate never seen",
                |_| {},
                || Op::HandoffConfirm { plate: plate(T) },
                Refused("NotOnSite"),
            ),
            row(
                "recheck a passenger who is not there",
                arrive,
                || recheck(1, 36.5),
                Refused("no_such_person"),
            ),
            row("recheck the driver", arrive, || recheck(0, 36.5), Ok),
            row(
                "reuse a tube",
                |l| {
                    l.arrive("晋D22222");
                    l.ok(Op::Sample {
                        plate: plate("晋D22222"),
                        test: TestKind::Pcr,
                        tube: Some("TUBE-0001".into()),
                        batch: None,
                    });
                    arrive(l);
                },
                || Op::Sample {
                    plate: plate(T),
                    test: TestKind::Antigen,
                    tube: Some("TUBE-0001".into()),
                    batch: Some("B-1".into()),
                },
                Refused("TubeInUse"),
            ),
            row(
                "reuse a tube whose result is in",
                |l| {
                    arrive(l);
                    l.ok(Op::Sample {
                        plate: plate(T),
                        test: TestKind::Antigen,
                        tube: Some("TUBE-0001".into()),
                        batch: None,
                    });
                    l.ok(result_op(T, TestKind::Antigen, TestResult::Negative));
                },
                || Op::Sample {
                    plate: plate(T),
                    test: TestKind::Antigen,
                    tube: Some("TUBE-0001".into()),
                    batch: None,
                },
                Refused("TubeInUse"),
            ),
            row(
                "a result after departure",
                |l| {
                    arrive(l);
                    l.cleared(T);
                    l.ok(sample_op(T, TestKind::Pcr));
                    l.ok(force());
                },
                || result_op(T, TestKind::Pcr, TestResult::Negative),
                Ok,
            ),
            row(
                "a second result after departure",
                |l| {
                    arrive(l);
                    l.cleared(T);
                    l.ok(sample_op(T, TestKind::Pcr));
                    l.ok(force());
                    l.ok(result_op(T, TestKind::Pcr, TestResult::Negative));
                },
                || result_op(T, TestKind::Pcr, TestResult::Negative),
                Refused("NotOnSite"),
            ),
            row(
                "a sample after departure",
                |l| {
                    arrive(l);
                    l.clear_and_depart(T);
                },
                || sample_op(T, TestKind::Pcr),
                Refused("NotOnSite"),
            ),
        ],
        Policy::default,
    );
}

#[test]
fn arrival_rules() {
    use Expect::*;
    fn with(f: fn(&mut trucklot::domain::event::ArrivalRecord)) -> Op {
        let mut a = arrival(T);
        f(&mut a);
        arrive_op(a)
    }
    run_table(
        vec![
            row(
                "no temperature",
                |_| {},
                || with(|a| a.temperature = None),
                Invalid("temperature"),
            ),
            row(
                "four passengers",
                |_| {},
                || {
                    with(|a| {
                        a.passengers = (0..4)
                            .map(|i| passenger(&format!("乘客{i}"), 36.5, HealthCode::Green))
                            .collect()
                    })
                },
                Invalid("passengers"),
            ),
            row(
                "three passengers",
                |_| {},
                || {
                    with(|a| {
                        a.passengers = (0..3)
                            .map(|i| passenger(&format!("乘客{i}"), 36.5, HealthCode::Green))
                            .collect()
                    })
                },
                Ok,
            ),
            row(
                "a passenger's name with control characters",
                |_| {},
                || {
                    with(|a| {
                        a.passengers = vec![passenger("李\u{1b}[2J四", 36.5, HealthCode::Green)]
                    })
                },
                Invalid("passenger 1 name"),
            ),
            row(
                "an override reason with nothing to override",
                |_| {},
                || Op::Arrive {
                    arrival: arrival(T),
                    bay: None,
                    override_reason: Some("operator's call".into()),
                },
                Refused("NothingToOverride"),
            ),
            row(
                "a fever with the isolation and work bays full",
                |l| {
                    fill_isolation(l, 0);
                    for w in bays_of(&l.store, Zone::Work) {
                        l.ok(Op::CloseBay {
                            bay: w,
                            reason: "x".into(),
                        });
                    }
                },
                || with(|a| a.temperature = Some(Temperature::new(38.0).unwrap())),
                Refused("NowhereToWait"),
            ),
        ],
        Policy::default,
    );
}

// ------------------------------------------------- the rules' side effects

fn detail(lot: &Lot, p: &str) -> StayDetail {
    let stay = lot.store.stay_of_plate(&plate(p)).unwrap().unwrap();
    lot.store.stay_detail(stay).unwrap().unwrap()
}

#[test]
fn a_passenger_with_a_fever_sends_the_truck_to_isolation_naming_them() {
    let mut lot = Lot::new();
    let mut a = arrival(T);
    a.passengers = vec![
        passenger("李四", 38.1, HealthCode::Green),
        passenger("王五", 36.6, HealthCode::Yellow),
    ];
    let out = lot.ok(arrive_op(a));
    assert_eq!(out.bay.as_ref().map(|b| b.zone()), Some(Zone::Isolation));
    match &out.events[0].1 {
        Event::Arrived {
            findings, flags, ..
        } => {
            assert_eq!(
                findings,
                &vec![
                    Finding {
                        person: 1,
                        flag: CheckFlag::Fever
                    },
                    Finding {
                        person: 2,
                        flag: CheckFlag::YellowCode
                    },
                ]
            );
            assert_eq!(flags, &vec![CheckFlag::Fever, CheckFlag::YellowCode]);
        }
        e => panic!("{e:?}"),
    }
    let d = detail(&lot, T);
    assert_eq!(d.status, Status::Isolated);
    // Held because of the checks: the findings, not a typed reason, say why.
    assert_eq!(d.isolation_reason, None);
    let name = |n: u8| {
        d.people
            .iter()
            .find(|p| p.person == n)
            .and_then(|p| p.name.clone())
    };
    let reason = trucklot::domain::event::describe_findings(&d.findings, name);
    assert_eq!(
        reason,
        "fever: passenger 1 李四; yellow code: passenger 2 王五"
    );
    let people: Vec<_> = d
        .people
        .iter()
        .map(|p| (p.person, p.name.clone(), p.temperature, p.code))
        .collect();
    assert_eq!(
        people,
        [
            (0, Some("张三".into()), Some(36.5), Some(HealthCode::Green)),
            (1, Some("李四".into()), Some(38.1), Some(HealthCode::Green)),
            (2, Some("王五".into()), Some(36.6), Some(HealthCode::Yellow)),
        ]
    );
    assert_eq!(d.gate.as_deref(), Some("east"));
    assert_eq!(d.venue_code, Some(true));
}

/// The plates of the clocks' "positive, not isolated" alarms.
fn positive_not_isolated(lot: &Lot) -> Vec<String> {
    let facts = lot.store.clock_facts().unwrap();
    clocks::clocks(&facts, &Policy::default())
        .into_iter()
        .filter(|c| c.kind == ClockKind::PositiveNotIsolated)
        .map(|c| c.truck.unwrap().plate.to_string())
        .collect()
}

/// Whether the map marks `T`'s bay positive (asked of the whole lot and of
/// the one bay: both must say the same).
fn marked_positive(lot: &Lot) -> bool {
    let bay = lot.bay_of(T).unwrap();
    let i = lot.store.layout().find(&bay).unwrap();
    let from_lot = lot.lot().bays[i].occupant.as_ref().unwrap().positive;
    let one = lot.store.bay_view(&bay).unwrap().unwrap();
    assert_eq!(one.occupant.unwrap().positive, from_lot);
    from_lot
}

/// A positive truck let out of its parking bay under an escort someone
/// authorised is its escort's charge: the escort, not the alarm, follows it
/// (its handoff is on the clocks until done and confirmed). An escort nobody
/// authorised does not end the alarm.
#[test]
fn a_positive_truck_under_an_authorised_escort_is_no_longer_an_alarm() {
    let alarm = positive_not_isolated;
    let mut lot = Lot::new();
    arrive(&mut lot);
    sampled(&mut lot, TestKind::Antigen, TestResult::Positive);
    assert_eq!(alarm(&lot), [T]);
    lot.ok(escort_by());
    assert!(alarm(&lot).is_empty());
    let facts = lot.store.clock_facts().unwrap();
    assert!(
        clocks::clocks(&facts, &Policy::default())
            .iter()
            .any(|c| c.truck.as_ref().is_some_and(|t| t.plate.as_str() == T)),
        "its handoff is followed on the clocks"
    );

    let mut lot = Lot::new();
    positive_under_unauthorised_escort(&mut lot);
    assert_eq!(alarm(&lot), [T], "an escort nobody authorised is no answer");
}

/// A positive truck the operator did not isolate is an alarm on the clocks
/// from the first second, until it is isolated or a negative PCR clears it.
#[test]
fn a_positive_truck_outside_isolation_is_an_alarm_until_isolated() {
    let alarm = positive_not_isolated;
    let mut lot = Lot::new();
    arrive(&mut lot);
    assert!(alarm(&lot).is_empty());
    // The proposal to isolate is let go.
    sampled(&mut lot, TestKind::Antigen, TestResult::Positive);
    assert_eq!(alarm(&lot), [T]);
    let facts = lot.store.clock_facts().unwrap();
    let due = clocks::clocks(&facts, &Policy::default());
    assert!(
        due.iter()
            .any(|c| c.kind == ClockKind::PositiveNotIsolated && c.overdue(lot.now() + mins(1))),
        "due at once"
    );
    // A negative antigen does not clear it; isolation ends the alarm.
    sampled(&mut lot, TestKind::Antigen, TestResult::Negative);
    assert_eq!(alarm(&lot), [T]);
    lot.ok(Op::Isolate {
        plate: plate(T),
        reason: "antigen positive".into(),
        bay: None,
    });
    assert!(alarm(&lot).is_empty());
    // Released after a negative PCR: cleared, no alarm.
    assert!(marked_positive(&lot), "the map marks it positive");
    sampled(&mut lot, TestKind::Pcr, TestResult::Negative);
    lot.ok(release());
    assert!(alarm(&lot).is_empty());
    assert!(
        !marked_positive(&lot),
        "nor the map, once a negative PCR cleared it"
    );
    // Another truck: positive, not isolated, then a negative PCR clears it.
    let other = "晋D20002";
    lot.arrive(other);
    lot.ok(sample_op(other, TestKind::Antigen));
    lot.ok(result_op(other, TestKind::Antigen, TestResult::Positive));
    assert_eq!(alarm(&lot), [other]);
    lot.advance(mins(1));
    lot.ok(sample_op(other, TestKind::Pcr));
    lot.ok(result_op(other, TestKind::Pcr, TestResult::Negative));
    assert!(alarm(&lot).is_empty());
}

/// A truck forced out with its result pending is followed after it left:
/// a positive that comes back then is an alarm until the case is reported
/// (escalated), and again for a later positive; a negative PCR clears it.
/// Only such a truck can be escalated once gone.
#[test]
fn a_positive_that_comes_back_after_departure_is_an_alarm_until_reported() {
    let alarm = |lot: &Lot| {
        let facts = lot.store.clock_facts().unwrap();
        clocks::clocks(&facts, &Policy::default())
            .into_iter()
            .filter(|c| c.kind == ClockKind::PositiveDeparted)
            .map(|c| {
                (
                    c.truck.as_ref().unwrap().plate.to_string(),
                    c.overdue(lot.now()),
                )
            })
            .collect::<Vec<_>>()
    };
    let escalate = |note: &str| Op::Escalate {
        plate: plate(T),
        note: note.into(),
    };
    let mut lot = Lot::new();
    arrive(&mut lot);
    lot.ok(sample_op(T, TestKind::Antigen));
    lot.advance(mins(1));
    lot.ok(force());
    // Gone, nothing known yet: nothing to report.
    assert!(alarm(&lot).is_empty());
    assert_eq!(key(&lot.refused(escalate("why"))), "NotOnSite");
    lot.advance(mins(10));
    let out = lot.ok(result_op(T, TestKind::Antigen, TestResult::Positive));
    assert_eq!(out.notes, [Note::PositiveAfterDeparture]);
    assert_eq!(out.proposal, None, "nothing to isolate");
    lot.advance(mins(1));
    assert_eq!(alarm(&lot), [(T.to_string(), true)], "due at once");
    // Reported: the alarm ends, and the log keeps the note.
    let out = lot.ok(escalate("destination CDC told by phone"));
    assert_eq!(out.bay, None);
    assert!(alarm(&lot).is_empty());
    // A PCR sampled before it left comes back positive after the report:
    // a new alarm.
    let mut lot = forced_out_then_antigen_positive();
    lot.advance(mins(1));
    lot.ok(escalate("reported"));
    assert!(alarm(&lot).is_empty());
    lot.advance(Duration::hours(6));
    lot.ok(result_op(T, TestKind::Pcr, TestResult::Positive));
    assert_eq!(alarm(&lot).len(), 1, "the later positive is reported again");
    // A negative PCR after a positive clears it without a report.
    let mut lot = forced_out_then_antigen_positive();
    assert_eq!(alarm(&lot).len(), 1);
    lot.advance(Duration::hours(6));
    lot.ok(result_op(T, TestKind::Pcr, TestResult::Negative));
    assert!(alarm(&lot).is_empty());
    assert_eq!(key(&lot.refused(escalate("why"))), "NotOnSite");
    // Every state above is the log's replay.
    assert!(lot.store.check().unwrap().ok());
}

/// The report owed for a positive that came back after the truck left is
/// still owed, and still possible, once the truck is back on site in a
/// new stay: `escalate` reports that earlier stay first (its alarm ends no
/// other way), and only then acts on the stay on site.
#[test]
fn a_truck_back_on_site_still_owes_the_report_of_its_earlier_positive() {
    let alarm = |lot: &Lot| {
        let facts = lot.store.clock_facts().unwrap();
        clocks::clocks(&facts, &Policy::default())
            .into_iter()
            .filter(|c| c.kind == ClockKind::PositiveDeparted)
            .map(|c| c.truck.unwrap().stay)
            .collect::<Vec<_>>()
    };
    let escalate = || Op::Escalate {
        plate: plate(T),
        note: "destination CDC told".into(),
    };
    let mut lot = forced_out_then_antigen_positive();
    let gone = alarm(&lot);
    assert_eq!(gone.len(), 1);
    lot.advance(Duration::hours(1));
    // A clean cab, but its last stay's positive stands: flagged for it,
    // and isolated, as a positive test isolates any truck.
    let out = lot.ok(arrive_op(arrival(T)));
    assert_eq!(out.bay.as_ref().map(|b| b.zone()), Some(Zone::Isolation));
    assert!(
        matches!(&out.events[0].1, Event::Arrived { flags, .. } if flags == &[CheckFlag::PositiveBefore]),
        "{:?}",
        out.events
    );
    // The gate is told the report is still owed, and so is the isolation
    // board: reporting it comes before anything about this stay.
    assert_eq!(out.notes, [Note::ReportOwed]);
    assert_eq!(detail(&lot, T).status, Status::Isolated);
    assert_eq!(alarm(&lot), gone, "back on site: the report is still owed");
    let next = |lot: &Lot| {
        let facts = lot.store.clock_facts().unwrap();
        isolation_board(&facts, &Policy::default(), lot.now())[0]
            .next
            .key()
    };
    assert_eq!(next(&lot), "report_last_stay");
    let out = lot.ok(escalate());
    assert!(
        matches!(&out.events[0].1, Event::Escalated { stay, .. } if *stay == gone[0]),
        "{:?}",
        out.events
    );
    assert!(alarm(&lot).is_empty());
    assert_ne!(next(&lot), "report_last_stay");
    // Reported: now the stay on site answers (it is isolated).
    let out = lot.ok(escalate());
    assert!(
        matches!(&out.events[0].1, Event::Escalated { stay, .. } if *stay != gone[0]),
        "{:?}",
        out.events
    );
    assert!(lot.store.check().unwrap().ok());
}

/// Only a positive that still stands flags the next arrival: one that a
/// negative PCR cleared after the truck left does not, nor does a truck
/// whose last stay had none; one that left under escort does.
#[test]
fn only_a_standing_positive_from_the_last_stay_flags_the_next_arrival() {
    let zone_on_return = |lot: &mut Lot| {
        lot.advance(Duration::hours(8));
        let out = lot.ok(arrive_op(arrival(T)));
        // No report is owed for any of these: none is said.
        assert!(out.notes.is_empty(), "{:?}", out.notes);
        out.bay.unwrap().zone()
    };
    // Cleared by a negative PCR after it left.
    let mut lot = forced_out_then_antigen_positive();
    lot.advance(Duration::hours(6));
    lot.ok(result_op(T, TestKind::Pcr, TestResult::Negative));
    assert_eq!(zone_on_return(&mut lot), Zone::Parking);
    // Never positive.
    let mut lot = Lot::new();
    arrive(&mut lot);
    lot.ok(sample_op(T, TestKind::Antigen));
    lot.advance(mins(20));
    lot.ok(result_op(T, TestKind::Antigen, TestResult::Negative));
    lot.ok(depart());
    assert_eq!(zone_on_return(&mut lot), Zone::Parking);
    // Positive, let out under an authorised escort: isolated on return.
    let mut lot = Lot::new();
    arrive_fever(&mut lot);
    lot.ok(sample_op(T, TestKind::Antigen));
    lot.advance(mins(20));
    lot.ok(result_op(T, TestKind::Antigen, TestResult::Positive));
    lot.ok(escort_op(T, Some("李队长")));
    done(&mut lot);
    lot.ok(depart());
    assert_eq!(zone_on_return(&mut lot), Zone::Isolation);
    assert!(lot.store.check().unwrap().ok());
}

/// A truck back on site whose last stay's positive still stands carries
/// that positive: it is not released, nor let out by an override, until a
/// negative PCR clears it (a negative antigen does not), exactly as if the
/// positive were its own; put in a parking bay against the checks, it is
/// the clocks' "positive, not isolated" alarm; let out under escort, it is
/// flagged again on its next return.
#[test]
fn a_positive_carried_from_the_last_stay_stands_until_a_negative_pcr() {
    let next = |lot: &Lot| {
        let facts = lot.store.clock_facts().unwrap();
        isolation_board(&facts, &lot.policy, lot.now())
            .into_iter()
            .find(|r| r.truck.plate.as_str() == T)
            .map(|r| r.next)
    };
    let blockers = |lot: &mut Lot, op: Op| match lot.refused(op) {
        Refusal::DepartureBlocked { blockers, .. } => blockers,
        other => panic!("{other:?}"),
    };
    let carried = trucklot::domain::stay::Blocker::Positive {
        test: TestKind::Antigen,
        last_stay: true,
        way_out: trucklot::domain::stay::WayOut::AuthorisedEscort,
    };
    let mut lot = forced_out_then_antigen_positive();
    lot.advance(Duration::hours(1));
    lot.ok(arrive_op(arrival(T)));
    assert_eq!(detail(&lot, T).status, Status::Isolated);
    // The report its last stay owes comes first (a sample is next once it
    // is made, `a_truck_back_on_site_still_owes_…`).
    assert_eq!(next(&lot), Some(NextAction::ReportLastStay));
    let refused = lot.refused(release());
    assert_eq!(key(&refused), "positive_no_release");
    assert!(
        refused
            .to_string()
            .contains("positive antigen result of its last stay"),
        "{refused}"
    );
    assert!(blockers(&mut lot, force()).contains(&carried));
    // A negative antigen does not clear it.
    sampled(&mut lot, TestKind::Antigen, TestResult::Negative);
    assert_eq!(key(&lot.refused(release())), "positive_no_release");
    assert_eq!(next(&lot), Some(NextAction::ReportLastStay));
    // Under escort, authorised: out, and flagged again on its return; the
    // report owed for the first stay's positive is still owed, and said.
    lot.ok(escort_by());
    done(&mut lot);
    lot.ok(depart());
    lot.advance(Duration::hours(8));
    let out = lot.ok(arrive_op(arrival(T)));
    assert_eq!(out.bay.map(|b| b.zone()), Some(Zone::Isolation));
    assert_eq!(out.notes, [Note::ReportOwed]);
    assert!(blockers(&mut lot, force()).contains(&carried));
    assert!(lot.store.check().unwrap().ok());
    // A negative PCR clears it: released, and out like any truck; the
    // map no longer marks it positive.
    sampled(&mut lot, TestKind::Pcr, TestResult::Negative);
    assert_ne!(next(&lot), Some(NextAction::TakeSample));
    assert_eq!(next(&lot), Some(NextAction::ReportLastStay));
    lot.ok(release());
    assert!(!marked_positive(&lot));
    lot.clear_and_depart(T);
    assert!(lot.store.check().unwrap().ok());

    // Put in a parking bay against the checks: an alarm until isolated,
    // and no override lets it out.
    let alarm = positive_not_isolated;
    let mut lot = forced_out_then_antigen_positive();
    lot.advance(Duration::hours(1));
    let out = lot.ok(Op::Arrive {
        arrival: arrival(T),
        bay: Some(trucklot::domain::bay::BayId::parse("P-05-05").unwrap()),
        override_reason: Some("the driver says the lab was wrong".into()),
    });
    let parked = out.bay.unwrap();
    assert_eq!(parked.zone(), Zone::Parking);
    assert_eq!(alarm(&lot), [T]);
    // The map marks its bay positive.
    assert_eq!(lot.bay_of(T), Some(parked));
    assert!(marked_positive(&lot));
    lot.cleared(T);
    assert_eq!(blockers(&mut lot, force()), [carried]);
    lot.ok(Op::Isolate {
        plate: plate(T),
        reason: "positive at its last stay".into(),
        bay: None,
    });
    assert!(alarm(&lot).is_empty());
    assert!(lot.store.check().unwrap().ok());
}

/// A truck forced out with an antigen and a PCR pending, whose antigen
/// then comes back positive.
fn forced_out_then_antigen_positive() -> Lot {
    let mut lot = Lot::new();
    arrive(&mut lot);
    lot.ok(sample_op(T, TestKind::Antigen));
    lot.ok(sample_op(T, TestKind::Pcr));
    lot.advance(mins(1));
    lot.ok(force());
    lot.advance(mins(10));
    lot.ok(result_op(T, TestKind::Antigen, TestResult::Positive));
    lot
}

#[test]
fn a_full_isolation_zone_puts_the_truck_on_hold_and_the_freed_bay_is_proposed() {
    let mut lot = Lot::new();
    fill_isolation(&mut lot, 1);
    let fever = |p: &str| {
        let mut a = arrival(p);
        a.temperature = Some(Temperature::new(38.5).unwrap());
        arrive_op(a)
    };
    assert_eq!(lot.ok(fever("晋D10001")).bay, Some(bay("I-01")));
    lot.advance(mins(5));
    let out = lot.ok(fever("晋D10002"));
    let waiting = out.bay.clone().unwrap();
    assert_eq!(waiting.zone(), Zone::Work);
    assert_eq!(out.notes, [Note::Holding]);
    assert!(matches!(
        &out.events[0].1,
        Event::Arrived { holding: true, .. }
    ));
    assert_eq!(detail(&lot, "晋D10002").status, Status::Holding);
    // A second truck waits behind it, in the other lane.
    lot.advance(mins(5));
    let out = lot.ok(fever("晋D10003"));
    assert_eq!(out.notes, [Note::Holding]);
    assert_ne!(out.bay.as_ref(), Some(&waiting));

    // On the clocks board at once, and on the isolation board: wait for a bay.
    let facts = lot.store.clock_facts().unwrap();
    let waits: Vec<_> = clocks::clocks(&facts, &lot.policy)
        .into_iter()
        .filter(|c| c.kind == ClockKind::WaitingForIsolation)
        .map(|c| c.truck.unwrap().plate.to_string())
        .collect();
    assert_eq!(waits, ["晋D10002", "晋D10003"]);
    let board = isolation_board(&facts, &lot.policy, lot.now());
    assert_eq!(board.len(), 3);
    assert_eq!(board[1].next, NextAction::WaitForBay);

    // Unrelated operations propose nothing.
    let out = lot.ok(sample_op("晋D10001", TestKind::Antigen));
    assert_eq!(out.proposal, None);
    lot.advance(mins(20));
    lot.ok(result_op(
        "晋D10001",
        TestKind::Antigen,
        TestResult::Negative,
    ));
    // The isolation bay frees: the next operation proposes it for the
    // truck that has waited longest.
    let out = lot.ok(release_op("晋D10001"));
    assert_eq!(
        out.proposal,
        Some(Proposal::IsolateWaiting {
            plate: plate("晋D10002"),
            bay: bay("I-01")
        })
    );
    // First come, first isolated: a flagged truck arriving now does not
    // take the freed bay from those waiting; it waits behind them (found
    // by a new user's try). With the work lanes full, it is refused
    // saying what can be done.
    lot.ok(arrive_op(arrival("晋D10004")));
    lot.ok(arrive_op(arrival("晋D10005")));
    for (p, w) in [("晋D10004", "W-03"), ("晋D10005", "W-04")] {
        lot.ok(Op::Move {
            plate: plate(p),
            to: bay(w),
        });
    }
    let out = lot.ok(fever("晋D10006"));
    assert_eq!(out.notes, [Note::Holding]);
    assert_eq!(out.bay.map(|b| b.zone()), Some(Zone::Work));
    lot.ok(arrive_op(arrival("晋D10007")));
    lot.ok(Op::Move {
        plate: plate("晋D10007"),
        to: bay("W-06"),
    });
    assert!(matches!(
        lot.refused(fever("晋D10008")),
        Refusal::NowhereToWait
    ));
    // Confirmed: the truck goes there.
    let out = lot.ok(Op::Isolate {
        plate: plate("晋D10002"),
        reason: "fever".into(),
        bay: None,
    });
    assert_eq!(out.bay, Some(bay("I-01")));
    assert_eq!(detail(&lot, "晋D10002").status, Status::Isolated);
    assert_eq!(detail(&lot, "晋D10003").status, Status::Holding);
    // Leaving isolation any other way frees the bay too: under escort.
    lot.ok(sample_op("晋D10002", TestKind::Antigen));
    lot.advance(mins(1));
    lot.ok(result_op(
        "晋D10002",
        TestKind::Antigen,
        TestResult::Positive,
    ));
    let out = lot.ok(escort_op("晋D10002", Some("李队长")));
    assert_eq!(
        out.proposal,
        Some(Proposal::IsolateWaiting {
            plate: plate("晋D10003"),
            bay: bay("I-01")
        })
    );
}

#[test]
fn a_recheck_is_recorded_and_proposes_isolation_when_it_flags() {
    let mut lot = Lot::new();
    let mut a = arrival(T);
    a.passengers = vec![passenger("李四", 36.6, HealthCode::Green)];
    lot.ok(arrive_op(a));
    lot.advance(mins(30));
    let out = lot.ok(recheck(1, 36.8));
    assert_eq!(out.proposal, None);
    let out = lot.ok(recheck(1, 38.0));
    assert_eq!(
        out.proposal,
        Some(Proposal::Isolate {
            bay: Some(bay("I-01"))
        })
    );
    match &out.events[..] {
        [
            (
                _,
                Event::Rechecked {
                    person,
                    temperature,
                    findings,
                    ..
                },
            ),
        ] => {
            assert_eq!(*person, 1);
            assert_eq!(temperature.unwrap().celsius(), 38.0);
            assert_eq!(
                findings,
                &vec![Finding {
                    person: 1,
                    flag: CheckFlag::Fever
                }]
            );
        }
        e => panic!("{e:?}"),
    }
    // Only a proposal: the truck has not moved; the person's latest
    // measurement is the new one.
    let d = detail(&lot, T);
    assert_eq!(d.status, Status::Parked);
    assert_eq!(d.people[1].temperature, Some(38.0));
    assert_eq!(d.people[1].checked_at, t0() + mins(30));
    // A red code at a recheck flags too; an isolated truck is proposed nothing.
    let out = lot.ok(Op::Recheck {
        plate: plate(T),
        person: 0,
        temperature: Temperature::new(36.5).unwrap(),
        code: HealthCode::Red,
    });
    assert!(matches!(out.proposal, Some(Proposal::Isolate { .. })));
    lot.ok(Op::Isolate {
        plate: plate(T),
        reason: "recheck".into(),
        bay: None,
    });
    assert_eq!(lot.ok(recheck(1, 38.5)).proposal, None);
    assert!(lot.store.check().unwrap().ok());
}

#[test]
fn a_water_call_is_closed_at_departure_with_its_own_event() {
    let mut lot = Lot::new();
    lot.arrive(T);
    lot.cleared(T);
    service(&mut lot, ServiceKind::Water);
    service(&mut lot, ServiceKind::Meal);
    lot.advance(mins(3));
    let out = lot.ok(depart_op(T));
    let kinds: Vec<_> = out
        .events
        .iter()
        .map(|(_, e)| match e {
            Event::ServiceDone { at_departure, .. } => format!("service_done {at_departure}"),
            e => e.kind().to_string(),
        })
        .collect();
    assert_eq!(
        kinds,
        ["service_done true", "service_done true", "departed"]
    );
    assert_eq!(
        out.notes,
        [
            Note::ServiceClosedAtDeparture(ServiceKind::Water),
            Note::ServiceClosedAtDeparture(ServiceKind::Meal)
        ]
    );
    let d = detail(&lot, T);
    assert!(d.services.iter().all(|s| s.done_at == Some(t0() + mins(3))));
    assert!(lot.store.clock_facts().unwrap().services.is_empty());
    assert!(lot.store.check().unwrap().ok());
}

#[test]
fn forcing_records_what_was_overridden() {
    let mut lot = Lot::new();
    let mut a = arrival(T);
    a.handoff_required = true;
    lot.ok(arrive_op(a));
    service(&mut lot, ServiceKind::Medical);
    let out = lot.ok(Op::Depart {
        plate: plate(T),
        force_reason: Some("driver taken to hospital".into()),
    });
    match &out.events[..] {
        [
            (
                _,
                Event::ServiceDone {
                    at_departure: true, ..
                },
            ),
            (
                _,
                Event::Departed {
                    forced, overridden, ..
                },
            ),
        ] => {
            assert_eq!(forced.as_deref(), Some("driver taken to hospital"));
            assert_eq!(
                overridden,
                &["no_sample", "handoff_required", "medical_call"]
            );
        }
        e => panic!("{e:?}"),
    }
    // The overridden medical call is closed as the truck leaves, marked as
    // closed at departure (not as served).
    assert_eq!(
        out.notes,
        [Note::ServiceClosedAtDeparture(ServiceKind::Medical)]
    );
    assert!(detail(&lot, T).services[0].done_at.is_some());
    // A reason when nothing blocks is not a forced departure.
    lot.arrive("晋D22222");
    lot.cleared("晋D22222");
    let out = lot.ok(Op::Depart {
        plate: plate("晋D22222"),
        force_reason: Some("just in case".into()),
    });
    assert!(matches!(
        &out.events[0].1,
        Event::Departed { forced: None, overridden, .. } if overridden.is_empty()
    ));
}

/// A cargo transfer that began before the truck's positive result is not
/// completed: the positive truck's cargo would go on in a clean vehicle.
/// Isolated, it leaves under an escort someone authorised.
#[test]
fn a_positive_trucks_cargo_transfer_is_not_completed() {
    let mut lot = Lot::new();
    arrive(&mut lot);
    lot.ok(sample_op(T, TestKind::Antigen));
    lot.ok(transfer());
    lot.advance(mins(1));
    lot.ok(result_op(T, TestKind::Antigen, TestResult::Positive));
    let refused = lot.refused(Op::HandoffDone { plate: plate(T) });
    assert_eq!(key(&refused), "transfer_of_positive");
    assert!(refused.to_string().contains("isolate it"), "{refused}");
    // Its departure says the same, without also saying to mark the
    // transfer done (found by a new user's try: the two contradicted).
    match lot.refused(depart()) {
        Refusal::DepartureBlocked { blockers, .. } => {
            let keys: Vec<_> = blockers.iter().map(|b| b.key()).collect();
            assert_eq!(keys, ["positive"]);
        }
        other => panic!("{other:?}"),
    }
    lot.ok(Op::Isolate {
        plate: plate(T),
        reason: "antigen positive".into(),
        bay: None,
    });
    lot.ok(escort_by());
    lot.ok(Op::HandoffDone { plate: plate(T) });
    lot.ok(depart());
}

/// The refusal of a positive truck's departure names the way out that
/// works from where it stands, and each named step is then accepted.
#[test]
fn a_positive_truck_is_told_the_way_out_that_works_from_where_it_stands() {
    use trucklot::domain::stay::{WayOut, way_out};
    let blocked = |lot: &mut Lot| match lot.refused(force()) {
        Refusal::DepartureBlocked { blockers, .. } => way_out(&blockers),
        other => panic!("expected a blocked departure, got {other:?}"),
    };

    // An escort that nobody authorised began before the positive: a new
    // escort would be refused (a handoff starts once), so it says to
    // isolate first, and from isolation an authorised escort takes it out.
    let mut lot = Lot::new();
    positive_under_unauthorised_escort(&mut lot);
    lot.ok(Op::HandoffDone { plate: plate(T) });
    assert_eq!(blocked(&mut lot), Some(WayOut::IsolateFirst));
    let text = lot.refused(depart()).to_string();
    assert!(text.contains("isolate it, then start an escort"), "{text}");
    assert!(matches!(
        lot.refused(escort_by()),
        Refusal::Rule(trucklot::domain::stay::RuleRefusal::HandoffAlreadyStarted { .. })
    ));
    lot.ok(Op::Isolate {
        plate: plate(T),
        reason: "antigen positive".into(),
        bay: None,
    });
    assert_eq!(blocked(&mut lot), Some(WayOut::AuthorisedEscort));
    lot.ok(escort_by());

    // Its authorised escort under way: the handoff is to be marked done,
    // and no reason forces it out before.
    assert_eq!(blocked(&mut lot), Some(WayOut::MarkEscortDone));
    let text = lot.refused(depart()).to_string();
    assert!(text.contains("mark the handoff done"), "{text}");
    assert!(!text.contains("start an escort"), "{text}");
    lot.ok(Op::HandoffDone { plate: plate(T) });
    lot.ok(depart());
}

#[test]
fn a_refused_departure_names_every_blocker_and_says_a_positive_is_not_forceable() {
    let mut lot = Lot::new();
    isolated_positive(&mut lot);
    service(&mut lot, ServiceKind::Medical);
    let r = lot.refused(force());
    let msg = r.to_string();
    assert!(msg.contains("positive antigen result stands"), "{msg}");
    assert!(msg.contains("in isolation and not released"), "{msg}");
    assert!(msg.contains("medical call"), "{msg}");
    assert!(msg.contains("only under an authorised escort"), "{msg}");
    // The same blockers as the preview the TUI asks for.
    let preview =
        trucklot::ops::departure_blockers(&mut lot.store, &lot.policy, &plate(T)).unwrap();
    match r {
        Refusal::DepartureBlocked { blockers, .. } => assert_eq!(blockers, preview),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_handoff_is_confirmed_after_the_truck_left_and_only_once() {
    let mut lot = Lot::new();
    lot.arrive(T);
    lot.ok(transfer());
    lot.advance(mins(30));
    done(&mut lot);
    let confirm_clock = |lot: &Lot| {
        let facts = lot.store.clock_facts().unwrap();
        clocks::clocks(&facts, &lot.policy)
            .into_iter()
            .find(|c| matches!(c.kind, ClockKind::HandoffConfirm { .. }))
    };
    let c = confirm_clock(&lot).expect("a done handoff waits for confirmation");
    assert_eq!(
        c.kind,
        ClockKind::HandoffConfirm {
            mode: HandoffMode::Transfer
        }
    );
    assert_eq!(c.due, t0() + mins(30) + Duration::hours(24));
    lot.clear_and_depart(T);
    // Gone, and still waiting for the destination's word.
    let c = confirm_clock(&lot).expect("still open after departure");
    assert_eq!(c.truck.as_ref().unwrap().bay, None);
    lot.advance(Duration::hours(25));
    assert!(c.overdue(lot.now()));
    let out = lot.ok(Op::HandoffConfirm { plate: plate(T) });
    assert!(matches!(
        out.events[..],
        [(_, Event::HandoffConfirmed { .. })]
    ));
    assert_eq!(confirm_clock(&lot), None);
    let d = detail(&lot, T);
    assert_eq!(d.handoff_confirmed_at, Some(lot.now()));
    assert_eq!(d.status, Status::Departed);
    assert_eq!(
        key(&lot.refused(Op::HandoffConfirm { plate: plate(T) })),
        "no_handoff_to_confirm"
    );
    // A new stay of the same plate: the confirmation is about the latest.
    lot.arrive(T);
    assert_eq!(
        key(&lot.refused(Op::HandoffConfirm { plate: plate(T) })),
        "no_handoff_to_confirm"
    );
}

#[test]
fn an_escalated_truck_awaits_the_decision_on_the_board() {
    let mut lot = Lot::new();
    isolated_positive(&mut lot);
    let board = |lot: &Lot| {
        let facts = lot.store.clock_facts().unwrap();
        isolation_board(&facts, &lot.policy, lot.now())
    };
    assert_eq!(board(&lot)[0].next, NextAction::Escalate);
    lot.advance(mins(10));
    lot.ok(Op::Escalate {
        plate: plate(T),
        note: "reported to the district CDC".into(),
    });
    assert_eq!(
        board(&lot)[0].next,
        NextAction::AwaitDecision {
            at: lot.now(),
            note: "reported to the district CDC".into()
        }
    );
    // The decision: an escort. On the board until it has gone.
    lot.ok(escort_by());
    assert_eq!(board(&lot)[0].next, NextAction::EscortUnderWay);
    done(&mut lot);
    assert_eq!(board(&lot)[0].next, NextAction::LetOutUnderEscort);
    lot.ok(depart_op(T));
    assert!(board(&lot).is_empty());
}

#[test]
fn a_result_after_departure_is_recorded_but_proposes_nothing() {
    let mut lot = Lot::new();
    lot.arrive(T);
    lot.cleared(T);
    lot.ok(Op::Sample {
        plate: plate(T),
        test: TestKind::Pcr,
        tube: Some("PCR-77".into()),
        batch: Some("B-3".into()),
    });
    lot.ok(force());
    lot.advance(Duration::hours(5));
    let out = lot.ok(result_op(T, TestKind::Pcr, TestResult::Positive));
    assert_eq!(out.proposal, None, "the truck is gone: nothing to isolate");
    assert_eq!(out.bay, None);
    let d = detail(&lot, T);
    let pcr = d.samples.iter().find(|s| s.test == TestKind::Pcr).unwrap();
    assert_eq!(pcr.result, Some(TestResult::Positive));
    assert_eq!(pcr.result_at, Some(lot.now()));
    assert_eq!(pcr.tube.as_deref(), Some("PCR-77"));
    assert_eq!(pcr.batch.as_deref(), Some("B-3"));
    assert!(lot.store.check().unwrap().ok());
}

#[test]
fn generated_tube_ids_are_unique_per_stay_and_test() {
    let mut lot = Lot::new();
    lot.arrive(T);
    let tube = |out: &trucklot::ops::Outcome| match &out.events[0].1 {
        Event::SampleTaken { tube, .. } => tube.clone().unwrap(),
        e => panic!("{e:?}"),
    };
    let a = tube(&lot.ok(sample_op(T, TestKind::Antigen)));
    lot.ok(result_op(T, TestKind::Antigen, TestResult::Invalid));
    let b = tube(&lot.ok(sample_op(T, TestKind::Antigen)));
    let c = tube(&lot.ok(sample_op(T, TestKind::Pcr)));
    assert_eq!(
        [a.as_str(), &b, &c],
        ["AG-000001-1", "AG-000001-2", "PCR-000001-1"]
    );
}

/// Two results reported in the same millisecond (a fixed clock; or a lab
/// file that gives both the same time): the one recorded later is the
/// later one. Here the positive antigen is recorded after the negative PCR,
/// so the positive stands and the truck may not leave.
///
/// CORE BUG (reported to the lead, not fixed here): `Tx::stay_where`
/// (src/store/tx.rs) orders results by `result_at, id`, where `id` is the
/// *sample's* id, so at equal times the earlier-taken sample counts as the
/// earlier result: the antigen positive (sampled first) sorts before the
/// PCR negative (sampled second, recorded first) and the positive is taken
/// as cleared. `clock_facts` (src/store/boards.rs) orders the same way.
#[test]
fn results_at_the_same_time_count_in_the_order_they_were_recorded() {
    let mut lot = Lot::new();
    lot.arrive(T);
    lot.ok(sample_op(T, TestKind::Antigen));
    lot.ok(sample_op(T, TestKind::Pcr));
    lot.advance(mins(20));
    lot.ok(result_op(T, TestKind::Pcr, TestResult::Negative));
    lot.ok(result_op(T, TestKind::Antigen, TestResult::Positive));
    let keys: Vec<_> = trucklot::ops::departure_blockers(&mut lot.store, &lot.policy, &plate(T))
        .unwrap()
        .iter()
        .map(|b| b.key())
        .collect();
    assert_eq!(keys, ["positive"]);
}

/// A positive follows a truck by its plate, and a plate correction keeps
/// it so (found by a new user's try: both ways let a positive truck out).
/// A plate mistyped at the gate and corrected to that of a truck whose
/// last stay left with a positive standing carries that positive, as its
/// arrival would have; undone, it goes again with the plate. A truck that
/// arrived carrying one keeps its plate while the positive stands.
#[test]
fn a_plate_correction_neither_sheds_nor_misses_a_positive_carried_from_the_last_stay() {
    use trucklot::domain::event::Field;
    let blockers = |lot: &mut Lot, p: &str| -> Vec<&'static str> {
        trucklot::ops::departure_blockers(&mut lot.store, &lot.policy, &plate(p))
            .unwrap()
            .iter()
            .map(|b| b.key())
            .collect()
    };
    // T left with a positive standing; the same truck comes back and is
    // registered as 晋D19999 by a slip of the finger, cleared and parked.
    let mut lot = forced_out_then_antigen_positive();
    lot.advance(Duration::hours(1));
    lot.arrive("晋D19999");
    lot.cleared("晋D19999");
    assert_eq!(blockers(&mut lot, "晋D19999"), Vec::<&str>::new());
    let out = lot.ok(Op::Correct {
        plate: plate("晋D19999"),
        changes: vec![(Field::Plate, T.into())],
    });
    assert!(
        matches!(&out.events[0].1, Event::Corrected { findings, .. }
            if findings == &[Finding { person: 0, flag: CheckFlag::PositiveBefore }]),
        "{:?}",
        out.events
    );
    assert_eq!(out.notes, [Note::PositiveCarried]);
    assert!(
        matches!(out.proposal, Some(Proposal::Isolate { bay: Some(ref b) }) if b.zone() == Zone::Isolation),
        "{:?}",
        out.proposal
    );
    // It may not leave; it is the clocks' "positive, not isolated" alarm.
    assert!(
        blockers(&mut lot, T).contains(&"positive"),
        "{:?}",
        blockers(&mut lot, T)
    );
    let facts = lot.store.clock_facts().unwrap();
    assert!(
        clocks::clocks(&facts, &Policy::default())
            .iter()
            .any(|c| c.kind == ClockKind::PositiveNotIsolated),
        "the alarm"
    );
    assert!(lot.store.check().unwrap().ok());
    // Nor may its plate be corrected away again while the positive stands.
    plate_kept_while_the_positive_stands(&mut lot);
    // The correction undone (the slip was in the correction): the plate
    // given back is checked as it was, and its positive goes with it.
    lot.ok(Op::Undo { expected: None });
    assert_eq!(blockers(&mut lot, "晋D19999"), Vec::<&str>::new());
    assert!(lot.store.check().unwrap().ok());
}

/// T's plate may not be corrected away while the positive it carries
/// stands: refused, nothing written.
fn plate_kept_while_the_positive_stands(lot: &mut Lot) {
    use trucklot::domain::event::Field;
    let before = lot.events();
    assert!(matches!(
        lot.exec(&Op::Correct {
            plate: plate(T),
            changes: vec![(Field::Plate, "晋D19999".into())],
        }),
        Err(OpError::Refused(Refusal::CorrectCarriedPositive(_)))
    ));
    assert_eq!(lot.events(), before);
}

#[test]
fn a_truck_that_arrived_carrying_a_positive_keeps_its_plate_while_it_stands() {
    use trucklot::domain::event::Field;
    let mut lot = forced_out_then_antigen_positive();
    lot.advance(Duration::hours(1));
    lot.ok(arrive_op(arrival(T)));
    plate_kept_while_the_positive_stands(&mut lot);
    // Another field may be put right.
    lot.ok(Op::Correct {
        plate: plate(T),
        changes: vec![(Field::Origin, "长治".into())],
    });
    // A negative PCR clears the positive: then the plate may be corrected.
    lot.ok(sample_op(T, TestKind::Pcr));
    lot.ok(result_op(T, TestKind::Pcr, TestResult::Negative));
    lot.ok(Op::Correct {
        plate: plate(T),
        changes: vec![(Field::Plate, "晋D19999".into())],
    });
    assert!(lot.store.check().unwrap().ok());
}

#[test]
fn a_correction_keeps_the_old_value_and_refuses_what_it_cannot_be() {
    use trucklot::domain::event::Field;
    let mut lot = Lot::new();
    lot.arrive("晋D10001");
    lot.arrive("晋D10002");
    let out = lot.ok(Op::Correct {
        plate: plate("晋D10001"),
        changes: vec![
            (Field::Plate, "晋D10009".into()),
            (Field::Cargo, "emergency".into()),
            (Field::Origin, String::new()),
        ],
    });
    match &out.events[0].1 {
        Event::Corrected { changes, .. } => {
            let c: Vec<(Field, Option<&str>, Option<&str>)> = changes
                .iter()
                .map(|c| (c.field, c.old.as_deref(), c.new.as_deref()))
                .collect();
            assert_eq!(
                c,
                [
                    (Field::Plate, Some("晋D10001"), Some("晋D10009")),
                    (Field::Cargo, Some("other"), Some("emergency")),
                    (Field::Origin, Some("太原"), None),
                ]
            );
        }
        e => panic!("{e:?}"),
    }
    let d = detail(&lot, "晋D10009");
    assert_eq!(d.cargo, trucklot::domain::policy::Cargo::Emergency);
    assert_eq!(d.origin, None);
    let before = lot.events();
    // Another truck on site has that plate.
    assert!(matches!(
        lot.exec(&Op::Correct {
            plate: plate("晋D10009"),
            changes: vec![(Field::Plate, "晋D10002".into())],
        }),
        Err(OpError::Refused(Refusal::AlreadyOnSite { .. }))
    ));
    // Nothing would change.
    assert!(matches!(
        lot.exec(&Op::Correct {
            plate: plate("晋D10009"),
            changes: vec![(Field::Cargo, "emergency".into())],
        }),
        Err(OpError::Refused(Refusal::NothingToCorrect(_)))
    ));
    // Not a phone, not a cargo.
    for (f, v) in [(Field::Phone, "12345"), (Field::Cargo, "gold")] {
        assert!(matches!(
            lot.exec(&Op::Correct {
                plate: plate("晋D10009"),
                changes: vec![(f, v.into())],
            }),
            Err(OpError::Invalid(_))
        ));
    }
    assert_eq!(lot.events(), before, "refusals write nothing");
    assert!(lot.store.check().unwrap().ok());
}

#[test]
fn the_previews_ask_the_same_rules_the_operations_follow() {
    let mut lot = Lot::new();
    let mut a = arrival("晋D10001");
    a.cargo = trucklot::domain::policy::Cargo::Emergency;
    lot.ok(arrive_op(a));
    let p = plate("晋D10001");
    let preview = trucklot::ops::suggested_bay(&mut lot.store, &p, &[Zone::Isolation]).unwrap();
    let state = trucklot::ops::stay_state(&mut lot.store, &p)
        .unwrap()
        .unwrap();
    assert!(!state.under_isolation());
    let out = lot.ok(Op::Isolate {
        plate: p.clone(),
        reason: "cough".into(),
        bay: None,
    });
    assert_eq!(
        preview, out.bay,
        "the preview is the bay the operation took"
    );
    let state = trucklot::ops::stay_state(&mut lot.store, &p)
        .unwrap()
        .unwrap();
    assert!(state.under_isolation());
    assert_eq!(
        trucklot::ops::stay_state(&mut lot.store, &plate("晋D99999")).unwrap(),
        None
    );
}

/// A result still owed by a truck let out by force stays on the clocks
/// until it comes, and turns overdue like any other (found by a new user's
/// try: it dropped off the board, so a lost result was never chased, and
/// a positive in it never reported).
#[test]
fn a_result_owed_by_a_truck_that_left_stays_on_the_clocks() {
    let owed = |lot: &Lot| {
        let facts = lot.store.clock_facts().unwrap();
        clocks::clocks(&facts, &lot.policy)
            .into_iter()
            .filter(|c| matches!(c.kind, ClockKind::Result { .. }))
            .map(|c| (c.overdue(lot.now()), c.truck.unwrap()))
            .map(|(late, t)| (t, late))
            .collect::<Vec<_>>()
    };
    let mut lot = Lot::new();
    arrive(&mut lot);
    lot.ok(sample_op(T, TestKind::Antigen));
    lot.advance(mins(1));
    lot.ok(force());
    let clocks_now = owed(&lot);
    assert_eq!(clocks_now.len(), 1);
    assert_eq!(clocks_now[0].0.plate.as_str(), T);
    assert_eq!(clocks_now[0].0.bay, None, "it has left");
    assert!(!clocks_now[0].1);
    lot.advance(mins(30));
    assert!(owed(&lot)[0].1, "overdue like any result");
    lot.ok(result_op(T, TestKind::Antigen, TestResult::Negative));
    assert!(owed(&lot).is_empty());
}

/// A result is not recorded before its sample was taken: with another
/// terminal's clock ahead, the log would have the answer before the
/// question (found by a new user's try on the demo, whose clock runs ahead).
#[test]
fn a_result_before_its_sample_is_refused() {
    let mut lot = Lot::new();
    arrive(&mut lot);
    lot.ok(sample_op(T, TestKind::Antigen));
    // Within the minute two laptops' clocks may differ: the result is
    // still after its sample.
    lot.advance(-Duration::seconds(30));
    let before = lot.events();
    assert!(matches!(
        lot.refused(result_op(T, TestKind::Antigen, TestResult::Negative)),
        Refusal::ResultBeforeSample { .. }
    ));
    assert_eq!(lot.events(), before);
    // Further behind, any write is refused, a forced departure too (found
    // by a new user's try on a demo lot, whose clock runs ahead: it failed
    // with the database's raw CHECK message).
    lot.advance(-mins(10));
    for op in [
        result_op(T, TestKind::Antigen, TestResult::Negative),
        force(),
    ] {
        assert!(matches!(lot.refused(op), Refusal::ClockBehind { .. }));
    }
    assert_eq!(lot.events(), before);
    lot.advance(mins(11));
    lot.ok(result_op(T, TestKind::Antigen, TestResult::Negative));
}
