//! The postgres engine: connecting to a database and migrating its schema.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use super::PostgresStore;
use super::crossings::upsert_travellers;
use crate::error::StoreError;
use crate::rows::{COLUMNS, CrossingRecord, LATEST_FIRST, TravellerRecord};

impl PostgresStore {
    /// Connect to the database at `url` (`postgres://…`) and migrate it.
    pub async fn open(url: &str) -> Result<PostgresStore, StoreError> {
        let options = PgConnectOptions::from_str(url)?;
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        let store = PostgresStore { writer: pool.clone(), reader: pool };
        store.fill_travellers().await?;
        Ok(store)
    }

    /// Fills `travellers` from the crossings stored before it existed (once: every crossing
    /// stored since keeps it).
    async fn fill_travellers(&self) -> Result<(), StoreError> {
        let (unfilled,): (bool,) = sqlx::query_as(
            "SELECT NOT EXISTS (SELECT 1 FROM travellers) AND EXISTS (SELECT 1 FROM crossings)",
        )
        .fetch_one(&self.reader)
        .await?;
        if !unfilled {
            return Ok(());
        }
        let mut tx = self.write().await?;
        let latest = sqlx::query_as::<_, CrossingRecord>(&format!(
            "SELECT DISTINCT ON (person_id) {COLUMNS} FROM crossings ORDER BY person_id, {LATEST_FIRST}"
        ))
        .fetch_all(&mut *tx)
        .await?;
        let rows = latest
            .into_iter()
            .map(|r| Ok(TravellerRecord::from_crossing(&r.into_crossing()?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        upsert_travellers(&mut tx, &rows).await?;
        tx.commit().await?;
        Ok(())
    }
}
