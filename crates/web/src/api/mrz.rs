//! Parsing a machine-readable zone without recording anything.

use axum::Json;
use frontera_domain::mrz::{self, Mrz};
use frontera_domain::{Rule, ValidationError};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::errors::{ApiError, ErrorBody};
use crate::extract::{Caller, ValidJson};

/// The MRZ as read.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MrzRequest {
    /// The lines (or one text with line breaks).
    pub lines: Vec<String>,
}

/// Parse an MRZ and verify its check digits. A zone whose checks fail is a 200 with
/// `valid: false` and the failed checks named; text that is not an MRZ is a 422.
#[utoipa::path(post, path = "/api/v1/mrz/parse", tag = "crossings", security(("bearer" = [])),
    request_body = MrzRequest,
    responses((status = 200, body = Mrz), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn parse(Caller(_): Caller, ValidJson(body): ValidJson<MrzRequest>) -> Result<Json<Mrz>, ApiError> {
    let lines: Vec<&str> = body.lines.iter().map(String::as_str).collect();
    mrz::parse(&lines)
        .map(Json)
        .map_err(|e| ApiError::invalid(ValidationError::new("lines", Rule::NotAnMrz { reason: e })))
}
