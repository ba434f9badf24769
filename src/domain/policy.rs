//! Policy: the thresholds and due times that decide zones and clocks, and the
//! gate checks (temperature, health code, travel flag) they are applied to.
//!
//! Loading `config.toml` from disk is the edge's job; this module parses text
//! and decides, nothing more.

use std::fmt;

use chrono::Duration;
use serde::{Deserialize, Serialize};

use super::event::TestKind;

/// Body temperature in °C, as measured at the gate.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
pub struct Temperature(f64);

pub const TEMP_MIN: f64 = 34.0;
pub const TEMP_MAX: f64 = 42.0;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TemperatureError {
    #[error("temperature '{0}' is not a number (expected °C, e.g. 36.5)")]
    NotANumber(String),
    #[error("temperature {0:.1} °C is outside 34.0–42.0 °C: please measure again")]
    OutOfRange(f64),
    /// `365` for 36.5: the decimal point left out, not a measurement to
    /// take again.
    #[error("temperature {0} has no decimal point: type it as °C, e.g. 36.5")]
    NoDecimalPoint(String),
    /// `98.6`: a reading in °F.
    #[error("temperature {0} looks like °F: type it in °C, e.g. 36.5")]
    Fahrenheit(String),
}

impl Temperature {
    pub fn new(celsius: f64) -> Result<Temperature, TemperatureError> {
        if !celsius.is_finite() || !(TEMP_MIN..=TEMP_MAX).contains(&celsius) {
            return Err(TemperatureError::OutOfRange(if celsius.is_finite() {
                celsius
            } else {
                0.0
            }));
        }
        // One decimal is what a thermometer shows; keep exactly that.
        Ok(Temperature((celsius * 10.0).round() / 10.0))
    }

    /// Parses `36.6`, `36.6°C`, `36.6℃`, and `36,6` (a comma decimal, as
    /// many thermometers and keyboards write it); typed with a Chinese
    /// input method on, `３６．６` and `36。6` too.
    pub fn parse(text: &str) -> Result<Temperature, TemperatureError> {
        let ascii: String = text
            .chars()
            .map(|c| match super::text::half_width(c) {
                '。' | '，' => '.',
                c => c,
            })
            .collect();
        let t = ascii
            .trim()
            .trim_end_matches('℃')
            .trim_end_matches("°C")
            .trim_end_matches('C')
            .trim()
            .replacen(',', ".", 1);
        let shown: String = text.chars().filter(|c| !c.is_control()).take(20).collect();
        let v: f64 = t
            .parse()
            .map_err(|_| TemperatureError::NotANumber(shown.clone()))?;
        if !v.is_finite() {
            return Err(TemperatureError::NotANumber(shown));
        }
        // Out of range, but plainly a slip of the keyboard, not of the
        // thermometer: said so, rather than "measure again".
        let out = !(TEMP_MIN..=TEMP_MAX).contains(&v);
        if out && !t.contains('.') && (TEMP_MIN * 10.0..=TEMP_MAX * 10.0).contains(&v) {
            return Err(TemperatureError::NoDecimalPoint(shown));
        }
        if out && (93.0..=108.0).contains(&v) {
            return Err(TemperatureError::Fahrenheit(shown));
        }
        Temperature::new(v)
    }

    pub fn celsius(self) -> f64 {
        self.0
    }
}

impl fmt::Display for Temperature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.1} °C", self.0)
    }
}

macro_rules! word_enum {
    ($(#[$m:meta])* $name:ident { $($var:ident = $s:literal),+ $(,)? } expected $exp:literal) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($var),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$var),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$var => $s),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let t = s.trim().to_ascii_lowercase();
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == t)
                    .ok_or_else(|| {
                        let shown: String = s.chars().filter(|c| !c.is_control()).take(20).collect();
                        format!("'{shown}' is not {}", $exp)
                    })
            }
        }
    };
}
pub(crate) use word_enum;

word_enum! {
    /// The health-code colour shown on the driver's phone.
    HealthCode { Green = "green", Yellow = "yellow", Red = "red" }
    expected "a health code (expected green, yellow or red)"
}

word_enum! {
    /// What the truck carries; the first three are priority cargo.
    Cargo { Emergency = "emergency", Living = "living", Production = "production", Other = "other" }
    expected "a cargo category (expected emergency, living, production or other)"
}

impl Cargo {
    /// Emergency supplies, living supplies and key production materials go first.
    pub fn is_priority(self) -> bool {
        !matches!(self, Cargo::Other)
    }
}

/// Why the checks send a truck to isolation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckFlag {
    Fever,
    YellowCode,
    RedCode,
    TravelHistory,
    /// The truck's last stay left with a positive result that still stands
    /// (it came back after the truck left, or the truck left under escort):
    /// a positive test sends a truck to isolation (SPEC §3.2).
    PositiveBefore,
}

impl CheckFlag {
    /// About the truck, not a person in its cab (a positive from its last
    /// stay: the driver may be another now). Recorded on the driver, as
    /// every finding names someone, but said without a name.
    pub fn about_the_truck(self) -> bool {
        self == CheckFlag::PositiveBefore
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CheckFlag::Fever => "fever",
            CheckFlag::YellowCode => "yellow code",
            CheckFlag::RedCode => "red code",
            CheckFlag::TravelHistory => "travel history",
            CheckFlag::PositiveBefore => "positive at its last stay",
        }
    }
}

/// One person's gate measurement, as far as it is known (a form being
/// filled in may not have both yet).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PersonCheck {
    pub temperature: Option<Temperature>,
    pub code: Option<HealthCode>,
}

/// What the checks found, and about whom: person 0 is the driver, 1–3 the
/// passengers in the order they were registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub person: u8,
    pub flag: CheckFlag,
}

/// The most people a cab holds: the driver and three passengers.
pub const MAX_PEOPLE: usize = 4;

/// Thresholds and due times. Every field has a safe default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Policy {
    /// Fever at or above this temperature (°C).
    pub fever_c: f64,
    /// Minutes from an antigen sample to its due result.
    pub antigen_due_min: i64,
    /// Minutes from a PCR sample to its due result.
    pub pcr_due_min: i64,
    /// Hours in isolation before a review is due.
    pub isolation_review_h: i64,
    /// Hours between disinfection rounds of a zone.
    pub disinfection_every_h: i64,
    /// Whether the travel-history flag sends a truck to isolation.
    pub travel_flag_isolates: bool,
    /// Minutes within which a service call (meal, water, medical) should be served.
    pub service_due_min: i64,
    /// Minutes a point-to-point handoff is expected to take.
    pub handoff_due_min: i64,
    /// Hours after a handoff is done within which its arrival at the
    /// destination must be confirmed.
    pub handoff_confirm_h: i64,
    /// A negative antigen result is needed before departure.
    pub require_antigen: bool,
    /// A negative PCR result is needed before departure.
    pub require_pcr: bool,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            fever_c: 37.3,
            antigen_due_min: 15,
            pcr_due_min: 360,
            isolation_review_h: 24,
            disinfection_every_h: 4,
            travel_flag_isolates: true,
            service_due_min: 30,
            handoff_due_min: 120,
            handoff_confirm_h: 24,
            require_antigen: true,
            require_pcr: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PolicyError {
    #[error("{0}")]
    Syntax(String),
    #[error("{field} = {value} is out of range ({range})")]
    Range {
        field: &'static str,
        value: String,
        range: &'static str,
    },
}

impl Policy {
    /// Parses a policy file; every key is optional, unknown keys are refused.
    pub fn from_toml(text: &str) -> Result<Policy, PolicyError> {
        let p: Policy = toml::from_str(text).map_err(|e| PolicyError::Syntax(e.to_string()))?;
        p.validate()?;
        Ok(p)
    }

    pub fn validate(&self) -> Result<(), PolicyError> {
        fn range<T: PartialOrd + fmt::Display>(
            field: &'static str,
            v: T,
            lo: T,
            hi: T,
            range: &'static str,
        ) -> Result<(), PolicyError> {
            // `contains` is false for NaN, so a `nan` in the file is refused too.
            if !(lo..=hi).contains(&v) {
                return Err(PolicyError::Range {
                    field,
                    value: v.to_string(),
                    range,
                });
            }
            Ok(())
        }
        range("fever_c", self.fever_c, 36.0, 40.0, "36.0–40.0")?;
        range(
            "antigen_due_min",
            self.antigen_due_min,
            1,
            24 * 60,
            "1–1440",
        )?;
        range("pcr_due_min", self.pcr_due_min, 1, 7 * 24 * 60, "1–10080")?;
        range(
            "isolation_review_h",
            self.isolation_review_h,
            1,
            24 * 30,
            "1–720",
        )?;
        range(
            "disinfection_every_h",
            self.disinfection_every_h,
            1,
            24 * 7,
            "1–168",
        )?;
        range(
            "service_due_min",
            self.service_due_min,
            1,
            24 * 60,
            "1–1440",
        )?;
        range(
            "handoff_due_min",
            self.handoff_due_min,
            1,
            7 * 24 * 60,
            "1–10080",
        )?;
        range(
            "handoff_confirm_h",
            self.handoff_confirm_h,
            1,
            24 * 30,
            "1–720",
        )?;
        Ok(())
    }

    pub fn antigen_due(&self) -> Duration {
        Duration::minutes(self.antigen_due_min)
    }

    pub fn pcr_due(&self) -> Duration {
        Duration::minutes(self.pcr_due_min)
    }

    pub fn isolation_review(&self) -> Duration {
        Duration::hours(self.isolation_review_h)
    }

    pub fn service_due(&self) -> Duration {
        Duration::minutes(self.service_due_min)
    }

    pub fn handoff_due(&self) -> Duration {
        Duration::minutes(self.handoff_due_min)
    }

    pub fn handoff_confirm(&self) -> Duration {
        Duration::hours(self.handoff_confirm_h)
    }

    /// The tests every stay needs a negative result of before departure.
    pub fn required_tests(&self) -> Vec<TestKind> {
        let mut t = Vec::new();
        if self.require_antigen {
            t.push(TestKind::Antigen);
        }
        if self.require_pcr {
            t.push(TestKind::Pcr);
        }
        t
    }

    pub fn disinfection_every(&self) -> Duration {
        Duration::hours(self.disinfection_every_h)
    }

    /// What the gate checks say about the people in a cab (driver first) and
    /// the truck's travel flag: an empty list means a clean arrival. A missing
    /// measurement flags nothing here; that it is missing is the form's and
    /// the operation's business.
    pub fn findings(&self, people: &[PersonCheck], travel_flag: bool) -> Vec<Finding> {
        let mut out = Vec::new();
        for (n, p) in people.iter().enumerate() {
            let person = n as u8;
            if p.temperature.is_some_and(|t| t.celsius() >= self.fever_c) {
                out.push(Finding {
                    person,
                    flag: CheckFlag::Fever,
                });
            }
            match p.code {
                Some(HealthCode::Yellow) => out.push(Finding {
                    person,
                    flag: CheckFlag::YellowCode,
                }),
                Some(HealthCode::Red) => out.push(Finding {
                    person,
                    flag: CheckFlag::RedCode,
                }),
                Some(HealthCode::Green) | None => {}
            }
        }
        if travel_flag && self.travel_flag_isolates {
            out.push(Finding {
                person: 0,
                flag: CheckFlag::TravelHistory,
            });
        }
        out
    }
}

/// The distinct flags among `findings`, in first-seen order.
pub fn flags_of(findings: &[Finding]) -> Vec<CheckFlag> {
    let mut flags = Vec::new();
    for f in findings {
        if !flags.contains(&f.flag) {
            flags.push(f.flag);
        }
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(t: f64, code: HealthCode) -> PersonCheck {
        PersonCheck {
            temperature: Some(Temperature::new(t).unwrap()),
            code: Some(code),
        }
    }

    fn flags(p: &Policy, t: f64, code: HealthCode, travel: bool) -> Vec<CheckFlag> {
        flags_of(&p.findings(&[person(t, code)], travel))
    }

    #[test]
    fn fever_threshold_is_inclusive() {
        let p = Policy::default();
        assert!(flags(&p, 37.2, HealthCode::Green, false).is_empty());
        assert_eq!(
            flags(&p, 37.3, HealthCode::Green, false),
            vec![CheckFlag::Fever]
        );
    }

    #[test]
    fn codes_and_travel_flag_isolate() {
        let p = Policy::default();
        assert_eq!(
            flags(&p, 36.5, HealthCode::Yellow, false),
            vec![CheckFlag::YellowCode]
        );
        assert_eq!(
            flags(&p, 38.0, HealthCode::Red, true),
            vec![
                CheckFlag::Fever,
                CheckFlag::RedCode,
                CheckFlag::TravelHistory
            ]
        );
    }

    #[test]
    fn every_person_in_the_cab_is_checked_and_named() {
        let p = Policy::default();
        let cab = [
            person(36.5, HealthCode::Green),
            person(38.1, HealthCode::Green),
            PersonCheck {
                temperature: None,
                code: Some(HealthCode::Yellow),
            },
        ];
        assert_eq!(
            p.findings(&cab, false),
            vec![
                Finding {
                    person: 1,
                    flag: CheckFlag::Fever
                },
                Finding {
                    person: 2,
                    flag: CheckFlag::YellowCode
                },
            ]
        );
    }

    #[test]
    fn the_tests_needed_before_departure_follow_the_policy() {
        let mut p = Policy::default();
        assert_eq!(p.required_tests(), vec![TestKind::Antigen]);
        p.require_pcr = true;
        assert_eq!(p.required_tests(), vec![TestKind::Antigen, TestKind::Pcr]);
    }

    #[test]
    fn temperatures_outside_the_human_range_are_refused() {
        assert!(Temperature::parse("36.6").is_ok());
        assert!(Temperature::parse("36.6°C").is_ok());
        assert_eq!(Temperature::parse("37,8").unwrap().celsius(), 37.8);
        // Typed with a Chinese input method on, and with the unit sign
        // Chinese thermometers print.
        for typed in ["３６．５", "36。5", "３６，５", "36.5℃", "３６．５ ℃"] {
            assert_eq!(
                Temperature::parse(typed).unwrap().celsius(),
                36.5,
                "{typed}"
            );
        }
        // Slips of the keyboard are told apart from readings to take again.
        assert!(matches!(
            Temperature::parse("365"),
            Err(TemperatureError::NoDecimalPoint(_))
        ));
        assert!(matches!(
            Temperature::parse("98.6"),
            Err(TemperatureError::Fahrenheit(_))
        ));
        assert!(matches!(
            Temperature::parse("45.0"),
            Err(TemperatureError::OutOfRange(_))
        ));
        assert!(Temperature::parse("37,8,1").is_err());
        for bad in ["33.9", "42.1", "abc", "", "NaN", "inf", "-1"] {
            assert!(Temperature::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn policy_file_keys_are_optional_and_checked() {
        assert_eq!(Policy::from_toml("").unwrap(), Policy::default());
        let p = Policy::from_toml("fever_c = 37.5\npcr_due_min = 300").unwrap();
        assert_eq!(p.fever_c, 37.5);
        assert_eq!(p.pcr_due_min, 300);
        assert!(Policy::from_toml("fever = 37.5").is_err());
        assert!(Policy::from_toml("fever_c = 45.0").is_err());
        assert!(Policy::from_toml("antigen_due_min = \"soon\"").is_err());
        assert!(
            Policy::from_toml("fever_c = nan").is_err(),
            "NaN would switch fever detection off"
        );
        assert!(Policy::from_toml("service_due_min = 0").is_err());
        assert!(Policy::from_toml("handoff_due_min = -5").is_err());
    }

    #[test]
    fn words_parse_case_insensitively() {
        assert_eq!("Yellow".parse::<HealthCode>().unwrap(), HealthCode::Yellow);
        assert_eq!("production".parse::<Cargo>().unwrap(), Cargo::Production);
        assert!("gold".parse::<Cargo>().is_err());
        assert!(Cargo::Emergency.is_priority() && !Cargo::Other.is_priority());
    }
}
