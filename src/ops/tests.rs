//! Samples and results: antigen and PCR clocks start at sampling; a positive
//! result proposes isolation, an invalid one a new sample.

use super::{OpError, Outcome, Proposal, Writer, outcome};
use crate::domain::bay::Zone;
use crate::domain::event::{Event, TestKind, TestResult};
use crate::domain::plate::Plate;
use crate::domain::stay::{Action, Status};

pub(super) fn sample(
    w: &mut Writer<'_, '_>,
    plate: &Plate,
    test: TestKind,
) -> Result<Outcome, OpError> {
    let stay = w.stay_for(plate, Action::Sample(test))?;
    let due = w.meta.at
        + match test {
            TestKind::Antigen => w.policy.antigen_due(),
            TestKind::Pcr => w.policy.pcr_due(),
        };
    w.record(Event::SampleTaken {
        stay: stay.id,
        test,
        due,
    })?;
    Ok(outcome(&stay, stay.bay.clone()))
}

pub(super) fn result(
    w: &mut Writer<'_, '_>,
    plate: &Plate,
    test: TestKind,
    result: TestResult,
) -> Result<Outcome, OpError> {
    let stay = w.stay_for(plate, Action::Result(test))?;
    w.record(Event::ResultRecorded {
        stay: stay.id,
        test,
        result,
    })?;
    let mut out = outcome(&stay, stay.bay.clone());
    out.proposal = match result {
        TestResult::Positive if stay.status != Status::Isolated => {
            let priority = w.is_priority(stay.id)?;
            Some(Proposal::Isolate {
                bay: w.pick_bay(None, &[Zone::Isolation], priority).ok(),
            })
        }
        TestResult::Invalid => Some(Proposal::Resample(test)),
        _ => None,
    };
    Ok(out)
}
