//! Lesson progress and the completion rule: a course is complete for a person when
//! every live lesson in it is done, for a classroom or blended course they
//! attended one of its sessions, and where the course asks for it they answered
//! its reaction form. Completing earns one certificate and credits the course's
//! hours to the year it was completed in.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, JoinType, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use crate::auth::guard::SessionUser;
use crate::domain::{AssignmentStatus, AuditAction, CourseMode, SeatStatus, Vocabulary};
use crate::entities::{
    assignment, class_session, course, course_module, lesson, lesson_progress, reaction,
    session_seat,
};
use crate::error::AppError;

/// Where a person stands in one course.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    pub total: u32,
    pub done: u32,
    /// The first lesson, in course order, not yet done.
    pub next: Option<Uuid>,
}

impl Progress {
    /// Progress through `order` (the course's live lessons), given which are done.
    pub fn of(order: &[Uuid], done: impl Fn(Uuid) -> bool) -> Progress {
        let mut p = Progress {
            total: order.len() as u32,
            ..Progress::default()
        };
        for id in order {
            if done(*id) {
                p.done += 1;
            } else if p.next.is_none() {
                p.next = Some(*id);
            }
        }
        p
    }

    /// The completion rule: every live lesson done (a course has at least one).
    pub fn complete(&self) -> bool {
        self.total > 0 && self.done == self.total
    }

    pub fn percent(&self) -> u32 {
        (self.done * 100).checked_div(self.total).unwrap_or(0)
    }
}

/// Each course's live lessons in course order (module position, then lesson).
pub async fn lesson_order(
    db: &impl ConnectionTrait,
    courses: &[Uuid],
) -> Result<HashMap<Uuid, Vec<Uuid>>, AppError> {
    // (module position, lesson position) orders a course's lessons. One query, ids
    // and places only: lesson bodies can be long, and My learning asks every load.
    type Placed = ((i32, i32), Uuid);
    let in_module = lesson::Entity::belongs_to(course_module::Entity)
        .from(lesson::Column::ModuleId)
        .to(course_module::Column::Id)
        .into();
    let lessons: Vec<(Uuid, Uuid, i32, i32)> = lesson::Entity::find()
        .select_only()
        .column_as(lesson::Column::Id, "lesson_id")
        .column_as(lesson::Column::CourseId, "course_id")
        .column_as(course_module::Column::Position, "module_position")
        .column_as(lesson::Column::Position, "lesson_position")
        .join(JoinType::InnerJoin, in_module)
        .filter(lesson::Column::CourseId.is_in(courses.to_vec()))
        .filter(lesson::Column::RemovedAt.is_null())
        .filter(course_module::Column::RemovedAt.is_null())
        .into_tuple()
        .all(db)
        .await?;
    let mut keyed: HashMap<Uuid, Vec<Placed>> = HashMap::new();
    for (id, course_id, module_position, position) in lessons {
        keyed
            .entry(course_id)
            .or_default()
            .push(((module_position, position), id));
    }
    Ok(keyed
        .into_iter()
        .map(|(c, mut ls)| {
            ls.sort();
            (c, ls.into_iter().map(|(_, id)| id).collect())
        })
        .collect())
}

/// The (person, lesson) pairs done among these people and courses.
pub async fn done_lessons(
    db: &impl ConnectionTrait,
    people: &[Uuid],
    courses: &[Uuid],
) -> Result<HashSet<(Uuid, Uuid)>, AppError> {
    Ok(lesson_progress::Entity::find()
        .filter(lesson_progress::Column::PersonId.is_in(people.to_vec()))
        .filter(lesson_progress::Column::CourseId.is_in(courses.to_vec()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.person_id, p.lesson_id))
        .collect())
}

/// Progress of each (person, course) pair given.
pub async fn progress_of(
    db: &impl ConnectionTrait,
    pairs: &[(Uuid, Uuid)],
) -> Result<HashMap<(Uuid, Uuid), Progress>, AppError> {
    let people: Vec<Uuid> = pairs
        .iter()
        .map(|p| p.0)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let courses: Vec<Uuid> = pairs
        .iter()
        .map(|p| p.1)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let order = lesson_order(db, &courses).await?;
    let done = done_lessons(db, &people, &courses).await?;
    Ok(pairs
        .iter()
        .map(|&(person, c)| {
            let lessons = order.get(&c).map(Vec::as_slice).unwrap_or_default();
            (
                (person, c),
                Progress::of(lessons, |l| done.contains(&(person, l))),
            )
        })
        .collect())
}

/// Whether the course's rule asks for attendance at one of its sessions: set per
/// course, and only where there are sessions (classroom, blended).
pub fn needs_attendance(c: &course::Model) -> bool {
    c.requires_attendance && c.mode != CourseMode::Online
}

/// Whether a learner may answer the course's reaction form: once the course is
/// complete or they attended one of its sessions, or, when the form is part of
/// the completion rule, once the rest of the rule is met.
pub fn reaction_opens(
    c: &course::Model,
    status: AssignmentStatus,
    lessons_complete: bool,
    attended: bool,
) -> bool {
    match status {
        AssignmentStatus::Completed => true,
        AssignmentStatus::Assigned => {
            attended || (c.reaction_required && lessons_complete && !needs_attendance(c))
        }
        AssignmentStatus::Withdrawn => false,
    }
}

/// The courses among `courses` where `person` was marked present at a session
/// that took place (not cancelled).
pub async fn attended_courses(
    db: &impl ConnectionTrait,
    person: Uuid,
    courses: &[Uuid],
) -> Result<HashSet<Uuid>, AppError> {
    let of_session = session_seat::Entity::belongs_to(class_session::Entity)
        .from(session_seat::Column::SessionId)
        .to(class_session::Column::Id)
        .into();
    Ok(session_seat::Entity::find()
        .select_only()
        .column_as(class_session::Column::CourseId, "course_id")
        .join(JoinType::InnerJoin, of_session)
        .filter(session_seat::Column::PersonId.eq(person))
        .filter(session_seat::Column::Attended.eq(true))
        .filter(session_seat::Column::Status.eq(SeatStatus::Enrolled))
        .filter(class_session::Column::CourseId.is_in(courses.to_vec()))
        .filter(class_session::Column::CancelledAt.is_null())
        .into_tuple::<Uuid>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// Completes `a` when the course's rule is met (every lesson done, attendance
/// where the course is taught in a room, the reaction form where it is asked for). Returns the certificate's code when this
/// call completed it.
pub async fn complete_if_met(
    txn: &impl ConnectionTrait,
    a: &assignment::Model,
    now: chrono::DateTime<Utc>,
) -> Result<Option<String>, AppError> {
    if a.status != AssignmentStatus::Assigned {
        return Ok(None);
    }
    let Some(c) = course::Entity::find_by_id(a.course_id).one(txn).await? else {
        return Ok(None);
    };
    let order = lesson_order(txn, &[c.id])
        .await?
        .remove(&c.id)
        .unwrap_or_default();
    let done = done_lessons(txn, &[a.person_id], &[c.id]).await?;
    if !Progress::of(&order, |x| done.contains(&(a.person_id, x))).complete() {
        return Ok(None);
    }
    if needs_attendance(&c)
        && !attended_courses(txn, a.person_id, &[c.id])
            .await?
            .contains(&c.id)
    {
        return Ok(None);
    }
    if c.reaction_required
        && reaction::Entity::find()
            .filter(reaction::Column::PersonId.eq(a.person_id))
            .filter(reaction::Column::CourseId.eq(c.id))
            .one(txn)
            .await?
            .is_none()
    {
        return Ok(None);
    }
    complete(txn, a, now).await
}

/// What marking a lesson done led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marked {
    pub course_id: Uuid,
    pub next: Option<Uuid>,
    /// The certificate's code when this mark completed the course.
    pub certificate: Option<String>,
}

/// The caller's live (assigned or completed) assignment to a course, if any.
pub async fn active_assignment(
    db: &impl ConnectionTrait,
    person: Uuid,
    course: Uuid,
) -> Result<Option<assignment::Model>, AppError> {
    Ok(assignment::Entity::find()
        .filter(assignment::Column::PersonId.eq(person))
        .filter(assignment::Column::CourseId.eq(course))
        .filter(assignment::Column::Status.ne(AssignmentStatus::Withdrawn))
        .one(db)
        .await?)
}

/// Marks a lesson done for the caller, who must have the course (assigned or
/// enrolled). Marking twice changes nothing. When it was the last lesson, the
/// assignment is completed and a certificate issued, once, in the same transaction.
pub async fn mark_done(
    db: &DatabaseConnection,
    me: &SessionUser,
    lesson_id: Uuid,
) -> Result<Marked, AppError> {
    let l = lesson::Entity::find_by_id(lesson_id)
        .filter(lesson::Column::RemovedAt.is_null())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let Some(a) = active_assignment(db, me.id, l.course_id).await? else {
        return Err(AppError::Forbidden);
    };
    let txn = db.begin().await?;
    let now = Utc::now();
    // Written first: SQLite then holds the write lock for the rest of the work.
    lesson_progress::Entity::insert(lesson_progress::ActiveModel {
        id: Set(Uuid::new_v4()),
        person_id: Set(me.id),
        lesson_id: Set(l.id),
        course_id: Set(l.course_id),
        done_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([
            lesson_progress::Column::PersonId,
            lesson_progress::Column::LessonId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    let order = lesson_order(&txn, &[l.course_id])
        .await?
        .remove(&l.course_id)
        .unwrap_or_default();
    let done = done_lessons(&txn, &[me.id], &[l.course_id]).await?;
    let progress = Progress::of(&order, |x| done.contains(&(me.id, x)));
    let certificate = if progress.complete() {
        complete_if_met(&txn, &a, now).await?
    } else {
        None
    };
    txn.commit().await?;
    Ok(Marked {
        course_id: l.course_id,
        next: progress.next,
        certificate,
    })
}

/// Completes an assignment (a conditional claim, so it happens once) and issues its
/// certificate. Returns the certificate's code, or `None` when already completed.
pub async fn complete(
    txn: &impl ConnectionTrait,
    a: &assignment::Model,
    now: chrono::DateTime<Utc>,
) -> Result<Option<String>, AppError> {
    use sea_orm::sea_query::Expr;
    let claimed = assignment::Entity::update_many()
        .col_expr(
            assignment::Column::Status,
            Expr::value(AssignmentStatus::Completed.as_str()),
        )
        .col_expr(assignment::Column::CompletedAt, Expr::value(now))
        .filter(assignment::Column::Id.eq(a.id))
        .filter(assignment::Column::Status.eq(AssignmentStatus::Assigned))
        .exec(txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Ok(None);
    }
    let c = course::Entity::find_by_id(a.course_id)
        .one(txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let code = crate::certificates::service::issue(txn, a, &c, now).await?;
    crate::audit::Entry::new(a.person_id, AuditAction::CourseComplete)
        .on("course", c.id)
        .after(json!({ "course": c.code, "hours": c.hours, "certificate": code }))
        .record(txn)
        .await?;
    Ok(Some(code))
}

/// The courses a person completed, newest first.
pub async fn completed(
    db: &impl ConnectionTrait,
    person: Uuid,
) -> Result<Vec<assignment::Model>, AppError> {
    Ok(assignment::Entity::find()
        .filter(assignment::Column::PersonId.eq(person))
        .filter(assignment::Column::Status.eq(AssignmentStatus::Completed))
        .order_by_desc(assignment::Column::CompletedAt)
        .all(db)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_counts_done_lessons_and_finds_the_next_one() {
        let ids: Vec<Uuid> = (0..4).map(|_| Uuid::new_v4()).collect();
        let done: HashSet<Uuid> = [ids[0], ids[2]].into();
        let p = Progress::of(&ids, |l| done.contains(&l));
        assert_eq!(
            p,
            Progress {
                total: 4,
                done: 2,
                next: Some(ids[1])
            }
        );
        assert_eq!(p.percent(), 50);
        assert!(!p.complete());
        let all = Progress::of(&ids, |_| true);
        assert!(all.complete());
        assert_eq!(all.next, None);
        assert_eq!(all.percent(), 100);
    }

    #[test]
    fn a_course_without_lessons_is_never_complete() {
        let p = Progress::of(&[], |_| true);
        assert!(!p.complete());
        assert_eq!(p.percent(), 0);
    }
}
