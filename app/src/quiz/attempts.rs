//! Attempts, with the server's clock in charge: the deadline (time limit or the
//! quiz's close, whichever is first) is fixed when the attempt starts; an answer
//! is saved only before it, each with a receipt; an attempt is submitted once,
//! by the learner or at the deadline by the background task, whichever comes
//! first, by one conditional update, so several servers on one database submit
//! it once and a second submit finds the first one's result.
//!
//! While an attempt is open, nothing sent to the learner carries a question's
//! answer, its feedback or any score ([`super::deliver`]).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, TransactionSession, TransactionTrait,
};
use uuid::Uuid;

use super::deliver::{self, Arrangement, Given, Shown};
use super::question::{Kind, Question};
use super::setup::{candidates, open_at, rules_of};
use super::{AttemptPage, AttemptResult, Receipt, ReviewItem, ScoreView, ShownQuestion};
use crate::auth::guard::SessionUser;
use crate::common::clock;
use crate::courses::service::visible_course;
use crate::domain::{QuizPurpose, Review};
use crate::entities::{attempt, attempt_item, question, quiz};
use crate::error::{AppError, Problem};
use crate::state::Settings;

/// Who ended an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Submitter {
    Learner,
    Deadline,
}

impl Submitter {
    fn as_str(self) -> &'static str {
        match self {
            Self::Learner => "learner",
            Self::Deadline => "deadline",
        }
    }
}

fn is_open(a: &attempt::Model, now: DateTime<Utc>) -> bool {
    a.submitted_at.is_none() && a.deadline_at.is_none_or(|d| now < d)
}

async fn find_quiz(db: &impl ConnectionTrait, id: Uuid) -> Result<quiz::Model, AppError> {
    quiz::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The caller's own attempt; anyone else's is not found.
async fn own(
    db: &impl ConnectionTrait,
    me: &SessionUser,
    id: Uuid,
) -> Result<attempt::Model, AppError> {
    attempt::Entity::find_by_id(id)
        .filter(attempt::Column::PersonId.eq(me.id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The questions a person had in the other test of the pair (the pre-test for
/// a post-test, and the other way round) of the same course.
async fn other_form(
    db: &impl ConnectionTrait,
    q: &quiz::Model,
    person: Uuid,
) -> Result<HashSet<Uuid>, AppError> {
    let other = match q.purpose {
        QuizPurpose::Pre => QuizPurpose::Post,
        QuizPurpose::Post => QuizPurpose::Pre,
        QuizPurpose::Practice => return Ok(HashSet::new()),
    };
    let quizzes: Vec<Uuid> = quiz::Entity::find()
        .filter(quiz::Column::CourseId.eq(q.course_id))
        .filter(quiz::Column::Purpose.eq(other))
        .all(db)
        .await?
        .into_iter()
        .map(|q| q.id)
        .collect();
    let attempts: Vec<Uuid> = attempt::Entity::find()
        .filter(attempt::Column::QuizId.is_in(quizzes))
        .filter(attempt::Column::PersonId.eq(person))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.id)
        .collect();
    Ok(attempt_item::Entity::find()
        .filter(attempt_item::Column::AttemptId.is_in(attempts))
        .all(db)
        .await?
        .into_iter()
        .map(|i| i.question_id)
        .collect())
}

/// Starts an attempt for the caller, or returns the one they have open.
pub async fn start(
    db: &DatabaseConnection,
    me: &SessionUser,
    quiz_id: Uuid,
) -> Result<Uuid, AppError> {
    let q = find_quiz(db, quiz_id).await?;
    visible_course(db, me, q.course_id).await?;
    if !q.published {
        return Err(AppError::NotFound);
    }
    let now = Utc::now();
    let mine = attempt::Entity::find()
        .filter(attempt::Column::QuizId.eq(quiz_id))
        .filter(attempt::Column::PersonId.eq(me.id))
        .all(db)
        .await?;
    if let Some(open) = mine.iter().find(|a| is_open(a, now)) {
        return Ok(open.id);
    }
    if !open_at(&q, now) {
        return Err(AppError::Conflict(Problem::QuizClosed));
    }
    let used = i32::try_from(mine.len()).unwrap_or(i32::MAX);
    if q.attempts_allowed > 0 && used >= q.attempts_allowed {
        return Err(AppError::Conflict(Problem::NoAttemptsLeft));
    }
    begin(db, &q, me.id, used + 1, now, &mut StdRng::from_entropy()).await
}

/// Draws (with `rng`) and stores attempt `number` of `person` at `q`, started
/// `now`. Of two at once with the same number, one is stored and both get its
/// id.
pub async fn begin<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    q: &quiz::Model,
    person: Uuid,
    number: i32,
    now: DateTime<Utc>,
    rng: &mut (impl rand::Rng + Send),
) -> Result<Uuid, AppError> {
    let quiz_id = q.id;
    let pool = candidates(db, q.course_id).await?;
    let avoid = other_form(db, q, person).await?;
    let mut chosen = super::draw::draw(&rules_of(q), &pool, &avoid, rng).questions;
    if chosen.is_empty() {
        return Err(AppError::Conflict(Problem::NoQuestions));
    }
    if q.shuffle_questions {
        chosen.shuffle(rng);
    }
    let heads = question::Entity::find()
        .filter(question::Column::Id.is_in(chosen.clone()))
        .all(db)
        .await?;
    let order: HashMap<Uuid, usize> = chosen.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let mut heads = heads;
    heads.sort_by_key(|h| order.get(&h.id).copied().unwrap_or(usize::MAX));
    let bodies = super::bank::current_bodies(db, &heads).await?;

    let deadline = [
        q.time_limit_minutes
            .map(|m| now + chrono::Duration::minutes(i64::from(m))),
        q.closes_at,
    ]
    .into_iter()
    .flatten()
    .min();
    let id = Uuid::now_v7();
    // A description has nothing to answer and is worth nothing.
    let points_of = |head: &question::Model, body: &Question| {
        if matches!(body.kind, Kind::Description) {
            0.0
        } else {
            head.points
        }
    };
    let max: f64 = heads
        .iter()
        .zip(&bodies)
        .map(|(h, b)| points_of(h, b))
        .sum();
    let items: Vec<attempt_item::ActiveModel> = heads
        .iter()
        .zip(&bodies)
        .enumerate()
        .map(|(i, (head, body))| {
            let arrangement = deliver::arrange(body, q.shuffle_options, rng);
            Ok(attempt_item::ActiveModel {
                attempt_id: Set(id),
                position: Set(i32::try_from(i + 1).unwrap_or(i32::MAX)),
                question_id: Set(head.id),
                version: Set(head.current_version),
                arrangement: Set(serde_json::to_string(&arrangement).map_err(AppError::internal)?),
                points: Set(points_of(head, body)),
                answer: Set(None),
                seq: Set(None),
                saved_at: Set(None),
                score: Set(None),
                comment: Set(None),
                graded_by: Set(None),
                graded_at: Set(None),
            })
        })
        .collect::<Result<_, AppError>>()?;
    let txn = db.begin().await?;
    let inserted = attempt::ActiveModel {
        id: Set(id),
        quiz_id: Set(quiz_id),
        person_id: Set(person),
        number: Set(number),
        quiz_version: Set(q.version),
        started_at: Set(now),
        deadline_at: Set(deadline),
        submitted_at: Set(None),
        submitted_by: Set(None),
        last_seq: Set(0),
        last_saved_at: Set(None),
        score: Set(None),
        max_score: Set(max),
        passed: Set(None),
        ungraded: Set(false),
    }
    .insert(&txn)
    .await;
    if let Err(e) = inserted {
        // Two starts at once (a double click, two tabs): the unique attempt
        // number lets one in; the other goes to the attempt that won.
        drop(txn);
        let winner = attempt::Entity::find()
            .filter(attempt::Column::QuizId.eq(quiz_id))
            .filter(attempt::Column::PersonId.eq(person))
            .filter(attempt::Column::Number.eq(number))
            .one(db)
            .await?;
        return winner.map(|a| a.id).ok_or_else(|| e.into());
    }
    crate::common::bulk::insert_chunked(&txn, items, 500).await?;
    txn.commit().await?;
    Ok(id)
}

/// Seconds from start to submission; `None` while the attempt is open.
pub(crate) fn seconds_taken(a: &attempt::Model) -> Option<i64> {
    a.submitted_at
        .map(|s| (s - a.started_at).num_seconds().max(0))
}

/// The stored questions of items, as the attempt was given them.
async fn versions(
    db: &impl ConnectionTrait,
    items: &[attempt_item::Model],
) -> Result<HashMap<(Uuid, i32), Question>, AppError> {
    let wanted: Vec<(Uuid, i32)> = items.iter().map(|i| (i.question_id, i.version)).collect();
    super::bank::bodies(db, &wanted).await
}

pub(crate) fn arrangement(item: &attempt_item::Model) -> Arrangement {
    serde_json::from_str(&item.arrangement).unwrap_or_default()
}

pub(crate) fn given(item: &attempt_item::Model) -> Option<Given> {
    item.answer
        .as_deref()
        .and_then(|a| serde_json::from_str(a).ok())
}

async fn items_of(
    db: &impl ConnectionTrait,
    attempt_id: Uuid,
) -> Result<Vec<attempt_item::Model>, AppError> {
    Ok(attempt_item::Entity::find()
        .filter(attempt_item::Column::AttemptId.eq(attempt_id))
        .order_by_asc(attempt_item::Column::Position)
        .all(db)
        .await?)
}

/// Submits `id` if nobody has: returns whether this call did. The row is
/// claimed first (so a save racing with it waits, then finds it submitted),
/// then the answers are graded.
pub async fn submit<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    id: Uuid,
    by: Submitter,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let txn = db.begin().await?;
    let claimed = attempt::Entity::update_many()
        .col_expr(attempt::Column::SubmittedAt, Expr::value(Some(now)))
        .col_expr(
            attempt::Column::SubmittedBy,
            Expr::value(Some(by.as_str().to_owned())),
        )
        .filter(attempt::Column::Id.eq(id))
        .filter(attempt::Column::SubmittedAt.is_null())
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Ok(false);
    }
    let a = attempt::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let q = find_quiz(&txn, a.quiz_id).await?;
    let items = items_of(&txn, id).await?;
    let questions = versions(&txn, &items).await?;
    let mut total = 0.0;
    let mut ungraded = false;
    for item in &items {
        let score = match (
            questions.get(&(item.question_id, item.version)),
            given(item),
        ) {
            (Some(question), Some(g)) => {
                match deliver::response(question, &arrangement(item), &g)
                    .map(|r| super::grade::grade(&question.kind, &r))
                {
                    Some(Some(share)) => Some(share * item.points),
                    // An essay waits for a trainer.
                    Some(None) if matches!(question.kind, Kind::Essay { .. }) => None,
                    _ => Some(0.0),
                }
            }
            _ => Some(0.0),
        };
        match score {
            Some(s) => total += s,
            None => ungraded = true,
        }
        attempt_item::Entity::update_many()
            .col_expr(attempt_item::Column::Score, Expr::value(score))
            .filter(attempt_item::Column::AttemptId.eq(id))
            .filter(attempt_item::Column::Position.eq(item.position))
            .exec(&txn)
            .await?;
    }
    let percent = if a.max_score > 0.0 {
        total / a.max_score * 100.0
    } else {
        0.0
    };
    let passed = (!ungraded).then_some(percent + 1e-9 >= q.pass_mark);
    attempt::Entity::update_many()
        .col_expr(attempt::Column::Score, Expr::value(Some(total)))
        .col_expr(attempt::Column::Passed, Expr::value(passed))
        .col_expr(attempt::Column::Ungraded, Expr::value(ungraded))
        .filter(attempt::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(true)
}

/// The learner's submit. After the deadline it counts as submitted at the
/// deadline (answers saved after it were refused anyway).
pub async fn submit_own(
    db: &DatabaseConnection,
    me: &SessionUser,
    id: Uuid,
) -> Result<(), AppError> {
    let a = own(db, me, id).await?;
    let now = Utc::now();
    let by = if a.deadline_at.is_some_and(|d| d <= now) {
        Submitter::Deadline
    } else {
        Submitter::Learner
    };
    submit(db, id, by, now).await?;
    Ok(())
}

/// Submits every attempt whose deadline has passed; returns how many this call
/// submitted (another server may have taken some).
pub async fn submit_overdue(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<u64, AppError> {
    let due: Vec<Uuid> = attempt::Entity::find()
        .select_only()
        .column(attempt::Column::Id)
        .filter(attempt::Column::SubmittedAt.is_null())
        .filter(attempt::Column::DeadlineAt.lte(now))
        .limit(1000)
        .into_tuple::<Uuid>()
        .all(db)
        .await?;
    let mut done = 0;
    for id in due {
        if submit(db, id, Submitter::Deadline, now).await? {
            done += 1;
        }
    }
    Ok(done)
}

/// An answer as the form sends it.
pub struct AnswerForm {
    pub choice: Option<String>,
    pub text: Option<String>,
    pub picks: HashMap<String, String>,
}

/// The most characters a typed answer or essay keeps.
pub const ANSWER_MAX: usize = 20_000;

fn place(field: &str, value: &str) -> Result<usize, AppError> {
    value.trim().parse::<usize>().map_err(|_| {
        AppError::field(
            field,
            Problem::Invalid {
                value: value.chars().take(20).collect(),
            },
        )
    })
}

/// The form key of the `i`th option, prompt or item shown: `picks[p3]`. It
/// starts with a letter because serde_qs reads a bracketed number as a list
/// index.
pub fn pick_key(i: usize) -> String {
    format!("p{i}")
}

/// The form read in the terms of what was shown.
fn read_answer(shown: &Shown, form: &AnswerForm) -> Result<Given, AppError> {
    let choice = form.choice.as_deref().map(str::trim).unwrap_or("");
    let text = || {
        let t = form.text.clone().unwrap_or_default();
        if t.chars().count() > ANSWER_MAX {
            Err(AppError::field(
                "text",
                Problem::TooLong { max: ANSWER_MAX },
            ))
        } else {
            Ok(t)
        }
    };
    Ok(match shown {
        Shown::Single { .. } => {
            if choice.is_empty() {
                return Err(AppError::field("choice", Problem::Required));
            }
            Given::Single(place("choice", choice)?)
        }
        Shown::Multiple { .. } => {
            let mut places = form
                .picks
                .keys()
                .map(|k| place("picks", k.trim_start_matches('p')))
                .collect::<Result<Vec<_>, _>>()?;
            places.sort_unstable();
            Given::Multiple(places)
        }
        Shown::TrueFalse => match choice {
            "true" => Given::TrueFalse(true),
            "false" => Given::TrueFalse(false),
            _ => return Err(AppError::field("choice", Problem::Required)),
        },
        Shown::Numeric { .. } | Shown::Short => Given::Typed(text()?),
        Shown::Essay => Given::Essay(text()?),
        Shown::Matching { prompts, .. } => Given::Matching(
            (0..prompts.len())
                .map(|i| match form.picks.get(&pick_key(i)).map(|v| v.trim()) {
                    None | Some("") => Ok(None),
                    Some(v) => place("picks", v).map(Some),
                })
                .collect::<Result<_, _>>()?,
        ),
        Shown::Ordering { items } => {
            // Each shown item gets a rank; sorted by rank they are the order
            // given (ties keep the shown order).
            let mut ranked = (0..items.len())
                .map(|i| {
                    let rank = match form.picks.get(&pick_key(i)).map(|v| v.trim()) {
                        None | Some("") => usize::MAX,
                        Some(v) => place("picks", v)?,
                    };
                    Ok((rank, i))
                })
                .collect::<Result<Vec<_>, AppError>>()?;
            ranked.sort_unstable();
            Given::Ordering(ranked.into_iter().map(|(_, i)| i).collect())
        }
        Shown::Description => return Err(AppError::field("choice", Problem::Required)),
    })
}

fn receipt(settings: &Settings, seq: i32, at: DateTime<Utc>) -> Receipt {
    Receipt {
        seq,
        saved_at: clock::local(settings.timezone, at, "%Y-%m-%d %H:%M:%S"),
    }
}

/// Saves the answer to question `position`, before the deadline only.
pub async fn save(
    db: &DatabaseConnection,
    settings: &Settings,
    me: &SessionUser,
    id: Uuid,
    position: i32,
    form: &AnswerForm,
) -> Result<Receipt, AppError> {
    own(db, me, id).await?;
    let item = attempt_item::Entity::find()
        .filter(attempt_item::Column::AttemptId.eq(id))
        .filter(attempt_item::Column::Position.eq(position))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let question = versions(db, std::slice::from_ref(&item))
        .await?
        .remove(&(item.question_id, item.version))
        .ok_or(AppError::NotFound)?;
    let arranged = arrangement(&item);
    let given = read_answer(&deliver::show(&question, &arranged), form)?;
    if deliver::response(&question, &arranged, &given).is_none() {
        return Err(AppError::field(
            "choice",
            Problem::Invalid {
                value: String::new(),
            },
        ));
    }
    let now = Utc::now();
    let txn = db.begin().await?;
    // The write first, conditional on the clock: past the deadline or once
    // submitted, nothing is saved.
    let counted = attempt::Entity::update_many()
        .col_expr(attempt::Column::LastSeq, {
            // In a block: ExprTrait in scope shadows `Ord::max` elsewhere.
            use sea_orm::sea_query::ExprTrait;
            Expr::col(attempt::Column::LastSeq).add(1)
        })
        .col_expr(attempt::Column::LastSavedAt, Expr::value(Some(now)))
        .filter(attempt::Column::Id.eq(id))
        .filter(attempt::Column::PersonId.eq(me.id))
        .filter(attempt::Column::SubmittedAt.is_null())
        .filter(
            Condition::any()
                .add(attempt::Column::DeadlineAt.is_null())
                .add(attempt::Column::DeadlineAt.gt(now)),
        )
        .exec(&txn)
        .await?;
    if counted.rows_affected != 1 {
        return Err(AppError::Conflict(Problem::AttemptOver));
    }
    let seq = attempt::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?
        .last_seq;
    attempt_item::Entity::update_many()
        .col_expr(
            attempt_item::Column::Answer,
            Expr::value(Some(
                serde_json::to_string(&given).map_err(AppError::internal)?,
            )),
        )
        .col_expr(attempt_item::Column::Seq, Expr::value(Some(seq)))
        .col_expr(attempt_item::Column::SavedAt, Expr::value(Some(now)))
        .filter(attempt_item::Column::AttemptId.eq(id))
        .filter(attempt_item::Column::Position.eq(position))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(receipt(settings, seq, now))
}

/// The right answer of `q`, in words (`true`/`false` for a true/false
/// question: the page says them in the reader's language).
pub fn key_lines(q: &Question) -> Vec<String> {
    let weighted = |text: &str, weight: f64| {
        if weight >= 100.0 {
            text.to_owned()
        } else {
            format!("{text} ({weight}%)")
        }
    };
    match &q.kind {
        Kind::Single { options } | Kind::Multiple { options } => options
            .iter()
            .filter(|o| o.weight > 0.0)
            .map(|o| weighted(&o.text, o.weight))
            .collect(),
        Kind::TrueFalse { answer, .. } => vec![answer.to_string()],
        Kind::Numeric { answers, .. } => answers
            .iter()
            .filter(|a| a.weight > 0.0)
            .map(|a| weighted(&format!("{} ± {}", a.value, a.tolerance), a.weight))
            .collect(),
        Kind::Short { answers, .. } => answers
            .iter()
            .filter(|a| a.weight > 0.0)
            .map(|a| weighted(&a.text, a.weight))
            .collect(),
        Kind::Matching { pairs } => pairs
            .iter()
            .filter(|p| !p.prompt.trim().is_empty())
            .map(|p| format!("{} → {}", p.prompt, p.answer))
            .collect(),
        Kind::Ordering { items } => vec![items.join(" → ")],
        Kind::Essay { rubric } => vec![rubric.clone()],
        Kind::Description => Vec::new(),
    }
}

async fn result(
    db: &impl ConnectionTrait,
    settings: &Settings,
    q: &quiz::Model,
    a: &attempt::Model,
    items: &[attempt_item::Model],
) -> Result<AttemptResult, AppError> {
    let now = Utc::now();
    let tz = settings.timezone;
    let visible = match q.review {
        Review::Immediately => true,
        Review::AfterClose => q.closes_at.is_none_or(|c| c <= now),
        Review::Never => false,
    };
    let review = if visible {
        let questions = versions(db, items).await?;
        items
            .iter()
            .filter_map(|i| {
                let question = questions.get(&(i.question_id, i.version))?;
                Some(ReviewItem {
                    position: i.position,
                    text_html: super::bank::text_html(question.format, &question.text),
                    points: i.points,
                    score: i.score,
                    key: key_lines(question),
                    feedback: question.general_feedback.clone(),
                    comment: i.comment.clone(),
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(AttemptResult {
        submitted_at: a
            .submitted_at
            .map(|t| clock::local(tz, t, "%Y-%m-%d %H:%M:%S"))
            .unwrap_or_default(),
        by_deadline: a.submitted_by.as_deref() == Some(Submitter::Deadline.as_str()),
        seconds: seconds_taken(a).unwrap_or(0),
        answered: items.iter().filter(|i| i.answer.is_some()).count(),
        total: items.len(),
        last_receipt: a.last_saved_at.map(|t| receipt(settings, a.last_seq, t)),
        score: visible.then(|| {
            let score = a.score.unwrap_or(0.0);
            ScoreView {
                score,
                max: a.max_score,
                percent: if a.max_score > 0.0 {
                    score / a.max_score * 100.0
                } else {
                    0.0
                },
                passed: a.passed,
                ungraded: a.ungraded,
            }
        }),
        review,
    })
}

/// The attempt page: question `position` while open (with the time left by the
/// server's clock), what was stored once submitted.
pub async fn page(
    db: &DatabaseConnection,
    settings: &Settings,
    me: &SessionUser,
    id: Uuid,
    position: i32,
) -> Result<AttemptPage, AppError> {
    let mut a = own(db, me, id).await?;
    let now = Utc::now();
    if a.submitted_at.is_none() && a.deadline_at.is_some_and(|d| d <= now) {
        // Past its deadline and the background task has not come by yet.
        submit(db, id, Submitter::Deadline, now).await?;
        a = own(db, me, id).await?;
    }
    let q = find_quiz(db, a.quiz_id).await?;
    let items = items_of(db, id).await?;
    let total = i32::try_from(items.len()).unwrap_or(i32::MAX);
    let position = position.clamp(1, total.max(1));
    let answered = items.iter().map(|i| i.answer.is_some()).collect();
    let receipt_now = a.last_saved_at.map(|t| receipt(settings, a.last_seq, t));
    if a.submitted_at.is_some() {
        return Ok(AttemptPage {
            id,
            quiz_title: q.title.clone(),
            course_id: q.course_id,
            position,
            total,
            seconds_left: None,
            deadline: None,
            question: None,
            answered,
            receipt: receipt_now,
            result: Some(result(db, settings, &q, &a, &items).await?),
        });
    }
    let item = items
        .iter()
        .find(|i| i.position == position)
        .ok_or(AppError::NotFound)?;
    let question = versions(db, std::slice::from_ref(item))
        .await?
        .remove(&(item.question_id, item.version))
        .ok_or(AppError::NotFound)?;
    let shown = deliver::show(&question, &arrangement(item));
    Ok(AttemptPage {
        id,
        quiz_title: q.title,
        course_id: q.course_id,
        position,
        total,
        seconds_left: a.deadline_at.map(|d| (d - now).num_seconds().max(0)),
        deadline: a.deadline_at.map(|d| clock::shown(settings.timezone, d)),
        question: Some(ShownQuestion {
            position,
            text_html: super::bank::text_html(question.format, &question.text),
            shown,
            given: given(item),
        }),
        answered,
        receipt: receipt_now,
        result: None,
    })
}
