//! Free-text fields (driver name, origin, destination, reasons): cleaning
//! what an operator typed, and measuring and cutting text to terminal cells.
//!
//! Also the shared helper that makes an operator's input safe to echo in an
//! error message, and a number's decimal digits written by hand. Plates and phone numbers have their own modules (`plate`,
//! `phone`); nothing here touches the terminal or storage.

use unicode_width::UnicodeWidthChar;
use unicode_width::UnicodeWidthStr;

/// `n`'s decimal digits, at least `min` of them (zeros in front, as
/// `{:0min$}` writes them), in `buf`: for text built on a hot path (a bay's
/// id for every bay of a lot opened, a terminal's escape codes for every
/// frame), where `format!` costs several times more.
pub fn decimal(n: u64, min: usize, buf: &mut [u8; 20]) -> &[u8] {
    buf.fill(b'0');
    let mut i = buf.len();
    let mut n = n;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    &buf[i.min(buf.len().saturating_sub(min))..]
}

/// Most characters a free-text field may hold, after trimming.
pub const MAX_CHARS: usize = 200;

/// Most characters of an operator's input echoed back in an error message.
const MAX_ECHO: usize = 20;

/// Why a free-text field was refused. `field` names the field, e.g.
/// `driver`; `Display` is one English line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("{field} must not be empty")]
    Empty { field: String },
    #[error("{field} is too long ({chars} characters, at most {MAX_CHARS})")]
    TooLong { field: String, chars: usize },
    #[error("{field} contains a control character")]
    Control { field: String },
}

impl TextError {
    /// A short, stable snake_case key per kind of error, for translation.
    pub fn reason_key(&self) -> &'static str {
        match self {
            TextError::Empty { .. } => "empty",
            TextError::TooLong { .. } => "too_long",
            TextError::Control { .. } => "control",
        }
    }
}

/// Control characters and the like, refused in text and never echoed raw:
/// C0 and C1 controls (incl. `\n`, `\t`, DEL), bidi embeddings, overrides
/// and isolates (U+202A..U+202E, U+2066..U+2069), and the line and
/// paragraph separators U+2028 and U+2029.
pub(crate) fn is_control(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}'
        )
}

/// `c`, or `?` if it is a control character.
pub(crate) fn safe_char(c: char) -> char {
    if is_control(c) { '?' } else { c }
}

/// The code point of a character that cannot be seen where it is typed or
/// shown, as `U+200B`: a control, whitespace, a character of no width, and
/// the format characters a paste brings along (zero-width space, joiners
/// and direction marks U+200B..U+200F, word joiner and invisible operators
/// U+2060..U+2064, the BOM U+FEFF). `None` for a character that can be seen.
/// Every message that names such a character names it this way, in every
/// language (the words around it are the catalogue's).
pub fn code_point(c: char) -> Option<String> {
    let invisible = c.is_control()
        || c.is_whitespace()
        || UnicodeWidthChar::width(c) == Some(0)
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}');
    invisible.then(|| format!("U+{:04X}", c as u32))
}

/// A character as a message can show it: quoted when it can be seen, by
/// its code point when it cannot (a zero-width space, a BOM, a control).
pub fn shown(ch: char) -> String {
    match code_point(ch) {
        Some(u) => format!("the invisible character {u}"),
        None => format!("'{ch}'"),
    }
}

/// A character as typed with a Chinese input method switched on, made the
/// ASCII one it stands for: full-width forms (`３`, `Ａ`, `．`) and the
/// ideographic space. Plates, phones and temperatures read through it.
pub fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// An operator's input made safe to echo in a one-line message: trimmed,
/// control characters replaced by `?`, and at most 20 characters (the last
/// being `…` when cut).
pub(crate) fn echo(text: &str) -> String {
    let text = text.trim();
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == MAX_ECHO - 1 && text.chars().nth(MAX_ECHO).is_some() {
            out.push('…');
            break;
        }
        out.push(safe_char(c));
    }
    out
}

/// Cleans a free-text field: trims surrounding whitespace, refuses any
/// control character (see above) and anything over [`MAX_CHARS`]
/// characters. An empty result is an error only if `required`.
pub fn clean(field: &str, text: &str, required: bool) -> Result<String, TextError> {
    let text = text.trim();
    if text.is_empty() {
        return if required {
            Err(TextError::Empty {
                field: field.to_owned(),
            })
        } else {
            Ok(String::new())
        };
    }
    if text.chars().any(is_control) {
        return Err(TextError::Control {
            field: field.to_owned(),
        });
    }
    let chars = text.chars().count();
    if chars > MAX_CHARS {
        return Err(TextError::TooLong {
            field: field.to_owned(),
            chars,
        });
    }
    Ok(text.to_owned())
}

/// Display width of `s` in terminal cells (CJK characters are 2 cells).
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cuts `s` to at most `cells` display cells, never splitting a character,
/// and appends `…` (1 cell) when it had to cut. The cut falls between
/// words where a boundary is near (a space, or either side of a Chinese
/// character: Chinese has no spaces, so any character boundary in it is
/// one, except beside a letter or digit, as in a plate), losing at most
/// half the room and at most 12 cells; the separators left before it
/// (spaces, `:`, `;`, `·`, `—`, an opening bracket) go. So
/// `fever: driver 张三; yellow code` in 24 cells is `fever: driver 张三…`,
/// never `fever: driver 张三; yel…`. A word longer than that is cut inside
/// it, still with `…`.
pub fn fit(s: &str, cells: usize) -> String {
    fit_with(s, cells, "…")
}

/// [`fit`] with another mark for the cut: `...` where `…` cannot be drawn
/// (`--ascii`). A room narrower than the mark holds as much of the mark as
/// fits.
pub fn fit_with(s: &str, cells: usize, mark: &str) -> String {
    if width(s) <= cells {
        return s.to_owned();
    }
    let mark_w = width(mark);
    if cells < mark_w {
        return mark.chars().take(cells).collect();
    }
    let budget = cells - mark_w;
    let mut end = 0;
    let mut used = 0;
    for (i, c) in s.char_indices() {
        let w = c.width().unwrap_or(0);
        if used + w > budget {
            break;
        }
        used += w;
        end = i + c.len_utf8();
    }
    // Sequences (e.g. an emoji and a variation selector) can be wider than
    // the sum of their characters: back off until the prefix really fits.
    let mut prefix = &s[..end];
    while width(prefix) > budget {
        let mut chars = prefix.chars();
        chars.next_back();
        prefix = chars.as_str();
    }
    let near = (budget / 2).min(12);
    if let Some(word) = word_prefix(s, prefix.len())
        && budget - width(word) <= near
    {
        prefix = word;
    } else {
        prefix = prefix.trim_end();
    }
    let mut out = String::with_capacity(prefix.len() + mark.len());
    out.push_str(prefix);
    out.push_str(mark);
    out
}

/// Where a cut ends a phrase rather than a word: a separator, which is
/// dropped before `…`.
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            ':' | ';'
                | ','
                | '·'
                | '—'
                | '–'
                | '-'
                | '/'
                | '('
                | '['
                | '→'
                | '：'
                | '；'
                | '，'
                | '、'
                | '（'
        )
}

/// A character with no spaces around it in its language (Chinese and other
/// wide characters): a word boundary on either side of it, where the other
/// side is not a letter or digit.
fn is_wide(c: char) -> bool {
    c.width() == Some(2)
}

/// The longest prefix of `s` no longer than `s[..end]` that ends between
/// words, without the separators before the cut; `None` if there is no
/// boundary at all, or nothing but separators before it.
fn word_prefix(s: &str, end: usize) -> Option<&str> {
    let at = boundary_before(s, end)?;
    let word = s[..at].trim_end_matches(is_separator);
    (!word.is_empty()).then_some(word)
}

/// The last place at or before byte `end` of `s` that falls between words:
/// after a space, before one, or beside a Chinese character (unless a
/// letter or digit is on the other side: a plate, `晋D12345`, or a time,
/// `于03:00`, is one word). `None` if there is none.
fn boundary_before(s: &str, end: usize) -> Option<usize> {
    let mut at = end;
    loop {
        let before = s[..at].chars().next_back()?;
        let after = s[at..].chars().next();
        let beside_wide = |wide: char, other: char| is_wide(wide) && !other.is_ascii_alphanumeric();
        let boundary = before.is_whitespace()
            || after.is_some_and(|c| {
                c.is_whitespace() || beside_wide(before, c) || beside_wide(c, before)
            });
        if boundary {
            return Some(at);
        }
        at -= before.len_utf8();
    }
}

/// `s` in lines of at most `cells` display cells, broken between words
/// (where `fit` would cut: a space, or beside a Chinese character), inside
/// a word only when it is longer than a line. At most `max` lines: the
/// last is cut with `mark` (`fit_with`) when more was left.
pub fn wrap(s: &str, cells: usize, max: usize, mark: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s.trim();
    while !rest.is_empty() && out.len() < max && cells > 0 {
        if width(rest) <= cells || out.len() + 1 == max {
            out.push(fit_with(rest, cells, mark));
            break;
        }
        // The longest prefix that fits, then back to a word's end.
        let mut end = 0;
        let mut used = 0;
        for (i, c) in rest.char_indices() {
            used += c.width().unwrap_or(0);
            if used > cells {
                break;
            }
            end = i + c.len_utf8();
        }
        while end > 0 && width(&rest[..end]) > cells {
            end -= rest[..end].chars().next_back().map_or(1, char::len_utf8);
        }
        let cut = match boundary_before(rest, end) {
            Some(at) if !rest[..at].trim().is_empty() => at,
            // One word longer than the line: cut inside it.
            _ => end.max(rest.chars().next().map_or(1, char::len_utf8)),
        };
        out.push(rest[..cut].trim_end().to_owned());
        rest = rest[cut..].trim_start();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_are_named_by_their_code_point() {
        for (c, want) in [
            ('\u{200B}', Some("U+200B")),
            ('\u{FEFF}', Some("U+FEFF")),
            ('\u{200D}', Some("U+200D")),
            ('\u{2060}', Some("U+2060")),
            ('\u{1b}', Some("U+001B")),
            (' ', Some("U+0020")),
            ('\u{3000}', Some("U+3000")),
            ('晋', None),
            ('D', None),
            ('*', None),
        ] {
            assert_eq!(code_point(c).as_deref(), want, "{c:?}");
        }
    }

    #[test]
    fn decimal_writes_what_format_writes() {
        for n in [0u64, 7, 10, 59, 60, 99, 100, 1234, 65_535, u64::MAX] {
            for min in [1, 2, 5] {
                let mut buf = [0; 20];
                assert_eq!(
                    decimal(n, min, &mut buf),
                    format!("{n:0min$}").as_bytes(),
                    "{n} {min}"
                );
            }
        }
    }

    #[test]
    fn clean_accepts_and_trims() {
        assert_eq!(clean("driver", "  张三  ", true), Ok("张三".to_owned()));
        assert_eq!(clean("driver", "\t张三\n", true), Ok("张三".to_owned()));
        assert_eq!(clean("origin", "　太原　", true), Ok("太原".to_owned()));
        assert_eq!(
            clean("origin", "太原 小店区", true),
            Ok("太原 小店区".to_owned())
        );
        assert_eq!(clean("reason", "🚚 late", true), Ok("🚚 late".to_owned()));
        assert_eq!(
            clean("reason", "'; DROP TABLE stays;--", true),
            Ok("'; DROP TABLE stays;--".to_owned())
        );
        assert_eq!(clean("reason", "", false), Ok(String::new()));
        assert_eq!(clean("reason", "   ", false), Ok(String::new()));
    }

    #[test]
    fn clean_refuses() {
        let key =
            |text: &str, required: bool| clean("f", text, required).map_err(|e| e.reason_key());
        let cases: [(&str, bool, &str); 14] = [
            ("", true, "empty"),
            ("  \t\n ", true, "empty"),
            ("　", true, "empty"),
            ("a\nb", false, "control"),
            ("a\tb", false, "control"),
            ("a\rb", false, "control"),
            ("a\u{0}b", false, "control"),
            ("a\u{1b}[31mb", false, "control"),
            ("a\u{7f}b", false, "control"),
            ("a\u{85}b", false, "control"),
            ("a\u{9b}b", false, "control"),
            ("a\u{202E}b", false, "control"),
            ("a\u{2066}b\u{2069}", false, "control"),
            ("a\u{2028}b", false, "control"),
        ];
        for (text, required, want) in cases {
            assert_eq!(key(text, required), Err(want), "{text:?}");
        }
        for c in '\u{202A}'..='\u{202E}' {
            assert_eq!(key(&format!("x{c}y"), false), Err("control"));
        }
        assert_eq!(key(&"a".repeat(201), true), Err("too_long"));
        assert_eq!(key(&"晋".repeat(201), true), Err("too_long"));
    }

    #[test]
    fn clean_length_limit_counts_characters() {
        let ascii = "a".repeat(MAX_CHARS);
        assert_eq!(clean("driver", &ascii, true), Ok(ascii.clone()));
        let cjk = "张".repeat(MAX_CHARS);
        assert_eq!(clean("driver", &cjk, true), Ok(cjk.clone()));
        let padded = format!("  {cjk}  ");
        assert_eq!(clean("driver", &padded, true), Ok(cjk));
    }

    #[test]
    fn error_messages() {
        let msg = |field: &str, text: &str| match clean(field, text, true) {
            Ok(s) => panic!("{text:?} accepted as {s:?}"),
            Err(e) => e.to_string(),
        };
        assert_eq!(
            msg("driver", &"x".repeat(230)),
            "driver is too long (230 characters, at most 200)"
        );
        assert_eq!(msg("origin", "a\nb"), "origin contains a control character");
        assert_eq!(msg("destination", " "), "destination must not be empty");
    }

    #[test]
    fn widths() {
        assert_eq!(width(""), 0);
        assert_eq!(width("abc"), 3);
        assert_eq!(width("晋D12345"), 8);
        assert_eq!(width("张三"), 4);
        assert_eq!(width("…"), 1);
    }

    #[test]
    fn fit_cuts_by_cells() {
        assert_eq!(fit("晋D12345", 8), "晋D12345");
        assert_eq!(fit("晋D12345", 20), "晋D12345");
        assert_eq!(fit("晋D12345", 7), "晋D123…");
        assert_eq!(fit("晋D12345", 5), "晋D1…");
        assert_eq!(fit("晋D12345", 3), "晋…");
        assert_eq!(fit("晋D12345", 2), "…");
        assert_eq!(fit("晋D12345", 1), "…");
        assert_eq!(fit("晋D12345", 0), "");
        assert_eq!(fit("张三李四", 4), "张…");
        assert_eq!(fit("张三李四", 6), "张三…");
        assert_eq!(fit("张三李四", 5), "张三…");
        assert_eq!(fit("", 0), "");
        assert_eq!(fit("abc", 0), "");
    }

    #[test]
    fn fit_cuts_between_words_where_one_is_near() {
        let reason = "fever: driver 张三; yellow code: passenger 1 李四";
        assert_eq!(fit(reason, 10), "fever…");
        assert_eq!(fit(reason, 20), "fever: driver 张三…");
        assert_eq!(fit(reason, 30), "fever: driver 张三; yellow…");
        assert_eq!(
            fit("escalated 03:00 — await decision (已报区疾控)", 22),
            "escalated 03:00…"
        );
        assert_eq!(
            fit("escalated 03:00 — await decision (已报区疾控)", 36),
            "escalated 03:00 — await decision…"
        );
        assert_eq!(
            fit("cargo transfer confirm arrival", 29),
            "cargo transfer confirm…"
        );
        // No boundary near: cut inside the word, still marked.
        assert_eq!(fit("disinfection", 8), "disinfe…");
        assert_eq!(fit("a disinfection", 12), "a disinfect…");
        // Chinese: any character boundary is one.
        assert_eq!(fit("已于03:00上报——等待决定", 14), "已于03:00上报…");
        assert_eq!(fit("发热: 司机 张三; 黄码: 乘客 1 李四", 9), "发热: 司…");
        assert_eq!(fit("重点生产物资 · 36.4 °C", 9), "重点生产…");
    }

    #[test]
    fn fit_with_an_ascii_mark() {
        let reason = "fever: driver Zhang; yellow code";
        assert_eq!(fit_with(reason, 20, "..."), "fever: driver...");
        assert_eq!(fit_with(reason, 40, "..."), reason);
        assert_eq!(fit_with(reason, 2, "..."), "..");
        assert_eq!(fit_with(reason, 0, "..."), "");
    }

    #[test]
    fn fit_never_exceeds_or_splits() {
        let samples = [
            "晋D12345",
            "张三李四王五",
            "a张b三c",
            "🚚🚚🚚 truck",
            "❤\u{FE0F}❤\u{FE0F}❤\u{FE0F}",
            "e\u{301}e\u{301}e\u{301}",
            "ｆｕｌｌ　ｗｉｄｔｈ",
            "plain ascii text",
        ];
        for s in samples {
            for cells in 0..20 {
                let out = fit(s, cells);
                assert!(width(&out) <= cells, "{s:?} at {cells}: {out:?}");
                let body = out.strip_suffix('…').unwrap_or(&out);
                assert!(s.starts_with(body), "{s:?} at {cells}: {out:?}");
                assert!(!body.ends_with(' '), "{s:?} at {cells}: {out:?}");
                if width(s) <= cells {
                    assert_eq!(out, s);
                }
            }
        }
    }

    #[test]
    fn echo_is_sanitised_and_short() {
        assert_eq!(echo("a\u{0}b\u{202E}c\nd"), "a?b?c?d");
        assert_eq!(echo("  abc  "), "abc");
        assert_eq!(echo(&"x".repeat(20)), "x".repeat(20));
        let cut = echo(&"x".repeat(21));
        assert_eq!(cut.chars().count(), 20);
        assert!(cut.ends_with('…'));
        assert_eq!(echo(""), "");
    }

    #[test]
    fn wrap_breaks_between_words_and_cuts_only_the_last_line() {
        let en = "晋D12345 has a positive antigen result of its last stay that stands: it cannot be released";
        let lines = wrap(en, 30, 5, "…");
        assert!(lines.iter().all(|l| width(l) <= 30), "{lines:?}");
        assert_eq!(lines.join(" "), en, "nothing lost, no word split");
        assert!(lines[0].starts_with("晋D12345 has"), "{lines:?}");
        // Chinese breaks between characters, never inside a plate.
        let zh = "晋D12345：上次入场抗原阳性结果未解除，不能解除隔离（仅后续核酸阴性可解除）；只能经授权护送离开";
        let lines = wrap(zh, 20, 9, "…");
        assert!(lines.iter().all(|l| width(l) <= 20), "{lines:?}");
        assert_eq!(lines.concat(), zh);
        assert!(lines[0].starts_with("晋D12345"), "{lines:?}");
        // Too long for `max` lines: the last says so.
        let cut = wrap(en, 30, 2, "…");
        assert_eq!(cut.len(), 2);
        assert!(cut[1].ends_with('…') && width(&cut[1]) <= 30, "{cut:?}");
        // A word longer than a line is cut inside it; nothing is empty.
        assert_eq!(wrap("abcdefgh ij", 4, 5, "…"), ["abcd", "efgh", "ij"]);
        assert!(wrap("", 10, 3, "…").is_empty());
        assert!(wrap("x", 0, 3, "…").is_empty());
    }
}
