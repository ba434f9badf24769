//! Operations: the only way anything changes. The CLI and the TUI both build
//! an `Op` and call `execute`.
//!
//! Each operation runs inside one `BEGIN IMMEDIATE` transaction: load the
//! snapshot the rule needs, ask the pure domain rule, record the event(s)
//! (append + project), commit. A refusal rolls everything back and is a typed
//! reason, never a panic. One file per group of operations.

mod action;
mod arrive;
mod bays;
mod correct;
mod depart;
mod handoff;
mod import;
mod isolation;
mod move_truck;
mod purge;
mod recheck;
mod refusal;
mod service;
mod tests;
mod undo;

use chrono::{DateTime, Utc};

use crate::domain::bay::{BayId, Zone};
use crate::domain::clock::Clock;
use crate::domain::event::{
    ArrivalRecord, Event, Field, HandoffMode, LoggedEvent, ServiceKind, StayId, Target, TestKind,
    TestResult,
};
use crate::domain::plate::Plate;
use crate::domain::policy::{HealthCode, Policy, Temperature};
use crate::domain::stay::{self, Action, Blocker, StayState};
use crate::domain::suggest::suggest;
use crate::domain::text;
use crate::store::{EventMeta, Store, StoreError, Tx};

pub use action::ActionId;
pub use arrive::plan;
pub use import::{
    ImportMode, ImportReport, ImportRow, ResultRow, RowNext, RowRefusal, RowVerdict, import_results,
};
pub use purge::reaches_back as purge_reaches_back;
pub use refusal::{OpError, Refusal};

/// Who is acting, from where, by which clock and policy.
pub struct Ctx<'a> {
    pub operator: &'a str,
    pub terminal: &'a str,
    pub clock: &'a dyn Clock,
    pub policy: &'a Policy,
    /// The id the client gave this action (`--action-id`), to be recorded
    /// once however often it is sent; `None`: a new id per operation.
    pub action: Option<&'a ActionId>,
}

/// Everything an operator can do.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    Arrive {
        arrival: ArrivalRecord,
        /// A bay the operator picked instead of the suggestion.
        bay: Option<BayId>,
        /// Required when the chosen bay's zone differs from what the checks say.
        override_reason: Option<String>,
    },
    Move {
        plate: Plate,
        to: BayId,
    },
    Depart {
        plate: Plate,
        /// Overrides the departure rules; recorded.
        force_reason: Option<String>,
    },
    Sample {
        plate: Plate,
        test: TestKind,
        /// The tube's barcode; generated when absent.
        tube: Option<String>,
        batch: Option<String>,
    },
    Result {
        plate: Plate,
        test: TestKind,
        result: TestResult,
    },
    Isolate {
        plate: Plate,
        reason: String,
        bay: Option<BayId>,
    },
    Release {
        plate: Plate,
        reason: String,
        /// Who decided the release.
        by: String,
        bay: Option<BayId>,
    },
    Escalate {
        plate: Plate,
        note: String,
    },
    HandoffStart {
        plate: Plate,
        mode: HandoffMode,
        /// A transfer's receiving vehicle (required for a transfer).
        receiver: Option<Plate>,
        /// A transfer's receiving company (required for a transfer).
        company: Option<String>,
        /// An escort's escorting unit (required for an escort).
        escort: Option<String>,
        /// Who authorised it (required for a truck under isolation's authority).
        by: Option<String>,
        bay: Option<BayId>,
    },
    HandoffDone {
        plate: Plate,
    },
    /// The handoff arrived at its destination (the truck may have left).
    HandoffConfirm {
        plate: Plate,
    },
    /// Puts right what the gate typed for the plate's latest stay: each
    /// field with its new text (empty clears an optional one).
    Correct {
        plate: Plate,
        changes: Vec<(Field, String)>,
    },
    /// Records that personal data was shown or exported unmasked (`what`:
    /// the command), about the plate's latest stay if one is named.
    Disclose {
        what: String,
        plate: Option<Plate>,
    },
    /// Records `policy` as the lot's, for every terminal (refused when it
    /// already is).
    SetPolicy {
        policy: Policy,
    },
    /// A new measurement of person `person` (0 = the driver).
    Recheck {
        plate: Plate,
        person: u8,
        temperature: Temperature,
        code: HealthCode,
    },
    ServiceRequest {
        plate: Plate,
        service: ServiceKind,
    },
    ServiceDone {
        plate: Plate,
        service: Option<ServiceKind>,
    },
    Disinfect {
        target: Target,
    },
    CloseBay {
        bay: BayId,
        reason: String,
    },
    OpenBay {
        bay: BayId,
    },
    /// Takes back this operator's last action with a compensating event.
    /// `expected`: the event the operator was shown and confirmed (refused
    /// if it is no longer their last action).
    Undo {
        expected: Option<i64>,
    },
    /// Blanks the personal data of the stays that ended before `before`.
    Purge {
        before: DateTime<Utc>,
    },
}

/// What an operation proposes next (the operator confirms or ignores it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Proposal {
    /// A positive result or a flagged recheck: move the truck to this
    /// isolation bay (`None`: the zone is full).
    Isolate { bay: Option<BayId> },
    /// An isolation bay freed while a truck waits on the holding list.
    IsolateWaiting { plate: Plate, bay: BayId },
    /// An invalid result: take the sample again.
    Resample(TestKind),
}

/// What an operation did.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub stay: Option<StayId>,
    pub plate: Option<Plate>,
    /// The bay the truck (or the action) ended up in.
    pub bay: Option<BayId>,
    pub events: Vec<(i64, Event)>,
    pub proposal: Option<Proposal>,
    /// What else happened that the operator should be told.
    pub notes: Vec<Note>,
}

/// Something an operation did besides its main event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// Flagged, but the isolation zone is full: the truck waits on the
    /// holding list in a work lane.
    Holding,
    /// An open service call was closed because the truck departed.
    ServiceClosedAtDeparture(ServiceKind),
    /// A positive result came back after the truck left: the case is to
    /// be reported (escalated), and the clocks say so until it is.
    PositiveAfterDeparture,
    /// The truck is back, and the report owed for its last stay's positive
    /// is still to be made (`escalate` makes it first).
    ReportOwed,
    /// A corrected plate's last stay left with a positive that still
    /// stands: the truck carries it now, as its arrival would have.
    PositiveCarried,
}

/// Runs `op` in one transaction, as the client's action (`ctx.action`) or
/// a new one.
pub fn execute(store: &mut Store, ctx: &Ctx<'_>, op: &Op) -> Result<Outcome, OpError> {
    match ctx.action {
        Some(id) => execute_action(store, ctx, id, op),
        None => execute_action(store, ctx, &ActionId::new(), op),
    }
}

/// Runs `op` in one transaction as the action `action`: recorded with its
/// events, once. Sent again with the same id (a retry whose first commit
/// was never acknowledged), it is found done — `OpError::AlreadyDone` —
/// and nothing is recorded twice.
pub fn execute_action(
    store: &mut Store,
    ctx: &Ctx<'_>,
    action: &ActionId,
    op: &Op,
) -> Result<Outcome, OpError> {
    let meta = EventMeta {
        at: ctx.clock.now(),
        operator: ctx.operator,
        terminal: ctx.terminal,
    };
    store.write(|tx| {
        if let Some((event, kind)) = tx.action_done(action.as_str())? {
            return Err(OpError::AlreadyDone {
                action: action.to_string(),
                event,
                kind,
            });
        }
        // A terminal whose clock is behind the lot's log would write events
        // before those already recorded: a departure before the result
        // that came after it, a stretch in a bay that ends before it began.
        // A minute's difference between laptops is let be.
        if let Some(last) = tx.latest_event_at()?
            && meta.at < last - chrono::Duration::minutes(1)
        {
            return Err(Refusal::ClockBehind { now: meta.at, last }.into());
        }
        let mut w = Writer {
            tx,
            meta: &meta,
            policy: ctx.policy,
            events: Vec::new(),
        };
        let mut out = match op {
            Op::Arrive {
                arrival,
                bay,
                override_reason,
            } => arrive::run(&mut w, arrival, bay.as_ref(), override_reason.as_deref()),
            Op::Move { plate, to } => move_truck::run_move(&mut w, plate, to),
            Op::Depart {
                plate,
                force_reason,
            } => depart::run(&mut w, plate, force_reason.as_deref()),
            Op::Sample {
                plate,
                test,
                tube,
                batch,
            } => tests::sample(&mut w, plate, *test, tube.as_deref(), batch.as_deref()),
            Op::Result {
                plate,
                test,
                result,
            } => tests::result(&mut w, plate, *test, *result),
            Op::Isolate { plate, reason, bay } => {
                isolation::isolate(&mut w, plate, reason, bay.as_ref())
            }
            Op::Release {
                plate,
                reason,
                by,
                bay,
            } => isolation::release(&mut w, plate, reason, by, bay.as_ref()),
            Op::Escalate { plate, note } => isolation::escalate(&mut w, plate, note),
            Op::HandoffStart {
                plate,
                mode,
                receiver,
                company,
                escort,
                by,
                bay,
            } => handoff::start(
                &mut w,
                plate,
                &handoff::Start {
                    mode: *mode,
                    receiver: receiver.as_ref(),
                    company: company.as_deref(),
                    escort: escort.as_deref(),
                    by: by.as_deref(),
                },
                bay.as_ref(),
            ),
            Op::HandoffDone { plate } => handoff::done(&mut w, plate),
            Op::HandoffConfirm { plate } => handoff::confirm(&mut w, plate),
            Op::Recheck {
                plate,
                person,
                temperature,
                code,
            } => recheck::run(&mut w, plate, *person, *temperature, *code),
            Op::Correct { plate, changes } => correct::run(&mut w, plate, changes),
            Op::SetPolicy { policy } => bays::set_policy(&mut w, policy),
            Op::Disclose { what, plate } => bays::disclose(&mut w, what, plate.as_ref()),
            Op::ServiceRequest { plate, service } => service::request(&mut w, plate, *service),
            Op::ServiceDone { plate, service } => service::done(&mut w, plate, *service),
            Op::Disinfect { target } => bays::disinfect(&mut w, target),
            Op::CloseBay { bay, reason } => bays::close(&mut w, bay, reason),
            Op::OpenBay { bay } => bays::open(&mut w, bay),
            Op::Undo { expected } => undo::run(&mut w, *expected),
            Op::Purge { before } => purge::run(&mut w, *before),
        }?;
        if out.proposal.is_none() {
            out.proposal = w.propose_for_holding()?;
        }
        out.events = std::mem::take(&mut w.events);
        if let (Some((first, _)), Some((last, _))) = (out.events.first(), out.events.last()) {
            w.tx.record_action(action.as_str(), *first, *last)?;
        }
        Ok(out)
    })
}

/// The action `operator` would take back with `Op::Undo` now, or why it
/// cannot: for the confirmation that names it.
pub fn undo_target(store: &mut Store, operator: &str) -> Result<LoggedEvent, OpError> {
    store.read(|tx| undo::target(tx, operator, None))
}

/// Everything the rules know about the plate's stay on site (`None`: not
/// on site): for previews that must ask the rules, not copy them —
/// `StayState::under_isolation`, what is pending, `stay::check`.
pub fn stay_state(store: &mut Store, plate: &Plate) -> Result<Option<StayState>, OpError> {
    store.read(|tx| Ok(tx.open_stay(plate)?))
}

/// Whether `plate`'s last stay left with a positive result that still
/// stands, which flags its arrival (`plan`'s `positive_before`): the form
/// asks it for the plate typed, as the operation will.
pub fn positive_before(store: &mut Store, plate: &Plate) -> Result<bool, StoreError> {
    store.read(|tx| arrive::positive_before_in(tx, plate))
}

/// Whether `Op::Escalate` would be taken for `plate` now, and the stay it
/// would report (the latest, which may have left with a positive result):
/// the interface asks before it asks for the note. The operation asks the
/// same again when it runs.
pub fn escalation_check(store: &mut Store, plate: &Plate) -> Result<StayState, OpError> {
    store.read(|tx| isolation::escalation_target(tx, plate))
}

/// The bay of `zones[0]` that isolate, release or handoff start would give
/// this truck (nearest the exit for priority cargo), as the operation would
/// pick it now; `None`: none is free. A truck not on site is refused as
/// the operation would refuse it (not taken for a full zone).
pub fn suggested_bay(
    store: &mut Store,
    plate: &Plate,
    zones: &[Zone],
) -> Result<Option<BayId>, OpError> {
    store.read(|tx| {
        let stay = tx
            .open_stay(plate)?
            .ok_or_else(|| Refusal::NotOnSite(plate.clone()))?;
        let priority = tx.cargo_of(stay.id)?.is_priority();
        suggest_in(tx, zones, priority)
    })
}

/// The suggested free bay of `zones[0]`, by the lot's one rule.
fn suggest_in(tx: &Tx<'_>, zones: &[Zone], priority: bool) -> Result<Option<BayId>, OpError> {
    let Some(&zone) = zones.first() else {
        return Ok(None);
    };
    let layout = tx.layout();
    let mask = tx.free_mask(zone)?;
    Ok(suggest(layout, zone, priority, |i| mask[i]).map(|i| layout.bays[i].id.clone()))
}

/// What stands between the truck and the gate out, as `Op::Depart` would
/// find it now (empty: it may leave). For the TUI's departure confirmation.
pub fn departure_blockers(
    store: &mut Store,
    policy: &Policy,
    plate: &Plate,
) -> Result<Vec<Blocker>, OpError> {
    store.read(|tx| {
        let stay = tx
            .open_stay(plate)?
            .ok_or_else(|| Refusal::NotOnSite(plate.clone()))?;
        Ok(stay::departure_blockers(&stay, policy))
    })
}

/// The transaction as an operation sees it, collecting what it records.
struct Writer<'w, 'c> {
    tx: &'w mut Tx<'c>,
    meta: &'w EventMeta<'w>,
    policy: &'w Policy,
    events: Vec<(i64, Event)>,
}

impl Writer<'_, '_> {
    /// When this operation freed an isolation bay and a truck waits on the
    /// holding list, the bay to propose for it.
    fn propose_for_holding(&self) -> Result<Option<Proposal>, OpError> {
        let freed = self.events.iter().any(|(_, e)| match e {
            Event::Moved { from, .. }
            | Event::Released { from, .. }
            | Event::HandoffStarted { from, .. }
            | Event::Departed { from, .. } => from.zone() == Zone::Isolation,
            Event::BayOpened { bay } => bay.zone() == Zone::Isolation,
            _ => false,
        });
        if !freed {
            return Ok(None);
        }
        let Some(plate) = self.tx.first_holding()? else {
            return Ok(None);
        };
        Ok(self
            .pick_bay(None, &[Zone::Isolation], false)
            .ok()
            .map(|bay| Proposal::IsolateWaiting { plate, bay }))
    }

    fn record(&mut self, event: Event) -> Result<i64, OpError> {
        let id = self.tx.record(self.meta, &event)?;
        self.events.push((id, event));
        Ok(id)
    }

    /// The open stay of `plate`, checked against `action`.
    fn stay_for(&self, plate: &Plate, action: Action) -> Result<StayState, OpError> {
        let stay = self
            .tx
            .open_stay(plate)?
            .ok_or_else(|| Refusal::NotOnSite(plate.clone()))?;
        stay::check(&stay, action).map_err(Refusal::Rule)?;
        Ok(stay)
    }

    /// The bay the stay is in; every stay on site has one.
    fn current_bay(&self, stay: &StayState) -> Result<BayId, OpError> {
        stay.bay.clone().ok_or_else(|| {
            StoreError::Decode(format!("stay {} is on site without a bay", stay.id)).into()
        })
    }

    /// `requested` if it is a free, open bay of one of `zones`; otherwise the
    /// suggested free bay of `zones[0]`.
    fn pick_bay(
        &self,
        requested: Option<&BayId>,
        zones: &[Zone],
        priority: bool,
    ) -> Result<BayId, OpError> {
        match requested {
            Some(bay) => {
                self.free_bay(bay)?;
                if !zones.contains(&bay.zone()) {
                    return Err(Refusal::WrongZone {
                        bay: bay.clone(),
                        expected: zones.to_vec(),
                    }
                    .into());
                }
                Ok(bay.clone())
            }
            None => suggest_in(self.tx, zones, priority)?
                .ok_or_else(|| Refusal::NoFreeBay(zones[0]).into()),
        }
    }

    /// Refuses unless `bay` exists, is open and is free.
    fn free_bay(&self, bay: &BayId) -> Result<(), OpError> {
        free_bay(self.tx, bay)
    }

    /// Moves a truck that `action` allows into a bay of `zones` (the one
    /// requested, or the suggestion: nearest the exit for priority cargo),
    /// recording the event `made` builds from the stay and both bays.
    fn relocate(
        &mut self,
        plate: &Plate,
        action: Action,
        requested: Option<&BayId>,
        zones: &[Zone],
        made: impl FnOnce(StayId, BayId, BayId) -> Event,
    ) -> Result<Outcome, OpError> {
        let stay = self.stay_for(plate, action)?;
        let from = self.current_bay(&stay)?;
        let priority = self.is_priority(stay.id)?;
        let to = self.pick_bay(requested, zones, priority)?;
        self.record(made(stay.id, from, to.clone()))?;
        Ok(outcome(&stay, Some(to)))
    }

    fn is_priority(&self, stay: StayId) -> Result<bool, OpError> {
        Ok(self.tx.cargo_of(stay)?.is_priority())
    }
}

/// A required free-text field, cleaned.
/// Refuses unless `bay` exists, is open and is free.
fn free_bay(tx: &Tx<'_>, bay: &BayId) -> Result<(), OpError> {
    let b = tx
        .bay(bay)?
        .ok_or_else(|| Refusal::UnknownBay(bay.clone()))?;
    if let Some((_, plate)) = b.occupant {
        return Err(Refusal::BayOccupied {
            bay: bay.clone(),
            plate,
        }
        .into());
    }
    if let Some(reason) = b.closed_reason {
        return Err(Refusal::BayClosed {
            bay: bay.clone(),
            reason,
        }
        .into());
    }
    Ok(())
}

/// Refuses `plate` for stay `owner` when another stay of it is on site.
fn plate_free_for(tx: &Tx<'_>, plate: &Plate, owner: Option<StayId>) -> Result<(), OpError> {
    match tx.open_stay(plate)? {
        Some(other) if Some(other.id) != owner => Err(Refusal::AlreadyOnSite {
            plate: plate.clone(),
            bay: other.bay.map(|b| b.to_string()).unwrap_or_default(),
        }
        .into()),
        _ => Ok(()),
    }
}

fn required(field: &str, value: &str) -> Result<String, OpError> {
    text::clean(field, value, true).map_err(|e| OpError::Invalid(e.to_string()))
}

/// An optional free-text field, cleaned; empty becomes `None`.
fn optional(field: &str, value: Option<&str>) -> Result<Option<String>, OpError> {
    match value {
        None => Ok(None),
        Some(v) => {
            let t = text::clean(field, v, false).map_err(|e| OpError::Invalid(e.to_string()))?;
            Ok((!t.is_empty()).then_some(t))
        }
    }
}

fn outcome(stay: &StayState, bay: Option<BayId>) -> Outcome {
    Outcome {
        stay: Some(stay.id),
        plate: Some(stay.plate.clone()),
        bay,
        events: Vec::new(),
        proposal: None,
        notes: Vec::new(),
    }
}
