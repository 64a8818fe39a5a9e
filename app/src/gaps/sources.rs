//! The before/after report's other sources, beside the two surveys: behaviour
//! follow-ups answered after the baseline closed, against the person's baseline
//! level; and the pre-test and post-test of courses raising the competency, on
//! the questions tagged with it. Each gives its own n and paired statistics;
//! a source with fewer people than the anonymity threshold gives its count only.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::{ChangeSource, SourceRow};
use crate::domain::{FollowUpStatus, QuizPurpose};
use crate::entities::{
    competency, competency_result, course, course_competency, follow_up, person, quiz,
};
use crate::error::AppError;
use crate::evaluation::behaviour::evidence::newest_among;
use crate::evaluation::stats;
use crate::quiz::analysis::gain_among;
use crate::state::AppState;

/// What the sources are read over.
pub struct Over<'a> {
    pub baseline: (Uuid, Uuid),
    /// When the baseline's figures stand; follow-ups count from then.
    pub since: DateTime<Utc>,
    pub units: &'a [Uuid],
    pub position: Option<Uuid>,
    pub discrepancy_threshold: f64,
    pub k: usize,
}

/// code → the other sources' rows, each with someone in it.
pub async fn other_sources(
    state: &AppState,
    over: &Over<'_>,
    codes: &[String],
) -> Result<HashMap<String, Vec<SourceRow>>, AppError> {
    let mut pairs: HashMap<(String, ChangeSource), Vec<(f64, f64)>> = HashMap::new();
    for (code, p) in follow_up_pairs(state, over).await? {
        pairs
            .entry((code, ChangeSource::FollowUps))
            .or_default()
            .push(p);
    }
    for (code, p) in quiz_pairs(state, over, codes).await? {
        pairs
            .entry((code, ChangeSource::Quizzes))
            .or_default()
            .push(p);
    }
    let mut out: HashMap<String, Vec<SourceRow>> = HashMap::new();
    for ((code, source), list) in pairs {
        let n = list.len();
        out.entry(code).or_default().push(SourceRow {
            source,
            n,
            paired: (n >= over.k.max(1)).then(|| stats::paired(&list)).flatten(),
        });
    }
    for rows in out.values_mut() {
        rows.sort_by_key(|r| r.source);
    }
    Ok(out)
}

/// (code, (baseline level, newest follow-up level)) of everyone in the view
/// with a follow-up answered since the baseline.
async fn follow_up_pairs(
    state: &AppState,
    over: &Over<'_>,
) -> Result<Vec<(String, (f64, f64))>, AppError> {
    let db = &state.db;
    let subjects: HashSet<Uuid> = follow_up::Entity::find()
        .select_only()
        .column(follow_up::Column::SubjectId)
        .filter(follow_up::Column::Status.eq(FollowUpStatus::Submitted))
        .filter(follow_up::Column::SubmittedAt.gt(over.since))
        .into_tuple::<Uuid>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    if subjects.is_empty() {
        return Ok(Vec::new());
    }
    let (campaign, framework) = over.baseline;
    let codes: HashMap<Uuid, String> = competency::Entity::find()
        .filter(competency::Column::FrameworkId.eq(framework))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.code))
        .collect();
    let list: Vec<Uuid> = subjects.into_iter().collect();
    let mut baseline: HashMap<(Uuid, String), f64> = HashMap::new();
    for chunk in list.chunks(500) {
        let mut q = competency_result::Entity::find()
            .filter(competency_result::Column::CampaignId.eq(campaign))
            .filter(competency_result::Column::PersonId.is_in(chunk.iter().copied()))
            .filter(competency_result::Column::UnitId.is_in(over.units.iter().copied()));
        if let Some(p) = over.position {
            q = q.filter(competency_result::Column::PositionId.eq(p));
        }
        for r in q.all(db).await? {
            if let Some(code) = codes.get(&r.competency_id) {
                baseline.insert((r.person_id, code.clone()), r.current);
            }
        }
    }
    let people: HashSet<Uuid> = baseline.keys().map(|(p, _)| *p).collect();
    let newest = newest_among(
        db,
        state.settings.timezone,
        &people,
        over.since,
        over.discrepancy_threshold,
    )
    .await?;
    let mut out = Vec::new();
    for (person, by_code) in newest {
        for (code, source) in by_code {
            if let Some(before) = baseline.get(&(person, code.clone())) {
                out.push((code, (*before, source.level)));
            }
        }
    }
    Ok(out)
}

/// (code, (pre-test %, post-test %)) on the questions tagged with the code, of
/// everyone now in the view's units; a person in two courses raising the
/// code counts once, with the first course by code.
async fn quiz_pairs(
    state: &AppState,
    over: &Over<'_>,
    codes: &[String],
) -> Result<Vec<(String, (f64, f64))>, AppError> {
    let db = &state.db;
    let raising = course_competency::Entity::find()
        .filter(course_competency::Column::Code.is_in(codes.iter().cloned()))
        .all(db)
        .await?;
    // Only courses with both tests can pair anyone; most offices have few.
    let mut tests: HashMap<Uuid, HashSet<QuizPurpose>> = HashMap::new();
    let course_ids: HashSet<Uuid> = raising.iter().map(|r| r.course_id).collect();
    let ids: Vec<Uuid> = course_ids.into_iter().collect();
    for chunk in ids.chunks(500) {
        let rows: Vec<(Uuid, QuizPurpose)> = quiz::Entity::find()
            .select_only()
            .column(quiz::Column::CourseId)
            .column(quiz::Column::Purpose)
            .filter(quiz::Column::CourseId.is_in(chunk.iter().copied()))
            .filter(quiz::Column::Purpose.is_in([QuizPurpose::Pre, QuizPurpose::Post]))
            .into_tuple()
            .all(db)
            .await?;
        for (c, purpose) in rows {
            tests.entry(c).or_default().insert(purpose);
        }
    }
    tests.retain(|_, purposes| purposes.len() == 2);
    if tests.is_empty() {
        return Ok(Vec::new());
    }
    let courses = course::Entity::find()
        .filter(course::Column::Id.is_in(tests.keys().copied()))
        .order_by_asc(course::Column::Code)
        .all(db)
        .await?;
    let in_view = people_in(db, over).await?;
    let mut seen: HashSet<(Uuid, String)> = HashSet::new();
    let mut out = Vec::new();
    for c in &courses {
        let raised: HashSet<&str> = raising
            .iter()
            .filter(|r| r.course_id == c.id)
            .map(|r| r.code.as_str())
            .collect();
        let gain = gain_among(db, c, |p| in_view.contains(&p)).await?;
        for p in gain.people {
            for (code, f) in p.competencies {
                let (Some(pre), Some(post)) = (f.pre, f.post) else {
                    continue;
                };
                if raised.contains(code.as_str()) && seen.insert((p.person_id, code.clone())) {
                    out.push((code, (pre, post)));
                }
            }
        }
    }
    Ok(out)
}

async fn people_in(db: &impl ConnectionTrait, over: &Over<'_>) -> Result<HashSet<Uuid>, AppError> {
    let mut out = HashSet::new();
    for chunk in over.units.chunks(500) {
        let mut q = person::Entity::find()
            .select_only()
            .column(person::Column::Id)
            .filter(person::Column::UnitId.is_in(chunk.iter().copied()));
        if let Some(p) = over.position {
            q = q.filter(person::Column::PositionId.eq(p));
        }
        out.extend(q.into_tuple::<Uuid>().all(db).await?);
    }
    Ok(out)
}
