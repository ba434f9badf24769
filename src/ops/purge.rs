//! Purging personal data: names, phones, temperatures and health codes of
//! the stays that ended before a date are blanked, in the log's personal
//! table and in the state, with one `purged` event. Counts, findings and
//! the log's shape stay; `check` still passes.

use chrono::{DateTime, Utc};

use super::{OpError, Outcome, Refusal, Writer};
use crate::domain::event::Event;

/// Whether a purge of what ended before `before` may run at `now`: it only
/// reaches back. A stay that ends after the purge must keep its data, and
/// a replay must blank exactly what this purge blanked. The command line
/// asks this before its confirmation; the operation decides by it.
pub fn reaches_back(before: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    before <= now
}

pub(super) fn run(w: &mut Writer<'_, '_>, before: DateTime<Utc>) -> Result<Outcome, OpError> {
    if !reaches_back(before, w.meta.at) {
        return Err(OpError::Invalid(
            "a purge only reaches back: its date must not be in the future".into(),
        ));
    }
    let stays = w.tx.purge_personal(before)?;
    if stays == 0 {
        return Err(Refusal::NothingToPurge { before }.into());
    }
    w.record(Event::Purged { before, stays })?;
    Ok(Outcome {
        stay: None,
        plate: None,
        bay: None,
        events: Vec::new(),
        proposal: None,
        notes: Vec::new(),
    })
}
