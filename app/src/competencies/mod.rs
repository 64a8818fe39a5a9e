//! Competency frameworks (domains → competencies with a 1..5 scale), their versions,
//! CSV import and export, and the target profile each position must reach.

#[cfg(feature = "ssr")]
pub mod csv;
#[cfg(feature = "ssr")]
pub mod frameworks;
#[cfg(feature = "ssr")]
pub mod import;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod targets;
#[cfg(feature = "ssr")]
pub mod transfer;

use std::collections::HashMap;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::Role;
#[cfg(feature = "ssr")]
use crate::common::parse_id;
#[cfg(feature = "ssr")]
use crate::common::required_id;
use crate::error::{AppError, FieldError};

/// Who builds frameworks and target profiles.
pub const EDITORS: &[Role] = &[Role::Admin, Role::Trainer];
/// Who may read frameworks (managers pick one for a campaign).
pub const READERS: &[Role] = &[Role::Admin, Role::Trainer, Role::Manager];

#[cfg(feature = "ssr")]
pub struct Readers;
#[cfg(feature = "ssr")]
impl crate::common::web::RoleSet for Readers {
    const ROLES: &'static [Role] = READERS;
}
#[cfg(feature = "ssr")]
pub struct Editors;
#[cfg(feature = "ssr")]
impl crate::common::web::RoleSet for Editors {
    const ROLES: &'static [Role] = EDITORS;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrameworkSummary {
    pub id: Uuid,
    pub family_id: Uuid,
    pub name: String,
    pub version: i32,
    pub archived: bool,
    /// Ratings may exist on it: editing makes a new version.
    pub locked: bool,
    pub competencies: u64,
    /// The newest version of its family.
    pub latest: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompetencyDto {
    pub id: Uuid,
    pub domain_id: Uuid,
    pub code: String,
    pub name: String,
    pub description: String,
    /// Descriptors of levels 1..5, in order.
    pub levels: Vec<String>,
    pub archived: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainDto {
    pub id: Uuid,
    pub name: String,
    pub archived: bool,
    pub competencies: Vec<CompetencyDto>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrameworkDetail {
    pub id: Uuid,
    pub family_id: Uuid,
    pub name: String,
    pub description: String,
    pub version: i32,
    pub archived: bool,
    pub locked: bool,
    /// Every version of this framework: (id, version), oldest first.
    pub versions: Vec<(Uuid, i32)>,
    pub domains: Vec<DomainDto>,
}

impl FrameworkDetail {
    pub fn active_competencies(&self) -> impl Iterator<Item = &CompetencyDto> {
        self.domains
            .iter()
            .filter(|d| !d.archived)
            .flat_map(|d| d.competencies.iter().filter(|c| !c.archived))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrameworkImportRow {
    pub line: usize,
    pub domain: String,
    pub code: String,
    pub name: String,
    pub errors: Vec<FieldError>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrameworkImportPreview {
    pub id: Uuid,
    pub file_name: String,
    pub file_problems: Vec<crate::error::Problem>,
    pub rows: Vec<FrameworkImportRow>,
    pub imported: bool,
}

impl FrameworkImportPreview {
    pub fn is_valid(&self) -> bool {
        self.file_problems.is_empty()
            && !self.rows.is_empty()
            && self.rows.iter().all(|r| r.errors.is_empty())
    }
}

/// One cell of the target grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetCell {
    pub position_id: Uuid,
    pub code: String,
    pub level: u8,
    pub importance: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetGrid {
    pub family_id: Uuid,
    pub framework: String,
    pub version: i32,
    /// (code, name) of the newest version's active competencies, in order.
    pub competencies: Vec<(String, String)>,
    /// (id, name) of active positions.
    pub positions: Vec<(Uuid, String)>,
    pub cells: Vec<TargetCell>,
}

impl TargetGrid {
    pub fn cell(&self, position: Uuid, code: &str) -> Option<&TargetCell> {
        self.cells
            .iter()
            .find(|c| c.position_id == position && c.code == code)
    }
}

/// The form key of one grid cell. It starts with a letter: serde_qs reads a
/// bracketed key that starts with a digit (as most uuids do) as a list index and
/// rejects the whole form.
pub fn cell_key(position: Uuid, code: &str) -> String {
    format!("p{}_{code}", position.simple())
}

#[server(prefix = "/api", endpoint = "frameworks")]
pub async fn list_frameworks() -> Result<Vec<FrameworkSummary>, AppError> {
    crate::auth::guard::any_role(READERS, |ctx, _me| async move {
        frameworks::list_frameworks(&ctx.state.db).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "frameworks/get")]
pub async fn get_framework(id: String) -> Result<FrameworkDetail, AppError> {
    crate::auth::guard::any_role(READERS, |ctx, _me| async move {
        frameworks::get_framework(&ctx.state.db, required_id("id", &id)?).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "frameworks/create")]
pub async fn create_framework(name: String, description: Option<String>) -> Result<(), AppError> {
    crate::auth::guard::any_role(EDITORS, |ctx, me| async move {
        let id = frameworks::create_framework(
            &ctx.state.db,
            &me,
            &name,
            description.as_deref().unwrap_or(""),
        )
        .await?;
        leptos_axum::redirect(&format!("/frameworks/{id}?saved=1"));
        Ok(())
    })
    .await
}

/// Sends the editor to the version the change landed on (new if the old was locked).
#[cfg(feature = "ssr")]
fn after_edit(edit: frameworks::Edited) {
    let flag = if edit.new_version {
        "versioned"
    } else {
        "saved"
    };
    leptos_axum::redirect(&format!("/frameworks/{}?{flag}=1", edit.framework_id));
}

#[server(prefix = "/api", endpoint = "frameworks/save")]
pub async fn save_framework(
    id: String,
    name: String,
    description: Option<String>,
) -> Result<(), AppError> {
    crate::auth::guard::any_role(EDITORS, |ctx, me| async move {
        let id = required_id("id", &id)?;
        let edit = frameworks::save_framework(
            &ctx.state.db,
            &me,
            id,
            &name,
            description.as_deref().unwrap_or(""),
        )
        .await?;
        after_edit(edit);
        Ok(())
    })
    .await
}

#[server(prefix = "/api", endpoint = "frameworks/archive")]
pub async fn archive_framework(
    id: String,
    archived: bool,
    confirm: Option<String>,
) -> Result<(), AppError> {
    crate::auth::guard::any_role(EDITORS, |ctx, me| async move {
        let id = required_id("id", &id)?;
        crate::common::require_confirmation(!archived, confirm.as_deref())?;
        frameworks::archive_framework(&ctx.state.db, &me, id, archived).await?;
        leptos_axum::redirect(&format!("/frameworks/{id}?saved=1"));
        Ok(())
    })
    .await
}

#[server(prefix = "/api", endpoint = "frameworks/domain/save")]
pub async fn save_domain(
    framework_id: String,
    id: Option<String>,
    name: String,
) -> Result<(), AppError> {
    crate::auth::guard::any_role(EDITORS, |ctx, me| async move {
        let framework_id = required_id("framework_id", &framework_id)?;
        let id = parse_id("id", id.as_deref())?;
        after_edit(frameworks::save_domain(&ctx.state.db, &me, framework_id, id, &name).await?);
        Ok(())
    })
    .await
}

#[server(prefix = "/api", endpoint = "frameworks/competency/save")]
pub async fn save_competency(
    framework_id: String,
    id: Option<String>,
    domain_id: String,
    code: String,
    name: String,
    description: Option<String>,
    level_1: String,
    level_2: String,
    level_3: String,
    level_4: String,
    level_5: String,
) -> Result<(), AppError> {
    crate::auth::guard::any_role(EDITORS, |ctx, me| async move {
        let input = frameworks::CompetencyInput {
            id: parse_id("id", id.as_deref())?,
            domain_id: required_id("domain_id", &domain_id)?,
            code: code.trim().to_owned(),
            name: name.trim().to_owned(),
            description: description.unwrap_or_default().trim().to_owned(),
            levels: [level_1, level_2, level_3, level_4, level_5].map(|l| l.trim().to_owned()),
        };
        let framework_id = required_id("framework_id", &framework_id)?;
        after_edit(frameworks::save_competency(&ctx.state.db, &me, framework_id, input).await?);
        Ok(())
    })
    .await
}

/// Moves a domain or competency one place up or down, or (un)archives it.
/// `target` is `domain` or `competency`; `op` is `up`, `down`, `archive` or `restore`.
#[server(prefix = "/api", endpoint = "frameworks/arrange")]
pub async fn arrange_framework(
    framework_id: String,
    target: String,
    id: String,
    op: String,
    confirm: Option<String>,
) -> Result<(), AppError> {
    crate::auth::guard::any_role(EDITORS, |ctx, me| async move {
        let framework_id = required_id("framework_id", &framework_id)?;
        let id = required_id("id", &id)?;
        let op = match op.as_str() {
            "up" => frameworks::Arrange::Up,
            "down" => frameworks::Arrange::Down,
            "archive" => {
                crate::common::require_confirmation(false, confirm.as_deref())?;
                frameworks::Arrange::Archive
            }
            "restore" => frameworks::Arrange::Restore,
            _ => return Err(AppError::NotFound),
        };
        let is_domain = match target.as_str() {
            "domain" => true,
            "competency" => false,
            _ => return Err(AppError::NotFound),
        };
        after_edit(frameworks::arrange(&ctx.state.db, &me, framework_id, is_domain, id, op).await?);
        Ok(())
    })
    .await
}

#[server(prefix = "/api", endpoint = "frameworks/import/preview")]
pub async fn preview_framework_import(id: String) -> Result<FrameworkImportPreview, AppError> {
    crate::auth::guard::any_role(EDITORS, |ctx, _me| async move {
        import::import_preview(&ctx.state.db, required_id("id", &id)?).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "frameworks/import")]
pub async fn import_framework(id: String, name: String) -> Result<(), AppError> {
    crate::auth::guard::any_role(EDITORS, |ctx, me| async move {
        let framework =
            import::import_framework(&ctx.state.db, &me, required_id("id", &id)?, &name).await?;
        leptos_axum::redirect(&format!("/frameworks/{framework}?imported=1"));
        Ok(())
    })
    .await
}

#[server(prefix = "/api", endpoint = "targets")]
pub async fn get_targets(family_id: String) -> Result<TargetGrid, AppError> {
    crate::auth::guard::any_role(READERS, |ctx, _me| async move {
        targets::target_grid(&ctx.state.db, required_id("family_id", &family_id)?).await
    })
    .await
}

/// Saves the whole grid at once. Keys are [`cell_key`]s; a blank level removes the
/// requirement.
#[server(prefix = "/api", endpoint = "targets/save")]
pub async fn save_targets(
    family_id: String,
    level: Option<HashMap<String, String>>,
    weight: Option<HashMap<String, String>>,
) -> Result<(), AppError> {
    crate::auth::guard::any_role(EDITORS, |ctx, me| async move {
        let family_id = required_id("family_id", &family_id)?;
        targets::save_targets(
            &ctx.state.db,
            &me,
            family_id,
            &level.unwrap_or_default(),
            &weight.unwrap_or_default(),
        )
        .await?;
        leptos_axum::redirect(&format!("/targets/{family_id}?saved=1"));
        Ok(())
    })
    .await
}

#[server(prefix = "/api", endpoint = "targets/copy")]
pub async fn copy_targets(
    family_id: String,
    from_position: String,
    to_position: String,
) -> Result<(), AppError> {
    crate::auth::guard::any_role(EDITORS, |ctx, me| async move {
        let family_id = required_id("family_id", &family_id)?;
        let from = parse_id("from_position", Some(&from_position))?
            .ok_or_else(|| AppError::field("from_position", crate::error::Problem::Required))?;
        let to = parse_id("to_position", Some(&to_position))?
            .ok_or_else(|| AppError::field("to_position", crate::error::Problem::Required))?;
        targets::copy_targets(&ctx.state.db, &me, family_id, from, to).await?;
        leptos_axum::redirect(&format!("/targets/{family_id}?saved=1"));
        Ok(())
    })
    .await
}
