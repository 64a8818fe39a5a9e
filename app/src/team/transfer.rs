//! CSV exports of team progress and learning hours, with the same filters and
//! scope as the pages.

use axum::extract::{Query, State};
use axum::response::Response;
use chrono::Utc;
use serde::Deserialize;

use super::TeamQuery;
use super::service::{Audience, hours_rows, rows};
use crate::common::clock;
use crate::common::web::{Caller, RoleSet, csv_document, csv_response};
use crate::state::AppState;

pub struct TeamReaders;
impl RoleSet for TeamReaders {
    const ROLES: &'static [crate::auth::Role] = super::TEAM_READERS;
}

#[derive(Debug, Default, Deserialize)]
pub struct Params {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    course: String,
    #[serde(default)]
    stage: String,
    year: Option<String>,
}

/// `GET /export/team/progress.csv`: one row per person and assigned course.
pub async fn export_progress(
    State(state): State<AppState>,
    Caller { me, .. }: Caller<TeamReaders>,
    Query(p): Query<Params>,
) -> Response {
    let body = async {
        let audience = Audience::load(&state.db, &me, &p.unit).await?;
        let q = TeamQuery {
            unit: p.unit.clone(),
            course: p.course.clone(),
            stage: p.stage.clone(),
            page: 1,
        };
        let (found, ..) = rows(&state.db, &state.settings, &audience, &q, None).await?;
        let lines = found.into_iter().map(|r| {
            vec![
                r.employee_no,
                r.person,
                r.unit.unwrap_or_default(),
                r.course_code,
                r.course,
                r.stage.as_str().to_owned(),
                r.lessons_done.to_string(),
                r.lessons_total.to_string(),
                r.percent.to_string(),
                r.due.unwrap_or_default(),
                r.completed_on.unwrap_or_default(),
            ]
        });
        csv_document(
            &[
                "employee_no",
                "name",
                "unit",
                "course_code",
                "course",
                "stage",
                "lessons_done",
                "lessons_total",
                "percent",
                "due",
                "completed",
            ],
            lines.collect::<Vec<_>>(),
        )
    }
    .await;
    csv_response(&state.db, &me, "gapwise-team-progress.csv", body).await
}

/// `GET /export/team/hours.csv`: each person's completed hours in a year.
pub async fn export_hours(
    State(state): State<AppState>,
    Caller { me, .. }: Caller<TeamReaders>,
    Query(p): Query<Params>,
) -> Response {
    let body = async {
        let audience = Audience::load(&state.db, &me, &p.unit).await?;
        let year = p
            .year
            .as_deref()
            .and_then(|y| y.trim().parse::<i32>().ok())
            .filter(|y| clock::sensible_year(*y))
            .unwrap_or_else(|| clock::year_of(state.settings.timezone, Utc::now()));
        let (found, required) = hours_rows(&state.db, &state.settings, &audience, year).await?;
        let lines = found.into_iter().map(|r| {
            vec![
                r.employee_no,
                r.person,
                r.unit.unwrap_or_default(),
                year.to_string(),
                format!("{}", r.hours),
                format!("{required}"),
                r.courses.to_string(),
                (if r.behind { "yes" } else { "no" }).to_owned(),
            ]
        });
        csv_document(
            &[
                "employee_no",
                "name",
                "unit",
                "year",
                "hours",
                "required",
                "courses",
                "behind",
            ],
            lines.collect::<Vec<_>>(),
        )
    }
    .await;
    csv_response(&state.db, &me, "gapwise-learning-hours.csv", body).await
}
