//! The isolation board: every truck under isolation's authority, sortable
//! by typed columns, with the next action per truck; release, escalate and
//! handoff start from the selected row.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::clocks::{ClocksBoard, next_text};
use super::{Cmd, Layer, Screen};
use crate::domain::clocks::{self, IsolationRow};
use crate::domain::stay::Status;
use crate::i18n::Msg;
use crate::i18n::words::word;
use crate::tui::bay_state::BayState;
use crate::tui::keymap::{Action, Key, Mode};
use crate::tui::shared::Shared;
use crate::tui::view::table::{self, Col};
use crate::tui::view::{block, bold, color, hhmm, span};

/// The isolation board's columns, by which it sorts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum IsolationCol {
    #[default]
    Since,
    Plate,
    Bay,
    Reason,
    Tests,
    Next,
}

impl IsolationCol {
    pub const ALL: [IsolationCol; 6] = [
        IsolationCol::Since,
        IsolationCol::Plate,
        IsolationCol::Bay,
        IsolationCol::Reason,
        IsolationCol::Tests,
        IsolationCol::Next,
    ];

    pub fn next(self) -> IsolationCol {
        let i = IsolationCol::ALL
            .iter()
            .position(|c| *c == self)
            .unwrap_or(0);
        IsolationCol::ALL[(i + 1) % IsolationCol::ALL.len()]
    }
}

/// The board's cursor, its order, and its rows in that order: sorted when
/// the lot, the time or the order changes, never per frame.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IsolationBoard {
    pub selected: usize,
    pub sort: IsolationCol,
    pub reverse: bool,
    pub rows: Vec<IsolationRow>,
}

fn late_style(sh: &Shared) -> Style {
    BayState::Overdue.style(color(sh))
}

impl IsolationBoard {
    pub fn new(sh: &Shared) -> IsolationBoard {
        let mut b = IsolationBoard::default();
        b.refresh(sh);
        b
    }

    fn selected_bay(&self, sh: &Shared) -> Option<usize> {
        let bay = self.rows.get(self.selected)?.truck.bay.clone()?;
        sh.layout.find(&bay)
    }
}

/// The rows of the isolation board, sorted by `col`.
pub fn sorted_rows(sh: &Shared, col: IsolationCol, reverse: bool) -> Vec<IsolationRow> {
    // At a past moment, the board as it stood then.
    let mut rows = clocks::isolation_board(&sh.snap.facts, &sh.session.policy, sh.at());
    let lang = sh.session.lang;
    rows.sort_by(|a, b| compare_isolation(lang, col, a, b));
    if reverse {
        rows.reverse();
    }
    rows
}

impl Layer for IsolationBoard {
    fn mode(&self) -> Mode {
        Mode::Isolation
    }

    /// At a past moment the board is read only: its decisions (and the
    /// clocks of now) do nothing.
    fn inert(&self, action: Action, sh: &Shared) -> bool {
        sh.past.is_some()
            && matches!(
                action,
                Action::Clocks | Action::Release | Action::Escalate | Action::Handoff
            )
    }

    fn handle(&mut self, action: Action, _key: Key, sh: &Shared) -> Vec<Cmd> {
        match action {
            Action::Back => return vec![Cmd::Pop],
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down | Action::Older => {
                let step = if action == Action::Down {
                    1
                } else {
                    super::board_page(sh)
                };
                let n = sh.snap.facts.isolations.len();
                self.selected = (self.selected + step).min(n.saturating_sub(1));
            }
            Action::Newer => self.selected = self.selected.saturating_sub(super::board_page(sh)),
            Action::SortNext | Action::SortReverse | Action::SortBy(_) => {
                match action {
                    Action::SortNext => self.sort = self.sort.next(),
                    Action::SortBy(col) if col == self.sort => self.reverse = !self.reverse,
                    Action::SortBy(col) => {
                        self.sort = col;
                        self.reverse = false;
                    }
                    _ => self.reverse = !self.reverse,
                }
                self.refresh(sh);
            }
            Action::Jump => {
                if let Some(bay) = self.selected_bay(sh) {
                    return vec![Cmd::Pop, Cmd::Cursor(bay)];
                }
            }
            a if self.inert(a, sh)
                && let Some(at) = sh.past =>
            {
                return vec![Cmd::error(
                    sh.t(Msg::PastReadOnly)
                        .replace("{t}", &crate::site_time::show(at, &sh.session.tz)),
                )];
            }
            Action::Clocks => {
                return vec![Cmd::Pop, Cmd::Push(Screen::Clocks(ClocksBoard::default()))];
            }
            a @ (Action::Release | Action::Escalate | Action::Handoff) => {
                if let Some(bay) = self.selected_bay(sh) {
                    return vec![Cmd::Cursor(bay), Cmd::Map(a)];
                }
            }
            _ => {}
        }
        Vec::new()
    }

    /// The lot changed: the selection stays on its truck wherever the new
    /// rows put it (in place, within the list, when it has left the board).
    fn refresh(&mut self, sh: &Shared) {
        let held = self.rows.get(self.selected).map(|r| r.truck.stay);
        self.rows = sorted_rows(sh, self.sort, self.reverse);
        let at = held.and_then(|s| self.rows.iter().position(|r| r.truck.stay == s));
        self.selected = at
            .unwrap_or(self.selected)
            .min(self.rows.len().saturating_sub(1));
    }

    fn replaces_map(&self) -> bool {
        true
    }

    fn render(&self, sh: &Shared, f: &mut Frame, area: Rect, _top: bool) {
        let rows = &self.rows;
        let cap = sh
            .snap
            .status
            .get(crate::domain::bay::Zone::Isolation.index());
        // The zone's bays as the map counts them; trucks on the board that
        // hold none (waiting for a bay) are said apart, not counted in.
        let mut title = format!(
            " {} — {}/{} ",
            sh.t(Msg::IsolationTitle),
            cap.map(|c| c.occupied).unwrap_or(0),
            cap.map(|c| c.capacity).unwrap_or(0)
        );
        let waiting = rows.iter().filter(|r| r.status == Status::Holding).count();
        if waiting > 0 {
            title.push_str(&format!(
                "· {} ",
                sh.t(Msg::WaitingForIsolationN)
                    .replace("{n}", &waiting.to_string())
            ));
        }
        let title = Line::from(Span::styled(title, bold()));
        let outer = block(sh, title, true);
        let inner = outer.inner(area);
        f.render_widget(outer, area);
        if rows.is_empty() {
            f.render_widget(Paragraph::new(sh.t(Msg::NobodyIsolated)), inner);
            return;
        }
        let arrow = match (self.reverse, sh.session.ascii) {
            (true, false) => "▼",
            (false, false) => "▲",
            (true, true) => "v",
            (false, true) => "^",
        };
        let col = |m: Msg, c: IsolationCol| {
            let mark = if c == self.sort { arrow } else { "" };
            Col::new(format!("{}{mark}", sh.t(m))).named(sh.t(m))
        };
        // "since" keeps 17 cells while there is room, so the columns do not
        // move as durations grow (Chinese durations are wider); plates are
        // up to 10 cells. The reason and the next action give way on a
        // narrow screen and share the room left on a wide one, the next
        // action taking the larger share: it matters most.
        let cols = [
            col(Msg::ColSince, IsolationCol::Since).floor(17),
            col(Msg::ColPlate, IsolationCol::Plate).floor(10),
            col(Msg::ColBay, IsolationCol::Bay).floor(5),
            col(Msg::ColReason, IsolationCol::Reason).gives(1).fills(1),
            col(Msg::ColTests, IsolationCol::Tests).floor(10),
            col(Msg::ColNext, IsolationCol::Next).gives(2).fills(2),
        ];
        let body = rows
            .iter()
            .map(|r| {
                let tests = if r.pending.is_empty() {
                    "—".to_string()
                } else {
                    r.pending
                        .iter()
                        .map(|t| {
                            let late = if r.overdue.contains(t) { "!" } else { "" };
                            format!("{}{late}", sh.t(word(*t)))
                        })
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                let mut reason = reason_text(sh, r);
                if r.escalation.is_some() {
                    let flag = if sh.session.ascii { "F" } else { "⚑" };
                    reason = format!("{flag} {reason}");
                }
                let cells = vec![
                    format!("{} ({})", hhmm(sh, r.since), span(sh, sh.at() - r.since)),
                    r.truck.plate.to_string(),
                    r.truck
                        .bay
                        .as_ref()
                        .map(|b| b.to_string())
                        .unwrap_or_default(),
                    reason,
                    tests,
                    next_text(sh, &r.next),
                ];
                let style = if r.overdue.is_empty() {
                    Style::new()
                } else {
                    late_style(sh)
                };
                (cells, style)
            })
            .collect();
        table::render(sh, f, inner, &cols, body, self.selected);
    }
}

/// Why the truck is held: what someone typed, or else who the gate checks
/// flagged, in the interface language.
fn reason_text(sh: &Shared, r: &crate::domain::clocks::IsolationRow) -> String {
    match &r.reason {
        Some(typed) => typed.clone(),
        None => crate::i18n::words::findings_in(sh.session.lang, &r.findings, |n| r.name(n)),
    }
}

/// The isolation board's order for one column: typed values, never their
/// formatted text (the longest isolated first is the time ascending).
fn compare_isolation(
    lang: crate::i18n::Lang,
    col: IsolationCol,
    a: &IsolationRow,
    b: &IsolationRow,
) -> std::cmp::Ordering {
    let reason = |r: &IsolationRow| match &r.reason {
        Some(typed) => typed.clone(),
        None => crate::i18n::words::findings_in(lang, &r.findings, |n| r.name(n)),
    };
    match col {
        IsolationCol::Since => a.since.cmp(&b.since),
        IsolationCol::Plate => a.truck.plate.as_str().cmp(b.truck.plate.as_str()),
        IsolationCol::Bay => a.truck.bay.cmp(&b.truck.bay),
        IsolationCol::Reason => reason(a).cmp(&reason(b)),
        // Most overdue tests first.
        IsolationCol::Tests => b.overdue.len().cmp(&a.overdue.len()),
        IsolationCol::Next => a.next.key().cmp(b.next.key()),
    }
}
