//! The question bank over HTTP: importing GIFT, Moodle XML and spreadsheets (CSV
//! in UTF-8 or GBK, `.xlsx`) through a preview, once; exports that import back
//! to the same questions; archiving; and who may do any of it.

use app::domain::AuditAction;
use app::entities::{audit_log, course, question, question_version, upload};
use reqwest::Client;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;
use uuid::Uuid;

use crate::common::TestApp;
use crate::flows::*;

async fn upload_questions(app: &TestApp, client: &Client, name: &str, bytes: Vec<u8>) -> String {
    let res = app.upload(client, "/bank/upload", name, bytes).await;
    let to = location(res).await;
    id_in(&to, "/bank/import/").to_string()
}

async fn preview(app: &TestApp, client: &Client, id: &str) -> Value {
    json(app.call(client, "bank/import/preview", &[("id", id)]).await).await
}

async fn counts(app: &TestApp) -> (u64, u64) {
    let db = &app.state.db;
    (
        question::Entity::find().count(db).await.unwrap(),
        question_version::Entity::find().count(db).await.unwrap(),
    )
}

async fn course_id(app: &TestApp, code: &str) -> Uuid {
    course::Entity::find()
        .filter(course::Column::Code.eq(code))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

const GIFT: &str = "// 测试题
$CATEGORY: 测试/导入

::Q1:: 职工养老保险最低缴费年限是多少年？ {#15:0}

::Q2:: 下列哪项属于一次性告知的要求？ {
  =一次讲清所需材料#对
  ~让群众多跑几次#不对
}

::坏题一:: 没有闭合的题 { =对

::坏题二:: 权重不对 { ~%150%甲 =乙 }

::Q3:: 首问负责制适用于所有窗口。 {T}
";

/// A GIFT file: the preview lists what will come in and what is skipped (with
/// its line and why) and writes nothing; confirming imports once, under the
/// course chosen; a second confirm is refused and writes nothing more.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_question_file_is_previewed_then_imported_once() {
    let app = TestApp::spawn().await;
    let trainer = app.signed_in("T0001").await;
    let before = counts(&app).await;
    let id = upload_questions(&app, &trainer, "题库.gift", GIFT.as_bytes().to_vec()).await;
    let p = preview(&app, &trainer, &id).await;
    assert_eq!(p["format"], "Gift");
    assert_eq!(p["imported"], false);
    let names: Vec<&str> = p["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Q1", "Q2", "Q3"], "{p}");
    assert_eq!(p["questions"][0]["kind"], "numeric");
    assert_eq!(p["questions"][2]["kind"], "truefalse");
    assert_eq!(p["questions"][0]["category"], "测试/导入");
    let skipped = p["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 2, "{p}");
    assert_eq!(skipped[0]["line"], 11);
    assert_eq!(skipped[0]["why"]["code"], "unclosed", "{p}");
    assert_eq!(skipped[1]["line"], 13);
    assert_eq!(skipped[1]["why"]["code"], "bad_weight", "{p}");
    assert_eq!(skipped[1]["why"]["weight"], "150", "{p}");
    assert_eq!(counts(&app).await, before, "a preview writes nothing");

    let pension = course_id(&app, "POL-PEN-2026").await;
    let to = location(
        app.call(
            &trainer,
            "bank/import",
            &[("id", &id), ("course", &pension.to_string())],
        )
        .await,
    )
    .await;
    assert_eq!(to, "/bank?imported=3");
    assert_eq!(counts(&app).await, (before.0 + 3, before.1 + 3));
    let filed = question::Entity::find()
        .filter(question::Column::Category.eq("测试/导入"))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(filed.len(), 3);
    assert!(filed.iter().all(|q| q.course_id == Some(pension)));
    assert!(filed.iter().all(|q| q.current_version == 1));

    let body = refused(
        app.call(&trainer, "bank/import", &[("id", &id), ("course", "")])
            .await,
        409,
    )
    .await;
    assert!(body.contains("题库.gift"), "{body}");
    assert_eq!(counts(&app).await, (before.0 + 3, before.1 + 3));
    assert_eq!(preview(&app, &trainer, &id).await["imported"], true);
    let audited = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(AuditAction::QuestionImport))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(audited.len(), 1);
    assert!(
        audited[0]
            .after
            .as_deref()
            .unwrap_or("")
            .contains("\"questions\":3"),
        "{:?}",
        audited[0].after
    );
    // The list finds them by category, and they are filed under the course.
    let listed = json(
        app.call(
            &trainer,
            "bank",
            &[
                ("query[category]", "测试"),
                ("query[course]", &pension.to_string()),
                ("query[page]", "1"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(listed["total"], 3, "{listed}");
    assert_eq!(listed["rows"][0]["course"], "POL-PEN-2026");
    app.stop().await;
}

/// The spreadsheet template, as CSV in GBK and as `.xlsx`: competency codes come
/// with each question, an unknown one is pointed out, a bad row is skipped.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spreadsheets_in_gbk_and_xlsx_are_read() {
    let app = TestApp::spawn().await;
    let trainer = app.signed_in("T0001").await;
    let csv = "题型,题干,选项A,选项B,选项C,答案,分值,能力代码,分类\n\
        单选,参保人员死亡后，个人账户余额可以依法继承吗？,可以,不可以,,A,1,POLICY,养老/政策\n\
        多选,办理社保卡挂失的渠道有,窗口,电话,网上,ABC,2,NO_SUCH_CODE,服务/窗口\n\
        判断,窗口可以拒绝解释政策。,,,,也许,1,ATTITUDE,服务/礼仪\n";
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(csv);
    assert!(!unmappable);
    let id = upload_questions(&app, &trainer, "题库.csv", gbk.into_owned()).await;
    let p = preview(&app, &trainer, &id).await;
    assert_eq!(p["format"], "Sheet");
    let questions = p["questions"].as_array().unwrap();
    assert_eq!(questions.len(), 2, "{p}");
    assert_eq!(questions[0]["competency"], "POLICY");
    assert_eq!(questions[0]["known_competency"], true);
    assert_eq!(questions[1]["competency"], "NO_SUCH_CODE");
    assert_eq!(questions[1]["known_competency"], false);
    assert_eq!(questions[1]["points"], 2.0);
    assert_eq!(p["skipped"][0]["line"], 4);
    assert_eq!(p["skipped"][0]["why"]["answer"], "也许", "{p}");

    let xlsx = include_bytes!("fixtures/questions.xlsx").to_vec();
    let id = upload_questions(&app, &trainer, "题库.xlsx", xlsx).await;
    let p = preview(&app, &trainer, &id).await;
    assert_eq!(p["format"], "Sheet");
    let questions = p["questions"].as_array().unwrap();
    assert_eq!(questions.len(), 3, "{p}");
    assert_eq!(questions[0]["kind"], "single");
    assert_eq!(questions[1]["kind"], "truefalse");
    assert_eq!(questions[2]["kind"], "numeric");
    assert_eq!(
        questions[2]["points"], 2.0,
        "a number cell reads as its value"
    );
    assert_eq!(p["skipped"][0]["line"], 5, "{p}");
    let before = counts(&app).await;
    location(
        app.call(&trainer, "bank/import", &[("id", &id), ("course", "")])
            .await,
    )
    .await;
    assert_eq!(counts(&app).await.0, before.0 + 3);
    app.stop().await;
}

/// Files that cannot be read are refused with a reason and write nothing; an
/// upload that is not a workbook, too large or missing goes back to the form
/// with why; only trainers and admins reach the bank.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_files_are_refused_clearly_and_the_bank_is_for_trainers() {
    let app = TestApp::spawn().await;
    let trainer = app.signed_in("T0001").await;
    let before = counts(&app).await;

    let id = upload_questions(
        &app,
        &trainer,
        "broken.xml",
        b"<?xml version=\"1.0\"?>\n<quiz>\n<question type=\"truefalse\">\n</quiz>\n".to_vec(),
    )
    .await;
    let p = preview(&app, &trainer, &id).await;
    assert_eq!(p["format"], "MoodleXml");
    assert!(
        p["refused"].as_str().unwrap_or("").starts_with("line 4"),
        "{p}"
    );
    refused(app.call(&trainer, "bank/import", &[("id", &id)]).await, 422).await;
    let stored = upload::Entity::find_by_id(Uuid::parse_str(&id).unwrap())
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.imported_at, None, "a refused import claims nothing");

    let id = upload_questions(&app, &trainer, "empty.gift", b"// nothing here\n".to_vec()).await;
    refused(app.call(&trainer, "bank/import", &[("id", &id)]).await, 422).await;
    let id = upload_questions(&app, &trainer, "q.gift", GIFT.as_bytes().to_vec()).await;
    refused(
        app.call(
            &trainer,
            "bank/import",
            &[("id", &id), ("course", "not-an-id")],
        )
        .await,
        422,
    )
    .await;
    assert_eq!(counts(&app).await, before);

    let res = app
        .upload(
            &trainer,
            "/bank/upload",
            "q.xlsx",
            b"not a workbook".to_vec(),
        )
        .await;
    assert_eq!(location(res).await, "/bank/import?error=unreadable");
    let res = app
        .upload(
            &trainer,
            "/bank/upload",
            "big.xml",
            vec![b' '; app::quiz::transfer::MAX_BYTES + 1],
        )
        .await;
    assert_eq!(location(res).await, "/bank/import?error=too_large");

    let staff = app.signed_in("S0001").await;
    let res = app
        .upload(&staff, "/bank/upload", "q.gift", GIFT.as_bytes().to_vec())
        .await;
    assert_eq!(res.status(), 403);
    refused(app.call(&staff, "bank", &[("query[page]", "1")]).await, 403).await;
    let any = question::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    refused(
        app.call(&staff, "bank/question", &[("id", &any.id.to_string())])
            .await,
        403,
    )
    .await;
    for path in [
        "/export/bank.xml",
        "/export/bank.gift",
        "/export/bank-template.csv",
    ] {
        let res = download(&app, &staff, path).await;
        assert_eq!(res.status(), 403, "{path}");
    }
    assert_eq!(counts(&app).await, before);
    app.stop().await;
}

/// A category exported as Moodle XML and as GIFT, imported again, gives the same
/// questions: the export of the copies equals the export of the originals.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exports_import_back_to_the_same_questions() {
    let app = TestApp::spawn().await;
    let trainer = app.signed_in("T0001").await;
    let pension = course_id(&app, "POL-PEN-2026").await.to_string();
    let export = |format: &'static str, course: String| {
        let (app, trainer) = (&app, &trainer);
        async move {
            let res = download(
                app,
                trainer,
                &format!("/export/bank.{format}?category=养老/政策&course={course}"),
            )
            .await;
            assert_eq!(res.status(), 200);
            let disposition = res.headers()["content-disposition"].to_str().unwrap();
            assert!(disposition.starts_with("attachment;"), "{disposition}");
            res.text().await.unwrap()
        }
    };
    let original = export("xml", pension.clone()).await;
    let n = original.matches("<question type=\"").count()
        - original.matches("type=\"category\"").count();
    assert!(n >= 5, "the demo files several questions here: {original}");
    let id = upload_questions(&app, &trainer, "pension.xml", original.clone().into_bytes()).await;
    let p = preview(&app, &trainer, &id).await;
    assert_eq!(p["questions"].as_array().unwrap().len(), n, "{p}");
    assert_eq!(p["skipped"].as_array().unwrap().len(), 0, "{p}");
    location(
        app.call(&trainer, "bank/import", &[("id", &id), ("course", "")])
            .await,
    )
    .await;
    let copies = export("xml", "shared".into()).await;
    assert_eq!(copies, original);

    // GIFT has no place for competencies, points or an essay's rubric; the text
    // and the answers return.
    let comparable = |q: app::quiz::question::Question| {
        use app::quiz::question::Kind;
        let kind = match q.kind {
            Kind::Essay { .. } => Kind::Essay {
                rubric: String::new(),
            },
            other => other,
        };
        (q.text, kind)
    };
    let gift = export("gift", pension.clone()).await;
    let id = upload_questions(&app, &trainer, "pension.gift", gift.clone().into_bytes()).await;
    let p = preview(&app, &trainer, &id).await;
    assert_eq!(p["skipped"].as_array().unwrap().len(), 0, "{p}");
    assert_eq!(p["questions"].as_array().unwrap().len(), n, "{p}");
    let texts_of = |xml: &str| {
        app::quiz::moodle_xml::parse(xml)
            .unwrap()
            .questions
            .into_iter()
            .map(|r| comparable(r.question))
            .collect::<Vec<_>>()
    };
    let from_gift = app::quiz::gift::parse(&gift)
        .questions
        .into_iter()
        .map(|r| comparable(r.question))
        .collect::<Vec<_>>();
    assert_eq!(from_gift, texts_of(&original));
    app.stop().await;
}

/// Archived questions leave the list and come back when restored; both are
/// audited.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn archiving_takes_a_question_out_of_the_list() {
    let app = TestApp::spawn().await;
    let trainer = app.signed_in("T0001").await;
    let listed = |archived: &'static str| {
        let (app, trainer) = (&app, &trainer);
        async move {
            json(
                app.call(
                    trainer,
                    "bank",
                    &[("query[archived]", archived), ("query[page]", "1")],
                )
                .await,
            )
            .await["total"]
                .as_u64()
                .unwrap()
        }
    };
    let live = listed("false").await;
    assert_eq!(live, 89, "the demo bank");
    assert_eq!(listed("true").await, 0);
    let first =
        json(app.call(&trainer, "bank", &[("query[page]", "1")]).await).await["rows"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
    let detail = json(app.call(&trainer, "bank/question", &[("id", &first)]).await).await;
    assert!(detail["text_html"].as_str().unwrap().len() > 5, "{detail}");
    assert_eq!(detail["archived"], false);
    location(
        app.call(
            &trainer,
            "bank/archive",
            &[("id", &first), ("archived", "true")],
        )
        .await,
    )
    .await;
    assert_eq!(listed("false").await, live - 1);
    assert_eq!(listed("true").await, 1);
    location(
        app.call(
            &trainer,
            "bank/archive",
            &[("id", &first), ("archived", "false")],
        )
        .await,
    )
    .await;
    assert_eq!(listed("false").await, live);
    refused(
        app.call(
            &trainer,
            "bank/archive",
            &[("id", &Uuid::new_v4().to_string()), ("archived", "true")],
        )
        .await,
        404,
    )
    .await;
    for action in [AuditAction::QuestionArchive, AuditAction::QuestionRestore] {
        let n = audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq(action))
            .count(&app.state.db)
            .await
            .unwrap();
        assert_eq!(n, 1, "{action}");
    }
    app.stop().await;
}
