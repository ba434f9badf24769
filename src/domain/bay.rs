//! Zones and bay ids: the names of places on the lot.
//!
//! Pure values only. Where a bay sits on the map lives in `layout`; whether it
//! is free lives in the store.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The five zones of the lot, in the order the map and the reports list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Zone {
    Work,
    Living,
    Parking,
    Isolation,
    Handoff,
}

impl Zone {
    pub const ALL: [Zone; 5] = [
        Zone::Work,
        Zone::Living,
        Zone::Parking,
        Zone::Isolation,
        Zone::Handoff,
    ];

    /// The machine name used in the database, the CLI and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Zone::Work => "work",
            Zone::Living => "living",
            Zone::Parking => "parking",
            Zone::Isolation => "isolation",
            Zone::Handoff => "handoff",
        }
    }

    /// The letter every bay id of this zone starts with.
    pub fn prefix(self) -> char {
        match self {
            Zone::Work => 'W',
            Zone::Living => 'L',
            Zone::Parking => 'P',
            Zone::Isolation => 'I',
            Zone::Handoff => 'H',
        }
    }

    pub fn from_prefix(c: char) -> Option<Zone> {
        Zone::ALL
            .into_iter()
            .find(|z| z.prefix() == c.to_ascii_uppercase())
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Zone {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        Zone::ALL
            .into_iter()
            .find(|z| z.as_str() == t)
            .ok_or_else(|| {
                format!("unknown zone '{s}' (expected work, living, parking, isolation or handoff)")
            })
    }
}

/// A bay id such as `P-03-17`, `I-05` or `W-02`: a zone letter, then one or
/// two dash-separated numbers. Stored upper-case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BayId(String);

/// Why a text is not a bay id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "'{text}' is not a bay id (expected a zone letter W/L/P/I/H and numbers, e.g. P-03-17 or I-05)"
)]
pub struct BayIdError {
    pub text: String,
}

impl BayId {
    pub fn parse(text: &str) -> Result<BayId, BayIdError> {
        let err = || BayIdError {
            text: text.chars().take(40).collect(),
        };
        let t = text.trim().to_ascii_uppercase();
        let mut parts = t.split('-');
        let head = parts.next().ok_or_else(err)?;
        let mut head_chars = head.chars();
        let letter = head_chars.next().ok_or_else(err)?;
        if Zone::from_prefix(letter).is_none() {
            return Err(err());
        }
        // As typed in a hurry: `I04` for I-04 (the letter's dash left out),
        // `P-2-53` for P-02-53 (the layout writes at least two digits).
        let mut numbers: Vec<&str> = Vec::with_capacity(2);
        if !head_chars.as_str().is_empty() {
            numbers.push(head_chars.as_str());
        }
        numbers.extend(parts);
        let well_formed = (1..=2).contains(&numbers.len())
            && numbers
                .iter()
                .all(|n| (1..=4).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()));
        if !well_formed {
            return Err(err());
        }
        let mut id = String::with_capacity(8);
        id.push(letter);
        for n in numbers {
            id.push('-');
            let n = n.trim_start_matches('0');
            if n.len() < 2 {
                id.push_str(&"00"[n.len()..]);
            }
            id.push_str(n);
        }
        Ok(BayId(id))
    }

    /// Builds an id from parts the layout already knows to be valid.
    pub fn from_parts(zone: Zone, row: Option<usize>, number: usize) -> BayId {
        // Built by hand, not with `format!`: a layout makes one per bay
        // every time a lot is opened, on the way to the first frame.
        // At least two digits, as `{:02}` writes them.
        fn two_digits(s: &mut String, n: usize) {
            let mut buf = [0; 20];
            let digits = super::text::decimal(n as u64, 2, &mut buf);
            s.extend(digits.iter().map(|&d| char::from(d)));
        }
        let mut s = String::with_capacity(8);
        s.push(zone.prefix());
        s.push('-');
        if let Some(r) = row {
            two_digits(&mut s, r);
            s.push('-');
        }
        two_digits(&mut s, number);
        BayId(s)
    }

    pub fn zone(&self) -> Zone {
        // The constructor guarantees a known prefix letter.
        self.0
            .chars()
            .next()
            .and_then(Zone::from_prefix)
            .unwrap_or(Zone::Parking)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for BayId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for BayId {
    type Error = BayIdError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        BayId::parse(&s)
    }
}

impl From<BayId> for String {
    fn from(b: BayId) -> String {
        b.0
    }
}

impl std::str::FromStr for BayId {
    type Err = BayIdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        BayId::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_normalises_bay_ids() {
        assert_eq!(BayId::parse("p-03-17").unwrap().as_str(), "P-03-17");
        assert_eq!(BayId::parse(" I-05 ").unwrap().zone(), Zone::Isolation);
        assert_eq!(BayId::parse("H-12").unwrap().zone(), Zone::Handoff);
        // As typed in a hurry, written as the layout writes them.
        for (typed, id) in [
            ("P-2-53", "P-02-53"),
            ("p-02-053", "P-02-53"),
            ("I04", "I-04"),
            ("i4", "I-04"),
            ("P05-30", "P-05-30"),
            ("W-0", "W-00"),
            ("P-1-1234", "P-01-1234"),
        ] {
            assert_eq!(BayId::parse(typed).unwrap().as_str(), id, "{typed}");
        }
    }

    #[test]
    fn ids_from_parts_are_written_as_format_would() {
        for (zone, row, n) in [
            (Zone::Parking, Some(1), 1),
            (Zone::Parking, Some(12), 60),
            (Zone::Parking, Some(9), 100),
            (Zone::Isolation, None, 7),
            (Zone::Work, None, 1234),
        ] {
            let expected = match row {
                Some(r) => format!("{}-{:02}-{:02}", zone.prefix(), r, n),
                None => format!("{}-{:02}", zone.prefix(), n),
            };
            assert_eq!(BayId::from_parts(zone, row, n).as_str(), expected);
        }
    }

    #[test]
    fn refuses_malformed_bay_ids() {
        for bad in [
            "", "P", "X-01", "P-", "P-1-2-3", "PP-01", "P-0a", "P-12345", "P--1", "晋-01",
            "H12345", "PD1234", "I-",
        ] {
            assert!(BayId::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn zone_names_round_trip() {
        for z in Zone::ALL {
            assert_eq!(z.as_str().parse::<Zone>().unwrap(), z);
            assert_eq!(Zone::from_prefix(z.prefix()), Some(z));
        }
        assert!("garage".parse::<Zone>().is_err());
    }
}
