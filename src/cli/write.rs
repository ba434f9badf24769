//! The commands that change the lot: each builds one `ops::Op`, runs it
//! through `ops::execute` (one transaction) and prints what happened, and
//! what the operation proposes next.
//!
//! What lives elsewhere: the rules and the writing itself (`ops`), reads
//! (`cli::read`), the clap definitions (`cli::args`).

use std::io::Write;

use super::args::{Command, HandoffStep, ResultsStep, ServiceStep};
use super::arrive::{arrive_op, arrived};
use super::checks;
use super::output::{self, local, say, wd};
use super::{Failure, Setup};
use crate::domain::clock::SystemClock;
use crate::domain::event::{Event, Field, HandoffMode, ServiceKind, Target};
use crate::domain::plate::Plate;
use crate::i18n::refusal::blocker_text;
use crate::i18n::words::person_in;
use crate::i18n::{CliMsg, Lang};
use crate::ops::{self, Ctx, ImportMode, Note, Op, Outcome, Proposal};
use crate::store::Store;

pub(super) fn run(
    store: &mut Store,
    setup: &Setup,
    command: Command,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let clock = SystemClock;
    let ctx = setup.ctx(&clock);
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
        if setup.action.is_some() {
            return Err(Failure::Usage(
                CliMsg::ActionIdOneAction.text(setup.lang).to_string(),
            ));
        }
        let mode = ImportMode { dry_run, partial };
        return super::import::import(store, &ctx, setup, &file, mode, json, out);
    }
    let (outcome, json) = one(store, &ctx, setup, command, out)?;
    if !json {
        after(&outcome, setup.lang, out)?;
    }
    Ok(())
}

fn exec(store: &mut Store, ctx: &Ctx<'_>, lang: Lang, op: &Op) -> Result<Outcome, Failure> {
    ops::execute(store, ctx, op).map_err(|e| Failure::op(lang, e))
}

/// Writes one catalogue line.
pub(super) fn line(
    out: &mut dyn Write,
    lang: Lang,
    m: CliMsg,
    args: &[&dyn std::fmt::Display],
) -> Result<(), Failure> {
    writeln!(out, "{}", say(lang, m, args))?;
    Ok(())
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
    let lang = setup.lang;
    let o = match command {
        Command::Arrive(a) => {
            let json = a.json;
            let o = exec(store, ctx, lang, &arrive_op(*a, setup)?)?;
            arrived(&o, json, lang, out)?;
            return Ok((o, json));
        }
        Command::Move { plate, bay } => {
            let o = exec(store, ctx, lang, &Op::Move { plate, to: bay })?;
            line(out, lang, CliMsg::Moved, &[&plate_of(&o), &bay_of(&o)])?;
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
                lang,
                &Op::Depart {
                    plate,
                    force_reason: reason,
                },
            )?;
            let stay = o
                .stay
                .map(|s| say(lang, CliMsg::CommaStay, &[&s]))
                .unwrap_or_default();
            let forced = o
                .events
                .iter()
                .find_map(|(_, e)| match e {
                    Event::Departed {
                        forced: Some(r),
                        overridden,
                        ..
                    } => Some(say(
                        lang,
                        CliMsg::CommaForcedPast,
                        &[&crate::i18n::refusal::forced_past(lang, overridden), r],
                    )),
                    _ => None,
                })
                .unwrap_or_default();
            line(
                out,
                lang,
                CliMsg::Departed,
                &[&plate_of(&o), &bay_of(&o), &stay, &forced],
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
                lang,
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
            let tube = tube
                .map(|t| say(lang, CliMsg::CommaTube, &[&t]))
                .unwrap_or_default();
            let batch = batch
                .map(|b| say(lang, CliMsg::CommaBatch, &[&b]))
                .unwrap_or_default();
            let due = due
                .map(|d| say(lang, CliMsg::CommaResultDue, &[&local(d, tz)]))
                .unwrap_or_default();
            line(
                out,
                lang,
                CliMsg::SampleTaken,
                &[&plate_of(&o), &wd(lang, test), &tube, &batch, &due],
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
                lang,
                &Op::Result {
                    plate,
                    test,
                    result,
                },
            )?;
            line(
                out,
                lang,
                CliMsg::ResultLine,
                &[&plate_of(&o), &wd(lang, test), &wd(lang, result)],
            )?;
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
                lang,
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
            let who = person_in(lang, person, name(person).as_deref());
            line(
                out,
                lang,
                CliMsg::Rechecked,
                &[&plate_of(&o), &who, &temp, &wd(lang, code)],
            )?;
            if let Some(findings) = o.events.iter().find_map(|(_, e)| match e {
                Event::Rechecked { findings, .. } if !findings.is_empty() => Some(findings),
                _ => None,
            }) {
                let found = checks::described(lang, &[], findings, name);
                line(out, lang, CliMsg::ChecksSaid, &[&found])?;
            }
            o
        }
        Command::Correct {
            plate,
            new_plate,
            driver,
            phone,
            cargo,
            origin,
            destination,
        } => {
            let changes: Vec<(Field, String)> = [
                (Field::Plate, new_plate.map(|p| p.to_string())),
                (Field::Driver, driver),
                (Field::Phone, phone),
                (Field::Cargo, cargo.map(|c| c.to_string())),
                (Field::Origin, origin),
                (Field::Destination, destination),
            ]
            .into_iter()
            .filter_map(|(f, v)| Some((f, v?)))
            .collect();
            if changes.is_empty() {
                return Err(Failure::Usage(CliMsg::CorrectWhat.text(lang).into()));
            }
            let o = exec(store, ctx, lang, &Op::Correct { plate, changes })?;
            for (_, e) in &o.events {
                if let Event::Corrected { changes, .. } = e {
                    for c in changes {
                        let v = |x: &Option<String>| match (x, c.field) {
                            (None, _) => "-".to_string(),
                            (Some(p), Field::Phone) => crate::domain::phone::Phone::parse(p)
                                .map(|p| p.masked())
                                .unwrap_or_else(|_| "***".into()),
                            (Some(t), _) => t.clone(),
                        };
                        line(
                            out,
                            lang,
                            CliMsg::CorrectedField,
                            &[&plate_of(&o), &c.field, &v(&c.old), &v(&c.new)],
                        )?;
                    }
                }
            }
            o
        }
        Command::Isolate { plate, reason, bay } => {
            let o = exec(store, ctx, lang, &Op::Isolate { plate, reason, bay })?;
            line(out, lang, CliMsg::Isolated, &[&plate_of(&o), &bay_of(&o)])?;
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
                lang,
                &Op::Release {
                    plate,
                    reason,
                    by: by.clone(),
                    bay,
                },
            )?;
            line(
                out,
                lang,
                CliMsg::Released,
                &[&plate_of(&o), &bay_of(&o), &by],
            )?;
            o
        }
        Command::Escalate { plate, note } => {
            let o = exec(store, ctx, lang, &Op::Escalate { plate, note })?;
            line(out, lang, CliMsg::Escalated, &[&plate_of(&o)])?;
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
                    return Err(Failure::Usage(CliMsg::KindOnlyWithDone.text(lang).into()));
                }
                Some(service) => {
                    let o = exec(store, ctx, lang, &Op::ServiceRequest { plate, service })?;
                    line(
                        out,
                        lang,
                        CliMsg::ServiceRequested,
                        &[&plate_of(&o), &wd(lang, service)],
                    )?;
                    o
                }
                None => {
                    let o = exec(
                        store,
                        ctx,
                        lang,
                        &Op::ServiceDone {
                            plate,
                            service: kind,
                        },
                    )?;
                    match kind {
                        Some(k) => line(
                            out,
                            lang,
                            CliMsg::ServiceKindDone,
                            &[&plate_of(&o), &wd(lang, k)],
                        )?,
                        None => line(out, lang, CliMsg::ServiceDone, &[&plate_of(&o)])?,
                    }
                    o
                }
            }
        }
        Command::Disinfect { target } => {
            let o = exec(
                store,
                ctx,
                lang,
                &Op::Disinfect {
                    target: target.clone(),
                },
            )?;
            let what = match target {
                Target::Zone(z) => say(lang, CliMsg::ZoneNamed, &[&wd(lang, z)]),
                Target::Bay(b) => say(lang, CliMsg::BayNamed, &[&b]),
            };
            line(out, lang, CliMsg::Disinfected, &[&what])?;
            o
        }
        Command::Close { bay, reason } => {
            let o = exec(
                store,
                ctx,
                lang,
                &Op::CloseBay {
                    bay: bay.clone(),
                    reason: reason.clone(),
                },
            )?;
            line(out, lang, CliMsg::BayClosed, &[&bay, &reason])?;
            o
        }
        Command::Open { bay } => {
            let o = exec(store, ctx, lang, &Op::OpenBay { bay: bay.clone() })?;
            line(out, lang, CliMsg::BayOpened, &[&bay])?;
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
    let lang = setup.lang;
    let usage = |m: CliMsg| Failure::Usage(m.text(lang).to_string());
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
                        return Err(usage(CliMsg::EscortGoesWithEscort));
                    }
                    if to.is_none() || company.is_none() {
                        let missing = match (&to, &company) {
                            (None, None) => CliMsg::ToAndCompany.text(lang),
                            (None, Some(_)) => "--to PLATE",
                            _ => "--company NAME",
                        };
                        return Err(Failure::Usage(say(
                            lang,
                            CliMsg::TransferMissing,
                            &[&missing],
                        )));
                    }
                    if let (Some(t), Some(c)) = (&to, &company)
                        && *t == plate
                    {
                        return Err(Failure::Usage(say(lang, CliMsg::ReceiverIsItself, &[t, c])));
                    }
                }
                HandoffMode::Escort => {
                    if to.is_some() || company.is_some() {
                        return Err(usage(CliMsg::ToGoesWithTransfer));
                    }
                    if escort.is_none() {
                        return Err(usage(CliMsg::EscortMissing));
                    }
                }
            }
            let o = exec(
                store,
                ctx,
                lang,
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
                who.push(say(lang, CliMsg::WhoTo, &[&t]));
            }
            if let Some(c) = company {
                who.push(say(lang, CliMsg::WhoCompany, &[&c]));
            }
            if let Some(e) = escort {
                who.push(say(lang, CliMsg::WhoEscort, &[&e]));
            }
            if let Some(b) = by {
                who.push(say(lang, CliMsg::WhoAuthorised, &[&b]));
            }
            let p = plate_of(&o);
            line(
                out,
                lang,
                CliMsg::HandoffStarted,
                &[&p, &wd(lang, mode), &bay_of(&o), &output::list(lang, &who)],
            )?;
            line(out, lang, CliMsg::WhenDone, &[&p])?;
            Ok(o)
        }
        HandoffStep::Done => {
            let o = exec(
                store,
                ctx,
                lang,
                &Op::HandoffDone {
                    plate: plate.clone(),
                },
            )?;
            let p = plate_of(&o);
            let blockers = ops::departure_blockers(store, &setup.config.policy, &plate)
                .map_err(|e| Failure::op(lang, e))?;
            if blockers.is_empty() {
                line(out, lang, CliMsg::HandoffDoneMayGo, &[&p])?;
            } else {
                let list: Vec<String> = blockers.iter().map(|b| blocker_text(lang, b)).collect();
                let sep = match lang {
                    Lang::En => "; ",
                    _ => "；",
                };
                line(
                    out,
                    lang,
                    CliMsg::HandoffDoneBlocked,
                    &[&p, &list.join(sep)],
                )?;
            }
            line(out, lang, CliMsg::WhenArrived, &[&p])?;
            Ok(o)
        }
        HandoffStep::Confirm => {
            let o = exec(store, ctx, lang, &Op::HandoffConfirm { plate })?;
            let stay = o
                .stay
                .map(|s| say(lang, CliMsg::ParenStay, &[&s]))
                .unwrap_or_default();
            line(out, lang, CliMsg::HandoffConfirmed, &[&plate_of(&o), &stay])?;
            Ok(o)
        }
    }
}

/// What every write command prints after its own line: the notes (what else
/// happened) and the proposal (what to do next).
fn after(o: &Outcome, lang: Lang, out: &mut dyn Write) -> Result<(), Failure> {
    let p = plate_of(o);
    for note in &o.notes {
        match note {
            Note::Holding => line(out, lang, CliMsg::NoteHolding, &[&bay_of(o), &p])?,
            Note::ServiceClosedAtDeparture(kind) => {
                line(out, lang, CliMsg::NoteServiceClosed, &[&wd(lang, *kind)])?
            }
            Note::PositiveAfterDeparture => line(out, lang, CliMsg::NotePositiveLeft, &[&p])?,
            Note::ReportOwed => line(out, lang, CliMsg::NoteReportOwed, &[&p])?,
            Note::PositiveCarried => line(out, lang, CliMsg::NotePositiveCarried, &[&p])?,
        }
    }
    match &o.proposal {
        Some(Proposal::Isolate { bay: Some(b) }) => {
            line(out, lang, CliMsg::ProposeIsolateIn, &[b, &p])?
        }
        Some(Proposal::Isolate { bay: None }) => {
            line(out, lang, CliMsg::ProposeIsolateNoBay, &[&p])?
        }
        // The command keeps the test's key: it is what `sample` takes.
        Some(Proposal::Resample(t)) => line(out, lang, CliMsg::ProposeResample, &[&p, t])?,
        Some(Proposal::IsolateWaiting { plate, bay }) => {
            line(out, lang, CliMsg::ProposeIsolateWaiting, &[plate, bay])?
        }
        None => {}
    }
    Ok(())
}

fn plate_of(o: &Outcome) -> String {
    o.plate.as_ref().map(|p| p.to_string()).unwrap_or_default()
}

fn bay_of(o: &Outcome) -> String {
    o.bay.as_ref().map(|b| b.to_string()).unwrap_or_default()
}
