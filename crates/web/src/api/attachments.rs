//! Files attached to a protection case.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use frontera_app::App;
use frontera_app::attachments::Attachment;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::errors::{ApiError, ErrorBody};
use crate::extract::{Caller, ValidQuery};

/// An attachment, without its content.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttachmentBody {
    /// Its id.
    pub id: String,
    /// The file's name.
    pub name: String,
    /// What the node found it to be: `application/pdf`, `image/png`, `image/jpeg` or
    /// `text/plain; charset=utf-8`.
    pub media_type: String,
    /// Its size in bytes.
    pub size: u64,
    /// The SHA-256 of its content, in hex.
    pub sha256: String,
    /// Who attached it.
    pub added_by: String,
    /// When (RFC 3339).
    pub added_at: String,
}

impl From<Attachment> for AttachmentBody {
    fn from(a: Attachment) -> Self {
        AttachmentBody {
            id: a.id,
            name: a.name,
            media_type: a.media_type,
            size: a.size,
            sha256: a.sha256,
            added_by: a.added_by,
            added_at: a.added_at.to_rfc3339(),
        }
    }
}

/// The file's name.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AttachParams {
    /// The file's name, as it will be shown and downloaded (required).
    pub name: Option<String>,
}

/// A request body larger than the limit: a fault of the file, named.
fn body_of(body: Result<Bytes, BytesRejection>) -> Result<Bytes, ApiError> {
    body.map_err(|_| ApiError::invalid(frontera_app::attachments::too_large()))
}

/// Attach a file to a case the caller works: the file is the request's body, its name in
/// `?name=`. PDF, PNG, JPEG or plain text, at most 10 MiB; the node decides what a file is
/// from its bytes, and refuses one that is not what its `Content-Type` says.
#[utoipa::path(post, path = "/api/v1/cases/{id}/attachments", tag = "protection", security(("bearer" = [])),
    params(("id" = String, Path, description = "The case's id"), AttachParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file"),
    responses((status = 201, body = AttachmentBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn attach(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ValidQuery(params): ValidQuery<AttachParams>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body = body_of(body)?;
    let claimed = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let attachment =
        app.attach(&actor, &id, params.name.as_deref().unwrap_or_default(), claimed, &body).await?;
    Ok((StatusCode::CREATED, Json(AttachmentBody::from(attachment))).into_response())
}

/// A case's attachments, for those who work it.
#[utoipa::path(get, path = "/api/v1/cases/{id}/attachments", tag = "protection", security(("bearer" = [])),
    params(("id" = String, Path, description = "The case's id")),
    responses((status = 200, body = Vec<AttachmentBody>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let files = app.case_attachments(&actor, &id).await?;
    Ok(Json(files.into_iter().map(AttachmentBody::from).collect::<Vec<_>>()).into_response())
}

/// A download of an attachment: its bytes, never shown in the page (`attachment`
/// disposition, no sniffing, no caching).
pub fn download(attachment: &Attachment, content: Vec<u8>) -> Response {
    let ascii: String = attachment
        .name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || ".-_ ".contains(c) { c } else { '_' })
        .collect();
    let encoded: String = attachment
        .name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b".-_".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
    let mut response = content.into_response();
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&attachment.media_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// An attachment's content, for those who work its case (the read is audited).
#[utoipa::path(get, path = "/api/v1/cases/{id}/attachments/{attachment}", tag = "protection", security(("bearer" = [])),
    params(("id" = String, Path, description = "The case's id"), ("attachment" = String, Path, description = "The attachment's id")),
    responses((status = 200, description = "The file", body = Vec<u8>, content_type = "application/octet-stream"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(app): State<App>,
    Caller(actor): Caller,
    Path((id, attachment)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let (attachment, content) = app.read_attachment(&actor, &id, &attachment).await?;
    Ok(download(&attachment, content))
}
