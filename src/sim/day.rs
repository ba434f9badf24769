//! What each simulated day brings regardless of any one truck: its
//! arrivals (generated trucks, some of them regulars coming back), the
//! disinfection rounds of every zone, and a few bays closed for repairs or
//! cleaning and reopened hours later.
//!
//! What lives elsewhere: when in the day trucks come (`waves`), what
//! follows an arrival (`follow`).

use chrono::Duration;

use super::steps::Step;
use super::traffic::{DESTINATIONS, ORIGINS, cargo, code, driver, phone, plate, temperature};
use super::{Sim, Truck, waves};
use crate::domain::bay::Zone;
use crate::domain::event::{ArrivalRecord, Passenger};

/// Why a bay is closed: the simulation's reasons, as the staff type them
/// (in Chinese, some with a gloss for the English screens).
pub(super) const CLOSE_REASONS: [&str; 4] = [
    "路面破损维修",
    "积水 / water on the bay",
    "消毒作业中",
    "挂车故障占位 / a broken-down trailer",
];

/// The first day, and each zone's first disinfection round; each round
/// schedules the next (`follow`).
pub(super) fn begin(sim: &mut Sim<'_>) {
    sim.at(sim.sc.start, Step::Day(0));
    for zone in Zone::ALL {
        let t = sim.sc.start + sim.rng.minutes(5, 200);
        sim.at(t, Step::Disinfect(zone));
    }
}

/// Day `d`: its arrivals and closures, and the next day.
pub(super) fn plan(sim: &mut Sim<'_>, d: u32) {
    let from = sim.sc.start + Duration::days(i64::from(d));
    sim.at(from + Duration::days(1), Step::Day(d + 1));
    let times = waves::arrival_times(&mut sim.rng, from, sim.sc.trucks_per_day, sim.sc.timezone);
    for t in times {
        if let Some(truck) = truck(sim) {
            sim.trucks.push(truck);
            let n = sim.trucks.len() - 1;
            sim.at(t, Step::Arrive(n));
        }
    }
    closures(sim, from);
}

/// A truck about to reach the gate: mostly a new plate, now and then a
/// regular that has been here before.
fn truck(sim: &mut Sim<'_>) -> Option<Truck> {
    let rng = &mut sim.rng;
    let regular = !sim.left.is_empty() && rng.chance(0.06);
    let plate = if regular {
        let i = rng.range(0, sim.left.len() as i64 - 1) as usize;
        sim.left.swap_remove(i)
    } else {
        plate(rng)?
    };
    let lane = if rng.chance(0.05) {
        Some(Zone::Work)
    } else if rng.chance(0.01) {
        Some(Zone::Living)
    } else {
        None
    };
    let cargo = cargo(rng);
    let mut arrival = ArrivalRecord {
        plate: plate.clone(),
        driver: rng.chance(0.97).then(|| driver(rng)),
        phone: if rng.chance(0.92) { phone(rng) } else { None },
        cargo,
        origin: Some(rng.word(ORIGINS).to_string()),
        destination: Some(rng.word(DESTINATIONS).to_string()),
        temperature: temperature(rng),
        code: Some(code(rng)),
        travel_flag: rng.chance(0.001),
        handoff_required: rng.chance(0.04),
        passengers: Vec::new(),
        gate: Some(if rng.chance(0.6) { "east" } else { "west" }.to_string()),
        venue_code: Some(rng.chance(0.97)),
    };
    // About one cab in five carries a co-driver.
    if rng.chance(0.2)
        && let Some(t) = temperature(rng)
    {
        arrival.passengers.push(Passenger {
            name: Some(driver(rng)),
            phone: phone(rng),
            temperature: Some(t),
            code: Some(code(rng)),
        });
    }
    // Drivers resting in the living area stay a day or more.
    let stay = if lane == Some(Zone::Living) {
        rng.minutes(12 * 60, 36 * 60)
    } else {
        waves::stay(rng, sim.mean_stay, cargo.is_priority())
    };
    Some(Truck {
        plate,
        arrival: Some(arrival),
        lane,
        stay,
        isolated: false,
        handoff: false,
        tries: 0,
    })
}

/// One to three parking bays closed during the day, and now and then an
/// isolation bay (the bay is picked among the free ones when the crew
/// comes, `steps`); nearly all reopen hours later (`follow`).
fn closures(sim: &mut Sim<'_>, from: chrono::DateTime<chrono::Utc>) {
    let mut zones = vec![Zone::Parking; sim.rng.range(1, 3) as usize];
    if sim.rng.chance(0.3) {
        zones.push(Zone::Isolation);
    }
    for zone in zones {
        let reason = *sim.rng.pick(&CLOSE_REASONS);
        let t = from + sim.rng.minutes(0, 23 * 60);
        sim.at(t, Step::Close(zone, reason));
    }
}
