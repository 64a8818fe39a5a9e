//! The page shell, the router and the layout around every page.

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, provide_meta_context};
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::{SsrMode, path};

use crate::assignments::manual_pages::{AssignPage, AssignmentPage};
use crate::assignments::pages::ProposalsPage;
use crate::auth::pages::{AccountPage, LoginPage, SetupPage};
use crate::auth::{CurrentUser, Role};
use crate::certificates::pages::{CertificatePage, VerifyPage};
use crate::classroom::pages::SheetPage;
use crate::competencies::pages::{
    FrameworkImportPage, FrameworkImportPreviewPage, FrameworkPage, FrameworksPage, TargetsPage,
};
use crate::components::{NotFound, PageTitle, UserResource, use_user};
use crate::courses::pages::{
    CataloguePage, CourseEditPage, CoursePage, LessonEditPage, LessonPage, NewCoursePage,
};
use crate::dashboard::DashboardPage;
use crate::evaluation::behaviour::pages::{BehaviourReportPage, FollowUpPage, MyFollowUpsPage};
use crate::evaluation::course_pages::CourseEvaluationPage;
use crate::evaluation::indicators::pages::{IndicatorGridPage, IndicatorImportPage, ResultsPage};
use crate::evaluation::learning_pages::LearningPage;
use crate::evaluation::reaction_pages::{
    ReactionFormPage, ReactionReportPage, ReactionSetupPage, ReactionTemplatePage,
};
use crate::gaps::change_pages::BeforeAfterPage;
use crate::gaps::pages::{HeatmapPage, MyGapsPage, PersonGapsPage, PrioritiesPage};
use crate::i18n::*;
use crate::learning::pages::{HoursPage, MyLearningPage};
use crate::notifications::pages::NotificationsPage;
use crate::org::pages::{
    PeoplePage, PersonPage, PositionsPage, RosterPage, RosterPreviewPage, TeamPage, UnitsPage,
};
use crate::plan::pages::{PlanPage, PlanPrintPage};
use crate::quiz::analysis_pages::ItemAnalysisPage;
use crate::quiz::attempt_pages::AttemptPage;
use crate::quiz::marking_pages::MarkingPage;
use crate::quiz::pages::{BankImportPage, BankImportPreviewPage, BankPage, QuestionPage};
use crate::quiz::quiz_pages::{CourseQuizzesPage, NewQuizPage, QuizEditPage};
use crate::quiz::results_pages::QuizResultsPage;
use crate::rules::pages::RulesPage;
use crate::surveys::pages::{CampaignPage, CampaignsPage, TaskPage, TasksPage};
use crate::team::pages::{TeamHoursPage, TeamProgressPage};
use leptos_i18n::I18nContext;

/// The HTML document. Rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Scripts only from our origin plus Leptos' own nonce'd hydration script.
#[cfg(feature = "ssr")]
fn content_security_policy() {
    use leptos::nonce::use_nonce;
    let (Some(nonce), Some(res)) = (use_nonce(), use_context::<leptos_axum::ResponseOptions>())
    else {
        return;
    };
    // cargo-leptos' live-reload websocket exists only in development builds.
    let connect = if cfg!(debug_assertions) {
        "'self' ws://127.0.0.1:3001"
    } else {
        "'self'"
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src {connect}; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(value) = http::HeaderValue::from_str(&policy) {
        res.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Same path and lifetime as the cookie the language switch sets on the server.
    let cookie_options = leptos_i18n::context::CookieOptions::<Locale>::default()
        .path("/")
        .max_age(365 * 24 * 3600 * 1000_i64);
    view! {
        <I18nContextProvider cookie_options=cookie_options>
            <Stylesheet id="leptos" href="/pkg/gapwise.css" />
            <Routed />
        </I18nContextProvider>
    }
}

#[component]
fn Routed() -> impl IntoView {
    let i18n = use_i18n();
    let user = UserResource(Resource::new_blocking(
        || (),
        |_| crate::auth::get_current_user(),
    ));
    provide_context(user);
    provide_context(crate::components::Refresh(RwSignal::new(0)));
    view! {
        <PageTitle text=move || t_string!(i18n, app.title).to_string() />
        <Router>
            <a class="skip-link" href="#main">
                {t!(i18n, nav.skip)}
            </a>
            <Header />
            // Pages render whole on the server (no out-of-order streaming), so they
            // work with JavaScript off and can set their status code (403, 404).
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=DashboardPage ssr=SsrMode::Async />
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/setup") view=SetupPage ssr=SsrMode::Async />
                    <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async />
                    <Route path=path!("/team") view=TeamPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/people") view=PeoplePage ssr=SsrMode::Async />
                    <Route path=path!("/admin/people/:id") view=PersonPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/units") view=UnitsPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/positions") view=PositionsPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/roster") view=RosterPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/admin/roster/:id")
                        view=RosterPreviewPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/bank") view=BankPage ssr=SsrMode::Async />
                    <Route path=path!("/marking") view=MarkingPage ssr=SsrMode::Async />
                    <Route path=path!("/bank/import") view=BankImportPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/bank/import/:id")
                        view=BankImportPreviewPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/bank/questions/:id") view=QuestionPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/courses/:id/quizzes")
                        view=CourseQuizzesPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/courses/:id/evaluation")
                        view=CourseEvaluationPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/courses/:id/evaluation/learning")
                        view=LearningPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/courses/:id/evaluation/behaviour")
                        view=BehaviourReportPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/follow-ups") view=MyFollowUpsPage ssr=SsrMode::Async />
                    <Route path=path!("/indicators") view=ResultsPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/indicators/grid")
                        view=IndicatorGridPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/indicators/import/:id")
                        view=IndicatorImportPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/follow-ups/:id") view=FollowUpPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/courses/:id/evaluation/reaction")
                        view=ReactionReportPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/courses/:id/reaction")
                        view=ReactionFormPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/courses/:id/reaction/setup")
                        view=ReactionSetupPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/reaction-template")
                        view=ReactionTemplatePage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/quizzes/new") view=NewQuizPage ssr=SsrMode::Async />
                    <Route path=path!("/quizzes/:id") view=QuizEditPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/quizzes/:id/items")
                        view=ItemAnalysisPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/quizzes/:id/results")
                        view=QuizResultsPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/attempts/:id") view=AttemptPage ssr=SsrMode::Async />
                    <Route path=path!("/frameworks") view=FrameworksPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/frameworks/import")
                        view=FrameworkImportPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/frameworks/import/:id")
                        view=FrameworkImportPreviewPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/frameworks/:id") view=FrameworkPage ssr=SsrMode::Async />
                    <Route path=path!("/targets/:family") view=TargetsPage ssr=SsrMode::Async />
                    <Route path=path!("/campaigns") view=CampaignsPage ssr=SsrMode::Async />
                    <Route path=path!("/campaigns/:id") view=CampaignPage ssr=SsrMode::Async />
                    <Route path=path!("/tasks") view=TasksPage ssr=SsrMode::Async />
                    <Route path=path!("/tasks/:id") view=TaskPage ssr=SsrMode::Async />
                    <Route path=path!("/notifications") view=NotificationsPage ssr=SsrMode::Async />
                    <Route path=path!("/gaps/me") view=MyGapsPage ssr=SsrMode::Async />
                    <Route path=path!("/gaps/person/:id") view=PersonGapsPage ssr=SsrMode::Async />
                    <Route path=path!("/gaps/heatmap") view=HeatmapPage ssr=SsrMode::Async />
                    <Route path=path!("/gaps/priorities") view=PrioritiesPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/gaps/before-after")
                        view=BeforeAfterPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/courses") view=CataloguePage ssr=SsrMode::Async />
                    <Route path=path!("/proposals") view=ProposalsPage ssr=SsrMode::Async />
                    <Route path=path!("/learning") view=MyLearningPage ssr=SsrMode::Async />
                    <Route path=path!("/learning/hours") view=HoursPage ssr=SsrMode::Async />
                    <Route path=path!("/team/progress") view=TeamProgressPage ssr=SsrMode::Async />
                    <Route path=path!("/team/hours") view=TeamHoursPage ssr=SsrMode::Async />
                    <Route path=path!("/plan") view=PlanPage ssr=SsrMode::Async />
                    <Route path=path!("/plan/print") view=PlanPrintPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/training") view=RulesPage ssr=SsrMode::Async />
                    <Route path=path!("/assignments/new") view=AssignPage ssr=SsrMode::Async />
                    <Route path=path!("/sessions/:id") view=SheetPage ssr=SsrMode::Async />
                    <Route path=path!("/assignments/:id") view=AssignmentPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/certificates/:code")
                        view=CertificatePage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/verify") view=VerifyPage ssr=SsrMode::Async />
                    <Route path=path!("/verify/:code") view=VerifyPage ssr=SsrMode::Async />
                    <Route path=path!("/courses/new") view=NewCoursePage ssr=SsrMode::Async />
                    <Route path=path!("/courses/:id") view=CoursePage ssr=SsrMode::Async />
                    <Route path=path!("/courses/:id/edit") view=CourseEditPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/courses/:id/lessons/:lesson")
                        view=LessonPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/courses/:id/lessons/:lesson/edit")
                        view=LessonEditPage
                        ssr=SsrMode::Async
                    />
                </Routes>
            </main>
            <footer class="site-footer">
                <p>{t!(i18n, app.footer)}</p>
            </footer>
        </Router>
    }
}

/// One navigation entry, shown to holders of any of `roles`.
struct NavItem {
    href: &'static str,
    roles: &'static [Role],
    label: fn(I18nContext<Locale>) -> &'static str,
    testid: &'static str,
}

const NAV: &[NavItem] = &[
    NavItem {
        href: "/",
        roles: crate::auth::EVERYONE,
        label: |i| t_string!(i, nav.dashboard),
        testid: "nav-dashboard",
    },
    NavItem {
        href: "/tasks",
        roles: crate::auth::EVERYONE,
        label: |i| t_string!(i, nav.tasks),
        testid: "nav-tasks",
    },
    NavItem {
        href: "/follow-ups",
        roles: crate::auth::EVERYONE,
        label: |i| t_string!(i, nav.follow_ups),
        testid: "nav-follow-ups",
    },
    NavItem {
        href: "/gaps/me",
        roles: crate::auth::EVERYONE,
        label: |i| t_string!(i, nav.my_gaps),
        testid: "nav-my-gaps",
    },
    NavItem {
        href: "/courses",
        roles: crate::auth::EVERYONE,
        label: |i| t_string!(i, nav.courses),
        testid: "nav-courses",
    },
    NavItem {
        href: "/learning",
        roles: crate::auth::EVERYONE,
        label: |i| t_string!(i, nav.learning),
        testid: "nav-learning",
    },
    NavItem {
        href: "/proposals",
        roles: crate::assignments::REVIEWERS,
        label: |i| t_string!(i, nav.proposals),
        testid: "nav-proposals",
    },
    NavItem {
        href: "/team/progress",
        roles: crate::team::TEAM_READERS,
        label: |i| t_string!(i, nav.team_progress),
        testid: "nav-team-progress",
    },
    NavItem {
        href: "/plan",
        roles: crate::plan::PLANNERS,
        label: |i| t_string!(i, nav.plan),
        testid: "nav-plan",
    },
    NavItem {
        href: "/gaps/heatmap",
        roles: crate::gaps::ANALYSTS,
        label: |i| t_string!(i, nav.gaps),
        testid: "nav-gaps",
    },
    NavItem {
        href: "/indicators",
        roles: crate::gaps::ANALYSTS,
        label: |i| t_string!(i, nav.outcomes),
        testid: "nav-outcomes",
    },
    NavItem {
        href: "/campaigns",
        roles: crate::surveys::RUNNERS,
        label: |i| t_string!(i, nav.campaigns),
        testid: "nav-campaigns",
    },
    NavItem {
        href: "/bank",
        roles: crate::quiz::BANK_EDITORS,
        label: |i| t_string!(i, nav.bank),
        testid: "nav-bank",
    },
    NavItem {
        href: "/marking",
        roles: crate::quiz::BANK_EDITORS,
        label: |i| t_string!(i, nav.marking),
        testid: "nav-marking",
    },
    NavItem {
        href: "/frameworks",
        roles: crate::competencies::EDITORS,
        label: |i| t_string!(i, nav.frameworks),
        testid: "nav-frameworks",
    },
    NavItem {
        href: "/team",
        roles: &[Role::Manager],
        label: |i| t_string!(i, nav.team),
        testid: "nav-team",
    },
    NavItem {
        href: "/team",
        roles: &[Role::Trainer],
        label: |i| t_string!(i, nav.directory),
        testid: "nav-directory",
    },
    NavItem {
        href: "/admin/people",
        roles: crate::org::ADMIN,
        label: |i| t_string!(i, nav.people),
        testid: "nav-people",
    },
    NavItem {
        href: "/admin/units",
        roles: crate::org::ADMIN,
        label: |i| t_string!(i, nav.units),
        testid: "nav-units",
    },
    NavItem {
        href: "/admin/positions",
        roles: crate::org::ADMIN,
        label: |i| t_string!(i, nav.positions),
        testid: "nav-positions",
    },
    NavItem {
        href: "/admin/roster",
        roles: crate::org::ADMIN,
        label: |i| t_string!(i, nav.roster),
        testid: "nav-roster",
    },
    NavItem {
        href: "/admin/training",
        roles: crate::rules::EDITORS,
        label: |i| t_string!(i, nav.training_rules),
        testid: "nav-training-rules",
    },
];

/// The entries a person sees; a manager who is also a trainer sees the team page once.
fn nav_for(user: &CurrentUser) -> Vec<&'static NavItem> {
    let mut items: Vec<&NavItem> = Vec::new();
    for item in NAV.iter().filter(|i| user.has_any(i.roles)) {
        if !items.iter().any(|i| i.href == item.href) {
            items.push(item);
        }
    }
    items
}

#[component]
fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_user().0;
    view! {
        <header class="topbar">
            <a class="brand" href="/">
                "Gapwise"
            </a>
            <Suspense>
                {move || Suspend::new(async move {
                    match user.await {
                        Ok(Some(u)) => {
                            let items = nav_for(&u);
                            view! {
                                <nav
                                    aria-label=move || t_string!(i18n, nav.main)
                                    data-testid="main-nav"
                                >
                                    <ul>
                                        {items
                                            .into_iter()
                                            .map(|item| {
                                                let label = item.label;
                                                view! {
                                                    <li>
                                                        <A href=item.href attr:data-testid=item.testid>
                                                            {move || label(i18n)}
                                                        </A>
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ul>
                                </nav>
                                <div class="usermenu">
                                    <NotificationBell unread=u.unread />
                                    <a href="/account" data-testid="account-link">
                                        {u.name.clone()}
                                    </a>
                                    <form method="post" action="/api/auth/logout" class="inline">
                                        <button type="submit" class="link" data-testid="logout">
                                            {t!(i18n, nav.logout)}
                                        </button>
                                    </form>
                                </div>
                            }
                                .into_any()
                        }
                        _ => ().into_any(),
                    }
                })}
            </Suspense>
            <LanguageSwitch />
        </header>
    }
}

/// A real form, so switching language works without JavaScript; the server saves
/// the choice on the person and in the cookie, then reloads the same page.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let back = move || {
        let search = location.search.get();
        if search.is_empty() {
            location.pathname.get()
        } else {
            format!("{}?{}", location.pathname.get(), search)
        }
    };
    let other = move || match i18n.get_locale() {
        Locale::en => ("zh", "中文"),
        Locale::zh => ("en", "English"),
    };
    view! {
        <form method="post" action="/api/auth/locale" class="lang-switch">
            <input type="hidden" name="locale" value=move || other().0 />
            <input type="hidden" name="back" value=back />
            <button type="submit" class="link" data-testid="lang-switch" lang=move || other().0>
                {move || other().1}
            </button>
        </form>
    }
}

/// The notification link with its unread count.
#[component]
fn NotificationBell(unread: u64) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <a href="/notifications" class="bell" data-testid="notifications-link">
            {t!(i18n, nav.notifications)}
            {(unread > 0)
                .then(|| {
                    view! {
                        " "
                        <span
                            class="badge"
                            data-testid="unread-count"
                            aria-label=move || t_string!(i18n, nav.unread, n = unread)
                        >
                            {unread}
                        </span>
                    }
                })}
        </a>
    }
}
