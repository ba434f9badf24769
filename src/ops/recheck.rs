//! A new measurement of someone in the cab after arrival: recorded as its own
//! event; when it flags, isolation is proposed.

use super::{OpError, Outcome, Proposal, Writer, outcome};
use crate::domain::bay::Zone;
use crate::domain::event::Event;
use crate::domain::plate::Plate;
use crate::domain::policy::{HealthCode, PersonCheck, Temperature};
use crate::domain::stay::{Action, Status};

pub(super) fn run(
    w: &mut Writer<'_, '_>,
    plate: &Plate,
    person: u8,
    temperature: Temperature,
    code: HealthCode,
) -> Result<Outcome, OpError> {
    let stay = w.stay_for(plate, Action::Recheck { person })?;
    let mut findings = w.policy.findings(
        &[PersonCheck {
            temperature: Some(temperature),
            code: Some(code),
        }],
        false,
    );
    for f in &mut findings {
        f.person = person;
    }
    let flagged = !findings.is_empty();
    w.record(Event::Rechecked {
        stay: stay.id,
        person,
        temperature: Some(temperature),
        code: Some(code),
        findings,
    })?;
    let mut out = outcome(&stay, stay.bay.clone());
    if flagged && !matches!(stay.status, Status::Isolated | Status::Holding) {
        let priority = w.is_priority(stay.id)?;
        out.proposal = Some(Proposal::Isolate {
            bay: w.pick_bay(None, &[Zone::Isolation], priority).ok(),
        });
    }
    Ok(out)
}
