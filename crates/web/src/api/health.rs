//! Liveness, the OpenAPI document, and who the caller is.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use frontera_app::App;
use frontera_domain::access::{Role, Scope};
use serde::Serialize;
use utoipa::ToSchema;

use crate::errors::{ApiError, ErrorBody};
use crate::extract::Caller;

/// The node's health.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok` when the store answers.
    pub status: &'static str,
    /// `sqlite` or `postgres`.
    pub engine: &'static str,
    /// This node's id.
    pub node_id: String,
}

/// Is the node up and its store reachable?
#[utoipa::path(get, path = "/healthz", tag = "node",
    responses((status = 200, body = Health), (status = 503, body = ErrorBody)))]
pub async fn healthz(State(app): State<App>) -> Result<Json<Health>, (StatusCode, Json<Health>)> {
    let health = |status| Health { status, engine: app.engine(), node_id: app.node_id.clone() };
    match app.reachable().await {
        Ok(_) => Ok(Json(health("ok"))),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            Err((StatusCode::SERVICE_UNAVAILABLE, Json(health("unavailable"))))
        }
    }
}

/// The caller as the node knows them.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    /// User name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Scope.
    pub scope: Scope,
}

/// Who am I?
#[utoipa::path(get, path = "/api/v1/me", tag = "node", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
pub async fn me(Caller(actor): Caller) -> Result<Json<Me>, ApiError> {
    Ok(Json(Me { name: actor.name, role: actor.role, scope: actor.scope }))
}
