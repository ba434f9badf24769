//! Everything drawn over the map: the arrival form, search, confirmations,
//! prompts, one-key menus and help.

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
use crate::tui::keymap::{self, Mode};
use crate::tui::screens::{Confirm, Menu, Prompt, Search, Then};

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
/// suggested bay blinking on it) stays in view. When its fields do not fit
/// (four people on a small terminal) they scroll with the focus.
pub fn form(app: &App, form: &ArrivalForm, f: &mut Frame, body: Rect) {
    let w = 66.min(body.width);
    let fields: Vec<Field> = form.fields().collect();
    let plan = app.arrival_plan();
    let summary = plan_summary(app, form, plan);
    let keys = app.t(Msg::FormKeys);
    let inner_w = w.saturating_sub(2) as usize;
    let wrapped = |t: &str| t.width().div_ceil(inner_w.max(1)).max(1) as u16;
    let tail_h = 1 + wrapped(&summary.0) + wrapped(keys);
    let h = (fields.len() as u16 + tail_h + 2).min(body.height);
    let area = Rect {
        x: body.right().saturating_sub(w),
        y: body.y,
        width: w,
        height: h,
    };
    let inner = frame_popup(app, f, area, app.t(Msg::FormTitle));
    let rows_avail = (inner.height.saturating_sub(tail_h) as usize).max(1);
    let focus_i = fields.iter().position(|x| *x == form.focus).unwrap_or(0);
    let first = if fields.len() <= rows_avail {
        0
    } else {
        focus_i
            .saturating_sub(rows_avail / 2)
            .min(fields.len() - rows_avail)
    };
    let label_w = 14usize;
    let value_w = (inner.width as usize).saturating_sub(label_w + 2);
    let mut lines = Vec::new();
    let mut cursor = None;
    for (row, field) in fields.iter().enumerate().skip(first).take(rows_avail) {
        let row = row - first;
        let focused = *field == form.focus;
        let label_text = field.label_text(app.session.lang);
        let label = fit(&label_text, label_w);
        let pad = label_w.saturating_sub(label.width());
        let mut spans = vec![Span::styled(
            format!(
                "{}{label}{} ",
                if focused { "▸" } else { " " },
                " ".repeat(pad)
            ),
            if focused { bold() } else { Style::new() },
        )];
        let required = |chosen: bool| -> Option<Span<'static>> {
            (!chosen && focused)
                .then(|| Span::styled(format!("  ✗ {}", app.t(Msg::ErrRequired)), bad_style(app)))
        };
        let value: Vec<Span> = match field {
            Field::Code | Field::PCode(_) => {
                let chosen = form.code_of(*field).flatten();
                let mut v = choices(
                    app,
                    HealthCode::ALL
                        .iter()
                        .map(|c| (Some(*c) == chosen, word(*c), code_key(*c))),
                );
                v.extend(required(chosen.is_some()));
                v
            }
            Field::Venue => {
                let mut v = choices(
                    app,
                    [
                        (form.venue == Some(true), Msg::VenueScanned, 'y'),
                        (form.venue == Some(false), Msg::VenueNotScanned, 'n'),
                    ]
                    .into_iter(),
                );
                v.extend(required(form.venue.is_some()));
                v
            }
            Field::Cargo => choices(
                app,
                Cargo::ALL
                    .iter()
                    .map(|c| (*c == form.cargo, word(*c), cargo_key(*c))),
            ),
            Field::Gate => form
                .gates
                .iter()
                .enumerate()
                .flat_map(|(i, g)| {
                    let text = format!("{}:{g}", i + 1);
                    if i == form.gate {
                        [Span::styled(
                            format!("[{text}]"),
                            bold().add_modifier(Modifier::REVERSED),
                        )]
                    } else {
                        [Span::raw(format!(" {text} "))]
                    }
                })
                .collect(),
            Field::Travel | Field::Handoff => {
                vec![Span::raw(if form.flag(*field) == Some(true) {
                    "[x] y/n"
                } else {
                    "[ ] y/n"
                })]
            }
            Field::Bay => bay_value(app, plan),
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
                    .then(|| {
                        crate::domain::plate::Plate::parse(&form.plate.text())
                            .ok()
                            .and_then(|p| app.bay_of_plate(&p))
                    })
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
                // A fever is named where it was typed.
                let person = match field {
                    Field::Temp => Some(0u8),
                    Field::PTemp(n) => Some(*n as u8 + 1),
                    _ => None,
                };
                if let (Some(n), Some(p)) = (person, plan)
                    && p.findings
                        .iter()
                        .any(|x| x.person == n && x.flag == CheckFlag::Fever)
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
    let fields_h = lines.len() as u16;
    f.render_widget(Paragraph::new(lines), inner);
    let tail = Rect {
        y: inner.y + fields_h,
        height: inner.height.saturating_sub(fields_h),
        ..inner
    };
    let tail_lines = vec![
        Line::raw(""),
        Line::styled(
            summary.0,
            if summary.1 {
                bad_style(app)
            } else {
                ok_style(app)
            },
        ),
        Line::styled(keys, Style::new().add_modifier(Modifier::DIM)),
    ];
    f.render_widget(Paragraph::new(tail_lines).wrap(Wrap { trim: false }), tail);
    if let Some((x, y)) = cursor {
        f.set_cursor_position((x.min(inner.right().saturating_sub(1)), y));
    }
}

/// Where the arrival goes and why, naming who the checks flagged; true
/// when it is flagged.
fn plan_summary(app: &App, form: &ArrivalForm, plan: Option<&ArrivalPlan>) -> (String, bool) {
    let Some(p) = plan else {
        return (String::new(), false);
    };
    let zone = app.t(word(p.zone));
    if p.findings.is_empty() {
        return (format!("→ {zone}: {}", app.t(Msg::ChecksClean)), false);
    }
    let who = findings_text(app, &p.findings, |n| form.name_of(n));
    let mut text = format!("→ {zone}: {who}");
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

fn bay_value(app: &App, plan: Option<&ArrivalPlan>) -> Vec<Span<'static>> {
    let Some(p) = plan else { return vec![] };
    let bay = p
        .bay
        .map(|b| app.layout.bays[b].id.to_string())
        .unwrap_or_else(|| format!("{} {}", app.t(Msg::NoFreeBay), app.t(word(p.zone))));
    let mut v = vec![Span::styled(bay, bold())];
    if p.holding {
        v.push(Span::styled(
            format!(" ({})", app.t(Msg::StateHolding)),
            bad_style(app),
        ));
    }
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

fn code_key(c: HealthCode) -> char {
    match c {
        HealthCode::Green => 'g',
        HealthCode::Yellow => 'y',
        HealthCode::Red => 'r',
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
