//! The roster file upload: a plain multipart form post, so it works without
//! JavaScript. The file is kept for preview; people change only on confirmation.

use axum::Extension;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::auth::Role;
use crate::auth::guard::SessionUser;
use crate::state::AppState;

/// Largest roster accepted: a county office's roster is a few hundred KB at most.
pub const MAX_BYTES: usize = 2 * 1024 * 1024;

pub async fn upload_roster(
    State(state): State<AppState>,
    user: Option<Extension<SessionUser>>,
    mut multipart: Multipart,
) -> Response {
    let me = match crate::download::gate(user.as_ref(), &[Role::Admin], "/admin/roster") {
        Ok(me) => me,
        Err(response) => return *response,
    };
    let (name, text) = match read_file(&mut multipart, MAX_BYTES, "roster.csv").await {
        Ok(file) => file,
        Err(problem) => {
            return Redirect::to(&format!("/admin/roster?error={problem}")).into_response();
        }
    };
    match crate::org::service::store_upload(&state.db, &me, "roster", &name, text).await {
        Ok(id) => Redirect::to(&format!("/admin/roster/{id}")).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// Reads the form's `file` field as text: its name and decoded content, or why not
/// (`too_large`, `unreadable`, `no_file`, shown by the upload page).
pub async fn read_file(
    multipart: &mut Multipart,
    max_bytes: usize,
    default_name: &str,
) -> Result<(String, String), &'static str> {
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => {
                let name = field.file_name().unwrap_or(default_name).to_owned();
                match field.bytes().await {
                    Ok(bytes) if bytes.len() <= max_bytes => file = Some((name, bytes.to_vec())),
                    _ => return Err("too_large"),
                }
            }
            Ok(Some(_)) => continue,
            Ok(None) => break,
            Err(_) => return Err("unreadable"),
        }
    }
    let (name, bytes) = file.filter(|(_, b)| !b.is_empty()).ok_or("no_file")?;
    Ok((name, decode(&bytes)))
}

/// UTF-8 (with or without BOM) as is; anything else is read as GB18030, which is how
/// spreadsheet programs on Chinese Windows save CSV.
pub fn decode(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_and_gbk() {
        assert_eq!(decode("工号,姓名".as_bytes()), "工号,姓名");
        let (gbk, _, _) = encoding_rs::GBK.encode("工号,姓名");
        assert_eq!(decode(&gbk), "工号,姓名");
    }
}
