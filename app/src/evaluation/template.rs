//! The office's reaction template: the items every course's reaction form
//! starts with. Trainers and administrators edit it; a course's form, once
//! copied, is the course's own, so a change here reaches only the forms copied
//! after it.

use chrono::Utc;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::reaction_figures::{DEFAULT_FORM, has_default_wording};
use super::{MAX_PROMPT, ReactionItem, ReactionTemplate};
use crate::auth::guard::SessionUser;
use crate::common::validate;
use crate::domain::{AuditAction, ReactionKind, Vocabulary};
use crate::entities::reaction_template_item as item;
use crate::error::{AppError, Problem};

/// Fills an empty template with the default form. Racing first uses insert
/// each default item once (the key is unique).
pub async fn ensure(db: &impl ConnectionTrait) -> Result<(), AppError> {
    if item::Entity::find().one(db).await?.is_some() {
        return Ok(());
    }
    let now = Utc::now();
    let rows = DEFAULT_FORM
        .iter()
        .enumerate()
        .map(|(i, (name, kind))| item::ActiveModel {
            id: Set(Uuid::new_v4()),
            position: Set(i32::try_from(i + 1).unwrap_or(i32::MAX)),
            kind: Set(*kind),
            item_key: Set((*name).to_owned()),
            prompt: Set(String::new()),
            removed_at: Set(None),
            created_at: Set(now),
        });
    item::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::column(item::Column::ItemKey)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// The template's items now, in order.
pub async fn live(db: &impl ConnectionTrait) -> Result<Vec<item::Model>, AppError> {
    ensure(db).await?;
    Ok(item::Entity::find()
        .filter(item::Column::RemovedAt.is_null())
        .order_by_asc(item::Column::Position)
        .all(db)
        .await?)
}

pub async fn view(db: &impl ConnectionTrait) -> Result<ReactionTemplate, AppError> {
    Ok(ReactionTemplate {
        items: live(db)
            .await?
            .into_iter()
            .map(|i| ReactionItem {
                id: i.id,
                kind: i.kind,
                default_wording: has_default_wording(Some(&i.item_key)),
                builtin: Some(i.item_key),
                prompt: i.prompt,
                answers: None,
            })
            .collect(),
    })
}

/// Whether `id` is one of the template's items (the form editor's item forms
/// serve the template and the courses alike).
pub async fn holds(db: &impl ConnectionTrait, id: Uuid) -> Result<bool, AppError> {
    Ok(item::Entity::find_by_id(id).one(db).await?.is_some())
}

fn record(
    me: &SessionUser,
    id: Uuid,
    before: Option<serde_json::Value>,
    after: serde_json::Value,
) -> crate::audit::Entry {
    crate::audit::Entry::new(me.id, AuditAction::ReactionForm)
        .on("reaction_template", id)
        .before(before)
        .after(after)
}

pub async fn add(
    db: &DatabaseConnection,
    me: &SessionUser,
    kind: &str,
    prompt: &str,
) -> Result<(), AppError> {
    let (kind, prompt) = validate::all((
        validate::one_of::<ReactionKind>("kind", kind),
        validate::text("prompt", prompt, MAX_PROMPT),
    ))?;
    ensure(db).await?;
    let txn = db.begin().await?;
    let last = item::Entity::find()
        .order_by_desc(item::Column::Position)
        .one(&txn)
        .await?
        .map_or(0, |i| i.position);
    let id = Uuid::new_v4();
    // A random key: two items added at once never share one.
    let key = format!("office-{}", &id.simple().to_string()[..12]);
    item::ActiveModel {
        id: Set(id),
        position: Set(last + 1),
        kind: Set(kind),
        item_key: Set(key),
        prompt: Set(prompt.clone()),
        removed_at: Set(None),
        created_at: Set(Utc::now()),
    }
    .insert(&txn)
    .await?;
    record(
        me,
        id,
        None,
        json!({ "added": prompt, "kind": kind.as_str() }),
    )
    .record(&txn)
    .await?;
    txn.commit().await?;
    Ok(())
}

async fn find_live(db: &impl ConnectionTrait, id: Uuid) -> Result<item::Model, AppError> {
    item::Entity::find_by_id(id)
        .filter(item::Column::RemovedAt.is_null())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Rewords an item; blank gives a default item its own wording again.
pub async fn reword(
    db: &DatabaseConnection,
    me: &SessionUser,
    id: Uuid,
    prompt: &str,
) -> Result<(), AppError> {
    let found = find_live(db, id).await?;
    let prompt = if has_default_wording(Some(&found.item_key)) {
        validate::optional_text("prompt", prompt, MAX_PROMPT)?.unwrap_or_default()
    } else {
        validate::text("prompt", prompt, MAX_PROMPT)?
    };
    let txn = db.begin().await?;
    item::ActiveModel {
        id: Set(found.id),
        prompt: Set(prompt.clone()),
        ..Default::default()
    }
    .update(&txn)
    .await?;
    record(
        me,
        found.id,
        Some(json!({ "prompt": found.prompt })),
        json!({ "prompt": prompt }),
    )
    .record(&txn)
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Takes an item off the template; the template keeps at least one item.
pub async fn remove(db: &DatabaseConnection, me: &SessionUser, id: Uuid) -> Result<(), AppError> {
    let found = find_live(db, id).await?;
    if live(db).await?.len() <= 1 {
        return Err(AppError::Conflict(Problem::LastItem));
    }
    let txn = db.begin().await?;
    item::ActiveModel {
        id: Set(found.id),
        removed_at: Set(Some(Utc::now())),
        ..Default::default()
    }
    .update(&txn)
    .await?;
    record(
        me,
        found.id,
        Some(json!({ "key": found.item_key, "prompt": found.prompt })),
        json!({ "removed": found.id }),
    )
    .record(&txn)
    .await?;
    txn.commit().await?;
    Ok(())
}
