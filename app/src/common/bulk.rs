//! Writing many rows at once: multi-row statements as large as both backends
//! accept, without asking the database to return what it wrote.

use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, Iterable};

/// Bound parameters per statement: SQLite accepts 32,766, Postgres 65,535.
const MAX_PARAMS: usize = 32_000;

/// Inserts `rows` with statements of at most `max_rows` rows each. Returns the rows
/// written.
pub async fn insert_chunked<A>(
    db: &impl ConnectionTrait,
    rows: Vec<A>,
    max_rows: usize,
) -> Result<u64, DbErr>
where
    A: ActiveModelTrait,
{
    let columns = <A::Entity as EntityTrait>::Column::iter().count().max(1);
    let per_statement = (MAX_PARAMS / columns).clamp(1, max_rows.max(1));
    let mut written = 0;
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(per_statement).collect();
        written += A::Entity::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    Ok(written)
}
