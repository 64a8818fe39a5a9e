//! The plan's arithmetic, apart from the database: accepted proposals grouped into
//! one line per course, ordered by the office's priorities; sessions needed at a
//! class size; the cost of a line.

use std::collections::{BTreeSet, HashMap};

use uuid::Uuid;

use crate::domain::CourseMode;

/// An accepted proposal, as the plan needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct Accepted {
    pub person: Uuid,
    pub course: Uuid,
    pub unit: Option<String>,
    pub position: Option<String>,
    /// Competency codes the proposal's reason addresses.
    pub codes: Vec<String>,
    /// Month (1–12) the training is due in, when a due date was set.
    pub month: Option<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CourseFacts {
    pub code: String,
    pub mode: CourseMode,
    /// Seats per session: its largest scheduled session's, or the office's class size.
    pub capacity: i32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DraftLine {
    pub course: Uuid,
    pub people: i32,
    pub units: Vec<String>,
    pub positions: Vec<String>,
    /// Highest priority first; codes the office has no rank for last, by code.
    pub competencies: Vec<String>,
    pub sessions: i32,
    pub months: Vec<u32>,
    /// The best (lowest) priority rank among its competencies.
    pub priority: Option<u32>,
}

/// Classroom sessions for `people` at `capacity` seats: none for an online course.
pub fn sessions_needed(mode: CourseMode, people: i32, capacity: i32) -> i32 {
    if mode == CourseMode::Online || people <= 0 {
        return 0;
    }
    let capacity = capacity.max(1);
    (people + capacity - 1) / capacity
}

/// (trainer, venue) cost of a line: each session takes the course's hours of a
/// trainer and of a room. Online courses cost nothing here (no room, no trainer
/// in front of a class).
pub fn cost(sessions: i32, hours: f64, trainer_rate: f64, venue_rate: f64) -> (f64, f64) {
    let session_hours = f64::from(sessions.max(0)) * hours;
    (session_hours * trainer_rate, session_hours * venue_rate)
}

/// One line per course with accepted proposals, in the order the office should
/// fund them: the highest-priority gap a line closes first, then the larger
/// audience, then the course code (so the same facts give the same plan).
pub fn lines(
    accepted: &[Accepted],
    courses: &HashMap<Uuid, CourseFacts>,
    priority: &HashMap<String, u32>,
) -> Vec<DraftLine> {
    struct Acc {
        people: BTreeSet<Uuid>,
        units: BTreeSet<String>,
        positions: BTreeSet<String>,
        codes: BTreeSet<String>,
        months: BTreeSet<u32>,
    }
    let mut by_course: HashMap<Uuid, Acc> = HashMap::new();
    for a in accepted {
        if !courses.contains_key(&a.course) {
            continue;
        }
        let acc = by_course.entry(a.course).or_insert_with(|| Acc {
            people: BTreeSet::new(),
            units: BTreeSet::new(),
            positions: BTreeSet::new(),
            codes: BTreeSet::new(),
            months: BTreeSet::new(),
        });
        acc.people.insert(a.person);
        acc.units.extend(a.unit.clone());
        acc.positions.extend(a.position.clone());
        acc.codes.extend(a.codes.iter().cloned());
        acc.months.extend(a.month.filter(|m| (1..=12).contains(m)));
    }
    let rank = |code: &String| priority.get(&code.to_lowercase()).copied();
    let mut out: Vec<(String, DraftLine)> = by_course
        .into_iter()
        .filter_map(|(course, acc)| {
            let facts = courses.get(&course)?;
            let people = i32::try_from(acc.people.len()).unwrap_or(i32::MAX);
            let mut competencies: Vec<String> = acc.codes.into_iter().collect();
            competencies.sort_by(|a, b| {
                (rank(a).unwrap_or(u32::MAX), a).cmp(&(rank(b).unwrap_or(u32::MAX), b))
            });
            Some((
                facts.code.clone(),
                DraftLine {
                    course,
                    people,
                    units: acc.units.into_iter().collect(),
                    positions: acc.positions.into_iter().collect(),
                    priority: competencies.iter().filter_map(rank).min(),
                    competencies,
                    sessions: sessions_needed(facts.mode, people, facts.capacity),
                    months: acc.months.into_iter().collect(),
                },
            ))
        })
        .collect();
    out.sort_by(|(code_a, a), (code_b, b)| {
        (a.priority.unwrap_or(u32::MAX), -a.people, code_a).cmp(&(
            b.priority.unwrap_or(u32::MAX),
            -b.people,
            code_b,
        ))
    });
    out.into_iter().map(|(_, l)| l).collect()
}

/// Months as stored: `3,4,9`.
pub fn months_text(months: &[u32]) -> String {
    months
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// Stored months back; anything that is not a month is dropped.
pub fn parse_months(text: &str) -> Vec<u32> {
    let mut out: Vec<u32> = text
        .split(',')
        .filter_map(|m| m.trim().parse::<u32>().ok())
        .filter(|m| (1..=12).contains(m))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn accepted(
        person: u128,
        course: u128,
        unit: &str,
        codes: &[&str],
        month: Option<u32>,
    ) -> Accepted {
        Accepted {
            person: id(person),
            course: id(course),
            unit: Some(unit.into()),
            position: Some("窗口经办员".into()),
            codes: codes.iter().map(|c| (*c).to_owned()).collect(),
            month,
        }
    }

    fn courses() -> HashMap<Uuid, CourseFacts> {
        HashMap::from([
            (
                id(100),
                CourseFacts {
                    code: "C-A".into(),
                    mode: CourseMode::Classroom,
                    capacity: 2,
                },
            ),
            (
                id(200),
                CourseFacts {
                    code: "C-B".into(),
                    mode: CourseMode::Online,
                    capacity: 30,
                },
            ),
            (
                id(300),
                CourseFacts {
                    code: "C-C".into(),
                    mode: CourseMode::Blended,
                    capacity: 30,
                },
            ),
        ])
    }

    #[test]
    fn sessions_round_up_and_online_needs_none() {
        assert_eq!(sessions_needed(CourseMode::Classroom, 30, 30), 1);
        assert_eq!(sessions_needed(CourseMode::Classroom, 31, 30), 2);
        assert_eq!(sessions_needed(CourseMode::Blended, 1, 30), 1);
        assert_eq!(sessions_needed(CourseMode::Classroom, 0, 30), 0);
        assert_eq!(sessions_needed(CourseMode::Online, 500, 30), 0);
        // A zero capacity is treated as one seat, never a division by zero.
        assert_eq!(sessions_needed(CourseMode::Classroom, 3, 0), 3);
    }

    #[test]
    fn cost_is_session_hours_at_each_rate() {
        assert_eq!(cost(2, 6.0, 300.0, 100.0), (3600.0, 1200.0));
        assert_eq!(cost(0, 6.0, 300.0, 100.0), (0.0, 0.0));
    }

    #[test]
    fn one_line_per_course_counting_each_person_once() {
        let rows = vec![
            accepted(1, 100, "服务大厅", &["POL"], Some(3)),
            accepted(2, 100, "征缴科", &["POL", "IT"], Some(4)),
            accepted(3, 100, "服务大厅", &["IT"], Some(3)),
            // The same person twice (two proposals of one course) counts once.
            accepted(3, 100, "服务大厅", &["IT"], None),
        ];
        let out = lines(&rows, &courses(), &HashMap::new());
        assert_eq!(out.len(), 1);
        let l = &out[0];
        assert_eq!(l.people, 3);
        assert_eq!(l.units, vec!["征缴科".to_owned(), "服务大厅".to_owned()]);
        assert_eq!(l.positions, vec!["窗口经办员".to_owned()]);
        assert_eq!(l.competencies, vec!["IT".to_owned(), "POL".to_owned()]);
        assert_eq!(l.months, vec![3, 4]);
        // Three people at two seats a session.
        assert_eq!(l.sessions, 2);
        assert_eq!(l.priority, None);
    }

    #[test]
    fn ordered_by_priority_then_audience_then_code() {
        let rows = vec![
            accepted(1, 100, "A", &["LOW"], None),
            accepted(2, 200, "A", &["TOP"], None),
            accepted(3, 300, "A", &["TOP", "LOW"], None),
            accepted(4, 300, "A", &["LOW"], None),
        ];
        let priority = HashMap::from([("top".to_owned(), 1), ("low".to_owned(), 5)]);
        let out = lines(&rows, &courses(), &priority);
        let order: Vec<Uuid> = out.iter().map(|l| l.course).collect();
        // C-C and C-B both close the top priority; C-C trains more people.
        assert_eq!(order, vec![id(300), id(200), id(100)]);
        assert_eq!(out[0].priority, Some(1));
        assert_eq!(
            out[0].competencies,
            vec!["TOP".to_owned(), "LOW".to_owned()]
        );
        assert_eq!(out[2].priority, Some(5));
        // Equal priority and audience: by course code.
        let tie = vec![
            accepted(1, 300, "A", &["TOP"], None),
            accepted(2, 200, "A", &["TOP"], None),
        ];
        let order: Vec<Uuid> = lines(&tie, &courses(), &priority)
            .iter()
            .map(|l| l.course)
            .collect();
        assert_eq!(order, vec![id(200), id(300)]);
    }

    #[test]
    fn courses_unknown_to_the_plan_are_left_out() {
        let rows = vec![accepted(1, 999, "A", &["X"], None)];
        assert!(lines(&rows, &courses(), &HashMap::new()).is_empty());
    }

    #[test]
    fn months_round_trip_and_drop_nonsense() {
        assert_eq!(months_text(&[3, 4, 9]), "3,4,9");
        assert_eq!(parse_months("9, 3,4,3,13,0,x,"), vec![3, 4, 9]);
        assert_eq!(parse_months(""), Vec::<u32>::new());
    }
}
