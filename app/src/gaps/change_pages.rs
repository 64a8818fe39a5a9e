//! The before/after report: a follow-up campaign against its baseline, per
//! competency, as a chart drawn on the server (it prints and needs no
//! JavaScript), a table with n and the paired statistics, one sentence per
//! competency, and how each course's takers changed against those who took none.

use leptos::prelude::*;
use leptos_i18n::I18nContext;

use super::pages::{FilterForm, GapTabs, ProvenanceLine, opt, view_query};
use super::{
    ANALYSTS, BeforeAfter, ChangeRow, ChangeSource, CourseEffect, PeopleChange, PersonChange,
    SourceRow, ViewQuery,
};
use crate::components::{Loaded, Page, Pager, query_page};
use crate::evaluation::figures::{NoTest, Paired, TwoGroups};
use crate::evaluation::learning_pages::{p_text, p_value};
use crate::i18n::*;

fn two(x: f64) -> String {
    format!("{x:.2}")
}

fn signed(x: f64) -> String {
    format!("{x:+.2}")
}

/// One decimal with its sign, and no "-0.0" for a change that rounds to nothing.
fn signed1(x: f64) -> String {
    let s = format!("{x:+.1}");
    if s == "-0.0" || s == "+0.0" {
        "0.0".to_owned()
    } else {
        s
    }
}

fn ci_text((low, high): (f64, f64)) -> String {
    format!("{low:+.2} … {high:+.2}")
}

/// "2.3 to 3.1 (n = 18, +0.8, 95 % CI 0.5 to 1.1)", or why there is no test.
fn row_sentence(i18n: I18nContext<Locale>, scope: &str, r: &ChangeRow, p: &Paired) -> String {
    let what = r.competency.clone();
    let scope = scope.to_owned();
    let (before, after, change) = (
        format!("{:.1}", p.mean_before),
        format!("{:.1}", p.mean_after),
        signed1(p.mean_change),
    );
    let first = match (p.no_test(), p.t_test) {
        (None, Some(t)) => {
            let (low, high) = (signed1(t.ci.0), signed1(t.ci.1));
            let direction = if p.mean_change >= 0.0 {
                t_string!(i18n, change.rose)
            } else {
                t_string!(i18n, change.fell)
            };
            t_string!(
                i18n,
                change.moved,
                what = what,
                scope = scope,
                direction = direction,
                before = before,
                after = after,
                n = p.n,
                change = change,
                low = low,
                high = high,
                p = p_text(t.p)
            )
            .to_string()
        }
        (Some(NoTest::NoSpread), _) => t_string!(
            i18n,
            change.no_spread,
            what = what,
            scope = scope,
            before = before,
            after = after,
            n = p.n
        )
        .to_string(),
        _ => t_string!(
            i18n,
            change.too_few,
            what = what,
            scope = scope,
            before = before,
            after = after,
            n = p.n,
            min = crate::evaluation::figures::MIN_N
        )
        .to_string(),
    };
    // The course with the most takers whose comparison may be shown.
    let course = r.courses.iter().find_map(|c| c.groups.map(|g| (c, g)));
    match course {
        Some((c, g)) => format!("{first} {}", course_clause(i18n, c, &g)),
        None => first,
    }
}

fn course_clause(i18n: I18nContext<Locale>, c: &CourseEffect, g: &TwoGroups) -> String {
    let diff = format!("{:.1}", g.difference.abs());
    let p = g.welch.map_or_else(|| "p —".to_owned(), |w| p_text(w.p));
    let course = c.title.clone();
    let direction = if g.difference >= 0.0 {
        t_string!(i18n, change.more)
    } else {
        t_string!(i18n, change.less)
    };
    t_string!(
        i18n,
        change.course_compared,
        course = course,
        diff = diff,
        direction = direction,
        trained = c.trained,
        untrained = c.untrained,
        p = p
    )
    .to_string()
}

#[component]
pub fn BeforeAfterPage() -> impl IntoView {
    let q = view_query();
    let report = Resource::new(
        move || q.get(),
        |q| super::before_after_report(opt(q.campaign), opt(q.unit), opt(q.position)),
    );
    view! {
        <Page title=|i| t_string!(i, change.title) roles=ANALYSTS>
            <GapTabs />
            <Loaded resource=report let:r>
                <Report r=r.clone() query=q.get_untracked() />
            </Loaded>
        </Page>
    }
}

#[component]
fn Report(r: BeforeAfter, query: ViewQuery) -> impl IntoView {
    let i18n = use_i18n();
    let selected = r.provenance.as_ref().map(|p| p.campaign_id);
    let filters = view! { <FilterForm filters=r.filters.clone() query=query.clone() selected_campaign=selected /> };
    let (Some(after), Some(before)) = (r.provenance.clone(), r.baseline.clone()) else {
        return view! {
            {filters}
            <p class="empty" data-testid="change-empty">
                {t!(i18n, change.empty)}
                " "
                <a href="/campaigns">{t!(i18n, change.go_campaigns)}</a>
            </p>
        }
        .into_any();
    };
    let k = r.threshold();
    let export = format!(
        "/export/gaps/before-after.csv?{}",
        ViewQuery {
            campaign: selected,
            ..query.clone()
        }
        .query_string()
    );
    let scope = r
        .scope
        .clone()
        .unwrap_or_else(|| t_string!(i18n, change.all_units).to_owned());
    let measured = r.rows.iter().any(|row| row.n > 0);
    let sentences = r
        .rows
        .iter()
        .filter_map(|row| {
            row.paired
                .as_ref()
                .map(|p| row_sentence(i18n, &scope, row, p))
        })
        .map(|s| view! { <li data-testid="change-sentence">{s}</li> })
        .collect_view();
    let rows = r
        .rows
        .iter()
        .map(|row| view! { <Row row=row.clone() k=k /> })
        .collect_view();
    let effects = r
        .rows
        .iter()
        .flat_map(|row| {
            row.courses
                .iter()
                .map(move |c| (row.competency.clone(), c.clone()))
        })
        .map(|(competency, c)| view! { <EffectRow competency=competency c=c k=k /> })
        .collect_view();
    let any_course = r.rows.iter().any(|row| !row.courses.is_empty());
    view! {
        {filters}
        <dl class="facts">
            <dt>{t!(i18n, change.before)}</dt>
            <dd>
                <ProvenanceLine provenance=before />
            </dd>
            <dt>{t!(i18n, change.after)}</dt>
            <dd>
                <ProvenanceLine provenance=after />
            </dd>
        </dl>
        <p class="muted">
            {t_string!(i18n, change.help, k = k)} " · "
            <a href=export rel="external" download data-testid="export-change">
                {t!(i18n, gaps.export)}
            </a> " " <crate::islands::PrintButton label=t_string!(i18n, change.print).to_string() />
        </p>
        {if measured {
            view! {
                <section class="card">
                    <h2>
                        {r
                            .scope
                            .clone()
                            .unwrap_or_else(|| {
                                t_string!(i18n, change.all_units_heading).to_owned()
                            })}
                    </h2>
                    <Chart rows=r.rows.clone() />
                    <ul class="sentences">{sentences}</ul>
                    <div class="scroll-x">
                        <table class="list" data-testid="change-table">
                            <thead>
                                <tr>
                                    <th>{t!(i18n, bank.competency)}</th>
                                    <th class="num">"n"</th>
                                    <th class="num">{t!(i18n, change.before)}</th>
                                    <th class="num">{t!(i18n, change.after)}</th>
                                    <th class="num">{t!(i18n, change.change)}</th>
                                    <th class="num">{t!(i18n, change.ci)}</th>
                                    <th class="num">{t!(i18n, l2.p_t)}</th>
                                    <th class="num">{t!(i18n, l2.d_z)}</th>
                                    <th class="num">{t!(i18n, l2.p_wilcoxon)}</th>
                                    <th class="num">{t!(i18n, change.closed)}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                    <p class="muted">{t!(i18n, change.stats_help)}</p>
                </section>
                <Sources rows=r.rows.clone() k=k />
                <section class="card">
                    <h2>{t!(i18n, change.courses)}</h2>
                    {if any_course {
                        view! {
                            <div class="scroll-x">
                                <table class="list" data-testid="change-courses">
                                    <thead>
                                        <tr>
                                            <th>{t!(i18n, bank.competency)}</th>
                                            <th>{t!(i18n, change.course)}</th>
                                            <th class="num">{t!(i18n, change.trained)}</th>
                                            <th class="num">{t!(i18n, change.untrained)}</th>
                                            <th class="num">{t!(i18n, change.difference)}</th>
                                            <th class="num">{t!(i18n, change.ci)}</th>
                                            <th class="num">{t!(i18n, change.p_welch)}</th>
                                            <th class="num">{t!(i18n, change.hedges_g)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>{effects}</tbody>
                                </table>
                            </div>
                        }
                            .into_any()
                    } else {
                        view! { <p class="empty">{t!(i18n, change.no_courses)}</p> }.into_any()
                    }}
                    <p class="muted">{t!(i18n, change.courses_help)}</p>
                </section>
                <People query=ViewQuery {
                    campaign: selected,
                    ..query.clone()
                } />
            }
                .into_any()
        } else {
            view! {
                <p class="empty" data-testid="change-none">
                    {t!(i18n, change.none_measured)}
                </p>
            }
                .into_any()
        }}
    }
    .into_any()
}

#[component]
fn Row(row: ChangeRow, k: usize) -> impl IntoView {
    let i18n = use_i18n();
    let name = view! { <td title=row.code.clone()>{row.competency.clone()}</td> };
    let Some(p) = row.paired else {
        let why = if row.n == 0 {
            "—".to_owned()
        } else {
            t_string!(i18n, change.suppressed, k = k).to_string()
        };
        return view! {
            <tr data-testid="change-row" class="suppressed">
                {name}
                <td class="num">{row.n}</td>
                <td class="muted" colspan="8">
                    {why}
                </td>
            </tr>
        }
        .into_any();
    };
    let t = p.t_test;
    let closed = row.gap_closed.map_or_else(
        || "—".to_owned(),
        |(closed, had)| {
            if had == 0 {
                "—".to_owned()
            } else {
                t_string!(i18n, change.closed_of, closed = closed, had = had).to_string()
            }
        },
    );
    view! {
        <tr data-testid="change-row">
            {name} <td class="num">{p.n}</td> {paired_cells(&p)}
            <td class="num">{p.d_z.map_or_else(|| "—".to_owned(), two)}</td>
            <td class="num">
                {p
                    .wilcoxon
                    .filter(|_| t.is_some())
                    .map_or_else(|| "—".to_owned(), |w| p_value(w.p))}
            </td> <td class="num">{closed}</td>
        </tr>
    }
    .into_any()
}

/// Follow-ups and quizzes on the same competencies, each with its own n.
#[component]
fn Sources(rows: Vec<ChangeRow>, k: usize) -> impl IntoView {
    let i18n = use_i18n();
    let lines: Vec<(String, SourceRow)> = rows
        .iter()
        .flat_map(|row| {
            row.sources
                .iter()
                .map(move |s| (row.competency.clone(), s.clone()))
        })
        .collect();
    let body = if lines.is_empty() {
        view! { <p class="empty">{t!(i18n, change.no_sources)}</p> }.into_any()
    } else {
        let rows = lines
            .into_iter()
            .map(|(competency, s)| view! { <SourceLine competency=competency s=s k=k /> })
            .collect_view();
        view! {
            <div class="scroll-x">
                <table class="list" data-testid="change-sources">
                    <thead>
                        <tr>
                            <th>{t!(i18n, bank.competency)}</th>
                            <th>{t!(i18n, change.source)}</th>
                            <th class="num">"n"</th>
                            <th class="num">{t!(i18n, change.before)}</th>
                            <th class="num">{t!(i18n, change.after)}</th>
                            <th class="num">{t!(i18n, change.change)}</th>
                            <th class="num">{t!(i18n, change.ci)}</th>
                            <th class="num">{t!(i18n, l2.p_t)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section class="card">
            <h2>{t!(i18n, change.sources)}</h2>
            {body}
            <p class="muted">{t!(i18n, change.sources_help)}</p>
        </section>
    }
}

#[component]
fn SourceLine(competency: String, s: SourceRow, k: usize) -> impl IntoView {
    let i18n = use_i18n();
    let source = match s.source {
        ChangeSource::FollowUps => t_string!(i18n, change.source_follow_ups).to_string(),
        ChangeSource::Quizzes => t_string!(i18n, change.source_quizzes).to_string(),
    };
    let cells = match s.paired {
        Some(p) => paired_cells(&p).into_any(),
        None => view! {
            <td class="muted" colspan="5">
                {t_string!(i18n, change.suppressed, k = k).to_string()}
            </td>
        }
        .into_any(),
    };
    view! {
        <tr data-testid="change-source">
            <td>{competency}</td>
            <td>{source}</td>
            <td class="num">{s.n}</td>
            {cells}
        </tr>
    }
}

/// Before, after, change, its CI and the paired t-test's p.
fn paired_cells(p: &Paired) -> impl IntoView + use<> {
    let t = p.t_test;
    view! {
        <td class="num">{two(p.mean_before)}</td>
        <td class="num">{two(p.mean_after)}</td>
        <td class="num">{signed(p.mean_change)}</td>
        <td class="num nowrap">{t.map_or_else(|| "—".to_owned(), |t| ci_text(t.ci))}</td>
        <td class="num">{t.map_or_else(|| "—".to_owned(), |t| p_value(t.p))}</td>
    }
}

#[component]
fn EffectRow(competency: String, c: CourseEffect, k: usize) -> impl IntoView {
    let i18n = use_i18n();
    let cells = match c.groups {
        Some(g) => view! {
            <td class="num">{signed(g.difference)}</td>
            <td class="num nowrap">
                {g.welch.map_or_else(|| "—".to_owned(), |w| ci_text(w.ci))}
            </td>
            <td class="num">{g.welch.map_or_else(|| "—".to_owned(), |w| p_value(w.p))}</td>
            <td class="num">{g.hedges_g.map_or_else(|| "—".to_owned(), two)}</td>
        }
        .into_any(),
        None => view! {
            <td class="muted" colspan="4">
                {t_string!(i18n, change.suppressed, k = k).to_string()}
            </td>
        }
        .into_any(),
    };
    view! {
        <tr data-testid="change-course">
            <td>{competency}</td>
            <td>
                <a href=format!("/courses/{}/evaluation", c.course_id)>{c.title.clone()}</a>
                <div class="muted">{c.code.clone()}</div>
            </td>
            <td class="num">{c.trained}</td>
            <td class="num">{c.untrained}</td>
            {cells}
        </tr>
    }
}

/// Levels run from 1 to 5; the chart's x axis.
const LOW: f64 = 1.0;
const HIGH: f64 = 5.0;
const LABEL_W: f64 = 190.0;
const PLOT_W: f64 = 420.0;
const ROW_H: f64 = 26.0;

fn x_of(level: f64) -> f64 {
    LABEL_W + (level.clamp(LOW, HIGH) - LOW) / (HIGH - LOW) * PLOT_W
}

/// One line per shown competency from the mean before (hollow) to the mean
/// after (filled); the table below has the same numbers.
#[component]
fn Chart(rows: Vec<ChangeRow>) -> impl IntoView {
    let i18n = use_i18n();
    let shown: Vec<(String, Paired)> = rows
        .into_iter()
        .filter_map(|r| r.paired.map(|p| (r.competency, p)))
        .collect();
    let height = 30.0 + ROW_H * shown.len() as f64;
    let ticks = (1..=5)
        .map(|l| {
            let x = x_of(f64::from(l));
            view! {
                <line class="chart-grid" x1=x x2=x y1="8" y2=height - 14.0 />
                <text class="chart-tick" x=x y=height - 2.0 text-anchor="middle">
                    {l}
                </text>
            }
        })
        .collect_view();
    let lines = shown
        .iter()
        .enumerate()
        .map(|(i, (name, p))| {
            let y = 20.0 + ROW_H * i as f64;
            let (b, a) = (x_of(p.mean_before), x_of(p.mean_after));
            view! {
                <g data-testid="chart-row">
                    <text class="chart-label" x=LABEL_W - 8.0 y=y + 4.0 text-anchor="end">
                        {name.clone()}
                    </text>
                    <line class="chart-change" x1=b x2=a y1=y y2=y />
                    <circle class="chart-before" cx=b cy=y r="5" />
                    <circle class="chart-after" cx=a cy=y r="5" />
                </g>
            }
        })
        .collect_view();
    let width = LABEL_W + PLOT_W + 20.0;
    view! {
        <figure class="chart">
            <svg
                viewBox=format!("0 0 {width} {height}")
                role="img"
                aria-label=t_string!(i18n, change.chart_label)
                data-testid="change-chart"
            >
                {ticks}
                {lines}
            </svg>
            <figcaption class="muted">{t!(i18n, change.chart_legend)}</figcaption>
        </figure>
    }
}

/// Each person's change, a page at a time: for those who may see them, so a
/// manager follows up with each of their people.
#[component]
fn People(query: ViewQuery) -> impl IntoView {
    let i18n = use_i18n();
    let page = query_page();
    let q = query.clone();
    let people = Resource::new(page, move |page| {
        super::before_after_people(opt(q.campaign), opt(q.unit), opt(q.position), Some(page))
    });
    let export = format!(
        "/export/gaps/before-after-people.csv?{}",
        query.query_string()
    );
    view! {
        <section class="card" data-testid="change-people">
            <h2>{t!(i18n, change.people)}</h2>
            <p class="muted">
                {t!(i18n, change.people_help)} " · "
                <a href=export rel="external" download data-testid="export-change-people">
                    {t!(i18n, gaps.export)}
                </a>
            </p>
            <Loaded resource=people let:p>
                <PeopleTable p=p.clone() query=query.clone() />
            </Loaded>
        </section>
    }
}

#[component]
fn PeopleTable(p: PeopleChange, query: ViewQuery) -> impl IntoView {
    let i18n = use_i18n();
    if p.rows.is_empty() {
        return view! { <p class="empty">{t!(i18n, change.none_measured)}</p> }.into_any();
    }
    let campaign = query.campaign.map(|c| c.to_string()).unwrap_or_default();
    let rows = p
        .rows
        .into_iter()
        .map(|r| view! { <PersonRow r=r campaign=campaign.clone() /> })
        .collect_view();
    let base = query.query_string();
    view! {
        <div class="scroll-x">
            <table class="list" data-testid="change-people-table">
                <thead>
                    <tr>
                        <th>{t!(i18n, change.person)}</th>
                        <th>{t!(i18n, outcomes.unit)}</th>
                        <th class="num">"n"</th>
                        <th class="num">{t!(i18n, change.before)}</th>
                        <th class="num">{t!(i18n, change.after)}</th>
                        <th class="num">{t!(i18n, change.change)}</th>
                        <th class="num">{t!(i18n, change.closed)}</th>
                        <th>{t!(i18n, change.took)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <Pager
            page=p.page
            pages=p.pages
            href=move |n| format!("/gaps/before-after?{base}&page={n}")
        />
    }
    .into_any()
}

#[component]
fn PersonRow(r: PersonChange, campaign: String) -> impl IntoView {
    let (closed, had) = r.gap_closed;
    view! {
        <tr data-testid="change-person">
            <td>
                <a href=format!(
                    "/gaps/person/{}?campaign={campaign}",
                    r.person_id,
                )>{format!("{} · {}", r.name, r.employee_no)}</a>
            </td>
            <td>{r.unit.clone()}</td>
            <td class="num">{r.n}</td>
            <td class="num">{two(r.mean_before)}</td>
            <td class="num">{two(r.mean_after)}</td>
            <td class="num">{signed(r.mean_after - r.mean_before)}</td>
            <td class="num">
                {if had == 0 { "—".to_owned() } else { format!("{closed} / {had}") }}
            </td>
            <td>{r.courses.join(", ")}</td>
        </tr>
    }
}
