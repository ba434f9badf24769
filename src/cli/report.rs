//! `report`: the shift handover report (每日一例会) for the current or the
//! previous shift, a day, or any window — arrivals and departures by cargo,
//! province and gate, occupancy at both ends, tests and results, positives
//! and isolations with durations, what was overdue at the end, handoffs,
//! service calls, disinfection rounds, closed bays, and every override and
//! forced action with its reason and operator. Markdown (for the meeting's
//! notes), CSV or JSON.
//!
//! What lives elsewhere: the sums (`domain::report`), the facts
//! (`Store::report`), shift boundaries (`[site] shifts`, `config`).

use std::io::Write;

use chrono::{DateTime, Duration, Utc};

use super::args::{ReportFormat, ReportShift, TimeArg};
use super::output::{self, duration_in, local, say, wd};
use super::{Failure, Setup};
use crate::domain::report::shift_window;
use crate::i18n::{CliMsg, Lang};
use crate::store::{Report, Store};
use crate::tz::Tz;

/// Which window the command line asked for.
pub(super) struct Window {
    pub shift: Option<ReportShift>,
    pub from: Option<TimeArg>,
    pub to: Option<TimeArg>,
    pub day: Option<TimeArg>,
}

pub(super) fn report(
    store: &Store,
    setup: &Setup,
    w: Window,
    format: ReportFormat,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let tz = setup.config.timezone;
    let lang = setup.lang;
    let now = output::now();
    let (from, to) = window(setup, w)?;
    // A window not begun would be an empty report that reads as a quiet one.
    if from > output::now() {
        return Err(Failure::Usage(say(
            lang,
            CliMsg::MomentToCome,
            &[&local(from, tz)],
        )));
    }
    let r = store
        .report(from, to, &setup.config.policy, to >= now)
        .map_err(Failure::reading(setup.lang, store))?;
    match format {
        ReportFormat::Json => output::json(out, &r)?,
        ReportFormat::Csv => csv(out, &r)?,
        ReportFormat::Md => markdown(out, &r, tz, lang)?,
    }
    Ok(())
}

fn window(setup: &Setup, w: Window) -> Result<(DateTime<Utc>, DateTime<Utc>), Failure> {
    let tz = setup.config.timezone;
    let lang = setup.lang;
    let resolve = |t: TimeArg| {
        t.resolve(tz)
            .ok_or_else(|| Failure::Usage(say(lang, CliMsg::NoSuchLocalTime, &[&"report", &tz])))
    };
    if let Some(day) = w.day {
        let start = resolve(day)?;
        return Ok((start, start + Duration::days(1)));
    }
    match (w.from, w.to) {
        (Some(a), Some(b)) => {
            let (a, b) = (resolve(a)?, resolve(b)?);
            if b <= a {
                return Err(Failure::Usage(CliMsg::ReportEmptyWindow.text(lang).into()));
            }
            Ok((a, b))
        }
        (None, None) => {
            let back = match w.shift.unwrap_or(ReportShift::Current) {
                ReportShift::Current => 0,
                ReportShift::Previous => 1,
            };
            let now = output::now();
            let (a, b) = shift_window(now, &setup.config.shifts, &tz, back)
                .ok_or_else(|| Failure::Env(CliMsg::ReportNoShift.text(lang).into()))?;
            // The current shift is reported up to now.
            Ok((a, b.min(now)))
        }
        _ => Err(Failure::Usage(CliMsg::ReportFromTo.text(lang).into())),
    }
}

fn csv(out: &mut dyn Write, r: &Report) -> std::io::Result<()> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut add = |section: &str, item: String, value: String| {
        rows.push(vec![section.to_string(), item, value]);
    };
    add("window", "from".into(), r.from.to_rfc3339());
    add("window", "to".into(), r.to.to_rfc3339());
    for z in &r.start {
        add(
            "occupied_at_start",
            z.zone.to_string(),
            z.occupied.to_string(),
        );
    }
    for z in &r.end {
        add(
            "occupied_at_end",
            z.zone.to_string(),
            z.occupied.to_string(),
        );
    }
    let s = &r.summary;
    for (k, n) in &s.arrivals_by_cargo {
        add("arrivals_by_cargo", k.to_string(), n.to_string());
    }
    for (k, n) in &s.arrivals_by_province {
        add("arrivals_by_province", k.clone(), n.to_string());
    }
    for (k, n) in &s.arrivals_by_gate {
        add("arrivals_by_gate", k.clone(), n.to_string());
    }
    for (k, n) in &s.departures_by_cargo {
        add("departures_by_cargo", k.to_string(), n.to_string());
    }
    for (k, n) in &s.samples {
        add("samples", k.to_string(), n.to_string());
    }
    for (t, by) in &s.results {
        for (res, n) in by {
            add("results", format!("{t} {res}"), n.to_string());
        }
    }
    add("positives", "count".into(), s.positives.len().to_string());
    add("isolations", "count".into(), s.isolations.len().to_string());
    add("escalations", "count".into(), s.escalations.to_string());
    for (k, n) in &s.handoffs_started {
        add("handoffs_started", k.to_string(), n.to_string());
    }
    add("handoffs", "done".into(), s.handoffs_done.to_string());
    add(
        "handoffs",
        "confirmed".into(),
        s.handoffs_confirmed.to_string(),
    );
    for (k, n) in &s.services_requested {
        add("services_requested", k.to_string(), n.to_string());
    }
    add("services", "done".into(), s.services_done.to_string());
    add(
        "disinfections",
        "count".into(),
        s.disinfections.len().to_string(),
    );
    add(
        "bays_closed",
        "count".into(),
        s.bays_closed.len().to_string(),
    );
    add("overrides", "count".into(), s.overrides.len().to_string());
    add(
        "policy_changes",
        "count".into(),
        s.policy_changes.len().to_string(),
    );
    add(
        "disclosures",
        "count".into(),
        s.disclosures.len().to_string(),
    );
    add(
        "overdue_at_end",
        "count".into(),
        r.overdue_at_end.len().to_string(),
    );
    output::csv(out, &["section", "item", "value"], &rows)
}

/// One `- key: n` line per entry, or "none".
fn counts<K>(
    lang: Lang,
    entries: impl IntoIterator<Item = (K, usize)>,
    key: impl Fn(K) -> String,
) -> String {
    let parts: Vec<String> = entries
        .into_iter()
        .map(|(k, n)| format!("{} {n}", key(k)))
        .collect();
    if parts.is_empty() {
        CliMsg::ReportNone.text(lang).to_string()
    } else {
        parts.join(" · ")
    }
}

fn markdown(out: &mut dyn Write, r: &Report, tz: Tz, lang: Lang) -> std::io::Result<()> {
    let h = |m: CliMsg| m.text(lang);
    let s = &r.summary;
    writeln!(
        out,
        "# {}",
        say(
            lang,
            CliMsg::ReportTitle,
            &[&local(r.from, tz), &local(r.to, tz)]
        )
    )?;
    writeln!(out)?;
    writeln!(out, "{}", say(lang, CliMsg::ReportEvents, &[&s.events]))?;
    writeln!(out)?;
    writeln!(out, "## {}", h(CliMsg::ReportOccupancy))?;
    writeln!(out)?;
    writeln!(
        out,
        "| {} | {} | {} | {} |",
        h(CliMsg::ColZone),
        h(CliMsg::ColCapacity),
        h(CliMsg::ReportAtStart),
        h(CliMsg::ReportAtEnd)
    )?;
    writeln!(out, "|---|---:|---:|---:|")?;
    for (a, b) in r.start.iter().zip(&r.end) {
        writeln!(
            out,
            "| {} | {} | {} | {} |",
            wd(lang, a.zone),
            a.capacity,
            a.occupied,
            b.occupied
        )?;
    }
    writeln!(out)?;
    writeln!(out, "## {}", h(CliMsg::ReportTraffic))?;
    writeln!(out)?;
    let arrivals: usize = s.arrivals_by_cargo.values().sum();
    let departures: usize = s.departures_by_cargo.values().sum();
    writeln!(
        out,
        "- {}: {arrivals} ({})",
        h(CliMsg::ReportArrivals),
        counts(
            lang,
            s.arrivals_by_cargo.iter().map(|(k, n)| (*k, *n)),
            |k| { wd(lang, k).to_string() }
        )
    )?;
    writeln!(
        out,
        "- {}: {}",
        h(CliMsg::ReportByProvince),
        counts(
            lang,
            s.arrivals_by_province.iter().map(|(k, n)| (k, *n)),
            |k| k.clone()
        )
    )?;
    writeln!(
        out,
        "- {}: {}",
        h(CliMsg::ReportByGate),
        counts(lang, s.arrivals_by_gate.iter().map(|(k, n)| (k, *n)), |k| k
            .clone())
    )?;
    writeln!(
        out,
        "- {}: {}",
        h(CliMsg::ReportFlagged),
        say(
            lang,
            CliMsg::ReportFlaggedN,
            &[&s.flagged_at_gate, &s.waited_for_isolation]
        )
    )?;
    writeln!(
        out,
        "- {}: {departures} ({})",
        h(CliMsg::ReportDepartures),
        counts(
            lang,
            s.departures_by_cargo.iter().map(|(k, n)| (*k, *n)),
            |k| { wd(lang, k).to_string() }
        )
    )?;
    writeln!(out)?;
    writeln!(out, "## {}", h(CliMsg::ReportTests))?;
    writeln!(out)?;
    writeln!(
        out,
        "- {}: {}",
        h(CliMsg::ReportSamples),
        counts(lang, s.samples.iter().map(|(k, n)| (*k, *n)), |k| wd(
            lang, k
        )
        .to_string())
    )?;
    for (t, by) in &s.results {
        writeln!(
            out,
            "- {} {}: {}",
            wd(lang, *t),
            h(CliMsg::ReportResults),
            counts(lang, by.iter().map(|(k, n)| (*k, *n)), |k| wd(lang, k)
                .to_string())
        )?;
    }
    for (p, t, at) in &s.positives {
        writeln!(
            out,
            "- **{}** {p} {} {}",
            h(CliMsg::PositiveMark),
            wd(lang, *t),
            local(*at, tz)
        )?;
    }
    writeln!(out)?;
    writeln!(out, "## {}", h(CliMsg::ReportIsolation))?;
    writeln!(out)?;
    if s.isolations.is_empty() {
        writeln!(out, "{}", h(CliMsg::ReportNone))?;
    }
    for l in &s.isolations {
        let since = l.since.unwrap_or(r.from);
        let held = duration_in(lang, l.until.unwrap_or(r.to) - since);
        let held = if l.since.is_some() {
            held
        } else {
            format!("> {held}")
        };
        let until = l
            .until
            .map(|u| local(u, tz))
            .unwrap_or_else(|| h(CliMsg::ReportStillHeld).to_string());
        writeln!(
            out,
            "- {} · {} → {until} ({held}) · {}",
            l.plate,
            l.since
                .map(|t| local(t, tz))
                .unwrap_or_else(|| h(CliMsg::ReportBefore).to_string()),
            match &l.reason {
                Some(r) => r.clone(),
                None if l.flags.is_empty() => "-".to_string(),
                None => l
                    .flags
                    .iter()
                    .map(|f| wd(lang, *f).to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            }
        )?;
    }
    writeln!(out, "- {}: {}", h(CliMsg::ReportEscalations), s.escalations)?;
    writeln!(out)?;
    writeln!(out, "## {}", h(CliMsg::ReportOverdue))?;
    writeln!(out)?;
    if r.overdue_at_end.is_empty() {
        writeln!(out, "{}", h(CliMsg::ReportNone))?;
    }
    for o in &r.overdue_at_end {
        let plate = o
            .truck
            .as_ref()
            .map(|t| format!("{} ", t.plate))
            .unwrap_or_default();
        writeln!(
            out,
            "- {plate}{} · {}",
            super::boards::clock_what(lang, &o.kind),
            local(o.due, tz)
        )?;
    }
    writeln!(out)?;
    writeln!(out, "## {}", h(CliMsg::ReportHandoffsServices))?;
    writeln!(out)?;
    writeln!(
        out,
        "- {}: {} · {} {} · {} {}",
        h(CliMsg::ReportHandoffs),
        counts(
            lang,
            s.handoffs_started.iter().map(|(k, n)| (*k, *n)),
            |k| { wd(lang, k).to_string() }
        ),
        h(CliMsg::ReportDone),
        s.handoffs_done,
        h(CliMsg::ReportConfirmed),
        s.handoffs_confirmed
    )?;
    writeln!(
        out,
        "- {}: {} · {} {}",
        h(CliMsg::ReportServices),
        counts(
            lang,
            s.services_requested.iter().map(|(k, n)| (*k, *n)),
            |k| { wd(lang, k).to_string() }
        ),
        h(CliMsg::ReportDone),
        s.services_done
    )?;
    // A season's rounds by place; a shift's one by one.
    let rounds: Vec<String> = if s.disinfections.len() > crate::domain::report::ROUNDS_LISTED {
        s.rounds_by_place()
            .into_iter()
            .map(|(what, n, last)| {
                format!(
                    "{} ×{n} ({})",
                    place(lang, &what),
                    say(lang, CliMsg::LastAt, &[&local(last, tz)])
                )
            })
            .collect()
    } else {
        s.disinfections
            .iter()
            .map(|(what, at)| format!("{} {}", place(lang, what), local(*at, tz)))
            .collect()
    };
    writeln!(
        out,
        "- {}: {}",
        h(CliMsg::ReportDisinfections),
        if rounds.is_empty() {
            h(CliMsg::ReportNone).to_string()
        } else {
            rounds.join(" · ")
        }
    )?;
    for (b, reason, at) in &s.bays_closed {
        writeln!(
            out,
            "- {}",
            say(lang, CliMsg::ClosedAt, &[b, &local(*at, tz), reason])
        )?;
    }
    writeln!(out)?;
    writeln!(out, "## {}", h(CliMsg::ReportOverrides))?;
    writeln!(out)?;
    if s.overrides.is_empty()
        && s.policy_changes.is_empty()
        && s.disclosures.is_empty()
        && s.undos.is_empty()
        && s.purges.is_empty()
    {
        writeln!(out, "{}", h(CliMsg::ReportNone))?;
    }
    for o in &s.overrides {
        let plate = o.plate.as_ref().map(|p| p.to_string()).unwrap_or_default();
        let what = match o.what {
            "forced_departure" => h(CliMsg::ReportForcedDeparture),
            _ => h(CliMsg::ReportArrivalOverride),
        };
        let rules = if o.overridden.is_empty() {
            String::new()
        } else {
            format!(
                " ({})",
                crate::i18n::refusal::forced_past(lang, &o.overridden)
            )
        };
        writeln!(
            out,
            "- {} · {} · {plate} · {what}{rules}: {}",
            local(o.at, tz),
            o.operator,
            o.reason
        )?;
    }
    for (at, who) in &s.policy_changes {
        writeln!(
            out,
            "- {} · {who} · {}",
            local(*at, tz),
            h(CliMsg::EvPolicyChanged)
        )?;
    }
    for (at, who, what) in &s.disclosures {
        writeln!(
            out,
            "- {} · {who} · {}: {what}",
            local(*at, tz),
            h(CliMsg::EvDisclosed)
        )?;
    }
    // An action taken back is part of what the next shift must know: a
    // departure undone means the truck is on site again.
    for (at, who, plate, kind) in &s.undos {
        let plate = plate.as_ref().map(|p| p.to_string()).unwrap_or_default();
        writeln!(
            out,
            "- {} · {who} · {plate} · {}: {}",
            local(*at, tz),
            h(CliMsg::EvUndone),
            crate::i18n::refusal::kind_word(lang, kind)
        )?;
    }
    for (at, who, stays) in &s.purges {
        writeln!(
            out,
            "- {} · {who} · {} ({stays})",
            local(*at, tz),
            h(CliMsg::EvPurged)
        )?;
    }
    Ok(())
}

/// A disinfection round's place: a zone in the reader's words, a bay by
/// its id.
fn place(lang: Lang, what: &str) -> String {
    match what.parse::<crate::domain::bay::Zone>() {
        Ok(zone) => wd(lang, zone).to_string(),
        Err(_) => what.to_string(),
    }
}
