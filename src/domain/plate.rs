//! Mainland Chinese licence plates: normalising what an operator typed,
//! validating it into a [`Plate`], and matching plates against a search
//! [`PlateQuery`] (with the province typed as a character, as pinyin, or
//! skipped).
//!
//! Two readings: [`Plate::parse_typed`] is what a person typed, anywhere a
//! plate is typed (the command line's arguments, the interface's form,
//! prompts and filters): the province may be pinyin (`jinD12345`).
//! [`Plate::parse`] is the strict one, for plates the program wrote itself
//! (the store, JSON, files it made).
//!
//! This module does not know about stays, bays, storage or the terminal; it
//! is pure string handling with no I/O. Phone numbers live in `phone`, free
//! text fields in `text`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use unicode_width::UnicodeWidthStr;

use super::text::{echo, safe_char, shown};

/// The province (region) characters that may open a plate.
pub const PROVINCES: &str = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";

/// Suffixes that may follow a 4-character serial: trailer, learner, police,
/// Hong Kong, Macau, consular.
const SUFFIXES: &str = "挂学警港澳领";

/// Longest input, in characters after normalising, that is looked at at all.
const MAX_CHARS: usize = 16;

/// A validated plate, always held in its normalised form, e.g. `晋D12345`.
///
/// ```
/// use trucklot::domain::plate::{Plate, PlateQuery};
///
/// let p = Plate::parse("晋d 12345").unwrap();
/// assert_eq!(p.as_str(), "晋D12345");
/// assert!(p.matches(&PlateQuery::new("jinD123")));
/// assert!(Plate::parse("晋I12345").is_err()); // no I or O on plates
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Plate(String);

/// Why some text is not a plate. Its `Display` is one English line naming
/// the (sanitised, shortened) input and the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlateError {
    /// Nothing left after removing spaces and separators.
    #[error("plate is empty")]
    Empty,
    /// More than 16 characters after normalising.
    #[error("plate '{input}' is too long: at most {MAX_CHARS} characters")]
    TooLong { input: String },
    /// The first character is not one of [`PROVINCES`].
    #[error("plate '{input}': {} is not a province character", shown(*.ch))]
    Province { input: String, ch: char },
    /// The second character is not an issuing letter `A`–`Z` except `I`.
    #[error("plate '{input}': issuing letter must be A–Z except I, not {}", shown(*.ch))]
    Letter { input: String, ch: char },
    /// Too few or too many characters for the kind of plate.
    #[error("plate '{input}' is too {}: expected {expected}", short_or_long(*.short))]
    Length {
        input: String,
        short: bool,
        expected: String,
    },
    /// A character that may not appear in the serial.
    #[error("plate '{input}': {}", character_reason(*.ch))]
    Character { input: String, ch: char },
    /// A final Chinese character that is not a known suffix.
    #[error("plate '{input}': {} is not a plate suffix (挂, 学, 警, 港, 澳 or 领)", shown(*.ch))]
    Suffix { input: String, ch: char },
    /// Six serial characters that do not form a new-energy number.
    #[error(
        "plate '{input}' is not a valid new-energy plate: expected D or F, \
         one character and 4 digits, or 5 digits then D or F"
    )]
    NewEnergy { input: String },
    /// The province was typed as a pinyin that makes a plate with more than
    /// one province (`gui`: 桂 and 贵), none of them the site's.
    #[error(
        "plate '{input}': the pinyin could be {}: type the province character",
        either(provinces)
    )]
    Ambiguous { input: String, provinces: Vec<char> },
}

fn either(provinces: &[char]) -> String {
    let names: Vec<String> = provinces.iter().map(char::to_string).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

fn short_or_long(short: bool) -> &'static str {
    if short { "short" } else { "long" }
}

fn character_reason(ch: char) -> String {
    if ch == 'I' || ch == 'O' {
        format!("'{ch}' is not allowed (no I or O in the serial)")
    } else {
        format!("{} is not allowed in a plate", shown(ch))
    }
}

impl PlateError {
    /// A short, stable snake_case key per kind of error, for translation.
    pub fn reason_key(&self) -> &'static str {
        match self {
            PlateError::Empty => "empty",
            PlateError::TooLong { .. } => "too_long",
            PlateError::Province { .. } => "province",
            PlateError::Letter { .. } => "letter",
            PlateError::Length { .. } => "length",
            PlateError::Character { .. } => "character",
            PlateError::Suffix { .. } => "suffix",
            PlateError::NewEnergy { .. } => "new_energy",
            PlateError::Ambiguous { .. } => "ambiguous",
        }
    }
}

fn normalise_char(c: char) -> char {
    super::text::half_width(c).to_ascii_uppercase()
}

fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '·' | '•' | '・' | '-' | '.')
}

fn normalised_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars()
        .map(normalise_char)
        .filter(|&c| !is_separator(c))
}

/// Normalises plate text: full-width ASCII to half-width, ideographic space
/// to space, ASCII upper-cased, then spaces, `·`, `•`, `・`, `-` and `.`
/// removed. Used both for plates and for search queries.
pub fn normalise(text: &str) -> String {
    normalised_chars(text).collect()
}

fn is_letter(c: char) -> bool {
    c.is_ascii_uppercase() && c != 'I'
}

fn is_serial(c: char) -> bool {
    c.is_ascii_digit() || (c.is_ascii_uppercase() && c != 'I' && c != 'O')
}

fn is_energy(c: char) -> bool {
    c == 'D' || c == 'F'
}

/// The pinyin of a province character, upper-case.
fn pinyin(province: char) -> Option<&'static str> {
    Some(match province {
        '京' => "JING",
        '津' => "JIN",
        '沪' => "HU",
        '渝' => "YU",
        '冀' => "JI",
        '豫' => "YU",
        '云' => "YUN",
        '辽' => "LIAO",
        '黑' => "HEI",
        '湘' => "XIANG",
        '皖' => "WAN",
        '鲁' => "LU",
        '新' => "XIN",
        '苏' => "SU",
        '浙' => "ZHE",
        '赣' => "GAN",
        '鄂' => "E",
        '桂' => "GUI",
        '甘' => "GAN",
        '晋' => "JIN",
        '蒙' => "MENG",
        '陕' => "SHAN",
        '吉' => "JI",
        '闽' => "MIN",
        '贵' => "GUI",
        '粤' => "YUE",
        '青' => "QING",
        '藏' => "ZANG",
        '川' => "CHUAN",
        '宁' => "NING",
        '琼' => "QIONG",
        _ => return None,
    })
}

/// The provinces' full names in pinyin, upper-case, as an operator may type
/// the province whose abbreviation's pinyin he does not know (`shanxi` for
/// 山西, 晋; `shaanxi` for 陕西, 陕, as the official spelling tells them
/// apart). None reads as a shorter pinyin and a plate: each would leave an
/// I or an O in the serial, or too many characters.
const FULL_NAMES: &[(char, &str)] = &[
    ('京', "BEIJING"),
    ('津', "TIANJIN"),
    ('沪', "SHANGHAI"),
    ('渝', "CHONGQING"),
    ('冀', "HEBEI"),
    ('豫', "HENAN"),
    ('云', "YUNNAN"),
    ('辽', "LIAONING"),
    ('黑', "HEILONGJIANG"),
    ('湘', "HUNAN"),
    ('皖', "ANHUI"),
    ('鲁', "SHANDONG"),
    ('新', "XINJIANG"),
    ('苏', "JIANGSU"),
    ('浙', "ZHEJIANG"),
    ('赣', "JIANGXI"),
    ('鄂', "HUBEI"),
    ('桂', "GUANGXI"),
    ('甘', "GANSU"),
    ('晋', "SHANXI"),
    ('蒙', "NEIMENGGU"),
    ('陕', "SHAANXI"),
    ('吉', "JILIN"),
    ('闽', "FUJIAN"),
    ('贵', "GUIZHOU"),
    ('粤', "GUANGDONG"),
    ('青', "QINGHAI"),
    ('藏', "XIZANG"),
    ('川', "SICHUAN"),
    ('宁', "NINGXIA"),
    ('琼', "HAINAN"),
];

/// Checks the normalised characters; `raw` is only used for messages.
fn validate(chars: &[char], raw: &str) -> Result<(), PlateError> {
    let input = || echo(raw);
    let length = |short: bool, expected: String| PlateError::Length {
        input: input(),
        short,
        expected,
    };
    const ORDINARY: &str = "province, letter and 5 characters";

    let Some(&province) = chars.first() else {
        return Err(PlateError::Empty);
    };
    if !PROVINCES.contains(province) {
        return Err(PlateError::Province {
            input: input(),
            ch: safe_char(province),
        });
    }
    let Some(&letter) = chars.get(1) else {
        return Err(length(true, ORDINARY.to_owned()));
    };
    if !is_letter(letter) {
        return Err(PlateError::Letter {
            input: input(),
            ch: safe_char(letter),
        });
    }

    let rest = chars.get(2..).unwrap_or(&[]);
    let last = rest.len().saturating_sub(1);
    for (i, &c) in rest.iter().enumerate() {
        if is_serial(c) || (i == last && SUFFIXES.contains(c)) {
            continue;
        }
        if i == last && !c.is_ascii() && c.is_alphabetic() {
            return Err(PlateError::Suffix {
                input: input(),
                ch: safe_char(c),
            });
        }
        return Err(PlateError::Character {
            input: input(),
            ch: safe_char(c),
        });
    }

    match rest.last() {
        Some(&suffix) if SUFFIXES.contains(suffix) => {
            let serial = rest.len() - 1;
            if serial == 4 {
                Ok(())
            } else {
                Err(length(
                    serial < 4,
                    format!("province, letter, 4 characters and {suffix}"),
                ))
            }
        }
        _ => match rest.len() {
            5 => Ok(()),
            6 => {
                let small = is_energy(rest[0]) && rest[2..].iter().all(char::is_ascii_digit);
                let large = rest[..5].iter().all(char::is_ascii_digit) && is_energy(rest[5]);
                if small || large {
                    Ok(())
                } else {
                    Err(PlateError::NewEnergy { input: input() })
                }
            }
            n if n < 5 => Err(length(true, ORDINARY.to_owned())),
            _ => Err(length(
                false,
                format!("{ORDINARY} (6 for a new-energy plate)"),
            )),
        },
    }
}

impl Plate {
    /// Normalises and validates `text`.
    pub fn parse(text: &str) -> Result<Plate, PlateError> {
        // Never keep more than one character past the limit, whatever the
        // size of the input; on the stack, as every plate the store reads
        // comes through here.
        let mut chars = ['\0'; MAX_CHARS + 1];
        let mut n = 0;
        // Already in normal form (as the store and most forms hand it
        // over): the text itself is the plate.
        let mut unchanged = true;
        for c in text.chars() {
            let m = normalise_char(c);
            if is_separator(m) {
                unchanged = false;
                continue;
            }
            unchanged &= m == c;
            let Some(slot) = chars.get_mut(n) else { break };
            *slot = m;
            n += 1;
        }
        let chars = &chars[..n];
        if chars.is_empty() {
            return Err(PlateError::Empty);
        }
        if chars.len() > MAX_CHARS {
            return Err(PlateError::TooLong { input: echo(text) });
        }
        validate(chars, text)?;
        Ok(Plate(if unchanged {
            text.to_owned()
        } else {
            chars.iter().collect()
        }))
    }

    /// A plate as a person typed it: what every face reads a typed plate
    /// with (the command line's arguments, the interface's form, prompts
    /// and filters), so that a plate means the same everywhere. Normalised
    /// like `parse`, and the province may also be typed as pinyin, as an
    /// operator in gloves does (`jinD12345` → 晋D12345).
    ///
    /// The pinyin read is the longest one that opens the text and leaves a
    /// letter after it, the issuing letter: `jingD12345` is 京D12345 (not
    /// 晋G·D12345), `yuE12345` is 豫E or 渝E (not 粤 and a digit). Where
    /// that pinyin names two provinces that both make a plate (`JIN` is 晋
    /// and 津), `home` — the site's province — wins; without it the text is
    /// refused as [`PlateError::Ambiguous`], naming them. A reading that is
    /// no plate is refused with its reason (`jinD1234` is too short), and a
    /// text that opens with no pinyin with `parse`'s.
    pub fn parse_typed(text: &str, home: char) -> Result<Plate, PlateError> {
        let err = match Plate::parse(text) {
            Ok(p) => return Ok(p),
            Err(e) => e,
        };
        // Only a text that does not open with a province may have it in
        // pinyin; `parse` has seen that it is short enough.
        if !matches!(err, PlateError::Province { .. }) {
            return Err(err);
        }
        let norm = normalise(text);
        let opening: Vec<(char, &str)> = PROVINCES
            .chars()
            .filter_map(|prov| Some((prov, pinyin(prov)?)))
            .chain(FULL_NAMES.iter().copied())
            .filter(|(_, py)| norm.starts_with(py))
            .collect();
        let leaves_letter = |py: &str| {
            norm.get(py.len()..)
                .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
        };
        let longest = |letter: bool| {
            opening
                .iter()
                .map(|&(_, py)| py)
                .filter(|py| !letter || leaves_letter(py))
                .max_by_key(|py| py.len())
        };
        let Some(py) = longest(true).or_else(|| longest(false)) else {
            return Err(err);
        };
        // The provinces of a pinyin, with the plate the rest makes with
        // each, or why it makes none.
        let read = |py: &str| -> Vec<Result<Plate, PlateError>> {
            opening
                .iter()
                .filter(|&&(_, p)| p == py)
                .map(|&(prov, _)| {
                    let chars: Vec<char> = std::iter::once(prov)
                        .chain(norm[py.len()..].chars())
                        .collect();
                    validate(&chars, text).map(|()| Plate(chars.iter().collect()))
                })
                .collect()
        };
        let readings = read(py);
        let plates: Vec<&Plate> = readings.iter().filter_map(|r| r.as_ref().ok()).collect();
        if let Some(p) = plates.iter().find(|p| p.0.starts_with(home)) {
            return Ok((*p).clone());
        }
        match plates.as_slice() {
            [p] => Ok((*p).clone()),
            // No plate: why not, as the longest pinyin reads it (`jin1D2345`
            // is 晋 and a digit where the letter goes, not 冀N·1D2345).
            [] => {
                let longer = longest(false).filter(|l| {
                    l.len() > py.len() && norm[l.len()..].starts_with(|c: char| c.is_ascii_digit())
                });
                let readings = longer.map_or(readings, read);
                Err(readings.into_iter().find_map(Result::err).unwrap_or(err))
            }
            several => Err(PlateError::Ambiguous {
                input: echo(text),
                provinces: several.iter().filter_map(|p| p.0.chars().next()).collect(),
            }),
        }
    }

    /// The normalised plate, e.g. `晋D12345`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Display width in terminal cells (the province character is 2 cells,
    /// so `晋D12345` is 8).
    pub fn width(&self) -> usize {
        UnicodeWidthStr::width(self.0.as_str())
    }

    /// Does this plate match an operator's search query? The query matches
    /// if it is a substring of the plate (which covers the plate without its
    /// province character) or of the province's pinyin followed by the rest
    /// (`JIND12345`). An empty query matches every plate. Does not allocate.
    pub fn matches(&self, query: &PlateQuery) -> bool {
        let q = query.text.as_str();
        if q.is_empty() || self.0.contains(q) {
            return true;
        }
        let Some(first) = self.0.chars().next() else {
            return false;
        };
        let Some(py) = pinyin(first) else {
            return false;
        };
        let rest = &self.0.as_bytes()[first.len_utf8()..];
        let (py, q) = (py.as_bytes(), q.as_bytes());
        // Matches starting inside the rest are covered by `contains` above;
        // only starts inside the pinyin need checking.
        (0..py.len()).any(|i| {
            let head = &py[i..];
            if q.len() <= head.len() {
                head.starts_with(q)
            } else {
                q.starts_with(head) && rest.starts_with(&q[head.len()..])
            }
        })
    }
}

impl fmt::Display for Plate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Plate {
    type Err = PlateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Plate::parse(s)
    }
}

impl TryFrom<String> for Plate {
    type Error = PlateError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Plate::parse(&value)
    }
}

impl From<Plate> for String {
    fn from(plate: Plate) -> String {
        plate.0
    }
}

/// A search query as typed by an operator, normalised once so that it can
/// be matched against many plates cheaply.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PlateQuery {
    text: String,
}

impl PlateQuery {
    /// Prepares `text` (normalised like a plate: `JIN d 123` → `JIND123`).
    pub fn new(text: &str) -> PlateQuery {
        PlateQuery {
            text: normalise(text),
        }
    }

    /// True if the query matches every plate.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

#[cfg(test)]
#[path = "plate_tests.rs"]
mod tests;
