//! Quiz results as evidence for the gap analysis: per person and competency,
//! the share of the marks earned on that competency's questions in the most
//! recent counted, fully graded attempt that asked any of them.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::setup::counted;
use crate::entities::{attempt, attempt_item, question, quiz};
use crate::error::AppError;

/// Fewer questions than this on a competency in one attempt are too few to
/// say a level: one question would put a person at level 1 or level 5.
pub const MIN_QUESTIONS: u32 = 3;

/// What one person's answers on one competency show, and where they came from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TestEvidence {
    /// Marks earned over marks possible, 0–1.
    pub share: f64,
    pub questions: u32,
    pub quiz_id: Uuid,
    pub quiz_version: i32,
    pub taken_at: DateTime<Utc>,
}

/// One graded answer: its attempt, the competency its question is tagged with,
/// the points earned and the points it was worth.
pub struct Answered<'a> {
    pub attempt: &'a attempt::Model,
    pub code: &'a str,
    pub earned: f64,
    pub worth: f64,
}

/// Sums each attempt's answers per competency, then keeps each person's most
/// recent attempt per competency that asked at least [`MIN_QUESTIONS`] on it
/// (the later submission; on a tie, the larger attempt id, so the choice does
/// not depend on the order rows come in).
pub fn latest(answers: &[Answered]) -> HashMap<(Uuid, String), TestEvidence> {
    let mut sums: HashMap<(Uuid, &str), (&attempt::Model, f64, f64, u32)> = HashMap::new();
    for a in answers {
        let e = sums
            .entry((a.attempt.id, a.code))
            .or_insert((a.attempt, 0.0, 0.0, 0));
        e.1 += a.earned;
        e.2 += a.worth;
        e.3 += 1;
    }
    let mut out: HashMap<(Uuid, String), TestEvidence> = HashMap::new();
    let mut chosen: HashMap<(Uuid, String), (DateTime<Utc>, Uuid)> = HashMap::new();
    for ((_, code), (att, earned, worth, n)) in sums {
        let Some(taken_at) = att.submitted_at else {
            continue;
        };
        if worth <= 0.0 || n < MIN_QUESTIONS {
            continue;
        }
        let key = (att.person_id, code.to_owned());
        let rank = (taken_at, att.id);
        if chosen.get(&key).is_some_and(|best| *best >= rank) {
            continue;
        }
        chosen.insert(key.clone(), rank);
        out.insert(
            key,
            TestEvidence {
                share: (earned / worth).clamp(0.0, 1.0),
                questions: n,
                quiz_id: att.quiz_id,
                quiz_version: att.quiz_version,
                taken_at,
            },
        );
    }
    out
}

/// The test evidence of `people` on the competencies `codes`, from attempts
/// submitted up to `until` (all of them when `None`).
pub async fn of_people(
    db: &impl ConnectionTrait,
    people: &[Uuid],
    codes: &HashSet<String>,
    until: Option<DateTime<Utc>>,
) -> Result<HashMap<(Uuid, String), TestEvidence>, AppError> {
    let mut submitted = Vec::new();
    for chunk in people.chunks(500) {
        let mut find = attempt::Entity::find()
            .filter(attempt::Column::PersonId.is_in(chunk.to_vec()))
            .filter(attempt::Column::SubmittedAt.is_not_null());
        if let Some(until) = until {
            find = find.filter(attempt::Column::SubmittedAt.lte(until));
        }
        submitted.extend(find.all(db).await?);
    }
    if submitted.is_empty() {
        return Ok(HashMap::new());
    }
    let quiz_ids: HashSet<Uuid> = submitted.iter().map(|a| a.quiz_id).collect();
    let counting: HashMap<Uuid, _> = quiz::Entity::find()
        .filter(quiz::Column::Id.is_in(quiz_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|q| (q.id, q.counting))
        .collect();
    // The attempt each person's quiz counts, when every answer in it is marked.
    let mut by_quiz: HashMap<(Uuid, Uuid), Vec<&attempt::Model>> = HashMap::new();
    for a in &submitted {
        by_quiz.entry((a.person_id, a.quiz_id)).or_default().push(a);
    }
    let counted_ids: HashSet<Uuid> = by_quiz
        .iter()
        .filter_map(|((_, quiz_id), list)| counted(*counting.get(quiz_id)?, list))
        .collect();
    let attempts: HashMap<Uuid, &attempt::Model> = submitted
        .iter()
        .filter(|a| counted_ids.contains(&a.id) && !a.ungraded)
        .map(|a| (a.id, a))
        .collect();
    let ids: Vec<Uuid> = attempts.keys().copied().collect();
    let mut items: Vec<(Uuid, Uuid, Option<f64>, f64)> = Vec::new();
    for chunk in ids.chunks(500) {
        items.extend(
            attempt_item::Entity::find()
                .select_only()
                .columns([
                    attempt_item::Column::AttemptId,
                    attempt_item::Column::QuestionId,
                    attempt_item::Column::Score,
                    attempt_item::Column::Points,
                ])
                .filter(attempt_item::Column::AttemptId.is_in(chunk.to_vec()))
                .into_tuple::<(Uuid, Uuid, Option<f64>, f64)>()
                .all(db)
                .await?,
        );
    }
    let question_ids: HashSet<Uuid> = items.iter().map(|i| i.1).collect();
    let mut tags: HashMap<Uuid, String> = HashMap::new();
    for chunk in question_ids.into_iter().collect::<Vec<_>>().chunks(500) {
        let found: Vec<(Uuid, Option<String>)> = question::Entity::find()
            .select_only()
            .columns([question::Column::Id, question::Column::CompetencyCode])
            .filter(question::Column::Id.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await?;
        tags.extend(
            found
                .into_iter()
                .filter_map(|(id, code)| code.filter(|c| codes.contains(c)).map(|c| (id, c))),
        );
    }
    let answers: Vec<Answered> = items
        .iter()
        .filter_map(|(attempt_id, question_id, score, points)| {
            Some(Answered {
                attempt: attempts.get(attempt_id)?,
                code: tags.get(question_id)?,
                earned: (*score)?,
                worth: *points,
            })
        })
        .collect();
    Ok(latest(&answers))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn attempt(id: u128, person: u128, quiz: u128, day: u32) -> attempt::Model {
        attempt::Model {
            id: Uuid::from_u128(id),
            quiz_id: Uuid::from_u128(quiz),
            person_id: Uuid::from_u128(person),
            number: 1,
            quiz_version: 2,
            started_at: Utc.with_ymd_and_hms(2026, 12, day, 9, 0, 0).unwrap(),
            deadline_at: None,
            submitted_at: Some(Utc.with_ymd_and_hms(2026, 12, day, 9, 30, 0).unwrap()),
            submitted_by: Some("learner".into()),
            last_seq: 0,
            last_saved_at: None,
            score: None,
            max_score: 0.0,
            passed: None,
            ungraded: false,
        }
    }

    fn answer<'a>(a: &'a attempt::Model, code: &'a str, earned: f64, worth: f64) -> Answered<'a> {
        Answered {
            attempt: a,
            code,
            earned,
            worth,
        }
    }

    #[test]
    fn sums_per_competency_and_keeps_the_latest_attempt() {
        let pre = attempt(1, 7, 100, 1);
        let post = attempt(2, 7, 200, 5);
        let other = attempt(3, 8, 200, 5);
        let answers = [
            // Pre-test, 1 December: IT 1 of 3 marks on two questions.
            answer(&pre, "IT", 1.0, 1.0),
            answer(&pre, "IT", 0.0, 2.0),
            answer(&pre, "LAW", 1.0, 1.0),
            answer(&pre, "LAW", 1.0, 1.0),
            answer(&pre, "LAW", 1.0, 1.0),
            // Post-test, 5 December: IT 3 of 4 marks on three questions; no LAW.
            answer(&post, "IT", 2.0, 2.0),
            answer(&post, "IT", 0.5, 1.0),
            answer(&post, "IT", 0.5, 1.0),
            answer(&other, "IT", 0.0, 1.0),
            answer(&other, "IT", 0.0, 1.0),
            answer(&other, "IT", 0.0, 1.0),
        ];
        let got = latest(&answers);
        assert_eq!(got.len(), 3);
        let it = got[&(Uuid::from_u128(7), "IT".to_owned())];
        assert!((it.share - 0.75).abs() < 1e-12);
        assert_eq!(it.questions, 3);
        assert_eq!(it.quiz_id, Uuid::from_u128(200));
        assert_eq!(it.quiz_version, 2);
        assert_eq!(it.taken_at, post.submitted_at.unwrap());
        // LAW was asked only in the pre-test, so that is its latest evidence.
        let law = got[&(Uuid::from_u128(7), "LAW".to_owned())];
        assert!((law.share - 1.0).abs() < 1e-12);
        assert_eq!(law.quiz_id, Uuid::from_u128(100));
        assert_eq!(got[&(Uuid::from_u128(8), "IT".to_owned())].share, 0.0);
    }

    fn three(a: &attempt::Model, earned: f64) -> Vec<Answered<'_>> {
        (0..3).map(|_| answer(a, "IT", earned, 1.0)).collect()
    }

    #[test]
    fn ties_fall_the_same_way_whatever_the_order() {
        let a = attempt(1, 7, 100, 3);
        let b = attempt(2, 7, 200, 3);
        let mut forward = three(&a, 1.0);
        forward.extend(three(&b, 0.0));
        let mut backward = three(&b, 0.0);
        backward.extend(three(&a, 1.0));
        let key = (Uuid::from_u128(7), "IT".to_owned());
        assert_eq!(latest(&forward)[&key].quiz_id, Uuid::from_u128(200));
        assert_eq!(latest(&backward)[&key].quiz_id, Uuid::from_u128(200));
    }

    #[test]
    fn too_few_questions_or_none_worth_anything_are_no_evidence() {
        let a = attempt(1, 7, 100, 3);
        let worthless: Vec<Answered> = (0..3).map(|_| answer(&a, "IT", 0.0, 0.0)).collect();
        assert!(latest(&worthless).is_empty());
        // Two questions on a competency are too few; a third makes a level.
        let mut few: Vec<Answered> = (0..2).map(|_| answer(&a, "IT", 1.0, 1.0)).collect();
        assert!(latest(&few).is_empty());
        few.push(answer(&a, "IT", 0.0, 1.0));
        let got = latest(&few);
        assert_eq!(got[&(Uuid::from_u128(7), "IT".to_owned())].questions, 3);
        assert!(latest(&[]).is_empty());
    }
}
