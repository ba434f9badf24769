//! The policy the lot has recorded (the last `policy_changed` event), which
//! every terminal applies.

use super::{Result, Store, StoreError, parse_ts};
use crate::domain::policy::Policy;
use chrono::{DateTime, Utc};

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
        let row = self.db().query_opt(
            "SELECT value, since, event FROM policy WHERE id = 1",
            &[],
            |r| Ok((r.string(0)?, r.string(1)?, r.i64(2)?)),
        )?;
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
