//! The command line's messages and table headers, in English and Chinese
//! (`--lang`, or the locale). JSON keys and values are not translated: they
//! are a stable interface for scripts.

use super::catalogue;

catalogue! {
    /// A message or table header of the command line.
    CliMsg {
        Ok => ("ok", "正常"),
    }
}
