//! Value parsers for the command line: typed text becomes a domain value
//! (plate, bay, phone, temperature, cleaned free text, time, one of a fixed
//! set of words) or a usage error naming it. Also the small argument types
//! that are not domain values (`PlateOrBay`, `TimeArg`).
//!
//! What lives elsewhere: what a valid value is (`domain`), the clap
//! definitions that use these (`cli::args`).

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};

use crate::domain::bay::{BayId, Zone};
use crate::domain::event::{HandoffMode, Passenger, ServiceKind, Target, TestKind, TestResult};
use crate::domain::phone::Phone;
use crate::domain::plate::Plate;
use crate::domain::policy::{Cargo, HealthCode, Temperature};
use crate::domain::text;

/// `show`'s argument: a bay id or a plate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlateOrBay {
    Plate(Plate),
    Bay(BayId),
}

/// A time given on the command line, resolved in the site time zone later.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeArg {
    Exact(DateTime<Utc>),
    Local(NaiveDateTime),
}

impl TimeArg {
    /// The instant, reading a local time in `tz`; `None` for a local time that
    /// does not exist there (a daylight-saving gap).
    pub fn resolve(self, tz: Tz) -> Option<DateTime<Utc>> {
        match self {
            TimeArg::Exact(t) => Some(t),
            TimeArg::Local(n) => tz
                .from_local_datetime(&n)
                .earliest()
                .map(|t| t.with_timezone(&Utc)),
        }
    }
}

/// Every kind of event in the log, as `log --kind` accepts it.
pub const EVENT_KINDS: [&str; 17] = crate::domain::event::Event::KINDS;

pub(super) fn plate(s: &str) -> Result<Plate, String> {
    Plate::parse(s).map_err(|e| e.to_string())
}

pub(super) fn bay(s: &str) -> Result<BayId, String> {
    BayId::parse(s).map_err(|e| e.to_string())
}

pub(super) fn phone(s: &str) -> Result<Phone, String> {
    Phone::parse(s).map_err(|e| e.to_string())
}

pub(super) fn temperature(s: &str) -> Result<Temperature, String> {
    Temperature::parse(s).map_err(|e| e.to_string())
}

/// `--passenger "NAME,PHONE,TEMP,CODE"`: name and phone may be empty, the
/// temperature and the code may not. A full-width comma (，) also separates.
pub(super) fn passenger(s: &str) -> Result<Passenger, String> {
    const FORM: &str = "NAME,PHONE,TEMP,CODE, e.g. '李四,13800138000,36.5,green' or ',,36.5,green'";
    let parts: Vec<&str> = s.split([',', '，']).map(str::trim).collect();
    if parts.len() != 4 {
        return Err(format!(
            "'{}' has {} part{} separated by commas; expected 4: {FORM}",
            text::echo(s),
            parts.len(),
            if parts.len() == 1 { "" } else { "s" }
        ));
    }
    let name = text::clean("passenger name", parts[0], false).map_err(|e| e.to_string())?;
    let phone = match parts[1] {
        "" => None,
        p => Some(Phone::parse(p).map_err(|e| format!("the phone (2nd part): {e}"))?),
    };
    let temperature = match parts[2] {
        "" => return Err(format!("the temperature (3rd part) is missing: {FORM}")),
        t => Temperature::parse(t).map_err(|e| format!("the temperature (3rd part): {e}"))?,
    };
    let code = match parts[3] {
        "" => return Err(format!("the health code (4th part) is missing: {FORM}")),
        c => c
            .parse::<HealthCode>()
            .map_err(|e| format!("the health code (4th part): {e}"))?,
    };
    Ok(Passenger {
        name: (!name.is_empty()).then_some(name),
        phone,
        temperature,
        code,
    })
}

pub(super) fn plate_or_bay(s: &str) -> Result<PlateOrBay, String> {
    if let Ok(b) = BayId::parse(s) {
        return Ok(PlateOrBay::Bay(b));
    }
    Plate::parse(s).map(PlateOrBay::Plate).map_err(|e| {
        format!(
            "'{}' is neither a bay id (e.g. P-03-17, I-05) nor a plate ({e})",
            text::echo(s)
        )
    })
}

pub(super) fn target(s: &str) -> Result<Target, String> {
    if let Ok(z) = s.parse::<Zone>() {
        return Ok(Target::Zone(z));
    }
    BayId::parse(s).map(Target::Bay).map_err(|_| {
        format!(
            "'{}' is neither a zone (work, living, parking, isolation, handoff) nor a bay id (e.g. P-03-17)",
            text::echo(s)
        )
    })
}

/// A free-text value that must not be empty.
pub(super) fn required_text(
    field: &'static str,
) -> impl Fn(&str) -> Result<String, String> + Clone {
    move |s| text::clean(field, s, true).map_err(|e| e.to_string())
}

/// A free-text value; empty is allowed (and means none).
pub(super) fn optional_text(
    field: &'static str,
) -> impl Fn(&str) -> Result<String, String> + Clone {
    move |s| text::clean(field, s, false).map_err(|e| e.to_string())
}

pub(super) fn time(s: &str) -> Result<TimeArg, String> {
    let t = s.trim();
    if let Ok(x) = DateTime::parse_from_rfc3339(t) {
        return Ok(TimeArg::Exact(x.with_timezone(&Utc)));
    }
    for f in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(n) = NaiveDateTime::parse_from_str(t, f) {
            return Ok(TimeArg::Local(n));
        }
    }
    if let Some(n) = NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
    {
        return Ok(TimeArg::Local(n));
    }
    Err(format!(
        "'{}' is not a time (expected RFC 3339, 'YYYY-MM-DD HH:MM' or 'YYYY-MM-DD')",
        text::echo(s)
    ))
}

/// A fixed set of words (the domain's enums), case-insensitive, listed in
/// help and completions.
pub trait Word: Sized + Clone + Send + Sync + 'static {
    fn all() -> &'static [Self];
    fn name(&self) -> &'static str;
    fn parse_word(s: &str) -> Result<Self, String>;
}

macro_rules! words {
    ($($t:ty),+) => {$(
        impl Word for $t {
            fn all() -> &'static [Self] {
                &<$t>::ALL
            }
            fn name(&self) -> &'static str {
                self.as_str()
            }
            fn parse_word(s: &str) -> Result<Self, String> {
                s.parse::<$t>()
            }
        }
    )+};
}
words!(
    Cargo,
    HealthCode,
    TestKind,
    TestResult,
    HandoffMode,
    ServiceKind,
    Zone
);

pub(super) fn word<T: Word>() -> impl TypedValueParser<Value = T> {
    PossibleValuesParser::new(T::all().iter().map(|w| PossibleValue::new(w.name())))
        .try_map(|s| T::parse_word(&s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_parse_in_the_forms_documented() {
        assert!(matches!(
            time("2026-11-25T02:00:00Z"),
            Ok(TimeArg::Exact(_))
        ));
        assert!(matches!(time("2026-11-25 10:00"), Ok(TimeArg::Local(_))));
        assert!(matches!(time("2026-11-25"), Ok(TimeArg::Local(_))));
        assert!(time("yesterday").is_err());
        let shanghai = time("2026-11-25 10:00")
            .unwrap()
            .resolve(chrono_tz::Asia::Shanghai)
            .unwrap();
        assert_eq!(shanghai.to_rfc3339(), "2026-11-25T02:00:00+00:00");
    }

    #[test]
    fn passengers_parse_and_name_the_bad_part() {
        let p = passenger("李四, 138-0013-8000 ,36.5,Yellow").unwrap();
        assert_eq!(p.name.as_deref(), Some("李四"));
        assert!(p.phone.is_some());
        assert_eq!(p.code, HealthCode::Yellow);
        let anon = passenger(",,38.5,green").unwrap();
        assert_eq!((anon.name, anon.phone), (None, None));
        assert!(passenger("王五，，36.6，green").is_ok());
        let err = |s: &str| passenger(s).unwrap_err();
        assert!(
            err("李四,36.5,green").contains("3 parts"),
            "{}",
            err("李四,36.5,green")
        );
        assert!(err("李四,12345,36.5,green").contains("phone"));
        assert!(err("李四,,,green").contains("temperature"));
        assert!(err("李四,,hot,green").contains("temperature"));
        assert!(err("李四,,36.5,").contains("health code"));
        assert!(err("李四,,36.5,blue").contains("health code"));
        assert!(err("\x1b[31m,,36.5,green").contains("control character"));
    }

    #[test]
    fn show_takes_a_bay_or_a_plate() {
        assert!(matches!(plate_or_bay("p-03-17"), Ok(PlateOrBay::Bay(_))));
        assert!(matches!(
            plate_or_bay("晋d 12345"),
            Ok(PlateOrBay::Plate(_))
        ));
        assert!(plate_or_bay("Z-99").is_err());
        assert!(matches!(target("Parking"), Ok(Target::Zone(Zone::Parking))));
        assert!(matches!(target("I-05"), Ok(Target::Bay(_))));
    }
}
