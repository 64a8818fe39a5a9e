//! Writing many rows at once: multi-row statements as large as both backends
//! accept, without asking the database to return what it wrote.

use chrono::SecondsFormat;
use sea_orm::{
    ActiveModelTrait, ActiveValue, ConnectionTrait, DbBackend, DbErr, EntityName, EntityTrait,
    IdenStatic, Iterable, Statement, Value,
};

/// Bound parameters per statement: SQLite accepts 32,766, Postgres 65,535.
const MAX_PARAMS: usize = 32_000;

/// Rows per statement on Postgres, where each column travels as one array.
const ARRAY_ROWS: usize = 10_000;

/// Inserts `rows` with statements of at most `max_rows` rows each (on Postgres,
/// [`ARRAY_ROWS`]). Returns the rows written.
pub async fn insert_chunked<A>(
    db: &impl ConnectionTrait,
    rows: Vec<A>,
    max_rows: usize,
) -> Result<u64, DbErr>
where
    A: ActiveModelTrait,
{
    if db.get_database_backend() == DbBackend::Postgres
        && let Some(statements) = unnest_statements(&rows)
    {
        let mut written = 0;
        for statement in statements {
            written += db.execute_raw(statement).await?.rows_affected();
        }
        return Ok(written);
    }
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

/// Postgres statements `INSERT … SELECT * FROM UNNEST($1::uuid[], …)`, each column
/// one array literal. Postgres plans a VALUES list of 1,000 rows × 17 parameters
/// slowly: 300,000 gap results took 15 s that way and 5 s as arrays. `None` when a
/// row leaves a column unset or holds a type not handled here (then the caller
/// writes VALUES lists).
fn unnest_statements<A: ActiveModelTrait>(rows: &[A]) -> Option<Vec<Statement>> {
    let columns: Vec<_> = <A::Entity as EntityTrait>::Column::iter().collect();
    let table = A::Entity::default().table_name();
    let names = columns
        .iter()
        .map(|c| format!("\"{}\"", c.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    let mut statements = Vec::new();
    for chunk in rows.chunks(ARRAY_ROWS) {
        let mut types = vec![""; columns.len()];
        let mut arrays = vec![String::from("{"); columns.len()];
        for (n, row) in chunk.iter().enumerate() {
            for (i, column) in columns.iter().enumerate() {
                let (ActiveValue::Set(value) | ActiveValue::Unchanged(value)) = row.get(*column)
                else {
                    return None;
                };
                let (ty, text) = array_element(&value)?;
                if types[i].is_empty() {
                    types[i] = ty;
                }
                if n > 0 {
                    arrays[i].push(',');
                }
                push_element(&mut arrays[i], text.as_deref());
            }
        }
        let casts = types
            .iter()
            .enumerate()
            .map(|(i, ty)| format!("${}::{ty}[]", i + 1))
            .collect::<Vec<_>>()
            .join(", ");
        let values = arrays.into_iter().map(|mut a| {
            a.push('}');
            Value::String(Some(a))
        });
        statements.push(Statement::from_sql_and_values(
            DbBackend::Postgres,
            format!("INSERT INTO \"{table}\" ({names}) SELECT * FROM UNNEST({casts})"),
            values,
        ));
    }
    Some(statements)
}

/// A value's Postgres type and its text form (`None` for NULL), as the type's
/// input function reads it. Timestamps keep microseconds, as Postgres does.
fn array_element(value: &Value) -> Option<(&'static str, Option<String>)> {
    Some(match value {
        Value::Bool(v) => ("bool", v.map(|b| if b { "t" } else { "f" }.to_owned())),
        Value::SmallInt(v) => ("int2", v.map(|n| n.to_string())),
        Value::Int(v) => ("int4", v.map(|n| n.to_string())),
        Value::BigInt(v) => ("int8", v.map(|n| n.to_string())),
        Value::Double(v) if v.is_none_or(f64::is_finite) => ("float8", v.map(|n| n.to_string())),
        Value::String(v) => ("text", v.clone()),
        Value::Uuid(v) => ("uuid", v.map(|u| u.to_string())),
        Value::ChronoDate(v) => ("date", v.map(|d| d.to_string())),
        Value::ChronoDateTimeUtc(v) => (
            "timestamptz",
            v.map(|t| t.to_rfc3339_opts(SecondsFormat::Micros, true)),
        ),
        _ => return None,
    })
}

/// Appends one element of an array literal: NULL, or the text double-quoted with
/// backslashes before `"` and `\`.
fn push_element(out: &mut String, text: Option<&str>) {
    let Some(text) = text else {
        out.push_str("NULL");
        return;
    };
    out.push('"');
    for ch in text.chars() {
        if ch == '"' || ch == '\\' {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn array_elements_quote_what_the_literal_would_misread() {
        let mut out = String::from("{");
        push_element(&mut out, Some(r#"他说"好",C:\temp, {x}"#));
        out.push(',');
        push_element(&mut out, None);
        out.push(',');
        push_element(&mut out, Some(""));
        out.push('}');
        assert_eq!(out, r#"{"他说\"好\",C:\\temp, {x}",NULL,""}"#);
    }

    #[test]
    fn unhandled_values_fall_back_to_values_lists() {
        assert_eq!(
            array_element(&Value::Double(Some(f64::NAN))),
            None,
            "NaN would need Postgres' spelling"
        );
        assert_eq!(array_element(&Value::Json(None)), None);
        assert_eq!(
            array_element(&Value::Double(Some(0.1 + 0.2))),
            Some(("float8", Some("0.30000000000000004".into())))
        );
        assert_eq!(array_element(&Value::Int(None)), Some(("int4", None)));
    }
}
