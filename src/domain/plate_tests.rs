//! Unit tests of `plate`: the parser table, messages, normalising and search.

use super::*;

#[test]
fn valid_plates() {
    let cases = [
        ("晋D12345", "晋D12345"),
        ("京A8B9C1", "京A8B9C1"),
        ("京O12345", "京O12345"),
        ("晋d12345", "晋D12345"),
        ("晋Ｄ１２３４５", "晋D12345"),
        ("晋ｄ１２３４５", "晋D12345"),
        ("晋 D 12345", "晋D12345"),
        ("  晋D12345  ", "晋D12345"),
        ("晋　D12345", "晋D12345"),
        ("晋D·12345", "晋D12345"),
        ("晋D•12345", "晋D12345"),
        ("晋D・12345", "晋D12345"),
        ("晋D-123-45", "晋D12345"),
        ("晋D.123.45", "晋D12345"),
        ("晋D－12345", "晋D12345"),
        ("晋D1234挂", "晋D1234挂"),
        ("晋 d 1234 挂", "晋D1234挂"),
        ("京A1234学", "京A1234学"),
        ("京A1234警", "京A1234警"),
        ("粤Z1234港", "粤Z1234港"),
        ("粤Z1234澳", "粤Z1234澳"),
        ("京A1234领", "京A1234领"),
        ("京AD12345", "京AD12345"),
        ("京AF12345", "京AF12345"),
        ("京ADA1234", "京ADA1234"),
        ("京afa1234", "京AFA1234"),
        ("晋D12345D", "晋D12345D"),
        ("晋D12345F", "晋D12345F"),
        ("琼A00000", "琼A00000"),
    ];
    for (input, want) in cases {
        match Plate::parse(input) {
            Ok(plate) => assert_eq!(plate.as_str(), want, "input {input:?}"),
            Err(e) => panic!("{input:?} refused: {e}"),
        }
    }
    // Every province character opens a valid plate.
    for p in PROVINCES.chars() {
        let text = format!("{p}A12345");
        assert!(Plate::parse(&text).is_ok(), "{text}");
        assert!(pinyin(p).is_some(), "no pinyin for {p}");
    }
}

#[test]
fn invalid_plates() {
    let long = format!("晋D{}", "1".repeat(10_000));
    let cases: Vec<(&str, &str)> = vec![
        ("", "empty"),
        ("   ", "empty"),
        ("　　", "empty"),
        ("·-. •・", "empty"),
        ("晋", "length"),
        ("晋D", "length"),
        ("晋D1234", "length"),
        ("晋D1234567", "length"),
        ("晋D123挂", "length"),
        ("晋D12345挂", "length"),
        ("XD12345", "province"),
        ("D12345", "province"),
        ("山D12345", "province"),
        ("<script>", "province"),
        ("<script>alert(1)</script>", "too_long"),
        ("🚚", "province"),
        ("\t晋D12345", "province"),
        ("晋I12345", "letter"),
        ("晋i12345", "letter"),
        ("晋812345", "letter"),
        ("晋晋12345", "letter"),
        ("晋D1234O", "character"),
        ("晋DI2345", "character"),
        ("晋D12*45", "character"),
        ("晋D12\u{0}45", "character"),
        ("晋D12345\n", "character"),
        ("晋D1234\u{202E}", "character"),
        ("晋D1234\u{7f}", "character"),
        ("晋D1234🚚", "character"),
        ("晋D挂1234", "character"),
        ("晋D1';--", "character"),
        ("晋D1'; DROP TABLE stays;--", "too_long"),
        ("晋D1234使", "suffix"),
        ("晋D1234晋", "suffix"),
        ("晋DA12345", "new_energy"),
        ("京AD1234A", "new_energy"),
        ("京AF1A234", "new_energy"),
        ("晋D1234DD", "new_energy"),
        ("晋D12345678901234", "length"),
        ("晋D123456789012345", "too_long"),
        (long.as_str(), "too_long"),
    ];
    for (input, key) in cases {
        match Plate::parse(input) {
            Ok(p) => panic!("{input:?} accepted as {p}"),
            Err(e) => {
                assert_eq!(e.reason_key(), key, "input {input:?}: {e}");
                let line = e.to_string();
                assert!(
                    !line.chars().any(super::super::text::is_control),
                    "{line:?}"
                );
                // Prefix "plate '" + at most 20 echoed chars + reason.
                assert!(line.chars().count() < 200, "{line:?}");
            }
        }
    }
}

#[test]
fn error_messages() {
    let msg = |s: &str| match Plate::parse(s) {
        Ok(p) => panic!("{s:?} accepted as {p}"),
        Err(e) => e.to_string(),
    };
    assert_eq!(
        msg("晋D1234"),
        "plate '晋D1234' is too short: expected province, letter and 5 characters"
    );
    assert_eq!(
        msg("XD12345"),
        "plate 'XD12345': 'X' is not a province character"
    );
    assert_eq!(
        msg("晋I12345"),
        "plate '晋I12345': issuing letter must be A–Z except I, not 'I'"
    );
    assert_eq!(
        msg("晋D1234O"),
        "plate '晋D1234O': 'O' is not allowed (no I or O in the serial)"
    );
    assert_eq!(msg(" "), "plate is empty");
    assert_eq!(
        msg("晋D12\u{1b}45"),
        "plate '晋D12?45': '?' is not allowed in a plate"
    );
    assert_eq!(
        msg("晋D12345挂"),
        "plate '晋D12345挂' is too long: expected province, letter, 4 characters and 挂"
    );
    let long = msg(&"晋D123456789".repeat(1000));
    assert_eq!(
        long,
        "plate '晋D123456789晋D123456…' is too long: at most 16 characters"
    );
}

#[test]
fn normalise_examples() {
    assert_eq!(normalise("ｊｉｎ　ｄ－１２"), "JIND12");
    assert_eq!(normalise("晋·d.1-2 3"), "晋D123");
    assert_eq!(normalise(""), "");
}

#[test]
fn search_matching() {
    let plate = |s: &str| match Plate::parse(s) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    };
    let cases = [
        ("晋D12345", "", true),
        ("晋D12345", "   ", true),
        ("晋D12345", "D123", true),
        ("晋D12345", "d123", true),
        ("晋D12345", "jinD123", true),
        ("晋D12345", "晋D123", true),
        ("晋D12345", "JIN d 123", true),
        ("晋D12345", "ｊｉｎｄ１２３", true),
        ("晋D12345", "12345", true),
        ("晋D12345", "jin", true),
        ("晋D12345", "n d", true),
        ("晋D12345", "jind12345", true),
        ("晋D12345", "晋", true),
        ("晋D12345", "jing", false),
        ("晋D12345", "京", false),
        ("晋D12345", "D124", false),
        ("晋D12345", "晋D123456", false),
        ("晋D12345", "jind123456", false),
        ("晋D12345", "JD", false),
        ("晋D12345", "jinjin", false),
        ("津A00001", "jin", true),
        ("京A00001", "jin", true),
        ("京A00001", "jinga", true),
        ("渝B12345", "yub", true),
        ("豫B12345", "yub", true),
        ("鄂A12345", "ea1", true),
        ("晋D1234挂", "挂", true),
        ("晋D1234挂", "1234挂", true),
        ("晋D1234挂", "jind1234挂", true),
        ("晋D1234挂", "1234学", false),
    ];
    for (p, q, want) in cases {
        let query = PlateQuery::new(q);
        assert_eq!(plate(p).matches(&query), want, "{p} vs {q:?}");
    }
    assert!(PlateQuery::new(" · ").is_empty());
    assert!(!PlateQuery::new("d").is_empty());
}

#[test]
fn width_in_cells() {
    let w = |s: &str| Plate::parse(s).map(|p| p.width()).ok();
    assert_eq!(w("晋D12345"), Some(8));
    assert_eq!(w("晋D1234挂"), Some(9));
    assert_eq!(w("京AD12345"), Some(9));
}

#[test]
fn conversions_and_serde() {
    let p: Plate = "晋d 12345".parse().expect("valid");
    assert_eq!(p.to_string(), "晋D12345");
    assert_eq!(Plate::try_from("晋D12345".to_owned()), Ok(p.clone()));
    assert_eq!(String::from(p.clone()), "晋D12345");
    let json = serde_json::to_string(&p).expect("serialise");
    assert_eq!(json, "\"晋D12345\"");
    let back: Plate = serde_json::from_str("\"晋d12345\"").expect("deserialise");
    assert_eq!(back, p);
    assert!(serde_json::from_str::<Plate>("\"晋D1234\"").is_err());
    assert!(serde_json::from_str::<Plate>("12345").is_err());
}

#[test]
fn never_panics_on_odd_input() {
    let odd = [
        "\u{0}",
        "\u{FEFF}",
        "\u{FF5E}",
        "\u{FF01}",
        "é",
        "ß",
        "İ",
        "ı",
        "晋D\u{301}",
        "\u{10FFFF}",
        "晋\u{FF21}\u{FF10}\u{FF10}\u{FF10}\u{FF10}\u{FF10}",
    ];
    for s in odd {
        let _ = Plate::parse(s);
        let q = PlateQuery::new(s);
        if let Ok(p) = Plate::parse("晋D12345") {
            let _ = p.matches(&q);
        }
    }
    assert_eq!(
        Plate::parse("晋\u{FF21}\u{FF10}\u{FF10}\u{FF10}\u{FF10}\u{FF10}").map(String::from),
        Ok("晋A00000".to_owned())
    );
}

/// `parse_typed`, the one reading of a typed plate (the command line, the
/// form, prompts and filters): each row is the text, the site's province,
/// and the plate or the kind of error.
#[test]
fn typed_plates_read_the_same_everywhere() {
    let cases: &[(&str, char, Result<&str, &str>)] = &[
        // What `parse` takes, as it takes it.
        ("晋D12345", '晋', Ok("晋D12345")),
        ("晋d 12345", '津', Ok("晋D12345")),
        ("晋Ｄ１２３４５", '晋', Ok("晋D12345")),
        ("津A00001", '晋', Ok("津A00001")),
        // A pinyin province, any case, spaced, full-width.
        ("jinD12345", '晋', Ok("晋D12345")),
        ("JIN d 12345", '晋', Ok("晋D12345")),
        ("Jin·D·12345", '晋', Ok("晋D12345")),
        ("ｊｉｎＤ１２３４５", '晋', Ok("晋D12345")),
        ("jingA12345", '晋', Ok("京A12345")),
        ("chuanA12345", '晋', Ok("川A12345")),
        ("eA12345", '晋', Ok("鄂A12345")),
        ("jinD1234挂", '晋', Ok("晋D1234挂")),
        ("jinAD12345", '晋', Ok("晋AD12345")),
        // The province's full name in pinyin, as an operator who does not
        // know its abbreviation's types it: 山西 and 陕西 told apart.
        ("shanxi A11118", '晋', Ok("晋A11118")),
        ("shaanxiA12345", '晋', Ok("陕A12345")),
        ("hebeiB12345", '晋', Ok("冀B12345")),
        ("neimengguK12345", '晋', Ok("蒙K12345")),
        ("guangxiA12345", '晋', Ok("桂A12345")),
        // 晋 and 津 are both JIN: the site's province decides.
        ("jinD12345", '津', Ok("津D12345")),
        ("guiA12345", '桂', Ok("桂A12345")),
        ("guiA12345", '贵', Ok("贵A12345")),
        // The longest pinyin that leaves a letter: JING is 京 even where
        // JIN + G·D12345 (a new-energy serial) is a plate of the site's own
        // province; JIN·D12345, never JI·N·D12345 (冀N, new-energy), even
        // where 冀 is home (there 晋 or 津 is asked); YU·E before YUE and a
        // digit.
        ("jingD12345", '晋', Ok("京D12345")),
        ("jinD12345", '冀', Err("ambiguous")),
        ("yunA12345", '渝', Ok("云A12345")),
        ("yuE12345", '豫', Ok("豫E12345")),
        ("yueB12345", '晋', Ok("粤B12345")),
        // A pinyin naming two provinces, neither the site's: refused.
        ("guiA12345", '晋', Err("ambiguous")),
        ("jinD12345", '京', Err("ambiguous")),
        ("yuB12345", '晋', Err("ambiguous")),
        ("yuE12345", '晋', Err("ambiguous")),
        // Strict still: the reading's reason, never a shorter pinyin's
        // plate (JI·N·D1234 is one).
        ("jinD1234", '冀', Err("length")),
        ("jinD1234", '晋', Err("length")),
        ("jinI12345", '晋', Err("letter")),
        ("jinD1234O", '晋', Err("character")),
        ("jinD1234使", '晋', Err("suffix")),
        ("jinDA12345", '晋', Err("new_energy")),
        // A digit where the letter goes: said of JIN's reading, not of a
        // shorter pinyin's (JI·N·1D2345, a new-energy serial).
        ("jin1D2345", '晋', Err("letter")),
        ("jin", '晋', Err("length")),
        ("jin\u{200B}D12345", '晋', Err("character")),
        ("jinD12\u{FEFF}345", '晋', Err("character")),
        // No pinyin opens it: `parse`'s reason.
        ("D12345", '晋', Err("province")),
        ("XD12345", '晋', Err("province")),
        ("\u{FEFF}晋D12345", '晋', Err("province")),
        ("\u{200B}jinD12345", '晋', Err("province")),
        ("晋D1\u{200B}2345", '晋', Err("character")),
        ("", '晋', Err("empty")),
        ("jinD123456789012345", '晋', Err("too_long")),
    ];
    for &(text, home, want) in cases {
        let got = Plate::parse_typed(text, home);
        match (&got, want) {
            (Ok(p), Ok(w)) => assert_eq!(p.as_str(), w, "{text:?} at {home}"),
            (Err(e), Err(key)) => {
                assert_eq!(e.reason_key(), key, "{text:?} at {home}: {e}");
                let line = e.to_string();
                assert!(
                    !line.chars().any(super::super::text::is_control),
                    "{line:?}"
                );
            }
            _ => panic!("{text:?} at {home}: {got:?}, expected {want:?}"),
        }
    }
}

#[test]
fn typed_plate_errors_name_what_was_typed() {
    let msg = |s: &str, home: char| match Plate::parse_typed(s, home) {
        Ok(p) => panic!("{s:?} accepted as {p}"),
        Err(e) => e.to_string(),
    };
    assert_eq!(
        msg("jinD1234", '晋'),
        "plate 'jinD1234' is too short: expected province, letter and 5 characters"
    );
    assert_eq!(
        msg("guiA12345", '晋'),
        "plate 'guiA12345': the pinyin could be 桂 or 贵: type the province character"
    );
    assert_eq!(
        msg("jinD12345", '京'),
        "plate 'jinD12345': the pinyin could be 津 or 晋: type the province character"
    );
    // An invisible character is named by its code point, wherever it is.
    assert!(msg("晋D1\u{200B}2345", '晋').contains("the invisible character U+200B"));
    assert!(msg("\u{FEFF}晋D12345", '晋').contains("the invisible character U+FEFF"));
    assert!(msg("晋\u{200B}D12345", '晋').contains("the invisible character U+200B"));
    assert!(msg("jin\u{200B}D12345", '晋').contains("the invisible character U+200B"));
}
