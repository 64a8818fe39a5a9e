//! What trainers read after a test: the item analysis that finds the
//! questions to fix, and the learning gain from pre-test to post-test.

use leptos::prelude::*;
use leptos_i18n::I18nContext;

use super::pages::kind_name;
use super::{BANK_EDITORS, GainFigures, ItemAnalysis, ItemFlag, ItemRow, LearningGain};
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

fn percent(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_owned(), |x| format!("{x:.0}%"))
}

fn points(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_owned(), |x| format!("{x:+.0}"))
}

/// g, or why there is none when both tests were taken.
fn normalised(i18n: I18nContext<Locale>, f: &GainFigures) -> String {
    match (f.normalised, f.pre.zip(f.post)) {
        (Some(g), _) => format!("{g:.2}"),
        (None, Some(_)) => t_string!(i18n, gain.undefined).to_owned(),
        (None, None) => "—".to_owned(),
    }
}

#[component]
pub fn LearningGainPage() -> impl IntoView {
    let id = route_param("id");
    let gain = Resource::new(id, super::get_learning_gain);
    view! {
        <Page
            title=|i| t_string!(i, gain.title)
            roles=BANK_EDITORS
            crumbs=vec![(|i| t_string!(i, courses.title), "/courses")]
        >
            <Loaded resource=gain let:g>
                <Gain g=g.clone() />
            </Loaded>
        </Page>
    }
}

#[component]
fn Gain(g: LearningGain) -> impl IntoView {
    let i18n = use_i18n();
    let quiz_link = |q: &Option<(uuid::Uuid, String)>, missing: &'static str| match q {
        Some((id, title)) => {
            view! { <a href=format!("/quizzes/{id}/items")>{title.clone()}</a> }.into_any()
        }
        None => view! { <span class="muted">{missing}</span> }.into_any(),
    };
    let groups = g
        .groups
        .iter()
        .map(|r| {
            let what = if r.code.is_empty() {
                t_string!(i18n, gain.whole_test).to_owned()
            } else {
                r.code.clone()
            };
            let f = GainFigures {
                pre: Some(r.pre),
                post: Some(r.post),
                raw: Some(r.raw),
                normalised: r.normalised,
            };
            view! {
                <tr data-testid="gain-group">
                    <td>{what}</td>
                    <td class="num">{r.pairs}</td>
                    <td class="num">{percent(f.pre)}</td>
                    <td class="num">{percent(f.post)}</td>
                    <td class="num">{points(f.raw)}</td>
                    <td class="num" data-testid="gain-g">
                        {normalised(i18n, &f)}
                    </td>
                </tr>
            }
        })
        .collect_view();
    let people = g
        .people
        .iter()
        .map(|p| {
            let detail = p
                .competencies
                .iter()
                .map(|(code, f)| {
                    format!(
                        "{code}: {} → {} ({})",
                        percent(f.pre),
                        percent(f.post),
                        normalised(i18n, f),
                    )
                })
                .collect::<Vec<_>>()
                .join(" · ");
            view! {
                <tr data-testid="gain-person">
                    <td>{p.name.clone()} <div class="muted">{p.employee_no.clone()}</div></td>
                    <td class="num">{percent(p.total.pre)}</td>
                    <td class="num">{percent(p.total.post)}</td>
                    <td class="num">{points(p.total.raw)}</td>
                    <td class="num">{normalised(i18n, &p.total)}</td>
                    <td class="muted">{detail}</td>
                </tr>
            }
        })
        .collect_view();
    let empty = g.people.is_empty();
    view! {
        <p>
            <a href=format!("/courses/{}/quizzes", g.course_id)>{g.course.clone()}</a>
        </p>
        <section class="card">
            <dl class="facts">
                <dt>{t!(i18n, quiz.purpose_pre)}</dt>
                <dd>{quiz_link(&g.pre_quiz, t_string!(i18n, gain.no_pre))}</dd>
                <dt>{t!(i18n, quiz.purpose_post)}</dt>
                <dd>{quiz_link(&g.post_quiz, t_string!(i18n, gain.no_post))}</dd>
            </dl>
            <p class="muted">{t!(i18n, gain.help)}</p>
        </section>
        {if empty {
            view! { <p class="empty">{t!(i18n, gain.empty)}</p> }.into_any()
        } else {
            view! {
                <section class="card">
                    <h2>{t!(i18n, gain.groups)}</h2>
                    <table class="list" data-testid="gain-groups">
                        <thead>
                            <tr>
                                <th>{t!(i18n, bank.competency)}</th>
                                <th class="num">{t!(i18n, gain.pairs)}</th>
                                <th class="num">{t!(i18n, gain.pre)}</th>
                                <th class="num">{t!(i18n, gain.post)}</th>
                                <th class="num">{t!(i18n, gain.raw)}</th>
                                <th class="num">{t!(i18n, gain.g)}</th>
                            </tr>
                        </thead>
                        <tbody>{groups}</tbody>
                    </table>
                </section>
                <section class="card">
                    <h2>{t!(i18n, gain.people)}</h2>
                    <table class="list" data-testid="gain-people">
                        <thead>
                            <tr>
                                <th>{t!(i18n, gain.person)}</th>
                                <th class="num">{t!(i18n, gain.pre)}</th>
                                <th class="num">{t!(i18n, gain.post)}</th>
                                <th class="num">{t!(i18n, gain.raw)}</th>
                                <th class="num">{t!(i18n, gain.g)}</th>
                                <th>{t!(i18n, gain.by_competency)}</th>
                            </tr>
                        </thead>
                        <tbody>{people}</tbody>
                    </table>
                </section>
            }
                .into_any()
        }}
    }
}
