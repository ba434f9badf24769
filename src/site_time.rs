//! Moments typed in site time and shown in it, for both faces: the
//! interface's time prompts (the log's filter, the lot at a past moment)
//! and the command line's `--since`, `report --from`, `at` and the rest.
//! One grammar: a full date and time, a date, and the gate's short forms
//! (`11-25 03:00` this year, `03:00` today).
//!
//! What lives elsewhere: the zone itself (`tz`), the command line's own
//! forms (RFC 3339) and year range (`cli::values`).

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

use crate::tz::Tz;

/// A moment typed without its date or its year, as at the gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Short {
    /// `03:00`: a time of today.
    Today(NaiveTime),
    /// `11-25 03:00`: a month-day and a time of this year.
    ThisYear {
        month: u32,
        day: u32,
        time: NaiveTime,
    },
}

impl Short {
    /// `text` (trimmed) in one of the short forms; `None` otherwise.
    pub fn read(text: &str) -> Option<Short> {
        let t = text.trim();
        // A leap year stands in for "this year" to check the day: 29
        // February of another year does not resolve (`on`).
        if let Some((md, hm)) = t.split_once(' ')
            && let Ok(d) = NaiveDate::parse_from_str(&format!("2000-{md}"), "%Y-%m-%d")
            && let Ok(time) = NaiveTime::parse_from_str(hm.trim(), "%H:%M")
        {
            return Some(Short::ThisYear {
                month: d.month(),
                day: d.day(),
                time,
            });
        }
        NaiveTime::parse_from_str(t, "%H:%M").ok().map(Short::Today)
    }

    /// The local date and time it names when today (site time) is `today`.
    pub fn on(self, today: NaiveDate) -> Option<NaiveDateTime> {
        match self {
            Short::Today(time) => Some(today.and_time(time)),
            Short::ThisYear { month, day, time } => {
                NaiveDate::from_ymd_opt(today.year(), month, day).map(|d| d.and_time(time))
            }
        }
    }
}

/// A moment typed in site time: a full date and time, a month-day and
/// time (this year), a time (today), or a date (its midnight). `None` if
/// it is none of these or does not exist on the site's clock.
pub fn parse(text: &str, tz: &Tz, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let t = text.trim().replace('T', " ").replace('/', "-");
    let today = now.with_timezone(tz).date_naive();
    let local = ["%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(&t, f).ok())
        .or_else(|| Short::read(&t).and_then(|s| s.on(today)))
        .or_else(|| {
            NaiveDate::parse_from_str(&t, "%Y-%m-%d")
                .ok()
                .map(|d| d.and_time(NaiveTime::MIN))
        })?;
    tz.from_local_datetime(&local)
        .earliest()
        .map(|d| d.with_timezone(&Utc))
}

/// A moment as typed and shown: `2026-11-25 03:00`, site time.
pub fn show(at: DateTime<Utc>, tz: &Tz) -> String {
    at.with_timezone(tz).format("%Y-%m-%d %H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_site_time_in_several_forms() {
        let tz = crate::tz::Tz::shanghai();
        let now = Utc.with_ymd_and_hms(2026, 11, 25, 4, 0, 0).unwrap();
        let want = Utc.with_ymd_and_hms(2026, 11, 24, 19, 0, 0).unwrap();
        assert_eq!(parse("2026-11-25 03:00", &tz, now), Some(want));
        assert_eq!(parse("2026-11-25T03:00", &tz, now), Some(want));
        assert_eq!(parse("11-25 03:00", &tz, now), Some(want));
        assert_eq!(parse("03:00", &tz, now), Some(want));
        assert_eq!(
            parse("2026-11-25", &tz, now),
            Some(Utc.with_ymd_and_hms(2026, 11, 24, 16, 0, 0).unwrap())
        );
        assert_eq!(parse("3 am", &tz, now), None);
        assert_eq!(show(want, &tz), "2026-11-25 03:00");
    }
}
