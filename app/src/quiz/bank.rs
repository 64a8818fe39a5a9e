//! The question bank as trainers browse it: a filtered, paged list, one
//! question with its answer key, archiving, and the questions an export writes.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
use serde_json::json;
use uuid::Uuid;

use super::question::{Question, TextFormat};
use super::{Bank, BankQuery, BankRow, QuestionDetail};
use crate::auth::guard::SessionUser;
use crate::common::search;
use crate::domain::{AuditAction, QuestionKind, Vocabulary};
use crate::entities::{course, question, question_version};
use crate::error::AppError;

pub const PAGE_SIZE: u64 = 25;

/// The questions `query` selects. A category includes its subcategories.
fn selected(query: &BankQuery) -> Select<question::Entity> {
    let mut select = question::Entity::find().filter(question::Column::Archived.eq(query.archived));
    let category = query.category.trim().trim_matches('/');
    if !category.is_empty() {
        select = select.filter(
            Condition::any()
                .add(question::Column::Category.eq(category))
                .add(question::Column::Category.starts_with(format!("{category}/"))),
        );
    }
    let competency = query.competency.trim();
    if !competency.is_empty() {
        // Codes compare regardless of case, as everywhere. (ExprTrait in a
        // block: in scope everywhere it shadows `Ord::max`.)
        let same_code = {
            use sea_orm::sea_query::ExprTrait;
            Expr::expr(Func::upper(Expr::col(question::Column::CompetencyCode)))
                .eq(competency.to_uppercase())
        };
        select = select.filter(same_code);
    }
    if let Some(kind) = QuestionKind::parse(query.kind.trim()) {
        select = select.filter(question::Column::Kind.eq(kind));
    }
    match query.course.trim() {
        "" => {}
        "shared" => select = select.filter(question::Column::CourseId.is_null()),
        id => {
            // An id that is not one selects nothing rather than everything.
            let id = Uuid::parse_str(id).unwrap_or(Uuid::nil());
            select = select.filter(question::Column::CourseId.eq(id));
        }
    }
    let q = query.q.trim();
    if !q.is_empty() {
        select = select.filter(search::contains(
            (question::Entity, question::Column::Name),
            q,
        ));
    }
    select
}

async fn course_codes(
    db: &impl ConnectionTrait,
    ids: Vec<Uuid>,
) -> Result<HashMap<Uuid, String>, AppError> {
    Ok(course::Entity::find()
        .filter(course::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.code))
        .collect())
}

async fn distinct_strings(
    db: &impl ConnectionTrait,
    column: question::Column,
) -> Result<Vec<String>, AppError> {
    let mut values: Vec<String> = question::Entity::find()
        .select_only()
        .column(column)
        .distinct()
        .filter(column.is_not_null())
        .into_tuple::<String>()
        .all(db)
        .await?
        .into_iter()
        .filter(|v| !v.is_empty())
        .collect();
    values.sort();
    Ok(values)
}

pub async fn list(db: &impl ConnectionTrait, query: &BankQuery) -> Result<Bank, AppError> {
    let paginator = in_bank_order(selected(query)).paginate(db, PAGE_SIZE);
    let counts = paginator.num_items_and_pages().await?;
    let pages = counts.number_of_pages.max(1);
    let page = query.page.clamp(1, pages);
    let found = paginator.fetch_page(page - 1).await?;
    let courses = course_codes(db, found.iter().filter_map(|q| q.course_id).collect()).await?;
    let rows = found
        .into_iter()
        .map(|q| BankRow {
            id: q.id,
            name: q.name,
            kind: q.kind,
            category: q.category,
            competency: q.competency_code,
            course: q.course_id.and_then(|c| courses.get(&c).cloned()),
            points: q.points,
            version: q.current_version,
        })
        .collect();
    Ok(Bank {
        rows,
        total: counts.number_of_items,
        page,
        pages,
        categories: distinct_strings(db, question::Column::Category).await?,
        competencies: distinct_strings(db, question::Column::CompetencyCode).await?,
        courses: super::import::course_choices(db).await?,
    })
}

/// The questions stored as each (question, version), parsed.
pub async fn bodies(
    db: &impl ConnectionTrait,
    wanted: &[(Uuid, i32)],
) -> Result<HashMap<(Uuid, i32), Question>, AppError> {
    let mut out = HashMap::new();
    // In slices: two bound parameters per version, and both backends cap them.
    for chunk in wanted.chunks(1000) {
        let mut any = Condition::any();
        for (id, version) in chunk {
            any = any.add(
                Condition::all()
                    .add(question_version::Column::QuestionId.eq(*id))
                    .add(question_version::Column::Version.eq(*version)),
            );
        }
        for v in question_version::Entity::find().filter(any).all(db).await? {
            let q: Question = serde_json::from_str(&v.body).map_err(AppError::internal)?;
            out.insert((v.question_id, v.version), q);
        }
    }
    Ok(out)
}

/// The current version of each question, in the order given.
pub(crate) async fn current_bodies(
    db: &impl ConnectionTrait,
    heads: &[question::Model],
) -> Result<Vec<Question>, AppError> {
    let wanted: Vec<(Uuid, i32)> = heads.iter().map(|q| (q.id, q.current_version)).collect();
    let mut found = bodies(db, &wanted).await?;
    wanted
        .iter()
        .map(|key| found.remove(key).ok_or(AppError::NotFound))
        .collect()
}

/// Questions in bank order: by category, then as they were added.
pub(crate) fn in_bank_order(select: Select<question::Entity>) -> Select<question::Entity> {
    select
        .order_by_asc(question::Column::Category)
        .order_by_asc(question::Column::CreatedAt)
        .order_by_asc(question::Column::Id)
}

/// Safe HTML for a question's text in its format: HTML and Markdown through the
/// same sanitiser as lessons, plain text escaped with its line breaks kept.
pub fn text_html(format: TextFormat, text: &str) -> String {
    match format {
        TextFormat::Html => crate::courses::markdown::sanitise(text),
        TextFormat::Markdown => crate::courses::markdown::to_safe_html(text),
        TextFormat::Moodle | TextFormat::Plain => {
            let escaped = ammonia::clean_text(text);
            escaped.replace("&#10;", "<br>")
        }
    }
}

pub async fn detail(db: &impl ConnectionTrait, id: Uuid) -> Result<QuestionDetail, AppError> {
    let head = question::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let question = current_bodies(db, std::slice::from_ref(&head))
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    let course = match head.course_id {
        Some(c) => course::Entity::find_by_id(c)
            .one(db)
            .await?
            .map(|c| (c.id, super::import::course_label(&c))),
        None => None,
    };
    Ok(QuestionDetail {
        id: head.id,
        course,
        category: head.category,
        competency: head.competency_code,
        kind: head.kind,
        points: head.points,
        version: head.current_version,
        archived: head.archived,
        text_html: text_html(question.format, &question.text),
        question,
    })
}

/// Archives or restores a question: archived ones leave the bank's list and are
/// not drawn, and attempts that used them keep them.
pub async fn set_archived(
    db: &impl ConnectionTrait,
    me: &SessionUser,
    id: Uuid,
    archived: bool,
) -> Result<(), AppError> {
    let done = question::Entity::update_many()
        .col_expr(question::Column::Archived, Expr::value(archived))
        .col_expr(question::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(question::Column::Id.eq(id))
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    let action = if archived {
        AuditAction::QuestionArchive
    } else {
        AuditAction::QuestionRestore
    };
    crate::audit::Entry::new(me.id, action)
        .on("question", id)
        .after(json!({ "archived": archived }))
        .record(db)
        .await?;
    Ok(())
}

/// Every question `query` selects (all pages), current versions, for an export.
pub async fn export(
    db: &impl ConnectionTrait,
    query: &BankQuery,
) -> Result<Vec<Question>, AppError> {
    let heads = in_bank_order(selected(query)).all(db).await?;
    current_bodies(db, &heads).await
}

/// The file name an export of `query` gets, from its category when it has one.
pub fn export_name(query: &BankQuery, extension: &str) -> String {
    let category = query.category.trim().trim_matches('/');
    let stem = if category.is_empty() {
        "questions".to_owned()
    } else {
        category.replace('/', "-")
    };
    format!("{stem}.{extension}")
}
