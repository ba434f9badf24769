//! (Over 400 lines: one function a section of the report, as `trucklot report` has them.)
//!
//! `R`: the shift report (每日一例会) of the shift under way, up to now, in
//! the interface language and scrollable; `[`/`]` the shift before and
//! after. The same facts as `trucklot report` (`Store::report`), shift
//! windows from the site's shift times (`[site] shifts`).
//!
//! (Just over 400 lines: one section of the report after another.)

use chrono::{DateTime, Duration, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::{Cmd, Effect, Layer};
use crate::domain::bay::Zone;

use crate::domain::report::shift_window;
use crate::i18n::Msg;
use crate::i18n::words::word;
use crate::site_time::show;
use crate::store::Report;
use crate::tui::keymap::{Action, Key, Mode};
use crate::tui::shared::Shared;
use crate::tui::view::{block, bold, hhmm, span};

#[derive(Debug, Clone, PartialEq)]
pub struct ReportScreen {
    /// The shift shown: its start and its end (which may be to come).
    pub from: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub report: Option<Report>,
    pub scroll: u16,
    /// How far the report last drawn can scroll before its end leaves the
    /// screen (set by `render`, which alone knows the width it wraps to).
    max_scroll: std::cell::Cell<u16>,
}

impl ReportScreen {
    /// The shift under way, asked of the store; `None`: no shift times.
    pub fn open(sh: &Shared) -> Option<(ReportScreen, Cmd)> {
        let (from, end) = shift_window(sh.now, &sh.session.shifts, &sh.session.tz, 0)?;
        let r = ReportScreen {
            from,
            end,
            report: None,
            scroll: 0,
            max_scroll: std::cell::Cell::new(u16::MAX),
        };
        let cmd = r.load(sh);
        Some((r, cmd))
    }

    /// The window asked for: the shift, up to now if it is under way.
    fn load(&self, sh: &Shared) -> Cmd {
        Cmd::Effect(Effect::LoadReport {
            from: self.from,
            to: self.end.min(sh.now),
            ends_now: self.end > sh.now,
        })
    }

    /// The shift containing `t`, if there is one.
    fn shift_at(sh: &Shared, t: DateTime<Utc>) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        shift_window(t, &sh.session.shifts, &sh.session.tz, 0)
    }

    pub fn loaded(&mut self, report: Report) {
        self.report = Some(report);
    }

    fn lines(&self, sh: &Shared, r: &Report) -> Vec<Line<'static>> {
        let s = &r.summary;
        let t = |m: Msg| sh.t(m);
        let none = || t(Msg::ReportNone).to_string();
        let list = |parts: Vec<String>| {
            if parts.is_empty() {
                none()
            } else {
                parts.join(" · ")
            }
        };
        let head =
            |m: Msg| Line::styled(t(m).to_string(), bold().add_modifier(Modifier::UNDERLINED));
        let item = |label: String, value: String| {
            Line::from(vec![
                Span::styled(format!("{label}: "), bold()),
                Span::raw(value),
            ])
        };
        let mut out = Vec::new();
        // A shift under way ends now: its "end" is this moment.
        let under_way = self.end > sh.now;
        if under_way {
            out.push(Line::styled(
                t(Msg::ReportUnderWay).to_string(),
                Style::new().add_modifier(Modifier::DIM),
            ));
        }
        out.push(Line::from(
            t(Msg::ReportEvents).replace("{n}", &s.events.to_string()),
        ));
        out.push(Line::raw(""));
        // Occupancy at both ends, a line per zone.
        out.push(head(Msg::ReportOccupancy));
        let cols = [
            Msg::ColZone,
            Msg::ColCapacity,
            Msg::ReportAtStart,
            if under_way {
                Msg::ReportNow
            } else {
                Msg::ReportAtEnd
            },
        ];
        let zone_w = Zone::ALL
            .iter()
            .map(|z| t(word(*z)).width())
            .chain([t(Msg::ColZone).width()])
            .max()
            .unwrap_or(8);
        let pad = |text: String, w: usize| {
            let fill = w.saturating_sub(text.width());
            format!("{text}{}", " ".repeat(fill))
        };
        let num_w: Vec<usize> = cols[1..].iter().map(|m| t(*m).width().max(5)).collect();
        let mut header = pad(t(cols[0]).to_string(), zone_w + 2);
        for (m, w) in cols[1..].iter().zip(&num_w) {
            header.push_str(&pad(t(*m).to_string(), w + 2));
        }
        out.push(Line::styled(header, bold()));
        for (a, b) in r.start.iter().zip(&r.end) {
            let mut line = pad(t(word(a.zone)).to_string(), zone_w + 2);
            for (v, w) in [a.capacity, a.occupied, b.occupied].iter().zip(&num_w) {
                line.push_str(&pad(v.to_string(), w + 2));
            }
            out.push(Line::from(line));
        }
        out.push(Line::raw(""));
        // Traffic.
        out.push(head(Msg::ReportTraffic));
        let by_cargo = |c: &crate::domain::report::Counts<crate::domain::policy::Cargo>| {
            let n: usize = c.values().sum();
            let parts = c
                .iter()
                .map(|(k, n)| format!("{} {n}", t(word(*k))))
                .collect();
            format!("{n} ({})", list(parts))
        };
        out.push(item(
            t(Msg::ReportArrivals).into(),
            by_cargo(&s.arrivals_by_cargo),
        ));
        out.push(item(
            t(Msg::ReportByProvince).into(),
            list(
                s.arrivals_by_province
                    .iter()
                    .map(|(k, n)| format!("{k} {n}"))
                    .collect(),
            ),
        ));
        out.push(item(
            t(Msg::ReportByGate).into(),
            list(
                s.arrivals_by_gate
                    .iter()
                    .map(|(k, n)| format!("{k} {n}"))
                    .collect(),
            ),
        ));
        out.push(Line::from(
            t(Msg::ReportFlagged)
                .replace("{x}", &s.flagged_at_gate.to_string())
                .replace("{y}", &s.waited_for_isolation.to_string()),
        ));
        out.push(item(
            t(Msg::ReportDepartures).into(),
            by_cargo(&s.departures_by_cargo),
        ));
        out.push(Line::raw(""));
        // Tests.
        out.push(head(Msg::ReportTests));
        out.push(item(
            t(Msg::ReportSamples).into(),
            list(
                s.samples
                    .iter()
                    .map(|(k, n)| format!("{} {n}", t(word(*k))))
                    .collect(),
            ),
        ));
        for (test, by) in &s.results {
            out.push(item(
                format!("{} {}", t(word(*test)), t(Msg::ReportResults)),
                list(
                    by.iter()
                        .map(|(k, n)| format!("{} {n}", t(word(*k))))
                        .collect(),
                ),
            ));
        }
        for (p, test, at) in &s.positives {
            out.push(Line::styled(
                format!(
                    "! {} {p} {} {}",
                    t(Msg::ResultPositive),
                    t(word(*test)),
                    hhmm(sh, *at)
                ),
                bold(),
            ));
        }
        out.push(Line::raw(""));
        // Isolation.
        out.push(head(Msg::ReportIsolations));
        if s.isolations.is_empty() {
            out.push(Line::from(none()));
        }
        for l in &s.isolations {
            let since = l
                .since
                .map_or_else(|| t(Msg::ReportBefore).to_string(), |a| hhmm(sh, a));
            let until = l
                .until
                .map_or_else(|| t(Msg::ReportStillHeld).to_string(), |u| hhmm(sh, u));
            let held = span(sh, l.until.unwrap_or(r.to) - l.since.unwrap_or(r.from));
            let held = if l.since.is_some() {
                held
            } else {
                format!("> {held}")
            };
            let mut why: Vec<String> = l.flags.iter().map(|f| t(word(*f)).to_string()).collect();
            why.extend(l.reason.clone());
            out.push(Line::from(format!(
                "{} · {since} → {until} ({held}){}",
                l.plate,
                if why.is_empty() {
                    String::new()
                } else {
                    format!(" · {}", why.join(", "))
                }
            )));
        }
        out.push(item(
            t(Msg::ReportEscalations).into(),
            s.escalations.to_string(),
        ));
        out.push(Line::raw(""));
        // Handoffs, service calls, disinfection, closed bays.
        out.push(head(Msg::ReportHandoffs));
        let started = s
            .handoffs_started
            .iter()
            .map(|(k, n)| format!("{} {n}", t(word(*k))))
            .collect();
        out.push(Line::from(
            t(Msg::ReportHandoffLine)
                .replace("{x}", &list(started))
                .replace("{y}", &s.handoffs_done.to_string())
                .replace("{z}", &s.handoffs_confirmed.to_string()),
        ));
        out.push(head(Msg::ReportServices));
        let asked = s
            .services_requested
            .iter()
            .map(|(k, n)| format!("{} {n}", t(word(*k))))
            .collect();
        out.push(Line::from(
            t(Msg::ReportServiceLine)
                .replace("{x}", &list(asked))
                .replace("{y}", &s.services_done.to_string()),
        ));
        out.push(head(Msg::ReportDisinfections));
        let place = |what: &String| {
            Zone::ALL
                .into_iter()
                .find(|z| z.as_str() == what)
                .map_or_else(|| what.clone(), |z| t(word(z)).to_string())
        };
        // A season's rounds by place; a shift's one by one.
        let rounds = if s.disinfections.len() > crate::domain::report::ROUNDS_LISTED {
            s.rounds_by_place()
                .into_iter()
                .map(|(what, n, last)| format!("{} ×{n} ({})", place(&what), hhmm(sh, last)))
                .collect()
        } else {
            s.disinfections
                .iter()
                .map(|(what, at)| format!("{} {}", place(what), hhmm(sh, *at)))
                .collect()
        };
        out.push(Line::from(list(rounds)));
        out.push(head(Msg::ReportClosed));
        let mut closed: Vec<String> = s
            .bays_closed
            .iter()
            .map(|(b, why, at)| format!("{b} {} ({why})", hhmm(sh, *at)))
            .collect();
        if s.bays_opened > 0 {
            closed.push(format!("{} {}", t(Msg::ReportReopened), s.bays_opened));
        }
        out.push(Line::from(list(closed)));
        out.push(Line::raw(""));
        // What was late, and every override.
        out.push(head(if under_way {
            Msg::ReportOverdueNow
        } else {
            Msg::ReportOverdue
        }));
        out.push(Line::from(list(
            r.overdue_at_end
                .iter()
                .map(|o| {
                    let plate = o
                        .truck
                        .as_ref()
                        .map(|t| format!("{} ", t.plate))
                        .unwrap_or_default();
                    let what = super::clocks::what_text(sh, o);
                    format!("{plate}{what} {}", hhmm(sh, o.due))
                })
                .collect(),
        )));
        out.push(head(Msg::ReportOverrides));
        if s.overrides.is_empty() {
            out.push(Line::from(none()));
        }
        for o in &s.overrides {
            let what = match o.what {
                "forced_departure" => t(Msg::ReportForced),
                _ => t(Msg::StateOverridden),
            };
            let past = if o.overridden.is_empty() {
                String::new()
            } else {
                format!(
                    " ({} {})",
                    t(Msg::ReportOverridden),
                    crate::i18n::refusal::forced_past(sh.session.lang, &o.overridden)
                )
            };
            out.push(Line::from(format!(
                "{} {} {} · {what}{past} · {}",
                hhmm(sh, o.at),
                o.operator,
                o.plate.as_ref().map(|p| p.to_string()).unwrap_or_default(),
                o.reason
            )));
        }
        out.push(head(Msg::ReportPolicy));
        out.push(Line::from(list(
            s.policy_changes
                .iter()
                .map(|(at, who)| format!("{} {who}", hhmm(sh, *at)))
                .collect(),
        )));
        out.push(head(Msg::ReportDisclosures));
        out.push(Line::from(list(
            s.disclosures
                .iter()
                .map(|(at, who, what)| format!("{} {who} {what}", hhmm(sh, *at)))
                .collect(),
        )));
        out.push(head(Msg::ReportUndos));
        out.push(Line::from(list(
            s.undos
                .iter()
                .map(|(at, who, plate, kind)| {
                    format!(
                        "{} {who} {} {}",
                        hhmm(sh, *at),
                        plate.as_ref().map(|p| p.to_string()).unwrap_or_default(),
                        crate::i18n::refusal::kind_word(sh.session.lang, kind)
                    )
                })
                .collect(),
        )));
        if !s.purges.is_empty() {
            out.push(head(Msg::EvPurged));
            out.push(Line::from(list(
                s.purges
                    .iter()
                    .map(|(at, who, stays)| format!("{} {who} ({stays})", hhmm(sh, *at)))
                    .collect(),
            )));
        }
        out
    }
}

impl Layer for ReportScreen {
    fn mode(&self) -> Mode {
        Mode::Report
    }

    fn handle(&mut self, action: Action, _key: Key, sh: &Shared) -> Vec<Cmd> {
        let page = sh.viewport.1.saturating_sub(6).clamp(1, 40);
        match action {
            Action::Back => return vec![Cmd::Pop],
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::Down => self.scroll = self.scroll.saturating_add(1).min(self.max_scroll.get()),
            Action::Newer => self.scroll = self.scroll.saturating_sub(page),
            Action::Older => {
                self.scroll = self.scroll.saturating_add(page).min(self.max_scroll.get())
            }
            Action::ShiftPrev => {
                return match Self::shift_at(sh, self.from - Duration::milliseconds(1)) {
                    Some((from, end)) => {
                        (self.from, self.end, self.scroll) = (from, end, 0);
                        vec![self.load(sh)]
                    }
                    None => vec![Cmd::error(sh.t(Msg::ReportNoShift))],
                };
            }
            Action::ShiftNext => {
                if self.end > sh.now {
                    return vec![Cmd::error(sh.t(Msg::ReportNoNext))];
                }
                return match Self::shift_at(sh, self.end) {
                    Some((from, end)) => {
                        (self.from, self.end, self.scroll) = (from, end, 0);
                        vec![self.load(sh)]
                    }
                    None => vec![Cmd::error(sh.t(Msg::ReportNoShift))],
                };
            }
            _ => {}
        }
        Vec::new()
    }

    fn replaces_map(&self) -> bool {
        true
    }

    fn render(&self, sh: &Shared, f: &mut Frame, area: Rect, _top: bool) {
        let tz = &sh.session.tz;
        let title = sh
            .t(Msg::ReportTitle)
            .replace("{from}", &show(self.from, tz))
            .replace("{to}", &show(self.end, tz));
        let outer = block(
            sh,
            Line::from(Span::styled(format!(" {title} "), bold())),
            true,
        );
        let inner = outer.inner(area);
        f.render_widget(outer, area);
        let lines = match &self.report {
            Some(r) if r.from == self.from => self.lines(sh, r),
            _ => Vec::new(),
        };
        // Scrolling stops with the report's end on the last row, not past
        // it on a blank page. Rows as wrapped to this width, a line that
        // wraps counted one row long (wrapping at words may need it).
        let text = crate::tui::view::wrap_inside(inner);
        let width = usize::from(text.width.max(1));
        let rows: usize = lines
            .iter()
            .map(|l| match l.width() {
                w if w > width => w.div_ceil(width) + 1,
                _ => 1,
            })
            .sum();
        let max = u16::try_from(rows.saturating_sub(usize::from(inner.height))).unwrap_or(u16::MAX);
        self.max_scroll.set(max);
        f.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .scroll((self.scroll.min(max), 0)),
            text,
        );
    }
}
