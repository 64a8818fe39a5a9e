//! Reading and writing indicator values: the grid, the CSV import (preview,
//! then all or nothing) and the report with its comparison.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::did::{self, month_index, month_name};
use super::plan::{self, Lookup};
use super::{
    Comparison, CourseResult, Grid, ImportPreview, ImportRow, IndicatorDto, ResultsReport,
    TRAINED_SHARE, UNTRAINED_SHARE, UnitSeries, WINDOW, cell_field,
};
use crate::auth::guard::SessionUser;
use crate::common::validate::{self, Fields};
use crate::common::{clock, uploads};
use crate::domain::{AssignmentStatus, AuditAction, UploadKind};
use crate::entities::{assignment, course, indicator, indicator_value, org_unit, person};
use crate::error::{AppError, Problem};
use crate::state::AppState;

/// `YYYY-01` … `YYYY-12`.
fn months_of(year: i32) -> Vec<String> {
    (1..=12).map(|m| format!("{year:04}-{m:02}")).collect()
}

async fn indicators(db: &impl ConnectionTrait) -> Result<Vec<indicator::Model>, AppError> {
    Ok(indicator::Entity::find()
        .order_by_asc(indicator::Column::Position)
        .all(db)
        .await?)
}

fn dto(i: &indicator::Model) -> IndicatorDto {
    IndicatorDto {
        code: i.code.clone(),
        name: i.name.clone(),
        measure: i.measure.clone(),
        higher_is_better: i.higher_is_better,
    }
}

async fn active_units(db: &impl ConnectionTrait) -> Result<Vec<org_unit::Model>, AppError> {
    Ok(org_unit::Entity::find()
        .filter(org_unit::Column::Active.eq(true))
        .order_by_asc(org_unit::Column::Code)
        .all(db)
        .await?)
}

pub async fn grid(
    state: &AppState,
    unit: Option<Uuid>,
    year: Option<i32>,
) -> Result<Grid, AppError> {
    let db = &state.db;
    let units = active_units(db).await?;
    let unit = match unit {
        Some(u) if units.iter().any(|x| x.id == u) => Some(u),
        Some(_) => return Err(AppError::NotFound),
        None => units.first().map(|u| u.id),
    };
    let year = year.unwrap_or_else(|| Utc::now().with_timezone(&state.settings.timezone).year());
    let months = months_of(year);
    let mut values = HashMap::new();
    if let Some(u) = unit {
        for v in indicator_value::Entity::find()
            .filter(indicator_value::Column::UnitId.eq(u))
            .filter(indicator_value::Column::Month.is_in(months.clone()))
            .all(db)
            .await?
        {
            values.insert(cell_field(&v.indicator, &v.month), v.value);
        }
    }
    Ok(Grid {
        units: units.into_iter().map(|u| (u.id, u.name)).collect(),
        unit,
        year,
        indicators: indicators(db).await?.iter().map(dto).collect(),
        months,
        values,
    })
}

/// Checks every typed cell first, then replaces the unit's year in one
/// transaction.
pub async fn save(
    db: &DatabaseConnection,
    me: &SessionUser,
    unit: Uuid,
    year: i32,
    typed: HashMap<String, String>,
) -> Result<usize, AppError> {
    org_unit::Entity::find_by_id(unit)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let months = months_of(year);
    let mut fields = Fields::new();
    let mut rows = Vec::new();
    for i in indicators(db).await? {
        for m in &months {
            let key = cell_field(&i.code, m);
            let text = typed
                .get(&key)
                .map(|t| t.trim().replace(',', ""))
                .unwrap_or_default();
            if text.is_empty() {
                continue;
            }
            if let Some(v) = fields.take(validate::number(&key, &text, 0.0, plan::MAX_VALUE)) {
                rows.push((i.code.clone(), m.clone(), v));
            }
        }
    }
    fields.finish()?;
    let txn = db.begin().await?;
    indicator_value::Entity::delete_many()
        .filter(indicator_value::Column::UnitId.eq(unit))
        .filter(indicator_value::Column::Month.is_in(months))
        .exec(&txn)
        .await?;
    let written = rows.len();
    for (code, month, value) in rows {
        stored(unit, code, month, value).insert(&txn).await?;
    }
    crate::audit::Entry::new(me.id, AuditAction::IndicatorsSave)
        .on("org_unit", unit)
        .after(json!({ "year": year, "values": written }))
        .record(&txn)
        .await?;
    txn.commit().await?;
    Ok(written)
}

fn stored(unit: Uuid, code: String, month: String, value: f64) -> indicator_value::ActiveModel {
    indicator_value::ActiveModel {
        unit_id: Set(unit),
        indicator: Set(code),
        month: Set(month),
        value: Set(value),
        updated_at: Set(Utc::now()),
    }
}

async fn lookup(db: &impl ConnectionTrait) -> Result<Lookup, AppError> {
    let mut l = Lookup::default();
    for u in active_units(db).await? {
        l.units.insert(u.code.to_lowercase(), u.id);
        l.units.insert(u.name.to_lowercase(), u.id);
    }
    for i in indicators(db).await? {
        l.indicators.insert(i.code.to_lowercase(), i.code.clone());
        l.indicators.insert(i.name.to_lowercase(), i.code);
    }
    Ok(l)
}

pub async fn preview(db: &DatabaseConnection, id: Uuid) -> Result<ImportPreview, AppError> {
    let up = uploads::find(db, UploadKind::Indicators, id).await?;
    let (rows, file_problems) = match up.imported_at {
        Some(_) => (Vec::new(), Vec::new()),
        None => match plan::plan(&up.content, &lookup(db).await?) {
            Ok(rows) => (rows, Vec::new()),
            Err(problems) => (Vec::new(), problems),
        },
    };
    Ok(ImportPreview {
        id,
        file_name: up.file_name,
        imported: up.imported_at.is_some(),
        file_problems,
        rows: rows
            .into_iter()
            .map(|r| ImportRow {
                line: r.line,
                unit: r.unit,
                month: r.month,
                indicator: r.indicator,
                value: r.value,
                errors: r.errors,
            })
            .collect(),
    })
}

/// Writes every row (a value already there for the month is replaced), or
/// nothing when the file or any row is wrong.
pub async fn import(
    db: &DatabaseConnection,
    me: &SessionUser,
    id: Uuid,
) -> Result<usize, AppError> {
    let txn = db.begin().await?;
    let up = uploads::claim(&txn, UploadKind::Indicators, id).await?;
    let rows = plan::plan(&up.content, &lookup(&txn).await?).map_err(validate::file_problems)?;
    validate::row_errors(rows.iter().map(|r| (r.line, &r.errors[..]))).finish()?;
    for r in &rows {
        let (Some(unit), Some(code), Some(month), Some(value)) =
            (r.unit_id, r.code.clone(), r.month_key.clone(), r.number)
        else {
            return Err(AppError::internal(
                "indicator import: a checked row is incomplete",
            ));
        };
        indicator_value::Entity::delete_many()
            .filter(indicator_value::Column::UnitId.eq(unit))
            .filter(indicator_value::Column::Indicator.eq(code.clone()))
            .filter(indicator_value::Column::Month.eq(month.clone()))
            .exec(&txn)
            .await?;
        stored(unit, code, month, value).insert(&txn).await?;
    }
    crate::audit::Entry::new(me.id, AuditAction::IndicatorsImport)
        .on("upload", id)
        .after(json!({ "file": up.file_name, "rows": rows.len() }))
        .record(&txn)
        .await?;
    txn.commit().await?;
    Ok(rows.len())
}

pub async fn report(
    state: &AppState,
    wanted: Option<String>,
    course: Option<Uuid>,
) -> Result<ResultsReport, AppError> {
    let db = &state.db;
    let all = indicators(db).await?;
    let chosen = match wanted {
        Some(code) => Some(all.iter().find(|i| i.code == code).ok_or_else(|| {
            AppError::field(
                "indicator",
                Problem::Unknown {
                    value: code.chars().take(40).collect(),
                },
            )
        })?),
        None => all.first(),
    };
    let courses: Vec<(Uuid, String)> = course::Entity::find()
        .order_by_asc(course::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, format!("{} · {}", c.code, c.title)))
        .collect();
    if let Some(c) = course
        && !courses.iter().any(|(id, _)| *id == c)
    {
        return Err(AppError::NotFound);
    }
    let units: HashMap<Uuid, String> = active_units(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let mut by_unit: BTreeMap<String, (Uuid, BTreeMap<i32, f64>)> = BTreeMap::new();
    if let Some(i) = chosen {
        for v in indicator_value::Entity::find()
            .filter(indicator_value::Column::Indicator.eq(i.code.clone()))
            .all(db)
            .await?
        {
            let (Some(name), Some(m)) = (units.get(&v.unit_id), month_index(&v.month)) else {
                continue;
            };
            by_unit
                .entry(name.clone())
                .or_insert_with(|| (v.unit_id, BTreeMap::new()))
                .1
                .insert(m, v.value);
        }
    }
    let mut months: Vec<i32> = by_unit
        .values()
        .flat_map(|(_, s)| s.keys().copied())
        .collect();
    months.sort_unstable();
    months.dedup();
    let taken = match course {
        Some(c) => Taken::load(state, c).await?,
        None => Taken::default(),
    };
    let mut series: Vec<UnitSeries> = by_unit
        .iter()
        .map(|(name, (id, values))| {
            let staff = taken.staff.get(id).copied().unwrap_or(0);
            let per_month = taken.per_month.get(id).cloned().unwrap_or_default();
            let done: usize = per_month.values().sum();
            UnitSeries {
                unit_id: *id,
                unit: name.clone(),
                values: values.iter().map(|(m, v)| (month_name(*m), *v)).collect(),
                completions: per_month
                    .iter()
                    .map(|(m, n)| (month_name(*m), *n))
                    .collect(),
                staff,
                trained_in: trained_in(&per_month, staff).map(month_name),
                untrained: course.is_some() && (done as f64) < UNTRAINED_SHARE * staff as f64,
            }
        })
        .collect();
    // The trained units first, then the others by name.
    series
        .sort_by(|a, b| (a.trained_in.is_none(), &a.unit).cmp(&(b.trained_in.is_none(), &b.unit)));
    let comparison = course.and_then(|_| compare(&series, &by_unit));
    Ok(ResultsReport {
        indicators: all.iter().map(dto).collect(),
        indicator: chosen.map(dto),
        courses,
        course,
        months: months.into_iter().map(month_name).collect(),
        series,
        comparison,
    })
}

/// Every indicator's trained-against-untrained comparison for one course, for
/// the course's evaluation page. Indicator values are the office's, not any
/// person's, so every reader sees the same comparison.
pub async fn course_results(state: &AppState, course: Uuid) -> Result<Vec<CourseResult>, AppError> {
    let mut out = Vec::new();
    for i in indicators(&state.db).await? {
        let r = report(state, Some(i.code.clone()), Some(course)).await?;
        out.push(CourseResult {
            indicator: dto(&i),
            comparison: r.comparison,
        });
    }
    Ok(out)
}

/// The month by which at least [`TRAINED_SHARE`] of a unit's staff had
/// completed the course.
fn trained_in(per_month: &BTreeMap<i32, usize>, staff: usize) -> Option<i32> {
    if staff == 0 {
        return None;
    }
    let mut total = 0;
    per_month.iter().find_map(|(m, n)| {
        total += n;
        (total as f64 >= TRAINED_SHARE * staff as f64).then_some(*m)
    })
}

fn compare(
    series: &[UnitSeries],
    by_unit: &BTreeMap<String, (Uuid, BTreeMap<i32, f64>)>,
) -> Option<Comparison> {
    let trained: Vec<&UnitSeries> = series.iter().filter(|s| s.trained_in.is_some()).collect();
    let untrained: Vec<&UnitSeries> = series.iter().filter(|s| s.untrained).collect();
    if trained.is_empty() || untrained.is_empty() {
        return None;
    }
    let mut at: Vec<i32> = trained
        .iter()
        .filter_map(|s| s.trained_in.as_deref().and_then(month_index))
        .collect();
    at.sort_unstable();
    let month = *at.get(at.len() / 2)?;
    let values = |s: &&UnitSeries| by_unit.get(&s.unit).map(|(_, v)| v);
    let t: Vec<&BTreeMap<i32, f64>> = trained.iter().filter_map(values).collect();
    let u: Vec<&BTreeMap<i32, f64>> = untrained.iter().filter_map(values).collect();
    Some(Comparison {
        month: month_name(month),
        trained: trained.iter().map(|s| s.unit.clone()).collect(),
        untrained: untrained.iter().map(|s| s.unit.clone()).collect(),
        did: did::did(&t, &u, month, WINDOW),
    })
}

/// Who completed a course, per unit and month, and each unit's staff.
#[derive(Default)]
struct Taken {
    per_month: HashMap<Uuid, BTreeMap<i32, usize>>,
    staff: HashMap<Uuid, usize>,
}

impl Taken {
    async fn load(state: &AppState, course: Uuid) -> Result<Self, AppError> {
        let db = &state.db;
        let people: HashMap<Uuid, Option<Uuid>> = person::Entity::find()
            .filter(person::Column::Active.eq(true))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.id, p.unit_id))
            .collect();
        let mut staff: HashMap<Uuid, usize> = HashMap::new();
        for unit in people.values().flatten() {
            *staff.entry(*unit).or_default() += 1;
        }
        let mut per_month: HashMap<Uuid, BTreeMap<i32, usize>> = HashMap::new();
        for a in assignment::Entity::find()
            .filter(assignment::Column::CourseId.eq(course))
            .filter(assignment::Column::Status.eq(AssignmentStatus::Completed))
            .all(db)
            .await?
        {
            let (Some(Some(unit)), Some(at)) = (people.get(&a.person_id), a.completed_at) else {
                continue;
            };
            let Some(m) = month_index(&clock::local(state.settings.timezone, at, "%Y-%m")) else {
                continue;
            };
            *per_month.entry(*unit).or_default().entry(m).or_default() += 1;
        }
        Ok(Self { per_month, staff })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_unit_is_trained_once_a_third_has_completed() {
        let per_month: BTreeMap<i32, usize> = [(10, 2), (11, 3), (12, 9)].into_iter().collect();
        assert_eq!(trained_in(&per_month, 15), Some(11), "5 of 15 by month 11");
        assert_eq!(trained_in(&per_month, 100), None);
        assert_eq!(trained_in(&per_month, 0), None);
    }
}
