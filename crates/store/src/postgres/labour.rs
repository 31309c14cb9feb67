//! The postgres engine: the labour registry: workers, employers, permits, demand and counter checks.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use frontera_domain::audit::AuditDraft;

use super::PostgresStore;
use crate::error::StoreError;
use crate::labour::{LabourQuery, LabourRecord, LabourStore};
use crate::rows;

#[async_trait]
impl LabourStore for PostgresStore {
    async fn save_labour(
        &self,
        records: &[LabourRecord],
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> Result<(), StoreError> {
        let rows: Vec<rows::VersionedRow> = records.iter().map(Into::into).collect();
        self.save_versioned(&rows::LABOUR_RECORDS, &rows, at, audit).await
    }

    async fn labour_record(&self, kind: &str, id: &str) -> Result<Option<LabourRecord>, StoreError> {
        let sql = format!("SELECT {} FROM labour_records WHERE kind = $1 AND id = $2", rows::LABOUR_COLUMNS);
        let row: Option<rows::LabourRow> =
            sqlx::query_as(&sql).bind(kind).bind(id).fetch_optional(&self.reader).await?;
        row.map(rows::labour).transpose()
    }

    async fn labour_records(&self, query: &LabourQuery) -> Result<Vec<LabourRecord>, StoreError> {
        let (sql, args) = rows::labour_search(query, "$");
        let mut q = sqlx::query_as::<_, rows::LabourRow>(&sql);
        for a in args {
            q = match a {
                rows::Param::Text(t) => q.bind(t),
                rows::Param::Int(i) => q.bind(i),
            };
        }
        let rows = q.fetch_all(&self.reader).await?;
        rows.into_iter().map(rows::labour).collect()
    }
}
