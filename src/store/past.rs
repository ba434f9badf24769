//! The lot at a past moment: which truck stood in which bay, which bays were
//! closed, and what each truck was waiting for, read from the stretches of
//! occupancy and closure that `apply` keeps (indexed queries, not a replay
//! of the log).

use chrono::{DateTime, Utc};
use serde::Serialize;

use std::collections::HashMap;

use super::conn::{Value, args};
use super::queries::decode;
use super::{Result, Store, StoreError, parse_ts, ts};
use crate::domain::bay::{BayId, Zone};
use crate::domain::clocks::{Isolation, PendingSample, TruckRef};
use crate::domain::event::{StayId, TestKind, TestResult};
use crate::domain::plate::Plate;
use crate::domain::policy::{Cargo, Finding};
use crate::domain::stay::Status;

/// A truck in a bay at the moment asked about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PastOccupant {
    pub bay: BayId,
    pub stay: StayId,
    pub plate: Plate,
    /// Since when it stood in this bay.
    pub since: DateTime<Utc>,
    /// Tests sampled and without a result at that moment.
    pub pending: Vec<TestKind>,
    /// A positive result stood at that moment: its own, or one carried
    /// from the truck's last stay, not yet cleared by a negative PCR.
    pub positive: bool,
    /// The stay's cargo, driver and arrival (from the stay's row), for the
    /// interface's map; not part of `at --json` (which names no driver).
    #[serde(skip)]
    pub cargo: Cargo,
    #[serde(skip)]
    pub driver: Option<String>,
    #[serde(skip)]
    pub arrived_at: DateTime<Utc>,
    /// The earliest due time of a result pending at that moment.
    #[serde(skip)]
    pub next_due: Option<DateTime<Utc>>,
}

/// A bay closed at the moment asked about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PastClosure {
    pub bay: BayId,
    pub reason: String,
    pub since: DateTime<Utc>,
}

/// The lot as it was at `at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PastLot {
    pub at: DateTime<Utc>,
    /// In layout order.
    pub occupants: Vec<PastOccupant>,
    pub closed: Vec<PastClosure>,
    /// The isolation board's facts at that moment: the trucks in the
    /// isolation zone and their samples then pending (for the interface's
    /// board and `at`'s isolation lines; names are not in `at --json`).
    #[serde(skip)]
    pub isolation: IsolationAt,
}

/// Who was in the isolation zone at a moment, with what was known then.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IsolationAt {
    pub isolations: Vec<Isolation>,
    /// Their samples sampled and without a result at that moment.
    pub pending: Vec<PendingSample>,
}

/// Occupied, free and closed bays of a zone at one moment: the counts the
/// lot has now, of a moment past.
pub type ZoneAt = super::queries::ZoneCount;

impl PastLot {
    /// Every zone's counts, in `Zone::ALL` order.
    pub fn zones(&self, layout: &crate::domain::layout::Layout) -> Vec<ZoneAt> {
        ZoneAt::all(|zone| {
            (
                layout.zone(zone).capacity(),
                self.occupants
                    .iter()
                    .filter(|o| o.bay.zone() == zone)
                    .count(),
                self.closed.iter().filter(|c| c.bay.zone() == zone).count(),
            )
        })
    }
}

impl Store {
    /// The lot at `at`: every stretch that had begun and not yet ended then.
    pub fn lot_at(&self, at: DateTime<Utc>) -> Result<PastLot> {
        let t = ts(at);
        let db = self.db();
        let list = db.pick("group_concat(test)", "string_agg(test, ',')");
        let mut occupants = db.query(
            &format!(
                "SELECT o.bay, o.stay, s.plate, o.from_at,
                    (SELECT {list} FROM samples x
                      WHERE x.stay = o.stay AND x.taken_at <= ?1
                        AND (x.result_at IS NULL OR x.result_at > ?1)),
                    EXISTS (SELECT 1 FROM samples x WHERE x.stay = o.stay
                             AND x.result = 'positive' AND x.result_at <= ?1)
                        OR {carries},
                    s.cargo, s.driver, s.arrived_at,
                    (SELECT min(due_at) FROM samples x
                      WHERE x.stay = o.stay AND x.taken_at <= ?1
                        AND (x.result_at IS NULL OR x.result_at > ?1))
               FROM occupancy o JOIN stays s ON s.id = o.stay
              WHERE o.from_at <= ?1 AND (o.to_at IS NULL OR o.to_at > ?1)",
                carries = super::carried::carries_positive("s.findings"),
            ),
            args![&t],
            |r| {
                Ok(PastOccupant {
                    bay: decode(BayId::parse(r.text(0)?))?,
                    stay: StayId(r.i64(1)?),
                    plate: decode(Plate::parse(r.text(2)?))?,
                    since: parse_ts(r.text(3)?)?,
                    pending: r
                        .opt_text(4)?
                        .unwrap_or_default()
                        .split(',')
                        .filter(|s| !s.is_empty())
                        .map(|s| decode(s.parse::<TestKind>()))
                        .collect::<Result<_>>()?,
                    positive: r.bool(5)?,
                    cargo: decode(r.text(6)?.parse())?,
                    driver: r.opt_string(7)?,
                    arrived_at: parse_ts(r.text(8)?)?,
                    next_due: r.opt_text(9)?.map(parse_ts).transpose()?,
                })
            },
        )?;
        // Of those that had a positive (or carried one) by then, the
        // domain's rule says whether it still stood then, as the map says
        // it of the lot now.
        for o in occupants.iter_mut().filter(|o| o.positive) {
            o.positive = super::carried::positive_stands(db, o.stay.0, Some(at))?;
        }
        let order = |b: &BayId| self.layout.find(b).unwrap_or(usize::MAX);
        occupants.sort_by_key(|o| order(&o.bay));
        let mut closed = self.db().query(
            "SELECT bay, reason, from_at FROM closures
              WHERE from_at <= ?1 AND (to_at IS NULL OR to_at > ?1)",
            args![&t],
            |r| {
                Ok(PastClosure {
                    bay: decode(BayId::parse(r.text(0)?))?,
                    reason: r.string(1)?,
                    since: parse_ts(r.text(2)?)?,
                })
            },
        )?;
        closed.sort_by_key(|c| order(&c.bay));
        let isolation = self.isolation_at(at, &occupants)?;
        Ok(PastLot {
            at,
            occupants,
            closed,
            isolation,
        })
    }

    /// The isolation board's facts at `at`, for the trucks that stood in
    /// the isolation zone then: since when (the isolation that was under
    /// way, or else the stretch in the zone), results and escalation as
    /// known then. The reason and findings are the stay's own.
    fn isolation_at(&self, at: DateTime<Utc>, occupants: &[PastOccupant]) -> Result<IsolationAt> {
        let t = ts(at);
        let mut out = IsolationAt::default();
        let here: Vec<&PastOccupant> = occupants
            .iter()
            .filter(|o| o.bay.zone() == Zone::Isolation)
            .collect();
        if here.is_empty() {
            return Ok(out);
        }
        // One query for each kind of fact about the whole zone, not four
        // for each truck in it: its stays are bound one placeholder each,
        // numbered from `first` (the time, where a query needs it, is ?1).
        let ids = |first: usize| -> String {
            (first..first + here.len())
                .map(|n| format!("?{n}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let stays: Vec<Value> = here.iter().map(|o| Value::from(o.stay.0)).collect();
        let with_time: Vec<Value> = std::iter::once(Value::from(&t))
            .chain(stays.iter().cloned())
            .collect();
        let db = self.db();
        let mut facts: HashMap<i64, StayFacts> = HashMap::new();
        for (stay, f) in db.query(
            &format!(
                "SELECT id, isolation_reason, isolated_at, escalated_at, escalation_note, findings
                   FROM stays WHERE id IN ({})",
                ids(1)
            ),
            &stays,
            |r| {
                Ok((
                    r.i64(0)?,
                    StayFacts {
                        reason: r.opt_string(1)?,
                        isolated_at: r.opt_string(2)?,
                        escalated_at: r.opt_string(3)?,
                        note: r.opt_string(4)?,
                        findings: r.string(5)?,
                        results: Vec::new(),
                        names: Vec::new(),
                    },
                ))
            },
        )? {
            facts.insert(stay, f);
        }
        for (stay, test, result, when) in db.query(
            &format!(
                "SELECT stay, test, result, result_at FROM samples
                  WHERE stay IN ({}) AND result IS NOT NULL AND result_at <= ?1
                  ORDER BY stay, result_at, result_id",
                ids(2)
            ),
            &with_time,
            |r| {
                Ok((
                    r.i64(0)?,
                    decode(r.text(1)?.parse::<TestKind>())?,
                    decode(r.text(2)?.parse::<TestResult>())?,
                    parse_ts(r.text(3)?)?,
                ))
            },
        )? {
            if let Some(f) = facts.get_mut(&stay) {
                f.results.push((test, result, when));
            }
        }
        for (stay, n, name) in db.query(
            &format!(
                "SELECT stay, person, name FROM people WHERE stay IN ({}) ORDER BY stay, person",
                ids(1)
            ),
            &stays,
            |r| Ok((r.i64(0)?, r.i64(1)?, r.opt_string(2)?)),
        )? {
            if let Some(f) = facts.get_mut(&stay) {
                let n = n.clamp(0, 3) as usize;
                if f.names.len() <= n {
                    f.names.resize(n + 1, None);
                }
                f.names[n] = name;
            }
        }
        let by_stay: HashMap<i64, &PastOccupant> = here.iter().map(|o| (o.stay.0, *o)).collect();
        let truck = |o: &PastOccupant| TruckRef {
            stay: o.stay,
            plate: o.plate.clone(),
            bay: Some(o.bay.clone()),
        };
        out.pending = db.query(
            &format!(
                "SELECT stay, test, taken_at, due_at FROM samples
                  WHERE stay IN ({}) AND taken_at <= ?1 AND (result_at IS NULL OR result_at > ?1)
                  ORDER BY due_at, stay",
                ids(2)
            ),
            &with_time,
            |r| {
                let o = by_stay
                    .get(&r.i64(0)?)
                    .ok_or_else(|| StoreError::Decode("a sample of another stay".into()))?;
                Ok(PendingSample {
                    truck: truck(o),
                    test: decode(r.text(1)?.parse())?,
                    taken_at: parse_ts(r.text(2)?)?,
                    due_at: parse_ts(r.text(3)?)?,
                })
            },
        )?;
        // Truck by truck in the zone's order, as the board lists them.
        let place: HashMap<i64, usize> = here
            .iter()
            .enumerate()
            .map(|(i, o)| (o.stay.0, i))
            .collect();
        out.pending
            .sort_by_key(|p| place.get(&p.truck.stay.0).copied());
        for o in here {
            let Some(f) = facts.remove(&o.stay.0) else {
                continue;
            };
            let known = |x: Option<String>| -> Result<Option<DateTime<Utc>>> {
                Ok(x.as_deref().map(parse_ts).transpose()?.filter(|w| *w <= at))
            };
            let since = known(f.isolated_at)?.unwrap_or(o.since);
            let findings: Vec<Finding> = decode(serde_json::from_str(&f.findings))?;
            let escalated_at = known(f.escalated_at)?;
            out.isolations.push(Isolation {
                truck: truck(o),
                status: Status::Isolated,
                reason: f.reason,
                since,
                escalated_at,
                escalation: escalated_at.and(f.note),
                results_since: f
                    .results
                    .iter()
                    .filter(|(_, _, w)| *w >= since)
                    .map(|&(k, r, _)| (k, r))
                    .collect(),
                results: f.results.into_iter().map(|(k, r, _)| (k, r)).collect(),
                carried: super::carried::carried_by(self.db(), o.stay.0, &findings, Some(at))?,
                findings,
                names: f.names,
            });
        }
        out.isolations.sort_by_key(|i| i.since);
        Ok(out)
    }
}

/// What `isolation_at` reads of one stay.
struct StayFacts {
    reason: Option<String>,
    isolated_at: Option<String>,
    escalated_at: Option<String>,
    note: Option<String>,
    findings: String,
    results: Vec<(TestKind, TestResult, DateTime<Utc>)>,
    names: Vec<Option<String>>,
}
