//! The OpenAPI document of the API.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// The API's document.
#[derive(OpenApi)]
#[openapi(
    info(title = "Frontera node API", version = "1",
        description = "Record and search border crossings at a Frontera node, screen travellers against alert lists, refer people in need of protection, and draw statistics. Errors are JSON \
            `{\"error\": {\"code\", \"message\", \"field\"}}`; messages follow `Accept-Language` (en, es)."),
    paths(
        crate::api::health::healthz,
        crate::api::health::me,
        crate::api::ports::list,
        crate::api::mrz::parse,
        crate::api::crossings::record,
        crate::api::crossings::search,
        crate::api::crossings::get,
        crate::api::persons::find,
        crate::api::persons::crossings,
        crate::api::persons::search,
        crate::api::alerts::screen,
        crate::api::alerts::lists,
        crate::api::alerts::save_list,
        crate::api::alerts::import,
        crate::api::alerts::entries,
        crate::api::alerts::create,
        crate::api::alerts::get,
        crate::api::alerts::update,
        crate::api::alerts::retire,
        crate::api::alerts::pending,
        crate::api::alerts::resolve,
        crate::api::alerts::screening,
        crate::api::protection::open,
        crate::api::protection::case,
        crate::api::protection::note,
        crate::api::protection::owner,
        crate::api::protection::task,
        crate::api::protection::task_done,
        crate::api::protection::step,
        crate::api::protection::approve,
        crate::api::protection::consent,
        crate::api::protection::withdraw,
        crate::api::protection::refer,
        crate::api::protection::overview,
        crate::api::protection::referrals,
        crate::api::protection::referral,
        crate::api::protection::act,
        crate::api::attachments::attach,
        crate::api::attachments::list,
        crate::api::attachments::get,
        crate::api::exchange::referral,
        crate::api::exchange::step,
        crate::api::informal::save_point,
        crate::api::informal::points,
        crate::api::informal::retire_point,
        crate::api::informal::draw_plan,
        crate::api::informal::plans,
        crate::api::informal::plan,
        crate::api::informal::assign,
        crate::api::informal::assignments,
        crate::api::informal::record_session,
        crate::api::informal::sessions,
        crate::api::informal::record_interview,
        crate::api::informal::interviews,
        crate::api::informal::estimates,
        crate::api::informal::flow,
        crate::api::labour::employer,
        crate::api::labour::worker,
        crate::api::labour::workers,
        crate::api::labour::worker_file,
        crate::api::labour::permit,
        crate::api::labour::permit_event,
        crate::api::labour::check,
        crate::api::labour::checks,
        crate::api::labour::decide,
        crate::api::labour::demand,
        crate::api::labour::demands,
        crate::api::labour::demand_report,
        crate::api::labour::permit_table,
        crate::api::labour::holder_crossings,
        crate::api::labour::import,
        crate::api::labour::export,
        crate::api::notices::list,
        crate::api::notices::read,
        crate::api::directory::services,
        crate::api::directory::service,
        crate::api::directory::load,
        crate::api::stats::crossings,
        crate::api::stats::stays,
        crate::api::stats::overstays,
        crate::api::stats::migrants,
        crate::api::stats::commuting,
        crate::api::stats::circularity,
        crate::api::stats::sdmx_structure,
    ),
    modifiers(&Bearer),
    tags(
        (name = "crossings", description = "Entries and exits"),
        (name = "alerts", description = "Alert lists, screening and hits"),
        (name = "protection", description = "Protection cases, consents and referrals"),
        (name = "exchange", description = "Between the two countries' hubs: referrals handed over and their steps"),
        (name = "informal", description = "Informal crossings: points, sampling plans, counts, interviews, estimates"),
        (name = "labour", description = "The labour registry: employers, workers, permits; the counter's permit check"),
        (name = "notifications", description = "What happened to the cases and referrals the caller works"),
        (name = "directory", description = "The service directory (HSDS 3.0) that referrals go to"),
        (name = "stats", description = "Statistics of crossings, stays, overstays and migrants"),
        (name = "reference", description = "Ports and reference data"),
        (name = "node", description = "The node itself"),
    )
)]
pub struct ApiDoc;

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An API token from `frontera user add … --token` (or printed by `frontera demo`).",
                    ))
                    .build(),
            ),
        );
    }
}

/// The document as committed to the repository: pretty JSON with a final newline.
pub fn document() -> String {
    let mut json = ApiDoc::openapi().to_pretty_json().unwrap_or_default();
    json.push('\n');
    json
}

/// This API's OpenAPI document.
pub async fn serve() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(ApiDoc::openapi())
}
