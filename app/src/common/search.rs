//! Text search in the database, typed text matched literally: `%` and `_` are
//! what the person typed, not SQL wildcards.

use sea_orm::sea_query::{Expr, ExprTrait, IntoColumnRef, LikeExpr, SimpleExpr};

/// The `LIKE` pattern for "contains `text`", with `\`, `%` and `_` escaped by `\`.
pub fn contains_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '\\' | '%' | '_') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// `column` contains `text`, literally.
pub fn contains(column: impl IntoColumnRef, text: &str) -> SimpleExpr {
    Expr::col(column).like(LikeExpr::new(contains_pattern(text)).escape('\\'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_are_typed_text() {
        assert_eq!(contains_pattern("李"), "%李%");
        assert_eq!(contains_pattern("50%"), "%50\\%%");
        assert_eq!(contains_pattern("a_b"), "%a\\_b%");
        assert_eq!(contains_pattern("c:\\x"), "%c:\\\\x%");
    }
}
