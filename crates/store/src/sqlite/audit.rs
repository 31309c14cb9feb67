//! The sqlite engine: the append-only audit trail.

use async_trait::async_trait;
use frontera_domain::audit::{AuditDraft, AuditEvent};
use rusqlite::{OptionalExtension, params};

use super::{SqliteStore, append, event_from_row, values};
use crate::audit::{AuditQuery, AuditStore};
use crate::error::StoreError;
use crate::rows::audit_search;

#[async_trait]
impl AuditStore for SqliteStore {
    async fn append_audit(&self, audit: AuditDraft) -> Result<AuditEvent, StoreError> {
        self.write(move |tx| append(tx, audit)).await
    }

    async fn search_audit(&self, query: &AuditQuery) -> Result<Vec<AuditEvent>, StoreError> {
        let (sql, args) = audit_search(query, "?");
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(&sql)?;
            let events = stmt.query_map(rusqlite::params_from_iter(values(args)), event_from_row)?;
            Ok(events.collect::<Result<Vec<_>, _>>()?)
        })
        .await
    }

    async fn audit_events(&self, after_seq: i64, limit: u32) -> Result<Vec<AuditEvent>, StoreError> {
        self.read(move |conn| {
            let mut stmt =
                conn.prepare_cached("SELECT * FROM audit_events WHERE seq > ?1 ORDER BY seq LIMIT ?2")?;
            let events = stmt.query_map(params![after_seq, i64::from(limit)], event_from_row)?;
            Ok(events.collect::<Result<Vec<_>, _>>()?)
        })
        .await
    }

    async fn audit_head(&self) -> Result<Option<(i64, String)>, StoreError> {
        self.read(|conn| {
            let head: Option<(i64, String)> = conn
                .prepare_cached("SELECT seq, hash FROM audit_head WHERE id = 1")?
                .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            Ok(head.filter(|(seq, _)| *seq > 0))
        })
        .await
    }
}
