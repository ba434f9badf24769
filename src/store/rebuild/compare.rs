//! Where the stored state tables and their replayed copies differ, row by
//! row, as text (`check`, `rebuild`). Not here: making the copies.

use super::super::Result;
use super::super::conn::{Db, Engine, args};
use super::{STATE_TABLES, stored_schema, temp_schema};

/// The rows that differ between the stored state tables and their shadow
/// copies, compared inside the database (`EXCEPT` both ways): only
/// differing rows are ever turned into text, so a clean check of a long
/// log costs the comparison, not a text copy of every row. Sorted like
/// `diff`'s output.
pub(super) fn compare(db: Db<'_>) -> Result<Vec<String>> {
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

pub(super) fn dump(db: Db<'_>, schema: &str) -> Result<Vec<String>> {
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

pub(super) fn diff(before: &[String], after: &[String]) -> Vec<String> {
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
}
