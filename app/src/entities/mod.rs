//! sea-orm entities: the database schema as Rust types. Server-side only; never sent
//! to the browser (DTOs are).

pub mod assignment;
pub mod attachment;
pub mod audit_log;
pub mod campaign;
pub mod campaign_audience;
pub mod campaign_item;
pub mod certificate;
pub mod class_session;
pub mod competency;
pub mod competency_result;
pub mod course;
pub mod course_competency;
pub mod course_module;
pub mod course_owner;
pub mod framework;
pub mod framework_domain;
pub mod gap_tally;
pub mod item_answer;
pub mod lesson;
pub mod lesson_progress;
pub mod notification;
pub mod org_unit;
pub mod person;
pub mod person_role;
pub mod position;
pub mod position_target;
pub mod proposal;
pub mod rating;
pub mod session;
pub mod session_seat;
pub mod survey_task;
pub mod training_plan;
pub mod training_plan_line;
pub mod training_setting;
pub mod upload;
