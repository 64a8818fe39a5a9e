//! What trainers read after a test: the item analysis that finds the
//! questions to fix. (The learning gain is level 2 of the evaluation.)

use leptos::prelude::*;
use leptos_i18n::I18nContext;

use super::pages::kind_name;
use super::{BANK_EDITORS, ItemAnalysis, ItemFlag, ItemRow};
use crate::components::{Loaded, Page, route_param};
use crate::domain::QuestionKind;
use crate::i18n::*;

fn two(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_owned(), |x| format!("{x:.2}"))
}

fn flag_name(i18n: I18nContext<Locale>, f: ItemFlag) -> &'static str {
    match f {
        ItemFlag::Negative => t_string!(i18n, items.flag_negative),
        ItemFlag::TooEasy => t_string!(i18n, items.flag_easy),
        ItemFlag::TooHard => t_string!(i18n, items.flag_hard),
    }
}

#[component]
pub fn ItemAnalysisPage() -> impl IntoView {
    let id = route_param("id");
    let analysis = Resource::new(id, super::get_item_analysis);
    view! {
        <Page
            title=|i| t_string!(i, items.title)
            roles=BANK_EDITORS
            crumbs=vec![(|i| t_string!(i, courses.title), "/courses")]
        >
            <Loaded resource=analysis let:a>
                <Analysis a=a.clone() />
            </Loaded>
        </Page>
    }
}

#[component]
fn Analysis(a: ItemAnalysis) -> impl IntoView {
    let i18n = use_i18n();
    let summary = if a.learners == 0 {
        view! { <p class="empty">{t!(i18n, items.empty)}</p> }.into_any()
    } else {
        view! {
            <dl class="facts" data-testid="item-summary">
                <dt>{t!(i18n, items.learners)}</dt>
                <dd>{a.learners}</dd>
                <dt>{t!(i18n, items.mean)}</dt>
                <dd>{a.mean_percent.map(|m| format!("{m:.1}%")).unwrap_or_default()}</dd>
                <dt>{t!(i18n, items.alpha)}</dt>
                <dd data-testid="alpha">
                    {match a.alpha {
                        Some(x) => format!("{x:.2}"),
                        None => t_string!(i18n, items.alpha_none).to_owned(),
                    }}
                </dd>
            </dl>
        }
        .into_any()
    };
    view! {
        <p>
            <a href=format!("/courses/{}/quizzes", a.course_id)>{a.course.clone()}</a>
            " · "
            <a href=format!("/quizzes/{}", a.quiz_id)>{a.title.clone()}</a>
        </p>
        <section class="card">
            {summary}
            {(a.waiting > 0)
                .then(|| {
                    view! {
                        <p class="muted" data-testid="items-waiting">
                            {t_string!(i18n, items.waiting, n = a.waiting)}
                        </p>
                    }
                })} <p class="muted">{t!(i18n, items.help)}</p>
        </section>
        {(!a.items.is_empty())
            .then(|| {
                view! {
                    <section class="card">
                        <table class="list" data-testid="items">
                            <thead>
                                <tr>
                                    <th>{t!(i18n, bank.question)}</th>
                                    <th>{t!(i18n, bank.competency)}</th>
                                    <th class="num">{t!(i18n, items.n)}</th>
                                    <th class="num">{t!(i18n, items.facility)}</th>
                                    <th class="num">{t!(i18n, items.discrimination)}</th>
                                    <th class="num">{t!(i18n, items.rest_r)}</th>
                                    <th>{t!(i18n, items.options)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {a.items.iter().map(|r| item_row(i18n, r)).collect_view()}
                            </tbody>
                        </table>
                    </section>
                }
            })}
    }
}

fn item_row(i18n: I18nContext<Locale>, r: &ItemRow) -> impl IntoView + use<> {
    let flagged = !r.flags.is_empty();
    let flags = r
        .flags
        .iter()
        .map(|f| {
            view! {
                <span class="tag tag-warn" data-testid="item-flag">
                    {flag_name(i18n, *f)}
                </span>
            }
        })
        .collect_view();
    let tf = r.kind == QuestionKind::TrueFalse;
    let options = r
        .options
        .iter()
        .map(|o| {
            let text = match (tf, o.text.as_str()) {
                (true, "true") => t_string!(i18n, bank.true_).to_owned(),
                (true, _) => t_string!(i18n, bank.false_).to_owned(),
                _ => o.text.clone(),
            };
            view! {
                <li class:right=o
                    .right>
                    {text} ": " {o.count}
                    {o.right.then(|| format!(" ({})", t_string!(i18n, bank.right)))}
                </li>
            }
        })
        .collect_view();
    view! {
        <tr data-testid="item-row" class:row-error=flagged>
            <td>
                <a href=format!("/bank/questions/{}", r.question_id)>{r.name.clone()}</a>
                <div class="muted">{kind_name(i18n, r.kind)}</div>
                {flags}
            </td>
            <td>{r.competency.clone().unwrap_or_default()}</td>
            <td class="num">{r.n}</td>
            <td class="num">{two(r.facility)}</td>
            <td class="num" data-testid="item-discrimination">
                {two(r.discrimination)}
            </td>
            <td class="num">{two(r.rest_correlation)}</td>
            <td>
                <ul class="option-counts">{options}</ul>
            </td>
        </tr>
    }
}
