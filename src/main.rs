//! The `trucklot` binary: a thin edge. Parses the command line, then runs a
//! subcommand (`trucklot::cli`) or, with none, opens the terminal interface
//! (`trucklot::tui`). Errors are printed here, once, as one line
//! `trucklot: <message>` on stderr, with the exit code documented in `--help`.
//!
//! Nothing else lives here: no output formatting, no store access beyond
//! opening it for the TUI.

use std::process::ExitCode;

use trucklot::cli::{self, Cli, Failure, Global, Setup};
use trucklot::i18n::Lang;

fn main() -> ExitCode {
    quiet_panics();
    keep_writing_errors();
    let result = match cli::parse() {
        Err(f) => Err(f),
        Ok(Cli {
            global,
            command: Some(command),
            ..
        }) => cli::run(&global, command),
        Ok(Cli {
            global,
            command: None,
            exit_after_first_frame,
        }) => tui(&global, exit_after_first_frame),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            if let Some(m) = f.message() {
                eprintln!("trucklot: {m}");
            }
            ExitCode::from(f.exit_code())
        }
    }
}

fn tui(g: &Global, exit_after_first_frame: bool) -> Result<(), Failure> {
    let mut setup = Setup::load(g)?;
    if setup.action.is_some() {
        return Err(Failure::Usage(
            trucklot::i18n::CliMsg::ActionIdOneAction
                .text(setup.lang)
                .to_string(),
        ));
    }
    let store = cli::open_store(g)?;
    let lang = setup.lang;
    // Every terminal on the lot applies the lot's recorded policy.
    setup.apply_lot_policy(&store)?;
    // Without --operator, the interface asks who is at the keyboard,
    // offering whoever signed in last at this terminal.
    let sign_in = match &g.operator {
        Some(_) => None,
        None => trucklot::tui::sign_in::path_for(&setup.terminal),
    };
    let operator = match sign_in
        .as_deref()
        .and_then(trucklot::tui::sign_in::remembered)
    {
        Some(name) => name,
        None => setup.operator,
    };
    let session = trucklot::tui::Session {
        operator,
        sign_in,
        terminal: setup.terminal,
        policy: setup.config.policy,
        lang: g.lang.unwrap_or_else(Lang::from_env),
        ascii: g.ascii,
        // https://no-color.org: glyphs carry every state without colour.
        color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        tz: setup.config.timezone,
        gates: setup.config.gates.clone(),
        gate: setup.config.gate.clone(),
        province: setup.config.province,
        shifts: setup.config.shifts.clone(),
    };
    match trucklot::tui::run(store, session, exit_after_first_frame) {
        // The file was found damaged: named, with what to do, as every
        // command names it.
        Ok(trucklot::tui::Ended::Damaged(e)) => Err(cli::Failure::store(lang, e)),
        Ok(ended) => match ended.exit_code() {
            0 => Ok(()),
            code => Err(Failure::Quiet(code)),
        },
        Err(e) => Err(Failure::Env(format!("{e:#}"))),
    }
}

/// A panic is a bug, never a user's fault: one line instead of a backtrace.
/// (The TUI chains its own hook in front of this one to restore the terminal.)
fn quiet_panics() {
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown".into());
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "trucklot: internal error (a bug, please report it): {}{at}",
            what.split_whitespace().collect::<Vec<_>>().join(" ")
        );
    }));
}

/// A file-size limit (`ulimit -f`) makes the kernel kill a process that
/// writes past it with SIGXFSZ, silently. Caught, the write fails instead,
/// and the error is reported like any full disk.
fn keep_writing_errors() {
    #[cfg(unix)]
    {
        let caught = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let _ = signal_hook::flag::register(signal_hook::consts::SIGXFSZ, caught);
    }
}
