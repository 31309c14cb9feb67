//! The ports this node knows.

use axum::Json;
use axum::extract::State;
use frontera_app::App;
use frontera_domain::Port;
use serde::Serialize;
use utoipa::ToSchema;

/// The ports.
#[derive(Debug, Serialize, ToSchema)]
pub struct PortList {
    /// Every port, by id.
    pub ports: Vec<Port>,
}

/// List the ports of entry: the built-in Belize–Mexico ports and the node's own.
#[utoipa::path(get, path = "/api/v1/ports", tag = "reference", responses((status = 200, body = PortList)))]
pub async fn list(State(app): State<App>) -> Json<PortList> {
    Json(PortList { ports: app.ports.all().cloned().collect() })
}
