//! The Gapwise schema: one set of portable migrations for SQLite and Postgres.

pub use sea_orm_migration::prelude::*;

mod m20261127_000001_foundation;
mod m20261128_000001_competencies;
mod m20261128_000002_name_key;
pub mod m20261129_000001_vocabulary;
mod m20261129_000002_first_run;

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
        ]
    }
}
