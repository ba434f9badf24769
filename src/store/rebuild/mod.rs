//! Proving the state tables equal a replay of the log (`check`), and
//! replacing them with that replay (`rebuild`). Both replay through the same
//! `apply` that live writes use.

mod compare;
mod log;
mod verifier;

use std::sync::mpsc;

use serde::Serialize;

use super::conn::{Begin, Db, Engine};
use super::{Result, Store, StoreError, apply, personal};
use compare::{compare, diff, dump};
use log::{Decoded, DecodedEvent, Raw, Reader, decode_page, read_page};
use verifier::{Verifier, data_version};

/// The state tables, in a fixed order; `events` and `meta` are not state.
const STATE_TABLES: &[&str] = &[
    "stays",
    "occupancy",
    "closures",
    "policy",
    "people",
    "bays",
    "samples",
    "service_calls",
    "undos",
    "zones",
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    pub events: usize,
    /// Rows that differ between the stored state and the replay, as text.
    pub differences: Vec<String>,
}

impl CheckReport {
    pub fn ok(&self) -> bool {
        self.differences.is_empty()
    }
}

impl Store {
    /// Verifies the file (on a file, on a thread of its own beside the
    /// replay, its verdict still first) and replays the log into temporary
    /// copies of the state tables, and reports where the stored state differs. Changes
    /// nothing stored, and takes no write lock: it reads one snapshot beside
    /// terminals that write, and works on a read-only file.
    pub fn check(&mut self) -> Result<CheckReport> {
        let sqlite = self.db().engine() == Engine::Sqlite;
        if sqlite {
            // The shadow tables live in memory: the replay of a long log
            // writes every row of them, and a temporary file would add its I/O.
            // And without a journal: nothing written to them is ever rolled
            // back, as they are dropped whatever the replay's outcome, so
            // SQLite need not copy each page a statement touches first (a
            // statement that fails still fails, and ends the replay; only
            // its partial writes stay behind in tables about to go).
            //
            // And without the schema's references and `CHECK` rules
            // enforced (a tenth of the replay's work): the replay must end
            // equal to the stored tables, row for row, and the stored rows
            // are checked against both rules instead, `CHECK` by the
            // file's verification and the references after it, once for
            // the whole file. A replayed row that broke a rule so differs
            // from its stored row, or the stored row breaks it too. (Inside
            // a caller's transaction SQLite keeps enforcing references.)
            self.db().batch(
                "PRAGMA temp_store = MEMORY; PRAGMA temp.journal_mode = OFF;
                 PRAGMA foreign_keys = OFF; PRAGMA ignore_check_constraints = ON;",
            )?;
        }
        // On a file, the file's verification (`quick_check`, a second or
        // more on a season's file) runs on a connection and thread of its
        // own beside the replay, when it can be shown to read the replay's
        // snapshot; otherwise first, on this connection, as it must. So
        // does the reading of the log, for the same snapshot; otherwise
        // the replay reads it.
        let (mut apart, mut reader, seen) = match sqlite && !self.db().in_transaction() {
            true => match data_version(self) {
                Some(seen) => (
                    Verifier::start(&self.path),
                    Reader::start(&self.path),
                    Some(seen),
                ),
                None => (None, None, None),
            },
            false => (None, None, None),
        };
        let checked = self.consistent(|store| {
            // The replay's snapshot begins here. Its data version is the one
            // read before the verifier and the reader began their own only if
            // no other connection committed in between: all read the same
            // snapshot.
            if seen.is_none() || data_version(store) != seen {
                if let Some(verifier) = apart.take() {
                    verifier.abandon();
                }
                reader = None;
            }
            let mut dangling = Vec::new();
            if apart.is_none() {
                // The file itself first: a damaged page makes every
                // comparison moot.
                store.verify()?;
                dangling = store.dangling_references()?;
            }
            let db = store.db();
            let damaged = || apart.as_ref().is_some_and(Verifier::found_damage);
            let replayed = shadow_state_tables(db).and_then(|()| {
                // Unqualified names now find the temporary copies first: the
                // one `apply` replays into them while the stored tables stay
                // as they are.
                replay_log_unless(db, &damaged, reader.take()).and_then(|n| Ok((n, compare(db)?)))
            });
            // Whatever came of it: nothing written to the shadows is rolled
            // back (their journal is off), and a later check makes them anew.
            let replayed = drop_shadow(db).and(replayed);
            // The file's verdict as if it had come first: a damaged file is
            // that, whatever the replay made of it.
            if let Some(verifier) = apart {
                dangling = verifier.verdict()?;
            }
            let (events, mut differences) = replayed?;
            differences.extend(dangling);
            Ok(CheckReport {
                events,
                differences,
            })
        });
        // Statements prepared on the server while the shadows stood read
        // them, and would go on reading whatever those names find.
        self.forget_statements();
        // Later temporary tables of this connection roll back again, and
        // its writes meet every rule again.
        let restored = match sqlite {
            true => self.db().batch(
                "PRAGMA temp.journal_mode = MEMORY;
                 PRAGMA foreign_keys = ON; PRAGMA ignore_check_constraints = OFF;",
            ),
            false => Ok(()),
        };
        let report = checked?;
        restored?;
        Ok(report)
    }

    /// Drops the server's prepared statements (SQLite re-prepares a
    /// statement by itself when the schema it read changes).
    fn forget_statements(&self) {
        if let super::Backend::Pg(c) = &self.conn {
            c.forget_statements();
        }
    }

    /// Replaces the state tables with a replay of the log, holding the
    /// write lock until it is done.
    pub fn rebuild(&mut self) -> Result<CheckReport> {
        if self.read_only {
            return Err(StoreError::ReadOnly {
                path: self.path.clone(),
            });
        }
        self.replace_state().map_err(|e| e.on(&self.path))
    }

    fn replace_state(&mut self) -> Result<CheckReport> {
        let tx = self.db().begin(Begin::Write)?;
        let db = tx.db();
        let stored = stored_schema(db);
        let before = dump(db, stored)?;
        let events = replay_log(db)?;
        let after = dump(db, stored)?;
        let differences = diff(&before, &after);
        tx.commit()?;
        Ok(CheckReport {
            events,
            differences,
        })
    }
}

/// Empties the state tables and replays every event of the log into them,
/// through the same `apply` live writes use. Returns how many events it
/// replayed. Run inside a transaction the caller commits or drops.
pub(super) fn replay_log(db: Db<'_>) -> Result<usize> {
    replay_log_unless(db, &|| false, None)
}

/// `replay_log`, given up between two pages once `stop` says so (the file
/// was found damaged meanwhile: the replay's answer will not be read). The
/// log comes from `reader` when there is one (read on a connection of its
/// own, in the replay's snapshot), otherwise from `db`.
fn replay_log_unless(db: Db<'_>, stop: &dyn Fn() -> bool, reader: Option<Reader>) -> Result<usize> {
    for sql in [
        "UPDATE bays SET occupant = NULL, closed_reason = NULL, disinfected_at = NULL",
        "UPDATE zones SET disinfected_at = NULL",
        "DELETE FROM samples",
        "DELETE FROM service_calls",
        "DELETE FROM people",
        "DELETE FROM occupancy",
        "DELETE FROM closures",
        "DELETE FROM stays",
        "DELETE FROM policy",
        "DELETE FROM undos",
    ] {
        db.execute(sql, &[])?;
    }
    // The log in pages by id, not in one answer: each event is applied
    // while the page is read, and a client that reads an answer whole
    // before the next statement may run (PostgreSQL's) would otherwise
    // hold a 90-day log in memory at once.
    //
    // Each page is decoded (JSON into events, with their personal values;
    // times parsed) on a thread of its own while the page before it is
    // applied: the decoding reads nothing the replay writes. Each event
    // still meets its errors in the log's order: its decoding's, then its
    // applying's, and a page's reading fails only after the page before it
    // is applied.
    let mut n = 0;
    if let Some(reader) = reader {
        for page in &reader.pages {
            let Some(decoded) = page? else {
                return Ok(n);
            };
            if stop() {
                return Err(given_up());
            }
            let events = replay_page(db, decoded, &mut n)?;
            // The reader may have finished: then these are freed here.
            let _ = reader.spent.send(events);
        }
        return Err(StoreError::Sql("the log's reader stopped".into()));
    }
    std::thread::scope(|scope| {
        let (to_decoder, pages) = mpsc::sync_channel::<(Raw, personal::Page)>(1);
        let (to_replay, decoded_pages) = mpsc::sync_channel::<(Decoded, Raw)>(1);
        // What each thread allocated goes back to it to be freed: freeing
        // another thread's memory takes that thread's arena lock, and the
        // two would keep waiting on each other.
        let (to_free, spent) = mpsc::channel::<Vec<DecodedEvent>>();
        scope.spawn(move || {
            for (page, mut values) in pages {
                let events = decode_page(&page, |id, kind, details| {
                    personal::decode_with(id, kind, details, || Ok(values.take(id)))
                });
                if to_replay.send((events, page)).is_err() {
                    return;
                }
                spent.try_iter().for_each(drop);
            }
        });
        // A page read: given to the decoder, or kept to decode here (its
        // personal values could not be read in one statement).
        let read = |after: i64| -> Result<Option<(i64, Option<Raw>)>> {
            let Some((first, last, page)) = read_page(db, after)? else {
                return Ok(None);
            };
            Ok(Some((
                last,
                match personal::Page::read(db, first, last) {
                    Some(values) => match to_decoder.send((page, values)) {
                        Ok(()) => None,
                        Err(_) => return Err(StoreError::Sql("the decoder stopped".into())),
                    },
                    None => Some(page),
                },
            )))
        };
        let mut next = read(i64::MIN);
        loop {
            let (last, kept) = match next {
                Ok(Some(page)) => page,
                Ok(None) => return Ok(n),
                Err(e) => return Err(e),
            };
            if stop() {
                return Err(given_up());
            }
            next = read(last);
            let (decoded, from_decoder) = match kept {
                None => {
                    // The page's text was read here: freed here too.
                    let (events, _page) = decoded_pages
                        .recv()
                        .map_err(|_| StoreError::Sql("the decoder stopped".into()))?;
                    (events, true)
                }
                Some(page) => (
                    decode_page(&page, |id, kind, details| {
                        personal::decode(db, id, kind, details)
                    }),
                    false,
                ),
            };
            let events = replay_page(db, decoded, &mut n)?;
            if from_decoder {
                // The decoder may have finished: then these are freed here.
                let _ = to_free.send(events);
            }
        }
    })
}

fn given_up() -> StoreError {
    StoreError::Conflict("the replay was given up".into())
}

/// Applies a decoded page's events in order, then fails with the error
/// that stopped its decoding, if any; `n` counts the events applied. The
/// events are given back, to be freed by whoever made them.
fn replay_page(db: Db<'_>, decoded: Decoded, n: &mut usize) -> Result<Vec<DecodedEvent>> {
    for (id, at, event) in &decoded.events {
        apply::apply(db, *id, *at, event).map_err(|e| {
            StoreError::Conflict(format!("replaying event {id} ({}): {e}", event.kind()))
        })?;
        *n += 1;
    }
    match decoded.failed {
        Some(e) => Err(e),
        None => Ok(decoded.events),
    }
}

/// Where each engine keeps the stored tables and the temporary ones.
pub(super) fn stored_schema(db: Db<'_>) -> &'static str {
    db.pick("main", "public")
}

pub(super) fn temp_schema(db: Db<'_>) -> &'static str {
    db.pick("temp", "pg_temp")
}

/// The stored tables' plain (not unique) indexes that the replay's own
/// statements find rows by: a purge finds the stays that ended, an undone
/// departure the truck's service calls, a positive result the stay's
/// positives (`apply::mark_positive`; without it, each positive scanned
/// every sample replayed so far: `check` of the season took twice as
/// long). The shadow tables have these and the unique ones (constraints an
/// event must fit); the others only speed up the lot's queries, and each
/// would cost the replay a write of its own for most rows it writes.
const REPLAY_READS: &[&str] = &["stays_departed", "service_calls_stay", "samples_positive"];

/// Creates an empty temporary copy of every state table (with its
/// constraints and unique indexes, from the stored schema; on a file, of
/// the plain indexes only `REPLAY_READS`) and fills the bays and zones as
/// the lot has them, for a replay that writes nothing stored.
fn shadow_state_tables(db: Db<'_>) -> Result<()> {
    match db.engine() {
        Engine::Sqlite => {
            let tables = STATE_TABLES
                .iter()
                .map(|t| format!("'{t}'"))
                .collect::<Vec<_>>()
                .join(",");
            let schema = db.query(
                &format!(
                    "SELECT type, name, sql FROM main.sqlite_master
                      WHERE sql IS NOT NULL AND type IN ('table', 'index') AND tbl_name IN ({tables})
                      ORDER BY type DESC"
                ),
                &[],
                |r| Ok((r.string(0)?, r.string(1)?, r.string(2)?)),
            )?;
            for (kind, name, sql) in schema {
                if kind == "index"
                    && !sql.starts_with("CREATE UNIQUE INDEX")
                    && !REPLAY_READS.contains(&name.as_str())
                {
                    continue;
                }
                let sql = if kind == "table" {
                    sql.replacen("CREATE TABLE", "CREATE TEMP TABLE", 1)
                } else {
                    sql.replacen(&format!("INDEX {name}"), &format!("INDEX temp.{name}"), 1)
                };
                db.batch(&sql)?;
            }
        }
        Engine::Postgres => {
            // Checks, defaults and unique indexes come along; references
            // do not, and need not: the replay writes what `apply` writes.
            for table in STATE_TABLES {
                db.batch(&format!(
                    "CREATE TEMP TABLE {table} (LIKE public.{table} INCLUDING ALL)"
                ))?;
            }
        }
    }
    let (main, temp) = (stored_schema(db), temp_schema(db));
    db.batch(&format!(
        "INSERT INTO {temp}.bays (id, zone, ord) SELECT id, zone, ord FROM {main}.bays;
         INSERT INTO {temp}.zones (zone) SELECT zone FROM {main}.zones;"
    ))?;
    Ok(())
}

fn drop_shadow(db: Db<'_>) -> Result<()> {
    let temp = temp_schema(db);
    // Children before the tables they reference.
    for table in [
        "occupancy",
        "closures",
        "people",
        "samples",
        "service_calls",
        "policy",
        "undos",
        "bays",
        "zones",
        "stays",
    ] {
        db.batch(&format!("DROP TABLE IF EXISTS {temp}.{table}"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::layout::DEFAULT_LAYOUT;

    /// What lets `check` verify the file on a connection of its own: the
    /// data version read before and inside the replay's transaction differ
    /// when another connection committed between them.
    #[test]
    fn a_commit_between_two_reads_changes_the_data_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lot.db");
        let store = Store::create(&path, DEFAULT_LAYOUT).unwrap();
        let before = data_version(&store);
        assert!(before.is_some());
        let same = store.consistent(|s| Ok(data_version(s))).unwrap();
        assert_eq!(same, before, "nothing committed");
        let other = rusqlite::Connection::open(&path).unwrap();
        other
            .execute("INSERT INTO meta (key, value) VALUES ('probe', 'x')", [])
            .unwrap();
        let after = store.consistent(|s| Ok(data_version(s))).unwrap();
        assert_ne!(after, before, "another connection committed");
    }

    /// A replay that fails leaves no shadow behind: the next check fails
    /// the same way, not on tables that are still there.
    #[test]
    fn a_failed_check_can_be_run_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lot.db");
        let mut store = Store::create(&path, DEFAULT_LAYOUT).unwrap();
        assert!(store.check().unwrap().ok());
        rusqlite::Connection::open(&path)
            .unwrap()
            .execute(
                "INSERT INTO events (at, operator, terminal, kind, details)
                 VALUES ('2026-05-01T16:00:00.000Z', 'x', 't', 'bay_opened',
                         '{\"kind\":\"bay_opened\",\"bay\":\"P-01-01\"}')",
                [],
            )
            .unwrap();
        let first = store.check().unwrap_err().to_string();
        assert!(first.contains("is not closed"), "{first}");
        assert_eq!(store.check().unwrap_err().to_string(), first);
    }

    /// The replay runs with the references and `CHECK` rules off; the
    /// connection enforces them again afterwards, clean check or not.
    #[test]
    fn the_rules_are_enforced_again_after_a_check() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lot.db");
        let mut store = Store::create(&path, DEFAULT_LAYOUT).unwrap();
        let rules = |store: &Store| {
            let crate::store::Backend::Sqlite(c) = &store.conn else {
                unreachable!("a file")
            };
            let on = |p: &str| {
                c.pragma_query_value(None, p, |r| r.get::<_, i64>(0))
                    .unwrap()
            };
            (on("foreign_keys"), on("ignore_check_constraints"))
        };
        assert_eq!(rules(&store), (1, 0));
        assert!(store.check().unwrap().ok());
        assert_eq!(rules(&store), (1, 0));
        rusqlite::Connection::open(&path)
            .unwrap()
            .execute(
                "UPDATE bays SET disinfected_at = 'x' WHERE id = 'P-01-01'",
                [],
            )
            .unwrap();
        assert!(!store.check().unwrap().ok());
        assert_eq!(rules(&store), (1, 0));
    }
}
