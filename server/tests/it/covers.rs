//! Course cover images: only pictures, within the limit, set by the course's
//! editors; a refused upload keeps nothing; served only to those who may see the
//! course; replaced and removed files leave the disk.

use crate::common::TestApp;
use crate::flows::{course_of, location};
use app::entities::{course, course_owner, person};
use reqwest::{Client, Response};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

const PNG_MAGIC: &[u8] = b"\x89PNG\r\n\x1a\n";

async fn upload(
    app: &TestApp,
    client: &Client,
    course: Uuid,
    name: &str,
    bytes: Vec<u8>,
) -> Response {
    app.upload(client, &format!("/courses/{course}/cover"), name, bytes)
        .await
}

async fn reload(app: &TestApp, id: Uuid) -> course::Model {
    course::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
}

/// The employee number of one of the course's owners.
async fn owner_of(app: &TestApp, course: Uuid) -> String {
    let o = course_owner::Entity::find()
        .filter(course_owner::Column::CourseId.eq(course))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    person::Entity::find_by_id(o.person_id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .employee_no
}

/// A trainer who owns none of the course.
async fn other_trainer(app: &TestApp, owner: &str) -> String {
    let t = if owner == "T0001" {
        person::Entity::find()
            .filter(person::Column::Name.starts_with("Emma Liu"))
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap()
            .employee_no
    } else {
        "T0001".to_owned()
    };
    assert_ne!(t, owner);
    t
}

fn png(size: usize) -> Vec<u8> {
    let mut b = PNG_MAGIC.to_vec();
    b.resize(size, 0);
    b
}

fn covers_on_disk(app: &TestApp) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(app.state.settings.data_dir.join("covers"))
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn covers_are_pictures_set_by_editors_and_shown_to_those_who_may_see() {
    let app = TestApp::spawn().await;
    let staff = app.signed_in("S0001").await;

    // The demo's covers are served: a picture, never sniffed, in the catalogue.
    let shown = course_of(&app, "SI-SYS-101").await;
    assert!(shown.cover.is_some(), "the demo gives it a cover");
    let res = app
        .get(&staff, &format!("/courses/{}/cover", shown.id))
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/png");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert!(res.bytes().await.unwrap().starts_with(PNG_MAGIC));
    let catalogue = app.get(&staff, "/courses").await.text().await.unwrap();
    assert!(catalogue.contains(&format!("/courses/{}/cover", shown.id)));

    let c = course_of(&app, "SEC-DATA-01").await;
    assert!(c.cover.is_none());
    let owner = owner_of(&app, c.id).await;
    let editor = app.signed_in(&owner).await;
    let demo_covers = covers_on_disk(&app);
    let none = app.get(&staff, &format!("/courses/{}/cover", c.id)).await;
    assert_eq!(none.status(), 404, "no cover yet");

    // Refused: not a picture, a picture in name only, too large, nothing.
    for (name, bytes, why) in [
        ("封面.pdf", b"%PDF-1.4 x".to_vec(), "wrong_type"),
        ("封面.png", b"%PDF-1.4 not a png".to_vec(), "wrong_type"),
        (
            "封面.mp4",
            b"\x00\x00\x00\x20ftypisom".to_vec(),
            "wrong_type",
        ),
        ("大图.png", png(2 * 1024 * 1024 + 1), "too_large"),
        ("empty.png", Vec::new(), "no_file"),
    ] {
        let res = upload(&app, &editor, c.id, name, bytes).await;
        assert!(res.status().is_redirection(), "{name}: {}", res.status());
        let at = location(res).await;
        assert!(at.ends_with(&format!("?cover_error={why}")), "{name}: {at}");
        assert!(reload(&app, c.id).await.cover.is_none(), "{name}");
    }
    assert_eq!(covers_on_disk(&app), demo_covers, "nothing kept");
    let page = app
        .get(
            &editor,
            &format!("/courses/{}/edit?cover_error=wrong_type", c.id),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("must be a PNG or JPEG"),
        "the reason is shown"
    );

    // Staff and trainers who do not own the course cannot set it.
    assert_eq!(
        upload(&app, &staff, c.id, "a.png", png(100)).await.status(),
        403
    );
    let stranger = app.signed_in(&other_trainer(&app, &owner).await).await;
    assert_eq!(
        upload(&app, &stranger, c.id, "a.png", png(100))
            .await
            .status(),
        403
    );

    // Accepted: kept on disk, shown on the course page and served to staff.
    let res = upload(&app, &editor, c.id, "数据安全.png", png(5000)).await;
    let at = location(res).await;
    assert!(at.ends_with("?cover=1"), "{at}");
    let first = reload(&app, c.id).await.cover.expect("cover set");
    assert!(covers_on_disk(&app).contains(&first));
    let url = format!("/courses/{}/cover", c.id);
    let res = app.get(&staff, &url).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.bytes().await.unwrap().len(), 5000);
    let course_page = app
        .get(&staff, &format!("/courses/{}", c.id))
        .await
        .text()
        .await
        .unwrap();
    assert!(course_page.contains("course-cover"));

    // Replaced by a JPEG: the old file goes.
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0];
    jpeg.resize(3000, 0);
    let res = upload(&app, &editor, c.id, "新封面.jpg", jpeg).await;
    assert!(location(res).await.ends_with("?cover=1"));
    let second = reload(&app, c.id).await.cover.expect("cover replaced");
    assert_ne!(first, second);
    let on_disk = covers_on_disk(&app);
    assert!(!on_disk.contains(&first) && on_disk.contains(&second));
    assert_eq!(
        app.get(&staff, &url).await.headers()["content-type"],
        "image/jpeg"
    );

    // A draft course's cover is not there for staff.
    let draft = course_of(&app, "IT-OFF-01").await;
    let draft_editor = app.signed_in(&owner_of(&app, draft.id).await).await;
    let res = upload(&app, &draft_editor, draft.id, "草稿.png", png(200)).await;
    assert!(location(res).await.ends_with("?cover=1"));
    let draft_url = format!("/courses/{}/cover", draft.id);
    assert_eq!(app.get(&staff, &draft_url).await.status(), 404);
    assert_eq!(app.get(&draft_editor, &draft_url).await.status(), 200);

    // Removing asks for confirmation, then the course has none and the file goes.
    let id = c.id.to_string();
    let res = app
        .call(&editor, "courses/cover/remove", &[("id", &id)])
        .await;
    assert_eq!(res.status(), 422, "needs confirming");
    assert!(reload(&app, c.id).await.cover.is_some());
    let res = app
        .call(
            &editor,
            "courses/cover/remove",
            &[("id", &id), ("confirm", "yes")],
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    assert!(reload(&app, c.id).await.cover.is_none());
    assert!(!covers_on_disk(&app).contains(&second));
    assert_eq!(app.get(&staff, &url).await.status(), 404);
    app.stop().await;
}
