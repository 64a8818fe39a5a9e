//! Roster export: the people a caller may see, as CSV in the import's own format
//! (UTF-8 with BOM so spreadsheet programs read the Chinese correctly).

use std::collections::HashMap;

use axum::Extension;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use sea_orm::{EntityTrait, QueryFilter, QueryOrder};

use crate::auth::Role;
use crate::auth::guard::{SessionUser, authorise};
use crate::entities::{org_unit, person, position};
use crate::error::AppError;
use crate::org::service::{roles_by_person, scope_of};
use crate::state::AppState;

pub async fn export_people(
    State(state): State<AppState>,
    user: Option<Extension<SessionUser>>,
) -> Response {
    let me = match authorise(
        user.as_ref().map(|u| &u.0),
        &[Role::Admin, Role::Manager, Role::Trainer],
    ) {
        Ok(me) => me,
        Err(AppError::Unauthorized) => return Redirect::to("/login").into_response(),
        Err(_) => return StatusCode::FORBIDDEN.into_response(),
    };
    match roster_csv(&state, &me).await {
        Ok(body) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"gapwise-people.csv\"",
                ),
            ],
            body,
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
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

    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut writer = csv::Writer::from_writer(&mut out);
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
        writer.write_record(header).map_err(AppError::internal)?;
        for p in people {
            let person_roles = roles.remove(&p.id).unwrap_or_default();
            let roles_text = person_roles
                .iter()
                .map(|r| r.as_str())
                .collect::<Vec<_>>()
                .join(";");
            let unit = p
                .unit_id
                .and_then(|u| units.get(&u).cloned())
                .unwrap_or_default();
            let position = p
                .position_id
                .and_then(|u| positions.get(&u).cloned())
                .unwrap_or_default();
            let manager = p
                .manager_id
                .and_then(|m| numbers.get(&m).cloned())
                .unwrap_or_default();
            let active = if p.active { "yes" } else { "no" };
            writer
                .write_record([
                    p.employee_no.as_str(),
                    p.name.as_str(),
                    unit.as_str(),
                    position.as_str(),
                    manager.as_str(),
                    roles_text.as_str(),
                    p.email.as_deref().unwrap_or(""),
                    active,
                ])
                .map_err(AppError::internal)?;
        }
        writer.flush().map_err(AppError::internal)?;
    }
    Ok(out)
}
