//! The projection of an `undone` event: the state as if the undone action
//! had not been taken, while the log keeps both. Whether an action may be
//! undone is the ops layer's question (`ops::undo`); here a reversal that
//! does not fit the state is an error that rolls the transaction back, as in
//! every projection.

use super::apply::{self, exec, leave_bay, move_between, one_row, take_bay};
use super::conn::{Db, args};
use super::{Result, StoreError};
use crate::domain::event::{Correction, Event};

/// Reverses event `undone` by the `undone` event `id`, recorded at `at`.
pub(super) fn apply(db: Db<'_>, id: i64, at: &str, undone: i64) -> Result<()> {
    let (original, original_at) = event(db, undone)?;
    exec(
        db,
        "INSERT INTO undos (event, by) VALUES (?1, ?2)",
        args![undone, id],
    )
    .map_err(|_| StoreError::Conflict(format!("event {undone} was already undone")))?;
    match &original {
        Event::Moved { stay, from, to } => move_between(db, *stay, to, from, id, at),
        Event::Arrived { stay, bay, .. } => {
            leave_bay(db, *stay, bay, at)?;
            one_row(
                exec(
                    db,
                    "UPDATE stays SET status = 'departed', departed_at = ?2, voided_by = ?3
                      WHERE id = ?1 AND departed_at IS NULL",
                    args![stay.0, at, id],
                )?,
                || format!("stay {stay} is not on site"),
            )
        }
        Event::Departed { stay, from, .. } => {
            one_row(
                exec(
                    db,
                    "UPDATE stays SET status = coalesce(status_before_leaving, 'parked'),
                            departed_at = NULL, forced_reason = NULL,
                            status_before_leaving = NULL, bay_since = ?2
                      WHERE id = ?1 AND departed_at IS NOT NULL AND voided_by IS NULL",
                    args![stay.0, at],
                )?,
                || format!("stay {stay} has not left"),
            )?;
            take_bay(db, *stay, from, id, at)?;
            // The calls the departure closed are open again, and their
            // closing is undone with it.
            // The event's own fields, read from its JSON as each engine can.
            let closed_by_departure = db.pick(
                "json_extract(e.details, '$.call') = c.id
                    AND json_extract(e.details, '$.at_departure') = 1",
                "(e.details::jsonb ->> 'call')::bigint = c.id
                    AND (e.details::jsonb -> 'at_departure') = 'true'::jsonb",
            );
            exec(
                db,
                &format!(
                    "INSERT INTO undos (event, by)
                 SELECT e.id, ?3 FROM events e JOIN service_calls c ON c.stay = e.stay
                  WHERE e.stay = ?1 AND e.kind = 'service_done' AND e.at = ?2
                    AND c.at_departure = 1 AND c.done_at = ?2
                    AND {closed_by_departure}
                    AND e.id < ?4 AND e.id NOT IN (SELECT event FROM undos)"
                ),
                args![stay.0, &original_at, id, undone],
            )?;
            exec(
                db,
                "UPDATE service_calls SET done_at = NULL, at_departure = 0
                  WHERE stay = ?1 AND at_departure = 1 AND done_at = ?2",
                args![stay.0, &original_at],
            )?;
            Ok(())
        }
        Event::SampleTaken { stay, .. } => one_row(
            exec(
                db,
                "DELETE FROM samples WHERE id = ?1 AND stay = ?2 AND result IS NULL",
                args![undone, stay.0],
            )?,
            || format!("sample {undone} has a result"),
        ),
        Event::ResultRecorded { stay, .. } => {
            one_row(
                exec(
                    db,
                    "UPDATE samples SET result = NULL, result_at = NULL, result_id = NULL
                      WHERE result_id = ?1",
                    args![undone],
                )?,
                || format!("result {undone} is not the sample's result"),
            )?;
            apply::mark_positive(db, *stay)
        }
        Event::ServiceRequested { .. } => one_row(
            exec(
                db,
                "DELETE FROM service_calls WHERE id = ?1 AND done_at IS NULL",
                args![undone],
            )?,
            || format!("service call {undone} is not open"),
        ),
        Event::ServiceDone { call, .. } => one_row(
            exec(
                db,
                "UPDATE service_calls SET done_at = NULL, at_departure = 0
                  WHERE id = ?1 AND done_at IS NOT NULL",
                args![call],
            )?,
            || format!("service call {call} is not done"),
        ),
        Event::BayClosed { bay, .. } => {
            one_row(
                exec(
                    db,
                    "UPDATE bays SET closed_reason = NULL WHERE id = ?1 AND closed_reason IS NOT NULL",
                    args![bay.as_str()],
                )?,
                || format!("bay {bay} is not closed"),
            )?;
            // The closure did happen for a while: its stretch ends now. The
            // stretch open now may be a later one: an opening that was
            // undone closed the bay again in a stretch of its own.
            one_row(
                exec(
                    db,
                    "UPDATE closures SET to_at = ?2 WHERE bay = ?1 AND to_at IS NULL",
                    args![bay.as_str(), at],
                )?,
                || format!("bay {bay} has no closure under way"),
            )
        }
        Event::BayOpened { bay } => {
            let reason = db.query_opt(
                "SELECT reason FROM closures WHERE bay = ?1 AND to_at = ?2
                  ORDER BY id DESC LIMIT 1",
                args![bay.as_str(), &original_at],
                |r| r.string(0),
            )?;
            let reason = reason.ok_or_else(|| {
                StoreError::Conflict(format!(
                    "bay {bay} has no closure that event {undone} ended"
                ))
            })?;
            apply::apply(
                db,
                id,
                super::parse_ts(at)?,
                &Event::BayClosed {
                    bay: bay.clone(),
                    reason,
                },
            )
        }
        Event::Corrected {
            stay,
            changes,
            findings,
        } => {
            let back = changes
                .iter()
                .map(|c| Correction {
                    field: c.field,
                    old: c.new.clone(),
                    new: c.old.clone(),
                })
                .collect();
            apply::apply(
                db,
                id,
                super::parse_ts(at)?,
                &Event::Corrected {
                    stay: *stay,
                    changes: back,
                    findings: Vec::new(),
                },
            )?;
            // What the corrected plate brought goes with it: the plate
            // given back is checked as it was.
            if !findings.is_empty() {
                apply::correct_findings(db, *stay, findings, false)?;
            }
            Ok(())
        }
        other => Err(StoreError::Conflict(format!(
            "a {} event cannot be undone",
            other.kind()
        ))),
    }
}

/// Event `id` of the log, decoded, with its time as stored.
fn event(db: Db<'_>, id: i64) -> Result<(Event, String)> {
    let row = db.query_opt(
        "SELECT kind, details, at FROM events WHERE id = ?1",
        args![id],
        |r| Ok((r.string(0)?, r.string(1)?, r.string(2)?)),
    )?;
    let (kind, details, at) =
        row.ok_or_else(|| StoreError::Conflict(format!("there is no event {id} to undo")))?;
    Ok((super::personal::decode(db, id, &kind, &details)?, at))
}
