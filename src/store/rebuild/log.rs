//! The log read page by page and decoded into events, for a replay: on the
//! replay's own connection, or on a connection and thread of their own in
//! the replay's snapshot (`Reader`). Not here: applying the events (`apply`,
//! through `replay_page`).

use std::path::Path;
use std::sync::mpsc;

use chrono::{DateTime, Utc};

use super::super::conn::{Db, args};
use super::super::{Result, StoreError, parse_ts, personal};
use super::verifier::begin_read;
use crate::domain::event::Event;

/// Events to a page.
pub(super) const PAGE: i64 = 1024;

/// The page of the log after event `after`: its first and last ids and
/// its events; `None` past the end.
pub(super) fn read_page(db: Db<'_>, after: i64) -> Result<Option<(i64, i64, Raw)>> {
    let page = db.query(
        "SELECT id, at, details, kind FROM events WHERE id > ?1 ORDER BY id LIMIT ?2",
        args![after, PAGE],
        |r| Ok((r.i64(0)?, r.string(1)?, r.string(2)?, r.string(3)?)),
    )?;
    Ok(match (page.first(), page.last()) {
        (Some(&(first, ..)), Some(&(last, ..))) => Some((first, last, page)),
        _ => None,
    })
}

/// The log read page by page and decoded on a connection and thread of
/// its own, in a read transaction begun before `start` returns: for a
/// replay on another connection that can be shown to read the same
/// snapshot (`check`), which then only applies.
pub(super) struct Reader {
    /// Each page decoded; `None` after the last.
    pub(super) pages: mpsc::Receiver<Result<Option<Decoded>>>,
    /// Applied pages' events, given back to be freed where they were made.
    pub(super) spent: mpsc::Sender<Vec<DecodedEvent>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Reader {
    /// None if the file cannot be opened or read again (the replay then
    /// reads on its own connection).
    pub(super) fn start(path: &Path) -> Option<Reader> {
        let path = path.to_path_buf();
        let (ready, begun) = mpsc::channel::<()>();
        let (to_replay, pages) = mpsc::sync_channel(1);
        let (spent, to_free) = mpsc::channel::<Vec<DecodedEvent>>();
        let thread = std::thread::spawn(move || {
            let Ok(conn) = begin_read(&path) else {
                return;
            };
            if ready.send(()).is_err() {
                return;
            }
            let db = Db::new(&conn);
            let mut after = i64::MIN;
            loop {
                let next = read_page(db, after).map(|page| {
                    page.map(|(first, last, raw)| {
                        after = last;
                        match personal::Page::read(db, first, last) {
                            Some(mut values) => decode_page(&raw, |id, kind, details| {
                                personal::decode_with(id, kind, details, || Ok(values.take(id)))
                            }),
                            None => decode_page(&raw, |id, kind, details| {
                                personal::decode(db, id, kind, details)
                            }),
                        }
                    })
                });
                let more = matches!(next, Ok(Some(_)));
                if to_replay.send(next).is_err() || !more {
                    return;
                }
                to_free.try_iter().for_each(drop);
            }
        });
        match begun.recv() {
            Ok(()) => Some(Reader {
                pages,
                spent,
                thread: Some(thread),
            }),
            Err(_) => {
                let _ = thread.join();
                None
            }
        }
    }
}

impl Drop for Reader {
    /// Stops the reader (its next page has nowhere to go) and waits for
    /// it: its read transaction ends with it.
    fn drop(&mut self) {
        let (_, closed) = mpsc::sync_channel(0);
        drop(std::mem::replace(&mut self.pages, closed));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A page of the log as read: id, time, JSON and kind of each event.
pub(super) type Raw = Vec<(i64, String, String, String)>;

/// A page of the log decoded, up to its first event that could not be:
/// each event with its id and time, and that event's error.
pub(super) struct Decoded {
    pub(super) events: Vec<DecodedEvent>,
    pub(super) failed: Option<StoreError>,
}

/// An event decoded, with its id and time.
pub(super) type DecodedEvent = (i64, DateTime<Utc>, Event);

/// Decodes a page read from the log with `decode` (id, kind, JSON), up to
/// its first error.
pub(super) fn decode_page(
    page: &Raw,
    mut decode: impl FnMut(i64, &str, &str) -> Result<Event>,
) -> Decoded {
    let mut events = Vec::with_capacity(page.len());
    for (id, at, details, kind) in page {
        match decode(*id, kind, details).and_then(|e| Ok((*id, parse_ts(at)?, e))) {
            Ok(event) => events.push(event),
            Err(e) => {
                return Decoded {
                    events,
                    failed: Some(e),
                };
            }
        }
    }
    Decoded {
        events,
        failed: None,
    }
}
