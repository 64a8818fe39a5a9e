//! Indicator values as plain HTTP: the CSV upload (kept for a preview; nothing
//! changes until it is confirmed) and the export, in the import's own format.

use std::collections::HashMap;

use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};
use sea_orm::{EntityTrait, QueryOrder};

use super::Keepers;
use crate::common::uploads;
use crate::common::web::{Caller, csv_document, csv_response, error_response};
use crate::domain::UploadKind;
use crate::entities::{indicator_value, org_unit};
use crate::gaps::Analysts;
use crate::state::AppState;

/// Eighteen months of six units' five indicators is a few KB; this is plenty.
pub const MAX_BYTES: usize = 2 * 1024 * 1024;

/// `POST /indicators/upload`
pub async fn upload_indicators(
    State(state): State<AppState>,
    caller: Caller<Keepers>,
    mut multipart: Multipart,
) -> Response {
    let (name, text) = match uploads::read_file(&mut multipart, MAX_BYTES, "indicators.csv").await {
        Ok(file) => file,
        Err(problem) => {
            return Redirect::to(&format!("/indicators/grid?error={problem}")).into_response();
        }
    };
    match uploads::store(&state.db, &caller.me, UploadKind::Indicators, &name, text).await {
        Ok(id) => Redirect::to(&format!("/indicators/import/{id}")).into_response(),
        Err(e) => error_response(&e),
    }
}

/// `GET /export/indicators.csv`: every value, one row per unit, month and
/// indicator.
pub async fn export_indicators(
    State(state): State<AppState>,
    caller: Caller<Analysts>,
) -> Response {
    let body = async {
        let db = &state.db;
        let units: HashMap<_, _> = org_unit::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.code))
            .collect();
        let rows: Vec<Vec<String>> = indicator_value::Entity::find()
            .order_by_asc(indicator_value::Column::Month)
            .order_by_asc(indicator_value::Column::Indicator)
            .all(db)
            .await?
            .into_iter()
            .map(|v| {
                vec![
                    units.get(&v.unit_id).cloned().unwrap_or_default(),
                    v.month,
                    v.indicator,
                    v.value.to_string(),
                ]
            })
            .collect();
        csv_document(&["unit", "month", "indicator", "value"], rows)
    }
    .await;
    csv_response(&state.db, &caller.me, "gapwise-indicators.csv", body).await
}
