//! Building blocks shared by pages: access gates, error display, status pages.

use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

use crate::auth::{CurrentUser, Role};
use crate::error::{AppError, Problem, QuestionProblem, WeakReason};
use crate::i18n::*;
use leptos_i18n::I18nContext;

/// The signed-in person, loaded once per page and shared through context.
#[derive(Clone, Copy)]
pub struct UserResource(pub Resource<Result<Option<CurrentUser>, AppError>>);

pub fn use_user() -> UserResource {
    use_context::<UserResource>().unwrap_or_else(|| {
        UserResource(Resource::new_blocking(
            || (),
            |_| crate::auth::get_current_user(),
        ))
    })
}

/// Sets the HTTP status of the page being rendered on the server.
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(res), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(code),
    ) {
        res.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

/// The page's `<title>`, in the reader's language.
///
/// On the server the text is fixed when the page renders: leptos_meta reads titles
/// after the page's reactive owner may already be gone, and a title that read the
/// language signal then panicked under load (about 2% of requests at 64 connections).
/// In the browser it follows the language switch.
#[component]
pub fn PageTitle(text: impl Fn() -> String + Send + Sync + 'static) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let text = leptos::text_prop::TextProp::from(text());
    view! { <leptos_meta::Title text=text /> }
}

/// A piece of interface text in the reader's language.
pub type Text = fn(I18nContext<Locale>) -> &'static str;

/// The frame every page has: its `<title>`, who may open it (through
/// [`RequireRole`]), breadcrumbs back up the way, its heading with any actions beside
/// it, and the banner for the `?saved` flag a form's redirect sets. A page whose
/// heading comes with its data passes `heading=false` and writes its own `<h1>`.
#[component]
pub fn Page(
    /// The page's name, for `<title>` and the heading.
    title: Text,
    roles: &'static [Role],
    /// (label, link) of the pages above this one, outermost first.
    #[prop(optional)]
    crumbs: Vec<(Text, &'static str)>,
    /// Links or buttons shown beside the heading.
    #[prop(optional)]
    actions: Option<ChildrenFn>,
    #[prop(default = true)] heading: bool,
    /// What the `?saved` banner says, when not plain "Saved.".
    #[prop(optional)]
    saved: Option<Text>,
    children: ChildrenFn,
) -> impl IntoView {
    let i18n = use_i18n();
    let saved = saved.unwrap_or(|i| t_string!(i, common.saved));
    let crumbs_view = move || {
        (!crumbs.is_empty()).then(|| {
            let links = crumbs
                .iter()
                .map(|(label, href)| {
                    let label = *label;
                    view! {
                        <a href=*href>{move || label(i18n)}</a>
                        " › "
                    }
                })
                .collect_view();
            view! {
                <nav class="crumbs" aria-label=move || t_string!(i18n, common.breadcrumbs)>
                    {links}
                </nav>
            }
        })
    };
    let head = move || {
        heading.then(|| {
            view! {
                <div class="page-head">
                    <h1>{move || title(i18n)}</h1>
                    {actions.as_ref().map(|a| a())}
                </div>
            }
        })
    };
    view! {
        <PageTitle text=move || title(i18n).to_owned() />
        <RequireRole roles=roles>
            {crumbs_view.clone()()} {head.clone()()} <QueryBanner key="saved" text=saved />
            {children()}
        </RequireRole>
    }
}

/// A resource's value once loaded, given to `children`; the loading line while it
/// loads, and the error page (403, 404, or the internal error with its request id)
/// when it fails.
#[component]
pub fn Loaded<T, F, V>(resource: Resource<Result<T, AppError>>, children: F) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <Transition fallback=Loading>
            {move || {
                let children = children.clone();
                Suspend::new(async move {
                    match resource.await {
                        Ok(value) => children(value).into_any(),
                        Err(e) => view! { <ErrorPage error=e /> }.into_any(),
                    }
                })
            }}
        </Transition>
    }
}

/// Renders `children` only for a signed-in person holding one of `roles`; visitors
/// go to the sign-in page, others get the 403 page.
#[component]
pub fn RequireRole(roles: &'static [Role], children: ChildrenFn) -> impl IntoView {
    let user = use_user().0;
    let location = use_location();
    view! {
        <Suspense fallback=Loading>
            {move || {
                let children = children.clone();
                let here = location.pathname.get_untracked();
                Suspend::new(async move {
                    match user.await {
                        Ok(Some(u)) if u.has_any(roles) => children().into_any(),
                        Ok(Some(_)) => view! { <Forbidden /> }.into_any(),
                        Ok(None) => {
                            let path = format!("/login?next={}", urlencode(&here));
                            view! { <Redirect path=path /> }.into_any()
                        }
                        Err(e) => view! { <ErrorPage error=e /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="loading" aria-busy="true">
            {t!(i18n, common.loading)}
        </p>
    }
}

#[component]
pub fn Forbidden() -> impl IntoView {
    set_status(403);
    let i18n = use_i18n();
    view! {
        <section class="status-page" data-testid="forbidden">
            <h1>{t!(i18n, errors.forbidden_title)}</h1>
            <p>{t!(i18n, errors.forbidden_body)}</p>
            <a href="/">{t!(i18n, errors.back_home)}</a>
        </section>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    set_status(404);
    let i18n = use_i18n();
    view! {
        <section class="status-page" data-testid="not-found">
            <h1>{t!(i18n, errors.not_found_title)}</h1>
            <p>{t!(i18n, errors.not_found_body)}</p>
            <a href="/">{t!(i18n, errors.back_home)}</a>
        </section>
    }
}

/// The page for an error that stops a whole page from showing.
#[component]
pub fn ErrorPage(error: AppError) -> impl IntoView {
    match error {
        AppError::Forbidden => view! { <Forbidden /> }.into_any(),
        // A malformed id in the address names no record either.
        AppError::NotFound | AppError::Validation(_) => view! { <NotFound /> }.into_any(),
        other => {
            set_status(other.status());
            let i18n = use_i18n();
            view! {
                <section class="status-page" data-testid="server-error">
                    <h1>{t!(i18n, errors.internal_title)}</h1>
                    <p>{error_text(i18n, &other)}</p>
                    <a href="/">{t!(i18n, errors.back_home)}</a>
                </section>
            }
            .into_any()
        }
    }
}

/// A sentence for an error as a whole (field problems are shown beside their fields).
pub fn error_text(i18n: I18nContext<Locale>, error: &AppError) -> String {
    match error {
        AppError::NotFound => t_string!(i18n, errors.not_found_title).to_string(),
        AppError::Unauthorized => t_string!(i18n, errors.unauthorized).to_string(),
        AppError::Forbidden => t_string!(i18n, errors.forbidden_title).to_string(),
        AppError::Validation(_) => t_string!(i18n, errors.validation).to_string(),
        AppError::Conflict(p) => problem_text(i18n, p),
        AppError::InvalidCredentials => t_string!(i18n, login.invalid).to_string(),
        AppError::RateLimited { retry_after_secs } => {
            t_string!(i18n, login.rate_limited, seconds = *retry_after_secs).to_string()
        }
        AppError::Busy { .. } => t_string!(i18n, errors.busy).to_string(),
        AppError::Internal { request_id } => {
            t_string!(i18n, errors.internal, id = request_id.clone()).to_string()
        }
        AppError::Transport(_) => t_string!(i18n, errors.transport).to_string(),
    }
}

pub fn problem_text(i18n: I18nContext<Locale>, problem: &Problem) -> String {
    match problem {
        Problem::Required => t_string!(i18n, problems.required).to_string(),
        Problem::TooLong { max } => t_string!(i18n, problems.too_long, max = *max).to_string(),
        Problem::TooShort { min } => t_string!(i18n, problems.too_short, min = *min).to_string(),
        Problem::InvalidEmail => t_string!(i18n, problems.invalid_email).to_string(),
        Problem::Taken => t_string!(i18n, problems.taken).to_string(),
        Problem::Unknown { value } => {
            t_string!(i18n, problems.unknown, value = value.clone()).to_string()
        }
        Problem::Inactive { value } => {
            t_string!(i18n, problems.inactive, value = value.clone()).to_string()
        }
        Problem::Duplicate { value } => {
            t_string!(i18n, problems.duplicate, value = value.clone()).to_string()
        }
        Problem::InvalidRole { value } => {
            t_string!(i18n, problems.invalid_role, value = value.clone()).to_string()
        }
        Problem::ManagerCycle => t_string!(i18n, problems.manager_cycle).to_string(),
        Problem::UnitCycle => t_string!(i18n, problems.unit_cycle).to_string(),
        Problem::PasswordMismatch => t_string!(i18n, problems.password_mismatch).to_string(),
        Problem::WrongPassword => t_string!(i18n, problems.wrong_password).to_string(),
        Problem::BadCsv { detail } => {
            t_string!(i18n, problems.bad_csv, detail = detail.clone()).to_string()
        }
        Problem::MissingColumn { column } => {
            t_string!(i18n, problems.missing_column, column = column.clone()).to_string()
        }
        Problem::Empty => t_string!(i18n, problems.empty).to_string(),
        Problem::Malformed { .. } => t_string!(i18n, problems.malformed).to_string(),
        Problem::Invalid { value } => {
            t_string!(i18n, problems.invalid, value = value.clone()).to_string()
        }
        Problem::NotDraft => t_string!(i18n, problems.not_draft).to_string(),
        Problem::NotOpen => t_string!(i18n, problems.not_open).to_string(),
        Problem::AlreadySubmitted => t_string!(i18n, problems.already_submitted).to_string(),
        Problem::OutOfRange { min, max } => t_string!(
            i18n,
            problems.out_of_range,
            min = min.clone(),
            max = max.clone()
        )
        .to_string(),
        Problem::DateOrder => t_string!(i18n, problems.date_order).to_string(),
        Problem::PastDate => t_string!(i18n, problems.past_date).to_string(),
        Problem::Finished => t_string!(i18n, problems.finished).to_string(),
        Problem::NobodyNew => t_string!(i18n, problems.nobody_new).to_string(),
        Problem::PlanLocked => t_string!(i18n, problems.plan_locked).to_string(),
        Problem::PlanEmpty => t_string!(i18n, problems.plan_empty).to_string(),
        Problem::SessionOver => t_string!(i18n, problems.session_over).to_string(),
        Problem::QuizClosed => t_string!(i18n, problems.quiz_closed).to_string(),
        Problem::AnsweredAsWorded => t_string!(i18n, problems.answered_as_worded).to_string(),
        Problem::LastItem => t_string!(i18n, problems.last_item).to_string(),
        Problem::NoAttemptsLeft => t_string!(i18n, problems.no_attempts_left).to_string(),
        Problem::AttemptOver => t_string!(i18n, problems.attempt_over).to_string(),
        Problem::NoQuestions => t_string!(i18n, problems.no_questions).to_string(),
        Problem::BadQuestion { line, problem } => t_string!(
            i18n,
            problems.bad_question,
            line = *line,
            detail = question_problem(i18n, problem)
        )
        .to_string(),
        Problem::OneQuestion { found } => {
            t_string!(i18n, problems.one_question, found = *found).to_string()
        }
        Problem::Limit { max } => t_string!(i18n, problems.limit, max = *max).to_string(),
        Problem::NotAPeer => t_string!(i18n, problems.not_a_peer).to_string(),
        Problem::WeakPassword { reason } => match reason {
            WeakReason::Personal => t_string!(i18n, problems.weak_personal),
            WeakReason::Common => t_string!(i18n, problems.weak_common),
            WeakReason::Pattern => t_string!(i18n, problems.weak_pattern),
            WeakReason::Dates => t_string!(i18n, problems.weak_dates),
            WeakReason::Word => t_string!(i18n, problems.weak_word),
            WeakReason::Guessable => t_string!(i18n, problems.weak_guessable),
        }
        .to_string(),
    }
}

/// The sources behind a level (`self`, `manager`, `peer`, `test`), joined
/// with " + " in the reader's language.
pub fn sources_text(i18n: I18nContext<Locale>, sources: &[String]) -> String {
    sources
        .iter()
        .map(|s| match s.as_str() {
            "self" => t_string!(i18n, campaigns.rater_self),
            "manager" => t_string!(i18n, campaigns.rater_manager),
            "test" => t_string!(i18n, campaigns.source_test),
            _ => t_string!(i18n, campaigns.rater_peer),
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

/// Why a question in a file could not be read, in the reader's language.
pub fn question_problem(i18n: I18nContext<Locale>, p: &QuestionProblem) -> String {
    use QuestionProblem as Q;
    match p {
        Q::Unclosed => t_string!(i18n, qproblems.unclosed).to_string(),
        Q::Nested => t_string!(i18n, qproblems.nested).to_string(),
        Q::Unopened => t_string!(i18n, qproblems.unopened).to_string(),
        Q::UnclosedName => t_string!(i18n, qproblems.unclosed_name).to_string(),
        Q::NoText => t_string!(i18n, qproblems.no_text).to_string(),
        Q::StrayText { text } => {
            t_string!(i18n, qproblems.stray_text, text = text.clone()).to_string()
        }
        Q::BadWeight { weight } => {
            t_string!(i18n, qproblems.bad_weight, weight = weight.clone()).to_string()
        }
        Q::GiftNumber { value } => {
            t_string!(i18n, qproblems.gift_number, value = value.clone()).to_string()
        }
        Q::TooFewOptions => t_string!(i18n, qproblems.too_few_options).to_string(),
        Q::NoRightOption => t_string!(i18n, qproblems.no_right_option).to_string(),
        Q::GiftMatching => t_string!(i18n, qproblems.gift_matching).to_string(),
        Q::MixedAnswers => t_string!(i18n, qproblems.mixed_answers).to_string(),
        Q::EmptyAnswer => t_string!(i18n, qproblems.empty_answer).to_string(),
        Q::Unsupported { kind } => {
            t_string!(i18n, qproblems.unsupported, kind = kind.clone()).to_string()
        }
        Q::XmlNumber { value } => {
            t_string!(i18n, qproblems.xml_number, value = value.clone()).to_string()
        }
        Q::BadTrueFalse => t_string!(i18n, qproblems.bad_true_false).to_string(),
        Q::XmlMatching => t_string!(i18n, qproblems.xml_matching).to_string(),
        Q::NoAnswers => t_string!(i18n, qproblems.no_answers).to_string(),
        Q::Malformed { detail } => {
            t_string!(i18n, qproblems.malformed, detail = detail.clone()).to_string()
        }
        Q::UnknownType { kind } => {
            t_string!(i18n, qproblems.unknown_type, kind = kind.clone()).to_string()
        }
        Q::NoStem => t_string!(i18n, qproblems.no_stem).to_string(),
        Q::NoAnswer => t_string!(i18n, qproblems.no_answer).to_string(),
        Q::BadLetters { answer } => {
            t_string!(i18n, qproblems.bad_letters, answer = answer.clone()).to_string()
        }
        Q::SeveralForSingle { answer } => {
            t_string!(i18n, qproblems.several_for_single, answer = answer.clone()).to_string()
        }
        Q::SheetTrueFalse { answer } => {
            t_string!(i18n, qproblems.sheet_true_false, answer = answer.clone()).to_string()
        }
        Q::SheetNumber { answer } => {
            t_string!(i18n, qproblems.sheet_number, answer = answer.clone()).to_string()
        }
        Q::BadPoints { points } => {
            t_string!(i18n, qproblems.bad_points, points = points.clone()).to_string()
        }
    }
}

/// The error of the last submission of a form, if it failed.
pub fn action_error<I, O>(action: ServerAction<I>) -> Signal<Option<AppError>>
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(|r| r.err()))
}

/// Problems for one field, shown under its input and linked by `id` for screen readers.
#[component]
pub fn FieldErrors(
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(into)] field: String,
    /// The element id, `{field}-error` unless a page holds the field twice.
    #[prop(optional, into)]
    id: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = id.unwrap_or_else(|| format!("{field}-error"));
    let testid = format!("error-{field}");
    view! {
        <span class="field-error" id=id role="alert" data-testid=testid>
            {move || {
                error
                    .get()
                    .map(|e| {
                        e.problems_for(&field)
                            .iter()
                            .map(|p| problem_text(i18n, p))
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
            }}
        </span>
    }
}

/// A banner for errors that are not about one field.
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        {move || {
            error
                .get()
                .map(|e| {
                    view! {
                        <div class="banner banner-error" role="alert" data-testid="form-error">
                            {error_text(i18n, &e)}
                        </div>
                    }
                })
        }}
    }
}

/// A labelled text input with its error slot.
#[component]
pub fn TextField(
    name: &'static str,
    #[prop(into)] label: Signal<String>,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(optional, into)] value: String,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] autocomplete: Option<&'static str>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let invalid = move || {
        error
            .get()
            .is_some_and(|e| !e.problems_for(name).is_empty())
    };
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input
                id=id
                name=name
                type=kind
                value=value
                required=required
                autocomplete=autocomplete
                aria-invalid=move || invalid().to_string()
                aria-describedby=format!("{name}-error")
            />
            <FieldErrors error=error field=name />
        </div>
    }
}

/// Previous / next links for a paged list; works without JavaScript.
#[component]
pub fn Pager(
    page: u64,
    pages: u64,
    href: impl Fn(u64) -> String + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    (pages > 1).then(|| {
        view! {
            <nav class="pager" aria-label=move || t_string!(i18n, common.pages)>
                {(page > 1)
                    .then(|| {
                        view! {
                            <a rel="prev" href=href(page - 1)>
                                {t!(i18n, common.previous)}
                            </a>
                        }
                    })}
                <span>{t_string!(i18n, common.page_of, page = page, pages = pages)}</span>
                {(page < pages)
                    .then(|| {
                        view! {
                            <a rel="next" href=href(page + 1)>
                                {t!(i18n, common.next)}
                            </a>
                        }
                    })}
            </nav>
        }
    })
}

/// A translated label as a signal, for components that take `Signal<String>`.
pub fn label(
    i18n: I18nContext<Locale>,
    key: fn(I18nContext<Locale>) -> &'static str,
) -> Signal<String> {
    Signal::derive(move || key(i18n).to_string())
}

/// A green confirmation shown when the page URL carries `?{key}` (set by the
/// redirect after a successful form).
#[component]
pub fn QueryBanner(
    key: &'static str,
    text: fn(I18nContext<Locale>) -> &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let query = leptos_router::hooks::use_query_map();
    move || {
        query.read().get(key).map(|_| {
            view! {
                <div class="banner banner-ok" role="status" data-testid=format!("banner-{key}")>
                    {move || text(i18n)}
                </div>
            }
        })
    }
}

/// Bumped whenever a form on the page succeeds, so the page's data reloads even when
/// the redirect lands on the very same URL.
#[derive(Clone, Copy)]
pub struct Refresh(pub RwSignal<u32>);

/// The current URL's query string plus the refresh count: the key for resources that
/// must reload after a form on the page succeeds.
pub fn search_key() -> Memo<String> {
    let location = use_location();
    let refresh = use_context::<Refresh>();
    Memo::new(move |_| {
        let n = refresh.map(|r| r.0.get()).unwrap_or(0);
        format!("{}#{n}", location.search.get())
    })
}

/// A server action whose success refreshes the page's data (see [`search_key`]).
pub fn mutation<S>() -> ServerAction<S>
where
    S: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let action = ServerAction::<S>::new();
    if let Some(Refresh(count)) = use_context::<Refresh>() {
        Effect::new(move |_| {
            if matches!(action.value().get(), Some(Ok(_))) {
                count.update(|n| *n += 1);
            }
        });
    }
    action
}

/// The end of every edit form: save, and when editing an existing record, a way
/// back to the list without saving. Saving posts the form; the server function
/// redirects back with `?saved=1`, which [`Page`] shows as a banner.
#[component]
pub fn FormButtons(base: &'static str, editing: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <button type="submit" class="primary">
            {t!(i18n, common.save)}
        </button>
        {editing
            .then(|| {
                view! {
                    " "
                    <a href=base>{t!(i18n, common.cancel)}</a>
                }
            })}
    }
}

/// A CSV upload: a plain multipart post to `action` (so it works without
/// JavaScript), and the reason a previous upload was refused (`?error=too_large`,
/// `no_file`, `unreadable`, as the upload route redirects back with).
#[component]
pub fn UploadForm(
    action: &'static str,
    /// Test id of the form, and (with `-file`) the id of its file input.
    testid: &'static str,
    input_id: &'static str,
    button: Text,
    /// The file types offered by the browser's picker; CSV when not given.
    #[prop(optional)]
    accept: Option<&'static str>,
    /// The file input's label; "Roster file (CSV)" when not given.
    #[prop(optional)]
    label: Option<Text>,
) -> impl IntoView {
    let i18n = use_i18n();
    let query = leptos_router::hooks::use_query_map();
    let refused = move || {
        query.read().get("error").map(|e| match e.as_str() {
            "too_large" => t_string!(i18n, roster.too_large),
            "no_file" => t_string!(i18n, roster.no_file),
            _ => t_string!(i18n, roster.unreadable),
        })
    };
    view! {
        {move || {
            refused()
                .map(|e| {
                    view! {
                        <div class="banner banner-error" role="alert">
                            {e}
                        </div>
                    }
                })
        }}
        <form method="post" action=action enctype="multipart/form-data" data-testid=testid>
            <div class="field">
                <label for=input_id>
                    {move || label.map_or_else(|| t_string!(i18n, roster.file), |l| l(i18n))}
                </label>
                <input
                    id=input_id
                    name="file"
                    type="file"
                    accept=accept.unwrap_or(".csv,text/csv")
                    required
                />
            </div>
            <button type="submit" class="primary">
                {move || button(i18n)}
            </button>
        </form>
    }
}

/// A "tick to confirm" box for destructive actions; the server refuses without it.
#[component]
pub fn ConfirmBox(
    #[prop(into)] id: String,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field checkbox">
            <input type="checkbox" id=id.clone() name="confirm" value="yes" />
            <label for=id.clone()>{t!(i18n, common.confirm_check)}</label>
            // Pages with several confirmations need an error id per box.
            <FieldErrors error=error field="confirm" id=format!("{id}-error") />
        </div>
    }
}

/// A route parameter (`:id`), read reactively.
pub fn route_param(name: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = leptos_router::hooks::use_params_map();
    move || params.read().get(name).unwrap_or_default()
}

/// A query parameter, empty when absent, read reactively.
pub fn query_param(name: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let query = leptos_router::hooks::use_query_map();
    move || query.read().get(name).unwrap_or_default()
}

/// The `page` query parameter of a paged list: 1 when absent or not a number.
pub fn query_page() -> impl Fn() -> u64 + Copy + Send + Sync + 'static {
    let page = query_param("page");
    move || page().parse::<u64>().unwrap_or(1)
}

/// A select of (id, name) `options` with `chosen` selected and a first blank option
/// (`any`: "Any" in a filter, "Choose…" in a form). In a form, pass `error` to show
/// the field's problems under it.
#[component]
pub fn ChoiceFilter(
    name: &'static str,
    label: Text,
    any: Text,
    options: Vec<(uuid::Uuid, String)>,
    chosen: String,
    #[prop(optional, into)] error: Option<Signal<Option<AppError>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("field-{name}");
    view! {
        <div class="field">
            <label for=id.clone()>{move || label(i18n)}</label>
            <select id=id name=name>
                <option value="">{move || any(i18n)}</option>
                {options
                    .into_iter()
                    .map(|(id, text)| {
                        let v = id.to_string();
                        let selected = v == chosen;
                        view! {
                            <option value=v selected=selected>
                                {text}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            {error.map(|e| view! { <FieldErrors error=e field=name /> })}
        </div>
    }
}
