//! A text that is not a plate, in words, for both faces: the reason beside
//! the arrival form's plate field, in a prompt or the log's filter bar, and
//! the command line's error line. One place, so that a plate is refused in
//! the same words everywhere it can be typed; a character that cannot be
//! seen (a zero-width space, a BOM) is named by its code point, `U+200B`,
//! in every language (`domain::text::code_point`).
//!
//! English on the command line is the error's own text (it says in full
//! what was expected); the rest comes from the catalogue's templates.

use super::cli::CliMsg;
use super::{Lang, Msg};
use crate::domain::plate::PlateError;
use crate::domain::text;

/// The catalogue message of the reason (its `{x}` filled by [`reason`]).
pub fn msg(e: &PlateError) -> Msg {
    match e {
        PlateError::Empty => Msg::ErrRequired,
        PlateError::TooLong { .. } | PlateError::Length { .. } => Msg::ErrPlateLength,
        PlateError::Province { .. } => Msg::ErrPlateProvince,
        PlateError::Letter { .. } => Msg::ErrPlateLetter,
        PlateError::Character { ch: 'I' | 'O', .. } => Msg::ErrPlateIO,
        PlateError::Character { .. } => Msg::ErrPlateCharacter,
        PlateError::Suffix { .. } => Msg::ErrPlateSuffix,
        PlateError::NewEnergy { .. } => Msg::ErrPlateNewEnergy,
        PlateError::Ambiguous { .. } => Msg::ErrPlateAmbiguous,
    }
}

/// Why the text is not a plate, short, as the form shows it beside the
/// field: the offending character named, the provinces a pinyin could be.
pub fn reason(lang: Lang, e: &PlateError) -> String {
    let template = msg(e).text(lang);
    match e {
        PlateError::Province { ch, .. }
        | PlateError::Letter { ch, .. }
        | PlateError::Character { ch, .. }
        | PlateError::Suffix { ch, .. } => template.replace("{x}", &char_name(lang, *ch)),
        PlateError::Ambiguous { provinces, .. } => {
            let names: Vec<String> = provinces.iter().map(char::to_string).collect();
            template.replace("{x}", &names.join(" / "))
        }
        _ => template.to_string(),
    }
}

/// The command line's line for `typed`, refused: in English the error's
/// own text, otherwise the plate as typed and the reason.
pub fn line(lang: Lang, typed: &str, e: &PlateError) -> String {
    match lang {
        Lang::En => e.to_string(),
        _ => CliMsg::BadPlate.say(lang, &[&text::echo(typed), &reason(lang, e)]),
    }
}

/// A character a person typed, as a message names it: quoted when it can
/// be seen, by its code point (`U+200B`) when it cannot.
pub fn char_name(lang: Lang, c: char) -> String {
    match text::code_point(c) {
        Some(u) => Msg::ErrInvisibleChar.text(lang).replace("{x}", &u),
        None => format!("'{c}'"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::plate::Plate;

    fn refused(text: &str) -> PlateError {
        match Plate::parse_typed(text, '晋') {
            Ok(p) => panic!("{text:?} accepted as {p}"),
            Err(e) => e,
        }
    }

    #[test]
    fn invisible_characters_are_named_by_code_point_in_both_languages() {
        for (text, u) in [
            ("晋D1\u{200B}2345", "U+200B"),
            ("\u{FEFF}晋D12345", "U+FEFF"),
            ("晋\u{200B}D12345", "U+200B"),
            ("jinD1234\u{200B}", "U+200B"),
        ] {
            let e = refused(text);
            for lang in [Lang::En, Lang::Zh] {
                let r = reason(lang, &e);
                assert!(r.contains(u), "{text:?} {lang}: {r}");
                let l = line(lang, text, &e);
                assert!(l.contains(u), "{text:?} {lang}: {l}");
            }
            assert!(reason(Lang::Zh, &e).contains("不可见字符"), "{text:?}");
        }
    }

    #[test]
    fn reasons_in_both_languages() {
        let r = |lang, text: &str| reason(lang, &refused(text));
        assert_eq!(
            r(Lang::En, "XD12345"),
            "'X' is not a province: start with one (e.g. 晋) or its pinyin"
        );
        assert_eq!(r(Lang::Zh, "晋D1234O"), "不能有 'O'（序号不含I、O）");
        assert_eq!(r(Lang::En, "晋D12*45"), "'*' is not allowed on plates");
        assert_eq!(
            r(Lang::Zh, "guiA12345"),
            "拼音可能是 桂 / 贵：请输入省份汉字"
        );
        assert_eq!(r(Lang::En, "jinD1234"), Msg::ErrPlateLength.text(Lang::En));
        assert_eq!(r(Lang::Zh, ""), "必填");
        assert_eq!(
            line(Lang::Zh, "jinD1234", &refused("jinD1234")),
            "车牌 'jinD1234'：长度不对：省份+字母+5位"
        );
        assert_eq!(
            line(Lang::En, "jinD1234", &refused("jinD1234")),
            "plate 'jinD1234' is too short: expected province, letter and 5 characters"
        );
        // Every kind of error has its words, and no `{x}` is left unfilled.
        for text in [
            "",
            "XD12345",
            "晋I12345",
            "晋D1234",
            "晋D1234O",
            "晋D12*45",
            "晋D1234使",
            "晋DA12345",
            "guiA12345",
            "晋D123456789012345",
        ] {
            for lang in [Lang::En, Lang::Zh] {
                let r = reason(lang, &refused(text));
                assert!(!r.contains("{x}") && !r.trim().is_empty(), "{text:?}: {r}");
            }
        }
    }
}
