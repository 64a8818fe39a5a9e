//! What a quiz's results say: the item analysis trainers read to fix their
//! questions, and the learning gain from a course's pre-test to its post-test.
//! Over each learner's counted attempt (the quiz's counting rule), once every
//! answer in it is graded.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::attempts::{arrangement, given};
use super::gain;
use super::grade::Response;
use super::items::{self, Marks};
use super::question::{Kind, Question};
use super::setup::counted;
use super::{GainFigures, GroupGain, ItemAnalysis, ItemRow, LearningGain, OptionCount, PersonGain};
use crate::auth::guard::SessionUser;
use crate::courses::service::editable;
use crate::domain::QuizPurpose;
use crate::entities::{attempt, attempt_item, course, person, question, quiz};
use crate::error::AppError;

/// Each learner's counted attempt at `quiz_id` among the submitted ones.
pub async fn counted_attempts(
    db: &impl ConnectionTrait,
    q: &quiz::Model,
) -> Result<Vec<attempt::Model>, AppError> {
    let submitted = attempt::Entity::find()
        .filter(attempt::Column::QuizId.eq(q.id))
        .filter(attempt::Column::SubmittedAt.is_not_null())
        .all(db)
        .await?;
    let mut by_person: HashMap<Uuid, Vec<&attempt::Model>> = HashMap::new();
    for a in &submitted {
        by_person.entry(a.person_id).or_default().push(a);
    }
    let chosen: std::collections::HashSet<Uuid> = by_person
        .values()
        .filter_map(|list| counted(q.counting, list))
        .collect();
    let mut out: Vec<attempt::Model> = submitted
        .into_iter()
        .filter(|a| chosen.contains(&a.id))
        .collect();
    // A stable order, so the groups' ties fall the same way on every load.
    out.sort_by_key(|a| (a.person_id, a.number));
    Ok(out)
}

fn group_by_attempt(items: &[attempt_item::Model]) -> HashMap<Uuid, Vec<&attempt_item::Model>> {
    let mut out: HashMap<Uuid, Vec<&attempt_item::Model>> = HashMap::new();
    for i in items {
        out.entry(i.attempt_id).or_default().push(i);
    }
    out
}

/// How often each option of a choice question was picked, in the option order
/// of `q` (a true/false question's are `true` and `false`, for the page to
/// say in the reader's language).
fn option_counts(q: &Question, answers: &[(&attempt_item::Model, &Question)]) -> Vec<OptionCount> {
    let (texts, right): (Vec<String>, Vec<bool>) = match &q.kind {
        Kind::Single { options } | Kind::Multiple { options } => options
            .iter()
            .map(|o| (o.text.clone(), o.weight > 0.0))
            .unzip(),
        Kind::TrueFalse { answer, .. } => (
            vec!["true".to_owned(), "false".to_owned()],
            vec![*answer, !*answer],
        ),
        _ => return Vec::new(),
    };
    let mut counts = vec![0u32; texts.len()];
    for (item, version) in answers {
        let Some(g) = given(item) else { continue };
        match super::deliver::response(version, &arrangement(item), &g) {
            Some(Response::Single(i)) => {
                if let Some(c) = counts.get_mut(i) {
                    *c += 1;
                }
            }
            Some(Response::Multiple(picked)) => {
                for i in picked {
                    if let Some(c) = counts.get_mut(i) {
                        *c += 1;
                    }
                }
            }
            Some(Response::TrueFalse(b)) => counts[usize::from(!b)] += 1,
            _ => {}
        }
    }
    texts
        .into_iter()
        .zip(right)
        .zip(counts)
        .map(|((text, right), count)| OptionCount { text, right, count })
        .collect()
}

/// The item analysis of quiz `id`, for the course's editors.
pub async fn item_analysis(
    db: &impl ConnectionTrait,
    me: &SessionUser,
    id: Uuid,
) -> Result<ItemAnalysis, AppError> {
    let q = quiz::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let course = editable(db, me, q.course_id).await?;
    let all = counted_attempts(db, &q).await?;
    let waiting = all.iter().filter(|a| a.ungraded).count();
    let graded: Vec<&attempt::Model> = all.iter().filter(|a| !a.ungraded).collect();
    let ids: Vec<Uuid> = graded.iter().map(|a| a.id).collect();
    let rows: Vec<attempt_item::Model> = if ids.is_empty() {
        Vec::new()
    } else {
        attempt_item::Entity::find()
            .filter(attempt_item::Column::AttemptId.is_in(ids))
            .all(db)
            .await?
    };
    let wanted: Vec<(Uuid, i32)> = rows.iter().map(|i| (i.question_id, i.version)).collect();
    let bodies = super::bank::bodies(db, &wanted).await?;

    // Items in the order they first appear in an attempt.
    let mut order: Vec<Uuid> = Vec::new();
    let mut sorted: Vec<&attempt_item::Model> = rows.iter().collect();
    sorted.sort_by_key(|i| (i.position, i.question_id));
    for i in &sorted {
        if !order.contains(&i.question_id) {
            order.push(i.question_id);
        }
    }
    let index: HashMap<Uuid, usize> = order.iter().enumerate().map(|(i, q)| (*q, i)).collect();
    let by_attempt = group_by_attempt(&rows);
    let marks: Vec<Marks> = graded
        .iter()
        .map(|a| Marks {
            items: by_attempt
                .get(&a.id)
                .into_iter()
                .flatten()
                .filter_map(|i| Some((*index.get(&i.question_id)?, i.score?, i.points)))
                .collect(),
        })
        .collect();
    let stats = items::analyse(&marks, order.len());
    let heads: HashMap<Uuid, question::Model> = question::Entity::find()
        .filter(question::Column::Id.is_in(order.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|h| (h.id, h))
        .collect();
    let items = order
        .iter()
        .zip(stats)
        .filter_map(|(qid, s)| {
            let head = heads.get(qid)?;
            let answers: Vec<(&attempt_item::Model, &Question)> = rows
                .iter()
                .filter(|i| i.question_id == *qid)
                .filter_map(|i| Some((i, bodies.get(&(i.question_id, i.version))?)))
                .collect();
            // Options as the newest version given names them.
            let newest = answers
                .iter()
                .max_by_key(|(i, _)| i.version)
                .map(|(_, q)| *q);
            Some(ItemRow {
                question_id: *qid,
                name: head.name.clone(),
                competency: head.competency_code.clone(),
                kind: head.kind,
                n: s.n,
                facility: s.facility,
                discrimination: s.discrimination,
                rest_correlation: s.rest_correlation,
                flags: s.flags(),
                options: newest
                    .map(|q| option_counts(q, &answers))
                    .unwrap_or_default(),
            })
        })
        .collect();
    let percents: Vec<f64> = graded
        .iter()
        .filter(|a| a.max_score > 0.0)
        .map(|a| a.score.unwrap_or(0.0) / a.max_score * 100.0)
        .collect();
    Ok(ItemAnalysis {
        quiz_id: q.id,
        title: q.title.clone(),
        course_id: q.course_id,
        course: super::import::course_label(&course),
        learners: graded.len(),
        waiting,
        mean_percent: (!percents.is_empty())
            .then(|| percents.iter().sum::<f64>() / percents.len() as f64),
        alpha: items::alpha(&marks),
        items,
    })
}

/// Percent earned per competency code in one attempt's graded items
/// (untagged questions are left out).
fn by_competency(
    items: &[&attempt_item::Model],
    codes: &HashMap<Uuid, Option<String>>,
) -> HashMap<String, f64> {
    let mut sums: HashMap<String, (f64, f64)> = HashMap::new();
    for i in items {
        let (Some(Some(code)), Some(score)) = (codes.get(&i.question_id), i.score) else {
            continue;
        };
        let e = sums.entry(code.clone()).or_default();
        e.0 += score;
        e.1 += i.points;
    }
    sums.into_iter()
        .filter(|(_, (_, worth))| *worth > 0.0)
        .map(|(code, (earned, worth))| (code, earned / worth * gain::MAX))
        .collect()
}

fn figures(pre: Option<f64>, post: Option<f64>) -> GainFigures {
    let both = pre.zip(post);
    GainFigures {
        pre,
        post,
        raw: both.map(|(a, b)| b - a),
        normalised: both.and_then(|(a, b)| gain::normalised(a, b)),
    }
}

/// Each learner's counted, fully graded attempt at `q`: the attempt's percent
/// and its percent per competency.
async fn scores(
    db: &impl ConnectionTrait,
    q: &quiz::Model,
) -> Result<HashMap<Uuid, (f64, HashMap<String, f64>)>, AppError> {
    let attempts: Vec<attempt::Model> = counted_attempts(db, q)
        .await?
        .into_iter()
        .filter(|a| !a.ungraded && a.max_score > 0.0)
        .collect();
    let ids: Vec<Uuid> = attempts.iter().map(|a| a.id).collect();
    let items = if ids.is_empty() {
        Vec::new()
    } else {
        attempt_item::Entity::find()
            .filter(attempt_item::Column::AttemptId.is_in(ids))
            .all(db)
            .await?
    };
    let qids: Vec<Uuid> = items.iter().map(|i| i.question_id).collect();
    let codes: HashMap<Uuid, Option<String>> = question::Entity::find()
        .filter(question::Column::Id.is_in(qids))
        .all(db)
        .await?
        .into_iter()
        .map(|h| (h.id, h.competency_code))
        .collect();
    let by_attempt = group_by_attempt(&items);
    Ok(attempts
        .iter()
        .map(|a| {
            let own = by_attempt.get(&a.id).map(Vec::as_slice).unwrap_or_default();
            let percent = a.score.unwrap_or(0.0) / a.max_score * gain::MAX;
            (a.person_id, (percent, by_competency(own, &codes)))
        })
        .collect())
}

/// The learning gain from a course's pre-test to its post-test (the first of
/// each), per learner, per competency and for the whole group, over the
/// learners `counts` keeps (everyone for the course's editors, a manager's
/// people for a manager).
pub async fn gain_among(
    db: &impl ConnectionTrait,
    course: &course::Model,
    counts: impl Fn(Uuid) -> bool,
) -> Result<LearningGain, AppError> {
    use sea_orm::QueryOrder;
    let course_id = course.id;
    let quizzes = quiz::Entity::find()
        .filter(quiz::Column::CourseId.eq(course_id))
        .order_by_asc(quiz::Column::CreatedAt)
        .all(db)
        .await?;
    let first = |p: QuizPurpose| quizzes.iter().find(|q| q.purpose == p);
    let (pre_quiz, post_quiz) = (first(QuizPurpose::Pre), first(QuizPurpose::Post));
    let pre = match pre_quiz {
        Some(q) => scores(db, q).await?,
        None => HashMap::new(),
    };
    let post = match post_quiz {
        Some(q) => scores(db, q).await?,
        None => HashMap::new(),
    };
    let mut who: Vec<Uuid> = pre
        .keys()
        .chain(post.keys())
        .copied()
        .filter(|p| counts(*p))
        .collect();
    who.sort();
    who.dedup();
    let mut people: Vec<person::Model> = person::Entity::find()
        .filter(person::Column::Id.is_in(who))
        .all(db)
        .await?;
    people.sort_by(|a, b| a.name_key.cmp(&b.name_key));
    let mut codes: Vec<String> = pre
        .values()
        .chain(post.values())
        .flat_map(|(_, c)| c.keys().cloned())
        .collect();
    codes.sort();
    codes.dedup();
    let rows: Vec<PersonGain> = people
        .iter()
        .map(|p| {
            let (a, b) = (pre.get(&p.id), post.get(&p.id));
            PersonGain {
                person_id: p.id,
                employee_no: p.employee_no.clone(),
                name: p.name.clone(),
                total: figures(a.map(|x| x.0), b.map(|x| x.0)),
                competencies: codes
                    .iter()
                    .filter_map(|c| {
                        let f = figures(
                            a.and_then(|x| x.1.get(c).copied()),
                            b.and_then(|x| x.1.get(c).copied()),
                        );
                        (f.pre.is_some() || f.post.is_some()).then(|| (c.clone(), f))
                    })
                    .collect(),
            }
        })
        .collect();
    let group_of = |code: &str, pick: &dyn Fn(&GainFigures) -> Option<(f64, f64)>| {
        let pairs: Vec<(f64, f64)> = rows
            .iter()
            .filter_map(|r| {
                if code.is_empty() {
                    pick(&r.total)
                } else {
                    r.competencies
                        .iter()
                        .find(|(c, _)| c == code)
                        .and_then(|(_, f)| pick(f))
                }
            })
            .collect();
        gain::group(&pairs).map(|g| GroupGain {
            code: code.to_owned(),
            pairs: g.pairs,
            pre: g.pre,
            post: g.post,
            raw: g.raw,
            normalised: g.normalised,
        })
    };
    let both = |f: &GainFigures| f.pre.zip(f.post);
    let groups = std::iter::once(String::new())
        .chain(codes.iter().cloned())
        .filter_map(|c| group_of(&c, &both))
        .collect();
    let label = |q: Option<&quiz::Model>| q.map(|q| (q.id, q.title.clone()));
    Ok(LearningGain {
        course_id,
        course: super::import::course_label(course),
        pre_quiz: label(pre_quiz),
        post_quiz: label(post_quiz),
        people: rows,
        groups,
    })
}
