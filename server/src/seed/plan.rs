//! The demo's training plans and rules: the office asks 48 hours a year of its
//! front-desk staff (40 of everyone else); the trainer accepted a batch of
//! proposals for next year, the 2026 plan went through approval, and next year's
//! draft is open with one line the trainer adjusted by hand. One December session
//! moved to another room and one was called off, and the people seated were told.

use app::domain::{
    AssignmentSource, AssignmentStatus, NotificationKind, PlanStatus, ProposalStatus, Vocabulary,
};
use app::entities::{
    assignment, class_session, notification, person, position, proposal, session_seat,
    training_plan, training_plan_line, training_setting,
};
use app::error::AppError;
use app::state::Settings;
use chrono::{DateTime, Datelike, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::synth::Synth;

/// Months next year's batch is due in, in turn: spring and autumn, as offices
/// schedule training around the year-end rush.
const MONTHS: [u32; 6] = [3, 4, 5, 6, 9, 10];

pub async fn rules(db: &impl ConnectionTrait) -> Result<(), AppError> {
    training_setting::ActiveModel {
        id: Set(1),
        trainer_rate: Set(400.0),
        venue_rate: Set(150.0),
        class_size: Set(30),
        // The office asks two colleagues in each behaviour follow-up.
        follow_up_peers: Set(2),
        ..Default::default()
    }
    .update(db)
    .await?;
    if let Some(p) = position::Entity::find()
        .filter(position::Column::Code.eq("FRONT_DESK"))
        .one(db)
        .await?
    {
        position::ActiveModel {
            id: Set(p.id),
            hours_required: Set(Some(48.0)),
            ..Default::default()
        }
        .update(db)
        .await?;
    }
    Ok(())
}

/// The trainer accepts up to `n` first-choice proposals still open, due next year.
async fn accept_for_next_year(
    db: &impl ConnectionTrait,
    settings: &Settings,
    people: &[person::Model],
    trainer: Uuid,
    n: usize,
) -> Result<usize, AppError> {
    // The roster's staff (QX…), not the demo accounts, whose screens the guide
    // describes as they are.
    let roster: std::collections::HashSet<Uuid> = people
        .iter()
        .filter(|p| p.employee_no.starts_with("QX"))
        .map(|p| p.id)
        .collect();
    let now = Utc::now();
    let next = now.with_timezone(&settings.timezone).year() + 1;
    let open = proposal::Entity::find()
        .filter(proposal::Column::Status.eq(ProposalStatus::Proposed))
        .filter(proposal::Column::Rank.lte(2))
        .order_by_asc(proposal::Column::Rank)
        .order_by_asc(proposal::Column::PersonId)
        .all(db)
        .await?;
    // Courses given since the proposals were made (the classroom batch) are not
    // proposed again.
    let has: std::collections::HashSet<(Uuid, Uuid)> = assignment::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.person_id, a.course_id))
        .collect();
    let mut done = 0;
    for (i, p) in open
        .into_iter()
        .filter(|p| roster.contains(&p.person_id) && !has.contains(&(p.person_id, p.course_id)))
        .take(n)
        .enumerate()
    {
        let month = MONTHS[i % MONTHS.len()];
        let due = super::campaigns::local(next, month, 28, 17, 0)?;
        let mut am: proposal::ActiveModel = p.clone().into();
        am.status = Set(ProposalStatus::Accepted);
        am.decided_by = Set(Some(trainer));
        am.decided_at = Set(Some(now - Duration::days(3)));
        am.due_at = Set(Some(due));
        am.update(db).await?;
        assignment::ActiveModel {
            id: Set(Uuid::new_v4()),
            person_id: Set(p.person_id),
            course_id: Set(p.course_id),
            source: Set(AssignmentSource::Proposal),
            proposal_id: Set(Some(p.id)),
            reason: Set(p.reason.clone()),
            assigned_by: Set(Some(trainer)),
            assigned_at: Set(now - Duration::days(3)),
            due_at: Set(Some(due)),
            status: Set(AssignmentStatus::Assigned),
            completed_at: Set(None),
        }
        .insert(db)
        .await?;
        done += 1;
    }
    Ok(done)
}

/// This year's plan (approved) and next year's draft.
pub async fn plans(
    db: &impl ConnectionTrait,
    settings: &Settings,
    people: &[person::Model],
    trainer: Uuid,
) -> Result<(usize, usize), AppError> {
    let this = Utc::now().with_timezone(&settings.timezone).year();
    let lines_now = app::plan::service::generate_in(db, settings, trainer, this).await?;
    training_plan::Entity::update_many()
        .col_expr(
            training_plan::Column::Status,
            sea_orm::sea_query::Expr::value(PlanStatus::Approved.as_str()),
        )
        .col_expr(
            training_plan::Column::Note,
            sea_orm::sea_query::Expr::value(
                "根据2026年度能力基线调查结果，围绕政策解读、系统操作和窗口服务三项重点差距安排培训，报中心领导班子审批。",
            ),
        )
        .filter(training_plan::Column::Year.eq(this))
        .exec(db)
        .await?;
    accept_for_next_year(db, settings, people, trainer, 36).await?;
    let lines_next = app::plan::service::generate_in(db, settings, trainer, this + 1).await?;
    // The trainer folds the first classroom line into spring sessions by hand.
    let plan = training_plan::Entity::find()
        .filter(training_plan::Column::Year.eq(this + 1))
        .one(db)
        .await?;
    if let Some(plan) = plan
        && let Some(first) = training_plan_line::Entity::find()
            .filter(training_plan_line::Column::PlanId.eq(plan.id))
            .filter(training_plan_line::Column::Sessions.gt(0))
            .order_by_asc(training_plan_line::Column::Ordinal)
            .one(db)
            .await?
    {
        training_plan_line::ActiveModel {
            id: Set(first.id),
            people: Set(first.people + 6),
            months: Set("3,4".into()),
            note: Set(Some("含新入职窗口人员6人".into())),
            edited: Set(true),
            ..Default::default()
        }
        .update(db)
        .await?;
    }
    Ok((lines_now, lines_next))
}

async fn tell(
    db: &impl ConnectionTrait,
    synth: &mut Synth,
    s: &class_session::Model,
    kind: NotificationKind,
    detail: String,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let seated = session_seat::Entity::find()
        .filter(session_seat::Column::SessionId.eq(s.id))
        .all(db)
        .await?;
    for seat in seated {
        notification::ActiveModel {
            id: Set(synth.uuid()),
            person_id: Set(seat.person_id),
            kind: Set(kind),
            campaign_id: Set(None),
            assignment_id: Set(None),
            session_id: Set(Some(s.id)),
            detail: Set(Some(detail.clone())),
            follow_up_id: Set(None),
            created_at: Set(at),
            read_at: Set(None),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// The next session of the complaints course moved rooms; an extra session
/// planned for next week was called off (its two people keep their course).
pub async fn session_changes(
    db: &impl ConnectionTrait,
    synth: &mut Synth,
    settings: &Settings,
    people: &[person::Model],
) -> Result<(), AppError> {
    let upcoming = class_session::Entity::find()
        .filter(class_session::Column::StartsAt.gt(Utc::now()))
        .order_by_asc(class_session::Column::StartsAt)
        .one(db)
        .await?;
    let Some(next) = upcoming else {
        return Ok(());
    };
    let moved = class_session::ActiveModel {
        id: Set(next.id),
        place: Set("服务大厅二楼培训室".into()),
        ..Default::default()
    }
    .update(db)
    .await?;
    let at = Utc::now() - Duration::days(1);
    tell(
        db,
        synth,
        &moved,
        NotificationKind::SessionChanged,
        app::classroom::changes::detail(settings, &moved),
        at,
    )
    .await?;
    // The extra session: two people who were not seated elsewhere.
    let seated: Vec<Uuid> = session_seat::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.person_id)
        .collect();
    let extra = class_session::ActiveModel {
        id: Set(synth.uuid()),
        course_id: Set(next.course_id),
        starts_at: Set(next.starts_at - Duration::days(5)),
        ends_at: Set(next.ends_at - Duration::days(5)),
        place: Set("服务大厅三楼会议室".into()),
        capacity: Set(6),
        seats_taken: Set(0),
        trainer_id: Set(next.trainer_id),
        created_at: Set(at - Duration::days(10)),
        cancelled_at: Set(Some(at)),
    }
    .insert(db)
    .await?;
    let has: Vec<Uuid> = assignment::Entity::find()
        .filter(assignment::Column::CourseId.eq(next.course_id))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.person_id)
        .collect();
    let two: Vec<&person::Model> = people
        .iter()
        .filter(|p| has.contains(&p.id) && !seated.contains(&p.id))
        .take(2)
        .collect();
    for (n, p) in two.iter().enumerate() {
        session_seat::ActiveModel {
            id: Set(synth.uuid()),
            session_id: Set(extra.id),
            person_id: Set(p.id),
            status: Set(app::domain::SeatStatus::Enrolled),
            attended: Set(false),
            created_at: Set(at - Duration::days(9) + Duration::hours(n as i64)),
        }
        .insert(db)
        .await?;
    }
    class_session::ActiveModel {
        id: Set(extra.id),
        seats_taken: Set(two.len() as i32),
        ..Default::default()
    }
    .update(db)
    .await?;
    tell(
        db,
        synth,
        &extra,
        NotificationKind::SessionCancelled,
        app::classroom::changes::detail(settings, &extra),
        at,
    )
    .await
}
