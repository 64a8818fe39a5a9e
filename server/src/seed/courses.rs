//! The demo office's course catalogue: courses a county social-insurance centre
//! actually runs, mapped to the demo framework's competencies, with lessons a
//! trainer would write.

use app::domain::{CourseMode, CourseStatus};
use app::entities::{course, course_competency, course_module, course_owner, lesson, person};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use uuid::Uuid;

use crate::synth::Synth;

struct Lesson {
    title: &'static str,
    body: &'static str,
}

struct Module {
    title: &'static str,
    lessons: &'static [Lesson],
}

struct Course {
    code: &'static str,
    title: &'static str,
    summary: &'static str,
    hours: f64,
    mode: CourseMode,
    status: CourseStatus,
    self_enrol: bool,
    /// Owned by the second trainer (Emma Liu) rather than 孙丽.
    second_trainer: bool,
    raises: &'static [(&'static str, i32)],
    modules: &'static [Module],
}

const COURSES: &[Course] = &[
    Course {
        code: "SI-SYS-101",
        title: "社保经办系统实操",
        summary: "面向窗口经办员的社保经办信息系统上机实操：参保登记、变更、缴费核定和待遇申领的标准流程，以及常见报错的处理。",
        hours: 8.0,
        mode: CourseMode::Blended,
        status: CourseStatus::Published,
        self_enrol: true,
        second_trainer: false,
        raises: &[("IT_LITERACY", 4), ("CASE_HANDLING", 3)],
        modules: &[
            Module {
                title: "系统入门",
                lessons: &[
                    Lesson {
                        title: "登录、权限与数字证书",
                        body: "# 登录、权限与数字证书\n\n经办系统按**岗位授权**，每位经办员只能看到本岗位的菜单。\n\n## 上机前检查\n\n- 数字证书（UKey）已插好，驱动提示“证书有效”；\n- 浏览器使用单位统一安装的版本，不要另装插件；\n- 离开座位时按 `Win + L` 锁屏，**不得**将证书借给他人。\n\n## 常见问题\n\n| 现象 | 处理 |\n|---|---|\n| 提示“证书已过期” | 联系信息档案科更换证书 |\n| 菜单缺项 | 核对岗位授权，向科长申请 |\n\n> 证书等同于您的签名，系统中每一笔业务都记在证书持有人名下。",
                    },
                    Lesson {
                        title: "个人参保信息查询",
                        body: "# 个人参保信息查询\n\n查询是所有业务的第一步：先核对身份，再看参保状态。\n\n1. 读取社会保障卡或输入公民身份号码；\n2. 核对姓名、性别、出生日期与证件是否一致；\n3. 查看**参保状态**（参保缴费、暂停缴费、终止）和**缴费月数**。\n\n练习：用培训环境中的测试号码 `110101199001011234` 查询，说出其累计缴费月数。",
                    },
                ],
            },
            Module {
                title: "核心业务办理",
                lessons: &[
                    Lesson {
                        title: "参保登记与信息变更",
                        body: "# 参保登记与信息变更\n\n## 灵活就业人员参保登记\n\n- 材料：身份证件、户口簿（非本县户籍需居住证）；\n- 录入后打印《参保登记表》请群众**当场核对签字**；\n- 登记当月即可缴费。\n\n## 信息变更\n\n姓名、身份证号码等关键信息变更须上传公安部门证明材料，由**复核岗**审核后生效。\n\n**易错点**：变更联系电话不需复核，变更身份证号码必须复核。",
                    },
                    Lesson {
                        title: "待遇申领的系统操作",
                        body: "# 待遇申领的系统操作\n\n以养老保险待遇申领为例：\n\n1. 查询缴费年限是否满 15 年；\n2. 核对视同缴费年限与档案认定结果；\n3. 系统测算待遇，打印测算表交申请人确认；\n4. 提交复核，复核通过后次月发放。\n\n测算结果与群众预期差异较大时，请用测算表逐项解释，**不要**口头承诺金额。",
                    },
                ],
            },
        ],
    },
    Course {
        code: "POL-PEN-2026",
        title: "养老保险政策解读（2026年版）",
        summary: "2026 年城镇职工和城乡居民基本养老保险政策要点：缴费基数、渐进式延迟退休、待遇计发与领取资格认证。",
        hours: 6.0,
        mode: CourseMode::Classroom,
        status: CourseStatus::Published,
        self_enrol: true,
        second_trainer: false,
        raises: &[("POLICY", 4)],
        modules: &[
            Module {
                title: "缴费与退休年龄",
                lessons: &[
                    Lesson {
                        title: "缴费基数与缴费比例",
                        body: "# 缴费基数与缴费比例\n\n- 单位缴费比例：**16%**；个人缴费比例：**8%**（计入个人账户）。\n- 缴费基数上下限按上年度全省全口径城镇单位就业人员平均工资的 300% 和 60% 确定。\n- 灵活就业人员可在 60%–300% 之间自选档次。\n\n> 群众常问：“多缴是否多得？”——多缴费、长缴费，待遇更高，可结合计发办法举例说明。",
                    },
                    Lesson {
                        title: "渐进式延迟法定退休年龄",
                        body: "# 渐进式延迟法定退休年龄\n\n自 2025 年 1 月起，男职工法定退休年龄逐步由 60 周岁延迟至 63 周岁，女职工由 50、55 周岁分别延迟至 55、58 周岁。\n\n## 答复要点\n\n1. 按出生年月查对照表，告知本人的法定退休年龄；\n2. 最低缴费年限自 2030 年起逐步由 15 年提高至 20 年；\n3. 可申请弹性提前退休，但不得早于原法定退休年龄。",
                    },
                ],
            },
            Module {
                title: "待遇领取",
                lessons: &[Lesson {
                    title: "领取资格认证",
                    body: "# 领取资格认证\n\n待遇领取人员每年认证一次，可通过手机 App 人脸识别、社区代办或上门服务完成。\n\n- 超过 12 个月未认证的，暂停发放；\n- 认证后恢复发放并**补发**暂停期间待遇。\n\n对高龄、失能老人，主动预约上门认证。",
                }],
            },
        ],
    },
    Course {
        code: "SVC-ETQ-01",
        title: "窗口服务礼仪与沟通技巧",
        summary: "窗口服务的仪容仪表、文明用语、首问负责和一次性告知，以及与不同群众沟通的方法。",
        hours: 4.0,
        mode: CourseMode::Classroom,
        status: CourseStatus::Published,
        self_enrol: true,
        second_trainer: true,
        raises: &[("COMMUNICATION", 4), ("ATTITUDE", 4)],
        modules: &[Module {
            title: "服务规范",
            lessons: &[
                Lesson {
                    title: "首问负责与一次性告知",
                    body: "# 首问负责与一次性告知\n\n**首问负责**：群众问到谁，谁就负责到底——能办的当场办，不能办的带到能办的窗口或告知去处。\n\n**一次性告知**：材料不全时，一次性书面告知所缺全部材料，使用《一次性告知单》。\n\n## 情景练习\n\n群众带来的材料缺少户口簿复印件，且代办人未带委托书。请写出您的告知话术。",
                },
                Lesson {
                    title: "文明用语十句",
                    body: "# 文明用语十句\n\n1. 您好，请坐，请问办理什么业务？\n2. 请稍等，我马上为您查询。\n3. 对不起，让您久等了。\n4. 这项业务需要以下材料，我写给您。\n5. 请您核对一下，确认无误后签字。\n\n……\n\n**忌语**：“不知道”“找别人去”“下班了”。",
                },
            ],
        }],
    },
    Course {
        code: "SVC-CMP-02",
        title: "投诉处理与情绪管理",
        summary: "化解群众不满的 LEAP 方法、投诉登记与回访流程，以及窗口人员自身的压力调适。",
        hours: 3.0,
        mode: CourseMode::Classroom,
        status: CourseStatus::Published,
        self_enrol: false,
        second_trainer: true,
        raises: &[("COMMUNICATION", 5), ("ATTITUDE", 4)],
        modules: &[Module {
            title: "化解不满",
            lessons: &[Lesson {
                title: "倾听、共情、解释、行动",
                body: "# 倾听、共情、解释、行动\n\n- **倾听**：不打断，记下关键诉求；\n- **共情**：“您跑了两趟，确实着急，换成我也一样。”\n- **解释**：用政策原文和办理时限说明原因；\n- **行动**：给出具体的下一步和时间，留下联系电话。\n\n投诉须在 1 个工作日内登记，5 个工作日内回复。",
            }],
        }],
    },
    Course {
        code: "SEC-DATA-01",
        title: "数据安全与个人信息保护",
        summary: "《个人信息保护法》与社保数据安全规范：查询留痕、最小必要、打印与外发管理。",
        hours: 2.0,
        mode: CourseMode::Online,
        status: CourseStatus::Published,
        self_enrol: true,
        second_trainer: false,
        raises: &[("IT_LITERACY", 3), ("POLICY", 3)],
        modules: &[
            Module {
                title: "守住底线",
                lessons: &[Lesson {
                    title: "查询留痕与最小必要",
                    body: "# 查询留痕与最小必要\n\n经办系统中的每一次查询都会记录**查询人、时间和事由**。\n\n- 只查询办理业务所必需的信息；\n- 不得为亲友、中介查询他人参保信息；\n- 含个人信息的材料不得通过微信等个人社交软件传送。\n\n违规查询将依法依规追责。",
                }],
            },
            Module {
                title: "日常操作",
                lessons: &[
                    Lesson {
                        title: "打印、复印与外发",
                        body: "# 打印、复印与外发\n\n含身份证号、银行账号、待遇金额的材料属于**敏感个人信息**。\n\n| 情形 | 做法 |\n|---|---|\n| 打印 | 使用本窗口打印机，随打随取，不留在出纸盘 |\n| 复印群众证件 | 注明“仅供社保业务使用”及日期 |\n| 向外单位提供 | 凭公函，经科长审批，登记《信息提供台账》 |\n| 废弃材料 | 放入碎纸机，不得当作草稿纸 |\n\n离开座位时锁屏（Win + L）。",
                    },
                    Lesson {
                        title: "发现泄露怎么办",
                        body: "# 发现泄露怎么办\n\n1. **立即报告**科长和信息科，不要自行删除记录；\n2. 记下发现的时间、涉及的人员和材料；\n3. 配合信息科查询系统日志；\n4. 需要告知当事人的，由中心统一告知。\n\n> 及时报告可以把损失降到最低，隐瞒不报将加重责任。",
                    },
                ],
            },
        ],
    },
    Course {
        code: "ARC-DIG-01",
        title: "档案数字化规范",
        summary: "社保业务档案的扫描、著录、质检与移交标准。",
        hours: 4.0,
        mode: CourseMode::Blended,
        status: CourseStatus::Published,
        self_enrol: false,
        second_trainer: false,
        raises: &[("CASE_HANDLING", 4), ("IT_LITERACY", 3)],
        modules: &[Module {
            title: "扫描与著录",
            lessons: &[Lesson {
                title: "扫描参数与图像质量",
                body: "# 扫描参数与图像质量\n\n| 项目 | 要求 |\n|---|---|\n| 分辨率 | 不低于 200 dpi |\n| 色彩模式 | 彩色（含印章、签名页） |\n| 格式 | JPEG 或 PDF/A |\n\n每卷扫描完成后，抽检 10% 页面，歪斜、缺页须重扫。",
            }],
        }],
    },
    Course {
        code: "CASE-BEN-01",
        title: "待遇审核要点与典型案例",
        summary: "养老、工伤待遇审核中的常见差错与典型案例复盘。",
        hours: 6.0,
        mode: CourseMode::Classroom,
        status: CourseStatus::Published,
        self_enrol: false,
        second_trainer: false,
        raises: &[("CASE_HANDLING", 5), ("POLICY", 4)],
        modules: &[Module {
            title: "案例复盘",
            lessons: &[Lesson {
                title: "视同缴费年限认定差错",
                body: "# 视同缴费年限认定差错\n\n案例：某参保人档案中招工表与工资表时间不一致，经办员按工资表认定，多计 2 年视同缴费年限。\n\n**要点**：以招工（录用）审批表为准，其他材料相互印证；存疑的提交集体研究，不得个人决定。",
            }],
        }],
    },
    Course {
        code: "SVC-INNO-01",
        title: "服务创新与流程优化工作坊",
        summary: "从群众办事体验出发，用流程图找出多跑的环节，提出“减材料、减环节、减时限”的改进建议。",
        hours: 4.0,
        mode: CourseMode::Classroom,
        status: CourseStatus::Published,
        self_enrol: true,
        second_trainer: true,
        raises: &[("INNOVATION", 4), ("INITIATIVE", 4)],
        modules: &[Module {
            title: "画出办事流程",
            lessons: &[Lesson {
                title: "一件事一次办",
                body: "# 一件事一次办\n\n选一项您窗口最常办的业务，按群众视角画出从进门到拿到结果的每一步，标出：\n\n- 需要排队的环节；\n- 需要群众自己跑腿复印的材料；\n- 可以由系统共享代替的证明。\n\n下次课带着流程图来，每组提出一条可落地的改进建议。",
            }],
        }],
    },
    Course {
        code: "SVC-PRO-01",
        title: "主动服务与延伸服务",
        summary: "主动提醒、上门服务和“帮办代办”的做法与边界。",
        hours: 2.0,
        mode: CourseMode::Online,
        status: CourseStatus::Published,
        self_enrol: true,
        second_trainer: false,
        raises: &[("INITIATIVE", 4), ("ATTITUDE", 3)],
        modules: &[Module {
            title: "主动服务",
            lessons: &[Lesson {
                title: "到龄提醒与上门服务",
                body: "# 到龄提醒与上门服务\n\n每月初从系统导出下月到达退休年龄的人员名单，提前一个月电话提醒准备材料。\n\n对行动不便的群众，经科长同意可预约上门，**两人同行**并全程留痕。",
            }],
        }],
    },
    Course {
        code: "POL-MED-2026",
        title: "医疗保险政策更新（2026）",
        summary: "城乡居民医保缴费标准、异地就医备案与门诊共济保障政策要点。",
        hours: 3.0,
        mode: CourseMode::Online,
        status: CourseStatus::Published,
        self_enrol: true,
        second_trainer: false,
        raises: &[("POLICY", 4)],
        modules: &[Module {
            title: "政策要点",
            lessons: &[Lesson {
                title: "异地就医备案",
                body: "# 异地就医备案\n\n- 长期异地居住、异地工作人员备案后在就医地直接结算；\n- 临时外出就医可通过国家医保服务平台 App 线上备案；\n- 未备案的，回参保地按规定比例手工报销。",
            }],
        }],
    },
    Course {
        code: "IT-OFF-01",
        title: "办公软件进阶：表格与数据核对",
        summary: "用表格软件核对参保名单、查找重复和差异，制作月度统计表。",
        hours: 4.0,
        mode: CourseMode::Online,
        status: CourseStatus::Draft,
        self_enrol: false,
        second_trainer: false,
        raises: &[("IT_LITERACY", 3)],
        modules: &[Module {
            title: "数据核对",
            lessons: &[Lesson {
                title: "查找两份名单的差异",
                body: "# 查找两份名单的差异\n\n用 `COUNTIF` 标出只在一份名单中出现的身份证号，再筛选核对。\n\n（本课程仍在编写中。）",
            }],
        }],
    },
    Course {
        code: "SVC-ETQ-00",
        title: "窗口服务礼仪（2024年版）",
        summary: "已由《窗口服务礼仪与沟通技巧》取代，保留供查阅。",
        hours: 3.0,
        mode: CourseMode::Classroom,
        status: CourseStatus::Archived,
        self_enrol: false,
        second_trainer: true,
        raises: &[("ATTITUDE", 3)],
        modules: &[Module {
            title: "服务规范",
            lessons: &[Lesson {
                title: "仪容仪表",
                body: "# 仪容仪表\n\n统一着工装、佩戴工牌，发型整洁。",
            }],
        }],
    },
];

/// Loads the catalogue; returns how many courses.
pub async fn insert(
    db: &impl ConnectionTrait,
    synth: &mut Synth,
    trainers: (Uuid, Option<Uuid>),
    at: DateTime<Utc>,
) -> Result<usize, app::error::AppError> {
    for c in COURSES {
        let id = synth.uuid();
        let owner = if c.second_trainer {
            trainers.1.unwrap_or(trainers.0)
        } else {
            trainers.0
        };
        course::ActiveModel {
            id: Set(id),
            code: Set(c.code.into()),
            title: Set(c.title.into()),
            summary: Set(c.summary.into()),
            hours: Set(c.hours),
            mode: Set(c.mode),
            status: Set(c.status),
            self_enrol: Set(c.self_enrol),
            // The complaints course is taught in the room: attendance counts.
            requires_attendance: Set(c.code == "SVC-CMP-02"),
            reaction_required: Set(false),
            created_by: Set(Some(owner)),
            created_at: Set(at),
            updated_at: Set(at),
            published_at: Set((c.status != CourseStatus::Draft).then_some(at)),
            cover: Set(None),
        }
        .insert(db)
        .await?;
        course_owner::ActiveModel {
            course_id: Set(id),
            person_id: Set(owner),
        }
        .insert(db)
        .await?;
        for (code, level) in c.raises {
            course_competency::ActiveModel {
                id: Set(synth.uuid()),
                course_id: Set(id),
                code: Set((*code).into()),
                level: Set(*level),
            }
            .insert(db)
            .await?;
        }
        for (m_pos, m) in (1..).zip(c.modules) {
            let module_id = synth.uuid();
            course_module::ActiveModel {
                id: Set(module_id),
                course_id: Set(id),
                position: Set(m_pos),
                title: Set(m.title.into()),
                removed_at: Set(None),
            }
            .insert(db)
            .await?;
            for (l_pos, l) in (1..).zip(m.lessons) {
                lesson::ActiveModel {
                    id: Set(synth.uuid()),
                    course_id: Set(id),
                    module_id: Set(module_id),
                    position: Set(l_pos),
                    title: Set(l.title.into()),
                    body: Set(l.body.into()),
                    updated_at: Set(at),
                    removed_at: Set(None),
                }
                .insert(db)
                .await?;
            }
        }
    }
    Ok(COURSES.len())
}

/// The review as it stands in the demo: 王建国 (hall) accepted the first proposal
/// of several of his people, 李娜's first two among them, with a due date; the
/// trainer accepted a few elsewhere; one was rejected with a reason.
pub async fn decide_some(
    db: &impl ConnectionTrait,
    people: &[person::Model],
    manager: Uuid,
    trainer: Uuid,
    at: DateTime<Utc>,
) -> Result<usize, app::error::AppError> {
    use app::domain::{AssignmentSource, AssignmentStatus, ProposalStatus};
    use app::entities::{assignment, proposal};
    use sea_orm::{EntityTrait, QueryOrder};
    let boss = people.iter().find(|p| p.id == manager);
    let hall = boss.and_then(|b| b.unit_id);
    let li_na = people
        .iter()
        .find(|p| p.employee_no == "S0001")
        .map(|p| p.id);
    let open = proposal::Entity::find()
        .order_by_asc(proposal::Column::PersonId)
        .order_by_asc(proposal::Column::Rank)
        .all(db)
        .await?;
    let unit_of: std::collections::HashMap<Uuid, Option<Uuid>> =
        people.iter().map(|p| (p.id, p.unit_id)).collect();
    let mut decided = 0;
    let (mut in_hall, mut elsewhere, mut rejected) = (0, 0, false);
    for p in open {
        let mine = unit_of.get(&p.person_id).copied().flatten() == hall;
        let (accept, by) = if Some(p.person_id) == li_na && p.rank <= 2 {
            (true, manager)
        } else if mine && p.rank == 1 && in_hall < 8 {
            in_hall += 1;
            (true, manager)
        } else if mine && p.rank == 2 && !rejected {
            rejected = true;
            (false, manager)
        } else if !mine && p.rank == 1 && elsewhere < 6 {
            elsewhere += 1;
            (true, trainer)
        } else {
            continue;
        };
        // 李娜's second course ran out three weeks after it was given; the others
        // are due three weeks from whenever the demo is loaded, so they stay open.
        let due = if Some(p.person_id) == li_na && p.rank == 2 {
            at + chrono::Duration::days(20)
        } else {
            chrono::Utc::now() + chrono::Duration::days(21)
        };
        let mut am: proposal::ActiveModel = p.clone().into();
        am.status = Set(if accept {
            ProposalStatus::Accepted
        } else {
            ProposalStatus::Rejected
        });
        am.decided_by = Set(Some(by));
        am.decided_at = Set(Some(at));
        am.due_at = Set(accept.then_some(due));
        am.note = Set((!accept).then(|| "已参加市局同类培训，暂不安排".to_owned()));
        am.update(db).await?;
        if accept {
            let a = assignment::ActiveModel {
                id: Set(Uuid::new_v4()),
                person_id: Set(p.person_id),
                course_id: Set(p.course_id),
                source: Set(AssignmentSource::Proposal),
                proposal_id: Set(Some(p.id)),
                reason: Set(p.reason.clone()),
                assigned_by: Set(Some(by)),
                assigned_at: Set(at),
                due_at: Set(Some(due)),
                status: Set(AssignmentStatus::Assigned),
                completed_at: Set(None),
            }
            .insert(db)
            .await?;
            app::notifications::service::notify_assignment(
                db,
                a.person_id,
                a.id,
                app::domain::NotificationKind::CourseAssigned,
            )
            .await?;
        }
        decided += 1;
    }
    Ok(decided)
}
