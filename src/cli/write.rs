//! The commands that change the lot: each builds one `ops::Op`, runs it
//! through `ops::execute` (one transaction) and prints what happened, and
//! what the operation proposes next.
//!
//! What lives elsewhere: the rules and the writing itself (`ops`), reads
//! (`cli::read`), the clap definitions (`cli::args`).

use std::io::Write;

use serde::Serialize;

use super::args::{ArriveArgs, Command, HandoffStep, ResultsStep, ServiceStep};
use super::output::{self, local};
use super::{Failure, Setup};
use crate::domain::bay::{BayId, Zone};
use crate::domain::clock::SystemClock;
use crate::domain::event::{
    ArrivalRecord, Event, HandoffMode, ServiceKind, Target, describe_findings, person_label,
};
use crate::domain::plate::Plate;
use crate::domain::policy::{CheckFlag, Finding};
use crate::domain::stay::blocker_list;
use crate::domain::text;
use crate::ops::{self, Ctx, ImportMode, Note, Op, Outcome, Proposal};
use crate::store::Store;

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

pub(super) fn run(
    store: &mut Store,
    setup: &Setup,
    command: Command,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let clock = SystemClock;
    let ctx = Ctx {
        operator: &setup.operator,
        terminal: &setup.terminal,
        clock: &clock,
        policy: &setup.config.policy,
    };
    if let Command::Results {
        step:
            ResultsStep::Import {
                file,
                dry_run,
                partial,
                json,
            },
    } = command
    {
        let mode = ImportMode { dry_run, partial };
        return super::import::import(store, &ctx, setup, &file, mode, json, out);
    }
    let (outcome, json) = one(store, &ctx, setup, command, out)?;
    if !json {
        after(&outcome, out)?;
    }
    Ok(())
}

fn exec(store: &mut Store, ctx: &Ctx<'_>, op: &Op) -> Result<Outcome, Failure> {
    ops::execute(store, ctx, op).map_err(Failure::from)
}

/// Runs one write command and prints its own line(s); returns what it did
/// (for the notes and proposals every write command prints the same way)
/// and whether the output is JSON.
fn one(
    store: &mut Store,
    ctx: &Ctx<'_>,
    setup: &Setup,
    command: Command,
    out: &mut dyn Write,
) -> Result<(Outcome, bool), Failure> {
    let tz = setup.config.timezone;
    let o = match command {
        Command::Arrive(a) => {
            let json = a.json;
            let o = exec(store, ctx, &arrive_op(*a, setup)?)?;
            arrived(&o, json, out)?;
            return Ok((o, json));
        }
        Command::Move { plate, bay } => {
            let o = exec(store, ctx, &Op::Move { plate, to: bay })?;
            writeln!(out, "{} moved to {}", plate_of(&o), bay_of(&o))?;
            o
        }
        Command::Depart {
            plate,
            force: _,
            reason,
        } => {
            let o = exec(
                store,
                ctx,
                &Op::Depart {
                    plate,
                    force_reason: reason,
                },
            )?;
            let stay = o.stay.map(|s| format!(", stay {s}")).unwrap_or_default();
            let forced = o
                .events
                .iter()
                .find_map(|(_, e)| match e {
                    Event::Departed {
                        forced: Some(r),
                        overridden,
                        ..
                    } => Some(format!(", forced past {}: {r}", overridden.join(", "))),
                    _ => None,
                })
                .unwrap_or_default();
            writeln!(
                out,
                "{} departed from {}{stay}{forced}",
                plate_of(&o),
                bay_of(&o)
            )?;
            o
        }
        Command::Sample {
            plate,
            test,
            id,
            batch,
        } => {
            let o = exec(
                store,
                ctx,
                &Op::Sample {
                    plate,
                    test,
                    tube: id,
                    batch,
                },
            )?;
            let (tube, batch, due) = o
                .events
                .iter()
                .find_map(|(_, e)| match e {
                    Event::SampleTaken {
                        tube, batch, due, ..
                    } => Some((tube.clone(), batch.clone(), Some(*due))),
                    _ => None,
                })
                .unwrap_or_default();
            let tube = tube.map(|t| format!(", tube {t}")).unwrap_or_default();
            let batch = batch.map(|b| format!(", batch {b}")).unwrap_or_default();
            let due = due
                .map(|d| format!(", result due {}", local(d, tz)))
                .unwrap_or_default();
            writeln!(
                out,
                "{}: {test} sample taken{tube}{batch}{due}",
                plate_of(&o)
            )?;
            o
        }
        Command::Result {
            plate,
            test,
            result,
        } => {
            let o = exec(
                store,
                ctx,
                &Op::Result {
                    plate,
                    test,
                    result,
                },
            )?;
            writeln!(out, "{}: {test} {result}", plate_of(&o))?;
            o
        }
        Command::Recheck {
            plate,
            person,
            temp,
            code,
        } => {
            let o = exec(
                store,
                ctx,
                &Op::Recheck {
                    plate,
                    person,
                    temperature: temp,
                    code,
                },
            )?;
            let name = |n: u8| -> Option<String> {
                let d = store.stay_detail(o.stay?).ok()??;
                d.people.into_iter().find(|p| p.person == n)?.name
            };
            let who = person_label(person, name(person).as_deref());
            writeln!(
                out,
                "{}: {who} rechecked: {temp}, {code} code",
                plate_of(&o)
            )?;
            if let Some(findings) = o.events.iter().find_map(|(_, e)| match e {
                Event::Rechecked { findings, .. } if !findings.is_empty() => Some(findings),
                _ => None,
            }) {
                writeln!(out, "checks: {}", describe_findings(findings, name))?;
            }
            o
        }
        Command::Isolate { plate, reason, bay } => {
            let o = exec(store, ctx, &Op::Isolate { plate, reason, bay })?;
            writeln!(out, "{} isolated in {}", plate_of(&o), bay_of(&o))?;
            o
        }
        Command::Release {
            plate,
            reason,
            by,
            bay,
        } => {
            let o = exec(
                store,
                ctx,
                &Op::Release {
                    plate,
                    reason,
                    by: by.clone(),
                    bay,
                },
            )?;
            writeln!(out, "{} released to {} by {by}", plate_of(&o), bay_of(&o))?;
            o
        }
        Command::Escalate { plate, note } => {
            let o = exec(store, ctx, &Op::Escalate { plate, note })?;
            writeln!(out, "{} escalated", plate_of(&o))?;
            o
        }
        Command::Handoff { plate, step } => handoff(store, ctx, setup, plate, step, out)?,
        Command::Service { plate, what, kind } => {
            let service = match what {
                ServiceStep::Meal => Some(ServiceKind::Meal),
                ServiceStep::Water => Some(ServiceKind::Water),
                ServiceStep::Medical => Some(ServiceKind::Medical),
                ServiceStep::Done => None,
            };
            match service {
                Some(_) if kind.is_some() => {
                    return Err(Failure::Usage(
                        "--kind goes with 'service PLATE done' only (see --help)".into(),
                    ));
                }
                Some(service) => {
                    let o = exec(store, ctx, &Op::ServiceRequest { plate, service })?;
                    writeln!(out, "{}: {service} requested", plate_of(&o))?;
                    o
                }
                None => {
                    let o = exec(
                        store,
                        ctx,
                        &Op::ServiceDone {
                            plate,
                            service: kind,
                        },
                    )?;
                    let k = kind.map(|k| format!("{k} ")).unwrap_or_default();
                    writeln!(out, "{}: {k}service call done", plate_of(&o))?;
                    o
                }
            }
        }
        Command::Disinfect { target } => {
            let o = exec(
                store,
                ctx,
                &Op::Disinfect {
                    target: target.clone(),
                },
            )?;
            match target {
                Target::Zone(z) => writeln!(out, "disinfected: {z} zone")?,
                Target::Bay(b) => writeln!(out, "disinfected: bay {b}")?,
            }
            o
        }
        Command::Close { bay, reason } => {
            let o = exec(
                store,
                ctx,
                &Op::CloseBay {
                    bay: bay.clone(),
                    reason: reason.clone(),
                },
            )?;
            writeln!(out, "bay {bay} closed: {reason}")?;
            o
        }
        Command::Open { bay } => {
            let o = exec(store, ctx, &Op::OpenBay { bay: bay.clone() })?;
            writeln!(out, "bay {bay} opened")?;
            o
        }
        other => {
            return Err(Failure::Env(format!(
                "internal: {other:?} is not a write command"
            )));
        }
    };
    Ok((o, false))
}

fn handoff(
    store: &mut Store,
    ctx: &Ctx<'_>,
    setup: &Setup,
    plate: Plate,
    step: HandoffStep,
    out: &mut dyn Write,
) -> Result<Outcome, Failure> {
    match step {
        HandoffStep::Start {
            mode,
            to,
            company,
            escort,
            by,
            bay,
        } => {
            match mode {
                HandoffMode::Transfer => {
                    if escort.is_some() {
                        return Err(Failure::Usage(
                            "--escort goes with --mode escort; a transfer takes --to PLATE --company NAME".into(),
                        ));
                    }
                    if to.is_none() || company.is_none() {
                        let missing = match (&to, &company) {
                            (None, None) => "--to PLATE and --company NAME",
                            (None, Some(_)) => "--to PLATE",
                            _ => "--company NAME",
                        };
                        return Err(Failure::Usage(format!(
                            "a cargo transfer needs the receiving vehicle and its company: missing {missing}"
                        )));
                    }
                }
                HandoffMode::Escort => {
                    if to.is_some() || company.is_some() {
                        return Err(Failure::Usage(
                            "--to and --company go with --mode transfer; an escort takes --escort UNIT [--by NAME]".into(),
                        ));
                    }
                    if escort.is_none() {
                        return Err(Failure::Usage(
                            "an escorted departure needs the escorting unit: missing --escort UNIT"
                                .into(),
                        ));
                    }
                }
            }
            let o = exec(
                store,
                ctx,
                &Op::HandoffStart {
                    plate,
                    mode,
                    receiver: to.clone(),
                    company: company.clone(),
                    escort: escort.clone(),
                    by: by.clone(),
                    bay,
                },
            )?;
            let mut who: Vec<String> = Vec::new();
            if let Some(t) = to {
                who.push(format!("to {t}"));
            }
            if let Some(c) = company {
                who.push(format!("company {c}"));
            }
            if let Some(e) = escort {
                who.push(format!("escort {e}"));
            }
            if let Some(b) = by {
                who.push(format!("authorised by {b}"));
            }
            let p = plate_of(&o);
            writeln!(
                out,
                "{p}: {mode} handoff started in {} ({})",
                bay_of(&o),
                who.join(", ")
            )?;
            writeln!(out, "when it is done: trucklot handoff {p} done")?;
            Ok(o)
        }
        HandoffStep::Done => {
            let o = exec(
                store,
                ctx,
                &Op::HandoffDone {
                    plate: plate.clone(),
                },
            )?;
            let p = plate_of(&o);
            let blockers = ops::departure_blockers(store, &setup.config.policy, &plate)
                .map_err(Failure::from)?;
            if blockers.is_empty() {
                writeln!(
                    out,
                    "{p}: handoff done; it may depart (trucklot depart {p})"
                )?;
            } else {
                writeln!(
                    out,
                    "{p}: handoff done; before it departs: {}",
                    blocker_list(&blockers)
                )?;
            }
            writeln!(
                out,
                "when it reaches its destination: trucklot handoff {p} confirm"
            )?;
            Ok(o)
        }
        HandoffStep::Confirm => {
            let o = exec(store, ctx, &Op::HandoffConfirm { plate })?;
            let stay = o.stay.map(|s| format!(" (stay {s})")).unwrap_or_default();
            writeln!(
                out,
                "{}: handoff arrival at the destination confirmed{stay}",
                plate_of(&o)
            )?;
            Ok(o)
        }
    }
}

/// What every write command prints after its own line: the notes (what else
/// happened) and the proposal (what to do next).
fn after(o: &Outcome, out: &mut dyn Write) -> Result<(), Failure> {
    let p = plate_of(o);
    for note in &o.notes {
        match note {
            Note::Holding => writeln!(
                out,
                "isolation is full: waiting on the holding list in {} \
                 (trucklot isolate {p} --reason … when a bay frees)",
                bay_of(o)
            )?,
            Note::ServiceClosedAtDeparture(kind) => writeln!(out, "closed the open {kind} call")?,
        }
    }
    match &o.proposal {
        Some(Proposal::Isolate { bay: Some(b) }) => writeln!(
            out,
            "propose: isolate in {b} (trucklot isolate {p} --reason …)"
        )?,
        Some(Proposal::Isolate { bay: None }) => writeln!(
            out,
            "propose: isolate; no isolation bay is free now (trucklot isolate {p} --reason …)"
        )?,
        Some(Proposal::Resample(t)) => {
            writeln!(out, "propose: resample (trucklot sample {p} {t})")?
        }
        Some(Proposal::IsolateWaiting { plate, bay }) => writeln!(
            out,
            "propose: an isolation bay is free: isolate {plate} (waiting for isolation) in {bay} \
             (trucklot isolate {plate} --bay {bay} --reason …)"
        )?,
        None => {}
    }
    Ok(())
}

fn arrive_op(a: ArriveArgs, setup: &Setup) -> Result<Op, Failure> {
    let some = |s: Option<String>| s.filter(|t| !t.is_empty());
    let gates = &setup.config.gates;
    let gate = match a.gate {
        None => setup.config.gate.clone(),
        Some(g) => gates
            .iter()
            .find(|known| known.to_lowercase() == g.to_lowercase())
            .cloned()
            .ok_or_else(|| {
                Failure::Usage(format!(
                    "'{}' is not one of this site's gates ({}); the gates are set by [site] gates in the config",
                    text::echo(&g),
                    gates.join(", ")
                ))
            })?,
    };
    Ok(Op::Arrive {
        arrival: ArrivalRecord {
            plate: a.plate,
            driver: some(a.driver),
            phone: a.phone,
            cargo: a.cargo,
            origin: some(a.origin),
            destination: some(a.destination),
            temperature: Some(a.temp),
            code: a.code,
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

fn arrived(o: &Outcome, json: bool, out: &mut dyn Write) -> Result<(), Failure> {
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
    writeln!(
        out,
        "{plate} arrived: stay {stay}, bay {bay} ({})",
        bay.zone()
    )?;
    if !flags.is_empty() {
        let who = if findings.is_empty() {
            flags
                .iter()
                .map(|f| f.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        } else {
            describe_findings(findings, |n| arrival.name_of(n).map(str::to_string))
        };
        writeln!(out, "checks: {who} → isolation")?;
    }
    if let Some(r) = override_reason {
        writeln!(out, "override: {r}")?;
    }
    Ok(())
}

fn plate_of(o: &Outcome) -> String {
    o.plate.as_ref().map(|p| p.to_string()).unwrap_or_default()
}

fn bay_of(o: &Outcome) -> String {
    o.bay.as_ref().map(|b| b.to_string()).unwrap_or_default()
}
