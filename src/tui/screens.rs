//! The state of each screen that can sit on top of the map. Each screen owns
//! its own small state type; `App` holds a stack of them.

use super::form::ArrivalForm;
use super::input::TextInput;
use crate::domain::bay::BayId;
use crate::domain::event::{HandoffMode, ServiceKind, TestKind, TestResult};
use crate::domain::plate::Plate;
use crate::i18n::Msg;
use crate::ops::Op;

#[derive(Debug, Clone, PartialEq)]
pub enum Screen {
    Form(ArrivalForm),
    PickBay(PickBay),
    Search(Search),
    Confirm(Confirm),
    Prompt(Prompt),
    Menu(Menu),
    Help,
    Clocks(Board),
    Isolation(Board),
}

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

/// `/` search: typing filters the trucks on site by plate.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Search {
    pub input: TextInput,
    /// Bay indices of matching trucks, in layout order.
    pub hits: Vec<usize>,
    pub selected: usize,
}

/// A final action waiting for Enter; names the plate and the bay.
#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    pub title: Msg,
    pub lines: Vec<String>,
    pub op: Op,
}

/// One line of text the next step needs (a reason, a note).
#[derive(Debug, Clone, PartialEq)]
pub struct Prompt {
    pub title: Msg,
    pub subject: String,
    pub input: TextInput,
    pub required: bool,
    pub next: PromptNext,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PromptNext {
    ForceDepart(Plate),
    Isolate(Plate),
    Release(Plate),
    Escalate(Plate),
    CloseBay(BayId),
    HandoffCounterpart { plate: Plate, mode: HandoffMode },
}

/// A one-key choice.
#[derive(Debug, Clone, PartialEq)]
pub struct Menu {
    pub title: Msg,
    pub subject: String,
    pub options: Vec<MenuOption>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MenuOption {
    pub key: char,
    pub label: Msg,
    pub pick: MenuPick,
}

#[derive(Debug, Clone, PartialEq)]
pub enum MenuPick {
    Sample(Plate, TestKind),
    ResultFor(Plate, TestKind),
    Result(Plate, TestKind, TestResult),
    Service(Plate, ServiceKind),
    ServiceDone(Plate),
    HandoffMode(Plate, HandoffMode),
    DisinfectBay(BayId),
    DisinfectZone(crate::domain::bay::Zone),
    QuitDiscard,
    Stay,
}

/// A table screen's cursor and sort order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Board {
    pub selected: usize,
    pub sort: usize,
    pub reverse: bool,
}
