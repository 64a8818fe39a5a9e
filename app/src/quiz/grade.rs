//! Grading a response to a question: a share of the question's mark from 0 to 1.
//! Pure functions, checked against hand-worked cases below.
//!
//! - Single choice, short answer, numeric: the weight of the best answer matched
//!   (a negative weight counts as 0 for the question).
//! - Multiple choice: with k right options, each right option ticked earns 1/k
//!   and each wrong one ticked costs 1/k; the total is never below 0.
//! - True/false: all or nothing.
//! - Matching: the share of prompts matched to their answer; ordering: the share
//!   of items in their right place.
//! - Short answer: compared after turning full-width letters, digits and
//!   punctuation into half-width, taking spaces off both ends and running inner
//!   spaces together; letter case counts only when the question says so.
//! - Numeric: right within the tolerance; with units, `150 cm` is read through
//!   the unit's multiplier (`cm` = 100 per base unit) and an unknown unit is wrong.
//! - Essays are graded by a trainer: `None` here.

use serde::{Deserialize, Serialize};

use super::question::Kind;

/// What a learner answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Response {
    /// Index of the option picked.
    Single(usize),
    /// Indexes of the options ticked.
    Multiple(Vec<usize>),
    TrueFalse(bool),
    /// The text typed, for numeric and short-answer questions.
    Typed(String),
    /// For each prompt (in the question's order), the index of the answer chosen.
    Matching(Vec<Option<usize>>),
    /// Item indexes (into the right order) in the order the learner put them.
    Ordering(Vec<usize>),
    Essay(String),
}

/// Full-width forms as half-width, spaces (either width) off the ends and runs of
/// inner spaces as one.
pub fn normalise(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn share(weight: f64) -> f64 {
    (weight / 100.0).clamp(0.0, 1.0)
}

/// The share of the mark earned, or `None` when a person must grade it (essays)
/// or there is nothing to grade (descriptions, a response of another kind).
pub fn grade(kind: &Kind, response: &Response) -> Option<f64> {
    match (kind, response) {
        (Kind::Single { options }, Response::Single(i)) => {
            Some(options.get(*i).map_or(0.0, |o| share(o.weight)))
        }
        (Kind::Multiple { options }, Response::Multiple(ticked)) => {
            let right = options.iter().filter(|o| o.weight > 0.0).count();
            if right == 0 {
                return Some(0.0);
            }
            let mut seen = Vec::new();
            let mut net = 0i64;
            for &i in ticked {
                let Some(o) = options.get(i) else { continue };
                if seen.contains(&i) {
                    continue;
                }
                seen.push(i);
                net += if o.weight > 0.0 { 1 } else { -1 };
            }
            Some((net.max(0) as f64 / right as f64).min(1.0))
        }
        (Kind::TrueFalse { answer, .. }, Response::TrueFalse(given)) => {
            Some(if answer == given { 1.0 } else { 0.0 })
        }
        (
            Kind::Short {
                answers,
                case_sensitive,
            },
            Response::Typed(typed),
        ) => {
            let fold = |s: &str| {
                let n = normalise(s);
                if *case_sensitive { n } else { n.to_lowercase() }
            };
            let given = fold(typed);
            Some(
                answers
                    .iter()
                    .filter(|a| fold(&a.text) == given)
                    .map(|a| share(a.weight))
                    .fold(0.0, f64::max),
            )
        }
        (Kind::Numeric { answers, units }, Response::Typed(typed)) => {
            let Some(value) = numeric_value(typed, units) else {
                return Some(0.0);
            };
            Some(
                answers
                    .iter()
                    // A relative slack for binary fractions: 0.1 + 0.2 is 0.3 here.
                    .filter(|a| {
                        (value - a.value).abs() <= a.tolerance + 1e-9 * a.value.abs().max(1.0)
                    })
                    .map(|a| share(a.weight))
                    .fold(0.0, f64::max),
            )
        }
        (Kind::Matching { pairs }, Response::Matching(chosen)) => {
            let prompts: Vec<usize> = pairs
                .iter()
                .enumerate()
                .filter(|(_, p)| !p.prompt.trim().is_empty())
                .map(|(i, _)| i)
                .collect();
            if prompts.is_empty() {
                return Some(0.0);
            }
            let right = prompts
                .iter()
                .enumerate()
                .filter(|(n, i)| {
                    chosen
                        .get(*n)
                        .copied()
                        .flatten()
                        .and_then(|c| pairs.get(c))
                        .is_some_and(|p| p.answer == pairs[**i].answer)
                })
                .count();
            Some(right as f64 / prompts.len() as f64)
        }
        (Kind::Ordering { items }, Response::Ordering(order)) => {
            if items.is_empty() {
                return Some(0.0);
            }
            let placed = order
                .iter()
                .enumerate()
                .filter(|(position, item)| position == *item)
                .count();
            Some(placed.min(items.len()) as f64 / items.len() as f64)
        }
        _ => None,
    }
}

/// The number typed, in the base unit: `1.5`, `１．５`, `150 cm` with a `cm` unit
/// of multiplier 100. A unit the question does not list makes it unreadable.
fn numeric_value(typed: &str, units: &[super::question::Unit]) -> Option<f64> {
    let plain = normalise(typed).replace(',', "");
    let split = plain
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E')))
        .map_or(plain.len(), |(i, _)| i);
    let (number, unit) = plain.split_at(split);
    let value = super::finite(number)?;
    let unit = unit.trim();
    if unit.is_empty() {
        return Some(value);
    }
    let u = units.iter().find(|u| u.name == unit)?;
    (u.multiplier != 0.0).then(|| value / u.multiplier)
}

#[cfg(test)]
mod tests {
    use super::super::question::{Choice, NumericAnswer, Pair, ShortAnswer, Unit};
    use super::*;

    fn options(weights: &[f64]) -> Vec<Choice> {
        weights
            .iter()
            .enumerate()
            .map(|(i, w)| Choice {
                text: format!("option {i}"),
                weight: *w,
                feedback: String::new(),
            })
            .collect()
    }

    #[test]
    fn single_choice_earns_the_weight_of_the_option_picked() {
        let q = Kind::Single {
            options: options(&[0.0, 100.0, 50.0, -50.0]),
        };
        assert_eq!(grade(&q, &Response::Single(1)), Some(1.0));
        assert_eq!(grade(&q, &Response::Single(2)), Some(0.5));
        assert_eq!(grade(&q, &Response::Single(0)), Some(0.0));
        assert_eq!(grade(&q, &Response::Single(3)), Some(0.0));
        assert_eq!(grade(&q, &Response::Single(9)), Some(0.0));
    }

    #[test]
    fn multiple_choice_partial_credit_with_a_floor_of_zero() {
        // Three right (0, 1, 2), two wrong (3, 4): each is worth 1/3.
        let q = Kind::Multiple {
            options: options(&[50.0, 25.0, 25.0, -100.0, 0.0]),
        };
        let g = |ticked: &[usize]| grade(&q, &Response::Multiple(ticked.to_vec())).unwrap();
        assert!((g(&[0, 1, 2]) - 1.0).abs() < 1e-12);
        assert!((g(&[0, 1]) - 2.0 / 3.0).abs() < 1e-12);
        assert!((g(&[0, 1, 3]) - 1.0 / 3.0).abs() < 1e-12);
        assert!((g(&[0, 1, 2, 3, 4]) - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(g(&[0, 3, 4]), 0.0);
        assert_eq!(g(&[3, 4]), 0.0);
        assert_eq!(g(&[]), 0.0);
        // Ticking the same box twice counts once.
        assert!((g(&[0, 0, 0]) - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn true_false_is_all_or_nothing() {
        let q = Kind::TrueFalse {
            answer: false,
            feedback_wrong: String::new(),
            feedback_right: String::new(),
        };
        assert_eq!(grade(&q, &Response::TrueFalse(false)), Some(1.0));
        assert_eq!(grade(&q, &Response::TrueFalse(true)), Some(0.0));
    }

    #[test]
    fn short_answers_are_normalised_and_alternatives_weighted() {
        let q = Kind::Short {
            answers: vec![
                ShortAnswer {
                    text: "社保卡".into(),
                    weight: 100.0,
                    feedback: String::new(),
                },
                ShortAnswer {
                    text: "Social Security Card".into(),
                    weight: 80.0,
                    feedback: String::new(),
                },
            ],
            case_sensitive: false,
        };
        let g = |t: &str| grade(&q, &Response::Typed(t.into())).unwrap();
        assert_eq!(g("社保卡"), 1.0);
        assert_eq!(g("\u{3000}社保卡  "), 1.0);
        assert_eq!(g("social  security card"), 0.8);
        assert_eq!(g("ＳＯＣＩＡＬ ＳＥＣＵＲＩＴＹ ＣＡＲＤ"), 0.8);
        assert_eq!(g("社保"), 0.0);
        let strict = Kind::Short {
            answers: vec![ShortAnswer {
                text: "GB18030".into(),
                weight: 100.0,
                feedback: String::new(),
            }],
            case_sensitive: true,
        };
        assert_eq!(
            grade(&strict, &Response::Typed("gb18030".into())),
            Some(0.0)
        );
        assert_eq!(
            grade(&strict, &Response::Typed("ＧＢ18030".into())),
            Some(1.0)
        );
    }

    #[test]
    fn numeric_tolerance_units_and_full_width_digits() {
        let q = Kind::Numeric {
            answers: vec![
                NumericAnswer {
                    value: 1.5,
                    tolerance: 0.1,
                    weight: 100.0,
                    feedback: String::new(),
                },
                NumericAnswer {
                    value: 1.5,
                    tolerance: 0.5,
                    weight: 50.0,
                    feedback: String::new(),
                },
            ],
            units: vec![
                Unit {
                    name: "m".into(),
                    multiplier: 1.0,
                },
                Unit {
                    name: "cm".into(),
                    multiplier: 100.0,
                },
            ],
        };
        let g = |t: &str| grade(&q, &Response::Typed(t.into())).unwrap();
        assert_eq!(g("1.5"), 1.0);
        assert_eq!(g("1.6"), 1.0);
        assert_eq!(g("1.9"), 0.5);
        assert_eq!(g("2.1"), 0.0);
        assert_eq!(g("150 cm"), 1.0);
        assert_eq!(g("150cm"), 1.0);
        assert_eq!(g("1.5 m"), 1.0);
        assert_eq!(g("１．５"), 1.0);
        assert_eq!(g("1.5 km"), 0.0);
        assert_eq!(g("one and a half"), 0.0);
        let sum = Kind::Numeric {
            answers: vec![NumericAnswer {
                value: 0.3,
                tolerance: 0.0,
                weight: 100.0,
                feedback: String::new(),
            }],
            units: vec![],
        };
        assert_eq!(
            grade(&sum, &Response::Typed(format!("{}", 0.1 + 0.2))),
            Some(1.0)
        );
    }

    #[test]
    fn matching_and_ordering_earn_their_share() {
        let pair = |p: &str, a: &str| Pair {
            prompt: p.into(),
            answer: a.into(),
        };
        let q = Kind::Matching {
            pairs: vec![
                pair("社保卡", "人社"),
                pair("医保卡", "医保"),
                pair("", "税务"),
            ],
        };
        let g = |c: Vec<Option<usize>>| grade(&q, &Response::Matching(c)).unwrap();
        assert_eq!(g(vec![Some(0), Some(1)]), 1.0);
        assert_eq!(g(vec![Some(0), Some(2)]), 0.5);
        assert_eq!(g(vec![None, Some(1)]), 0.5);
        assert_eq!(g(vec![]), 0.0);
        let order = Kind::Ordering {
            items: vec!["受理".into(), "审核".into(), "办结".into(), "归档".into()],
        };
        let o = |v: Vec<usize>| grade(&order, &Response::Ordering(v)).unwrap();
        assert_eq!(o(vec![0, 1, 2, 3]), 1.0);
        assert_eq!(o(vec![0, 2, 1, 3]), 0.5);
        assert_eq!(o(vec![3, 2, 1, 0]), 0.0);
    }

    #[test]
    fn essays_wait_for_a_person_and_mismatched_responses_are_not_graded() {
        let essay = Kind::Essay {
            rubric: String::new(),
        };
        assert_eq!(grade(&essay, &Response::Essay("…".into())), None);
        let single = Kind::Single {
            options: options(&[100.0, 0.0]),
        };
        assert_eq!(grade(&single, &Response::TrueFalse(true)), None);
    }
}
