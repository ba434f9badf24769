//! Output primitives for the command line: human tables measured in display
//! cells (plates and names are CJK), CSV with proper quoting, JSON lines, and
//! how times and durations are shown (site time zone, `YYYY-MM-DD HH:MM`).
//!
//! What lives elsewhere: which rows and columns each command prints
//! (`cli::read`, `cli::write`). Nothing here reads the database.

use std::io::{self, Write};

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::domain::text;
use crate::i18n::words::{Word, word};
use crate::i18n::{CliMsg, Lang};
use crate::tz::Tz;

/// Now, to the millisecond (as the database stores times).
pub fn now() -> DateTime<Utc> {
    use crate::domain::clock::{Clock, SystemClock};
    use chrono::SubsecRound;
    SystemClock.now().trunc_subsecs(3)
}

/// A time in the site time zone, as people read it.
pub fn local(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()
}

/// Only the clock time, for times on the same screen as a full one.
pub fn local_hm(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz).format("%H:%M").to_string()
}

pub use crate::humanize::duration_in;

/// "in 12m" or "5m late" ("12分后", "超时5分"). Lateness rounds up, as
/// the interface's clocks board counts it: a clock just past due is "1m
/// late", never "0m late".
pub fn remaining(lang: Lang, d: Duration) -> String {
    if d < Duration::zero() {
        let late = d - Duration::seconds(59);
        say(lang, CliMsg::Late, &[&duration_in(lang, late)])
    } else {
        say(lang, CliMsg::In, &[&duration_in(lang, d)])
    }
}

/// A catalogue text with `{0}`, `{1}`, … filled (`CliMsg::say`).
pub fn say(lang: Lang, m: CliMsg, args: &[&dyn std::fmt::Display]) -> String {
    m.say(lang, args)
}

/// A domain word (zone, status, cargo, code, test, …) in `lang`. English is
/// the domain's own key (`parking`, `pcr`, `transfer`), as the command line
/// has always printed it and as its options take it; other languages come
/// from the catalogue (`i18n::words`).
pub fn wd<W: Word + Key>(lang: Lang, w: W) -> &'static str {
    match lang {
        Lang::En => w.key(),
        _ => word(w).text(lang),
    }
}

/// A domain value's stable English key.
pub trait Key: Copy {
    fn key(self) -> &'static str;
}

macro_rules! keys {
    ($($t:ty),+) => {$(
        impl Key for $t {
            fn key(self) -> &'static str {
                self.as_str()
            }
        }
    )+};
}
keys!(
    crate::domain::bay::Zone,
    crate::domain::stay::Status,
    crate::domain::policy::Cargo,
    crate::domain::policy::HealthCode,
    crate::domain::policy::CheckFlag,
    crate::domain::event::TestKind,
    crate::domain::event::TestResult,
    crate::domain::event::HandoffMode,
    crate::domain::event::ServiceKind
);

/// Words joined as a list: "fever, yellow code" or "发热、黄码".
pub fn list(lang: Lang, items: &[String]) -> String {
    items.join(match lang {
        Lang::En => ", ",
        Lang::Zh => "、",
    })
}

/// Data made safe for a terminal: control characters become `?`.
pub fn safe(s: &str) -> String {
    s.chars().map(text::safe_char).collect()
}

/// Writes `value` as one line of JSON.
pub fn json<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value).map_err(io::Error::other)?;
    writeln!(out)
}

/// A table of text cells, printed with columns aligned by display width.
pub struct Table {
    header: Vec<&'static str>,
    rows: Vec<Vec<String>>,
    /// Columns aligned to the right (numbers).
    right: Vec<bool>,
}

impl Table {
    pub fn new(header: &[&'static str]) -> Table {
        Table {
            header: header.to_vec(),
            rows: Vec::new(),
            right: vec![false; header.len()],
        }
    }

    /// Aligns column `i` to the right.
    pub fn right(mut self, cols: &[usize]) -> Table {
        for &i in cols {
            if let Some(r) = self.right.get_mut(i) {
                *r = true;
            }
        }
        self
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells.iter().map(|c| safe(c)).collect());
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn print(&self, out: &mut dyn Write) -> io::Result<()> {
        let n = self.header.len();
        let mut widths: Vec<usize> = self.header.iter().map(|h| text::width(h)).collect();
        for r in &self.rows {
            for (i, c) in r.iter().enumerate().take(n) {
                widths[i] = widths[i].max(text::width(c));
            }
        }
        let line = |cells: &mut dyn Iterator<Item = &str>| -> String {
            let mut s = String::new();
            for (i, c) in cells.enumerate().take(n) {
                let pad = widths[i].saturating_sub(text::width(c));
                if i > 0 {
                    s.push_str("  ");
                }
                if self.right[i] {
                    s.push_str(&" ".repeat(pad));
                    s.push_str(c);
                } else {
                    s.push_str(c);
                    if i + 1 < n {
                        s.push_str(&" ".repeat(pad));
                    }
                }
            }
            s.trim_end().to_string()
        };
        writeln!(out, "{}", line(&mut self.header.iter().copied()))?;
        for r in &self.rows {
            writeln!(out, "{}", line(&mut r.iter().map(String::as_str)))?;
        }
        Ok(())
    }
}

/// Writes CSV: a header and rows, RFC 4180 quoting. Cells that a spreadsheet
/// would run as a formula (`=`, `+`, `@`, or `-` not starting a number) get a
/// leading `'`.
pub fn csv(out: &mut dyn Write, header: &[&str], rows: &[Vec<String>]) -> io::Result<()> {
    let line = |cells: &mut dyn Iterator<Item = &str>| -> String {
        cells.map(csv_cell).collect::<Vec<_>>().join(",")
    };
    write!(out, "{}\r\n", line(&mut header.iter().copied()))?;
    for r in rows {
        write!(out, "{}\r\n", line(&mut r.iter().map(String::as_str)))?;
    }
    Ok(())
}

fn csv_cell(c: &str) -> String {
    let mut chars = c.chars();
    let formula = match chars.next() {
        Some('=' | '+' | '@' | '\t' | '\r') => true,
        Some('-') => !chars.next().is_some_and(|d| d.is_ascii_digit()),
        _ => false,
    };
    let c = if formula {
        format!("'{c}")
    } else {
        c.to_string()
    };
    if c.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", c.replace('"', "\"\""))
    } else {
        c
    }
}

/// A plain list of `label  value` lines, labels padded to one width.
pub struct Fields {
    lines: Vec<(String, String)>,
}

impl Fields {
    pub fn new() -> Fields {
        Fields { lines: Vec::new() }
    }

    pub fn add(&mut self, label: &str, value: impl Into<String>) {
        self.lines.push((label.to_string(), value.into()));
    }

    pub fn print(&self, out: &mut dyn Write) -> io::Result<()> {
        let w = self
            .lines
            .iter()
            .map(|(l, _)| text::width(l))
            .max()
            .unwrap_or(0);
        for (l, v) in &self.lines {
            let pad = w - text::width(l);
            writeln!(out, "{l}{}  {}", " ".repeat(pad), safe(v))?;
        }
        Ok(())
    }
}

impl Default for Fields {
    fn default() -> Fields {
        Fields::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_cjk_by_display_width() {
        let mut t = Table::new(&["PLATE", "N"]).right(&[1]);
        t.row(vec!["晋D12345".into(), "1".into()]);
        t.row(vec!["AB".into(), "22".into()]);
        let mut out = Vec::new();
        t.print(&mut out).unwrap();
        let s = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines[0], "PLATE      N");
        assert_eq!(lines[1], "晋D12345   1");
        assert_eq!(lines[2], "AB        22");
    }

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=1+2"), "'=1+2");
        assert_eq!(csv_cell("-12"), "-12");
        assert_eq!(csv_cell("-x"), "'-x");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(remaining(Lang::En, Duration::minutes(-5)), "5m late");
        assert_eq!(remaining(Lang::En, Duration::minutes(5)), "in 5m");
        // Just past due is a minute late, as the clocks board says.
        assert_eq!(remaining(Lang::En, Duration::seconds(-30)), "1m late");
        assert_eq!(
            remaining(Lang::Zh, Duration::minutes(-149)),
            "超时2小时29分"
        );
        assert_eq!(remaining(Lang::Zh, Duration::minutes(5)), "5分后");
    }

    #[test]
    fn say_fills_each_placeholder_once() {
        assert_eq!(
            say(Lang::En, CliMsg::Late, &[&"{0}"]),
            "{0} late",
            "a value is never filled again"
        );
    }
}
