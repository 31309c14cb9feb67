//! The postgres engine: informal-crossing monitoring: points, plans, count sessions and interviews.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use frontera_domain::audit::AuditDraft;

use super::PostgresStore;
use crate::error::StoreError;
use crate::informal::{InformalQuery, InformalRecord, InformalStore};
use crate::rows;

#[async_trait]
impl InformalStore for PostgresStore {
    async fn save_informal(
        &self,
        records: &[InformalRecord],
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> Result<(), StoreError> {
        let rows: Vec<rows::VersionedRow> = records.iter().map(Into::into).collect();
        self.save_versioned(&rows::INFORMAL_RECORDS, &rows, at, audit).await
    }

    async fn informal_record(&self, kind: &str, id: &str) -> Result<Option<InformalRecord>, StoreError> {
        let sql =
            format!("SELECT {} FROM informal_records WHERE kind = $1 AND id = $2", rows::INFORMAL_COLUMNS);
        let row: Option<rows::InformalRow> =
            sqlx::query_as(&sql).bind(kind).bind(id).fetch_optional(&self.reader).await?;
        row.map(rows::informal).transpose()
    }

    async fn informal_records(&self, query: &InformalQuery) -> Result<Vec<InformalRecord>, StoreError> {
        let (sql, args) = rows::informal_search(query, "$");
        let mut q = sqlx::query_as::<_, rows::InformalRow>(&sql);
        for a in args {
            q = match a {
                rows::Param::Text(t) => q.bind(t),
                rows::Param::Int(i) => q.bind(i),
            };
        }
        let rows = q.fetch_all(&self.reader).await?;
        rows.into_iter().map(rows::informal).collect()
    }
}
