//! Samples and results: each sample has a tube id (typed, scanned or
//! generated) and maybe a batch; antigen and PCR clocks start at sampling; a
//! positive result proposes isolation, an invalid one a new sample. A result
//! may arrive after the truck has left.

use super::{Note, OpError, Outcome, Proposal, Refusal, Writer, optional, outcome};
use crate::domain::bay::Zone;
use crate::domain::event::{Event, TestKind, TestResult};
use crate::domain::plate::Plate;
use crate::domain::stay::{Action, Status, StayState};

pub(super) fn sample(
    w: &mut Writer<'_, '_>,
    plate: &Plate,
    test: TestKind,
    tube: Option<&str>,
    batch: Option<&str>,
) -> Result<Outcome, OpError> {
    let tube = optional("tube id", tube)?;
    let batch = optional("batch", batch)?;
    let stay = w.stay_for(plate, Action::Sample(test))?;
    let tube = match tube {
        Some(t) => t,
        // Stay and count make it unique and the same on every replay.
        None => format!(
            "{}-{:06}-{}",
            match test {
                TestKind::Antigen => "AG",
                TestKind::Pcr => "PCR",
            },
            stay.id.0,
            w.tx.sample_count(stay.id, test)? + 1
        ),
    };
    if let Some(used) = w.tx.sample_by_tube(&tube)? {
        return Err(Refusal::TubeInUse {
            tube,
            plate: used.plate,
            test: used.test,
        }
        .into());
    }
    let due = w.meta.at
        + match test {
            TestKind::Antigen => w.policy.antigen_due(),
            TestKind::Pcr => w.policy.pcr_due(),
        };
    w.record(Event::SampleTaken {
        stay: stay.id,
        test,
        due,
        tube: Some(tube),
        batch,
    })?;
    Ok(outcome(&stay, stay.bay.clone()))
}

pub(super) fn result(
    w: &mut Writer<'_, '_>,
    plate: &Plate,
    test: TestKind,
    result: TestResult,
) -> Result<Outcome, OpError> {
    let stay =
        w.tx.stay_awaiting(plate, test)?
            .ok_or_else(|| Refusal::NotOnSite(plate.clone()))?;
    // A result now, for a sample this terminal's clock says was taken
    // later (another terminal's clock runs ahead): the log would have the
    // answer before the question. Refused, as a lab file's row is.
    if let Some(taken) = w.tx.pending_taken_at(stay.id, test)?
        && w.meta.at < taken
    {
        return Err(Refusal::ResultBeforeSample {
            plate: plate.clone(),
            taken,
            now: w.meta.at,
        }
        .into());
    }
    record_result(w, stay, test, result, None)
}

/// Records `result` for the stay's pending sample of `test`, and proposes
/// what follows from it.
pub(super) fn record_result(
    w: &mut Writer<'_, '_>,
    stay: StayState,
    test: TestKind,
    result: TestResult,
    reported_at: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<Outcome, OpError> {
    crate::domain::stay::check(&stay, Action::Result(test)).map_err(Refusal::Rule)?;
    w.record(Event::ResultRecorded {
        stay: stay.id,
        test,
        result,
        reported_at,
    })?;
    let mut out = outcome(&stay, stay.bay.clone());
    let on_site = stay.status != Status::Departed;
    if !on_site && result == TestResult::Positive {
        out.notes.push(Note::PositiveAfterDeparture);
    }
    out.proposal = match result {
        TestResult::Positive
            if on_site && !matches!(stay.status, Status::Isolated | Status::Holding) =>
        {
            let priority = w.is_priority(stay.id)?;
            Some(Proposal::Isolate {
                bay: w.pick_bay(None, &[Zone::Isolation], priority).ok(),
            })
        }
        TestResult::Invalid if on_site => Some(Proposal::Resample(test)),
        _ => None,
    };
    Ok(out)
}
