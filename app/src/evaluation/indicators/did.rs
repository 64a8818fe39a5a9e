//! Difference in differences: how much more a trained unit's indicator moved
//! after the training than the untrained units' did over the same months. Pure.
//!
//! Months are indexed as `year * 12 + month - 1`. With the training in month
//! T, "before" is the `window` months up to T − 1 and "after" the `window`
//! months from T + 1 (the training month itself is left out, being half of
//! each). Every unit-month with a value counts once.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A mean and how many unit-months went into it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Mean {
    pub mean: f64,
    pub n: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Did {
    pub trained_before: Mean,
    pub trained_after: Mean,
    pub untrained_before: Mean,
    pub untrained_after: Mean,
    /// (trained after − before) − (untrained after − before).
    pub estimate: f64,
}

/// The month index of `YYYY-MM`.
pub fn month_index(month: &str) -> Option<i32> {
    let (y, m) = month.split_once('-')?;
    let (y, m): (i32, i32) = (y.parse().ok()?, m.parse().ok()?);
    ((1..=12).contains(&m) && (2000..=2100).contains(&y)).then_some(y * 12 + m - 1)
}

/// `YYYY-MM` of a month index.
pub fn month_name(index: i32) -> String {
    format!(
        "{:04}-{:02}",
        index.div_euclid(12),
        index.rem_euclid(12) + 1
    )
}

fn mean_in(series: &[&BTreeMap<i32, f64>], from: i32, to: i32) -> Option<Mean> {
    let values: Vec<f64> = series
        .iter()
        .flat_map(|s| s.range(from..=to).map(|(_, v)| *v))
        .collect();
    (!values.is_empty()).then(|| Mean {
        mean: values.iter().sum::<f64>() / values.len() as f64,
        n: values.len(),
    })
}

/// The estimate for training in month `at`, or `None` when a group has no
/// value before or after it.
pub fn did(
    trained: &[&BTreeMap<i32, f64>],
    untrained: &[&BTreeMap<i32, f64>],
    at: i32,
    window: i32,
) -> Option<Did> {
    let before = (at - window, at - 1);
    let after = (at + 1, at + window);
    let tb = mean_in(trained, before.0, before.1)?;
    let ta = mean_in(trained, after.0, after.1)?;
    let ub = mean_in(untrained, before.0, before.1)?;
    let ua = mean_in(untrained, after.0, after.1)?;
    Some(Did {
        trained_before: tb,
        trained_after: ta,
        untrained_before: ub,
        untrained_after: ua,
        estimate: (ta.mean - tb.mean) - (ua.mean - ub.mean),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(start: i32, values: &[f64]) -> BTreeMap<i32, f64> {
        values
            .iter()
            .enumerate()
            .map(|(i, v)| (start + i as i32, *v))
            .collect()
    }

    #[test]
    fn months_are_indexed_both_ways() {
        assert_eq!(month_index("2026-10"), Some(2026 * 12 + 9));
        assert_eq!(month_name(2026 * 12 + 9), "2026-10");
        assert_eq!(month_name(2026 * 12), "2026-01");
        for bad in ["2026-13", "2026-00", "26-10", "2026/10", "", "1999-01"] {
            assert_eq!(month_index(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_estimate_is_worked_out_by_hand() {
        // Training in month 10; window 3: before 7..=9, after 11..=13.
        // Trained: before 5, 5, 4 (mean 14/3), month 10 ignored, after 3, 3, 2 (8/3).
        let t = series(7, &[5.0, 5.0, 4.0, 99.0, 3.0, 3.0, 2.0]);
        // Untrained: before 4, 4, 4; after 4, 3.5, 3.5 (11/3).
        let u = series(7, &[4.0, 4.0, 4.0, 4.0, 4.0, 3.5, 3.5]);
        let d = did(&[&t], &[&u], 10, 3).expect("both groups have values");
        assert_eq!(d.trained_before.n, 3);
        assert!((d.trained_before.mean - 14.0 / 3.0).abs() < 1e-12);
        assert!((d.trained_after.mean - 8.0 / 3.0).abs() < 1e-12);
        assert!((d.untrained_before.mean - 4.0).abs() < 1e-12);
        assert!((d.untrained_after.mean - 11.0 / 3.0).abs() < 1e-12);
        // (8/3 − 14/3) − (11/3 − 4) = −2 + 1/3
        assert!((d.estimate - (-2.0 + 1.0 / 3.0)).abs() < 1e-12);
    }

    #[test]
    fn several_units_pool_their_months_and_gaps_are_skipped() {
        let a = series(0, &[2.0, 2.0, 0.0, 1.0, 1.0]);
        let mut b = series(0, &[4.0, 4.0, 0.0, 3.0, 3.0]);
        b.remove(&3); // a month nobody entered
        let u = series(0, &[3.0, 3.0, 3.0, 3.0, 3.0]);
        let d = did(&[&a, &b], &[&u], 2, 2).expect("values on both sides");
        assert_eq!(d.trained_before.n, 4);
        assert_eq!(d.trained_after.n, 3);
        assert!((d.trained_before.mean - 3.0).abs() < 1e-12);
        assert!((d.trained_after.mean - 5.0 / 3.0).abs() < 1e-12);
        assert!((d.estimate - (5.0 / 3.0 - 3.0)).abs() < 1e-12);
    }

    #[test]
    fn no_estimate_without_values_on_every_side() {
        let t = series(0, &[1.0, 1.0]);
        let u = series(0, &[1.0, 1.0, 1.0, 1.0]);
        assert_eq!(did(&[&t], &[&u], 2, 2), None, "trained has nothing after");
        assert_eq!(did(&[&u], &[], 2, 2), None, "no untrained unit");
    }
}
