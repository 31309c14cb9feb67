//! The sqlite engine: alert lists, their entries, and the screening and hits kept with each crossing.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use frontera_domain::audit::AuditDraft;
use frontera_domain::{CountryCode, CrossingId};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params};
use uuid::Uuid;

use super::{SqliteStore, append, uuid_of};
use crate::alerts::{
    ALERTS_VERSION, AlertList, AlertListSettings, AlertQuery, AlertStore, HitQuery, HitRecord, ListChanges,
    ScreeningRecord, StoredAlert, with_changes,
};
use crate::error::StoreError;
use crate::rows::alerts::{
    ENTRY_COLUMNS, EntryBody, EntryRow, EntryWrite, HIT_COLUMNS, HitRow, LIST_SELECT, ListRow, micros,
    plan_import,
};
use crate::rows::from_micros;

#[async_trait]
impl AlertStore for SqliteStore {
    async fn screening(&self, crossing: CrossingId) -> Result<Option<ScreeningRecord>, StoreError> {
        self.read(move |conn| {
            let id = crossing.0.as_bytes().to_vec();
            let head: Option<(i64, i64, bool)> = conn
                .prepare_cached("SELECT screened_at, entries, protection FROM screenings WHERE crossing_id = ?1")?
                .query_row(params![id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()?;
            let Some((at, entries, protection)) = head else { return Ok(None) };
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {HIT_COLUMNS} FROM screening_hits WHERE crossing_id = ?1 ORDER BY score DESC, reference"
            ))?;
            let mut rows = stmt.query(params![id])?;
            let mut hits = Vec::new();
            while let Some(row) = rows.next()? {
                hits.push(hit_from_row(row)?);
            }
            Ok(Some(ScreeningRecord {
                screened_at: from_micros("screenings.screened_at", at)?,
                entries: entries.max(0) as u64,
                protection,
                hits,
            }))
        })
        .await
    }

    async fn hits(&self, query: &HitQuery) -> Result<Vec<HitRecord>, StoreError> {
        let query = query.clone();
        self.read(move |conn| {
            let mut sql = format!("SELECT {HIT_COLUMNS} FROM screening_hits WHERE country = ?");
            let mut args: Vec<Value> = vec![Value::Text(query.country.to_string())];
            if let Some(port) = &query.port {
                sql.push_str(" AND port_id = ?");
                args.push(Value::Text(port.to_string()));
            }
            if !query.statuses.is_empty() {
                let marks = vec!["?"; query.statuses.len()].join(", ");
                sql.push_str(&format!(" AND status IN ({marks})"));
                args.extend(query.statuses.iter().map(|s| Value::Text(s.as_str().into())));
            }
            sql.push_str(" ORDER BY created_at DESC, id LIMIT ?");
            args.push(Value::Integer(i64::from(query.limit.clamp(1, 1000))));
            let mut stmt = conn.prepare_cached(&sql)?;
            let mut rows = stmt.query(rusqlite::params_from_iter(args))?;
            let mut out = Vec::new();
            while let Some(row) = rows.next()? {
                out.push(hit_from_row(row)?);
            }
            Ok(out)
        })
        .await
    }

    async fn hit(&self, id: Uuid) -> Result<Option<HitRecord>, StoreError> {
        self.read(move |conn| hit_by_id(conn, id)).await
    }

    async fn resolve_hit(
        &self,
        id: Uuid,
        from: frontera_domain::alert::HitStatus,
        to: frontera_domain::alert::HitStatus,
        by: &str,
        at: DateTime<Utc>,
        note: Option<&str>,
        audit: AuditDraft,
    ) -> Result<HitRecord, StoreError> {
        let (by, note) = (by.to_string(), note.map(str::to_string));
        self.write(move |tx| {
            let changed = tx.execute(
                "UPDATE screening_hits SET status = ?3, resolved_by = ?4, resolved_at = ?5, note = ?6 \
                 WHERE id = ?1 AND status = ?2",
                params![id.as_bytes().as_slice(), from.as_str(), to.as_str(), by, micros(at), note],
            )?;
            if changed == 0 {
                return match hit_by_id(tx, id)? {
                    None => Err(StoreError::NotFound(format!("hit {id}"))),
                    Some(h) => Err(StoreError::Conflict(format!("hit {id} is {} now", h.status.as_str()))),
                };
            }
            append(tx, audit)?;
            hit_by_id(tx, id)?.ok_or_else(|| StoreError::NotFound(format!("hit {id}")))
        })
        .await
    }

    async fn save_alert_list(&self, list: &AlertListSettings, audit: AuditDraft) -> Result<(), StoreError> {
        let list = list.clone();
        self.write(move |tx| {
            let at = Utc::now();
            upsert_list(tx, &list, at)?;
            touch_alerts(tx)?;
            append(tx, audit)?;
            Ok(())
        })
        .await
    }

    async fn alert_lists(&self, country: Option<CountryCode>) -> Result<Vec<AlertList>, StoreError> {
        self.read(move |conn| {
            let (sql, args) = match country {
                Some(c) => (
                    format!("{LIST_SELECT} WHERE l.country = ?1 ORDER BY l.country, l.name"),
                    vec![c.to_string()],
                ),
                None => (format!("{LIST_SELECT} ORDER BY l.country, l.name"), Vec::new()),
            };
            let mut stmt = conn.prepare_cached(&sql)?;
            let mut rows = stmt.query(rusqlite::params_from_iter(args))?;
            let mut out = Vec::new();
            while let Some(row) = rows.next()? {
                out.push(list_from_row(row)?);
            }
            Ok(out)
        })
        .await
    }

    async fn import_alerts(
        &self,
        list: &AlertListSettings,
        entries: Vec<frontera_domain::alert::AlertEntry>,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> Result<ListChanges, StoreError> {
        let list = list.clone();
        self.write(move |tx| {
            let country = list.country.to_string();
            upsert_list(tx, &list, at)?;
            let mut stored = std::collections::HashMap::new();
            {
                let mut stmt = tx.prepare_cached(
                    "SELECT reference, fingerprint, retired_at IS NOT NULL FROM alert_entries WHERE country = ?1 AND list = ?2",
                )?;
                let mut rows = stmt.query(params![country, list.name])?;
                while let Some(row) = rows.next()? {
                    stored.insert(row.get::<_, String>(0)?, (row.get::<_, String>(1)?, row.get::<_, bool>(2)?));
                }
            }
            let (changes, writes) = plan_import(&stored, &entries)?;
            let at = micros(at);
            let mut insert = tx.prepare_cached(
                "INSERT INTO alert_entries (country, list, reference, body, fingerprint, created_at, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            )?;
            let mut update = tx.prepare_cached(
                "UPDATE alert_entries SET body = ?4, fingerprint = ?5, updated_at = ?6, retired_at = NULL \
                 WHERE country = ?1 AND list = ?2 AND reference = ?3",
            )?;
            let mut retire = tx.prepare_cached(
                "UPDATE alert_entries SET retired_at = ?4, updated_at = ?4 WHERE country = ?1 AND list = ?2 AND reference = ?3",
            )?;
            for write in writes {
                match write {
                    EntryWrite::Insert(b) => {
                        insert.execute(params![country, list.name, b.reference, b.body, b.fingerprint, at])?;
                    }
                    EntryWrite::Update(b) => {
                        update.execute(params![country, list.name, b.reference, b.body, b.fingerprint, at])?;
                    }
                    EntryWrite::Retire(reference) => {
                        retire.execute(params![country, list.name, reference, at])?;
                    }
                }
            }
            touch_alerts(tx)?;
            append(tx, with_changes(audit, &changes))?;
            Ok(changes)
        })
        .await
    }

    async fn save_alert(
        &self,
        country: CountryCode,
        list: &str,
        entry: &frontera_domain::alert::AlertEntry,
        create: bool,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> Result<StoredAlert, StoreError> {
        let (list, body) = (list.to_string(), EntryBody::of(entry)?);
        self.write(move |tx| {
            let c = country.to_string();
            if !list_exists(tx, &c, &list)? {
                return Err(StoreError::NotFound(format!("alert list {list}")));
            }
            let exists = entry_by_key(tx, &c, &list, &body.reference)?.is_some();
            match (create, exists) {
                (true, true) => {
                    return Err(StoreError::Conflict(format!("{list} already holds the reference {}", body.reference)));
                }
                (false, false) => return Err(StoreError::NotFound(format!("alert {list}/{}", body.reference))),
                (true, false) => {
                    tx.execute(
                        "INSERT INTO alert_entries (country, list, reference, body, fingerprint, created_at, updated_at) \
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
                        params![c, list, body.reference, body.body, body.fingerprint, micros(at)],
                    )?;
                }
                (false, true) => {
                    tx.execute(
                        "UPDATE alert_entries SET body = ?4, fingerprint = ?5, updated_at = ?6 \
                         WHERE country = ?1 AND list = ?2 AND reference = ?3",
                        params![c, list, body.reference, body.body, body.fingerprint, micros(at)],
                    )?;
                }
            }
            touch_alerts(tx)?;
            append(tx, audit)?;
            entry_by_key(tx, &c, &list, &body.reference)?
                .ok_or_else(|| StoreError::NotFound(format!("alert {list}/{}", body.reference)))
        })
        .await
    }

    async fn retire_alert(
        &self,
        country: CountryCode,
        list: &str,
        reference: &str,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> Result<StoredAlert, StoreError> {
        let (list, reference) = (list.to_string(), reference.to_string());
        self.write(move |tx| {
            let c = country.to_string();
            let Some(stored) = entry_by_key(tx, &c, &list, &reference)? else {
                return Err(StoreError::NotFound(format!("alert {list}/{reference}")));
            };
            if stored.retired_at.is_some() {
                return Ok(stored);
            }
            tx.execute(
                "UPDATE alert_entries SET retired_at = ?4, updated_at = ?4 WHERE country = ?1 AND list = ?2 AND reference = ?3",
                params![c, list, reference, micros(at)],
            )?;
            touch_alerts(tx)?;
            append(tx, audit)?;
            entry_by_key(tx, &c, &list, &reference)?
                .ok_or_else(|| StoreError::NotFound(format!("alert {list}/{reference}")))
        })
        .await
    }

    async fn alert(
        &self,
        country: CountryCode,
        list: &str,
        reference: &str,
    ) -> Result<Option<StoredAlert>, StoreError> {
        let (list, reference) = (list.to_string(), reference.to_string());
        self.read(move |conn| entry_by_key(conn, country.as_str(), &list, &reference)).await
    }

    async fn alerts(&self, query: &AlertQuery) -> Result<Vec<StoredAlert>, StoreError> {
        let query = query.clone();
        self.read(move |conn| {
            let mut sql = format!("SELECT {ENTRY_COLUMNS} FROM alert_entries WHERE 1 = 1");
            let mut args: Vec<Value> = Vec::new();
            if let Some(c) = query.country {
                sql.push_str(" AND country = ?");
                args.push(Value::Text(c.to_string()));
            }
            if let Some(list) = &query.list {
                sql.push_str(" AND list = ?");
                args.push(Value::Text(list.clone()));
            }
            if !query.include_retired {
                sql.push_str(" AND retired_at IS NULL");
            }
            if let Some((list, reference)) = &query.after {
                sql.push_str(" AND (list > ? OR (list = ? AND reference > ?))");
                args.extend([
                    Value::Text(list.clone()),
                    Value::Text(list.clone()),
                    Value::Text(reference.clone()),
                ]);
            }
            sql.push_str(" ORDER BY country, list, reference");
            if query.limit > 0 {
                sql.push_str(" LIMIT ?");
                args.push(Value::Integer(i64::from(query.limit)));
            }
            let mut stmt = conn.prepare(&sql)?;
            let mut rows = stmt.query(rusqlite::params_from_iter(args))?;
            let mut out = Vec::new();
            while let Some(row) = rows.next()? {
                out.push(entry_from_row(row)?);
            }
            Ok(out)
        })
        .await
    }
}

pub(super) fn hit_from_row(row: &Row<'_>) -> Result<HitRecord, StoreError> {
    HitRow {
        id: uuid_of(row.get("id")?, "screening_hits.id")?,
        crossing_id: uuid_of(row.get("crossing_id")?, "screening_hits.crossing_id")?,
        country: row.get("country")?,
        port_id: row.get("port_id")?,
        list: row.get("list")?,
        reference: row.get("reference")?,
        kind: row.get("kind")?,
        action: row.get("action")?,
        score: row.get("score")?,
        names: row.get("names")?,
        explanation: row.get("explanation")?,
        status: row.get("status")?,
        created_at: row.get("created_at")?,
        resolved_by: row.get("resolved_by")?,
        resolved_at: row.get("resolved_at")?,
        note: row.get("note")?,
    }
    .into_hit()
}

pub(super) fn entry_from_row(row: &Row<'_>) -> Result<StoredAlert, StoreError> {
    EntryRow {
        country: row.get("country")?,
        list: row.get("list")?,
        reference: row.get("reference")?,
        body: row.get("body")?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
        retired_at: row.get("retired_at")?,
    }
    .into_alert()
}

pub(super) fn list_from_row(row: &Row<'_>) -> Result<AlertList, StoreError> {
    ListRow {
        country: row.get("country")?,
        name: row.get("name")?,
        kind: row.get("kind")?,
        threshold: row.get("threshold")?,
        source: row.get("source")?,
        updated_at: row.get("updated_at")?,
        active: row.get("active")?,
        retired: row.get("retired")?,
    }
    .into_list()
}

pub(super) fn insert_hits(conn: &Connection, hits: &[HitRecord]) -> Result<(), StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "INSERT INTO screening_hits ({HIT_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"
    ))?;
    for hit in hits {
        let r = HitRow::of(hit);
        stmt.execute(params![
            r.id.as_bytes().as_slice(),
            r.crossing_id.as_bytes().as_slice(),
            r.country,
            r.port_id,
            r.list,
            r.reference,
            r.kind,
            r.action,
            r.score,
            r.names,
            r.explanation,
            r.status,
            r.created_at,
            r.resolved_by,
            r.resolved_at,
            r.note,
        ])?;
    }
    Ok(())
}

pub(super) fn hit_by_id(conn: &Connection, id: Uuid) -> Result<Option<HitRecord>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {HIT_COLUMNS} FROM screening_hits WHERE id = ?1"))?;
    let mut rows = stmt.query(params![id.as_bytes().as_slice()])?;
    match rows.next()? {
        Some(row) => Ok(Some(hit_from_row(row)?)),
        None => Ok(None),
    }
}

pub(super) fn entry_by_key(
    conn: &Connection,
    country: &str,
    list: &str,
    reference: &str,
) -> Result<Option<StoredAlert>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ENTRY_COLUMNS} FROM alert_entries WHERE country = ?1 AND list = ?2 AND reference = ?3"
    ))?;
    let mut rows = stmt.query(params![country, list, reference])?;
    match rows.next()? {
        Some(row) => Ok(Some(entry_from_row(row)?)),
        None => Ok(None),
    }
}

pub(super) fn list_exists(conn: &Connection, country: &str, list: &str) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM alert_lists WHERE country = ?1 AND name = ?2")?
        .query_row(params![country, list], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Marks a change to the alert lists, so that every process holding them in memory reloads.
pub(super) fn touch_alerts(conn: &Connection) -> Result<(), StoreError> {
    let version = Uuid::now_v7().to_string();
    conn.prepare_cached(
        "INSERT INTO node_meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2",
    )?
    .execute(params![ALERTS_VERSION, version])?;
    Ok(())
}

pub(super) fn upsert_list(
    conn: &Connection,
    list: &AlertListSettings,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO alert_lists (country, name, kind, threshold, source, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
         ON CONFLICT (country, name) DO UPDATE SET kind = ?3, threshold = ?4, source = COALESCE(?5, source), updated_at = ?6",
    )?
    .execute(params![list.country.as_str(), list.name, list.kind.as_str(), list.threshold, list.source, micros(at)])?;
    Ok(())
}
