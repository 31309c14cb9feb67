//! The sqlite engine: informal-crossing monitoring: points, plans, count sessions and interviews.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use frontera_domain::audit::AuditDraft;
use rusqlite::{OptionalExtension, params};

use super::{SqliteStore, values};
use crate::error::StoreError;
use crate::informal::{InformalQuery, InformalRecord, InformalStore};
use crate::rows::{INFORMAL_COLUMNS, INFORMAL_RECORDS, VersionedRow};

#[async_trait]
impl InformalStore for SqliteStore {
    async fn save_informal(
        &self,
        records: &[InformalRecord],
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> Result<(), StoreError> {
        self.save_versioned(&INFORMAL_RECORDS, records.iter().map(VersionedRow::from).collect(), at, audit)
            .await
    }

    async fn informal_record(&self, kind: &str, id: &str) -> Result<Option<InformalRecord>, StoreError> {
        let (kind, id) = (kind.to_string(), id.to_string());
        self.read(move |conn| {
            let sql = format!("SELECT {INFORMAL_COLUMNS} FROM informal_records WHERE kind = ?1 AND id = ?2");
            let row = conn
                .prepare_cached(&sql)?
                .query_row(params![kind, id], |r| crate::rows::InformalRow::try_from(r))
                .optional()?;
            row.map(crate::rows::informal).transpose()
        })
        .await
    }

    async fn informal_records(&self, query: &InformalQuery) -> Result<Vec<InformalRecord>, StoreError> {
        let query = query.clone();
        self.read(move |conn| {
            let (sql, args) = crate::rows::informal_search(&query, "?");
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(values(args)), |r| {
                crate::rows::InformalRow::try_from(r)
            })?;
            rows.map(|row| crate::rows::informal(row?)).collect()
        })
        .await
    }
}
