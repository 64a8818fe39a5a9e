//! A rater's side of the follow-ups: their list, one follow-up's questions,
//! and saving the answers once.

use std::collections::HashMap;

use chrono::Utc;
use chrono_tz::Tz;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;

use super::{
    AskedCompetency, FREQUENCY, FollowUpForm, FollowUpLists, FollowUpState, FollowUpSummary,
    LEVELS, MAX_PLAN, frequency_field, level_field,
};
use crate::auth::guard::SessionUser;
use crate::common::clock;
use crate::common::validate::{self, Fields};
use crate::domain::{FollowUpStatus, RaterType, Vocabulary};
use crate::entities::{
    assignment, competency, course, course_competency, follow_up, follow_up_answer, framework,
    person,
};
use crate::error::{AppError, Problem};

/// How many answered or expired follow-ups the list keeps.
const DONE_SHOWN: u64 = 20;

pub async fn mine(
    db: &DatabaseConnection,
    tz: Tz,
    me: &SessionUser,
) -> Result<FollowUpLists, AppError> {
    let open = follow_up::Entity::find()
        .filter(follow_up::Column::RaterId.eq(me.id))
        .filter(follow_up::Column::Status.eq(FollowUpStatus::Open))
        .order_by_asc(follow_up::Column::DueAt)
        .all(db)
        .await?;
    let done = follow_up::Entity::find()
        .filter(follow_up::Column::RaterId.eq(me.id))
        .filter(follow_up::Column::Status.ne(FollowUpStatus::Open))
        .order_by_desc(follow_up::Column::DueAt)
        .limit(DONE_SHOWN)
        .all(db)
        .await?;
    let courses = titles(db, open.iter().chain(&done).map(|f| f.course_id)).await?;
    let people = names(db, open.iter().chain(&done).map(|f| f.subject_id)).await?;
    let summary = |f: follow_up::Model| FollowUpSummary {
        id: f.id,
        course: courses.get(&f.course_id).cloned().unwrap_or_default(),
        subject: people.get(&f.subject_id).cloned().unwrap_or_default(),
        rater_type: f.rater_type,
        wave: f.wave,
        due: clock::local(tz, f.due_at, "%Y-%m-%d"),
        status: f.status,
    };
    Ok(FollowUpLists {
        open: open.into_iter().map(summary).collect(),
        done: done.into_iter().map(summary).collect(),
    })
}

async fn titles(
    db: &impl ConnectionTrait,
    ids: impl Iterator<Item = Uuid>,
) -> Result<HashMap<Uuid, String>, AppError> {
    Ok(course::Entity::find()
        .filter(course::Column::Id.is_in(ids.collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.title))
        .collect())
}

async fn names(
    db: &impl ConnectionTrait,
    ids: impl Iterator<Item = Uuid>,
) -> Result<HashMap<Uuid, String>, AppError> {
    Ok(person::Entity::find()
        .filter(person::Column::Id.is_in(ids.collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect())
}

/// The caller's own follow-up; anyone else's is not found.
async fn own(
    db: &impl ConnectionTrait,
    me: &SessionUser,
    id: Uuid,
) -> Result<follow_up::Model, AppError> {
    follow_up::Entity::find_by_id(id)
        .filter(follow_up::Column::RaterId.eq(me.id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The competencies a course raises, named and described by the newest
/// current framework that holds each code, in code order.
pub async fn asked(
    db: &impl ConnectionTrait,
    course_id: Uuid,
) -> Result<Vec<AskedCompetency>, AppError> {
    let raises = course_competency::Entity::find()
        .filter(course_competency::Column::CourseId.eq(course_id))
        .order_by_asc(course_competency::Column::Code)
        .all(db)
        .await?;
    let described = described(db, raises.iter().map(|r| r.code.clone()).collect()).await?;
    Ok(raises
        .into_iter()
        .map(|r| {
            let (name, levels) = described
                .get(&r.code)
                .cloned()
                .unwrap_or_else(|| (r.code.clone(), Vec::new()));
            AskedCompetency {
                code: r.code,
                name,
                levels,
                course_level: r.level,
            }
        })
        .collect())
}

/// code → (name, the five level descriptors), from the newest version of a
/// framework that is not archived.
pub async fn described(
    db: &impl ConnectionTrait,
    codes: Vec<String>,
) -> Result<HashMap<String, (String, Vec<String>)>, AppError> {
    let rows = competency::Entity::find()
        .filter(competency::Column::Code.is_in(codes))
        .filter(competency::Column::Archived.eq(false))
        .all(db)
        .await?;
    let versions: HashMap<Uuid, i32> = framework::Entity::find()
        .filter(
            framework::Column::Id.is_in(rows.iter().map(|c| c.framework_id).collect::<Vec<_>>()),
        )
        .filter(framework::Column::Archived.eq(false))
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, f.version))
        .collect();
    let mut best: HashMap<String, (i32, String, Vec<String>)> = HashMap::new();
    for c in rows {
        let Some(&version) = versions.get(&c.framework_id) else {
            continue;
        };
        if best.get(&c.code).is_none_or(|(v, _, _)| *v < version) {
            let levels = vec![c.level_1, c.level_2, c.level_3, c.level_4, c.level_5];
            best.insert(c.code.clone(), (version, c.name, levels));
        }
    }
    Ok(best
        .into_iter()
        .map(|(code, (_, name, levels))| (code, (name, levels)))
        .collect())
}

pub async fn form(
    db: &DatabaseConnection,
    tz: Tz,
    me: &SessionUser,
    id: Uuid,
) -> Result<FollowUpForm, AppError> {
    let f = own(db, me, id).await?;
    let course = course::Entity::find_by_id(f.course_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let subject = person::Entity::find_by_id(f.subject_id)
        .one(db)
        .await?
        .map(|p| p.name)
        .unwrap_or_default();
    let completed = assignment::Entity::find_by_id(f.assignment_id)
        .one(db)
        .await?
        .and_then(|a| a.completed_at)
        .map(|at| clock::local(tz, at, "%Y-%m-%d"))
        .unwrap_or_default();
    let state = match (f.status, f.submitted_at) {
        (FollowUpStatus::Submitted, Some(at)) => {
            FollowUpState::Submitted(clock::local(tz, at, "%Y-%m-%d"))
        }
        (FollowUpStatus::Open, _) if f.due_at > Utc::now() => FollowUpState::Open,
        (FollowUpStatus::Submitted, None) => FollowUpState::Submitted(String::new()),
        _ => FollowUpState::Expired,
    };
    Ok(FollowUpForm {
        id: f.id,
        course: course.title,
        subject,
        rater_type: f.rater_type,
        wave: f.wave,
        completed_on: completed,
        due: clock::local(tz, f.due_at, "%Y-%m-%d"),
        state,
        competencies: asked(db, f.course_id).await?,
    })
}

/// A follow-up's answers as typed, keyed by competency code.
pub struct Answers {
    pub levels: HashMap<String, String>,
    pub frequencies: HashMap<String, String>,
    pub action_plan: String,
}

/// Checks every answer first and writes nothing unless all are right; a
/// second submit (another tab, a double click) is refused, not merged.
pub async fn submit(
    db: &DatabaseConnection,
    me: &SessionUser,
    id: Uuid,
    answers: Answers,
) -> Result<(), AppError> {
    let f = own(db, me, id).await?;
    let now = Utc::now();
    match f.status {
        FollowUpStatus::Submitted => return Err(AppError::Conflict(Problem::AlreadySubmitted)),
        FollowUpStatus::Expired => return Err(AppError::Conflict(Problem::NotOpen)),
        FollowUpStatus::Open if f.due_at <= now || f.opens_at > now => {
            return Err(AppError::Conflict(Problem::NotOpen));
        }
        FollowUpStatus::Open => {}
    }
    let asked = asked(db, f.course_id).await?;
    let mut fields = Fields::new();
    let mut rows = Vec::new();
    for c in &asked {
        let pick = |map: &HashMap<String, String>, field: String, (low, high): (i32, i32)| match map
            .get(&c.code)
            .map(|v| v.trim())
            .unwrap_or("")
        {
            "" => Err(crate::error::FieldError::new(field, Problem::Required)),
            typed => validate::number(&field, typed, low, high),
        };
        let level = fields.take(pick(&answers.levels, level_field(&c.code), LEVELS));
        let often = fields.take(pick(
            &answers.frequencies,
            frequency_field(&c.code),
            FREQUENCY,
        ));
        if let (Some(level), Some(often)) = (level, often) {
            rows.push((c.code.clone(), level, often));
        }
    }
    let plan = if f.rater_type == RaterType::SelfRating {
        fields
            .take(validate::optional_text(
                "action_plan",
                &answers.action_plan,
                MAX_PLAN,
            ))
            .flatten()
    } else {
        None
    };
    fields.finish()?;
    let txn = db.begin().await?;
    // Only the submit that finds it still open writes.
    let marked = follow_up::Entity::update_many()
        .col_expr(
            follow_up::Column::Status,
            Expr::value(FollowUpStatus::Submitted.as_str()),
        )
        .col_expr(follow_up::Column::SubmittedAt, Expr::value(Some(now)))
        .col_expr(follow_up::Column::ActionPlan, Expr::value(plan))
        .filter(follow_up::Column::Id.eq(f.id))
        .filter(follow_up::Column::Status.eq(FollowUpStatus::Open))
        .exec(&txn)
        .await?;
    if marked.rows_affected != 1 {
        return Err(AppError::Conflict(Problem::AlreadySubmitted));
    }
    for (code, level, frequency) in rows {
        follow_up_answer::ActiveModel {
            follow_up_id: Set(f.id),
            code: Set(code),
            level: Set(level),
            frequency: Set(frequency),
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(())
}
