//! Protection cases, consents and referrals.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use frontera_app::App;
use frontera_app::protection::overview::Overview;
use frontera_app::protection::{
    Case, CaseDraft, ConsentDraft, Referral, ReferralDraft, ReferralView, StoredConsent,
};
use frontera_domain::protection::Event;

use crate::errors::{ApiError, ErrorBody};
use crate::extract::{Caller, ValidJson};

/// Open a protection case from the screening form (border officers, supervisors, protection
/// officers): the person, at least one vulnerability profile, the risk. The case goes to the
/// opener's organisation (border staff: the country's protection pool).
#[utoipa::path(post, path = "/api/v1/cases", tag = "protection", security(("bearer" = [])),
    request_body = CaseDraft,
    responses((status = 201, description = "The case", body = Case), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn open(
    State(app): State<App>,
    Caller(actor): Caller,
    ValidJson(draft): ValidJson<CaseDraft>,
) -> Result<Response, ApiError> {
    Ok((StatusCode::CREATED, Json(app.open_case(&actor, &draft).await?)).into_response())
}

/// A case, for those who work it (audited; a refusal too).
#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "protection", security(("bearer" = [])),
    params(("id" = String, Path, description = "The case's id")),
    responses((status = 200, description = "The case", body = Case), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn case(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    Ok(Json(app.case(&actor, &id).await?).into_response())
}

/// Record a consent on a case: who gave it (a guardian for a child), the purpose, the
/// organisations or kinds of service that may receive the data, the data categories, when it
/// lapses.
#[utoipa::path(post, path = "/api/v1/cases/{id}/consents", tag = "protection", security(("bearer" = [])),
    params(("id" = String, Path, description = "The case's id")),
    request_body = ConsentDraft,
    responses((status = 201, description = "The consent", body = StoredConsent), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn consent(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ValidJson(draft): ValidJson<ConsentDraft>,
) -> Result<Response, ApiError> {
    Ok((StatusCode::CREATED, Json(app.add_consent(&actor, &id, &draft).await?)).into_response())
}

/// Withdraw a consent, at once: the referrals that rest on it and are not over are cancelled.
#[utoipa::path(post, path = "/api/v1/cases/{id}/consents/{consent}/withdrawal", tag = "protection",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The case's id"), ("consent" = String, Path, description = "The consent's id")),
    responses((status = 200, description = "The consent, withdrawn", body = StoredConsent), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn withdraw(
    State(app): State<App>,
    Caller(actor): Caller,
    Path((id, consent)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    Ok(Json(app.withdraw_consent(&actor, &id, &consent).await?).into_response())
}

/// Refer the person of a case to a service at a location (protection officers): the minimum
/// packet, under a covering consent, or with `override_reason` when it must go anyway. 409
/// when no consent covers it, saying why.
#[utoipa::path(post, path = "/api/v1/cases/{id}/referrals", tag = "protection", security(("bearer" = [])),
    params(("id" = String, Path, description = "The case's id")),
    request_body = ReferralDraft,
    responses((status = 201, description = "The referral", body = Referral), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn refer(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ValidJson(draft): ValidJson<ReferralDraft>,
) -> Result<Response, ApiError> {
    Ok((StatusCode::CREATED, Json(app.refer(&actor, &id, &draft).await?)).into_response())
}

/// The referrals the caller's organisation sent or received, newest first; the receiver's
/// without the case.
#[utoipa::path(get, path = "/api/v1/referrals", tag = "protection", security(("bearer" = [])),
    responses((status = 200, description = "The referrals", body = Vec<ReferralView>), (status = 401, body = ErrorBody)))]
pub async fn referrals(State(app): State<App>, Caller(actor): Caller) -> Result<Response, ApiError> {
    Ok(Json(app.referrals(&actor).await?).into_response())
}

/// A referral as the caller's side sees it (audited; a refusal too).
#[utoipa::path(get, path = "/api/v1/referrals/{id}", tag = "protection", security(("bearer" = [])),
    params(("id" = String, Path, description = "The referral's id")),
    responses((status = 200, description = "The referral", body = ReferralView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn referral(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    Ok(Json(app.referral(&actor, &id).await?).into_response())
}

/// Take a step on a referral: `{"event": "receive"|"accept"|"start"|"close"}`,
/// `{"event": "reject"|"fail"|"cancel", "reason": "…"}`, `{"event": "complete", "feedback":
/// "…"}` or `{"event": "follow_up", "note": "…"}`. The receiver receives, accepts, rejects,
/// starts, completes, fails; the sender cancels, follows up, closes. A step the state machine
/// refuses is a 409 saying why.
#[utoipa::path(post, path = "/api/v1/referrals/{id}/events", tag = "protection", security(("bearer" = [])),
    params(("id" = String, Path, description = "The referral's id")),
    request_body(content = String, content_type = "application/json", description = "The step"),
    responses((status = 200, description = "The referral after the step", body = ReferralView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn act(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ValidJson(event): ValidJson<Event>,
) -> Result<Response, ApiError> {
    Ok(Json(app.act_on_referral(&actor, &id, event).await?).into_response())
}

/// A note on a case.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct NoteBody {
    /// The note.
    pub text: String,
}

/// A case's new owner.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct OwnerBody {
    /// The user name of a protection officer of the case's organisation.
    pub owner: String,
}

/// Hand a case to another protection officer of its organisation (who is notified).
#[utoipa::path(post, path = "/api/v1/cases/{id}/owner", tag = "protection", security(("bearer" = [])),
    params(("id" = String, Path, description = "The case's id")),
    request_body = OwnerBody,
    responses((status = 200, description = "The case", body = Case), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn owner(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ValidJson(body): ValidJson<OwnerBody>,
) -> Result<Response, ApiError> {
    Ok(Json(app.reassign_case(&actor, &id, &body.owner).await?).into_response())
}

/// Add a note to a case.
#[utoipa::path(post, path = "/api/v1/cases/{id}/notes", tag = "protection", security(("bearer" = [])),
    params(("id" = String, Path, description = "The case's id")),
    request_body = NoteBody,
    responses((status = 200, description = "The case", body = Case), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn note(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ValidJson(body): ValidJson<NoteBody>,
) -> Result<Response, ApiError> {
    Ok(Json(app.add_case_note(&actor, &id, &body.text).await?).into_response())
}

/// Move a case to its next step (identification, assessment, case plan, implementation,
/// follow-up, closure). The case plan and the closure wait for a second person's approval.
#[utoipa::path(post, path = "/api/v1/cases/{id}/step", tag = "protection", security(("bearer" = [])),
    params(("id" = String, Path, description = "The case's id")),
    responses((status = 200, description = "The case", body = Case), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn step(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    Ok(Json(app.advance_case(&actor, &id).await?).into_response())
}

/// Approve the step pending on a case (not by who asked for it).
#[utoipa::path(post, path = "/api/v1/cases/{id}/step/approval", tag = "protection", security(("bearer" = [])),
    params(("id" = String, Path, description = "The case's id")),
    responses((status = 200, description = "The case", body = Case), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn approve(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    Ok(Json(app.approve_case_step(&actor, &id).await?).into_response())
}

/// What the protection overview asks for.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OverviewQuery {
    /// The country (alpha-3; default: the caller's).
    pub country: Option<String>,
    /// Apply disclosure control (always for the binational group).
    pub public: Option<bool>,
}

/// The state of a country's protection work, as counts: open cases by profile and risk,
/// referrals by state and receiving organisation, overdue answers, median hours to acceptance
/// and to completion. Protection officers of the country; the binational group under
/// disclosure control.
#[utoipa::path(get, path = "/api/v1/protection/overview", tag = "protection", security(("bearer" = [])),
    params(OverviewQuery),
    responses((status = 200, description = "The overview", body = Overview), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
pub async fn overview(
    State(app): State<App>,
    Caller(actor): Caller,
    crate::extract::ValidQuery(q): crate::extract::ValidQuery<OverviewQuery>,
) -> Result<Response, ApiError> {
    Ok(Json(app.protection_overview(&actor, q.country.as_deref(), q.public.unwrap_or(false)).await?)
        .into_response())
}

/// A task on a case.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct TaskBody {
    /// What to do.
    pub text: String,
    /// By when, `YYYY-MM-DD` (today or later).
    pub due: String,
}

/// Set a task on a case.
#[utoipa::path(post, path = "/api/v1/cases/{id}/tasks", tag = "protection", security(("bearer" = [])),
    params(("id" = String, Path, description = "The case's id")),
    request_body = TaskBody,
    responses((status = 200, description = "The case", body = Case), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn task(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ValidJson(body): ValidJson<TaskBody>,
) -> Result<Response, ApiError> {
    Ok(Json(app.add_case_task(&actor, &id, &body.text, &body.due).await?).into_response())
}

/// Mark a case's task done.
#[utoipa::path(post, path = "/api/v1/cases/{id}/tasks/{number}/done", tag = "protection", security(("bearer" = [])),
    params(("id" = String, Path, description = "The case's id"), ("number" = u32, Path, description = "The task's number")),
    responses((status = 200, description = "The case", body = Case), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn task_done(
    State(app): State<App>,
    Caller(actor): Caller,
    Path((id, number)): Path<(String, u32)>,
) -> Result<Response, ApiError> {
    Ok(Json(app.complete_case_task(&actor, &id, number).await?).into_response())
}
