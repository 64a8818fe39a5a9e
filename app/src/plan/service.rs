//! The annual plan against the database: drafting it from the accepted proposals,
//! reading it with its costs and justification, editing lines, and its way to
//! approval. Every change is audited.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, Utc};
use sea_orm::prelude::Expr;
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::draft::{self, Accepted, CourseFacts};
use super::{MAX_PEOPLE, MAX_SESSIONS, PLANNERS, Plan, PlanLine, PlanStatus};
use crate::auth::guard::SessionUser;
use crate::common::{clock, validate};
use crate::courses::engine::ReasonLine;
use crate::domain::{AuditAction, CampaignState, ProposalStatus, Vocabulary};
use crate::entities::{
    campaign, class_session, competency, course, gap_tally, position, proposal, training_plan,
    training_plan_line,
};
use crate::error::{AppError, Problem};
use crate::state::Settings;

/// The `year` field: blank means this year (office time).
pub fn year_field(settings: &Settings, value: Option<&str>) -> Result<i32, AppError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(clock::year_of(settings.timezone, Utc::now())),
        Some(v) => v
            .parse::<i32>()
            .ok()
            .filter(|y| clock::sensible_year(*y))
            .ok_or_else(|| {
                AppError::field(
                    "year",
                    Problem::OutOfRange {
                        min: "2000".into(),
                        max: "2100".into(),
                    },
                )
            }),
    }
}

/// The first instant of `year` and of the next, office time.
fn year_bounds(settings: &Settings, year: i32) -> Result<(DateTime<Utc>, DateTime<Utc>), AppError> {
    let tz = settings.timezone;
    Ok((
        clock::parse_local(tz, "year", &format!("{year:04}-01-01T00:00"))?,
        clock::parse_local(tz, "year", &format!("{:04}-01-01T00:00", year + 1))?,
    ))
}

/// Accepted proposals for `year`: due in it, or (with no due date) accepted in it.
fn accepted_in(from: DateTime<Utc>, to: DateTime<Utc>) -> Condition {
    Condition::all()
        .add(proposal::Column::Status.eq(ProposalStatus::Accepted))
        .add(
            Condition::any()
                .add(
                    Condition::all()
                        .add(proposal::Column::DueAt.gte(from))
                        .add(proposal::Column::DueAt.lt(to)),
                )
                .add(
                    Condition::all()
                        .add(proposal::Column::DueAt.is_null())
                        .add(proposal::Column::DecidedAt.gte(from))
                        .add(proposal::Column::DecidedAt.lt(to)),
                ),
        )
}

/// The office's priorities: competency code (lower case) → rank by the summed
/// weighted gap of the newest closed survey (1 = the largest).
async fn priorities(db: &impl ConnectionTrait) -> Result<HashMap<String, u32>, AppError> {
    let Some(c) = campaign::Entity::find()
        .filter(campaign::Column::State.eq(CampaignState::Closed))
        .order_by_desc(campaign::Column::ClosedAt)
        .one(db)
        .await?
    else {
        return Ok(HashMap::new());
    };
    let sums: Vec<(Uuid, Option<f64>)> = crate::gaps::tally::select(c.id, None, None)
        .column(gap_tally::Column::CompetencyId)
        .column_as(Expr::col(gap_tally::Column::WeightedSum).sum(), "summed")
        .group_by(gap_tally::Column::CompetencyId)
        .into_tuple()
        .all(db)
        .await?;
    let codes: HashMap<Uuid, String> = competency::Entity::find()
        .filter(competency::Column::FrameworkId.eq(c.framework_id))
        .all(db)
        .await?
        .into_iter()
        .map(|k| (k.id, k.code.to_lowercase()))
        .collect();
    let mut ranked: Vec<(String, f64)> = sums
        .into_iter()
        .filter_map(|(id, s)| Some((codes.get(&id)?.clone(), s.unwrap_or(0.0))))
        .filter(|(_, s)| *s > 0.0)
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(ranked
        .into_iter()
        .enumerate()
        .map(|(i, (code, _))| (code, u32::try_from(i + 1).unwrap_or(u32::MAX)))
        .collect())
}

/// Seats per session for each course that has sessions: its largest one. A course
/// without any plans at the office's class size.
async fn capacities(db: &impl ConnectionTrait) -> Result<HashMap<Uuid, i32>, AppError> {
    let mut out: HashMap<Uuid, i32> = HashMap::new();
    let rows: Vec<(Uuid, i32)> = class_session::Entity::find()
        .select_only()
        .column(class_session::Column::CourseId)
        .column(class_session::Column::Capacity)
        .filter(class_session::Column::CancelledAt.is_null())
        .into_tuple()
        .all(db)
        .await?;
    for (c, cap) in rows {
        let e = out.entry(c).or_insert(cap);
        *e = std::cmp::max(*e, cap);
    }
    Ok(out)
}

async fn plan_of(
    db: &impl ConnectionTrait,
    year: i32,
) -> Result<Option<training_plan::Model>, AppError> {
    Ok(training_plan::Entity::find()
        .filter(training_plan::Column::Year.eq(year))
        .one(db)
        .await?)
}

fn json_list(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

fn to_json(list: &[String]) -> String {
    serde_json::to_string(list).unwrap_or_else(|_| "[]".into())
}

pub async fn load(
    db: &DatabaseConnection,
    office_time: &Settings,
    me: &SessionUser,
    year: i32,
) -> Result<Plan, AppError> {
    let settings = crate::rules::service::settings(db).await?;
    let plan = plan_of(db, year).await?;
    let rows = match &plan {
        Some(p) => {
            training_plan_line::Entity::find()
                .filter(training_plan_line::Column::PlanId.eq(p.id))
                .order_by_asc(training_plan_line::Column::Ordinal)
                .all(db)
                .await?
        }
        None => Vec::new(),
    };
    let courses: HashMap<Uuid, course::Model> = course::Entity::find()
        .filter(course::Column::Id.is_in(rows.iter().map(|l| l.course_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let names: HashMap<String, String> = crate::courses::service::known_competencies(db)
        .await?
        .into_iter()
        .map(|(code, name)| (code.to_lowercase(), name))
        .collect();
    let rank = priorities(db).await?;
    let capacity = capacities(db).await?;
    let lines = rows
        .into_iter()
        .filter_map(|l| {
            let c = courses.get(&l.course_id)?;
            let (trainer_cost, venue_cost) = draft::cost(
                l.sessions,
                c.hours,
                settings.trainer_rate,
                settings.venue_rate,
            );
            let competencies = json_list(&l.competencies)
                .into_iter()
                .map(|code| {
                    let key = code.to_lowercase();
                    let name = names.get(&key).cloned().unwrap_or_else(|| code.clone());
                    (code, name, rank.get(&key).copied())
                })
                .collect();
            Some(PlanLine {
                id: l.id,
                ordinal: l.ordinal,
                course_id: c.id,
                course_code: c.code.clone(),
                course: c.title.clone(),
                mode: c.mode,
                hours: c.hours,
                people: l.people,
                units: json_list(&l.units),
                positions: json_list(&l.positions),
                competencies,
                capacity: capacity.get(&c.id).copied().unwrap_or(settings.class_size),
                sessions: l.sessions,
                months: draft::parse_months(&l.months),
                person_hours: f64::from(l.people) * c.hours,
                trainer_cost,
                venue_cost,
                note: l.note,
                edited: l.edited,
            })
        })
        .collect();
    let this_year = clock::year_of(office_time.timezone, Utc::now());
    let mut years: Vec<i32> = training_plan::Entity::find()
        .select_only()
        .column(training_plan::Column::Year)
        .into_tuple()
        .all(db)
        .await?;
    years.extend([this_year, this_year + 1, year]);
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    let office = crate::certificates::service::office_name(db).await?;
    let (from, to) = year_bounds(office_time, year)?;
    let accepted = proposal::Entity::find()
        .filter(accepted_in(from, to))
        .count(db)
        .await?;
    let status = plan.as_ref().map(|p| p.status);
    Ok(Plan {
        year,
        years,
        status,
        office,
        note: plan.and_then(|p| p.note),
        lines,
        trainer_rate: settings.trainer_rate,
        venue_rate: settings.venue_rate,
        class_size: settings.class_size,
        can_edit: me.user.has_any(PLANNERS) && status.is_none_or(|s| s == PlanStatus::Draft),
        accepted,
    })
}

/// Drafts (or refreshes) the year's plan from the accepted proposals. Lines a
/// trainer edited keep their figures and only learn the audience and gaps anew;
/// the others are recomputed, and those no proposal supports any more go. Only a
/// draft may be regenerated. Returns the number of lines.
pub async fn generate(
    db: &DatabaseConnection,
    office_time: &Settings,
    actor: Uuid,
    year: i32,
) -> Result<usize, AppError> {
    let txn = db.begin().await?;
    let n = generate_in(&txn, office_time, actor, year).await?;
    txn.commit().await?;
    Ok(n)
}

/// [`generate`] inside the caller's transaction.
pub async fn generate_in(
    db: &impl ConnectionTrait,
    office_time: &Settings,
    actor: Uuid,
    year: i32,
) -> Result<usize, AppError> {
    let settings = crate::rules::service::settings(db).await?;
    let (from, to) = year_bounds(office_time, year)?;
    let found = proposal::Entity::find()
        .filter(accepted_in(from, to))
        .all(db)
        .await?;
    let people = crate::org::lookup::people_by_id(
        db,
        found.iter().map(|p| p.person_id).collect::<HashSet<_>>(),
    )
    .await?;
    let units = crate::org::lookup::unit_names(db).await?;
    let positions: HashMap<Uuid, String> = position::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let tz = office_time.timezone;
    let accepted: Vec<Accepted> = found
        .iter()
        .map(|p| {
            let who = people.get(&p.person_id);
            Accepted {
                person: p.person_id,
                course: p.course_id,
                unit: who
                    .and_then(|w| w.unit_id)
                    .and_then(|u| units.get(&u).cloned()),
                position: who
                    .and_then(|w| w.position_id)
                    .and_then(|x| positions.get(&x).cloned()),
                codes: serde_json::from_str::<Vec<ReasonLine>>(&p.reason)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|l| l.code)
                    .collect(),
                month: p.due_at.map(|d| d.with_timezone(&tz).month()),
            }
        })
        .collect();
    let capacity = capacities(db).await?;
    let facts: HashMap<Uuid, CourseFacts> = course::Entity::find()
        .filter(course::Column::Id.is_in(found.iter().map(|p| p.course_id).collect::<HashSet<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|c| {
            (
                c.id,
                CourseFacts {
                    capacity: capacity.get(&c.id).copied().unwrap_or(settings.class_size),
                    code: c.code,
                    mode: c.mode,
                },
            )
        })
        .collect();
    let drafted = draft::lines(&accepted, &facts, &priorities(db).await?);

    let now = Utc::now();
    let plan = match plan_of(db, year).await? {
        Some(p) if p.status != PlanStatus::Draft => {
            return Err(AppError::field("year", Problem::PlanLocked));
        }
        Some(p) => p,
        None => {
            let p = training_plan::ActiveModel {
                id: Set(Uuid::new_v4()),
                year: Set(year),
                status: Set(PlanStatus::Draft),
                note: Set(None),
                created_by: Set(Some(actor)),
                created_at: Set(now),
                updated_at: Set(now),
            };
            p.insert(db).await?
        }
    };
    let existing: HashMap<Uuid, training_plan_line::Model> = training_plan_line::Entity::find()
        .filter(training_plan_line::Column::PlanId.eq(plan.id))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.course_id, l))
        .collect();
    let drafted_courses: HashSet<Uuid> = drafted.iter().map(|l| l.course).collect();
    // Lines no proposal supports any more go, unless a trainer shaped them.
    let stale: Vec<Uuid> = existing
        .values()
        .filter(|l| !l.edited && !drafted_courses.contains(&l.course_id))
        .map(|l| l.id)
        .collect();
    training_plan_line::Entity::delete_many()
        .filter(training_plan_line::Column::Id.is_in(stale))
        .exec(db)
        .await?;
    let mut ordinal = 0;
    for l in &drafted {
        ordinal += 1;
        match existing.get(&l.course) {
            Some(old) if old.edited => {
                training_plan_line::ActiveModel {
                    id: Set(old.id),
                    ordinal: Set(ordinal),
                    units: Set(to_json(&l.units)),
                    positions: Set(to_json(&l.positions)),
                    competencies: Set(to_json(&l.competencies)),
                    ..Default::default()
                }
                .update(db)
                .await?;
            }
            Some(old) => {
                training_plan_line::ActiveModel {
                    id: Set(old.id),
                    ordinal: Set(ordinal),
                    people: Set(l.people),
                    units: Set(to_json(&l.units)),
                    positions: Set(to_json(&l.positions)),
                    competencies: Set(to_json(&l.competencies)),
                    sessions: Set(l.sessions),
                    months: Set(draft::months_text(&l.months)),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .update(db)
                .await?;
            }
            None => {
                training_plan_line::ActiveModel {
                    id: Set(Uuid::new_v4()),
                    plan_id: Set(plan.id),
                    course_id: Set(l.course),
                    ordinal: Set(ordinal),
                    people: Set(l.people),
                    units: Set(to_json(&l.units)),
                    positions: Set(to_json(&l.positions)),
                    competencies: Set(to_json(&l.competencies)),
                    sessions: Set(l.sessions),
                    months: Set(draft::months_text(&l.months)),
                    note: Set(None),
                    edited: Set(false),
                    updated_at: Set(now),
                }
                .insert(db)
                .await?;
            }
        }
    }
    // Edited lines without proposals keep their place after the drafted ones.
    let mut kept: Vec<&training_plan_line::Model> = existing
        .values()
        .filter(|l| l.edited && !drafted_courses.contains(&l.course_id))
        .collect();
    kept.sort_by_key(|l| l.ordinal);
    for l in kept {
        ordinal += 1;
        training_plan_line::ActiveModel {
            id: Set(l.id),
            ordinal: Set(ordinal),
            ..Default::default()
        }
        .update(db)
        .await?;
    }
    training_plan::ActiveModel {
        id: Set(plan.id),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(db)
    .await?;
    crate::audit::Entry::new(actor, AuditAction::PlanGenerate)
        .on("training_plan", plan.id)
        .after(json!({ "year": year, "lines": ordinal, "proposals": found.len() }))
        .record(db)
        .await?;
    Ok(usize::try_from(ordinal).unwrap_or(0))
}

/// A line and its plan, which must still be a draft.
async fn draft_line(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<(training_plan_line::Model, training_plan::Model), AppError> {
    let line = training_plan_line::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let plan = training_plan::Entity::find_by_id(line.plan_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if plan.status != PlanStatus::Draft {
        return Err(AppError::field("id", Problem::PlanLocked));
    }
    Ok((line, plan))
}

/// A plan line's form as typed.
pub struct LineForm {
    pub people: String,
    pub sessions: String,
    pub months: Vec<u32>,
    pub note: String,
}

/// Saves a line's figures (marking it edited); returns the plan's year.
pub async fn change_line(
    db: &DatabaseConnection,
    me: &SessionUser,
    id: Uuid,
    form: LineForm,
) -> Result<i32, AppError> {
    let (line, plan) = draft_line(db, id).await?;
    let c = course::Entity::find_by_id(line.course_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let (people, sessions, note) = validate::all((
        validate::number("people", &form.people, 0, MAX_PEOPLE),
        if form.sessions.trim().is_empty() {
            Ok(None)
        } else {
            validate::number("sessions", &form.sessions, 0, MAX_SESSIONS).map(Some)
        },
        validate::optional_text("note", &form.note, 1000),
    ))?;
    let sessions = match sessions {
        Some(s) => s,
        None => {
            let class_size = crate::rules::service::settings(db).await?.class_size;
            let capacity = capacities(db)
                .await?
                .get(&c.id)
                .copied()
                .unwrap_or(class_size);
            draft::sessions_needed(c.mode, people, capacity)
        }
    };
    if c.mode == crate::domain::CourseMode::Online && sessions > 0 {
        return Err(AppError::field(
            "sessions",
            Problem::OutOfRange {
                min: "0".into(),
                max: "0".into(),
            },
        ));
    }
    let months = draft::months_text(&form.months);
    let txn = db.begin().await?;
    training_plan_line::ActiveModel {
        id: Set(line.id),
        people: Set(people),
        sessions: Set(sessions),
        months: Set(months.clone()),
        note: Set(note.clone()),
        edited: Set(true),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .update(&txn)
    .await?;
    crate::audit::Entry::new(me.id, AuditAction::PlanUpdate)
        .on("training_plan_line", line.id)
        .before(
            json!({ "course": c.code, "people": line.people, "sessions": line.sessions,
            "months": line.months, "note": line.note }),
        )
        .after(
            json!({ "course": c.code, "people": people, "sessions": sessions,
            "months": months, "note": note }),
        )
        .record(&txn)
        .await?;
    txn.commit().await?;
    Ok(plan.year)
}

/// Takes a line out of a draft; returns the plan's year.
pub async fn remove_line(
    db: &DatabaseConnection,
    me: &SessionUser,
    id: Uuid,
) -> Result<i32, AppError> {
    let (line, plan) = draft_line(db, id).await?;
    let txn = db.begin().await?;
    training_plan_line::Entity::delete_by_id(line.id)
        .exec(&txn)
        .await?;
    crate::audit::Entry::new(me.id, AuditAction::PlanUpdate)
        .on("training_plan_line", line.id)
        .before(
            json!({ "course": line.course_id, "people": line.people, "sessions": line.sessions }),
        )
        .after(json!({ "removed": true }))
        .record(&txn)
        .await?;
    txn.commit().await?;
    Ok(plan.year)
}

/// Moves the plan along its way: submit, approve or reopen. `note` (optional)
/// replaces the plan's preamble when submitting.
pub async fn step(
    db: &DatabaseConnection,
    me: &SessionUser,
    year: i32,
    step: &str,
    note: &str,
) -> Result<(), AppError> {
    let plan = plan_of(db, year).await?.ok_or(AppError::NotFound)?;
    let to = match (step, plan.status) {
        ("submit", PlanStatus::Draft) => PlanStatus::Submitted,
        ("approve", PlanStatus::Submitted) => PlanStatus::Approved,
        ("reopen", PlanStatus::Submitted) => PlanStatus::Draft,
        ("submit" | "approve" | "reopen", _) => {
            return Err(AppError::field("step", Problem::PlanLocked));
        }
        _ => {
            return Err(AppError::field(
                "step",
                Problem::Invalid {
                    value: step.chars().take(40).collect(),
                },
            ));
        }
    };
    let note = validate::optional_text("note", note, 2000).map_err(AppError::from)?;
    let lines = training_plan_line::Entity::find()
        .filter(training_plan_line::Column::PlanId.eq(plan.id))
        .count(db)
        .await?;
    if to == PlanStatus::Submitted && lines == 0 {
        return Err(AppError::field("step", Problem::PlanEmpty));
    }
    let txn = db.begin().await?;
    let mut row = training_plan::ActiveModel {
        id: Set(plan.id),
        status: Set(to),
        updated_at: Set(Utc::now()),
        ..Default::default()
    };
    if step == "submit" && note.is_some() {
        row.note = Set(note.clone());
    }
    row.update(&txn).await?;
    crate::audit::Entry::new(me.id, AuditAction::PlanState)
        .on("training_plan", plan.id)
        .before(json!({ "status": plan.status.as_str() }))
        .after(json!({ "status": to.as_str(), "year": year, "note": note }))
        .record(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}
