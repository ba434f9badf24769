//! The command line as clap derive definitions: global options, one
//! subcommand per operation or read model, and the value parsers that turn
//! typed text into domain values (so a bad plate is a usage error naming it).
//!
//! What lives elsewhere: the value parsers (`cli::values`), running the
//! commands (`cli::mod`, `cli::write`, `cli::read`, …), and the rules for
//! what a valid value is (`domain`).

use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};

use super::values::{
    EVENT_KINDS, action_id, bay, date, days, demo_speed, limit, optional_text, passenger, phone,
    plate, plate_or_bay, required_text, target, temperature, time, trucks_per_day, word,
};
use crate::domain::bay::{BayId, Zone};
use crate::domain::event::{HandoffMode, Passenger, ServiceKind, Target, TestKind, TestResult};
use crate::domain::phone::Phone;
use crate::domain::plate::Plate;
use crate::domain::policy::{Cargo, HealthCode, Temperature};
use crate::i18n::Lang;

pub use super::values::{PlateOrBay, TimeArg};

pub(super) const AFTER_HELP: &str = "\
Exit codes: 0 ok, 1 refused by the rules or the lot, 2 usage or invalid input,
3 database or environment (missing, foreign or newer database, busy, config).

Plates may be typed as on the plate or loosely: 晋D12345, '晋d 12345', full-width,
or with the province in pinyin (jinD12345; [site] province decides jin: 晋 or 津).
Running trucklot with no subcommand opens the terminal interface.";

/// Runs a checkpoint truck lot on a local SQLite file.
#[derive(Debug, Parser)]
#[command(name = "trucklot", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    /// Diagnostic, hidden from help: open the interface, draw its first
    /// complete frame, and exit. The cold-start benchmark (`benches/scale`)
    /// times the whole process this way, under a pseudo-terminal.
    #[arg(long, hide = true)]
    pub exit_after_first_frame: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options every command accepts, before or after the subcommand.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Global options")]
pub struct Global {
    /// The database file [default: trucklot.db in the user's data directory,
    /// created on first use]
    #[arg(long, global = true, env = "TRUCKLOT_DB", value_name = "FILE")]
    pub db: Option<PathBuf>,
    /// Who is acting, recorded on every event [default: the login name]
    #[arg(long, global = true, env = "TRUCKLOT_OPERATOR", value_name = "NAME",
          value_parser = required_text("operator"))]
    pub operator: Option<String>,
    /// Which terminal or gate this is, recorded on every event [default: gate]
    #[arg(long, global = true, env = "TRUCKLOT_TERMINAL", value_name = "NAME",
          value_parser = required_text("terminal"))]
    pub terminal: Option<String>,
    /// The id of this action (a UUID): sent again with the same id, an action is
    /// reported as already done and recorded once (for scripts that retry)
    #[arg(long, global = true, value_name = "UUID", env = "TRUCKLOT_ACTION_ID",
          value_parser = action_id)]
    pub action_id: Option<crate::ops::ActionId>,
    /// The config file (policy thresholds, site time zone) [default:
    /// config.toml in the user's config directory; a missing default is fine]
    #[arg(long, global = true, env = "TRUCKLOT_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Interface language [default: from the locale]
    #[arg(long, global = true, value_name = "LANG",
          value_parser = PossibleValuesParser::new(["en", "zh"]).try_map(|s| s.parse::<Lang>()))]
    pub lang: Option<Lang>,
    /// Plain ASCII glyphs and borders in the terminal interface
    #[arg(long, global = true)]
    pub ascii: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new database (refuses an existing file)
    Init {
        /// A lot layout file instead of the embedded default lot
        #[arg(long, value_name = "FILE")]
        layout: Option<PathBuf>,
    },
    /// Register a truck at the gate; the checks decide the zone, the best free bay is taken
    Arrive(Box<ArriveArgs>),
    /// Move a truck to another free bay
    Move {
        /// The plate of a truck on site
        #[arg(value_parser = plate)]
        plate: Plate,
        /// A bay id, e.g. P-03-17, I-05
        #[arg(value_parser = bay)]
        bay: BayId,
    },
    /// Let a truck leave through the gate
    Depart {
        /// The plate of a truck on site
        #[arg(value_parser = plate)]
        plate: Plate,
        /// Override the departure rules (no sample, pending result, not released,
        /// handoff required); never a positive result
        #[arg(long, requires = "reason")]
        force: bool,
        /// Why the rules are overridden (recorded)
        #[arg(long, requires = "force", value_name = "R", value_parser = required_text("reason"))]
        reason: Option<String>,
    },
    /// Occupancy per zone
    Status {
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
    /// One truck (by plate) or one bay, with samples, services, isolation and handoff
    Show {
        /// A plate (its stay on site, or its latest) or a bay id
        #[arg(value_name = "PLATE|BAY", value_parser = plate_or_bay)]
        target: PlateOrBay,
        /// Show phone numbers in full
        #[arg(long)]
        unmasked: bool,
        /// Print JSON instead of a summary
        #[arg(long)]
        json: bool,
    },
    /// The event log, newest first
    Log(LogArgs),
    /// Record an antigen or PCR sample with its tube id; its result clock starts
    Sample {
        /// The plate of a truck on site
        #[arg(value_parser = plate)]
        plate: Plate,
        /// Which test
        #[arg(value_parser = word::<TestKind>(), ignore_case = true)]
        test: TestKind,
        /// The tube's barcode, typed or scanned [default: generated, e.g. AG-000012-1]
        #[arg(long, value_name = "TUBE", value_parser = required_text("tube id"))]
        id: Option<String>,
        /// The lab batch the sample goes with
        #[arg(long, value_name = "B", value_parser = required_text("batch"))]
        batch: Option<String>,
    },
    /// Lab results in bulk
    Results {
        #[command(subcommand)]
        step: ResultsStep,
    },
    /// A new measurement of someone in the cab; a flagged one proposes isolation
    Recheck {
        /// The plate of a truck on site
        #[arg(value_parser = plate)]
        plate: Plate,
        /// Who: 0 is the driver, 1–3 the passengers in the order registered
        #[arg(long, value_name = "N", default_value_t = 0,
              value_parser = clap::value_parser!(u8).range(0..=3))]
        person: u8,
        /// Body temperature in °C (34.0–42.0)
        #[arg(long, value_name = "C", value_parser = temperature, allow_negative_numbers = true)]
        temp: Temperature,
        /// Health-code colour
        #[arg(long, value_parser = word::<HealthCode>(), ignore_case = true)]
        code: HealthCode,
    },
    /// Put right what the gate typed for a truck's latest stay (kept as a correction: old → new)
    Correct {
        /// The plate as it was registered
        #[arg(value_parser = plate)]
        plate: Plate,
        /// The right plate
        #[arg(long = "plate", value_name = "PLATE", value_parser = plate)]
        new_plate: Option<Plate>,
        /// The driver's name ('' clears it)
        #[arg(long, value_name = "N")]
        driver: Option<String>,
        /// The driver's phone ('' clears it)
        #[arg(long, value_name = "P")]
        phone: Option<String>,
        /// The cargo category
        #[arg(long, value_parser = word::<Cargo>(), ignore_case = true)]
        cargo: Option<Cargo>,
        /// Where the truck comes from ('' clears it)
        #[arg(long, value_name = "X")]
        origin: Option<String>,
        /// Where the truck is going ('' clears it)
        #[arg(long, value_name = "Y")]
        destination: Option<String>,
    },
    /// Take back your own last action (a compensating event; the log keeps both)
    Undo {
        /// Do not ask: the answer is yes (for scripts)
        #[arg(long)]
        yes: bool,
    },
    /// Blank names, phones, temperatures and health codes of stays that ended before a date
    Purge {
        /// Stays that ended before this time (default: the config's retention, [site] retention_days)
        #[arg(long, value_name = "T", value_parser = time)]
        before: Option<TimeArg>,
        /// Do not ask: the answer is yes (for scripts)
        #[arg(long)]
        yes: bool,
    },
    /// Record a test result; a positive proposes isolation, an invalid one a resample
    Result {
        /// The plate of a truck on site
        #[arg(value_parser = plate)]
        plate: Plate,
        /// Which test
        #[arg(value_parser = word::<TestKind>(), ignore_case = true)]
        test: TestKind,
        /// The result
        #[arg(value_parser = word::<TestResult>(), ignore_case = true)]
        result: TestResult,
    },
    /// Move a truck into the isolation zone
    Isolate {
        /// The plate of a truck on site
        #[arg(value_parser = plate)]
        plate: Plate,
        /// Why (recorded)
        #[arg(long, value_name = "R", value_parser = required_text("reason"))]
        reason: String,
        /// An isolation bay instead of the suggested one
        #[arg(long, value_parser = bay)]
        bay: Option<BayId>,
    },
    /// Release an isolated truck back to a parking (or living, work) bay: a decision, by name
    Release {
        /// The plate of a truck on site
        #[arg(value_parser = plate)]
        plate: Plate,
        /// Why (recorded)
        #[arg(long, value_name = "R", value_parser = required_text("reason"))]
        reason: String,
        /// Who decided the release (recorded)
        #[arg(long, value_name = "NAME", value_parser = required_text("decider"))]
        by: String,
        /// A bay instead of the suggested parking bay
        #[arg(long, value_parser = bay)]
        bay: Option<BayId>,
    },
    /// Record an escalation of an isolated truck, or report a truck that left before its positive result came back
    Escalate {
        /// The plate of a truck on site, or of one that left with a positive result standing
        #[arg(value_parser = plate)]
        plate: Plate,
        /// What was escalated, to whom (recorded)
        #[arg(long, value_name = "N", value_parser = required_text("note"))]
        note: String,
    },
    /// Point-to-point handoff: start it in a handoff bay, mark it done, confirm its arrival
    Handoff {
        /// The plate of a truck on site
        #[arg(value_parser = plate)]
        plate: Plate,
        #[command(subcommand)]
        step: HandoffStep,
    },
    /// Service calls: request meal, water or medical; or mark the oldest open call done
    Service {
        /// The plate of a truck on site
        #[arg(value_parser = plate)]
        plate: Plate,
        /// A service to request, or done
        #[arg(value_enum, ignore_case = true)]
        what: ServiceStep,
        /// With done: which kind of call to close
        #[arg(long, value_parser = word::<ServiceKind>(), ignore_case = true)]
        kind: Option<ServiceKind>,
    },
    /// Record a disinfection round of a zone or a bay
    Disinfect {
        /// A zone (work, living, parking, isolation, handoff) or a bay id
        #[arg(value_name = "ZONE|BAY", value_parser = target)]
        target: Target,
    },
    /// Close a free bay (blocked, under disinfection)
    Close {
        /// A bay id, e.g. P-03-17, I-05
        #[arg(value_parser = bay)]
        bay: BayId,
        /// Why (recorded)
        #[arg(long, value_name = "R", value_parser = required_text("reason"))]
        reason: String,
    },
    /// Reopen a closed bay
    Open {
        /// A bay id, e.g. P-03-17, I-05
        #[arg(value_parser = bay)]
        bay: BayId,
    },
    /// The isolation board: every isolated truck and its next action
    Isolation {
        #[command(flatten)]
        format: TableFormat,
    },
    /// The shift handover report: the current or previous shift, a day, or any window
    Report {
        /// Which shift (boundaries from [site] shifts; default the current one, up to now)
        #[arg(long, value_enum, conflicts_with_all = ["from", "day"])]
        shift: Option<ReportShift>,
        /// The window's start (with --to): RFC 3339 or 'YYYY-MM-DD [HH:MM]' site time
        #[arg(long, value_name = "T", value_parser = time, requires = "to")]
        from: Option<TimeArg>,
        /// The window's end (with --from)
        #[arg(long, value_name = "T", value_parser = time, requires = "from")]
        to: Option<TimeArg>,
        /// A whole day, 00:00 to 24:00 site time: the daily numbers
        #[arg(long, value_name = "DATE", value_parser = time, conflicts_with = "from")]
        day: Option<TimeArg>,
        /// Markdown for the meeting's notes, CSV, or JSON
        #[arg(long, value_enum, default_value = "md")]
        format: ReportFormat,
    },
    /// The policy in force (thresholds, due times, the tests a departure needs), or set it for the lot
    Policy {
        #[command(subcommand)]
        step: Option<PolicyStep>,
    },
    /// The lot as it was at a past moment: occupancy per zone, trucks in bays, closed bays
    At {
        /// RFC 3339, or 'YYYY-MM-DD [HH:MM]' in the site time zone
        #[arg(value_name = "TIME", value_parser = time)]
        time: TimeArg,
        #[command(flatten)]
        format: TableFormat,
    },
    /// Everything due or overdue, soonest first
    Clocks {
        #[command(flatten)]
        format: TableFormat,
        /// Only what is overdue
        #[arg(long)]
        overdue: bool,
    },
    /// Prove the state tables equal a replay of the log (exit 1 if not)
    Check,
    /// Replace the state tables with a replay of the log
    Rebuild,
    /// Copy the database, consistent even while terminals write, to a new file (mode 0600)
    Backup {
        /// Where to write the copy; must not exist
        #[arg(value_name = "FILE")]
        to: std::path::PathBuf,
    },
    /// Copy a whole lot to a new one, file or server, then check both
    ///
    /// The log (with its ids), the personal values and the action ids are
    /// copied; the new lot's state is the replay of that log, and `check`
    /// runs on both sides. FROM and TO are each a file or a
    /// postgres://USER@HOST/DB address; TO must not hold a lot yet (on a
    /// server: an empty database, UTF8 with LC_COLLATE 'C').
    Migrate {
        /// The lot to copy (gates may go on writing to it)
        #[arg(long, value_name = "FILE|URL")]
        from: std::path::PathBuf,
        /// Where the copy goes: a new file, or a server database without a lot
        #[arg(long, value_name = "FILE|URL")]
        to: std::path::PathBuf,
    },
    /// Create a new database with 3 days of simulated traffic up to now
    Demo {
        /// Arrivals per simulated day [default: 1500]
        #[arg(long, visible_alias = "trucks-per-day", value_name = "N",
              value_parser = trucks_per_day, allow_negative_numbers = true)]
        trucks: Option<u32>,
        /// Random seed: the same seed gives the same lot
        #[arg(long, value_name = "S", default_value_t = 2026)]
        seed: u64,
        /// How fast the lot lives on while the interface has it open:
        /// simulated seconds per real second (60: a minute a second)
        #[arg(long, value_name = "N", default_value_t = crate::sim::DEFAULT_DEMO_SPEED,
              value_parser = demo_speed, allow_negative_numbers = true)]
        speed: u32,
    },
    /// Create a new database with a season of simulated traffic
    Simulate(SimulateArgs),
    /// Print shell completions
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// `simulate`: whole days of traffic from a midnight (site time).
#[derive(Debug, Clone, Args)]
pub struct SimulateArgs {
    /// How many days to simulate (1–366)
    #[arg(long, value_name = "N", value_parser = days, allow_negative_numbers = true)]
    pub days: u32,
    /// Random seed: the same seed (and start) gives the same log
    #[arg(long, value_name = "S", default_value_t = 2026)]
    pub seed: u64,
    /// The first day, YYYY-MM-DD [default: so that the last day is yesterday]
    #[arg(long, value_name = "DATE", value_parser = date)]
    pub start: Option<chrono::NaiveDate>,
    /// Arrivals per simulated day, in daily waves (1–3000)
    #[arg(long, value_name = "K", value_parser = trucks_per_day, allow_negative_numbers = true,
          default_value_t = crate::sim::DEFAULT_TRUCKS_PER_DAY)]
    pub trucks_per_day: u32,
    /// Print the summary as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ArriveArgs {
    /// The plate, e.g. 晋D12345 (spaces, dots, lower case, full-width and a pinyin
    /// province, jinD12345, are fine)
    #[arg(value_parser = plate)]
    pub plate: Plate,
    /// Driver's name
    #[arg(long, value_name = "N", value_parser = optional_text("driver"))]
    pub driver: Option<String>,
    /// Driver's mobile number (+86 and dashes are fine)
    #[arg(long, value_name = "P", value_parser = phone)]
    pub phone: Option<Phone>,
    /// Cargo category; all but other are priority cargo (nearest the exit)
    #[arg(long, value_parser = word::<Cargo>(), ignore_case = true, default_value = "other")]
    pub cargo: Cargo,
    /// Where the truck comes from
    #[arg(long, value_name = "X", value_parser = optional_text("origin"))]
    pub origin: Option<String>,
    /// Where the truck is going
    #[arg(long, value_name = "Y", value_parser = optional_text("destination"))]
    pub destination: Option<String>,
    /// The driver's body temperature in °C (34.0–42.0)
    #[arg(long, value_name = "C", value_parser = temperature, allow_negative_numbers = true)]
    pub temp: Temperature,
    /// The driver's health-code colour
    #[arg(long, value_parser = word::<HealthCode>(), ignore_case = true)]
    pub code: HealthCode,
    /// Someone else in the cab, checked like the driver: "NAME,PHONE,TEMP,CODE"
    /// (NAME and PHONE may be empty); repeat for each, at most 3
    #[arg(long = "passenger", value_name = "NAME,PHONE,TEMP,CODE", value_parser = passenger)]
    pub passengers: Vec<Passenger>,
    /// The gate (highway exit) the truck came through [default: this terminal's
    /// gate, from the config]
    #[arg(long, value_name = "NAME", value_parser = required_text("gate"))]
    pub gate: Option<String>,
    /// The driver scanned the venue code
    #[arg(long)]
    pub venue_scanned: bool,
    /// The driver has a flagged travel history
    #[arg(long)]
    pub travel: bool,
    /// The cargo must go through a point-to-point handoff before leaving
    #[arg(long)]
    pub handoff_required: bool,
    /// A bay instead of the suggested one
    #[arg(long, value_parser = bay)]
    pub bay: Option<BayId>,
    /// Why the chosen bay goes against the checks (recorded)
    #[arg(long, value_name = "R", value_parser = required_text("override reason"))]
    pub override_reason: Option<String>,
    /// Print {"stay","plate","bay","zone","flags","override_reason","holding","findings"} as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// Only events about this plate's stays
    #[arg(long, value_parser = plate)]
    pub plate: Option<Plate>,
    /// Only events about this bay
    #[arg(long, value_parser = bay)]
    pub bay: Option<BayId>,
    /// Only events about this zone: its bays' events and zone-wide rounds
    #[arg(long, value_parser = word::<Zone>(), ignore_case = true)]
    pub zone: Option<Zone>,
    /// Event kind
    #[arg(long, value_name = "KIND", value_parser = PossibleValuesParser::new(EVENT_KINDS))]
    pub kind: Option<String>,
    /// Only events this operator recorded
    #[arg(long = "by", value_name = "OPERATOR", value_parser = required_text("operator"))]
    pub by: Option<String>,
    /// Only events recorded at this terminal or gate
    #[arg(long = "from-terminal", value_name = "TERMINAL", value_parser = required_text("terminal"))]
    pub from_terminal: Option<String>,
    /// From this time on: RFC 3339, or 'YYYY-MM-DD [HH:MM]' in the site time zone
    #[arg(long, value_name = "T", value_parser = time)]
    pub since: Option<TimeArg>,
    /// Up to this time (same forms as --since)
    #[arg(long, value_name = "T", value_parser = time)]
    pub until: Option<TimeArg>,
    /// At most N events (1 or more)
    #[arg(long, value_name = "N", value_parser = limit)]
    pub limit: Option<usize>,
    /// Only events older than event ID: the next page after one that ended at ID
    #[arg(long, value_name = "ID")]
    pub before: Option<i64>,
    /// Show phone numbers in full
    #[arg(long)]
    pub unmasked: bool,
    #[command(flatten)]
    pub format: TableFormat,
}

/// `--json` or `--csv` instead of a table.
#[derive(Debug, Clone, Copy, Args)]
pub struct TableFormat {
    /// Print JSON instead of a table
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Print CSV (RFC 4180, times in UTC) instead of a table
    #[arg(long)]
    pub csv: bool,
}

#[derive(Debug, Subcommand)]
pub enum HandoffStep {
    /// Move the truck to a handoff bay and start the handoff
    Start {
        /// Cargo transfer to a receiving vehicle, or escorted departure
        #[arg(long, value_parser = word::<HandoffMode>(), ignore_case = true)]
        mode: HandoffMode,
        /// Transfer: the receiving vehicle's plate
        #[arg(long, value_name = "PLATE", value_parser = plate)]
        to: Option<Plate>,
        /// Transfer: the receiving company
        #[arg(long, value_name = "NAME", value_parser = required_text("receiving company"))]
        company: Option<String>,
        /// Escort: the escorting unit
        #[arg(long, value_name = "UNIT", value_parser = required_text("escorting unit"))]
        escort: Option<String>,
        /// Who authorised it (required for a truck under isolation's authority)
        #[arg(long, value_name = "NAME", value_parser = required_text("authorised by"))]
        by: Option<String>,
        /// A handoff bay instead of the suggested one
        #[arg(long, value_parser = bay)]
        bay: Option<BayId>,
    },
    /// Mark the handoff done
    Done,
    /// Confirm the handoff arrived at its destination (also after the truck left)
    Confirm,
}

#[derive(Debug, Subcommand)]
pub enum ResultsStep {
    /// Record a lab's results file (CSV with the header sample,test,result,time):
    /// all-or-nothing, rows already recorded are skipped
    #[command(after_help = "\
Columns: sample is the tube id or the truck's plate; test is antigen or pcr
(may be empty for a tube id); result is negative, positive or invalid; time is
when the lab reported it: RFC 3339 or 'YYYY-MM-DD HH:MM' in the site time zone.

Exit codes: 0 every row recorded or already recorded, 1 a row was refused,
2 the file is not a results file, 3 the file cannot be opened.")]
    Import {
        /// The CSV file
        #[arg(value_name = "FILE.csv")]
        file: PathBuf,
        /// Check every row and record nothing
        #[arg(long)]
        dry_run: bool,
        /// Record the good rows even when others are refused
        #[arg(long)]
        partial: bool,
        /// Print the report as JSON
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum PolicyStep {
    /// Show the policy in force and where it comes from (the default)
    Show {
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Record a policy for the lot, applied by every terminal from now on
    Set {
        /// Start from this terminal's config.toml [policy] instead of the lot's
        #[arg(long)]
        from_config: bool,
        /// Changes as KEY=VALUE, the config file's keys (e.g. fever_c=37.5 require_pcr=true)
        #[arg(value_name = "KEY=VALUE")]
        changes: Vec<String>,
    },
}

/// Which shift `report` covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportShift {
    /// The shift under way, up to now
    Current,
    /// The shift before it
    Previous,
}

/// How `report` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Markdown
    Md,
    Csv,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ServiceStep {
    /// Request a meal
    Meal,
    /// Request water
    Water,
    /// Request medical help
    Medical,
    /// Close the oldest open call (of --kind, if given)
    Done,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
