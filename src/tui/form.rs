//! The arrival form: its fields, what each key does to them, and validation
//! as you type. Turning a valid form into an `ArrivalRecord` is here too; the
//! bay suggestion is the app's (it needs the lot).
//!
//! (Over 400 lines: one screen's fields, keys, validation and record, plus their tests — one idea.)

use crossterm::event::KeyCode;

use super::input::TextInput;
use super::keymap::{Action, Key, Mode};
use crate::domain::event::{ArrivalRecord, Passenger};
use crate::domain::phone::Phone;
use crate::domain::plate::{Plate, PlateError};
use crate::domain::policy::{
    Cargo, HealthCode, MAX_PEOPLE, PersonCheck, Temperature, TemperatureError,
};
use crate::domain::text::{self, TextError};
use crate::i18n::{Lang, Msg};

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

#[derive(Debug, Clone, PartialEq)]
pub struct ArrivalForm {
    pub focus: Field,
    pub plate: TextInput,
    pub temp: TextInput,
    /// The driver's code. Never preselected: someone has to look at it.
    pub code: Option<HealthCode>,
    /// Whether the venue code was scanned; asked, never assumed.
    pub venue: Option<bool>,
    pub cargo: Cargo,
    pub driver: TextInput,
    pub phone: TextInput,
    pub origin: TextInput,
    pub destination: TextInput,
    pub travel: bool,
    pub handoff_required: bool,
    /// The site's gates, and the one chosen (an index into `gates`).
    pub gates: Vec<String>,
    pub gate: usize,
    /// The gate the form opened with: changing it is typing data.
    pub first_gate: usize,
    /// The site's province, for a plate typed with its pinyin.
    pub province: char,
    pub passengers: Vec<PassengerInput>,
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
            code: None,
            venue: None,
            cargo: Cargo::Other,
            driver: TextInput::default(),
            phone: TextInput::default(),
            origin: TextInput::default(),
            destination: TextInput::default(),
            travel: false,
            handoff_required: false,
            gates: Vec::new(),
            gate: 0,
            first_gate: 0,
            province: crate::config::DEFAULT_PROVINCE,
            passengers: Vec::new(),
            picked: None,
            override_reason: TextInput::default(),
            needs_override: false,
        }
    }
}

pub fn plate_msg(e: &PlateError) -> Msg {
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

/// A required temperature: empty, not a number, or out of range.
pub fn temp_problem(t: &TextInput) -> Option<Msg> {
    if t.is_empty() {
        return Some(Msg::ErrRequired);
    }
    match Temperature::parse(&t.text()) {
        Ok(_) => None,
        Err(TemperatureError::NotANumber(_)) => Some(Msg::ErrTempNumber),
        Err(TemperatureError::OutOfRange(_)) => Some(Msg::ErrTempRange),
    }
}

impl ArrivalForm {
    /// A new form at the gate this terminal stands at.
    pub fn new(gates: &[String], gate: &str, province: char) -> ArrivalForm {
        let gate = gates.iter().position(|g| g == gate).unwrap_or(0);
        ArrivalForm {
            gates: gates.to_vec(),
            gate,
            first_gate: gate,
            province,
            ..ArrivalForm::default()
        }
    }

    /// The fields in the form now: the passengers' blocks, and the override
    /// only when it is needed.
    pub fn fields(&self) -> impl Iterator<Item = Field> + '_ {
        let people = (0..self.passengers.len()).flat_map(|n| {
            [
                Field::PName(n),
                Field::PPhone(n),
                Field::PTemp(n),
                Field::PCode(n),
            ]
        });
        Field::HEAD
            .into_iter()
            .filter(|f| *f != Field::Gate || !self.gates.is_empty())
            .chain(people)
            .chain([Field::Bay, Field::Override])
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

    /// Adds a passenger block and puts the cursor on its name. False when
    /// the cab is full (the driver and three passengers).
    pub fn add_passenger(&mut self) -> bool {
        if self.passengers.len() + 1 >= MAX_PEOPLE {
            return false;
        }
        self.passengers.push(PassengerInput::default());
        self.focus = Field::PName(self.passengers.len() - 1);
        true
    }

    /// Removes the last passenger block. False when there is none.
    pub fn remove_passenger(&mut self) -> bool {
        if self.passengers.pop().is_none() {
            return false;
        }
        let n = self.passengers.len();
        if self.focus.passenger().is_some_and(|p| p >= n) {
            self.focus = match n {
                0 if self.gates.is_empty() => Field::Handoff,
                0 => Field::Gate,
                n => Field::PCode(n - 1),
            };
        }
        true
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
            Field::PName(n) => &mut self.passengers.get_mut(n)?.name,
            Field::PPhone(n) => &mut self.passengers.get_mut(n)?.phone,
            Field::PTemp(n) => &mut self.passengers.get_mut(n)?.temp,
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
            Field::PName(n) => &self.passengers.get(n)?.name,
            Field::PPhone(n) => &self.passengers.get(n)?.phone,
            Field::PTemp(n) => &self.passengers.get(n)?.temp,
            _ => return None,
        })
    }

    /// The code of person `field` (the driver's for `Code`).
    fn code_mut(&mut self, field: Field) -> Option<&mut Option<HealthCode>> {
        match field {
            Field::Code => Some(&mut self.code),
            Field::PCode(n) => self.passengers.get_mut(n).map(|p| &mut p.code),
            _ => None,
        }
    }

    /// Which keys apply: the field in focus decides.
    pub fn mode(&self) -> Mode {
        match self.focus {
            Field::Code | Field::PCode(_) => Mode::FormCode,
            Field::Venue | Field::Travel | Field::Handoff => Mode::FormFlag,
            Field::Cargo => Mode::FormCargo,
            Field::Gate => Mode::FormGate,
            Field::Bay => Mode::FormBay,
            _ => Mode::Form,
        }
    }

    /// Whether anything has been typed or chosen: Esc then asks first.
    pub fn is_dirty(&self) -> bool {
        let texts = [
            &self.plate,
            &self.temp,
            &self.driver,
            &self.phone,
            &self.origin,
            &self.destination,
            &self.override_reason,
        ];
        texts.iter().any(|t| !t.is_empty())
            || self.code.is_some()
            || self.venue.is_some()
            || self.cargo != Cargo::Other
            || self.travel
            || self.handoff_required
            || !self.passengers.is_empty()
            || self.picked.is_some()
            || self.gate != self.first_gate
    }

    /// A printable character for the text field in focus. Returns true if
    /// it changed the form.
    pub fn insert(&mut self, c: char) -> bool {
        match self.input(self.focus) {
            Some(input) => {
                input.insert(c);
                true
            }
            None => false,
        }
    }

    /// A field-level action from the keymap (`Action::Choose` reads the
    /// digit of `key`). Returns true if it changed the form. Choice fields
    /// take one letter and move on, to save key presses.
    pub fn handle(&mut self, action: Action, key: Key) -> bool {
        let focus = self.focus;
        match action {
            Action::Edit(e) => match self.input(focus) {
                Some(input) => input.edit(e),
                None => return false,
            },
            Action::SetCode(c) => match self.code_mut(focus) {
                Some(code) => {
                    *code = Some(c);
                    self.next_field();
                }
                None => return false,
            },
            Action::SetCargo(c) => {
                self.cargo = c;
                self.next_field();
            }
            Action::SetFlag(v) => {
                self.set_flag(focus, v);
                self.next_field();
            }
            Action::ToggleFlag => {
                let v = !self.flag(focus).unwrap_or(false);
                self.set_flag(focus, v);
            }
            Action::ChoiceNext | Action::ChoicePrev => {
                let back = action == Action::ChoicePrev;
                if let Some(code) = self.code_mut(focus) {
                    *code = Some(match *code {
                        None => HealthCode::Green,
                        Some(c) => cycle(HealthCode::ALL, c, back),
                    });
                } else if focus == Field::Cargo {
                    self.cargo = cycle(Cargo::ALL, self.cargo, back);
                } else if focus == Field::Gate {
                    let n = self.gates.len().max(1);
                    self.gate = if back {
                        (self.gate + n - 1) % n
                    } else {
                        (self.gate + 1) % n
                    };
                } else {
                    return false;
                }
            }
            Action::Choose => {
                let n = match key.code {
                    KeyCode::Char(c) => c.to_digit(10).unwrap_or(0) as usize,
                    _ => 0,
                };
                if focus != Field::Gate || n == 0 || n > self.gates.len() {
                    return false;
                }
                self.gate = n - 1;
                self.next_field();
            }
            Action::NextField => self.next_field(),
            Action::PrevField => self.prev_field(),
            _ => return false,
        }
        true
    }

    /// The plate as typed, read as the gate types it: the province may be
    /// pinyin (`jinD12345`), the site's province deciding between two.
    pub fn plate_value(&self) -> Result<Plate, PlateError> {
        Plate::parse_loose(&self.plate.text(), self.province)
    }

    /// A yes/no field's value (`None`: the venue code not answered yet).
    pub fn flag(&self, f: Field) -> Option<bool> {
        match f {
            Field::Travel => Some(self.travel),
            Field::Handoff => Some(self.handoff_required),
            Field::Venue => self.venue,
            _ => None,
        }
    }

    fn set_flag(&mut self, f: Field, v: bool) {
        match f {
            Field::Travel => self.travel = v,
            Field::Handoff => self.handoff_required = v,
            Field::Venue => self.venue = Some(v),
            _ => {}
        }
    }

    /// A choice field's code, if it is one (`Some(None)`: not chosen yet).
    pub fn code_of(&self, f: Field) -> Option<Option<HealthCode>> {
        match f {
            Field::Code => Some(self.code),
            Field::PCode(n) => self.passengers.get(n).map(|p| p.code),
            _ => None,
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
        let phone = |t: &TextInput| {
            if t.is_empty() {
                None
            } else {
                Phone::parse(&t.text())
                    .err()
                    .map(|_| FieldError { msg: Msg::ErrPhone })
            }
        };
        match field {
            Field::Plate => self
                .plate_value()
                .err()
                .map(|e| FieldError { msg: plate_msg(&e) }),
            Field::Temp => temp_problem(&self.temp).map(|msg| FieldError { msg }),
            Field::Code if self.code.is_none() => err(Msg::ErrRequired),
            Field::Venue if self.venue.is_none() => err(Msg::ErrRequired),
            Field::Phone => phone(&self.phone),
            Field::Driver => opt_text("driver", &self.driver),
            Field::Origin => opt_text("origin", &self.origin),
            Field::Destination => opt_text("destination", &self.destination),
            Field::PName(n) => opt_text("name", &self.passengers.get(n)?.name),
            Field::PPhone(n) => phone(&self.passengers.get(n)?.phone),
            Field::PTemp(n) => {
                temp_problem(&self.passengers.get(n)?.temp).map(|msg| FieldError { msg })
            }
            Field::PCode(n) if self.passengers.get(n)?.code.is_none() => err(Msg::ErrRequired),
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

    /// What has been measured so far, driver first: the checks of a form
    /// that is not complete yet.
    pub fn people(&self) -> Vec<PersonCheck> {
        let mut v = vec![PersonCheck {
            temperature: self.temperature(),
            code: self.code,
        }];
        v.extend(self.passengers.iter().map(|p| PersonCheck {
            temperature: Temperature::parse(&p.temp.text()).ok(),
            code: p.code,
        }));
        v
    }

    /// The name of person `n` (0 = the driver), as typed.
    pub fn name_of(&self, n: u8) -> Option<String> {
        let t = match n {
            0 => &self.driver,
            n => &self.passengers.get(n as usize - 1)?.name,
        };
        let s = t.text().trim().to_string();
        (!s.is_empty()).then_some(s)
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
        let phone = |t: &TextInput| -> Result<Option<Phone>, ()> {
            if t.is_empty() {
                Ok(None)
            } else {
                Phone::parse(&t.text()).map(Some).map_err(|_| ())
            }
        };
        let mut passengers = Vec::new();
        for p in &self.passengers {
            passengers.push(Passenger {
                name: opt(&p.name),
                phone: phone(&p.phone).ok()?,
                temperature: Temperature::parse(&p.temp.text()).ok()?,
                code: p.code?,
            });
        }
        Some(ArrivalRecord {
            plate: self.plate_value().ok()?,
            driver: opt(&self.driver),
            phone: phone(&self.phone).ok()?,
            cargo: self.cargo,
            origin: opt(&self.origin),
            destination: opt(&self.destination),
            temperature: self.temperature(),
            code: self.code?,
            travel_flag: self.travel,
            handoff_required: self.handoff_required,
            passengers,
            gate: self.gates.get(self.gate).cloned(),
            venue_code: self.venue,
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
    use crate::tui::keymap;

    /// A key as the app gives it to the form: through the keymap, or as
    /// text on a text field.
    fn press(f: &mut ArrivalForm, code: KeyCode) {
        let key = Key { code, ctrl: false };
        match (keymap::lookup(f.mode(), key), code) {
            (Some(a), _) => {
                f.handle(a, key);
            }
            (None, KeyCode::Char(c)) => {
                f.insert(c);
            }
            _ => {}
        }
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
        // No code is preselected, and the venue code is asked.
        assert_eq!(f.first_problem().unwrap().0, Field::Code);
        assert!(f.record().is_none());
        f.focus = Field::Code;
        typed(&mut f, "gy");
        assert_eq!(f.record().unwrap().plate.as_str(), "晋D12345");
    }

    #[test]
    fn choice_fields_take_one_letter_and_move_on() {
        let mut f = ArrivalForm {
            focus: Field::Code,
            ..ArrivalForm::default()
        };
        typed(&mut f, "y");
        assert_eq!((f.code, f.focus), (Some(HealthCode::Yellow), Field::Venue));
        typed(&mut f, "n");
        assert_eq!((f.venue, f.focus), (Some(false), Field::Cargo));
        typed(&mut f, "e");
        assert_eq!((f.cargo, f.focus), (Cargo::Emergency, Field::Driver));
    }

    #[test]
    fn a_pinyin_province_is_read_as_the_gate_types_it() {
        let mut f = ArrivalForm::default();
        typed(&mut f, "jinD12345");
        assert!(f.problem(Field::Plate).is_none());
        assert_eq!(f.plate_value().unwrap().as_str(), "晋D12345");
        f.province = '津';
        assert_eq!(f.plate_value().unwrap().as_str(), "津D12345");
    }

    #[test]
    fn dirty_once_anything_is_typed_or_chosen() {
        let mut f = ArrivalForm::new(&["east".into(), "west".into()], "west", '晋');
        assert!(!f.is_dirty());
        f.focus = Field::Gate;
        press(&mut f, KeyCode::Char('1'));
        assert!(f.is_dirty());
        let mut f = ArrivalForm::default();
        typed(&mut f, "x");
        assert!(f.is_dirty());
    }

    #[test]
    fn override_field_appears_only_when_needed() {
        let mut f = ArrivalForm::default();
        assert!(!f.fields().any(|x| x == Field::Override));
        f.needs_override = true;
        assert!(f.fields().any(|x| x == Field::Override));
        typed(&mut f, "晋D12345");
        f.temp = TextInput::new("36.5");
        f.code = Some(HealthCode::Green);
        f.venue = Some(true);
        assert_eq!(f.first_problem().unwrap().0, Field::Override);
    }

    #[test]
    fn passengers_are_added_and_removed_and_each_is_checked() {
        let mut f = ArrivalForm::new(&["east".into(), "west".into()], "west", '晋');
        assert_eq!(f.gate, 1);
        for _ in 0..3 {
            assert!(f.add_passenger());
        }
        assert!(
            !f.add_passenger(),
            "the driver and three passengers at most"
        );
        assert_eq!(f.focus, Field::PName(2));
        assert!(f.remove_passenger());
        assert_eq!(f.focus, Field::PCode(1));
        assert_eq!(f.passengers.len(), 2);
        f.plate = TextInput::new("晋D12345");
        f.temp = TextInput::new("36.5");
        f.code = Some(HealthCode::Green);
        f.venue = Some(true);
        assert_eq!(f.first_problem().unwrap().0, Field::PTemp(0));
        f.focus = Field::PTemp(0);
        typed(&mut f, "38.5");
        press(&mut f, KeyCode::Tab);
        f.focus = Field::PCode(0);
        typed(&mut f, "g");
        f.passengers[1].temp = TextInput::new("36.6");
        f.passengers[1].code = Some(HealthCode::Green);
        let r = f.record().unwrap();
        assert_eq!(r.passengers.len(), 2);
        assert_eq!(r.gate.as_deref(), Some("west"));
        assert_eq!(r.venue_code, Some(true));
        assert!(r.people()[1].temperature.unwrap().celsius() > 38.0);
    }
}
