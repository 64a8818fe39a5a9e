//! A learner with a full plate, for timing *My learning*: `gapwise bench-learner`
//! adds to the demo office one front-desk clerk (L0050, the demo password) with
//! `assignments` published courses of three lessons each, at every stage: half from
//! proposals with their reasons, half assigned by hand; some done, some halfway,
//! some overdue, some not started.

use app::auth::password;
use app::courses::engine::{Evidence, ReasonLine};
use app::domain::{AssignmentSource, AssignmentStatus, CourseMode, Role};
use app::entities::{
    assignment, campaign, competency, course_competency, course_module, lesson, lesson_progress,
    person, person_role,
};
use app::org::people::new_person;
use app::state::AppState;
use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};

use crate::Error;
use crate::synth::{Synth, insert_chunked, published_course};

pub const EMPLOYEE_NO: &str = "L0050";

pub async fn bench_learner(state: &AppState, assignments: usize) -> Result<(), Error> {
    let db = &state.db;
    if person::Entity::find()
        .filter(person::Column::EmployeeNo.eq(EMPLOYEE_NO))
        .count(db)
        .await?
        > 0
    {
        println!("{EMPLOYEE_NO} is already there");
        return Ok(());
    }
    let Some(clerk) = person::Entity::find()
        .filter(person::Column::EmployeeNo.eq("S0001"))
        .one(db)
        .await?
    else {
        return Err(Error::Refused(
            "no demo office: start with --demo first".into(),
        ));
    };
    let codes: Vec<String> = competency::Entity::find()
        .order_by_asc(competency::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|k| k.code)
        .collect();
    let baseline = campaign::Entity::find()
        .order_by_asc(campaign::Column::CreatedAt)
        .one(db)
        .await?;
    let hash = state
        .hash_blocking(|| password::hash(crate::seed::DEMO_PASSWORD))
        .await??;
    let now = Utc::now();
    let mut synth = Synth::new(50);
    let me = synth.uuid();
    let (mut courses, mut raises, mut modules, mut lessons) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut given, mut done) = (Vec::new(), Vec::new());
    for i in 0..assignments {
        let id = synth.uuid();
        let code = codes
            .get(i % codes.len().max(1))
            .cloned()
            .unwrap_or_default();
        courses.push(published_course(
            id,
            format!("BENCH-L{i:03}"),
            format!("窗口业务专题 {}", i + 1),
            "窗口经办业务的专题练习。",
            synth.int(1, 8) as f64,
            if i % 4 == 0 {
                CourseMode::Classroom
            } else {
                CourseMode::Online
            },
            now,
        ));
        raises.push(course_competency::ActiveModel {
            id: Set(synth.uuid()),
            course_id: Set(id),
            code: Set(code.clone()),
            level: Set(4),
        });
        let module = synth.uuid();
        modules.push(course_module::ActiveModel {
            id: Set(module),
            course_id: Set(id),
            position: Set(1),
            title: Set("要点".into()),
            removed_at: Set(None),
        });
        let mut ids = Vec::new();
        for n in 1..=3 {
            let lesson = synth.uuid();
            ids.push(lesson);
            lessons.push(lesson::ActiveModel {
                id: Set(lesson),
                course_id: Set(id),
                module_id: Set(module),
                position: Set(n),
                title: Set(format!("第 {n} 课")),
                body: Set(format!("# 第 {n} 课\n\n按流程办理，**先核对身份**。")),
                updated_at: Set(now),
                removed_at: Set(None),
            });
        }
        // Stages in turn: completed, halfway, overdue, not started.
        let stage = i % 4;
        let lessons_done = match stage {
            0 => 3,
            1 => 2,
            _ => 0,
        };
        for lesson in ids.iter().take(lessons_done) {
            done.push(lesson_progress::ActiveModel {
                id: Set(synth.uuid()),
                person_id: Set(me),
                lesson_id: Set(*lesson),
                course_id: Set(id),
                done_at: Set(now - Duration::days(3)),
            });
        }
        let from_proposal = i % 2 == 0;
        let reason = match (&baseline, from_proposal) {
            (Some(c), true) => serde_json::to_string(&[ReasonLine {
                code,
                current: 2.3,
                target: 4,
                expected: 4,
                evidence: Evidence {
                    campaign_id: c.id,
                    campaign: c.title.clone(),
                    sources: vec!["self".into(), "manager".into(), "peer".into()],
                    raters: 5,
                    date: "2026-03-31".into(),
                    framework_version: 1,
                },
            }])
            .unwrap_or_default(),
            _ => "窗口业务轮训".into(),
        };
        given.push(assignment::ActiveModel {
            id: Set(synth.uuid()),
            person_id: Set(me),
            course_id: Set(id),
            source: Set(if from_proposal && baseline.is_some() {
                AssignmentSource::Proposal
            } else {
                AssignmentSource::Manual
            }),
            proposal_id: Set(None),
            reason: Set(reason),
            assigned_by: Set(clerk.manager_id),
            assigned_at: Set(now - Duration::days(40)),
            due_at: Set(Some(if stage == 2 {
                now - Duration::days(5)
            } else {
                now + Duration::days(10 + i as i64)
            })),
            status: Set(if stage == 0 {
                AssignmentStatus::Completed
            } else {
                AssignmentStatus::Assigned
            }),
            completed_at: Set((stage == 0).then(|| now - Duration::days(3))),
        });
    }
    let txn = db.begin().await?;
    person::ActiveModel {
        password_hash: Set(Some(hash)),
        ..new_person(
            me,
            EMPLOYEE_NO,
            "基准学员",
            None,
            clerk.unit_id,
            clerk.position_id,
            clerk.manager_id,
        )
    }
    .insert(&txn)
    .await?;
    person_role::ActiveModel {
        person_id: Set(me),
        role: Set(Role::Staff),
    }
    .insert(&txn)
    .await?;
    insert_chunked(&txn, courses, 1_000).await?;
    insert_chunked(&txn, raises, 1_000).await?;
    insert_chunked(&txn, modules, 1_000).await?;
    insert_chunked(&txn, lessons, 1_000).await?;
    insert_chunked(&txn, given, 1_000).await?;
    insert_chunked(&txn, done, 1_000).await?;
    txn.commit().await?;
    println!("{EMPLOYEE_NO} 基准学员 has {assignments} assignments");
    Ok(())
}
