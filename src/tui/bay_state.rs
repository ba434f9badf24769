//! What a bay looks like on the map: its state, as a glyph (for monochrome
//! screens and colour-blind eyes) and a colour (for speed).

use chrono::{DateTime, Utc};
use ratatui::style::{Color, Modifier, Style};

use crate::domain::stay::Status;
use crate::i18n::Msg;
use crate::store::BayView;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BayState {
    Free,
    Clear,
    Pending,
    Overdue,
    Positive,
    Isolated,
    /// Flagged, waiting in a work lane for an isolation bay.
    Holding,
    Handoff,
    /// Parked against what the checks said, with a reason.
    Overridden,
    Closed,
    DisinfectionDue,
}

impl BayState {
    /// The legend, in the order it is shown.
    pub const LEGEND: [BayState; 11] = [
        BayState::Free,
        BayState::Clear,
        BayState::Pending,
        BayState::Overdue,
        BayState::Positive,
        BayState::Isolated,
        BayState::Holding,
        BayState::Overridden,
        BayState::Handoff,
        BayState::Closed,
        BayState::DisinfectionDue,
    ];

    /// The most urgent thing about a bay wins.
    pub fn of(bay: &BayView, zone_disinfection_due: bool, now: DateTime<Utc>) -> BayState {
        match &bay.occupant {
            Some(o) => {
                if o.next_due.is_some_and(|d| now > d) {
                    BayState::Overdue
                } else if o.positive && o.status != Status::Isolated {
                    BayState::Positive
                } else if o.status == Status::Isolated {
                    BayState::Isolated
                } else if o.status == Status::Holding {
                    BayState::Holding
                } else if matches!(o.status, Status::Handoff | Status::HandoffDone) {
                    BayState::Handoff
                } else if o.overridden && o.status == Status::Parked {
                    BayState::Overridden
                } else if o.next_due.is_some() {
                    BayState::Pending
                } else {
                    BayState::Clear
                }
            }
            None if bay.closed.is_some() => BayState::Closed,
            None if zone_disinfection_due => BayState::DisinfectionDue,
            None => BayState::Free,
        }
    }

    /// The arrival's suggested bay (always a free one) as the map marks it:
    /// its own glyph, so it shows without colour and without blinking.
    pub fn suggested_glyph(ascii: bool) -> &'static str {
        if ascii { "o" } else { "◇" }
    }

    /// The suggested bay's style: bright, steady, underlined.
    pub fn suggested_style(color: bool) -> Style {
        let s = Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
        if color {
            s.fg(Color::Black).bg(Color::LightCyan)
        } else {
            s
        }
    }

    pub fn glyph(self, ascii: bool) -> &'static str {
        let (u, a) = match self {
            BayState::Free => ("▫", "."),
            BayState::Clear => ("▪", "#"),
            BayState::Pending => ("◐", "?"),
            BayState::Overdue => ("!", "!"),
            BayState::Positive => ("●", "@"),
            BayState::Isolated => ("✚", "X"),
            BayState::Holding => ("◎", "%"),
            BayState::Handoff => ("⇄", "="),
            BayState::Overridden => ("◆", "&"),
            BayState::Closed => ("▨", "/"),
            BayState::DisinfectionDue => ("✱", "*"),
        };
        if ascii { a } else { u }
    }

    pub fn style(self, color: bool) -> Style {
        if !color {
            return match self {
                BayState::Overdue | BayState::Positive | BayState::Overridden => {
                    Style::new().add_modifier(Modifier::BOLD)
                }
                _ => Style::new(),
            };
        }
        match self {
            BayState::Free => Style::new().fg(Color::Gray),
            BayState::Clear => Style::new().fg(Color::Green),
            BayState::Pending => Style::new().fg(Color::Yellow),
            BayState::Overdue => Style::new()
                .fg(Color::White)
                .bg(Color::Red)
                .add_modifier(Modifier::BOLD),
            BayState::Positive => Style::new()
                .fg(Color::LightRed)
                .add_modifier(Modifier::BOLD),
            BayState::Isolated => Style::new().fg(Color::Magenta),
            BayState::Holding => Style::new()
                .fg(Color::LightMagenta)
                .add_modifier(Modifier::BOLD),
            BayState::Handoff => Style::new().fg(Color::Cyan),
            BayState::Overridden => Style::new()
                .fg(Color::Black)
                .bg(Color::LightMagenta)
                .add_modifier(Modifier::BOLD),
            BayState::Closed => Style::new().fg(Color::Gray),
            BayState::DisinfectionDue => Style::new().fg(Color::LightYellow),
        }
    }

    /// At most four cells, for the legend on small terminals.
    pub fn short_label(self) -> Msg {
        match self {
            BayState::Free => Msg::ShortFree,
            BayState::Clear => Msg::ShortClear,
            BayState::Pending => Msg::ShortPending,
            BayState::Overdue => Msg::ShortOverdue,
            BayState::Positive => Msg::ShortPositive,
            BayState::Isolated => Msg::ShortIsolated,
            BayState::Holding => Msg::ShortHolding,
            BayState::Handoff => Msg::ShortHandoff,
            BayState::Overridden => Msg::ShortOverridden,
            BayState::Closed => Msg::ShortClosed,
            BayState::DisinfectionDue => Msg::ShortDisinfect,
        }
    }

    pub fn label(self) -> Msg {
        match self {
            BayState::Free => Msg::StateFree,
            BayState::Clear => Msg::StateClear,
            BayState::Pending => Msg::StatePending,
            BayState::Overdue => Msg::StateOverdue,
            BayState::Positive => Msg::StatePositive,
            BayState::Isolated => Msg::StateIsolated,
            BayState::Holding => Msg::StateHolding,
            BayState::Handoff => Msg::StateHandoff,
            BayState::Overridden => Msg::StateOverridden,
            BayState::Closed => Msg::StateClosed,
            BayState::DisinfectionDue => Msg::StateDisinfect,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_has_a_distinct_glyph_in_both_sets() {
        for ascii in [false, true] {
            let mut seen = std::collections::HashSet::new();
            for s in BayState::LEGEND {
                assert!(seen.insert(s.glyph(ascii)), "{s:?} repeats a glyph");
                assert_ne!(s.glyph(ascii), BayState::suggested_glyph(ascii));
                assert_eq!(unicode_width::UnicodeWidthStr::width(s.glyph(ascii)), 1);
                if ascii {
                    assert!(s.glyph(true).is_ascii());
                }
                for lang in [crate::i18n::Lang::En, crate::i18n::Lang::Zh] {
                    let w = unicode_width::UnicodeWidthStr::width(s.short_label().text(lang));
                    assert!(w <= 4, "{s:?} short label too wide");
                }
            }
        }
    }
}
