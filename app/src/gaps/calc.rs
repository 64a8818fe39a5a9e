//! How a person's current level is combined from its sources, and what the gap is.
//! Pure functions: no I/O, checked against hand-computed cases below.

use serde::{Deserialize, Serialize};

/// How much each rater type counts. Need not sum to 1: missing sources re-weight the
/// rest, so only the ratios matter.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Weights {
    pub self_: f64,
    pub manager: f64,
    pub peers: f64,
    /// Quiz results; 0 (the default) leaves them out.
    pub test: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Self {
            self_: 0.2,
            manager: 0.5,
            peers: 0.3,
            test: 0.0,
        }
    }
}

/// The submitted ratings about one person on one competency, summarised per source.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Sources {
    pub self_level: Option<f64>,
    /// Mean of the line manager ratings (normally one).
    pub manager_level: Option<f64>,
    pub manager_count: u32,
    /// Mean and number of peer ratings.
    pub peer_mean: Option<f64>,
    pub peer_count: u32,
    /// The level the person's quiz answers show (see [`test_level`]).
    pub test_level: Option<f64>,
}

/// The rules a campaign sets for combining.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rules {
    pub weights: Weights,
    /// Fewer peers than this and their ratings are left out, so nobody can work
    /// out what one colleague said.
    pub anonymity_threshold: u32,
    /// Self differing from the others by this much or more is flagged.
    pub discrepancy_threshold: f64,
}

/// A combined current level and what it came from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Combined {
    pub current: f64,
    pub self_level: Option<f64>,
    pub manager_level: Option<f64>,
    /// `None` when there were no peers or too few to show.
    pub peer_level: Option<f64>,
    /// Peers who rated (counted even when suppressed).
    pub peer_count: u32,
    /// Raters whose ratings went into `current`.
    pub rater_count: u32,
    /// The test level, when it went into `current`.
    pub test_level: Option<f64>,
    pub discrepancy: bool,
}

/// Weighted mean over the sources present; `None` if no source is.
fn weighted(parts: &[(Option<f64>, f64)]) -> Option<f64> {
    let (sum, weight) = parts
        .iter()
        .filter_map(|(level, w)| level.map(|l| (l * w, *w)))
        .fold((0.0, 0.0), |(s, tw), (lw, w)| (s + lw, tw + w));
    (weight > 0.0).then(|| sum / weight)
}

/// Combines the sources into a current level, or `None` when nothing usable was given.
pub fn combine(sources: &Sources, rules: &Rules) -> Option<Combined> {
    let w = rules.weights;
    let peer_level = sources
        .peer_mean
        .filter(|_| sources.peer_count > 0 && sources.peer_count >= rules.anonymity_threshold);
    let current = weighted(&[
        (sources.self_level, w.self_),
        (sources.manager_level, w.manager),
        (peer_level, w.peers),
        (sources.test_level, w.test),
    ])?;
    let others = weighted(&[(sources.manager_level, w.manager), (peer_level, w.peers)]);
    let discrepancy = match (sources.self_level, others) {
        (Some(s), Some(o)) => (s - o).abs() >= rules.discrepancy_threshold - 1e-9,
        _ => false,
    };
    let rater_count = u32::from(sources.self_level.is_some() && w.self_ > 0.0)
        + if sources.manager_level.is_some() && w.manager > 0.0 {
            sources.manager_count.max(1)
        } else {
            0
        }
        + if peer_level.is_some() && w.peers > 0.0 {
            sources.peer_count
        } else {
            0
        };
    Some(Combined {
        current,
        self_level: sources.self_level,
        manager_level: sources.manager_level,
        peer_level,
        peer_count: sources.peer_count,
        rater_count,
        test_level: sources.test_level.filter(|_| w.test > 0.0),
        discrepancy,
    })
}

/// The level a share of a competency's quiz marks (0–1) stands for on the
/// 1–5 scale: nothing right is level 1, everything right level 5, and the
/// levels between are evenly spaced (half the marks is level 3).
pub fn test_level(share: f64) -> f64 {
    1.0 + 4.0 * share.clamp(0.0, 1.0)
}

/// Gap = max(0, target − current).
pub fn gap(target: u8, current: f64) -> f64 {
    (f64::from(target) - current).max(0.0)
}

/// Gap × importance (1..3).
pub fn weighted_gap(target: u8, importance: u8, current: f64) -> f64 {
    gap(target, current) * f64::from(importance)
}

/// Whether a group of `n` people may be shown in an anonymous view.
pub fn shown(n: u64, threshold: u32) -> bool {
    n >= u64::from(threshold)
}

/// Rounds for display and storage: two decimals.
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Rules {
        Rules {
            weights: Weights::default(),
            anonymity_threshold: 3,
            discrepancy_threshold: 1.5,
        }
    }

    fn src(s: Option<f64>, m: Option<f64>, peers: &[f64]) -> Sources {
        Sources {
            self_level: s,
            manager_level: m,
            manager_count: u32::from(m.is_some()),
            peer_mean: (!peers.is_empty()).then(|| peers.iter().sum::<f64>() / peers.len() as f64),
            peer_count: peers.len() as u32,
            test_level: None,
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn combines_on_hand_computed_cases() {
        // (self, manager, peers, expected current, raters, discrepancy)
        type Case<'a> = (Option<f64>, Option<f64>, &'a [f64], f64, u32, bool);
        let cases: &[Case] = &[
            // all three: 0.2*4 + 0.5*3 + 0.3*3 = 0.8 + 1.5 + 0.9 = 3.2
            (Some(4.0), Some(3.0), &[3.0, 3.0, 3.0], 3.2, 5, false),
            // no peers: (0.2*4 + 0.5*2) / 0.7 = 1.8 / 0.7
            (Some(4.0), Some(2.0), &[], 1.8 / 0.7, 2, true),
            // self only
            (Some(3.0), None, &[], 3.0, 1, false),
            // manager only
            (None, Some(2.0), &[], 2.0, 1, false),
            // two peers, below the threshold of 3: left out, (0.2*5 + 0.5*4)/0.7
            (Some(5.0), Some(4.0), &[1.0, 1.0], 3.0 / 0.7, 2, false),
            // peers only, enough of them: mean 3
            (None, None, &[2.0, 3.0, 4.0], 3.0, 3, false),
            // self 5, others (0.5*3 + 0.3*4)/0.8 = 3.375, diff 1.625 >= 1.5
            (
                Some(5.0),
                Some(3.0),
                &[4.0, 4.0, 4.0],
                0.2 * 5.0 + 0.5 * 3.0 + 0.3 * 4.0,
                5,
                true,
            ),
            // diff exactly 1.5 is flagged
            (
                Some(4.5),
                Some(3.0),
                &[],
                (0.2 * 4.5 + 0.5 * 3.0) / 0.7,
                2,
                true,
            ),
            // diff 1.4 is not
            (
                Some(4.4),
                Some(3.0),
                &[],
                (0.2 * 4.4 + 0.5 * 3.0) / 0.7,
                2,
                false,
            ),
        ];
        for (i, (s, m, p, expected, raters, flag)) in cases.iter().enumerate() {
            let c = combine(&src(*s, *m, p), &rules()).expect("has a source");
            assert!(
                close(c.current, *expected),
                "case {i}: {} != {expected}",
                c.current
            );
            assert_eq!(c.rater_count, *raters, "case {i} raters");
            assert_eq!(c.discrepancy, *flag, "case {i} discrepancy");
        }
    }

    #[test]
    fn nothing_to_combine_gives_none() {
        assert_eq!(combine(&src(None, None, &[]), &rules()), None);
        // Two peers alone are suppressed, so nothing is left.
        assert_eq!(combine(&src(None, None, &[4.0, 5.0]), &rules()), None);
    }

    #[test]
    fn suppressed_peers_are_hidden_but_counted() {
        let c = combine(&src(Some(3.0), Some(3.0), &[5.0, 5.0]), &rules()).unwrap();
        assert_eq!(c.peer_level, None);
        assert_eq!(c.peer_count, 2);
        assert!(close(c.current, 3.0));
    }

    #[test]
    fn custom_weights_and_zero_weight_sources() {
        let r = Rules {
            weights: Weights {
                self_: 0.0,
                manager: 1.0,
                peers: 1.0,
                test: 0.0,
            },
            anonymity_threshold: 1,
            discrepancy_threshold: 2.0,
        };
        // Self has no weight: (1*2 + 1*4)/2 = 3; its rating is kept for the flag.
        let c = combine(&src(Some(5.0), Some(2.0), &[4.0]), &r).unwrap();
        assert!(close(c.current, 3.0));
        assert_eq!(c.rater_count, 2);
        // self 5 vs others 3: diff 2 >= 2
        assert!(c.discrepancy);
    }

    #[test]
    fn a_test_level_counts_by_its_weight_and_only_then() {
        let with_test = |test: f64| Rules {
            weights: Weights {
                test,
                ..Weights::default()
            },
            ..rules()
        };
        let mut s = src(Some(4.0), Some(2.0), &[]);
        s.test_level = Some(test_level(0.75));
        // Level 4 from 75 %; (0.2*4 + 0.5*2 + 0.3*4) / 1.0 = 3.0.
        let c = combine(&s, &with_test(0.3)).unwrap();
        assert!(close(c.current, 3.0));
        assert_eq!(c.test_level, Some(4.0));
        // A test is not a rater, and does not count in the self-versus-others flag.
        assert_eq!(c.rater_count, 2);
        assert!(c.discrepancy);
        // Weight 0: left out, as if there were no quiz.
        let c = combine(&s, &with_test(0.0)).unwrap();
        assert!(close(c.current, 1.8 / 0.7));
        assert_eq!(c.test_level, None);
        // A test alone is a level.
        let only = Sources {
            test_level: Some(test_level(0.5)),
            ..Sources::default()
        };
        let c = combine(&only, &with_test(0.3)).unwrap();
        assert!(close(c.current, 3.0));
        assert_eq!(c.rater_count, 0);
    }

    #[test]
    fn shares_map_evenly_onto_the_scale() {
        for (share, level) in [(0.0, 1.0), (0.25, 2.0), (0.5, 3.0), (0.6, 3.4), (1.0, 5.0)] {
            assert!(close(test_level(share), level), "{share}");
        }
        // Out-of-range shares (a regrade gone wrong) stay on the scale.
        assert!(close(test_level(1.2), 5.0));
        assert!(close(test_level(-0.1), 1.0));
    }

    #[test]
    fn gaps_and_weighted_gaps() {
        let cases = [
            (4_u8, 1_u8, 2.5, 1.5, 1.5),
            (4, 3, 2.5, 1.5, 4.5),
            (3, 2, 3.0, 0.0, 0.0),
            // Above target is no gap, not a negative one.
            (2, 3, 4.2, 0.0, 0.0),
            (5, 2, 1.0, 4.0, 8.0),
        ];
        for (target, importance, current, g, wg) in cases {
            assert!(close(gap(target, current), g));
            assert!(close(weighted_gap(target, importance, current), wg));
        }
    }

    #[test]
    fn small_groups_are_suppressed() {
        assert!(!shown(0, 3));
        assert!(!shown(2, 3));
        assert!(shown(3, 3));
        assert!(shown(1, 1));
    }

    #[test]
    fn rounding() {
        assert!(close(round2(2.571_428), 2.57));
        assert!(close(round2(3.0), 3.0));
    }
}
