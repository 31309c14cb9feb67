//! Every error the API returns, mapped from the use cases' one error enum in this one place:
//! 422 for bad input (naming the field and the rule), 401 without a valid token, 403 outside the
//! caller's scope, 404, 409 for a conflicting duplicate, 500 with an opaque message otherwise.
//!
//! Messages come in English and Spanish; [`localize`] picks the one the request's
//! `Accept-Language` asks for.

use axum::Json;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use frontera_app::AppError;
use frontera_domain::{Lang, ValidationError};
use serde::Serialize;
use utoipa::ToSchema;

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// A stable code: `required`, `unknown_port`, `check_digit`, … for bad input;
    /// `unauthenticated`, `forbidden`, `not_found`, `conflict`, `internal` otherwise.
    pub code: String,
    /// What is wrong, in words, in the language of `Accept-Language` (English or Spanish).
    pub message: String,
    /// The input field at fault, as a path (`person.birth_date`), for bad input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// The error of a handler.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: String,
    field: Option<String>,
    en: String,
    es: String,
}

/// Both languages' bodies, carried on the response for [`localize`] to choose from.
#[derive(Debug, Clone)]
struct Localized {
    detail: ErrorDetail,
    es: String,
}

impl ApiError {
    fn new(status: StatusCode, code: &str, en: String, es: String) -> ApiError {
        ApiError { status, code: code.into(), field: None, en, es }
    }

    /// A 422 for a field that broke a rule.
    pub fn invalid(e: ValidationError) -> ApiError {
        let (en, es) = (
            format!("{}: {}", e.field, e.message(Lang::En)),
            format!("{}: {}", e.field, e.message(Lang::Es)),
        );
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: e.rule.code().into(),
            field: Some(e.field),
            en,
            es,
        }
    }

    /// A 422 for a body or query that is not the expected JSON or form at all.
    pub fn malformed(field: Option<String>, reason: String) -> ApiError {
        let at = field.as_deref().map(|f| format!("{f}: ")).unwrap_or_default();
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "syntax".into(),
            en: format!("{at}{reason}"),
            es: format!("{at}entrada no válida: {reason}"),
            field,
        }
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        let (status, code) = match &e {
            AppError::Invalid(v) => return ApiError::invalid(v.clone()),
            AppError::Internal(detail) => {
                // The caller learns only that it failed; the log keeps why.
                tracing::error!(error = %detail, "internal error");
                return ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "something went wrong on this node; the error was logged".into(),
                    "algo falló en este nodo; el error quedó registrado".into(),
                );
            }
            AppError::Unauthenticated(_) => (StatusCode::UNAUTHORIZED, "unauthenticated"),
            AppError::BadCredentials => (StatusCode::UNAUTHORIZED, "bad_credentials"),
            AppError::LockedOut { .. } => (StatusCode::TOO_MANY_REQUESTS, "locked_out"),
            AppError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            AppError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            AppError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            AppError::Refused { .. } => (StatusCode::CONFLICT, "refused"),
        };
        ApiError::new(status, code, e.message(Lang::En), e.message(Lang::Es))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let detail = ErrorDetail { code: self.code, message: self.en, field: self.field };
        let mut response = (self.status, Json(ErrorBody { error: detail.clone() })).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
        }
        response.extensions_mut().insert(Localized { detail, es: self.es });
        response
    }
}

/// Re-renders error bodies in Spanish when the request asks for it.
pub async fn localize(request: Request, next: Next) -> Response {
    let lang = crate::language::lang_of(request.headers());
    let mut response = next.run(request).await;
    if lang == Lang::Es
        && let Some(localized) = response.extensions_mut().remove::<Localized>()
    {
        let detail = ErrorDetail { message: localized.es, ..localized.detail };
        let body = serde_json::to_vec(&ErrorBody { error: detail }).unwrap_or_default();
        *response.body_mut() = Body::from(body);
        response.headers_mut().remove(header::CONTENT_LENGTH);
        response.headers_mut().insert(header::CONTENT_LANGUAGE, header::HeaderValue::from_static("es"));
    }
    response
}
