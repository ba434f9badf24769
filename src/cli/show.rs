//! `show PLATE|BAY`: one stay (everyone in the cab and their checks, the
//! gate, samples with their tubes, services, isolation and the decisions
//! taken, the handoff to its confirmation) or one bay, as a human summary or JSON. Phones are masked
//! unless `--unmasked`.
//!
//! What lives elsewhere: the queries (`Store::stay_detail`, `Store::lot`),
//! cell formatting (`cli::output`).

use std::io::Write;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::args::PlateOrBay;
use super::checks::described;
use super::output::{self, Fields, Table, duration_in, local, remaining, say, wd};
use super::{Failure, Setup};
use crate::domain::bay::{BayId, Zone};
use crate::domain::event::{HandoffMode, StayId, person_label};
use crate::domain::phone::Phone;
use crate::domain::plate::Plate;
use crate::domain::policy::{Cargo, CheckFlag, Finding, HealthCode};
use crate::domain::stay::Status;
use crate::i18n::words::person_in;
use crate::i18n::{CliMsg, Lang};
use crate::ops::Refusal;
use crate::store::{SampleView, ServiceView, StayDetail, Store};
use crate::tz::Tz;

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
    /// `null` once purged.
    code: Option<HealthCode>,
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
    /// `null` once purged.
    code: Option<HealthCode>,
    travel_flag: bool,
    handoff_required: bool,
    flags: Vec<String>,
    /// Who the checks flagged, for what: `[{"person":1,"flag":"fever"}]`.
    findings: Vec<Finding>,
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
        findings: d.findings.clone(),
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

fn bay_json(store: &Store, lang: Lang, bay: &BayId) -> Result<BayJson, Failure> {
    let view = store
        .bay_view(bay)
        .map_err(Failure::reading(lang, store))?
        .ok_or_else(|| Failure::op(lang, Refusal::UnknownBay(bay.clone()).into()))?;
    Ok(BayJson {
        bay: bay.clone(),
        zone: bay.zone(),
        closed: view.closed,
        disinfected_at: view.disinfected_at,
    })
}

/// A plate typed in part (`D17437`, `jinD174`) becomes the one truck it
/// names, as the interface's search finds it: on site first, else among
/// those that left. Several, or none, is a refusal that names them.
pub(super) fn resolve(
    store: &Store,
    setup: &Setup,
    target: PlateOrBay,
) -> Result<PlateOrBay, Failure> {
    let PlateOrBay::Partial(text) = target else {
        return Ok(target);
    };
    let lang = setup.lang;
    let q = crate::domain::plate::PlateQuery::new(&text);
    // On site first, holding list included.
    let mut found: Vec<Plate> = store
        .on_site_plates()
        .map_err(Failure::reading(lang, store))?
        .into_iter()
        .filter(|p| p.matches(&q))
        .collect();
    if found.is_empty() {
        found = store
            .departed_plates()
            .map_err(Failure::reading(lang, store))?
            .into_iter()
            .map(|d| d.plate)
            .filter(|p| p.matches(&q))
            .collect();
    }
    match found.as_slice() {
        [one] => Ok(PlateOrBay::Plate(one.clone())),
        [] => Err(Failure::Refused(say(
            lang,
            CliMsg::NoPlateMatches,
            &[&output::safe(&text)],
        ))),
        many => {
            const SHOWN: usize = 8;
            let mut list: Vec<String> = many.iter().take(SHOWN).map(|p| p.to_string()).collect();
            if many.len() > SHOWN {
                list.push(format!("… ({})", many.len()));
            }
            Err(Failure::Refused(say(
                lang,
                CliMsg::PlatesMatch,
                &[
                    &output::safe(&text),
                    &list.join(if lang == Lang::Zh { "、" } else { ", " }),
                ],
            )))
        }
    }
}

pub(super) fn show(
    store: &Store,
    setup: &Setup,
    target: &PlateOrBay,
    unmasked: bool,
    json: bool,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let lang = setup.lang;
    let (bay, stay) = match target {
        PlateOrBay::Plate(p) => {
            // A plate corrected since is found by the one first typed.
            let (id, corrected) = store
                .stay_named(p)
                .map_err(Failure::reading(lang, store))?
                .ok_or_else(|| Failure::Refused(say(lang, CliMsg::NeverOnSite, &[p])))?;
            let d = store
                .stay_detail(id)
                .map_err(Failure::reading(setup.lang, store))?;
            if let (true, false, Some(d)) = (corrected, json, &d) {
                writeln!(
                    out,
                    "{}",
                    say(lang, CliMsg::PlateCorrectedTo, &[p, &d.plate])
                )?;
            }
            let bay = match d.as_ref().and_then(|d| d.bay.clone()) {
                Some(b) => Some(bay_json(store, lang, &b)?),
                None => None,
            };
            (bay, d)
        }
        // Resolved by `resolve` before `show` is called.
        PlateOrBay::Partial(text) => {
            return Err(Failure::Refused(say(
                lang,
                CliMsg::NoPlateMatches,
                &[&output::safe(text)],
            )));
        }
        PlateOrBay::Bay(b) => {
            let bay = bay_json(store, lang, b)?;
            let d = match store
                .stay_in_bay(b)
                .map_err(Failure::reading(setup.lang, store))?
            {
                Some(id) => store
                    .stay_detail(id)
                    .map_err(Failure::reading(setup.lang, store))?,
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
    let lang = setup.lang;
    if let Some(b) = &bay {
        let state = match (&b.closed, &stay) {
            (Some(r), _) => say(lang, CliMsg::BayClosedBecause, &[r]),
            (None, Some(d)) => say(lang, CliMsg::BayOccupiedBy, &[&d.plate]),
            (None, None) => CliMsg::BayFree.text(lang).to_string(),
        };
        let dis = b
            .disinfected_at
            .map(|t| say(lang, CliMsg::BayDisinfected, &[&local(t, tz)]))
            .unwrap_or_default();
        writeln!(
            out,
            "{}",
            say(
                lang,
                CliMsg::BayLine,
                &[&b.bay, &wd(lang, b.zone), &state, &dis]
            )
        )?;
    }
    if let Some(d) = stay {
        show_stay(&d, unmasked, tz, lang, out)?;
    }
    Ok(())
}

fn show_stay(
    d: &StayDetail,
    unmasked: bool,
    tz: Tz,
    lang: Lang,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let now = output::now();
    let t = |m: CliMsg| m.text(lang);
    let where_ = match &d.bay {
        Some(b) => say(
            lang,
            CliMsg::StayWhere,
            &[b, &wd(lang, b.zone()), &local(d.bay_since, tz)],
        ),
        None => String::new(),
    };
    let head = format!(
        "{}  {}  {}  {where_}",
        d.plate,
        say(lang, CliMsg::StayN, &[&d.stay]),
        wd(lang, d.status)
    );
    writeln!(out, "{}", head.trim_end())?;
    let name = |n: u8| {
        d.people
            .iter()
            .find(|p| p.person == n)
            .and_then(|p| p.name.clone())
    };
    let checks = described(lang, &[], &d.findings, name);
    let mut f = Fields::new();
    let dash = |s: &Option<String>| s.clone().unwrap_or_else(|| "-".into());
    f.add(t(CliMsg::LabelDriver), dash(&d.driver));
    f.add(
        t(CliMsg::LabelPhone),
        phone_text(&d.phone, unmasked).unwrap_or_else(|| "-".into()),
    );
    let prio = if d.cargo.is_priority() {
        t(CliMsg::Priority)
    } else {
        ""
    };
    f.add(
        t(CliMsg::LabelCargo),
        format!("{}{prio}", wd(lang, d.cargo)),
    );
    let venue = match d.venue_code {
        Some(true) => t(CliMsg::VenueScanned),
        Some(false) => t(CliMsg::VenueNotScanned),
        None => t(CliMsg::VenueNotRecorded),
    };
    f.add(
        t(CliMsg::LabelGate),
        match &d.gate {
            Some(g) => say(lang, CliMsg::GateVenue, &[g, &venue]),
            None => say(lang, CliMsg::GateNotRecorded, &[&venue]),
        },
    );
    if d.origin.is_some() || d.destination.is_some() {
        f.add(
            t(CliMsg::LabelRoute),
            format!("{} → {}", dash(&d.origin), dash(&d.destination)),
        );
    }
    let temp = d
        .temperature
        .map(|t| format!("{t:.1} °C"))
        .unwrap_or_else(|| t(CliMsg::NoTemperature).into());
    let travel = if d.travel_flag {
        say(
            lang,
            CliMsg::AlsoTravel,
            &[&wd(lang, CheckFlag::TravelHistory)],
        )
    } else {
        String::new()
    };
    let flags = if d.findings.is_empty() {
        String::new()
    } else {
        say(lang, CliMsg::Flagged, &[&checks])
    };
    f.add(
        t(CliMsg::LabelChecks),
        say(
            lang,
            CliMsg::ChecksLine,
            &[&temp, &code_text(lang, d.code), &travel, &flags],
        ),
    );
    if d.handoff_required {
        f.add(t(CliMsg::LabelHandoff), t(CliMsg::HandoffRequired));
    }
    if let Some(r) = &d.override_reason {
        f.add(t(CliMsg::LabelOverride), r.clone());
    }
    f.add(t(CliMsg::LabelArrived), local(d.arrived_at, tz));
    if let Some(at) = d.departed_at {
        let forced = d
            .forced_reason
            .as_ref()
            .map(|r| say(lang, CliMsg::ForcedBecause, &[r]))
            .unwrap_or_default();
        f.add(
            t(CliMsg::LabelDeparted),
            format!("{}{forced}", local(at, tz)),
        );
    }
    if let Some(since) = d.isolated_at {
        // What someone typed, or else the checks that sent it there.
        let reason = d.isolation_reason.clone().unwrap_or_else(|| checks.clone());
        f.add(
            t(CliMsg::LabelIsolated),
            say(lang, CliMsg::WhenWhy, &[&local(since, tz), &reason]),
        );
    }
    if let Some(at) = d.escalated_at {
        f.add(
            t(CliMsg::LabelEscalated),
            say(
                lang,
                CliMsg::WhenNote,
                &[&local(at, tz), &dash(&d.escalation_note)],
            ),
        );
    }
    if let Some(at) = d.released_at {
        let by = d
            .released_by
            .as_ref()
            .map(|b| say(lang, CliMsg::ByName, &[b]))
            .unwrap_or_default();
        f.add(
            t(CliMsg::LabelReleased),
            format!(
                "{}{by}",
                say(
                    lang,
                    CliMsg::WhenNote,
                    &[&local(at, tz), &dash(&d.release_reason)]
                )
            ),
        );
    }
    if let Some(mode) = d.handoff_mode {
        let to = d
            .handoff_counterpart
            .as_ref()
            .map(|c| say(lang, CliMsg::HandoffTo, &[c]))
            .unwrap_or_default();
        let when = d
            .handoff_started_at
            .map(|at| say(lang, CliMsg::HandoffStartedAt, &[&local(at, tz)]))
            .unwrap_or_default();
        let by = d
            .handoff_by
            .as_ref()
            .map(|b| say(lang, CliMsg::AuthorisedByName, &[b]))
            .unwrap_or_default();
        let done = match (d.handoff_done_at, d.handoff_confirmed_at) {
            (Some(at), Some(c)) => say(
                lang,
                CliMsg::HandoffDoneConfirmed,
                &[&local(at, tz), &local(c, tz)],
            ),
            (Some(at), None) => say(lang, CliMsg::HandoffDoneUnconfirmed, &[&local(at, tz)]),
            (None, _) if d.handoff_stopped() => t(CliMsg::HandoffStopped).into(),
            (None, _) => t(CliMsg::HandoffUnderWay).into(),
        };
        f.add(
            t(CliMsg::LabelHandoff),
            format!("{}{to}{by}{when}{done}", wd(lang, mode)),
        );
    }
    f.print(out)?;
    if !d.people.is_empty() {
        writeln!(out)?;
        let mut table = Table::new(&[
            t(CliMsg::ColPerson),
            t(CliMsg::ColName),
            t(CliMsg::ColPhone),
            t(CliMsg::ColTemp),
            t(CliMsg::ColCode),
            t(CliMsg::ColChecked),
        ]);
        for p in &d.people {
            table.row(vec![
                person_in(lang, p.person, None),
                dash(&p.name),
                phone_text(&p.phone, unmasked).unwrap_or_else(|| "-".into()),
                p.temperature
                    .map(|t| format!("{t:.1} °C"))
                    .unwrap_or_else(|| "-".into()),
                p.code
                    .map_or_else(|| "-".to_string(), |c| wd(lang, c).to_string()),
                local(p.checked_at, tz),
            ]);
        }
        table.print(out)?;
    }
    if !d.samples.is_empty() {
        writeln!(out)?;
        let mut table = Table::new(&[
            t(CliMsg::ColTest),
            t(CliMsg::ColTube),
            t(CliMsg::ColBatch),
            t(CliMsg::ColTaken),
            t(CliMsg::ColDue),
            t(CliMsg::ColResult),
        ]);
        for s in &d.samples {
            let result = match (s.result, s.result_at) {
                (Some(r), Some(at)) => say(lang, CliMsg::WhenWhy, &[&wd(lang, r), &local(at, tz)]),
                (Some(r), None) => wd(lang, r).to_string(),
                (None, _) if d.departed_at.is_some() => t(CliMsg::NoResult).into(),
                (None, _) => say(
                    lang,
                    CliMsg::PendingLeft,
                    &[&remaining(lang, s.due_at - now)],
                ),
            };
            table.row(vec![
                wd(lang, s.test).to_string(),
                dash(&s.tube),
                dash(&s.batch),
                local(s.taken_at, tz),
                local(s.due_at, tz),
                result,
            ]);
        }
        table.print(out)?;
    }
    if !d.services.is_empty() {
        writeln!(out)?;
        let mut table = Table::new(&[
            t(CliMsg::ColService),
            t(CliMsg::ColRequested),
            t(CliMsg::ColDone),
        ]);
        for s in &d.services {
            let done = match s.done_at {
                Some(at) => say(
                    lang,
                    CliMsg::ServedAfter,
                    &[&local(at, tz), &duration_in(lang, at - s.requested_at)],
                ),
                None => say(
                    lang,
                    CliMsg::OpenFor,
                    &[&duration_in(lang, now - s.requested_at)],
                ),
            };
            table.row(vec![
                wd(lang, s.service).to_string(),
                local(s.requested_at, tz),
                done,
            ]);
        }
        table.print(out)?;
    }
    Ok(())
}

/// "green code" / "绿码"; "-" once purged.
fn code_text(lang: Lang, code: Option<HealthCode>) -> String {
    match (lang, code) {
        (_, None) => "-".into(),
        (Lang::En, Some(code)) => format!("{code} code"),
        (_, Some(code)) => wd(lang, code).to_string(),
    }
}
