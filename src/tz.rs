//! The site's time zone: an IANA zone (`Asia/Shanghai`) from the tz
//! database bundled in the binary, usable wherever chrono wants a
//! `TimeZone` (`with_timezone`, `from_local_datetime`).
//!
//! The rules come from jiff's bundled database, not from `chrono-tz`:
//! chrono-tz compiles every zone's transitions into tables of pointers,
//! some 29,000 that the loader must relocate before `main` on every start
//! (a quarter of the interface's page faults before its first frame),
//! where jiff keeps the same database as bytes it reads on demand. The
//! same zones and the same rules on every machine, whatever it has in
//! `/usr/share/zoneinfo`.
//!
//! A `Tz` is `Copy`, as chrono's zones are: each zone named is looked up
//! once and kept for the life of the process (there are some six hundred).
//! What lives elsewhere: which zone the site is in (`config`), and how a
//! moment is typed and shown (`site_time`, `cli::output`).

use std::fmt;
use std::str::FromStr;
use std::sync::Mutex;

use chrono::{FixedOffset, MappedLocalTime, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone};

/// One of the tz database's zones, by its IANA name.
#[derive(Clone, Copy)]
pub struct Tz(&'static Zone);

struct Zone {
    name: &'static str,
    rules: jiff::tz::TimeZone,
}

/// The zones named so far in this process: each looked up once.
static ZONES: Mutex<Vec<&'static Zone>> = Mutex::new(Vec::new());

/// A name that is not a zone of the tz database.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a time zone of the tz database")]
pub struct UnknownZone(pub String);

impl Tz {
    /// The zone of that IANA name (`Asia/Shanghai`, `UTC`); any case.
    pub fn named(name: &str) -> Result<Tz, UnknownZone> {
        let unknown = || UnknownZone(name.to_string());
        // A name of the database is plain ASCII: checked before the lock,
        // so no user's text reaches the lookup but a possible name.
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(unknown());
        }
        let mut zones = ZONES
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(z) = zones.iter().find(|z| z.name.eq_ignore_ascii_case(name)) {
            return Ok(Tz(z));
        }
        let rules = jiff::tz::TimeZone::get(name).map_err(|_| unknown())?;
        // The database's own spelling, whatever case was typed.
        let name = rules.iana_name().unwrap_or(name).to_string();
        let zone: &'static Zone = Box::leak(Box::new(Zone {
            name: Box::leak(name.into_boxed_str()),
            rules,
        }));
        zones.push(zone);
        Ok(Tz(zone))
    }

    /// The zone of the lots this program was first built for (China
    /// Standard Time, the whole country's clock).
    pub fn shanghai() -> Tz {
        Tz::named("Asia/Shanghai").expect("the bundled tz database has Asia/Shanghai")
    }

    /// The IANA name, as the database spells it.
    pub fn name(self) -> &'static str {
        self.0.name
    }

    fn offset_at(self, utc: &NaiveDateTime) -> TzOffset {
        let second = utc.and_utc().timestamp().clamp(
            jiff::Timestamp::MIN.as_second(),
            jiff::Timestamp::MAX.as_second(),
        );
        let seconds = jiff::Timestamp::from_second(second)
            .map(|t| self.0.rules.to_offset(t).seconds())
            .unwrap_or(0);
        self.with_offset(seconds)
    }

    fn with_offset(self, seconds: i32) -> TzOffset {
        TzOffset {
            tz: self,
            // An offset beyond a day does not occur in the database.
            fixed: FixedOffset::east_opt(seconds).unwrap_or_else(|| chrono::Utc.fix()),
        }
    }
}

impl PartialEq for Tz {
    fn eq(&self, other: &Tz) -> bool {
        self.0.name == other.0.name
    }
}

impl Eq for Tz {}

impl fmt::Debug for Tz {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.name)
    }
}

impl fmt::Display for Tz {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.name)
    }
}

impl FromStr for Tz {
    type Err = UnknownZone;
    fn from_str(s: &str) -> Result<Tz, UnknownZone> {
        Tz::named(s)
    }
}

/// A zone's offset from UTC at some moment (chrono's `Offset`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct TzOffset {
    tz: Tz,
    fixed: FixedOffset,
}

impl chrono::Offset for TzOffset {
    fn fix(&self) -> FixedOffset {
        self.fixed
    }
}

impl fmt::Debug for TzOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.tz, self.fixed)
    }
}

impl fmt::Display for TzOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.fixed, f)
    }
}

impl TimeZone for Tz {
    type Offset = TzOffset;

    fn from_offset(offset: &TzOffset) -> Tz {
        offset.tz
    }

    fn offset_from_local_date(&self, local: &NaiveDate) -> MappedLocalTime<TzOffset> {
        self.offset_from_local_datetime(&local.and_time(NaiveTime::MIN))
    }

    /// A local time a clock change skips is `None`; one it repeats is
    /// `Ambiguous`, the earlier instant first (as chrono's own zones).
    fn offset_from_local_datetime(&self, local: &NaiveDateTime) -> MappedLocalTime<TzOffset> {
        use chrono::{Datelike, Timelike};
        use jiff::tz::AmbiguousOffset;
        let civil = (|| {
            let year = i16::try_from(local.year()).ok()?;
            jiff::civil::DateTime::new(
                year,
                local.month() as i8,
                local.day() as i8,
                local.hour() as i8,
                local.minute() as i8,
                local.second().min(59) as i8,
                0,
            )
            .ok()
        })();
        // Beyond the database's years (±9999): its rules have long ended,
        // so the offset of the nearest moment it knows.
        let Some(civil) = civil else {
            return MappedLocalTime::Single(self.offset_at(local));
        };
        match self.0.rules.to_ambiguous_timestamp(civil).offset() {
            AmbiguousOffset::Unambiguous { offset } => {
                MappedLocalTime::Single(self.with_offset(offset.seconds()))
            }
            AmbiguousOffset::Gap { .. } => MappedLocalTime::None,
            AmbiguousOffset::Fold { before, after } => MappedLocalTime::Ambiguous(
                self.with_offset(before.seconds()),
                self.with_offset(after.seconds()),
            ),
        }
    }

    fn offset_from_utc_date(&self, utc: &NaiveDate) -> TzOffset {
        self.offset_at(&utc.and_time(NaiveTime::MIN))
    }

    fn offset_from_utc_datetime(&self, utc: &NaiveDateTime) -> TzOffset {
        self.offset_at(utc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn local(tz: Tz, s: &str) -> MappedLocalTime<chrono::DateTime<Tz>> {
        let naive = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("a time");
        tz.from_local_datetime(&naive)
    }

    #[test]
    fn shanghai_is_eight_hours_ahead_all_year() {
        let tz = Tz::shanghai();
        for s in ["2026-01-15 12:00", "2026-07-15 12:00"] {
            let t = local(tz, s).single().expect("one instant");
            assert_eq!(t.with_timezone(&Utc).format("%H:%M").to_string(), "04:00");
            assert_eq!(t.format("%Y-%m-%d %H:%M").to_string(), s);
        }
    }

    #[test]
    fn names_are_found_in_any_case_and_kept_as_the_database_spells_them() {
        let a = Tz::named("asia/urumqi").expect("a zone");
        assert_eq!(a.name(), "Asia/Urumqi");
        assert_eq!(a, "Asia/Urumqi".parse::<Tz>().expect("a zone"));
        assert_ne!(a, Tz::shanghai());
        assert_eq!(a.to_string(), "Asia/Urumqi");
    }

    #[test]
    fn unknown_and_odd_names_are_refused() {
        for bad in [
            "",
            "Mars/Olympus",
            "Asia/上海",
            "Asia/Shanghai\u{200b}",
            " UTC",
        ] {
            assert_eq!(Tz::named(bad), Err(UnknownZone(bad.to_string())), "{bad:?}");
        }
    }

    #[test]
    fn a_skipped_hour_has_no_instant_and_a_repeated_one_has_two_earlier_first() {
        let tz = Tz::named("Europe/Berlin").expect("a zone");
        assert_eq!(local(tz, "2026-03-29 02:30"), MappedLocalTime::None);
        let MappedLocalTime::Ambiguous(a, b) = local(tz, "2026-10-25 02:30") else {
            panic!("02:30 happens twice on 25 October");
        };
        assert!(a < b);
        assert_eq!(a.with_timezone(&Utc).format("%H:%M").to_string(), "00:30");
        assert_eq!(b.with_timezone(&Utc).format("%H:%M").to_string(), "01:30");
        let summer = Utc.with_ymd_and_hms(2026, 7, 1, 0, 0, 0).unwrap();
        assert_eq!(summer.with_timezone(&tz).offset().to_string(), "+02:00");
    }

    #[test]
    fn years_beyond_the_database_still_have_an_offset() {
        let tz = Tz::shanghai();
        let far = NaiveDate::from_ymd_opt(200_000, 1, 1)
            .expect("a date")
            .and_time(NaiveTime::MIN);
        assert!(tz.from_local_datetime(&far).single().is_some());
        assert!(
            tz.from_utc_datetime(&far)
                .offset()
                .to_string()
                .starts_with('+')
        );
    }
}
