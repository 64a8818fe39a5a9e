//! The question bank's pages: the list with its filters and exports, a question
//! with its answer key, and importing a file (upload, preview, confirm).

use leptos::prelude::*;
use leptos_i18n::I18nContext;

use super::points;
use super::question::{Kind, Question};
use super::{
    ArchiveQuestion, BANK_EDITORS, BankQuery, ImportPreview, ImportQuestions, QuestionFormat,
};
use crate::components::{
    ChoiceFilter, FormError, Loaded, Page, Pager, QueryBanner, UploadForm, action_error, mutation,
    query_page, query_param, route_param, urlencode,
};
use crate::domain::{QuestionKind, Vocabulary};
use crate::i18n::*;

pub fn kind_name(i18n: I18nContext<Locale>, kind: QuestionKind) -> &'static str {
    match kind {
        QuestionKind::Single => t_string!(i18n, bank.kind_single),
        QuestionKind::Multiple => t_string!(i18n, bank.kind_multiple),
        QuestionKind::TrueFalse => t_string!(i18n, bank.kind_truefalse),
        QuestionKind::Numeric => t_string!(i18n, bank.kind_numeric),
        QuestionKind::Short => t_string!(i18n, bank.kind_short),
        QuestionKind::Matching => t_string!(i18n, bank.kind_matching),
        QuestionKind::Ordering => t_string!(i18n, bank.kind_ordering),
        QuestionKind::Essay => t_string!(i18n, bank.kind_essay),
        QuestionKind::Description => t_string!(i18n, bank.kind_description),
    }
}

fn format_name(i18n: I18nContext<Locale>, format: QuestionFormat) -> &'static str {
    match format {
        QuestionFormat::Gift => t_string!(i18n, bank.format_gift),
        QuestionFormat::MoodleXml => t_string!(i18n, bank.format_xml),
        QuestionFormat::Sheet => t_string!(i18n, bank.format_sheet),
    }
}

/// A select of plain string values, the first option blank ("any").
#[component]
fn TextChoice(
    name: &'static str,
    label: &'static str,
    any: &'static str,
    options: Vec<(String, String)>,
    chosen: String,
) -> impl IntoView {
    let id = format!("field-{name}");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id name=name>
                <option value="">{any}</option>
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let selected = value == chosen;
                        view! {
                            <option value=value selected=selected>
                                {text}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// The bank's filters as a query string, for the pager and the exports.
fn query_string(q: &BankQuery) -> String {
    format!(
        "q={}&category={}&competency={}&kind={}&course={}&archived={}",
        urlencode(&q.q),
        urlencode(&q.category),
        urlencode(&q.competency),
        urlencode(&q.kind),
        urlencode(&q.course),
        q.archived
    )
}

#[component]
pub fn BankPage() -> impl IntoView {
    let i18n = use_i18n();
    let get = query_param;
    let (q, category, competency, kind, course, archived) = (
        get("q"),
        get("category"),
        get("competency"),
        get("kind"),
        get("course"),
        get("archived"),
    );
    let page = query_page();
    let query = move || BankQuery {
        q: q(),
        category: category(),
        competency: competency(),
        kind: kind(),
        course: course(),
        archived: archived() == "true",
        page: page(),
    };
    let bank = Resource::new(query, super::list_bank);
    view! {
        <Page title=|i| t_string!(i, bank.title) roles=BANK_EDITORS>
            <QueryBanner key="imported" text=|i| t_string!(i, bank.imported) />
            <p class="actions">
                <a class="button primary" href="/bank/import" data-testid="bank-import">
                    {t!(i18n, bank.import)}
                </a>
                " "
                <a
                    class="button"
                    href=move || format!("/export/bank.xml?{}", query_string(&query()))
                    data-testid="bank-export-xml"
                >
                    {t!(i18n, bank.export_xml)}
                </a>
                " "
                <a
                    class="button"
                    href=move || format!("/export/bank.gift?{}", query_string(&query()))
                    data-testid="bank-export-gift"
                >
                    {t!(i18n, bank.export_gift)}
                </a>
            </p>
            <Loaded resource=bank let:b>
                <form method="get" class="filters" role="search">
                    <div class="field">
                        <label for="q">{t!(i18n, bank.search)}</label>
                        <input id="q" name="q" type="search" value=q() />
                    </div>
                    <TextChoice
                        name="category"
                        label=t_string!(i18n, bank.category)
                        any=t_string!(i18n, bank.any)
                        options=b.categories.iter().map(|c| (c.clone(), c.clone())).collect()
                        chosen=category()
                    />
                    <TextChoice
                        name="competency"
                        label=t_string!(i18n, bank.competency)
                        any=t_string!(i18n, bank.any)
                        options=b.competencies.iter().map(|c| (c.clone(), c.clone())).collect()
                        chosen=competency()
                    />
                    <TextChoice
                        name="kind"
                        label=t_string!(i18n, bank.kind)
                        any=t_string!(i18n, bank.any)
                        options=QuestionKind::ALL
                            .iter()
                            .map(|k| (k.as_str().to_owned(), kind_name(i18n, *k).to_owned()))
                            .collect()
                        chosen=kind()
                    />
                    <TextChoice
                        name="course"
                        label=t_string!(i18n, bank.course)
                        any=t_string!(i18n, bank.any)
                        options=std::iter::once((
                                "shared".to_owned(),
                                t_string!(i18n, bank.shared).to_owned(),
                            ))
                            .chain(
                                b.courses.iter().map(|(id, name)| (id.to_string(), name.clone())),
                            )
                            .collect()
                        chosen=course()
                    />
                    <div class="field checkbox">
                        <input
                            id="archived"
                            name="archived"
                            type="checkbox"
                            value="true"
                            checked=archived() == "true"
                        />
                        <label for="archived">{t!(i18n, bank.show_archived)}</label>
                    </div>
                    <button type="submit">{t!(i18n, bank.filter)}</button>
                </form>
                {if b.rows.is_empty() {
                    let filtered = query()
                        != BankQuery {
                            page: page(),
                            ..BankQuery::default()
                        };
                    view! {
                        <p class="empty" data-testid="bank-empty">
                            {if filtered {
                                t!(i18n, bank.none_match).into_any()
                            } else {
                                t!(i18n, bank.empty).into_any()
                            }}
                        </p>
                    }
                        .into_any()
                } else {
                    let href = move |n: u64| {
                        format!("/bank?{}&page={n}", query_string(&query()))
                    };
                    view! {
                        <p class="muted">{t_string!(i18n, bank.count, n = b.total)}</p>
                        <table class="list" data-testid="bank">
                            <thead>
                                <tr>
                                    <th scope="col">{t!(i18n, bank.question)}</th>
                                    <th scope="col">{t!(i18n, bank.kind)}</th>
                                    <th scope="col">{t!(i18n, bank.category)}</th>
                                    <th scope="col">{t!(i18n, bank.competency)}</th>
                                    <th scope="col">{t!(i18n, bank.course)}</th>
                                    <th scope="col" class="num">
                                        {t!(i18n, bank.points)}
                                    </th>
                                </tr>
                            </thead>
                            <tbody>
                                {b
                                    .rows
                                    .into_iter()
                                    .map(|r| {
                                        view! {
                                            <tr data-testid="bank-row">
                                                <td>
                                                    <a href=format!("/bank/questions/{}", r.id)>{r.name}</a>
                                                    {(r.version > 1)
                                                        .then(|| {
                                                            view! {
                                                                <span class="muted">{format!(" v{}", r.version)}</span>
                                                            }
                                                        })}
                                                </td>
                                                <td>{kind_name(i18n, r.kind)}</td>
                                                <td>{r.category}</td>
                                                <td>{r.competency.unwrap_or_default()}</td>
                                                <td>
                                                    {r
                                                        .course
                                                        .unwrap_or_else(|| {
                                                            t_string!(i18n, bank.shared).to_owned()
                                                        })}
                                                </td>
                                                <td class="num">{points(r.points)}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                        <Pager page=b.page pages=b.pages href=href />
                    }
                        .into_any()
                }}
            </Loaded>
        </Page>
    }
}

/// The answer key of a question, as a trainer checks it.
#[component]
fn AnswerKey(question: Question) -> impl IntoView {
    let i18n = use_i18n();
    let right = move || t_string!(i18n, bank.right);
    let weighted = |weight: f64| {
        if weight == 100.0 {
            right().to_owned()
        } else {
            format!("{weight}%")
        }
    };
    let feedback = |f: String| (!f.is_empty()).then(|| view! { <div class="muted">{f}</div> });
    match question.kind {
        Kind::Single { options } | Kind::Multiple { options } => view! {
            <ol class="answer-key" type="A">
                {options
                    .into_iter()
                    .map(|o| {
                        let good = o.weight > 0.0;
                        view! {
                            <li class:right=good>
                                {o.text} " "
                                <strong>{(o.weight != 0.0).then(|| weighted(o.weight))}</strong>
                                {feedback(o.feedback)}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        }
        .into_any(),
        Kind::TrueFalse {
            answer,
            feedback_wrong,
            feedback_right,
        } => view! {
            <p>
                <strong>
                    {if answer {
                        t_string!(i18n, bank.true_)
                    } else {
                        t_string!(i18n, bank.false_)
                    }}
                </strong>
            </p>
            {feedback(feedback_right)}
            {feedback(feedback_wrong)}
        }
        .into_any(),
        Kind::Numeric { answers, units } => {
            let units = units
                .iter()
                .map(|u| format!("{} ×{}", u.name, u.multiplier))
                .collect::<Vec<_>>()
                .join(", ");
            view! {
                <ul class="answer-key">
                    {answers
                        .into_iter()
                        .map(|a| {
                            view! {
                                <li>
                                    {format!("{} ± {}", a.value, a.tolerance)} " "
                                    <strong>{weighted(a.weight)}</strong> {feedback(a.feedback)}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                {(!units.is_empty()).then(|| view! { <p class="muted">{units}</p> })}
            }
            .into_any()
        }
        Kind::Short {
            answers,
            case_sensitive,
        } => view! {
            <ul class="answer-key">
                {answers
                    .into_iter()
                    .map(|a| {
                        view! {
                            <li>
                                <code>{a.text}</code>
                                " "
                                <strong>{weighted(a.weight)}</strong>
                                {feedback(a.feedback)}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <p class="muted">
                {if case_sensitive {
                    t_string!(i18n, bank.case_sensitive)
                } else {
                    t_string!(i18n, bank.case_insensitive)
                }}
            </p>
        }
        .into_any(),
        Kind::Matching { pairs } => view! {
            <table class="list answer-key">
                <tbody>
                    {pairs
                        .into_iter()
                        .map(|p| {
                            view! {
                                <tr>
                                    <td>{p.prompt}</td>
                                    <td>"→ " {p.answer}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        }
        .into_any(),
        Kind::Ordering { items } => view! {
            <ol class="answer-key">
                {items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}
            </ol>
        }
        .into_any(),
        Kind::Essay { rubric } => view! {
            <h3>{t!(i18n, bank.rubric)}</h3>
            <p class="pre">{rubric}</p>
        }
        .into_any(),
        Kind::Description => ().into_any(),
    }
}

#[component]
pub fn QuestionPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = route_param("id");
    let detail = Resource::new(id, super::get_question);
    let archive = mutation::<ArchiveQuestion>();
    let error = action_error(archive);
    view! {
        <Page
            title=|i| t_string!(i, bank.question)
            roles=BANK_EDITORS
            crumbs=vec![(|i| t_string!(i, bank.title), "/bank")]
        >
            <Loaded resource=detail let:d>
                <section class="card" data-testid="question">
                    <p class="muted">
                        {kind_name(i18n, d.kind)} " · "
                        {t_string!(i18n, bank.points_n, n = points(d.points))} " · "
                        {format!("v{}", d.version)}
                        {(!d.category.is_empty()).then(|| format!(" · {}", d.category))}
                        {d.competency.clone().map(|c| format!(" · {c}"))} " · "
                        {d
                            .course
                            .clone()
                            .map(|(_, name)| name)
                            .unwrap_or_else(|| t_string!(i18n, bank.shared).to_owned())}
                    </p>
                    {(!d.question.name.is_empty())
                        .then(|| view! { <h2>{d.question.name.clone()}</h2> })}
                    <div class="question-text" inner_html=d.text_html.clone()></div>
                    {(!d.question.files.is_empty())
                        .then(|| {
                            view! {
                                <p class="muted">
                                    {t!(i18n, bank.files)} ": "
                                    {d
                                        .question
                                        .files
                                        .iter()
                                        .map(|f| f.name.clone())
                                        .collect::<Vec<_>>()
                                        .join(", ")}
                                </p>
                            }
                        })}
                    <h3>{t!(i18n, bank.key)}</h3>
                    <AnswerKey question=d.question.clone() />
                    {matches!(d.kind, QuestionKind::Multiple)
                        .then(|| view! { <p class="muted">{t!(i18n, bank.multiple_rule)}</p> })}
                    {(!d.question.general_feedback.is_empty())
                        .then(|| {
                            view! {
                                <h3>{t!(i18n, bank.general_feedback)}</h3>
                                <p>{d.question.general_feedback.clone()}</p>
                            }
                        })}
                </section>
                <section class="card">
                    {if d.archived {
                        view! { <p class="banner">{t!(i18n, bank.is_archived)}</p> }.into_any()
                    } else {
                        ().into_any()
                    }} <FormError error=error />
                    <ActionForm action=archive attr:data-testid="question-archive">
                        <input type="hidden" name="id" value=d.id.to_string() />
                        <input type="hidden" name="archived" value=(!d.archived).to_string() />
                        <button type="submit">
                            {if d.archived {
                                t_string!(i18n, bank.restore)
                            } else {
                                t_string!(i18n, bank.archive)
                            }}
                        </button>
                    </ActionForm> <p class="muted">{t!(i18n, bank.archive_help)}</p>
                </section>
                <super::marking_pages::QuestionEditor
                    id=d.id.to_string()
                    points=d.points
                    competency=d.competency.clone()
                />
            </Loaded>
        </Page>
    }
}

#[component]
pub fn BankImportPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Page
            title=|i| t_string!(i, bank.import)
            roles=BANK_EDITORS
            crumbs=vec![(|i| t_string!(i, bank.title), "/bank")]
        >
            <p>{t!(i18n, bank.import_help)}</p>
            <ul>
                <li>{t!(i18n, bank.import_gift)}</li>
                <li>{t!(i18n, bank.import_xml)}</li>
                <li>
                    {t!(i18n, bank.import_sheet)} " "
                    <a href="/export/bank-template.csv" data-testid="bank-template">
                        {t!(i18n, bank.template)}
                    </a>
                </li>
            </ul>
            <section class="card">
                <UploadForm
                    action="/bank/upload"
                    testid="bank-upload"
                    input_id="bank-file"
                    button=|i| t_string!(i, roster.upload)
                    accept=".gift,.txt,.xml,.csv,.xlsx,.xls,.ods"
                    label=|i| t_string!(i, bank.file)
                />
            </section>
        </Page>
    }
}

#[component]
fn PreviewTables(p: ImportPreview) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        {(!p.questions.is_empty())
            .then(|| {
                view! {
                    <h2>{t_string!(i18n, bank.to_import, n = p.questions.len())}</h2>
                    <table class="list" data-testid="import-questions">
                        <thead>
                            <tr>
                                <th scope="col">{t!(i18n, roster.line)}</th>
                                <th scope="col">{t!(i18n, bank.kind)}</th>
                                <th scope="col">{t!(i18n, bank.question)}</th>
                                <th scope="col">{t!(i18n, bank.category)}</th>
                                <th scope="col">{t!(i18n, bank.competency)}</th>
                                <th scope="col" class="num">
                                    {t!(i18n, bank.points)}
                                </th>
                            </tr>
                        </thead>
                        <tbody>
                            {p
                                .questions
                                .iter()
                                .cloned()
                                .map(|q| {
                                    view! {
                                        <tr>
                                            <td>{q.line}</td>
                                            <td>{kind_name(i18n, q.kind)}</td>
                                            <td>{q.name}</td>
                                            <td>{q.category}</td>
                                            <td>
                                                {q.competency.unwrap_or_default()}
                                                {(!q.known_competency)
                                                    .then(|| {
                                                        view! {
                                                            <div class="muted" data-testid="unknown-code">
                                                                {t!(i18n, bank.unknown_code)}
                                                            </div>
                                                        }
                                                    })}
                                            </td>
                                            <td class="num">{points(q.points)}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                }
            })}
        {(!p.skipped.is_empty())
            .then(|| {
                view! {
                    <h2>{t_string!(i18n, bank.skipped, n = p.skipped.len())}</h2>
                    <table class="list" data-testid="import-skipped">
                        <thead>
                            <tr>
                                <th scope="col">{t!(i18n, roster.line)}</th>
                                <th scope="col">{t!(i18n, bank.question)}</th>
                                <th scope="col">{t!(i18n, bank.why)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {p
                                .skipped
                                .iter()
                                .cloned()
                                .map(|s| {
                                    view! {
                                        <tr class="row-error">
                                            <td>{s.line}</td>
                                            <td>{s.what}</td>
                                            <td>{crate::components::question_problem(i18n, &s.why)}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                }
            })}
    }
}

#[component]
pub fn BankImportPreviewPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = route_param("id");
    let preview = Resource::new(id, super::preview_question_import);
    let import = mutation::<ImportQuestions>();
    let error = action_error(import);
    view! {
        <Page
            title=|i| t_string!(i, bank.import_preview)
            roles=BANK_EDITORS
            crumbs=vec![
                (|i| t_string!(i, bank.title), "/bank"),
                (|i| t_string!(i, bank.import), "/bank/import"),
            ]
        >
            <Loaded resource=preview let:p>
                <p class="muted">{format!("{} · {}", p.file_name, format_name(i18n, p.format))}</p>
                {p
                    .refused
                    .clone()
                    .map(|why| {
                        view! {
                            <div
                                class="banner banner-error"
                                role="alert"
                                data-testid="import-refused"
                            >
                                {t!(i18n, bank.refused)}
                                " "
                                {why}
                            </div>
                        }
                    })}
                {if p.imported {
                    view! {
                        <p class="banner" data-testid="import-done">
                            {t!(i18n, bank.already_imported)}
                            " "
                            <a href="/bank">{t!(i18n, bank.title)}</a>
                        </p>
                    }
                        .into_any()
                } else if p.questions.is_empty() {
                    view! {
                        <PreviewTables p=p.clone() />
                        <p class="banner banner-error" role="alert" data-testid="import-nothing">
                            {t!(i18n, bank.nothing_to_import)}
                        </p>
                    }
                        .into_any()
                } else {
                    let n = p.questions.len();
                    view! {
                        <PreviewTables p=p.clone() />
                        <section class="card">
                            <FormError error=error />
                            <ActionForm action=import attr:data-testid="import-confirm">
                                <input type="hidden" name="id" value=p.id.to_string() />
                                <ChoiceFilter
                                    name="course"
                                    label=|i| t_string!(i, bank.file_under)
                                    any=|i| t_string!(i, bank.shared)
                                    options=p.courses.clone()
                                    chosen=String::new()
                                    error=error
                                />
                                <button type="submit" class="primary">
                                    {t_string!(i18n, bank.confirm_import, n = n)}
                                </button>
                            </ActionForm>
                        </section>
                    }
                        .into_any()
                }}
            </Loaded>
        </Page>
    }
}
