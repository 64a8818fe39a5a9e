//! The before/after competency report: each competency's change between a
//! baseline campaign and its follow-up, for the same people, with the paired
//! statistics, the share whose gap closed, and how those who took a course
//! raising the competency in between changed against those who did not.
//!
//! Figures are the people's combined levels (the gap analysis's `current`), so
//! a follow-up measures the way its baseline did. A group under the follow-up
//! campaign's anonymity threshold gives its count and nothing else.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::prelude::Expr;
use sea_orm::sea_query::{Alias, Condition, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter};
use uuid::Uuid;

use super::service::{filters_and_units, ordered_competencies, pick, provenance, result_campaigns};
use super::sources::{Over, other_sources};
use super::{BeforeAfter, ChangeRow, CourseEffect, Filters, PeopleChange, PersonChange, ViewQuery};
use crate::auth::guard::SessionUser;
use crate::domain::{AssignmentStatus, CampaignState};
use crate::entities::{
    assignment, campaign, competency, competency_result, course, course_competency, org_unit,
    person,
};
use crate::error::AppError;
use crate::evaluation::stats;
use crate::state::AppState;

/// One person measured on one competency in both campaigns.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pair {
    /// The follow-up framework's competency.
    pub competency: Uuid,
    pub person: Uuid,
    pub before: f64,
    pub after: f64,
    pub gap_before: f64,
    pub gap_after: f64,
}

/// Of those with a gap at baseline, how many have none at the follow-up.
pub fn gap_closed(pairs: &[Pair]) -> (usize, usize) {
    let had: Vec<&Pair> = pairs.iter().filter(|p| p.gap_before > 0.0).collect();
    let closed = had.iter().filter(|p| p.gap_after <= 0.0).count();
    (closed, had.len())
}

/// Whether a course's takers and the rest of the row may be compared: both
/// groups at least `k` people (and someone in each). The two make up the row,
/// so neither follows from the other and the row's own figures.
pub fn comparison_shown(trained: usize, others: usize, k: usize) -> bool {
    trained >= k.max(1) && others >= k.max(1)
}

/// When a campaign's figures stand: its close, or now while it runs.
fn measured_at(c: &campaign::Model, now: DateTime<Utc>) -> DateTime<Utc> {
    match c.state {
        CampaignState::Closed => c.closed_at.unwrap_or(c.closes_at),
        _ => now,
    }
}

/// Everyone in `units` (where they sat at the follow-up) measured on the same
/// competency code in both campaigns: one join, so a 10,000-person office is
/// one round trip.
pub async fn measured_pairs(
    db: &impl ConnectionTrait,
    (before, after): (&campaign::Model, &campaign::Model),
    units: &[Uuid],
    position: Option<Uuid>,
) -> Result<Vec<Pair>, AppError> {
    use competency_result::Column as R;
    let (b, a, cb, ca) = (
        Alias::new("b"),
        Alias::new("a"),
        Alias::new("cb"),
        Alias::new("ca"),
    );
    // Driven by the follow-up's rows, each finds its baseline row by the
    // baseline's primary key (campaign, person, competency). Across framework
    // versions the baseline's competency is the one with the same code.
    let mut q = Query::select();
    q.column((a.clone(), R::CompetencyId))
        .column((a.clone(), R::PersonId))
        .column((b.clone(), R::Current))
        .column((a.clone(), R::Current))
        .column((b.clone(), R::Gap))
        .column((a.clone(), R::Gap))
        .from_as(competency_result::Entity, a.clone());
    let same_competency = if before.framework_id == after.framework_id {
        Expr::col((b.clone(), R::CompetencyId)).equals((a.clone(), R::CompetencyId))
    } else {
        q.join_as(
            JoinType::InnerJoin,
            competency::Entity,
            ca.clone(),
            Expr::col((ca.clone(), competency::Column::Id)).equals((a.clone(), R::CompetencyId)),
        )
        .join_as(
            JoinType::InnerJoin,
            competency::Entity,
            cb.clone(),
            Condition::all()
                .add(
                    Expr::col((cb.clone(), competency::Column::FrameworkId))
                        .eq(before.framework_id),
                )
                .add(
                    Expr::col((cb.clone(), competency::Column::Code))
                        .equals((ca, competency::Column::Code)),
                ),
        );
        Expr::col((b.clone(), R::CompetencyId)).equals((cb, competency::Column::Id))
    };
    q.join_as(
        JoinType::InnerJoin,
        competency_result::Entity,
        b.clone(),
        Condition::all()
            .add(Expr::col((b.clone(), R::CampaignId)).eq(before.id))
            .add(Expr::col((b.clone(), R::PersonId)).equals((a.clone(), R::PersonId)))
            .add(same_competency),
    )
    .and_where(Expr::col((a.clone(), R::CampaignId)).eq(after.id))
    .and_where(Expr::col((a.clone(), R::UnitId)).is_in(units.iter().copied()));
    if let Some(p) = position {
        q.and_where(Expr::col((a, R::PositionId)).eq(p));
    }
    db.query_all(&q)
        .await?
        .into_iter()
        .map(|row| {
            Ok(Pair {
                competency: row.try_get_by_index(0)?,
                person: row.try_get_by_index(1)?,
                before: row.try_get_by_index(2)?,
                after: row.try_get_by_index(3)?,
                gap_before: row.try_get_by_index(4)?,
                gap_after: row.try_get_by_index(5)?,
            })
        })
        .collect::<Result<_, sea_orm::DbErr>>()
        .map_err(AppError::from)
}

/// The courses raising each code, and who among `people` completed each of them
/// in `window`: code → [(course, people)].
async fn trained_between(
    db: &impl ConnectionTrait,
    codes: &[String],
    people: &HashSet<Uuid>,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
) -> Result<HashMap<String, Vec<(course::Model, HashSet<Uuid>)>>, AppError> {
    let raises = course_competency::Entity::find()
        .filter(course_competency::Column::Code.is_in(codes.iter().cloned()))
        .all(db)
        .await?;
    let course_ids: HashSet<Uuid> = raises.iter().map(|r| r.course_id).collect();
    let courses: HashMap<Uuid, course::Model> = course::Entity::find()
        .filter(course::Column::Id.is_in(course_ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let mut took: HashMap<Uuid, HashSet<Uuid>> = HashMap::new();
    for a in assignment::Entity::find()
        .filter(assignment::Column::Status.eq(AssignmentStatus::Completed))
        .filter(assignment::Column::CourseId.is_in(course_ids.iter().copied()))
        .filter(assignment::Column::CompletedAt.gt(from))
        .filter(assignment::Column::CompletedAt.lte(to))
        .all(db)
        .await?
    {
        if people.contains(&a.person_id) {
            took.entry(a.course_id).or_default().insert(a.person_id);
        }
    }
    let mut out: HashMap<String, Vec<(course::Model, HashSet<Uuid>)>> = HashMap::new();
    for r in raises {
        if let (Some(c), Some(who)) = (courses.get(&r.course_id), took.get(&r.course_id)) {
            out.entry(r.code)
                .or_default()
                .push((c.clone(), who.clone()));
        }
    }
    for list in out.values_mut() {
        list.sort_by(|x, y| {
            y.1.len()
                .cmp(&x.1.len())
                .then_with(|| x.0.code.cmp(&y.0.code))
        });
    }
    Ok(out)
}

/// One competency's row from its pairs and the courses that raise it.
fn row(
    (code, name): (String, String),
    pairs: &[Pair],
    courses: &[(course::Model, HashSet<Uuid>)],
    k: usize,
) -> ChangeRow {
    let n = pairs.len();
    if n == 0 || n < k {
        return ChangeRow {
            code,
            competency: name,
            n,
            paired: None,
            gap_closed: None,
            courses: Vec::new(),
            sources: Vec::new(),
        };
    }
    let paired = stats::paired(
        &pairs
            .iter()
            .map(|p| (p.before, p.after))
            .collect::<Vec<_>>(),
    );
    let effects = courses
        .iter()
        .map(|(c, who)| {
            let (took, not): (Vec<&Pair>, Vec<&Pair>) =
                pairs.iter().partition(|p| who.contains(&p.person));
            let change = |group: Vec<&Pair>| -> Vec<f64> {
                group.into_iter().map(|p| p.after - p.before).collect()
            };
            let (trained, untrained) = (change(took), change(not));
            let shown = comparison_shown(trained.len(), untrained.len(), k);
            CourseEffect {
                course_id: c.id,
                code: c.code.clone(),
                title: c.title.clone(),
                trained: trained.len(),
                untrained: untrained.len(),
                groups: shown
                    .then(|| stats::two_groups(&trained, &untrained))
                    .flatten(),
            }
        })
        .filter(|e| e.trained > 0)
        .collect();
    ChangeRow {
        code,
        competency: name,
        n,
        paired,
        gap_closed: Some(gap_closed(pairs)),
        courses: effects,
        sources: Vec::new(),
    }
}

/// What a view compares: the filter choices, the units it covers, and the
/// follow-up campaign (by default the newest) with its baseline.
struct Chosen {
    filters: Filters,
    units: Vec<(usize, org_unit::Model)>,
    /// (baseline, follow-up); `None` while there is no follow-up.
    campaigns: Option<(campaign::Model, campaign::Model)>,
}

async fn chosen(state: &AppState, me: &SessionUser, q: &ViewQuery) -> Result<Chosen, AppError> {
    let db = &state.db;
    let follow_ups: Vec<campaign::Model> = result_campaigns(db)
        .await?
        .into_iter()
        .filter(|c| c.follow_up_of.is_some())
        .collect();
    let (filters, units) = filters_and_units(state, me, q, &follow_ups).await?;
    let Some(after) = pick(&follow_ups, q.campaign).cloned() else {
        if q.campaign.is_some() {
            return Err(AppError::NotFound);
        }
        return Ok(Chosen {
            filters,
            units,
            campaigns: None,
        });
    };
    let before = campaign::Entity::find_by_id(after.follow_up_of.unwrap_or_default())
        .one(db)
        .await?;
    Ok(Chosen {
        filters,
        units,
        campaigns: before.map(|b| (b, after)),
    })
}

/// The report for a follow-up campaign (by default the newest), over the
/// caller's units or the one chosen.
pub async fn before_after(
    state: &AppState,
    me: &SessionUser,
    q: &ViewQuery,
) -> Result<BeforeAfter, AppError> {
    let db = &state.db;
    let Chosen {
        filters,
        units,
        campaigns,
    } = chosen(state, me, q).await?;
    let Some((before, after)) = campaigns else {
        return Ok(BeforeAfter {
            provenance: None,
            baseline: None,
            filters,
            scope: None,
            rows: Vec::new(),
        });
    };
    let scope = q
        .unit
        .and_then(|u| units.iter().find(|(_, x)| x.id == u))
        .map(|(_, u)| u.name.clone())
        // A manager of one unit reads its name rather than "all your units".
        .or_else(|| match units.as_slice() {
            [(_, only)] => Some(only.name.clone()),
            _ => None,
        });
    let unit_ids: Vec<Uuid> = units.iter().map(|(_, u)| u.id).collect();
    let pairs = measured_pairs(db, (&before, &after), &unit_ids, q.position).await?;
    let competencies = ordered_competencies(db, after.framework_id).await?;
    let people: HashSet<Uuid> = pairs.iter().map(|p| p.person).collect();
    let codes: Vec<String> = competencies.iter().map(|c| c.1.clone()).collect();
    let mut courses = trained_between(db, &codes, &people, window(&before, &after)).await?;
    let mut by_competency: HashMap<Uuid, Vec<Pair>> = HashMap::new();
    for p in pairs {
        by_competency.entry(p.competency).or_default().push(p);
    }
    let k = usize::try_from(after.anonymity_threshold).unwrap_or(3);
    let over = Over {
        baseline: (before.id, before.framework_id),
        since: window(&before, &after).0,
        units: &unit_ids,
        position: q.position,
        discrepancy_threshold: after.discrepancy_threshold,
        k,
    };
    let mut others = other_sources(state, &over, &codes).await?;
    let rows = competencies
        .into_iter()
        .map(|(id, code, name, _)| {
            let raising = courses.remove(&code).unwrap_or_default();
            let pairs = by_competency.remove(&id).unwrap_or_default();
            let sources = others.remove(&code).unwrap_or_default();
            ChangeRow {
                sources,
                ..row((code, name), &pairs, &raising, k)
            }
        })
        .collect();
    Ok(BeforeAfter {
        provenance: Some(provenance(db, state, &after).await?),
        baseline: Some(provenance(db, state, &before).await?),
        filters,
        scope,
        rows,
    })
}

/// From the baseline's figures to the follow-up's.
fn window(before: &campaign::Model, after: &campaign::Model) -> (DateTime<Utc>, DateTime<Utc>) {
    let now = Utc::now();
    (measured_at(before, now), measured_at(after, now))
}

/// People per page of the report's people.
pub const PEOPLE_PAGE: usize = 50;

/// Each person's change over the competencies measured in both campaigns, by
/// name: one page of them, or (for the export) everyone with `page` `None`.
pub async fn people(
    state: &AppState,
    me: &SessionUser,
    q: &ViewQuery,
    page: Option<u64>,
) -> Result<PeopleChange, AppError> {
    let db = &state.db;
    let Chosen {
        units, campaigns, ..
    } = chosen(state, me, q).await?;
    let Some((before, after)) = campaigns else {
        return Ok(PeopleChange {
            rows: Vec::new(),
            total: 0,
            page: 1,
            pages: 1,
        });
    };
    let unit_ids: Vec<Uuid> = units.iter().map(|(_, u)| u.id).collect();
    let mut by_person: HashMap<Uuid, Vec<Pair>> = HashMap::new();
    for p in measured_pairs(db, (&before, &after), &unit_ids, q.position).await? {
        by_person.entry(p.person).or_default().push(p);
    }
    let ids: Vec<Uuid> = by_person.keys().copied().collect();
    let mut everyone: Vec<person::Model> = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        everyone.extend(
            person::Entity::find()
                .filter(person::Column::Id.is_in(chunk.iter().copied()))
                .all(db)
                .await?,
        );
    }
    everyone.sort_by(|a, b| {
        a.name_key
            .cmp(&b.name_key)
            .then(a.employee_no.cmp(&b.employee_no))
    });
    let total = everyone.len();
    let (page, pages, shown) = match page {
        Some(p) => {
            let pages = total.div_ceil(PEOPLE_PAGE).max(1);
            let p = usize::try_from(p).unwrap_or(1).clamp(1, pages);
            let shown: Vec<person::Model> = everyone
                .into_iter()
                .skip((p - 1) * PEOPLE_PAGE)
                .take(PEOPLE_PAGE)
                .collect();
            (p, pages, shown)
        }
        None => (1, 1, everyone),
    };
    let codes: HashMap<Uuid, String> = ordered_competencies(db, after.framework_id)
        .await?
        .into_iter()
        .map(|(id, code, _, _)| (id, code))
        .collect();
    let who: HashSet<Uuid> = shown.iter().map(|p| p.id).collect();
    let all_codes: Vec<String> = codes.values().cloned().collect();
    let courses = trained_between(db, &all_codes, &who, window(&before, &after)).await?;
    let unit_names: HashMap<Uuid, String> =
        units.into_iter().map(|(_, u)| (u.id, u.name)).collect();
    let rows = shown
        .into_iter()
        .map(|p| {
            let pairs = by_person.remove(&p.id).unwrap_or_default();
            let n = pairs.len().max(1) as f64;
            let mut took: Vec<String> = pairs
                .iter()
                .filter_map(|x| codes.get(&x.competency))
                .flat_map(|code| courses.get(code).into_iter().flatten())
                .filter(|(_, people)| people.contains(&p.id))
                .map(|(c, _)| c.code.clone())
                .collect();
            took.sort();
            took.dedup();
            PersonChange {
                person_id: p.id,
                employee_no: p.employee_no,
                name: p.name,
                unit: p
                    .unit_id
                    .and_then(|u| unit_names.get(&u).cloned())
                    .unwrap_or_default(),
                n: pairs.len(),
                mean_before: pairs.iter().map(|x| x.before).sum::<f64>() / n,
                mean_after: pairs.iter().map(|x| x.after).sum::<f64>() / n,
                gap_closed: gap_closed(&pairs),
                courses: took,
            }
        })
        .collect();
    Ok(PeopleChange {
        rows,
        total: total as u64,
        page: page as u64,
        pages: pages as u64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(gap_before: f64, gap_after: f64) -> Pair {
        Pair {
            competency: Uuid::nil(),
            person: Uuid::new_v4(),
            before: 0.0,
            after: 0.0,
            gap_before,
            gap_after,
        }
    }

    #[test]
    fn a_gap_closes_only_if_there_was_one() {
        let pairs = [
            pair(1.0, 0.0),
            pair(0.5, 0.2),
            pair(0.0, 0.0),
            pair(0.0, 0.5),
            pair(2.0, 0.0),
        ];
        assert_eq!(gap_closed(&pairs), (2, 3));
        assert_eq!(gap_closed(&[]), (0, 0));
    }

    #[test]
    fn a_comparison_needs_both_groups_at_the_threshold() {
        assert!(comparison_shown(4, 6, 3));
        assert!(comparison_shown(3, 3, 3));
        assert!(!comparison_shown(2, 8, 3));
        assert!(!comparison_shown(8, 2, 3));
        // A threshold of 0 or 1 still needs someone in each group.
        assert!(!comparison_shown(0, 3, 0));
        assert!(comparison_shown(1, 1, 1));
    }
}
