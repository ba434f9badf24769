//! A one-key choice: each option has its letter (from the keymap's
//! `Choose`), and what picking it leads to.

use crossterm::event::KeyCode;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::prompt::{Prompt, PromptNext};
use super::{Cmd, Layer, Screen};
use crate::domain::bay::{BayId, Zone};
use crate::domain::event::{HandoffMode, ServiceKind, Target, TestKind, TestResult};
use crate::domain::plate::Plate;
use crate::domain::policy::{HealthCode, Temperature};
use crate::i18n::Msg;
use crate::i18n::words::word;
use crate::ops::Op;
use crate::tui::keymap::{Action, Key, Mode};
use crate::tui::shared::Shared;
use crate::tui::view::{bold, centered, frame_popup, person_text};

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
    /// One open call of this kind is done.
    ServiceDone(Plate, ServiceKind),
    /// Which of these open calls is done?
    ServiceDoneWhich(Plate, Vec<ServiceKind>),
    /// A handoff mode; `bool`: the truck is under isolation's authority.
    HandoffMode(Plate, HandoffMode, bool),
    RecheckPerson(Plate, u8),
    RecheckCode(Plate, u8, Temperature, HealthCode),
    /// A field of the truck's registration to put right.
    CorrectField(Plate, crate::domain::event::Field),
    DisinfectBay(BayId),
    DisinfectZone(Zone),
    QuitDiscard,
    /// Esc on a form with typed data: close it without arriving.
    DiscardForm,
    Stay,
}

/// An option without detail.
pub fn option(key: char, label: Msg, pick: MenuPick) -> MenuOption {
    MenuOption {
        key,
        label,
        detail: String::new(),
        pick,
    }
}

impl Menu {
    /// Opens a menu.
    pub fn push(title: Msg, subject: String, options: Vec<MenuOption>) -> Cmd {
        Cmd::Push(Screen::Menu(Menu {
            title,
            subject,
            options,
        }))
    }

    /// A yes/no question about `subject` (empty: the title says it all):
    /// `y` picks `yes`, `n` stays.
    pub fn yes_no(title: Msg, subject: String, yes: (Msg, MenuPick), no: Msg) -> Cmd {
        Menu::push(
            title,
            subject,
            vec![option('y', yes.0, yes.1), option('n', no, MenuPick::Stay)],
        )
    }
}

/// What picking an option leads to.
pub fn pick(sh: &Shared, pick: MenuPick) -> Vec<Cmd> {
    let cmd = match pick {
        MenuPick::Sample(plate, test) => Cmd::run(Op::Sample {
            plate,
            test,
            tube: None,
            batch: None,
        }),
        MenuPick::ResultFor(plate, test) => Menu::push(
            Msg::MenuResult,
            format!("{plate}  {}", sh.t(word(test))),
            vec![
                option(
                    'n',
                    Msg::ResultNegative,
                    MenuPick::Result(plate.clone(), test, TestResult::Negative),
                ),
                option(
                    'p',
                    Msg::ResultPositive,
                    MenuPick::Result(plate.clone(), test, TestResult::Positive),
                ),
                option(
                    'i',
                    Msg::ResultInvalid,
                    MenuPick::Result(plate, test, TestResult::Invalid),
                ),
            ],
        ),
        MenuPick::Result(plate, test, result) => Cmd::run(Op::Result {
            plate,
            test,
            result,
        }),
        MenuPick::Service(plate, service) => Cmd::run(Op::ServiceRequest { plate, service }),
        MenuPick::ServiceDone(plate, kind) => Cmd::run(Op::ServiceDone {
            plate,
            service: Some(kind),
        }),
        MenuPick::ServiceDoneWhich(plate, kinds) => Menu::push(
            Msg::MenuServiceDone,
            format!(
                "{plate}  {}",
                sh.bay_id_of_plate(&plate)
                    .map(|b| b.to_string())
                    .unwrap_or_default()
            ),
            kinds
                .into_iter()
                .map(|k| {
                    option(
                        super::map::actions::service_key(k),
                        word(k),
                        MenuPick::ServiceDone(plate.clone(), k),
                    )
                })
                .collect(),
        ),
        MenuPick::HandoffMode(plate, HandoffMode::Transfer, _) => Prompt::push(
            Msg::PromptReceiver,
            plate.to_string(),
            true,
            PromptNext::HandoffReceiver(plate),
        ),
        MenuPick::HandoffMode(plate, HandoffMode::Escort, under_isolation) => Prompt::push(
            Msg::PromptEscort,
            plate.to_string(),
            true,
            PromptNext::HandoffEscort {
                plate,
                under_isolation,
            },
        ),
        MenuPick::RecheckPerson(plate, person) => {
            let name = sh
                .detail
                .as_ref()
                .and_then(|d| d.people.iter().find(|p| p.person == person))
                .and_then(|p| p.name.clone());
            let who = person_text(sh, person, name.as_deref());
            Prompt::push(
                Msg::PromptRecheckTemp,
                format!("{plate}  {who}"),
                true,
                PromptNext::RecheckTemp { plate, person },
            )
        }
        MenuPick::CorrectField(plate, field) => {
            use crate::domain::event::Field;
            Prompt::push(
                Msg::PromptCorrect,
                format!("{plate}  {}", sh.t(field_msg(field))),
                matches!(field, Field::Plate | Field::Cargo),
                PromptNext::Correct { plate, field },
            )
        }
        MenuPick::RecheckCode(plate, person, temperature, code) => Cmd::run(Op::Recheck {
            plate,
            person,
            temperature,
            code,
        }),
        MenuPick::DisinfectBay(bay) => Cmd::run(Op::Disinfect {
            target: Target::Bay(bay),
        }),
        MenuPick::DisinfectZone(zone) => Cmd::run(Op::Disinfect {
            target: Target::Zone(zone),
        }),
        MenuPick::QuitDiscard => Cmd::Quit,
        MenuPick::DiscardForm => Cmd::CloseForm,
        MenuPick::Stay => return Vec::new(),
    };
    vec![cmd]
}

impl Layer for Menu {
    fn mode(&self) -> Mode {
        Mode::Menu
    }

    fn handle(&mut self, action: Action, key: Key, sh: &Shared) -> Vec<Cmd> {
        match (action, key.code) {
            (Action::Back, _) => vec![Cmd::Pop],
            (Action::Choose, KeyCode::Char(c)) => match self.options.iter().find(|o| o.key == c) {
                Some(o) => {
                    let mut cmds = vec![Cmd::Pop];
                    cmds.extend(pick(sh, o.pick.clone()));
                    cmds
                }
                None => vec![Cmd::NotAKey(key)],
            },
            _ => Vec::new(),
        }
    }

    fn render(&self, sh: &Shared, f: &mut Frame, body: Rect, _top: bool) {
        let m = self;
        // As wide as its title needs (in its frame, with a space each
        // side), 40 at least; `centered` keeps it within the screen.
        let title_w = unicode_width::UnicodeWidthStr::width(sh.t(m.title)) as u16 + 6;
        // A question with no subject starts with its options, not a
        // blank line.
        let subject = match m.subject.is_empty() {
            true => Vec::new(),
            false => vec![Line::styled(m.subject.clone(), bold()), Line::raw("")],
        };
        let height = m.options.len() + subject.len() + 3;
        let area = centered(body, title_w.max(40), height as u16);
        let inner = frame_popup(sh, f, area, sh.t(m.title));
        let mut lines = subject;
        for o in &m.options {
            lines.push(Line::from(vec![
                Span::styled(
                    format!(" {} ", o.key),
                    bold().add_modifier(Modifier::REVERSED),
                ),
                Span::raw(format!("  {}{}", sh.t(o.label), o.detail)),
            ]));
        }
        lines.push(Line::styled(
            sh.t(Msg::MenuKeys),
            Style::new().add_modifier(Modifier::DIM),
        ));
        f.render_widget(Paragraph::new(lines), inner);
    }
}

/// The form's label of a correctable field.
pub fn field_msg(f: crate::domain::event::Field) -> Msg {
    use crate::domain::event::Field;
    match f {
        Field::Plate => Msg::FieldPlate,
        Field::Driver => Msg::FieldDriver,
        Field::Phone => Msg::FieldPhone,
        Field::Cargo => Msg::FieldCargo,
        Field::Origin => Msg::FieldOrigin,
        Field::Destination => Msg::FieldDestination,
    }
}
