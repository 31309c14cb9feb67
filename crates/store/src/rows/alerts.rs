//! The row forms of alert lists, entries and screening hits, and the plan of a list's import,
//! shared by both engines.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use frontera_domain::alert::{AlertEntry, AlertKind, HitAction, HitStatus};
use frontera_domain::{CountryCode, CrossingId, PortId};
use uuid::Uuid;

use super::shared::from_micros;
use crate::alerts::{AlertList, AlertListSettings, HitRecord, ListChanges, StoredAlert};
use crate::error::StoreError;

fn corrupt(column: &'static str, value: &str) -> StoreError {
    StoreError::Corrupt { column, value: value.to_string() }
}

fn country(column: &'static str, value: &str) -> Result<CountryCode, StoreError> {
    CountryCode::parse(value).map_err(|_| corrupt(column, value))
}

/// The columns of `alert_lists` a reading selects, with each list's counts.
pub(crate) const LIST_SELECT: &str = "SELECT l.country, l.name, l.kind, l.threshold, l.source, l.updated_at, \
    (SELECT COUNT(*) FROM alert_entries e WHERE e.country = l.country AND e.list = l.name AND e.retired_at IS NULL) AS active, \
    (SELECT COUNT(*) FROM alert_entries e WHERE e.country = l.country AND e.list = l.name AND e.retired_at IS NOT NULL) AS retired \
    FROM alert_lists l";

/// A row of `alert_lists` with its counts.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct ListRow {
    pub country: String,
    pub name: String,
    pub kind: String,
    pub threshold: f64,
    pub source: Option<String>,
    pub updated_at: i64,
    pub active: i64,
    pub retired: i64,
}

impl ListRow {
    pub(crate) fn into_list(self) -> Result<AlertList, StoreError> {
        Ok(AlertList {
            settings: AlertListSettings {
                country: country("alert_lists.country", &self.country)?,
                kind: AlertKind::parse(&self.kind).map_err(|_| corrupt("alert_lists.kind", &self.kind))?,
                name: self.name,
                threshold: self.threshold,
                source: self.source,
            },
            updated_at: from_micros("alert_lists.updated_at", self.updated_at)?,
            active: self.active.max(0) as u64,
            retired: self.retired.max(0) as u64,
        })
    }
}

/// The columns of `alert_entries` a reading selects.
pub(crate) const ENTRY_COLUMNS: &str = "country, list, reference, body, created_at, updated_at, retired_at";

/// A row of `alert_entries`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct EntryRow {
    pub country: String,
    pub list: String,
    pub reference: String,
    pub body: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub retired_at: Option<i64>,
}

impl EntryRow {
    pub(crate) fn into_alert(self) -> Result<StoredAlert, StoreError> {
        let entry: AlertEntry =
            serde_json::from_str(&self.body).map_err(|_| corrupt("alert_entries.body", &self.reference))?;
        Ok(StoredAlert {
            country: country("alert_entries.country", &self.country)?,
            list: self.list,
            entry,
            created_at: from_micros("alert_entries.created_at", self.created_at)?,
            updated_at: from_micros("alert_entries.updated_at", self.updated_at)?,
            retired_at: self.retired_at.map(|t| from_micros("alert_entries.retired_at", t)).transpose()?,
        })
    }
}

/// An entry as stored: its JSON and its digest.
#[derive(Debug, Clone)]
pub(crate) struct EntryBody {
    pub reference: String,
    pub body: String,
    pub fingerprint: String,
}

impl EntryBody {
    pub(crate) fn of(entry: &AlertEntry) -> Result<EntryBody, StoreError> {
        let body = serde_json::to_string(entry).map_err(|e| StoreError::Worker(e.to_string()))?;
        Ok(EntryBody { reference: entry.reference.clone(), body, fingerprint: entry.fingerprint() })
    }
}

/// One write of a list's import.
#[derive(Debug, Clone)]
pub(crate) enum EntryWrite {
    /// A reference new to the list.
    Insert(EntryBody),
    /// New content for a stored reference (which also brings a retired one back).
    Update(EntryBody),
    /// A stored reference the new version no longer holds.
    Retire(String),
}

/// What an import of `entries` does to a list whose stored entries are `stored` (reference →
/// fingerprint and whether retired).
pub(crate) fn plan_import(
    stored: &HashMap<String, (String, bool)>,
    entries: &[AlertEntry],
) -> Result<(ListChanges, Vec<EntryWrite>), StoreError> {
    let mut changes = ListChanges::default();
    let mut writes = Vec::new();
    let mut seen: HashMap<&str, ()> = HashMap::with_capacity(entries.len());
    for entry in entries {
        if seen.insert(entry.reference.as_str(), ()).is_some() {
            return Err(StoreError::Conflict(format!("the reference {} is given twice", entry.reference)));
        }
        let body = EntryBody::of(entry)?;
        match stored.get(&entry.reference) {
            None => {
                changes.added.push(entry.reference.clone());
                writes.push(EntryWrite::Insert(body));
            }
            Some((fingerprint, retired)) if *fingerprint == body.fingerprint && !retired => {
                changes.unchanged += 1;
            }
            Some(_) => {
                changes.updated.push(entry.reference.clone());
                writes.push(EntryWrite::Update(body));
            }
        }
    }
    let mut gone: Vec<&String> = stored
        .iter()
        .filter(|(r, (_, retired))| !retired && !seen.contains_key(r.as_str()))
        .map(|(r, _)| r)
        .collect();
    gone.sort();
    for reference in gone {
        changes.retired.push(reference.clone());
        writes.push(EntryWrite::Retire(reference.clone()));
    }
    Ok((changes, writes))
}

/// The columns of `screening_hits`, in the order the engines bind them.
pub(crate) const HIT_COLUMNS: &str = "id, crossing_id, country, port_id, list, reference, kind, action, score, \
    names, explanation, status, created_at, resolved_by, resolved_at, note";

/// A row of `screening_hits`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct HitRow {
    pub id: Uuid,
    pub crossing_id: Uuid,
    pub country: String,
    pub port_id: String,
    pub list: String,
    pub reference: String,
    pub kind: String,
    pub action: String,
    pub score: f64,
    pub names: String,
    pub explanation: String,
    pub status: String,
    pub created_at: i64,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<i64>,
    pub note: Option<String>,
}

impl HitRow {
    pub(crate) fn of(hit: &HitRecord) -> HitRow {
        HitRow {
            id: hit.id,
            crossing_id: hit.crossing_id.0,
            country: hit.country.to_string(),
            port_id: hit.port_id.to_string(),
            list: hit.list.clone(),
            reference: hit.reference.clone(),
            kind: hit.kind.as_str().into(),
            action: hit.action.as_str().into(),
            score: hit.score,
            names: serde_json::to_string(&hit.names).unwrap_or_else(|_| "[]".into()),
            explanation: hit.explanation.clone(),
            status: hit.status.as_str().into(),
            created_at: hit.created_at.timestamp_micros(),
            resolved_by: hit.resolved_by.clone(),
            resolved_at: hit.resolved_at.map(|t| t.timestamp_micros()),
            note: hit.note.clone(),
        }
    }

    pub(crate) fn into_hit(self) -> Result<HitRecord, StoreError> {
        Ok(HitRecord {
            id: self.id,
            crossing_id: CrossingId(self.crossing_id),
            country: country("screening_hits.country", &self.country)?,
            port_id: PortId::parse(&self.port_id)
                .map_err(|_| corrupt("screening_hits.port_id", &self.port_id))?,
            kind: AlertKind::parse(&self.kind).map_err(|_| corrupt("screening_hits.kind", &self.kind))?,
            action: HitAction::parse(&self.action)
                .map_err(|_| corrupt("screening_hits.action", &self.action))?,
            status: HitStatus::parse(&self.status)
                .map_err(|_| corrupt("screening_hits.status", &self.status))?,
            names: serde_json::from_str(&self.names)
                .map_err(|_| corrupt("screening_hits.names", &self.names))?,
            list: self.list,
            reference: self.reference,
            score: self.score,
            explanation: self.explanation,
            created_at: from_micros("screening_hits.created_at", self.created_at)?,
            resolved_by: self.resolved_by,
            resolved_at: self
                .resolved_at
                .map(|t| from_micros("screening_hits.resolved_at", t))
                .transpose()?,
            note: self.note,
        })
    }
}

/// The micros of an instant, as both engines store it.
pub(crate) fn micros(at: DateTime<Utc>) -> i64 {
    at.timestamp_micros()
}
