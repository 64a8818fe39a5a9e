//! The demo question bank: the spreadsheet a trainer keeps (题型/题干/选项…) and a
//! GIFT file from Moodle, read by the same code an import uses. Questions on one
//! course's subject are filed under that course; the rest are shared.

use app::entities::course;
use app::error::AppError;
use app::quiz::question::Question;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

const SHEET: &str = include_str!("questions.csv");
const GIFT: &str = include_str!("questions.gift");

/// Category → the course whose subject it is.
const OWNERS: &[(&str, &str)] = &[
    ("养老/政策", "POL-PEN-2026"),
    ("医保/政策", "POL-MED-2026"),
    ("经办/系统操作", "SI-SYS-101"),
    ("服务/礼仪", "SVC-ETQ-01"),
    ("服务/投诉处理", "SVC-CMP-02"),
    ("安全/个人信息", "SEC-DATA-01"),
    ("档案/数字化", "ARC-DIG-01"),
];

/// GIFT carries no competency: the GIFT file's categories say it.
const GIFT_COMPETENCIES: &[(&str, &str)] = &[
    ("服务/礼仪", "COMMUNICATION"),
    ("经办/待遇", "CASE_HANDLING"),
];

fn demo_questions() -> Result<Vec<Question>, AppError> {
    let sheet = app::quiz::import::read(SHEET);
    let gift = app::quiz::import::read(GIFT);
    for reading in [&sheet, &gift] {
        if reading.refused.is_some() || !reading.skipped.is_empty() {
            return Err(AppError::internal(format!(
                "demo questions do not read cleanly: {:?} {:?}",
                reading.refused,
                reading
                    .skipped
                    .iter()
                    .map(|s| (s.line, &s.problem))
                    .collect::<Vec<_>>()
            )));
        }
    }
    let gift = gift.questions.into_iter().map(|r| {
        let mut q = r.question;
        q.competency = GIFT_COMPETENCIES
            .iter()
            .find(|(c, _)| q.category.as_deref() == Some(*c))
            .map(|(_, code)| (*code).to_owned());
        q
    });
    Ok(sheet
        .questions
        .into_iter()
        .map(|r| r.question)
        .chain(gift)
        .collect())
}

/// Writes the demo bank; returns how many questions.
pub async fn insert(db: &impl ConnectionTrait, trainer: Uuid) -> Result<u64, AppError> {
    let questions = demo_questions()?;
    let courses = course::Entity::find()
        .filter(course::Column::Code.is_in(OWNERS.iter().map(|(_, c)| *c)))
        .all(db)
        .await?;
    let owner = |q: &Question| {
        let code = OWNERS
            .iter()
            .find(|(category, _)| q.category.as_deref() == Some(*category))?
            .1;
        courses.iter().find(|c| c.code == code).map(|c| c.id)
    };
    let mut written = 0;
    let mut groups: Vec<(Option<Uuid>, Vec<Question>)> = Vec::new();
    for q in questions {
        let course = owner(&q);
        match groups.iter_mut().find(|(c, _)| *c == course) {
            Some((_, list)) => list.push(q),
            None => groups.push((course, vec![q])),
        }
    }
    for (course, list) in groups {
        written += app::quiz::import::insert_questions(db, &list, course, Some(trainer)).await?;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_bank_reads_cleanly_and_is_tagged() {
        let questions = demo_questions().unwrap();
        assert_eq!(questions.len(), 89);
        assert!(questions.iter().all(|q| q.competency.is_some()));
        assert!(questions.iter().all(|q| q.category.is_some()));
    }
}
