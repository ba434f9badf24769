//! The one table of key bindings. The key handler, the `?` help, the footer
//! and the README's key list are all read from `BINDINGS`, so they cannot
//! drift apart.
//!
//! Every key of every screen is here: the form's choice letters, the menus'
//! letters, the text-editing keys. Text-entry screens (the arrival form's
//! text fields, search, prompts) bind only special keys; printable
//! characters there go to the text field, and `F1` is their help (`?` is a
//! character there).
//!
//! (Over 400 lines: the table is one line per binding for every screen, and its tests.)

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::screens::IsolationCol;
use crate::domain::policy::{Cargo, HealthCode};
use crate::i18n::Msg;

/// Which screen is on top, for choosing bindings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    Map,
    /// The arrival form, on a text field.
    Form,
    /// The arrival form, on a health-code choice.
    FormCode,
    /// The arrival form, on a yes/no field.
    FormFlag,
    FormCargo,
    FormGate,
    /// The arrival form, on the bay.
    FormBay,
    PickBay,
    Search,
    Confirm,
    Prompt,
    Menu,
    Help,
    Clocks,
    Isolation,
    /// The event log.
    Log,
    /// The event log's filter bar, a field in focus.
    LogFilter,
    /// The map as it was at a past moment, read only.
    Past,
    Report,
    /// A stay's record (a truck that left), from the log.
    Stay,
}

impl Mode {
    pub const ALL: [Mode; 20] = [
        Mode::Map,
        Mode::Form,
        Mode::FormCode,
        Mode::FormFlag,
        Mode::FormCargo,
        Mode::FormGate,
        Mode::FormBay,
        Mode::PickBay,
        Mode::Search,
        Mode::Confirm,
        Mode::Prompt,
        Mode::Menu,
        Mode::Help,
        Mode::Clocks,
        Mode::Isolation,
        Mode::Log,
        Mode::LogFilter,
        Mode::Past,
        Mode::Report,
        Mode::Stay,
    ];

    /// One of the arrival form's modes.
    pub fn is_form(self) -> bool {
        FORM.contains(&self)
    }

    /// Printable characters go to a text field in these modes.
    pub fn takes_text(self) -> bool {
        matches!(
            self,
            Mode::Form | Mode::Search | Mode::Prompt | Mode::LogFilter
        )
    }

    pub fn title(self) -> Msg {
        match self {
            Mode::Map => Msg::ModeMap,
            Mode::Form => Msg::ModeForm,
            Mode::FormCode => Msg::ModeFormCode,
            Mode::FormFlag => Msg::ModeFormFlag,
            Mode::FormCargo => Msg::ModeFormCargo,
            Mode::FormGate => Msg::ModeFormGate,
            Mode::FormBay => Msg::ModeFormBay,
            Mode::PickBay => Msg::ModePickBay,
            Mode::Search => Msg::ModeSearch,
            Mode::Confirm => Msg::ModeConfirm,
            Mode::Prompt => Msg::ModePrompt,
            Mode::Menu => Msg::ModeMenu,
            Mode::Help => Msg::ModeHelp,
            Mode::Clocks => Msg::ModeClocks,
            Mode::Isolation => Msg::ModeIsolation,
            Mode::Log => Msg::ModeLog,
            Mode::LogFilter => Msg::ModeLogFilter,
            Mode::Past => Msg::ModePast,
            Mode::Report => Msg::ModeReport,
            Mode::Stay => Msg::ModeStay,
        }
    }
}

/// What a key asks for. `App::update` gives each its meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Up,
    Down,
    Left,
    Right,
    RowStart,
    RowEnd,
    NextZone,
    PrevZone,
    Zone(usize),
    Arrive,
    Move,
    Depart,
    Sample,
    Result,
    Isolate,
    Release,
    Escalate,
    Handoff,
    Service,
    Disinfect,
    CloseOpen,
    Search,
    Clocks,
    IsolationBoard,
    Help,
    Quit,
    ForceQuit,
    Back,
    Confirm,
    NextField,
    PrevField,
    SortNext,
    SortReverse,
    SortBy(IsolationCol),
    Jump,
    /// The arrival form: another person in the cab, or one fewer.
    AddPerson,
    RemovePerson,
    /// Measure someone in the cab again.
    Recheck,
    Correct,
    /// The clocks board: the selected handoff arrived at its destination.
    HandoffArrived,
    /// The form's choice fields.
    SetCode(HealthCode),
    SetCargo(Cargo),
    SetFlag(bool),
    ToggleFlag,
    ChoiceNext,
    ChoicePrev,
    /// The bay field: pick another bay on the map.
    PickOnMap,
    /// A menu's option (or the form's gate) by the key pressed: the key
    /// itself says which.
    Choose,
    /// Editing the text field in focus.
    Edit(Edit),
    /// The event log, the lot at a past moment, the shift report.
    Log,
    Past,
    Report,
    /// Take back this operator's last action (after a confirmation naming it).
    Undo,
    /// Say who is at the keyboard (the events' operator from now on).
    SignIn,
    /// The log: the next page (older events), the page before (newer).
    Older,
    Newer,
    /// The log: edit the filter; clear it.
    Filter,
    ClearFilters,
    /// The lot at a past moment: an hour back or on; type a moment.
    HourBack,
    HourForward,
    TypeTime,
    /// The shift report: the shift before, the one after.
    ShiftPrev,
    ShiftNext,
    /// A key that acts on the lot, pressed where nothing may be done (the
    /// lot at a past moment): says why not.
    ReadOnly,
}

/// What a text-editing key does to the field in focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    Backspace,
    Delete,
    Left,
    Right,
    Home,
    End,
    /// Ctrl-W: the word before the cursor.
    WordBack,
    /// Ctrl-U: the whole text.
    Line,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

const fn k(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: false,
    }
}

const fn code(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: true,
    }
}

impl Key {
    pub fn from_event(e: &KeyEvent) -> Key {
        let code = match e.code {
            // Shift-Tab arrives as BackTab on most terminals; normalise.
            KeyCode::Tab if e.modifiers.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
            c => c,
        };
        Key {
            code,
            ctrl: e.modifiers.contains(KeyModifiers::CONTROL),
        }
    }

    /// How the key is written in the README (English).
    pub fn label(&self) -> String {
        self.label_in(crate::i18n::Lang::En)
    }

    /// How the key is written in help and the footer: key names as printed
    /// on the keyboard, but the space bar in the interface language.
    pub fn label_in(&self, lang: crate::i18n::Lang) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => Msg::KeySpaceBar.text(lang).to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "S-Tab".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::F(n) => format!("F{n}"),
            KeyCode::Backspace => "Backspace".into(),
            KeyCode::Delete => "Del".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            other => format!("{other:?}"),
        };
        if self.ctrl {
            format!("Ctrl-{base}")
        } else {
            base
        }
    }
}

/// One binding: in `modes`, any of `keys` means `action`.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub modes: &'static [Mode],
    pub keys: &'static [Key],
    pub action: Action,
    pub help: Msg,
    /// Shown in the footer of those modes.
    pub footer: bool,
}

use Mode as M;

const MAPS: &[Mode] = &[M::Map, M::PickBay, M::Past];
const BOARDS: &[Mode] = &[M::Clocks, M::Isolation];
/// Screens that read, in rows or lines.
const READERS: &[Mode] = &[M::Log, M::Report, M::Stay];
/// Every mode of the arrival form.
const FORM: &[Mode] = &[
    M::Form,
    M::FormCode,
    M::FormFlag,
    M::FormCargo,
    M::FormGate,
    M::FormBay,
];
/// Where a text field takes the keys.
const TEXT: &[Mode] = &[M::Form, M::Search, M::Prompt, M::LogFilter];
/// Where `?` is not a character.
const NOT_TEXT: &[Mode] = &[
    M::Map,
    M::FormCode,
    M::FormFlag,
    M::FormCargo,
    M::FormGate,
    M::FormBay,
    M::PickBay,
    M::Confirm,
    M::Menu,
    M::Help,
    M::Clocks,
    M::Isolation,
    M::Log,
    M::Past,
    M::Report,
    M::Stay,
];
/// Choice fields that cycle with Space and the arrows.
const CHOICES: &[Mode] = &[M::FormCode, M::FormCargo, M::FormGate];
/// Every letter a one-key menu uses (each menu shows its own).
const MENU_KEYS: &[Key] = &[
    k('a'),
    k('b'),
    k('c'),
    k('d'),
    k('e'),
    k('g'),
    k('h'),
    k('i'),
    k('m'),
    k('n'),
    k('o'),
    k('p'),
    k('r'),
    k('t'),
    k('w'),
    k('y'),
    k('z'),
    k('1'),
    k('2'),
    k('3'),
];
/// Every key that acts on the lot from the map: at a past moment each
/// says why nothing can be done.
const ACTION_KEYS: &[Key] = &[
    k('a'),
    k('/'),
    k('m'),
    k('d'),
    k('s'),
    k('r'),
    k('x'),
    k('u'),
    k('e'),
    k('p'),
    k('T'),
    k('E'),
    k('U'),
    k('v'),
    k('D'),
    k('C'),
    k('c'),
    k('L'),
    k('R'),
];
const GATE_KEYS: &[Key] = &[
    k('1'),
    k('2'),
    k('3'),
    k('4'),
    k('5'),
    k('6'),
    k('7'),
    k('8'),
    k('9'),
];

// One binding per line: this is a table, and reads best as one.
#[rustfmt::skip]
pub static BINDINGS: &[Binding] = &[
    // Moving over the map (and picking a bay).
    Binding { modes: MAPS, keys: &[code(KeyCode::Up), k('k')], action: Action::Up, help: Msg::KeyUp, footer: false },
    Binding { modes: MAPS, keys: &[code(KeyCode::Down), k('j')], action: Action::Down, help: Msg::KeyDown, footer: false },
    Binding { modes: MAPS, keys: &[code(KeyCode::Left), k('h')], action: Action::Left, help: Msg::KeyLeft, footer: false },
    Binding { modes: MAPS, keys: &[code(KeyCode::Right), k('l')], action: Action::Right, help: Msg::KeyRight, footer: false },
    Binding { modes: MAPS, keys: &[code(KeyCode::Home), k('0')], action: Action::RowStart, help: Msg::KeyRowStart, footer: false },
    Binding { modes: MAPS, keys: &[code(KeyCode::End), k('$')], action: Action::RowEnd, help: Msg::KeyRowEnd, footer: false },
    Binding { modes: MAPS, keys: &[code(KeyCode::Tab)], action: Action::NextZone, help: Msg::KeyNextZone, footer: false },
    Binding { modes: MAPS, keys: &[code(KeyCode::BackTab)], action: Action::PrevZone, help: Msg::KeyPrevZone, footer: false },
    Binding { modes: MAPS, keys: &[k('1')], action: Action::Zone(0), help: Msg::KeyZoneWork, footer: false },
    Binding { modes: MAPS, keys: &[k('2')], action: Action::Zone(1), help: Msg::KeyZoneLiving, footer: false },
    Binding { modes: MAPS, keys: &[k('3')], action: Action::Zone(2), help: Msg::KeyZoneParking, footer: false },
    Binding { modes: MAPS, keys: &[k('4')], action: Action::Zone(3), help: Msg::KeyZoneIsolation, footer: false },
    Binding { modes: MAPS, keys: &[k('5')], action: Action::Zone(4), help: Msg::KeyZoneHandoff, footer: false },
    // Gate work on the map.
    Binding { modes: &[M::Map], keys: &[k('a')], action: Action::Arrive, help: Msg::KeyArrive, footer: true },
    Binding { modes: &[M::Map], keys: &[k('/')], action: Action::Search, help: Msg::KeySearch, footer: true },
    Binding { modes: &[M::Map], keys: &[k('m')], action: Action::Move, help: Msg::KeyMove, footer: true },
    Binding { modes: &[M::Map], keys: &[k('d')], action: Action::Depart, help: Msg::KeyDepart, footer: true },
    Binding { modes: &[M::Map], keys: &[k('s')], action: Action::Sample, help: Msg::KeySample, footer: true },
    Binding { modes: &[M::Map], keys: &[k('r')], action: Action::Result, help: Msg::KeyResult, footer: true },
    Binding { modes: &[M::Map], keys: &[k('x')], action: Action::Isolate, help: Msg::KeyIsolate, footer: false },
    Binding { modes: &[M::Map], keys: &[k('u')], action: Action::Release, help: Msg::KeyRelease, footer: false },
    Binding { modes: &[M::Map], keys: &[k('e')], action: Action::Escalate, help: Msg::KeyEscalate, footer: false },
    Binding { modes: &[M::Map, M::Isolation], keys: &[k('p')], action: Action::Handoff, help: Msg::KeyHandoff, footer: false },
    Binding { modes: &[M::Map], keys: &[k('T')], action: Action::Recheck, help: Msg::KeyRecheck, footer: false },
    Binding { modes: &[M::Map], keys: &[k('E')], action: Action::Correct, help: Msg::KeyCorrect, footer: false },
    Binding { modes: &[M::Map], keys: &[k('v')], action: Action::Service, help: Msg::KeyService, footer: false },
    Binding { modes: &[M::Map], keys: &[k('D')], action: Action::Disinfect, help: Msg::KeyDisinfect, footer: false },
    Binding { modes: &[M::Map], keys: &[k('C')], action: Action::CloseOpen, help: Msg::KeyCloseOpen, footer: false },
    Binding { modes: &[M::Map], keys: &[k('c')], action: Action::Clocks, help: Msg::KeyClocks, footer: true },
    Binding { modes: &[M::Map, M::Clocks], keys: &[k('i')], action: Action::IsolationBoard, help: Msg::KeyIsolationBoard, footer: true },
    Binding { modes: &[M::Map], keys: &[k('L')], action: Action::Log, help: Msg::KeyLog, footer: false },
    Binding { modes: &[M::Map], keys: &[k('t')], action: Action::Past, help: Msg::KeyPast, footer: false },
    Binding { modes: &[M::Map], keys: &[k('R')], action: Action::Report, help: Msg::KeyReport, footer: false },
    Binding { modes: &[M::Map], keys: &[k('U')], action: Action::Undo, help: Msg::KeyUndo, footer: false },
    Binding { modes: &[M::Map], keys: &[k('O')], action: Action::SignIn, help: Msg::KeySignIn, footer: false },
    // The lot at a past moment: read only.
    Binding { modes: &[M::Past], keys: &[k('[')], action: Action::HourBack, help: Msg::KeyHourBack, footer: true },
    Binding { modes: &[M::Past], keys: &[k(']')], action: Action::HourForward, help: Msg::KeyHourForward, footer: true },
    Binding { modes: &[M::Past], keys: &[k('t')], action: Action::TypeTime, help: Msg::KeyTypeTime, footer: true },
    Binding { modes: &[M::Past], keys: &[k('i')], action: Action::IsolationBoard, help: Msg::KeyIsolationThen, footer: true },
    Binding { modes: &[M::Past], keys: ACTION_KEYS, action: Action::ReadOnly, help: Msg::KeyReadOnly, footer: false },
    // The event log.
    Binding { modes: READERS, keys: &[code(KeyCode::Up), k('k')], action: Action::Up, help: Msg::KeyScrollUp, footer: false },
    Binding { modes: READERS, keys: &[code(KeyCode::Down), k('j')], action: Action::Down, help: Msg::KeyScrollDown, footer: false },
    Binding { modes: &[M::Log], keys: &[code(KeyCode::PageDown)], action: Action::Older, help: Msg::KeyOlder, footer: true },
    Binding { modes: &[M::Log], keys: &[code(KeyCode::PageUp)], action: Action::Newer, help: Msg::KeyNewer, footer: true },
    Binding { modes: &[M::Log], keys: &[code(KeyCode::Enter)], action: Action::Jump, help: Msg::KeyShowEvent, footer: true },
    Binding { modes: &[M::Log], keys: &[k('f'), k('/')], action: Action::Filter, help: Msg::KeyFilter, footer: true },
    Binding { modes: &[M::Log], keys: &[k('x')], action: Action::ClearFilters, help: Msg::KeyClearFilters, footer: false },
    Binding { modes: &[M::LogFilter], keys: &[code(KeyCode::Tab), code(KeyCode::Down)], action: Action::NextField, help: Msg::KeyNextField, footer: true },
    Binding { modes: &[M::LogFilter], keys: &[code(KeyCode::BackTab), code(KeyCode::Up)], action: Action::PrevField, help: Msg::KeyPrevField, footer: false },
    Binding { modes: &[M::LogFilter], keys: &[code(KeyCode::Enter)], action: Action::Confirm, help: Msg::KeyApplyFilter, footer: true },
    // The shift report.
    Binding { modes: &[M::Report], keys: &[code(KeyCode::PageUp)], action: Action::Newer, help: Msg::KeyPageUp, footer: false },
    Binding { modes: &[M::Report], keys: &[code(KeyCode::PageDown)], action: Action::Older, help: Msg::KeyPageDown, footer: false },
    Binding { modes: &[M::Report], keys: &[k('[')], action: Action::ShiftPrev, help: Msg::KeyShiftPrev, footer: true },
    Binding { modes: &[M::Report], keys: &[k(']')], action: Action::ShiftNext, help: Msg::KeyShiftNext, footer: true },
    // Boards. The shift lead's decisions come first in their footers: a
    // board is where the case that needs one is found.
    Binding { modes: &[M::Isolation], keys: &[k('u')], action: Action::Release, help: Msg::KeyRelease, footer: true },
    Binding { modes: BOARDS, keys: &[k('e')], action: Action::Escalate, help: Msg::KeyEscalate, footer: true },
    Binding { modes: BOARDS, keys: &[code(KeyCode::Up), k('k')], action: Action::Up, help: Msg::KeyRowUp, footer: false },
    Binding { modes: BOARDS, keys: &[code(KeyCode::Down), k('j')], action: Action::Down, help: Msg::KeyRowDown, footer: false },
    Binding { modes: BOARDS, keys: &[code(KeyCode::Enter)], action: Action::Jump, help: Msg::KeyJump, footer: true },
    Binding { modes: &[M::Isolation], keys: &[k('c')], action: Action::Clocks, help: Msg::KeyClocks, footer: true },
    Binding { modes: &[M::Clocks], keys: &[k('a')], action: Action::HandoffArrived, help: Msg::KeyHandoffArrived, footer: true },
    // A demo's clocks run to a hundred rows: a page at a time.
    Binding { modes: BOARDS, keys: &[code(KeyCode::PageUp)], action: Action::Newer, help: Msg::KeyPageUp, footer: false },
    Binding { modes: BOARDS, keys: &[code(KeyCode::PageDown)], action: Action::Older, help: Msg::KeyPageDown, footer: false },
    Binding { modes: &[M::Isolation], keys: &[k('s'), code(KeyCode::Tab)], action: Action::SortNext, help: Msg::KeySortNext, footer: true },
    Binding { modes: &[M::Isolation], keys: &[k('S')], action: Action::SortReverse, help: Msg::KeySortReverse, footer: true },
    Binding { modes: &[M::Isolation], keys: &[k('1')], action: Action::SortBy(IsolationCol::Since), help: Msg::KeySortSince, footer: false },
    Binding { modes: &[M::Isolation], keys: &[k('2')], action: Action::SortBy(IsolationCol::Plate), help: Msg::KeySortPlate, footer: false },
    Binding { modes: &[M::Isolation], keys: &[k('3')], action: Action::SortBy(IsolationCol::Bay), help: Msg::KeySortBay, footer: false },
    Binding { modes: &[M::Isolation], keys: &[k('4')], action: Action::SortBy(IsolationCol::Reason), help: Msg::KeySortReason, footer: false },
    Binding { modes: &[M::Isolation], keys: &[k('5')], action: Action::SortBy(IsolationCol::Tests), help: Msg::KeySortTests, footer: false },
    Binding { modes: &[M::Isolation], keys: &[k('6')], action: Action::SortBy(IsolationCol::Next), help: Msg::KeySortNextAction, footer: false },
    // The arrival form.
    Binding { modes: FORM, keys: &[code(KeyCode::Tab), code(KeyCode::Down)], action: Action::NextField, help: Msg::KeyNextField, footer: true },
    Binding { modes: FORM, keys: &[code(KeyCode::BackTab), code(KeyCode::Up)], action: Action::PrevField, help: Msg::KeyPrevField, footer: false },
    Binding { modes: &[M::FormCode], keys: &[k('g')], action: Action::SetCode(HealthCode::Green), help: Msg::KeyCodeGreen, footer: true },
    Binding { modes: &[M::FormCode], keys: &[k('y')], action: Action::SetCode(HealthCode::Yellow), help: Msg::KeyCodeYellow, footer: true },
    Binding { modes: &[M::FormCode], keys: &[k('r')], action: Action::SetCode(HealthCode::Red), help: Msg::KeyCodeRed, footer: true },
    Binding { modes: &[M::FormCargo], keys: &[k('e')], action: Action::SetCargo(Cargo::Emergency), help: Msg::KeyCargoEmergency, footer: false },
    Binding { modes: &[M::FormCargo], keys: &[k('l')], action: Action::SetCargo(Cargo::Living), help: Msg::KeyCargoLiving, footer: false },
    Binding { modes: &[M::FormCargo], keys: &[k('p')], action: Action::SetCargo(Cargo::Production), help: Msg::KeyCargoProduction, footer: false },
    Binding { modes: &[M::FormCargo], keys: &[k('o')], action: Action::SetCargo(Cargo::Other), help: Msg::KeyCargoOther, footer: false },
    Binding { modes: &[M::FormGate], keys: GATE_KEYS, action: Action::Choose, help: Msg::KeyGateN, footer: false },
    Binding { modes: CHOICES, keys: &[code(KeyCode::Char(' ')), code(KeyCode::Right)], action: Action::ChoiceNext, help: Msg::KeyChoiceNext, footer: false },
    Binding { modes: CHOICES, keys: &[code(KeyCode::Left)], action: Action::ChoicePrev, help: Msg::KeyChoicePrev, footer: false },
    Binding { modes: &[M::FormFlag], keys: &[k('y')], action: Action::SetFlag(true), help: Msg::KeyYes, footer: true },
    Binding { modes: &[M::FormFlag], keys: &[k('n')], action: Action::SetFlag(false), help: Msg::KeyNo, footer: true },
    Binding { modes: &[M::FormFlag], keys: &[code(KeyCode::Char(' ')), k('x')], action: Action::ToggleFlag, help: Msg::KeyToggle, footer: false },
    Binding { modes: &[M::FormBay], keys: &[code(KeyCode::Char(' ')), k('b')], action: Action::PickOnMap, help: Msg::KeyPickOnMap, footer: true },
    Binding { modes: FORM, keys: &[ctrl('p')], action: Action::AddPerson, help: Msg::KeyAddPerson, footer: true },
    Binding { modes: FORM, keys: &[ctrl('r')], action: Action::RemovePerson, help: Msg::KeyRemovePerson, footer: false },
    // Editing text (the form's text fields, search, prompts).
    Binding { modes: TEXT, keys: &[code(KeyCode::Backspace)], action: Action::Edit(Edit::Backspace), help: Msg::KeyBackspace, footer: false },
    Binding { modes: TEXT, keys: &[code(KeyCode::Delete)], action: Action::Edit(Edit::Delete), help: Msg::KeyDelete, footer: false },
    Binding { modes: &[M::Form, M::Prompt], keys: &[code(KeyCode::Left)], action: Action::Edit(Edit::Left), help: Msg::KeyCursorLeft, footer: false },
    Binding { modes: &[M::Form, M::Prompt], keys: &[code(KeyCode::Right)], action: Action::Edit(Edit::Right), help: Msg::KeyCursorRight, footer: false },
    Binding { modes: &[M::Form, M::Prompt], keys: &[code(KeyCode::Home)], action: Action::Edit(Edit::Home), help: Msg::KeyCursorHome, footer: false },
    Binding { modes: &[M::Form, M::Prompt], keys: &[code(KeyCode::End)], action: Action::Edit(Edit::End), help: Msg::KeyCursorEnd, footer: false },
    Binding { modes: TEXT, keys: &[ctrl('w')], action: Action::Edit(Edit::WordBack), help: Msg::KeyDeleteWord, footer: false },
    Binding { modes: TEXT, keys: &[ctrl('u')], action: Action::Edit(Edit::Line), help: Msg::KeyDeleteLine, footer: false },
    // Prompts, confirmations, menus.
    Binding { modes: &[M::Form, M::FormCode, M::FormFlag, M::FormCargo, M::FormGate, M::FormBay, M::Prompt, M::Confirm, M::PickBay], keys: &[code(KeyCode::Enter)], action: Action::Confirm, help: Msg::KeyConfirm, footer: true },
    Binding { modes: &[M::Menu], keys: MENU_KEYS, action: Action::Choose, help: Msg::KeyChoose, footer: false },
    Binding { modes: &[M::Search], keys: &[code(KeyCode::Up)], action: Action::Up, help: Msg::KeyRowUp, footer: false },
    Binding { modes: &[M::Search], keys: &[code(KeyCode::Down), code(KeyCode::Tab)], action: Action::Down, help: Msg::KeyRowDown, footer: false },
    Binding { modes: &[M::Search], keys: &[code(KeyCode::Enter)], action: Action::Jump, help: Msg::KeyJump, footer: true },
    // Everywhere.
    Binding { modes: NOT_TEXT, keys: &[k('?'), code(KeyCode::F(1))], action: Action::Help, help: Msg::KeyHelp, footer: true },
    Binding { modes: TEXT, keys: &[code(KeyCode::F(1))], action: Action::Help, help: Msg::KeyHelp, footer: true },
    Binding { modes: &[M::Form, M::FormCode, M::FormFlag, M::FormCargo, M::FormGate, M::FormBay, M::PickBay, M::Search, M::Confirm, M::Prompt, M::Menu, M::Help, M::Clocks, M::Isolation, M::Log, M::LogFilter, M::Report, M::Stay], keys: &[code(KeyCode::Esc)], action: Action::Back, help: Msg::KeyBack, footer: true },
    Binding { modes: &[M::Past], keys: &[code(KeyCode::Esc)], action: Action::Back, help: Msg::KeyNow, footer: true },
    Binding { modes: &[M::Map, M::Clocks, M::Isolation, M::Log, M::Past, M::Report], keys: &[k('q')], action: Action::Quit, help: Msg::KeyQuit, footer: true },
    Binding { modes: &Mode::ALL, keys: &[ctrl('c'), ctrl('q')], action: Action::ForceQuit, help: Msg::KeyForceQuit, footer: false },
];

/// The action `key` means in `mode`, if any.
pub fn lookup(mode: Mode, key: Key) -> Option<Action> {
    BINDINGS
        .iter()
        .find(|b| b.modes.contains(&mode) && b.keys.contains(&key))
        .map(|b| b.action)
}

/// The key that opens help in `mode` (`?`, or `F1` where `?` is text).
pub fn help_key(mode: Mode) -> Key {
    bindings(mode)
        .find(|b| b.action == Action::Help)
        .map(|b| b.keys[0])
        .unwrap_or(code(KeyCode::F(1)))
}

/// The keys of `mode` as one line (`Tab ↓ next field · Enter confirm · …`),
/// for the form's key hint: every binding but the text editing ones, which
/// help lists.
pub fn hint(mode: Mode, lang: crate::i18n::Lang, t: impl Fn(Msg) -> &'static str) -> String {
    bindings(mode)
        .filter(|b| !matches!(b.action, Action::Edit(_) | Action::ForceQuit))
        .map(|b| {
            let keys: Vec<String> = b.keys.iter().map(|k| k.label_in(lang)).collect();
            format!("{} {}", keys.join("/"), t(b.help))
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The keys of `mode` that the table shows in the footer, as one line
/// ("[ an hour earlier · ] an hour later · t type a time · Esc back to
/// now"): for a hint beside a screen that repeats them, so it cannot drift.
pub fn footer_hint(mode: Mode, lang: crate::i18n::Lang, t: impl Fn(Msg) -> &'static str) -> String {
    bindings(mode)
        .filter(|b| b.footer && !matches!(b.action, Action::Help | Action::Quit))
        .map(|b| {
            let keys: Vec<String> = b.keys.iter().map(|k| k.label_in(lang)).collect();
            format!("{} {}", keys.join("/"), t(b.help))
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The keys of `actions` in `mode`, in the order given ("m move · d
/// depart · …"): the panel's hint, from the one table. An action given
/// with a message is described by it instead of the table's words (the
/// step it takes for this truck: `p` marks a handoff under way done).
pub fn actions_hint(
    mode: Mode,
    actions: &[(Action, Option<Msg>)],
    lang: crate::i18n::Lang,
    t: impl Fn(Msg) -> &'static str,
) -> String {
    actions
        .iter()
        .filter_map(|(a, help)| {
            let b = bindings(mode).find(|b| b.action == *a)?;
            Some((b, help.unwrap_or(b.help)))
        })
        .map(|(b, help)| {
            let keys: Vec<String> = b.keys.iter().map(|k| k.label_in(lang)).collect();
            format!("{} {}", keys.join("/"), t(help))
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The bindings of `mode`, in table order.
pub fn bindings(mode: Mode) -> impl Iterator<Item = &'static Binding> {
    BINDINGS.iter().filter(move |b| b.modes.contains(&mode))
}

/// The key list as Markdown, one table per screen, in English: the README
/// carries exactly this (a test checks), so it cannot drift from the keys.
pub fn markdown() -> String {
    use crate::i18n::Lang;
    let mut out = String::new();
    for mode in Mode::ALL {
        out.push_str(&format!(
            "**{}**\n\n| key | does |\n|---|---|\n",
            mode.title().text(Lang::En)
        ));
        for b in bindings(mode) {
            let keys: Vec<String> = b.keys.iter().map(|k| format!("`{}`", k.label())).collect();
            out.push_str(&format!(
                "| {} | {} |\n",
                keys.join(" "),
                b.help.text(Lang::En)
            ));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn no_key_is_bound_twice_in_one_mode() {
        for mode in Mode::ALL {
            let mut seen = Vec::new();
            for b in bindings(mode) {
                for key in b.keys {
                    assert!(!seen.contains(key), "{:?} bound twice in {mode:?}", key);
                    seen.push(*key);
                }
            }
        }
    }

    #[test]
    fn every_binding_is_described_and_every_mode_can_be_left() {
        for b in BINDINGS {
            assert!(!b.keys.is_empty());
            for lang in [Lang::En, Lang::Zh] {
                assert!(!b.help.text(lang).is_empty());
            }
        }
        for mode in Mode::ALL {
            assert!(
                bindings(mode).any(|b| matches!(b.action, Action::Back | Action::Quit)),
                "{mode:?} has no way out"
            );
        }
    }

    #[test]
    fn every_mode_has_help_and_a_help_key_that_is_no_text() {
        for mode in Mode::ALL {
            let key = help_key(mode);
            assert_eq!(lookup(mode, key), Some(Action::Help), "{mode:?}");
            assert_eq!(
                lookup(mode, code(KeyCode::F(1))),
                Some(Action::Help),
                "{mode:?}"
            );
            if !mode.takes_text() {
                assert_eq!(lookup(mode, k('?')), Some(Action::Help), "{mode:?}");
            }
        }
    }

    #[test]
    fn text_modes_edit_with_ctrl_w_and_ctrl_u() {
        for mode in Mode::ALL.into_iter().filter(|m| m.takes_text()) {
            assert_eq!(lookup(mode, ctrl('w')), Some(Action::Edit(Edit::WordBack)));
            assert_eq!(lookup(mode, ctrl('u')), Some(Action::Edit(Edit::Line)));
        }
    }

    #[test]
    fn every_binding_is_on_screen_in_the_footer_or_help_of_its_modes() {
        // Help is generated from `bindings(mode)`; the footer from the
        // bindings marked for it. Each shown binding has a label.
        for b in BINDINGS {
            for key in b.keys {
                assert!(!key.label().is_empty());
                assert!(!key.label().contains("Char("), "{key:?}");
            }
        }
    }

    #[test]
    fn text_modes_bind_no_printable_characters() {
        for mode in Mode::ALL.into_iter().filter(|m| m.takes_text()) {
            for b in bindings(mode) {
                for key in b.keys {
                    assert!(
                        key.ctrl || !matches!(key.code, KeyCode::Char(_)),
                        "{mode:?} binds printable {key:?}, which the text field needs"
                    );
                }
            }
        }
    }
}
