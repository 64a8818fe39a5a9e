//! Timing the assignment engine over the synthetic office of `bench-data`: 200
//! published courses (added once, each raising one to three of the survey's
//! competencies), then regenerating every proposal, and the whole of what closing
//! the survey does (recompute its gap results, then regenerate). Each timed run is
//! rolled back, so every run starts from the same data.

use std::time::Instant;

use chrono::Utc;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};

use app::domain::{CampaignState, CourseMode};
use app::entities::{campaign, competency, competency_result, course, course_competency};
use app::state::AppState;

use crate::Error;
use crate::bench::{Timing, report};
use crate::synth::{Synth, insert_chunked, published_course};

const COURSES: usize = 200;

async fn add_courses(db: &impl ConnectionTrait, framework: uuid::Uuid) -> Result<usize, Error> {
    let existing = course::Entity::find()
        .filter(course::Column::Code.starts_with("BENCH-"))
        .count(db)
        .await?;
    if existing > 0 {
        return Ok(existing as usize);
    }
    let codes: Vec<String> = competency::Entity::find()
        .filter(competency::Column::FrameworkId.eq(framework))
        .all(db)
        .await?
        .into_iter()
        .map(|k| k.code)
        .collect();
    let mut synth = Synth::new(200);
    let now = Utc::now();
    let (mut courses, mut raises) = (Vec::new(), Vec::new());
    for i in 0..COURSES {
        let id = synth.uuid();
        courses.push(published_course(
            id,
            format!("BENCH-{i:03}"),
            format!("基准课程 {i}"),
            "",
            synth.int(1, 16) as f64,
            if i % 3 == 0 {
                CourseMode::Online
            } else {
                CourseMode::Classroom
            },
            now,
        ));
        let mut taken: Vec<&String> = Vec::new();
        for _ in 0..synth.int(1, 3) {
            if let Some(code) = synth.pick(&codes)
                && !taken.contains(&code)
            {
                taken.push(code);
                raises.push(course_competency::ActiveModel {
                    id: Set(synth.uuid()),
                    course_id: Set(id),
                    code: Set(code.clone()),
                    level: Set(synth.int(3, 5) as i32),
                });
            }
        }
    }
    insert_chunked(db, courses, 1_000).await?;
    insert_chunked(db, raises, 1_000).await?;
    Ok(COURSES)
}

/// On Postgres, vacuums the tables a run rewrites. A rolled-back run leaves its
/// rows behind as dead index entries under the same keys, which the next run's
/// inserts must step over (each run was slower than the one before: 16.6, 19.0,
/// 20.9 s); a real close finds the tables as autovacuum left them after the last.
async fn settle(state: &AppState) -> Result<(), Error> {
    if state.db.get_database_backend() == sea_orm::DbBackend::Postgres {
        state
            .db
            .execute_unprepared("VACUUM competency_results, gap_tallies, proposals")
            .await?;
    }
    Ok(())
}

/// `runs` timed runs of `what` in a transaction that is rolled back each time.
async fn timed<F>(state: &AppState, runs: usize, what: F) -> Result<(Timing, usize), Error>
where
    F: AsyncFn(&sea_orm::DatabaseTransaction) -> Result<usize, app::error::AppError>,
{
    let mut times = Vec::with_capacity(runs);
    let mut last = 0;
    for _ in 0..runs {
        settle(state).await?;
        let txn = state.db.begin().await?;
        let t = Instant::now();
        last = what(&txn).await?;
        times.push(t.elapsed());
        txn.rollback().await?;
    }
    Ok((Timing::of(times), last))
}

pub async fn bench_proposals(state: &AppState, runs: usize) -> Result<(), Error> {
    let db = &state.db;
    let Some(c) = campaign::Entity::find()
        .filter(campaign::Column::State.eq(CampaignState::Closed))
        .order_by_desc(campaign::Column::ClosedAt)
        .one(db)
        .await?
    else {
        return Err(Error::Refused(
            "no closed survey: run bench-data first".into(),
        ));
    };
    let txn = db.begin().await?;
    let courses = add_courses(&txn, c.framework_id).await?;
    txn.commit().await?;
    let results = competency_result::Entity::find()
        .filter(competency_result::Column::CampaignId.eq(c.id))
        .count(db)
        .await?;
    println!(
        "{}: {results} gap results, {courses} published bench courses; {runs} runs, each rolled back",
        db.get_database_backend().as_str()
    );
    let settings = &state.settings;
    let (t, n) = timed(state, runs, async |txn| {
        app::assignments::service::regenerate(txn, settings, None).await
    })
    .await?;
    report(
        "proposals",
        "regenerate for everyone",
        &t,
        &format!("{n} proposals"),
    );
    let (t, n) = timed(state, runs, async |txn| {
        app::gaps::service::recompute(txn, &c, None).await
    })
    .await?;
    report(
        "recompute",
        "the survey's gap results",
        &t,
        &format!("{n} results"),
    );
    let (t, n) = timed(state, runs, async |txn| {
        app::gaps::service::recompute(txn, &c, None).await?;
        app::assignments::service::regenerate(txn, settings, None).await
    })
    .await?;
    report(
        "close",
        "recompute + regenerate",
        &t,
        &format!("{n} proposals"),
    );
    println!("  (targets: proposals under 5 s; closing under 5 s on SQLite, 10 s on Postgres)");
    Ok(())
}
