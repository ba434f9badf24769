//! Action ids: the name a terminal gives each action it sends, so that an
//! action sent again — a retry after a lost acknowledgement, a script run
//! twice — is recorded once and reported as already done. Ids are UUIDs;
//! a new one is a version 7 (time-ordered), made here.

use std::fmt;

/// The client's id of one action.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ActionId(String);

impl ActionId {
    /// A fresh id for an action about to be sent.
    pub fn new() -> ActionId {
        ActionId(uuid::Uuid::now_v7().hyphenated().to_string())
    }

    /// An id given by a client: any UUID, written in its usual hyphenated
    /// or plain form; kept in the hyphenated lower-case form.
    pub fn parse(s: &str) -> Result<ActionId, String> {
        uuid::Uuid::try_parse(s.trim())
            .map(|u| ActionId(u.hyphenated().to_string()))
            .map_err(|_| {
                format!(
                    "'{}' is not an action id (expected a UUID, e.g. 0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b)",
                    crate::domain::text::echo(s)
                )
            })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for ActionId {
    fn default() -> ActionId {
        ActionId::new()
    }
}

impl fmt::Display for ActionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_uuids_new_ones_ordered_in_time() {
        let a = ActionId::new();
        let b = ActionId::new();
        assert_ne!(a, b);
        assert!(a.as_str() < b.as_str(), "v7 ids sort by time: {a} {b}");
        assert_eq!(ActionId::parse(a.as_str()).unwrap(), a);
        let plain = a.as_str().replace('-', "").to_uppercase();
        assert_eq!(ActionId::parse(&plain).unwrap(), a);
        for bad in ["", "abc", "0193a1b2-7c3d-7e4f-8a9b", "晋D12345"] {
            assert!(ActionId::parse(bad).is_err(), "{bad}");
        }
    }
}
