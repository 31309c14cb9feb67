//! Statistics of crossings.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use frontera_app::stats::stays::{Study, StudyRequest};
use frontera_app::stats::{StatsRequest, TableFormat};
use frontera_app::transfer::Silent;
use frontera_app::{App, AppError};
use frontera_domain::Lang;
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
    /// `json` (default), `csv`, `sdmx-csv` (needs a period in `by`), `hxl` or `xlsx`.
    pub format: Option<String>,
}

/// Crossings counted by any dimensions, on each port's local day, from the raw records. JSON:
/// `{"disclosure": "none"|"controlled", "dimensions": [...], "rows": [...]}`, rows
/// `{"key": [...], "count": N}` or, controlled, `{"key", "cell": {"shown": N}|"suppressed",
/// "primary"}` with totals keyed `_T`. CSV: one column per dimension and `count` (and `status`,
/// `suppressed` where withheld).
#[utoipa::path(get, path = "/api/v1/stats/crossings", tag = "stats", security(("bearer" = [])),
    params(StatsQuery),
    responses((status = 200, description = "The table, as JSON or CSV", content((frontera_app::stats::CrossingTable = "application/json"), (String = "text/csv"))), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn crossings(
    State(app): State<App>,
    Caller(actor): Caller,
    Language(lang): Language,
    ValidQuery(q): ValidQuery<StatsQuery>,
) -> Result<Response, ApiError> {
    let format = TableFormat::parse(q.format.as_deref(), TableFormat::Json).map_err(AppError::from)?;
    let request = StatsRequest {
        by: q.by,
        from: q.from,
        to: q.to,
        country: q.country,
        public: q.public.unwrap_or(false),
        threshold: q.threshold,
    };
    let table = app.crossing_stats(&actor, &request).await?;
    file(format, "crossings", table.render(format, lang)?)
}

/// A rendered table as a response: its media type, and a workbook as an attachment.
pub(crate) fn file(format: TableFormat, name: &str, body: Vec<u8>) -> Result<Response, ApiError> {
    let mut response = ([(header::CONTENT_TYPE, format.content_type())], body).into_response();
    if format == TableFormat::Xlsx {
        let disposition = format!("attachment; filename=\"{name}.{}\"", format.extension());
        if let Ok(value) = header::HeaderValue::from_str(&disposition) {
            response.headers_mut().insert(header::CONTENT_DISPOSITION, value);
        }
    }
    Ok(response)
}

/// The SDMX-ML 2.1 structure message of the tables of crossings: the data structure
/// definition `FRONTERA:DSD_CROSSINGS(1.0)` that SDMX-CSV exports name through the dataflow
/// `FRONTERA:DF_CROSSINGS(1.0)`, its concepts and code lists (this node's ports among them).
#[utoipa::path(get, path = "/api/v1/stats/sdmx/structure", tag = "stats",
    responses((status = 200, description = "SDMX-ML 2.1 structure message", body = String, content_type = "application/xml")))]
pub async fn sdmx_structure(State(app): State<App>) -> Response {
    let xml = app.sdmx_structure();
    ([(header::CONTENT_TYPE, "application/vnd.sdmx.structure+xml; version=2.1; charset=utf-8")], xml)
        .into_response()
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
    /// `json` (default), `csv`, `hxl` or `xlsx`.
    pub format: Option<String>,
}

async fn study(
    app: App,
    actor: frontera_domain::access::Actor,
    which: Study,
    lang: Lang,
    q: StudyQuery,
) -> Result<Response, ApiError> {
    let format = TableFormat::parse(q.format.as_deref(), TableFormat::Json).map_err(AppError::from)?;
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
    file(format, which.as_str(), table.render(format, lang)?)
}

/// Lengths of the stays that ended, from the raw records: each entry linked to the same
/// traveller's next exit from the country (by document, then by name, birth date, sex and
/// nationality where the document changed), by `length` in days. JSON: `{"study", "country",
/// "as_of", "disclosure", "dimensions", "rows", "definitions", "quality"}`; CSV as for crossings.
#[utoipa::path(get, path = "/api/v1/stats/stays", tag = "stats", security(("bearer" = [])),
    params(StudyQuery),
    responses((status = 200, description = "The table, as JSON or CSV", content((frontera_app::stats::stays::StudyTable = "application/json"), (String = "text/csv"))), (status = 401, body = ErrorBody),
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
    responses((status = 200, description = "The table, as JSON or CSV", content((frontera_app::stats::stays::StudyTable = "application/json"), (String = "text/csv"))), (status = 401, body = ErrorBody),
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
    responses((status = 200, description = "The table, as JSON or CSV", content((frontera_app::stats::stays::StudyTable = "application/json"), (String = "text/csv"))), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn migrants(
    State(app): State<App>,
    Caller(actor): Caller,
    Language(lang): Language,
    ValidQuery(q): ValidQuery<StudyQuery>,
) -> Result<Response, ApiError> {
    study(app, actor, Study::Migrants, lang, q).await
}

/// Border workers by commuting pattern, from their linked crossings: `daily` (in and out within
/// two days, four round trips a month or more), `weekly` (stays of three to eight days, twice a
/// month or more), `seasonal` (a stay of four weeks or more), `occasional`. Each worker once per
/// period of `by` (once over the span without one). Definitions come with the table.
#[utoipa::path(get, path = "/api/v1/stats/commuting", tag = "stats", security(("bearer" = [])),
    params(StudyQuery),
    responses((status = 200, description = "The table, as JSON or CSV", content((frontera_app::stats::stays::StudyTable = "application/json"), (String = "text/csv"))), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn commuting(
    State(app): State<App>,
    Caller(actor): Caller,
    Language(lang): Language,
    ValidQuery(q): ValidQuery<StudyQuery>,
) -> Result<Response, ApiError> {
    study(app, actor, Study::Commuting, lang, q).await
}

/// Circularity: border workers by the round trips each made in each month (`trips`: `1`,
/// `2-3`, `4-9`, `10-19`, `20+`), a worker once a month.
#[utoipa::path(get, path = "/api/v1/stats/circularity", tag = "stats", security(("bearer" = [])),
    params(StudyQuery),
    responses((status = 200, description = "The table, as JSON or CSV", content((frontera_app::stats::stays::StudyTable = "application/json"), (String = "text/csv"))), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn circularity(
    State(app): State<App>,
    Caller(actor): Caller,
    Language(lang): Language,
    ValidQuery(q): ValidQuery<StudyQuery>,
) -> Result<Response, ApiError> {
    study(app, actor, Study::Circularity, lang, q).await
}
