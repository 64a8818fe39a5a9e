//! Issuing and reading certificates.

use chrono::{DateTime, Utc};
use rand::Rng;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use super::{CertificateDto, Verified};
use crate::auth::guard::SessionUser;
use crate::common::clock;
use crate::entities::{assignment, certificate, course, org_unit, person};
use crate::error::AppError;
use crate::org::visibility::Scope;
use crate::state::Settings;

/// Letters and digits nobody misreads on paper (no 0/O, 1/I/L, U).
const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTVWXYZ23456789";

/// A new code: 12 characters in three groups (about 59 bits), e.g. `K7QM-2RTP-XW9A`.
pub fn new_code() -> String {
    let mut rng = rand::thread_rng();
    let chars: Vec<char> = (0..12)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// A code as typed: upper case, spaces and dashes ignored, regrouped.
pub fn normalise(code: &str) -> Option<String> {
    let chars: Vec<char> = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (chars.len() == 12
        && chars
            .iter()
            .all(|c| ALPHABET.contains(&(*c as u8)) && c.is_ascii()))
    .then(|| {
        chars
            .chunks(4)
            .map(|c| c.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join("-")
    })
}

/// Issues the certificate of a just-completed assignment; returns its code.
pub async fn issue(
    txn: &impl ConnectionTrait,
    a: &assignment::Model,
    c: &course::Model,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let p = person::Entity::find_by_id(a.person_id)
        .one(txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let code = new_code();
    certificate::ActiveModel {
        id: Set(Uuid::new_v4()),
        code: Set(code.clone()),
        assignment_id: Set(a.id),
        person_id: Set(p.id),
        course_id: Set(c.id),
        person_name: Set(p.name),
        course_title: Set(c.title.clone()),
        hours: Set(c.hours),
        issued_at: Set(now),
    }
    .insert(txn)
    .await?;
    Ok(code)
}

async fn find(db: &impl ConnectionTrait, code: &str) -> Result<certificate::Model, AppError> {
    let code = normalise(code).ok_or(AppError::NotFound)?;
    certificate::Entity::find()
        .filter(certificate::Column::Code.eq(code))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The office's name: its top unit.
pub async fn office_name(db: &impl ConnectionTrait) -> Result<String, AppError> {
    use sea_orm::QueryOrder;
    Ok(org_unit::Entity::find()
        .filter(org_unit::Column::ParentId.is_null())
        .order_by_asc(org_unit::Column::Name)
        .one(db)
        .await?
        .map(|u| u.name)
        .unwrap_or_default())
}

/// The verification URL printed on a certificate.
pub fn verify_url(settings: &Settings, code: &str) -> String {
    let base = settings
        .public_origins
        .first()
        .map(String::as_str)
        .unwrap_or("");
    format!("{base}/verify/{code}")
}

/// The full certificate, for its holder and those who may see the holder.
pub async fn get(
    db: &impl ConnectionTrait,
    settings: &Settings,
    me: &SessionUser,
    code: &str,
) -> Result<CertificateDto, AppError> {
    let cert = find(db, code).await?;
    let holder = person::Entity::find_by_id(cert.person_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if !Scope::load(db, me).await?.sees_person(&holder) {
        return Err(AppError::NotFound);
    }
    let c = course::Entity::find_by_id(cert.course_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let office = office_name(db).await?;
    Ok(CertificateDto {
        verify_url: verify_url(settings, &cert.code),
        code: cert.code,
        person_name: cert.person_name,
        employee_no: holder.employee_no,
        course_title: cert.course_title,
        course_code: c.code,
        hours: cert.hours,
        issued_on: clock::local(settings.timezone, cert.issued_at, "%Y-%m-%d"),
        office,
    })
}

pub async fn verify(
    db: &impl ConnectionTrait,
    settings: &Settings,
    code: &str,
) -> Result<Verified, AppError> {
    let cert = find(db, code).await?;
    Ok(Verified {
        person_name: cert.person_name,
        course_title: cert.course_title,
        issued_on: clock::local(settings.timezone, cert.issued_at, "%Y-%m-%d"),
        hours: cert.hours,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_grouped_and_read_back_however_typed() {
        let code = new_code();
        assert_eq!(code.len(), 14);
        assert_eq!(normalise(&code).as_deref(), Some(code.as_str()));
        let typed = format!(" {} ", code.replace('-', " ").to_lowercase());
        assert_eq!(normalise(&typed).as_deref(), Some(code.as_str()));
        assert_ne!(new_code(), code);
    }

    #[test]
    fn malformed_codes_are_refused() {
        for bad in [
            "",
            "ABCD-EFGH",
            "ABCD-EFGH-JKMN-P",
            "ABCD-EFGH-JK0O",
            "ABCD-EFGH-JKÄA",
        ] {
            assert_eq!(normalise(bad), None, "{bad}");
        }
    }
}
