//! (Over 400 lines: the router and the one interpreter of `Cmd`s, an arm a command.)
//!
//! The app: routes keys to the screen on top of a stack (the map when it
//! is empty), carries out what the screen asks (`Cmd`s), and holds the
//! data every screen shares. No terminal, no SQL: tests drive it with keys
//! and snapshots.
//!
//! `App::key` turns a key into an `Action` through the keymap (or into text
//! for a field) and hands it to the top screen's `handle`; work that needs
//! the store is queued as `Effect`s for the event loop, and comes back
//! through `op_done`, `set_snapshot`, `departure_checked`,
//! `escalation_checked`, `stay_loaded` and `bay_suggested`.

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout as Split};

use super::Session;
use super::keymap::{self, Action, Key, Mode};
use super::screens::map::{Map, actions};
use super::screens::menu::{Menu, MenuPick};
use super::screens::past::{self, PastView};
use super::screens::{Cmd, Confirm, Help, Layer, Planned, Screen, StayCard};
use super::shared::Shared;
use super::view::{self, bars};
use crate::domain::bay::BayId;
use crate::domain::clocks::IsolationRow;
use crate::domain::event::LoggedEvent;
use crate::domain::gate::ArrivalPlan;
use crate::domain::layout::Layout;
use crate::domain::plate::Plate;
use crate::domain::stay::{Blocker, StayState};
use crate::i18n::Msg;
use crate::ops::{ActionId, Op, OpError, Outcome, Refusal};
use crate::store::{DepartedPlate, PastLot, Report, StayDetail, StoreError};

pub use super::screens::Effect;
pub use super::shared::{Snapshot, Toast};

pub struct App {
    /// What every screen reads: the lot, the session, the time, the cursor.
    pub shared: Shared,
    /// The screen under all others.
    pub map: Map,
    /// The screens over the map, the top one last.
    pub screens: Vec<Screen>,
    pub quit: bool,
    effects: Vec<Effect>,
    /// An action whose outcome was lost with the server's connection,
    /// with the id it was sent with: sent again (the operator presses
    /// Enter on the same form), it goes with the same id, so a first try
    /// that was committed is told done rather than recorded twice.
    unanswered: Option<(Op, ActionId)>,
    /// Something this app asked of the store met a lost connection since
    /// the loop last looked (`connection_lost`).
    lost: bool,
}

impl App {
    pub fn new(session: Session, layout: Layout, snap: Snapshot, now: DateTime<Utc>) -> App {
        let map = Map::new(&layout);
        let cursor = map.start();
        let mut app = App {
            shared: Shared::new(session, layout, snap, now, cursor),
            map,
            screens: Vec::new(),
            quit: false,
            effects: Vec::new(),
            unanswered: None,
            lost: false,
        };
        app.cursor_moved();
        if app.shared.session.sign_in.is_some() {
            let ask = super::screens::Prompt::sign_in(&app.shared);
            app.screens.push(ask);
        }
        app
    }

    /// `name` signed in (`Effect::SignIn`): every event from now on is in
    /// that name, and this terminal remembers it for its next start.
    pub fn signed_in(&mut self, name: String) {
        self.shared.session.operator = name.clone();
        let remembered = match &self.shared.session.sign_in {
            Some(path) => super::sign_in::remember(path, &name)
                .map_err(|e| format!("{}: {e}", path.display())),
            None => Ok(()),
        };
        match remembered {
            Ok(()) => {
                let text = self.shared.t(Msg::SignedIn).replace("{x}", &name);
                self.toast(text, false);
            }
            Err(why) => self.toast(
                format!("{}: {why}", self.shared.t(Msg::SignInNotKept)),
                true,
            ),
        }
    }

    /// Which bindings apply: the top screen's, or the map's.
    pub fn mode(&self) -> Mode {
        self.screens.last().map_or(Mode::Map, |s| s.mode())
    }

    /// The mode help is about: the screen under it.
    pub fn help_mode(&self) -> Mode {
        match self.screens.last() {
            Some(Screen::Help(h)) => h.about,
            _ => self.mode(),
        }
    }

    /// Whether an operation waits to run (the next `run_effects` writes).
    pub fn wants_to_write(&self) -> bool {
        self.effects.iter().any(|e| matches!(e, Effect::Run(_)))
    }

    /// The id to run `op` with: the one it went with last time if its
    /// answer was lost, else a new one.
    pub fn action_for(&mut self, op: &Op) -> ActionId {
        match self.unanswered.take() {
            Some((sent, id)) if sent == *op => id,
            _ => ActionId::new(),
        }
    }

    /// Keeps `op`'s id if its answer was lost with the connection.
    pub fn remember_action(&mut self, op: &Op, id: ActionId, result: &Result<Outcome, OpError>) {
        if let Err(OpError::Store(StoreError::Disconnected { .. })) = result {
            self.unanswered = Some((op.clone(), id));
            self.lost = true;
        }
    }

    /// Whether something met a lost connection since the last call.
    pub fn connection_lost(&mut self) -> bool {
        std::mem::take(&mut self.lost)
    }

    /// The server cannot be reached, and is tried again in so many
    /// seconds; `None` once it answers again.
    pub fn set_unreachable(&mut self, retry_in: Option<u64>) {
        self.shared.unreachable = retry_in;
    }

    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    pub fn set_now(&mut self, now: DateTime<Utc>) {
        if self.shared.set_now(now) {
            self.refresh_screens();
        }
    }

    /// New state from the store (after an operation, or another terminal's).
    pub fn set_snapshot(&mut self, snap: Snapshot) {
        self.shared.set_snapshot(snap);
        self.refresh_screens();
        self.cursor_moved();
    }

    fn refresh_screens(&mut self) {
        for s in &mut self.screens {
            s.refresh(&self.shared);
        }
    }

    pub fn set_detail(&mut self, detail: Option<StayDetail>) {
        self.shared.detail = detail;
    }

    /// The isolation board's rows in its default order (the open board
    /// keeps its own, in its order).
    pub fn isolation_rows(&self) -> Vec<IsolationRow> {
        super::screens::isolation::sorted_rows(&self.shared, Default::default(), false)
    }

    /// The plan of the arrival form, if one is open (kept by the form).
    pub fn arrival_plan(&self) -> Option<&ArrivalPlan> {
        self.screens.iter().rev().find_map(|s| match s {
            Screen::Form(f) => f.plan.as_ref(),
            _ => None,
        })
    }

    pub fn toast(&mut self, text: impl Into<String>, error: bool) {
        self.shared.toast = Some(Toast {
            text: text.into(),
            error,
            at: self.shared.now,
        });
    }

    /// Something the loop could not do: said on the status line and written
    /// to the log file with what was being done.
    pub fn error(&mut self, doing: &str, e: &crate::store::StoreError) {
        super::log::write("error", &format!("{doing}: {e}"));
        if matches!(e, StoreError::Disconnected { .. }) {
            // Said by the status line until the server answers again.
            self.lost = true;
            return;
        }
        let said = crate::i18n::store_error::text(self.shared.session.lang, e);
        let text = self.shared.t(Msg::LoopError).replace("{e}", &said);
        self.toast(text, true);
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
            if let Some(a @ (Action::Quit | Action::ForceQuit)) = action {
                self.update(a, key);
            }
            return;
        }
        // An error stays until the operator acts again: this key (Esc, a
        // move, a letter typed into the field it was about, another board)
        // leaves it behind.
        self.shared.dismiss_error();
        match action {
            Some(a) => self.update(a, key),
            None => match (mode.takes_text(), key.code, self.screens.last_mut()) {
                // A printable character, never a Ctrl-letter, is text.
                (true, KeyCode::Char(c), Some(top)) if !key.ctrl => {
                    let cmds = top.insert(c, &self.shared);
                    self.apply(cmds);
                }
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
        let lang = self.shared.session.lang;
        let text = self
            .shared
            .t(Msg::NotAKeyHere)
            .replace("{key}", &key.label_in(lang))
            .replace("{help}", &keymap::help_key(mode).label_in(lang));
        self.toast(text, true);
    }

    /// The terminal's size, as the loop last drew it.
    pub fn resize(&mut self, width: u16, height: u16) {
        self.shared.viewport = (width, height);
    }

    /// Whether the screen is too small to show the lot (and so says so).
    pub fn too_small(&self) -> bool {
        self.shared.too_small()
    }

    /// Gives `action` its meaning: quitting and help everywhere, the rest
    /// on the top screen.
    fn update(&mut self, action: Action, key: Key) {
        let mode = self.mode();
        let cmds = match action {
            Action::ForceQuit if self.screens.iter().any(|s| matches!(s, Screen::Form(_))) => {
                vec![Menu::yes_no(
                    Msg::QuitDiscardTitle,
                    String::new(),
                    (Msg::QuitDiscardYes, MenuPick::QuitDiscard),
                    Msg::QuitDiscardNo,
                )]
            }
            Action::ForceQuit | Action::Quit => vec![Cmd::Quit],
            Action::Help if mode != Mode::Help => {
                let top = self.screens.last().map(|s| s as &dyn Layer);
                vec![Cmd::Push(Screen::Help(Help::over(mode, top)))]
            }
            _ => match self.screens.last_mut() {
                Some(top) => top.handle(action, key, &self.shared),
                None => self.map.handle(action, &self.shared),
            },
        };
        self.apply(cmds);
    }

    /// Carries out what a screen asked for, in order.
    fn apply(&mut self, cmds: Vec<Cmd>) {
        for cmd in cmds {
            match cmd {
                Cmd::Pop => {
                    self.screens.pop();
                }
                Cmd::Push(s) => self.screens.push(s),
                Cmd::CloseForm => self
                    .screens
                    .retain(|s| !matches!(s, Screen::Form(_) | Screen::PickBay(_))),
                Cmd::Effect(e) => self.effects.push(e),
                Cmd::Toast(text, error) => self.toast(text, error),
                Cmd::Cursor(bay) => self.set_cursor(bay),
                Cmd::Navigate(a) => {
                    if let Some(Some(bay)) = self.map.navigate(a, &self.shared) {
                        self.set_cursor(bay);
                    }
                }
                Cmd::Map(a) => {
                    let cmds = self.map.handle(a, &self.shared);
                    self.apply(cmds);
                }
                Cmd::Picked(bay) => {
                    if let Some(top) = self.screens.last_mut() {
                        top.picked(bay, &self.shared);
                    }
                }
                Cmd::NotAKey(key) => self.not_a_key(self.mode(), key),
                Cmd::Present => {
                    self.shared.leave_past();
                    self.refresh_screens();
                    self.cursor_moved();
                }
                Cmd::Quit => {
                    self.quit = true;
                    self.effects.push(Effect::Quit);
                }
            }
        }
    }

    pub fn set_cursor(&mut self, bay: usize) {
        if bay >= self.shared.layout.bays.len() {
            return;
        }
        self.shared.cursor = bay;
        self.map.moved_to(&self.shared.layout, bay);
        self.cursor_moved();
    }

    fn cursor_moved(&mut self) {
        // A past lot's panel shows that moment, not the stay as it is now.
        if self.shared.past.is_some() {
            return;
        }
        let stay = self.shared.occupant(self.shared.cursor).map(|o| o.stay);
        match stay {
            Some(s) if self.shared.detail.as_ref().map(|d| d.stay) != Some(s) => {
                self.effects.push(Effect::LoadDetail(s));
            }
            None => self.shared.detail = None,
            _ => {}
        }
    }

    /// The trucks that left, for search (`Effect::LoadDeparted`).
    pub fn set_departed(&mut self, departed: Vec<DepartedPlate>) {
        if let Some(Screen::Search(s)) = self.screens.last_mut() {
            s.set_departed(departed, &self.shared);
        }
    }

    /// A page of the event log (`Effect::LoadLog`), for the log on top.
    pub fn log_loaded(&mut self, rows: Result<Vec<LoggedEvent>, StoreError>) {
        match rows {
            Ok(rows) => {
                if let Some(Screen::Log(l)) = self.screens.last_mut() {
                    l.loaded(rows);
                }
            }
            Err(e) => self.error("reading the event log", &e),
        }
    }

    /// A stay's record (`Effect::ShowStay`), over the screen on top.
    pub fn stay_shown(&mut self, detail: Result<Option<StayDetail>, StoreError>) {
        match detail {
            Ok(Some(detail)) => self.apply(vec![Cmd::Push(Screen::Stay(Box::new(StayCard {
                detail,
                scroll: 0,
            })))]),
            Ok(None) => {}
            Err(e) => self.error("reading a truck's stay", &e),
        }
    }

    /// The lot at a past moment (`Effect::LoadPast`): the map shows it,
    /// read only, until `Esc`.
    pub fn past_loaded(&mut self, at: DateTime<Utc>, lot: Result<PastLot, StoreError>) {
        let lot = match lot {
            Ok(l) => l,
            Err(e) => return self.error("reading the lot at a past moment", &e),
        };
        let snap = past::snapshot(&self.shared.layout, &lot, self.shared.live());
        self.shared.enter_past(at, snap);
        match self.screens.last_mut() {
            Some(Screen::Past(p)) => p.at = at,
            _ => self.screens.push(Screen::Past(PastView { at })),
        }
        self.refresh_screens();
    }

    /// The report of a window (`Effect::LoadReport`), for the report on top.
    pub fn report_loaded(&mut self, report: Result<Report, StoreError>) {
        match report {
            Ok(r) => {
                if let Some(Screen::Report(s)) = self.screens.last_mut() {
                    s.loaded(r);
                }
            }
            Err(e) => self.error("reading the shift report", &e),
        }
    }

    /// Called by the loop with the result of an `Effect::Run`.
    /// `shown`: what the arrival form showed as its suggestion when the
    /// operation was sent (`suggestion_shown`), to say so if another
    /// terminal took that bay before it ran.
    pub fn op_done(&mut self, op: &Op, result: Result<Outcome, OpError>, shown: Option<usize>) {
        let cmds = super::outcome::op_done(&self.shared, op, result, shown);
        self.apply(cmds);
    }

    /// The bay the arrival form shows as its suggestion, if a form is open.
    pub fn suggestion_shown(&self) -> Option<usize> {
        self.screens.iter().rev().find_map(|s| match s {
            Screen::Form(f) => f.plan.as_ref().and_then(|p| p.bay),
            _ => None,
        })
    }

    /// The store's answer to "what stands between this truck and the gate
    /// out": the departure confirmation, with the blockers up front.
    pub fn departure_checked(&mut self, plate: &Plate, result: Result<Vec<Blocker>, OpError>) {
        let cmd = match result {
            Ok(b) => Cmd::Push(Screen::Confirm(Confirm::departure(&self.shared, plate, &b))),
            Err(e) => Cmd::error(crate::i18n::refusal::text(self.shared.session.lang, &e)),
        };
        self.apply(vec![cmd]);
    }

    /// Whether a plate typed in the arrival form came back positive from
    /// its last stay (`Effect::PositiveBefore`): the form's plan counts it.
    pub fn positive_before_known(&mut self, plate: Plate, result: Result<bool, StoreError>) {
        match result {
            Ok(yes) => {
                let sh = &self.shared;
                for s in self.screens.iter_mut().rev() {
                    if let Screen::Form(form) = s {
                        form.history_known(plate, yes, sh);
                        break;
                    }
                }
            }
            Err(e) => self.error("asking about the plate's last stay", &e),
        }
    }

    /// The rules' answer to "can this truck be escalated now"
    /// (`Effect::EscalationCheck`): the note is asked for, or the refusal
    /// said, before anything is typed.
    pub fn escalation_checked(&mut self, plate: &Plate, result: Result<StayState, OpError>) {
        let cmd = actions::escalation_checked(&self.shared, plate, result);
        self.apply(vec![cmd]);
    }

    /// The action an undo would take back (`Effect::UndoCheck`): confirmed
    /// by name, or the reason it cannot be.
    pub fn undo_checked(&mut self, target: Result<LoggedEvent, OpError>) {
        let cmd = match target {
            Ok(e) => {
                let sh = &self.shared;
                let kind = crate::i18n::event_kind_msg(e.event.kind())
                    .map_or_else(|| e.event.kind().to_string(), |m| sh.t(m).to_string());
                let who = [
                    e.plate.as_ref().map(|p| p.to_string()),
                    e.bay.as_ref().map(|b| b.to_string()),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("  ");
                Confirm::push(
                    Msg::ConfirmUndo,
                    vec![
                        format!(
                            "#{}  {}  {kind}  {who}",
                            e.id,
                            crate::tui::view::hhmm(sh, e.at)
                        ),
                        super::screens::event_log::summary::summary(sh, &e.event),
                    ],
                    Op::Undo {
                        expected: Some(e.id),
                    },
                )
            }
            Err(e) => Cmd::error(crate::i18n::refusal::text(self.shared.session.lang, &e)),
        };
        self.apply(vec![cmd]);
    }

    /// The stay's state, as the rules see it (`Effect::LoadStay`): the map's
    /// `action` goes on with it.
    pub fn stay_loaded(
        &mut self,
        plate: &Plate,
        action: Action,
        state: Result<Option<StayState>, OpError>,
    ) {
        let cmds = actions::with_state(&self.shared, action, plate, state);
        self.apply(cmds);
    }

    /// The bay the operation would give (`Effect::SuggestBay`): the
    /// confirmation names it, after what became of the bay offered before
    /// (`taken`), if it was taken meanwhile.
    pub fn bay_suggested(
        &mut self,
        plate: Plate,
        then: Planned,
        bay: Result<Option<BayId>, OpError>,
        taken: Option<Refusal>,
    ) {
        let cmd = match bay {
            Ok(bay) => {
                let confirm = then.confirm(&self.shared, plate, bay, taken.as_ref());
                Cmd::Push(Screen::Confirm(confirm))
            }
            Err(e) => Cmd::error(crate::i18n::refusal::text(self.shared.session.lang, &e)),
        };
        self.apply(vec![cmd]);
    }

    /// Draws the whole screen: the status line, the map or a board, the
    /// screens over it in stack order, the footer and the toast.
    pub fn render(&self, f: &mut Frame) {
        let sh = &self.shared;
        let area = f.area();
        if area.width < super::MIN_WIDTH || area.height < super::MIN_HEIGHT {
            view::too_small(sh, f, area);
            return;
        }
        let [top, body, foot] = Split::vertical([
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(1),
        ])
        .areas(area);
        bars::status_line(sh, f, top);
        // A lost server: said above everything, until it answers again.
        let body = match sh.unreachable {
            Some(n) => {
                let [banner, rest] =
                    Split::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(body);
                bars::unreachable(sh, n, f, banner);
                rest
            }
            None => body,
        };
        // A past moment: a banner says so, above the map that shows it.
        let body = match sh.past {
            Some(at) => {
                let [banner, rest] =
                    Split::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(body);
                PastView::banner(sh, at, f, banner);
                rest
            }
            None => body,
        };
        let top_screen = self.screens.last();
        let hint = top_screen.and_then(|s| s.hint(sh));
        let key_help = |a| top_screen.and_then(|s| s.key_help(a));
        let inert = |a| top_screen.is_some_and(|s| s.inert(a, sh));
        bars::footer(sh, self.mode(), hint, &key_help, &inert, f, foot);
        let n = self.screens.len();
        // A board replaces the map; everything else draws over it.
        match self.screens.iter().rposition(|s| s.replaces_map()) {
            Some(i) => self.screens[i].render(sh, f, body, i + 1 == n),
            None => {
                let marked = self.screens.iter().rev().find_map(|s| s.marked_bay());
                self.map.render(sh, marked, f, body);
            }
        }
        for (i, s) in self.screens.iter().enumerate() {
            if !s.replaces_map() {
                s.render(sh, f, body, i + 1 == n);
            }
        }
        bars::toast(sh, f, body);
        if sh.session.ascii {
            view::asciify(f.buffer_mut(), area);
        }
    }
}
