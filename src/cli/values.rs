//! Value parsers for the command line: typed text becomes a domain value
//! (plate, bay, phone, temperature, cleaned free text, time, one of a fixed
//! set of words) or a usage error naming it. Also the small argument types
//! that are not domain values (`PlateOrBay`, `TimeArg`).
//!
//! What lives elsewhere: what a valid value is (`domain`), the clap
//! definitions that use these (`cli::args`).

use std::sync::atomic::{AtomicU32, Ordering};

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};

use super::output::say;
use crate::config;
use crate::domain::bay::{BayId, BayIdError, Zone};
use crate::domain::event::{HandoffMode, Passenger, ServiceKind, Target, TestKind, TestResult};
use crate::domain::phone::{Phone, PhoneError};
use crate::domain::plate::{Plate, PlateError};
use crate::domain::policy::{Cargo, HealthCode, Temperature, TemperatureError};
use crate::domain::text::{self, TextError};
use crate::i18n::{self, CliMsg, Lang, Msg};
use crate::site_time::Short;
use crate::tz::Tz;

/// `show`'s argument: a bay id or a plate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlateOrBay {
    Plate(Plate),
    Bay(BayId),
    /// Part of a plate (`D17437`, `jinD174`): the command finds the truck
    /// it names, as the interface's search does (`show::resolve`).
    Partial(String),
}

/// A time given on the command line, resolved in the site time zone later.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeArg {
    Exact(DateTime<Utc>),
    Local(NaiveDateTime),
    /// `11-25 03:00` (this year) or `03:00` (today), site time, as the
    /// interface takes them.
    Short(Short),
}

impl TimeArg {
    /// The instant, reading a local time in `tz`; `None` for a local time that
    /// does not exist there (a daylight-saving gap, 29 February of another
    /// year).
    pub fn resolve(self, tz: Tz) -> Option<DateTime<Utc>> {
        let today = || super::output::now().with_timezone(&tz).date_naive();
        let local = match self {
            TimeArg::Exact(t) => return Some(t),
            TimeArg::Local(n) => n,
            TimeArg::Short(s) => s.on(today())?,
        };
        tz.from_local_datetime(&local)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
    }
}

/// Every kind of event in the log, as `log --kind` accepts it.
pub const EVENT_KINDS: [&str; 22] = crate::domain::event::Event::KINDS;

/// A value the command line refused, in both languages: clap runs the
/// parsers before it knows `--lang`, so the error carries both texts and
/// `clap_failure` picks one. `Display` is the English text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgError {
    pub en: String,
    pub zh: String,
}

impl ArgError {
    fn new(en: impl Into<String>, zh: impl Into<String>) -> ArgError {
        ArgError {
            en: en.into(),
            zh: zh.into(),
        }
    }

    /// From a catalogue template filled with the same values in both languages.
    fn say(m: CliMsg, args: &[&dyn std::fmt::Display]) -> ArgError {
        ArgError::new(say(Lang::En, m, args), say(Lang::Zh, m, args))
    }

    pub fn text(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }

    /// "the phone (2nd part): …" in both languages.
    fn within(self, m: CliMsg) -> ArgError {
        ArgError::new(say(Lang::En, m, &[&self.en]), say(Lang::Zh, m, &[&self.zh]))
    }
}

impl std::fmt::Display for ArgError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en)
    }
}

impl std::error::Error for ArgError {}

/// Why a text is not a plate, in the words the interface says it in
/// (`i18n::plate`).
fn plate_error(s: &str, e: &PlateError) -> ArgError {
    ArgError::new(
        i18n::plate::line(Lang::En, s, e),
        i18n::plate::line(Lang::Zh, s, e),
    )
}

fn text_error(e: &TextError) -> ArgError {
    let reason = match e {
        TextError::Empty { .. } => Msg::ErrRequired,
        TextError::TooLong { .. } => Msg::ErrTooLong,
        TextError::Control { .. } => Msg::ErrControl,
    };
    let field = match e {
        TextError::Empty { field }
        | TextError::TooLong { field, .. }
        | TextError::Control { field } => field,
    };
    ArgError::new(
        e.to_string(),
        format!("{}：{}", field_zh(field), reason.text(Lang::Zh)),
    )
}

/// The free-text fields the command line names, in Chinese.
fn field_zh(field: &str) -> String {
    let m = match field {
        "operator" => CliMsg::FieldOperator,
        "terminal" => CliMsg::FieldTerminal,
        "reason" => CliMsg::FieldReason,
        "tube id" => CliMsg::FieldTube,
        "batch" => CliMsg::FieldBatch,
        "decider" => CliMsg::FieldDecider,
        "note" => CliMsg::FieldNote,
        "driver" => CliMsg::FieldDriver,
        "origin" => CliMsg::FieldOrigin,
        "destination" => CliMsg::FieldDestination,
        "gate" => CliMsg::FieldGate,
        "override reason" => CliMsg::FieldOverride,
        "receiving company" => CliMsg::FieldCompany,
        "escorting unit" => CliMsg::FieldEscort,
        "authorised by" => CliMsg::FieldAuthorisedBy,
        "passenger name" => CliMsg::FieldPassengerName,
        "sample" => CliMsg::FieldSample,
        other => return other.to_string(),
    };
    m.text(Lang::Zh).to_string()
}

fn temperature_error(e: &TemperatureError) -> ArgError {
    let reason = match e {
        TemperatureError::NotANumber(_) => Msg::ErrTempNumber,
        TemperatureError::OutOfRange(_) => Msg::ErrTempRange,
        TemperatureError::NoDecimalPoint(_) => Msg::ErrTempNoDot,
        TemperatureError::Fahrenheit(_) => Msg::ErrTempFahrenheit,
    };
    let given = match e {
        TemperatureError::NotANumber(t)
        | TemperatureError::NoDecimalPoint(t)
        | TemperatureError::Fahrenheit(t) => text::echo(t),
        TemperatureError::OutOfRange(c) => format!("{c:.1}"),
    };
    ArgError::new(
        e.to_string(),
        say(
            Lang::Zh,
            CliMsg::BadTemperature,
            &[&given, &reason.text(Lang::Zh)],
        ),
    )
}

fn phone_error(s: &str, e: &PhoneError) -> ArgError {
    let mut reason = Msg::ErrPhone.text(Lang::Zh).to_string();
    if let PhoneError::Character { ch, .. } = e
        && text::code_point(*ch).is_some()
    {
        reason = format!("{reason}：{}", i18n::plate::char_name(Lang::Zh, *ch));
    }
    ArgError::new(
        e.to_string(),
        say(Lang::Zh, CliMsg::BadPhone, &[&text::echo(s), &reason]),
    )
}

fn bay_error(s: &str, e: &BayIdError) -> ArgError {
    ArgError::new(
        e.to_string(),
        say(Lang::Zh, CliMsg::BadBay, &[&text::echo(s)]),
    )
}

pub(super) fn action_id(s: &str) -> Result<crate::ops::ActionId, ArgError> {
    crate::ops::ActionId::parse(s)
        .map_err(|_| ArgError::say(CliMsg::BadActionId, &[&text::echo(s)]))
}

/// The site's province (`[site] province`), which a plate typed with a
/// pinyin naming two provinces is read with: set by `cli::parse` from the
/// config before clap runs these parsers (they take the text alone).
static PROVINCE: AtomicU32 = AtomicU32::new(config::DEFAULT_PROVINCE as u32);

pub(super) fn set_province(province: char) {
    PROVINCE.store(province as u32, Ordering::Relaxed);
}

fn province() -> char {
    char::from_u32(PROVINCE.load(Ordering::Relaxed)).unwrap_or(config::DEFAULT_PROVINCE)
}

/// A plate as typed, read as the interface reads it (`Plate::parse_typed`):
/// the province may be pinyin (`jinD12345` is 晋D12345).
pub(super) fn plate(s: &str) -> Result<Plate, ArgError> {
    Plate::parse_typed(s, province()).map_err(|e| plate_error(s, &e))
}

pub(super) fn bay(s: &str) -> Result<BayId, ArgError> {
    BayId::parse(s).map_err(|e| bay_error(s, &e))
}

pub(super) fn phone(s: &str) -> Result<Phone, ArgError> {
    Phone::parse(s).map_err(|e| phone_error(s, &e))
}

pub(super) fn temperature(s: &str) -> Result<Temperature, ArgError> {
    Temperature::parse(s).map_err(|e| temperature_error(&e))
}

/// `--passenger "NAME,PHONE,TEMP,CODE"`: name and phone may be empty, the
/// temperature and the code may not. A full-width comma (，) also separates.
pub(super) fn passenger(s: &str) -> Result<Passenger, ArgError> {
    let parts: Vec<&str> = s.split([',', '，']).map(str::trim).collect();
    if parts.len() != 4 {
        let en = format!(
            "'{}' has {} part{} separated by commas; expected 4: {}",
            text::echo(s),
            parts.len(),
            if parts.len() == 1 { "" } else { "s" },
            CliMsg::PassengerForm.text(Lang::En)
        );
        let zh = say(
            Lang::Zh,
            CliMsg::PassengerParts,
            &[
                &text::echo(s),
                &parts.len(),
                &CliMsg::PassengerForm.text(Lang::Zh),
            ],
        );
        return Err(ArgError::new(en, zh));
    }
    let name = text::clean("passenger name", parts[0], false).map_err(|e| text_error(&e))?;
    let phone = match parts[1] {
        "" => None,
        p => Some(
            Phone::parse(p).map_err(|e| phone_error(p, &e).within(CliMsg::PassengerPhonePart))?,
        ),
    };
    let form = |lang: Lang| CliMsg::PassengerForm.text(lang);
    let temperature = match parts[2] {
        "" => {
            return Err(ArgError::new(
                say(Lang::En, CliMsg::PassengerTempMissing, &[&form(Lang::En)]),
                say(Lang::Zh, CliMsg::PassengerTempMissing, &[&form(Lang::Zh)]),
            ));
        }
        t => Temperature::parse(t)
            .map_err(|e| temperature_error(&e).within(CliMsg::PassengerTempPart))?,
    };
    let code = match parts[3] {
        "" => {
            return Err(ArgError::new(
                say(Lang::En, CliMsg::PassengerCodeMissing, &[&form(Lang::En)]),
                say(Lang::Zh, CliMsg::PassengerCodeMissing, &[&form(Lang::Zh)]),
            ));
        }
        c => c.parse::<HealthCode>().map_err(|e| {
            ArgError::new(e, say(Lang::Zh, CliMsg::BadCode, &[&text::echo(c)]))
                .within(CliMsg::PassengerCodePart)
        })?,
    };
    Ok(Passenger {
        name: (!name.is_empty()).then_some(name),
        phone,
        temperature: Some(temperature),
        code: Some(code),
    })
}

pub(super) fn plate_or_bay(s: &str) -> Result<PlateOrBay, ArgError> {
    if let Ok(b) = BayId::parse(s) {
        return Ok(PlateOrBay::Bay(b));
    }
    let partial = {
        let t = s.trim();
        (3..=12).contains(&t.len()) && t.chars().all(|c| c.is_ascii_alphanumeric())
    };
    Plate::parse_typed(s, province())
        .map(PlateOrBay::Plate)
        .or_else(|e| match partial {
            true => Ok(PlateOrBay::Partial(s.trim().to_string())),
            false => Err(e),
        })
        .map_err(|e| {
            let why = plate_error(s, &e);
            ArgError::new(
                say(Lang::En, CliMsg::NotPlateOrBay, &[&text::echo(s), &why.en]),
                say(Lang::Zh, CliMsg::NotPlateOrBay, &[&text::echo(s), &why.zh]),
            )
        })
}

pub(super) fn target(s: &str) -> Result<Target, ArgError> {
    if let Ok(z) = <Zone as Word>::read(s) {
        return Ok(Target::Zone(z));
    }
    BayId::parse(s)
        .map(Target::Bay)
        .map_err(|_| ArgError::say(CliMsg::NotZoneOrBay, &[&text::echo(s)]))
}

/// A free-text value that must not be empty.
pub(super) fn required_text(
    field: &'static str,
) -> impl Fn(&str) -> Result<String, ArgError> + Clone {
    move |s| text::clean(field, s, true).map_err(|e| text_error(&e))
}

/// A free-text value; empty is allowed (and means none).
pub(super) fn optional_text(
    field: &'static str,
) -> impl Fn(&str) -> Result<String, ArgError> + Clone {
    move |s| text::clean(field, s, false).map_err(|e| text_error(&e))
}

/// A cleaned required text, as a results file's `sample` column.
pub(super) fn clean_required(field: &'static str, s: &str) -> Result<String, ArgError> {
    required_text(field)(s)
}

/// A time as `--since`, `at` and the rest take it: RFC 3339 or site time,
/// in the years 2000–2100 (anything else is a typo, and times outside them
/// would compare as text the wrong way round).
pub(super) fn time(s: &str) -> Result<TimeArg, ArgError> {
    use chrono::Datelike;
    let t = any_time(s)?;
    let year = match t {
        TimeArg::Exact(x) => x.year(),
        TimeArg::Local(n) => n.year(),
        // Now's year: always within the range.
        TimeArg::Short(_) => return Ok(t),
    };
    if !(2000..=2100).contains(&year) {
        return Err(ArgError::say(CliMsg::TimeYears, &[&text::echo(s)]));
    }
    Ok(t)
}

/// A time with its date, as a file gives it: the short forms would read
/// as another day when the same file is imported again.
pub(super) fn dated_time(s: &str) -> Result<TimeArg, ArgError> {
    match time(s)? {
        TimeArg::Short(_) => Err(ArgError::say(CliMsg::TimeNeedsDate, &[&text::echo(s)])),
        t => Ok(t),
    }
}

fn any_time(s: &str) -> Result<TimeArg, ArgError> {
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
    if let Some(short) = Short::read(t) {
        return Ok(TimeArg::Short(short));
    }
    Err(ArgError::say(CliMsg::NotATime, &[&text::echo(s)]))
}

/// `--days`: a whole number of days the simulator accepts.
pub(super) fn days(s: &str) -> Result<u32, ArgError> {
    let max = crate::sim::MAX_DAYS;
    count(s, max).ok_or_else(|| ArgError::say(CliMsg::BadDays, &[&text::echo(s), &max]))
}

/// `log --limit`: how many events, one at least (none would print "no
/// events" of a log that has some).
pub(super) fn limit(s: &str) -> Result<usize, ArgError> {
    count(s, u32::MAX)
        .map(|n| n as usize)
        .ok_or_else(|| ArgError::say(CliMsg::BadLimit, &[&text::echo(s)]))
}

/// `--trucks-per-day`: a daily traffic the simulator accepts.
pub(super) fn trucks_per_day(s: &str) -> Result<u32, ArgError> {
    let max = crate::sim::MAX_TRUCKS_PER_DAY;
    count(s, max).ok_or_else(|| ArgError::say(CliMsg::BadTrucksPerDay, &[&text::echo(s), &max]))
}

/// `demo --speed`: how many times as fast as real time a demo lives.
pub(super) fn demo_speed(s: &str) -> Result<u32, ArgError> {
    let max = crate::sim::MAX_DEMO_SPEED;
    count(s, max).ok_or_else(|| ArgError::say(CliMsg::BadDemoSpeed, &[&text::echo(s), &max]))
}

/// A whole number from 1 to `max`.
fn count(s: &str, max: u32) -> Option<u32> {
    s.trim()
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=max).contains(n))
}

/// `--start`: a calendar day, `YYYY-MM-DD`, in the years 2000–2100.
pub(super) fn date(s: &str) -> Result<NaiveDate, ArgError> {
    use chrono::Datelike;
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| (2000..=2100).contains(&d.year()))
        .ok_or_else(|| ArgError::say(CliMsg::BadDate, &[&text::echo(s)]))
}

/// A fixed set of words (the domain's enums), case-insensitive, listed in
/// help and completions. Each is also read in Chinese, as the interface
/// shows it (`停车区`, `阳性`, `绿码`), and a health code by the letter the
/// arrival form takes (`g`, `y`, `r`); those are not listed.
pub trait Word: Sized + Clone + Send + Sync + 'static {
    fn all() -> &'static [Self];
    fn name(&self) -> &'static str;
    fn parse_word(s: &str) -> Result<Self, String>;
    /// The other ways the word is typed.
    fn aliases(&self) -> Vec<&'static str>;

    /// `s` as its name or an alias.
    fn read(s: &str) -> Result<Self, String> {
        let t = s.trim();
        let alias = Self::all()
            .iter()
            .find(|w| w.aliases().iter().any(|a| a.eq_ignore_ascii_case(t)));
        match alias {
            Some(w) => Ok(w.clone()),
            None => Self::parse_word(t),
        }
    }
}

/// The letter a health code is typed with in the arrival form.
fn form_letter(name: &str) -> Option<&'static str> {
    match name {
        "green" => Some("g"),
        "yellow" => Some("y"),
        "red" => Some("r"),
        _ => None,
    }
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
            fn aliases(&self) -> Vec<&'static str> {
                let zh = crate::i18n::words::word(*self).text(Lang::Zh);
                let mut out = vec![zh];
                // "绿码" is also typed "绿".
                if let Some(colour) = zh.strip_suffix("码") {
                    out.push(colour);
                }
                out.extend(form_letter(self.as_str()));
                out
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
    PossibleValuesParser::new(
        T::all()
            .iter()
            .map(|w| PossibleValue::new(w.name()).aliases(w.aliases())),
    )
    .try_map(|s| T::read(&s))
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
            .resolve(crate::tz::Tz::shanghai())
            .unwrap();
        assert_eq!(shanghai.to_rfc3339(), "2026-11-25T02:00:00+00:00");
        // The interface's short forms: today, and a month-day this year.
        use chrono::Datelike;
        let tz = crate::tz::Tz::shanghai();
        let today = super::super::output::now().with_timezone(&tz).date_naive();
        let at = |s: &str| {
            time(s)
                .unwrap()
                .resolve(tz)
                .unwrap()
                .with_timezone(&tz)
                .naive_local()
        };
        assert_eq!(at("03:00"), today.and_hms_opt(3, 0, 0).unwrap());
        assert_eq!(
            at("11-25 03:00"),
            NaiveDate::from_ymd_opt(today.year(), 11, 25)
                .unwrap()
                .and_hms_opt(3, 0, 0)
                .unwrap()
        );
        for bad in ["25:00", "13-01 03:00", "11-25", "3"] {
            assert!(time(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn passengers_parse_and_name_the_bad_part() {
        let p = passenger("李四, 138-0013-8000 ,36.5,Yellow").unwrap();
        assert_eq!(p.name.as_deref(), Some("李四"));
        assert!(p.phone.is_some());
        assert_eq!(p.code, Some(HealthCode::Yellow));
        let anon = passenger(",,38.5,green").unwrap();
        assert_eq!((anon.name, anon.phone), (None, None));
        assert!(passenger("王五，，36.6，green").is_ok());
        let err = |s: &str| passenger(s).unwrap_err().to_string();
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
        let zh = |s: &str| passenger(s).unwrap_err().zh;
        assert!(
            zh("李四,36.5,green").contains("3 段"),
            "{}",
            zh("李四,36.5,green")
        );
        assert!(
            zh("李四,,hot,green").contains("体温"),
            "{}",
            zh("李四,,hot,green")
        );
        assert!(
            zh("李四,,36.5,blue").contains("健康码"),
            "{}",
            zh("李四,,36.5,blue")
        );
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
