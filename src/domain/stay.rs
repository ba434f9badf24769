//! The stay state machine: what may follow what in a truck's visit, and the
//! reason when it may not; and what stands between a truck and the gate out.
//!
//! `check` and `departure_blockers` are pure functions of a `StayState`
//! snapshot; the ops layer loads the snapshot, asks here, and only then
//! writes. The TUI asks the same functions for its previews, so what the
//! screen promises is what the operation does.

use serde::{Deserialize, Serialize};

use super::bay::{BayId, Zone};
use super::event::{HandoffMode, ServiceKind, StayId, TestKind, TestResult};
use super::plate::Plate;
use super::policy::{PersonCheck, Policy};

/// Where a stay is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// In a work, living or parking bay.
    Parked,
    /// Flagged by the checks, but the isolation zone was full: waiting in a
    /// work lane for the next free isolation bay.
    Holding,
    /// Held in the isolation zone, not yet released.
    Isolated,
    /// In a handoff bay, transfer or escort under way.
    Handoff,
    /// Handoff completed; waiting to gate out.
    HandoffDone,
    Departed,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Parked,
        Status::Holding,
        Status::Isolated,
        Status::Handoff,
        Status::HandoffDone,
        Status::Departed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Parked => "parked",
            Status::Holding => "holding",
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

/// A stay's handoff, once started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandoffState {
    pub mode: HandoffMode,
    /// Who authorised it (needed for a truck under isolation's authority).
    pub by: Option<String>,
    pub done: bool,
    pub confirmed: bool,
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
    /// Every result of the stay, oldest first.
    pub results: Vec<(TestKind, TestResult)>,
    /// The results of the truck's last stay, oldest first, when this stay's
    /// arrival was flagged for a positive that still stood there
    /// (`CheckFlag::PositiveBefore`); empty otherwise. That positive stands
    /// here too until a negative PCR clears it, there (a late result) or
    /// here: a truck does not shed a positive by leaving and coming back.
    pub carried: Vec<(TestKind, TestResult)>,
    pub handoff_required: bool,
    pub handoff: Option<HandoffState>,
    /// The kinds of the service calls still open, oldest first.
    pub open_services: Vec<ServiceKind>,
    /// The latest measurement of each person in the cab, driver first.
    pub checks: Vec<PersonCheck>,
    /// The driver declared a flagged travel history at the gate.
    pub travel_flag: bool,
    /// A release was recorded at or after the latest of `checks`: someone
    /// decided, knowing them, that the truck may go on.
    pub released_since_checks: bool,
}

impl StayState {
    /// How many people the cab holds (the driver and passengers).
    pub fn people(&self) -> u8 {
        u8::try_from(self.checks.len()).unwrap_or(u8::MAX)
    }

    /// The kinds of the open service calls, each once, the oldest call's
    /// first: which calls "done" may mean.
    pub fn open_kinds(&self) -> Vec<ServiceKind> {
        let mut kinds: Vec<ServiceKind> = Vec::new();
        for k in &self.open_services {
            if !kinds.contains(k) {
                kinds.push(*k);
            }
        }
        kinds
    }

    /// The latest result of `test`, if it has one.
    pub fn latest(&self, test: TestKind) -> Option<TestResult> {
        self.results
            .iter()
            .rev()
            .find(|(t, _)| *t == test)
            .map(|(_, r)| *r)
    }

    /// The test of a positive result that still stands: positive results are
    /// cleared only by a negative PCR recorded after the last of them (a
    /// negative antigen does not clear a positive). A positive carried from
    /// the truck's last stay counts as one recorded before this stay's own.
    pub fn standing_positive(&self) -> Option<TestKind> {
        if self.carried.is_empty() {
            return standing_positive(&self.results);
        }
        let all: Vec<_> = self.carried.iter().chain(&self.results).copied().collect();
        standing_positive(&all)
    }

    /// The positive that stands is the one carried from the truck's last
    /// stay: none of this stay's own results is one. Said so in refusals,
    /// since this stay's own results show nothing positive.
    pub fn positive_from_last_stay(&self) -> bool {
        self.standing_positive().is_some() && standing_positive(&self.results).is_none()
    }

    /// Under the isolation zone's authority: held there, waiting for it, or
    /// with a positive result that stands. Such a truck leaves only by a
    /// decision: a release, or an escorted handoff someone authorised.
    pub fn under_isolation(&self) -> bool {
        matches!(self.status, Status::Isolated | Status::Holding)
            || self.standing_positive().is_some()
    }

    /// An escort that a named person authorised has been started (it may
    /// be under way or done).
    fn authorised_escort(&self) -> bool {
        matches!(self.status, Status::Handoff | Status::HandoffDone)
            && self
                .handoff
                .as_ref()
                .is_some_and(|h| h.mode == HandoffMode::Escort && h.by.is_some())
    }

    /// What lets this truck out while a positive stands: never a forced
    /// departure, and not always a new escort (one may be under way, or a
    /// handoff that was none may have begun before the positive).
    fn positive_way_out(&self) -> WayOut {
        match self.status {
            Status::Handoff if self.authorised_escort() => WayOut::MarkEscortDone,
            Status::Handoff | Status::HandoffDone => WayOut::IsolateFirst,
            _ => WayOut::AuthorisedEscort,
        }
    }
}

/// The way out for a truck whose positive stands, which the refusal of its
/// departure names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WayOut {
    /// Start an escorted handoff naming who authorised it.
    AuthorisedEscort,
    /// Its authorised escort is under way: the handoff is to be marked done.
    MarkEscortDone,
    /// A handoff that is not an authorised escort began before the
    /// positive: isolate it, and an authorised escort takes it from there
    /// (a handoff is started once).
    IsolateFirst,
}

/// The test of a positive result among `results` (oldest first) that still
/// stands: positive results are cleared only by a negative PCR recorded after
/// the last of them.
pub fn standing_positive(results: &[(TestKind, TestResult)]) -> Option<TestKind> {
    let last = results
        .iter()
        .rposition(|(_, r)| *r == TestResult::Positive)?;
    let cleared = results[last + 1..]
        .iter()
        .any(|&(t, r)| t == TestKind::Pcr && r == TestResult::Negative);
    (!cleared).then_some(results[last].0)
}

/// Something an operator wants to do to a stay (departure has its own
/// function, `departure_blockers`, since it can be refused for many reasons
/// at once).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Move { to: Zone },
    Sample(TestKind),
    Result(TestKind),
    Isolate,
    Release,
    Escalate,
    HandoffStart { mode: HandoffMode, decided: bool },
    HandoffDone,
    HandoffConfirm,
    ServiceRequest,
    ServiceDone,
    Recheck { person: u8 },
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
    #[error("{plate} is waiting for an isolation bay: isolate it when one is free")]
    HoldingUseIsolate { plate: Plate },
    #[error("{plate} is in a handoff: complete it or move it to another handoff bay")]
    InHandoff { plate: Plate },
    #[error("use handoff start to move {plate} into the handoff zone")]
    UseHandoff { plate: Plate },
    #[error("{plate} already has {} {test} sample waiting for its result", article(*test))]
    SampleAlreadyPending { plate: Plate, test: TestKind },
    #[error("{plate} has no {test} sample waiting for a result")]
    NoPendingSample { plate: Plate, test: TestKind },
    #[error("{plate} is already in isolation")]
    AlreadyIsolated { plate: Plate },
    #[error("{plate} is not in isolation")]
    NotIsolated { plate: Plate },
    #[error(
        "{plate} has a positive {test} result{} that stands: it cannot be released (only a later negative PCR clears it); it leaves only under an authorised escort",
        if *last_stay { " of its last stay" } else { "" }
    )]
    PositiveNoRelease {
        plate: Plate,
        test: TestKind,
        /// The positive is the one carried from the truck's last stay.
        last_stay: bool,
    },
    #[error(
        "{plate} is under the isolation zone's authority: no cargo transfer; it leaves only under escort, authorised by a named person"
    )]
    TransferUnderIsolation { plate: Plate },
    #[error(
        "{plate} is under the isolation zone's authority: an escorted handoff needs who authorised it"
    )]
    EscortNeedsDecider { plate: Plate },
    #[error("{plate} already has a handoff under way or done")]
    HandoffAlreadyStarted { plate: Plate },
    #[error("{plate} has no handoff under way")]
    NoHandoff { plate: Plate },
    #[error(
        "{plate}'s cargo transfer began before its positive result: a positive truck's cargo is not handed on; isolate it, then start an escort someone authorised"
    )]
    TransferOfPositive { plate: Plate },
    #[error("{plate} has no finished handoff waiting for confirmation")]
    NoHandoffToConfirm { plate: Plate },
    #[error("{plate} has no open service call")]
    NoServiceCall { plate: Plate },
    #[error("{plate} has no person {person} in the cab ({})", cab_people(*.last))]
    NoSuchPerson { plate: Plate, person: u8, last: u8 },
}

/// Who a cab of persons 0..=last holds, for a refusal.
/// "a" or "an" before a test's name: "an antigen sample", "a pcr sample".
fn article(test: TestKind) -> &'static str {
    match test {
        TestKind::Antigen => "an",
        TestKind::Pcr => "a",
    }
}

fn cab_people(last: u8) -> String {
    match last {
        0 => "only the driver, person 0".to_string(),
        1 => "0 is the driver, 1 the passenger".to_string(),
        n => format!("0 is the driver, then passengers 1–{n}"),
    }
}

impl RuleRefusal {
    /// A stable key per reason, for translation and for scripts.
    pub fn key(&self) -> &'static str {
        match self {
            RuleRefusal::AlreadyDeparted { .. } => "already_departed",
            RuleRefusal::IsolatedUseRelease { .. } => "isolated_use_release",
            RuleRefusal::UseIsolate { .. } => "use_isolate",
            RuleRefusal::HoldingUseIsolate { .. } => "holding_use_isolate",
            RuleRefusal::InHandoff { .. } => "in_handoff",
            RuleRefusal::UseHandoff { .. } => "use_handoff",
            RuleRefusal::SampleAlreadyPending { .. } => "sample_already_pending",
            RuleRefusal::NoPendingSample { .. } => "no_pending_sample",
            RuleRefusal::AlreadyIsolated { .. } => "already_isolated",
            RuleRefusal::NotIsolated { .. } => "not_isolated",
            RuleRefusal::PositiveNoRelease { .. } => "positive_no_release",
            RuleRefusal::TransferUnderIsolation { .. } => "transfer_under_isolation",
            RuleRefusal::EscortNeedsDecider { .. } => "escort_needs_decider",
            RuleRefusal::HandoffAlreadyStarted { .. } => "handoff_already_started",
            RuleRefusal::NoHandoff { .. } => "no_handoff",
            RuleRefusal::TransferOfPositive { .. } => "transfer_of_positive",
            RuleRefusal::NoHandoffToConfirm { .. } => "no_handoff_to_confirm",
            RuleRefusal::NoServiceCall { .. } => "no_service_call",
            RuleRefusal::NoSuchPerson { .. } => "no_such_person",
        }
    }
}

/// May `action` follow the stay's current state?
pub fn check(stay: &StayState, action: Action) -> Result<(), RuleRefusal> {
    use RuleRefusal as R;
    let plate = || stay.plate.clone();
    // A result can come back, and a handoff be confirmed at its destination,
    // after the truck has left; a positive result that stands after it
    // left is reported (escalated). Nothing else can happen to a departed
    // stay.
    let after_departure = match action {
        Action::Result(_) | Action::HandoffConfirm => true,
        Action::Escalate => stay.standing_positive().is_some(),
        _ => false,
    };
    if stay.status == Status::Departed && !after_departure {
        return Err(R::AlreadyDeparted {
            plate: plate(),
            stay: stay.id,
        });
    }
    match action {
        Action::Move { to } => match (stay.status, to) {
            (Status::Holding, Zone::Isolation) => Err(R::UseIsolate { plate: plate() }),
            (Status::Holding, _) => Err(R::HoldingUseIsolate { plate: plate() }),
            (Status::Isolated, Zone::Isolation) => Ok(()),
            (Status::Isolated, _) => Err(R::IsolatedUseRelease { plate: plate() }),
            (_, Zone::Isolation) => Err(R::UseIsolate { plate: plate() }),
            (Status::Handoff | Status::HandoffDone, Zone::Handoff) => Ok(()),
            (Status::Handoff | Status::HandoffDone, _) => Err(R::InHandoff { plate: plate() }),
            (_, Zone::Handoff) => Err(R::UseHandoff { plate: plate() }),
            _ => Ok(()),
        },
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
        Action::Release => match (stay.status, stay.standing_positive()) {
            (Status::Isolated, Some(test)) => Err(R::PositiveNoRelease {
                plate: plate(),
                test,
                last_stay: stay.positive_from_last_stay(),
            }),
            (Status::Isolated, None) => Ok(()),
            _ => Err(R::NotIsolated { plate: plate() }),
        },
        Action::Escalate => match stay.status {
            Status::Isolated | Status::Holding | Status::Departed => Ok(()),
            _ => Err(R::NotIsolated { plate: plate() }),
        },
        Action::HandoffStart { mode, decided } => match stay.status {
            Status::Handoff | Status::HandoffDone => {
                Err(R::HandoffAlreadyStarted { plate: plate() })
            }
            _ if stay.under_isolation() => match mode {
                HandoffMode::Transfer => Err(R::TransferUnderIsolation { plate: plate() }),
                HandoffMode::Escort if !decided => Err(R::EscortNeedsDecider { plate: plate() }),
                HandoffMode::Escort => Ok(()),
            },
            _ => Ok(()),
        },
        Action::HandoffDone => match stay.status {
            // Containment: a transfer started before the positive came back
            // would hand that truck's cargo to a clean vehicle.
            Status::Handoff
                if stay.standing_positive().is_some()
                    && stay
                        .handoff
                        .as_ref()
                        .is_some_and(|h| h.mode == HandoffMode::Transfer) =>
            {
                Err(R::TransferOfPositive { plate: plate() })
            }
            Status::Handoff => Ok(()),
            _ => Err(R::NoHandoff { plate: plate() }),
        },
        Action::HandoffConfirm => match &stay.handoff {
            Some(h) if h.done && !h.confirmed => Ok(()),
            _ => Err(R::NoHandoffToConfirm { plate: plate() }),
        },
        Action::ServiceRequest => Ok(()),
        Action::ServiceDone if stay.open_services.is_empty() => {
            Err(R::NoServiceCall { plate: plate() })
        }
        Action::ServiceDone => Ok(()),
        Action::Recheck { person } if person >= stay.people().max(1) => Err(R::NoSuchPerson {
            plate: plate(),
            person,
            last: stay.people().saturating_sub(1),
        }),
        Action::Recheck { .. } => Ok(()),
    }
}

/// One thing that stands between a truck and the gate out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "blocker", rename_all = "snake_case")]
pub enum Blocker {
    /// A positive result stands (`last_stay`: the one carried from the
    /// truck's last stay). Never overridden: such a truck leaves only as an
    /// escorted handoff that a named person authorised.
    Positive {
        test: TestKind,
        last_stay: bool,
        way_out: WayOut,
    },
    /// Flagged and waiting for an isolation bay.
    WaitingForIsolation,
    /// In isolation and not released.
    NotReleased,
    /// The latest checks flag someone in the cab (a fever, a yellow or red
    /// code, a travel history the policy isolates for) and no isolation
    /// decision came after them: the truck was put elsewhere against the
    /// checks, or a recheck flagged it and it was not isolated.
    Flagged,
    /// The policy needs this test and it was never sampled.
    NoSample { test: TestKind },
    /// A sample is waiting for its result.
    ResultPending { test: TestKind },
    /// The latest result of this test is invalid: sample again.
    InvalidResult { test: TestKind },
    /// The handoff has started and is not done.
    HandoffUnderWay,
    /// The cargo needs a point-to-point handoff that has not happened.
    HandoffRequired,
    /// A medical call is open: someone in the cab asked for a doctor.
    MedicalCall,
}

impl Blocker {
    /// A stable key, for scripts, translation and the `departed` event.
    pub fn key(self) -> &'static str {
        match self {
            Blocker::Positive { .. } => "positive",
            Blocker::WaitingForIsolation => "waiting_for_isolation",
            Blocker::NotReleased => "not_released",
            Blocker::Flagged => "flagged",
            Blocker::NoSample { .. } => "no_sample",
            Blocker::ResultPending { .. } => "result_pending",
            Blocker::InvalidResult { .. } => "invalid_result",
            Blocker::HandoffUnderWay => "handoff_under_way",
            Blocker::HandoffRequired => "handoff_required",
            Blocker::MedicalCall => "medical_call",
        }
    }

    /// Whether an operator may override it with a reason.
    pub fn forceable(self) -> bool {
        !matches!(self, Blocker::Positive { .. })
    }
}

impl std::fmt::Display for Blocker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Blocker::Positive {
                test,
                last_stay: false,
                ..
            } => write!(f, "a positive {test} result stands"),
            Blocker::Positive {
                test,
                last_stay: true,
                ..
            } => write!(
                f,
                "a positive {test} result of its last stay stands (a negative PCR clears it)"
            ),
            Blocker::WaitingForIsolation => f.write_str("it is waiting for an isolation bay"),
            Blocker::NotReleased => f.write_str("it is in isolation and not released"),
            Blocker::Flagged => f.write_str(
                "its latest checks flag it (fever, code or travel) and it was not isolated since",
            ),
            Blocker::NoSample { test } => write!(f, "no {test} sample was taken"),
            Blocker::ResultPending { test } => write!(f, "the {test} result is pending"),
            Blocker::InvalidResult { test } => {
                write!(f, "the latest {test} result is invalid (sample again)")
            }
            Blocker::HandoffUnderWay => f.write_str("its handoff is under way (mark it done)"),
            Blocker::HandoffRequired => {
                f.write_str("it needs a point-to-point handoff that has not been done")
            }
            Blocker::MedicalCall => f.write_str("a medical call is open"),
        }
    }
}

/// Everything that stands between the stay and the gate out, in the order
/// an operator should deal with them. Empty: it may leave.
pub fn departure_blockers(stay: &StayState, policy: &Policy) -> Vec<Blocker> {
    let mut out = Vec::new();
    if stay.status == Status::Departed {
        return out;
    }
    // An escort that a named person authorised is the one way out for a
    // positive truck; that decision stands in for the tests. Under way, the
    // positive still holds it until the handoff is done: no reason forces
    // a positive truck past an escort that has not taken it yet.
    let escorted = stay.authorised_escort();
    if let Some(test) = stay.standing_positive()
        && !(escorted && stay.status == Status::HandoffDone)
    {
        out.push(Blocker::Positive {
            test,
            last_stay: stay.positive_from_last_stay(),
            way_out: stay.positive_way_out(),
        });
    }
    if !escorted {
        match stay.status {
            Status::Holding => out.push(Blocker::WaitingForIsolation),
            Status::Isolated => out.push(Blocker::NotReleased),
            _ if !stay.released_since_checks
                && !policy.findings(&stay.checks, stay.travel_flag).is_empty() =>
            {
                out.push(Blocker::Flagged)
            }
            _ => {}
        }
        for &test in &stay.pending {
            out.push(Blocker::ResultPending { test });
        }
        for test in policy.required_tests() {
            if !stay.pending.contains(&test) && stay.latest(test).is_none() {
                out.push(Blocker::NoSample { test });
            }
        }
        for test in [TestKind::Antigen, TestKind::Pcr] {
            if !stay.pending.contains(&test) && stay.latest(test) == Some(TestResult::Invalid) {
                out.push(Blocker::InvalidResult { test });
            }
        }
    }
    match stay.status {
        // A handoff begun before the positive is no way out (the positive
        // blocker says so: isolate first); "mark it done" would contradict it.
        Status::Handoff if way_out(&out) == Some(WayOut::IsolateFirst) => {}
        Status::Handoff => out.push(Blocker::HandoffUnderWay),
        Status::HandoffDone => {}
        _ if stay.handoff_required => out.push(Blocker::HandoffRequired),
        _ => {}
    }
    if stay.open_services.contains(&ServiceKind::Medical) {
        out.push(Blocker::MedicalCall);
    }
    out
}

/// Whether a reason may force the departure past these blockers: every
/// one of them can be overridden (a positive never can). The one answer
/// the operation, its dialogs and the command line's hint all ask.
pub fn may_be_forced(blockers: &[Blocker]) -> bool {
    blockers.iter().all(|b| b.forceable())
}

/// The way out named by the blockers' positive, if one stands: then no
/// reason forces the departure.
pub fn way_out(blockers: &[Blocker]) -> Option<WayOut> {
    blockers.iter().find_map(|b| match b {
        Blocker::Positive { way_out, .. } => Some(*way_out),
        _ => None,
    })
}

/// The blockers as one line: "no antigen sample was taken; a medical call is open".
pub fn blocker_list(blockers: &[Blocker]) -> String {
    blockers
        .iter()
        .map(|b| b.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
#[path = "stay_tests.rs"]
mod tests;
