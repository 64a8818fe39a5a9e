//! Learning gain from a pre-test to a post-test, in percent of the marks.
//!
//! The raw gain is post − pre. The normalised gain (Hake's g) is the share of
//! the room for improvement that was gained: g = (post − pre) / (max − pre). It
//! is undefined when the pre-test was already at the maximum, and is then
//! reported as such rather than as zero or one.

/// Percent of the marks, the maximum a test can give.
pub const MAX: f64 = 100.0;

/// g for one pair of percents; `None` when `pre` is at the maximum.
pub fn normalised(pre: f64, post: f64) -> Option<f64> {
    let room = MAX - pre;
    (room > 1e-9).then(|| (post - pre) / room)
}

/// A group's gain from its means (the gain of the average learner, as Hake
/// reports a class's), over the pairs that have both tests.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GroupGain {
    pub pairs: usize,
    pub pre: f64,
    pub post: f64,
    pub raw: f64,
    pub normalised: Option<f64>,
}

pub fn group(pairs: &[(f64, f64)]) -> Option<GroupGain> {
    if pairs.is_empty() {
        return None;
    }
    let n = pairs.len() as f64;
    let pre = pairs.iter().map(|p| p.0).sum::<f64>() / n;
    let post = pairs.iter().map(|p| p.1).sum::<f64>() / n;
    Some(GroupGain {
        pairs: pairs.len(),
        pre,
        post,
        raw: post - pre,
        normalised: normalised(pre, post),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn near(a: Option<f64>, b: f64) {
        let a = a.expect("a figure");
        assert!((a - b).abs() < 1e-12, "{a} is not {b}");
    }

    #[test]
    fn normalised_gain_on_hand_computed_cases() {
        // 40 → 70: 30 of the 60 points of room.
        near(normalised(40.0, 70.0), 0.5);
        // 0 → 100: all of it.
        near(normalised(0.0, 100.0), 1.0);
        // 80 → 60: lost a whole room's worth.
        near(normalised(80.0, 60.0), -1.0);
        // 50 → 50: nothing.
        near(normalised(50.0, 50.0), 0.0);
        // 90 → 95: half the remaining room.
        near(normalised(90.0, 95.0), 0.5);
    }

    #[test]
    fn a_full_pre_test_leaves_the_gain_undefined() {
        assert_eq!(normalised(100.0, 100.0), None);
        assert_eq!(normalised(100.0, 80.0), None);
    }

    #[test]
    fn a_group_gains_from_its_means() {
        // Means 50 and 80: raw 30, g = 30 / 50.
        let g = group(&[(40.0, 70.0), (60.0, 90.0)]).expect("pairs");
        assert_eq!(g.pairs, 2);
        assert!((g.raw - 30.0).abs() < 1e-12);
        near(g.normalised, 0.6);
        assert_eq!(group(&[]), None);
        assert_eq!(group(&[(100.0, 100.0)]).and_then(|g| g.normalised), None);
    }
}
