//! Bay suggestion: which free bay a new or moving truck should get.
//!
//! Priority cargo goes nearest the exit lanes, so that it leaves first. Other
//! cargo fills from the far side of the lot in reading order, keeping the
//! exit-side bays free for the next priority truck.

use super::bay::Zone;
use super::layout::Layout;

/// The best free bay in `zone`, as an index into `layout.bays`. `is_free`
/// answers for open, unoccupied bays.
pub fn suggest(
    layout: &Layout,
    zone: Zone,
    priority: bool,
    is_free: impl Fn(usize) -> bool,
) -> Option<usize> {
    let block = layout.zone(zone);
    let candidates = block.bays.clone().filter(|&i| is_free(i));
    if priority {
        candidates.min_by_key(|&i| {
            let b = &layout.bays[i];
            (b.exit_distance, b.row, b.col)
        })
    } else {
        candidates.min_by_key(|&i| {
            let b = &layout.bays[i];
            (b.row, std::cmp::Reverse(b.exit_distance))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::bay::BayId;

    fn id(l: &Layout, i: Option<usize>) -> String {
        i.map(|i| l.bays[i].id.to_string()).unwrap_or_default()
    }

    #[test]
    fn priority_cargo_goes_nearest_the_exit() {
        let l = Layout::default_lot();
        assert_eq!(
            id(&l, suggest(&l, Zone::Parking, true, |_| true)),
            "P-01-60"
        );
        assert_eq!(
            id(&l, suggest(&l, Zone::Parking, false, |_| true)),
            "P-01-01"
        );
        let taken = l.find(&BayId::parse("P-01-60").unwrap()).unwrap();
        assert_eq!(
            id(&l, suggest(&l, Zone::Parking, true, |i| i != taken)),
            "P-02-60"
        );
    }

    #[test]
    fn a_full_zone_has_no_suggestion() {
        let l = Layout::default_lot();
        assert_eq!(suggest(&l, Zone::Isolation, false, |_| false), None);
        assert_eq!(
            id(&l, suggest(&l, Zone::Isolation, false, |_| true)),
            "I-01"
        );
    }
}
