//! Framework CSV download and upload, as plain HTTP so they work without JavaScript.

use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

use super::{Editors, Readers};
use crate::common::uploads;
use crate::common::web::{Caller, csv_document, csv_response, error_response};
use crate::domain::UploadKind;
use crate::state::AppState;

/// Largest framework file accepted; a framework is a few dozen rows.
pub const MAX_BYTES: usize = 512 * 1024;

/// `GET /export/frameworks/{id}`: the version as CSV in the import format.
pub async fn export_framework(
    State(state): State<AppState>,
    caller: Caller<Readers>,
    Path(id): Path<Uuid>,
) -> Response {
    let body = async {
        let f = super::frameworks::get_framework(&state.db, id).await?;
        let rows: Vec<Vec<String>> = f
            .domains
            .iter()
            .filter(|d| !d.archived)
            .flat_map(|d| {
                d.competencies.iter().filter(|c| !c.archived).map(|c| {
                    let mut row = vec![
                        d.name.clone(),
                        c.code.clone(),
                        c.name.clone(),
                        c.description.clone(),
                    ];
                    row.extend(c.levels.iter().cloned());
                    row
                })
            })
            .collect();
        csv_document(&super::csv::HEADERS, rows)
    }
    .await;
    csv_response(&state.db, &caller.me, &format!("framework-{id}.csv"), body).await
}

/// `POST /frameworks/upload`: keeps the file for a preview; nothing is created yet.
pub async fn upload_framework(
    State(state): State<AppState>,
    caller: Caller<Editors>,
    mut multipart: Multipart,
) -> Response {
    let (name, text) = match uploads::read_file(&mut multipart, MAX_BYTES, "framework.csv").await {
        Ok(file) => file,
        Err(problem) => {
            return Redirect::to(&format!("/frameworks/import?error={problem}")).into_response();
        }
    };
    match uploads::store(&state.db, &caller.me, UploadKind::Framework, &name, text).await {
        Ok(id) => Redirect::to(&format!("/frameworks/import/{id}")).into_response(),
        Err(e) => error_response(&e),
    }
}
