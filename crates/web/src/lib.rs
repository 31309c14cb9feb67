//! Frontera's HTTP layer: a thin axum router over the `app` use cases.
//!
//! Handlers extract, call one use case, and map its result; errors become JSON in one place
//! ([`errors`]). The JSON API lives under `/api/v1` and is described by the OpenAPI document at
//! `/api/v1/openapi.json`, which is committed (`crates/web/openapi.json`) and checked by a test.

pub mod api;
pub mod bulletin;
pub mod errors;
mod extract;
pub mod openapi;
pub mod ui;

use std::net::SocketAddr;

use axum::Router;
use axum::middleware;
use frontera_app::App;
use tokio::net::TcpListener;

/// The whole HTTP application of a node.
pub fn router(app: App) -> Router {
    api::routes().layer(middleware::from_fn(errors::localize)).merge(ui::routes()).with_state(app)
}

/// Serve the node on `listener` until Ctrl-C.
pub async fn serve(app: App, listener: TcpListener) -> std::io::Result<()> {
    // The referrals' deadline watch runs beside the server, every five minutes.
    let watch = tokio::spawn(app.clone().watch_deadlines(std::time::Duration::from_secs(300)));
    // The exchange's outbox is emptied every thirty seconds.
    let deliver = tokio::spawn(app.clone().watch_outbox(std::time::Duration::from_secs(30)));
    // The audit trail's head is signed and kept outside the database every ten minutes it moved.
    let anchor = app
        .anchoring
        .is_some()
        .then(|| tokio::spawn(app.clone().watch_anchors(std::time::Duration::from_secs(600))));
    let router = router(app);
    axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    watch.abort();
    deliver.abort();
    if let Some(anchor) = anchor {
        anchor.abort();
    }
    Ok(())
}
