//! `arrive`: the gate's record turned into `Op::Arrive` (the gate checked
//! against the site's gates, at most three passengers) and the arrival said
//! back — who the checks flagged, the zone, the override — or as JSON.
//!
//! What lives elsewhere: the rules (`ops::arrive`), the other write
//! commands (`cli::write`).

use std::io::Write;

use serde::Serialize;

use super::args::ArriveArgs;
use super::checks;
use super::output::{self, say, wd};
use super::write::line;
use super::{Failure, Setup};
use crate::domain::bay::{BayId, Zone};
use crate::domain::event::{ArrivalRecord, Event};
use crate::domain::plate::Plate;
use crate::domain::policy::{CheckFlag, Finding};
use crate::domain::text;
use crate::i18n::{CliMsg, Lang};
use crate::ops::{Op, Outcome};

/// `arrive --json`: the first four keys are the documented contract.
#[derive(Debug, Serialize)]
struct ArriveJson<'a> {
    stay: i64,
    plate: &'a Plate,
    bay: &'a BayId,
    zone: Zone,
    flags: &'a [CheckFlag],
    override_reason: Option<&'a str>,
    /// Flagged, but isolation was full: waiting in a work bay.
    holding: bool,
    /// Who was flagged for what (person 0 is the driver).
    findings: &'a [Finding],
}

pub(super) fn arrive_op(a: ArriveArgs, setup: &Setup) -> Result<Op, Failure> {
    let some = |s: Option<String>| s.filter(|t| !t.is_empty());
    let gates = &setup.config.gates;
    let gate = match a.gate {
        None => setup.config.gate.clone(),
        Some(g) => gates
            .iter()
            .find(|known| known.to_lowercase() == g.to_lowercase())
            .cloned()
            .ok_or_else(|| {
                Failure::Usage(say(
                    setup.lang,
                    CliMsg::UnknownGate,
                    &[&text::echo(&g), &gates.join(", ")],
                ))
            })?,
    };
    if a.passengers.len() > 3 {
        return Err(Failure::Usage(say(
            setup.lang,
            CliMsg::TooManyPassengers,
            &[&a.passengers.len()],
        )));
    }
    Ok(Op::Arrive {
        arrival: ArrivalRecord {
            plate: a.plate,
            driver: some(a.driver),
            phone: a.phone,
            cargo: a.cargo,
            origin: some(a.origin),
            destination: some(a.destination),
            temperature: Some(a.temp),
            code: Some(a.code),
            travel_flag: a.travel,
            handoff_required: a.handoff_required,
            passengers: a.passengers,
            gate: Some(gate),
            venue_code: Some(a.venue_scanned),
        },
        bay: a.bay,
        override_reason: a.override_reason,
    })
}

pub(super) fn arrived(
    o: &Outcome,
    json: bool,
    lang: Lang,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let Some(Event::Arrived {
        stay,
        bay,
        flags,
        override_reason,
        arrival,
        findings,
        holding,
    }) = o
        .events
        .iter()
        .map(|(_, e)| e)
        .find(|e| matches!(e, Event::Arrived { .. }))
    else {
        return Err(Failure::Env(
            "internal: the arrival recorded no event".into(),
        ));
    };
    let plate = &arrival.plate;
    if json {
        output::json(
            out,
            &ArriveJson {
                stay: stay.0,
                plate,
                bay,
                zone: bay.zone(),
                flags,
                override_reason: override_reason.as_deref(),
                holding: *holding,
                findings,
            },
        )?;
        return Ok(());
    }
    line(
        out,
        lang,
        CliMsg::Arrived,
        &[plate, stay, bay, &wd(lang, bay.zone())],
    )?;
    if !flags.is_empty() {
        let who = checks::described(lang, flags, findings, |n| {
            arrival.name_of(n).map(str::to_string)
        });
        line(
            out,
            lang,
            CliMsg::ChecksToIsolation,
            &[&who, &wd(lang, Zone::Isolation)],
        )?;
    }
    if let Some(r) = override_reason {
        line(out, lang, CliMsg::OverrideSaid, &[r])?;
    }
    Ok(())
}
