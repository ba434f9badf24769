//! The one path the store's SQL takes to the database: statements with
//! `?N` placeholders, bound to `Value`s, answering `Row`s read by typed
//! getters.
//!
//! Why: the store runs on SQLite and on PostgreSQL (`--db postgres://…`,
//! `docs/postgres.md`), and the rules of the lot live in one copy of
//! `apply`, `queries`, `boards`… written once against this layer, not
//! twice against two client libraries. So nothing above it names an
//! engine's type: parameters are the four kinds of value SQLite stores
//! (the store writes no blobs), rows are decoded by typed getters that
//! fail with `StoreError::Decode`, and every statement goes through the
//! connection's cache of prepared statements, keyed by its text (the
//! server's side, `pg`, rewrites `?N` to `$N` once per text and prepares
//! it on the server, where an uncached statement costs a round trip).
//! Transactions begin, commit and roll back here too (`Db::begin`, `Txn`),
//! with the engine's own way of holding the one writer's lock.
//!
//! What stays with one engine, on its raw connection, and does not come
//! here: SQLite's PRAGMAs (`open`, `verify`, `changed`, the simulation's
//! durability), `VACUUM INTO` (`backup`, the copy before an upgrade), the
//! file's schema migrations; the server's `LISTEN` and reconnecting. The
//! few statements the two engines spell differently pick their text with
//! `Db::pick`.
//!
//! A `Db` is a borrowed handle, not an owner: the same handle works on the
//! store's connection inside or outside a transaction, and a `Tx` or a
//! replay runs its statements through it.

use rusqlite::types::ValueRef;

use super::{Result, StoreError};

/// A value bound to a statement or read from a row: SQLite's four storage
/// classes without blobs.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
}

impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::Integer(v)
    }
}

impl From<f64> for Value {
    fn from(v: f64) -> Value {
        Value::Real(v)
    }
}

/// Stored as 0 or 1, as rusqlite binds a `bool`.
impl From<bool> for Value {
    fn from(v: bool) -> Value {
        Value::Integer(v.into())
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::Text(v.to_owned())
    }
}

impl From<String> for Value {
    fn from(v: String) -> Value {
        Value::Text(v)
    }
}

impl From<&String> for Value {
    fn from(v: &String) -> Value {
        Value::Text(v.clone())
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Value {
        v.map_or(Value::Null, Into::into)
    }
}

impl From<&Option<String>> for Value {
    /// A borrowed optional field of a domain value (`&a.driver`).
    fn from(v: &Option<String>) -> Value {
        v.as_deref().into()
    }
}

/// Borrowed fields of domain values, bound as they are.
macro_rules! copied {
    ($($t:ty),*) => {$(
        impl From<&$t> for Value {
            fn from(v: &$t) -> Value {
                (*v).into()
            }
        }
    )*};
}
copied!(i64, bool, f64, Option<i64>, Option<bool>, Option<f64>);

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::ToSqlOutput::Borrowed;
        Ok(Borrowed(match self {
            Value::Null => ValueRef::Null,
            Value::Integer(v) => ValueRef::Integer(*v),
            Value::Real(v) => ValueRef::Real(*v),
            Value::Text(s) => ValueRef::Text(s.as_bytes()),
        }))
    }
}

/// The parameters of a statement, each turned into a `Value`:
/// `args![stay.0, plate.as_str(), &at]`.
macro_rules! args {
    ($($v:expr),* $(,)?) => {
        &[$($crate::store::conn::Value::from($v)),*][..]
    };
}
pub(crate) use args;

/// One row of an answer, its columns in the statement's order, read in
/// place: a text column is borrowed from the engine's row, not copied
/// until a caller keeps it (`string`).
pub(crate) enum Row<'a> {
    Sqlite(&'a rusqlite::Row<'a>),
    Pg(&'a postgres::Row),
}

/// A column's value as the getters see it, whichever engine answered.
pub(super) enum Cell<'a> {
    Null,
    Integer(i64),
    Real(f64),
    Text(&'a str),
    /// A type the store never reads (a blob, a numeric…), by name.
    Other(String),
}

impl Row<'_> {
    /// How many columns the row has.
    pub fn len(&self) -> usize {
        match self {
            Row::Sqlite(r) => r.as_ref().column_count(),
            Row::Pg(r) => r.len(),
        }
    }

    fn at(&self, i: usize) -> Result<Cell<'_>> {
        let bad = |e: &dyn std::fmt::Display| StoreError::Decode(format!("column {i}: {e}"));
        match self {
            Row::Sqlite(r) => Ok(match r.get_ref(i).map_err(|e| bad(&e))? {
                ValueRef::Null => Cell::Null,
                ValueRef::Integer(v) => Cell::Integer(v),
                ValueRef::Real(v) => Cell::Real(v),
                ValueRef::Text(t) => Cell::Text(std::str::from_utf8(t).map_err(|e| bad(&e))?),
                ValueRef::Blob(_) => Cell::Other("a blob".into()),
            }),
            Row::Pg(r) => super::pg::cell(r, i).map_err(|e| bad(&e)),
        }
    }

    fn wrong(&self, i: usize, want: &str) -> StoreError {
        let found = match self.at(i) {
            Ok(Cell::Null) => "null".to_string(),
            Ok(Cell::Integer(_)) => "an integer".into(),
            Ok(Cell::Real(_)) => "a real".into(),
            Ok(Cell::Text(_)) => "text".into(),
            Ok(Cell::Other(t)) => t,
            Err(_) => "nothing".into(),
        };
        StoreError::Decode(format!("column {i} holds {found}, not {want}"))
    }

    pub fn opt_i64(&self, i: usize) -> Result<Option<i64>> {
        match self.at(i)? {
            Cell::Null => Ok(None),
            Cell::Integer(v) => Ok(Some(v)),
            _ => Err(self.wrong(i, "an integer")),
        }
    }

    pub fn i64(&self, i: usize) -> Result<i64> {
        self.opt_i64(i)?.ok_or_else(|| self.wrong(i, "an integer"))
    }

    /// An integer column read as a real, as SQLite hands out a `REAL`
    /// column's whole values.
    pub fn opt_f64(&self, i: usize) -> Result<Option<f64>> {
        match self.at(i)? {
            Cell::Null => Ok(None),
            Cell::Integer(v) => Ok(Some(v as f64)),
            Cell::Real(v) => Ok(Some(v)),
            _ => Err(self.wrong(i, "a number")),
        }
    }

    /// A truth value: SQLite's 0 or 1 (any other integer is true, as
    /// rusqlite reads it), or PostgreSQL's boolean.
    pub fn opt_bool(&self, i: usize) -> Result<Option<bool>> {
        Ok(self.opt_i64(i)?.map(|v| v != 0))
    }

    pub fn bool(&self, i: usize) -> Result<bool> {
        self.opt_bool(i)?
            .ok_or_else(|| self.wrong(i, "a truth value"))
    }

    pub fn opt_text(&self, i: usize) -> Result<Option<&str>> {
        match self.at(i)? {
            Cell::Null => Ok(None),
            Cell::Text(t) => Ok(Some(t)),
            _ => Err(self.wrong(i, "text")),
        }
    }

    pub fn text(&self, i: usize) -> Result<&str> {
        self.opt_text(i)?.ok_or_else(|| self.wrong(i, "text"))
    }

    /// `opt_text`, owned: for a column kept as it is in a domain value.
    pub fn opt_string(&self, i: usize) -> Result<Option<String>> {
        Ok(self.opt_text(i)?.map(str::to_owned))
    }

    pub fn string(&self, i: usize) -> Result<String> {
        Ok(self.text(i)?.to_owned())
    }

    /// Any column as one word of text (`NULL`, a number, or the text in
    /// quotes), the same on both engines: for `check`'s report of rows
    /// that differ.
    pub fn shown(&self, i: usize) -> Result<String> {
        Ok(match self.at(i)? {
            Cell::Null => "NULL".into(),
            Cell::Integer(v) => v.to_string(),
            Cell::Real(v) => v.to_string(),
            Cell::Text(t) => format!("{t:?}"),
            Cell::Other(t) => format!("<{t}>"),
        })
    }
}

/// Which engine a `Db` runs on: for the few statements written twice
/// because the two speak differently (`group_concat`, JSON, planner hints).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Engine {
    Sqlite,
    Postgres,
}

/// A handle for running the store's SQL on a connection (or on the
/// transaction or savepoint that derefs to it).
#[derive(Clone, Copy)]
pub(crate) enum Db<'c> {
    Sqlite(&'c rusqlite::Connection),
    Pg(&'c super::pg::PgConn),
}

/// How a transaction begins (`Db::begin`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Begin {
    /// Takes the one writer's lock before reading anything, so what the
    /// rules read cannot change before they write (SQLite's `BEGIN
    /// IMMEDIATE`; on PostgreSQL an advisory lock held to the end).
    Write,
    /// One consistent snapshot, no lock: readers never wait for writers.
    Read,
}

impl<'c> Db<'c> {
    pub fn new(conn: &'c rusqlite::Connection) -> Db<'c> {
        Db::Sqlite(conn)
    }

    pub fn engine(&self) -> Engine {
        match self {
            Db::Sqlite(_) => Engine::Sqlite,
            Db::Pg(_) => Engine::Postgres,
        }
    }

    /// `sqlite` or `postgres`, whichever this engine speaks.
    pub fn pick<'s>(&self, sqlite: &'s str, postgres: &'s str) -> &'s str {
        match self {
            Db::Sqlite(_) => sqlite,
            Db::Pg(_) => postgres,
        }
    }

    /// Runs a statement that returns no rows; answers how many rows it
    /// changed.
    pub fn execute(&self, sql: &str, params: &[Value]) -> Result<usize> {
        match self {
            Db::Sqlite(c) => Ok(c
                .prepare_cached(sql)?
                .execute(rusqlite::params_from_iter(params))?),
            Db::Pg(c) => c.execute(sql, params),
        }
    }

    /// Inserts `rows` with `into` (`INSERT INTO t (columns)`), many rows a
    /// statement: each statement is a round of the engine's work (on a
    /// server, a round trip), so a row at a time would make copying a
    /// season a matter of a million of them. Within both engines' limits
    /// on parameters (SQLite 32,766, PostgreSQL 65,535).
    pub fn insert_rows<const N: usize>(&self, into: &str, rows: &[[Value; N]]) -> Result<()> {
        const PARAMETERS: usize = 30_000;
        for chunk in rows.chunks((PARAMETERS / N.max(1)).max(1)) {
            let mut sql = String::with_capacity(into.len() + chunk.len() * N * 6);
            sql.push_str(into);
            sql.push_str(" VALUES ");
            let mut n = 0;
            for i in 0..chunk.len() {
                sql.push_str(if i == 0 { "(" } else { ", (" });
                for j in 0..N {
                    n += 1;
                    sql.push_str(&format!("{}?{n}", if j == 0 { "" } else { ", " }));
                }
                sql.push(')');
            }
            let params: Vec<Value> = chunk.iter().flat_map(|r| r.iter().cloned()).collect();
            self.execute(&sql, &params)?;
        }
        Ok(())
    }

    /// Runs statements separated by `;`, without parameters (schema
    /// changes, transaction control).
    pub fn batch(&self, sql: &str) -> Result<()> {
        match self {
            Db::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Db::Pg(c) => c.batch(sql),
        }
    }

    /// Every row of a query, each turned into a value by `f`. `f` may run
    /// queries of its own (reading an event reads its personal values):
    /// SQLite interleaves statements on one connection; PostgreSQL's answer
    /// is read whole first.
    pub fn query<T>(
        &self,
        sql: &str,
        params: &[Value],
        mut f: impl FnMut(&Row) -> Result<T>,
    ) -> Result<Vec<T>> {
        let mut out = Vec::new();
        self.each(sql, params, usize::MAX, |r| {
            out.push(f(r)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// The first row of a query, if it has any.
    pub fn query_opt<T>(
        &self,
        sql: &str,
        params: &[Value],
        f: impl FnOnce(&Row) -> Result<T>,
    ) -> Result<Option<T>> {
        let mut f = Some(f);
        let mut out = None;
        self.each(sql, params, 1, |r| {
            if let Some(f) = f.take() {
                out = Some(f(r)?);
            }
            Ok(())
        })?;
        Ok(out)
    }

    /// The first row of a query that always answers one (an aggregate, a
    /// row known to exist): none is an error, as rusqlite's `query_row`.
    pub fn query_one<T>(
        &self,
        sql: &str,
        params: &[Value],
        f: impl FnOnce(&Row) -> Result<T>,
    ) -> Result<T> {
        self.query_opt(sql, params, f)?
            .ok_or_else(|| StoreError::Sql(format!("no row answered: {sql}")))
    }

    /// Runs `f` on up to `limit` rows of a query, as they come.
    fn each(
        &self,
        sql: &str,
        params: &[Value],
        limit: usize,
        mut f: impl FnMut(&Row) -> Result<()>,
    ) -> Result<()> {
        match self {
            Db::Sqlite(c) => {
                let mut st = c.prepare_cached(sql)?;
                let mut rows = st.query(rusqlite::params_from_iter(params))?;
                let mut seen = 0;
                while seen < limit
                    && let Some(row) = rows.next()?
                {
                    f(&Row::Sqlite(row))?;
                    seen += 1;
                }
            }
            Db::Pg(c) => {
                for row in c.query(sql, params)?.iter().take(limit) {
                    f(&Row::Pg(row))?;
                }
            }
        }
        Ok(())
    }

    /// Whether a transaction is open on the connection.
    pub fn in_transaction(&self) -> bool {
        match self {
            Db::Sqlite(c) => !c.is_autocommit(),
            Db::Pg(c) => c.depth() > 0,
        }
    }

    /// Begins a transaction, or inside one a savepoint of it. The answer
    /// rolls back when dropped unless committed.
    pub fn begin(self, how: Begin) -> Result<Txn<'c>> {
        let nested = self.in_transaction();
        let sql = match (self, nested, how) {
            (_, true, _) => "SAVEPOINT trucklot",
            (Db::Sqlite(_), false, Begin::Write) => "BEGIN IMMEDIATE",
            (Db::Sqlite(_), false, Begin::Read) => "BEGIN DEFERRED",
            (Db::Pg(_), false, Begin::Write) => super::pg::BEGIN_WRITE,
            (Db::Pg(_), false, Begin::Read) => super::pg::BEGIN_READ,
        };
        self.batch(sql)?;
        if let Db::Pg(c) = self {
            c.enter();
        }
        Ok(Txn {
            db: self,
            nested,
            open: true,
        })
    }
}

/// An open transaction or savepoint (`Db::begin`): `commit` keeps what it
/// did; dropped, it rolls back.
pub(crate) struct Txn<'c> {
    db: Db<'c>,
    nested: bool,
    open: bool,
}

impl<'c> Txn<'c> {
    pub fn db(&self) -> Db<'c> {
        self.db
    }

    pub fn commit(mut self) -> Result<()> {
        let sql = if self.nested {
            "RELEASE SAVEPOINT trucklot"
        } else {
            "COMMIT"
        };
        // A failed commit leaves `open` set: the drop rolls back what is
        // left, so no later statement joins a half-ended transaction.
        self.db.batch(sql)?;
        self.close();
        Ok(())
    }

    fn close(&mut self) {
        self.open = false;
        if let Db::Pg(c) = self.db {
            c.leave();
        }
    }
}

impl Drop for Txn<'_> {
    fn drop(&mut self) {
        if !self.open {
            return;
        }
        let sql = if self.nested {
            "ROLLBACK TO SAVEPOINT trucklot; RELEASE SAVEPOINT trucklot"
        } else {
            "ROLLBACK"
        };
        // Nothing to tell anyone: the work is being abandoned already, and
        // a connection that failed has nothing left to roll back.
        let _ = self.db.batch(sql);
        self.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> rusqlite::Connection {
        rusqlite::Connection::open_in_memory().unwrap()
    }

    #[test]
    fn values_bind_and_read_back_as_sqlite_stores_them() {
        let c = db();
        let d = Db::new(&c);
        let driver: Option<String> = Some("张三".into());
        let none: Option<&str> = None;
        let row = d
            .query_one(
                "SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7",
                args![7_i64, 2.5, true, "x", &driver, none, 3_i64],
                |r| {
                    Ok((
                        r.i64(0)?,
                        r.opt_f64(1)?,
                        r.bool(2)?,
                        r.string(3)?,
                        r.opt_string(4)?,
                        r.opt_text(5)?.map(str::to_owned),
                        r.opt_f64(6)?,
                    ))
                },
            )
            .unwrap();
        assert_eq!(
            row,
            (7, Some(2.5), true, "x".into(), driver, None, Some(3.0))
        );
    }

    #[test]
    fn a_column_of_another_type_is_a_decode_error() {
        let c = db();
        let d = Db::new(&c);
        let e = d
            .query_one("SELECT 'a', NULL", &[], |r| r.i64(0))
            .unwrap_err();
        assert!(matches!(e, StoreError::Decode(_)), "{e}");
        let e = d
            .query_one("SELECT 'a', NULL", &[], |r| r.string(1))
            .unwrap_err();
        assert!(matches!(e, StoreError::Decode(_)), "{e}");
        let e = d.query_one("SELECT 1", &[], |r| r.i64(1)).unwrap_err();
        assert!(matches!(e, StoreError::Decode(_)), "{e}");
    }

    #[test]
    fn no_row_is_none_or_an_error() {
        let c = db();
        let d = Db::new(&c);
        let sql = "SELECT 1 WHERE ?1";
        assert_eq!(d.query_opt(sql, args![false], |r| r.i64(0)).unwrap(), None);
        assert!(d.query_one(sql, args![false], |r| r.i64(0)).is_err());
        assert_eq!(d.query(sql, args![true], |r| r.i64(0)).unwrap(), [1]);
    }

    #[test]
    fn execute_counts_changed_rows() {
        let c = db();
        let d = Db::new(&c);
        d.execute("CREATE TABLE t (x)", &[]).unwrap();
        assert_eq!(
            d.execute("INSERT INTO t VALUES (?1), (?2)", args![1_i64, Value::Null])
                .unwrap(),
            2
        );
        assert_eq!(d.execute("UPDATE t SET x = 2", &[]).unwrap(), 2);
    }
}
