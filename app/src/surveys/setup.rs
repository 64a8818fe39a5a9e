//! Setting a campaign up: the list, the draft's form, its audience and custom items.
//! Only a draft changes here.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::prelude::Expr;
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::campaigns::*;
use super::{
    AudienceDto, AudienceKind, CampaignDetail, CampaignState, CampaignSummary, ItemKind, PeerMode,
    TaskStatus,
};
use crate::auth::guard::SessionUser;
use crate::common::clock;
use crate::common::validate::{self, Fields, limits};
use crate::competencies::frameworks::get_framework;
use crate::domain::AuditAction;
use crate::domain::Vocabulary;
use crate::entities::{
    campaign, campaign_audience, campaign_item, framework, org_unit, person, position, survey_task,
};
use crate::error::{AppError, FieldError, Problem};
use crate::org::tree;
use crate::org::visibility::{Scope, sees_everyone};
use crate::state::AppState;

pub async fn list_campaigns(
    state: &AppState,
    me: &SessionUser,
) -> Result<Vec<CampaignSummary>, AppError> {
    let db = &state.db;
    let mut select = campaign::Entity::find().order_by_desc(campaign::Column::OpensAt);
    if !sees_everyone(me) {
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
    let rows: Vec<(Uuid, TaskStatus, i64)> = survey_task::Entity::find()
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
        if status == TaskStatus::Submitted {
            e.1 += n;
        }
    }
    Ok(campaigns
        .into_iter()
        .map(|c| {
            let (tasks, submitted) = counts.get(&c.id).copied().unwrap_or((0, 0));
            CampaignSummary {
                id: c.id,
                state: c.state,
                framework: frameworks.get(&c.framework_id).cloned().unwrap_or_default(),
                opens_at: clock::shown(state.settings.timezone, c.opens_at),
                closes_at: clock::shown(state.settings.timezone, c.closes_at),
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
    let scope = Scope::new(me, &all_units);
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
        frameworks: crate::competencies::frameworks::list_frameworks(db).await?,
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
    let people = u64::try_from(resolve_audience(db, &c).await?.len()).unwrap_or(0);
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
        state: c.state,
        framework_id: c.framework_id,
        opens_at: clock::local(state.settings.timezone, c.opens_at, clock::INPUT_FORMAT),
        closes_at: clock::local(state.settings.timezone, c.closes_at, clock::INPUT_FORMAT),
        include_self: c.include_self,
        include_manager: c.include_manager,
        peer_mode: c.peer_mode,
        peers_per_person: c.peers_per_person,
        anonymity_threshold: c.anonymity_threshold,
        instructions: c.instructions.clone().unwrap_or_default(),
        weight_self: c.weight_self,
        weight_manager: c.weight_manager,
        weight_peers: c.weight_peers,
        weight_test: c.weight_test,
        discrepancy_threshold: c.discrepancy_threshold,
        follow_up_of: c.follow_up_of,
        follow_up_title,
        audience,
        items,
        people,
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
        let kind = e.kind;
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
    pub weight_test: String,
    pub discrepancy_threshold: String,
    pub follow_up_of: String,
}

/// A campaign form whose every value has been checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidCampaign {
    pub title: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub include_self: bool,
    pub include_manager: bool,
    pub peer_mode: PeerMode,
    pub peers_per_person: i32,
    pub anonymity_threshold: i32,
    pub instructions: Option<String>,
    /// Self, manager, peers, test.
    pub weights: [f64; 4],
    pub discrepancy_threshold: f64,
}

impl CampaignForm {
    /// The form's own values, typed, or every problem with them at once. Values
    /// that need the database (the framework, the campaign followed up) are read
    /// by the caller.
    pub fn parse(&self, tz: chrono_tz::Tz) -> Result<ValidCampaign, AppError> {
        let opens = clock::parse_local(tz, "opens_at", &self.opens_at);
        let closes = clock::parse_local(tz, "closes_at", &self.closes_at);
        let order = match (&opens, &closes) {
            (Ok(o), Ok(c)) if c <= o => Err(FieldError::new("closes_at", Problem::DateOrder)),
            _ => Ok(()),
        };
        let peer_mode = validate::one_of::<PeerMode>("peer_mode", &self.peer_mode);
        let raters = match &peer_mode {
            Ok(mode) if !self.include_self && !self.include_manager && *mode == PeerMode::None => {
                Err(FieldError::new("include_self", Problem::Required))
            }
            _ => Ok(()),
        };
        let w_self = validate::number("weight_self", &self.weight_self, 0.0, 1.0);
        let w_manager = validate::number("weight_manager", &self.weight_manager, 0.0, 1.0);
        let w_peers = validate::number("weight_peers", &self.weight_peers, 0.0, 1.0);
        let w_test = validate::number("weight_test", &self.weight_test, 0.0, 1.0);
        // A quiz result alone is not a needs survey: the raters must weigh something.
        let some_weight = match (&w_self, &w_manager, &w_peers) {
            (Ok(a), Ok(b), Ok(c)) if a + b + c <= 0.0 => Err(FieldError::new(
                "weight_manager",
                Problem::OutOfRange {
                    min: "0.1".into(),
                    max: "1".into(),
                },
            )),
            _ => Ok(()),
        };
        let (
            title,
            opens_at,
            closes_at,
            (),
            peer_mode,
            (),
            peers_per_person,
            anonymity_threshold,
            instructions,
            w_self,
            w_manager,
            w_peers,
            w_test,
            (),
            discrepancy_threshold,
        ) = validate::all((
            validate::text("title", &self.title, limits::NAME),
            opens,
            closes,
            order,
            peer_mode,
            raters,
            validate::number("peers_per_person", &self.peers_per_person, 0, 10),
            validate::number(
                "anonymity_threshold",
                &self.anonymity_threshold,
                super::ANONYMITY_FLOOR,
                10,
            ),
            validate::optional_text("instructions", &self.instructions, limits::LONG_TEXT),
            w_self,
            w_manager,
            w_peers,
            w_test,
            some_weight,
            validate::number(
                "discrepancy_threshold",
                &self.discrepancy_threshold,
                0.5,
                4.0,
            ),
        ))?;
        Ok(ValidCampaign {
            title,
            opens_at,
            closes_at,
            include_self: self.include_self,
            include_manager: self.include_manager,
            peer_mode,
            peers_per_person,
            anonymity_threshold,
            instructions,
            weights: [w_self, w_manager, w_peers, w_test],
            discrepancy_threshold,
        })
    }
}

pub async fn save_campaign(
    state: &AppState,
    me: &SessionUser,
    form: CampaignForm,
) -> Result<Uuid, AppError> {
    let db = &state.db;
    let mut errors = Fields::new();
    let framework = match crate::common::parse_id("framework_id", Some(&form.framework_id)) {
        Ok(Some(id)) => framework::Entity::find_by_id(id).one(db).await?,
        _ => None,
    };
    if framework.is_none() {
        errors.add("framework_id", Problem::Required);
    }
    let follow_up_of = follow_up_of(db, &form, &mut errors).await?;
    let valid = form.parse(state.settings.timezone);
    if let Err(AppError::Validation(form_errors)) = &valid {
        errors.extend(form_errors.iter().cloned());
    }
    errors.finish()?;
    let (valid, Some(framework)) = (valid?, framework) else {
        return Err(AppError::field("framework_id", Problem::Required));
    };
    let ValidCampaign {
        title,
        opens_at,
        closes_at,
        include_self,
        include_manager,
        peer_mode,
        peers_per_person,
        anonymity_threshold,
        instructions,
        weights: [w_self, w_manager, w_peers, w_test],
        discrepancy_threshold,
    } = valid;
    let after = json!({ "title": title, "framework": framework.id, "opens_at": opens_at,
        "closes_at": closes_at, "include_self": include_self, "include_manager": include_manager,
        "peer_mode": peer_mode, "peers": peers_per_person,
        "anonymity_threshold": anonymity_threshold,
        "weights": [w_self, w_manager, w_peers, w_test], "discrepancy_threshold": discrepancy_threshold });
    let txn = db.begin().await?;
    let id = match form.id {
        Some(id) => {
            let c = find_draft(&txn, me, id).await?;
            let mut am: campaign::ActiveModel = c.into();
            am.title = Set(title);
            am.framework_id = Set(framework.id);
            am.opens_at = Set(opens_at);
            am.closes_at = Set(closes_at);
            am.include_self = Set(include_self);
            am.include_manager = Set(include_manager);
            am.peer_mode = Set(peer_mode);
            am.peers_per_person = Set(peers_per_person);
            am.anonymity_threshold = Set(anonymity_threshold);
            am.instructions = Set(instructions);
            am.weight_self = Set(w_self);
            am.weight_manager = Set(w_manager);
            am.weight_peers = Set(w_peers);
            am.weight_test = Set(w_test);
            am.discrepancy_threshold = Set(discrepancy_threshold);
            am.follow_up_of = Set(follow_up_of);
            am.update(&txn).await?;
            crate::audit::Entry::new(me.id, AuditAction::CampaignUpdate)
                .on("campaign", id)
                .after(after)
                .record(&txn)
                .await?;
            id
        }
        None => {
            let id = Uuid::new_v4();
            campaign::ActiveModel {
                id: Set(id),
                title: Set(title),
                framework_id: Set(framework.id),
                state: Set(CampaignState::Draft),
                opens_at: Set(opens_at),
                closes_at: Set(closes_at),
                include_self: Set(include_self),
                include_manager: Set(include_manager),
                peer_mode: Set(peer_mode),
                peers_per_person: Set(peers_per_person),
                anonymity_threshold: Set(anonymity_threshold),
                instructions: Set(instructions),
                weight_self: Set(w_self),
                weight_manager: Set(w_manager),
                weight_peers: Set(w_peers),
                weight_test: Set(w_test),
                discrepancy_threshold: Set(discrepancy_threshold),
                follow_up_of: Set(follow_up_of),
                owner_id: Set(me.id),
                created_at: Set(Utc::now()),
                opened_at: Set(None),
                closed_at: Set(None),
                peer_seed: Set(None),
            }
            .insert(&txn)
            .await?;
            crate::audit::Entry::new(me.id, AuditAction::CampaignCreate)
                .on("campaign", id)
                .after(after)
                .record(&txn)
                .await?;
            id
        }
    };
    txn.commit().await?;
    Ok(id)
}

/// The campaign this one follows up, if the form names one that exists (and is not
/// itself); otherwise the problem goes into `errors`.
async fn follow_up_of(
    db: &impl ConnectionTrait,
    form: &CampaignForm,
    errors: &mut Fields,
) -> Result<Option<Uuid>, AppError> {
    Ok(
        match crate::common::parse_id("follow_up_of", Some(&form.follow_up_of)) {
            Ok(Some(id)) if Some(id) != form.id => {
                match campaign::Entity::find_by_id(id).one(db).await? {
                    Some(p) => Some(p.id),
                    None => {
                        errors.add(
                            "follow_up_of",
                            Problem::Unknown {
                                value: id.to_string(),
                            },
                        );
                        None
                    }
                }
            }
            Ok(_) => None,
            Err(_) => {
                errors.add(
                    "follow_up_of",
                    Problem::Invalid {
                        value: form.follow_up_of.chars().take(40).collect(),
                    },
                );
                None
            }
        },
    )
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
    let kind = validate::one_of::<AudienceKind>("kind", kind)?;
    let scope = Scope::load(db, me).await?;
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
            let id = crate::common::parse_id("target_id", Some(target_id))?
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
            let id = crate::common::parse_id("target_id", Some(target_id))?
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
        .filter(campaign_audience::Column::Kind.eq(kind))
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
        kind: Set(kind),
        target_id: Set(target),
    }
    .insert(&txn)
    .await?;
    crate::audit::Entry::new(me.id, AuditAction::CampaignAudienceAdd)
        .on("campaign", c.id)
        .after(json!({ "kind": kind.as_str(), "target": target }))
        .record(&txn)
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
    crate::audit::Entry::new(me.id, AuditAction::CampaignAudienceRemove)
        .on("campaign", campaign_id)
        .before(json!({ "entry": entry }))
        .record(&txn)
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
    let options: Vec<&str> = input
        .options
        .lines()
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .collect();
    let kind = validate::one_of::<ItemKind>("kind", &input.kind);
    let enough_options = match kind {
        Ok(ItemKind::Choice) if options.len() < 2 => {
            Err(FieldError::new("options", Problem::TooShort { min: 2 }))
        }
        _ => Ok(()),
    };
    let competency = match input.competency_id {
        Some(cid) => {
            let ok = crate::entities::competency::Entity::find_by_id(cid)
                .filter(crate::entities::competency::Column::FrameworkId.eq(c.framework_id))
                .count(db)
                .await?
                > 0;
            if ok {
                Ok(())
            } else {
                Err(FieldError::new(
                    "competency_id",
                    Problem::Unknown {
                        value: cid.to_string(),
                    },
                ))
            }
        }
        None => Ok(()),
    };
    let (kind, prompt, (), ()) = validate::all((
        kind,
        validate::text("prompt", &input.prompt, limits::PROMPT),
        enough_options,
        competency,
    ))?;
    let txn = db.begin().await?;
    let position = campaign_item::Entity::find()
        .filter(campaign_item::Column::CampaignId.eq(c.id))
        .count(&txn)
        .await?;
    campaign_item::ActiveModel {
        id: Set(Uuid::new_v4()),
        campaign_id: Set(c.id),
        position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
        kind: Set(kind),
        prompt: Set(prompt.clone()),
        options: Set((kind == ItemKind::Choice).then(|| options.join("\n"))),
        competency_id: Set(input.competency_id),
        required: Set(input.required),
    }
    .insert(&txn)
    .await?;
    crate::audit::Entry::new(me.id, AuditAction::CampaignItemAdd)
        .on("campaign", c.id)
        .after(json!({ "kind": kind.as_str(), "prompt": prompt }))
        .record(&txn)
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
    crate::audit::Entry::new(me.id, AuditAction::CampaignItemRemove)
        .on("campaign", campaign_id)
        .before(json!({ "item": id }))
        .record(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}
