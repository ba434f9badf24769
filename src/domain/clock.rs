//! The one source of "now". Production code reads `SystemClock`; a demo lot
//! runs on a `CompressedClock`; tests move a `FixedClock` by hand so that
//! due times and overdue states are exact.

use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The machine's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that only moves when told to.
#[derive(Debug)]
pub struct FixedClock(Mutex<DateTime<Utc>>);

impl FixedClock {
    pub fn new(at: DateTime<Utc>) -> FixedClock {
        FixedClock(Mutex::new(at))
    }

    pub fn set(&self, at: DateTime<Utc>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = at;
    }

    pub fn advance(&self, by: Duration) {
        let mut t = self.0.lock().unwrap_or_else(|p| p.into_inner());
        *t += by;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A demo lot's time: from `from`, running `speed` times as fast as the
/// machine's. The interface and the demo's traffic read the same one, so
/// the operator's actions, the traffic and the clocks on screen agree.
/// Monotonic (it counts an `Instant`): a wall clock set back never takes
/// the lot's time back.
#[derive(Debug)]
pub struct CompressedClock {
    from: DateTime<Utc>,
    started: std::time::Instant,
    speed: u32,
}

impl CompressedClock {
    pub fn new(from: DateTime<Utc>, speed: u32) -> CompressedClock {
        CompressedClock {
            from,
            started: std::time::Instant::now(),
            speed,
        }
    }

    /// Simulated seconds per real second.
    pub fn speed(&self) -> u32 {
        self.speed
    }

    /// The time after `elapsed` of real time.
    fn after(&self, elapsed: std::time::Duration) -> DateTime<Utc> {
        let ms = elapsed
            .as_millis()
            .saturating_mul(u128::from(self.speed))
            .min(i64::MAX as u128) as i64;
        // Out of chrono's range only after millennia of running: stay there.
        Duration::try_milliseconds(ms)
            .and_then(|d| self.from.checked_add_signed(d))
            .unwrap_or(DateTime::<Utc>::MAX_UTC)
    }
}

impl Clock for CompressedClock {
    fn now(&self) -> DateTime<Utc> {
        self.after(self.started.elapsed())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_compressed_clock_runs_speed_times_as_fast_from_where_it_starts() {
        let from = DateTime::<Utc>::UNIX_EPOCH + Duration::days(20_000);
        let c = CompressedClock::new(from, 60);
        assert_eq!(c.after(std::time::Duration::ZERO), from);
        assert_eq!(
            c.after(std::time::Duration::from_secs(15)),
            from + Duration::minutes(15)
        );
        assert_eq!(
            c.after(std::time::Duration::from_millis(1500)),
            from + Duration::seconds(90)
        );
        assert!(c.now() >= from);
        assert_eq!(
            c.after(std::time::Duration::MAX),
            DateTime::<Utc>::MAX_UTC,
            "no overflow"
        );
    }
}
