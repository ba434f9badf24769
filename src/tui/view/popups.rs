//! Everything drawn over the map: the arrival form, search, confirmations,
//! prompts, one-key menus and help.
//!
//! (Over 400 lines: the form's layout alone is half; the popups split per screen with the screens.)

use crate::i18n::words::word;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::map::block;
use super::{centered, color};
use crate::domain::gate::ArrivalPlan;
use crate::domain::policy::{Cargo, CheckFlag, HealthCode};
use crate::domain::text::fit;
use crate::i18n::Msg;
use crate::tui::app::App;
use crate::tui::flows::findings_text;
use crate::tui::form::{ArrivalForm, Field};
use crate::tui::keymap;
use crate::tui::screens::{Confirm, Hit, Menu, Prompt, Search, Then};

fn bold() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

fn ok_style(app: &App) -> Style {
    if color(app) {
        Style::new().fg(Color::Green)
    } else {
        Style::new()
    }
}

fn bad_style(app: &App) -> Style {
    if color(app) {
        Style::new()
            .fg(Color::LightRed)
            .add_modifier(Modifier::BOLD)
    } else {
        bold()
    }
}

fn frame_popup(app: &App, f: &mut Frame, area: Rect, title: &str) -> Rect {
    f.render_widget(Clear, area);
    let b = block(
        app,
        Line::from(Span::styled(format!(" {title} "), bold())),
        true,
    );
    let inner = b.inner(area);
    f.render_widget(b, area);
    inner
}

/// The form's width beside the map, at most.
const FORM_W: u16 = 66;
/// Narrowest the form may get beside the map (the cargo choices fit).
const FORM_MIN_W: u16 = 60;
/// Lines of the map kept above the form on a small terminal: borders, the
/// ruler and five rows around the suggested bay.
const FOCUS_H: u16 = 8;

/// Text broken into lines of at most `width` cells, between words where
/// there are spaces and between characters in a run of Chinese (which has
/// none); never inside a word that fits on a line of its own.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = vec![String::new()];
    for word in text.split(' ') {
        let line = lines.last_mut().expect("one line at least");
        let used = line.width();
        let w = word.width();
        if used > 0 && used + 1 + w <= width {
            line.push(' ');
            line.push_str(word);
            continue;
        }
        if used == 0 && w <= width {
            line.push_str(word);
            continue;
        }
        if w <= width {
            lines.push(word.to_string());
            continue;
        }
        // A word longer than a line (a run of Chinese): by characters.
        if used > 0 {
            lines.push(String::new());
        }
        for c in word.chars() {
            let line = lines.last_mut().expect("one line at least");
            let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if line.width() + cw > width {
                lines.push(String::new());
            }
            lines.last_mut().expect("one line at least").push(c);
        }
    }
    lines
}

/// One field's row: the value, and what is said about it (an error, a
/// fever, a hint) that goes below the fields when the row has no room.
struct FieldRow {
    value: Vec<Span<'static>>,
    /// The marker kept on the row when the note moves down ("✗", "!").
    notes: Vec<(&'static str, Span<'static>)>,
}

/// The arrival form. Beside the map when the screen is wide enough to keep
/// the parking field in view (160×45); otherwise a strip at the bottom with
/// the suggested bay's zone above it, scrolled to that bay, so the
/// suggestion and `Space` (pick on map) are never done blind (80×24).
/// When its fields do not fit they scroll with the focus.
pub fn form(app: &App, form: &ArrivalForm, f: &mut Frame, body: Rect) {
    let fields: Vec<Field> = form.fields().collect();
    let plan = app.arrival_plan();
    let beside = body.width.saturating_sub(super::map::map_width(app, body));
    let strip = beside < FORM_MIN_W;
    // Beside the map it covers the bay panel, whole (up to a sane width).
    let w = if strip {
        body.width
    } else if beside <= FORM_W + 20 {
        beside
    } else {
        FORM_W
    };
    let inner_w = w.saturating_sub(2) as usize;
    let label_w = 14usize;
    let value_w = inner_w.saturating_sub(label_w + 2);
    let summary = plan_summary(app, form, plan);
    let summary_lines = wrap(&summary.0, inner_w);
    // The form's keys, from the keymap, for the field in focus.
    let key_lines = wrap(
        &keymap::hint(form.mode(), app.session.lang, |m| app.t(m)),
        inner_w,
    );

    // Every field's row, and the notes that will not fit on it.
    let mut text_cursor = None;
    let mut rows: Vec<(Line<'static>, Vec<Span<'static>>)> = Vec::new();
    for (i, field) in fields.iter().enumerate() {
        let focused = *field == form.focus;
        let row = field_row(app, form, plan, *field, focused, value_w, &mut |cx| {
            text_cursor = Some((i, cx))
        });
        let label_text = field.label_text(app.session.lang);
        let label = fit(&label_text, label_w);
        let pad = label_w.saturating_sub(label.width());
        let marker = match (focused, app.session.ascii) {
            (false, _) => " ",
            (true, false) => "▸",
            (true, true) => ">",
        };
        let mut spans = vec![Span::styled(
            format!("{marker}{label}{} ", " ".repeat(pad)),
            if focused { bold() } else { Style::new() },
        )];
        let head_w: usize = label_w + 2 + row.value.iter().map(|s| s.width()).sum::<usize>();
        let notes_w: usize = row.notes.iter().map(|(_, s)| s.width()).sum();
        spans.extend(row.value);
        let mut below = Vec::new();
        if head_w + notes_w <= inner_w {
            spans.extend(row.notes.into_iter().map(|(_, s)| s));
        } else {
            // Too long for the row: a marker stays, the words go below
            // (for the field being filled in and the bay).
            for (mark, note) in row.notes {
                spans.push(Span::styled(format!(" {mark}"), note.style));
                if focused || *field == Field::Bay {
                    below.push(Span::styled(
                        note.content.trim_start().to_string(),
                        note.style,
                    ));
                }
            }
        }
        rows.push((Line::from(spans), below));
    }
    let mut notes: Vec<Line<'static>> = Vec::new();
    for (_, below) in &rows {
        for span in below {
            for l in wrap(&span.content, inner_w) {
                notes.push(Line::styled(l, span.style));
            }
        }
    }
    let summary_style = if summary.1 {
        bad_style(app)
    } else {
        ok_style(app)
    };
    let mut tail: Vec<Line<'static>> = notes;
    tail.extend(
        summary_lines
            .into_iter()
            .map(|l| Line::styled(l, summary_style)),
    );
    // The footer names the form's keys; the full list is for when there is room.
    let focus = match app.screens.last() {
        Some(crate::tui::screens::Screen::Form(_)) => plan.and_then(|p| p.bay),
        _ => None,
    }
    .unwrap_or(app.cursor);
    // A zone of two rows needs less than the parking field.
    let focus_block = app.layout.zone(app.layout.bays[focus].zone);
    let focus_h = FOCUS_H.min(focus_block.rows.len() as u16 + 3);
    let room = body.height.saturating_sub(if strip { focus_h } else { 0 });
    let want = |tail: &[Line]| fields.len() as u16 + tail.len() as u16 + 3;
    if want(&tail) + key_lines.len() as u16 <= room {
        tail.extend(
            key_lines
                .into_iter()
                .map(|l| Line::styled(l, Style::new().add_modifier(Modifier::DIM))),
        );
    }
    let h = want(&tail).min(room).max(6.min(body.height));
    let area = if strip {
        Rect {
            x: body.x,
            y: body.bottom().saturating_sub(h),
            width: w,
            height: h,
        }
    } else {
        Rect {
            x: body.right().saturating_sub(w),
            y: body.y,
            width: w,
            height: h,
        }
    };
    if strip {
        // Above the strip: the zone of the suggested bay around it (or of
        // the cursor, before there is a suggestion and while picking).
        let top = Rect {
            height: area.y.saturating_sub(body.y),
            ..body
        };
        if top.height >= 4 {
            super::map::focus_zone(app, f, top, focus);
        }
    }
    let inner = frame_popup(app, f, area, app.t(Msg::FormTitle));
    let tail_h = (tail.len() as u16 + 1).min(inner.height.saturating_sub(1));
    let rows_avail = (inner.height.saturating_sub(tail_h) as usize).max(1);
    let focus_i = fields.iter().position(|x| *x == form.focus).unwrap_or(0);
    let first = if fields.len() <= rows_avail {
        0
    } else {
        focus_i
            .saturating_sub(rows_avail / 2)
            .min(fields.len() - rows_avail)
    };
    let lines: Vec<Line> = rows
        .into_iter()
        .skip(first)
        .take(rows_avail)
        .map(|(l, _)| l)
        .collect();
    let fields_h = lines.len() as u16;
    f.render_widget(Paragraph::new(lines), inner);
    let tail_area = Rect {
        y: inner.y + fields_h,
        height: inner.height.saturating_sub(fields_h),
        ..inner
    };
    let mut tail_lines = vec![Line::raw("")];
    tail_lines.extend(tail);
    f.render_widget(Paragraph::new(tail_lines), tail_area);
    if let Some((i, cx)) = text_cursor
        && i >= first
        && i - first < rows_avail
    {
        let x = inner.x + label_w as u16 + 2 + cx as u16;
        f.set_cursor_position((
            x.min(inner.right().saturating_sub(1)),
            inner.y + (i - first) as u16,
        ));
    }
}

/// The value of one field, and its notes.
fn field_row(
    app: &App,
    form: &ArrivalForm,
    plan: Option<&ArrivalPlan>,
    field: Field,
    focused: bool,
    value_w: usize,
    cursor: &mut dyn FnMut(usize),
) -> FieldRow {
    let x = if app.session.ascii { "x" } else { "✗" };
    let required = |chosen: bool| -> Option<(&'static str, Span<'static>)> {
        (!chosen && focused).then(|| {
            (
                x,
                Span::styled(format!("  {x} {}", app.t(Msg::ErrRequired)), bad_style(app)),
            )
        })
    };
    let mut notes = Vec::new();
    let value: Vec<Span> = match field {
        Field::Code | Field::PCode(_) => {
            let chosen = form.code_of(field).flatten();
            notes.extend(required(chosen.is_some()));
            choices(
                app,
                HealthCode::ALL
                    .iter()
                    .map(|c| (Some(*c) == chosen, word(*c), code_key(*c))),
            )
        }
        Field::Venue => {
            notes.extend(required(form.venue.is_some()));
            choices(
                app,
                [
                    (form.venue == Some(true), Msg::VenueScanned, 'y'),
                    (form.venue == Some(false), Msg::VenueNotScanned, 'n'),
                ]
                .into_iter(),
            )
        }
        Field::Cargo => choices(
            app,
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
            let (v, n) = bay_value(app, plan);
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
            // A valid plate already on site is named with its bay at once.
            let on_site = (field == Field::Plate && problem.is_none())
                .then(|| form.plate_value().ok().and_then(|p| app.bay_of_plate(&p)))
                .flatten();
            if let Some(bay) = on_site {
                notes.push((
                    x,
                    Span::styled(
                        format!(
                            "  {x} {} {}",
                            app.t(Msg::AlreadyOnSiteIn),
                            app.layout.bays[bay].id
                        ),
                        bad_style(app),
                    ),
                ));
            } else {
                match problem {
                    Some(e) if typed || focused => notes.push((
                        x,
                        Span::styled(format!("  {x} {}", app.t(e.msg)), bad_style(app)),
                    )),
                    None if typed => {
                        let ok = if app.session.ascii { "ok" } else { "✓" };
                        notes.push((ok, Span::styled(format!("  {ok}"), ok_style(app))));
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
                let (ge, to) = if app.session.ascii {
                    (">=", "->")
                } else {
                    ("≥", "→")
                };
                notes.push((
                    "!",
                    Span::styled(
                        format!(
                            "  ! {ge} {:.1} {to} {}",
                            app.session.policy.fever_c,
                            app.t(Msg::ZoneIsolation)
                        ),
                        bad_style(app),
                    ),
                ));
            }
            v
        }
    };
    FieldRow { value, notes }
}

/// Where the arrival goes and why, naming who the checks flagged; true
/// when it is flagged.
fn plan_summary(app: &App, form: &ArrivalForm, plan: Option<&ArrivalPlan>) -> (String, bool) {
    let Some(p) = plan else {
        return (String::new(), false);
    };
    let arrow = if app.session.ascii { "->" } else { "→" };
    // The zone, and the bay with the map's mark for it.
    let zone = match p.bay {
        Some(b) => format!(
            "{} {} {}",
            app.t(word(p.zone)),
            crate::tui::bay_state::BayState::suggested_glyph(app.session.ascii),
            app.layout.bays[b].id
        ),
        None => app.t(word(p.zone)).to_string(),
    };
    if p.findings.is_empty() {
        return (
            format!("{arrow} {zone}: {}", app.t(Msg::ChecksClean)),
            false,
        );
    }
    let who = findings_text(app, &p.findings, |n| form.name_of(n));
    let mut text = format!("{arrow} {zone}: {who}");
    if p.holding
        && let Some(b) = p.bay
    {
        text.push_str(&format!(
            " · {} {}",
            app.t(Msg::HoldingWait),
            app.layout.bays[b].id
        ));
    }
    (text, true)
}

/// One-letter choices, one space apart, the chosen one in brackets and
/// reverse video: `g:green [y:yellow] r:red`.
fn choices(app: &App, items: impl Iterator<Item = (bool, Msg, char)>) -> Vec<Span<'static>> {
    let mut v = Vec::new();
    for (i, (on, msg, key)) in items.enumerate() {
        if i > 0 {
            v.push(Span::raw(" "));
        }
        let text = format!("{key}:{}", app.t(msg));
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
fn bay_value(app: &App, plan: Option<&ArrivalPlan>) -> (Vec<Span<'static>>, Vec<Note>) {
    let Some(p) = plan else {
        return (vec![], vec![]);
    };
    let bay = match p.bay {
        Some(b) => format!(
            "{} {}",
            crate::tui::bay_state::BayState::suggested_glyph(app.session.ascii),
            app.layout.bays[b].id
        ),
        None => format!("{} {}", app.t(Msg::NoFreeBay), app.t(word(p.zone))),
    };
    let mut v = vec![Span::styled(bay, bold())];
    let mut notes = Vec::new();
    // The summary below says where it waits and why.
    if p.holding {
        v.push(Span::styled(
            format!(" ({})", app.t(Msg::ShortHolding)),
            bad_style(app),
        ));
    }
    if p.against {
        notes.push((
            "!",
            Span::styled(format!("  {}", app.t(Msg::AgainstChecks)), bad_style(app)),
        ));
    } else {
        notes.push((
            "",
            Span::styled(
                format!("  {}", app.t(Msg::PickHint)),
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

pub fn search(app: &App, s: &Search, f: &mut Frame, body: Rect) {
    let rows = (s.hits.len() as u16).clamp(1, body.height.saturating_sub(4).min(12));
    let area = centered(body, 44, rows + 4);
    let inner = frame_popup(app, f, area, app.t(Msg::SearchTitle));
    let (shown, cx) = s.input.view(inner.width.saturating_sub(3) as usize);
    let mut lines = vec![Line::from(vec![
        Span::styled("/ ", bold()),
        Span::raw(shown),
    ])];
    f.set_cursor_position((inner.x + 2 + cx as u16, inner.y));
    lines.push(Line::styled(
        format!("{} {}", s.hits.len(), app.t(Msg::SearchMatches)),
        Style::new().add_modifier(Modifier::DIM),
    ));
    let first = s.selected.saturating_sub(rows as usize - 1);
    let pad = |t: String| {
        let w = t.width();
        t + &" ".repeat(10usize.saturating_sub(w))
    };
    for (n, hit) in s.hits.iter().enumerate().skip(first).take(rows as usize) {
        let style = if n == s.selected {
            bold().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        };
        let text = match hit {
            Hit::Bay(bay) => match app.occupant(*bay) {
                Some(o) => format!(
                    " {} {:<8} {}",
                    pad(o.plate.to_string()),
                    app.layout.bays[*bay].id,
                    o.driver.as_deref().unwrap_or("")
                ),
                None => format!(" {} {:<8}", pad(String::new()), app.layout.bays[*bay].id),
            },
            // Marked, so nobody looks for it on the map.
            Hit::Departed { plate, at } => format!(
                " {} {} {}",
                pad(plate.to_string()),
                app.t(Msg::SearchDeparted),
                super::hhmm(app, *at)
            ),
        };
        lines.push(Line::styled(text, style));
    }
    if s.hits.is_empty() && !s.input.is_empty() {
        lines.push(Line::styled(app.t(Msg::SearchNoMatch), bad_style(app)));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

pub fn confirm(app: &App, c: &Confirm, f: &mut Frame, body: Rect) {
    let title_w = app.t(c.title).width() as u16 + 6;
    let w = c
        .lines
        .iter()
        .chain(&c.warnings)
        .map(|l| l.width() as u16 + 4)
        .max()
        .unwrap_or(30)
        .max(title_w)
        .clamp(36, body.width.min(100));
    let inner_w = w.saturating_sub(2).max(1) as usize;
    let rows: u16 = c
        .lines
        .iter()
        .chain(&c.warnings)
        .map(|l| l.width().div_ceil(inner_w).max(1) as u16)
        .sum();
    let area = centered(body, w, rows + 4);
    let inner = frame_popup(app, f, area, app.t(c.title));
    // The subject first, then what stands in the way, then what Enter does.
    let mut lines: Vec<Line> = c
        .lines
        .iter()
        .take(1)
        .map(|l| Line::styled(l.clone(), bold()))
        .collect();
    lines.extend(
        c.warnings
            .iter()
            .map(|l| Line::styled(l.clone(), bad_style(app))),
    );
    lines.extend(
        c.lines
            .iter()
            .skip(1)
            .map(|l| Line::styled(l.clone(), bold())),
    );
    lines.push(Line::raw(""));
    let keys = if c.then == Then::Close {
        Msg::CloseKeys
    } else {
        Msg::ConfirmKeys
    };
    lines.push(Line::styled(
        app.t(keys),
        Style::new().add_modifier(Modifier::DIM),
    ));
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

pub fn prompt(app: &App, p: &Prompt, f: &mut Frame, body: Rect) {
    let area = centered(body, 60, 6);
    let inner = frame_popup(app, f, area, app.t(p.title));
    let (shown, cx) = p.input.view(inner.width.saturating_sub(3) as usize);
    let lines = vec![
        Line::styled(p.subject.clone(), bold()),
        Line::from(vec![Span::styled("> ", bold()), Span::raw(shown)]),
        Line::raw(""),
        Line::styled(
            app.t(Msg::PromptKeys),
            Style::new().add_modifier(Modifier::DIM),
        ),
    ];
    f.set_cursor_position((inner.x + 2 + cx as u16, inner.y + 1));
    f.render_widget(Paragraph::new(lines), inner);
}

pub fn menu(app: &App, m: &Menu, f: &mut Frame, body: Rect) {
    let area = centered(body, 40, m.options.len() as u16 + 5);
    let inner = frame_popup(app, f, area, app.t(m.title));
    let mut lines = vec![Line::styled(m.subject.clone(), bold()), Line::raw("")];
    for o in &m.options {
        lines.push(Line::from(vec![
            Span::styled(
                format!(" {} ", o.key),
                bold().add_modifier(Modifier::REVERSED),
            ),
            Span::raw(format!("  {}{}", app.t(o.label), o.detail)),
        ]));
    }
    lines.push(Line::styled(
        app.t(Msg::MenuKeys),
        Style::new().add_modifier(Modifier::DIM),
    ));
    f.render_widget(Paragraph::new(lines), inner);
}

/// Every key of the screen under the help, from the keymap, and the policy.
pub fn help(app: &App, f: &mut Frame, body: Rect) {
    let mode = app.help_mode();
    let area = centered(body, body.width.saturating_sub(4).min(120), body.height);
    let title = format!("{} — {}", app.t(Msg::HelpTitle), app.t(mode.title()));
    let inner = frame_popup(app, f, area, &title);
    let entries: Vec<(String, &str)> = keymap::bindings(mode)
        .map(|b| {
            let keys = b
                .keys
                .iter()
                .map(|k| k.label_in(app.session.lang))
                .collect::<Vec<_>>()
                .join(" ");
            (keys, app.t(b.help))
        })
        .collect();
    let p = &app.session.policy;
    let policy = app
        .t(Msg::HelpPolicy)
        .replace("{fever}", &format!("{:.1}", p.fever_c))
        .replace("{antigen}", &p.antigen_due_min.to_string())
        .replace("{pcr}", &format!("{:.1}", p.pcr_due_min as f64 / 60.0))
        .replace("{review}", &p.isolation_review_h.to_string())
        .replace("{disinfect}", &p.disinfection_every_h.to_string());
    let reserved = 3u16;
    let rows_avail = inner.height.saturating_sub(reserved).max(1) as usize;
    let cols = entries.len().div_ceil(rows_avail).max(1);
    let col_w = (inner.width as usize / cols).max(12);
    let per_col = entries.len().div_ceil(cols);
    let key_w = entries
        .iter()
        .map(|(k, _)| k.width())
        .max()
        .unwrap_or(4)
        .min(13);
    let mut lines: Vec<Line> = Vec::new();
    for r in 0..per_col {
        let mut spans = Vec::new();
        for c in 0..cols {
            if let Some((k, d)) = entries.get(c * per_col + r) {
                let key = fit(k, key_w);
                let text = fit(d, col_w.saturating_sub(key_w + 3));
                let lead = key_w.saturating_sub(key.width());
                let trail = col_w.saturating_sub(key_w + 2 + text.width());
                spans.push(Span::styled(format!("{}{key}", " ".repeat(lead)), bold()));
                spans.push(Span::raw(format!("  {text}{}", " ".repeat(trail))));
            }
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        policy,
        Style::new().add_modifier(Modifier::DIM),
    ));
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
