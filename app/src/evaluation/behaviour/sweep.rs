//! The follow-ups' background task: create those whose wave has come, remind
//! once before the deadline, expire those past it. Several server instances may
//! sweep one database at once: a follow-up is inserted once (its unique key is
//! the completion, the wave and the side, and a second insert does nothing), a
//! reminder goes once (the conditional update that marks it succeeds once), and
//! each notice is keyed by (follow-up, kind).

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set, TransactionSession,
    TransactionTrait,
};
use uuid::Uuid;

use crate::domain::{AssignmentStatus, FollowUpStatus, NotificationKind, RaterType, Vocabulary};
use crate::entities::{assignment, course_competency, follow_up, person};
use crate::error::AppError;
use crate::notifications::service::{Subject, notify_once};

/// How long before the deadline the reminder goes.
pub const REMIND_BEFORE: Duration = Duration::days(3);

/// What one sweep did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Swept {
    pub created: u64,
    pub reminded: u64,
    pub expired: u64,
}

/// The office's waves and how many days a follow-up stays open.
pub async fn schedule(db: &impl ConnectionTrait) -> Result<(Vec<i32>, i32), AppError> {
    let s = crate::rules::service::settings(db).await?;
    // The rules form checks the waves; a value it would refuse means none.
    let waves = crate::rules::parse_waves(&s.follow_up_days).unwrap_or_default();
    Ok((waves, s.follow_up_window.max(1)))
}

/// Runs the three steps at `now`.
pub async fn sweep<C>(db: &C, now: DateTime<Utc>) -> Result<Swept, AppError>
where
    C: ConnectionTrait + TransactionTrait,
{
    let (waves, window) = schedule(db).await?;
    Ok(Swept {
        created: create_due(db, now, &waves, window).await?,
        reminded: remind(db, now).await?,
        expired: expire(db, now).await?,
    })
}

/// A completion whose follow-up window is open at `now`.
struct Due {
    assignment: Uuid,
    course: Uuid,
    learner: Uuid,
    wave: i32,
    opens: DateTime<Utc>,
}

async fn create_due<C>(
    db: &C,
    now: DateTime<Utc>,
    waves: &[i32],
    window: i32,
) -> Result<u64, AppError>
where
    C: ConnectionTrait + TransactionTrait,
{
    let (Some(first), Some(last)) = (waves.iter().min(), waves.iter().max()) else {
        return Ok(0);
    };
    let window = Duration::days(i64::from(window));
    // Completions old enough for the first wave and young enough for the last
    // wave's window to be open; only courses that raise a competency.
    let completions: Vec<(Uuid, Uuid, Uuid, Option<DateTime<Utc>>)> = assignment::Entity::find()
        .select_only()
        .column(assignment::Column::Id)
        .column(assignment::Column::CourseId)
        .column(assignment::Column::PersonId)
        .column(assignment::Column::CompletedAt)
        .filter(assignment::Column::Status.eq(AssignmentStatus::Completed))
        .filter(assignment::Column::CompletedAt.lte(now - Duration::days(i64::from(*first))))
        .filter(assignment::Column::CompletedAt.gt(now - Duration::days(i64::from(*last)) - window))
        .filter(
            assignment::Column::CourseId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(course_competency::Column::CourseId)
                    .from(course_competency::Entity)
                    .to_owned(),
            ),
        )
        .into_tuple()
        .all(db)
        .await?;
    let mut due = Vec::new();
    for (assignment, course, learner, completed) in completions {
        let Some(completed) = completed else { continue };
        for &wave in waves {
            let opens = completed + Duration::days(i64::from(wave));
            if opens <= now && now < opens + window {
                due.push(Due {
                    assignment,
                    course,
                    learner,
                    wave,
                    opens,
                });
            }
        }
    }
    if due.is_empty() {
        return Ok(0);
    }
    let ids: Vec<Uuid> = due.iter().map(|d| d.assignment).collect();
    let mut existing: HashSet<(Uuid, i32, RaterType)> = HashSet::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<(Uuid, i32, RaterType)> = follow_up::Entity::find()
            .select_only()
            .column(follow_up::Column::AssignmentId)
            .column(follow_up::Column::Wave)
            .column(follow_up::Column::RaterType)
            .filter(follow_up::Column::AssignmentId.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await?;
        existing.extend(rows);
    }
    let learners: Vec<Uuid> = due.iter().map(|d| d.learner).collect();
    let mut managers = std::collections::HashMap::new();
    for chunk in learners.chunks(500) {
        let rows: Vec<(Uuid, Option<Uuid>, bool)> = person::Entity::find()
            .select_only()
            .column(person::Column::Id)
            .column(person::Column::ManagerId)
            .column(person::Column::Active)
            .filter(person::Column::Id.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await?;
        for (id, manager, active) in rows {
            managers.insert(id, (manager, active));
        }
    }
    let mut created = 0;
    for d in due {
        let Some(&(manager, active)) = managers.get(&d.learner) else {
            continue;
        };
        if !active {
            continue;
        }
        let sides = [
            (RaterType::SelfRating, Some(d.learner)),
            (RaterType::Manager, manager),
        ];
        for (side, rater) in sides {
            let Some(rater) = rater else { continue };
            if existing.contains(&(d.assignment, d.wave, side)) {
                continue;
            }
            if insert(db, &d, side, rater, window).await? {
                created += 1;
            }
        }
    }
    Ok(created)
}

/// Inserts one follow-up and its "opened" notice together; false when another
/// sweep got there first.
async fn insert<C>(
    db: &C,
    d: &Due,
    side: RaterType,
    rater: Uuid,
    window: Duration,
) -> Result<bool, AppError>
where
    C: ConnectionTrait + TransactionTrait,
{
    let txn = db.begin().await?;
    let id = Uuid::new_v4();
    let inserted = follow_up::Entity::insert(follow_up::ActiveModel {
        id: Set(id),
        assignment_id: Set(d.assignment),
        course_id: Set(d.course),
        subject_id: Set(d.learner),
        rater_id: Set(rater),
        rater_type: Set(side),
        wave: Set(d.wave),
        opens_at: Set(d.opens),
        due_at: Set(d.opens + window),
        status: Set(FollowUpStatus::Open),
        reminded_at: Set(None),
        submitted_at: Set(None),
        action_plan: Set(None),
    })
    .on_conflict(
        OnConflict::columns([
            follow_up::Column::AssignmentId,
            follow_up::Column::Wave,
            follow_up::Column::RaterType,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    if inserted == 1 {
        notify_once(
            &txn,
            rater,
            Subject::FollowUp(id),
            NotificationKind::FollowUpOpened,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(inserted == 1)
}

/// Reminds each open follow-up once, within [`REMIND_BEFORE`] of its deadline.
async fn remind<C>(db: &C, now: DateTime<Utc>) -> Result<u64, AppError>
where
    C: ConnectionTrait + TransactionTrait,
{
    let pending: Vec<(Uuid, Uuid)> = follow_up::Entity::find()
        .select_only()
        .column(follow_up::Column::Id)
        .column(follow_up::Column::RaterId)
        .filter(follow_up::Column::Status.eq(FollowUpStatus::Open))
        .filter(follow_up::Column::RemindedAt.is_null())
        .filter(follow_up::Column::DueAt.gt(now))
        .filter(follow_up::Column::DueAt.lte(now + REMIND_BEFORE))
        .into_tuple()
        .all(db)
        .await?;
    let mut sent = 0;
    for (id, rater) in pending {
        // Whoever marks it first sends the reminder, in the same transaction.
        let txn = db.begin().await?;
        let marked = follow_up::Entity::update_many()
            .col_expr(follow_up::Column::RemindedAt, Expr::value(Some(now)))
            .filter(follow_up::Column::Id.eq(id))
            .filter(follow_up::Column::RemindedAt.is_null())
            .filter(follow_up::Column::Status.eq(FollowUpStatus::Open))
            .exec(&txn)
            .await?;
        if marked.rows_affected == 1
            && notify_once(
                &txn,
                rater,
                Subject::FollowUp(id),
                NotificationKind::FollowUpReminder,
            )
            .await?
        {
            sent += 1;
        }
        txn.commit().await?;
    }
    Ok(sent)
}

/// Closes the follow-ups nobody answered by their deadline.
async fn expire(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64, AppError> {
    Ok(follow_up::Entity::update_many()
        .col_expr(
            follow_up::Column::Status,
            Expr::value(FollowUpStatus::Expired.as_str()),
        )
        .filter(follow_up::Column::Status.eq(FollowUpStatus::Open))
        .filter(follow_up::Column::DueAt.lte(now))
        .exec(db)
        .await?
        .rows_affected)
}
