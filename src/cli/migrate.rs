//! `migrate`: a whole lot copied to a new file or server (`Store::copy_to`),
//! and what `check` found on both sides.

use std::io::Write;

use super::output::{self, say};
use super::{Failure, Global, Setup};
use crate::i18n::CliMsg;
use crate::store::Store;

/// `migrate`: copies the lot at `from` to a new lot at `to`, and says what
/// `check` found on both sides.
pub(super) fn run(
    g: &Global,
    from: &std::path::Path,
    to: &std::path::Path,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let setup = Setup::load(g)?;
    let lang = setup.lang;
    let mut source = Store::open(from).map_err(|e| Failure::store(lang, e))?;
    super::tell_notices(lang, &mut source);
    let copied = source.copy_to(to).map_err(|e| Failure::store(lang, e))?;
    let name = |p: &std::path::Path| output::safe(&p.display().to_string());
    let shown_to = match crate::store::is_server(to) {
        true => crate::store::shown_address(&to.display().to_string()),
        false => name(to),
    };
    writeln!(
        out,
        "{}",
        say(
            lang,
            CliMsg::MigrateDone,
            &[&copied.events, &source.path().display(), &shown_to]
        )
    )?;
    for (side, report) in [
        (&CliMsg::MigrateSource, &copied.source),
        (&CliMsg::MigrateTarget, &copied.target),
    ] {
        writeln!(
            out,
            "  {}: {}",
            side.text(lang),
            super::read::verdict(lang, report)
        )?;
    }
    if copied.source.ok() && copied.target.ok() {
        Ok(())
    } else {
        Err(Failure::Refused(say(
            lang,
            CliMsg::CheckFailed,
            &[&(copied.source.differences.len() + copied.target.differences.len())],
        )))
    }
}
