//! Follow-up answers as evidence for the gap analysis: for one person (or many
//! at once), the newest answered follow-up per competency code, after a given
//! date.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::BehaviourSource;
use super::report::Answered;
use crate::common::clock;
use crate::domain::{FollowUpStatus, RaterType};
use crate::entities::{course, follow_up, follow_up_answer};
use crate::error::AppError;

/// code → the newest follow-up (one completion's wave, both sides) answered
/// after `after`; `threshold` decides a discrepancy.
pub async fn newest(
    db: &impl ConnectionTrait,
    tz: Tz,
    person: Uuid,
    after: DateTime<Utc>,
    threshold: f64,
) -> Result<HashMap<String, BehaviourSource>, AppError> {
    let answered = follow_up::Entity::find()
        .filter(follow_up::Column::SubjectId.eq(person))
        .filter(follow_up::Column::Status.eq(FollowUpStatus::Submitted))
        .filter(follow_up::Column::SubmittedAt.gt(after))
        .all(db)
        .await?;
    Ok(newest_of(db, tz, answered, after, threshold)
        .await?
        .remove(&person)
        .unwrap_or_default())
}

/// The same for everyone in `people` at once: person → code → newest.
pub async fn newest_among(
    db: &impl ConnectionTrait,
    tz: Tz,
    people: &HashSet<Uuid>,
    after: DateTime<Utc>,
    threshold: f64,
) -> Result<HashMap<Uuid, HashMap<String, BehaviourSource>>, AppError> {
    // Answered follow-ups are few next to the people a report covers, so they
    // are read once and picked here rather than asked for by person.
    let answered: Vec<follow_up::Model> = follow_up::Entity::find()
        .filter(follow_up::Column::Status.eq(FollowUpStatus::Submitted))
        .filter(follow_up::Column::SubmittedAt.gt(after))
        .all(db)
        .await?
        .into_iter()
        .filter(|f| people.contains(&f.subject_id))
        .collect();
    newest_of(db, tz, answered, after, threshold).await
}

async fn newest_of(
    db: &impl ConnectionTrait,
    tz: Tz,
    answered: Vec<follow_up::Model>,
    after: DateTime<Utc>,
    threshold: f64,
) -> Result<HashMap<Uuid, HashMap<String, BehaviourSource>>, AppError> {
    if answered.is_empty() {
        return Ok(HashMap::new());
    }
    let by_id: HashMap<Uuid, &follow_up::Model> = answered.iter().map(|f| (f.id, f)).collect();
    let titles: HashMap<Uuid, String> = course::Entity::find()
        .filter(course::Column::Id.is_in(answered.iter().map(|f| f.course_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.title))
        .collect();
    // (subject, code, completion, wave) → (both sides' answers, latest answer, course).
    type Sides = (Answered, DateTime<Utc>, Uuid);
    let mut waves: BTreeMap<(Uuid, String, Uuid, i32), Sides> = BTreeMap::new();
    let ids: Vec<Uuid> = by_id.keys().copied().collect();
    for chunk in ids.chunks(500) {
        for a in follow_up_answer::Entity::find()
            .filter(follow_up_answer::Column::FollowUpId.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            let Some(f) = by_id.get(&a.follow_up_id) else {
                continue;
            };
            // Colleagues' answers are pooled in the course's report, never
            // shown against one person's name.
            if f.rater_type == RaterType::Peer {
                continue;
            }
            let at = f.submitted_at.unwrap_or(after);
            let e = waves
                .entry((f.subject_id, a.code, f.assignment_id, f.wave))
                .or_insert((
                    Answered {
                        discrepancy_threshold: threshold,
                        ..Answered::default()
                    },
                    at,
                    f.course_id,
                ));
            e.1 = e.1.max(at);
            let pair = Some((a.level, a.frequency));
            match f.rater_type {
                RaterType::SelfRating => e.0.own = pair,
                RaterType::Manager => e.0.manager = pair,
                RaterType::Peer => {}
            }
        }
    }
    type Newest = HashMap<String, (DateTime<Utc>, BehaviourSource)>;
    let mut out: HashMap<Uuid, Newest> = HashMap::new();
    for ((subject, code, _, wave), (sides, at, course_id)) in waves {
        let Some(level) = sides.level() else {
            continue;
        };
        let theirs = out.entry(subject).or_default();
        if theirs.get(&code).is_some_and(|(seen, _)| *seen >= at) {
            continue;
        }
        let source = BehaviourSource {
            level,
            own: sides.own.map(|(l, _)| l),
            manager: sides.manager.map(|(l, _)| l),
            course: titles.get(&course_id).cloned().unwrap_or_default(),
            wave,
            date: clock::local(tz, at, "%Y-%m-%d"),
            discrepancy: sides.disagrees(),
        };
        theirs.insert(code, (at, source));
    }
    Ok(out
        .into_iter()
        .map(|(p, codes)| (p, codes.into_iter().map(|(c, (_, s))| (c, s)).collect()))
        .collect())
}
