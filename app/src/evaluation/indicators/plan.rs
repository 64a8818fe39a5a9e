//! Indicator CSV: one row per unit, month and indicator, checked against the
//! office before anything is written. Pure: the caller supplies the units and
//! indicators; the plan says what each row would write, or what is wrong with it.

use std::collections::{HashMap, HashSet};

use uuid::Uuid;

use super::did::{month_index, month_name};
use crate::error::{FieldError, Problem};

/// Columns, with the header names accepted for each (English and Chinese).
const COLUMNS: [(&str, &[&str]); 4] = [
    ("unit", &["unit", "单位", "部门", "科室"]),
    ("month", &["month", "月份", "月"]),
    ("indicator", &["indicator", "指标"]),
    ("value", &["value", "数值", "值"]),
];

/// The largest value accepted (a handling time in minutes, a rate in percent,
/// complaints per thousand cases all stay far below it).
pub const MAX_VALUE: f64 = 1_000_000.0;

/// Units and indicators by lower-cased code and by name.
#[derive(Debug, Default)]
pub struct Lookup {
    pub units: HashMap<String, Uuid>,
    pub indicators: HashMap<String, String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlannedRow {
    pub line: usize,
    pub unit: String,
    pub month: String,
    pub indicator: String,
    pub value: String,
    pub unit_id: Option<Uuid>,
    /// The indicator's code.
    pub code: Option<String>,
    /// `YYYY-MM`.
    pub month_key: Option<String>,
    pub number: Option<f64>,
    pub errors: Vec<FieldError>,
}

/// A month as typed: `2026-10`, `2026/10`, `2026-10-01` or `2026年10月`.
pub fn parse_month(typed: &str) -> Option<String> {
    let t = typed
        .trim()
        .replace(['/', '.'], "-")
        .replace('年', "-")
        .replace('月', "");
    let mut parts = t.split('-');
    let (y, m) = (parts.next()?, parts.next()?);
    let day_ok = parts
        .next()
        .is_none_or(|d| d.parse::<u32>().is_ok_and(|d| (1..=31).contains(&d)));
    let index = month_index(&format!("{y}-{:0>2}", m.trim()))?;
    (day_ok && parts.next().is_none()).then(|| month_name(index))
}

pub fn plan(csv_text: &str, lookup: &Lookup) -> Result<Vec<PlannedRow>, Vec<Problem>> {
    let (mut reader, index) = crate::common::csv_file::open(csv_text, &COLUMNS)?;
    let missing: Vec<Problem> = COLUMNS
        .iter()
        .filter(|(c, _)| !index.contains_key(c))
        .map(|(c, _)| Problem::MissingColumn {
            column: (*c).to_owned(),
        })
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    let mut rows = Vec::new();
    let mut seen: HashSet<(Uuid, String, String)> = HashSet::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| {
            vec![Problem::BadCsv {
                detail: format!("line {line}: {e}"),
            }]
        })?;
        if record.iter().all(str::is_empty) {
            continue;
        }
        let cell = |key: &str| {
            index
                .get(key)
                .and_then(|i| record.get(*i))
                .unwrap_or("")
                .to_owned()
        };
        let (unit, month, indicator, value) = (
            cell("unit"),
            cell("month"),
            cell("indicator"),
            cell("value"),
        );
        let mut errors = Vec::new();
        let mut need = |field: &str, typed: &str| {
            if typed.is_empty() {
                errors.push(FieldError::new(field, Problem::Required));
                false
            } else {
                true
            }
        };
        let unit_id = need("unit", &unit)
            .then(|| lookup.units.get(&unit.to_lowercase()).copied())
            .flatten();
        let code = need("indicator", &indicator)
            .then(|| lookup.indicators.get(&indicator.to_lowercase()).cloned())
            .flatten();
        let month_key = need("month", &month).then(|| parse_month(&month)).flatten();
        let number = need("value", &value)
            .then(|| value.replace(',', "").parse::<f64>().ok())
            .flatten()
            .filter(|v| v.is_finite() && (0.0..=MAX_VALUE).contains(v));
        let invalid = |field: &str, typed: &str| {
            FieldError::new(
                field,
                Problem::Unknown {
                    value: typed.chars().take(40).collect(),
                },
            )
        };
        if !unit.is_empty() && unit_id.is_none() {
            errors.push(invalid("unit", &unit));
        }
        if !indicator.is_empty() && code.is_none() {
            errors.push(invalid("indicator", &indicator));
        }
        if !month.is_empty() && month_key.is_none() {
            errors.push(FieldError::new(
                "month",
                Problem::Invalid {
                    value: month.chars().take(40).collect(),
                },
            ));
        }
        if !value.is_empty() && number.is_none() {
            errors.push(FieldError::new(
                "value",
                Problem::OutOfRange {
                    min: "0".to_owned(),
                    max: "1000000".to_owned(),
                },
            ));
        }
        if let (Some(u), Some(c), Some(m)) = (unit_id, &code, &month_key)
            && !seen.insert((u, c.clone(), m.clone()))
        {
            errors.push(FieldError::new(
                "month",
                Problem::Duplicate {
                    value: format!("{unit} {indicator} {m}"),
                },
            ));
        }
        rows.push(PlannedRow {
            line,
            unit,
            month,
            indicator,
            value,
            unit_id,
            code,
            month_key,
            number,
            errors,
        });
    }
    if rows.is_empty() {
        return Err(vec![Problem::Empty]);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup() -> (Lookup, Uuid) {
        let hall = Uuid::from_u128(7);
        let mut l = Lookup::default();
        l.units.insert("hall".into(), hall);
        l.units.insert("服务大厅".into(), hall);
        l.indicators
            .insert("rework_rate".into(), "rework_rate".into());
        l.indicators
            .insert("差错返工率".into(), "rework_rate".into());
        (l, hall)
    }

    #[test]
    fn months_are_read_as_offices_type_them() {
        for typed in ["2026-10", "2026/10", "2026-10-01", "2026年10月", "2026.10"] {
            assert_eq!(parse_month(typed).as_deref(), Some("2026-10"), "{typed}");
        }
        assert_eq!(parse_month("2026-3").as_deref(), Some("2026-03"));
        for bad in ["10/2026", "2026-13", "soon", "2026-10-40"] {
            assert_eq!(parse_month(bad), None, "{bad}");
        }
    }

    #[test]
    fn chinese_headers_and_names_are_accepted() {
        let (l, hall) = lookup();
        let rows = plan(
            "\u{feff}单位,月份,指标,数值\n服务大厅,2026年10月,差错返工率,3.5\n",
            &l,
        )
        .expect("a good file");
        assert_eq!(rows.len(), 1);
        let r = &rows[0];
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert_eq!(
            (
                r.unit_id,
                r.code.as_deref(),
                r.month_key.as_deref(),
                r.number
            ),
            (Some(hall), Some("rework_rate"), Some("2026-10"), Some(3.5))
        );
    }

    #[test]
    fn each_bad_row_says_what_is_wrong() {
        let (l, _) = lookup();
        let rows = plan(
            "unit,month,indicator,value\n\
             HALL,2026-10,rework_rate,3.5\n\
             NOPE,2026-10,rework_rate,3\n\
             HALL,someday,rework_rate,-1\n\
             HALL,2026-10,rework_rate,4\n\
             HALL,2026-11,,\n",
            &l,
        )
        .expect("the file reads");
        let fields =
            |i: usize| -> Vec<&str> { rows[i].errors.iter().map(|e| e.field.as_str()).collect() };
        assert!(rows[0].errors.is_empty());
        assert_eq!(fields(1), ["unit"]);
        assert_eq!(fields(2), ["month", "value"]);
        assert_eq!(fields(3), ["month"], "a second value for the same month");
        assert_eq!(fields(4), ["indicator", "value"]);
        assert_eq!(rows[4].line, 6);
    }

    #[test]
    fn a_file_without_its_columns_or_rows_is_refused() {
        let (l, _) = lookup();
        assert_eq!(
            plan("unit,month,value\n", &l),
            Err(vec![Problem::MissingColumn {
                column: "indicator".into()
            }])
        );
        assert_eq!(
            plan("unit,month,indicator,value\n", &l),
            Err(vec![Problem::Empty])
        );
    }
}
