//! Who is at the keyboard: the name this terminal remembers from its last
//! sign-in, kept in the user's state directory (one small file per terminal
//! name, beside the interface's log). Every event the interface records is
//! in that name. The prompt itself is a `Prompt` (`PromptNext::SignIn`).

use std::path::{Path, PathBuf};

/// Where terminal `terminal` remembers who signed in last.
pub fn path_for(terminal: &str) -> Option<PathBuf> {
    let log = super::log::path()?;
    // A file name from any terminal name: letters, digits, '-' and '_' as
    // they are, anything else as its code point.
    let safe: String = terminal
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_string()
            } else {
                format!("_{:x}", c as u32)
            }
        })
        .collect();
    Some(log.with_file_name(format!("operator-{safe}")))
}

/// The name last signed in at this terminal, if it is still a clean name.
pub fn remembered(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    crate::domain::text::clean("operator", text.trim(), true).ok()
}

/// Remembers `name` for the next start at this terminal.
pub fn remember(path: &Path, name: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, format!("{name}\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_remembered_and_read_back_clean() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("state").join("operator-east-1");
        assert_eq!(remembered(&p), None);
        remember(&p, "王 班长").unwrap();
        assert_eq!(remembered(&p).as_deref(), Some("王 班长"));
        std::fs::write(&p, "\u{7}\n").unwrap();
        assert_eq!(remembered(&p), None, "a control character is not a name");
    }

    #[test]
    fn any_terminal_name_makes_a_file_name() {
        if let Some(p) = path_for("东门 1/2") {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            assert!(!name.contains('/') && !name.contains(' '), "{name}");
            assert!(name.starts_with("operator-"));
        }
    }
}
