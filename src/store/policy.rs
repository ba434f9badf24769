//! The policy the lot has recorded (the last `policy_changed` event), which
//! every terminal applies.

use chrono::{DateTime, Utc};
use rusqlite::OptionalExtension;

use super::{Result, Store, StoreError, parse_ts};
use crate::domain::policy::Policy;

/// The recorded policy, with when and by which event it was set.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedPolicy {
    pub policy: Policy,
    pub since: DateTime<Utc>,
    pub event: i64,
}

impl Store {
    /// The policy the lot has recorded; `None` before anyone set one.
    pub fn recorded_policy(&self) -> Result<Option<RecordedPolicy>> {
        let row = self
            .conn
            .query_row(
                "SELECT value, since, event FROM policy WHERE id = 1",
                [],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, i64>(2)?,
                    ))
                },
            )
            .optional()?;
        row.map(|(value, since, event)| {
            let policy: Policy = serde_json::from_str(&value)
                .map_err(|e| StoreError::Decode(format!("policy: {e}")))?;
            Ok(RecordedPolicy {
                policy,
                since: parse_ts(&since)?,
                event,
            })
        })
        .transpose()
    }
}
