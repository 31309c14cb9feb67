//! The exchange between the two countries' hubs: the other hub hands over referrals and the
//! steps its side takes on them, with the token of its `peer` account.

use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use frontera_app::App;
use frontera_app::exchange::StepMessage;
use frontera_app::protection::Referral;

use crate::errors::{ApiError, ErrorBody};
use crate::extract::{Caller, ValidJson};

/// What the receiving hub took: the referral, and the step's number for a step.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Taken {
    /// The referral's id.
    pub referral: String,
    /// The step's number in the referral's lifecycle, for a step.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<usize>,
}

/// Hand over a referral to a receiving organisation of this country (the other country's hub
/// only): the referral as the receiver may see it, without its case. Handing it over again
/// changes nothing.
#[utoipa::path(post, path = "/api/v1/exchange/referrals", tag = "exchange", security(("bearer" = [])),
    request_body(content = String, content_type = "application/json", description = "The referral"),
    responses((status = 200, description = "Taken", body = Taken), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn referral(
    State(app): State<App>,
    Caller(actor): Caller,
    ValidJson(referral): ValidJson<Referral>,
) -> Result<Response, ApiError> {
    let id = referral.id.clone();
    app.receive_referral(&actor, referral).await?;
    Ok(Json(Taken { referral: id, step: None }).into_response())
}

/// A step the other hub's side took on a referral that crosses: `{"number", "event", "at"}`,
/// `number` its place in the lifecycle. A step already taken changes nothing; one ahead of
/// its turn is a 409 `conflict` (sent again later); one the lifecycle refuses a 409 `refused`.
#[utoipa::path(post, path = "/api/v1/exchange/referrals/{id}/steps", tag = "exchange", security(("bearer" = [])),
    params(("id" = String, Path, description = "The referral's id")),
    request_body(content = String, content_type = "application/json", description = "The step"),
    responses((status = 200, description = "Taken", body = Taken), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn step(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ValidJson(step): ValidJson<StepMessage>,
) -> Result<Response, ApiError> {
    let number = step.number;
    app.receive_step(&actor, &id, step).await?;
    Ok(Json(Taken { referral: id, step: Some(number) }).into_response())
}
