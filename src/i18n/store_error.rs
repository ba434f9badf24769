//! A database error as one line in a language, for both faces: the command
//! line's error line and the interface's status line. English is the
//! error's own text; Chinese comes from the command line's catalogue,
//! filled with the same values (the file named, SQLite's detail as it says
//! it).

use std::path::Path;

use super::Lang;
use super::cli::CliMsg;
use crate::store::{FileOnly, StoreError};

pub fn text(lang: Lang, e: &StoreError) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    let path = |p: &Path| {
        p.display()
            .to_string()
            .chars()
            .map(crate::domain::text::safe_char)
            .collect::<String>()
    };
    let say = |m: CliMsg, args: &[&dyn std::fmt::Display]| m.say(lang, args);
    match e {
        StoreError::NotFound { path: p } => say(CliMsg::DbNotFound, &[&path(p)]),
        StoreError::AlreadyExists { path: p } => say(CliMsg::DbAlreadyExists, &[&path(p)]),
        StoreError::Foreign { path: p, found } => {
            say(CliMsg::DbForeign, &[&path(p), &format!("{found:#010x}")])
        }
        StoreError::Newer {
            path: p,
            found,
            known,
        } => say(CliMsg::DbNewer, &[&path(p), found, known]),
        StoreError::Unreadable { path: p, detail } => {
            say(CliMsg::DbUnreadable, &[&path(p), detail])
        }
        StoreError::Create { path: p, detail } => say(CliMsg::DbCreate, &[&path(p), detail]),
        StoreError::Busy => CliMsg::DbBusy.text(lang).to_string(),
        StoreError::Conflict(d) => say(CliMsg::DbConflict, &[d]),
        StoreError::Damaged { path: p, detail } => say(CliMsg::DbDamaged, &[&path(p), detail]),
        StoreError::ReadOnly { path: p } => say(CliMsg::DbReadOnly, &[&path(p)]),
        StoreError::ReadOnlyOld { path: p, found } => {
            say(CliMsg::DbReadOnlyOld, &[&path(p), found])
        }
        StoreError::Disconnected { detail } => say(CliMsg::DbUnreachable, &[detail]),
        StoreError::NotAllowed { detail } => say(CliMsg::DbNotAllowed, &[detail]),
        StoreError::NotOnServer(FileOnly::Backup) => {
            CliMsg::DbBackupOnServer.text(lang).to_string()
        }
        StoreError::NotOnServer(FileOnly::Simulate) => {
            CliMsg::DbSimulateOnServer.text(lang).to_string()
        }
        _ => say(CliMsg::DbError, &[e]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_or_read_only_lot_is_said_in_chinese() {
        let busy = text(Lang::Zh, &StoreError::Busy);
        assert!(!busy.contains("busy"), "{busy}");
        let ro = text(
            Lang::Zh,
            &StoreError::ReadOnly {
                path: "/media/lot.db".into(),
            },
        );
        assert!(
            ro.contains("/media/lot.db") && !ro.contains("cannot be written"),
            "{ro}"
        );
        assert_eq!(
            text(Lang::En, &StoreError::Busy),
            StoreError::Busy.to_string()
        );
    }
}
