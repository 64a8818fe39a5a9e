//! Who reads a course's evaluation and whose answers they count. The course's
//! editors count every learner; a manager counts the learners they may see
//! (their unit's subtree and direct reports), so one set of reports serves both
//! and a manager's small team is held back by the same anonymity rules.

use std::collections::HashSet;

use sea_orm::{ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::auth::Role;
use crate::auth::guard::SessionUser;
use crate::courses::service::{editable, visible_course};
use crate::entities::{course, person};
use crate::error::AppError;
use crate::org::visibility::Scope;

/// The learners whose answers a reader counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Among {
    Everyone,
    Only(HashSet<Uuid>),
}

impl Among {
    pub fn counts(&self, person: Uuid) -> bool {
        match self {
            Among::Everyone => true,
            Among::Only(people) => people.contains(&person),
        }
    }
}

/// The course, if the caller may read its evaluation, and whose answers they
/// count. A manager who cannot edit the course reads it for their people.
pub async fn evaluated(
    db: &impl ConnectionTrait,
    me: &SessionUser,
    course_id: Uuid,
) -> Result<(course::Model, Among), AppError> {
    match editable(db, me, course_id).await {
        Ok(c) => Ok((c, Among::Everyone)),
        Err(AppError::Forbidden | AppError::NotFound) if me.has(Role::Manager) => {
            let c = visible_course(db, me, course_id).await?;
            let scope = Scope::load(db, me).await?;
            let people: Vec<Uuid> = person::Entity::find()
                .filter(scope.condition())
                .select_only()
                .column(person::Column::Id)
                .into_tuple()
                .all(db)
                .await?;
            Ok((c, Among::Only(people.into_iter().collect())))
        }
        Err(e) => Err(e),
    }
}
