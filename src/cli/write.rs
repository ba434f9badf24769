//! The commands that change the lot: each builds one `ops::Op`, runs it
//! through `ops::execute` (one transaction) and prints what happened, and
//! what the operation proposes next.
//!
//! What lives elsewhere: the rules and the writing itself (`ops`), reads
//! (`cli::read`), the clap definitions (`cli::args`).

use std::io::Write;

use serde::Serialize;

use super::args::{ArriveArgs, Command, HandoffStep, ServiceStep};
use super::output::{self, local};
use super::{Failure, Setup};
use crate::domain::bay::{BayId, Zone};
use crate::domain::clock::SystemClock;
use crate::domain::event::{ArrivalRecord, Event, ServiceKind, Target};
use crate::domain::plate::Plate;
use crate::domain::policy::CheckFlag;
use crate::ops::{self, Ctx, Op, Outcome, Proposal};
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
    let tz = setup.config.timezone;
    let mut exec = |op: &Op| ops::execute(store, &ctx, op).map_err(Failure::from);
    match command {
        Command::Arrive(a) => {
            let json = a.json;
            let out_come = exec(&arrive_op(*a))?;
            arrived(&out_come, json, out)
        }
        Command::Move { plate, bay } => {
            let o = exec(&Op::Move { plate, to: bay })?;
            writeln!(out, "{} moved to {}", plate_of(&o), bay_of(&o))?;
            Ok(())
        }
        Command::Depart {
            plate,
            force: _,
            reason,
        } => {
            let o = exec(&Op::Depart {
                plate,
                force_reason: reason.clone(),
            })?;
            let stay = o.stay.map(|s| format!(", stay {s}")).unwrap_or_default();
            let forced = reason.map(|r| format!(", forced: {r}")).unwrap_or_default();
            writeln!(
                out,
                "{} departed from {}{stay}{forced}",
                plate_of(&o),
                bay_of(&o)
            )?;
            Ok(())
        }
        Command::Sample { plate, test } => {
            let o = exec(&Op::Sample {
                plate,
                test,
                tube: None,
                batch: None,
            })?;
            let due = o.events.iter().find_map(|(_, e)| match e {
                Event::SampleTaken { due, .. } => Some(*due),
                _ => None,
            });
            let due = due
                .map(|d| format!(", result due {}", local(d, tz)))
                .unwrap_or_default();
            writeln!(out, "{}: {test} sample taken{due}", plate_of(&o))?;
            Ok(())
        }
        Command::Result {
            plate,
            test,
            result,
        } => {
            let o = exec(&Op::Result {
                plate,
                test,
                result,
            })?;
            let p = plate_of(&o);
            writeln!(out, "{p}: {test} {result}")?;
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
                Some(Proposal::IsolateWaiting { .. }) | None => {}
            }
            Ok(())
        }
        Command::Isolate { plate, reason, bay } => {
            let o = exec(&Op::Isolate { plate, reason, bay })?;
            writeln!(out, "{} isolated in {}", plate_of(&o), bay_of(&o))?;
            Ok(())
        }
        Command::Release { plate, reason, bay } => {
            let o = exec(&Op::Release {
                plate,
                reason,
                by: setup.operator.clone(),
                bay,
            })?;
            writeln!(out, "{} released to {}", plate_of(&o), bay_of(&o))?;
            Ok(())
        }
        Command::Escalate { plate, note } => {
            let o = exec(&Op::Escalate { plate, note })?;
            writeln!(out, "{} escalated", plate_of(&o))?;
            Ok(())
        }
        Command::Handoff { plate, step } => match step {
            HandoffStep::Start { mode, to, bay } => {
                let o = exec(&Op::HandoffStart {
                    plate,
                    mode,
                    receiver: None,
                    company: None,
                    escort: to.filter(|t| !t.is_empty()),
                    by: None,
                    bay,
                })?;
                writeln!(
                    out,
                    "{}: {mode} handoff started in {}",
                    plate_of(&o),
                    bay_of(&o)
                )?;
                Ok(())
            }
            HandoffStep::Done => {
                let o = exec(&Op::HandoffDone { plate })?;
                writeln!(out, "{}: handoff done; it may depart", plate_of(&o))?;
                Ok(())
            }
        },
        Command::Service { plate, what, kind } => {
            let service = match what {
                ServiceStep::Meal => Some(ServiceKind::Meal),
                ServiceStep::Water => Some(ServiceKind::Water),
                ServiceStep::Medical => Some(ServiceKind::Medical),
                ServiceStep::Done => None,
            };
            match service {
                Some(_) if kind.is_some() => Err(Failure::Usage(
                    "--kind goes with 'service PLATE done' only (see --help)".into(),
                )),
                Some(service) => {
                    let o = exec(&Op::ServiceRequest { plate, service })?;
                    writeln!(out, "{}: {service} requested", plate_of(&o))?;
                    Ok(())
                }
                None => {
                    let o = exec(&Op::ServiceDone {
                        plate,
                        service: kind,
                    })?;
                    let k = kind.map(|k| format!("{k} ")).unwrap_or_default();
                    writeln!(out, "{}: {k}service call done", plate_of(&o))?;
                    Ok(())
                }
            }
        }
        Command::Disinfect { target } => {
            exec(&Op::Disinfect {
                target: target.clone(),
            })?;
            match target {
                Target::Zone(z) => writeln!(out, "disinfected: {z} zone")?,
                Target::Bay(b) => writeln!(out, "disinfected: bay {b}")?,
            }
            Ok(())
        }
        Command::Close { bay, reason } => {
            exec(&Op::CloseBay {
                bay: bay.clone(),
                reason: reason.clone(),
            })?;
            writeln!(out, "bay {bay} closed: {reason}")?;
            Ok(())
        }
        Command::Open { bay } => {
            exec(&Op::OpenBay { bay: bay.clone() })?;
            writeln!(out, "bay {bay} opened")?;
            Ok(())
        }
        other => Err(Failure::Env(format!(
            "internal: {other:?} is not a write command"
        ))),
    }
}

fn arrive_op(a: ArriveArgs) -> Op {
    let some = |s: Option<String>| s.filter(|t| !t.is_empty());
    Op::Arrive {
        arrival: ArrivalRecord {
            plate: a.plate,
            driver: some(a.driver),
            phone: a.phone,
            cargo: a.cargo,
            origin: some(a.origin),
            destination: some(a.destination),
            temperature: a.temp,
            code: a.code,
            travel_flag: a.travel,
            handoff_required: a.handoff_required,
            passengers: vec![],
            gate: None,
            venue_code: None,
        },
        bay: a.bay,
        override_reason: a.override_reason,
    }
}

fn arrived(o: &Outcome, json: bool, out: &mut dyn Write) -> Result<(), Failure> {
    let Some((stay, bay, flags, override_reason, plate)) =
        o.events.iter().find_map(|(_, e)| match e {
            Event::Arrived {
                stay,
                bay,
                flags,
                override_reason,
                arrival,
                ..
            } => Some((stay, bay, flags, override_reason, &arrival.plate)),
            _ => None,
        })
    else {
        return Err(Failure::Env(
            "internal: the arrival recorded no event".into(),
        ));
    };
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
        let words: Vec<&str> = flags.iter().map(|f| f.as_str()).collect();
        writeln!(out, "checks: {} → isolation", words.join(", "))?;
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
