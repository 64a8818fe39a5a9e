//! Setting a quiz up (the course's editors) and the quizzes a course page lists.

use std::collections::HashSet;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::draw::{By, Candidate, Rule};
use super::{CourseQuiz, CourseQuizzes, QuizDetail};
use crate::auth::guard::SessionUser;
use crate::common::clock;
use crate::common::validate;
use crate::courses::service::{editable, visible_course};
use crate::domain::{AuditAction, Counting, QuizPurpose, Review, Vocabulary};
use crate::entities::{attempt, question, quiz};
use crate::error::{AppError, FieldError, Problem};
use crate::state::Settings;

/// The most rules a quiz may have, and questions one rule may draw.
pub const MAX_RULES: usize = 30;
pub const MAX_DRAW: u32 = 200;

/// A quiz's settings as the form sends them.
pub struct QuizForm {
    pub title: String,
    pub purpose: String,
    pub time_limit: String,
    pub attempts_allowed: String,
    pub counting: String,
    pub pass_mark: String,
    pub opens_at: String,
    pub closes_at: String,
    pub review: String,
    pub shuffle_questions: bool,
    pub shuffle_options: bool,
    pub published: bool,
}

pub fn rules_of(q: &quiz::Model) -> Vec<Rule> {
    q.rules
        .as_deref()
        .and_then(|r| serde_json::from_str(r).ok())
        .unwrap_or_default()
}

/// The questions a course's quizzes may draw: its own and the shared ones, not
/// archived, in bank order.
pub async fn candidates(
    db: &impl ConnectionTrait,
    course_id: Uuid,
) -> Result<Vec<Candidate>, AppError> {
    use sea_orm::Condition;
    let own_or_shared = question::Entity::find()
        .filter(question::Column::Archived.eq(false))
        .filter(
            Condition::any()
                .add(question::Column::CourseId.eq(course_id))
                .add(question::Column::CourseId.is_null()),
        );
    Ok(super::bank::in_bank_order(own_or_shared)
        .all(db)
        .await?
        .into_iter()
        .map(|q| Candidate {
            id: q.id,
            competency: q.competency_code,
            category: q.category,
            kind: q.kind,
        })
        .collect())
}

async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<quiz::Model, AppError> {
    quiz::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

fn input_time(settings: &Settings, at: Option<chrono::DateTime<Utc>>) -> String {
    at.map(|t| clock::local(settings.timezone, t, clock::INPUT_FORMAT))
        .unwrap_or_default()
}

pub async fn detail(
    db: &impl ConnectionTrait,
    settings: &Settings,
    me: &SessionUser,
    id: Uuid,
) -> Result<QuizDetail, AppError> {
    let q = find(db, id).await?;
    let course = editable(db, me, q.course_id).await?;
    let rules = rules_of(&q);
    let pool = candidates(db, q.course_id).await?;
    let found = rules
        .iter()
        .map(|r| u32::try_from(pool.iter().filter(|c| r.names(c)).count()).unwrap_or(u32::MAX))
        .collect();
    let mut competencies: Vec<String> = pool
        .iter()
        .filter_map(|c| c.competency.clone())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    competencies.sort();
    let mut categories: Vec<String> = pool
        .iter()
        .filter(|c| !c.category.is_empty())
        .map(|c| c.category.clone())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    categories.sort();
    let attempts = attempt::Entity::find()
        .filter(attempt::Column::QuizId.eq(id))
        .count(db)
        .await?;
    Ok(QuizDetail {
        id: q.id,
        course_id: q.course_id,
        course: super::import::course_label(&course),
        title: q.title,
        purpose: q.purpose,
        rules,
        found,
        shuffle_questions: q.shuffle_questions,
        shuffle_options: q.shuffle_options,
        time_limit_minutes: q.time_limit_minutes,
        attempts_allowed: q.attempts_allowed,
        counting: q.counting,
        pass_mark: q.pass_mark,
        opens_at: input_time(settings, q.opens_at),
        closes_at: input_time(settings, q.closes_at),
        review: q.review,
        published: q.published,
        attempts,
        competencies,
        categories,
    })
}

/// `None` for a blank field, else what `check` makes of it.
fn blank_or<T>(
    value: &str,
    check: impl FnOnce(&str) -> Result<T, FieldError>,
) -> Result<Option<T>, FieldError> {
    if value.trim().is_empty() {
        Ok(None)
    } else {
        check(value).map(Some)
    }
}

fn optional_time(
    settings: &Settings,
    field: &str,
    value: &str,
) -> Result<Option<chrono::DateTime<Utc>>, FieldError> {
    blank_or(value, |v| clock::parse_local(settings.timezone, field, v))
}

/// Creates (`id` none) or updates a quiz of `course_id`, all fields checked
/// first.
pub async fn save(
    db: &impl ConnectionTrait,
    settings: &Settings,
    me: &SessionUser,
    id: Option<Uuid>,
    course_id: Uuid,
    form: &QuizForm,
) -> Result<Uuid, AppError> {
    let existing = match id {
        Some(id) => Some(find(db, id).await?),
        None => None,
    };
    let course_id = existing.as_ref().map_or(course_id, |q| q.course_id);
    editable(db, me, course_id).await?;
    let opens_at = optional_time(settings, "opens_at", &form.opens_at);
    let closes_at = match (
        &opens_at,
        optional_time(settings, "closes_at", &form.closes_at),
    ) {
        (Ok(Some(o)), Ok(Some(c))) if c <= *o => {
            Err(FieldError::new("closes_at", Problem::DateOrder))
        }
        (_, closes) => closes,
    };
    let (
        title,
        purpose,
        counting,
        review,
        time_limit,
        attempts_allowed,
        pass_mark,
        opens_at,
        closes_at,
    ) = validate::all((
        validate::text("title", &form.title, 200),
        validate::one_of::<QuizPurpose>("purpose", &form.purpose),
        validate::one_of::<Counting>("counting", &form.counting),
        validate::one_of::<Review>("review", &form.review),
        blank_or(&form.time_limit, |v| {
            validate::number::<i32>("time_limit", v, 1, 600)
        }),
        blank_or(&form.attempts_allowed, |v| {
            validate::number::<i32>("attempts_allowed", v, 0, 100)
        })
        .map(|n| n.unwrap_or(0)),
        validate::number::<f64>("pass_mark", &form.pass_mark, 0.0, 100.0),
        opens_at,
        closes_at,
    ))?;
    let now = Utc::now();
    let (mut row, action) = match existing {
        Some(q) => {
            let next = q.version + 1;
            let mut row = q.into_active_model();
            row.version = Set(next);
            (row, AuditAction::QuizUpdate)
        }
        None => (
            quiz::ActiveModel {
                id: Set(Uuid::new_v4()),
                course_id: Set(course_id),
                rules: Set(None),
                version: Set(1),
                created_by: Set(Some(me.id)),
                created_at: Set(now),
                ..Default::default()
            },
            AuditAction::QuizCreate,
        ),
    };
    row.title = Set(title.clone());
    row.purpose = Set(purpose);
    row.time_limit_minutes = Set(time_limit);
    row.attempts_allowed = Set(attempts_allowed);
    row.counting = Set(counting);
    row.pass_mark = Set(pass_mark);
    row.opens_at = Set(opens_at);
    row.closes_at = Set(closes_at);
    row.review = Set(review);
    row.shuffle_questions = Set(form.shuffle_questions);
    row.shuffle_options = Set(form.shuffle_options);
    row.published = Set(form.published);
    row.updated_at = Set(now);
    let saved = if action == AuditAction::QuizCreate {
        row.insert(db).await?
    } else {
        row.update(db).await?
    };
    crate::audit::Entry::new(me.id, action)
        .on("quiz", saved.id)
        .after(json!({
            "title": title,
            "purpose": purpose.as_str(),
            "published": form.published,
            "time_limit": time_limit,
            "pass_mark": pass_mark,
        }))
        .record(db)
        .await?;
    Ok(saved.id)
}

async fn set_rules(
    db: &impl ConnectionTrait,
    me: &SessionUser,
    q: quiz::Model,
    rules: Vec<Rule>,
) -> Result<(), AppError> {
    let before = rules_of(&q);
    let id = q.id;
    let next = q.version + 1;
    let mut row = q.into_active_model();
    row.version = Set(next);
    row.rules = Set(Some(
        serde_json::to_string(&rules).map_err(AppError::internal)?,
    ));
    row.updated_at = Set(Utc::now());
    row.update(db).await?;
    crate::audit::Entry::new(me.id, AuditAction::QuizUpdate)
        .on("quiz", id)
        .before(json!({ "rules": before }))
        .after(json!({ "rules": rules }))
        .record(db)
        .await?;
    Ok(())
}

pub async fn add_rule(
    db: &impl ConnectionTrait,
    me: &SessionUser,
    id: Uuid,
    by: &str,
    key: &str,
    count: &str,
) -> Result<(), AppError> {
    let q = find(db, id).await?;
    editable(db, me, q.course_id).await?;
    let by = match by.trim() {
        "competency" => Ok(By::Competency),
        "category" => Ok(By::Category),
        other => Err(FieldError::new(
            "by",
            Problem::Invalid {
                value: other.chars().take(20).collect(),
            },
        )),
    };
    let mut rules = rules_of(&q);
    let key = validate::text("key", key, 255).and_then(|key| {
        if rules.len() >= MAX_RULES {
            Err(FieldError::new("key", Problem::Limit { max: MAX_RULES }))
        } else {
            Ok(key)
        }
    });
    let (by, key, count) = validate::all((
        by,
        key,
        blank_or(count, |v| validate::number::<u32>("count", v, 1, MAX_DRAW)),
    ))?;
    rules.push(Rule { by, key, count });
    set_rules(db, me, q, rules).await
}

pub async fn remove_rule(
    db: &impl ConnectionTrait,
    me: &SessionUser,
    id: Uuid,
    index: usize,
) -> Result<(), AppError> {
    let q = find(db, id).await?;
    editable(db, me, q.course_id).await?;
    let mut rules = rules_of(&q);
    if index >= rules.len() {
        return Err(AppError::NotFound);
    }
    rules.remove(index);
    set_rules(db, me, q, rules).await
}

/// Every question `id`'s rules name, in bank order, with the quiz's title: what
/// an export of the quiz holds.
pub async fn questions_named(
    db: &impl ConnectionTrait,
    me: &SessionUser,
    id: Uuid,
) -> Result<(String, Vec<super::question::Question>), AppError> {
    let q = find(db, id).await?;
    editable(db, me, q.course_id).await?;
    let rules = rules_of(&q);
    let named: HashSet<Uuid> = candidates(db, q.course_id)
        .await?
        .into_iter()
        .filter(|c| rules.iter().any(|r| r.names(c)))
        .map(|c| c.id)
        .collect();
    let heads: Vec<question::Model> = super::bank::in_bank_order(
        question::Entity::find().filter(question::Column::Id.is_in(named)),
    )
    .all(db)
    .await?;
    Ok((q.title, super::bank::current_bodies(db, &heads).await?))
}

/// Whether `q` takes attempts at `now`: published, opened and not closed.
pub fn open_at(q: &quiz::Model, now: chrono::DateTime<Utc>) -> bool {
    q.published && q.opens_at.is_none_or(|o| o <= now) && q.closes_at.is_none_or(|c| now < c)
}

/// The attempt that counts among a person's submitted ones.
pub fn counted(counting: Counting, submitted: &[&attempt::Model]) -> Option<Uuid> {
    match counting {
        Counting::First => submitted.iter().min_by_key(|a| a.number),
        Counting::Last => submitted.iter().max_by_key(|a| a.number),
        Counting::Best => submitted.iter().max_by(|a, b| {
            let score = |x: &attempt::Model| x.score.unwrap_or(0.0);
            score(a)
                .total_cmp(&score(b))
                // The earlier of two equal scores.
                .then(b.number.cmp(&a.number))
        }),
    }
    .map(|a| a.id)
}

pub async fn course_quizzes(
    db: &impl ConnectionTrait,
    settings: &Settings,
    me: &SessionUser,
    course_id: Uuid,
) -> Result<CourseQuizzes, AppError> {
    let course = visible_course(db, me, course_id).await?;
    let can_edit = editable(db, me, course_id).await.is_ok();
    let quizzes = quiz::Entity::find()
        .filter(quiz::Column::CourseId.eq(course_id))
        .order_by_asc(quiz::Column::CreatedAt)
        .all(db)
        .await?;
    let ids: Vec<Uuid> = quizzes.iter().map(|q| q.id).collect();
    let mine = attempt::Entity::find()
        .filter(attempt::Column::QuizId.is_in(ids))
        .filter(attempt::Column::PersonId.eq(me.id))
        .all(db)
        .await?;
    let now = Utc::now();
    let shown = |t: Option<chrono::DateTime<Utc>>| t.map(|t| clock::shown(settings.timezone, t));
    let list = quizzes
        .into_iter()
        .filter(|q| q.published || can_edit)
        .map(|q| {
            let own: Vec<&attempt::Model> = mine.iter().filter(|a| a.quiz_id == q.id).collect();
            let open_attempt = own
                .iter()
                .find(|a| a.submitted_at.is_none() && a.deadline_at.is_none_or(|d| now < d))
                .map(|a| a.id);
            let submitted: Vec<&attempt::Model> = own
                .iter()
                .copied()
                .filter(|a| a.submitted_at.is_some())
                .collect();
            let used = i32::try_from(own.len()).unwrap_or(i32::MAX);
            let left = q.attempts_allowed == 0 || used < q.attempts_allowed;
            CourseQuiz {
                id: q.id,
                title: q.title.clone(),
                purpose: q.purpose,
                published: q.published,
                time_limit_minutes: q.time_limit_minutes,
                attempts_allowed: q.attempts_allowed,
                attempts_used: used,
                pass_mark: q.pass_mark,
                opens_at: shown(q.opens_at),
                closes_at: shown(q.closes_at),
                can_start: open_attempt.is_none() && left && open_at(&q, now),
                open_attempt,
                counted: counted(q.counting, &submitted),
            }
        })
        .collect();
    Ok(CourseQuizzes {
        course_id,
        course: super::import::course_label(&course),
        can_edit,
        quizzes: list,
    })
}
