//! Proposals from the engine, their review, and the assignments they become.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, TimeZone, Utc};
use sea_orm::prelude::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::{PAGE_SIZE, ProposalPage, ProposalQuery, ProposalRow, ReasonText};
use crate::auth::guard::SessionUser;
use crate::common::{clock, search};
use crate::courses::engine::{self, Evidence, Gap, ReasonLine};
use crate::domain::{
    AssignmentSource, AssignmentStatus, AuditAction, CampaignState, CourseStatus, ProposalStatus,
    Vocabulary,
};
use crate::entities::{
    assignment, campaign, competency, competency_result, course, course_competency, framework,
    person, proposal,
};
use crate::error::AppError;
use crate::org::visibility::Scope;
use crate::state::Settings;

/// The office's yearly training-hours budget per person.
pub async fn hours_budget(db: &impl ConnectionTrait) -> Result<f64, AppError> {
    Ok(crate::rules::service::settings(db).await?.hours_budget)
}

/// A result row as the engine reads it: person, competency, current, target,
/// importance, the three rater levels, the rater count and the test level.
type GapRow = (
    Uuid,
    Uuid,
    f64,
    Option<i32>,
    i32,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    i32,
    Option<f64>,
);

/// Each person's latest gaps: from the newest closed survey they have results in.
async fn latest_gaps(
    db: &impl ConnectionTrait,
    settings: &Settings,
) -> Result<HashMap<Uuid, Vec<Gap>>, AppError> {
    let campaigns = campaign::Entity::find()
        .filter(campaign::Column::State.eq(CampaignState::Closed))
        .order_by_desc(campaign::Column::ClosedAt)
        .all(db)
        .await?;
    let mut seen: HashSet<Uuid> = HashSet::new();
    let mut out: HashMap<Uuid, Vec<Gap>> = HashMap::new();
    for c in campaigns {
        let version = framework::Entity::find_by_id(c.framework_id)
            .one(db)
            .await?
            .map_or(0, |f| f.version);
        let codes: HashMap<Uuid, String> = competency::Entity::find()
            .filter(competency::Column::FrameworkId.eq(c.framework_id))
            .all(db)
            .await?
            .into_iter()
            .map(|k| (k.id, k.code))
            .collect();
        let date = clock::local(
            settings.timezone,
            c.closed_at.unwrap_or(c.closes_at),
            "%Y-%m-%d",
        );
        // Everyone with results here, gaps or not: a newer survey without a gap
        // supersedes an older one with it.
        let fresh: HashSet<Uuid> = competency_result::Entity::find()
            .select_only()
            .column(competency_result::Column::PersonId)
            .distinct()
            .filter(competency_result::Column::CampaignId.eq(c.id))
            .into_tuple::<Uuid>()
            .all(db)
            .await?
            .into_iter()
            .filter(|p| !seen.contains(p))
            .collect();
        // Only the rows with a gap, and only the columns the engine reads.
        let rows: Vec<GapRow> = competency_result::Entity::find()
            .select_only()
            .columns([
                competency_result::Column::PersonId,
                competency_result::Column::CompetencyId,
                competency_result::Column::Current,
                competency_result::Column::TargetLevel,
                competency_result::Column::Importance,
                competency_result::Column::SelfLevel,
                competency_result::Column::ManagerLevel,
                competency_result::Column::PeerLevel,
                competency_result::Column::RaterCount,
                competency_result::Column::TestLevel,
            ])
            .filter(competency_result::Column::CampaignId.eq(c.id))
            .filter(competency_result::Column::TargetLevel.is_not_null())
            .filter(competency_result::Column::Gap.gt(0.0))
            .into_tuple()
            .all(db)
            .await?;
        for (person, competency, current, target, importance, self_, manager, peer, raters, test) in
            rows
        {
            if !fresh.contains(&person) {
                continue;
            }
            let (Some(target), Some(code)) = (target, codes.get(&competency)) else {
                continue;
            };
            let sources = [
                (self_, "self"),
                (manager, "manager"),
                (peer, "peer"),
                (test, "test"),
            ]
            .into_iter()
            .filter(|(level, _)| level.is_some())
            .map(|(_, name)| name.to_owned())
            .collect();
            out.entry(person).or_default().push(Gap {
                code: code.clone(),
                current,
                target: u8::try_from(target).unwrap_or(0),
                importance: u8::try_from(importance).unwrap_or(1),
                evidence: Evidence {
                    campaign_id: c.id,
                    campaign: c.title.clone(),
                    sources,
                    raters: u32::try_from(raters).unwrap_or(0),
                    date: date.clone(),
                    framework_version: version,
                },
            });
        }
        seen.extend(fresh);
    }
    Ok(out)
}

/// Regenerates every undecided proposal from the latest gaps, the published
/// courses and the hours budget. Decisions already made stay as they are, and a
/// course someone accepted or rejected is not proposed to them again. Run it inside
/// the caller's transaction.
pub async fn regenerate(
    db: &impl ConnectionTrait,
    settings: &Settings,
    actor: Option<Uuid>,
) -> Result<usize, AppError> {
    let now = Utc::now();
    let started = std::time::Instant::now();
    let budget = hours_budget(db).await?;
    let courses = course::Entity::find()
        .filter(course::Column::Status.eq(CourseStatus::Published))
        .all(db)
        .await?;
    let hours: HashMap<Uuid, f64> = courses.iter().map(|c| (c.id, c.hours)).collect();
    let mut raises: HashMap<Uuid, Vec<(String, u8)>> = HashMap::new();
    for r in course_competency::Entity::find().all(db).await? {
        raises
            .entry(r.course_id)
            .or_default()
            .push((r.code, u8::try_from(r.level).unwrap_or(0)));
    }
    let catalogue: Vec<engine::Course> = courses
        .iter()
        .map(|c| engine::Course {
            id: c.id,
            code: c.code.clone(),
            hours: c.hours,
            raises: raises.remove(&c.id).unwrap_or_default(),
        })
        .collect();
    // What each person already has: assignments (their hours this year count
    // against the budget) and decided proposals.
    let year_start = Utc
        .with_ymd_and_hms(now.year(), 1, 1, 0, 0, 0)
        .single()
        .unwrap_or(now);
    let mut has: HashMap<Uuid, HashSet<Uuid>> = HashMap::new();
    let mut committed: HashMap<Uuid, f64> = HashMap::new();
    for a in assignment::Entity::find().all(db).await? {
        has.entry(a.person_id).or_default().insert(a.course_id);
        if a.status != AssignmentStatus::Withdrawn && a.assigned_at >= year_start {
            *committed.entry(a.person_id).or_default() +=
                hours.get(&a.course_id).copied().unwrap_or(0.0);
        }
    }
    for p in proposal::Entity::find()
        .filter(proposal::Column::Status.ne(ProposalStatus::Proposed))
        .all(db)
        .await?
    {
        has.entry(p.person_id).or_default().insert(p.course_id);
    }
    let active: HashSet<Uuid> = person::Entity::find()
        .filter(person::Column::Active.eq(true))
        .select_only()
        .column(person::Column::Id)
        .into_tuple::<Uuid>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut people: Vec<engine::Person> = latest_gaps(db, settings)
        .await?
        .into_iter()
        .filter(|(id, _)| active.contains(id))
        .map(|(id, gaps)| engine::Person {
            id,
            gaps,
            has: has.remove(&id).unwrap_or_default(),
            committed_hours: committed.get(&id).copied().unwrap_or(0.0),
        })
        .collect();
    people.sort_by_key(|p| p.id);
    let read = started.elapsed();
    let (people_count, course_count) = (people.len(), catalogue.len());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let proposals = propose_in_parallel(people, catalogue, budget, cores).await?;
    let computed = started.elapsed();
    proposal::Entity::delete_many()
        .filter(proposal::Column::Status.eq(ProposalStatus::Proposed))
        .exec(db)
        .await?;
    let rows: Vec<proposal::ActiveModel> = proposals
        .iter()
        .map(|p| proposal::ActiveModel {
            // Time-ordered ids, so the primary key grows at its end.
            id: Set(Uuid::now_v7()),
            person_id: Set(p.person),
            course_id: Set(p.course),
            rank: Set(i32::try_from(p.rank).unwrap_or(i32::MAX)),
            closes: Set(p.closes),
            per_hour: Set(p.per_hour),
            reason: Set(serde_json::to_string(&p.reason).unwrap_or_else(|_| "[]".into())),
            status: Set(ProposalStatus::Proposed),
            due_at: Set(None),
            decided_by: Set(None),
            decided_at: Set(None),
            note: Set(None),
            generated_at: Set(now),
        })
        .collect();
    let written = rows.len();
    crate::common::bulk::insert_chunked(db, rows, 1_000).await?;
    // How long each step took, for `bench-proposals` with RUST_LOG=debug.
    tracing::debug!(
        proposals = written,
        read_ms = read.as_millis(),
        engine_ms = (computed - read).as_millis(),
        write_ms = (started.elapsed() - computed).as_millis(),
        "proposals regenerated"
    );
    crate::audit::Entry::new(actor, AuditAction::ProposalRegenerate)
        .on("proposal", None)
        .after(json!({ "proposals": written, "people": people_count,
            "courses": course_count, "budget": budget }))
        .record(db)
        .await?;
    Ok(written)
}

/// Runs the engine off the async workers, the people split in `parts` (one per
/// core): each person's proposals depend on no one else's, and the parts come back
/// in the people's order, so the result is the same as one pass over everyone
/// (about 1.5 s for 10,000 people and 200 courses on one core).
async fn propose_in_parallel(
    people: Vec<engine::Person>,
    catalogue: Vec<engine::Course>,
    budget: f64,
    parts: usize,
) -> Result<Vec<engine::Proposal>, AppError> {
    let catalogue = std::sync::Arc::new(catalogue);
    let size = people.len().div_ceil(parts.max(1)).max(1);
    let mut people = people.into_iter();
    let mut running = Vec::new();
    loop {
        let part: Vec<engine::Person> = people.by_ref().take(size).collect();
        if part.is_empty() {
            break;
        }
        let catalogue = catalogue.clone();
        running.push(tokio::task::spawn_blocking(move || {
            engine::propose(&part, &catalogue, budget)
        }));
    }
    let mut out = Vec::new();
    for part in running {
        out.extend(part.await.map_err(AppError::internal)?);
    }
    Ok(out)
}

/// The reason in the reader's terms: each line with the competency's name.
pub fn reason_text(reason: &str, names: &HashMap<String, String>) -> Vec<ReasonText> {
    serde_json::from_str::<Vec<ReasonLine>>(reason)
        .unwrap_or_default()
        .into_iter()
        .map(|l| ReasonText {
            name: names
                .get(&l.code.to_lowercase())
                .cloned()
                .unwrap_or_else(|| l.code.clone()),
            code: l.code,
            current: l.current,
            target: l.target,
            expected: l.expected,
            campaign: l.evidence.campaign,
            date: l.evidence.date,
            sources: l.evidence.sources,
            raters: l.evidence.raters,
            framework_version: l.evidence.framework_version,
        })
        .collect()
}

pub async fn list(
    db: &DatabaseConnection,
    settings: &Settings,
    me: &SessionUser,
    q: &ProposalQuery,
) -> Result<ProposalPage, AppError> {
    let scope = Scope::load(db, me).await?;
    let visible = person::Entity::find()
        .select_only()
        .column(person::Column::Id)
        .filter(scope.condition())
        .into_query();
    let status = ProposalStatus::parse(q.status.trim()).unwrap_or(ProposalStatus::Proposed);
    let mut select = proposal::Entity::find()
        .filter(proposal::Column::PersonId.in_subquery(visible))
        .filter(proposal::Column::Status.eq(status));
    if let Ok(Some(course)) = crate::common::parse_id("course", Some(&q.course)) {
        select = select.filter(proposal::Column::CourseId.eq(course));
    }
    if let Ok(Some(unit)) = crate::common::parse_id("unit", Some(&q.unit)) {
        let in_unit = person::Entity::find()
            .select_only()
            .column(person::Column::Id)
            .filter(person::Column::UnitId.eq(unit))
            .into_query();
        select = select.filter(proposal::Column::PersonId.in_subquery(in_unit));
    }
    let code = q.competency.trim();
    if !code.is_empty() {
        // The reason names each competency as `"code":"…"`.
        let needle = format!("\"code\":{}", serde_json::Value::from(code));
        select = select.filter(search::contains(
            (proposal::Entity, proposal::Column::Reason),
            &needle,
        ));
    }
    let paginator = select
        .order_by_asc(proposal::Column::PersonId)
        .order_by_asc(proposal::Column::Rank)
        .paginate(db, PAGE_SIZE);
    let counts = paginator.num_items_and_pages().await?;
    let pages = counts.number_of_pages.max(1);
    let page = q.page.clamp(1, pages);
    let found = paginator.fetch_page(page - 1).await?;
    let people = crate::org::lookup::people_by_id(db, found.iter().map(|p| p.person_id)).await?;
    let units = crate::org::lookup::unit_names(db).await?;
    let courses: HashMap<Uuid, course::Model> = course::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let known = crate::courses::service::known_competencies(db).await?;
    let names: HashMap<String, String> = known
        .iter()
        .map(|(c, n)| (c.to_lowercase(), n.clone()))
        .collect();
    let rows = found
        .into_iter()
        .filter_map(|p| {
            let who = people.get(&p.person_id)?;
            let c = courses.get(&p.course_id)?;
            Some(ProposalRow {
                id: p.id,
                person_id: who.id,
                person: who.name.clone(),
                employee_no: who.employee_no.clone(),
                unit: who.unit_id.and_then(|u| units.get(&u).cloned()),
                course_id: c.id,
                course: c.title.clone(),
                course_code: c.code.clone(),
                hours: c.hours,
                rank: p.rank,
                closes: p.closes,
                status: p.status,
                reason: reason_text(&p.reason, &names),
                note: p.note,
                due: p
                    .due_at
                    .map(|d| clock::local(settings.timezone, d, "%Y-%m-%d")),
            })
        })
        .collect();
    let mut course_options: Vec<(Uuid, String)> = courses
        .values()
        .filter(|c| c.status == CourseStatus::Published)
        .map(|c| (c.id, c.title.clone()))
        .collect();
    course_options.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(ProposalPage {
        rows,
        total: counts.number_of_items,
        page,
        pages,
        courses: course_options,
        competencies: known,
        can_regenerate: me.has_any(super::REGENERATORS),
    })
}

/// Accepts or rejects each of `ids` the caller may see. Accepting makes one
/// assignment per proposal, however often or concurrently it is accepted: the
/// proposal moves from `proposed` in one conditional update, and the assignment's
/// unique proposal index backs that up. Returns how many changed.
pub async fn decide(
    db: &DatabaseConnection,
    me: &SessionUser,
    ids: &[Uuid],
    accept: bool,
    note: Option<String>,
    due_at: Option<chrono::DateTime<Utc>>,
) -> Result<usize, AppError> {
    let scope = Scope::load(db, me).await?;
    let mut changed = 0;
    for id in ids {
        let Some(p) = proposal::Entity::find_by_id(*id).one(db).await? else {
            continue;
        };
        let who = person::Entity::find_by_id(p.person_id)
            .one(db)
            .await?
            .ok_or(AppError::NotFound)?;
        if !scope.sees_person(&who) {
            return Err(AppError::Forbidden);
        }
        // The claim is the transaction's first statement: on SQLite a transaction
        // that reads first and writes later cannot wait for a concurrent writer.
        let txn = db.begin().await?;
        let now = Utc::now();
        let to = if accept {
            ProposalStatus::Accepted
        } else {
            ProposalStatus::Rejected
        };
        let claimed = proposal::Entity::update_many()
            .col_expr(proposal::Column::Status, Expr::value(to.as_str()))
            .col_expr(proposal::Column::DecidedBy, Expr::value(Some(me.id)))
            .col_expr(proposal::Column::DecidedAt, Expr::value(Some(now)))
            .col_expr(proposal::Column::Note, Expr::value(note.clone()))
            .col_expr(proposal::Column::DueAt, Expr::value(due_at))
            .filter(proposal::Column::Id.eq(*id))
            .filter(proposal::Column::Status.eq(ProposalStatus::Proposed))
            .exec(&txn)
            .await?;
        if claimed.rows_affected == 0 {
            continue; // decided already, by this caller or another
        }
        if accept {
            let assigned = assignment::ActiveModel {
                id: Set(Uuid::new_v4()),
                person_id: Set(p.person_id),
                course_id: Set(p.course_id),
                source: Set(AssignmentSource::Proposal),
                proposal_id: Set(Some(p.id)),
                reason: Set(p.reason.clone()),
                assigned_by: Set(Some(me.id)),
                assigned_at: Set(now),
                due_at: Set(due_at),
                status: Set(AssignmentStatus::Assigned),
                completed_at: Set(None),
            }
            .insert(&txn)
            .await;
            match assigned {
                Ok(a) => {
                    crate::notifications::service::notify_assignment(
                        &txn,
                        a.person_id,
                        a.id,
                        crate::domain::NotificationKind::CourseAssigned,
                    )
                    .await?;
                }
                // Already assigned this course some other way: nothing to add.
                Err(e) if crate::error::is_unique_violation(&e) => {
                    txn.rollback().await?;
                    continue;
                }
                Err(e) => return Err(e.into()),
            }
        }
        crate::audit::Entry::new(me.id, AuditAction::ProposalDecide)
            .on("proposal", p.id)
            .before(json!({ "status": "proposed" }))
            .after(
                json!({ "status": to, "person": who.employee_no, "course": p.course_id,
                "note": note, "due_at": due_at }),
            )
            .record(&txn)
            .await?;
        txn.commit().await?;
        changed += 1;
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Split across threads, the engine proposes exactly what one pass does.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_parallel_engine_matches_one_pass() {
        let codes = ["A", "B", "C", "D", "E"];
        let catalogue: Vec<engine::Course> = (0..12u128)
            .map(|n| engine::Course {
                id: Uuid::from_u128(1_000 + n),
                code: format!("K{n:02}"),
                hours: f64::from(u8::try_from(n % 5).unwrap() + 1) * 2.0,
                raises: vec![
                    (codes[(n % 5) as usize].to_owned(), 4),
                    (codes[((n + 2) % 5) as usize].to_owned(), 3),
                ],
            })
            .collect();
        let people: Vec<engine::Person> = (0..101u128)
            .map(|n| engine::Person {
                id: Uuid::from_u128(n),
                gaps: codes
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| !(n + *i as u128).is_multiple_of(3))
                    .map(|(i, code)| engine::Gap {
                        code: (*code).to_owned(),
                        current: 1.0 + ((n + i as u128) % 3) as f64 * 0.5,
                        target: 4,
                        importance: u8::try_from((n + i as u128) % 3).unwrap() + 1,
                        evidence: Evidence {
                            campaign_id: Uuid::from_u128(9),
                            campaign: "2026 baseline".into(),
                            sources: vec!["self".into()],
                            raters: 1,
                            date: "2026-03-31".into(),
                            framework_version: 1,
                        },
                    })
                    .collect(),
                has: HashSet::new(),
                committed_hours: (n % 4) as f64 * 5.0,
            })
            .collect();
        let one_pass = engine::propose(&people, &catalogue, 20.0);
        assert!(one_pass.len() > 100, "{} proposals", one_pass.len());
        for parts in [1, 2, 7] {
            let split = propose_in_parallel(people.clone(), catalogue.clone(), 20.0, parts)
                .await
                .unwrap();
            assert_eq!(split, one_pass, "in {parts} parts");
        }
    }
}
