//! Informal-crossing monitoring: points, plans, count sessions and interviews.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use frontera_domain::CountryCode;
use frontera_domain::audit::AuditDraft;

use crate::error::StoreError;

/// A record of informal-crossing monitoring (a point, a sampling plan, a count session, an
/// interview) kept whole as JSON, with the columns searches and access filter on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InformalRecord {
    /// `point`, `plan`, `session` or `interview`.
    pub kind: String,
    /// Its id.
    pub id: String,
    /// The country whose team keeps it.
    pub country: CountryCode,
    /// The point it is about (a session's, an interview's).
    pub point: Option<String>,
    /// The plan it belongs to (a session drawn in one, its interviews).
    pub plan: Option<String>,
    /// Its day (`YYYY-MM-DD`): a session's, an interview's; a plan's first day.
    pub day: Option<String>,
    /// Where it stands (a plan's state; `active` otherwise).
    pub state: String,
    /// The record, as JSON.
    pub record: String,
    /// Its version: 1 when created, one more with every change.
    pub version: i64,
}

/// Which informal-crossing records to read; every filter given must hold.
#[derive(Debug, Clone, Default)]
pub struct InformalQuery {
    /// The kind.
    pub kind: Option<String>,
    /// Of this country.
    pub country: Option<CountryCode>,
    /// About this point.
    pub point: Option<String>,
    /// Of this plan.
    pub plan: Option<String>,
    /// On or after this day (`YYYY-MM-DD`).
    pub from_day: Option<String>,
    /// On or before this day.
    pub to_day: Option<String>,
    /// In one of these states (none: any).
    pub states: Vec<String>,
}

/// Informal-crossing monitoring: points, plans, count sessions and interviews.
#[async_trait]
pub trait InformalStore: Send + Sync {
    /// Stores informal-crossing records, all or none, with one audit event, versioned as
    /// [`Store::save_labour`]'s are.
    async fn save_informal(
        &self,
        records: &[InformalRecord],
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> Result<(), StoreError>;

    /// One informal-crossing record.
    async fn informal_record(&self, kind: &str, id: &str) -> Result<Option<InformalRecord>, StoreError>;

    /// The informal-crossing records matching `query`, by kind, day and id.
    async fn informal_records(&self, query: &InformalQuery) -> Result<Vec<InformalRecord>, StoreError>;
}
