//! The lot at a past moment: which truck stood in which bay, which bays were
//! closed, and what each truck was waiting for, read from the stretches of
//! occupancy and closure that `apply` keeps (indexed queries, not a replay
//! of the log).

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::queries::decode;
use super::{Result, Store, parse_ts, ts};
use crate::domain::bay::{BayId, Zone};
use crate::domain::event::{StayId, TestKind};
use crate::domain::plate::Plate;
use crate::domain::policy::Cargo;

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
    /// A positive result was on record at that moment.
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
}

/// Occupied, free and closed bays of a zone at one moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ZoneAt {
    pub zone: Zone,
    pub capacity: usize,
    pub occupied: usize,
    pub free: usize,
    pub closed: usize,
}

impl PastLot {
    /// Every zone's counts, in `Zone::ALL` order.
    pub fn zones(&self, layout: &crate::domain::layout::Layout) -> Vec<ZoneAt> {
        Zone::ALL
            .iter()
            .map(|&zone| {
                let capacity = layout.zone(zone).capacity();
                let occupied = self
                    .occupants
                    .iter()
                    .filter(|o| o.bay.zone() == zone)
                    .count();
                let closed = self.closed.iter().filter(|c| c.bay.zone() == zone).count();
                ZoneAt {
                    zone,
                    capacity,
                    occupied,
                    free: capacity.saturating_sub(occupied + closed),
                    closed,
                }
            })
            .collect()
    }
}

impl Store {
    /// The lot at `at`: every stretch that had begun and not yet ended then.
    pub fn lot_at(&self, at: DateTime<Utc>) -> Result<PastLot> {
        let t = ts(at);
        let mut occupants = self.all(
            "SELECT o.bay, o.stay, s.plate, o.from_at,
                    (SELECT group_concat(test) FROM samples x
                      WHERE x.stay = o.stay AND x.taken_at <= ?1
                        AND (x.result_at IS NULL OR x.result_at > ?1)),
                    EXISTS (SELECT 1 FROM samples x WHERE x.stay = o.stay
                             AND x.result = 'positive' AND x.result_at <= ?1),
                    s.cargo, s.driver, s.arrived_at,
                    (SELECT min(due_at) FROM samples x
                      WHERE x.stay = o.stay AND x.taken_at <= ?1
                        AND (x.result_at IS NULL OR x.result_at > ?1))
               FROM occupancy o JOIN stays s ON s.id = o.stay
              WHERE o.from_at <= ?1 AND (o.to_at IS NULL OR o.to_at > ?1)",
            [&t],
            |r| {
                let pending: Option<String> = r.get(4)?;
                Ok(PastOccupant {
                    bay: decode(BayId::parse(&r.get::<_, String>(0)?))?,
                    stay: StayId(r.get(1)?),
                    plate: decode(Plate::parse(&r.get::<_, String>(2)?))?,
                    since: parse_ts(&r.get::<_, String>(3)?)?,
                    pending: pending
                        .as_deref()
                        .unwrap_or_default()
                        .split(',')
                        .filter(|s| !s.is_empty())
                        .map(|s| decode(s.parse::<TestKind>()))
                        .collect::<Result<_>>()?,
                    positive: r.get(5)?,
                    cargo: decode(r.get::<_, String>(6)?.parse())?,
                    driver: r.get(7)?,
                    arrived_at: parse_ts(&r.get::<_, String>(8)?)?,
                    next_due: r
                        .get::<_, Option<String>>(9)?
                        .as_deref()
                        .map(parse_ts)
                        .transpose()?,
                })
            },
        )?;
        let order = |b: &BayId| self.layout.find(b).unwrap_or(usize::MAX);
        occupants.sort_by_key(|o| order(&o.bay));
        let mut closed = self.all(
            "SELECT bay, reason, from_at FROM closures
              WHERE from_at <= ?1 AND (to_at IS NULL OR to_at > ?1)",
            [&t],
            |r| {
                Ok(PastClosure {
                    bay: decode(BayId::parse(&r.get::<_, String>(0)?))?,
                    reason: r.get(1)?,
                    since: parse_ts(&r.get::<_, String>(2)?)?,
                })
            },
        )?;
        closed.sort_by_key(|c| order(&c.bay));
        Ok(PastLot {
            at,
            occupants,
            closed,
        })
    }
}
