//! `Tx`: a write transaction as the ops layer sees it — typed reads of what a
//! rule needs, and `record`, which appends an event and projects it at once.

use super::conn::{Db, Txn, Value, args};
use super::taken::{self, TakenBays};
use super::{Result, StoreError, apply, carried, ts};
use crate::domain::bay::{BayId, Zone};
use crate::domain::event::{
    Event, Field, HandoffMode, LoggedEvent, ServiceKind, StayId, TestKind, TestResult,
};
use crate::domain::layout::Layout;
use crate::domain::plate::Plate;
use crate::domain::policy::{Cargo, HealthCode, PersonCheck, Policy, Temperature};
use crate::domain::stay::{HandoffState, Status, StayState};
use chrono::{DateTime, Utc};

/// Who recorded an event, where and when.
#[derive(Debug, Clone)]
pub struct EventMeta<'a> {
    pub at: DateTime<Utc>,
    pub operator: &'a str,
    pub terminal: &'a str,
}

/// What is in a bay right now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BayOccupancy {
    pub occupant: Option<(StayId, Plate)>,
    pub closed_reason: Option<String>,
}

/// A sample found by its tube id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TubeSample {
    pub stay: StayId,
    pub plate: Plate,
    pub test: TestKind,
    pub result: Option<TestResult>,
    pub result_at: Option<DateTime<Utc>>,
}

pub struct Tx<'c> {
    /// A transaction of its own, or a savepoint inside a bulk load's
    /// transaction (`Store::bulk`). Either rolls back when dropped.
    txn: Txn<'c>,
    layout: &'c Layout,
    /// The taken bays kept between transactions, on a file.
    taken: Option<&'c TakenBays>,
}

impl<'c> Tx<'c> {
    pub(super) fn new(txn: Txn<'c>, layout: &'c Layout, taken: Option<&'c TakenBays>) -> Tx<'c> {
        Tx { txn, layout, taken }
    }

    pub(super) fn commit(self) -> Result<()> {
        self.txn.commit()
    }

    pub fn layout(&self) -> &Layout {
        self.layout
    }

    /// This transaction (or savepoint), for running the store's SQL.
    fn db(&self) -> Db<'c> {
        self.txn.db()
    }

    /// The open (not departed) stay of `plate`, if it is on site.
    pub fn open_stay(&self, plate: &Plate) -> Result<Option<StayState>> {
        self.stay_where(
            "s.plate = ?1 AND s.departed_at IS NULL",
            plate.as_str().into(),
        )
    }

    /// A stay by its id, on site or departed.
    pub fn stay_by_id(&self, stay: StayId) -> Result<Option<StayState>> {
        self.stay_where("s.id = ?1", stay.0.into())
    }

    /// The latest stay of `plate`, on site or departed.
    pub fn latest_stay(&self, plate: &Plate) -> Result<Option<StayState>> {
        self.stay_where(
            "s.id = (SELECT max(id) FROM stays WHERE plate = ?1)",
            plate.as_str().into(),
        )
    }

    /// The latest stay of `plate` if it has left and ever had a positive
    /// result (`stays.positive_at`): whether that positive still stands is
    /// the domain's to say. Asked at every arrival, so the usual answer
    /// (no such stay) costs one look at the plate's latest stay.
    pub fn left_after_a_positive(&self, plate: &Plate) -> Result<Option<StayState>> {
        let id = self.db().query_opt(
            "SELECT s.id FROM stays s
                  WHERE s.id = (SELECT max(id) FROM stays WHERE plate = ?1)
                    AND s.departed_at IS NOT NULL AND s.positive_at IS NOT NULL",
            args![plate.as_str()],
            |r| r.i64(0),
        )?;
        match id {
            Some(id) => self.stay_where("s.id = ?1", id.into()),
            None => Ok(None),
        }
    }

    /// The latest stay of `plate` that left before a positive result came
    /// back and was not reported since (the clocks' "positive after it
    /// left" alarm, asked for one plate), whether or not that positive
    /// still stands (`stay::check` says); also once the truck is back on
    /// site in a later stay.
    pub fn owed_report(&self, plate: &Plate) -> Result<Option<StayState>> {
        let id = self
            .db()
            .query_opt(
                &format!(
                    "SELECT max(s.id)
                       FROM stays s INDEXED BY stays_plate
                            CROSS JOIN samples x ON x.stay = s.id
                            CROSS JOIN events e ON e.id = x.result_id
                      WHERE s.plate = ?1 AND {}",
                    super::boards::POSITIVE_AFTER_LEAVING
                ),
                args![plate.as_str()],
                |r| r.opt_i64(0),
            )?
            .flatten();
        match id {
            Some(id) => self.stay_where("s.id = ?1", id.into()),
            None => Ok(None),
        }
    }

    /// The stay of `plate` whose finished handoff waits for its arrival to
    /// be confirmed: the latest such, on site or gone (an escorted truck
    /// may be back before its arrival was confirmed); else the plate's
    /// latest stay, for the rules to refuse.
    pub fn stay_to_confirm(&self, plate: &Plate) -> Result<Option<StayState>> {
        let id = self
            .db()
            .query_opt(
                "SELECT max(id) FROM stays
                  WHERE plate = ?1 AND handoff_done_at IS NOT NULL
                    AND handoff_confirmed_at IS NULL AND handoff_confirm_due <> 0",
                args![plate.as_str()],
                |r| r.opt_i64(0),
            )?
            .flatten();
        match id {
            Some(id) => self.stay_where("s.id = ?1", id.into()),
            None => self.latest_stay(plate),
        }
    }

    /// The stay of `plate` with a sample of `test` waiting for its result:
    /// the one on site, or else the latest that left before the lab answered.
    pub fn stay_awaiting(&self, plate: &Plate, test: TestKind) -> Result<Option<StayState>> {
        if let Some(s) = self.open_stay(plate)? {
            return Ok(Some(s));
        }
        let id = self
            .db()
            .query_opt(
                "SELECT max(x.stay) FROM samples x JOIN stays s ON s.id = x.stay
                  WHERE s.plate = ?1 AND x.test = ?2 AND x.result IS NULL",
                args![plate.as_str(), test.as_str()],
                |r| r.opt_i64(0),
            )?
            .flatten();
        match id {
            Some(id) => self.stay_where("s.id = ?1", id.into()),
            None => Ok(None),
        }
    }

    /// One stay with everything the rules need, selected by `cond` over
    /// `stays s` with `?1` bound to `arg`.
    fn stay_where(&self, cond: &str, arg: Value) -> Result<Option<StayState>> {
        let row = self.db().query_opt(
            &format!(
                "SELECT s.id, s.plate, s.status, s.handoff_required, b.id, s.handoff_mode,
                        s.handoff_by, s.handoff_done_at IS NOT NULL,
                        s.handoff_confirmed_at IS NOT NULL OR s.handoff_confirm_due = 0,
                        s.travel_flag,
                        s.released_at IS NOT NULL AND s.released_at >=
                            coalesce((SELECT max(p.checked_at) FROM people p WHERE p.stay = s.id), ''),
                        {carries}
                   FROM stays s LEFT JOIN bays b ON b.occupant = s.id
                  WHERE {cond}",
                carries = carried::carries_positive("s.findings"),
            ),
            &[arg],
            |r| {
                Ok((
                    r.i64(0)?,
                    r.string(1)?,
                    r.string(2)?,
                    r.bool(3)?,
                    r.opt_string(4)?,
                    r.opt_string(5)?,
                    r.opt_string(6)?,
                    r.bool(7)?,
                    r.bool(8)?,
                    r.bool(9)?,
                    r.bool(10)?,
                    r.bool(11)?,
                ))
            },
        )?;
        let Some((
            id,
            plate,
            status,
            handoff_required,
            bay,
            mode,
            by,
            done,
            confirmed,
            travel_flag,
            released_since_checks,
            carries,
        )) = row
        else {
            return Ok(None);
        };
        let decode = |what: &str, e: String| StoreError::Decode(format!("stay {id}: {what}: {e}"));
        let plate = Plate::parse(&plate).map_err(|e| decode("plate", e.to_string()))?;
        let status = Status::parse(&status).ok_or_else(|| decode("status", status.clone()))?;
        let bay = bay
            .map(|b| BayId::parse(&b).map_err(|e| decode("bay", e.to_string())))
            .transpose()?;
        let handoff = match mode {
            Some(m) => Some(HandoffState {
                mode: m.parse::<HandoffMode>().map_err(|e| decode("handoff", e))?,
                by,
                done,
                confirmed,
            }),
            None => None,
        };
        let mut pending = Vec::new();
        let mut results = Vec::new();
        for (test, result) in self.db().query(
            "SELECT test, result FROM samples WHERE stay = ?1
              ORDER BY result IS NULL, result_at, result_id",
            args![id],
            |r| {
                let test: TestKind = r.text(0)?.parse().map_err(StoreError::Decode)?;
                let result = r
                    .opt_text(1)?
                    .map(|res| res.parse::<TestResult>().map_err(StoreError::Decode))
                    .transpose()?;
                Ok((test, result))
            },
        )? {
            match result {
                None => pending.push(test),
                Some(res) => results.push((test, res)),
            }
        }
        let open_services = self.db().query(
            "SELECT service FROM service_calls WHERE stay = ?1 AND done_at IS NULL ORDER BY id",
            args![id],
            |r| {
                r.text(0)?
                    .parse::<ServiceKind>()
                    .map_err(StoreError::Decode)
            },
        )?;
        let checks = self.db().query(
            "SELECT temperature, code FROM people WHERE stay = ?1 ORDER BY person",
            args![id],
            |r| {
                Ok(PersonCheck {
                    temperature: r
                        .opt_f64(0)?
                        .map(|c| {
                            Temperature::new(c).map_err(|e| decode("temperature", e.to_string()))
                        })
                        .transpose()?,
                    code: r
                        .opt_text(1)?
                        .map(|c| c.parse::<HealthCode>().map_err(|e| decode("code", e)))
                        .transpose()?,
                })
            },
        )?;
        let carried = if carries {
            carried::carried(self.db(), id)?
                .into_iter()
                .map(|(test, result, _)| (test, result))
                .collect()
        } else {
            Vec::new()
        };
        Ok(Some(StayState {
            id: StayId(id),
            plate,
            status,
            bay,
            pending,
            results,
            carried,
            handoff_required,
            handoff,
            open_services,
            checks,
            travel_flag,
            released_since_checks,
        }))
    }

    /// Every open service call of a stay: its id and kind, oldest first.
    pub fn open_service_calls(&self, stay: StayId) -> Result<Vec<(i64, ServiceKind)>> {
        self.db().query(
            "SELECT id, service FROM service_calls WHERE stay = ?1 AND done_at IS NULL ORDER BY id",
            args![stay.0],
            |r| {
                Ok((
                    r.i64(0)?,
                    r.text(1)?
                        .parse::<ServiceKind>()
                        .map_err(StoreError::Decode)?,
                ))
            },
        )
    }

    /// The sample with this tube id: its stay, plate, test and result (with
    /// the time the result was reported), if any.
    pub fn sample_by_tube(&self, tube: &str) -> Result<Option<TubeSample>> {
        let row = self.db().query_opt(
            "SELECT x.stay, s.plate, x.test, x.result, x.result_at
               FROM samples x JOIN stays s ON s.id = x.stay WHERE x.tube = ?1",
            args![tube],
            |r| {
                Ok((
                    r.i64(0)?,
                    r.string(1)?,
                    r.string(2)?,
                    r.opt_string(3)?,
                    r.opt_string(4)?,
                ))
            },
        )?;
        let Some((stay, plate, test, result, result_at)) = row else {
            return Ok(None);
        };
        Ok(Some(TubeSample {
            stay: StayId(stay),
            plate: Plate::parse(&plate).map_err(|e| StoreError::Decode(e.to_string()))?,
            test: test.parse().map_err(StoreError::Decode)?,
            result: result
                .map(|r| r.parse::<TestResult>().map_err(StoreError::Decode))
                .transpose()?,
            result_at: result_at.as_deref().map(super::parse_ts).transpose()?,
        }))
    }

    /// When the stay's pending sample of `test` was taken, if one is.
    pub fn pending_taken_at(&self, stay: StayId, test: TestKind) -> Result<Option<DateTime<Utc>>> {
        self.db()
            .query_opt(
                "SELECT taken_at FROM samples WHERE stay = ?1 AND test = ?2 AND result IS NULL",
                args![stay.0, test.as_str()],
                |r| r.string(0),
            )?
            .as_deref()
            .map(super::parse_ts)
            .transpose()
    }

    /// The latest result of `test` for a stay, with when it was reported.
    pub fn latest_result(
        &self,
        stay: StayId,
        test: TestKind,
    ) -> Result<Option<(TestResult, DateTime<Utc>)>> {
        let row = self.db().query_opt(
            "SELECT result, result_at FROM samples
              WHERE stay = ?1 AND test = ?2 AND result IS NOT NULL
              ORDER BY result_at DESC, result_id DESC LIMIT 1",
            args![stay.0, test.as_str()],
            |r| Ok((r.string(0)?, r.string(1)?)),
        )?;
        row.map(|(r, at)| {
            Ok((
                r.parse::<TestResult>().map_err(StoreError::Decode)?,
                super::parse_ts(&at)?,
            ))
        })
        .transpose()
    }

    /// What the gate typed for a stay, as a correction may change it.
    pub fn registered(&self, stay: StayId, field: Field) -> Result<Option<String>> {
        let column = match field {
            Field::Plate => "plate",
            Field::Driver => "driver",
            Field::Phone => "phone",
            Field::Cargo => "cargo",
            Field::Origin => "origin",
            Field::Destination => "destination",
        };
        Ok(self
            .db()
            .query_opt(
                &format!("SELECT {column} FROM stays WHERE id = ?1"),
                args![stay.0],
                |r| r.opt_string(0),
            )?
            .flatten())
    }

    /// The policy the lot has recorded, if any.
    pub fn recorded_policy(&self) -> Result<Option<Policy>> {
        let v = self
            .db()
            .query_opt("SELECT value FROM policy WHERE id = 1", &[], |r| {
                r.string(0)
            })?;
        v.map(|v| serde_json::from_str(&v).map_err(|e| StoreError::Decode(format!("policy: {e}"))))
            .transpose()
    }

    /// How many samples of `test` the stay has had.
    pub fn sample_count(&self, stay: StayId, test: TestKind) -> Result<i64> {
        self.db().query_one(
            "SELECT count(*) FROM samples WHERE stay = ?1 AND test = ?2",
            args![stay.0, test.as_str()],
            |r| r.i64(0),
        )
    }

    /// When the latest event of the log happened (its time index's last).
    pub fn latest_event_at(&self) -> Result<Option<DateTime<Utc>>> {
        self.db()
            .query_one("SELECT max(at) FROM events", &[], |r| r.opt_string(0))?
            .map(|t| super::parse_ts(&t))
            .transpose()
    }

    /// The truck that has waited longest on the holding list, if any.
    /// Found among the stays under isolation's authority (their partial
    /// index: a holding stay was flagged, so has `isolated_at`, and is
    /// neither released nor gone), not by reading every stay ever.
    pub fn first_holding(&self) -> Result<Option<Plate>> {
        let p = self.db().query_opt(
            "SELECT plate FROM stays
              WHERE isolated_at IS NOT NULL AND released_at IS NULL AND departed_at IS NULL
                AND status = 'holding'
              ORDER BY arrived_at, id LIMIT 1",
            &[],
            |r| r.string(0),
        )?;
        p.map(|p| Plate::parse(&p).map_err(|e| StoreError::Decode(e.to_string())))
            .transpose()
    }

    /// The oldest open service call of a stay, optionally of one kind.
    pub fn open_service_call(
        &self,
        stay: StayId,
        kind: Option<ServiceKind>,
    ) -> Result<Option<i64>> {
        self.db().query_opt(
            "SELECT id FROM service_calls
              WHERE stay = ?1 AND done_at IS NULL AND service = coalesce(?2, service)
              ORDER BY id LIMIT 1",
            args![stay.0, kind.map(|k| k.as_str())],
            |r| r.i64(0),
        )
    }

    /// Who is in `bay`, and whether it is closed. `None` if the lot has no such bay.
    pub fn bay(&self, bay: &BayId) -> Result<Option<BayOccupancy>> {
        let row = self.db().query_opt(
            "SELECT s.id, s.plate, b.closed_reason
               FROM bays b LEFT JOIN stays s ON s.id = b.occupant
              WHERE b.id = ?1",
            args![bay.as_str()],
            |r| Ok((r.opt_i64(0)?, r.opt_string(1)?, r.opt_string(2)?)),
        )?;
        let Some((stay, plate, closed_reason)) = row else {
            return Ok(None);
        };
        let occupant = match (stay, plate) {
            (Some(s), Some(p)) => Some((
                StayId(s),
                Plate::parse(&p).map_err(|e| StoreError::Decode(e.to_string()))?,
            )),
            _ => None,
        };
        Ok(Some(BayOccupancy {
            occupant,
            closed_reason,
        }))
    }

    /// Which bays of `zone` are open and free, as a mask over `layout.bays`.
    pub fn free_mask(&self, zone: Zone) -> Result<Vec<bool>> {
        self.mask_where(Some(zone))
    }

    /// Which bays of the whole lot are open and free, as a mask over `layout.bays`.
    pub fn free_mask_all(&self) -> Result<Vec<bool>> {
        self.mask_where(None)
    }

    /// Every bay of `zone` (or of the lot), less the taken ones: a busy lot
    /// has far fewer taken bays than free ones, and the `bays_taken` index
    /// holds just those (every arrival asks this).
    fn mask_where(&self, zone: Option<Zone>) -> Result<Vec<bool>> {
        let bays = self.layout.bays.len();
        let taken = match self.taken {
            Some(kept) => {
                let taken = kept.taken(self.db(), bays)?;
                debug_assert_eq!(
                    differing(&taken, &taken::read_all(self.db(), bays)?),
                    Vec::<usize>::new(),
                    "the taken bays kept between transactions differ from the table at these positions"
                );
                taken
            }
            None => taken::read_all(self.db(), bays)?,
        };
        Ok(self
            .layout
            .bays
            .iter()
            .zip(taken)
            .map(|(b, taken)| !taken && zone.is_none_or(|z| b.zone == z))
            .collect())
    }

    /// The cargo category of a stay.
    pub fn cargo_of(&self, stay: StayId) -> Result<Cargo> {
        self.db().query_one(
            "SELECT cargo FROM stays WHERE id = ?1",
            args![stay.0],
            |r| r.text(0)?.parse().map_err(StoreError::Decode),
        )
    }

    /// The id the next arrival's stay will have.
    pub fn next_stay_id(&self) -> Result<StayId> {
        let max = self
            .db()
            .query_one("SELECT coalesce(max(id), 0) FROM stays", &[], |r| r.i64(0))?;
        Ok(StayId(max + 1))
    }

    /// The latest action of `operator` that is not undone yet: an event an
    /// operator did, not an audit record (a disclosure, a purge, a policy,
    /// an undo). `None` when there is none.
    pub fn last_action_of(&self, operator: &str) -> Result<Option<LoggedEvent>> {
        self.first_event(
            "e.operator = ?1 AND e.kind NOT IN ('disclosed', 'purged', 'policy_changed', 'undone')
               AND e.id NOT IN (SELECT event FROM undos)
             ORDER BY e.id DESC",
            args![operator],
        )
    }

    /// The first event after event `after` about `stay` or `bay` (either may
    /// be absent) that still stands: neither undone nor an undo, nor a mere
    /// disclosure.
    pub fn next_standing_event(
        &self,
        after: i64,
        stay: Option<StayId>,
        bay: Option<&BayId>,
    ) -> Result<Option<LoggedEvent>> {
        self.first_event(
            "e.id > ?1 AND (e.stay = ?2 OR e.bay = ?3)
               AND e.kind NOT IN ('disclosed', 'undone')
               AND e.id NOT IN (SELECT event FROM undos)
             ORDER BY e.id",
            args![after, stay.map(|s| s.0), bay.map(|b| b.as_str())],
        )
    }

    /// The action with the client's id `id`, if it was done: its first
    /// event and that event's kind.
    pub fn action_done(&self, id: &str) -> Result<Option<(i64, String)>> {
        self.db().query_opt(
            "SELECT a.first_event, e.kind FROM actions a JOIN events e ON e.id = a.first_event
              WHERE a.id = ?1",
            args![id],
            |r| Ok((r.i64(0)?, r.string(1)?)),
        )
    }

    /// Records that the action `id` recorded events `first..=last`.
    pub fn record_action(&mut self, id: &str, first: i64, last: i64) -> Result<()> {
        self.db().execute(
            "INSERT INTO actions (id, first_event, last_event) VALUES (?1, ?2, ?3)",
            args![id, first, last],
        )?;
        Ok(())
    }

    /// Whether the personal data of `stay` was purged.
    pub fn is_purged(&self, stay: StayId) -> Result<bool> {
        Ok(self
            .db()
            .query_opt(
                "SELECT personal_purged_at IS NOT NULL FROM stays WHERE id = ?1",
                args![stay.0],
                |r| r.bool(0),
            )?
            .unwrap_or(false))
    }

    /// Blanks the personal data kept apart from the log for every stay that
    /// ended before `before`; returns how many stays. The `purged` event
    /// that goes with it blanks the state's copies (`apply`).
    pub fn purge_personal(&mut self, before: DateTime<Utc>) -> Result<u64> {
        super::personal::purge(self.db(), before)
    }

    fn first_event(&self, cond: &str, params: &[Value]) -> Result<Option<LoggedEvent>> {
        let db = self.db();
        db.query_opt(
            &format!(
                "SELECT e.id, e.at, e.operator, e.terminal, e.details, s.plate, e.bay, e.kind
                   FROM events e LEFT JOIN stays s ON s.id = e.stay
                  WHERE {cond} LIMIT 1"
            ),
            params,
            |r| super::queries::logged(db, r),
        )
    }

    /// Appends `event` to the log and projects it onto the state tables, in
    /// this transaction. Returns the event's id.
    pub fn record(&mut self, meta: &EventMeta<'_>, event: &Event) -> Result<i64> {
        // Names, phones and measurements are kept apart from the log.
        let split = super::personal::split(event)?;
        // Where it happened: the event's own bay, or else the bay its truck
        // stands in now (a sample, a result, a call); a zone-wide round has
        // only a zone.
        let bay = match (event.bay(), event.stay()) {
            (Some(b), _) => Some(b.clone()),
            (None, Some(stay)) => self.db().query_opt(
                "SELECT id FROM bays WHERE occupant = ?1",
                args![stay.0],
                |r| BayId::parse(r.text(0)?).map_err(|e| StoreError::Decode(e.to_string())),
            )?,
            (None, None) => None,
        };
        let zone = match event {
            Event::Disinfected {
                target: crate::domain::event::Target::Zone(z),
            } => Some(*z),
            _ => bay.as_ref().map(BayId::zone),
        };
        // The id from the statement itself (`RETURNING`), not from the
        // connection's last insert: the form PostgreSQL knows too.
        let id = self.db().query_one(
            "INSERT INTO events (at, operator, terminal, kind, stay, bay, zone, details)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
            args![
                ts(meta.at),
                meta.operator,
                meta.terminal,
                event.kind(),
                event.stay().map(|s| s.0),
                bay.as_ref().map(|b| b.as_str()),
                zone.map(|z| z.as_str()),
                split.details,
            ],
            |r| r.i64(0),
        )?;
        super::personal::keep(self.db(), id, event.stay(), &split.values)?;
        apply::apply(self.db(), id, meta.at, event)?;
        Ok(id)
    }
}

/// The positions where two masks differ (debug builds compare the kept
/// taken bays with the table's).
fn differing(a: &[bool], b: &[bool]) -> Vec<usize> {
    (0..a.len().max(b.len()))
        .filter(|&i| a.get(i) != b.get(i))
        .collect()
}
