//! Plain HTTP routes beside the server functions (uploads and CSV exports): the
//! signed-in caller as an axum extractor, and the CSV document every export uses.

use std::marker::PhantomData;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use crate::auth::Role;
use crate::auth::guard::{SessionUser, authorise};
use crate::domain::AuditAction;
use crate::error::AppError;
use sea_orm::ConnectionTrait;
use serde_json::json;

/// A named list of roles a route admits; each feature declares its own next to the
/// list its menu entries and server functions use.
pub trait RoleSet: Send + Sync + 'static {
    const ROLES: &'static [Role];
}

/// Any signed-in person.
pub struct Everyone;
impl RoleSet for Everyone {
    const ROLES: &'static [Role] = <Role as crate::domain::Vocabulary>::ALL;
}

/// The signed-in caller of a plain HTTP route, holding one of `R`'s roles. A visitor
/// is sent to sign in (and back here, for a page), anyone else gets 403: the same
/// decision as the server functions' guard.
pub struct Caller<R: RoleSet> {
    pub me: SessionUser,
    roles: PhantomData<R>,
}

impl<S: Send + Sync, R: RoleSet> FromRequestParts<S> for Caller<R> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Response> {
        match authorise(parts.extensions.get::<SessionUser>(), R::ROLES) {
            Ok(me) => Ok(Self {
                me,
                roles: PhantomData,
            }),
            Err(AppError::Unauthorized) => {
                // Only a page can be come back to; a form post starts over.
                let next = if parts.method == Method::GET {
                    let here = parts.uri.path_and_query().map_or("/", |p| p.as_str());
                    format!("?next={}", crate::components::urlencode(here))
                } else {
                    String::new()
                };
                Err(Redirect::to(&format!("/login{next}")).into_response())
            }
            Err(_) => Err(StatusCode::FORBIDDEN.into_response()),
        }
    }
}

/// A CSV export ready to send: its bytes and how many data rows it holds.
pub struct CsvDocument {
    pub bytes: Vec<u8>,
    pub rows: usize,
}

/// A figure in a CSV cell: two decimals, empty when there is none.
pub fn csv_figure(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.2}")).unwrap_or_default()
}

/// A CSV document in UTF-8 with a BOM, so spreadsheet programs read Chinese
/// correctly, every cell neutralised against formula injection (see
/// [`super::spreadsheet`]). Every export goes through here.
pub fn csv_document<R, F>(header: &[&str], rows: R) -> Result<CsvDocument, AppError>
where
    R: IntoIterator<Item = Vec<F>>,
    F: AsRef<[u8]>,
{
    let mut out = "\u{feff}".as_bytes().to_vec();
    let mut count = 0;
    {
        let mut writer = csv::Writer::from_writer(&mut out);
        writer.write_record(header).map_err(AppError::internal)?;
        for row in rows {
            let row = row.iter().map(|cell| {
                let text = String::from_utf8_lossy(cell.as_ref());
                super::spreadsheet::neutralise(&text).into_owned()
            });
            writer.write_record(row).map_err(AppError::internal)?;
            count += 1;
        }
        writer.flush().map_err(AppError::internal)?;
    }
    Ok(CsvDocument {
        bytes: out,
        rows: count,
    })
}

/// Sends an export as a download, after recording in the audit log who took what
/// and how many rows (or the error's status).
pub async fn csv_response(
    db: &impl ConnectionTrait,
    me: &SessionUser,
    file_name: &str,
    body: Result<CsvDocument, AppError>,
) -> Response {
    let doc = match body {
        Ok(doc) => doc,
        Err(e) => return error_response(&e),
    };
    download(
        db,
        me,
        json!({ "file": file_name, "rows": doc.rows }),
        "text/csv; charset=utf-8",
        format!("attachment; filename=\"{file_name}\""),
        doc.bytes,
    )
    .await
}

/// Sends `body` as a download (`disposition` its Content-Disposition), after
/// recording the export in the audit log with `what` (the file, its rows).
pub async fn download(
    db: &impl ConnectionTrait,
    me: &SessionUser,
    what: serde_json::Value,
    content_type: &str,
    disposition: String,
    body: Vec<u8>,
) -> Response {
    let recorded = crate::audit::Entry::new(me.id, AuditAction::ExportCsv)
        .on("export", None)
        .after(what)
        .record(db)
        .await;
    if let Err(e) = recorded {
        return error_response(&e);
    }
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}

/// The bare status of an error, for routes that are not pages.
pub fn error_response(e: &AppError) -> Response {
    StatusCode::from_u16(e.status())
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
        .into_response()
}
