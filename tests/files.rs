//! The database file in every state it meets (issue 10, §3 and §4), with the
//! real binary: readers answering while another terminal holds the write
//! lock, a file or a folder this user cannot write, and a file with damaged
//! pages. Every refusal is one line naming the file, a non-zero exit, and
//! the file and its folder exactly as they were.
//!
//! Other bad files have their tests beside the commands they concern: a
//! negative schema version, a log row whose kind disagrees with its event,
//! and odd input (`tests/cli.rs`, `bad_files_and_odd_input_get_one_clear_line`),
//! init and backup never leaving a stub (`init_and_backup_never_leave_a_stub`),
//! a file-size limit (`a_file_size_limit_is_a_clear_error_not_a_silent_kill`),
//! `check` naming damage mid-file (`check_finds_a_damaged_file`), foreign,
//! newer, empty and garbage files (`tests/store.rs`). Signals in the
//! interface are in `tests/tui_terminal.rs`.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// A lot on a file in a temporary home, driven through the binary.
struct Lot {
    dir: TempDir,
    db: PathBuf,
}

impl Lot {
    fn new() -> Lot {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("lot.db");
        let lot = Lot { dir, db };
        lot.ok(&["init"]);
        lot
    }

    /// The binary on this lot, isolated from the user's environment.
    fn cmd(&self, args: &[&str]) -> Command {
        let home = self.dir.path();
        let mut c = Command::new(assert_cmd::cargo::cargo_bin!("trucklot"));
        c.env_clear()
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_STATE_HOME", home.join("state"))
            .env("TRUCKLOT_OPERATOR", "tester")
            .env("LANG", "C")
            .arg("--db")
            .arg(&self.db)
            .args(args);
        c
    }

    fn ok(&self, args: &[&str]) -> String {
        check_ok(args, self.cmd(args).output().expect("run"))
    }

    fn arrive(&self, plate: &str) {
        self.ok(&["arrive", plate, "--temp", "36.5", "--code", "green"]);
    }

    fn events(&self) -> usize {
        let log = self.ok(&["log", "--json", "--limit", "1000"]);
        let v: serde_json::Value = serde_json::from_str(&log).expect("log --json");
        v.as_array().map_or(0, Vec::len)
    }

    /// Every file in the lot's folder with its bytes (the database, and
    /// anything SQLite or the program might leave beside it).
    fn files(&self) -> BTreeMap<String, Vec<u8>> {
        std::fs::read_dir(self.dir.path())
            .expect("read the folder")
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                (name, std::fs::read(e.path()).expect("read a file"))
            })
            .collect()
    }
}

fn check_ok(args: &[&str], out: Output) -> String {
    assert!(
        out.status.success(),
        "{args:?} failed ({:?}): {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 stdout")
}

/// Expects exit `code` and one stderr line holding every one of `needles`;
/// returns that line.
fn check_fails(args: &[&str], out: Output, code: i32, needles: &[&str]) -> String {
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
    assert!(err.starts_with("trucklot: "), "{args:?}: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
    for n in needles {
        assert!(err.contains(n), "{args:?}: {err:?} lacks {n:?}");
    }
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    err
}

/// The reading commands (and `check`), each with what its output must hold.
fn readers(plate: &'static str) -> Vec<(Vec<&'static str>, &'static str)> {
    vec![
        (vec!["status"], "parking"),
        (vec!["show", plate], plate),
        (vec!["show", "P-01-01"], "P-01-01"),
        (vec!["log", "--limit", "5"], "arrived"),
        (vec!["log", "--plate", plate, "--json"], plate),
        (vec!["clocks"], "disinfect"),
        (vec!["isolation"], "isolation"),
        (vec!["at", "2026-01-01 00:00"], "the lot at"),
        (vec!["report"], "Shift report"),
        (vec!["policy"], "fever"),
        (vec!["check"], "state matches the log"),
    ]
}

/// A reader never waits for a writer: while another connection holds the
/// write lock (`BEGIN IMMEDIATE`, for 7 s — past the 5 s busy timeout a
/// reader would give up after), every reading command, `check` and the
/// interface's refresh answer. The holder releases only after they have
/// all returned, so they cannot have waited for it; a write tried
/// meanwhile is told the database is busy, which shows the lock was held.
#[test]
fn readers_answer_while_a_writer_holds_the_lock() {
    let lot = Lot::new();
    lot.arrive("晋D12345");
    let (locked_tx, locked_rx) = mpsc::channel();
    let (done_tx, done_rx) = mpsc::channel::<()>();
    let db = lot.db.clone();
    let holder = std::thread::spawn(move || {
        let conn = rusqlite::Connection::open(&db).expect("open");
        conn.execute_batch("BEGIN IMMEDIATE; INSERT INTO meta (key, value) VALUES ('probe', 'x');")
            .expect("take the write lock");
        let since = Instant::now();
        locked_tx.send(()).expect("tell the readers");
        // However slow the machine, the readers get all the time they need;
        // a reader that waited for this lock would never return.
        let returned_while_held = done_rx.recv_timeout(Duration::from_secs(120)).is_ok();
        std::thread::sleep(Duration::from_secs(7).saturating_sub(since.elapsed()));
        conn.execute_batch("ROLLBACK").expect("release");
        returned_while_held
    });
    locked_rx.recv().expect("the lock is taken");

    for (args, shows) in readers("晋D12345") {
        let out = lot.ok(&args);
        assert!(out.contains(shows), "{args:?}: {out}");
    }
    // The interface's refresh: one read transaction, no lock.
    let mut store = trucklot::store::Store::open(&lot.db).expect("open beside the writer");
    let snap = trucklot::tui::snapshot(&store).expect("the interface's refresh");
    assert_eq!(snap.status.iter().map(|z| z.occupied).sum::<usize>(), 1);
    store.changed().expect("looking for changes");
    drop(store);
    // A writer is held back, and says why.
    let args = ["arrive", "晋D22222", "--temp", "36.5", "--code", "green"];
    let out = lot.cmd(&args).output().expect("run");
    check_fails(&args, out, 3, &["busy"]);

    done_tx.send(()).expect("the holder still holds the lock");
    assert!(
        holder.join().expect("the holder"),
        "the readers returned only after the writer let go"
    );
    assert_eq!(lot.events(), 1);
}

/// `rebuild` is the one command that holds the write lock for long, and
/// says so on stderr before it starts (stdout keeps the result).
#[test]
fn rebuild_says_it_holds_the_write_lock() {
    let lot = Lot::new();
    lot.arrive("晋D12345");
    let out = lot.cmd(&["rebuild"]).output().expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.starts_with("trucklot: rebuilding '")
            && err.contains("lot.db")
            && err.contains("1 events")
            && err.contains("other terminals cannot write until it is done"),
        "{err}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("rebuilt"));
}

/// Runs the binary as a user who cannot write what its permissions forbid
/// (root, as tests often run in containers, could otherwise).
fn as_user(mut c: Command) -> Output {
    common::without_override(&mut c);
    c.output().expect("run")
}

/// What may not be written: the file, the folder (read-only media: the
/// `-wal` and `-shm` cannot be created beside the file), or both.
#[derive(Debug, Clone, Copy)]
enum ReadOnly {
    File,
    Folder,
    Both,
}

fn set_mode(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

/// A read-only file or folder is opened by every reading command and by
/// `check`; every command that would write is refused before it starts,
/// naming the file (exit 3), and nothing in the folder changes — not even a
/// `-wal` or `-shm` beside the file.
#[cfg(unix)]
#[test]
fn a_read_only_file_or_folder_is_read_and_never_written() {
    let writers: &[&[&str]] = &[
        &["arrive", "晋D22222", "--temp", "36.5", "--code", "green"],
        &["move", "晋D12345", "P-02-01"],
        &["close", "P-03-03", "--reason", "blocked"],
        &["rebuild"],
        // Showing personal data needs its record written first.
        &["show", "晋D12345", "--unmasked"],
        &["policy", "set", "fever_c=37.5"],
    ];
    for case in [ReadOnly::File, ReadOnly::Folder, ReadOnly::Both] {
        let lot = Lot::new();
        lot.arrive("晋D12345");
        let before = lot.files();
        assert_eq!(before.keys().collect::<Vec<_>>(), ["lot.db"], "{case:?}");
        if matches!(case, ReadOnly::File | ReadOnly::Both) {
            set_mode(&lot.db, 0o444);
        }
        if matches!(case, ReadOnly::Folder | ReadOnly::Both) {
            set_mode(lot.dir.path(), 0o555);
        }
        for (args, shows) in readers("晋D12345") {
            let out = check_ok(&args, as_user(lot.cmd(&args)));
            assert!(out.contains(shows), "{case:?} {args:?}: {out}");
        }
        // A backup of it, elsewhere, is a writable lot.
        let elsewhere = tempfile::tempdir().expect("tempdir");
        let copy = elsewhere.path().join("copy.db");
        let args = ["backup", copy.to_str().expect("utf-8 path")];
        check_ok(&args, as_user(lot.cmd(&args)));
        for args in writers {
            let err = check_fails(
                args,
                as_user(lot.cmd(args)),
                3,
                &["cannot be written here", "lot.db", "nothing was changed"],
            );
            assert!(
                !err.contains("busy") && !err.contains("malformed"),
                "{case:?} {args:?}: {err}"
            );
        }
        // In Chinese too.
        let mut zh = lot.cmd(writers[0]);
        zh.arg("--lang").arg("zh");
        check_fails(writers[0], as_user(zh), 3, &["在此不可写", "lot.db"]);
        set_mode(lot.dir.path(), 0o755);
        assert!(
            lot.files() == before,
            "{case:?}: the folder changed: {:?} (if the file was written, the \
             test could not make it read-only: is it running as root without \
             CAP_SETPCAP?)",
            lot.files().keys().collect::<Vec<_>>()
        );
        set_mode(&lot.db, 0o600);
        assert_eq!(lot.events(), 1, "{case:?}");
    }
}

/// A read-only file that needs the schema upgrade a writer would make is
/// refused unchanged, saying why; so is one whose `-wal` holds changes that
/// cannot be read because the `-shm` cannot be created beside it.
#[cfg(unix)]
#[test]
fn a_read_only_file_that_cannot_be_read_as_it_is_says_why() {
    let dir = tempfile::tempdir().expect("tempdir");
    let lot = Lot {
        db: dir.path().join("old.db"),
        dir,
    };
    std::fs::copy("tests/fixtures/schema-v1.db", &lot.db).expect("copy the fixture");
    set_mode(&lot.db, 0o444);
    let before = lot.files();
    check_fails(
        &["status"],
        as_user(lot.cmd(&["status"])),
        3,
        &[
            "old.db",
            "needs upgrading from schema version 1",
            "left unchanged",
        ],
    );
    assert!(lot.files() == before, "the old file changed");

    // Another terminal's changes still in the -wal (as a crash leaves them),
    // copied to read-only media without the -shm.
    let live = Lot::new();
    live.arrive("晋D12345");
    let conn = rusqlite::Connection::open(&live.db).expect("open");
    conn.pragma_update(None, "wal_autocheckpoint", 0)
        .expect("pragma");
    conn.execute("INSERT INTO meta (key, value) VALUES ('probe', 'x')", [])
        .expect("write into the WAL");
    let media = tempfile::tempdir().expect("tempdir");
    let lot = Lot {
        db: media.path().join("lot.db"),
        dir: media,
    };
    std::fs::copy(&live.db, &lot.db).expect("copy");
    std::fs::copy(common::wal_path(&live.db), common::wal_path(&lot.db)).expect("copy the WAL");
    drop(conn);
    set_mode(lot.dir.path(), 0o555);
    let before = lot.files();
    check_fails(
        &["status"],
        as_user(lot.cmd(&["status"])),
        3,
        &["lot.db", "-wal", "-shm", "copy the file and its -wal"],
    );
    assert!(lot.files() == before, "the media changed");
    set_mode(lot.dir.path(), 0o755);
}

/// A file with damaged pages: a command that reads or writes them stops
/// with one line naming the file and saying to stop writing, restore a
/// backup and run `check` (exit 3); the interface refuses to start on it
/// (it verifies the file first, before touching the terminal). Nothing is
/// written into the damage: the file keeps every byte, and with the page
/// put back the lot and its log are as they were.
#[test]
fn a_damaged_file_stops_every_command_that_touches_the_damage() {
    let damaged = ["is damaged", "lot.db", "stop writing", "check"];
    let arrive: &[&str] = &["arrive", "晋D99999", "--temp", "36.5", "--code", "green"];
    let cases: &[(&str, &[&[&str]])] = &[
        // The bays: what every count and every arrival reads.
        ("bays", &[&["status"], arrive, &["show", "P-01-01"], &[]]),
        // The log: what every action appends to.
        (
            "events",
            &[
                arrive,
                &["depart", "晋D10000", "--force", "--reason", "test"],
                &["log"],
                &["check"],
                &[],
            ],
        ),
    ];
    let lot = Lot::new();
    for n in 0..40 {
        lot.arrive(&format!("晋D1{n:04}"));
    }
    let pristine = std::fs::read(&lot.db).expect("read");
    let events = lot.events();
    for (table, commands) in cases {
        common::damage_root_of(&lot.db, table);
        let before = lot.files();
        for args in *commands {
            // No arguments: the interface.
            let out = lot.cmd(args).output().expect("run");
            check_fails(args, out.clone(), 3, &damaged);
            assert!(out.stdout.is_empty(), "{table} {args:?} drew or printed");
        }
        let mut zh = lot.cmd(commands[0]);
        zh.arg("--lang").arg("zh");
        check_fails(
            commands[0],
            zh.output().expect("run"),
            3,
            &["已损坏", "lot.db", "check"],
        );
        assert!(
            lot.files() == before,
            "{table}: the damaged file was written to"
        );
        std::fs::write(&lot.db, &pristine).expect("put the page back");
        assert_eq!(lot.events(), events, "{table}");
        lot.ok(&["check"]);
    }
}

/// `demo` builds a new lot whole beside its path: one that fails half-way
/// through its traffic (here a file-size limit past the empty lot's size)
/// names the file, exits 3, and leaves nothing — no half-filled lot the
/// next `demo` would refuse, no temporary file.
#[cfg(unix)]
#[test]
fn a_demo_that_fails_half_way_leaves_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let lot = Lot {
        db: dir.path().join("demo.db"),
        dir,
    };
    let bin = assert_cmd::cargo::cargo_bin!("trucklot");
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "ulimit -f 400; exec '{}' --db '{}' demo",
            bin.display(),
            lot.db.display()
        ))
        .env_clear()
        .env("HOME", lot.dir.path())
        .env("LANG", "C")
        .output()
        .expect("run");
    check_fails(&["demo"], out, 3, &["cannot create", "demo.db"]);
    assert!(lot.files().is_empty(), "{:?}", lot.files().keys());
}
