//! The caller's notifications.

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use frontera_app::App;
use frontera_app::notices::Notice;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::errors::{ApiError, ErrorBody};
use crate::extract::{Caller, Language, ValidJson, ValidQuery};
use crate::ui::i18n::Tr;
use crate::ui::notices::notice_text;

/// Which notifications to list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NoticesQuery {
    /// Only the unread ones.
    #[serde(default)]
    pub unread: bool,
}

/// A notification with its message.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoticeBody {
    /// Its number.
    pub id: i64,
    /// What happened: `case.opened`, `case.approval`, `case.approved`, `referral.request`,
    /// `referral.<step>` or `referral.overdue`.
    pub kind: String,
    /// `case` or `referral`.
    pub subject_kind: String,
    /// The subject's id (read it at `/api/v1/cases/{id}` or `/api/v1/referrals/{id}`).
    pub subject_id: String,
    /// What the message says besides (profiles and risk, a step, a priority, organisations).
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
    /// The message, in the language `Accept-Language` asks for.
    pub text: String,
    /// When (RFC 3339).
    pub created_at: String,
    /// When it was marked read.
    pub read_at: Option<String>,
}

/// The caller's notifications, newest first (at most 200), and how many are unread.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoticesBody {
    /// How many are unread.
    pub unread: u64,
    /// The notifications.
    pub notifications: Vec<NoticeBody>,
}

fn body(tr: Tr, n: &Notice) -> NoticeBody {
    NoticeBody {
        id: n.id,
        kind: n.kind.clone(),
        subject_kind: n.subject_kind.clone(),
        subject_id: n.subject_id.clone(),
        detail: n.detail.clone(),
        text: notice_text(tr, n),
        created_at: n.created_at.to_rfc3339(),
        read_at: n.read_at.map(|t| t.to_rfc3339()),
    }
}

/// The caller's notifications: a case opened in their scope, a step waiting for their
/// approval, each step of a referral they sent or received, an overdue answer. None names the
/// person; the subject is read under the access policy.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications", security(("bearer" = [])),
    params(NoticesQuery),
    responses((status = 200, body = NoticesBody), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(app): State<App>,
    Caller(actor): Caller,
    Language(lang): Language,
    ValidQuery(q): ValidQuery<NoticesQuery>,
) -> Result<Response, ApiError> {
    let tr = Tr::new(lang);
    let notices = app.notifications(&actor, q.unread).await?;
    let unread = app.unread_notifications(&actor).await?;
    Ok(Json(NoticesBody { unread, notifications: notices.iter().map(|n| body(tr, n)).collect() })
        .into_response())
}

/// Which notifications to mark read.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadRequest {
    /// Their numbers; none or absent: all of them.
    #[serde(default)]
    pub ids: Vec<i64>,
}

/// How many were marked read.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReadBody {
    /// Notifications that were unread and now are read.
    pub marked: u64,
}

/// Mark the caller's notifications read: those numbered, or all of them.
#[utoipa::path(post, path = "/api/v1/notifications/read", tag = "notifications", security(("bearer" = [])),
    request_body = ReadRequest,
    responses((status = 200, body = ReadBody), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn read(
    State(app): State<App>,
    Caller(actor): Caller,
    ValidJson(request): ValidJson<ReadRequest>,
) -> Result<Response, ApiError> {
    let marked = app.mark_notifications_read(&actor, &request.ids).await?;
    Ok(Json(ReadBody { marked }).into_response())
}
