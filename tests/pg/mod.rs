//! A throwaway PostgreSQL cluster for the tests that need one: `initdb` in
//! a temporary directory, started with `pg_ctl` on a Unix socket in that
//! directory and a loopback port, one database made for the test, and
//! everything stopped and removed on drop. Nothing is shared with a
//! PostgreSQL the machine may already run, so the tests need no setup.
//!
//! Without the server binaries the tests that need a cluster say so on one
//! line and pass, so that `cargo test` works with only a Rust toolchain (as
//! the README promises); CI, where PostgreSQL must be tested, sets
//! `TRUCKLOT_REQUIRE_POSTGRES=1` to make a missing server a failure.

// Each test crate uses a different subset of these helpers.
#![allow(dead_code)]

use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

/// The name of the database made for the test (the cluster's own
/// `postgres` database is left as it is).
pub const DATABASE: &str = "trucklot";

/// A throwaway server need not wait for the disk (`fsync=off`: only an
/// operating-system crash could lose what it wrote, and the cluster dies
/// with the test anyway). Commits stay synchronous: a commit is in the
/// server's log before it is acknowledged, so a server stopped at once
/// (`crash`) keeps every acknowledged action, as a real one does.
const SERVER_OPTIONS: &str = "-c fsync=off -c full_page_writes=off -c max_connections=200";

/// The operating-system user that runs the server when the tests run as
/// root (`initdb` and `postgres` refuse root) and the cluster's superuser.
const SERVER_USER: &str = "postgres";

pub struct PgCluster {
    bin: PathBuf,
    data: PathBuf,
    socket_dir: PathBuf,
    port: u16,
    as_root: bool,
    /// Server options beyond the harness's own (TLS), kept for a restart.
    extra: String,
    // Last, so the directory outlives everything that points into it; it
    // is removed after `Drop::drop` has stopped the server.
    dir: TempDir,
}

impl PgCluster {
    /// A running cluster with an empty database `DATABASE` (UTF8, the C
    /// collation), or `None` when the PostgreSQL server binaries are not
    /// installed (after printing one line that says how to install them) —
    /// unless `TRUCKLOT_REQUIRE_POSTGRES=1`, which makes that a panic. Any
    /// other failure is a panic with the server's own output.
    pub fn start() -> Option<PgCluster> {
        PgCluster::start_with(|_| String::new())
    }

    /// A cluster that takes TCP connections over TLS only (`hostssl` in
    /// `pg_hba.conf`; the socket stays plain for the harness), with a
    /// self-signed certificate for 127.0.0.1, also returned as PEM: the
    /// root a client verifies the server with.
    pub fn start_tls() -> Option<(PgCluster, String)> {
        let cert = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()])
            .expect("a self-signed certificate");
        let pem = cert.cert.pem();
        let key = cert.signing_key.serialize_pem();
        let for_server = pem.clone();
        let cluster = PgCluster::start_with(move |data| {
            std::fs::write(data.join("server.crt"), &for_server).expect("write server.crt");
            std::fs::write(data.join("server.key"), &key).expect("write server.key");
            std::fs::set_permissions(
                data.join("server.key"),
                std::fs::Permissions::from_mode(0o600),
            )
            .expect("server.key mode 0600");
            std::fs::write(
                data.join("pg_hba.conf"),
                "local all all trust\nhostssl all all 127.0.0.1/32 trust\n",
            )
            .expect("write pg_hba.conf");
            // SAFETY: geteuid has no preconditions and cannot fail.
            if unsafe { libc::geteuid() } == 0 {
                for f in ["server.crt", "server.key", "pg_hba.conf"] {
                    chown_server_user(&data.join(f));
                }
            }
            "-c ssl=on -c ssl_cert_file=server.crt -c ssl_key_file=server.key".to_owned()
        })?;
        Some((cluster, pem))
    }

    /// `start`, with `setup` run on the data directory after `initdb` and
    /// before the server starts; it answers more server options.
    fn start_with(setup: impl FnOnce(&Path) -> String) -> Option<PgCluster> {
        let Some(bin) = find_bin() else {
            let missing = "PostgreSQL server binaries (initdb, pg_ctl) not found; install \
                           them with `apt-get install postgresql-15` (or set TRUCKLOT_PG_BIN \
                           to their directory)";
            if std::env::var("TRUCKLOT_REQUIRE_POSTGRES").as_deref() == Ok("1") {
                panic!("{missing}: TRUCKLOT_REQUIRE_POSTGRES=1 requires them");
            }
            eprintln!("{missing}: skipping this PostgreSQL test");
            return None;
        };
        // SAFETY: geteuid has no preconditions and cannot fail.
        let as_root = unsafe { libc::geteuid() } == 0;
        let dir = tempfile::Builder::new()
            .prefix("trucklot-pg-")
            .tempdir()
            .expect("a temporary directory for the cluster");
        let data = dir.path().join("data");
        let socket_dir = dir.path().to_path_buf();
        if as_root {
            // The server user must own the data directory and be able to
            // create its socket and log in the temporary directory.
            chown_server_user(dir.path());
        }
        let initdb = run(
            &bin,
            as_root,
            "initdb",
            &[
                "-D".as_ref(),
                data.as_os_str(),
                "-U".as_ref(),
                SERVER_USER.as_ref(),
                // Trust on a socket only this user can reach and on
                // loopback: a throwaway cluster with no secrets in it.
                "--auth=trust".as_ref(),
                "--encoding=UTF8".as_ref(),
                "--locale=C".as_ref(),
                // A test cluster is thrown away: no need to wait for disks.
                "--no-sync".as_ref(),
            ],
        );
        check("initdb", &initdb);
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o700))
            .expect("data directory mode 0700");
        let extra = setup(&data);

        // A free loopback port: asked of the kernel, then released for the
        // server. Another process may take it meanwhile, so a failed start
        // is retried on a new port.
        let mut last = None;
        for _ in 0..3 {
            let port = free_port();
            let started = pg_ctl_start(&bin, as_root, &data, dir.path(), port, &extra);
            let log = dir.path().join("server.log");
            if started.status.success() {
                let cluster = PgCluster {
                    bin,
                    data,
                    extra,
                    socket_dir,
                    port,
                    as_root,
                    dir,
                };
                cluster.create_database();
                return Some(cluster);
            }
            let server_log = std::fs::read_to_string(&log).unwrap_or_default();
            last = Some((started, server_log));
        }
        let (out, server_log) = last.expect("at least one attempt");
        panic!(
            "pg_ctl start failed three times: {}{}\nserver log:\n{server_log}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// The connection string of the test's database, as a site would pass
    /// it to `trucklot --db` (TCP on loopback).
    pub fn url(&self) -> String {
        format!(
            "postgresql://{SERVER_USER}@127.0.0.1:{}/{DATABASE}",
            self.port
        )
    }

    /// The same database over the Unix socket in the cluster's directory.
    pub fn socket_params(&self) -> String {
        format!(
            "host={} port={} user={SERVER_USER} dbname={DATABASE}",
            self.socket_dir.display(),
            self.port
        )
    }

    pub fn connect(&self) -> postgres::Client {
        postgres::Client::connect(&self.url(), postgres::NoTls)
            .unwrap_or_else(|e| panic!("connect to {}: {e}", self.url()))
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    fn create_database(&self) {
        let admin = format!(
            "host={} port={} user={SERVER_USER} dbname=postgres",
            self.socket_dir.display(),
            self.port
        );
        let mut c = postgres::Client::connect(&admin, postgres::NoTls)
            .unwrap_or_else(|e| panic!("connect to the new cluster over its socket: {e}"));
        // template0: template1 may carry another locale; C collation: text
        // compares byte by byte, as in SQLite (the schema refuses others).
        c.batch_execute(&format!(
            "CREATE DATABASE {DATABASE} TEMPLATE template0 ENCODING 'UTF8' \
             LC_COLLATE 'C' LC_CTYPE 'C'"
        ))
        .expect("create the test database");
    }
}

/// One cluster for a whole test process, started by the first test that
/// asks and stopped by a watchdog when the process ends, however it ends
/// (a static is never dropped; a panic must not leave a server running).
/// `None` when the server binaries are missing (see `start`).
pub fn shared() -> Option<&'static PgCluster> {
    static CLUSTER: std::sync::OnceLock<Option<PgCluster>> = std::sync::OnceLock::new();
    CLUSTER
        .get_or_init(|| {
            let cluster = PgCluster::start()?;
            cluster.stop_when_this_process_ends();
            Some(cluster)
        })
        .as_ref()
}

impl PgCluster {
    /// A new empty database in the cluster (UTF8, C collation), for one
    /// test: its address over TCP loopback.
    pub fn new_database(&self) -> String {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let name = format!("lot_{}", N.fetch_add(1, Ordering::SeqCst));
        let mut c = postgres::Client::connect(&self.admin_params(), postgres::NoTls)
            .unwrap_or_else(|e| panic!("connect to the test cluster: {e}"));
        c.batch_execute(&format!(
            "CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' \
             LC_COLLATE 'C' LC_CTYPE 'C'"
        ))
        .unwrap_or_else(|e| panic!("create database {name}: {e}"));
        format!("postgresql://{SERVER_USER}@127.0.0.1:{}/{name}", self.port)
    }

    fn admin_params(&self) -> String {
        format!(
            "host={} port={} user={SERVER_USER} dbname=postgres",
            self.socket_dir.display(),
            self.port
        )
    }

    /// Starts a watchdog that stops the server and removes its directory
    /// once this process is gone.
    fn stop_when_this_process_ends(&self) {
        let stop = format!(
            "{}{} stop -m immediate -D '{}' >/dev/null 2>&1",
            if self.as_root {
                format!("runuser -u {SERVER_USER} -- ")
            } else {
                String::new()
            },
            self.bin.join("pg_ctl").display(),
            self.data.display()
        );
        let script = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; {stop}; rm -rf '{dir}'",
            pid = std::process::id(),
            dir = self.dir.path().display()
        );
        // Never waited for, on purpose: it is to outlive this process.
        #[allow(clippy::zombie_processes)]
        Command::new("sh")
            .args(["-c", &script])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start the test cluster's watchdog");
    }

    /// Stops the server at once, as a power cut would (`-m immediate`):
    /// for the fault tests. `start_again` brings it back on the same port.
    pub fn crash(&self) {
        check("pg_ctl stop -m immediate", &self.stop("immediate"));
    }

    /// `pg_ctl stop -w -m MODE`: `-w` waits until the server is gone.
    fn stop(&self, mode: &str) -> Output {
        run(
            &self.bin,
            self.as_root,
            "pg_ctl",
            &[
                "stop".as_ref(),
                "-w".as_ref(),
                "-m".as_ref(),
                mode.as_ref(),
                "-D".as_ref(),
                self.data.as_os_str(),
            ],
        )
    }

    pub fn start_again(&self) {
        let out = pg_ctl_start(
            &self.bin,
            self.as_root,
            &self.data,
            self.dir.path(),
            self.port,
            &self.extra,
        );
        check("pg_ctl start again", &out);
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        // Fast: roll back open transactions and disconnect, then stop,
        // so the directory can be removed after it and no process is left.
        let out = self.stop("fast");
        if !out.status.success() {
            // Never panic in drop (it may run while unwinding); say it.
            eprintln!(
                "pg_ctl stop failed for the test cluster in {}: {}",
                self.dir.path().display(),
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

/// The directory of `initdb` and `pg_ctl`: `TRUCKLOT_PG_BIN`, Debian's
/// versioned directory (not on PATH there), or PATH.
fn find_bin() -> Option<PathBuf> {
    let has_both = |d: &Path| d.join("initdb").is_file() && d.join("pg_ctl").is_file();
    if let Some(d) = std::env::var_os("TRUCKLOT_PG_BIN").map(PathBuf::from) {
        return has_both(&d).then_some(d);
    }
    let debian = Path::new("/usr/lib/postgresql/15/bin");
    if has_both(debian) {
        return Some(debian.to_path_buf());
    }
    std::env::split_paths(&std::env::var_os("PATH")?).find(|d| has_both(d))
}

fn run(bin: &Path, as_root: bool, tool: &str, args: &[&std::ffi::OsStr]) -> Output {
    let exe = bin.join(tool);
    let mut cmd = if as_root {
        let mut c = Command::new("runuser");
        c.args(["-u", SERVER_USER, "--"]).arg(&exe);
        c
    } else {
        Command::new(&exe)
    };
    cmd.args(args)
        // The server must not inherit the test's locale or a PGDATA.
        .env("LC_ALL", "C")
        .env_remove("PGDATA")
        .stdin(std::process::Stdio::null());
    cmd.output()
        .unwrap_or_else(|e| panic!("run {}: {e}", exe.display()))
}

/// `pg_ctl start` of the cluster in `data`, its socket and log in `dir`,
/// on loopback `port`, waiting until it accepts connections.
fn pg_ctl_start(
    bin: &Path,
    as_root: bool,
    data: &Path,
    dir: &Path,
    port: u16,
    extra: &str,
) -> Output {
    let options = format!(
        "-c listen_addresses=127.0.0.1 -p {port} -k {} {SERVER_OPTIONS} {extra}",
        dir.display()
    );
    let log = dir.join("server.log");
    run(
        bin,
        as_root,
        "pg_ctl",
        &[
            "start".as_ref(),
            "-w".as_ref(),
            "-t".as_ref(),
            "60".as_ref(),
            "-D".as_ref(),
            data.as_os_str(),
            "-l".as_ref(),
            log.as_os_str(),
            "-o".as_ref(),
            options.as_ref(),
        ],
    )
}

fn check(what: &str, out: &Output) {
    assert!(
        out.status.success(),
        "{what} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn chown_server_user(dir: &Path) {
    let out = Command::new("chown")
        .arg(SERVER_USER)
        .arg(dir)
        .output()
        .expect("run chown");
    check("chown of the cluster directory", &out);
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}
