//! A stay's record over the map, from the log: the truck that left, with
//! everything its stay recorded, marked departed.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::map::panel::truck_lines;
use super::{Cmd, Layer};
use crate::i18n::Msg;
use crate::i18n::words::word;
use crate::store::StayDetail;
use crate::tui::keymap::{Action, Key, Mode};
use crate::tui::shared::Shared;
use crate::tui::view::{bad_style, centered, frame_popup, hhmm};

#[derive(Debug, Clone, PartialEq)]
pub struct StayCard {
    pub detail: StayDetail,
    pub scroll: u16,
}

impl Layer for StayCard {
    fn mode(&self) -> Mode {
        Mode::Stay
    }

    fn handle(&mut self, action: Action, _key: Key, _sh: &Shared) -> Vec<Cmd> {
        match action {
            Action::Back => return vec![Cmd::Pop],
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::Down => self.scroll = self.scroll.saturating_add(1).min(60),
            _ => {}
        }
        Vec::new()
    }

    fn render(&self, sh: &Shared, f: &mut Frame, body: Rect, _top: bool) {
        let d = &self.detail;
        let area = centered(body, 72, body.height.saturating_sub(2).max(8));
        let title = format!("{}  {}", d.plate, sh.t(Msg::ModeStay));
        let inner = frame_popup(sh, f, area, &title);
        let mut lines = Vec::new();
        let status = match d.departed_at {
            Some(at) => sh.t(Msg::StayDepartedAt).replace("{at}", &hhmm(sh, at)),
            None => sh.t(word(d.status)).to_string(),
        };
        lines.push(Line::styled(status, bad_style(sh)));
        if let Some(bay) = &d.bay {
            lines.push(Line::from(format!("{} {bay}", sh.t(Msg::Bay))));
        }
        truck_lines(sh, d, &mut lines);
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            sh.t(Msg::StayKeys),
            Style::new().add_modifier(Modifier::DIM),
        ));
        f.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .scroll((self.scroll, 0)),
            crate::tui::view::wrap_inside(inner),
        );
    }
}
