//! Bulk writes (`app::common::bulk`): what goes in comes back unchanged on both
//! backends, however awkward the text, with NULLs and in several statements.

use app::common::bulk::insert_chunked;
use app::domain::ProposalStatus;
use app::entities::{course, person, proposal};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, EntityTrait, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::common::TestApp;

/// Text that an array literal, a CSV line or a JSON string would each misread.
const AWKWARD: &[&str] = &[
    r#"他说"好",C:\temp\new {x}"#,
    "NULL",
    "",
    " leading and trailing ",
    "line one\nline two\ttabbed",
    r#"{"lines":[{"code":"IT","current":2.3}]}"#,
    "\\",
    "\"",
    "😀 emoji, 全角，逗号",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_inserts_return_exactly_what_was_written() {
    let app = TestApp::spawn().await;
    let db = &app.state.db;
    proposal::Entity::delete_many().exec(db).await.unwrap();
    let people: Vec<Uuid> = person::Entity::find()
        .select_only()
        .column(person::Column::Id)
        .order_by_asc(person::Column::Id)
        .limit(4)
        .into_tuple()
        .all(db)
        .await
        .unwrap();
    let courses: Vec<Uuid> = course::Entity::find()
        .select_only()
        .column(course::Column::Id)
        .order_by_asc(course::Column::Id)
        .into_tuple()
        .all(db)
        .await
        .unwrap();
    assert!(
        people.len() == 4 && courses.len() >= 10,
        "the demo has people and courses"
    );
    // Whole microseconds: what both backends keep.
    let at = |micros: i64| {
        DateTime::<Utc>::from_timestamp_micros(1_790_000_000_123_456 + micros).unwrap()
    };
    let mut written = Vec::new();
    for (i, (p, c)) in people
        .iter()
        .flat_map(|p| courses.iter().map(move |c| (*p, *c)))
        .enumerate()
    {
        let n = i64::try_from(i).unwrap();
        written.push(proposal::Model {
            id: Uuid::new_v4(),
            person_id: p,
            course_id: c,
            rank: i32::try_from(i).unwrap() - 3,
            closes: 0.1 + 0.2 * f64::from(u32::try_from(i).unwrap()),
            per_hour: -1.0 / 3.0,
            reason: AWKWARD[i % AWKWARD.len()].to_owned(),
            status: ProposalStatus::Proposed,
            due_at: (i % 2 == 0).then(|| at(n)),
            decided_by: (i % 3 == 0).then_some(people[0]),
            decided_at: None,
            note: (i % 4 == 1).then(|| AWKWARD[(i + 1) % AWKWARD.len()].to_owned()),
            generated_at: at(-n),
        });
    }
    // Every column Set, as the services write them.
    let rows = written
        .iter()
        .map(|m| proposal::ActiveModel::from(m.clone()).reset_all())
        .collect();
    // Seven rows a statement where VALUES lists are used (SQLite).
    let count = insert_chunked(db, rows, 7).await.unwrap();
    assert_eq!(count, u64::try_from(written.len()).unwrap());
    let mut read = proposal::Entity::find().all(db).await.unwrap();
    read.sort_by_key(|m| m.id);
    written.sort_by_key(|m| m.id);
    assert_eq!(read, written);

    // A batch the database refuses (an id already taken) fails with an error, not a
    // panic, and writes nothing.
    let again = vec![
        proposal::ActiveModel::from(written[1].clone()),
        proposal::ActiveModel::from(written[0].clone()),
    ];
    assert!(insert_chunked(db, again, 7).await.is_err());
    assert_eq!(
        proposal::Entity::find().all(db).await.unwrap().len(),
        written.len()
    );
    app.stop().await;
}
