//! Corrections: a wrong plate, driver's name, phone, cargo, origin or
//! destination put right by a `corrected` event that keeps the old value
//! beside the new one. The log is never edited; what was measured or decided
//! is never "corrected" (a recheck or a new decision is its own event).

use super::{OpError, Outcome, Proposal, Refusal, Writer, optional, outcome};
use crate::domain::bay::Zone;
use crate::domain::event::{Correction, Event, Field};
use crate::domain::phone::Phone;
use crate::domain::plate::Plate;
use crate::domain::policy::{Cargo, CheckFlag, Finding};
use crate::domain::stay::Status;

/// Corrects the latest stay of `plate` (on site, or one that has left):
/// each change is a field and its new text (empty clears an optional one).
pub(super) fn run(
    w: &mut Writer<'_, '_>,
    plate: &Plate,
    changes: &[(Field, String)],
) -> Result<Outcome, OpError> {
    let stay =
        w.tx.latest_stay(plate)?
            .ok_or_else(|| Refusal::NotOnSite(plate.clone()))?;
    let mut out = Vec::new();
    let mut findings = Vec::new();
    for (field, text) in changes {
        let new = normalised(*field, text)?;
        let old = w.tx.registered(stay.id, *field)?;
        if old == new {
            continue;
        }
        if let (Field::Plate, Some(p)) = (field, &new) {
            // The corrected plate must not be another truck on site.
            let p = Plate::parse(p).map_err(|e| OpError::Invalid(e.to_string()))?;
            super::plate_free_for(w.tx, &p, Some(stay.id))?;
            // A positive follows a truck by its plate: a correction may
            // neither shed the one its arrival carried while it stands …
            if stay.status != Status::Departed && stay.positive_from_last_stay() {
                return Err(Refusal::CorrectCarriedPositive(stay.plate.clone()).into());
            }
            // … nor miss the one the corrected plate's last stay left with:
            // the truck is checked for it as its arrival would have been.
            if stay.carried.is_empty() && super::arrive::positive_before_in(w.tx, &p)? {
                findings.push(Finding {
                    person: 0,
                    flag: CheckFlag::PositiveBefore,
                });
            }
        }
        out.push(Correction {
            field: *field,
            old,
            new,
        });
    }
    if out.is_empty() {
        return Err(Refusal::NothingToCorrect(plate.clone()).into());
    }
    let mut o = outcome(&stay, stay.bay.clone());
    if let Some(c) = out.iter().find(|c| c.field == Field::Plate) {
        o.plate = c.new.as_deref().and_then(|p| Plate::parse(p).ok());
    }
    let carries = !findings.is_empty();
    w.record(Event::Corrected {
        stay: stay.id,
        changes: out,
        findings,
    })?;
    if carries
        && !matches!(
            stay.status,
            Status::Isolated | Status::Holding | Status::Departed
        )
    {
        let priority = w.is_priority(stay.id)?;
        o.proposal = Some(Proposal::Isolate {
            bay: w.pick_bay(None, &[Zone::Isolation], priority).ok(),
        });
    }
    if carries {
        o.notes.push(super::Note::PositiveCarried);
    }
    Ok(o)
}

/// The new value as the state keeps it, or why it is not acceptable.
fn normalised(field: Field, text: &str) -> Result<Option<String>, OpError> {
    let invalid = |e: String| OpError::Invalid(e);
    Ok(match field {
        Field::Plate => Some(
            Plate::parse(text)
                .map_err(|e| invalid(e.to_string()))?
                .as_str()
                .to_string(),
        ),
        Field::Cargo => Some(text.parse::<Cargo>().map_err(invalid)?.as_str().to_string()),
        Field::Phone if text.trim().is_empty() => None,
        Field::Phone => Some(
            Phone::parse(text)
                .map_err(|e| invalid(e.to_string()))?
                .as_str()
                .to_string(),
        ),
        Field::Driver => optional("driver", Some(text))?,
        Field::Origin => optional("origin", Some(text))?,
        Field::Destination => optional("destination", Some(text))?,
    })
}
