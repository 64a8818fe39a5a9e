//! Sign-in, first-run setup and account pages.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use super::{ChangePassword, EndSessions, FirstRunSetup, Login, SessionInfo};
use crate::components::{
    FormError, Loaded, Loading, Page, PageTitle, TextField, action_error, use_user,
};
use crate::i18n::*;
use leptos_i18n::I18nContext;

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    // Reads the error a no-JS post left in the URL (and JS posts alike).
    let login = ServerAction::<Login>::new();
    let error = action_error(login);
    let query = use_query_map();
    let next = move || super::safe_next(query.read().get("next").as_deref());
    let setup_done = move || query.read().get("setup").is_some();
    let user = use_user().0;
    let setup = Resource::new(|| (), |_| super::setup_needed());
    view! {
        <PageTitle text=move || t_string!(i18n, login.title).to_string() />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                if let Ok(true) = setup.await {
                    return view! { <Redirect path="/setup" /> }.into_any();
                }
                if let Ok(Some(_)) = user.await {
                    return view! { <Redirect path=next() /> }.into_any();
                }
                ().into_any()
            })}
        </Suspense>
        <section class="card narrow">
            <h1>{t!(i18n, login.title)}</h1>
            <p class="muted">{t!(i18n, login.intro)}</p>
            {move || {
                setup_done()
                    .then(|| {
                        view! {
                            <div class="banner banner-ok" role="status">
                                {t!(i18n, setup.done)}
                            </div>
                        }
                    })
            }}
            <FormError error=error />
            // A plain form: sign-in reloads the whole page so every part sees the new session.
            <form method="post" action="/api/auth/login" data-testid="login-form">
                <input type="hidden" name="next" value=next />
                <TextField
                    name="employee_no"
                    label=Signal::derive(move || t_string!(i18n, login.employee_no).to_string())
                    error=error
                    required=true
                    autocomplete="username"
                />
                <TextField
                    name="password"
                    kind="password"
                    label=Signal::derive(move || t_string!(i18n, login.password).to_string())
                    error=error
                    required=true
                    autocomplete="current-password"
                />
                <div class="field checkbox">
                    <input
                        id="remember"
                        type="checkbox"
                        name="remember"
                        value="1"
                        data-testid="remember"
                    />
                    <label for="remember">{t!(i18n, login.remember)}</label>
                </div>
                <button type="submit" class="primary">
                    {t!(i18n, login.submit)}
                </button>
            </form>
        </section>
    }
}

#[component]
pub fn SetupPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<FirstRunSetup>::new();
    let error = action_error(action);
    let needed = Resource::new(|| (), |_| super::setup_needed());
    let label = move |key: fn(I18nContext<Locale>) -> &'static str| {
        Signal::derive(move || key(i18n).to_string())
    };
    view! {
        <PageTitle text=move || t_string!(i18n, setup.title).to_string() />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match needed.await {
                    Ok(true) => {
                        view! {
                            <section class="card narrow">
                                <h1>{t!(i18n, setup.title)}</h1>
                                <p>{t!(i18n, setup.intro)}</p>
                                <FormError error=error />
                                <form
                                    method="post"
                                    action="/api/auth/setup"
                                    data-testid="setup-form"
                                >
                                    <TextField
                                        name="employee_no"
                                        label=label(|i| t_string!(i, login.employee_no))
                                        error=error
                                        required=true
                                    />
                                    <TextField
                                        name="name"
                                        label=label(|i| t_string!(i, people.name))
                                        error=error
                                        required=true
                                    />
                                    <TextField
                                        name="password"
                                        kind="password"
                                        label=label(|i| t_string!(i, account.new_password))
                                        error=error
                                        required=true
                                        autocomplete="new-password"
                                    />
                                    <TextField
                                        name="confirm"
                                        kind="password"
                                        label=label(|i| t_string!(i, account.confirm))
                                        error=error
                                        required=true
                                        autocomplete="new-password"
                                    />
                                    <button type="submit" class="primary">
                                        {t!(i18n, setup.submit)}
                                    </button>
                                </form>
                            </section>
                        }
                            .into_any()
                    }
                    _ => view! { <Redirect path="/login" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ChangePassword>::new();
    let error = action_error(action);
    let query = use_query_map();
    let changed = move || query.read().get("changed").is_some();
    let must = move || query.read().get("must").is_some();
    let label = move |key: fn(I18nContext<Locale>) -> &'static str| {
        Signal::derive(move || key(i18n).to_string())
    };
    view! {
        <Page title=|i| t_string!(i, account.title) roles=crate::auth::EVERYONE>
            <section class="card narrow">
                {move || {
                    must()
                        .then(|| {
                            view! {
                                <div class="banner" role="alert" data-testid="must-change">
                                    {t!(i18n, account.must_change)}
                                </div>
                            }
                        })
                }} <h2>{t!(i18n, account.change_password)}</h2>
                {move || {
                    changed()
                        .then(|| {
                            view! {
                                <div
                                    class="banner banner-ok"
                                    role="status"
                                    data-testid="password-changed"
                                >
                                    {t!(i18n, account.changed)}
                                </div>
                            }
                        })
                }} <FormError error=error />
                <ActionForm action=action attr:data-testid="password-form">
                    <TextField
                        name="current"
                        kind="password"
                        label=label(|i| t_string!(i, account.current))
                        error=error
                        required=true
                        autocomplete="current-password"
                    />
                    <TextField
                        name="new_password"
                        kind="password"
                        label=label(|i| t_string!(i, account.new_password))
                        error=error
                        required=true
                        autocomplete="new-password"
                    />
                    <TextField
                        name="confirm"
                        kind="password"
                        label=label(|i| t_string!(i, account.confirm))
                        error=error
                        required=true
                        autocomplete="new-password"
                    />
                    <button type="submit" class="primary">
                        {t!(i18n, account.save)}
                    </button>
                </ActionForm>
            </section>
            <SessionsCard />
        </Page>
    }
}

/// The person's signed-in browsers. Plain forms: ending this browser's session
/// must reload the whole page, as signing out does.
#[component]
fn SessionsCard() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let ended = move || query.read().get("ended").is_some();
    let sessions = Resource::new(|| (), |_| super::my_sessions());
    let end_url = EndSessions::url();
    view! {
        <section class="card" data-testid="sessions">
            <h2>{t!(i18n, account.sessions)}</h2>
            <p class="muted">{t!(i18n, account.sessions_help)}</p>
            {move || {
                ended()
                    .then(|| {
                        view! {
                            <div class="banner banner-ok" role="status">
                                {t!(i18n, account.ended)}
                            </div>
                        }
                    })
            }}
            <Loaded resource=sessions let:list>
                <table class="list">
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, account.browser)}</th>
                            <th scope="col">{t!(i18n, account.address)}</th>
                            <th scope="col">{t!(i18n, account.signed_in)}</th>
                            <th scope="col">{t!(i18n, account.last_seen)}</th>
                            <th scope="col"></th>
                        </tr>
                    </thead>
                    <tbody>
                        {list
                            .into_iter()
                            .map(|s| view! { <SessionRow session=s url=end_url /> })
                            .collect_view()}
                    </tbody>
                </table>
                <form method="post" action=end_url>
                    <input type="hidden" name="all" value="1" />
                    <button type="submit" data-testid="end-all">
                        {t!(i18n, account.end_all)}
                    </button>
                </form>
            </Loaded>
        </section>
    }
}

#[component]
fn SessionRow(session: SessionInfo, url: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let s = session;
    let label = match (s.browser.as_deref(), s.system.as_deref()) {
        (Some(browser), Some(system)) => {
            t_string!(i18n, account.on_system, browser = browser, system = system).to_string()
        }
        (Some(one), None) | (None, Some(one)) => one.to_owned(),
        (None, None) => t_string!(i18n, account.unknown_browser).to_string(),
    };
    view! {
        <tr data-testid="session" class:current=s.current>
            <th scope="row" title=s.user_agent.clone().unwrap_or_default()>
                {label}
                {s
                    .current
                    .then(|| {
                        view! {
                            " "
                            <span class="tag">{t!(i18n, account.this_browser)}</span>
                        }
                    })}
                {s.persistent.then(|| view! { <div class="muted">{t!(i18n, account.kept)}</div> })}
            </th>
            <td>{s.address.clone().unwrap_or_else(|| "—".into())}</td>
            <td>{s.signed_in.clone()}</td>
            <td>{s.last_seen.clone()}</td>
            <td>
                <form method="post" action=url>
                    <input type="hidden" name="id" value=s.id.to_string() />
                    <button type="submit" data-testid="end-session">
                        {if s.current {
                            t!(i18n, account.end_this).into_any()
                        } else {
                            t!(i18n, account.end).into_any()
                        }}
                    </button>
                </form>
            </td>
        </tr>
    }
}
