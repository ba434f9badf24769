//! What the checks found at the gate, in the output language. The state
//! tables keep it as English text (`flags`, `findings`, and the isolation
//! reason of a truck flagged at arrival); the arrival event in the log keeps
//! it structured, so the Chinese output is made from that event.
//!
//! What lives elsewhere: the findings themselves (`domain::policy`), the
//! words (`i18n::words`).

use crate::domain::event::{ArrivalRecord, Event, StayId, describe_findings};
use crate::domain::plate::Plate;
use crate::domain::policy::{CheckFlag, Finding};
use crate::i18n::Lang;
use crate::i18n::words::findings_in;
use crate::store::{LogFilter, Store, StoreError};

use super::output;

/// The checks recorded with one stay's arrival.
pub(super) struct Checks {
    flags: Vec<CheckFlag>,
    findings: Vec<Finding>,
    arrival: ArrivalRecord,
}

impl Checks {
    /// The arrival of stay `stay` of `plate`, from the log.
    pub(super) fn of(
        store: &Store,
        plate: &Plate,
        stay: StayId,
    ) -> Result<Option<Checks>, StoreError> {
        let filter = LogFilter {
            plate: Some(plate.clone()),
            kind: Some("arrived".into()),
            ..LogFilter::default()
        };
        Ok(store.log(&filter)?.into_iter().find_map(|e| match e.event {
            Event::Arrived {
                stay: s,
                flags,
                findings,
                arrival,
                ..
            } if s == stay => Some(Checks {
                flags,
                findings,
                arrival,
            }),
            _ => None,
        }))
    }

    /// "fever: driver 张三" in `lang`, or the flags alone (first-version logs).
    pub(super) fn text(&self, lang: Lang) -> String {
        described(lang, &self.flags, &self.findings, |n| {
            self.arrival.name_of(n).map(str::to_string)
        })
    }

    /// A text the store wrote from these checks (the isolation reason of a
    /// truck flagged at arrival) in `lang`; anything else, typed by people,
    /// stays as typed.
    pub(super) fn translate(&self, lang: Lang, stored: &str) -> String {
        if lang != Lang::En && stored == self.text(Lang::En) {
            self.text(lang)
        } else {
            stored.to_string()
        }
    }
}

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
