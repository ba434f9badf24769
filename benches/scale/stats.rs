//! Medians and ratios. Every figure with a baseline is measured in one loop
//! that alternates the baseline and the measured thing, so a noisy
//! neighbour on this shared machine slows both alike and the ratio holds.

use std::time::{Duration, Instant};

/// The median of some durations (the mean of the middle two for an even count).
pub fn median(xs: &[Duration]) -> Duration {
    assert!(!xs.is_empty(), "median of nothing");
    let mut v = xs.to_vec();
    v.sort();
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2
    }
}

/// A figure and its baseline, each the median of the same number of runs.
#[derive(Debug, Clone, Copy)]
pub struct Paired {
    pub measured: Duration,
    pub baseline: Duration,
    pub runs: usize,
}

impl Paired {
    /// How many times the baseline the figure is.
    pub fn ratio(&self) -> f64 {
        self.measured.as_secs_f64() / self.baseline.as_secs_f64()
    }
}

/// Runs `baseline` and `measured` `runs` times each, alternating (which one
/// goes first alternates too), after one untimed warm-up of each. Each
/// closure returns the time of the part it measures.
pub fn paired(
    runs: usize,
    mut baseline: impl FnMut() -> Duration,
    mut measured: impl FnMut() -> Duration,
) -> Paired {
    baseline();
    measured();
    let mut b = Vec::with_capacity(runs);
    let mut m = Vec::with_capacity(runs);
    for i in 0..runs {
        if i % 2 == 0 {
            b.push(baseline());
            m.push(measured());
        } else {
            m.push(measured());
            b.push(baseline());
        }
    }
    Paired {
        measured: median(&m),
        baseline: median(&b),
        runs,
    }
}

/// The median time of `f` over `runs` runs, after one untimed warm-up.
pub fn alone(runs: usize, mut f: impl FnMut() -> Duration) -> Duration {
    f();
    let v: Vec<Duration> = (0..runs).map(|_| f()).collect();
    median(&v)
}

/// Times one call of `f`.
pub fn time(f: impl FnOnce()) -> Duration {
    let t = Instant::now();
    f();
    t.elapsed()
}

/// A duration as people read it: µs below a millisecond, ms below a
/// second, s above.
pub fn human(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 1e-3 {
        format!("{:.1} µs", s * 1e6)
    } else if s < 1.0 {
        format!("{:.2} ms", s * 1e3)
    } else {
        format!("{s:.2} s")
    }
}
