//! Validation as you type, and turning a valid form into the
//! `ArrivalRecord` the arrival operation takes.

use super::ArrivalForm;
use super::fields::{Field, FieldError, temp_problem, text_msg};
use crate::domain::event::{ArrivalRecord, Passenger};
use crate::domain::phone::{Phone, PhoneError};
use crate::domain::policy::{PersonCheck, Temperature};
use crate::domain::text;
use crate::i18n::Msg;
use crate::tui::input::TextInput;

impl ArrivalForm {
    /// The field's problem, if any: shown beside it as you type.
    pub fn problem(&self, field: Field) -> Option<FieldError> {
        let err = |msg| Some(FieldError::new(msg));
        let opt_text = |name: &str, t: &TextInput| {
            text::clean(name, &t.text(), false)
                .err()
                .map(|e| FieldError::new(text_msg(&e)))
        };
        let phone = |t: &TextInput| {
            if t.is_empty() {
                None
            } else {
                Phone::parse(&t.text()).err().map(|e| match e {
                    PhoneError::Character { ch, .. } => FieldError::naming(Msg::ErrPhone, ch),
                    _ => FieldError::new(Msg::ErrPhone),
                })
            }
        };
        match field {
            Field::Plate => self.plate_value().err().map(FieldError::plate),
            Field::Temp => temp_problem(&self.temp).map(FieldError::new),
            Field::Code if self.code.is_none() => err(Msg::ErrRequired),
            Field::Venue if self.venue.is_none() => err(Msg::ErrRequired),
            Field::Phone => phone(&self.phone),
            Field::Driver => opt_text("driver", &self.driver),
            Field::Origin => opt_text("origin", &self.origin),
            Field::Destination => opt_text("destination", &self.destination),
            Field::PName(n) => opt_text("name", &self.passengers.get(n)?.name),
            Field::PPhone(n) => phone(&self.passengers.get(n)?.phone),
            Field::PTemp(n) => temp_problem(&self.passengers.get(n)?.temp).map(FieldError::new),
            Field::PCode(n) if self.passengers.get(n)?.code.is_none() => err(Msg::ErrRequired),
            Field::Override if self.needs_override => {
                text::clean("reason", &self.override_reason.text(), true)
                    .err()
                    .map(|e| FieldError::new(text_msg(&e)))
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
                temperature: Some(Temperature::parse(&p.temp.text()).ok()?),
                code: Some(p.code?),
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
            code: Some(self.code?),
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
