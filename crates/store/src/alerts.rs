//! Alert lists, their entries, and the screening and hits kept with each crossing.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use frontera_domain::alert::{AlertEntry, AlertKind, HitAction, HitStatus};
use frontera_domain::audit::AuditDraft;
use frontera_domain::{CountryCode, CrossingId, PortId};

use crate::audit::with_detail;
use crate::error::StoreError;

/// The key of `meta` that changes with every change to the alert lists: a process holding them
/// in memory reloads them when it differs from what it loaded.
pub const ALERTS_VERSION: &str = "alerts_version";

/// An alert list's settings.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertListSettings {
    /// The country that keeps it.
    pub country: CountryCode,
    /// Its name, unique in the country.
    pub name: String,
    /// The kind of its entries, unless an entry says otherwise.
    pub kind: AlertKind,
    /// The score at or above which a candidate from it is a hit.
    pub threshold: f64,
    /// Where its last import came from (a file's name, the list's own date).
    pub source: Option<String>,
}

/// An alert list as a node keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertList {
    /// Its settings.
    pub settings: AlertListSettings,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// Entries in it now.
    pub active: u64,
    /// Entries retired from it.
    pub retired: u64,
}

/// An alert entry as a node keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredAlert {
    /// The country whose list holds it.
    pub country: CountryCode,
    /// The list.
    pub list: String,
    /// The entry.
    pub entry: AlertEntry,
    /// When it was first stored.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// When it was retired, if it is.
    pub retired_at: Option<DateTime<Utc>>,
}

/// A reading of alert entries, by list and reference.
#[derive(Debug, Clone, Default)]
pub struct AlertQuery {
    /// Of this country only.
    pub country: Option<CountryCode>,
    /// Of this list only.
    pub list: Option<String>,
    /// Retired ones too.
    pub include_retired: bool,
    /// After this list and reference (the next page).
    pub after: Option<(String, String)>,
    /// At most this many (0 for every one).
    pub limit: u32,
}

/// What a list's import changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListChanges {
    /// Entries new to the list.
    pub added: Vec<String>,
    /// Entries whose content changed (retired ones brought back included).
    pub updated: Vec<String>,
    /// Entries left as they were.
    pub unchanged: u64,
    /// Entries the new version no longer holds, now retired.
    pub retired: Vec<String>,
}

/// A screening hit on a crossing, and what was decided on it.
#[derive(Debug, Clone, PartialEq)]
pub struct HitRecord {
    /// Its id.
    pub id: uuid::Uuid,
    /// The crossing screened.
    pub crossing_id: CrossingId,
    /// The crossing's country.
    pub country: CountryCode,
    /// The crossing's port.
    pub port_id: PortId,
    /// The list hit.
    pub list: String,
    /// The entry's reference in it.
    pub reference: String,
    /// The entry's kind.
    pub kind: AlertKind,
    /// What a confirmed hit asks for.
    pub action: HitAction,
    /// The score.
    pub score: f64,
    /// The entry's names as they stood.
    pub names: Vec<String>,
    /// The explanation, as JSON.
    pub explanation: String,
    /// Where it stands.
    pub status: HitStatus,
    /// When the crossing was screened.
    pub created_at: DateTime<Utc>,
    /// Who decided last.
    pub resolved_by: Option<String>,
    /// When.
    pub resolved_at: Option<DateTime<Utc>>,
    /// Their note.
    pub note: Option<String>,
}

/// The screening of a crossing, stored with it.
#[derive(Debug, Clone, PartialEq)]
pub struct ScreeningRecord {
    /// When it ran.
    pub screened_at: DateTime<Utc>,
    /// How many alert entries were in force.
    pub entries: u64,
    /// Whether a hit asks for the traveller's protection (a missing child).
    pub protection: bool,
    /// The hits, best first.
    pub hits: Vec<HitRecord>,
}

/// A search of hits, newest first.
#[derive(Debug, Clone)]
pub struct HitQuery {
    /// The crossings' country.
    pub country: CountryCode,
    /// Only at this port.
    pub port: Option<PortId>,
    /// Only in these states (empty for any).
    pub statuses: Vec<HitStatus>,
    /// At most this many (1–1 000).
    pub limit: u32,
}

/// At most this many references of each kind of change go into an import's audit event.
pub(crate) const MAX_AUDITED_REFERENCES: usize = 1_000;

/// Adds what a list's import changed to its audit event.
pub(crate) fn with_changes(audit: AuditDraft, changes: &ListChanges) -> AuditDraft {
    let refs = |r: &[String]| -> serde_json::Value {
        r.iter().take(MAX_AUDITED_REFERENCES).map(|s| serde_json::Value::String(s.clone())).collect()
    };
    let audit = with_detail(audit, "added", refs(&changes.added));
    let audit = with_detail(audit, "updated", refs(&changes.updated));
    let audit = with_detail(audit, "retired", refs(&changes.retired));
    with_detail(
        audit,
        "counts",
        serde_json::json!({
            "added": changes.added.len(),
            "updated": changes.updated.len(),
            "retired": changes.retired.len(),
            "unchanged": changes.unchanged,
        }),
    )
}

/// Alert lists, their entries, and the screening and hits kept with each crossing.
#[async_trait]
pub trait AlertStore: Send + Sync {
    /// A crossing's screening, if it was screened.
    async fn screening(&self, crossing: CrossingId) -> Result<Option<ScreeningRecord>, StoreError>;

    /// Hits matching `query`, newest first.
    async fn hits(&self, query: &HitQuery) -> Result<Vec<HitRecord>, StoreError>;

    /// One hit.
    async fn hit(&self, id: uuid::Uuid) -> Result<Option<HitRecord>, StoreError>;

    /// Move a hit from `from` to `to`, by `by` at `at` with a note; a [`StoreError::Conflict`]
    /// when someone moved it from `from` first.
    #[allow(clippy::too_many_arguments)]
    async fn resolve_hit(
        &self,
        id: uuid::Uuid,
        from: HitStatus,
        to: HitStatus,
        by: &str,
        at: DateTime<Utc>,
        note: Option<&str>,
        audit: AuditDraft,
    ) -> Result<HitRecord, StoreError>;

    /// Create a list, or change its kind, threshold and source.
    async fn save_alert_list(&self, list: &AlertListSettings, audit: AuditDraft) -> Result<(), StoreError>;

    /// The alert lists, of one country or of all, by country and name.
    async fn alert_lists(&self, country: Option<CountryCode>) -> Result<Vec<AlertList>, StoreError>;

    /// Load a list's new version: the list is created or its settings changed; entries new to it
    /// are added, changed ones updated (retired ones it holds again brought back), and those it
    /// no longer holds retired; all in one transaction with its audit event, whose detail gains
    /// the counts.
    async fn import_alerts(
        &self,
        list: &AlertListSettings,
        entries: Vec<AlertEntry>,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> Result<ListChanges, StoreError>;

    /// Store one entry of an existing list: a new one (`create`; a [`StoreError::Conflict`] when
    /// its reference is taken) or a change to one (a [`StoreError::NotFound`] when it is not).
    async fn save_alert(
        &self,
        country: CountryCode,
        list: &str,
        entry: &AlertEntry,
        create: bool,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> Result<StoredAlert, StoreError>;

    /// Retire an entry (a no-op on one retired already).
    async fn retire_alert(
        &self,
        country: CountryCode,
        list: &str,
        reference: &str,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> Result<StoredAlert, StoreError>;

    /// One entry.
    async fn alert(
        &self,
        country: CountryCode,
        list: &str,
        reference: &str,
    ) -> Result<Option<StoredAlert>, StoreError>;

    /// Entries matching `query`, by country, list and reference.
    async fn alerts(&self, query: &AlertQuery) -> Result<Vec<StoredAlert>, StoreError>;
}
