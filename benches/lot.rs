//! What a gate laptop does all day, timed on a lot of realistic size: the
//! default layout (about 1,300 bays) with ~900 trucks on site and ~5,000
//! events in the log.
//!
//! Run: `cargo bench --bench lot` (or `-- --quick` for a fast pass).
//!
//! - `write/arrive_depart` is one arrival and one departure through
//!   `ops::execute` on a real file in a temporary directory with
//!   `synchronous=FULL`: two transactions, each ending in an fsync, so it
//!   measures the disk as much as the code.
//! - `read/*` are the read models the TUI refreshes: the whole map, the
//!   per-zone status line, the clocks board (facts + computation) and the
//!   isolation board.
//! - `check/replay` replays the whole log against the state tables.
//! - `search/*` matches an operator's query against 1,300 plates.
//!
//! The lot is filled once on a RAM disk when there is one (filling through
//! ~5,000 fsyncs would take longer than the benchmarks), then copied to a
//! temporary directory on the ordinary disk, where everything is measured.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use tempfile::TempDir;
use trucklot::domain::bay::Zone;
use trucklot::domain::clock::FixedClock;
use trucklot::domain::clocks::{clocks, isolation_board};
use trucklot::domain::event::{ArrivalRecord, ServiceKind, Target, TestKind, TestResult};
use trucklot::domain::layout::DEFAULT_LAYOUT;
use trucklot::domain::plate::{Plate, PlateQuery};
use trucklot::domain::policy::{Cargo, HealthCode, Policy, Temperature};
use trucklot::ops::{self, Ctx, Op};
use trucklot::store::Store;

const ON_SITE: usize = 900;
const PROVINCES: [char; 6] = ['晋', '冀', '豫', '陕', '蒙', '京'];
const LETTERS: &[u8] = b"ABCDEFGHJKLM";

/// The n-th plate of a deterministic, varied sequence (mostly 晋D + 5 digits).
fn nth_plate(n: usize) -> Plate {
    // A multiplicative scramble so the digits do not run in order.
    let digits = (n as u64 * 7_919 + 10_007) % 100_000;
    let text = if n.is_multiple_of(4) {
        let p = PROVINCES[(n / 4) % PROVINCES.len()];
        let l = LETTERS[(n / 7) % LETTERS.len()] as char;
        format!("{p}{l}{digits:05}")
    } else {
        format!("晋D{digits:05}")
    };
    Plate::parse(&text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn arrival(n: usize) -> ArrivalRecord {
    ArrivalRecord {
        plate: nth_plate(n),
        driver: Some("张师傅".into()),
        phone: None,
        cargo: match n % 5 {
            0 => Cargo::Emergency,
            1 => Cargo::Living,
            _ => Cargo::Other,
        },
        origin: Some("太原".into()),
        destination: Some("长治".into()),
        temperature: Some(Temperature::new(if n % 40 == 7 { 38.2 } else { 36.6 }).unwrap()),
        code: Some(HealthCode::Green),
        travel_flag: false,
        handoff_required: n.is_multiple_of(11),
        passengers: vec![],
        gate: Some("east".into()),
        venue_code: Some(true),
    }
}

struct Gate {
    clock: FixedClock,
    policy: Policy,
}

impl Gate {
    fn new() -> Gate {
        Gate {
            clock: FixedClock::new(Utc.with_ymd_and_hms(2026, 11, 25, 0, 0, 0).unwrap()),
            policy: Policy::default(),
        }
    }

    fn run(&self, store: &mut Store, op: &Op) -> Result<ops::Outcome, ops::OpError> {
        let ctx = Ctx {
            action: None,
            operator: "bench",
            terminal: "gate-1",
            clock: &self.clock,
            policy: &self.policy,
        };
        ops::execute(store, &ctx, op)
    }

    fn ok(&self, store: &mut Store, op: Op) {
        if let Err(e) = self.run(store, &op) {
            panic!("{op:?}: {e}");
        }
    }
}

/// Fills a new lot at `path`: ~900 trucks on site with samples, results,
/// isolations and service calls, and enough earlier traffic for ~5,000
/// events. Returns the number of events.
fn fill(path: &Path) -> i64 {
    let mut store = Store::create(path, DEFAULT_LAYOUT).expect("create the lot");
    let gate = Gate::new();
    let min = chrono::Duration::minutes;
    let plate = nth_plate;
    // Earlier traffic: trucks that came, were tested and left.
    for n in 0..900 {
        let k = 10_000 + n;
        gate.clock.advance(min(1));
        gate.ok(
            &mut store,
            Op::Arrive {
                arrival: ArrivalRecord {
                    // Clean, so that the negative antigen lets it leave
                    // (every arrival now needs a temperature).
                    temperature: Some(Temperature::new(36.6).unwrap()),
                    handoff_required: false,
                    ..arrival(k)
                },
                bay: None,
                override_reason: None,
            },
        );
        gate.ok(
            &mut store,
            Op::Sample {
                plate: plate(k),
                test: TestKind::Antigen,
                tube: None,
                batch: None,
            },
        );
        gate.ok(
            &mut store,
            Op::Result {
                plate: plate(k),
                test: TestKind::Antigen,
                result: TestResult::Negative,
            },
        );
        gate.ok(
            &mut store,
            Op::Depart {
                plate: plate(k),
                force_reason: None,
            },
        );
    }
    // The trucks on site now.
    for n in 0..ON_SITE {
        gate.clock.advance(chrono::Duration::seconds(20));
        gate.ok(
            &mut store,
            Op::Arrive {
                arrival: arrival(n),
                bay: None,
                override_reason: None,
            },
        );
    }
    for n in 0..300 {
        gate.ok(
            &mut store,
            Op::Sample {
                plate: plate(n * 3),
                test: if n % 2 == 0 {
                    TestKind::Antigen
                } else {
                    TestKind::Pcr
                },
                tube: None,
                batch: None,
            },
        );
    }
    for n in 0..150 {
        let test = if n % 2 == 0 {
            TestKind::Antigen
        } else {
            TestKind::Pcr
        };
        let result = if n % 30 == 0 {
            TestResult::Positive
        } else {
            TestResult::Negative
        };
        gate.ok(
            &mut store,
            Op::Result {
                plate: plate(n * 3),
                test,
                result,
            },
        );
        if result == TestResult::Positive {
            // Some are already isolated from the gate checks.
            let _ = gate.run(
                &mut store,
                &Op::Isolate {
                    plate: plate(n * 3),
                    reason: "antigen positive".into(),
                    bay: None,
                },
            );
        }
    }
    for n in 0..60 {
        gate.ok(
            &mut store,
            Op::ServiceRequest {
                plate: plate(n * 5 + 1),
                service: [ServiceKind::Meal, ServiceKind::Water, ServiceKind::Medical][n % 3],
            },
        );
    }
    for n in 0..300 {
        let p = plate(n * 2 + 1);
        let to = format!("L-{:02}", n % 40 + 1);
        // Some living bays are taken by then; refusals are fine.
        let _ = gate.run(
            &mut store,
            &Op::Move {
                plate: p,
                to: to.parse().unwrap(),
            },
        );
    }
    for z in Zone::ALL {
        gate.ok(
            &mut store,
            Op::Disinfect {
                target: Target::Zone(z),
            },
        );
    }
    store.event_count().unwrap()
}

/// A directory for the one-time fill: a RAM disk if there is one.
fn scratch_dir() -> TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir()
        && let Ok(d) = tempfile::tempdir_in(shm)
    {
        return d;
    }
    tempfile::tempdir().unwrap()
}

struct Fixture {
    _dir: TempDir,
    /// The filled lot on the ordinary disk, for reads and check.
    read: PathBuf,
    /// A second copy, for the write benchmark.
    write: PathBuf,
    events: i64,
}

fn fixture() -> Fixture {
    let fill_dir = scratch_dir();
    let filled = fill_dir.path().join("filled.db");
    let events = fill(&filled);
    // `fill` dropped its store: the WAL is checkpointed into the file.
    let dir = tempfile::tempdir().unwrap();
    let read = dir.path().join("read.db");
    let write = dir.path().join("write.db");
    std::fs::copy(&filled, &read).unwrap();
    std::fs::copy(&filled, &write).unwrap();
    Fixture {
        _dir: dir,
        read,
        write,
        events,
    }
}

fn benches(c: &mut Criterion) {
    let f = fixture();
    let mut store = Store::open(&f.read).unwrap();
    let on_site: usize = store.status().unwrap().iter().map(|z| z.occupied).sum();
    eprintln!(
        "lot: {} bays, {on_site} trucks on site, {} events",
        store.layout().capacity(),
        f.events
    );
    let policy = Policy::default();

    let mut g = c.benchmark_group("read");
    g.warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .sample_size(20);
    g.bench_function("lot_map", |b| b.iter(|| black_box(store.lot().unwrap())));
    g.bench_function("status", |b| b.iter(|| black_box(store.status().unwrap())));
    g.bench_function("clock_facts_and_clocks", |b| {
        b.iter(|| {
            let facts = store.clock_facts().unwrap();
            black_box(clocks(&facts, &policy))
        })
    });
    let now = Utc.with_ymd_and_hms(2026, 11, 26, 0, 0, 0).unwrap();
    g.bench_function("isolation_board", |b| {
        b.iter(|| {
            let facts = store.clock_facts().unwrap();
            black_box(isolation_board(&facts, &policy, now))
        })
    });
    g.finish();

    let mut g = c.benchmark_group("check");
    g.warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(8))
        .sample_size(10);
    g.bench_function("replay", |b| {
        b.iter(|| {
            let report = store.check().unwrap();
            assert!(report.ok());
            black_box(report)
        })
    });
    g.finish();
    drop(store);

    let mut store = Store::open(&f.write).unwrap();
    let gate = Gate::new();
    let visitor = nth_plate(99_999);
    let arrive = Op::Arrive {
        arrival: ArrivalRecord {
            plate: visitor.clone(),
            ..arrival(99_999)
        },
        bay: None,
        override_reason: None,
    };
    // Forced: the visitor is never sampled, and the measurement stays one
    // arrival and one departure transaction, as before the closed loop.
    let depart = Op::Depart {
        plate: visitor,
        force_reason: Some("bench: no test".into()),
    };
    let mut g = c.benchmark_group("write");
    g.warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(5))
        .sample_size(20);
    g.bench_function("arrive_depart", |b| {
        b.iter(|| {
            gate.run(&mut store, &arrive).unwrap();
            gate.run(&mut store, &depart).unwrap();
        })
    });
    g.finish();
    drop(store);

    let plates: Vec<Plate> = (0..1_300).map(nth_plate).collect();
    let mut g = c.benchmark_group("search");
    g.warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30);
    for (name, text) in [
        ("D123", "D123"),
        ("pinyin_jinD12", "jinD12"),
        ("miss", "Q9"),
    ] {
        let query = PlateQuery::new(text);
        g.bench_function(format!("matches_1300/{name}"), |b| {
            b.iter(|| {
                plates
                    .iter()
                    .filter(|p| p.matches(black_box(&query)))
                    .count()
            })
        });
    }
    g.finish();
}

criterion_group!(lot, benches);
criterion_main!(lot);
