//! Why an operation did not happen: a typed reason that becomes one clear
//! line in the CLI (exit code 1, or 2 for invalid input) and a message in the
//! TUI.

use crate::domain::bay::{BayId, Zone};
use crate::domain::event::{ServiceKind, TestKind, TestResult};
use crate::domain::plate::Plate;
use crate::domain::policy::CheckFlag;
use crate::domain::stay::{Blocker, RuleRefusal, WayOut, blocker_list, way_out};
use crate::store::{OnFile, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error(transparent)]
    Rule(RuleRefusal),
    #[error("{0} is not on site")]
    NotOnSite(Plate),
    #[error("{plate} is already on site, in bay {bay}")]
    AlreadyOnSite { plate: Plate, bay: String },
    #[error("bay {0} is not in this lot")]
    UnknownBay(BayId),
    #[error("bay {bay} is occupied by {plate}")]
    BayOccupied { bay: BayId, plate: Plate },
    #[error("bay {bay} is closed ({reason})")]
    BayClosed { bay: BayId, reason: String },
    #[error("bay {0} is not closed")]
    BayNotClosed(BayId),
    #[error("no free bay in the {0} zone")]
    NoFreeBay(Zone),
    #[error(
        "no free isolation bay, and no free work lane for a flagged truck to wait in: pick a free bay of another zone and give the reason (an override)"
    )]
    NowhereToWait,
    #[error(
        "this terminal's clock ({}) is behind the lot's latest record ({}): check the clocks of the terminals (a demo lot lives ahead of real time: act on it in its interface)",
        now.format("%Y-%m-%d %H:%M UTC"), last.format("%Y-%m-%d %H:%M UTC")
    )]
    ClockBehind {
        now: chrono::DateTime<chrono::Utc>,
        last: chrono::DateTime<chrono::Utc>,
    },
    #[error(
        "{plate}'s sample was taken at {} by this lot's log, after this terminal's clock ({}): check the clocks of the terminals",
        taken.format("%Y-%m-%d %H:%M UTC"), now.format("%Y-%m-%d %H:%M UTC")
    )]
    ResultBeforeSample {
        plate: Plate,
        taken: chrono::DateTime<chrono::Utc>,
        now: chrono::DateTime<chrono::Utc>,
    },
    #[error("bay {bay} is not in the {} zone", zone_list(.expected))]
    WrongZone { bay: BayId, expected: Vec<Zone> },
    #[error("{plate} is already in bay {bay}")]
    SameBay { plate: Plate, bay: BayId },
    #[error("the checks send this truck to {suggested} ({}); to put it in bay {bay} give an override reason", flag_list(.flags))]
    OverrideNeedsReason {
        suggested: Zone,
        flags: Vec<CheckFlag>,
        bay: BayId,
    },
    #[error("the handoff zone is entered with handoff start, not at arrival")]
    ArriveInHandoff,
    #[error(
        "an override reason was given, but the bay agrees with the checks: there is nothing to override"
    )]
    NothingToOverride,
    #[error("{plate} may not leave: {}; {}", blocker_list(.blockers), force_hint(.blockers))]
    DepartureBlocked {
        plate: Plate,
        blockers: Vec<Blocker>,
    },
    #[error("tube {tube} is already used by {plate}'s {test} sample")]
    TubeInUse {
        tube: String,
        plate: Plate,
        test: TestKind,
    },
    #[error("{plate} has no open {kind} call (open: {})", service_list(.open))]
    NoServiceCallOfKind {
        plate: Plate,
        kind: ServiceKind,
        open: Vec<ServiceKind>,
    },
    #[error("{plate} has open calls of several kinds ({}): say which is done", open.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", "))]
    WhichServiceCall {
        plate: Plate,
        open: Vec<crate::domain::event::ServiceKind>,
    },
    #[error("nothing to correct: {0}'s record already says that")]
    NothingToCorrect(Plate),
    #[error(
        "{0} arrived carrying a positive from its last stay, which still stands: its plate is not corrected while it does (the positive would no longer follow the truck); a negative PCR clears it"
    )]
    CorrectCarriedPositive(Plate),
    #[error("the lot's policy already says that: nothing to record")]
    PolicyUnchanged,
    #[error("no sample has tube id {0}")]
    UnknownTube(String),
    #[error("{0} has no action left to undo")]
    NothingToUndo(String),
    #[error("event {event} is no longer your last action: look again before undoing")]
    UndoNotLast { event: i64 },
    /// `kind` is the log's kind (`isolated`); the interface language names
    /// it in words (`i18n::refusal::text`).
    #[error("a decision or a measurement ({kind}) is not undone: record the next one instead")]
    UndoDecision { kind: String },
    #[error("a positive result is not undone: only a later negative PCR clears it")]
    UndoPositive,
    #[error(
        "event {event} ({kind}) can no longer be undone: event {later} ({later_kind}, by {by}) came after it"
    )]
    UndoChangedSince {
        kind: String,
        event: i64,
        later: i64,
        later_kind: String,
        by: String,
    },
    #[error("event {event} can no longer be undone: its stay's personal data was purged")]
    UndoPurged { event: i64 },
    #[error("no stay that ended before {} still has personal data: nothing to purge", .before.format("%Y-%m-%d %H:%M UTC"))]
    NothingToPurge {
        before: chrono::DateTime<chrono::Utc>,
    },
    #[error("tube {tube} already has a {recorded} result; the file says {given}")]
    ResultConflict {
        tube: String,
        recorded: TestResult,
        given: TestResult,
    },
}

fn service_list(s: &[ServiceKind]) -> String {
    s.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ")
}

fn force_hint(b: &[Blocker]) -> &'static str {
    match way_out(b) {
        None => "deal with it, or force the departure with a reason",
        Some(WayOut::AuthorisedEscort) => {
            "a truck with a positive result leaves only under an authorised escort: start an escort handoff naming the escorting unit and who authorised it"
        }
        Some(WayOut::MarkEscortDone) => {
            "a truck with a positive result leaves only under its authorised escort: mark the handoff done once the escort has it"
        }
        Some(WayOut::IsolateFirst) => {
            "a truck with a positive result leaves only under an authorised escort, and its handoff is not one: isolate it, then start an escort naming who authorised it"
        }
    }
}

fn zone_list(z: &[Zone]) -> String {
    z.iter()
        .map(|z| z.as_str())
        .collect::<Vec<_>>()
        .join(" or ")
}

fn flag_list(f: &[CheckFlag]) -> String {
    if f.is_empty() {
        "clean checks".into()
    } else {
        f.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(", ")
    }
}

/// An operation's failure.
#[derive(Debug, thiserror::Error)]
pub enum OpError {
    /// The rules or the lot say no; nothing was written.
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// The input itself is malformed; nothing was written.
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// This action was already recorded (a retry): nothing was written again.
    #[error("action {action} was already done (event {event}, {kind}): nothing was recorded twice")]
    AlreadyDone {
        action: String,
        event: i64,
        kind: String,
    },
}

impl OnFile for OpError {
    fn on_file(self, file: &std::path::Path) -> OpError {
        match self {
            OpError::Store(e) => OpError::Store(e.on(file)),
            other => other,
        }
    }
}
