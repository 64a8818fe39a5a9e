//! What the evaluation statistics report, on both sides of the wire: the
//! figures `stats` computes and the pages show.

use serde::{Deserialize, Serialize};

/// Below this many pairs (or people per group) no test is reported, only the
/// figures: two people cannot show that a change is more than chance.
pub const MIN_N: usize = 3;

/// How the Wilcoxon p-value was found, as `scipy.stats.wilcoxon` chooses by
/// default: the exact distribution for up to 50 pairs without ties or zero
/// changes; every sign flip counted for up to 13 pairs with ties or zeros; the
/// normal approximation (no continuity correction) otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum WilcoxonMethod {
    Exact,
    Permutation,
    Normal,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Wilcoxon {
    /// The smaller of the positive and negative rank sums.
    pub statistic: f64,
    pub p: f64,
    pub method: WilcoxonMethod,
    /// Matched-pairs rank-biserial correlation, (R+ − R−) / (R+ + R−), −1…1.
    pub rank_biserial: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TTest {
    pub t: f64,
    pub df: f64,
    /// Two-sided.
    pub p: f64,
    /// 95 % confidence interval of the mean change (or of the difference).
    pub ci: (f64, f64),
}

/// Before/after figures for the same people.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Paired {
    pub n: usize,
    pub mean_before: f64,
    pub mean_after: f64,
    pub mean_change: f64,
    /// Sample standard deviation of the changes; `None` for one pair.
    pub sd_change: Option<f64>,
    /// `None` below [`MIN_N`] pairs, or when every change is the same (no
    /// spread, so t is undefined).
    pub t_test: Option<TTest>,
    /// Cohen's d_z, mean change / SD of the changes; with the t-test.
    pub d_z: Option<f64>,
    /// `None` below [`MIN_N`] pairs, or when no change differs from zero.
    pub wilcoxon: Option<Wilcoxon>,
}

/// Two groups' figures (for example the change scores of the trained and of
/// the not yet trained).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TwoGroups {
    pub n: (usize, usize),
    pub mean: (f64, f64),
    /// First mean − second mean.
    pub difference: f64,
    /// Welch's t-test; `None` below [`MIN_N`] in either group or when neither
    /// group varies.
    pub welch: Option<TTest>,
    /// Hedges' g (Cohen's d on the pooled SD, small-sample corrected by
    /// 1 − 3 / (4 (n1 + n2) − 9)); with the test.
    pub hedges_g: Option<f64>,
}

/// Why a paired comparison reports no test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoTest {
    /// Fewer than [`MIN_N`] pairs.
    TooFew,
    /// Every change is the same, so there is no spread to test against.
    NoSpread,
}

impl Paired {
    pub fn no_test(&self) -> Option<NoTest> {
        if self.n < MIN_N {
            Some(NoTest::TooFew)
        } else if self.t_test.is_none() {
            Some(NoTest::NoSpread)
        } else {
            None
        }
    }
}
