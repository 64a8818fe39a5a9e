//! Which questions an attempt asks: a quiz's rules applied to the bank.
//!
//! A rule names a competency or a category (with its subcategories) and how
//! many to draw; without a number it takes every question it names, in bank
//! order (a fixed quiz). A question is asked once however many rules name it.
//! Questions to avoid (those a person had in the other test of the pair: the
//! pre-test when drawing the post-test) are drawn only when the bank has too
//! few others, so the two forms are parallel: the same number per rule, no
//! question repeated while the bank allows.

#[cfg(feature = "ssr")]
use std::collections::HashSet;

#[cfg(feature = "ssr")]
use rand::Rng;
#[cfg(feature = "ssr")]
use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use uuid::Uuid;

#[cfg(feature = "ssr")]
use crate::domain::QuestionKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum By {
    Competency,
    Category,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    pub by: By,
    pub key: String,
    /// How many to draw at random; `None`: every one, in bank order.
    pub count: Option<u32>,
}

#[cfg(feature = "ssr")]
/// A question the rules may draw, in bank order.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub id: Uuid,
    pub competency: Option<String>,
    pub category: String,
    pub kind: QuestionKind,
}

#[cfg(feature = "ssr")]
impl Rule {
    pub fn names(&self, c: &Candidate) -> bool {
        match self.by {
            By::Competency => c
                .competency
                .as_deref()
                .is_some_and(|code| code.eq_ignore_ascii_case(self.key.trim())),
            By::Category => {
                let key = self.key.trim().trim_matches('/');
                c.category == key || c.category.starts_with(&format!("{key}/"))
            }
        }
    }
}

#[cfg(feature = "ssr")]
/// A rule that found fewer questions than it asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Short {
    pub rule: usize,
    pub wanted: u32,
    pub found: u32,
}

#[cfg(feature = "ssr")]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Drawn {
    pub questions: Vec<Uuid>,
    pub short: Vec<Short>,
}

#[cfg(feature = "ssr")]
/// Applies `rules` to `candidates`, avoiding `avoid` where the bank allows.
pub fn draw(
    rules: &[Rule],
    candidates: &[Candidate],
    avoid: &HashSet<Uuid>,
    rng: &mut impl Rng,
) -> Drawn {
    let mut drawn = Drawn::default();
    let mut taken: HashSet<Uuid> = HashSet::new();
    for (i, rule) in rules.iter().enumerate() {
        let pool: Vec<&Candidate> = candidates
            .iter()
            .filter(|c| !taken.contains(&c.id) && rule.names(c))
            .collect();
        let chosen: Vec<Uuid> = match rule.count {
            None => pool.iter().map(|c| c.id).collect(),
            Some(n) => {
                // A description has nothing to answer: it is not drawn at random.
                let (mut fresh, mut seen): (Vec<Uuid>, Vec<Uuid>) = pool
                    .iter()
                    .filter(|c| c.kind != QuestionKind::Description)
                    .map(|c| c.id)
                    .partition(|id| !avoid.contains(id));
                fresh.shuffle(rng);
                seen.shuffle(rng);
                let got: Vec<Uuid> = fresh.into_iter().chain(seen).take(n as usize).collect();
                if got.len() < n as usize {
                    drawn.short.push(Short {
                        rule: i,
                        wanted: n,
                        found: u32::try_from(got.len()).unwrap_or(u32::MAX),
                    });
                }
                got
            }
        };
        taken.extend(chosen.iter().copied());
        drawn.questions.extend(chosen);
    }
    drawn
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn bank() -> Vec<Candidate> {
        let mut out = Vec::new();
        for (i, (code, category)) in [
            ("POLICY", "养老/政策"),
            ("POLICY", "养老/政策"),
            ("POLICY", "养老/政策/缴费"),
            ("POLICY", "医保/政策"),
            ("COMMUNICATION", "服务/礼仪"),
            ("COMMUNICATION", "服务/礼仪"),
            ("COMMUNICATION", "服务/投诉处理"),
            ("communication", "服务/投诉处理"),
        ]
        .into_iter()
        .enumerate()
        {
            out.push(Candidate {
                id: Uuid::from_u128(i as u128 + 1),
                competency: Some(code.into()),
                category: category.into(),
                kind: QuestionKind::Single,
            });
        }
        out
    }

    fn rule(by: By, key: &str, count: Option<u32>) -> Rule {
        Rule {
            by,
            key: key.into(),
            count,
        }
    }

    fn ids(ns: &[u128]) -> Vec<Uuid> {
        ns.iter().map(|n| Uuid::from_u128(*n)).collect()
    }

    #[test]
    fn every_question_of_a_category_in_bank_order_with_its_subcategories() {
        let d = draw(
            &[rule(By::Category, "养老/", None)],
            &bank(),
            &HashSet::new(),
            &mut StdRng::seed_from_u64(0),
        );
        assert_eq!(d.questions, ids(&[1, 2, 3]));
        assert!(d.short.is_empty());
        // "养老" does not name "养老金…": only whole levels count.
        let mut b = bank();
        b[0].category = "养老金".into();
        let d = draw(
            &[rule(By::Category, "养老", None)],
            &b,
            &HashSet::new(),
            &mut StdRng::seed_from_u64(0),
        );
        assert_eq!(d.questions, ids(&[2, 3]));
    }

    #[test]
    fn n_per_competency_regardless_of_case_and_never_twice() {
        for seed in 0..20 {
            let d = draw(
                &[
                    rule(By::Competency, "communication", Some(2)),
                    rule(By::Category, "服务", Some(3)),
                ],
                &bank(),
                &HashSet::new(),
                &mut StdRng::seed_from_u64(seed),
            );
            assert_eq!(d.questions.len(), 4, "seed {seed}");
            let unique: HashSet<_> = d.questions.iter().collect();
            assert_eq!(unique.len(), 4);
            // The second rule had only two left and says so.
            assert_eq!(
                d.short,
                vec![Short {
                    rule: 1,
                    wanted: 3,
                    found: 2
                }]
            );
        }
    }

    /// The post-test draws none of the pre-test's questions while the bank has
    /// others, and the same number per rule; when it has too few, it reuses.
    #[test]
    fn parallel_forms_avoid_the_other_tests_questions() {
        let rules = [
            rule(By::Competency, "POLICY", Some(2)),
            rule(By::Competency, "COMMUNICATION", Some(2)),
        ];
        for seed in 0..20 {
            let mut rng = StdRng::seed_from_u64(seed);
            let pre = draw(&rules, &bank(), &HashSet::new(), &mut rng);
            let avoid: HashSet<Uuid> = pre.questions.iter().copied().collect();
            let post = draw(&rules, &bank(), &avoid, &mut rng);
            assert_eq!(post.questions.len(), 4);
            assert!(
                post.questions.iter().all(|q| !avoid.contains(q)),
                "seed {seed}"
            );
            let policy = |qs: &[Uuid]| qs.iter().filter(|q| q.as_u128() <= 4).count();
            assert_eq!(policy(&pre.questions), 2);
            assert_eq!(policy(&post.questions), 2);
        }
        let rules = [rule(By::Competency, "POLICY", Some(3))];
        let mut rng = StdRng::seed_from_u64(7);
        let pre = draw(&rules, &bank(), &HashSet::new(), &mut rng);
        let avoid: HashSet<Uuid> = pre.questions.iter().copied().collect();
        let post = draw(&rules, &bank(), &avoid, &mut rng);
        assert_eq!(post.questions.len(), 3);
        let repeated = post.questions.iter().filter(|q| avoid.contains(q)).count();
        assert_eq!(repeated, 2, "only one POLICY question was left unused");
    }

    #[test]
    fn descriptions_are_not_drawn_at_random() {
        let mut b = bank();
        b[0].kind = QuestionKind::Description;
        let d = draw(
            &[rule(By::Category, "养老", Some(5))],
            &b,
            &HashSet::new(),
            &mut StdRng::seed_from_u64(1),
        );
        assert_eq!(d.questions.len(), 2);
        assert!(!d.questions.contains(&Uuid::from_u128(1)));
    }
}
