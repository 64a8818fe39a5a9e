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
