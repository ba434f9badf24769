//! What an event says, in one short line of the interface language: the
//! log screen's kind and details columns.

use crate::domain::event::{Event, Field, Target};
use crate::domain::phone::Phone;
use crate::i18n::Msg;
use crate::i18n::words::word;
use crate::tui::shared::Shared;
use crate::tui::view::{findings_text, hhmm, person_text};

/// The kind of an event as people read it.
pub fn kind_text(sh: &Shared, e: &Event) -> String {
    match crate::i18n::event_kind_msg(e.kind()) {
        Some(m) => sh.t(m).to_string(),
        None => e.kind().to_string(),
    }
}

fn field_msg(f: Field) -> Msg {
    match f {
        Field::Plate => Msg::FieldPlate,
        Field::Driver => Msg::FieldDriver,
        Field::Phone => Msg::FieldPhone,
        Field::Cargo => Msg::FieldCargo,
        Field::Origin => Msg::FieldOrigin,
        Field::Destination => Msg::FieldDestination,
    }
}

/// One short line about an event: no names, phones masked.
pub fn summary(sh: &Shared, e: &Event) -> String {
    let x = |m: Msg, v: &str| sh.t(m).replace("{x}", v);
    let join = |parts: Vec<String>| {
        parts
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" · ")
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
            let mut parts = vec![sh.t(word(a.cargo)).to_string()];
            if let Some(t) = a.temperature {
                parts.push(format!("{t}"));
            }
            if let Some(c) = a.code {
                parts.push(sh.t(word(c)).to_string());
            }
            if !a.passengers.is_empty() {
                parts.push(
                    sh.t(Msg::SumPassengers)
                        .replace("{n}", &(a.passengers.len() + 1).to_string()),
                );
            }
            if !flags.is_empty() || !findings.is_empty() {
                parts.push(format!(
                    "{}: {}",
                    sh.t(Msg::Flagged),
                    findings_text(sh, findings, |_| None)
                ));
            }
            if *holding {
                parts.push(sh.t(Msg::StateHolding).to_string());
            }
            if let Some(r) = override_reason {
                parts.push(x(Msg::SumOverride, r));
            }
            join(parts)
        }
        Event::Moved { from, to, .. } => format!("{from} → {to}"),
        Event::Departed {
            forced, overridden, ..
        } => match forced {
            Some(r) if !overridden.is_empty() => sh
                .t(Msg::SumForcedPast)
                .replace(
                    "{y}",
                    &crate::i18n::refusal::forced_past(sh.session.lang, overridden),
                )
                .replace("{x}", r),
            Some(r) => x(Msg::SumForced, r),
            None => String::new(),
        },
        Event::SampleTaken { test, due, .. } => join(vec![
            sh.t(word(*test)).to_string(),
            x(Msg::SumDue, &hhmm(sh, *due)),
        ]),
        Event::ResultRecorded {
            test,
            result,
            reported_at,
            ..
        } => join(vec![
            format!("{} {}", sh.t(word(*test)), sh.t(word(*result))),
            reported_at
                .map(|t| x(Msg::SumReported, &hhmm(sh, t)))
                .unwrap_or_default(),
        ]),
        Event::Isolated {
            from, to, reason, ..
        } => format!("{from} → {to} · {reason}"),
        Event::Released {
            from,
            to,
            reason,
            by,
            ..
        } => join(vec![
            format!("{from} → {to} · {reason}"),
            by.as_ref()
                .map(|b| format!("{} {b}", sh.t(Msg::DecidedBy)))
                .unwrap_or_default(),
        ]),
        Event::Escalated { note, .. } => note.clone(),
        Event::HandoffStarted {
            from,
            to,
            mode,
            receiver,
            company,
            escort,
            counterpart,
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
            join(vec![
                sh.t(word(*mode)).to_string(),
                if who.is_empty() {
                    String::new()
                } else {
                    x(Msg::SumTo, &who.join(" "))
                },
                format!("{from} → {to}"),
                by.as_ref()
                    .map(|b| format!("{} {b}", sh.t(Msg::AuthorisedBy)))
                    .unwrap_or_default(),
            ])
        }
        Event::HandoffCompleted { .. }
        | Event::HandoffConfirmed { .. }
        | Event::BayOpened { .. } => String::new(),
        Event::PolicyChanged { .. } => sh.t(Msg::SumNewPolicy).to_string(),
        Event::Disclosed { what, .. } => what.clone(),
        Event::Corrected { changes, .. } => changes
            .iter()
            .map(|c| {
                let v = |o: &Option<String>| match (o, c.field) {
                    (None, _) => "-".to_string(),
                    (Some(p), Field::Phone) => Phone::parse(p)
                        .map(|p| p.masked())
                        .unwrap_or_else(|_| "***".into()),
                    (Some(t), _) => t.clone(),
                };
                format!(
                    "{}: {} → {}",
                    sh.t(field_msg(c.field)),
                    v(&c.old),
                    v(&c.new)
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
        Event::Rechecked {
            person,
            temperature,
            code,
            findings,
            ..
        } => {
            // A purged measurement leaves only who was rechecked.
            let mut parts = vec![person_text(sh, *person, None)];
            parts.extend(temperature.map(|t| t.to_string()));
            parts.extend(code.map(|c| sh.t(word(c)).to_string()));
            if !findings.is_empty() {
                let w: Vec<&str> = findings.iter().map(|f| sh.t(word(f.flag))).collect();
                parts.push(format!("{}: {}", sh.t(Msg::Flagged), w.join(", ")));
            }
            join(parts)
        }
        Event::ServiceRequested { service, .. } => sh.t(word(*service)).to_string(),
        Event::ServiceDone {
            call, at_departure, ..
        } => {
            if *at_departure {
                x(Msg::SumCallAtDeparture, &call.to_string())
            } else {
                x(Msg::SumCall, &call.to_string())
            }
        }
        Event::Disinfected { target } => match target {
            Target::Zone(z) => x(Msg::SumZone, sh.t(word(*z))),
            Target::Bay(b) => b.to_string(),
        },
        Event::BayClosed { reason, .. } => reason.clone(),
        Event::Purged { before, stays } => format!(
            "{}: {stays}",
            x(
                Msg::SumPurged,
                &before
                    .with_timezone(&sh.session.tz)
                    .format("%Y-%m-%d %H:%M")
                    .to_string()
            )
        ),
        Event::Undone {
            event, undone_kind, ..
        } => {
            let kind =
                crate::i18n::event_kind_msg(undone_kind).map_or(undone_kind.as_str(), |m| sh.t(m));
            format!("{} ({kind})", x(Msg::SumUndone, &event.to_string()))
        }
    }
}
