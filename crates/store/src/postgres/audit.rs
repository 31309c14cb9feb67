//! The postgres engine: the append-only audit trail.

use async_trait::async_trait;
use frontera_domain::audit::{AuditDraft, AuditEvent};

use super::{PostgresStore, append, event_from_row};
use crate::audit::{AuditQuery, AuditStore};
use crate::error::StoreError;
use crate::rows;
use crate::rows::Param;

#[async_trait]
impl AuditStore for PostgresStore {
    async fn append_audit(&self, audit: AuditDraft) -> Result<AuditEvent, StoreError> {
        let mut tx = self.write().await?;
        let event = append(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(event)
    }

    async fn search_audit(&self, query: &AuditQuery) -> Result<Vec<AuditEvent>, StoreError> {
        let (sql, args) = rows::audit_search(query, "$");
        let mut q = sqlx::query(&sql);
        for arg in args {
            q = match arg {
                Param::Text(t) => q.bind(t),
                Param::Int(i) => q.bind(i),
            };
        }
        q.fetch_all(&self.reader).await?.iter().map(event_from_row).collect()
    }

    async fn audit_events(&self, after_seq: i64, limit: u32) -> Result<Vec<AuditEvent>, StoreError> {
        let rows = sqlx::query("SELECT * FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2")
            .bind(after_seq)
            .bind(i64::from(limit))
            .fetch_all(&self.reader)
            .await?;
        rows.iter().map(event_from_row).collect()
    }

    async fn audit_head(&self) -> Result<Option<(i64, String)>, StoreError> {
        let head: Option<(i64, String)> = sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_optional(&self.reader)
            .await?;
        Ok(head.filter(|(seq, _)| *seq > 0))
    }
}
