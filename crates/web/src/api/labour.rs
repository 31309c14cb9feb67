//! The labour registry: employers, workers and permits (the country's registrar), and the
//! counter's permit check (border staff).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use frontera_app::App;
use frontera_app::labour::{
    CheckQuery as CheckFilter, CounterCheck, EmployerDraft, PermitDraft, WorkerDraft,
};
use frontera_domain::labour::PermitEvent;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::errors::{ApiError, ErrorBody};
use crate::extract::{Caller, ValidJson, ValidQuery};

/// Register an employer in the caller's country (registrars and administrators).
#[utoipa::path(post, path = "/api/v1/labour/employers", tag = "labour", security(("bearer" = [])),
    request_body = EmployerDraft,
    responses((status = 201, description = "The employer"), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn employer(
    State(app): State<App>,
    Caller(actor): Caller,
    ValidJson(draft): ValidJson<EmployerDraft>,
) -> Result<Response, ApiError> {
    Ok((StatusCode::CREATED, Json(app.register_employer(&actor, &draft).await?)).into_response())
}

/// Register a worker in the caller's country (registrars and administrators).
#[utoipa::path(post, path = "/api/v1/labour/workers", tag = "labour", security(("bearer" = [])),
    request_body = WorkerDraft,
    responses((status = 201, description = "The worker"), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn worker(
    State(app): State<App>,
    Caller(actor): Caller,
    ValidJson(draft): ValidJson<WorkerDraft>,
) -> Result<Response, ApiError> {
    Ok((StatusCode::CREATED, Json(app.register_worker(&actor, &draft).await?)).into_response())
}

/// A search of workers.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WorkerSearch {
    /// Part of a name, a birth date or a document number (without accents or case).
    pub q: Option<String>,
}

/// The workers of the caller's registry matching `q` (audited).
#[utoipa::path(get, path = "/api/v1/labour/workers", tag = "labour", security(("bearer" = [])),
    params(WorkerSearch),
    responses((status = 200, description = "The workers"), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
pub async fn workers(
    State(app): State<App>,
    Caller(actor): Caller,
    ValidQuery(q): ValidQuery<WorkerSearch>,
) -> Result<Response, ApiError> {
    Ok(Json(app.search_workers(&actor, q.q.as_deref().unwrap_or_default()).await?).into_response())
}

/// A worker's file: their permits, the employers these name, their crossings and the
/// counter's checks (audited).
#[utoipa::path(get, path = "/api/v1/labour/workers/{id}", tag = "labour", security(("bearer" = [])),
    params(("id" = String, Path, description = "The worker's id")),
    responses((status = 200, description = "The worker and their permits"), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn worker_file(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    Ok(Json(app.worker_file(&actor, &id).await?).into_response())
}

/// Apply for a permit for a worker of the registry, with its employers.
#[utoipa::path(post, path = "/api/v1/labour/permits", tag = "labour", security(("bearer" = [])),
    request_body = PermitDraft,
    responses((status = 201, description = "The permit, applied for"), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn permit(
    State(app): State<App>,
    Caller(actor): Caller,
    ValidJson(draft): ValidJson<PermitDraft>,
) -> Result<Response, ApiError> {
    Ok((StatusCode::CREATED, Json(app.apply_permit(&actor, &draft).await?)).into_response())
}

/// Change a permit: `{"event": "issue", "valid_from", "valid_until"}`, `{"event": "refuse" |
/// "revoke", "reason"}`, `{"event": "renew", "valid_until"}` or `{"event": "expire"}`. A change
/// its lifecycle refuses is a 409 `refused` saying why.
#[utoipa::path(post, path = "/api/v1/labour/permits/{id}/events", tag = "labour", security(("bearer" = [])),
    params(("id" = String, Path, description = "The permit's id")),
    request_body(content = String, content_type = "application/json", description = "The change"),
    responses((status = 200, description = "The permit after the change"), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn permit_event(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ValidJson(event): ValidJson<PermitEvent>,
) -> Result<Response, ApiError> {
    Ok(Json(app.change_permit(&actor, &id, event).await?).into_response())
}

/// What the counter's check asks.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CheckQuery {
    /// The travel document's number.
    pub document: String,
    /// The port of the crossing (its time zone decides the day; default: the caller's).
    pub port: Option<String>,
    /// The subdivision of destination (ISO 3166-2), when known.
    pub destination: Option<String>,
    /// Days before a last day to warn (default: the node's `permit_warning_days`, 30).
    pub warn_days: Option<u32>,
}

/// The status of a border worker's permits in the caller's country, for a crossing now: valid,
/// expiring, not valid at the destination, expired, revoked or none (border staff; audited).
#[utoipa::path(get, path = "/api/v1/labour/check", tag = "labour", security(("bearer" = [])),
    params(CheckQuery),
    responses((status = 200, description = "The status"), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn check(
    State(app): State<App>,
    Caller(actor): Caller,
    ValidQuery(q): ValidQuery<CheckQuery>,
) -> Result<Response, ApiError> {
    let port = match q.port.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => Some(app.ports.resolve(p, "port").map_err(ApiError::invalid)?),
        None => actor.scope.port.as_ref().and_then(|p| app.ports.get(p)),
    };
    let zone = port.map_or(chrono_tz::UTC, |p| p.time_zone);
    let country = port.map_or(actor.scope.country, |p| p.country);
    let destination = match q.destination.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => Some(
            frontera_domain::labour::parse_region(d)
                .map_err(|r| ApiError::invalid(frontera_domain::ValidationError::new("destination", r)))?,
        ),
        None => port.and_then(|p| p.region.as_deref()),
    };
    let warn_days = q.warn_days.unwrap_or(app.permit_warning_days);
    let status =
        app.check_worker(&actor, country, &q.document, app.now(), zone, destination, warn_days).await?;
    Ok(Json(status).into_response())
}

/// The officer's decision on a border worker whose permits were not in order.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct DecisionBody {
    /// `admit` or `refuse`.
    pub decision: Option<String>,
    /// Why (required).
    pub reason: Option<String>,
}

/// Admit or refuse a border worker whose crossing's permit check found no permit in force at
/// the destination; the decision is kept with the check, once (the post's officers and
/// supervisors; audited).
#[utoipa::path(post, path = "/api/v1/crossings/{id}/permit-decision", tag = "labour", security(("bearer" = [])),
    params(("id" = String, Path, description = "The crossing's UUID")),
    request_body = DecisionBody,
    responses((status = 200, body = CounterCheck), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn decide(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ValidJson(body): ValidJson<DecisionBody>,
) -> Result<Response, ApiError> {
    let id = frontera_domain::CrossingId(super::uuid_param(&id, "id")?);
    let decision = body.decision.unwrap_or_default();
    let reason = body.reason.unwrap_or_default();
    Ok(Json(app.decide_permit(&actor, id, &decision, &reason).await?).into_response())
}

/// The counter's permit checks of the caller's country, newest first (registrars; supervisors
/// see their post's; audited).
#[utoipa::path(get, path = "/api/v1/labour/checks", tag = "labour", security(("bearer" = [])),
    params(CheckFilter),
    responses((status = 200, body = Vec<CounterCheck>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn checks(
    State(app): State<App>,
    Caller(actor): Caller,
    ValidQuery(q): ValidQuery<CheckFilter>,
) -> Result<Response, ApiError> {
    Ok(Json(app.permit_checks(&actor, &q).await?).into_response())
}
