//! Frontera's HTTP layer: a thin axum router over the `app` use cases.
//!
//! Handlers extract, call one use case, and map its result; errors become JSON in one place
//! ([`errors`]). The JSON API lives under `/api/v1` and is described by the OpenAPI document at
//! `/api/v1/openapi.json`, which is committed (`crates/web/openapi.json`) and checked by a test.

pub mod api;
pub mod bulletin;
pub mod errors;
mod extract;
mod language;
pub mod openapi;
pub mod tls;
pub mod ui;

use std::net::SocketAddr;

use axum::Router;
use axum::middleware;
use frontera_app::App;
use tokio::net::TcpListener;

/// The whole HTTP application of a node.
pub fn router(app: App) -> Router {
    api::routes()
        .layer(middleware::from_fn(errors::localize))
        .merge(ui::routes())
        .layer(middleware::from_fn(transport_headers))
        .with_state(app)
}

/// Marks a request that came over the node's own TLS (see [`tls::serve_tls`]).
#[derive(Debug, Clone, Copy)]
pub struct OverTls;

/// Headers every answer gets, API and pages alike: nothing sniffed, nothing cached unless the
/// answer says it may be (the static assets), and HSTS over TLS, the node's own or a proxy's.
async fn transport_headers(
    request: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    use axum::http::{HeaderValue, header};
    let tls = request.extensions().get::<OverTls>().is_some() || ui::session::over_tls(request.headers());
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    if tls {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    response
}

/// The watches that run beside a serving node: the referrals' deadlines every five minutes,
/// the exchange's outbox every thirty seconds, and the audit head signed every ten minutes it
/// moved (where the node has a key).
fn watches(app: &App) -> Vec<tokio::task::JoinHandle<()>> {
    use std::time::Duration;
    let mut out = vec![
        tokio::spawn(app.clone().watch_deadlines(Duration::from_secs(300))),
        tokio::spawn(app.clone().watch_outbox(Duration::from_secs(30))),
    ];
    if app.anchoring.is_some() {
        out.push(tokio::spawn(app.clone().watch_anchors(Duration::from_secs(600))));
    }
    out
}

/// Serve the node over plain HTTP on `listener` until Ctrl-C (behind a TLS-terminating proxy,
/// or on loopback; see [`tls::serve_tls`] to serve HTTPS itself).
pub async fn serve(app: App, listener: TcpListener) -> std::io::Result<()> {
    let watches = watches(&app);
    let router = router(app);
    axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    for w in watches {
        w.abort();
    }
    Ok(())
}
