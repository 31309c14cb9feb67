//! Crossings and their counts: record, search, travellers, facts for statistics, bulk import.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use frontera_domain::audit::{AuditDraft, AuditEvent};
use frontera_domain::{
    Category, CountryCode, Crossing, CrossingId, Direction, DocumentNumber, PartialDate, PersonId, PortId,
};

use crate::alerts::ScreeningRecord;
use crate::audit::with_detail;
use crate::error::StoreError;

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

/// Adds the returned ids to an audit event's JSON detail.
pub(crate) fn with_ids(audit: AuditDraft, ids: &[CrossingId]) -> AuditDraft {
    with_detail(audit, "ids", ids.iter().map(|i| serde_json::Value::String(i.to_string())).collect())
}

/// Crossings and their counts: record, search, travellers, facts for statistics, bulk import.
#[async_trait]
pub trait CrossingStore: Send + Sync {
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

    /// Begin a bulk import of about `expected_rows` crossings. The number is a hint: an engine may
    /// load a large import differently (SQLite rebuilds its secondary indexes once at commit when
    /// the import outgrows the table), never with a different outcome.
    async fn begin_import(&self, expected_rows: u64) -> Result<Box<dyn ImportSession>, StoreError>;
}
