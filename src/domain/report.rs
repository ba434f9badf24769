//! The shift handover report (每日一例会): what happened on the lot between
//! two moments, summed from the events of that window — arrivals and
//! departures by cargo, province and gate, tests and results, positives,
//! isolations, handoffs, service calls, disinfection rounds, closed bays,
//! and every override and forced action with its reason and operator.
//!
//! Pure: the store supplies the window's events (and the occupancy at its
//! ends, which the log alone cannot give cheaply); this module counts.
//! Shift boundaries are computed here from the site's shift start times.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use serde::Serialize;

use super::bay::{BayId, Zone};
use super::event::{
    Event, HandoffMode, LoggedEvent, ServiceKind, StayId, Target, TestKind, TestResult,
};
use super::plate::Plate;
use super::policy::{Cargo, CheckFlag};

/// A count per key, in key order.
pub type Counts<K> = BTreeMap<K, usize>;

/// An isolation that began or lasted in the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IsolationLine {
    pub plate: Plate,
    /// What someone typed (an isolation's reason).
    pub reason: Option<String>,
    /// What the gate checks found (an arrival sent to isolation).
    pub flags: Vec<CheckFlag>,
    /// When it entered isolation, which may be before the window; `None`:
    /// before the window, at a moment not known (it was not in an
    /// isolation bay then: on the holding list).
    pub since: Option<DateTime<Utc>>,
    /// When it left isolation (released, escorted off, gone), if in the window.
    pub until: Option<DateTime<Utc>>,
}

/// An override or a forced action, with who did it and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverrideLine {
    pub at: DateTime<Utc>,
    pub operator: String,
    pub plate: Option<Plate>,
    /// `arrival_override` or `forced_departure`.
    pub what: &'static str,
    pub reason: String,
    /// For a forced departure: the rules it overrode.
    pub overridden: Vec<String>,
}

/// What the window's events add up to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub events: usize,
    pub arrivals_by_cargo: Counts<Cargo>,
    /// By the plate's province character.
    pub arrivals_by_province: Counts<String>,
    pub arrivals_by_gate: Counts<String>,
    pub flagged_at_gate: usize,
    pub waited_for_isolation: usize,
    pub departures_by_cargo: Counts<Cargo>,
    pub samples: Counts<TestKind>,
    pub results: BTreeMap<TestKind, Counts<TestResult>>,
    pub positives: Vec<(Plate, TestKind, DateTime<Utc>)>,
    pub isolations: Vec<IsolationLine>,
    pub escalations: usize,
    pub handoffs_started: Counts<HandoffMode>,
    pub handoffs_done: usize,
    pub handoffs_confirmed: usize,
    pub services_requested: Counts<ServiceKind>,
    pub services_done: usize,
    pub disinfections: Vec<(String, DateTime<Utc>)>,
    pub bays_closed: Vec<(BayId, String, DateTime<Utc>)>,
    pub bays_opened: usize,
    pub overrides: Vec<OverrideLine>,
    /// Personal data shown or exported unmasked: when, who, what.
    pub disclosures: Vec<(DateTime<Utc>, String, String)>,
    /// When the policy changed in the window, and who changed it.
    pub policy_changes: Vec<(DateTime<Utc>, String)>,
    /// Actions taken back: when, by whom, about which truck, of what kind.
    pub undos: Vec<(DateTime<Utc>, String, Option<Plate>, String)>,
    /// Purges of personal data: when, by whom, how many stays.
    pub purges: Vec<(DateTime<Utc>, String, u64)>,
}

/// Sums `events` (any order), all of which fall in the window; `cargo_of`
/// gives the cargo of a stay that arrived before it.
pub fn summarize(events: &[LoggedEvent], cargo_of: impl Fn(StayId) -> Option<Cargo>) -> Summary {
    let mut s = Summary::default();
    let mut sorted: Vec<&LoggedEvent> = events.iter().collect();
    sorted.sort_by_key(|e| e.id);
    s.events = sorted.len();
    let plate_of = |e: &LoggedEvent| e.plate.clone();
    // An action taken back counts as never done; its undo is listed.
    let undone: std::collections::HashSet<i64> = sorted
        .iter()
        .filter_map(|e| match e.event {
            Event::Undone { event, .. } => Some(event),
            _ => None,
        })
        .collect();
    for e in sorted {
        if undone.contains(&e.id) {
            continue;
        }
        match &e.event {
            Event::Arrived {
                arrival,
                flags,
                override_reason,
                holding,
                bay,
                ..
            } => {
                *s.arrivals_by_cargo.entry(arrival.cargo).or_default() += 1;
                let province = arrival.plate.as_str().chars().next().unwrap_or('?');
                *s.arrivals_by_province
                    .entry(province.to_string())
                    .or_default() += 1;
                let gate = arrival.gate.clone().unwrap_or_else(|| "-".into());
                *s.arrivals_by_gate.entry(gate).or_default() += 1;
                if !flags.is_empty() {
                    s.flagged_at_gate += 1;
                }
                if *holding {
                    s.waited_for_isolation += 1;
                }
                if bay.zone() == Zone::Isolation || *holding {
                    s.isolations.push(IsolationLine {
                        plate: arrival.plate.clone(),
                        reason: override_reason.clone().filter(|_| flags.is_empty()),
                        flags: flags.clone(),
                        since: Some(e.at),
                        until: None,
                    });
                }
                if let Some(r) = override_reason {
                    s.overrides.push(OverrideLine {
                        at: e.at,
                        operator: e.operator.clone(),
                        plate: Some(arrival.plate.clone()),
                        what: "arrival_override",
                        reason: r.clone(),
                        overridden: Vec::new(),
                    });
                }
            }
            Event::Departed {
                stay,
                from,
                forced,
                overridden,
            } => {
                if let Some(c) = cargo_of(*stay) {
                    *s.departures_by_cargo.entry(c).or_default() += 1;
                }
                if let Some(r) = forced {
                    s.overrides.push(OverrideLine {
                        at: e.at,
                        operator: e.operator.clone(),
                        plate: plate_of(e),
                        what: "forced_departure",
                        reason: r.clone(),
                        overridden: overridden.clone(),
                    });
                }
                if from.zone() == Zone::Isolation {
                    close_isolation(&mut s, plate_of(e), e.at);
                }
            }
            Event::SampleTaken { test, .. } => *s.samples.entry(*test).or_default() += 1,
            Event::ResultRecorded { test, result, .. } => {
                *s.results
                    .entry(*test)
                    .or_default()
                    .entry(*result)
                    .or_default() += 1;
                if *result == TestResult::Positive
                    && let Some(p) = plate_of(e)
                {
                    s.positives.push((p, *test, e.at));
                }
            }
            Event::Isolated { reason, .. } => {
                if let Some(p) = plate_of(e) {
                    s.isolations.push(IsolationLine {
                        plate: p,
                        reason: Some(reason.clone()),
                        flags: Vec::new(),
                        since: Some(e.at),
                        until: None,
                    });
                }
            }
            Event::Released { .. } => close_isolation(&mut s, plate_of(e), e.at),
            Event::HandoffStarted { mode, from, .. } => {
                *s.handoffs_started.entry(*mode).or_default() += 1;
                if from.zone() == Zone::Isolation {
                    close_isolation(&mut s, plate_of(e), e.at);
                }
            }
            Event::Escalated { .. } => s.escalations += 1,
            Event::HandoffCompleted { .. } => s.handoffs_done += 1,
            Event::HandoffConfirmed { .. } => s.handoffs_confirmed += 1,
            Event::ServiceRequested { service, .. } => {
                *s.services_requested.entry(*service).or_default() += 1
            }
            Event::ServiceDone { .. } => s.services_done += 1,
            Event::Disinfected { target } => s.disinfections.push((
                match target {
                    Target::Zone(z) => z.as_str().to_string(),
                    Target::Bay(b) => b.to_string(),
                },
                e.at,
            )),
            Event::BayClosed { bay, reason } => {
                s.bays_closed.push((bay.clone(), reason.clone(), e.at))
            }
            Event::BayOpened { .. } => s.bays_opened += 1,
            Event::PolicyChanged { .. } => s.policy_changes.push((e.at, e.operator.clone())),
            Event::Disclosed { what, .. } => {
                s.disclosures.push((e.at, e.operator.clone(), what.clone()))
            }
            Event::Undone { undone_kind, .. } => {
                s.undos
                    .push((e.at, e.operator.clone(), plate_of(e), undone_kind.clone()))
            }
            Event::Purged { stays, .. } => s.purges.push((e.at, e.operator.clone(), *stays)),
            Event::Moved { .. } | Event::Rechecked { .. } | Event::Corrected { .. } => {}
        }
    }
    // Listed by the time they say, as people read them; the log's order
    // where two say the same minute (terminals' clocks may differ).
    s.overrides.sort_by_key(|o| o.at);
    s.disclosures.sort_by_key(|d| d.0);
    s.undos.sort_by_key(|u| u.0);
    s
}

impl Summary {
    /// Adds the trucks already in isolation when the window began (`held`,
    /// each with when it entered): a line the window's events closed gets
    /// that start, reason and findings; a truck no event of the window
    /// touched is still held at its end, and is the next shift's charge, so
    /// it is listed too. Lines in the order they began.
    pub fn held_from_before(&mut self, held: Vec<IsolationLine>) {
        for h in held {
            match self
                .isolations
                .iter_mut()
                .find(|l| l.plate == h.plate && l.since.is_none())
            {
                Some(l) => {
                    l.since = h.since;
                    l.reason = l.reason.take().or(h.reason);
                    if l.flags.is_empty() {
                        l.flags = h.flags;
                    }
                }
                None => self.isolations.push(h),
            }
        }
        self.isolations.sort_by_key(|l| l.since);
    }
}

/// Ends the open isolation line of `plate`, if the window saw it begin;
/// otherwise records one that began before the window.
fn close_isolation(s: &mut Summary, plate: Option<Plate>, at: DateTime<Utc>) {
    let Some(plate) = plate else { return };
    match s
        .isolations
        .iter_mut()
        .rev()
        .find(|l| l.plate == plate && l.until.is_none())
    {
        Some(l) => l.until = Some(at),
        None => s.isolations.push(IsolationLine {
            plate,
            reason: None,
            flags: Vec::new(),
            since: None,
            until: Some(at),
        }),
    }
}

/// The shift containing `now`, given the site's shift start times (local,
/// e.g. 08:00 and 20:00): its start and end as instants. `back` = 1 gives
/// the shift before it.
pub fn shift_window<Tz: TimeZone>(
    now: DateTime<Utc>,
    starts: &[NaiveTime],
    tz: &Tz,
    back: u32,
) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let mut starts: Vec<NaiveTime> = starts.to_vec();
    starts.sort();
    starts.dedup();
    if starts.is_empty() {
        return None;
    }
    let local_day = now.with_timezone(tz).date_naive();
    // Every shift start from two days before to a day after, as instants.
    let mut edges: Vec<DateTime<Utc>> = Vec::new();
    for d in -2..=1 {
        let day: NaiveDate = local_day + Duration::days(d);
        for t in &starts {
            if let Some(i) = tz.from_local_datetime(&day.and_time(*t)).earliest() {
                edges.push(i.with_timezone(&Utc));
            }
        }
    }
    edges.sort();
    let i = edges.iter().rposition(|e| *e <= now)?;
    let i = i.checked_sub(back as usize)?;
    Some((edges[i], *edges.get(i + 1)?))
}

/// Past this many rounds a report lists them by place, not one by one: a
/// shift has a dozen or so, a season thousands.
pub const ROUNDS_LISTED: usize = 12;

impl Summary {
    /// The disinfection rounds by place: how many, and the last, in the
    /// order the places first appear.
    pub fn rounds_by_place(&self) -> Vec<(String, usize, DateTime<Utc>)> {
        let mut out: Vec<(String, usize, DateTime<Utc>)> = Vec::new();
        for (place, at) in &self.disinfections {
            match out.iter_mut().find(|(p, _, _)| p == place) {
                Some((_, n, last)) => {
                    *n += 1;
                    *last = (*last).max(*at);
                }
                None => out.push((place.clone(), 1, *at)),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_are_counted_by_place_with_the_last() {
        let t = |h| Utc.with_ymd_and_hms(2026, 11, 24, h, 0, 0).unwrap();
        let s = Summary {
            disinfections: vec![
                ("parking".into(), t(1)),
                ("I-05".into(), t(2)),
                ("parking".into(), t(5)),
            ],
            ..Summary::default()
        };
        assert_eq!(
            s.rounds_by_place(),
            vec![("parking".into(), 2, t(5)), ("I-05".into(), 1, t(2))]
        );
    }

    #[test]
    fn the_current_and_previous_shift_follow_the_site_clock() {
        let tz = crate::tz::Tz::shanghai();
        let starts = [
            NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
            NaiveTime::from_hms_opt(20, 0, 0).unwrap(),
        ];
        // 03:00 in Shanghai is 19:00 UTC the day before: the night shift.
        let now = Utc.with_ymd_and_hms(2026, 11, 24, 19, 0, 0).unwrap();
        let (a, b) = shift_window(now, &starts, &tz, 0).unwrap();
        assert_eq!(a, Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap());
        assert_eq!(b, Utc.with_ymd_and_hms(2026, 11, 25, 0, 0, 0).unwrap());
        let (a, b) = shift_window(now, &starts, &tz, 1).unwrap();
        assert_eq!(a, Utc.with_ymd_and_hms(2026, 11, 24, 0, 0, 0).unwrap());
        assert_eq!(b, Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap());
    }
}
