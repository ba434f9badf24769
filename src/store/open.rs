//! Opening and creating the database file: file modes, pragmas, the
//! application id and version checks, and migrations.

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use super::conn::{Db, args};
use super::taken::TakenBays;
use super::{Backend, Notice, Result, Store, StoreError};
use crate::domain::layout::Layout;

/// "TRKL": marks a SQLite file as ours.
pub const APPLICATION_ID: i64 = 0x5452_4B4C;

/// Migrations, in order; the schema version is their count.
const MIGRATIONS: &[&str] = &[
    include_str!("sql/001_initial.sql"),
    include_str!("sql/002_closed_loop.sql"),
    include_str!("sql/003_log.sql"),
    include_str!("sql/004_past.sql"),
    include_str!("sql/005_policy.sql"),
    include_str!("sql/006_personal.sql"),
    include_str!("sql/007_actions.sql"),
    include_str!("sql/008_speed.sql"),
    include_str!("sql/009_checks.sql"),
    include_str!("sql/010_positive.sql"),
    include_str!("sql/011_taken.sql"),
    include_str!("sql/012_pages.sql"),
    include_str!("sql/013_forced_out.sql"),
    include_str!("sql/014_positive_mark.sql"),
    include_str!("sql/015_carried_positive.sql"),
];

/// The migrations that keep the state tables' rows (new indexes, or a
/// table copied whole into a new shape), so an upgrade made of nothing
/// else need not replay the log (minutes on a season) to fill them again.
const KEEPS_STATE: &[usize] = &[8, 10, 11, 12, 13, 14, 15];
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub(super) fn open_existing(path: &Path) -> Result<Store> {
    if !path.exists() {
        return Err(StoreError::NotFound {
            path: path.to_path_buf(),
        });
    }
    let (conn, read_only) = connect(path)?;
    let (layout, notices) = prepare(&conn, path, None, read_only)?;
    let mut store = file_store(conn, layout, path.to_path_buf(), read_only);
    store.notices = notices;
    Ok(store)
}

pub(super) fn create(path: &Path, layout_text: &str) -> Result<Store> {
    draft(path, layout_text)?.publish()
}

/// A new database built under a temporary name beside its target and put
/// in place whole by `publish`, so that a process killed half-way, a full
/// disk or a bad path leave nothing at the target, and a file that appears
/// there meanwhile is never replaced. Dropped unpublished, it is removed.
#[derive(Debug)]
pub struct Draft {
    store: Option<Store>,
    target: PathBuf,
}

pub(super) fn draft(path: &Path, layout_text: &str) -> Result<Draft> {
    // Parse first: a bad layout must not leave an empty file behind.
    Layout::parse(layout_text).map_err(StoreError::from)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_private_dir(dir)?;
    }
    // Only to fail early; `publish` is what refuses an existing file.
    if path.exists() {
        return Err(StoreError::AlreadyExists {
            path: path.to_path_buf(),
        });
    }
    let tmp = temp_beside(path);
    create_private_file(&tmp, true)?;
    // Errors of the new file itself are the target's creation's.
    let creating = |e: StoreError| e.creating(path);
    let built = connect(&tmp).and_then(|(conn, _)| {
        // A new file: nothing to upgrade, so nothing to tell.
        let (layout, _) = prepare(&conn, &tmp, Some(layout_text), false)?;
        Ok(file_store(conn, layout, tmp.clone(), false))
    });
    let built = built.map_err(creating);
    match built {
        Ok(store) => Ok(Draft {
            store: Some(store),
            target: path.to_path_buf(),
        }),
        Err(e) => {
            remove_with_wal(&tmp);
            Err(e)
        }
    }
}

impl Draft {
    /// The database being built (at its temporary path).
    pub fn store(&mut self) -> &mut Store {
        self.store
            .as_mut()
            .expect("a draft holds its store until it is published or dropped")
    }

    /// Closes the draft with everything in its main file, on disk, and puts
    /// it at the target; refused, and removed, if a file appeared there.
    pub fn publish(mut self) -> Result<Store> {
        let store = self
            .store
            .take()
            .expect("a draft holds its store until it is published or dropped");
        let tmp = store.path.clone();
        let closed = finish(store).and_then(|()| publish(&tmp, &self.target));
        if let Err(e) = closed {
            remove_with_wal(&tmp);
            return Err(e);
        }
        open_existing(&self.target)
    }
}

impl Drop for Draft {
    fn drop(&mut self) {
        if let Some(store) = self.store.take() {
            let tmp = store.path.clone();
            drop(store);
            remove_with_wal(&tmp);
        }
    }
}

/// Syncs a finished file fully (even if it was loaded with relaxed
/// durability), folds its WAL into it, and closes it.
fn finish(store: Store) -> Result<()> {
    let Backend::Sqlite(conn) = store.conn else {
        return Ok(());
    };
    conn.pragma_update(None, "synchronous", "FULL")?;
    // Dropping a connection would checkpoint too, but silently: a full disk
    // would then leave the file without its last commits, put in place.
    let (busy, wal_frames, moved): (i64, i64, i64) =
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    if busy != 0 || wal_frames != moved {
        return Err(StoreError::Sql(format!(
            "could not move the WAL into the file ({moved} of {wal_frames} pages)"
        )));
    }
    conn.close().map_err(|(_, e)| StoreError::from(e))
}

fn file_store(conn: Connection, layout: Layout, path: PathBuf, read_only: bool) -> Store {
    Store {
        taken: Some(TakenBays::watch(&conn)),
        conn: Backend::Sqlite(conn),
        layout,
        path,
        read_only,
        server: None,
        seen: Default::default(),
        notices: Vec::new(),
    }
}

/// A name beside `path` for a file being built, unique to this process.
pub(super) fn temp_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.partial-{}-{nanos}", std::process::id()))
}

/// Puts the finished file `tmp` at `path`, refusing to replace one that
/// appeared meanwhile (a hard link is created atomically or not at all).
pub(super) fn publish(tmp: &Path, path: &Path) -> Result<()> {
    match std::fs::hard_link(tmp, path) {
        Ok(()) => {
            let _ = std::fs::remove_file(tmp);
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(StoreError::AlreadyExists {
            path: path.to_path_buf(),
        }),
        // A file system without hard links: rename, having checked.
        Err(_) if !path.exists() => std::fs::rename(tmp, path).map_err(|e| StoreError::Create {
            path: path.to_path_buf(),
            detail: e.to_string(),
        }),
        Err(e) => Err(StoreError::Create {
            path: path.to_path_buf(),
            detail: e.to_string(),
        }),
    }
}

/// Removes a file SQLite may have given a WAL and a shared-memory file.
pub(super) fn remove_with_wal(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(with_suffix(path, suffix));
    }
}

pub(super) fn open_or_create(path: &Path, layout_text: &str) -> Result<Store> {
    Layout::parse(layout_text)?;
    if !path.exists() {
        // Another terminal may create it at the same moment: whoever puts
        // theirs in place first wins, the other opens it.
        match super::Store::create(path, layout_text) {
            Err(StoreError::AlreadyExists { .. }) => {}
            other => return other,
        }
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_private_dir(dir)?;
    }
    create_private_file(path, false)?;
    let (conn, read_only) = connect(path)?;
    let (layout, notices) = prepare(&conn, path, Some(layout_text), read_only)?;
    let mut store = file_store(conn, layout, path.to_path_buf(), read_only);
    store.notices = notices;
    Ok(store)
}

fn create_private_dir(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir).map_err(|e| StoreError::Create {
        path: dir.to_path_buf(),
        detail: e.to_string(),
    })
}

/// Creates the file with mode 0600 before SQLite ever opens it, so personal
/// data is never readable by others, not even for a moment. The handle is
/// closed before SQLite opens the path.
pub(super) fn create_private_file(path: &Path, must_be_new: bool) -> Result<()> {
    let mut o = OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    match o.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            if must_be_new {
                Err(StoreError::AlreadyExists {
                    path: path.to_path_buf(),
                })
            } else {
                Ok(())
            }
        }
        Err(e) => Err(StoreError::Create {
            path: path.to_path_buf(),
            detail: e.to_string(),
        }),
    }
}

/// Opens the file for reading and writing if this process may write it,
/// else for reading only; returns the connection and whether it is
/// read-only.
///
/// SQLite reads a WAL-mode file through its `-wal` and `-shm` files beside
/// it, creating them if they are missing (<https://www.sqlite.org/wal.html#readonly>).
/// A file this process cannot write, or one in a folder where they cannot
/// be created (read-only media), is opened `immutable` when it has no
/// `-wal` — every change is in the file itself — so nothing is created
/// beside it and no lock is asked for. One with a `-wal` holding changes
/// is read through it, as SQLite can.
pub(super) fn connect(path: &Path) -> Result<(Connection, bool)> {
    let (conn, read_only) = open_file(path)?;
    // Every statement of the store goes through the cache (`store::conn`):
    // a write reads the stay, records the event and projects it with some
    // forty distinct statements, and rusqlite's default of 16 would evict
    // the projection's before the next write reuses them.
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    Ok((conn, read_only))
}

/// Room for every statement text the store runs, and the log's filters.
const STATEMENT_CACHE: usize = 256;

fn open_file(path: &Path) -> Result<(Connection, bool)> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| unreadable(path, e))?;
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(|e| unreadable(path, e))?;
    // SQLite opens a file it may not write for reading only.
    let read_only = conn
        .is_readonly(rusqlite::MAIN_DB)
        .map_err(|e| unreadable(path, e))?;
    let has_wal = std::fs::metadata(with_suffix(path, "-wal")).is_ok_and(|m| m.len() > 0);
    if read_only && !has_wal {
        drop(conn);
        return Ok((open_immutable(path)?, true));
    }
    // A file it may write in a folder it may not: the first read in WAL
    // mode cannot create the `-shm` (other errors are `prepare`'s to name).
    let probe = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    });
    let no_shm = probe.is_err_and(|e| {
        matches!(
            e.sqlite_error_code(),
            Some(rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen)
        )
    });
    match (no_shm, has_wal) {
        (false, _) => Ok((conn, read_only)),
        (true, false) => {
            drop(conn);
            Ok((open_immutable(path)?, true))
        }
        (true, true) => Err(StoreError::Unreadable {
            path: path.to_path_buf(),
            detail: "its -wal file holds changes not yet in the file, and the -shm file \
                     SQLite needs to read them cannot be created beside it (the folder is \
                     read-only): copy the file and its -wal to a folder that can be written"
                .into(),
        }),
    }
}

/// Opens `path` for reading only, as a file nothing changes while it is
/// open: no lock, no `-wal` or `-shm` beside it.
fn open_immutable(path: &Path) -> Result<Connection> {
    let text = path.to_str().ok_or_else(|| StoreError::Unreadable {
        path: path.to_path_buf(),
        detail: "the path is not valid UTF-8".into(),
    })?;
    // A URI: `%`, `?` and `#` would be read as its syntax.
    let escaped = text
        .replace('%', "%25")
        .replace('?', "%3F")
        .replace('#', "%23");
    // An absolute path after `file://` (an empty authority), so one
    // starting `//` is not read as a host.
    let uri = if escaped.starts_with('/') {
        format!("file://{escaped}?immutable=1")
    } else {
        format!("file:{escaped}?immutable=1")
    };
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    Connection::open_with_flags(uri, flags).map_err(|e| unreadable(path, e))
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

fn unreadable(path: &Path, e: rusqlite::Error) -> StoreError {
    let detail = match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => "not a SQLite database (or damaged)".to_string(),
        _ => e.to_string(),
    };
    StoreError::Unreadable {
        path: path.to_path_buf(),
        detail,
    }
}

/// Checks the file is ours (or empty), then sets pragmas and migrates. Nothing
/// is written before the identity checks pass: switching to WAL rewrites the
/// file header, so it comes after them.
fn prepare(
    conn: &Connection,
    path: &Path,
    seed_layout: Option<&str>,
    read_only: bool,
) -> Result<(Layout, Vec<Notice>)> {
    // One statement, so one snapshot: read apart, another gate's setup could
    // commit in between and a brand-new lot look foreign.
    let (app_id, version, tables): (i64, i64, i64) = conn
        .query_row(
            "SELECT (SELECT application_id FROM pragma_application_id()),
                    (SELECT user_version FROM pragma_user_version()),
                    (SELECT count(*) FROM sqlite_master)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .map_err(|e| unreadable(path, e))?;
    let blank = app_id == 0 && version == 0 && tables == 0;
    if !blank && app_id != APPLICATION_ID {
        return Err(StoreError::Foreign {
            path: path.to_path_buf(),
            found: app_id,
        });
    }
    if version > SCHEMA_VERSION {
        return Err(StoreError::Newer {
            path: path.to_path_buf(),
            found: version,
            known: SCHEMA_VERSION,
        });
    }
    if version < 0 {
        // No trucklot ever wrote this: refuse it, unchanged.
        return Err(StoreError::Unreadable {
            path: path.to_path_buf(),
            detail: format!("schema version {version} was never written by trucklot"),
        });
    }
    if blank && seed_layout.is_none() {
        return Err(StoreError::Unreadable {
            path: path.to_path_buf(),
            detail: "the file is empty; create the database with init".into(),
        });
    }
    let mut notices = Vec::new();
    if read_only {
        // Read as it is: no journal mode to set, and no upgrade possible.
        if blank {
            return Err(StoreError::ReadOnly {
                path: path.to_path_buf(),
            });
        }
        if version < SCHEMA_VERSION {
            return Err(StoreError::ReadOnlyOld {
                path: path.to_path_buf(),
                found: version,
            });
        }
    } else {
        wal(conn)?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // What a purge blanks is overwritten on disk, not left in free space.
        conn.pragma_update(None, "secure_delete", "ON")?;
        notices = migrate(conn, path, seed_layout)?;
    }
    let text: String = conn
        .query_row("SELECT value FROM meta WHERE key = 'layout'", [], |r| {
            r.get(0)
        })
        .map_err(|e| StoreError::Decode(format!("layout: {e}")))?;
    Ok((Layout::parse(&text)?, notices))
}

/// Switches to WAL. SQLite answers "busy" at once, without the busy timeout,
/// when another connection holds the write lock (a second gate starting on a
/// new file while the first sets it up), so wait for it here, up to the same
/// five seconds.
fn wal(conn: &Connection) -> Result<()> {
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
    if mode.eq_ignore_ascii_case("wal") {
        return Ok(());
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Ok(()) => return Ok(()),
            Err(e)
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// Applies missing migrations in one `BEGIN IMMEDIATE` transaction that reads
/// the version itself, so two terminals starting on a new file at once both
/// succeed: the second finds the work done.
fn migrate(conn: &Connection, path: &Path, seed_layout: Option<&str>) -> Result<Vec<Notice>> {
    // Up to date (the usual case): a read, so a reader opening the lot never
    // waits for the write lock another terminal holds.
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current == SCHEMA_VERSION {
        return Ok(Vec::new());
    }
    let mut notices = Vec::new();
    if current > 0 && current < PERSONAL_APART as i64 {
        notices.push(backup_before_rewrite(conn, path, current)?);
    }
    let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
    let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(StoreError::Newer {
            path: path.to_path_buf(),
            found: version,
            known: SCHEMA_VERSION,
        });
    }
    if version == SCHEMA_VERSION {
        return Ok(notices);
    }
    let Some(missing) = usize::try_from(version)
        .ok()
        .and_then(|v| MIGRATIONS.get(v..))
    else {
        return Err(StoreError::Unreadable {
            path: path.to_path_buf(),
            detail: format!("schema version {version} was never written by trucklot"),
        });
    };
    for (i, sql) in missing.iter().enumerate() {
        tx.execute_batch(sql)?;
        if version as usize + i + 1 == PERSONAL_APART {
            super::personal::move_out_of_events(&tx)?;
        }
    }
    if version == 0 {
        let text = seed_layout.ok_or_else(|| StoreError::Unreadable {
            path: path.to_path_buf(),
            detail: "the file has no layout".into(),
        })?;
        seed(Db::new(&tx), text)?;
    } else if (version as usize + 1..=MIGRATIONS.len()).any(|v| !KEEPS_STATE.contains(&v)) {
        // Migrations recreate state tables (projections) rather than edit
        // them in place; the log fills them again, in this transaction.
        super::rebuild::replay_log(Db::new(&tx)).map_err(|e| StoreError::Unreadable {
            path: path.to_path_buf(),
            detail: format!("upgrading from schema version {version}: {e}"),
        })?;
    }
    tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    tx.commit()?;
    Ok(notices)
}

/// The schema version whose migration moves personal data out of the log:
/// the one rewrite of events there is, so the file is backed up first.
const PERSONAL_APART: usize = 6;

/// Copies the file, whole and consistent, to `FILE.before-schema-6.bak` (or
/// `…bak.2`, `…bak.3` if one is there) before its log is rewritten; the
/// notice says where (the caller tells the user, in their language).
/// Refuses to migrate if the copy cannot be made.
fn backup_before_rewrite(conn: &Connection, path: &Path, version: i64) -> Result<Notice> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let base = format!(
        "{}.before-schema-{PERSONAL_APART}.bak",
        name.as_deref().unwrap_or("trucklot.db")
    );
    let mut to = path.with_file_name(&base);
    let mut n = 2;
    while to.exists() {
        to = path.with_file_name(format!("{base}.{n}"));
        n += 1;
    }
    let tmp = temp_beside(&to);
    let failed = |detail: String| StoreError::Create {
        path: to.clone(),
        detail: format!(
            "the backup made before upgrading from schema version {version} failed ({detail}); the database was left unchanged"
        ),
    };
    create_private_file(&tmp, true)?;
    let written = match tmp.to_str() {
        Some(t) => conn
            .execute("VACUUM INTO ?1", [t])
            .map(|_| ())
            .map_err(|e| failed(e.to_string())),
        None => Err(failed("the path is not valid UTF-8".into())),
    };
    if let Err(e) = written.and_then(|()| publish(&tmp, &to)) {
        remove_with_wal(&tmp);
        return Err(e);
    }
    Ok(Notice::UpgradeBackup {
        path: path.to_path_buf(),
        from: version,
        copy: to,
    })
}

/// Fills a new lot's bays and zones and keeps its layout: the same on
/// both engines.
pub(super) fn seed(db: Db<'_>, layout_text: &str) -> Result<()> {
    let layout = Layout::parse(layout_text)?;
    db.execute(
        "INSERT INTO meta (key, value) VALUES ('layout', ?1), ('created_at', ?2)",
        args![layout_text, super::ts(chrono::Utc::now())],
    )?;
    for (i, b) in layout.bays.iter().enumerate() {
        db.execute(
            "INSERT INTO bays (id, zone, ord) VALUES (?1, ?2, ?3)",
            args![b.id.as_str(), b.zone.as_str(), i as i64],
        )?;
    }
    for zone in crate::domain::Zone::ALL {
        db.execute("INSERT INTO zones (zone) VALUES (?1)", args![zone.as_str()])?;
    }
    Ok(())
}
