//! My learning and self-enrolment against the database.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::{LearningList, MyCourse};
use crate::auth::guard::SessionUser;
use crate::common::clock;
use crate::common::conflict::Taken;
use crate::domain::{AssignmentSource, AssignmentStatus, AuditAction, CourseStatus};
use crate::entities::{assignment, course, course_module, lesson, person};
use crate::error::{AppError, Problem};
use crate::state::Settings;

pub async fn my_learning(
    db: &DatabaseConnection,
    settings: &Settings,
    me: &SessionUser,
) -> Result<LearningList, AppError> {
    let now = Utc::now();
    let mine = assignment::Entity::find()
        .filter(assignment::Column::PersonId.eq(me.id))
        .filter(assignment::Column::Status.ne(AssignmentStatus::Withdrawn))
        .order_by_asc(assignment::Column::DueAt)
        .all(db)
        .await?;
    let ids: Vec<Uuid> = mine.iter().map(|a| a.course_id).collect();
    let courses: HashMap<Uuid, course::Model> = course::Entity::find()
        .filter(course::Column::Id.is_in(ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let assigners: HashMap<Uuid, String> = person::Entity::find()
        .filter(
            person::Column::Id.is_in(
                mine.iter()
                    .filter_map(|a| a.assigned_by)
                    .collect::<Vec<_>>(),
            ),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let first_lessons = first_lessons(db, &ids).await?;
    let known = crate::courses::service::known_competencies(db).await?;
    let names: HashMap<String, String> = known
        .into_iter()
        .map(|(c, n)| (c.to_lowercase(), n))
        .collect();
    let mut out: Vec<MyCourse> = mine
        .into_iter()
        .filter_map(|a| {
            let c = courses.get(&a.course_id)?;
            let (reason, note) = match a.source {
                AssignmentSource::Proposal => (
                    crate::assignments::service::reason_text(&a.reason, &names),
                    None,
                ),
                _ => (Vec::new(), Some(a.reason.clone()).filter(|n| !n.is_empty())),
            };
            Some(MyCourse {
                assignment_id: a.id,
                course_id: c.id,
                title: c.title.clone(),
                code: c.code.clone(),
                hours: c.hours,
                mode: c.mode,
                source: a.source,
                status: a.status,
                reason,
                note,
                assigned_by: a.assigned_by.and_then(|p| assigners.get(&p).cloned()),
                assigned_on: clock::local(settings.timezone, a.assigned_at, "%Y-%m-%d"),
                due: a
                    .due_at
                    .map(|d| clock::local(settings.timezone, d, "%Y-%m-%d")),
                overdue: a.status == AssignmentStatus::Assigned
                    && a.due_at.is_some_and(|d| d < now),
                first_lesson: first_lessons.get(&c.id).copied(),
            })
        })
        .collect();
    // Overdue first, then by due date (none last), then by title.
    out.sort_by(|a, b| {
        (!a.overdue, a.due.is_none(), a.due.clone(), a.title.clone()).cmp(&(
            !b.overdue,
            b.due.is_none(),
            b.due.clone(),
            b.title.clone(),
        ))
    });
    let hours_assigned = out
        .iter()
        .filter(|c| c.status != AssignmentStatus::Withdrawn)
        .map(|c| c.hours)
        .sum();
    Ok(LearningList {
        courses: out,
        hours_assigned,
    })
}

/// The first live lesson of each course, in course order.
async fn first_lessons(
    db: &DatabaseConnection,
    courses: &[Uuid],
) -> Result<HashMap<Uuid, Uuid>, AppError> {
    let modules: HashMap<Uuid, i32> = course_module::Entity::find()
        .filter(course_module::Column::CourseId.is_in(courses.to_vec()))
        .filter(course_module::Column::RemovedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.position))
        .collect();
    let mut best: HashMap<Uuid, ((i32, i32), Uuid)> = HashMap::new();
    for l in lesson::Entity::find()
        .filter(lesson::Column::CourseId.is_in(courses.to_vec()))
        .filter(lesson::Column::RemovedAt.is_null())
        .all(db)
        .await?
    {
        let Some(m) = modules.get(&l.module_id) else {
            continue;
        };
        let key = (*m, l.position);
        let entry = best.entry(l.course_id).or_insert((key, l.id));
        if key < entry.0 {
            *entry = (key, l.id);
        }
    }
    Ok(best.into_iter().map(|(c, (_, l))| (c, l)).collect())
}

/// Enrols the caller in a published course that allows self-enrolment. Enrolling
/// twice (or in a course already assigned) is told so, and writes nothing.
pub async fn enrol(db: &DatabaseConnection, me: &SessionUser, id: Uuid) -> Result<(), AppError> {
    let c = course::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|c| c.status == CourseStatus::Published)
        .ok_or(AppError::NotFound)?;
    if !c.self_enrol {
        return Err(AppError::Forbidden);
    }
    use sea_orm::TransactionTrait;
    let txn = db.begin().await?;
    let now = Utc::now();
    assignment::ActiveModel {
        id: Set(Uuid::new_v4()),
        person_id: Set(me.id),
        course_id: Set(id),
        source: Set(AssignmentSource::SelfEnrolled),
        proposal_id: Set(None),
        reason: Set(String::new()),
        assigned_by: Set(Some(me.id)),
        assigned_at: Set(now),
        due_at: Set(None),
        status: Set(AssignmentStatus::Assigned),
    }
    .insert(&txn)
    .await
    .taken("id")
    .map_err(|e| match e {
        AppError::Validation(_) => AppError::Conflict(Problem::Duplicate {
            value: c.code.clone(),
        }),
        other => other,
    })?;
    crate::audit::Entry::new(me.id, AuditAction::CourseEnrol)
        .on("course", id)
        .after(json!({ "course": c.code }))
        .record(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}
