//! How durations read for people, the same in the CLI and the interface:
//! `15m`, `2h 05m`, `3d 04h` in English, `15分`, `2小时05分`, `3天04小时` in
//! Chinese. Pure; no clock.

use chrono::Duration;

use crate::i18n::Lang;

/// A duration in `lang`; negative durations have no sign.
pub fn duration_in(lang: Lang, d: Duration) -> String {
    match lang {
        Lang::En => duration(d),
        Lang::Zh => {
            let m = d.num_minutes().unsigned_abs();
            let (days, hours, mins) = (m / 1440, (m / 60) % 24, m % 60);
            if days > 0 {
                format!("{days}天{hours:02}小时")
            } else if hours > 0 {
                format!("{hours}小时{mins:02}分")
            } else {
                format!("{mins}分")
            }
        }
    }
}

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

    #[test]
    fn chinese_durations_read_as_people_write_them() {
        assert_eq!(duration_in(Lang::Zh, Duration::minutes(149)), "2小时29分");
        assert_eq!(duration_in(Lang::Zh, Duration::minutes(7)), "7分");
        assert_eq!(duration_in(Lang::Zh, Duration::minutes(1500)), "1天01小时");
        assert_eq!(duration_in(Lang::En, Duration::minutes(149)), "2h 29m");
    }
}
