//! The learning-hours record as CSV, for the person or those who see them.

use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use crate::common::parse_id;
use crate::common::web::{Caller, Everyone, csv_document, csv_response};
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
pub struct Params {
    person: Option<String>,
    year: Option<String>,
}

/// `GET /export/learning/hours.csv`
pub async fn export_hours(
    State(state): State<AppState>,
    Caller { me, .. }: Caller<Everyone>,
    Query(p): Query<Params>,
) -> Response {
    let body = async {
        let person = parse_id("person", p.person.as_deref())?;
        let year = p.year.as_deref().and_then(|y| y.trim().parse().ok());
        let t = super::service::transcript(&state.db, &state.settings, &me, person, year).await?;
        let lines = t.lines.into_iter().map(|l| {
            vec![
                t.employee_no.clone(),
                t.person.clone(),
                t.year.to_string(),
                l.completed_on,
                l.code,
                l.title,
                format!("{}", l.hours),
                l.certificate.unwrap_or_default(),
            ]
        });
        csv_document(
            &[
                "employee_no",
                "name",
                "year",
                "completed",
                "course_code",
                "course",
                "hours",
                "certificate",
            ],
            lines.collect::<Vec<_>>(),
        )
    }
    .await;
    csv_response(&state.db, &me, "gapwise-learning-hours.csv", body).await
}
