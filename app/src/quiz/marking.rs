//! Marking by hand and regrading: the queue of essays waiting for a trainer,
//! a trainer's mark with a comment, and the regrade of every submitted attempt
//! after a question's key is corrected. Each changes an attempt's score, so
//! each recomputes it and is audited.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, TransactionSession,
    TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::attempts::{arrangement, given};
use super::deliver;
use super::question::{Kind, Question};
use super::{EssayToMark, MarkingQueue};
use crate::auth::Role;
use crate::auth::guard::SessionUser;
use crate::common::clock;
use crate::courses::service::editable;
use crate::domain::AuditAction;
use crate::entities::{attempt, attempt_item, course_owner, person, question, quiz};
use crate::error::AppError;
use crate::state::Settings;

/// Essays per page of the queue.
pub const PAGE: usize = 20;

/// Sets an attempt's score, pass and whether anything waits for a mark from its
/// items as they are now.
pub async fn rescore(
    db: &impl ConnectionTrait,
    attempt_id: Uuid,
    pass_mark: f64,
) -> Result<(), AppError> {
    let a = attempt::Entity::find_by_id(attempt_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let items = attempt_item::Entity::find()
        .filter(attempt_item::Column::AttemptId.eq(attempt_id))
        .all(db)
        .await?;
    let total: f64 = items.iter().filter_map(|i| i.score).sum();
    let ungraded = items.iter().any(|i| i.score.is_none());
    let percent = if a.max_score > 0.0 {
        total / a.max_score * 100.0
    } else {
        0.0
    };
    let passed = (!ungraded).then_some(percent + 1e-9 >= pass_mark);
    attempt::Entity::update_many()
        .col_expr(attempt::Column::Score, Expr::value(Some(total)))
        .col_expr(attempt::Column::Passed, Expr::value(passed))
        .col_expr(attempt::Column::Ungraded, Expr::value(ungraded))
        .filter(attempt::Column::Id.eq(attempt_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Quizzes whose attempts the caller marks: every quiz for an admin, else
/// those of the courses they own.
async fn markable_quizzes(
    db: &impl ConnectionTrait,
    me: &SessionUser,
) -> Result<Vec<quiz::Model>, AppError> {
    let mut select = quiz::Entity::find();
    if !me.has(Role::Admin) {
        let owned: Vec<Uuid> = course_owner::Entity::find()
            .filter(course_owner::Column::PersonId.eq(me.id))
            .all(db)
            .await?
            .into_iter()
            .map(|o| o.course_id)
            .collect();
        select = select.filter(quiz::Column::CourseId.is_in(owned));
    }
    Ok(select.all(db).await?)
}

/// The essays waiting for a mark in the caller's quizzes, oldest submission
/// first, a page at a time.
pub async fn queue(
    db: &impl ConnectionTrait,
    settings: &Settings,
    me: &SessionUser,
    page: usize,
) -> Result<MarkingQueue, AppError> {
    let quizzes: HashMap<Uuid, quiz::Model> = markable_quizzes(db, me)
        .await?
        .into_iter()
        .map(|q| (q.id, q))
        .collect();
    let waiting: Vec<attempt::Model> = attempt::Entity::find()
        .filter(attempt::Column::QuizId.is_in(quizzes.keys().copied().collect::<Vec<_>>()))
        .filter(attempt::Column::SubmittedAt.is_not_null())
        .filter(attempt::Column::Ungraded.eq(true))
        .order_by_asc(attempt::Column::SubmittedAt)
        .order_by_asc(attempt::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<Uuid> = waiting.iter().map(|a| a.id).collect();
    let mut items: Vec<attempt_item::Model> = if ids.is_empty() {
        Vec::new()
    } else {
        attempt_item::Entity::find()
            .filter(attempt_item::Column::AttemptId.is_in(ids))
            .filter(attempt_item::Column::Score.is_null())
            .all(db)
            .await?
    };
    let rank: HashMap<Uuid, usize> = waiting.iter().enumerate().map(|(i, a)| (a.id, i)).collect();
    items.sort_by_key(|i| (rank[&i.attempt_id], i.position));
    let total = items.len();
    let pages = total.div_ceil(PAGE).max(1);
    let page = page.clamp(1, pages);
    let shown: Vec<&attempt_item::Model> =
        items.iter().skip((page - 1) * PAGE).take(PAGE).collect();
    let wanted: Vec<(Uuid, i32)> = shown.iter().map(|i| (i.question_id, i.version)).collect();
    let bodies = super::bank::bodies(db, &wanted).await?;
    let attempts: HashMap<Uuid, &attempt::Model> = waiting.iter().map(|a| (a.id, a)).collect();
    let people: HashMap<Uuid, String> = person::Entity::find()
        .filter(person::Column::Id.is_in(waiting.iter().map(|a| a.person_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let rows = shown
        .into_iter()
        .filter_map(|i| {
            let a = attempts.get(&i.attempt_id)?;
            let q = quizzes.get(&a.quiz_id)?;
            let body = bodies.get(&(i.question_id, i.version))?;
            Some(essay_row(settings, q, a, i, body, people.get(&a.person_id)))
        })
        .collect();
    Ok(MarkingQueue {
        rows,
        total: total as u64,
        page: page as u64,
        pages: pages as u64,
    })
}

fn essay_row(
    settings: &Settings,
    q: &quiz::Model,
    a: &attempt::Model,
    i: &attempt_item::Model,
    body: &Question,
    learner: Option<&String>,
) -> EssayToMark {
    let answer = match given(i) {
        Some(deliver::Given::Essay(text)) => text,
        _ => String::new(),
    };
    EssayToMark {
        attempt_id: a.id,
        position: i.position,
        quiz_id: q.id,
        quiz_title: q.title.clone(),
        learner: learner.cloned().unwrap_or_default(),
        submitted_at: a
            .submitted_at
            .map(|t| clock::shown(settings.timezone, t))
            .unwrap_or_default(),
        text_html: super::bank::text_html(body.format, &body.text),
        rubric: match &body.kind {
            Kind::Essay { rubric } => rubric.clone(),
            _ => String::new(),
        },
        answer,
        points: i.points,
    }
}

/// A trainer's mark (and comment) for an essay of a submitted attempt. Marking
/// again changes the mark; every mark is audited with the one before.
pub async fn mark<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    me: &SessionUser,
    attempt_id: Uuid,
    position: i32,
    score: &str,
    comment: &str,
) -> Result<(), AppError> {
    let a = attempt::Entity::find_by_id(attempt_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let q = quiz::Entity::find_by_id(a.quiz_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    editable(db, me, q.course_id).await?;
    if a.submitted_at.is_none() {
        return Err(AppError::NotFound);
    }
    let item = attempt_item::Entity::find_by_id((attempt_id, position))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let body = super::bank::bodies(db, &[(item.question_id, item.version)])
        .await?
        .remove(&(item.question_id, item.version))
        .ok_or(AppError::NotFound)?;
    if !matches!(body.kind, Kind::Essay { .. }) {
        return Err(AppError::NotFound);
    }
    let (value, comment) = crate::common::validate::all((
        crate::common::validate::number("score", score, 0.0, item.points),
        crate::common::validate::optional_text("comment", comment, 4000),
    ))?;
    let txn = db.begin().await?;
    attempt_item::Entity::update_many()
        .col_expr(attempt_item::Column::Score, Expr::value(Some(value)))
        .col_expr(attempt_item::Column::Comment, Expr::value(comment.clone()))
        .col_expr(attempt_item::Column::GradedBy, Expr::value(Some(me.id)))
        .col_expr(
            attempt_item::Column::GradedAt,
            Expr::value(Some(Utc::now())),
        )
        .filter(attempt_item::Column::AttemptId.eq(attempt_id))
        .filter(attempt_item::Column::Position.eq(position))
        .exec(&txn)
        .await?;
    rescore(&txn, attempt_id, q.pass_mark).await?;
    crate::audit::Entry::new(me.id, AuditAction::AttemptGrade)
        .on("attempt", attempt_id)
        .before(json!({ "position": position, "score": item.score }))
        .after(json!({ "position": position, "score": value, "comment": comment }))
        .record(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Whether an answer given to `old` can be graded by `new`'s key: the same
/// type, with as many options, items or pairs (the stored arrangement points
/// into them by place).
fn same_shape(old: &Question, new: &Question) -> bool {
    match (&old.kind, &new.kind) {
        (Kind::Single { options: a }, Kind::Single { options: b })
        | (Kind::Multiple { options: a }, Kind::Multiple { options: b }) => a.len() == b.len(),
        (Kind::TrueFalse { .. }, Kind::TrueFalse { .. })
        | (Kind::Numeric { .. }, Kind::Numeric { .. })
        | (Kind::Short { .. }, Kind::Short { .. }) => true,
        (Kind::Matching { pairs: a }, Kind::Matching { pairs: b }) => {
            a.iter().map(|p| &p.answer).collect::<Vec<_>>()
                == b.iter().map(|p| &p.answer).collect::<Vec<_>>()
        }
        (Kind::Ordering { items: a }, Kind::Ordering { items: b }) => a.len() == b.len(),
        _ => false,
    }
}

/// What a regrade did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Regraded {
    pub answers: usize,
    pub attempts: usize,
    /// Answers left with their old key: the question changed shape.
    pub left: usize,
}

/// Submitted answers to `question_id` given under an earlier version than the
/// current one, with whether each can be regraded.
pub async fn earlier_answers(
    db: &impl ConnectionTrait,
    question_id: Uuid,
) -> Result<(i32, Vec<attempt_item::Model>), AppError> {
    let head = question::Entity::find_by_id(question_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let items = attempt_item::Entity::find()
        .filter(attempt_item::Column::QuestionId.eq(question_id))
        .filter(attempt_item::Column::Version.lt(head.current_version))
        .filter(attempt_item::Column::Score.is_not_null())
        .all(db)
        .await?;
    Ok((head.current_version, items))
}

/// Grades again, by the question's current key, every submitted answer given
/// under an earlier version, and moves those answers to the current version (so
/// the review shows the key they were graded by). Hand marks are kept.
pub async fn regrade<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    me: &SessionUser,
    question_id: Uuid,
) -> Result<Regraded, AppError> {
    let txn = db.begin().await?;
    let (current, items) = earlier_answers(&txn, question_id).await?;
    let mut wanted: Vec<(Uuid, i32)> = items.iter().map(|i| (question_id, i.version)).collect();
    wanted.push((question_id, current));
    wanted.sort();
    wanted.dedup();
    let bodies = super::bank::bodies(&txn, &wanted).await?;
    let new = bodies
        .get(&(question_id, current))
        .ok_or(AppError::NotFound)?;
    let attempt_ids: HashSet<Uuid> = items.iter().map(|i| i.attempt_id).collect();
    let open: HashSet<Uuid> = attempt::Entity::find()
        .filter(attempt::Column::Id.is_in(attempt_ids.iter().copied().collect::<Vec<_>>()))
        .filter(attempt::Column::SubmittedAt.is_null())
        .all(&txn)
        .await?
        .into_iter()
        .map(|a| a.id)
        .collect();
    let mut done = Regraded::default();
    let mut touched: HashSet<Uuid> = HashSet::new();
    for item in &items {
        let old = bodies.get(&(question_id, item.version));
        if open.contains(&item.attempt_id) || item.graded_by.is_some() {
            continue;
        }
        if !old.is_some_and(|o| same_shape(o, new)) {
            done.left += 1;
            continue;
        }
        let share = given(item)
            .and_then(|g| deliver::response(new, &arrangement(item), &g))
            .and_then(|r| super::grade::grade(&new.kind, &r))
            .unwrap_or(0.0);
        attempt_item::Entity::update_many()
            .col_expr(
                attempt_item::Column::Score,
                Expr::value(Some(share * item.points)),
            )
            .col_expr(attempt_item::Column::Version, Expr::value(current))
            .filter(attempt_item::Column::AttemptId.eq(item.attempt_id))
            .filter(attempt_item::Column::Position.eq(item.position))
            .exec(&txn)
            .await?;
        done.answers += 1;
        touched.insert(item.attempt_id);
    }
    let attempts = attempt::Entity::find()
        .filter(attempt::Column::Id.is_in(touched.iter().copied().collect::<Vec<_>>()))
        .all(&txn)
        .await?;
    let pass_marks: HashMap<Uuid, f64> = quiz::Entity::find()
        .filter(quiz::Column::Id.is_in(attempts.iter().map(|a| a.quiz_id).collect::<Vec<_>>()))
        .all(&txn)
        .await?
        .into_iter()
        .map(|q| (q.id, q.pass_mark))
        .collect();
    for a in &attempts {
        rescore(
            &txn,
            a.id,
            pass_marks.get(&a.quiz_id).copied().unwrap_or(0.0),
        )
        .await?;
    }
    done.attempts = touched.len();
    crate::audit::Entry::new(me.id, AuditAction::QuestionRegrade)
        .on("question", question_id)
        .after(json!({
            "version": current,
            "answers": done.answers,
            "attempts": done.attempts,
            "left": done.left,
        }))
        .record(&txn)
        .await?;
    txn.commit().await?;
    Ok(done)
}
