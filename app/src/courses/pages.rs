//! The catalogue, a course as learners see it, the course builder and lessons.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use super::{
    ArrangeLesson, ArrangeModule, AttachmentDto, CourseDetail, CourseMode, CourseStatus, LessonDto,
    ModuleDto, RemoveAttachment, RemoveCover, SaveCourse, SaveLesson, SaveRaises, SetCourseState,
    raise_key,
};
use crate::components::{
    ConfirmBox, ErrorPage, FieldErrors, FormError, Loaded, Page, Pager, QueryBanner, TextField,
    action_error, label, query_page, query_param, route_param, search_key, urlencode,
};
use crate::domain::Vocabulary;
use crate::i18n::*;
use leptos_i18n::I18nContext;

const EVERYONE: &[crate::auth::Role] = crate::auth::EVERYONE;
const BUILDERS: &[crate::auth::Role] = super::BUILDERS;

pub fn mode_name(i18n: I18nContext<Locale>, mode: CourseMode) -> &'static str {
    match mode {
        CourseMode::Online => t_string!(i18n, courses.mode_online),
        CourseMode::Classroom => t_string!(i18n, courses.mode_classroom),
        CourseMode::Blended => t_string!(i18n, courses.mode_blended),
    }
}

pub fn status_name(i18n: I18nContext<Locale>, status: CourseStatus) -> &'static str {
    match status {
        CourseStatus::Draft => t_string!(i18n, courses.status_draft),
        CourseStatus::Published => t_string!(i18n, courses.status_published),
        CourseStatus::Archived => t_string!(i18n, courses.status_archived),
    }
}

/// An `<option>` for every value of a vocabulary, in its order, `chosen` selected.
fn options<T: Vocabulary>(
    i18n: I18nContext<Locale>,
    chosen: &str,
    name: fn(I18nContext<Locale>, T) -> &'static str,
) -> impl IntoView + use<T> {
    T::ALL
        .iter()
        .map(|v| {
            let value = v.as_str();
            view! {
                <option value=value selected=value == chosen>
                    {name(i18n, *v)}
                </option>
            }
        })
        .collect_view()
}

/// The "raises competency" filter of a GET form: (code, name) options, `chosen`
/// selected, blank for any.
#[component]
pub fn CompetencyFilter(competencies: Vec<(String, String)>, chosen: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field">
            <label for="competency">{t!(i18n, courses.competency)}</label>
            <select id="competency" name="competency">
                <option value="">{t!(i18n, courses.any)}</option>
                {competencies
                    .into_iter()
                    .map(|(code, name)| {
                        let selected = code == chosen;
                        view! {
                            <option value=code.clone() selected=selected>
                                {format!("{code} · {name}")}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// Hours as people write them: 2, 1.5.
fn hours(h: f64) -> String {
    format!("{h}")
}

#[component]
pub fn CataloguePage() -> impl IntoView {
    let i18n = use_i18n();
    let get = query_param;
    let (q, competency, mode, status) = (get("q"), get("competency"), get("mode"), get("status"));
    let page = query_page();
    let list = Resource::new(
        move || (q(), competency(), mode(), status(), page()),
        |(q, competency, mode, status, page)| {
            super::list_courses(
                Some(q),
                Some(competency),
                Some(mode),
                Some(status),
                Some(page),
            )
        },
    );
    view! {
        <Page title=|i| t_string!(i, courses.title) roles=EVERYONE>
            <Loaded resource=list let:c>
                {c
                    .can_build
                    .then(|| {
                        view! {
                            <p>
                                <a
                                    class="button primary"
                                    href="/courses/new"
                                    data-testid="new-course"
                                >
                                    {t!(i18n, courses.new)}
                                </a>
                            </p>
                        }
                    })}
                <form method="get" class="filters" role="search">
                    <div class="field">
                        <label for="q">{t!(i18n, courses.search)}</label>
                        <input id="q" name="q" type="search" value=q() />
                    </div>
                    <CompetencyFilter competencies=c.competencies.clone() chosen=competency() />
                    <div class="field">
                        <label for="mode">{t!(i18n, courses.mode)}</label>
                        <select id="mode" name="mode">
                            <option value="">{t!(i18n, courses.any)}</option>
                            {options(i18n, &mode(), mode_name)}
                        </select>
                    </div>
                    <div class="field">
                        <label for="status">{t!(i18n, courses.status)}</label>
                        <select id="status" name="status">
                            <option value="">{t!(i18n, courses.current)}</option>
                            {options(i18n, &status(), status_name)}
                        </select>
                    </div>
                    <button type="submit">{t!(i18n, courses.filter)}</button>
                </form>
                {if c.rows.is_empty() {
                    view! {
                        <p class="empty" data-testid="courses-empty">
                            {if c.can_build {
                                t!(i18n, courses.empty_builder).into_any()
                            } else {
                                t!(i18n, courses.empty).into_any()
                            }}
                        </p>
                    }
                        .into_any()
                } else {
                    let href = move |n: u64| {
                        format!(
                            "/courses?q={}&competency={}&mode={}&status={}&page={n}",
                            urlencode(&q()),
                            urlencode(&competency()),
                            urlencode(&mode()),
                            urlencode(&status()),
                        )
                    };
                    view! {
                        <p class="muted">{t_string!(i18n, courses.count, n = c.total)}</p>
                        <table class="list" data-testid="courses">
                            <thead>
                                <tr>
                                    <th scope="col">{t!(i18n, courses.course)}</th>
                                    <th scope="col">{t!(i18n, courses.mode)}</th>
                                    <th scope="col" class="num">
                                        {t!(i18n, courses.hours)}
                                    </th>
                                    <th scope="col">{t!(i18n, courses.raises)}</th>
                                    <th scope="col">{t!(i18n, courses.status)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {c
                                    .rows
                                    .into_iter()
                                    .map(|r| {
                                        let raises = r
                                            .raises
                                            .iter()
                                            .map(|(code, level)| format!("{code} → {level}"))
                                            .collect::<Vec<_>>()
                                            .join(", ");
                                        view! {
                                            <tr data-testid="course-row">
                                                <td>
                                                    {r
                                                        .cover
                                                        .then(|| {
                                                            view! {
                                                                <img
                                                                    class="cover-thumb"
                                                                    src=format!("/courses/{}/cover", r.id)
                                                                    alt=""
                                                                    loading="lazy"
                                                                />
                                                            }
                                                        })} <a href=format!("/courses/{}", r.id)>{r.title}</a>
                                                    <div class="muted">
                                                        {r.code} " · "
                                                        {t_string!(i18n, courses.lesson_count, n = r.lessons)}
                                                    </div>
                                                </td>
                                                <td>{mode_name(i18n, r.mode)}</td>
                                                <td class="num">{hours(r.hours)}</td>
                                                <td>{raises}</td>
                                                <td>{status_name(i18n, r.status)}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                        <Pager page=c.page pages=c.pages href=href />
                    }
                        .into_any()
                }}
            </Loaded>
        </Page>
    }
}

/// The course form: new (no course) or the builder's details section.
#[component]
fn CourseForm(course: Option<CourseDetail>) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveCourse>::new();
    let error = action_error(save);
    let c = course;
    let mode = c.as_ref().map_or(CourseMode::Online, |c| c.mode);
    view! {
        <FormError error=error />
        <ActionForm action=save attr:data-testid="course-form">
            <input
                type="hidden"
                name="id"
                value=c.as_ref().map(|c| c.id.to_string()).unwrap_or_default()
            />
            <div class="grid2">
                <TextField
                    name="code"
                    label=label(i18n, |i| t_string!(i, courses.code))
                    error=error
                    value=c.as_ref().map(|c| c.code.clone()).unwrap_or_default()
                    required=true
                />
                <TextField
                    name="title"
                    label=label(i18n, |i| t_string!(i, courses.course_title))
                    error=error
                    value=c.as_ref().map(|c| c.title.clone()).unwrap_or_default()
                    required=true
                />
            </div>
            <div class="field">
                <label for="field-summary">{t!(i18n, courses.summary)}</label>
                <textarea id="field-summary" name="summary" rows="3">
                    {c.as_ref().map(|c| c.summary.clone()).unwrap_or_default()}
                </textarea>
                <FieldErrors error=error field="summary" />
            </div>
            <div class="grid2">
                <TextField
                    name="hours"
                    label=label(i18n, |i| t_string!(i, courses.hours_label))
                    error=error
                    value=c.as_ref().map_or("2".into(), |c| hours(c.hours))
                    required=true
                />
                <div class="field">
                    <label for="field-mode">{t!(i18n, courses.mode)}</label>
                    <select id="field-mode" name="mode">
                        {options(i18n, mode.as_str(), mode_name)}
                    </select>
                    <FieldErrors error=error field="mode" />
                </div>
            </div>
            <div class="field checkbox">
                <input
                    id="self_enrol"
                    type="checkbox"
                    name="self_enrol"
                    value="on"
                    checked=c.as_ref().is_some_and(|c| c.self_enrol)
                />
                <label for="self_enrol">{t!(i18n, courses.self_enrol)}</label>
            </div>
            <div class="field checkbox">
                <input
                    id="requires_attendance"
                    type="checkbox"
                    name="requires_attendance"
                    value="on"
                    checked=c.as_ref().is_some_and(|c| c.requires_attendance)
                />
                <label for="requires_attendance">{t!(i18n, courses.requires_attendance)}</label>
            </div>
            <button type="submit" class="primary" data-testid="save-course">
                {t!(i18n, common.save)}
            </button>
        </ActionForm>
    }
}

#[component]
pub fn NewCoursePage() -> impl IntoView {
    view! {
        <Page
            title=|i| t_string!(i, courses.new)
            roles=BUILDERS
            crumbs=vec![(|i| t_string!(i, courses.title), "/courses")]
        >
            <section class="card">
                <CourseForm course=None />
            </section>
        </Page>
    }
}

/// The course as a learner sees it (and, for its editors, the way to the builder).
/// The course's evaluation, for those who read it: its editors, and managers
/// for their own people.
#[component]
fn EvaluationLink(course: uuid::Uuid, can_edit: bool) -> impl IntoView {
    let i18n = use_i18n();
    let user = crate::components::use_user().0;
    let reads = move || {
        can_edit
            || user
                .get()
                .and_then(Result::ok)
                .flatten()
                .is_some_and(|u| u.has(crate::auth::Role::Manager))
    };
    move || {
        reads().then(|| {
            view! {
                " · "
                <a
                    href=format!("/courses/{course}/evaluation")
                    data-testid="course-evaluation-link"
                >
                    {t!(i18n, evaluation.title)}
                </a>
            }
        })
    }
}

#[component]
pub fn CoursePage() -> impl IntoView {
    let i18n = use_i18n();
    let id = route_param("id");
    let course = Resource::new(
        move || (id(), search_key().get()),
        |(id, _)| super::get_course(id),
    );
    view! {
        <Page
            title=|i| t_string!(i, courses.title)
            roles=EVERYONE
            crumbs=vec![(|i| t_string!(i, courses.title), "/courses")]
            heading=false
        >
            <Loaded resource=course let:c>
                <div class="page-head">
                    <h1 data-testid="course-title">{c.title.clone()}</h1>
                    {c
                        .can_edit
                        .then(|| {
                            view! {
                                <a
                                    class="button"
                                    href=format!("/courses/{}/edit", c.id)
                                    data-testid="edit-course"
                                >
                                    {t!(i18n, courses.edit)}
                                </a>
                            }
                        })}
                </div>
                <p class="muted" data-testid="course-facts">
                    {c.code.clone()}
                    " · "
                    {mode_name(i18n, c.mode)}
                    " · "
                    {t_string!(i18n, courses.hours_n, n = hours(c.hours))}
                    " · "
                    {status_name(i18n, c.status)}
                </p>
                {(c.status != CourseStatus::Published)
                    .then(|| {
                        view! {
                            <div class="banner" role="note" data-testid="preview-note">
                                {t!(i18n, courses.preview_note)}
                            </div>
                        }
                    })}
                {c
                    .cover
                    .then(|| {
                        view! {
                            <img
                                class="course-cover"
                                src=format!("/courses/{}/cover", c.id)
                                alt=""
                                data-testid="course-cover"
                            />
                        }
                    })}
                {(!c.summary.is_empty()).then(|| view! { <p>{c.summary.clone()}</p> })}
                <EnrolBox course=c.clone() />
                <crate::classroom::pages::SessionsBox course=c.id />
                <Raises course=c.clone() />
                <section class="card">
                    <p>
                        <a
                            href=format!("/courses/{}/quizzes", c.id)
                            data-testid="course-quizzes-link"
                        >
                            {t!(i18n, courses.quizzes)}
                        </a>
                        <EvaluationLink course=c.id can_edit=c.can_edit />
                    </p>
                    <h2>{t!(i18n, courses.outline)}</h2>
                    {c
                        .modules
                        .is_empty()
                        .then(|| view! { <p class="empty">{t!(i18n, courses.no_lessons)}</p> })}
                    {c
                        .modules
                        .iter()
                        .map(|m| {
                            view! {
                                <h3>{m.title.clone()}</h3>
                                <ol class="lessons">
                                    {m
                                        .lessons
                                        .iter()
                                        .map(|l| {
                                            view! {
                                                <li>
                                                    <a
                                                        href=format!("/courses/{}/lessons/{}", c.id, l.id)
                                                        data-testid="lesson-link"
                                                    >
                                                        {l.title.clone()}
                                                    </a>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ol>
                            }
                        })
                        .collect_view()}
                </section>
            </Loaded>
        </Page>
    }
}

/// Enrolling from the catalogue, or a note that the course is already the caller's.
#[component]
fn EnrolBox(course: CourseDetail) -> impl IntoView {
    let i18n = use_i18n();
    if course.enrolled {
        view! {
            <p class="banner banner-ok" data-testid="enrolled">
                <a href="/learning">{t!(i18n, learning.already)}</a>
            </p>
        }
        .into_any()
    } else if course.can_enrol {
        view! {
            <form method="post" action=crate::learning::Enrol::url() data-testid="enrol-form">
                <input type="hidden" name="id" value=course.id.to_string() />
                <button type="submit" class="primary" data-testid="enrol">
                    {t!(i18n, learning.enrol)}
                </button>
            </form>
        }
        .into_any()
    } else {
        ().into_any()
    }
}

#[component]
fn Raises(course: CourseDetail) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" data-testid="raises">
            <h2>{t!(i18n, courses.raises)}</h2>
            {if course.raises.is_empty() {
                view! { <p class="empty">{t!(i18n, courses.raises_none)}</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {course
                            .raises
                            .iter()
                            .map(|r| {
                                let name = r.name.clone().unwrap_or_else(|| r.code.clone());
                                view! {
                                    <li>
                                        {t_string!(
                                            i18n, courses.raises_line, name = name, code = r.code.clone(), level = r.level
                                        )}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}

#[component]
pub fn CourseEditPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = route_param("id");
    let course = Resource::new(
        move || (id(), search_key().get()),
        |(id, _)| super::get_course(id),
    );
    view! {
        <Page
            title=|i| t_string!(i, courses.builder)
            roles=BUILDERS
            crumbs=vec![(|i| t_string!(i, courses.title), "/courses")]
            heading=false
        >
            <Loaded resource=course let:c>
                {if !c.can_edit {
                    view! { <ErrorPage error=crate::error::AppError::Forbidden /> }.into_any()
                } else {
                    view! {
                        <div class="page-head">
                            <h1 data-testid="builder-title">{c.title.clone()}</h1>
                            <a
                                class="button"
                                href=format!("/courses/{}", c.id)
                                data-testid="preview"
                            >
                                {t!(i18n, courses.preview)}
                            </a>
                        </div>
                        <p class="muted">
                            {status_name(i18n, c.status)} " · "
                            {t_string!(i18n, courses.owners, names = c.owners.join("、"))}
                        </p>
                        <section class="card">
                            <h2>{t!(i18n, courses.details)}</h2>
                            <CourseForm course=Some(c.clone()) />
                        </section>
                        <CoverEditor course=c.id cover=c.cover />
                        <OutlineEditor course=c.clone() />
                        <RaisesEditor course=c.clone() />
                        <StateEditor course=c />
                    }
                        .into_any()
                }}
            </Loaded>
        </Page>
    }
}

/// The cover image: the current one, a form to upload another (works without
/// JavaScript: a plain multipart post) and removal, confirmed.
#[component]
fn CoverEditor(course: uuid::Uuid, cover: bool) -> impl IntoView {
    let i18n = use_i18n();
    let query = leptos_router::hooks::use_query_map();
    let refused = move || {
        query.read().get("cover_error").map(|e| match e.as_str() {
            "too_large" => t_string!(i18n, courses.cover_too_large),
            "wrong_type" => t_string!(i18n, courses.cover_wrong_type),
            "no_file" => t_string!(i18n, roster.no_file),
            _ => t_string!(i18n, roster.unreadable),
        })
    };
    let remove = ServerAction::<RemoveCover>::new();
    let error = action_error(remove);
    view! {
        <section class="card" data-testid="cover-editor">
            <h2>{t!(i18n, courses.cover)}</h2>
            {move || {
                refused()
                    .map(|e| {
                        view! {
                            <div class="banner banner-error" role="alert" data-testid="cover-error">
                                {e}
                            </div>
                        }
                    })
            }}
            <QueryBanner key="cover" text=|i| t_string!(i, courses.cover_saved) />
            <FormError error=error />
            {if cover {
                view! {
                    <img
                        class="course-cover"
                        src=format!("/courses/{course}/cover")
                        alt=""
                        data-testid="cover-image"
                    />
                    <details class="inline-confirm">
                        <summary>{t!(i18n, courses.cover_remove)}</summary>
                        <ActionForm action=remove>
                            <input type="hidden" name="id" value=course.to_string() />
                            <ConfirmBox id="confirm-cover" error=error />
                            <button type="submit" class="danger" data-testid="remove-cover">
                                {t!(i18n, courses.cover_remove)}
                            </button>
                        </ActionForm>
                    </details>
                }
                    .into_any()
            } else {
                view! { <p class="empty">{t!(i18n, courses.cover_none)}</p> }.into_any()
            }}
            <form
                method="post"
                action=format!("/courses/{course}/cover")
                enctype="multipart/form-data"
                data-testid="cover-form"
            >
                <div class="field">
                    <label for="cover-file">{t!(i18n, courses.cover)}</label>
                    <input
                        id="cover-file"
                        name="file"
                        type="file"
                        accept=".png,.jpg,.jpeg"
                        required
                    />
                    <small class="muted">{t!(i18n, courses.cover_help)}</small>
                </div>
                <button type="submit" data-testid="upload-cover">
                    {t!(i18n, courses.cover_upload)}
                </button>
            </form>
        </section>
    }
}

#[component]
fn OutlineEditor(course: CourseDetail) -> impl IntoView {
    let i18n = use_i18n();
    let add = ServerAction::<ArrangeModule>::new();
    let error = action_error(add);
    let course_id = course.id;
    view! {
        <section class="card" data-testid="outline">
            <h2>{t!(i18n, courses.outline)}</h2>
            {course
                .modules
                .into_iter()
                .map(|m| view! { <ModuleEditor course_id=course_id module=m /> })
                .collect_view()}
            <h3>{t!(i18n, courses.add_module)}</h3>
            <FormError error=error />
            <ActionForm action=add attr:data-testid="add-module">
                <input type="hidden" name="course_id" value=course_id.to_string() />
                <input type="hidden" name="op" value="save" />
                <div class="field">
                    <label for="module-title">{t!(i18n, courses.module_title)}</label>
                    <input id="module-title" name="title" required />
                    <FieldErrors error=error field="title" />
                </div>
                <button type="submit">{t!(i18n, courses.add_module)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn ModuleEditor(course_id: uuid::Uuid, module: ModuleDto) -> impl IntoView {
    let i18n = use_i18n();
    let arrange = ServerAction::<ArrangeModule>::new();
    let lessons = ServerAction::<ArrangeLesson>::new();
    let add = ServerAction::<SaveLesson>::new();
    let add_error = action_error(add);
    let m = module;
    let module_id = m.id;
    // Small forms that move or remove (confirmed by the <details> around them).
    let module_op = move |op: &'static str, text: &'static str| {
        view! {
            <ActionForm action=arrange attr:class="inline">
                <input type="hidden" name="course_id" value=course_id.to_string() />
                <input type="hidden" name="id" value=module_id.to_string() />
                <input type="hidden" name="op" value=op />
                {(op == "remove")
                    .then(|| view! { <input type="hidden" name="confirm" value="yes" /> })}
                <button type="submit" class="link" data-testid=format!("module-{op}")>
                    {text}
                </button>
            </ActionForm>
        }
    };
    let lesson_op = move |lesson: uuid::Uuid, op: &'static str, text: &'static str| {
        view! {
            <ActionForm action=lessons attr:class="inline">
                <input type="hidden" name="id" value=lesson.to_string() />
                <input type="hidden" name="op" value=op />
                {(op == "remove")
                    .then(|| view! { <input type="hidden" name="confirm" value="yes" /> })}
                <button type="submit" class="link" data-testid=format!("lesson-{op}")>
                    {text}
                </button>
            </ActionForm>
        }
    };
    view! {
        <div class="module" data-testid="module">
            <h3>
                {m.title.clone()} " "
                <span class="arrange">
                    {module_op("up", t_string!(i18n, fw.up))}
                    {module_op("down", t_string!(i18n, fw.down))} <details class="inline-confirm">
                        <summary>{t!(i18n, courses.remove)}</summary>
                        <p>{t!(i18n, courses.remove_module_help)}</p>
                        {module_op("remove", t_string!(i18n, common.confirm_check))}
                    </details>
                </span>
            </h3>
            <ol class="lessons">
                {m
                    .lessons
                    .iter()
                    .map(|l| {
                        view! {
                            <li data-testid="lesson">
                                <a href=format!(
                                    "/courses/{course_id}/lessons/{}/edit",
                                    l.id,
                                )>{l.title.clone()}</a>
                                " "
                                <span class="arrange">
                                    {lesson_op(l.id, "up", t_string!(i18n, fw.up))}
                                    {lesson_op(l.id, "down", t_string!(i18n, fw.down))}
                                    <details class="inline-confirm">
                                        <summary>{t!(i18n, courses.remove)}</summary>
                                        <p>{t!(i18n, courses.remove_lesson_help)}</p>
                                        {lesson_op(
                                            l.id,
                                            "remove",
                                            t_string!(i18n, common.confirm_check),
                                        )}
                                    </details>
                                </span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            <FormError error=add_error />
            <ActionForm action=add attr:class="inline-add" attr:data-testid="add-lesson">
                <input type="hidden" name="module_id" value=m.id.to_string() />
                <div class="field">
                    // One of these per module: the id must differ.
                    <label for=format!(
                        "lesson-title-{}",
                        m.id,
                    )>{t!(i18n, courses.lesson_title)}</label>
                    <input id=format!("lesson-title-{}", m.id) name="title" required />
                    <FieldErrors error=add_error field="title" />
                </div>
                <button type="submit">{t!(i18n, courses.add_lesson)}</button>
            </ActionForm>
        </div>
    }
}

#[component]
fn RaisesEditor(course: CourseDetail) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveRaises>::new();
    let error = action_error(save);
    let raises = course.raises.clone();
    let current = move |code: &str| {
        raises
            .iter()
            .find(|r| r.code.eq_ignore_ascii_case(code))
            .map(|r| r.level)
    };
    view! {
        <section class="card" data-testid="raises-editor">
            <h2>{t!(i18n, courses.raises)}</h2>
            <p class="muted">{t!(i18n, courses.raises_help)}</p>
            <FormError error=error />
            <ActionForm action=save>
                <input type="hidden" name="id" value=course.id.to_string() />
                <table class="list">
                    <tbody>
                        {course
                            .competencies
                            .iter()
                            .map(|(code, name)| {
                                let key = format!("level[{}]", raise_key(code));
                                let id = format!("raise-{code}");
                                let chosen = current(code);
                                view! {
                                    <tr>
                                        <th scope="row">
                                            <label for=id.clone()>{format!("{name} ({code})")}</label>
                                        </th>
                                        <td>
                                            <select id=id name=key>
                                                <option value="">"—"</option>
                                                {(1..=5u8)
                                                    .map(|l| {
                                                        view! {
                                                            <option value=l.to_string() selected=chosen == Some(l)>
                                                                {l}
                                                            </option>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </select>
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
                <button type="submit" data-testid="save-raises">
                    {t!(i18n, common.save)}
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
fn StateEditor(course: CourseDetail) -> impl IntoView {
    let i18n = use_i18n();
    let change = ServerAction::<SetCourseState>::new();
    let error = action_error(change);
    let (to, text, help) = match course.status {
        CourseStatus::Draft => (
            CourseStatus::Published,
            t_string!(i18n, courses.publish),
            t_string!(i18n, courses.publish_help),
        ),
        CourseStatus::Published => (
            CourseStatus::Archived,
            t_string!(i18n, courses.archive),
            t_string!(i18n, courses.archive_help),
        ),
        CourseStatus::Archived => (
            CourseStatus::Draft,
            t_string!(i18n, courses.unarchive),
            t_string!(i18n, courses.unarchive_help),
        ),
    };
    view! {
        <section class="card danger-zone" data-testid="state">
            <h2>{text}</h2>
            <p>{help}</p>
            <FormError error=error />
            <ActionForm action=change attr:data-testid="state-form">
                <input type="hidden" name="id" value=course.id.to_string() />
                <input type="hidden" name="to" value=to.as_str() />
                {(to != CourseStatus::Draft)
                    .then(|| view! { <ConfirmBox id="confirm-state" error=error /> })}
                <FieldErrors error=error field="to" />
                <button type="submit" class="primary" data-testid="change-state">
                    {text}
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn LessonPage() -> impl IntoView {
    let course = route_param("id");
    let id = route_param("lesson");
    let lesson = Resource::new(
        move || (id(), search_key().get()),
        |(id, _)| super::get_lesson(id),
    );
    view! {
        <Page
            title=|i| t_string!(i, courses.lesson)
            roles=EVERYONE
            crumbs=vec![(|i| t_string!(i, courses.title), "/courses")]
            heading=false
        >
            <crate::components::QueryBanner key="done" text=|i| t_string!(i, learning.marked) />
            <Loaded resource=lesson let:l>
                <LessonView lesson=l course=course() />
            </Loaded>
        </Page>
    }
}

/// "Mark as done" for a learner who has the course, or the fact that it is done.
#[component]
fn LessonDone(lesson: LessonDto) -> impl IntoView {
    let i18n = use_i18n();
    if lesson.done {
        view! {
            <p class="banner banner-ok" data-testid="lesson-done">
                {t!(i18n, learning.lesson_done)}
                " "
                <a href="/learning">{t!(i18n, learning.back)}</a>
            </p>
        }
        .into_any()
    } else if lesson.can_mark {
        view! {
            <form
                method="post"
                action=crate::learning::MarkLessonDone::url()
                data-testid="done-form"
            >
                <input type="hidden" name="lesson" value=lesson.id.to_string() />
                <button type="submit" class="primary" data-testid="mark-done">
                    {t!(i18n, learning.mark_done)}
                </button>
            </form>
        }
        .into_any()
    } else {
        ().into_any()
    }
}

#[component]
fn LessonView(lesson: LessonDto, course: String) -> impl IntoView {
    let i18n = use_i18n();
    let l = lesson;
    let link = move |id: uuid::Uuid| format!("/courses/{course}/lessons/{id}");
    view! {
        <p class="muted">
            <a href=format!("/courses/{}", l.course_id)>{l.course_title.clone()}</a>
            " › "
            {l.module_title.clone()}
        </p>
        <div class="page-head">
            <h1 data-testid="lesson-title">{l.title.clone()}</h1>
            {l
                .can_edit
                .then(|| {
                    view! {
                        <a
                            class="button"
                            href=format!("/courses/{}/lessons/{}/edit", l.course_id, l.id)
                        >
                            {t!(i18n, courses.edit_lesson)}
                        </a>
                    }
                })}
        </div>
        {l
            .removed
            .then(|| {
                view! {
                    <div class="banner" role="note">
                        {t!(i18n, courses.removed_note)}
                    </div>
                }
            })}
        <article class="lesson-body" data-testid="lesson-body" inner_html=l.html.clone()></article>
        <LessonFiles attachments=l.attachments.clone() auto_done=l.can_mark && !l.done />
        <LessonDone lesson=l.clone() />
        <nav class="pager">
            {l
                .previous
                .map(|p| {
                    view! {
                        <a rel="prev" href=link(p)>
                            {t!(i18n, courses.previous_lesson)}
                        </a>
                    }
                })}
            {l
                .next
                .map(|n| {
                    view! {
                        <a rel="next" href=link(n)>
                            {t!(i18n, courses.next_lesson)}
                        </a>
                    }
                })}
        </nav>
    }
}

#[component]
pub fn LessonEditPage() -> impl IntoView {
    let id = route_param("lesson");
    let lesson = Resource::new(
        move || (id(), search_key().get()),
        |(id, _)| super::get_lesson(id),
    );
    view! {
        <Page
            title=|i| t_string!(i, courses.edit_lesson)
            roles=BUILDERS
            crumbs=vec![(|i| t_string!(i, courses.title), "/courses")]
            heading=false
        >
            <Loaded resource=lesson let:l>
                {match l.body.clone() {
                    None => {
                        view! { <ErrorPage error=crate::error::AppError::Forbidden /> }.into_any()
                    }
                    Some(body) => view! { <LessonEditor lesson=l body=body /> }.into_any(),
                }}
            </Loaded>
        </Page>
    }
}

#[component]
fn LessonEditor(lesson: LessonDto, body: String) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveLesson>::new();
    let error = action_error(save);
    let l = lesson;
    view! {
        <div class="page-head">
            <h1>{l.title.clone()}</h1>
            <a
                class="button"
                href=format!("/courses/{}/lessons/{}", l.course_id, l.id)
                data-testid="preview-lesson"
            >
                {t!(i18n, courses.preview)}
            </a>
        </div>
        <p class="muted">
            <a href=format!("/courses/{}/edit", l.course_id)>{l.course_title.clone()}</a>
            " › "
            {l.module_title.clone()}
        </p>
        <section class="card">
            <FormError error=error />
            <ActionForm action=save attr:data-testid="lesson-form">
                <input type="hidden" name="id" value=l.id.to_string() />
                <input type="hidden" name="module_id" value=l.module_id.to_string() />
                <TextField
                    name="title"
                    label=label(i18n, |i| t_string!(i, courses.lesson_title))
                    error=error
                    value=l.title.clone()
                    required=true
                />
                <div class="field">
                    <label for="field-body">{t!(i18n, courses.body)}</label>
                    <textarea id="field-body" name="body" rows="18" class="markdown">
                        {body}
                    </textarea>
                    <FieldErrors error=error field="body" />
                    <small class="muted">{t!(i18n, courses.body_help)}</small>
                </div>
                <button type="submit" class="primary" data-testid="save-lesson">
                    {t!(i18n, common.save)}
                </button>
            </ActionForm>
        </section>
        <AttachmentsEditor lesson=l.id attachments=l.attachments.clone() />
    }
}

/// Size as people read it: 1.2 MB, 340 KB.
fn size_text(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

/// The lesson's files: upload (with the reason a refused one was refused) and
/// confirmed removal.
#[component]
fn AttachmentsEditor(lesson: uuid::Uuid, attachments: Vec<AttachmentDto>) -> impl IntoView {
    let i18n = use_i18n();
    let query = leptos_router::hooks::use_query_map();
    let refused = move || {
        query.read().get("file_error").map(|e| match e.as_str() {
            "too_large" => t_string!(i18n, courses.file_too_large),
            "wrong_type" => t_string!(i18n, courses.file_wrong_type),
            "no_file" => t_string!(i18n, roster.no_file),
            _ => t_string!(i18n, roster.unreadable),
        })
    };
    let remove = ServerAction::<RemoveAttachment>::new();
    let error = action_error(remove);
    view! {
        <section class="card" data-testid="attachments-editor">
            <h2>{t!(i18n, courses.attachments)}</h2>
            {move || {
                refused()
                    .map(|e| {
                        view! {
                            <div class="banner banner-error" role="alert" data-testid="file-error">
                                {e}
                            </div>
                        }
                    })
            }}
            <QueryBanner key="attached" text=|i| t_string!(i, courses.attached) />
            <FormError error=error />
            <ul class="attachments">
                {attachments
                    .into_iter()
                    .map(|a| {
                        view! {
                            <li data-testid="attachment">
                                <a href=format!("/attachments/{}", a.id)>{a.file_name.clone()}</a>
                                <span class="muted">" · " {size_text(a.size)}</span>
                                <details class="inline-confirm">
                                    <summary>{t!(i18n, courses.remove)}</summary>
                                    <ActionForm action=remove>
                                        <input type="hidden" name="id" value=a.id.to_string() />
                                        <ConfirmBox id=format!("confirm-{}", a.id) error=error />
                                        <button type="submit" class="danger">
                                            {t!(i18n, courses.remove)}
                                        </button>
                                    </ActionForm>
                                </details>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <form
                method="post"
                action=format!("/lessons/{lesson}/attachments")
                enctype="multipart/form-data"
                data-testid="attach-form"
            >
                <div class="field">
                    <label for="attachment-file">{t!(i18n, courses.attach_file)}</label>
                    <input
                        id="attachment-file"
                        name="file"
                        type="file"
                        accept=".pdf,.docx,.xlsx,.pptx,.doc,.xls,.ppt,.png,.jpg,.jpeg,.mp4"
                        required
                    />
                    <small class="muted">{t!(i18n, courses.attach_help)}</small>
                </div>
                <button type="submit" data-testid="attach">
                    {t!(i18n, courses.attach)}
                </button>
            </form>
        </section>
    }
}

/// A lesson's files as a learner sees them: video to play, images shown, the rest
/// to open or download.
#[component]
fn LessonFiles(attachments: Vec<AttachmentDto>, auto_done: bool) -> impl IntoView {
    let i18n = use_i18n();
    (!attachments.is_empty()).then(|| {
        view! {
            <section class="lesson-files" data-testid="lesson-files">
                <h2>{t!(i18n, courses.attachments)}</h2>
                {attachments
                    .into_iter()
                    .map(|a| {
                        let href = format!("/attachments/{}", a.id);
                        if a.video {
                            view! {
                                <figure>
                                    <crate::islands::LessonVideo
                                        src=href.clone()
                                        auto_done=auto_done
                                    />
                                    <figcaption>
                                        <a href=href>{a.file_name}</a>
                                    </figcaption>
                                </figure>
                            }
                                .into_any()
                        } else if a.image {
                            view! {
                                <figure>
                                    <img src=href alt=a.file_name.clone() />
                                    <figcaption>{a.file_name}</figcaption>
                                </figure>
                            }
                                .into_any()
                        } else {
                            view! {
                                <p>
                                    <a href=href data-testid="file-link">
                                        {a.file_name}
                                    </a>
                                    <span class="muted">" · " {size_text(a.size)}</span>
                                </p>
                            }
                                .into_any()
                        }
                    })
                    .collect_view()}
            </section>
        }
    })
}
