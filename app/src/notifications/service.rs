//! Notifications in the database. Other features call [`notify`] inside the
//! transaction that gives the reason, so a notice exists only if its cause does.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::prelude::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use super::{NotificationDto, NotificationKind};
use crate::auth::guard::SessionUser;
use crate::entities::{assignment, campaign, class_session, course, follow_up, notification};
use crate::error::AppError;
use crate::state::AppState;

/// Tells each of `people` about `campaign_id`; returns how many were told.
pub async fn notify(
    db: &impl ConnectionTrait,
    people: impl IntoIterator<Item = Uuid>,
    kind: NotificationKind,
    campaign_id: Uuid,
) -> Result<u64, AppError> {
    let now = Utc::now();
    let mut n = 0;
    for person_id in people {
        notification::ActiveModel {
            id: Set(Uuid::new_v4()),
            person_id: Set(person_id),
            kind: Set(kind),
            campaign_id: Set(Some(campaign_id)),
            assignment_id: Set(None),
            session_id: Set(None),
            detail: Set(None),
            follow_up_id: Set(None),
            created_at: Set(now),
            read_at: Set(None),
        }
        .insert(db)
        .await?;
        n += 1;
    }
    Ok(n)
}

/// What a once-per-kind notice is about: its key in the database is the
/// subject and the kind.
#[derive(Debug, Clone, Copy)]
pub enum Subject {
    Assignment(Uuid),
    FollowUp(Uuid),
}

/// Tells a person about `subject`, once per kind: a second call (another
/// server instance, a retried sweep) inserts nothing. Returns whether it was new.
pub async fn notify_once(
    db: &impl ConnectionTrait,
    person_id: Uuid,
    subject: Subject,
    kind: NotificationKind,
) -> Result<bool, AppError> {
    use sea_orm::sea_query::OnConflict;
    let (assignment, follow_up, key) = match subject {
        Subject::Assignment(id) => (Some(id), None, notification::Column::AssignmentId),
        Subject::FollowUp(id) => (None, Some(id), notification::Column::FollowUpId),
    };
    let inserted = notification::Entity::insert(notification::ActiveModel {
        id: Set(Uuid::new_v4()),
        person_id: Set(person_id),
        kind: Set(kind),
        campaign_id: Set(None),
        assignment_id: Set(assignment),
        session_id: Set(None),
        detail: Set(None),
        follow_up_id: Set(follow_up),
        created_at: Set(Utc::now()),
        read_at: Set(None),
    })
    .on_conflict(
        OnConflict::columns([key, notification::Column::Kind])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(inserted == 1)
}

/// Tells a person about their assignment, once per kind.
pub async fn notify_assignment(
    db: &impl ConnectionTrait,
    person_id: Uuid,
    assignment_id: Uuid,
    kind: NotificationKind,
) -> Result<bool, AppError> {
    notify_once(db, person_id, Subject::Assignment(assignment_id), kind).await
}

pub async fn list(state: &AppState, me: &SessionUser) -> Result<Vec<NotificationDto>, AppError> {
    let db = &state.db;
    let rows = notification::Entity::find()
        .filter(notification::Column::PersonId.eq(me.id))
        .order_by_desc(notification::Column::CreatedAt)
        .limit(100)
        .all(db)
        .await?;
    let ids: Vec<Uuid> = rows.iter().filter_map(|n| n.campaign_id).collect();
    let titles: HashMap<Uuid, String> = campaign::Entity::find()
        .filter(campaign::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.title))
        .collect();
    let assignments: HashMap<Uuid, assignment::Model> = assignment::Entity::find()
        .filter(assignment::Column::Id.is_in(rows.iter().filter_map(|n| n.assignment_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let session_course: HashMap<Uuid, Uuid> = class_session::Entity::find()
        .filter(class_session::Column::Id.is_in(rows.iter().filter_map(|n| n.session_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.course_id))
        .collect();
    let follow_up_course: HashMap<Uuid, Uuid> = follow_up::Entity::find()
        .filter(follow_up::Column::Id.is_in(rows.iter().filter_map(|n| n.follow_up_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, f.course_id))
        .collect();
    let courses: HashMap<Uuid, String> = course::Entity::find()
        .filter(
            course::Column::Id.is_in(
                assignments
                    .values()
                    .map(|a| a.course_id)
                    .chain(session_course.values().copied())
                    .chain(follow_up_course.values().copied()),
            ),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.title))
        .collect();
    let tz = state.settings.timezone;
    Ok(rows
        .into_iter()
        .map(|n| {
            let a = n.assignment_id.and_then(|a| assignments.get(&a));
            let course_id = a
                .map(|a| a.course_id)
                .or_else(|| n.session_id.and_then(|s| session_course.get(&s).copied()))
                .or_else(|| {
                    n.follow_up_id
                        .and_then(|f| follow_up_course.get(&f).copied())
                });
            NotificationDto {
                id: n.id,
                campaign: n.campaign_id.and_then(|c| titles.get(&c).cloned()),
                campaign_id: n.campaign_id,
                course: course_id.and_then(|c| courses.get(&c).cloned()),
                course_id,
                detail: n.detail,
                follow_up_id: n.follow_up_id,
                due: a
                    .and_then(|a| a.due_at)
                    .map(|d| crate::common::clock::local(tz, d, "%Y-%m-%d")),
                at: crate::common::clock::shown(tz, n.created_at),
                read: n.read_at.is_some(),
                kind: n.kind,
            }
        })
        .collect())
}

pub async fn mark_read(db: &impl ConnectionTrait, person: Uuid) -> Result<(), AppError> {
    notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Expr::value(Some(Utc::now())))
        .filter(notification::Column::PersonId.eq(person))
        .filter(notification::Column::ReadAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}
