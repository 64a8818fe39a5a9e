//! Question files in and out as plain HTTP, so they work without JavaScript: the
//! upload that leads to the import preview, the bank's export as Moodle XML or
//! GIFT, and the spreadsheet template.

use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;

use super::{BankEditors, BankQuery};
use crate::common::uploads;
use crate::common::web::{Caller, csv_document, csv_response, download, error_response};
use crate::domain::UploadKind;
use crate::state::AppState;

/// Largest question file accepted: Moodle XML carries its images as base64.
pub const MAX_BYTES: usize = 8 * 1024 * 1024;

/// `POST /bank/upload`: keeps the file for a preview; nothing is imported yet.
/// A workbook is kept as the CSV of its first sheet.
pub async fn upload_questions(
    State(state): State<AppState>,
    caller: Caller<BankEditors>,
    mut multipart: Multipart,
) -> Response {
    let (name, bytes) = match uploads::read_bytes(&mut multipart, MAX_BYTES, "questions.txt").await
    {
        Ok(file) => file,
        Err(problem) => {
            return Redirect::to(&format!("/bank/import?error={problem}")).into_response();
        }
    };
    let workbook = [".xlsx", ".xlsm", ".xls", ".ods"]
        .iter()
        .any(|ext| name.to_lowercase().ends_with(ext));
    let text = if workbook {
        match super::import::workbook_as_csv(&bytes) {
            Some(csv) => csv,
            None => return Redirect::to("/bank/import?error=unreadable").into_response(),
        }
    } else {
        uploads::decode(&bytes)
    };
    match uploads::store(&state.db, &caller.me, UploadKind::Questions, &name, text).await {
        Ok(id) => Redirect::to(&format!("/bank/import/{id}")).into_response(),
        Err(e) => error_response(&e),
    }
}

/// Which format an export is written in.
#[derive(Clone, Copy)]
pub enum Export {
    MoodleXml,
    Gift,
}

async fn export(
    state: AppState,
    caller: Caller<BankEditors>,
    query: BankQuery,
    format: Export,
) -> Response {
    let questions = match super::bank::export(&state.db, &query).await {
        Ok(q) => q,
        Err(e) => return error_response(&e),
    };
    let file_name = super::bank::export_name(&query, extension(format));
    send(&state, &caller, questions, format, file_name).await
}

fn extension(format: Export) -> &'static str {
    match format {
        Export::MoodleXml => "xml",
        Export::Gift => "gift.txt",
    }
}

/// The questions as a download, after the audit log records who took them.
async fn send(
    state: &AppState,
    caller: &Caller<BankEditors>,
    questions: Vec<super::question::Question>,
    format: Export,
    file_name: String,
) -> Response {
    let (body, content_type, left_out) = match format {
        Export::MoodleXml => (
            super::moodle_xml::write(&questions),
            "application/xml; charset=utf-8",
            0,
        ),
        Export::Gift => {
            let (gift, left_out) = super::gift::write(&questions);
            (gift, "text/plain; charset=utf-8", left_out.len())
        }
    };
    download(
        &state.db,
        &caller.me,
        json!({
            "file": file_name,
            "rows": questions.len() - left_out,
            "left_out": left_out,
        }),
        content_type,
        format!(
            "attachment; filename=\"questions.{}\"; filename*=UTF-8''{}",
            extension(format),
            crate::components::urlencode(&file_name)
        ),
        body.into_bytes(),
    )
    .await
}

/// `GET /export/bank.xml?category=…`: the selected questions as Moodle XML.
pub async fn export_xml(
    State(state): State<AppState>,
    caller: Caller<BankEditors>,
    Query(query): Query<BankQuery>,
) -> Response {
    export(state, caller, query, Export::MoodleXml).await
}

/// `GET /export/bank.gift`: the selected questions as GIFT (ordering questions,
/// which GIFT cannot hold, are left out; the Moodle XML export keeps them).
pub async fn export_gift(
    State(state): State<AppState>,
    caller: Caller<BankEditors>,
    Query(query): Query<BankQuery>,
) -> Response {
    export(state, caller, query, Export::Gift).await
}

/// `GET /export/quizzes/{id}/{format}` (`xml` or `gift`): every question a
/// quiz's rules name (what it may draw from, not one person's draw), for the
/// course's editors.
pub async fn export_quiz(
    State(state): State<AppState>,
    caller: Caller<BankEditors>,
    Path((id, format)): Path<(uuid::Uuid, String)>,
) -> Response {
    let format = match format.as_str() {
        "xml" => Export::MoodleXml,
        "gift" => Export::Gift,
        _ => return error_response(&crate::error::AppError::NotFound),
    };
    let (title, questions) = match super::setup::questions_named(&state.db, &caller.me, id).await {
        Ok(found) => found,
        Err(e) => return error_response(&e),
    };
    let file_name = format!("{title}.{}", extension(format));
    send(&state, &caller, questions, format, file_name).await
}

/// `GET /export/quizzes/{id}/results.csv`: every learner's counted attempt,
/// for the course's editors.
pub async fn export_results(
    State(state): State<AppState>,
    caller: Caller<BankEditors>,
    Path(id): Path<uuid::Uuid>,
) -> Response {
    let body = async {
        let (_, _, rows) = super::results::all(&state.db, &state.settings, &caller.me, id).await?;
        let figure = |x: Option<f64>| x.map(|x| format!("{x:.2}")).unwrap_or_default();
        let lines = rows.iter().map(|r| {
            vec![
                r.employee_no.clone(),
                r.name.clone(),
                r.unit.clone(),
                r.attempts.to_string(),
                r.counted.map(|n| n.to_string()).unwrap_or_default(),
                figure(r.score),
                figure(r.max_score),
                figure(r.percent),
                match (r.counted, r.passed) {
                    (None, _) => "in progress",
                    (Some(_), None) => "waiting for a mark",
                    (Some(_), Some(true)) => "passed",
                    (Some(_), Some(false)) => "not passed",
                }
                .to_owned(),
                r.seconds.map(|s| s.to_string()).unwrap_or_default(),
                r.submitted.clone().unwrap_or_default(),
                (if r.by_deadline { "deadline" } else { "" }).to_owned(),
            ]
        });
        csv_document(
            &[
                "employee_no",
                "name",
                "unit",
                "attempts",
                "counted_attempt",
                "score",
                "max_score",
                "percent",
                "result",
                "seconds_taken",
                "submitted_at",
                "submitted_by",
            ],
            lines.collect::<Vec<_>>(),
        )
    }
    .await;
    csv_response(&state.db, &caller.me, "gapwise-quiz-results.csv", body).await
}

/// `GET /export/bank-template.csv`: the spreadsheet template with one example
/// row per type.
pub async fn template(State(state): State<AppState>, caller: Caller<BankEditors>) -> Response {
    let rows: Vec<Vec<&str>> = vec![
        vec![
            "单选",
            "城乡居民养老保险最低缴费档次为每年多少元？",
            "100元",
            "200元",
            "300元",
            "",
            "",
            "",
            "B",
            "以当地最新通知为准。",
            "1",
            "POL-01",
            "养老/政策",
        ],
        vec![
            "多选",
            "办理社保卡补办时，可以作为身份证明的有：",
            "居民身份证",
            "户口簿",
            "公交卡",
            "",
            "",
            "",
            "AB",
            "",
            "2",
            "POL-01",
            "养老/政策",
        ],
        vec![
            "判断",
            "窗口人员可以先受理、后补齐材料（容缺受理）。",
            "",
            "",
            "",
            "",
            "",
            "",
            "对",
            "",
            "1",
            "SVC-02",
            "服务/窗口",
        ],
        vec![
            "填空",
            "“社会保障卡”的简称是______。",
            "",
            "",
            "",
            "",
            "",
            "",
            "社保卡|社会保险卡",
            "",
            "1",
            "",
            "服务/窗口",
        ],
        vec![
            "数值",
            "职工养老保险累计缴费满多少年才能按月领取待遇？",
            "",
            "",
            "",
            "",
            "",
            "",
            "15",
            "",
            "1",
            "POL-01",
            "养老/政策",
        ],
        vec![
            "简答",
            "群众对办理时长不满时，你会如何回应？",
            "",
            "",
            "",
            "",
            "",
            "",
            "倾听、致歉、说明时限、给出办结时间",
            "",
            "5",
            "SVC-03",
            "服务/沟通",
        ],
    ];
    csv_response(
        &state.db,
        &caller.me,
        "question-template.csv",
        csv_document(&super::sheet::HEADINGS, rows),
    )
    .await
}
