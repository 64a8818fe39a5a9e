//! Sign-in, sessions and passwords against the database.

use chrono::Utc;
use sea_orm::ExprTrait;
use sea_orm::prelude::DateTimeUtc;
use sea_orm::prelude::Expr;
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, JoinType,
    PaginatorTrait, QueryFilter, QuerySelect, RelationTrait, Set, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::guard::{Placement, SessionUser};
use super::{CurrentUser, Role, password, session};
use crate::domain::AuditAction;
use crate::entities::{
    notification, org_unit, person, person_role, position, session as session_row,
};
use crate::error::{AppError, Problem};
use crate::state::AppState;

/// Signs a person in and returns the new session token for the cookie.
///
/// Unknown employee numbers, inactive or locked accounts and wrong passwords all
/// answer `InvalidCredentials` after the same hashing work and the same delay
/// policy, so the answer does not tell whether a number exists. Each attempt on
/// an account first claims one of its `max_failed_logins` tries in one
/// conditional update, so however many attempts run at once, at most that many
/// passwords are checked before the account locks.
#[tracing::instrument(skip(state, password, device), fields(employee_no = %employee_no.trim()))]
pub async fn sign_in(
    state: &AppState,
    employee_no: &str,
    password: &str,
    device: &session::Device,
) -> Result<String, AppError> {
    let client = device.client;
    state.sign_in.admit(client)?;
    let db = &state.db;
    let employee_no = employee_no.trim();
    // No employee number holds a control character (Postgres refuses NUL in text).
    let person = if employee_no.chars().any(char::is_control) {
        None
    } else {
        person::Entity::find()
            .filter(person::Column::EmployeeNo.eq(employee_no))
            .one(db)
            .await?
            .filter(|p| p.active && p.password_hash.is_some())
    };
    let tries = match &person {
        Some(p) => claim_try(state, p.id).await?,
        None => None,
    };
    // Only a claimed try checks the real password; everyone else checks the decoy,
    // which costs the same.
    let stored = person
        .as_ref()
        .filter(|_| tries.is_some())
        .and_then(|p| p.password_hash.clone());
    let attempt = password.to_owned();
    let matches = state
        .hash_blocking(move || {
            let stored = stored.unwrap_or_else(|| password::decoy_hash().to_owned());
            password::verify(&attempt, &stored)
        })
        .await?;
    match (person, tries) {
        (Some(person), Some(_)) if matches => {
            state.sign_in.succeeded(employee_no);
            start_session(state, &person, device).await
        }
        (person, tries) => {
            let failures = state.sign_in.failed(employee_no);
            record_failure(state, person.as_ref(), employee_no, tries, client).await?;
            tokio::time::sleep(super::throttle::failure_delay(failures)).await;
            Err(AppError::InvalidCredentials)
        }
    }
}

/// Claims one try on the account: `Some(tries used so far)`, or `None` while it
/// is locked or out of tries. An expired lock first starts a fresh count.
async fn claim_try(state: &AppState, person_id: Uuid) -> Result<Option<i32>, AppError> {
    let db = &state.db;
    let now = Utc::now();
    person::Entity::update_many()
        .col_expr(person::Column::FailedLogins, Expr::value(0))
        .col_expr(
            person::Column::LockedUntil,
            Expr::value(Option::<chrono::DateTime<Utc>>::None),
        )
        .filter(person::Column::Id.eq(person_id))
        .filter(person::Column::LockedUntil.lte(now))
        .exec(db)
        .await?;
    let claimed = person::Entity::update_many()
        .col_expr(
            person::Column::FailedLogins,
            Expr::col(person::Column::FailedLogins).add(1),
        )
        .filter(person::Column::Id.eq(person_id))
        .filter(person::Column::LockedUntil.is_null())
        .filter(person::Column::FailedLogins.lt(state.settings.max_failed_logins))
        .exec(db)
        .await?;
    if claimed.rows_affected == 0 {
        return Ok(None);
    }
    let used = person::Entity::find_by_id(person_id)
        .one(db)
        .await?
        .map_or(0, |p| p.failed_logins);
    Ok(Some(used))
}

async fn start_session(
    state: &AppState,
    person: &person::Model,
    device: &session::Device,
) -> Result<String, AppError> {
    let now = Utc::now();
    let token = session::new_token();
    let txn = state.db.begin().await?;
    person::Entity::update_many()
        .col_expr(person::Column::FailedLogins, Expr::value(0))
        .col_expr(
            person::Column::LockedUntil,
            Expr::value(Option::<chrono::DateTime<Utc>>::None),
        )
        .filter(person::Column::Id.eq(person.id))
        .exec(&txn)
        .await?;
    session_row::ActiveModel {
        id: Set(Uuid::new_v4()),
        token_hash: Set(session::token_hash(&token)),
        person_id: Set(person.id),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(state.settings.session.expires_at(now, now)),
        user_agent: Set(device.user_agent.clone()),
        client_address: Set(device.client.map(|a| a.to_string())),
        persistent: Set(device.persistent),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    tracing::info!(person = %person.id, "signed in");
    Ok(token)
}

/// Audits a failed sign-in (who was tried, from where; never the password) and,
/// when the account's last try failed, locks it and audits the lock.
async fn record_failure(
    state: &AppState,
    person: Option<&person::Model>,
    employee_no: &str,
    tries: Option<i32>,
    client: Option<std::net::IpAddr>,
) -> Result<(), AppError> {
    let settings = &state.settings;
    let address = client.map(|a| a.to_string());
    let txn = state.db.begin().await?;
    let typed: String = employee_no.chars().take(32).collect();
    crate::audit::Entry::new(None, AuditAction::SignInFailed)
        .on("person", person.map(|p| p.id))
        .after(json!({
            "employee_no": typed,
            "address": address,
            "password_checked": tries.is_some(),
        }))
        .record(&txn)
        .await?;
    if let (Some(person), Some(used)) = (person, tries)
        && used >= settings.max_failed_logins
    {
        let until = Utc::now() + settings.lockout;
        let locked = person::Entity::update_many()
            .col_expr(person::Column::LockedUntil, Expr::value(Some(until)))
            .filter(person::Column::Id.eq(person.id))
            .filter(person::Column::LockedUntil.is_null())
            .exec(&txn)
            .await?;
        if locked.rows_affected == 1 {
            tracing::warn!(person = %person.id, "account locked after repeated failed sign-ins");
            crate::audit::Entry::new(None, AuditAction::SignInLocked)
                .on("person", person.id)
                .after(json!({ "until": until, "address": address }))
                .record(&txn)
                .await?;
        }
    }
    txn.commit().await?;
    Ok(())
}

/// One row per request: the session, its person and their unit, position and manager
/// by name, which roles they hold and how many notifications they have not read,
/// each a join or subquery on an index: this runs on every request, so one round
/// trip instead of several.
#[derive(Debug, FromQueryResult)]
struct SessionLookup {
    session_id: Uuid,
    created_at: DateTimeUtc,
    last_seen_at: DateTimeUtc,
    person_id: Uuid,
    employee_no: String,
    name: String,
    active: bool,
    unit_id: Option<Uuid>,
    locale: Option<String>,
    must_change_password: bool,
    unit_name: Option<String>,
    position_name: Option<String>,
    manager_name: Option<String>,
    is_staff: bool,
    is_trainer: bool,
    is_manager: bool,
    is_admin: bool,
    unread: i64,
}

impl SessionLookup {
    fn roles(&self) -> Vec<Role> {
        let held = [
            self.is_staff,
            self.is_trainer,
            self.is_manager,
            self.is_admin,
        ];
        [Role::Staff, Role::Trainer, Role::Manager, Role::Admin]
            .into_iter()
            .zip(held)
            .filter_map(|(role, held)| held.then_some(role))
            .collect()
    }
}

fn session_lookup(token: &str) -> sea_orm::Select<session_row::Entity> {
    let person_id = || Expr::col((person::Entity, person::Column::Id));
    let holds = |role: Role| {
        Expr::exists(
            Query::select()
                .expr(Expr::val(1))
                .from(person_role::Entity)
                .and_where(
                    Expr::col((person_role::Entity, person_role::Column::PersonId)).eq(person_id()),
                )
                .and_where(Expr::col((person_role::Entity, person_role::Column::Role)).eq(role))
                .to_owned(),
        )
    };
    let unread = Query::select()
        .expr(Expr::col((notification::Entity, notification::Column::Id)).count())
        .from(notification::Entity)
        .and_where(
            Expr::col((notification::Entity, notification::Column::PersonId)).eq(person_id()),
        )
        .and_where(Expr::col((notification::Entity, notification::Column::ReadAt)).is_null())
        .to_owned();
    let unit_of = person::Entity::belongs_to(org_unit::Entity)
        .from(person::Column::UnitId)
        .to(org_unit::Column::Id)
        .into();
    let position_of = person::Entity::belongs_to(position::Entity)
        .from(person::Column::PositionId)
        .to(position::Column::Id)
        .into();
    let manager_of = person::Entity::belongs_to(person::Entity)
        .from(person::Column::ManagerId)
        .to(person::Column::Id)
        .into();
    session_row::Entity::find()
        .select_only()
        .column_as(session_row::Column::Id, "session_id")
        .column(session_row::Column::CreatedAt)
        .column(session_row::Column::LastSeenAt)
        .column_as(person::Column::Id, "person_id")
        .column(person::Column::EmployeeNo)
        .column(person::Column::Name)
        .column(person::Column::Active)
        .column(person::Column::UnitId)
        .column(person::Column::Locale)
        .column(person::Column::MustChangePassword)
        .column_as(Expr::col(("unit", org_unit::Column::Name)), "unit_name")
        .column_as(Expr::col(("pos", position::Column::Name)), "position_name")
        .column_as(Expr::col(("mgr", person::Column::Name)), "manager_name")
        .column_as(holds(Role::Staff), "is_staff")
        .column_as(holds(Role::Trainer), "is_trainer")
        .column_as(holds(Role::Manager), "is_manager")
        .column_as(holds(Role::Admin), "is_admin")
        .column_as(Expr::from(unread), "unread")
        .join(JoinType::InnerJoin, session_row::Relation::Person.def())
        .join_as(JoinType::LeftJoin, unit_of, "unit")
        .join_as(JoinType::LeftJoin, position_of, "pos")
        .join_as(JoinType::LeftJoin, manager_of, "mgr")
        .filter(session_row::Column::TokenHash.eq(session::token_hash(token)))
}

/// The live session for a cookie token, refreshing its idle timer now and then.
pub async fn resolve_session(
    state: &AppState,
    token: &str,
) -> Result<Option<SessionUser>, AppError> {
    let db = &state.db;
    let now = Utc::now();
    let Some(row) = session_lookup(token)
        .into_model::<SessionLookup>()
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if !state
        .settings
        .session
        .is_live(row.created_at, row.last_seen_at, now)
    {
        session_row::Entity::delete_by_id(row.session_id)
            .exec(db)
            .await?;
        return Ok(None);
    }
    if !row.active {
        return Ok(None);
    }
    // Writing on every request would make each page view a database write.
    if now - row.last_seen_at > chrono::Duration::minutes(1) {
        session_row::Entity::update_many()
            .col_expr(session_row::Column::LastSeenAt, Expr::value(now))
            .col_expr(
                session_row::Column::ExpiresAt,
                Expr::value(state.settings.session.expires_at(row.created_at, now)),
            )
            .filter(session_row::Column::Id.eq(row.session_id))
            .exec(db)
            .await?;
    }
    let roles = row.roles();
    Ok(Some(SessionUser {
        session_id: row.session_id,
        user: CurrentUser {
            unread: u64::try_from(row.unread).unwrap_or(0),
            id: row.person_id,
            employee_no: row.employee_no,
            name: row.name,
            roles,
            unit_id: row.unit_id,
            locale: row.locale,
        },
        placement: Placement {
            unit: row.unit_name,
            position: row.position_name,
            manager: row.manager_name,
        },
        must_change_password: row.must_change_password,
    }))
}

pub async fn roles_of(db: &impl ConnectionTrait, person_id: Uuid) -> Result<Vec<Role>, AppError> {
    let mut roles: Vec<Role> = person_role::Entity::find()
        .filter(person_role::Column::PersonId.eq(person_id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.role)
        .collect();
    roles.sort();
    Ok(roles)
}

pub async fn end_session(db: &impl ConnectionTrait, session_id: Uuid) -> Result<(), AppError> {
    session_row::Entity::delete_by_id(session_id)
        .exec(db)
        .await?;
    Ok(())
}

/// Ends every session of a person (password change or reset, deactivation).
pub async fn end_all_sessions(
    db: &impl ConnectionTrait,
    person_id: Uuid,
    except: Option<Uuid>,
) -> Result<(), AppError> {
    let mut delete =
        session_row::Entity::delete_many().filter(session_row::Column::PersonId.eq(person_id));
    if let Some(keep) = except {
        delete = delete.filter(session_row::Column::Id.ne(keep));
    }
    delete.exec(db).await?;
    Ok(())
}

/// Checks a new password against the rules; `field` names the input for the message.
/// A new password: long enough, not guessable (see [`password::weakness`]; the
/// person's name and employee number count against it), typed twice alike.
pub fn validate_new_password(new: &str, confirm: &str, personal: &[&str]) -> Result<(), AppError> {
    let len = new.chars().count();
    if len < password::MIN_LENGTH {
        return Err(AppError::field(
            "new_password",
            Problem::TooShort {
                min: password::MIN_LENGTH,
            },
        ));
    }
    if len > password::MAX_LENGTH {
        return Err(AppError::field(
            "new_password",
            Problem::TooLong {
                max: password::MAX_LENGTH,
            },
        ));
    }
    if let Some(reason) = password::weakness(new, personal) {
        return Err(AppError::field(
            "new_password",
            Problem::WeakPassword { reason },
        ));
    }
    if new != confirm {
        return Err(AppError::field("confirm", Problem::PasswordMismatch));
    }
    Ok(())
}

pub async fn change_password(
    state: &AppState,
    me: &SessionUser,
    current: &str,
    new: &str,
    confirm: &str,
) -> Result<(), AppError> {
    validate_new_password(new, confirm, &[&me.user.name, &me.user.employee_no])?;
    let person = person::Entity::find_by_id(me.user.id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let stored = person
        .password_hash
        .clone()
        .unwrap_or_else(|| password::decoy_hash().clone());
    let attempt = current.to_owned();
    let new = new.to_owned();
    let (matches, new_hash) = state
        .hash_blocking(move || {
            let ok = password::verify(&attempt, &stored);
            (ok, if ok { Some(password::hash(&new)) } else { None })
        })
        .await?;
    if !matches {
        return Err(AppError::field("current", Problem::WrongPassword));
    }
    let new_hash = new_hash.ok_or_else(|| AppError::internal("hash missing"))??;
    let txn = state.db.begin().await?;
    let mut active: person::ActiveModel = person.into();
    active.password_hash = Set(Some(new_hash));
    active.must_change_password = Set(false);
    active.updated_at = Set(Utc::now());
    active.update(&txn).await?;
    end_all_sessions(&txn, me.user.id, Some(me.session_id)).await?;
    crate::audit::Entry::new(me.user.id, AuditAction::PasswordChange)
        .on("person", me.user.id)
        .record(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn setup_needed(db: &impl ConnectionTrait) -> Result<bool, AppError> {
    Ok(person::Entity::find().count(db).await? == 0)
}

/// The first-run page: creates an administrator while the database has no people.
pub async fn first_run_setup(
    state: &AppState,
    employee_no: &str,
    name: &str,
    password: &str,
    confirm: &str,
) -> Result<(), AppError> {
    if !setup_needed(&state.db).await? {
        return Err(AppError::Forbidden);
    }
    let mut errors = Vec::new();
    if employee_no.trim().is_empty() {
        errors.push(crate::error::FieldError::new(
            "employee_no",
            Problem::Required,
        ));
    }
    if name.trim().is_empty() {
        errors.push(crate::error::FieldError::new("name", Problem::Required));
    }
    if let Err(AppError::Validation(mut e)) =
        validate_new_password(password, confirm, &[employee_no, name])
    {
        for fe in &mut e {
            if fe.field == "new_password" {
                fe.field = "password".into();
            }
        }
        errors.extend(e);
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let pw = password.to_owned();
    let hash = state.hash_blocking(move || password::hash(&pw)).await??;
    let txn = state.db.begin().await?;
    // The one `first_run` row: of two setups at once, the second is refused here.
    let claim = Query::insert()
        .into_table("first_run")
        .columns(["id", "done_at"])
        .values([1.into(), Utc::now().into()])
        .map_err(AppError::internal)?
        .to_owned();
    if let Err(err) = txn.execute(&claim).await {
        return Err(if crate::error::is_unique_violation(&err) {
            AppError::Forbidden
        } else {
            AppError::internal(err)
        });
    }
    if !setup_needed(&txn).await? {
        return Err(AppError::Forbidden);
    }
    write_admin(&txn, employee_no.trim(), name.trim(), hash).await?;
    txn.commit().await?;
    Ok(())
}

/// Creates (or promotes and re-passwords) an administrator account.
pub async fn create_admin(
    state: &AppState,
    employee_no: &str,
    name: &str,
    password: &str,
) -> Result<(), AppError> {
    let pw = password.to_owned();
    let hash = state.hash_blocking(move || password::hash(&pw)).await??;
    let txn = state.db.begin().await?;
    write_admin(&txn, employee_no, name, hash).await?;
    txn.commit().await?;
    Ok(())
}

async fn write_admin(
    txn: &impl ConnectionTrait,
    employee_no: &str,
    name: &str,
    hash: password::PasswordHash,
) -> Result<(), AppError> {
    let now = Utc::now();
    let existing = person::Entity::find()
        .filter(person::Column::EmployeeNo.eq(employee_no))
        .one(txn)
        .await?;
    let id = match existing {
        Some(p) => {
            let id = p.id;
            let mut active: person::ActiveModel = p.into();
            active.password_hash = Set(Some(hash));
            active.active = Set(true);
            active.updated_at = Set(now);
            active.update(txn).await?;
            id
        }
        None => {
            let id = Uuid::new_v4();
            person::ActiveModel {
                password_hash: Set(Some(hash)),
                ..crate::org::people::new_person(id, employee_no, name, None, None, None, None)
            }
            .insert(txn)
            .await?;
            id
        }
    };
    for role in [Role::Admin, Role::Staff] {
        let has = person_role::Entity::find_by_id((id, role))
            .one(txn)
            .await?
            .is_some();
        if !has {
            person_role::ActiveModel {
                person_id: Set(id),
                role: Set(role),
            }
            .insert(txn)
            .await?;
        }
    }
    crate::audit::Entry::new(None, AuditAction::PersonCreateAdmin)
        .on("person", id)
        .record(txn)
        .await?;
    Ok(())
}

pub async fn save_locale(
    db: &impl ConnectionTrait,
    person_id: Uuid,
    locale: &str,
) -> Result<(), AppError> {
    person::Entity::update_many()
        .col_expr(person::Column::Locale, Expr::value(Some(locale.to_owned())))
        .filter(person::Column::Id.eq(person_id))
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_rules() {
        let ok = "correct horse battery staple";
        assert!(validate_new_password(ok, ok, &[]).is_ok());
        assert_eq!(
            validate_new_password("short", "short", &[])
                .unwrap_err()
                .problems_for("new_password"),
            vec![Problem::TooShort { min: 10 }]
        );
        assert_eq!(
            validate_new_password(ok, "different", &[])
                .unwrap_err()
                .problems_for("confirm"),
            vec![Problem::PasswordMismatch]
        );
    }
}
