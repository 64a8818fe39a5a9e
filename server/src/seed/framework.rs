//! The demo competency framework, taken from the source paper: service quality
//! depends on staff's service awareness (initiative, innovation), service attitude
//! and service capability (policy, case handling, IT literacy, communication).
//! Plus what each of the office's ten positions requires of it.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};
use uuid::Uuid;

use app::entities::{competency, framework, framework_domain, position_target};

use crate::synth::{Synth, insert_chunked};

pub const NAME: &str = "窗口服务能力框架";

const DESCRIPTION: &str = "社保经办机构的服务质量很大程度上取决于员工的服务意识、服务态度和服务能力。\
本框架据此设三个能力域、七项能力，每项能力分五级行为描述：\
1 级为入门，3 级为独立胜任，5 级为能指导他人的专家。";

pub struct Competency {
    pub code: &'static str,
    name: &'static str,
    description: &'static str,
    levels: [&'static str; 5],
}

pub struct Domain {
    name: &'static str,
    competencies: &'static [Competency],
}

pub const DOMAINS: [Domain; 3] = [
    Domain {
        name: "服务意识",
        competencies: &[
            Competency {
                code: "INITIATIVE",
                name: "主动服务",
                description: "急群众之所急、想群众之所想，换位思考，把群众利益放在首位，积极主动地提供服务。",
                levels: [
                    "被动应答，只办理群众明确提出的事项，很少主动询问或提醒。",
                    "能按要求做好接待，经提示会补充告知相关事项，但主动性时有时无。",
                    "主动询问来意，一次性告知所需材料和后续环节，能换位思考解释办理要求。",
                    "预判群众可能遇到的问题，主动提供延伸服务（如提醒资格认证、跟踪回访），群众评价稳定良好。",
                    "以群众需求为导向推动服务改进，带动同事主动服务，能指导他人处理复杂诉求。",
                ],
            },
            Competency {
                code: "INNOVATION",
                name: "创新意识",
                description: "在职责权限内，围绕群众差异化、个性化的需求，与时俱进地改进服务方式。",
                levels: [
                    "墨守成规，习惯按老办法办事，对新的做法有抵触。",
                    "愿意执行上级推行的新做法，但很少提出自己的改进意见。",
                    "能发现本岗位流程中的不便之处，并提出可行的改进建议。",
                    "在职责权限内试行新的服务方式（如预约办理、上门服务、线上指导），并总结效果。",
                    "牵头设计并推广创新服务举措，帮助他人把好做法固化为制度和流程。",
                ],
            },
        ],
    },
    Domain {
        name: "服务态度",
        competencies: &[Competency {
            code: "ATTITUDE",
            name: "服务态度",
            description: "热情、耐心、文明规范地对待每一位办事群众，工作态度端正，服务行为规范。",
            levels: [
                "态度生硬或不耐烦，偶有推诿，群众反映“脸难看、事难办”。",
                "基本做到文明用语，但在办理高峰或遇到难缠诉求时情绪波动明显。",
                "始终礼貌耐心，遵守服务规范，做到首问负责、一次性告知。",
                "面对情绪激动的群众或老年人、残疾人等特殊群体仍耐心细致，主动化解矛盾，无有效投诉。",
                "是窗口服务的表率，能示范并辅导同事改进服务态度和服务行为。",
            ],
        }],
    },
    Domain {
        name: "服务能力",
        competencies: &[
            Competency {
                code: "POLICY",
                name: "政策法规",
                description: "掌握社会保险法律法规和经办政策，能准确解释、正确适用。",
                levels: [
                    "只了解本岗位少量常见规定，解释政策时常需他人帮助。",
                    "熟悉本岗位常用政策条款，但对政策调整跟进不及时，解释不够准确。",
                    "准确掌握本岗位相关政策，能用通俗语言向群众解释，及时学习新政策。",
                    "熟悉跨险种、跨业务的政策衔接，能处理政策适用上的疑难问题。",
                    "能解读新出台的政策并组织内部学习，为制定经办规程提供意见。",
                ],
            },
            Competency {
                code: "CASE_HANDLING",
                name: "业务办理",
                description: "按经办规程准确、高效地办理参保登记、缴费核定、待遇审核等业务。",
                levels: [
                    "在指导下办理简单业务，差错和返工较多。",
                    "能独立办理常规业务，但效率偏低，遇到特殊情形需要求助。",
                    "熟练、准确地办理本岗位各类业务，按时限办结，差错率低。",
                    "能处理复杂、特殊情形的业务，熟悉前后环节，推动“一次办好”。",
                    "精通全流程经办业务，能优化办理流程并带教新同事。",
                ],
            },
            Competency {
                code: "IT_LITERACY",
                name: "信息技术素养",
                description: "在经办数字化、网络化的条件下，熟练使用经办信息系统和网上服务平台，并帮助群众在线办事。",
                levels: [
                    "只会经办系统中最基本的录入和查询，遇到系统提示或异常就无法处理。",
                    "能完成本岗位常用的系统操作，但不熟悉网上经办平台和手机端，难以指导群众自助办理。",
                    "熟练使用经办系统和网上服务平台，能指导群众通过网站、手机 App 办理常见业务。",
                    "能排查常见的系统和设备问题，用电子表格和数据查询核对业务，发现并反馈系统缺陷。",
                    "能提出信息化改进需求，推动线上线下融合服务，培训同事使用新系统。",
                ],
            },
            Competency {
                code: "COMMUNICATION",
                name: "沟通协调",
                description: "与群众清楚沟通，与同事和相关部门协同解决问题。",
                levels: [
                    "表达不够清楚，群众常需反复询问；遇到分歧容易僵持。",
                    "能说明常规事项，但对复杂情况解释不清，较少与其他科室协调。",
                    "表达清楚、耐心倾听，就跨科室事项主动沟通并跟进结果。",
                    "能化解群众投诉和争议，协调多个部门解决疑难问题。",
                    "善于处理重大矛盾纠纷和突发情况，能带领团队改进沟通协调机制。",
                ],
            },
        ],
    },
];

/// The competency codes in display order, so per-competency tables below line up.
pub const CODES: [&str; 7] = [
    "INITIATIVE",
    "INNOVATION",
    "ATTITUDE",
    "POLICY",
    "CASE_HANDLING",
    "IT_LITERACY",
    "COMMUNICATION",
];

/// (target level, importance 1..3) per position, in the order of [`CODES`].
/// Front desk needs everything at 4, with policy, case handling, IT and
/// communication most important; reviewers and auditors need policy at 5; the IT
/// officers need IT at 5; the director and trainers need communication at 5.
const TARGETS: [(&str, [(i32, i32); 7]); 10] = [
    (
        "DIRECTOR",
        [(4, 2), (4, 3), (4, 2), (5, 3), (4, 2), (3, 2), (5, 3)],
    ),
    (
        "SECTION_CHIEF",
        [(4, 2), (4, 2), (4, 2), (4, 3), (4, 2), (3, 2), (4, 3)],
    ),
    (
        "FRONT_DESK",
        [(4, 2), (3, 1), (4, 3), (4, 3), (4, 3), (4, 3), (4, 3)],
    ),
    (
        "CONTRIB_OFFICER",
        [(3, 2), (3, 1), (4, 2), (4, 3), (4, 3), (3, 2), (3, 2)],
    ),
    (
        "BENEFITS_REVIEWER",
        [(3, 1), (3, 1), (4, 2), (5, 3), (4, 3), (3, 2), (3, 1)],
    ),
    (
        "AUDITOR",
        [(3, 1), (3, 1), (4, 2), (5, 3), (4, 2), (4, 2), (3, 2)],
    ),
    (
        "IT_OFFICER",
        [(3, 2), (4, 2), (3, 2), (3, 1), (3, 2), (5, 3), (3, 2)],
    ),
    (
        "ARCHIVIST",
        [(3, 1), (3, 1), (4, 2), (3, 2), (3, 2), (4, 2), (3, 1)],
    ),
    (
        "CLERK",
        [(3, 2), (3, 1), (4, 2), (3, 2), (3, 2), (3, 2), (4, 2)],
    ),
    (
        "TRAINER",
        [(4, 2), (4, 2), (4, 2), (4, 2), (3, 2), (4, 2), (5, 3)],
    ),
];

/// The framework as stored: its version's id, its family and the competency ids in
/// the order of [`CODES`].
pub struct Stored {
    pub id: Uuid,
    pub family_id: Uuid,
    pub competencies: Vec<Uuid>,
}

pub async fn insert(
    db: &impl ConnectionTrait,
    synth: &mut Synth,
    author: Option<Uuid>,
    at: DateTime<Utc>,
) -> Result<Stored, DbErr> {
    let id = synth.uuid();
    let family_id = synth.uuid();
    framework::ActiveModel {
        id: Set(id),
        family_id: Set(family_id),
        version: Set(1),
        name: Set(NAME.into()),
        description: Set(Some(DESCRIPTION.into())),
        archived: Set(false),
        created_by: Set(author),
        created_at: Set(at),
    }
    .insert(db)
    .await?;
    let mut by_code = std::collections::HashMap::new();
    let mut rows = Vec::new();
    for (d, domain) in (1..).zip(DOMAINS.iter()) {
        let domain_id = synth.uuid();
        framework_domain::ActiveModel {
            id: Set(domain_id),
            framework_id: Set(id),
            position: Set(d),
            name: Set(domain.name.into()),
            archived: Set(false),
        }
        .insert(db)
        .await?;
        for (p, c) in (1..).zip(domain.competencies.iter()) {
            let competency_id = synth.uuid();
            by_code.insert(c.code, competency_id);
            let [l1, l2, l3, l4, l5] = c.levels;
            rows.push(competency::ActiveModel {
                id: Set(competency_id),
                framework_id: Set(id),
                domain_id: Set(domain_id),
                position: Set(p),
                code: Set(c.code.into()),
                name: Set(c.name.into()),
                description: Set(Some(c.description.into())),
                level_1: Set(l1.into()),
                level_2: Set(l2.into()),
                level_3: Set(l3.into()),
                level_4: Set(l4.into()),
                level_5: Set(l5.into()),
                archived: Set(false),
            });
        }
    }
    insert_chunked(db, rows, 500).await?;
    let competencies = CODES
        .iter()
        .map(|code| {
            by_code
                .get(code)
                .copied()
                .ok_or_else(|| DbErr::Custom(format!("demo framework lacks {code}")))
        })
        .collect::<Result<_, _>>()?;
    Ok(Stored {
        id,
        family_id,
        competencies,
    })
}

/// Target profiles for every position the office has.
pub async fn insert_targets(
    db: &impl ConnectionTrait,
    synth: &mut Synth,
    family_id: Uuid,
    position_of: impl Fn(&str) -> Option<Uuid>,
) -> Result<usize, DbErr> {
    let mut rows = Vec::new();
    for (position, targets) in TARGETS {
        let Some(position_id) = position_of(position) else {
            continue;
        };
        for (code, (level, importance)) in CODES.iter().zip(targets) {
            rows.push(position_target::ActiveModel {
                id: Set(synth.uuid()),
                position_id: Set(position_id),
                family_id: Set(family_id),
                competency_code: Set((*code).into()),
                target_level: Set(level),
                importance: Set(importance),
            });
        }
    }
    let n = rows.len();
    insert_chunked(db, rows, 500).await?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_the_domains_in_order() {
        let listed: Vec<&str> = DOMAINS
            .iter()
            .flat_map(|d| d.competencies.iter().map(|c| c.code))
            .collect();
        assert_eq!(listed, CODES);
    }

    #[test]
    fn targets_are_on_the_scale() {
        for (_, targets) in TARGETS {
            for (level, importance) in targets {
                assert!((1..=5).contains(&level));
                assert!((1..=3).contains(&importance));
            }
        }
    }

    #[test]
    fn descriptors_fill_every_level() {
        for d in &DOMAINS {
            for c in d.competencies {
                assert!(c.levels.iter().all(|l| !l.trim().is_empty()), "{}", c.code);
            }
        }
    }
}
