//! The interface's log file: errors the event loop met (a failed read of
//! the lot, a failing `data_version`), with the time. Never the terminal
//! while the TUI runs: the file is in the user's state directory,
//! `$XDG_STATE_HOME/trucklot/trucklot.log` (`~/.local/state/trucklot/` on
//! Linux; the local data directory where there is no state directory).

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

static FILE: OnceLock<Mutex<File>> = OnceLock::new();

/// Where the log is written.
pub fn path() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "trucklot")?;
    let dir = dirs.state_dir().unwrap_or_else(|| dirs.data_local_dir());
    Some(dir.join("trucklot.log"))
}

/// Opens the log for appending. Returns where it is, or why it could not
/// be opened (then nothing is logged, and the caller says so once).
pub fn init() -> Result<PathBuf, String> {
    let path = path().ok_or("no home directory for the log file")?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let _ = FILE.set(Mutex::new(file));
    Ok(path)
}

/// One line: the time, the level and what happened.
pub fn write(level: &str, what: &str) {
    let Some(file) = FILE.get() else { return };
    let mut f = file.lock().unwrap_or_else(|e| e.into_inner());
    let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ");
    // A log that cannot be written must not take the interface down.
    let _ = writeln!(f, "{now} {level} {}", what.replace('\n', " "));
}
