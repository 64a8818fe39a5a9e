//! The only components that run in the browser (Leptos islands).
//!
//! Every page renders on the server and works with JavaScript off: office PCs can be
//! old and locked down. These islands add comfort on top. Only they are compiled
//! into the wasm, which keeps the first page load small.

use leptos::prelude::*;

/// Wraps a GET filter form so that picking another option applies it at once. The
/// form keeps its own button for browsers without JavaScript.
#[island]
pub fn ApplyOnChange(children: Children) -> impl IntoView {
    view! {
        <div class="apply-on-change" on:change=submit_enclosing_form>
            {children()}
        </div>
    }
}

/// Wraps a long form: leaving the page with answers not yet saved asks first.
#[island]
pub fn WarnUnsaved(children: Children) -> impl IntoView {
    let dirty = StoredValue::new(false);
    #[cfg(feature = "hydrate")]
    {
        let listener = window_event_listener(leptos::ev::beforeunload, move |ev| {
            if dirty.get_value() {
                ev.prevent_default();
                // Older browsers only ask when a return value is set.
                ev.set_return_value(" ");
            }
        });
        on_cleanup(move || listener.remove());
    }
    view! {
        <div on:input=move |_| dirty.set_value(true) on:submit=move |_| dirty.set_value(false)>
            {children()}
        </div>
    }
}

/// A button that opens the browser's print dialog (a page's own "Print"; without
/// JavaScript the browser's menu does the same).
#[island]
pub fn PrintButton(label: String) -> impl IntoView {
    view! {
        <button
            class="button no-print"
            type="button"
            on:click=move |_| {
                #[cfg(feature = "hydrate")]
                {
                    let _ = window().print();
                }
            }
        >
            {label}
        </button>
    }
}

/// A lesson's video. Played to the end, it marks the lesson done (submits the
/// page's "Mark as done" form) when `auto_done` is set; without JavaScript the
/// learner presses the button.
#[island]
pub fn LessonVideo(src: String, auto_done: bool) -> impl IntoView {
    let ended = move |_| {
        #[cfg(feature = "hydrate")]
        if auto_done {
            use wasm_bindgen::JsCast;
            let form = document()
                .query_selector("form[data-testid=done-form]")
                .ok()
                .flatten()
                .and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok());
            if let Some(form) = form {
                let _ = form.request_submit();
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = auto_done;
    };
    view! {
        <video
            controls
            preload="metadata"
            src=src
            on:ended=ended
            data-testid="lesson-video"
        ></video>
    }
}

/// The time left in a quiz attempt, counting down each second from what the
/// server said when the page loaded. At zero the page reloads, and the server
/// shows the attempt submitted at its deadline. Without JavaScript the page shows
/// the time as of its load.
#[island]
pub fn Countdown(seconds: i64) -> impl IntoView {
    let left = RwSignal::new(seconds.max(0));
    #[cfg(feature = "hydrate")]
    {
        let handle = set_interval_with_handle(
            move || {
                left.update(|l| *l = (*l - 1).max(0));
                if left.get_untracked() == 0 {
                    let _ = window().location().reload();
                }
            },
            std::time::Duration::from_secs(1),
        );
        if let Ok(handle) = handle {
            on_cleanup(move || handle.clear());
        }
    }
    view! {
        <strong class="countdown" data-testid="countdown">
            {move || clock_text(left.get())}
        </strong>
    }
}

/// Wraps an attempt's answer form: *Save* stores the answer without a page load
/// and shows its receipt in place (`template` is the receipt sentence with
/// `{seq}` and `{at}` to fill). *Save and next*, and every browser without
/// JavaScript, post the form as usual. A save the server refuses (the time is
/// up) reloads the page, which then shows what the server has.
#[island]
pub fn SaveInPlace(template: String, children: Children) -> impl IntoView {
    let receipt = RwSignal::new(None::<String>);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        save_in_place(ev, template.clone(), receipt);
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, &template);
    };
    view! {
        <div on:submit=on_submit>
            {move || {
                receipt
                    .get()
                    .map(|text| {
                        view! {
                            <div
                                class="banner banner-ok"
                                role="status"
                                data-testid="receipt-in-place"
                            >
                                {text}
                            </div>
                        }
                    })
            }} {children()}
        </div>
    }
}

#[cfg(feature = "hydrate")]
fn save_in_place(ev: leptos::ev::SubmitEvent, template: String, receipt: RwSignal<Option<String>>) {
    use wasm_bindgen::JsCast;
    let Some(form) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
    else {
        return;
    };
    let go = ev
        .submitter()
        .and_then(|b| b.get_attribute("value"))
        .unwrap_or_default();
    let here = form
        .query_selector("input[name=position]")
        .ok()
        .flatten()
        .and_then(|i| i.get_attribute("value"))
        .unwrap_or_default();
    // Only *Save* stays on the question.
    if go != here {
        return;
    }
    let Some(action) = form.get_attribute("action") else {
        return;
    };
    let Ok(data) = web_sys::FormData::new_with_form(&form) else {
        return;
    };
    let _ = data.append_with_str("go", &go);
    let Ok(body) = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data) else {
        return;
    };
    ev.prevent_default();
    leptos::task::spawn_local(async move {
        match post_form(&action, &String::from(body.to_string())).await {
            Some(r) => {
                receipt.set(Some(
                    template
                        .replace("{seq}", &r.seq.to_string())
                        .replace("{at}", &r.saved_at),
                ));
                // Tick the question in the list below.
                if let Some(li) = document()
                    .query_selector(".question-nav li.current")
                    .ok()
                    .flatten()
                {
                    let _ = li.class_list().add_1("answered");
                }
            }
            None => {
                let _ = window().location().reload();
            }
        }
    });
}

/// Posts a form body to a server function asking for JSON; the receipt, or
/// `None` for any failure.
#[cfg(feature = "hydrate")]
async fn post_form(url: &str, body: &str) -> Option<crate::quiz::Receipt> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let headers = web_sys::Headers::new().ok()?;
    headers.set("Accept", "application/json").ok()?;
    headers
        .set("Content-Type", "application/x-www-form-urlencoded")
        .ok()?;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&wasm_bindgen::JsValue::from_str(body));
    let response: web_sys::Response = JsFuture::from(window().fetch_with_str_and_init(url, &init))
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    if !response.ok() {
        return None;
    }
    let text = JsFuture::from(response.text().ok()?)
        .await
        .ok()?
        .as_string()?;
    serde_json::from_str(&text).ok()
}

/// `754` seconds as `12:34`, `3,700` as `1:01:40`.
pub fn clock_text(seconds: i64) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

/// Submits the form around a changed select or checkbox (not text fields, which
/// report a change on every blur).
fn submit_enclosing_form(ev: leptos::ev::Event) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let Some(field) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let is_choice = field.tag_name().eq_ignore_ascii_case("select")
            || field.get_attribute("type").as_deref() == Some("checkbox");
        let form = field
            .closest("form")
            .ok()
            .flatten()
            .and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok());
        if let (true, Some(form)) = (is_choice, form) {
            let _ = form.request_submit();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = ev;
}

#[cfg(test)]
mod tests {
    use super::clock_text;

    #[test]
    fn the_countdown_reads_like_a_clock() {
        assert_eq!(clock_text(0), "00:00");
        assert_eq!(clock_text(59), "00:59");
        assert_eq!(clock_text(754), "12:34");
        assert_eq!(clock_text(3_700), "1:01:40");
    }
}
