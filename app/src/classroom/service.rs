//! Sessions, seats and attendance against the database. A seat is claimed with a
//! conditional update of the session's `seats_taken` (only while below capacity),
//! so concurrent sign-ups never overbook, on SQLite or Postgres.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::{MAX_CAPACITY, SeatStatus, SessionDto, Sessions, Sheet, SheetRow};
use crate::auth::guard::SessionUser;
use crate::common::{clock, validate};
use crate::domain::{AuditAction, CourseMode, NotificationKind, Vocabulary};
use crate::entities::{class_session, course, person, session_seat};
use crate::error::{AppError, FieldError, Problem};
use crate::learning::progress::active_assignment;
use crate::state::Settings;

fn dto(
    s: &class_session::Model,
    me: Uuid,
    settings: &Settings,
    waiting: u32,
    trainer: Option<(String, String)>,
    mine: Option<(SeatStatus, Option<u32>)>,
) -> SessionDto {
    let (trainer, trainer_no) = trainer.unzip();
    let tz = settings.timezone;
    SessionDto {
        id: s.id,
        date: clock::local(tz, s.starts_at, "%Y-%m-%d"),
        start: clock::local(tz, s.starts_at, "%H:%M"),
        end: clock::local(tz, s.ends_at, "%H:%M"),
        place: s.place.clone(),
        capacity: s.capacity,
        taken: s.seats_taken,
        waiting,
        trainer,
        trainer_no,
        mine: mine.map(|m| m.0),
        my_place: mine.and_then(|m| m.1),
        past: s.starts_at < Utc::now(),
        cancelled: s.cancelled_at.is_some(),
        teaching: s.trainer_id == Some(me),
    }
}

pub async fn list(
    db: &DatabaseConnection,
    settings: &Settings,
    me: &SessionUser,
    course_id: Uuid,
) -> Result<Sessions, AppError> {
    let c = crate::courses::service::visible_course(db, me, course_id).await?;
    let can_manage = crate::courses::service::editable(db, me, course_id)
        .await
        .is_ok();
    let sessions = class_session::Entity::find()
        .filter(class_session::Column::CourseId.eq(course_id))
        .order_by_asc(class_session::Column::StartsAt)
        .all(db)
        .await?;
    let ids: Vec<Uuid> = sessions.iter().map(|s| s.id).collect();
    let seats = session_seat::Entity::find()
        .filter(session_seat::Column::SessionId.is_in(ids))
        .filter(session_seat::Column::Status.ne(SeatStatus::Withdrawn))
        .order_by_asc(session_seat::Column::CreatedAt)
        .order_by_asc(session_seat::Column::Id)
        .all(db)
        .await?;
    let trainers: HashMap<Uuid, (String, String)> = person::Entity::find()
        .filter(person::Column::Id.is_in(sessions.iter().filter_map(|s| s.trainer_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, (p.name, p.employee_no)))
        .collect();
    let out = sessions
        .iter()
        .map(|s| {
            let queue: Vec<&session_seat::Model> = seats
                .iter()
                .filter(|x| x.session_id == s.id && x.status == SeatStatus::Waiting)
                .collect();
            let mine = seats
                .iter()
                .find(|x| x.session_id == s.id && x.person_id == me.id)
                .map(|x| {
                    let place = queue
                        .iter()
                        .position(|q| q.id == x.id)
                        .map(|p| p as u32 + 1);
                    (x.status, place)
                });
            let trainer = s.trainer_id.and_then(|t| trainers.get(&t).cloned());
            dto(s, me.id, settings, queue.len() as u32, trainer, mine)
        })
        .collect();
    Ok(Sessions {
        sessions: out,
        can_manage,
        can_enrol: active_assignment(db, me.id, course_id).await?.is_some(),
        classroom: c.mode != CourseMode::Online,
    })
}

/// A new session as typed in the form.
pub struct NewSession {
    pub date: String,
    pub start: String,
    pub end: String,
    pub place: String,
    pub capacity: String,
    pub trainer: String,
}

/// A date and a time of day (office time) as one instant; a problem names `field`.
fn at(tz: chrono_tz::Tz, date: &str, field: &str, time: &str) -> Result<DateTime<Utc>, FieldError> {
    clock::parse_local(tz, field, &format!("{}T{}", date.trim(), time.trim()))
}

/// A session's form, checked: (starts, ends, place, capacity, trainer).
pub(super) type Checked = (DateTime<Utc>, DateTime<Utc>, String, i32, Option<Uuid>);

/// Checks a session's form for `c`; every problem is reported at once.
pub(super) async fn checked(
    db: &DatabaseConnection,
    settings: &Settings,
    c: &course::Model,
    form: &NewSession,
) -> Result<Checked, AppError> {
    let tz = settings.timezone;
    let (starts, ends, place, capacity) = validate::all((
        if form.date.trim().is_empty() {
            Err(FieldError::new("date", Problem::Required))
        } else {
            at(tz, &form.date, "start", &form.start)
        },
        at(tz, &form.date, "end", &form.end),
        validate::text("place", &form.place, 200),
        validate::number("capacity", &form.capacity, 1, MAX_CAPACITY),
    ))?;
    let mut problems = Vec::new();
    if ends <= starts {
        problems.push(FieldError::new("end", Problem::DateOrder));
    }
    if starts < Utc::now() {
        problems.push(FieldError::new("date", Problem::PastDate));
    }
    if c.mode == CourseMode::Online {
        problems.push(FieldError::new(
            "course",
            Problem::Invalid {
                value: c.code.clone(),
            },
        ));
    }
    let trainer = match form.trainer.trim() {
        "" => None,
        no => match person::Entity::find()
            .filter(person::Column::EmployeeNo.eq(no))
            .filter(person::Column::Active.eq(true))
            .one(db)
            .await?
        {
            Some(p) => Some(p.id),
            None => {
                problems.push(FieldError::new(
                    "trainer",
                    Problem::Unknown {
                        value: no.chars().take(40).collect(),
                    },
                ));
                None
            }
        },
    };
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    Ok((starts, ends, place, capacity, trainer))
}

pub async fn create(
    db: &DatabaseConnection,
    settings: &Settings,
    me: &SessionUser,
    course_id: Uuid,
    form: NewSession,
) -> Result<Uuid, AppError> {
    let c = crate::courses::service::editable(db, me, course_id).await?;
    let (starts, ends, place, capacity, trainer) = checked(db, settings, &c, &form).await?;
    let id = Uuid::new_v4();
    let txn = db.begin().await?;
    class_session::Entity::insert(class_session::ActiveModel {
        id: Set(id),
        course_id: Set(course_id),
        starts_at: Set(starts),
        ends_at: Set(ends),
        place: Set(place.clone()),
        capacity: Set(capacity),
        seats_taken: Set(0),
        trainer_id: Set(trainer),
        created_at: Set(Utc::now()),
        cancelled_at: Set(None),
    })
    .exec_without_returning(&txn)
    .await?;
    crate::audit::Entry::new(me.id, AuditAction::SessionCreate)
        .on("class_session", id)
        .after(
            json!({ "course": c.code, "starts_at": starts, "place": place, "capacity": capacity }),
        )
        .record(&txn)
        .await?;
    txn.commit().await?;
    Ok(id)
}

pub(super) async fn session(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<class_session::Model, AppError> {
    class_session::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Claims one seat of the session if one is free.
async fn claim_seat(db: &impl ConnectionTrait, session: Uuid) -> Result<bool, AppError> {
    let r = class_session::Entity::update_many()
        .col_expr(
            class_session::Column::SeatsTaken,
            Expr::col(class_session::Column::SeatsTaken).add(1),
        )
        .filter(class_session::Column::Id.eq(session))
        .filter(
            Expr::col(class_session::Column::SeatsTaken)
                .lt(Expr::col(class_session::Column::Capacity)),
        )
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Takes a seat (or a waiting-list place) for the caller, who must have the
/// course. Asking again changes nothing. Returns (course, status).
pub async fn enrol(
    db: &DatabaseConnection,
    me: &SessionUser,
    id: Uuid,
) -> Result<(Uuid, SeatStatus), AppError> {
    let s = session(db, id).await?;
    crate::courses::service::visible_course(db, me, s.course_id).await?;
    if active_assignment(db, me.id, s.course_id).await?.is_none() {
        return Err(AppError::Forbidden);
    }
    if s.cancelled_at.is_some() {
        return Err(AppError::Conflict(Problem::SessionOver));
    }
    if s.starts_at < Utc::now() {
        return Err(AppError::Conflict(Problem::NotOpen));
    }
    let existing = session_seat::Entity::find()
        .filter(session_seat::Column::SessionId.eq(id))
        .filter(session_seat::Column::PersonId.eq(me.id))
        .one(db)
        .await?;
    if let Some(seat) = &existing
        && seat.status != SeatStatus::Withdrawn
    {
        return Ok((s.course_id, seat.status));
    }
    let txn = db.begin().await?;
    let status = if claim_seat(&txn, id).await? {
        SeatStatus::Enrolled
    } else {
        SeatStatus::Waiting
    };
    let placed = match &existing {
        // Back after withdrawing: the same row, at the back of the queue.
        Some(seat) => {
            session_seat::Entity::update_many()
                .col_expr(session_seat::Column::Status, Expr::value(status.as_str()))
                .col_expr(session_seat::Column::CreatedAt, Expr::value(Utc::now()))
                .filter(session_seat::Column::Id.eq(seat.id))
                .filter(session_seat::Column::Status.eq(SeatStatus::Withdrawn))
                .exec(&txn)
                .await?
                .rows_affected
        }
        None => {
            session_seat::Entity::insert(session_seat::ActiveModel {
                id: Set(Uuid::new_v4()),
                session_id: Set(id),
                person_id: Set(me.id),
                status: Set(status),
                attended: Set(false),
                created_at: Set(Utc::now()),
            })
            .on_conflict(
                OnConflict::columns([
                    session_seat::Column::SessionId,
                    session_seat::Column::PersonId,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?
        }
    };
    if placed != 1 {
        // The same person from another tab got there first: give the seat back.
        txn.rollback().await?;
        let now = session_seat::Entity::find()
            .filter(session_seat::Column::SessionId.eq(id))
            .filter(session_seat::Column::PersonId.eq(me.id))
            .one(db)
            .await?
            .map_or(SeatStatus::Waiting, |x| x.status);
        return Ok((s.course_id, now));
    }
    crate::audit::Entry::new(me.id, AuditAction::SessionEnrol)
        .on("class_session", id)
        .after(json!({ "status": status.as_str() }))
        .record(&txn)
        .await?;
    txn.commit().await?;
    Ok((s.course_id, status))
}

/// Gives up the caller's seat or place; a freed seat goes to the first on the
/// waiting list, who is told. Returns the course.
pub async fn withdraw(
    db: &DatabaseConnection,
    me: &SessionUser,
    id: Uuid,
) -> Result<Uuid, AppError> {
    let s = session(db, id).await?;
    let seat = session_seat::Entity::find()
        .filter(session_seat::Column::SessionId.eq(id))
        .filter(session_seat::Column::PersonId.eq(me.id))
        .filter(session_seat::Column::Status.ne(SeatStatus::Withdrawn))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let txn = db.begin().await?;
    let left = session_seat::Entity::update_many()
        .col_expr(
            session_seat::Column::Status,
            Expr::value(SeatStatus::Withdrawn.as_str()),
        )
        .filter(session_seat::Column::Id.eq(seat.id))
        .filter(session_seat::Column::Status.eq(seat.status))
        .exec(&txn)
        .await?;
    if left.rows_affected == 1 && seat.status == SeatStatus::Enrolled {
        class_session::Entity::update_many()
            .col_expr(
                class_session::Column::SeatsTaken,
                Expr::col(class_session::Column::SeatsTaken).sub(1),
            )
            .filter(class_session::Column::Id.eq(id))
            .filter(class_session::Column::SeatsTaken.gt(0))
            .exec(&txn)
            .await?;
        promote(&txn, &s).await?;
    }
    crate::audit::Entry::new(me.id, AuditAction::SessionEnrol)
        .on("class_session", id)
        .before(json!({ "status": seat.status.as_str() }))
        .after(json!({ "status": "withdrawn" }))
        .record(&txn)
        .await?;
    txn.commit().await?;
    Ok(s.course_id)
}

/// Moves the first on the waiting list into a free seat, if there is one.
pub(super) async fn promote(
    txn: &impl ConnectionTrait,
    s: &class_session::Model,
) -> Result<(), AppError> {
    let Some(next) = session_seat::Entity::find()
        .filter(session_seat::Column::SessionId.eq(s.id))
        .filter(session_seat::Column::Status.eq(SeatStatus::Waiting))
        .order_by_asc(session_seat::Column::CreatedAt)
        .order_by_asc(session_seat::Column::Id)
        .one(txn)
        .await?
    else {
        return Ok(());
    };
    if !claim_seat(txn, s.id).await? {
        return Ok(());
    }
    session_seat::Entity::update_many()
        .col_expr(
            session_seat::Column::Status,
            Expr::value(SeatStatus::Enrolled.as_str()),
        )
        .filter(session_seat::Column::Id.eq(next.id))
        .exec(txn)
        .await?;
    if let Some(a) = active_assignment(txn, next.person_id, s.course_id).await? {
        crate::notifications::service::notify_assignment(
            txn,
            next.person_id,
            a.id,
            NotificationKind::SeatPromoted,
        )
        .await?;
    }
    Ok(())
}

/// Who may hold the sign-in sheet: the course's editors and the session's trainer.
async fn sheet_keeper(
    db: &DatabaseConnection,
    me: &SessionUser,
    s: &class_session::Model,
) -> Result<(), AppError> {
    if s.trainer_id == Some(me.id) {
        return Ok(());
    }
    crate::courses::service::editable(db, me, s.course_id)
        .await
        .map(|_| ())
}

pub async fn sheet(
    db: &DatabaseConnection,
    settings: &Settings,
    me: &SessionUser,
    id: Uuid,
) -> Result<Sheet, AppError> {
    let s = session(db, id).await?;
    sheet_keeper(db, me, &s).await?;
    let c = course::Entity::find_by_id(s.course_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let seats = session_seat::Entity::find()
        .filter(session_seat::Column::SessionId.eq(id))
        .filter(session_seat::Column::Status.ne(SeatStatus::Withdrawn))
        .order_by_asc(session_seat::Column::CreatedAt)
        .order_by_asc(session_seat::Column::Id)
        .all(db)
        .await?;
    let people = crate::org::lookup::people_by_id(db, seats.iter().map(|x| x.person_id)).await?;
    let units = crate::org::lookup::unit_names(db).await?;
    let row = |x: &session_seat::Model| {
        people.get(&x.person_id).map(|p| SheetRow {
            person_id: p.id,
            name: p.name.clone(),
            employee_no: p.employee_no.clone(),
            unit: p.unit_id.and_then(|u| units.get(&u).cloned()),
            attended: x.attended,
        })
    };
    let mut rows: Vec<SheetRow> = seats
        .iter()
        .filter(|x| x.status == SeatStatus::Enrolled)
        .filter_map(row)
        .collect();
    rows.sort_by(|a, b| {
        let key = |r: &SheetRow| people.get(&r.person_id).map(|p| p.name_key.clone());
        key(a).cmp(&key(b))
    });
    let waiting = seats
        .iter()
        .filter(|x| x.status == SeatStatus::Waiting)
        .filter_map(row)
        .collect::<Vec<_>>();
    let trainer = match s.trainer_id {
        Some(t) => person::Entity::find_by_id(t)
            .one(db)
            .await?
            .map(|p| (p.name, p.employee_no)),
        None => None,
    };
    Ok(Sheet {
        session: dto(&s, me.id, settings, waiting.len() as u32, trainer, None),
        course_id: c.id,
        course: c.title,
        course_code: c.code,
        rows,
        waiting,
    })
}

/// Sets attendance for the session's enrolled people: those in `present` attended.
pub async fn attendance(
    db: &DatabaseConnection,
    me: &SessionUser,
    id: Uuid,
    present: &[Uuid],
) -> Result<(), AppError> {
    let s = session(db, id).await?;
    sheet_keeper(db, me, &s).await?;
    let present: HashSet<Uuid> = present.iter().copied().collect();
    let txn = db.begin().await?;
    for (value, people) in [
        (true, present.iter().copied().collect::<Vec<_>>()),
        (false, Vec::new()),
    ] {
        let mut q = session_seat::Entity::update_many()
            .col_expr(session_seat::Column::Attended, Expr::value(value))
            .filter(session_seat::Column::SessionId.eq(id))
            .filter(session_seat::Column::Status.eq(SeatStatus::Enrolled));
        q = if value {
            q.filter(session_seat::Column::PersonId.is_in(people))
        } else {
            q.filter(session_seat::Column::PersonId.is_not_in(present.iter().copied()))
        };
        q.exec(&txn).await?;
    }
    // Attendance may be what was missing for someone's course to be complete.
    let now = Utc::now();
    for person in &present {
        if let Some(a) = active_assignment(&txn, *person, s.course_id).await? {
            crate::learning::progress::complete_if_met(&txn, &a, now).await?;
        }
    }
    crate::audit::Entry::new(me.id, AuditAction::SessionAttendance)
        .on("class_session", id)
        .after(json!({ "present": present.len() }))
        .record(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Text for an iCalendar property: backslash, semicolon, comma and newlines escaped.
fn ics_text(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace("\r\n", "\\n")
        .replace('\n', "\\n")
}

/// The session as an iCalendar file (RFC 5545), times in UTC.
pub fn ics(s: &class_session::Model, course: &course::Model) -> String {
    let t = |d: DateTime<Utc>| d.format("%Y%m%dT%H%M%SZ").to_string();
    [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Gapwise//Classroom sessions//EN".to_owned(),
        "BEGIN:VEVENT".to_owned(),
        format!("UID:{}@gapwise", s.id),
        format!("DTSTAMP:{}", t(s.created_at)),
        format!("DTSTART:{}", t(s.starts_at)),
        format!("DTEND:{}", t(s.ends_at)),
        format!("SUMMARY:{}", ics_text(&course.title)),
        format!("LOCATION:{}", ics_text(&s.place)),
        format!("DESCRIPTION:{}", ics_text(&course.code)),
        "END:VEVENT".to_owned(),
        "END:VCALENDAR".to_owned(),
    ]
    .join("\r\n")
        + "\r\n"
}

/// `GET /sessions/{id}/calendar.ics`, for anyone who may see the course.
pub async fn calendar(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    crate::common::web::Caller { me, .. }: crate::common::web::Caller<crate::common::web::Everyone>,
    axum::extract::Path(id): axum::extract::Path<Uuid>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let found = async {
        let s = session(&state.db, id).await?;
        let c = crate::courses::service::visible_course(&state.db, &me, s.course_id).await?;
        Ok::<_, AppError>(ics(&s, &c))
    }
    .await;
    match found {
        Ok(body) => (
            [
                (
                    axum::http::header::CONTENT_TYPE,
                    "text/calendar; charset=utf-8",
                ),
                (
                    axum::http::header::CONTENT_DISPOSITION,
                    "attachment; filename=\"gapwise-session.ics\"",
                ),
            ],
            body,
        )
            .into_response(),
        Err(e) => crate::common::web::error_response(&e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_text_is_escaped() {
        assert_eq!(ics_text("A, B; C\\D\nE"), "A\\, B\\; C\\\\D\\nE");
    }
}
