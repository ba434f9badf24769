//! The screens that sit on the map: each is one file with its own state,
//! `handle` (an action in, `Cmd`s out) and `render` (from its own state and
//! the shared data). The app keeps them on a stack and carries out their
//! `Cmd`s; no screen knows the app.
//!
//! Adding a screen: a new file implementing `Layer`, and one line in
//! `screens!` below.

pub mod clocks;
pub mod confirm;
pub mod event_log;
pub mod form;
pub mod help;
pub mod isolation;
pub mod map;
pub mod menu;
pub mod past;
pub mod pick_bay;
pub mod planned;
pub mod prompt;
pub mod report;
pub mod search;
pub mod stay;

use ratatui::Frame;
use ratatui::layout::Rect;

use super::keymap::{Action, Key, Mode};
use super::shared::Shared;
use crate::domain::bay::Zone;
use crate::domain::event::StayId;
use crate::domain::plate::Plate;
use crate::i18n::Msg;
use crate::ops::Op;

pub use self::clocks::ClocksBoard;
pub use self::confirm::{Confirm, Then};
pub use self::event_log::EventLog;
pub use self::form::ArrivalForm;
pub use self::help::Help;
pub use self::isolation::{IsolationBoard, IsolationCol};
pub use self::menu::{Menu, MenuOption, MenuPick};
pub use self::past::PastView;
pub use self::pick_bay::{PickBay, PickPurpose};
pub use self::planned::Planned;
pub use self::prompt::{Prompt, PromptNext};
pub use self::report::ReportScreen;
pub use self::search::{Hit, Search};
pub use self::stay::StayCard;

/// Work for the event loop: what needs the store.
// A handful per key press, consumed at once: boxing the operation would buy
// nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Run(Op),
    LoadDetail(StayId),
    /// Read the trucks that left, for search (`App::set_departed`).
    LoadDeparted,
    /// Ask what stands between this truck and the gate out, then show the
    /// departure confirmation (`App::departure_checked`).
    DepartureCheck(Plate),
    /// Ask whether the plate's last stay left with a positive result that
    /// still stands, which flags its arrival (`App::positive_before_known`).
    PositiveBefore(Plate),
    /// Ask the rules whether the truck can be escalated (reported up), then
    /// ask for the note, or say why not (`App::escalation_checked`).
    EscalationCheck(Plate),
    /// Ask which action of this operator an undo would take back, then
    /// confirm it by name (`App::undo_checked`).
    UndoCheck,
    /// `name` is at the keyboard from now on: every event is recorded in
    /// that name, and the terminal remembers it (`App::signed_in`).
    SignIn(String),
    /// Ask the rules for the stay's state (`ops::stay_state`), then go on
    /// with the map's `action` for it (`App::stay_loaded`): which tests can
    /// be sampled or have a result, whether a handoff is under isolation.
    LoadStay {
        plate: Plate,
        action: Action,
    },
    /// Ask which bay of `zone` the operation would give the truck
    /// (`ops::suggested_bay`), then confirm `then` naming it
    /// (`App::bay_suggested`). `taken`: why the bay offered before could
    /// not be given (another terminal took or closed it meanwhile), said
    /// on the confirmation.
    SuggestBay {
        plate: Plate,
        zone: Zone,
        then: Planned,
        taken: Option<crate::ops::Refusal>,
    },
    /// A page of the event log (`App::log_loaded`): `limit` events older
    /// than `before` (the newest without), filtered.
    LoadLog {
        filters: event_log::Filters,
        before: Option<i64>,
        limit: usize,
    },
    /// A stay's record, shown over the map (`App::stay_shown`).
    ShowStay(StayId),
    /// The lot at a past moment (`App::past_loaded`).
    LoadPast(chrono::DateTime<chrono::Utc>),
    /// The report of a window (`App::report_loaded`).
    LoadReport {
        from: chrono::DateTime<chrono::Utc>,
        to: chrono::DateTime<chrono::Utc>,
        /// The window ends now (the shift under way).
        ends_now: bool,
    },
    Quit,
}

/// What a screen asks of the app after handling a key.
#[derive(Debug, Clone, PartialEq)]
pub enum Cmd {
    /// Close the screen on top.
    Pop,
    Push(Screen),
    /// Close the arrival form and any bay pick for it.
    CloseForm,
    Effect(Effect),
    Toast(String, bool),
    /// Put the map cursor on this bay.
    Cursor(usize),
    /// Move the map cursor by a navigation action.
    Navigate(Action),
    /// The map's action for the truck or bay under the cursor.
    Map(Action),
    /// A bay was picked for the screen now on top (the form).
    Picked(usize),
    /// The key means nothing here: say so on the status line.
    NotAKey(Key),
    /// Back from a past moment to the lot as it is now.
    Present,
    Quit,
}

impl Cmd {
    pub fn run(op: Op) -> Cmd {
        Cmd::Effect(Effect::Run(op))
    }

    pub fn error(text: impl Into<String>) -> Cmd {
        Cmd::Toast(text.into(), true)
    }
}

/// One screen on the stack.
pub trait Layer {
    /// Which bindings of the keymap apply.
    fn mode(&self) -> Mode;

    /// An action from the keymap, with the key that brought it.
    fn handle(&mut self, action: Action, key: Key, sh: &Shared) -> Vec<Cmd>;

    /// A printable character, in a mode that takes text.
    fn insert(&mut self, _c: char, _sh: &Shared) -> Vec<Cmd> {
        Vec::new()
    }

    /// The shared data changed (a new snapshot, the time): recompute what
    /// is derived from it.
    fn refresh(&mut self, _sh: &Shared) {}

    /// A bay was picked on the map for this screen.
    fn picked(&mut self, _bay: usize, _sh: &Shared) {}

    /// Draws the screen into `area` (the body between the status line and
    /// the footer); `top`: it has the keyboard.
    fn render(&self, sh: &Shared, f: &mut Frame, area: Rect, top: bool);

    /// Whether it takes the map's place (the boards) instead of drawing over it.
    fn replaces_map(&self) -> bool {
        false
    }

    /// A bay to mark on the map (the form's suggestion).
    fn marked_bay(&self) -> Option<usize> {
        None
    }

    /// A line before the footer's keys (what a bay is picked for).
    fn hint(&self, _sh: &Shared) -> Option<String> {
        None
    }

    /// What a key of this screen's mode does here now, when that is not
    /// the table's word for it: the footer says this instead (a notice's
    /// Enter only closes it). The key stays the table's.
    fn key_help(&self, _action: Action) -> Option<Msg> {
        None
    }

    /// A key of this screen's mode that can do nothing here now (a board
    /// at a past moment is read only): the footer leaves it out; the help
    /// still lists it, and pressing it says why not.
    fn inert(&self, _action: Action, _sh: &Shared) -> bool {
        false
    }
}

/// The list of screens: one line each.
macro_rules! screens {
    ($($name:ident($ty:ty),)*) => {
        /// A screen on the stack.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Screen {
            $($name($ty),)*
        }

        impl Layer for Screen {
            fn mode(&self) -> Mode {
                match self { $(Screen::$name(s) => s.mode(),)* }
            }
            fn handle(&mut self, action: Action, key: Key, sh: &Shared) -> Vec<Cmd> {
                match self { $(Screen::$name(s) => s.handle(action, key, sh),)* }
            }
            fn insert(&mut self, c: char, sh: &Shared) -> Vec<Cmd> {
                match self { $(Screen::$name(s) => s.insert(c, sh),)* }
            }
            fn refresh(&mut self, sh: &Shared) {
                match self { $(Screen::$name(s) => s.refresh(sh),)* }
            }
            fn picked(&mut self, bay: usize, sh: &Shared) {
                match self { $(Screen::$name(s) => s.picked(bay, sh),)* }
            }
            fn render(&self, sh: &Shared, f: &mut Frame, area: Rect, top: bool) {
                match self { $(Screen::$name(s) => s.render(sh, f, area, top),)* }
            }
            fn replaces_map(&self) -> bool {
                match self { $(Screen::$name(s) => s.replaces_map(),)* }
            }
            fn marked_bay(&self) -> Option<usize> {
                match self { $(Screen::$name(s) => s.marked_bay(),)* }
            }
            fn hint(&self, sh: &Shared) -> Option<String> {
                match self { $(Screen::$name(s) => s.hint(sh),)* }
            }
            fn key_help(&self, action: Action) -> Option<Msg> {
                match self { $(Screen::$name(s) => s.key_help(action),)* }
            }
            fn inert(&self, action: Action, sh: &Shared) -> bool {
                match self { $(Screen::$name(s) => s.inert(action, sh),)* }
            }
        }
    };
}

screens! {
    Form(ArrivalForm),
    PickBay(PickBay),
    Search(Search),
    Confirm(Confirm),
    Prompt(Prompt),
    Menu(Menu),
    Help(Help),
    Clocks(ClocksBoard),
    Isolation(IsolationBoard),
    Log(Box<EventLog>),
    Past(PastView),
    Report(Box<ReportScreen>),
    Stay(Box<StayCard>),
}

/// The rows a board's PgUp/PgDn moves by: the screen's height less the
/// title, the header and the footer lines.
pub(crate) fn board_page(sh: &Shared) -> usize {
    usize::from(sh.viewport.1.saturating_sub(6)).clamp(1, 40)
}
