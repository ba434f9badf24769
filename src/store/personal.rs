//! Personal data kept apart from the log.
//!
//! An event's names, phones, temperatures and health codes (the places
//! `Event::personal_slots` names) are stored in the `personal` table keyed
//! by the event and the place, and the event's own JSON holds a null there.
//! Reading an event puts them back; after a purge they read as null, so the
//! event still reads, with nothing personal in it. What is personal is the
//! domain's call; how it is kept apart is this module's, and nothing else in
//! the store touches `personal`.

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde_json::Value;

use super::conn::{Db, args};
use super::{Result, StoreError, ts};
use crate::domain::event::{Event, StayId};

/// The kinds that can hold personal data (a guard for reads: the others
/// never look in `personal`).
const KINDS_WITH_PERSONAL: [&str; 3] = ["arrived", "rechecked", "corrected"];

/// An event as the log stores it: its JSON without personal values, and
/// those values by place.
pub(super) struct Split {
    pub details: String,
    pub values: Vec<(String, String)>,
}

pub(super) fn split(event: &Event) -> Result<Split> {
    let mut json = serde_json::to_value(event).map_err(|e| StoreError::Decode(e.to_string()))?;
    let mut values = Vec::new();
    for slot in event.personal_slots() {
        if let Some(v) = json.pointer_mut(&slot)
            && !v.is_null()
        {
            values.push((slot, v.take().to_string()));
        }
    }
    Ok(Split {
        details: json.to_string(),
        values,
    })
}

/// Keeps the personal values of event `id` (about `stay`).
pub(super) fn keep(
    db: Db<'_>,
    id: i64,
    stay: Option<StayId>,
    values: &[(String, String)],
) -> Result<()> {
    // One statement for all of them (an arrival keeps three to a dozen).
    let rows: Vec<[super::conn::Value; 4]> = values
        .iter()
        .map(|(slot, value)| {
            [
                id.into(),
                slot.into(),
                stay.map(|s| s.0).into(),
                value.into(),
            ]
        })
        .collect();
    db.insert_rows("INSERT INTO personal (event, slot, stay, value)", &rows)?;
    Ok(())
}

/// The personal values of one event: each place with its value as JSON
/// (`None` once purged), in the order of their places.
pub(super) type Values = Vec<(String, Option<String>)>;

/// Event `id` as it happened: its stored JSON with its personal values put
/// back (null where they were purged). `kind` is the log's column, which
/// must agree with the JSON.
pub(super) fn decode(db: Db<'_>, id: i64, kind: &str, details: &str) -> Result<Event> {
    decode_with(id, kind, details, || values_of(db, id))
}

/// `decode`, with the event's personal values from `values`, asked only
/// for a kind that can hold them.
pub(super) fn decode_with(
    id: i64,
    kind: &str,
    details: &str,
    values: impl FnOnce() -> Result<Values>,
) -> Result<Event> {
    let bad = |e: String| StoreError::Decode(format!("event {id}: {e}"));
    let event: Event = if KINDS_WITH_PERSONAL.contains(&kind) {
        with_personal(details, values, &bad)?
    } else {
        // Nothing to put back: read straight into the event, without the
        // intermediate JSON tree (`check` replays every event of the log,
        // and four in five are of these kinds).
        serde_json::from_str(details).map_err(|e| bad(e.to_string()))?
    };
    // The column the log is searched by must say what the event says.
    if kind != event.kind() {
        return Err(bad(format!(
            "its kind column says '{}' but the event is '{}'",
            crate::domain::text::echo(kind),
            event.kind()
        )));
    }
    Ok(event)
}

/// The personal values of event `id`.
fn values_of(db: Db<'_>, id: i64) -> Result<Values> {
    db.query(
        "SELECT slot, value FROM personal WHERE event = ?1 ORDER BY slot",
        args![id],
        |r| Ok((r.string(0)?, r.opt_string(1)?)),
    )
}

/// The personal values of the events `first..=last` of the log, read in one
/// statement for a replay's page of events instead of one an event (on a
/// server, one round trip an arrival).
pub(super) struct Page {
    /// By event, then place, as `values_of` orders each event's.
    rows: std::iter::Peekable<std::vec::IntoIter<(i64, String, Option<String>)>>,
}

impl Page {
    /// None if the one statement fails: each event's own statement then
    /// fails, or not, where it did before (an event that needs no values
    /// never reads them).
    pub fn read(db: Db<'_>, first: i64, last: i64) -> Option<Page> {
        let rows = db
            .query(
                "SELECT event, slot, value FROM personal WHERE event >= ?1 AND event <= ?2
                  ORDER BY event, slot",
                args![first, last],
                |r| Ok((r.i64(0)?, r.string(1)?, r.opt_string(2)?)),
            )
            .ok()?;
        Some(Page {
            rows: rows.into_iter().peekable(),
        })
    }

    /// The values of event `id`; events are asked for in the log's order.
    pub fn take(&mut self, id: i64) -> Values {
        while self.rows.next_if(|r| r.0 < id).is_some() {}
        let mut values = Vec::new();
        while let Some((_, slot, value)) = self.rows.next_if(|r| r.0 == id) {
            values.push((slot, value));
        }
        values
    }
}

/// An event of a kind that can hold personal data: its JSON with the
/// values kept apart put back in their places.
fn with_personal(
    details: &str,
    values: impl FnOnce() -> Result<Values>,
    bad: &dyn Fn(String) -> StoreError,
) -> Result<Event> {
    let mut json: Value = serde_json::from_str(details).map_err(|e| bad(e.to_string()))?;
    for (slot, value) in values()? {
        let value = match value {
            Some(v) => serde_json::from_str(&v).map_err(|e| bad(format!("{slot}: {e}")))?,
            None => Value::Null,
        };
        match json.pointer_mut(&slot) {
            Some(place) => *place = value,
            None => return Err(bad(format!("no place '{slot}' for a personal value"))),
        }
    }
    serde_json::from_value(json).map_err(|e| bad(e.to_string()))
}

/// Blanks the personal values of every stay that ended before `before` and
/// was not purged yet; returns how many stays that was.
pub(super) fn purge(db: Db<'_>, before: DateTime<Utc>) -> Result<u64> {
    let before = ts(before);
    let stays = db.query_one(
        "SELECT count(*) FROM stays WHERE departed_at < ?1 AND personal_purged_at IS NULL",
        args![&before],
        |r| r.i64(0),
    )?;
    db.execute(
        "UPDATE personal SET value = NULL
          WHERE value IS NOT NULL AND stay IN (
                SELECT id FROM stays WHERE departed_at < ?1 AND personal_purged_at IS NULL)",
        args![&before],
    )?;
    Ok(stays.max(0) as u64)
}

/// Schema 6: moves the personal values of every existing event into
/// `personal`, leaving nulls in the events; then puts the log's guard
/// against updates back. The one rewrite of the log, in the migration's
/// transaction (`open` backs the file up first).
pub(super) fn move_out_of_events(db: &Connection) -> Result<()> {
    let mut read = db.prepare(
        "SELECT id, kind, details FROM events
          WHERE kind IN ('arrived', 'rechecked', 'corrected') ORDER BY id",
    )?;
    let mut rows = read.query([])?;
    let mut rewrite = db.prepare("UPDATE events SET details = ?2 WHERE id = ?1")?;
    while let Some(r) = rows.next()? {
        let (id, kind, details): (i64, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
        // Nothing is in `personal` yet, so this reads the event whole.
        let event = decode(Db::new(db), id, &kind, &details)?;
        let split = split(&event)?;
        rewrite.execute((id, &split.details))?;
        keep(Db::new(db), id, event.stay(), &split.values)?;
    }
    db.execute_batch(
        "CREATE TRIGGER events_no_update BEFORE UPDATE ON events
         BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;",
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::{Correction, Field};

    #[test]
    fn a_correction_of_the_driver_keeps_both_names_apart() {
        let e = Event::Corrected {
            findings: Vec::new(),
            stay: StayId(3),
            changes: vec![
                Correction {
                    field: Field::Driver,
                    old: Some("张三".into()),
                    new: Some("张山".into()),
                },
                Correction {
                    field: Field::Cargo,
                    old: Some("other".into()),
                    new: Some("grain".into()),
                },
            ],
        };
        let s = split(&e).unwrap();
        assert!(!s.details.contains("张"), "{}", s.details);
        assert!(s.details.contains("grain"));
        assert_eq!(s.values.len(), 2);
        assert_eq!(s.values[0], ("/changes/0/old".into(), "\"张三\"".into()));
    }
}
