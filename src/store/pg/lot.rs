//! A lot on a PostgreSQL server: telling a server address from a file
//! name, opening a lot there (the schema's version and application read
//! from `meta`, which stands for SQLite's `application_id` and
//! `user_version`), and creating one: the schema and the bays in one
//! transaction under the writers' lock, so two gates running `init` at once
//! both end with one lot.
//!
//! What does not live here: the file side (`open`), the SQL of the lot
//! itself (shared with SQLite through `conn`).

use std::path::{Path, PathBuf};

use super::PgConn;
use crate::domain::layout::Layout;
use crate::store::conn::{Begin, Db};
use crate::store::open::{SCHEMA_VERSION, seed};
use crate::store::{Backend, Notice, Result, Store, StoreError};

/// The whole schema, applied to an empty database by `create`.
const SCHEMA: &str = include_str!("schema.sql");

/// Whether `--db` names a server rather than a file.
pub fn is_server(db: &Path) -> bool {
    db.to_str()
        .is_some_and(|s| s.starts_with("postgres://") || s.starts_with("postgresql://"))
}

/// A server address as it may be shown and logged: the password, if the
/// address carries one, replaced by `***`.
pub fn shown(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, tail) = match rest.find(['/', '?']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let Some((user_info, host)) = authority.rsplit_once('@') else {
        return url.to_owned();
    };
    let user = match user_info.split_once(':') {
        Some((user, _password)) => format!("{user}:***"),
        None => user_info.to_owned(),
    };
    let query = redact_query(tail);
    format!("{scheme}://{user}@{host}{query}")
}

/// `password=` in the query part, redacted too.
fn redact_query(tail: &str) -> String {
    let Some((path, query)) = tail.split_once('?') else {
        return tail.to_owned();
    };
    let pairs: Vec<String> = query
        .split('&')
        .map(|kv| match kv.split_once('=') {
            Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
            _ => kv.to_owned(),
        })
        .collect();
    format!("{path}?{}", pairs.join("&"))
}

fn lot_of(url: &str, mut conn: PgConn, layout: Layout) -> Store {
    let notices = conn
        .ignored_password_file
        .take()
        .map(|file| Notice::PasswordFileIgnored { file })
        .into_iter()
        .collect();
    Store {
        conn: Backend::Pg(Box::new(conn)),
        layout,
        path: PathBuf::from(shown(url)),
        read_only: false,
        server: Some(url.to_owned()),
        seen: Default::default(),
        notices,
        taken: None,
    }
}

/// Opens the lot at `url`: refused when the database holds none (a typo
/// must not start an empty lot) or one of a newer schema.
pub(crate) fn open(url: &str) -> Result<Store> {
    let conn = PgConn::connect(url).map_err(|e| e.on(Path::new(&shown(url))))?;
    upgrade(Db::Pg(&conn))?;
    let layout = read_lot(Db::Pg(&conn), url)?;
    Ok(lot_of(url, conn, layout))
}

/// Whether the database holds a lot (its `meta` table).
fn has_lot(db: Db<'_>) -> Result<bool> {
    db.query_one("SELECT to_regclass('public.meta') IS NOT NULL", &[], |r| {
        r.bool(0)
    })
}

/// The steps from one schema version to the next on a server, by the
/// version they start from. A server's lot is never replayed to upgrade:
/// each step keeps the state's rows.
const UPGRADES: &[(i64, &str)] = &[
    (11, include_str!("upgrade_12.sql")),
    (12, include_str!("upgrade_13.sql")),
    (13, include_str!("upgrade_14.sql")),
    (14, include_str!("upgrade_15.sql")),
];

/// Brings a lot of an older schema up to this one, a step at a time, each
/// in one transaction under the writers' lock that reads the version
/// again: two laptops starting a new release at once upgrade it once. A
/// database with no lot, or one this release cannot upgrade, is left for
/// `read_lot` to refuse.
fn upgrade(db: Db<'_>) -> Result<()> {
    let version = |db: Db<'_>| -> Result<Option<i64>> {
        if !has_lot(db)? {
            return Ok(None);
        }
        Ok(db
            .query_opt(
                "SELECT value FROM meta WHERE key = 'schema_version'",
                &[],
                |r| r.string(0),
            )?
            .and_then(|v| v.parse().ok()))
    };
    let step = |v: Option<i64>| {
        UPGRADES
            .iter()
            .find(|(from, _)| Some(*from) == v)
            .map(|(_, sql)| *sql)
    };
    while step(version(db)?).is_some() {
        let tx = db.begin(Begin::Write)?;
        if let Some(sql) = step(version(db)?) {
            db.batch(sql)?;
        }
        tx.commit()?;
        if let Db::Pg(c) = db {
            // Statements planned on the old schema would keep its shape.
            c.forget_statements();
        }
    }
    Ok(())
}

/// What `open` checks, on a connection: the lot's layout.
pub(crate) fn read_lot(db: Db<'_>, url: &str) -> Result<Layout> {
    let path = || PathBuf::from(shown(url));
    if !has_lot(db)? {
        return Err(StoreError::NotFound { path: path() });
    }
    // `init` refuses another collation, but a restore (`pg_restore` into a
    // database made with the server's default) would bring the lot into one
    // quietly, and plates and times would sort unlike SQLite's.
    let collation = db.query_one(
        "SELECT datcollate::text FROM pg_database WHERE datname = current_database()",
        &[],
        |r| r.string(0),
    )?;
    if collation != "C" && collation != "POSIX" {
        return Err(StoreError::Unreadable {
            path: path(),
            detail: format!(
                "the database sorts text by '{collation}', not byte by byte (C): create it with LC_COLLATE 'C' and restore the lot into that"
            ),
        });
    }
    let meta = db.query(
        "SELECT key, value FROM meta WHERE key IN ('application', 'schema_version', 'layout')",
        &[],
        |r| Ok((r.string(0)?, r.string(1)?)),
    )?;
    let get = |k: &str| {
        meta.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    if get("application") != Some("trucklot") {
        return Err(StoreError::Unreadable {
            path: path(),
            detail: "the database has a table 'meta' that trucklot did not write".into(),
        });
    }
    let version: i64 = get("schema_version")
        .and_then(|v| v.parse().ok())
        .unwrap_or(-1);
    if version > SCHEMA_VERSION {
        return Err(StoreError::Newer {
            path: path(),
            found: version,
            known: SCHEMA_VERSION,
        });
    }
    if version != SCHEMA_VERSION {
        return Err(StoreError::Unreadable {
            path: path(),
            detail: format!("schema version {version} was never written by trucklot on a server"),
        });
    }
    let text = get("layout").ok_or_else(|| StoreError::Decode("the lot has no layout".into()))?;
    Ok(Layout::parse(text)?)
}

/// Creates the lot's schema and bays in the empty database at `url`;
/// refuses a database that already holds a lot, unchanged.
pub(crate) fn create(url: &str, layout_text: &str) -> Result<Store> {
    create_with(url, layout_text, |_| Ok(()))
}

/// `create`, with `fill` run on the new lot in the same transaction: the
/// lot appears with what `fill` wrote, or not at all (`migrate`).
pub(crate) fn create_with(
    url: &str,
    layout_text: &str,
    fill: impl FnOnce(Db<'_>) -> Result<()>,
) -> Result<Store> {
    // Parse first: a bad layout must not leave a half-made lot.
    Layout::parse(layout_text)?;
    let conn = PgConn::connect(url).map_err(|e| e.on(Path::new(&shown(url))))?;
    {
        let db = Db::Pg(&conn);
        let tx = db.begin(Begin::Write)?;
        if has_lot(db)? {
            return Err(StoreError::AlreadyExists {
                path: PathBuf::from(shown(url)),
            });
        }
        db.batch(SCHEMA).map_err(|e| StoreError::Create {
            path: PathBuf::from(shown(url)),
            detail: e.to_string(),
        })?;
        seed(db, layout_text)?;
        fill(db)?;
        tx.commit()?;
    }
    // Prepared before the tables existed, nothing; after, what `seed` ran.
    conn.forget_statements();
    let layout = read_lot(Db::Pg(&conn), url)?;
    Ok(lot_of(url, conn, layout))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_addresses_are_told_from_files() {
        assert!(is_server(Path::new("postgres://gate@db/lot")));
        assert!(is_server(Path::new("postgresql://db/lot?sslmode=require")));
        assert!(!is_server(Path::new("lot.db")));
        assert!(!is_server(Path::new("./postgres://x")));
    }

    #[test]
    fn passwords_are_never_shown() {
        assert_eq!(
            shown("postgres://gate:s3cret@db:5432/lot?sslmode=require"),
            "postgres://gate:***@db:5432/lot?sslmode=require"
        );
        assert_eq!(
            shown("postgresql://gate@db/lot?password=x&sslmode=require"),
            "postgresql://gate@db/lot?password=***&sslmode=require"
        );
        assert_eq!(shown("postgres://db/lot"), "postgres://db/lot");
        assert_eq!(shown("postgres://a:b@c"), "postgres://a:***@c");
    }
}
