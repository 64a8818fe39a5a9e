//! Form checking in one place: named length limits, helpers that turn one raw value
//! into a typed one or a field error, and a collector that reports every problem of
//! a form at once.
//!
//! Parse, don't validate: a form becomes a struct of typed values through
//! [`all`], which either hands back every value or every field error, so no code
//! path can go on with a value that was never checked.

use uuid::Uuid;

use crate::domain::Vocabulary;
use crate::error::{AppError, FieldError, Problem};

/// Longest accepted text per kind of field (characters).
pub mod limits {
    /// Codes: unit, position and competency codes, employee numbers.
    pub const CODE: usize = 32;
    /// Names and titles.
    pub const NAME: usize = 200;
    pub const EMAIL: usize = 200;
    /// A survey item's question.
    pub const PROMPT: usize = 1000;
    /// A competency level's behavioural descriptor or a description.
    pub const DESCRIPTOR: usize = 2000;
    /// A free-text answer or campaign instructions.
    pub const LONG_TEXT: usize = 4000;
}

/// Control characters other than line breaks and tabs are never typed; Postgres
/// refuses NUL in text outright.
fn has_control(value: &str) -> bool {
    value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

fn invalid(field: &str, value: &str) -> FieldError {
    FieldError::new(
        field,
        Problem::Invalid {
            value: value.chars().filter(|c| !c.is_control()).take(40).collect(),
        },
    )
}

/// Trimmed text that must be present and at most `max` characters long.
pub fn text(field: &str, value: &str, max: usize) -> Result<String, FieldError> {
    let value = value.trim();
    if has_control(value) {
        return Err(invalid(field, value));
    }
    if value.is_empty() {
        Err(FieldError::new(field, Problem::Required))
    } else if value.chars().count() > max {
        Err(FieldError::new(field, Problem::TooLong { max }))
    } else {
        Ok(value.to_owned())
    }
}

/// Trimmed text that may be blank (then `None`), at most `max` characters long.
pub fn optional_text(field: &str, value: &str, max: usize) -> Result<Option<String>, FieldError> {
    let value = value.trim();
    if has_control(value) {
        return Err(invalid(field, value));
    }
    if value.is_empty() {
        Ok(None)
    } else if value.chars().count() > max {
        Err(FieldError::new(field, Problem::TooLong { max }))
    } else {
        Ok(Some(value.to_owned()))
    }
}

/// A number within `min..=max`; anything else (blank, not a number, out of range)
/// says the range.
pub fn number<T>(field: &str, value: &str, min: T, max: T) -> Result<T, FieldError>
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display,
{
    match value.trim().parse::<T>() {
        Ok(v) if v >= min && v <= max => Ok(v),
        _ => Err(FieldError::new(
            field,
            Problem::OutOfRange {
                min: min.to_string(),
                max: max.to_string(),
            },
        )),
    }
}

/// One of a vocabulary's values, spelt exactly; an unknown value is refused, never
/// replaced by a default.
pub fn one_of<T: Vocabulary>(field: &str, value: &str) -> Result<T, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(FieldError::new(field, Problem::Required));
    }
    T::parse(value).ok_or_else(|| {
        FieldError::new(
            field,
            Problem::Invalid {
                value: value.chars().take(40).collect(),
            },
        )
    })
}

/// Parses an optional id from a form field; blank means none.
pub fn parse_id(field: &str, value: Option<&str>) -> Result<Option<Uuid>, AppError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => Uuid::parse_str(v).map(Some).map_err(|_| {
            AppError::field(
                field,
                Problem::Unknown {
                    value: v.chars().take(40).collect(),
                },
            )
        }),
    }
}

/// Parses an id that must be present; a missing or bad one means "no such record".
pub fn required_id(field: &str, value: &str) -> Result<Uuid, AppError> {
    parse_id(field, Some(value))?.ok_or(AppError::NotFound)
}

/// A destructive change (deactivating, opening, closing) needs its box ticked.
pub fn require_confirmation(harmless: bool, confirm: Option<&str>) -> Result<(), AppError> {
    if harmless || confirm.is_some() {
        Ok(())
    } else {
        Err(AppError::field("confirm", Problem::Required))
    }
}

/// A whole uploaded file refused: each problem reported against its `file` field.
pub fn file_problems(problems: Vec<Problem>) -> AppError {
    AppError::Validation(
        problems
            .into_iter()
            .map(|p| FieldError::new("file", p))
            .collect(),
    )
}

/// Every row's field errors, each named by its line (`line 3: name`), or none.
pub fn row_errors<'a>(rows: impl IntoIterator<Item = (usize, &'a [FieldError])>) -> Fields {
    Fields(
        rows.into_iter()
            .flat_map(|(line, errors)| {
                errors.iter().map(move |e| {
                    FieldError::new(format!("line {line}: {}", e.field), e.problem.clone())
                })
            })
            .collect(),
    )
}

/// Collects field errors from checks that do not produce a value of their own.
#[derive(Debug, Default)]
pub struct Fields(Vec<FieldError>);

impl Fields {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: impl Into<String>, problem: Problem) {
        self.0.push(FieldError::new(field, problem));
    }

    /// Keeps the error of a check, if any, and hands back its value.
    pub fn take<T>(&mut self, checked: Result<T, FieldError>) -> Option<T> {
        checked.map_err(|e| self.0.push(e)).ok()
    }

    pub fn extend(&mut self, errors: impl IntoIterator<Item = FieldError>) {
        self.0.extend(errors);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_errors(self) -> Vec<FieldError> {
        self.0
    }

    /// Fails with every collected error, or passes when there is none.
    pub fn finish(self) -> Result<(), AppError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(self.0))
        }
    }
}

impl From<Vec<FieldError>> for Fields {
    fn from(errors: Vec<FieldError>) -> Self {
        Self(errors)
    }
}

/// A tuple of checked values: all of them, or every field error among them.
pub trait All {
    type Values;
    fn all(self) -> Result<Self::Values, Vec<FieldError>>;
}

macro_rules! all_of {
    ($($v:ident: $t:ident),+) => {
        impl<$($t),+> All for ($(Result<$t, FieldError>,)+) {
            type Values = ($($t,)+);
            #[allow(non_snake_case)]
            fn all(self) -> Result<Self::Values, Vec<FieldError>> {
                let ($($v,)+) = self;
                match ($($v,)+) {
                    ($(Ok($v),)+) => Ok(($($v,)+)),
                    ($($v,)+) => Err([$($v.err()),+].into_iter().flatten().collect()),
                }
            }
        }
    };
}
all_of!(a: A);
all_of!(a: A, b: B);
all_of!(a: A, b: B, c: C);
all_of!(a: A, b: B, c: C, d: D);
all_of!(a: A, b: B, c: C, d: D, e: E);
all_of!(a: A, b: B, c: C, d: D, e: E, f: F);
all_of!(a: A, b: B, c: C, d: D, e: E, f: F, g: G);
all_of!(a: A, b: B, c: C, d: D, e: E, f: F, g: G, h: H);
all_of!(a: A, b: B, c: C, d: D, e: E, f: F, g: G, h: H, i: I);
all_of!(a: A, b: B, c: C, d: D, e: E, f: F, g: G, h: H, i: I, j: J);
all_of!(a: A, b: B, c: C, d: D, e: E, f: F, g: G, h: H, i: I, j: J, k: K);
all_of!(a: A, b: B, c: C, d: D, e: E, f: F, g: G, h: H, i: I, j: J, k: K, l: L);
all_of!(a: A, b: B, c: C, d: D, e: E, f: F, g: G, h: H, i: I, j: J, k: K, l: L, m: M);
all_of!(a: A, b: B, c: C, d: D, e: E, f: F, g: G, h: H, i: I, j: J, k: K, l: L, m: M, n: N);
all_of!(a: A, b: B, c: C, d: D, e: E, f: F, g: G, h: H, i: I, j: J, k: K, l: L, m: M, n: N, o: O);

/// Every value of `checked`, or an [`AppError::Validation`] with every problem.
pub fn all<T: All>(checked: T) -> Result<T::Values, AppError> {
    checked.all().map_err(AppError::Validation)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::PeerMode;

    fn problem<T: std::fmt::Debug>(r: Result<T, FieldError>) -> Problem {
        r.expect_err("a field error").problem
    }

    #[test]
    fn text_is_trimmed_required_and_bounded() {
        assert_eq!(text("n", "  李娜 ", 5), Ok("李娜".to_owned()));
        assert_eq!(problem(text("n", "   ", 5)), Problem::Required);
        // Characters, not bytes: five Chinese characters fit a limit of five.
        assert_eq!(text("n", "一二三四五", 5), Ok("一二三四五".to_owned()));
        assert_eq!(
            problem(text("n", "一二三四五六", 5)),
            Problem::TooLong { max: 5 }
        );
        assert_eq!(optional_text("n", " ", 5), Ok(None));
        assert!(text("n", "a\u{0}b", 5).is_err(), "NUL is refused");
        assert!(optional_text("n", "a\u{1b}b", 9).is_err());
        assert_eq!(optional_text("n", "a\nb", 9), Ok(Some("a\nb".to_owned())));
        assert_eq!(
            problem(optional_text("n", "abcdef", 5)),
            Problem::TooLong { max: 5 }
        );
    }

    #[test]
    fn numbers_state_their_range() {
        let range = Problem::OutOfRange {
            min: "1".into(),
            max: "10".into(),
        };
        assert_eq!(number("x", " 3 ", 1, 10), Ok(3));
        for bad in ["0", "11", "", "three", "2.5"] {
            assert_eq!(problem(number::<i32>("x", bad, 1, 10)), range, "{bad:?}");
        }
        assert_eq!(number("w", "0.25", 0.0, 1.0), Ok(0.25));
    }

    #[test]
    fn vocabulary_values_are_never_defaulted() {
        assert_eq!(one_of::<PeerMode>("m", "auto"), Ok(PeerMode::Auto));
        assert_eq!(problem(one_of::<PeerMode>("m", "")), Problem::Required);
        assert_eq!(
            problem(one_of::<PeerMode>("m", "Auto")),
            Problem::Invalid {
                value: "Auto".into()
            }
        );
    }

    #[test]
    fn ids_blank_bad_and_required() {
        assert_eq!(parse_id("id", Some("  ")), Ok(None));
        assert!(matches!(
            parse_id("id", Some("nope")),
            Err(AppError::Validation(_))
        ));
        assert_eq!(required_id("id", ""), Err(AppError::NotFound));
        let id = Uuid::new_v4();
        assert_eq!(required_id("id", &id.to_string()), Ok(id));
    }

    #[test]
    fn all_reports_every_problem_or_every_value() {
        let ok = all((text("a", "x", 5), number("b", "2", 1, 3)));
        assert_eq!(ok, Ok(("x".to_owned(), 2)));
        let bad = all((
            text("a", "", 5),
            number("b", "2", 1, 3),
            number::<u8>("c", "9", 1, 3),
        ));
        let Err(AppError::Validation(errors)) = bad else {
            panic!("expected validation errors, got {bad:?}");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["a", "c"]);
    }

    #[test]
    fn file_and_row_errors_name_where() {
        let Err::<(), _>(AppError::Validation(file)) = Err(file_problems(vec![Problem::Empty]))
        else {
            panic!("validation expected");
        };
        assert_eq!(file, [FieldError::new("file", Problem::Empty)]);
        let row3 = [FieldError::new("name", Problem::Required)];
        let rows = row_errors([(2, &[][..]), (3, &row3[..])]).into_errors();
        assert_eq!(rows, [FieldError::new("line 3: name", Problem::Required)]);
        assert!(row_errors([(2, &[][..])]).finish().is_ok());
    }

    #[test]
    fn confirmation_is_needed_only_for_harm() {
        assert_eq!(require_confirmation(true, None), Ok(()));
        assert_eq!(require_confirmation(false, Some("on")), Ok(()));
        assert_eq!(
            require_confirmation(false, None),
            Err(AppError::field("confirm", Problem::Required))
        );
    }
}
