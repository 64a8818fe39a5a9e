//! Gapwise: training needs and evaluation for a public service office.
//!
//! One folder per feature, each with its DTOs and server functions, its pages, and a
//! server-only service module. Compiled twice: `ssr` for the server, `hydrate` for wasm.

#![recursion_limit = "256"]

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub mod app;
pub mod auth;
pub mod components;
pub mod dashboard;
pub mod error;
pub mod i18n_support;
pub mod org;

#[cfg(feature = "ssr")]
pub mod audit;
#[cfg(feature = "ssr")]
pub mod entities;
#[cfg(feature = "ssr")]
pub mod state;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // End-to-end tests wait for this before clicking.
    if let Some(body) = leptos::prelude::document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
