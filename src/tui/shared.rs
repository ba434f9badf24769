//! The data every screen reads: the lot as last read from the store, the
//! session, the time, the map cursor and the stay under it, the toast. The
//! app keeps it current; screens and views only read it (`&Shared`), and
//! ask for changes through the `Cmd`s their `handle` returns.

use chrono::{DateTime, Utc};

use super::Session;
use crate::domain::bay::{BayId, Zone};
use crate::domain::clocks::{self, ClockFacts, DueItem};
use crate::domain::layout::Layout;
use crate::domain::plate::{Plate, PlateError};
use crate::i18n::Msg;
use crate::store::{LotView, Occupant, StayDetail, ZoneCount};

/// What the loop read from the store for the app to show.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub lot: LotView,
    pub status: Vec<ZoneCount>,
    pub facts: ClockFacts,
}

/// A message on the line above the footer: what the last action did
/// (`error: false`, gone after eight seconds) or why a key was refused or
/// something failed (`error: true`, gone at the next key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toast {
    pub text: String,
    pub error: bool,
    pub at: DateTime<Utc>,
}

pub struct Shared {
    pub session: Session,
    pub layout: Layout,
    pub snap: Snapshot,
    /// Clocks computed from the snapshot and the policy, when either changes.
    pub clocks: Vec<DueItem>,
    /// Zones whose disinfection round is overdue (by `Zone::index`).
    disinfection_due: [bool; 5],
    /// The bay under the map cursor, as an index into `layout.bays`.
    pub cursor: usize,
    /// The stay in the bay under the cursor, once loaded.
    pub detail: Option<StayDetail>,
    pub toast: Option<Toast>,
    /// The lot's server cannot be reached: seconds until the next try. The
    /// map shows the lot as last read meanwhile.
    pub unreachable: Option<u64>,
    pub now: DateTime<Utc>,
    /// The terminal's size (width, height) as last drawn.
    pub viewport: (u16, u16),
    /// The moment the map shows, when it shows the lot as it was (read
    /// only); `snap` is then that moment's lot.
    pub past: Option<DateTime<Utc>>,
    /// The lot as it is now, kept (and kept current) while `snap` shows
    /// the past.
    live: Option<Snapshot>,
    /// The clocks of the lot now, kept while `snap` shows the past (the
    /// status line's alarm), computed when the present is read, not per
    /// frame.
    live_clocks: Vec<DueItem>,
    /// On a demo lot, how many times as fast as real time it lives (the
    /// badge on the status line); `None` on a real lot.
    pub demo: Option<u32>,
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

impl Shared {
    pub fn new(
        session: Session,
        layout: Layout,
        snap: Snapshot,
        now: DateTime<Utc>,
        cursor: usize,
    ) -> Shared {
        let clocks = clocks::clocks(&snap.facts, &session.policy);
        let mut sh = Shared {
            session,
            layout,
            snap,
            clocks,
            disinfection_due: [false; 5],
            cursor,
            detail: None,
            toast: None,
            unreachable: None,
            now,
            viewport: (u16::MAX, u16::MAX),
            past: None,
            live: None,
            live_clocks: Vec::new(),
            demo: None,
        };
        sh.derive();
        sh
    }

    /// The next key acts: an error on the status line answered the key
    /// before it, or is about a screen or a field the operator has since
    /// left or changed, so it goes (the key may say its own). A done
    /// message keeps its time.
    pub(super) fn dismiss_error(&mut self) {
        if self.toast.as_ref().is_some_and(|t| t.error) {
            self.toast = None;
        }
    }

    /// Recomputes what is derived from the lot and the time: the zones due
    /// for disinfection.
    fn derive(&mut self) {
        let at = self.at();
        self.disinfection_due = Zone::ALL.map(|zone| {
            self.clocks
                .iter()
                .any(|c| c.kind == clocks::ClockKind::Disinfection { zone } && c.overdue(at))
        });
    }

    /// A new time; returns whether it changed.
    pub(super) fn set_now(&mut self, now: DateTime<Utc>) -> bool {
        let changed = self.now != now;
        self.now = now;
        if changed {
            self.derive();
        }
        if self.toast.as_ref().is_some_and(|t| {
            // A done message goes after eight real seconds, however fast a
            // demo's time runs; and at once when the clock was set back
            // before it (it would stay until the clock caught up). An error
            // waits for the next key (`dismiss_error`).
            let age = (now - t.at).num_seconds();
            !t.error && (age < 0 || age >= 8 * i64::from(self.demo.unwrap_or(1)))
        }) {
            self.toast = None;
        }
        changed
    }

    pub(super) fn set_snapshot(&mut self, snap: Snapshot) {
        if self.past.is_some() {
            // The past stays on screen; the present is kept for Esc.
            self.live_clocks = clocks::clocks(&snap.facts, &self.session.policy);
            self.live = Some(snap);
            return;
        }
        self.snap = snap;
        self.clocks = clocks::clocks(&self.snap.facts, &self.session.policy);
        self.derive();
        self.detail = None;
    }

    /// Shows the lot as it was at `at` (`snap`: that moment's lot, with no
    /// clocks); the present is kept until `leave_past`.
    pub(super) fn enter_past(&mut self, at: DateTime<Utc>, snap: Snapshot) {
        let live = std::mem::replace(&mut self.snap, snap);
        if self.live.is_none() {
            self.live = Some(live);
        }
        self.past = Some(at);
        if self.live_clocks.is_empty() {
            self.live_clocks = std::mem::take(&mut self.clocks);
        }
        self.clocks = Vec::new();
        self.detail = None;
        self.derive();
    }

    /// Back to the lot as it is now.
    pub(super) fn leave_past(&mut self) {
        self.past = None;
        self.live_clocks.clear();
        if let Some(live) = self.live.take() {
            self.set_snapshot(live);
        }
    }

    /// The lot as it is now, whether or not the map shows the past.
    pub fn live(&self) -> &Snapshot {
        self.live.as_ref().unwrap_or(&self.snap)
    }

    /// The moment the map shows: now, or the past moment asked for.
    pub fn at(&self) -> DateTime<Utc> {
        self.past.unwrap_or(self.now)
    }

    /// Why a typed plate is not one, in the session's language (the words
    /// every face says it in, `i18n::plate`), in ASCII with `--ascii`.
    pub fn plate_reason(&self, e: &PlateError) -> String {
        let text = crate::i18n::plate::reason(self.session.lang, e);
        if self.session.ascii {
            crate::i18n::ascii_form(&text).into_owned()
        } else {
            text
        }
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

    /// What is overdue now, also while the map shows a past moment: an
    /// alarm raised meanwhile must still find the operator.
    pub fn overdue(&self) -> usize {
        let now = match self.past {
            Some(_) => &self.live_clocks,
            None => &self.clocks,
        };
        clocks::overdue_count(now, self.now)
    }

    /// At a past moment, the results overdue then (for its banner).
    pub fn overdue_then(&self) -> Option<usize> {
        let at = self.past?;
        Some(
            self.snap
                .lot
                .bays
                .iter()
                .filter_map(|b| b.occupant.as_ref())
                .filter(|o| o.next_due.is_some_and(|d| at > d))
                .count(),
        )
    }

    /// Trucks on the holding list now: flagged, waiting for an isolation bay.
    pub fn waiting_for_isolation(&self) -> usize {
        self.live()
            .facts
            .isolations
            .iter()
            .filter(|i| i.status == crate::domain::stay::Status::Holding)
            .count()
    }

    pub fn occupant(&self, bay: usize) -> Option<&Occupant> {
        self.snap
            .lot
            .bays
            .get(bay)
            .and_then(|b| b.occupant.as_ref())
    }

    /// The bay of a plate on site, from the snapshot.
    pub fn bay_of_plate(&self, plate: &Plate) -> Option<usize> {
        self.snap
            .lot
            .bays
            .iter()
            .position(|b| b.occupant.as_ref().is_some_and(|o| &o.plate == plate))
    }

    /// The id of the bay `plate` stands in, if it is on site.
    pub fn bay_id_of_plate(&self, plate: &Plate) -> Option<&BayId> {
        self.bay_of_plate(plate).map(|i| &self.layout.bays[i].id)
    }

    /// A truck as a dialog names it: its plate and where it stands now
    /// (nothing after the plate when it is not on site).
    pub fn truck_subject(&self, plate: &Plate) -> String {
        let bay = self
            .bay_id_of_plate(plate)
            .map(|b| b.to_string())
            .unwrap_or_default();
        format!("{plate}  {bay}")
    }

    pub fn cursor_bay(&self) -> &BayId {
        &self.layout.bays[self.cursor].id
    }

    pub fn is_free(&self, i: usize) -> bool {
        self.snap
            .lot
            .bays
            .get(i)
            .is_some_and(|b| b.occupant.is_none() && b.closed.is_none())
    }

    /// Whether a zone's disinfection round is overdue.
    pub fn disinfection_due(&self, zone: Zone) -> bool {
        self.disinfection_due[zone.index()]
    }

    /// Whether the screen is too small to show the lot (and so says so).
    pub fn too_small(&self) -> bool {
        let (w, h) = self.viewport;
        w < super::MIN_WIDTH || h < super::MIN_HEIGHT
    }

    /// The detail of the stay `stay`, if it is the one loaded.
    pub fn detail_of(&self, stay: crate::domain::event::StayId) -> Option<&StayDetail> {
        self.detail.as_ref().filter(|d| d.stay == stay)
    }
}
