//! The command line face: runs one subcommand against the store and prints
//! the result as a human table, JSON or CSV. Same operations as the TUI
//! (`ops::execute`), same read models (`Store` queries, `domain::clocks`).
//!
//! Here: dispatch, the commands that manage whole databases (`init`,
//! `completions`; `demo` and `simulate` in `simulate`), opening the store, and the `Failure` every error becomes
//! (one line, an exit code). The clap definitions are in `args`, writes in
//! `write` (results files in `import`), reads in `read`, `show`, `log` and `boards`, formatting
//! primitives in `output`. No SQL and no
//! rules live here; printing the error line is `main`'s job.

mod args;
mod arrive;
mod boards;
mod checks;
mod import;
mod log;
mod migrate;
mod output;
mod past;
mod policy;
mod read;
mod record;
mod report;
mod show;
mod simulate;
mod values;
mod write;

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{CommandFactory, FromArgMatches};

use crate::config::{self, Config, ConfigError};
use crate::domain::layout::DEFAULT_LAYOUT;
use crate::domain::text;
use crate::i18n::{CliMsg, Lang};
use crate::ops::OpError;
use crate::store::{Store, StoreError};
use output::{say, wd};

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
    /// Not a failure: the action was sent again and had already been
    /// recorded (exit 0, with a note on stderr).
    AlreadyDone(String),
}

impl Failure {
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Refused(_) => 1,
            Failure::Usage(_) => 2,
            Failure::Env(_) => 3,
            Failure::Quiet(c) => *c,
            Failure::AlreadyDone(_) => 0,
        }
    }

    /// The message as one printable line, or `None` for `Quiet`.
    pub fn message(&self) -> Option<String> {
        match self {
            Failure::Refused(m) | Failure::Usage(m) | Failure::Env(m) | Failure::AlreadyDone(m) => {
                Some(one_line(m))
            }
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

/// The flags that act on a refusal whose way out is the operator's to take
/// (the interface names its keys instead): forcing a departure the rules
/// let be forced, naming who authorised an escort.
fn flag_hint(lang: Lang, r: &crate::ops::Refusal) -> String {
    use crate::domain::stay::RuleRefusal;
    use crate::ops::Refusal;
    match r {
        Refusal::DepartureBlocked { plate, blockers }
            if crate::domain::stay::may_be_forced(blockers) =>
        {
            say(lang, CliMsg::HintForceDepart, &[plate])
        }
        Refusal::Rule(RuleRefusal::EscortNeedsDecider { .. }) => {
            CliMsg::HintEscortBy.text(lang).to_string()
        }
        Refusal::NowhereToWait => CliMsg::HintOverrideBay.text(lang).to_string(),
        Refusal::WhichServiceCall { plate, open } => say(
            lang,
            CliMsg::HintServiceKind,
            &[plate, &open.first().map_or("meal", |k| k.as_str())],
        ),
        _ => String::new(),
    }
}

impl Failure {
    /// An operation's failure in `lang`: refusals from the catalogue's
    /// templates (`i18n::refusal`), the database's errors from `store`.
    pub fn op(lang: Lang, e: OpError) -> Failure {
        match e {
            OpError::Refused(ref r) => {
                let mut text = crate::i18n::refusal::text(lang, &e);
                text.push_str(&flag_hint(lang, r));
                Failure::Refused(text)
            }
            OpError::Invalid(m) => Failure::Usage(say(lang, CliMsg::InvalidInput, &[&m])),
            OpError::Store(s) => Failure::store(lang, s),
            OpError::AlreadyDone {
                action,
                event,
                kind,
            } => Failure::AlreadyDone(say(
                lang,
                CliMsg::AlreadyDone,
                &[&action, &event, &log::kind_text(lang, &kind)],
            )),
        }
    }

    /// A database error in `lang`; details from SQLite stay as it says them.
    pub fn store(lang: Lang, e: StoreError) -> Failure {
        let text = crate::i18n::store_error::text(lang, &e);
        match e {
            // Another terminal got there first (the bay, the plate): a refusal.
            StoreError::Conflict(_) => Failure::Refused(text),
            _ => Failure::Env(text),
        }
    }

    /// A database error met reading `store`, in `lang`, naming its file.
    pub fn reading(lang: Lang, store: &Store) -> impl Fn(StoreError) -> Failure + '_ {
        move |e| Failure::store(lang, e.on(store.path()))
    }

    /// A config file error in `lang`; the parser's own detail stays as it is.
    pub fn config(lang: Lang, e: ConfigError) -> Failure {
        if lang == Lang::En {
            return e.into();
        }
        let path = |p: &Path| output::safe(&p.display().to_string());
        Failure::Env(match &e {
            ConfigError::NotFound(p) => say(lang, CliMsg::ConfigNotFound, &[&path(p)]),
            ConfigError::Read { path: p, detail } => {
                say(lang, CliMsg::ConfigRead, &[&path(p), detail])
            }
            ConfigError::Invalid {
                path: p,
                line: Some(l),
                message,
            } => say(lang, CliMsg::ConfigInvalidLine, &[&path(p), l, message]),
            ConfigError::Invalid {
                path: p,
                line: None,
                message,
            } => say(lang, CliMsg::ConfigInvalid, &[&path(p), message]),
        })
    }
}

impl From<OpError> for Failure {
    fn from(e: OpError) -> Failure {
        match e {
            OpError::Refused(r) => Failure::Refused(r.to_string()),
            OpError::Invalid(m) => Failure::Usage(m),
            OpError::Store(s) => s.into(),
            e @ OpError::AlreadyDone { .. } => Failure::AlreadyDone(e.to_string()),
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
/// Errors are in the language of `--lang` (or the locale).
pub fn parse() -> Result<Cli, Failure> {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = lang_in_args(&args).unwrap_or_else(Lang::from_env);
    values::set_province(province_in_config(&args));
    let fail = |e| clap_failure(e, lang);
    let matches = command().try_get_matches_from(args).map_err(fail)?;
    Cli::from_arg_matches(&matches).map_err(fail)
}

/// `--lang zh` or `--lang=zh` among the arguments, before clap has parsed
/// them (its errors, and our value parsers', need the language). Stops at `--`.
fn lang_in_args(args: &[std::ffi::OsString]) -> Option<Lang> {
    option_in_args(args, "--lang")
        .into_iter()
        .filter_map(|v| v.parse().ok())
        .next_back()
}

/// The values of the global option `name` (`--name V` or `--name=V`)
/// among the arguments, in order, before clap has parsed them. Stops at `--`.
fn option_in_args<'a>(args: &'a [std::ffi::OsString], name: &str) -> Vec<&'a str> {
    let mut it = args.iter().skip(1).filter_map(|a| a.to_str());
    let mut found = Vec::new();
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        let value = match a.strip_prefix(name) {
            Some("") => it.next(),
            Some(v) => v.strip_prefix('='),
            None => None,
        };
        found.extend(value);
    }
    found
}

/// The site's province (`[site] province`) of the config file the
/// arguments name (`--config`, else `TRUCKLOT_CONFIG`, else the default
/// file): a plate typed with a pinyin that names two provinces (`jin`: 晋
/// and 津) is read with it, as the interface reads it. Clap reads the plates
/// before a command loads its config (`Setup::load`), so it is read here
/// first; a config that does not load gives the default here, and its
/// error when the command loads it.
fn province_in_config(args: &[std::ffi::OsString]) -> char {
    let path = match option_in_args(args, "--config").last() {
        Some(p) => Some(PathBuf::from(p)),
        None => std::env::var_os("TRUCKLOT_CONFIG").map(PathBuf::from),
    };
    config::load(path.as_deref()).map_or(config::DEFAULT_PROVINCE, |c| c.province)
}

/// The language of the command's output: `--lang`, else the locale.
pub fn lang_of(g: &Global) -> Lang {
    g.lang.unwrap_or_else(Lang::from_env)
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
        config::default_timezone().name(),
        gates.join(", "),
        quoted(&site.gate)
    )
}

/// Turns a clap error into a `Failure`: help and version are printed as
/// clap prints them; anything else becomes one line naming the bad value,
/// in `lang` (clap's own generated words stay English).
pub fn clap_failure(e: clap::Error, lang: Lang) -> Failure {
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
                let why = match source.downcast_ref::<values::ArgError>() {
                    Some(a) => a.text(lang).to_string(),
                    None => source.to_string(),
                };
                return Failure::Usage(say(lang, CliMsg::InvalidArg, &[&arg, &why]));
            }
        }
        ErrorKind::InvalidValue => {
            if let (Some(arg), Some(value)) = (
                context(&e, ContextKind::InvalidArg),
                context(&e, ContextKind::InvalidValue),
            ) {
                let valid = match e.get(ContextKind::ValidValue) {
                    Some(ContextValue::Strings(v)) if !v.is_empty() => {
                        say(lang, CliMsg::Expected, &[&v.join(", ")])
                    }
                    _ => String::new(),
                };
                let value = if value.is_empty() {
                    CliMsg::EmptyValue.text(lang).to_string()
                } else {
                    format!("'{}'", text::echo(&value))
                };
                return Failure::Usage(say(lang, CliMsg::NotValidFor, &[&value, &arg, &valid]));
            }
        }
        // The commonest slips, in `lang` too: a required argument left out,
        // an option or a command mistyped (with clap's suggestion).
        ErrorKind::MissingRequiredArgument => {
            if let Some(ContextValue::Strings(missing)) = e.get(ContextKind::InvalidArg) {
                return Failure::Usage(say(lang, CliMsg::MissingArgs, &[&missing.join(", ")]));
            }
        }
        ErrorKind::UnknownArgument | ErrorKind::InvalidSubcommand => {
            let (what, like) = match e.kind() {
                ErrorKind::UnknownArgument => (ContextKind::InvalidArg, ContextKind::SuggestedArg),
                _ => (
                    ContextKind::InvalidSubcommand,
                    ContextKind::SuggestedSubcommand,
                ),
            };
            if let Some(given) = context(&e, what) {
                let like = match e.get(like) {
                    Some(ContextValue::String(s)) => vec![s.clone()],
                    Some(ContextValue::Strings(v)) => v.clone(),
                    _ => Vec::new(),
                };
                let like = match like.is_empty() {
                    true => String::new(),
                    false => say(lang, CliMsg::DidYouMean, &[&like.join(", ")]),
                };
                let m = match e.kind() {
                    ErrorKind::UnknownArgument => CliMsg::UnknownOption,
                    _ => CliMsg::UnknownCommand,
                };
                return Failure::Usage(say(
                    lang,
                    CliMsg::SeeHelp,
                    &[&say(lang, m, &[&text::echo(&given), &like])],
                ));
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
    Failure::Usage(say(lang, CliMsg::SeeHelp, &[&msg]))
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
    /// The language of human output and errors (`--lang`, else the locale).
    pub lang: Lang,
    /// The client's id of the action a write command sends (`--action-id`).
    pub action: Option<crate::ops::ActionId>,
}

impl Setup {
    /// Who acts, from where, under which policy and action id, by `clock`:
    /// what every write command hands to `ops`.
    pub fn ctx<'a>(&'a self, clock: &'a dyn crate::domain::clock::Clock) -> crate::ops::Ctx<'a> {
        crate::ops::Ctx {
            operator: &self.operator,
            terminal: &self.terminal,
            clock,
            policy: &self.config.policy,
            action: self.action.as_ref(),
        }
    }

    /// Applies the policy the lot has recorded, if any, instead of the
    /// config file's: every terminal on one lot applies the same thresholds.
    pub fn apply_lot_policy(&mut self, store: &Store) -> Result<(), Failure> {
        if let Some(r) = store
            .recorded_policy()
            .map_err(Failure::reading(self.lang, store))?
        {
            self.config.policy = r.policy;
        }
        Ok(())
    }

    pub fn load(g: &Global) -> Result<Setup, Failure> {
        let lang = lang_of(g);
        Ok(Setup {
            lang,
            config: config::load(g.config.as_deref()).map_err(|e| Failure::config(lang, e))?,
            operator: g.operator.clone().unwrap_or_else(config::default_operator),
            terminal: g
                .terminal
                .clone()
                .unwrap_or_else(|| config::DEFAULT_TERMINAL.to_string()),
            action: g.action_id.clone(),
        })
    }
}

fn default_db(lang: Lang) -> Result<PathBuf, Failure> {
    config::default_db_path().ok_or_else(|| Failure::Env(CliMsg::NoDataDir.text(lang).to_string()))
}

/// Opens the database: `--db FILE` must exist (a typo must not start an
/// empty lot); the default database is created on first use.
pub fn open_store(g: &Global) -> Result<Store, Failure> {
    let lang = lang_of(g);
    let mut store = match &g.db {
        Some(p) => Store::open(p),
        None => Store::open_or_create(&default_db(lang)?, DEFAULT_LAYOUT),
    }
    .map_err(|e| Failure::store(lang, e))?;
    tell_notices(lang, &mut store);
    Ok(store)
}

/// Says on stderr, in `lang`, what opening `store` did that the user should
/// know (before the interface takes the screen, so it is seen after it).
pub fn tell_notices(lang: Lang, store: &mut Store) {
    for n in store.take_notices() {
        let text = match n {
            crate::store::Notice::UpgradeBackup { path, from, copy } => output::say(
                lang,
                CliMsg::UpgradeBackup,
                &[&path.display(), &from, &copy.display()],
            ),
            crate::store::Notice::PasswordFileIgnored { file } => {
                output::say(lang, CliMsg::PasswordFileIgnored, &[&file.display()])
            }
        };
        eprintln!("trucklot: {text}");
    }
}

/// Records that personal data is about to be shown unmasked, before it is:
/// if the record cannot be made, nothing is shown.
fn disclose(
    store: &mut Store,
    setup: &Setup,
    what: &str,
    plate: Option<crate::domain::plate::Plate>,
) -> Result<(), Failure> {
    let clock = crate::domain::clock::SystemClock;
    let ctx = crate::ops::Ctx {
        action: None,
        operator: &setup.operator,
        terminal: &setup.terminal,
        clock: &clock,
        policy: &setup.config.policy,
    };
    crate::ops::execute(
        store,
        &ctx,
        &crate::ops::Op::Disclose {
            what: what.to_string(),
            plate,
        },
    )
    .map(|_| ())
    .map_err(|e| Failure::op(setup.lang, e))
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
        Command::Demo {
            trucks,
            seed,
            speed,
        } => simulate::demo(g, trucks, seed, speed, out),
        Command::Migrate { from, to } => migrate::run(g, &from, &to, out),
        Command::Simulate(a) => simulate::simulate(g, &a, out),
        cmd => {
            let mut setup = Setup::load(g)?;
            let mut store = open_store(g)?;
            // The config's policy is what the terminal would apply; the
            // lot's, once recorded, is what every terminal applies.
            let config_policy = setup.config.policy.clone();
            setup.apply_lot_policy(&store)?;
            match cmd {
                Command::Policy { step } => {
                    policy::run(&mut store, &setup, &config_policy, step, out)
                }
                Command::Status { json } => read::status(&store, &setup, json, out),
                Command::Show {
                    target,
                    unmasked,
                    json,
                } => {
                    // A plate typed in part is the truck it names, before
                    // anything is shown or recorded about it.
                    let target = show::resolve(&store, &setup, target)?;
                    if unmasked {
                        let plate = match &target {
                            args::PlateOrBay::Plate(p) => Some(p.clone()),
                            args::PlateOrBay::Bay(_) | args::PlateOrBay::Partial(_) => None,
                        };
                        disclose(&mut store, &setup, "show --unmasked", plate)?;
                    }
                    show::show(&store, &setup, &target, unmasked, json, out)
                }
                Command::Log(a) => {
                    if a.unmasked {
                        disclose(&mut store, &setup, "log --unmasked", a.plate.clone())?;
                    }
                    log::log(&store, &setup, &a, out)
                }
                Command::At { time, format } => past::at(&store, &setup, time, format, out),
                Command::Report {
                    shift,
                    from,
                    to,
                    day,
                    format,
                } => report::report(
                    &store,
                    &setup,
                    report::Window {
                        shift,
                        from,
                        to,
                        day,
                    },
                    format,
                    out,
                ),
                Command::Isolation { format } => boards::isolation(&store, &setup, format, out),
                Command::Clocks { format, overdue } => {
                    boards::clocks(&store, &setup, format, overdue, out)
                }
                Command::Check => read::check(&mut store, &setup, out),
                Command::Rebuild => read::rebuild(&mut store, &setup, out),
                Command::Backup { to } => read::backup(&store, &setup, &to, out),
                Command::Undo { yes } => record::undo(&mut store, &setup, yes, out),
                Command::Purge { before, yes } => {
                    record::purge(&mut store, &setup, before, yes, out)
                }
                other => write::run(&mut store, &setup, other, out),
            }
        }
    }
}

fn init(g: &Global, layout: Option<&Path>, out: &mut dyn Write) -> Result<(), Failure> {
    let lang = lang_of(g);
    let text = match layout {
        Some(p) => std::fs::read_to_string(p).map_err(|e| {
            Failure::Env(say(
                lang,
                CliMsg::CannotReadLayout,
                &[&output::safe(&p.display().to_string()), &e],
            ))
        })?,
        None => DEFAULT_LAYOUT.to_string(),
    };
    let path = match &g.db {
        Some(p) => p.clone(),
        None => default_db(lang)?,
    };
    let store = Store::create(&path, &text).map_err(|e| Failure::store(lang, e))?;
    let zones: Vec<String> = store
        .layout()
        .zones
        .iter()
        .map(|z| format!("{} {}", wd(lang, z.zone), z.capacity()))
        .collect();
    writeln!(
        out,
        "{}",
        say(
            lang,
            CliMsg::Created,
            &[
                &output::safe(&store.path().display().to_string()),
                &output::safe(&store.layout().name),
                &store.layout().capacity(),
                &output::list(lang, &zones),
            ]
        )
    )?;
    Ok(())
}
