//! The referral directory's organisations, services and locations.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use frontera_domain::audit::AuditDraft;

use crate::error::StoreError;

/// A record of the service directory, kept whole: its kind (`organisation`, `service`,
/// `location`, `service_at_location`), its id and the record as JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryRecord {
    /// The kind.
    pub kind: String,
    /// The id, unique within the kind.
    pub id: String,
    /// The record, as JSON.
    pub record: String,
}

/// What saving part of the directory did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct DirectoryChanges {
    /// Records new to the directory.
    pub added: u64,
    /// Records that replaced a different one.
    pub updated: u64,
    /// Records the directory held already, the same.
    pub unchanged: u64,
}

/// The referral directory's organisations, services and locations.
#[async_trait]
pub trait DirectoryStore: Send + Sync {
    /// Adds or replaces directory records, all or none, with one audit event (the changes
    /// counted in its detail).
    async fn save_directory(
        &self,
        records: &[DirectoryRecord],
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> Result<DirectoryChanges, StoreError>;

    /// Every directory record, by kind and id.
    async fn directory_records(&self) -> Result<Vec<DirectoryRecord>, StoreError>;
}
