//! The postgres engine: alert lists, their entries, and the screening and hits kept with each crossing.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use frontera_domain::audit::AuditDraft;
use frontera_domain::{CountryCode, CrossingId};
use sqlx::{PgConnection, Postgres, QueryBuilder};
use uuid::Uuid;

use super::{PostgresStore, append};
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
impl AlertStore for PostgresStore {
    async fn screening(&self, crossing: CrossingId) -> Result<Option<ScreeningRecord>, StoreError> {
        let head: Option<(i64, i64, bool)> =
            sqlx::query_as("SELECT screened_at, entries, protection FROM screenings WHERE crossing_id = $1")
                .bind(crossing.0)
                .fetch_optional(&self.reader)
                .await?;
        let Some((at, entries, protection)) = head else { return Ok(None) };
        let hits = sqlx::query_as::<_, HitRow>(&format!(
            "SELECT {HIT_COLUMNS} FROM screening_hits WHERE crossing_id = $1 ORDER BY score DESC, reference"
        ))
        .bind(crossing.0)
        .fetch_all(&self.reader)
        .await?
        .into_iter()
        .map(HitRow::into_hit)
        .collect::<Result<Vec<_>, _>>()?;
        Ok(Some(ScreeningRecord {
            screened_at: from_micros("screenings.screened_at", at)?,
            entries: entries.max(0) as u64,
            protection,
            hits,
        }))
    }

    async fn hits(&self, query: &HitQuery) -> Result<Vec<HitRecord>, StoreError> {
        let mut qb: QueryBuilder<Postgres> =
            QueryBuilder::new(format!("SELECT {HIT_COLUMNS} FROM screening_hits WHERE country = "));
        qb.push_bind(query.country.to_string());
        if let Some(port) = &query.port {
            qb.push(" AND port_id = ").push_bind(port.to_string());
        }
        if !query.statuses.is_empty() {
            qb.push(" AND status IN (");
            let mut sep = qb.separated(", ");
            for s in &query.statuses {
                sep.push_bind(s.as_str());
            }
            qb.push(")");
        }
        qb.push(" ORDER BY created_at DESC, id LIMIT ").push_bind(i64::from(query.limit.clamp(1, 1000)));
        qb.build_query_as::<HitRow>()
            .fetch_all(&self.reader)
            .await?
            .into_iter()
            .map(HitRow::into_hit)
            .collect()
    }

    async fn hit(&self, id: Uuid) -> Result<Option<HitRecord>, StoreError> {
        let mut conn = self.reader.acquire().await?;
        hit_by_id(&mut conn, id).await
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
        let mut tx = self.write().await?;
        let changed = sqlx::query(
            "UPDATE screening_hits SET status = $3, resolved_by = $4, resolved_at = $5, note = $6 \
             WHERE id = $1 AND status = $2",
        )
        .bind(id)
        .bind(from.as_str())
        .bind(to.as_str())
        .bind(by)
        .bind(micros(at))
        .bind(note)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return match hit_by_id(&mut tx, id).await? {
                None => Err(StoreError::NotFound(format!("hit {id}"))),
                Some(h) => Err(StoreError::Conflict(format!("hit {id} is {} now", h.status.as_str()))),
            };
        }
        append(&mut tx, audit).await?;
        let hit = hit_by_id(&mut tx, id).await?.ok_or_else(|| StoreError::NotFound(format!("hit {id}")))?;
        tx.commit().await?;
        Ok(hit)
    }

    async fn save_alert_list(&self, list: &AlertListSettings, audit: AuditDraft) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        upsert_list(&mut tx, list, Utc::now()).await?;
        touch_alerts(&mut tx).await?;
        append(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn alert_lists(&self, country: Option<CountryCode>) -> Result<Vec<AlertList>, StoreError> {
        let rows = match country {
            Some(c) => {
                sqlx::query_as::<_, ListRow>(&format!(
                    "{LIST_SELECT} WHERE l.country = $1 ORDER BY l.country, l.name"
                ))
                .bind(c.as_str())
                .fetch_all(&self.reader)
                .await?
            }
            None => {
                sqlx::query_as::<_, ListRow>(&format!("{LIST_SELECT} ORDER BY l.country, l.name"))
                    .fetch_all(&self.reader)
                    .await?
            }
        };
        rows.into_iter().map(ListRow::into_list).collect()
    }

    async fn import_alerts(
        &self,
        list: &AlertListSettings,
        entries: Vec<frontera_domain::alert::AlertEntry>,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> Result<ListChanges, StoreError> {
        let mut tx = self.write().await?;
        let country = list.country.to_string();
        upsert_list(&mut tx, list, at).await?;
        // The list's row is locked now: a concurrent import of it waits here.
        sqlx::query("SELECT 1 FROM alert_lists WHERE country = $1 AND name = $2 FOR UPDATE")
            .bind(&country)
            .bind(&list.name)
            .execute(&mut *tx)
            .await?;
        let rows: Vec<(String, String, bool)> = sqlx::query_as(
            "SELECT reference, fingerprint, retired_at IS NOT NULL FROM alert_entries WHERE country = $1 AND list = $2",
        )
        .bind(&country)
        .bind(&list.name)
        .fetch_all(&mut *tx)
        .await?;
        let stored: HashMap<String, (String, bool)> = rows.into_iter().map(|(r, f, x)| (r, (f, x))).collect();
        let (changes, writes) = plan_import(&stored, &entries)?;
        let at = micros(at);
        let (mut inserts, mut updates, mut retires) = (Vec::new(), Vec::new(), Vec::new());
        for write in writes {
            match write {
                EntryWrite::Insert(b) => inserts.push(b),
                EntryWrite::Update(b) => updates.push(b),
                EntryWrite::Retire(r) => retires.push(r),
            }
        }
        for chunk in inserts.chunks(60_000 / 7) {
            let mut qb: QueryBuilder<Postgres> = QueryBuilder::new(
                "INSERT INTO alert_entries (country, list, reference, body, fingerprint, created_at, updated_at) ",
            );
            qb.push_values(chunk, |mut b, e| {
                b.push_bind(&country)
                    .push_bind(&list.name)
                    .push_bind(&e.reference)
                    .push_bind(&e.body)
                    .push_bind(&e.fingerprint)
                    .push_bind(at)
                    .push_bind(at);
            });
            qb.build().execute(&mut *tx).await?;
        }
        for e in &updates {
            sqlx::query(
                "UPDATE alert_entries SET body = $4, fingerprint = $5, updated_at = $6, retired_at = NULL \
                 WHERE country = $1 AND list = $2 AND reference = $3",
            )
            .bind(&country)
            .bind(&list.name)
            .bind(&e.reference)
            .bind(&e.body)
            .bind(&e.fingerprint)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        }
        if !retires.is_empty() {
            sqlx::query(
                "UPDATE alert_entries SET retired_at = $3, updated_at = $3 \
                 WHERE country = $1 AND list = $2 AND reference = ANY($4)",
            )
            .bind(&country)
            .bind(&list.name)
            .bind(at)
            .bind(&retires)
            .execute(&mut *tx)
            .await?;
        }
        touch_alerts(&mut tx).await?;
        append(&mut tx, with_changes(audit, &changes)).await?;
        tx.commit().await?;
        Ok(changes)
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
        let body = EntryBody::of(entry)?;
        let c = country.to_string();
        let mut tx = self.write().await?;
        let list_row: Option<(i32,)> =
            sqlx::query_as("SELECT 1 FROM alert_lists WHERE country = $1 AND name = $2 FOR UPDATE")
                .bind(&c)
                .bind(list)
                .fetch_optional(&mut *tx)
                .await?;
        if list_row.is_none() {
            return Err(StoreError::NotFound(format!("alert list {list}")));
        }
        let exists = entry_by_key(&mut tx, &c, list, &body.reference).await?.is_some();
        match (create, exists) {
            (true, true) => {
                return Err(StoreError::Conflict(format!(
                    "{list} already holds the reference {}",
                    body.reference
                )));
            }
            (false, false) => return Err(StoreError::NotFound(format!("alert {list}/{}", body.reference))),
            (true, false) => {
                sqlx::query(
                    "INSERT INTO alert_entries (country, list, reference, body, fingerprint, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $6)",
                )
                .bind(&c)
                .bind(list)
                .bind(&body.reference)
                .bind(&body.body)
                .bind(&body.fingerprint)
                .bind(micros(at))
                .execute(&mut *tx)
                .await?;
            }
            (false, true) => {
                sqlx::query(
                    "UPDATE alert_entries SET body = $4, fingerprint = $5, updated_at = $6 \
                     WHERE country = $1 AND list = $2 AND reference = $3",
                )
                .bind(&c)
                .bind(list)
                .bind(&body.reference)
                .bind(&body.body)
                .bind(&body.fingerprint)
                .bind(micros(at))
                .execute(&mut *tx)
                .await?;
            }
        }
        touch_alerts(&mut tx).await?;
        append(&mut tx, audit).await?;
        let stored = entry_by_key(&mut tx, &c, list, &body.reference)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("alert {list}/{}", body.reference)))?;
        tx.commit().await?;
        Ok(stored)
    }

    async fn retire_alert(
        &self,
        country: CountryCode,
        list: &str,
        reference: &str,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> Result<StoredAlert, StoreError> {
        let c = country.to_string();
        let mut tx = self.write().await?;
        let Some(stored) = entry_by_key(&mut tx, &c, list, reference).await? else {
            return Err(StoreError::NotFound(format!("alert {list}/{reference}")));
        };
        if stored.retired_at.is_some() {
            return Ok(stored);
        }
        let changed = sqlx::query(
            "UPDATE alert_entries SET retired_at = $4, updated_at = $4 \
             WHERE country = $1 AND list = $2 AND reference = $3 AND retired_at IS NULL",
        )
        .bind(&c)
        .bind(list)
        .bind(reference)
        .bind(micros(at))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed > 0 {
            touch_alerts(&mut tx).await?;
            append(&mut tx, audit).await?;
        }
        let stored = entry_by_key(&mut tx, &c, list, reference)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("alert {list}/{reference}")))?;
        tx.commit().await?;
        Ok(stored)
    }

    async fn alert(
        &self,
        country: CountryCode,
        list: &str,
        reference: &str,
    ) -> Result<Option<StoredAlert>, StoreError> {
        let mut conn = self.reader.acquire().await?;
        entry_by_key(&mut conn, country.as_str(), list, reference).await
    }

    async fn alerts(&self, query: &AlertQuery) -> Result<Vec<StoredAlert>, StoreError> {
        let mut qb: QueryBuilder<Postgres> =
            QueryBuilder::new(format!("SELECT {ENTRY_COLUMNS} FROM alert_entries WHERE 1 = 1"));
        if let Some(c) = query.country {
            qb.push(" AND country = ").push_bind(c.to_string());
        }
        if let Some(list) = &query.list {
            qb.push(" AND list = ").push_bind(list.clone());
        }
        if !query.include_retired {
            qb.push(" AND retired_at IS NULL");
        }
        if let Some((list, reference)) = &query.after {
            qb.push(" AND (list, reference) > (").push_bind(list.clone());
            qb.push(", ").push_bind(reference.clone()).push(")");
        }
        qb.push(" ORDER BY country, list, reference");
        if query.limit > 0 {
            qb.push(" LIMIT ").push_bind(i64::from(query.limit));
        }
        qb.build_query_as::<EntryRow>()
            .fetch_all(&self.reader)
            .await?
            .into_iter()
            .map(EntryRow::into_alert)
            .collect()
    }
}

pub(super) async fn insert_hits(conn: &mut PgConnection, hits: &[HitRecord]) -> Result<(), StoreError> {
    if hits.is_empty() {
        return Ok(());
    }
    let mut qb: QueryBuilder<Postgres> =
        QueryBuilder::new(format!("INSERT INTO screening_hits ({HIT_COLUMNS}) "));
    qb.push_values(hits.iter().map(HitRow::of), |mut b, r| {
        b.push_bind(r.id)
            .push_bind(r.crossing_id)
            .push_bind(r.country)
            .push_bind(r.port_id)
            .push_bind(r.list)
            .push_bind(r.reference)
            .push_bind(r.kind)
            .push_bind(r.action)
            .push_bind(r.score)
            .push_bind(r.names)
            .push_bind(r.explanation)
            .push_bind(r.status)
            .push_bind(r.created_at)
            .push_bind(r.resolved_by)
            .push_bind(r.resolved_at)
            .push_bind(r.note);
    });
    qb.build().execute(&mut *conn).await?;
    Ok(())
}

pub(super) async fn hit_by_id(conn: &mut PgConnection, id: Uuid) -> Result<Option<HitRecord>, StoreError> {
    sqlx::query_as::<_, HitRow>(&format!("SELECT {HIT_COLUMNS} FROM screening_hits WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .map(HitRow::into_hit)
        .transpose()
}

pub(super) async fn entry_by_key(
    conn: &mut PgConnection,
    country: &str,
    list: &str,
    reference: &str,
) -> Result<Option<StoredAlert>, StoreError> {
    sqlx::query_as::<_, EntryRow>(&format!(
        "SELECT {ENTRY_COLUMNS} FROM alert_entries WHERE country = $1 AND list = $2 AND reference = $3"
    ))
    .bind(country)
    .bind(list)
    .bind(reference)
    .fetch_optional(&mut *conn)
    .await?
    .map(EntryRow::into_alert)
    .transpose()
}

/// Marks a change to the alert lists, so that every process holding them in memory reloads.
pub(super) async fn touch_alerts(conn: &mut PgConnection) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO node_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = $2",
    )
    .bind(ALERTS_VERSION)
    .bind(Uuid::now_v7().to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub(super) async fn upsert_list(
    conn: &mut PgConnection,
    list: &AlertListSettings,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO alert_lists (country, name, kind, threshold, source, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (country, name) DO UPDATE SET kind = $3, threshold = $4, source = COALESCE($5, alert_lists.source), updated_at = $6",
    )
    .bind(list.country.as_str())
    .bind(&list.name)
    .bind(list.kind.as_str())
    .bind(list.threshold)
    .bind(&list.source)
    .bind(micros(at))
    .execute(&mut *conn)
    .await?;
    Ok(())
}
