//! `/` search: typing filters the trucks on site by plate or driver's
//! name, the bays by id, and the trucks that left by plate; Enter puts the
//! cursor on the bay.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::{Cmd, Layer};
use crate::domain::bay::BayId;
use crate::domain::layout::Layout;
use crate::domain::plate::{Plate, PlateQuery};
use crate::domain::text::fit;
use crate::i18n::Msg;
use crate::store::{DepartedPlate, LotView};
use crate::tui::input::TextInput;
use crate::tui::keymap::{Action, Key, Mode};
use crate::tui::shared::Shared;
use crate::tui::view::{bad_style, bold, centered, frame_popup, hhmm};

/// `/` search: what is typed, what it finds, which hit is selected.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Search {
    pub input: TextInput,
    pub hits: Vec<Hit>,
    pub selected: usize,
    /// The plates whose last stay has ended, read when search opens.
    pub departed: Vec<DepartedPlate>,
}

/// One line of search results.
#[derive(Debug, Clone, PartialEq)]
pub enum Hit {
    /// A bay (with its truck, if any), as an index into the layout.
    Bay(usize),
    /// A truck that has left: shown, marked, but not on the map.
    Departed {
        plate: Plate,
        at: chrono::DateTime<chrono::Utc>,
    },
}

impl Search {
    /// The trucks that left, for search (`Effect::LoadDeparted`).
    pub fn set_departed(&mut self, departed: Vec<DepartedPlate>, sh: &Shared) {
        self.departed = departed;
        self.refresh(sh);
    }
}

impl Layer for Search {
    fn mode(&self) -> Mode {
        Mode::Search
    }

    fn handle(&mut self, action: Action, _key: Key, sh: &Shared) -> Vec<Cmd> {
        match action {
            Action::Back => return vec![Cmd::Pop],
            Action::Edit(e) => {
                self.input.edit(e);
                self.refresh(sh);
            }
            Action::Up | Action::Down => {
                let n = self.hits.len();
                if n > 0 {
                    self.selected = if action == Action::Up {
                        (self.selected + n - 1) % n
                    } else {
                        (self.selected + 1) % n
                    };
                }
            }
            Action::Jump => {
                return match self.hits.get(self.selected) {
                    Some(Hit::Bay(bay)) => vec![Cmd::Pop, Cmd::Cursor(*bay)],
                    Some(Hit::Departed { plate, at }) => vec![Cmd::error(
                        sh.t(Msg::SearchDepartedAt)
                            .replace("{plate}", plate.as_str())
                            .replace("{at}", &hhmm(sh, *at)),
                    )],
                    None => vec![Cmd::error(sh.t(Msg::SearchNoMatch))],
                };
            }
            _ => {}
        }
        Vec::new()
    }

    fn insert(&mut self, c: char, sh: &Shared) -> Vec<Cmd> {
        self.input.insert(c);
        self.refresh(sh);
        Vec::new()
    }

    /// The hits for what is typed, in the lot as it is now.
    fn refresh(&mut self, sh: &Shared) {
        let hits = search_hits(&sh.layout, &sh.snap.lot, &self.departed, &self.input.text());
        self.selected = self.selected.min(hits.len().saturating_sub(1));
        self.hits = hits;
    }

    fn render(&self, sh: &Shared, f: &mut Frame, body: Rect, _top: bool) {
        let s = self;
        let rows = (s.hits.len() as u16).clamp(1, body.height.saturating_sub(4).min(12));
        let area = centered(body, 44, rows + 4);
        let inner = frame_popup(sh, f, area, sh.t(Msg::SearchTitle));
        let (shown, cx) = s.input.view(inner.width.saturating_sub(3) as usize);
        let mut lines = vec![Line::from(vec![
            Span::styled("/ ", bold()),
            Span::raw(shown),
        ])];
        f.set_cursor_position((inner.x + 2 + cx as u16, inner.y));
        lines.push(Line::styled(
            format!("{} {}", s.hits.len(), sh.t(Msg::SearchMatches)),
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
                Hit::Bay(bay) => match sh.occupant(*bay) {
                    Some(o) => {
                        let lead = format!(
                            " {} {:<8} ",
                            pad(o.plate.to_string()),
                            sh.layout.bays[*bay].id
                        );
                        // The driver's name in what is left of the line, cut
                        // with `…` if it is longer.
                        let room = (inner.width as usize).saturating_sub(lead.width());
                        format!("{lead}{}", fit(o.driver.as_deref().unwrap_or(""), room))
                    }
                    None => format!(" {} {:<8}", pad(String::new()), sh.layout.bays[*bay].id),
                },
                // Marked, so nobody looks for it on the map.
                Hit::Departed { plate, at } => format!(
                    " {} {} {}",
                    pad(plate.to_string()),
                    sh.t(Msg::SearchDeparted),
                    hhmm(sh, *at)
                ),
            };
            lines.push(Line::styled(text, style));
        }
        if s.hits.is_empty() && !s.input.is_empty() {
            lines.push(Line::styled(sh.t(Msg::SearchNoMatch), bad_style(sh)));
        }
        f.render_widget(Paragraph::new(lines), inner);
    }
}

/// What search finds for `query`: trucks on site whose plate (the province
/// may be pinyin or left out) or driver's name matches, bays whose id
/// starts with it (`P-11-12`, `p1112`) or that it names (`P-2-5`), then
/// trucks that left.
pub fn search_hits(
    layout: &Layout,
    lot: &LotView,
    departed: &[DepartedPlate],
    query: &str,
) -> Vec<Hit> {
    let q = PlateQuery::new(query);
    let typed = query.trim();
    let lower = typed.to_lowercase();
    // A bay id: a zone letter and a digit, dashes optional.
    let bay_q: String = typed
        .chars()
        .filter(|c| *c != '-' && !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    let is_bay_q = {
        let mut c = bay_q.chars();
        matches!((c.next(), c.next()), (Some(z), Some(d)) if "WLPIH".contains(z) && d.is_ascii_digit())
    };
    let mut hits: Vec<Hit> = Vec::new();
    // A whole bay id as typed in a hurry (`P-2-5` is P-02-05, `i4` I-04)
    // is that bay, first.
    let exact = BayId::parse(typed).ok().and_then(|id| layout.find(&id));
    hits.extend(exact.map(Hit::Bay));
    for (i, b) in lot.bays.iter().enumerate() {
        if Some(i) == exact {
            continue;
        }
        let truck = b.occupant.as_ref().is_some_and(|o| {
            o.plate.matches(&q)
                || (!lower.is_empty()
                    && o.driver
                        .as_deref()
                        .is_some_and(|d| d.to_lowercase().contains(&lower)))
        });
        let bay = is_bay_q
            && layout
                .bays
                .get(i)
                .is_some_and(|l| l.id.as_str().replace('-', "").starts_with(&bay_q));
        if truck || bay {
            hits.push(Hit::Bay(i));
        }
    }
    if !typed.is_empty() {
        hits.extend(
            departed
                .iter()
                .filter(|d| d.plate.matches(&q))
                .map(|d| Hit::Departed {
                    plate: d.plate.clone(),
                    at: d.departed_at,
                }),
        );
    }
    hits
}
