//! Computing and reading competency results.
//!
//! Results are stored per campaign, person and competency when ratings are submitted
//! (with the person's unit, position and target at that moment), so the unit views
//! are one grouped query over one table however many ratings lie behind them.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use sea_orm::prelude::Expr;
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use super::calc::{self, Rules, Sources, Weights};
use super::tally;
use super::{
    CampaignOption, Filters, HeatCell, HeatRow, Heatmap, PersonGapRow, PersonGaps, Priorities,
    PriorityRow, Provenance, TestSource, ViewQuery,
};
use crate::auth::guard::SessionUser;
use crate::domain::Vocabulary;
use crate::domain::{CampaignState, RaterType, TaskStatus};
use crate::entities::{
    campaign, competency, competency_result, framework, framework_domain, gap_tally, org_unit,
    person, position, position_target, quiz, rating, survey_task,
};
use crate::error::AppError;
use crate::org::tree;
use crate::org::visibility::{Scope, sees_everyone};
use crate::quiz::evidence::TestEvidence;
use crate::state::AppState;

pub fn rules_of(c: &campaign::Model) -> Rules {
    Rules {
        weights: Weights {
            self_: c.weight_self,
            manager: c.weight_manager,
            peers: c.weight_peers,
            test: c.weight_test,
        },
        anonymity_threshold: u32::try_from(c.anonymity_threshold).unwrap_or(3),
        discrepancy_threshold: c.discrepancy_threshold,
    }
}

/// Targets of a framework family: (position, competency code) → (level, importance).
async fn targets(
    db: &impl ConnectionTrait,
    family_id: Uuid,
) -> Result<HashMap<(Uuid, String), (u8, u8)>, AppError> {
    Ok(position_target::Entity::find()
        .filter(position_target::Column::FamilyId.eq(family_id))
        .all(db)
        .await?
        .into_iter()
        .map(|t| {
            (
                (t.position_id, t.competency_code),
                (
                    u8::try_from(t.target_level).unwrap_or(0),
                    u8::try_from(t.importance).unwrap_or(1),
                ),
            )
        })
        .collect())
}

/// Running sums per source for one person and competency.
#[derive(Default)]
struct Tally {
    self_sum: f64,
    self_n: u32,
    manager_sum: f64,
    manager_n: u32,
    peer_sum: f64,
    peer_n: u32,
    test: Option<TestEvidence>,
}

impl Tally {
    fn add(&mut self, rater: RaterType, level: f64) {
        match rater {
            RaterType::SelfRating => {
                self.self_sum += level;
                self.self_n += 1;
            }
            RaterType::Manager => {
                self.manager_sum += level;
                self.manager_n += 1;
            }
            RaterType::Peer => {
                self.peer_sum += level;
                self.peer_n += 1;
            }
        }
    }

    fn sources(&self) -> Sources {
        let mean = |s: f64, n: u32| (n > 0).then(|| s / f64::from(n));
        Sources {
            self_level: mean(self.self_sum, self.self_n),
            manager_level: mean(self.manager_sum, self.manager_n),
            manager_count: self.manager_n,
            peer_mean: mean(self.peer_sum, self.peer_n),
            peer_count: self.peer_n,
            test_level: self.test.map(|t| calc::test_level(t.share)),
        }
    }
}

/// Builds result rows for the given people from their tallies.
fn result_rows(
    c: &campaign::Model,
    tallies: HashMap<(Uuid, Uuid), Tally>,
    people: &HashMap<Uuid, (Option<Uuid>, Option<Uuid>)>,
    codes: &HashMap<Uuid, String>,
    targets: &HashMap<(Uuid, String), (u8, u8)>,
) -> Vec<competency_result::Model> {
    let rules = rules_of(c);
    let now = Utc::now();
    tallies
        .into_iter()
        .filter_map(|((person_id, competency_id), tally)| {
            let combined = calc::combine(&tally.sources(), &rules)?;
            let (unit_id, position_id) = people.get(&person_id).copied().unwrap_or((None, None));
            let code = codes.get(&competency_id)?;
            let target = position_id.and_then(|p| targets.get(&(p, code.clone())).copied());
            let test = tally.test.filter(|_| combined.test_level.is_some());
            let (gap, weighted, importance) = match target {
                Some((level, importance)) => (
                    calc::gap(level, combined.current),
                    calc::weighted_gap(level, importance, combined.current),
                    importance,
                ),
                None => (0.0, 0.0, 1),
            };
            Some(competency_result::Model {
                campaign_id: c.id,
                person_id,
                competency_id,
                unit_id,
                position_id,
                current: combined.current,
                self_level: combined.self_level,
                manager_level: combined.manager_level,
                peer_level: combined.peer_level,
                peer_count: i32::try_from(combined.peer_count).unwrap_or(0),
                rater_count: i32::try_from(combined.rater_count).unwrap_or(0),
                target_level: target.map(|(l, _)| i32::from(l)),
                importance: i32::from(importance),
                gap,
                weighted_gap: weighted,
                discrepancy: combined.discrepancy,
                test_level: combined.test_level,
                test_share: test.map(|t| t.share),
                test_questions: test.and_then(|t| i32::try_from(t.questions).ok()),
                test_quiz_id: test.map(|t| t.quiz_id),
                test_quiz_version: test.map(|t| t.quiz_version),
                test_taken_at: test.map(|t| t.taken_at),
                computed_at: now,
            })
        })
        .collect()
}

async fn family_of(db: &impl ConnectionTrait, framework_id: Uuid) -> Result<Uuid, AppError> {
    Ok(framework::Entity::find_by_id(framework_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?
        .family_id)
}

async fn codes_of(
    db: &impl ConnectionTrait,
    framework_id: Uuid,
) -> Result<HashMap<Uuid, String>, AppError> {
    Ok(competency::Entity::find()
        .filter(competency::Column::FrameworkId.eq(framework_id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.code))
        .collect())
}

/// Recomputes the results of `subjects` (all of the campaign's if `None`) from their
/// submitted ratings. Call inside the transaction that changed the ratings.
///
/// Peer ratings count only once the campaign is closed: a figure that moved while
/// it was open would let anyone who watched it before and after one colleague's
/// submission work out that colleague's rating. Closing recomputes everything.
pub async fn recompute(
    db: &impl ConnectionTrait,
    c: &campaign::Model,
    subjects: Option<&[Uuid]>,
) -> Result<usize, AppError> {
    let started = std::time::Instant::now();
    // One query, ratings with their task's subject and rater type: the ratings of a
    // 10,000-person survey are near a million rows, and asking for them by task id
    // took sixty round trips of 500-id lists.
    let of_task = rating::Entity::belongs_to(survey_task::Entity)
        .from(rating::Column::TaskId)
        .to(survey_task::Column::Id)
        .into();
    let mut ratings = rating::Entity::find()
        .select_only()
        .column(survey_task::Column::SubjectId)
        .column(survey_task::Column::RaterType)
        .column(rating::Column::CompetencyId)
        .column(rating::Column::Level)
        .join(JoinType::InnerJoin, of_task)
        .filter(survey_task::Column::CampaignId.eq(c.id))
        .filter(survey_task::Column::Status.eq(TaskStatus::Submitted));
    if c.state != CampaignState::Closed {
        ratings = ratings.filter(survey_task::Column::RaterType.ne(RaterType::Peer));
    }
    let mut delete = competency_result::Entity::delete_many()
        .filter(competency_result::Column::CampaignId.eq(c.id));
    if let Some(ids) = subjects {
        ratings = ratings.filter(survey_task::Column::SubjectId.is_in(ids.to_vec()));
        delete = delete.filter(competency_result::Column::PersonId.is_in(ids.to_vec()));
    }
    let ratings: Vec<(Uuid, RaterType, Uuid, i32)> = ratings.into_tuple().all(db).await?;
    let mut tallies: HashMap<(Uuid, Uuid), Tally> = HashMap::new();
    for (subject, rater, competency_id, level) in ratings {
        tallies
            .entry((subject, competency_id))
            .or_default()
            .add(rater, f64::from(level));
    }
    if c.weight_test > 0.0 {
        add_tests(db, c, subjects, &mut tallies).await?;
    }
    let read_ratings = started.elapsed();
    let subject_ids: HashSet<Uuid> = tallies.keys().map(|(p, _)| *p).collect();
    let mut people = HashMap::new();
    for chunk in subject_ids.into_iter().collect::<Vec<_>>().chunks(500) {
        let found: Vec<(Uuid, Option<Uuid>, Option<Uuid>)> = person::Entity::find()
            .select_only()
            .columns([
                person::Column::Id,
                person::Column::UnitId,
                person::Column::PositionId,
            ])
            .filter(person::Column::Id.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await?;
        for (id, unit, position) in found {
            people.insert(id, (unit, position));
        }
    }
    let codes = codes_of(db, c.framework_id).await?;
    let targets = targets(db, family_of(db, c.framework_id).await?).await?;
    let mut rows = result_rows(c, tallies, &people, &codes, &targets);
    // In key order: each insert lands beside the last in the primary key's B-tree
    // instead of on a random page (1.8 s against 3.0 s for 300,000 rows in SQLite's
    // shell).
    rows.sort_unstable_by_key(|r| (r.person_id, r.competency_id));
    let n = rows.len();
    let computed = started.elapsed();
    match subjects {
        None => {
            delete.exec(db).await?;
            insert(db, &rows).await?;
            tally::rebuild(db, c.id, &rows).await?;
        }
        Some(ids) => {
            let old = competency_result::Entity::find()
                .filter(competency_result::Column::CampaignId.eq(c.id))
                .filter(competency_result::Column::PersonId.is_in(ids.to_vec()))
                .all(db)
                .await?;
            delete.exec(db).await?;
            insert(db, &rows).await?;
            tally::shift(db, c.id, &old, &rows).await?;
        }
    }
    // How long each step took, for `bench-proposals` with RUST_LOG=debug.
    tracing::debug!(
        results = n,
        read_ms = read_ratings.as_millis(),
        compute_ms = (computed - read_ratings).as_millis(),
        write_ms = (started.elapsed() - computed).as_millis(),
        "gap results recomputed"
    );
    Ok(n)
}

/// Adds the campaign's subjects' quiz results to their tallies. A closed
/// campaign counts the attempts submitted before it closed, so its results do
/// not move afterwards.
async fn add_tests(
    db: &impl ConnectionTrait,
    c: &campaign::Model,
    subjects: Option<&[Uuid]>,
    tallies: &mut HashMap<(Uuid, Uuid), Tally>,
) -> Result<(), AppError> {
    let mut audience = survey_task::Entity::find()
        .select_only()
        .column(survey_task::Column::SubjectId)
        .filter(survey_task::Column::CampaignId.eq(c.id))
        .distinct();
    if let Some(ids) = subjects {
        audience = audience.filter(survey_task::Column::SubjectId.is_in(ids.to_vec()));
    }
    let people: Vec<Uuid> = audience.into_tuple().all(db).await?;
    let ids_by_code: HashMap<String, Uuid> = codes_of(db, c.framework_id)
        .await?
        .into_iter()
        .map(|(id, code)| (code, id))
        .collect();
    let codes: HashSet<String> = ids_by_code.keys().cloned().collect();
    let until = (c.state == CampaignState::Closed)
        .then_some(c.closed_at)
        .flatten();
    for ((person_id, code), evidence) in
        crate::quiz::evidence::of_people(db, &people, &codes, until).await?
    {
        if let Some(competency_id) = ids_by_code.get(&code) {
            tallies.entry((person_id, *competency_id)).or_default().test = Some(evidence);
        }
    }
    Ok(())
}

async fn insert(
    db: &impl ConnectionTrait,
    rows: &[competency_result::Model],
) -> Result<(), AppError> {
    let rows = rows
        .iter()
        .map(|r| competency_result::ActiveModel::from(r.clone()).reset_all())
        .collect();
    crate::common::bulk::insert_chunked(db, rows, 1_000).await?;
    Ok(())
}

pub async fn recompute_subject(
    db: &impl ConnectionTrait,
    c: &campaign::Model,
    subject: Uuid,
) -> Result<(), AppError> {
    recompute(db, c, Some(&[subject])).await.map(|_| ())
}

/// Brings stored targets and gaps up to date after a target profile changed.
pub async fn apply_targets(
    db: &impl ConnectionTrait,
    family_id: Uuid,
    positions: &[Uuid],
) -> Result<(), AppError> {
    if positions.is_empty() {
        return Ok(());
    }
    let frameworks: Vec<Uuid> = framework::Entity::find()
        .filter(framework::Column::FamilyId.eq(family_id))
        .all(db)
        .await?
        .into_iter()
        .map(|f| f.id)
        .collect();
    let campaigns: Vec<Uuid> = campaign::Entity::find()
        .filter(campaign::Column::FrameworkId.is_in(frameworks.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    if campaigns.is_empty() {
        return Ok(());
    }
    let codes: HashMap<Uuid, String> = competency::Entity::find()
        .filter(competency::Column::FrameworkId.is_in(frameworks))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.code))
        .collect();
    let targets = targets(db, family_id).await?;
    let rows = competency_result::Entity::find()
        .filter(competency_result::Column::CampaignId.is_in(campaigns.clone()))
        .filter(competency_result::Column::PositionId.is_in(positions.to_vec()))
        .all(db)
        .await?;
    for r in rows {
        let target = r
            .position_id
            .zip(codes.get(&r.competency_id))
            .and_then(|(p, code)| targets.get(&(p, code.clone())).copied());
        let (gap, weighted, importance) = match target {
            Some((l, w)) => (
                calc::gap(l, r.current),
                calc::weighted_gap(l, w, r.current),
                w,
            ),
            None => (0.0, 0.0, 1),
        };
        let mut am: competency_result::ActiveModel = r.into();
        am.target_level = Set(target.map(|(l, _)| i32::from(l)));
        am.importance = Set(i32::from(importance));
        am.gap = Set(gap);
        am.weighted_gap = Set(weighted);
        am.update(db).await?;
    }
    for c in campaigns {
        tally::refresh(db, c).await?;
    }
    Ok(())
}

// ---------------------------------------------------------------- reading

/// Campaigns that have results to show (opened or closed), newest first.
pub(super) async fn result_campaigns(
    db: &impl ConnectionTrait,
) -> Result<Vec<campaign::Model>, AppError> {
    Ok(campaign::Entity::find()
        .filter(campaign::Column::State.ne(CampaignState::Draft))
        .order_by_desc(campaign::Column::OpensAt)
        .all(db)
        .await?)
}

fn campaign_option(state: &AppState, c: &campaign::Model) -> CampaignOption {
    CampaignOption {
        id: c.id,
        title: c.title.clone(),
        date: result_date(state, c),
    }
}

fn result_date(state: &AppState, c: &campaign::Model) -> String {
    let at = c
        .closed_at
        .unwrap_or(std::cmp::min(c.closes_at, Utc::now()));
    crate::common::clock::local(state.settings.timezone, at, "%Y-%m-%d")
}

/// The chosen campaign, or by default the newest closed one (else the newest open).
pub(super) fn pick(
    campaigns: &[campaign::Model],
    wanted: Option<Uuid>,
) -> Option<&campaign::Model> {
    match wanted {
        Some(id) => campaigns.iter().find(|c| c.id == id),
        None => campaigns
            .iter()
            .find(|c| c.state == CampaignState::Closed)
            .or_else(|| campaigns.first()),
    }
}

pub(super) async fn provenance(
    db: &impl ConnectionTrait,
    state: &AppState,
    c: &campaign::Model,
) -> Result<Provenance, AppError> {
    let f = framework::Entity::find_by_id(c.framework_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Provenance {
        campaign_id: c.id,
        campaign: c.title.clone(),
        date: result_date(state, c),
        closed: c.state == CampaignState::Closed,
        framework: f.name,
        framework_version: f.version,
        anonymity_threshold: c.anonymity_threshold,
    })
}

/// Competencies of a framework version in display order: (id, code, name, domain).
pub(super) async fn ordered_competencies(
    db: &impl ConnectionTrait,
    framework_id: Uuid,
) -> Result<Vec<(Uuid, String, String, String)>, AppError> {
    let domains: HashMap<Uuid, (i32, String)> = framework_domain::Entity::find()
        .filter(framework_domain::Column::FrameworkId.eq(framework_id))
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, (d.position, d.name)))
        .collect();
    let mut list: Vec<(i32, i32, Uuid, String, String, String)> = competency::Entity::find()
        .filter(competency::Column::FrameworkId.eq(framework_id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| {
            let (dpos, dname) = domains.get(&c.domain_id).cloned().unwrap_or_default();
            (dpos, c.position, c.id, c.code, c.name, dname)
        })
        .collect();
    list.sort_by_key(|x| (x.0, x.1));
    Ok(list
        .into_iter()
        .map(|(_, _, id, code, name, domain)| (id, code, name, domain))
        .collect())
}

pub async fn person_gaps(
    state: &AppState,
    me: &SessionUser,
    person_id: Uuid,
    wanted: Option<Uuid>,
) -> Result<PersonGaps, AppError> {
    let db = &state.db;
    let p = person::Entity::find_by_id(person_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if !Scope::load(db, me).await?.sees_person(&p) {
        return Err(AppError::Forbidden);
    }
    let unit = match p.unit_id {
        Some(u) => org_unit::Entity::find_by_id(u)
            .one(db)
            .await?
            .map(|u| u.name),
        None => None,
    };
    let position = match p.position_id {
        Some(id) => position::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|p| p.name),
        None => None,
    };
    // Only campaigns with results for this person are offered. Naming the campaigns
    // lets the result key (campaign, person, …) find them.
    let campaigns = result_campaigns(db).await?;
    let with_results: HashSet<Uuid> = competency_result::Entity::find()
        .select_only()
        .column(competency_result::Column::CampaignId)
        .filter(competency_result::Column::CampaignId.is_in(campaigns.iter().map(|c| c.id)))
        .filter(competency_result::Column::PersonId.eq(p.id))
        .distinct()
        .into_tuple::<Uuid>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let campaigns: Vec<campaign::Model> = campaigns
        .into_iter()
        .filter(|c| with_results.contains(&c.id))
        .collect();
    let chosen = pick(&campaigns, wanted).cloned();
    let mut rows = Vec::new();
    let mut prov = None;
    if let Some(c) = &chosen {
        prov = Some(provenance(db, state, c).await?);
        let results: HashMap<Uuid, competency_result::Model> = competency_result::Entity::find()
            .filter(competency_result::Column::CampaignId.eq(c.id))
            .filter(competency_result::Column::PersonId.eq(p.id))
            .all(db)
            .await?
            .into_iter()
            .map(|r| (r.competency_id, r))
            .collect();
        let rules = rules_of(c);
        let quiz_titles: HashMap<Uuid, String> = quiz::Entity::find()
            .filter(quiz::Column::Id.is_in(results.values().filter_map(|r| r.test_quiz_id)))
            .all(db)
            .await?
            .into_iter()
            .map(|q| (q.id, q.title))
            .collect();
        let mut newer = crate::evaluation::behaviour::evidence::newest(
            db,
            state.settings.timezone,
            p.id,
            c.closes_at,
            c.discrepancy_threshold,
        )
        .await?;
        for (id, code, name, domain) in ordered_competencies(db, c.framework_id).await? {
            let Some(r) = results.get(&id) else {
                continue;
            };
            let newer = newer.remove(&code);
            let w = rules.weights;
            let others = [(r.manager_level, w.manager), (r.peer_level, w.peers)]
                .iter()
                .filter_map(|(l, wt)| l.map(|l| (l * wt, *wt)))
                .fold((0.0, 0.0), |(s, t), (lw, wt)| (s + lw, t + wt));
            let mut sources = Vec::new();
            if r.manager_level.is_some() {
                sources.push(RaterType::Manager.as_str().to_owned());
            }
            if r.self_level.is_some() {
                sources.push(RaterType::SelfRating.as_str().to_owned());
            }
            if r.peer_level.is_some() {
                sources.push(RaterType::Peer.as_str().to_owned());
            }
            let test = test_source(state, r, &quiz_titles);
            if test.is_some() {
                sources.push("test".to_owned());
            }
            rows.push(PersonGapRow {
                code,
                competency: name,
                domain,
                current: calc::round2(r.current),
                target: r.target_level.and_then(|t| u8::try_from(t).ok()),
                importance: u8::try_from(r.importance).unwrap_or(1),
                gap: calc::round2(r.gap),
                weighted_gap: calc::round2(r.weighted_gap),
                self_level: r.self_level,
                others_level: (others.1 > 0.0).then(|| calc::round2(others.0 / others.1)),
                sources,
                raters: r.rater_count,
                peers: r.peer_count,
                discrepancy: r.discrepancy,
                test,
                newer,
            });
        }
    }
    Ok(PersonGaps {
        person_id: p.id,
        name: p.name,
        employee_no: p.employee_no,
        unit: unit.unwrap_or_default(),
        position: position.unwrap_or_default(),
        provenance: prov,
        campaigns: campaigns
            .iter()
            .map(|c| campaign_option(state, c))
            .collect(),
        rows,
    })
}

fn test_source(
    state: &AppState,
    r: &competency_result::Model,
    quiz_titles: &HashMap<Uuid, String>,
) -> Option<TestSource> {
    let quiz_id = r.test_quiz_id?;
    Some(TestSource {
        level: calc::round2(r.test_level?),
        percent: (r.test_share? * 1000.0).round() / 10.0,
        questions: r.test_questions.unwrap_or(0),
        quiz: quiz_titles.get(&quiz_id).cloned().unwrap_or_default(),
        quiz_version: r.test_quiz_version.unwrap_or(1),
        date: r.test_taken_at.map_or_else(String::new, |t| {
            crate::common::clock::local(state.settings.timezone, t, "%Y-%m-%d")
        }),
    })
}

/// Filter choices, and the units the view covers (the caller's scope, narrowed by
/// the unit filter to its subtree).
pub(super) async fn filters_and_units(
    state: &AppState,
    me: &SessionUser,
    q: &ViewQuery,
    campaigns: &[campaign::Model],
) -> Result<(Filters, Vec<(usize, org_unit::Model)>), AppError> {
    let db = &state.db;
    let all_units = org_unit::Entity::find().all(db).await?;
    let scope = Scope::new(me, &all_units);
    let pairs: Vec<(Uuid, Option<Uuid>)> = all_units.iter().map(|u| (u.id, u.parent_id)).collect();
    let visible: Vec<org_unit::Model> = all_units
        .into_iter()
        .filter(|u| scope.sees_unit(Some(u.id)))
        .collect();
    let ordered = tree::ordered(visible, |u| u.id, |u| u.parent_id, |u| u.name.clone());
    let filters = Filters {
        campaigns: campaigns
            .iter()
            .map(|c| campaign_option(state, c))
            .collect(),
        units: ordered
            .iter()
            .map(|(d, u)| (u.id, u.name.clone(), *d))
            .collect(),
        positions: position::Entity::find()
            .order_by_asc(position::Column::Code)
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.id, p.name))
            .collect(),
    };
    let covered = match q.unit {
        Some(u) => {
            if !scope.sees_unit(Some(u)) {
                return Err(AppError::Forbidden);
            }
            let sub = tree::subtree(&pairs, u);
            ordered
                .into_iter()
                .filter(|(_, x)| sub.contains(&x.id))
                .collect()
        }
        None => ordered,
    };
    Ok((filters, covered))
}

pub async fn heatmap(
    state: &AppState,
    me: &SessionUser,
    q: &ViewQuery,
) -> Result<Heatmap, AppError> {
    let db = &state.db;
    let campaigns = result_campaigns(db).await?;
    let (filters, units) = filters_and_units(state, me, q, &campaigns).await?;
    let Some(c) = pick(&campaigns, q.campaign) else {
        if q.campaign.is_some() {
            return Err(AppError::NotFound);
        }
        return Ok(Heatmap {
            provenance: None,
            filters,
            competencies: Vec::new(),
            rows: Vec::new(),
        });
    };
    let competencies = ordered_competencies(db, c.framework_id).await?;
    let unit_ids: Vec<Uuid> = units.iter().map(|(_, u)| u.id).collect();
    let cells: HashMap<(Uuid, Uuid), (f64, i64)> = tally::select(c.id, Some(unit_ids), q.position)
        .column(gap_tally::Column::UnitId)
        .column(gap_tally::Column::CompetencyId)
        .column_as(Expr::col(gap_tally::Column::GapSum).sum(), "gap_sum")
        .column_as(Expr::col(gap_tally::Column::People).sum(), "n")
        .group_by(gap_tally::Column::UnitId)
        .group_by(gap_tally::Column::CompetencyId)
        .into_tuple::<(Uuid, Uuid, Option<f64>, Option<i64>)>()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(u, comp, sum, n)| {
            let n = n.filter(|n| *n > 0)?;
            #[allow(clippy::cast_precision_loss)]
            let mean = sum.unwrap_or(0.0) / n as f64;
            Some(((u, comp), (mean, n)))
        })
        .collect();
    let threshold = u32::try_from(c.anonymity_threshold).unwrap_or(3);
    let rows = units
        .into_iter()
        .map(|(depth, u)| HeatRow {
            cells: competencies
                .iter()
                .map(|(cid, ..)| {
                    let (mean, n) = cells.get(&(u.id, *cid)).copied().unwrap_or((0.0, 0));
                    let n = u64::try_from(n).unwrap_or(0);
                    let shown = calc::shown(n, threshold);
                    HeatCell {
                        mean_gap: shown.then(|| calc::round2(mean)),
                        n,
                        suppressed: n > 0 && !shown,
                    }
                })
                .collect(),
            unit_id: u.id,
            unit: u.name,
            depth,
        })
        .collect();
    Ok(Heatmap {
        provenance: Some(provenance(db, state, c).await?),
        filters,
        competencies: competencies
            .into_iter()
            .map(|(_, code, name, _)| (code, name))
            .collect(),
        rows,
    })
}

pub async fn priorities(
    state: &AppState,
    me: &SessionUser,
    q: &ViewQuery,
) -> Result<Priorities, AppError> {
    let db = &state.db;
    let campaigns = result_campaigns(db).await?;
    let (filters, units) = filters_and_units(state, me, q, &campaigns).await?;
    let Some(c) = pick(&campaigns, q.campaign) else {
        if q.campaign.is_some() {
            return Err(AppError::NotFound);
        }
        return Ok(Priorities {
            provenance: None,
            filters,
            rows: Vec::new(),
        });
    };
    // The whole organisation needs no unit filter; anything narrower does.
    let everything = q.unit.is_none() && sees_everyone(me);
    let units = (!everything).then(|| units.iter().map(|(_, u)| u.id).collect());
    let sums: HashMap<Uuid, (i64, f64, f64, i64)> = tally::select(c.id, units, q.position)
        .column(gap_tally::Column::CompetencyId)
        .column_as(Expr::col(gap_tally::Column::WithGap).sum(), "with_gap")
        .column_as(Expr::col(gap_tally::Column::WeightedSum).sum(), "summed")
        .column_as(Expr::col(gap_tally::Column::GapSum).sum(), "gap_sum")
        .column_as(Expr::col(gap_tally::Column::People).sum(), "n")
        .group_by(gap_tally::Column::CompetencyId)
        .into_tuple::<(Uuid, Option<i64>, Option<f64>, Option<f64>, Option<i64>)>()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(id, with_gap, summed, gap_sum, n)| {
            let n = n.filter(|n| *n > 0)?;
            #[allow(clippy::cast_precision_loss)]
            let mean = gap_sum.unwrap_or(0.0) / n as f64;
            Some((id, (with_gap.unwrap_or(0), summed.unwrap_or(0.0), mean, n)))
        })
        .collect();
    let threshold = u32::try_from(c.anonymity_threshold).unwrap_or(3);
    let mut rows: Vec<PriorityRow> = ordered_competencies(db, c.framework_id)
        .await?
        .into_iter()
        .filter_map(|(id, code, name, domain)| {
            let (with_gap, summed, mean, n) = sums.get(&id).copied()?;
            let n = u64::try_from(n).unwrap_or(0);
            let shown = calc::shown(n, threshold);
            Some(PriorityRow {
                code,
                competency: name,
                domain,
                people_with_gap: if shown {
                    u64::try_from(with_gap).unwrap_or(0)
                } else {
                    0
                },
                summed_weighted_gap: if shown { calc::round2(summed) } else { 0.0 },
                mean_gap: if shown { calc::round2(mean) } else { 0.0 },
                n,
                suppressed: !shown,
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        b.summed_weighted_gap
            .total_cmp(&a.summed_weighted_gap)
            .then(b.people_with_gap.cmp(&a.people_with_gap))
    });
    Ok(Priorities {
        provenance: Some(provenance(db, state, c).await?),
        filters,
        rows,
    })
}
