//! The sqlite engine: the labour registry: workers, employers, permits, demand and counter checks.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use frontera_domain::audit::AuditDraft;
use rusqlite::{OptionalExtension, params};

use super::{SqliteStore, values};
use crate::error::StoreError;
use crate::labour::{LabourQuery, LabourRecord, LabourStore};
use crate::rows::{LABOUR_RECORDS, VersionedRow};

#[async_trait]
impl LabourStore for SqliteStore {
    async fn save_labour(
        &self,
        records: &[LabourRecord],
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> Result<(), StoreError> {
        self.save_versioned(&LABOUR_RECORDS, records.iter().map(VersionedRow::from).collect(), at, audit)
            .await
    }

    async fn labour_record(&self, kind: &str, id: &str) -> Result<Option<LabourRecord>, StoreError> {
        let (kind, id) = (kind.to_string(), id.to_string());
        self.read(move |conn| {
            let sql = format!(
                "SELECT {} FROM labour_records WHERE kind = ?1 AND id = ?2",
                crate::rows::LABOUR_COLUMNS
            );
            let row = conn
                .prepare_cached(&sql)?
                .query_row(params![kind, id], |r| crate::rows::LabourRow::try_from(r))
                .optional()?;
            row.map(crate::rows::labour).transpose()
        })
        .await
    }

    async fn labour_records(&self, query: &LabourQuery) -> Result<Vec<LabourRecord>, StoreError> {
        let query = query.clone();
        self.read(move |conn| {
            let (sql, args) = crate::rows::labour_search(&query, "?");
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(values(args)), |r| {
                crate::rows::LabourRow::try_from(r)
            })?;
            rows.map(|row| crate::rows::labour(row?)).collect()
        })
        .await
    }
}
