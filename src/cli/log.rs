//! `log`: the event log, newest first, filtered by plate, bay, zone, kind
//! and time; a human table (times in the site time zone), JSON or CSV.
//! Phones inside event details are masked unless `--unmasked`.
//!
//! What lives elsewhere: the query (`Store::log`), cell formatting
//! (`cli::output`).

use std::io::Write;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::args::{LogArgs, TimeArg};
use super::checks;
use super::output::{self, Table, csv, local, say, wd};
use super::{Failure, Setup};
use crate::domain::bay::BayId;
use crate::domain::event::{Event, Field, StayId, Target};
use crate::domain::phone::Phone;
use crate::domain::plate::Plate;
use crate::domain::policy::HealthCode;
use crate::i18n::words::person_in;
use crate::i18n::{CliMsg, Lang};
use crate::store::{LogFilter, Store};
use crate::tz::Tz;

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

/// The event's own fields, without the kind; every phone in it (the
/// driver's and the passengers') masked unless asked.
fn details(e: &Event, unmasked: bool) -> serde_json::Value {
    let mut v = serde_json::to_value(e).unwrap_or(serde_json::Value::Null);
    if let Some(m) = v.as_object_mut() {
        m.remove("kind");
    }
    if !unmasked {
        mask_phones(&mut v);
    }
    v
}

/// Masks the value of every `phone` key, however deep, and both values of
/// a correction of the phone.
fn mask_phones(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(m) => {
            if m.get("field").and_then(|f| f.as_str()) == Some("phone") {
                for k in ["old", "new"] {
                    if let Some(serde_json::Value::String(p)) = m.get(k) {
                        let masked = Phone::parse(p)
                            .map(|p| p.masked())
                            .unwrap_or_else(|_| "***".into());
                        m.insert(k.into(), masked.into());
                    }
                }
            }
            for (k, x) in m.iter_mut() {
                match x {
                    serde_json::Value::String(p) if k == "phone" => {
                        *x = Phone::parse(p)
                            .map(|p| p.masked())
                            .unwrap_or_else(|_| "***".into())
                            .into();
                    }
                    _ => mask_phones(x),
                }
            }
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(mask_phones),
        _ => {}
    }
}

/// The kind of an event as people read it ("sample_taken" → "sample taken", "采样").
pub(super) fn kind_text(lang: Lang, kind: &str) -> String {
    let m = match kind {
        "arrived" => CliMsg::EvArrived,
        "moved" => CliMsg::EvMoved,
        "departed" => CliMsg::EvDeparted,
        "sample_taken" => CliMsg::EvSampleTaken,
        "result_recorded" => CliMsg::EvResultRecorded,
        "isolated" => CliMsg::EvIsolated,
        "released" => CliMsg::EvReleased,
        "escalated" => CliMsg::EvEscalated,
        "handoff_started" => CliMsg::EvHandoffStarted,
        "handoff_completed" => CliMsg::EvHandoffCompleted,
        "handoff_confirmed" => CliMsg::EvHandoffConfirmed,
        "rechecked" => CliMsg::EvRechecked,
        "corrected" => CliMsg::EvCorrected,
        "policy_changed" => CliMsg::EvPolicyChanged,
        "disclosed" => CliMsg::EvDisclosed,
        "service_requested" => CliMsg::EvServiceRequested,
        "service_done" => CliMsg::EvServiceDone,
        "disinfected" => CliMsg::EvDisinfected,
        "bay_closed" => CliMsg::EvBayClosed,
        "bay_opened" => CliMsg::EvBayOpened,
        "purged" => CliMsg::EvPurged,
        "undone" => CliMsg::EvUndone,
        other => return other.to_string(),
    };
    match lang {
        // The English table keeps the log's own key (what `--kind` takes).
        Lang::En => kind.to_string(),
        _ => m.text(lang).to_string(),
    }
}

/// One short human line about an event.
pub(super) fn summary(lang: Lang, e: &Event, tz: Tz) -> String {
    let code = |c: HealthCode| match lang {
        Lang::En => format!("{c} code"),
        _ => wd(lang, c).to_string(),
    };
    let sep = |s: &mut String, part: String| {
        s.push_str(match lang {
            Lang::En => ", ",
            _ => "，",
        });
        s.push_str(&part);
    };
    let semi = |s: &mut String, part: String| {
        s.push_str(match lang {
            Lang::En => "; ",
            _ => "；",
        });
        s.push_str(&part);
    };
    match e {
        Event::Arrived {
            arrival: a,
            flags,
            override_reason,
            findings,
            holding,
            ..
        } => {
            let mut s = wd(lang, a.cargo).to_string();
            if let Some(g) = &a.gate {
                sep(&mut s, say(lang, CliMsg::GateName, &[g]));
            }
            if let Some(t) = a.temperature {
                sep(&mut s, t.to_string());
            }
            if let Some(c) = a.code {
                sep(&mut s, code(c));
            }
            match a.passengers.len() {
                0 => {}
                1 => sep(&mut s, CliMsg::OnePassenger.text(lang).into()),
                n => sep(&mut s, say(lang, CliMsg::NPassengers, &[&n])),
            }
            if !findings.is_empty() || !flags.is_empty() {
                // Who, by role only: the log table is no place for names.
                let who = checks::described(lang, flags, findings, |_| None);
                semi(&mut s, say(lang, CliMsg::ChecksSaid, &[&who]));
            }
            if *holding {
                semi(&mut s, CliMsg::HoldingShort.text(lang).into());
            }
            if let Some(r) = override_reason {
                semi(&mut s, say(lang, CliMsg::OverrideSaid, &[r]));
            }
            s
        }
        Event::Moved { from, to, .. } => format!("{from} → {to}"),
        Event::Departed {
            forced, overridden, ..
        } => match forced {
            // The overridden rules are the log's keys (English, stable).
            Some(r) if !overridden.is_empty() => say(
                lang,
                CliMsg::ForcedPast,
                &[&crate::i18n::refusal::forced_past(lang, overridden), r],
            ),
            Some(r) => say(lang, CliMsg::ForcedSaid, &[r]),
            None => String::new(),
        },
        Event::SampleTaken {
            test,
            due,
            tube,
            batch,
            ..
        } => {
            let mut s = wd(lang, *test).to_string();
            if let Some(t) = tube {
                s.push(' ');
                s.push_str(&say(lang, CliMsg::TubeName, &[t]));
            }
            if let Some(b) = batch {
                s.push(' ');
                s.push_str(&say(lang, CliMsg::BatchName, &[b]));
            }
            sep(&mut s, say(lang, CliMsg::DueAt, &[&local(*due, tz)]));
            s
        }
        Event::ResultRecorded {
            test,
            result,
            reported_at,
            ..
        } => {
            let mut s = format!("{} {}", wd(lang, *test), wd(lang, *result));
            if let Some(t) = reported_at {
                sep(&mut s, say(lang, CliMsg::ReportedAt, &[&local(*t, tz)]));
            }
            s
        }
        Event::Isolated {
            from, to, reason, ..
        }
        | Event::Released {
            from,
            to,
            reason,
            by: None,
            ..
        } => say(lang, CliMsg::MovedWhy, &[from, to, reason]),
        Event::Released {
            from,
            to,
            reason,
            by: Some(by),
            ..
        } => format!(
            "{}{}",
            say(lang, CliMsg::MovedWhy, &[from, to, reason]),
            say(lang, CliMsg::ByName, &[by])
        ),
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
                say(lang, CliMsg::HandoffTo, &[&who.join(" ")])
            };
            let mut s = format!("{}{c}", wd(lang, *mode));
            sep(&mut s, format!("{from} → {to}"));
            if let Some(b) = by {
                s.push_str(&say(lang, CliMsg::CommaBy, &[b]));
            }
            s
        }
        Event::HandoffCompleted { .. }
        | Event::HandoffConfirmed { .. }
        | Event::BayOpened { .. } => String::new(),
        Event::PolicyChanged { policy } => policy_text(policy),
        Event::Disclosed { what, .. } => what.clone(),
        Event::Corrected { changes, .. } => changes
            .iter()
            .map(|c| {
                // Phones are masked in the human log, as everywhere.
                let v = |x: &Option<String>| match (x, c.field) {
                    (None, _) => "-".to_string(),
                    (Some(p), Field::Phone) => Phone::parse(p)
                        .map(|p| p.masked())
                        .unwrap_or_else(|_| "***".into()),
                    (Some(t), _) => t.clone(),
                };
                format!("{}: {} → {}", c.field, v(&c.old), v(&c.new))
            })
            .collect::<Vec<_>>()
            .join("; "),
        Event::Rechecked {
            person,
            temperature,
            code: c,
            findings,
            ..
        } => {
            let who = person_in(lang, *person, None);
            // A purged measurement leaves only who was rechecked.
            let mut s = who;
            if let Some(t) = temperature {
                s = format!("{s}: {t}");
            }
            if let Some(c) = c {
                sep(&mut s, code(*c));
            }
            if !findings.is_empty() {
                let w: Vec<String> = findings
                    .iter()
                    .map(|f| wd(lang, f.flag).to_string())
                    .collect();
                semi(
                    &mut s,
                    say(lang, CliMsg::ChecksSaid, &[&output::list(lang, &w)]),
                );
            }
            s
        }
        Event::ServiceRequested { service, .. } => wd(lang, *service).to_string(),
        Event::ServiceDone {
            call, at_departure, ..
        } => {
            if *at_departure {
                say(lang, CliMsg::CallClosedAtDeparture, &[call])
            } else {
                say(lang, CliMsg::CallN, &[call])
            }
        }
        Event::Disinfected { target } => match target {
            Target::Zone(z) => say(lang, CliMsg::ZoneNamed, &[&wd(lang, *z)]),
            Target::Bay(b) => say(lang, CliMsg::BayNamed, &[b]),
        },
        Event::BayClosed { reason, .. } => reason.clone(),
        Event::Purged { before, stays } => say(
            lang,
            CliMsg::PurgedSummary,
            &[&super::output::local(*before, tz), stays],
        ),
        Event::Undone {
            event, undone_kind, ..
        } => say(
            lang,
            CliMsg::UndoneSummary,
            &[event, &kind_text(lang, undone_kind)],
        ),
    }
}

pub(super) fn log(
    store: &Store,
    setup: &Setup,
    a: &LogArgs,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let tz = setup.config.timezone;
    let lang = setup.lang;
    let resolve = |t: Option<TimeArg>, flag: &str| -> Result<_, Failure> {
        t.map(|t| {
            t.resolve(tz)
                .ok_or_else(|| Failure::Usage(say(lang, CliMsg::NoSuchLocalTime, &[&flag, &tz])))
        })
        .transpose()
    };
    // A bay this lot does not have would list nothing, as if nothing had
    // happened there: a typo is said to be one (as `show` says it).
    if let Some(bay) = &a.bay
        && store.layout().find(bay).is_none()
    {
        return Err(Failure::op(
            lang,
            crate::ops::Refusal::UnknownBay(bay.clone()).into(),
        ));
    }
    // A plate corrected since is still found by the one first typed: its
    // truck's events, said so (not in JSON or CSV, whose rows say it).
    let mut plate = a.plate.clone();
    if let Some(p) = &a.plate
        && let Some((stay, true)) = store
            .stay_named(p)
            .map_err(Failure::reading(setup.lang, store))?
        && let Some(d) = store
            .stay_detail(stay)
            .map_err(Failure::reading(setup.lang, store))?
    {
        if !a.format.json && !a.format.csv {
            writeln!(
                out,
                "{}",
                say(lang, CliMsg::PlateCorrectedTo, &[p, &d.plate])
            )?;
        }
        plate = Some(d.plate);
    }
    let filter = LogFilter {
        plate,
        bay: a.bay.clone(),
        zone: a.zone,
        kind: a.kind.clone(),
        operator: a.by.clone(),
        terminal: a.from_terminal.clone(),
        since: resolve(a.since, "since")?,
        until: resolve(a.until, "until")?,
        before: a.before,
        limit: a.limit,
    };
    let events = store
        .log(&filter)
        .map_err(Failure::reading(setup.lang, store))?;
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
                bay: e.bay.as_ref(),
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
                    e.bay.as_ref().map(|b| b.to_string()).unwrap_or_default(),
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
        let h = |m: CliMsg| m.text(lang);
        let mut t = Table::new(&[
            "#",
            h(CliMsg::ColTime),
            h(CliMsg::ColOperator),
            h(CliMsg::ColTerminal),
            h(CliMsg::ColKind),
            h(CliMsg::ColPlate),
            h(CliMsg::ColBay),
            h(CliMsg::ColDetails),
        ])
        .right(&[0]);
        for e in &events {
            t.row(vec![
                e.id.to_string(),
                local(e.at, tz),
                e.operator.clone(),
                e.terminal.clone(),
                kind_text(lang, e.event.kind()),
                e.plate.as_ref().map(|p| p.to_string()).unwrap_or_default(),
                e.bay.as_ref().map(|b| b.to_string()).unwrap_or_default(),
                summary(lang, &e.event, tz),
            ]);
        }
        if t.is_empty() {
            writeln!(out, "{}", CliMsg::NoEvents.text(lang))?;
        } else {
            t.print(out)?;
            // A full page: say how to ask for the next one.
            if let (Some(limit), Some(last)) = (a.limit, events.last())
                && events.len() == limit
            {
                writeln!(out, "{}", say(lang, CliMsg::LogNextPage, &[&last.id]))?;
            }
        }
    }
    Ok(())
}

/// A policy in one line of `key=value`, as the config file writes it.
pub(super) fn policy_text(p: &crate::domain::policy::Policy) -> String {
    toml::to_string(p)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.replace(" = ", "="))
        .collect::<Vec<_>>()
        .join(" ")
}
