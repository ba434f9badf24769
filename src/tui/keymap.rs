//! The one table of key bindings. The key handler, the `?` help, the footer
//! and the README's key list are all read from `BINDINGS`, so they cannot
//! drift apart.
//!
//! Text-entry screens (the arrival form, search, prompts) bind only special
//! keys here; printable characters there go to the text field.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::i18n::Msg;

/// Which screen is on top, for choosing bindings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    Map,
    Form,
    PickBay,
    Search,
    Confirm,
    Prompt,
    Menu,
    Help,
    Clocks,
    Isolation,
}

impl Mode {
    pub const ALL: [Mode; 10] = [
        Mode::Map,
        Mode::Form,
        Mode::PickBay,
        Mode::Search,
        Mode::Confirm,
        Mode::Prompt,
        Mode::Menu,
        Mode::Help,
        Mode::Clocks,
        Mode::Isolation,
    ];

    /// Printable characters go to a text field in these modes.
    pub fn takes_text(self) -> bool {
        matches!(self, Mode::Form | Mode::Search | Mode::Prompt)
    }

    pub fn title(self) -> Msg {
        match self {
            Mode::Map => Msg::ModeMap,
            Mode::Form => Msg::ModeForm,
            Mode::PickBay => Msg::ModePickBay,
            Mode::Search => Msg::ModeSearch,
            Mode::Confirm => Msg::ModeConfirm,
            Mode::Prompt => Msg::ModePrompt,
            Mode::Menu => Msg::ModeMenu,
            Mode::Help => Msg::ModeHelp,
            Mode::Clocks => Msg::ModeClocks,
            Mode::Isolation => Msg::ModeIsolation,
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
    SortBy(usize),
    Jump,
    /// The arrival form: another person in the cab, or one fewer.
    AddPerson,
    RemovePerson,
    /// Measure someone in the cab again.
    Recheck,
    /// The clocks board: the selected handoff arrived at its destination.
    HandoffArrived,
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

    /// How the key is written in help and the footer.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
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

const MAPS: &[Mode] = &[M::Map, M::PickBay];
const BOARDS: &[Mode] = &[M::Clocks, M::Isolation];

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
    Binding { modes: &[M::Map, M::Isolation], keys: &[k('u')], action: Action::Release, help: Msg::KeyRelease, footer: false },
    Binding { modes: &[M::Map, M::Isolation], keys: &[k('e')], action: Action::Escalate, help: Msg::KeyEscalate, footer: false },
    Binding { modes: &[M::Map, M::Isolation], keys: &[k('p')], action: Action::Handoff, help: Msg::KeyHandoff, footer: false },
    Binding { modes: &[M::Map], keys: &[k('t')], action: Action::Recheck, help: Msg::KeyRecheck, footer: false },
    Binding { modes: &[M::Map], keys: &[k('v')], action: Action::Service, help: Msg::KeyService, footer: false },
    Binding { modes: &[M::Map], keys: &[k('D')], action: Action::Disinfect, help: Msg::KeyDisinfect, footer: false },
    Binding { modes: &[M::Map], keys: &[k('C')], action: Action::CloseOpen, help: Msg::KeyCloseOpen, footer: false },
    Binding { modes: &[M::Map, M::Isolation], keys: &[k('c')], action: Action::Clocks, help: Msg::KeyClocks, footer: true },
    Binding { modes: &[M::Map, M::Clocks], keys: &[k('i')], action: Action::IsolationBoard, help: Msg::KeyIsolationBoard, footer: true },
    // Boards.
    Binding { modes: BOARDS, keys: &[code(KeyCode::Up), k('k')], action: Action::Up, help: Msg::KeyRowUp, footer: false },
    Binding { modes: BOARDS, keys: &[code(KeyCode::Down), k('j')], action: Action::Down, help: Msg::KeyRowDown, footer: false },
    Binding { modes: BOARDS, keys: &[code(KeyCode::Enter)], action: Action::Jump, help: Msg::KeyJump, footer: true },
    Binding { modes: &[M::Clocks], keys: &[k('a')], action: Action::HandoffArrived, help: Msg::KeyHandoffArrived, footer: true },
    Binding { modes: &[M::Isolation], keys: &[k('s'), code(KeyCode::Tab)], action: Action::SortNext, help: Msg::KeySortNext, footer: true },
    Binding { modes: &[M::Isolation], keys: &[k('S')], action: Action::SortReverse, help: Msg::KeySortReverse, footer: true },
    Binding { modes: &[M::Isolation], keys: &[k('1')], action: Action::SortBy(0), help: Msg::KeySortSince, footer: false },
    Binding { modes: &[M::Isolation], keys: &[k('2')], action: Action::SortBy(1), help: Msg::KeySortPlate, footer: false },
    Binding { modes: &[M::Isolation], keys: &[k('3')], action: Action::SortBy(2), help: Msg::KeySortBay, footer: false },
    Binding { modes: &[M::Isolation], keys: &[k('4')], action: Action::SortBy(3), help: Msg::KeySortReason, footer: false },
    Binding { modes: &[M::Isolation], keys: &[k('5')], action: Action::SortBy(4), help: Msg::KeySortTests, footer: false },
    Binding { modes: &[M::Isolation], keys: &[k('6')], action: Action::SortBy(5), help: Msg::KeySortNextAction, footer: false },
    // Forms and prompts.
    Binding { modes: &[M::Form], keys: &[code(KeyCode::Tab), code(KeyCode::Down)], action: Action::NextField, help: Msg::KeyNextField, footer: true },
    Binding { modes: &[M::Form], keys: &[code(KeyCode::BackTab), code(KeyCode::Up)], action: Action::PrevField, help: Msg::KeyPrevField, footer: false },
    Binding { modes: &[M::Form], keys: &[ctrl('p')], action: Action::AddPerson, help: Msg::KeyAddPerson, footer: true },
    Binding { modes: &[M::Form], keys: &[ctrl('r')], action: Action::RemovePerson, help: Msg::KeyRemovePerson, footer: false },
    Binding { modes: &[M::Form, M::Prompt, M::Confirm, M::PickBay], keys: &[code(KeyCode::Enter)], action: Action::Confirm, help: Msg::KeyConfirm, footer: true },
    Binding { modes: &[M::Search], keys: &[code(KeyCode::Up)], action: Action::Up, help: Msg::KeyRowUp, footer: false },
    Binding { modes: &[M::Search], keys: &[code(KeyCode::Down), code(KeyCode::Tab)], action: Action::Down, help: Msg::KeyRowDown, footer: false },
    Binding { modes: &[M::Search], keys: &[code(KeyCode::Enter)], action: Action::Jump, help: Msg::KeyJump, footer: true },
    // Everywhere.
    Binding { modes: &[M::Map, M::Clocks, M::Isolation, M::Help], keys: &[k('?')], action: Action::Help, help: Msg::KeyHelp, footer: true },
    Binding { modes: &[M::Form, M::PickBay, M::Search, M::Confirm, M::Prompt, M::Menu, M::Help, M::Clocks, M::Isolation], keys: &[code(KeyCode::Esc)], action: Action::Back, help: Msg::KeyBack, footer: true },
    Binding { modes: &[M::Map, M::Clocks, M::Isolation], keys: &[k('q')], action: Action::Quit, help: Msg::KeyQuit, footer: true },
    Binding { modes: &Mode::ALL, keys: &[ctrl('c'), ctrl('q')], action: Action::ForceQuit, help: Msg::KeyForceQuit, footer: false },
];

/// The action `key` means in `mode`, if any.
pub fn lookup(mode: Mode, key: Key) -> Option<Action> {
    BINDINGS
        .iter()
        .find(|b| b.modes.contains(&mode) && b.keys.contains(&key))
        .map(|b| b.action)
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
