//! The layout of a lot: which bays exist, in which zone, row and column, and
//! how far each is from the exit lanes. Parsed from TOML (`assets/layout.toml`
//! is the embedded default) and validated; the map draws from it and the
//! store seeds its bay table from it.
//!
//! Occupancy is not here: that is state, and lives in the store.

use std::collections::HashMap;
use std::ops::Range;

use serde::Deserialize;

use super::bay::{BayId, Zone};

/// The default lot, embedded in the binary.
pub const DEFAULT_LAYOUT: &str = include_str!("../../assets/layout.toml");

/// Limits that keep a hand-written layout sane (and the map drawable).
pub const MAX_ROWS_PER_ZONE: usize = 99;
pub const MAX_BAYS_PER_ROW: usize = 200;
pub const MAX_BAYS: usize = 20_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    East,
    West,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum IdStyle {
    #[default]
    Sequential,
    RowBay,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LayoutFile {
    name: String,
    #[serde(default)]
    name_zh: Option<String>,
    exit: Side,
    #[serde(default)]
    zones: Vec<ZoneFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ZoneFile {
    zone: Zone,
    #[serde(default)]
    ids: IdStyle,
    rows: Vec<usize>,
    #[serde(default)]
    aisles_after: Vec<usize>,
}

/// One bay as the layout places it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BayDef {
    pub id: BayId,
    pub zone: Zone,
    /// Row within the zone, from 0.
    pub row: usize,
    /// Position within the row, from 0 (west to east).
    pub col: usize,
    /// Bays between this one and the exit side of its row.
    pub exit_distance: usize,
}

/// A row of bays inside a zone block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayoutRow {
    /// 1-based row number, as printed beside the row.
    pub number: usize,
    /// Indices into `Layout::bays`; a row's bays are contiguous.
    pub bays: Range<usize>,
    /// A driving aisle follows this row.
    pub aisle_after: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneBlock {
    pub zone: Zone,
    pub rows: Vec<LayoutRow>,
    /// Indices into `Layout::bays` of all this zone's bays.
    pub bays: Range<usize>,
    /// Parking-style ids carry the row: the map labels rows with numbers.
    pub row_labels: bool,
}

impl ZoneBlock {
    pub fn capacity(&self) -> usize {
        self.bays.len()
    }

    pub fn widest_row(&self) -> usize {
        self.rows.iter().map(|r| r.bays.len()).max().unwrap_or(0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub name: String,
    pub name_zh: Option<String>,
    pub exit: Side,
    /// The five zones, in `Zone::ALL` order.
    pub zones: Vec<ZoneBlock>,
    pub bays: Vec<BayDef>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LayoutError {
    #[error("layout file: {0}")]
    Syntax(String),
    #[error(
        "layout file: zone '{0}' is missing (a lot has work, living, parking, isolation and handoff zones)"
    )]
    MissingZone(Zone),
    #[error("layout file: zone '{0}' is listed twice")]
    DuplicateZone(Zone),
    #[error("layout file: zone '{zone}' {problem}")]
    Zone { zone: Zone, problem: String },
    #[error("layout file: {0} bays in all is more than the {MAX_BAYS} this program draws")]
    TooManyBays(usize),
}

impl Layout {
    /// The embedded default lot.
    pub fn default_lot() -> Layout {
        // The embedded file is checked by a unit test; failing here would be a
        // build defect, not a user error.
        Layout::parse(DEFAULT_LAYOUT).expect("the embedded default layout is valid")
    }

    pub fn parse(text: &str) -> Result<Layout, LayoutError> {
        let file: LayoutFile = toml::from_str(text)
            .map_err(|e| LayoutError::Syntax(e.to_string().trim().replace('\n', " ")))?;
        let mut by_zone: HashMap<Zone, &ZoneFile> = HashMap::new();
        for z in &file.zones {
            if by_zone.insert(z.zone, z).is_some() {
                return Err(LayoutError::DuplicateZone(z.zone));
            }
        }
        let mut bays = Vec::new();
        let mut zones = Vec::new();
        for zone in Zone::ALL {
            let zf = by_zone.get(&zone).ok_or(LayoutError::MissingZone(zone))?;
            let problem = |p: String| LayoutError::Zone { zone, problem: p };
            if zf.rows.is_empty() || zf.rows.len() > MAX_ROWS_PER_ZONE {
                return Err(problem(format!("must have 1–{MAX_ROWS_PER_ZONE} rows")));
            }
            if let Some(n) = zf.rows.iter().find(|&&n| n == 0 || n > MAX_BAYS_PER_ROW) {
                return Err(problem(format!(
                    "has a row of {n} bays (1–{MAX_BAYS_PER_ROW} allowed)"
                )));
            }
            if let Some(a) = zf
                .aisles_after
                .iter()
                .find(|&&a| a == 0 || a >= zf.rows.len())
            {
                return Err(problem(format!(
                    "has an aisle after row {a}, which is not between two rows"
                )));
            }
            let zone_start = bays.len();
            let mut running = 0;
            let mut rows = Vec::new();
            for (r, &len) in zf.rows.iter().enumerate() {
                let start = bays.len();
                for col in 0..len {
                    running += 1;
                    let id = match zf.ids {
                        IdStyle::Sequential => BayId::from_parts(zone, None, running),
                        IdStyle::RowBay => BayId::from_parts(zone, Some(r + 1), col + 1),
                    };
                    let exit_distance = match file.exit {
                        Side::East => len - 1 - col,
                        Side::West => col,
                    };
                    bays.push(BayDef {
                        id,
                        zone,
                        row: r,
                        col,
                        exit_distance,
                    });
                }
                rows.push(LayoutRow {
                    number: r + 1,
                    bays: start..bays.len(),
                    aisle_after: zf.aisles_after.contains(&(r + 1)),
                });
            }
            if running > 9999 {
                return Err(problem("has more than 9999 bays".into()));
            }
            zones.push(ZoneBlock {
                zone,
                rows,
                bays: zone_start..bays.len(),
                row_labels: zf.ids == IdStyle::RowBay,
            });
        }
        if bays.len() > MAX_BAYS {
            return Err(LayoutError::TooManyBays(bays.len()));
        }
        let name: String = file
            .name
            .chars()
            .filter(|c| !c.is_control())
            .take(80)
            .collect();
        let name_zh = file
            .name_zh
            .map(|n| n.chars().filter(|c| !c.is_control()).take(80).collect());
        Ok(Layout {
            name,
            name_zh,
            exit: file.exit,
            zones,
            bays,
        })
    }

    /// Where `id` is in `bays`: worked out from its numbers, as the layout
    /// numbers its bays (no map of ids is built on every start), then
    /// confirmed against the id found there.
    pub fn find(&self, id: &BayId) -> Option<usize> {
        let text = id.as_str();
        let block = self.zone(Zone::from_prefix(text.chars().next()?)?);
        let mut numbers = text.get(2..)?.split('-').map(|n| n.parse::<usize>().ok());
        let mut next = || numbers.next().flatten()?.checked_sub(1);
        let bays = if block.row_labels {
            let row = block.rows.get(next()?)?;
            row.bays
                .start
                .checked_add(next()?)
                .filter(|i| row.bays.contains(i))?
        } else {
            block
                .bays
                .start
                .checked_add(next()?)
                .filter(|i| block.bays.contains(i))?
        };
        (numbers.next().is_none() && self.bays[bays].id == *id).then_some(bays)
    }

    pub fn zone(&self, zone: Zone) -> &ZoneBlock {
        &self.zones[zone.index()]
    }

    pub fn capacity(&self) -> usize {
        self.bays.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_lot_is_shaped_like_the_site() {
        let l = Layout::default_lot();
        assert_eq!(l.zone(Zone::Parking).capacity(), 1200);
        assert_eq!(l.zone(Zone::Parking).rows.len(), 20);
        assert!((1250..=1400).contains(&l.capacity()), "{}", l.capacity());
        for z in Zone::ALL {
            assert!(l.zone(z).capacity() > 0, "{z}");
            assert_eq!(l.zone(z).zone, z);
        }
        let p = l.find(&BayId::parse("P-03-17").unwrap()).unwrap();
        assert_eq!((l.bays[p].row, l.bays[p].col), (2, 16));
        assert_eq!(l.bays[p].exit_distance, 43);
        assert!(l.find(&BayId::parse("I-40").unwrap()).is_some());
        assert!(l.find(&BayId::parse("I-41").unwrap()).is_none());
        assert!(l.find(&BayId::parse("W-06").unwrap()).is_some());
    }

    #[test]
    fn every_bay_is_found_by_its_id_and_nothing_else_is() {
        let l = Layout::default_lot();
        for (i, b) in l.bays.iter().enumerate() {
            assert_eq!(l.find(&b.id), Some(i), "{}", b.id);
        }
        let id = |s: &str| BayId::parse(s).unwrap();
        for missing in [
            "P-00-01", "P-01-00", "P-21-01", "P-01-61", "P-01", "I-41", "I-00", "I-01-01", "W-9999",
        ] {
            assert_eq!(l.find(&id(missing)), None, "{missing}");
        }
        // Typed ids are read as the layout writes them.
        for (typed, bay) in [
            ("p-03-17", "P-03-17"),
            ("P-1-1", "P-01-01"),
            ("H-0001", "H-01"),
        ] {
            assert_eq!(
                l.find(&id(typed)).map(|i| l.bays[i].id.as_str()),
                Some(bay),
                "{typed}"
            );
        }
    }

    #[test]
    fn bad_layouts_are_refused_with_the_reason() {
        let ok = "name='x'\nexit='east'\n";
        let zones = |extra: &str| {
            let mut s = ok.to_string();
            for z in ["work", "living", "parking", "isolation", "handoff"] {
                s += &format!("[[zones]]\nzone='{z}'\nrows=[2]\n");
            }
            s + extra
        };
        assert!(Layout::parse(&zones("")).is_ok());
        assert!(matches!(
            Layout::parse(ok),
            Err(LayoutError::MissingZone(Zone::Work))
        ));
        assert!(matches!(
            Layout::parse(&zones("[[zones]]\nzone='work'\nrows=[1]\n")),
            Err(LayoutError::DuplicateZone(Zone::Work))
        ));
        let bad_row = zones("").replacen("rows=[2]", "rows=[0]", 1);
        assert!(matches!(
            Layout::parse(&bad_row),
            Err(LayoutError::Zone { .. })
        ));
        let aisle = zones("").replacen("rows=[2]", "rows=[2]\naisles_after=[1]", 1);
        assert!(matches!(
            Layout::parse(&aisle),
            Err(LayoutError::Zone { .. })
        ));
        assert!(matches!(
            Layout::parse("name = "),
            Err(LayoutError::Syntax(_))
        ));
        assert!(matches!(
            Layout::parse(&zones("colour = 'red'")),
            Err(LayoutError::Syntax(_))
        ));
    }
}
