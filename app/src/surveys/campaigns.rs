//! What the use cases share: finding a campaign its caller may run, the states
//! that allow answers, the custom items and the people a campaign is about.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::{AudienceKind, CampaignState, ItemDto};
use crate::auth::guard::SessionUser;
use crate::entities::{campaign, campaign_audience, campaign_item, framework, org_unit, person};
use crate::error::{AppError, Problem};
use crate::org::tree;
use crate::org::visibility::{Scope, sees_everyone};

/// Answers are taken while open and before the deadline.
pub fn accepts_answers(c: &campaign::Model, now: DateTime<Utc>) -> bool {
    c.state == CampaignState::Open && now >= c.opens_at && now < c.closes_at
}

/// What decides whose ratings count and how, for the audit log: an inspector can
/// see that the anonymity threshold and the weights were what they should be.
pub(super) fn rater_settings(c: &campaign::Model) -> serde_json::Value {
    serde_json::json!({
        "include_self": c.include_self,
        "include_manager": c.include_manager,
        "peer_mode": c.peer_mode,
        "peers": c.peers_per_person,
        "anonymity_threshold": c.anonymity_threshold,
        "weights": [c.weight_self, c.weight_manager, c.weight_peers, c.weight_test],
        "discrepancy_threshold": c.discrepancy_threshold,
    })
}

/// Trainers and admins run every campaign; a manager runs their own.
pub(super) fn can_manage(me: &SessionUser, c: &campaign::Model) -> bool {
    sees_everyone(me) || c.owner_id == me.id
}

pub(super) async fn find_campaign(
    db: &impl ConnectionTrait,
    me: &SessionUser,
    id: Uuid,
) -> Result<campaign::Model, AppError> {
    let c = campaign::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if can_manage(me, &c) {
        Ok(c)
    } else {
        Err(AppError::Forbidden)
    }
}

pub(super) async fn find_draft(
    db: &impl ConnectionTrait,
    me: &SessionUser,
    id: Uuid,
) -> Result<campaign::Model, AppError> {
    let c = find_campaign(db, me, id).await?;
    if c.state == CampaignState::Draft {
        Ok(c)
    } else {
        Err(AppError::Conflict(Problem::NotDraft))
    }
}

pub(super) async fn framework_label(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<String, AppError> {
    Ok(framework::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|f| format!("{} v{}", f.name, f.version))
        .unwrap_or_default())
}

pub(super) async fn item_dtos(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Vec<ItemDto>, AppError> {
    let items = campaign_item::Entity::find()
        .filter(campaign_item::Column::CampaignId.eq(id))
        .order_by_asc(campaign_item::Column::Position)
        .all(db)
        .await?;
    let competency_ids: Vec<Uuid> = items.iter().filter_map(|i| i.competency_id).collect();
    let names: HashMap<Uuid, String> = crate::entities::competency::Entity::find()
        .filter(crate::entities::competency::Column::Id.is_in(competency_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    Ok(items
        .into_iter()
        .map(|i| ItemDto {
            id: i.id,
            kind: i.kind,
            options: i
                .options
                .unwrap_or_default()
                .lines()
                .map(str::trim)
                .filter(|o| !o.is_empty())
                .map(str::to_owned)
                .collect(),
            competency: i.competency_id.and_then(|c| names.get(&c).cloned()),
            prompt: i.prompt,
            required: i.required,
        })
        .collect())
}

/// The active people a campaign is about, within what its owner may see (whoever
/// opens it: a trainer opening a manager's campaign does not widen it).
pub async fn resolve_audience(
    db: &impl ConnectionTrait,
    c: &campaign::Model,
) -> Result<Vec<person::Model>, AppError> {
    let entries = campaign_audience::Entity::find()
        .filter(campaign_audience::Column::CampaignId.eq(c.id))
        .all(db)
        .await?;
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    let pairs: Vec<(Uuid, Option<Uuid>)> = org_unit::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.parent_id))
        .collect();
    let mut units = HashSet::new();
    let mut positions = HashSet::new();
    let mut people = HashSet::new();
    for e in entries {
        match e.kind {
            AudienceKind::Unit => units.extend(tree::subtree(&pairs, e.target_id)),
            AudienceKind::Position => {
                positions.insert(e.target_id);
            }
            AudienceKind::Person => {
                people.insert(e.target_id);
            }
        }
    }
    let scope = Scope::of_person(db, c.owner_id).await?;
    let everyone = person::Entity::find()
        .filter(person::Column::Active.eq(true))
        .filter(scope.condition())
        .order_by_asc(person::Column::EmployeeNo)
        .all(db)
        .await?;
    Ok(everyone
        .into_iter()
        .filter(|p| {
            p.unit_id.is_some_and(|u| units.contains(&u))
                || p.position_id.is_some_and(|pos| positions.contains(&pos))
                || people.contains(&p.id)
        })
        .collect())
}
