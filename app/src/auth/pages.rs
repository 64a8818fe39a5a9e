//! Sign-in, first-run setup and account pages.

use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use super::{ChangePassword, FirstRunSetup, Login};
use crate::components::{FormError, Loading, Page, PageTitle, TextField, action_error, use_user};
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
        </Page>
    }
}
