//! The edge between the program and its environment: the config file
//! (`[policy]` thresholds and the `[site]` time zone), the default paths of
//! the database and the config file, and who is at the keyboard (operator and
//! terminal names).
//!
//! What lives elsewhere: the policy values and their ranges
//! (`domain::policy`), opening the database (`store`). Nothing here writes.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::domain::policy::{Policy, PolicyError};
use crate::domain::text;
use crate::tz::Tz;

/// The site time zone when the config file does not name one.
pub fn default_timezone() -> Tz {
    Tz::shanghai()
}

/// The terminal name recorded on events when none is given.
pub const DEFAULT_TERMINAL: &str = "gate";

/// The operator name recorded when neither `--operator` nor the login name is known.
pub const FALLBACK_OPERATOR: &str = "operator";

/// What the config file says, with defaults filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub policy: Policy,
    pub timezone: Tz,
    /// The site's gates (highway exits), as arrivals record them.
    pub gates: Vec<String>,
    /// The gate this terminal stands at: what an arrival records unless
    /// told otherwise. Always one of `gates`.
    pub gate: String,
    /// When the shifts start each day, in site time (the handover report's
    /// boundaries), sorted.
    pub shifts: Vec<chrono::NaiveTime>,
    /// The site's province: which one a pinyin typed in the arrival form
    /// means when it names several (`jin` is 晋 and 津).
    pub province: char,
    /// How many days personal data is kept after a stay ends: what
    /// `purge` blanks when given no date.
    pub retention_days: u32,
    /// The file that was read, if any.
    pub source: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            policy: Policy::default(),
            timezone: default_timezone(),
            gates: default_gates(),
            gate: default_gates()[0].clone(),
            province: DEFAULT_PROVINCE,
            shifts: default_shifts(),
            retention_days: DEFAULT_RETENTION_DAYS,
            source: None,
        }
    }
}

/// Why the configuration could not be used. Each is one line naming the file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ConfigError {
    #[error("config file '{}' does not exist", .0.display())]
    NotFound(PathBuf),
    #[error("cannot read config file '{}': {detail}", .path.display())]
    Read { path: PathBuf, detail: String },
    #[error("config file '{}'{}: {message}", .path.display(), line_suffix(*.line))]
    Invalid {
        path: PathBuf,
        line: Option<usize>,
        message: String,
    },
}

fn line_suffix(line: Option<usize>) -> String {
    line.map(|l| format!(" line {l}")).unwrap_or_default()
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct FileShape {
    policy: Policy,
    site: SiteShape,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct SiteShape {
    #[serde(deserialize_with = "timezone")]
    timezone: Tz,
    gates: Vec<String>,
    gate: Option<String>,
    province: Option<String>,
    shifts: Option<Vec<String>>,
    retention_days: u32,
}

impl Default for SiteShape {
    fn default() -> SiteShape {
        SiteShape {
            timezone: default_timezone(),
            gates: default_gates(),
            gate: None,
            province: None,
            shifts: None,
            retention_days: DEFAULT_RETENTION_DAYS,
        }
    }
}

/// Personal data of a stay is kept 30 days after it ends, unless the site
/// says otherwise.
const DEFAULT_RETENTION_DAYS: u32 = 30;
/// A century: longer than any stay's record needs keeping.
const MAX_RETENTION_DAYS: u32 = 36_500;

/// The day shift starts at 08:00, the night shift at 20:00.
fn default_shifts() -> Vec<chrono::NaiveTime> {
    [8, 20]
        .into_iter()
        .filter_map(|h| chrono::NaiveTime::from_hms_opt(h, 0, 0))
        .collect()
}

/// Tunliu is in Shanxi.
pub const DEFAULT_PROVINCE: char = '晋';

/// The Tunliu lot's two highway exits.
fn default_gates() -> Vec<String> {
    vec!["east".to_string(), "west".to_string()]
}

fn timezone<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Tz, D::Error> {
    let name = String::deserialize(d)?;
    name.trim().parse::<Tz>().map_err(|_| {
        serde::de::Error::custom(format!(
            "unknown time zone '{}' (expected an IANA name such as Asia/Shanghai)",
            text::echo(&name)
        ))
    })
}

/// The data and config directories of the current user, if there is a home.
fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "trucklot")
}

/// `trucklot.db` in the user's data directory.
pub fn default_db_path() -> Option<PathBuf> {
    project_dirs().map(|d| d.data_dir().join("trucklot.db"))
}

/// `config.toml` in the user's config directory.
pub fn default_config_path() -> Option<PathBuf> {
    project_dirs().map(|d| d.config_dir().join("config.toml"))
}

/// Loads the configuration: `explicit` (`--config FILE`) must exist; the
/// default file may be missing, which means every default.
pub fn load(explicit: Option<&Path>) -> Result<Config, ConfigError> {
    let (path, required) = match explicit {
        Some(p) => (p.to_path_buf(), true),
        None => match default_config_path() {
            Some(p) => (p, false),
            None => return Ok(Config::default()),
        },
    };
    let text = match std::fs::read(&path) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|_| ConfigError::Invalid {
            path: path.clone(),
            line: None,
            message: "the file is not UTF-8 text".into(),
        })?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return if required {
                Err(ConfigError::NotFound(path))
            } else {
                Ok(Config::default())
            };
        }
        Err(e) => {
            return Err(ConfigError::Read {
                path,
                detail: e.to_string(),
            });
        }
    };
    parse(&text, &path)
}

/// Parses config text; `path` is only used in messages.
pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
    let invalid = |line: Option<usize>, message: String| ConfigError::Invalid {
        path: path.to_path_buf(),
        line,
        message,
    };
    let shape: FileShape = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start));
        invalid(line, one_line(e.message()))
    })?;
    shape.policy.validate().map_err(|e| match &e {
        PolicyError::Range { field, .. } => {
            invalid(find_key(text, "policy", field), format!("[policy] {e}"))
        }
        PolicyError::Syntax(m) => invalid(None, one_line(m)),
    })?;
    let site = shape.site;
    let mut gates = Vec::new();
    for g in &site.gates {
        let g = text::clean("gate", g, true).map_err(|e| {
            invalid(
                find_key(text, "site", "gates"),
                format!("[site] gates: {e}"),
            )
        })?;
        if !gates.contains(&g) {
            gates.push(g);
        }
    }
    if gates.is_empty() {
        return Err(invalid(
            find_key(text, "site", "gates"),
            "[site] gates is empty: name at least one gate".into(),
        ));
    }
    let gate = match site.gate {
        None => gates[0].clone(),
        Some(g) if gates.contains(&g) => g,
        Some(g) => {
            return Err(invalid(
                find_key(text, "site", "gate"),
                format!(
                    "[site] gate = '{}' is not one of the gates ({})",
                    text::echo(&g),
                    gates.join(", ")
                ),
            ));
        }
    };
    if site.retention_days > MAX_RETENTION_DAYS {
        return Err(invalid(
            find_key(text, "site", "retention_days"),
            format!(
                "[site] retention_days = {} is out of range (0–{MAX_RETENTION_DAYS})",
                site.retention_days
            ),
        ));
    }
    let province = match site.province.as_deref().map(str::trim) {
        None => DEFAULT_PROVINCE,
        Some(p) => {
            let mut chars = p.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if crate::domain::plate::PROVINCES.contains(c) => c,
                _ => {
                    return Err(invalid(
                        find_key(text, "site", "province"),
                        format!(
                            "[site] province = '{}' is not a province character (e.g. 晋)",
                            text::echo(p)
                        ),
                    ));
                }
            }
        }
    };
    let shifts = match &site.shifts {
        None => default_shifts(),
        Some(list) => {
            let mut v = Vec::new();
            for s in list {
                let t = chrono::NaiveTime::parse_from_str(s.trim(), "%H:%M").map_err(|_| {
                    invalid(
                        find_key(text, "site", "shifts"),
                        format!(
                            "[site] shifts: '{}' is not a time of day (expected HH:MM, e.g. 08:00)",
                            text::echo(s)
                        ),
                    )
                })?;
                v.push(t);
            }
            v.sort();
            v.dedup();
            if v.is_empty() {
                return Err(invalid(
                    find_key(text, "site", "shifts"),
                    "[site] shifts is empty: name when at least one shift starts".into(),
                ));
            }
            v
        }
    };
    Ok(Config {
        policy: shape.policy,
        timezone: site.timezone,
        gates,
        gate,
        province,
        shifts,
        retention_days: site.retention_days,
        source: Some(path.to_path_buf()),
    })
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The 1-based line holding byte `offset` of `text`.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The line where `key` is set inside `[section]` (or as `section.key`).
fn find_key(text: &str, section: &str, key: &str) -> Option<usize> {
    let mut current = String::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if let Some(rest) = line.strip_prefix('[') {
            current = rest
                .trim_end_matches(|c: char| c != ']')
                .trim_end_matches(']')
                .trim()
                .to_string();
            continue;
        }
        let Some((lhs, _)) = line.split_once('=') else {
            continue;
        };
        let lhs: String = lhs.chars().filter(|c| !c.is_whitespace()).collect();
        let full = if current.is_empty() {
            lhs
        } else {
            format!("{current}.{lhs}")
        };
        if full == format!("{section}.{key}") {
            return Some(i + 1);
        }
    }
    None
}

/// The operator recorded on events when `--operator` is not given: the login
/// name (`$USER`, then `$LOGNAME`), else `operator`.
pub fn default_operator() -> String {
    ["USER", "LOGNAME"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .filter_map(|v| text::clean("operator", &v, true).ok())
        .next()
        .unwrap_or_else(|| FALLBACK_OPERATOR.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("/etc/trucklot.toml")
    }

    #[test]
    fn an_empty_file_is_every_default() {
        assert_eq!(
            parse("", p()).map(|c| (c.policy, c.timezone)),
            Ok((Policy::default(), default_timezone()))
        );
    }

    #[test]
    fn sections_set_policy_and_time_zone() {
        let c = parse(
            "[policy]\nfever_c = 37.5\n\n[site]\ntimezone = \"Asia/Urumqi\"\n",
            p(),
        )
        .unwrap();
        assert_eq!(c.policy.fever_c, 37.5);
        assert_eq!(c.timezone, crate::tz::Tz::named("Asia/Urumqi").unwrap());
    }

    #[test]
    fn unknown_keys_and_bad_values_name_the_line() {
        let e = parse("[policy]\nfever_c = 37.5\nfever = 1\n", p()).unwrap_err();
        let m = e.to_string();
        assert!(m.contains("/etc/trucklot.toml' line 3"), "{m}");
        assert!(m.contains("fever"), "{m}");

        let m = parse("[site]\n\ntimezone = \"Mars/Olympus\"\n", p())
            .unwrap_err()
            .to_string();
        assert!(m.contains("line 3") && m.contains("Mars/Olympus"), "{m}");

        let m = parse("[policy]\n# hot\nfever_c = 45.0\n", p())
            .unwrap_err()
            .to_string();
        assert!(m.contains("line 3") && m.contains("fever_c"), "{m}");

        let m = parse("[polcy]\n", p()).unwrap_err().to_string();
        assert!(m.contains("line 1") && m.contains("polcy"), "{m}");

        let m = parse("[policy]\nfever_c = nan\n", p())
            .unwrap_err()
            .to_string();
        assert!(m.contains("line 2") && m.contains("fever_c"), "{m}");
        let m = parse("[policy]\nservice_due_min = -5\n", p())
            .unwrap_err()
            .to_string();
        assert!(m.contains("line 2") && m.contains("service_due_min"), "{m}");

        let m = parse("[policy]\npcr_due_min = \"soon\"\n", p())
            .unwrap_err()
            .to_string();
        assert!(m.contains("line 2"), "{m}");
    }

    #[test]
    fn gates_come_from_the_site_section() {
        let c = parse("", p()).unwrap();
        assert_eq!(
            (c.gates.join(","), c.gate.as_str()),
            ("east,west".into(), "east")
        );
        let c = parse(
            "[site]\ngates = [\"北口\", \"南口\"]\ngate = \"南口\"\n",
            p(),
        )
        .unwrap();
        assert_eq!(c.gate, "南口");
        let m = parse("[site]\ngate = \"north\"\n", p())
            .unwrap_err()
            .to_string();
        assert!(m.contains("line 2") && m.contains("north"), "{m}");
        assert!(parse("[site]\ngates = []\n", p()).is_err());
        assert_eq!(parse("", p()).unwrap().province, '晋');
        assert_eq!(parse("", p()).unwrap().shifts.len(), 2);
        assert_eq!(parse("", p()).unwrap().retention_days, 30);
        assert_eq!(
            parse("[site]\nretention_days = 90\n", p())
                .unwrap()
                .retention_days,
            90
        );
        let e = parse("[site]\nretention_days = 99999\n", p()).unwrap_err();
        assert!(e.to_string().contains("retention_days"), "{e}");
        let c = parse("[site]\nshifts = [\"20:00\", \"08:00\", \"14:00\"]\n", p()).unwrap();
        assert_eq!(c.shifts[0].to_string(), "08:00:00");
        let m = parse("[site]\nshifts = [\"8am\"]\n", p())
            .unwrap_err()
            .to_string();
        assert!(m.contains("line 2") && m.contains("8am"), "{m}");
        assert_eq!(
            parse("[site]\nprovince = \"津\"\n", p()).unwrap().province,
            '津'
        );
        let m = parse("[site]\nprovince = \"X\"\n", p())
            .unwrap_err()
            .to_string();
        assert!(m.contains("line 2") && m.contains("province"), "{m}");
    }

    #[test]
    fn line_numbers_count_from_one() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 99), 3);
        assert_eq!(find_key("policy.fever_c = 1", "policy", "fever_c"), Some(1));
    }
}
