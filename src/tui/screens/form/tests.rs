//! The form on its own: keys in, fields and validation out.

use super::*;
use crate::domain::policy::{Cargo, HealthCode};
use crate::tui::input::TextInput;
use crate::tui::keymap;
use crate::tui::keymap::Key;
use crossterm::event::KeyCode;

/// A key as the app gives it to the form: through the keymap, or as
/// text on a text field.
fn press(f: &mut ArrivalForm, code: KeyCode) {
    let key = Key { code, ctrl: false };
    match (keymap::lookup(f.mode(), key), code) {
        (Some(a), _) => {
            f.apply(a, key);
        }
        (None, KeyCode::Char(c)) => {
            f.insert_char(c);
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
