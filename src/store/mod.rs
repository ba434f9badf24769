//! The store: the only module that speaks SQL.
//!
//! `Store` owns one SQLite connection. Writes go through `Store::write`, which
//! runs a closure inside one `BEGIN IMMEDIATE` transaction with a `Tx` that can
//! read what a rule needs and `record` events (append + project together).
//! Reads are typed queries returning domain values. No rusqlite type appears
//! in this module's public API.

mod apply;
mod boards;
mod open;
mod past;
mod personal;
mod policy;
pub mod queries;
mod rebuild;
mod report;
mod tx;
mod undo;

use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::Connection;

use crate::domain::layout::{Layout, LayoutError};

pub use open::{APPLICATION_ID, SCHEMA_VERSION};
pub use past::{IsolationAt, PastClosure, PastLot, PastOccupant, ZoneAt};
pub use policy::RecordedPolicy;
pub use queries::*;
pub use rebuild::CheckReport;
pub use report::{OverdueLine, Report};
pub use tx::{EventMeta, TubeSample, Tx};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "database '{path}' does not exist; create it with: trucklot --db '{path}' init [--layout FILE]"
    )]
    NotFound { path: PathBuf },
    #[error("database '{path}' already exists; it was left unchanged")]
    AlreadyExists { path: PathBuf },
    #[error(
        "'{path}' is a SQLite file but not a trucklot database (application_id {found:#010x}); it was left unchanged"
    )]
    Foreign { path: PathBuf, found: i64 },
    #[error(
        "'{path}' was written by a newer trucklot (schema version {found}, this program knows up to {known}); it was left unchanged: upgrade trucklot"
    )]
    Newer {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("'{path}' is not a readable trucklot database: {detail}")]
    Unreadable { path: PathBuf, detail: String },
    #[error("cannot create '{path}': {detail}")]
    Create { path: PathBuf, detail: String },
    #[error("the database is busy: another terminal is writing; try again")]
    Busy,
    #[error("refused by the database: {0}")]
    Conflict(String),
    #[error("the database holds a record this program cannot read: {0}")]
    Decode(String),
    #[error(transparent)]
    Layout(#[from] LayoutError),
    #[error(
        "the database file is damaged ({0}): stop writing to it; 'trucklot check' shows the damage, a backup restores the lot"
    )]
    Damaged(String),
    #[error("database error: {0}")]
    Sql(String),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        use rusqlite::ErrorCode as C;
        match e.sqlite_error_code() {
            Some(C::DatabaseBusy | C::DatabaseLocked) => StoreError::Busy,
            Some(C::ConstraintViolation) => StoreError::Conflict(e.to_string()),
            Some(C::DatabaseCorrupt) => StoreError::Damaged(e.to_string()),
            Some(C::NotADatabase) => StoreError::Unreadable {
                path: PathBuf::new(),
                detail: "not a SQLite database".into(),
            },
            _ => StoreError::Sql(e.to_string()),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The lot's database.
pub struct Store {
    conn: Connection,
    layout: Layout,
    path: PathBuf,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Opens an existing trucklot database. A missing file is refused (a typo
    /// must not start an empty lot); a foreign or newer file is refused and
    /// left byte-for-byte unchanged.
    pub fn open(path: &Path) -> Result<Store> {
        open::open_existing(path)
    }

    /// Creates a new database seeded with `layout_text` (and its missing
    /// parent directories, private); refuses an existing file.
    pub fn create(path: &Path, layout_text: &str) -> Result<Store> {
        open::create(path, layout_text)
    }

    /// Opens the database at `path`, creating it (and private parent
    /// directories) with `layout_text` if it does not exist yet. For the
    /// default database in the user's data directory.
    pub fn open_or_create(path: &Path, layout_text: &str) -> Result<Store> {
        open::open_or_create(path, layout_text)
    }

    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction: committed if `f`
    /// returns `Ok`, rolled back otherwise.
    pub fn write<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&mut Tx<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let mut tx = Tx::new(tx, &self.layout);
        let out = f(&mut tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Runs `f` in a read transaction (one consistent snapshot; nothing it
    /// does is kept): for previews that ask the same questions an operation
    /// would, without taking the write lock.
    pub fn read<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&mut Tx<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Deferred)
            .map_err(StoreError::from)?;
        let mut tx = Tx::new(tx, &self.layout);
        // Dropped, not committed: a read leaves nothing behind.
        f(&mut tx)
    }

    /// Writes a consistent copy of the whole database to `to`, a new file
    /// created private (0600) first; other terminals may keep writing.
    pub fn backup(&self, to: &Path) -> Result<()> {
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
            self.conn
                .execute("VACUUM INTO ?1", [t])
                .map(|_| ())
                .map_err(StoreError::from)
        });
        if let Err(e) = written.and_then(|()| open::publish(&tmp, to)) {
            open::remove_with_wal(&tmp);
            return Err(e);
        }
        Ok(())
    }

    /// Stops waiting for the disk on every commit (`synchronous = NORMAL`:
    /// in WAL mode the file stays consistent, but the last commits before a
    /// power cut may be lost). Only for loading simulated demo traffic; this
    /// connection only, until it is closed.
    pub fn relax_durability_for_simulation(&self) -> Result<()> {
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        Ok(())
    }

    /// Moves every committed page from the write-ahead log into the file
    /// and empties the log (after a purge: so that blanked values are gone
    /// from the disk, not just from the lot).
    pub fn checkpoint(&self) -> Result<()> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Changes whenever another connection commits: the TUI polls it to
    /// refresh without a restart.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }
}

impl Store {
    /// Every row of a query, each turned into a value by `f`.
    pub(crate) fn all<T>(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
        mut f: impl FnMut(&rusqlite::Row<'_>) -> Result<T>,
    ) -> Result<Vec<T>> {
        let mut st = self.conn.prepare_cached(sql)?;
        let mut rows = st.query(params)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(f(r)?);
        }
        Ok(out)
    }
}

/// The one text form of a time in the database: sortable UTC with milliseconds.
pub(crate) fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub(crate) fn parse_ts(s: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Decode(format!("time '{s}': {e}")))
}
