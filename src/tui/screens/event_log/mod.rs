//! (Over 400 lines: paging, the filter bar and the rows are one screen's state; the summaries live in summary.rs.)
//!
//! `L`: the event log, newest first, a page at a time (keyset paging: the
//! screen keeps the id each page starts before, never an offset), with a
//! filter bar (plate, bay, zone, kind, operator, terminal, from, until).
//! `Enter` goes to the event's truck or bay; a truck that left shows its
//! stay.
//!
//! (Over 400 lines: the filter bar's parsing and drawing live with the
//! page they filter; the event lines are in `summary`.)

pub mod summary;

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::{Cmd, Effect, Layer};
use crate::domain::bay::{BayId, Zone};
use crate::domain::event::{Event, LoggedEvent, Target};
use crate::domain::plate::Plate;
use crate::i18n::words::word;
use crate::i18n::{Lang, Msg};
use crate::tui::input::TextInput;
use crate::tui::keymap::{Action, Key, Mode};
use crate::tui::shared::Shared;
use crate::tui::view::table::{self, Col};
use crate::tui::view::{block, bold};

/// What the log is filtered by, as parsed from the filter bar.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub plate: Option<Plate>,
    pub bay: Option<BayId>,
    pub zone: Option<Zone>,
    pub kind: Option<&'static str>,
    pub operator: Option<String>,
    pub terminal: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

impl Filters {
    /// The store's filter for one page.
    pub fn query(&self, before: Option<i64>, limit: usize) -> crate::store::LogFilter {
        crate::store::LogFilter {
            plate: self.plate.clone(),
            bay: self.bay.clone(),
            zone: self.zone,
            kind: self.kind.map(str::to_string),
            operator: self.operator.clone(),
            terminal: self.terminal.clone(),
            since: self.since,
            until: self.until,
            before,
            limit: Some(limit),
        }
    }
}

/// The filter bar's fields, in order.
pub const FIELDS: [Msg; 8] = [
    Msg::ColPlate,
    Msg::ColBay,
    Msg::ColZone,
    Msg::ColKind,
    Msg::ColOperator,
    Msg::ColTerminal,
    Msg::FilterSince,
    Msg::FilterUntil,
];

/// The log screen.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventLog {
    pub filters: Filters,
    /// What the filter bar holds, one text per field.
    pub inputs: [TextInput; 8],
    /// The texts of the filter in force (Esc in the bar goes back to them).
    applied: [String; 8],
    /// The field in focus while the filter bar is edited.
    pub focus: Option<usize>,
    /// Where each page viewed so far starts: the id it is older than
    /// (`None`: the newest event). The last is the page shown.
    pub pages: Vec<Option<i64>>,
    pub rows: Vec<LoggedEvent>,
    /// An older page exists.
    pub more: bool,
    pub selected: usize,
    /// Rows per page, fixed when the page was asked for.
    page_size: usize,
}

impl EventLog {
    /// The log's first page, asked of the store.
    pub fn open(sh: &Shared) -> (EventLog, Cmd) {
        let mut log = EventLog {
            pages: vec![None],
            ..EventLog::default()
        };
        let cmd = log.load(sh);
        (log, cmd)
    }

    /// Rows that fit the screen (a page).
    fn fit(sh: &Shared) -> usize {
        (sh.viewport.1 as usize).saturating_sub(9).clamp(5, 100)
    }

    fn load(&mut self, sh: &Shared) -> Cmd {
        self.page_size = Self::fit(sh);
        Cmd::Effect(Effect::LoadLog {
            filters: self.filters.clone(),
            before: self.pages.last().copied().flatten(),
            // One more than shown: whether there is an older page.
            limit: self.page_size + 1,
        })
    }

    /// The store's answer for the page asked for.
    pub fn loaded(&mut self, mut rows: Vec<LoggedEvent>) {
        self.more = rows.len() > self.page_size;
        rows.truncate(self.page_size);
        self.rows = rows;
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
    }

    /// The page number shown, from 1.
    pub fn page(&self) -> usize {
        self.pages.len()
    }

    /// The filter bar's texts, parsed; the first field that does not parse
    /// and why.
    fn parse(&self, sh: &Shared) -> Result<Filters, (usize, String)> {
        let text: Vec<String> = self
            .inputs
            .iter()
            .map(|i| i.text().trim().to_string())
            .collect();
        let opt = |i: usize| (!text[i].is_empty()).then(|| text[i].clone());
        let mut f = Filters::default();
        if let Some(p) = opt(0) {
            f.plate = Some(
                Plate::parse_typed(&p, sh.session.province)
                    .map_err(|e| (0, sh.plate_reason(&e)))?,
            );
        }
        if let Some(b) = opt(1) {
            f.bay = Some(parse_bay(sh, &b).ok_or((1, sh.t(Msg::FilterBadBay).to_string()))?);
        }
        if let Some(z) = opt(2) {
            f.zone = Some(parse_zone(&z).ok_or((2, sh.t(Msg::FilterBadZone).to_string()))?);
        }
        if let Some(k) = opt(3) {
            f.kind = Some(parse_kind(&k).ok_or((3, sh.t(Msg::FilterBadKind).to_string()))?);
        }
        f.operator = opt(4);
        f.terminal = opt(5);
        for (i, slot) in [(6, &mut f.since), (7, &mut f.until)] {
            if let Some(t) = opt(i) {
                *slot = Some(
                    crate::site_time::parse(&t, &sh.session.tz, sh.now)
                        .ok_or((i, sh.t(Msg::FilterBadTime).to_string()))?,
                );
            }
        }
        Ok(f)
    }

    /// Enter in the filter bar: the filter in force, from the first page.
    fn apply(&mut self, sh: &Shared) -> Vec<Cmd> {
        match self.parse(sh) {
            Ok(f) => {
                self.filters = f;
                self.applied = self.inputs.clone().map(|i| i.text());
                self.focus = None;
                self.pages = vec![None];
                self.selected = 0;
                vec![self.load(sh)]
            }
            Err((i, why)) => {
                self.focus = Some(i);
                vec![Cmd::error(format!("{}: {why}", sh.t(FIELDS[i])))]
            }
        }
    }

    /// Enter on an event: its truck on the map, its bay, its zone; a truck
    /// that left: its stay.
    fn jump(&self, sh: &Shared) -> Vec<Cmd> {
        let Some(row) = self.rows.get(self.selected) else {
            return Vec::new();
        };
        if let Some(stay) = row.event.stay() {
            let on_site = sh
                .snap
                .lot
                .bays
                .iter()
                .position(|b| b.occupant.as_ref().is_some_and(|o| o.stay == stay));
            return match on_site {
                Some(bay) => vec![Cmd::Pop, Cmd::Cursor(bay)],
                None => vec![Cmd::Effect(Effect::ShowStay(stay))],
            };
        }
        let bay = row
            .bay
            .as_ref()
            .or(row.event.bay())
            .and_then(|b| sh.layout.find(b));
        if let Some(bay) = bay {
            return vec![Cmd::Pop, Cmd::Cursor(bay)];
        }
        if let Event::Disinfected {
            target: Target::Zone(z),
        } = &row.event
        {
            return vec![Cmd::Pop, Cmd::Navigate(Action::Zone(z.index()))];
        }
        vec![Cmd::error(sh.t(Msg::LogNothingOnMap))]
    }
}

/// A bay of this lot, dashes and case optional (`p0512` is `P-05-12`),
/// or as the command line reads it (`p-5-12` is `P-05-12`).
fn parse_bay(sh: &Shared, text: &str) -> Option<BayId> {
    if let Some(b) = BayId::parse(text)
        .ok()
        .filter(|b| sh.layout.find(b).is_some())
    {
        return Some(b);
    }
    let want: String = text
        .chars()
        .filter(|c| *c != '-' && !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    sh.layout
        .bays
        .iter()
        .find(|b| b.id.as_str().replace('-', "") == want)
        .map(|b| b.id.clone())
}

/// A zone by its key, its letter or its word in either language.
fn parse_zone(text: &str) -> Option<Zone> {
    let t = text.to_lowercase();
    Zone::ALL.into_iter().find(|z| {
        z.as_str() == t
            || z.prefix().to_string().to_lowercase() == t
            || [Lang::En, Lang::Zh]
                .iter()
                .any(|l| word(*z).text(*l).to_lowercase() == t)
    })
}

/// A kind of event by its log key or its word in either language.
fn parse_kind(text: &str) -> Option<&'static str> {
    let t = text.to_lowercase().replace(' ', "_");
    Event::KINDS.into_iter().find(|k| {
        *k == t
            || crate::i18n::event_kind_msg(k).is_some_and(|m| {
                [Lang::En, Lang::Zh]
                    .iter()
                    .any(|l| m.text(*l).to_lowercase().replace(' ', "_") == t)
            })
    })
}

impl Layer for EventLog {
    fn mode(&self) -> Mode {
        if self.focus.is_some() {
            Mode::LogFilter
        } else {
            Mode::Log
        }
    }

    fn handle(&mut self, action: Action, _key: Key, sh: &Shared) -> Vec<Cmd> {
        if let Some(i) = self.focus {
            match action {
                Action::Back => {
                    self.focus = None;
                    self.inputs = self.applied.clone().map(|t| TextInput::new(&t));
                }
                Action::NextField => self.focus = Some((i + 1) % FIELDS.len()),
                Action::PrevField => self.focus = Some((i + FIELDS.len() - 1) % FIELDS.len()),
                Action::Edit(e) => self.inputs[i].edit(e),
                Action::Confirm => return self.apply(sh),
                _ => {}
            }
            return Vec::new();
        }
        match action {
            Action::Back => vec![Cmd::Pop],
            Action::Up => {
                self.selected = self.selected.saturating_sub(1);
                Vec::new()
            }
            Action::Down => {
                self.selected = (self.selected + 1).min(self.rows.len().saturating_sub(1));
                Vec::new()
            }
            Action::Older => match self.rows.last() {
                Some(last) if self.more => {
                    self.pages.push(Some(last.id));
                    self.selected = 0;
                    vec![self.load(sh)]
                }
                _ => vec![Cmd::error(sh.t(Msg::LogNoOlder))],
            },
            Action::Newer => {
                if self.pages.len() > 1 {
                    self.pages.pop();
                    self.selected = 0;
                    vec![self.load(sh)]
                } else {
                    // The newest page again, with what came since.
                    vec![
                        self.load(sh),
                        Cmd::Toast(sh.t(Msg::LogNoNewer).into(), false),
                    ]
                }
            }
            Action::Filter => {
                self.focus = Some(0);
                Vec::new()
            }
            Action::ClearFilters => {
                if self.filters == Filters::default() && self.inputs.iter().all(|i| i.is_empty()) {
                    return vec![Cmd::error(sh.t(Msg::LogNoFilter))];
                }
                self.inputs = Default::default();
                self.apply(sh)
            }
            Action::Jump => self.jump(sh),
            _ => Vec::new(),
        }
    }

    fn insert(&mut self, c: char, _sh: &Shared) -> Vec<Cmd> {
        if let Some(i) = self.focus {
            self.inputs[i].insert(c);
        }
        Vec::new()
    }

    fn replaces_map(&self) -> bool {
        true
    }

    fn render(&self, sh: &Shared, f: &mut Frame, area: Rect, _top: bool) {
        let title = Line::from(Span::styled(
            format!(
                " {} — {} · {} ",
                sh.t(Msg::LogTitle),
                sh.t(Msg::LogPage).replace("{n}", &self.page().to_string()),
                sh.t(Msg::LogNewestFirst)
            ),
            bold(),
        ));
        let outer = block(sh, title, true);
        let inner = outer.inner(area);
        f.render_widget(outer, area);
        let [bar, _, table] = Layout::vertical([
            Constraint::Length(2),
            Constraint::Length(1),
            Constraint::Fill(1),
        ])
        .areas(inner);
        self.render_bar(sh, f, bar);
        if self.rows.is_empty() {
            f.render_widget(Paragraph::new(sh.t(Msg::LogEmpty)), table);
            return;
        }
        self.render_rows(sh, f, table);
    }
}

impl EventLog {
    /// The filter bar: four fields a line, the one in focus reversed.
    fn render_bar(&self, sh: &Shared, f: &mut Frame, area: Rect) {
        let per_line = 4;
        let cell_w = (area.width as usize / per_line).max(8);
        let mut lines = Vec::new();
        for line in 0..2 {
            let mut spans = Vec::new();
            for (i, input) in self
                .inputs
                .iter()
                .enumerate()
                .skip(line * per_line)
                .take(per_line)
            {
                let label = format!("{}:", sh.t(FIELDS[i]));
                let room = cell_w.saturating_sub(label.width() + 2).max(1);
                let (shown, cx) = input.view(room);
                let focused = self.focus == Some(i);
                if focused {
                    let x =
                        area.x as usize + (i - line * per_line) * cell_w + label.width() + 1 + cx;
                    f.set_cursor_position((x as u16, area.y + line as u16));
                }
                let value = if shown.is_empty() && !focused {
                    "·".to_string()
                } else {
                    shown
                };
                let pad = room.saturating_sub(value.width());
                spans.push(Span::styled(label, bold()));
                spans.push(Span::raw(" "));
                let style = if focused {
                    Style::new().add_modifier(Modifier::REVERSED)
                } else {
                    Style::new()
                };
                spans.push(Span::styled(format!("{value}{}", " ".repeat(pad)), style));
                spans.push(Span::raw(" "));
            }
            lines.push(Line::from(spans));
        }
        f.render_widget(Paragraph::new(lines), area);
    }

    fn render_rows(&self, sh: &Shared, f: &mut Frame, area: Rect) {
        let wide = area.width >= 110;
        // Each column as wide as its widest cell (its heading at least),
        // capped; the details take the rest, and give way first.
        let mut cols = vec![Col::new(sh.t(Msg::ColTime)).cap(11)];
        cols.push(Col::new(sh.t(Msg::ColOperator)).cap(if wide { 12 } else { 8 }));
        if wide {
            cols.push(Col::new(sh.t(Msg::ColTerminal)).cap(12));
        }
        cols.extend([
            Col::new(sh.t(Msg::ColKind)).cap(if wide { 16 } else { 15 }),
            Col::new(sh.t(Msg::ColPlate)).cap(10),
            Col::new(sh.t(Msg::ColBay)).cap(8),
            Col::new(sh.t(Msg::ColSummary)).gives(1),
        ]);
        let tz = &sh.session.tz;
        let rows = self
            .rows
            .iter()
            .map(|e| {
                let mut cells = vec![
                    e.at.with_timezone(tz).format("%m-%d %H:%M").to_string(),
                    e.operator.clone(),
                ];
                if wide {
                    cells.push(e.terminal.clone());
                }
                cells.extend([
                    summary::kind_text(sh, &e.event),
                    e.plate.as_ref().map(|p| p.to_string()).unwrap_or_default(),
                    e.bay.as_ref().map(|b| b.to_string()).unwrap_or_default(),
                    summary::summary(sh, &e.event),
                ]);
                (cells, Style::new())
            })
            .collect();
        table::render(sh, f, area, &cols, rows, self.selected);
    }
}
