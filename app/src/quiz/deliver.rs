//! A question as a learner sees it during an attempt, and the learner's answer
//! turned back into the question's own terms for grading.
//!
//! What is shown never tells the answer: options carry no weights or feedback,
//! ordering items are always shuffled (their stored order is the answer), and a
//! matching question's answers are offered once each, shuffled (their stored
//! order follows the prompts). The arrangement an attempt was given is stored
//! with it, so a reload or another PC shows the same order.

#[cfg(feature = "ssr")]
use rand::Rng;
#[cfg(feature = "ssr")]
use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::grade::Response;
#[cfg(feature = "ssr")]
use super::question::{Kind, Question};

/// What an input shows, in the order shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Shown {
    Single {
        options: Vec<String>,
    },
    Multiple {
        options: Vec<String>,
    },
    TrueFalse,
    /// The units the answer may be written in (none: a bare number).
    Numeric {
        units: Vec<String>,
    },
    Short,
    /// Each prompt gets one of `answers`.
    Matching {
        prompts: Vec<String>,
        answers: Vec<String>,
    },
    /// Items to put in order, shown shuffled.
    Ordering {
        items: Vec<String>,
    },
    Essay,
    Description,
}

/// The order an attempt shows a question's parts in: `order[i]` is the stored
/// index of what is shown at place `i` (options, answer texts or items).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Arrangement {
    pub order: Vec<usize>,
}

/// A learner's answer in the terms of what they were shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Given {
    /// The place of the option picked.
    Single(usize),
    /// The places of the options ticked.
    Multiple(Vec<usize>),
    TrueFalse(bool),
    /// Numeric and short answers.
    Typed(String),
    /// For each prompt shown, the place of the answer chosen (or none yet).
    Matching(Vec<Option<usize>>),
    /// The places of the items, in the order the learner put them.
    Ordering(Vec<usize>),
    Essay(String),
}

#[cfg(feature = "ssr")]
/// The distinct answer texts of a matching question, in stored order.
fn matching_answers(q: &Question) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if let Kind::Matching { pairs } = &q.kind {
        for p in pairs {
            if !out.contains(&p.answer) {
                out.push(p.answer.clone());
            }
        }
    }
    out
}

#[cfg(feature = "ssr")]
/// A shuffled order of `n` places; for `must_move` (ordering questions), never
/// the stored order itself when there is another.
fn shuffled(n: usize, rng: &mut impl Rng, must_move: bool) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(rng);
    if must_move && n > 1 && order.iter().enumerate().all(|(i, &o)| i == o) {
        order.rotate_left(1);
    }
    order
}

#[cfg(feature = "ssr")]
/// How to show `q`: options shuffled when `shuffle_options`; ordering items and
/// matching answers always.
pub fn arrange(q: &Question, shuffle_options: bool, rng: &mut impl Rng) -> Arrangement {
    let order = match &q.kind {
        Kind::Single { options } | Kind::Multiple { options } => {
            if shuffle_options {
                shuffled(options.len(), rng, false)
            } else {
                (0..options.len()).collect()
            }
        }
        Kind::Matching { .. } => shuffled(matching_answers(q).len(), rng, false),
        Kind::Ordering { items } => shuffled(items.len(), rng, true),
        _ => Vec::new(),
    };
    Arrangement { order }
}

#[cfg(feature = "ssr")]
fn pick<T: Clone>(items: &[T], order: &[usize]) -> Vec<T> {
    order
        .iter()
        .filter_map(|&i| items.get(i).cloned())
        .collect()
}

#[cfg(feature = "ssr")]
/// What the learner is shown of `q`, arranged.
pub fn show(q: &Question, a: &Arrangement) -> Shown {
    match &q.kind {
        Kind::Single { options } => Shown::Single {
            options: pick(options, &a.order)
                .into_iter()
                .map(|o| o.text)
                .collect(),
        },
        Kind::Multiple { options } => Shown::Multiple {
            options: pick(options, &a.order)
                .into_iter()
                .map(|o| o.text)
                .collect(),
        },
        Kind::TrueFalse { .. } => Shown::TrueFalse,
        Kind::Numeric { units, .. } => Shown::Numeric {
            units: units.iter().map(|u| u.name.clone()).collect(),
        },
        Kind::Short { .. } => Shown::Short,
        Kind::Matching { pairs } => Shown::Matching {
            prompts: pairs
                .iter()
                .filter(|p| !p.prompt.trim().is_empty())
                .map(|p| p.prompt.clone())
                .collect(),
            answers: pick(&matching_answers(q), &a.order),
        },
        Kind::Ordering { items } => Shown::Ordering {
            items: pick(items, &a.order),
        },
        Kind::Essay { .. } => Shown::Essay,
        Kind::Description => Shown::Description,
    }
}

#[cfg(feature = "ssr")]
/// The learner's answer in the question's own terms, for [`super::grade::grade`].
/// `None` when it does not fit the question (another kind, a place not shown).
pub fn response(q: &Question, a: &Arrangement, given: &Given) -> Option<Response> {
    let stored = |place: usize| a.order.get(place).copied();
    match (&q.kind, given) {
        (Kind::Single { .. }, Given::Single(p)) => stored(*p).map(Response::Single),
        (Kind::Multiple { .. }, Given::Multiple(places)) => places
            .iter()
            .map(|p| stored(*p))
            .collect::<Option<Vec<_>>>()
            .map(Response::Multiple),
        (Kind::TrueFalse { .. }, Given::TrueFalse(b)) => Some(Response::TrueFalse(*b)),
        (Kind::Numeric { .. } | Kind::Short { .. }, Given::Typed(t)) => {
            Some(Response::Typed(t.clone()))
        }
        (Kind::Matching { pairs }, Given::Matching(chosen)) => {
            let answers = matching_answers(q);
            // A place that was not shown makes the whole answer not fit.
            let chosen = chosen
                .iter()
                .map(|c| match c {
                    None => Some(None),
                    Some(p) => {
                        let text = stored(*p).and_then(|i| answers.get(i))?;
                        Some(pairs.iter().position(|p| &p.answer == text))
                    }
                })
                .collect::<Option<Vec<_>>>()?;
            Some(Response::Matching(chosen))
        }
        (Kind::Ordering { items }, Given::Ordering(places)) => {
            let order = places
                .iter()
                .map(|p| stored(*p))
                .collect::<Option<Vec<_>>>()?;
            (order.len() <= items.len()).then_some(Response::Ordering(order))
        }
        (Kind::Essay { .. }, Given::Essay(text)) => Some(Response::Essay(text.clone())),
        _ => None,
    }
}

#[cfg(feature = "ssr")]
/// The answer that earns full marks, in the terms of what was shown (`None`
/// for essays and descriptions). For demo data and tests.
pub fn right_answer(q: &Question, a: &Arrangement) -> Option<Given> {
    let place_of = |stored: usize| a.order.iter().position(|&o| o == stored);
    match &q.kind {
        Kind::Single { options } => {
            let best = (0..options.len())
                .max_by(|&x, &y| options[x].weight.total_cmp(&options[y].weight))?;
            place_of(best).map(Given::Single)
        }
        Kind::Multiple { options } => {
            let mut places: Vec<usize> = (0..options.len())
                .filter(|&i| options[i].weight > 0.0)
                .filter_map(place_of)
                .collect();
            places.sort_unstable();
            Some(Given::Multiple(places))
        }
        Kind::TrueFalse { answer, .. } => Some(Given::TrueFalse(*answer)),
        Kind::Numeric { answers, .. } => answers
            .iter()
            .max_by(|x, y| x.weight.total_cmp(&y.weight))
            .map(|n| Given::Typed(n.value.to_string())),
        Kind::Short { answers, .. } => answers
            .iter()
            .max_by(|x, y| x.weight.total_cmp(&y.weight))
            .map(|s| Given::Typed(s.text.clone())),
        Kind::Matching { pairs } => {
            let answers = matching_answers(q);
            Some(Given::Matching(
                pairs
                    .iter()
                    .filter(|p| !p.prompt.trim().is_empty())
                    .map(|p| {
                        answers
                            .iter()
                            .position(|x| *x == p.answer)
                            .and_then(place_of)
                    })
                    .collect(),
            ))
        }
        Kind::Ordering { items } => (0..items.len())
            .map(place_of)
            .collect::<Option<Vec<_>>>()
            .map(Given::Ordering),
        Kind::Essay { .. } | Kind::Description => None,
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::quiz::grade::grade;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn gift(source: &str) -> Question {
        crate::quiz::gift::parse(source).questions[0]
            .question
            .clone()
    }

    /// Whatever the shuffle, picking the right option as shown scores 1, and
    /// nothing shown carries a weight or feedback.
    #[test]
    fn a_shuffled_choice_maps_back_to_its_option() {
        let q = gift("Q {=右#好 ~左#不好 ~上 ~下}");
        for seed in 0..20 {
            let a = arrange(&q, true, &mut StdRng::seed_from_u64(seed));
            let Shown::Single { options } = show(&q, &a) else {
                panic!()
            };
            let place = options.iter().position(|o| o == "右").unwrap();
            let r = response(&q, &a, &Given::Single(place)).unwrap();
            assert_eq!(grade(&q.kind, &r), Some(1.0));
            let wrong = (place + 1) % 4;
            let r = response(&q, &a, &Given::Single(wrong)).unwrap();
            assert_eq!(grade(&q.kind, &r), Some(0.0));
            let json = serde_json::to_string(&show(&q, &a)).unwrap();
            assert!(!json.contains("好") && !json.contains("100"), "{json}");
        }
        let a = arrange(&q, false, &mut StdRng::seed_from_u64(1));
        assert_eq!(a.order, vec![0, 1, 2, 3]);
    }

    #[test]
    fn multiple_choice_places_map_back() {
        let q = gift("Q {~%50%甲 ~%50%乙 ~%-100%丙}");
        let a = Arrangement {
            order: vec![2, 0, 1],
        };
        let r = response(&q, &a, &Given::Multiple(vec![1, 2])).unwrap();
        assert_eq!(r, Response::Multiple(vec![0, 1]));
        assert_eq!(grade(&q.kind, &r), Some(1.0));
        assert_eq!(response(&q, &a, &Given::Multiple(vec![3])), None);
    }

    /// Ordering items are never shown in their right order, and putting them
    /// back scores 1.
    #[test]
    fn ordering_is_always_shuffled_and_maps_back() {
        let mut q = gift("Q {=a -> 1 =b -> 2}");
        q.kind = Kind::Ordering {
            items: vec!["受理".into(), "审核".into(), "办结".into()],
        };
        for seed in 0..30 {
            let a = arrange(&q, false, &mut StdRng::seed_from_u64(seed));
            assert_ne!(a.order, vec![0, 1, 2], "seed {seed}");
            let Shown::Ordering { items } = show(&q, &a) else {
                panic!()
            };
            let right: Vec<usize> = ["受理", "审核", "办结"]
                .iter()
                .map(|t| items.iter().position(|i| i == t).unwrap())
                .collect();
            let r = response(&q, &a, &Given::Ordering(right)).unwrap();
            assert_eq!(grade(&q.kind, &r), Some(1.0));
        }
    }

    /// Matching answers are offered once each and shuffled; a distractor is
    /// offered but matches no prompt.
    #[test]
    fn matching_offers_each_answer_once_and_maps_back() {
        let q = gift("Q {=养老 -> 人社 =医保 -> 医保局 =工伤 -> 人社 = -> 税务}");
        let a = Arrangement {
            order: vec![2, 0, 1],
        };
        let Shown::Matching { prompts, answers } = show(&q, &a) else {
            panic!()
        };
        assert_eq!(prompts, ["养老", "医保", "工伤"]);
        assert_eq!(answers, ["税务", "人社", "医保局"]);
        let given = Given::Matching(vec![Some(1), Some(2), Some(1)]);
        let r = response(&q, &a, &given).unwrap();
        assert_eq!(grade(&q.kind, &r), Some(1.0));
        let given = Given::Matching(vec![Some(0), None, Some(1)]);
        let r = response(&q, &a, &given).unwrap();
        let got = grade(&q.kind, &r).unwrap();
        assert!((got - 1.0 / 3.0).abs() < 1e-12, "{got}");
        assert_eq!(
            response(&q, &a, &Given::Matching(vec![Some(3), None, None])),
            None
        );
    }

    /// The right answer of every kind, however arranged, earns full marks.
    #[test]
    fn the_right_answer_scores_full_marks_whatever_the_arrangement() {
        let source = "::a:: Q {=右 ~左 ~上}\n\n::b:: Q {~%50%甲 ~%50%乙 ~%-100%丙}\n\n\
            ::c:: Q {F}\n\n::d:: Q {#15:1}\n\n::e:: Q {=社保卡 =社会保障卡}\n\n\
            ::f:: Q {=养老 -> 人社 =医保 -> 医保局 = -> 税务}\n";
        let mut questions: Vec<Question> = crate::quiz::gift::parse(source)
            .questions
            .into_iter()
            .map(|r| r.question)
            .collect();
        assert_eq!(questions.len(), 6);
        let mut ordering = questions[0].clone();
        ordering.kind = Kind::Ordering {
            items: vec!["受理".into(), "审核".into(), "办结".into(), "归档".into()],
        };
        questions.push(ordering);
        for seed in 0..10 {
            for q in &questions {
                let a = arrange(q, true, &mut StdRng::seed_from_u64(seed));
                let given = right_answer(q, &a).unwrap();
                let r = response(q, &a, &given).unwrap();
                assert_eq!(grade(&q.kind, &r), Some(1.0), "{}: {given:?}", q.name);
            }
        }
    }

    #[test]
    fn an_answer_of_another_kind_does_not_fit() {
        let q = gift("Q {T}");
        let a = arrange(&q, true, &mut StdRng::seed_from_u64(0));
        assert_eq!(show(&q, &a), Shown::TrueFalse);
        assert_eq!(response(&q, &a, &Given::Typed("对".into())), None);
        assert_eq!(
            response(&q, &a, &Given::TrueFalse(true)),
            Some(Response::TrueFalse(true))
        );
    }
}
