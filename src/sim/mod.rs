//! The simulator: seeded, reproducible checkpoint traffic written through
//! the same `ops::execute` as every real action, so that what it leaves
//! passes `trucklot check` and obeys every rule. `demo` runs it for a few
//! days ending now; `simulate` for a season.
//!
//! A discrete-event loop over a `FixedClock`: each simulated day plans its
//! arrivals in daily waves (`waves`), each recorded step schedules what
//! follows it (`follow`): samples and results (some late), isolation and
//! release or an escorted handoff, handoffs and their confirmations,
//! service calls, departures; disinfection rounds and bay closures run on
//! their own (`day`). Whatever would happen after the end never does,
//! which leaves results pending and clocks running, as on a real lot.
//! Refusals (a plate already on site, a full zone, a departure the rules
//! still hold) are counted and retried or skipped, never forced through.
//!
//! Each simulated hour is one bulk transaction (`Store::bulk`); every
//! operation in it is a savepoint of its own. A demo lot goes on living
//! in the interface (`live`): the same loop, from the lot as it is, each
//! operation a transaction of its own. Nothing here reads the system
//! clock or knows SQL. Steps and the operations they become are in
//! `steps`, the generated people and vehicles in `traffic`.

mod day;
mod follow;
mod live;
mod steps;
mod traffic;
mod waves;

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use chrono::{DateTime, Duration, Utc};

use crate::domain::bay::Zone;
use crate::domain::clock::FixedClock;
use crate::domain::event::ArrivalRecord;
use crate::domain::layout::Layout;
use crate::domain::plate::Plate;
use crate::domain::policy::Policy;
use crate::ops::{self, Ctx, OpError};
use crate::store::{Store, StoreError};
use crate::tz::Tz;
use steps::Step;
use traffic::Rng;

/// What to simulate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scenario {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// Arrivals per simulated day (in daily waves).
    pub trucks_per_day: u32,
    pub seed: u64,
    /// The site's time zone: the day's waves and the shifts follow it.
    pub timezone: Tz,
}

/// The default traffic: a busy day at the checkpoint.
pub const DEFAULT_TRUCKS_PER_DAY: u32 = 1500;
/// The most the simulator accepts: beyond it the stays that keep the lot
/// below capacity would be shorter than the tests take.
pub const MAX_TRUCKS_PER_DAY: u32 = 3000;
/// The longest season: a year.
pub const MAX_DAYS: u32 = 366;
/// How many days of history `demo` writes.
pub const DEMO_DAYS: u32 = 3;
/// How fast a demo lives on in the interface: a simulated minute each real
/// second, so an antigen result (due in 15 minutes) comes in 15 seconds.
pub const DEFAULT_DEMO_SPEED: u32 = 60;
/// The fastest: ten simulated minutes a second, at the busiest traffic a
/// hundred-odd operations a second, each committed on its own.
pub const MAX_DEMO_SPEED: u32 = 600;

pub use live::live;

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Operations that were recorded.
    pub operations: u64,
    /// Arrivals recorded (stays).
    pub arrivals: u64,
    pub departures: u64,
    /// Operations the rules refused (retried later or skipped).
    pub skipped: u64,
    /// The most trucks parked at once, looked at every simulated hour.
    pub peak_parking: usize,
}

/// How far a run has come: after every simulated hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Simulated hours done, of `hours`.
    pub hour: u64,
    pub hours: u64,
    pub operations: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("the simulation stopped at {at}: {source}")]
    Store {
        at: DateTime<Utc>,
        #[source]
        source: StoreError,
    },
}

/// One truck as the simulation follows it (the lot knows the rest).
struct Truck {
    plate: Plate,
    /// Until the gate registers it.
    arrival: Option<ArrivalRecord>,
    /// Where the gate puts it, if not the suggestion: a work lane or a living bay.
    lane: Option<Zone>,
    /// How long it means to stay, once its tests allow.
    stay: Duration,
    /// Under isolation's authority: its way out is a release or an escort.
    isolated: bool,
    /// A handoff was started (a transfer or an escort): its departure
    /// follows it, and the destination confirms it after.
    handoff: bool,
    /// Departures the rules have refused so far.
    tries: u8,
}

/// A step due at a time; the sequence number keeps equal times in the
/// order they were scheduled, so a seed always gives the same log.
struct Scheduled {
    at: DateTime<Utc>,
    seq: u64,
    step: Step,
}

impl PartialEq for Scheduled {
    fn eq(&self, other: &Self) -> bool {
        (self.at, self.seq) == (other.at, other.seq)
    }
}
impl Eq for Scheduled {}
impl PartialOrd for Scheduled {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Scheduled {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.at, self.seq).cmp(&(other.at, other.seq))
    }
}

struct Sim<'a> {
    rng: Rng,
    sc: &'a Scenario,
    queue: BinaryHeap<Reverse<Scheduled>>,
    seq: u64,
    trucks: Vec<Truck>,
    /// Trucks on site by plate (a plate is on site once at a time).
    on_site: HashMap<Plate, usize>,
    /// Plates that left, some of which come back (regulars).
    left: Vec<Plate>,
    layout: &'a Layout,
    policy: &'a Policy,
    summary: Summary,
    /// The planned mean stay of an ordinary truck at this traffic.
    mean_stay: Duration,
    /// Who performs every step, if not the shifts of the staff (`steps::staff`).
    staff: Option<(&'static str, &'static str)>,
}

impl<'a> Sim<'a> {
    fn new(sc: &'a Scenario, layout: &'a Layout, policy: &'a Policy) -> Sim<'a> {
        let parking = layout.zone(Zone::Parking).capacity();
        Sim {
            rng: Rng(sc.seed ^ 0x7472_7563_6b6c_6f74),
            sc,
            queue: BinaryHeap::new(),
            seq: 0,
            trucks: Vec::new(),
            on_site: HashMap::new(),
            left: Vec::new(),
            layout,
            policy,
            summary: Summary::default(),
            mean_stay: waves::mean_stay(sc.trucks_per_day, parking),
            staff: None,
        }
    }
}

impl Sim<'_> {
    /// Whether truck `n` is on site now (its plate may since have come back
    /// as another truck).
    fn is_on_site(&self, n: usize) -> bool {
        self.on_site.get(&self.trucks[n].plate) == Some(&n)
    }

    /// Schedules `step` at `t`, unless that is after the end.
    fn at(&mut self, t: DateTime<Utc>, step: Step) {
        if t >= self.sc.end {
            return;
        }
        self.seq += 1;
        self.queue.push(Reverse(Scheduled {
            at: t,
            seq: self.seq,
            step,
        }));
    }
}

/// Fills `store` with the traffic of `sc`, telling `progress` after every
/// simulated hour. Meant for a new file (`Store::draft`): commits are not
/// waited for on disk, and each hour is one transaction.
pub fn run(
    store: &mut Store,
    policy: &Policy,
    sc: &Scenario,
    progress: &mut dyn FnMut(Progress),
) -> Result<Summary, SimError> {
    let failed = |at| move |source| SimError::Store { at, source };
    store
        .relax_durability_for_simulation()
        .map_err(failed(sc.start))?;
    let layout = store.layout().clone();
    let mut sim = Sim::new(sc, &layout, policy);
    day::begin(&mut sim);
    let clock = FixedClock::new(sc.start);
    let hours = (sc.end - sc.start).num_hours().max(1) as u64;
    let mut hour_start = sc.start;
    let mut hour = 0;
    while hour_start < sc.end {
        let until = (hour_start + Duration::hours(1)).min(sc.end);
        store
            .bulk(|store| sim.run_until(store, &clock, until))
            .map_err(failed(until))?;
        let parked = store
            .status()
            .map_err(failed(until))?
            .iter()
            .find(|z| z.zone == Zone::Parking)
            .map_or(0, |z| z.occupied);
        sim.summary.peak_parking = sim.summary.peak_parking.max(parked);
        hour += 1;
        hour_start = until;
        progress(Progress {
            hour: hour.min(hours),
            hours,
            operations: sim.summary.operations,
        });
    }
    Ok(sim.summary)
}

impl Sim<'_> {
    /// Runs every step due before `until`, in order.
    fn run_until(
        &mut self,
        store: &mut Store,
        clock: &FixedClock,
        until: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        while let Some(Reverse(next)) = self.queue.peek() {
            if next.at >= until {
                break;
            }
            let Some(Reverse(Scheduled { at, step, .. })) = self.queue.pop() else {
                break;
            };
            self.step(store, clock, at, step)?;
        }
        Ok(())
    }

    fn step(
        &mut self,
        store: &mut Store,
        clock: &FixedClock,
        t: DateTime<Utc>,
        step: Step,
    ) -> Result<(), StoreError> {
        if let Step::Day(d) = step {
            day::plan(self, d);
            return Ok(());
        }
        clock.set(t);
        let Some(op) = steps::op_for(self, store, &step, t)? else {
            return Ok(());
        };
        let (operator, terminal) = match self.staff {
            Some(who) => who,
            None => steps::staff(&step, t, self.sc.timezone, &mut self.rng),
        };
        let ctx = Ctx {
            // Simulated steps are never sent twice: no action id to dedupe by.
            action: None,
            operator,
            terminal,
            clock,
            policy: self.policy,
        };
        match ops::execute(store, &ctx, &op) {
            Ok(out) => {
                self.summary.operations += 1;
                follow::recorded(self, &step, &out, t);
                Ok(())
            }
            Err(e @ (OpError::Refused(_) | OpError::Invalid(_) | OpError::AlreadyDone { .. })) => {
                self.summary.skipped += 1;
                follow::refused(self, &step, &e, t);
                Ok(())
            }
            Err(OpError::Store(e)) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheduled_steps_run_by_time_then_in_the_order_given() {
        let mut q = BinaryHeap::new();
        let t0 = DateTime::<Utc>::UNIX_EPOCH;
        for (at, seq) in [(5, 1), (1, 3), (1, 2), (3, 4)] {
            q.push(Reverse(Scheduled {
                at: t0 + Duration::seconds(at),
                seq,
                step: Step::Day(0),
            }));
        }
        let order: Vec<u64> = std::iter::from_fn(|| q.pop().map(|Reverse(s)| s.seq)).collect();
        assert_eq!(order, [2, 3, 4, 1]);
    }
}
