//! Gates racing each other for the same bays, on one file (terminals on
//! one machine) and on a server (laptops over TCP): the same body on both
//! engines, a process for each action as a gate's operator would run it.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Barrier, Mutex};

use common::pg;
use common::*;
use trucklot::domain::clock::FixedClock;
use trucklot::domain::policy::Policy;
use trucklot::ops::{self, ActionId, Ctx, OpError};
use trucklot::store::Store;

#[test]
fn four_gates_on_one_file_never_share_a_bay() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("lot.db");
    race(home.path(), file.to_str().unwrap());
}

/// Over TCP to a server, as four laptops.
#[test]
fn four_gates_on_a_server_never_share_a_bay() {
    let Some(cluster) = pg::shared() else { return };
    let home = tempfile::tempdir().unwrap();
    race(home.path(), &cluster.new_database());
}

/// Four gates, a process for each action: admitting, moving and sending
/// off trucks, half of them asking for the same few bays. Afterwards no bay
/// holds two trucks, every acknowledged action is in the log once (sent
/// again, each is reported done), nothing else was recorded, and `check`
/// passes.
fn race(home: &Path, url: &str) {
    ok_at(home, url, &["init"]);
    const GATES: usize = 4;
    const TRUCKS: usize = 40;
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let start = Arc::new(Barrier::new(GATES));
    let gates: Vec<_> = (0..GATES)
        .map(|gate| {
            let (url, acknowledged, start) = (url.to_owned(), acknowledged.clone(), start.clone());
            let home: PathBuf = home.to_path_buf();
            std::thread::spawn(move || {
                start.wait();
                let run = |args: &[&str]| {
                    let id = ActionId::new().to_string();
                    let out = trucklot_at(&home, &url, args)
                        .arg("--action-id")
                        .arg(&id)
                        .env("TRUCKLOT_TERMINAL", format!("gate-{gate}"))
                        .output()
                        .expect("run trucklot");
                    let said = said(&out);
                    assert!(
                        !said.contains("database error")
                            && !said.contains("refused by the database"),
                        "gate {gate}: engine text for {args:?}: {said}"
                    );
                    if out.status.success() {
                        acknowledged.lock().unwrap().push(id);
                    }
                    out
                };
                for n in 0..TRUCKS {
                    let plate = format!("晋A{gate}{n:04}");
                    let contested = format!("P-01-0{}", 1 + n % 3);
                    let mut arrive = vec!["arrive", &plate, "--temp", "36.5", "--code", "green"];
                    if n % 2 == 0 {
                        arrive.extend(["--bay", contested.as_str()]);
                    }
                    let out = run(&arrive);
                    if !out.status.success() {
                        // Refused (the bay was taken, or the lot busy): one
                        // more try, letting the lot choose.
                        assert!(
                            matches!(out.status.code(), Some(1) | Some(3)),
                            "{}",
                            said(&out)
                        );
                        let out = run(&arrive[..6]);
                        assert!(out.status.success(), "{}", said(&out));
                    }
                    if n % 3 == 0 {
                        let to = format!("P-02-0{}", 1 + n % 4);
                        let out = run(&["move", &plate, &to]);
                        assert!(
                            matches!(out.status.code(), Some(0) | Some(1) | Some(3)),
                            "{}",
                            said(&out)
                        );
                    }
                    if n % 2 == 1 {
                        for step in [
                            &["sample", &plate, "antigen"][..],
                            &["result", &plate, "antigen", "negative"][..],
                            &["depart", &plate][..],
                        ] {
                            let out = run(step);
                            assert!(out.status.success(), "{step:?}: {}", said(&out));
                        }
                    }
                }
            })
        })
        .collect();
    for g in gates {
        g.join().expect("a gate failed");
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    let unique: BTreeSet<&String> = acknowledged.iter().collect();
    assert_eq!(unique.len(), acknowledged.len());
    let mut store = Store::open(Path::new(url)).unwrap();
    // No bay holds two trucks, and no truck is in two bays.
    let lot = store.lot().unwrap();
    let plates: Vec<String> = lot
        .bays
        .iter()
        .filter_map(|b| b.occupant.as_ref().map(|o| o.plate.to_string()))
        .collect();
    let distinct: BTreeSet<&String> = plates.iter().collect();
    assert_eq!(distinct.len(), plates.len(), "a truck in two bays");
    assert_eq!(plates.len(), GATES * TRUCKS / 2, "the trucks that stayed");
    // Every acknowledged action is recorded: sent again, it is done.
    let (clock, policy) = (FixedClock::new(t0()), Policy::default());
    let probe = arrive_op(arrival("晋Z99999"));
    for id in &acknowledged {
        let id = ActionId::parse(id).unwrap();
        let ctx = Ctx {
            action: Some(&id),
            operator: "tester",
            terminal: "probe",
            clock: &clock,
            policy: &policy,
        };
        assert!(
            matches!(
                ops::execute(&mut store, &ctx, &probe),
                Err(OpError::AlreadyDone { .. })
            ),
            "acknowledged action {id} is not in the log"
        );
    }
    // And once: one arrival per truck, each of the rest as many times as
    // it was acknowledged.
    let log = store.log(&trucklot::store::LogFilter::default()).unwrap();
    let arrivals = log.iter().filter(|e| e.event.kind() == "arrived").count();
    assert_eq!(arrivals, GATES * TRUCKS);
    assert_eq!(
        log.len(),
        acknowledged.len(),
        "only acknowledged actions were recorded"
    );
    assert!(store.check().unwrap().ok());
}
