//! The printable certificate and the public verification page.

use leptos::prelude::*;

use super::{CertificateDto, Verified};
use crate::auth::EVERYONE;
use crate::components::{
    ErrorPage, Loaded, Loading, Page, PageTitle, QueryBanner, query_param, route_param,
};
use crate::error::AppError;
use crate::i18n::*;

#[component]
pub fn CertificatePage() -> impl IntoView {
    let code = route_param("code");
    let cert = Resource::new(code, super::get_certificate);
    view! {
        <Page
            title=|i| t_string!(i, certificates.title)
            roles=EVERYONE
            crumbs=vec![(|i| t_string!(i, learning.title), "/learning")]
            heading=false
        >
            <QueryBanner key="completed" text=|i| t_string!(i, certificates.congratulations) />
            <Loaded resource=cert let:c>
                <Certificate cert=c />
            </Loaded>
        </Page>
    }
}

#[component]
fn Certificate(cert: CertificateDto) -> impl IntoView {
    let i18n = use_i18n();
    let c = cert;
    view! {
        <p class="no-print">
            <crate::islands::PrintButton label=t_string!(i18n, certificates.print).to_string() />
        </p>
        <article class="certificate" data-testid="certificate">
            <p class="office">{c.office.clone()}</p>
            <h1>{t!(i18n, certificates.heading)}</h1>
            <p class="holder" data-testid="holder">
                {c.person_name.clone()}
                <span class="muted">" (" {c.employee_no.clone()} ")"</span>
            </p>
            <p>
                {t_string!(
                    i18n,
                    certificates.body,
                    course = c.course_title.clone(),
                    hours = format!("{}", c.hours),
                    date = c.issued_on.clone()
                )}
            </p>
            <p class="muted">{c.course_code.clone()}</p>
            <p class="verify">
                {t!(i18n, certificates.code)} " "
                <strong data-testid="code">{c.code.clone()}</strong> <br />
                {t!(i18n, certificates.check_at)} " "
                <a href=c.verify_url.clone() data-testid="verify-url">
                    {c.verify_url.clone()}
                </a>
            </p>
        </article>
    }
}

/// Public: `/verify` with a form, `/verify/:code` with the answer.
#[component]
pub fn VerifyPage() -> impl IntoView {
    let i18n = use_i18n();
    let from_path = route_param("code");
    let from_query = query_param("code");
    let code = move || {
        let c = from_path();
        if c.is_empty() { from_query() } else { c }
    };
    let result = Resource::new(code, |code| async move {
        if code.trim().is_empty() {
            None
        } else {
            Some(super::verify_certificate(code).await)
        }
    });
    view! {
        <PageTitle text=move || t_string!(i18n, certificates.verify_title).to_string() />
        <section class="card narrow">
            <h1>{t!(i18n, certificates.verify_title)}</h1>
            <p class="muted">{t!(i18n, certificates.verify_intro)}</p>
            <form method="get" action="/verify">
                <label for="code">{t!(i18n, certificates.code)}</label>
                <input id="code" name="code" required autocomplete="off" value=code />
                <button class="button primary" type="submit">
                    {t!(i18n, certificates.check)}
                </button>
            </form>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match result.await {
                        None => ().into_any(),
                        Some(Ok(v)) => view! { <Valid v=v /> }.into_any(),
                        Some(Err(AppError::NotFound)) => {
                            view! {
                                <p class="banner banner-error" role="alert" data-testid="not-valid">
                                    {t!(i18n, certificates.not_found)}
                                </p>
                            }
                                .into_any()
                        }
                        Some(Err(e)) => view! { <ErrorPage error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Valid(v: Verified) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="banner banner-ok" role="status" data-testid="valid">
            <p>
                <strong>{t!(i18n, certificates.valid)}</strong>
            </p>
            <dl class="facts">
                <dt>{t!(i18n, certificates.name)}</dt>
                <dd data-testid="verified-name">{v.person_name}</dd>
                <dt>{t!(i18n, certificates.course)}</dt>
                <dd data-testid="verified-course">{v.course_title}</dd>
                <dt>{t!(i18n, certificates.date)}</dt>
                <dd>{v.issued_on}</dd>
                <dt>{t!(i18n, certificates.hours)}</dt>
                <dd>{format!("{}", v.hours)}</dd>
            </dl>
        </div>
    }
}
