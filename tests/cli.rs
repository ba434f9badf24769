//! The command line, end to end: every command's happy path and JSON shape,
//! every refusal with its exit code (and the log unchanged after it), the
//! database lifecycle (missing, init twice, foreign file), config errors,
//! demo, check and completions. Each test runs the real binary on its own
//! database in a temporary directory, with HOME and the XDG directories
//! pointed there so nothing depends on the machine's user.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

struct Lot {
    dir: TempDir,
    db: PathBuf,
}

impl Lot {
    /// A temporary home with no database yet.
    fn empty() -> Lot {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("lot.db");
        Lot { dir, db }
    }

    /// A temporary home with an initialised database.
    fn new() -> Lot {
        let lot = Lot::empty();
        lot.ok(&["init"]);
        lot
    }

    /// The binary, isolated from the user's environment, without `--db`.
    fn bare(&self) -> Command {
        let mut c = Command::new(assert_cmd::cargo::cargo_bin!("trucklot"));
        let home = self.dir.path();
        c.env_clear()
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_DATA_HOME", home.join("data"))
            .env("TRUCKLOT_OPERATOR", "tester")
            .env("LANG", "C");
        c
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = self.bare();
        c.arg("--db").arg(&self.db).args(args);
        c
    }

    /// Runs and expects success; returns stdout.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd(args).output().expect("run");
        assert!(
            out.status.success(),
            "{args:?} failed ({:?}): {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    fn json(&self, args: &[&str]) -> Value {
        let out = self.ok(args);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}: {out}"))
    }

    fn log_len(&self) -> usize {
        self.json(&["log", "--json"])
            .as_array()
            .map(Vec::len)
            .expect("log is an array")
    }

    /// Expects exit `code`, one stderr line containing `needle`, nothing
    /// written to the log, and nothing on stdout.
    fn refused(&self, args: &[&str], code: i32, needle: &str) {
        let before = self.log_len();
        let out = self.cmd(args).output().expect("run");
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
        assert!(err.starts_with("trucklot: "), "{args:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err} lacks {needle}");
        assert!(!err.contains('\x1b'), "{args:?}: raw escape in {err:?}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?} printed to stdout");
        assert_eq!(self.log_len(), before, "{args:?} wrote to the log");
    }

    /// Arrives with `extra`; a normal temperature and a green code unless
    /// `extra` gives them.
    fn arrive(&self, plate: &str, extra: &[&str]) -> Value {
        self.json(&with_checks(&["arrive", plate, "--json"], extra))
    }

    /// A negative antigen result: what the default policy needs before
    /// departure.
    fn clear(&self, plate: &str) {
        self.ok(&["sample", plate, "antigen"]);
        self.ok(&["result", plate, "antigen", "negative"]);
    }

    /// Runs and expects exit `code`; returns (stdout, stderr).
    fn fails(&self, args: &[&str], code: i32) -> (String, String) {
        let out = self.cmd(args).output().expect("run");
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
        (String::from_utf8(out.stdout).expect("utf-8 stdout"), err)
    }

    /// How many events of `kind` the log holds.
    fn count(&self, kind: &str) -> usize {
        self.json(&["log", "--json", "--kind", kind])
            .as_array()
            .map(Vec::len)
            .expect("log is an array")
    }

    /// Writes `text` to a file in the temporary home; returns its path.
    fn file(&self, name: &str, text: &str) -> String {
        let p = self.dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    }
}

/// `args` + `extra`, with `--temp 36.5` and `--code green` unless given.
fn with_checks<'a>(args: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
    let mut v = args.to_vec();
    v.extend_from_slice(extra);
    if !v.contains(&"--temp") {
        v.extend(["--temp", "36.5"]);
    }
    if !v.contains(&"--code") {
        v.extend(["--code", "green"]);
    }
    v
}

/// A lot with one isolation bay, so the holding list can be reached.
const SMALL_LAYOUT: &str = "name = \"small\"\nexit = \"east\"\n\
     [[zones]]\nzone = \"work\"\nrows = [2]\n[[zones]]\nzone = \"living\"\nrows = [2]\n\
     [[zones]]\nzone = \"parking\"\nids = \"row-bay\"\nrows = [3, 3]\n\
     [[zones]]\nzone = \"isolation\"\nrows = [1]\n[[zones]]\nzone = \"handoff\"\nrows = [1]\n";

/// The keys of a JSON object, sorted.
fn keys(v: &Value) -> Vec<&str> {
    v.as_object()
        .map(|m| m.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

/// `expected`, sorted, for comparing with `keys`.
fn sorted<'a>(expected: &[&'a str]) -> Vec<&'a str> {
    let mut v = expected.to_vec();
    v.sort_unstable();
    v
}

#[test]
fn a_missing_db_is_refused_with_the_init_hint_and_not_created() {
    let lot = Lot::empty();
    lot.cmd(&["status"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("init").and(predicate::str::contains("lot.db")));
    assert!(!lot.db.exists());
    lot.bare()
        .arg("--db")
        .arg(&lot.db)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("does not exist"));
    assert!(!lot.db.exists());
}

#[test]
fn init_creates_once_and_refuses_an_existing_file() {
    let lot = Lot::empty();
    let out = lot.ok(&["init"]);
    assert!(out.contains("1310 bays"), "{out}");
    let before = std::fs::read(&lot.db).unwrap();
    lot.cmd(&["init"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("already exists"));
    assert_eq!(std::fs::read(&lot.db).unwrap(), before);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&lot.db).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn init_takes_a_layout_file_and_refuses_a_bad_one() {
    let lot = Lot::empty();
    let layout = lot.dir.path().join("small.toml");
    std::fs::write(
        &layout,
        "name = \"small\"\nexit = \"east\"\n\
         [[zones]]\nzone = \"work\"\nrows = [2]\n[[zones]]\nzone = \"living\"\nrows = [2]\n\
         [[zones]]\nzone = \"parking\"\nids = \"row-bay\"\nrows = [3, 3]\n\
         [[zones]]\nzone = \"isolation\"\nrows = [2]\n[[zones]]\nzone = \"handoff\"\nrows = [1]\n",
    )
    .unwrap();
    lot.ok(&["init", "--layout", layout.to_str().unwrap()]);
    let s = lot.json(&["status", "--json"]);
    assert_eq!(s["zones"][2]["capacity"], 6);

    let other = Lot::empty();
    std::fs::write(&layout, "name = \"broken\"\n").unwrap();
    other
        .cmd(&["init", "--layout", layout.to_str().unwrap()])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("layout"));
    assert!(!other.db.exists());
    other
        .cmd(&["init", "--layout", "/nonexistent/layout.toml"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("/nonexistent/layout.toml"));
}

#[test]
fn a_foreign_sqlite_file_is_refused_and_left_byte_for_byte() {
    let lot = Lot::empty();
    {
        let c = rusqlite::Connection::open(&lot.db).unwrap();
        c.execute_batch("CREATE TABLE notes (x TEXT); INSERT INTO notes VALUES ('mine');")
            .unwrap();
    }
    let before = std::fs::read(&lot.db).unwrap();
    let arrive = ["arrive", "晋D12345", "--temp", "36.5", "--code", "green"];
    for args in [&["status"][..], &arrive, &["check"]] {
        lot.cmd(args)
            .assert()
            .code(3)
            .stderr(predicate::str::contains("not a trucklot database"));
    }
    assert_eq!(std::fs::read(&lot.db).unwrap(), before);
    lot.cmd(&["init"]).assert().code(3);
    assert_eq!(std::fs::read(&lot.db).unwrap(), before);
}

#[test]
fn the_default_database_is_created_privately_on_first_use() {
    let lot = Lot::empty();
    lot.bare().arg("status").assert().success();
    let db = lot.dir.path().join("data/trucklot/trucklot.db");
    assert!(db.exists(), "{db:?}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&db), 0o600);
        assert_eq!(mode(db.parent().unwrap()), 0o700);
    }
}

#[test]
fn the_gate_loop_arrive_status_show_move_depart_log() {
    let lot = Lot::new();
    let raw = lot.ok(&[
        "arrive",
        "晋d 12345",
        "--json",
        "--driver",
        "张三",
        "--phone",
        "+86 138-0013-8000",
        "--cargo",
        "emergency",
        "--origin",
        "太原",
        "--destination",
        "屯留",
        "--temp",
        "36.5",
        "--code",
        "green",
    ]);
    // The documented keys come first, in order.
    assert!(
        raw.starts_with("{\"stay\":1,\"plate\":\"晋D12345\",\"bay\":\"P-"),
        "{raw}"
    );
    assert!(raw.contains("\",\"zone\":\"parking\""), "{raw}");
    assert_eq!(raw.lines().count(), 1);
    let a: Value = serde_json::from_str(&raw).unwrap();
    assert_eq!(a["plate"], "晋D12345");
    assert_eq!(a["zone"], "parking");
    assert!(a["bay"].as_str().unwrap().starts_with("P-"));
    assert!(a["stay"].is_i64());
    let bay = a["bay"].as_str().unwrap().to_string();

    let human = lot.ok(&[
        "arrive",
        "晋Ｄ５４３２１",
        "--code",
        "GREEN",
        "--temp",
        "36.4",
    ]);
    assert!(human.contains("晋D54321 arrived"), "{human}");

    let s = lot.json(&["status", "--json"]);
    let zones = s["zones"].as_array().unwrap();
    assert_eq!(zones.len(), 5);
    assert_eq!(
        keys(&zones[0]),
        sorted(&["zone", "capacity", "occupied", "free", "closed"])
    );
    let names: Vec<&str> = zones.iter().map(|z| z["zone"].as_str().unwrap()).collect();
    assert_eq!(names, ["work", "living", "parking", "isolation", "handoff"]);
    assert_eq!(zones[2]["occupied"], 2);
    assert_eq!(zones[2]["free"], 1198);
    let table = lot.ok(&["status"]);
    assert!(
        table.contains("parking") && table.contains("1200"),
        "{table}"
    );

    let show = lot.json(&["show", "晋D12345", "--json"]);
    assert_eq!(show["bay"]["bay"], bay.as_str());
    assert_eq!(show["stay"]["phone"], "138****8000");
    assert_eq!(show["stay"]["driver"], "张三");
    assert_eq!(show["stay"]["status"], "parked");
    let unmasked = lot.json(&["show", "晋D12345", "--json", "--unmasked"]);
    assert_eq!(unmasked["stay"]["phone"], "13800138000");
    let by_bay = lot.json(&["show", &bay, "--json"]);
    assert_eq!(by_bay["stay"]["plate"], "晋D12345");
    let human = lot.ok(&["show", "晋D12345"]);
    assert!(
        human.contains("138****8000") && !human.contains("13800138000"),
        "{human}"
    );
    let free = lot.json(&["show", "P-20-01", "--json"]);
    assert!(free["stay"].is_null());
    assert_eq!(free["bay"]["zone"], "parking");

    let out = lot.ok(&["move", "晋D12345", "P-10-10"]);
    assert!(out.contains("P-10-10"), "{out}");
    lot.clear("晋D12345");
    let out = lot.ok(&["depart", "晋D12345"]);
    assert!(out.contains("departed"), "{out}");
    let gone = lot.json(&["show", "晋D12345", "--json"]);
    assert_eq!(gone["stay"]["status"], "departed");
    assert!(gone["bay"].is_null());

    let log = lot.json(&["log", "--json"]);
    let log = log.as_array().unwrap();
    let kinds: Vec<&str> = log.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "departed",
            "result_recorded",
            "sample_taken",
            "moved",
            // `show --unmasked` above is on the record.
            "disclosed",
            "arrived",
            "arrived"
        ]
    );
    assert_eq!(
        keys(&log[0]),
        sorted(&[
            "id", "at", "operator", "terminal", "kind", "stay", "bay", "details", "plate"
        ])
    );
    assert_eq!(log[0]["operator"], "tester");
    assert_eq!(log[0]["terminal"], "gate");
    assert!(log[0]["at"].as_str().unwrap().ends_with('Z'));
    assert!(log[0]["id"].as_i64() > log[1]["id"].as_i64());
    assert_eq!(log[6]["details"]["phone"], "138****8000");
    let mine = lot.json(&["log", "--json", "--plate", "晋D12345"]);
    assert_eq!(mine.as_array().unwrap().len(), 6);
    let csv = lot.ok(&["log", "--csv", "--limit", "1"]);
    assert!(csv.starts_with("id,at,operator,terminal,kind,stay,plate,bay,details\r\n"));
    assert_eq!(csv.lines().count(), 2);
    // None at all is no page of a log that has events: refused, not "no events".
    lot.refused(
        &["log", "--limit", "0"],
        2,
        "'0' is not a number of events (1 or more)",
    );
    let human = lot.ok(&["log"]);
    assert!(
        human.contains("晋D12345") && human.contains("moved"),
        "{human}"
    );

    lot.ok(&["check"]);
}

#[test]
fn bad_input_and_refusals_name_the_value_and_write_nothing() {
    let lot = Lot::new();
    lot.arrive("晋D12345", &[]);
    lot.arrive("晋D22222", &[]);
    let long = "a".repeat(300);
    let occupied = lot.json(&["show", "晋D22222", "--json"])["bay"]["bay"]
        .as_str()
        .unwrap()
        .to_string();
    let cases: Vec<(Vec<&str>, i32, &str)> = vec![
        (vec!["arrive", ""], 2, "plate is empty"),
        (vec!["arrive", "晋I12345"], 2, "晋I12345"),
        (vec!["arrive", "'; DROP TABLE events;--"], 2, "plate"),
        (vec!["arrive", "晋D33333", "--temp", "abc"], 2, "'abc'"),
        (vec!["arrive", "晋D33333", "--temp", "45"], 2, "45.0"),
        (vec!["arrive", "晋D33333", "--driver", &long], 2, "too long"),
        (
            vec!["arrive", "晋D33333", "--driver", "\x1b[31m"],
            2,
            "control character",
        ),
        (vec!["arrive", "晋D33333", "--phone", "12345"], 2, "12345"),
        (vec!["arrive", "晋D33333", "--cargo", "gold"], 2, "'gold'"),
        (vec!["arrive", "晋D33333", "--code", "blue"], 2, "'blue'"),
        (vec!["arrive", "晋D33333", "--bogus"], 2, "--bogus"),
        (vec!["arrive", "晋D12345", "--temp", "36.5"], 2, "--code"),
        (vec!["arrive", "晋D12345", "--code", "green"], 2, "--temp"),
        (
            vec!["arrive", "晋D33333", "--passenger", "李四,36.5,green"],
            2,
            "--passenger",
        ),
        (
            vec!["arrive", "晋D33333", "--passenger", "李四,,36.5,blue"],
            2,
            "health code",
        ),
        (
            vec!["arrive", "晋D33333", "--passenger", ",12345,36.5,green"],
            2,
            "phone",
        ),
        (
            vec![
                "arrive",
                "晋D33333",
                "--passenger",
                ",,36.5,green",
                "--passenger",
                ",,36.5,green",
                "--passenger",
                ",,36.5,green",
                "--passenger",
                ",,36.5,green",
            ],
            2,
            "at most 3",
        ),
        (
            vec!["arrive", "晋D33333", "--gate", "north"],
            2,
            "east, west",
        ),
        (vec!["arrive", "晋D12345"], 1, "already on site"),
        (
            vec!["arrive", "晋D33333", "--bay", &occupied],
            1,
            "occupied",
        ),
        (
            vec!["arrive", "晋D33333", "--bay", "I-05"],
            1,
            "override reason",
        ),
        (vec!["arrive", "晋D33333", "--bay", "H-01"], 1, "handoff"),
        (vec!["move", "晋D12345", "Z-99"], 2, "Z-99"),
        (vec!["move", "晋D12345", "P-99-99"], 1, "P-99-99"),
        (
            vec!["move", "晋D99999", "P-05-05"],
            1,
            "晋D99999 is not on site",
        ),
        (vec!["move", "晋D12345", &occupied], 1, "occupied"),
        (vec!["move", "晋D12345", "I-01"], 1, "isolate"),
        (vec!["depart", "晋D99999"], 1, "not on site"),
        (vec!["depart", "晋D12345", "--force"], 2, "--reason"),
        (vec!["depart", "晋D12345", "--reason", "x"], 2, "--force"),
        (
            vec!["depart", "晋D12345", "--force", "--reason", " "],
            2,
            "reason",
        ),
        (vec!["show", "晋D99999"], 1, "晋D99999"),
        (vec!["show", "Q-1"], 2, "Q-1"),
        (vec!["show", "P-99-99"], 1, "P-99-99"),
        (vec!["sample", "晋D12345", "blood"], 2, "'blood'"),
        (
            vec!["result", "晋D12345", "pcr", "negative"],
            1,
            "no pcr sample",
        ),
        (vec!["isolate", "晋D12345"], 2, "--reason"),
        (
            vec!["isolate", "晋D12345", "--reason", "x", "--bay", "P-10-10"],
            1,
            "isolation",
        ),
        (
            vec!["release", "晋D12345", "--reason", "x", "--by", "王"],
            1,
            "not in isolation",
        ),
        (vec!["release", "晋D12345", "--reason", "x"], 2, "--by"),
        (vec!["recheck", "晋D12345", "--temp", "36.5"], 2, "--code"),
        (
            vec![
                "recheck",
                "晋D12345",
                "--code",
                "green",
                "--temp",
                "36.5",
                "--person",
                "4",
            ],
            2,
            "4",
        ),
        (
            vec![
                "recheck",
                "晋D12345",
                "--code",
                "green",
                "--temp",
                "36.5",
                "--person",
                "1",
            ],
            1,
            "no person 1",
        ),
        (vec!["sample", "晋D12345", "pcr", "--id", " "], 2, "tube id"),
        (
            vec![
                "handoff",
                "晋D12345",
                "start",
                "--mode",
                "transfer",
                "--to",
                "晋D5K231",
            ],
            2,
            "--company",
        ),
        (
            vec![
                "handoff",
                "晋D12345",
                "start",
                "--mode",
                "transfer",
                "--to",
                "晋I1",
                "--company",
                "x",
            ],
            2,
            "晋I1",
        ),
        (
            vec!["handoff", "晋D12345", "start", "--mode", "escort"],
            2,
            "--escort",
        ),
        (
            vec![
                "handoff",
                "晋D12345",
                "start",
                "--mode",
                "escort",
                "--escort",
                "120",
                "--company",
                "x",
            ],
            2,
            "--mode transfer",
        ),
        (
            vec!["handoff", "晋D12345", "confirm"],
            1,
            "no finished handoff",
        ),
        (
            vec!["results", "import", "/nonexistent/results.csv"],
            3,
            "/nonexistent/results.csv",
        ),
        (vec!["escalate", "晋D12345", "--note", ""], 2, "note"),
        (vec!["handoff", "晋D12345", "done"], 1, "no handoff"),
        (
            vec!["handoff", "晋D12345", "start", "--mode", "fly"],
            2,
            "'fly'",
        ),
        (vec!["handoff", "晋D12345"], 2, "subcommand"),
        (
            vec!["service", "晋D12345", "done"],
            1,
            "no open service call",
        ),
        (
            vec!["service", "晋D12345", "meal", "--kind", "water"],
            2,
            "--kind",
        ),
        (vec!["disinfect", "mars"], 2, "'mars'"),
        (vec!["disinfect", "P-99-99"], 1, "P-99-99"),
        (vec!["close", &occupied, "--reason", "x"], 1, "occupied"),
        (
            vec!["close", "P-20-20", "--reason", "a\nb"],
            2,
            "control character",
        ),
        (vec!["open", "P-20-20"], 1, "not closed"),
        (vec!["log", "--kind", "exploded"], 2, "exploded"),
        (vec!["log", "--since", "yesterday"], 2, "yesterday"),
        (vec!["log", "--json", "--csv"], 2, "--csv"),
        (vec!["--lang", "fr", "status"], 2, "'fr'"),
        (
            vec!["status", "--operator", "\x07bell"],
            2,
            "control character",
        ),
        (vec!["completions", "tcsh"], 2, "tcsh"),
    ];
    for (args, code, needle) in &cases {
        // Arrivals get the checks they need unless the case is about them.
        let args = match args.first() {
            Some(&"arrive") if args.len() > 1 && !needle.starts_with("--") => {
                with_checks(args, &[])
            }
            _ => args.clone(),
        };
        lot.refused(&args, *code, needle);
    }
    lot.ok(&["check"]);
}

#[test]
fn the_checkpoint_workflow_from_the_command_line() {
    let lot = Lot::new();
    // Checks decide the zone: a fever goes to isolation, with the flag.
    let fever = lot.arrive("晋D11111", &["--temp", "38.2"]);
    assert_eq!(fever["zone"], "isolation");
    assert_eq!(fever["flags"], serde_json::json!(["fever"]));
    // An override puts a flagged truck elsewhere, with a recorded reason.
    let over = lot.arrive(
        "晋D22222",
        &[
            "--code",
            "yellow",
            "--bay",
            "P-05-05",
            "--override-reason",
            "code checked by CDC",
        ],
    );
    assert_eq!(over["zone"], "parking");
    assert_eq!(over["override_reason"], "code checked by CDC");
    lot.arrive("晋D33333", &["--handoff-required", "--cargo", "living"]);

    // Samples and results, with proposals.
    let out = lot.ok(&["sample", "晋D22222", "antigen"]);
    assert!(out.contains("result due"), "{out}");
    let out = lot.ok(&["result", "晋D22222", "antigen", "positive"]);
    assert!(out.contains("propose: isolate in I-"), "{out}");
    assert!(out.contains("trucklot isolate 晋D22222 --reason"), "{out}");
    lot.ok(&["sample", "晋D33333", "pcr"]);
    let out = lot.ok(&["result", "晋D33333", "pcr", "invalid"]);
    assert!(out.contains("propose: resample"), "{out}");
    lot.ok(&["sample", "晋D11111", "pcr"]);

    // The clocks board: pending results, isolation review, disinfection.
    let c = lot.json(&["clocks", "--json"]);
    assert_eq!(keys(&c), sorted(&["at", "overdue", "clocks"]));
    let clocks = c["clocks"].as_array().unwrap();
    let kinds: Vec<&str> = clocks.iter().map(|c| c["kind"].as_str().unwrap()).collect();
    assert!(
        kinds.contains(&"result") && kinds.contains(&"isolation_review"),
        "{kinds:?}"
    );
    assert!(kinds.contains(&"disinfection"), "{kinds:?}");
    let result = clocks.iter().find(|c| c["kind"] == "result").unwrap();
    assert_eq!(result["test"], "pcr");
    assert_eq!(result["plate"], "晋D11111");
    for k in ["stay", "bay", "started", "due", "remaining_min", "overdue"] {
        assert!(result.get(k).is_some(), "clock lacks {k}: {result}");
    }
    // The positive truck not isolated yet is the one alarm, due at once.
    assert_eq!(c["overdue"], 1);
    let overdue = lot.json(&["clocks", "--json", "--overdue"]);
    let overdue = overdue["clocks"].as_array().unwrap();
    assert_eq!(overdue.len(), 1, "{overdue:?}");
    assert_eq!(overdue[0]["kind"], "positive_not_isolated");
    assert_eq!(overdue[0]["plate"], "晋D22222");
    let csv = lot.ok(&["clocks", "--csv"]);
    assert!(csv.starts_with("kind,what,plate,bay,started,due,remaining_min,overdue\r\n"));

    // Isolation, escalation, the board, release.
    let out = lot.ok(&[
        "isolate",
        "晋D22222",
        "--reason",
        "positive antigen",
        "--bay",
        "I-10",
    ]);
    assert!(out.contains("I-10"), "{out}");
    lot.ok(&["escalate", "晋D22222", "--note", "reported to CDC"]);
    let board = lot.json(&["isolation", "--json"]);
    assert_eq!(keys(&board), sorted(&["at", "trucks"]));
    let trucks = board["trucks"].as_array().unwrap();
    assert_eq!(trucks.len(), 2);
    let row = trucks.iter().find(|t| t["plate"] == "晋D22222").unwrap();
    assert_eq!(row["bay"], "I-10");
    assert_eq!(row["reason"], "positive antigen");
    assert_eq!(row["escalation"], "reported to CDC");
    // Escalated: the board waits for the decision, with the note.
    assert_eq!(row["next"]["action"], "await_decision");
    let human = lot.ok(&["isolation"]);
    assert!(
        human.contains("await decision (reported to CDC)"),
        "{human}"
    );
    let other = trucks.iter().find(|t| t["plate"] == "晋D11111").unwrap();
    assert_eq!(other["pending"], serde_json::json!(["pcr"]));
    assert_eq!(other["next"]["action"], "await_result");
    for k in ["stay", "since", "minutes", "overdue", "review_due"] {
        assert!(other.get(k).is_some(), "board row lacks {k}");
    }
    let human = lot.ok(&["isolation"]);
    assert!(human.contains("2 of 40 isolation bays held"), "{human}");
    let csv = lot.ok(&["isolation", "--csv"]);
    assert_eq!(csv.lines().count(), 3);
    // A positive stands until a later negative PCR: no release before it.
    lot.refused(
        &["release", "晋D22222", "--reason", "x", "--by", "王主任"],
        1,
        "positive",
    );
    lot.ok(&["sample", "晋D22222", "pcr"]);
    lot.ok(&["result", "晋D22222", "pcr", "negative"]);
    let out = lot.ok(&[
        "release",
        "晋D22222",
        "--reason",
        "PCR negative",
        "--by",
        "王主任",
        "--bay",
        "P-06-06",
    ]);
    assert!(
        out.contains("P-06-06") && out.contains("by 王主任"),
        "{out}"
    );
    let released = lot.json(&["show", "晋D22222", "--json"]);
    assert_eq!(released["stay"]["isolation"]["released_by"], "王主任");

    // Departure rules: pending result, not released, handoff required.
    lot.refused(&["depart", "晋D11111"], 1, "pending");
    lot.refused(&["depart", "晋D33333"], 1, "handoff");
    lot.ok(&[
        "depart",
        "晋D11111",
        "--force",
        "--reason",
        "escorted to hospital",
    ]);
    let gone = lot.json(&["show", "晋D11111", "--json"]);
    assert_eq!(gone["stay"]["forced_reason"], "escorted to hospital");

    // Handoff.
    let out = lot.ok(&[
        "handoff",
        "晋D33333",
        "start",
        "--mode",
        "transfer",
        "--to",
        "晋d 5k231",
        "--company",
        "物资公司",
    ]);
    assert!(out.contains("H-") && out.contains("to 晋D5K231"), "{out}");
    let h = lot.json(&["show", "晋D33333", "--json"]);
    assert_eq!(h["stay"]["handoff"]["mode"], "transfer");
    assert_eq!(h["stay"]["handoff"]["counterpart"], "晋D5K231 物资公司");
    let out = lot.ok(&["handoff", "晋D33333", "done"]);
    assert!(
        out.contains("before it departs: no antigen sample"),
        "{out}"
    );
    assert!(out.contains("trucklot handoff 晋D33333 confirm"), "{out}");
    lot.clear("晋D33333");
    // Its invalid PCR still stands until it is sampled again.
    lot.refused(&["depart", "晋D33333"], 1, "pcr result is invalid");
    lot.ok(&["sample", "晋D33333", "pcr"]);
    lot.ok(&["result", "晋D33333", "pcr", "negative"]);
    lot.ok(&["depart", "晋D33333"]);

    // Service calls.
    lot.ok(&["service", "晋D22222", "meal"]);
    lot.ok(&["service", "晋D22222", "water"]);
    lot.refused(
        &["service", "晋D22222", "done", "--kind", "medical"],
        1,
        "no open medical call (open: meal, water)",
    );
    lot.refused(
        &[
            "--lang",
            "zh",
            "service",
            "晋D22222",
            "done",
            "--kind",
            "medical",
        ],
        1,
        "没有未完成的医疗呼叫（未完成：送餐、送水）",
    );
    lot.ok(&["service", "晋D22222", "done", "--kind", "water"]);
    // A bay the lot does not have is a typo, not a quiet log.
    lot.refused(&["log", "--bay", "P-99-1"], 1, "P-99-01 is not in this lot");
    let s = lot.json(&["show", "晋D22222", "--json"]);
    let services = s["stay"]["services"].as_array().unwrap();
    assert_eq!(services.len(), 2);
    assert!(
        services
            .iter()
            .any(|x| x["service"] == "water" && !x["done_at"].is_null())
    );
    assert!(
        services
            .iter()
            .any(|x| x["service"] == "meal" && x["done_at"].is_null())
    );
    lot.ok(&["service", "晋D22222", "done"]);

    // Disinfection and closed bays.
    lot.ok(&["disinfect", "parking"]);
    lot.ok(&["disinfect", "I-10"]);
    let b = lot.json(&["show", "I-10", "--json"]);
    assert!(b["bay"]["disinfected_at"].is_string());
    lot.ok(&["close", "P-01-01", "--reason", "路面维修"]);
    let b = lot.json(&["show", "P-01-01", "--json"]);
    assert_eq!(b["bay"]["closed"], "路面维修");
    assert_eq!(lot.json(&["status", "--json"])["zones"][2]["closed"], 1);
    lot.refused(
        &with_checks(&["arrive", "晋D44444", "--bay", "P-01-01"], &[]),
        1,
        "closed",
    );
    lot.ok(&["open", "P-01-01"]);

    let out = lot.ok(&["check"]);
    assert!(
        out.starts_with("ok: ") && out.contains("state matches the log"),
        "{out}"
    );
    lot.ok(&["rebuild"]);
    lot.ok(&["check"]);
    let kinds = lot.json(&["log", "--json", "--kind", "service_requested"]);
    assert_eq!(kinds.as_array().unwrap().len(), 2);
}

#[test]
fn operator_terminal_and_time_zone_come_from_options_env_and_config() {
    let lot = Lot::new();
    lot.cmd(&with_checks(
        &["arrive", "晋D12345", "--operator", "li.na"],
        &[],
    ))
    .env("TRUCKLOT_TERMINAL", "gate-2")
    .assert()
    .success();
    // Global options also work before the subcommand.
    lot.bare()
        .args(["--operator", "wang.qiang", "--db"])
        .arg(&lot.db)
        .args(["move", "晋D12345", "P-02-02", "--terminal", "lead"])
        .assert()
        .success();
    let log = lot.json(&["log", "--json"]);
    assert_eq!(log[0]["operator"], "wang.qiang");
    assert_eq!(log[0]["terminal"], "lead");
    assert_eq!(log[1]["operator"], "li.na");
    assert_eq!(log[1]["terminal"], "gate-2");

    let at = log[0]["at"].as_str().unwrap();
    let t = chrono::DateTime::parse_from_rfc3339(at).unwrap();
    let shanghai = t
        .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap())
        .format("%Y-%m-%d %H:%M")
        .to_string();
    assert!(lot.ok(&["log"]).contains(&shanghai));

    let cfg = lot.dir.path().join("site.toml");
    std::fs::write(
        &cfg,
        "[site]\ntimezone = \"UTC\"\n\n[policy]\nfever_c = 38.5\n",
    )
    .unwrap();
    let utc = t.format("%Y-%m-%d %H:%M").to_string();
    let c = cfg.to_str().unwrap();
    assert!(lot.ok(&["log", "--config", c]).contains(&utc));
    // The policy from the config decides: 38.0 is no fever at 38.5.
    let a = lot.json(&[
        "--config",
        c,
        "arrive",
        "晋D54321",
        "--temp",
        "38.0",
        "--code",
        "green",
        "--json",
    ]);
    assert_eq!(a["zone"], "parking");
    // The default config file is read from the config directory.
    let dir = lot.dir.path().join("config/trucklot");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), "[policy]\nfever_c = 36.5\n").unwrap();
    let a = lot.arrive("晋D67890", &["--temp", "36.6"]);
    assert_eq!(a["zone"], "isolation");
}

#[test]
fn config_errors_name_the_file_and_line() {
    let lot = Lot::new();
    let cfg = lot.dir.path().join("bad.toml");
    let c = cfg.to_str().unwrap();
    let cases = [
        ("[policy]\nfever_c = 37.5\nfever = 1\n", "line 3"),
        ("[policy]\n\nfever_c = 45.0\n", "line 3"),
        ("[site]\ntimezone = \"Mars/Olympus\"\n", "line 2"),
        ("[sitte]\n", "line 1"),
        ("[policy]\npcr_due_min = \"soon\"\n", "line 2"),
        // NaN would pass a range check and switch fever detection off.
        ("[policy]\nfever_c = nan\n", "line 2"),
    ];
    for (text, line) in cases {
        std::fs::write(&cfg, text).unwrap();
        lot.refused(&["status", "--config", c], 3, line);
        lot.refused(
            &with_checks(&["arrive", "晋D12345", "--config", c], &[]),
            3,
            "bad.toml",
        );
    }
    lot.refused(
        &["status", "--config", "/nonexistent/trucklot.toml"],
        3,
        "does not exist",
    );
}

#[test]
fn demo_fills_a_new_database_and_check_agrees() {
    let lot = Lot::empty();
    let out = lot.ok(&["demo", "--trucks", "200", "--seed", "7"]);
    assert!(out.contains("arrivals") && out.contains("parking"), "{out}");
    let status = lot.json(&["status", "--json"]);
    let occupied: u64 = status["zones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|z| z["occupied"].as_u64().unwrap())
        .sum();
    assert!(occupied > 20, "{status}");
    let out = lot.ok(&["check"]);
    assert!(out.starts_with("ok: "), "{out}");
    // Deterministic: the same seed gives the same lot.
    let again = Lot::empty();
    again.ok(&["demo", "--trucks", "200", "--seed", "7"]);
    let plates = |l: &Lot| -> Vec<Value> {
        l.json(&["log", "--json", "--kind", "arrived", "--limit", "10000"])
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["details"]["plate"].clone())
            .collect()
    };
    assert_eq!(plates(&lot), plates(&again));
    // Never into an existing database, nor the default one.
    lot.refused(&["demo", "--trucks", "5"], 1, "already exists");
    lot.bare()
        .args(["demo", "--trucks", "5"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--db"));
}

#[test]
fn backup_writes_a_private_consistent_copy_and_never_overwrites() {
    let lot = Lot::new();
    lot.arrive("晋D12345", &[]);
    let copy = lot.dir.path().join("copy.db");
    let out = lot.ok(&["backup", copy.to_str().unwrap()]);
    assert!(out.contains("backed up 1 events"), "{out}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let from_copy = Lot {
        dir: tempfile::tempdir().unwrap(),
        db: copy.clone(),
    };
    assert!(from_copy.ok(&["check"]).starts_with("ok: 1 events"));
    assert_eq!(
        from_copy.json(&["show", "晋D12345", "--json"])["stay"]["bay"],
        "P-01-01"
    );
    // An existing file is never overwritten.
    let before = std::fs::read(&copy).unwrap();
    lot.refused(&["backup", copy.to_str().unwrap()], 3, "already exists");
    assert_eq!(std::fs::read(&copy).unwrap(), before);
}

#[test]
fn a_process_killed_mid_write_leaves_a_consistent_file() {
    let lot = Lot::empty();
    // Thousands of transactions into a file built beside the target; kill
    // -9 lands in the middle of one.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("trucklot"))
        .args(["--db", lot.db.to_str().unwrap(), "demo", "--trucks", "3000"])
        .env("HOME", lot.dir.path())
        .env("TRUCKLOT_OPERATOR", "tester")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    // The file being built: `.lot.db.partial-…` beside the target.
    let partial = || -> Option<PathBuf> {
        std::fs::read_dir(lot.dir.path())
            .ok()?
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .find(|p| {
                p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                    n.starts_with(".lot.db.partial-") && !n.contains("-wal") && !n.contains("-shm")
                })
            })
    };
    let events_in = |db: &Path| -> usize {
        let out = lot
            .bare()
            .arg("--db")
            .arg(db)
            .args(["log", "--json", "--limit", "1000000"])
            .output()
            .expect("run");
        if !out.status.success() {
            return 0;
        }
        serde_json::from_slice::<Value>(&out.stdout)
            .ok()
            .and_then(|v| v.as_array().map(Vec::len))
            .unwrap_or(0)
    };
    // Wait until it has committed something, then kill it hard.
    let start = std::time::Instant::now();
    let mut building = None;
    while start.elapsed() < std::time::Duration::from_secs(30) {
        std::thread::sleep(std::time::Duration::from_millis(100));
        if let Some(p) = partial()
            && events_in(&p) > 0
        {
            building = Some(p);
            break;
        }
    }
    let building = building.expect("the demo committed nothing in 30 s");
    assert!(
        child.try_wait().expect("wait").is_none(),
        "the demo should still be writing when killed"
    );
    child.kill().expect("kill");
    let _ = child.wait();
    // Nothing at the target: the next demo or init is not refused by a stub.
    assert!(!lot.db.exists(), "a killed demo left a file at the target");
    // Every committed event is in the partial file and its state equals
    // their replay.
    let out = lot
        .bare()
        .arg("--db")
        .arg(&building)
        .arg("check")
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && text.starts_with("ok: "), "{text}");
    assert!(events_in(&building) > 0);
    lot.ok(&["init"]);
}

#[test]
fn help_and_completions() {
    let lot = Lot::empty();
    for sub in [
        "init",
        "arrive",
        "move",
        "depart",
        "status",
        "show",
        "log",
        "sample",
        "result",
        "results",
        "recheck",
        "isolate",
        "release",
        "escalate",
        "handoff",
        "service",
        "disinfect",
        "close",
        "open",
        "isolation",
        "clocks",
        "check",
        "rebuild",
        "demo",
        "simulate",
        "completions",
    ] {
        lot.bare()
            .args([sub, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Usage: trucklot"));
    }
    lot.bare()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Exit codes"));
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        lot.bare()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains("trucklot"));
    }
}

#[test]
fn an_arrival_checks_everyone_in_the_cab_and_records_the_gate() {
    let lot = Lot::new();
    // No temperature, no code: refused by name, nothing written.
    lot.refused(&["arrive", "晋D12345", "--code", "green"], 2, "--temp");
    lot.refused(&["arrive", "晋D12345", "--temp", "36.5"], 2, "--code");

    // A passenger with a fever sends the truck to isolation, by name.
    let out = lot.ok(&[
        "arrive",
        "晋D12345",
        "--driver",
        "张三",
        "--temp",
        "36.5",
        "--code",
        "green",
        "--passenger",
        "李四,13800138000,38.5,green",
        "--passenger",
        ",,36.6,yellow",
        "--venue-scanned",
    ]);
    assert!(out.contains("(isolation)"), "{out}");
    assert!(
        out.contains("fever: passenger 1 李四; yellow code: passenger 2"),
        "{out}"
    );
    let s = lot.json(&["show", "晋D12345", "--json"]);
    let stay = &s["stay"];
    assert_eq!(stay["status"], "isolated");
    assert_eq!(stay["gate"], "east");
    assert_eq!(stay["venue_code"], true);
    assert_eq!(
        stay["findings"],
        serde_json::json!([
            {"person": 1, "flag": "fever"},
            {"person": 2, "flag": "yellow_code"}
        ])
    );
    let people = stay["people"].as_array().unwrap();
    assert_eq!(people.len(), 3);
    assert_eq!(people[0]["label"], "driver");
    assert_eq!(people[0]["name"], "张三");
    assert_eq!(people[1]["label"], "passenger 1");
    assert_eq!(people[1]["phone"], "138****8000");
    assert_eq!(people[1]["temperature"], 38.5);
    assert_eq!(people[2]["code"], "yellow");
    let unmasked = lot.json(&["show", "晋D12345", "--json", "--unmasked"]);
    assert_eq!(unmasked["stay"]["people"][1]["phone"], "13800138000");
    let human = lot.ok(&["show", "晋D12345"]);
    assert!(human.contains("passenger 1  李四"), "{human}");
    assert!(
        human.contains("138****8000") && !human.contains("13800138000"),
        "{human}"
    );
    assert!(human.contains("east, venue code scanned"), "{human}");
    // The log masks every phone in an event, the passengers' too.
    let log = lot.ok(&["log", "--json"]);
    assert!(
        log.contains("138****8000") && !log.contains("13800138000"),
        "{log}"
    );
    let log = lot.ok(&["log", "--json", "--unmasked"]);
    assert!(log.contains("13800138000"), "{log}");

    // JSON: the documented keys first, then holding and findings.
    let raw = lot.ok(&with_checks(
        &["arrive", "晋D22222", "--json", "--gate", "WEST"],
        &["--passenger", ",,38.5,green"],
    ));
    assert!(
        raw.starts_with("{\"stay\":2,\"plate\":\"晋D22222\",\"bay\":\"I-"),
        "{raw}"
    );
    let a: Value = serde_json::from_str(&raw).unwrap();
    assert_eq!(
        keys(&a),
        sorted(&[
            "stay",
            "plate",
            "bay",
            "zone",
            "flags",
            "override_reason",
            "holding",
            "findings"
        ])
    );
    assert_eq!(a["holding"], false);
    assert_eq!(
        a["findings"],
        serde_json::json!([{"person": 1, "flag": "fever"}])
    );
    let s = lot.json(&["show", "晋D22222", "--json"]);
    assert_eq!(s["stay"]["gate"], "west");
    assert_eq!(s["stay"]["venue_code"], false);
    lot.refused(
        &with_checks(&["arrive", "晋D33333", "--gate", "north"], &[]),
        2,
        "(east, west)",
    );
    lot.ok(&["check"]);
}

#[test]
fn departure_needs_a_negative_antigen_and_a_positive_never_leaves_by_force() {
    let lot = Lot::new();
    lot.arrive("晋D12345", &[]);
    lot.refused(&["depart", "晋D12345"], 1, "no antigen sample");
    lot.ok(&["sample", "晋D12345", "antigen"]);
    lot.refused(&["depart", "晋D12345"], 1, "the antigen result is pending");
    lot.ok(&["result", "晋D12345", "antigen", "positive"]);
    // A positive is never forced out: the hint names the escort.
    lot.refused(
        &["depart", "晋D12345", "--force", "--reason", "x"],
        1,
        "only under an authorised escort",
    );
    assert_eq!(lot.count("departed"), 0);

    // Other blockers give way to a forced departure, which names them.
    lot.arrive("晋D22222", &[]);
    lot.ok(&["service", "晋D22222", "water"]);
    let out = lot.ok(&["depart", "晋D22222", "--force", "--reason", "driver ill"]);
    assert!(
        out.contains("forced past a missing sample: driver ill"),
        "{out}"
    );
    assert!(out.contains("closed the open water call"), "{out}");
    let gone = lot.json(&["show", "晋D22222", "--json"]);
    assert!(!gone["stay"]["services"][0]["done_at"].is_null());

    // A clean truck leaves and its open meal call is closed with it.
    lot.arrive("晋D33333", &[]);
    lot.clear("晋D33333");
    lot.ok(&["service", "晋D33333", "meal"]);
    let out = lot.ok(&["depart", "晋D33333"]);
    assert!(out.contains("departed") && !out.contains("forced"), "{out}");
    assert!(out.contains("closed the open meal call"), "{out}");
    lot.ok(&["check"]);
}

#[test]
fn a_positive_truck_leaves_under_an_authorised_escort_and_the_handoff_is_confirmed() {
    let lot = Lot::new();
    lot.arrive("晋D12345", &[]);
    lot.ok(&["sample", "晋D12345", "antigen"]);
    let out = lot.ok(&["result", "晋D12345", "antigen", "positive"]);
    assert!(out.contains("propose: isolate in I-"), "{out}");
    lot.ok(&["isolate", "晋D12345", "--reason", "positive antigen"]);
    // From isolation: no cargo transfer, and an escort needs a decider.
    lot.refused(
        &[
            "handoff",
            "晋D12345",
            "start",
            "--mode",
            "transfer",
            "--to",
            "晋D5K231",
            "--company",
            "物资公司",
        ],
        1,
        "no cargo transfer",
    );
    lot.refused(
        &[
            "handoff",
            "晋D12345",
            "start",
            "--mode",
            "escort",
            "--escort",
            "县疾控 120",
        ],
        1,
        "authorised",
    );
    let out = lot.ok(&[
        "handoff",
        "晋D12345",
        "start",
        "--mode",
        "escort",
        "--escort",
        "县疾控 120",
        "--by",
        "王主任",
    ]);
    assert!(
        out.contains("escort handoff started in H-")
            && out.contains("escort 县疾控 120, authorised by 王主任"),
        "{out}"
    );
    lot.refused(
        &["handoff", "晋D12345", "confirm"],
        1,
        "no finished handoff",
    );
    let out = lot.ok(&["handoff", "晋D12345", "done"]);
    assert!(out.contains("it may depart"), "{out}");
    lot.ok(&["depart", "晋D12345"]);
    // Confirmed at the destination after the truck left; once.
    let out = lot.ok(&["handoff", "晋D12345", "confirm"]);
    assert!(out.contains("confirmed"), "{out}");
    lot.refused(
        &["handoff", "晋D12345", "confirm"],
        1,
        "no finished handoff",
    );
    assert_eq!(lot.count("handoff_confirmed"), 1);
    let s = lot.json(&["show", "晋D12345", "--json"]);
    let h = &s["stay"]["handoff"];
    assert_eq!(h["mode"], "escort");
    assert_eq!(h["counterpart"], "县疾控 120");
    assert_eq!(h["by"], "王主任");
    assert!(h["confirmed_at"].is_string() && h["done_at"].is_string());
    let human = lot.ok(&["show", "晋D12345"]);
    assert!(
        human.contains("authorised by 王主任") && human.contains("arrival confirmed"),
        "{human}"
    );
    lot.ok(&["check"]);
}

#[test]
fn a_cargo_transfer_needs_the_receiving_vehicle_and_company() {
    let lot = Lot::new();
    lot.arrive("晋D12345", &["--handoff-required"]);
    let start = ["handoff", "晋D12345", "start", "--mode", "transfer"];
    let with = |extra: &[&'static str]| -> Vec<&'static str> {
        let mut v = start.to_vec();
        v.extend_from_slice(extra);
        v
    };
    lot.refused(&with(&["--to", "晋D5K231"]), 2, "missing --company");
    lot.refused(&with(&["--company", "物资公司"]), 2, "missing --to");
    lot.refused(&with(&["--to", "5K231", "--company", "x"]), 2, "5K231");
    lot.refused(
        &with(&["--to", "晋D12345", "--company", "x"]),
        2,
        "the truck itself",
    );
    lot.refused(
        &with(&["--to", "晋D5K231", "--company", "x", "--escort", "120"]),
        2,
        "--mode escort",
    );
    assert_eq!(lot.count("handoff_started"), 0);
    lot.ok(&with(&["--to", "晋D5K231", "--company", "物资公司"]));
    assert_eq!(lot.count("handoff_started"), 1);
}

#[test]
fn tube_ids_are_recorded_and_never_used_twice() {
    let lot = Lot::new();
    lot.arrive("晋D12345", &[]);
    lot.arrive("晋D22222", &[]);
    let out = lot.ok(&["sample", "晋D12345", "pcr", "--id", "T1", "--batch", "B-07"]);
    assert!(out.contains("tube T1, batch B-07"), "{out}");
    lot.refused(
        &["sample", "晋D22222", "antigen", "--id", "T1"],
        1,
        "tube T1 is already used by 晋D12345",
    );
    // Without --id a tube id is generated.
    let out = lot.ok(&["sample", "晋D22222", "antigen"]);
    assert!(out.contains("tube AG-000002-1"), "{out}");
    let s = lot.json(&["show", "晋D12345", "--json"]);
    assert_eq!(s["stay"]["samples"][0]["tube"], "T1");
    assert_eq!(s["stay"]["samples"][0]["batch"], "B-07");
    let human = lot.ok(&["show", "晋D12345"]);
    assert!(human.contains("T1") && human.contains("B-07"), "{human}");
}

#[test]
fn a_recheck_is_recorded_and_a_fever_proposes_isolation() {
    let lot = Lot::new();
    lot.arrive(
        "晋D12345",
        &["--driver", "张三", "--passenger", "李四,,36.5,green"],
    );
    let out = lot.ok(&["recheck", "晋D12345", "--temp", "36.8", "--code", "green"]);
    assert!(out.contains("driver 张三 rechecked: 36.8 °C"), "{out}");
    assert!(!out.contains("propose"), "{out}");
    let out = lot.ok(&[
        "recheck",
        "晋D12345",
        "--person",
        "1",
        "--temp",
        "38.6",
        "--code",
        "green",
    ]);
    assert!(out.contains("checks: fever: passenger 1 李四"), "{out}");
    assert!(
        out.contains("propose: isolate in I-01 (trucklot isolate 晋D12345 --reason"),
        "{out}"
    );
    assert_eq!(lot.count("rechecked"), 2);
    let s = lot.json(&["show", "晋D12345", "--json"]);
    assert_eq!(s["stay"]["people"][1]["temperature"], 38.6);
    assert_eq!(s["stay"]["people"][0]["temperature"], 36.8);
    lot.refused(
        &[
            "recheck",
            "晋D12345",
            "--person",
            "2",
            "--temp",
            "36.5",
            "--code",
            "green",
        ],
        1,
        "no person 2",
    );
}

#[test]
fn a_freed_isolation_bay_is_proposed_for_the_truck_on_the_holding_list() {
    let lot = Lot::empty();
    let layout = lot.file("small.toml", SMALL_LAYOUT);
    lot.ok(&["init", "--layout", &layout]);
    lot.arrive("晋D11111", &["--temp", "38.9"]);
    let out = lot.ok(&with_checks(&["arrive", "晋D22222", "--code", "red"], &[]));
    assert!(
        out.contains("isolation is full: waiting on the holding list in W-01"),
        "{out}"
    );
    let a = lot.arrive("晋D33333", &["--code", "yellow"]);
    assert_eq!(a["holding"], true);
    assert_eq!(a["zone"], "work");
    // Waiting trucks may not leave.
    lot.refused(&["depart", "晋D22222"], 1, "waiting for an isolation bay");
    let clocks = lot.json(&["clocks", "--json"]);
    let waiting = clocks["clocks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "waiting_for_isolation")
        .count();
    assert_eq!(waiting, 2);
    let board = lot.ok(&["isolation"]);
    assert!(
        board.contains("1 of 1 isolation bays held; 2 waiting for isolation"),
        "{board}"
    );
    // Releasing the isolated truck frees I-01: proposed for the first waiting.
    let out = lot.ok(&[
        "release",
        "晋D11111",
        "--reason",
        "fever gone",
        "--by",
        "王主任",
    ]);
    assert!(
        out.contains(
            "propose: an isolation bay is free: isolate 晋D22222 (waiting for isolation) in I-01 \
             (trucklot isolate 晋D22222 --bay I-01 --reason …)"
        ),
        "{out}"
    );
    lot.ok(&[
        "isolate",
        "晋D22222",
        "--bay",
        "I-01",
        "--reason",
        "red code",
    ]);
    lot.ok(&["check"]);
}

/// A lot with two trucks sampled: 晋D12345 (antigen, tube AG-000001-1) and
/// 晋D22222 (antigen, tube LAB-2).
fn sampled_lot() -> Lot {
    let lot = Lot::new();
    lot.arrive("晋D12345", &[]);
    lot.arrive("晋D22222", &[]);
    lot.ok(&["sample", "晋D12345", "antigen"]);
    lot.ok(&["sample", "晋D22222", "antigen", "--id", "LAB-2"]);
    lot
}

#[test]
fn results_import_is_all_or_nothing_and_never_records_twice() {
    let lot = sampled_lot();
    // Nanoseconds: the second import must still find the first one's record.
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Nanos, true);
    let good = format!(
        "sample,test,result,time\n晋D12345,antigen,negative,{now}\nLAB-2,,negative,{now}\n"
    );
    let bad = format!("{good}NOPE-9,,negative,{now}\nLAB-2,antigen,soon,{now}\n");
    let bad = lot.file("bad.csv", &bad);

    // One refused row and nothing is recorded.
    let (out, err) = lot.fails(&["results", "import", &bad], 1);
    assert!(
        out.contains("line 2: would apply 晋D12345 antigen negative\n"),
        "{out}"
    );
    assert!(
        out.contains("line 3: would apply 晋D22222 antigen negative (tube LAB-2)"),
        "{out}"
    );
    assert!(
        out.contains("line 4: refused: no sample has tube id NOPE-9"),
        "{out}"
    );
    assert!(out.contains("line 5: refused: result: 'soon'"), "{out}");
    assert!(
        err.contains("2 would apply, 0 already recorded, 2 refused: nothing was recorded"),
        "{err}"
    );
    assert_eq!(lot.count("result_recorded"), 0);

    // A dry run of a good file records nothing either.
    let good = lot.file("good.csv", &good);
    let out = lot.ok(&["results", "import", &good, "--dry-run"]);
    assert!(out.contains("dry run, nothing was recorded"), "{out}");
    assert_eq!(lot.count("result_recorded"), 0);

    // --partial records the good rows (and still exits 1).
    let (out, _) = lot.fails(&["results", "import", &bad, "--partial"], 1);
    assert!(
        out.contains("line 2: applied 晋D12345 antigen negative"),
        "{out}"
    );
    assert_eq!(lot.count("result_recorded"), 2);

    // The same rows again: already recorded, nothing twice.
    let out = lot.ok(&["results", "import", &good]);
    assert!(
        out.contains("line 2: already recorded 晋D12345 antigen negative, skipped"),
        "{out}"
    );
    assert!(
        out.contains("0 applied, 2 already recorded, 0 refused"),
        "{out}"
    );
    assert_eq!(lot.count("result_recorded"), 2);
    lot.ok(&["depart", "晋D12345"]);
    lot.ok(&["check"]);
}

#[test]
fn results_import_records_a_good_file_and_refuses_a_conflict() {
    let lot = sampled_lot();
    // A minute or two after the samples were taken: once in the site's
    // time zone (Asia/Shanghai, 8 hours ahead), once in UTC.
    let utc = chrono::Utc::now() + chrono::Duration::minutes(2);
    let utc = utc - chrono::Duration::seconds(utc.timestamp() % 60);
    let site = (utc + chrono::Duration::hours(8)).format("%Y-%m-%d %H:%M");
    let utc_text = utc.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let file = lot.file(
        "r.csv",
        &format!(
            "sample,test,result,time\nAG-000001-1,,positive,{site}\nLAB-2,,negative,{utc_text}\n"
        ),
    );
    let r = lot.json(&["results", "import", &file, "--json"]);
    assert_eq!(r["committed"], true);
    assert_eq!(r["applied"], 2);
    assert_eq!(r["refused"], 0);
    let rows = r["rows"].as_array().unwrap();
    assert_eq!(rows[0]["line"], 2);
    assert_eq!(rows[0]["verdict"], "applied");
    assert_eq!(rows[0]["plate"], "晋D12345");
    assert_eq!(rows[0]["result"], "positive");
    assert_eq!(rows[1]["sample"], "LAB-2");
    assert_eq!(lot.count("result_recorded"), 2);
    let log = lot.json(&["log", "--json", "--kind", "result_recorded"]);
    // The site time zone (Asia/Shanghai) is read as 8 hours ahead of UTC.
    assert_eq!(log[1]["details"]["reported_at"], utc_text.as_str());
    // A conflicting result for the same tube is refused, nothing recorded.
    let conflict = lot.file(
        "c.csv",
        &format!("sample,test,result,time\nLAB-2,,positive,{utc_text}\n"),
    );
    let (_, err) = lot.fails(&["results", "import", &conflict], 1);
    assert!(err.contains("1 refused"), "{err}");
    assert_eq!(lot.count("result_recorded"), 2);
}

#[test]
fn a_file_that_is_not_a_results_file_is_refused_whole() {
    let lot = sampled_lot();
    let no_time = lot.file("a.csv", "sample,test,result\nLAB-2,,negative\n");
    lot.refused(&["results", "import", &no_time], 2, "lacks time");
    let empty = lot.file("b.csv", "");
    lot.refused(&["results", "import", &empty], 2, "empty");
    let dir = lot.dir.path().to_str().unwrap().to_string();
    lot.refused(&["results", "import", &dir], 3, "cannot open");
    let header_only = lot.file("c.csv", "sample,test,result,time\n");
    let out = lot.ok(&["results", "import", &header_only]);
    assert!(out.contains("no rows"), "{out}");
}

#[test]
fn at_shows_the_lot_as_it_was() {
    let lot = Lot::new();
    lot.arrive("晋D12345", &[]);
    let later = chrono::Utc::now().to_rfc3339();
    let now = lot.json(&["at", &later, "--json"]);
    let occupants = now["occupants"].as_array().unwrap();
    assert_eq!(occupants.len(), 1);
    assert_eq!(occupants[0]["plate"], "晋D12345");
    let parking = &now["zones"][2];
    assert_eq!(
        (parking["zone"].as_str(), parking["occupied"].as_u64()),
        (Some("parking"), Some(1))
    );
    // Before the lot's first event, nothing stood anywhere.
    let before = lot.json(&["at", "2026-01-01 08:00", "--json"]);
    assert_eq!(before["occupants"].as_array().unwrap().len(), 0);
    let human = lot.ok(&["at", &later]);
    assert!(
        human.contains("晋D12345") && human.contains("parking"),
        "{human}"
    );
    lot.refused(&["at", "yesterday"], 2, "yesterday");
    // A moment to come is refused, not shown as the lot now (found by a
    // new user's try), and so is a report of a day to come.
    lot.refused(
        &["at", "2099-01-01"],
        2,
        "2099-01-01 00:00 has not come yet",
    );
    lot.refused(&["report", "--day", "2099-01-01"], 2, "has not come yet");

    // The isolation board as it stood: a truck isolated then, released since.
    lot.arrive("晋E55555", &[]);
    lot.ok(&["isolate", "晋E55555", "--reason", "fever at recheck"]);
    let isolated = (chrono::Utc::now() + chrono::Duration::milliseconds(5)).to_rfc3339();
    std::thread::sleep(std::time::Duration::from_millis(20));
    lot.ok(&[
        "release",
        "晋E55555",
        "--reason",
        "re-measured",
        "--by",
        "王班长",
    ]);
    let then = lot.json(&["at", &isolated, "--json"]);
    let board = then["isolation"].as_array().unwrap();
    assert_eq!(board.len(), 1, "{then}");
    assert_eq!(board[0]["plate"], "晋E55555");
    assert!(
        board[0]["reason"]
            .as_str()
            .unwrap()
            .contains("fever at recheck")
    );
    let human = lot.ok(&["at", &isolated]);
    assert!(human.contains("isolation board at"), "{human}");
    let now = (chrono::Utc::now() + chrono::Duration::minutes(1)).to_rfc3339();
    assert_eq!(
        lot.json(&["at", &now, "--json"])["isolation"],
        serde_json::json!([])
    );
}

#[test]
fn report_sums_a_window_in_every_format() {
    let lot = Lot::new();
    lot.arrive("晋D12345", &["--cargo", "emergency"]);
    lot.arrive("冀A11111", &[]);
    let from = (chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc3339();
    let to = (chrono::Utc::now() + chrono::Duration::minutes(1)).to_rfc3339();
    let j = lot.json(&["report", "--from", &from, "--to", &to, "--format", "json"]);
    assert_eq!(j["arrivals_by_cargo"]["emergency"], 1);
    assert_eq!(j["arrivals_by_province"]["冀"], 1);
    assert_eq!(j["end"][2]["occupied"], 2);
    let md = lot.ok(&["report", "--from", &from, "--to", &to]);
    assert!(md.starts_with("# Shift report"), "{md}");
    assert!(md.contains("arrivals: 2"), "{md}");
    let csv = lot.ok(&["report", "--from", &from, "--to", &to, "--format", "csv"]);
    assert!(csv.starts_with("section,item,value"), "{csv}");
    assert!(csv.contains("arrivals_by_cargo,emergency,1"), "{csv}");
    // Places in the reader's words: a zone's name in Chinese, a bay by id.
    lot.ok(&["disinfect", "living"]);
    lot.ok(&["disinfect", "P-02-02"]);
    // An action taken back is in the report, in words.
    lot.arrive("晋D33333", &[]);
    lot.ok(&["undo", "--yes"]);
    let to = (chrono::Utc::now() + chrono::Duration::minutes(1)).to_rfc3339();
    let zh = lot.ok(&["--lang", "zh", "report", "--from", &from, "--to", &to]);
    let rounds = zh
        .lines()
        .find(|l| l.starts_with("- 消杀"))
        .unwrap_or_else(|| panic!("no disinfection line in {zh}"));
    assert!(
        rounds.contains("生活区") && rounds.contains("P-02-02"),
        "{rounds}"
    );
    assert!(!rounds.contains("living"), "{rounds}");
    assert!(zh.contains("撤销") && zh.contains("晋D33333"), "{zh}");
    let md = lot.ok(&["report", "--from", &from, "--to", &to]);
    let undone = md
        .lines()
        .find(|l| l.contains("undone"))
        .unwrap_or_else(|| panic!("no undo in {md}"));
    assert!(
        undone.contains("晋D33333") && undone.contains("arrived"),
        "{undone}"
    );
    // The current shift, the previous one, a day: all run.
    lot.ok(&["report"]);
    lot.ok(&["report", "--shift", "previous"]);
    lot.ok(&["report", "--day", "2026-11-25"]);
    lot.refused(&["report", "--from", &from], 2, "--to");
    lot.refused(&["report", "--from", &to, "--to", &from], 2, "after");
}

#[test]
fn a_correction_shows_old_and_new_and_masks_phones() {
    let lot = Lot::new();
    lot.arrive("晋D12345", &["--phone", "13800138000"]);
    let out = lot.ok(&[
        "correct",
        "晋D12345",
        "--plate",
        "晋D12346",
        "--phone",
        "13900139000",
    ]);
    assert!(out.contains("晋D12345 → 晋D12346"), "{out}");
    assert!(out.contains("138****8000 → 139****9000"), "{out}");
    let log = lot.ok(&["log", "--kind", "corrected"]);
    assert!(log.contains("晋D12345 → 晋D12346"), "{log}");
    assert!(!log.contains("13900139000"), "{log}");
    lot.ok(&["show", "晋D12346"]);
    lot.refused(&["correct", "晋D12346"], 2, "--plate");
    lot.refused(
        &["correct", "晋D12346", "--plate", "晋D12346"],
        1,
        "nothing to correct",
    );
    lot.refused(&["correct", "晋D12346", "--phone", "12"], 2, "12");
}

#[test]
fn the_lots_policy_is_recorded_and_applied_by_every_terminal() {
    let lot = Lot::new();
    let shown = lot.ok(&["policy"]);
    assert!(
        shown.contains("records no policy") && shown.contains("fever_c = 37.3"),
        "{shown}"
    );
    lot.ok(&["policy", "set", "fever_c=37.5", "require_pcr=true"]);
    let j = lot.json(&["policy", "show", "--json"]);
    assert_eq!(
        (j["fever_c"].as_f64(), j["require_pcr"].as_bool()),
        (Some(37.5), Some(true))
    );
    // 37.4 °C is no fever under the lot's policy, whatever this terminal's config says.
    let a = lot.arrive("晋D12345", &["--temp", "37.4"]);
    assert_eq!(a["zone"], "parking");
    assert_eq!(lot.count("policy_changed"), 1);
    lot.refused(&["policy", "set", "fever_c=37.5"], 1, "already");
    lot.refused(&["policy", "set", "fever_c=45"], 2, "fever_c");
    lot.refused(&["policy", "set", "fever"], 2, "KEY=VALUE");
    let log = lot.ok(&["log", "--kind", "policy_changed"]);
    assert!(log.contains("fever_c=37.5"), "{log}");
    lot.ok(&["check"]);
}

/// A plate reads here as the interface's form reads it (one function,
/// `Plate::parse_typed`): a pinyin province is the province, wherever a
/// plate is typed, and where the pinyin names two the config's `[site]
/// province` decides; a plate with an invisible character is refused,
/// naming it by its code point in both languages, and nothing is written.
#[test]
fn a_pinyin_plate_is_read_as_the_form_reads_it() {
    let lot = Lot::new();
    let a = lot.arrive("jinD12346", &[]);
    assert_eq!(a["plate"], "晋D12346", "{a}");
    // Every command that takes a plate reads it the same way.
    let shown = lot.json(&["show", "JIN d 12346", "--json"]);
    assert_eq!(shown["stay"]["plate"], "晋D12346", "{shown}");
    let log = lot.json(&["log", "--plate", "ｊｉｎｄ１２３４６", "--json"]);
    assert_eq!(log.as_array().map(Vec::len), Some(1), "{log}");
    assert_eq!(log[0]["plate"], "晋D12346");
    lot.ok(&["service", "jinD12346", "water"]);
    lot.ok(&["move", "jin-D-12346", "P-05-05"]);
    assert_eq!(
        lot.json(&["show", "P-05-05", "--json"])["stay"]["plate"],
        "晋D12346"
    );
    // The whole pinyin: jing is 京, never 晋 with G·D12345.
    assert_eq!(lot.arrive("jingD12345", &[])["plate"], "京D12345");
    // A pinyin naming two provinces, neither the site's: refused, naming
    // both; the config's province decides, as in the form.
    let gui = ["arrive", "guiA12345", "--temp", "36.5", "--code", "green"];
    lot.refused(&gui, 2, "the pinyin could be 桂 or 贵");
    let cfg = lot.dir.path().join("guizhou.toml");
    std::fs::write(&cfg, "[site]\nprovince = \"贵\"\n").unwrap();
    let c = cfg.to_str().unwrap();
    let a = lot.json(&with_checks(
        &["--config", c, "arrive", "guiA12345", "--json"],
        &[],
    ));
    assert_eq!(a["plate"], "贵A12345", "{a}");
    // Still strict: a pinyin plate that is no plate says why.
    lot.refused(
        &["arrive", "jinD1234", "--temp", "36.5", "--code", "green"],
        2,
        "plate 'jinD1234' is too short",
    );
    lot.refused(&["depart", "jinI12345"], 2, "issuing letter");
    // An invisible character, anywhere, is named by its code point.
    for (plate, u) in [
        ("晋D1\u{200B}2347", "U+200B"),
        ("\u{FEFF}晋D12347", "U+FEFF"),
        ("jin\u{200B}D12347", "U+200B"),
    ] {
        let arrive = ["arrive", plate, "--temp", "36.5", "--code", "green"];
        lot.refused(&arrive, 2, &format!("the invisible character {u}"));
        let zh = [
            "--lang", "zh", "arrive", plate, "--temp", "36.5", "--code", "green",
        ];
        lot.refused(&zh, 2, &format!("不可见字符 {u}"));
        lot.refused(&["show", plate], 2, u);
    }
    // So is one in a phone number.
    let phone = [
        "arrive",
        "晋D12348",
        "--temp",
        "36.5",
        "--code",
        "green",
        "--phone",
        "138\u{200B}00138000",
    ];
    lot.refused(&phone, 2, "the invisible character U+200B is not a digit");
    let zh: Vec<&str> = ["--lang", "zh"].iter().chain(&phone).copied().collect();
    lot.refused(&zh, 2, "不可见字符 U+200B");
    assert_eq!(lot.count("arrived"), 3);
}

/// Files and input in bad states (issue 10, §4): one clear line, a non-zero
/// exit, and nothing changed.
#[test]
fn bad_files_and_odd_input_get_one_clear_line() {
    let lot = Lot::new();
    lot.arrive("晋D12345", &[]);
    // A schema version no trucklot wrote: refused, the file unchanged.
    let conn = rusqlite::Connection::open(&lot.db).unwrap();
    conn.pragma_update(None, "user_version", -1).unwrap();
    drop(conn);
    let before = std::fs::read(&lot.db).unwrap();
    let (_, err) = lot.fails(&["status"], 3);
    assert!(err.contains("schema version -1"), "{err}");
    assert_eq!(std::fs::read(&lot.db).unwrap(), before);
    let conn = rusqlite::Connection::open(&lot.db).unwrap();
    conn.pragma_update(None, "user_version", trucklot::store::SCHEMA_VERSION)
        .unwrap();
    drop(conn);

    // A negative temperature reaches the validator.
    lot.refused(
        &["arrive", "晋D22222", "--temp", "-40", "--code", "green"],
        2,
        "34.0–42.0",
    );
    // Times outside 2000–2100 are typos.
    lot.refused(&["log", "--since", "+262142-12-31 23:59"], 2, "2000–2100");
    // An invisible character is named by its code point.
    lot.refused(
        &[
            "arrive",
            "\u{200B}晋D22222",
            "--temp",
            "36.5",
            "--code",
            "green",
        ],
        2,
        "U+200B",
    );
    // A log row whose kind column disagrees with its event fails `check`.
    let conn = rusqlite::Connection::open(&lot.db).unwrap();
    conn.execute_batch(
        "DROP TRIGGER events_no_update; UPDATE events SET kind = 'moved' WHERE id = 1;",
    )
    .unwrap();
    drop(conn);
    let (_, err) = lot.fails(&["check"], 3);
    assert!(
        err.contains("event 1") && err.contains("'arrived'"),
        "{err}"
    );
}

/// A database is put in place whole: what a killed `init` or `backup`
/// leaves behind is never a stub at the real path, and a bad backup path
/// leaves nothing.
#[test]
fn init_and_backup_never_leave_a_stub() {
    let lot = Lot::empty();
    // What a killed init left: a partial file beside the path, not at it.
    let stub = lot.dir.path().join(".lot.db.partial-1-2");
    std::fs::write(&stub, b"").unwrap();
    lot.ok(&["init"]);
    lot.ok(&["status"]);
    lot.refused(&["init"], 3, "already exists");
    let bad = lot.dir.path().join("no/such/dir/copy.db");
    lot.fails(&["backup", bad.to_str().unwrap()], 3);
    assert!(!bad.exists());
    let leftovers: Vec<String> = std::fs::read_dir(lot.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".partial-") && n != ".lot.db.partial-1-2")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let copy = lot.dir.path().join("copy.db");
    lot.ok(&["backup", copy.to_str().unwrap()]);
    lot.refused(&["backup", copy.to_str().unwrap()], 3, "already exists");
}

/// Under a file-size limit the program is not killed by SIGXFSZ: it says
/// the write failed, exits 3, and leaves no stub.
#[cfg(unix)]
#[test]
fn a_file_size_limit_is_a_clear_error_not_a_silent_kill() {
    let lot = Lot::empty();
    let bin = assert_cmd::cargo::cargo_bin!("trucklot");
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "ulimit -f 100; exec '{}' --db '{}' demo",
            bin.display(),
            lot.db.display()
        ))
        .env("LANG", "C")
        .env("HOME", lot.dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("trucklot:") && err.contains("error"), "{err}");
    assert!(!lot.db.exists(), "no stub at the database path");
}

/// Damage inside the file is found by `check` and named, exit 3.
#[test]
fn check_finds_a_damaged_file() {
    let lot = Lot::new();
    for n in 0..40 {
        lot.arrive(&format!("晋D1{n:04}"), &[]);
    }
    lot.ok(&["check"]);
    // 512 bytes of noise over the head of the log's root page: a page that
    // is surely in use, wherever the file's layout puts it.
    let (root, page_size): (i64, i64) = {
        let conn = rusqlite::Connection::open(&lot.db).unwrap();
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
            .unwrap();
        conn.query_row(
            "SELECT rootpage, (SELECT page_size FROM pragma_page_size())
               FROM sqlite_master WHERE name = 'events'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
    };
    let mut bytes = std::fs::read(&lot.db).unwrap();
    let mid = ((root - 1) * page_size) as usize;
    for (i, b) in bytes[mid..mid + 512].iter_mut().enumerate() {
        *b = (i as u8).wrapping_mul(37).wrapping_add(11);
    }
    std::fs::write(&lot.db, bytes).unwrap();
    let (_, err) = lot.fails(&["check"], 3);
    assert!(err.contains("damaged"), "{err}");
}

/// Showing personal data unmasked is on the record: who, when, what.
#[test]
fn unmasked_looks_are_recorded() {
    let lot = Lot::new();
    lot.arrive("晋D12345", &["--phone", "13800138000"]);
    lot.ok(&["show", "晋D12345"]);
    lot.ok(&["log"]);
    assert_eq!(
        lot.count("disclosed"),
        0,
        "masked output is not a disclosure"
    );
    let shown = lot.ok(&["show", "晋D12345", "--unmasked"]);
    assert!(shown.contains("13800138000"));
    lot.ok(&["log", "--unmasked", "--plate", "晋D12345"]);
    assert_eq!(lot.count("disclosed"), 2);
    let log = lot.json(&["log", "--kind", "disclosed", "--json"]);
    assert_eq!(log[1]["operator"], "tester");
    assert_eq!(log[1]["details"]["what"], "show --unmasked");
    assert_eq!(log[1]["plate"], "晋D12345");
    let report = lot.ok(&["report"]);
    assert!(
        report.contains("personal data shown: show --unmasked"),
        "{report}"
    );
    lot.ok(&["check"]);
}

/// `undo` names the action and asks; a script answers with --yes. `purge`
/// refuses the future and says when there is nothing to purge.
#[test]
fn undo_and_purge_from_the_command_line() {
    let lot = Lot::new();
    lot.arrive("晋D12345", &[]);
    lot.ok(&["move", "晋D12345", "P-05-05"]);
    let (_, asked) = lot.fails(&["undo"], 2);
    assert!(
        asked.contains("undo your last action") && asked.contains("moved"),
        "{asked}"
    );
    assert!(asked.contains("--yes"), "{asked}");
    let out = lot.ok(&["undo", "--yes"]);
    assert!(out.contains("undone") && out.contains("P-05-05"), "{out}");
    assert_eq!(lot.count("undone"), 1);
    let shown = lot.json(&["show", "晋D12345", "--json"]);
    assert_ne!(shown["bay"], "P-05-05");
    lot.ok(&["undo", "--yes"]);
    let (_, none) = lot.fails(&["undo", "--yes"], 1);
    assert!(none.contains("no action left to undo"), "{none}");
    lot.ok(&["check"]);

    let (_, future) = lot.fails(&["purge", "--before", "2099-01-01", "--yes"], 2);
    assert!(future.contains("has not come yet"), "{future}");
    let (_, nothing) = lot.fails(&["purge", "--yes"], 1);
    assert!(nothing.contains("nothing to purge"), "{nothing}");
    let (_, ask) = lot.fails(&["purge"], 2);
    assert!(ask.contains("--yes"), "{ask}");

    // An action with no details is named without empty brackets; a
    // sample asked twice reads "an antigen sample".
    lot.arrive("晋D22222", &[]);
    lot.ok(&["sample", "晋D22222", "antigen"]);
    lot.refused(
        &["sample", "晋D22222", "antigen"],
        1,
        "already has an antigen sample",
    );
    lot.ok(&["result", "晋D22222", "antigen", "negative"]);
    lot.ok(&["depart", "晋D22222"]);
    let out = lot.ok(&["undo", "--yes"]);
    assert!(
        out.contains("departed 晋D22222") && !out.contains("()"),
        "{out}"
    );
}

/// A script that sends an action again with the same `--action-id` (its
/// first try timed out, say) finds it done: recorded once, exit 0.
#[test]
fn an_action_sent_again_with_its_id_is_recorded_once() {
    let lot = Lot::new();
    let id = "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b";
    let args = [
        "--action-id",
        id,
        "arrive",
        "晋D12345",
        "--temp",
        "36.5",
        "--code",
        "green",
    ];
    lot.ok(&args);
    let again = lot.cmd(&args).output().unwrap();
    assert_eq!(again.status.code(), Some(0));
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(err.contains("already done") && err.contains(id), "{err}");
    assert_eq!(lot.count("arrived"), 1);
    // The same id on another command: still that action, still once.
    let other = lot
        .cmd(&["--action-id", id, "move", "晋D12345", "P-05-05"])
        .output()
        .unwrap();
    assert_eq!(other.status.code(), Some(0));
    assert_eq!(lot.count("moved"), 0);
    // A fresh id is a new action; a malformed one is refused.
    lot.ok(&[
        "--action-id",
        "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5c",
        "move",
        "晋D12345",
        "P-05-05",
    ]);
    assert_eq!(lot.count("moved"), 1);
    lot.refused(
        &["--action-id", "12345", "move", "晋D12345", "P-05-06"],
        2,
        "not an action id",
    );
    lot.refused(
        &["--action-id", id, "results", "import", "x.csv"],
        2,
        "one action",
    );
    lot.ok(&["check"]);
}

/// The command line takes the interface's short time forms: a time of
/// today and a month-day of this year, in site time.
#[test]
fn times_take_the_interfaces_short_forms() {
    let lot = Lot::new();
    lot.arrive("晋D12345", &[]);
    let all = lot.json(&["log", "--json", "--since", "00:00"]);
    assert!(!all.as_array().expect("an array").is_empty(), "{all}");
    let today = chrono::Utc::now()
        .with_timezone(&trucklot::tz::Tz::shanghai())
        .format("%m-%d 00:00")
        .to_string();
    let same = lot.json(&["log", "--json", "--since", &today]);
    assert_eq!(same, all);
    lot.refused(&["log", "--since", "25:00"], 2, "'HH:MM'");
}

/// `show` takes part of a plate, as the interface's search does: the one
/// truck it names, on site first; several or none is a refusal naming them.
#[test]
fn show_finds_a_truck_by_part_of_its_plate() {
    let lot = Lot::new();
    lot.arrive("晋D12345", &[]);
    let one = lot.json(&["show", "D12345", "--json"]);
    assert_eq!(one["stay"]["plate"], "晋D12345", "{one}");
    lot.arrive("晋D12346", &[]);
    lot.refused(
        &["show", "D1234"],
        1,
        "'D1234' matches several trucks: 晋D12345, 晋D12346",
    );
    lot.refused(&["--lang", "zh", "show", "D1234"], 1, "晋D12345、晋D12346");
    lot.refused(
        &["show", "99999"],
        1,
        "no truck on site or that left matches '99999'",
    );
    // A departed truck is found when none on site matches.
    lot.ok(&["depart", "晋D12346", "--force", "--reason", "test"]);
    let left = lot.json(&["show", "12346", "--json"]);
    assert_eq!(left["stay"]["plate"], "晋D12346", "{left}");
}

/// A transfer stopped by the truck's isolation is said as stopped, not as
/// under way (found by a new user's try: `show` kept saying "under way"
/// while `handoff done` said there was none).
#[test]
fn a_transfer_stopped_by_isolation_is_shown_as_stopped() {
    let lot = Lot::new();
    lot.arrive("晋D33333", &[]);
    lot.ok(&[
        "handoff",
        "晋D33333",
        "start",
        "--mode",
        "transfer",
        "--to",
        "晋D5K231",
        "--company",
        "物资公司",
    ]);
    assert!(lot.ok(&["show", "晋D33333"]).contains(", under way"));
    lot.ok(&["isolate", "晋D33333", "--reason", "cough"]);
    let shown = lot.ok(&["show", "晋D33333"]);
    assert!(
        shown.contains("transfer to 晋D5K231 物资公司")
            && shown.contains("stopped when the truck was isolated: never done")
            && !shown.contains("under way"),
        "{shown}"
    );
    let zh = lot.ok(&["--lang", "zh", "show", "晋D33333"]);
    assert!(zh.contains("因车辆隔离而中止"), "{zh}");
    lot.refused(
        &["handoff", "晋D33333", "done"],
        1,
        "has no handoff under way",
    );
}

/// An imported positive says what the single `result` says: isolate a
/// truck on site, report one that left (found by a new user's try: the
/// import proposed isolating a truck that was gone). A refused row quotes
/// its times in the site's time, as the file writes them, not in UTC.
#[test]
fn results_import_proposes_what_fits_the_truck_and_quotes_site_times() {
    let lot = sampled_lot();
    lot.ok(&["depart", "晋D22222", "--force", "--reason", "driver ill"]);
    let utc = chrono::Utc::now() + chrono::Duration::minutes(2);
    let site = (utc + chrono::Duration::hours(8)).format("%Y-%m-%d %H:%M");
    let file = lot.file(
        "r.csv",
        &format!("sample,test,result,time\nAG-000001-1,,positive,{site}\nLAB-2,,positive,{site}\n"),
    );
    let out = lot.ok(&["results", "import", &file]);
    assert!(
        out.contains("applied 晋D12345 antigen positive (tube AG-000001-1); propose: isolate"),
        "{out}"
    );
    assert!(
        out.contains("applied 晋D22222 antigen positive (tube LAB-2); it has left: report this positive (trucklot escalate 晋D22222"),
        "{out}"
    );
    // A time before the sample was taken, in the site's time.
    lot.arrive("晋D33333", &[]);
    lot.ok(&["sample", "晋D33333", "antigen", "--id", "LAB-3"]);
    let early = (chrono::Utc::now() - chrono::Duration::hours(2) + chrono::Duration::hours(8))
        .format("%Y-%m-%d %H:%M")
        .to_string();
    let file = lot.file(
        "e.csv",
        &format!("sample,test,result,time\nLAB-3,,negative,{early}\n"),
    );
    let (out, err) = lot.fails(&["results", "import", &file], 1);
    let said = format!("{out}{err}");
    assert!(
        said.contains(&format!("the time {early} is before the sample was taken")),
        "{said}"
    );
    assert!(!said.contains("UTC"), "{said}");
}

/// A refusal whose way out is a flag names it (found by a new user's try:
/// "force the departure with a reason" did not say how). A departure the
/// rules never let be forced names no flag.
#[test]
fn refusals_name_the_flag_that_acts_on_them() {
    let lot = Lot::new();
    lot.arrive("晋D12345", &[]);
    lot.refused(
        &["depart", "晋D12345"],
        1,
        "force the departure with a reason (trucklot depart 晋D12345 --force --reason …)",
    );
    lot.refused(
        &["--lang", "zh", "depart", "晋D12345"],
        1,
        "（trucklot depart 晋D12345 --force --reason …）",
    );
    lot.arrive("晋D22222", &["--temp", "38.5"]);
    lot.refused(
        &[
            "handoff",
            "晋D22222",
            "start",
            "--mode",
            "escort",
            "--escort",
            "交警",
        ],
        1,
        "needs who authorised it (--by NAME)",
    );
    lot.ok(&["sample", "晋D22222", "antigen"]);
    lot.ok(&["result", "晋D22222", "antigen", "positive"]);
    let (_, err) = lot.fails(&["depart", "晋D22222"], 1);
    assert!(!err.contains("--force"), "{err}");
}

/// The command line reads the words as the interface shows and takes them
/// (found by a new user's try: `--code g`, `disinfect 停车区` and a lab's
/// `阳性` were refused): a health code by its form letter or in Chinese,
/// a zone, a test and a result in Chinese, in arguments and in a lab file.
#[test]
fn words_are_read_as_the_interface_shows_them() {
    let lot = Lot::new();
    for (plate, code) in [("晋D10001", "g"), ("晋D10002", "绿码"), ("晋D10003", "G")] {
        let a = lot.json(&["arrive", plate, "--temp", "36.5", "--code", code, "--json"]);
        assert_eq!(a["zone"], "parking", "{code}: {a}");
    }
    let a = lot.json(&[
        "arrive",
        "晋D10004",
        "--temp",
        "36.5",
        "--code",
        "黄",
        "--json",
    ]);
    assert_eq!(a["zone"], "isolation", "{a}");
    assert!(lot.ok(&["disinfect", "停车区"]).contains("parking"));
    lot.ok(&["sample", "晋D10001", "抗原"]);
    let file = lot.file(
        "r.csv",
        &format!(
            "sample,test,result,time\n晋D10001,抗原,阴性,{}\n",
            chrono::Utc::now().to_rfc3339()
        ),
    );
    assert!(lot.ok(&["results", "import", &file]).contains("1 applied"));
    // Still refused: what is none of them, with the listed values.
    lot.refused(
        &["arrive", "晋D10005", "--temp", "36.5", "--code", "purple"],
        2,
        "expected green, yellow, red",
    );
}

/// With calls of several kinds open, `service … done` must say which: the
/// oldest, a medical call that holds the truck at the gate, was closed
/// for a meal delivered (found by a new user's try as a shift lead).
#[test]
fn a_service_call_is_closed_by_its_kind_when_several_kinds_are_open() {
    let lot = Lot::new();
    lot.arrive("晋D12345", &[]);
    lot.ok(&["service", "晋D12345", "medical"]);
    lot.ok(&["service", "晋D12345", "meal"]);
    lot.refused(
        &["service", "晋D12345", "done"],
        1,
        "has open calls of several kinds (medical, meal): say which is done (trucklot service 晋D12345 done --kind medical)",
    );
    lot.refused(
        &["--lang", "zh", "service", "晋D12345", "done"],
        1,
        "请说明完成的是哪一项",
    );
    assert!(
        lot.ok(&["service", "晋D12345", "done", "--kind", "meal"])
            .contains("meal")
    );
    // One kind left: no need to say it.
    lot.ok(&["service", "晋D12345", "done"]);
    lot.refused(&["service", "晋D12345", "done"], 1, "no open service call");
}

/// A plate corrected at the gate is still found by the one first typed,
/// as lab sheets and notes carry it (found by a new user's try: `show` of
/// the old plate said it had never been on site).
#[test]
fn show_finds_a_truck_by_the_plate_it_was_corrected_from() {
    let lot = Lot::new();
    lot.arrive("晋A11111", &[]);
    lot.ok(&["correct", "晋A11111", "--plate", "晋A11112"]);
    let shown = lot.ok(&["show", "晋A11111"]);
    assert!(
        shown.starts_with("晋A11111 was corrected to 晋A11112:") && shown.contains("stay 1"),
        "{shown}"
    );
    let j = lot.json(&["show", "晋A11111", "--json"]);
    assert_eq!(j["stay"]["plate"], "晋A11112");
    // Its log too.
    let log = lot.ok(&["log", "--plate", "晋A11111"]);
    assert!(
        log.starts_with("晋A11111 was corrected to 晋A11112:") && log.contains("arrived"),
        "{log}"
    );
    // Corrected back: the plate is its own again, no redirection.
    lot.ok(&["correct", "晋A11112", "--plate", "晋A11111"]);
    let shown = lot.ok(&["show", "晋A11111"]);
    assert!(!shown.contains("was corrected to"), "{shown}");
    lot.refused(&["show", "晋A99999"], 1, "has never been on site");
}

/// A lot's recorded policy that differs from this terminal's is said so
/// truthfully with no config file too (found by a new user's try: it
/// spoke of a config.toml that did not exist).
#[test]
fn a_recorded_policy_that_differs_names_the_terminal_defaults() {
    let lot = Lot::new();
    lot.ok(&["policy", "set", "fever_c=37.5"]);
    let shown = lot.ok(&["policy"]);
    assert!(
        shown.contains("this terminal's own policy (its config.toml [policy], or the defaults without one) differs from the lot's"),
        "{shown}"
    );
}
