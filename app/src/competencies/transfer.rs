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
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => {
                let name = field.file_name().unwrap_or("framework.csv").to_owned();
                match field.bytes().await {
                    Ok(bytes) if bytes.len() <= MAX_BYTES => file = Some((name, bytes.to_vec())),
                    _ => return Redirect::to("/frameworks/import?error=too_large").into_response(),
                }
            }
            Ok(Some(_)) => continue,
            Ok(None) => break,
            Err(_) => return Redirect::to("/frameworks/import?error=unreadable").into_response(),
        }
    }
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return Redirect::to("/frameworks/import?error=no_file").into_response();
    };
    let text = crate::org::upload::decode(&bytes);
    match super::service::store_upload(&state.db, &me, &name, text).await {
        Ok(id) => Redirect::to(&format!("/frameworks/import/{id}")).into_response(),
        Err(e) => csv_response("", Err::<Vec<u8>, AppError>(e)),
    }
}
