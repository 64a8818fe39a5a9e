//! The home page: what each role should look at or do next.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::auth::Role;
use crate::components::{Loaded, Page};
use crate::domain::AuditAction;
use crate::error::AppError;
use crate::i18n::*;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub name: String,
    pub unit: Option<String>,
    pub position: Option<String>,
    pub manager: Option<String>,
    pub roles: Vec<Role>,
    pub admin: Option<AdminSummary>,
    pub team: Option<TeamSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminSummary {
    pub people: u64,
    pub units: u64,
    pub positions: u64,
    pub without_password: u64,
    pub recent_changes: Vec<AuditRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub at: String,
    pub actor: Option<String>,
    pub action: AuditAction,
}

/// People a manager (their subtree) or trainer (everyone) looks after, per unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamSummary {
    pub people: u64,
    pub by_unit: Vec<(String, u64)>,
}

#[server(prefix = "/api", endpoint = "dashboard")]
pub async fn load_dashboard() -> Result<Dashboard, AppError> {
    crate::auth::guard::signed_in(|ctx, me| async move { ssr::dashboard(&ctx.state, &me).await })
        .await
}

#[cfg(feature = "ssr")]
mod ssr {
    use std::collections::{BTreeMap, HashMap};

    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    use sea_orm::{
        ColumnTrait, DbBackend, EntityTrait, FromQueryResult, JoinType, PaginatorTrait,
        QueryFilter, QueryOrder, QuerySelect, Statement,
    };

    use super::*;
    use crate::auth::guard::SessionUser;
    use crate::entities::{audit_log, org_unit, person, position};
    use crate::org::visibility::{sees_everyone, subtree_in_sql};
    use crate::state::AppState;

    // A page view costs one query per figure; keep them few (see README, Performance).
    pub async fn dashboard(state: &AppState, me: &SessionUser) -> Result<Dashboard, AppError> {
        let db = &state.db;
        let admin = if me.has(Role::Admin) {
            let recent = audit_log::Entity::find()
                .order_by_desc(audit_log::Column::At)
                .limit(8)
                .all(db)
                .await?;
            let actor_ids: Vec<_> = recent.iter().filter_map(|r| r.actor_id).collect();
            let actors: HashMap<_, _> = person::Entity::find()
                .filter(person::Column::Id.is_in(actor_ids))
                .all(db)
                .await?
                .into_iter()
                .map(|p| (p.id, p.name))
                .collect();
            let tz = state.settings.timezone;
            Some(AdminSummary {
                people: person::Entity::find()
                    .filter(person::Column::Active.eq(true))
                    .count(db)
                    .await?,
                units: org_unit::Entity::find()
                    .filter(org_unit::Column::Active.eq(true))
                    .count(db)
                    .await?,
                positions: position::Entity::find()
                    .filter(position::Column::Active.eq(true))
                    .count(db)
                    .await?,
                without_password: person::Entity::find()
                    .filter(person::Column::Active.eq(true))
                    .filter(person::Column::PasswordHash.is_null())
                    .count(db)
                    .await?,
                recent_changes: recent
                    .into_iter()
                    .map(|r| AuditRow {
                        at: crate::common::clock::shown(tz, r.at),
                        actor: r.actor_id.and_then(|a| actors.get(&a).cloned()),
                        action: r.action,
                    })
                    .collect(),
            })
        } else {
            None
        };

        let team = if me.has_any(&[Role::Manager, Role::Trainer]) {
            let statement = team_counts(me, db.get_database_backend());
            let mut by_unit: BTreeMap<String, u64> = BTreeMap::new();
            let mut total = 0;
            for row in UnitCount::find_by_statement(statement).all(db).await? {
                let n = u64::try_from(row.n).unwrap_or(0);
                total += n;
                *by_unit.entry(row.unit.unwrap_or_default()).or_insert(0) += n;
            }
            Some(TeamSummary {
                people: total,
                by_unit: by_unit.into_iter().collect(),
            })
        } else {
            None
        };

        // Name, unit, position and manager came with the session.
        Ok(Dashboard {
            name: me.name.clone(),
            unit: me.placement.unit.clone(),
            position: me.placement.position.clone(),
            manager: me.placement.manager.clone(),
            roles: me.roles.clone(),
            admin,
            team,
        })
    }

    #[derive(Debug, FromQueryResult)]
    struct UnitCount {
        unit: Option<String>,
        n: i64,
    }

    /// Active people per unit name, without `me`: everyone, or a manager's scope (the
    /// subtree under their unit, walked by the database, plus their direct reports).
    /// One query, so the units need not be loaded to work out the subtree.
    fn team_counts(me: &SessionUser, backend: DbBackend) -> Statement {
        let unit_of_person = || (person::Entity, person::Column::UnitId);
        let mut counts = Query::select();
        counts
            .expr_as(Expr::col(("u", org_unit::Column::Name)), "unit")
            .expr_as(Expr::col((person::Entity, person::Column::Id)).count(), "n")
            .from(person::Entity)
            .join_as(
                JoinType::LeftJoin,
                org_unit::Entity,
                "u",
                Expr::col(("u", org_unit::Column::Id)).equals(unit_of_person()),
            )
            .and_where(Expr::col((person::Entity, person::Column::Active)).eq(true))
            .and_where(Expr::col((person::Entity, person::Column::Id)).ne(me.id))
            .group_by_col(unit_of_person())
            .group_by_col(("u", org_unit::Column::Name));
        if sees_everyone(me) {
            return backend.build(&counts);
        }
        let (with, people) = subtree_in_sql(me);
        counts.cond_where(people);
        backend.build(&counts.with(with))
    }
}

/// The audit log's actions in words. Exhaustive: a new action without its words
/// does not compile.
pub fn action_text(i18n: leptos_i18n::I18nContext<Locale>, action: AuditAction) -> &'static str {
    match action {
        AuditAction::OrgSetup => t_string!(i18n, audit.org_setup),
        AuditAction::PasswordChange => t_string!(i18n, audit.password_change),
        AuditAction::PersonCreate => t_string!(i18n, audit.person_create),
        AuditAction::PersonCreateAdmin => t_string!(i18n, audit.person_create_admin),
        AuditAction::PersonUpdate => t_string!(i18n, audit.person_update),
        AuditAction::PersonSetActive => t_string!(i18n, audit.person_set_active),
        AuditAction::PersonResetPassword => t_string!(i18n, audit.person_reset_password),
        AuditAction::UnitCreate => t_string!(i18n, audit.unit_create),
        AuditAction::UnitUpdate => t_string!(i18n, audit.unit_update),
        AuditAction::UnitSetActive => t_string!(i18n, audit.unit_set_active),
        AuditAction::PositionCreate => t_string!(i18n, audit.position_create),
        AuditAction::PositionUpdate => t_string!(i18n, audit.position_update),
        AuditAction::PositionSetActive => t_string!(i18n, audit.position_set_active),
        AuditAction::RosterImport => t_string!(i18n, audit.roster_import),
        AuditAction::FrameworkCreate => t_string!(i18n, audit.framework_create),
        AuditAction::FrameworkUpdate => t_string!(i18n, audit.framework_update),
        AuditAction::FrameworkVersion => t_string!(i18n, audit.framework_version),
        AuditAction::FrameworkArchive => t_string!(i18n, audit.framework_archive),
        AuditAction::FrameworkRestore => t_string!(i18n, audit.framework_restore),
        AuditAction::FrameworkArrange => t_string!(i18n, audit.framework_arrange),
        AuditAction::FrameworkImport => t_string!(i18n, audit.framework_import),
        AuditAction::DomainCreate => t_string!(i18n, audit.domain_create),
        AuditAction::DomainUpdate => t_string!(i18n, audit.domain_update),
        AuditAction::CompetencyCreate => t_string!(i18n, audit.competency_create),
        AuditAction::CompetencyUpdate => t_string!(i18n, audit.competency_update),
        AuditAction::TargetUpdate => t_string!(i18n, audit.target_update),
        AuditAction::TargetCopy => t_string!(i18n, audit.target_copy),
        AuditAction::CampaignCreate => t_string!(i18n, audit.campaign_create),
        AuditAction::CampaignUpdate => t_string!(i18n, audit.campaign_update),
        AuditAction::CampaignAudienceAdd => t_string!(i18n, audit.campaign_audience_add),
        AuditAction::CampaignAudienceRemove => t_string!(i18n, audit.campaign_audience_remove),
        AuditAction::CampaignItemAdd => t_string!(i18n, audit.campaign_item_add),
        AuditAction::CampaignItemRemove => t_string!(i18n, audit.campaign_item_remove),
        AuditAction::CampaignOpen => t_string!(i18n, audit.campaign_open),
        AuditAction::CampaignClose => t_string!(i18n, audit.campaign_close),
        AuditAction::CampaignRemind => t_string!(i18n, audit.campaign_remind),
        AuditAction::CampaignNominate => t_string!(i18n, audit.campaign_nominate),
        AuditAction::RatingSubmit => t_string!(i18n, audit.rating_submit),
        AuditAction::SignInFailed => t_string!(i18n, audit.sign_in_failed),
        AuditAction::SignInLocked => t_string!(i18n, audit.sign_in_locked),
        AuditAction::PersonUnlock => t_string!(i18n, audit.person_unlock),
        AuditAction::ExportCsv => t_string!(i18n, audit.export_csv),
        AuditAction::SessionEnd => t_string!(i18n, audit.session_end),
        AuditAction::CourseCreate => t_string!(i18n, audit.course_create),
        AuditAction::CourseUpdate => t_string!(i18n, audit.course_update),
        AuditAction::CourseState => t_string!(i18n, audit.course_state),
        AuditAction::CourseOutline => t_string!(i18n, audit.course_outline),
        AuditAction::CourseCompetencies => t_string!(i18n, audit.course_competencies),
        AuditAction::ProposalRegenerate => t_string!(i18n, audit.proposal_regenerate),
        AuditAction::ProposalDecide => t_string!(i18n, audit.proposal_decide),
        AuditAction::CourseEnrol => t_string!(i18n, audit.course_enrol),
        AuditAction::CourseComplete => t_string!(i18n, audit.course_complete),
        AuditAction::AssignmentCreate => t_string!(i18n, audit.assignment_create),
        AuditAction::AssignmentUpdate => t_string!(i18n, audit.assignment_update),
        AuditAction::SessionCreate => t_string!(i18n, audit.session_create),
        AuditAction::SessionEnrol => t_string!(i18n, audit.session_enrol),
        AuditAction::SessionAttendance => t_string!(i18n, audit.session_attendance),
        AuditAction::SettingsUpdate => t_string!(i18n, audit.settings_update),
        AuditAction::SessionUpdate => t_string!(i18n, audit.session_update),
        AuditAction::SessionCancel => t_string!(i18n, audit.session_cancel),
        AuditAction::PlanGenerate => t_string!(i18n, audit.plan_generate),
        AuditAction::PlanUpdate => t_string!(i18n, audit.plan_update),
        AuditAction::PlanState => t_string!(i18n, audit.plan_state),
        AuditAction::QuestionImport => t_string!(i18n, audit.question_import),
        AuditAction::QuestionArchive => t_string!(i18n, audit.question_archive),
        AuditAction::QuestionRestore => t_string!(i18n, audit.question_restore),
        AuditAction::QuizCreate => t_string!(i18n, audit.quiz_create),
        AuditAction::QuizUpdate => t_string!(i18n, audit.quiz_update),
        AuditAction::AttemptGrade => t_string!(i18n, audit.attempt_grade),
        AuditAction::QuestionEdit => t_string!(i18n, audit.question_edit),
        AuditAction::QuestionRegrade => t_string!(i18n, audit.question_regrade),
        AuditAction::ReactionForm => t_string!(i18n, audit.reaction_form),
        AuditAction::IndicatorsSave => t_string!(i18n, audit.indicators_save),
        AuditAction::IndicatorsImport => t_string!(i18n, audit.indicators_import),
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_dashboard());
    view! {
        <Page title=|i| t_string!(i, dashboard.title) roles=crate::auth::EVERYONE heading=false>
            <Loaded resource=data let:d>
                <DashboardView d=d />
            </Loaded>
        </Page>
    }
}

#[component]
fn DashboardView(d: Dashboard) -> impl IntoView {
    let i18n = use_i18n();
    let has = |r: Role| d.roles.contains(&r);
    let (is_staff, is_trainer, is_manager) =
        (has(Role::Staff), has(Role::Trainer), has(Role::Manager));
    view! {
        <h1 data-testid="dashboard-title">
            {t_string!(i18n, dashboard.welcome, name = d.name.clone())}
        </h1>
        <p class="muted">
            {[d.unit.clone(), d.position.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · ")}
            {d
                .manager
                .clone()
                .map(|m| format!(" · {}", t_string!(i18n, dashboard.manager, name = m)))}
        </p>
        <div class="cards">
            {is_staff
                .then(|| {
                    view! {
                        <section class="card" data-testid="staff-card">
                            <h2>{t!(i18n, dashboard.staff_title)}</h2>
                            <p class="empty">{t!(i18n, dashboard.staff_empty)}</p>
                            <a href="/account">{t!(i18n, dashboard.staff_action)}</a>
                        </section>
                    }
                })}
            {d
                .team
                .clone()
                .map(|team| {
                    view! {
                        <section class="card" data-testid="team-card">
                            <h2>
                                {if is_manager {
                                    t_string!(i18n, dashboard.team_title)
                                } else {
                                    t_string!(i18n, dashboard.directory_title)
                                }}
                            </h2>
                            <p class="figure">
                                <strong>{team.people}</strong>
                                " "
                                {t!(i18n, dashboard.people)}
                            </p>
                            <table class="compact">
                                <caption class="sr-only">{t!(i18n, dashboard.by_unit)}</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">{t!(i18n, people.unit)}</th>
                                        <th scope="col" class="num">
                                            {t!(i18n, dashboard.people)}
                                        </th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {team
                                        .by_unit
                                        .into_iter()
                                        .map(|(unit, n)| {
                                            view! {
                                                <tr>
                                                    <td>{unit}</td>
                                                    <td class="num">{n}</td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                            <a href="/team">
                                {if is_manager {
                                    t_string!(i18n, dashboard.team_action)
                                } else {
                                    t_string!(i18n, dashboard.directory_action)
                                }}
                            </a>
                            {is_trainer
                                .then(|| {
                                    view! {
                                        <p class="muted">{t!(i18n, dashboard.trainer_next)}</p>
                                    }
                                })}
                        </section>
                    }
                })}
            {d
                .admin
                .clone()
                .map(|a| {
                    view! {
                        <section class="card" data-testid="admin-card">
                            <h2>{t!(i18n, dashboard.admin_title)}</h2>
                            <ul class="figures">
                                <li>
                                    <a href="/admin/people">
                                        <strong>{a.people}</strong>
                                        " "
                                        {t!(i18n, dashboard.people)}
                                    </a>
                                </li>
                                <li>
                                    <a href="/admin/units">
                                        <strong>{a.units}</strong>
                                        " "
                                        {t!(i18n, dashboard.units)}
                                    </a>
                                </li>
                                <li>
                                    <a href="/admin/positions">
                                        <strong>{a.positions}</strong>
                                        " "
                                        {t!(i18n, dashboard.positions)}
                                    </a>
                                </li>
                            </ul>
                            {(a.people <= 1)
                                .then(|| {
                                    view! {
                                        <p class="empty">
                                            {t!(i18n, dashboard.admin_empty)} " "
                                            <a href="/admin/roster">{t!(i18n, nav.roster)}</a>
                                        </p>
                                    }
                                })}
                            {(a.without_password > 0)
                                .then(|| {
                                    view! {
                                        <p class="muted">
                                            {t_string!(
                                                i18n, dashboard.without_password, n = a.without_password
                                            )}
                                        </p>
                                    }
                                })}
                        </section>
                        <section class="card wide" data-testid="audit-card">
                            <h2>{t!(i18n, dashboard.recent_changes)}</h2>
                            {if a.recent_changes.is_empty() {
                                view! { <p class="empty">{t!(i18n, dashboard.no_changes)}</p> }
                                    .into_any()
                            } else {
                                view! {
                                    <table class="compact">
                                        <thead>
                                            <tr>
                                                <th scope="col">{t!(i18n, dashboard.when)}</th>
                                                <th scope="col">{t!(i18n, dashboard.who)}</th>
                                                <th scope="col">{t!(i18n, dashboard.what)}</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {a
                                                .recent_changes
                                                .into_iter()
                                                .map(|r| {
                                                    view! {
                                                        <tr>
                                                            <td>{r.at}</td>
                                                            <td>{r.actor.unwrap_or_else(|| "—".into())}</td>
                                                            <td>{action_text(i18n, r.action)}</td>
                                                        </tr>
                                                    }
                                                })
                                                .collect_view()}
                                        </tbody>
                                    </table>
                                }
                                    .into_any()
                            }}
                        </section>
                    }
                })}
        </div>
    }
}
