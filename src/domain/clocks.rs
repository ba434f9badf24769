//! Clocks: everything on the lot that is due at some moment — test results,
//! isolation reviews, disinfection rounds, service calls, handoffs — and the
//! shift lead's isolation board with its next action per truck.
//!
//! Pure: the store supplies the facts (`ClockFacts`), this module applies the
//! policy and a given "now". Nothing here reads the system clock.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use super::bay::{BayId, Zone};
use super::event::{HandoffMode, ServiceKind, StayId, TestKind, TestResult};
use super::plate::Plate;
use super::policy::{Finding, Policy};
use super::stay::{Status, standing_positive};

/// A truck on site, as a clock refers to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TruckRef {
    pub stay: StayId,
    pub plate: Plate,
    pub bay: Option<BayId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PendingSample {
    pub truck: TruckRef,
    pub test: TestKind,
    pub taken_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Isolation {
    pub truck: TruckRef,
    /// Isolated, holding (waiting for a bay), or in an escorted handoff
    /// that has not yet left the isolation zone's authority.
    pub status: Status,
    pub reason: Option<String>,
    pub since: DateTime<Utc>,
    pub escalated_at: Option<DateTime<Utc>>,
    pub escalation: Option<String>,
    /// Results recorded since the truck was isolated, oldest first.
    pub results_since: Vec<(TestKind, TestResult)>,
    /// Every result of the stay, oldest first.
    pub results: Vec<(TestKind, TestResult)>,
    /// What the stay carries from the truck's last stay (`StayState::
    /// carried`): that stay's results when its positive still stood at the
    /// gate; empty otherwise.
    pub carried: Vec<(TestKind, TestResult)>,
    /// Who the gate checks flagged (the reason, when `reason` is none).
    pub findings: Vec<Finding>,
    /// The names of the people in the cab, by person number.
    pub names: Vec<Option<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenService {
    pub truck: TruckRef,
    pub service: ServiceKind,
    pub requested_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenHandoff {
    pub truck: TruckRef,
    pub mode: HandoffMode,
    /// Who or what receives it: the receiving vehicle and company, or the
    /// escorting unit.
    pub counterpart: Option<String>,
    pub started_at: DateTime<Utc>,
    /// Done, waiting for confirmation of its arrival at the destination
    /// (the truck may have left already).
    pub done_at: Option<DateTime<Utc>>,
}

/// What the store knows that clocks are computed from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ClockFacts {
    pub samples: Vec<PendingSample>,
    pub isolations: Vec<Isolation>,
    pub services: Vec<OpenService>,
    pub handoffs: Vec<OpenHandoff>,
    /// Trucks on site with a positive result that stands and no isolation
    /// under way (the operator let the proposal go), with when that
    /// result came.
    pub positives_outside: Vec<(TruckRef, DateTime<Utc>)>,
    /// Trucks that left before a positive result came back, whose positive
    /// stands and was not reported (escalated) since, with when that
    /// result came.
    pub positives_departed: Vec<(TruckRef, DateTime<Utc>)>,
    /// Last round per zone (`None`: never), in `Zone::ALL` order.
    pub zone_disinfected: Vec<(Zone, Option<DateTime<Utc>>)>,
    /// When the lot's database was created: the disinfection clock of a zone
    /// never disinfected runs from here.
    pub lot_created: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ClockKind {
    Result {
        test: TestKind,
    },
    IsolationReview,
    Disinfection {
        zone: Zone,
    },
    Service {
        service: ServiceKind,
    },
    Handoff {
        mode: HandoffMode,
    },
    /// A finished handoff whose arrival at the destination is unconfirmed.
    HandoffConfirm {
        mode: HandoffMode,
    },
    /// A flagged truck on the holding list, waiting for an isolation bay.
    WaitingForIsolation,
    /// A positive result stands and the truck is not in isolation.
    PositiveNotIsolated,
    /// A positive result came back after the truck left, and the case is
    /// not reported (escalated) yet.
    PositiveDeparted,
}

impl ClockKind {
    pub fn key(&self) -> &'static str {
        match self {
            ClockKind::Result { .. } => "result",
            ClockKind::IsolationReview => "isolation_review",
            ClockKind::Disinfection { .. } => "disinfection",
            ClockKind::Service { .. } => "service",
            ClockKind::Handoff { .. } => "handoff",
            ClockKind::HandoffConfirm { .. } => "handoff_confirm",
            ClockKind::WaitingForIsolation => "waiting_for_isolation",
            ClockKind::PositiveNotIsolated => "positive_not_isolated",
            ClockKind::PositiveDeparted => "positive_departed",
        }
    }
}

/// One thing that is due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DueItem {
    #[serde(flatten)]
    pub kind: ClockKind,
    pub truck: Option<TruckRef>,
    pub started: DateTime<Utc>,
    pub due: DateTime<Utc>,
}

impl DueItem {
    /// Time left; negative when late.
    pub fn remaining(&self, now: DateTime<Utc>) -> Duration {
        self.due - now
    }

    pub fn overdue(&self, now: DateTime<Utc>) -> bool {
        now > self.due
    }
}

/// Every clock, soonest (or most overdue) first.
pub fn clocks(facts: &ClockFacts, policy: &Policy) -> Vec<DueItem> {
    let mut out = Vec::new();
    for s in &facts.samples {
        out.push(DueItem {
            kind: ClockKind::Result { test: s.test },
            truck: Some(s.truck.clone()),
            started: s.taken_at,
            due: s.due_at,
        });
    }
    for i in &facts.isolations {
        if i.status == Status::Holding {
            // Due at once: a flagged truck outside isolation is an alarm
            // until a bay takes it.
            out.push(DueItem {
                kind: ClockKind::WaitingForIsolation,
                truck: Some(i.truck.clone()),
                started: i.since,
                due: i.since,
            });
            continue;
        }
        out.push(DueItem {
            kind: ClockKind::IsolationReview,
            truck: Some(i.truck.clone()),
            started: i.last_review(),
            due: i.review_due(policy),
        });
    }
    // Due at once, like the holding list: a positive truck outside
    // isolation is an alarm until it is isolated, and one that already
    // left until the case is reported (the destination and the health
    // authority must hear of it now).
    let positives = [
        (ClockKind::PositiveNotIsolated, &facts.positives_outside),
        (ClockKind::PositiveDeparted, &facts.positives_departed),
    ];
    for (kind, trucks) in positives {
        for (truck, since) in trucks {
            out.push(DueItem {
                kind: kind.clone(),
                truck: Some(truck.clone()),
                started: *since,
                due: *since,
            });
        }
    }
    for (zone, last) in &facts.zone_disinfected {
        let since = last.unwrap_or(facts.lot_created);
        out.push(DueItem {
            kind: ClockKind::Disinfection { zone: *zone },
            truck: None,
            started: since,
            due: since + policy.disinfection_every(),
        });
    }
    for s in &facts.services {
        out.push(DueItem {
            kind: ClockKind::Service { service: s.service },
            truck: Some(s.truck.clone()),
            started: s.requested_at,
            due: s.requested_at + policy.service_due(),
        });
    }
    for h in &facts.handoffs {
        out.push(match h.done_at {
            None => DueItem {
                kind: ClockKind::Handoff { mode: h.mode },
                truck: Some(h.truck.clone()),
                started: h.started_at,
                due: h.started_at + policy.handoff_due(),
            },
            Some(done) => DueItem {
                kind: ClockKind::HandoffConfirm { mode: h.mode },
                truck: Some(h.truck.clone()),
                started: done,
                due: done + policy.handoff_confirm(),
            },
        });
    }
    out.sort_by(|a, b| {
        a.due
            .cmp(&b.due)
            .then_with(|| a.kind.key().cmp(b.kind.key()))
            .then_with(|| {
                let p = |c: &DueItem| c.truck.as_ref().map(|t| t.plate.clone());
                p(a).cmp(&p(b))
            })
    });
    out
}

pub fn overdue_count(clocks: &[DueItem], now: DateTime<Utc>) -> usize {
    clocks.iter().filter(|c| c.overdue(now)).count()
}

/// What the shift lead should do next about an isolated truck.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum NextAction {
    /// On the holding list: isolate it when a bay frees.
    WaitForBay,
    /// An authorised escort is under way: mark it done when it sets off.
    EscortUnderWay,
    /// The escort is done: let it out of the gate.
    LetOutUnderEscort,
    /// A result is late: chase the lab.
    ChaseResult { test: TestKind },
    /// A result is pending and not yet due.
    AwaitResult { test: TestKind, due: DateTime<Utc> },
    /// A positive result stands: escalate, or hand off under escort.
    Escalate,
    /// The positive of the truck's last stay, which came back after it
    /// left, is still to be reported: `escalate` reports it first.
    ReportLastStay,
    /// Escalated: the decision is awaited.
    AwaitDecision { at: DateTime<Utc>, note: String },
    /// No test since isolation: take a PCR sample.
    TakeSample,
    /// The review time has passed with negative results: release or escalate.
    Review,
    /// Negative so far; review when due.
    ReviewAt { due: DateTime<Utc> },
}

impl Isolation {
    /// When the case was last looked at: an escalation is the shift lead's
    /// review (the decision to report it up), so the next review falls due
    /// a review period after the latest escalation, or after isolation
    /// began. A truck held for days is reviewed again each period, and an
    /// escalated one does not stay an overdue review for good.
    pub fn last_review(&self) -> DateTime<Utc> {
        self.escalated_at
            .filter(|e| *e > self.since)
            .unwrap_or(self.since)
    }

    /// When the next review falls due: a review period after the last.
    pub fn review_due(&self, policy: &Policy) -> DateTime<Utc> {
        self.last_review() + policy.isolation_review()
    }
}

impl IsolationRow {
    /// The name of person `n` in the cab, if one was given.
    pub fn name(&self, n: u8) -> Option<String> {
        self.names.get(n as usize).cloned().flatten()
    }
}

impl NextAction {
    pub fn key(&self) -> &'static str {
        match self {
            NextAction::WaitForBay => "wait_for_bay",
            NextAction::EscortUnderWay => "escort_under_way",
            NextAction::LetOutUnderEscort => "let_out_under_escort",
            NextAction::AwaitDecision { .. } => "await_decision",
            NextAction::ChaseResult { .. } => "chase_result",
            NextAction::AwaitResult { .. } => "await_result",
            NextAction::Escalate => "escalate",
            NextAction::ReportLastStay => "report_last_stay",
            NextAction::TakeSample => "take_sample",
            NextAction::Review => "review",
            NextAction::ReviewAt { .. } => "review_at",
        }
    }
}

/// One line of the isolation board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IsolationRow {
    pub truck: TruckRef,
    pub status: Status,
    /// Who the gate checks flagged; `reason` is what someone typed.
    pub findings: Vec<Finding>,
    pub names: Vec<Option<String>>,
    pub reason: Option<String>,
    pub since: DateTime<Utc>,
    pub minutes: i64,
    pub pending: Vec<TestKind>,
    pub overdue: Vec<TestKind>,
    pub escalation: Option<String>,
    pub review_due: DateTime<Utc>,
    pub next: NextAction,
}

/// A positive carried from the truck's last stay still stands (the one
/// rule, `standing_positive`, asked of what it carries and then its own
/// results): only a negative PCR clears it, and a release is refused until
/// then, so the next step is a sample, not a review.
fn carries_positive(i: &Isolation) -> bool {
    !i.carried.is_empty() && {
        let all: Vec<_> = i.carried.iter().chain(&i.results).copied().collect();
        standing_positive(&all).is_some()
    }
}

/// The shift lead's board: every isolated truck, longest held first.
pub fn isolation_board(
    facts: &ClockFacts,
    policy: &Policy,
    now: DateTime<Utc>,
) -> Vec<IsolationRow> {
    let mut rows: Vec<IsolationRow> = facts
        .isolations
        .iter()
        .map(|i| {
            let mine: Vec<&PendingSample> = facts
                .samples
                .iter()
                .filter(|s| s.truck.stay == i.truck.stay)
                .collect();
            let pending: Vec<TestKind> = mine.iter().map(|s| s.test).collect();
            let overdue: Vec<TestKind> = mine
                .iter()
                .filter(|s| now > s.due_at)
                .map(|s| s.test)
                .collect();
            let review_due = i.review_due(policy);
            let escalated = i.escalated_at.zip(i.escalation.clone());
            let next = if i.status == Status::Holding {
                NextAction::WaitForBay
            } else if i.status == Status::Handoff {
                NextAction::EscortUnderWay
            } else if i.status == Status::HandoffDone {
                NextAction::LetOutUnderEscort
            } else if facts
                .positives_departed
                .iter()
                .any(|(t, _)| t.plate == i.truck.plate && t.stay != i.truck.stay)
            {
                // Owed before anything about this stay: the positive truck
                // went on its way unreported, and is back.
                NextAction::ReportLastStay
            } else if let Some(&test) = overdue.first() {
                NextAction::ChaseResult { test }
            } else if let Some((at, note)) = escalated {
                // Reported up: the decision is the shift lead's next
                // question, whatever result is still on its way (the
                // pending column shows it); a late one is chased first.
                NextAction::AwaitDecision { at, note }
            } else if let Some(s) = mine.iter().min_by_key(|s| s.due_at) {
                NextAction::AwaitResult {
                    test: s.test,
                    due: s.due_at,
                }
            } else if standing_positive(&i.results).is_some() {
                NextAction::Escalate
            } else if !i
                .results_since
                .iter()
                .any(|(_, r)| *r == TestResult::Negative)
                || carries_positive(i)
            {
                NextAction::TakeSample
            } else if now >= review_due {
                NextAction::Review
            } else {
                NextAction::ReviewAt { due: review_due }
            };
            IsolationRow {
                truck: i.truck.clone(),
                status: i.status,
                findings: i.findings.clone(),
                names: i.names.clone(),
                reason: i.reason.clone(),
                since: i.since,
                minutes: (now - i.since).num_minutes(),
                pending,
                overdue,
                escalation: i.escalation.clone(),
                review_due,
                next,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        a.since
            .cmp(&b.since)
            .then_with(|| a.truck.plate.cmp(&b.truck.plate))
    });
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, h, m, 0).unwrap()
    }

    fn truck(n: i64, plate: &str) -> TruckRef {
        TruckRef {
            stay: StayId(n),
            plate: Plate::parse(plate).unwrap(),
            bay: None,
        }
    }

    fn facts() -> ClockFacts {
        ClockFacts {
            samples: vec![
                PendingSample {
                    truck: truck(1, "晋D12345"),
                    test: TestKind::Pcr,
                    taken_at: t(1, 0),
                    due_at: t(7, 0),
                },
                PendingSample {
                    truck: truck(2, "晋D22222"),
                    test: TestKind::Antigen,
                    taken_at: t(2, 0),
                    due_at: t(2, 15),
                },
            ],
            isolations: vec![Isolation {
                truck: truck(2, "晋D22222"),
                status: Status::Isolated,
                reason: Some("fever".into()),
                since: t(1, 30),
                escalated_at: None,
                escalation: None,
                results_since: vec![],
                results: vec![],
                carried: vec![],
                findings: vec![],
                names: vec![],
            }],
            services: vec![OpenService {
                truck: truck(1, "晋D12345"),
                service: ServiceKind::Water,
                requested_at: t(2, 0),
            }],
            handoffs: vec![],
            positives_outside: vec![],
            positives_departed: vec![],
            zone_disinfected: vec![(Zone::Parking, Some(t(0, 0))), (Zone::Work, None)],
            lot_created: t(1, 0),
        }
    }

    #[test]
    fn clocks_come_soonest_first_with_policy_due_times() {
        let p = Policy::default();
        let c = clocks(&facts(), &p);
        let order: Vec<(&str, DateTime<Utc>)> = c.iter().map(|c| (c.kind.key(), c.due)).collect();
        assert_eq!(
            order,
            vec![
                ("result", t(2, 15)),
                ("service", t(2, 30)),
                ("disinfection", t(4, 0)),
                ("disinfection", t(5, 0)),
                ("result", t(7, 0)),
                ("isolation_review", t(1, 30) + Duration::hours(24)),
            ]
        );
    }

    /// An escalation is a review: the next falls due a review period after
    /// it, not after isolation began (which left an escalated truck an
    /// overdue review for good). One from before this isolation is not.
    #[test]
    fn an_escalation_restarts_the_isolation_review() {
        let p = Policy::default();
        let review = |f: &ClockFacts| {
            clocks(f, &p)
                .into_iter()
                .find(|c| c.kind == ClockKind::IsolationReview)
                .map(|c| (c.started, c.due))
        };
        let mut f = facts();
        f.isolations[0].escalated_at = Some(t(1, 0));
        assert_eq!(review(&f), Some((t(1, 30), t(1, 30) + Duration::hours(24))));
        let later = t(1, 30) + Duration::hours(30);
        f.isolations[0].escalated_at = Some(later);
        assert_eq!(review(&f), Some((later, later + Duration::hours(24))));
    }

    #[test]
    fn overdue_is_strictly_after_due() {
        let c = clocks(&facts(), &Policy::default());
        assert_eq!(overdue_count(&c, t(2, 15)), 0);
        assert_eq!(overdue_count(&c, t(2, 16)), 1);
        assert_eq!(overdue_count(&c, t(4, 1)), 3);
        assert_eq!(c[0].remaining(t(2, 20)), Duration::minutes(-5));
    }

    #[test]
    fn isolation_board_names_the_next_action() {
        let p = Policy::default();
        let mut f = facts();
        let row = &isolation_board(&f, &p, t(2, 10))[0];
        assert_eq!(row.pending, vec![TestKind::Antigen]);
        assert!(row.overdue.is_empty());
        assert_eq!(row.next.key(), "await_result");
        assert_eq!(row.minutes, 40);
        assert_eq!(
            isolation_board(&f, &p, t(2, 20))[0].next.key(),
            "chase_result"
        );

        f.samples.retain(|s| s.truck.stay != StayId(2));
        assert_eq!(
            isolation_board(&f, &p, t(3, 0))[0].next.key(),
            "take_sample"
        );
        f.isolations[0].results_since = vec![(TestKind::Antigen, TestResult::Negative)];
        assert_eq!(isolation_board(&f, &p, t(3, 0))[0].next.key(), "review_at");
        assert_eq!(
            isolation_board(&f, &p, t(1, 30) + Duration::hours(25))[0]
                .next
                .key(),
            "review"
        );
        // A positive carried from the last stay: a negative antigen does
        // not clear it, so a sample is next; a negative PCR, there (late)
        // or here, does.
        f.isolations[0].carried = vec![(TestKind::Antigen, TestResult::Positive)];
        assert_eq!(
            isolation_board(&f, &p, t(3, 0))[0].next.key(),
            "take_sample"
        );
        f.isolations[0]
            .carried
            .push((TestKind::Pcr, TestResult::Negative));
        assert_eq!(isolation_board(&f, &p, t(3, 0))[0].next.key(), "review_at");
        f.isolations[0].carried.pop();
        f.isolations[0]
            .results
            .push((TestKind::Pcr, TestResult::Negative));
        assert_eq!(isolation_board(&f, &p, t(3, 0))[0].next.key(), "review_at");
        f.isolations[0].results.clear();
        f.isolations[0].carried.clear();
        f.isolations[0]
            .results
            .push((TestKind::Pcr, TestResult::Positive));
        assert_eq!(isolation_board(&f, &p, t(3, 0))[0].next.key(), "escalate");
        f.isolations[0].escalated_at = Some(t(2, 45));
        f.isolations[0].escalation = Some("reported to CDC".into());
        assert_eq!(
            isolation_board(&f, &p, t(3, 0))[0].next,
            NextAction::AwaitDecision {
                at: t(2, 45),
                note: "reported to CDC".into()
            }
        );
        // Escalated with a PCR on its way: the decision is still what is
        // awaited, until the PCR is late.
        f.samples.push(PendingSample {
            truck: truck(2, "晋D22222"),
            test: TestKind::Pcr,
            taken_at: t(2, 50),
            due_at: t(8, 50),
        });
        assert_eq!(
            isolation_board(&f, &p, t(3, 0))[0].next.key(),
            "await_decision"
        );
        assert_eq!(
            isolation_board(&f, &p, t(9, 0))[0].next,
            NextAction::ChaseResult {
                test: TestKind::Pcr
            }
        );
        f.isolations[0].status = Status::Handoff;
        assert_eq!(
            isolation_board(&f, &p, t(3, 0))[0].next.key(),
            "escort_under_way"
        );
    }

    #[test]
    fn the_holding_list_is_an_alarm_at_once_and_unconfirmed_handoffs_come_due() {
        let p = Policy::default();
        let mut f = facts();
        f.isolations[0].status = Status::Holding;
        f.handoffs.push(OpenHandoff {
            truck: truck(3, "晋D33333"),
            mode: HandoffMode::Transfer,
            counterpart: None,
            started_at: t(1, 0),
            done_at: Some(t(2, 0)),
        });
        let c = clocks(&f, &p);
        let waiting = c.iter().find(|c| c.kind == ClockKind::WaitingForIsolation);
        assert!(waiting.unwrap().overdue(t(1, 31)));
        let confirm = c
            .iter()
            .find(|c| c.kind.key() == "handoff_confirm")
            .unwrap();
        assert_eq!(confirm.due, t(2, 0) + Duration::hours(24));
        assert_eq!(
            isolation_board(&f, &p, t(2, 0))[0].next.key(),
            "wait_for_bay"
        );
    }
}
