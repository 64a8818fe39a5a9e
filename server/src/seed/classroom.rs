//! Demo classroom training: 王建国 assigned the complaints course to a dozen of his
//! hall; one session took place last month (attendance taken), the next is in
//! December with seats left and nobody yet on the waiting list.

use app::domain::{AssignmentSource, AssignmentStatus, SeatStatus};
use app::entities::{assignment, class_session, course, person, session_seat};
use app::error::AppError;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::synth::Synth;

pub async fn insert(
    db: &impl ConnectionTrait,
    synth: &mut Synth,
    people: &[person::Model],
    manager: Uuid,
    trainer: Uuid,
    assigned_at: DateTime<Utc>,
) -> Result<usize, AppError> {
    let Some(c) = course::Entity::find()
        .filter(course::Column::Code.eq("SVC-CMP-02"))
        .one(db)
        .await?
    else {
        return Ok(0);
    };
    let hall = people
        .iter()
        .find(|p| p.id == manager)
        .and_then(|p| p.unit_id);
    let has: Vec<Uuid> = assignment::Entity::find()
        .filter(assignment::Column::CourseId.eq(c.id))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.person_id)
        .collect();
    let class: Vec<&person::Model> = people
        .iter()
        .filter(|p| p.unit_id == hall && p.id != manager && p.employee_no.starts_with("QX"))
        .filter(|p| !has.contains(&p.id))
        .take(12)
        .collect();
    for p in &class {
        let id = synth.uuid();
        assignment::ActiveModel {
            id: Set(id),
            person_id: Set(p.id),
            course_id: Set(c.id),
            source: Set(AssignmentSource::Manual),
            proposal_id: Set(None),
            reason: Set("大厅投诉量上升，投诉处理专题培训全员参加".into()),
            assigned_by: Set(Some(manager)),
            assigned_at: Set(assigned_at),
            due_at: Set(Some(Utc::now() + Duration::days(45))),
            status: Set(AssignmentStatus::Assigned),
            completed_at: Set(None),
        }
        .insert(db)
        .await?;
    }
    // Office time 14:30–17:00 on a day last month and on a day next month.
    let day = |d: i64| {
        let base = (Utc::now() + Duration::days(d)).date_naive();
        base.and_hms_opt(6, 30, 0)
            .map(|t| t.and_utc())
            .unwrap_or_else(Utc::now)
    };
    let sessions = [
        (day(-20), "服务大厅三楼会议室", 10, 10),
        (day(12), "服务大厅三楼会议室", 8, 2),
    ];
    let mut seat_people = class.iter();
    for (starts, place, capacity, seated) in sessions {
        let id = synth.uuid();
        class_session::ActiveModel {
            id: Set(id),
            course_id: Set(c.id),
            starts_at: Set(starts),
            ends_at: Set(starts + Duration::minutes(150)),
            place: Set(place.into()),
            capacity: Set(capacity),
            seats_taken: Set(0),
            trainer_id: Set(Some(trainer)),
            created_at: Set(assigned_at),
            cancelled_at: Set(None),
        }
        .insert(db)
        .await?;
        let mut taken = 0;
        for (n, p) in seat_people.by_ref().take(seated).enumerate() {
            session_seat::ActiveModel {
                id: Set(synth.uuid()),
                session_id: Set(id),
                person_id: Set(p.id),
                status: Set(SeatStatus::Enrolled),
                // One was off sick at the past session.
                attended: Set(starts < Utc::now() && n != 3),
                created_at: Set(assigned_at + Duration::hours(n as i64)),
            }
            .insert(db)
            .await?;
            taken += 1;
        }
        class_session::Entity::update_many()
            .col_expr(
                class_session::Column::SeatsTaken,
                sea_orm::sea_query::Expr::value(taken),
            )
            .filter(class_session::Column::Id.eq(id))
            .exec(db)
            .await?;
    }
    Ok(2)
}

/// A classroom session of `course` that has taken place, everyone in `people`
/// seated and present; those without the course are enrolled in it by the
/// trainer for this session.
pub async fn past_session(
    db: &impl ConnectionTrait,
    synth: &mut Synth,
    course: Uuid,
    starts: DateTime<Utc>,
    place: &str,
    trainer: Uuid,
    people: &[Uuid],
) -> Result<Uuid, AppError> {
    let id = synth.uuid();
    let seats = i32::try_from(people.len()).unwrap_or(i32::MAX);
    class_session::ActiveModel {
        id: Set(id),
        course_id: Set(course),
        starts_at: Set(starts),
        ends_at: Set(starts + Duration::minutes(150)),
        place: Set(place.into()),
        capacity: Set(seats),
        seats_taken: Set(seats),
        trainer_id: Set(Some(trainer)),
        created_at: Set(starts - Duration::days(10)),
        cancelled_at: Set(None),
    }
    .insert(db)
    .await?;
    let has: Vec<Uuid> = assignment::Entity::find()
        .filter(assignment::Column::CourseId.eq(course))
        .filter(assignment::Column::PersonId.is_in(people.to_vec()))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.person_id)
        .collect();
    for (n, p) in people.iter().enumerate() {
        let booked = starts - Duration::days(7) + Duration::minutes(n as i64);
        if !has.contains(p) {
            assignment::ActiveModel {
                id: Set(synth.uuid()),
                person_id: Set(*p),
                course_id: Set(course),
                source: Set(AssignmentSource::Manual),
                proposal_id: Set(None),
                reason: Set("养老保险新政全员轮训".into()),
                assigned_by: Set(Some(trainer)),
                assigned_at: Set(booked),
                due_at: Set(None),
                status: Set(AssignmentStatus::Assigned),
                completed_at: Set(None),
            }
            .insert(db)
            .await?;
        }
        session_seat::ActiveModel {
            id: Set(synth.uuid()),
            session_id: Set(id),
            person_id: Set(*p),
            status: Set(SeatStatus::Enrolled),
            attended: Set(true),
            created_at: Set(booked),
        }
        .insert(db)
        .await?;
    }
    Ok(id)
}
