//! The integration suite: the real server on port 0 against a fresh database per
//! test (SQLite, or Postgres with GAPWISE_TEST_BACKEND=postgres), driven over HTTP.
//! One test binary with a module per feature, so the app is linked once.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod classroom;
mod common;
mod flows;

mod assignments;
mod attachments;
mod auth;
mod bank;
mod before_after;
mod behaviour;
mod bulk;
mod competencies;
mod courses;
mod covers;
mod evaluation;
mod evidence;
mod gaps;
mod indicators;
mod learning;
mod manual;
mod marking;
mod notices;
mod org;
mod pages;
mod plan;
mod progress;
mod quizzes;
mod reaction;
mod results;
mod robustness;
mod roles;
mod surveys;
mod vocabulary;
