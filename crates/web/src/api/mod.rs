//! The JSON API, version 1.

pub mod alerts;
pub mod attachments;
pub mod crossings;
pub mod directory;
pub mod exchange;
pub mod health;
pub mod informal;
pub mod labour;
pub mod mrz;
pub mod notices;
pub mod persons;
pub mod ports;
pub mod protection;
pub mod stats;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use frontera_app::App;

/// Every route of the API.
pub fn routes() -> Router<App> {
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/api/v1/openapi.json", get(crate::openapi::serve))
        .route("/api/v1/me", get(health::me))
        .route("/api/v1/ports", get(ports::list))
        .route("/api/v1/mrz/parse", post(mrz::parse))
        .route("/api/v1/crossings", post(crossings::record).get(crossings::search))
        .route("/api/v1/crossings/{id}", get(crossings::get))
        .route("/api/v1/persons", get(persons::find))
        .route("/api/v1/persons/{id}/crossings", get(persons::crossings))
        .route("/api/v1/travellers", get(persons::search))
        .route("/api/v1/screen", post(alerts::screen))
        .route("/api/v1/alert-lists", get(alerts::lists))
        .route("/api/v1/alert-lists/{list}", axum::routing::put(alerts::save_list))
        .route(
            "/api/v1/alert-lists/{list}/import",
            post(alerts::import).layer(DefaultBodyLimit::max(alerts::MAX_LIST_BYTES)),
        )
        .route("/api/v1/alert-lists/{list}/alerts", get(alerts::entries).post(alerts::create))
        .route("/api/v1/alert-lists/{list}/alerts/{reference}", get(alerts::get).put(alerts::update))
        .route("/api/v1/alert-lists/{list}/alerts/{reference}/retire", post(alerts::retire))
        .route("/api/v1/hits", get(alerts::pending))
        .route("/api/v1/hits/{id}/resolution", post(alerts::resolve))
        .route("/api/v1/crossings/{id}/screening", get(alerts::screening))
        .route("/api/v1/cases", post(protection::open))
        .route("/api/v1/cases/{id}", get(protection::case))
        .route("/api/v1/cases/{id}/notes", post(protection::note))
        .route("/api/v1/cases/{id}/owner", post(protection::owner))
        .route("/api/v1/cases/{id}/tasks", post(protection::task))
        .route("/api/v1/cases/{id}/tasks/{number}/done", post(protection::task_done))
        .route("/api/v1/cases/{id}/step", post(protection::step))
        .route("/api/v1/cases/{id}/step/approval", post(protection::approve))
        .route("/api/v1/cases/{id}/consents", post(protection::consent))
        .route("/api/v1/cases/{id}/consents/{consent}/withdrawal", post(protection::withdraw))
        .route("/api/v1/cases/{id}/referrals", post(protection::refer))
        .route(
            "/api/v1/cases/{id}/attachments",
            post(attachments::attach)
                .get(attachments::list)
                .layer(DefaultBodyLimit::max(frontera_app::attachments::MAX_ATTACHMENT_BYTES + 1)),
        )
        .route("/api/v1/cases/{id}/attachments/{attachment}", get(attachments::get))
        .route("/api/v1/protection/overview", get(protection::overview))
        .route("/api/v1/referrals", get(protection::referrals))
        .route("/api/v1/referrals/{id}", get(protection::referral))
        .route("/api/v1/referrals/{id}/events", post(protection::act))
        .route("/api/v1/exchange/referrals", post(exchange::referral))
        .route("/api/v1/exchange/referrals/{id}/steps", post(exchange::step))
        .route("/api/v1/informal/points", post(informal::save_point).get(informal::points))
        .route("/api/v1/informal/points/{id}/retire", post(informal::retire_point))
        .route("/api/v1/informal/plans", post(informal::draw_plan).get(informal::plans))
        .route("/api/v1/informal/plans/{id}", get(informal::plan))
        .route("/api/v1/informal/plans/{id}/assignments", post(informal::assign))
        .route("/api/v1/informal/assignments", get(informal::assignments))
        .route("/api/v1/informal/sessions", post(informal::record_session).get(informal::sessions))
        .route("/api/v1/informal/interviews", post(informal::record_interview).get(informal::interviews))
        .route("/api/v1/informal/estimates", get(informal::estimates))
        .route("/api/v1/informal/flow", get(informal::flow))
        .route("/api/v1/labour/employers", post(labour::employer))
        .route("/api/v1/labour/workers", post(labour::worker).get(labour::workers))
        .route("/api/v1/labour/workers/{id}", get(labour::worker_file))
        .route("/api/v1/labour/permits", post(labour::permit))
        .route("/api/v1/labour/permits/{id}/events", post(labour::permit_event))
        .route("/api/v1/labour/check", get(labour::check))
        .route("/api/v1/labour/checks", get(labour::checks))
        .route("/api/v1/labour/demand", post(labour::demand).get(labour::demands))
        .route("/api/v1/labour/demand/report", get(labour::demand_report))
        .route(
            "/api/v1/labour/import/{file}",
            post(labour::import).layer(DefaultBodyLimit::max(32 * 1024 * 1024)),
        )
        .route("/api/v1/labour/export/{file}", get(labour::export))
        .route("/api/v1/stats/permits", get(labour::permit_table))
        .route("/api/v1/stats/permit-holders", get(labour::holder_crossings))
        .route("/api/v1/crossings/{id}/permit-decision", post(labour::decide))
        .route("/api/v1/notifications", get(notices::list))
        .route("/api/v1/notifications/read", post(notices::read))
        .route("/api/v1/directory", post(directory::load))
        .route("/api/v1/directory/services", get(directory::services))
        .route("/api/v1/directory/services/{id}", get(directory::service))
        .route("/api/v1/stats/crossings", get(stats::crossings))
        .route("/api/v1/stats/stays", get(stats::stays))
        .route("/api/v1/stats/overstays", get(stats::overstays))
        .route("/api/v1/stats/migrants", get(stats::migrants))
        .route("/api/v1/stats/commuting", get(stats::commuting))
        .route("/api/v1/stats/circularity", get(stats::circularity))
        .route("/api/v1/stats/sdmx/structure", get(stats::sdmx_structure))
}
