//! The app: one state, updated by actions, drawn by pure views. No terminal,
//! no SQL: tests drive it with keys and snapshots.
//!
//! `App::key` turns a key into an `Action` through the keymap (or into text
//! for a field); `update` gives the action its meaning on the top screen and
//! may queue `Effect`s (run an operation, load a stay's detail, quit) for the
//! event loop. What happened comes back through `op_done` and `set_snapshot`.

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::Session;
use super::keymap::{self, Action, Key, Mode};
use super::screens::*;
use crate::domain::bay::{BayId, Zone};
use crate::domain::clocks::{self, Clock, ClockFacts, IsolationRow};
use crate::domain::event::StayId;
use crate::domain::gate::ArrivalPlan;
use crate::domain::layout::Layout;
use crate::domain::plate::PlateQuery;
use crate::domain::suggest::suggest;
use crate::i18n::Msg;
use crate::ops::{Op, OpError, Outcome};
use crate::store::{LotView, Occupant, StayDetail, ZoneCount};

/// What the loop read from the store for the app to show.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub lot: LotView,
    pub status: Vec<ZoneCount>,
    pub facts: ClockFacts,
}

/// Work for the event loop.
// A handful per key press, consumed at once: boxing the operation would buy
// nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Run(Op),
    LoadDetail(StayId),
    /// Ask what stands between this truck and the gate out, then show the
    /// departure confirmation (`App::departure_checked`).
    DepartureCheck(crate::domain::plate::Plate),
    Quit,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toast {
    pub text: String,
    pub error: bool,
    pub at: DateTime<Utc>,
}

pub struct App {
    pub session: Session,
    pub layout: Layout,
    pub snap: Snapshot,
    /// Clocks computed from the snapshot and the policy.
    pub clocks: Vec<Clock>,
    /// The bay under the map cursor, as an index into `layout.bays`.
    pub cursor: usize,
    /// Last cursor per zone, so Tab and 1–5 come back where you were.
    zone_cursor: [usize; 5],
    pub detail: Option<StayDetail>,
    /// Where the open arrival form would go: computed by the same rule as
    /// the arrival operation, whenever the form or the lot changes.
    pub plan: Option<ArrivalPlan>,
    pub screens: Vec<Screen>,
    pub toast: Option<Toast>,
    pub now: DateTime<Utc>,
    pub quit: bool,
    effects: Vec<Effect>,
}

/// The ASCII form of a catalogue text, made once per text and kept (the
/// catalogue is finite, so this holds a few kilobytes at most).
fn ascii_text(text: &'static str) -> &'static str {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static CACHE: OnceLock<Mutex<HashMap<&'static str, &'static str>>> = OnceLock::new();
    if text.is_ascii() {
        return text;
    }
    let mut cache = CACHE
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    cache
        .entry(text)
        .or_insert_with(|| Box::leak(crate::i18n::ascii_form(text).into_owned().into_boxed_str()))
}

impl App {
    pub fn new(session: Session, layout: Layout, snap: Snapshot, now: DateTime<Utc>) -> App {
        let zone_cursor = Zone::ALL.map(|z| layout.zone(z).bays.start);
        let cursor = zone_cursor[Zone::Parking.index()];
        let clocks = clocks::clocks(&snap.facts, &session.policy);
        let mut app = App {
            session,
            layout,
            snap,
            clocks,
            cursor,
            zone_cursor,
            detail: None,
            plan: None,
            screens: Vec::new(),
            toast: None,
            now,
            quit: false,
            effects: Vec::new(),
        };
        app.cursor_moved();
        app
    }

    /// A catalogue text in the session's language, in ASCII with `--ascii`.
    pub fn t(&self, m: Msg) -> &'static str {
        let text = m.text(self.session.lang);
        if self.session.ascii {
            ascii_text(text)
        } else {
            text
        }
    }

    pub fn mode(&self) -> Mode {
        match self.screens.last() {
            None => Mode::Map,
            Some(Screen::Form(_)) => Mode::Form,
            Some(Screen::PickBay(_)) => Mode::PickBay,
            Some(Screen::Search(_)) => Mode::Search,
            Some(Screen::Confirm(_)) => Mode::Confirm,
            Some(Screen::Prompt(_)) => Mode::Prompt,
            Some(Screen::Menu(_)) => Mode::Menu,
            Some(Screen::Help) => Mode::Help,
            Some(Screen::Clocks(_)) => Mode::Clocks,
            Some(Screen::Isolation(_)) => Mode::Isolation,
        }
    }

    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    pub fn set_now(&mut self, now: DateTime<Utc>) {
        self.now = now;
        if self
            .toast
            .as_ref()
            .is_some_and(|t| (now - t.at).num_seconds() >= 8)
        {
            self.toast = None;
        }
    }

    /// New state from the store (after an operation, or another terminal's).
    pub fn set_snapshot(&mut self, snap: Snapshot) {
        self.snap = snap;
        self.clocks = clocks::clocks(&self.snap.facts, &self.session.policy);
        self.refresh_search();
        self.sync_form();
        self.detail = None;
        self.cursor_moved();
    }

    pub fn set_detail(&mut self, detail: Option<StayDetail>) {
        self.detail = detail;
    }

    pub fn overdue(&self) -> usize {
        clocks::overdue_count(&self.clocks, self.now)
    }

    /// Trucks on the holding list: flagged, waiting for an isolation bay.
    pub fn waiting_for_isolation(&self) -> usize {
        self.snap
            .facts
            .isolations
            .iter()
            .filter(|i| i.status == crate::domain::stay::Status::Holding)
            .count()
    }

    pub fn isolation_rows(&self) -> Vec<IsolationRow> {
        clocks::isolation_board(&self.snap.facts, &self.session.policy, self.now)
    }

    pub fn occupant(&self, bay: usize) -> Option<&Occupant> {
        self.snap
            .lot
            .bays
            .get(bay)
            .and_then(|b| b.occupant.as_ref())
    }

    /// The bay of a plate on site, from the snapshot.
    pub fn bay_of_plate(&self, plate: &crate::domain::plate::Plate) -> Option<usize> {
        self.snap
            .lot
            .bays
            .iter()
            .position(|b| b.occupant.as_ref().is_some_and(|o| &o.plate == plate))
    }

    pub fn cursor_bay(&self) -> &BayId {
        &self.layout.bays[self.cursor].id
    }

    pub(super) fn is_free(&self, i: usize) -> bool {
        self.snap
            .lot
            .bays
            .get(i)
            .is_some_and(|b| b.occupant.is_none() && b.closed.is_none())
    }

    /// The suggested free bay of `zone`.
    pub fn suggest(&self, zone: Zone, priority: bool) -> Option<usize> {
        suggest(&self.layout, zone, priority, |i| self.is_free(i))
    }

    /// Whether a zone's disinfection round is overdue.
    pub fn disinfection_due(&self, zone: Zone) -> bool {
        self.clocks
            .iter()
            .any(|c| c.kind == clocks::ClockKind::Disinfection { zone } && c.overdue(self.now))
    }

    pub fn toast(&mut self, text: impl Into<String>, error: bool) {
        self.toast = Some(Toast {
            text: text.into(),
            error,
            at: self.now,
        });
    }

    pub(super) fn push_effect(&mut self, e: Effect) {
        self.effects.push(e);
    }

    /// A key from the terminal.
    pub fn key(&mut self, event: &KeyEvent) {
        // Esc and a key pressed quickly after it reach us as one Alt-key
        // (terminals send both as ESC + key). Nothing here uses Alt, so it
        // means what the operator did: Esc, then the key.
        if event.modifiers.contains(KeyModifiers::ALT) {
            self.key(&KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
            let mut plain = *event;
            plain.modifiers.remove(KeyModifiers::ALT);
            self.key(&plain);
            return;
        }
        let mode = self.mode();
        let key = Key::from_event(event);
        if let Some(action) = keymap::lookup(mode, key) {
            self.update(action);
            return;
        }
        match self.screens.last_mut() {
            Some(Screen::Form(f))
                if f.focus == super::form::Field::Bay
                    && matches!(event.code, KeyCode::Char(' ') | KeyCode::Char('b')) =>
            {
                let from_cursor = self.cursor;
                if let Some(bay) = self.plan.as_ref().and_then(|p| p.bay) {
                    self.set_cursor(bay);
                }
                self.screens.push(Screen::PickBay(PickBay {
                    purpose: PickPurpose::Arrival,
                    from_cursor,
                }));
            }
            Some(Screen::Form(f)) => {
                let changed = f.key(event);
                if changed {
                    self.sync_form();
                }
            }
            Some(Screen::Search(s)) => {
                let changed = match event.code {
                    KeyCode::Char(c) if !key.ctrl => {
                        s.input.insert(c);
                        true
                    }
                    KeyCode::Backspace => {
                        s.input.backspace();
                        true
                    }
                    _ => false,
                };
                if changed {
                    self.refresh_search();
                }
            }
            Some(Screen::Prompt(p)) => match event.code {
                KeyCode::Char(c) if !key.ctrl => p.input.insert(c),
                KeyCode::Backspace => p.input.backspace(),
                KeyCode::Delete => p.input.delete(),
                KeyCode::Left => p.input.left(),
                KeyCode::Right => p.input.right(),
                KeyCode::Home => p.input.home(),
                KeyCode::End => p.input.end(),
                _ => {}
            },
            Some(Screen::Menu(m)) => {
                if let KeyCode::Char(c) = event.code {
                    let pick = m
                        .options
                        .iter()
                        .find(|o| o.key == c)
                        .map(|o| o.pick.clone());
                    if let Some(pick) = pick {
                        self.screens.pop();
                        self.menu_pick(pick);
                    }
                }
            }
            _ => {}
        }
    }

    /// Gives `action` its meaning on the top screen.
    pub fn update(&mut self, action: Action) {
        match (self.mode(), action) {
            (_, Action::ForceQuit) => {
                if self.screens.iter().any(|s| matches!(s, Screen::Form(_))) {
                    self.screens.push(Screen::Menu(Menu {
                        title: Msg::QuitDiscardTitle,
                        subject: String::new(),
                        options: vec![
                            MenuOption {
                                key: 'y',
                                label: Msg::QuitDiscardYes,
                                detail: String::new(),
                                pick: MenuPick::QuitDiscard,
                            },
                            MenuOption {
                                key: 'n',
                                label: Msg::QuitDiscardNo,
                                detail: String::new(),
                                pick: MenuPick::Stay,
                            },
                        ],
                    }));
                } else {
                    self.request_quit();
                }
            }
            (_, Action::Quit) => self.request_quit(),
            (_, Action::Back) => {
                if let Some(Screen::PickBay(p)) = self.screens.last() {
                    let back = p.from_cursor;
                    self.set_cursor(back);
                }
                self.screens.pop();
                self.sync_form();
            }
            (Mode::Help, Action::Help) => {
                self.screens.pop();
            }
            (_, Action::Help) => self.screens.push(Screen::Help),
            (Mode::Map | Mode::PickBay, a) if self.navigate(a) => {}
            (Mode::Clocks | Mode::Isolation, Action::Up | Action::Down) => {
                let rows = self.board_len();
                if let Some(Screen::Clocks(b) | Screen::Isolation(b)) = self.screens.last_mut() {
                    b.selected = if action == Action::Up {
                        b.selected.saturating_sub(1)
                    } else {
                        (b.selected + 1).min(rows.saturating_sub(1))
                    };
                }
            }
            (Mode::Isolation, Action::SortNext | Action::SortReverse | Action::SortBy(_)) => {
                if let Some(Screen::Isolation(b)) = self.screens.last_mut() {
                    match action {
                        Action::SortNext => {
                            b.sort = (b.sort + 1) % super::view::boards::ISOLATION_SORTS
                        }
                        Action::SortBy(col) if col == b.sort => b.reverse = !b.reverse,
                        Action::SortBy(col) => {
                            b.sort = col.min(super::view::boards::ISOLATION_SORTS - 1);
                            b.reverse = false;
                        }
                        _ => b.reverse = !b.reverse,
                    }
                }
            }
            (Mode::Clocks | Mode::Isolation, Action::Jump) => self.board_jump(),
            (Mode::Isolation, Action::Clocks) => {
                self.screens.pop();
                self.screens.push(Screen::Clocks(Board::default()));
            }
            (Mode::Clocks, Action::IsolationBoard) => {
                self.screens.pop();
                self.screens.push(Screen::Isolation(Board::default()));
            }
            (Mode::Isolation, a @ (Action::Release | Action::Escalate | Action::Handoff)) => {
                if let Some(bay) = self.board_selected_bay() {
                    self.set_cursor(bay);
                    self.truck_action(a);
                }
            }
            (Mode::Map, Action::Clocks) => self.screens.push(Screen::Clocks(Board::default())),
            (Mode::Map, Action::IsolationBoard) => {
                self.screens.push(Screen::Isolation(Board::default()))
            }
            (Mode::Map, Action::Search) => {
                self.screens.push(Screen::Search(Search::default()));
                self.refresh_search();
            }
            (Mode::Map, Action::Arrive) => {
                let form = super::form::ArrivalForm::new(&self.session.gates, &self.session.gate);
                self.screens.push(Screen::Form(form));
                self.sync_form();
            }
            (Mode::Clocks, Action::HandoffArrived) => self.confirm_handoff_from_clocks(),
            (Mode::Map, a) => self.truck_action(a),
            (Mode::Form, Action::NextField) => self.with_form(|f| f.next_field()),
            (Mode::Form, Action::PrevField) => self.with_form(|f| f.prev_field()),
            (Mode::Form, Action::Confirm) => self.submit_form(),
            (Mode::Form, Action::AddPerson) => {
                let mut added = true;
                self.with_form(|f| added = f.add_passenger());
                if !added {
                    self.toast(self.t(Msg::CabFull), true);
                }
            }
            (Mode::Form, Action::RemovePerson) => self.with_form(|f| {
                f.remove_passenger();
            }),
            (Mode::PickBay, Action::Confirm) => self.pick_confirm(),
            (Mode::Search, Action::Up | Action::Down) => {
                if let Some(Screen::Search(s)) = self.screens.last_mut() {
                    let n = s.hits.len();
                    if n > 0 {
                        s.selected = if action == Action::Up {
                            (s.selected + n - 1) % n
                        } else {
                            (s.selected + 1) % n
                        };
                    }
                }
            }
            (Mode::Search, Action::Jump) => {
                if let Some(Screen::Search(s)) = self.screens.last() {
                    match s.hits.get(s.selected).copied() {
                        Some(bay) => {
                            self.screens.pop();
                            self.set_cursor(bay);
                        }
                        None => self.toast(self.t(Msg::SearchNoMatch), true),
                    }
                }
            }
            (Mode::Confirm, Action::Confirm) => {
                if let Some(Screen::Confirm(c)) = self.screens.pop() {
                    match c.then {
                        Then::Run(op) => self.effects.push(Effect::Run(op)),
                        Then::Prompt {
                            title,
                            subject,
                            next,
                        } => self.prompt(title, subject, true, next),
                        Then::Close => {}
                    }
                }
            }
            (Mode::Prompt, Action::Confirm) => self.prompt_confirm(),
            _ => {}
        }
    }

    fn request_quit(&mut self) {
        self.quit = true;
        self.effects.push(Effect::Quit);
    }

    fn with_form(&mut self, f: impl FnOnce(&mut super::form::ArrivalForm)) {
        if let Some(Screen::Form(form)) = self.screens.last_mut() {
            f(form);
        }
        self.sync_form();
    }

    /// Cursor movement on the map. Returns false if `a` is not a movement.
    fn navigate(&mut self, a: Action) -> bool {
        let b = &self.layout.bays[self.cursor];
        let zone = b.zone;
        let block = self.layout.zone(zone);
        let (row, col) = (b.row, b.col);
        let row_at = |r: usize, col: usize| {
            let range = block.rows[r].bays.clone();
            range.start + col.min(range.len() - 1)
        };
        let target = match a {
            Action::Left if col > 0 => Some(self.cursor - 1),
            Action::Right if col + 1 < block.rows[row].bays.len() => Some(self.cursor + 1),
            Action::Left | Action::Right => {
                let side = self.beside(zone, a == Action::Left);
                side.map(|z| self.zone_cursor[z.index()])
            }
            Action::Up if row > 0 => Some(row_at(row - 1, col)),
            Action::Down if row + 1 < block.rows.len() => Some(row_at(row + 1, col)),
            Action::Up | Action::Down => {
                let next = self.stacked(zone, a == Action::Up);
                next.map(|z| {
                    let nb = self.layout.zone(z);
                    let r = if a == Action::Up {
                        nb.rows.len() - 1
                    } else {
                        0
                    };
                    let range = nb.rows[r].bays.clone();
                    range.start + col.min(range.len() - 1)
                })
            }
            Action::RowStart => Some(block.rows[row].bays.start),
            Action::RowEnd => Some(block.rows[row].bays.end - 1),
            Action::NextZone | Action::PrevZone => {
                let n = Zone::ALL.len();
                let i = zone.index();
                let j = if a == Action::NextZone {
                    (i + 1) % n
                } else {
                    (i + n - 1) % n
                };
                Some(self.zone_cursor[j])
            }
            Action::Zone(i) if i < Zone::ALL.len() => Some(self.zone_cursor[i]),
            _ => return false,
        };
        if let Some(t) = target {
            self.set_cursor(t);
        }
        true
    }

    /// The map draws work, living, isolation and handoff stacked in a column
    /// left of parking; up and down cross between the stacked blocks.
    fn stacked(&self, zone: Zone, up: bool) -> Option<Zone> {
        const COLUMN: [Zone; 4] = [Zone::Work, Zone::Living, Zone::Isolation, Zone::Handoff];
        let i = COLUMN.iter().position(|z| *z == zone)?;
        if up {
            i.checked_sub(1).map(|j| COLUMN[j])
        } else {
            COLUMN.get(i + 1).copied()
        }
    }

    /// Left of parking is the last stacked block visited; right of a stacked
    /// block is parking.
    fn beside(&self, zone: Zone, left: bool) -> Option<Zone> {
        match (zone, left) {
            (Zone::Parking, true) => {
                let prev = self.layout.bays[self.zone_cursor[Zone::Living.index()]].zone;
                Some(prev)
            }
            (Zone::Parking, false) => None,
            (_, false) => Some(Zone::Parking),
            (_, true) => None,
        }
    }

    pub fn set_cursor(&mut self, bay: usize) {
        if bay >= self.layout.bays.len() {
            return;
        }
        self.cursor = bay;
        let zone = self.layout.bays[bay].zone;
        self.zone_cursor[zone.index()] = bay;
        if zone != Zone::Parking {
            // Remember which stacked block "left of parking" returns to.
            self.zone_cursor[Zone::Living.index()] = if zone == Zone::Living {
                bay
            } else {
                self.zone_cursor[Zone::Living.index()]
            };
        }
        self.cursor_moved();
        self.sync_form();
    }

    fn cursor_moved(&mut self) {
        let stay = self.occupant(self.cursor).map(|o| o.stay);
        match stay {
            Some(s) if self.detail.as_ref().map(|d| d.stay) != Some(s) => {
                self.effects.push(Effect::LoadDetail(s));
            }
            None => self.detail = None,
            _ => {}
        }
    }

    fn refresh_search(&mut self) {
        let Some(Screen::Search(s)) = self.screens.last() else {
            return;
        };
        let q = PlateQuery::new(&s.input.text());
        let hits: Vec<usize> = self
            .snap
            .lot
            .bays
            .iter()
            .enumerate()
            .filter(|(_, b)| b.occupant.as_ref().is_some_and(|o| o.plate.matches(&q)))
            .map(|(i, _)| i)
            .collect();
        if let Some(Screen::Search(s)) = self.screens.last_mut() {
            s.selected = s.selected.min(hits.len().saturating_sub(1));
            s.hits = hits;
        }
    }

    /// Called by the loop with the result of an `Effect::Run`.
    pub fn op_done(&mut self, op: &Op, result: Result<Outcome, OpError>) {
        super::outcome::op_done(self, op, result);
    }

    fn board_len(&self) -> usize {
        match self.screens.last() {
            Some(Screen::Clocks(_)) => self.clocks.len(),
            Some(Screen::Isolation(_)) => self.snap.facts.isolations.len(),
            _ => 0,
        }
    }

    fn board_selected_bay(&self) -> Option<usize> {
        match self.screens.last() {
            Some(Screen::Isolation(b)) => {
                let rows = super::view::boards::sorted_isolation(self, b);
                let bay = rows.get(b.selected)?.truck.bay.clone()?;
                self.layout.find(&bay)
            }
            Some(Screen::Clocks(b)) => {
                let c = self.clocks.get(b.selected)?;
                match (&c.truck, &c.kind) {
                    (Some(t), _) => self.layout.find(t.bay.as_ref()?),
                    (None, clocks::ClockKind::Disinfection { zone }) => {
                        Some(self.zone_cursor[zone.index()])
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }

    fn board_jump(&mut self) {
        if let Some(bay) = self.board_selected_bay() {
            self.screens.pop();
            self.set_cursor(bay);
        }
    }
}
