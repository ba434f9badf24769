//! Helpers shared by the store, ops and property tests: a lot on a real file
//! in a temporary directory, a fixed clock, and short constructors for the
//! values an operation needs.
//!
//! The same suites run on PostgreSQL too: `tests/on_postgres.rs` includes
//! them as modules, and there `Lot` is a new database on the test cluster
//! instead of a file (one test body, two backends).

// Each test crate uses a different subset of these helpers.
#![allow(dead_code)]

#[path = "../pg/mod.rs"]
pub mod pg;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, TimeZone, Utc};
use tempfile::TempDir;
use trucklot::domain::bay::{BayId, Zone};
use trucklot::domain::clock::FixedClock;
use trucklot::domain::event::{
    ArrivalRecord, HandoffMode, Passenger, StayId, TestKind, TestResult,
};
use trucklot::domain::layout::DEFAULT_LAYOUT;
use trucklot::domain::plate::Plate;
use trucklot::domain::policy::{Cargo, HealthCode, Policy, Temperature};
use trucklot::ops::{self, Ctx, Op, OpError, Outcome, Refusal};
use trucklot::store::{LotView, Store};

/// A fixed start time for tests: 2026-11-25 08:00 UTC (16:00 in Shanghai).
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 8, 0, 0).unwrap()
}

pub fn plate(s: &str) -> Plate {
    Plate::parse(s).unwrap_or_else(|e| panic!("test plate {s}: {e}"))
}

pub fn bay(s: &str) -> BayId {
    BayId::parse(s).unwrap_or_else(|e| panic!("test bay {s}: {e}"))
}

/// A clean arrival: green code, 36.5 °C, no travel flag, ordinary cargo.
pub fn arrival(p: &str) -> ArrivalRecord {
    ArrivalRecord {
        plate: plate(p),
        driver: Some("张三".into()),
        phone: None,
        cargo: Cargo::Other,
        origin: Some("太原".into()),
        destination: Some("长治".into()),
        temperature: Some(Temperature::new(36.5).unwrap()),
        code: Some(HealthCode::Green),
        travel_flag: false,
        handoff_required: false,
        passengers: vec![],
        gate: Some("east".into()),
        venue_code: Some(true),
    }
}

/// Someone else in the cab, checked like the driver.
pub fn passenger(name: &str, celsius: f64, code: HealthCode) -> Passenger {
    Passenger {
        name: Some(name.into()),
        phone: None,
        temperature: Some(Temperature::new(celsius).unwrap()),
        code: Some(code),
    }
}

/// A sample with a generated tube id and no batch.
pub fn sample_op(p: &str, test: TestKind) -> Op {
    Op::Sample {
        plate: plate(p),
        test,
        tube: None,
        batch: None,
    }
}

pub fn result_op(p: &str, test: TestKind, result: TestResult) -> Op {
    Op::Result {
        plate: plate(p),
        test,
        result,
    }
}

pub fn depart_op(p: &str) -> Op {
    Op::Depart {
        plate: plate(p),
        force_reason: None,
    }
}

/// A release out of isolation, decided by the shift lead.
pub fn release_op(p: &str) -> Op {
    Op::Release {
        plate: plate(p),
        reason: "PCR negative".into(),
        by: "王班长".into(),
        bay: None,
    }
}

/// A cargo transfer to a named receiving vehicle and company.
pub fn transfer_op(p: &str) -> Op {
    Op::HandoffStart {
        plate: plate(p),
        mode: HandoffMode::Transfer,
        receiver: Some(plate("晋D99999")),
        company: Some("长治物流".into()),
        escort: None,
        by: None,
        bay: None,
    }
}

/// An escorted departure with the escorting unit, authorised by `by`.
pub fn escort_op(p: &str, by: Option<&str>) -> Op {
    Op::HandoffStart {
        plate: plate(p),
        mode: HandoffMode::Escort,
        receiver: None,
        company: None,
        escort: Some("交警大队".into()),
        by: by.map(Into::into),
        bay: None,
    }
}

pub fn arrive_op(a: ArrivalRecord) -> Op {
    Op::Arrive {
        arrival: a,
        bay: None,
        override_reason: None,
    }
}

/// Deterministic plates: 晋D10000, 晋D10001, …
pub fn nth_plate(n: usize) -> Plate {
    plate(&format!("晋D{:05}", 10_000 + n))
}

/// A lot on a real database file in its own temporary directory, with a
/// clock that only moves when told to.
pub struct Lot {
    pub dir: TempDir,
    pub path: PathBuf,
    pub store: Store,
    pub clock: FixedClock,
    pub policy: Policy,
}

/// The `trucklot` binary on the lot at `db` (a file or a server's
/// address), with a home of its own and nothing from the caller's
/// environment: what a gate's operator would run.
pub fn trucklot_at(
    home: &Path,
    db: impl AsRef<std::ffi::OsStr>,
    args: &[&str],
) -> std::process::Command {
    let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin!("trucklot"));
    c.env_clear()
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("TRUCKLOT_OPERATOR", "tester")
        .env("LANG", "C")
        .arg("--db")
        .arg(db)
        .args(args);
    c
}

/// Everything a run printed, standard output then errors.
pub fn said(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// `trucklot_at`, which must succeed: its standard output.
pub fn ok_at(home: &Path, db: &str, args: &[&str]) -> String {
    let out = trucklot_at(home, db, args).output().expect("run trucklot");
    assert!(
        out.status.success(),
        "{args:?} failed ({:?}): {}",
        out.status.code(),
        said(&out)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Whether this test crate is the PostgreSQL run of the suites
/// (`tests/on_postgres.rs`, where this module's path starts so).
pub fn on_postgres() -> bool {
    module_path!().starts_with("on_postgres::")
}

/// The test cluster of this process. Without the server binaries the run
/// on PostgreSQL says so in one line and ends (passing, as `cargo test`
/// with only Rust installed must), unless `TRUCKLOT_REQUIRE_POSTGRES=1`
/// makes that a failure (`pg::PgCluster::start`).
pub fn server() -> &'static pg::PgCluster {
    match pg::shared() {
        Some(c) => c,
        None => {
            eprintln!("the suites on PostgreSQL were not run: no server binaries");
            std::process::exit(0)
        }
    }
}

impl Lot {
    /// The default layout (about 1,300 bays).
    pub fn new() -> Lot {
        Lot::with_layout(DEFAULT_LAYOUT)
    }

    pub fn with_layout(layout: &str) -> Lot {
        Lot::in_dir(tempfile::tempdir().expect("tempdir"), layout)
    }

    /// A lot on a file in a temporary directory on a RAM disk when there is
    /// one (`/dev/shm`): still a real WAL database file, but commits do not
    /// wait for the disk. For tests that write thousands of events and
    /// check logic, not durability.
    pub fn in_ram(layout: &str) -> Lot {
        let shm = Path::new("/dev/shm");
        let dir = if shm.is_dir()
            && let Ok(d) = tempfile::tempdir_in(shm)
        {
            d
        } else {
            tempfile::tempdir().expect("tempdir")
        };
        Lot::in_dir(dir, layout)
    }

    fn in_dir(dir: TempDir, layout: &str) -> Lot {
        let path = match on_postgres() {
            true => PathBuf::from(server().new_database()),
            false => dir.path().join("lot.db"),
        };
        let store = Store::create(&path, layout).expect("create store");
        Lot {
            dir,
            path,
            store,
            clock: FixedClock::new(t0()),
            policy: Policy::default(),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        use trucklot::domain::clock::Clock;
        self.clock.now()
    }

    pub fn advance(&self, by: Duration) {
        self.clock.advance(by);
    }

    pub fn exec(&mut self, op: &Op) -> Result<Outcome, OpError> {
        self.exec_as("tester", op)
    }

    /// Runs `op` as `operator` (at the same terminal and clock).
    pub fn exec_as(&mut self, operator: &str, op: &Op) -> Result<Outcome, OpError> {
        let ctx = Ctx {
            action: None,
            operator,
            terminal: "gate-1",
            clock: &self.clock,
            policy: &self.policy,
        };
        ops::execute(&mut self.store, &ctx, op)
    }

    /// Imports lab results as the CLI's `results import` does.
    pub fn import(
        &mut self,
        rows: &[ops::ImportRow],
        mode: ops::ImportMode,
    ) -> Result<ops::ImportReport, OpError> {
        let ctx = Ctx {
            action: None,
            operator: "tester",
            terminal: "gate-1",
            clock: &self.clock,
            policy: &self.policy,
        };
        ops::import_results(&mut self.store, &ctx, rows, mode)
    }

    /// Runs `op`, which must succeed.
    pub fn ok(&mut self, op: Op) -> Outcome {
        match self.exec(&op) {
            Ok(o) => o,
            Err(e) => panic!("{op:?} failed: {e}"),
        }
    }

    /// Arrives a clean truck into the suggested bay; returns its bay.
    pub fn arrive(&mut self, p: &str) -> BayId {
        self.ok(arrive_op(arrival(p)))
            .bay
            .expect("arrival has a bay")
    }

    /// Arrives a clean truck into `b`.
    pub fn arrive_in(&mut self, p: &str, b: &str) -> Outcome {
        self.ok(Op::Arrive {
            arrival: arrival(p),
            bay: Some(bay(b)),
            override_reason: None,
        })
    }

    /// Samples an antigen test and records a negative result: what the
    /// default policy needs before a truck may leave.
    pub fn cleared(&mut self, p: &str) {
        self.ok(sample_op(p, TestKind::Antigen));
        self.ok(result_op(p, TestKind::Antigen, TestResult::Negative));
    }

    /// `cleared`, then a departure that must succeed.
    pub fn clear_and_depart(&mut self, p: &str) -> Outcome {
        self.cleared(p);
        self.ok(depart_op(p))
    }

    pub fn events(&self) -> i64 {
        self.store.event_count().expect("event count")
    }

    pub fn lot(&self) -> LotView {
        self.store.lot().expect("lot")
    }

    /// Runs `op`, which must be refused, and checks that nothing was
    /// written: the log and the lot are exactly as before. Returns the
    /// refusal.
    pub fn refused(&mut self, op: Op) -> Refusal {
        match self.rejected(op) {
            OpError::Refused(r) => r,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    /// Runs `op`, which must fail (refused or invalid), and checks that
    /// nothing was written. Returns the error.
    pub fn rejected(&mut self, op: Op) -> OpError {
        let events = self.events();
        let lot = self.lot();
        let err = match self.exec(&op) {
            Ok(o) => panic!("{op:?} should have failed, but did {o:?}"),
            Err(e) => e,
        };
        assert_eq!(self.events(), events, "a failed {op:?} wrote an event");
        assert_eq!(self.lot(), lot, "a failed {op:?} changed the lot");
        err
    }

    /// Bay id → stay, for every occupied bay.
    pub fn occupancy(&self) -> BTreeMap<BayId, StayId> {
        occupancy(&self.store)
    }

    /// The bay a plate is in now, from the map.
    pub fn bay_of(&self, p: &str) -> Option<BayId> {
        let p = plate(p);
        let lot = self.lot();
        lot.bays.iter().enumerate().find_map(|(i, b)| {
            b.occupant
                .as_ref()
                .filter(|o| o.plate == p)
                .map(|_| self.store.layout().bays[i].id.clone())
        })
    }
}

pub fn occupancy(store: &Store) -> BTreeMap<BayId, StayId> {
    let lot = store.lot().expect("lot");
    lot.bays
        .iter()
        .enumerate()
        .filter_map(|(i, b)| {
            b.occupant
                .as_ref()
                .map(|o| (store.layout().bays[i].id.clone(), o.stay))
        })
        .collect()
}

/// A tiny lot: a few bays per zone, so that zones fill up and bays collide.
pub const SMALL_LAYOUT: &str = r#"
name = "small test lot"
exit = "east"

[[zones]]
zone = "work"
rows = [2]

[[zones]]
zone = "living"
rows = [2]

[[zones]]
zone = "parking"
ids = "row-bay"
rows = [3, 3]

[[zones]]
zone = "isolation"
rows = [3]

[[zones]]
zone = "handoff"
rows = [2]
"#;

/// All bays of a zone in the store's layout.
pub fn bays_of(store: &Store, zone: Zone) -> Vec<BayId> {
    let l = store.layout();
    l.zone(zone)
        .bays
        .clone()
        .map(|i| l.bays[i].id.clone())
        .collect()
}

/// The files beside a database that SQLite may create.
pub fn wal_path(db: &Path) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push("-wal");
    PathBuf::from(s)
}

pub fn shm_path(db: &Path) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push("-shm");
    PathBuf::from(s)
}

/// Runs `op` on any store handle, at `t0()`, as "tester" at `terminal`.
pub fn exec_on(store: &mut Store, terminal: &str, op: &Op) -> Result<Outcome, OpError> {
    let clock = FixedClock::new(t0());
    let policy = Policy::default();
    let ctx = Ctx {
        action: None,
        operator: "tester",
        terminal,
        clock: &clock,
        policy: &policy,
    };
    ops::execute(store, &ctx, op)
}

/// Makes `cmd` run without the power to override file permissions, so a
/// read-only file or folder is read-only to it even when the tests run as
/// root (as they often do in containers): drops `CAP_DAC_OVERRIDE` and
/// `CAP_DAC_READ_SEARCH` from the child's bounding set before it runs. For
/// any other user this fails and changes nothing: it never had them.
#[cfg(unix)]
pub fn without_override(cmd: &mut std::process::Command) -> &mut std::process::Command {
    use std::os::unix::process::CommandExt;
    const CAP_DAC_OVERRIDE: libc::c_ulong = 1;
    const CAP_DAC_READ_SEARCH: libc::c_ulong = 2;
    // SAFETY: between fork and exec the closure only calls prctl, which is
    // async-signal-safe, and allocates nothing.
    unsafe {
        cmd.pre_exec(|| {
            for cap in [CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH] {
                libc::prctl(libc::PR_CAPBSET_DROP, cap, 0, 0, 0);
            }
            Ok(())
        })
    }
}

/// 512 bytes of noise, the same every run, whose first byte is no b-tree
/// page type: written over a page's header, every read of that page fails.
pub fn noise() -> Vec<u8> {
    let mut x: u32 = 0x1234_5678;
    let bytes: Vec<u8> = (0..512)
        .map(|_| {
            x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (x >> 24) as u8
        })
        .collect();
    assert!(![2, 5, 10, 13].contains(&bytes[0]));
    bytes
}

/// Overwrites the start of the root page of `table` with noise; returns
/// the page's number.
pub fn damage_root_of(db: &Path, table: &str) -> u64 {
    let conn = rusqlite::Connection::open(db).expect("open");
    let root: u64 = conn
        .query_row(
            "SELECT rootpage FROM sqlite_master WHERE name = ?1",
            [table],
            |r| r.get(0),
        )
        .expect("the table's root page");
    let size: u64 = conn
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .expect("page size");
    drop(conn);
    let mut bytes = std::fs::read(db).expect("read");
    let at = ((root - 1) * size) as usize;
    bytes[at..at + 512].copy_from_slice(&noise());
    std::fs::write(db, bytes).expect("write");
    root
}

/// A day at the gate that touches every kind of event.
pub fn scripted_day(lot: &mut Lot) {
    use trucklot::domain::event::{ServiceKind, Target};
    use trucklot::domain::phone::Phone;
    let min = Duration::minutes;
    lot.arrive("晋D11111");
    lot.advance(min(3));
    let mut fever = arrival("晋D22222");
    fever.temperature = Some(Temperature::new(38.1).unwrap());
    lot.ok(arrive_op(fever));
    lot.advance(min(2));
    let mut priority = arrival("晋D33333");
    priority.cargo = Cargo::Emergency;
    priority.handoff_required = true;
    priority.phone = Some(Phone::parse("+86 138-0013-8000").unwrap());
    lot.ok(arrive_op(priority));
    lot.ok(sample_op("晋D11111", TestKind::Antigen));
    lot.ok(Op::Sample {
        plate: plate("晋D11111"),
        test: TestKind::Pcr,
        tube: Some("TUBE-0001".into()),
        batch: Some("B-7".into()),
    });
    lot.advance(min(10));
    lot.ok(Op::Result {
        plate: plate("晋D11111"),
        test: TestKind::Antigen,
        result: TestResult::Positive,
    });
    lot.ok(Op::Isolate {
        plate: plate("晋D11111"),
        reason: "antigen positive".into(),
        bay: None,
    });
    lot.ok(Op::Escalate {
        plate: plate("晋D11111"),
        note: "called the district office".into(),
    });
    lot.ok(Op::Move {
        plate: plate("晋D22222"),
        to: bay("I-10"),
    });
    lot.ok(Op::ServiceRequest {
        plate: plate("晋D22222"),
        service: ServiceKind::Water,
    });
    lot.advance(min(20));
    lot.ok(Op::ServiceDone {
        plate: plate("晋D22222"),
        service: None,
    });
    lot.ok(Op::Recheck {
        plate: plate("晋D22222"),
        person: 0,
        temperature: Temperature::new(36.6).unwrap(),
        code: HealthCode::Green,
    });
    lot.ok(Op::Release {
        plate: plate("晋D22222"),
        reason: "re-measured 36.6".into(),
        by: "王班长".into(),
        bay: None,
    });
    lot.ok(Op::HandoffStart {
        plate: plate("晋D33333"),
        mode: HandoffMode::Transfer,
        receiver: Some(plate("晋D99999")),
        company: Some("长治物流".into()),
        escort: None,
        by: None,
        bay: None,
    });
    lot.advance(min(45));
    lot.ok(Op::HandoffDone {
        plate: plate("晋D33333"),
    });
    lot.ok(Op::Sample {
        plate: plate("晋D33333"),
        test: TestKind::Antigen,
        tube: None,
        batch: Some("B-7".into()),
    });
    lot.ok(Op::Result {
        plate: plate("晋D33333"),
        test: TestKind::Antigen,
        result: TestResult::Negative,
    });
    lot.ok(Op::Depart {
        plate: plate("晋D33333"),
        force_reason: None,
    });
    lot.ok(Op::HandoffConfirm {
        plate: plate("晋D33333"),
    });
    lot.ok(Op::Disinfect {
        target: Target::Zone(Zone::Handoff),
    });
    lot.ok(Op::Disinfect {
        target: Target::Bay(bay("H-01")),
    });
    lot.ok(Op::CloseBay {
        bay: bay("P-10-10"),
        reason: "pothole".into(),
    });
    lot.ok(Op::CloseBay {
        bay: bay("P-10-11"),
        reason: "pothole".into(),
    });
    lot.ok(Op::OpenBay {
        bay: bay("P-10-11"),
    });
    // Changed with the closed loop (issue 7): a truck with a positive
    // result is no longer forced out; it leaves under an escort that a named
    // person authorised.
    lot.ok(Op::HandoffStart {
        plate: plate("晋D11111"),
        mode: HandoffMode::Escort,
        receiver: None,
        company: None,
        escort: Some("district hospital ambulance".into()),
        by: Some("李队长".into()),
        bay: None,
    });
    lot.ok(Op::HandoffDone {
        plate: plate("晋D11111"),
    });
    lot.ok(Op::Depart {
        plate: plate("晋D11111"),
        force_reason: None,
    });
    // The lab's answer comes after the truck has gone.
    lot.ok(Op::Result {
        plate: plate("晋D11111"),
        test: TestKind::Pcr,
        result: TestResult::Positive,
    });
    // The same plate comes back: a new stay.
    lot.advance(min(60));
    lot.arrive("晋D33333");
    // The shift lead records a stricter policy for every terminal.
    lot.ok(Op::SetPolicy {
        policy: trucklot::domain::policy::Policy {
            require_pcr: true,
            ..trucklot::domain::policy::Policy::default()
        },
    });
    // Someone looked at a driver's phone in full: on the record.
    lot.ok(Op::Disclose {
        what: "show --unmasked".into(),
        plate: Some(plate("晋D33333")),
    });
    // A typo at the gate put right.
    lot.ok(Op::Correct {
        plate: plate("晋D33333"),
        changes: vec![
            (trucklot::domain::event::Field::Driver, "李四".into()),
            (trucklot::domain::event::Field::Destination, String::new()),
        ],
    });
    // A truck registered by mistake, taken back.
    lot.arrive("晋D44444");
    lot.ok(Op::Undo { expected: None });
    // The personal data of the stays that have ended is purged.
    lot.advance(min(1));
    lot.ok(Op::Purge { before: lot.now() });
}
