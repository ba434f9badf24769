//! Choosing a bay with the map cursor: for the arrival form below, or to
//! move a truck. The map moves under it; Enter takes a free bay.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::confirm::Confirm;
use super::{Cmd, Layer};
use crate::domain::plate::Plate;
use crate::i18n::Msg;
use crate::ops::Op;
use crate::tui::keymap::{Action, Key, Mode};
use crate::tui::shared::Shared;

/// Choosing a bay with the map cursor.
#[derive(Debug, Clone, PartialEq)]
pub struct PickBay {
    pub purpose: PickPurpose,
    /// Where the cursor was, to go back to on Esc.
    pub from_cursor: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PickPurpose {
    /// For the arrival form below on the stack.
    Arrival,
    Move {
        plate: Plate,
    },
}

impl Layer for PickBay {
    fn mode(&self) -> Mode {
        Mode::PickBay
    }

    fn handle(&mut self, action: Action, _key: Key, sh: &Shared) -> Vec<Cmd> {
        match action {
            Action::Back => vec![Cmd::Cursor(self.from_cursor), Cmd::Pop],
            Action::Confirm => {
                let target = sh.cursor;
                if !sh.is_free(target) {
                    return vec![Cmd::error(sh.t(Msg::PickFreeBay))];
                }
                match &self.purpose {
                    PickPurpose::Arrival => {
                        vec![Cmd::Pop, Cmd::Cursor(self.from_cursor), Cmd::Picked(target)]
                    }
                    PickPurpose::Move { plate } => {
                        let to = sh.layout.bays[target].id.clone();
                        let from = sh.layout.bays[self.from_cursor].id.clone();
                        vec![
                            Cmd::Pop,
                            Confirm::push(
                                Msg::ConfirmMove,
                                vec![format!("{plate}   {from} → {to}")],
                                Op::Move {
                                    plate: plate.clone(),
                                    to,
                                },
                            ),
                        ]
                    }
                }
            }
            a => vec![Cmd::Navigate(a)],
        }
    }

    /// The map is drawn under it; the footer says what the pick is for.
    fn render(&self, _sh: &Shared, _f: &mut Frame, _area: Rect, _top: bool) {}

    fn hint(&self, sh: &Shared) -> Option<String> {
        Some(match &self.purpose {
            PickPurpose::Arrival => sh.t(Msg::HintPickArrival).to_string(),
            PickPurpose::Move { plate } => format!("{} {plate}", sh.t(Msg::HintPickMove)),
        })
    }
}
