//! The demo's needs-survey campaigns: a closed baseline over the whole centre with
//! results, an open follow-up in the service hall with tasks still to do, and a
//! draft. Ratings are drawn around a "true" level per person and competency, so the
//! views tell the paper's story: front-desk IT literacy far below target, policy
//! middling, attitude high, self-ratings a little above what others see.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, TimeZone, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use serde_json::json;
use uuid::Uuid;

use app::domain::{
    AudienceKind, AuditAction, CampaignState, ItemKind, NotificationKind, PeerMode, RaterType,
    TaskStatus,
};
use app::entities::{
    audit_log, campaign, campaign_audience, campaign_item, notification, person, rating,
    survey_task,
};
use app::error::AppError;
use app::surveys::opening::plan_tasks;

use super::framework::Stored;
use crate::synth::{Synth, insert_chunked};

/// Rows per multi-row insert: small statements keep the demo quick on both backends.
const CHUNK: usize = 400;

pub const BASELINE: &str = "2026年度培训需求调查（基线）";
pub const FOLLOW_UP: &str = "2026年第四季度服务能力复评";
pub const DRAFT: &str = "征缴科专项需求调查";

/// IT literacy's place in [`CODES`](super::framework::CODES).
const IT: usize = 5;

/// Typical true level per unit, in the order of the framework's codes (initiative,
/// innovation, attitude, policy, case handling, IT literacy, communication).
fn unit_base(unit: &str) -> [f64; 7] {
    match unit {
        // Friendly and willing, but the online systems are where they struggle.
        "HALL" => [2.9, 2.4, 3.9, 2.9, 3.3, 2.1, 3.3],
        "CONTRIB" => [3.0, 2.6, 3.6, 3.3, 3.4, 2.8, 3.0],
        "BENEFITS" => [2.9, 2.5, 3.6, 3.9, 3.5, 2.9, 2.9],
        "AUDIT" => [2.8, 2.6, 3.5, 4.0, 3.3, 3.1, 2.8],
        "INFO" => [3.0, 3.2, 3.5, 2.8, 3.0, 4.0, 2.9],
        "ADMIN" => [3.1, 2.8, 3.7, 3.0, 3.0, 3.1, 3.3],
        _ => [3.4, 3.1, 3.8, 3.8, 3.5, 2.9, 3.7],
    }
}

/// S0001 李娜, the demo's staff login: a solid clerk whose IT literacy is her gap,
/// and who rates herself well above what others see there (a discrepancy flag).
const LI_NA: [f64; 7] = [3.2, 2.6, 4.2, 3.0, 3.4, 1.9, 3.6];

/// The office as seeded so far.
pub struct Office<'a> {
    /// Everyone, in the order they were created (employee numbers ascending by unit).
    pub people: &'a [person::Model],
    /// Unit ids by code, the centre (`CENTRE`) included.
    pub units: &'a HashMap<&'static str, Uuid>,
    /// The training officer who runs the campaigns (T0001).
    pub owner: Uuid,
}

impl Office<'_> {
    fn unit(&self, code: &str) -> Result<Uuid, AppError> {
        self.units
            .get(code)
            .copied()
            .ok_or_else(|| AppError::internal(format!("demo unit {code} missing")))
    }

    fn person(&self, employee_no: &str) -> Result<&person::Model, AppError> {
        self.people
            .iter()
            .find(|p| p.employee_no == employee_no)
            .ok_or_else(|| AppError::internal(format!("demo person {employee_no} missing")))
    }
}

/// How one person really is, and how they see themselves.
struct Profile {
    truth: [f64; 7],
    /// Added to their self-ratings: most people see themselves a little better.
    self_bias: f64,
    /// A competency they rate themselves 4 on whatever others see.
    blind_spot: Option<usize>,
}

fn profiles(synth: &mut Synth, office: &Office<'_>) -> HashMap<Uuid, Profile> {
    let unit_code: HashMap<Uuid, &str> = office.units.iter().map(|(c, id)| (*id, *c)).collect();
    let managers: HashSet<Uuid> = office.people.iter().filter_map(|p| p.manager_id).collect();
    let mut out = HashMap::new();
    for p in office.people {
        let code = p
            .unit_id
            .and_then(|u| unit_code.get(&u).copied())
            .unwrap_or("");
        let base = unit_base(code);
        // Heads got there by being good at the job.
        let lead = if managers.contains(&p.id) { 0.4 } else { 0.0 };
        let person_effect = synth.normal(0.0, 0.35);
        let mut truth = [0.0; 7];
        for (t, b) in truth.iter_mut().zip(base) {
            *t = (b + lead + person_effect + synth.normal(0.0, 0.4)).clamp(1.0, 5.0);
        }
        // A few see themselves far better than anyone else does.
        let self_bias = if synth.chance(0.07) {
            synth.normal(1.9, 0.2)
        } else {
            synth.normal(0.35, 0.25)
        };
        let mut profile = Profile {
            truth,
            self_bias,
            blind_spot: None,
        };
        if p.employee_no == "S0001" {
            profile = Profile {
                truth: LI_NA,
                self_bias: 0.3,
                blind_spot: Some(IT),
            };
        }
        out.insert(p.id, profile);
    }
    out
}

/// Levels one rater gives one subject, in the order of [`CODES`](super::framework::CODES).
fn ratings_for(
    synth: &mut Synth,
    profile: &Profile,
    rater: RaterType,
    growth: &[f64; 7],
) -> [i32; 7] {
    let mut levels = [3; 7];
    for (i, level) in levels.iter_mut().enumerate() {
        let truth = profile.truth[i] + growth[i];
        *level = match rater {
            RaterType::SelfRating if profile.blind_spot == Some(i) => 4,
            // People know themselves and managers know their staff fairly well;
            // peers see less of the work, so they scatter more.
            RaterType::SelfRating => synth.level(truth + profile.self_bias, 0.3),
            RaterType::Manager => synth.level(truth, 0.3),
            RaterType::Peer => synth.level(truth + 0.05, 0.55),
        };
    }
    levels
}

/// An instant given in the office's local time (Asia/Shanghai), stored in UTC.
pub(super) fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> Result<DateTime<Utc>, AppError> {
    chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| AppError::internal("demo date does not exist"))
}

fn minutes(x: f64) -> Duration {
    // Whole minutes are plenty for generated timestamps.
    Duration::minutes(x.round() as i64)
}

struct Setup {
    title: &'static str,
    state: CampaignState,
    opens: DateTime<Utc>,
    closes: DateTime<Utc>,
    created: DateTime<Utc>,
    peer_mode: PeerMode,
    peers: i32,
    follow_up_of: Option<Uuid>,
    instructions: &'static str,
    audience: Uuid,
    /// How much quiz results count (0: not at all).
    weight_test: f64,
}

async fn insert_campaign(
    db: &impl ConnectionTrait,
    synth: &mut Synth,
    office: &Office<'_>,
    framework: &Stored,
    s: Setup,
) -> Result<campaign::Model, AppError> {
    let opened = s.state != CampaignState::Draft;
    let c = campaign::ActiveModel {
        id: Set(synth.uuid()),
        title: Set(s.title.into()),
        framework_id: Set(framework.id),
        state: Set(s.state),
        opens_at: Set(s.opens),
        closes_at: Set(s.closes),
        include_self: Set(true),
        include_manager: Set(true),
        peer_mode: Set(s.peer_mode),
        peers_per_person: Set(s.peers),
        anonymity_threshold: Set(3),
        instructions: Set(Some(s.instructions.into())),
        weight_self: Set(0.2),
        weight_manager: Set(0.5),
        weight_peers: Set(0.3),
        weight_test: Set(s.weight_test),
        discrepancy_threshold: Set(1.5),
        follow_up_of: Set(s.follow_up_of),
        owner_id: Set(office.owner),
        created_at: Set(s.created),
        opened_at: Set(opened.then_some(s.opens)),
        closed_at: Set((s.state == CampaignState::Closed).then_some(s.closes)),
        peer_seed: Set(Some(Uuid::new_v4())),
    }
    .insert(db)
    .await?;
    campaign_audience::ActiveModel {
        id: Set(synth.uuid()),
        campaign_id: Set(c.id),
        kind: Set(AudienceKind::Unit),
        target_id: Set(s.audience),
    }
    .insert(db)
    .await?;
    Ok(c)
}

/// The people a unit audience covers, as `resolve_audience` would list them: active,
/// by employee number. The demo tree has two levels, so the centre covers everyone.
fn audience(office: &Office<'_>, unit: Uuid) -> Vec<person::Model> {
    let centre = office.units.get("CENTRE").copied();
    let mut people: Vec<person::Model> = office
        .people
        .iter()
        .filter(|p| p.active && (p.unit_id == Some(unit) || Some(unit) == centre))
        .cloned()
        .collect();
    people.sort_by(|a, b| a.employee_no.cmp(&b.employee_no));
    people
}

/// What happened to one planned task.
enum Outcome {
    Pending,
    /// Saved half-way: the first few competencies rated.
    Draft(DateTime<Utc>),
    Submitted(DateTime<Utc>),
}

/// Tasks and their ratings, written in bulk.
#[derive(Default)]
struct Batch {
    tasks: Vec<survey_task::ActiveModel>,
    ratings: Vec<rating::ActiveModel>,
    /// Raters with something left to do.
    unfinished: HashSet<Uuid>,
    raters: Vec<Uuid>,
}

impl Batch {
    fn add(
        &mut self,
        synth: &mut Synth,
        c: &campaign::Model,
        framework: &Stored,
        (subject, rater, kind): (Uuid, Uuid, RaterType),
        outcome: Outcome,
        levels: [i32; 7],
    ) {
        let task_id = synth.uuid();
        let (status, updated, submitted, rated) = match outcome {
            Outcome::Pending => (TaskStatus::Pending, c.opens_at, None, 0),
            Outcome::Draft(at) => (TaskStatus::Draft, at, None, 3),
            Outcome::Submitted(at) => (TaskStatus::Submitted, at, Some(at), levels.len()),
        };
        if status != TaskStatus::Submitted {
            self.unfinished.insert(rater);
        }
        if !self.raters.contains(&rater) {
            self.raters.push(rater);
        }
        self.tasks.push(survey_task::ActiveModel {
            id: Set(task_id),
            campaign_id: Set(c.id),
            subject_id: Set(subject),
            rater_id: Set(rater),
            rater_type: Set(kind),
            status: Set(status),
            updated_at: Set(updated),
            submitted_at: Set(submitted),
        });
        for (competency_id, level) in framework.competencies.iter().zip(levels).take(rated) {
            self.ratings.push(rating::ActiveModel {
                id: Set(synth.uuid()),
                task_id: Set(task_id),
                competency_id: Set(*competency_id),
                level: Set(level),
            });
        }
    }

    async fn write(self, db: &impl ConnectionTrait) -> Result<(usize, usize), AppError> {
        let counts = (self.tasks.len(), self.ratings.len());
        insert_chunked(db, self.tasks, CHUNK).await?;
        insert_chunked(db, self.ratings, CHUNK).await?;
        Ok(counts)
    }
}

/// One "campaign opened" message per rater; read unless `unread` says otherwise.
fn opened_notices(
    synth: &mut Synth,
    c: &campaign::Model,
    raters: &[Uuid],
    unread: impl Fn(Uuid) -> bool,
) -> Vec<notification::ActiveModel> {
    raters
        .iter()
        .map(|r| {
            let read = (!unread(*r)).then(|| c.opens_at + minutes(synth.real(30.0, 4000.0)));
            notice(
                synth,
                *r,
                NotificationKind::CampaignOpened,
                c.id,
                c.opens_at,
                read,
            )
        })
        .collect()
}

fn notice(
    synth: &mut Synth,
    person: Uuid,
    kind: NotificationKind,
    campaign: Uuid,
    at: DateTime<Utc>,
    read: Option<DateTime<Utc>>,
) -> notification::ActiveModel {
    notification::ActiveModel {
        id: Set(synth.uuid()),
        person_id: Set(person),
        kind: Set(kind),
        campaign_id: Set(Some(campaign)),
        assignment_id: Set(None),
        session_id: Set(None),
        detail: Set(None),
        follow_up_id: Set(None),
        created_at: Set(at),
        read_at: Set(read),
    }
}

/// What the campaigns leave besides tasks and ratings: notifications and the audit
/// trail, dated when each step happened, written at the end.
struct Trail {
    owner: Uuid,
    notes: Vec<notification::ActiveModel>,
    log: Vec<audit_log::ActiveModel>,
    totals: Loaded,
}

impl Trail {
    fn record(
        &mut self,
        synth: &mut Synth,
        at: DateTime<Utc>,
        action: AuditAction,
        (entity, id): (&str, Uuid),
        before: Option<serde_json::Value>,
        after: serde_json::Value,
    ) {
        self.log.push(audit_log::ActiveModel {
            id: Set(synth.uuid()),
            at: Set(at),
            actor_id: Set(Some(self.owner)),
            action: Set(action),
            entity: Set(entity.into()),
            entity_id: Set(Some(id.to_string())),
            before: Set(before.map(|v| v.to_string())),
            after: Set(Some(after.to_string())),
        });
    }

    /// Writes a campaign's tasks and ratings and computes its results.
    async fn finish(
        &mut self,
        db: &impl ConnectionTrait,
        c: &campaign::Model,
        batch: Batch,
    ) -> Result<usize, AppError> {
        let (tasks, ratings) = batch.write(db).await?;
        self.totals.tasks += tasks;
        self.totals.ratings += ratings;
        self.totals.results += app::gaps::service::recompute(db, c, None).await?;
        Ok(tasks)
    }
}

/// Counts the quiz results in the campaigns that weigh them, once the demo's
/// quizzes have been taken (the campaigns are written before the courses).
pub async fn count_quiz_results(db: &impl ConnectionTrait) -> Result<usize, AppError> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let weighing = campaign::Entity::find()
        .filter(campaign::Column::WeightTest.gt(0.0))
        .all(db)
        .await?;
    let mut results = 0;
    for c in &weighing {
        results += app::gaps::service::recompute(db, c, None).await?;
    }
    Ok(results)
}

/// What the campaigns added, for the log line.
#[derive(Default)]
pub struct Loaded {
    pub tasks: usize,
    pub ratings: usize,
    pub results: usize,
    /// Who took October's IT class, for [`super::learning::october_it_class`].
    pub it_class: Vec<Uuid>,
}

/// October's IT class (社保经办系统实操): every second colleague of the hall by
/// employee number, leaving out 李娜 (whose IT gap the demo keeps open) and
/// their manager.
fn october_it_class(office: &Office<'_>, hall: Uuid) -> Vec<Uuid> {
    let mut people: Vec<&person::Model> = office
        .people
        .iter()
        .filter(|p| p.active && p.unit_id == Some(hall))
        .filter(|p| p.employee_no != "S0001" && p.employee_no != "M0001")
        .collect();
    people.sort_by(|a, b| a.employee_no.cmp(&b.employee_no));
    people.into_iter().step_by(2).map(|p| p.id).collect()
}

pub async fn insert(
    db: &impl ConnectionTrait,
    synth: &mut Synth,
    office: &Office<'_>,
    framework: &Stored,
) -> Result<Loaded, AppError> {
    let profiles = profiles(synth, office);
    let mut trail = Trail {
        owner: office.owner,
        notes: Vec::new(),
        log: Vec::new(),
        totals: Loaded::default(),
    };
    trail.record(
        synth,
        local(2026, 8, 14, 10, 12)?,
        AuditAction::FrameworkCreate,
        ("framework", framework.id),
        None,
        json!({ "name": super::framework::NAME }),
    );
    let baseline = baseline(db, synth, office, framework, &profiles, &mut trail).await?;
    let it_class = october_it_class(office, office.unit("HALL")?);
    follow_up(
        db, synth, office, framework, &profiles, &mut trail, &baseline, &it_class,
    )
    .await?;
    draft(db, synth, office, framework, &mut trail).await?;
    insert_chunked(db, trail.notes, CHUNK).await?;
    insert_chunked(db, trail.log, CHUNK).await?;
    Ok(Loaded {
        it_class,
        ..trail.totals
    })
}

/// The baseline: the whole centre, self + line manager + three peers, closed, with
/// nearly everyone answered.
async fn baseline(
    db: &impl ConnectionTrait,
    synth: &mut Synth,
    office: &Office<'_>,
    framework: &Stored,
    profiles: &HashMap<Uuid, Profile>,
    trail: &mut Trail,
) -> Result<campaign::Model, AppError> {
    let li_na = office.person("S0001")?.id;
    let centre = office.unit("CENTRE")?;
    let c = insert_campaign(
        db,
        synth,
        office,
        framework,
        Setup {
            title: BASELINE,
            state: CampaignState::Closed,
            opens: local(2026, 9, 1, 9, 0)?,
            closes: local(2026, 9, 30, 18, 0)?,
            created: local(2026, 8, 25, 15, 40)?,
            peer_mode: PeerMode::Auto,
            peers: 3,
            follow_up_of: None,
            instructions: "请对照每一级的行为描述，根据过去一年的实际工作表现如实评价。\
同事评价匿名汇总，少于 3 人时不单独显示。",
            audience: centre,
            weight_test: 0.0,
        },
    )
    .await?;
    let mut batch = Batch::default();
    for task in plan_tasks(&c, &audience(office, centre), office.people) {
        let (subject, _, kind) = task;
        // Li Na's results must be complete: her gap page is the demo's first stop.
        let outcome = if subject == li_na || synth.chance(0.95) {
            // Most answer in the first two weeks; the reminder brings in the rest.
            let days = 27.5 * synth.real(0.0, 1.0).powi(2) + 0.1;
            Outcome::Submitted(c.opens_at + minutes(days * 24.0 * 60.0))
        } else {
            Outcome::Pending
        };
        let levels = match profiles.get(&subject) {
            Some(p) => ratings_for(synth, p, kind, &[0.0; 7]),
            None => [3; 7],
        };
        batch.add(synth, &c, framework, task, outcome, levels);
    }
    // Everyone has long since read September's messages.
    let opened = opened_notices(synth, &c, &batch.raters, |_| false);
    trail.notes.extend(opened);
    let reminded = c.opens_at + Duration::days(19);
    let mut late: Vec<Uuid> = batch.unfinished.iter().copied().collect();
    // Sorted so the generated ids do not depend on hash order.
    late.sort();
    let reminders = late.len();
    for r in late {
        let read = reminded + minutes(synth.real(60.0, 2000.0));
        let note = notice(
            synth,
            r,
            NotificationKind::Reminder,
            c.id,
            reminded,
            Some(read),
        );
        trail.notes.push(note);
    }
    let tasks = trail.finish(db, &c, batch).await?;
    let id = ("campaign", c.id);
    trail.record(
        synth,
        c.created_at,
        AuditAction::CampaignCreate,
        id,
        None,
        json!({ "title": BASELINE }),
    );
    trail.record(
        synth,
        c.opens_at,
        AuditAction::CampaignOpen,
        id,
        Some(json!({ "state": "draft" })),
        json!({ "state": "open", "tasks": tasks }),
    );
    trail.record(
        synth,
        reminded,
        AuditAction::CampaignRemind,
        id,
        None,
        json!({ "sent": reminders }),
    );
    trail.record(
        synth,
        c.closes_at,
        AuditAction::CampaignClose,
        id,
        Some(json!({ "state": "open" })),
        json!({ "state": "closed" }),
    );
    Ok(c)
}

/// The follow-up: the hall again after October's IT training (those who took it
/// grew clearly on IT literacy, the others a little), self + manager (and
/// the hall's quiz results, weighted 0.2), open
/// now with about a quarter answered and some saved half-way; Li Na's
/// self-assessment and most of her manager's ratings still to do.
async fn follow_up(
    db: &impl ConnectionTrait,
    synth: &mut Synth,
    office: &Office<'_>,
    framework: &Stored,
    profiles: &HashMap<Uuid, Profile>,
    trail: &mut Trail,
    baseline: &campaign::Model,
    it_class: &[Uuid],
) -> Result<(), AppError> {
    let li_na = office.person("S0001")?.id;
    let hall = office.unit("HALL")?;
    let c = insert_campaign(
        db,
        synth,
        office,
        framework,
        Setup {
            title: FOLLOW_UP,
            state: CampaignState::Open,
            opens: local(2026, 11, 20, 9, 0)?,
            closes: local(2026, 12, 31, 18, 0)?,
            created: local(2026, 11, 18, 16, 5)?,
            peer_mode: PeerMode::None,
            peers: 0,
            follow_up_of: Some(baseline.id),
            instructions: "十月份信息化专题培训后的复评，请对照基线时的行为描述重新评价。",
            audience: hall,
            weight_test: 0.2,
        },
    )
    .await?;
    let growth_of = |subject: Uuid| {
        let mut growth = [0.1; 7];
        growth[IT] = if it_class.contains(&subject) {
            1.1
        } else {
            0.05
        };
        growth
    };
    let mut batch = Batch::default();
    for task in plan_tasks(&c, &audience(office, hall), office.people) {
        let (subject, rater, kind) = task;
        let answered = c.opens_at + minutes(synth.real(60.0, 7.0 * 24.0 * 60.0));
        // Li Na's own assessment waits for her, so the demo can show answering it.
        let outcome = if subject == li_na && rater == li_na {
            Outcome::Pending
        } else if synth.chance(0.25) {
            Outcome::Submitted(answered)
        } else if synth.chance(0.12) {
            Outcome::Draft(answered)
        } else {
            Outcome::Pending
        };
        let levels = match profiles.get(&subject) {
            // Feedback from the baseline tempered the over-raters a little.
            Some(p) => {
                let tempered = Profile {
                    truth: p.truth,
                    self_bias: p.self_bias * 0.7,
                    blind_spot: p.blind_spot,
                };
                ratings_for(synth, &tempered, kind, &growth_of(subject))
            }
            None => [3; 7],
        };
        batch.add(synth, &c, framework, task, outcome, levels);
    }
    // Unread for whoever still has something to do, so the badge shows.
    let unfinished = batch.unfinished.clone();
    let opened = opened_notices(synth, &c, &batch.raters, |r| unfinished.contains(&r));
    trail.notes.extend(opened);
    let reminded = local(2026, 11, 26, 9, 30)?;
    let mut pending: Vec<Uuid> = unfinished.into_iter().collect();
    pending.sort();
    let reminders = pending.len();
    for r in pending {
        let note = notice(synth, r, NotificationKind::Reminder, c.id, reminded, None);
        trail.notes.push(note);
    }
    let tasks = trail.finish(db, &c, batch).await?;
    let id = ("campaign", c.id);
    trail.record(
        synth,
        c.created_at,
        AuditAction::CampaignCreate,
        id,
        None,
        json!({ "title": FOLLOW_UP, "follow_up_of": baseline.id }),
    );
    trail.record(
        synth,
        c.opens_at,
        AuditAction::CampaignOpen,
        id,
        Some(json!({ "state": "draft" })),
        json!({ "state": "open", "tasks": tasks }),
    );
    trail.record(
        synth,
        reminded,
        AuditAction::CampaignRemind,
        id,
        None,
        json!({ "sent": reminders }),
    );
    Ok(())
}

/// A draft for the contributions section, still being set up, with custom items.
async fn draft(
    db: &impl ConnectionTrait,
    synth: &mut Synth,
    office: &Office<'_>,
    framework: &Stored,
    trail: &mut Trail,
) -> Result<(), AppError> {
    let c = insert_campaign(
        db,
        synth,
        office,
        framework,
        Setup {
            title: DRAFT,
            state: CampaignState::Draft,
            opens: local(2027, 1, 4, 9, 0)?,
            closes: local(2027, 1, 22, 18, 0)?,
            created: local(2026, 11, 25, 10, 20)?,
            peer_mode: PeerMode::Nominate,
            peers: 3,
            follow_up_of: None,
            instructions: "征缴业务系统升级前的专项调查，请每人提名 3 位熟悉自己工作的同事评价。",
            audience: office.unit("CONTRIB")?,
            weight_test: 0.0,
        },
    )
    .await?;
    let items = [
        (
            ItemKind::Choice,
            "您希望以哪种形式参加培训？",
            Some("集中面授\n线上自学\n岗位带教\n外出跟班学习"),
            None,
            true,
        ),
        (
            ItemKind::Likert,
            "新征缴系统上线后，我能独立完成核定与征收操作。",
            None,
            framework.competencies.get(IT).copied(),
            true,
        ),
        (
            ItemKind::Text,
            "您在工作中最希望得到哪方面的帮助？",
            None,
            None,
            false,
        ),
    ];
    for (position, (kind, prompt, options, competency, required)) in (0..).zip(items) {
        campaign_item::ActiveModel {
            id: Set(synth.uuid()),
            campaign_id: Set(c.id),
            position: Set(position),
            kind: Set(kind),
            prompt: Set(prompt.into()),
            options: Set(options.map(str::to_owned)),
            competency_id: Set(competency),
            required: Set(required),
        }
        .insert(db)
        .await?;
    }
    trail.record(
        synth,
        c.created_at,
        AuditAction::CampaignCreate,
        ("campaign", c.id),
        None,
        json!({ "title": DRAFT }),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::framework::CODES;

    #[test]
    fn it_points_at_it_literacy() {
        assert_eq!(CODES[IT], "IT_LITERACY");
    }

    #[test]
    fn a_blind_spot_is_rated_4_by_self_only() {
        let mut synth = Synth::new(3);
        let p = Profile {
            truth: [2.0; 7],
            self_bias: 0.0,
            blind_spot: Some(IT),
        };
        let own = ratings_for(&mut synth, &p, RaterType::SelfRating, &[0.0; 7]);
        assert_eq!(own[IT], 4);
        let managers: Vec<i32> = (0..200)
            .map(|_| ratings_for(&mut synth, &p, RaterType::Manager, &[0.0; 7])[IT])
            .collect();
        assert!(managers.iter().filter(|l| **l >= 3).count() < 20);
    }

    #[test]
    fn office_times_are_stored_in_utc() {
        let t = local(2026, 9, 1, 9, 0).expect("valid date");
        assert_eq!(t.to_rfc3339(), "2026-09-01T01:00:00+00:00");
    }
}
