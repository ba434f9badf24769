//! The bay panel: the bay under the cursor and its truck — plate, driver,
//! cargo, since when, checks, tests, isolation, handoff, service — and the
//! keys that act on it. A two-line strip of the same on small terminals.
//!
//! (Just over 400 lines: one panel, every field of a stay.)

use crate::i18n::words::word;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::map::{block, legend};
use super::{color, hhmm, span};
use crate::domain::clocks::ClockKind;
use crate::domain::stay::Status;
use crate::i18n::Msg;
use crate::store::{BayView, StayDetail};
use crate::tui::app::App;
use crate::tui::bay_state::BayState;
use crate::tui::flows::person_text;

fn bold() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

/// The state line of a bay: glyph and words.
fn state_span(app: &App, view: &BayView) -> Span<'static> {
    let zone = app.layout.bays[app.cursor].zone;
    let s = BayState::of(view, app.disinfection_due(zone), app.now);
    Span::styled(
        format!("{} {}", s.glyph(app.session.ascii), app.t(s.label())),
        s.style(color(app)),
    )
}

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let bay = &app.layout.bays[app.cursor];
    let view = &app.snap.lot.bays[app.cursor];
    let title = Line::from(Span::styled(
        format!(" {} {} ", app.t(Msg::Bay), bay.id),
        bold(),
    ));
    let b = block(app, title, false);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let [body, keys, leg] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(3),
        Constraint::Length(3),
    ])
    .areas(inner);

    let mut lines = vec![Line::from(vec![
        Span::raw(format!("{}  ", app.t(word(bay.zone)))),
        state_span(app, view),
    ])];
    if let Some(reason) = &view.closed {
        lines.push(Line::from(format!(
            "{}: {reason}",
            app.t(Msg::ClosedBecause)
        )));
    }
    match (&view.occupant, &app.detail) {
        (Some(o), Some(d)) if d.stay == o.stay => truck_lines(app, d, &mut lines),
        (Some(o), _) => {
            lines.push(Line::from(Span::styled(o.plate.to_string(), bold())));
        }
        (None, _) => {}
    }
    let zone_clock = app
        .snap
        .lot
        .zone_disinfected
        .get(bay.zone.index())
        .copied()
        .flatten();
    let next_due = app.clocks.iter().find_map(|c| match c.kind {
        ClockKind::Disinfection { zone } if zone == bay.zone => Some(c.due),
        _ => None,
    });
    lines.push(Line::raw(""));
    lines.push(Line::from(format!(
        "{}: {}",
        app.t(Msg::LastDisinfected),
        zone_clock
            .map(|t| hhmm(app, t))
            .unwrap_or_else(|| app.t(Msg::Never).into())
    )));
    if let Some(due) = next_due {
        let style = if app.now > due {
            BayState::DisinfectionDue.style(color(app))
        } else {
            Style::new()
        };
        lines.push(Line::styled(
            format!("{}: {}", app.t(Msg::NextDue), hhmm(app, due)),
            style,
        ));
    }
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), body);

    let key_line = if view.occupant.is_some() {
        app.t(Msg::PanelKeysTruck)
    } else {
        app.t(Msg::PanelKeysFree)
    };
    // Broken between entries ("m move"), never inside one.
    let sep = if app.session.ascii { " | " } else { " · " };
    let mut key_lines: Vec<String> = vec![String::new()];
    for entry in key_line.split(sep) {
        let line = key_lines.last_mut().expect("one line at least");
        if line.is_empty() {
            line.push_str(entry);
        } else if line.width() + sep.width() + entry.width() <= keys.width as usize {
            line.push_str(sep);
            line.push_str(entry);
        } else {
            key_lines.push(entry.to_string());
        }
    }
    f.render_widget(
        Paragraph::new(key_lines.into_iter().map(Line::from).collect::<Vec<_>>())
            .style(Style::new().add_modifier(Modifier::DIM)),
        keys,
    );
    f.render_widget(Paragraph::new(legend(app, false, leg.width as usize)), leg);
}

fn truck_lines(app: &App, d: &StayDetail, lines: &mut Vec<Line<'static>>) {
    let mut head = vec![Span::styled(
        d.plate.to_string(),
        bold().fg(if color(app) {
            Color::White
        } else {
            Color::Reset
        }),
    )];
    if d.cargo.is_priority() {
        head.push(Span::styled(
            format!("  ★ {}", app.t(word(d.cargo))),
            Style::new().fg(Color::Yellow),
        ));
    } else {
        head.push(Span::raw(format!("  {}", app.t(word(d.cargo)))));
    }
    lines.push(Line::from(head));
    let who = [d.driver.clone(), d.phone.as_ref().map(|p| p.masked())]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("  ");
    if !who.is_empty() {
        lines.push(Line::from(who));
    }
    if d.origin.is_some() || d.destination.is_some() {
        lines.push(Line::from(format!(
            "{} → {}",
            d.origin.as_deref().unwrap_or("?"),
            d.destination.as_deref().unwrap_or("?")
        )));
    }
    lines.push(Line::from(format!(
        "{} {} ({})   {} {}",
        app.t(Msg::ArrivedAt),
        hhmm(app, d.arrived_at),
        span(app, app.now - d.arrived_at),
        app.t(Msg::InBaySince),
        hhmm(app, d.bay_since)
    )));
    // Everyone in the cab, with their latest measurement.
    if d.people.is_empty() {
        let temp = d
            .temperature
            .map(|t| format!("{t:.1} {}  ", deg(app)))
            .unwrap_or_default();
        lines.push(Line::from(format!(
            "{temp}{} {}",
            app.t(Msg::Code),
            app.t(word(d.code))
        )));
    }
    for p in &d.people {
        let temp = p
            .temperature
            .map(|t| format!("{t:.1} {}", deg(app)))
            .unwrap_or_else(|| "—".into());
        let fever = p
            .temperature
            .is_some_and(|t| t >= app.session.policy.fever_c);
        let flagged = fever || p.code != crate::domain::policy::HealthCode::Green;
        let text = format!(
            "{}  {temp}  {}",
            person_text(app, p.person, p.name.as_deref()),
            app.t(word(p.code))
        );
        lines.push(if flagged {
            Line::styled(text, BayState::Positive.style(color(app)))
        } else {
            Line::from(text)
        });
    }
    let mut gate = Vec::new();
    if let Some(g) = &d.gate {
        gate.push(format!("{} {g}", app.t(Msg::GateLabel)));
    }
    if let Some(v) = d.venue_code {
        let m = if v {
            Msg::VenueScanned
        } else {
            Msg::VenueNotScanned
        };
        gate.push(format!("{} {}", app.t(Msg::VenueLabel), app.t(m)));
    }
    if !gate.is_empty() {
        lines.push(Line::from(gate.join(" · ")));
    }
    let name = |n: u8| {
        d.people
            .iter()
            .find(|p| p.person == n)
            .and_then(|p| p.name.clone())
    };
    let checks = crate::i18n::words::findings_in(app.session.lang, &d.findings, name);
    if !d.findings.is_empty() {
        lines.push(Line::styled(
            format!("{}: {checks}", app.t(Msg::Flagged)),
            BayState::Positive.style(color(app)),
        ));
    }
    lines.push(Line::from(Span::styled(
        app.t(word(d.status)).to_string(),
        bold(),
    )));
    if let Some(r) = &d.override_reason {
        lines.push(Line::styled(
            format!(
                "{} {}: {r}",
                BayState::Overridden.glyph(app.session.ascii),
                app.t(Msg::AgainstChecksReason)
            ),
            BayState::Overridden.style(color(app)),
        ));
    }
    if matches!(d.status, Status::Isolated | Status::Holding) {
        // What someone typed, or else the checks that sent it there.
        let reason = d.isolation_reason.as_deref().unwrap_or(&checks);
        lines.push(Line::from(format!("{}: {reason}", app.t(Msg::Reason))));
    }
    if let Some(n) = &d.escalation_note {
        let at = d
            .escalated_at
            .map(|t| format!(" {}", hhmm(app, t)))
            .unwrap_or_default();
        let flag = if app.session.ascii { "F" } else { "⚑" };
        lines.push(Line::from(format!(
            "{flag} {}{at}: {n}",
            app.t(Msg::Escalated)
        )));
    }
    if let Some(by) = &d.released_by {
        let at = d
            .released_at
            .map(|t| format!(" {}", hhmm(app, t)))
            .unwrap_or_default();
        let why = d
            .release_reason
            .as_ref()
            .map(|r| format!(": {r}"))
            .unwrap_or_default();
        lines.push(Line::from(format!(
            "{} {by}{at}{why}",
            app.t(Msg::ReleasedBy)
        )));
    }
    if let (Some(mode), Some(at)) = (d.handoff_mode, d.handoff_started_at) {
        let done = d
            .handoff_done_at
            .map(|t| format!(" ✓ {}", hhmm(app, t)))
            .unwrap_or_default();
        lines.push(Line::from(format!(
            "{} {} {} {}{done}",
            app.t(Msg::HandoffLabel),
            app.t(word(mode)),
            d.handoff_counterpart.as_deref().unwrap_or(""),
            hhmm(app, at)
        )));
        if let Some(by) = &d.handoff_by {
            lines.push(Line::from(format!("{} {by}", app.t(Msg::AuthorisedBy))));
        }
        if d.handoff_done_at.is_some() {
            lines.push(Line::from(match d.handoff_confirmed_at {
                Some(t) => format!("{} {}", app.t(Msg::HandoffConfirmedAt), hhmm(app, t)),
                None => app.t(Msg::HandoffUnconfirmed).to_string(),
            }));
        }
    }
    for s in &d.samples {
        let test = app.t(word(s.test));
        let text = match (s.result, s.result_at) {
            (Some(r), Some(at)) => format!("{test} {} {}", app.t(word(r)), hhmm(app, at)),
            _ if app.now > s.due_at => format!(
                "{test} ! {} {}",
                app.t(Msg::OverdueBy),
                span(app, app.now - s.due_at)
            ),
            _ => format!("{test} {} {}", app.t(Msg::PendingDue), hhmm(app, s.due_at)),
        };
        let style = if s.result.is_none() && app.now > s.due_at {
            BayState::Overdue.style(color(app))
        } else if s.result == Some(crate::domain::event::TestResult::Positive) {
            BayState::Positive.style(color(app))
        } else {
            Style::new()
        };
        lines.push(Line::styled(text, style));
    }
    for s in &d.services {
        let text = match s.done_at {
            None => format!(
                "{} {} {}",
                app.t(Msg::ServiceOpen),
                app.t(word(s.service)),
                hhmm(app, s.requested_at)
            ),
            Some(done) => format!(
                "{} {} → {} ({} {})",
                app.t(word(s.service)),
                hhmm(app, s.requested_at),
                hhmm(app, done),
                app.t(Msg::ServedIn),
                span(app, done - s.requested_at)
            ),
        };
        lines.push(Line::from(text));
    }
}

/// Two lines for small terminals: the bay and its truck, then its tests.
pub fn strip(app: &App, f: &mut Frame, area: Rect) {
    let bay = &app.layout.bays[app.cursor];
    let view = &app.snap.lot.bays[app.cursor];
    let mut first = vec![
        Span::styled(
            format!("{} ", bay.id),
            bold().add_modifier(Modifier::REVERSED),
        ),
        Span::raw(" "),
        state_span(app, view),
    ];
    let mut second = Vec::new();
    match (&view.occupant, &app.detail) {
        (Some(o), d) => {
            first.push(Span::styled(format!("  {}", o.plate), bold()));
            if o.cargo.is_priority() {
                first.push(Span::raw(" ★"));
            }
            if let Some(name) = &o.driver {
                first.push(Span::raw(format!("  {name}")));
            }
            first.push(Span::raw(format!(
                "  {} {} ({})",
                app.t(Msg::ArrivedAt),
                hhmm(app, o.arrived_at),
                span(app, app.now - o.arrived_at)
            )));
            if let Some(d) = d.as_ref().filter(|d| d.stay == o.stay) {
                for s in &d.samples {
                    let state = match s.result {
                        Some(r) => app.t(word(r)).to_string(),
                        None if app.now > s.due_at => {
                            format!("! {}", span(app, app.now - s.due_at))
                        }
                        None => format!("→ {}", hhmm(app, s.due_at)),
                    };
                    second.push(Span::raw(format!("{} {state}  ", app.t(word(s.test)))));
                }
                if d.status != Status::Parked {
                    second.push(Span::raw(app.t(word(d.status)).to_string()));
                }
            }
        }
        (None, _) => {
            if let Some(r) = &view.closed {
                first.push(Span::raw(format!("  {r}")));
            }
            second.push(Span::styled(
                app.t(Msg::PanelKeysFree).to_string(),
                Style::new().add_modifier(Modifier::DIM),
            ));
        }
    }
    f.render_widget(
        Paragraph::new(vec![Line::from(first), Line::from(second)]),
        area,
    );
}

/// The degree sign, or none with `--ascii` ("36.5 C").
fn deg(app: &App) -> &'static str {
    if app.session.ascii { "C" } else { "°C" }
}
