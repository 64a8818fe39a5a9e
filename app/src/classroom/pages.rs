//! The sessions of a course on its page (take a seat, leave it, add a session) and
//! the printable sign-in sheet with attendance.

use leptos::prelude::*;

use super::{
    CancelSession, ChangeSession, CreateSession, LeaveSeat, MarkAttendance, SeatStatus, SessionDto,
    Sheet, TakeSeat, present_key,
};
use crate::components::{
    ConfirmBox, FieldErrors, FormError, Loaded, Page, QueryBanner, action_error, route_param,
    search_key,
};
use crate::i18n::*;
use leptos::server_fn::ServerFn;

fn when(s: &SessionDto) -> String {
    format!("{} {}–{}", s.date, s.start, s.end)
}

/// The course page's sessions box.
#[component]
pub fn SessionsBox(course: uuid::Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let list = Resource::new(
        move || search_key().get(),
        move |_| super::list_sessions(course.to_string()),
    );
    view! {
        <Loaded resource=list let:l>
            {(l.classroom || !l.sessions.is_empty())
                .then(|| {
                    view! {
                        <section class="card" id="sessions" data-testid="sessions">
                            <h2>{t!(i18n, classroom.title)}</h2>
                            <QueryBanner key="seat" text=|i| t_string!(i, classroom.seat_taken) />
                            <QueryBanner key="left" text=|i| t_string!(i, classroom.seat_left) />
                            {if l.sessions.is_empty() {
                                view! { <p class="empty">{t!(i18n, classroom.none)}</p> }.into_any()
                            } else {
                                view! {
                                    <table class="list">
                                        <tbody>
                                            {l
                                                .sessions
                                                .iter()
                                                .cloned()
                                                .map(|s| {
                                                    view! {
                                                        <SessionLine
                                                            s=s
                                                            can_enrol=l.can_enrol
                                                            can_manage=l.can_manage
                                                        />
                                                    }
                                                })
                                                .collect_view()}
                                        </tbody>
                                    </table>
                                }
                                    .into_any()
                            }}
                            {l.can_manage.then(|| view! { <NewSession course=course /> })}
                        </section>
                    }
                })}
        </Loaded>
    }
}

#[component]
fn SessionLine(s: SessionDto, can_enrol: bool, can_manage: bool) -> impl IntoView {
    let i18n = use_i18n();
    let seats = t_string!(
        i18n,
        classroom.seats,
        taken = s.taken,
        capacity = s.capacity
    );
    let mine = match (s.mine, s.my_place) {
        (Some(SeatStatus::Enrolled), _) => {
            Some(t_string!(i18n, classroom.you_enrolled).to_string())
        }
        (Some(SeatStatus::Waiting), Some(n)) => {
            Some(t_string!(i18n, classroom.you_waiting, n = n).to_string())
        }
        _ => None,
    };
    let id = s.id.to_string();
    let changeable = can_manage && !s.past && !s.cancelled;
    let action = if s.cancelled {
        None
    } else if s.mine.is_some() {
        Some((
            LeaveSeat::url(),
            t_string!(i18n, classroom.leave),
            "leave-seat",
        ))
    } else if can_enrol && !s.past && !s.cancelled {
        Some((
            TakeSeat::url(),
            t_string!(i18n, classroom.take),
            "take-seat",
        ))
    } else {
        None
    };
    view! {
        <tr data-testid="session" class:cancelled=s.cancelled>
            <td>
                <strong>{when(&s)}</strong>
                {s
                    .cancelled
                    .then(|| {
                        view! {
                            " "
                            <span class="tag tag-warn" data-testid="session-cancelled">
                                {t!(i18n, classroom.cancelled)}
                            </span>
                        }
                    })}
                <br />
                {s.place.clone()}
                {s
                    .trainer
                    .clone()
                    .map(|t| {
                        view! {
                            " · "
                            {t}
                        }
                    })}
            </td>
            <td data-testid="seats">
                {seats}
                {(s.waiting > 0)
                    .then(|| {
                        view! {
                            " · "
                            {t_string!(i18n, classroom.waiting, n = s.waiting)}
                        }
                    })}
            </td>
            <td>
                {mine
                    .map(|m| {
                        view! {
                            <span class="tag ok" data-testid="my-seat">
                                {m}
                            </span>
                            " "
                        }
                    })}
                {action
                    .map(|(url, label, testid)| {
                        view! {
                            <form method="post" action=url class="inline">
                                <input type="hidden" name="session" value=id.clone() />
                                <button type="submit" data-testid=testid>
                                    {label}
                                </button>
                            </form>
                        }
                    })} " " <a href=format!("/sessions/{}/calendar.ics", s.id) data-testid="ics">
                    {t!(i18n, classroom.calendar)}
                </a>
                {(can_manage || s.teaching)
                    .then(|| {
                        view! {
                            " · "
                            <a href=format!("/sessions/{}", s.id) data-testid="sheet-link">
                                {t!(i18n, classroom.sheet)}
                            </a>
                        }
                    })} {changeable.then(|| view! { <ChangeSessionBox s=s.clone() /> })}
            </td>
        </tr>
    }
}

/// The date, times, place, seats and trainer fields, filled with `values` (in
/// that order; blank for a new session).
#[component]
fn SessionFields(
    #[prop(into)] error: Signal<Option<crate::error::AppError>>,
    /// Makes field ids unique when several forms share a page.
    prefix: String,
    values: [String; 6],
) -> impl IntoView {
    let i18n = use_i18n();
    let [date, start, end, place, capacity, trainer] = values;
    let field = move |name: &'static str, label: String, kind: &'static str, value: String| {
        let id = format!("{prefix}{name}");
        view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                <input id=id name=name type=kind value=value required=name != "trainer" />
                <FieldErrors error=error field=name />
            </div>
        }
    };
    view! {
        <div class="grid3">
            {field("date", t_string!(i18n, classroom.date).to_string(), "date", date)}
            {field("start", t_string!(i18n, classroom.start).to_string(), "time", start)}
            {field("end", t_string!(i18n, classroom.end).to_string(), "time", end)}
        </div>
        <div class="grid3">
            {field("place", t_string!(i18n, classroom.place).to_string(), "text", place)}
            {field("capacity", t_string!(i18n, classroom.capacity).to_string(), "number", capacity)}
            {field("trainer", t_string!(i18n, classroom.trainer).to_string(), "text", trainer)}
        </div>
    }
}

#[component]
fn NewSession(course: uuid::Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateSession>::new();
    let error = action_error(create);
    view! {
        <details class="add-session">
            <summary>{t!(i18n, classroom.add)}</summary>
            <FormError error=error />
            <ActionForm action=create attr:data-testid="session-form">
                <input type="hidden" name="course" value=course.to_string() />
                <SessionFields error=error prefix="field-".to_owned() values=Default::default() />
                <button type="submit" class="primary" data-testid="add-session">
                    {t!(i18n, classroom.add)}
                </button>
            </ActionForm>
        </details>
    }
}

/// Change or cancel a session that has not begun (the course's editors).
#[component]
fn ChangeSessionBox(s: SessionDto) -> impl IntoView {
    let i18n = use_i18n();
    let change = ServerAction::<ChangeSession>::new();
    let cancel = ServerAction::<CancelSession>::new();
    let error = action_error(change);
    let cancel_error = action_error(cancel);
    let key = s.id.simple().to_string();
    let (prefix, confirm_id) = (format!("s{key}-"), format!("confirm-cancel-{key}"));
    let (session, cancel_session) = (s.id.to_string(), s.id.to_string());
    let values = [
        s.date.clone(),
        s.start.clone(),
        s.end.clone(),
        s.place.clone(),
        s.capacity.to_string(),
        s.trainer_no.clone().unwrap_or_default(),
    ];
    view! {
        <details class="change-session">
            <summary data-testid="change-session">{t!(i18n, classroom.change)}</summary>
            <FormError error=error />
            <ActionForm action=change attr:data-testid="change-session-form">
                <input type="hidden" name="session" value=session />
                <SessionFields error=error prefix=prefix values=values />
                <p class="muted">{t!(i18n, classroom.change_help)}</p>
                <button type="submit" class="primary" data-testid="save-session">
                    {t!(i18n, common.save)}
                </button>
            </ActionForm>
            <FormError error=cancel_error />
            <ActionForm action=cancel attr:data-testid="cancel-session-form">
                <input type="hidden" name="session" value=cancel_session />
                <ConfirmBox id=confirm_id error=cancel_error />
                <button type="submit" class="danger" data-testid="cancel-session">
                    {t!(i18n, classroom.cancel)}
                </button>
            </ActionForm>
        </details>
    }
}

/// `/sessions/:id`: the sign-in sheet (签到表), printable, with attendance.
#[component]
pub fn SheetPage() -> impl IntoView {
    let id = route_param("id");
    let sheet = Resource::new(
        move || (id(), search_key().get()),
        |(id, _)| super::sign_in_sheet(id),
    );
    view! {
        <Page
            title=|i| t_string!(i, classroom.sheet)
            roles=crate::auth::EVERYONE
            crumbs=vec![(|i| t_string!(i, courses.title), "/courses")]
            heading=false
        >
            <Loaded resource=sheet let:s>
                <SheetView sheet=s />
            </Loaded>
        </Page>
    }
}

#[component]
fn SheetView(sheet: Sheet) -> impl IntoView {
    let i18n = use_i18n();
    let s = sheet;
    let session = s.session.id.to_string();
    view! {
        <div class="page-head">
            <h1>{t!(i18n, classroom.sheet_heading)}</h1>
            <crate::islands::PrintButton label=t_string!(i18n, certificates.print).to_string() />
        </div>
        <p data-testid="sheet-course">
            <a href=format!("/courses/{}", s.course_id)>{s.course.clone()}</a>
            " ("
            {s.course_code.clone()}
            ") · "
            {when(&s.session)}
            " · "
            {s.session.place.clone()}
            {s
                .session
                .trainer
                .clone()
                .map(|t| {
                    view! {
                        " · "
                        {t}
                    }
                })}
        </p>
        <form method="post" action=MarkAttendance::url() data-testid="attendance-form">
            <input type="hidden" name="session" value=session />
            <table class="list sheet" data-testid="sheet">
                <thead>
                    <tr>
                        <th scope="col">"#"</th>
                        <th scope="col">{t!(i18n, certificates.name)}</th>
                        <th scope="col">{t!(i18n, assign.employee_no)}</th>
                        <th scope="col">{t!(i18n, team.unit)}</th>
                        <th scope="col">{t!(i18n, classroom.present)}</th>
                        <th scope="col">{t!(i18n, classroom.signature)}</th>
                    </tr>
                </thead>
                <tbody>
                    {s
                        .rows
                        .into_iter()
                        .enumerate()
                        .map(|(n, r)| {
                            let key = format!("present[{}]", present_key(r.person_id));
                            view! {
                                <tr data-testid="sheet-row" data-person=r.employee_no.clone()>
                                    <td>{n + 1}</td>
                                    <td>{r.name.clone()}</td>
                                    <td>{r.employee_no.clone()}</td>
                                    <td>{r.unit.clone().unwrap_or_default()}</td>
                                    <td>
                                        <input
                                            type="checkbox"
                                            name=key
                                            value="on"
                                            checked=r.attended
                                            aria-label=r.name.clone()
                                        />
                                    </td>
                                    <td class="signature"></td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
            <button type="submit" class="primary no-print" data-testid="save-attendance">
                {t!(i18n, classroom.save_attendance)}
            </button>
        </form>
        {(!s.waiting.is_empty())
            .then(|| {
                view! {
                    <h2 class="no-print">{t!(i18n, classroom.waiting_list)}</h2>
                    <ol class="no-print" data-testid="waiting-list">
                        {s
                            .waiting
                            .into_iter()
                            .map(|r| view! { <li>{r.name} " " {r.employee_no}</li> })
                            .collect_view()}
                    </ol>
                }
            })}
    }
}
