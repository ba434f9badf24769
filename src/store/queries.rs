//! Read models: typed queries the CLI and the TUI show. Each returns domain
//! values; none writes.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::conn::{Db, Row, Value, args};
use super::{Result, Store, StoreError, parse_ts};
use crate::domain::bay::{BayId, Zone};
use crate::domain::event::{HandoffMode, LoggedEvent, ServiceKind, StayId, TestKind, TestResult};
use crate::domain::layout::Layout;
use crate::domain::phone::Phone;
use crate::domain::plate::Plate;
use crate::domain::policy::{Cargo, Finding, HealthCode};
use crate::domain::stay::Status;

impl LotView {
    /// Each zone's capacity, trucks, free and closed bays, in `Zone::ALL`
    /// order: what `Store::status` answers, counted from these bays.
    pub fn zone_counts(&self, layout: &Layout) -> Vec<ZoneCount> {
        let mut totals = [(0, 0, 0); Zone::ALL.len()];
        for (bay, view) in layout.bays.iter().zip(&self.bays) {
            let t = &mut totals[bay.zone.index()];
            t.0 += 1;
            t.1 += usize::from(view.occupant.is_some());
            t.2 += usize::from(view.closed.is_some());
        }
        ZoneCount::all(|zone| totals[zone.index()])
    }
}

/// Occupancy of one zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ZoneCount {
    pub zone: Zone,
    pub capacity: usize,
    pub occupied: usize,
    pub free: usize,
    pub closed: usize,
}

impl ZoneCount {
    /// Every zone in `Zone::ALL` order, from its (capacity, occupied,
    /// closed); free is what is left.
    pub(super) fn all(totals: impl Fn(Zone) -> (usize, usize, usize)) -> Vec<ZoneCount> {
        Zone::ALL
            .iter()
            .map(|&zone| {
                let (capacity, occupied, closed) = totals(zone);
                ZoneCount {
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
    /// A positive result stands for this stay: its own, or one its arrival
    /// carried from the truck's last stay, not cleared by a negative PCR.
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

impl StayDetail {
    /// A handoff begun and never done that is no longer under way: the
    /// truck was isolated in the middle of it (isolation takes it out of
    /// the handoff bay, and a transfer is not finished by a truck under
    /// isolation's authority). What it was is kept, and said as stopped.
    pub fn handoff_stopped(&self) -> bool {
        self.handoff_started_at.is_some()
            && self.handoff_done_at.is_none()
            && self.status != Status::Handoff
    }
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
fn log_query(f: &LogFilter, columns: &str) -> (String, Vec<Value>) {
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
    params.push(Value::Integer(f.limit.map_or(i64::MAX, |l| l as i64)));
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

fn opt_ts(s: Option<&str>) -> Result<Option<DateTime<Utc>>> {
    s.map(parse_ts).transpose()
}

impl Store {
    /// Per-zone counts, in `Zone::ALL` order.
    pub fn status(&self) -> Result<Vec<ZoneCount>> {
        let mut totals = [(0, 0, 0); Zone::ALL.len()];
        let rows = self.db().query(
            "SELECT zone, count(*), count(occupant), count(closed_reason) FROM bays GROUP BY zone",
            &[],
            |r| {
                Ok((
                    decode::<Zone, _>(r.text(0)?.parse())?,
                    r.i64(1)?,
                    r.i64(2)?,
                    r.i64(3)?,
                ))
            },
        )?;
        let count = |n: i64| usize::try_from(n).unwrap_or(0);
        for (zone, cap, occ, closed) in rows {
            totals[zone.index()] = (count(cap), count(occ), count(closed));
        }
        Ok(ZoneCount::all(|zone| totals[zone.index()]))
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
        let sql = format!(
            "{BAY_VIEW} WHERE b.occupant IS NOT NULL OR b.closed_reason IS NOT NULL
                 OR b.disinfected_at IS NOT NULL"
        );
        for (ord, mut view) in self
            .db()
            .query(&sql, &[], |r| Ok((r.i64(0)? as usize, bay_view(r)?)))?
        {
            self.positive_still_stands(&mut view)?;
            if let Some(slot) = bays.get_mut(ord) {
                *slot = view;
            }
        }
        let mut zone_disinfected = vec![None; Zone::ALL.len()];
        for (zone, at) in self
            .db()
            .query("SELECT zone, disinfected_at FROM zones", &[], |r| {
                Ok((
                    decode::<Zone, _>(r.text(0)?.parse())?,
                    opt_ts(r.opt_text(1)?)?,
                ))
            })?
        {
            zone_disinfected[zone.index()] = at;
        }
        Ok(LotView {
            bays,
            zone_disinfected,
        })
    }

    /// One bay as the map shows it; `None` if the lot has no such bay.
    pub fn bay_view(&self, bay: &BayId) -> Result<Option<BayView>> {
        let view = self.db().query_opt(
            &format!("{BAY_VIEW} WHERE b.id = ?1"),
            args![bay.as_str()],
            bay_view,
        )?;
        match view {
            Some(mut v) => {
                self.positive_still_stands(&mut v)?;
                Ok(Some(v))
            }
            None => Ok(None),
        }
    }

    /// The map reads which trucks ever had a positive (`positive_at`, a
    /// column); of those few, the domain's rule says whether it still
    /// stands: one cleared by a negative PCR is no longer shown positive.
    fn positive_still_stands(&self, view: &mut BayView) -> Result<()> {
        if let Some(o) = view.occupant.as_mut().filter(|o| o.positive) {
            o.positive = super::carried::positive_stands(self.db(), o.stay.0, None)?;
        }
        Ok(())
    }

    /// The open stay of a plate, or its most recent one.
    pub fn stay_of_plate(&self, plate: &Plate) -> Result<Option<StayId>> {
        Ok(self
            .db()
            .query_opt(
                "SELECT id FROM stays WHERE plate = ?1 ORDER BY departed_at IS NULL DESC, id DESC LIMIT 1",
                args![plate.as_str()],
                |r| r.i64(0),
            )?
            .map(StayId))
    }

    /// Every plate that has left and is not on site now, with its latest
    /// stay and when it left, most recent first: what search offers besides
    /// the trucks on the map.
    /// The stay `plate` names: its latest, or else (`true`) the one whose
    /// plate was corrected away from it (`stay_once_plate`).
    pub fn stay_named(&self, plate: &Plate) -> Result<Option<(StayId, bool)>> {
        if let Some(id) = self.stay_of_plate(plate)? {
            return Ok(Some((id, false)));
        }
        Ok(self.stay_once_plate(plate)?.map(|id| (id, true)))
    }

    /// The stay whose plate was corrected away from `plate` (the latest
    /// such), if its plate is not `plate` again: a plate corrected at the
    /// gate is still found by the one first typed, on lab sheets and in
    /// people's notes. Read from the corrections' events (their kind's
    /// index), whose details keep the old plate beside the new.
    pub fn stay_once_plate(&self, plate: &Plate) -> Result<Option<StayId>> {
        let old = format!("%\"old\":\"{}\"%", plate.as_str());
        let stay = self
            .db()
            .query_opt(
                "SELECT e.stay FROM events e JOIN stays s ON s.id = e.stay
                  WHERE e.kind = 'corrected' AND e.details LIKE '%\"field\":\"plate\"%'
                    AND e.details LIKE ?1 AND s.plate <> ?2
                  ORDER BY e.id DESC LIMIT 1",
                args![old, plate.as_str()],
                |r| r.opt_i64(0),
            )?
            .flatten();
        Ok(stay.map(StayId))
    }

    /// The plates of every truck on site: in a bay, or on the holding list
    /// waiting for one.
    pub fn on_site_plates(&self) -> Result<Vec<Plate>> {
        self.db().query(
            "SELECT plate FROM stays WHERE departed_at IS NULL ORDER BY plate",
            &[],
            |r| decode(Plate::parse(r.text(0)?)),
        )
    }

    pub fn departed_plates(&self) -> Result<Vec<DepartedPlate>> {
        self.db().query(
            "SELECT s.plate, s.id, s.departed_at FROM stays s
              WHERE s.id = (SELECT max(id) FROM stays WHERE plate = s.plate)
                AND s.departed_at IS NOT NULL
              ORDER BY s.departed_at DESC",
            &[],
            |r| {
                Ok(DepartedPlate {
                    plate: decode(Plate::parse(r.text(0)?))?,
                    stay: StayId(r.i64(1)?),
                    departed_at: parse_ts(r.text(2)?)?,
                })
            },
        )
    }

    /// The stay in a bay, if any.
    pub fn stay_in_bay(&self, bay: &BayId) -> Result<Option<StayId>> {
        Ok(self
            .db()
            .query_opt(
                "SELECT occupant FROM bays WHERE id = ?1",
                args![bay.as_str()],
                |r| r.opt_i64(0),
            )?
            .flatten()
            .map(StayId))
    }

    pub fn stay_detail(&self, stay: StayId) -> Result<Option<StayDetail>> {
        let row = self.db().query_opt(
            "SELECT s.id, s.plate, s.status, b.id, s.driver, s.phone, s.cargo, s.origin, s.destination,
                    s.temperature, s.code, s.travel_flag, s.handoff_required, s.flags, s.override_reason,
                    s.arrived_at, s.bay_since, s.departed_at, s.forced_reason, s.isolation_reason,
                    s.isolated_at, s.released_at, s.release_reason, s.escalated_at, s.escalation_note,
                    s.handoff_mode, s.handoff_counterpart, s.handoff_started_at, s.handoff_done_at,
                    s.findings, s.gate, s.venue_code, s.released_by, s.handoff_by,
                    s.handoff_confirmed_at
               FROM stays s LEFT JOIN bays b ON b.occupant = s.id WHERE s.id = ?1",
            args![stay.0],
            |r| stay_detail(stay, r),
        )?;
        let Some(mut d) = row else {
            return Ok(None);
        };
        d.people = self.db().query(
            "SELECT person, name, phone, temperature, code, checked_at FROM people
              WHERE stay = ?1 ORDER BY person",
            args![stay.0],
            |r| {
                Ok(PersonView {
                    person: r.i64(0)?.clamp(0, 255) as u8,
                    name: r.opt_string(1)?,
                    phone: r
                        .opt_text(2)?
                        .map(|p| decode(Phone::parse(p)))
                        .transpose()?,
                    temperature: r.opt_f64(3)?,
                    code: r.opt_text(4)?.map(|c| decode(c.parse())).transpose()?,
                    checked_at: parse_ts(r.text(5)?)?,
                })
            },
        )?;
        d.samples = self.db().query(
            "SELECT test, taken_at, due_at, result, result_at, tube, batch
               FROM samples WHERE stay = ?1 ORDER BY id",
            args![stay.0],
            |r| {
                Ok(SampleView {
                    tube: r.opt_string(5)?,
                    batch: r.opt_string(6)?,
                    test: decode(r.text(0)?.parse())?,
                    taken_at: parse_ts(r.text(1)?)?,
                    due_at: parse_ts(r.text(2)?)?,
                    result: r.opt_text(3)?.map(|x| decode(x.parse())).transpose()?,
                    result_at: opt_ts(r.opt_text(4)?)?,
                })
            },
        )?;
        d.services = self.db().query(
            "SELECT id, service, requested_at, done_at FROM service_calls WHERE stay = ?1 ORDER BY id",
            args![stay.0],
            |r| {
                Ok(ServiceView {
                    id: r.i64(0)?,
                    service: decode(r.text(1)?.parse())?,
                    requested_at: parse_ts(r.text(2)?)?,
                    done_at: opt_ts(r.opt_text(3)?)?,
                })
            },
        )?;
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
        let db = self.db();
        db.query(&sql, &params, |r| logged(db, r))
    }

    /// How SQLite will run `log` for this filter (`EXPLAIN QUERY PLAN`), one
    /// line per step: to prove every filter uses an index.
    pub fn log_plan(&self, f: &LogFilter) -> Result<Vec<String>> {
        let (sql, params) = log_query(f, "e.id");
        self.db()
            .query(&format!("EXPLAIN QUERY PLAN {sql}"), &params, |r| {
                r.string(3)
            })
    }

    /// How many events the log holds.
    pub fn event_count(&self) -> Result<i64> {
        self.db()
            .query_one("SELECT count(*) FROM events", &[], |r| r.i64(0))
    }
}

/// One log row (`id, at, operator, terminal, details, plate, bay, kind`)
/// as an event, its personal data put back.
pub(super) fn logged(db: Db<'_>, r: &Row) -> Result<LoggedEvent> {
    let id = r.i64(0)?;
    let event = super::personal::decode(db, id, r.text(7)?, r.text(4)?)?;
    Ok(LoggedEvent {
        id,
        at: parse_ts(r.text(1)?)?,
        operator: r.string(2)?,
        terminal: r.string(3)?,
        event,
        plate: r
            .opt_text(5)?
            .map(|p| decode(Plate::parse(p)))
            .transpose()?,
        bay: r
            .opt_text(6)?
            .map(|b| decode(BayId::parse(b)))
            .transpose()?,
    })
}

/// The columns of `stay_detail`'s query, in its order, as a detail without
/// its people, samples and calls (read next, by their own queries).
fn stay_detail(stay: StayId, r: &Row) -> Result<StayDetail> {
    Ok(StayDetail {
        stay,
        plate: decode(Plate::parse(r.text(1)?))?,
        status: status(r.text(2)?)?,
        bay: r
            .opt_text(3)?
            .map(|b| decode(BayId::parse(b)))
            .transpose()?,
        driver: r.opt_string(4)?,
        phone: r
            .opt_text(5)?
            .map(|p| decode(Phone::parse(p)))
            .transpose()?,
        cargo: decode(r.text(6)?.parse())?,
        origin: r.opt_string(7)?,
        destination: r.opt_string(8)?,
        temperature: r.opt_f64(9)?,
        code: r.opt_text(10)?.map(|c| decode(c.parse())).transpose()?,
        travel_flag: r.bool(11)?,
        handoff_required: r.bool(12)?,
        flags: r.string(13)?,
        override_reason: r.opt_string(14)?,
        arrived_at: parse_ts(r.text(15)?)?,
        bay_since: parse_ts(r.text(16)?)?,
        departed_at: opt_ts(r.opt_text(17)?)?,
        forced_reason: r.opt_string(18)?,
        isolation_reason: r.opt_string(19)?,
        isolated_at: opt_ts(r.opt_text(20)?)?,
        released_at: opt_ts(r.opt_text(21)?)?,
        release_reason: r.opt_string(22)?,
        escalated_at: opt_ts(r.opt_text(23)?)?,
        escalation_note: r.opt_string(24)?,
        handoff_mode: r.opt_text(25)?.map(|m| decode(m.parse())).transpose()?,
        handoff_counterpart: r.opt_string(26)?,
        handoff_started_at: opt_ts(r.opt_text(27)?)?,
        handoff_done_at: opt_ts(r.opt_text(28)?)?,
        findings: decode(serde_json::from_str(r.text(29)?))?,
        gate: r.opt_string(30)?,
        venue_code: r.opt_bool(31)?,
        released_by: r.opt_string(32)?,
        handoff_by: r.opt_string(33)?,
        handoff_confirmed_at: opt_ts(r.opt_text(34)?)?,
        people: vec![],
        samples: vec![],
        services: vec![],
    })
}

fn status(s: &str) -> Result<Status> {
    Status::parse(s).ok_or_else(|| StoreError::Decode(format!("status '{s}'")))
}

/// A bay and its truck as the map needs them: `ord` first, then what
/// `bay_view` reads.
/// The next due sample of each truck comes from the pending samples taken
/// once (`p`, read through their partial index `samples_one_pending`), not
/// from a subquery per bay: SQLite answered that one through `samples_stay`,
/// walking every sample the truck ever had (the map's start on the season:
/// 11.6 million instructions in `sqlite3` for this query before, 9.9 after).
/// Whether a positive was ever on record is the stay's own mark
/// (`positive_at`, schema 14), not a look into its samples for each truck;
/// whether it still stands is asked of those few afterwards.
const BAY_VIEW: &str = "SELECT b.ord, b.closed_reason, b.disinfected_at,
        s.id, s.plate, s.status, s.cargo, s.driver, s.arrived_at, s.bay_since,
        p.due,
        s.positive_at IS NOT NULL,
        s.override_reason IS NOT NULL, s.escalated_at IS NOT NULL
   FROM bays b LEFT JOIN stays s ON s.id = b.occupant
   LEFT JOIN (SELECT stay, min(due_at) AS due FROM samples WHERE result IS NULL GROUP BY stay) p
          ON p.stay = s.id";

fn bay_view(r: &Row) -> Result<BayView> {
    Ok(BayView {
        closed: r.opt_string(1)?,
        disinfected_at: opt_ts(r.opt_text(2)?)?,
        occupant: match r.opt_i64(3)? {
            Some(stay) => Some(occupant(stay, r)?),
            None => None,
        },
    })
}

/// Columns 3..=13 of the map query.
fn occupant(stay: i64, r: &Row) -> Result<Occupant> {
    Ok(Occupant {
        stay: StayId(stay),
        plate: decode(Plate::parse(r.text(4)?))?,
        status: status(r.text(5)?)?,
        cargo: decode(r.text(6)?.parse())?,
        driver: r.opt_string(7)?,
        arrived_at: parse_ts(r.text(8)?)?,
        bay_since: parse_ts(r.text(9)?)?,
        next_due: opt_ts(r.opt_text(10)?)?,
        positive: r.bool(11)?,
        overridden: r.opt_bool(12)?.unwrap_or(false),
        escalated: r.opt_bool(13)?.unwrap_or(false),
    })
}
