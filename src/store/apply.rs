//! The projection: how one event changes the state tables.
//!
//! Used for live writes (inside the event's transaction) and by `check` and
//! `rebuild` when replaying the log, so the two can never drift. Every step
//! checks the rows it changed: an event that does not fit the state is an
//! error that rolls the whole transaction back.

use chrono::{DateTime, Utc};

use super::conn::{Db, Value, args};
use super::{Result, StoreError, ts};
use crate::domain::bay::{BayId, Zone};
use crate::domain::event::{Event, Field, HandoffMode, StayId, Target, TestResult};
use crate::domain::policy::{CheckFlag, Finding};
use crate::domain::stay::Status;

pub(super) fn apply(db: Db<'_>, id: i64, at: DateTime<Utc>, event: &Event) -> Result<()> {
    let at = ts(at);
    match event {
        Event::Arrived {
            stay,
            arrival: a,
            bay,
            flags,
            override_reason,
            findings,
            holding,
        } => {
            let status = if *holding {
                Status::Holding
            } else if bay.zone() == Zone::Isolation {
                Status::Isolated
            } else {
                Status::Parked
            };
            let flags_text = flags
                .iter()
                .map(|f| f.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            // Who the checks flagged. First-version logs checked the driver
            // alone and kept only the flags: those are the driver's.
            let findings: Vec<Finding> = if findings.is_empty() {
                flags
                    .iter()
                    .map(|&flag| Finding { person: 0, flag })
                    .collect()
            } else {
                findings.clone()
            };
            let findings_json =
                serde_json::to_string(&findings).map_err(|e| StoreError::Decode(e.to_string()))?;
            let held = status != Status::Parked;
            // Held because of the checks: the findings say why. Held with
            // clean checks: the operator's override reason does.
            let isolation_reason = override_reason.clone().filter(|_| held && flags.is_empty());
            exec(db,
                "INSERT INTO stays (id, plate, status, driver, phone, cargo, origin, destination,
                    temperature, code, travel_flag, handoff_required, flags, override_reason,
                    arrived_at, bay_since, isolation_reason, isolated_at, gate, venue_code, findings)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15, ?16, ?17,
                         ?18, ?19, ?20)",
                args![
                    stay.0,
                    a.plate.as_str(),
                    status.as_str(),
                    &a.driver,
                    a.phone.as_ref().map(|p| p.as_str()),
                    a.cargo.as_str(),
                    &a.origin,
                    &a.destination,
                    a.temperature.map(|t| t.celsius()),
                    a.code.map(|c| c.as_str()),
                    a.travel_flag,
                    a.handoff_required,
                    flags_text,
                    override_reason,
                    &at,
                    isolation_reason,
                    held.then_some(&at),
                    &a.gate,
                    a.venue_code,
                    findings_json,
                ],
            )?;
            if findings.iter().any(|f| f.flag == CheckFlag::PositiveBefore) {
                mark_positive(db, *stay)?;
            }
            let person = |n: i64,
                          name: Option<&str>,
                          phone: Option<&str>,
                          t: Option<f64>,
                          code: Option<&str>| {
                exec(
                    db,
                    "INSERT INTO people (stay, person, name, phone, temperature, code, checked_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    args![stay.0, n, name, phone, t, code, &at],
                )
            };
            person(
                0,
                a.driver.as_deref(),
                a.phone.as_ref().map(|p| p.as_str()),
                a.temperature.map(|t| t.celsius()),
                a.code.map(|c| c.as_str()),
            )?;
            for (i, p) in a.passengers.iter().enumerate() {
                person(
                    i as i64 + 1,
                    p.name.as_deref(),
                    p.phone.as_ref().map(|p| p.as_str()),
                    p.temperature.map(|t| t.celsius()),
                    p.code.map(|c| c.as_str()),
                )?;
            }
            take_bay(db, *stay, bay, id, &at)
        }
        Event::Moved { stay, from, to } => move_between(db, *stay, from, to, id, &at),
        Event::Departed {
            stay, from, forced, ..
        } => {
            leave_bay(db, *stay, from, &at)?;
            one_row(
                exec(
                    db,
                    "UPDATE stays SET status = 'departed', departed_at = ?2, forced_reason = ?3,
                            status_before_leaving = status
                      WHERE id = ?1 AND departed_at IS NULL",
                    args![stay.0, &at, forced],
                )?,
                || format!("stay {stay} is not on site"),
            )
        }
        Event::SampleTaken {
            stay,
            test,
            due,
            tube,
            batch,
        } => {
            exec(
                db,
                "INSERT INTO samples (id, stay, test, taken_at, due_at, tube, batch)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                args![id, stay.0, test.as_str(), &at, ts(*due), tube, batch],
            )?;
            Ok(())
        }
        Event::ResultRecorded {
            stay,
            test,
            result,
            reported_at,
        } => {
            one_row(
                exec(
                    db,
                    "UPDATE samples SET result = ?3, result_at = ?4, result_id = ?5
                      WHERE stay = ?1 AND test = ?2 AND result IS NULL",
                    args![
                        stay.0,
                        test.as_str(),
                        result.as_str(),
                        reported_at.map(ts).unwrap_or_else(|| at.clone()),
                        id,
                    ],
                )?,
                || format!("stay {stay} has no pending {test} sample"),
            )?;
            match result {
                TestResult::Positive => mark_positive(db, *stay),
                _ => Ok(()),
            }
        }
        Event::Isolated {
            stay,
            from,
            to,
            reason,
        } => {
            move_between(db, *stay, from, to, id, &at)?;
            set_stay(
                db,
                *stay,
                "status = 'isolated', isolation_reason = ?2, isolated_at = ?3,
                 released_at = NULL, release_reason = NULL, escalated_at = NULL, escalation_note = NULL",
                args![reason, &at],
            )
        }
        Event::Released {
            stay,
            from,
            to,
            reason,
            by,
        } => {
            move_between(db, *stay, from, to, id, &at)?;
            set_stay(
                db,
                *stay,
                "status = 'parked', released_at = ?3, release_reason = ?2, released_by = ?4",
                args![reason, &at, by],
            )
        }
        // Also of a stay that has left: a positive result that came back
        // after the truck left is reported.
        Event::Escalated { stay, note } => one_row(
            exec(
                db,
                "UPDATE stays SET escalated_at = ?3, escalation_note = ?2 WHERE id = ?1",
                args![stay.0, note, &at],
            )?,
            || format!("stay {stay} does not exist"),
        ),
        Event::HandoffStarted {
            stay,
            from,
            to,
            mode,
            counterpart,
            receiver,
            company,
            escort,
            by,
        } => {
            move_between(db, *stay, from, to, id, &at)?;
            // One line for boards and tables: who or what receives it.
            let parts: Vec<&str> = match mode {
                HandoffMode::Transfer => {
                    [receiver.as_ref().map(|p| p.as_str()), company.as_deref()]
                        .into_iter()
                        .flatten()
                        .collect()
                }
                HandoffMode::Escort => escort.as_deref().into_iter().collect(),
            };
            // A first-version handoff names only free text: it was never
            // asked for a confirmation at the destination.
            let legacy = parts.is_empty();
            let counterpart = if legacy {
                counterpart.clone()
            } else {
                Some(parts.join(" "))
            };
            set_stay(
                db,
                *stay,
                "status = 'handoff', handoff_mode = ?2, handoff_counterpart = ?3,
                 handoff_started_at = ?4, handoff_done_at = NULL, handoff_by = ?5,
                 handoff_confirmed_at = NULL, handoff_confirm_due = ?6",
                args![mode.as_str(), counterpart, &at, by, !legacy],
            )
        }
        Event::HandoffCompleted { stay } => set_stay(
            db,
            *stay,
            "status = 'handoff_done', handoff_done_at = ?2",
            args![&at],
        ),
        Event::HandoffConfirmed { stay } => one_row(
            // The truck may have left already: a handoff is confirmed at
            // its destination.
            exec(
                db,
                "UPDATE stays SET handoff_confirmed_at = ?2
                  WHERE id = ?1 AND handoff_done_at IS NOT NULL AND handoff_confirmed_at IS NULL",
                args![stay.0, &at],
            )?,
            || format!("stay {stay} has no finished, unconfirmed handoff"),
        ),
        // An audit record: it changes nothing on the lot.
        Event::Disclosed { .. } => Ok(()),
        Event::PolicyChanged { policy } => {
            let value =
                serde_json::to_string(policy).map_err(|e| StoreError::Decode(e.to_string()))?;
            exec(
                db,
                "INSERT INTO policy (id, value, since, event) VALUES (1, ?1, ?2, ?3)
                 ON CONFLICT (id) DO UPDATE SET value = ?1, since = ?2, event = ?3",
                args![value, &at, id],
            )?;
            Ok(())
        }
        Event::Corrected {
            stay,
            changes,
            findings,
        } => {
            for c in changes {
                // The column of each field; the driver's name and phone are
                // also person 0's.
                let (column, person) = match c.field {
                    Field::Plate => ("plate", None),
                    Field::Driver => ("driver", Some("name")),
                    Field::Phone => ("phone", Some("phone")),
                    Field::Cargo => ("cargo", None),
                    Field::Origin => ("origin", None),
                    Field::Destination => ("destination", None),
                };
                one_row(
                    exec(
                        db,
                        &format!("UPDATE stays SET {column} = ?2 WHERE id = ?1"),
                        args![stay.0, &c.new],
                    )?,
                    || format!("stay {stay} does not exist"),
                )?;
                if let Some(col) = person {
                    exec(
                        db,
                        &format!("UPDATE people SET {col} = ?2 WHERE stay = ?1 AND person = 0"),
                        args![stay.0, &c.new],
                    )?;
                }
            }
            if !findings.is_empty() {
                correct_findings(db, *stay, findings, true)?;
            }
            Ok(())
        }
        Event::Rechecked {
            stay,
            person,
            temperature,
            code,
            ..
        } => one_row(
            exec(
                db,
                "UPDATE people SET temperature = ?3, code = ?4, checked_at = ?5
                  WHERE stay = ?1 AND person = ?2",
                args![
                    stay.0,
                    *person as i64,
                    temperature.map(|t| t.celsius()),
                    code.map(|c| c.as_str()),
                    &at,
                ],
            )?,
            || format!("stay {stay} has no person {person}"),
        ),
        Event::ServiceRequested { stay, service } => {
            exec(
                db,
                "INSERT INTO service_calls (id, stay, service, requested_at) VALUES (?1, ?2, ?3, ?4)",
                args![id, stay.0, service.as_str(), &at],
            )?;
            Ok(())
        }
        Event::ServiceDone {
            stay,
            call,
            at_departure,
        } => one_row(
            exec(
                db,
                "UPDATE service_calls SET done_at = ?3, at_departure = ?4
                  WHERE id = ?1 AND stay = ?2 AND done_at IS NULL",
                args![call, stay.0, &at, at_departure],
            )?,
            || format!("service call {call} of stay {stay} is not open"),
        ),
        Event::Disinfected { target } => match target {
            Target::Zone(z) => one_row(
                exec(
                    db,
                    "UPDATE zones SET disinfected_at = ?2 WHERE zone = ?1",
                    args![z.as_str(), &at],
                )?,
                || format!("zone {z} is not in this lot"),
            ),
            Target::Bay(b) => one_row(
                exec(
                    db,
                    "UPDATE bays SET disinfected_at = ?2 WHERE id = ?1",
                    args![b.as_str(), &at],
                )?,
                || format!("bay {b} is not in this lot"),
            ),
        },
        Event::BayClosed { bay, reason } => {
            one_row(
                exec(
                    db,
                    "UPDATE bays SET closed_reason = ?2
                      WHERE id = ?1 AND occupant IS NULL AND closed_reason IS NULL",
                    args![bay.as_str(), reason],
                )?,
                || format!("bay {bay} is occupied or already closed"),
            )?;
            exec(
                db,
                "INSERT INTO closures (id, bay, reason, from_at) VALUES (?1, ?2, ?3, ?4)",
                args![id, bay.as_str(), reason, &at],
            )?;
            Ok(())
        }
        Event::BayOpened { bay } => {
            one_row(
                exec(
                    db,
                    "UPDATE bays SET closed_reason = NULL WHERE id = ?1 AND closed_reason IS NOT NULL",
                    args![bay.as_str()],
                )?,
                || format!("bay {bay} is not closed"),
            )?;
            exec(
                db,
                "UPDATE closures SET to_at = ?2 WHERE bay = ?1 AND to_at IS NULL",
                args![bay.as_str(), &at],
            )?;
            Ok(())
        }
        Event::Purged { before, .. } => {
            // The log's values were blanked with this event (store::personal);
            // the state's copies of them go the same way.
            let ended =
                "SELECT id FROM stays WHERE departed_at < ?1 AND personal_purged_at IS NULL";
            exec(
                db,
                &format!(
                    "UPDATE people SET name = NULL, phone = NULL, temperature = NULL, code = NULL
                      WHERE stay IN ({ended})"
                ),
                args![ts(*before)],
            )?;
            exec(
                db,
                "UPDATE stays SET driver = NULL, phone = NULL, temperature = NULL, code = NULL,
                        personal_purged_at = ?2
                  WHERE departed_at < ?1 AND personal_purged_at IS NULL",
                args![ts(*before), &at],
            )?;
            Ok(())
        }
        Event::Undone { event: undone, .. } => super::undo::apply(db, id, &at, *undone),
    }
}

/// Adds what a correction's checks found to the stay's findings (and their
/// flags to its `flags` text), or with `added` false takes them out again
/// (the correction undone), and keeps `positive_at` to match.
pub(super) fn correct_findings(
    db: Db<'_>,
    stay: StayId,
    changed: &[Finding],
    added: bool,
) -> Result<()> {
    let (findings, flags) = db
        .query_opt(
            "SELECT findings, flags FROM stays WHERE id = ?1",
            args![stay.0],
            |r| Ok((r.opt_string(0)?, r.opt_string(1)?)),
        )?
        .ok_or_else(|| StoreError::Conflict(format!("stay {stay} does not exist")))?;
    let mut all: Vec<Finding> = serde_json::from_str(findings.as_deref().unwrap_or("[]"))
        .map_err(|e| StoreError::Decode(format!("findings of stay {stay}: {e}")))?;
    // The flags' text, as the arrival writes it: each flag once.
    let mut named: Vec<String> = flags
        .unwrap_or_default()
        .split(", ")
        .filter(|f| !f.is_empty())
        .map(str::to_string)
        .collect();
    for f in changed {
        if added {
            if !all.contains(f) {
                all.push(*f);
            }
            if !named.iter().any(|n| n == f.flag.as_str()) {
                named.push(f.flag.as_str().to_string());
            }
        } else {
            all.retain(|x| x != f);
            if !all.iter().any(|x| x.flag == f.flag) {
                named.retain(|n| n != f.flag.as_str());
            }
        }
    }
    let json = serde_json::to_string(&all).map_err(|e| StoreError::Decode(e.to_string()))?;
    exec(
        db,
        "UPDATE stays SET findings = ?2, flags = ?3 WHERE id = ?1",
        args![stay.0, json, named.join(", ")],
    )?;
    mark_positive(db, stay)
}

/// Keeps `stays.positive_at`, the time of the stay's latest positive
/// result (NULL: none), after a result is recorded or undone: what the
/// clocks find the trucks on site with a positive by (schema 14, whose
/// upgrade fills it with the same expression). A stay whose arrival
/// carried a positive from the truck's last stay has one from its arrival
/// on (schema 15).
pub(super) fn mark_positive(db: Db<'_>, stay: StayId) -> Result<()> {
    exec(
        db,
        &format!(
            "UPDATE stays SET positive_at = coalesce(
                (SELECT max(x.result_at) FROM samples x WHERE x.stay = ?1 AND x.result = 'positive'),
                CASE WHEN {} THEN arrived_at END)
              WHERE id = ?1",
            super::carried::carries_positive("findings")
        ),
        args![stay.0],
    )?;
    Ok(())
}

/// Runs one statement (through the connection's statement cache:
/// replaying thousands of events prepares each statement once, not once per
/// event).
pub(super) fn exec(db: Db<'_>, sql: &str, params: &[Value]) -> Result<usize> {
    db.execute(sql, params)
}

pub(super) fn one_row(changed: usize, what: impl FnOnce() -> String) -> Result<()> {
    if changed == 1 {
        Ok(())
    } else {
        Err(StoreError::Conflict(what()))
    }
}

fn set_stay(db: Db<'_>, stay: StayId, set: &str, values: &[Value]) -> Result<()> {
    // `?1` is always the stay id; callers number their own values from ?2.
    let sql = format!("UPDATE stays SET {set} WHERE id = ?1 AND departed_at IS NULL");
    let mut all = Vec::with_capacity(values.len() + 1);
    all.push(Value::from(stay.0));
    all.extend_from_slice(values);
    let changed = db.execute(&sql, &all)?;
    one_row(changed, || format!("stay {stay} is not on site"))
}

/// Puts the stay in the bay, and opens its stretch of occupancy there (the
/// lot at a past moment reads these stretches). `event` is the id of the
/// event that does it.
pub(super) fn take_bay(db: Db<'_>, stay: StayId, bay: &BayId, event: i64, at: &str) -> Result<()> {
    one_row(
        exec(
            db,
            "UPDATE bays SET occupant = ?1 WHERE id = ?2 AND occupant IS NULL AND closed_reason IS NULL",
            args![stay.0, bay.as_str()],
        )?,
        || format!("bay {bay} is not free"),
    )?;
    exec(
        db,
        "INSERT INTO occupancy (id, bay, stay, from_at) VALUES (?1, ?2, ?3, ?4)",
        args![event, bay.as_str(), stay.0, at],
    )?;
    Ok(())
}

pub(super) fn leave_bay(db: Db<'_>, stay: StayId, bay: &BayId, at: &str) -> Result<()> {
    one_row(
        exec(
            db,
            "UPDATE bays SET occupant = NULL WHERE id = ?2 AND occupant = ?1",
            args![stay.0, bay.as_str()],
        )?,
        || format!("stay {stay} is not in bay {bay}"),
    )?;
    one_row(
        exec(
            db,
            "UPDATE occupancy SET to_at = ?3 WHERE stay = ?1 AND bay = ?2 AND to_at IS NULL",
            args![stay.0, bay.as_str(), at],
        )?,
        || format!("stay {stay} has no open stretch in bay {bay}"),
    )
}

pub(super) fn move_between(
    db: Db<'_>,
    stay: StayId,
    from: &BayId,
    to: &BayId,
    event: i64,
    at: &str,
) -> Result<()> {
    leave_bay(db, stay, from, at)?;
    take_bay(db, stay, to, event, at)?;
    set_stay(db, stay, "bay_since = ?2", args![at])
}
