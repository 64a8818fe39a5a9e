//! Team progress, the unit summary and people's learning hours, within the
//! caller's scope (managers: their people; trainers and admins: everyone).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, Order, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait,
};
use uuid::Uuid;

use super::{
    HoursRow, PAGE_SIZE, ProgressRow, Stage, TeamHours, TeamProgress, TeamQuery, UnitSummary,
};
use crate::auth::guard::SessionUser;
use crate::common::clock;
use crate::common::validate::parse_id;
use crate::domain::AssignmentStatus;
use crate::entities::{assignment, certificate, course, lesson_progress, org_unit, person};
use crate::error::AppError;
use crate::learning::progress::progress_of;
use crate::org::tree;
use crate::org::visibility::Scope;
use crate::rules::service::Requirement;
use crate::state::Settings;

/// A lesson of the course done by the assignment's person.
const STARTED: &str = "EXISTS (SELECT 1 FROM lesson_progress lp \
     WHERE lp.person_id = assignments.person_id AND lp.course_id = assignments.course_id)";
const NOT_STARTED: &str = "NOT EXISTS (SELECT 1 FROM lesson_progress lp \
     WHERE lp.person_id = assignments.person_id AND lp.course_id = assignments.course_id)";
/// People are listed by the pinyin key of their names.
const BY_NAME: &str = "(SELECT name_key FROM people WHERE people.id = assignments.person_id)";

/// Who the caller sees, narrowed to a unit's subtree when one is chosen.
pub struct Audience {
    scope: Scope,
    units: Vec<org_unit::Model>,
    within: Option<HashSet<Uuid>>,
}

impl Audience {
    pub async fn load(
        db: &DatabaseConnection,
        me: &SessionUser,
        unit: &str,
    ) -> Result<Audience, AppError> {
        let scope = Scope::load(db, me).await?;
        let units = org_unit::Entity::find()
            .order_by_asc(org_unit::Column::Name)
            .all(db)
            .await?;
        // A unit outside the caller's scope, or a malformed id, narrows to nothing.
        let within = match parse_id("unit", Some(unit)) {
            Ok(None) => None,
            Ok(Some(u)) if scope.sees_unit(Some(u)) => {
                let pairs: Vec<(Uuid, Option<Uuid>)> =
                    units.iter().map(|u| (u.id, u.parent_id)).collect();
                Some(tree::subtree(&pairs, u))
            }
            _ => Some(HashSet::new()),
        };
        Ok(Audience {
            scope,
            units,
            within,
        })
    }

    /// The ids of the people in the audience, as a subquery.
    pub fn people(&self) -> SelectStatement {
        let mut cond = Condition::all().add(self.scope.condition());
        if let Some(units) = &self.within {
            cond = cond.add(person::Column::UnitId.is_in(units.iter().copied()));
        }
        person::Entity::find()
            .select_only()
            .column(person::Column::Id)
            .filter(cond)
            .into_query()
    }

    /// Units the caller may pick.
    pub fn unit_options(&self) -> Vec<(Uuid, String)> {
        self.units
            .iter()
            .filter(|u| self.scope.sees_unit(Some(u.id)))
            .map(|u| (u.id, u.name.clone()))
            .collect()
    }

    pub fn unit_names(&self) -> HashMap<Uuid, String> {
        self.units.iter().map(|u| (u.id, u.name.clone())).collect()
    }
}

/// The assignments matching the filters (not yet ordered or paged).
fn matching(
    audience: &Audience,
    q: &TeamQuery,
    now: DateTime<Utc>,
) -> sea_orm::Select<assignment::Entity> {
    let mut select = assignment::Entity::find()
        .filter(assignment::Column::PersonId.in_subquery(audience.people()))
        .filter(assignment::Column::Status.ne(AssignmentStatus::Withdrawn));
    if let Ok(Some(c)) = parse_id("course", Some(&q.course)) {
        select = select.filter(assignment::Column::CourseId.eq(c));
    }
    let open = Condition::all().add(assignment::Column::Status.eq(AssignmentStatus::Assigned));
    let on_time = Condition::any()
        .add(assignment::Column::DueAt.is_null())
        .add(assignment::Column::DueAt.gte(now));
    match Stage::parse(&q.stage) {
        None => select,
        Some(Stage::Completed) => {
            select.filter(assignment::Column::Status.eq(AssignmentStatus::Completed))
        }
        Some(Stage::Overdue) => select
            .filter(open)
            .filter(assignment::Column::DueAt.lt(now)),
        Some(Stage::InProgress) => select
            .filter(open)
            .filter(on_time)
            .filter(Expr::cust(STARTED)),
        Some(Stage::NotStarted) => select
            .filter(open)
            .filter(on_time)
            .filter(Expr::cust(NOT_STARTED)),
    }
}

/// The rows for a page (or all of them, for the export), in name order.
pub async fn rows(
    db: &DatabaseConnection,
    settings: &Settings,
    audience: &Audience,
    q: &TeamQuery,
    page: Option<u64>,
) -> Result<(Vec<ProgressRow>, u64, u64, u64), AppError> {
    let now = Utc::now();
    let select = matching(audience, q, now)
        .order_by(Expr::cust(BY_NAME), Order::Asc)
        .order_by_asc(assignment::Column::PersonId)
        .order_by_asc(assignment::Column::AssignedAt);
    let (found, total, page, pages) = match page {
        Some(page) => {
            let paginator = select.paginate(db, PAGE_SIZE);
            let counts = paginator.num_items_and_pages().await?;
            let pages = counts.number_of_pages.max(1);
            let page = page.clamp(1, pages);
            (
                paginator.fetch_page(page - 1).await?,
                counts.number_of_items,
                page,
                pages,
            )
        }
        None => {
            let all = select.all(db).await?;
            let n = all.len() as u64;
            (all, n, 1, 1)
        }
    };
    let people: HashMap<Uuid, person::Model> = person::Entity::find()
        .filter(person::Column::Id.is_in(found.iter().map(|a| a.person_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let courses: HashMap<Uuid, course::Model> = course::Entity::find()
        .filter(course::Column::Id.is_in(found.iter().map(|a| a.course_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let pairs: Vec<(Uuid, Uuid)> = found.iter().map(|a| (a.person_id, a.course_id)).collect();
    let progress = progress_of(db, &pairs).await?;
    let unit_names = audience.unit_names();
    let day = |d: DateTime<Utc>| clock::local(settings.timezone, d, "%Y-%m-%d");
    let rows = found
        .into_iter()
        .filter_map(|a| {
            let p = people.get(&a.person_id)?;
            let c = courses.get(&a.course_id)?;
            let pr = progress
                .get(&(a.person_id, a.course_id))
                .copied()
                .unwrap_or_default();
            let completed = a.status == AssignmentStatus::Completed;
            let overdue = !completed && a.due_at.is_some_and(|d| d < now);
            Some(ProgressRow {
                assignment_id: a.id,
                person_id: p.id,
                person: p.name.clone(),
                employee_no: p.employee_no.clone(),
                unit: p.unit_id.and_then(|u| unit_names.get(&u).cloned()),
                course_id: c.id,
                course: c.title.clone(),
                course_code: c.code.clone(),
                stage: Stage::of(completed, overdue, pr.done > 0),
                lessons_done: pr.done,
                lessons_total: pr.total,
                percent: if completed { 100 } else { pr.percent() },
                due: a.due_at.map(day),
                completed_on: a.completed_at.map(day),
            })
        })
        .collect();
    Ok((rows, total, page, pages))
}

pub async fn progress(
    db: &DatabaseConnection,
    settings: &Settings,
    me: &SessionUser,
    q: &TeamQuery,
) -> Result<TeamProgress, AppError> {
    let audience = Audience::load(db, me, &q.unit).await?;
    let (rows, total, page, pages) = rows(db, settings, &audience, q, Some(q.page)).await?;
    let year = clock::year_of(settings.timezone, Utc::now());
    let (summary, courses) = summary(db, settings, &audience, q, year).await?;
    Ok(TeamProgress {
        rows,
        total,
        page,
        pages,
        summary,
        units: audience.unit_options(),
        courses,
        year,
    })
}

/// Per unit (each person counted in their own unit): assignments by stage, and the
/// hours completed this year against the requirement. Also the courses assigned,
/// for the course filter.
async fn summary(
    db: &DatabaseConnection,
    settings: &Settings,
    audience: &Audience,
    q: &TeamQuery,
    year: i32,
) -> Result<(Vec<UnitSummary>, Vec<(Uuid, String)>), AppError> {
    let now = Utc::now();
    let people: Vec<(Uuid, Option<Uuid>, Option<Uuid>)> = person::Entity::find()
        .select_only()
        .column(person::Column::Id)
        .column(person::Column::UnitId)
        .column(person::Column::PositionId)
        .filter(person::Column::Id.in_subquery(audience.people()))
        .filter(person::Column::Active.eq(true))
        .into_tuple()
        .all(db)
        .await?;
    let unit_of: HashMap<Uuid, Uuid> = people
        .iter()
        .filter_map(|(p, u, _)| u.map(|u| (*p, u)))
        .collect();
    let all = TeamQuery {
        course: q.course.clone(),
        ..TeamQuery::default()
    };
    type Fact = (Uuid, Uuid, AssignmentStatus, Option<DateTime<Utc>>);
    let facts: Vec<Fact> = matching(audience, &all, now)
        .select_only()
        .column(assignment::Column::PersonId)
        .column(assignment::Column::CourseId)
        .column(assignment::Column::Status)
        .column(assignment::Column::DueAt)
        .into_tuple()
        .all(db)
        .await?;
    let started: HashSet<(Uuid, Uuid)> = lesson_progress::Entity::find()
        .select_only()
        .column(lesson_progress::Column::PersonId)
        .column(lesson_progress::Column::CourseId)
        .distinct()
        .filter(lesson_progress::Column::PersonId.in_subquery(audience.people()))
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let courses: HashMap<Uuid, course::Model> = course::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let requirement = Requirement::load(db).await?;
    let names = audience.unit_names();
    let mut by_unit: HashMap<Uuid, UnitSummary> = HashMap::new();
    let blank = |u: Uuid| UnitSummary {
        unit_id: u,
        unit: names.get(&u).cloned().unwrap_or_default(),
        people: 0,
        assigned: 0,
        not_started: 0,
        in_progress: 0,
        completed: 0,
        overdue: 0,
        hours: 0.0,
        hours_required: 0.0,
    };
    for (_, unit, position) in &people {
        let Some(u) = unit else { continue };
        let s = by_unit.entry(*u).or_insert_with(|| blank(*u));
        s.people += 1;
        s.hours_required += requirement.of(*position);
    }
    let mut assigned_courses: HashSet<Uuid> = HashSet::new();
    for (person, course_id, status, due) in facts {
        assigned_courses.insert(course_id);
        let Some(u) = unit_of.get(&person) else {
            continue;
        };
        let s = by_unit.entry(*u).or_insert_with(|| blank(*u));
        let completed = status == AssignmentStatus::Completed;
        let overdue = !completed && due.is_some_and(|d| d < now);
        s.assigned += 1;
        match Stage::of(completed, overdue, started.contains(&(person, course_id))) {
            Stage::NotStarted => s.not_started += 1,
            Stage::InProgress => s.in_progress += 1,
            Stage::Completed => s.completed += 1,
            Stage::Overdue => s.overdue += 1,
        }
    }
    for (person, (hours, _)) in credited_hours(db, settings, audience, year).await? {
        if let Some(s) = unit_of.get(&person).and_then(|u| by_unit.get_mut(u)) {
            s.hours += hours;
        }
    }
    let mut summary: Vec<UnitSummary> = by_unit.into_values().collect();
    summary.sort_by(|a, b| a.unit.cmp(&b.unit));
    let mut options: Vec<(Uuid, String)> = assigned_courses
        .into_iter()
        .filter_map(|id| courses.get(&id).map(|c| (id, c.title.clone())))
        .collect();
    options.sort_by(|a, b| a.1.cmp(&b.1));
    Ok((summary, options))
}

/// Hours and courses completed in `year` per person: the certificates' hours, as
/// issued (so a course's hours edited later do not rewrite anyone's record).
async fn credited_hours(
    db: &DatabaseConnection,
    settings: &Settings,
    audience: &Audience,
    year: i32,
) -> Result<HashMap<Uuid, (f64, u32)>, AppError> {
    let issued: Vec<(Uuid, f64, DateTime<Utc>)> = certificate::Entity::find()
        .select_only()
        .column(certificate::Column::PersonId)
        .column(certificate::Column::Hours)
        .column(certificate::Column::IssuedAt)
        .filter(certificate::Column::PersonId.in_subquery(audience.people()))
        .into_tuple()
        .all(db)
        .await?;
    let mut credited: HashMap<Uuid, (f64, u32)> = HashMap::new();
    for (p, hours, at) in issued {
        if clock::year_of(settings.timezone, at) == year {
            let e = credited.entry(p).or_default();
            e.0 += hours;
            e.1 += 1;
        }
    }
    Ok(credited)
}

/// Everyone in the audience with their completed hours in `year`: those behind the
/// requirement first (fewest hours first), then by name.
pub async fn hours_rows(
    db: &DatabaseConnection,
    settings: &Settings,
    audience: &Audience,
    year: i32,
) -> Result<(Vec<HoursRow>, f64), AppError> {
    let people = person::Entity::find()
        .filter(person::Column::Id.in_subquery(audience.people()))
        .filter(person::Column::Active.eq(true))
        .order_by_asc(person::Column::NameKey)
        .all(db)
        .await?;
    let credited = credited_hours(db, settings, audience, year).await?;
    let requirement = Requirement::load(db).await?;
    let names = audience.unit_names();
    let mut rows: Vec<HoursRow> = people
        .into_iter()
        .map(|p| {
            let (hours, courses) = credited.get(&p.id).copied().unwrap_or_default();
            let required = requirement.of(p.position_id);
            HoursRow {
                person_id: p.id,
                person: p.name,
                employee_no: p.employee_no,
                unit: p.unit_id.and_then(|u| names.get(&u).cloned()),
                hours,
                courses,
                required,
                behind: hours < required,
            }
        })
        .collect();
    // Stable: name order stays within equal hours.
    rows.sort_by(|a, b| {
        (!a.behind, a.behind.then_some(a.hours))
            .partial_cmp(&(!b.behind, b.behind.then_some(b.hours)))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    Ok((rows, requirement.office))
}

pub async fn hours(
    db: &DatabaseConnection,
    settings: &Settings,
    me: &SessionUser,
    unit: &str,
    year: Option<i32>,
    page: u64,
) -> Result<TeamHours, AppError> {
    let audience = Audience::load(db, me, unit).await?;
    let year = year
        .filter(|y| clock::sensible_year(*y))
        .unwrap_or_else(|| clock::year_of(settings.timezone, Utc::now()));
    let (all, required) = hours_rows(db, settings, &audience, year).await?;
    let total = all.len() as u64;
    let behind = all.iter().filter(|r| r.behind).count() as u64;
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = page.clamp(1, pages);
    let rows = all
        .into_iter()
        .skip(((page - 1) * PAGE_SIZE) as usize)
        .take(PAGE_SIZE as usize)
        .collect();
    Ok(TeamHours {
        rows,
        total,
        behind,
        page,
        pages,
        year,
        required,
        units: audience.unit_options(),
    })
}
