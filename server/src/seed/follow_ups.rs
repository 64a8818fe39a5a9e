//! Demo behaviour follow-ups (level 3). Every completion of a course that
//! raises a competency got its 30- and 90-day follow-ups, to the learner and
//! their line manager, where the day has passed; most were answered, some
//! closed unanswered. The answers tell the paper's story: after 社保经办系统实操
//! IT literacy moved clearly, most courses a little, and the warmly received
//! pension course (POL-PEN-2026) not at all. Two hall colleagues finished
//! 主动服务与延伸服务 a month ago, and the real background sweep then opened their
//! 30-day follow-ups (and 王建国's about them), so there is always something
//! waiting to be answered, whenever the demo is loaded. The office asks two
//! colleagues too; theirs are pooled in the course's report.

use std::collections::HashMap;

use app::domain::{AssignmentStatus, FollowUpStatus, RaterType};
use app::entities::{
    assignment, campaign, competency, competency_result, course, course_competency, follow_up,
    follow_up_answer, person,
};
use app::error::AppError;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionTrait,
};
use uuid::Uuid;

use super::learning::{Class, take};
use crate::synth::Synth;

const PLANS: &[&str] = &[
    "每天开窗前用十分钟把系统新功能走一遍。",
    "把常见业务的系统操作步骤整理成一页纸，贴在窗口。",
    "遇到系统报错先截图记录，每周和信息科对一次。",
    "主动帮新同事熟悉经办系统。",
    "下个月起所有转移接续业务都用系统校验功能。",
    "Keep a checklist of the new screens and use it at every transfer.",
];

/// How much a side's level moves after a course, by course and wave: (self,
/// manager). Self-ratings run a little warmer, as in the needs survey.
fn effect(course: &str, code: &str, wave: i32, side: RaterType) -> f64 {
    let late = if wave >= 90 { 0.2 } else { 0.0 };
    let base = match (course, code) {
        ("SI-SYS-101", "IT_LITERACY") => 0.8 + late,
        ("SI-SYS-101", _) => 0.3,
        // Well liked, but the desk works as before.
        ("POL-PEN-2026", _) => 0.0,
        _ => 0.3 + late / 2.0,
    };
    match side {
        RaterType::SelfRating => base + 0.3,
        _ => base,
    }
}

fn frequency(course: &str) -> f64 {
    match course {
        "SI-SYS-101" => 4.1,
        "POL-PEN-2026" => 2.3,
        _ => 3.2,
    }
}

/// (answered, expired) follow-ups from the past, then what the sweep opened.
pub struct Seeded {
    pub answered: usize,
    pub expired: usize,
    pub opened: u64,
}

pub async fn insert<C>(
    db: &C,
    people: &[person::Model],
    hall: Uuid,
    manager: Uuid,
    now: DateTime<Utc>,
) -> Result<Seeded, AppError>
where
    C: ConnectionTrait + TransactionTrait,
{
    let mut synth = Synth::new(202_612);
    let (waves, window) = app::evaluation::behaviour::sweep::schedule(db).await?;
    let window = Duration::days(i64::from(window));
    let courses: HashMap<Uuid, String> = course::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.code))
        .collect();
    let mut raises: HashMap<Uuid, Vec<String>> = HashMap::new();
    for r in course_competency::Entity::find().all(db).await? {
        raises.entry(r.course_id).or_default().push(r.code);
    }
    let managers: HashMap<Uuid, Option<Uuid>> =
        people.iter().map(|p| (p.id, p.manager_id)).collect();
    let baseline = baseline_levels(db).await?;
    // Colleagues: asked as the sweep would ask them, answering from their own
    // random source so the learners' and managers' answers stay as they were.
    let asked = app::rules::service::settings(db).await?.follow_up_peers;
    let mut peer_synth = Synth::new(202_613);
    let mut units: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for p in people.iter().filter(|p| p.active) {
        if let Some(u) = p.unit_id {
            units.entry(u).or_default().push(p.id);
        }
    }
    let unit_of: HashMap<Uuid, Option<Uuid>> = people.iter().map(|p| (p.id, p.unit_id)).collect();
    let completions = assignment::Entity::find()
        .filter(assignment::Column::Status.eq(AssignmentStatus::Completed))
        .all(db)
        .await?;
    let mut out = Seeded {
        answered: 0,
        expired: 0,
        opened: 0,
    };
    for a in &completions {
        let (Some(done), Some(codes), Some(course)) = (
            a.completed_at,
            raises.get(&a.course_id),
            courses.get(&a.course_id),
        ) else {
            continue;
        };
        for &wave in &waves {
            let opens = done + Duration::days(i64::from(wave));
            // Still open: left to the sweep below, as in real life.
            if opens + window > now {
                continue;
            }
            let colleagues = unit_of
                .get(&a.person_id)
                .copied()
                .flatten()
                .and_then(|u| units.get(&u))
                .map(|unit| {
                    app::evaluation::behaviour::sweep::peers_for(
                        unit,
                        a.id,
                        a.person_id,
                        managers.get(&a.person_id).copied().flatten(),
                        asked,
                    )
                })
                .unwrap_or_default();
            for (slot, rater) in (1..).zip(colleagues) {
                let answered = peer_synth.chance(0.7);
                let submitted_at =
                    answered.then(|| opens + Duration::hours(peer_synth.int(2, 24 * 10)));
                let id = peer_synth.uuid();
                follow_up::ActiveModel {
                    id: Set(id),
                    assignment_id: Set(a.id),
                    course_id: Set(a.course_id),
                    subject_id: Set(a.person_id),
                    rater_id: Set(rater),
                    rater_type: Set(RaterType::Peer),
                    wave: Set(wave),
                    opens_at: Set(opens),
                    due_at: Set(opens + window),
                    status: Set(if answered {
                        FollowUpStatus::Submitted
                    } else {
                        FollowUpStatus::Expired
                    }),
                    reminded_at: Set(Some(opens + window - Duration::days(3))),
                    submitted_at: Set(submitted_at),
                    action_plan: Set(None),
                    slot: Set(slot),
                }
                .insert(db)
                .await?;
                if !answered {
                    continue;
                }
                for code in codes {
                    let before = baseline
                        .get(&(a.person_id, code.clone()))
                        .copied()
                        .unwrap_or(2.5);
                    let truth = before + effect(course, code, wave, RaterType::Peer);
                    follow_up_answer::ActiveModel {
                        follow_up_id: Set(id),
                        code: Set(code.clone()),
                        level: Set(peer_synth.level(truth, 0.6)),
                        frequency: Set(peer_synth.level(frequency(course), 0.8)),
                    }
                    .insert(db)
                    .await?;
                }
            }
            let sides = [
                (RaterType::SelfRating, Some(a.person_id), 0.85),
                (
                    RaterType::Manager,
                    managers.get(&a.person_id).copied().flatten(),
                    0.8,
                ),
            ];
            for (side, rater, answers) in sides {
                let Some(rater) = rater else { continue };
                let answered = synth.chance(answers);
                let submitted_at = answered.then(|| opens + Duration::hours(synth.int(2, 24 * 10)));
                let id = synth.uuid();
                follow_up::ActiveModel {
                    id: Set(id),
                    assignment_id: Set(a.id),
                    course_id: Set(a.course_id),
                    subject_id: Set(a.person_id),
                    rater_id: Set(rater),
                    rater_type: Set(side),
                    wave: Set(wave),
                    opens_at: Set(opens),
                    due_at: Set(opens + window),
                    status: Set(if answered {
                        FollowUpStatus::Submitted
                    } else {
                        FollowUpStatus::Expired
                    }),
                    reminded_at: Set(Some(opens + window - Duration::days(3))),
                    submitted_at: Set(submitted_at),
                    action_plan: Set((answered && side == RaterType::SelfRating)
                        .then(|| synth.pick(PLANS).map(|p| (*p).to_owned()))
                        .flatten()),
                    slot: Set(0),
                }
                .insert(db)
                .await?;
                if !answered {
                    out.expired += 1;
                    continue;
                }
                out.answered += 1;
                for code in codes {
                    let before = baseline
                        .get(&(a.person_id, code.clone()))
                        .copied()
                        .unwrap_or(2.5);
                    let truth = before + effect(course, code, wave, side);
                    follow_up_answer::ActiveModel {
                        follow_up_id: Set(id),
                        code: Set(code.clone()),
                        level: Set(synth.level(truth, 0.5)),
                        frequency: Set(synth.level(frequency(course), 0.7)),
                    }
                    .insert(db)
                    .await?;
                }
            }
        }
    }
    // A month ago two hall colleagues (the last two by employee number not in
    // October's class) finished 主动服务与延伸服务; the sweep opens their 30-day
    // follow-ups now.
    let mut hall_people: Vec<&person::Model> = people
        .iter()
        .filter(|p| p.active && p.unit_id == Some(hall))
        .filter(|p| p.employee_no != "S0001" && p.employee_no != "M0001")
        .collect();
    hall_people.sort_by(|a, b| a.employee_no.cmp(&b.employee_no));
    let not_in_class: Vec<&&person::Model> = hall_people.iter().skip(1).step_by(2).collect();
    let recent: Vec<(Uuid, DateTime<Utc>)> = not_in_class
        .iter()
        .rev()
        .take(2)
        .enumerate()
        .map(|(i, p)| (p.id, now - Duration::days(31 + i as i64)))
        .collect();
    let class = Class {
        code: "SVC-PRO-01",
        reason: "大厅主动服务专题：两位窗口骨干先行参训",
        assigned_at: now - Duration::days(50),
        due_at: now - Duration::days(20),
        manager,
    };
    take(db, &mut synth, &class, &recent).await?;
    out.opened = app::evaluation::behaviour::sweep::sweep(db, now)
        .await?
        .created;
    Ok(out)
}

/// Each person's level per competency code in the baseline survey (the
/// closed campaign that follows up nothing).
async fn baseline_levels(
    db: &impl ConnectionTrait,
) -> Result<HashMap<(Uuid, String), f64>, AppError> {
    let Some(base) = campaign::Entity::find()
        .filter(campaign::Column::FollowUpOf.is_null())
        .filter(campaign::Column::State.eq(app::domain::CampaignState::Closed))
        .one(db)
        .await?
    else {
        return Ok(HashMap::new());
    };
    let codes: HashMap<Uuid, String> = competency::Entity::find()
        .filter(competency::Column::FrameworkId.eq(base.framework_id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.code))
        .collect();
    Ok(competency_result::Entity::find()
        .filter(competency_result::Column::CampaignId.eq(base.id))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|r| {
            codes
                .get(&r.competency_id)
                .map(|code| ((r.person_id, code.clone()), r.current))
        })
        .collect())
}
