//! `make bench`: the before/after report over `bench-data`'s office. The first
//! run adds a closed follow-up of its campaign whose results are the baseline's
//! moved by a seeded random change (10,000 staff × 30 competencies × 2 waves),
//! then times the report for the whole organisation and for one unit.

use std::time::Instant;

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, IntoActiveModel,
    QueryFilter, Set, TransactionTrait,
};

use app::domain::CampaignState;
use app::entities::{campaign, competency_result};
use app::gaps::ViewQuery;
use app::state::AppState;

use crate::Error;
use crate::bench::{admin_user, filter_unit, report, time};
use crate::synth::{Synth, insert_chunked};

const ROWS_PER_STATEMENT: usize = 5_000;

/// The follow-up of the benchmark's campaign, made once.
async fn follow_up(db: &sea_orm::DatabaseConnection) -> Result<campaign::Model, Error> {
    if let Some(c) = campaign::Entity::find()
        .filter(campaign::Column::FollowUpOf.is_not_null())
        .one(db)
        .await?
    {
        return Ok(c);
    }
    let baseline = campaign::Entity::find()
        .filter(campaign::Column::State.eq(CampaignState::Closed))
        .one(db)
        .await?
        .ok_or_else(|| Error::Refused("run bench-data first: no closed campaign".into()))?;
    let t = Instant::now();
    let mut synth = Synth::new(2027);
    let now = Utc::now();
    let mut c = baseline.clone().into_active_model().reset_all();
    c.id = Set(synth.uuid());
    c.title = Set(format!("{} (follow-up)", baseline.title));
    c.follow_up_of = Set(Some(baseline.id));
    c.opens_at = Set(now - Duration::days(20));
    c.closes_at = Set(now - Duration::days(1));
    c.opened_at = Set(Some(now - Duration::days(20)));
    c.closed_at = Set(Some(now - Duration::days(1)));
    c.created_at = Set(now - Duration::days(21));
    let txn = db.begin().await?;
    let c = c.insert(&txn).await?;
    let rows: Vec<competency_result::ActiveModel> = competency_result::Entity::find()
        .filter(competency_result::Column::CampaignId.eq(baseline.id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|r| {
            let current = (r.current + synth.normal(0.25, 0.4)).clamp(1.0, 5.0);
            let gap = r
                .target_level
                .map_or(0.0, |t| (f64::from(t) - current).max(0.0));
            let mut a = r.into_active_model().reset_all();
            a.campaign_id = Set(c.id);
            a.current = Set(current);
            a.gap = Set(gap);
            a.computed_at = Set(now - Duration::days(1));
            a
        })
        .collect();
    let written = insert_chunked(&txn, rows, ROWS_PER_STATEMENT).await?;
    txn.commit().await?;
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_unprepared("ANALYZE competency_results").await?;
    }
    println!(
        "  follow-up: {written} competency results in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    Ok(c)
}

pub async fn bench_before_after(state: &AppState, runs: usize) -> Result<(), Error> {
    let db = &state.db;
    let c = follow_up(db).await?;
    let me = admin_user(db).await?;
    let (unit, size) = filter_unit(db, None).await?;
    println!(
        "{}: before/after, {runs} runs after 1 warm-up",
        db.get_database_backend().as_str()
    );
    let whole = ViewQuery {
        campaign: Some(c.id),
        ..ViewQuery::default()
    };
    let narrowed = ViewQuery {
        unit: Some(unit.id),
        ..whole.clone()
    };
    let unit_label = format!("unit {} ({size} units)", unit.code);
    for (scope, q) in [
        ("whole organisation", &whole),
        (unit_label.as_str(), &narrowed),
    ] {
        let (t, r) = time(runs, || app::gaps::change::before_after(state, &me, q)).await?;
        let pairs: usize = r.rows.iter().map(|x| x.n).sum();
        report(
            "before/after",
            scope,
            &t,
            &format!(
                "{} competencies, {pairs} people measured twice",
                r.rows.len()
            ),
        );
    }
    println!(
        "  (target: under 1 s for 10,000 staff × 30 competencies × 2 waves in a release build)"
    );
    Ok(())
}
