//! Whole-lot reads: `status` (occupancy per zone), and the integrity
//! commands `check` (state tables == a replay of the log) and `rebuild`.
//!
//! What lives elsewhere: `show`, `log` and the boards have their own files;
//! the queries and the replay are the store's.

use std::io::Write;

use serde::Serialize;

use super::output::{self, Table};
use super::{Failure, Setup};
use crate::domain::clocks;
use crate::store::{Store, ZoneCount};

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
    let zones = store.status()?;
    if json {
        output::json(out, &StatusJson { zones: &zones })?;
        return Ok(());
    }
    let mut t =
        Table::new(&["ZONE", "CAPACITY", "OCCUPIED", "FREE", "CLOSED"]).right(&[1, 2, 3, 4]);
    let mut total = [0usize; 4];
    for z in &zones {
        let n = [z.capacity, z.occupied, z.free, z.closed];
        for (a, b) in total.iter_mut().zip(n) {
            *a += b;
        }
        let mut row = vec![z.zone.to_string()];
        row.extend(n.iter().map(|v| v.to_string()));
        t.row(row);
    }
    let mut row = vec!["total".to_string()];
    row.extend(total.iter().map(|v| v.to_string()));
    t.row(row);
    t.print(out)?;
    let all = clocks::clocks(&store.clock_facts()?, &setup.config.policy);
    let overdue = clocks::overdue_count(&all, output::now());
    if overdue > 0 {
        writeln!(out, "{overdue} overdue (trucklot clocks --overdue)")?;
    }
    Ok(())
}

pub(super) fn check(store: &mut Store, out: &mut dyn Write) -> Result<(), Failure> {
    let r = store.check()?;
    if r.ok() {
        writeln!(out, "ok: {} events, state matches the log", r.events)?;
        return Ok(());
    }
    writeln!(
        out,
        "{} rows differ between the state tables and a replay of {} events:",
        r.differences.len(),
        r.events
    )?;
    for d in &r.differences {
        writeln!(out, "  {}", output::safe(d))?;
    }
    Err(Failure::Refused(format!(
        "the state differs from the log in {} rows; 'trucklot rebuild' replaces it with the replay",
        r.differences.len()
    )))
}

pub(super) fn backup(
    store: &Store,
    to: &std::path::Path,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    store.backup(to)?;
    writeln!(
        out,
        "backed up {} events to {}",
        store.event_count()?,
        to.display()
    )?;
    Ok(())
}

pub(super) fn rebuild(store: &mut Store, out: &mut dyn Write) -> Result<(), Failure> {
    let r = store.rebuild()?;
    if r.ok() {
        writeln!(
            out,
            "rebuilt from {} events; the state already matched",
            r.events
        )?;
    } else {
        writeln!(
            out,
            "rebuilt from {} events; {} rows were replaced",
            r.events,
            r.differences.len()
        )?;
    }
    Ok(())
}
