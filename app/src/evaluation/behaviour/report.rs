//! The course's level 3 report: per competency and wave, what learners and
//! their managers answered, how often the learners apply it, how far the two
//! sides disagree, and each learner's baseline against the follow-up.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::service::described;
use super::{BehaviourReport, BehaviourRow, SideFigures};
use crate::auth::guard::SessionUser;
use crate::domain::{FollowUpStatus, RaterType};
use crate::entities::{
    assignment, campaign, competency, competency_result, follow_up, follow_up_answer,
};
use crate::error::AppError;
use crate::evaluation::readers::Among;
use crate::evaluation::stats;

/// The discrepancy threshold when a learner has no baseline survey (a new
/// campaign's default).
const DEFAULT_DISCREPANCY: f64 = 1.0;

/// One learner's answers on a competency in one wave.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Answered {
    /// (level, frequency) from the learner and from the manager.
    pub own: Option<(i32, i32)>,
    pub manager: Option<(i32, i32)>,
    /// The learner's baseline level and its survey's discrepancy threshold.
    pub baseline: Option<f64>,
    pub discrepancy_threshold: f64,
}

impl Answered {
    /// The follow-up level: the mean of the sides that answered.
    pub fn level(&self) -> Option<f64> {
        let sides: Vec<f64> = [self.own, self.manager]
            .iter()
            .flatten()
            .map(|(l, _)| f64::from(*l))
            .collect();
        (!sides.is_empty()).then(|| sides.iter().sum::<f64>() / sides.len() as f64)
    }

    pub fn disagrees(&self) -> bool {
        match (self.own, self.manager) {
            (Some((a, _)), Some((b, _))) => {
                f64::from((a - b).abs()) >= self.discrepancy_threshold - 1e-9
            }
            _ => false,
        }
    }
}

fn side(answers: &[(i32, i32)], shown: bool) -> SideFigures {
    let n = answers.len();
    let mean = |f: fn(&(i32, i32)) -> i32| {
        (shown && n > 0).then(|| answers.iter().map(|a| f64::from(f(a))).sum::<f64>() / n as f64)
    };
    SideFigures {
        n,
        level: mean(|a| a.0),
        frequency: mean(|a| a.1),
    }
}

/// A row's figures from its learners' answers and the colleagues' pooled
/// ones: everything but the counts stays empty while fewer learners than
/// `threshold` answered, and the colleagues' while fewer of them did.
pub fn figures(
    (code, competency, wave): (String, String, i32),
    learners: &[Answered],
    peers: &[(i32, i32)],
    threshold: usize,
) -> BehaviourRow {
    let n = learners.len();
    let shown = n >= threshold.max(1);
    let own: Vec<(i32, i32)> = learners.iter().filter_map(|a| a.own).collect();
    let managers: Vec<(i32, i32)> = learners.iter().filter_map(|a| a.manager).collect();
    let pairs: Vec<(f64, f64)> = learners
        .iter()
        .filter_map(|a| a.baseline.zip(a.level()))
        .collect();
    BehaviourRow {
        code,
        competency,
        wave,
        n,
        shown,
        learners: side(&own, shown),
        managers: side(&managers, shown),
        peers: side(peers, shown && peers.len() >= threshold.max(1)),
        paired: (shown && pairs.len() >= threshold.max(1))
            .then(|| stats::paired(&pairs))
            .flatten(),
        discrepancies: shown.then(|| learners.iter().filter(|a| a.disagrees()).count()),
    }
}

pub async fn report(
    db: &DatabaseConnection,
    me: &SessionUser,
    course_id: Uuid,
) -> Result<BehaviourReport, AppError> {
    let (c, among) = crate::evaluation::readers::evaluated(db, me, course_id).await?;
    let threshold = usize::try_from(
        crate::rules::service::settings(db)
            .await?
            .anonymity_threshold,
    )
    .unwrap_or(3);
    let (waves, _) = super::sweep::schedule(db).await?;
    let all = follow_up::Entity::find()
        .filter(follow_up::Column::CourseId.eq(c.id))
        .all(db)
        .await?
        .into_iter()
        .filter(|f| among.counts(f.subject_id))
        .collect::<Vec<_>>();
    let count = |s: FollowUpStatus| all.iter().filter(|f| f.status == s).count();
    let submitted: Vec<&follow_up::Model> = all
        .iter()
        .filter(|f| f.status == FollowUpStatus::Submitted)
        .collect();
    let mut answers: HashMap<Uuid, Vec<follow_up_answer::Model>> = HashMap::new();
    for chunk in submitted.chunks(500) {
        for a in follow_up_answer::Entity::find()
            .filter(follow_up_answer::Column::FollowUpId.is_in(chunk.iter().map(|f| f.id)))
            .all(db)
            .await?
        {
            answers.entry(a.follow_up_id).or_default().push(a);
        }
    }
    let completed: HashMap<Uuid, DateTime<Utc>> = assignment::Entity::find()
        .filter(assignment::Column::CourseId.eq(c.id))
        .filter(assignment::Column::CompletedAt.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .filter_map(|a| a.completed_at.map(|at| (a.id, at)))
        .collect();
    let baselines = Baselines::load(db, submitted.iter().map(|f| f.subject_id).collect()).await?;
    // (code, wave) → learner → answers, in code and wave order; colleagues'
    // answers pooled apart, as they never count as the learner's or manager's.
    let mut grid: BTreeMap<(String, i32), HashMap<Uuid, Answered>> = BTreeMap::new();
    let mut pooled: HashMap<(String, i32), Vec<(i32, i32)>> = HashMap::new();
    for f in &submitted {
        for a in answers.get(&f.id).into_iter().flatten() {
            if f.rater_type == RaterType::Peer {
                pooled
                    .entry((a.code.clone(), f.wave))
                    .or_default()
                    .push((a.level, a.frequency));
                continue;
            }
            let entry = grid
                .entry((a.code.clone(), f.wave))
                .or_default()
                .entry(f.subject_id)
                .or_insert_with(|| {
                    let base = completed
                        .get(&f.assignment_id)
                        .and_then(|at| baselines.before(f.subject_id, &a.code, *at));
                    Answered {
                        baseline: base.map(|b| b.0),
                        discrepancy_threshold: base.map_or(DEFAULT_DISCREPANCY, |b| b.1),
                        ..Answered::default()
                    }
                });
            let pair = Some((a.level, a.frequency));
            match f.rater_type {
                RaterType::SelfRating => entry.own = pair,
                RaterType::Manager => entry.manager = pair,
                RaterType::Peer => {}
            }
        }
    }
    // A row the colleagues answered alone still shows their count.
    for key in pooled.keys() {
        grid.entry(key.clone()).or_default();
    }
    let names = described(db, grid.keys().map(|(code, _)| code.clone()).collect()).await?;
    let rows = grid
        .into_iter()
        .map(|((code, wave), learners)| {
            let name = names
                .get(&code)
                .map_or_else(|| code.clone(), |(n, _)| n.clone());
            let learners: Vec<Answered> = learners.into_values().collect();
            let peers = pooled.remove(&(code.clone(), wave)).unwrap_or_default();
            figures((code, name, wave), &learners, &peers, threshold)
        })
        .collect();
    let mut plans: Vec<String> = submitted
        .iter()
        .filter(|f| f.rater_type == RaterType::SelfRating)
        .filter_map(|f| f.action_plan.clone())
        .collect();
    if plans.len() < threshold {
        plans.clear();
    }
    // Alphabetical, so the order tells nothing about who answered when.
    plans.sort();
    Ok(BehaviourReport {
        scoped: among != Among::Everyone,
        course_id: c.id,
        course: c.title,
        threshold,
        waves,
        sent: all.len(),
        answered: submitted.len(),
        open: count(FollowUpStatus::Open),
        expired: count(FollowUpStatus::Expired),
        rows,
        plans,
    })
}

/// A needs-survey result: when its campaign closed, the level, and the
/// campaign's discrepancy threshold.
type Measured = (DateTime<Utc>, f64, f64);

/// Each learner's needs-survey results by (person, competency code).
struct Baselines(HashMap<(Uuid, String), Vec<Measured>>);

impl Baselines {
    async fn load(db: &DatabaseConnection, people: Vec<Uuid>) -> Result<Self, AppError> {
        let mut results = Vec::new();
        let mut people = people;
        people.sort_unstable();
        people.dedup();
        for chunk in people.chunks(500) {
            results.extend(
                competency_result::Entity::find()
                    .filter(competency_result::Column::PersonId.is_in(chunk.to_vec()))
                    .all(db)
                    .await?,
            );
        }
        let codes: HashMap<Uuid, String> = competency::Entity::find()
            .filter(
                competency::Column::Id
                    .is_in(results.iter().map(|r| r.competency_id).collect::<Vec<_>>()),
            )
            .all(db)
            .await?
            .into_iter()
            .map(|c| (c.id, c.code))
            .collect();
        let campaigns: HashMap<Uuid, (DateTime<Utc>, f64)> = campaign::Entity::find()
            .filter(
                campaign::Column::Id
                    .is_in(results.iter().map(|r| r.campaign_id).collect::<Vec<_>>()),
            )
            .all(db)
            .await?
            .into_iter()
            .map(|c| (c.id, (c.closes_at, c.discrepancy_threshold)))
            .collect();
        let mut out: HashMap<(Uuid, String), Vec<Measured>> = HashMap::new();
        for r in results {
            if let (Some(code), Some((closed, threshold))) =
                (codes.get(&r.competency_id), campaigns.get(&r.campaign_id))
            {
                out.entry((r.person_id, code.clone()))
                    .or_default()
                    .push((*closed, r.current, *threshold));
            }
        }
        Ok(Self(out))
    }

    /// The newest result from a survey that closed before `at`: (level, threshold).
    fn before(&self, person: Uuid, code: &str, at: DateTime<Utc>) -> Option<(f64, f64)> {
        self.0
            .get(&(person, code.to_owned()))?
            .iter()
            .filter(|(closed, _, _)| *closed <= at)
            .max_by_key(|(closed, _, _)| *closed)
            .map(|(_, level, threshold)| (*level, *threshold))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn learner(own: Option<i32>, manager: Option<i32>, baseline: Option<f64>) -> Answered {
        Answered {
            own: own.map(|l| (l, 4)),
            manager: manager.map(|l| (l, 2)),
            baseline,
            discrepancy_threshold: 1.5,
        }
    }

    #[test]
    fn the_follow_up_level_is_the_mean_of_the_sides_that_answered() {
        assert_eq!(learner(Some(4), Some(3), None).level(), Some(3.5));
        assert_eq!(learner(None, Some(3), None).level(), Some(3.0));
        assert_eq!(learner(None, None, None).level(), None);
    }

    #[test]
    fn a_disagreement_needs_both_sides_and_the_threshold() {
        assert!(learner(Some(5), Some(3), None).disagrees());
        assert!(!learner(Some(4), Some(3), None).disagrees());
        assert!(!learner(Some(5), None, None).disagrees());
    }

    #[test]
    fn a_row_is_worked_out_by_hand() {
        let learners = [
            learner(Some(4), Some(3), Some(2.0)), // follow-up 3.5, change +1.5
            learner(Some(5), Some(3), Some(3.0)), // 4.0, +1.0, disagrees
            learner(Some(3), None, Some(2.5)),    // 3.0, +0.5
            learner(None, Some(2), None),         // no baseline: not paired
        ];
        let row = figures(("IT".into(), "IT".into(), 30), &learners, &[], 3);
        assert_eq!(row.n, 4);
        assert!(row.shown);
        assert_eq!(row.learners.n, 3);
        assert_eq!(row.learners.level, Some(4.0));
        assert_eq!(row.learners.frequency, Some(4.0));
        assert_eq!(row.managers.n, 3);
        assert_eq!(row.managers.level, Some(8.0 / 3.0));
        assert_eq!(row.managers.frequency, Some(2.0));
        assert_eq!(row.discrepancies, Some(1));
        let p = row.paired.expect("three pairs");
        assert_eq!(p.n, 3);
        assert!((p.mean_before - 2.5).abs() < 1e-12);
        assert!((p.mean_after - 3.5).abs() < 1e-12);
        assert!((p.mean_change - 1.0).abs() < 1e-12);
    }

    #[test]
    fn colleagues_show_only_once_enough_of_them_answered() {
        let learners = [
            learner(Some(4), Some(3), Some(2.0)),
            learner(Some(5), Some(3), Some(3.0)),
            learner(Some(3), Some(3), Some(2.5)),
        ];
        let two = figures(
            ("IT".into(), "IT".into(), 30),
            &learners,
            &[(4, 3), (2, 5)],
            3,
        );
        assert_eq!(two.peers.n, 2);
        assert_eq!((two.peers.level, two.peers.frequency), (None, None));
        assert!(two.shown, "the learners' figures show all the same");
        let three = figures(
            ("IT".into(), "IT".into(), 30),
            &learners,
            &[(4, 3), (2, 5), (3, 4)],
            3,
        );
        assert_eq!(three.peers.level, Some(3.0));
        assert_eq!(three.peers.frequency, Some(4.0));
        // Colleagues never count as the manager, nor in the follow-up level.
        assert_eq!(three.managers, two.managers);
        assert_eq!(three.paired, two.paired);
    }

    #[test]
    fn a_small_group_keeps_its_count_only() {
        let learners = [
            learner(Some(4), Some(3), Some(2.0)),
            learner(Some(5), Some(3), Some(3.0)),
        ];
        let row = figures(("IT".into(), "IT".into(), 30), &learners, &[], 3);
        assert_eq!(row.n, 2);
        assert!(!row.shown);
        assert_eq!(row.learners.n, 2);
        assert_eq!(row.learners.level, None);
        assert_eq!(row.managers.frequency, None);
        assert_eq!(row.paired, None);
        assert_eq!(row.discrepancies, None);
    }
}
