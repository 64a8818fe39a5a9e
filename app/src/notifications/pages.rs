//! The person's notification list.

use leptos::prelude::*;
use leptos_i18n::I18nContext;

use super::{MarkNotificationsRead, NotificationDto, NotificationKind};
use crate::components::{Loaded, Page, mutation, search_key};
use crate::domain::Vocabulary;
use crate::i18n::*;

/// What a notification says, in the reader's language. Exhaustive: a new kind
/// without its words does not compile.
pub fn kind_text(i18n: I18nContext<Locale>, n: &NotificationDto) -> String {
    let campaign = n.campaign.clone().unwrap_or_default();
    let course = n.course.clone().unwrap_or_default();
    let due = n.due.clone().unwrap_or_default();
    match n.kind {
        NotificationKind::CampaignOpened => {
            t_string!(i18n, notifications.opened, campaign = campaign).to_string()
        }
        NotificationKind::Reminder => {
            t_string!(i18n, notifications.reminder, campaign = campaign).to_string()
        }
        NotificationKind::PeerNominated => {
            t_string!(i18n, notifications.peer_nominated, campaign = campaign).to_string()
        }
        NotificationKind::CourseAssigned => {
            t_string!(i18n, notifications.course_assigned, course = course).to_string()
        }
        NotificationKind::CourseDueSoon => t_string!(
            i18n,
            notifications.course_due_soon,
            course = course,
            due = due
        )
        .to_string(),
        NotificationKind::SeatPromoted => {
            t_string!(i18n, notifications.seat_promoted, course = course).to_string()
        }
        NotificationKind::SessionChanged => t_string!(
            i18n,
            notifications.session_changed,
            course = course,
            detail = n.detail.clone().unwrap_or_default()
        )
        .to_string(),
        NotificationKind::SessionCancelled => t_string!(
            i18n,
            notifications.session_cancelled,
            course = course,
            detail = n.detail.clone().unwrap_or_default()
        )
        .to_string(),
        NotificationKind::CourseOverdue => t_string!(
            i18n,
            notifications.course_overdue,
            course = course,
            due = due
        )
        .to_string(),
        NotificationKind::FollowUpOpened => {
            t_string!(i18n, notifications.follow_up_opened, course = course).to_string()
        }
        NotificationKind::FollowUpReminder => {
            t_string!(i18n, notifications.follow_up_reminder, course = course).to_string()
        }
    }
}

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let list = Resource::new(move || search_key().get(), |_| super::list_notifications());
    let mark = mutation::<MarkNotificationsRead>();
    let mark_read = move || {
        view! {
            <ActionForm action=mark>
                <button type="submit" data-testid="mark-read">
                    {t!(i18n, notifications.mark_read)}
                </button>
            </ActionForm>
        }
        .into_any()
    };
    view! {
        <Page
            title=|i| t_string!(i, notifications.title)
            roles=crate::auth::EVERYONE
            actions=ChildrenFn::to_children(mark_read)
        >
            <Loaded resource=list let:list>
                {if list.is_empty() {
                    view! { <p class="empty">{t!(i18n, notifications.empty)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="notifications" data-testid="notifications">
                            {list
                                .into_iter()
                                .map(|n| {
                                    let text = kind_text(i18n, &n);
                                    let href = match (n.kind, n.course_id, n.follow_up_id) {
                                        (_, _, Some(f)) => format!("/follow-ups/{f}"),
                                        (
                                            NotificationKind::SessionChanged
                                            | NotificationKind::SessionCancelled,
                                            Some(c),
                                            None,
                                        ) => format!("/courses/{c}#sessions"),
                                        (_, Some(_), None) => "/learning".to_owned(),
                                        (_, None, None) => "/tasks".to_owned(),
                                    };
                                    view! {
                                        <li class:unread=!n.read data-kind=n.kind.as_str()>
                                            <a href=href>{text}</a>
                                            <span class="muted">" · " {n.at}</span>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }}
            </Loaded>
        </Page>
    }
}
