//! Reading and saving the training rules; the learning-hours requirement that
//! applies to a person.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::{
    MAX_ANONYMITY, MAX_CLASS, MAX_HOURS, MAX_RATE, PositionHours, TrainingRules, position_key,
};
use crate::auth::guard::SessionUser;
use crate::common::validate::{self, Fields};
use crate::domain::AuditAction;
use crate::entities::{position, training_setting};
use crate::error::AppError;

/// The one settings row, or the defaults a new office starts with.
pub async fn settings(db: &impl ConnectionTrait) -> Result<training_setting::Model, AppError> {
    Ok(training_setting::Entity::find_by_id(1)
        .one(db)
        .await?
        .unwrap_or(training_setting::Model {
            id: 1,
            hours_budget: 40.0,
            hours_required: 40.0,
            trainer_rate: 300.0,
            venue_rate: 100.0,
            class_size: 30,
            anonymity_threshold: 3,
            follow_up_days: "30,90".to_owned(),
            follow_up_window: 14,
            follow_up_peers: 0,
            updated_at: Utc::now(),
        }))
}

/// The yearly learning-hours requirement: the office's, or a position's own.
#[derive(Debug, Clone, PartialEq)]
pub struct Requirement {
    pub office: f64,
    pub by_position: HashMap<Uuid, f64>,
}

impl Requirement {
    pub async fn load(db: &impl ConnectionTrait) -> Result<Self, AppError> {
        let office = settings(db).await?.hours_required;
        let by_position = position::Entity::find()
            .filter(position::Column::HoursRequired.is_not_null())
            .all(db)
            .await?
            .into_iter()
            .filter_map(|p| p.hours_required.map(|h| (p.id, h)))
            .collect();
        Ok(Self {
            office,
            by_position,
        })
    }

    pub fn of(&self, position: Option<Uuid>) -> f64 {
        position
            .and_then(|p| self.by_position.get(&p).copied())
            .unwrap_or(self.office)
    }
}

pub async fn load(db: &DatabaseConnection) -> Result<TrainingRules, AppError> {
    let s = settings(db).await?;
    let positions = position::Entity::find()
        .filter(position::Column::Active.eq(true))
        .order_by_asc(position::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|p| PositionHours {
            id: p.id,
            code: p.code,
            name: p.name,
            hours_required: p.hours_required,
        })
        .collect();
    Ok(TrainingRules {
        hours_budget: s.hours_budget,
        hours_required: s.hours_required,
        trainer_rate: s.trainer_rate,
        venue_rate: s.venue_rate,
        class_size: s.class_size,
        anonymity_threshold: s.anonymity_threshold,
        follow_up_days: s.follow_up_days.replace(',', ", "),
        follow_up_window: s.follow_up_window,
        follow_up_peers: s.follow_up_peers,
        positions,
    })
}

/// The rules form as typed.
pub struct RulesForm {
    pub hours_budget: String,
    pub hours_required: String,
    pub trainer_rate: String,
    pub venue_rate: String,
    pub class_size: String,
    pub anonymity_threshold: String,
    /// `None` (an older form): unchanged.
    pub follow_up_days: Option<String>,
    pub follow_up_window: Option<String>,
    pub follow_up_peers: Option<String>,
    /// Keyed by [`position_key`].
    pub positions: HashMap<String, String>,
}

/// Checks every field first and writes nothing unless all are right.
pub async fn save(
    db: &DatabaseConnection,
    me: &SessionUser,
    form: RulesForm,
) -> Result<(), AppError> {
    let mut fields = Fields::new();
    let budget = fields.take(validate::number(
        "hours_budget",
        &form.hours_budget,
        0.0,
        MAX_HOURS,
    ));
    let required = fields.take(validate::number(
        "hours_required",
        &form.hours_required,
        0.0,
        MAX_HOURS,
    ));
    let trainer = fields.take(validate::number(
        "trainer_rate",
        &form.trainer_rate,
        0.0,
        MAX_RATE,
    ));
    let venue = fields.take(validate::number(
        "venue_rate",
        &form.venue_rate,
        0.0,
        MAX_RATE,
    ));
    let class = fields.take(validate::number(
        "class_size",
        &form.class_size,
        1,
        MAX_CLASS,
    ));
    let anonymity = fields.take(validate::number(
        "anonymity_threshold",
        &form.anonymity_threshold,
        1,
        MAX_ANONYMITY,
    ));
    let waves = match form.follow_up_days.as_deref() {
        Some(typed) => fields.take(
            super::parse_waves(typed)
                .map(Some)
                .map_err(|p| crate::error::FieldError::new("follow_up_days", p)),
        ),
        None => Some(None),
    };
    let window = match form.follow_up_window.as_deref() {
        Some(typed) => fields
            .take(validate::number(
                "follow_up_window",
                typed,
                1,
                super::MAX_WINDOW,
            ))
            .map(Some),
        None => Some(None),
    };
    let peers = match form.follow_up_peers.as_deref() {
        Some(typed) => fields
            .take(validate::number(
                "follow_up_peers",
                typed,
                0,
                super::MAX_PEERS,
            ))
            .map(Some),
        None => Some(None),
    };
    let positions = position::Entity::find().all(db).await?;
    let mut per_position = Vec::new();
    for p in &positions {
        let key = position_key(p.id);
        let typed = form.positions.get(&key).map(|v| v.trim()).unwrap_or("");
        let own = if typed.is_empty() {
            Some(None)
        } else {
            fields
                .take(validate::number(&key, typed, 0.0, MAX_HOURS))
                .map(Some)
        };
        if let Some(own) = own {
            per_position.push((p, own));
        }
    }
    fields.finish()?;
    let (
        Some(budget),
        Some(required),
        Some(trainer),
        Some(venue),
        Some(class),
        Some(anonymity),
        Some(waves),
        Some(window),
        Some(peers),
    ) = (
        budget, required, trainer, venue, class, anonymity, waves, window, peers,
    )
    else {
        return Err(AppError::internal(
            "training rules: a checked field is missing",
        ));
    };
    let before = settings(db).await?;
    let days = waves.map_or_else(
        || before.follow_up_days.clone(),
        |w| {
            w.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(",")
        },
    );
    let window = window.unwrap_or(before.follow_up_window);
    let peers = peers.unwrap_or(before.follow_up_peers);
    let txn = db.begin().await?;
    let row = training_setting::ActiveModel {
        id: Set(1),
        hours_budget: Set(budget),
        hours_required: Set(required),
        trainer_rate: Set(trainer),
        venue_rate: Set(venue),
        class_size: Set(class),
        anonymity_threshold: Set(anonymity),
        follow_up_days: Set(days.clone()),
        follow_up_window: Set(window),
        follow_up_peers: Set(peers),
        updated_at: Set(Utc::now()),
    };
    if training_setting::Entity::find_by_id(1)
        .one(&txn)
        .await?
        .is_some()
    {
        row.update(&txn).await?;
    } else {
        row.insert(&txn).await?;
    }
    let mut changed = Vec::new();
    for (p, own) in per_position {
        if p.hours_required != own {
            changed.push(json!({ "position": p.code, "from": p.hours_required, "to": own }));
            position::ActiveModel {
                id: Set(p.id),
                hours_required: Set(own),
                ..Default::default()
            }
            .update(&txn)
            .await?;
        }
    }
    crate::audit::Entry::new(me.id, AuditAction::SettingsUpdate)
        .on("training_settings", Uuid::nil())
        .before(json!({
            "hours_budget": before.hours_budget,
            "hours_required": before.hours_required,
            "trainer_rate": before.trainer_rate,
            "venue_rate": before.venue_rate,
            "class_size": before.class_size,
            "anonymity_threshold": before.anonymity_threshold,
            "follow_up_days": before.follow_up_days,
            "follow_up_window": before.follow_up_window,
            "follow_up_peers": before.follow_up_peers,
        }))
        .after(json!({
            "hours_budget": budget,
            "hours_required": required,
            "trainer_rate": trainer,
            "venue_rate": venue,
            "class_size": class,
            "anonymity_threshold": anonymity,
            "follow_up_days": days,
            "follow_up_window": window,
            "follow_up_peers": peers,
            "positions": changed,
        }))
        .record(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_position_of_its_own_overrides_the_office() {
        let (own, other) = (Uuid::new_v4(), Uuid::new_v4());
        let r = Requirement {
            office: 40.0,
            by_position: HashMap::from([(own, 60.0)]),
        };
        assert_eq!(r.of(Some(own)), 60.0);
        assert_eq!(r.of(Some(other)), 40.0);
        assert_eq!(r.of(None), 40.0);
    }
}
