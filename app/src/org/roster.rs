//! Roster CSV: parse and check every row against the org before anything is written.
//! Pure: the caller supplies what exists; the plan says what would change.

use std::collections::{HashMap, HashSet};

use uuid::Uuid;

use super::RowAction;
use crate::auth::Role;
use crate::domain::Vocabulary;
use crate::error::{FieldError, Problem};

/// Columns, with the header names accepted for each (English and Chinese).
const COLUMNS: [(&str, &[&str]); 7] = [
    ("employee_no", &["employee_no", "工号"]),
    ("name", &["name", "姓名"]),
    ("unit", &["unit", "部门", "科室"]),
    ("position", &["position", "岗位"]),
    ("manager", &["manager", "上级", "直属上级"]),
    ("roles", &["roles", "角色"]),
    ("email", &["email", "邮箱"]),
];
const REQUIRED: [&str; 4] = ["employee_no", "name", "unit", "position"];

/// A person as they stand in the database, for deciding update vs unchanged.
#[derive(Debug, Clone, PartialEq)]
pub struct Existing {
    pub id: Uuid,
    pub name: String,
    pub unit_id: Option<Uuid>,
    pub position_id: Option<Uuid>,
    pub manager_no: Option<String>,
    pub roles: Vec<Role>,
    pub email: Option<String>,
}

/// What the file is checked against. Unit and position keys are lower-cased codes
/// and names, so either may be used in the file.
#[derive(Debug, Default)]
pub struct Lookup {
    pub units: HashMap<String, Uuid>,
    pub positions: HashMap<String, Uuid>,
    pub people: HashMap<String, Existing>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlannedRow {
    pub line: usize,
    pub employee_no: String,
    pub name: String,
    pub unit: String,
    pub position: String,
    pub manager: String,
    pub roles_text: String,
    pub unit_id: Option<Uuid>,
    pub position_id: Option<Uuid>,
    pub manager_no: Option<String>,
    pub roles: Vec<Role>,
    pub email: Option<String>,
    pub action: RowAction,
    pub errors: Vec<FieldError>,
}

/// Problems with the file as a whole (no header, missing column, unreadable).
pub type FileProblems = Vec<Problem>;

pub fn plan(csv_text: &str, lookup: &Lookup) -> Result<Vec<PlannedRow>, FileProblems> {
    let (mut reader, index) = crate::common::csv_file::open(csv_text, &COLUMNS)?;
    let missing: Vec<Problem> = REQUIRED
        .iter()
        .filter(|c| !index.contains_key(*c))
        .map(|c| Problem::MissingColumn {
            column: (*c).to_owned(),
        })
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }

    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2; // 1-based, after the header
        let record = record.map_err(|e| {
            vec![Problem::BadCsv {
                detail: format!("line {line}: {e}"),
            }]
        })?;
        if record.iter().all(|f| f.is_empty()) {
            continue;
        }
        let get = |col: &str| {
            index
                .get(col)
                .and_then(|i| record.get(*i))
                .map(crate::common::spreadsheet::restore)
                .unwrap_or("")
                .to_owned()
        };
        rows.push(check_row(line, &get, lookup));
    }
    if rows.is_empty() {
        return Err(vec![Problem::Empty]);
    }
    check_across_rows(&mut rows, lookup);
    Ok(rows)
}

fn check_row(line: usize, get: &dyn Fn(&str) -> String, lookup: &Lookup) -> PlannedRow {
    let mut errors = Vec::new();
    let mut need = |field: &str, value: &str, max: usize| {
        if value.is_empty() {
            errors.push(FieldError::new(field, Problem::Required));
        } else if value.chars().count() > max {
            errors.push(FieldError::new(field, Problem::TooLong { max }));
        }
    };
    let employee_no = get("employee_no");
    let name = get("name");
    let unit = get("unit");
    let position = get("position");
    need("employee_no", &employee_no, 32);
    need("name", &name, 200);
    need("unit", &unit, 200);
    need("position", &position, 200);

    let unit_id = lookup.units.get(&unit.to_lowercase()).copied();
    if unit_id.is_none() && !unit.is_empty() {
        errors.push(FieldError::new(
            "unit",
            Problem::Unknown {
                value: unit.clone(),
            },
        ));
    }
    let position_id = lookup.positions.get(&position.to_lowercase()).copied();
    if position_id.is_none() && !position.is_empty() {
        errors.push(FieldError::new(
            "position",
            Problem::Unknown {
                value: position.clone(),
            },
        ));
    }

    let roles_text = get("roles");
    let mut roles = Vec::new();
    for part in roles_text
        .split([';', '|', '；', ','])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        // Spreadsheets capitalise: "Admin" is the admin role.
        match Role::parse(&part.to_ascii_lowercase()) {
            Some(r) if !roles.contains(&r) => roles.push(r),
            Some(_) => {}
            None => errors.push(FieldError::new(
                "roles",
                Problem::InvalidRole {
                    value: part.to_owned(),
                },
            )),
        }
    }
    if roles.is_empty() {
        roles.push(Role::Staff);
    }
    roles.sort();

    let email = Some(get("email")).filter(|e| !e.is_empty());
    if let Some(e) = &email
        && !looks_like_email(e)
    {
        errors.push(FieldError::new("email", Problem::InvalidEmail));
    }
    let manager = get("manager");
    let manager_no = Some(manager.clone()).filter(|m| !m.is_empty());

    PlannedRow {
        line,
        employee_no,
        name,
        unit,
        position,
        manager,
        roles_text,
        unit_id,
        position_id,
        manager_no,
        roles,
        email,
        action: RowAction::New,
        errors,
    }
}

/// Checks that need the whole file: duplicates, managers, cycles; then decides
/// new / update / unchanged for rows without errors.
fn check_across_rows(rows: &mut [PlannedRow], lookup: &Lookup) {
    let mut seen = HashSet::new();
    let in_file: HashSet<String> = rows.iter().map(|r| r.employee_no.clone()).collect();
    for row in rows.iter_mut() {
        if !row.employee_no.is_empty() && !seen.insert(row.employee_no.clone()) {
            row.errors.push(FieldError::new(
                "employee_no",
                Problem::Duplicate {
                    value: row.employee_no.clone(),
                },
            ));
        }
        if let Some(m) = &row.manager_no {
            if *m == row.employee_no {
                row.errors
                    .push(FieldError::new("manager", Problem::ManagerCycle));
            } else if !in_file.contains(m) && !lookup.people.contains_key(m) {
                row.errors.push(FieldError::new(
                    "manager",
                    Problem::Unknown { value: m.clone() },
                ));
            }
        }
    }

    // The manager chain after the import: file rows override the database.
    let mut manager_of: HashMap<String, Option<String>> = lookup
        .people
        .iter()
        .map(|(no, p)| (no.clone(), p.manager_no.clone()))
        .collect();
    for row in rows.iter() {
        manager_of.insert(row.employee_no.clone(), row.manager_no.clone());
    }
    for row in rows.iter_mut() {
        if has_cycle(&row.employee_no, &manager_of)
            && !row
                .errors
                .iter()
                .any(|e| e.problem == Problem::ManagerCycle)
        {
            row.errors
                .push(FieldError::new("manager", Problem::ManagerCycle));
        }
        row.action = match lookup.people.get(&row.employee_no) {
            None => RowAction::New,
            Some(existing) => {
                let incoming = Existing {
                    id: existing.id,
                    name: row.name.clone(),
                    unit_id: row.unit_id,
                    position_id: row.position_id,
                    manager_no: row.manager_no.clone(),
                    roles: row.roles.clone(),
                    email: row.email.clone(),
                };
                if incoming == *existing {
                    RowAction::Unchanged
                } else {
                    RowAction::Update
                }
            }
        };
    }
}

fn has_cycle(start: &str, manager_of: &HashMap<String, Option<String>>) -> bool {
    let mut seen = HashSet::from([start.to_owned()]);
    let mut current = start.to_owned();
    while let Some(Some(next)) = manager_of.get(&current) {
        if !seen.insert(next.clone()) {
            return next == start;
        }
        current = next.clone();
    }
    false
}

pub fn looks_like_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !s.contains(char::is_whitespace)
                && !s.contains(char::is_control)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup() -> Lookup {
        let mut l = Lookup::default();
        let hall = Uuid::from_u128(1);
        l.units.insert("hall".into(), hall);
        l.units.insert("服务大厅".into(), hall);
        l.positions.insert("clerk".into(), Uuid::from_u128(10));
        l.people.insert(
            "E001".into(),
            Existing {
                id: Uuid::from_u128(100),
                name: "王芳".into(),
                unit_id: Some(hall),
                position_id: Some(Uuid::from_u128(10)),
                manager_no: None,
                roles: vec![Role::Staff, Role::Manager],
                email: None,
            },
        );
        l
    }

    #[test]
    fn valid_file_plans_new_update_and_unchanged() {
        let csv = "\u{feff}工号,姓名,部门,岗位,上级,角色\n\
                   E001,王芳,HALL,clerk,,staff;manager\n\
                   E002,李强,服务大厅,clerk,E001,\n\
                   E003,张伟,hall,clerk,E002,staff|trainer\n";
        let rows = plan(csv, &lookup()).unwrap();
        assert_eq!(rows.len(), 3);
        assert!(rows.iter().all(|r| r.errors.is_empty()), "{rows:#?}");
        assert_eq!(rows[0].action, RowAction::Unchanged);
        assert_eq!(rows[1].action, RowAction::New);
        assert_eq!(rows[1].roles, vec![Role::Staff]);
        assert_eq!(rows[2].roles, vec![Role::Staff, Role::Trainer]);
        assert_eq!(rows[2].line, 4);

        let renamed = "employee_no,name,unit,position\nE001,王芳芳,hall,clerk\n";
        assert_eq!(
            plan(renamed, &lookup()).unwrap()[0].action,
            RowAction::Update
        );
    }

    #[test]
    fn bad_rows_carry_their_errors() {
        let csv = "employee_no,name,unit,position,manager,roles,email\n\
                   E010,,nowhere,clerk,E999,boss,not-an-email\n\
                   E011,赵敏,hall,clerk,,,\n\
                   E011,赵敏,hall,clerk,,,\n";
        let rows = plan(csv, &lookup()).unwrap();
        let problems = |r: &PlannedRow, f: &str| -> Vec<Problem> {
            r.errors
                .iter()
                .filter(|e| e.field == f)
                .map(|e| e.problem.clone())
                .collect()
        };
        assert_eq!(problems(&rows[0], "name"), vec![Problem::Required]);
        assert_eq!(
            problems(&rows[0], "unit"),
            vec![Problem::Unknown {
                value: "nowhere".into()
            }]
        );
        assert_eq!(
            problems(&rows[0], "manager"),
            vec![Problem::Unknown {
                value: "E999".into()
            }]
        );
        assert_eq!(
            problems(&rows[0], "roles"),
            vec![Problem::InvalidRole {
                value: "boss".into()
            }]
        );
        assert_eq!(problems(&rows[0], "email"), vec![Problem::InvalidEmail]);
        assert!(rows[1].errors.is_empty());
        assert_eq!(
            problems(&rows[2], "employee_no"),
            vec![Problem::Duplicate {
                value: "E011".into()
            }]
        );
    }

    #[test]
    fn manager_cycles_are_rejected() {
        let csv = "employee_no,name,unit,position,manager\nA,a,hall,clerk,B\nB,b,hall,clerk,A\nC,c,hall,clerk,C\n";
        let rows = plan(csv, &lookup()).unwrap();
        for row in &rows {
            assert!(
                row.errors
                    .iter()
                    .any(|e| e.problem == Problem::ManagerCycle),
                "{row:?}"
            );
        }
    }

    #[test]
    fn file_level_problems() {
        assert_eq!(
            plan("employee_no,name\nE1,x\n", &lookup()).unwrap_err(),
            vec![
                Problem::MissingColumn {
                    column: "unit".into()
                },
                Problem::MissingColumn {
                    column: "position".into()
                }
            ]
        );
        assert_eq!(
            plan("employee_no,name,unit,position\n", &lookup()).unwrap_err(),
            vec![Problem::Empty]
        );
    }
}
