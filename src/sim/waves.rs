//! The rhythm of the checkpoint: arrivals come in daily waves (quiet before
//! dawn, busiest in the working hours, a smaller evening wave), and how long
//! a truck stays is chosen so that the lot stays well below its capacity at
//! any rate of traffic the simulator accepts (Little's law: trucks on site =
//! arrivals per hour × hours on site).
//!
//! Pure: times come in, times go out; no clock, no store.

use chrono::{DateTime, Duration, Timelike, Utc};

use super::traffic::Rng;
use crate::tz::Tz;

/// Relative arrival rate by local hour of the day (0–23): night freight
/// trickles in, the working day brings the waves.
pub(super) const HOURLY_WEIGHT: [f64; 24] = [
    0.45, 0.35, 0.30, 0.30, 0.40, 0.60, // 00–05
    0.90, 1.30, 1.70, 1.80, 1.70, 1.50, // 06–11
    1.30, 1.40, 1.60, 1.70, 1.60, 1.40, // 12–17
    1.20, 1.00, 0.85, 0.70, 0.60, 0.50, // 18–23
];

/// `count` arrival times in the 24 hours from `from`, each hour of the
/// window weighted by its local hour in `tz`, uniform within the hour;
/// sorted, to the second.
pub(super) fn arrival_times(
    rng: &mut Rng,
    from: DateTime<Utc>,
    count: u32,
    tz: Tz,
) -> Vec<DateTime<Utc>> {
    // The window's hours in order, each with the weight of its local hour.
    let mut cumulative = [0.0; 24];
    let mut total = 0.0;
    for (h, c) in cumulative.iter_mut().enumerate() {
        let local = (from + Duration::hours(h as i64)).with_timezone(&tz).hour();
        total += HOURLY_WEIGHT[local as usize];
        *c = total;
    }
    let mut times: Vec<DateTime<Utc>> = (0..count)
        .map(|_| {
            let x = rng.unit() * total;
            let slot = cumulative.iter().position(|&c| x < c).unwrap_or(23);
            from + Duration::hours(slot as i64) + Duration::seconds(rng.range(0, 3599))
        })
        .collect();
    times.sort();
    times
}

/// How long an ordinary truck is planned to stay, on average, at
/// `per_day` arrivals: long enough for its tests, short enough that the
/// trucks on site fill at most `TARGET_SHARE` of `parking` bays on an
/// average hour (the daytime wave rises above it, never near capacity).
pub(super) fn mean_stay(per_day: u32, parking: usize) -> Duration {
    let per_hour = f64::from(per_day.max(1)) / 24.0;
    let hours = (TARGET_SHARE * parking as f64 / per_hour).clamp(MIN_MEAN_HOURS, MAX_MEAN_HOURS);
    Duration::seconds((hours * 3600.0) as i64)
}

/// The share of parking the average hour may fill.
const TARGET_SHARE: f64 = 0.40;
/// No shorter: an antigen result takes a quarter of an hour, and a fifth of
/// the trucks wait hours for a PCR.
const MIN_MEAN_HOURS: f64 = 1.5;
/// No longer: a checkpoint lot is a stop, not a depot.
const MAX_MEAN_HOURS: f64 = 8.0;

/// One truck's planned stay: uniform between 30% and 170% of `mean` (so
/// its mean is `mean`), shorter for priority cargo, which is waited for.
pub(super) fn stay(rng: &mut Rng, mean: Duration, priority: bool) -> Duration {
    let f = 0.3 + 1.4 * rng.unit();
    let f = if priority { f * 0.7 } else { f };
    Duration::seconds((mean.num_seconds() as f64 * f) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn midnight_shanghai() -> DateTime<Utc> {
        crate::tz::Tz::shanghai()
            .with_ymd_and_hms(2026, 3, 1, 0, 0, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn a_day_brings_exactly_its_trucks_in_its_window_sorted() {
        let from = midnight_shanghai();
        let t = arrival_times(&mut Rng(3), from, 1500, crate::tz::Tz::shanghai());
        assert_eq!(t.len(), 1500);
        assert!(t.windows(2).all(|w| w[0] <= w[1]));
        assert!(t[0] >= from && t[1499] < from + Duration::hours(24));
    }

    #[test]
    fn the_day_is_busier_than_the_night() {
        let tz = crate::tz::Tz::shanghai();
        let t = arrival_times(&mut Rng(11), midnight_shanghai(), 2400, tz);
        let local = |x: &DateTime<Utc>| x.with_timezone(&tz).hour();
        let day = t.iter().filter(|x| (8..18).contains(&local(x))).count();
        let night = t.iter().filter(|x| local(x) < 6).count();
        // 10 day hours against 6 night hours: several times as many.
        assert!(day > 5 * night, "day {day}, night {night}");
        // Every hour sees some traffic.
        for h in 0..24 {
            assert!(t.iter().any(|x| local(x) == h), "no arrival at {h}:00");
        }
    }

    #[test]
    fn the_waves_follow_local_time_wherever_the_window_starts() {
        let tz = crate::tz::Tz::shanghai();
        // A window starting at 15:00 local: the small hours are in its middle.
        let from = midnight_shanghai() + Duration::hours(15);
        let t = arrival_times(&mut Rng(5), from, 2400, tz);
        let local = |x: &DateTime<Utc>| x.with_timezone(&tz).hour();
        let small_hours = t.iter().filter(|x| (1..5).contains(&local(x))).count();
        let morning = t.iter().filter(|x| (8..12).contains(&local(x))).count();
        assert!(morning > 3 * small_hours, "{morning} vs {small_hours}");
    }

    #[test]
    fn the_same_seed_gives_the_same_day() {
        let tz = crate::tz::Tz::shanghai();
        let a = arrival_times(&mut Rng(9), midnight_shanghai(), 300, tz);
        let b = arrival_times(&mut Rng(9), midnight_shanghai(), 300, tz);
        assert_eq!(a, b);
    }

    #[test]
    fn stays_keep_parking_well_below_capacity_at_any_accepted_rate() {
        let parking = 1200;
        for per_day in [1, 100, 500, 1500, 2000, 3000] {
            let mean = mean_stay(per_day, parking);
            let hours = mean.num_seconds() as f64 / 3600.0;
            assert!((1.5..=8.0).contains(&hours), "{per_day}: {hours}");
            // Trucks on site on an average hour, and at the day's peak rate.
            let average = f64::from(per_day) / 24.0 * hours;
            let peak_rate = HOURLY_WEIGHT.iter().cloned().fold(0.0, f64::max)
                / (HOURLY_WEIGHT.iter().sum::<f64>() / 24.0);
            assert!(average <= 0.41 * parking as f64, "{per_day}: {average}");
            assert!(
                average * peak_rate < 0.8 * parking as f64,
                "{per_day}: {average} × {peak_rate}"
            );
        }
        // The default traffic: 40% of 1,200 bays at 62.5 trucks an hour.
        let default = mean_stay(1500, parking);
        assert_eq!(default.num_minutes(), 460, "{default}");
    }

    #[test]
    fn a_stay_averages_its_mean() {
        let mut rng = Rng(1);
        let mean = Duration::hours(6);
        let n = 4000;
        let total: i64 = (0..n)
            .map(|_| stay(&mut rng, mean, false).num_seconds())
            .sum();
        let avg = total as f64 / n as f64 / 3600.0;
        assert!((5.7..6.3).contains(&avg), "{avg}");
        assert!(stay(&mut rng, mean, true) < Duration::hours(9));
    }
}
