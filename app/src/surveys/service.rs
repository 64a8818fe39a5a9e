//! Campaigns in the database. Each state allows only its own changes, checked here:
//! a draft is edited, an open campaign takes answers until its deadline, a closed
//! one changes no more.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use sea_orm::prelude::Expr;
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::{
    AudienceDto, AudienceKind, CampaignDetail, CampaignState, CampaignSummary, ItemDto, ItemKind,
    MyTasks, Nomination, NotificationDto, PeerMode, Progress, ProgressRow, RaterType, TaskForm,
    TaskStatus, TaskSummary,
};
use crate::audit;
use crate::auth::Role;
use crate::auth::guard::SessionUser;
use crate::competencies::service::get_framework;
use crate::entities::{
    campaign, campaign_audience, campaign_item, framework, item_answer, notification, org_unit,
    person, position, rating, survey_task,
};
use crate::error::{AppError, FieldError, Problem};
use crate::org::service::scope_of;
use crate::org::tree;
use crate::state::AppState;

const LOCAL_FORMAT: &str = "%Y-%m-%dT%H:%M";

fn local(state: &AppState, at: DateTime<Utc>, format: &str) -> String {
    at.with_timezone(&state.settings.timezone)
        .format(format)
        .to_string()
}

fn shown(state: &AppState, at: DateTime<Utc>) -> String {
    local(state, at, "%Y-%m-%d %H:%M")
}

/// Reads a `datetime-local` value in the office's time zone.
fn parse_local(state: &AppState, field: &str, value: &str) -> Result<DateTime<Utc>, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(FieldError::new(field, Problem::Required));
    }
    NaiveDateTime::parse_from_str(value, LOCAL_FORMAT)
        .ok()
        .and_then(|n| state.settings.timezone.from_local_datetime(&n).earliest())
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| {
            FieldError::new(
                field,
                Problem::Invalid {
                    value: value.to_owned(),
                },
            )
        })
}

fn parse_number<T: std::str::FromStr + PartialOrd + std::fmt::Display>(
    errors: &mut Vec<FieldError>,
    field: &str,
    value: &str,
    min: T,
    max: T,
) -> Option<T> {
    match value.trim().parse::<T>() {
        Ok(v) if v >= min && v <= max => Some(v),
        _ => {
            errors.push(FieldError::new(
                field,
                Problem::OutOfRange {
                    min: min.to_string(),
                    max: max.to_string(),
                },
            ));
            None
        }
    }
}

fn fail_if_any(errors: Vec<FieldError>) -> Result<(), AppError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

fn state_of(c: &campaign::Model) -> CampaignState {
    CampaignState::parse(&c.state).unwrap_or(CampaignState::Closed)
}

/// Answers are taken while open and before the deadline.
pub fn accepts_answers(c: &campaign::Model, now: DateTime<Utc>) -> bool {
    state_of(c) == CampaignState::Open && now >= c.opens_at && now < c.closes_at
}

/// Trainers and admins run every campaign; a manager runs their own.
fn can_manage(me: &SessionUser, c: &campaign::Model) -> bool {
    me.has_any(&[Role::Admin, Role::Trainer]) || c.owner_id == me.id
}

async fn find_campaign(
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

async fn find_draft(
    db: &impl ConnectionTrait,
    me: &SessionUser,
    id: Uuid,
) -> Result<campaign::Model, AppError> {
    let c = find_campaign(db, me, id).await?;
    if state_of(&c) == CampaignState::Draft {
        Ok(c)
    } else {
        Err(AppError::Conflict(Problem::NotDraft))
    }
}

async fn framework_label(db: &impl ConnectionTrait, id: Uuid) -> Result<String, AppError> {
    Ok(framework::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|f| format!("{} v{}", f.name, f.version))
        .unwrap_or_default())
}

pub async fn list_campaigns(
    state: &AppState,
    me: &SessionUser,
) -> Result<Vec<CampaignSummary>, AppError> {
    let db = &state.db;
    let mut select = campaign::Entity::find().order_by_desc(campaign::Column::OpensAt);
    if !me.has_any(&[Role::Admin, Role::Trainer]) {
        select = select.filter(campaign::Column::OwnerId.eq(me.id));
    }
    let campaigns = select.all(db).await?;
    let frameworks: HashMap<Uuid, String> = framework::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, format!("{} v{}", f.name, f.version)))
        .collect();
    let titles: HashMap<Uuid, String> = campaigns.iter().map(|c| (c.id, c.title.clone())).collect();
    let mut counts: HashMap<Uuid, (u64, u64)> = HashMap::new();
    let ids: Vec<Uuid> = campaigns.iter().map(|c| c.id).collect();
    let rows: Vec<(Uuid, String, i64)> = survey_task::Entity::find()
        .select_only()
        .column(survey_task::Column::CampaignId)
        .column(survey_task::Column::Status)
        .column_as(Expr::col(survey_task::Column::Id).count(), "n")
        .filter(survey_task::Column::CampaignId.is_in(ids))
        .group_by(survey_task::Column::CampaignId)
        .group_by(survey_task::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    for (cid, status, n) in rows {
        let e = counts.entry(cid).or_default();
        let n = u64::try_from(n).unwrap_or(0);
        e.0 += n;
        if status == TaskStatus::Submitted.as_str() {
            e.1 += n;
        }
    }
    Ok(campaigns
        .into_iter()
        .map(|c| {
            let (tasks, submitted) = counts.get(&c.id).copied().unwrap_or((0, 0));
            CampaignSummary {
                id: c.id,
                state: state_of(&c),
                framework: frameworks.get(&c.framework_id).cloned().unwrap_or_default(),
                opens_at: shown(state, c.opens_at),
                closes_at: shown(state, c.closes_at),
                tasks,
                submitted,
                follow_up_of: c.follow_up_of.and_then(|f| titles.get(&f).cloned()),
                title: c.title,
            }
        })
        .collect())
}

pub async fn options(
    state: &AppState,
    me: &SessionUser,
    framework: Option<Uuid>,
) -> Result<super::CampaignChoices, AppError> {
    let db = &state.db;
    let all_units = org_unit::Entity::find()
        .filter(org_unit::Column::Active.eq(true))
        .all(db)
        .await?;
    let scope = crate::org::service::scope_with_units(me, &all_units);
    let visible: Vec<org_unit::Model> = all_units
        .into_iter()
        .filter(|u| scope.sees_unit(Some(u.id)))
        .collect();
    let units = tree::ordered(visible, |u| u.id, |u| u.parent_id, |u| u.name.clone())
        .into_iter()
        .map(|(depth, u)| (u.id, u.name, depth))
        .collect();
    let positions = position::Entity::find()
        .filter(position::Column::Active.eq(true))
        .order_by_asc(position::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let competencies = match framework {
        Some(id) => get_framework(db, id)
            .await?
            .active_competencies()
            .map(|c| (c.id, c.name.clone()))
            .collect(),
        None => Vec::new(),
    };
    Ok(super::CampaignChoices {
        frameworks: crate::competencies::service::list_frameworks(db).await?,
        campaigns: list_campaigns(state, me)
            .await?
            .into_iter()
            .map(|c| (c.id, c.title))
            .collect(),
        units,
        positions,
        competencies,
    })
}

pub async fn get_campaign(
    state: &AppState,
    me: &SessionUser,
    id: Uuid,
) -> Result<CampaignDetail, AppError> {
    let db = &state.db;
    let c = find_campaign(db, me, id).await?;
    let audience = audience_dtos(db, id).await?;
    let items = item_dtos(db, id).await?;
    let people = u64::try_from(resolve_audience(db, &c, me).await?.len()).unwrap_or(0);
    let follow_up_title = match c.follow_up_of {
        Some(f) => campaign::Entity::find_by_id(f)
            .one(db)
            .await?
            .map(|p| p.title),
        None => None,
    };
    Ok(CampaignDetail {
        id,
        framework: framework_label(db, c.framework_id).await?,
        state: state_of(&c),
        framework_id: c.framework_id,
        opens_at: local(state, c.opens_at, LOCAL_FORMAT),
        closes_at: local(state, c.closes_at, LOCAL_FORMAT),
        include_self: c.include_self,
        include_manager: c.include_manager,
        peer_mode: PeerMode::parse(&c.peer_mode).unwrap_or(PeerMode::None),
        peers_per_person: c.peers_per_person,
        anonymity_threshold: c.anonymity_threshold,
        instructions: c.instructions.clone().unwrap_or_default(),
        weight_self: c.weight_self,
        weight_manager: c.weight_manager,
        weight_peers: c.weight_peers,
        discrepancy_threshold: c.discrepancy_threshold,
        follow_up_of: c.follow_up_of,
        follow_up_title,
        audience,
        items,
        people,
        can_manage: true,
        title: c.title,
    })
}

async fn audience_dtos(db: &impl ConnectionTrait, id: Uuid) -> Result<Vec<AudienceDto>, AppError> {
    let entries = campaign_audience::Entity::find()
        .filter(campaign_audience::Column::CampaignId.eq(id))
        .all(db)
        .await?;
    let mut out = Vec::new();
    for e in entries {
        let Some(kind) = AudienceKind::parse(&e.kind) else {
            continue;
        };
        let name = match kind {
            AudienceKind::Unit => org_unit::Entity::find_by_id(e.target_id)
                .one(db)
                .await?
                .map(|u| u.name),
            AudienceKind::Position => position::Entity::find_by_id(e.target_id)
                .one(db)
                .await?
                .map(|p| p.name),
            AudienceKind::Person => person::Entity::find_by_id(e.target_id)
                .one(db)
                .await?
                .map(|p| format!("{} ({})", p.name, p.employee_no)),
        };
        out.push(AudienceDto {
            id: e.id,
            kind,
            name: name.unwrap_or_default(),
        });
    }
    Ok(out)
}

async fn item_dtos(db: &impl ConnectionTrait, id: Uuid) -> Result<Vec<ItemDto>, AppError> {
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
            kind: ItemKind::parse(&i.kind).unwrap_or(ItemKind::Text),
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

/// The active people a campaign is about, within what the opener may see.
pub async fn resolve_audience(
    db: &impl ConnectionTrait,
    c: &campaign::Model,
    me: &SessionUser,
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
        match AudienceKind::parse(&e.kind) {
            Some(AudienceKind::Unit) => units.extend(tree::subtree(&pairs, e.target_id)),
            Some(AudienceKind::Position) => {
                positions.insert(e.target_id);
            }
            Some(AudienceKind::Person) => {
                people.insert(e.target_id);
            }
            None => {}
        }
    }
    let scope = scope_of(db, me).await?;
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

/// The campaign form as typed; validated by [`save_campaign`].
#[derive(Debug, Clone)]
pub struct CampaignForm {
    pub id: Option<Uuid>,
    pub title: String,
    pub framework_id: String,
    pub opens_at: String,
    pub closes_at: String,
    pub include_self: bool,
    pub include_manager: bool,
    pub peer_mode: String,
    pub peers_per_person: String,
    pub anonymity_threshold: String,
    pub instructions: String,
    pub weight_self: String,
    pub weight_manager: String,
    pub weight_peers: String,
    pub discrepancy_threshold: String,
    pub follow_up_of: String,
}

pub async fn save_campaign(
    state: &AppState,
    me: &SessionUser,
    form: CampaignForm,
) -> Result<Uuid, AppError> {
    let db = &state.db;
    let mut errors = Vec::new();
    let title = form.title.trim().to_owned();
    if title.is_empty() {
        errors.push(FieldError::new("title", Problem::Required));
    } else if title.chars().count() > 200 {
        errors.push(FieldError::new("title", Problem::TooLong { max: 200 }));
    }
    let framework = match crate::org::parse_id("framework_id", Some(&form.framework_id)) {
        Ok(Some(id)) => framework::Entity::find_by_id(id).one(db).await?,
        _ => None,
    };
    if framework.is_none() {
        errors.push(FieldError::new("framework_id", Problem::Required));
    }
    let opens = parse_local(state, "opens_at", &form.opens_at)
        .map_err(|e| errors.push(e))
        .ok();
    let closes = parse_local(state, "closes_at", &form.closes_at)
        .map_err(|e| errors.push(e))
        .ok();
    if let (Some(o), Some(c)) = (opens, closes)
        && c <= o
    {
        errors.push(FieldError::new("closes_at", Problem::DateOrder));
    }
    let peer_mode = PeerMode::parse(&form.peer_mode).unwrap_or(PeerMode::None);
    let peers = parse_number(
        &mut errors,
        "peers_per_person",
        &form.peers_per_person,
        0,
        10,
    );
    let threshold = parse_number(
        &mut errors,
        "anonymity_threshold",
        &form.anonymity_threshold,
        1,
        10,
    );
    let w_self = parse_number(&mut errors, "weight_self", &form.weight_self, 0.0, 1.0);
    let w_manager = parse_number(
        &mut errors,
        "weight_manager",
        &form.weight_manager,
        0.0,
        1.0,
    );
    let w_peers = parse_number(&mut errors, "weight_peers", &form.weight_peers, 0.0, 1.0);
    if let (Some(a), Some(b), Some(c)) = (w_self, w_manager, w_peers)
        && a + b + c <= 0.0
    {
        errors.push(FieldError::new(
            "weight_manager",
            Problem::OutOfRange {
                min: "0.1".into(),
                max: "1".into(),
            },
        ));
    }
    let discrepancy = parse_number(
        &mut errors,
        "discrepancy_threshold",
        &form.discrepancy_threshold,
        0.5,
        4.0,
    );
    if !form.include_self && !form.include_manager && peer_mode == PeerMode::None {
        errors.push(FieldError::new("include_self", Problem::Required));
    }
    let follow_up_of = match crate::org::parse_id("follow_up_of", Some(&form.follow_up_of)) {
        Ok(Some(id)) if Some(id) != form.id => {
            match campaign::Entity::find_by_id(id).one(db).await? {
                Some(p) => Some(p.id),
                None => {
                    errors.push(FieldError::new(
                        "follow_up_of",
                        Problem::Unknown {
                            value: id.to_string(),
                        },
                    ));
                    None
                }
            }
        }
        Ok(_) => None,
        Err(_) => {
            errors.push(FieldError::new(
                "follow_up_of",
                Problem::Invalid {
                    value: form.follow_up_of.clone(),
                },
            ));
            None
        }
    };
    fail_if_any(errors)?;
    let (
        Some(framework),
        Some(opens),
        Some(closes),
        Some(peers),
        Some(threshold),
        Some(w_self),
        Some(w_manager),
        Some(w_peers),
        Some(discrepancy),
    ) = (
        framework,
        opens,
        closes,
        peers,
        threshold,
        w_self,
        w_manager,
        w_peers,
        discrepancy,
    )
    else {
        return Err(AppError::internal("validated campaign form lost a value"));
    };
    let instructions = Some(form.instructions.trim().to_owned()).filter(|i| !i.is_empty());
    let after = json!({ "title": title, "framework": framework.id, "opens_at": opens,
        "closes_at": closes, "peer_mode": peer_mode.as_str(), "peers": peers,
        "weights": [w_self, w_manager, w_peers] });
    let txn = db.begin().await?;
    let id = match form.id {
        Some(id) => {
            let c = find_draft(&txn, me, id).await?;
            let mut am: campaign::ActiveModel = c.into();
            am.title = Set(title);
            am.framework_id = Set(framework.id);
            am.opens_at = Set(opens);
            am.closes_at = Set(closes);
            am.include_self = Set(form.include_self);
            am.include_manager = Set(form.include_manager);
            am.peer_mode = Set(peer_mode.as_str().to_owned());
            am.peers_per_person = Set(peers);
            am.anonymity_threshold = Set(threshold);
            am.instructions = Set(instructions);
            am.weight_self = Set(w_self);
            am.weight_manager = Set(w_manager);
            am.weight_peers = Set(w_peers);
            am.discrepancy_threshold = Set(discrepancy);
            am.follow_up_of = Set(follow_up_of);
            am.update(&txn).await?;
            audit::record(
                &txn,
                Some(me.id),
                "campaign.update",
                "campaign",
                Some(id),
                None,
                Some(after),
            )
            .await?;
            id
        }
        None => {
            let id = Uuid::new_v4();
            campaign::ActiveModel {
                id: Set(id),
                title: Set(title),
                framework_id: Set(framework.id),
                state: Set(CampaignState::Draft.as_str().to_owned()),
                opens_at: Set(opens),
                closes_at: Set(closes),
                include_self: Set(form.include_self),
                include_manager: Set(form.include_manager),
                peer_mode: Set(peer_mode.as_str().to_owned()),
                peers_per_person: Set(peers),
                anonymity_threshold: Set(threshold),
                instructions: Set(instructions),
                weight_self: Set(w_self),
                weight_manager: Set(w_manager),
                weight_peers: Set(w_peers),
                discrepancy_threshold: Set(discrepancy),
                follow_up_of: Set(follow_up_of),
                owner_id: Set(me.id),
                created_at: Set(Utc::now()),
                opened_at: Set(None),
                closed_at: Set(None),
            }
            .insert(&txn)
            .await?;
            audit::record(
                &txn,
                Some(me.id),
                "campaign.create",
                "campaign",
                Some(id),
                None,
                Some(after),
            )
            .await?;
            id
        }
    };
    txn.commit().await?;
    Ok(id)
}

pub async fn add_audience(
    state: &AppState,
    me: &SessionUser,
    campaign_id: Uuid,
    kind: &str,
    target_id: &str,
    employee_no: &str,
) -> Result<(), AppError> {
    let db = &state.db;
    let c = find_draft(db, me, campaign_id).await?;
    let kind =
        AudienceKind::parse(kind).ok_or_else(|| AppError::field("kind", Problem::Required))?;
    let scope = scope_of(db, me).await?;
    let target = match kind {
        AudienceKind::Person => {
            let p = person::Entity::find()
                .filter(person::Column::EmployeeNo.eq(employee_no.trim()))
                .filter(scope.condition())
                .one(db)
                .await?
                .ok_or_else(|| {
                    let problem = if employee_no.trim().is_empty() {
                        Problem::Required
                    } else {
                        Problem::Unknown {
                            value: employee_no.trim().to_owned(),
                        }
                    };
                    AppError::field("employee_no", problem)
                })?;
            p.id
        }
        AudienceKind::Unit => {
            let id = crate::org::parse_id("target_id", Some(target_id))?
                .ok_or_else(|| AppError::field("target_id", Problem::Required))?;
            let unit = org_unit::Entity::find_by_id(id).one(db).await?;
            if unit.is_none() || !scope.sees_unit(Some(id)) {
                return Err(AppError::field(
                    "target_id",
                    Problem::Unknown {
                        value: target_id.to_owned(),
                    },
                ));
            }
            id
        }
        AudienceKind::Position => {
            let id = crate::org::parse_id("target_id", Some(target_id))?
                .ok_or_else(|| AppError::field("target_id", Problem::Required))?;
            position::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or_else(|| {
                    AppError::field(
                        "target_id",
                        Problem::Unknown {
                            value: target_id.to_owned(),
                        },
                    )
                })?;
            id
        }
    };
    let exists = campaign_audience::Entity::find()
        .filter(campaign_audience::Column::CampaignId.eq(c.id))
        .filter(campaign_audience::Column::Kind.eq(kind.as_str()))
        .filter(campaign_audience::Column::TargetId.eq(target))
        .count(db)
        .await?
        > 0;
    if exists {
        return Ok(());
    }
    let txn = db.begin().await?;
    campaign_audience::ActiveModel {
        id: Set(Uuid::new_v4()),
        campaign_id: Set(c.id),
        kind: Set(kind.as_str().to_owned()),
        target_id: Set(target),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Some(me.id),
        "campaign.audience.add",
        "campaign",
        Some(c.id),
        None,
        Some(json!({ "kind": kind.as_str(), "target": target })),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn remove_audience(
    state: &AppState,
    me: &SessionUser,
    campaign_id: Uuid,
    entry: Uuid,
) -> Result<(), AppError> {
    let txn = state.db.begin().await?;
    find_draft(&txn, me, campaign_id).await?;
    let removed = campaign_audience::Entity::delete_many()
        .filter(campaign_audience::Column::CampaignId.eq(campaign_id))
        .filter(campaign_audience::Column::Id.eq(entry))
        .exec(&txn)
        .await?;
    if removed.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    audit::record(
        &txn,
        Some(me.id),
        "campaign.audience.remove",
        "campaign",
        Some(campaign_id),
        Some(json!({ "entry": entry })),
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct ItemInput {
    pub kind: String,
    pub prompt: String,
    pub options: String,
    pub competency_id: Option<Uuid>,
    pub required: bool,
}

pub async fn add_item(
    state: &AppState,
    me: &SessionUser,
    campaign_id: Uuid,
    input: ItemInput,
) -> Result<(), AppError> {
    let db = &state.db;
    let c = find_draft(db, me, campaign_id).await?;
    let mut errors = Vec::new();
    let kind = ItemKind::parse(&input.kind);
    if kind.is_none() {
        errors.push(FieldError::new("kind", Problem::Required));
    }
    if input.prompt.is_empty() {
        errors.push(FieldError::new("prompt", Problem::Required));
    } else if input.prompt.chars().count() > 1000 {
        errors.push(FieldError::new("prompt", Problem::TooLong { max: 1000 }));
    }
    let options: Vec<&str> = input
        .options
        .lines()
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .collect();
    if kind == Some(ItemKind::Choice) && options.len() < 2 {
        errors.push(FieldError::new("options", Problem::TooShort { min: 2 }));
    }
    if let Some(cid) = input.competency_id {
        let ok = crate::entities::competency::Entity::find_by_id(cid)
            .filter(crate::entities::competency::Column::FrameworkId.eq(c.framework_id))
            .count(db)
            .await?
            > 0;
        if !ok {
            errors.push(FieldError::new(
                "competency_id",
                Problem::Unknown {
                    value: cid.to_string(),
                },
            ));
        }
    }
    fail_if_any(errors)?;
    let kind = kind.unwrap_or(ItemKind::Text);
    let txn = db.begin().await?;
    let position = campaign_item::Entity::find()
        .filter(campaign_item::Column::CampaignId.eq(c.id))
        .count(&txn)
        .await?;
    campaign_item::ActiveModel {
        id: Set(Uuid::new_v4()),
        campaign_id: Set(c.id),
        position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
        kind: Set(kind.as_str().to_owned()),
        prompt: Set(input.prompt.clone()),
        options: Set((kind == ItemKind::Choice).then(|| options.join("\n"))),
        competency_id: Set(input.competency_id),
        required: Set(input.required),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Some(me.id),
        "campaign.item.add",
        "campaign",
        Some(c.id),
        None,
        Some(json!({ "kind": kind.as_str(), "prompt": input.prompt })),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn remove_item(
    state: &AppState,
    me: &SessionUser,
    campaign_id: Uuid,
    id: Uuid,
) -> Result<(), AppError> {
    let txn = state.db.begin().await?;
    find_draft(&txn, me, campaign_id).await?;
    let removed = campaign_item::Entity::delete_many()
        .filter(campaign_item::Column::CampaignId.eq(campaign_id))
        .filter(campaign_item::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    if removed.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    audit::record(
        &txn,
        Some(me.id),
        "campaign.item.remove",
        "campaign",
        Some(campaign_id),
        Some(json!({ "item": id })),
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A stable pseudo-random order, so auto-picked peers do not change between runs.
fn shuffle_key(campaign: Uuid, subject: Uuid, candidate: Uuid) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (campaign, subject, candidate).hash(&mut h);
    h.finish()
}

/// Who rates whom: (subject, rater, type), for an opening campaign.
pub fn plan_tasks(
    c: &campaign::Model,
    subjects: &[person::Model],
    everyone: &[person::Model],
) -> Vec<(Uuid, Uuid, RaterType)> {
    let mut tasks = Vec::new();
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
        if PeerMode::parse(&c.peer_mode) == Some(PeerMode::Auto) && c.peers_per_person > 0 {
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
            candidates.sort_by_key(|p| shuffle_key(c.id, s.id, p.id));
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

async fn insert_task(
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
        rater_type: Set(rater_type.as_str().to_owned()),
        status: Set(TaskStatus::Pending.as_str().to_owned()),
        updated_at: Set(Utc::now()),
        submitted_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

async fn notify(
    db: &impl ConnectionTrait,
    people: impl IntoIterator<Item = Uuid>,
    kind: &str,
    campaign_id: Uuid,
) -> Result<u64, AppError> {
    let now = Utc::now();
    let mut n = 0;
    for person_id in people {
        notification::ActiveModel {
            id: Set(Uuid::new_v4()),
            person_id: Set(person_id),
            kind: Set(kind.to_owned()),
            campaign_id: Set(Some(campaign_id)),
            created_at: Set(now),
            read_at: Set(None),
        }
        .insert(db)
        .await?;
        n += 1;
    }
    Ok(n)
}

pub async fn set_state(
    state: &AppState,
    me: &SessionUser,
    id: Uuid,
    to: CampaignState,
) -> Result<(), AppError> {
    let txn = state.db.begin().await?;
    let c = find_campaign(&txn, me, id).await?;
    let from = state_of(&c);
    match (from, to) {
        (CampaignState::Draft, CampaignState::Open) => {
            let subjects = resolve_audience(&txn, &c, me).await?;
            if subjects.is_empty() {
                return Err(AppError::field("audience", Problem::Empty));
            }
            let everyone = person::Entity::find().all(&txn).await?;
            let plan = plan_tasks(&c, &subjects, &everyone);
            let raters: HashSet<Uuid> = plan.iter().map(|(_, r, _)| *r).collect();
            for (subject, rater, kind) in &plan {
                insert_task(&txn, c.id, *subject, *rater, *kind).await?;
            }
            if PeerMode::parse(&c.peer_mode) == Some(PeerMode::Nominate) {
                // People are asked to nominate; tell them too.
                let mut all = raters.clone();
                all.extend(subjects.iter().map(|s| s.id));
                notify(&txn, all, "campaign_opened", c.id).await?;
            } else {
                notify(&txn, raters, "campaign_opened", c.id).await?;
            }
            let mut am: campaign::ActiveModel = c.into();
            am.state = Set(CampaignState::Open.as_str().to_owned());
            am.opened_at = Set(Some(Utc::now()));
            am.update(&txn).await?;
            audit::record(
                &txn,
                Some(me.id),
                "campaign.open",
                "campaign",
                Some(id),
                Some(json!({ "state": "draft" })),
                Some(json!({ "state": "open", "subjects": subjects.len(), "tasks": plan.len() })),
            )
            .await?;
        }
        (CampaignState::Open, CampaignState::Closed) => {
            let mut am: campaign::ActiveModel = c.into();
            am.state = Set(CampaignState::Closed.as_str().to_owned());
            am.closed_at = Set(Some(Utc::now()));
            am.update(&txn).await?;
            audit::record(
                &txn,
                Some(me.id),
                "campaign.close",
                "campaign",
                Some(id),
                Some(json!({ "state": "open" })),
                Some(json!({ "state": "closed" })),
            )
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

pub async fn progress(state: &AppState, me: &SessionUser, id: Uuid) -> Result<Progress, AppError> {
    let db = &state.db;
    find_campaign(db, me, id).await?;
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
    let mut by_unit: HashMap<String, ProgressRow> = HashMap::new();
    let mut by_rater: HashMap<RaterType, ProgressRow> = HashMap::new();
    let mut overall = ProgressRow {
        label: String::new(),
        total: 0,
        submitted: 0,
    };
    let mut pending_raters = HashSet::new();
    for t in &tasks {
        let done = t.status == TaskStatus::Submitted.as_str();
        if !done {
            pending_raters.insert(t.rater_id);
        }
        let unit = unit_of
            .get(&t.subject_id)
            .copied()
            .flatten()
            .and_then(|u| unit_names.get(&u).cloned())
            .unwrap_or_else(|| "—".to_owned());
        let rater = RaterType::parse(&t.rater_type).unwrap_or(RaterType::Peer);
        for row in [
            by_unit.entry(unit.clone()).or_insert_with(|| ProgressRow {
                label: unit,
                total: 0,
                submitted: 0,
            }),
            by_rater.entry(rater).or_insert_with(|| ProgressRow {
                label: rater.as_str().to_owned(),
                total: 0,
                submitted: 0,
            }),
            &mut overall,
        ] {
            row.total += 1;
            row.submitted += u64::from(done);
        }
    }
    let mut by_unit: Vec<ProgressRow> = by_unit.into_values().collect();
    by_unit.sort_by(|a, b| a.label.cmp(&b.label));
    let by_rater = RaterType::ALL
        .iter()
        .filter_map(|r| by_rater.remove(r).map(|row| (*r, row)))
        .collect();
    Ok(Progress {
        overall,
        by_unit,
        by_rater,
        pending_raters: u64::try_from(pending_raters.len()).unwrap_or(0),
    })
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
        .filter(survey_task::Column::Status.ne(TaskStatus::Submitted.as_str()))
        .all(&txn)
        .await?
        .into_iter()
        .map(|t| t.rater_id)
        .collect();
    let sent = notify(&txn, raters, "reminder", id).await?;
    audit::record(
        &txn,
        Some(me.id),
        "campaign.remind",
        "campaign",
        Some(id),
        None,
        Some(json!({ "sent": sent })),
    )
    .await?;
    txn.commit().await?;
    Ok(sent)
}

pub async fn my_tasks(state: &AppState, me: &SessionUser) -> Result<MyTasks, AppError> {
    let db = &state.db;
    let tasks = survey_task::Entity::find()
        .filter(survey_task::Column::RaterId.eq(me.id))
        .all(db)
        .await?;
    let campaign_ids: HashSet<Uuid> = tasks.iter().map(|t| t.campaign_id).collect();
    let now = Utc::now();
    let open_nominations = campaign::Entity::find()
        .filter(campaign::Column::State.eq(CampaignState::Open.as_str()))
        .filter(campaign::Column::PeerMode.eq(PeerMode::Nominate.as_str()))
        .all(db)
        .await?;
    let mut ids: HashSet<Uuid> = campaign_ids.clone();
    ids.extend(open_nominations.iter().map(|c| c.id));
    let campaigns: HashMap<Uuid, campaign::Model> = campaign::Entity::find()
        .filter(campaign::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let names: HashMap<Uuid, String> = person::Entity::find()
        .filter(person::Column::Id.is_in(tasks.iter().map(|t| t.subject_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let mut out: Vec<TaskSummary> = tasks
        .iter()
        .filter_map(|t| {
            let c = campaigns.get(&t.campaign_id)?;
            if state_of(c) == CampaignState::Draft {
                return None;
            }
            Some(TaskSummary {
                id: t.id,
                campaign: c.title.clone(),
                subject: names.get(&t.subject_id).cloned().unwrap_or_default(),
                rater_type: RaterType::parse(&t.rater_type).unwrap_or(RaterType::Peer),
                status: TaskStatus::parse(&t.status).unwrap_or(TaskStatus::Pending),
                closes_at: shown(state, c.closes_at),
                open: accepts_answers(c, now),
            })
        })
        .collect();
    // Unfinished open work first, then by campaign, self-assessment first.
    out.sort_by_key(|t| {
        (
            !(t.open && t.status != TaskStatus::Submitted),
            t.campaign.clone(),
            t.rater_type != RaterType::SelfRating,
            t.subject.clone(),
        )
    });
    let mut nominations = Vec::new();
    for c in open_nominations {
        // Only the people the campaign is about nominate: they have a self task or
        // someone rates them.
        let mine = survey_task::Entity::find()
            .filter(survey_task::Column::CampaignId.eq(c.id))
            .filter(survey_task::Column::SubjectId.eq(me.id))
            .all(db)
            .await?;
        if mine.is_empty() || !accepts_answers(&c, now) {
            continue;
        }
        let peer_ids: Vec<Uuid> = mine
            .iter()
            .filter(|t| t.rater_type == RaterType::Peer.as_str())
            .map(|t| t.rater_id)
            .collect();
        let chosen = person::Entity::find()
            .filter(person::Column::Id.is_in(peer_ids))
            .order_by_asc(person::Column::NameKey)
            .all(db)
            .await?
            .into_iter()
            .map(|p| format!("{} ({})", p.name, p.employee_no))
            .collect();
        nominations.push(Nomination {
            campaign_id: c.id,
            campaign: c.title,
            wanted: c.peers_per_person,
            chosen,
        });
    }
    Ok(MyTasks {
        tasks: out,
        nominations,
    })
}

pub async fn nominate(
    state: &AppState,
    me: &SessionUser,
    campaign_id: Uuid,
    employee_no: &str,
) -> Result<(), AppError> {
    let txn = state.db.begin().await?;
    let c = campaign::Entity::find_by_id(campaign_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if PeerMode::parse(&c.peer_mode) != Some(PeerMode::Nominate) {
        return Err(AppError::NotFound);
    }
    if !accepts_answers(&c, Utc::now()) {
        return Err(AppError::Conflict(Problem::NotOpen));
    }
    let mine = survey_task::Entity::find()
        .filter(survey_task::Column::CampaignId.eq(c.id))
        .filter(survey_task::Column::SubjectId.eq(me.id))
        .all(&txn)
        .await?;
    if mine.is_empty() {
        return Err(AppError::Forbidden);
    }
    let peers = mine
        .iter()
        .filter(|t| t.rater_type == RaterType::Peer.as_str())
        .count();
    let max = usize::try_from(c.peers_per_person).unwrap_or(0);
    if peers >= max {
        return Err(AppError::field("employee_no", Problem::Limit { max }));
    }
    let peer = person::Entity::find()
        .filter(person::Column::EmployeeNo.eq(employee_no))
        .filter(person::Column::Active.eq(true))
        .one(&txn)
        .await?
        .filter(|p| p.id != me.id)
        .ok_or_else(|| {
            AppError::field(
                "employee_no",
                if employee_no.is_empty() {
                    Problem::Required
                } else {
                    Problem::Unknown {
                        value: employee_no.to_owned(),
                    }
                },
            )
        })?;
    if mine.iter().any(|t| t.rater_id == peer.id) {
        return Err(AppError::field(
            "employee_no",
            Problem::Duplicate {
                value: employee_no.to_owned(),
            },
        ));
    }
    insert_task(&txn, c.id, me.id, peer.id, RaterType::Peer).await?;
    notify(&txn, [peer.id], "peer_nominated", c.id).await?;
    audit::record(
        &txn,
        Some(me.id),
        "campaign.nominate",
        "campaign",
        Some(c.id),
        None,
        Some(json!({ "peer": peer.employee_no })),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A task, only ever for its own rater: nobody reads another rater's answers.
async fn own_task(
    db: &impl ConnectionTrait,
    me: &SessionUser,
    id: Uuid,
) -> Result<(survey_task::Model, campaign::Model), AppError> {
    let task = survey_task::Entity::find_by_id(id)
        .filter(survey_task::Column::RaterId.eq(me.id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let c = campaign::Entity::find_by_id(task.campaign_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if state_of(&c) == CampaignState::Draft {
        return Err(AppError::NotFound);
    }
    Ok((task, c))
}

pub async fn get_task(state: &AppState, me: &SessionUser, id: Uuid) -> Result<TaskForm, AppError> {
    let db = &state.db;
    let (task, c) = own_task(db, me, id).await?;
    let framework = get_framework(db, c.framework_id).await?;
    let subject = person::Entity::find_by_id(task.subject_id)
        .one(db)
        .await?
        .map(|p| p.name)
        .unwrap_or_default();
    let ratings = rating::Entity::find()
        .filter(rating::Column::TaskId.eq(task.id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.competency_id, u8::try_from(r.level).unwrap_or(0)))
        .collect();
    let answers = item_answer::Entity::find()
        .filter(item_answer::Column::TaskId.eq(task.id))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.item_id, a.value))
        .collect();
    let status = TaskStatus::parse(&task.status).unwrap_or(TaskStatus::Pending);
    Ok(TaskForm {
        id: task.id,
        campaign: c.title.clone(),
        instructions: c.instructions.clone().unwrap_or_default(),
        subject,
        rater_type: RaterType::parse(&task.rater_type).unwrap_or(RaterType::Peer),
        status,
        editable: status != TaskStatus::Submitted && accepts_answers(&c, Utc::now()),
        closes_at: shown(state, c.closes_at),
        domains: framework
            .domains
            .into_iter()
            .filter(|d| !d.archived)
            .map(|d| {
                (
                    d.name,
                    d.competencies.into_iter().filter(|c| !c.archived).collect(),
                )
            })
            .filter(|(_, cs): &(String, Vec<_>)| !cs.is_empty())
            .collect(),
        items: item_dtos(db, c.id).await?,
        ratings,
        answers,
    })
}

/// Valid answers: (competency, level) ratings and (item, value) answers.
pub type CheckedAnswers = (Vec<(Uuid, i32)>, Vec<(Uuid, String)>);

/// Checks the answers; on submit, everything required must be there.
pub fn check_answers(
    competencies: &[Uuid],
    items: &[ItemDto],
    ratings: &HashMap<String, String>,
    answers: &HashMap<String, String>,
    submit: bool,
) -> Result<CheckedAnswers, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut levels = Vec::new();
    for c in competencies {
        let key = super::answer_key(*c);
        let field = format!("rating[{key}]");
        match ratings
            .get(&key)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
        {
            None if submit => errors.push(FieldError::new(field, Problem::Required)),
            None => {}
            Some(v) => match v.parse::<i32>() {
                Ok(l @ 1..=5) => levels.push((*c, l)),
                _ => errors.push(FieldError::new(
                    field,
                    Problem::OutOfRange {
                        min: "1".into(),
                        max: "5".into(),
                    },
                )),
            },
        }
    }
    let mut values = Vec::new();
    for item in items {
        let key = super::answer_key(item.id);
        let field = format!("item[{key}]");
        match answers
            .get(&key)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
        {
            None if submit && item.required => {
                errors.push(FieldError::new(field, Problem::Required));
            }
            None => {}
            Some(v) => {
                let ok = match item.kind {
                    ItemKind::Likert => matches!(v.parse::<u8>(), Ok(1..=5)),
                    ItemKind::Choice => item.options.iter().any(|o| o == v),
                    ItemKind::Text => v.chars().count() <= 4000,
                };
                if ok {
                    values.push((item.id, v.to_owned()));
                } else {
                    errors.push(FieldError::new(
                        field,
                        Problem::Invalid {
                            value: v.chars().take(40).collect(),
                        },
                    ));
                }
            }
        }
    }
    if errors.is_empty() {
        Ok((levels, values))
    } else {
        Err(errors)
    }
}

pub async fn answer(
    state: &AppState,
    me: &SessionUser,
    id: Uuid,
    submit: bool,
    ratings: &HashMap<String, String>,
    answers: &HashMap<String, String>,
) -> Result<(), AppError> {
    let txn = state.db.begin().await?;
    let (task, c) = own_task(&txn, me, id).await?;
    if task.status == TaskStatus::Submitted.as_str() {
        return Err(AppError::Conflict(Problem::AlreadySubmitted));
    }
    if !accepts_answers(&c, Utc::now()) {
        return Err(AppError::Conflict(Problem::NotOpen));
    }
    let framework = get_framework(&txn, c.framework_id).await?;
    let competencies: Vec<Uuid> = framework.active_competencies().map(|c| c.id).collect();
    let items = item_dtos(&txn, c.id).await?;
    let (levels, values) = check_answers(&competencies, &items, ratings, answers, submit)
        .map_err(AppError::Validation)?;
    rating::Entity::delete_many()
        .filter(rating::Column::TaskId.eq(task.id))
        .exec(&txn)
        .await?;
    item_answer::Entity::delete_many()
        .filter(item_answer::Column::TaskId.eq(task.id))
        .exec(&txn)
        .await?;
    for (competency_id, level) in &levels {
        rating::ActiveModel {
            id: Set(Uuid::new_v4()),
            task_id: Set(task.id),
            competency_id: Set(*competency_id),
            level: Set(*level),
        }
        .insert(&txn)
        .await?;
    }
    for (item_id, value) in values {
        item_answer::ActiveModel {
            id: Set(Uuid::new_v4()),
            task_id: Set(task.id),
            item_id: Set(item_id),
            value: Set(value),
        }
        .insert(&txn)
        .await?;
    }
    let now = Utc::now();
    let status = if submit {
        TaskStatus::Submitted
    } else {
        TaskStatus::Draft
    };
    // Guarded on the status, so two submits racing change the task once.
    let updated = survey_task::Entity::update_many()
        .col_expr(survey_task::Column::Status, Expr::value(status.as_str()))
        .col_expr(survey_task::Column::UpdatedAt, Expr::value(now))
        .col_expr(
            survey_task::Column::SubmittedAt,
            Expr::value(submit.then_some(now)),
        )
        .filter(survey_task::Column::Id.eq(task.id))
        .filter(survey_task::Column::Status.ne(TaskStatus::Submitted.as_str()))
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(AppError::Conflict(Problem::AlreadySubmitted));
    }
    if submit {
        // Ratings are audited as a whole on submission; drafts are the rater's own.
        audit::record(
            &txn,
            Some(me.id),
            "rating.submit",
            "survey_task",
            Some(task.id),
            None,
            Some(json!({ "campaign": c.id, "subject": task.subject_id,
                "rater_type": task.rater_type, "ratings": levels.len() })),
        )
        .await?;
        crate::gaps::service::recompute_subject(&txn, &c, task.subject_id).await?;
    }
    txn.commit().await?;
    Ok(())
}

pub async fn notifications(
    state: &AppState,
    me: &SessionUser,
) -> Result<Vec<NotificationDto>, AppError> {
    let db = &state.db;
    let rows = notification::Entity::find()
        .filter(notification::Column::PersonId.eq(me.id))
        .order_by_desc(notification::Column::CreatedAt)
        .limit(100)
        .all(db)
        .await?;
    let ids: Vec<Uuid> = rows.iter().filter_map(|n| n.campaign_id).collect();
    let titles: HashMap<Uuid, String> = campaign::Entity::find()
        .filter(campaign::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.title))
        .collect();
    Ok(rows
        .into_iter()
        .map(|n| NotificationDto {
            id: n.id,
            campaign: n.campaign_id.and_then(|c| titles.get(&c).cloned()),
            campaign_id: n.campaign_id,
            at: shown(state, n.created_at),
            read: n.read_at.is_some(),
            kind: n.kind,
        })
        .collect())
}

pub async fn unread_count(db: &impl ConnectionTrait, person: Uuid) -> Result<u64, AppError> {
    Ok(notification::Entity::find()
        .filter(notification::Column::PersonId.eq(person))
        .filter(notification::Column::ReadAt.is_null())
        .count(db)
        .await?)
}

pub async fn mark_read(db: &impl ConnectionTrait, person: Uuid) -> Result<(), AppError> {
    notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Expr::value(Some(Utc::now())))
        .filter(notification::Column::PersonId.eq(person))
        .filter(notification::Column::ReadAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surveys::answer_key;

    fn item(kind: ItemKind, required: bool) -> ItemDto {
        ItemDto {
            id: Uuid::new_v4(),
            kind,
            prompt: "q".into(),
            options: vec!["A".into(), "B".into()],
            competency: None,
            required,
        }
    }

    #[test]
    fn drafts_may_be_partial_submissions_may_not() {
        let (c1, c2) = (Uuid::new_v4(), Uuid::new_v4());
        let text = item(ItemKind::Text, true);
        let ratings: HashMap<String, String> =
            [(answer_key(c1), "4".to_owned())].into_iter().collect();
        let none = HashMap::new();
        let (levels, _) = check_answers(
            &[c1, c2],
            std::slice::from_ref(&text),
            &ratings,
            &none,
            false,
        )
        .unwrap();
        assert_eq!(levels, vec![(c1, 4)]);
        let errors = check_answers(
            &[c1, c2],
            std::slice::from_ref(&text),
            &ratings,
            &none,
            true,
        )
        .unwrap_err();
        let fields: Vec<String> = errors.into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            vec![
                format!("rating[{}]", answer_key(c2)),
                format!("item[{}]", answer_key(text.id))
            ]
        );
    }

    #[test]
    fn values_are_checked_against_their_item() {
        let c = Uuid::new_v4();
        let likert = item(ItemKind::Likert, false);
        let choice = item(ItemKind::Choice, false);
        let ratings: HashMap<String, String> =
            [(answer_key(c), "6".to_owned())].into_iter().collect();
        let answers: HashMap<String, String> = [
            (answer_key(likert.id), "0".to_owned()),
            (answer_key(choice.id), "C".to_owned()),
        ]
        .into_iter()
        .collect();
        let errors = check_answers(&[c], &[likert, choice], &ratings, &answers, false).unwrap_err();
        assert_eq!(errors.len(), 3);
    }
}
