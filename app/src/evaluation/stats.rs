//! The statistics of before/after reports, as pure functions: paired
//! before/after figures with the paired t-test and the Wilcoxon signed-rank
//! test, and two groups' change scores with Welch's t-test. Distributions come
//! from statrs.
//!
//! The tests compare with SciPy 1.17.1 (NumPy 2.4.6), computed once:
//! `scipy.stats.ttest_rel(after, before)` and its `confidence_interval(0.95)`,
//! `scipy.stats.wilcoxon(after, before)` with its defaults, and
//! `scipy.stats.ttest_ind(a, b, equal_var=False)` and its
//! `confidence_interval(0.95)`.

use statrs::distribution::{ContinuousCDF, Normal, StudentsT};
use statrs::statistics::Statistics;

pub use super::figures::{MIN_N, Paired, TTest, TwoGroups, Wilcoxon, WilcoxonMethod};

/// Two-sided p and the 97.5 % quantile of Student's t with `df` degrees.
fn student(t: f64, df: f64) -> Option<(f64, f64)> {
    let dist = StudentsT::new(0.0, 1.0, df).ok()?;
    Some((2.0 * dist.sf(t.abs()), dist.inverse_cdf(0.975)))
}

/// Paired figures and tests over (before, after) pairs; `None` when empty.
pub fn paired(pairs: &[(f64, f64)]) -> Option<Paired> {
    if pairs.is_empty() {
        return None;
    }
    let n = pairs.len();
    let before: Vec<f64> = pairs.iter().map(|p| p.0).collect();
    let after: Vec<f64> = pairs.iter().map(|p| p.1).collect();
    let changes: Vec<f64> = pairs.iter().map(|(b, a)| a - b).collect();
    let mean_change = changes.as_slice().mean();
    let sd = (n > 1).then(|| changes.as_slice().variance().sqrt());
    let testable = n >= MIN_N;
    let t_test = sd.filter(|s| testable && *s > 0.0).and_then(|s| {
        let se = s / (n as f64).sqrt();
        let t = mean_change / se;
        let df = n as f64 - 1.0;
        let (p, q) = student(t, df)?;
        Some(TTest {
            t,
            df,
            p,
            ci: (mean_change - q * se, mean_change + q * se),
        })
    });
    Some(Paired {
        n,
        mean_before: before.as_slice().mean(),
        mean_after: after.as_slice().mean(),
        mean_change,
        sd_change: sd,
        d_z: t_test.and(sd).map(|s| mean_change / s),
        t_test,
        wilcoxon: if testable { wilcoxon(&changes) } else { None },
    })
}

/// Average ranks of `xs` (ties share the mean of their ranks) and the sizes of
/// the tied groups.
fn ranks(xs: &[f64]) -> (Vec<f64>, Vec<usize>) {
    let mut order: Vec<usize> = (0..xs.len()).collect();
    order.sort_by(|a, b| xs[*a].total_cmp(&xs[*b]));
    let mut out = vec![0.0; xs.len()];
    let mut groups = Vec::new();
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && xs[order[j + 1]] == xs[order[i]] {
            j += 1;
        }
        // Ranks i+1 ..= j+1 share their mean.
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for k in &order[i..=j] {
            out[*k] = rank;
        }
        groups.push(j - i + 1);
        i = j + 1;
    }
    (out, groups)
}

/// P(T ≥ k) and P(T ≤ k) under the exact null distribution of the positive
/// rank sum of `n` untied ranks.
fn exact_tails(n: usize, k: f64) -> (f64, f64) {
    let top = n * (n + 1) / 2;
    // counts[s]: how many of the 2^n sign choices give rank sum s.
    let mut counts = vec![0.0f64; top + 1];
    counts[0] = 1.0;
    for r in 1..=n {
        for s in (r..=top).rev() {
            counts[s] += counts[s - r];
        }
    }
    let total: f64 = counts.iter().sum();
    let at_least = |k: f64| {
        counts
            .iter()
            .enumerate()
            .filter(|(s, _)| *s as f64 >= k)
            .map(|(_, c)| c)
            .sum::<f64>()
            / total
    };
    let at_most = |k: f64| {
        counts
            .iter()
            .enumerate()
            .filter(|(s, _)| *s as f64 <= k)
            .map(|(_, c)| c)
            .sum::<f64>()
            / total
    };
    (at_least(k.floor()), at_most(k.ceil()))
}

/// Two-sided p by counting every sign flip of the ranks (as SciPy's
/// permutation test does when it can list them all).
fn permutation_p(ranks: &[f64], observed: f64) -> f64 {
    let m = ranks.len();
    let total = 1u64 << m;
    let gamma = (f64::EPSILON * 100.0 * observed).abs();
    let (mut less, mut greater) = (0u64, 0u64);
    for signs in 0..total {
        let sum: f64 = ranks
            .iter()
            .enumerate()
            .filter(|(i, _)| signs >> i & 1 == 1)
            .map(|(_, r)| r)
            .sum();
        less += u64::from(sum <= observed + gamma);
        greater += u64::from(sum >= observed - gamma);
    }
    let share = |c: u64| c as f64 / total as f64;
    (2.0 * share(less).min(share(greater))).min(1.0)
}

/// The Wilcoxon signed-rank test on paired changes, as
/// `scipy.stats.wilcoxon` with its defaults: zero changes are dropped
/// (`zero_method="wilcox"`), no continuity correction, the method chosen as
/// [`WilcoxonMethod`] says. `None` when every change is zero.
pub fn wilcoxon(changes: &[f64]) -> Option<Wilcoxon> {
    let zeros = changes.iter().filter(|d| **d == 0.0).count();
    let kept: Vec<f64> = changes.iter().copied().filter(|d| *d != 0.0).collect();
    if kept.is_empty() {
        return None;
    }
    let magnitudes: Vec<f64> = kept.iter().map(|d| d.abs()).collect();
    let (r, groups) = ranks(&magnitudes);
    let plus: f64 = kept
        .iter()
        .zip(&r)
        .filter(|(d, _)| **d > 0.0)
        .map(|(_, r)| r)
        .sum();
    let minus: f64 = kept
        .iter()
        .zip(&r)
        .filter(|(d, _)| **d < 0.0)
        .map(|(_, r)| r)
        .sum();
    let ties = groups.iter().any(|g| *g > 1);
    let method = if changes.len() > 50 {
        WilcoxonMethod::Normal
    } else if !ties && zeros == 0 {
        WilcoxonMethod::Exact
    } else if changes.len() <= 13 {
        WilcoxonMethod::Permutation
    } else {
        WilcoxonMethod::Normal
    };
    let p = match method {
        WilcoxonMethod::Exact => {
            let (upper, lower) = exact_tails(kept.len(), plus);
            (2.0 * upper.min(lower)).clamp(0.0, 1.0)
        }
        WilcoxonMethod::Permutation => permutation_p(&r, plus),
        WilcoxonMethod::Normal => {
            let n = kept.len() as f64;
            let tie_correction: f64 = groups.iter().map(|g| (*g as f64).powi(3) - *g as f64).sum();
            let se = ((n * (n + 1.0) * (2.0 * n + 1.0) - tie_correction / 2.0) / 24.0).sqrt();
            let z = (plus - n * (n + 1.0) / 4.0) / se;
            let normal = Normal::new(0.0, 1.0).ok()?;
            (2.0 * normal.sf(z.abs())).min(1.0)
        }
    };
    Some(Wilcoxon {
        // + 0.0: an empty sum is −0.0, which would print as "-0".
        statistic: plus.min(minus) + 0.0,
        p,
        method,
        rank_biserial: (plus - minus) / (plus + minus),
    })
}

/// Welch's t-test and Hedges' g; `None` when a group is empty.
pub fn two_groups(first: &[f64], second: &[f64]) -> Option<TwoGroups> {
    if first.is_empty() || second.is_empty() {
        return None;
    }
    let (n1, n2) = (first.len(), second.len());
    let (m1, m2) = (first.mean(), second.mean());
    let difference = m1 - m2;
    let mut welch = None;
    let mut hedges_g = None;
    if n1 >= MIN_N && n2 >= MIN_N {
        let (v1, v2) = (first.variance(), second.variance());
        let (a, b) = (v1 / n1 as f64, v2 / n2 as f64);
        if a + b > 0.0 {
            let se = (a + b).sqrt();
            let t = difference / se;
            let df = (a + b).powi(2) / (a * a / (n1 as f64 - 1.0) + b * b / (n2 as f64 - 1.0));
            if let Some((p, q)) = student(t, df) {
                welch = Some(TTest {
                    t,
                    df,
                    p,
                    ci: (difference - q * se, difference + q * se),
                });
                let pooled = (((n1 as f64 - 1.0) * v1 + (n2 as f64 - 1.0) * v2)
                    / (n1 + n2 - 2) as f64)
                    .sqrt();
                let correction = 1.0 - 3.0 / (4.0 * (n1 + n2) as f64 - 9.0);
                hedges_g = Some(difference / pooled * correction);
            }
        }
    }
    Some(TwoGroups {
        n: (n1, n2),
        mean: (m1, m2),
        difference,
        welch,
        hedges_g,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const LARGE_BEFORE: [f64; 60] = [
        3.0, 4.683, 4.819, 3.282, 1.486, 1.082, 2.441, 4.314, 4.979, 3.824, 1.912, 1.0, 1.927,
        3.84, 4.981, 4.301, 2.424, 1.077, 1.498, 3.3, 4.826, 4.673, 2.982, 1.308, 1.189, 2.735,
        4.525, 4.913, 3.542, 1.673, 1.024, 2.192, 4.103, 5.0, 4.058, 2.144, 1.016, 1.713, 3.593,
        4.928, 4.49, 2.683, 1.167, 1.336, 3.035, 4.702, 4.804, 3.247, 1.463, 1.092, 2.475, 4.34,
        4.973, 3.792, 1.882, 1.0, 1.957, 3.872, 4.986, 4.273,
    ];
    const LARGE_AFTER: [f64; 60] = [
        4.3, 4.854, 4.152, 3.96, 2.656, 0.78, 2.027, 5.4, 5.79, 3.206, 1.937, 2.289, 2.247, 3.146,
        5.517, 5.534, 2.248, 0.567, 2.483, 4.234, 4.277, 4.558, 4.238, 1.777, 0.49, 3.124, 5.802,
        4.873, 2.953, 2.542, 2.066, 1.732, 3.857, 6.201, 4.672, 1.462, 1.255, 3.011, 3.697, 4.28,
        5.23, 3.816, 0.812, 0.972, 4.162, 5.454, 4.161, 3.338, 2.76, 1.345, 1.791, 4.942, 6.18,
        3.557, 1.414, 2.034, 2.837, 3.29, 4.933, 5.547,
    ];

    fn near(actual: f64, expected: f64, what: &str) {
        assert!(
            (actual - expected).abs() <= 1e-9,
            "{what}: {actual} is not {expected}"
        );
    }

    fn pairs(before: &[f64], after: &[f64]) -> Vec<(f64, f64)> {
        before.iter().copied().zip(after.iter().copied()).collect()
    }

    /// (name, before, after, t, p, ci, Wilcoxon statistic, its p, method).
    type Case<'a> = (
        &'a str,
        &'a [f64],
        &'a [f64],
        f64,
        f64,
        (f64, f64),
        f64,
        f64,
        WilcoxonMethod,
    );

    #[test]
    fn paired_tests_match_scipy() {
        let cases: &[Case] = &[
            (
                // A zero change and ties: every sign flip counted.
                "ties and a zero",
                &[2.0, 3.0, 3.0, 4.0, 2.0, 5.0, 3.0, 1.0],
                &[3.0, 3.0, 4.0, 5.0, 4.0, 5.0, 4.0, 3.0],
                3.7416573867739413,
                0.007246989820287885,
                (0.3680275858630755, 1.6319724141369245),
                0.0,
                0.03125,
                WilcoxonMethod::Permutation,
            ),
            (
                "no ties",
                &[1.1, 2.3, 3.2, 2.9, 4.0, 1.7],
                &[1.9, 2.2, 4.1, 3.6, 4.4, 2.9],
                3.5337918344271566,
                0.01667232392658663,
                (0.1771713016920078, 1.1228286983079923),
                1.0,
                0.0625,
                WilcoxonMethod::Exact,
            ),
            (
                "n = 3",
                &[2.0, 3.0, 4.0],
                &[3.0, 3.5, 6.0],
                2.645751311064591,
                0.11808289631180308,
                (-0.7306248501317127, 3.0639581834650462),
                0.0,
                0.25,
                WilcoxonMethod::Exact,
            ),
            (
                // 20 pairs with ties and zeros: the normal approximation.
                "ties, n = 20",
                &[
                    2.0, 3.0, 3.0, 4.0, 2.0, 5.0, 3.0, 1.0, 2.0, 3.0, 3.0, 4.0, 2.0, 5.0, 3.0, 1.0,
                    2.0, 2.0, 3.0, 4.0,
                ],
                &[
                    3.0, 3.0, 4.0, 5.0, 4.0, 5.0, 4.0, 3.0, 2.0, 4.0, 4.0, 4.0, 3.0, 4.0, 4.0, 3.0,
                    3.0, 2.0, 4.0, 5.0,
                ],
                4.65985898008574,
                0.0001707162504640567,
                (0.4406716918511045, 1.1593283081488956),
                6.5,
                0.0012227105604978358,
                WilcoxonMethod::Normal,
            ),
            (
                "n = 60",
                &LARGE_BEFORE,
                &LARGE_AFTER,
                3.3936297263913184,
                0.0012378467482875336,
                (0.12921779364965225, 0.5005488730170145),
                501.0,
                0.0023059722141599175,
                WilcoxonMethod::Normal,
            ),
        ];
        for (name, before, after, t, p, ci, w, wp, method) in cases {
            let r = paired(&pairs(before, after)).expect("pairs");
            let test = r.t_test.expect("a t-test");
            near(test.t, *t, &format!("{name}: t"));
            near(test.p, *p, &format!("{name}: p"));
            near(test.df, before.len() as f64 - 1.0, &format!("{name}: df"));
            near(test.ci.0, ci.0, &format!("{name}: CI low"));
            near(test.ci.1, ci.1, &format!("{name}: CI high"));
            let wil = r.wilcoxon.expect("a Wilcoxon test");
            near(wil.statistic, *w, &format!("{name}: W"));
            near(wil.p, *wp, &format!("{name}: Wilcoxon p"));
            assert_eq!(wil.method, *method, "{name}");
        }
    }

    #[test]
    fn effect_sizes_on_hand_checked_cases() {
        // Changes 0.8, -0.1, 0.9, 0.7, 0.4, 1.2: d_z = 0.65 / 0.45055… (NumPy:
        // d.mean() / d.std(ddof=1)); ranks 20 up, 1 down.
        let r = paired(&pairs(
            &[1.1, 2.3, 3.2, 2.9, 4.0, 1.7],
            &[1.9, 2.2, 4.1, 3.6, 4.4, 2.9],
        ))
        .unwrap();
        near(r.d_z.unwrap(), 1.4426644752600453, "d_z");
        near(
            r.wilcoxon.unwrap().rank_biserial,
            19.0 / 21.0,
            "rank-biserial",
        );
        near(r.mean_change, 0.65, "mean change");
        near(r.sd_change.unwrap(), 0.4505552130427522, "SD");
        // Everyone up: rank-biserial 1.
        let up = paired(&pairs(&[2.0, 3.0, 4.0], &[3.0, 3.5, 6.0])).unwrap();
        near(up.wilcoxon.unwrap().rank_biserial, 1.0, "all up");
    }

    #[test]
    fn below_three_pairs_only_the_figures() {
        // SciPy would still test two pairs (t = 3, p = 0.2048…); we do not.
        let r = paired(&[(2.0, 3.0), (3.0, 5.0)]).unwrap();
        assert_eq!(r.n, 2);
        near(r.mean_before, 2.5, "before");
        near(r.mean_after, 4.0, "after");
        near(r.mean_change, 1.5, "change");
        near(r.sd_change.unwrap(), std::f64::consts::FRAC_1_SQRT_2, "SD");
        assert!(r.t_test.is_none() && r.wilcoxon.is_none() && r.d_z.is_none());
        let one = paired(&[(2.0, 4.0)]).unwrap();
        assert_eq!(one.sd_change, None);
        assert!(one.t_test.is_none());
        assert!(paired(&[]).is_none());
    }

    #[test]
    fn every_change_equal_has_no_t_but_a_wilcoxon() {
        // SciPy: ttest_rel gives t = inf, p = 0 (a warning about precision);
        // with no spread there is no t to report. wilcoxon: W = 0, p = 0.125
        // (all four changes tied, every sign flip counted).
        let r = paired(&pairs(&[1.0, 2.0, 3.0, 4.0], &[2.0, 3.0, 4.0, 5.0])).unwrap();
        near(r.sd_change.unwrap(), 0.0, "SD");
        assert!(r.t_test.is_none() && r.d_z.is_none());
        let w = r.wilcoxon.unwrap();
        near(w.statistic, 0.0, "W");
        near(w.p, 0.125, "p");
        assert_eq!(w.method, WilcoxonMethod::Permutation);
        // No change at all: nothing to rank.
        let none = paired(&pairs(&[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0])).unwrap();
        assert!(none.t_test.is_none() && none.wilcoxon.is_none());
    }

    #[test]
    fn welch_matches_scipy_and_hedges_g_the_formula() {
        let trained = [0.5, 1.2, 0.8, 1.5, 0.9, 1.1, 0.7];
        let untrained = [0.1, 0.4, -0.2, 0.3, 0.6, 0.0];
        let r = two_groups(&trained, &untrained).unwrap();
        let w = r.welch.unwrap();
        near(w.t, 4.362472385202354, "t");
        near(w.p, 0.0011327435800865305, "p");
        near(w.df, 10.995364123877284, "df");
        near(w.ci.0, 0.3751241822240942, "CI low");
        near(w.ci.1, 1.1391615320616202, "CI high");
        // NumPy: (m1 - m2) / pooled SD × (1 - 3 / (4 (n1 + n2) - 9)).
        near(r.hedges_g.unwrap(), 2.2301502218694496, "g");
        assert_eq!(r.n, (7, 6));

        // One group without spread still has a test.
        let r = two_groups(&[3.0, 3.0, 3.0], &[1.0, 2.0, 3.0, 4.0]).unwrap();
        let w = r.welch.unwrap();
        near(w.t, 0.7745966692414834, "t");
        near(w.p, 0.4950253460597111, "p");
        near(w.df, 3.0, "df");
        near(w.ci.0, -1.5542602567605206, "CI low");
        near(w.ci.1, 2.5542602567605206, "CI high");

        // Two people in a group: figures, no test.
        let small = two_groups(&[1.0, 2.0], &[0.0, 1.0, 2.0]).unwrap();
        near(small.difference, 0.5, "difference");
        assert!(small.welch.is_none() && small.hedges_g.is_none());
        assert!(two_groups(&[], &[1.0]).is_none());
    }
}
