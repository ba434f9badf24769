//! Where the password for the lot's server comes from when the address
//! does not carry one, as libpq (and so `psql`) finds it: `PGPASSWORD`,
//! then the password file (`PGPASSFILE`, or `~/.pgpass`), which is ignored
//! unless only its owner can read it. The Rust client reads neither by
//! itself. A password is never printed: the address is shown without it
//! (`lot::shown`), and nothing here says which line matched.

use std::path::{Path, PathBuf};

/// Who is connecting to what, as the password file's lines match it.
pub(super) struct Target<'a> {
    pub host: &'a str,
    pub port: u16,
    pub database: &'a str,
    pub user: &'a str,
}

/// Where the password came from, or why none did.
pub(super) enum Found {
    Password(String),
    /// The password file was passed over: others can read it (libpq does
    /// the same). The user is told, by whoever speaks to them.
    Ignored(PathBuf),
    None,
}

/// The password for `t`, if the environment or the password file has one.
pub(super) fn find(t: &Target<'_>) -> Found {
    if let Some(p) = std::env::var_os("PGPASSWORD") {
        return p.into_string().map_or(Found::None, Found::Password);
    }
    let Some(file) = password_file() else {
        return Found::None;
    };
    if !private(&file) {
        return Found::Ignored(file);
    }
    std::fs::read_to_string(&file)
        .ok()
        .and_then(|text| matching(&text, t))
        .map_or(Found::None, Found::Password)
}

fn password_file() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PGPASSFILE") {
        return Some(PathBuf::from(p));
    }
    let home = std::env::var_os("HOME")?;
    Some(PathBuf::from(home).join(".pgpass")).filter(|p| p.is_file())
}

/// Only the owner may read or write it (libpq's rule).
fn private(file: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(file).is_ok_and(|m| m.permissions().mode() & 0o077 == 0)
}

/// The first line of a password file that matches `t`: five fields split
/// by `:`, `*` matching anything, `\:` and `\\` standing for themselves.
fn matching(text: &str, t: &Target<'_>) -> Option<String> {
    let port = t.port.to_string();
    let wanted = [t.host, port.as_str(), t.database, t.user];
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty())
        .map(fields)
        .find(|f| {
            f.len() == 5
                && f.iter()
                    .zip(wanted)
                    .all(|(field, want)| field == "*" || field == want)
        })
        .map(|mut f| f.swap_remove(4))
}

fn fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next()
                    && let Some(last) = out.last_mut()
                {
                    last.push(next);
                }
            }
            // The password is the rest of the line, colons and all.
            ':' if out.len() < 5 => out.push(String::new()),
            c => {
                if let Some(last) = out.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t() -> Target<'static> {
        Target {
            host: "10.0.0.5",
            port: 5432,
            database: "lot",
            user: "gate",
        }
    }

    #[test]
    fn the_first_matching_line_gives_the_password() {
        let file = "# the lot\n\
                    10.0.0.9:5432:lot:gate:other\n\
                    10.0.0.5:*:lot:gate:s3cr:et\n\
                    *:*:*:*:fallback\n";
        assert_eq!(matching(file, &t()).as_deref(), Some("s3cr:et"));
    }

    #[test]
    fn wildcards_and_escapes_match_as_libpq_reads_them() {
        assert_eq!(
            matching("*:*:*:gate:a\\:b\\\\c", &t()).as_deref(),
            Some("a:b\\c")
        );
        assert_eq!(matching("*:5433:*:*:x", &t()), None);
        assert_eq!(matching("short:line", &t()), None);
    }
}
