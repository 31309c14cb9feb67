//! The append-only audit trail.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use frontera_domain::CountryCode;
use frontera_domain::audit::{AuditDraft, AuditEvent};

use crate::error::StoreError;

/// A search of the audit trail, newest first; every filter given must hold.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    /// Only events of this country and events of no country.
    pub country: Option<CountryCode>,
    /// Who acted, exactly (`cli:NAME` for the console).
    pub actor: Option<String>,
    /// The record acted on, by id exactly.
    pub record_id: Option<String>,
    /// The kind of record (`crossing`, `person`, `user`, …).
    pub record_kind: Option<String>,
    /// At or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Before this instant.
    pub to: Option<DateTime<Utc>>,
    /// Only events before this one (the next page).
    pub before_seq: Option<i64>,
    /// At most this many (1–1 000).
    pub limit: u32,
}

/// Adds `key: value` to an audit event's JSON detail.
pub(crate) fn with_detail(mut audit: AuditDraft, key: &str, value: serde_json::Value) -> AuditDraft {
    let mut detail: serde_json::Value =
        serde_json::from_str(&audit.detail).unwrap_or_else(|_| serde_json::json!({}));
    if let Some(map) = detail.as_object_mut() {
        map.insert(key.into(), value);
    }
    audit.detail = detail.to_string();
    audit
}

/// The append-only audit trail.
#[async_trait]
pub trait AuditStore: Send + Sync {
    /// Audit events matching `query`, newest first.
    async fn search_audit(&self, query: &AuditQuery) -> Result<Vec<AuditEvent>, StoreError>;

    /// Append an audit event on its own.
    async fn append_audit(&self, audit: AuditDraft) -> Result<AuditEvent, StoreError>;

    /// Audit events after `after_seq`, in order, at most `limit`.
    async fn audit_events(&self, after_seq: i64, limit: u32) -> Result<Vec<AuditEvent>, StoreError>;

    /// The last event's `seq` and hash as the store recorded them when appending.
    async fn audit_head(&self) -> Result<Option<(i64, String)>, StoreError>;
}
