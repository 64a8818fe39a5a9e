//! Editing a question in the bank. A trainer edits its text and answers as
//! GIFT, or as Moodle XML when GIFT cannot hold all of it (ordering questions,
//! an essay's rubric, numeric units, embedded files); points and competency are
//! fields of their own, and the category stays. An edit of a question nobody
//! has been given changes its version in place; once an attempt has it, the
//! edit makes the next version and old attempts keep theirs.

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
    TransactionSession, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::QuestionFormat;
use super::import::{display_name, kind_of, read};
use super::question::Question;
use crate::auth::guard::SessionUser;
use crate::common::validate;
use crate::domain::AuditAction;
use crate::entities::{attempt_item, question, question_version};
use crate::error::{AppError, Problem, QuestionProblem};

/// The most points a question may be worth.
pub const MAX_POINTS: f64 = 1000.0;

/// `q` without what the edit form holds apart (points, competency, category).
fn bare(q: &Question) -> Question {
    Question {
        category: None,
        points: 1.0,
        competency: None,
        ..q.clone()
    }
}

/// The text a trainer edits `q` in: GIFT when it holds all of the question,
/// else Moodle XML.
pub fn source_of(q: &Question) -> (QuestionFormat, String) {
    let q = bare(q);
    let (gift, left_out) = super::gift::write(std::slice::from_ref(&q));
    if left_out.is_empty() {
        let back = super::gift::parse(&gift);
        if back.skipped.is_empty()
            && back.questions.len() == 1
            && bare(&back.questions[0].question) == q
        {
            return (QuestionFormat::Gift, gift.trim().to_owned());
        }
    }
    (
        QuestionFormat::MoodleXml,
        super::moodle_xml::write(std::slice::from_ref(&q)),
    )
}

/// The one question `source` holds, or why not.
fn one_question(source: &str) -> Result<Question, AppError> {
    let reading = read(source);
    if let Some(detail) = reading.refused {
        return Err(AppError::field(
            "source",
            Problem::BadQuestion {
                line: 1,
                problem: QuestionProblem::Malformed { detail },
            },
        ));
    }
    if let Some(s) = reading.skipped.into_iter().next() {
        return Err(AppError::field(
            "source",
            Problem::BadQuestion {
                line: s.line,
                problem: s.problem,
            },
        ));
    }
    let mut questions = reading.questions;
    if questions.len() != 1 {
        return Err(AppError::field(
            "source",
            Problem::OneQuestion {
                found: questions.len(),
            },
        ));
    }
    Ok(questions.remove(0).question)
}

/// Whether an attempt has been given the question's current version.
async fn given(db: &impl ConnectionTrait, head: &question::Model) -> Result<bool, AppError> {
    Ok(attempt_item::Entity::find()
        .filter(attempt_item::Column::QuestionId.eq(head.id))
        .filter(attempt_item::Column::Version.eq(head.current_version))
        .count(db)
        .await?
        > 0)
}

/// The edit form of question `id`: its text, and what saving will do.
pub async fn form(db: &impl ConnectionTrait, id: Uuid) -> Result<super::QuestionEdit, AppError> {
    let head = question::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let q = super::bank::current_bodies(db, std::slice::from_ref(&head))
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    let (format, source) = source_of(&q);
    let given = given(db, &head).await?;
    let (_, earlier) = super::marking::earlier_answers(db, id).await?;
    Ok(super::QuestionEdit {
        format,
        source,
        given,
        earlier_answers: earlier.len(),
    })
}

/// What an edit did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edited {
    pub version: i32,
    /// A new version was made (the old one had been given in an attempt).
    pub new_version: bool,
}

/// Saves an edit of question `id`.
pub async fn edit<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    me: &SessionUser,
    id: Uuid,
    source: &str,
    points: &str,
    competency: &str,
) -> Result<Edited, AppError> {
    let head = question::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let (points, competency) = validate::all((
        validate::number("points", points, 0.0, MAX_POINTS),
        validate::optional_text("competency", competency, 40),
    ))?;
    let mut q = one_question(source)?;
    q.points = points;
    q.competency = competency.map(|c| c.to_uppercase());
    q.category = (!head.category.is_empty()).then(|| head.category.clone());
    let body = serde_json::to_string(&q).map_err(AppError::internal)?;
    let now = Utc::now();
    let txn = db.begin().await?;
    let given = given(&txn, &head).await?;
    let version = if given {
        let next = head.current_version + 1;
        question_version::ActiveModel {
            id: Set(Uuid::now_v7()),
            question_id: Set(id),
            version: Set(next),
            body: Set(body),
            created_by: Set(Some(me.id)),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
        next
    } else {
        question_version::Entity::update_many()
            .col_expr(question_version::Column::Body, Expr::value(body))
            .filter(question_version::Column::QuestionId.eq(id))
            .filter(question_version::Column::Version.eq(head.current_version))
            .exec(&txn)
            .await?;
        head.current_version
    };
    question::Entity::update_many()
        .col_expr(question::Column::CurrentVersion, Expr::value(version))
        .col_expr(question::Column::Name, Expr::value(display_name(&q)))
        .col_expr(question::Column::Kind, Expr::value(kind_of(&q)))
        .col_expr(question::Column::Points, Expr::value(q.points))
        .col_expr(
            question::Column::CompetencyCode,
            Expr::value(q.competency.clone()),
        )
        .col_expr(question::Column::UpdatedAt, Expr::value(now))
        .filter(question::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    crate::audit::Entry::new(me.id, AuditAction::QuestionEdit)
        .on("question", id)
        .before(json!({ "version": head.current_version }))
        .after(json!({ "version": version, "new_version": given }))
        .record(&txn)
        .await?;
    txn.commit().await?;
    Ok(Edited {
        version,
        new_version: given,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_question_gift_holds_is_edited_as_gift_and_reads_back_the_same() {
        let q = super::super::gift::parse("::养老::参保人员达到退休年龄{=男60岁 ~男55岁#错}")
            .questions
            .remove(0)
            .question;
        let (format, text) = source_of(&q);
        assert_eq!(format, QuestionFormat::Gift);
        assert_eq!(bare(&one_question(&text).expect("one question")), bare(&q));
    }

    #[test]
    fn what_gift_cannot_hold_is_edited_as_moodle_xml() {
        let q = super::super::gift::parse("写出办理流程{}")
            .questions
            .remove(0)
            .question;
        let q = Question {
            kind: super::super::question::Kind::Essay {
                rubric: "要点：受理、审核、办结".into(),
            },
            ..q
        };
        let (format, text) = source_of(&q);
        assert_eq!(format, QuestionFormat::MoodleXml);
        assert_eq!(bare(&one_question(&text).expect("one question")), bare(&q));
    }

    #[test]
    fn anything_but_one_readable_question_is_refused_with_where() {
        let two = "问题一{T}\n\n问题二{F}";
        match one_question(two) {
            Err(AppError::Validation(errors)) => {
                assert_eq!(errors[0].problem, Problem::OneQuestion { found: 2 });
            }
            other => panic!("{other:?}"),
        }
        match one_question("\n\n坏题{=a ~b") {
            Err(AppError::Validation(errors)) => {
                assert!(matches!(
                    errors[0].problem,
                    Problem::BadQuestion { line: 3, .. }
                ));
            }
            other => panic!("{other:?}"),
        }
    }
}
