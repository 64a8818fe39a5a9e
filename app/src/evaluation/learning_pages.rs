//! The level 2 page: a course's learning gain from pre-test to post-test, with
//! its paired statistics, the pass rates and the trend across runs.

use leptos::prelude::*;
use leptos_i18n::I18nContext;

use super::figures::{NoTest, Paired};
use super::{LearningReport, PassRate, Run, RunOf};
use crate::components::{Loaded, Page, route_param};
use crate::i18n::*;
use crate::quiz::GainFigures;

fn percent(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_owned(), |x| format!("{x:.0}%"))
}

fn points(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_owned(), |x| format!("{x:+.0}"))
}

fn two(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_owned(), |x| format!("{x:.2}"))
}

/// p as journals print it: three decimals, or "< 0.001".
pub fn p_value(p: f64) -> String {
    if p < 0.001 {
        "< 0.001".to_owned()
    } else {
        format!("{p:.3}")
    }
}

/// g, or why there is none when both tests were taken.
fn normalised(i18n: I18nContext<Locale>, f: &GainFigures) -> String {
    match (f.normalised, f.pre.zip(f.post)) {
        (Some(g), _) => format!("{g:.2}"),
        (None, Some(_)) => t_string!(i18n, gain.undefined).to_owned(),
        (None, None) => "—".to_owned(),
    }
}

/// "p = 0.011", or "p < 0.001".
pub fn p_text(p: f64) -> String {
    let v = p_value(p);
    if v.starts_with('<') {
        format!("p {v}")
    } else {
        format!("p = {v}")
    }
}

pub fn pass_rate(i18n: I18nContext<Locale>, r: Option<PassRate>) -> String {
    match r {
        Some(r) if r.graded > 0 => t_string!(
            i18n,
            l2.passed_of,
            passed = r.passed,
            graded = r.graded,
            share = format!("{:.0}", 100.0 * r.passed as f64 / r.graded as f64)
        )
        .to_string(),
        _ => "—".to_owned(),
    }
}

fn ci(p: &Paired) -> String {
    p.t_test.map_or_else(
        || "—".to_owned(),
        |t| format!("{:+.1} … {:+.1}", t.ci.0, t.ci.1),
    )
}

/// One sentence on a group's change, in the reader's language, saying why
/// there is no test when there is none.
pub fn paired_sentence(i18n: I18nContext<Locale>, what: &str, p: &Paired) -> String {
    match (p.no_test(), p.t_test, p.d_z) {
        (None, Some(t), Some(d)) => {
            let args = (
                what.to_owned(),
                format!("{:.0}%", p.mean_before),
                format!("{:.0}%", p.mean_after),
                format!("{:+.1}", p.mean_change),
                format!("{:+.1}", t.ci.0),
                format!("{:+.1}", t.ci.1),
                p_value(t.p),
                format!("{d:.2}"),
            );
            if p.mean_change >= 0.0 {
                t_string!(
                    i18n,
                    l2.rose,
                    what = args.0,
                    before = args.1,
                    after = args.2,
                    n = p.n,
                    change = args.3,
                    low = args.4,
                    high = args.5,
                    p = args.6,
                    d = args.7
                )
                .to_string()
            } else {
                t_string!(
                    i18n,
                    l2.fell,
                    what = args.0,
                    before = args.1,
                    after = args.2,
                    n = p.n,
                    change = args.3,
                    low = args.4,
                    high = args.5,
                    p = args.6,
                    d = args.7
                )
                .to_string()
            }
        }
        (Some(NoTest::NoSpread), _, _) => {
            t_string!(i18n, l2.no_spread, what = what.to_owned(), n = p.n).to_string()
        }
        _ => t_string!(
            i18n,
            l2.too_few,
            what = what.to_owned(),
            n = p.n,
            min = super::figures::MIN_N
        )
        .to_string(),
    }
}

fn run_label(i18n: I18nContext<Locale>, r: &RunOf) -> String {
    match r {
        RunOf::Session { starts, place } => format!("{starts} · {place}"),
        RunOf::Quarter { year, quarter } => {
            t_string!(i18n, l2.quarter, year = *year, quarter = *quarter).to_string()
        }
    }
}

#[component]
pub fn LearningPage() -> impl IntoView {
    let id = route_param("id");
    let report = Resource::new(id, super::get_learning_report);
    view! {
        <Page
            title=|i| t_string!(i, l2.title)
            roles=super::READERS
            crumbs=vec![(|i| t_string!(i, courses.title), "/courses")]
        >
            <Loaded resource=report let:r>
                <Report r=r.clone() />
            </Loaded>
        </Page>
    }
}

#[component]
fn Report(r: LearningReport) -> impl IntoView {
    let i18n = use_i18n();
    let g = &r.gain;
    let scoped = r.scoped;
    let quiz_link = move |q: &Option<(uuid::Uuid, String)>, missing: &'static str| match q {
        // A manager reads the figures; the quiz itself is the trainers'.
        Some((_, title)) if scoped => view! { <span>{title.clone()}</span> }.into_any(),
        Some((id, title)) => {
            view! { <a href=format!("/quizzes/{id}/items")>{title.clone()}</a> }.into_any()
        }
        None => view! { <span class="muted">{missing}</span> }.into_any(),
    };
    let what = |code: &str| {
        if code.is_empty() {
            t_string!(i18n, gain.whole_test).to_owned()
        } else {
            code.to_owned()
        }
    };
    let groups = g
        .groups
        .iter()
        .map(|row| {
            let f = GainFigures {
                pre: Some(row.pre),
                post: Some(row.post),
                raw: Some(row.raw),
                normalised: row.normalised,
            };
            let paired = r
                .paired
                .iter()
                .find(|p| p.code == row.code)
                .map(|p| p.paired);
            let t = paired.and_then(|p| p.t_test);
            let w = paired.and_then(|p| p.wilcoxon).filter(|_| t.is_some());
            view! {
                <tr data-testid="gain-group">
                    <td>{what(&row.code)}</td>
                    <td class="num">{row.pairs}</td>
                    <td class="num">{percent(f.pre)}</td>
                    <td class="num">{percent(f.post)}</td>
                    <td class="num">{points(f.raw)}</td>
                    <td class="num" data-testid="gain-g">
                        {normalised(i18n, &f)}
                    </td>
                    <td class="num nowrap" data-testid="gain-ci">
                        {paired.as_ref().map_or_else(|| "—".to_owned(), ci)}
                    </td>
                    <td class="num" data-testid="gain-p">
                        {t.map_or_else(|| "—".to_owned(), |t| p_value(t.p))}
                    </td>
                    <td class="num">{two(paired.and_then(|p| p.d_z))}</td>
                    <td class="num">{w.map_or_else(|| "—".to_owned(), |w| p_value(w.p))}</td>
                </tr>
            }
        })
        .collect_view();
    let sentences = r
        .paired
        .iter()
        .map(|p| {
            view! { <li data-testid="gain-sentence">{paired_sentence(i18n, &what(&p.code), &p.paired)}</li> }
        })
        .collect_view();
    let runs = r
        .runs
        .iter()
        .map(|run| view! { <RunRow run=run.clone() /> })
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
    let no_runs = r.runs.is_empty();
    view! {
        <p>
            <a href=format!("/courses/{}/evaluation", g.course_id)>{g.course.clone()}</a>
        </p>
        <super::course_pages::ScopedNote scoped=scoped />
        <section class="card">
            <dl class="facts">
                <dt>{t!(i18n, quiz.purpose_pre)}</dt>
                <dd>
                    {quiz_link(&g.pre_quiz, t_string!(i18n, gain.no_pre))} " · "
                    <span data-testid="pre-pass">{pass_rate(i18n, r.pre_pass)}</span>
                </dd>
                <dt>{t!(i18n, quiz.purpose_post)}</dt>
                <dd>
                    {quiz_link(&g.post_quiz, t_string!(i18n, gain.no_post))} " · "
                    <span data-testid="post-pass">{pass_rate(i18n, r.post_pass)}</span>
                </dd>
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
                                <PairedHeads />
                                <th class="num">{t!(i18n, l2.p_t)}</th>
                                <th class="num">{t!(i18n, l2.d_z)}</th>
                                <th class="num">{t!(i18n, l2.p_wilcoxon)}</th>
                            </tr>
                        </thead>
                        <tbody>{groups}</tbody>
                    </table>
                    <ul class="sentences">{sentences}</ul>
                    <p class="muted">{t!(i18n, l2.stats_help)}</p>
                </section>
                <section class="card">
                    <h2>{t!(i18n, l2.runs)}</h2>
                    {if no_runs {
                        view! { <p class="empty">{t!(i18n, l2.no_runs)}</p> }.into_any()
                    } else {
                        view! {
                            <table class="list" data-testid="runs">
                                <thead>
                                    <tr>
                                        <th>{t!(i18n, l2.run)}</th>
                                        <PairedHeads />
                                        <th class="num">{t!(i18n, l2.post_passed)}</th>
                                    </tr>
                                </thead>
                                <tbody>{runs}</tbody>
                            </table>
                        }
                            .into_any()
                    }}
                    <p class="muted">{t!(i18n, l2.runs_help)}</p>
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

#[component]
fn RunRow(run: Run) -> impl IntoView {
    let i18n = use_i18n();
    let p = run.paired;
    view! {
        <tr data-testid="run">
            <td>{run_label(i18n, &run.run)}</td>
            <td class="num">{p.n}</td>
            <td class="num">{percent(Some(p.mean_before))}</td>
            <td class="num">{percent(Some(p.mean_after))}</td>
            <td class="num">{points(Some(p.mean_change))}</td>
            <td class="num">{two(run.normalised)}</td>
            <td class="num nowrap">{ci(&p)}</td>
            <td class="num">{pass_rate(i18n, Some(run.post_pass))}</td>
        </tr>
    }
}

/// The columns the groups and the runs share: learners with both tests, the
/// means before and after, the raw and normalised gains and the CI.
#[component]
fn PairedHeads() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <th class="num">{t!(i18n, gain.pairs)}</th>
        <th class="num">{t!(i18n, gain.pre)}</th>
        <th class="num">{t!(i18n, gain.post)}</th>
        <th class="num">{t!(i18n, gain.raw)}</th>
        <th class="num">{t!(i18n, gain.g)}</th>
        <th class="num">{t!(i18n, l2.ci)}</th>
    }
}
