//! The arrival form: its fields, what each key does to them, and validation
//! as you type. Turning a valid form into an `ArrivalRecord` is here too; the
//! bay suggestion is the app's (it needs the lot).

use crossterm::event::{KeyCode, KeyEvent};

use super::input::TextInput;
use crate::domain::event::ArrivalRecord;
use crate::domain::phone::Phone;
use crate::domain::plate::{Plate, PlateError};
use crate::domain::policy::{Cargo, HealthCode, Temperature, TemperatureError};
use crate::domain::text::{self, TextError};
use crate::i18n::Msg;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Plate,
    Temp,
    Code,
    Cargo,
    Driver,
    Phone,
    Origin,
    Destination,
    Travel,
    Handoff,
    Bay,
    Override,
}

impl Field {
    pub const ORDER: [Field; 12] = [
        Field::Plate,
        Field::Temp,
        Field::Code,
        Field::Cargo,
        Field::Driver,
        Field::Phone,
        Field::Origin,
        Field::Destination,
        Field::Travel,
        Field::Handoff,
        Field::Bay,
        Field::Override,
    ];

    pub fn label(self) -> Msg {
        match self {
            Field::Plate => Msg::FieldPlate,
            Field::Temp => Msg::FieldTemp,
            Field::Code => Msg::FieldCode,
            Field::Cargo => Msg::FieldCargo,
            Field::Driver => Msg::FieldDriver,
            Field::Phone => Msg::FieldPhone,
            Field::Origin => Msg::FieldOrigin,
            Field::Destination => Msg::FieldDestination,
            Field::Travel => Msg::FieldTravel,
            Field::Handoff => Msg::FieldHandoff,
            Field::Bay => Msg::FieldBay,
            Field::Override => Msg::FieldOverride,
        }
    }
}

/// Why a field is not acceptable, as a catalogue message plus the detail
/// (the offending value) where it helps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub msg: Msg,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ArrivalForm {
    pub focus: Field,
    pub plate: TextInput,
    pub temp: TextInput,
    pub code: HealthCode,
    pub cargo: Cargo,
    pub driver: TextInput,
    pub phone: TextInput,
    pub origin: TextInput,
    pub destination: TextInput,
    pub travel: bool,
    pub handoff_required: bool,
    /// A bay the operator picked on the map instead of the suggestion.
    pub picked: Option<usize>,
    pub override_reason: TextInput,
    /// Whether the chosen bay goes against the checks (the app keeps this
    /// current); the override field is only in the form when it does.
    pub needs_override: bool,
}

impl Default for ArrivalForm {
    fn default() -> ArrivalForm {
        ArrivalForm {
            focus: Field::Plate,
            plate: TextInput::default(),
            temp: TextInput::default(),
            code: HealthCode::Green,
            cargo: Cargo::Other,
            driver: TextInput::default(),
            phone: TextInput::default(),
            origin: TextInput::default(),
            destination: TextInput::default(),
            travel: false,
            handoff_required: false,
            picked: None,
            override_reason: TextInput::default(),
            needs_override: false,
        }
    }
}

fn plate_msg(e: &PlateError) -> Msg {
    match e.reason_key() {
        "empty" => Msg::ErrRequired,
        "province" => Msg::ErrPlateProvince,
        "letter" => Msg::ErrPlateLetter,
        "length" | "too_long" => Msg::ErrPlateLength,
        "suffix" => Msg::ErrPlateSuffix,
        "new_energy" => Msg::ErrPlateNewEnergy,
        _ => Msg::ErrPlateCharacter,
    }
}

fn text_msg(e: &TextError) -> Msg {
    match e {
        TextError::Empty { .. } => Msg::ErrRequired,
        TextError::TooLong { .. } => Msg::ErrTooLong,
        TextError::Control { .. } => Msg::ErrControl,
    }
}

impl ArrivalForm {
    /// The fields in the form now (the override only when it is needed).
    pub fn fields(&self) -> impl Iterator<Item = Field> + '_ {
        Field::ORDER
            .into_iter()
            .filter(|f| *f != Field::Override || self.needs_override)
    }

    pub fn next_field(&mut self) {
        let fields: Vec<Field> = self.fields().collect();
        let i = fields.iter().position(|f| *f == self.focus).unwrap_or(0);
        self.focus = fields[(i + 1) % fields.len()];
    }

    pub fn prev_field(&mut self) {
        let fields: Vec<Field> = self.fields().collect();
        let i = fields.iter().position(|f| *f == self.focus).unwrap_or(0);
        self.focus = fields[(i + fields.len() - 1) % fields.len()];
    }

    fn input(&mut self, field: Field) -> Option<&mut TextInput> {
        Some(match field {
            Field::Plate => &mut self.plate,
            Field::Temp => &mut self.temp,
            Field::Driver => &mut self.driver,
            Field::Phone => &mut self.phone,
            Field::Origin => &mut self.origin,
            Field::Destination => &mut self.destination,
            Field::Override => &mut self.override_reason,
            _ => return None,
        })
    }

    pub fn input_ref(&self, field: Field) -> Option<&TextInput> {
        Some(match field {
            Field::Plate => &self.plate,
            Field::Temp => &self.temp,
            Field::Driver => &self.driver,
            Field::Phone => &self.phone,
            Field::Origin => &self.origin,
            Field::Destination => &self.destination,
            Field::Override => &self.override_reason,
            _ => return None,
        })
    }

    /// A key that the keymap did not claim. Returns true if it changed the form.
    /// Choice fields take one letter and move on, to save key presses.
    pub fn key(&mut self, key: &KeyEvent) -> bool {
        let focus = self.focus;
        if let Some(input) = self.input(focus) {
            match key.code {
                KeyCode::Char(c) => input.insert(c),
                KeyCode::Backspace => input.backspace(),
                KeyCode::Delete => input.delete(),
                KeyCode::Left => input.left(),
                KeyCode::Right => input.right(),
                KeyCode::Home => input.home(),
                KeyCode::End => input.end(),
                _ => return false,
            }
            return true;
        }
        let pick = |c: char| match c.to_ascii_lowercase() {
            'g' => Some(HealthCode::Green),
            'y' => Some(HealthCode::Yellow),
            'r' => Some(HealthCode::Red),
            _ => None,
        };
        match (focus, key.code) {
            (Field::Code, KeyCode::Char(c)) if pick(c).is_some() => {
                self.code = pick(c).unwrap_or(self.code);
                self.next_field();
            }
            (Field::Code, KeyCode::Left | KeyCode::Right | KeyCode::Char(' ')) => {
                self.code = cycle(HealthCode::ALL, self.code, key.code == KeyCode::Left);
            }
            (Field::Cargo, KeyCode::Char(c)) => {
                let chosen = match c.to_ascii_lowercase() {
                    'e' => Cargo::Emergency,
                    'l' => Cargo::Living,
                    'p' => Cargo::Production,
                    'o' => Cargo::Other,
                    ' ' => cycle(Cargo::ALL, self.cargo, false),
                    _ => return false,
                };
                self.cargo = chosen;
                if c != ' ' {
                    self.next_field();
                }
            }
            (Field::Cargo, KeyCode::Left | KeyCode::Right) => {
                self.cargo = cycle(Cargo::ALL, self.cargo, key.code == KeyCode::Left);
            }
            (Field::Travel | Field::Handoff, KeyCode::Char(c)) => {
                let v = match c.to_ascii_lowercase() {
                    ' ' | 'x' => !self.flag(focus),
                    'y' => true,
                    'n' => false,
                    _ => return false,
                };
                self.set_flag(focus, v);
                if c != ' ' && c != 'x' {
                    self.next_field();
                }
            }
            _ => return false,
        }
        true
    }

    fn flag(&self, f: Field) -> bool {
        if f == Field::Travel {
            self.travel
        } else {
            self.handoff_required
        }
    }

    fn set_flag(&mut self, f: Field, v: bool) {
        if f == Field::Travel {
            self.travel = v;
        } else {
            self.handoff_required = v;
        }
    }

    /// The field's problem, if any: shown beside it as you type.
    pub fn problem(&self, field: Field) -> Option<FieldError> {
        let err = |msg| Some(FieldError { msg });
        let opt_text = |name: &str, t: &TextInput| {
            text::clean(name, &t.text(), false)
                .err()
                .map(|e| FieldError { msg: text_msg(&e) })
        };
        match field {
            Field::Plate => Plate::parse(&self.plate.text())
                .err()
                .map(|e| FieldError { msg: plate_msg(&e) }),
            Field::Temp if self.temp.is_empty() => None,
            Field::Temp => match Temperature::parse(&self.temp.text()) {
                Ok(_) => None,
                Err(TemperatureError::NotANumber(_)) => err(Msg::ErrTempNumber),
                Err(TemperatureError::OutOfRange(_)) => err(Msg::ErrTempRange),
            },
            Field::Phone if self.phone.is_empty() => None,
            Field::Phone => Phone::parse(&self.phone.text())
                .err()
                .map(|_| FieldError { msg: Msg::ErrPhone }),
            Field::Driver => opt_text("driver", &self.driver),
            Field::Origin => opt_text("origin", &self.origin),
            Field::Destination => opt_text("destination", &self.destination),
            Field::Override if self.needs_override => {
                text::clean("reason", &self.override_reason.text(), true)
                    .err()
                    .map(|e| FieldError { msg: text_msg(&e) })
            }
            _ => None,
        }
    }

    /// The first field with a problem.
    pub fn first_problem(&self) -> Option<(Field, FieldError)> {
        self.fields().find_map(|f| self.problem(f).map(|e| (f, e)))
    }

    pub fn temperature(&self) -> Option<Temperature> {
        Temperature::parse(&self.temp.text()).ok()
    }

    /// The arrival, if every field is valid.
    pub fn record(&self) -> Option<ArrivalRecord> {
        if self.first_problem().is_some() {
            return None;
        }
        let opt = |t: &TextInput| {
            let s = t.text().trim().to_string();
            (!s.is_empty()).then_some(s)
        };
        Some(ArrivalRecord {
            plate: Plate::parse(&self.plate.text()).ok()?,
            driver: opt(&self.driver),
            phone: if self.phone.is_empty() {
                None
            } else {
                Some(Phone::parse(&self.phone.text()).ok()?)
            },
            cargo: self.cargo,
            origin: opt(&self.origin),
            destination: opt(&self.destination),
            temperature: self.temperature(),
            code: self.code,
            travel_flag: self.travel,
            handoff_required: self.handoff_required,
            passengers: vec![],
            gate: None,
            venue_code: None,
        })
    }

    pub fn override_text(&self) -> Option<String> {
        self.needs_override.then(|| self.override_reason.text())
    }
}

fn cycle<T: Copy + PartialEq>(all: &[T], current: T, back: bool) -> T {
    let i = all.iter().position(|x| *x == current).unwrap_or(0);
    let n = all.len();
    all[if back { (i + n - 1) % n } else { (i + 1) % n }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn press(f: &mut ArrivalForm, code: KeyCode) {
        f.key(&KeyEvent::new(code, KeyModifiers::NONE));
    }

    fn typed(f: &mut ArrivalForm, s: &str) {
        for c in s.chars() {
            press(f, KeyCode::Char(c));
        }
    }

    #[test]
    fn validates_as_you_type() {
        let mut f = ArrivalForm::default();
        assert_eq!(f.problem(Field::Plate).unwrap().msg, Msg::ErrRequired);
        typed(&mut f, "晋D1234");
        assert_eq!(f.problem(Field::Plate).unwrap().msg, Msg::ErrPlateLength);
        typed(&mut f, "5");
        assert!(f.problem(Field::Plate).is_none());
        f.focus = Field::Temp;
        typed(&mut f, "45");
        assert_eq!(f.problem(Field::Temp).unwrap().msg, Msg::ErrTempRange);
        press(&mut f, KeyCode::Backspace);
        press(&mut f, KeyCode::Backspace);
        typed(&mut f, "38.1");
        assert!(f.problem(Field::Temp).is_none());
        assert_eq!(f.record().unwrap().plate.as_str(), "晋D12345");
    }

    #[test]
    fn choice_fields_take_one_letter_and_move_on() {
        let mut f = ArrivalForm {
            focus: Field::Code,
            ..ArrivalForm::default()
        };
        typed(&mut f, "y");
        assert_eq!((f.code, f.focus), (HealthCode::Yellow, Field::Cargo));
        typed(&mut f, "e");
        assert_eq!((f.cargo, f.focus), (Cargo::Emergency, Field::Driver));
    }

    #[test]
    fn override_field_appears_only_when_needed() {
        let mut f = ArrivalForm::default();
        assert!(!f.fields().any(|x| x == Field::Override));
        f.needs_override = true;
        assert!(f.fields().any(|x| x == Field::Override));
        typed(&mut f, "晋D12345");
        assert_eq!(f.first_problem().unwrap().0, Field::Override);
    }
}
