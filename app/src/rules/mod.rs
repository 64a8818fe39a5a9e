//! The office's training rules: the hours the engine may propose per person a
//! year, the learning hours each person should complete (per position where it
//! differs), and the trainer and venue rates and class size the annual plan's
//! cost estimate uses.

pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

use std::collections::HashMap;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::Role;
use crate::error::AppError;

/// Who changes the rules.
pub const EDITORS: &[Role] = &[Role::Admin];

/// Bounds the form enforces (hours a year, yuan an hour, seats).
pub const MAX_HOURS: f64 = 500.0;
pub const MAX_RATE: f64 = 100_000.0;
pub const MAX_CLASS: i32 = 500;
/// The most answers a group may need before its comments are shown.
pub const MAX_ANONYMITY: i32 = 50;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PositionHours {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    /// `None`: the office's requirement applies.
    pub hours_required: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingRules {
    pub hours_budget: f64,
    pub hours_required: f64,
    pub trainer_rate: f64,
    pub venue_rate: f64,
    pub class_size: i32,
    pub anonymity_threshold: i32,
    pub positions: Vec<PositionHours>,
}

/// The form key of a position's own requirement (a letter first, see `raise_key`).
pub fn position_key(id: Uuid) -> String {
    format!("h{}", id.simple())
}

#[server(prefix = "/api", endpoint = "rules/get")]
pub async fn get_training_rules() -> Result<TrainingRules, AppError> {
    crate::auth::guard::signed_in(|ctx, _me| async move { service::load(&ctx.state.db).await })
        .await
}

/// Saves every rule at once; `position` holds each position's own requirement
/// keyed by [`position_key`] (blank: the office's applies).
#[server(prefix = "/api", endpoint = "rules/save")]
pub async fn save_training_rules(
    hours_budget: String,
    hours_required: String,
    trainer_rate: String,
    venue_rate: String,
    class_size: String,
    anonymity_threshold: String,
    position: Option<HashMap<String, String>>,
) -> Result<(), AppError> {
    crate::auth::guard::any_role(EDITORS, |ctx, me| async move {
        let form = service::RulesForm {
            hours_budget,
            hours_required,
            trainer_rate,
            venue_rate,
            class_size,
            anonymity_threshold,
            positions: position.unwrap_or_default(),
        };
        service::save(&ctx.state.db, &me, form).await?;
        leptos_axum::redirect("/admin/training?saved=1");
        Ok(())
    })
    .await
}
