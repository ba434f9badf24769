//! Proving the state tables equal a replay of the log (`check`), and
//! replacing them with that replay (`rebuild`). Both replay through the same
//! `apply` that live writes use.

use std::path::Path;
use std::sync::{Arc, mpsc};

use chrono::{DateTime, Utc};
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;

use super::conn::{Begin, Db, Engine, args};
use super::{Result, Store, StoreError, apply, parse_ts, personal};
use crate::domain::event::Event;

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
            self.db()
                .batch("PRAGMA temp_store = MEMORY; PRAGMA temp.journal_mode = OFF;")?;
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
            if apart.is_none() {
                // The file itself first: a damaged page makes every
                // comparison moot.
                store.verify()?;
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
                verifier.verdict()?;
            }
            let (events, differences) = replayed?;
            Ok(CheckReport {
                events,
                differences,
            })
        });
        // Statements prepared on the server while the shadows stood read
        // them, and would go on reading whatever those names find.
        self.forget_statements();
        // Later temporary tables of this connection roll back again.
        let restored = match sqlite {
            true => self.db().batch("PRAGMA temp.journal_mode = MEMORY;"),
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

/// Events to a page.
const PAGE: i64 = 1024;

/// The page of the log after event `after`: its first and last ids and
/// its events; `None` past the end.
fn read_page(db: Db<'_>, after: i64) -> Result<Option<(i64, i64, Raw)>> {
    let page = db.query(
        "SELECT id, at, details, kind FROM events WHERE id > ?1 ORDER BY id LIMIT ?2",
        args![after, PAGE],
        |r| Ok((r.i64(0)?, r.string(1)?, r.string(2)?, r.string(3)?)),
    )?;
    Ok(match (page.first(), page.last()) {
        (Some(&(first, ..)), Some(&(last, ..))) => Some((first, last, page)),
        _ => None,
    })
}

/// The log read page by page and decoded on a connection and thread of
/// its own, in a read transaction begun before `start` returns: for a
/// replay on another connection that can be shown to read the same
/// snapshot (`check`), which then only applies.
struct Reader {
    /// Each page decoded; `None` after the last.
    pages: mpsc::Receiver<Result<Option<Decoded>>>,
    /// Applied pages' events, given back to be freed where they were made.
    spent: mpsc::Sender<Vec<DecodedEvent>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Reader {
    /// None if the file cannot be opened or read again (the replay then
    /// reads on its own connection).
    fn start(path: &Path) -> Option<Reader> {
        let path = path.to_path_buf();
        let (ready, begun) = mpsc::channel::<()>();
        let (to_replay, pages) = mpsc::sync_channel(1);
        let (spent, to_free) = mpsc::channel::<Vec<DecodedEvent>>();
        let thread = std::thread::spawn(move || {
            let Ok(conn) = begin_read(&path) else {
                return;
            };
            if ready.send(()).is_err() {
                return;
            }
            let db = Db::new(&conn);
            let mut after = i64::MIN;
            loop {
                let next = read_page(db, after).map(|page| {
                    page.map(|(first, last, raw)| {
                        after = last;
                        match personal::Page::read(db, first, last) {
                            Some(mut values) => decode_page(&raw, |id, kind, details| {
                                personal::decode_with(id, kind, details, || Ok(values.take(id)))
                            }),
                            None => decode_page(&raw, |id, kind, details| {
                                personal::decode(db, id, kind, details)
                            }),
                        }
                    })
                });
                let more = matches!(next, Ok(Some(_)));
                if to_replay.send(next).is_err() || !more {
                    return;
                }
                to_free.try_iter().for_each(drop);
            }
        });
        match begun.recv() {
            Ok(()) => Some(Reader {
                pages,
                spent,
                thread: Some(thread),
            }),
            Err(_) => {
                let _ = thread.join();
                None
            }
        }
    }
}

impl Drop for Reader {
    /// Stops the reader (its next page has nowhere to go) and waits for
    /// it: its read transaction ends with it.
    fn drop(&mut self) {
        let (_, closed) = mpsc::sync_channel(0);
        drop(std::mem::replace(&mut self.pages, closed));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A page of the log as read: id, time, JSON and kind of each event.
type Raw = Vec<(i64, String, String, String)>;

/// A page of the log decoded, up to its first event that could not be:
/// each event with its id and time, and that event's error.
struct Decoded {
    events: Vec<DecodedEvent>,
    failed: Option<StoreError>,
}

/// An event decoded, with its id and time.
type DecodedEvent = (i64, DateTime<Utc>, Event);

/// Decodes a page read from the log with `decode` (id, kind, JSON), up to
/// its first error.
fn decode_page(page: &Raw, mut decode: impl FnMut(i64, &str, &str) -> Result<Event>) -> Decoded {
    let mut events = Vec::with_capacity(page.len());
    for (id, at, details, kind) in page {
        match decode(*id, kind, details).and_then(|e| Ok((*id, parse_ts(at)?, e))) {
            Ok(event) => events.push(event),
            Err(e) => {
                return Decoded {
                    events,
                    failed: Some(e),
                };
            }
        }
    }
    Decoded {
        events,
        failed: None,
    }
}

/// SQLite's count of the commits of other connections this connection has
/// seen (`PRAGMA data_version`): the same twice only if none came between.
/// Inside a transaction, as of its snapshot.
fn data_version(store: &Store) -> Option<i64> {
    match &store.conn {
        super::Backend::Sqlite(c) => c.query_row("PRAGMA data_version", [], |r| r.get(0)).ok(),
        super::Backend::Pg(_) => None,
    }
}

/// `quick_check` of the file on a connection and a thread of its own, in a
/// read transaction begun before `start` returns.
struct Verifier {
    verdict: std::thread::JoinHandle<Result<()>>,
    interrupt: rusqlite::InterruptHandle,
    damaged: Arc<AtomicBool>,
}

impl Verifier {
    /// None if the file cannot be opened or read again (this connection's
    /// own verification then says why).
    fn start(path: &Path) -> Option<Verifier> {
        let path = path.to_path_buf();
        let damaged = Arc::new(AtomicBool::new(false));
        let found = Arc::clone(&damaged);
        let (ready, begun) = std::sync::mpsc::channel();
        let verdict = std::thread::spawn(move || {
            let conn = match begin_read(&path) {
                Ok(conn) => conn,
                Err(e) => {
                    drop(ready);
                    return Err(e);
                }
            };
            if ready.send(conn.get_interrupt_handle()).is_err() {
                return Ok(());
            }
            let verdict = super::quick_check(&conn, &path);
            if verdict.is_err() {
                found.store(true, Ordering::Relaxed);
            }
            verdict
        });
        match begun.recv() {
            Ok(interrupt) => Some(Verifier {
                verdict,
                interrupt,
                damaged,
            }),
            Err(_) => {
                let _ = verdict.join();
                None
            }
        }
    }

    fn found_damage(&self) -> bool {
        self.damaged.load(Ordering::Relaxed)
    }

    /// Waits for the verdict.
    fn verdict(self) -> Result<()> {
        self.verdict
            .join()
            .unwrap_or_else(|_| Err(StoreError::Sql("the file's verification failed".into())))
    }

    /// Stops a verification whose verdict is not wanted.
    fn abandon(self) {
        self.interrupt.interrupt();
        let _ = self.verdict.join();
    }
}

/// A connection of its own to the file at `path`, in a read transaction
/// whose snapshot has begun.
fn begin_read(path: &Path) -> Result<rusqlite::Connection> {
    let (conn, _) = super::open::connect(path)?;
    conn.execute_batch("BEGIN DEFERRED")?;
    conn.query_row("PRAGMA data_version", [], |r| r.get::<_, i64>(0))?;
    Ok(conn)
}

/// Where each engine keeps the stored tables and the temporary ones.
fn stored_schema(db: Db<'_>) -> &'static str {
    db.pick("main", "public")
}

fn temp_schema(db: Db<'_>) -> &'static str {
    db.pick("temp", "pg_temp")
}

/// The stored tables' plain (not unique) indexes that the replay's own
/// statements find rows by: a purge finds the stays that ended, an undone
/// departure the truck's service calls. The shadow tables have these and
/// the unique ones (constraints an event must fit); the others only speed
/// up the lot's queries, and each would cost the replay a write of its own
/// for most rows it writes.
const REPLAY_READS: &[&str] = &["stays_departed", "service_calls_stay"];

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

/// The rows that differ between the stored state tables and their shadow
/// copies, compared inside the database (`EXCEPT` both ways): only
/// differing rows are ever turned into text, so a clean check of a long
/// log costs the comparison, not a text copy of every row. Sorted like
/// `diff`'s output.
fn compare(db: Db<'_>) -> Result<Vec<String>> {
    let (main, temp) = (stored_schema(db), temp_schema(db));
    let mut stored = Vec::new();
    let mut replayed = Vec::new();
    for table in STATE_TABLES {
        if db.engine() == Engine::Sqlite && same_rows(db, table)? {
            continue;
        }
        for (a, b, out) in [(main, temp, &mut stored), (temp, main, &mut replayed)] {
            let sql =
                format!("SELECT * FROM {a}.{table} EXCEPT SELECT * FROM {b}.{table} ORDER BY 1");
            for line in rows_as_text(db, &sql, table)? {
                out.push(line);
            }
        }
    }
    stored.sort();
    replayed.sort();
    let mut out: Vec<String> = stored.iter().map(|l| format!("stored:  {l}")).collect();
    out.extend(replayed.iter().map(|l| format!("replayed: {l}")));
    Ok(out)
}

/// Whether the stored and the replayed `table` hold the same rows, on
/// SQLite: as many of each, and each stored row has a replayed one of the
/// same key equal in every column (keys are unique on both sides, so the
/// two are one to one). A walk of the stored table that finds each
/// replayed row by its key costs half of `EXCEPT` both ways, which sorts
/// both; `EXCEPT` still says which rows differ when some do.
fn same_rows(db: Db<'_>, table: &str) -> Result<bool> {
    let columns = db.query(
        "SELECT name, pk FROM main.pragma_table_info(?1) ORDER BY cid",
        args![table],
        |r| Ok((r.string(0)?, r.i64(1)? > 0)),
    )?;
    let on = |key: bool| {
        columns
            .iter()
            .filter(|(_, pk)| *pk == key)
            .map(|(c, _)| format!("a.\"{c}\" IS b.\"{c}\""))
            .collect::<Vec<_>>()
    };
    let (key, rest) = (on(true), on(false));
    if key.is_empty() {
        return Ok(false);
    }
    let rest = match rest.is_empty() {
        true => "1".to_owned(),
        false => rest.join(" AND "),
    };
    db.query_one(
        &format!(
            "SELECT (SELECT count(*) FROM main.{table}) = (SELECT count(*) FROM temp.{table})
                AND (SELECT count(*) FROM main.{table}) =
                    (SELECT count(*) FROM main.{table} a JOIN temp.{table} b ON {key} WHERE {rest})",
            key = key.join(" AND "),
        ),
        &[],
        |r| r.bool(0),
    )
}

fn dump(db: Db<'_>, schema: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for table in STATE_TABLES {
        out.extend(rows_as_text(
            db,
            &format!("SELECT * FROM {schema}.{table} ORDER BY 1"),
            table,
        )?);
    }
    Ok(out)
}

/// Each row of `sql` as one line: the table's name, then every column.
fn rows_as_text(db: Db<'_>, sql: &str, table: &str) -> Result<Vec<String>> {
    db.query(sql, &[], |r| {
        let mut line = format!("{table}:");
        for i in 0..r.len() {
            line.push(' ');
            line.push_str(&r.shown(i)?);
        }
        Ok(line)
    })
}

fn diff(before: &[String], after: &[String]) -> Vec<String> {
    use std::collections::BTreeSet;
    let b: BTreeSet<&String> = before.iter().collect();
    let a: BTreeSet<&String> = after.iter().collect();
    let mut out: Vec<String> = b.difference(&a).map(|l| format!("stored:  {l}")).collect();
    out.extend(a.difference(&b).map(|l| format!("replayed: {l}")));
    out
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

    /// The key walk finds every way two tables can differ, and only those.
    #[test]
    fn same_rows_finds_each_kind_of_difference() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let db = Db::new(&conn);
        let table = |rows: &str, replayed: &str| {
            conn.execute_batch(&format!(
                "DROP TABLE IF EXISTS main.samples; DROP TABLE IF EXISTS temp.samples;
                 CREATE TABLE main.samples (id INTEGER PRIMARY KEY, test TEXT, result TEXT) STRICT;
                 CREATE TEMP TABLE samples (id INTEGER PRIMARY KEY, test TEXT, result TEXT) STRICT;
                 INSERT INTO main.samples VALUES {rows};
                 INSERT INTO temp.samples VALUES {replayed};"
            ))
            .unwrap();
            same_rows(db, "samples").unwrap()
        };
        let rows = "(1, 'pcr', NULL), (2, 'antigen', 'negative')";
        assert!(table(rows, rows), "the same rows");
        assert!(
            table(rows, "(2, 'antigen', 'negative'), (1, 'pcr', NULL)"),
            "the same rows written in another order"
        );
        for (replayed, what) in [
            (
                "(1, 'pcr', 'negative'), (2, 'antigen', 'negative')",
                "NULL against a value",
            ),
            (
                "(1, 'pcr', NULL), (2, 'antigen', 'positive')",
                "a value against another",
            ),
            ("(1, 'pcr', NULL)", "a row missing"),
            (
                "(1, 'pcr', NULL), (2, 'antigen', 'negative'), (3, 'pcr', NULL)",
                "a row more",
            ),
            (
                "(1, 'pcr', NULL), (3, 'antigen', 'negative')",
                "a row under another key",
            ),
        ] {
            assert!(!table(rows, replayed), "{what}");
        }
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
}
