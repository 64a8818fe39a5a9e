//! The demo's files, written to the data folder the way uploads are kept: a lesson
//! attachment (a one-page PDF) and three course covers.

use app::entities::{attachment, course, lesson};
use app::error::AppError;
use app::state::Settings;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

/// A one-page PDF with a short text (the built-in Helvetica has no Chinese, so the
/// sheet is in English).
fn sheet() -> Vec<u8> {
    let text = "BT /F1 14 Tf 60 760 Td (Pension benefit worksheet 2026) Tj \
                0 -24 Td /F1 11 Tf (Basic pension = (average wage + indexed wage) / 2 x years x 1%) Tj \
                0 -18 Td (Individual account pension = account balance / months divisor) Tj ET";
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_owned(),
        format!("<< /Length {} >>\nstream\n{text}\nendstream", text.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for off in offsets {
        out.extend(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// Attaches the worksheet to the first lesson of the pension policy course.
pub async fn attach_sample(
    db: &impl ConnectionTrait,
    settings: &Settings,
    by: Uuid,
    at: DateTime<Utc>,
) -> Result<usize, AppError> {
    let Some(c) = course::Entity::find()
        .filter(course::Column::Code.eq("POL-PEN-2026"))
        .one(db)
        .await?
    else {
        return Ok(0);
    };
    let Some(l) = lesson::Entity::find()
        .filter(lesson::Column::CourseId.eq(c.id))
        .one(db)
        .await?
    else {
        return Ok(0);
    };
    let id = Uuid::new_v4();
    let stored = format!("{}.pdf", id.simple());
    let dir = app::courses::attachments::folder(settings);
    let bytes = sheet();
    std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::write(dir.join(&stored), &bytes))
        .map_err(|e| AppError::internal(format!("writing the demo attachment: {e}")))?;
    attachment::ActiveModel {
        id: Set(id),
        lesson_id: Set(l.id),
        course_id: Set(c.id),
        file_name: Set("2026年养老金测算表.pdf".into()),
        content_type: Set("application/pdf".into()),
        size: Set(bytes.len() as i64),
        stored_name: Set(stored),
        uploaded_by: Set(Some(by)),
        uploaded_at: Set(at),
        removed_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(1)
}

/// Cover pictures for three of the demo's courses (plain drawn PNGs, shipped here).
const COVERS: [(&str, &[u8]); 3] = [
    ("SI-SYS-101", include_bytes!("covers/system.png")),
    ("POL-PEN-2026", include_bytes!("covers/pension.png")),
    ("SVC-ETQ-01", include_bytes!("covers/etiquette.png")),
];

/// Gives the courses in [`COVERS`] their pictures.
pub async fn covers(db: &impl ConnectionTrait, settings: &Settings) -> Result<usize, AppError> {
    let dir = app::courses::cover::folder(settings);
    std::fs::create_dir_all(&dir)
        .map_err(|e| AppError::internal(format!("making the covers folder: {e}")))?;
    let mut given = 0;
    for (code, bytes) in COVERS {
        let Some(c) = course::Entity::find()
            .filter(course::Column::Code.eq(code))
            .one(db)
            .await?
        else {
            continue;
        };
        let stored = format!("{}.png", Uuid::new_v4().simple());
        std::fs::write(dir.join(&stored), bytes)
            .map_err(|e| AppError::internal(format!("writing a demo cover: {e}")))?;
        let mut with: course::ActiveModel = c.into();
        with.cover = Set(Some(stored));
        with.update(db).await?;
        given += 1;
    }
    Ok(given)
}
