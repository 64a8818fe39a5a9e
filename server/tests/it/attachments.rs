//! Lesson attachments: limits and type checks that keep nothing when they refuse,
//! files on disk, served with the right headers and range requests, only to those
//! who may see the course.

use crate::common::TestApp;
use crate::flows::location;
use app::entities::{attachment, course, course_owner, lesson};
use reqwest::{Client, Response};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

async fn upload(
    app: &TestApp,
    client: &Client,
    lesson: Uuid,
    name: &str,
    bytes: Vec<u8>,
) -> Response {
    app.upload(
        client,
        &format!("/lessons/{lesson}/attachments"),
        name,
        bytes,
    )
    .await
}

/// A live lesson of the course with `code`.
async fn lesson_of(app: &TestApp, code: &str) -> lesson::Model {
    let c = course::Entity::find()
        .filter(course::Column::Code.eq(code))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    lesson::Entity::find()
        .filter(lesson::Column::CourseId.eq(c.id))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
}

/// Who owns the course of `l` (to upload as them).
async fn owner_of(app: &TestApp, l: &lesson::Model) -> String {
    let o = course_owner::Entity::find()
        .filter(course_owner::Column::CourseId.eq(l.course_id))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    app::entities::person::Entity::find_by_id(o.person_id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .employee_no
}

fn pdf(size: usize) -> Vec<u8> {
    let mut b = b"%PDF-1.4\n".to_vec();
    b.resize(size, b'x');
    b
}

fn files_in(app: &TestApp) -> Vec<String> {
    std::fs::read_dir(app.state.settings.data_dir.join("attachments"))
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attachments_are_checked_kept_and_served_to_those_who_may_see() {
    let app = TestApp::spawn_with(|c| c.attachment_max_mb = 1).await;
    let l = lesson_of(&app, "SVC-ETQ-01").await;
    let demo_files = files_in(&app);
    let editor = app.signed_in(&owner_of(&app, &l).await).await;
    let before = attachment::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap();

    // Refused: too large, a type not allowed, a file that is not what it says, none.
    for (name, bytes, why) in [
        ("大文件.pdf", pdf(1024 * 1024 + 10), "too_large"),
        ("setup.exe", b"MZ\x90\x00rest".to_vec(), "wrong_type"),
        ("政策.pdf", b"MZ\x90\x00 not a pdf".to_vec(), "wrong_type"),
        (
            "page.html",
            b"<script>alert(1)</script>".to_vec(),
            "wrong_type",
        ),
        ("empty.pdf", Vec::new(), "no_file"),
    ] {
        let res = upload(&app, &editor, l.id, name, bytes).await;
        assert!(res.status().is_redirection(), "{name}: {}", res.status());
        let at = location(res).await;
        assert!(at.ends_with(&format!("?file_error={why}")), "{name}: {at}");
    }
    assert_eq!(
        attachment::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        before
    );
    assert_eq!(files_in(&app), demo_files, "nothing kept");
    // The editor reads why on the page.
    let page = app
        .get(
            &editor,
            &format!(
                "/courses/{}/lessons/{}/edit?file_error=too_large",
                l.course_id, l.id
            ),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("larger than allowed"), "message shown");

    // Accepted: kept on disk, listed on the lesson.
    let body = pdf(2000);
    let res = upload(&app, &editor, l.id, "养老保险待遇测算表.pdf", body.clone()).await;
    let at = location(res).await;
    assert!(at.ends_with("?attached=1"), "{at}");
    let a = attachment::Entity::find()
        .filter(attachment::Column::LessonId.eq(l.id))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(a.size, 2000);
    assert_eq!(a.content_type, "application/pdf");
    let mut expected = demo_files.clone();
    expected.push(a.stored_name.clone());
    let mut kept = files_in(&app);
    kept.sort();
    expected.sort();
    assert_eq!(kept, expected);

    // Served whole, with its type, name and nosniff; and by ranges.
    let staff = app.signed_in("S0001").await;
    let url = format!("/attachments/{}", a.id);
    let res = app.get(&staff, &url).await;
    assert_eq!(res.status(), 200);
    let h = res.headers().clone();
    assert_eq!(h["content-type"], "application/pdf");
    assert_eq!(h["x-content-type-options"], "nosniff");
    let disposition = h["content-disposition"].to_str().unwrap();
    assert!(
        disposition.starts_with("inline; filename*=UTF-8''"),
        "{disposition}"
    );
    assert!(
        disposition.contains("%E5%85%BB"),
        "the name, encoded: {disposition}"
    );
    assert_eq!(res.bytes().await.unwrap().to_vec(), body);
    let part = staff
        .get(format!("{}{url}", app.origin()))
        .header("Range", "bytes=0-9")
        .send()
        .await
        .unwrap();
    assert_eq!(part.status(), 206);
    assert_eq!(part.headers()["content-range"], "bytes 0-9/2000");
    assert_eq!(part.bytes().await.unwrap().to_vec(), body[..10].to_vec());

    // Staff cannot attach; a visitor is sent to sign in.
    let res = upload(&app, &staff, l.id, "x.pdf", pdf(100)).await;
    assert_eq!(res.status(), 403);
    let visitor = app.client();
    assert!(app.get(&visitor, &url).await.status().is_redirection());

    // A draft course's files are not there for staff.
    let draft = lesson_of(&app, "IT-OFF-01").await;
    let draft_editor = app.signed_in(&owner_of(&app, &draft).await).await;
    let res = upload(&app, &draft_editor, draft.id, "草稿.pdf", pdf(300)).await;
    assert!(location(res).await.ends_with("?attached=1"));
    let hidden = attachment::Entity::find()
        .filter(attachment::Column::LessonId.eq(draft.id))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let hidden_url = format!("/attachments/{}", hidden.id);
    assert_eq!(app.get(&staff, &hidden_url).await.status(), 404);
    assert_eq!(app.get(&draft_editor, &hidden_url).await.status(), 200);

    // Removing (confirmed) takes the file away; the row stays for the record.
    let id = a.id.to_string();
    let res = app
        .call(&editor, "courses/attachment/remove", &[("id", id.as_str())])
        .await;
    assert_eq!(res.status(), 422, "needs confirming");
    let res = app
        .call(
            &editor,
            "courses/attachment/remove",
            &[("id", id.as_str()), ("confirm", "yes")],
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    assert_eq!(app.get(&staff, &url).await.status(), 404);
    assert!(!files_in(&app).contains(&a.stored_name));
    assert!(
        attachment::Entity::find_by_id(a.id)
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap()
            .removed_at
            .is_some()
    );
    app.stop().await;
}
