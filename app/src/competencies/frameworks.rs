//! Frameworks in the database: the list, one version, and every edit to it.
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

use super::{CompetencyDto, DomainDto, FrameworkDetail, FrameworkSummary};
use crate::auth::guard::SessionUser;
use crate::common::conflict::Taken;
use crate::common::validate::{self, Fields, limits};
use crate::domain::AuditAction;
use crate::entities::{campaign, competency, framework, framework_domain, position_target};
use crate::error::{AppError, Problem};
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

pub async fn create_framework(
    db: &DatabaseConnection,
    me: &SessionUser,
    name: &str,
    description: &str,
) -> Result<Uuid, AppError> {
    let mut errors = Fields::new();
    errors.take(validate::text("name", name, limits::NAME));
    errors.take(validate::optional_text(
        "description",
        description,
        limits::DESCRIPTOR,
    ));
    errors.finish()?;
    let txn = db.begin().await?;
    let id = insert_framework(&txn, me, Uuid::new_v4(), 1, name.trim(), description.trim()).await?;
    crate::audit::Entry::new(me.id, AuditAction::FrameworkCreate)
        .on("framework", id)
        .after(json!({ "name": name.trim() }))
        .record(&txn)
        .await?;
    txn.commit().await?;
    Ok(id)
}

pub(super) async fn insert_framework(
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
    crate::audit::Entry::new(me.id, AuditAction::FrameworkVersion)
        .on("framework", new_id)
        .before(json!({ "from": id, "version": f.version }))
        .after(json!({ "version": next }))
        .record(db)
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
    let mut errors = Fields::new();
    errors.take(validate::text("name", name, limits::NAME));
    errors.finish()?;
    let txn = db.begin().await?;
    let target = editable(&txn, me, id).await?;
    let before = json!({ "name": target.framework.name });
    let mut f: framework::ActiveModel = target.framework.clone().into();
    f.name = Set(name.trim().to_owned());
    f.description = Set(Some(description.trim().to_owned()).filter(|d| !d.is_empty()));
    f.update(&txn).await?;
    crate::audit::Entry::new(me.id, AuditAction::FrameworkUpdate)
        .on("framework", target.framework.id)
        .before(before)
        .after(json!({ "name": name.trim() }))
        .record(&txn)
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
    crate::audit::Entry::new(
        me.id,
        if archived {
            AuditAction::FrameworkArchive
        } else {
            AuditAction::FrameworkRestore
        },
    )
    .on("framework", id)
    .record(&txn)
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
    let mut errors = Fields::new();
    errors.take(validate::text("name", name, limits::NAME));
    errors.finish()?;
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
            crate::audit::Entry::new(me.id, AuditAction::DomainUpdate)
                .on("framework", fid)
                .before(before)
                .after(json!({ "name": name.trim() }))
                .record(&txn)
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
            crate::audit::Entry::new(me.id, AuditAction::DomainCreate)
                .on("framework", fid)
                .after(json!({ "name": name.trim() }))
                .record(&txn)
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

fn validate_competency(input: &CompetencyInput) -> Fields {
    let mut errors = Fields::new();
    if input.code.is_empty() {
        errors.add("code", Problem::Required);
    } else if !super::csv::valid_code(&input.code) {
        errors.add(
            "code",
            Problem::Invalid {
                value: input.code.clone(),
            },
        );
    }
    errors.take(validate::text("name", &input.name, limits::NAME));
    for (i, level) in input.levels.iter().enumerate() {
        errors.take(validate::text(
            &format!("level_{}", i + 1),
            level,
            limits::DESCRIPTOR,
        ));
    }
    errors
}

pub async fn save_competency(
    db: &DatabaseConnection,
    me: &SessionUser,
    framework_id: Uuid,
    input: CompetencyInput,
) -> Result<Edited, AppError> {
    validate_competency(&input).finish()?;
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
            am.update(&txn).await.taken("code")?;
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
            crate::audit::Entry::new(me.id, AuditAction::CompetencyUpdate)
                .on("framework", fid)
                .before(before)
                .after(after)
                .record(&txn)
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
            .await
            .taken("code")?;
            crate::audit::Entry::new(me.id, AuditAction::CompetencyCreate)
                .on("framework", fid)
                .after(after)
                .record(&txn)
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
    crate::audit::Entry::new(me.id, AuditAction::FrameworkArrange)
        .on("framework", fid)
        .after(json!({ "id": id, "op": format!("{op:?}") }))
        .record(&txn)
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

#[cfg(test)]
mod tests {
    use super::*;

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
