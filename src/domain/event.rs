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
use super::policy::{
    Cargo, CheckFlag, Finding, HealthCode, PersonCheck, Policy, Temperature, flags_of, word_enum,
};

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

/// Everything recorded at the gate for a new arrival. The driver's own
/// measurement sits at the top level (as the first version of the log wrote
/// it); everyone else in the cab is a `Passenger`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArrivalRecord {
    pub plate: Plate,
    pub driver: Option<String>,
    pub phone: Option<Phone>,
    pub cargo: Cargo,
    pub origin: Option<String>,
    pub destination: Option<String>,
    /// The driver's temperature. Every new arrival has one (`ops` refuses
    /// one without); only events of the first schema version may lack it.
    pub temperature: Option<Temperature>,
    /// The driver's health code. Every new arrival has one (`ops` refuses
    /// one without); it is `None` once purged.
    pub code: Option<HealthCode>,
    pub travel_flag: bool,
    pub handoff_required: bool,
    /// Up to three passengers, each checked like the driver.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub passengers: Vec<Passenger>,
    /// The gate (highway exit) the truck came through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gate: Option<String>,
    /// Whether the driver scanned the venue code (`None`: not recorded, as
    /// in logs written before it was).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub venue_code: Option<bool>,
}

/// Someone in the cab besides the driver. The measurement is required at
/// the gate (`ops` refuses a passenger without one); it is `None` once purged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Passenger {
    pub name: Option<String>,
    pub phone: Option<Phone>,
    pub temperature: Option<Temperature>,
    pub code: Option<HealthCode>,
}

impl ArrivalRecord {
    /// Everyone's measurement, driver first.
    pub fn people(&self) -> Vec<PersonCheck> {
        let mut v = vec![PersonCheck {
            temperature: self.temperature,
            code: self.code,
        }];
        v.extend(self.passengers.iter().map(|p| PersonCheck {
            temperature: p.temperature,
            code: p.code,
        }));
        v
    }

    /// The name of person `n` (0 = the driver), if one was given.
    pub fn name_of(&self, n: u8) -> Option<&str> {
        match n {
            0 => self.driver.as_deref(),
            n => self
                .passengers
                .get(n as usize - 1)
                .and_then(|p| p.name.as_deref()),
        }
    }
}

/// Who in the cab person `n` is, for a reason or a table: "driver 张三",
/// "passenger 2".
pub fn person_label(n: u8, name: Option<&str>) -> String {
    let role = if n == 0 {
        "driver".to_string()
    } else {
        format!("passenger {n}")
    };
    match name {
        Some(name) => format!("{role} {name}"),
        None => role,
    }
}

/// The findings of the checks as one line that names who was flagged:
/// "fever: passenger 1 李四; yellow code: driver". Empty findings give "".
pub fn describe_findings(findings: &[Finding], name: impl Fn(u8) -> Option<String>) -> String {
    describe_findings_with(
        findings,
        |flag| flag.as_str().to_string(),
        |n| person_label(n, name(n).as_deref()),
    )
}

/// `describe_findings` with the words chosen by the caller (the interface
/// translates the flag and the person).
pub fn describe_findings_with(
    findings: &[Finding],
    flag_text: impl Fn(CheckFlag) -> String,
    person_text: impl Fn(u8) -> String,
) -> String {
    flags_of(findings)
        .into_iter()
        .map(|flag| {
            // A flag about the truck names no one in the cab.
            if flag.about_the_truck() {
                return flag_text(flag);
            }
            let who: Vec<String> = findings
                .iter()
                .filter(|f| f.flag == flag)
                .map(|f| person_text(f.person))
                .collect();
            format!("{}: {}", flag_text(flag), who.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

word_enum! {
    /// What a correction may change: what the gate typed, never what was
    /// measured or decided (those are new events of their own).
    Field {
        Plate = "plate",
        Driver = "driver",
        Phone = "phone",
        Cargo = "cargo",
        Origin = "origin",
        Destination = "destination",
    }
    expected "a field (expected plate, driver, phone, cargo, origin or destination)"
}

/// One field put right: its value before and after (`None`: empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    pub field: Field,
    pub old: Option<String>,
    pub new: Option<String>,
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
        /// Who the checks flagged, and for what (empty in first-version logs).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        findings: Vec<Finding>,
        /// Flagged, but the isolation zone was full: the truck waits in
        /// `bay` (a work lane) on the holding list.
        #[serde(default, skip_serializing_if = "is_false")]
        holding: bool,
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
        /// The rules that were overridden, by key (see `stay::Blocker::key`).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        overridden: Vec<String>,
    },
    SampleTaken {
        stay: StayId,
        test: TestKind,
        due: DateTime<Utc>,
        /// The tube's barcode (typed, scanned or generated).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tube: Option<String>,
        /// The lab batch the sample goes with.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        batch: Option<String>,
    },
    ResultRecorded {
        stay: StayId,
        test: TestKind,
        result: TestResult,
        /// When the lab reported it, if that is known (an imported file);
        /// otherwise the time of the event.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reported_at: Option<DateTime<Utc>>,
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
        /// Who decided the release (absent only in first-version logs).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<String>,
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
        /// Free text of first-version logs ("receiving vehicle and company,
        /// or destination and escort"); new events use the fields below.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        counterpart: Option<String>,
        /// A transfer's receiving vehicle.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        receiver: Option<Plate>,
        /// A transfer's receiving company.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        company: Option<String>,
        /// An escort's escorting unit.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        escort: Option<String>,
        /// Who authorised it, for a truck under isolation's authority.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<String>,
    },
    HandoffCompleted {
        stay: StayId,
    },
    /// The handoff's arrival at its destination was confirmed.
    HandoffConfirmed {
        stay: StayId,
    },
    /// A mistake in what was registered, put right: each change keeps the
    /// old value beside the new one.
    Corrected {
        stay: StayId,
        changes: Vec<Correction>,
        /// What the gate's checks find of the corrected plate: a plate
        /// whose last stay left with a positive standing brings it
        /// (`CheckFlag::PositiveBefore`), as its arrival would have.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        findings: Vec<Finding>,
    },
    /// Personal data was shown or exported unmasked: who (the event's
    /// operator), what (the command), about which stay if one.
    Disclosed {
        stay: Option<StayId>,
        what: String,
    },
    /// The thresholds and rules in force from now on, for every terminal.
    PolicyChanged {
        policy: Policy,
    },
    /// A new measurement of one person in the cab (0 = the driver); the
    /// measurement is `None` once purged.
    Rechecked {
        stay: StayId,
        person: u8,
        temperature: Option<Temperature>,
        code: Option<HealthCode>,
        findings: Vec<Finding>,
    },
    /// Personal data of the stays that ended before `before` was blanked
    /// (`stays` of them); counts, findings and the log's shape are kept.
    Purged {
        before: DateTime<Utc>,
        stays: u64,
    },
    /// The action recorded as event `event` (of kind `undone_kind`) was
    /// taken back by its operator: its effect on the state is reversed.
    Undone {
        event: i64,
        undone_kind: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        stay: Option<StayId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        bay: Option<BayId>,
    },
    ServiceRequested {
        stay: StayId,
        service: ServiceKind,
    },
    ServiceDone {
        stay: StayId,
        /// The id of the `ServiceRequested` event this closes.
        call: i64,
        /// Closed because the truck departed, not because it was served.
        #[serde(default, skip_serializing_if = "is_false")]
        at_departure: bool,
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
    pub const KINDS: [&'static str; 22] = [
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
        "handoff_confirmed",
        "rechecked",
        "corrected",
        "policy_changed",
        "disclosed",
        "service_requested",
        "service_done",
        "disinfected",
        "bay_closed",
        "bay_opened",
        "purged",
        "undone",
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
            Event::HandoffConfirmed { .. } => "handoff_confirmed",
            Event::Rechecked { .. } => "rechecked",
            Event::Corrected { .. } => "corrected",
            Event::PolicyChanged { .. } => "policy_changed",
            Event::Disclosed { .. } => "disclosed",
            Event::ServiceRequested { .. } => "service_requested",
            Event::ServiceDone { .. } => "service_done",
            Event::Disinfected { .. } => "disinfected",
            Event::BayClosed { .. } => "bay_closed",
            Event::BayOpened { .. } => "bay_opened",
            Event::Purged { .. } => "purged",
            Event::Undone { .. } => "undone",
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
            | Event::HandoffConfirmed { stay }
            | Event::Rechecked { stay, .. }
            | Event::Corrected { stay, .. }
            | Event::ServiceRequested { stay, .. }
            | Event::ServiceDone { stay, .. } => Some(*stay),
            Event::Disinfected { .. }
            | Event::BayClosed { .. }
            | Event::BayOpened { .. }
            | Event::PolicyChanged { .. }
            | Event::Purged { .. } => None,
            Event::Disclosed { stay, .. } | Event::Undone { stay, .. } => *stay,
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
            Event::Undone { bay, .. } => bay.as_ref(),
            Event::Disinfected {
                target: Target::Bay(b),
            } => Some(b),
            _ => None,
        }
    }
}

impl Event {
    /// Where this event holds personal data (names, phones, temperatures,
    /// health codes), as JSON pointers into its serialized form. The store
    /// keeps those values apart from the log, so that a purge can blank them
    /// without touching an event.
    pub fn personal_slots(&self) -> Vec<String> {
        const PERSON: [&str; 4] = ["name", "phone", "temperature", "code"];
        match self {
            Event::Arrived { arrival, .. } => {
                let mut v: Vec<String> = ["driver", "phone", "temperature", "code"]
                    .iter()
                    .map(|k| format!("/{k}"))
                    .collect();
                for i in 0..arrival.passengers.len() {
                    v.extend(PERSON.iter().map(|k| format!("/passengers/{i}/{k}")));
                }
                v
            }
            Event::Rechecked { .. } => vec!["/temperature".into(), "/code".into()],
            Event::Corrected { changes, .. } => changes
                .iter()
                .enumerate()
                .filter(|(_, c)| matches!(c.field, Field::Driver | Field::Phone))
                .flat_map(|(i, _)| [format!("/changes/{i}/old"), format!("/changes/{i}/new")])
                .collect(),
            _ => Vec::new(),
        }
    }
}

fn is_false(b: &bool) -> bool {
    !*b
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
    /// Where it happened, as the log row records it: the event's bay, or
    /// the bay its truck stood in (a sample, a result, a call).
    pub bay: Option<BayId>,
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
                code: Some(HealthCode::Green),
                travel_flag: false,
                handoff_required: false,
                passengers: vec![],
                gate: Some("east".into()),
                venue_code: Some(true),
            },
            bay: BayId::parse("P-01-60").unwrap(),
            flags: vec![],
            override_reason: None,
            findings: vec![],
            holding: false,
        };
        let json = serde_json::to_string(&e).unwrap();
        assert!(json.contains("\"kind\":\"arrived\""));
        assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), e);
        assert_eq!(e.kind(), "arrived");
        assert!(Event::KINDS.contains(&e.kind()));
        assert_eq!(e.stay(), Some(StayId(7)));
    }

    /// Events written by the first schema version, before passengers, gates,
    /// tubes, deciders and handoff details, still read.
    #[test]
    fn first_version_events_still_read() {
        let old = r#"{"kind":"handoff_started","stay":3,"from":"I-01","to":"H-01","mode":"transfer","counterpart":"晋K11111 顺丰"}"#;
        match serde_json::from_str::<Event>(old).unwrap() {
            Event::HandoffStarted {
                counterpart, by, ..
            } => {
                assert_eq!(counterpart.as_deref(), Some("晋K11111 顺丰"));
                assert_eq!(by, None);
            }
            e => panic!("{e:?}"),
        }
        let old = r#"{"kind":"arrived","stay":2,"plate":"晋A00001","driver":null,"phone":null,"cargo":"other","origin":null,"destination":null,"temperature":null,"code":"green","travel_flag":false,"handoff_required":false,"bay":"P-01-01","flags":[],"override_reason":null}"#;
        match serde_json::from_str::<Event>(old).unwrap() {
            Event::Arrived {
                arrival, findings, ..
            } => {
                assert!(arrival.passengers.is_empty() && findings.is_empty());
                assert_eq!(arrival.venue_code, None);
            }
            e => panic!("{e:?}"),
        }
    }

    #[test]
    fn findings_name_the_person() {
        let f = [
            Finding {
                person: 0,
                flag: CheckFlag::Fever,
            },
            Finding {
                person: 2,
                flag: CheckFlag::Fever,
            },
            Finding {
                person: 1,
                flag: CheckFlag::YellowCode,
            },
        ];
        let names = |n: u8| (n == 2).then(|| "李四".to_string());
        assert_eq!(
            describe_findings(&f, names),
            "fever: driver, passenger 2 李四; yellow code: passenger 1"
        );
    }

    /// A positive from the truck's last stay is the truck's: no one in
    /// the cab is named for it.
    #[test]
    fn a_flag_about_the_truck_names_no_one() {
        let f = [
            Finding {
                person: 0,
                flag: CheckFlag::PositiveBefore,
            },
            Finding {
                person: 0,
                flag: CheckFlag::Fever,
            },
        ];
        assert_eq!(
            describe_findings(&f, |_| Some("张三".into())),
            "positive at its last stay; fever: driver 张三"
        );
    }
}
