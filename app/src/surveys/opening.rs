//! Opening and closing a campaign; opening plans who rates whom.

use std::collections::HashSet;

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set, TransactionTrait};
use serde_json::json;
use uuid::Uuid;

use super::campaigns::*;
use super::{CampaignState, PeerMode, RaterType, TaskStatus};
use crate::auth::guard::SessionUser;
use crate::domain::Vocabulary;
use crate::domain::{AuditAction, NotificationKind};
use crate::entities::{campaign, person, survey_task};
use crate::error::{AppError, Problem};
use crate::notifications;
use crate::state::AppState;

/// A random order of candidates drawn from the campaign's secret seed: nobody who
/// knows the ids can recompute who was chosen, yet the plan is reproducible from
/// the stored seed (SHA-256, not the standard library's hasher, which may change).
fn shuffle_key(seed: Uuid, subject: Uuid, candidate: Uuid) -> [u8; 8] {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for id in [seed, subject, candidate] {
        h.update(id.as_bytes());
    }
    let digest = h.finalize();
    let mut key = [0; 8];
    key.copy_from_slice(&digest[..8]);
    key
}

/// Who rates whom: (subject, rater, type), for an opening campaign. Peers are drawn
/// with the campaign's `peer_seed` (set at opening).
pub fn plan_tasks(
    c: &campaign::Model,
    subjects: &[person::Model],
    everyone: &[person::Model],
) -> Vec<(Uuid, Uuid, RaterType)> {
    let mut tasks = Vec::new();
    let seed = c.peer_seed.unwrap_or(c.id);
    let active: HashSet<Uuid> = everyone.iter().filter(|p| p.active).map(|p| p.id).collect();
    for s in subjects {
        if c.include_self {
            tasks.push((s.id, s.id, RaterType::SelfRating));
        }
        if c.include_manager
            && let Some(m) = s.manager_id.filter(|m| active.contains(m) && *m != s.id)
        {
            tasks.push((s.id, m, RaterType::Manager));
        }
        if c.peer_mode == PeerMode::Auto && c.peers_per_person > 0 {
            let mut candidates: Vec<&person::Model> = everyone
                .iter()
                .filter(|p| {
                    p.active
                        && p.id != s.id
                        && Some(p.id) != s.manager_id
                        && p.unit_id.is_some()
                        && p.unit_id == s.unit_id
                })
                .collect();
            candidates.sort_by_key(|p| shuffle_key(seed, s.id, p.id));
            let n = usize::try_from(c.peers_per_person).unwrap_or(0);
            tasks.extend(
                candidates
                    .into_iter()
                    .take(n)
                    .map(|p| (s.id, p.id, RaterType::Peer)),
            );
        }
    }
    tasks
}

pub(super) async fn insert_task(
    db: &impl ConnectionTrait,
    campaign_id: Uuid,
    subject: Uuid,
    rater: Uuid,
    rater_type: RaterType,
) -> Result<(), AppError> {
    survey_task::ActiveModel {
        id: Set(Uuid::new_v4()),
        campaign_id: Set(campaign_id),
        subject_id: Set(subject),
        rater_id: Set(rater),
        rater_type: Set(rater_type),
        status: Set(TaskStatus::Pending),
        updated_at: Set(Utc::now()),
        submitted_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn set_state(
    state: &AppState,
    me: &SessionUser,
    id: Uuid,
    to: CampaignState,
) -> Result<(), AppError> {
    let txn = state.db.begin().await?;
    let c = find_campaign(&txn, me, id).await?;
    let from = c.state;
    match (from, to) {
        (CampaignState::Draft, CampaignState::Open) => {
            let seed = Uuid::new_v4();
            let c = campaign::Model {
                peer_seed: Some(seed),
                ..c
            };
            let subjects = resolve_audience(&txn, &c).await?;
            if subjects.is_empty() {
                return Err(AppError::field("audience", Problem::Empty));
            }
            let everyone = person::Entity::find().all(&txn).await?;
            let plan = plan_tasks(&c, &subjects, &everyone);
            let raters: HashSet<Uuid> = plan.iter().map(|(_, r, _)| *r).collect();
            for (subject, rater, kind) in &plan {
                insert_task(&txn, c.id, *subject, *rater, *kind).await?;
            }
            if c.peer_mode == PeerMode::Nominate {
                // People are asked to nominate; tell them too.
                let mut all = raters.clone();
                all.extend(subjects.iter().map(|s| s.id));
                notifications::service::notify(&txn, all, NotificationKind::CampaignOpened, c.id)
                    .await?;
            } else {
                notifications::service::notify(
                    &txn,
                    raters,
                    NotificationKind::CampaignOpened,
                    c.id,
                )
                .await?;
            }
            let settings = rater_settings(&c);
            let mut am: campaign::ActiveModel = c.into();
            am.state = Set(CampaignState::Open);
            am.opened_at = Set(Some(Utc::now()));
            am.peer_seed = Set(Some(seed));
            am.update(&txn).await?;
            crate::audit::Entry::new(me.id, AuditAction::CampaignOpen)
                .on("campaign", id)
                .before(json!({ "state": "draft" }))
                .after(
                    json!({ "state": "open", "subjects": subjects.len(), "tasks": plan.len(),
                    "settings": settings }),
                )
                .record(&txn)
                .await?;
        }
        (CampaignState::Open, CampaignState::Closed) => {
            let mut am: campaign::ActiveModel = c.into();
            am.state = Set(CampaignState::Closed);
            am.closed_at = Set(Some(Utc::now()));
            let c = am.update(&txn).await?;
            // Peer ratings count only from now on (see `gaps::service::recompute`).
            let results = crate::gaps::service::recompute(&txn, &c, None).await?;
            // New gaps, new proposals (decisions already made stay).
            crate::assignments::service::regenerate(&txn, &state.settings, Some(me.id)).await?;
            crate::audit::Entry::new(me.id, AuditAction::CampaignClose)
                .on("campaign", id)
                .before(json!({ "state": "open" }))
                .after(json!({ "state": "closed", "results": results }))
                .record(&txn)
                .await?;
        }
        _ => {
            return Err(AppError::Conflict(Problem::Invalid {
                value: to.as_str().to_owned(),
            }));
        }
    }
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn campaign(
        include_self: bool,
        include_manager: bool,
        peers: (PeerMode, i32),
    ) -> campaign::Model {
        let now = Utc::now();
        campaign::Model {
            id: Uuid::from_u128(7),
            title: "2026 基线调查".into(),
            framework_id: Uuid::nil(),
            state: CampaignState::Draft,
            opens_at: now,
            closes_at: now,
            include_self,
            include_manager,
            peer_mode: peers.0,
            peers_per_person: peers.1,
            anonymity_threshold: 3,
            instructions: None,
            weight_self: 0.2,
            weight_manager: 0.5,
            weight_peers: 0.3,
            weight_test: 0.0,
            discrepancy_threshold: 1.0,
            follow_up_of: None,
            owner_id: Uuid::nil(),
            created_at: now,
            opened_at: None,
            closed_at: None,
            peer_seed: Some(Uuid::nil()),
        }
    }

    fn person(n: u128, unit: Option<u128>, manager: Option<u128>, active: bool) -> person::Model {
        let now = Utc::now();
        person::Model {
            id: Uuid::from_u128(n),
            employee_no: format!("S{n:04}"),
            name: format!("P{n}"),
            name_key: String::new(),
            email: None,
            password_hash: None,
            unit_id: unit.map(Uuid::from_u128),
            position_id: None,
            manager_id: manager.map(Uuid::from_u128),
            locale: None,
            active,
            failed_logins: 0,
            locked_until: None,
            must_change_password: false,
            created_at: now,
            updated_at: now,
        }
    }

    /// (subject, rater, type) with people named by their number.
    fn plan(
        c: &campaign::Model,
        subjects: &[u128],
        everyone: &[person::Model],
    ) -> Vec<(u128, u128, RaterType)> {
        let subjects: Vec<person::Model> = everyone
            .iter()
            .filter(|p| subjects.contains(&p.id.as_u128()))
            .cloned()
            .collect();
        plan_tasks(c, &subjects, everyone)
            .into_iter()
            .map(|(s, r, t)| (s.as_u128(), r.as_u128(), t))
            .collect()
    }

    /// Unit 100: manager 1, staff 2, 3, 4, 5 (5 inactive). Unit 200: staff 6, whose
    /// manager 7 has left (inactive). 8 has no unit and manages themselves (a data
    /// error the plan must not turn into a task).
    fn office() -> Vec<person::Model> {
        vec![
            person(1, Some(100), None, true),
            person(2, Some(100), Some(1), true),
            person(3, Some(100), Some(1), true),
            person(4, Some(100), Some(1), true),
            person(5, Some(100), Some(1), false),
            person(6, Some(200), Some(7), true),
            person(7, Some(200), None, false),
            person(8, None, Some(8), true),
        ]
    }

    #[test]
    fn self_and_manager_tasks() {
        let everyone = office();
        use RaterType::{Manager, SelfRating};
        type Case = (
            campaign::Model,
            &'static [u128],
            Vec<(u128, u128, RaterType)>,
        );
        let cases: [Case; 4] = [
            (
                campaign(true, false, (PeerMode::None, 0)),
                &[2, 6],
                vec![(2, 2, SelfRating), (6, 6, SelfRating)],
            ),
            (
                campaign(false, true, (PeerMode::None, 0)),
                &[2, 3],
                vec![(2, 1, Manager), (3, 1, Manager)],
            ),
            // An inactive manager and a self-managed person get no manager task.
            (campaign(false, true, (PeerMode::None, 0)), &[6, 8], vec![]),
            (
                campaign(true, true, (PeerMode::Nominate, 3)),
                &[2],
                vec![(2, 2, SelfRating), (2, 1, Manager)],
            ),
        ];
        for (i, (c, subjects, expected)) in cases.into_iter().enumerate() {
            assert_eq!(plan(&c, subjects, &everyone), expected, "case {i}");
        }
    }

    #[test]
    fn auto_peers_come_from_the_unit_never_self_manager_or_inactive() {
        let everyone = office();
        let c = campaign(false, false, (PeerMode::Auto, 2));
        let tasks = plan(&c, &[2], &everyone);
        assert_eq!(tasks.len(), 2);
        for (subject, rater, kind) in &tasks {
            assert_eq!((*subject, *kind), (2, RaterType::Peer));
            assert!([3, 4].contains(rater), "peer {rater} is a unit colleague");
        }
        // Fewer candidates than wanted: everyone eligible, no more.
        let c = campaign(false, false, (PeerMode::Auto, 10));
        let raters: Vec<u128> = plan(&c, &[2], &everyone).into_iter().map(|t| t.1).collect();
        assert_eq!(raters.len(), 2);
        // Alone in the unit: no peers.
        assert!(plan(&c, &[6], &everyone).is_empty());
    }

    #[test]
    fn the_peer_draw_is_stable() {
        let everyone = office();
        let c = campaign(false, false, (PeerMode::Auto, 1));
        let first = plan(&c, &[2], &everyone);
        assert_eq!(plan(&c, &[2], &everyone), first);
        // SHA-256 gives the same key on every machine and Rust release; this one
        // was worked out independently (Python's hashlib over 48 zero bytes).
        assert_eq!(
            shuffle_key(Uuid::nil(), Uuid::nil(), Uuid::nil()),
            [23, 176, 118, 31, 135, 176, 129, 213]
        );
        assert_ne!(
            shuffle_key(Uuid::nil(), Uuid::nil(), Uuid::from_u128(1)),
            shuffle_key(Uuid::nil(), Uuid::nil(), Uuid::from_u128(2))
        );
    }
}
