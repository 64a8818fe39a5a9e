//! Four-level evaluation. So far: the statistics its before/after reports use.

#[cfg(feature = "ssr")]
pub mod stats;
