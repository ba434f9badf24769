//! The interface on a real terminal: the binary runs on a pseudo-terminal
//! this test holds the other side of, reads what it draws and the
//! terminal's modes, and ends it. SIGTERM, SIGHUP and SIGINT end it with
//! the terminal restored (raw mode off, the alternate screen left) and the
//! exit code a shell reports for the signal (143, 129, 130); `q` ends it
//! with 0. A read-only file opens, says so, and leaves nothing beside it.
//! A demo lot lives on while it is open (and passes `check` after), a real
//! lot open beside it all that time gains nothing.
//!
//! No timing is asserted: each step waits for what it needs to see (the
//! map drawn, the process gone), with a generous limit only so a broken
//! build fails instead of hanging.

#![cfg(target_os = "linux")]

mod common;

use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tempfile::TempDir;
use trucklot::store::{LogFilter, Store};

const ENTER_ALT: &[u8] = b"\x1b[?1049h";
const LEAVE_ALT: &[u8] = b"\x1b[?1049l";
/// Far more than any step needs on a loaded machine.
const PATIENCE: Duration = Duration::from_secs(60);

/// The master side of a pseudo-terminal and an open slave (kept so its
/// modes can be read after the program has gone).
struct Pty {
    master: File,
    slave: OwnedFd,
}

fn pty(cols: u16, rows: u16) -> Pty {
    let fail = |what: &str| -> ! { panic!("{what}: {}", io::Error::last_os_error()) };
    // SAFETY: plain libc calls on descriptors this function owns; each
    // result is checked before it is used.
    unsafe {
        let m = libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY);
        if m < 0 {
            fail("posix_openpt");
        }
        let master = File::from_raw_fd(m);
        if libc::grantpt(m) != 0 || libc::unlockpt(m) != 0 {
            fail("grantpt/unlockpt");
        }
        let mut name = [0 as libc::c_char; 128];
        if libc::ptsname_r(m, name.as_mut_ptr(), name.len()) != 0 {
            fail("ptsname_r");
        }
        let s = libc::open(name.as_ptr(), libc::O_RDWR | libc::O_NOCTTY);
        if s < 0 {
            fail("open the slave");
        }
        let slave = OwnedFd::from_raw_fd(s);
        let size = libc::winsize {
            ws_row: rows,
            ws_col: cols,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        if libc::ioctl(m, libc::TIOCSWINSZ, &size) != 0 {
            fail("TIOCSWINSZ");
        }
        Pty { master, slave }
    }
}

/// The terminal's local modes: raw mode clears `ICANON` and `ECHO`.
fn cooked(pty: &Pty) -> bool {
    // SAFETY: termios is plain data; tcgetattr fills it or fails.
    let mut t: libc::termios = unsafe { std::mem::zeroed() };
    assert_eq!(
        unsafe { libc::tcgetattr(pty.slave.as_raw_fd(), &mut t) },
        0,
        "tcgetattr: {}",
        io::Error::last_os_error()
    );
    t.c_lflag & libc::ICANON != 0 && t.c_lflag & libc::ECHO != 0
}

/// The interface running on a pseudo-terminal, and everything it wrote.
struct Session {
    pty: Pty,
    child: Child,
    screen: Arc<Mutex<Vec<u8>>>,
}

impl Session {
    /// Starts `trucklot --db DB` (no command: the interface) with the
    /// slave as its controlling terminal and standard streams.
    fn start(home: &TempDir, db: &PathBuf, read_only_user: bool) -> Session {
        let pty = pty(120, 36);
        let slave = || Stdio::from(pty.slave.try_clone().expect("dup the slave"));
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin!("trucklot"));
        let home = home.path();
        cmd.env_clear()
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_STATE_HOME", home.join("state"))
            .env("TRUCKLOT_OPERATOR", "tester")
            .env("TERM", "xterm-256color")
            .env("LANG", "C")
            .arg("--db")
            .arg(db)
            .stdin(slave())
            .stdout(slave())
            .stderr(slave());
        // SAFETY: setsid and ioctl are async-signal-safe; nothing allocates.
        unsafe {
            cmd.pre_exec(|| {
                if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
                    return Err(io::Error::last_os_error());
                }
                Ok(())
            });
        }
        if read_only_user {
            common::without_override(&mut cmd);
        }
        let child = cmd.spawn().expect("start the interface");
        let screen = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&screen);
        let mut master = pty.master.try_clone().expect("dup the master");
        // Drained all along: a full terminal buffer would block the program.
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            // Ends when the last slave is closed (EIO) or the master is.
            while let Ok(n @ 1..) = master.read(&mut buf) {
                sink.lock().expect("screen").extend_from_slice(&buf[..n]);
            }
        });
        Session { pty, child, screen }
    }

    fn written(&self) -> Vec<u8> {
        self.screen.lock().expect("screen").clone()
    }

    /// Waits until the program has entered the alternate screen and drawn
    /// `text` there.
    fn wait_for(&mut self, text: &str) {
        let since = Instant::now();
        loop {
            let out = self.written();
            if let Some(at) = find(&out, ENTER_ALT)
                && find(&out[at..], text.as_bytes()).is_some()
            {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "the interface ended ({status}) before drawing {text:?}: {}",
                    String::from_utf8_lossy(&out)
                );
            }
            assert!(
                since.elapsed() < PATIENCE,
                "{text:?} never drawn: {}",
                String::from_utf8_lossy(&out)
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn keys(&mut self, keys: &[u8]) {
        self.pty.master.write_all(keys).expect("type");
    }

    /// Waits for the program to end; returns how, and everything it wrote.
    fn end(&mut self) -> (ExitStatus, Vec<u8>) {
        let since = Instant::now();
        let status = loop {
            if let Some(s) = self.child.try_wait().expect("wait") {
                break s;
            }
            if since.elapsed() > PATIENCE {
                let _ = self.child.kill();
                panic!("the interface did not end");
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        // What it wrote last may still be on its way through the reader
        // thread: wait until the output stops growing (a busy machine can
        // take a while), so the test sees all of it.
        let mut seen = self.written().len();
        let mut still = Instant::now();
        while still.elapsed() < Duration::from_millis(500) && since.elapsed() < PATIENCE {
            std::thread::sleep(Duration::from_millis(50));
            let now = self.written().len();
            if now != seen {
                seen = now;
                still = Instant::now();
            }
        }
        (status, self.written())
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        // Nothing left running if an assertion failed half-way. The reader
        // ends by itself once the slave kept here is closed, after this.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// A new lot in a temporary home.
fn lot() -> (TempDir, PathBuf) {
    let home = tempfile::tempdir().expect("tempdir");
    let db = home.path().join("lot").join("lot.db");
    std::fs::create_dir(db.parent().expect("folder")).expect("mkdir");
    let out = Command::new(assert_cmd::cargo::cargo_bin!("trucklot"))
        .env_clear()
        .env("HOME", home.path())
        .env("LANG", "C")
        .arg("--db")
        .arg(&db)
        .arg("init")
        .output()
        .expect("init");
    assert!(out.status.success(), "{out:?}");
    (home, db)
}

/// How the interface is asked to end, and the exit code that says so.
#[test]
fn signals_and_quit_end_the_interface_with_the_terminal_restored() {
    enum End {
        Signal(libc::c_int),
        Key(&'static [u8]),
    }
    let cases = [
        ("SIGTERM", End::Signal(libc::SIGTERM), 143),
        ("SIGHUP", End::Signal(libc::SIGHUP), 129),
        ("SIGINT", End::Signal(libc::SIGINT), 130),
        ("q", End::Key(b"q"), 0),
    ];
    let (home, db) = lot();
    for (name, how, code) in cases {
        let mut s = Session::start(&home, &db, false);
        s.wait_for("Parking");
        assert!(!cooked(&s.pty), "{name}: raw mode is on while it runs");
        match how {
            End::Signal(sig) => {
                let pid = libc::pid_t::try_from(s.child.id()).expect("pid");
                // SAFETY: a signal to the child this test started.
                assert_eq!(unsafe { libc::kill(pid, sig) }, 0, "{name}: kill");
            }
            End::Key(k) => s.keys(k),
        }
        let (status, out) = s.end();
        assert_eq!(
            (status.code(), status.signal()),
            (Some(code), None),
            "{name}: it exits {code} itself, not killed by the signal"
        );
        let entered = rfind(&out, ENTER_ALT).expect("entered the alternate screen");
        assert!(
            find(&out[entered..], LEAVE_ALT).is_some(),
            "{name}: the alternate screen was left"
        );
        assert!(cooked(&s.pty), "{name}: raw mode is off again");
    }
}

/// A read-only file opens in the interface with a warning that every
/// action will be refused; `q` quits, and nothing is left beside the file.
#[test]
fn a_read_only_file_opens_in_the_interface_and_says_so() {
    use std::os::unix::fs::PermissionsExt;
    let (home, db) = lot();
    let folder = db.parent().expect("folder").to_path_buf();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let mut s = Session::start(&home, &db, true);
    s.wait_for("read only");
    s.keys(b"q");
    let (status, _) = s.end();
    drop(s);
    assert_eq!(status.code(), Some(0));
    let left: Vec<String> = std::fs::read_dir(&folder)
        .expect("list")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["lot.db"]);
}

/// A file damaged where the first frame does not look: the interface draws
/// at once (the whole file is verified beside it), then stops before
/// anything is written, the terminal restored, naming the file (exit 3).
#[test]
fn a_damaged_file_ends_the_interface_naming_the_file() {
    let (home, db) = lot();
    common::damage_root_of(&db, "events");
    let mut s = Session::start(&home, &db, false);
    let (status, out) = s.end();
    drop(s);
    let text = String::from_utf8_lossy(&out);
    assert_eq!(status.code(), Some(3), "{text}");
    assert!(
        text.contains("is damaged") && text.contains("lot.db"),
        "{text}"
    );
    assert!(cooked_after(&out), "the terminal was restored: {text}");
}

/// Whether everything drawn in the alternate screen was left again.
fn cooked_after(out: &[u8]) -> bool {
    match rfind(out, ENTER_ALT) {
        Some(at) => find(&out[at..], LEAVE_ALT).is_some(),
        None => true,
    }
}

/// `trucklot --db DB ARGS…` in the temporary home, expected to succeed;
/// its standard output.
fn trucklot(home: &TempDir, db: &Path, args: &[&str]) -> String {
    let out = Command::new(assert_cmd::cargo::cargo_bin!("trucklot"))
        .env_clear()
        .env("HOME", home.path())
        .env("LANG", "C")
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run trucklot");
    assert!(out.status.success(), "{args:?}: {out:?}");
    String::from_utf8(out.stdout).expect("utf-8")
}

fn events(db: &Path) -> i64 {
    Store::open(db)
        .and_then(|s| s.event_count())
        .expect("count the events")
}

/// A lot made by `demo` keeps living while the interface has it open:
/// the status line says DEMO and how fast, and events recorded by `demo`
/// appear (waited for, with a generous limit: no speed is asserted). After
/// `q` the traffic has stopped with the interface, nothing half-written:
/// `check` passes. A real lot, open in another interface all that time,
/// gains no event and shows no badge.
#[test]
fn a_demo_lot_lives_on_in_the_interface_and_a_real_lot_does_not() {
    let (home, real) = lot();
    let demo = real.with_file_name("demo.db");
    let made = trucklot(
        &home,
        &demo,
        &["demo", "--trucks", "300", "--seed", "5", "--speed", "600"],
    );
    assert!(made.contains("600×"), "{made}");
    let (demo_before, real_before) = (events(&demo), events(&real));
    let mut d = Session::start(&home, &demo, false);
    let mut r = Session::start(&home, &real, false);
    d.wait_for("DEMO ×600");
    r.wait_for("Parking");
    let since = Instant::now();
    while events(&demo) == demo_before {
        assert!(since.elapsed() < PATIENCE, "the demo lot gained no event");
        std::thread::sleep(Duration::from_millis(100));
    }
    for s in [&mut d, &mut r] {
        s.keys(b"q");
    }
    let (d_status, _) = d.end();
    let (r_status, r_out) = r.end();
    assert_eq!((d_status.code(), r_status.code()), (Some(0), Some(0)));
    assert!(find(&r_out, b"DEMO").is_none(), "a real lot is no demo");
    assert_eq!(events(&real), real_before, "a real lot gains no traffic");
    // What the traffic wrote is the demo's, after the lot's history, and
    // the state is its log's replay.
    let store = Store::open(&demo).expect("open the demo");
    let newest = store
        .log(&LogFilter {
            limit: Some(1),
            ..LogFilter::default()
        })
        .expect("log");
    assert_eq!(
        newest
            .iter()
            .map(|e| e.operator.as_str())
            .collect::<Vec<_>>(),
        ["demo"]
    );
    let check = trucklot(&home, &demo, &["check"]);
    assert!(check.starts_with("ok: "), "{check}");
}
