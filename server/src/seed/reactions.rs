//! Demo reactions (level 1): the hall answered the pension course's form after
//! its sessions, the second run warmer than the first, except 李娜 and 王建国,
//! whose forms are still open; and most of those who completed a course
//! answered its form. Answers lean positive, with a few frank comments. After
//! those forms were copied, the office added an item of its own to the
//! template, which the forms copied from now on carry.

use app::domain::{AssignmentStatus, ReactionKind, SeatStatus};
use app::entities::{
    assignment, class_session, reaction, reaction_answer, reaction_item, reaction_template_item,
    session_seat,
};
use app::error::AppError;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::synth::Synth;

/// Whose forms stay open, for the demo and the browser tests to answer.
const STILL_OPEN: [&str; 2] = ["S0001", "M0001"];

const IMPROVE: &[&str] = &[
    "案例再多一些，最好用我们大厅遇到的真实案例。",
    "系统操作部分节奏太快，希望有上机练习时间。",
    "讲义字太小，希望会后提供电子版。",
    "下午三点后窗口压力大，培训时间建议调整到上午。",
    "延迟退休的对照表可以再讲细一点，群众问得最多。",
    "More hands-on practice with the case system, please.",
];

const COMMENTS: &[&str] = &[
    "老师讲得很清楚，政策变化一目了然。",
    "对答复群众咨询很有帮助，回去就能用。",
    "希望以后定期开展政策更新培训。",
    "收获很大，谢谢！",
    "Clear and practical; the worked examples helped.",
];

/// One learner's answer to one item, warmer when `warmth` is higher (0–1).
fn answer(
    synth: &mut Synth,
    item: &reaction_item::Model,
    warmth: f64,
) -> (Option<i32>, Option<String>) {
    match item.kind {
        ReactionKind::Scale => {
            let level = synth
                .normal(3.2 + 1.6 * warmth, 0.7)
                .round()
                .clamp(1.0, 5.0);
            (Some(level as i32), None)
        }
        ReactionKind::Recommend => {
            let score = synth
                .normal(6.0 + 4.0 * warmth, 1.5)
                .round()
                .clamp(0.0, 10.0);
            (Some(score as i32), None)
        }
        ReactionKind::Text => {
            let pool = if item.builtin.as_deref() == Some("improve") {
                IMPROVE
            } else {
                COMMENTS
            };
            let said = synth
                .chance(0.45)
                .then(|| synth.pick(pool).map(|s| (*s).to_owned()))
                .flatten();
            (None, said)
        }
    }
}

async fn respond(
    db: &impl ConnectionTrait,
    synth: &mut Synth,
    items: &[reaction_item::Model],
    (course, person, session): (Uuid, Uuid, Option<Uuid>),
    at: DateTime<Utc>,
    warmth: f64,
) -> Result<(), AppError> {
    let id = synth.uuid();
    reaction::ActiveModel {
        id: Set(id),
        course_id: Set(course),
        person_id: Set(person),
        session_id: Set(session),
        submitted_at: Set(at),
    }
    .insert(db)
    .await?;
    for item in items {
        let (score, comment) = answer(synth, item, warmth);
        if score.is_none() && comment.is_none() {
            continue;
        }
        reaction_answer::ActiveModel {
            reaction_id: Set(id),
            item_id: Set(item.id),
            score: Set(score),
            comment: Set(comment),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

pub async fn insert(
    db: &impl ConnectionTrait,
    synth: &mut Synth,
    open_for: &[Uuid],
) -> Result<usize, AppError> {
    let now = Utc::now();
    let mut answered = 0;
    // Each classroom session that took place: its attendees, a day later.
    let sessions = class_session::Entity::find()
        .filter(class_session::Column::StartsAt.lt(now))
        .filter(class_session::Column::CancelledAt.is_null())
        .all(db)
        .await?;
    let mut done: std::collections::HashSet<(Uuid, Uuid)> = Default::default();
    let mut ordered = sessions;
    ordered.sort_by_key(|s| s.starts_at);
    for (run, s) in ordered.iter().enumerate() {
        let items = live_items(db, s.course_id).await?;
        let seats = session_seat::Entity::find()
            .filter(session_seat::Column::SessionId.eq(s.id))
            .filter(session_seat::Column::Attended.eq(true))
            .filter(session_seat::Column::Status.eq(SeatStatus::Enrolled))
            .all(db)
            .await?;
        let warmth = if run == 0 { 0.45 } else { 0.75 };
        for (n, seat) in seats.iter().enumerate() {
            if open_for.contains(&seat.person_id) || !done.insert((s.course_id, seat.person_id)) {
                continue;
            }
            let at = (s.ends_at + Duration::hours(20) + Duration::minutes(n as i64 * 13))
                .min(now - Duration::hours(1));
            respond(
                db,
                synth,
                &items,
                (s.course_id, seat.person_id, Some(s.id)),
                at,
                warmth,
            )
            .await?;
            answered += 1;
        }
    }
    // Completed courses: about three in four answered the day after.
    let completed = assignment::Entity::find()
        .filter(assignment::Column::Status.eq(AssignmentStatus::Completed))
        .all(db)
        .await?;
    for a in completed {
        if open_for.contains(&a.person_id)
            || done.contains(&(a.course_id, a.person_id))
            || !synth.chance(0.75)
        {
            continue;
        }
        let Some(at) = a.completed_at else { continue };
        let items = live_items(db, a.course_id).await?;
        let warmth = synth.real(0.3, 0.9);
        respond(
            db,
            synth,
            &items,
            (a.course_id, a.person_id, None),
            (at + Duration::hours(18)).min(now - Duration::hours(1)),
            warmth,
        )
        .await?;
        done.insert((a.course_id, a.person_id));
        answered += 1;
    }
    office_item(db, synth, now).await?;
    Ok(answered)
}

/// The office's own item, at the end of the template.
async fn office_item(
    db: &impl ConnectionTrait,
    synth: &mut Synth,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let template = app::evaluation::template::live(db).await?;
    let id = synth.uuid();
    reaction_template_item::ActiveModel {
        id: Set(id),
        position: Set(template.iter().map(|i| i.position).max().unwrap_or(0) + 1),
        kind: Set(ReactionKind::Scale),
        item_key: Set(format!("office-{}", &id.simple().to_string()[..12])),
        prompt: Set("培训内容能直接用在我每天的窗口经办工作中。".into()),
        removed_at: Set(None),
        created_at: Set(now - Duration::days(3)),
    }
    .insert(db)
    .await?;
    Ok(())
}

async fn live_items(
    db: &impl ConnectionTrait,
    course_id: Uuid,
) -> Result<Vec<reaction_item::Model>, AppError> {
    app::evaluation::reaction::ensure_items(db, course_id).await?;
    Ok(reaction_item::Entity::find()
        .filter(reaction_item::Column::CourseId.eq(course_id))
        .filter(reaction_item::Column::RemovedAt.is_null())
        .all(db)
        .await?)
}

/// The people whose forms the demo leaves open.
pub async fn still_open(db: &impl ConnectionTrait) -> Result<Vec<Uuid>, AppError> {
    Ok(app::entities::person::Entity::find()
        .filter(app::entities::person::Column::EmployeeNo.is_in(STILL_OPEN))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect())
}
