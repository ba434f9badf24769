//! Read models: typed queries the CLI and the TUI show. Each returns domain
//! values; none writes.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row};
use serde::Serialize;

use super::{Result, Store, StoreError, parse_ts};
use crate::domain::bay::{BayId, Zone};
use crate::domain::event::{HandoffMode, LoggedEvent, ServiceKind, StayId, TestKind, TestResult};
use crate::domain::phone::Phone;
use crate::domain::plate::Plate;
use crate::domain::policy::{Cargo, Finding, HealthCode};
use crate::domain::stay::Status;

/// Occupancy of one zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ZoneCount {
    pub zone: Zone,
    pub capacity: usize,
    pub occupied: usize,
    pub free: usize,
    pub closed: usize,
}

/// The truck in a bay, as the map needs it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Occupant {
    pub stay: StayId,
    pub plate: Plate,
    pub status: Status,
    pub cargo: Cargo,
    pub driver: Option<String>,
    pub arrived_at: DateTime<Utc>,
    pub bay_since: DateTime<Utc>,
    /// The earliest due time of a result still pending.
    pub next_due: Option<DateTime<Utc>>,
    /// A positive result is on record for this stay.
    pub positive: bool,
    /// Put where it is against what the checks said, with a reason.
    pub overridden: bool,
    /// Escalated and not released since.
    pub escalated: bool,
}

/// One bay on the map, in layout order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BayView {
    pub occupant: Option<Occupant>,
    pub closed: Option<String>,
    pub disinfected_at: Option<DateTime<Utc>>,
}

/// The whole lot at once: what the map draws.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LotView {
    /// Indexed like `Layout::bays`.
    pub bays: Vec<BayView>,
    /// Last disinfection round per zone, in `Zone::ALL` order.
    pub zone_disinfected: Vec<Option<DateTime<Utc>>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SampleView {
    pub test: TestKind,
    pub tube: Option<String>,
    pub batch: Option<String>,
    pub taken_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub result: Option<TestResult>,
    pub result_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceView {
    pub id: i64,
    pub service: ServiceKind,
    pub requested_at: DateTime<Utc>,
    pub done_at: Option<DateTime<Utc>>,
}

/// Someone in the cab, with their latest measurement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonView {
    /// 0 is the driver, then the passengers.
    pub person: u8,
    pub name: Option<String>,
    pub phone: Option<Phone>,
    pub temperature: Option<f64>,
    /// `None` once purged.
    pub code: Option<HealthCode>,
    pub checked_at: DateTime<Utc>,
}

/// Everything about one stay.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StayDetail {
    pub stay: StayId,
    pub plate: Plate,
    pub status: Status,
    pub bay: Option<BayId>,
    pub driver: Option<String>,
    pub phone: Option<Phone>,
    pub cargo: Cargo,
    pub origin: Option<String>,
    pub destination: Option<String>,
    pub temperature: Option<f64>,
    /// `None` once purged.
    pub code: Option<HealthCode>,
    pub travel_flag: bool,
    pub handoff_required: bool,
    pub flags: String,
    /// Who the gate checks flagged, and for what (names are in `people`).
    pub findings: Vec<Finding>,
    pub gate: Option<String>,
    pub venue_code: Option<bool>,
    pub override_reason: Option<String>,
    pub arrived_at: DateTime<Utc>,
    pub bay_since: DateTime<Utc>,
    pub departed_at: Option<DateTime<Utc>>,
    pub forced_reason: Option<String>,
    pub isolation_reason: Option<String>,
    pub isolated_at: Option<DateTime<Utc>>,
    pub released_at: Option<DateTime<Utc>>,
    pub release_reason: Option<String>,
    pub released_by: Option<String>,
    pub escalated_at: Option<DateTime<Utc>>,
    pub escalation_note: Option<String>,
    pub handoff_mode: Option<HandoffMode>,
    pub handoff_counterpart: Option<String>,
    pub handoff_started_at: Option<DateTime<Utc>>,
    pub handoff_done_at: Option<DateTime<Utc>>,
    pub handoff_by: Option<String>,
    pub handoff_confirmed_at: Option<DateTime<Utc>>,
    pub people: Vec<PersonView>,
    pub samples: Vec<SampleView>,
    pub services: Vec<ServiceView>,
}

/// A truck that has left, for search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DepartedPlate {
    pub plate: Plate,
    pub stay: StayId,
    pub departed_at: DateTime<Utc>,
}

/// Which events `log` returns.
#[derive(Debug, Clone, Default)]
pub struct LogFilter {
    pub plate: Option<Plate>,
    pub bay: Option<BayId>,
    pub zone: Option<Zone>,
    pub kind: Option<String>,
    pub operator: Option<String>,
    pub terminal: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    /// Only events older than this id: the next page after one ending here.
    pub before: Option<i64>,
    pub limit: Option<usize>,
}

/// The `log` query for `f`, selecting `columns`, and its parameters.
fn log_query(f: &LogFilter, columns: &str) -> (String, Vec<rusqlite::types::Value>) {
    use rusqlite::types::Value;
    let mut conds: Vec<&str> = Vec::new();
    let mut params: Vec<Value> = Vec::new();
    let text = |s: &str| Value::Text(s.to_string());
    if let Some(p) = &f.plate {
        conds.push("e.stay IN (SELECT id FROM stays WHERE plate = ?)");
        params.push(text(p.as_str()));
    }
    if let Some(b) = &f.bay {
        conds.push("e.bay = ?");
        params.push(text(b.as_str()));
    }
    if let Some(z) = f.zone {
        conds.push("e.zone = ?");
        params.push(text(z.as_str()));
    }
    if let Some(k) = &f.kind {
        conds.push("e.kind = ?");
        params.push(text(k));
    }
    if let Some(o) = &f.operator {
        conds.push("e.operator = ?");
        params.push(text(o));
    }
    if let Some(t) = &f.terminal {
        conds.push("e.terminal = ?");
        params.push(text(t));
    }
    // A time window becomes a range of ids (found on the `at` index), so
    // the page walks the primary key between them; the times themselves
    // are checked too, so an event recorded out of clock order is exact.
    let since = f.since.map(super::ts);
    if let Some(t) = &since {
        // Bounded by `until` too: an open-ended range walked the time index
        // from `since` to the end of the log (22 ms in the middle of a
        // 90-day log) for an id that a later event cannot lower.
        conds.push(
            "e.id >= (SELECT min(id) FROM events INDEXED BY events_at WHERE at >= ? AND at <= ?) AND e.at >= ?",
        );
        let until = f.until.map(super::ts);
        params.extend([text(t), text(until.as_deref().unwrap_or("~")), text(t)]);
    }
    if let Some(t) = f.until.map(super::ts) {
        conds.push(
            "e.id <= (SELECT max(id) FROM events INDEXED BY events_at WHERE at <= ? AND at >= ?) AND e.at <= ?",
        );
        params.extend([text(&t), text(since.as_deref().unwrap_or("")), text(&t)]);
    }
    if let Some(id) = f.before {
        conds.push("e.id < ?");
        params.push(Value::Integer(id));
    }
    let filter = if conds.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conds.join(" AND "))
    };
    params.push(Value::Integer(f.limit.map_or(-1, |l| l as i64)));
    (
        format!(
            "SELECT {columns} FROM events e LEFT JOIN stays s ON s.id = e.stay
              {filter} ORDER BY e.id DESC LIMIT ?"
        ),
        params,
    )
}

pub(super) fn decode<T, E: std::fmt::Display>(r: std::result::Result<T, E>) -> Result<T> {
    r.map_err(|e| StoreError::Decode(e.to_string()))
}

fn opt_ts(s: Option<String>) -> Result<Option<DateTime<Utc>>> {
    s.as_deref().map(parse_ts).transpose()
}

impl Store {
    /// Per-zone counts, in `Zone::ALL` order.
    pub fn status(&self) -> Result<Vec<ZoneCount>> {
        let mut out: Vec<ZoneCount> = Zone::ALL
            .iter()
            .map(|&zone| ZoneCount {
                zone,
                capacity: 0,
                occupied: 0,
                free: 0,
                closed: 0,
            })
            .collect();
        let mut st = self.conn.prepare_cached(
            "SELECT zone, count(*), count(occupant), count(closed_reason) FROM bays GROUP BY zone",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })?;
        for row in rows {
            let (zone, cap, occ, closed) = row?;
            let zone: Zone = decode(zone.parse())?;
            let c = &mut out[zone.index()];
            c.capacity = cap as usize;
            c.occupied = occ as usize;
            c.closed = closed as usize;
            c.free = (cap - occ - closed).max(0) as usize;
        }
        Ok(out)
    }

    /// Every bay with its truck, in layout order: one query for the map.
    pub fn lot(&self) -> Result<LotView> {
        let n = self.layout.bays.len();
        let mut bays = vec![
            BayView {
                occupant: None,
                closed: None,
                disinfected_at: None,
            };
            n
        ];
        // Only bays with something to show; the rest stay free.
        let mut st = self.conn.prepare_cached(&format!(
            "{BAY_VIEW} WHERE b.occupant IS NOT NULL OR b.closed_reason IS NOT NULL
                 OR b.disinfected_at IS NOT NULL"
        ))?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let ord = r.get::<_, i64>(0)? as usize;
            if let Some(view) = bays.get_mut(ord) {
                *view = bay_view(r)?;
            }
        }
        let mut zone_disinfected = vec![None; Zone::ALL.len()];
        let mut st = self
            .conn
            .prepare_cached("SELECT zone, disinfected_at FROM zones")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let zone: Zone = decode(r.get::<_, String>(0)?.parse())?;
            zone_disinfected[zone.index()] = opt_ts(r.get(1)?)?;
        }
        Ok(LotView {
            bays,
            zone_disinfected,
        })
    }

    /// One bay as the map shows it; `None` if the lot has no such bay.
    pub fn bay_view(&self, bay: &BayId) -> Result<Option<BayView>> {
        let mut st = self
            .conn
            .prepare_cached(&format!("{BAY_VIEW} WHERE b.id = ?1"))?;
        let mut rows = st.query([bay.as_str()])?;
        rows.next()?.map(bay_view).transpose()
    }

    /// The open stay of a plate, or its most recent one.
    pub fn stay_of_plate(&self, plate: &Plate) -> Result<Option<StayId>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM stays WHERE plate = ?1 ORDER BY departed_at IS NULL DESC, id DESC LIMIT 1",
                [plate.as_str()],
                |r| r.get(0),
            )
            .optional()?
            .map(StayId))
    }

    /// Every plate that has left and is not on site now, with its latest
    /// stay and when it left, most recent first: what search offers besides
    /// the trucks on the map.
    pub fn departed_plates(&self) -> Result<Vec<DepartedPlate>> {
        self.all(
            "SELECT s.plate, s.id, s.departed_at FROM stays s
              WHERE s.id = (SELECT max(id) FROM stays WHERE plate = s.plate)
                AND s.departed_at IS NOT NULL
              ORDER BY s.departed_at DESC",
            [],
            |r| {
                Ok(DepartedPlate {
                    plate: decode(Plate::parse(&r.get::<_, String>(0)?))?,
                    stay: StayId(r.get(1)?),
                    departed_at: parse_ts(&r.get::<_, String>(2)?)?,
                })
            },
        )
    }

    /// The stay in a bay, if any.
    pub fn stay_in_bay(&self, bay: &BayId) -> Result<Option<StayId>> {
        Ok(self
            .conn
            .query_row(
                "SELECT occupant FROM bays WHERE id = ?1",
                [bay.as_str()],
                |r| r.get::<_, Option<i64>>(0),
            )
            .optional()?
            .flatten()
            .map(StayId))
    }

    pub fn stay_detail(&self, stay: StayId) -> Result<Option<StayDetail>> {
        let mut st = self.conn.prepare_cached(
            "SELECT s.id, s.plate, s.status, b.id, s.driver, s.phone, s.cargo, s.origin, s.destination,
                    s.temperature, s.code, s.travel_flag, s.handoff_required, s.flags, s.override_reason,
                    s.arrived_at, s.bay_since, s.departed_at, s.forced_reason, s.isolation_reason,
                    s.isolated_at, s.released_at, s.release_reason, s.escalated_at, s.escalation_note,
                    s.handoff_mode, s.handoff_counterpart, s.handoff_started_at, s.handoff_done_at,
                    s.findings, s.gate, s.venue_code, s.released_by, s.handoff_by,
                    s.handoff_confirmed_at
               FROM stays s LEFT JOIN bays b ON b.occupant = s.id WHERE s.id = ?1",
        )?;
        let mut rows = st.query([stay.0])?;
        let Some(r) = rows.next()? else {
            return Ok(None);
        };
        let mut d = StayDetail {
            stay,
            plate: decode(Plate::parse(&r.get::<_, String>(1)?))?,
            status: status(&r.get::<_, String>(2)?)?,
            bay: r
                .get::<_, Option<String>>(3)?
                .map(|b| decode(BayId::parse(&b)))
                .transpose()?,
            driver: r.get(4)?,
            phone: r
                .get::<_, Option<String>>(5)?
                .map(|p| decode(Phone::parse(&p)))
                .transpose()?,
            cargo: decode(r.get::<_, String>(6)?.parse())?,
            origin: r.get(7)?,
            destination: r.get(8)?,
            temperature: r.get(9)?,
            code: r
                .get::<_, Option<String>>(10)?
                .map(|c| decode(c.parse()))
                .transpose()?,
            travel_flag: r.get(11)?,
            handoff_required: r.get(12)?,
            flags: r.get(13)?,
            override_reason: r.get(14)?,
            arrived_at: parse_ts(&r.get::<_, String>(15)?)?,
            bay_since: parse_ts(&r.get::<_, String>(16)?)?,
            departed_at: opt_ts(r.get(17)?)?,
            forced_reason: r.get(18)?,
            isolation_reason: r.get(19)?,
            isolated_at: opt_ts(r.get(20)?)?,
            released_at: opt_ts(r.get(21)?)?,
            release_reason: r.get(22)?,
            escalated_at: opt_ts(r.get(23)?)?,
            escalation_note: r.get(24)?,
            handoff_mode: r
                .get::<_, Option<String>>(25)?
                .map(|m| decode(m.parse()))
                .transpose()?,
            handoff_counterpart: r.get(26)?,
            handoff_started_at: opt_ts(r.get(27)?)?,
            handoff_done_at: opt_ts(r.get(28)?)?,
            findings: decode(serde_json::from_str(&r.get::<_, String>(29)?))?,
            gate: r.get(30)?,
            venue_code: r.get(31)?,
            released_by: r.get(32)?,
            handoff_by: r.get(33)?,
            handoff_confirmed_at: opt_ts(r.get(34)?)?,
            people: vec![],
            samples: vec![],
            services: vec![],
        };
        drop(rows);
        d.people = self.all(
            "SELECT person, name, phone, temperature, code, checked_at FROM people
              WHERE stay = ?1 ORDER BY person",
            [stay.0],
            |r| {
                Ok(PersonView {
                    person: r.get::<_, i64>(0)?.clamp(0, 255) as u8,
                    name: r.get(1)?,
                    phone: r
                        .get::<_, Option<String>>(2)?
                        .map(|p| decode(Phone::parse(&p)))
                        .transpose()?,
                    temperature: r.get(3)?,
                    code: r
                        .get::<_, Option<String>>(4)?
                        .map(|c| decode(c.parse()))
                        .transpose()?,
                    checked_at: parse_ts(&r.get::<_, String>(5)?)?,
                })
            },
        )?;
        let mut st = self.conn.prepare_cached(
            "SELECT test, taken_at, due_at, result, result_at, tube, batch
               FROM samples WHERE stay = ?1 ORDER BY id",
        )?;
        let mut rows = st.query([stay.0])?;
        while let Some(r) = rows.next()? {
            d.samples.push(SampleView {
                tube: r.get(5)?,
                batch: r.get(6)?,
                test: decode(r.get::<_, String>(0)?.parse())?,
                taken_at: parse_ts(&r.get::<_, String>(1)?)?,
                due_at: parse_ts(&r.get::<_, String>(2)?)?,
                result: r
                    .get::<_, Option<String>>(3)?
                    .map(|x| decode(x.parse()))
                    .transpose()?,
                result_at: opt_ts(r.get(4)?)?,
            });
        }
        let mut st = self.conn.prepare_cached(
            "SELECT id, service, requested_at, done_at FROM service_calls WHERE stay = ?1 ORDER BY id",
        )?;
        let mut rows = st.query([stay.0])?;
        while let Some(r) = rows.next()? {
            d.services.push(ServiceView {
                id: r.get(0)?,
                service: decode(r.get::<_, String>(1)?.parse())?,
                requested_at: parse_ts(&r.get::<_, String>(2)?)?,
                done_at: opt_ts(r.get(3)?)?,
            });
        }
        Ok(Some(d))
    }

    /// The event log, newest first: a page of at most `limit` events older
    /// than `before` (keyset paging: the next page starts below the last
    /// id shown). Only the filters given become conditions, each on an
    /// index ending in `id`, so a page costs its own rows, not the log's.
    pub fn log(&self, f: &LogFilter) -> Result<Vec<LoggedEvent>> {
        let (sql, params) = log_query(
            f,
            "e.id, e.at, e.operator, e.terminal, e.details, s.plate, e.bay, e.kind",
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let mut rows = st.query(rusqlite::params_from_iter(params.iter()))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(logged(&self.conn, r)?);
        }
        Ok(out)
    }

    /// How SQLite will run `log` for this filter (`EXPLAIN QUERY PLAN`), one
    /// line per step: to prove every filter uses an index.
    pub fn log_plan(&self, f: &LogFilter) -> Result<Vec<String>> {
        let (sql, params) = log_query(f, "e.id");
        let mut st = self.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
        let mut rows = st.query(rusqlite::params_from_iter(params.iter()))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(r.get::<_, String>(3)?);
        }
        Ok(out)
    }

    /// How many events the log holds.
    pub fn event_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM events", [], |r| r.get(0))?)
    }
}

/// One log row (`id, at, operator, terminal, details, plate, bay, kind`)
/// as an event, its personal data put back.
pub(super) fn logged(db: &rusqlite::Connection, r: &Row<'_>) -> Result<LoggedEvent> {
    let id: i64 = r.get(0)?;
    let details: String = r.get(4)?;
    let event = super::personal::decode(db, id, &r.get::<_, String>(7)?, &details)?;
    Ok(LoggedEvent {
        id,
        at: parse_ts(&r.get::<_, String>(1)?)?,
        operator: r.get(2)?,
        terminal: r.get(3)?,
        event,
        plate: r
            .get::<_, Option<String>>(5)?
            .map(|p| decode(Plate::parse(&p)))
            .transpose()?,
        bay: r
            .get::<_, Option<String>>(6)?
            .map(|b| decode(BayId::parse(&b)))
            .transpose()?,
    })
}

fn status(s: &str) -> Result<Status> {
    Status::parse(s).ok_or_else(|| StoreError::Decode(format!("status '{s}'")))
}

/// A bay and its truck as the map needs them: `ord` first, then what
/// `bay_view` reads.
const BAY_VIEW: &str = "SELECT b.ord, b.closed_reason, b.disinfected_at,
        s.id, s.plate, s.status, s.cargo, s.driver, s.arrived_at, s.bay_since,
        (SELECT min(due_at) FROM samples WHERE stay = s.id AND result IS NULL),
        EXISTS (SELECT 1 FROM samples WHERE stay = s.id AND result = 'positive'),
        s.override_reason IS NOT NULL, s.escalated_at IS NOT NULL
   FROM bays b LEFT JOIN stays s ON s.id = b.occupant";

fn bay_view(r: &Row<'_>) -> Result<BayView> {
    Ok(BayView {
        closed: r.get(1)?,
        disinfected_at: opt_ts(r.get(2)?)?,
        occupant: match r.get::<_, Option<i64>>(3)? {
            Some(stay) => Some(occupant(stay, r)?),
            None => None,
        },
    })
}

/// Columns 3..=13 of the map query.
fn occupant(stay: i64, r: &Row<'_>) -> Result<Occupant> {
    Ok(Occupant {
        stay: StayId(stay),
        plate: decode(Plate::parse(&r.get::<_, String>(4)?))?,
        status: status(&r.get::<_, String>(5)?)?,
        cargo: decode(r.get::<_, String>(6)?.parse())?,
        driver: r.get(7)?,
        arrived_at: parse_ts(&r.get::<_, String>(8)?)?,
        bay_since: parse_ts(&r.get::<_, String>(9)?)?,
        next_due: opt_ts(r.get(10)?)?,
        positive: r.get(11)?,
        overridden: r.get::<_, Option<bool>>(12)?.unwrap_or(false),
        escalated: r.get::<_, Option<bool>>(13)?.unwrap_or(false),
    })
}
