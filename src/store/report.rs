//! The facts behind the shift report: the window's events (summed by the
//! pure `domain::report`), the occupancy at both ends of the window (from
//! the stretches `lot_at` reads), and what was overdue when it ended.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use super::conn::args;
use super::past::ZoneAt;
use super::queries::decode;
use super::{LogFilter, Result, Store, parse_ts, ts};
use crate::domain::event::{ServiceKind, StayId, TestKind};
use crate::domain::plate::Plate;
use crate::domain::policy::Cargo;
use crate::domain::report::{IsolationLine, Summary, summarize};

/// Something late when the window ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverdueLine {
    pub plate: Plate,
    /// `antigen`/`pcr` result, or a `meal`/`water`/`medical` call.
    pub what: String,
    pub due: DateTime<Utc>,
}

/// The report of a window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub start: Vec<ZoneAt>,
    pub end: Vec<ZoneAt>,
    #[serde(flatten)]
    pub summary: Summary,
    pub overdue_at_end: Vec<OverdueLine>,
}

impl Store {
    /// What happened between `from` and `to` (both included); a service
    /// call counts as late `service_due` after it was made.
    pub fn report(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        service_due: Duration,
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
        let t = ts(to);
        let mut overdue_at_end = self.db().query(
            "SELECT s.plate, x.test, x.due_at FROM samples x JOIN stays s ON s.id = x.stay
              WHERE x.taken_at <= ?1 AND x.due_at < ?1
                AND (x.result_at IS NULL OR x.result_at > ?1)
                AND (s.departed_at IS NULL OR s.departed_at > ?1)
              ORDER BY x.due_at",
            args![&t],
            |r| {
                Ok(OverdueLine {
                    plate: decode(Plate::parse(r.text(0)?))?,
                    what: decode(r.text(1)?.parse::<TestKind>())?.to_string(),
                    due: parse_ts(r.text(2)?)?,
                })
            },
        )?;
        let late_calls = self.db().query(
            "SELECT s.plate, c.service, c.requested_at FROM service_calls c
               JOIN stays s ON s.id = c.stay
              WHERE c.requested_at <= ?1 AND (c.done_at IS NULL OR c.done_at > ?1)
              ORDER BY c.requested_at",
            args![&t],
            |r| {
                Ok(OverdueLine {
                    plate: decode(Plate::parse(r.text(0)?))?,
                    what: decode(r.text(1)?.parse::<ServiceKind>())?.to_string(),
                    due: parse_ts(r.text(2)?)? + service_due,
                })
            },
        )?;
        overdue_at_end.extend(late_calls.into_iter().filter(|l| l.due < to));
        Ok(Report {
            from,
            to,
            start: start.zones(&self.layout),
            end: self.lot_at(to)?.zones(&self.layout),
            summary,
            overdue_at_end,
        })
    }
}
