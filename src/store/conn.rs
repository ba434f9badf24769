//! The one path the store's SQL takes to the database: statements with
//! `?N` placeholders, bound to `Value`s, answering `Row`s read by typed
//! getters.
//!
//! Why: the store is to run on SQLite and on PostgreSQL (issue 11,
//! `docs/postgres.md`), and the rules of the lot live in one copy of
//! `apply`, `queries`, `boards`… written once against this layer, not
//! twice against two client libraries. So nothing moved onto it names a
//! `rusqlite` type: parameters are the four kinds of value SQLite stores
//! (the store writes no blobs), rows are decoded by typed getters that
//! fail with `StoreError::Decode`, and every statement goes through the
//! connection's cache of prepared statements, keyed by its text (the
//! PostgreSQL side will rewrite `?N` to `$N` once per text and prepare it
//! on the server, where an uncached statement costs a round trip).
//!
//! Only the SQLite side exists yet. What stays SQLite-only, on the raw
//! connection, and is not meant to come here: PRAGMAs (`open`, `verify`,
//! `data_version`, the simulation's durability), `VACUUM INTO` (`backup`
//! and the copy before an upgrade), the schema migrations, and `check`'s
//! TEMP shadow tables found through `sqlite_master`. Not moved yet, and
//! meant to: beginning, committing and rolling back transactions and
//! savepoints (`Store::write`, `read`, `consistent`, `bulk`, `tx::Scope`
//! still hold rusqlite's), and the seeding of a new file's bays and zones.
//!
//! A `Db` is a borrowed handle, not an owner: rusqlite's transactions and
//! savepoints borrow the connection and deref to it, and a `Tx` or a
//! replay runs its statements through them. The same handle works on the
//! store's connection, a transaction or a savepoint.

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
pub(crate) struct Row<'a> {
    row: &'a rusqlite::Row<'a>,
}

impl Row<'_> {
    fn at(&self, i: usize) -> Result<ValueRef<'_>> {
        self.row
            .get_ref(i)
            .map_err(|e| StoreError::Decode(format!("column {i}: {e}")))
    }

    fn wrong(&self, i: usize, want: &str) -> StoreError {
        let found = match self.row.get_ref(i) {
            Ok(ValueRef::Null) => "null",
            Ok(ValueRef::Integer(_)) => "an integer",
            Ok(ValueRef::Real(_)) => "a real",
            Ok(ValueRef::Text(_)) => "text",
            Ok(ValueRef::Blob(_)) => "a blob",
            Err(_) => "nothing",
        };
        StoreError::Decode(format!("column {i} holds {found}, not {want}"))
    }

    pub fn opt_i64(&self, i: usize) -> Result<Option<i64>> {
        match self.at(i)? {
            ValueRef::Null => Ok(None),
            ValueRef::Integer(v) => Ok(Some(v)),
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
            ValueRef::Null => Ok(None),
            ValueRef::Integer(v) => Ok(Some(v as f64)),
            ValueRef::Real(v) => Ok(Some(v)),
            _ => Err(self.wrong(i, "a number")),
        }
    }

    /// A truth value: SQLite's 0 or 1 (any other integer is true, as
    /// rusqlite reads it).
    pub fn opt_bool(&self, i: usize) -> Result<Option<bool>> {
        Ok(self.opt_i64(i)?.map(|v| v != 0))
    }

    pub fn bool(&self, i: usize) -> Result<bool> {
        self.opt_bool(i)?
            .ok_or_else(|| self.wrong(i, "a truth value"))
    }

    pub fn opt_text(&self, i: usize) -> Result<Option<&str>> {
        match self.at(i)? {
            ValueRef::Null => Ok(None),
            ValueRef::Text(t) => std::str::from_utf8(t)
                .map(Some)
                .map_err(|e| StoreError::Decode(format!("column {i}: {e}"))),
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
}

/// A handle for running the store's SQL on a connection (or on the
/// transaction or savepoint that derefs to it).
#[derive(Clone, Copy)]
pub(crate) struct Db<'c> {
    conn: &'c rusqlite::Connection,
}

impl<'c> Db<'c> {
    pub fn new(conn: &'c rusqlite::Connection) -> Db<'c> {
        Db { conn }
    }

    /// Runs a statement that returns no rows; answers how many rows it
    /// changed.
    pub fn execute(&self, sql: &str, params: &[Value]) -> Result<usize> {
        Ok(self
            .conn
            .prepare_cached(sql)?
            .execute(rusqlite::params_from_iter(params))?)
    }

    /// Every row of a query, each turned into a value by `f`. `f` may run
    /// queries of its own (reading an event reads its personal values):
    /// SQLite interleaves statements on one connection; a client that
    /// streams one answer at a time must read the answer whole first.
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
            .ok_or_else(|| rusqlite::Error::QueryReturnedNoRows.into())
    }

    /// Runs `f` on up to `limit` rows of a query, as they come.
    fn each(
        &self,
        sql: &str,
        params: &[Value],
        limit: usize,
        mut f: impl FnMut(&Row) -> Result<()>,
    ) -> Result<()> {
        let mut st = self.conn.prepare_cached(sql)?;
        let mut rows = st.query(rusqlite::params_from_iter(params))?;
        let mut seen = 0;
        while seen < limit
            && let Some(row) = rows.next()?
        {
            f(&Row { row })?;
            seen += 1;
        }
        Ok(())
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
