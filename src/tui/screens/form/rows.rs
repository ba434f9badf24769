//! One row of the arrival form: a field's value as it is typed or chosen,
//! and what is said about it (an error, a fever, a hint).

use ratatui::style::{Modifier, Style};
use ratatui::text::Span;

use super::{ArrivalForm, Field};
use crate::domain::gate::ArrivalPlan;
use crate::domain::policy::{Cargo, CheckFlag, HealthCode};
use crate::i18n::Msg;
use crate::i18n::words::word;
use crate::tui::shared::Shared;
use crate::tui::view::{bad_style, bold, ok_style};

/// One field's row: the value, and what is said about it (an error, a
/// fever, a hint) that goes below the fields when the row has no room.
pub(super) struct FieldRow {
    pub(super) value: Vec<Span<'static>>,
    /// The marker kept on the row when the note moves down ("✗", "!").
    pub(super) notes: Vec<(&'static str, Span<'static>)>,
}

/// The value of one field, and its notes.
pub(super) fn field_row(
    sh: &Shared,
    form: &ArrivalForm,
    plan: Option<&ArrivalPlan>,
    field: Field,
    focused: bool,
    value_w: usize,
    cursor: &mut dyn FnMut(usize),
) -> FieldRow {
    let x = if sh.session.ascii { "x" } else { "✗" };
    let required = |chosen: bool| -> Option<(&'static str, Span<'static>)> {
        (!chosen && focused).then(|| {
            (
                x,
                Span::styled(format!("  {x} {}", sh.t(Msg::ErrRequired)), bad_style(sh)),
            )
        })
    };
    let mut notes = Vec::new();
    let value: Vec<Span> = match field {
        Field::Code | Field::PCode(_) => {
            let chosen = form.code_of(field).flatten();
            notes.extend(required(chosen.is_some()));
            choices(
                sh,
                HealthCode::ALL
                    .iter()
                    .map(|c| (Some(*c) == chosen, word(*c), code_key(*c))),
            )
        }
        Field::Venue => {
            notes.extend(required(form.venue.is_some()));
            choices(
                sh,
                [
                    (form.venue == Some(true), Msg::VenueScanned, 'y'),
                    (form.venue == Some(false), Msg::VenueNotScanned, 'n'),
                ]
                .into_iter(),
            )
        }
        Field::Cargo => choices(
            sh,
            Cargo::ALL
                .iter()
                .map(|c| (*c == form.cargo, cargo_choice(*c), cargo_key(*c))),
        ),
        Field::Gate => form
            .gates
            .iter()
            .enumerate()
            .map(|(i, g)| {
                let text = format!("{}:{g}", i + 1);
                if i == form.gate {
                    Span::styled(format!("[{text}]"), bold().add_modifier(Modifier::REVERSED))
                } else {
                    Span::raw(format!(" {text} "))
                }
            })
            .collect(),
        Field::Travel | Field::Handoff => {
            vec![Span::raw(if form.flag(field) == Some(true) {
                "[x] y/n"
            } else {
                "[ ] y/n"
            })]
        }
        Field::Bay => {
            let (v, n) = bay_value(sh, plan);
            notes.extend(n);
            v
        }
        _ => {
            let input = form.input_ref(field).cloned().unwrap_or_default();
            let (shown, cx) = input.view(value_w.saturating_sub(14).max(8));
            if focused {
                cursor(cx);
            }
            let v = vec![Span::raw(shown)];
            let problem = form.problem(field);
            let typed = !input.is_empty();
            // A plate read otherwise than it was typed (its province in
            // pinyin, `jinD12345`): what it will be recorded as, beside
            // the operator's own text, which stays as typed.
            let resolved = (field == Field::Plate && typed)
                .then(|| form.plate_value().ok())
                .flatten()
                .filter(|p| p.as_str() != input.text().trim());
            if let Some(p) = resolved {
                let arrow = if sh.session.ascii { "->" } else { "→" };
                notes.push((arrow, Span::styled(format!(" {arrow} {p}"), bold())));
            }
            // A valid plate already on site is named with its bay at once.
            let on_site = (field == Field::Plate && problem.is_none())
                .then(|| form.on_site(sh))
                .flatten();
            if let Some(bay) = on_site {
                notes.push((
                    x,
                    Span::styled(
                        format!(
                            "  {x} {} {}",
                            sh.t(Msg::AlreadyOnSiteIn),
                            sh.layout.bays[bay].id
                        ),
                        bad_style(sh),
                    ),
                ));
            } else {
                match problem {
                    Some(e) if typed || focused => notes.push((
                        x,
                        Span::styled(format!("  {x} {}", e.text(sh)), bad_style(sh)),
                    )),
                    None if typed => {
                        let ok = if sh.session.ascii { "ok" } else { "✓" };
                        notes.push((ok, Span::styled(format!("  {ok}"), ok_style(sh))));
                    }
                    _ => {}
                }
            }
            // A fever is named where it was typed.
            let person = match field {
                Field::Temp => Some(0u8),
                Field::PTemp(n) => Some(n as u8 + 1),
                _ => None,
            };
            if let (Some(n), Some(p)) = (person, plan)
                && p.findings
                    .iter()
                    .any(|x| x.person == n && x.flag == CheckFlag::Fever)
            {
                let (ge, to) = if sh.session.ascii {
                    (">=", "->")
                } else {
                    ("≥", "→")
                };
                notes.push((
                    "!",
                    Span::styled(
                        format!(
                            "  ! {ge} {:.1} {to} {}",
                            sh.session.policy.fever_c,
                            sh.t(Msg::ZoneIsolation)
                        ),
                        bad_style(sh),
                    ),
                ));
            }
            v
        }
    };
    FieldRow { value, notes }
}

/// One-letter choices, one space apart, the chosen one in brackets and
/// reverse video: `g:green [y:yellow] r:red`.
fn choices(sh: &Shared, items: impl Iterator<Item = (bool, Msg, char)>) -> Vec<Span<'static>> {
    let mut v = Vec::new();
    for (i, (on, msg, key)) in items.enumerate() {
        if i > 0 {
            v.push(Span::raw(" "));
        }
        let text = format!("{key}:{}", sh.t(msg));
        v.push(if on {
            Span::styled(format!("[{text}]"), bold().add_modifier(Modifier::REVERSED))
        } else {
            Span::raw(text)
        });
    }
    v
}

/// A note beside a field: the marker that stays on the row when the note
/// moves below the fields, and the note.
type Note = (&'static str, Span<'static>);

/// The bay the arrival goes to, marked with the map's glyph for it, and
/// what to do about it.
fn bay_value(sh: &Shared, plan: Option<&ArrivalPlan>) -> (Vec<Span<'static>>, Vec<Note>) {
    let Some(p) = plan else {
        return (vec![], vec![]);
    };
    let bay = match p.bay {
        Some(b) => format!(
            "{} {}",
            crate::tui::bay_state::BayState::suggested_glyph(sh.session.ascii),
            sh.layout.bays[b].id
        ),
        None => format!("{} {}", sh.t(Msg::NoFreeBay), sh.t(word(p.zone))),
    };
    let mut v = vec![Span::styled(bay, bold())];
    let mut notes = Vec::new();
    // The summary below says where it waits and why.
    if p.holding {
        v.push(Span::styled(
            format!(" ({})", sh.t(Msg::ShortHolding)),
            bad_style(sh),
        ));
    }
    if p.against {
        notes.push((
            "!",
            Span::styled(format!("  {}", sh.t(Msg::AgainstChecks)), bad_style(sh)),
        ));
    } else {
        notes.push((
            "",
            Span::styled(
                format!("  {}", sh.t(Msg::PickHint)),
                Style::new().add_modifier(Modifier::DIM),
            ),
        ));
    }
    (v, notes)
}

fn code_key(c: HealthCode) -> char {
    match c {
        HealthCode::Green => 'g',
        HealthCode::Yellow => 'y',
        HealthCode::Red => 'r',
    }
}

/// The cargo's word as the form offers it: short, so the four choices fit
/// one row in both languages.
fn cargo_choice(c: Cargo) -> Msg {
    match c {
        Cargo::Emergency => Msg::ChoiceEmergency,
        Cargo::Living => Msg::ChoiceLiving,
        Cargo::Production => Msg::ChoiceProduction,
        Cargo::Other => Msg::ChoiceOther,
    }
}

fn cargo_key(c: Cargo) -> char {
    match c {
        Cargo::Emergency => 'e',
        Cargo::Living => 'l',
        Cargo::Production => 'p',
        Cargo::Other => 'o',
    }
}
