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
        "the database file{} is damaged ({detail}): stop writing to it and restore the lot from a backup; see the damage with: trucklot{} check",
        quoted(path),
        db_option(path)
    )]
    Damaged { path: PathBuf, detail: String },
    #[error(
        "database{} cannot be written here (the file or its folder is read-only): nothing was changed; reading commands and check still work on it",
        quoted(path)
    )]
    ReadOnly { path: PathBuf },
    #[error(
        "'{path}' needs upgrading from schema version {found} but cannot be written here (the file or its folder is read-only); it was left unchanged: open it once where it can be written"
    )]
    ReadOnlyOld { path: PathBuf, found: i64 },
    #[error("database error: {0}")]
    Sql(String),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        use rusqlite::ErrorCode as C;
        match e.sqlite_error_code() {
            Some(C::DatabaseBusy | C::DatabaseLocked) => StoreError::Busy,
            Some(C::ConstraintViolation) => StoreError::Conflict(e.to_string()),
            Some(C::DatabaseCorrupt) => StoreError::Damaged {
                path: PathBuf::new(),
                detail: e.to_string(),
            },
            Some(C::ReadOnly) => StoreError::ReadOnly {
                path: PathBuf::new(),
            },
            Some(C::NotADatabase) => StoreError::Unreadable {
                path: PathBuf::new(),
                detail: "not a SQLite database".into(),
            },
            _ => StoreError::Sql(e.to_string()),
        }
    }
}

impl StoreError {
    /// Names the file in an error SQLite raised without knowing which file
    /// it was working on.
    pub fn on(self, file: &Path) -> StoreError {
        let named = |p: PathBuf| {
            if p.as_os_str().is_empty() {
                file.to_path_buf()
            } else {
                p
            }
        };
        match self {
            StoreError::Damaged { path, detail } => StoreError::Damaged {
                path: named(path),
                detail,
            },
            StoreError::ReadOnly { path } => StoreError::ReadOnly { path: named(path) },
            StoreError::Unreadable { path, detail } => StoreError::Unreadable {
                path: named(path),
                detail,
            },
            e => e,
        }
    }
}

/// ` 'FILE'`, or nothing for an error not yet told its file.
fn quoted(path: &Path) -> String {
    if path.as_os_str().is_empty() {
        String::new()
    } else {
        format!(" '{}'", path.display())
    }
}

/// ` --db 'FILE'`, or nothing, for a command the message proposes.
fn db_option(path: &Path) -> String {
    if path.as_os_str().is_empty() {
        String::new()
    } else {
        format!(" --db '{}'", path.display())
    }
}

/// An error that may hold a database error met without knowing the file
/// (SQLite's own): `Store::write` and `Store::read` name the file in it on
/// the way out, whatever error type the caller's closure returns.
pub trait OnFile {
    fn on_file(self, file: &Path) -> Self;
}

impl OnFile for StoreError {
    fn on_file(self, file: &Path) -> StoreError {
        self.on(file)
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The lot's database.
pub struct Store {
    conn: Connection,
    layout: Layout,
    path: PathBuf,
    /// The file (or its folder) cannot be written by this process: every
    /// read works, every write is refused before it starts.
    read_only: bool,
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
        open::create_filled(path, layout_text, |_| Ok::<_, StoreError>(())).map(|(s, ())| s)
    }

    /// Creates a new database seeded with `layout_text` and filled by
    /// `fill`, all under a temporary name beside `path`, then puts it in
    /// place whole: a `fill` that fails or is killed half-way leaves
    /// nothing at `path`. Refuses an existing file.
    pub fn create_filled<T, E: From<StoreError>>(
        path: &Path,
        layout_text: &str,
        fill: impl FnOnce(&mut Store) -> std::result::Result<T, E>,
    ) -> std::result::Result<(Store, T), E> {
        open::create_filled(path, layout_text, fill)
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

    /// Whether this process can only read the file (a read-only file, or
    /// a folder where SQLite cannot keep its `-wal` and `-shm` beside it).
    pub fn read_only(&self) -> bool {
        self.read_only
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction: committed if `f`
    /// returns `Ok`, rolled back otherwise. On a read-only file nothing
    /// starts: `StoreError::ReadOnly`.
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
            let tx = self
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .map_err(StoreError::from)?;
            let mut tx = Tx::new(tx, &self.layout);
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
            let tx = self
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Deferred)
                .map_err(StoreError::from)?;
            let mut tx = Tx::new(tx, &self.layout);
            // Dropped, not committed: a read leaves nothing behind.
            f(&mut tx)
        })();
        read.map_err(|e: E| e.on_file(&self.path))
    }

    /// Runs several reads of the store's queries in one read transaction,
    /// so they see the lot at one moment (a commit landing between two of
    /// them is seen by neither or by both). Takes no write lock.
    pub fn consistent<T>(&self, f: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
        let read = self
            .conn
            .unchecked_transaction()
            .map_err(StoreError::from)
            .and_then(|tx| {
                let out = f(self);
                // Dropped, not committed: a read leaves nothing behind.
                drop(tx);
                out
            });
        read.map_err(|e| e.on(&self.path))
    }

    /// Asks SQLite to verify the file's pages and indexes (`quick_check`):
    /// a damaged file is `StoreError::Damaged`, naming the file and the
    /// first damage found. Reads only.
    pub fn verify(&self) -> Result<()> {
        let verdict: Vec<String> = self
            .all("PRAGMA quick_check", [], |r| Ok(r.get(0)?))
            .map_err(|e| e.on(&self.path))?;
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
            path: self.path.clone(),
            detail,
        })
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
