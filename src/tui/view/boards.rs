//! The shift lead's boards: clocks (everything due, soonest first, live) and
//! the isolation board (sortable, with the next action per truck).

use crate::i18n::words::word;
use chrono::Duration;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};

use super::map::block;
use super::{color, hhmm, span};
use crate::domain::clocks::{ClockKind, IsolationRow, NextAction};
use crate::i18n::Msg;
use crate::tui::app::App;
use crate::tui::bay_state::BayState;
use crate::tui::screens::{Board, IsolationCol};

fn bold() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

fn late_style(app: &App) -> Style {
    BayState::Overdue.style(color(app))
}

pub fn clocks(app: &App, b: &Board, f: &mut Frame, area: Rect) {
    let title = Line::from(Span::styled(
        format!(
            " {} — {} {} ",
            app.t(Msg::ClocksTitle),
            app.overdue(),
            app.t(Msg::Overdue)
        ),
        bold(),
    ));
    let outer = block(app, title, true);
    let inner = outer.inner(area);
    f.render_widget(outer, area);
    if app.clocks.is_empty() {
        f.render_widget(Paragraph::new(app.t(Msg::NothingDue)), inner);
        return;
    }
    let header = Row::new(
        [
            Msg::ColDue,
            Msg::ColLeft,
            Msg::ColWhat,
            Msg::ColPlate,
            Msg::ColBay,
            Msg::ColSince,
        ]
        .map(|m| Cell::from(app.t(m))),
    )
    .style(bold().add_modifier(Modifier::UNDERLINED));
    let whats: Vec<String> = app.clocks.iter().map(|c| what_text(app, c)).collect();
    // The "what" column as wide as its longest entry, so none is cut.
    let what_w = whats
        .iter()
        .map(|w| unicode_width::UnicodeWidthStr::width(w.as_str()))
        .chain([unicode_width::UnicodeWidthStr::width(app.t(Msg::ColWhat))])
        .max()
        .unwrap_or(20) as u16;
    let rows = app.clocks.iter().zip(whats).map(|(c, what)| {
        let left = c.remaining(app.now);
        let late = c.overdue(app.now);
        let left_text = if late {
            // Round lateness up: a clock just past due says -1 m, never -0 m.
            format!("-{}", span(app, left - Duration::seconds(59)))
        } else {
            span(app, left)
        };
        let (plate, bay) = match &c.truck {
            Some(t) => (
                t.plate.to_string(),
                t.bay.as_ref().map(|b| b.to_string()).unwrap_or_default(),
            ),
            None => (String::new(), String::new()),
        };
        let row = Row::new(vec![
            Cell::from(hhmm(app, c.due)),
            Cell::from(left_text),
            Cell::from(what),
            Cell::from(plate),
            Cell::from(bay),
            Cell::from(format!(
                "{} ({})",
                hhmm(app, c.started),
                span(app, app.now - c.started)
            )),
        ]);
        if late {
            row.style(late_style(app))
        } else {
            row
        }
    });
    let widths = [
        Constraint::Length(11),
        Constraint::Length(10),
        Constraint::Length(what_w),
        Constraint::Length(11),
        Constraint::Length(8),
        Constraint::Fill(1),
    ];
    let table = Table::new(rows, widths)
        .header(header)
        .row_highlight_style(bold().add_modifier(Modifier::REVERSED));
    let mut state = TableState::default().with_selected(Some(b.selected));
    f.render_stateful_widget(table, inner, &mut state);
}

/// What a clock is for, in the interface language.
fn what_text(app: &App, c: &crate::domain::clocks::DueItem) -> String {
    match &c.kind {
        ClockKind::Result { test } => {
            format!("{} {}", app.t(Msg::KindResult), app.t(word(*test)))
        }
        ClockKind::IsolationReview => app.t(Msg::KindReview).to_string(),
        ClockKind::Disinfection { zone } => {
            format!("{} {}", app.t(Msg::KindDisinfect), app.t(word(*zone)))
        }
        ClockKind::Service { service } => {
            format!("{} {}", app.t(Msg::KindService), app.t(word(*service)))
        }
        ClockKind::Handoff { mode } => {
            format!("{} {}", app.t(Msg::KindHandoff), app.t(word(*mode)))
        }
        ClockKind::HandoffConfirm { mode } => {
            format!("{} {}", app.t(word(*mode)), app.t(Msg::KindHandoffConfirm))
        }
        ClockKind::WaitingForIsolation => app.t(Msg::KindWaitingIsolation).to_string(),
    }
}

fn next_text(app: &App, n: &NextAction) -> String {
    match n {
        NextAction::ChaseResult { test } => {
            format!("{} {}", app.t(Msg::NextChase), app.t(word(*test)))
        }
        NextAction::AwaitResult { test, due } => {
            format!(
                "{} {} {}",
                app.t(Msg::NextAwait),
                app.t(word(*test)),
                hhmm(app, *due)
            )
        }
        NextAction::Escalate => app.t(Msg::NextEscalate).to_string(),
        NextAction::WaitForBay => app.t(Msg::NextWaitForBay).to_string(),
        NextAction::EscortUnderWay => app.t(Msg::NextEscortUnderWay).to_string(),
        NextAction::LetOutUnderEscort => app.t(Msg::NextLetOut).to_string(),
        NextAction::AwaitDecision { at, note } => format!(
            "{} ({note})",
            app.t(Msg::NextAwaitDecision)
                .replace("{x}", &hhmm(app, *at))
        ),
        NextAction::TakeSample => app.t(Msg::NextSample).to_string(),
        NextAction::Review => app.t(Msg::NextReview).to_string(),
        NextAction::ReviewAt { due } => format!("{} {}", app.t(Msg::NextReviewAt), hhmm(app, *due)),
    }
}

pub fn isolation(app: &App, b: &Board, f: &mut Frame, area: Rect) {
    let rows = app.isolation_rows();
    let cap = app
        .snap
        .status
        .get(crate::domain::bay::Zone::Isolation.index());
    let title = Line::from(Span::styled(
        format!(
            " {} — {}/{} ",
            app.t(Msg::IsolationTitle),
            rows.len(),
            cap.map(|c| c.capacity).unwrap_or(0)
        ),
        bold(),
    ));
    let outer = block(app, title, true);
    let inner = outer.inner(area);
    f.render_widget(outer, area);
    if rows.is_empty() {
        f.render_widget(Paragraph::new(app.t(Msg::NobodyIsolated)), inner);
        return;
    }
    let cols = [
        Msg::ColSince,
        Msg::ColPlate,
        Msg::ColBay,
        Msg::ColReason,
        Msg::ColTests,
        Msg::ColNext,
    ];
    let arrow = match (b.reverse, app.session.ascii) {
        (true, false) => "▼",
        (false, false) => "▲",
        (true, true) => "v",
        (false, true) => "^",
    };
    let header = Row::new(cols.iter().zip(IsolationCol::ALL).map(|(m, col)| {
        let mark = if col == b.sort { arrow } else { "" };
        Cell::from(format!("{}{mark}", app.t(*m)))
    }))
    .style(bold().add_modifier(Modifier::UNDERLINED));
    let since =
        |r: &IsolationRow| format!("{} ({})", hhmm(app, r.since), span(app, app.now - r.since));
    // As wide as the longest "since" (Chinese durations are wider).
    let since_w = rows
        .iter()
        .map(|r| unicode_width::UnicodeWidthStr::width(since(r).as_str()))
        .max()
        .unwrap_or(0)
        .max(17) as u16;
    let body = rows.iter().map(|r| {
        let tests = if r.pending.is_empty() {
            "—".to_string()
        } else {
            r.pending
                .iter()
                .map(|t| {
                    let late = if r.overdue.contains(t) { "!" } else { "" };
                    format!("{}{late}", app.t(word(*t)))
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mut reason = reason_text(app, r);
        if r.escalation.is_some() {
            let flag = if app.session.ascii { "F" } else { "⚑" };
            reason = format!("{flag} {reason}");
        }
        let row = Row::new(vec![
            Cell::from(since(r)),
            Cell::from(r.truck.plate.to_string()),
            Cell::from(
                r.truck
                    .bay
                    .as_ref()
                    .map(|b| b.to_string())
                    .unwrap_or_default(),
            ),
            Cell::from(reason),
            Cell::from(tests),
            Cell::from(next_text(app, &r.next)),
        ]);
        if r.overdue.is_empty() {
            row
        } else {
            row.style(late_style(app))
        }
    });
    // Plates are up to 10 cells; the next action matters most, so it grows most.
    let widths = [
        Constraint::Length(since_w),
        Constraint::Length(10),
        Constraint::Length(5),
        Constraint::Fill(1),
        Constraint::Length(10),
        Constraint::Fill(2),
    ];
    let table = Table::new(body, widths)
        .header(header)
        .row_highlight_style(bold().add_modifier(Modifier::REVERSED));
    let mut state = TableState::default().with_selected(Some(b.selected));
    f.render_stateful_widget(table, inner, &mut state);
}

/// Why the truck is held: what someone typed, or else who the gate checks
/// flagged, in the interface language.
fn reason_text(app: &App, r: &crate::domain::clocks::IsolationRow) -> String {
    match &r.reason {
        Some(typed) => typed.clone(),
        None => crate::i18n::words::findings_in(app.session.lang, &r.findings, |n| r.name(n)),
    }
}
