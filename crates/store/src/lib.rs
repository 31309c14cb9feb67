//! Frontera's storage.
//!
//! One [`Store`] trait with coarse, use-case-sized methods, implemented once per engine:
//! [`sqlite::SqliteStore`] (the default, embedded) and [`postgres::PostgresStore`] (a hub that
//! outgrows one machine). Both pass the same conformance suite (`tests/conformance.rs`).
//!
//! The store holds no business rules: it persists what the `app` crate decided, and it appends
//! the audit event the caller hands it in the same transaction as the change or read it records.
//! This crate is the only one that speaks SQL.

mod alerts;
pub mod postgres;
mod record;
pub mod sqlite;

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use frontera_domain::access::{Role, UserId};
use frontera_domain::alert::{AlertEntry, AlertKind, HitAction, HitStatus};
use frontera_domain::audit::{AuditDraft, AuditEvent};
use frontera_domain::{
    Category, CountryCode, Crossing, CrossingId, Direction, DocumentNumber, PartialDate, PersonId, PortId,
};

/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A record with this key exists and differs from the one given.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The record to change does not exist.
    #[error("{0} does not exist")]
    NotFound(String),
    /// The PostgreSQL engine failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// The SQLite engine failed.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The thread running a blocking database call failed.
    #[error("database worker error: {0}")]
    Worker(String),
    /// Migrations failed.
    #[error("migration error: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The database's schema is not one this version can migrate.
    #[error("schema error: {0}")]
    Schema(String),
    /// A stored value that no longer parses (written by something other than this code).
    #[error("corrupt stored value in {column}: {value}")]
    Corrupt {
        /// The column.
        column: &'static str,
        /// The value.
        value: String,
    },
    /// A database URL this build does not know.
    #[error("unsupported database URL {0:?}: use sqlite:PATH or postgres://…")]
    UnsupportedUrl(String),
}

/// The key of `meta` that changes with every change to the alert lists: a process holding them
/// in memory reloads them when it differs from what it loaded.
pub const ALERTS_VERSION: &str = "alerts_version";

/// The outcome of storing a crossing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recorded {
    /// Stored now.
    Created(Crossing),
    /// Stored before with the same content: nothing changed.
    AlreadyStored(Crossing),
}

/// Newest or oldest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    /// By `occurred_at` descending.
    #[default]
    NewestFirst,
    /// By `occurred_at` ascending.
    OldestFirst,
}

/// A search of crossings. Every filter is optional; `countries` empty means every country.
#[derive(Debug, Clone, Default)]
pub struct CrossingQuery {
    /// Only crossings held by these countries.
    pub countries: Vec<CountryCode>,
    /// At this port.
    pub port: Option<PortId>,
    /// In this direction.
    pub direction: Option<Direction>,
    /// At or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Before this instant.
    pub to: Option<DateTime<Utc>>,
    /// Travellers of this nationality.
    pub nationality: Option<CountryCode>,
    /// In this category.
    pub category: Option<Category>,
    /// Of this person.
    pub person: Option<PersonId>,
    /// The order.
    pub order: Order,
    /// Continue after this cursor (from a previous page).
    pub after: Option<Cursor>,
    /// At most this many (1–10 000).
    pub limit: u32,
}

/// Where a page of crossings ended: the last crossing's instant and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    /// `occurred_at` in microseconds since the epoch.
    pub occurred_micros: i64,
    /// The crossing's id.
    pub id: CrossingId,
}

impl Cursor {
    /// The opaque text form, `MICROS_UUID`.
    pub fn encode(&self) -> String {
        format!("{}_{}", self.occurred_micros, self.id.0.simple())
    }

    /// Parse the text form.
    pub fn decode(text: &str) -> Option<Cursor> {
        let (micros, id) = text.split_once('_')?;
        Some(Cursor {
            occurred_micros: micros.parse().ok()?,
            id: CrossingId(uuid::Uuid::parse_str(id).ok()?),
        })
    }

    /// The cursor after `crossing`.
    pub fn after(crossing: &Crossing) -> Cursor {
        Cursor { occurred_micros: crossing.occurred_at.timestamp_micros(), id: crossing.id }
    }
}

/// One page of a search.
#[derive(Debug, Clone)]
pub struct CrossingPage {
    /// The crossings.
    pub crossings: Vec<Crossing>,
    /// The cursor of the next page, when there may be one.
    pub next: Option<Cursor>,
}

/// A search of one country's travellers; every criterion given must hold.
#[derive(Debug, Clone)]
pub struct TravellerQuery {
    /// The country that holds them.
    pub country: CountryCode,
    /// Words that begin words of the name, compared without accents or case; empty for any name.
    pub name: String,
    /// The document number, exactly.
    pub document_number: Option<DocumentNumber>,
    /// The birth date; a partial date on either side matches the dates it contains.
    pub birth_date: Option<PartialDate>,
    /// At most this many (1–1 000), the most recently seen first.
    pub limit: u32,
}

/// What a count of crossings needs of one crossing: no one's personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrossingFact {
    /// When it happened.
    pub occurred_at: DateTime<Utc>,
    /// Entry or exit.
    pub direction: Direction,
    /// The traveller's category.
    pub category: Category,
    /// How long the counter took, where it was timed.
    pub processing_ms: Option<u32>,
    /// The port.
    pub port_id: PortId,
    /// The country that holds it (the port's).
    pub country: CountryCode,
    /// The traveller's nationality.
    pub nationality: CountryCode,
    /// The traveller's sex.
    pub sex: frontera_domain::Sex,
    /// The traveller's birth date, as far as recorded.
    pub birth_date: Option<PartialDate>,
}

/// A document a country holds, with what linking it to its holder compares (as its latest
/// crossing records them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    /// The person the document makes.
    pub person_id: PersonId,
    /// The holder's names, folded.
    pub name_key: String,
    /// The holder's birth date, as far as recorded.
    pub birth_date: Option<PartialDate>,
    /// Sex.
    pub sex: frontera_domain::Sex,
    /// Nationality.
    pub nationality: CountryCode,
}

/// One crossing as the study of stays reads it: whose, when, where, which way, as what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MovementFact {
    /// The holder, an index into [`Movements::holders`].
    pub holder: u32,
    /// When, in microseconds since the Unix epoch.
    pub occurred_at: i64,
    /// The port, an index into [`Movements::ports`].
    pub port: u16,
    /// Entry or exit.
    pub direction: Direction,
    /// The traveller's category.
    pub category: Category,
    /// At an entry, the days admitted for.
    pub permitted_stay_days: Option<u16>,
}

/// A country's crossings, compactly, as the study of stays and migrants reads them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Movements {
    /// The documents crossed on.
    pub holders: Vec<Holder>,
    /// The ports crossed at.
    pub ports: Vec<PortId>,
    /// The crossings, in no particular order.
    pub rows: Vec<MovementFact>,
}

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

/// A user as an administrator sees the account: never its secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// The user.
    pub user: User,
    /// Whether a password is set (the browser needs one).
    pub has_password: bool,
    /// How many API tokens the user has.
    pub api_tokens: u32,
    /// Failed logins since the last success.
    pub failed_logins: u32,
    /// Until when logins are refused.
    pub locked_until: Option<DateTime<Utc>>,
    /// When an administrator switched the account off.
    pub disabled_at: Option<DateTime<Utc>>,
}

/// A user account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Its id.
    pub id: UserId,
    /// Its unique name.
    pub name: String,
    /// Its role.
    pub role: Role,
    /// Its country.
    pub country: CountryCode,
    /// Its port, for post staff.
    pub port: Option<PortId>,
    /// Its organisation, for providers.
    pub organisation: Option<String>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// A new user's first credentials, as hashes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Credentials<'a> {
    /// The SHA-256 of an API token.
    pub token_hash: Option<&'a str>,
    /// When that token stops working.
    pub token_expires_at: Option<DateTime<Utc>>,
    /// The Argon2id PHC string of a password.
    pub password_hash: Option<&'a str>,
}

/// What a password check needs to know of a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginRecord {
    /// The user.
    pub user: User,
    /// The Argon2id PHC string of the password; `None` when the user has none (API only).
    pub password_hash: Option<String>,
    /// Failed logins since the last success (or the last lock's end).
    pub failed_logins: u32,
    /// Until when logins are refused, after too many failures.
    pub locked_until: Option<DateTime<Utc>>,
    /// Whether an administrator switched the account off.
    pub disabled: bool,
}

/// When repeated failed logins lock an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockPolicy {
    /// Failures in a row that lock the account.
    pub max_failures: u32,
    /// How long the lock lasts.
    pub lock_for: chrono::Duration,
}

impl LockPolicy {
    /// The count and lock after one more failure at `at`, from the stored ones.
    pub fn after_failure(
        &self,
        failed_logins: u32,
        locked_until: Option<DateTime<Utc>>,
        at: DateTime<Utc>,
    ) -> LoginFailure {
        // A lock that has run out starts the count again.
        let (failed, locked) = match locked_until {
            Some(until) if until <= at => (0, None),
            other => (failed_logins, other),
        };
        let failed_logins = failed.saturating_add(1);
        let locked_until = locked.or((failed_logins >= self.max_failures).then(|| at + self.lock_for));
        LoginFailure { failed_logins, locked_until }
    }
}

/// A failed login as counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginFailure {
    /// Failures in a row, this one included.
    pub failed_logins: u32,
    /// Set when this failure locked the account (or it was locked already).
    pub locked_until: Option<DateTime<Utc>>,
}

/// A browser session. Its `Debug` form hides the CSRF token.
#[derive(Clone, PartialEq, Eq)]
pub struct Session {
    /// The SHA-256 of the cookie's secret.
    pub token_hash: String,
    /// Whose session it is.
    pub user: UserId,
    /// The token every form of this session must send back.
    pub csrf_token: String,
    /// When it began.
    pub created_at: DateTime<Utc>,
    /// When it ends, whatever happens.
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("user", &self.user)
            .field("created_at", &self.created_at)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

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

/// A crossing to import with its fingerprint and statistical cell.
#[derive(Debug, Clone)]
pub struct ImportRow {
    /// The crossing.
    pub crossing: Crossing,
    /// The digest of its content, to tell a re-import from a conflicting record.
    pub fingerprint: String,
    /// The cell of `crossing_counts` it counts in, if stored.
    pub key: frontera_domain::CountKey,
}

/// Which counts of `crossing_counts` to read; every filter given must hold.
#[derive(Debug, Clone, Default)]
pub struct CountQuery {
    /// Only these countries' (none: every country's).
    pub countries: Vec<CountryCode>,
    /// From this local day on.
    pub from: Option<chrono::NaiveDate>,
    /// Up to this local day.
    pub to: Option<chrono::NaiveDate>,
    /// Read the counts a month at a time (each cell's day the month's first): for tables by
    /// month, quarter or year over whole months.
    pub monthly: bool,
}

/// What a batch of an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportCounts {
    /// Rows stored now.
    pub inserted: u64,
    /// Rows stored before with the same content.
    pub already_present: u64,
    /// Rows whose id is stored with different content.
    pub conflicting: Vec<CrossingId>,
}

/// A bulk import in one transaction: nothing is stored unless [`ImportSession::commit`] runs.
#[async_trait]
pub trait ImportSession: Send {
    /// Add a batch (taken by value: the engine may hand it to another thread).
    async fn insert(&mut self, rows: Vec<ImportRow>) -> Result<ImportCounts, StoreError>;
    /// Append the import's audit event and commit.
    async fn commit(self: Box<Self>, audit: AuditDraft) -> Result<AuditEvent, StoreError>;
}

/// The storage of one node.
///
/// Reads of personal data take the audit event to append; the store appends it in the same
/// transaction, adding to its JSON `detail` the ids of the records returned (`"ids": [...]`).
#[async_trait]
pub trait Store: Send + Sync {
    /// The engine's name: `sqlite` or `postgres`.
    fn engine(&self) -> &'static str;

    /// Store a crossing and its audit event. Storing the same id again with the same
    /// `fingerprint` changes nothing; with a different one it is a [`StoreError::Conflict`].
    /// With `screening`, the crossing keeps its screening outcome and hits. A crossing stored
    /// now counts in the cell `key` of `crossing_counts`.
    async fn record_crossing(
        &self,
        crossing: &Crossing,
        fingerprint: &str,
        key: &frontera_domain::CountKey,
        screening: Option<&ScreeningRecord>,
        audit: AuditDraft,
    ) -> Result<Recorded, StoreError>;

    /// The counts of crossings per statistical cell that `query` selects (`crossing_counts`,
    /// kept with every crossing stored), in no order.
    async fn crossing_counts(
        &self,
        query: &CountQuery,
    ) -> Result<Vec<(frontera_domain::CountKey, u64)>, StoreError>;

    /// Replaces every count with `counts`, worked out from `crossings` stored crossings, and
    /// notes that the counts are whole (`node_meta.crossing_counts`): one transaction, refused
    /// with a [`StoreError::Conflict`] when the store holds another number of crossings by then.
    async fn replace_counts(
        &self,
        counts: Vec<(frontera_domain::CountKey, u64)>,
        crossings: u64,
    ) -> Result<(), StoreError>;

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

    /// One crossing, appending `audit` when it is found.
    async fn crossing(
        &self,
        id: CrossingId,
        audit: Option<AuditDraft>,
    ) -> Result<Option<Crossing>, StoreError>;

    /// A page of crossings, appending `audit` (with the ids returned).
    async fn search_crossings(
        &self,
        query: &CrossingQuery,
        audit: Option<AuditDraft>,
    ) -> Result<CrossingPage, StoreError>;

    /// The number of crossings matching `query` (its cursor and limit ignored).
    async fn count_crossings(&self, query: &CrossingQuery) -> Result<u64, StoreError>;

    /// The latest crossing of each traveller matching `query`, the most recently seen first,
    /// appending `audit` (with the ids returned).
    async fn search_travellers(
        &self,
        query: &TravellerQuery,
        audit: Option<AuditDraft>,
    ) -> Result<Vec<Crossing>, StoreError>;

    /// The open overstays of a country (or of one port's entries) at `at`: travellers whose
    /// latest crossing is an entry whose permitted stay ended before `at`, the longest overdue
    /// first, at most `limit`; with their number. Appends `audit` (with the ids returned) when
    /// given; `limit` 0 counts without reading anyone.
    async fn overstays(
        &self,
        country: CountryCode,
        port: Option<&PortId>,
        at: DateTime<Utc>,
        limit: u32,
        audit: Option<AuditDraft>,
    ) -> Result<(u64, Vec<Crossing>), StoreError>;

    /// The facts of the crossings matching `query`'s filters (its order, cursor and limit
    /// ignored), in no particular order.
    async fn crossing_facts(&self, query: &CrossingQuery) -> Result<Vec<CrossingFact>, StoreError>;

    /// The crossings of `country` before `before` (all when `None`), with the documents crossed
    /// on.
    async fn movements(
        &self,
        country: CountryCode,
        before: Option<DateTime<Utc>>,
    ) -> Result<Movements, StoreError>;

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

    /// The anonymous statistics purged cases left: (month, measure, value, n), in order.
    async fn protection_statistics(&self) -> Result<Vec<(String, String, String, u64)>, StoreError>;

    /// Begin a bulk import of about `expected_rows` crossings. The number is a hint: an engine may
    /// load a large import differently (SQLite rebuilds its secondary indexes once at commit when
    /// the import outgrows the table), never with a different outcome.
    async fn begin_import(&self, expected_rows: u64) -> Result<Box<dyn ImportSession>, StoreError>;

    /// Create a user, with an API token's hash if given, and its audit event.
    async fn add_user(
        &self,
        user: &User,
        credentials: Credentials<'_>,
        audit: AuditDraft,
    ) -> Result<(), StoreError>;

    /// Add an API token to a user, working until `expires_at`.
    async fn add_token(
        &self,
        user: UserId,
        token_hash: &str,
        expires_at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> Result<(), StoreError>;

    /// Revoke every API token of a user; answers how many there were. (A new password and
    /// switching an account off revoke them too, in their own transactions.)
    async fn revoke_tokens(&self, user: UserId, audit: AuditDraft) -> Result<u64, StoreError>;

    /// The user an API token's hash belongs to, while the token lasts at `now`, unless the
    /// account is switched off.
    async fn user_by_token(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<User>, StoreError>;

    /// The user with this name.
    async fn user_by_name(&self, name: &str) -> Result<Option<User>, StoreError>;

    /// The user with this name and what checking a password needs.
    async fn login_record(&self, name: &str) -> Result<Option<LoginRecord>, StoreError>;

    /// Set (or replace) a user's password hash; clears failed logins and any lock, and ends
    /// the user's sessions.
    async fn set_password(
        &self,
        user: UserId,
        password_hash: &str,
        audit: AuditDraft,
    ) -> Result<(), StoreError>;

    /// Count a failed login at `at`, locking the account as `policy` says; a lock that has run
    /// out starts the count again. The event's detail gains the count and the lock.
    async fn login_failed(
        &self,
        user: UserId,
        at: DateTime<Utc>,
        policy: LockPolicy,
        audit: AuditDraft,
    ) -> Result<LoginFailure, StoreError>;

    /// A successful login: clears the failures, stores the session and drops expired ones.
    async fn open_session(&self, session: &Session, audit: AuditDraft) -> Result<(), StoreError>;

    /// The session with this hash, and its user, unless the account is switched off.
    async fn session(&self, token_hash: &str) -> Result<Option<(Session, User)>, StoreError>;

    /// End a session (a no-op when it is gone).
    async fn close_session(&self, token_hash: &str, audit: AuditDraft) -> Result<(), StoreError>;

    /// Change a user's role, port and organisation (the rest of `user` is ignored) and switch the
    /// account off (`disabled_at`) or on; ends the user's sessions.
    async fn update_user(
        &self,
        user: &User,
        disabled_at: Option<DateTime<Utc>>,
        audit: AuditDraft,
    ) -> Result<(), StoreError>;

    /// Every account, of one country or of all, by name.
    async fn accounts(&self, country: Option<CountryCode>) -> Result<Vec<Account>, StoreError>;

    /// Audit events matching `query`, newest first.
    async fn search_audit(&self, query: &AuditQuery) -> Result<Vec<AuditEvent>, StoreError>;

    /// Append an audit event on its own.
    async fn append_audit(&self, audit: AuditDraft) -> Result<AuditEvent, StoreError>;

    /// Audit events after `after_seq`, in order, at most `limit`.
    async fn audit_events(&self, after_seq: i64, limit: u32) -> Result<Vec<AuditEvent>, StoreError>;

    /// The last event's `seq` and hash as the store recorded them when appending.
    async fn audit_head(&self) -> Result<Option<(i64, String)>, StoreError>;

    /// A value of the node's own settings (its id, …).
    async fn meta(&self, key: &str) -> Result<Option<String>, StoreError>;

    /// Set a value of the node's own settings.
    async fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError>;
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

/// Adds the returned ids to an audit event's JSON detail.
pub(crate) fn with_ids(audit: AuditDraft, ids: &[CrossingId]) -> AuditDraft {
    with_detail(audit, "ids", ids.iter().map(|i| serde_json::Value::String(i.to_string())).collect())
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

/// Adds a failed login's count and lock to its audit event.
pub(crate) fn with_failure(audit: AuditDraft, failure: LoginFailure) -> AuditDraft {
    let audit = with_detail(audit, "failed_logins", failure.failed_logins.into());
    let locked = failure.locked_until.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    with_detail(audit, "locked_until", locked.into())
}
