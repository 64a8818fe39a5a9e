//! A quiz's results for its editors: each learner's counted attempt with
//! score, pass and time taken, a summary, and a CSV export.

use leptos::prelude::*;
use leptos_i18n::I18nContext;

use super::attempt_pages::duration;
use super::{BANK_EDITORS, LearnerResult, QuizResults};
use crate::components::{Loaded, Page, Pager, query_page, route_param};
use crate::i18n::*;

#[component]
pub fn QuizResultsPage() -> impl IntoView {
    let id = route_param("id");
    let page = query_page();
    let results = Resource::new(
        move || (id(), page()),
        |(id, page)| super::get_quiz_results(id, Some(page.to_string())),
    );
    view! {
        <Page
            title=|i| t_string!(i, results.title)
            roles=BANK_EDITORS
            crumbs=vec![(|i| t_string!(i, courses.title), "/courses")]
        >
            <Loaded resource=results let:r>
                <Results r=r.clone() />
            </Loaded>
        </Page>
    }
}

#[component]
fn Results(r: QuizResults) -> impl IntoView {
    let i18n = use_i18n();
    let s = r.summary.clone();
    let id = r.quiz_id;
    let href = move |n: u64| format!("/quizzes/{id}/results?page={n}");
    let table = if r.rows.is_empty() {
        view! {
            <p class="empty" data-testid="results-empty">
                {t!(i18n, results.empty)}
            </p>
        }
        .into_any()
    } else {
        view! {
            <table class="list" data-testid="results">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, proposals.person)}</th>
                        <th scope="col">{t!(i18n, team.unit)}</th>
                        <th scope="col" class="num">
                            {t!(i18n, results.attempts)}
                        </th>
                        <th scope="col" class="num">
                            {t!(i18n, results.score)}
                        </th>
                        <th scope="col">{t!(i18n, results.pass)}</th>
                        <th scope="col" class="num">
                            {t!(i18n, results.time)}
                        </th>
                        <th scope="col">{t!(i18n, results.submitted)}</th>
                    </tr>
                </thead>
                <tbody>{r.rows.iter().map(|l| learner_row(i18n, l)).collect_view()}</tbody>
            </table>
            <Pager page=r.page pages=r.pages href=href />
        }
        .into_any()
    };
    view! {
        <p>
            <a href=format!("/courses/{}/quizzes", r.course_id)>{t!(i18n, quiz.title)}</a>
            " · "
            <a href=format!("/quizzes/{id}")>{r.title.clone()}</a>
        </p>
        <section class="card">
            <dl class="facts" data-testid="results-summary">
                <dt>{t!(i18n, results.learners)}</dt>
                <dd>{s.learners}</dd>
                <dt>{t!(i18n, results.submitted_n)}</dt>
                <dd data-testid="results-submitted">{s.submitted}</dd>
                <dt>{t!(i18n, results.passed_n)}</dt>
                <dd data-testid="results-passed">
                    {t_string!(
                        i18n, results.passed_of, passed = s.passed, graded = s.submitted - s.waiting, mark = format!("{:.0}", r.pass_mark)
                    )}
                </dd>
                <dt>{t!(i18n, items.mean)}</dt>
                <dd>
                    {s.mean_percent.map(|m| format!("{m:.1}%")).unwrap_or_else(|| "—".into())}
                </dd>
                <dt>{t!(i18n, results.median_time)}</dt>
                <dd>
                    {s.median_seconds.map(|x| duration(i18n, x)).unwrap_or_else(|| "—".into())}
                    {r
                        .time_limit_minutes
                        .map(|m| format!(" ({})", t_string!(i18n, results.limit, n = m)))}
                </dd>
            </dl>
            {(s.in_progress > 0)
                .then(|| {
                    view! {
                        <p class="muted">{t_string!(i18n, results.open_n, n = s.in_progress)}</p>
                    }
                })}
            {(s.waiting > 0)
                .then(|| {
                    view! {
                        <p class="muted" data-testid="results-waiting">
                            {t_string!(i18n, results.waiting_n, n = s.waiting)}
                        </p>
                    }
                })}
            <p>
                <a
                    href=format!("/export/quizzes/{id}/results.csv")
                    download
                    data-testid="results-csv"
                >
                    {t!(i18n, results.export)}
                </a>
            </p>
        </section>
        <section class="card">{table}</section>
    }
}

fn learner_row(i18n: I18nContext<Locale>, l: &LearnerResult) -> impl IntoView + use<> {
    let score = match (l.score, l.max_score, l.percent) {
        (Some(s), Some(m), Some(p)) => format!("{s:.1} / {m} ({p:.0}%)"),
        _ => "—".to_owned(),
    };
    let pass = match (l.counted, l.passed) {
        (None, _) => t_string!(i18n, results.not_submitted).to_owned(),
        (Some(_), None) => t_string!(i18n, results.waiting).to_owned(),
        (Some(_), Some(true)) => t_string!(i18n, results.passed).to_owned(),
        (Some(_), Some(false)) => t_string!(i18n, results.not_passed).to_owned(),
    };
    let attempts = match l.counted {
        Some(n) if l.attempts > 1 => t_string!(i18n, results.counted, n = l.attempts, counted = n),
        _ => l.attempts.to_string(),
    };
    view! {
        <tr data-testid="result-row">
            <th scope="row">
                {l.name.clone()} <span class="muted">" · " {l.employee_no.clone()}</span>
            </th>
            <td>{l.unit.clone()}</td>
            <td class="num">{attempts}</td>
            <td class="num">{score}</td>
            <td class:warn=l.passed == Some(false)>{pass}</td>
            <td class="num">
                {l.seconds.map(|x| duration(i18n, x)).unwrap_or_else(|| "—".into())}
            </td>
            <td>
                {l.submitted.clone().unwrap_or_default()}
                {l
                    .by_deadline
                    .then(|| {
                        view! {
                            " "
                            <span class="tag">{t!(i18n, results.at_deadline)}</span>
                        }
                    })}
            </td>
        </tr>
    }
}
