//! Frontera's storage.
//!
//! One trait per feature ([`CrossingStore`], [`AlertStore`], [`ProtectionStore`], …) with coarse,
//! use-case-sized methods, and [`Store`] their sum. Each module at the root holds a feature's
//! records and trait; `sqlite/` and `postgres/` implement them, one file per feature, over the
//! row forms and SQL both engines share (`rows/`): [`sqlite::SqliteStore`] (the default,
//! embedded) and [`postgres::PostgresStore`] (a hub that outgrows one machine). Both pass the
//! same conformance suite (`tests/conformance.rs`).
//!
//! The store holds no business rules: it persists what the `app` crate decided, and it appends
//! the audit event the caller hands it in the same transaction as the change or read it records.
//! This crate is the only one that speaks SQL.

mod accounts;
mod alerts;
mod audit;
mod crossings;
mod directory;
mod error;
mod informal;
mod labour;
mod node;
pub mod postgres;
mod protection;
mod rows;
pub mod sqlite;

use std::sync::Arc;

pub use accounts::{
    Account, AccountStore, Credentials, LockPolicy, LoginFailure, LoginRecord, Session, User,
};
pub use alerts::{
    ALERTS_VERSION, AlertList, AlertListSettings, AlertQuery, AlertStore, HitQuery, HitRecord, ListChanges,
    ScreeningRecord, StoredAlert,
};
pub use audit::{AuditQuery, AuditStore};
pub use crossings::{
    CountQuery, CrossingFact, CrossingPage, CrossingQuery, CrossingStore, Cursor, Holder, ImportCounts,
    ImportRow, ImportSession, MovementFact, Movements, Order, Recorded, TravellerQuery,
};
pub use directory::{DirectoryChanges, DirectoryRecord, DirectoryStore};
pub use error::StoreError;
pub use informal::{InformalQuery, InformalRecord, InformalStore};
pub use labour::{LabourQuery, LabourRecord, LabourStore};
pub use node::NodeStore;
pub use protection::{
    Attachment, Effects, NewNotification, Notification, Outgoing, ProtectionQuery, ProtectionRecord,
    ProtectionStore, Queued,
};

/// Every feature's store: what a node runs on. Implemented for any type that implements each
/// feature's trait, so an engine implements the features one by one.
pub trait Store:
    CrossingStore
    + AlertStore
    + DirectoryStore
    + ProtectionStore
    + LabourStore
    + InformalStore
    + AccountStore
    + AuditStore
    + NodeStore
{
}

impl<
    T: CrossingStore
        + AlertStore
        + DirectoryStore
        + ProtectionStore
        + LabourStore
        + InformalStore
        + AccountStore
        + AuditStore
        + NodeStore,
> Store for T
{
}

/// Open the store a URL names, `sqlite:PATH` (created if missing) or `postgres://…`, running its
/// migrations.
pub async fn open(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(sqlite::SqliteStore::open(url).await?))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(postgres::PostgresStore::open(url).await?))
    } else {
        Err(StoreError::UnsupportedUrl(url.to_string()))
    }
}
