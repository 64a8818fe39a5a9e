//! The catalogue and the course builder against the database.
//!
//! Who may do what: a published or archived course is open to everyone signed in;
//! a draft only to its owners and administrators. Owners and administrators edit.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use sea_orm::prelude::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    JoinType, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::{
    Catalogue, CatalogueQuery, CourseDetail, CourseMode, CourseRow, CourseStatus, LessonDto,
    LessonLink, ModuleDto, PAGE_SIZE, Raised, raise_key,
};
use crate::auth::Role;
use crate::auth::guard::SessionUser;
use crate::common::conflict::Taken;
use crate::common::search;
use crate::common::validate::{self, Fields, limits};
use crate::domain::{AuditAction, Vocabulary};
use crate::entities::{
    competency, course, course_competency, course_module, course_owner, framework, lesson, person,
};
use crate::error::{AppError, Problem};

/// The longest lesson text, in characters (a long chapter, not a book).
pub const LESSON_MAX: usize = 100_000;

/// What the caller may do with courses.
struct Access {
    admin: bool,
    owned: HashSet<Uuid>,
}

impl Access {
    async fn load(db: &impl ConnectionTrait, me: &SessionUser) -> Result<Self, AppError> {
        let owned = course_owner::Entity::find()
            .filter(course_owner::Column::PersonId.eq(me.id))
            .all(db)
            .await?
            .into_iter()
            .map(|o| o.course_id)
            .collect();
        Ok(Self {
            admin: me.has(Role::Admin),
            owned,
        })
    }

    fn can_edit(&self, c: &course::Model) -> bool {
        self.admin || self.owned.contains(&c.id)
    }

    fn can_see(&self, c: &course::Model) -> bool {
        c.status != CourseStatus::Draft || self.can_edit(c)
    }

    /// The same rule as [`Access::can_see`], as a query condition.
    fn visible(&self) -> Condition {
        if self.admin {
            return Condition::all();
        }
        Condition::any()
            .add(course::Column::Status.ne(CourseStatus::Draft))
            .add(course::Column::Id.is_in(self.owned.iter().copied().collect::<Vec<_>>()))
    }
}

async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<course::Model, AppError> {
    course::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The course, if the caller may see it.
pub(crate) async fn visible_course(
    db: &impl ConnectionTrait,
    me: &SessionUser,
    id: Uuid,
) -> Result<course::Model, AppError> {
    let c = find(db, id).await?;
    if Access::load(db, me).await?.can_see(&c) {
        Ok(c)
    } else {
        Err(AppError::NotFound)
    }
}

/// The course, if the caller may edit it (a draft they may not see is not found).
pub(crate) async fn editable(
    db: &impl ConnectionTrait,
    me: &SessionUser,
    id: Uuid,
) -> Result<course::Model, AppError> {
    let c = find(db, id).await?;
    let access = Access::load(db, me).await?;
    if access.can_edit(&c) {
        Ok(c)
    } else if access.can_see(&c) {
        Err(AppError::Forbidden)
    } else {
        Err(AppError::NotFound)
    }
}

/// (code, name) of each competency code in a current framework, by code.
pub async fn known_competencies(
    db: &impl ConnectionTrait,
) -> Result<Vec<(String, String)>, AppError> {
    // One query, only the columns used: pages like My learning ask on every load.
    // Every current framework counts for "newest", even one with no competencies.
    let competencies = framework::Entity::belongs_to(competency::Entity)
        .from(framework::Column::Id)
        .to(competency::Column::FrameworkId)
        .on_condition(|_, c| {
            use sea_orm::sea_query::ExprTrait;
            Condition::all().add(Expr::col((c, competency::Column::Archived)).eq(false))
        })
        .into();
    let rows: Vec<(Uuid, i32, Option<String>, Option<String>)> = framework::Entity::find()
        .select_only()
        .column_as(framework::Column::FamilyId, "family_id")
        .column_as(framework::Column::Version, "version")
        .column_as(competency::Column::Code, "code")
        .column_as(competency::Column::Name, "name")
        .join(JoinType::LeftJoin, competencies)
        .filter(framework::Column::Archived.eq(false))
        .into_tuple()
        .all(db)
        .await?;
    // The newest version of each family names the code.
    let mut newest: HashMap<Uuid, i32> = HashMap::new();
    for (family, version, _, _) in &rows {
        let v = newest.entry(*family).or_insert(*version);
        *v = (*v).max(*version);
    }
    let mut out: HashMap<String, String> = HashMap::new();
    for (family, version, code, name) in rows {
        if let (Some(code), Some(name)) = (code, name)
            && newest.get(&family) == Some(&version)
        {
            out.entry(code).or_insert(name);
        }
    }
    let mut list: Vec<(String, String)> = out.into_iter().collect();
    list.sort();
    Ok(list)
}

pub async fn catalogue(
    db: &impl ConnectionTrait,
    me: &SessionUser,
    query: &CatalogueQuery,
) -> Result<Catalogue, AppError> {
    let access = Access::load(db, me).await?;
    let can_build = me.has_any(super::BUILDERS);
    let mut select = course::Entity::find().filter(access.visible());
    match CourseStatus::parse(query.status.trim()) {
        Some(status) => select = select.filter(course::Column::Status.eq(status)),
        // By default the catalogue leaves out archived courses.
        None => select = select.filter(course::Column::Status.ne(CourseStatus::Archived)),
    }
    if let Some(mode) = CourseMode::parse(query.mode.trim()) {
        select = select.filter(course::Column::Mode.eq(mode));
    }
    let q = query.q.trim();
    if !q.is_empty() {
        select = select.filter(
            Condition::any()
                .add(search::contains((course::Entity, course::Column::Title), q))
                .add(search::contains((course::Entity, course::Column::Code), q)),
        );
    }
    let wanted = query.competency.trim();
    if !wanted.is_empty() {
        // Codes compare case-insensitively, as everywhere; the table is small.
        let raising: Vec<Uuid> = course_competency::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .filter(|r| r.code.eq_ignore_ascii_case(wanted))
            .map(|r| r.course_id)
            .collect();
        select = select.filter(course::Column::Id.is_in(raising));
    }
    let paginator = select
        .order_by_asc(course::Column::Title)
        .order_by_asc(course::Column::Code)
        .paginate(db, PAGE_SIZE);
    let counts = paginator.num_items_and_pages().await?;
    let pages = counts.number_of_pages.max(1);
    let page = query.page.clamp(1, pages);
    let courses = paginator.fetch_page(page - 1).await?;
    let ids: Vec<Uuid> = courses.iter().map(|c| c.id).collect();
    let mut raises = raises_of(db, &ids).await?;
    let lessons = live_lesson_counts(db, &ids).await?;
    let rows = courses
        .into_iter()
        .map(|c| CourseRow {
            raises: raises
                .remove(&c.id)
                .unwrap_or_default()
                .into_iter()
                .map(|r| (r.code, u8::try_from(r.level).unwrap_or(0)))
                .collect(),
            lessons: lessons.get(&c.id).copied().unwrap_or(0),
            cover: c.cover.is_some(),
            id: c.id,
            code: c.code,
            title: c.title,
            hours: c.hours,
            mode: c.mode,
            status: c.status,
        })
        .collect();
    Ok(Catalogue {
        rows,
        total: counts.number_of_items,
        page,
        pages,
        competencies: known_competencies(db).await?,
        can_build,
    })
}

async fn raises_of(
    db: &impl ConnectionTrait,
    courses: &[Uuid],
) -> Result<HashMap<Uuid, Vec<course_competency::Model>>, AppError> {
    let mut out: HashMap<Uuid, Vec<course_competency::Model>> = HashMap::new();
    for r in course_competency::Entity::find()
        .filter(course_competency::Column::CourseId.is_in(courses.to_vec()))
        .order_by_asc(course_competency::Column::Code)
        .all(db)
        .await?
    {
        out.entry(r.course_id).or_default().push(r);
    }
    Ok(out)
}

async fn live_lesson_counts(
    db: &impl ConnectionTrait,
    courses: &[Uuid],
) -> Result<HashMap<Uuid, u64>, AppError> {
    let rows: Vec<(Uuid, i64)> = lesson::Entity::find()
        .select_only()
        .column(lesson::Column::CourseId)
        .column_as(Expr::cust("COUNT(*)"), "n")
        .filter(lesson::Column::CourseId.is_in(courses.to_vec()))
        .filter(lesson::Column::RemovedAt.is_null())
        .group_by(lesson::Column::CourseId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, n)| (id, u64::try_from(n).unwrap_or(0)))
        .collect())
}

/// Live modules of a course in order, each with its live lessons in order.
async fn outline(
    db: &impl ConnectionTrait,
    course_id: Uuid,
) -> Result<Vec<(course_module::Model, Vec<lesson::Model>)>, AppError> {
    let modules = course_module::Entity::find()
        .filter(course_module::Column::CourseId.eq(course_id))
        .filter(course_module::Column::RemovedAt.is_null())
        .order_by_asc(course_module::Column::Position)
        .all(db)
        .await?;
    let mut lessons: HashMap<Uuid, Vec<lesson::Model>> = HashMap::new();
    for l in lesson::Entity::find()
        .filter(lesson::Column::CourseId.eq(course_id))
        .filter(lesson::Column::RemovedAt.is_null())
        .order_by_asc(lesson::Column::Position)
        .all(db)
        .await?
    {
        lessons.entry(l.module_id).or_default().push(l);
    }
    Ok(modules
        .into_iter()
        .map(|m| {
            let ls = lessons.remove(&m.id).unwrap_or_default();
            (m, ls)
        })
        .collect())
}

pub async fn course(
    db: &impl ConnectionTrait,
    me: &SessionUser,
    id: Uuid,
) -> Result<CourseDetail, AppError> {
    let c = find(db, id).await?;
    let access = Access::load(db, me).await?;
    if !access.can_see(&c) {
        return Err(AppError::NotFound);
    }
    let owner_ids: Vec<Uuid> = course_owner::Entity::find()
        .filter(course_owner::Column::CourseId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|o| o.person_id)
        .collect();
    let mut owners: Vec<String> = person::Entity::find()
        .filter(person::Column::Id.is_in(owner_ids))
        .order_by_asc(person::Column::NameKey)
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.name)
        .collect();
    owners.dedup();
    let competencies = known_competencies(db).await?;
    let names: HashMap<String, String> = competencies
        .iter()
        .map(|(code, name)| (code.to_lowercase(), name.clone()))
        .collect();
    let raises = raises_of(db, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default()
        .into_iter()
        .map(|r| Raised {
            name: names.get(&r.code.to_lowercase()).cloned(),
            level: u8::try_from(r.level).unwrap_or(0),
            code: r.code,
        })
        .collect();
    let modules = outline(db, id)
        .await?
        .into_iter()
        .map(|(m, ls)| ModuleDto {
            id: m.id,
            title: m.title,
            lessons: ls
                .into_iter()
                .map(|l| LessonLink {
                    id: l.id,
                    title: l.title,
                })
                .collect(),
        })
        .collect();
    let enrolled = crate::entities::assignment::Entity::find()
        .filter(crate::entities::assignment::Column::PersonId.eq(me.id))
        .filter(crate::entities::assignment::Column::CourseId.eq(id))
        .one(db)
        .await?
        .is_some();
    Ok(CourseDetail {
        can_edit: access.can_edit(&c),
        enrolled,
        can_enrol: !enrolled && c.self_enrol && c.status == CourseStatus::Published,
        id: c.id,
        code: c.code,
        title: c.title,
        summary: c.summary,
        hours: c.hours,
        mode: c.mode,
        status: c.status,
        self_enrol: c.self_enrol,
        requires_attendance: c.requires_attendance,
        cover: c.cover.is_some(),
        owners,
        raises,
        modules,
        competencies,
    })
}

/// The course form as posted.
pub struct CourseForm {
    pub id: Option<Uuid>,
    pub code: String,
    pub title: String,
    pub summary: String,
    pub hours: String,
    pub mode: String,
    pub self_enrol: bool,
    pub requires_attendance: bool,
}

pub async fn save(
    db: &DatabaseConnection,
    me: &SessionUser,
    form: CourseForm,
) -> Result<Uuid, AppError> {
    let (code, title, summary, hours, mode) = validate::all((
        validate::text("code", &form.code, limits::CODE),
        validate::text("title", &form.title, limits::NAME),
        validate::optional_text("summary", &form.summary, limits::LONG_TEXT),
        validate::number("hours", &form.hours, 0.5_f64, 500.0),
        validate::one_of::<CourseMode>("mode", &form.mode),
    ))?;
    let summary = summary.unwrap_or_default();
    let now = Utc::now();
    // Attendance means nothing for a course without sessions.
    let requires_attendance = form.requires_attendance && mode != CourseMode::Online;
    let after = json!({ "code": code, "title": title, "hours": hours, "mode": mode,
        "self_enrol": form.self_enrol, "requires_attendance": requires_attendance });
    let txn = db.begin().await?;
    let id = match form.id {
        Some(id) => {
            let c = editable(&txn, me, id).await?;
            let before = json!({ "code": c.code, "title": c.title, "hours": c.hours,
                "mode": c.mode, "self_enrol": c.self_enrol,
                "requires_attendance": c.requires_attendance });
            let mut am: course::ActiveModel = c.into();
            am.code = Set(code);
            am.title = Set(title);
            am.summary = Set(summary);
            am.hours = Set(hours);
            am.mode = Set(mode);
            am.self_enrol = Set(form.self_enrol);
            am.requires_attendance = Set(requires_attendance);
            am.updated_at = Set(now);
            am.update(&txn).await.taken("code")?;
            crate::audit::Entry::new(me.id, AuditAction::CourseUpdate)
                .on("course", id)
                .before(before)
                .after(after)
                .record(&txn)
                .await?;
            id
        }
        None => {
            let id = Uuid::new_v4();
            course::ActiveModel {
                id: Set(id),
                code: Set(code),
                title: Set(title),
                summary: Set(summary),
                hours: Set(hours),
                mode: Set(mode),
                status: Set(CourseStatus::Draft),
                self_enrol: Set(form.self_enrol),
                requires_attendance: Set(requires_attendance),
                reaction_required: Set(false),
                created_by: Set(Some(me.id)),
                created_at: Set(now),
                updated_at: Set(now),
                published_at: Set(None),
                cover: Set(None),
            }
            .insert(&txn)
            .await
            .taken("code")?;
            course_owner::ActiveModel {
                course_id: Set(id),
                person_id: Set(me.id),
            }
            .insert(&txn)
            .await?;
            crate::audit::Entry::new(me.id, AuditAction::CourseCreate)
                .on("course", id)
                .after(after)
                .record(&txn)
                .await?;
            id
        }
    };
    txn.commit().await?;
    Ok(id)
}

pub async fn set_state(
    db: &DatabaseConnection,
    me: &SessionUser,
    id: Uuid,
    to: CourseStatus,
) -> Result<(), AppError> {
    let txn = db.begin().await?;
    let c = editable(&txn, me, id).await?;
    let from = c.status;
    if to == CourseStatus::Published {
        let lessons = live_lesson_counts(&txn, &[id]).await?;
        if lessons.get(&id).copied().unwrap_or(0) == 0 {
            // Nothing to learn yet: say so next to the publish button.
            return Err(AppError::field("to", Problem::Empty));
        }
    }
    let now = Utc::now();
    let first_publication = to == CourseStatus::Published && c.published_at.is_none();
    let mut am: course::ActiveModel = c.into();
    am.status = Set(to);
    am.updated_at = Set(now);
    if first_publication {
        am.published_at = Set(Some(now));
    }
    am.update(&txn).await?;
    crate::audit::Entry::new(me.id, AuditAction::CourseState)
        .on("course", id)
        .before(json!({ "status": from }))
        .after(json!({ "status": to }))
        .record(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Replaces what a course raises. `levels` maps [`raise_key`]s to a level 1..5 or
/// blank (not raised); only codes of a current framework are accepted.
pub async fn save_raises(
    db: &DatabaseConnection,
    me: &SessionUser,
    id: Uuid,
    levels: &HashMap<String, String>,
) -> Result<(), AppError> {
    let known = known_competencies(db).await?;
    let codes: HashMap<String, &str> = known
        .iter()
        .map(|(code, _)| (raise_key(code), code.as_str()))
        .collect();
    let mut errors = Fields::new();
    let mut chosen: Vec<(String, i32)> = Vec::new();
    for (key, value) in levels {
        let field = format!("level[{key}]");
        let Some(code) = codes.get(key) else {
            errors.add(
                field,
                Problem::Unknown {
                    value: key.chars().take(40).collect(),
                },
            );
            continue;
        };
        if value.trim().is_empty() {
            continue;
        }
        if let Some(level) = errors.take(validate::number::<i32>(&field, value, 1, 5)) {
            chosen.push(((*code).to_owned(), level));
        }
    }
    errors.finish()?;
    chosen.sort();
    let txn = db.begin().await?;
    editable(&txn, me, id).await?;
    course_competency::Entity::delete_many()
        .filter(course_competency::Column::CourseId.eq(id))
        .exec(&txn)
        .await?;
    for (code, level) in &chosen {
        course_competency::ActiveModel {
            id: Set(Uuid::new_v4()),
            course_id: Set(id),
            code: Set(code.clone()),
            level: Set(*level),
        }
        .insert(&txn)
        .await?;
    }
    crate::audit::Entry::new(me.id, AuditAction::CourseCompetencies)
        .on("course", id)
        .after(json!({ "raises": chosen }))
        .record(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// What to do with a module or lesson.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arrange {
    Save { title: String },
    Up,
    Down,
    Remove,
}

impl Arrange {
    pub fn parse(op: &str, title: Option<&str>, confirm: Option<&str>) -> Result<Self, AppError> {
        match op {
            "save" => Ok(Self::Save {
                title: validate::text("title", title.unwrap_or(""), limits::NAME)
                    .map_err(|e| AppError::Validation(vec![e]))?,
            }),
            "up" => Ok(Self::Up),
            "down" => Ok(Self::Down),
            "remove" => {
                crate::common::require_confirmation(false, confirm)?;
                Ok(Self::Remove)
            }
            _ => Err(AppError::NotFound),
        }
    }
}

/// The two (id, position) pairs to swap to move `id` one place up or down among
/// `siblings` (in order), or `None` at the edge or when `id` is not there.
pub fn swap_with_neighbour(
    siblings: &[(Uuid, i32)],
    id: Uuid,
    up: bool,
) -> Option<((Uuid, i32), (Uuid, i32))> {
    let i = siblings.iter().position(|(s, _)| *s == id)?;
    let j = if up { i.checked_sub(1)? } else { i + 1 };
    let (a, b) = (siblings[i], *siblings.get(j)?);
    // Each takes the other's place; equal positions (never expected) still move.
    let (pa, pb) = if a.1 == b.1 {
        if up { (b.1 - 1, b.1) } else { (b.1 + 1, b.1) }
    } else {
        (b.1, a.1)
    };
    Some(((a.0, pa), (b.0, pb)))
}

pub async fn arrange_module(
    db: &DatabaseConnection,
    me: &SessionUser,
    course_id: Uuid,
    id: Option<Uuid>,
    op: Arrange,
) -> Result<(), AppError> {
    let txn = db.begin().await?;
    editable(&txn, me, course_id).await?;
    let siblings = course_module::Entity::find()
        .filter(course_module::Column::CourseId.eq(course_id))
        .filter(course_module::Column::RemovedAt.is_null())
        .order_by_asc(course_module::Column::Position)
        .all(&txn)
        .await?;
    let module = match id {
        Some(id) => Some(
            siblings
                .iter()
                .find(|m| m.id == id)
                .cloned()
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    let record = match (&op, module) {
        (Arrange::Save { title }, None) => {
            let id = Uuid::new_v4();
            course_module::ActiveModel {
                id: Set(id),
                course_id: Set(course_id),
                position: Set(siblings.last().map_or(1, |m| m.position + 1)),
                title: Set(title.clone()),
                removed_at: Set(None),
            }
            .insert(&txn)
            .await?;
            json!({ "module": id, "op": "add", "title": title })
        }
        (Arrange::Save { title }, Some(m)) => {
            let before = m.title.clone();
            let mut am: course_module::ActiveModel = m.into();
            am.title = Set(title.clone());
            let m = am.update(&txn).await?;
            json!({ "module": m.id, "op": "rename", "from": before, "title": title })
        }
        (Arrange::Up | Arrange::Down, Some(m)) => {
            let pairs: Vec<(Uuid, i32)> = siblings.iter().map(|s| (s.id, s.position)).collect();
            if let Some(((a, pa), (b, pb))) = swap_with_neighbour(&pairs, m.id, op == Arrange::Up) {
                for (id, position) in [(a, pa), (b, pb)] {
                    course_module::Entity::update_many()
                        .col_expr(course_module::Column::Position, Expr::value(position))
                        .filter(course_module::Column::Id.eq(id))
                        .exec(&txn)
                        .await?;
                }
            }
            json!({ "module": m.id, "op": if op == Arrange::Up { "up" } else { "down" } })
        }
        (Arrange::Remove, Some(m)) => {
            let now = Utc::now();
            lesson::Entity::update_many()
                .col_expr(lesson::Column::RemovedAt, Expr::value(Some(now)))
                .filter(lesson::Column::ModuleId.eq(m.id))
                .filter(lesson::Column::RemovedAt.is_null())
                .exec(&txn)
                .await?;
            let mut am: course_module::ActiveModel = m.into();
            am.removed_at = Set(Some(now));
            let m = am.update(&txn).await?;
            json!({ "module": m.id, "op": "remove", "title": m.title })
        }
        (_, None) => return Err(AppError::NotFound),
    };
    touch(&txn, course_id).await?;
    crate::audit::Entry::new(me.id, AuditAction::CourseOutline)
        .on("course", course_id)
        .after(record)
        .record(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

async fn touch(db: &impl ConnectionTrait, course_id: Uuid) -> Result<(), AppError> {
    course::Entity::update_many()
        .col_expr(course::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(course::Column::Id.eq(course_id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn lesson(
    db: &impl ConnectionTrait,
    me: &SessionUser,
    id: Uuid,
) -> Result<LessonDto, AppError> {
    let l = lesson::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let c = find(db, l.course_id).await?;
    let access = Access::load(db, me).await?;
    if !access.can_see(&c) {
        return Err(AppError::NotFound);
    }
    let can_edit = access.can_edit(&c);
    let module_title = course_module::Entity::find_by_id(l.module_id)
        .one(db)
        .await?
        .map(|m| m.title)
        .unwrap_or_default();
    let order: Vec<Uuid> = outline(db, c.id)
        .await?
        .into_iter()
        .flat_map(|(_, ls)| ls.into_iter().map(|l| l.id))
        .collect();
    let at = order.iter().position(|x| *x == id);
    let has_course = crate::learning::progress::active_assignment(db, me.id, c.id)
        .await?
        .is_some();
    let done = has_course
        && crate::learning::progress::done_lessons(db, &[me.id], &[c.id])
            .await?
            .contains(&(me.id, id));
    Ok(LessonDto {
        attachments: super::attachments::of_lesson(db, l.id).await?,
        can_mark: has_course && l.removed_at.is_none(),
        done,
        id: l.id,
        course_id: c.id,
        module_id: l.module_id,
        course_title: c.title,
        module_title,
        html: super::markdown::to_safe_html(&l.body),
        body: can_edit.then_some(l.body),
        title: l.title,
        previous: at
            .and_then(|i| i.checked_sub(1))
            .and_then(|i| order.get(i).copied()),
        next: at.and_then(|i| order.get(i + 1).copied()),
        removed: l.removed_at.is_some(),
        can_edit,
    })
}

/// Creates (no `id`) or saves a lesson; returns (course, lesson).
pub async fn save_lesson(
    db: &DatabaseConnection,
    me: &SessionUser,
    module_id: Uuid,
    id: Option<Uuid>,
    title: &str,
    body: &str,
) -> Result<(Uuid, Uuid), AppError> {
    let (title, body) = validate::all((
        validate::text("title", title, limits::NAME),
        validate::optional_text("body", body, LESSON_MAX),
    ))?;
    let body = body.unwrap_or_default();
    let txn = db.begin().await?;
    let module = course_module::Entity::find_by_id(module_id)
        .filter(course_module::Column::RemovedAt.is_null())
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    editable(&txn, me, module.course_id).await?;
    let now = Utc::now();
    let (lesson_id, record) = match id {
        Some(id) => {
            let l = lesson::Entity::find_by_id(id)
                .filter(lesson::Column::CourseId.eq(module.course_id))
                .filter(lesson::Column::RemovedAt.is_null())
                .one(&txn)
                .await?
                .ok_or(AppError::NotFound)?;
            let before = l.title.clone();
            let mut am: lesson::ActiveModel = l.into();
            am.title = Set(title.clone());
            am.body = Set(body);
            am.updated_at = Set(now);
            am.update(&txn).await?;
            (
                id,
                json!({ "lesson": id, "op": "edit", "from": before, "title": title }),
            )
        }
        None => {
            let last = lesson::Entity::find()
                .filter(lesson::Column::ModuleId.eq(module_id))
                .order_by_desc(lesson::Column::Position)
                .one(&txn)
                .await?
                .map_or(0, |l| l.position);
            let id = Uuid::new_v4();
            lesson::ActiveModel {
                id: Set(id),
                course_id: Set(module.course_id),
                module_id: Set(module_id),
                position: Set(last + 1),
                title: Set(title.clone()),
                body: Set(body),
                updated_at: Set(now),
                removed_at: Set(None),
            }
            .insert(&txn)
            .await?;
            (id, json!({ "lesson": id, "op": "add", "title": title }))
        }
    };
    touch(&txn, module.course_id).await?;
    crate::audit::Entry::new(me.id, AuditAction::CourseOutline)
        .on("course", module.course_id)
        .after(record)
        .record(&txn)
        .await?;
    txn.commit().await?;
    Ok((module.course_id, lesson_id))
}

/// Moves or removes a lesson; returns its course.
pub async fn arrange_lesson(
    db: &DatabaseConnection,
    me: &SessionUser,
    id: Uuid,
    op: Arrange,
) -> Result<Uuid, AppError> {
    let txn = db.begin().await?;
    let l = lesson::Entity::find_by_id(id)
        .filter(lesson::Column::RemovedAt.is_null())
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let course_id = l.course_id;
    editable(&txn, me, course_id).await?;
    let record = match op {
        Arrange::Up | Arrange::Down => {
            let siblings: Vec<(Uuid, i32)> = lesson::Entity::find()
                .filter(lesson::Column::ModuleId.eq(l.module_id))
                .filter(lesson::Column::RemovedAt.is_null())
                .order_by_asc(lesson::Column::Position)
                .all(&txn)
                .await?
                .into_iter()
                .map(|s| (s.id, s.position))
                .collect();
            if let Some(((a, pa), (b, pb))) = swap_with_neighbour(&siblings, id, op == Arrange::Up)
            {
                for (id, position) in [(a, pa), (b, pb)] {
                    lesson::Entity::update_many()
                        .col_expr(lesson::Column::Position, Expr::value(position))
                        .filter(lesson::Column::Id.eq(id))
                        .exec(&txn)
                        .await?;
                }
            }
            json!({ "lesson": id, "op": if op == Arrange::Up { "up" } else { "down" } })
        }
        Arrange::Remove => {
            let title = l.title.clone();
            let mut am: lesson::ActiveModel = l.into();
            am.removed_at = Set(Some(Utc::now()));
            am.update(&txn).await?;
            json!({ "lesson": id, "op": "remove", "title": title })
        }
        Arrange::Save { .. } => return Err(AppError::NotFound),
    };
    touch(&txn, course_id).await?;
    crate::audit::Entry::new(me.id, AuditAction::CourseOutline)
        .on("course", course_id)
        .after(record)
        .record(&txn)
        .await?;
    txn.commit().await?;
    Ok(course_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbours_swap_places() {
        let [a, b, c] = [1, 2, 3].map(Uuid::from_u128);
        let list = [(a, 1), (b, 2), (c, 5)];
        assert_eq!(swap_with_neighbour(&list, b, true), Some(((b, 1), (a, 2))));
        assert_eq!(swap_with_neighbour(&list, b, false), Some(((b, 5), (c, 2))));
        assert_eq!(swap_with_neighbour(&list, a, true), None, "already first");
        assert_eq!(swap_with_neighbour(&list, c, false), None, "already last");
        assert_eq!(swap_with_neighbour(&list, Uuid::nil(), true), None);
        // Equal positions still change the order.
        let tied = [(a, 3), (b, 3)];
        assert_eq!(swap_with_neighbour(&tied, b, true), Some(((b, 2), (a, 3))));
    }
}
