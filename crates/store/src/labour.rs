//! The labour registry: workers, employers, permits, demand and counter checks.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use frontera_domain::CountryCode;
use frontera_domain::audit::AuditDraft;

use crate::error::StoreError;

/// A record of the labour registry (a worker, an employer, a permit, a seasonal demand) kept
/// whole as JSON, with the columns searches and access filter on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabourRecord {
    /// `worker`, `employer`, `permit` or `demand`.
    pub kind: String,
    /// Its id.
    pub id: String,
    /// The country whose registry holds it.
    pub country: CountryCode,
    /// A permit's worker.
    pub holder: Option<String>,
    /// A permit's or a demand's employer.
    pub employer: Option<String>,
    /// What a search by name or number compares (folded), if anything.
    pub search_key: Option<String>,
    /// Where it stands (a permit's state; `active` otherwise).
    pub state: String,
    /// The record, as JSON.
    pub record: String,
    /// Its version: 1 when created, one more with every change.
    pub version: i64,
}

/// Which labour records to read; every filter given must hold.
#[derive(Debug, Clone, Default)]
pub struct LabourQuery {
    /// The kind.
    pub kind: Option<String>,
    /// Of this country.
    pub country: Option<CountryCode>,
    /// Held by this worker.
    pub holder: Option<String>,
    /// Of this employer.
    pub employer: Option<String>,
    /// Whose search key contains this (folded) text.
    pub key_contains: Option<String>,
    /// In one of these states (none: any).
    pub states: Vec<String>,
}

/// The labour registry: workers, employers, permits, demand and counter checks.
#[async_trait]
pub trait LabourStore: Send + Sync {
    /// Stores labour records, all or none, with one audit event: each a new one when its
    /// `version` is 1, otherwise a change to the stored version `version - 1` (a `Conflict`
    /// when the stored version is another, and nothing is stored).
    async fn save_labour(
        &self,
        records: &[LabourRecord],
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> Result<(), StoreError>;

    /// One labour record.
    async fn labour_record(&self, kind: &str, id: &str) -> Result<Option<LabourRecord>, StoreError>;

    /// The labour records matching `query`, by kind and id.
    async fn labour_records(&self, query: &LabourQuery) -> Result<Vec<LabourRecord>, StoreError>;
}
