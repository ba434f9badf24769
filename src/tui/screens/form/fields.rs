//! The arrival form's fields, and the catalogue message for each way a
//! typed value can be wrong.

use crate::domain::plate::PlateError;
use crate::domain::policy::{HealthCode, Temperature, TemperatureError};
use crate::domain::text::TextError;
use crate::i18n::{Lang, Msg};
use crate::tui::input::TextInput;
use crate::tui::shared::Shared;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Plate,
    Temp,
    Code,
    Venue,
    Cargo,
    Driver,
    Phone,
    Origin,
    Destination,
    Travel,
    Handoff,
    Gate,
    /// Passenger `n` (0-based), name.
    PName(usize),
    PPhone(usize),
    PTemp(usize),
    PCode(usize),
    Bay,
    Override,
}

impl Field {
    /// The fields before the passengers, in the order the gate works.
    pub const HEAD: [Field; 12] = [
        Field::Plate,
        Field::Temp,
        Field::Code,
        Field::Venue,
        Field::Cargo,
        Field::Driver,
        Field::Phone,
        Field::Origin,
        Field::Destination,
        Field::Travel,
        Field::Handoff,
        Field::Gate,
    ];

    pub fn label(self) -> Msg {
        match self {
            Field::Plate => Msg::FieldPlate,
            Field::Temp => Msg::FieldTemp,
            Field::Code => Msg::FieldCode,
            Field::Venue => Msg::FieldVenue,
            Field::Cargo => Msg::FieldCargo,
            Field::Driver => Msg::FieldDriver,
            Field::Phone => Msg::FieldPhone,
            Field::Origin => Msg::FieldOrigin,
            Field::Destination => Msg::FieldDestination,
            Field::Travel => Msg::FieldTravel,
            Field::Handoff => Msg::FieldHandoff,
            Field::Gate => Msg::FieldGate,
            Field::PName(_) => Msg::FieldPName,
            Field::PPhone(_) => Msg::FieldPPhone,
            Field::PTemp(_) => Msg::FieldPTemp,
            Field::PCode(_) => Msg::FieldPCode,
            Field::Bay => Msg::FieldBay,
            Field::Override => Msg::FieldOverride,
        }
    }

    /// The passenger a field belongs to (0-based), if any.
    pub fn passenger(self) -> Option<usize> {
        match self {
            Field::PName(n) | Field::PPhone(n) | Field::PTemp(n) | Field::PCode(n) => Some(n),
            _ => None,
        }
    }

    /// The label with the passenger's number filled in ("P1 temp °C").
    pub fn label_text(self, lang: Lang) -> String {
        let text = self.label().text(lang);
        match self.passenger() {
            Some(n) => text.replace("{n}", &(n + 1).to_string()),
            None => text.to_string(),
        }
    }
}

/// Why a field is not acceptable, as a catalogue message plus the detail
/// (the offending value) where it helps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub msg: Msg,
    /// A plate's own error, whose words name what was typed (a character
    /// that cannot be seen by its code point).
    pub plate: Option<PlateError>,
    /// A character that cannot be seen and is not allowed (in a phone
    /// number), named after the reason by its code point.
    pub invisible: Option<char>,
}

impl FieldError {
    pub fn new(msg: Msg) -> FieldError {
        FieldError {
            msg,
            plate: None,
            invisible: None,
        }
    }

    pub fn plate(e: PlateError) -> FieldError {
        FieldError {
            msg: crate::i18n::plate::msg(&e),
            plate: Some(e),
            invisible: None,
        }
    }

    /// `msg`, naming `ch` when it cannot be seen.
    pub fn naming(msg: Msg, ch: char) -> FieldError {
        FieldError {
            invisible: crate::domain::text::code_point(ch).map(|_| ch),
            ..FieldError::new(msg)
        }
    }

    /// The reason in the interface's language.
    pub fn text(&self, sh: &Shared) -> String {
        match (&self.plate, self.invisible) {
            (Some(e), _) => sh.plate_reason(e),
            (None, Some(ch)) => format!(
                "{}: {}",
                sh.t(self.msg),
                crate::i18n::plate::char_name(sh.session.lang, ch)
            ),
            (None, None) => sh.t(self.msg).to_string(),
        }
    }
}

/// Someone in the cab besides the driver, as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PassengerInput {
    pub name: TextInput,
    pub phone: TextInput,
    pub temp: TextInput,
    /// Never preselected: someone has to look at the code.
    pub code: Option<HealthCode>,
}

pub(super) fn text_msg(e: &TextError) -> Msg {
    match e {
        TextError::Empty { .. } => Msg::ErrRequired,
        TextError::TooLong { .. } => Msg::ErrTooLong,
        TextError::Control { .. } => Msg::ErrControl,
    }
}

/// A required temperature: empty, not a number, or out of range.
pub fn temp_problem(t: &TextInput) -> Option<Msg> {
    if t.is_empty() {
        return Some(Msg::ErrRequired);
    }
    match Temperature::parse(&t.text()) {
        Ok(_) => None,
        Err(TemperatureError::NotANumber(_)) => Some(Msg::ErrTempNumber),
        Err(TemperatureError::OutOfRange(_)) => Some(Msg::ErrTempRange),
        Err(TemperatureError::NoDecimalPoint(_)) => Some(Msg::ErrTempNoDot),
        Err(TemperatureError::Fahrenheit(_)) => Some(Msg::ErrTempFahrenheit),
    }
}

pub(super) fn cycle<T: Copy + PartialEq>(all: &[T], current: T, back: bool) -> T {
    let i = all.iter().position(|x| *x == current).unwrap_or(0);
    let n = all.len();
    all[if back { (i + n - 1) % n } else { (i + 1) % n }]
}
