//! A unique index the database enforces becomes a message the user can act on, in
//! one place. Writes rely on the index instead of checking first: a check outside
//! the transaction races a double submit, the index does not.

use sea_orm::DbErr;

pub use crate::error::is_unique_violation;
use crate::error::{AppError, Problem};

/// Turns a unique-index violation on a write into a field error ("already taken")
/// on `field`; any other database error stays an internal error.
pub trait Taken<T> {
    fn taken(self, field: &str) -> Result<T, AppError>;
}

impl<T> Taken<T> for Result<T, DbErr> {
    fn taken(self, field: &str) -> Result<T, AppError> {
        self.map_err(|err| {
            if is_unique_violation(&err) {
                AppError::field(field, Problem::Taken)
            } else {
                AppError::internal(err)
            }
        })
    }
}
