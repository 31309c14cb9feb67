//! The PostgreSQL store: for a national hub that outgrows one machine.
//!
//! The same schema as SQLite's, in PostgreSQL types; audit appends lock the chain's head row
//! (`SELECT … FOR UPDATE`), so concurrent writers extend the chain one at a time.

mod accounts;
mod alerts;
mod audit;
mod crossings;
mod directory;
mod informal;
mod labour;
mod node;
mod protection;
mod schema;

use chrono::{DateTime, Utc};
use frontera_domain::audit::{AuditDraft, AuditEvent};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, PgPool, Postgres, Row, Transaction};

use crate::error::StoreError;
use crate::rows;
use crate::rows::COLUMN_COUNT;
use crate::rows::alerts::micros;

/// PostgreSQL allows 65 535 bound values per statement.
const ROWS_PER_INSERT: usize = 60_000 / COLUMN_COUNT;

/// A node's store in a PostgreSQL database.
#[derive(Debug, Clone)]
pub struct PostgresStore {
    writer: PgPool,
    reader: PgPool,
}

impl PostgresStore {
    /// Stores versioned records in `table`, all or none, with their audit event.
    async fn save_versioned(
        &self,
        table: &rows::Versioned,
        rows: &[rows::VersionedRow],
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> Result<(), StoreError> {
        let (version_sql, upsert_sql) = (table.version_sql("$", true), table.upsert_sql("$"));
        let mut tx = self.write().await?;
        for r in rows {
            let stored: Option<(i64,)> =
                sqlx::query_as(&version_sql).bind(&r.kind).bind(&r.id).fetch_optional(&mut *tx).await?;
            r.check_version(stored.map(|(v,)| v))?;
            let mut q = sqlx::query(&upsert_sql).bind(&r.kind).bind(&r.id);
            for v in &r.values {
                q = q.bind(v);
            }
            q.bind(r.version).bind(micros(at)).execute(&mut *tx).await?;
        }
        append(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn write(&self) -> Result<Transaction<'static, Postgres>, StoreError> {
        Ok(self.writer.begin().await?)
    }
}

async fn append(conn: &mut PgConnection, draft: AuditDraft) -> Result<AuditEvent, StoreError> {
    let (seq, hash): (i64, String) =
        sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE")
            .fetch_one(&mut *conn)
            .await?;
    let event = AuditEvent::seal(draft, seq + 1, Utc::now(), &hash);
    sqlx::query(
        "INSERT INTO audit_events (seq, at_micros, actor, action, record_kind, record_id, country, detail, \
         prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(event.seq)
    .bind(event.at_micros)
    .bind(&event.actor)
    .bind(&event.action)
    .bind(&event.record_kind)
    .bind(&event.record_id)
    .bind(&event.country)
    .bind(&event.detail)
    .bind(&event.prev_hash)
    .bind(&event.hash)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
        .bind(event.seq)
        .bind(&event.hash)
        .execute(&mut *conn)
        .await?;
    Ok(event)
}

fn event_from_row(row: &PgRow) -> Result<AuditEvent, StoreError> {
    Ok(AuditEvent {
        seq: row.try_get("seq")?,
        at_micros: row.try_get("at_micros")?,
        actor: row.try_get("actor")?,
        action: row.try_get("action")?,
        record_kind: row.try_get("record_kind")?,
        record_id: row.try_get("record_id")?,
        country: row.try_get("country")?,
        detail: row.try_get("detail")?,
        prev_hash: row.try_get("prev_hash")?,
        hash: row.try_get("hash")?,
    })
}
