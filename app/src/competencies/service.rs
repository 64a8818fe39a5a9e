//! Frameworks and target profiles in the database.
//!
//! Versioning: once a campaign on a framework version has opened, ratings may point
//! at its competencies, so that version is frozen. An edit to a frozen version is
//! applied to a fresh copy (the next version) instead, and old ratings keep theirs.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::{
    CompetencyDto, DomainDto, FrameworkDetail, FrameworkImportPreview, FrameworkImportRow,
    FrameworkSummary, TargetCell, TargetGrid, cell_key,
};
use crate::audit;
use crate::auth::guard::SessionUser;
use crate::entities::{
    campaign, competency, framework, framework_domain, position, position_target, roster_upload,
};
use crate::error::{AppError, FieldError, Problem};

/// Where an edit landed.
#[derive(Debug, Clone, Copy)]
pub struct Edited {
    pub framework_id: Uuid,
    pub new_version: bool,
}

pub async fn list_frameworks(db: &impl ConnectionTrait) -> Result<Vec<FrameworkSummary>, AppError> {
    let frameworks = framework::Entity::find()
        .order_by_asc(framework::Column::Name)
        .order_by_asc(framework::Column::Version)
        .all(db)
        .await?;
    let locked = locked_ids(db).await?;
    let mut counts: HashMap<Uuid, u64> = HashMap::new();
    for c in competency::Entity::find()
        .filter(competency::Column::Archived.eq(false))
        .all(db)
        .await?
    {
        *counts.entry(c.framework_id).or_default() += 1;
    }
    let mut newest: HashMap<Uuid, i32> = HashMap::new();
    for f in &frameworks {
        let v = newest.entry(f.family_id).or_default();
        *v = (*v).max(f.version);
    }
    Ok(frameworks
        .into_iter()
        .map(|f| FrameworkSummary {
            id: f.id,
            family_id: f.family_id,
            latest: newest.get(&f.family_id) == Some(&f.version),
            name: f.name,
            version: f.version,
            archived: f.archived,
            locked: locked.contains(&f.id),
            competencies: counts.get(&f.id).copied().unwrap_or(0),
        })
        .collect())
}

/// Framework versions that campaigns have opened on.
async fn locked_ids(db: &impl ConnectionTrait) -> Result<HashSet<Uuid>, AppError> {
    Ok(campaign::Entity::find()
        .filter(campaign::Column::State.ne("draft"))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.framework_id)
        .collect())
}

pub async fn is_locked(db: &impl ConnectionTrait, framework_id: Uuid) -> Result<bool, AppError> {
    Ok(campaign::Entity::find()
        .filter(campaign::Column::FrameworkId.eq(framework_id))
        .filter(campaign::Column::State.ne("draft"))
        .count(db)
        .await?
        > 0)
}

pub fn competency_dto(c: competency::Model) -> CompetencyDto {
    CompetencyDto {
        id: c.id,
        domain_id: c.domain_id,
        code: c.code,
        name: c.name,
        description: c.description.unwrap_or_default(),
        levels: vec![c.level_1, c.level_2, c.level_3, c.level_4, c.level_5],
        archived: c.archived,
    }
}

pub async fn get_framework(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<FrameworkDetail, AppError> {
    let f = framework::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let versions = framework::Entity::find()
        .filter(framework::Column::FamilyId.eq(f.family_id))
        .order_by_asc(framework::Column::Version)
        .all(db)
        .await?
        .into_iter()
        .map(|v| (v.id, v.version))
        .collect();
    let domains = framework_domain::Entity::find()
        .filter(framework_domain::Column::FrameworkId.eq(id))
        .order_by_asc(framework_domain::Column::Position)
        .all(db)
        .await?;
    let mut competencies: HashMap<Uuid, Vec<CompetencyDto>> = HashMap::new();
    for c in competency::Entity::find()
        .filter(competency::Column::FrameworkId.eq(id))
        .order_by_asc(competency::Column::Position)
        .all(db)
        .await?
    {
        competencies
            .entry(c.domain_id)
            .or_default()
            .push(competency_dto(c));
    }
    Ok(FrameworkDetail {
        id,
        family_id: f.family_id,
        name: f.name,
        description: f.description.unwrap_or_default(),
        version: f.version,
        archived: f.archived,
        locked: is_locked(db, id).await?,
        versions,
        domains: domains
            .into_iter()
            .map(|d| DomainDto {
                competencies: competencies.remove(&d.id).unwrap_or_default(),
                id: d.id,
                name: d.name,
                archived: d.archived,
            })
            .collect(),
    })
}

fn check_text(errors: &mut Vec<FieldError>, field: &str, value: &str, max: usize) {
    if value.trim().is_empty() {
        errors.push(FieldError::new(field, Problem::Required));
    } else if value.chars().count() > max {
        errors.push(FieldError::new(field, Problem::TooLong { max }));
    }
}

fn fail_if_any(errors: Vec<FieldError>) -> Result<(), AppError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

pub async fn create_framework(
    db: &DatabaseConnection,
    me: &SessionUser,
    name: &str,
    description: &str,
) -> Result<Uuid, AppError> {
    let mut errors = Vec::new();
    check_text(&mut errors, "name", name, 200);
    fail_if_any(errors)?;
    let txn = db.begin().await?;
    let id = insert_framework(&txn, me, Uuid::new_v4(), 1, name.trim(), description.trim()).await?;
    audit::record(
        &txn,
        Some(me.id),
        "framework.create",
        "framework",
        Some(id),
        None,
        Some(json!({ "name": name.trim() })),
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

async fn insert_framework(
    db: &impl ConnectionTrait,
    me: &SessionUser,
    family_id: Uuid,
    version: i32,
    name: &str,
    description: &str,
) -> Result<Uuid, AppError> {
    let id = Uuid::new_v4();
    framework::ActiveModel {
        id: Set(id),
        family_id: Set(family_id),
        version: Set(version),
        name: Set(name.to_owned()),
        description: Set(Some(description.to_owned()).filter(|d| !d.is_empty())),
        archived: Set(false),
        created_by: Set(Some(me.id)),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// The framework version an edit should change, and how old ids map onto it.
struct Target {
    framework: framework::Model,
    new_version: bool,
    ids: HashMap<Uuid, Uuid>,
}

impl Target {
    fn map(&self, id: Uuid) -> Uuid {
        self.ids.get(&id).copied().unwrap_or(id)
    }
    fn edited(&self) -> Edited {
        Edited {
            framework_id: self.framework.id,
            new_version: self.new_version,
        }
    }
}

/// Returns the version to edit: `id` itself, or a new copy of it if it is frozen.
async fn editable(
    db: &impl ConnectionTrait,
    me: &SessionUser,
    id: Uuid,
) -> Result<Target, AppError> {
    let f = framework::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if !is_locked(db, id).await? {
        return Ok(Target {
            framework: f,
            new_version: false,
            ids: HashMap::new(),
        });
    }
    let next = framework::Entity::find()
        .filter(framework::Column::FamilyId.eq(f.family_id))
        .all(db)
        .await?
        .iter()
        .map(|v| v.version)
        .max()
        .unwrap_or(f.version)
        + 1;
    let new_id = insert_framework(
        db,
        me,
        f.family_id,
        next,
        &f.name,
        f.description.as_deref().unwrap_or(""),
    )
    .await?;
    let mut ids = HashMap::new();
    for d in framework_domain::Entity::find()
        .filter(framework_domain::Column::FrameworkId.eq(id))
        .all(db)
        .await?
    {
        let nid = Uuid::new_v4();
        ids.insert(d.id, nid);
        framework_domain::ActiveModel {
            id: Set(nid),
            framework_id: Set(new_id),
            position: Set(d.position),
            name: Set(d.name),
            archived: Set(d.archived),
        }
        .insert(db)
        .await?;
    }
    for c in competency::Entity::find()
        .filter(competency::Column::FrameworkId.eq(id))
        .all(db)
        .await?
    {
        let nid = Uuid::new_v4();
        ids.insert(c.id, nid);
        competency::ActiveModel {
            id: Set(nid),
            framework_id: Set(new_id),
            domain_id: Set(ids.get(&c.domain_id).copied().unwrap_or(c.domain_id)),
            position: Set(c.position),
            code: Set(c.code),
            name: Set(c.name),
            description: Set(c.description),
            level_1: Set(c.level_1),
            level_2: Set(c.level_2),
            level_3: Set(c.level_3),
            level_4: Set(c.level_4),
            level_5: Set(c.level_5),
            archived: Set(c.archived),
        }
        .insert(db)
        .await?;
    }
    audit::record(
        db,
        Some(me.id),
        "framework.version",
        "framework",
        Some(new_id),
        Some(json!({ "from": id, "version": f.version })),
        Some(json!({ "version": next })),
    )
    .await?;
    let framework = framework::Entity::find_by_id(new_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Target {
        framework,
        new_version: true,
        ids,
    })
}

pub async fn save_framework(
    db: &DatabaseConnection,
    me: &SessionUser,
    id: Uuid,
    name: &str,
    description: &str,
) -> Result<Edited, AppError> {
    let mut errors = Vec::new();
    check_text(&mut errors, "name", name, 200);
    fail_if_any(errors)?;
    let txn = db.begin().await?;
    let target = editable(&txn, me, id).await?;
    let before = json!({ "name": target.framework.name });
    let mut f: framework::ActiveModel = target.framework.clone().into();
    f.name = Set(name.trim().to_owned());
    f.description = Set(Some(description.trim().to_owned()).filter(|d| !d.is_empty()));
    f.update(&txn).await?;
    audit::record(
        &txn,
        Some(me.id),
        "framework.update",
        "framework",
        Some(target.framework.id),
        Some(before),
        Some(json!({ "name": name.trim() })),
    )
    .await?;
    txn.commit().await?;
    Ok(target.edited())
}

/// Archiving hides a framework from new campaigns; it changes no ratings, so it
/// applies to the version itself.
pub async fn archive_framework(
    db: &DatabaseConnection,
    me: &SessionUser,
    id: Uuid,
    archived: bool,
) -> Result<(), AppError> {
    let txn = db.begin().await?;
    let f = framework::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut am: framework::ActiveModel = f.into();
    am.archived = Set(archived);
    am.update(&txn).await?;
    audit::record(
        &txn,
        Some(me.id),
        if archived {
            "framework.archive"
        } else {
            "framework.restore"
        },
        "framework",
        Some(id),
        None,
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn save_domain(
    db: &DatabaseConnection,
    me: &SessionUser,
    framework_id: Uuid,
    id: Option<Uuid>,
    name: &str,
) -> Result<Edited, AppError> {
    let mut errors = Vec::new();
    check_text(&mut errors, "name", name, 200);
    fail_if_any(errors)?;
    let txn = db.begin().await?;
    let target = editable(&txn, me, framework_id).await?;
    let fid = target.framework.id;
    match id {
        Some(id) => {
            let d = framework_domain::Entity::find_by_id(target.map(id))
                .filter(framework_domain::Column::FrameworkId.eq(fid))
                .one(&txn)
                .await?
                .ok_or(AppError::NotFound)?;
            let before = json!({ "name": d.name });
            let mut am: framework_domain::ActiveModel = d.into();
            am.name = Set(name.trim().to_owned());
            am.update(&txn).await?;
            audit::record(
                &txn,
                Some(me.id),
                "domain.update",
                "framework",
                Some(fid),
                Some(before),
                Some(json!({ "name": name.trim() })),
            )
            .await?;
        }
        None => {
            let position = framework_domain::Entity::find()
                .filter(framework_domain::Column::FrameworkId.eq(fid))
                .count(&txn)
                .await?;
            framework_domain::ActiveModel {
                id: Set(Uuid::new_v4()),
                framework_id: Set(fid),
                position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
                name: Set(name.trim().to_owned()),
                archived: Set(false),
            }
            .insert(&txn)
            .await?;
            audit::record(
                &txn,
                Some(me.id),
                "domain.create",
                "framework",
                Some(fid),
                None,
                Some(json!({ "name": name.trim() })),
            )
            .await?;
        }
    }
    txn.commit().await?;
    Ok(target.edited())
}

#[derive(Debug, Clone)]
pub struct CompetencyInput {
    pub id: Option<Uuid>,
    pub domain_id: Uuid,
    pub code: String,
    pub name: String,
    pub description: String,
    pub levels: [String; 5],
}

fn validate_competency(input: &CompetencyInput) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if input.code.is_empty() {
        errors.push(FieldError::new("code", Problem::Required));
    } else if !super::csv::valid_code(&input.code) {
        errors.push(FieldError::new(
            "code",
            Problem::Invalid {
                value: input.code.clone(),
            },
        ));
    }
    check_text(&mut errors, "name", &input.name, 200);
    for (i, level) in input.levels.iter().enumerate() {
        check_text(&mut errors, &format!("level_{}", i + 1), level, 2000);
    }
    errors
}

pub async fn save_competency(
    db: &DatabaseConnection,
    me: &SessionUser,
    framework_id: Uuid,
    input: CompetencyInput,
) -> Result<Edited, AppError> {
    fail_if_any(validate_competency(&input))?;
    let txn = db.begin().await?;
    let target = editable(&txn, me, framework_id).await?;
    let fid = target.framework.id;
    let domain_id = target.map(input.domain_id);
    framework_domain::Entity::find_by_id(domain_id)
        .filter(framework_domain::Column::FrameworkId.eq(fid))
        .one(&txn)
        .await?
        .ok_or_else(|| {
            AppError::field(
                "domain_id",
                Problem::Unknown {
                    value: input.domain_id.to_string(),
                },
            )
        })?;
    let id = input.id.map(|id| target.map(id));
    let clash = competency::Entity::find()
        .filter(competency::Column::FrameworkId.eq(fid))
        .all(&txn)
        .await?
        .into_iter()
        .any(|c| c.code.eq_ignore_ascii_case(&input.code) && Some(c.id) != id);
    if clash {
        return Err(AppError::field("code", Problem::Taken));
    }
    let [l1, l2, l3, l4, l5] = input.levels.clone();
    let description = Some(input.description.clone()).filter(|d| !d.is_empty());
    let after = json!({ "code": input.code, "name": input.name, "levels": input.levels });
    match id {
        Some(id) => {
            let c = competency::Entity::find_by_id(id)
                .filter(competency::Column::FrameworkId.eq(fid))
                .one(&txn)
                .await?
                .ok_or(AppError::NotFound)?;
            let before = json!({ "code": c.code, "name": c.name,
                "levels": [c.level_1, c.level_2, c.level_3, c.level_4, c.level_5] });
            let old_code = c.code.clone();
            let mut am: competency::ActiveModel = c.into();
            am.domain_id = Set(domain_id);
            am.code = Set(input.code.clone());
            am.name = Set(input.name.clone());
            am.description = Set(description);
            am.level_1 = Set(l1);
            am.level_2 = Set(l2);
            am.level_3 = Set(l3);
            am.level_4 = Set(l4);
            am.level_5 = Set(l5);
            am.update(&txn).await?;
            if old_code != input.code {
                // Target profiles follow the competency to its new code.
                position_target::Entity::update_many()
                    .col_expr(
                        position_target::Column::CompetencyCode,
                        sea_orm::prelude::Expr::value(input.code.clone()),
                    )
                    .filter(position_target::Column::FamilyId.eq(target.framework.family_id))
                    .filter(position_target::Column::CompetencyCode.eq(old_code))
                    .exec(&txn)
                    .await?;
            }
            audit::record(
                &txn,
                Some(me.id),
                "competency.update",
                "framework",
                Some(fid),
                Some(before),
                Some(after),
            )
            .await?;
        }
        None => {
            let position = competency::Entity::find()
                .filter(competency::Column::DomainId.eq(domain_id))
                .count(&txn)
                .await?;
            competency::ActiveModel {
                id: Set(Uuid::new_v4()),
                framework_id: Set(fid),
                domain_id: Set(domain_id),
                position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
                code: Set(input.code.clone()),
                name: Set(input.name.clone()),
                description: Set(description),
                level_1: Set(l1),
                level_2: Set(l2),
                level_3: Set(l3),
                level_4: Set(l4),
                level_5: Set(l5),
                archived: Set(false),
            }
            .insert(&txn)
            .await?;
            audit::record(
                &txn,
                Some(me.id),
                "competency.create",
                "framework",
                Some(fid),
                None,
                Some(after),
            )
            .await?;
        }
    }
    txn.commit().await?;
    Ok(target.edited())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrange {
    Up,
    Down,
    Archive,
    Restore,
}

/// Reorders or (un)archives a domain or competency.
pub async fn arrange(
    db: &DatabaseConnection,
    me: &SessionUser,
    framework_id: Uuid,
    is_domain: bool,
    id: Uuid,
    op: Arrange,
) -> Result<Edited, AppError> {
    let txn = db.begin().await?;
    let target = editable(&txn, me, framework_id).await?;
    let fid = target.framework.id;
    let id = target.map(id);
    if is_domain {
        let domains = framework_domain::Entity::find()
            .filter(framework_domain::Column::FrameworkId.eq(fid))
            .order_by_asc(framework_domain::Column::Position)
            .all(&txn)
            .await?;
        let at = domains
            .iter()
            .position(|d| d.id == id)
            .ok_or(AppError::NotFound)?;
        match op {
            Arrange::Up | Arrange::Down => {
                let mut order: Vec<Uuid> = domains.iter().map(|d| d.id).collect();
                move_in(&mut order, at, op);
                for (i, d) in domains.into_iter().enumerate() {
                    let pos = order.iter().position(|x| *x == d.id).unwrap_or(i);
                    let mut am: framework_domain::ActiveModel = d.into();
                    am.position = Set(i32::try_from(pos).unwrap_or(i32::MAX));
                    am.update(&txn).await?;
                }
            }
            Arrange::Archive | Arrange::Restore => {
                let mut am: framework_domain::ActiveModel = domains[at].clone().into();
                am.archived = Set(op == Arrange::Archive);
                am.update(&txn).await?;
            }
        }
    } else {
        let c = competency::Entity::find_by_id(id)
            .filter(competency::Column::FrameworkId.eq(fid))
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        match op {
            Arrange::Up | Arrange::Down => {
                let siblings = competency::Entity::find()
                    .filter(competency::Column::DomainId.eq(c.domain_id))
                    .order_by_asc(competency::Column::Position)
                    .all(&txn)
                    .await?;
                let mut order: Vec<Uuid> = siblings.iter().map(|s| s.id).collect();
                let at = order.iter().position(|x| *x == id).unwrap_or(0);
                move_in(&mut order, at, op);
                for s in siblings {
                    let pos = order.iter().position(|x| *x == s.id).unwrap_or(0);
                    let mut am: competency::ActiveModel = s.into();
                    am.position = Set(i32::try_from(pos).unwrap_or(i32::MAX));
                    am.update(&txn).await?;
                }
            }
            Arrange::Archive | Arrange::Restore => {
                let mut am: competency::ActiveModel = c.into();
                am.archived = Set(op == Arrange::Archive);
                am.update(&txn).await?;
            }
        }
    }
    audit::record(
        &txn,
        Some(me.id),
        "framework.arrange",
        "framework",
        Some(fid),
        None,
        Some(json!({ "id": id, "op": format!("{op:?}") })),
    )
    .await?;
    txn.commit().await?;
    Ok(target.edited())
}

fn move_in(order: &mut [Uuid], at: usize, op: Arrange) {
    match op {
        Arrange::Up if at > 0 => order.swap(at, at - 1),
        Arrange::Down if at + 1 < order.len() => order.swap(at, at + 1),
        _ => {}
    }
}

// ---------------------------------------------------------------- CSV import

async fn upload(db: &impl ConnectionTrait, id: Uuid) -> Result<roster_upload::Model, AppError> {
    roster_upload::Entity::find_by_id(id)
        .filter(roster_upload::Column::Kind.eq("framework"))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn import_preview(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<FrameworkImportPreview, AppError> {
    let up = upload(db, id).await?;
    let (rows, file_problems) = match super::csv::parse(&up.content) {
        Ok(rows) => (rows, Vec::new()),
        Err(p) => (Vec::new(), p),
    };
    Ok(FrameworkImportPreview {
        id,
        file_name: up.file_name,
        file_problems,
        imported: up.imported_at.is_some(),
        rows: rows
            .into_iter()
            .map(|r| FrameworkImportRow {
                line: r.line,
                domain: r.domain,
                code: r.code,
                name: r.name,
                errors: r.errors,
            })
            .collect(),
    })
}

/// Creates a new framework from a valid upload, all in one transaction.
pub async fn import_framework(
    db: &DatabaseConnection,
    me: &SessionUser,
    upload_id: Uuid,
    name: &str,
) -> Result<Uuid, AppError> {
    let mut errors = Vec::new();
    check_text(&mut errors, "name", name, 200);
    fail_if_any(errors)?;
    let txn = db.begin().await?;
    let up = upload(&txn, upload_id).await?;
    if up.imported_at.is_some() {
        return Err(AppError::Conflict(Problem::Duplicate {
            value: up.file_name,
        }));
    }
    let rows = super::csv::parse(&up.content).map_err(|problems| {
        AppError::Validation(
            problems
                .into_iter()
                .map(|p| FieldError::new("file", p))
                .collect(),
        )
    })?;
    let row_errors: Vec<FieldError> = rows
        .iter()
        .flat_map(|r| {
            r.errors.iter().map(move |e| {
                FieldError::new(format!("line {}: {}", r.line, e.field), e.problem.clone())
            })
        })
        .collect();
    fail_if_any(row_errors)?;
    let fid = insert_framework(&txn, me, Uuid::new_v4(), 1, name.trim(), "").await?;
    let mut domains: Vec<(String, Uuid)> = Vec::new();
    let mut per_domain: HashMap<Uuid, i32> = HashMap::new();
    for row in &rows {
        let domain_id = match domains.iter().find(|(n, _)| *n == row.domain) {
            Some((_, id)) => *id,
            None => {
                let id = Uuid::new_v4();
                framework_domain::ActiveModel {
                    id: Set(id),
                    framework_id: Set(fid),
                    position: Set(i32::try_from(domains.len()).unwrap_or(i32::MAX)),
                    name: Set(row.domain.clone()),
                    archived: Set(false),
                }
                .insert(&txn)
                .await?;
                domains.push((row.domain.clone(), id));
                id
            }
        };
        let position = per_domain.entry(domain_id).or_default();
        let [l1, l2, l3, l4, l5] = row.levels.clone();
        competency::ActiveModel {
            id: Set(Uuid::new_v4()),
            framework_id: Set(fid),
            domain_id: Set(domain_id),
            position: Set(*position),
            code: Set(row.code.clone()),
            name: Set(row.name.clone()),
            description: Set(Some(row.description.clone()).filter(|d| !d.is_empty())),
            level_1: Set(l1),
            level_2: Set(l2),
            level_3: Set(l3),
            level_4: Set(l4),
            level_5: Set(l5),
            archived: Set(false),
        }
        .insert(&txn)
        .await?;
        *position += 1;
    }
    let mut am: roster_upload::ActiveModel = up.into();
    am.imported_at = Set(Some(Utc::now()));
    am.update(&txn).await?;
    audit::record(
        &txn,
        Some(me.id),
        "framework.import",
        "framework",
        Some(fid),
        None,
        Some(json!({ "name": name.trim(), "competencies": rows.len() })),
    )
    .await?;
    txn.commit().await?;
    Ok(fid)
}

// ---------------------------------------------------------------- target profiles

/// The newest version of a framework family.
pub async fn latest_version(
    db: &impl ConnectionTrait,
    family_id: Uuid,
) -> Result<framework::Model, AppError> {
    framework::Entity::find()
        .filter(framework::Column::FamilyId.eq(family_id))
        .order_by_desc(framework::Column::Version)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn target_grid(
    db: &impl ConnectionTrait,
    family_id: Uuid,
) -> Result<TargetGrid, AppError> {
    let f = latest_version(db, family_id).await?;
    let detail = get_framework(db, f.id).await?;
    let positions = position::Entity::find()
        .filter(position::Column::Active.eq(true))
        .order_by_asc(position::Column::Code)
        .all(db)
        .await?;
    let cells = position_target::Entity::find()
        .filter(position_target::Column::FamilyId.eq(family_id))
        .all(db)
        .await?
        .into_iter()
        .map(|t| TargetCell {
            position_id: t.position_id,
            code: t.competency_code,
            level: u8::try_from(t.target_level).unwrap_or(0),
            importance: u8::try_from(t.importance).unwrap_or(1),
        })
        .collect();
    Ok(TargetGrid {
        family_id,
        framework: detail.name.clone(),
        version: detail.version,
        competencies: detail
            .active_competencies()
            .map(|c| (c.code.clone(), c.name.clone()))
            .collect(),
        positions: positions.into_iter().map(|p| (p.id, p.name)).collect(),
        cells,
    })
}

/// Parses a level (1..5, blank for none) and an importance (1..3, blank for 1).
pub fn parse_cell(
    key: &str,
    level: Option<&str>,
    weight: Option<&str>,
) -> Result<Option<(u8, u8)>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let level = match level.map(str::trim).filter(|l| !l.is_empty()) {
        None => None,
        Some(l) => match l.parse::<u8>() {
            Ok(n @ 1..=5) => Some(n),
            _ => {
                errors.push(FieldError::new(
                    format!("level[{key}]"),
                    Problem::Invalid { value: l.into() },
                ));
                None
            }
        },
    };
    let weight = match weight.map(str::trim).filter(|w| !w.is_empty()) {
        None => 1,
        Some(w) => match w.parse::<u8>() {
            Ok(n @ 1..=3) => n,
            _ => {
                errors.push(FieldError::new(
                    format!("weight[{key}]"),
                    Problem::Invalid { value: w.into() },
                ));
                1
            }
        },
    };
    if errors.is_empty() {
        Ok(level.map(|l| (l, weight)))
    } else {
        Err(errors)
    }
}

pub async fn save_targets(
    db: &DatabaseConnection,
    me: &SessionUser,
    family_id: Uuid,
    levels: &HashMap<String, String>,
    weights: &HashMap<String, String>,
) -> Result<(), AppError> {
    let grid = target_grid(db, family_id).await?;
    let mut errors = Vec::new();
    // (position, competency code, wanted level and importance or none)
    type Wanted = (Uuid, String, Option<(u8, u8)>);
    let mut wanted: Vec<Wanted> = Vec::new();
    for (pos, _) in &grid.positions {
        for (code, _) in &grid.competencies {
            let key = cell_key(*pos, code);
            // Cells not in the form (another page of the grid) are left alone.
            if !levels.contains_key(&key) {
                continue;
            }
            match parse_cell(
                &key,
                levels.get(&key).map(String::as_str),
                weights.get(&key).map(String::as_str),
            ) {
                Ok(cell) => wanted.push((*pos, code.clone(), cell)),
                Err(e) => errors.extend(e),
            }
        }
    }
    fail_if_any(errors)?;
    let txn = db.begin().await?;
    let mut changed_positions = HashSet::new();
    for (pos, code, cell) in wanted {
        let old = grid.cell(pos, &code).map(|c| (c.level, c.importance));
        if old == cell {
            continue;
        }
        changed_positions.insert(pos);
        position_target::Entity::delete_many()
            .filter(position_target::Column::PositionId.eq(pos))
            .filter(position_target::Column::FamilyId.eq(family_id))
            .filter(position_target::Column::CompetencyCode.eq(code.clone()))
            .exec(&txn)
            .await?;
        if let Some((level, importance)) = cell {
            position_target::ActiveModel {
                id: Set(Uuid::new_v4()),
                position_id: Set(pos),
                family_id: Set(family_id),
                competency_code: Set(code.clone()),
                target_level: Set(i32::from(level)),
                importance: Set(i32::from(importance)),
            }
            .insert(&txn)
            .await?;
        }
        audit::record(
            &txn,
            Some(me.id),
            "target.update",
            "position",
            Some(pos),
            old.map(|(l, w)| json!({ "code": code, "level": l, "importance": w })),
            cell.map(|(l, w)| json!({ "code": code, "level": l, "importance": w })),
        )
        .await?;
    }
    let positions: Vec<Uuid> = changed_positions.into_iter().collect();
    crate::gaps::service::apply_targets(&txn, family_id, &positions).await?;
    txn.commit().await?;
    Ok(())
}

/// Replaces one position's profile with a copy of another's.
pub async fn copy_targets(
    db: &DatabaseConnection,
    me: &SessionUser,
    family_id: Uuid,
    from: Uuid,
    to: Uuid,
) -> Result<(), AppError> {
    if from == to {
        return Err(AppError::field(
            "to_position",
            Problem::Duplicate {
                value: to.to_string(),
            },
        ));
    }
    for (field, id) in [("from_position", from), ("to_position", to)] {
        position::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or_else(|| {
                AppError::field(
                    field,
                    Problem::Unknown {
                        value: id.to_string(),
                    },
                )
            })?;
    }
    let txn = db.begin().await?;
    let source = position_target::Entity::find()
        .filter(position_target::Column::FamilyId.eq(family_id))
        .filter(position_target::Column::PositionId.eq(from))
        .all(&txn)
        .await?;
    position_target::Entity::delete_many()
        .filter(position_target::Column::FamilyId.eq(family_id))
        .filter(position_target::Column::PositionId.eq(to))
        .exec(&txn)
        .await?;
    for t in &source {
        position_target::ActiveModel {
            id: Set(Uuid::new_v4()),
            position_id: Set(to),
            family_id: Set(family_id),
            competency_code: Set(t.competency_code.clone()),
            target_level: Set(t.target_level),
            importance: Set(t.importance),
        }
        .insert(&txn)
        .await?;
    }
    audit::record(
        &txn,
        Some(me.id),
        "target.copy",
        "position",
        Some(to),
        None,
        Some(json!({ "from": from, "cells": source.len() })),
    )
    .await?;
    crate::gaps::service::apply_targets(&txn, family_id, &[to]).await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_parse_or_explain() {
        assert_eq!(parse_cell("k", Some("4"), Some("3")), Ok(Some((4, 3))));
        assert_eq!(parse_cell("k", Some(""), Some("2")), Ok(None));
        assert_eq!(parse_cell("k", Some("3"), None), Ok(Some((3, 1))));
        let err = parse_cell("k", Some("6"), Some("0")).unwrap_err();
        let fields: Vec<&str> = err.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["level[k]", "weight[k]"]);
    }

    #[test]
    fn moves_stay_in_bounds() {
        let (a, b, c) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        let mut order = vec![a, b, c];
        move_in(&mut order, 0, Arrange::Up);
        assert_eq!(order, vec![a, b, c]);
        move_in(&mut order, 2, Arrange::Up);
        assert_eq!(order, vec![a, c, b]);
        move_in(&mut order, 2, Arrange::Down);
        assert_eq!(order, vec![a, c, b]);
    }
}
