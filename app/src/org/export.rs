//! Roster export: the people a caller may see, as CSV in the import's own format
//! (UTF-8 with BOM so spreadsheet programs read the Chinese correctly).

use std::collections::HashMap;

use axum::Extension;
use axum::extract::State;
use axum::response::Response;
use sea_orm::{EntityTrait, QueryFilter, QueryOrder};

use crate::auth::Role;
use crate::auth::guard::SessionUser;
use crate::download::{csv_document, csv_response, gate};
use crate::entities::{org_unit, person, position};
use crate::error::AppError;
use crate::org::service::{roles_by_person, scope_of};
use crate::state::AppState;

pub async fn export_people(
    State(state): State<AppState>,
    user: Option<Extension<SessionUser>>,
) -> Response {
    let me = match gate(
        user.as_ref(),
        &[Role::Admin, Role::Manager, Role::Trainer],
        "/team",
    ) {
        Ok(me) => me,
        Err(response) => return *response,
    };
    csv_response("gapwise-people.csv", roster_csv(&state, &me).await)
}

async fn roster_csv(state: &AppState, me: &SessionUser) -> Result<Vec<u8>, AppError> {
    let db = &state.db;
    let scope = scope_of(db, me).await?;
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
