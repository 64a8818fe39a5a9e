//! The person's gap page (radar and table), the unit heatmap and the priorities.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{Filters, PersonGaps, Provenance, ViewQuery};
use crate::auth::Role;
use crate::components::{Loaded, Page};
use crate::i18n::*;
use crate::islands::ApplyOnChange;

const ANALYSTS: &[Role] = super::ANALYSTS;

/// Points of a radar polygon: one axis per value, starting at 12 o'clock, clockwise.
pub fn radar_points(values: &[f64], max: f64, centre: f64, radius: f64) -> String {
    let n = values.len().max(1) as f64;
    values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let angle = std::f64::consts::TAU * i as f64 / n - std::f64::consts::FRAC_PI_2;
            let r = radius * (v / max).clamp(0.0, 1.0);
            format!(
                "{:.1},{:.1}",
                centre + r * angle.cos(),
                centre + r * angle.sin()
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Current vs target per competency, drawn on the server (no script needed). The same
/// numbers are in the table below it for screen readers.
#[component]
fn Radar(labels: Vec<String>, current: Vec<f64>, target: Vec<f64>) -> impl IntoView {
    let i18n = use_i18n();
    const C: f64 = 160.0;
    const R: f64 = 110.0;
    let n = labels.len();
    let rings = (1..=5)
        .map(|l| {
            let pts = radar_points(&vec![f64::from(l); n], 5.0, C, R);
            view! { <polygon class="ring" points=pts /> }
        })
        .collect_view();
    let axes = labels
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let angle = std::f64::consts::TAU * i as f64 / n as f64 - std::f64::consts::FRAC_PI_2;
            let (x, y) = (C + R * angle.cos(), C + R * angle.sin());
            let (lx, ly) = (C + (R + 18.0) * angle.cos(), C + (R + 18.0) * angle.sin());
            let anchor = if angle.cos() > 0.3 {
                "start"
            } else if angle.cos() < -0.3 {
                "end"
            } else {
                "middle"
            };
            view! {
                <line class="axis" x1=C x2=format!("{x:.1}") y1=C y2=format!("{y:.1}") />
                <text x=format!("{lx:.1}") y=format!("{ly:.1}") text-anchor=anchor>
                    {label.clone()}
                </text>
            }
        })
        .collect_view();
    view! {
        <figure class="radar">
            <svg
                viewBox="-60 0 440 320"
                role="img"
                aria-label=move || t_string!(i18n, gaps.radar_label)
                data-testid="radar"
            >
                {rings}
                {axes}
                <polygon class="target" points=radar_points(&target, 5.0, C, R) />
                <polygon class="current" points=radar_points(&current, 5.0, C, R) />
            </svg>
            <figcaption>
                <span class="key current">{t!(i18n, gaps.current)}</span>
                " "
                <span class="key target">{t!(i18n, gaps.target)}</span>
            </figcaption>
        </figure>
    }
}

#[component]
pub(super) fn ProvenanceLine(provenance: Provenance) -> impl IntoView {
    let i18n = use_i18n();
    let state = if provenance.closed {
        t_string!(i18n, gaps.closed)
    } else {
        t_string!(i18n, gaps.running)
    };
    view! {
        <p class="provenance" data-testid="provenance">
            {t_string!(
                i18n,
                gaps.provenance,
                campaign = provenance.campaign.clone(),
                date = provenance.date.clone(),
                framework = provenance.framework.clone(),
                version = provenance.framework_version
            )}
            " ("
            {state}
            ")"
        </p>
    }
}

#[component]
pub fn MyGapsPage() -> impl IntoView {
    view! { <PersonGapsView person=None /> }
}

#[component]
pub fn PersonGapsPage() -> impl IntoView {
    let params = use_params_map();
    let person = params.read_untracked().get("id");
    view! { <PersonGapsView person=person /> }
}

#[component]
fn PersonGapsView(person: Option<String>) -> impl IntoView {
    let query = use_query_map();
    let campaign = move || query.read().get("campaign");
    let p = person.clone();
    let gaps = Resource::new(campaign, move |campaign| {
        super::load_person_gaps(p.clone(), campaign)
    });
    view! {
        <Page title=|i| t_string!(i, gaps.person_title) roles=crate::auth::EVERYONE heading=false>
            <Loaded resource=gaps let:gaps>
                <PersonGapsBody gaps=gaps />
            </Loaded>
        </Page>
    }
}

fn fmt(x: f64) -> String {
    format!("{x:.2}")
}

#[component]
fn PersonGapsBody(gaps: PersonGaps) -> impl IntoView {
    let i18n = use_i18n();
    let g = gaps.clone();
    let selected = g.provenance.as_ref().map(|p| p.campaign_id);
    let export = format!(
        "/export/gaps/person/{}?campaign={}",
        g.person_id,
        selected.map(|s| s.to_string()).unwrap_or_default()
    );
    let here = use_location_path();
    view! {
        <div class="page-head">
            <h1>{t_string!(i18n, gaps.person_heading, name = g.name.clone())}</h1>
            {(!g.rows.is_empty())
                .then(|| {
                    view! {
                        <a
                            class="button"
                            href=export
                            rel="external"
                            download
                            data-testid="export-person"
                        >
                            {t!(i18n, gaps.export)}
                        </a>
                    }
                })}
        </div>
        <p class="muted">
            {g.employee_no.clone()} " · " {g.unit.clone()} " · " {g.position.clone()}
        </p>
        {(g.campaigns.len() > 1)
            .then(|| {
                view! {
                    <ApplyOnChange>
                        <form method="get" action=here class="filters">
                            <div class="field">
                                <label for="campaign">{t!(i18n, gaps.campaign)}</label>
                                <select id="campaign" name="campaign">
                                    {g
                                        .campaigns
                                        .iter()
                                        .map(|c| {
                                            view! {
                                                <option
                                                    value=c.id.to_string()
                                                    selected=Some(c.id) == selected
                                                >
                                                    {format!("{} ({})", c.title, c.date)}
                                                </option>
                                            }
                                        })
                                        .collect_view()}
                                </select>
                            </div>
                            <button type="submit">{t!(i18n, gaps.show)}</button>
                        </form>
                    </ApplyOnChange>
                }
            })}
        {match g.provenance.clone() {
            None => {
                view! {
                    <p class="empty" data-testid="gaps-empty">
                        {t!(i18n, gaps.person_empty)}
                        " "
                        <a href="/tasks">{t!(i18n, tasks.title)}</a>
                    </p>
                }
                    .into_any()
            }
            Some(prov) => {
                let rows = g.rows.clone();
                let labels = rows.iter().map(|r| r.competency.clone()).collect();
                let current = rows.iter().map(|r| r.current).collect();
                let target = rows.iter().map(|r| f64::from(r.target.unwrap_or(0))).collect();
                let flagged = rows.iter().any(|r| r.discrepancy);
                view! {
                    <ProvenanceLine provenance=prov />
                    <div class="gap-layout">
                        <Radar labels=labels current=current target=target />
                        <div class="card next-step">
                            <h2>{t!(i18n, gaps.largest)}</h2>
                            <ol>
                                {
                                    let mut top = rows.clone();
                                    top.sort_by(|a, b| b.weighted_gap.total_cmp(&a.weighted_gap));
                                    top.into_iter()
                                        .filter(|r| r.gap > 0.0)
                                        .take(3)
                                        .map(|r| {
                                            view! {
                                                <li>
                                                    {t_string!(
                                                        i18n, gaps.gap_sentence, competency = r.competency.clone(), current = fmt(r.current), target = r.target.unwrap_or(0)
                                                    )}
                                                </li>
                                            }
                                        })
                                        .collect_view()
                                }
                            </ol>
                            {flagged
                                .then(|| {
                                    view! { <p class="muted">{t!(i18n, gaps.discrepancy_help)}</p> }
                                })}
                        </div>
                    </div>
                    <table class="list" data-testid="gap-table">
                        <caption>{t!(i18n, gaps.table_caption)}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{t!(i18n, fw.competency)}</th>
                                <th scope="col" class="num">
                                    {t!(i18n, gaps.current)}
                                </th>
                                <th scope="col" class="num">
                                    {t!(i18n, gaps.target)}
                                </th>
                                <th scope="col" class="num">
                                    {t!(i18n, gaps.gap)}
                                </th>
                                <th scope="col" class="num">
                                    {t!(i18n, gaps.weighted_gap)}
                                </th>
                                <th scope="col" class="num">
                                    {t!(i18n, gaps.self_level)}
                                </th>
                                <th scope="col" class="num">
                                    {t!(i18n, gaps.others_level)}
                                </th>
                                <th scope="col" class="num">
                                    {t!(i18n, gaps.test_level)}
                                </th>
                                <th scope="col">{t!(i18n, gaps.sources)}</th>
                                <th scope="col">{t!(i18n, gaps.newer)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows
                                .into_iter()
                                .map(|r| {
                                    let sources = crate::components::sources_text(i18n, &r.sources);
                                    view! {
                                        <tr data-testid=format!("gap-{}", r.code)>
                                            <th scope="row">
                                                {r.competency.clone()}
                                                <span class="muted">" · " {r.domain.clone()}</span>
                                            </th>
                                            <td class="num" data-testid="current">
                                                {fmt(r.current)}
                                            </td>
                                            <td class="num">
                                                {r
                                                    .target
                                                    .map(|t| t.to_string())
                                                    .unwrap_or_else(|| "—".into())}
                                            </td>
                                            <td class="num" data-testid="gap">
                                                {fmt(r.gap)}
                                            </td>
                                            <td class="num">
                                                {fmt(r.weighted_gap)}
                                                <span class="muted">" (×" {r.importance} ")"</span>
                                            </td>
                                            <td class="num">
                                                {r.self_level.map(fmt).unwrap_or_else(|| "—".into())}
                                            </td>
                                            <td class="num">
                                                {r.others_level.map(fmt).unwrap_or_else(|| "—".into())}
                                                {r
                                                    .discrepancy
                                                    .then(|| {
                                                        view! {
                                                            " "
                                                            <span
                                                                class="tag tag-warn"
                                                                title=t_string!(i18n, gaps.discrepancy_help)
                                                                data-testid="discrepancy"
                                                            >
                                                                {t!(i18n, gaps.discrepancy)}
                                                            </span>
                                                        }
                                                    })}
                                            </td>
                                            <td class="num" data-testid="test-level">
                                                {match r.test.clone() {
                                                    Some(t) => {
                                                        view! {
                                                            {fmt(t.level)}
                                                            <br />
                                                            <small class="muted">
                                                                {t_string!(
                                                                    i18n, gaps.test_from, percent = format!("{:.0}", t.percent), n = t.questions, quiz = t.quiz, version = t.quiz_version, date = t.date
                                                                )}
                                                            </small>
                                                        }
                                                            .into_any()
                                                    }
                                                    None => "—".into_any(),
                                                }}
                                            </td>
                                            <td>
                                                {sources}
                                                <span class="muted">
                                                    " · " {t_string!(i18n, gaps.raters, n = r.raters)}
                                                </span>
                                            </td>
                                            <td data-testid="newer">
                                                {newer_cell(i18n, r.newer.clone())}
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                    <p class="muted">{t!(i18n, gaps.method)}</p>
                }
                    .into_any()
            }
        }}
    }
}

/// A behaviour follow-up answered after the survey: its level and where it
/// came from.
fn newer_cell(
    i18n: leptos_i18n::I18nContext<Locale>,
    newer: Option<crate::evaluation::behaviour::BehaviourSource>,
) -> impl IntoView {
    let side = |l: Option<i32>| l.map_or_else(|| "—".to_owned(), |l| l.to_string());
    match newer {
        Some(b) => view! {
            {fmt(b.level)}
            <br />
            <small class="muted">
                {t_string!(
                    i18n,
                    gaps.newer_from,
                    course = b.course.clone(),
                    days = b.wave,
                    date = b.date.clone(),
                    own = side(b.own),
                    manager = side(b.manager)
                )}
            </small>
            {b
                .discrepancy
                .then(|| {
                    view! {
                        " "
                        <span class="tag tag-warn" title=t_string!(i18n, gaps.discrepancy_help)>
                            {t!(i18n, gaps.discrepancy)}
                        </span>
                    }
                })}
        }
        .into_any(),
        None => "—".into_any(),
    }
}

fn use_location_path() -> String {
    leptos_router::hooks::use_location()
        .pathname
        .get_untracked()
}

/// Campaign, unit and position filters; a plain GET form.
#[component]
pub(super) fn FilterForm(
    filters: Filters,
    query: ViewQuery,
    selected_campaign: Option<uuid::Uuid>,
) -> impl IntoView {
    let i18n = use_i18n();
    let here = use_location_path();
    view! {
        <ApplyOnChange>
            <form method="get" action=here class="filters" data-testid="gap-filters">
                <div class="field">
                    <label for="f-campaign">{t!(i18n, gaps.campaign)}</label>
                    <select id="f-campaign" name="campaign">
                        {filters
                            .campaigns
                            .iter()
                            .map(|c| {
                                view! {
                                    <option
                                        value=c.id.to_string()
                                        selected=Some(c.id) == selected_campaign
                                    >
                                        {format!("{} ({})", c.title, c.date)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="f-unit">{t!(i18n, people.unit)}</label>
                    <select id="f-unit" name="unit">
                        <option value="">{t!(i18n, people.all_units)}</option>
                        {filters
                            .units
                            .iter()
                            .map(|(id, name, depth)| {
                                view! {
                                    <option value=id.to_string() selected=Some(*id) == query.unit>
                                        {"\u{a0}\u{a0}".repeat(*depth)}
                                        {name.clone()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="f-position">{t!(i18n, people.position)}</label>
                    <select id="f-position" name="position">
                        <option value="">{t!(i18n, gaps.all_positions)}</option>
                        {filters
                            .positions
                            .iter()
                            .map(|(id, name)| {
                                view! {
                                    <option
                                        value=id.to_string()
                                        selected=Some(*id) == query.position
                                    >
                                        {name.clone()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <button type="submit">{t!(i18n, gaps.show)}</button>
            </form>
        </ApplyOnChange>
    }
}

pub(super) fn view_query() -> Memo<ViewQuery> {
    let query = use_query_map();
    Memo::new(move |_| {
        let q = query.read();
        ViewQuery::parse(
            q.get("campaign").as_deref(),
            q.get("unit").as_deref(),
            q.get("position").as_deref(),
        )
        .unwrap_or_default()
    })
}

pub(super) fn opt(id: Option<uuid::Uuid>) -> Option<String> {
    id.map(|i| i.to_string())
}

/// Colour band of a mean gap, for the heatmap cells.
pub fn band(gap: f64) -> &'static str {
    match gap {
        g if g < 0.25 => "heat-0",
        g if g < 0.75 => "heat-1",
        g if g < 1.25 => "heat-2",
        g if g < 1.75 => "heat-3",
        _ => "heat-4",
    }
}

#[component]
pub fn HeatmapPage() -> impl IntoView {
    let i18n = use_i18n();
    let q = view_query();
    let map = Resource::new(
        move || q.get(),
        |q| super::unit_heatmap(opt(q.campaign), opt(q.unit), opt(q.position)),
    );
    view! {
        <Page title=|i| t_string!(i, gaps.heatmap_title) roles=ANALYSTS>
            <GapTabs />
            <Loaded resource=map let:m>
                {
                    let query = q.get_untracked();
                    let selected = m.provenance.as_ref().map(|p| p.campaign_id);
                    let export = format!(
                        "/export/gaps/heatmap.csv?{}",
                        ViewQuery {
                            campaign: selected,
                            ..query.clone()
                        }
                            .query_string(),
                    );
                    view! {
                        <FilterForm
                            filters=m.filters.clone()
                            query=query.clone()
                            selected_campaign=selected
                        />
                        {match m.provenance.clone() {
                            None => {
                                view! {
                                    <p class="empty" data-testid="heatmap-empty">
                                        {t!(i18n, gaps.no_results)}
                                    </p>
                                }
                                    .into_any()
                            }
                            Some(prov) => {
                                let threshold = prov.anonymity_threshold;
                                view! {
                                    <ProvenanceLine provenance=prov />
                                    <p class="muted">
                                        {t_string!(i18n, gaps.heatmap_help, n = threshold)} " · "
                                        <a
                                            href=export
                                            rel="external"
                                            download
                                            data-testid="export-heatmap"
                                        >
                                            {t!(i18n, gaps.export)}
                                        </a>
                                    </p>
                                    <div class="scroll-x">
                                        <table class="heatmap" data-testid="heatmap">
                                            <thead>
                                                <tr>
                                                    <th scope="col">{t!(i18n, people.unit)}</th>
                                                    {m
                                                        .competencies
                                                        .iter()
                                                        .map(|(code, name)| {
                                                            view! {
                                                                <th scope="col" title=code.clone()>
                                                                    {name.clone()}
                                                                </th>
                                                            }
                                                        })
                                                        .collect_view()}
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {m
                                                    .rows
                                                    .into_iter()
                                                    .map(|row| {
                                                        let link = format!(
                                                            "?{}",
                                                            ViewQuery {
                                                                campaign: selected,
                                                                unit: Some(row.unit_id),
                                                                position: query.position,
                                                            }
                                                                .query_string(),
                                                        );
                                                        view! {
                                                            <tr data-testid="heat-row">
                                                                <th scope="row" class=format!("depth-{}", row.depth.min(6))>
                                                                    <a href=link>{row.unit.clone()}</a>
                                                                </th>
                                                                {row
                                                                    .cells
                                                                    .into_iter()
                                                                    .map(|cell| match (cell.mean_gap, cell.suppressed) {
                                                                        (Some(g), _) => {
                                                                            view! {
                                                                                <td
                                                                                    class=format!("num {}", band(g))
                                                                                    data-testid="heat-cell"
                                                                                >
                                                                                    {fmt(g)}
                                                                                    <small>" n=" {cell.n}</small>
                                                                                </td>
                                                                            }
                                                                                .into_any()
                                                                        }
                                                                        (None, true) => {
                                                                            view! {
                                                                                <td
                                                                                    class="num suppressed"
                                                                                    title=t_string!(i18n, gaps.suppressed)
                                                                                    data-testid="heat-cell"
                                                                                >
                                                                                    "·"
                                                                                    <small>" n<" {threshold}</small>
                                                                                </td>
                                                                            }
                                                                                .into_any()
                                                                        }
                                                                        (None, false) => {
                                                                            view! {
                                                                                <td class="num empty-cell" data-testid="heat-cell">
                                                                                    "—"
                                                                                </td>
                                                                            }
                                                                                .into_any()
                                                                        }
                                                                    })
                                                                    .collect_view()}
                                                            </tr>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                    <p class="legend">
                                        {t!(i18n, gaps.legend)} ": "
                                        <span class="heat-0">"< 0.25"</span>
                                        <span class="heat-1">"0.25–0.75"</span>
                                        <span class="heat-2">"0.75–1.25"</span>
                                        <span class="heat-3">"1.25–1.75"</span>
                                        <span class="heat-4">"≥ 1.75"</span>
                                    </p>
                                }
                                    .into_any()
                            }
                        }}
                    }
                }
            </Loaded>
        </Page>
    }
}

#[component]
pub(super) fn GapTabs() -> impl IntoView {
    let i18n = use_i18n();
    let path = use_location_path();
    let current = move |p: &str| (path == p).then_some("page");
    view! {
        <nav class="tabs" aria-label=move || t_string!(i18n, gaps.views)>
            <a href="/gaps/heatmap" aria-current=current("/gaps/heatmap")>
                {t!(i18n, gaps.heatmap_title)}
            </a>
            <a href="/gaps/priorities" aria-current=current("/gaps/priorities")>
                {t!(i18n, gaps.priorities_title)}
            </a>
            <a href="/gaps/before-after" aria-current=current("/gaps/before-after")>
                {t!(i18n, change.title)}
            </a>
            <a href="/gaps/me" aria-current=current("/gaps/me")>
                {t!(i18n, gaps.person_title)}
            </a>
        </nav>
    }
}

#[component]
pub fn PrioritiesPage() -> impl IntoView {
    let i18n = use_i18n();
    let q = view_query();
    let data = Resource::new(
        move || q.get(),
        |q| super::org_priorities(opt(q.campaign), opt(q.unit), opt(q.position)),
    );
    view! {
        <Page title=|i| t_string!(i, gaps.priorities_title) roles=ANALYSTS>
            <GapTabs />
            <Loaded resource=data let:p>
                {
                    let query = q.get_untracked();
                    let selected = p.provenance.as_ref().map(|p| p.campaign_id);
                    let export = format!(
                        "/export/gaps/priorities.csv?{}",
                        ViewQuery {
                            campaign: selected,
                            ..query.clone()
                        }
                            .query_string(),
                    );
                    view! {
                        <FilterForm
                            filters=p.filters.clone()
                            query=query
                            selected_campaign=selected
                        />
                        {match p.provenance.clone() {
                            None => {
                                view! { <p class="empty">{t!(i18n, gaps.no_results)}</p> }
                                    .into_any()
                            }
                            Some(prov) => {
                                view! {
                                    <ProvenanceLine provenance=prov />
                                    <p class="muted">
                                        {t!(i18n, gaps.priorities_help)} " · "
                                        <a
                                            href=export
                                            rel="external"
                                            download
                                            data-testid="export-priorities"
                                        >
                                            {t!(i18n, gaps.export)}
                                        </a>
                                    </p>
                                    <table class="list" data-testid="priorities">
                                        <thead>
                                            <tr>
                                                <th scope="col" class="num">
                                                    "#"
                                                </th>
                                                <th scope="col">{t!(i18n, fw.competency)}</th>
                                                <th scope="col" class="num">
                                                    {t!(i18n, gaps.people_with_gap)}
                                                </th>
                                                <th scope="col" class="num">
                                                    {t!(i18n, gaps.summed_weighted_gap)}
                                                </th>
                                                <th scope="col" class="num">
                                                    {t!(i18n, gaps.mean_gap)}
                                                </th>
                                                <th scope="col" class="num">
                                                    "n"
                                                </th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {p
                                                .rows
                                                .into_iter()
                                                .enumerate()
                                                .map(|(i, r)| {
                                                    view! {
                                                        <tr data-testid=format!("priority-{}", r.code)>
                                                            <td class="num">{i + 1}</td>
                                                            <th scope="row">
                                                                {r.competency} <span class="muted">" · " {r.domain}</span>
                                                            </th>
                                                            {if r.suppressed {
                                                                view! {
                                                                    <td class="num suppressed" colspan="3">
                                                                        {t!(i18n, gaps.suppressed)}
                                                                    </td>
                                                                }
                                                                    .into_any()
                                                            } else {
                                                                view! {
                                                                    <td class="num">{r.people_with_gap}</td>
                                                                    <td class="num">{fmt(r.summed_weighted_gap)}</td>
                                                                    <td class="num">{fmt(r.mean_gap)}</td>
                                                                }
                                                                    .into_any()
                                                            }}
                                                            <td class="num">{r.n}</td>
                                                        </tr>
                                                    }
                                                })
                                                .collect_view()}
                                        </tbody>
                                    </table>
                                }
                                    .into_any()
                            }
                        }}
                    }
                }
            </Loaded>
        </Page>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radar_axes_start_at_the_top_and_go_clockwise() {
        // Four axes of full value on a radius of 100 around (100, 100).
        assert_eq!(
            radar_points(&[5.0, 5.0, 5.0, 5.0], 5.0, 100.0, 100.0),
            "100.0,0.0 200.0,100.0 100.0,200.0 0.0,100.0"
        );
        // Half value is half way; values beyond the scale are clamped.
        assert_eq!(
            radar_points(&[2.5, 9.0], 5.0, 0.0, 10.0),
            "0.0,-5.0 0.0,10.0"
        );
    }

    #[test]
    fn heat_bands() {
        assert_eq!(band(0.0), "heat-0");
        assert_eq!(band(0.5), "heat-1");
        assert_eq!(band(1.0), "heat-2");
        assert_eq!(band(1.5), "heat-3");
        assert_eq!(band(2.5), "heat-4");
    }
}
