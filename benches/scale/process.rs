//! Whole processes, timed from spawn to exit: the command-line reads and
//! the interface's cold start under a pseudo-terminal, each against the
//! `sqlite3` shell opening the same file.
//!
//! The child is reaped with `wait4`, which also gives its peak resident
//! memory (`ru_maxrss`), the figure `/usr/bin/time -v` prints.

use std::io::Read;
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How one run of a process went.
#[derive(Debug, Clone, Copy)]
pub struct Run {
    pub wall: Duration,
    /// Peak resident set, in kilobytes.
    pub max_rss_kb: i64,
}

/// Where the children keep their config and the interface's log file, so a
/// benchmark never reads or writes the user's own.
pub fn sandbox_home() -> PathBuf {
    let home = super::target_dir().join("scale").join("home");
    std::fs::create_dir_all(&home).expect("create the sandbox home");
    home
}

fn command(program: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(program);
    c.args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", sandbox_home())
        .env("LANG", "C.UTF-8")
        .env("TERM", "xterm-256color")
        .env("TRUCKLOT_OPERATOR", "bench")
        .env("TRUCKLOT_TERMINAL", "gate-1");
    c
}

/// Runs `program args` with its output thrown away and times it.
pub fn run(program: &Path, args: &[&str]) -> Run {
    let mut c = command(program, args);
    c.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    let start = Instant::now();
    let child = c
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e}", program.display()));
    reap(child, start, program, args)
}

/// Runs `program args` on a fresh pseudo-terminal of `cols`×`rows` (as its
/// controlling terminal, so crossterm finds it as `/dev/tty` too), draining
/// everything it draws, and times it to its exit.
pub fn run_on_pty(program: &Path, args: &[&str], cols: u16, rows: u16) -> Run {
    let (master, slave) = open_pty(cols, rows);
    let mut c = command(program, args);
    let io = |fd: &OwnedFd| Stdio::from(fd.try_clone().expect("dup the pty"));
    c.stdin(io(&slave)).stdout(io(&slave)).stderr(io(&slave));
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        c.pre_exec(|| {
            if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY as _, 0) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let start = Instant::now();
    let child = c
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e}", program.display()));
    // Our copies of the terminal's side (the parent's and the ones the
    // `Command` keeps): while any is open the reader never sees the end.
    drop(c);
    drop(slave);
    // The terminal's side: read until the child has gone (EIO), so its
    // writes never block on a full pty buffer.
    let drain = std::thread::spawn(move || {
        let mut f = std::fs::File::from(master);
        let mut buf = [0u8; 1 << 16];
        let mut total = 0usize;
        while let Ok(n) = f.read(&mut buf) {
            if n == 0 {
                break;
            }
            total += n;
        }
        total
    });
    let run = reap(child, start, program, args);
    let drawn = drain.join().expect("pty reader");
    assert!(
        drawn > 0,
        "{}: drew nothing on the terminal",
        program.display()
    );
    run
}

fn open_pty(cols: u16, rows: u16) -> (OwnedFd, OwnedFd) {
    let mut master = -1;
    let mut slave = -1;
    let ws = libc::winsize {
        ws_row: rows,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty writes two descriptors we then own.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &ws,
        )
    };
    assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: both are fresh descriptors nobody else holds.
    unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) }
}

/// Waits for `child` and returns its wall time and peak memory; a failing
/// child stops the benchmark (a figure of a failed run means nothing).
/// Reaped with `wait4` rather than `Child::wait`, for the memory figure.
fn reap(child: std::process::Child, start: Instant, program: &Path, args: &[&str]) -> Run {
    let pid = child.id();
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value for wait4 to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our child, not yet reaped.
    let rc = unsafe { libc::wait4(pid as i32, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    assert_eq!(rc, pid as i32, "wait4: {}", std::io::Error::last_os_error());
    let ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    assert!(
        ok,
        "{} {} failed (status {status})",
        program.display(),
        args.join(" ")
    );
    Run {
        wall,
        max_rss_kb: usage.ru_maxrss,
    }
}
