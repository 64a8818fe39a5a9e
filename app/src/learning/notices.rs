//! The due-date notices: "due within 7 days" and "overdue", produced by a periodic
//! sweep. Several server instances may sweep the same database at once; each notice
//! is still sent once, because the insert is a no-op when the (assignment, kind)
//! notice already exists.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::domain::{AssignmentStatus, NotificationKind, Vocabulary};
use crate::entities::assignment;
use crate::error::AppError;
use crate::notifications::service::notify_assignment;

/// How far ahead "due soon" looks.
pub const DUE_SOON: Duration = Duration::days(7);

/// How many notices one sweep sent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sent {
    pub due_soon: u64,
    pub overdue: u64,
}

/// Open assignments whose due date is in `(from, to]` and that have no `kind`
/// notice yet: (assignment, person).
async fn pending(
    db: &impl ConnectionTrait,
    kind: NotificationKind,
    from: Option<DateTime<Utc>>,
    to: DateTime<Utc>,
) -> Result<Vec<(Uuid, Uuid)>, AppError> {
    let unsent = format!(
        "NOT EXISTS (SELECT 1 FROM notifications n \
         WHERE n.assignment_id = assignments.id AND n.kind = '{}')",
        kind.as_str()
    );
    let mut select = assignment::Entity::find()
        .select_only()
        .column(assignment::Column::Id)
        .column(assignment::Column::PersonId)
        .filter(assignment::Column::Status.eq(AssignmentStatus::Assigned))
        .filter(assignment::Column::DueAt.lte(to))
        .filter(Expr::cust(unsent));
    if let Some(from) = from {
        select = select.filter(assignment::Column::DueAt.gt(from));
    }
    Ok(select.into_tuple().all(db).await?)
}

/// Sends the notices due at `now`; returns how many this call sent.
pub async fn sweep(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<Sent, AppError> {
    let mut sent = Sent::default();
    for (a, p) in pending(
        db,
        NotificationKind::CourseDueSoon,
        Some(now),
        now + DUE_SOON,
    )
    .await?
    {
        if notify_assignment(db, p, a, NotificationKind::CourseDueSoon).await? {
            sent.due_soon += 1;
        }
    }
    for (a, p) in pending(db, NotificationKind::CourseOverdue, None, now).await? {
        if notify_assignment(db, p, a, NotificationKind::CourseOverdue).await? {
            sent.overdue += 1;
        }
    }
    Ok(sent)
}
