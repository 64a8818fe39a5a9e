//! The roster as plain HTTP: the upload (a multipart form post, so it works without
//! JavaScript; kept for preview, people change only on confirmation) and the export
//! of the people a caller may see, as CSV in the import's own format.

use std::collections::HashMap;

use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};
use sea_orm::{EntityTrait, QueryFilter, QueryOrder};

use super::{Admins, PeopleReaders};
use crate::auth::guard::SessionUser;
use crate::common::uploads;
use crate::common::web::{Caller, CsvDocument, csv_document, csv_response, error_response};
use crate::domain::{UploadKind, Vocabulary};
use crate::entities::{org_unit, person, position};
use crate::error::AppError;
use crate::org::people::roles_by_person;
use crate::org::visibility::Scope;
use crate::state::AppState;

/// Largest roster accepted: a county office's roster is a few hundred KB at most.
pub const MAX_BYTES: usize = 2 * 1024 * 1024;

/// `POST /admin/roster/upload`: keeps the file for a preview.
pub async fn upload_roster(
    State(state): State<AppState>,
    caller: Caller<Admins>,
    mut multipart: Multipart,
) -> Response {
    let (name, text) = match uploads::read_file(&mut multipart, MAX_BYTES, "roster.csv").await {
        Ok(file) => file,
        Err(problem) => {
            return Redirect::to(&format!("/admin/roster?error={problem}")).into_response();
        }
    };
    match uploads::store(&state.db, &caller.me, UploadKind::Roster, &name, text).await {
        Ok(id) => Redirect::to(&format!("/admin/roster/{id}")).into_response(),
        Err(e) => error_response(&e),
    }
}

/// `GET /export/people.csv`.
pub async fn export_people(
    State(state): State<AppState>,
    caller: Caller<PeopleReaders>,
) -> Response {
    let body = roster_csv(&state, &caller.me).await;
    csv_response(&state.db, &caller.me, "gapwise-people.csv", body).await
}

async fn roster_csv(state: &AppState, me: &SessionUser) -> Result<CsvDocument, AppError> {
    let db = &state.db;
    let scope = Scope::load(db, me).await?;
    let units: HashMap<_, _> = org_unit::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.code))
        .collect();
    let positions: HashMap<_, _> = position::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.code))
        .collect();
    let people = person::Entity::find()
        .filter(scope.condition())
        .order_by_asc(person::Column::EmployeeNo)
        .all(db)
        .await?;
    let numbers: HashMap<_, _> = person::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.employee_no))
        .collect();
    let mut roles = roles_by_person(db, None).await?;

    let header = [
        "employee_no",
        "name",
        "unit",
        "position",
        "manager",
        "roles",
        "email",
        "active",
    ];
    let rows = people.into_iter().map(|p| {
        let roles_text = roles
            .remove(&p.id)
            .unwrap_or_default()
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(";");
        let lookup = |id: Option<uuid::Uuid>, map: &HashMap<uuid::Uuid, String>| {
            id.and_then(|i| map.get(&i).cloned()).unwrap_or_default()
        };
        vec![
            p.employee_no.clone(),
            p.name.clone(),
            lookup(p.unit_id, &units),
            lookup(p.position_id, &positions),
            lookup(p.manager_id, &numbers),
            roles_text,
            p.email.clone().unwrap_or_default(),
            (if p.active { "yes" } else { "no" }).to_owned(),
        ]
    });
    csv_document(&header, rows.collect::<Vec<_>>())
}
