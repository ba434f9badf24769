//! The event vocabulary: what happened, in the past tense.
//!
//! Every state change on the lot is exactly one of these, appended to the log
//! and never edited. The current state is a projection of them (see
//! `store::apply`). Ids inside events are chosen by `ops` before the event is
//! written, so replaying the log rebuilds the very same ids.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::bay::{BayId, Zone};
use super::phone::Phone;
use super::plate::Plate;
use super::policy::{Cargo, CheckFlag, HealthCode, Temperature, word_enum};

/// A stay: one visit of one truck, gate in to gate out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct StayId(pub i64);

impl std::fmt::Display for StayId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

word_enum! {
    /// Which test a sample is for.
    TestKind { Antigen = "antigen", Pcr = "pcr" }
    expected "a test (expected antigen or pcr)"
}

word_enum! {
    /// A test result.
    TestResult { Negative = "negative", Positive = "positive", Invalid = "invalid" }
    expected "a result (expected negative, positive or invalid)"
}

word_enum! {
    /// How a point-to-point handoff ends the truck's journey.
    HandoffMode { Transfer = "transfer", Escort = "escort" }
    expected "a handoff mode (expected transfer or escort)"
}

word_enum! {
    /// What a driver phoned for.
    ServiceKind { Meal = "meal", Water = "water", Medical = "medical" }
    expected "a service (expected meal, water or medical)"
}

/// Everything recorded at the gate for a new arrival.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArrivalRecord {
    pub plate: Plate,
    pub driver: Option<String>,
    pub phone: Option<Phone>,
    pub cargo: Cargo,
    pub origin: Option<String>,
    pub destination: Option<String>,
    pub temperature: Option<Temperature>,
    pub code: HealthCode,
    pub travel_flag: bool,
    pub handoff_required: bool,
}

/// Where a disinfection round was done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    Zone(Zone),
    Bay(BayId),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    /// A truck came through the gate and was put in `bay`. `flags` are what the
    /// checks found; `override_reason` is set when the operator chose a zone
    /// other than the one the checks suggested.
    Arrived {
        stay: StayId,
        #[serde(flatten)]
        arrival: ArrivalRecord,
        bay: BayId,
        flags: Vec<CheckFlag>,
        override_reason: Option<String>,
    },
    Moved {
        stay: StayId,
        from: BayId,
        to: BayId,
    },
    Departed {
        stay: StayId,
        from: BayId,
        /// Set when a departure rule was overridden, with the typed reason.
        forced: Option<String>,
    },
    SampleTaken {
        stay: StayId,
        test: TestKind,
        due: DateTime<Utc>,
    },
    ResultRecorded {
        stay: StayId,
        test: TestKind,
        result: TestResult,
    },
    Isolated {
        stay: StayId,
        from: BayId,
        to: BayId,
        reason: String,
    },
    Released {
        stay: StayId,
        from: BayId,
        to: BayId,
        reason: String,
    },
    Escalated {
        stay: StayId,
        note: String,
    },
    HandoffStarted {
        stay: StayId,
        from: BayId,
        to: BayId,
        mode: HandoffMode,
        /// Receiving vehicle and company, or destination and escort.
        counterpart: Option<String>,
    },
    HandoffCompleted {
        stay: StayId,
    },
    ServiceRequested {
        stay: StayId,
        service: ServiceKind,
    },
    ServiceDone {
        stay: StayId,
        /// The id of the `ServiceRequested` event this closes.
        call: i64,
    },
    Disinfected {
        target: Target,
    },
    BayClosed {
        bay: BayId,
        reason: String,
    },
    BayOpened {
        bay: BayId,
    },
}

impl Event {
    /// Every kind, as `kind()` names them (a test checks the two agree).
    pub const KINDS: [&'static str; 15] = [
        "arrived",
        "moved",
        "departed",
        "sample_taken",
        "result_recorded",
        "isolated",
        "released",
        "escalated",
        "handoff_started",
        "handoff_completed",
        "service_requested",
        "service_done",
        "disinfected",
        "bay_closed",
        "bay_opened",
    ];

    /// The snake_case kind, as stored in the log's `kind` column.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::Arrived { .. } => "arrived",
            Event::Moved { .. } => "moved",
            Event::Departed { .. } => "departed",
            Event::SampleTaken { .. } => "sample_taken",
            Event::ResultRecorded { .. } => "result_recorded",
            Event::Isolated { .. } => "isolated",
            Event::Released { .. } => "released",
            Event::Escalated { .. } => "escalated",
            Event::HandoffStarted { .. } => "handoff_started",
            Event::HandoffCompleted { .. } => "handoff_completed",
            Event::ServiceRequested { .. } => "service_requested",
            Event::ServiceDone { .. } => "service_done",
            Event::Disinfected { .. } => "disinfected",
            Event::BayClosed { .. } => "bay_closed",
            Event::BayOpened { .. } => "bay_opened",
        }
    }

    /// The stay this event is about, if any.
    pub fn stay(&self) -> Option<StayId> {
        match self {
            Event::Arrived { stay, .. }
            | Event::Moved { stay, .. }
            | Event::Departed { stay, .. }
            | Event::SampleTaken { stay, .. }
            | Event::ResultRecorded { stay, .. }
            | Event::Isolated { stay, .. }
            | Event::Released { stay, .. }
            | Event::Escalated { stay, .. }
            | Event::HandoffStarted { stay, .. }
            | Event::HandoffCompleted { stay }
            | Event::ServiceRequested { stay, .. }
            | Event::ServiceDone { stay, .. } => Some(*stay),
            Event::Disinfected { .. } | Event::BayClosed { .. } | Event::BayOpened { .. } => None,
        }
    }

    /// The bay this event is about: where the truck ended up, or the bay acted on.
    pub fn bay(&self) -> Option<&BayId> {
        match self {
            Event::Arrived { bay, .. }
            | Event::BayClosed { bay, .. }
            | Event::BayOpened { bay } => Some(bay),
            Event::Moved { to, .. }
            | Event::Isolated { to, .. }
            | Event::Released { to, .. }
            | Event::HandoffStarted { to, .. } => Some(to),
            Event::Departed { from, .. } => Some(from),
            Event::Disinfected {
                target: Target::Bay(b),
            } => Some(b),
            _ => None,
        }
    }
}

/// An event as it sits in the log, with who, where and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoggedEvent {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub operator: String,
    pub terminal: String,
    pub event: Event,
    /// The plate of the event's stay, if it is about one.
    pub plate: Option<Plate>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_round_trip_through_json() {
        let e = Event::Arrived {
            stay: StayId(7),
            arrival: ArrivalRecord {
                plate: Plate::parse("晋D12345").unwrap(),
                driver: Some("张三".into()),
                phone: Some(Phone::parse("13800138000").unwrap()),
                cargo: Cargo::Emergency,
                origin: Some("太原".into()),
                destination: None,
                temperature: Some(Temperature::new(36.5).unwrap()),
                code: HealthCode::Green,
                travel_flag: false,
                handoff_required: false,
            },
            bay: BayId::parse("P-01-60").unwrap(),
            flags: vec![],
            override_reason: None,
        };
        let json = serde_json::to_string(&e).unwrap();
        assert!(json.contains("\"kind\":\"arrived\""));
        assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), e);
        assert_eq!(e.kind(), "arrived");
        assert!(Event::KINDS.contains(&e.kind()));
        assert_eq!(e.stay(), Some(StayId(7)));
    }
}
