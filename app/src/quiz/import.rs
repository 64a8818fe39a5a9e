//! Questions from a file into the bank: a preview that lists what will be
//! imported and what is skipped and why, then one import that claims the upload,
//! so confirming twice imports once.
//!
//! The upload keeps text: GIFT and Moodle XML as they came, a spreadsheet (CSV
//! or `.xlsx`) as CSV. Which of the three a file is is read from its content.

use std::collections::HashSet;

use chrono::Utc;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set,
    TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::question::Question;
use super::{ImportPreview, ImportQuestion, ImportSkip, QuestionFormat};
use crate::auth::guard::SessionUser;
use crate::common::{bulk, spreadsheet, uploads};
use crate::domain::{AuditAction, QuestionKind, UploadKind};
use crate::entities::{competency, course, question, question_version};
use crate::error::{AppError, Problem, QuestionProblem};

/// Which format `content` is in: XML starts with `<`, the sheet's first line
/// names its 题型 column, anything else is GIFT.
pub fn format_of(content: &str) -> QuestionFormat {
    let content = content.trim_start_matches('\u{feff}').trim_start();
    if content.starts_with('<') {
        QuestionFormat::MoodleXml
    } else if content.lines().next().is_some_and(|l| l.contains("题型")) {
        QuestionFormat::Sheet
    } else {
        QuestionFormat::Gift
    }
}

/// What a file gave: its format, and the questions read and skipped, or why the
/// whole file was refused.
pub struct Reading {
    pub format: QuestionFormat,
    pub questions: Vec<super::Read>,
    pub skipped: Vec<super::Skipped<QuestionProblem>>,
    pub refused: Option<String>,
}

fn reasons<P: Into<QuestionProblem>>(
    skipped: Vec<super::Skipped<P>>,
) -> Vec<super::Skipped<QuestionProblem>> {
    skipped
        .into_iter()
        .map(|s| super::Skipped {
            line: s.line,
            what: s.what,
            problem: s.problem.into(),
        })
        .collect()
}

/// Reads an upload's content in whichever format it is.
pub fn read(content: &str) -> Reading {
    let format = format_of(content);
    let mut reading = Reading {
        format,
        questions: Vec::new(),
        skipped: Vec::new(),
        refused: None,
    };
    match format {
        QuestionFormat::Gift => {
            let parsed = super::gift::parse(content);
            reading.questions = parsed.questions;
            reading.skipped = reasons(parsed.skipped);
        }
        QuestionFormat::MoodleXml => match super::moodle_xml::parse(content) {
            Ok(parsed) => {
                reading.questions = parsed.questions;
                reading.skipped = reasons(parsed.skipped);
            }
            Err(refused) => {
                reading.refused = Some(format!("line {}: {}", refused.line, refused.reason));
            }
        },
        QuestionFormat::Sheet => match sheet_rows(content) {
            Err(e) => reading.refused = Some(e),
            Ok(rows) => match super::sheet::parse(&rows) {
                Ok(parsed) => {
                    reading.questions = parsed.questions;
                    reading.skipped = reasons(parsed.skipped);
                }
                Err(missing) => {
                    reading.refused = Some(format!(
                        "the first row lacks the columns {}",
                        missing.0.join(", ")
                    ));
                }
            },
        },
    }
    reading
}

/// The cells of a CSV sheet, with the `'` an export put before formula-like
/// cells taken off.
fn sheet_rows(content: &str) -> Result<Vec<Vec<String>>, String> {
    let content = content.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(content.as_bytes());
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("row {}: {e}", i + 1))?;
        rows.push(
            record
                .iter()
                .map(|c| spreadsheet::restore(c).to_owned())
                .collect(),
        );
    }
    Ok(rows)
}

/// The first sheet of an `.xlsx` (or `.xls`, `.ods`) workbook as CSV text, which
/// is how the upload keeps it. `None` when it is not a workbook calamine reads.
pub fn workbook_as_csv(bytes: &[u8]) -> Option<String> {
    use calamine::Reader;
    let mut workbook = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).ok()?;
    let range = workbook.worksheet_range_at(0)?.ok()?;
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in range.rows() {
        let cells: Vec<String> = row.iter().map(ToString::to_string).collect();
        writer.write_record(&cells).ok()?;
    }
    String::from_utf8(writer.into_inner().ok()?).ok()
}

/// The name a question is listed under: its own, or its text's first words.
pub fn display_name(q: &Question) -> String {
    let name = q.name.trim();
    let source = if name.is_empty() { q.text.trim() } else { name };
    let flat: String = source.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = flat.chars().take(80).collect();
    if flat.chars().count() > 80 {
        out.push('…');
    }
    out
}

pub fn kind_of(q: &Question) -> QuestionKind {
    use super::question::Kind;
    match q.kind {
        Kind::Single { .. } => QuestionKind::Single,
        Kind::Multiple { .. } => QuestionKind::Multiple,
        Kind::TrueFalse { .. } => QuestionKind::TrueFalse,
        Kind::Numeric { .. } => QuestionKind::Numeric,
        Kind::Short { .. } => QuestionKind::Short,
        Kind::Matching { .. } => QuestionKind::Matching,
        Kind::Ordering { .. } => QuestionKind::Ordering,
        Kind::Essay { .. } => QuestionKind::Essay,
        Kind::Description => QuestionKind::Description,
    }
}

/// Competency codes any framework holds, upper-cased: a question tagged with
/// another code is imported, and the preview says the code is unknown.
async fn known_codes(db: &impl ConnectionTrait) -> Result<HashSet<String>, AppError> {
    Ok(competency::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.code.to_uppercase())
        .collect())
}

/// A course as the quiz pages name it: code and title.
pub fn course_label(c: &course::Model) -> String {
    format!("{} {}", c.code, c.title)
}

/// Courses a question can be filed under, by code and title.
pub async fn course_choices(db: &impl ConnectionTrait) -> Result<Vec<(Uuid, String)>, AppError> {
    use sea_orm::QueryOrder;
    Ok(course::Entity::find()
        .order_by_asc(course::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, course_label(&c)))
        .collect())
}

pub async fn preview(db: &impl ConnectionTrait, id: Uuid) -> Result<ImportPreview, AppError> {
    let up = uploads::find(db, UploadKind::Questions, id).await?;
    let imported = up.imported_at.is_some();
    // An imported file's content is gone; its preview only says it was imported.
    let reading = read(if imported { "" } else { &up.content });
    let known = known_codes(db).await?;
    Ok(ImportPreview {
        id,
        file_name: up.file_name,
        format: reading.format,
        imported,
        refused: reading.refused,
        questions: reading
            .questions
            .iter()
            .map(|r| ImportQuestion {
                line: r.line,
                kind: kind_of(&r.question),
                name: display_name(&r.question),
                category: r.question.category.clone().unwrap_or_default(),
                known_competency: r
                    .question
                    .competency
                    .as_ref()
                    .is_none_or(|c| known.contains(&c.to_uppercase())),
                competency: r.question.competency.clone(),
                points: r.question.points,
            })
            .collect(),
        skipped: reading
            .skipped
            .into_iter()
            .map(|s| ImportSkip {
                line: s.line,
                what: s.what,
                why: s.problem,
            })
            .collect(),
        courses: course_choices(db).await?,
    })
}

/// The rows one question becomes: the question and its first version.
pub fn rows_for(
    q: &Question,
    course_id: Option<Uuid>,
    created_by: Option<Uuid>,
) -> Result<(question::ActiveModel, question_version::ActiveModel), AppError> {
    let now = Utc::now();
    let id = Uuid::now_v7();
    let body = serde_json::to_string(q).map_err(AppError::internal)?;
    Ok((
        question::ActiveModel {
            id: Set(id),
            course_id: Set(course_id),
            category: Set(q
                .category
                .clone()
                .unwrap_or_default()
                .chars()
                .take(255)
                .collect()),
            competency_code: Set(q.competency.as_ref().map(|c| c.chars().take(40).collect())),
            level: Set(None),
            kind: Set(kind_of(q)),
            name: Set(display_name(q)),
            points: Set(q.points),
            current_version: Set(1),
            archived: Set(false),
            created_by: Set(created_by),
            created_at: Set(now),
            updated_at: Set(now),
        },
        question_version::ActiveModel {
            id: Set(Uuid::now_v7()),
            question_id: Set(id),
            version: Set(1),
            body: Set(body),
            created_by: Set(created_by),
            created_at: Set(now),
        },
    ))
}

/// Writes `questions` to the bank, all or none (call it inside a transaction).
pub async fn insert_questions(
    db: &impl ConnectionTrait,
    questions: &[Question],
    course_id: Option<Uuid>,
    created_by: Option<Uuid>,
) -> Result<u64, AppError> {
    let mut heads = Vec::with_capacity(questions.len());
    let mut versions = Vec::with_capacity(questions.len());
    for q in questions {
        let (head, version) = rows_for(q, course_id, created_by)?;
        heads.push(head);
        versions.push(version);
    }
    let written = bulk::insert_chunked(db, heads, 500).await?;
    bulk::insert_chunked(db, versions, 500).await?;
    Ok(written)
}

/// Imports the questions an upload holds (those the preview listed; skipped ones
/// stay out), filed under `course_id` or shared. Returns how many.
pub async fn import(
    db: &DatabaseConnection,
    me: &SessionUser,
    upload_id: Uuid,
    course_id: Option<Uuid>,
) -> Result<u64, AppError> {
    if let Some(id) = course_id
        && course::Entity::find()
            .filter(course::Column::Id.eq(id))
            .one(db)
            .await?
            .is_none()
    {
        return Err(AppError::field(
            "course",
            Problem::Unknown {
                value: id.to_string(),
            },
        ));
    }
    let txn = db.begin().await?;
    let up = uploads::claim(&txn, UploadKind::Questions, upload_id).await?;
    let reading = read(&up.content);
    if let Some(detail) = reading.refused {
        return Err(AppError::field("file", Problem::Malformed { detail }));
    }
    if reading.questions.is_empty() {
        return Err(AppError::field("file", Problem::Empty));
    }
    let questions: Vec<Question> = reading.questions.into_iter().map(|r| r.question).collect();
    let written = insert_questions(&txn, &questions, course_id, Some(me.id)).await?;
    crate::audit::Entry::new(me.id, AuditAction::QuestionImport)
        .on("upload", upload_id)
        .after(json!({
            "file": up.file_name,
            "format": reading.format.name(),
            "questions": written,
            "skipped": reading.skipped.len(),
            "course": course_id,
        }))
        .record(&txn)
        .await?;
    txn.commit().await?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_format_is_read_from_the_content() {
        assert_eq!(
            format_of("\u{feff}  <?xml version=\"1.0\"?><quiz/>"),
            QuestionFormat::MoodleXml
        );
        assert_eq!(format_of("题型,题干,答案\n单选,x,A"), QuestionFormat::Sheet);
        assert_eq!(format_of("// 养老\n::Q1:: 2+2 {=4}"), QuestionFormat::Gift);
        assert_eq!(format_of(""), QuestionFormat::Gift);
    }

    #[test]
    fn a_sheet_is_read_through_csv_with_quotes_and_restored_cells() {
        let csv = "题型,题干,选项A,选项B,答案,分值\n单选,\"最低档次，每年？\",100元,'-200元,B,2\n";
        let reading = read(csv);
        assert_eq!(reading.refused, None);
        assert_eq!(reading.skipped.len(), 0);
        let q = &reading.questions[0].question;
        assert_eq!(q.text, "最低档次，每年？");
        assert_eq!(q.points, 2.0);
        match &q.kind {
            super::super::question::Kind::Single { options } => {
                assert_eq!(options[1].text, "-200元");
                assert_eq!(options[1].weight, 100.0);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_sheet_without_its_headings_is_refused_and_bad_xml_too() {
        let reading = read("题型,问题\n单选,x\n");
        assert!(
            reading.refused.as_deref().unwrap_or("").contains("题干"),
            "{:?}",
            reading.refused
        );
        let reading = read("<quiz><question type=\"truefalse\"></quiz>");
        assert!(reading.refused.is_some());
    }

    #[test]
    fn names_are_the_question_name_or_its_first_words() {
        let mut q = super::super::gift::parse("::Q1:: 2+2 {=4}").questions[0]
            .question
            .clone();
        assert_eq!(display_name(&q), "Q1");
        q.name.clear();
        q.text = format!("a  b\nc {}", "字".repeat(100));
        let name = display_name(&q);
        assert!(name.starts_with("a b c 字"));
        assert_eq!(name.chars().count(), 81);
        assert!(name.ends_with('…'));
    }
}
