//! The node itself: its engine and its key-value settings.

use async_trait::async_trait;

use crate::error::StoreError;

/// The node itself: its engine and its key-value settings.
#[async_trait]
pub trait NodeStore: Send + Sync {
    /// The engine's name: `sqlite` or `postgres`.
    fn engine(&self) -> &'static str;

    /// A value of the node's own settings (its id, …).
    async fn meta(&self, key: &str) -> Result<Option<String>, StoreError>;

    /// Set a value of the node's own settings.
    async fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError>;
}
