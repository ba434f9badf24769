//! Moments typed in site time (`2026-11-25 03:00`, `11-25 03:00`, `03:00`)
//! and shown in it: the log's time filter and the lot at a past moment.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

use crate::tz::Tz;

/// A moment typed in site time: a full date and time, a month-day and
/// time (this year), a time (today), or a date (its midnight). `None` if
/// it is none of these or does not exist on the site's clock.
pub fn parse(text: &str, tz: &Tz, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let t = text.trim().replace('T', " ").replace('/', "-");
    let today = now.with_timezone(tz).date_naive();
    let full = ["%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(&t, f).ok());
    let local = full
        .or_else(|| {
            NaiveDateTime::parse_from_str(&format!("{}-{t}", today.year()), "%Y-%m-%d %H:%M").ok()
        })
        .or_else(|| {
            NaiveTime::parse_from_str(&t, "%H:%M")
                .ok()
                .map(|h| today.and_time(h))
        })
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
