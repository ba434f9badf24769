//! The bay panel: the bay under the cursor and its truck — plate, driver,
//! cargo, since when, checks, tests, isolation, handoff, service — and the
//! keys that act on it. A two-line strip of the same on small terminals.
//!
//! (Over 400 lines: one panel, every field of a stay, and the same truck
//! at a past moment.)

use crate::i18n::words::word;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::view::legend;
use crate::domain::clocks::ClockKind;
use crate::domain::stay::Status;
use crate::i18n::Msg;
use crate::store::{BayView, StayDetail};
use crate::tui::bay_state::BayState;
use crate::tui::shared::Shared;
use crate::tui::view::person_text;
use crate::tui::view::{block, color, hhmm, span, wrap_inside};

fn bold() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

/// The state line of a bay: glyph and words.
fn state_span(sh: &Shared, view: &BayView) -> Span<'static> {
    let zone = sh.layout.bays[sh.cursor].zone;
    let s = BayState::of(view, sh.disinfection_due(zone), sh.at());
    Span::styled(
        format!("{} {}", s.glyph(sh.session.ascii), sh.t(s.label())),
        s.style(color(sh)),
    )
}

pub fn render(sh: &Shared, f: &mut Frame, area: Rect) {
    let bay = &sh.layout.bays[sh.cursor];
    let view = &sh.snap.lot.bays[sh.cursor];
    let title = Line::from(Span::styled(
        format!(" {} {} ", sh.t(Msg::Bay), bay.id),
        bold(),
    ));
    let b = block(sh, title, false);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let [body, keys, leg] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(3),
        Constraint::Length(3),
    ])
    .areas(inner);

    let mut lines = vec![Line::from(vec![
        Span::raw(format!("{}  ", sh.t(word(bay.zone)))),
        state_span(sh, view),
    ])];
    if let Some(reason) = &view.closed {
        lines.push(Line::from(format!(
            "{}: {reason}",
            sh.t(Msg::ClosedBecause)
        )));
    }
    match (&view.occupant, &sh.detail) {
        (Some(o), _) if sh.past.is_some() => past_lines(sh, o, &mut lines),
        (Some(o), Some(d)) if d.stay == o.stay => truck_lines(sh, d, &mut lines),
        (Some(o), _) => {
            lines.push(Line::from(Span::styled(o.plate.to_string(), bold())));
        }
        (None, _) => {}
    }
    if sh.past.is_some() {
        f.render_widget(
            Paragraph::new(lines).wrap(Wrap { trim: false }),
            wrap_inside(body),
        );
        f.render_widget(
            Paragraph::new(super::super::past::past_keys(sh))
                .wrap(Wrap { trim: false })
                .style(Style::new().add_modifier(Modifier::DIM)),
            wrap_inside(keys),
        );
        f.render_widget(Paragraph::new(legend(sh, false, leg.width as usize)), leg);
        return;
    }
    let zone_clock = sh
        .snap
        .lot
        .zone_disinfected
        .get(bay.zone.index())
        .copied()
        .flatten();
    let next_due = sh.clocks.iter().find_map(|c| match c.kind {
        ClockKind::Disinfection { zone } if zone == bay.zone => Some(c.due),
        _ => None,
    });
    lines.push(Line::raw(""));
    lines.push(Line::from(format!(
        "{}: {}",
        sh.t(Msg::LastDisinfected),
        zone_clock
            .map(|t| hhmm(sh, t))
            .unwrap_or_else(|| sh.t(Msg::Never).into())
    )));
    if let Some(due) = next_due {
        let style = if sh.at() > due {
            BayState::DisinfectionDue.style(color(sh))
        } else {
            Style::new()
        };
        lines.push(Line::styled(
            format!("{}: {}", sh.t(Msg::NextDue), hhmm(sh, due)),
            style,
        ));
    }
    f.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }),
        wrap_inside(body),
    );

    let key_line = match &view.occupant {
        Some(o) => truck_keys(sh, o),
        None => free_keys(sh),
    };
    // Broken between entries ("m move"), never inside one.
    let sep = if sh.session.ascii { " | " } else { " · " };
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
    f.render_widget(Paragraph::new(legend(sh, false, leg.width as usize)), leg);
}

/// A truck at a past moment: what the lot's record says of it then.
fn past_lines(sh: &Shared, o: &crate::store::Occupant, lines: &mut Vec<Line<'static>>) {
    let mut head = vec![Span::styled(o.plate.to_string(), bold())];
    if o.cargo.is_priority() {
        head.push(Span::styled(
            format!("  ★ {}", sh.t(word(o.cargo))),
            Style::new().fg(Color::Yellow),
        ));
    } else {
        head.push(Span::raw(format!("  {}", sh.t(word(o.cargo)))));
    }
    lines.push(Line::from(head));
    if let Some(d) = &o.driver {
        lines.push(Line::from(d.clone()));
    }
    let at = sh.at();
    lines.push(Line::from(format!(
        "{} {} ({})",
        sh.t(Msg::ArrivedAt),
        hhmm(sh, o.arrived_at),
        span(sh, at - o.arrived_at)
    )));
    lines.push(Line::from(format!(
        "{} {} ({})",
        sh.t(Msg::InBaySince),
        hhmm(sh, o.bay_since),
        span(sh, at - o.bay_since)
    )));
    if let Some(due) = o.next_due {
        let text = if at > due {
            format!("{} {}", sh.t(Msg::OverdueBy), span(sh, at - due))
        } else {
            format!("{} {}", sh.t(Msg::PendingDue), hhmm(sh, due))
        };
        lines.push(Line::from(format!(
            "{}: {text}",
            sh.t(Msg::PastPendingTests)
        )));
    }
    if o.positive {
        lines.push(Line::styled(
            sh.t(Msg::PositiveResult).to_string(),
            BayState::Positive.style(color(sh)),
        ));
    }
}

pub(crate) fn truck_lines(sh: &Shared, d: &StayDetail, lines: &mut Vec<Line<'static>>) {
    let mut head = vec![Span::styled(
        d.plate.to_string(),
        bold().fg(if color(sh) {
            Color::White
        } else {
            Color::Reset
        }),
    )];
    if d.cargo.is_priority() {
        head.push(Span::styled(
            format!("  ★ {}", sh.t(word(d.cargo))),
            Style::new().fg(Color::Yellow),
        ));
    } else {
        head.push(Span::raw(format!("  {}", sh.t(word(d.cargo)))));
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
        sh.t(Msg::ArrivedAt),
        hhmm(sh, d.arrived_at),
        span(sh, sh.at() - d.arrived_at),
        sh.t(Msg::InBaySince),
        hhmm(sh, d.bay_since)
    )));
    // Everyone in the cab, with their latest measurement.
    if d.people.is_empty() {
        let temp = d
            .temperature
            .map(|t| format!("{t:.1} {}  ", deg(sh)))
            .unwrap_or_default();
        lines.push(Line::from(format!(
            "{temp}{} {}",
            sh.t(Msg::Code),
            d.code.map_or("—", |c| sh.t(word(c)))
        )));
    }
    for p in &d.people {
        let temp = p
            .temperature
            .map(|t| format!("{t:.1} {}", deg(sh)))
            .unwrap_or_else(|| "—".into());
        let fever = p
            .temperature
            .is_some_and(|t| t >= sh.session.policy.fever_c);
        let flagged = fever
            || p.code
                .is_some_and(|c| c != crate::domain::policy::HealthCode::Green);
        let text = format!(
            "{}  {temp}  {}",
            person_text(sh, p.person, p.name.as_deref()),
            p.code.map_or("—", |c| sh.t(word(c)))
        );
        lines.push(if flagged {
            Line::styled(text, BayState::Positive.style(color(sh)))
        } else {
            Line::from(text)
        });
    }
    let mut gate = Vec::new();
    if let Some(g) = &d.gate {
        gate.push(format!("{} {g}", sh.t(Msg::GateLabel)));
    }
    if let Some(v) = d.venue_code {
        let m = if v {
            Msg::VenueScanned
        } else {
            Msg::VenueNotScanned
        };
        gate.push(format!("{} {}", sh.t(Msg::VenueLabel), sh.t(m)));
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
    let checks = crate::i18n::words::findings_in(sh.session.lang, &d.findings, name);
    if !d.findings.is_empty() {
        lines.push(Line::styled(
            format!("{}: {checks}", sh.t(Msg::Flagged)),
            BayState::Positive.style(color(sh)),
        ));
    }
    lines.push(Line::from(Span::styled(
        sh.t(word(d.status)).to_string(),
        bold(),
    )));
    if let Some(r) = &d.override_reason {
        lines.push(Line::styled(
            format!(
                "{} {}: {r}",
                BayState::Overridden.glyph(sh.session.ascii),
                sh.t(Msg::AgainstChecksReason)
            ),
            BayState::Overridden.style(color(sh)),
        ));
    }
    if matches!(d.status, Status::Isolated | Status::Holding) {
        // What someone typed, or else the checks that sent it there.
        let reason = d.isolation_reason.as_deref().unwrap_or(&checks);
        lines.push(Line::from(format!("{}: {reason}", sh.t(Msg::Reason))));
    }
    if let Some(n) = &d.escalation_note {
        let at = d
            .escalated_at
            .map(|t| format!(" {}", hhmm(sh, t)))
            .unwrap_or_default();
        let flag = if sh.session.ascii { "F" } else { "⚑" };
        lines.push(Line::from(format!(
            "{flag} {}{at}: {n}",
            sh.t(Msg::Escalated)
        )));
    }
    if let Some(by) = &d.released_by {
        let at = d
            .released_at
            .map(|t| format!(" {}", hhmm(sh, t)))
            .unwrap_or_default();
        let why = d
            .release_reason
            .as_ref()
            .map(|r| format!(": {r}"))
            .unwrap_or_default();
        lines.push(Line::from(format!(
            "{} {by}{at}{why}",
            sh.t(Msg::ReleasedBy)
        )));
    }
    if let (Some(mode), Some(at)) = (d.handoff_mode, d.handoff_started_at) {
        let done = match d.handoff_done_at {
            Some(t) => format!(" ✓ {}", hhmm(sh, t)),
            None if d.handoff_stopped() => format!(" ✗ {}", sh.t(Msg::HandoffStopped)),
            None => String::new(),
        };
        lines.push(Line::from(format!(
            "{} {} {} {}{done}",
            sh.t(Msg::HandoffLabel),
            sh.t(word(mode)),
            d.handoff_counterpart.as_deref().unwrap_or(""),
            hhmm(sh, at)
        )));
        if let Some(by) = &d.handoff_by {
            lines.push(Line::from(format!("{} {by}", sh.t(Msg::AuthorisedBy))));
        }
        if d.handoff_done_at.is_some() {
            lines.push(Line::from(match d.handoff_confirmed_at {
                Some(t) => format!("{} {}", sh.t(Msg::HandoffConfirmedAt), hhmm(sh, t)),
                None => sh.t(Msg::HandoffUnconfirmed).to_string(),
            }));
        }
    }
    for s in &d.samples {
        let test = sh.t(word(s.test));
        let text = match (s.result, s.result_at) {
            (Some(r), Some(at)) => format!("{test} {} {}", sh.t(word(r)), hhmm(sh, at)),
            _ if sh.at() > s.due_at => format!(
                "{test} ! {} {}",
                sh.t(Msg::OverdueBy),
                span(sh, sh.at() - s.due_at)
            ),
            _ => format!("{test} {} {}", sh.t(Msg::PendingDue), hhmm(sh, s.due_at)),
        };
        let style = if s.result.is_none() && sh.at() > s.due_at {
            BayState::Overdue.style(color(sh))
        } else if s.result == Some(crate::domain::event::TestResult::Positive) {
            BayState::Positive.style(color(sh))
        } else {
            Style::new()
        };
        lines.push(Line::styled(text, style));
    }
    for s in &d.services {
        let text = match s.done_at {
            None => format!(
                "{} {} {}",
                sh.t(Msg::ServiceOpen),
                sh.t(word(s.service)),
                hhmm(sh, s.requested_at)
            ),
            Some(done) => format!(
                "{} {} → {} ({} {})",
                sh.t(word(s.service)),
                hhmm(sh, s.requested_at),
                hhmm(sh, done),
                sh.t(Msg::ServedIn),
                span(sh, done - s.requested_at)
            ),
        };
        lines.push(Line::from(text));
    }
}

/// Two lines for small terminals: the bay and its truck, then its tests.
pub fn strip(sh: &Shared, f: &mut Frame, area: Rect) {
    let bay = &sh.layout.bays[sh.cursor];
    let view = &sh.snap.lot.bays[sh.cursor];
    let mut first = vec![
        Span::styled(
            format!("{} ", bay.id),
            bold().add_modifier(Modifier::REVERSED),
        ),
        Span::raw(" "),
        state_span(sh, view),
    ];
    let mut second = Vec::new();
    match (&view.occupant, &sh.detail) {
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
                sh.t(Msg::ArrivedAt),
                hhmm(sh, o.arrived_at),
                span(sh, sh.at() - o.arrived_at)
            )));
            if sh.past.is_some() {
                second.push(Span::styled(
                    super::super::past::past_keys(sh),
                    Style::new().add_modifier(Modifier::DIM),
                ));
            } else if let Some(d) = d.as_ref().filter(|d| d.stay == o.stay) {
                for s in &d.samples {
                    let state = match s.result {
                        Some(r) => sh.t(word(r)).to_string(),
                        None if sh.at() > s.due_at => {
                            format!("! {}", span(sh, sh.at() - s.due_at))
                        }
                        None => format!("→ {}", hhmm(sh, s.due_at)),
                    };
                    second.push(Span::raw(format!("{} {state}  ", sh.t(word(s.test)))));
                }
                if d.status != Status::Parked {
                    second.push(Span::raw(sh.t(word(d.status)).to_string()));
                }
            }
        }
        (None, _) => {
            if let Some(r) = &view.closed {
                first.push(Span::raw(format!("  {r}")));
            }
            second.push(Span::styled(
                if sh.past.is_some() {
                    super::super::past::past_keys(sh)
                } else {
                    free_keys(sh)
                },
                Style::new().add_modifier(Modifier::DIM),
            ));
        }
    }
    // Each line cut at the edge with a mark, never clipped without one.
    let mark = if sh.session.ascii { "..." } else { "…" };
    let cells = area.width as usize;
    f.render_widget(
        Paragraph::new(vec![
            fit_spans(first, cells, mark),
            fit_spans(second, cells, mark),
        ]),
        area,
    );
}

/// `spans` as one line of at most `cells` cells, cut as
/// [`fit_with`](crate::domain::text::fit_with) cuts their text (between
/// words, ending with `mark`); each kept piece keeps its style.
fn fit_spans(spans: Vec<Span<'static>>, cells: usize, mark: &str) -> Line<'static> {
    let text: String = spans.iter().map(|s| s.content.as_ref()).collect();
    let fitted = crate::domain::text::fit_with(&text, cells, mark);
    if fitted == text {
        return Line::from(spans);
    }
    // The cut text is a prefix of the whole, then the mark.
    let Some(mut keep) = fitted.strip_suffix(mark).map(str::len) else {
        return Line::raw(fitted);
    };
    let mut out = Vec::new();
    for s in spans {
        if keep == 0 {
            break;
        }
        let n = keep.min(s.content.len());
        out.push(Span::styled(s.content[..n].to_string(), s.style));
        keep -= n;
    }
    out.push(Span::raw(mark.to_string()));
    Line::from(out)
}

/// The degree sign, or none with `--ascii` ("36.5 C").
fn deg(sh: &Shared) -> &'static str {
    if sh.session.ascii { "C" } else { "°C" }
}

/// What can be done to the truck under the cursor, from the keymap table.
/// Once its handoff has started, the handoff key's next step comes first,
/// named as what it does now: mark the handoff done, then confirm its
/// arrival at the destination (nothing once that is confirmed).
fn truck_keys(sh: &Shared, o: &crate::store::Occupant) -> String {
    use super::actions::{HandoffStep, handoff_step};
    use crate::tui::keymap::{Action as A, Mode, actions_hint};
    let step = handoff_step(sh, o);
    let next = match step {
        Some(HandoffStep::MarkDone) => Some(Msg::KeyHandoffDone),
        Some(HandoffStep::ConfirmArrival) => Some(Msg::KeyHandoffArrived),
        Some(HandoffStep::Confirmed) | None => None,
    };
    let mut acts: Vec<(A, Option<Msg>)> = next
        .map(|help| (A::Handoff, Some(help)))
        .into_iter()
        .collect();
    acts.extend(
        [
            A::Move,
            A::Depart,
            A::Sample,
            A::Result,
            A::Recheck,
            A::Isolate,
            A::Release,
        ]
        .map(|a| (a, None)),
    );
    if step.is_none() {
        acts.push((A::Handoff, None));
    }
    acts.push((A::Service, None));
    ascii_safe(
        sh,
        actions_hint(Mode::Map, &acts, sh.session.lang, |m| sh.t(m)),
    )
}

/// What can be done with a free bay, from the keymap table.
fn free_keys(sh: &Shared) -> String {
    use crate::tui::keymap::{Action as A, Mode, actions_hint};
    let acts = [A::Arrive, A::CloseOpen, A::Disinfect].map(|a| (a, None));
    ascii_safe(
        sh,
        actions_hint(Mode::Map, &acts, sh.session.lang, |m| sh.t(m)),
    )
}

/// The hint with ASCII separators under `--ascii`, so it wraps as drawn.
fn ascii_safe(sh: &Shared, hint: String) -> String {
    if sh.session.ascii {
        hint.replace(" · ", " | ")
    } else {
        hint
    }
}
