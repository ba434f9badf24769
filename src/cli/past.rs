//! `at TIME`: the lot as it was at a past moment — occupancy per zone, the
//! trucks in their bays (what each was waiting for), the closed bays — as a
//! table, JSON or CSV. Read from the store's stretches of occupancy, not by
//! replaying the log.
//!
//! What lives elsewhere: the query (`Store::lot_at`), the time forms
//! (`cli::values`).

use std::io::Write;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::args::{TableFormat, TimeArg};
use super::output::{self, Table, csv, local, say, wd};
use super::{Failure, Setup};
use crate::i18n::CliMsg;
use crate::store::{PastClosure, PastOccupant, Store, ZoneAt};

#[derive(Serialize)]
struct AtJson<'a> {
    at: DateTime<Utc>,
    zones: Vec<ZoneAt>,
    occupants: &'a [PastOccupant],
    closed: &'a [PastClosure],
    /// The isolation board as it stood then.
    isolation: Vec<super::boards::BoardRowJson<'a>>,
}

pub(super) fn at(
    store: &Store,
    setup: &Setup,
    time: TimeArg,
    format: TableFormat,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let tz = setup.config.timezone;
    let lang = setup.lang;
    let t = time
        .resolve(tz)
        .ok_or_else(|| Failure::Usage(say(lang, CliMsg::NoSuchLocalTime, &[&"TIME", &tz])))?;
    // A moment to come would show the lot now with stays "held" until
    // then. (The minute under way is now: times are typed to the minute.)
    if t > output::now() + chrono::Duration::minutes(1) {
        return Err(Failure::Usage(say(
            lang,
            CliMsg::MomentToCome,
            &[&output::local(t, tz)],
        )));
    }
    let past = store
        .lot_at(t)
        .map_err(Failure::reading(setup.lang, store))?;
    let zones = past.zones(store.layout());
    let facts = crate::domain::clocks::ClockFacts {
        samples: past.isolation.pending.clone(),
        isolations: past.isolation.isolations.clone(),
        ..Default::default()
    };
    let board = crate::domain::clocks::isolation_board(&facts, &setup.config.policy, t);
    if format.json {
        output::json(
            out,
            &AtJson {
                at: t,
                zones,
                occupants: &past.occupants,
                closed: &past.closed,
                isolation: super::boards::isolation_json(&board),
            },
        )?;
        return Ok(());
    }
    let pending = |o: &PastOccupant| {
        o.pending
            .iter()
            .map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    if format.csv {
        let rows: Vec<Vec<String>> = past
            .occupants
            .iter()
            .map(|o| {
                vec![
                    o.bay.to_string(),
                    o.bay.zone().to_string(),
                    o.plate.to_string(),
                    o.stay.to_string(),
                    o.since.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                    pending(o),
                    o.positive.to_string(),
                ]
            })
            .collect();
        csv(
            out,
            &[
                "bay", "zone", "plate", "stay", "since", "pending", "positive",
            ],
            &rows,
        )?;
        return Ok(());
    }
    let h = |m: CliMsg| m.text(lang);
    writeln!(out, "{}", say(lang, CliMsg::LotAt, &[&local(t, tz)]))?;
    let mut z = Table::new(&[
        h(CliMsg::ColZone),
        h(CliMsg::ColCapacity),
        h(CliMsg::ColOccupied),
        h(CliMsg::ColFree),
        h(CliMsg::ColClosed),
    ])
    .right(&[1, 2, 3, 4]);
    for c in &zones {
        z.row(vec![
            wd(lang, c.zone).to_string(),
            c.capacity.to_string(),
            c.occupied.to_string(),
            c.free.to_string(),
            c.closed.to_string(),
        ]);
    }
    z.print(out)?;
    if past.occupants.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    let mut b = Table::new(&[
        h(CliMsg::ColBay),
        h(CliMsg::ColPlate),
        h(CliMsg::ColSince),
        h(CliMsg::ColPending),
    ]);
    for o in &past.occupants {
        let mut p: Vec<String> = o.pending.iter().map(|t| wd(lang, *t).to_string()).collect();
        if o.positive {
            p.push(h(CliMsg::PositiveMark).to_string());
        }
        b.row(vec![
            o.bay.to_string(),
            o.plate.to_string(),
            local(o.since, tz),
            p.join(" "),
        ]);
    }
    b.print(out)?;
    for c in &past.closed {
        writeln!(
            out,
            "{}",
            say(
                lang,
                CliMsg::ClosedAt,
                &[&c.bay, &local(c.since, tz), &c.reason]
            )
        )?;
    }
    if !board.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", say(lang, CliMsg::IsolationAt, &[&local(t, tz)]))?;
        super::boards::isolation_board(store, setup, &board, t, format, out)?;
    }
    Ok(())
}
