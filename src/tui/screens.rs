//! The state of each screen that can sit on top of the map. Each screen owns
//! its own small state type; `App` holds a stack of them.

use super::form::ArrivalForm;
use super::input::TextInput;
use crate::domain::bay::BayId;
use crate::domain::event::{HandoffMode, ServiceKind, TestKind, TestResult};
use crate::domain::plate::Plate;
use crate::domain::policy::{HealthCode, Temperature};
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

/// `/` search: typing filters the trucks on site by plate or driver's
/// name, the bays by id, and the trucks that left by plate.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Search {
    pub input: TextInput,
    pub hits: Vec<Hit>,
    pub selected: usize,
    /// The plates whose last stay has ended, read when search opens.
    pub departed: Vec<crate::store::DepartedPlate>,
}

/// One line of search results.
#[derive(Debug, Clone, PartialEq)]
pub enum Hit {
    /// A bay (with its truck, if any), as an index into the layout.
    Bay(usize),
    /// A truck that has left: shown, marked, but not on the map.
    Departed {
        plate: Plate,
        at: chrono::DateTime<chrono::Utc>,
    },
}

/// A final action waiting for Enter; names the plate and the bay.
#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    pub title: Msg,
    pub lines: Vec<String>,
    /// What stands in the way, shown in the alarm style (a departure's
    /// blockers).
    pub warnings: Vec<String>,
    pub then: Then,
}

/// What Enter on a confirmation does.
#[derive(Debug, Clone, PartialEq)]
pub enum Then {
    Run(Op),
    /// Ask for a line of text first (the reason to force a departure).
    Prompt {
        title: Msg,
        subject: String,
        next: PromptNext,
    },
    /// Nothing may be done from here: Enter closes it, like Esc.
    Close,
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
    /// The release's reason; who decided comes next.
    Release(Plate),
    ReleaseBy {
        plate: Plate,
        reason: String,
    },
    Escalate(Plate),
    CloseBay(BayId),
    /// A transfer's receiving vehicle, then its company.
    HandoffReceiver(Plate),
    HandoffCompany {
        plate: Plate,
        receiver: Plate,
    },
    /// An escort's escorting unit, then who authorised it (required when
    /// the truck is under isolation's authority).
    HandoffEscort {
        plate: Plate,
        under_isolation: bool,
    },
    HandoffBy {
        plate: Plate,
        escort: String,
        under_isolation: bool,
    },
    /// A new temperature of person `person`; the code comes next.
    RecheckTemp {
        plate: Plate,
        person: u8,
    },
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
    /// Data after the label (a person's number and name).
    pub detail: String,
    pub pick: MenuPick,
}

#[derive(Debug, Clone, PartialEq)]
pub enum MenuPick {
    Sample(Plate, TestKind),
    ResultFor(Plate, TestKind),
    Result(Plate, TestKind, TestResult),
    Service(Plate, ServiceKind),
    ServiceDone(Plate),
    /// A handoff mode; `bool`: the truck is under isolation's authority.
    HandoffMode(Plate, HandoffMode, bool),
    RecheckPerson(Plate, u8),
    RecheckCode(Plate, u8, Temperature, HealthCode),
    DisinfectBay(BayId),
    DisinfectZone(crate::domain::bay::Zone),
    QuitDiscard,
    /// Esc on a form with typed data: close it without arriving.
    DiscardForm,
    Stay,
}

/// A table screen's cursor and sort order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Board {
    pub selected: usize,
    pub sort: IsolationCol,
    pub reverse: bool,
}

/// The isolation board's columns, by which it sorts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum IsolationCol {
    #[default]
    Since,
    Plate,
    Bay,
    Reason,
    Tests,
    Next,
}

impl IsolationCol {
    pub const ALL: [IsolationCol; 6] = [
        IsolationCol::Since,
        IsolationCol::Plate,
        IsolationCol::Bay,
        IsolationCol::Reason,
        IsolationCol::Tests,
        IsolationCol::Next,
    ];

    pub fn next(self) -> IsolationCol {
        let i = IsolationCol::ALL
            .iter()
            .position(|c| *c == self)
            .unwrap_or(0);
        IsolationCol::ALL[(i + 1) % IsolationCol::ALL.len()]
    }
}
