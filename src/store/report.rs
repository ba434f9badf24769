//! The facts behind the shift report: the window's events (summed by the
//! pure `domain::report`), the occupancy at both ends of the window (from
//! the stretches `lot_at` reads), and what was overdue when it ended.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use super::conn::args;
use super::past::ZoneAt;
use super::queries::decode;
use super::{LogFilter, Result, Store, parse_ts, ts};
use crate::domain::clocks::{ClockKind, DueItem, TruckRef, clocks};
use crate::domain::event::{ServiceKind, StayId, TestKind};
use crate::domain::plate::Plate;
use crate::domain::policy::Cargo;
use crate::domain::policy::Policy;
use crate::domain::report::{IsolationLine, Summary, summarize};

/// The report of a window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub start: Vec<ZoneAt>,
    pub end: Vec<ZoneAt>,
    #[serde(flatten)]
    pub summary: Summary,
    /// What was overdue when the window ended, as the clocks board says
    /// it (`Store::overdue_at`).
    pub overdue_at_end: Vec<DueItem>,
}

impl Store {
    /// What happened between `from` and `to` (both included), and what
    /// was overdue at `to` under `policy`; `ends_now`: the window is the
    /// shift under way, up to this moment.
    pub fn report(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        policy: &Policy,
        ends_now: bool,
    ) -> Result<Report> {
        let events = self.log(&LogFilter {
            since: Some(from),
            until: Some(to),
            ..LogFilter::default()
        })?;
        let cargo: std::collections::HashMap<i64, Cargo> = self
            .db()
            .query(
                "SELECT id, cargo FROM stays WHERE departed_at >= ?1 AND departed_at <= ?2",
                args![ts(from), ts(to)],
                |r| Ok((r.i64(0)?, decode(r.text(1)?.parse())?)),
            )?
            .into_iter()
            .collect();
        let mut summary = summarize(&events, |s: StayId| cargo.get(&s.0).copied());
        // Before the window's first instant: events at `from` are in it.
        let start = self.lot_at(from - Duration::milliseconds(1))?;
        summary.held_from_before(
            start
                .isolation
                .isolations
                .iter()
                .map(|i| IsolationLine {
                    plate: i.truck.plate.clone(),
                    reason: i.reason.clone(),
                    flags: crate::domain::policy::flags_of(&i.findings),
                    since: Some(i.since),
                    until: None,
                })
                .collect(),
        );
        let overdue_at_end = self.overdue_at(to, policy, ends_now)?;
        Ok(Report {
            from,
            to,
            start: start.zones(&self.layout),
            end: self.lot_at(to)?.zones(&self.layout),
            summary,
            overdue_at_end,
        })
    }

    /// Everything overdue at `to`, as the clocks board has it. For a
    /// window that ends now, or after which nothing was recorded, the lot
    /// now is the lot then: the clocks' own list, every alarm on it (also
    /// when another terminal records something while the report is read).
    /// Before that, what the log lets be rebuilt of that moment: the
    /// results and the service calls that were late.
    fn overdue_at(
        &self,
        to: DateTime<Utc>,
        policy: &Policy,
        ends_now: bool,
    ) -> Result<Vec<DueItem>> {
        let nothing_after = || -> Result<bool> {
            let last = self
                .db()
                .query_one("SELECT max(at) FROM events", &[], |r| r.opt_string(0))?
                .map(|t| parse_ts(&t))
                .transpose()?;
            Ok(last.is_none_or(|l| l <= to))
        };
        if ends_now || nothing_after()? {
            let facts = self.clock_facts()?;
            return Ok(clocks(&facts, policy)
                .into_iter()
                .filter(|c| c.overdue(to))
                .collect());
        }
        let t = ts(to);
        let truck = |r: &super::conn::Row| -> Result<Option<TruckRef>> {
            Ok(Some(TruckRef {
                stay: StayId(r.i64(0)?),
                plate: decode(Plate::parse(r.text(1)?))?,
                bay: None,
            }))
        };
        let mut overdue = self.db().query(
            "SELECT s.id, s.plate, x.test, x.taken_at, x.due_at FROM samples x
               JOIN stays s ON s.id = x.stay
              WHERE x.taken_at <= ?1 AND x.due_at < ?1
                AND (x.result_at IS NULL OR x.result_at > ?1)
              ORDER BY x.due_at",
            args![&t],
            |r| {
                Ok(DueItem {
                    kind: ClockKind::Result {
                        test: decode(r.text(2)?.parse::<TestKind>())?,
                    },
                    truck: truck(r)?,
                    started: parse_ts(r.text(3)?)?,
                    due: parse_ts(r.text(4)?)?,
                })
            },
        )?;
        let service_due = policy.service_due();
        let late_calls = self.db().query(
            "SELECT s.id, s.plate, c.service, c.requested_at FROM service_calls c
               JOIN stays s ON s.id = c.stay
              WHERE c.requested_at <= ?1 AND (c.done_at IS NULL OR c.done_at > ?1)
              ORDER BY c.requested_at",
            args![&t],
            |r| {
                let requested = parse_ts(r.text(3)?)?;
                Ok(DueItem {
                    kind: ClockKind::Service {
                        service: decode(r.text(2)?.parse::<ServiceKind>())?,
                    },
                    truck: truck(r)?,
                    started: requested,
                    due: requested + service_due,
                })
            },
        )?;
        overdue.extend(late_calls.into_iter().filter(|c| c.overdue(to)));
        overdue.sort_by_key(|c| c.due);
        Ok(overdue)
    }
}
