//! A demo lot in the interface: its compressed clock (the interface's
//! "now", and its traffic's), and its traffic, run by `sim::live` on a
//! thread and a connection of its own, exactly like another gate terminal
//! writing: the interface sees its commits through `data_version` like
//! anyone's, and its own writes wait for the traffic's at most one short
//! transaction (the normal busy timeout), never more.
//!
//! A lot is a demo only if `demo` marked it so (`Store::demo`); a real lot
//! never gets any of this. The clock goes on from the lot's latest event,
//! so a demo opened again never goes back in time. The traffic stops when
//! the `Demo` is dropped: the thread is asked to stop, woken, and joined,
//! each of its operations being a whole transaction.
//!
//! What lives elsewhere: the traffic's steps (`sim::live`), the badge
//! (`view::bars`).

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::domain::clock::{Clock, CompressedClock, SystemClock};
use crate::domain::policy::Policy;
use crate::sim::{self, SimError, Summary};
use crate::store::{DemoLot, Store, StoreError};
use crate::tz::Tz;

/// How long the traffic waits when nothing is due: a few simulated seconds
/// at the usual speed, and the most a stop waits for it to notice.
const PACE: Duration = Duration::from_millis(100);

pub struct Demo {
    lot: DemoLot,
    clock: Arc<CompressedClock>,
    traffic: Option<Traffic>,
}

impl Demo {
    /// The demo `store` holds, its clock starting from the lot's latest
    /// event (now, for a lot without any); `None` for a real lot.
    pub fn of(store: &Store) -> Result<Option<Demo>, StoreError> {
        let Some(mut lot) = store.demo()? else {
            return Ok(None);
        };
        // A mark edited by hand is not trusted with a stopped or runaway clock.
        lot.speed = lot.speed.clamp(1, sim::MAX_DEMO_SPEED);
        let from = store.last_event_at()?.unwrap_or_else(|| SystemClock.now());
        Ok(Some(Demo {
            lot,
            clock: Arc::new(CompressedClock::new(from, lot.speed)),
            traffic: None,
        }))
    }

    /// The lot's time, for the interface and the traffic alike.
    pub fn clock(&self) -> Arc<CompressedClock> {
        Arc::clone(&self.clock)
    }

    /// Simulated seconds per real second.
    pub fn speed(&self) -> u32 {
        self.lot.speed
    }

    /// Starts the traffic on the database at `path`, unless it runs or has
    /// run already.
    pub fn start(&mut self, path: &Path, policy: &Policy, tz: Tz) {
        if self.traffic.is_some() {
            return;
        }
        self.traffic = Some(Traffic::start(
            path,
            policy.clone(),
            self.lot,
            tz,
            self.clock(),
        ));
    }

    /// What ended the traffic, if it ended by itself with an error: told
    /// once.
    pub fn failure(&mut self) -> Option<SimError> {
        let traffic = self.traffic.as_mut()?;
        match traffic.thread.as_ref() {
            Some(t) if t.is_finished() => {}
            _ => return None,
        }
        match traffic.thread.take()?.join() {
            Ok(Err(e)) => Some(e),
            _ => None,
        }
    }

    /// Stops the traffic and waits for its last operation to end.
    pub fn stop(self) {
        drop(self);
    }
}

/// The traffic's thread and the flag that asks it to stop.
struct Traffic {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<Result<Summary, SimError>>>,
}

impl Traffic {
    fn start(
        path: &Path,
        policy: Policy,
        lot: DemoLot,
        tz: Tz,
        clock: Arc<CompressedClock>,
    ) -> Traffic {
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let path = path.to_path_buf();
        let thread = std::thread::spawn(move || {
            let failed = |source| SimError::Store {
                at: clock.now(),
                source,
            };
            let mut store = Store::open(&path).map_err(failed)?;
            let summary = sim::live(&mut store, &policy, &lot, tz, &*clock, &mut |_, idle| {
                if idle {
                    // Woken at once by a stop.
                    std::thread::park_timeout(PACE);
                }
                !stopped.load(Ordering::SeqCst)
            });
            super::log::write(
                "info",
                &match &summary {
                    Ok(s) => format!(
                        "demo traffic stopped: {} operations, {} refused",
                        s.operations, s.skipped
                    ),
                    Err(e) => format!("demo traffic failed: {e}"),
                },
            );
            summary
        });
        Traffic {
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for Traffic {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            t.thread().unpark();
            // A panic there is already reported by the hook; nothing to add.
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::layout::DEFAULT_LAYOUT;

    #[test]
    fn a_real_lot_is_no_demo_and_a_marked_one_goes_on_from_its_last_event() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lot.db");
        let mut store = Store::create(&path, DEFAULT_LAYOUT).unwrap();
        assert!(Demo::of(&store).unwrap().is_none());
        store
            .mark_demo(&DemoLot {
                trucks_per_day: 100,
                seed: 1,
                speed: 0,
            })
            .unwrap();
        let demo = Demo::of(&store).unwrap().unwrap();
        assert_eq!(demo.speed(), 1, "a stopped clock is not taken");
    }

    #[test]
    fn the_traffic_writes_beside_the_interface_and_stops_when_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lot.db");
        let mut store = Store::create(&path, DEFAULT_LAYOUT).unwrap();
        store
            .mark_demo(&DemoLot {
                trucks_per_day: 3000,
                seed: 3,
                speed: sim::MAX_DEMO_SPEED,
            })
            .unwrap();
        let mut demo = Demo::of(&store).unwrap().unwrap();
        demo.start(&path, &Policy::default(), crate::tz::Tz::shanghai());
        // Waits for traffic with a generous limit; no speed is asserted.
        let deadline = std::time::Instant::now() + Duration::from_secs(120);
        while store.event_count().unwrap() == 0 {
            assert!(std::time::Instant::now() < deadline, "no traffic");
            assert!(demo.failure().is_none());
            std::thread::sleep(Duration::from_millis(50));
        }
        demo.stop();
        let stopped = store.event_count().unwrap();
        std::thread::sleep(PACE * 3);
        assert_eq!(store.event_count().unwrap(), stopped, "still writing");
        assert!(store.check().unwrap().ok());
    }
}
