//! Training-needs survey campaigns: set-up, the raters' tasks, answering, progress
//! and reminders.

// `save_campaign` takes one argument per field of its HTML form, and the server
// macro copies that signature into code the attribute on the function cannot reach.
#![allow(clippy::too_many_arguments)]

#[cfg(feature = "ssr")]
pub mod answering;
#[cfg(feature = "ssr")]
mod campaigns;
#[cfg(feature = "ssr")]
pub mod opening;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod progress;
#[cfg(feature = "ssr")]
pub mod setup;

#[cfg(feature = "ssr")]
pub use campaigns::{accepts_answers, resolve_audience};

use std::collections::HashMap;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::Role;
#[cfg(feature = "ssr")]
use crate::common::parse_id;
#[cfg(feature = "ssr")]
use crate::common::required_id;
use crate::competencies::CompetencyDto;
use crate::error::AppError;

/// Who runs campaigns. A manager runs campaigns over their own subtree only.
pub const RUNNERS: &[Role] = &[Role::Admin, Role::Trainer, Role::Manager];

/// The fewest peer ratings ever shown as a figure; no role can set a campaign lower
/// (the database refuses it too).
pub const ANONYMITY_FLOOR: i32 = 3;

pub use crate::domain::{AudienceKind, CampaignState, ItemKind, PeerMode, RaterType, TaskStatus};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignSummary {
    pub id: Uuid,
    pub title: String,
    pub state: CampaignState,
    pub framework: String,
    pub opens_at: String,
    pub closes_at: String,
    pub tasks: u64,
    pub submitted: u64,
    pub follow_up_of: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AudienceDto {
    pub id: Uuid,
    pub kind: AudienceKind,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemDto {
    pub id: Uuid,
    pub kind: ItemKind,
    pub prompt: String,
    pub options: Vec<String>,
    pub competency: Option<String>,
    pub required: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignDetail {
    pub id: Uuid,
    pub title: String,
    pub state: CampaignState,
    pub framework_id: Uuid,
    pub framework: String,
    /// Local times as `YYYY-MM-DDTHH:MM`, for `datetime-local` inputs.
    pub opens_at: String,
    pub closes_at: String,
    pub include_self: bool,
    pub include_manager: bool,
    pub peer_mode: PeerMode,
    pub peers_per_person: i32,
    pub anonymity_threshold: i32,
    pub instructions: String,
    pub weight_self: f64,
    pub weight_manager: f64,
    pub weight_peers: f64,
    pub weight_test: f64,
    pub discrepancy_threshold: f64,
    pub follow_up_of: Option<Uuid>,
    pub follow_up_title: Option<String>,
    pub audience: Vec<AudienceDto>,
    pub items: Vec<ItemDto>,
    /// People the audience covers now.
    pub people: u64,
}

/// The choices the campaign page offers, loaded in one go.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignChoices {
    pub frameworks: Vec<crate::competencies::FrameworkSummary>,
    /// (id, title) of the campaigns the caller runs, for "follow-up of".
    pub campaigns: Vec<(Uuid, String)>,
    /// (id, name, depth) of the units the caller may survey.
    pub units: Vec<(Uuid, String, usize)>,
    pub positions: Vec<(Uuid, String)>,
    /// (id, name) of the chosen framework's competencies, for custom items.
    pub competencies: Vec<(Uuid, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgressRow {
    pub label: String,
    pub total: u64,
    pub submitted: u64,
}

impl ProgressRow {
    pub fn rate(&self) -> u64 {
        (self.submitted * 100).checked_div(self.total).unwrap_or(0)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// Units and rater types left out for having fewer tasks than the threshold.
    pub hidden_groups: u64,
    pub threshold: u64,
    pub overall: ProgressRow,
    pub by_unit: Vec<ProgressRow>,
    pub by_rater: Vec<(RaterType, ProgressRow)>,
    pub pending_raters: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskSummary {
    pub id: Uuid,
    pub campaign: String,
    pub subject: String,
    pub rater_type: RaterType,
    pub status: TaskStatus,
    pub closes_at: String,
    /// Answers are accepted now.
    pub open: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Nomination {
    pub campaign_id: Uuid,
    pub campaign: String,
    pub wanted: i32,
    pub chosen: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyTasks {
    pub tasks: Vec<TaskSummary>,
    pub nominations: Vec<Nomination>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskForm {
    pub id: Uuid,
    pub campaign: String,
    pub instructions: String,
    pub subject: String,
    pub rater_type: RaterType,
    pub status: TaskStatus,
    pub editable: bool,
    pub closes_at: String,
    pub domains: Vec<(String, Vec<CompetencyDto>)>,
    pub items: Vec<ItemDto>,
    pub ratings: Vec<(Uuid, u8)>,
    pub answers: Vec<(Uuid, String)>,
}

impl TaskForm {
    pub fn rating(&self, competency: Uuid) -> Option<u8> {
        self.ratings
            .iter()
            .find(|(c, _)| *c == competency)
            .map(|(_, l)| *l)
    }
    pub fn answer(&self, item: Uuid) -> Option<&str> {
        self.answers
            .iter()
            .find(|(i, _)| *i == item)
            .map(|(_, v)| v.as_str())
    }
}

/// The form key of a competency's rating (`rating[<key>]`) or a custom item's
/// answer (`item[<key>]`). It starts with a letter: serde_qs reads a bracketed key
/// that starts with a digit (as most uuids do) as a list index and rejects the form.
pub fn answer_key(id: Uuid) -> String {
    format!("k{}", id.simple())
}

#[server(prefix = "/api", endpoint = "campaigns")]
pub async fn list_campaigns() -> Result<Vec<CampaignSummary>, AppError> {
    crate::auth::guard::any_role(RUNNERS, |ctx, me| async move {
        setup::list_campaigns(&ctx.state, &me).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "campaigns/options")]
pub async fn campaign_options(framework_id: Option<String>) -> Result<CampaignChoices, AppError> {
    crate::auth::guard::any_role(RUNNERS, |ctx, me| async move {
        let framework = parse_id("framework_id", framework_id.as_deref())?;
        setup::options(&ctx.state, &me, framework).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "campaigns/get")]
pub async fn get_campaign(id: String) -> Result<CampaignDetail, AppError> {
    crate::auth::guard::any_role(RUNNERS, |ctx, me| async move {
        setup::get_campaign(&ctx.state, &me, required_id("id", &id)?).await
    })
    .await
}

/// Creates or edits a draft campaign. Numbers arrive as text so a typo gets a
/// message beside its field instead of a rejected form.
#[server(prefix = "/api", endpoint = "campaigns/save")]
pub async fn save_campaign(
    id: Option<String>,
    title: String,
    framework_id: String,
    opens_at: String,
    closes_at: String,
    include_self: Option<String>,
    include_manager: Option<String>,
    peer_mode: String,
    peers_per_person: String,
    anonymity_threshold: String,
    instructions: Option<String>,
    weight_self: String,
    weight_manager: String,
    weight_peers: String,
    weight_test: Option<String>,
    discrepancy_threshold: String,
    follow_up_of: Option<String>,
) -> Result<(), AppError> {
    crate::auth::guard::any_role(RUNNERS, |ctx, me| async move {
        let form = setup::CampaignForm {
            id: parse_id("id", id.as_deref())?,
            title,
            framework_id,
            opens_at,
            closes_at,
            include_self: include_self.is_some(),
            include_manager: include_manager.is_some(),
            peer_mode,
            peers_per_person,
            anonymity_threshold,
            instructions: instructions.unwrap_or_default(),
            weight_self,
            weight_manager,
            weight_peers,
            // Forms from before quiz results could be weighed leave them out.
            weight_test: weight_test.unwrap_or_else(|| "0".into()),
            discrepancy_threshold,
            follow_up_of: follow_up_of.unwrap_or_default(),
        };
        let id = setup::save_campaign(&ctx.state, &me, form).await?;
        leptos_axum::redirect(&format!("/campaigns/{id}?saved=1"));
        Ok(())
    })
    .await
}

/// Adds (`op` = `add`) or removes (`remove`, `target_id` = the audience entry) a part
/// of a draft campaign's audience.
#[server(prefix = "/api", endpoint = "campaigns/audience")]
pub async fn edit_audience(
    campaign_id: String,
    op: String,
    kind: Option<String>,
    target_id: Option<String>,
    employee_no: Option<String>,
) -> Result<(), AppError> {
    crate::auth::guard::any_role(RUNNERS, |ctx, me| async move {
        let campaign_id = required_id("campaign_id", &campaign_id)?;
        match op.as_str() {
            "add" => {
                setup::add_audience(
                    &ctx.state,
                    &me,
                    campaign_id,
                    kind.as_deref().unwrap_or(""),
                    target_id.as_deref().unwrap_or(""),
                    employee_no.as_deref().unwrap_or(""),
                )
                .await?
            }
            "remove" => {
                let entry = required_id("target_id", target_id.as_deref().unwrap_or(""))?;
                setup::remove_audience(&ctx.state, &me, campaign_id, entry).await?
            }
            _ => return Err(AppError::NotFound),
        }
        leptos_axum::redirect(&format!("/campaigns/{campaign_id}?saved=1#audience"));
        Ok(())
    })
    .await
}

#[server(prefix = "/api", endpoint = "campaigns/item")]
pub async fn edit_item(
    campaign_id: String,
    op: String,
    id: Option<String>,
    kind: Option<String>,
    prompt: Option<String>,
    options: Option<String>,
    competency_id: Option<String>,
    required: Option<String>,
) -> Result<(), AppError> {
    crate::auth::guard::any_role(RUNNERS, |ctx, me| async move {
        let campaign_id = required_id("campaign_id", &campaign_id)?;
        match op.as_str() {
            "add" => {
                let item = setup::ItemInput {
                    kind: kind.unwrap_or_default(),
                    prompt: prompt.unwrap_or_default().trim().to_owned(),
                    options: options.unwrap_or_default(),
                    competency_id: parse_id("competency_id", competency_id.as_deref())?,
                    required: required.is_some(),
                };
                setup::add_item(&ctx.state, &me, campaign_id, item).await?;
            }
            "remove" => {
                let id = required_id("id", id.as_deref().unwrap_or(""))?;
                setup::remove_item(&ctx.state, &me, campaign_id, id).await?;
            }
            _ => return Err(AppError::NotFound),
        }
        leptos_axum::redirect(&format!("/campaigns/{campaign_id}?saved=1#items"));
        Ok(())
    })
    .await
}

/// Opens a draft or closes an open campaign; both need the confirmation box.
#[server(prefix = "/api", endpoint = "campaigns/state")]
pub async fn set_campaign_state(
    id: String,
    to: String,
    confirm: Option<String>,
) -> Result<(), AppError> {
    crate::auth::guard::any_role(RUNNERS, |ctx, me| async move {
        let id = required_id("id", &id)?;
        crate::common::require_confirmation(false, confirm.as_deref())?;
        let to =
            <CampaignState as crate::domain::Vocabulary>::parse(&to).ok_or(AppError::NotFound)?;
        opening::set_state(&ctx.state, &me, id, to).await?;
        leptos_axum::redirect(&format!("/campaigns/{id}?saved=1"));
        Ok(())
    })
    .await
}

#[server(prefix = "/api", endpoint = "campaigns/progress")]
pub async fn campaign_progress(id: String) -> Result<Progress, AppError> {
    crate::auth::guard::any_role(RUNNERS, |ctx, me| async move {
        progress::progress(&ctx.state, &me, required_id("id", &id)?).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "campaigns/remind")]
pub async fn send_reminders(id: String) -> Result<(), AppError> {
    crate::auth::guard::any_role(RUNNERS, |ctx, me| async move {
        let id = required_id("id", &id)?;
        let sent = progress::send_reminders(&ctx.state, &me, id).await?;
        leptos_axum::redirect(&format!("/campaigns/{id}?reminded={sent}"));
        Ok(())
    })
    .await
}

#[server(prefix = "/api", endpoint = "tasks")]
pub async fn load_my_tasks() -> Result<MyTasks, AppError> {
    crate::auth::guard::signed_in(
        |ctx, me| async move { answering::my_tasks(&ctx.state, &me).await },
    )
    .await
}

#[server(prefix = "/api", endpoint = "tasks/get")]
pub async fn get_task(id: String) -> Result<TaskForm, AppError> {
    crate::auth::guard::signed_in(|ctx, me| async move {
        answering::get_task(&ctx.state, &me, required_id("id", &id)?).await
    })
    .await
}

/// Saves answers as a draft (`intent` = `save`) or submits them (`submit`).
/// Keys of `rating` are competency ids, of `item` custom item ids.
#[server(prefix = "/api", endpoint = "tasks/answer")]
pub async fn answer_task(
    id: String,
    intent: String,
    rating: Option<HashMap<String, String>>,
    item: Option<HashMap<String, String>>,
) -> Result<(), AppError> {
    crate::auth::guard::signed_in(|ctx, me| async move {
        let id = required_id("id", &id)?;
        let submit = match intent.as_str() {
            "save" => false,
            "submit" => true,
            other => {
                return Err(AppError::field(
                    "intent",
                    crate::error::Problem::Invalid {
                        value: other.chars().take(40).collect(),
                    },
                ));
            }
        };
        answering::answer(
            &ctx.state,
            &me,
            id,
            submit,
            &rating.unwrap_or_default(),
            &item.unwrap_or_default(),
        )
        .await?;
        let flag = if submit { "submitted" } else { "saved" };
        leptos_axum::redirect(&format!("/tasks/{id}?{flag}=1"));
        Ok(())
    })
    .await
}

/// The person nominates a colleague (by employee number) to rate them.
#[server(prefix = "/api", endpoint = "tasks/nominate")]
pub async fn nominate_peer(campaign_id: String, employee_no: String) -> Result<(), AppError> {
    crate::auth::guard::signed_in(|ctx, me| async move {
        let campaign_id = required_id("campaign_id", &campaign_id)?;
        answering::nominate(&ctx.state, &me, campaign_id, employee_no.trim()).await?;
        leptos_axum::redirect("/tasks?nominated=1");
        Ok(())
    })
    .await
}
