//! The OpenAPI document of the API.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::api;

/// The API's document.
#[derive(OpenApi)]
#[openapi(
    info(title = "Frontera node API", version = "1",
        description = "Record and search border crossings at a Frontera node, screen travellers against alert lists, refer people in need of protection, and draw statistics. Errors are JSON \
            `{\"error\": {\"code\", \"message\", \"field\"}}`; messages follow `Accept-Language` (en, es)."),
    paths(
        api::health::healthz,
        api::health::me,
        api::ports::list,
        api::mrz::parse,
        api::crossings::record,
        api::crossings::search,
        api::crossings::get,
        api::persons::find,
        api::persons::crossings,
        api::persons::search,
        api::alerts::screen,
        api::alerts::lists,
        api::alerts::save_list,
        api::alerts::import,
        api::alerts::entries,
        api::alerts::create,
        api::alerts::get,
        api::alerts::update,
        api::alerts::retire,
        api::alerts::pending,
        api::alerts::resolve,
        api::alerts::screening,
        api::protection::open,
        api::protection::case,
        api::protection::note,
        api::protection::owner,
        api::protection::task,
        api::protection::task_done,
        api::protection::step,
        api::protection::approve,
        api::protection::consent,
        api::protection::withdraw,
        api::protection::refer,
        api::protection::overview,
        api::protection::referrals,
        api::protection::referral,
        api::protection::act,
        api::attachments::attach,
        api::attachments::list,
        api::attachments::get,
        api::exchange::referral,
        api::exchange::step,
        api::informal::save_point,
        api::informal::points,
        api::informal::retire_point,
        api::informal::draw_plan,
        api::informal::plans,
        api::informal::plan,
        api::informal::assign,
        api::informal::assignments,
        api::informal::record_session,
        api::informal::sessions,
        api::informal::record_interview,
        api::informal::interviews,
        api::informal::estimates,
        api::informal::flow,
        api::labour::employer,
        api::labour::worker,
        api::labour::workers,
        api::labour::worker_file,
        api::labour::permit,
        api::labour::permit_event,
        api::labour::check,
        api::labour::checks,
        api::labour::decide,
        api::labour::demand,
        api::labour::demands,
        api::labour::demand_report,
        api::labour::permit_table,
        api::labour::holder_crossings,
        api::labour::import,
        api::labour::export,
        api::notices::list,
        api::notices::read,
        api::directory::services,
        api::directory::service,
        api::directory::load,
        api::stats::crossings,
        api::stats::stays,
        api::stats::overstays,
        api::stats::migrants,
        api::stats::commuting,
        api::stats::circularity,
        api::stats::sdmx_structure,
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
