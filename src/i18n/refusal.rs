//! An operation's failure as one line in a language, for both faces (the
//! interface's toasts and the command line's error line). English is the
//! error's own text; Chinese comes from the catalogue's templates, filled
//! with the same values.

use crate::domain::event::{ServiceKind, TestKind, TestResult};
use crate::domain::stay::{Blocker, RuleRefusal as R, WayOut, way_out};
use crate::i18n::{Lang, Msg};
use crate::ops::{OpError, Refusal};

pub fn text(lang: Lang, e: &OpError) -> String {
    if lang == Lang::En {
        return english(e);
    }
    if let OpError::Store(s) = e {
        return super::store_error::text(lang, s);
    }
    let (msg, plate, place, extra) = parts(e);
    let Some(msg) = msg else {
        return format!("{}: {e}", Msg::Refused.text(lang));
    };
    // Several extra values travel joined by the unit separator (a control
    // character, so never inside a reason), into `{x}`, `{y}`, `{z}`.
    let mut extras = extra.split('\u{1f}');
    let (x, y, z) = (
        extras.next().unwrap_or(""),
        extras.next().unwrap_or(""),
        extras.next().unwrap_or(""),
    );
    msg.text(lang)
        .replace("{plate}", &plate)
        .replace("{bay}", &place)
        .replace("{x}", x)
        .replace("{y}", y)
        .replace("{z}", z)
}

/// The error's own English text, with the log's kinds of event named in
/// words, as the log screen names them (`handoff_completed` → "handoff
/// done"), never as the stored key.
fn english(e: &OpError) -> String {
    let named = |kind: &str| kind_word(Lang::En, kind);
    match e {
        OpError::Refused(Refusal::UndoDecision { kind }) => {
            Refusal::UndoDecision { kind: named(kind) }.to_string()
        }
        OpError::Refused(Refusal::UndoChangedSince {
            kind,
            event,
            later,
            later_kind,
            by,
        }) => Refusal::UndoChangedSince {
            kind: named(kind),
            event: *event,
            later: *later,
            later_kind: named(later_kind),
            by: by.clone(),
        }
        .to_string(),
        OpError::AlreadyDone {
            action,
            event,
            kind,
        } => OpError::AlreadyDone {
            action: action.clone(),
            event: *event,
            kind: named(kind),
        }
        .to_string(),
        e => e.to_string(),
    }
}

/// A test's name, said of the truck's last stay when its positive was
/// carried from there ("上次入场抗原").
fn carried_test(lang: Lang, test: TestKind, last_stay: bool) -> String {
    if last_stay {
        format!("{}{}", Msg::OfLastStay.text(lang), test_word(lang, test))
    } else {
        test_word(lang, test).into()
    }
}

/// What a forced departure went past, from the keys its event keeps
/// (`Blocker::key`), in `lang`, joined: "a pending result, a missing
/// sample". A key this build does not know is shown as it is.
pub fn forced_past(lang: Lang, keys: &[String]) -> String {
    let sep = if lang == Lang::Zh { "、" } else { ", " };
    // The log keeps a key per blocker, so two pending results are the same
    // key twice: said once.
    let mut seen = Vec::new();
    keys.iter()
        .filter(|k| {
            let first = !seen.contains(k);
            seen.push(*k);
            first
        })
        .map(|k| {
            let m = match k.as_str() {
                "positive" => Msg::PastPositive,
                "waiting_for_isolation" => Msg::PastWaiting,
                "not_released" => Msg::PastNotReleased,
                "flagged" => Msg::PastFlagged,
                "no_sample" => Msg::PastNoSample,
                "result_pending" => Msg::PastResultPending,
                "invalid_result" => Msg::PastInvalid,
                "handoff_under_way" => Msg::PastHandoffUnderWay,
                "handoff_required" => Msg::PastHandoffRequired,
                "medical_call" => Msg::PastMedicalCall,
                other => return other.to_string(),
            };
            m.text(lang).to_string()
        })
        .collect::<Vec<_>>()
        .join(sep)
}

/// One departure blocker in the interface language.
pub fn blocker_text(lang: Lang, b: &Blocker) -> String {
    if lang == Lang::En {
        return b.to_string();
    }
    let test = |t: &TestKind| test_word(lang, *t);
    match b {
        Blocker::Positive {
            test: t, last_stay, ..
        } => Msg::BlockPositive
            .text(lang)
            .replace("{x}", &carried_test(lang, *t, *last_stay)),
        Blocker::WaitingForIsolation => Msg::BlockWaiting.text(lang).into(),
        Blocker::NotReleased => Msg::BlockNotReleased.text(lang).into(),
        Blocker::Flagged => Msg::BlockFlagged.text(lang).into(),
        Blocker::NoSample { test: t } => Msg::BlockNoSample.text(lang).replace("{x}", test(t)),
        Blocker::ResultPending { test: t } => {
            Msg::BlockResultPending.text(lang).replace("{x}", test(t))
        }
        Blocker::InvalidResult { test: t } => Msg::BlockInvalid.text(lang).replace("{x}", test(t)),
        Blocker::HandoffUnderWay => Msg::BlockHandoffUnderWay.text(lang).into(),
        Blocker::HandoffRequired => Msg::BlockHandoffRequired.text(lang).into(),
        Blocker::MedicalCall => Msg::BlockMedicalCall.text(lang).into(),
    }
}

fn test_word(lang: Lang, t: TestKind) -> &'static str {
    match t {
        TestKind::Antigen => Msg::TestAntigen.text(lang),
        TestKind::Pcr => Msg::TestPcr.text(lang),
    }
}

fn service_word(lang: Lang, s: ServiceKind) -> &'static str {
    match s {
        ServiceKind::Meal => Msg::ServiceMeal.text(lang),
        ServiceKind::Water => Msg::ServiceWater.text(lang),
        ServiceKind::Medical => Msg::ServiceMedical.text(lang),
    }
}

/// An event kind in words ("sample_taken" → "sample taken", "采样").
pub fn kind_word(lang: Lang, kind: &str) -> String {
    crate::i18n::event_kind_msg(kind).map_or_else(|| kind.to_string(), |m| m.text(lang).into())
}

fn result_word(lang: Lang, r: TestResult) -> &'static str {
    match r {
        TestResult::Negative => Msg::ResultNegative.text(lang),
        TestResult::Positive => Msg::ResultPositive.text(lang),
        TestResult::Invalid => Msg::ResultInvalid.text(lang),
    }
}

/// The template, and the plate, bay (or zone) and extra value to fill it with.
fn parts(e: &OpError) -> (Option<Msg>, String, String, String) {
    let s = |x: &dyn std::fmt::Display| x.to_string();
    let none = String::new;
    let zh = Lang::Zh;
    match e {
        OpError::Refused(r) => match r {
            Refusal::Rule(rule) => {
                let (m, p, x) = match rule {
                    R::AlreadyDeparted { plate, .. } => (Msg::RefDeparted, plate, none()),
                    R::IsolatedUseRelease { plate } => (Msg::RefIsolatedUseRelease, plate, none()),
                    R::UseIsolate { plate } => (Msg::RefUseIsolate, plate, none()),
                    R::HoldingUseIsolate { plate } => (Msg::RefHoldingUseIsolate, plate, none()),
                    R::InHandoff { plate } => (Msg::RefInHandoff, plate, none()),
                    R::UseHandoff { plate } => (Msg::RefUseHandoff, plate, none()),
                    R::SampleAlreadyPending { plate, test } => {
                        (Msg::RefSamplePending, plate, test_word(zh, *test).into())
                    }
                    R::NoPendingSample { plate, test } => {
                        (Msg::RefNoPendingSample, plate, test_word(zh, *test).into())
                    }
                    R::AlreadyIsolated { plate } => (Msg::RefAlreadyIsolated, plate, none()),
                    R::NotIsolated { plate } => (Msg::RefNotIsolated, plate, none()),
                    R::PositiveNoRelease {
                        plate,
                        test,
                        last_stay,
                    } => (
                        Msg::RefPositiveNoRelease,
                        plate,
                        carried_test(zh, *test, *last_stay),
                    ),
                    R::TransferUnderIsolation { plate } => {
                        (Msg::RefTransferUnderIsolation, plate, none())
                    }
                    R::EscortNeedsDecider { plate } => (Msg::RefEscortNeedsDecider, plate, none()),
                    R::HandoffAlreadyStarted { plate } => (Msg::RefHandoffStarted, plate, none()),
                    R::NoHandoff { plate } => (Msg::RefNoHandoff, plate, none()),
                    R::TransferOfPositive { plate } => (Msg::RefTransferOfPositive, plate, none()),
                    R::NoHandoffToConfirm { plate } => (Msg::RefNoHandoffToConfirm, plate, none()),
                    R::NoServiceCall { plate } => (Msg::RefNoServiceCall, plate, none()),
                    R::NoSuchPerson {
                        plate,
                        person,
                        last,
                    } => (Msg::RefNoSuchPerson, plate, format!("{person}\u{1f}{last}")),
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
            Refusal::NowhereToWait => (Some(Msg::RefNowhereToWait), none(), none(), none()),
            Refusal::ClockBehind { now, last } => (
                Some(Msg::RefClockBehind),
                none(),
                none(),
                format!(
                    "{}\u{1f}{}",
                    now.format("%Y-%m-%d %H:%M UTC"),
                    last.format("%Y-%m-%d %H:%M UTC")
                ),
            ),
            Refusal::ResultBeforeSample { plate, taken, now } => (
                Some(Msg::RefResultBeforeSample),
                s(plate),
                none(),
                format!(
                    "{}\u{1f}{}",
                    taken.format("%Y-%m-%d %H:%M UTC"),
                    now.format("%Y-%m-%d %H:%M UTC")
                ),
            ),
            Refusal::WrongZone { bay, expected } => (
                Some(Msg::RefWrongZone),
                none(),
                s(bay),
                expected
                    .iter()
                    .map(|&z| crate::i18n::words::word(z).text(zh))
                    .collect::<Vec<_>>()
                    .join("或"),
            ),
            Refusal::SameBay { plate, bay } => (Some(Msg::RefSameBay), s(plate), s(bay), none()),
            Refusal::OverrideNeedsReason { bay, .. } => {
                (Some(Msg::RefOverrideNeedsReason), none(), s(bay), none())
            }
            Refusal::ArriveInHandoff => (Some(Msg::RefArriveInHandoff), none(), none(), none()),
            Refusal::NothingToOverride => (Some(Msg::RefNothingToOverride), none(), none(), none()),
            Refusal::NothingToCorrect(p) => (Some(Msg::RefNothingToCorrect), s(p), none(), none()),
            Refusal::CorrectCarriedPositive(p) => {
                (Some(Msg::RefCorrectCarriedPositive), s(p), none(), none())
            }
            Refusal::PolicyUnchanged => (Some(Msg::RefPolicyUnchanged), none(), none(), none()),
            Refusal::DepartureBlocked { plate, blockers } => {
                let list = blockers
                    .iter()
                    .map(|b| blocker_text(zh, b))
                    .collect::<Vec<_>>()
                    .join("；");
                let m = match way_out(blockers) {
                    None => Msg::RefDepartureBlocked,
                    Some(WayOut::AuthorisedEscort) => Msg::RefDepartureBlockedPositive,
                    Some(WayOut::MarkEscortDone) => Msg::RefDepartureBlockedEscortUnderWay,
                    Some(WayOut::IsolateFirst) => Msg::RefDepartureBlockedIsolateFirst,
                };
                (Some(m), s(plate), none(), list)
            }
            Refusal::TubeInUse { tube, plate, test } => (
                Some(Msg::RefTubeInUse),
                s(plate),
                none(),
                format!("{tube}\u{1f}{}", test_word(zh, *test)),
            ),
            Refusal::NoServiceCallOfKind { plate, kind, open } => (
                Some(Msg::RefNoServiceCallOfKind),
                s(plate),
                none(),
                format!(
                    "{}\u{1f}{}",
                    service_word(zh, *kind),
                    open.iter()
                        .map(|k| service_word(zh, *k))
                        .collect::<Vec<_>>()
                        .join("、")
                ),
            ),
            Refusal::WhichServiceCall { plate, open } => (
                Some(Msg::RefWhichServiceCall),
                s(plate),
                none(),
                open.iter()
                    .map(|k| service_word(zh, *k))
                    .collect::<Vec<_>>()
                    .join("、"),
            ),
            Refusal::NothingToUndo(op) => (Some(Msg::RefNothingToUndo), none(), none(), op.clone()),
            Refusal::UndoNotLast { event } => (Some(Msg::RefUndoNotLast), none(), none(), s(event)),
            Refusal::UndoDecision { kind } => (
                Some(Msg::RefUndoDecision),
                none(),
                none(),
                kind_word(zh, kind),
            ),
            Refusal::UndoPositive => (Some(Msg::RefUndoPositive), none(), none(), none()),
            Refusal::UndoChangedSince {
                kind,
                event,
                later,
                later_kind,
                by,
            } => (
                Some(Msg::RefUndoChangedSince),
                none(),
                none(),
                format!(
                    "{event}\u{1f}{}\u{1f}{later} ({}, {by})",
                    kind_word(zh, kind),
                    kind_word(zh, later_kind)
                ),
            ),
            Refusal::UndoPurged { event } => (Some(Msg::RefUndoPurged), none(), none(), s(event)),
            Refusal::NothingToPurge { before } => (
                Some(Msg::RefNothingToPurge),
                none(),
                none(),
                before.format("%Y-%m-%d %H:%M UTC").to_string(),
            ),
            Refusal::UnknownTube(t) => (Some(Msg::RefUnknownTube), none(), none(), t.clone()),
            Refusal::ResultConflict {
                tube,
                recorded,
                given,
            } => (
                Some(Msg::RefResultConflict),
                none(),
                none(),
                format!(
                    "{tube}\u{1f}{}\u{1f}{}",
                    result_word(zh, *recorded),
                    result_word(zh, *given)
                ),
            ),
        },
        OpError::AlreadyDone { action, event, .. } => (
            Some(Msg::RefAlreadyDone),
            none(),
            none(),
            format!("{action}\u{1f}{event}"),
        ),
        OpError::Invalid(_) | OpError::Store(_) => (None, none(), none(), none()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every blocker a departure can be forced past is said in words, in
    /// both languages: the log keeps only its key.
    #[test]
    fn what_a_forced_departure_went_past_is_said_in_words() {
        let t = TestKind::Antigen;
        let all = [
            Blocker::Positive {
                test: t,
                last_stay: false,
                way_out: WayOut::AuthorisedEscort,
            },
            Blocker::WaitingForIsolation,
            Blocker::NotReleased,
            Blocker::Flagged,
            Blocker::NoSample { test: t },
            Blocker::ResultPending { test: t },
            Blocker::InvalidResult { test: t },
            Blocker::HandoffUnderWay,
            Blocker::HandoffRequired,
            Blocker::MedicalCall,
        ];
        for lang in [Lang::En, Lang::Zh] {
            for b in all {
                let said = forced_past(lang, &[b.key().to_string()]);
                assert!(!said.contains('_') && !said.is_empty(), "{said}");
            }
        }
        let twice = ["result_pending".to_string(), "result_pending".to_string()];
        assert_eq!(
            forced_past(Lang::En, &twice),
            forced_past(Lang::En, &twice[..1])
        );
        let two = ["result_pending".to_string(), "no_sample".to_string()];
        assert_eq!(
            forced_past(Lang::En, &two),
            "a pending result, a missing sample"
        );
        assert_eq!(forced_past(Lang::Zh, &two), "结果未出、未采样");
        assert_eq!(forced_past(Lang::En, &["newer_rule".into()]), "newer_rule");
    }

    #[test]
    fn an_undo_refusal_names_the_events_in_the_language() {
        let decision = OpError::Refused(Refusal::UndoDecision {
            kind: "handoff_confirmed".into(),
        });
        let since = OpError::Refused(Refusal::UndoChangedSince {
            kind: "arrived".into(),
            event: 17,
            later: 18,
            later_kind: "sample_taken".into(),
            by: "李".into(),
        });
        assert_eq!(
            text(Lang::En, &decision),
            "a decision or a measurement (handoff arrived) is not undone: record the next one instead"
        );
        assert_eq!(
            text(Lang::En, &since),
            "event 17 (arrived) can no longer be undone: event 18 (sample taken, by 李) came after it"
        );
        assert!(text(Lang::Zh, &decision).starts_with("确认送达 是决定或测量"));
        assert!(text(Lang::Zh, &since).contains("采样"));
        for lang in [Lang::En, Lang::Zh] {
            for e in [&decision, &since] {
                assert!(!text(lang, e).contains('_'), "{}", text(lang, e));
            }
        }
    }
}
