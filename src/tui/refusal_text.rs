//! An operation's failure as one line in the interface language. English is
//! the error's own text (the same line the CLI prints); Chinese comes from
//! the catalogue's templates, filled with the same values.

use crate::domain::stay::RuleRefusal as R;
use crate::i18n::{Lang, Msg};
use crate::ops::{OpError, Refusal};

pub fn text(lang: Lang, e: &OpError) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    let (msg, plate, place, extra) = parts(e);
    let Some(msg) = msg else {
        return format!("{}: {e}", Msg::Refused.text(lang));
    };
    msg.text(lang)
        .replace("{plate}", &plate)
        .replace("{bay}", &place)
        .replace("{x}", &extra)
}

/// The template, and the plate, bay (or zone) and extra value to fill it with.
fn parts(e: &OpError) -> (Option<Msg>, String, String, String) {
    let s = |x: &dyn std::fmt::Display| x.to_string();
    let none = String::new;
    match e {
        OpError::Refused(r) => match r {
            Refusal::Rule(rule) => {
                let (m, p, x) = match rule {
                    R::AlreadyDeparted { plate, .. } => (Msg::RefDeparted, plate, none()),
                    R::IsolatedUseRelease { plate } => (Msg::RefIsolatedUseRelease, plate, none()),
                    R::UseIsolate { plate } => (Msg::RefUseIsolate, plate, none()),
                    R::InHandoff { plate } => (Msg::RefInHandoff, plate, none()),
                    R::UseHandoff { plate } => (Msg::RefUseHandoff, plate, none()),
                    R::SampleAlreadyPending { plate, test } => {
                        (Msg::RefSamplePending, plate, s(test))
                    }
                    R::NoPendingSample { plate, test } => (Msg::RefNoPendingSample, plate, s(test)),
                    R::AlreadyIsolated { plate } => (Msg::RefAlreadyIsolated, plate, none()),
                    R::NotIsolated { plate } => (Msg::RefNotIsolated, plate, none()),
                    R::HandoffAlreadyStarted { plate } => (Msg::RefHandoffStarted, plate, none()),
                    R::NoHandoff { plate } => (Msg::RefNoHandoff, plate, none()),
                    R::NoServiceCall { plate } => (Msg::RefNoServiceCall, plate, none()),
                    _ => return (None, none(), none(), none()),
                };
                (Some(m), s(p), none(), x)
            }
            Refusal::NotOnSite(p) => (Some(Msg::RefNotOnSite), s(p), none(), none()),
            Refusal::AlreadyOnSite { plate, bay } => {
                (Some(Msg::RefAlreadyOnSite), s(plate), bay.clone(), none())
            }
            Refusal::UnknownBay(b) => (Some(Msg::RefUnknownBay), none(), s(b), none()),
            Refusal::BayOccupied { bay, plate } => {
                (Some(Msg::RefBayOccupied), s(plate), s(bay), none())
            }
            Refusal::BayClosed { bay, reason } => {
                (Some(Msg::RefBayClosed), none(), s(bay), reason.clone())
            }
            Refusal::BayNotClosed(b) => (Some(Msg::RefBayNotClosed), none(), s(b), none()),
            Refusal::NoFreeBay(z) => (Some(Msg::RefNoFreeBay), none(), s(z), none()),
            Refusal::WrongZone { bay, expected } => (
                Some(Msg::RefWrongZone),
                none(),
                s(bay),
                expected
                    .iter()
                    .map(|z| z.as_str())
                    .collect::<Vec<_>>()
                    .join("/"),
            ),
            Refusal::SameBay { plate, bay } => (Some(Msg::RefSameBay), s(plate), s(bay), none()),
            Refusal::OverrideNeedsReason { bay, .. } => {
                (Some(Msg::RefOverrideNeedsReason), none(), s(bay), none())
            }
            Refusal::ArriveInHandoff => (Some(Msg::RefArriveInHandoff), none(), none(), none()),
            _ => (None, none(), none(), none()),
        },
        OpError::Invalid(_) | OpError::Store(_) => (None, none(), none(), none()),
    }
}
