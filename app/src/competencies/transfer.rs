//! Framework CSV download and upload, as plain HTTP so they work without JavaScript.

use axum::Extension;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

use super::{EDITORS, READERS};
use crate::auth::guard::SessionUser;
use crate::download::{csv_document, csv_response, gate};
use crate::error::AppError;
use crate::state::AppState;

/// Largest framework file accepted; a framework is a few dozen rows.
pub const MAX_BYTES: usize = 512 * 1024;

/// `GET /export/frameworks/{id}`: the version as CSV in the import format.
pub async fn export_framework(
    State(state): State<AppState>,
    user: Option<Extension<SessionUser>>,
    Path(id): Path<Uuid>,
) -> Response {
    if let Err(response) = gate(user.as_ref(), READERS, "/frameworks") {
        return *response;
    }
    let body = async {
        let f = super::service::get_framework(&state.db, id).await?;
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
    csv_response(&format!("framework-{id}.csv"), body)
}

/// `POST /frameworks/upload`: keeps the file for a preview; nothing is created yet.
pub async fn upload_framework(
    State(state): State<AppState>,
    user: Option<Extension<SessionUser>>,
    mut multipart: Multipart,
) -> Response {
    let me = match gate(user.as_ref(), EDITORS, "/frameworks/import") {
        Ok(me) => me,
        Err(response) => return *response,
    };
    let (name, text) =
        match crate::org::upload::read_file(&mut multipart, MAX_BYTES, "framework.csv").await {
            Ok(file) => file,
            Err(problem) => {
                return Redirect::to(&format!("/frameworks/import?error={problem}"))
                    .into_response();
            }
        };
    match crate::org::service::store_upload(&state.db, &me, "framework", &name, text).await {
        Ok(id) => Redirect::to(&format!("/frameworks/import/{id}")).into_response(),
        Err(e) => csv_response("", Err::<Vec<u8>, AppError>(e)),
    }
}
