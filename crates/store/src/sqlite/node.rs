//! The sqlite engine: the node itself: its engine and its key-value settings.

use async_trait::async_trait;
use rusqlite::{OptionalExtension, params};

use super::SqliteStore;
use crate::error::StoreError;
use crate::node::NodeStore;

#[async_trait]
impl NodeStore for SqliteStore {
    fn engine(&self) -> &'static str {
        "sqlite"
    }

    async fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        let key = key.to_string();
        self.read(move |conn| {
            Ok(conn
                .prepare_cached("SELECT value FROM node_meta WHERE key = ?1")?
                .query_row(params![key], |r| r.get(0))
                .optional()?)
        })
        .await
    }

    async fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        let (key, value) = (key.to_string(), value.to_string());
        self.write(move |tx| {
            tx.prepare_cached(
                "INSERT INTO node_meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2",
            )?
            .execute(params![key, value])?;
            Ok(())
        })
        .await
    }
}
