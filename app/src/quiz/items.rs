//! Item analysis: how hard each question of a quiz was, whether it told the
//! stronger learners from the weaker ones, and how consistent the quiz is as a
//! whole. Pure functions over the marks; the statistics come from `statrs`.
//!
//! Learners of a quiz drawn at random do not all get the same questions, so
//! every item figure is taken over the learners who were given that item, and
//! the quiz's alpha only when everyone was given the same ones.

use statrs::statistics::Statistics;

/// One learner's counted attempt: for each item it was given, the item's index,
/// the points earned and the points it was worth.
#[derive(Debug, Clone, PartialEq)]
pub struct Marks {
    pub items: Vec<(usize, f64, f64)>,
}

impl Marks {
    fn earned(&self) -> f64 {
        self.items.iter().map(|(_, e, _)| e).sum()
    }

    fn worth(&self) -> f64 {
        self.items.iter().map(|(_, _, p)| p).sum()
    }

    /// The share of the attempt's marks earned, 0..=1.
    fn share(&self) -> f64 {
        let worth = self.worth();
        if worth > 0.0 {
            self.earned() / worth
        } else {
            0.0
        }
    }

    fn item(&self, item: usize) -> Option<(f64, f64)> {
        self.items
            .iter()
            .find(|(i, _, _)| *i == item)
            .map(|(_, e, p)| (*e, *p))
    }
}

/// One item's figures; `None` where too few learners make one meaningless.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ItemStats {
    /// Learners who were given the item.
    pub n: usize,
    /// Mean share of the item's points earned (0 = nobody, 1 = everybody).
    pub facility: Option<f64>,
    /// Mean share in the top 27 % by score minus that in the bottom 27 %.
    pub discrimination: Option<f64>,
    /// Pearson correlation of the item's share with the share of the rest of
    /// the attempt (the item itself left out of the total).
    pub rest_correlation: Option<f64>,
}

pub use super::ItemFlag as Flag;

/// Facility at or above this: too easy.
pub const EASY: f64 = 0.9;
/// Facility at or below this: too hard.
pub const HARD: f64 = 0.2;
/// The share of learners in each of the upper and lower groups.
pub const GROUP: f64 = 0.27;

impl ItemStats {
    pub fn flags(&self) -> Vec<Flag> {
        let mut flags = Vec::new();
        // Below zero by more than rounding: a correlation of exactly zero
        // computes as ±1e-17.
        let below = |x: Option<f64>| x.is_some_and(|x| x < -1e-9);
        if below(self.discrimination) || below(self.rest_correlation) {
            flags.push(Flag::Negative);
        }
        match self.facility {
            Some(f) if f >= EASY => flags.push(Flag::TooEasy),
            Some(f) if f <= HARD => flags.push(Flag::TooHard),
            _ => {}
        }
        flags
    }
}

/// Pearson's r, or `None` when either side does not vary or there are fewer
/// than three pairs.
fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.len() < 3 || x.len() != y.len() {
        return None;
    }
    let (sx, sy) = (x.std_dev(), y.std_dev());
    if sx <= 1e-12 || sy <= 1e-12 {
        return None;
    }
    Some(x.covariance(y) / (sx * sy))
}

/// The learners' indexes in the lower and upper groups: sorted by share of
/// marks (ties by their order in `people`), the first and last 27 % (at least
/// one each, and no learner in both).
fn groups(people: &[Marks]) -> Option<(Vec<usize>, Vec<usize>)> {
    let n = people.len();
    if n < 2 {
        return None;
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| people[a].share().total_cmp(&people[b].share()));
    let size = ((n as f64 * GROUP).round() as usize).clamp(1, n / 2);
    Some((order[..size].to_vec(), order[n - size..].to_vec()))
}

fn mean_share(people: &[Marks], who: &[usize], item: usize) -> Option<f64> {
    let shares: Vec<f64> = who
        .iter()
        .filter_map(|&p| people[p].item(item))
        .filter(|(_, worth)| *worth > 0.0)
        .map(|(earned, worth)| earned / worth)
        .collect();
    (!shares.is_empty()).then(|| shares.as_slice().mean())
}

/// The figures of items `0..items` over `people`.
pub fn analyse(people: &[Marks], items: usize) -> Vec<ItemStats> {
    let groups = groups(people);
    (0..items)
        .map(|item| {
            let (mut shares, mut rest) = (Vec::new(), Vec::new());
            for m in people {
                let Some((earned, worth)) = m.item(item) else {
                    continue;
                };
                if worth <= 0.0 {
                    continue;
                }
                shares.push(earned / worth);
                let rest_worth = m.worth() - worth;
                if rest_worth > 0.0 {
                    rest.push((m.earned() - earned) / rest_worth);
                }
            }
            let n = shares.len();
            ItemStats {
                n,
                facility: (n > 0).then(|| shares.as_slice().mean()),
                discrimination: groups.as_ref().and_then(|(lower, upper)| {
                    Some(mean_share(people, upper, item)? - mean_share(people, lower, item)?)
                }),
                rest_correlation: (rest.len() == n).then(|| pearson(&shares, &rest)).flatten(),
            }
        })
        .collect()
}

/// Cronbach's alpha over the points earned, when every learner was given the
/// same items (at least two) and the totals vary; `None` otherwise.
pub fn alpha(people: &[Marks]) -> Option<f64> {
    let first = people.first()?;
    let mut set: Vec<usize> = first.items.iter().map(|(i, _, _)| *i).collect();
    set.sort_unstable();
    let k = set.len();
    let same = people.iter().all(|m| {
        let mut s: Vec<usize> = m.items.iter().map(|(i, _, _)| *i).collect();
        s.sort_unstable();
        s == set
    });
    if !same || k < 2 || people.len() < 2 {
        return None;
    }
    let totals: Vec<f64> = people.iter().map(Marks::earned).collect();
    let total_var = totals.as_slice().variance();
    if total_var <= 1e-12 {
        return None;
    }
    let item_vars: f64 = set
        .iter()
        .map(|&i| {
            let column: Vec<f64> = people
                .iter()
                .filter_map(|m| m.item(i).map(|(e, _)| e))
                .collect();
            column.as_slice().variance()
        })
        .sum();
    let k = k as f64;
    Some(k / (k - 1.0) * (1.0 - item_vars / total_var))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Twelve learners by six one-point items, every learner given all six.
    /// Item 5 is keyed wrong: the weaker learners get it.
    const TABLE: [[f64; 6]; 12] = [
        [1.0, 1.0, 1.0, 1.0, 1.0, 0.0],
        [0.0, 1.0, 1.0, 1.0, 1.0, 0.0],
        [1.0, 1.0, 0.0, 1.0, 1.0, 0.0],
        [1.0, 1.0, 1.0, 1.0, 1.0, 0.0],
        [1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
        [0.0, 0.0, 1.0, 1.0, 0.0, 1.0],
        [1.0, 1.0, 1.0, 0.0, 0.0, 1.0],
        [1.0, 0.0, 1.0, 1.0, 1.0, 1.0],
        [0.0, 1.0, 1.0, 0.0, 0.0, 1.0],
        [0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 0.0, 0.0, 1.0],
        [0.0, 0.0, 0.0, 0.0, 0.0, 1.0],
    ];

    fn people(table: &[[f64; 6]]) -> Vec<Marks> {
        table
            .iter()
            .map(|row| Marks {
                items: row.iter().enumerate().map(|(i, &e)| (i, e, 1.0)).collect(),
            })
            .collect()
    }

    fn near(a: Option<f64>, b: f64) {
        let a = a.expect("a figure");
        assert!((a - b).abs() < 1e-9, "{a} is not {b}");
    }

    // Reference values computed with Python 3.11.7, numpy 2.4.6, scipy 1.17.1,
    // pandas 3.1.1 and pingouin 0.7.0:
    //   X = np.array(TABLE)
    //   X.mean(0)                                                  # facility
    //   [scipy.stats.pearsonr(X[:, i], np.delete(X, i, 1).sum(1) / 5).statistic
    //    for i in range(6)]                       # corrected point-biserial
    //   pingouin.cronbach_alpha(pandas.DataFrame(X))[0]           # alpha
    //   o = np.argsort(X.sum(1), kind="stable"); g = round(0.27 * 12)
    //   X[o[-g:]].mean(0) - X[o[:g]].mean(0)                       # discrimination
    const FACILITY: [f64; 6] = [0.5, 0.5, 7.0 / 12.0, 7.0 / 12.0, 5.0 / 12.0, 0.5];
    const REST_R: [f64; 6] = [
        0.422_115_882_408_869_1,
        0.422_115_882_408_869_05,
        0.574_988_908_499_945_8,
        0.427_327_386_967_151_7,
        0.601_074_307_037_528_5,
        -0.416_470_332_044_472_8,
    ];
    const DISCRIMINATION: [f64; 6] = [1.0, 2.0 / 3.0, 1.0, 1.0, 1.0, -1.0 / 3.0];
    const ALPHA: f64 = 0.552_911_392_405_063_4;

    #[test]
    fn item_figures_match_the_reference_package() {
        let stats = analyse(&people(&TABLE), 6);
        for (i, s) in stats.iter().enumerate() {
            assert_eq!(s.n, 12);
            near(s.facility, FACILITY[i]);
            near(s.rest_correlation, REST_R[i]);
            near(s.discrimination, DISCRIMINATION[i]);
        }
        near(alpha(&people(&TABLE)), ALPHA);
    }

    #[test]
    fn the_wrongly_keyed_item_is_flagged_and_the_others_are_not() {
        let stats = analyse(&people(&TABLE), 6);
        assert_eq!(stats[5].flags(), vec![Flag::Negative]);
        for s in &stats[..5] {
            assert!(s.flags().is_empty(), "{s:?}");
        }
    }

    #[test]
    fn items_nearly_everyone_gets_right_or_wrong_are_flagged() {
        let easy = ItemStats {
            n: 20,
            facility: Some(0.95),
            ..ItemStats::default()
        };
        let hard = ItemStats {
            facility: Some(0.1),
            ..easy
        };
        assert_eq!(easy.flags(), vec![Flag::TooEasy]);
        assert_eq!(hard.flags(), vec![Flag::TooHard]);
    }

    #[test]
    fn items_not_everyone_was_given_are_taken_over_those_who_were() {
        // Three learners; item 1 only for the first two; item 2 for nobody.
        let people = vec![
            Marks {
                items: vec![(0, 1.0, 1.0), (1, 2.0, 2.0)],
            },
            Marks {
                items: vec![(0, 0.0, 1.0), (1, 1.0, 2.0)],
            },
            Marks {
                items: vec![(0, 1.0, 1.0)],
            },
        ];
        let stats = analyse(&people, 3);
        assert_eq!(stats[1].n, 2);
        near(stats[1].facility, 0.75);
        assert_eq!(stats[2].n, 0);
        assert_eq!(stats[2].facility, None);
        // Three pairs are the least for a correlation; two are too few.
        assert_eq!(stats[1].rest_correlation, None);
        // Different items per learner: no alpha.
        assert_eq!(alpha(&people), None);
    }

    #[test]
    fn no_figures_from_too_few_or_unvarying_marks() {
        let one = people(&TABLE[..1]);
        let stats = analyse(&one, 6);
        assert_eq!(stats[0].discrimination, None);
        assert_eq!(stats[0].rest_correlation, None);
        assert_eq!(alpha(&one), None);
        let same = people(&[[1.0; 6], [1.0; 6], [1.0; 6]]);
        assert_eq!(analyse(&same, 6)[0].rest_correlation, None);
        assert_eq!(alpha(&same), None);
    }
}
