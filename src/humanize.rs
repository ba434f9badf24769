//! How durations read for people, the same in the CLI and the interface:
//! `15m`, `2h 05m`, `3d 04h`. Pure; no clock.

use chrono::Duration;

/// A duration as `2h 05m`, `15m`, `3d 04h`; negative durations have no sign
/// (callers say "late" or "left").
pub fn duration(d: Duration) -> String {
    let m = d.num_minutes().unsigned_abs();
    let (days, hours, mins) = (m / 1440, (m / 60) % 24, m % 60);
    if days > 0 {
        format!("{days}d {hours:02}h")
    } else if hours > 0 {
        format!("{hours}h {mins:02}m")
    } else {
        format!("{mins}m")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_compactly() {
        assert_eq!(duration(Duration::minutes(15)), "15m");
        assert_eq!(duration(Duration::minutes(125)), "2h 05m");
        assert_eq!(duration(Duration::minutes(-125)), "2h 05m");
        assert_eq!(duration(Duration::minutes(3 * 1440 + 60 * 4)), "3d 04h");
    }
}
