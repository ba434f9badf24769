//! Undo: an operator takes back their own last action with a compensating
//! `undone` event; the log keeps both. Strict on purpose, as paper is: an
//! action is undone only while nothing has happened since to its truck or
//! bay, its bay is still free, and it is not a decision (an isolation, a
//! release, a handoff, a measurement stand until the next decision). Each
//! refusal says why. The projection of the undo is `store::undo`.

use super::{OpError, Outcome, Refusal, Writer};
use crate::domain::event::{Event, LoggedEvent, TestResult};
use crate::store::Tx;

/// The action `operator` would undo now, checked as `run` checks it: for
/// the confirmation that names it. `expected`: the event the operator was
/// shown, refused if it is no longer their last action.
pub(super) fn target(
    tx: &Tx<'_>,
    operator: &str,
    expected: Option<i64>,
) -> Result<LoggedEvent, OpError> {
    let last = tx
        .last_action_of(operator)?
        .ok_or_else(|| Refusal::NothingToUndo(operator.to_string()))?;
    if let Some(id) = expected
        && id != last.id
    {
        return Err(Refusal::UndoNotLast { event: id }.into());
    }
    let kind = last.event.kind().to_string();
    let stay = last.event.stay();
    match &last.event {
        Event::Moved { .. }
        | Event::Arrived { .. }
        | Event::Departed { .. }
        | Event::SampleTaken { .. }
        | Event::ServiceRequested { .. }
        | Event::ServiceDone { .. }
        | Event::BayClosed { .. }
        | Event::BayOpened { .. }
        | Event::Corrected { .. } => {}
        Event::ResultRecorded { result, .. } => {
            if *result == TestResult::Positive {
                return Err(Refusal::UndoPositive.into());
            }
        }
        _ => return Err(Refusal::UndoDecision { kind }.into()),
    }
    // The bay the action concerns, for "has anything happened there since".
    let bay = match &last.event {
        Event::BayClosed { bay, .. } | Event::BayOpened { bay } => Some(bay.clone()),
        Event::Moved { from, .. } | Event::Departed { from, .. } => Some(from.clone()),
        _ => None,
    };
    if let Some(later) = tx.next_standing_event(last.id, stay, bay.as_ref())? {
        return Err(Refusal::UndoChangedSince {
            kind,
            event: last.id,
            later: later.id,
            later_kind: later.event.kind().to_string(),
            by: later.operator,
        }
        .into());
    }
    if let Some(s) = stay
        && tx.is_purged(s)?
    {
        return Err(Refusal::UndoPurged { event: last.id }.into());
    }
    // Where the truck or the closure goes back to must be free now.
    match &last.event {
        Event::Moved { from: back, .. } | Event::Departed { from: back, .. } => {
            super::free_bay(tx, back)?;
        }
        Event::BayOpened { bay } => {
            if let Some((_, plate)) = tx.bay(bay)?.and_then(|b| b.occupant) {
                return Err(Refusal::BayOccupied {
                    bay: bay.clone(),
                    plate,
                }
                .into());
            }
        }
        _ => {}
    }
    if let (Event::Departed { .. }, Some(plate)) = (&last.event, &last.plate) {
        super::plate_free_for(tx, plate, None)?;
    }
    Ok(last)
}

pub(super) fn run(w: &mut Writer<'_, '_>, expected: Option<i64>) -> Result<Outcome, OpError> {
    let last = target(w.tx, w.meta.operator, expected)?;
    // A plate correction undone gives the plate back: it must be free.
    if let Event::Corrected { changes, .. } = &last.event {
        for c in changes {
            if c.field == crate::domain::event::Field::Plate
                && let Some(old) = &c.old
                && let Ok(p) = crate::domain::plate::Plate::parse(old)
            {
                super::plate_free_for(w.tx, &p, last.event.stay())?;
            }
        }
    }
    let bay = match &last.event {
        Event::Moved { from, .. } | Event::Departed { from, .. } => Some(from.clone()),
        Event::Arrived { bay, .. } | Event::BayClosed { bay, .. } | Event::BayOpened { bay } => {
            Some(bay.clone())
        }
        _ => last.bay.clone(),
    };
    w.record(Event::Undone {
        event: last.id,
        undone_kind: last.event.kind().to_string(),
        stay: last.event.stay(),
        bay: bay.clone(),
    })?;
    Ok(Outcome {
        stay: last.event.stay(),
        plate: last.plate.clone(),
        bay,
        events: Vec::new(),
        proposal: None,
        notes: Vec::new(),
    })
}
