//! Times are stored in UTC and shown and entered in the office's time zone.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::error::{FieldError, Problem};

/// The value format of a `datetime-local` input.
pub const INPUT_FORMAT: &str = "%Y-%m-%dT%H:%M";

/// `at` in the office's time zone, as `format`.
pub fn local(tz: Tz, at: DateTime<Utc>, format: &str) -> String {
    at.with_timezone(&tz).format(format).to_string()
}

/// `at` as people read it: `2026-03-02 09:30`, office time.
pub fn shown(tz: Tz, at: DateTime<Utc>) -> String {
    local(tz, at, "%Y-%m-%d %H:%M")
}

/// The calendar year `at` falls in, office time.
pub fn year_of(tz: Tz, at: DateTime<Utc>) -> i32 {
    use chrono::Datelike;
    at.with_timezone(&tz).year()
}

/// Whether a year given in a query is one Gapwise can show (and not a typo).
pub fn sensible_year(year: i32) -> bool {
    (2000..=2100).contains(&year)
}

/// Reads a `datetime-local` value in the office's time zone.
pub fn parse_local(tz: Tz, field: &str, value: &str) -> Result<DateTime<Utc>, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(FieldError::new(field, Problem::Required));
    }
    NaiveDateTime::parse_from_str(value, INPUT_FORMAT)
        .ok()
        .and_then(|n| tz.from_local_datetime(&n).earliest())
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| {
            FieldError::new(
                field,
                Problem::Invalid {
                    value: value.chars().take(40).collect(),
                },
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn office_time_round_trips() {
        let tz = chrono_tz::Asia::Shanghai;
        let at = parse_local(tz, "t", "2026-03-02T09:30").expect("parses");
        assert_eq!(at.to_rfc3339(), "2026-03-02T01:30:00+00:00");
        assert_eq!(shown(tz, at), "2026-03-02 09:30");
        assert_eq!(local(tz, at, INPUT_FORMAT), "2026-03-02T09:30");
        assert_eq!(
            parse_local(tz, "t", " ").map_err(|e| e.problem),
            Err(Problem::Required)
        );
        assert!(parse_local(tz, "t", "2026-13-02T09:30").is_err());
    }
}
