//! The plan as a spreadsheet, one row per line with its justification and cost,
//! then a total row: what an office attaches to its request for approval.

use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::pages::figure;
use super::service;
use crate::common::web::{Caller, RoleSet, csv_document, csv_response};
use crate::domain::Vocabulary;
use crate::state::AppState;

pub struct Planners;
impl RoleSet for Planners {
    const ROLES: &'static [crate::auth::Role] = super::PLANNERS;
}

#[derive(Debug, Default, Deserialize)]
pub struct Params {
    year: Option<String>,
}

fn money(v: f64) -> String {
    format!("{v:.2}")
}

/// `GET /export/plan.csv?year=YYYY`.
pub async fn export_plan(
    State(state): State<AppState>,
    Caller { me, .. }: Caller<Planners>,
    Query(p): Query<Params>,
) -> Response {
    let year = service::year_field(&state.settings, p.year.as_deref()).unwrap_or_default();
    let body = async {
        let year = service::year_field(&state.settings, p.year.as_deref())?;
        let plan = service::load(&state.db, &state.settings, &me, year).await?;
        let mut rows: Vec<Vec<String>> = plan
            .lines
            .iter()
            .map(|l| {
                vec![
                    l.ordinal.to_string(),
                    l.course_code.clone(),
                    l.course.clone(),
                    l.mode.as_str().to_owned(),
                    l.competencies
                        .iter()
                        .map(|(code, name, rank)| match rank {
                            Some(r) => format!("{code} {name} (#{r})"),
                            None => format!("{code} {name}"),
                        })
                        .collect::<Vec<_>>()
                        .join("; "),
                    l.units.join("; "),
                    l.positions.join("; "),
                    l.people.to_string(),
                    figure(l.hours),
                    figure(l.person_hours),
                    l.sessions.to_string(),
                    l.capacity.to_string(),
                    super::draft::months_text(&l.months),
                    money(l.trainer_cost),
                    money(l.venue_cost),
                    money(l.trainer_cost + l.venue_cost),
                    l.note.clone().unwrap_or_default(),
                ]
            })
            .collect();
        if !rows.is_empty() {
            let mut total = vec![String::new(); 17];
            total[2] = "TOTAL".into();
            total[7] = plan.people().to_string();
            total[9] = figure(plan.person_hours());
            total[10] = plan.sessions().to_string();
            total[15] = money(plan.cost());
            rows.push(total);
        }
        csv_document(
            &[
                "no",
                "course_code",
                "course",
                "mode",
                "gaps_addressed",
                "units",
                "positions",
                "people",
                "hours_per_person",
                "person_hours",
                "sessions",
                "seats_per_session",
                "months",
                "trainer_cost",
                "venue_cost",
                "total_cost",
                "note",
            ],
            rows,
        )
    }
    .await;
    csv_response(
        &state.db,
        &me,
        &format!("gapwise-training-plan-{year}.csv"),
        body,
    )
    .await
}
