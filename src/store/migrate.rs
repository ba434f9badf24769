//! Copying a lot from one store to another (`trucklot migrate`): a file to
//! a server when a site grows to several machines, a server to a file for
//! an offline copy. What is copied is the record — the log with its ids,
//! the personal values kept apart from it, the client's action ids, and the
//! lot's layout and creation time; the state is then made on the other
//! side by replaying that log through the same `apply` as every write, and
//! `check` on both sides proves the two lots the same.
//!
//! The new lot appears whole or not at all: a file is built beside its
//! target and put in place at the end (`Draft`), a server's lot is made in
//! the one transaction that creates its schema. The source is read in one
//! snapshot, so gates may go on writing to it meanwhile (what they write
//! after the snapshot is not in the copy).

use std::path::Path;

use super::conn::Value;
use super::conn::{Db, Engine, args};
use super::{CheckReport, Result, Store, StoreError};

/// What a copy did, and both sides' `check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    pub events: usize,
    pub source: CheckReport,
    pub target: CheckReport,
}

/// Rows read and written at a time: the whole log never sits in memory.
const PAGE: i64 = 1024;

impl Store {
    /// Copies this lot into a new lot at `to` (a file that must not exist,
    /// or a server database that holds no lot), then checks both.
    pub fn copy_to(&mut self, to: &Path) -> Result<Copied> {
        let layout_text =
            self.db()
                .query_one("SELECT value FROM meta WHERE key = 'layout'", &[], |r| {
                    r.string(0)
                })?;
        let mut target = self.consistent(|src| {
            let fill = |dst: Db<'_>| copy_record(src.db(), dst);
            match super::server_url(to) {
                Some(url) => super::pg::lot::create_with(url, &layout_text, fill),
                None => {
                    let mut draft = super::open::draft(to, &layout_text)?;
                    let store = draft.store();
                    store.relax_durability_for_simulation()?;
                    let tx = store.db().begin(super::conn::Begin::Write)?;
                    fill(tx.db())?;
                    tx.commit()?;
                    draft.publish()
                }
            }
        })?;
        let target_check = target.check()?;
        let source_check = self.check()?;
        Ok(Copied {
            events: target_check.events,
            source: source_check,
            target: target_check,
        })
    }
}

/// Copies the record from `src` into the new lot `dst` (its bays already
/// seeded) and replays it there.
fn copy_record(src: Db<'_>, dst: Db<'_>) -> Result<()> {
    // The lot's own facts (creation time, marks), not what the new lot
    // says of itself (application, version) or was made with (layout).
    for (key, value) in src.query(
        "SELECT key, value FROM meta
          WHERE key NOT IN ('layout', 'application', 'schema_version')",
        &[],
        |r| Ok((r.string(0)?, r.string(1)?)),
    )? {
        dst.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            args![key, value],
        )?;
    }
    let into_events = dst.pick(
        "INSERT INTO events (id, at, operator, terminal, kind, stay, bay, details, zone)",
        // The server makes ids itself unless told: these are the log's own.
        "INSERT INTO events (id, at, operator, terminal, kind, stay, bay, details, zone)
         OVERRIDING SYSTEM VALUE",
    );
    let mut after = i64::MIN;
    loop {
        let page = src.query(
            "SELECT id, at, operator, terminal, kind, stay, bay, details, zone
               FROM events WHERE id > ?1 ORDER BY id LIMIT ?2",
            args![after, PAGE],
            |r| -> Result<[Value; 9]> {
                Ok([
                    r.i64(0)?.into(),
                    r.string(1)?.into(),
                    r.string(2)?.into(),
                    r.string(3)?.into(),
                    r.string(4)?.into(),
                    r.opt_i64(5)?.into(),
                    r.opt_string(6)?.into(),
                    r.string(7)?.into(),
                    r.opt_string(8)?.into(),
                ])
            },
        )?;
        let Some(last) = page.last().map(|row| match row[0] {
            Value::Integer(id) => id,
            _ => i64::MAX,
        }) else {
            break;
        };
        dst.insert_rows(into_events, &page)?;
        // What belongs to these events: their personal values, and the
        // actions that began with one of them.
        let personal = src.query(
            "SELECT event, slot, stay, value FROM personal
              WHERE event > ?1 AND event <= ?2 ORDER BY event, slot",
            args![after, last],
            |r| -> Result<[Value; 4]> {
                Ok([
                    r.i64(0)?.into(),
                    r.string(1)?.into(),
                    r.opt_i64(2)?.into(),
                    r.opt_string(3)?.into(),
                ])
            },
        )?;
        dst.insert_rows("INSERT INTO personal (event, slot, stay, value)", &personal)?;
        let actions = src.query(
            "SELECT id, first_event, last_event FROM actions
              WHERE first_event > ?1 AND first_event <= ?2",
            args![after, last],
            |r| -> Result<[Value; 3]> {
                Ok([r.string(0)?.into(), r.i64(1)?.into(), r.i64(2)?.into()])
            },
        )?;
        dst.insert_rows(
            "INSERT INTO actions (id, first_event, last_event)",
            &actions,
        )?;
        after = last;
    }
    if dst.engine() == Engine::Postgres {
        // The next event the server records comes after the copied ones.
        dst.query_one(
            "SELECT setval(pg_get_serial_sequence('events', 'id'),
                           (SELECT coalesce(max(id), 0) + 1 FROM events), false)",
            &[],
            |_| Ok(()),
        )?;
    }
    super::rebuild::replay_log(dst).map_err(|e| StoreError::Conflict(format!("{e}")))?;
    Ok(())
}
