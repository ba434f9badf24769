//! Everything drawn over the map: the arrival form, search, confirmations,
//! prompts, one-key menus and help.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::map::block;
use super::{centered, color};
use crate::domain::policy::{Cargo, HealthCode};
use crate::domain::text::fit;
use crate::i18n::Msg;
use crate::tui::app::App;
use crate::tui::flows::zone_msg;
use crate::tui::form::{ArrivalForm, Field};
use crate::tui::keymap::{self, Mode};
use crate::tui::screens::{Confirm, Menu, Prompt, Search};

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

/// The arrival form sits at the right of the body, so the map (and the
/// suggested bay blinking on it) stays in view.
pub fn form(app: &App, form: &ArrivalForm, f: &mut Frame, body: Rect) {
    let w = 66.min(body.width);
    let fields: Vec<Field> = form.fields().collect();
    let h = (fields.len() as u16 + 5).min(body.height);
    let area = Rect {
        x: body.right().saturating_sub(w),
        y: body.y,
        width: w,
        height: h,
    };
    let inner = frame_popup(app, f, area, app.t(Msg::FormTitle));
    let label_w = 14usize;
    let value_w = (inner.width as usize).saturating_sub(label_w + 2);
    let plan = app.arrival_plan();
    let mut lines = Vec::new();
    let mut cursor = None;
    for (row, field) in fields.iter().enumerate() {
        let focused = *field == form.focus;
        let label = fit(app.t(field.label()), label_w);
        let pad = label_w.saturating_sub(label.width());
        let mut spans = vec![Span::styled(
            format!(
                "{}{label}{} ",
                if focused { "▸" } else { " " },
                " ".repeat(pad)
            ),
            if focused { bold() } else { Style::new() },
        )];
        let value: Vec<Span> = match field {
            Field::Code => choices(
                app,
                HealthCode::ALL
                    .iter()
                    .map(|c| (*c == form.code, code_msg(*c), code_key(*c))),
            ),
            Field::Cargo => choices(
                app,
                Cargo::ALL
                    .iter()
                    .map(|c| (*c == form.cargo, cargo_msg(*c), cargo_key(*c))),
            ),
            Field::Travel => vec![Span::raw(if form.travel { "[x] y/n" } else { "[ ] y/n" })],
            Field::Handoff => vec![Span::raw(if form.handoff_required {
                "[x] y/n"
            } else {
                "[ ] y/n"
            })],
            Field::Bay => bay_value(app, plan.as_ref()),
            _ => {
                let input = form.input_ref(*field).cloned().unwrap_or_default();
                let (shown, cx) = input.view(value_w.saturating_sub(14).max(8));
                if focused {
                    cursor = Some((
                        inner.x + label_w as u16 + 2 + cx as u16,
                        inner.y + row as u16,
                    ));
                }
                let mut v = vec![Span::raw(shown)];
                let problem = form.problem(*field);
                let typed = !input.is_empty();
                // A valid plate already on site is named with its bay at once.
                let on_site = (*field == Field::Plate && problem.is_none())
                    .then(|| form.record().and_then(|r| app.bay_of_plate(&r.plate)))
                    .flatten();
                if let Some(bay) = on_site {
                    v.push(Span::styled(
                        format!(
                            "  ✗ {} {}",
                            app.t(Msg::AlreadyOnSiteIn),
                            app.layout.bays[bay].id
                        ),
                        bad_style(app),
                    ));
                } else {
                    match problem {
                        Some(e) if typed || focused => v.push(Span::styled(
                            format!("  ✗ {}", app.t(e.msg)),
                            bad_style(app),
                        )),
                        None if typed => v.push(Span::styled("  ✓", ok_style(app))),
                        _ => {}
                    }
                }
                if *field == Field::Temp
                    && let Some(p) = &plan
                    && p.flags.contains(&crate::domain::policy::CheckFlag::Fever)
                {
                    v.push(Span::styled(
                        format!(
                            "  ! ≥ {:.1} → {}",
                            app.session.policy.fever_c,
                            app.t(Msg::ZoneIsolation)
                        ),
                        bad_style(app),
                    ));
                }
                v
            }
        };
        spans.extend(value);
        lines.push(Line::from(spans));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        app.t(Msg::FormKeys),
        Style::new().add_modifier(Modifier::DIM),
    ));
    f.render_widget(Paragraph::new(lines), inner);
    if let Some((x, y)) = cursor {
        f.set_cursor_position((x.min(inner.right().saturating_sub(1)), y));
    }
}

fn choices(app: &App, items: impl Iterator<Item = (bool, Msg, char)>) -> Vec<Span<'static>> {
    let mut v = Vec::new();
    for (on, msg, key) in items {
        let text = format!("{key}:{}", app.t(msg));
        if on {
            v.push(Span::styled(
                format!("[{text}]"),
                bold().add_modifier(Modifier::REVERSED),
            ));
        } else {
            v.push(Span::raw(format!(" {text} ")));
        }
    }
    v
}

fn bay_value(app: &App, plan: Option<&crate::tui::flows::ArrivalPlan>) -> Vec<Span<'static>> {
    let Some(p) = plan else { return vec![] };
    let why = if p.flags.is_empty() {
        app.t(Msg::ChecksClean).to_string()
    } else {
        p.flags
            .iter()
            .map(|f| app.t(flag_msg(*f)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let bay = p
        .bay
        .map(|b| app.layout.bays[b].id.to_string())
        .unwrap_or_else(|| format!("{} {}", app.t(Msg::NoFreeBay), app.t(zone_msg(p.zone))));
    let mut v = vec![Span::styled(bay, bold())];
    v.push(Span::raw(format!(" ({}: {why})", app.t(zone_msg(p.zone)))));
    if p.against {
        v.push(Span::styled(
            format!(" {}", app.t(Msg::AgainstChecks)),
            bad_style(app),
        ));
    } else {
        v.push(Span::styled(
            format!(" {}", app.t(Msg::PickHint)),
            Style::new().add_modifier(Modifier::DIM),
        ));
    }
    v
}

fn flag_msg(f: crate::domain::policy::CheckFlag) -> Msg {
    use crate::domain::policy::CheckFlag as F;
    match f {
        F::Fever => Msg::FlagFever,
        F::YellowCode => Msg::FlagYellow,
        F::RedCode => Msg::FlagRed,
        F::TravelHistory => Msg::FlagTravel,
    }
}

fn code_msg(c: HealthCode) -> Msg {
    match c {
        HealthCode::Green => Msg::CodeGreen,
        HealthCode::Yellow => Msg::CodeYellow,
        HealthCode::Red => Msg::CodeRed,
    }
}

fn code_key(c: HealthCode) -> char {
    match c {
        HealthCode::Green => 'g',
        HealthCode::Yellow => 'y',
        HealthCode::Red => 'r',
    }
}

fn cargo_msg(c: Cargo) -> Msg {
    match c {
        Cargo::Emergency => Msg::CargoEmergency,
        Cargo::Living => Msg::CargoLiving,
        Cargo::Production => Msg::CargoProduction,
        Cargo::Other => Msg::CargoOther,
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
    for (n, &bay) in s.hits.iter().enumerate().skip(first).take(rows as usize) {
        let Some(o) = app.occupant(bay) else { continue };
        let style = if n == s.selected {
            bold().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        };
        lines.push(Line::styled(
            format!(
                " {:<10} {:<8} {}",
                o.plate.to_string() + &" ".repeat(10usize.saturating_sub(o.plate.width())),
                app.layout.bays[bay].id,
                o.driver.as_deref().unwrap_or("")
            ),
            style,
        ));
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
        .map(|l| l.width() as u16 + 4)
        .max()
        .unwrap_or(30)
        .max(title_w)
        .clamp(36, body.width);
    let area = centered(body, w, c.lines.len() as u16 + 4);
    let inner = frame_popup(app, f, area, app.t(c.title));
    let mut lines: Vec<Line> = c
        .lines
        .iter()
        .map(|l| Line::styled(l.clone(), bold()))
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        app.t(Msg::ConfirmKeys),
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
            Span::raw(format!("  {}", app.t(o.label))),
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
    let below = app
        .screens
        .len()
        .checked_sub(2)
        .and_then(|i| app.screens.get(i));
    let mode = match below {
        None => Mode::Map,
        Some(crate::tui::screens::Screen::Clocks(_)) => Mode::Clocks,
        Some(crate::tui::screens::Screen::Isolation(_)) => Mode::Isolation,
        Some(_) => Mode::Map,
    };
    let area = centered(body, body.width.saturating_sub(4).min(120), body.height);
    let title = format!("{} — {}", app.t(Msg::HelpTitle), app.t(mode.title()));
    let inner = frame_popup(app, f, area, &title);
    let entries: Vec<(String, &str)> = keymap::bindings(mode)
        .map(|b| {
            let keys = b
                .keys
                .iter()
                .map(|k| k.label())
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
