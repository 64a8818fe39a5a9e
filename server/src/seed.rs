//! The demo agency: a county social-insurance office with six units, realistic
//! positions and about 120 staff, plus one demo login per role.

use app::auth::password;
use app::entities::{org_unit, person, person_role, position};
use app::error::AppError;
use app::state::AppState;
use chrono::Utc;
use sea_orm::{ActiveModelTrait, EntityTrait, PaginatorTrait, Set, TransactionTrait};
use uuid::Uuid;

pub const DEMO_PASSWORD: &str = "gapwise-demo";

pub const LOGINS_BANNER: &str = "\
Demo logins (password for all: gapwise-demo)
  admin    A0001  周敏 Zhou Min     (office administrator)
  trainer  T0001  孙丽 Sun Li       (training officer)
  manager  M0001  王建国 Wang Jianguo (head of the service hall)
  staff    S0001  李娜 Li Na        (front-desk clerk)";

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
fn demo_name(i: usize) -> String {
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
    let txn = db.begin().await?;

    let centre = Uuid::new_v4();
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
        let id = Uuid::new_v4();
        position_ids.insert(code, id);
        position::ActiveModel {
            id: Set(id),
            code: Set(code.into()),
            name: Set(name.into()),
            active: Set(true),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
    }
    let pos = |code: &str| position_ids.get(code).copied();

    let mut people: Vec<(person::ActiveModel, Vec<&'static str>)> = Vec::new();
    let mut add = |id: Uuid,
                   no: String,
                   name: String,
                   unit: Uuid,
                   position: Option<Uuid>,
                   manager: Option<Uuid>,
                   roles: Vec<&'static str>| {
        let email = no.to_lowercase();
        people.push((
            person::ActiveModel {
                id: Set(id),
                employee_no: Set(no),
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
                created_at: Set(now),
                updated_at: Set(now),
            },
            roles,
        ));
    };

    let director = Uuid::new_v4();
    add(
        director,
        "QX0001".into(),
        "陈国强".into(),
        centre,
        pos("DIRECTOR"),
        None,
        vec!["staff", "manager"],
    );

    let mut serial = 2;
    for (u, unit) in UNITS.iter().enumerate() {
        let unit_id = Uuid::new_v4();
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

        let head = Uuid::new_v4();
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
            vec!["staff", "manager"],
        );

        for k in 0..unit.staff {
            let (no, name, position, roles) = match (unit.code, k) {
                ("HALL", 0) => (
                    "S0001".to_owned(),
                    "李娜".to_owned(),
                    unit.position,
                    vec!["staff"],
                ),
                ("ADMIN", 0) => (
                    "A0001".to_owned(),
                    "周敏".to_owned(),
                    "CLERK",
                    vec!["staff", "admin"],
                ),
                ("ADMIN", 1) => (
                    "T0001".to_owned(),
                    "孙丽".to_owned(),
                    "TRAINER",
                    vec!["staff", "trainer"],
                ),
                ("ADMIN", 2) => (
                    format!("QX{serial:04}"),
                    "Emma Liu 刘思敏".to_owned(),
                    "TRAINER",
                    vec!["staff", "trainer"],
                ),
                ("INFO", k) if k % 3 == 2 => (
                    format!("QX{serial:04}"),
                    demo_name(serial),
                    "ARCHIVIST",
                    vec!["staff"],
                ),
                _ => (
                    format!("QX{serial:04}"),
                    demo_name(serial),
                    unit.position,
                    vec!["staff"],
                ),
            };
            serial += 1;
            add(
                Uuid::new_v4(),
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
    let admin_id = people
        .iter()
        .find_map(|(m, _)| match (&m.employee_no, &m.id) {
            (sea_orm::ActiveValue::Set(no), sea_orm::ActiveValue::Set(id)) if no == "A0001" => {
                Some(*id)
            }
            _ => None,
        });
    for (model, roles) in people {
        let id = match &model.id {
            sea_orm::ActiveValue::Set(id) => *id,
            _ => continue,
        };
        model.insert(&txn).await?;
        for role in roles {
            person_role::ActiveModel {
                person_id: Set(id),
                role: Set(role.into()),
            }
            .insert(&txn)
            .await?;
        }
    }
    // The office's setup, as the audit log would have recorded it.
    let setup = serde_json::json!({"units": UNITS.len() + 1, "positions": POSITIONS.len()});
    app::audit::record(
        &txn,
        admin_id,
        "org.setup",
        "org_unit",
        Some(centre),
        None,
        Some(setup),
    )
    .await?;
    let import =
        serde_json::json!({"file": "青溪县社保中心花名册.csv", "rows": count, "written": count});
    app::audit::record(
        &txn,
        admin_id,
        "roster.import",
        "roster_upload",
        None,
        None,
        Some(import),
    )
    .await?;
    txn.commit().await?;
    tracing::info!(people = count, "demo agency loaded");
    Ok(Outcome::Loaded { people: count })
}
