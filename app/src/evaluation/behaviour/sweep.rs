//! The follow-ups' background task: create those whose wave has come, remind
//! once before the deadline, expire those past it. Several server instances may
//! sweep one database at once: a follow-up is inserted once (its unique key is
//! the completion, the wave, the side and the slot, and a second insert does
//! nothing), a reminder goes once (the conditional update that marks it
//! succeeds once), and each notice is keyed by (follow-up, kind).
//!
//! Colleagues, when the office asks for them, are drawn from the learner's
//! unit (not the learner, not their manager) in an order fixed by the
//! completion, so every sweep picks the same people for the same slots.

use std::collections::{HashMap, HashSet};

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
    let peers = crate::rules::service::settings(db)
        .await?
        .follow_up_peers
        .clamp(0, crate::rules::MAX_PEERS);
    Ok(Swept {
        created: create_due(db, now, &waves, window, peers).await?,
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
    peers: i32,
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
    // (completion, wave, side, slot) taken, and who already rates each wave.
    let mut existing: HashSet<(Uuid, i32, RaterType, i32)> = HashSet::new();
    let mut raters: HashSet<(Uuid, i32, Uuid)> = HashSet::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<(Uuid, i32, RaterType, i32, Uuid)> = follow_up::Entity::find()
            .select_only()
            .column(follow_up::Column::AssignmentId)
            .column(follow_up::Column::Wave)
            .column(follow_up::Column::RaterType)
            .column(follow_up::Column::Slot)
            .column(follow_up::Column::RaterId)
            .filter(follow_up::Column::AssignmentId.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await?;
        for (a, wave, side, slot, rater) in rows {
            existing.insert((a, wave, side, slot));
            raters.insert((a, wave, rater));
        }
    }
    let learners: Vec<Uuid> = due.iter().map(|d| d.learner).collect();
    let mut people = HashMap::new();
    for chunk in learners.chunks(500) {
        let rows: Vec<(Uuid, Option<Uuid>, Option<Uuid>, bool)> = person::Entity::find()
            .select_only()
            .column(person::Column::Id)
            .column(person::Column::ManagerId)
            .column(person::Column::UnitId)
            .column(person::Column::Active)
            .filter(person::Column::Id.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await?;
        for (id, manager, unit, active) in rows {
            people.insert(id, (manager, unit, active));
        }
    }
    let colleagues = if peers > 0 {
        colleagues_in(db, people.values().filter_map(|p| p.1).collect()).await?
    } else {
        HashMap::new()
    };
    let mut created = 0;
    for d in due {
        let Some(&(manager, unit, active)) = people.get(&d.learner) else {
            continue;
        };
        if !active {
            continue;
        }
        let mut sides = vec![
            (RaterType::SelfRating, 0, Some(d.learner)),
            (RaterType::Manager, 0, manager),
        ];
        let others = unit
            .and_then(|u| colleagues.get(&u))
            .map(|list| peers_for(list, d.assignment, d.learner, manager, peers))
            .unwrap_or_default();
        sides.extend(
            others
                .into_iter()
                .zip(1..)
                .map(|(p, slot)| (RaterType::Peer, slot, Some(p))),
        );
        for (side, slot, rater) in sides {
            let Some(rater) = rater else { continue };
            if existing.contains(&(d.assignment, d.wave, side, slot))
                || (side == RaterType::Peer && raters.contains(&(d.assignment, d.wave, rater)))
            {
                continue;
            }
            if insert(db, &d, (side, slot), rater, window).await? {
                created += 1;
            }
        }
    }
    Ok(created)
}

/// The active people of each unit in `units`.
async fn colleagues_in(
    db: &impl ConnectionTrait,
    units: HashSet<Uuid>,
) -> Result<HashMap<Uuid, Vec<Uuid>>, AppError> {
    let mut out: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    let units: Vec<Uuid> = units.into_iter().collect();
    for chunk in units.chunks(500) {
        let rows: Vec<(Uuid, Option<Uuid>)> = person::Entity::find()
            .select_only()
            .column(person::Column::Id)
            .column(person::Column::UnitId)
            .filter(person::Column::UnitId.is_in(chunk.to_vec()))
            .filter(person::Column::Active.eq(true))
            .into_tuple()
            .all(db)
            .await?;
        for (id, unit) in rows {
            if let Some(u) = unit {
                out.entry(u).or_default().push(id);
            }
        }
    }
    Ok(out)
}

/// `n` colleagues for one completion: not the learner, not their manager, in
/// an order that depends only on the completion and the people, so every
/// sweep draws the same ones and different completions spread the asking.
pub fn peers_for(
    unit: &[Uuid],
    completion: Uuid,
    learner: Uuid,
    manager: Option<Uuid>,
    n: i32,
) -> Vec<Uuid> {
    let mut others: Vec<Uuid> = unit
        .iter()
        .copied()
        .filter(|p| *p != learner && Some(*p) != manager)
        .collect();
    others.sort_by_key(|p| (p.as_u128() ^ completion.as_u128(), *p));
    others.truncate(usize::try_from(n).unwrap_or(0));
    others
}

/// Inserts one follow-up and its "opened" notice together; false when another
/// sweep got there first.
async fn insert<C>(
    db: &C,
    d: &Due,
    (side, slot): (RaterType, i32),
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
        slot: Set(slot),
    })
    .on_conflict(
        OnConflict::columns([
            follow_up::Column::AssignmentId,
            follow_up::Column::Wave,
            follow_up::Column::RaterType,
            follow_up::Column::Slot,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: u128) -> Vec<Uuid> {
        (1..=n).map(Uuid::from_u128).collect()
    }

    #[test]
    fn colleagues_leave_out_the_learner_and_the_manager() {
        let unit = ids(8);
        let (learner, manager) = (unit[0], unit[1]);
        let completion = Uuid::from_u128(0xfeed);
        let picked = peers_for(&unit, completion, learner, Some(manager), 3);
        assert_eq!(picked.len(), 3);
        assert!(!picked.contains(&learner) && !picked.contains(&manager));
        let distinct: HashSet<&Uuid> = picked.iter().collect();
        assert_eq!(distinct.len(), 3);
        // The same completion draws the same people, however the unit is listed.
        let mut shuffled = unit.clone();
        shuffled.reverse();
        assert_eq!(
            peers_for(&shuffled, completion, learner, Some(manager), 3),
            picked
        );
        // Another completion may ask others: over a few, more than three are asked.
        let asked: HashSet<Uuid> = (0..6)
            .flat_map(|c| peers_for(&unit, Uuid::from_u128(c), learner, Some(manager), 3))
            .collect();
        assert!(asked.len() > 3, "{asked:?}");
    }

    #[test]
    fn a_small_unit_gives_who_it_has() {
        let unit = ids(3);
        let picked = peers_for(&unit, Uuid::nil(), unit[0], Some(unit[1]), 5);
        assert_eq!(picked, vec![unit[2]]);
        assert!(peers_for(&unit, Uuid::nil(), unit[0], None, 0).is_empty());
    }
}
