//! What every feature uses and no feature owns: reading ids and form values,
//! validation with named limits, the upload store, plain HTTP routes (the signed-in
//! extractor and CSV documents), and turning database conflicts into user errors.
//! Nothing here imports a feature.

pub mod origin;
pub mod validate;

#[cfg(feature = "ssr")]
pub mod bulk;
#[cfg(feature = "ssr")]
pub mod clock;
#[cfg(feature = "ssr")]
pub mod conflict;
#[cfg(feature = "ssr")]
pub mod csv_file;
#[cfg(feature = "ssr")]
pub mod name_key;
#[cfg(feature = "ssr")]
pub mod search;
#[cfg(feature = "ssr")]
pub mod spreadsheet;
#[cfg(feature = "ssr")]
pub mod uploads;
#[cfg(feature = "ssr")]
pub mod web;

pub use validate::{parse_id, require_confirmation, required_id};
