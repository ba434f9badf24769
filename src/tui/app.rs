//! The app: one state, updated by actions, drawn by pure views. No terminal,
//! no SQL: tests drive it with keys and snapshots.
//!
//! `App::key` turns a key into an `Action` through the keymap (or into text
//! for a field); `update` gives the action its meaning on the top screen and
//! may queue `Effect`s (run an operation, load a stay's detail, quit) for the
//! event loop. What happened comes back through `op_done` and `set_snapshot`.
//!
//! (Over 400 lines: it still routes every screen's actions itself; splitting it into per-screen `handle`s is the next step, see issue 8.)

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::Session;
use super::keymap::{self, Action, Key, Mode};
use super::screens::*;
use crate::domain::bay::{BayId, Zone};
use crate::domain::clocks::{self, ClockFacts, DueItem, IsolationRow};
use crate::domain::event::StayId;
use crate::domain::gate::ArrivalPlan;
use crate::domain::layout::Layout;
use crate::domain::plate::PlateQuery;
use crate::domain::suggest::suggest;
use crate::i18n::Msg;
use crate::ops::{Op, OpError, Outcome};
use crate::store::{DepartedPlate, LotView};
use crate::store::{Occupant, StayDetail, ZoneCount};

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
    /// Read the trucks that left, for search (`App::set_departed`).
    LoadDeparted,
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
    pub clocks: Vec<DueItem>,
    /// The isolation board's rows in the open board's order: computed when
    /// the lot, the time or the order changes, never per frame.
    isolation: Vec<IsolationRow>,
    /// Zones whose disinfection round is overdue (by `Zone::index`).
    disinfection_due: [bool; 5],
    /// The bay under the map cursor, as an index into `layout.bays`.
    pub cursor: usize,
    /// Last cursor per zone, so Tab and 1–5 come back where you were.
    zone_cursor: [usize; 5],
    /// The stacked block (work, living, isolation, handoff) visited last:
    /// where `←` from parking goes.
    last_stacked: Zone,
    pub detail: Option<StayDetail>,
    /// Where the open arrival form would go: computed by the same rule as
    /// the arrival operation, whenever the form or the lot changes.
    pub plan: Option<ArrivalPlan>,
    pub screens: Vec<Screen>,
    pub toast: Option<Toast>,
    pub now: DateTime<Utc>,
    pub quit: bool,
    /// The terminal's size (width, height) as last drawn.
    pub viewport: (u16, u16),
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
            isolation: Vec::new(),
            disinfection_due: [false; 5],
            cursor,
            zone_cursor,
            last_stacked: Zone::Living,
            detail: None,
            plan: None,
            screens: Vec::new(),
            toast: None,
            now,
            quit: false,
            viewport: (u16::MAX, u16::MAX),
            effects: Vec::new(),
        };
        app.derive();
        app.cursor_moved();
        app
    }

    /// Recomputes what is derived from the lot, the time and the open
    /// board's order: the isolation board and the zones due for
    /// disinfection (the arrival plan follows the form, in `sync_form`).
    fn derive(&mut self) {
        self.disinfection_due = Zone::ALL.map(|zone| {
            self.clocks
                .iter()
                .any(|c| c.kind == clocks::ClockKind::Disinfection { zone } && c.overdue(self.now))
        });
        self.sort_isolation();
    }

    /// The isolation board's rows, in the order of the board on the stack.
    fn sort_isolation(&mut self) {
        let mut rows = clocks::isolation_board(&self.snap.facts, &self.session.policy, self.now);
        let order = self.screens.iter().rev().find_map(|s| match s {
            Screen::Isolation(b) => Some((b.sort, b.reverse)),
            _ => None,
        });
        let (col, reverse) = order.unwrap_or_default();
        let lang = self.session.lang;
        rows.sort_by(|a, b| compare_isolation(lang, col, a, b));
        if reverse {
            rows.reverse();
        }
        self.isolation = rows;
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
        screen_mode(self.screens.last())
    }

    /// The mode help is about: the screen under it.
    pub fn help_mode(&self) -> Mode {
        let n = self.screens.len();
        match self.screens.last() {
            Some(Screen::Help) => screen_mode(n.checked_sub(2).and_then(|i| self.screens.get(i))),
            _ => self.mode(),
        }
    }

    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    pub fn set_now(&mut self, now: DateTime<Utc>) {
        let changed = self.now != now;
        self.now = now;
        if changed {
            self.derive();
        }
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
        self.derive();
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

    /// The isolation board's rows, sorted as the board shows them.
    pub fn isolation_rows(&self) -> &[IsolationRow] {
        &self.isolation
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
        self.disinfection_due[zone.index()]
    }

    pub fn toast(&mut self, text: impl Into<String>, error: bool) {
        self.toast = Some(Toast {
            text: text.into(),
            error,
            at: self.now,
        });
    }

    /// Something the loop could not do: said on the status line and written
    /// to the log file with what was being done.
    pub fn error(&mut self, doing: &str, e: &dyn std::fmt::Display) {
        super::log::write("error", &format!("{doing}: {e}"));
        let text = self.t(Msg::LoopError).replace("{e}", &e.to_string());
        self.toast(text, true);
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
        let action = keymap::lookup(mode, key);
        // While the screen says it is too small, nothing is done blind:
        // only quitting goes through.
        if self.too_small() {
            if matches!(action, Some(Action::Quit | Action::ForceQuit)) {
                self.update(action.unwrap_or(Action::Quit));
            }
            return;
        }
        match action {
            Some(Action::Choose) => self.choose(key),
            Some(a) => self.update_with(a, key),
            None => match (mode.takes_text(), key.code) {
                // A printable character, never a Ctrl-letter, is text.
                (true, KeyCode::Char(c)) if !key.ctrl => self.insert(c),
                _ => self.not_a_key(mode, key),
            },
        }
    }

    /// A one-line hint for a key that means nothing here.
    fn not_a_key(&mut self, mode: Mode, key: Key) {
        // Esc where there is nothing to leave is no mistake.
        if key.code == KeyCode::Esc {
            return;
        }
        let text = self
            .t(Msg::NotAKeyHere)
            .replace("{key}", &key.label_in(self.session.lang))
            .replace(
                "{help}",
                &keymap::help_key(mode).label_in(self.session.lang),
            );
        self.toast(text, true);
    }

    /// A printable character for the text field on top.
    fn insert(&mut self, c: char) {
        match self.screens.last_mut() {
            Some(Screen::Form(f)) => {
                let changed = f.insert(c);
                if changed {
                    self.sync_form();
                }
            }
            Some(Screen::Search(s)) => {
                s.input.insert(c);
                self.refresh_search();
            }
            Some(Screen::Prompt(p)) => p.input.insert(c),
            _ => {}
        }
    }

    /// `Action::Choose`: a menu's option by its letter, or the form's gate
    /// by its number.
    fn choose(&mut self, key: Key) {
        let KeyCode::Char(c) = key.code else { return };
        match self.screens.last_mut() {
            Some(Screen::Menu(m)) => {
                let pick = m
                    .options
                    .iter()
                    .find(|o| o.key == c)
                    .map(|o| o.pick.clone());
                match pick {
                    Some(pick) => {
                        self.screens.pop();
                        self.menu_pick(pick);
                    }
                    None => self.not_a_key(Mode::Menu, key),
                }
            }
            Some(Screen::Form(f)) => {
                let mode = f.mode();
                if f.handle(Action::Choose, key) {
                    self.sync_form();
                } else {
                    self.not_a_key(mode, key);
                }
            }
            _ => {}
        }
    }

    /// The terminal's size, as the loop last drew it.
    pub fn resize(&mut self, width: u16, height: u16) {
        self.viewport = (width, height);
    }

    /// Whether the screen is too small to show the lot (and so says so).
    pub fn too_small(&self) -> bool {
        let (w, h) = self.viewport;
        w < super::MIN_WIDTH || h < super::MIN_HEIGHT
    }

    /// An action with the key that brought it (for the form's edits).
    fn update_with(&mut self, action: Action, key: Key) {
        let form_action = matches!(
            action,
            Action::Edit(_)
                | Action::SetCode(_)
                | Action::SetCargo(_)
                | Action::SetFlag(_)
                | Action::ToggleFlag
                | Action::ChoiceNext
                | Action::ChoicePrev
        );
        match self.screens.last_mut() {
            Some(Screen::Form(f)) if form_action => {
                if f.handle(action, key) {
                    self.sync_form();
                }
            }
            Some(Screen::Search(s)) if matches!(action, Action::Edit(_)) => {
                if let Action::Edit(e) = action {
                    s.input.edit(e);
                }
                self.refresh_search();
            }
            Some(Screen::Prompt(p)) if matches!(action, Action::Edit(_)) => {
                if let Action::Edit(e) = action {
                    p.input.edit(e);
                }
            }
            _ => self.update(action),
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
            (m, Action::Back)
                if m.is_form()
                    && matches!(self.screens.last(), Some(Screen::Form(f)) if f.is_dirty()) =>
            {
                // Typed data is not thrown away on one key: ask, like Ctrl-C.
                self.screens.push(Screen::Menu(Menu {
                    title: Msg::DiscardFormTitle,
                    subject: String::new(),
                    options: vec![
                        MenuOption {
                            key: 'y',
                            label: Msg::DiscardFormYes,
                            detail: String::new(),
                            pick: MenuPick::DiscardForm,
                        },
                        MenuOption {
                            key: 'n',
                            label: Msg::DiscardFormNo,
                            detail: String::new(),
                            pick: MenuPick::Stay,
                        },
                    ],
                }));
            }
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
                        Action::SortNext => b.sort = b.sort.next(),
                        Action::SortBy(col) if col == b.sort => b.reverse = !b.reverse,
                        Action::SortBy(col) => {
                            b.sort = col;
                            b.reverse = false;
                        }
                        _ => b.reverse = !b.reverse,
                    }
                }
                self.sort_isolation();
            }
            (Mode::Clocks | Mode::Isolation, Action::Jump) => self.board_jump(),
            (Mode::Isolation, Action::Clocks) => {
                self.screens.pop();
                self.screens.push(Screen::Clocks(Board::default()));
            }
            (Mode::Clocks, Action::IsolationBoard) => {
                self.screens.pop();
                self.screens.push(Screen::Isolation(Board::default()));
                self.sort_isolation();
            }
            (Mode::Isolation, a @ (Action::Release | Action::Escalate | Action::Handoff)) => {
                if let Some(bay) = self.board_selected_bay() {
                    self.set_cursor(bay);
                    self.truck_action(a);
                }
            }
            (Mode::Map, Action::Clocks) => self.screens.push(Screen::Clocks(Board::default())),
            (Mode::Map, Action::IsolationBoard) => {
                self.screens.push(Screen::Isolation(Board::default()));
                self.sort_isolation();
            }
            (Mode::Map, Action::Search) => {
                self.screens.push(Screen::Search(Search::default()));
                self.effects.push(Effect::LoadDeparted);
                self.refresh_search();
            }
            (Mode::Map, Action::Arrive) => {
                let form = super::form::ArrivalForm::new(
                    &self.session.gates,
                    &self.session.gate,
                    self.session.province,
                );
                self.screens.push(Screen::Form(form));
                self.sync_form();
            }
            (Mode::Clocks, Action::HandoffArrived) => self.confirm_handoff_from_clocks(),
            (Mode::Map, a) => self.truck_action(a),
            (m, Action::NextField) if m.is_form() => self.with_form(|f| f.next_field()),
            (m, Action::PrevField) if m.is_form() => self.with_form(|f| f.prev_field()),
            (m, Action::Confirm) if m.is_form() => self.submit_form(),
            (Mode::FormBay, Action::PickOnMap) => {
                let from_cursor = self.cursor;
                if let Some(bay) = self.plan.as_ref().and_then(|p| p.bay) {
                    self.set_cursor(bay);
                }
                self.screens.push(Screen::PickBay(PickBay {
                    purpose: PickPurpose::Arrival,
                    from_cursor,
                }));
            }
            (m, Action::AddPerson) if m.is_form() => {
                let mut added = true;
                self.with_form(|f| added = f.add_passenger());
                if !added {
                    self.toast(self.t(Msg::CabFull), true);
                }
            }
            (m, Action::RemovePerson) if m.is_form() => {
                let mut removed = false;
                self.with_form(|f| removed = f.remove_passenger());
                if !removed {
                    self.toast(self.t(Msg::NoPassengerToRemove), true);
                }
            }
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
                    match s.hits.get(s.selected).cloned() {
                        Some(Hit::Bay(bay)) => {
                            self.screens.pop();
                            self.set_cursor(bay);
                        }
                        Some(Hit::Departed { plate, at }) => {
                            let text = self
                                .t(Msg::SearchDepartedAt)
                                .replace("{plate}", plate.as_str())
                                .replace("{at}", &super::view::hhmm(self, at));
                            self.toast(text, true);
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
            (Zone::Parking, true) => Some(self.last_stacked),
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
            self.last_stacked = zone;
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

    /// The search's hits for what is typed: trucks on site by plate or
    /// driver's name, bays by id, and trucks that left by plate (last).
    fn refresh_search(&mut self) {
        let Some(Screen::Search(s)) = self.screens.last() else {
            return;
        };
        let hits = search_hits(&self.layout, &self.snap.lot, &s.departed, &s.input.text());
        if let Some(Screen::Search(s)) = self.screens.last_mut() {
            s.selected = s.selected.min(hits.len().saturating_sub(1));
            s.hits = hits;
        }
    }

    /// The trucks that left, for search (`Effect::LoadDeparted`).
    pub fn set_departed(&mut self, departed: Vec<crate::store::DepartedPlate>) {
        if let Some(Screen::Search(s)) = self.screens.last_mut() {
            s.departed = departed;
        }
        self.refresh_search();
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
                let bay = self.isolation.get(b.selected)?.truck.bay.clone()?;
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

/// What search finds for `query`: trucks on site whose plate (the province
/// may be pinyin or left out) or driver's name matches, bays whose id
/// starts with it (`P-11-12`, `p1112`), then trucks that left.
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
    for (i, b) in lot.bays.iter().enumerate() {
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

/// Which bindings apply when `screen` is on top (the map when none is).
fn screen_mode(screen: Option<&Screen>) -> Mode {
    match screen {
        None => Mode::Map,
        Some(Screen::Form(f)) => f.mode(),
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
