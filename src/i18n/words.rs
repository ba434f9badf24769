//! The domain's words in the interface language: zones, statuses, cargo,
//! codes, tests, results, handoff modes, services, check flags and the
//! people in a cab. Both faces use these, so a word reads the same in the
//! terminal interface and on the command line.

use super::{Lang, Msg};
use crate::domain::bay::Zone;
use crate::domain::event::{HandoffMode, ServiceKind, TestKind, TestResult};
use crate::domain::policy::{Cargo, CheckFlag, Finding, HealthCode};
use crate::domain::stay::Status;

/// A domain value with a catalogue word.
pub trait Word: Copy {
    fn msg(self) -> Msg;
}

/// The catalogue message of a domain word.
pub fn word<W: Word>(w: W) -> Msg {
    w.msg()
}

macro_rules! words {
    ($($ty:ty { $($var:path => $msg:ident),+ $(,)? })+) => {
        $(impl Word for $ty {
            fn msg(self) -> Msg {
                match self { $($var => Msg::$msg),+ }
            }
        })+
    };
}

words! {
    Zone {
        Zone::Work => ZoneWork,
        Zone::Living => ZoneLiving,
        Zone::Parking => ZoneParking,
        Zone::Isolation => ZoneIsolation,
        Zone::Handoff => ZoneHandoff,
    }
    TestResult {
        TestResult::Negative => ResultNegative,
        TestResult::Positive => ResultPositive,
        TestResult::Invalid => ResultInvalid,
    }
    HandoffMode {
        HandoffMode::Transfer => HandoffTransfer,
        HandoffMode::Escort => HandoffEscort,
    }
    ServiceKind {
        ServiceKind::Meal => ServiceMeal,
        ServiceKind::Water => ServiceWater,
        ServiceKind::Medical => ServiceMedical,
    }
    TestKind {
        TestKind::Antigen => TestAntigen,
        TestKind::Pcr => TestPcr,
    }
    HealthCode {
        HealthCode::Green => CodeGreen,
        HealthCode::Yellow => CodeYellow,
        HealthCode::Red => CodeRed,
    }
    CheckFlag {
        CheckFlag::Fever => FlagFever,
        CheckFlag::YellowCode => FlagYellow,
        CheckFlag::RedCode => FlagRed,
        CheckFlag::TravelHistory => FlagTravel,
        CheckFlag::PositiveBefore => FlagPositiveBefore,
    }
    Status {
        Status::Parked => StatusParked,
        Status::Isolated => StatusIsolated,
        Status::Holding => StatusHolding,
        Status::Handoff => StatusHandoff,
        Status::HandoffDone => StatusHandoffDone,
        Status::Departed => StatusDeparted,
    }
    Cargo {
        Cargo::Emergency => CargoEmergency,
        Cargo::Living => CargoLiving,
        Cargo::Production => CargoProduction,
        Cargo::Other => CargoOther,
    }
}

/// Who person `n` in the cab is: "driver 张三", "passenger 1 李四", "司机 张三".
pub fn person_in(lang: Lang, n: u8, name: Option<&str>) -> String {
    let role = if n == 0 {
        Msg::PersonDriver.text(lang).to_string()
    } else {
        format!("{} {n}", Msg::PersonPassengerN.text(lang))
    };
    match name {
        Some(name) if !name.is_empty() => format!("{role} {name}"),
        _ => role,
    }
}

/// The checks' findings naming who was flagged: "fever: passenger 1 李四".
pub fn findings_in(
    lang: Lang,
    findings: &[Finding],
    name: impl Fn(u8) -> Option<String>,
) -> String {
    crate::domain::event::describe_findings_with(
        findings,
        |flag| flag.msg().text(lang).to_string(),
        |n| person_in(lang, n, name(n).as_deref()),
    )
}
