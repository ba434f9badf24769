//! The facts behind the clocks board and the isolation board: pending
//! samples, isolated trucks, open service calls, handoffs under way, and
//! disinfection rounds. The due times and next actions are computed from
//! these by the pure `domain::clocks`.

use chrono::{DateTime, Utc};

use super::conn::Row;
use super::queries::decode;
use super::{Result, Store, StoreError, carried, parse_ts};
use crate::domain::bay::{BayId, Zone};
use crate::domain::clocks::{
    ClockFacts, Isolation, OpenHandoff, OpenService, PendingSample, TruckRef,
};
use crate::domain::event::{StayId, TestKind, TestResult};
use crate::domain::plate::Plate;
use crate::domain::stay::{Status, standing_positive};

/// Reads a `TruckRef` from columns `at`, `at + 1` (plate) and `at + 2` (bay).
fn truck(r: &Row, at: usize) -> Result<TruckRef> {
    Ok(TruckRef {
        stay: StayId(r.i64(at)?),
        plate: decode(Plate::parse(r.text(at + 1)?))?,
        bay: r
            .opt_text(at + 2)?
            .map(|b| decode(BayId::parse(b)))
            .transpose()?,
    })
}

/// A word column (a test, a zone, a mode…) parsed into its domain type.
fn word<T: std::str::FromStr<Err = String>>(r: &Row, at: usize) -> Result<T> {
    decode(r.text(at)?.parse())
}

fn time(r: &Row, at: usize) -> Result<DateTime<Utc>> {
    parse_ts(r.text(at)?)
}

/// The stays with their bay, for joining.
const ON_SITE: &str = "stays s LEFT JOIN bays b ON b.occupant = s.id";

/// A stay `s` forced out before a positive result `x` came back (its
/// result's event `e` after the departure), not reported (escalated) since:
/// the "positive after it left" alarm's rows, before the domain's rule
/// says which positive still stands. Also asked for one plate, to find the
/// stay an escalation reports (`Tx::owed_report`).
pub(super) const POSITIVE_AFTER_LEAVING: &str =
    "s.forced_reason IS NOT NULL AND s.departed_at IS NOT NULL
    AND x.result = 'positive' AND e.at > s.departed_at
    AND (s.escalated_at IS NULL OR s.escalated_at < e.at)";
/// A stay `s` under the isolation zone's authority (the `stays_isolation`
/// partial index holds exactly these).
const UNDER_ISOLATION: &str =
    "s.isolated_at IS NOT NULL AND s.released_at IS NULL AND s.departed_at IS NULL";
/// A stay `s` whose escort someone authorised has started: the escort
/// answers for a positive truck from then on (`stay::departure_blockers`
/// lets it out by that decision).
const AUTHORISED_ESCORT: &str = "s.handoff_mode = 'escort' AND s.handoff_by IS NOT NULL
     AND s.handoff_started_at IS NOT NULL";
/// The bay of a stay `s` joined in from elsewhere.
const BAY_OF_S: &str = "LEFT JOIN bays b ON b.occupant = s.id";

impl Store {
    pub fn clock_facts(&self) -> Result<ClockFacts> {
        // The lot has run since its creation or its first record, whichever
        // is earlier (a log imported or replayed can predate the file).
        let started = self.db().query_one(
            "SELECT min(t) FROM (SELECT value AS t FROM meta WHERE key = 'created_at'
                                 UNION ALL SELECT min(at) FROM events) AS started",
            &[],
            |r| r.string(0),
        )?;
        let mut facts = ClockFacts {
            lot_created: parse_ts(&started)?,
            ..ClockFacts::default()
        };

        // Every sample still waiting for its result, also of a truck let
        // out by force before it came: a result nobody chases is a loop
        // left open (a positive would never be reported). Read from the
        // pending samples' partial index, a few dozen rows on a season's
        // lot, then each one's stay: SQLite's own choice read every sample
        // of the trucks on site to find most of them done (0.8 ms of a
        // season's start, of a 6.7 ms first frame).
        facts.samples = self.db().query(
            &format!(
                "SELECT s.id, s.plate, b.id, x.test, x.taken_at, x.due_at
                   FROM samples x INDEXED BY samples_one_pending
                        CROSS JOIN stays s ON s.id = x.stay
                        {BAY_OF_S}
                  WHERE x.result IS NULL ORDER BY x.due_at"
            ),
            &[],
            |r| {
                Ok(PendingSample {
                    truck: truck(r, 0)?,
                    test: word(r, 3)?,
                    taken_at: time(r, 4)?,
                    due_at: time(r, 5)?,
                })
            },
        )?;
        // Under the isolation zone's authority until released or gone:
        // isolated, on the holding list, or leaving under an escort.
        facts.isolations = self.db().query(
            &format!(
                "SELECT s.id, s.plate, b.id, s.isolation_reason, s.isolated_at, s.escalation_note,
                        s.status, s.escalated_at, s.findings
                   FROM {ON_SITE}
                  WHERE {UNDER_ISOLATION}
                  ORDER BY s.isolated_at"
            ),
            &[],
            |r| {
                let status = r.text(6)?;
                Ok(Isolation {
                    truck: truck(r, 0)?,
                    status: Status::parse(status)
                        .ok_or_else(|| StoreError::Decode(format!("status '{status}'")))?,
                    reason: r.opt_string(3)?,
                    since: time(r, 4)?,
                    escalated_at: r.opt_text(7)?.map(parse_ts).transpose()?,
                    escalation: r.opt_string(5)?,
                    results_since: Vec::new(),
                    results: Vec::new(),
                    carried: Vec::new(),
                    findings: decode(serde_json::from_str(r.text(8)?))?,
                    names: Vec::new(),
                })
            },
        )?;
        for i in &mut facts.isolations {
            i.carried = carried::carried_by(self.db(), i.truck.stay.0, &i.findings, None)?;
        }
        // The names and results of every truck on the board in two queries,
        // not two per truck. `CROSS JOIN` keeps the few stays under
        // isolation (their partial index) as the outer loop: left to
        // itself the planner walked every person or sample ever recorded
        // to save sorting a few dozen rows.
        let at: std::collections::HashMap<i64, usize> = facts
            .isolations
            .iter()
            .enumerate()
            .map(|(n, i)| (i.truck.stay.0, n))
            .collect();
        for (stay, n, name) in self.db().query(
            &format!(
                "SELECT p.stay, p.person, p.name FROM stays s CROSS JOIN people p ON p.stay = s.id
                  WHERE {UNDER_ISOLATION} ORDER BY p.stay, p.person"
            ),
            &[],
            |r| Ok((r.i64(0)?, r.i64(1)?, r.opt_string(2)?)),
        )? {
            let Some(i) = at.get(&stay).map(|&k| &mut facts.isolations[k]) else {
                continue;
            };
            let n = n.clamp(0, 3) as usize;
            if i.names.len() <= n {
                i.names.resize(n + 1, None);
            }
            i.names[n] = name;
        }
        for (stay, test, result, when) in self.db().query(
            &format!(
                "SELECT x.stay, x.test, x.result, x.result_at FROM stays s CROSS JOIN samples x ON x.stay = s.id
                  WHERE {UNDER_ISOLATION} AND x.result IS NOT NULL
                  ORDER BY x.stay, x.result_at, x.result_id"
            ),
            &[],
            |r| {
                Ok((
                    r.i64(0)?,
                    word::<TestKind>(r, 1)?,
                    word::<TestResult>(r, 2)?,
                    time(r, 3)?,
                ))
            },
        )? {
            let Some(i) = at.get(&stay).map(|&k| &mut facts.isolations[k]) else {
                continue;
            };
            if when >= i.since {
                i.results_since.push((test, result));
            }
            i.results.push((test, result));
        }
        facts.services = self.db().query(
            &format!(
                "SELECT s.id, s.plate, b.id, c.service, c.requested_at
                   FROM service_calls c JOIN stays s ON s.id = c.stay {BAY_OF_S}
                  WHERE c.done_at IS NULL AND s.departed_at IS NULL ORDER BY c.requested_at"
            ),
            &[],
            |r| {
                Ok(OpenService {
                    truck: truck(r, 0)?,
                    service: word(r, 3)?,
                    requested_at: time(r, 4)?,
                })
            },
        )?;
        // Under way, or done and not yet confirmed at the destination
        // (the truck may have left: a departed stay has no bay).
        facts.handoffs = self.db().query(
            &format!(
                "SELECT s.id, s.plate, b.id, s.handoff_mode, s.handoff_counterpart,
                        s.handoff_started_at, s.handoff_done_at
                   FROM {ON_SITE}
                  WHERE s.handoff_started_at IS NOT NULL AND s.handoff_confirmed_at IS NULL
                    AND (s.status = 'handoff'
                         OR (s.handoff_done_at IS NOT NULL AND s.handoff_confirm_due <> 0))
                  ORDER BY s.handoff_started_at"
            ),
            &[],
            |r| {
                Ok(OpenHandoff {
                    truck: truck(r, 0)?,
                    mode: word(r, 3)?,
                    counterpart: r.opt_string(4)?,
                    started_at: time(r, 5)?,
                    done_at: r.opt_text(6)?.map(parse_ts).transpose()?,
                })
            },
        )?;
        facts.zone_disinfected = self.db().query(
            "SELECT zone, disinfected_at FROM zones ORDER BY zone",
            &[],
            |r| {
                Ok((
                    word::<Zone>(r, 0)?,
                    r.opt_text(1)?.map(parse_ts).transpose()?,
                ))
            },
        )?;
        facts.zone_disinfected.sort_by_key(|(z, _)| *z);
        facts.positives_outside = self.positives_outside()?;
        facts.positives_departed = self.positives_departed()?;
        Ok(facts)
    }

    /// Trucks on site with a positive result that stands and no isolation
    /// under way, with when that positive came. The trucks on site that
    /// ever had a positive come from their partial index (schema 14; a few
    /// at most: each positive proposes isolation). Which positive still
    /// stands is the domain's rule, asked of each one's results.
    fn positives_outside(&self) -> Result<Vec<(TruckRef, DateTime<Utc>)>> {
        let trucks = self.db().query(
            &format!(
                "SELECT s.id, s.plate, b.id
                   FROM stays s INDEXED BY stays_positive_on_site {BAY_OF_S}
                  WHERE s.positive_at IS NOT NULL AND s.departed_at IS NULL
                    AND NOT ({UNDER_ISOLATION})
                    AND NOT ({AUTHORISED_ESCORT})
                  ORDER BY s.id"
            ),
            &[],
            |r| truck(r, 0),
        )?;
        self.standing_positives(trucks)
    }

    /// Trucks that left before a positive result came back (recorded after
    /// the departure), whose positive stands and was not reported since,
    /// with when that positive came. Only a forced departure lets a truck
    /// out with a result pending (an escort, the other way, answers for
    /// its truck): these are looked for among the stays forced out, a few
    /// a season, through their partial index.
    fn positives_departed(&self) -> Result<Vec<(TruckRef, DateTime<Utc>)>> {
        let trucks = self.db().query(
            &format!(
                "SELECT DISTINCT s.id, s.plate, NULL
                   FROM stays s INDEXED BY stays_forced_out
                        CROSS JOIN samples x ON x.stay = s.id
                        CROSS JOIN events e ON e.id = x.result_id
                  WHERE {POSITIVE_AFTER_LEAVING}
                  ORDER BY s.id"
            ),
            &[],
            |r| truck(r, 0),
        )?;
        self.standing_positives(trucks)
    }

    /// Of `trucks`, those whose positive result still stands (the domain's
    /// rule, asked of each one's results and of what it carries from its
    /// last stay), with when that positive came.
    fn standing_positives(&self, trucks: Vec<TruckRef>) -> Result<Vec<(TruckRef, DateTime<Utc>)>> {
        let mut out = Vec::new();
        for t in trucks {
            let results = carried::weighed(self.db(), t.stay.0)?;
            let tests: Vec<_> = results.iter().map(|&(test, res, _)| (test, res)).collect();
            let Some(test) = standing_positive(&tests) else {
                continue;
            };
            if let Some(&(_, _, since)) = results
                .iter()
                .rev()
                .find(|&&(t, r, _)| t == test && r == TestResult::Positive)
            {
                out.push((t, since));
            }
        }
        Ok(out)
    }
}
