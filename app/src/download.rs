//! Plain HTTP downloads (CSV) and uploads beside the server functions: the gate they
//! share and the CSV document every export uses.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use crate::auth::Role;
use crate::auth::guard::{SessionUser, authorise};
use crate::error::AppError;

/// Lets `roles` through; a visitor is sent to sign in, anyone else gets 403.
pub fn gate(
    user: Option<&axum::Extension<SessionUser>>,
    roles: &[Role],
    back: &str,
) -> Result<SessionUser, Box<Response>> {
    authorise(user.map(|u| &u.0), roles).map_err(|e| {
        Box::new(match e {
            AppError::Unauthorized => Redirect::to(&format!(
                "/login?next={}",
                crate::components::urlencode(back)
            ))
            .into_response(),
            _ => StatusCode::FORBIDDEN.into_response(),
        })
    })
}

/// A CSV document in UTF-8 with a BOM, so spreadsheet programs read Chinese correctly.
pub fn csv_document<R, F>(header: &[&str], rows: R) -> Result<Vec<u8>, AppError>
where
    R: IntoIterator<Item = Vec<F>>,
    F: AsRef<[u8]>,
{
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut writer = csv::Writer::from_writer(&mut out);
        writer.write_record(header).map_err(AppError::internal)?;
        for row in rows {
            writer.write_record(row).map_err(AppError::internal)?;
        }
        writer.flush().map_err(AppError::internal)?;
    }
    Ok(out)
}

/// The response for a CSV download (or the error's status).
pub fn csv_response(file_name: &str, body: Result<Vec<u8>, AppError>) -> Response {
    match body {
        Ok(body) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{file_name}\""),
                ),
            ],
            body,
        )
            .into_response(),
        Err(e) => StatusCode::from_u16(e.status())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            .into_response(),
    }
}
