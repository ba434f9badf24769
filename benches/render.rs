//! What a key press costs the operator's laptop: drawing the whole lot
//! (about 1,300 bays, ~900 trucks) into a frame at 160×45 and 80×24, and
//! handling a cursor key. Run: `cargo bench --bench render`.

use std::hint::black_box;

use chrono::{Duration, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use trucklot::domain::clock::FixedClock;
use trucklot::domain::event::{ArrivalRecord, TestKind};
use trucklot::domain::plate::Plate;
use trucklot::domain::policy::{Cargo, HealthCode, Policy, Temperature};
use trucklot::i18n::Lang;
use trucklot::ops::{self, Ctx, Op};
use trucklot::store::Store;
use trucklot::tui::app::App;
use trucklot::tui::{Session, snapshot};

fn busy_app() -> (tempfile::TempDir, App) {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let mut store = Store::create(
        &dir.path().join("lot.db"),
        trucklot::domain::layout::DEFAULT_LAYOUT,
    )
    .expect("create lot");
    let start = Utc.with_ymd_and_hms(2026, 11, 24, 20, 0, 0).unwrap();
    let clock = FixedClock::new(start);
    let policy = Policy::default();
    let ctx = Ctx {
        action: None,
        operator: "bench",
        terminal: "gate",
        clock: &clock,
        policy: &policy,
    };
    for n in 0..900u32 {
        let plate = Plate::parse(&format!("晋D{:05}", n)).expect("plate");
        let arrival = ArrivalRecord {
            plate: plate.clone(),
            driver: Some("张三".into()),
            phone: None,
            cargo: if n % 3 == 0 {
                Cargo::Emergency
            } else {
                Cargo::Other
            },
            origin: None,
            destination: None,
            temperature: Some(Temperature::new(if n % 97 == 0 { 38.2 } else { 36.5 }).unwrap()),
            code: Some(HealthCode::Green),
            travel_flag: false,
            handoff_required: false,
            passengers: vec![],
            gate: Some("east".into()),
            venue_code: Some(true),
        };
        ops::execute(
            &mut store,
            &ctx,
            &Op::Arrive {
                arrival,
                bay: None,
                override_reason: None,
            },
        )
        .expect("arrive");
        if n % 5 == 0 {
            ops::execute(
                &mut store,
                &ctx,
                &Op::Sample {
                    plate,
                    test: TestKind::Pcr,
                    tube: None,
                    batch: None,
                },
            )
            .expect("sample");
        }
        clock.advance(Duration::seconds(20));
    }
    let session = Session {
        operator: "bench".into(),
        terminal: "gate".into(),
        policy,
        lang: Lang::En,
        ascii: false,
        color: true,
        tz: trucklot::tz::Tz::shanghai(),
        gates: vec!["east".into(), "west".into()],
        gate: "east".into(),
        province: '晋',
        sign_in: None,
        shifts: vec![
            chrono::NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
            chrono::NaiveTime::from_hms_opt(20, 0, 0).unwrap(),
        ],
    };
    let app = App::new(
        session,
        store.layout().clone(),
        snapshot(&store).expect("snapshot"),
        start + Duration::hours(7),
    );
    (dir, app)
}

fn bench(c: &mut Criterion) {
    let (_dir, mut app) = busy_app();
    let mut g = c.benchmark_group("frame");
    g.sample_size(60);
    for (w, h) in [(160u16, 45u16), (80, 24)] {
        let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        g.bench_function(format!("render map {w}x{h}"), |b| {
            b.iter(|| {
                term.draw(|f| black_box(&app).render(f)).expect("draw");
            })
        });
    }
    g.bench_function("cursor key + render 160x45", |b| {
        let mut term = Terminal::new(TestBackend::new(160, 45)).expect("terminal");
        let right = KeyEvent::new(KeyCode::Char('l'), KeyModifiers::NONE);
        let left = KeyEvent::new(KeyCode::Char('h'), KeyModifiers::NONE);
        let mut flip = false;
        b.iter(|| {
            flip = !flip;
            app.key(if flip { &right } else { &left });
            let _ = app.take_effects();
            term.draw(|f| app.render(f)).expect("draw");
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
