//! The framework CSV format: one row per competency, in order, domains by name.
//! Parsing is pure; nothing is written unless every row is valid.

use std::collections::HashSet;

use crate::error::{FieldError, Problem};

/// Column names as written in exports; Chinese headers are accepted too.
pub const HEADERS: [&str; 9] = [
    "domain",
    "code",
    "name",
    "description",
    "level_1",
    "level_2",
    "level_3",
    "level_4",
    "level_5",
];

const ALIASES: [(&str, &str); 9] = [
    ("领域", "domain"),
    ("代码", "code"),
    ("名称", "name"),
    ("描述", "description"),
    ("等级1", "level_1"),
    ("等级2", "level_2"),
    ("等级3", "level_3"),
    ("等级4", "level_4"),
    ("等级5", "level_5"),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    pub domain: String,
    pub code: String,
    pub name: String,
    pub description: String,
    pub levels: [String; 5],
    pub errors: Vec<FieldError>,
}

/// Whether a competency code is acceptable: short, letters, digits, `-` and `_`.
pub fn valid_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 32
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn canonical(header: &str) -> String {
    let h = header.trim().trim_start_matches('\u{feff}').to_lowercase();
    ALIASES
        .iter()
        .find(|(alias, _)| *alias == h)
        .map_or(h, |(_, name)| (*name).to_owned())
}

/// Parses the file into rows with their problems, or whole-file problems.
pub fn parse(content: &str) -> Result<Vec<Row>, Vec<Problem>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(content.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(canonical).collect(),
        Err(e) => {
            return Err(vec![Problem::BadCsv {
                detail: e.to_string(),
            }]);
        }
    };
    let missing: Vec<Problem> = HEADERS
        .iter()
        .filter(|h| **h != "description" && !headers.iter().any(|x| x == *h))
        .map(|h| Problem::MissingColumn {
            column: (*h).to_owned(),
        })
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    let col = |name: &str| headers.iter().position(|h| h == name);
    let mut rows = Vec::new();
    let mut seen = HashSet::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                return Err(vec![Problem::BadCsv {
                    detail: format!("line {line}: {e}"),
                }]);
            }
        };
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let get = |name: &str| {
            col(name)
                .and_then(|c| record.get(c))
                .map(crate::common::spreadsheet::restore)
                .unwrap_or("")
                .to_owned()
        };
        let mut errors = Vec::new();
        let mut need = |field: &str, value: &str, max: usize| {
            if value.is_empty() {
                errors.push(FieldError::new(field, Problem::Required));
            } else if value.chars().count() > max {
                errors.push(FieldError::new(field, Problem::TooLong { max }));
            }
        };
        let (domain, code, name) = (get("domain"), get("code"), get("name"));
        need("domain", &domain, 200);
        need("name", &name, 200);
        let levels = [
            get("level_1"),
            get("level_2"),
            get("level_3"),
            get("level_4"),
            get("level_5"),
        ];
        for (n, level) in levels.iter().enumerate() {
            need(&format!("level_{}", n + 1), level, 2000);
        }
        if code.is_empty() {
            errors.push(FieldError::new("code", Problem::Required));
        } else if !valid_code(&code) {
            errors.push(FieldError::new(
                "code",
                Problem::Invalid {
                    value: code.clone(),
                },
            ));
        } else if !seen.insert(code.to_uppercase()) {
            errors.push(FieldError::new(
                "code",
                Problem::Duplicate {
                    value: code.clone(),
                },
            ));
        }
        rows.push(Row {
            line,
            domain,
            code,
            name,
            description: get("description"),
            levels,
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

    const GOOD: &str = "domain,code,name,description,level_1,level_2,level_3,level_4,level_5\n\
        Service capability,IT,IT literacy,Uses the systems,a,b,c,d,e\n\
        Service capability,COMM,Communication,,a,b,c,d,e\n\
        Service attitude,ATT,Attitude,x,a,b,c,d,e\n";

    #[test]
    fn parses_a_good_file() {
        let rows = parse(GOOD).unwrap();
        assert_eq!(rows.len(), 3);
        assert!(rows.iter().all(|r| r.errors.is_empty()));
        assert_eq!(rows[1].code, "COMM");
        assert_eq!(rows[2].domain, "Service attitude");
        assert_eq!(rows[0].levels[4], "e");
    }

    #[test]
    fn accepts_chinese_headers_and_bom() {
        let text = "\u{feff}领域,代码,名称,描述,等级1,等级2,等级3,等级4,等级5\n服务能力,IT,信息技术素养,,一,二,三,四,五\n";
        let rows = parse(text).unwrap();
        assert_eq!(rows[0].name, "信息技术素养");
        assert!(rows[0].errors.is_empty());
    }

    #[test]
    fn reports_each_bad_row() {
        let text = "domain,code,name,level_1,level_2,level_3,level_4,level_5\n\
            ,IT,IT literacy,a,b,c,d,e\n\
            D,IT,Again,a,b,c,d,e\n\
            D,bad code,X,a,b,c,d,\n";
        let rows = parse(text).unwrap();
        assert_eq!(
            rows[0].errors,
            vec![FieldError::new("domain", Problem::Required)]
        );
        assert_eq!(
            rows[1].errors,
            vec![FieldError::new(
                "code",
                Problem::Duplicate { value: "IT".into() }
            )]
        );
        let fields: Vec<&str> = rows[2].errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["level_5", "code"]);
        assert_eq!(rows[2].line, 4);
    }

    #[test]
    fn whole_file_problems() {
        assert_eq!(
            parse("domain,code\nD,X\n").unwrap_err()[0],
            Problem::MissingColumn {
                column: "name".into()
            }
        );
        assert_eq!(parse(&HEADERS.join(",")).unwrap_err(), vec![Problem::Empty]);
    }
}
