//! The file's verification (`quick_check`, then its references) on a
//! connection and thread of its own, beside the replay, and what shows that two connections read
//! one snapshot (`PRAGMA data_version`). Not here: what is verified of the
//! state (the replay and its comparison).

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::super::{Result, Store, StoreError};

/// SQLite's count of the commits of other connections this connection has
/// seen (`PRAGMA data_version`): the same twice only if none came between.
/// Inside a transaction, as of its snapshot.
pub(super) fn data_version(store: &Store) -> Option<i64> {
    match &store.conn {
        super::super::Backend::Sqlite(c) => {
            c.query_row("PRAGMA data_version", [], |r| r.get(0)).ok()
        }
        super::super::Backend::Pg(_) => None,
    }
}

/// `quick_check` of the file on a connection and a thread of its own, in a
/// read transaction begun before `start` returns; then, if the file is
/// sound, the stored rows that refer to nothing (`dangling_references`).
pub(super) struct Verifier {
    verdict: std::thread::JoinHandle<Result<Vec<String>>>,
    interrupt: rusqlite::InterruptHandle,
    damaged: Arc<AtomicBool>,
}

impl Verifier {
    /// None if the file cannot be opened or read again (this connection's
    /// own verification then says why).
    pub(super) fn start(path: &Path) -> Option<Verifier> {
        let path = path.to_path_buf();
        let damaged = Arc::new(AtomicBool::new(false));
        let found = Arc::clone(&damaged);
        let (ready, begun) = std::sync::mpsc::channel();
        let verdict = std::thread::spawn(move || {
            let conn = match begin_read(&path) {
                Ok(conn) => conn,
                Err(e) => {
                    drop(ready);
                    return Err(e);
                }
            };
            if ready.send(conn.get_interrupt_handle()).is_err() {
                return Ok(Vec::new());
            }
            if let Err(e) = super::super::quick_check(&conn, &path) {
                found.store(true, Ordering::Relaxed);
                return Err(e);
            }
            super::super::dangling_references(&conn)
        });
        match begun.recv() {
            Ok(interrupt) => Some(Verifier {
                verdict,
                interrupt,
                damaged,
            }),
            Err(_) => {
                let _ = verdict.join();
                None
            }
        }
    }

    pub(super) fn found_damage(&self) -> bool {
        self.damaged.load(Ordering::Relaxed)
    }

    /// Waits for the verdict: the dangling references of a sound file.
    pub(super) fn verdict(self) -> Result<Vec<String>> {
        self.verdict
            .join()
            .unwrap_or_else(|_| Err(StoreError::Sql("the file's verification failed".into())))
    }

    /// Stops a verification whose verdict is not wanted.
    pub(super) fn abandon(self) {
        self.interrupt.interrupt();
        let _ = self.verdict.join();
    }
}

/// A connection of its own to the file at `path`, in a read transaction
/// whose snapshot has begun.
pub(super) fn begin_read(path: &Path) -> Result<rusqlite::Connection> {
    let (conn, _) = super::super::open::connect(path)?;
    conn.execute_batch("BEGIN DEFERRED")?;
    conn.query_row("PRAGMA data_version", [], |r| r.get::<_, i64>(0))?;
    Ok(conn)
}
