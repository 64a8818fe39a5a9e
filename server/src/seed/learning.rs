//! Demo learning: people at varied stages of their assigned courses (李娜 halfway
//! through one and overdue on another), completions with certificates, and a few
//! dozen self-enrolments completed this autumn, so the hours record has a year.

use app::domain::{AssignmentSource, AssignmentStatus, CourseStatus};
use app::entities::{assignment, course, lesson_progress, person};
use app::error::AppError;
use app::learning::progress::{complete, lesson_order};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::synth::Synth;

/// Self-enrolment courses the demo's staff completed on their own.
const POPULAR: [&str; 3] = ["SVC-ETQ-01", "SEC-DATA-01", "POL-PEN-2026"];

pub struct Learning {
    pub lessons_done: usize,
    pub completed: usize,
}

/// Marks the first `n` lessons of a course done for a person, an hour apart
/// ending at `at`.
async fn do_lessons(
    db: &impl ConnectionTrait,
    synth: &mut Synth,
    person: Uuid,
    course: Uuid,
    lessons: &[Uuid],
    n: usize,
    at: DateTime<Utc>,
) -> Result<usize, AppError> {
    let n = n.min(lessons.len());
    for (i, l) in lessons.iter().take(n).enumerate() {
        lesson_progress::ActiveModel {
            id: Set(synth.uuid()),
            person_id: Set(person),
            lesson_id: Set(*l),
            course_id: Set(course),
            done_at: Set(at - Duration::hours((n - i) as i64)),
        }
        .insert(db)
        .await?;
    }
    Ok(n)
}

pub async fn learn_some(
    db: &impl ConnectionTrait,
    synth: &mut Synth,
    people: &[person::Model],
    start: DateTime<Utc>,
) -> Result<Learning, AppError> {
    let now = Utc::now();
    let li_na = people
        .iter()
        .find(|p| p.employee_no == "S0001")
        .map(|p| p.id);
    let mut out = Learning {
        lessons_done: 0,
        completed: 0,
    };
    let assigned = assignment::Entity::find()
        .filter(assignment::Column::Status.eq(AssignmentStatus::Assigned))
        .order_by_asc(assignment::Column::PersonId)
        .order_by_desc(assignment::Column::DueAt)
        .all(db)
        .await?;
    let courses: Vec<Uuid> = course::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    let order = lesson_order(db, &courses).await?;
    let lessons_of = |c: Uuid| order.get(&c).cloned().unwrap_or_default();
    // Within the demo's autumn, never in the future.
    let day = |d: i64| (start + Duration::days(d)).min(now - Duration::hours(2));
    let mut li_na_started = false;
    for (i, a) in assigned.iter().enumerate() {
        let lessons = lessons_of(a.course_id);
        if Some(a.person_id) == li_na {
            // Her later-due course is half done; the overdue one is untouched.
            if !li_na_started {
                li_na_started = true;
                let half = (lessons.len() / 2)
                    .max(1)
                    .min(lessons.len().saturating_sub(1));
                out.lessons_done +=
                    do_lessons(db, synth, a.person_id, a.course_id, &lessons, half, day(40))
                        .await?;
            }
            continue;
        }
        let at = day(25 + (i as i64 * 5) % 60);
        match i % 4 {
            0 => {
                out.lessons_done += do_lessons(
                    db,
                    synth,
                    a.person_id,
                    a.course_id,
                    &lessons,
                    lessons.len(),
                    at,
                )
                .await?;
                if complete(db, a, at).await?.is_some() {
                    out.completed += 1;
                }
            }
            1 => {
                out.lessons_done +=
                    do_lessons(db, synth, a.person_id, a.course_id, &lessons, 1, at).await?
            }
            2 => {
                let half = lessons.len() / 2;
                out.lessons_done +=
                    do_lessons(db, synth, a.person_id, a.course_id, &lessons, half, at).await?
            }
            _ => {}
        }
    }
    // Every seventh colleague took one of the popular courses of their own accord.
    let popular: Vec<course::Model> = course::Entity::find()
        .filter(course::Column::Code.is_in(POPULAR))
        .filter(course::Column::Status.eq(CourseStatus::Published))
        .order_by_asc(course::Column::Code)
        .all(db)
        .await?;
    let taken: std::collections::HashSet<(Uuid, Uuid)> = assigned
        .iter()
        .map(|a| (a.person_id, a.course_id))
        .collect();
    for (k, p) in people
        .iter()
        .filter(|p| Some(p.id) != li_na && p.employee_no.starts_with("QX"))
        .step_by(7)
        .enumerate()
    {
        let Some(c) = popular.get(k % popular.len().max(1)) else {
            break;
        };
        if taken.contains(&(p.id, c.id)) {
            continue;
        }
        let enrolled = day(3 + (k as i64 * 4) % 50);
        let done = day(10 + (k as i64 * 4) % 70);
        let a = assignment::ActiveModel {
            id: Set(synth.uuid()),
            person_id: Set(p.id),
            course_id: Set(c.id),
            source: Set(AssignmentSource::SelfEnrolled),
            proposal_id: Set(None),
            reason: Set(String::new()),
            assigned_by: Set(Some(p.id)),
            assigned_at: Set(enrolled.min(done)),
            due_at: Set(None),
            status: Set(AssignmentStatus::Assigned),
            completed_at: Set(None),
        }
        .insert(db)
        .await?;
        let lessons = lessons_of(c.id);
        out.lessons_done +=
            do_lessons(db, synth, p.id, c.id, &lessons, lessons.len(), done).await?;
        if complete(db, &a, done).await?.is_some() {
            out.completed += 1;
        }
    }
    Ok(out)
}

/// A course some colleagues took together, assigned by their manager.
pub struct Class {
    pub code: &'static str,
    pub reason: &'static str,
    pub assigned_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub manager: Uuid,
}

/// 十月信息化专题培训: the hall colleagues in `class` took 社保经办系统实操
/// (SI-SYS-101) in October, between the baseline survey and its follow-up,
/// assigned by their manager. Seeded last and from its own random source, so
/// the rest of the demo stays as it was.
pub async fn october_it_class(
    db: &impl ConnectionTrait,
    class: &[Uuid],
    manager: Uuid,
) -> Result<usize, AppError> {
    let mut synth = Synth::new(202_610);
    let october = Class {
        code: "SI-SYS-101",
        reason: "十月信息化专题培训：窗口经办系统操作",
        assigned_at: october_assigned()?,
        due_at: super::campaigns::local(2026, 10, 31, 18, 0)?,
        manager,
    };
    take(db, &mut synth, &october, &october_done(class)?).await
}

/// When the October class was assigned.
pub fn october_assigned() -> Result<DateTime<Utc>, AppError> {
    super::campaigns::local(2026, 10, 9, 9, 0)
}

/// Each of the October class and when they completed the course.
pub fn october_done(class: &[Uuid]) -> Result<Vec<(Uuid, DateTime<Utc>)>, AppError> {
    class
        .iter()
        .enumerate()
        .map(|(i, person)| {
            let done = super::campaigns::local(2026, 10, 16 + (i % 10) as u32, 16, 30)?;
            Ok((*person, done))
        })
        .collect()
}

/// Each (person, finished at) completes the class's course: assigned (or an
/// open assignment kept), every lesson done, completed; a proposal of the
/// course still waiting for them is settled by it. Returns how many completed.
pub async fn take(
    db: &impl ConnectionTrait,
    synth: &mut Synth,
    class: &Class,
    learners: &[(Uuid, DateTime<Utc>)],
) -> Result<usize, AppError> {
    use app::domain::ProposalStatus;
    use app::entities::proposal;
    let Some(c) = course::Entity::find()
        .filter(course::Column::Code.eq(class.code))
        .one(db)
        .await?
    else {
        return Ok(0);
    };
    let lessons = lesson_order(db, &[c.id])
        .await?
        .remove(&c.id)
        .unwrap_or_default();
    let mut completed = 0;
    for &(person, done) in learners {
        let existing = assignment::Entity::find()
            .filter(assignment::Column::PersonId.eq(person))
            .filter(assignment::Column::CourseId.eq(c.id))
            .one(db)
            .await?;
        let a = match existing {
            Some(a) if a.status != AssignmentStatus::Assigned => continue,
            Some(a) => {
                let mut am: assignment::ActiveModel = a.clone().into();
                am.assigned_at = Set(a.assigned_at.min(class.assigned_at));
                am.update(db).await?
            }
            None => {
                assignment::ActiveModel {
                    id: Set(synth.uuid()),
                    person_id: Set(person),
                    course_id: Set(c.id),
                    source: Set(AssignmentSource::Manual),
                    proposal_id: Set(None),
                    reason: Set(class.reason.into()),
                    assigned_by: Set(Some(class.manager)),
                    assigned_at: Set(class.assigned_at),
                    due_at: Set(Some(class.due_at)),
                    status: Set(AssignmentStatus::Assigned),
                    completed_at: Set(None),
                }
                .insert(db)
                .await?
            }
        };
        let started: std::collections::HashSet<Uuid> = lesson_progress::Entity::find()
            .filter(lesson_progress::Column::PersonId.eq(person))
            .filter(lesson_progress::Column::CourseId.eq(c.id))
            .all(db)
            .await?
            .into_iter()
            .map(|l| l.lesson_id)
            .collect();
        let missing: Vec<Uuid> = lessons
            .iter()
            .copied()
            .filter(|l| !started.contains(l))
            .collect();
        do_lessons(db, synth, person, c.id, &missing, missing.len(), done).await?;
        if complete(db, &a, done).await?.is_some() {
            completed += 1;
        }
        proposal::Entity::delete_many()
            .filter(proposal::Column::PersonId.eq(person))
            .filter(proposal::Column::CourseId.eq(c.id))
            .filter(proposal::Column::Status.eq(ProposalStatus::Proposed))
            .exec(db)
            .await?;
    }
    Ok(completed)
}
