//! The store: the only module that speaks SQL.
//!
//! `Store` owns one connection: to a SQLite file (the default) or to a
//! PostgreSQL server (`--db postgres://…`, a site with several machines).
//! Writes go through `Store::write`, which runs a closure inside one
//! transaction that holds the one writer's lock (`BEGIN IMMEDIATE`, or an
//! advisory lock on the server) with a `Tx` that can read what a rule needs
//! and `record` events (append + project together). Reads are typed queries
//! returning domain values. No engine's type appears in this module's
//! public API, and above it nothing knows which engine runs.

mod apply;
mod boards;
mod carried;
mod conn;
mod demo;
mod error;
mod migrate;
mod open;
mod past;
mod personal;
mod pg;
mod policy;
pub mod queries;
mod rebuild;
mod report;
mod taken;
mod tx;
mod undo;

use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::Connection;

use crate::domain::layout::Layout;

pub use demo::DemoLot;
pub use error::{FileOnly, OnFile, Result, StoreError};
pub use migrate::Copied;
pub use open::{APPLICATION_ID, Draft, SCHEMA_VERSION};
pub use past::{IsolationAt, PastClosure, PastLot, PastOccupant, ZoneAt};
pub use pg::lot::{is_server, shown as shown_address};
pub use policy::RecordedPolicy;
pub use queries::*;
pub use rebuild::CheckReport;
pub use report::Report;
pub use tx::{EventMeta, TubeSample, Tx};

/// The lot's database.
pub struct Store {
    conn: Backend,
    layout: Layout,
    /// The file, or the server's address without its password.
    path: PathBuf,
    /// The file (or its folder) cannot be written by this process: every
    /// read works, every write is refused before it starts.
    read_only: bool,
    /// The server's address as given, password and all, to connect again
    /// after the connection is lost; `None` for a file.
    server: Option<String>,
    /// What `changed` saw last.
    seen: Seen,
    /// The taken bays between transactions, on a file; `None` on a server.
    taken: Option<taken::TakenBays>,
    /// What opening it did that the user should hear of (`take_notices`).
    notices: Vec<Notice>,
}

/// Something opening a lot did that the user should be told of, in their
/// language, by whoever speaks to them: the store prints nothing itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// Before its log was rewritten by an upgrade from schema `from`, the
    /// file was copied whole to `copy`.
    UpgradeBackup {
        path: PathBuf,
        from: i64,
        copy: PathBuf,
    },
    /// The server's password file was passed over: others can read it.
    PasswordFileIgnored { file: PathBuf },
}

/// The engine a store runs on, with its connection.
pub(crate) enum Backend {
    Sqlite(Connection),
    /// Boxed: the client and its statement cache are several times a
    /// SQLite handle's size, and a store is moved whole.
    Pg(Box<pg::PgConn>),
}

/// What `Store::changed` compares against.
#[derive(Debug, Default)]
struct Seen {
    /// SQLite's `data_version` when last asked.
    data_version: Option<i64>,
    /// The server's connection listens for commits (from the first
    /// `changed` on; again after a reconnection).
    listening: bool,
    /// The server's connection was lost and made again since the last
    /// `changed`: whatever happened meanwhile was not heard of.
    reconnected: bool,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// What opening it did that the user should be told of; each is
    /// given once.
    pub fn take_notices(&mut self) -> Vec<Notice> {
        std::mem::take(&mut self.notices)
    }

    /// Opens an existing trucklot database. A missing file is refused (a typo
    /// must not start an empty lot); a foreign or newer file is refused and
    /// left byte-for-byte unchanged.
    pub fn open(path: &Path) -> Result<Store> {
        match server_url(path) {
            Some(url) => pg::lot::open(url),
            None => open::open_existing(path),
        }
    }

    /// Creates a new database seeded with `layout_text` (and its missing
    /// parent directories, private); refuses an existing file.
    pub fn create(path: &Path, layout_text: &str) -> Result<Store> {
        match server_url(path) {
            Some(url) => pg::lot::create(url, layout_text),
            None => open::create(path, layout_text),
        }
    }

    /// Starts a new database seeded with `layout_text` under a temporary
    /// name beside `path`, to be filled and then put at `path` whole
    /// (`Draft::publish`); refuses an existing file, then and at publishing.
    pub fn draft(path: &Path, layout_text: &str) -> Result<Draft> {
        if is_server(path) {
            return Err(StoreError::NotOnServer(FileOnly::Simulate));
        }
        open::draft(path, layout_text)
    }

    /// Opens the database at `path`, creating it (and private parent
    /// directories) with `layout_text` if it does not exist yet. For the
    /// default database in the user's data directory.
    pub fn open_or_create(path: &Path, layout_text: &str) -> Result<Store> {
        match server_url(path) {
            Some(url) => pg::lot::open(url),
            None => open::open_or_create(path, layout_text),
        }
    }

    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether this process can only read the file (a read-only file, or
    /// a folder where SQLite cannot keep its `-wal` and `-shm` beside it).
    pub fn read_only(&self) -> bool {
        self.read_only
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction: committed if `f`
    /// returns `Ok`, rolled back otherwise. Inside `bulk` it is a savepoint
    /// of the bulk load's transaction instead, kept or rolled back the same
    /// way. On a read-only file nothing starts: `StoreError::ReadOnly`.
    pub fn write<T, E: From<StoreError> + OnFile>(
        &mut self,
        f: impl FnOnce(&mut Tx<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        if self.read_only {
            return Err(StoreError::ReadOnly {
                path: self.path.clone(),
            }
            .into());
        }
        let written = (|| {
            let txn = self.db().begin(conn::Begin::Write)?;
            let mut tx = Tx::new(txn, &self.layout, self.taken.as_ref());
            let out = f(&mut tx)?;
            tx.commit()?;
            Ok(out)
        })();
        written.map_err(|e: E| e.on_file(&self.path))
    }

    /// Runs `f` in a read transaction (one consistent snapshot; nothing it
    /// does is kept): for previews that ask the same questions an operation
    /// would, without taking the write lock.
    pub fn read<T, E: From<StoreError> + OnFile>(
        &mut self,
        f: impl FnOnce(&mut Tx<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let read = (|| {
            let txn = self.db().begin(conn::Begin::Read)?;
            let mut tx = Tx::new(txn, &self.layout, self.taken.as_ref());
            // Dropped, not committed: a read leaves nothing behind.
            f(&mut tx)
        })();
        read.map_err(|e: E| e.on_file(&self.path))
    }

    /// Runs several reads of the store's queries in one read transaction,
    /// so they see the lot at one moment (a commit landing between two of
    /// them is seen by neither or by both). Takes no write lock.
    pub fn consistent<T>(&self, f: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
        let read = self.db().begin(conn::Begin::Read).and_then(|txn| {
            let out = f(self);
            // Dropped, not committed: a read leaves nothing behind.
            drop(txn);
            out
        });
        read.map_err(|e| e.on(&self.path))
    }

    /// Asks SQLite to verify the file's pages and indexes (`quick_check`):
    /// a damaged file is `StoreError::Damaged`, naming the file and the
    /// first damage found. Reads only.
    ///
    /// A server keeps its own pages: there is nothing a client can verify
    /// of them, and the answer is `Ok`.
    pub fn verify(&self) -> Result<()> {
        match &self.conn {
            Backend::Sqlite(c) => quick_check(c, &self.path),
            Backend::Pg(_) => Ok(()),
        }
    }

    /// The stored rows that refer to a row that is not there (SQLite's
    /// `foreign_key_check` of the file), one line each, as `check` reports
    /// a difference. `check` replays without the schema's references and
    /// `CHECK` rules enforced and relies on this and `verify` instead (see
    /// `Store::check`). A server enforces its references on every write.
    pub(crate) fn dangling_references(&self) -> Result<Vec<String>> {
        match &self.conn {
            Backend::Sqlite(c) => dangling_references(c),
            Backend::Pg(_) => Ok(Vec::new()),
        }
    }

    /// `verify` on a connection of its own, without reading the lot: for a
    /// thread that checks the file beside the interface's first frame.
    pub fn verify_file(path: &Path) -> Result<()> {
        if is_server(path) {
            return Ok(());
        }
        let (conn, _) = open::connect(path)?;
        quick_check(&conn, path)
    }
}

/// `Store::dangling_references` on `conn`.
fn dangling_references(conn: &Connection) -> Result<Vec<String>> {
    let mut st = conn.prepare("PRAGMA main.foreign_key_check")?;
    let rows = st.query_map([], |r| {
        let (table, row, parent) = (
            r.get::<_, String>(0)?,
            r.get::<_, Option<i64>>(1)?,
            r.get::<_, String>(2)?,
        );
        // A table without rowids has none to name.
        let row = row.map(|id| format!(" row {id}")).unwrap_or_default();
        Ok(format!(
            "stored:  {table}{row} refers to a row of {parent} that does not exist"
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// SQLite's `quick_check` of the file behind `conn`, as a verdict that
/// names `path`.
fn quick_check(conn: &Connection, path: &Path) -> Result<()> {
    let verdict = conn
        .prepare("PRAGMA quick_check")
        .and_then(|mut st| {
            st.query_map([], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<String>>>()
        })
        .map_err(|e| StoreError::from(e).on(path))?;
    if verdict == ["ok"] {
        return Ok(());
    }
    // The first findings say enough; a wrecked file can list thousands.
    const SHOWN: usize = 3;
    let mut detail = verdict
        .iter()
        .take(SHOWN)
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("; ");
    if verdict.len() > SHOWN {
        detail.push_str(&format!("; … {} more", verdict.len() - SHOWN));
    }
    Err(StoreError::Damaged {
        path: path.to_path_buf(),
        detail,
    })
}

impl Store {
    /// Runs `f` with every `write` (and so every `ops::execute`) inside it
    /// as a savepoint of one `BEGIN IMMEDIATE` transaction, committed once at
    /// the end if `f` returns `Ok` and rolled back whole otherwise. A refused
    /// operation still rolls back only its own savepoint.
    ///
    /// Only for loading simulated traffic into a new file (`sim`): a real
    /// action is one transaction of its own, committed to disk before the
    /// operator is told it happened. Inside a bulk load, `bulk` again just
    /// runs `f` as part of it.
    pub fn bulk<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&mut Store) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        // On a server each write stays a transaction of its own: a bulk
        // load is for building a file.
        let Backend::Sqlite(conn) = &self.conn else {
            return f(self);
        };
        if !conn.is_autocommit() {
            return f(self);
        }
        conn.execute_batch("BEGIN IMMEDIATE")
            .map_err(StoreError::from)?;
        match f(self) {
            Ok(v) => match self.sqlite_batch("COMMIT") {
                Ok(()) => Ok(v),
                Err(e) => {
                    // A failed commit may leave the transaction open: end
                    // it, or every later write would join it.
                    self.end_bulk();
                    Err(StoreError::from(e).into())
                }
            },
            Err(e) => {
                self.end_bulk();
                Err(e)
            }
        }
    }

    /// Rolls back a bulk load's transaction, if SQLite has not already.
    fn end_bulk(&self) {
        if let Backend::Sqlite(c) = &self.conn
            && !c.is_autocommit()
        {
            let _ = c.execute_batch("ROLLBACK");
        }
    }

    fn sqlite_batch(&self, sql: &str) -> rusqlite::Result<()> {
        match &self.conn {
            Backend::Sqlite(c) => c.execute_batch(sql),
            Backend::Pg(_) => Ok(()),
        }
    }

    /// The SQLite connection, for what only a file has (`VACUUM INTO`);
    /// `NotOnServer` on a server.
    fn file(&self, what: FileOnly) -> Result<&Connection> {
        match &self.conn {
            Backend::Sqlite(c) => Ok(c),
            Backend::Pg(_) => Err(StoreError::NotOnServer(what)),
        }
    }

    /// Writes a consistent copy of the whole database to `to`, a new file
    /// created private (0600) first; other terminals may keep writing.
    pub fn backup(&self, to: &Path) -> Result<()> {
        let conn = self.file(FileOnly::Backup)?;
        if to.exists() {
            return Err(StoreError::AlreadyExists {
                path: to.to_path_buf(),
            });
        }
        // Written under a temporary name and put in place whole: a killed
        // backup, a full disk or a bad path leave nothing at `to`.
        let tmp = open::temp_beside(to);
        open::create_private_file(&tmp, true)?;
        let target = tmp.to_str().ok_or_else(|| StoreError::Create {
            path: to.to_path_buf(),
            detail: "the path is not valid UTF-8".into(),
        });
        let written = target.and_then(|t| {
            conn.execute("VACUUM INTO ?1", [t])
                .map(|_| ())
                .map_err(|e| StoreError::from(e).on(&self.path))
        });
        if let Err(e) = written.and_then(|()| open::publish(&tmp, to)) {
            open::remove_with_wal(&tmp);
            return Err(e);
        }
        Ok(())
    }

    /// Stops waiting for the disk on every commit (`synchronous = NORMAL`:
    /// in WAL mode the file stays consistent, but the last commits before a
    /// power cut may be lost), and gives the page cache room for a bulk
    /// load's working set and its savepoints' journals. Only for loading simulated
    /// traffic into a new file; this connection only, until it is closed.
    pub fn relax_durability_for_simulation(&self) -> Result<()> {
        let Backend::Sqlite(conn) = &self.conn else {
            return Ok(());
        };
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // Negative: KiB. 256 MiB.
        conn.pragma_update(None, "cache_size", -262_144)?;
        // A bulk load's savepoints keep what they would roll back in
        // memory, not in a temporary file written page by page.
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        Ok(())
    }

    /// Moves every committed page from the write-ahead log into the file
    /// and empties the log (after a purge: so that blanked values are gone
    /// from the disk, not just from the lot).
    ///
    /// On a server, the table of personal values is rewritten instead
    /// (`VACUUM FULL`): an update leaves the old row's bytes in the table
    /// until then. The server's own write-ahead log and backups keep what
    /// they keep, for as long as the site keeps them.
    pub fn checkpoint(&self) -> Result<()> {
        match &self.conn {
            Backend::Sqlite(c) => {
                c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
            }
            Backend::Pg(c) => c.batch("VACUUM FULL personal")?,
        }
        Ok(())
    }

    /// Whether another connection (another terminal, another laptop)
    /// committed since the last call; the first call answers `true`. The
    /// TUI asks twice a second and refreshes when it did. A file compares
    /// SQLite's `data_version`; a server drains the notices of commits
    /// (`LISTEN`), so nothing is read when nothing happened. After the
    /// connection to a server was made again the answer is `true`: what
    /// happened while it was down was not heard of.
    pub fn changed(&mut self) -> Result<bool> {
        match &self.conn {
            Backend::Sqlite(c) => {
                let v: i64 = c.query_row("PRAGMA data_version", [], |r| r.get(0))?;
                Ok(self.seen.data_version.replace(v) != Some(v))
            }
            Backend::Pg(c) => {
                if !self.seen.listening {
                    c.listen()?;
                    self.seen.listening = true;
                    return Ok(true);
                }
                let heard = c.changed()?;
                Ok(std::mem::take(&mut self.seen.reconnected) || heard)
            }
        }
    }

    /// What `Store::open` takes to open this lot again (another thread's
    /// connection): the file, or the server's address as given — with its
    /// password, so never to be shown (`path` is what is shown).
    pub(crate) fn address(&self) -> PathBuf {
        match &self.server {
            Some(url) => PathBuf::from(url),
            None => self.path.clone(),
        }
    }

    /// Whether the store is on a server (whose connection can be lost and
    /// made again: `reconnect`).
    pub fn on_server(&self) -> bool {
        self.server.is_some()
    }

    /// Connects to the server again after `Disconnected`, keeping the
    /// layout read at opening; `Ok(false)` when the connection is alive and
    /// nothing was done. A file has nothing to reconnect.
    pub fn reconnect(&mut self) -> Result<bool> {
        let Some(url) = &self.server else {
            return Ok(false);
        };
        if let Backend::Pg(c) = &self.conn
            && c.alive()
        {
            return Ok(false);
        }
        let conn = pg::PgConn::connect(url)?;
        if self.seen.listening {
            conn.listen()?;
        }
        self.conn = Backend::Pg(Box::new(conn));
        self.seen.reconnected = true;
        Ok(true)
    }
}

/// The server address in `--db`, if it names one.
fn server_url(path: &Path) -> Option<&str> {
    if is_server(path) { path.to_str() } else { None }
}

impl Store {
    /// The store's connection, for the SQL that runs on either engine
    /// (`conn`).
    pub(crate) fn db(&self) -> conn::Db<'_> {
        match &self.conn {
            Backend::Sqlite(c) => conn::Db::Sqlite(c),
            Backend::Pg(c) => conn::Db::Pg(c),
        }
    }
}

/// The one text form of a time in the database: sortable UTC with milliseconds.
pub(crate) fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub(crate) fn parse_ts(s: &str) -> Result<DateTime<Utc>> {
    // The form `ts` writes, read at fixed places: every map and board row
    // has a few, and chrono's general RFC 3339 reader costs several times
    // more. Anything else (another offset, a leap second, a damaged value)
    // takes the general reader and its error.
    if let Some(t) = parse_ts_millis_utc(s.as_bytes()) {
        return Ok(t);
    }
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Decode(format!("time '{s}': {e}")))
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ`, exactly; `None` for anything else.
fn parse_ts_millis_utc(b: &[u8]) -> Option<DateTime<Utc>> {
    if b.len() != 24
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || b[19] != b'.'
        || b[23] != b'Z'
    {
        return None;
    }
    let num = |from: usize, to: usize| -> Option<u32> {
        b[from..to].iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let date =
        chrono::NaiveDate::from_ymd_opt(i32::try_from(num(0, 4)?).ok()?, num(5, 7)?, num(8, 10)?)?;
    let (h, m, sec, ms) = (num(11, 13)?, num(14, 16)?, num(17, 19)?, num(20, 23)?);
    if sec > 59 {
        return None;
    }
    Some(date.and_hms_milli_opt(h, m, sec, ms)?.and_utc())
}

#[cfg(test)]
mod ts_tests {
    use super::*;

    /// The fixed-place reader agrees with chrono's on every value it takes,
    /// and leaves the rest to it.
    #[test]
    fn stored_times_read_as_chrono_reads_them() {
        let general = |s: &str| {
            DateTime::parse_from_rfc3339(s)
                .ok()
                .map(|t| t.with_timezone(&Utc))
        };
        for s in [
            "2026-11-25T09:00:00.000Z",
            "2026-11-25T23:59:59.999Z",
            "2000-01-01T00:00:00.001Z",
            "2024-02-29T12:34:56.789Z",
            "2100-12-31T23:59:59.000Z",
        ] {
            assert_eq!(parse_ts_millis_utc(s.as_bytes()), general(s), "{s}");
            assert_eq!(parse_ts(s).ok(), general(s), "{s}");
            assert_eq!(ts(parse_ts(s).unwrap()), s, "written back the same");
        }
        for s in [
            "2026-02-30T09:00:00.000Z",
            "2026-11-25T24:00:00.000Z",
            "2026-11-25T09:60:00.000Z",
            "2026-11-25T09:00:60.000Z",
            "2026-11-25T09:00:00.000+08:00",
            "2026-11-25T09:00:00Z",
            "2026-11-25 09:00:00.000Z",
            "+026-11-25T09:00:00.000Z",
            "2026-1a-25T09:00:00.000Z",
            "",
        ] {
            assert_eq!(parse_ts_millis_utc(s.as_bytes()), None, "{s}");
            assert_eq!(parse_ts(s).ok(), general(s), "{s}");
        }
    }
}
