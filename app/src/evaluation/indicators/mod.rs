//! Level 4 of the evaluation, results: the office's service indicators per unit
//! and month, entered on a grid or imported from CSV; charts of each over time
//! with the months a unit's staff completed a chosen course marked; and trained
//! against untrained units compared by difference in differences.

pub mod did;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod plan;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod transfer;

use std::collections::HashMap;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::Role;
#[cfg(feature = "ssr")]
use crate::common::{parse_id, required_id};
use crate::error::{AppError, FieldError, Problem};
use did::Did;

/// Who enters and imports indicator values.
pub const KEEPERS: &[Role] = &[Role::Admin];

#[cfg(feature = "ssr")]
pub struct Keepers;
#[cfg(feature = "ssr")]
impl crate::common::web::RoleSet for Keepers {
    const ROLES: &'static [Role] = KEEPERS;
}

/// How many months before and after the training the comparison uses.
pub const WINDOW: i32 = 6;
/// A unit counts as trained once this share of its staff completed the course,
/// and as untrained while fewer than [`UNTRAINED_SHARE`] have.
pub const TRAINED_SHARE: f64 = 1.0 / 3.0;
pub const UNTRAINED_SHARE: f64 = 0.1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorDto {
    pub code: String,
    pub name: String,
    pub measure: String,
    pub higher_is_better: bool,
}

/// The grid field of one indicator's value in one month.
pub fn cell_field(code: &str, month: &str) -> String {
    format!("{code}_{month}")
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grid {
    /// (id, name) of every active unit.
    pub units: Vec<(Uuid, String)>,
    pub unit: Option<Uuid>,
    pub year: i32,
    pub indicators: Vec<IndicatorDto>,
    /// `YYYY-MM`, January first.
    pub months: Vec<String>,
    /// Keyed by [`cell_field`].
    pub values: HashMap<String, f64>,
}

#[server(prefix = "/api", endpoint = "indicators/grid")]
pub async fn get_indicator_grid(
    unit: Option<String>,
    year: Option<String>,
) -> Result<Grid, AppError> {
    crate::auth::guard::any_role(KEEPERS, |ctx, _me| async move {
        let unit = parse_id("unit", unit.as_deref())?;
        let year = match year.as_deref().map(str::trim).filter(|y| !y.is_empty()) {
            Some(y) => Some(
                crate::common::validate::number("year", y, 2000, 2100).map_err(AppError::from)?,
            ),
            None => None,
        };
        service::grid(&ctx.state, unit, year).await
    })
    .await
}

/// Saves one unit's year: every typed value is checked first; a blank cell
/// removes its value.
#[server(prefix = "/api", endpoint = "indicators/save")]
pub async fn save_indicator_grid(
    unit: String,
    year: String,
    value: Option<HashMap<String, String>>,
) -> Result<(), AppError> {
    crate::auth::guard::any_role(KEEPERS, |ctx, me| async move {
        let unit = required_id("unit", &unit)?;
        let year =
            crate::common::validate::number("year", &year, 2000, 2100).map_err(AppError::from)?;
        service::save(&ctx.state.db, &me, unit, year, value.unwrap_or_default()).await?;
        leptos_axum::redirect(&format!("/indicators/grid?unit={unit}&year={year}&saved=1"));
        Ok(())
    })
    .await
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportRow {
    pub line: usize,
    pub unit: String,
    pub month: String,
    pub indicator: String,
    pub value: String,
    pub errors: Vec<FieldError>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportPreview {
    pub id: Uuid,
    pub file_name: String,
    pub imported: bool,
    pub file_problems: Vec<Problem>,
    pub rows: Vec<ImportRow>,
}

#[server(prefix = "/api", endpoint = "indicators/preview")]
pub async fn preview_indicator_import(id: String) -> Result<ImportPreview, AppError> {
    crate::auth::guard::any_role(KEEPERS, |ctx, _me| async move {
        service::preview(&ctx.state.db, required_id("id", &id)?).await
    })
    .await
}

/// Writes every row of the file, or nothing when any row is wrong.
#[server(prefix = "/api", endpoint = "indicators/import")]
pub async fn import_indicators(id: String) -> Result<(), AppError> {
    crate::auth::guard::any_role(KEEPERS, |ctx, me| async move {
        let n = service::import(&ctx.state.db, &me, required_id("id", &id)?).await?;
        leptos_axum::redirect(&format!("/indicators?imported={n}"));
        Ok(())
    })
    .await
}

/// One unit's line on the chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitSeries {
    pub unit_id: Uuid,
    pub unit: String,
    /// (`YYYY-MM`, value), oldest first.
    pub values: Vec<(String, f64)>,
    /// (`YYYY-MM`, how many of the unit's staff completed the course then).
    pub completions: Vec<(String, usize)>,
    pub staff: usize,
    /// The month the unit counted as trained, if it did.
    pub trained_in: Option<String>,
    /// Below [`UNTRAINED_SHARE`] of its staff completed the course.
    pub untrained: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// The trained units' median training month.
    pub month: String,
    pub trained: Vec<String>,
    pub untrained: Vec<String>,
    /// `None` when a group has no values before or after the month.
    pub did: Option<Did>,
}

/// One indicator's comparison for a course's evaluation page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CourseResult {
    pub indicator: IndicatorDto,
    /// `None` until a unit counts as trained and another as not yet trained.
    pub comparison: Option<Comparison>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultsReport {
    pub indicators: Vec<IndicatorDto>,
    pub indicator: Option<IndicatorDto>,
    /// (id, code and title) of every course.
    pub courses: Vec<(Uuid, String)>,
    pub course: Option<Uuid>,
    /// Every month with a value, oldest first.
    pub months: Vec<String>,
    pub series: Vec<UnitSeries>,
    /// With a course chosen and at least one trained and one untrained unit.
    pub comparison: Option<Comparison>,
}

#[server(prefix = "/api", endpoint = "indicators/report")]
pub async fn get_results_report(
    indicator: Option<String>,
    course: Option<String>,
) -> Result<ResultsReport, AppError> {
    crate::auth::guard::any_role(crate::gaps::ANALYSTS, |ctx, _me| async move {
        let course = parse_id("course", course.as_deref())?;
        service::report(&ctx.state, indicator.filter(|i| !i.is_empty()), course).await
    })
    .await
}
