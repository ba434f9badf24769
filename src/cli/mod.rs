//! The command line face: runs one subcommand against the store and prints
//! the result as a human table, JSON or CSV. Same operations as the TUI
//! (`ops::execute`), same read models (`Store` queries, `domain::clocks`).
//!
//! Here: dispatch, the commands that manage whole databases (`init`, `demo`,
//! `completions`), opening the store, and the `Failure` every error becomes
//! (one line, an exit code). The clap definitions are in `args`, writes in
//! `write` (results files in `import`), reads in `read`, `show`, `log` and `boards`, formatting
//! primitives in `output`. No SQL and no
//! rules live here; printing the error line is `main`'s job.

mod args;
mod boards;
mod import;
mod log;
mod output;
mod read;
mod show;
mod values;
mod write;

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::Utc;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{CommandFactory, FromArgMatches};

use crate::config::{self, Config, ConfigError};
use crate::domain::layout::DEFAULT_LAYOUT;
use crate::domain::text;
use crate::ops::OpError;
use crate::store::{Store, StoreError};

pub use args::{Cli, Command, Global};

/// Why a command did not succeed; `main` prints `message()` as one line and
/// exits with `exit_code()`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The rules or the lot said no (exit 1). Nothing was written.
    Refused(String),
    /// Malformed input (exit 2). Nothing was written.
    Usage(String),
    /// The database, a file or the environment (exit 3).
    Env(String),
    /// Nothing more to say (help was printed, or stdout was closed).
    Quiet(u8),
}

impl Failure {
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Refused(_) => 1,
            Failure::Usage(_) => 2,
            Failure::Env(_) => 3,
            Failure::Quiet(c) => *c,
        }
    }

    /// The message as one printable line, or `None` for `Quiet`.
    pub fn message(&self) -> Option<String> {
        match self {
            Failure::Refused(m) | Failure::Usage(m) | Failure::Env(m) => Some(one_line(m)),
            Failure::Quiet(_) => None,
        }
    }
}

/// Whitespace runs (newlines included) become one space; control characters `?`.
fn one_line(s: &str) -> String {
    s.split_whitespace()
        .map(output::safe)
        .collect::<Vec<_>>()
        .join(" ")
}

impl From<OpError> for Failure {
    fn from(e: OpError) -> Failure {
        match e {
            OpError::Refused(r) => Failure::Refused(r.to_string()),
            OpError::Invalid(m) => Failure::Usage(m),
            OpError::Store(s) => s.into(),
        }
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Failure {
        match e {
            // Another terminal got there first (the bay, the plate): a refusal.
            StoreError::Conflict(_) => Failure::Refused(e.to_string()),
            _ => Failure::Env(e.to_string()),
        }
    }
}

impl From<ConfigError> for Failure {
    fn from(e: ConfigError) -> Failure {
        Failure::Env(e.to_string())
    }
}

/// Output errors: a closed pipe (`trucklot log | head`) ends quietly.
impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Failure {
        if e.kind() == io::ErrorKind::BrokenPipe {
            Failure::Quiet(0)
        } else {
            Failure::Env(format!("cannot write the output: {e}"))
        }
    }
}

/// The command line, with the config file's keys and defaults in `--help`.
pub fn command() -> clap::Command {
    Cli::command().after_long_help(format!("{}\n\n{}", args::AFTER_HELP, config_help()))
}

/// Parses the process arguments; help and version are printed here.
pub fn parse() -> Result<Cli, Failure> {
    let matches = command().try_get_matches().map_err(clap_failure)?;
    Cli::from_arg_matches(&matches).map_err(clap_failure)
}

fn config_help() -> String {
    let path = config::default_config_path()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "config.toml in the user's config directory".into());
    let policy = toml::to_string(&crate::domain::policy::Policy::default()).unwrap_or_default();
    let indent = |s: &str| -> String { s.lines().map(|l| format!("  {l}\n")).collect() };
    let site = Config::default();
    let quoted = |s: &str| format!("\"{s}\"");
    let gates: Vec<String> = site.gates.iter().map(|g| quoted(g)).collect();
    format!(
        "Config file (or --config FILE):\n  {path}\n\
         Every key is optional; unknown keys and bad values are refused.\n\
         The defaults:\n\n  [policy]\n{}\n  [site]\n  timezone = \"{}\"\n\
         \x20 gates = [{}]    # the gates arrivals may name (arrive --gate)\n\
         \x20 gate = {}    # this terminal's gate: what arrive records by default",
        indent(&policy),
        config::DEFAULT_TIMEZONE.name(),
        gates.join(", "),
        quoted(&site.gate)
    )
}

/// Turns a clap error into a `Failure`: help and version are printed as
/// clap prints them; anything else becomes one line naming the bad value.
pub fn clap_failure(e: clap::Error) -> Failure {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            return match e.print() {
                Ok(()) => Failure::Quiet(0),
                Err(io) => io.into(),
            };
        }
        // `trucklot handoff` alone: the help is the clearest answer (exit 2).
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            return match e.print() {
                Ok(()) => Failure::Quiet(2),
                Err(io) => io.into(),
            };
        }
        ErrorKind::ValueValidation => {
            if let (Some(arg), Some(source)) = (
                context(&e, ContextKind::InvalidArg),
                std::error::Error::source(&e),
            ) {
                return Failure::Usage(format!("invalid {arg}: {source}"));
            }
        }
        ErrorKind::InvalidValue => {
            if let (Some(arg), Some(value)) = (
                context(&e, ContextKind::InvalidArg),
                context(&e, ContextKind::InvalidValue),
            ) {
                let valid = match e.get(ContextKind::ValidValue) {
                    Some(ContextValue::Strings(v)) if !v.is_empty() => {
                        format!(" (expected {})", v.join(", "))
                    }
                    _ => String::new(),
                };
                let value = if value.is_empty() {
                    "an empty value".to_string()
                } else {
                    format!("'{}'", text::echo(&value))
                };
                return Failure::Usage(format!("{value} is not valid for {arg}{valid}"));
            }
        }
        _ => {}
    }
    // Everything else: clap's own words, up to the usage block, on one line.
    let rendered = e.to_string();
    let mut parts = Vec::new();
    for line in rendered.lines() {
        let line = line.trim();
        if line.starts_with("Usage:") || line.starts_with("For more information") {
            break;
        }
        if !line.is_empty() {
            parts.push(line.strip_prefix("error: ").unwrap_or(line).to_string());
        }
    }
    let mut msg = String::new();
    for p in parts {
        if !msg.is_empty() {
            msg.push_str(if msg.ends_with(':') { " " } else { "; " });
        }
        msg.push_str(&p);
    }
    if msg.chars().count() > 300 {
        msg = msg.chars().take(299).chain(['…']).collect();
    }
    Failure::Usage(format!("{msg} (see --help)"))
}

fn context(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        _ => None,
    }
}

/// Who acts and under which policy, as the global options and the config
/// file say.
#[derive(Debug, Clone)]
pub struct Setup {
    pub config: Config,
    pub operator: String,
    pub terminal: String,
}

impl Setup {
    pub fn load(g: &Global) -> Result<Setup, Failure> {
        Ok(Setup {
            config: config::load(g.config.as_deref())?,
            operator: g.operator.clone().unwrap_or_else(config::default_operator),
            terminal: g
                .terminal
                .clone()
                .unwrap_or_else(|| config::DEFAULT_TERMINAL.to_string()),
        })
    }
}

fn default_db() -> Result<PathBuf, Failure> {
    config::default_db_path().ok_or_else(|| {
        Failure::Env("cannot find the user's data directory (is HOME set?); pass --db FILE".into())
    })
}

/// Opens the database: `--db FILE` must exist (a typo must not start an
/// empty lot); the default database is created on first use.
pub fn open_store(g: &Global) -> Result<Store, Failure> {
    Ok(match &g.db {
        Some(p) => Store::open(p)?,
        None => Store::open_or_create(&default_db()?, DEFAULT_LAYOUT)?,
    })
}

/// Runs one subcommand, writing its output to stdout.
pub fn run(g: &Global, command: Command) -> Result<(), Failure> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let result = run_to(g, command, &mut out);
    out.flush()?;
    result
}

fn run_to(g: &Global, cmd: Command, out: &mut dyn Write) -> Result<(), Failure> {
    match cmd {
        Command::Completions { shell } => {
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut command(), "trucklot", &mut buf);
            out.write_all(&buf)?;
            Ok(())
        }
        Command::Init { layout } => init(g, layout.as_deref(), out),
        Command::Demo { trucks, seed } => demo(g, trucks, seed, out),
        cmd => {
            let setup = Setup::load(g)?;
            let mut store = open_store(g)?;
            match cmd {
                Command::Status { json } => read::status(&store, &setup, json, out),
                Command::Show {
                    target,
                    unmasked,
                    json,
                } => show::show(&store, &setup, &target, unmasked, json, out),
                Command::Log(a) => log::log(&store, &setup, &a, out),
                Command::Isolation { format } => boards::isolation(&store, &setup, format, out),
                Command::Clocks { format, overdue } => {
                    boards::clocks(&store, &setup, format, overdue, out)
                }
                Command::Check => read::check(&mut store, out),
                Command::Rebuild => read::rebuild(&mut store, out),
                Command::Backup { to } => read::backup(&store, &to, out),
                other => write::run(&mut store, &setup, other, out),
            }
        }
    }
}

fn init(g: &Global, layout: Option<&Path>, out: &mut dyn Write) -> Result<(), Failure> {
    let text = match layout {
        Some(p) => std::fs::read_to_string(p)
            .map_err(|e| Failure::Env(format!("cannot read layout file '{}': {e}", p.display())))?,
        None => DEFAULT_LAYOUT.to_string(),
    };
    let path = match &g.db {
        Some(p) => p.clone(),
        None => default_db()?,
    };
    let store = Store::create(&path, &text)?;
    let zones: Vec<String> = store
        .layout()
        .zones
        .iter()
        .map(|z| format!("{} {}", z.zone, z.capacity()))
        .collect();
    writeln!(
        out,
        "created {}: {} ({} bays: {})",
        path.display(),
        output::safe(&store.layout().name),
        store.layout().capacity(),
        zones.join(", ")
    )?;
    Ok(())
}

fn demo(g: &Global, trucks: Option<u32>, seed: u64, out: &mut dyn Write) -> Result<(), Failure> {
    let Some(path) = &g.db else {
        return Err(Failure::Usage(
            "demo writes simulated trucks, so never into the default database; \
             give it its own file: trucklot --db demo.db demo"
                .into(),
        ));
    };
    let setup = Setup::load(g)?;
    let mut store = if path.exists() {
        Store::open(path)?
    } else {
        Store::create(path, DEFAULT_LAYOUT)?
    };
    let existing = store.event_count()?;
    if existing > 0 {
        return Err(Failure::Refused(format!(
            "'{}' already holds {existing} events; demo only fills a new, empty database",
            path.display()
        )));
    }
    let trucks = trucks
        .map(|t| t as usize)
        .unwrap_or_else(|| crate::demo::default_trucks(store.layout()));
    let summary = crate::demo::populate(&mut store, &setup.config.policy, trucks, seed, Utc::now())
        .map_err(|e| Failure::Env(format!("{e:#}")))?;
    writeln!(
        out,
        "demo: {} operations over 12 hours ({} arrivals, {} departures, {} refused and skipped)",
        summary.operations, summary.arrivals, summary.departures, summary.skipped
    )?;
    read::status(&store, &setup, false, out)?;
    writeln!(
        out,
        "open it with: trucklot --db {}",
        output::safe(&path.display().to_string())
    )?;
    Ok(())
}
