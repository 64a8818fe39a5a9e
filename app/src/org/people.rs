//! People: the visible list, one person's record, saving, (de)activating, roles
//! and passwords set by an administrator.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::prelude::Expr;
use sea_orm::sea_query::Condition;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::roster::{self};
use super::structure::unit_pairs;
use super::tree;
use super::visibility::Scope;
use super::{PAGE_SIZE, PeoplePage, PersonDetail, PersonRow};
use crate::auth::guard::SessionUser;
use crate::auth::{Role, password, service as auth_service};
use crate::common::conflict::Taken;
use crate::common::name_key::name_key;
use crate::common::search;
use crate::common::validate::{self, Fields, limits};
use crate::domain::AuditAction;
use crate::domain::Vocabulary;
use crate::entities::{org_unit, person, person_role, position};
use crate::error::{AppError, Problem};
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
        roles.entry(r.person_id).or_default().push(r.role);
    }
    roles.values_mut().for_each(|r| r.sort());
    Ok(roles)
}

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
    let scope = Scope::load(db, me).await?;
    let mut select = person::Entity::find().filter(scope.condition());
    if !filter.include_inactive {
        select = select.filter(person::Column::Active.eq(true));
    }
    let q = filter.query.trim();
    if !q.is_empty() {
        select = select.filter(
            Condition::any()
                .add(search::contains((person::Entity, person::Column::Name), q))
                .add(search::contains(
                    (person::Entity, person::Column::EmployeeNo),
                    q,
                )),
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
    let units = super::lookup::unit_names(db).await?;
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
    if !Scope::load(db, me).await?.sees_person(&p) {
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
    let mut errors = Fields::new();
    errors.take(validate::text(
        "employee_no",
        &input.employee_no,
        limits::CODE,
    ));
    errors.take(validate::text("name", &input.name, limits::NAME));
    if let Some(e) = &input.email
        && !roster::looks_like_email(e)
    {
        errors.add("email", Problem::InvalidEmail);
    }
    if let Some(u) = input.unit_id
        && org_unit::Entity::find_by_id(u).one(db).await?.is_none()
    {
        errors.add(
            "unit_id",
            Problem::Unknown {
                value: u.to_string(),
            },
        );
    }
    if let Some(p) = input.position_id
        && position::Entity::find_by_id(p).one(db).await?.is_none()
    {
        errors.add(
            "position_id",
            Problem::Unknown {
                value: p.to_string(),
            },
        );
    }
    let manager = manager_of(db, &input, &mut errors).await?;
    errors.finish()?;
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
            p.update(&txn).await.taken("employee_no")?;
            crate::audit::Entry::new(me.id, AuditAction::PersonUpdate)
                .on("person", id)
                .before(snapshot)
                .after(after)
                .record(&txn)
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
            .await
            .taken("employee_no")?;
            crate::audit::Entry::new(me.id, AuditAction::PersonCreate)
                .on("person", id)
                .after(after)
                .record(&txn)
                .await?;
            id
        }
    };
    replace_roles(&txn, id, &roles).await?;
    txn.commit().await?;
    Ok(id)
}

/// The manager named on the form, if it names one that exists and would not make a
/// reporting cycle; otherwise the problem goes into `errors`.
async fn manager_of(
    db: &impl ConnectionTrait,
    input: &PersonInput,
    errors: &mut Fields,
) -> Result<Option<Uuid>, AppError> {
    Ok(match &input.manager_no {
        Some(no) => {
            let m = person::Entity::find()
                .filter(person::Column::EmployeeNo.eq(no))
                .one(db)
                .await?;
            match m {
                None => {
                    errors.add("manager_no", Problem::Unknown { value: no.clone() });
                    None
                }
                Some(m) if Some(m.id) == input.id || *no == input.employee_no => {
                    errors.add("manager_no", Problem::ManagerCycle);
                    None
                }
                Some(m) => {
                    if let Some(id) = input.id
                        && manages_indirectly(db, id, m.id).await?
                    {
                        errors.add("manager_no", Problem::ManagerCycle);
                    }
                    Some(m.id)
                }
            }
        }
        None => None,
    })
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

/// A new active person without a password or roles; callers add what they need.
pub fn new_person(
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
        must_change_password: Set(false),
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
        role: Set(*r),
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
    crate::audit::Entry::new(me.id, AuditAction::PersonSetActive)
        .on("person", id)
        .before(json!({"active": was}))
        .after(json!({"active": active}))
        .record(&txn)
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
    let p = person::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    auth_service::validate_new_password(new, confirm, &[&p.name, &p.employee_no])?;
    let new = new.to_owned();
    let hash = state.hash_blocking(move || password::hash(&new)).await??;
    let txn = state.db.begin().await?;
    person::Entity::update_many()
        .col_expr(person::Column::PasswordHash, Expr::value(Some(hash)))
        .col_expr(person::Column::MustChangePassword, Expr::value(true))
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
    crate::audit::Entry::new(me.id, AuditAction::PersonResetPassword)
        .on("person", id)
        .record(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Lifts a lock left by failed sign-ins (and forgets the failures); audited.
pub async fn unlock(db: &DatabaseConnection, me: &SessionUser, id: Uuid) -> Result<(), AppError> {
    let txn = db.begin().await?;
    let p = person::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    person::Entity::update_many()
        .col_expr(person::Column::FailedLogins, Expr::value(0))
        .col_expr(
            person::Column::LockedUntil,
            Expr::value(Option::<chrono::DateTime<Utc>>::None),
        )
        .filter(person::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    crate::audit::Entry::new(me.id, AuditAction::PersonUnlock)
        .on("person", id)
        .before(json!({ "failed_logins": p.failed_logins, "locked_until": p.locked_until }))
        .record(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
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
