//! Units, positions and people in the database; every write audited, every
//! multi-row write in one transaction.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use sea_orm::prelude::Expr;
use sea_orm::sea_query::{CommonTableExpression, Condition, Query, UnionType, WithClause};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::name_key::name_key;
use super::roster::{self, Existing, Lookup};
use super::tree;
use super::{
    PAGE_SIZE, PeoplePage, PersonDetail, PersonRow, PositionDto, RosterPreview, RosterPreviewRow,
    RowAction, UnitDto,
};
use crate::audit;
use crate::auth::guard::SessionUser;
use crate::auth::{Role, password, service as auth_service};
use crate::entities::{org_unit, person, person_role, position, roster_upload};
use crate::error::{AppError, FieldError, Problem};
use crate::state::AppState;

/// Everyone's roles (or only those of `ids`), each list sorted.
pub async fn roles_by_person(
    db: &impl ConnectionTrait,
    ids: Option<Vec<Uuid>>,
) -> Result<HashMap<Uuid, Vec<Role>>, AppError> {
    let mut select = person_role::Entity::find();
    if let Some(ids) = ids {
        select = select.filter(person_role::Column::PersonId.is_in(ids));
    }
    let mut roles: HashMap<Uuid, Vec<Role>> = HashMap::new();
    for r in select.all(db).await? {
        if let Some(role) = Role::parse(&r.role) {
            roles.entry(r.person_id).or_default().push(role);
        }
    }
    roles.values_mut().for_each(|r| r.sort());
    Ok(roles)
}

/// Which people a caller may see.
#[derive(Debug, Clone)]
pub enum Scope {
    All,
    /// A manager: their unit's subtree, plus anyone reporting to them directly.
    Subtree {
        units: HashSet<Uuid>,
        manager: Uuid,
    },
}

impl Scope {
    pub fn sees_unit(&self, unit: Option<Uuid>) -> bool {
        match self {
            Scope::All => true,
            Scope::Subtree { units, .. } => unit.is_some_and(|u| units.contains(&u)),
        }
    }

    /// The people filter for this scope.
    pub fn condition(&self) -> Condition {
        match self {
            Scope::All => Condition::all(),
            Scope::Subtree { units, manager } => Condition::any()
                .add(person::Column::UnitId.is_in(units.iter().copied()))
                .add(person::Column::ManagerId.eq(*manager)),
        }
    }
}

/// Admins and trainers see everyone; managers see their scope (below).
pub fn sees_everyone(me: &SessionUser) -> bool {
    me.has_any(&[Role::Admin, Role::Trainer])
}

pub async fn scope_of(db: &impl ConnectionTrait, me: &SessionUser) -> Result<Scope, AppError> {
    if sees_everyone(me) {
        return Ok(Scope::All);
    }
    Ok(scope_with_units(
        me,
        &org_unit::Entity::find().all(db).await?,
    ))
}

/// The scope of `me` given the office's units (for callers that have them already).
pub fn scope_with_units(me: &SessionUser, units: &[org_unit::Model]) -> Scope {
    if sees_everyone(me) {
        return Scope::All;
    }
    let pairs: Vec<(Uuid, Option<Uuid>)> = units.iter().map(|u| (u.id, u.parent_id)).collect();
    let units = match me.unit_id {
        Some(root) => tree::subtree(&pairs, root),
        None => HashSet::new(),
    };
    Scope::Subtree {
        units,
        manager: me.id,
    }
}

/// A manager's scope for the database to work out in the same query: a recursive
/// `scope` CTE of the units under theirs, and the people filter that uses it (those
/// units, plus anyone reporting to them directly). Same rule as [`Scope::Subtree`].
pub fn subtree_in_sql(me: &SessionUser) -> (WithClause, Condition) {
    // Scoped: its `max` would shadow `Ord::max` in this module.
    use sea_orm::sea_query::ExprTrait;
    let mut units = Query::select();
    units
        .column(org_unit::Column::Id)
        .from(org_unit::Entity)
        .and_where(Expr::col(org_unit::Column::Id).eq(me.unit_id));
    let children = Query::select()
        .column((org_unit::Entity, org_unit::Column::Id))
        .from(org_unit::Entity)
        .inner_join(
            "scope",
            Expr::col(("scope", "id")).equals((org_unit::Entity, org_unit::Column::ParentId)),
        )
        .to_owned();
    units.union(UnionType::Distinct, children);
    let scope = CommonTableExpression::new()
        .query(units)
        .column("id")
        .table_name("scope")
        .to_owned();
    let people = Condition::any()
        .add(
            Expr::col((person::Entity, person::Column::UnitId))
                .in_subquery(Query::select().column("id").from("scope").to_owned()),
        )
        .add(Expr::col((person::Entity, person::Column::ManagerId)).eq(me.id));
    (
        WithClause::new().recursive(true).cte(scope).to_owned(),
        people,
    )
}

async fn unit_pairs(db: &impl ConnectionTrait) -> Result<Vec<(Uuid, Option<Uuid>)>, AppError> {
    Ok(org_unit::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.parent_id))
        .collect())
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

// ---------------------------------------------------------------- units

pub async fn list_units(
    db: &impl ConnectionTrait,
    me: &SessionUser,
) -> Result<Vec<UnitDto>, AppError> {
    let scope = scope_of(db, me).await?;
    let counts = people_per(db, person::Column::UnitId).await?;
    let units: Vec<org_unit::Model> = org_unit::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .filter(|u| scope.sees_unit(Some(u.id)))
        .collect();
    Ok(
        tree::ordered(units, |u| u.id, |u| u.parent_id, |u| u.name.clone())
            .into_iter()
            .map(|(depth, u)| UnitDto {
                people: counts.get(&u.id).copied().unwrap_or(0),
                id: u.id,
                code: u.code,
                name: u.name,
                parent_id: u.parent_id,
                active: u.active,
                depth,
            })
            .collect(),
    )
}

/// Active people per unit or position.
async fn people_per(
    db: &impl ConnectionTrait,
    column: person::Column,
) -> Result<HashMap<Uuid, u64>, AppError> {
    let mut counts = HashMap::new();
    for p in person::Entity::find()
        .filter(person::Column::Active.eq(true))
        .all(db)
        .await?
    {
        let key = match column {
            person::Column::UnitId => p.unit_id,
            _ => p.position_id,
        };
        if let Some(k) = key {
            *counts.entry(k).or_insert(0) += 1;
        }
    }
    Ok(counts)
}

pub async fn save_unit(
    db: &DatabaseConnection,
    me: &SessionUser,
    id: Option<Uuid>,
    code: &str,
    name: &str,
    parent: Option<Uuid>,
) -> Result<Uuid, AppError> {
    let (code, name) = (code.trim(), name.trim());
    let mut errors = Vec::new();
    check_text(&mut errors, "code", code, 32);
    check_text(&mut errors, "name", name, 200);
    let clash = org_unit::Entity::find()
        .filter(org_unit::Column::Code.eq(code))
        .one(db)
        .await?;
    if clash.is_some_and(|c| Some(c.id) != id) {
        errors.push(FieldError::new("code", Problem::Taken));
    }
    if let Some(p) = parent {
        if org_unit::Entity::find_by_id(p).one(db).await?.is_none() {
            errors.push(FieldError::new(
                "parent_id",
                Problem::Unknown {
                    value: p.to_string(),
                },
            ));
        } else if let Some(id) = id
            && tree::would_cycle(&unit_pairs(db).await?, id, p)
        {
            errors.push(FieldError::new("parent_id", Problem::UnitCycle));
        }
    }
    fail_if_any(errors)?;

    let txn = db.begin().await?;
    let id = match id {
        Some(id) => {
            let before = org_unit::Entity::find_by_id(id)
                .one(&txn)
                .await?
                .ok_or(AppError::NotFound)?;
            let snapshot =
                json!({"code": before.code, "name": before.name, "parent_id": before.parent_id});
            let mut unit: org_unit::ActiveModel = before.into();
            unit.code = Set(code.to_owned());
            unit.name = Set(name.to_owned());
            unit.parent_id = Set(parent);
            unit.update(&txn).await?;
            let after = json!({"code": code, "name": name, "parent_id": parent});
            audit::record(
                &txn,
                Some(me.id),
                "unit.update",
                "org_unit",
                Some(id),
                Some(snapshot),
                Some(after),
            )
            .await?;
            id
        }
        None => {
            let id = Uuid::new_v4();
            org_unit::ActiveModel {
                id: Set(id),
                code: Set(code.to_owned()),
                name: Set(name.to_owned()),
                parent_id: Set(parent),
                active: Set(true),
                created_at: Set(Utc::now()),
            }
            .insert(&txn)
            .await?;
            let after = json!({"code": code, "name": name, "parent_id": parent});
            audit::record(
                &txn,
                Some(me.id),
                "unit.create",
                "org_unit",
                Some(id),
                None,
                Some(after),
            )
            .await?;
            id
        }
    };
    txn.commit().await?;
    Ok(id)
}

pub async fn set_unit_active(
    db: &DatabaseConnection,
    me: &SessionUser,
    id: Uuid,
    active: bool,
) -> Result<(), AppError> {
    let txn = db.begin().await?;
    let unit = org_unit::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let was = unit.active;
    let mut unit: org_unit::ActiveModel = unit.into();
    unit.active = Set(active);
    unit.update(&txn).await?;
    audit::record(
        &txn,
        Some(me.id),
        "unit.set_active",
        "org_unit",
        Some(id),
        Some(json!({"active": was})),
        Some(json!({"active": active})),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------- positions

pub async fn list_positions(db: &impl ConnectionTrait) -> Result<Vec<PositionDto>, AppError> {
    let counts = people_per(db, person::Column::PositionId).await?;
    Ok(position::Entity::find()
        .order_by_asc(position::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|p| PositionDto {
            people: counts.get(&p.id).copied().unwrap_or(0),
            id: p.id,
            code: p.code,
            name: p.name,
            active: p.active,
        })
        .collect())
}

pub async fn save_position(
    db: &DatabaseConnection,
    me: &SessionUser,
    id: Option<Uuid>,
    code: &str,
    name: &str,
) -> Result<Uuid, AppError> {
    let (code, name) = (code.trim(), name.trim());
    let mut errors = Vec::new();
    check_text(&mut errors, "code", code, 32);
    check_text(&mut errors, "name", name, 200);
    let clash = position::Entity::find()
        .filter(position::Column::Code.eq(code))
        .one(db)
        .await?;
    if clash.is_some_and(|c| Some(c.id) != id) {
        errors.push(FieldError::new("code", Problem::Taken));
    }
    fail_if_any(errors)?;
    let txn = db.begin().await?;
    let after = json!({"code": code, "name": name});
    let id = match id {
        Some(id) => {
            let before = position::Entity::find_by_id(id)
                .one(&txn)
                .await?
                .ok_or(AppError::NotFound)?;
            let snapshot = json!({"code": before.code, "name": before.name});
            let mut p: position::ActiveModel = before.into();
            p.code = Set(code.to_owned());
            p.name = Set(name.to_owned());
            p.update(&txn).await?;
            audit::record(
                &txn,
                Some(me.id),
                "position.update",
                "position",
                Some(id),
                Some(snapshot),
                Some(after),
            )
            .await?;
            id
        }
        None => {
            let id = Uuid::new_v4();
            position::ActiveModel {
                id: Set(id),
                code: Set(code.to_owned()),
                name: Set(name.to_owned()),
                active: Set(true),
                created_at: Set(Utc::now()),
            }
            .insert(&txn)
            .await?;
            audit::record(
                &txn,
                Some(me.id),
                "position.create",
                "position",
                Some(id),
                None,
                Some(after),
            )
            .await?;
            id
        }
    };
    txn.commit().await?;
    Ok(id)
}

pub async fn set_position_active(
    db: &DatabaseConnection,
    me: &SessionUser,
    id: Uuid,
    active: bool,
) -> Result<(), AppError> {
    let txn = db.begin().await?;
    let p = position::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let was = p.active;
    let mut p: position::ActiveModel = p.into();
    p.active = Set(active);
    p.update(&txn).await?;
    audit::record(
        &txn,
        Some(me.id),
        "position.set_active",
        "position",
        Some(id),
        Some(json!({"active": was})),
        Some(json!({"active": active})),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------- people

#[derive(Debug, Clone, Default)]
pub struct PeopleFilter {
    pub query: String,
    pub unit: Option<Uuid>,
    pub page: u64,
    pub include_inactive: bool,
}

pub async fn list_people(
    db: &impl ConnectionTrait,
    me: &SessionUser,
    filter: &PeopleFilter,
) -> Result<PeoplePage, AppError> {
    let scope = scope_of(db, me).await?;
    let mut select = person::Entity::find().filter(scope.condition());
    if !filter.include_inactive {
        select = select.filter(person::Column::Active.eq(true));
    }
    let q = filter.query.trim();
    if !q.is_empty() {
        select = select.filter(
            Condition::any()
                .add(person::Column::Name.contains(q))
                .add(person::Column::EmployeeNo.contains(q)),
        );
    }
    if let Some(unit) = filter.unit {
        let units = tree::subtree(&unit_pairs(db).await?, unit);
        select = select.filter(person::Column::UnitId.is_in(units));
    }
    // By name in pinyin order, as people expect a staff list to read.
    let paginator = select
        .order_by_asc(person::Column::NameKey)
        .order_by_asc(person::Column::EmployeeNo)
        .paginate(db, PAGE_SIZE);
    let counts = paginator.num_items_and_pages().await?;
    let page = filter.page.clamp(1, counts.number_of_pages.max(1));
    let people = paginator.fetch_page(page - 1).await?;
    let rows = person_rows(db, people).await?;
    Ok(PeoplePage {
        rows,
        total: counts.number_of_items,
        page,
        pages: counts.number_of_pages.max(1),
    })
}

async fn person_rows(
    db: &impl ConnectionTrait,
    people: Vec<person::Model>,
) -> Result<Vec<PersonRow>, AppError> {
    let ids: Vec<Uuid> = people.iter().map(|p| p.id).collect();
    let manager_ids: Vec<Uuid> = people.iter().filter_map(|p| p.manager_id).collect();
    let units: HashMap<Uuid, String> = org_unit::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let positions: HashMap<Uuid, String> = position::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let managers: HashMap<Uuid, String> = person::Entity::find()
        .filter(person::Column::Id.is_in(manager_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.name))
        .collect();
    let mut roles = roles_by_person(db, Some(ids)).await?;
    Ok(people
        .into_iter()
        .map(|p| {
            let person_roles = roles.remove(&p.id).unwrap_or_default();
            PersonRow {
                unit: p.unit_id.and_then(|u| units.get(&u).cloned()),
                position: p.position_id.and_then(|u| positions.get(&u).cloned()),
                manager: p.manager_id.and_then(|m| managers.get(&m).cloned()),
                roles: person_roles,
                id: p.id,
                employee_no: p.employee_no,
                name: p.name,
                active: p.active,
            }
        })
        .collect())
}

pub async fn get_person(
    db: &impl ConnectionTrait,
    me: &SessionUser,
    id: Uuid,
) -> Result<PersonDetail, AppError> {
    let p = person::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let scope = scope_of(db, me).await?;
    let visible = match &scope {
        Scope::All => true,
        Scope::Subtree { manager, .. } => {
            scope.sees_unit(p.unit_id) || p.manager_id == Some(*manager)
        }
    };
    if !visible {
        return Err(AppError::Forbidden);
    }
    let manager_no = match p.manager_id {
        Some(m) => person::Entity::find_by_id(m)
            .one(db)
            .await?
            .map(|m| m.employee_no),
        None => None,
    };
    let roles = auth_service::roles_of(db, p.id).await?;
    Ok(PersonDetail {
        id: p.id,
        employee_no: p.employee_no,
        name: p.name,
        email: p.email,
        unit_id: p.unit_id,
        position_id: p.position_id,
        manager_no,
        roles,
        active: p.active,
        locked: p.locked_until.is_some_and(|t| t > Utc::now()),
        can_sign_in: p.password_hash.is_some(),
    })
}

#[derive(Debug, Clone)]
pub struct PersonInput {
    pub id: Option<Uuid>,
    pub employee_no: String,
    pub name: String,
    pub email: Option<String>,
    pub unit_id: Option<Uuid>,
    pub position_id: Option<Uuid>,
    pub manager_no: Option<String>,
    pub roles: Vec<Role>,
}

pub async fn save_person(
    db: &DatabaseConnection,
    me: &SessionUser,
    input: PersonInput,
) -> Result<Uuid, AppError> {
    let mut errors = Vec::new();
    check_text(&mut errors, "employee_no", &input.employee_no, 32);
    check_text(&mut errors, "name", &input.name, 200);
    if let Some(e) = &input.email
        && !roster::looks_like_email(e)
    {
        errors.push(FieldError::new("email", Problem::InvalidEmail));
    }
    let clash = person::Entity::find()
        .filter(person::Column::EmployeeNo.eq(&input.employee_no))
        .one(db)
        .await?;
    if clash.is_some_and(|c| Some(c.id) != input.id) {
        errors.push(FieldError::new("employee_no", Problem::Taken));
    }
    if let Some(u) = input.unit_id
        && org_unit::Entity::find_by_id(u).one(db).await?.is_none()
    {
        errors.push(FieldError::new(
            "unit_id",
            Problem::Unknown {
                value: u.to_string(),
            },
        ));
    }
    if let Some(p) = input.position_id
        && position::Entity::find_by_id(p).one(db).await?.is_none()
    {
        errors.push(FieldError::new(
            "position_id",
            Problem::Unknown {
                value: p.to_string(),
            },
        ));
    }
    let manager = match &input.manager_no {
        Some(no) => {
            let m = person::Entity::find()
                .filter(person::Column::EmployeeNo.eq(no))
                .one(db)
                .await?;
            match m {
                None => {
                    errors.push(FieldError::new(
                        "manager_no",
                        Problem::Unknown { value: no.clone() },
                    ));
                    None
                }
                Some(m) if Some(m.id) == input.id || *no == input.employee_no => {
                    errors.push(FieldError::new("manager_no", Problem::ManagerCycle));
                    None
                }
                Some(m) => {
                    if let Some(id) = input.id
                        && manages_indirectly(db, id, m.id).await?
                    {
                        errors.push(FieldError::new("manager_no", Problem::ManagerCycle));
                    }
                    Some(m.id)
                }
            }
        }
        None => None,
    };
    fail_if_any(errors)?;
    let mut roles = input.roles.clone();
    if roles.is_empty() {
        roles.push(Role::Staff);
    }
    let after = json!({
        "employee_no": input.employee_no, "name": input.name, "email": input.email,
        "unit_id": input.unit_id, "position_id": input.position_id, "manager_id": manager,
        "roles": roles.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
    });

    let now = Utc::now();
    let txn = db.begin().await?;
    let id = match input.id {
        Some(id) => {
            let before = person::Entity::find_by_id(id)
                .one(&txn)
                .await?
                .ok_or(AppError::NotFound)?;
            let old_roles = auth_service::roles_of(&txn, id).await?;
            let snapshot = json!({
                "employee_no": before.employee_no, "name": before.name, "email": before.email,
                "unit_id": before.unit_id, "position_id": before.position_id, "manager_id": before.manager_id,
                "roles": old_roles.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
            });
            let mut p: person::ActiveModel = before.into();
            p.employee_no = Set(input.employee_no.clone());
            p.name = Set(input.name.clone());
            p.name_key = Set(name_key(&input.name));
            p.email = Set(input.email.clone());
            p.unit_id = Set(input.unit_id);
            p.position_id = Set(input.position_id);
            p.manager_id = Set(manager);
            p.updated_at = Set(now);
            p.update(&txn).await?;
            audit::record(
                &txn,
                Some(me.id),
                "person.update",
                "person",
                Some(id),
                Some(snapshot),
                Some(after),
            )
            .await?;
            id
        }
        None => {
            let id = Uuid::new_v4();
            new_person(
                id,
                &input.employee_no,
                &input.name,
                input.email.clone(),
                input.unit_id,
                input.position_id,
                manager,
            )
            .insert(&txn)
            .await?;
            audit::record(
                &txn,
                Some(me.id),
                "person.create",
                "person",
                Some(id),
                None,
                Some(after),
            )
            .await?;
            id
        }
    };
    replace_roles(&txn, id, &roles).await?;
    txn.commit().await?;
    Ok(id)
}

/// True if `person` is somewhere above `candidate` in the manager chain.
async fn manages_indirectly(
    db: &impl ConnectionTrait,
    person: Uuid,
    candidate: Uuid,
) -> Result<bool, AppError> {
    let mut current = Some(candidate);
    let mut steps = 0;
    while let Some(c) = current {
        if c == person {
            return Ok(true);
        }
        steps += 1;
        if steps > 64 {
            return Ok(true);
        }
        current = person::Entity::find_by_id(c)
            .one(db)
            .await?
            .and_then(|p| p.manager_id);
    }
    Ok(false)
}

fn new_person(
    id: Uuid,
    employee_no: &str,
    name: &str,
    email: Option<String>,
    unit_id: Option<Uuid>,
    position_id: Option<Uuid>,
    manager_id: Option<Uuid>,
) -> person::ActiveModel {
    let now = Utc::now();
    person::ActiveModel {
        id: Set(id),
        employee_no: Set(employee_no.to_owned()),
        name: Set(name.to_owned()),
        name_key: Set(name_key(name)),
        email: Set(email),
        password_hash: Set(None),
        unit_id: Set(unit_id),
        position_id: Set(position_id),
        manager_id: Set(manager_id),
        locale: Set(None),
        active: Set(true),
        failed_logins: Set(0),
        locked_until: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

pub async fn replace_roles(
    db: &impl ConnectionTrait,
    person_id: Uuid,
    roles: &[Role],
) -> Result<(), AppError> {
    person_role::Entity::delete_many()
        .filter(person_role::Column::PersonId.eq(person_id))
        .exec(db)
        .await?;
    if roles.is_empty() {
        return Ok(());
    }
    person_role::Entity::insert_many(roles.iter().map(|r| person_role::ActiveModel {
        person_id: Set(person_id),
        role: Set(r.as_str().to_owned()),
    }))
    .exec(db)
    .await?;
    Ok(())
}

pub async fn set_person_active(
    db: &DatabaseConnection,
    me: &SessionUser,
    id: Uuid,
    active: bool,
) -> Result<(), AppError> {
    if id == me.id && !active {
        return Err(AppError::Conflict(Problem::Inactive {
            value: me.employee_no.clone(),
        }));
    }
    let txn = db.begin().await?;
    let p = person::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let was = p.active;
    let mut p: person::ActiveModel = p.into();
    p.active = Set(active);
    p.updated_at = Set(Utc::now());
    p.update(&txn).await?;
    if !active {
        auth_service::end_all_sessions(&txn, id, None).await?;
    }
    audit::record(
        &txn,
        Some(me.id),
        "person.set_active",
        "person",
        Some(id),
        Some(json!({"active": was})),
        Some(json!({"active": active})),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn reset_password(
    state: &AppState,
    me: &SessionUser,
    id: Uuid,
    new: &str,
    confirm: &str,
) -> Result<(), AppError> {
    auth_service::validate_new_password(new, confirm)?;
    let p = person::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let new = new.to_owned();
    let hash = state.hash_blocking(move || password::hash(&new)).await??;
    let txn = state.db.begin().await?;
    person::Entity::update_many()
        .col_expr(person::Column::PasswordHash, Expr::value(Some(hash)))
        .col_expr(person::Column::FailedLogins, Expr::value(0))
        .col_expr(
            person::Column::LockedUntil,
            Expr::value(Option::<chrono::DateTime<Utc>>::None),
        )
        .col_expr(person::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(person::Column::Id.eq(p.id))
        .exec(&txn)
        .await?;
    auth_service::end_all_sessions(&txn, id, None).await?;
    audit::record(
        &txn,
        Some(me.id),
        "person.reset_password",
        "person",
        Some(id),
        None,
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------- roster

/// Keeps an uploaded file (`kind` `roster` or `framework`) for preview; nothing is
/// imported yet.
pub async fn store_upload(
    db: &impl ConnectionTrait,
    me: &SessionUser,
    kind: &str,
    file_name: &str,
    content: String,
) -> Result<Uuid, AppError> {
    let id = Uuid::new_v4();
    roster_upload::ActiveModel {
        id: Set(id),
        uploaded_by: Set(me.id),
        kind: Set(kind.to_owned()),
        file_name: Set(file_name.chars().take(255).collect()),
        content: Set(content),
        created_at: Set(Utc::now()),
        imported_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(id)
}

async fn roster_lookup(db: &impl ConnectionTrait) -> Result<Lookup, AppError> {
    let mut lookup = Lookup::default();
    for u in org_unit::Entity::find()
        .filter(org_unit::Column::Active.eq(true))
        .all(db)
        .await?
    {
        lookup.units.insert(u.code.to_lowercase(), u.id);
        lookup.units.insert(u.name.to_lowercase(), u.id);
    }
    for p in position::Entity::find()
        .filter(position::Column::Active.eq(true))
        .all(db)
        .await?
    {
        lookup.positions.insert(p.code.to_lowercase(), p.id);
        lookup.positions.insert(p.name.to_lowercase(), p.id);
    }
    let people = person::Entity::find().all(db).await?;
    let numbers: HashMap<Uuid, String> = people
        .iter()
        .map(|p| (p.id, p.employee_no.clone()))
        .collect();
    let mut roles = roles_by_person(db, None).await?;
    for p in people {
        let person_roles = roles.remove(&p.id).unwrap_or_default();
        lookup.people.insert(
            p.employee_no.clone(),
            Existing {
                id: p.id,
                name: p.name,
                unit_id: p.unit_id,
                position_id: p.position_id,
                manager_no: p.manager_id.and_then(|m| numbers.get(&m).cloned()),
                roles: person_roles,
                email: p.email,
            },
        );
    }
    Ok(lookup)
}

pub async fn roster_preview(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<RosterPreview, AppError> {
    let upload = roster_upload::Entity::find_by_id(id)
        .filter(roster_upload::Column::Kind.eq("roster"))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let lookup = roster_lookup(db).await?;
    let (rows, file_problems) = match roster::plan(&upload.content, &lookup) {
        Ok(rows) => (rows, Vec::new()),
        Err(problems) => (Vec::new(), problems),
    };
    Ok(RosterPreview {
        id,
        file_name: upload.file_name,
        file_problems,
        imported: upload.imported_at.is_some(),
        rows: rows
            .into_iter()
            .map(|r| RosterPreviewRow {
                line: r.line,
                employee_no: r.employee_no,
                name: r.name,
                unit: r.unit,
                position: r.position,
                manager: r.manager,
                roles: r
                    .roles
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(";"),
                action: r.action,
                errors: r.errors,
            })
            .collect(),
    })
}

/// Writes the whole roster in one transaction, or nothing if any row is invalid.
/// Re-importing updates people by employee number instead of duplicating them.
pub async fn import_roster(
    db: &DatabaseConnection,
    me: &SessionUser,
    id: Uuid,
) -> Result<usize, AppError> {
    let txn = db.begin().await?;
    let upload = roster_upload::Entity::find_by_id(id)
        .filter(roster_upload::Column::Kind.eq("roster"))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if upload.imported_at.is_some() {
        return Err(AppError::Conflict(Problem::Duplicate {
            value: upload.file_name,
        }));
    }
    let lookup = roster_lookup(&txn).await?;
    let rows = roster::plan(&upload.content, &lookup).map_err(|problems| {
        AppError::Validation(
            problems
                .into_iter()
                .map(|p| FieldError::new("file", p))
                .collect(),
        )
    })?;
    let errors: Vec<FieldError> = rows
        .iter()
        .flat_map(|r| {
            r.errors.iter().map(move |e| {
                FieldError::new(format!("line {}: {}", r.line, e.field), e.problem.clone())
            })
        })
        .collect();
    fail_if_any(errors)?;

    // Pass 1: everyone exists; pass 2: managers, who may be new in this file.
    let mut ids: HashMap<String, Uuid> = lookup
        .people
        .iter()
        .map(|(no, p)| (no.clone(), p.id))
        .collect();
    let mut written = 0;
    for row in rows.iter().filter(|r| r.action != RowAction::Unchanged) {
        let id = match lookup.people.get(&row.employee_no) {
            Some(existing) => {
                person::Entity::update_many()
                    .col_expr(person::Column::Name, Expr::value(row.name.clone()))
                    .col_expr(person::Column::NameKey, Expr::value(name_key(&row.name)))
                    .col_expr(person::Column::Email, Expr::value(row.email.clone()))
                    .col_expr(person::Column::UnitId, Expr::value(row.unit_id))
                    .col_expr(person::Column::PositionId, Expr::value(row.position_id))
                    .col_expr(person::Column::UpdatedAt, Expr::value(Utc::now()))
                    .filter(person::Column::Id.eq(existing.id))
                    .exec(&txn)
                    .await?;
                existing.id
            }
            None => {
                let id = Uuid::new_v4();
                new_person(
                    id,
                    &row.employee_no,
                    &row.name,
                    row.email.clone(),
                    row.unit_id,
                    row.position_id,
                    None,
                )
                .insert(&txn)
                .await?;
                ids.insert(row.employee_no.clone(), id);
                id
            }
        };
        replace_roles(&txn, id, &row.roles).await?;
        written += 1;
    }
    for row in rows.iter().filter(|r| r.action != RowAction::Unchanged) {
        let manager = row.manager_no.as_ref().and_then(|m| ids.get(m).copied());
        if let Some(id) = ids.get(&row.employee_no) {
            person::Entity::update_many()
                .col_expr(person::Column::ManagerId, Expr::value(manager))
                .filter(person::Column::Id.eq(*id))
                .exec(&txn)
                .await?;
        }
    }
    roster_upload::Entity::update_many()
        .col_expr(
            roster_upload::Column::ImportedAt,
            Expr::value(Some(Utc::now())),
        )
        .filter(roster_upload::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    let summary = json!({"file": upload.file_name, "rows": rows.len(), "written": written});
    audit::record(
        &txn,
        Some(me.id),
        "roster.import",
        "roster_upload",
        Some(id),
        None,
        Some(summary),
    )
    .await?;
    txn.commit().await?;
    Ok(written)
}

/// Gives people stored before `name_key` existed their sort key; a no-op once done.
pub async fn fill_name_keys(db: &impl ConnectionTrait) -> Result<u64, AppError> {
    let missing = person::Entity::find()
        .filter(person::Column::NameKey.eq(""))
        .all(db)
        .await?;
    let mut filled = 0;
    for p in missing {
        let key = name_key(&p.name);
        if key.is_empty() {
            continue; // a name with no letters keeps the empty key
        }
        person::Entity::update_many()
            .col_expr(person::Column::NameKey, Expr::value(key))
            .filter(person::Column::Id.eq(p.id))
            .exec(db)
            .await?;
        filled += 1;
    }
    Ok(filled)
}
