//! A large synthetic organisation and a timing of the gap views over it.
//!
//! `bench-data` fills an empty database with a province-sized agency (about 50 units,
//! 10,000 staff, 30 competencies, one closed campaign where everyone rated
//! themselves, their line manager rated them and one peer did: about 900,000
//! ratings) and computes the results. `bench-gaps` times the unit heatmap and the
//! organisation priorities on whatever database it is given, the demo included.

use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait,
    QueryFilter, Set, TransactionTrait,
};
use uuid::Uuid;

use app::auth::guard::{Placement, SessionUser};
use app::auth::{CurrentUser, Role, password};
use app::entities::{
    campaign, campaign_audience, competency, competency_result, framework, framework_domain,
    org_unit, person, person_role, position, position_target, rating, survey_task,
};
use app::gaps::ViewQuery;
use app::state::AppState;
use app::surveys::opening::plan_tasks;
use app::surveys::{AudienceKind, CampaignState, PeerMode, RaterType, TaskStatus};

use crate::Error;
use crate::synth::{Synth, insert_chunked};

/// Bound parameters allow thousands of rows per statement; much larger statements
/// only cost memory.
const ROWS_PER_STATEMENT: usize = 5_000;
/// Ratings are generated and written in slices of about this many, not all at once.
const RATINGS_PER_FLUSH: usize = 50_000;

/// Regional centres under the provincial bureau, each with the sections of the demo office.
const REGIONS: usize = 7;
const SECTIONS: [(&str, &str, &str); 6] = [
    ("HALL", "服务大厅", "FRONT_DESK"),
    ("CONTRIB", "征缴科", "CONTRIB_OFFICER"),
    ("BENEFITS", "待遇审核科", "BENEFITS_REVIEWER"),
    ("AUDIT", "稽核科", "AUDITOR"),
    ("INFO", "信息档案科", "IT_OFFICER"),
    ("ADMIN", "办公室", "CLERK"),
];
const POSITIONS: [(&str, &str); 8] = [
    ("DIRECTOR", "主任"),
    ("SECTION_CHIEF", "科长"),
    ("FRONT_DESK", "窗口经办员"),
    ("CONTRIB_OFFICER", "征缴专员"),
    ("BENEFITS_REVIEWER", "待遇审核员"),
    ("AUDITOR", "稽核员"),
    ("IT_OFFICER", "信息管理员"),
    ("CLERK", "综合文员"),
];
const UNITS: usize = 1 + REGIONS * (1 + SECTIONS.len());

pub struct DataOptions {
    pub people: usize,
    pub competencies: usize,
    pub seed: u64,
}

/// Prints how long a phase took, from `since`.
fn done(what: &str, since: Instant) {
    println!("  {what:<44} {:>8.1} s", since.elapsed().as_secs_f64());
}

fn at(y: i32, m: u32, d: u32) -> Result<DateTime<Utc>, Error> {
    Utc.with_ymd_and_hms(y, m, d, 1, 0, 0)
        .single()
        .ok_or_else(|| Error::Refused("bench date does not exist".into()))
}

struct Unit {
    id: Uuid,
    /// The section kind (index into [`SECTIONS`]) or `None` for the bureau and centres.
    section: Option<usize>,
    head: Uuid,
}

pub async fn bench_data(state: &AppState, opts: &DataOptions) -> Result<(), Error> {
    if opts.people < 2 * UNITS {
        return Err(Error::Refused(format!(
            "--people must be at least {} (two per unit)",
            2 * UNITS
        )));
    }
    if !(1..=200).contains(&opts.competencies) {
        return Err(Error::Refused("--competencies must be 1..=200".into()));
    }
    let db = &state.db;
    if person::Entity::find().count(db).await? > 0 {
        return Err(Error::Refused(
            "the database already has people; bench-data needs an empty one".into(),
        ));
    }
    let started = Instant::now();
    let mut synth = Synth::new(opts.seed);
    let created = at(2026, 2, 1)?;
    println!(
        "Filling {} with {} people, {} units, {} competencies",
        db.get_database_backend().as_str(),
        opts.people,
        UNITS,
        opts.competencies
    );

    // The organisation: bureau → regional centres → sections, a head in each unit.
    let t = Instant::now();
    let hash = state
        .hash_blocking(|| password::hash(crate::seed::DEMO_PASSWORD))
        .await??;
    let txn = db.begin().await?;
    let mut position_ids = HashMap::new();
    let mut rows = Vec::new();
    for (code, name) in POSITIONS {
        let id = synth.uuid();
        position_ids.insert(code, id);
        rows.push(position::ActiveModel {
            id: Set(id),
            code: Set(code.into()),
            name: Set(name.into()),
            active: Set(true),
            hours_required: Set(None),
            created_at: Set(created),
        });
    }
    insert_chunked(&txn, rows, ROWS_PER_STATEMENT).await?;
    let pos = |code: &str| position_ids.get(code).copied();

    let mut units: Vec<Unit> = Vec::with_capacity(UNITS);
    let mut unit_rows = Vec::with_capacity(UNITS);
    let mut people: Vec<person::Model> = Vec::with_capacity(opts.people);
    let mut roles = Vec::new();
    let mut serial = 0usize;
    let mut new_person =
        |synth: &mut Synth, unit: Uuid, position: Option<Uuid>, manager: Option<Uuid>| {
            serial += 1;
            let name = crate::seed::demo_name(serial);
            person::Model {
                id: synth.uuid(),
                employee_no: format!("B{serial:06}"),
                name_key: app::common::name_key::name_key(&name),
                name,
                email: None,
                password_hash: None,
                unit_id: Some(unit),
                position_id: position,
                manager_id: manager,
                locale: None,
                active: true,
                failed_logins: 0,
                locked_until: None,
                must_change_password: false,
                created_at: created,
                updated_at: created,
            }
        };
    let mut add_unit = |synth: &mut Synth, code: String, name: String, parent: Option<Uuid>| {
        let id = synth.uuid();
        unit_rows.push(org_unit::ActiveModel {
            id: Set(id),
            code: Set(code),
            name: Set(name),
            parent_id: Set(parent),
            active: Set(true),
            created_at: Set(created),
        });
        id
    };
    let bureau = add_unit(
        &mut synth,
        "PROV".into(),
        "省社会保险事业管理局".into(),
        None,
    );
    // The bureau's head is the administrator who runs the benchmark views.
    let mut admin = new_person(&mut synth, bureau, pos("DIRECTOR"), None);
    admin.employee_no = "A0001".into();
    admin.password_hash = Some(hash);
    units.push(Unit {
        id: bureau,
        section: None,
        head: admin.id,
    });
    roles.extend([Role::Staff, Role::Manager, Role::Admin].map(|r| (admin.id, r)));
    people.push(admin.clone());
    for r in 1..=REGIONS {
        let centre = add_unit(
            &mut synth,
            format!("R{r}"),
            format!("第{r}市社会保险事业管理中心"),
            Some(bureau),
        );
        let head = new_person(&mut synth, centre, pos("DIRECTOR"), Some(admin.id));
        units.push(Unit {
            id: centre,
            section: None,
            head: head.id,
        });
        roles.extend([(head.id, Role::Staff), (head.id, Role::Manager)]);
        people.push(head.clone());
        for (s, (code, name, _)) in SECTIONS.iter().enumerate() {
            let id = add_unit(
                &mut synth,
                format!("R{r}-{code}"),
                format!("第{r}市{name}"),
                Some(centre),
            );
            let chief = new_person(&mut synth, id, pos("SECTION_CHIEF"), Some(head.id));
            units.push(Unit {
                id,
                section: Some(s),
                head: chief.id,
            });
            roles.extend([(chief.id, Role::Staff), (chief.id, Role::Manager)]);
            people.push(chief);
        }
    }
    // Staff spread evenly over the sections.
    let sections: Vec<&Unit> = units.iter().filter(|u| u.section.is_some()).collect();
    for k in 0..opts.people.saturating_sub(people.len()) {
        let Some(unit) = sections.get(k % sections.len()) else {
            break;
        };
        let position = unit
            .section
            .and_then(|s| SECTIONS.get(s))
            .and_then(|s| pos(s.2));
        let p = new_person(&mut synth, unit.id, position, Some(unit.head));
        roles.push((p.id, Role::Staff));
        people.push(p);
    }
    insert_chunked(&txn, unit_rows, ROWS_PER_STATEMENT).await?;
    insert_chunked(
        &txn,
        people
            .iter()
            .cloned()
            .map(person::ActiveModel::from)
            .map(set_all)
            .collect(),
        ROWS_PER_STATEMENT,
    )
    .await?;
    insert_chunked(
        &txn,
        roles
            .iter()
            .map(|(id, role)| person_role::ActiveModel {
                person_id: Set(*id),
                role: Set(*role),
            })
            .collect(),
        ROWS_PER_STATEMENT,
    )
    .await?;
    txn.commit().await?;
    done(
        &format!("{} units, {} people", units.len(), people.len()),
        t,
    );

    // The framework and what each position requires.
    let t = Instant::now();
    let txn = db.begin().await?;
    let framework_id = synth.uuid();
    let family_id = synth.uuid();
    framework::ActiveModel {
        id: Set(framework_id),
        family_id: Set(family_id),
        version: Set(1),
        name: Set("省级经办能力框架（基准测试）".into()),
        description: Set(None),
        archived: Set(false),
        created_by: Set(Some(admin.id)),
        created_at: Set(created),
    }
    .insert(&txn)
    .await?;
    let mut domains = Vec::new();
    let mut competencies = Vec::new();
    let mut competency_ids: Vec<(Uuid, String)> = Vec::new();
    let mut domain_id = Uuid::nil();
    for i in 0..opts.competencies {
        // Five competencies to a domain.
        if i % 5 == 0 {
            domain_id = synth.uuid();
            domains.push(framework_domain::ActiveModel {
                id: Set(domain_id),
                framework_id: Set(framework_id),
                position: Set(i32::try_from(i / 5 + 1).unwrap_or(i32::MAX)),
                name: Set(format!("能力域 {}", i / 5 + 1)),
                archived: Set(false),
            });
        }
        let n = i + 1;
        let id = synth.uuid();
        competency_ids.push((id, format!("C{n:03}")));
        competencies.push(competency::ActiveModel {
            id: Set(id),
            framework_id: Set(framework_id),
            domain_id: Set(domain_id),
            position: Set(i32::try_from(i % 5 + 1).unwrap_or(i32::MAX)),
            code: Set(format!("C{n:03}")),
            name: Set(format!("能力 {n:03}")),
            description: Set(None),
            level_1: Set(format!("能力 {n:03}：入门")),
            level_2: Set(format!("能力 {n:03}：在指导下完成")),
            level_3: Set(format!("能力 {n:03}：独立胜任")),
            level_4: Set(format!("能力 {n:03}：熟练，能处理疑难")),
            level_5: Set(format!("能力 {n:03}：专家，能指导他人")),
            archived: Set(false),
        });
    }
    insert_chunked(&txn, domains, ROWS_PER_STATEMENT).await?;
    insert_chunked(&txn, competencies, ROWS_PER_STATEMENT).await?;
    let mut targets = Vec::new();
    for position_id in POSITIONS.iter().filter_map(|(code, _)| pos(code)) {
        for (_, code) in &competency_ids {
            targets.push(position_target::ActiveModel {
                id: Set(synth.uuid()),
                position_id: Set(position_id),
                family_id: Set(family_id),
                competency_code: Set(code.clone()),
                target_level: Set(i32::try_from(synth.int(2, 5)).unwrap_or(3)),
                importance: Set(i32::try_from(synth.int(1, 3)).unwrap_or(1)),
            });
        }
    }
    let target_count = targets.len();
    insert_chunked(&txn, targets, ROWS_PER_STATEMENT).await?;
    txn.commit().await?;
    done(
        &format!(
            "framework: {} competencies, {target_count} targets",
            competency_ids.len()
        ),
        t,
    );

    // One closed campaign over everyone: self, line manager and one peer, all answered.
    let t = Instant::now();
    let txn = db.begin().await?;
    let opens = at(2026, 3, 2)?;
    let closes = at(2026, 3, 31)?;
    let c = campaign::ActiveModel {
        id: Set(synth.uuid()),
        title: Set("2026年全省经办能力调查（基准测试）".into()),
        framework_id: Set(framework_id),
        state: Set(CampaignState::Closed),
        opens_at: Set(opens),
        closes_at: Set(closes),
        include_self: Set(true),
        include_manager: Set(true),
        peer_mode: Set(PeerMode::Auto),
        peers_per_person: Set(1),
        anonymity_threshold: Set(3),
        instructions: Set(None),
        weight_self: Set(0.2),
        weight_manager: Set(0.5),
        weight_peers: Set(0.3),
        weight_test: Set(0.0),
        discrepancy_threshold: Set(1.5),
        follow_up_of: Set(None),
        owner_id: Set(admin.id),
        created_at: Set(created),
        opened_at: Set(Some(opens)),
        closed_at: Set(Some(closes)),
        peer_seed: Set(Some(Uuid::new_v4())),
    }
    .insert(&txn)
    .await?;
    campaign_audience::ActiveModel {
        id: Set(synth.uuid()),
        campaign_id: Set(c.id),
        kind: Set(AudienceKind::Unit),
        target_id: Set(bureau),
    }
    .insert(&txn)
    .await?;

    // Each unit is planned on its own: peers come from the same unit anyway, and
    // planning 10,000 people against 10,000 candidates at once is quadratic.
    let by_id: HashMap<Uuid, &person::Model> = people.iter().map(|p| (p.id, p)).collect();
    let mut members: HashMap<Uuid, Vec<person::Model>> = HashMap::new();
    for p in &people {
        if let Some(u) = p.unit_id {
            members.entry(u).or_default().push(p.clone());
        }
    }
    // A true level per unit and competency, shifted per person; raters add noise.
    let base: Vec<f64> = (0..competency_ids.len())
        .map(|_| synth.real(2.3, 3.8))
        .collect();
    let mut task_rows = Vec::new();
    let mut rating_rows = Vec::new();
    let (mut task_count, mut rating_count) = (0usize, 0usize);
    for unit in &units {
        let Some(subjects) = members.get_mut(&unit.id) else {
            continue;
        };
        subjects.sort_by(|a, b| a.employee_no.cmp(&b.employee_no));
        let mut everyone = subjects.clone();
        let managers: BTreeSet<Uuid> = subjects.iter().filter_map(|p| p.manager_id).collect();
        everyone.extend(
            managers
                .iter()
                .filter(|m| !subjects.iter().any(|s| s.id == **m))
                .filter_map(|m| by_id.get(m))
                .map(|m| (*m).clone()),
        );
        let unit_shift: Vec<f64> = base.iter().map(|_| synth.normal(0.0, 0.3)).collect();
        let mut truth: HashMap<Uuid, Vec<f64>> = HashMap::new();
        for s in subjects.iter() {
            let own = synth.normal(0.0, 0.35);
            let levels = base
                .iter()
                .zip(&unit_shift)
                .map(|(b, u)| (b + u + own + synth.normal(0.0, 0.4)).clamp(1.0, 5.0))
                .collect();
            truth.insert(s.id, levels);
        }
        for (subject, rater, kind) in plan_tasks(&c, subjects, &everyone) {
            let task_id = synth.uuid();
            let answered = opens + chrono::Duration::minutes(synth.int(60, 28 * 24 * 60));
            task_rows.push(survey_task::ActiveModel {
                id: Set(task_id),
                campaign_id: Set(c.id),
                subject_id: Set(subject),
                rater_id: Set(rater),
                rater_type: Set(kind),
                status: Set(TaskStatus::Submitted),
                updated_at: Set(answered),
                submitted_at: Set(Some(answered)),
            });
            let shift = match kind {
                RaterType::SelfRating => 0.35,
                RaterType::Manager => 0.0,
                RaterType::Peer => 0.05,
            };
            let Some(levels) = truth.get(&subject) else {
                continue;
            };
            for ((competency_id, _), level) in competency_ids.iter().zip(levels) {
                rating_rows.push(rating::ActiveModel {
                    id: Set(synth.uuid()),
                    task_id: Set(task_id),
                    competency_id: Set(*competency_id),
                    level: Set(synth.level(level + shift, 0.5)),
                });
            }
            if rating_rows.len() >= RATINGS_PER_FLUSH {
                task_count += flush(&txn, &mut task_rows).await?;
                rating_count += flush(&txn, &mut rating_rows).await?;
                println!(
                    "    {rating_count:>9} ratings  {:>6.1} s",
                    t.elapsed().as_secs_f64()
                );
            }
        }
    }
    task_count += flush(&txn, &mut task_rows).await?;
    rating_count += flush(&txn, &mut rating_rows).await?;
    txn.commit().await?;
    done(
        &format!("campaign: {task_count} tasks, {rating_count} ratings"),
        t,
    );

    let t = Instant::now();
    let txn = db.begin().await?;
    let results = app::gaps::service::recompute(&txn, &c, None).await?;
    txn.commit().await?;
    done(&format!("recompute: {results} competency results"), t);

    if db.get_database_backend() == DbBackend::Postgres {
        // A production Postgres has autovacuum's statistics by the time anyone looks;
        // a table loaded a second ago has none, and the planner guesses. SQLite in
        // production never gathers statistics, so it is left as it is.
        let t = Instant::now();
        db.execute_unprepared("ANALYZE").await?;
        done("analyze", t);
    }
    println!(
        "Done in {:.1} s. Sign in as A0001 (password {}) to see it.",
        started.elapsed().as_secs_f64(),
        crate::seed::DEMO_PASSWORD
    );
    Ok(())
}

/// `From<Model>` marks every field unchanged; an insert wants them set.
fn set_all(p: person::ActiveModel) -> person::ActiveModel {
    p.reset_all()
}

async fn flush<A: ActiveModelTrait>(
    db: &impl ConnectionTrait,
    rows: &mut Vec<A>,
) -> Result<usize, Error> {
    let n = rows.len();
    insert_chunked(db, std::mem::take(rows), ROWS_PER_STATEMENT).await?;
    Ok(n)
}

/// An administrator of the database, as the views see a signed-in user.
pub(crate) async fn admin_user(db: &impl ConnectionTrait) -> Result<SessionUser, Error> {
    let admin_ids: Vec<Uuid> = person_role::Entity::find()
        .filter(person_role::Column::Role.eq(Role::Admin))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.person_id)
        .collect();
    let p = person::Entity::find()
        .filter(person::Column::Id.is_in(admin_ids))
        .filter(person::Column::Active.eq(true))
        .one(db)
        .await?
        .ok_or_else(|| Error::Refused("no active administrator in the database".into()))?;
    Ok(SessionUser {
        session_id: Uuid::nil(),
        user: CurrentUser {
            unread: 0,
            id: p.id,
            employee_no: p.employee_no,
            name: p.name,
            roles: vec![Role::Staff, Role::Admin],
            unit_id: p.unit_id,
            locale: None,
        },
        placement: Placement::default(),
        must_change_password: false,
    })
}

/// The unit to filter on: the one asked for by code, else the sub-unit with the
/// largest subtree (most staff on a tie), which is the heaviest narrowed view.
pub(crate) async fn filter_unit(
    db: &impl ConnectionTrait,
    code: Option<&str>,
) -> Result<(org_unit::Model, usize), Error> {
    let units = org_unit::Entity::find().all(db).await?;
    let pairs: Vec<(Uuid, Option<Uuid>)> = units.iter().map(|u| (u.id, u.parent_id)).collect();
    let size = |u: &org_unit::Model| app::org::tree::subtree(&pairs, u.id).len();
    if let Some(code) = code {
        return units
            .iter()
            .find(|u| u.code == code)
            .map(|u| (u.clone(), size(u)))
            .ok_or_else(|| Error::Refused(format!("no unit with code {code}")));
    }
    let mut staff: HashMap<Uuid, u64> = HashMap::new();
    for p in person::Entity::find().all(db).await? {
        if let Some(u) = p.unit_id {
            *staff.entry(u).or_default() += 1;
        }
    }
    units
        .iter()
        .filter(|u| u.parent_id.is_some())
        .max_by_key(|u| {
            (
                size(u),
                staff.get(&u.id).copied().unwrap_or(0),
                std::cmp::Reverse(u.code.clone()),
            )
        })
        .map(|u| (u.clone(), size(u)))
        .ok_or_else(|| Error::Refused("no sub-unit to filter on".into()))
}

pub(crate) struct Timing {
    min: Duration,
    median: Duration,
    max: Duration,
}

impl Timing {
    /// The spread of some timed runs.
    pub(crate) fn of(mut times: Vec<Duration>) -> Self {
        times.sort();
        let pick = |i: usize| times.get(i).copied().unwrap_or_default();
        Timing {
            min: pick(0),
            median: pick(times.len() / 2),
            max: pick(times.len().saturating_sub(1)),
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Runs `f` once to warm caches, then `runs` times, timing each.
pub(crate) async fn time<T, F, Fut>(runs: usize, mut f: F) -> Result<(Timing, T), Error>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, app::error::AppError>>,
{
    let mut last = f().await?;
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        last = f().await?;
        times.push(t.elapsed());
    }
    Ok((Timing::of(times), last))
}

pub(crate) fn report(view: &str, scope: &str, t: &Timing, shape: &str) {
    println!(
        "  {view:<11} {scope:<34} min {:>8.1}  median {:>8.1}  max {:>8.1} ms   {shape}",
        ms(t.min),
        ms(t.median),
        ms(t.max)
    );
}

pub async fn bench_gaps(state: &AppState, runs: usize, unit: Option<&str>) -> Result<(), Error> {
    let db = &state.db;
    let me = admin_user(db).await?;
    let (unit, unit_size) = filter_unit(db, unit).await?;
    let results = competency_result::Entity::find().count(db).await?;
    let ratings = rating::Entity::find().count(db).await?;
    println!(
        "{}: {} ratings, {} competency results; signed in as {} ({}); {runs} runs after 1 warm-up",
        db.get_database_backend().as_str(),
        ratings,
        results,
        me.employee_no,
        me.name
    );
    let whole = ViewQuery::default();
    let narrowed = ViewQuery {
        unit: Some(unit.id),
        ..ViewQuery::default()
    };
    let plural = if unit_size == 1 { "" } else { "s" };
    let unit_label = format!("unit {} ({unit_size} unit{plural})", unit.code);
    for (scope, q) in [
        ("whole organisation", &whole),
        (unit_label.as_str(), &narrowed),
    ] {
        let (t, heat) = time(runs, || app::gaps::service::heatmap(state, &me, q)).await?;
        let cells: u64 = heat
            .rows
            .iter()
            .flat_map(|r| r.cells.iter())
            .map(|c| c.n)
            .sum();
        report(
            "heatmap",
            scope,
            &t,
            &format!(
                "{} units × {} competencies, {cells} results",
                heat.rows.len(),
                heat.competencies.len()
            ),
        );
        let (t, prio) = time(runs, || app::gaps::service::priorities(state, &me, q)).await?;
        let n: u64 = prio.rows.iter().map(|r| r.n).sum();
        report(
            "priorities",
            scope,
            &t,
            &format!("{} competencies, {n} results", prio.rows.len()),
        );
    }
    println!("  (target: under 500 ms for 10,000 staff × 30 competencies in a release build)");
    Ok(())
}
