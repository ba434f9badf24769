//! Operations: the only way anything changes. The CLI and the TUI both build
//! an `Op` and call `execute`.
//!
//! Each operation runs inside one `BEGIN IMMEDIATE` transaction: load the
//! snapshot the rule needs, ask the pure domain rule, record the event(s)
//! (append + project), commit. A refusal rolls everything back and is a typed
//! reason, never a panic. One file per group of operations.

mod arrive;
mod bays;
mod handoff;
mod isolation;
mod move_truck;
mod refusal;
mod service;
mod tests;

use crate::domain::bay::{BayId, Zone};
use crate::domain::clock::Clock;
use crate::domain::event::{
    ArrivalRecord, Event, HandoffMode, ServiceKind, StayId, Target, TestKind, TestResult,
};
use crate::domain::plate::Plate;
use crate::domain::policy::Policy;
use crate::domain::stay::{self, Action, StayState};
use crate::domain::suggest::suggest;
use crate::domain::text;
use crate::store::{EventMeta, Store, StoreError, Tx};

pub use arrive::triage;
pub use refusal::{OpError, Refusal};

/// Who is acting, from where, by which clock and policy.
pub struct Ctx<'a> {
    pub operator: &'a str,
    pub terminal: &'a str,
    pub clock: &'a dyn Clock,
    pub policy: &'a Policy,
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
        bay: Option<BayId>,
    },
    Escalate {
        plate: Plate,
        note: String,
    },
    HandoffStart {
        plate: Plate,
        mode: HandoffMode,
        counterpart: Option<String>,
        bay: Option<BayId>,
    },
    HandoffDone {
        plate: Plate,
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
}

/// What an operation proposes next (the operator confirms or ignores it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Proposal {
    /// A positive result: move the truck to this isolation bay.
    Isolate { bay: Option<BayId> },
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
}

/// Runs `op` in one transaction.
pub fn execute(store: &mut Store, ctx: &Ctx<'_>, op: &Op) -> Result<Outcome, OpError> {
    let meta = EventMeta {
        at: ctx.clock.now(),
        operator: ctx.operator,
        terminal: ctx.terminal,
    };
    store.write(|tx| {
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
            } => move_truck::run_depart(&mut w, plate, force_reason.as_deref()),
            Op::Sample { plate, test } => tests::sample(&mut w, plate, *test),
            Op::Result {
                plate,
                test,
                result,
            } => tests::result(&mut w, plate, *test, *result),
            Op::Isolate { plate, reason, bay } => {
                isolation::isolate(&mut w, plate, reason, bay.as_ref())
            }
            Op::Release { plate, reason, bay } => {
                isolation::release(&mut w, plate, reason, bay.as_ref())
            }
            Op::Escalate { plate, note } => isolation::escalate(&mut w, plate, note),
            Op::HandoffStart {
                plate,
                mode,
                counterpart,
                bay,
            } => handoff::start(&mut w, plate, *mode, counterpart.as_deref(), bay.as_ref()),
            Op::HandoffDone { plate } => handoff::done(&mut w, plate),
            Op::ServiceRequest { plate, service } => service::request(&mut w, plate, *service),
            Op::ServiceDone { plate, service } => service::done(&mut w, plate, *service),
            Op::Disinfect { target } => bays::disinfect(&mut w, target),
            Op::CloseBay { bay, reason } => bays::close(&mut w, bay, reason),
            Op::OpenBay { bay } => bays::open(&mut w, bay),
        }?;
        out.events = std::mem::take(&mut w.events);
        Ok(out)
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
            None => {
                let zone = zones[0];
                let layout = self.tx.layout();
                let mask = self.tx.free_mask(zone)?;
                let i =
                    suggest(layout, zone, priority, |i| mask[i]).ok_or(Refusal::NoFreeBay(zone))?;
                Ok(layout.bays[i].id.clone())
            }
        }
    }

    /// Refuses unless `bay` exists, is open and is free.
    fn free_bay(&self, bay: &BayId) -> Result<(), OpError> {
        let b = self
            .tx
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
    }
}
