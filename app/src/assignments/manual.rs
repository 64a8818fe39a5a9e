//! Assignments made by hand (to a person, a unit or a position, with a note saying
//! why) and changes to one assignment (due date, withdrawal), each audited and
//! bounded by who the caller may see.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::{AssignOptions, AssignmentDetail, HistoryLine};
use crate::auth::guard::SessionUser;
use crate::common::clock;
use crate::domain::{
    AssignmentSource, AssignmentStatus, AuditAction, CourseStatus, NotificationKind, Vocabulary,
};
use crate::entities::{assignment, audit_log, course, notification, person, position};
use crate::error::{AppError, Problem};
use crate::notifications::service::notify_assignment;
use crate::org::visibility::Scope;
use crate::state::Settings;
use crate::team::service::Audience;

/// Who a manual assignment is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// By employee number.
    Person(String),
    /// A unit and the units under it.
    Unit(Uuid),
    Position(Uuid),
}

pub async fn options(db: &DatabaseConnection, me: &SessionUser) -> Result<AssignOptions, AppError> {
    let courses = course::Entity::find()
        .filter(course::Column::Status.eq(CourseStatus::Published))
        .order_by_asc(course::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, format!("{} · {}", c.code, c.title)))
        .collect();
    let positions = position::Entity::find()
        .filter(position::Column::Active.eq(true))
        .order_by_asc(position::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let units = Audience::load(db, me, "").await?.unit_options();
    Ok(AssignOptions {
        courses,
        units,
        positions,
    })
}

/// The active people a target names, within the caller's scope.
async fn people_of(
    db: &DatabaseConnection,
    me: &SessionUser,
    target: &Target,
) -> Result<Vec<person::Model>, AppError> {
    // The caller's people, narrowed to the unit's subtree when the target is one.
    let unit = match target {
        Target::Unit(u) => u.to_string(),
        _ => String::new(),
    };
    let audience = Audience::load(db, me, &unit).await?;
    let mut select = person::Entity::find()
        .filter(person::Column::Active.eq(true))
        .filter(person::Column::Id.in_subquery(audience.people()));
    match target {
        Target::Person(no) => {
            let unknown = || {
                AppError::field(
                    "person",
                    Problem::Unknown {
                        value: no.chars().take(40).collect(),
                    },
                )
            };
            let found = select
                .filter(person::Column::EmployeeNo.eq(no.trim()))
                .all(db)
                .await?;
            return if found.is_empty() {
                Err(unknown())
            } else {
                Ok(found)
            };
        }
        Target::Unit(_) => {}
        Target::Position(p) => {
            select = select.filter(person::Column::PositionId.eq(*p));
        }
    }
    Ok(select.order_by_asc(person::Column::NameKey).all(db).await?)
}

/// Assigns a published course to everyone the target names who does not have it
/// yet (a withdrawn assignment is given back). Returns (assigned, skipped).
pub async fn create(
    db: &DatabaseConnection,
    me: &SessionUser,
    course_id: Uuid,
    target: Target,
    due: Option<DateTime<Utc>>,
    note: String,
) -> Result<(u64, u64), AppError> {
    let c = course::Entity::find_by_id(course_id)
        .filter(course::Column::Status.eq(CourseStatus::Published))
        .one(db)
        .await?
        .ok_or_else(|| {
            AppError::field(
                "course",
                Problem::Unknown {
                    value: course_id.to_string(),
                },
            )
        })?;
    let people = people_of(db, me, &target).await?;
    let ids: Vec<Uuid> = people.iter().map(|p| p.id).collect();
    let existing: HashMap<Uuid, assignment::Model> = assignment::Entity::find()
        .filter(assignment::Column::CourseId.eq(course_id))
        .filter(assignment::Column::PersonId.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.person_id, a))
        .collect();
    let fresh: Vec<&person::Model> = people
        .iter()
        .filter(|p| {
            existing
                .get(&p.id)
                .is_none_or(|a| a.status == AssignmentStatus::Withdrawn)
        })
        .collect();
    if fresh.is_empty() {
        return Err(AppError::field("target", Problem::NobodyNew));
    }
    let now = Utc::now();
    let txn = db.begin().await?;
    let mut assigned = 0;
    for p in &fresh {
        let id = match existing.get(&p.id) {
            // Given back: the withdrawn row becomes a manual assignment again.
            Some(old) => {
                let back = assignment::Entity::update_many()
                    .col_expr(
                        assignment::Column::Status,
                        Expr::value(AssignmentStatus::Assigned.as_str()),
                    )
                    .col_expr(
                        assignment::Column::Source,
                        Expr::value(AssignmentSource::Manual.as_str()),
                    )
                    .col_expr(assignment::Column::Reason, Expr::value(note.clone()))
                    .col_expr(assignment::Column::AssignedBy, Expr::value(Some(me.id)))
                    .col_expr(assignment::Column::AssignedAt, Expr::value(now))
                    .col_expr(assignment::Column::DueAt, Expr::value(due))
                    .filter(assignment::Column::Id.eq(old.id))
                    .filter(assignment::Column::Status.eq(AssignmentStatus::Withdrawn))
                    .exec(&txn)
                    .await?;
                (back.rows_affected == 1).then_some(old.id)
            }
            None => {
                let id = Uuid::new_v4();
                let inserted = assignment::Entity::insert(assignment::ActiveModel {
                    id: Set(id),
                    person_id: Set(p.id),
                    course_id: Set(course_id),
                    source: Set(AssignmentSource::Manual),
                    proposal_id: Set(None),
                    reason: Set(note.clone()),
                    assigned_by: Set(Some(me.id)),
                    assigned_at: Set(now),
                    due_at: Set(due),
                    status: Set(AssignmentStatus::Assigned),
                    completed_at: Set(None),
                })
                // Assigned meanwhile by someone else: theirs stands.
                .on_conflict(
                    OnConflict::columns([
                        assignment::Column::PersonId,
                        assignment::Column::CourseId,
                    ])
                    .do_nothing()
                    .to_owned(),
                )
                .exec_without_returning(&txn)
                .await?;
                (inserted == 1).then_some(id)
            }
        };
        let Some(id) = id else { continue };
        crate::audit::Entry::new(me.id, AuditAction::AssignmentCreate)
            .on("assignment", id)
            .after(json!({
                "person": p.employee_no, "course": c.code, "note": note, "due_at": due,
                "source": "manual",
            }))
            .record(&txn)
            .await?;
        notify_assignment(&txn, p.id, id, NotificationKind::CourseAssigned).await?;
        assigned += 1;
    }
    txn.commit().await?;
    Ok((assigned, people.len() as u64 - assigned))
}

/// An assignment the caller may see (theirs, or someone in their scope).
async fn visible(
    db: &DatabaseConnection,
    me: &SessionUser,
    id: Uuid,
) -> Result<(assignment::Model, person::Model), AppError> {
    let a = assignment::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let p = person::Entity::find_by_id(a.person_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if !Scope::load(db, me).await?.sees_person(&p) {
        return Err(AppError::NotFound);
    }
    Ok((a, p))
}

/// Changes an open assignment's due date, or withdraws it. Completed and withdrawn
/// assignments stay as they are.
pub async fn change(
    db: &DatabaseConnection,
    me: &SessionUser,
    id: Uuid,
    due: Option<DateTime<Utc>>,
    withdraw: bool,
    note: Option<String>,
) -> Result<(), AppError> {
    let (a, p) = visible(db, me, id).await?;
    if a.status != AssignmentStatus::Assigned {
        return Err(AppError::Conflict(Problem::Finished));
    }
    let to = if withdraw {
        AssignmentStatus::Withdrawn
    } else {
        AssignmentStatus::Assigned
    };
    let txn = db.begin().await?;
    let claimed = assignment::Entity::update_many()
        .col_expr(assignment::Column::DueAt, Expr::value(due))
        .col_expr(assignment::Column::Status, Expr::value(to.as_str()))
        .filter(assignment::Column::Id.eq(id))
        .filter(assignment::Column::Status.eq(AssignmentStatus::Assigned))
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(AppError::Conflict(Problem::Finished));
    }
    // A new due date earns its own "due soon" and "overdue" notices.
    if due != a.due_at {
        notification::Entity::delete_many()
            .filter(notification::Column::AssignmentId.eq(id))
            .filter(notification::Column::Kind.is_in([
                NotificationKind::CourseDueSoon,
                NotificationKind::CourseOverdue,
            ]))
            .exec(&txn)
            .await?;
    }
    crate::audit::Entry::new(me.id, AuditAction::AssignmentUpdate)
        .on("assignment", id)
        .before(json!({ "due_at": a.due_at, "status": a.status.as_str() }))
        .after(json!({
            "due_at": due, "status": to.as_str(), "note": note, "person": p.employee_no,
        }))
        .record(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn detail(
    db: &DatabaseConnection,
    settings: &Settings,
    me: &SessionUser,
    id: Uuid,
) -> Result<AssignmentDetail, AppError> {
    let (a, p) = visible(db, me, id).await?;
    let c = course::Entity::find_by_id(a.course_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let tz = settings.timezone;
    let history = audit_log::Entity::find()
        .filter(audit_log::Column::Entity.eq("assignment"))
        .filter(audit_log::Column::EntityId.eq(id.to_string()))
        .order_by_asc(audit_log::Column::At)
        .all(db)
        .await?;
    let actors: HashSet<Uuid> = history
        .iter()
        .filter_map(|h| h.actor_id)
        .chain(a.assigned_by)
        .collect();
    let names: HashMap<Uuid, String> = person::Entity::find()
        .filter(Condition::all().add(person::Column::Id.is_in(actors)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let known = crate::courses::service::known_competencies(db).await?;
    let competency_names: HashMap<String, String> = known
        .into_iter()
        .map(|(c, n)| (c.to_lowercase(), n))
        .collect();
    let (reason, note) = match a.source {
        AssignmentSource::Proposal => (
            super::service::reason_text(&a.reason, &competency_names),
            None,
        ),
        _ => (Vec::new(), Some(a.reason.clone()).filter(|n| !n.is_empty())),
    };
    let progress = crate::learning::progress::progress_of(db, &[(a.person_id, a.course_id)])
        .await?
        .remove(&(a.person_id, a.course_id))
        .unwrap_or_default();
    Ok(AssignmentDetail {
        id: a.id,
        person_id: p.id,
        person: p.name,
        employee_no: p.employee_no,
        course_id: c.id,
        course: c.title,
        course_code: c.code,
        source: a.source,
        status: a.status,
        reason,
        note,
        assigned_by: a.assigned_by.and_then(|x| names.get(&x).cloned()),
        assigned_on: clock::local(tz, a.assigned_at, "%Y-%m-%d"),
        due: a.due_at.map(|d| clock::local(tz, d, "%Y-%m-%d")),
        completed_on: a.completed_at.map(|d| clock::local(tz, d, "%Y-%m-%d")),
        lessons_done: progress.done,
        lessons_total: progress.total,
        history: history
            .into_iter()
            .map(|h| {
                let after: serde_json::Value = h
                    .after
                    .as_deref()
                    .and_then(|a| serde_json::from_str(a).ok())
                    .unwrap_or_default();
                HistoryLine {
                    at: clock::shown(tz, h.at),
                    by: h.actor_id.and_then(|x| names.get(&x).cloned()),
                    action: h.action,
                    due: after["due_at"]
                        .as_str()
                        .and_then(|d| d.parse::<DateTime<Utc>>().ok())
                        .map(|d| clock::local(tz, d, "%Y-%m-%d")),
                    withdrawn: after["status"] == "withdrawn",
                    note: after["note"]
                        .as_str()
                        .map(str::to_owned)
                        .filter(|n| !n.is_empty()),
                }
            })
            .collect(),
    })
}
