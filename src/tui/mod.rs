//! The terminal user interface: terminal setup and restore, the event loop,
//! the app state, views and widgets. It turns keys into `ops::Op`s and state
//! into frames; it never writes SQL.

use chrono_tz::Tz;

use crate::domain::policy::Policy;
use crate::i18n::Lang;
use crate::store::Store;

/// Who is at the keyboard and how they want the screen.
#[derive(Debug, Clone)]
pub struct Session {
    pub operator: String,
    pub terminal: String,
    pub policy: Policy,
    pub lang: Lang,
    /// Plain ASCII glyphs and borders, for terminals that draw ambiguous-width
    /// characters wide (and for NO_COLOR monochrome screens).
    pub ascii: bool,
    pub tz: Tz,
}

/// Runs the TUI until the user quits. Restores the terminal on every exit
/// path, panics included.
pub fn run(store: Store, session: Session) -> anyhow::Result<()> {
    let _ = (store, session);
    anyhow::bail!("the terminal interface is being built")
}
