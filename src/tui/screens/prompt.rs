//! One line of text the next step needs (a reason, who decided, a
//! receiving vehicle, a temperature), checked before the prompt closes.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::confirm::Confirm;
use super::form::temp_problem;
use super::menu::{Menu, MenuPick, option};
use super::planned::Planned;
use super::{Cmd, Effect, Layer, Screen};
use crate::domain::bay::BayId;
use crate::domain::plate::Plate;
use crate::domain::policy::{HealthCode, Temperature};
use crate::domain::text;
use crate::i18n::Msg;
use crate::ops::Op;
use crate::tui::input::TextInput;
use crate::tui::keymap::{Action, Key, Mode};
use crate::tui::shared::Shared;
use crate::tui::view::{bold, centered, frame_popup};

/// One line of text the next step needs (a reason, a note).
#[derive(Debug, Clone, PartialEq)]
pub struct Prompt {
    pub title: Msg,
    pub subject: String,
    pub input: TextInput,
    /// The text is an offer (a name, a moment to start from), drawn
    /// selected: the first character typed replaces it, Backspace or Delete
    /// clears it, a movement key keeps it to edit, Enter takes it.
    pub offered: bool,
    pub required: bool,
    pub next: PromptNext,
}

impl PromptNext {
    /// Enter does it: the operation runs (or the sign-in, or the moment is
    /// shown) with no further step to confirm.
    fn is_last(&self) -> bool {
        matches!(
            self,
            PromptNext::Escalate(_)
                | PromptNext::CloseBay(_)
                | PromptNext::Correct { .. }
                | PromptNext::SignIn
                | PromptNext::PastTime
        )
    }
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
    /// A moment to show the lot at (`t`), in site time.
    PastTime,
    /// Who is at the keyboard (at start, and `O`).
    SignIn,
    /// The right value of a field of the truck's registration.
    Correct {
        plate: Plate,
        field: crate::domain::event::Field,
    },
}

impl Prompt {
    /// Asks who is at the keyboard, the current name offered (Enter keeps
    /// it, typing replaces it).
    pub fn sign_in(sh: &Shared) -> Screen {
        Screen::Prompt(Prompt {
            title: Msg::PromptSignIn,
            subject: format!("{}: {}", sh.session.terminal, sh.t(Msg::SignInWhy)),
            input: TextInput::new(&sh.session.operator),
            offered: !sh.session.operator.is_empty(),
            required: true,
            next: PromptNext::SignIn,
        })
    }

    /// Opens a prompt.
    pub fn push(title: Msg, subject: String, required: bool, next: PromptNext) -> Cmd {
        Cmd::Push(Screen::Prompt(Prompt {
            title,
            subject,
            input: TextInput::default(),
            offered: false,
            required,
            next,
        }))
    }

    /// Enter: the value checked, then the next step.
    fn confirm(&self, sh: &Shared) -> Vec<Cmd> {
        let p = self;
        let value = match text::clean("reason", &p.input.text(), p.required) {
            Ok(v) => v,
            Err(e) => {
                let msg = match e {
                    text::TextError::Empty { .. } => Msg::ErrRequired,
                    text::TextError::TooLong { .. } => Msg::ErrTooLong,
                    text::TextError::Control { .. } => Msg::ErrControl,
                };
                return vec![Cmd::error(sh.t(msg))];
            }
        };
        if p.next == PromptNext::SignIn {
            return match text::clean("operator", &value, true) {
                Ok(name) => vec![Cmd::Pop, Cmd::Effect(Effect::SignIn(name))],
                Err(_) => vec![Cmd::error(sh.t(Msg::ErrRequired))],
            };
        }
        if p.next == PromptNext::PastTime {
            return match super::past::PastView::go(sh, &value) {
                Ok(cmd) => vec![Cmd::Pop, cmd],
                Err(why) => vec![Cmd::error(why)],
            };
        }
        // Values that must parse are checked before the prompt closes, so a
        // typo is corrected in place. A plate is read as the form and the
        // command line read one (a pinyin province is fine).
        let plate = |text: &str| {
            Plate::parse_typed(text, sh.session.province).map_err(|e| {
                vec![Cmd::error(format!(
                    "{}: {}",
                    sh.t(Msg::FieldPlate),
                    sh.plate_reason(&e)
                ))]
            })
        };
        let receiver = match &p.next {
            PromptNext::HandoffReceiver(own) => match plate(&value) {
                Ok(r) if &r == own => return vec![Cmd::error(sh.t(Msg::ReceiverIsItself))],
                Ok(r) => Some(r),
                Err(refused) => return refused,
            },
            _ => None,
        };
        // A corrected plate goes on in its normal form.
        let value = match &p.next {
            PromptNext::Correct {
                field: crate::domain::event::Field::Plate,
                ..
            } => match plate(&value) {
                Ok(p) => p.to_string(),
                Err(refused) => return refused,
            },
            _ => value,
        };
        let temperature = match &p.next {
            PromptNext::RecheckTemp { .. } => match temp_problem(&TextInput::new(&value)) {
                Some(msg) => return vec![Cmd::error(sh.t(msg))],
                None => Temperature::parse(&value).ok(),
            },
            _ => None,
        };
        let suggest = |plate: Plate, then: Planned| then.offer(plate, None);
        let subject = p.subject.clone();
        let next = match p.next.clone() {
            PromptNext::ForceDepart(plate) => Confirm::push(
                Msg::ConfirmForceDepart,
                vec![subject, value.clone()],
                Op::Depart {
                    plate,
                    force_reason: Some(value),
                },
            ),
            PromptNext::Isolate(plate) => suggest(
                plate,
                Planned::Isolate {
                    subject,
                    reason: value,
                },
            ),
            PromptNext::Release(plate) => Prompt::push(
                Msg::PromptReleaseBy,
                subject,
                true,
                PromptNext::ReleaseBy {
                    plate,
                    reason: value,
                },
            ),
            PromptNext::ReleaseBy { plate, reason } => suggest(
                plate,
                Planned::Release {
                    subject,
                    reason,
                    by: value,
                },
            ),
            PromptNext::Escalate(plate) => Cmd::run(Op::Escalate { plate, note: value }),
            PromptNext::CloseBay(bay) => Cmd::run(Op::CloseBay { bay, reason: value }),
            PromptNext::HandoffReceiver(plate) => {
                let Some(receiver) = receiver else {
                    return vec![Cmd::Pop];
                };
                Prompt::push(
                    Msg::PromptCompany,
                    format!("{plate}  → {receiver}"),
                    true,
                    PromptNext::HandoffCompany { plate, receiver },
                )
            }
            PromptNext::HandoffCompany { plate, receiver } => suggest(
                plate,
                Planned::Transfer {
                    receiver,
                    company: value,
                },
            ),
            PromptNext::HandoffEscort {
                plate,
                under_isolation,
            } => {
                let title = if under_isolation {
                    Msg::PromptAuthorisedByRequired
                } else {
                    Msg::PromptAuthorisedBy
                };
                Prompt::push(
                    title,
                    format!("{plate}  {value}"),
                    under_isolation,
                    PromptNext::HandoffBy {
                        plate,
                        escort: value,
                        under_isolation,
                    },
                )
            }
            PromptNext::HandoffBy { plate, escort, .. } => suggest(
                plate,
                Planned::Escort {
                    escort,
                    by: (!value.is_empty()).then_some(value),
                },
            ),
            PromptNext::RecheckTemp { plate, person } => {
                let Some(t) = temperature else {
                    return vec![Cmd::Pop];
                };
                let subject = format!("{subject}  {t}");
                let options = [
                    ('g', Msg::CodeGreen, HealthCode::Green),
                    ('y', Msg::CodeYellow, HealthCode::Yellow),
                    ('r', Msg::CodeRed, HealthCode::Red),
                ]
                .into_iter()
                .map(|(k, m, c)| option(k, m, MenuPick::RecheckCode(plate.clone(), person, t, c)))
                .collect();
                Menu::push(Msg::MenuRecheckCode, subject, options)
            }
            PromptNext::PastTime | PromptNext::SignIn => return Vec::new(),
            PromptNext::Correct { plate, field } => Cmd::run(Op::Correct {
                plate,
                changes: vec![(field, value)],
            }),
        };
        vec![Cmd::Pop, next]
    }
}

impl Layer for Prompt {
    fn mode(&self) -> Mode {
        Mode::Prompt
    }

    /// Enter goes on to the next question where there is one: the footer
    /// says so, as the prompt's own key line does.
    fn key_help(&self, action: Action) -> Option<Msg> {
        (action == Action::Confirm && !self.next.is_last()).then_some(Msg::KeyContinue)
    }

    fn handle(&mut self, action: Action, _key: Key, sh: &Shared) -> Vec<Cmd> {
        match action {
            Action::Back => vec![Cmd::Pop],
            Action::Edit(e) => {
                if std::mem::take(&mut self.offered)
                    && matches!(
                        e,
                        crate::tui::keymap::Edit::Backspace | crate::tui::keymap::Edit::Delete
                    )
                {
                    self.input.clear();
                } else {
                    self.input.edit(e);
                }
                Vec::new()
            }
            Action::Confirm => self.confirm(sh),
            _ => Vec::new(),
        }
    }

    fn insert(&mut self, c: char, _sh: &Shared) -> Vec<Cmd> {
        if std::mem::take(&mut self.offered) {
            self.input.clear();
        }
        self.input.insert(c);
        Vec::new()
    }

    fn render(&self, sh: &Shared, f: &mut Frame, body: Rect, _top: bool) {
        let p = self;
        let area = centered(body, 60, 6);
        let inner = frame_popup(sh, f, area, sh.t(p.title));
        let (shown, cx) = p.input.view(inner.width.saturating_sub(3) as usize);
        let lines = vec![
            Line::styled(p.subject.clone(), bold()),
            Line::from(vec![
                Span::styled("> ", bold()),
                // An offer is drawn selected: typing replaces it.
                if p.offered {
                    Span::styled(shown, Style::new().add_modifier(Modifier::REVERSED))
                } else {
                    Span::raw(shown)
                },
            ]),
            Line::raw(""),
            Line::styled(
                sh.t(match p.next.is_last() {
                    true => Msg::ConfirmKeys,
                    false => Msg::PromptKeys,
                }),
                Style::new().add_modifier(Modifier::DIM),
            ),
        ];
        f.set_cursor_position((inner.x + 2 + cx as u16, inner.y + 1));
        f.render_widget(Paragraph::new(lines), inner);
    }
}
