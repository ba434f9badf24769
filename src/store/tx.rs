//! `Tx`: a write transaction as the ops layer sees it — typed reads of what a
//! rule needs, and `record`, which appends an event and projects it at once.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction};

use super::{Result, StoreError, apply, ts};
use crate::domain::bay::{BayId, Zone};
use crate::domain::event::{Event, ServiceKind, StayId, TestKind};
use crate::domain::layout::Layout;
use crate::domain::plate::Plate;
use crate::domain::policy::Cargo;
use crate::domain::stay::{Status, StayState};

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

pub struct Tx<'c> {
    tx: Transaction<'c>,
    layout: &'c Layout,
}

impl<'c> Tx<'c> {
    pub(super) fn new(tx: Transaction<'c>, layout: &'c Layout) -> Tx<'c> {
        Tx { tx, layout }
    }

    pub(super) fn commit(self) -> Result<()> {
        Ok(self.tx.commit()?)
    }

    pub fn layout(&self) -> &Layout {
        self.layout
    }

    /// The open (not departed) stay of `plate`, if it is on site.
    pub fn open_stay(&self, plate: &Plate) -> Result<Option<StayState>> {
        let row = self
            .tx
            .query_row(
                "SELECT s.id, s.status, s.handoff_required, b.id
                   FROM stays s LEFT JOIN bays b ON b.occupant = s.id
                  WHERE s.plate = ?1 AND s.departed_at IS NULL",
                [plate.as_str()],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, bool>(2)?,
                        r.get::<_, Option<String>>(3)?,
                    ))
                },
            )
            .optional()?;
        let Some((id, status, handoff_required, bay)) = row else {
            return Ok(None);
        };
        let status = Status::parse(&status)
            .ok_or_else(|| StoreError::Decode(format!("stay {id}: status '{status}'")))?;
        let bay = bay
            .map(|b| BayId::parse(&b).map_err(|e| StoreError::Decode(e.to_string())))
            .transpose()?;
        let mut pending = Vec::new();
        let mut st = self.tx.prepare_cached(
            "SELECT test FROM samples WHERE stay = ?1 AND result IS NULL ORDER BY id",
        )?;
        for t in st.query_map([id], |r| r.get::<_, String>(0))? {
            let t = t?;
            pending.push(t.parse::<TestKind>().map_err(StoreError::Decode)?);
        }
        let open_service_calls: i64 = self.tx.query_row(
            "SELECT count(*) FROM service_calls WHERE stay = ?1 AND done_at IS NULL",
            [id],
            |r| r.get(0),
        )?;
        Ok(Some(StayState {
            id: StayId(id),
            plate: plate.clone(),
            status,
            bay,
            pending,
            handoff_required,
            open_service_calls: open_service_calls as usize,
        }))
    }

    /// The oldest open service call of a stay, optionally of one kind.
    pub fn open_service_call(
        &self,
        stay: StayId,
        kind: Option<ServiceKind>,
    ) -> Result<Option<i64>> {
        Ok(self
            .tx
            .query_row(
                "SELECT id FROM service_calls
                  WHERE stay = ?1 AND done_at IS NULL AND (?2 IS NULL OR service = ?2)
                  ORDER BY id LIMIT 1",
                (stay.0, kind.map(|k| k.as_str())),
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Who is in `bay`, and whether it is closed. `None` if the lot has no such bay.
    pub fn bay(&self, bay: &BayId) -> Result<Option<BayOccupancy>> {
        let row = self
            .tx
            .query_row(
                "SELECT s.id, s.plate, b.closed_reason
                   FROM bays b LEFT JOIN stays s ON s.id = b.occupant
                  WHERE b.id = ?1",
                [bay.as_str()],
                |r| {
                    Ok((
                        r.get::<_, Option<i64>>(0)?,
                        r.get::<_, Option<String>>(1)?,
                        r.get::<_, Option<String>>(2)?,
                    ))
                },
            )
            .optional()?;
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
        let mut mask = vec![false; self.layout.bays.len()];
        let mut st = self.tx.prepare_cached(
            "SELECT ord FROM bays WHERE zone = ?1 AND occupant IS NULL AND closed_reason IS NULL",
        )?;
        for ord in st.query_map([zone.as_str()], |r| r.get::<_, i64>(0))? {
            if let Some(m) = mask.get_mut(ord? as usize) {
                *m = true;
            }
        }
        Ok(mask)
    }

    /// The cargo category of a stay.
    pub fn cargo_of(&self, stay: StayId) -> Result<Cargo> {
        let c: String =
            self.tx
                .query_row("SELECT cargo FROM stays WHERE id = ?1", [stay.0], |r| {
                    r.get(0)
                })?;
        c.parse().map_err(StoreError::Decode)
    }

    /// The id the next arrival's stay will have.
    pub fn next_stay_id(&self) -> Result<StayId> {
        let max: i64 = self
            .tx
            .query_row("SELECT coalesce(max(id), 0) FROM stays", [], |r| r.get(0))?;
        Ok(StayId(max + 1))
    }

    /// Appends `event` to the log and projects it onto the state tables, in
    /// this transaction. Returns the event's id.
    pub fn record(&mut self, meta: &EventMeta<'_>, event: &Event) -> Result<i64> {
        let details =
            serde_json::to_string(event).map_err(|e| StoreError::Decode(e.to_string()))?;
        self.tx.execute(
            "INSERT INTO events (at, operator, terminal, kind, stay, bay, details)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            (
                ts(meta.at),
                meta.operator,
                meta.terminal,
                event.kind(),
                event.stay().map(|s| s.0),
                event.bay().map(|b| b.as_str()),
                details,
            ),
        )?;
        let id = self.tx.last_insert_rowid();
        apply::apply(&self.tx, id, meta.at, event)?;
        Ok(id)
    }
}
