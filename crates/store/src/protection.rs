//! Protection cases, referrals, consents, their files, notifications and the exchange outbox.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use frontera_domain::CountryCode;
use frontera_domain::audit::AuditDraft;

use crate::error::StoreError;

/// A protection record (a case, a consent, a referral) kept whole as JSON, with the columns
/// access and the deadline watch filter on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtectionRecord {
    /// `case`, `consent` or `referral`.
    pub kind: String,
    /// Its id.
    pub id: String,
    /// The case it belongs to (a case's own id for a case).
    pub case_id: String,
    /// The country whose hub keeps it.
    pub country: CountryCode,
    /// The organisation that owns it (a referral's sender).
    pub organisation: String,
    /// A referral's receiving organisation.
    pub counterpart: Option<String>,
    /// Where it stands (`open`, a referral's state, …).
    pub state: String,
    /// When something is due (a referral's answer), in microseconds since the Unix epoch.
    pub due_at: Option<i64>,
    /// The record, as JSON.
    pub record: String,
    /// Its version: 1 when created, one more with every change.
    pub version: i64,
}

/// A notification to write with the change it tells of: to whom, what happened, about what.
/// It names its subject and carries no personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotification {
    /// The recipient's user name.
    pub recipient: String,
    /// What happened (`case.opened`, `referral.accept`, …).
    pub kind: String,
    /// What it is about: `case` or `referral`.
    pub subject_kind: String,
    /// Its id.
    pub subject_id: String,
    /// The case it belongs to, so that it goes when the case is purged.
    pub case_id: Option<String>,
    /// What the message needs besides (JSON: a priority, an organisation, …).
    pub detail: String,
}

/// A message this hub owes the other country's hub, written with the change it tells of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// The peer hub's country.
    pub peer: CountryCode,
    /// `referral` (handing one over) or `event` (a step taken on one).
    pub kind: String,
    /// The referral it is about: messages about one subject are delivered in order.
    pub subject_id: String,
    /// The case it belongs to, so that it goes when the case is purged.
    pub case_id: String,
    /// The message, as JSON.
    pub body: String,
}

/// A message waiting in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queued {
    /// Its number, rising: the order of delivery.
    pub id: i64,
    /// The message.
    pub message: Outgoing,
    /// How many deliveries failed.
    pub attempts: u32,
    /// Not to be tried before.
    pub next_at: DateTime<Utc>,
    /// Why the last delivery failed.
    pub last_error: Option<String>,
}

/// What a change to a protection record owes besides: notifications and messages to the other
/// country's hub, written in its transaction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Effects {
    /// The notifications.
    pub notify: Vec<NewNotification>,
    /// The messages to send.
    pub send: Vec<Outgoing>,
}

/// A stored notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// Its number, rising.
    pub id: i64,
    /// What was written.
    pub notification: NewNotification,
    /// When.
    pub created_at: DateTime<Utc>,
    /// When the recipient marked it read.
    pub read_at: Option<DateTime<Utc>>,
}

/// A file attached to a protection case, without its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// Its id.
    pub id: String,
    /// The case.
    pub case_id: String,
    /// The file's name.
    pub name: String,
    /// What the node found it to be (`application/pdf`, `image/png`, …).
    pub media_type: String,
    /// Its size in bytes.
    pub size: u64,
    /// The SHA-256 of its content, in hex.
    pub sha256: String,
    /// Who attached it.
    pub added_by: String,
    /// When.
    pub added_at: DateTime<Utc>,
}

/// Which protection records to read; every filter given must hold.
#[derive(Debug, Clone, Default)]
pub struct ProtectionQuery {
    /// The kind.
    pub kind: Option<String>,
    /// Of this case.
    pub case_id: Option<String>,
    /// Owned by this organisation, or received by it.
    pub organisation: Option<String>,
    /// Of this country.
    pub country: Option<CountryCode>,
    /// Due before this instant (microseconds).
    pub due_before: Option<i64>,
    /// In one of these states (none: any).
    pub states: Vec<String>,
}

/// Protection cases, referrals, consents, their files, notifications and the exchange outbox.
#[async_trait]
pub trait ProtectionStore: Send + Sync {
    /// Stores a protection record with its audit event and what it owes (notifications,
    /// messages to the other hub): a new
    /// one when `record.version` is 1, otherwise a change to the stored version
    /// `record.version - 1` (a `Conflict` when the stored version is another: someone changed
    /// it meanwhile).
    async fn save_protection(
        &self,
        record: &ProtectionRecord,
        at: DateTime<Utc>,
        audit: AuditDraft,
        effects: &Effects,
    ) -> Result<(), StoreError>;

    /// The messages waiting to be delivered (not given up), oldest first.
    async fn outbox(&self) -> Result<Vec<Queued>, StoreError>;

    /// Removes a delivered message.
    async fn outbox_delivered(&self, id: i64) -> Result<(), StoreError>;

    /// Records a failed delivery: to be tried again at `retry_at`, or given up when `None`.
    async fn outbox_failed(
        &self,
        id: i64,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// Stores a file attached to a case, with its audit event.
    async fn save_attachment(
        &self,
        attachment: &Attachment,
        content: &[u8],
        audit: AuditDraft,
    ) -> Result<(), StoreError>;

    /// A case's attachments, oldest first, without their content.
    async fn attachments(&self, case_id: &str) -> Result<Vec<Attachment>, StoreError>;

    /// One attachment with its content.
    async fn attachment(&self, id: &str) -> Result<Option<(Attachment, Vec<u8>)>, StoreError>;

    /// A recipient's notifications, newest first: at most `limit`, only the unread ones when
    /// asked.
    async fn notifications(
        &self,
        recipient: &str,
        unread_only: bool,
        limit: u32,
    ) -> Result<Vec<Notification>, StoreError>;

    /// How many notifications a recipient has not read.
    async fn unread_notifications(&self, recipient: &str) -> Result<u64, StoreError>;

    /// Marks a recipient's notifications read (those of `ids`; all of them when `ids` is
    /// empty). Returns how many were unread.
    async fn mark_notifications_read(
        &self,
        recipient: &str,
        ids: &[i64],
        at: DateTime<Utc>,
    ) -> Result<u64, StoreError>;

    /// One protection record.
    async fn protection_record(&self, kind: &str, id: &str) -> Result<Option<ProtectionRecord>, StoreError>;

    /// The protection records matching `query`, by kind and id.
    async fn protection_records(&self, query: &ProtectionQuery) -> Result<Vec<ProtectionRecord>, StoreError>;

    /// Deletes every protection record of a case (the case, its consents, its referrals, its
    /// attachments, the notifications and undelivered messages about them) and adds `counts` (month, measure, value, n) to the anonymous
    /// statistics, in one transaction with its audit event. Returns how many records were deleted.
    async fn purge_protection(
        &self,
        case_id: &str,
        counts: &[(String, String, String, u64)],
        audit: AuditDraft,
    ) -> Result<u64, StoreError>;

    /// Rewrites the protection tables after a purge, so that what was deleted is not left in
    /// the database's files: PostgreSQL rewrites them whole (`VACUUM FULL`); SQLite, which
    /// overwrites as it deletes, empties its write-ahead log.
    async fn compact_protection(&self) -> Result<(), StoreError>;

    /// The anonymous statistics purged cases left: (month, measure, value, n), in order.
    async fn protection_statistics(&self) -> Result<Vec<(String, String, String, u64)>, StoreError>;
}
