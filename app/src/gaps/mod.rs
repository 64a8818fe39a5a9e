//! Gap analysis: each person's current level per competency (combined from the
//! submitted ratings), the gap to their position's target, and the views over it:
//! the person page, the unit heatmap, the organisation's priorities, and the
//! before/after report of a follow-up campaign against its baseline.

pub mod calc;
#[cfg(feature = "ssr")]
pub mod change;
pub mod change_pages;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod sources;
#[cfg(feature = "ssr")]
pub mod tally;
#[cfg(feature = "ssr")]
pub mod transfer;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::Role;
use crate::common::parse_id;
use crate::error::AppError;
use crate::evaluation::figures::{Paired, TwoGroups};

/// Who reads unit-level views: managers (their subtree), trainers and admins.
pub const ANALYSTS: &[Role] = &[Role::Admin, Role::Trainer, Role::Manager];

#[cfg(feature = "ssr")]
pub struct Analysts;
#[cfg(feature = "ssr")]
impl crate::common::web::RoleSet for Analysts {
    const ROLES: &'static [Role] = ANALYSTS;
}

/// Where a set of figures comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    pub campaign_id: Uuid,
    pub campaign: String,
    /// Local date the campaign closed, or opened if it is still running.
    pub date: String,
    pub closed: bool,
    pub framework: String,
    pub framework_version: i32,
    pub anonymity_threshold: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignOption {
    pub id: Uuid,
    pub title: String,
    pub date: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonGapRow {
    pub code: String,
    pub competency: String,
    pub domain: String,
    pub current: f64,
    pub target: Option<u8>,
    pub importance: u8,
    pub gap: f64,
    pub weighted_gap: f64,
    pub self_level: Option<f64>,
    /// Mean of the others' ratings (manager and, if enough of them, peers).
    pub others_level: Option<f64>,
    /// Which sources went in, e.g. `["manager", "self"]`.
    pub sources: Vec<String>,
    pub raters: i32,
    pub peers: i32,
    pub discrepancy: bool,
    /// The quiz results behind the test level, when the campaign weighs them.
    pub test: Option<TestSource>,
    /// A behaviour follow-up answered after the campaign closed.
    pub newer: Option<crate::evaluation::behaviour::BehaviourSource>,
}

/// Where a test level came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestSource {
    pub level: f64,
    /// Percent of the competency's marks earned.
    pub percent: f64,
    pub questions: i32,
    pub quiz: String,
    pub quiz_version: i32,
    /// Local date the attempt was submitted.
    pub date: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonGaps {
    pub person_id: Uuid,
    pub name: String,
    pub employee_no: String,
    pub unit: String,
    pub position: String,
    pub provenance: Option<Provenance>,
    pub campaigns: Vec<CampaignOption>,
    pub rows: Vec<PersonGapRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeatCell {
    /// `None` when suppressed (fewer people than the anonymity threshold) or empty.
    pub mean_gap: Option<f64>,
    pub n: u64,
    pub suppressed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeatRow {
    pub unit_id: Uuid,
    pub unit: String,
    pub depth: usize,
    pub cells: Vec<HeatCell>,
}

/// Filter choices shown above every unit-level view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Filters {
    pub campaigns: Vec<CampaignOption>,
    /// (id, name, depth) of the units the caller may see.
    pub units: Vec<(Uuid, String, usize)>,
    pub positions: Vec<(Uuid, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Heatmap {
    pub provenance: Option<Provenance>,
    pub filters: Filters,
    /// (code, name) per column.
    pub competencies: Vec<(String, String)>,
    pub rows: Vec<HeatRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PriorityRow {
    pub code: String,
    pub competency: String,
    pub domain: String,
    /// People whose gap is at least one level.
    pub people_with_gap: u64,
    pub summed_weighted_gap: f64,
    pub mean_gap: f64,
    pub n: u64,
    pub suppressed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Priorities {
    pub provenance: Option<Provenance>,
    pub filters: Filters,
    pub rows: Vec<PriorityRow>,
}

/// How those who took one course raising a competency between the two
/// campaigns changed, against the others measured on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CourseEffect {
    pub course_id: Uuid,
    pub code: String,
    pub title: String,
    /// Measured people who completed the course between the campaigns.
    pub trained: usize,
    /// Measured people who did not complete it (in that time).
    pub untrained: usize,
    /// Trained minus untrained change scores; `None` when either group is
    /// under the anonymity threshold.
    pub groups: Option<TwoGroups>,
}

/// A source of change beside the two surveys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ChangeSource {
    /// Behaviour follow-ups answered after the baseline, against the baseline
    /// level (levels 1–5).
    FollowUps,
    /// A course's pre-test against its post-test on the competency's questions
    /// (percent of the marks).
    Quizzes,
}

/// One source's change on a competency, over the people it measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceRow {
    pub source: ChangeSource,
    pub n: usize,
    /// `None` when `n` is under the anonymity threshold.
    pub paired: Option<Paired>,
}

/// One competency's change for the people measured in both campaigns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeRow {
    pub code: String,
    pub competency: String,
    /// People measured in both campaigns.
    pub n: usize,
    /// `None` when nobody was measured twice or `n` is under the threshold.
    pub paired: Option<Paired>,
    /// (closed, had a gap at baseline); `None` when suppressed.
    pub gap_closed: Option<(usize, usize)>,
    pub courses: Vec<CourseEffect>,
    /// Follow-ups and quizzes on the same competency, each with someone in it.
    pub sources: Vec<SourceRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BeforeAfter {
    /// The follow-up campaign; `None` when there is none yet.
    pub provenance: Option<Provenance>,
    pub baseline: Option<Provenance>,
    /// Follow-up campaigns only.
    pub filters: Filters,
    /// The chosen unit's name, or the caller's only unit's; `None` for several.
    pub scope: Option<String>,
    pub rows: Vec<ChangeRow>,
}

/// One person's change over the competencies measured in both campaigns. A
/// person's own row is not a group: it goes to those who may see the person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonChange {
    pub person_id: Uuid,
    pub employee_no: String,
    pub name: String,
    pub unit: String,
    /// Competencies measured in both campaigns.
    pub n: usize,
    pub mean_before: f64,
    pub mean_after: f64,
    /// (closed, had a gap at baseline).
    pub gap_closed: (usize, usize),
    /// Codes of the courses raising a measured competency that they completed
    /// between the campaigns.
    pub courses: Vec<String>,
}

/// The report's people, a page at a time, by name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeopleChange {
    pub rows: Vec<PersonChange>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
}

impl BeforeAfter {
    /// The follow-up's anonymity threshold.
    pub fn threshold(&self) -> usize {
        self.provenance
            .as_ref()
            .map_or(3, |p| usize::try_from(p.anonymity_threshold).unwrap_or(3))
    }
}

/// What a unit-level view is asked for; all optional, blank meaning "any".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ViewQuery {
    pub campaign: Option<Uuid>,
    pub unit: Option<Uuid>,
    pub position: Option<Uuid>,
}

impl ViewQuery {
    pub fn parse(
        campaign: Option<&str>,
        unit: Option<&str>,
        position: Option<&str>,
    ) -> Result<Self, AppError> {
        Ok(Self {
            campaign: parse_id("campaign", campaign)?,
            unit: parse_id("unit", unit)?,
            position: parse_id("position", position)?,
        })
    }

    /// The query string that reproduces this view (for links and exports).
    pub fn query_string(&self) -> String {
        let id = |v: Option<Uuid>| v.map(|u| u.to_string()).unwrap_or_default();
        format!(
            "campaign={}&unit={}&position={}",
            id(self.campaign),
            id(self.unit),
            id(self.position)
        )
    }
}

/// Each person's change between a follow-up campaign and its baseline.
#[server(prefix = "/api", endpoint = "gaps/before-after/people")]
pub async fn before_after_people(
    campaign: Option<String>,
    unit: Option<String>,
    position: Option<String>,
    page: Option<u64>,
) -> Result<PeopleChange, AppError> {
    crate::auth::guard::any_role(ANALYSTS, |ctx, me| async move {
        let q = ViewQuery::parse(campaign.as_deref(), unit.as_deref(), position.as_deref())?;
        change::people(&ctx.state, &me, &q, Some(page.unwrap_or(1).max(1))).await
    })
    .await
}

/// A person's gaps: their own, or (for managers, trainers, admins) someone they may see.
#[server(prefix = "/api", endpoint = "gaps/person")]
pub async fn load_person_gaps(
    person: Option<String>,
    campaign: Option<String>,
) -> Result<PersonGaps, AppError> {
    crate::auth::guard::signed_in(|ctx, me| async move {
        let person = parse_id("person", person.as_deref())?.unwrap_or(me.id);
        let campaign = parse_id("campaign", campaign.as_deref())?;
        service::person_gaps(&ctx.state, &me, person, campaign).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "gaps/heatmap")]
pub async fn unit_heatmap(
    campaign: Option<String>,
    unit: Option<String>,
    position: Option<String>,
) -> Result<Heatmap, AppError> {
    crate::auth::guard::any_role(ANALYSTS, |ctx, me| async move {
        let q = ViewQuery::parse(campaign.as_deref(), unit.as_deref(), position.as_deref())?;
        service::heatmap(&ctx.state, &me, &q).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "gaps/priorities")]
pub async fn org_priorities(
    campaign: Option<String>,
    unit: Option<String>,
    position: Option<String>,
) -> Result<Priorities, AppError> {
    crate::auth::guard::any_role(ANALYSTS, |ctx, me| async move {
        let q = ViewQuery::parse(campaign.as_deref(), unit.as_deref(), position.as_deref())?;
        service::priorities(&ctx.state, &me, &q).await
    })
    .await
}

/// Competency change between a follow-up campaign and its baseline.
#[server(prefix = "/api", endpoint = "gaps/before-after")]
pub async fn before_after_report(
    campaign: Option<String>,
    unit: Option<String>,
    position: Option<String>,
) -> Result<BeforeAfter, AppError> {
    crate::auth::guard::any_role(ANALYSTS, |ctx, me| async move {
        let q = ViewQuery::parse(campaign.as_deref(), unit.as_deref(), position.as_deref())?;
        change::before_after(&ctx.state, &me, &q).await
    })
    .await
}
