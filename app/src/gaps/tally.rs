//! Gap tallies: one campaign's results summed per unit, position and competency.
//!
//! The heatmap, the priorities and the training plan only ever need these sums, so
//! they read a few thousand tally rows instead of 300,000 results, and the result
//! table needs no index beyond its key (each index made closing a survey slower).
//! A full recompute rebuilds a campaign's tallies; one person's recompute moves them
//! by the difference between that person's old and new results.

use std::collections::HashMap;

use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set};
use uuid::Uuid;

use crate::entities::{competency_result, gap_tally};
use crate::error::AppError;

/// Which tally a result counts in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub unit: Uuid,
    pub position: Uuid,
    pub competency: Uuid,
}

/// Sums over the people in one tally.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Sums {
    pub people: i32,
    pub with_gap: i32,
    pub gap: f64,
    pub weighted: f64,
}

impl Sums {
    fn add(&mut self, other: Sums, sign: i32) {
        let s = f64::from(sign);
        self.people += sign * other.people;
        self.with_gap += sign * other.with_gap;
        self.gap += s * other.gap;
        self.weighted += s * other.weighted;
    }

    fn is_zero(&self) -> bool {
        self.people == 0 && self.with_gap == 0 && self.gap == 0.0 && self.weighted == 0.0
    }
}

/// What one result adds to its tally: nothing when the person's position sets no
/// target for the competency (such a result has no gap to sum).
fn contribution(r: &competency_result::Model) -> Option<(Key, Sums)> {
    r.target_level?;
    Some((
        Key {
            unit: r.unit_id.unwrap_or_else(Uuid::nil),
            position: r.position_id.unwrap_or_else(Uuid::nil),
            competency: r.competency_id,
        },
        Sums {
            people: 1,
            with_gap: i32::from(r.gap >= 1.0),
            gap: r.gap,
            weighted: r.weighted_gap,
        },
    ))
}

/// The tallies of `rows`.
pub fn of(rows: &[competency_result::Model]) -> HashMap<Key, Sums> {
    difference(&[], rows)
}

/// What replacing `old` results by `new` ones changes in the tallies (keys whose
/// sums do not move are left out).
pub fn difference(
    old: &[competency_result::Model],
    new: &[competency_result::Model],
) -> HashMap<Key, Sums> {
    let mut out: HashMap<Key, Sums> = HashMap::new();
    for (rows, sign) in [(old, -1), (new, 1)] {
        for (key, sums) in rows.iter().filter_map(contribution) {
            out.entry(key).or_default().add(sums, sign);
        }
    }
    out.retain(|_, s| !s.is_zero());
    out
}

fn row(campaign: Uuid, key: Key, s: Sums) -> gap_tally::ActiveModel {
    gap_tally::ActiveModel {
        campaign_id: Set(campaign),
        unit_id: Set(key.unit),
        position_id: Set(key.position),
        competency_id: Set(key.competency),
        people: Set(s.people),
        with_gap: Set(s.with_gap),
        gap_sum: Set(s.gap),
        weighted_sum: Set(s.weighted),
    }
}

/// Replaces a campaign's tallies by those of `rows`, all of its results.
pub async fn rebuild(
    db: &impl ConnectionTrait,
    campaign: Uuid,
    rows: &[competency_result::Model],
) -> Result<(), AppError> {
    gap_tally::Entity::delete_many()
        .filter(gap_tally::Column::CampaignId.eq(campaign))
        .exec(db)
        .await?;
    let mut tallies: Vec<_> = of(rows).into_iter().collect();
    tallies.sort_by_key(|(k, _)| *k);
    let rows = tallies
        .into_iter()
        .map(|(k, s)| row(campaign, k, s))
        .collect();
    crate::common::bulk::insert_chunked(db, rows, 1_000).await?;
    Ok(())
}

/// Rebuilds a campaign's tallies from its stored results (after targets changed).
pub async fn refresh(db: &impl ConnectionTrait, campaign: Uuid) -> Result<(), AppError> {
    let rows = competency_result::Entity::find()
        .filter(competency_result::Column::CampaignId.eq(campaign))
        .all(db)
        .await?;
    rebuild(db, campaign, &rows).await
}

/// Moves a campaign's tallies from `old` results to `new` ones (the same people),
/// adding in the database so concurrent changes to one tally all count.
pub async fn shift(
    db: &impl ConnectionTrait,
    campaign: Uuid,
    old: &[competency_result::Model],
    new: &[competency_result::Model],
) -> Result<(), AppError> {
    let mut changes: Vec<_> = difference(old, new).into_iter().collect();
    if changes.is_empty() {
        return Ok(());
    }
    changes.sort_by_key(|(k, _)| *k);
    let added = |c: gap_tally::Column| {
        Expr::col((gap_tally::Entity, c)).add(Expr::col((Alias::new("excluded"), c)))
    };
    gap_tally::Entity::insert_many(changes.into_iter().map(|(k, s)| row(campaign, k, s)))
        .on_conflict(
            OnConflict::columns([
                gap_tally::Column::CampaignId,
                gap_tally::Column::UnitId,
                gap_tally::Column::PositionId,
                gap_tally::Column::CompetencyId,
            ])
            .values([
                (gap_tally::Column::People, added(gap_tally::Column::People)),
                (
                    gap_tally::Column::WithGap,
                    added(gap_tally::Column::WithGap),
                ),
                (gap_tally::Column::GapSum, added(gap_tally::Column::GapSum)),
                (
                    gap_tally::Column::WeightedSum,
                    added(gap_tally::Column::WeightedSum),
                ),
            ])
            .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Summed tallies of one campaign, grouped by `by` (for example unit and competency),
/// over the given units (all if `None`) and optionally one position. Only tallies
/// with people in them are returned.
pub fn select(
    campaign: Uuid,
    units: Option<Vec<Uuid>>,
    position: Option<Uuid>,
) -> sea_orm::Select<gap_tally::Entity> {
    let mut select = gap_tally::Entity::find()
        .select_only()
        .filter(gap_tally::Column::CampaignId.eq(campaign));
    if let Some(units) = units {
        select = select.filter(gap_tally::Column::UnitId.is_in(units));
    }
    if let Some(p) = position {
        select = select.filter(gap_tally::Column::PositionId.eq(p));
    }
    select
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn result(
        unit: u128,
        competency: u128,
        target: Option<i32>,
        gap: f64,
    ) -> competency_result::Model {
        competency_result::Model {
            campaign_id: Uuid::from_u128(1),
            person_id: Uuid::new_v4(),
            competency_id: Uuid::from_u128(competency),
            unit_id: (unit != 0).then(|| Uuid::from_u128(unit)),
            position_id: Some(Uuid::from_u128(7)),
            current: 3.0 - gap,
            self_level: None,
            manager_level: Some(3.0 - gap),
            peer_level: None,
            peer_count: 0,
            rater_count: 1,
            target_level: target,
            importance: 2,
            gap,
            weighted_gap: 2.0 * gap,
            discrepancy: false,
            test_level: None,
            test_share: None,
            test_questions: None,
            test_quiz_id: None,
            test_quiz_version: None,
            test_taken_at: None,
            computed_at: Utc::now(),
        }
    }

    fn key(unit: u128, competency: u128) -> Key {
        Key {
            unit: Uuid::from_u128(unit),
            position: Uuid::from_u128(7),
            competency: Uuid::from_u128(competency),
        }
    }

    #[test]
    fn sums_people_with_a_target_per_unit_position_and_competency() {
        let rows = [
            result(10, 100, Some(3), 1.5),
            result(10, 100, Some(3), 0.5),
            result(10, 200, Some(3), 1.0),
            result(20, 100, Some(3), 0.0),
            // No target: no gap to sum.
            result(20, 100, None, 0.0),
            // No unit: the nil id.
            result(0, 100, Some(4), 2.0),
        ];
        let t = of(&rows);
        assert_eq!(t.len(), 4);
        assert_eq!(
            t[&key(10, 100)],
            Sums {
                people: 2,
                with_gap: 1,
                gap: 2.0,
                weighted: 4.0
            }
        );
        assert_eq!(t[&key(10, 200)].with_gap, 1, "a gap of exactly 1 counts");
        assert_eq!(
            t[&key(20, 100)],
            Sums {
                people: 1,
                with_gap: 0,
                gap: 0.0,
                weighted: 0.0
            }
        );
        assert_eq!(t[&key(0, 100)].people, 1);
    }

    #[test]
    fn difference_moves_a_person_between_tallies_and_drops_what_does_not_move() {
        let before = [result(10, 100, Some(3), 1.5), result(10, 200, Some(3), 1.0)];
        let mut after = before.clone();
        // The first result improves; the second is unchanged.
        after[0].gap = 0.5;
        after[0].weighted_gap = 1.0;
        let d = difference(&before, &after);
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[&key(10, 100)],
            Sums {
                people: 0,
                with_gap: -1,
                gap: -1.0,
                weighted: -2.0
            }
        );
        // Moved to another unit: out of one tally, into the other.
        let mut moved = before.clone();
        moved[0].unit_id = Some(Uuid::from_u128(20));
        let d = difference(&before[..1], &moved[..1]);
        assert_eq!(d[&key(10, 100)].people, -1);
        assert_eq!(d[&key(20, 100)].people, 1);
        // The old tallies plus the difference are the new tallies.
        let mut sum = of(&before);
        for (k, s) in difference(&before, &moved) {
            sum.entry(k).or_default().add(s, 1);
        }
        sum.retain(|_, s| !s.is_zero());
        assert_eq!(sum, of(&moved));
    }
}
