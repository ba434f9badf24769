//! The store's errors: what can go wrong opening, reading and writing a
//! lot, each said with the file (or server) it concerns and what to do.
//! The engines' own errors are turned into these here (SQLite's) and in
//! `pg` (PostgreSQL's); the Chinese wording lives in `i18n::store_error`.

use std::path::{Path, PathBuf};

use crate::domain::layout::LayoutError;

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
    #[error("the lot's server cannot be reached ({detail}); try again once it answers")]
    Disconnected { detail: String },
    #[error("{}", .0.english())]
    NotOnServer(FileOnly),
    #[error(
        "the server does not let this login write to the lot ({detail}): nothing was changed; reading commands still work"
    )]
    NotAllowed { detail: String },
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
    /// What goes wrong while a new file is built for `path` (a full disk, a
    /// size limit) is the creation of `path` failing, named so; a file
    /// found there is said as such.
    pub fn creating(self, path: &Path) -> StoreError {
        match self {
            e @ (StoreError::AlreadyExists { .. } | StoreError::Create { .. }) => e,
            StoreError::Sql(detail) => StoreError::Create {
                path: path.to_path_buf(),
                detail,
            },
            e => StoreError::Create {
                path: path.to_path_buf(),
                detail: e.to_string(),
            },
        }
    }

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

/// What only a lot in a file can do (`StoreError::NotOnServer`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileOnly {
    /// `backup`: a server is backed up by its own tools.
    Backup,
    /// `demo`, `simulate`: a new lot is built in a file and put in place.
    Simulate,
}

impl FileOnly {
    fn english(self) -> &'static str {
        match self {
            FileOnly::Backup => {
                "backup copies a lot in a file; a lot on a server is backed up with pg_dump, or copied to a file with: trucklot migrate --from URL --to FILE"
            }
            FileOnly::Simulate => {
                "simulated traffic builds a new lot in a file; to put one on a server, simulate into a file, then: trucklot migrate --from FILE --to URL"
            }
        }
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
