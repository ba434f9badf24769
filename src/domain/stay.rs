//! The stay state machine: what may follow what in a truck's visit, and the
//! reason when it may not.
//!
//! `check` is a pure function of a `StayState` snapshot and an `Action`; the
//! ops layer loads the snapshot, asks here, and only then writes.

use serde::{Deserialize, Serialize};

use super::bay::{BayId, Zone};
use super::event::{StayId, TestKind};
use super::plate::Plate;

/// Where a stay is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// In a work, living or parking bay.
    Parked,
    /// Held in the isolation zone, not yet released.
    Isolated,
    /// In a handoff bay, transfer or escort under way.
    Handoff,
    /// Handoff completed; waiting to gate out.
    HandoffDone,
    Departed,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Parked,
        Status::Isolated,
        Status::Handoff,
        Status::HandoffDone,
        Status::Departed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Parked => "parked",
            Status::Isolated => "isolated",
            Status::Handoff => "handoff",
            Status::HandoffDone => "handoff_done",
            Status::Departed => "departed",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// What the rules need to know about a stay.
#[derive(Debug, Clone, PartialEq)]
pub struct StayState {
    pub id: StayId,
    pub plate: Plate,
    pub status: Status,
    pub bay: Option<BayId>,
    /// Tests sampled and still waiting for a result.
    pub pending: Vec<TestKind>,
    pub handoff_required: bool,
    pub open_service_calls: usize,
}

/// Something an operator wants to do to a stay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Move { to: Zone },
    Depart { forced: bool },
    Sample(TestKind),
    Result(TestKind),
    Isolate,
    Release,
    Escalate,
    HandoffStart,
    HandoffDone,
    ServiceRequest,
    ServiceDone,
}

/// Why the rules say no. Each becomes one line for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleRefusal {
    #[error("{plate} has already left (stay {stay})")]
    AlreadyDeparted { plate: Plate, stay: StayId },
    #[error("{plate} is in isolation: use release to move it out of the isolation zone")]
    IsolatedUseRelease { plate: Plate },
    #[error("{plate} is not isolated: use isolate to move a truck into the isolation zone")]
    UseIsolate { plate: Plate },
    #[error("{plate} is in a handoff: complete it or move it to another handoff bay")]
    InHandoff { plate: Plate },
    #[error("use handoff start to move {plate} into the handoff zone")]
    UseHandoff { plate: Plate },
    #[error(
        "{plate} has a {test} result pending: record it before departure, or force with a reason"
    )]
    ResultPending { plate: Plate, test: TestKind },
    #[error(
        "{plate} is in isolation and has not been released: release it, or force with a reason"
    )]
    NotReleased { plate: Plate },
    #[error(
        "{plate} needs a point-to-point handoff before leaving: complete it, or force with a reason"
    )]
    HandoffRequired { plate: Plate },
    #[error("{plate} already has a {test} sample waiting for its result")]
    SampleAlreadyPending { plate: Plate, test: TestKind },
    #[error("{plate} has no {test} sample waiting for a result")]
    NoPendingSample { plate: Plate, test: TestKind },
    #[error("{plate} is already in isolation")]
    AlreadyIsolated { plate: Plate },
    #[error("{plate} is not in isolation")]
    NotIsolated { plate: Plate },
    #[error("{plate} already has a handoff under way or done")]
    HandoffAlreadyStarted { plate: Plate },
    #[error("{plate} has no handoff under way")]
    NoHandoff { plate: Plate },
    #[error("{plate} has no open service call")]
    NoServiceCall { plate: Plate },
}

impl RuleRefusal {
    /// A stable key per reason, for translation and for scripts.
    pub fn key(&self) -> &'static str {
        match self {
            RuleRefusal::AlreadyDeparted { .. } => "already_departed",
            RuleRefusal::IsolatedUseRelease { .. } => "isolated_use_release",
            RuleRefusal::UseIsolate { .. } => "use_isolate",
            RuleRefusal::InHandoff { .. } => "in_handoff",
            RuleRefusal::UseHandoff { .. } => "use_handoff",
            RuleRefusal::ResultPending { .. } => "result_pending",
            RuleRefusal::NotReleased { .. } => "not_released",
            RuleRefusal::HandoffRequired { .. } => "handoff_required",
            RuleRefusal::SampleAlreadyPending { .. } => "sample_already_pending",
            RuleRefusal::NoPendingSample { .. } => "no_pending_sample",
            RuleRefusal::AlreadyIsolated { .. } => "already_isolated",
            RuleRefusal::NotIsolated { .. } => "not_isolated",
            RuleRefusal::HandoffAlreadyStarted { .. } => "handoff_already_started",
            RuleRefusal::NoHandoff { .. } => "no_handoff",
            RuleRefusal::NoServiceCall { .. } => "no_service_call",
        }
    }
}

/// May `action` follow the stay's current state?
pub fn check(stay: &StayState, action: Action) -> Result<(), RuleRefusal> {
    use RuleRefusal as R;
    let plate = || stay.plate.clone();
    if stay.status == Status::Departed {
        return Err(R::AlreadyDeparted {
            plate: plate(),
            stay: stay.id,
        });
    }
    match action {
        Action::Move { to } => match (stay.status, to) {
            (Status::Isolated, Zone::Isolation) => Ok(()),
            (Status::Isolated, _) => Err(R::IsolatedUseRelease { plate: plate() }),
            (_, Zone::Isolation) => Err(R::UseIsolate { plate: plate() }),
            (Status::Handoff | Status::HandoffDone, Zone::Handoff) => Ok(()),
            (Status::Handoff | Status::HandoffDone, _) => Err(R::InHandoff { plate: plate() }),
            (_, Zone::Handoff) => Err(R::UseHandoff { plate: plate() }),
            _ => Ok(()),
        },
        Action::Depart { forced: true } => Ok(()),
        Action::Depart { forced: false } => {
            if let Some(&test) = stay.pending.first() {
                Err(R::ResultPending {
                    plate: plate(),
                    test,
                })
            } else if stay.status == Status::Isolated {
                Err(R::NotReleased { plate: plate() })
            } else if stay.handoff_required && stay.status != Status::HandoffDone {
                Err(R::HandoffRequired { plate: plate() })
            } else {
                Ok(())
            }
        }
        Action::Sample(test) if stay.pending.contains(&test) => Err(R::SampleAlreadyPending {
            plate: plate(),
            test,
        }),
        Action::Sample(_) => Ok(()),
        Action::Result(test) if !stay.pending.contains(&test) => Err(R::NoPendingSample {
            plate: plate(),
            test,
        }),
        Action::Result(_) => Ok(()),
        Action::Isolate => match stay.status {
            Status::Isolated => Err(R::AlreadyIsolated { plate: plate() }),
            _ => Ok(()),
        },
        Action::Release | Action::Escalate => match stay.status {
            Status::Isolated => Ok(()),
            _ => Err(R::NotIsolated { plate: plate() }),
        },
        Action::HandoffStart => match stay.status {
            Status::Handoff | Status::HandoffDone => {
                Err(R::HandoffAlreadyStarted { plate: plate() })
            }
            _ => Ok(()),
        },
        Action::HandoffDone => match stay.status {
            Status::Handoff => Ok(()),
            _ => Err(R::NoHandoff { plate: plate() }),
        },
        Action::ServiceRequest => Ok(()),
        Action::ServiceDone if stay.open_service_calls == 0 => {
            Err(R::NoServiceCall { plate: plate() })
        }
        Action::ServiceDone => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stay(status: Status) -> StayState {
        StayState {
            id: StayId(1),
            plate: Plate::parse("晋D12345").unwrap(),
            status,
            bay: Some(BayId::parse("P-01-01").unwrap()),
            pending: vec![],
            handoff_required: false,
            open_service_calls: 0,
        }
    }

    fn all_actions() -> Vec<Action> {
        let mut v = vec![
            Action::Depart { forced: false },
            Action::Depart { forced: true },
            Action::Sample(TestKind::Antigen),
            Action::Sample(TestKind::Pcr),
            Action::Result(TestKind::Antigen),
            Action::Result(TestKind::Pcr),
            Action::Isolate,
            Action::Release,
            Action::Escalate,
            Action::HandoffStart,
            Action::HandoffDone,
            Action::ServiceRequest,
            Action::ServiceDone,
        ];
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
                (Departed, _) => "already_departed",
                (_, Action::Depart { forced: true }) => "ok",
                (Isolated, Action::Depart { .. }) => "not_released",
                (_, Action::Depart { .. }) => "ok",
                (_, Action::Sample(_)) => "ok",
                (_, Action::Result(_)) => "no_pending_sample",
                (Isolated, Action::Isolate) => "already_isolated",
                (_, Action::Isolate) => "ok",
                (Isolated, Action::Release | Action::Escalate) => "ok",
                (_, Action::Release | Action::Escalate) => "not_isolated",
                (Handoff | HandoffDone, Action::HandoffStart) => "handoff_already_started",
                (_, Action::HandoffStart) => "ok",
                (Handoff, Action::HandoffDone) => "ok",
                (_, Action::HandoffDone) => "no_handoff",
                (_, Action::ServiceRequest) => "ok",
                (_, Action::ServiceDone) => "no_service_call",
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

    #[test]
    fn departure_waits_for_results_and_handoff() {
        let mut s = stay(Status::Parked);
        s.pending = vec![TestKind::Pcr];
        let e = check(&s, Action::Depart { forced: false }).unwrap_err();
        assert_eq!(e.key(), "result_pending");
        assert!(e.to_string().contains("pcr"));
        assert!(check(&s, Action::Depart { forced: true }).is_ok());
        assert_eq!(
            check(&s, Action::Sample(TestKind::Pcr)).unwrap_err().key(),
            "sample_already_pending"
        );
        assert!(check(&s, Action::Result(TestKind::Pcr)).is_ok());

        let mut h = stay(Status::Parked);
        h.handoff_required = true;
        assert_eq!(
            check(&h, Action::Depart { forced: false })
                .unwrap_err()
                .key(),
            "handoff_required"
        );
        h.status = Status::HandoffDone;
        assert!(check(&h, Action::Depart { forced: false }).is_ok());
    }

    #[test]
    fn service_done_needs_an_open_call() {
        let mut s = stay(Status::Parked);
        s.open_service_calls = 2;
        assert!(check(&s, Action::ServiceDone).is_ok());
    }
}
