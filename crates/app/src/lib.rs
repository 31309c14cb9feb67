//! Frontera's use cases, shared by the web API and the CLI.
//!
//! Each use case parses its input into domain types, asks the access policy
//! ([`frontera_domain::access::can`]), acts through the [`Store`], and hands the store the audit
//! event to append in the same transaction. Nothing here renders HTML or speaks SQL.

pub mod alerts;
pub mod anchors;
pub mod attachments;
pub mod audit;
pub mod auth;
pub mod bench;
pub mod crossings;
pub mod dashboard;
pub mod demo;
pub mod directory;
mod error;
pub mod exchange;
pub mod formats;
pub mod informal;
pub mod labour;
pub mod login;
pub mod notices;
pub mod protection;
pub mod stats;
pub mod throttle;
pub mod transfer;
pub mod travellers;
pub mod users;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use frontera_domain::PortRegistry;
use frontera_store::Store;

pub use error::AppError;

/// Everything a use case needs: the store, the node's ports, its id and its clock.
#[derive(Clone)]
pub struct App {
    /// The node's store: reached through the use cases only.
    store: Arc<dyn Store>,
    /// The ports this node knows.
    pub ports: Arc<PortRegistry>,
    /// This node's id, stamped on every crossing it records.
    pub node_id: String,
    /// The alert lists, indexed for screening.
    pub alerts: Arc<alerts::screener::Screener>,
    /// The other countries' hubs this node exchanges referrals with.
    pub exchange: Arc<exchange::Peers>,
    /// How many days before a work permit's last day the counter warns.
    pub permit_warning_days: u32,
    /// How many days a new API token works (90 unless configured).
    pub token_days: u32,
    /// The smallest count any protected table shows: a caller may ask for more, never less.
    pub disclosure_threshold: u64,
    /// The node's key and its file of signed audit heads, where configured.
    pub anchoring: Option<Arc<anchors::Anchoring>>,
    /// The login and token-less request throttle.
    pub throttle: Arc<throttle::Throttle>,
}

impl App {
    /// A node over `store` with `ports`, named `node_id`.
    pub fn new(store: Arc<dyn Store>, ports: PortRegistry, node_id: impl Into<String>) -> App {
        App {
            store,
            ports: Arc::new(ports),
            node_id: node_id.into(),
            alerts: Arc::default(),
            exchange: Arc::default(),
            permit_warning_days: 30,
            token_days: 90,
            disclosure_threshold: stats::DISCLOSURE_THRESHOLD,
            anchoring: None,
            throttle: Arc::default(),
        }
    }

    /// Opens the store a URL names (`sqlite:PATH`, created if missing, or `postgres://…`),
    /// migrating it, and the node over it with `ports`, under the id the store remembers.
    pub async fn open(database: &str, ports: PortRegistry) -> Result<App, AppError> {
        let store = frontera_store::open(database).await?;
        let node_id = App::node_id_of(store.as_ref()).await?;
        Ok(App::new(store, ports, node_id))
    }

    /// The store's engine: `sqlite` or `postgres`.
    pub fn engine(&self) -> &'static str {
        self.store.engine()
    }

    /// Whether the store answers (the health check).
    pub async fn reachable(&self) -> Result<(), AppError> {
        self.store.audit_head().await?;
        Ok(())
    }

    /// The statistical cell a crossing counts in, on its port's local day (UTC for a port this
    /// node does not know).
    pub fn count_key(&self, c: &frontera_domain::Crossing) -> frontera_domain::CountKey {
        let zone = self.ports.get(&c.port_id).map_or(chrono_tz::Tz::UTC, |p| p.time_zone);
        frontera_domain::CountKey::of(c, zone)
    }

    /// The node's clock.
    pub fn now(&self) -> DateTime<Utc> {
        // Microsecond precision: what both engines store, so a crossing reads back equal.
        let now = Utc::now();
        DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now)
    }

    /// The node's id as stored, or a new one remembered for next time.
    pub async fn node_id_of(store: &dyn Store) -> Result<String, AppError> {
        if let Some(id) = store.meta("node_id").await? {
            return Ok(id);
        }
        let id = format!("node-{}", &uuid::Uuid::now_v7().simple().to_string()[20..]);
        store.set_meta("node_id", &id).await?;
        Ok(id)
    }
}
