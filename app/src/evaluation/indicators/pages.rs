//! Level 4 pages: the results report (a chart per unit with the course's
//! completions marked, and the difference in differences), the grid, and the
//! import preview.

use leptos::prelude::*;
use leptos_i18n::I18nContext;

use super::did::Did;
use super::{
    Comparison, Grid, ImportIndicators, ImportPreview, KEEPERS, ResultsReport, SaveIndicatorGrid,
    UnitSeries, WINDOW, cell_field,
};
use crate::components::{
    FormError, Loaded, Page, QueryBanner, UploadForm, action_error, problem_text, query_param,
    route_param,
};
use crate::i18n::*;

fn figure(x: f64) -> String {
    format!("{x:.2}")
}

// ---------------------------------------------------------------- the report

#[component]
pub fn ResultsPage() -> impl IntoView {
    let indicator = query_param("indicator");
    let course = query_param("course");
    let report = Resource::new(
        move || (indicator(), course()),
        |(i, c)| {
            super::get_results_report(
                Some(i).filter(|i| !i.is_empty()),
                Some(c).filter(|c| !c.is_empty()),
            )
        },
    );
    view! {
        <Page title=|i| t_string!(i, outcomes.title) roles=crate::gaps::ANALYSTS>
            <QueryBanner key="imported" text=|i| t_string!(i, outcomes.imported) />
            <Loaded resource=report let:r>
                <Report r=r.clone() />
            </Loaded>
        </Page>
    }
}

#[component]
fn Report(r: ResultsReport) -> impl IntoView {
    let i18n = use_i18n();
    let chosen = r.indicator.clone();
    let code = chosen.as_ref().map(|i| i.code.clone()).unwrap_or_default();
    let course = r.course.map(|c| c.to_string()).unwrap_or_default();
    let options = r
        .indicators
        .iter()
        .map(|i| {
            view! {
                <option value=i.code.clone() selected=i.code == code>
                    {format!("{} ({})", i.name, i.measure)}
                </option>
            }
        })
        .collect_view();
    let courses = r
        .courses
        .iter()
        .map(|(id, label)| {
            let id = id.to_string();
            view! {
                <option value=id.clone() selected=id == course>
                    {label.clone()}
                </option>
            }
        })
        .collect_view();
    let measure = chosen
        .as_ref()
        .map(|i| i.measure.clone())
        .unwrap_or_default();
    let higher = chosen.as_ref().is_some_and(|i| i.higher_is_better);
    let charts = r
        .series
        .iter()
        .map(|s| view! { <Chart s=s.clone() months=r.months.clone() measure=measure.clone() /> })
        .collect_view();
    view! {
        <p class="muted">{t!(i18n, outcomes.intro)}</p>
        <p>
            <a href="/indicators/grid" data-testid="results-grid-link">
                {t!(i18n, outcomes.enter)}
            </a>
            " · "
            <a href="/export/indicators.csv" download data-testid="results-csv">
                {t!(i18n, outcomes.export)}
            </a>
        </p>
        <form method="get" class="filters" data-testid="results-filters">
            <label for="indicator">{t!(i18n, outcomes.indicator)}</label>
            <select id="indicator" name="indicator">
                {options}
            </select>
            <label for="course">{t!(i18n, outcomes.course)}</label>
            <select id="course" name="course">
                <option value="">{t!(i18n, outcomes.no_course)}</option>
                {courses}
            </select>
            <button type="submit">{t!(i18n, outcomes.show)}</button>
        </form>
        {if r.series.is_empty() {
            view! {
                <p class="empty" data-testid="results-empty">
                    {t!(i18n, outcomes.empty)}
                </p>
            }
                .into_any()
        } else {
            view! {
                <p class="muted">
                    {if higher {
                        t_string!(i18n, outcomes.higher_better)
                    } else {
                        t_string!(i18n, outcomes.lower_better)
                    }}
                </p>
                <div class="grid3">{charts}</div>
            }
                .into_any()
        }}
        {r
            .comparison
            .clone()
            .map(|c| view! { <Compared c=c measure=measure.clone() higher=higher /> })}
        {(r.course.is_some() && r.comparison.is_none())
            .then(|| {
                view! {
                    <p class="card muted" data-testid="results-no-comparison">
                        {t!(i18n, outcomes.no_comparison)}
                    </p>
                }
            })}
    }
}

const W: f64 = 320.0;
const H: f64 = 150.0;
const PAD: f64 = 28.0;

#[component]
fn Chart(s: UnitSeries, months: Vec<String>, measure: String) -> impl IntoView {
    let i18n = use_i18n();
    let n = months.len().max(2) as f64;
    let x = |m: &str| {
        let i = months.iter().position(|x| x == m).unwrap_or(0) as f64;
        PAD + i / (n - 1.0) * (W - 2.0 * PAD)
    };
    let (lo, hi) = s
        .values
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), (_, v)| {
            (lo.min(*v), hi.max(*v))
        });
    let (lo, hi) = if hi - lo < 1e-9 {
        (lo - 1.0, hi + 1.0)
    } else {
        (lo, hi)
    };
    let y = |v: f64| H - PAD - (v - lo) / (hi - lo) * (H - 2.0 * PAD);
    let points = s
        .values
        .iter()
        .map(|(m, v)| format!("{:.1},{:.1}", x(m), y(*v)))
        .collect::<Vec<_>>()
        .join(" ");
    let marks = s
        .completions
        .iter()
        .filter(|(m, _)| months.contains(m))
        .map(|(m, k)| {
            let at = x(m);
            view! {
                <line
                    class="chart-mark"
                    x1=format!("{at:.1}")
                    x2=format!("{at:.1}")
                    y1=format!("{PAD:.1}")
                    y2=format!("{:.1}", H - PAD)
                />
                <text class="chart-mark-label" x=format!("{at:.1}") y=format!("{:.1}", PAD - 4.0)>
                    {k.to_string()}
                </text>
            }
        })
        .collect_view();
    let first = months.first().cloned().unwrap_or_default();
    let last = months.last().cloned().unwrap_or_default();
    let title = format!("{} · {}", s.unit, measure);
    let status = match (&s.trained_in, s.untrained) {
        (Some(m), _) => t_string!(i18n, outcomes.trained_in, month = m.clone()).to_string(),
        (None, true) => t_string!(i18n, outcomes.untrained).to_string(),
        _ => String::new(),
    };
    view! {
        <section class="card" data-testid="results-unit">
            <h3>{s.unit.clone()}</h3>
            <svg
                class="chart"
                viewBox=format!("0 0 {W} {H}")
                role="img"
                aria-label=title
                data-testid="results-chart"
            >
                {marks}
                <polyline class="chart-line" points=points />
                <text class="chart-axis" x=format!("{PAD}") y=format!("{}", H - 6.0)>
                    {first}
                </text>
                <text class="chart-axis end" x=format!("{}", W - PAD) y=format!("{}", H - 6.0)>
                    {last}
                </text>
                <text class="chart-axis" x="2" y=format!("{:.1}", y(hi) + 4.0)>
                    {figure(hi)}
                </text>
                <text class="chart-axis" x="2" y=format!("{:.1}", y(lo) + 4.0)>
                    {figure(lo)}
                </text>
            </svg>
            <p class="muted" data-testid="results-status">
                {status}
            </p>
        </section>
    }
}

fn change(a: f64, b: f64) -> String {
    format!("{:+.2}", b - a)
}

#[component]
fn Compared(c: Comparison, measure: String, higher: bool) -> impl IntoView {
    let i18n = use_i18n();
    let body = match c.did {
        Some(d) => did_view(i18n, &c, &d, &measure, higher).into_any(),
        None => view! {
            <p class="muted" data-testid="results-did-missing">
                {t!(i18n, outcomes.did_missing)}
            </p>
        }
        .into_any(),
    };
    view! {
        <section class="card" data-testid="results-comparison">
            <h2>{t!(i18n, outcomes.did_title)}</h2>
            <p>
                {t_string!(
                    i18n,
                    outcomes.groups,
                    trained = c.trained.join("、"),
                    untrained = c.untrained.join("、"),
                    month = c.month.clone(),
                    window = WINDOW
                )}
            </p>
            {body}
            <p class="muted">{t!(i18n, outcomes.assumptions)}</p>
        </section>
    }
}

/// The comparison in one sentence: how much more the trained units moved, and
/// whether that is better or worse for this indicator.
pub fn did_sentence(
    i18n: I18nContext<Locale>,
    month: &str,
    d: &Did,
    measure: &str,
    higher: bool,
) -> String {
    let better = (d.estimate > 0.0) == higher;
    t_string!(
        i18n,
        outcomes.did_sentence,
        estimate = format!("{:+.2} {measure}", d.estimate),
        month = month.to_owned(),
        verdict = if d.estimate.abs() < 1e-9 {
            t_string!(i18n, outcomes.same)
        } else if better {
            t_string!(i18n, outcomes.better)
        } else {
            t_string!(i18n, outcomes.worse)
        }
    )
    .to_string()
}

fn did_view(
    i18n: I18nContext<Locale>,
    c: &Comparison,
    d: &Did,
    measure: &str,
    higher: bool,
) -> impl IntoView {
    let sentence = did_sentence(i18n, &c.month, d, measure, higher);
    view! {
        <table class="list" data-testid="results-did">
            <thead>
                <tr>
                    <th></th>
                    <th class="num">{t!(i18n, outcomes.before)}</th>
                    <th class="num">{t!(i18n, outcomes.after)}</th>
                    <th class="num">{t!(i18n, outcomes.change)}</th>
                </tr>
            </thead>
            <tbody>
                <tr>
                    <th scope="row">{t!(i18n, outcomes.trained)}</th>
                    <td class="num">
                        {format!("{} (n = {})", figure(d.trained_before.mean), d.trained_before.n)}
                    </td>
                    <td class="num">
                        {format!("{} (n = {})", figure(d.trained_after.mean), d.trained_after.n)}
                    </td>
                    <td class="num">{change(d.trained_before.mean, d.trained_after.mean)}</td>
                </tr>
                <tr>
                    <th scope="row">{t!(i18n, outcomes.untrained_row)}</th>
                    <td class="num">
                        {format!(
                            "{} (n = {})",
                            figure(d.untrained_before.mean),
                            d.untrained_before.n,
                        )}
                    </td>
                    <td class="num">
                        {format!(
                            "{} (n = {})",
                            figure(d.untrained_after.mean),
                            d.untrained_after.n,
                        )}
                    </td>
                    <td class="num">{change(d.untrained_before.mean, d.untrained_after.mean)}</td>
                </tr>
            </tbody>
        </table>
        <p data-testid="results-did-sentence">{sentence}</p>
    }
}

// ---------------------------------------------------------------- the grid

#[component]
pub fn IndicatorGridPage() -> impl IntoView {
    let unit = query_param("unit");
    let year = query_param("year");
    let grid = Resource::new(
        move || (unit(), year()),
        |(u, y)| {
            super::get_indicator_grid(
                Some(u).filter(|u| !u.is_empty()),
                Some(y).filter(|y| !y.is_empty()),
            )
        },
    );
    view! {
        <Page
            title=|i| t_string!(i, outcomes.grid_title)
            roles=KEEPERS
            crumbs=vec![(|i| t_string!(i, outcomes.title), "/indicators")]
        >
            <QueryBanner key="saved" text=|i| t_string!(i, outcomes.saved) />
            <Loaded resource=grid let:g>
                <GridBody g=g.clone() />
            </Loaded>
        </Page>
    }
}

#[component]
fn GridBody(g: Grid) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveIndicatorGrid>::new();
    let error = action_error(save);
    let unit = g.unit.map(|u| u.to_string()).unwrap_or_default();
    let units = g
        .units
        .iter()
        .map(|(id, name)| {
            let id = id.to_string();
            view! {
                <option value=id.clone() selected=id == unit>
                    {name.clone()}
                </option>
            }
        })
        .collect_view();
    let header = g
        .months
        .iter()
        .map(|m| view! { <th class="num">{m[5..].to_owned()}</th> })
        .collect_view();
    let rows = g
        .indicators
        .iter()
        .map(|i| {
            let cells = g
                .months
                .iter()
                .map(|m| {
                    let key = cell_field(&i.code, m);
                    let value = g
                        .values
                        .get(&key)
                        .map(|v| v.to_string())
                        .unwrap_or_default();
                    let has_error = {
                        let key = key.clone();
                        move || {
                            error
                                .get()
                                .is_some_and(|e| !e.problems_for(&key).is_empty())
                        }
                    };
                    view! {
                        <td class:error-text=has_error>
                            <input
                                class="cell"
                                name=format!("value[{key}]")
                                value=value
                                inputmode="decimal"
                                aria-label=format!("{} {m}", i.name)
                            />
                        </td>
                    }
                })
                .collect_view();
            view! {
                <tr>
                    <th scope="row">{format!("{} ({})", i.name, i.measure)}</th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    view! {
        <form method="get" class="filters">
            <label for="unit">{t!(i18n, outcomes.unit)}</label>
            <select id="unit" name="unit">
                {units}
            </select>
            <label for="year">{t!(i18n, outcomes.year)}</label>
            <input id="year" name="year" value=g.year.to_string() inputmode="numeric" size="5" />
            <button type="submit">{t!(i18n, outcomes.show)}</button>
        </form>
        <FormError error=error />
        <ActionForm action=save attr:data-testid="indicator-grid">
            <input type="hidden" name="unit" value=unit.clone() />
            <input type="hidden" name="year" value=g.year.to_string() />
            <div class="table-scroll">
                <table class="list grid-table">
                    <thead>
                        <tr>
                            <th>{t!(i18n, outcomes.indicator)}</th>
                            {header}
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <p class="muted">{t!(i18n, outcomes.grid_help)}</p>
            <button type="submit" class="primary">
                {t!(i18n, outcomes.save)}
            </button>
        </ActionForm>
        <section class="card">
            <h2>{t!(i18n, outcomes.import_title)}</h2>
            <p>{t!(i18n, outcomes.import_help)}</p>
            <pre class="sample">
                "单位,月份,指标,数值\nHALL,2026-10,rework_rate,3.2\n服务大厅,2026年11月,差错返工率,2.9"
            </pre>
            <UploadForm
                action="/indicators/upload"
                testid="indicators-upload"
                input_id="indicators-file"
                button=|i| t_string!(i, outcomes.preview)
                label=|i| t_string!(i, outcomes.file)
            />
        </section>
    }
}

// ---------------------------------------------------------------- the import

#[component]
pub fn IndicatorImportPage() -> impl IntoView {
    let id = route_param("id");
    let preview = Resource::new(id, super::preview_indicator_import);
    view! {
        <Page
            title=|i| t_string!(i, outcomes.preview_title)
            roles=KEEPERS
            crumbs=vec![(|i| t_string!(i, outcomes.grid_title), "/indicators/grid")]
        >
            <Loaded resource=preview let:p>
                <PreviewBody p=p.clone() />
            </Loaded>
        </Page>
    }
}

fn column(i18n: I18nContext<Locale>, field: &str) -> String {
    match field {
        "unit" => t_string!(i18n, outcomes.unit),
        "month" => t_string!(i18n, outcomes.month),
        "indicator" => t_string!(i18n, outcomes.indicator),
        "value" => t_string!(i18n, outcomes.value),
        other => other,
    }
    .to_owned()
}

#[component]
fn PreviewBody(p: ImportPreview) -> impl IntoView {
    let i18n = use_i18n();
    let import = ServerAction::<ImportIndicators>::new();
    let error = action_error(import);
    let bad = p.rows.iter().filter(|r| !r.errors.is_empty()).count();
    let valid = p.file_problems.is_empty() && bad == 0 && !p.rows.is_empty();
    view! {
        <p>{p.file_name.clone()}</p>
        {p
            .file_problems
            .iter()
            .map(|pr| {
                view! {
                    <div class="banner banner-error" role="alert" data-testid="file-problem">
                        {problem_text(i18n, pr)}
                    </div>
                }
            })
            .collect_view()}
        {(bad > 0)
            .then(|| {
                view! {
                    <div class="banner banner-error" role="alert" data-testid="indicators-invalid">
                        {t_string!(i18n, outcomes.invalid, n = bad)}
                    </div>
                }
            })}
        <table class="list" data-testid="indicators-preview">
            <thead>
                <tr>
                    <th>{t!(i18n, outcomes.line)}</th>
                    <th>{t!(i18n, outcomes.unit)}</th>
                    <th>{t!(i18n, outcomes.month)}</th>
                    <th>{t!(i18n, outcomes.indicator)}</th>
                    <th class="num">{t!(i18n, outcomes.value)}</th>
                    <th>{t!(i18n, outcomes.problems)}</th>
                </tr>
            </thead>
            <tbody>
                {p
                    .rows
                    .iter()
                    .map(|r| {
                        let ok = r.errors.is_empty();
                        let problems = r
                            .errors
                            .iter()
                            .map(|e| {
                                format!(
                                    "{}: {}",
                                    column(i18n, &e.field),
                                    problem_text(i18n, &e.problem),
                                )
                            })
                            .collect::<Vec<_>>()
                            .join(" ");
                        view! {
                            <tr class:row-error=!ok data-testid="indicators-row">
                                <td>{r.line}</td>
                                <td>{r.unit.clone()}</td>
                                <td>{r.month.clone()}</td>
                                <td>{r.indicator.clone()}</td>
                                <td class="num">{r.value.clone()}</td>
                                <td class:error-text=!ok>{problems}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        <FormError error=error />
        {if p.imported {
            view! {
                <p class="banner" role="status">
                    {t!(i18n, outcomes.already)}
                </p>
            }
                .into_any()
        } else if valid {
            view! {
                <ActionForm action=import>
                    <input type="hidden" name="id" value=p.id.to_string() />
                    <button type="submit" class="primary" data-testid="indicators-import">
                        {t_string!(i18n, outcomes.import, n = p.rows.len())}
                    </button>
                </ActionForm>
            }
                .into_any()
        } else {
            view! { <p class="muted">{t!(i18n, outcomes.fix_first)}</p> }.into_any()
        }}
    }
}
