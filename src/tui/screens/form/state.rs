//! The arrival form's state: what has been typed and chosen, which field
//! has the focus, and what each key does to it.

use super::fields::{Field, PassengerInput, cycle};
use crate::domain::gate::ArrivalPlan;
use crate::domain::plate::{Plate, PlateError};
use crate::domain::policy::{Cargo, HealthCode, MAX_PEOPLE};
use crate::tui::input::TextInput;
use crate::tui::keymap::{Action, Key};
use crossterm::event::KeyCode;

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
    /// Where the arrival would go, asked of the rule the operation applies
    /// whenever the form or the lot changes (never per frame).
    pub plan: Option<ArrivalPlan>,
    /// What the store said of a plate typed: whether its last stay left
    /// with a positive result that still stands (`ops::positive_before`),
    /// which flags the arrival. The plan counts it for that plate only.
    pub history: Option<(Plate, bool)>,
    /// The plate last asked about (its answer may still be on its way).
    pub asked: Option<Plate>,
    /// A bay is being picked on the map for it (`Space`): the zone shown
    /// above a narrow form follows the cursor then, and only then; under
    /// any other dialog (the discard question) it stays on the suggestion.
    pub picking: bool,
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
            plan: None,
            history: None,
            asked: None,
            picking: false,
        }
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
    pub fn insert_char(&mut self, c: char) -> bool {
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
    pub fn apply(&mut self, action: Action, key: Key) -> bool {
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
        Plate::parse_typed(&self.plate.text(), self.province)
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
}
