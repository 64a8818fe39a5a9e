//! Helpers for generated data (the demo office and the benchmark organisation):
//! a seeded random source, so the same command builds the same data every time.

use app::domain::{CourseMode, CourseStatus};
use app::entities::course;
use chrono::{DateTime, Utc};
use rand::rngs::StdRng;
use rand::{Rng, RngCore, SeedableRng};
use sea_orm::Set;
use uuid::Uuid;

/// The seeds write with the app's bulk insert.
pub use app::common::bulk::insert_chunked;

/// Deterministic pseudo-random values for generated data.
pub struct Synth {
    rng: StdRng,
}

impl Synth {
    pub fn new(seed: u64) -> Self {
        Self {
            rng: StdRng::seed_from_u64(seed),
        }
    }

    /// A version-4 UUID drawn from the seeded source: ids repeat between runs, so
    /// the peers `plan_tasks` picks (a hash of ids) repeat too.
    pub fn uuid(&mut self) -> Uuid {
        let mut bytes = [0u8; 16];
        self.rng.fill_bytes(&mut bytes);
        uuid::Builder::from_random_bytes(bytes).into_uuid()
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.rng.gen_bool(p.clamp(0.0, 1.0))
    }

    /// A uniform integer in `lo..=hi`.
    pub fn int(&mut self, lo: i64, hi: i64) -> i64 {
        self.rng.gen_range(lo..=hi)
    }

    /// A uniform real in `lo..hi`.
    pub fn real(&mut self, lo: f64, hi: f64) -> f64 {
        self.rng.gen_range(lo..hi)
    }

    /// A normal draw (Box–Muller); `rand_distr` is not worth a dependency for this.
    pub fn normal(&mut self, mean: f64, sd: f64) -> f64 {
        let u1: f64 = self.rng.gen_range(f64::EPSILON..1.0);
        let u2: f64 = self.rng.gen_range(0.0..1.0);
        mean + sd * (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// A rating on the 1..5 scale around `truth`: what a rater sees, with their own
    /// noise, rounded to the level they tick.
    pub fn level(&mut self, truth: f64, sd: f64) -> i32 {
        let x = self.normal(truth, sd).round().clamp(1.0, 5.0);
        // Exact after rounding and clamping to 1..=5.
        x as i32
    }

    /// One of `items`, uniformly.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() {
            None
        } else {
            items.get(self.rng.gen_range(0..items.len()))
        }
    }
}

/// A published benchmark course nobody owns and nobody may self-enrol in.
pub fn published_course(
    id: Uuid,
    code: String,
    title: String,
    summary: &str,
    hours: f64,
    mode: CourseMode,
    now: DateTime<Utc>,
) -> course::ActiveModel {
    course::ActiveModel {
        id: Set(id),
        code: Set(code),
        title: Set(title),
        summary: Set(summary.into()),
        hours: Set(hours),
        mode: Set(mode),
        status: Set(CourseStatus::Published),
        self_enrol: Set(false),
        requires_attendance: Set(false),
        reaction_required: Set(false),
        created_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        published_at: Set(Some(now)),
        cover: Set(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_values() {
        let (mut a, mut b) = (Synth::new(7), Synth::new(7));
        assert_eq!(a.uuid(), b.uuid());
        assert_eq!(a.level(3.0, 1.0), b.level(3.0, 1.0));
        assert_eq!(a.uuid().get_version_num(), 4);
    }

    #[test]
    fn levels_stay_on_the_scale_and_centre_on_truth() {
        let mut s = Synth::new(1);
        let draws: Vec<i32> = (0..20_000).map(|_| s.level(2.3, 0.5)).collect();
        assert!(draws.iter().all(|l| (1..=5).contains(l)));
        let mean = draws.iter().map(|l| f64::from(*l)).sum::<f64>() / 20_000.0;
        assert!((mean - 2.3).abs() < 0.05, "mean {mean}");
    }

    #[test]
    fn normal_has_the_asked_spread() {
        let mut s = Synth::new(2);
        let xs: Vec<f64> = (0..20_000).map(|_| s.normal(1.0, 0.5)).collect();
        let mean = xs.iter().sum::<f64>() / 20_000.0;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / 20_000.0;
        assert!((mean - 1.0).abs() < 0.02, "mean {mean}");
        assert!((var.sqrt() - 0.5).abs() < 0.02, "sd {}", var.sqrt());
    }
}
