//! sea-orm entities: the database schema as Rust types. Server-side only; never sent
//! to the browser (DTOs are).

pub mod audit_log;
pub mod org_unit;
pub mod person;
pub mod person_role;
pub mod position;
pub mod roster_upload;
pub mod session;
