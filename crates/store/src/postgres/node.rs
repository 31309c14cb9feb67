//! The postgres engine: the node itself: its engine and its key-value settings.

use async_trait::async_trait;

use super::PostgresStore;
use crate::error::StoreError;
use crate::node::NodeStore;

#[async_trait]
impl NodeStore for PostgresStore {
    fn engine(&self) -> &'static str {
        "postgres"
    }

    async fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        let v: Option<(String,)> = sqlx::query_as("SELECT value FROM node_meta WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.reader)
            .await?;
        Ok(v.map(|(v,)| v))
    }

    async fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO node_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = $2",
        )
        .bind(key)
        .bind(value)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
