//! The demo agency: a county social-insurance office with six units, realistic
//! positions and about 120 staff, plus one demo login per role; the competency
//! framework from the source paper with target profiles for every position; and
//! three needs-survey campaigns (closed with results, open, draft).

mod campaigns;
mod classroom;
mod courses;
mod files;
mod follow_ups;
mod framework;
mod indicators;
mod learning;
mod plan;
mod questions;
mod quizzes;
mod reactions;

use app::auth::password;
use app::common::name_key::name_key;
use app::entities::{org_unit, person, person_role, position};
use app::error::AppError;
use app::state::AppState;
use chrono::Utc;
use sea_orm::{ActiveModelTrait, EntityTrait, PaginatorTrait, Set, TransactionTrait, TryIntoModel};
use uuid::Uuid;

use crate::synth::{Synth, insert_chunked};
use app::domain::{AuditAction, Role};

pub const DEMO_PASSWORD: &str = "gapwise-demo";

pub const LOGINS_BANNER: &str = "\
Demo logins (password for all: gapwise-demo)
  admin    A0001  周敏 Zhou Min     (office administrator)
  trainer  T0001  孙丽 Sun Li       (training officer)
  manager  M0001  王建国 Wang Jianguo (head of the service hall)
  staff    S0001  李娜 Li Na        (front-desk clerk)
Needs surveys: 2026 baseline (closed, with results), Q4 re-assessment of the hall
(open: S0001 and M0001 have tasks waiting), contributions survey (draft)";

pub enum Outcome {
    Loaded { people: usize },
    Skipped,
}

struct Unit {
    code: &'static str,
    name: &'static str,
    /// Staff besides the head, and the position most of them hold.
    staff: usize,
    position: &'static str,
}

const UNITS: [Unit; 6] = [
    Unit {
        code: "HALL",
        name: "服务大厅",
        staff: 41,
        position: "FRONT_DESK",
    },
    Unit {
        code: "CONTRIB",
        name: "征缴科",
        staff: 17,
        position: "CONTRIB_OFFICER",
    },
    Unit {
        code: "BENEFITS",
        name: "待遇审核科",
        staff: 19,
        position: "BENEFITS_REVIEWER",
    },
    Unit {
        code: "AUDIT",
        name: "稽核科",
        staff: 11,
        position: "AUDITOR",
    },
    Unit {
        code: "INFO",
        name: "信息档案科",
        staff: 13,
        position: "IT_OFFICER",
    },
    Unit {
        code: "ADMIN",
        name: "办公室",
        staff: 12,
        position: "CLERK",
    },
];

const POSITIONS: [(&str, &str); 10] = [
    ("DIRECTOR", "中心主任"),
    ("SECTION_CHIEF", "科长"),
    ("FRONT_DESK", "窗口经办员"),
    ("CONTRIB_OFFICER", "征缴专员"),
    ("BENEFITS_REVIEWER", "待遇审核员"),
    ("AUDITOR", "稽核员"),
    ("IT_OFFICER", "信息管理员"),
    ("ARCHIVIST", "档案管理员"),
    ("CLERK", "综合文员"),
    ("TRAINER", "培训专员"),
];

const SURNAMES: [&str; 24] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋",
];
const GIVEN: [&str; 40] = [
    "芳", "伟", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀英", "霞", "平", "刚", "桂英", "文", "华", "红", "建华", "玉兰", "志强", "晓燕",
    "海燕", "丹", "鹏", "婷", "雪", "斌", "慧", "宁", "琳", "浩然", "子涵",
];

/// A name that does not repeat within the demo: surname and given name walk at
/// different strides.
pub(crate) fn demo_name(i: usize) -> String {
    format!(
        "{}{}",
        SURNAMES[(i * 7) % SURNAMES.len()],
        GIVEN[(i * 11 + i / 24) % GIVEN.len()]
    )
}

pub async fn seed_demo(state: &AppState) -> Result<Outcome, AppError> {
    let db = &state.db;
    if person::Entity::find().count(db).await? > 0 {
        return Ok(Outcome::Skipped);
    }
    let hash = state
        .hash_blocking(|| password::hash(DEMO_PASSWORD))
        .await??;
    let now = Utc::now();
    // Ids and ratings come from a fixed seed, so every demo database is the same.
    let mut synth = Synth::new(20_260_901);
    let txn = db.begin().await?;

    let centre = synth.uuid();
    let mut unit_ids = std::collections::HashMap::from([("CENTRE", centre)]);
    org_unit::ActiveModel {
        id: Set(centre),
        code: Set("CENTRE".into()),
        name: Set("青溪县社会保险事业管理中心".into()),
        parent_id: Set(None),
        active: Set(true),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;

    let mut position_ids = std::collections::HashMap::new();
    for (code, name) in POSITIONS {
        let id = synth.uuid();
        position_ids.insert(code, id);
        position::ActiveModel {
            id: Set(id),
            code: Set(code.into()),
            name: Set(name.into()),
            active: Set(true),
            hours_required: Set(None),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
    }
    let pos = |code: &str| position_ids.get(code).copied();

    let mut people: Vec<(person::ActiveModel, Vec<Role>)> = Vec::new();
    let mut add = |id: Uuid,
                   no: String,
                   name: String,
                   unit: Uuid,
                   position: Option<Uuid>,
                   manager: Option<Uuid>,
                   roles: Vec<Role>| {
        let email = no.to_lowercase();
        people.push((
            person::ActiveModel {
                id: Set(id),
                employee_no: Set(no),
                name_key: Set(name_key(&name)),
                name: Set(name),
                email: Set(Some(format!("{email}@qingxi-si.example.cn"))),
                password_hash: Set(Some(hash.clone())),
                unit_id: Set(Some(unit)),
                position_id: Set(position),
                manager_id: Set(manager),
                locale: Set(None),
                active: Set(true),
                failed_logins: Set(0),
                locked_until: Set(None),
                must_change_password: Set(false),
                created_at: Set(now),
                updated_at: Set(now),
            },
            roles,
        ));
    };

    let director = synth.uuid();
    add(
        director,
        "QX0001".into(),
        "陈国强".into(),
        centre,
        pos("DIRECTOR"),
        None,
        vec![Role::Staff, Role::Manager],
    );

    let mut serial = 2;
    for (u, unit) in UNITS.iter().enumerate() {
        let unit_id = synth.uuid();
        unit_ids.insert(unit.code, unit_id);
        org_unit::ActiveModel {
            id: Set(unit_id),
            code: Set(unit.code.into()),
            name: Set(unit.name.into()),
            parent_id: Set(Some(centre)),
            active: Set(true),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;

        let head = synth.uuid();
        let (head_no, head_name) = match unit.code {
            "HALL" => ("M0001".to_owned(), "王建国".to_owned()),
            _ => (format!("QX{serial:04}"), demo_name(100 + u)),
        };
        serial += 1;
        add(
            head,
            head_no,
            head_name,
            unit_id,
            pos("SECTION_CHIEF"),
            Some(director),
            vec![Role::Staff, Role::Manager],
        );

        for k in 0..unit.staff {
            let (no, name, position, roles) = match (unit.code, k) {
                ("HALL", 0) => (
                    "S0001".to_owned(),
                    "李娜".to_owned(),
                    unit.position,
                    vec![Role::Staff],
                ),
                ("ADMIN", 0) => (
                    "A0001".to_owned(),
                    "周敏".to_owned(),
                    "CLERK",
                    vec![Role::Staff, Role::Admin],
                ),
                ("ADMIN", 1) => (
                    "T0001".to_owned(),
                    "孙丽".to_owned(),
                    "TRAINER",
                    vec![Role::Staff, Role::Trainer],
                ),
                ("ADMIN", 2) => (
                    format!("QX{serial:04}"),
                    "Emma Liu 刘思敏".to_owned(),
                    "TRAINER",
                    vec![Role::Staff, Role::Trainer],
                ),
                ("INFO", k) if k % 3 == 2 => (
                    format!("QX{serial:04}"),
                    demo_name(serial),
                    "ARCHIVIST",
                    vec![Role::Staff],
                ),
                _ => (
                    format!("QX{serial:04}"),
                    demo_name(serial),
                    unit.position,
                    vec![Role::Staff],
                ),
            };
            serial += 1;
            add(
                synth.uuid(),
                no,
                name,
                unit_id,
                pos(position),
                Some(head),
                roles,
            );
        }
    }

    let count = people.len();
    let mut staff = Vec::with_capacity(count);
    let mut person_rows = Vec::with_capacity(count);
    let mut role_rows = Vec::new();
    for (model, roles) in people {
        let p = model.clone().try_into_model()?;
        role_rows.extend(roles.into_iter().map(|role| person_role::ActiveModel {
            person_id: Set(p.id),
            role: Set(role),
        }));
        person_rows.push(model);
        staff.push(p);
    }
    insert_chunked(&txn, person_rows, 200).await?;
    insert_chunked(&txn, role_rows, 500).await?;
    let id_of = |no: &str| staff.iter().find(|p| p.employee_no == no).map(|p| p.id);
    let admin_id = id_of("A0001");
    let trainer = id_of("T0001").ok_or_else(|| AppError::internal("demo trainer missing"))?;

    let framework_at = campaigns::local(2026, 8, 14, 10, 0)?;
    let framework = framework::insert(&txn, &mut synth, Some(trainer), framework_at).await?;
    let targets = framework::insert_targets(&txn, &mut synth, framework.family_id, pos).await?;
    let office = campaigns::Office {
        people: &staff,
        units: &unit_ids,
        owner: trainer,
    };
    let surveys = campaigns::insert(&txn, &mut synth, &office, &framework).await?;
    let second_trainer = staff
        .iter()
        .find(|p| p.name.starts_with("Emma Liu"))
        .map(|p| p.id);
    let courses_at = campaigns::local(2026, 9, 1, 9, 0)?;
    let courses = courses::insert(&txn, &mut synth, (trainer, second_trainer), courses_at).await?;
    let proposals =
        app::assignments::service::regenerate(&txn, &state.settings, Some(trainer)).await?;
    let manager = id_of("M0001").ok_or_else(|| AppError::internal("demo manager missing"))?;
    let decided = courses::decide_some(&txn, &staff, manager, trainer, courses_at).await?;
    let learning = learning::learn_some(&txn, &mut synth, &staff, courses_at).await?;
    files::attach_sample(&txn, &state.settings, trainer, courses_at).await?;
    files::covers(&txn, &state.settings).await?;
    let sessions =
        classroom::insert(&txn, &mut synth, &staff, manager, trainer, courses_at).await?;
    plan::session_changes(&txn, &mut synth, &state.settings, &staff).await?;
    plan::rules(&txn).await?;
    let (plan_lines, next_plan_lines) = plan::plans(&txn, &state.settings, &staff, trainer).await?;
    // What the background task would have sent by now: 李娜's overdue notice and
    // those due this week.
    let notices = app::learning::notices::sweep(&txn, Utc::now()).await?;
    let questions = questions::insert(&txn, trainer).await?;
    let hall = unit_ids
        .get("HALL")
        .copied()
        .ok_or_else(|| AppError::internal("demo hall missing"))?;
    let quizzes = quizzes::insert(&txn, &mut synth, &staff, hall, trainer, courses_at).await?;
    campaigns::count_quiz_results(&txn).await?;
    let open_for = reactions::still_open(&txn).await?;
    let reactions = reactions::insert(&txn, &mut synth, &open_for).await?;
    let it_class = learning::october_it_class(&txn, &surveys.it_class, manager).await?;
    let it_tests = quizzes::october_tests(
        &txn,
        &learning::october_done(&surveys.it_class)?,
        learning::october_assigned()?,
        trainer,
    )
    .await?;
    let follow_ups = follow_ups::insert(&txn, &staff, hall, manager, Utc::now()).await?;
    let indicator_values = indicators::insert(&txn, &unit_ids).await?;

    // The office's setup, as the audit log would have recorded it.
    let setup = serde_json::json!({"units": UNITS.len() + 1, "positions": POSITIONS.len()});
    app::audit::Entry::new(admin_id, AuditAction::OrgSetup)
        .on("org_unit", centre)
        .after(setup)
        .record(&txn)
        .await?;
    let import =
        serde_json::json!({"file": "青溪县社保中心花名册.csv", "rows": count, "written": count});
    app::audit::Entry::new(admin_id, AuditAction::RosterImport)
        .on("upload", None)
        .after(import)
        .record(&txn)
        .await?;
    txn.commit().await?;
    tracing::info!(
        people = count,
        targets,
        tasks = surveys.tasks,
        ratings = surveys.ratings,
        results = surveys.results,
        courses,
        proposals,
        decided,
        lessons_done = learning.lessons_done,
        completed = learning.completed,
        it_class,
        it_tests,
        sessions,
        plan_lines,
        next_plan_lines,
        due_soon = notices.due_soon,
        overdue = notices.overdue,
        questions,
        quizzes = quizzes.quizzes,
        attempts = quizzes.attempts,
        reactions,
        follow_ups_answered = follow_ups.answered,
        follow_ups_expired = follow_ups.expired,
        follow_ups_open = follow_ups.opened,
        indicator_values,
        "demo agency loaded"
    );
    Ok(Outcome::Loaded { people: count })
}
