//! Whole-lot reads: `status` (occupancy per zone), and the integrity
//! commands `check` (state tables == a replay of the log) and `rebuild`.
//!
//! What lives elsewhere: `show`, `log` and the boards have their own files;
//! the queries and the replay are the store's.

use std::io::Write;

use serde::Serialize;

use super::output::{self, Table, say, wd};
use super::{Failure, Setup};
use crate::domain::clocks;
use crate::i18n::{CliMsg, Lang};
use crate::store::{CheckReport, Store, ZoneCount};

#[derive(Serialize)]
struct StatusJson<'a> {
    zones: &'a [ZoneCount],
}

pub(super) fn status(
    store: &Store,
    setup: &Setup,
    json: bool,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let zones = store
        .status()
        .map_err(Failure::reading(setup.lang, store))?;
    if json {
        output::json(out, &StatusJson { zones: &zones })?;
        return Ok(());
    }
    let lang = setup.lang;
    let h = |m: CliMsg| m.text(lang);
    let mut t = Table::new(&[
        h(CliMsg::ColZone),
        h(CliMsg::ColCapacity),
        h(CliMsg::ColOccupied),
        h(CliMsg::ColFree),
        h(CliMsg::ColClosed),
    ])
    .right(&[1, 2, 3, 4]);
    let mut total = [0usize; 4];
    for z in &zones {
        let n = [z.capacity, z.occupied, z.free, z.closed];
        for (a, b) in total.iter_mut().zip(n) {
            *a += b;
        }
        let mut row = vec![wd(lang, z.zone).to_string()];
        row.extend(n.iter().map(|v| v.to_string()));
        t.row(row);
    }
    let mut row = vec![h(CliMsg::Total).to_string()];
    row.extend(total.iter().map(|v| v.to_string()));
    t.row(row);
    t.print(out)?;
    let all = clocks::clocks(
        &store
            .clock_facts()
            .map_err(Failure::reading(setup.lang, store))?,
        &setup.config.policy,
    );
    let overdue = clocks::overdue_count(&all, output::now());
    if overdue > 0 {
        writeln!(out, "{}", say(lang, CliMsg::StatusOverdue, &[&overdue]))?;
    }
    Ok(())
}

pub(super) fn check(store: &mut Store, setup: &Setup, out: &mut dyn Write) -> Result<(), Failure> {
    let lang = setup.lang;
    let r = store.check().map_err(|e| Failure::store(lang, e))?;
    writeln!(out, "{}", verdict(lang, &r))?;
    if r.ok() {
        return Ok(());
    }
    // The differences are the store's own description of rows (English).
    for d in &r.differences {
        writeln!(out, "  {}", output::safe(d))?;
    }
    Err(Failure::Refused(say(
        lang,
        CliMsg::CheckFailed,
        &[&r.differences.len()],
    )))
}

/// `check`'s one line: the state matches its log, or how many rows differ.
pub(super) fn verdict(lang: Lang, r: &CheckReport) -> String {
    if r.ok() {
        say(lang, CliMsg::CheckOk, &[&r.events])
    } else {
        say(
            lang,
            CliMsg::CheckDiffers,
            &[&r.differences.len(), &r.events],
        )
    }
}

pub(super) fn backup(
    store: &Store,
    setup: &Setup,
    to: &std::path::Path,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let lang = setup.lang;
    store.backup(to).map_err(|e| Failure::store(lang, e))?;
    writeln!(
        out,
        "{}",
        say(
            lang,
            CliMsg::BackedUp,
            &[
                &store
                    .event_count()
                    .map_err(Failure::reading(setup.lang, store))?,
                &output::safe(&to.display().to_string())
            ]
        )
    )?;
    Ok(())
}

pub(super) fn rebuild(
    store: &mut Store,
    setup: &Setup,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let lang = setup.lang;
    let events = store.event_count().map_err(Failure::reading(lang, store))?;
    // The one command that holds the write lock for long: say so first, on
    // stderr (stdout stays the result), so a gate told "busy" meanwhile
    // has its reason on this screen.
    if !store.read_only() {
        eprintln!(
            "trucklot: {}",
            say(
                lang,
                CliMsg::RebuildHoldsLock,
                &[&output::safe(&store.path().display().to_string()), &events]
            )
        );
    }
    let r = store.rebuild().map_err(|e| Failure::store(lang, e))?;
    let line = if r.ok() {
        say(lang, CliMsg::RebuiltSame, &[&r.events])
    } else {
        say(
            lang,
            CliMsg::RebuiltReplaced,
            &[&r.events, &r.differences.len()],
        )
    };
    writeln!(out, "{line}")?;
    Ok(())
}
