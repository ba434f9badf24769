//! Which bays are taken (occupied or closed), kept in memory between the
//! transactions of a file's connection, for the suggestion of a bay.
//!
//! Why: an arrival's suggestion needs the whole lot's free bays, and on a
//! full lot reading every taken bay (some 400 rows) was a third of what a
//! gate action costs; between two arrivals only a bay or two change.
//!
//! Why the copy cannot go stale: SQLite tells this connection of every row
//! it changes in `bays` (its update hook), and `PRAGMA data_version` tells
//! it that another connection committed. A row changed by the transaction
//! under way may still roll back, so it is read afresh for every answer
//! and kept only once that transaction has ended (its commit or rollback
//! hook); another connection's commit, or a row added to or taken out of
//! `bays`, makes the next answer read every taken bay again. Debug builds
//! (and so every test) compare each answer with a fresh read.
//!
//! Not here: which free bay is best (`domain::suggest`), taking a bay
//! (`apply`). On a server nothing tells one client of another's writes
//! row by row: there the taken bays are read for every answer.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::Connection;
use rusqlite::hooks::Action;

use super::Result;
use super::conn::{Db, args};

/// Reading more changed rows one by one than this costs about what reading
/// every taken bay does.
const REREAD_AT_MOST: usize = 32;

/// The taken bays of one SQLite connection (`watch`).
pub(crate) struct TakenBays {
    changes: Arc<Mutex<Changes>>,
    known: RefCell<Option<Known>>,
}

/// What the connection's hooks saw since the copy was last brought up to
/// date.
#[derive(Debug, Default)]
struct Changes {
    /// Bays (by rowid) changed by the transaction under way.
    now: BTreeSet<i64>,
    /// Bays changed by transactions that have ended, committed or not.
    ended: BTreeSet<i64>,
    /// A bay was added or removed by the transaction under way …
    reshaped_now: bool,
    /// … or by one that has ended.
    reshaped: bool,
}

impl Changes {
    fn end_transaction(&mut self) {
        let now = std::mem::take(&mut self.now);
        self.ended.extend(now);
        self.reshaped |= std::mem::take(&mut self.reshaped_now);
    }
}

/// The copy: right as of `data_version`, for every bay not changed since.
struct Known {
    data_version: i64,
    /// By position in the layout (`ord`).
    taken: Vec<bool>,
}

impl TakenBays {
    /// Starts following `conn`'s changes to `bays`. It takes the
    /// connection's update, commit and rollback hooks: nothing else in the
    /// store sets them.
    pub fn watch(conn: &Connection) -> TakenBays {
        let changes = Arc::new(Mutex::new(Changes::default()));
        let seen = Arc::clone(&changes);
        conn.update_hook(Some(
            move |action: Action, db: &str, table: &str, rowid: i64| {
                if db == "main" && table == "bays" {
                    let mut c = lock(&seen);
                    match action {
                        Action::SQLITE_UPDATE => {
                            c.now.insert(rowid);
                        }
                        _ => c.reshaped_now = true,
                    }
                }
            },
        ));
        let committed = Arc::clone(&changes);
        conn.commit_hook(Some(move || {
            lock(&committed).end_transaction();
            // Let the commit go on.
            false
        }));
        let rolled_back = Arc::clone(&changes);
        conn.rollback_hook(Some(move || lock(&rolled_back).end_transaction()));
        TakenBays {
            changes,
            known: RefCell::new(None),
        }
    }

    /// Whether each of the lot's `bays` bays (by position) is taken, as the
    /// transaction under way on `db` sees it.
    pub fn taken(&self, db: Db<'_>, bays: usize) -> Result<Vec<bool>> {
        let answer = self.answer(db, bays);
        if answer.is_err() {
            // What was taken out of `changes` is no longer known to be
            // read: start again from a full read.
            self.known.replace(None);
        }
        answer
    }

    fn answer(&self, db: Db<'_>, bays: usize) -> Result<Vec<bool>> {
        let data_version = db.query_one("PRAGMA data_version", &[], |r| r.i64(0))?;
        let (ended, now, reshaped_now, reshaped) = {
            let mut c = lock(&self.changes);
            (
                std::mem::take(&mut c.ended),
                c.now.clone(),
                c.reshaped_now,
                std::mem::take(&mut c.reshaped),
            )
        };
        if reshaped_now || now.len() > REREAD_AT_MOST {
            // The copy would have to learn what may still roll back.
            self.known.replace(None);
            return read_all(db, bays);
        }
        let mut known = self.known.borrow_mut();
        let stale = match known.as_mut() {
            Some(k)
                if k.data_version == data_version
                    && k.taken.len() == bays
                    && !reshaped
                    && ended.len() <= REREAD_AT_MOST =>
            {
                !reread(db, ended.difference(&now), &mut k.taken)?
            }
            _ => true,
        };
        if stale {
            *known = Some(Known {
                data_version,
                taken: read_all(db, bays)?,
            });
        }
        let mut taken = known.as_ref().map(|k| k.taken.clone()).unwrap_or_default();
        if !reread(db, now.iter(), &mut taken)? {
            return read_all(db, bays);
        }
        Ok(taken)
    }
}

/// Every taken bay, read from the table.
pub(crate) fn read_all(db: Db<'_>, bays: usize) -> Result<Vec<bool>> {
    let mut taken = vec![false; bays];
    for ord in db.query(
        "SELECT ord FROM bays WHERE occupant IS NOT NULL OR closed_reason IS NOT NULL",
        &[],
        |r| r.i64(0),
    )? {
        if let Some(t) = usize::try_from(ord).ok().and_then(|o| taken.get_mut(o)) {
            *t = true;
        }
    }
    Ok(taken)
}

/// Reads the bays of `rowids` into `taken`; false if one is gone (the copy
/// no longer fits the table).
fn reread<'a>(
    db: Db<'_>,
    rowids: impl Iterator<Item = &'a i64>,
    taken: &mut [bool],
) -> Result<bool> {
    for &rowid in rowids {
        let row = db.query_opt(
            "SELECT ord, occupant IS NOT NULL OR closed_reason IS NOT NULL
               FROM bays WHERE rowid = ?1",
            args![rowid],
            |r| Ok((r.i64(0)?, r.bool(1)?)),
        )?;
        let Some((ord, is_taken)) = row else {
            return Ok(false);
        };
        match usize::try_from(ord).ok().and_then(|o| taken.get_mut(o)) {
            Some(t) => *t = is_taken,
            None => return Ok(false),
        }
    }
    Ok(true)
}

/// The changes, even after a panic elsewhere held the lock: they are a set
/// of row ids, whole after every insert.
fn lock(changes: &Mutex<Changes>) -> MutexGuard<'_, Changes> {
    changes
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const BAYS: i64 = 50;

    /// Two connections to one file: `watched`'s taken bays are kept, `other`
    /// is another terminal.
    struct Files {
        _dir: tempfile::TempDir,
        watched: Connection,
        other: Connection,
        kept: TakenBays,
    }

    fn files() -> Files {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("lot.db");
        let watched = Connection::open(&path).expect("open");
        watched
            .execute_batch(
                "PRAGMA journal_mode = WAL;
                 CREATE TABLE bays (id TEXT PRIMARY KEY, ord INTEGER NOT NULL UNIQUE,
                                    occupant INTEGER, closed_reason TEXT);",
            )
            .expect("schema");
        for ord in 0..BAYS {
            watched
                .execute(
                    "INSERT INTO bays (id, ord) VALUES (?1, ?2)",
                    (format!("B-{ord:02}"), ord),
                )
                .expect("bay");
        }
        let other = Connection::open(&path).expect("open again");
        let kept = TakenBays::watch(&watched);
        Files {
            _dir: dir,
            watched,
            other,
            kept,
        }
    }

    /// What one step does to the file.
    #[derive(Debug, Clone)]
    enum Step {
        /// Occupy (`Some`), close (`None` with a reason) or free a bay on the
        /// watched connection, inside its transaction if one is open.
        Set {
            ord: i64,
            to: Bay,
        },
        /// The same on the other connection, when the watched one has no
        /// transaction open (it would wait for the lock).
        SetElsewhere {
            ord: i64,
            to: Bay,
        },
        Begin,
        Savepoint,
        RollbackToSavepoint,
        Commit,
        Rollback,
        /// A bay added to the lot.
        AddBay,
        /// Ask, and compare with the table.
        Ask,
    }

    #[derive(Debug, Clone, Copy)]
    enum Bay {
        Occupied(i64),
        Closed,
        Free,
    }

    fn set(conn: &Connection, ord: i64, to: Bay) {
        let (occupant, reason) = match to {
            Bay::Occupied(stay) => (Some(stay), None),
            Bay::Closed => (None, Some("broken")),
            Bay::Free => (None, None),
        };
        conn.execute(
            "UPDATE bays SET occupant = ?2, closed_reason = ?3 WHERE ord = ?1",
            (ord, occupant, reason),
        )
        .expect("update");
    }

    fn step() -> impl Strategy<Value = Step> {
        let bay = prop_oneof![
            (1i64..1000).prop_map(Bay::Occupied),
            Just(Bay::Closed),
            Just(Bay::Free),
        ];
        prop_oneof![
            4 => (0..BAYS, bay.clone()).prop_map(|(ord, to)| Step::Set { ord, to }),
            2 => (0..BAYS, bay).prop_map(|(ord, to)| Step::SetElsewhere { ord, to }),
            2 => Just(Step::Begin),
            1 => Just(Step::Savepoint),
            1 => Just(Step::RollbackToSavepoint),
            2 => Just(Step::Commit),
            2 => Just(Step::Rollback),
            1 => Just(Step::AddBay),
            4 => Just(Step::Ask),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Whatever the watched connection and another one do — changes
        /// kept, rolled back whole or to a savepoint, bays added, many
        /// changes at once — the kept answer is the table's.
        #[test]
        fn the_kept_taken_bays_are_always_the_tables(steps in prop::collection::vec(step(), 1..120)) {
            let f = files();
            let db = Db::new(&f.watched);
            let mut bays = BAYS;
            let mut savepoints = 0;
            for s in steps {
                let open = !f.watched.is_autocommit();
                match s {
                    Step::Set { ord, to } => set(&f.watched, ord, to),
                    Step::SetElsewhere { ord, to } if !open => set(&f.other, ord, to),
                    Step::SetElsewhere { .. } => {}
                    Step::Begin if !open => f.watched.execute_batch("BEGIN IMMEDIATE").expect("begin"),
                    Step::Savepoint if open => {
                        f.watched.execute_batch("SAVEPOINT s").expect("savepoint");
                        savepoints += 1;
                    }
                    Step::RollbackToSavepoint if savepoints > 0 => {
                        f.watched.execute_batch("ROLLBACK TO s; RELEASE s").expect("rollback to");
                        savepoints -= 1;
                    }
                    Step::Commit if open => {
                        f.watched.execute_batch("COMMIT").expect("commit");
                        savepoints = 0;
                    }
                    Step::Rollback if open => {
                        f.watched.execute_batch("ROLLBACK").expect("rollback");
                        savepoints = 0;
                    }
                    Step::AddBay if !open => {
                        f.watched
                            .execute("INSERT INTO bays (id, ord) VALUES (?1, ?2)", (format!("N-{bays}"), bays))
                            .expect("add a bay");
                        bays += 1;
                    }
                    Step::Ask => {
                        let n = usize::try_from(bays).expect("bays");
                        let kept = f.kept.taken(db, n).expect("kept");
                        prop_assert_eq!(kept, read_all(db, n).expect("table"));
                    }
                    _ => {}
                }
            }
            // And once more after everything has ended.
            if !f.watched.is_autocommit() {
                f.watched.execute_batch("ROLLBACK").expect("rollback");
            }
            let n = usize::try_from(bays).expect("bays");
            prop_assert_eq!(f.kept.taken(db, n).expect("kept"), read_all(db, n).expect("table"));
        }
    }

    #[test]
    fn a_change_rolled_back_is_not_kept() {
        let f = files();
        let db = Db::new(&f.watched);
        assert!(!f.kept.taken(db, 50).expect("first")[3]);
        f.watched.execute_batch("BEGIN IMMEDIATE").expect("begin");
        set(&f.watched, 3, Bay::Occupied(7));
        assert!(f.kept.taken(db, 50).expect("inside")[3]);
        f.watched.execute_batch("ROLLBACK").expect("rollback");
        assert!(!f.kept.taken(db, 50).expect("after")[3]);
    }

    #[test]
    fn another_terminals_commit_is_seen() {
        let f = files();
        let db = Db::new(&f.watched);
        assert!(!f.kept.taken(db, 50).expect("first")[9]);
        set(&f.other, 9, Bay::Closed);
        assert!(f.kept.taken(db, 50).expect("after")[9]);
    }
}
