//! My learning and self-enrolment against the database.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::{LearningList, MyCourse, ReactionStep, Transcript, TranscriptLine};
use crate::auth::guard::SessionUser;
use crate::common::clock;
use crate::common::conflict::Taken;
use crate::domain::{AssignmentSource, AssignmentStatus, AuditAction, CourseStatus};
use crate::entities::{assignment, certificate, course, org_unit, person, reaction};
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
    let pairs: Vec<(Uuid, Uuid)> = ids.iter().map(|c| (me.id, *c)).collect();
    let progress = super::progress::progress_of(db, &pairs).await?;
    let attended = super::progress::attended_courses(db, me.id, &ids).await?;
    let certificates: HashMap<Uuid, String> = certificate::Entity::find()
        .filter(certificate::Column::PersonId.eq(me.id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.assignment_id, c.code))
        .collect();
    let answered: std::collections::HashSet<Uuid> = reaction::Entity::find()
        .filter(reaction::Column::PersonId.eq(me.id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.course_id)
        .collect();
    let known = crate::courses::service::known_competencies(db).await?;
    let names: HashMap<String, String> = known
        .into_iter()
        .map(|(c, n)| (c.to_lowercase(), n))
        .collect();
    let mut out: Vec<MyCourse> = mine
        .into_iter()
        .filter_map(|a| {
            let c = courses.get(&a.course_id)?;
            let p = progress.get(&(me.id, c.id)).copied().unwrap_or_default();
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
                next_lesson: p.next,
                lessons_total: p.total,
                lessons_done: p.done,
                needs_attendance: super::progress::needs_attendance(c),
                attended: attended.contains(&c.id),
                completed_on: a
                    .completed_at
                    .map(|d| clock::local(settings.timezone, d, "%Y-%m-%d")),
                certificate: certificates.get(&a.id).cloned(),
                reaction_required: c.reaction_required,
                reaction: if answered.contains(&c.id) {
                    ReactionStep::Answered
                } else if super::progress::reaction_opens(
                    c,
                    a.status,
                    p.complete(),
                    attended.contains(&c.id),
                ) {
                    ReactionStep::Open {
                        required: c.reaction_required && a.status != AssignmentStatus::Completed,
                    }
                } else {
                    ReactionStep::NotYet
                },
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
        completed_at: Set(None),
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

/// A learning-hours record: the courses completed in `year` with their hours,
/// against the office's requirement. Someone else's only for those who see them.
pub async fn transcript(
    db: &DatabaseConnection,
    settings: &Settings,
    me: &SessionUser,
    person_id: Option<Uuid>,
    year: Option<i32>,
) -> Result<Transcript, AppError> {
    let id = person_id.unwrap_or(me.id);
    let p = person::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if id != me.id
        && !crate::org::visibility::Scope::load(db, me)
            .await?
            .sees_person(&p)
    {
        return Err(AppError::NotFound);
    }
    let tz = settings.timezone;
    let this_year = clock::year_of(tz, Utc::now());
    let year = year
        .filter(|y| clock::sensible_year(*y))
        .unwrap_or(this_year);
    let done = super::progress::completed(db, id).await?;
    let mut years: Vec<i32> = done
        .iter()
        .filter_map(|a| a.completed_at.map(|at| clock::year_of(tz, at)))
        .chain([this_year, year])
        .collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    let courses: HashMap<Uuid, course::Model> = course::Entity::find()
        .filter(course::Column::Id.is_in(done.iter().map(|a| a.course_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let certificates: HashMap<Uuid, certificate::Model> = certificate::Entity::find()
        .filter(certificate::Column::PersonId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.assignment_id, c))
        .collect();
    let lines: Vec<TranscriptLine> = done
        .into_iter()
        .filter_map(|a| {
            let at = a.completed_at?;
            if clock::year_of(tz, at) != year {
                return None;
            }
            let c = courses.get(&a.course_id)?;
            let cert = certificates.get(&a.id);
            Some(TranscriptLine {
                course_id: c.id,
                code: c.code.clone(),
                // As certified, when a certificate was issued.
                title: cert.map_or_else(|| c.title.clone(), |x| x.course_title.clone()),
                completed_on: clock::local(tz, at, "%Y-%m-%d"),
                hours: cert.map_or(c.hours, |x| x.hours),
                certificate: cert.map(|x| x.code.clone()),
            })
        })
        .collect();
    let unit = match p.unit_id {
        Some(u) => org_unit::Entity::find_by_id(u)
            .one(db)
            .await?
            .map(|u| u.name),
        None => None,
    };
    Ok(Transcript {
        person_id: p.id,
        person: p.name,
        employee_no: p.employee_no,
        unit,
        year,
        years,
        total: lines.iter().map(|l| l.hours).sum(),
        lines,
        required: crate::rules::service::Requirement::load(db)
            .await?
            .of(p.position_id),
        own: id == me.id,
    })
}
