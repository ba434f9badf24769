//! `log`: the event log, newest first, filtered by plate, bay, zone, kind
//! and time; a human table (times in the site time zone), JSON or CSV.
//! Phones inside event details are masked unless `--unmasked`.
//!
//! What lives elsewhere: the query (`Store::log`), cell formatting
//! (`cli::output`).

use std::io::Write;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use super::args::{LogArgs, TimeArg};
use super::output::{self, Table, csv, local};
use super::{Failure, Setup};
use crate::domain::bay::BayId;
use crate::domain::event::{Event, StayId, Target};
use crate::domain::phone::Phone;
use crate::domain::plate::Plate;
use crate::store::{LogFilter, Store};

#[derive(Serialize)]
struct LogJson<'a> {
    id: i64,
    at: DateTime<Utc>,
    operator: &'a str,
    terminal: &'a str,
    kind: &'static str,
    stay: Option<StayId>,
    bay: Option<&'a BayId>,
    details: serde_json::Value,
    plate: Option<&'a Plate>,
}

/// The event's own fields, without the kind; the phone masked unless asked.
fn details(e: &Event, unmasked: bool) -> serde_json::Value {
    let mut v = serde_json::to_value(e).unwrap_or(serde_json::Value::Null);
    if let Some(m) = v.as_object_mut() {
        m.remove("kind");
        if let (false, Some(serde_json::Value::String(p))) = (unmasked, m.get("phone")) {
            let masked = Phone::parse(p)
                .map(|p| p.masked())
                .unwrap_or_else(|_| "***".into());
            m.insert("phone".into(), masked.into());
        }
    }
    v
}

/// One short human line about an event.
fn summary(e: &Event, tz: Tz) -> String {
    match e {
        Event::Arrived {
            arrival: a,
            flags,
            override_reason,
            findings,
            holding,
            ..
        } => {
            let mut s = a.cargo.to_string();
            if let Some(g) = &a.gate {
                s.push_str(&format!(", gate {g}"));
            }
            if let Some(t) = a.temperature {
                s.push_str(&format!(", {t}"));
            }
            s.push_str(&format!(", {} code", a.code));
            match a.passengers.len() {
                0 => {}
                1 => s.push_str(", 1 passenger"),
                n => s.push_str(&format!(", {n} passengers")),
            }
            if !findings.is_empty() {
                // Who, by role only: the log table is no place for names.
                s.push_str(&format!(
                    "; checks: {}",
                    crate::domain::event::describe_findings(findings, |_| None)
                ));
            } else if !flags.is_empty() {
                let w: Vec<&str> = flags.iter().map(|f| f.as_str()).collect();
                s.push_str(&format!("; checks: {}", w.join(", ")));
            }
            if *holding {
                s.push_str("; isolation full: holding");
            }
            if let Some(r) = override_reason {
                s.push_str(&format!("; override: {r}"));
            }
            s
        }
        Event::Moved { from, to, .. } => format!("{from} → {to}"),
        Event::Departed {
            forced, overridden, ..
        } => match forced {
            Some(r) if !overridden.is_empty() => {
                format!("forced ({}): {r}", overridden.join(", "))
            }
            Some(r) => format!("forced: {r}"),
            None => String::new(),
        },
        Event::SampleTaken {
            test,
            due,
            tube,
            batch,
            ..
        } => {
            let mut s = test.to_string();
            if let Some(t) = tube {
                s.push_str(&format!(" tube {t}"));
            }
            if let Some(b) = batch {
                s.push_str(&format!(" batch {b}"));
            }
            format!("{s}, due {}", local(*due, tz))
        }
        Event::ResultRecorded {
            test,
            result,
            reported_at,
            ..
        } => match reported_at {
            Some(t) => format!("{test} {result}, reported {}", local(*t, tz)),
            None => format!("{test} {result}"),
        },
        Event::Isolated {
            from, to, reason, ..
        }
        | Event::Released {
            from,
            to,
            reason,
            by: None,
            ..
        } => format!("{from} → {to}: {reason}"),
        Event::Released {
            from,
            to,
            reason,
            by: Some(by),
            ..
        } => format!("{from} → {to}: {reason} (by {by})"),
        Event::Escalated { note, .. } => note.clone(),
        Event::HandoffStarted {
            from,
            to,
            mode,
            counterpart,
            receiver,
            company,
            escort,
            by,
            ..
        } => {
            let who: Vec<String> = [
                receiver.as_ref().map(|p| p.to_string()),
                company.clone(),
                escort.clone(),
                counterpart.clone(),
            ]
            .into_iter()
            .flatten()
            .collect();
            let c = if who.is_empty() {
                String::new()
            } else {
                format!(" to {}", who.join(" "))
            };
            let by = by.as_ref().map(|b| format!(", by {b}")).unwrap_or_default();
            format!("{mode}{c}, {from} → {to}{by}")
        }
        Event::HandoffCompleted { .. }
        | Event::HandoffConfirmed { .. }
        | Event::BayOpened { .. } => String::new(),
        Event::Rechecked {
            person,
            temperature,
            code,
            findings,
            ..
        } => {
            let who = crate::domain::event::person_label(*person, None);
            let mut s = format!("{who}: {temperature}, {code} code");
            if !findings.is_empty() {
                let w: Vec<&str> = findings.iter().map(|f| f.flag.as_str()).collect();
                s.push_str(&format!("; checks: {}", w.join(", ")));
            }
            s
        }
        Event::ServiceRequested { service, .. } => service.to_string(),
        Event::ServiceDone {
            call, at_departure, ..
        } => {
            if *at_departure {
                format!("call #{call}, closed at departure")
            } else {
                format!("call #{call}")
            }
        }
        Event::Disinfected { target } => match target {
            Target::Zone(z) => format!("{z} zone"),
            Target::Bay(b) => format!("bay {b}"),
        },
        Event::BayClosed { reason, .. } => reason.clone(),
    }
}

pub(super) fn log(
    store: &Store,
    setup: &Setup,
    a: &LogArgs,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let tz = setup.config.timezone;
    let resolve = |t: Option<TimeArg>, flag: &str| -> Result<_, Failure> {
        t.map(|t| {
            t.resolve(tz).ok_or_else(|| {
                Failure::Usage(format!("--{flag}: that local time does not exist in {tz}"))
            })
        })
        .transpose()
    };
    let filter = LogFilter {
        plate: a.plate.clone(),
        bay: a.bay.clone(),
        zone: a.zone,
        kind: a.kind.clone(),
        since: resolve(a.since, "since")?,
        until: resolve(a.until, "until")?,
        limit: a.limit,
    };
    let events = store.log(&filter)?;
    if a.format.json {
        let rows: Vec<LogJson<'_>> = events
            .iter()
            .map(|e| LogJson {
                id: e.id,
                at: e.at,
                operator: &e.operator,
                terminal: &e.terminal,
                kind: e.event.kind(),
                stay: e.event.stay(),
                bay: e.event.bay(),
                details: details(&e.event, a.unmasked),
                plate: e.plate.as_ref(),
            })
            .collect();
        output::json(out, &rows)?;
    } else if a.format.csv {
        let rows: Vec<Vec<String>> = events
            .iter()
            .map(|e| {
                vec![
                    e.id.to_string(),
                    e.at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
                    e.operator.clone(),
                    e.terminal.clone(),
                    e.event.kind().to_string(),
                    e.event.stay().map(|s| s.to_string()).unwrap_or_default(),
                    e.plate.as_ref().map(|p| p.to_string()).unwrap_or_default(),
                    e.event.bay().map(|b| b.to_string()).unwrap_or_default(),
                    details(&e.event, a.unmasked).to_string(),
                ]
            })
            .collect();
        csv(
            out,
            &[
                "id", "at", "operator", "terminal", "kind", "stay", "plate", "bay", "details",
            ],
            &rows,
        )?;
    } else {
        let mut t = Table::new(&[
            "#", "TIME", "OPERATOR", "TERMINAL", "KIND", "PLATE", "BAY", "DETAILS",
        ])
        .right(&[0]);
        for e in &events {
            t.row(vec![
                e.id.to_string(),
                local(e.at, tz),
                e.operator.clone(),
                e.terminal.clone(),
                e.event.kind().to_string(),
                e.plate.as_ref().map(|p| p.to_string()).unwrap_or_default(),
                e.event.bay().map(|b| b.to_string()).unwrap_or_default(),
                summary(&e.event, tz),
            ]);
        }
        if t.is_empty() {
            writeln!(out, "no events")?;
        } else {
            t.print(out)?;
        }
    }
    Ok(())
}
