//! How far a campaign has got, and reminders to those who have not answered.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};
use serde_json::json;
use uuid::Uuid;

use super::campaigns::*;
use super::{Progress, ProgressRow, RaterType, TaskStatus};
use crate::auth::guard::SessionUser;
use crate::domain::{AuditAction, NotificationKind, Vocabulary};
use crate::entities::{org_unit, person, survey_task};
use crate::error::{AppError, Problem};
use crate::notifications;
use crate::state::AppState;

pub async fn progress(state: &AppState, me: &SessionUser, id: Uuid) -> Result<Progress, AppError> {
    let db = &state.db;
    let c = find_campaign(db, me, id).await?;
    let threshold = u64::try_from(c.anonymity_threshold).unwrap_or(u64::MAX);
    let tasks = survey_task::Entity::find()
        .filter(survey_task::Column::CampaignId.eq(id))
        .all(db)
        .await?;
    let subjects: HashSet<Uuid> = tasks.iter().map(|t| t.subject_id).collect();
    let unit_of: HashMap<Uuid, Option<Uuid>> = person::Entity::find()
        .filter(person::Column::Id.is_in(subjects))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.unit_id))
        .collect();
    let unit_names: HashMap<Uuid, String> = org_unit::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let tasks: Vec<TaskFacts> = tasks
        .iter()
        .map(|t| TaskFacts {
            rater: t.rater_id,
            rater_type: t.rater_type,
            submitted: t.status == TaskStatus::Submitted,
            unit: unit_of
                .get(&t.subject_id)
                .copied()
                .flatten()
                .and_then(|u| unit_names.get(&u).cloned()),
        })
        .collect();
    Ok(tally(&tasks, threshold))
}

/// What the tally needs of one task.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskFacts {
    pub rater: Uuid,
    pub rater_type: RaterType,
    pub submitted: bool,
    /// The subject's unit, by name.
    pub unit: Option<String>,
}

/// Submitted out of all tasks, overall, per subject's unit (by name; `—` for none)
/// and per rater type, and how many raters still have something to do. A unit or
/// rater type with fewer than `threshold` tasks is left out (and counted in
/// `hidden_groups`): in a group that small, watching the count move tells who
/// has answered about whom.
pub fn tally(tasks: &[TaskFacts], threshold: u64) -> Progress {
    let row = |label: String| ProgressRow {
        label,
        total: 0,
        submitted: 0,
    };
    let mut by_unit: HashMap<String, ProgressRow> = HashMap::new();
    let mut by_rater: HashMap<RaterType, ProgressRow> = HashMap::new();
    let mut overall = row(String::new());
    let mut pending_raters = HashSet::new();
    for t in tasks {
        if !t.submitted {
            pending_raters.insert(t.rater);
        }
        let unit = t.unit.clone().unwrap_or_else(|| "—".to_owned());
        for r in [
            by_unit.entry(unit.clone()).or_insert_with(|| row(unit)),
            by_rater
                .entry(t.rater_type)
                .or_insert_with(|| row(t.rater_type.as_str().to_owned())),
            &mut overall,
        ] {
            r.total += 1;
            r.submitted += u64::from(t.submitted);
        }
    }
    let groups = by_unit.len() + by_rater.len();
    let mut by_unit: Vec<ProgressRow> = by_unit
        .into_values()
        .filter(|r| r.total >= threshold)
        .collect();
    by_unit.sort_by(|a, b| a.label.cmp(&b.label));
    let by_rater: Vec<(RaterType, ProgressRow)> = RaterType::ALL
        .iter()
        .filter_map(|r| by_rater.remove(r).map(|row| (*r, row)))
        .filter(|(_, row)| row.total >= threshold)
        .collect();
    Progress {
        hidden_groups: u64::try_from(groups - by_unit.len() - by_rater.len()).unwrap_or(0),
        threshold,
        overall,
        by_unit,
        by_rater,
        pending_raters: u64::try_from(pending_raters.len()).unwrap_or(u64::MAX),
    }
}

/// One reminder per person with unfinished tasks in an open campaign.
pub async fn send_reminders(state: &AppState, me: &SessionUser, id: Uuid) -> Result<u64, AppError> {
    let txn = state.db.begin().await?;
    let c = find_campaign(&txn, me, id).await?;
    if !accepts_answers(&c, Utc::now()) {
        return Err(AppError::Conflict(Problem::NotOpen));
    }
    let raters: HashSet<Uuid> = survey_task::Entity::find()
        .filter(survey_task::Column::CampaignId.eq(id))
        .filter(survey_task::Column::Status.ne(TaskStatus::Submitted))
        .all(&txn)
        .await?
        .into_iter()
        .map(|t| t.rater_id)
        .collect();
    let sent = notifications::service::notify(&txn, raters, NotificationKind::Reminder, id).await?;
    crate::audit::Entry::new(me.id, AuditAction::CampaignRemind)
        .on("campaign", id)
        .after(json!({ "sent": sent }))
        .record(&txn)
        .await?;
    txn.commit().await?;
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(rater: Uuid, rater_type: RaterType, submitted: bool, unit: Option<&str>) -> TaskFacts {
        TaskFacts {
            rater,
            rater_type,
            submitted,
            unit: unit.map(str::to_owned),
        }
    }

    fn counts(row: &ProgressRow) -> (&str, u64, u64) {
        (row.label.as_str(), row.total, row.submitted)
    }

    #[test]
    fn nothing_to_tally() {
        let p = tally(&[], 1);
        assert_eq!(counts(&p.overall), ("", 0, 0));
        assert!(p.by_unit.is_empty() && p.by_rater.is_empty());
        assert_eq!(p.pending_raters, 0);
    }

    /// Hand-checked: 李娜 (hall) rates herself (done) and is rated by her manager
    /// (pending) and a peer (done); 王芳 (no unit) rates herself (pending). The
    /// manager has one task left, 王芳 one: two raters pending.
    #[test]
    fn counts_by_unit_rater_and_pending_rater() {
        let [li, wang, boss, peer] = [(); 4].map(|_| Uuid::new_v4());
        let p = tally(
            &[
                task(li, RaterType::SelfRating, true, Some("服务大厅")),
                task(boss, RaterType::Manager, false, Some("服务大厅")),
                task(peer, RaterType::Peer, true, Some("服务大厅")),
                task(wang, RaterType::SelfRating, false, None),
            ],
            1,
        );
        assert_eq!(counts(&p.overall), ("", 4, 2));
        let units: Vec<_> = p.by_unit.iter().map(counts).collect();
        assert_eq!(units, [("—", 1, 0), ("服务大厅", 3, 2)]);
        let raters: Vec<_> = p
            .by_rater
            .iter()
            .map(|(r, row)| (*r, row.total, row.submitted))
            .collect();
        assert_eq!(
            raters,
            [
                (RaterType::SelfRating, 2, 1),
                (RaterType::Manager, 1, 0),
                (RaterType::Peer, 1, 1)
            ]
        );
        assert_eq!(p.pending_raters, 2);
        assert_eq!(p.overall.rate(), 50);
    }

    #[test]
    fn a_rater_with_several_open_tasks_counts_once() {
        let boss = Uuid::new_v4();
        let p = tally(
            &[
                task(boss, RaterType::Manager, false, Some("A")),
                task(boss, RaterType::Manager, false, Some("B")),
                task(boss, RaterType::Manager, true, Some("B")),
            ],
            1,
        );
        assert_eq!(p.pending_raters, 1);
        assert_eq!(counts(&p.overall), ("", 3, 1));
    }

    /// Hand-checked at threshold 3: the hall has 3 tasks (shown), the archive 2
    /// (hidden); self 3 (shown), manager 1 and peer 1 (hidden). The overall row
    /// stays: it covers the whole campaign.
    #[test]
    fn groups_below_the_threshold_are_hidden() {
        let [a, b, c, boss, peer] = [(); 5].map(|_| Uuid::new_v4());
        let p = tally(
            &[
                task(a, RaterType::SelfRating, true, Some("大厅")),
                task(b, RaterType::SelfRating, false, Some("大厅")),
                task(peer, RaterType::Peer, true, Some("大厅")),
                task(c, RaterType::SelfRating, true, Some("档案室")),
                task(boss, RaterType::Manager, true, Some("档案室")),
            ],
            3,
        );
        assert_eq!(counts(&p.overall), ("", 5, 4));
        let units: Vec<_> = p.by_unit.iter().map(counts).collect();
        assert_eq!(units, [("大厅", 3, 2)]);
        let raters: Vec<_> = p.by_rater.iter().map(|(r, _)| *r).collect();
        assert_eq!(raters, [RaterType::SelfRating]);
        assert_eq!(p.hidden_groups, 3);
        assert_eq!(p.threshold, 3);
    }
}
