//! The commands that keep the record straight: `undo` (take back your own
//! last action) and `purge` (blank old personal data). Both change the lot
//! for good, so both name what they will do and ask first; `--yes` answers
//! for a script, and without a terminal to ask on they refuse.
//!
//! What lives elsewhere: the rules (`ops::undo`, `ops::purge`), corrections
//! (`cli::write`).

use std::io::{BufRead, IsTerminal, Write};

use chrono::{Duration, Utc};

use super::args::TimeArg;
use super::output::{local, say};
use super::write::line;
use super::{Failure, Setup};
use crate::domain::clock::SystemClock;
use crate::i18n::{CliMsg, Lang};
use crate::ops::{self, Op};
use crate::store::Store;

pub(super) fn undo(
    store: &mut Store,
    setup: &Setup,
    yes: bool,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let lang = setup.lang;
    let target = ops::undo_target(store, &setup.operator).map_err(|e| Failure::op(lang, e))?;
    let what = say(
        lang,
        CliMsg::UndoWhat,
        &[
            &target.id,
            &super::log::kind_text(lang, target.event.kind()),
            &target
                .plate
                .as_ref()
                .map(|p| p.to_string())
                .unwrap_or_default(),
            &local(target.at, setup.config.timezone),
            // Its details in brackets, when it has any.
            &match super::log::summary(lang, &target.event, setup.config.timezone) {
                d if d.is_empty() => String::new(),
                d => say(lang, CliMsg::InBrackets, &[&d]),
            },
        ],
    );
    confirm(lang, yes, &say(lang, CliMsg::UndoAsk, &[&what]))?;
    run(
        store,
        setup,
        &Op::Undo {
            expected: Some(target.id),
        },
    )?;
    line(out, lang, CliMsg::UndoDone, &[&what])
}

pub(super) fn purge(
    store: &mut Store,
    setup: &Setup,
    before: Option<TimeArg>,
    yes: bool,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let lang = setup.lang;
    let tz = setup.config.timezone;
    let before = match before {
        Some(t) => t
            .resolve(tz)
            .ok_or_else(|| Failure::Usage(CliMsg::PurgeNoSuchTime.text(lang).to_string()))?,
        None => Utc::now() - Duration::days(i64::from(setup.config.retention_days)),
    };
    let when = local(before, tz);
    if !crate::ops::purge_reaches_back(before, Utc::now()) {
        return Err(Failure::Usage(say(lang, CliMsg::PurgeFuture, &[&when])));
    }
    confirm(lang, yes, &say(lang, CliMsg::PurgeAsk, &[&when]))?;
    let o = run(store, setup, &Op::Purge { before })?;
    // The blanked values' old bytes out of the write-ahead log (a file) or
    // the table's dead rows (a server), not only out of the lot.
    store
        .checkpoint()
        .map_err(|e| Failure::store(setup.lang, e))?;
    let stays = o
        .events
        .iter()
        .find_map(|(_, e)| match e {
            crate::domain::event::Event::Purged { stays, .. } => Some(*stays),
            _ => None,
        })
        .unwrap_or(0);
    line(out, lang, CliMsg::PurgeDone, &[&stays, &when])
}

fn run(store: &mut Store, setup: &Setup, op: &Op) -> Result<ops::Outcome, Failure> {
    let clock = SystemClock;
    let ctx = setup.ctx(&clock);
    ops::execute(store, &ctx, op).map_err(|e| Failure::op(setup.lang, e))
}

/// Asks `question` on the terminal (stderr, then a line of stdin); `yes`
/// answers it. Without a terminal to ask on, refuses: a script says --yes.
fn confirm(lang: Lang, yes: bool, question: &str) -> Result<(), Failure> {
    if yes {
        return Ok(());
    }
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(Failure::Usage(say(
            lang,
            CliMsg::ConfirmNeedsYes,
            &[&question],
        )));
    }
    let mut err = std::io::stderr();
    write!(err, "{question} [y/N] ")?;
    err.flush()?;
    let mut answer = String::new();
    stdin.lock().read_line(&mut answer)?;
    if is_yes(&answer) {
        Ok(())
    } else {
        Err(Failure::Refused(CliMsg::NothingDone.text(lang).to_string()))
    }
}

fn is_yes(answer: &str) -> bool {
    matches!(
        answer.trim().to_lowercase().as_str(),
        "y" | "yes" | "是" | "好" | "确认"
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_a_clear_yes_confirms() {
        for a in ["y\n", "YES", " 是 ", "确认"] {
            assert!(super::is_yes(a), "{a}");
        }
        for a in ["", "\n", "n", "no", "否", "yy", "ok"] {
            assert!(!super::is_yes(a), "{a}");
        }
    }
}
