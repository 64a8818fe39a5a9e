//! Who may see which person, in one place: admins and trainers see everyone; a
//! manager sees their own unit's subtree and anyone reporting to them directly;
//! everyone sees themselves. People lists, gap views, campaign audiences and exports
//! all ask here, in Rust ([`Scope`]) or in SQL ([`subtree_in_sql`]).

use std::collections::HashSet;

use sea_orm::prelude::Expr;
use sea_orm::sea_query::{CommonTableExpression, Condition, Query, UnionType, WithClause};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::tree;
use crate::auth::Role;
use crate::auth::guard::SessionUser;
use crate::entities::{org_unit, person, person_role};
use crate::error::AppError;

/// Admins and trainers see everyone.
pub fn sees_everyone(me: &SessionUser) -> bool {
    me.has_any(&[Role::Admin, Role::Trainer])
}

/// The people a caller may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    All,
    /// A manager: their unit's subtree, plus anyone reporting to them directly.
    Subtree {
        units: HashSet<Uuid>,
        manager: Uuid,
    },
    /// Anyone else: themselves.
    Own(Uuid),
}

impl Scope {
    /// The scope of `me` given the office's units (for callers that have them).
    pub fn new(me: &SessionUser, units: &[org_unit::Model]) -> Scope {
        Scope::of(me.id, me.unit_id, &me.roles, units)
    }

    /// The rule on its facts: who, in which unit, holding which roles.
    fn of(person: Uuid, unit: Option<Uuid>, roles: &[Role], units: &[org_unit::Model]) -> Scope {
        if roles
            .iter()
            .any(|r| matches!(r, Role::Admin | Role::Trainer))
        {
            return Scope::All;
        }
        if !roles.contains(&Role::Manager) {
            return Scope::Own(person);
        }
        let pairs: Vec<(Uuid, Option<Uuid>)> = units.iter().map(|u| (u.id, u.parent_id)).collect();
        let units = match unit {
            Some(root) => tree::subtree(&pairs, root),
            None => HashSet::new(),
        };
        Scope::Subtree {
            units,
            manager: person,
        }
    }

    /// The scope of `me`, reading the unit tree only when it matters.
    pub async fn load(db: &impl ConnectionTrait, me: &SessionUser) -> Result<Scope, AppError> {
        if sees_everyone(me) || !me.has(Role::Manager) {
            return Ok(Scope::new(me, &[]));
        }
        Ok(Scope::new(me, &org_unit::Entity::find().all(db).await?))
    }

    /// The scope of someone other than the caller, as they stand now (a campaign's
    /// owner, whose visibility bounds the campaign's audience whoever opens it).
    pub async fn of_person(db: &impl ConnectionTrait, id: Uuid) -> Result<Scope, AppError> {
        let p = person::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or(AppError::NotFound)?;
        let roles: Vec<Role> = person_role::Entity::find()
            .filter(person_role::Column::PersonId.eq(id))
            .all(db)
            .await?
            .into_iter()
            .map(|r| r.role)
            .collect();
        let units = org_unit::Entity::find().all(db).await?;
        Ok(Scope::of(id, p.unit_id, &roles, &units))
    }

    /// Whether the scope covers a whole unit (for unit pickers and unit views).
    pub fn sees_unit(&self, unit: Option<Uuid>) -> bool {
        match self {
            Scope::All => true,
            Scope::Subtree { units, .. } => unit.is_some_and(|u| units.contains(&u)),
            Scope::Own(_) => false,
        }
    }

    pub fn sees_person(&self, p: &person::Model) -> bool {
        self.sees(p.id, p.unit_id, p.manager_id)
    }

    /// The rule itself, on the three facts it needs.
    pub fn sees(&self, person: Uuid, unit: Option<Uuid>, manager: Option<Uuid>) -> bool {
        match self {
            Scope::All => true,
            Scope::Subtree { units, manager: me } => {
                person == *me || unit.is_some_and(|u| units.contains(&u)) || manager == Some(*me)
            }
            Scope::Own(me) => person == *me,
        }
    }

    /// The same rule as a filter on `people`.
    pub fn condition(&self) -> Condition {
        match self {
            Scope::All => Condition::all(),
            Scope::Subtree { units, manager } => Condition::any()
                .add(person::Column::Id.eq(*manager))
                .add(person::Column::UnitId.is_in(units.iter().copied()))
                .add(person::Column::ManagerId.eq(*manager)),
            Scope::Own(me) => Condition::all().add(person::Column::Id.eq(*me)),
        }
    }
}

/// A manager's scope for the database to work out in the same query: a recursive
/// `scope` CTE of the units under theirs, and the people filter that uses it. Same
/// rule as [`Scope::Subtree`].
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
        .add(Expr::col((person::Entity, person::Column::Id)).eq(me.id))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::CurrentUser;
    use crate::auth::guard::Placement;

    fn user(id: Uuid, unit: Option<Uuid>, roles: &[Role]) -> SessionUser {
        SessionUser {
            session_id: Uuid::nil(),
            user: CurrentUser {
                unread: 0,
                id,
                employee_no: "E1".into(),
                name: "Test".into(),
                roles: roles.to_vec(),
                unit_id: unit,
                locale: None,
            },
            placement: Placement::default(),
            must_change_password: false,
        }
    }

    fn unit(id: Uuid, parent: Option<Uuid>) -> org_unit::Model {
        org_unit::Model {
            id,
            code: id.to_string(),
            name: String::new(),
            parent_id: parent,
            active: true,
            created_at: chrono::Utc::now(),
        }
    }

    /// Hall ⊃ Window team; Archives elsewhere. The manager runs the hall.
    #[test]
    fn who_sees_whom() {
        let [hall, window, archives] = [Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4()];
        let units = [
            unit(hall, None),
            unit(window, Some(hall)),
            unit(archives, None),
        ];
        let [boss, clerk, report_elsewhere, stranger, admin, trainer] =
            [(); 6].map(|_| Uuid::new_v4());
        let manager = Scope::new(
            &user(boss, Some(hall), &[Role::Staff, Role::Manager]),
            &units,
        );
        let staff = Scope::new(&user(clerk, Some(window), &[Role::Staff]), &units);
        let admin = Scope::new(&user(admin, None, &[Role::Admin]), &units);
        let trainer = Scope::new(&user(trainer, Some(archives), &[Role::Trainer]), &units);
        // (scope, person, their unit, their manager, sees?)
        let cases = [
            (&manager, clerk, Some(window), Some(boss), true),
            (&manager, clerk, Some(window), None, true),
            (&manager, report_elsewhere, Some(archives), Some(boss), true),
            (&manager, stranger, Some(archives), None, false),
            (&manager, stranger, None, None, false),
            (&manager, boss, None, None, true),
            (&staff, clerk, Some(window), Some(boss), true),
            (&staff, boss, Some(hall), None, false),
            (&staff, stranger, Some(window), Some(boss), false),
            (&admin, stranger, None, None, true),
            (&trainer, stranger, Some(hall), None, true),
        ];
        for (i, (scope, person, unit, manager, expected)) in cases.into_iter().enumerate() {
            assert_eq!(scope.sees(person, unit, manager), expected, "case {i}");
        }
        assert!(manager.sees_unit(Some(window)));
        assert!(!manager.sees_unit(Some(archives)));
        assert!(!staff.sees_unit(Some(window)));
        assert!(admin.sees_unit(None));
    }
}
