//! Whether a lot is a demo. `demo` marks the file it builds with a row in
//! `meta`, and the interface keeps simulated traffic flowing on a lot so
//! marked, never on any other; `init` and `simulate` leave no mark. Also
//! the time of the lot's latest event, from which a demo's clock goes on
//! when it is opened again.
//!
//! What lives elsewhere: the traffic (`sim::live`), its thread and the
//! compressed clock (`tui::demo`, `domain::clock::CompressedClock`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::conn::args;
use super::{Result, Store, StoreError, parse_ts};

/// What a demo lot was made with, and how fast it lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoLot {
    /// Arrivals per simulated day.
    pub trucks_per_day: u32,
    /// The seed of its history; its live traffic's seeds are drawn from it.
    pub seed: u64,
    /// Simulated seconds per real second while the interface runs.
    pub speed: u32,
}

/// The `meta` key of the mark.
const KEY: &str = "demo";

impl Store {
    /// Marks this lot as a demo (once: a second mark is refused).
    pub fn mark_demo(&mut self, demo: &DemoLot) -> Result<()> {
        let value =
            serde_json::to_string(demo).map_err(|e| StoreError::Decode(format!("demo: {e}")))?;
        self.db().execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)",
            args![KEY, value],
        )?;
        Ok(())
    }

    /// The demo this lot is, or `None` for a real lot.
    pub fn demo(&self) -> Result<Option<DemoLot>> {
        let value =
            self.db()
                .query_opt("SELECT value FROM meta WHERE key = ?1", args![KEY], |r| {
                    r.string(0)
                })?;
        value
            .map(|v| serde_json::from_str(&v).map_err(|e| StoreError::Decode(format!("demo: {e}"))))
            .transpose()
    }

    /// When the latest event happened (by its time, not its order in the
    /// log); `None` for an empty log.
    pub fn last_event_at(&self) -> Result<Option<DateTime<Utc>>> {
        let at = self
            .db()
            .query_one("SELECT max(at) FROM events", &[], |r| r.opt_string(0))?;
        at.as_deref().map(parse_ts).transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::layout::DEFAULT_LAYOUT;

    #[test]
    fn a_lot_is_a_demo_only_once_marked_and_the_mark_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lot.db");
        let mut store = Store::create(&path, DEFAULT_LAYOUT).unwrap();
        assert_eq!(store.demo().unwrap(), None);
        assert_eq!(store.last_event_at().unwrap(), None);
        let demo = DemoLot {
            trucks_per_day: 300,
            seed: 7,
            speed: 60,
        };
        store.mark_demo(&demo).unwrap();
        assert!(store.mark_demo(&demo).is_err(), "marked twice");
        drop(store);
        let store = Store::open(&path).unwrap();
        assert_eq!(store.demo().unwrap(), Some(demo));
    }
}
