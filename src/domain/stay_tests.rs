//! The stay rules' tables: every status × action, and the departure
//! and isolation rules one by one.

use super::*;

/// A measurement that flags nothing.
const CLEAN: PersonCheck = PersonCheck {
    temperature: None,
    code: None,
};

fn stay(status: Status) -> StayState {
    StayState {
        id: StayId(1),
        plate: Plate::parse("晋D12345").unwrap(),
        status,
        bay: Some(BayId::parse("P-01-01").unwrap()),
        pending: vec![],
        results: vec![],
        carried: vec![],
        handoff_required: false,
        handoff: None,
        open_services: vec![],
        checks: vec![CLEAN],
        travel_flag: false,
        released_since_checks: false,
    }
}

fn all_actions() -> Vec<Action> {
    let mut v = vec![
        Action::Sample(TestKind::Antigen),
        Action::Sample(TestKind::Pcr),
        Action::Result(TestKind::Antigen),
        Action::Result(TestKind::Pcr),
        Action::Isolate,
        Action::Release,
        Action::Escalate,
        Action::HandoffDone,
        Action::HandoffConfirm,
        Action::ServiceRequest,
        Action::ServiceDone,
        Action::Recheck { person: 0 },
        Action::Recheck { person: 1 },
    ];
    for mode in [HandoffMode::Transfer, HandoffMode::Escort] {
        for decided in [false, true] {
            v.push(Action::HandoffStart { mode, decided });
        }
    }
    v.extend(Zone::ALL.map(|to| Action::Move { to }));
    v
}

/// The whole table, state × action, with the expected verdict key
/// ("ok" when allowed). Written out so a change to any rule shows up here.
#[test]
fn every_status_and_action_has_a_verdict() {
    use Status::*;
    let expect = |status: Status, action: Action| -> &'static str {
        match (status, action) {
            (_, Action::Result(_)) => "no_pending_sample",
            (_, Action::HandoffConfirm) => "no_handoff_to_confirm",
            (Departed, _) => "already_departed",
            (_, Action::Sample(_)) => "ok",
            (Isolated, Action::Isolate) => "already_isolated",
            (_, Action::Isolate) => "ok",
            (Isolated, Action::Release) => "ok",
            (_, Action::Release) => "not_isolated",
            (Isolated | Holding, Action::Escalate) => "ok",
            (_, Action::Escalate) => "not_isolated",
            (Handoff | HandoffDone, Action::HandoffStart { .. }) => "handoff_already_started",
            (
                Isolated | Holding,
                Action::HandoffStart {
                    mode: HandoffMode::Transfer,
                    ..
                },
            ) => "transfer_under_isolation",
            (Isolated | Holding, Action::HandoffStart { decided: false, .. }) => {
                "escort_needs_decider"
            }
            (_, Action::HandoffStart { .. }) => "ok",
            (Handoff, Action::HandoffDone) => "ok",
            (_, Action::HandoffDone) => "no_handoff",
            (_, Action::ServiceRequest) => "ok",
            (_, Action::ServiceDone) => "no_service_call",
            (_, Action::Recheck { person: 0 }) => "ok",
            (_, Action::Recheck { .. }) => "no_such_person",
            (
                Holding,
                Action::Move {
                    to: Zone::Isolation,
                },
            ) => "use_isolate",
            (Holding, Action::Move { .. }) => "holding_use_isolate",
            (
                Isolated,
                Action::Move {
                    to: Zone::Isolation,
                },
            ) => "ok",
            (Isolated, Action::Move { .. }) => "isolated_use_release",
            (
                _,
                Action::Move {
                    to: Zone::Isolation,
                },
            ) => "use_isolate",
            (Handoff | HandoffDone, Action::Move { to: Zone::Handoff }) => "ok",
            (Handoff | HandoffDone, Action::Move { .. }) => "in_handoff",
            (_, Action::Move { to: Zone::Handoff }) => "use_handoff",
            (_, Action::Move { .. }) => "ok",
        }
    };
    for status in Status::ALL {
        for action in all_actions() {
            let got = match check(&stay(status), action) {
                Ok(()) => "ok",
                Err(r) => r.key(),
            };
            assert_eq!(got, expect(status, action), "{status:?} × {action:?}");
        }
    }
}

fn keys(s: &StayState) -> Vec<&'static str> {
    departure_blockers(s, &Policy::default())
        .into_iter()
        .map(|b| b.key())
        .collect()
}

fn negative_antigen(s: &mut StayState) {
    s.results.push((TestKind::Antigen, TestResult::Negative));
}

#[test]
fn departure_needs_the_tests_the_policy_names() {
    let mut s = stay(Status::Parked);
    assert_eq!(keys(&s), ["no_sample"]);
    s.pending = vec![TestKind::Antigen];
    assert_eq!(keys(&s), ["result_pending"]);
    s.pending.clear();
    s.results.push((TestKind::Antigen, TestResult::Invalid));
    assert_eq!(keys(&s), ["invalid_result"]);
    negative_antigen(&mut s);
    assert!(keys(&s).is_empty());
    // A pending PCR holds the truck even when the policy does not need one.
    s.pending = vec![TestKind::Pcr];
    assert_eq!(keys(&s), ["result_pending"]);
    s.pending.clear();
    let p = Policy {
        require_pcr: true,
        ..Policy::default()
    };
    let b = departure_blockers(&s, &p);
    assert_eq!(
        b,
        [Blocker::NoSample {
            test: TestKind::Pcr
        }]
    );
    assert!(b[0].forceable());
}

#[test]
fn a_truck_its_checks_flag_leaves_only_after_an_isolation_decision() {
    use super::super::policy::{HealthCode, Temperature};
    let mut s = stay(Status::Parked);
    negative_antigen(&mut s);
    assert!(keys(&s).is_empty());
    // A passenger's fever, a driver's yellow code, a travel history.
    s.checks = vec![
        CLEAN,
        PersonCheck {
            temperature: Some(Temperature::new(37.3).unwrap()),
            code: Some(HealthCode::Green),
        },
    ];
    assert_eq!(keys(&s), ["flagged"]);
    assert!(departure_blockers(&s, &Policy::default())[0].forceable());
    s.checks = vec![PersonCheck {
        temperature: None,
        code: Some(HealthCode::Yellow),
    }];
    assert_eq!(keys(&s), ["flagged"]);
    s.checks = vec![CLEAN];
    s.travel_flag = true;
    assert_eq!(keys(&s), ["flagged"]);
    // A release after the checks is the decision.
    s.released_since_checks = true;
    assert!(keys(&s).is_empty());
    // In isolation or waiting for it, that is what holds it.
    s.released_since_checks = false;
    s.status = Status::Isolated;
    assert_eq!(keys(&s), ["not_released"]);
    s.status = Status::Holding;
    assert_eq!(keys(&s), ["waiting_for_isolation"]);
}

#[test]
fn a_positive_leaves_only_under_an_authorised_escort() {
    let mut s = stay(Status::Isolated);
    s.results.push((TestKind::Antigen, TestResult::Positive));
    assert_eq!(keys(&s), ["positive", "not_released"]);
    assert!(!departure_blockers(&s, &Policy::default())[0].forceable());
    // A negative antigen later does not clear it; a negative PCR does.
    negative_antigen(&mut s);
    assert_eq!(s.standing_positive(), Some(TestKind::Antigen));
    assert_eq!(
        check(&s, Action::Release).unwrap_err().key(),
        "positive_no_release"
    );
    s.status = Status::HandoffDone;
    s.handoff = Some(HandoffState {
        mode: HandoffMode::Escort,
        by: Some("李队长".into()),
        done: true,
        confirmed: false,
    });
    assert!(keys(&s).is_empty());
    s.handoff.as_mut().unwrap().by = None;
    assert_eq!(keys(&s), ["positive"]);
    s.status = Status::Isolated;
    s.results.push((TestKind::Pcr, TestResult::Negative));
    assert_eq!(s.standing_positive(), None);
    assert!(check(&s, Action::Release).is_ok());
}

/// A positive carried from the truck's last stay stands as one of its own
/// recorded first: not forceable, no release, not cleared by a negative
/// antigen, cleared by a negative PCR (here, or a late one there); and the
/// refusal says it is the last stay's.
#[test]
fn a_positive_carried_from_the_last_stay_stands_until_a_negative_pcr() {
    let mut s = stay(Status::Parked);
    negative_antigen(&mut s);
    assert!(keys(&s).is_empty());
    s.carried = vec![(TestKind::Antigen, TestResult::Positive)];
    assert_eq!(s.standing_positive(), Some(TestKind::Antigen));
    assert!(s.positive_from_last_stay());
    assert!(s.under_isolation());
    assert_eq!(
        departure_blockers(&s, &Policy::default()),
        [Blocker::Positive {
            test: TestKind::Antigen,
            last_stay: true,
            way_out: WayOut::AuthorisedEscort,
        }]
    );
    s.status = Status::Isolated;
    let refused = check(&s, Action::Release).unwrap_err();
    assert_eq!(refused.key(), "positive_no_release");
    assert!(
        refused.to_string().contains("of its last stay"),
        "{refused}"
    );
    // A positive of its own: that one is said.
    s.results.push((TestKind::Pcr, TestResult::Positive));
    assert!(!s.positive_from_last_stay());
    assert_eq!(s.standing_positive(), Some(TestKind::Pcr));
    s.results.pop();
    // A late negative PCR of the last stay clears it, as one here does.
    s.carried.push((TestKind::Pcr, TestResult::Negative));
    assert_eq!(s.standing_positive(), None);
    s.carried.pop();
    s.results.push((TestKind::Pcr, TestResult::Negative));
    assert_eq!(s.standing_positive(), None);
    assert!(check(&s, Action::Release).is_ok());
}

#[test]
fn handoffs_and_service_calls_hold_the_truck() {
    let mut s = stay(Status::Parked);
    negative_antigen(&mut s);
    s.handoff_required = true;
    assert_eq!(keys(&s), ["handoff_required"]);
    s.status = Status::Handoff;
    assert_eq!(keys(&s), ["handoff_under_way"]);
    s.status = Status::HandoffDone;
    assert!(keys(&s).is_empty());
    s.open_services = vec![ServiceKind::Water];
    assert!(
        keys(&s).is_empty(),
        "meal and water calls close at departure"
    );
    s.open_services.push(ServiceKind::Medical);
    assert_eq!(keys(&s), ["medical_call"]);
    let mut h = stay(Status::Holding);
    negative_antigen(&mut h);
    assert_eq!(keys(&h), ["waiting_for_isolation"]);
}

#[test]
fn a_positive_outside_isolation_is_still_under_its_authority() {
    let mut s = stay(Status::Parked);
    s.results.push((TestKind::Pcr, TestResult::Positive));
    let transfer = Action::HandoffStart {
        mode: HandoffMode::Transfer,
        decided: true,
    };
    assert_eq!(
        check(&s, transfer).unwrap_err().key(),
        "transfer_under_isolation"
    );
}

#[test]
fn rechecks_name_a_person_in_the_cab() {
    let mut s = stay(Status::Parked);
    s.checks = vec![CLEAN; 3];
    assert!(check(&s, Action::Recheck { person: 2 }).is_ok());
    let e = check(&s, Action::Recheck { person: 3 }).unwrap_err();
    assert!(e.to_string().contains("passengers 1–2"), "{e}");
    s.checks = vec![CLEAN];
    let e = check(&s, Action::Recheck { person: 1 }).unwrap_err();
    assert!(e.to_string().contains("only the driver"), "{e}");
}

/// A positive result that came back after the truck left is reported
/// (escalated) then; a departed truck with no positive standing is not.
#[test]
fn a_departed_truck_is_escalated_only_while_a_positive_stands() {
    let mut s = stay(Status::Departed);
    s.bay = None;
    let verdict = |s: &StayState| match check(s, Action::Escalate) {
        Ok(()) => "ok",
        Err(e) => e.key(),
    };
    assert_eq!(verdict(&s), "already_departed");
    s.results = vec![(TestKind::Antigen, TestResult::Positive)];
    assert_eq!(verdict(&s), "ok");
    s.results.push((TestKind::Pcr, TestResult::Negative));
    assert_eq!(verdict(&s), "already_departed", "a negative PCR cleared it");
    // Nothing else opens up after departure because of it.
    s.results.push((TestKind::Antigen, TestResult::Positive));
    for action in [Action::Isolate, Action::Release, Action::ServiceRequest] {
        assert_eq!(check(&s, action).unwrap_err().key(), "already_departed");
    }
}
