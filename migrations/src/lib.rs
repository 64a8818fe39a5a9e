//! The Gapwise schema: one set of portable migrations for SQLite and Postgres.

pub use sea_orm_migration::prelude::*;

mod columns;
mod m20261127_000001_foundation;
mod m20261128_000001_competencies;
mod m20261128_000002_name_key;
pub mod m20261129_000001_vocabulary;
mod m20261129_000002_first_run;
pub mod m20261129_000003_sign_in_audit;
mod m20261129_000004_must_change_password;
pub mod m20261129_000005_peer_anonymity;
pub mod m20261129_000006_session_details;
pub mod m20261130_000001_courses;
pub mod m20261130_000002_assignments;
pub mod m20261130_000003_enrolment;
pub mod m20261201_000001_progress;
pub mod m20261201_000002_learning_notices;
pub mod m20261201_000003_assignment_changes;
mod m20261201_000004_attachments;
pub mod m20261201_000005_classroom;
pub mod m20261205_000001_training_plan;
mod m20261205_000002_course_cover;
mod m20261206_000001_results_storage;
mod m20261207_000001_bulk_tables;
pub mod m20261207_000002_question_bank;
pub mod m20261207_000003_quizzes;
pub mod m20261207_000004_grading;
mod m20261207_000005_test_evidence;
pub mod m20261207_000006_reaction;
mod m20261207_000007_reaction_template;
pub mod m20261208_000001_follow_ups;
pub mod m20261208_000002_indicators;
pub mod m20261208_000003_follow_up_peers;

/// Each restricted column and the values it may hold now, after every migration.
pub fn vocabularies() -> Vec<(&'static str, &'static str, Vec<&'static str>)> {
    m20261129_000001_vocabulary::VOCABULARIES
        .iter()
        .map(|(table, column, values)| match (*table, *column) {
            ("audit_log", "action") => (
                *table,
                *column,
                m20261208_000002_indicators::audit_actions(),
            ),
            ("uploads", "kind") => (*table, *column, m20261208_000002_indicators::upload_kinds()),
            ("notifications", "kind") => (
                *table,
                *column,
                m20261208_000001_follow_ups::notification_kinds(),
            ),
            _ => (*table, *column, values.to_vec()),
        })
        .chain([
            ("courses", "mode", m20261130_000001_courses::MODES.to_vec()),
            (
                "courses",
                "status",
                m20261130_000001_courses::STATUSES.to_vec(),
            ),
            (
                "proposals",
                "status",
                m20261130_000002_assignments::PROPOSAL_STATUSES.to_vec(),
            ),
            (
                "assignments",
                "source",
                m20261130_000002_assignments::SOURCES.to_vec(),
            ),
            (
                "assignments",
                "status",
                m20261130_000002_assignments::ASSIGNMENT_STATUSES.to_vec(),
            ),
            (
                "session_seats",
                "status",
                m20261201_000005_classroom::SEAT_STATUSES.to_vec(),
            ),
            (
                "training_plans",
                "status",
                m20261205_000001_training_plan::PLAN_STATUSES.to_vec(),
            ),
            (
                "questions",
                "kind",
                m20261207_000002_question_bank::KINDS.to_vec(),
            ),
            (
                "quizzes",
                "purpose",
                m20261207_000003_quizzes::PURPOSES.to_vec(),
            ),
            (
                "quizzes",
                "counting",
                m20261207_000003_quizzes::COUNTING.to_vec(),
            ),
            (
                "quizzes",
                "review",
                m20261207_000003_quizzes::REVIEWS.to_vec(),
            ),
            (
                "reaction_items",
                "kind",
                m20261207_000006_reaction::ITEM_KINDS.to_vec(),
            ),
            (
                "reaction_template_items",
                "kind",
                m20261207_000006_reaction::ITEM_KINDS.to_vec(),
            ),
            (
                "follow_ups",
                "status",
                m20261208_000001_follow_ups::STATUSES.to_vec(),
            ),
            (
                "follow_ups",
                "rater_type",
                m20261208_000001_follow_ups::RATER_TYPES.to_vec(),
            ),
        ])
        .collect()
}

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261127_000001_foundation::Migration),
            Box::new(m20261128_000001_competencies::Migration),
            Box::new(m20261128_000002_name_key::Migration),
            Box::new(m20261129_000001_vocabulary::Migration),
            Box::new(m20261129_000002_first_run::Migration),
            Box::new(m20261129_000003_sign_in_audit::Migration),
            Box::new(m20261129_000004_must_change_password::Migration),
            Box::new(m20261129_000005_peer_anonymity::Migration),
            Box::new(m20261129_000006_session_details::Migration),
            Box::new(m20261130_000001_courses::Migration),
            Box::new(m20261130_000002_assignments::Migration),
            Box::new(m20261130_000003_enrolment::Migration),
            Box::new(m20261201_000001_progress::Migration),
            Box::new(m20261201_000002_learning_notices::Migration),
            Box::new(m20261201_000003_assignment_changes::Migration),
            Box::new(m20261201_000004_attachments::Migration),
            Box::new(m20261201_000005_classroom::Migration),
            Box::new(m20261205_000001_training_plan::Migration),
            Box::new(m20261205_000002_course_cover::Migration),
            Box::new(m20261206_000001_results_storage::Migration),
            Box::new(m20261207_000001_bulk_tables::Migration),
            Box::new(m20261207_000002_question_bank::Migration),
            Box::new(m20261207_000003_quizzes::Migration),
            Box::new(m20261207_000004_grading::Migration),
            Box::new(m20261207_000005_test_evidence::Migration),
            Box::new(m20261207_000006_reaction::Migration),
            Box::new(m20261207_000007_reaction_template::Migration),
            Box::new(m20261208_000001_follow_ups::Migration),
            Box::new(m20261208_000002_indicators::Migration),
            Box::new(m20261208_000003_follow_up_peers::Migration),
        ]
    }
}
