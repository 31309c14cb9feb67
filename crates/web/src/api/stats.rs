//! Statistics of crossings.

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use frontera_app::stats::StatsRequest;
use frontera_app::stats::stays::{Study, StudyRequest};
use frontera_app::transfer::Silent;
use frontera_app::{App, AppError};
use frontera_domain::{Lang, Rule, ValidationError};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::errors::{ApiError, ErrorBody};
use crate::extract::{Caller, Language, ValidQuery};

/// What a table of crossings asks for.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatsQuery {
    /// Comma-separated, any of `day, week, month, quarter, year, port, direction, nationality,
    /// category, sex, age_group`, at most one period (none: the grand total).
    pub by: Option<String>,
    /// The first local day counted, `YYYY-MM-DD`.
    pub from: Option<String>,
    /// The last local day counted, `YYYY-MM-DD`.
    pub to: Option<String>,
    /// The country counted (alpha-3; default: the caller's).
    pub country: Option<String>,
    /// Apply disclosure control (always applied to another country's table).
    pub public: Option<bool>,
    /// The smallest count disclosure control shows, 1–1000 (default 5).
    pub threshold: Option<u64>,
    /// `json` (default) or `csv`.
    pub format: Option<String>,
}

/// Crossings counted by any dimensions, on each port's local day, from the raw records. JSON:
/// `{"disclosure": "none"|"controlled", "dimensions": [...], "rows": [...]}`, rows
/// `{"key": [...], "count": N}` or, controlled, `{"key", "cell": {"shown": N}|"suppressed",
/// "primary"}` with totals keyed `_T`. CSV: one column per dimension and `count` (and `status`,
/// `suppressed` where withheld).
#[utoipa::path(get, path = "/api/v1/stats/crossings", tag = "stats", security(("bearer" = [])),
    params(StatsQuery),
    responses((status = 200, description = "The table, as JSON or CSV"), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn crossings(
    State(app): State<App>,
    Caller(actor): Caller,
    ValidQuery(q): ValidQuery<StatsQuery>,
) -> Result<Response, ApiError> {
    let format = q.format.as_deref().map(str::trim).filter(|f| !f.is_empty()).unwrap_or("json");
    if !matches!(format, "json" | "csv") {
        return Err(AppError::from(ValidationError::new(
            "format",
            Rule::OneOf { allowed: &["json", "csv"] },
        ))
        .into());
    }
    let request = StatsRequest {
        by: q.by,
        from: q.from,
        to: q.to,
        country: q.country,
        public: q.public.unwrap_or(false),
        threshold: q.threshold,
    };
    let table = app.crossing_stats(&actor, &request).await?;
    if format == "csv" {
        let mut body = Vec::new();
        table.write_csv(&mut body)?;
        return Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], body).into_response());
    }
    Ok(Json(table).into_response())
}

/// What a table of stays, overstays or migrants asks for.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StudyQuery {
    /// Comma-separated, any of `month, quarter, year, category, nationality, sex, age_group`, at
    /// most one period.
    pub by: Option<String>,
    /// The first local day covered, `YYYY-MM-DD`: of the exit (stays), of the end of the
    /// permitted stay (overstays), of the crossing (migrants).
    pub from: Option<String>,
    /// The last local day covered, `YYYY-MM-DD`.
    pub to: Option<String>,
    /// The last day the records are taken to cover, `YYYY-MM-DD` (default: today).
    pub as_of: Option<String>,
    /// The country whose travellers are studied (alpha-3; default: the caller's).
    pub country: Option<String>,
    /// Apply disclosure control (always applied to another country's table).
    pub public: Option<bool>,
    /// The smallest count disclosure control shows, 1–1000 (default 5).
    pub threshold: Option<u64>,
    /// Migrants: months of presence or absence that make a change of residence (default 12).
    pub present_months: Option<u32>,
    /// Migrants: the window they are counted in, in months (default 16).
    pub window_months: Option<u32>,
    /// `json` (default) or `csv`.
    pub format: Option<String>,
}

async fn study(
    app: App,
    actor: frontera_domain::access::Actor,
    which: Study,
    lang: Lang,
    q: StudyQuery,
) -> Result<Response, ApiError> {
    let format = q.format.as_deref().map(str::trim).filter(|f| !f.is_empty()).unwrap_or("json");
    if !matches!(format, "json" | "csv") {
        return Err(AppError::from(ValidationError::new(
            "format",
            Rule::OneOf { allowed: &["json", "csv"] },
        ))
        .into());
    }
    let request = StudyRequest {
        by: q.by,
        from: q.from,
        to: q.to,
        as_of: q.as_of,
        country: q.country,
        public: q.public.unwrap_or(false),
        threshold: q.threshold,
        present_months: q.present_months,
        window_months: q.window_months,
        lang: Some(if lang == Lang::Es { "es" } else { "en" }.to_string()),
    };
    let table = app.study(&actor, which, &request, &Silent).await?;
    if format == "csv" {
        let mut body = Vec::new();
        table.write_csv(&mut body)?;
        return Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], body).into_response());
    }
    Ok(Json(table).into_response())
}

/// Lengths of the stays that ended, from the raw records: each entry linked to the same
/// traveller's next exit from the country (by document, then by name, birth date, sex and
/// nationality where the document changed), by `length` in days. JSON: `{"study", "country",
/// "as_of", "disclosure", "dimensions", "rows", "definitions", "quality"}`; CSV as for crossings.
#[utoipa::path(get, path = "/api/v1/stats/stays", tag = "stats", security(("bearer" = [])),
    params(StudyQuery),
    responses((status = 200, description = "The table, as JSON or CSV"), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn stays(
    State(app): State<App>,
    Caller(actor): Caller,
    Language(lang): Language,
    ValidQuery(q): ValidQuery<StudyQuery>,
) -> Result<Response, ApiError> {
    study(app, actor, Study::Stays, lang, q).await
}

/// Expected departures by the month the permitted stay ended (only those already due), with
/// how they went: `on_time`, `late_exit`, `overstaying` (no exit, a suspected overstay),
/// `exit_not_recorded`; JSON adds `rates` per group, CSV is one line per group with
/// `expected` and `overstay_rate` = (late exits + overstaying) ÷ expected.
#[utoipa::path(get, path = "/api/v1/stats/overstays", tag = "stats", security(("bearer" = [])),
    params(StudyQuery),
    responses((status = 200, description = "The table, as JSON or CSV"), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn overstays(
    State(app): State<App>,
    Caller(actor): Caller,
    Language(lang): Language,
    ValidQuery(q): ValidQuery<StudyQuery>,
) -> Result<Response, ApiError> {
    study(app, actor, Study::Overstays, lang, q).await
}

/// Crossings classified by the 12/16-month rule (UN Recommendations on Statistics of
/// International Migration, 2021 revision): `flow` is `long_term_arrival`,
/// `long_term_departure`, `short_term_arrival`, `short_term_departure` or `local_mobility`
/// (regional-visitor and border-worker cards), `status` `final` or `provisional` (the window
/// has not closed). Each flow's definition comes with the table, in the caller's language.
#[utoipa::path(get, path = "/api/v1/stats/migrants", tag = "stats", security(("bearer" = [])),
    params(StudyQuery),
    responses((status = 200, description = "The table, as JSON or CSV"), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn migrants(
    State(app): State<App>,
    Caller(actor): Caller,
    Language(lang): Language,
    ValidQuery(q): ValidQuery<StudyQuery>,
) -> Result<Response, ApiError> {
    study(app, actor, Study::Migrants, lang, q).await
}
