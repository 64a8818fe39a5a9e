//! The office's structure: units (a tree), positions, people, roles, roster import.

#[cfg(feature = "ssr")]
pub mod lookup;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod people;
#[cfg(feature = "ssr")]
pub mod roster;
#[cfg(feature = "ssr")]
pub mod roster_import;
#[cfg(feature = "ssr")]
pub mod structure;
#[cfg(feature = "ssr")]
pub mod transfer;
pub mod tree;
#[cfg(feature = "ssr")]
pub mod visibility;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::Role;
#[cfg(feature = "ssr")]
use crate::common::{parse_id, require_confirmation};
use crate::error::{AppError, FieldError, Problem};

pub const PAGE_SIZE: u64 = 25;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitDto {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub parent_id: Option<Uuid>,
    pub active: bool,
    pub depth: usize,
    pub people: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PositionDto {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub active: bool,
    pub people: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRow {
    pub id: Uuid,
    pub employee_no: String,
    pub name: String,
    pub unit: Option<String>,
    pub position: Option<String>,
    pub manager: Option<String>,
    pub roles: Vec<Role>,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeoplePage {
    pub rows: Vec<PersonRow>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonDetail {
    pub id: Uuid,
    pub employee_no: String,
    pub name: String,
    pub email: Option<String>,
    pub unit_id: Option<Uuid>,
    pub position_id: Option<Uuid>,
    pub manager_no: Option<String>,
    pub roles: Vec<Role>,
    pub active: bool,
    pub locked: bool,
    pub can_sign_in: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RowAction {
    New,
    Update,
    Unchanged,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterPreviewRow {
    pub line: usize,
    pub employee_no: String,
    pub name: String,
    pub unit: String,
    pub position: String,
    pub manager: String,
    pub roles: String,
    pub action: RowAction,
    pub errors: Vec<FieldError>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterPreview {
    pub id: Uuid,
    pub file_name: String,
    pub file_problems: Vec<Problem>,
    pub rows: Vec<RosterPreviewRow>,
    pub imported: bool,
}

impl RosterPreview {
    pub fn is_valid(&self) -> bool {
        self.file_problems.is_empty() && self.rows.iter().all(|r| r.errors.is_empty())
    }
    pub fn count(&self, action: RowAction) -> usize {
        self.rows
            .iter()
            .filter(|r| r.action == action && r.errors.is_empty())
            .count()
    }
}

/// Who sets up the office: units, positions, people, roster.
pub const ADMIN: &[Role] = &[Role::Admin];
/// Who reads the unit tree and a person's record.
pub const ADMIN_OR_MANAGER: &[Role] = &[Role::Admin, Role::Manager];
/// Who reads people lists (each within their visibility) and exports them.
pub const PEOPLE_READERS: &[Role] = &[Role::Admin, Role::Manager, Role::Trainer];

#[cfg(feature = "ssr")]
pub struct Admins;
#[cfg(feature = "ssr")]
impl crate::common::web::RoleSet for Admins {
    const ROLES: &'static [Role] = ADMIN;
}
#[cfg(feature = "ssr")]
pub struct PeopleReaders;
#[cfg(feature = "ssr")]
impl crate::common::web::RoleSet for PeopleReaders {
    const ROLES: &'static [Role] = PEOPLE_READERS;
}

#[server(prefix = "/api", endpoint = "org/units")]
pub async fn list_units() -> Result<Vec<UnitDto>, AppError> {
    crate::auth::guard::any_role(ADMIN_OR_MANAGER, |ctx, me| async move {
        structure::list_units(&ctx.state.db, &me).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "org/units/save")]
pub async fn save_unit(
    id: Option<String>,
    code: String,
    name: String,
    parent_id: Option<String>,
) -> Result<(), AppError> {
    crate::auth::guard::any_role(ADMIN, |ctx, me| async move {
        let id = parse_id("id", id.as_deref())?;
        let parent = parse_id("parent_id", parent_id.as_deref())?;
        structure::save_unit(&ctx.state.db, &me, id, &code, &name, parent).await?;
        leptos_axum::redirect("/admin/units?saved=1");
        Ok(())
    })
    .await
}

#[server(prefix = "/api", endpoint = "org/units/active")]
pub async fn set_unit_active(
    id: String,
    active: bool,
    confirm: Option<String>,
) -> Result<(), AppError> {
    crate::auth::guard::any_role(ADMIN, |ctx, me| async move {
        let id = parse_id("id", Some(&id))?.ok_or(AppError::NotFound)?;
        require_confirmation(active, confirm.as_deref())?;
        structure::set_unit_active(&ctx.state.db, &me, id, active).await?;
        leptos_axum::redirect("/admin/units?saved=1");
        Ok(())
    })
    .await
}

#[server(prefix = "/api", endpoint = "org/positions")]
pub async fn list_positions() -> Result<Vec<PositionDto>, AppError> {
    crate::auth::guard::any_role(ADMIN, |ctx, _me| async move {
        structure::list_positions(&ctx.state.db).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "org/positions/save")]
pub async fn save_position(id: Option<String>, code: String, name: String) -> Result<(), AppError> {
    crate::auth::guard::any_role(ADMIN, |ctx, me| async move {
        let id = parse_id("id", id.as_deref())?;
        structure::save_position(&ctx.state.db, &me, id, &code, &name).await?;
        leptos_axum::redirect("/admin/positions?saved=1");
        Ok(())
    })
    .await
}

#[server(prefix = "/api", endpoint = "org/positions/active")]
pub async fn set_position_active(
    id: String,
    active: bool,
    confirm: Option<String>,
) -> Result<(), AppError> {
    crate::auth::guard::any_role(ADMIN, |ctx, me| async move {
        let id = parse_id("id", Some(&id))?.ok_or(AppError::NotFound)?;
        require_confirmation(active, confirm.as_deref())?;
        structure::set_position_active(&ctx.state.db, &me, id, active).await?;
        leptos_axum::redirect("/admin/positions?saved=1");
        Ok(())
    })
    .await
}

/// People visible to the caller: everyone for an admin or trainer, their subtree for
/// a manager.
#[server(prefix = "/api", endpoint = "org/people")]
pub async fn list_people(
    q: Option<String>,
    unit: Option<String>,
    page: Option<u64>,
    inactive: Option<bool>,
) -> Result<PeoplePage, AppError> {
    crate::auth::guard::any_role(PEOPLE_READERS, |ctx, me| async move {
        let unit = parse_id("unit", unit.as_deref())?;
        let filter = people::PeopleFilter {
            query: q.unwrap_or_default(),
            unit,
            page: page.unwrap_or(1).max(1),
            include_inactive: inactive.unwrap_or(false),
        };
        people::list_people(&ctx.state.db, &me, &filter).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "org/person")]
pub async fn get_person(id: String) -> Result<PersonDetail, AppError> {
    crate::auth::guard::any_role(ADMIN_OR_MANAGER, |ctx, me| async move {
        let id = parse_id("id", Some(&id))?.ok_or(AppError::NotFound)?;
        people::get_person(&ctx.state.db, &me, id).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "org/person/save")]

pub async fn save_person(
    id: Option<String>,
    employee_no: String,
    name: String,
    email: Option<String>,
    unit_id: Option<String>,
    position_id: Option<String>,
    manager_no: Option<String>,
    role_staff: Option<String>,
    role_trainer: Option<String>,
    role_manager: Option<String>,
    role_admin: Option<String>,
) -> Result<(), AppError> {
    crate::auth::guard::any_role(ADMIN, |ctx, me| async move {
        let roles: Vec<Role> = [
            (Role::Staff, role_staff),
            (Role::Trainer, role_trainer),
            (Role::Manager, role_manager),
            (Role::Admin, role_admin),
        ]
        .into_iter()
        .filter(|(_, on)| on.is_some())
        .map(|(r, _)| r)
        .collect();
        let input = people::PersonInput {
            id: parse_id("id", id.as_deref())?,
            employee_no: employee_no.trim().to_owned(),
            name: name.trim().to_owned(),
            email: email.map(|e| e.trim().to_owned()).filter(|e| !e.is_empty()),
            unit_id: parse_id("unit_id", unit_id.as_deref())?,
            position_id: parse_id("position_id", position_id.as_deref())?,
            manager_no: manager_no
                .map(|m| m.trim().to_owned())
                .filter(|m| !m.is_empty()),
            roles,
        };
        let id = people::save_person(&ctx.state.db, &me, input).await?;
        leptos_axum::redirect(&format!("/admin/people/{id}?saved=1"));
        Ok(())
    })
    .await
}

#[server(prefix = "/api", endpoint = "org/person/active")]
pub async fn set_person_active(
    id: String,
    active: bool,
    confirm: Option<String>,
) -> Result<(), AppError> {
    crate::auth::guard::any_role(ADMIN, |ctx, me| async move {
        let id = parse_id("id", Some(&id))?.ok_or(AppError::NotFound)?;
        require_confirmation(active, confirm.as_deref())?;
        people::set_person_active(&ctx.state.db, &me, id, active).await?;
        leptos_axum::redirect(&format!("/admin/people/{id}?saved=1"));
        Ok(())
    })
    .await
}

#[server(prefix = "/api", endpoint = "org/person/password")]
pub async fn reset_password(
    id: String,
    new_password: String,
    confirm: String,
) -> Result<(), AppError> {
    crate::auth::guard::any_role(ADMIN, |ctx, me| async move {
        let id = parse_id("id", Some(&id))?.ok_or(AppError::NotFound)?;
        people::reset_password(&ctx.state, &me, id, &new_password, &confirm).await?;
        leptos_axum::redirect(&format!("/admin/people/{id}?password=1"));
        Ok(())
    })
    .await
}

/// Lifts a lock left by failed sign-ins.
#[server(prefix = "/api", endpoint = "org/person/unlock")]
pub async fn unlock_person(id: String) -> Result<(), AppError> {
    crate::auth::guard::any_role(ADMIN, |ctx, me| async move {
        let id = parse_id("id", Some(&id))?.ok_or(AppError::NotFound)?;
        people::unlock(&ctx.state.db, &me, id).await?;
        leptos_axum::redirect(&format!("/admin/people/{id}?unlocked=1"));
        Ok(())
    })
    .await
}

#[server(prefix = "/api", endpoint = "org/roster/preview")]
pub async fn preview_roster(id: String) -> Result<RosterPreview, AppError> {
    crate::auth::guard::any_role(ADMIN, |ctx, _me| async move {
        let id = parse_id("id", Some(&id))?.ok_or(AppError::NotFound)?;
        roster_import::roster_preview(&ctx.state.db, id).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "org/roster/import")]
pub async fn import_roster(id: String) -> Result<(), AppError> {
    crate::auth::guard::any_role(ADMIN, |ctx, me| async move {
        let id = parse_id("id", Some(&id))?.ok_or(AppError::NotFound)?;
        let written = roster_import::import_roster(&ctx.state.db, &me, id).await?;
        leptos_axum::redirect(&format!("/admin/people?imported={written}"));
        Ok(())
    })
    .await
}
