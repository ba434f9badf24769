//! Mainland Chinese mobile numbers: parsing what an operator typed into a
//! [`Phone`] of 11 digits, and masking it for display.
//!
//! Only mobile numbers (`1[3-9]` and 9 more digits, optionally written with
//! `+86` or `0086`) are accepted; landlines and foreign numbers are not.
//! Nothing here knows about drivers, storage or the terminal.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::text::{echo, half_width, safe_char, shown};

/// Digits in a mainland mobile number.
const DIGITS: usize = 11;

/// Most characters (after removing spaces and dashes) looked at at all;
/// `0086` plus 11 digits is 15.
const MAX_CHARS: usize = 20;

/// A mainland mobile number: always exactly 11 ASCII digits, e.g.
/// `13800138000`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

/// Why some text is not a mobile number. `Display` is one English line
/// naming the (sanitised, shortened) input and the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("phone number is empty")]
    Empty,
    #[error("phone '{input}' is too long: expected 11 digits")]
    TooLong { input: String },
    #[error("phone '{input}': only mainland numbers (+86) are accepted")]
    Country { input: String },
    #[error("phone '{input}': {} is not a digit", shown(*.ch))]
    Character { input: String, ch: char },
    #[error("phone '{input}' has {digits} digits: expected 11")]
    Length { input: String, digits: usize },
    #[error("phone '{input}' is not a mobile number: it must start with 13 to 19")]
    Prefix { input: String },
}

impl PhoneError {
    /// A short, stable snake_case key per kind of error, for translation.
    pub fn reason_key(&self) -> &'static str {
        match self {
            PhoneError::Empty => "empty",
            PhoneError::TooLong { .. } => "too_long",
            PhoneError::Country { .. } => "country",
            PhoneError::Character { .. } => "character",
            PhoneError::Length { .. } => "length",
            PhoneError::Prefix { .. } => "prefix",
        }
    }
}

impl Phone {
    /// Parses a mobile number: full-width characters are made half-width,
    /// spaces and dashes removed, a leading `+86` or `0086` dropped; what is
    /// left must be `1`, a digit 3–9, and 9 more digits.
    pub fn parse(text: &str) -> Result<Phone, PhoneError> {
        let input = || echo(text);
        let compact: String = text
            .chars()
            .map(half_width)
            .filter(|&c| c != ' ' && c != '-')
            .take(MAX_CHARS + 1)
            .collect();
        if compact.is_empty() {
            return Err(PhoneError::Empty);
        }
        if compact.chars().count() > MAX_CHARS {
            return Err(PhoneError::TooLong { input: input() });
        }
        let number = compact
            .strip_prefix("+86")
            .or_else(|| compact.strip_prefix("0086"))
            .unwrap_or(&compact);
        if number.starts_with('+') {
            return Err(PhoneError::Country { input: input() });
        }
        if let Some(ch) = number.chars().find(|c| !c.is_ascii_digit()) {
            return Err(PhoneError::Character {
                input: input(),
                ch: safe_char(ch),
            });
        }
        if number.len() != DIGITS {
            return Err(PhoneError::Length {
                input: input(),
                digits: number.len(),
            });
        }
        let bytes = number.as_bytes();
        if bytes[0] != b'1' || !(b'3'..=b'9').contains(&bytes[1]) {
            return Err(PhoneError::Prefix { input: input() });
        }
        Ok(Phone(number.to_owned()))
    }

    /// The 11 digits, e.g. `13800138000`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number with its middle four digits hidden: `138****8000`.
    pub fn masked(&self) -> String {
        match (self.0.get(..3), self.0.get(7..)) {
            (Some(head), Some(tail)) => format!("{head}****{tail}"),
            _ => "*".repeat(self.0.len()),
        }
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Phone {
    type Err = PhoneError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Phone::parse(s)
    }
}

impl TryFrom<String> for Phone {
    type Error = PhoneError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Phone::parse(&value)
    }
}

impl From<Phone> for String {
    fn from(phone: Phone) -> String {
        phone.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_numbers() {
        let cases = [
            "13800138000",
            "138 0013 8000",
            "138-0013-8000",
            " 138 - 0013 - 8000 ",
            "+8613800138000",
            "+86 138 0013 8000",
            "+86-138-0013-8000",
            "008613800138000",
            "0086 138 0013 8000",
            "１３８００１３８０００",
            "＋８６ １３８　００１３　８０００",
            "００８６１３８００１３８０００",
            "１３８－００１３－８０００",
        ];
        for input in cases {
            match Phone::parse(input) {
                Ok(p) => assert_eq!(p.as_str(), "13800138000", "{input:?}"),
                Err(e) => panic!("{input:?} refused: {e}"),
            }
        }
        for second in '3'..='9' {
            let text = format!("1{second}012345678");
            assert!(Phone::parse(&text).is_ok(), "{text}");
        }
    }

    #[test]
    fn invalid_numbers() {
        let long = "1".repeat(100_000);
        let cases: Vec<(&str, &str)> = vec![
            ("", "empty"),
            ("   ", "empty"),
            ("　- -", "empty"),
            ("1380013800", "length"),
            ("138001380001", "length"),
            ("8613800138000", "length"),
            ("86", "length"),
            ("+86", "length"),
            ("0086", "length"),
            ("12800138000", "prefix"),
            ("10800138000", "prefix"),
            ("23800138000", "prefix"),
            ("03800138000", "prefix"),
            ("1380013800a", "character"),
            ("138.0013.8000", "character"),
            ("(138)00138000", "character"),
            ("1380013\u{0}8000", "character"),
            ("13800138000\n", "character"),
            ("138\u{202E}00138000", "character"),
            ("13800138000'; DROP", "character"),
            ("<script>", "character"),
            ("📞13800138000", "character"),
            ("+1 555 123 4567", "country"),
            ("+86+8613800138000", "country"),
            ("+", "country"),
            ("1380013800013800138000", "too_long"),
            (long.as_str(), "too_long"),
        ];
        for (input, key) in cases {
            match Phone::parse(input) {
                Ok(p) => panic!("{input:?} accepted as {p}"),
                Err(e) => {
                    assert_eq!(e.reason_key(), key, "{input:?}: {e}");
                    let line = e.to_string();
                    assert!(
                        !line.chars().any(super::super::text::is_control),
                        "{line:?}"
                    );
                    assert!(line.chars().count() < 120, "{line:?}");
                }
            }
        }
    }

    #[test]
    fn error_messages() {
        let msg = |s: &str| match Phone::parse(s) {
            Ok(p) => panic!("{s:?} accepted as {p}"),
            Err(e) => e.to_string(),
        };
        assert_eq!(msg(""), "phone number is empty");
        assert_eq!(
            msg("138 0013 800"),
            "phone '138 0013 800' has 10 digits: expected 11"
        );
        assert_eq!(
            msg("1380013800x"),
            "phone '1380013800x': 'x' is not a digit"
        );
        assert_eq!(
            msg("12800138000"),
            "phone '12800138000' is not a mobile number: it must start with 13 to 19"
        );
        assert_eq!(
            msg("138\u{7}00138000"),
            "phone '138?00138000': '?' is not a digit"
        );
        // An invisible character is named by its code point.
        assert_eq!(
            msg("138\u{200B}00138000"),
            "phone '138\u{200B}00138000': the invisible character U+200B is not a digit"
        );
        assert_eq!(
            msg(&"9".repeat(50)),
            format!(
                "phone '{}…' is too long: expected 11 digits",
                "9".repeat(19)
            )
        );
    }

    #[test]
    fn masked() {
        let p = Phone::parse("13800138000").expect("valid");
        assert_eq!(p.masked(), "138****8000");
    }

    #[test]
    fn conversions_and_serde() {
        let p: Phone = "+86 138 0013 8000".parse().expect("valid");
        assert_eq!(p.to_string(), "13800138000");
        assert_eq!(Phone::try_from("13800138000".to_owned()), Ok(p.clone()));
        assert_eq!(String::from(p.clone()), "13800138000");
        let json = serde_json::to_string(&p).expect("serialise");
        assert_eq!(json, "\"13800138000\"");
        let back: Phone = serde_json::from_str("\"138-0013-8000\"").expect("deserialise");
        assert_eq!(back, p);
        assert!(serde_json::from_str::<Phone>("\"12345\"").is_err());
        assert!(serde_json::from_str::<Phone>("13800138000").is_err());
    }
}
