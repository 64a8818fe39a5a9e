//! Certificates for completed courses: a printable page for the holder (and those
//! who may see them), and a public verification page that confirms a code shows a
//! real certificate while telling only the name, course, date and hours.

pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CertificateDto {
    pub code: String,
    pub person_name: String,
    pub employee_no: String,
    pub course_title: String,
    pub course_code: String,
    pub hours: f64,
    pub issued_on: String,
    /// Where anyone can check the code.
    pub verify_url: String,
    pub office: String,
}

/// What the public verification page tells: nothing more.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verified {
    pub person_name: String,
    pub course_title: String,
    pub issued_on: String,
    pub hours: f64,
}

#[server(prefix = "/api", endpoint = "certificates/get")]
pub async fn get_certificate(code: String) -> Result<CertificateDto, AppError> {
    crate::auth::guard::signed_in(|ctx, me| async move {
        service::get(&ctx.state.db, &ctx.state.settings, &me, &code).await
    })
    .await
}

/// Anyone, signed in or not, may check a certificate's code.
#[server(prefix = "/api", endpoint = "certificates/verify")]
pub async fn verify_certificate(code: String) -> Result<Verified, AppError> {
    crate::auth::guard::public(|ctx| async move {
        service::verify(&ctx.state.db, &ctx.state.settings, &code).await
    })
    .await
}
