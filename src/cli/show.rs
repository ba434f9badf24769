//! `show PLATE|BAY`: one stay (everyone in the cab and their checks, the
//! gate, samples with their tubes, services, isolation and the decisions
//! taken, the handoff to its confirmation) or one bay, as a human summary or JSON. Phones are masked
//! unless `--unmasked`.
//!
//! What lives elsewhere: the queries (`Store::stay_detail`, `Store::lot`),
//! cell formatting (`cli::output`).

use std::io::Write;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use super::args::PlateOrBay;
use super::output::{self, Fields, Table, duration, local, remaining};
use super::{Failure, Setup};
use crate::domain::bay::{BayId, Zone};
use crate::domain::event::{HandoffMode, StayId, person_label};
use crate::domain::phone::Phone;
use crate::domain::plate::Plate;
use crate::domain::policy::{Cargo, HealthCode};
use crate::domain::stay::Status;
use crate::ops::Refusal;
use crate::store::{SampleView, ServiceView, StayDetail, Store};

#[derive(Serialize)]
struct ShowJson {
    bay: Option<BayJson>,
    stay: Option<StayJson>,
}

#[derive(Serialize)]
struct BayJson {
    bay: BayId,
    zone: Zone,
    /// The reason, when the bay is closed.
    closed: Option<String>,
    disinfected_at: Option<DateTime<Utc>>,
}

#[derive(Serialize)]
struct IsolationJson {
    reason: Option<String>,
    since: Option<DateTime<Utc>>,
    released_at: Option<DateTime<Utc>>,
    release_reason: Option<String>,
    escalated_at: Option<DateTime<Utc>>,
    escalation_note: Option<String>,
    /// Who decided the release.
    released_by: Option<String>,
}

#[derive(Serialize)]
struct HandoffJson {
    mode: Option<HandoffMode>,
    counterpart: Option<String>,
    started_at: Option<DateTime<Utc>>,
    done_at: Option<DateTime<Utc>>,
    /// Who authorised it (a truck under isolation's authority).
    by: Option<String>,
    /// When its arrival at the destination was confirmed.
    confirmed_at: Option<DateTime<Utc>>,
}

/// Someone in the cab with their latest measurement; person 0 is the driver.
#[derive(Serialize)]
struct PersonJson {
    person: u8,
    /// "driver", "passenger 1", …
    label: String,
    name: Option<String>,
    phone: Option<String>,
    temperature: Option<f64>,
    code: HealthCode,
    checked_at: DateTime<Utc>,
}

#[derive(Serialize)]
struct StayJson {
    stay: StayId,
    plate: Plate,
    status: Status,
    bay: Option<BayId>,
    zone: Option<Zone>,
    driver: Option<String>,
    phone: Option<String>,
    cargo: Cargo,
    priority: bool,
    origin: Option<String>,
    destination: Option<String>,
    temperature: Option<f64>,
    code: HealthCode,
    travel_flag: bool,
    handoff_required: bool,
    flags: Vec<String>,
    /// Who the checks flagged, for what: "fever: passenger 1 李四".
    findings: Option<String>,
    gate: Option<String>,
    /// Whether the venue code was scanned (null: not recorded).
    venue_code: Option<bool>,
    people: Vec<PersonJson>,
    override_reason: Option<String>,
    arrived_at: DateTime<Utc>,
    bay_since: DateTime<Utc>,
    departed_at: Option<DateTime<Utc>>,
    forced_reason: Option<String>,
    isolation: Option<IsolationJson>,
    handoff: Option<HandoffJson>,
    samples: Vec<SampleView>,
    services: Vec<ServiceView>,
}

fn phone_text(p: &Option<Phone>, unmasked: bool) -> Option<String> {
    p.as_ref()
        .map(|p| if unmasked { p.to_string() } else { p.masked() })
}

fn flag_words(flags: &str) -> Vec<String> {
    flags
        .split(',')
        .map(|f| f.trim().replace(' ', "_"))
        .filter(|f| !f.is_empty())
        .collect()
}

fn stay_json(d: StayDetail, unmasked: bool) -> StayJson {
    let isolation =
        (d.isolated_at.is_some() || d.isolation_reason.is_some()).then(|| IsolationJson {
            reason: d.isolation_reason.clone(),
            since: d.isolated_at,
            released_at: d.released_at,
            release_reason: d.release_reason.clone(),
            escalated_at: d.escalated_at,
            escalation_note: d.escalation_note.clone(),
            released_by: d.released_by.clone(),
        });
    let handoff = d.handoff_mode.map(|mode| HandoffJson {
        mode: Some(mode),
        counterpart: d.handoff_counterpart.clone(),
        started_at: d.handoff_started_at,
        done_at: d.handoff_done_at,
        by: d.handoff_by.clone(),
        confirmed_at: d.handoff_confirmed_at,
    });
    let people = d
        .people
        .iter()
        .map(|p| PersonJson {
            person: p.person,
            label: person_label(p.person, None),
            name: p.name.clone(),
            phone: phone_text(&p.phone, unmasked),
            temperature: p.temperature,
            code: p.code,
            checked_at: p.checked_at,
        })
        .collect();
    StayJson {
        phone: phone_text(&d.phone, unmasked),
        zone: d.bay.as_ref().map(BayId::zone),
        priority: d.cargo.is_priority(),
        flags: flag_words(&d.flags),
        findings: (!d.findings.is_empty()).then(|| d.findings.clone()),
        gate: d.gate.clone(),
        venue_code: d.venue_code,
        people,
        isolation,
        handoff,
        stay: d.stay,
        plate: d.plate,
        status: d.status,
        bay: d.bay,
        driver: d.driver,
        cargo: d.cargo,
        origin: d.origin,
        destination: d.destination,
        temperature: d.temperature,
        code: d.code,
        travel_flag: d.travel_flag,
        handoff_required: d.handoff_required,
        override_reason: d.override_reason,
        arrived_at: d.arrived_at,
        bay_since: d.bay_since,
        departed_at: d.departed_at,
        forced_reason: d.forced_reason,
        samples: d.samples,
        services: d.services,
    }
}

fn bay_json(store: &Store, bay: &BayId) -> Result<BayJson, Failure> {
    let view = store
        .bay_view(bay)?
        .ok_or_else(|| Failure::Refused(Refusal::UnknownBay(bay.clone()).to_string()))?;
    Ok(BayJson {
        bay: bay.clone(),
        zone: bay.zone(),
        closed: view.closed,
        disinfected_at: view.disinfected_at,
    })
}

pub(super) fn show(
    store: &Store,
    setup: &Setup,
    target: &PlateOrBay,
    unmasked: bool,
    json: bool,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let (bay, stay) = match target {
        PlateOrBay::Plate(p) => {
            let id = store
                .stay_of_plate(p)?
                .ok_or_else(|| Failure::Refused(format!("{p} has never been on site")))?;
            let d = store.stay_detail(id)?;
            let bay = match d.as_ref().and_then(|d| d.bay.clone()) {
                Some(b) => Some(bay_json(store, &b)?),
                None => None,
            };
            (bay, d)
        }
        PlateOrBay::Bay(b) => {
            let bay = bay_json(store, b)?;
            let d = match store.stay_in_bay(b)? {
                Some(id) => store.stay_detail(id)?,
                None => None,
            };
            (Some(bay), d)
        }
    };
    if json {
        let stay = stay.map(|d| stay_json(d, unmasked));
        output::json(out, &ShowJson { bay, stay })?;
        return Ok(());
    }
    let tz = setup.config.timezone;
    if let Some(b) = &bay {
        let state = match (&b.closed, &stay) {
            (Some(r), _) => format!("closed: {r}"),
            (None, Some(d)) => format!("occupied by {}", d.plate),
            (None, None) => "free".to_string(),
        };
        let dis = b
            .disinfected_at
            .map(|t| format!("; disinfected {}", local(t, tz)))
            .unwrap_or_default();
        writeln!(out, "bay {} ({}): {state}{dis}", b.bay, b.zone)?;
    }
    if let Some(d) = stay {
        show_stay(&d, unmasked, tz, out)?;
    }
    Ok(())
}

fn show_stay(d: &StayDetail, unmasked: bool, tz: Tz, out: &mut dyn Write) -> Result<(), Failure> {
    let now = output::now();
    let where_ = match &d.bay {
        Some(b) => format!("in {b} ({}) since {}", b.zone(), local(d.bay_since, tz)),
        None => String::new(),
    };
    let head = format!(
        "{}  stay {}  {}  {where_}",
        d.plate,
        d.stay,
        d.status.as_str()
    );
    writeln!(out, "{}", head.trim_end())?;
    let mut f = Fields::new();
    let dash = |s: &Option<String>| s.clone().unwrap_or_else(|| "-".into());
    f.add("driver", dash(&d.driver));
    f.add(
        "phone",
        phone_text(&d.phone, unmasked).unwrap_or_else(|| "-".into()),
    );
    let prio = if d.cargo.is_priority() {
        " (priority)"
    } else {
        ""
    };
    f.add("cargo", format!("{}{prio}", d.cargo));
    let venue = match d.venue_code {
        Some(true) => "venue code scanned",
        Some(false) => "venue code not scanned",
        None => "venue code not recorded",
    };
    f.add(
        "gate",
        match &d.gate {
            Some(g) => format!("{g}, {venue}"),
            None => format!("not recorded, {venue}"),
        },
    );
    if d.origin.is_some() || d.destination.is_some() {
        f.add(
            "route",
            format!("{} → {}", dash(&d.origin), dash(&d.destination)),
        );
    }
    let temp = d
        .temperature
        .map(|t| format!("{t:.1} °C"))
        .unwrap_or_else(|| "no temperature".into());
    let travel = if d.travel_flag {
        ", travel history"
    } else {
        ""
    };
    let flags = match (d.findings.is_empty(), d.flags.is_empty()) {
        (false, _) => format!("; flagged: {}", d.findings),
        (true, false) => format!("; flags: {}", d.flags),
        (true, true) => String::new(),
    };
    f.add("checks", format!("{temp}, {} code{travel}{flags}", d.code));
    if d.handoff_required {
        f.add("handoff", "required before departure");
    }
    if let Some(r) = &d.override_reason {
        f.add("override", r.clone());
    }
    f.add("arrived", local(d.arrived_at, tz));
    if let Some(t) = d.departed_at {
        let forced = d
            .forced_reason
            .as_ref()
            .map(|r| format!(" (forced: {r})"))
            .unwrap_or_default();
        f.add("departed", format!("{}{forced}", local(t, tz)));
    }
    if let Some(since) = d.isolated_at {
        let reason = d.isolation_reason.clone().unwrap_or_default();
        f.add("isolated", format!("{} ({reason})", local(since, tz)));
    }
    if let Some(t) = d.escalated_at {
        f.add(
            "escalated",
            format!("{}: {}", local(t, tz), dash(&d.escalation_note)),
        );
    }
    if let Some(t) = d.released_at {
        let by = d
            .released_by
            .as_ref()
            .map(|b| format!(" (by {b})"))
            .unwrap_or_default();
        f.add(
            "released",
            format!("{}: {}{by}", local(t, tz), dash(&d.release_reason)),
        );
    }
    if let Some(mode) = d.handoff_mode {
        let to = d
            .handoff_counterpart
            .as_ref()
            .map(|c| format!(" to {c}"))
            .unwrap_or_default();
        let when = d
            .handoff_started_at
            .map(|t| format!(", started {}", local(t, tz)))
            .unwrap_or_default();
        let by = d
            .handoff_by
            .as_ref()
            .map(|b| format!(", authorised by {b}"))
            .unwrap_or_default();
        let done = match (d.handoff_done_at, d.handoff_confirmed_at) {
            (Some(t), Some(c)) => format!(
                ", done {}, arrival confirmed {}",
                local(t, tz),
                local(c, tz)
            ),
            (Some(t), None) => format!(", done {}, arrival not confirmed yet", local(t, tz)),
            (None, _) => ", under way".into(),
        };
        f.add("handoff", format!("{mode}{to}{by}{when}{done}"));
    }
    f.print(out)?;
    if !d.people.is_empty() {
        writeln!(out)?;
        let mut t = Table::new(&["PERSON", "NAME", "PHONE", "TEMP", "CODE", "CHECKED"]);
        for p in &d.people {
            t.row(vec![
                person_label(p.person, None),
                dash(&p.name),
                phone_text(&p.phone, unmasked).unwrap_or_else(|| "-".into()),
                p.temperature
                    .map(|t| format!("{t:.1} °C"))
                    .unwrap_or_else(|| "-".into()),
                p.code.to_string(),
                local(p.checked_at, tz),
            ]);
        }
        t.print(out)?;
    }
    if !d.samples.is_empty() {
        writeln!(out)?;
        let mut t = Table::new(&["TEST", "TUBE", "BATCH", "TAKEN", "DUE", "RESULT"]);
        for s in &d.samples {
            let result = match (s.result, s.result_at) {
                (Some(r), Some(at)) => format!("{r} ({})", local(at, tz)),
                (Some(r), None) => r.to_string(),
                (None, _) if d.departed_at.is_some() => "none".into(),
                (None, _) => format!("pending, {}", remaining(s.due_at - now)),
            };
            t.row(vec![
                s.test.to_string(),
                dash(&s.tube),
                dash(&s.batch),
                local(s.taken_at, tz),
                local(s.due_at, tz),
                result,
            ]);
        }
        t.print(out)?;
    }
    if !d.services.is_empty() {
        writeln!(out)?;
        let mut t = Table::new(&["SERVICE", "REQUESTED", "DONE"]);
        for s in &d.services {
            let done = match s.done_at {
                Some(at) => format!(
                    "{} (after {})",
                    local(at, tz),
                    duration(at - s.requested_at)
                ),
                None => format!("open for {}", duration(now - s.requested_at)),
            };
            t.row(vec![s.service.to_string(), local(s.requested_at, tz), done]);
        }
        t.print(out)?;
    }
    Ok(())
}
