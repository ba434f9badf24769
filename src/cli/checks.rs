//! What the checks found at the gate, in the output language: who was
//! flagged, for what ("fever: passenger 1 李四"), or the flags alone for a
//! first-version event that did not say who.
//!
//! What lives elsewhere: the findings themselves (`domain::policy`), the
//! words (`i18n::words`).

use crate::domain::event::describe_findings;
use crate::domain::policy::{CheckFlag, Finding};
use crate::i18n::Lang;
use crate::i18n::words::findings_in;

use super::output;

/// The checks' findings naming who was flagged, or the flags alone when the
/// findings are not known; `name` gives person `n`'s name.
pub(super) fn described(
    lang: Lang,
    flags: &[CheckFlag],
    findings: &[Finding],
    name: impl Fn(u8) -> Option<String>,
) -> String {
    if findings.is_empty() {
        let words: Vec<String> = flags
            .iter()
            .map(|f| output::wd(lang, *f).to_string())
            .collect();
        return output::list(lang, &words);
    }
    match lang {
        Lang::En => describe_findings(findings, name),
        _ => findings_in(lang, findings, name),
    }
}
