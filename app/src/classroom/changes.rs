//! Changing or cancelling a scheduled session. Everyone holding a seat or a
//! waiting-list place is told, once per change, in their own language (the notice
//! carries the new time and place; the page words it).

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set,
    TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::SeatStatus;
use super::service::{NewSession, checked, promote, session};
use crate::auth::guard::SessionUser;
use crate::common::clock;
use crate::domain::{AuditAction, NotificationKind};
use crate::entities::{class_session, notification, session_seat};
use crate::error::{AppError, Problem};
use crate::state::Settings;

/// A session that may still change: not cancelled and not begun.
fn still_open(s: &class_session::Model) -> Result<(), AppError> {
    if s.cancelled_at.is_some() || s.starts_at < Utc::now() {
        Err(AppError::Conflict(Problem::SessionOver))
    } else {
        Ok(())
    }
}

/// When and where, as the notice shows it: `2026-12-10 09:00–11:30 · 三楼培训室`.
pub fn detail(settings: &Settings, s: &class_session::Model) -> String {
    let tz = settings.timezone;
    format!(
        "{} {}–{} · {}",
        clock::local(tz, s.starts_at, "%Y-%m-%d"),
        clock::local(tz, s.starts_at, "%H:%M"),
        clock::local(tz, s.ends_at, "%H:%M"),
        s.place
    )
}

/// One notice to everyone seated or waiting.
async fn tell_everyone(
    db: &impl ConnectionTrait,
    s: &class_session::Model,
    kind: NotificationKind,
    detail: String,
) -> Result<u64, AppError> {
    let people: Vec<Uuid> = session_seat::Entity::find()
        .filter(session_seat::Column::SessionId.eq(s.id))
        .filter(session_seat::Column::Status.ne(SeatStatus::Withdrawn))
        .all(db)
        .await?
        .into_iter()
        .map(|x| x.person_id)
        .collect();
    let now = Utc::now();
    let rows: Vec<notification::ActiveModel> = people
        .iter()
        .map(|p| notification::ActiveModel {
            id: Set(Uuid::new_v4()),
            person_id: Set(*p),
            kind: Set(kind),
            campaign_id: Set(None),
            assignment_id: Set(None),
            session_id: Set(Some(s.id)),
            detail: Set(Some(detail.clone())),
            follow_up_id: Set(None),
            created_at: Set(now),
            read_at: Set(None),
        })
        .collect();
    let n = rows.len() as u64;
    if !rows.is_empty() {
        notification::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await?;
    }
    Ok(n)
}

/// Changes a session's date, times, place, seats or trainer. Seats never drop
/// below those already taken; added seats go to the waiting list first. People
/// seated or waiting are told when the time or place moved. Returns the course.
pub async fn update(
    db: &DatabaseConnection,
    settings: &Settings,
    me: &SessionUser,
    id: Uuid,
    form: NewSession,
) -> Result<Uuid, AppError> {
    let s = session(db, id).await?;
    let c = crate::courses::service::editable(db, me, s.course_id).await?;
    still_open(&s)?;
    let (starts, ends, place, capacity, trainer) = checked(db, settings, &c, &form).await?;
    let txn = db.begin().await?;
    // The capacity moves only while it still holds everyone seated, so a
    // concurrent sign-up can never end up beyond it.
    let moved = class_session::Entity::update_many()
        .col_expr(class_session::Column::StartsAt, Expr::value(starts))
        .col_expr(class_session::Column::EndsAt, Expr::value(ends))
        .col_expr(class_session::Column::Place, Expr::value(place.clone()))
        .col_expr(class_session::Column::Capacity, Expr::value(capacity))
        .col_expr(class_session::Column::TrainerId, Expr::value(trainer))
        .filter(class_session::Column::Id.eq(id))
        .filter(class_session::Column::CancelledAt.is_null())
        .filter(Expr::col(class_session::Column::SeatsTaken).lte(capacity))
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        txn.rollback().await?;
        let now = session(db, id).await?;
        return Err(AppError::field(
            "capacity",
            Problem::OutOfRange {
                min: std::cmp::max(now.seats_taken, 1).to_string(),
                max: super::MAX_CAPACITY.to_string(),
            },
        ));
    }
    let after = session(&txn, id).await?;
    for _ in s.capacity..capacity {
        promote(&txn, &after).await?;
    }
    let told = if (s.starts_at, s.ends_at, &s.place) != (starts, ends, &place) {
        tell_everyone(
            &txn,
            &after,
            NotificationKind::SessionChanged,
            detail(settings, &after),
        )
        .await?
    } else {
        0
    };
    crate::audit::Entry::new(me.id, AuditAction::SessionUpdate)
        .on("class_session", id)
        .before(
            json!({ "starts_at": s.starts_at, "ends_at": s.ends_at, "place": s.place,
            "capacity": s.capacity, "trainer": s.trainer_id }),
        )
        .after(
            json!({ "starts_at": starts, "ends_at": ends, "place": place,
            "capacity": capacity, "trainer": trainer, "told": told }),
        )
        .record(&txn)
        .await?;
    txn.commit().await?;
    Ok(s.course_id)
}

/// Calls a session off. Seats stay for the record; everyone seated or waiting is
/// told. Returns the course.
pub async fn cancel(
    db: &DatabaseConnection,
    settings: &Settings,
    me: &SessionUser,
    id: Uuid,
) -> Result<Uuid, AppError> {
    let s = session(db, id).await?;
    crate::courses::service::editable(db, me, s.course_id).await?;
    still_open(&s)?;
    let txn = db.begin().await?;
    let done = class_session::Entity::update_many()
        .col_expr(class_session::Column::CancelledAt, Expr::value(Utc::now()))
        .filter(class_session::Column::Id.eq(id))
        .filter(class_session::Column::CancelledAt.is_null())
        .exec(&txn)
        .await?;
    if done.rows_affected != 1 {
        // Someone else cancelled it a moment ago: they told everyone.
        txn.rollback().await?;
        return Ok(s.course_id);
    }
    let told = tell_everyone(
        &txn,
        &s,
        NotificationKind::SessionCancelled,
        detail(settings, &s),
    )
    .await?;
    crate::audit::Entry::new(me.id, AuditAction::SessionCancel)
        .on("class_session", id)
        .before(json!({ "starts_at": s.starts_at, "place": s.place, "seats_taken": s.seats_taken }))
        .after(json!({ "cancelled": true, "told": told }))
        .record(&txn)
        .await?;
    txn.commit().await?;
    Ok(s.course_id)
}
