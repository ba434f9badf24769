//! `T`: the lot as it was at a past moment. The map, the counts and the
//! panel show that moment's lot (read from `Store::lot_at`, an indexed
//! query) under a banner; `[`/`]` step an hour, `T` types another moment,
//! `Esc` returns to now. Nothing can be done to a past lot: every key that
//! would act says so.

use chrono::{DateTime, Duration, Timelike, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::prompt::{Prompt, PromptNext};
use super::{Cmd, Effect, Layer, Screen};
use crate::domain::bay::Zone;
use crate::domain::clocks::ClockFacts;
use crate::domain::layout::Layout;
use crate::domain::stay::Status;
use crate::i18n::Msg;
use crate::store::{BayView, LotView, Occupant, PastLot, ZoneCount};
use crate::tui::input::TextInput;
use crate::tui::keymap::{Action, Key, Mode};
use crate::tui::shared::{Shared, Snapshot};
use crate::tui::view::color;

/// The lot at a past moment, over the map (which draws that moment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastView {
    pub at: DateTime<Utc>,
}

impl PastView {
    /// The prompt for a moment, filled with `at` (or the hour now began).
    pub fn ask(sh: &Shared) -> Cmd {
        let at = sh.past.unwrap_or_else(|| {
            sh.now
                .with_timezone(&sh.session.tz)
                .with_minute(0)
                .and_then(|t| t.with_second(0))
                .and_then(|t| t.with_nanosecond(0))
                .map_or(sh.now, |t| t.with_timezone(&Utc))
        });
        Cmd::Push(Screen::Prompt(Prompt {
            title: Msg::PromptPastTime,
            subject: "2026-11-25 03:00 · 11-25 03:00 · 03:00".into(),
            input: TextInput::new(&crate::site_time::show(at, &sh.session.tz)),
            offered: true,
            required: true,
            next: PromptNext::PastTime,
        }))
    }

    /// The moment typed (from the prompt): checked, then read.
    pub fn go(sh: &Shared, text: &str) -> Result<Cmd, String> {
        let at = crate::site_time::parse(text, &sh.session.tz, sh.now)
            .ok_or_else(|| sh.t(Msg::FilterBadTime).to_string())?;
        Self::load(sh, at)
    }

    fn load(sh: &Shared, at: DateTime<Utc>) -> Result<Cmd, String> {
        if at > sh.now {
            return Err(sh.t(Msg::PastFuture).to_string());
        }
        if at < sh.live().facts.lot_created {
            return Err(sh.t(Msg::PastBeforeLot).to_string());
        }
        Ok(Cmd::Effect(Effect::LoadPast(at)))
    }

    /// The banner over the map: which moment, read only, the keys.
    pub fn banner(sh: &Shared, at: DateTime<Utc>, f: &mut Frame, area: Rect) {
        let mut text = sh
            .t(Msg::PastBanner)
            .replace("{t}", &crate::site_time::show(at, &sh.session.tz));
        // What was late then; the status line keeps saying what is late now.
        if let Some(n) = sh.overdue_then().filter(|n| *n > 0) {
            text.push_str(&sh.t(Msg::PastOverdueThen).replace("{n}", &n.to_string()));
        }
        let style = if color(sh) {
            Style::new()
                .fg(Color::Black)
                .bg(Color::LightYellow)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED)
        };
        let text = format!(" {text} ");
        // The keys that fit after the banner, whole: one cut mid-word
        // ("i 当") says nothing.
        let room = (area.width as usize).saturating_sub(text.width() + 2);
        let line = Line::from(vec![
            Span::styled(text, style),
            Span::raw("  "),
            Span::styled(
                keys_within(&past_keys(sh), room),
                Style::new().add_modifier(Modifier::DIM),
            ),
        ]);
        f.render_widget(Paragraph::new(line), area);
    }
}

impl Layer for PastView {
    fn mode(&self) -> Mode {
        Mode::Past
    }

    fn handle(&mut self, action: Action, _key: Key, sh: &Shared) -> Vec<Cmd> {
        let step = |d: i64| match Self::load(sh, self.at + Duration::hours(d)) {
            Ok(cmd) => vec![cmd],
            Err(why) => vec![Cmd::error(why)],
        };
        match action {
            Action::Back => vec![Cmd::Pop, Cmd::Present],
            Action::HourBack => step(-1),
            Action::HourForward => step(1),
            Action::TypeTime => vec![Self::ask(sh)],
            Action::IsolationBoard => vec![Cmd::Push(Screen::Isolation(
                super::isolation::IsolationBoard::new(sh),
            ))],
            Action::ReadOnly => vec![Cmd::error(
                sh.t(Msg::PastReadOnly)
                    .replace("{t}", &crate::site_time::show(self.at, &sh.session.tz)),
            )],
            a => vec![Cmd::Navigate(a)],
        }
    }

    fn render(&self, _sh: &Shared, _f: &mut Frame, _area: Rect, _top: bool) {
        // The app draws the banner above the map, which shows this moment.
    }
}

/// The map's read model of a past lot: each truck where it stood, with
/// what it waited for; its status as its zone says (isolation, handoff,
/// or parked); no clocks.
pub fn snapshot(layout: &Layout, past: &PastLot, live: &Snapshot) -> Snapshot {
    let mut bays: Vec<BayView> = layout
        .bays
        .iter()
        .map(|_| BayView {
            occupant: None,
            closed: None,
            disinfected_at: None,
        })
        .collect();
    for o in &past.occupants {
        let Some(i) = layout.find(&o.bay) else {
            continue;
        };
        bays[i].occupant = Some(Occupant {
            stay: o.stay,
            plate: o.plate.clone(),
            status: match o.bay.zone() {
                Zone::Isolation => Status::Isolated,
                Zone::Handoff => Status::Handoff,
                _ => Status::Parked,
            },
            cargo: o.cargo,
            driver: o.driver.clone(),
            arrived_at: o.arrived_at,
            bay_since: o.since,
            next_due: o.next_due,
            positive: o.positive,
            overridden: false,
            escalated: false,
        });
    }
    for c in &past.closed {
        if let Some(i) = layout.find(&c.bay) {
            bays[i].closed = Some(c.reason.clone());
        }
    }
    let status = past
        .zones(layout)
        .into_iter()
        .map(|z| ZoneCount {
            zone: z.zone,
            capacity: z.capacity,
            occupied: z.occupied,
            free: z.free,
            closed: z.closed,
        })
        .collect();
    Snapshot {
        lot: LotView {
            bays,
            zone_disinfected: vec![None; Zone::ALL.len()],
        },
        status,
        facts: ClockFacts {
            samples: past.isolation.pending.clone(),
            isolations: past.isolation.isolations.clone(),
            services: Vec::new(),
            handoffs: Vec::new(),
            positives_outside: Vec::new(),
            positives_departed: Vec::new(),
            zone_disinfected: Zone::ALL.map(|z| (z, None)).to_vec(),
            lot_created: live.facts.lot_created,
        },
    }
}

/// The keys of the lot at a past moment, from the keymap table.
/// As many of `keys` ("t type a time · i …") as fit in `cells`, whole.
fn keys_within(keys: &str, cells: usize) -> String {
    let mut out = String::new();
    for item in keys.split(" · ") {
        let next = if out.is_empty() {
            item.to_string()
        } else {
            format!("{out} · {item}")
        };
        if next.width() > cells {
            break;
        }
        out = next;
    }
    out
}

/// The keys of the lot at a past moment, from the keymap table.
pub(super) fn past_keys(sh: &Shared) -> String {
    crate::tui::keymap::footer_hint(crate::tui::keymap::Mode::Past, sh.session.lang, |m| sh.t(m))
}

#[cfg(test)]
mod tests {
    use super::keys_within;

    #[test]
    fn the_banners_keys_are_kept_whole() {
        let keys = "t 输入时间 · i 当时隔离 · Esc 回到现在";
        assert_eq!(keys_within(keys, 40), keys);
        assert_eq!(keys_within(keys, 24), "t 输入时间 · i 当时隔离");
        assert_eq!(keys_within(keys, 12), "t 输入时间");
        assert_eq!(keys_within(keys, 5), "");
    }
}
