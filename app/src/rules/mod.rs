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
/// Behaviour follow-ups: at most this many waves, none later than a year
/// after completion, each open for at most 60 days.
pub const MAX_WAVES: usize = 4;
pub const MAX_WAVE_DAYS: i32 = 365;
pub const MAX_WINDOW: i32 = 60;
/// Colleagues asked in a follow-up, at most.
pub const MAX_PEERS: i32 = 5;

/// The days after completion at which follow-ups open, as typed ("30, 90";
/// commas, Chinese commas or spaces between them), in order; blank for none.
pub fn parse_waves(typed: &str) -> Result<Vec<i32>, crate::error::Problem> {
    use crate::error::Problem;
    let mut waves = Vec::new();
    for part in typed
        .split(|c: char| c == ',' || c == '，' || c == '、' || c.is_whitespace())
        .filter(|p| !p.is_empty())
    {
        let day: i32 = part.parse().map_err(|_| Problem::Invalid {
            value: part.to_owned(),
        })?;
        if !(1..=MAX_WAVE_DAYS).contains(&day) {
            return Err(Problem::OutOfRange {
                min: "1".to_owned(),
                max: MAX_WAVE_DAYS.to_string(),
            });
        }
        if waves.contains(&day) {
            return Err(Problem::Duplicate {
                value: part.to_owned(),
            });
        }
        waves.push(day);
    }
    if waves.len() > MAX_WAVES {
        return Err(Problem::Limit { max: MAX_WAVES });
    }
    waves.sort_unstable();
    Ok(waves)
}

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
    /// Days after completion, e.g. "30, 90"; blank for no follow-ups.
    pub follow_up_days: String,
    pub follow_up_window: i32,
    pub follow_up_peers: i32,
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
    follow_up_days: Option<String>,
    follow_up_window: Option<String>,
    follow_up_peers: Option<String>,
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
            follow_up_days,
            follow_up_window,
            follow_up_peers,
            positions: position.unwrap_or_default(),
        };
        service::save(&ctx.state.db, &me, form).await?;
        leptos_axum::redirect("/admin/training?saved=1");
        Ok(())
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Problem;

    #[test]
    fn waves_are_read_as_typed_and_sorted() {
        assert_eq!(parse_waves("30, 90"), Ok(vec![30, 90]));
        assert_eq!(parse_waves("90，30"), Ok(vec![30, 90]));
        assert_eq!(parse_waves(" 14 、60  180"), Ok(vec![14, 60, 180]));
        assert_eq!(parse_waves("   "), Ok(vec![]));
    }

    #[test]
    fn bad_waves_say_what_is_wrong() {
        assert_eq!(
            parse_waves("30, soon"),
            Err(Problem::Invalid {
                value: "soon".to_owned()
            })
        );
        assert!(matches!(parse_waves("0"), Err(Problem::OutOfRange { .. })));
        assert!(matches!(
            parse_waves("400"),
            Err(Problem::OutOfRange { .. })
        ));
        assert_eq!(
            parse_waves("30,30"),
            Err(Problem::Duplicate {
                value: "30".to_owned()
            })
        );
        assert_eq!(
            parse_waves("10 20 30 40 50"),
            Err(Problem::Limit { max: MAX_WAVES })
        );
    }
}
