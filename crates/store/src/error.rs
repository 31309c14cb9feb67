//! What a store call fails with.

/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A record with this key exists and differs from the one given.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The record to change does not exist.
    #[error("{0} does not exist")]
    NotFound(String),
    /// The PostgreSQL engine failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// The SQLite engine failed.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The thread running a blocking database call failed.
    #[error("database worker error: {0}")]
    Worker(String),
    /// Migrations failed.
    #[error("migration error: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The database's schema is not one this version can migrate.
    #[error("schema error: {0}")]
    Schema(String),
    /// A stored value that no longer parses (written by something other than this code).
    #[error("corrupt stored value in {column}: {value}")]
    Corrupt {
        /// The column.
        column: &'static str,
        /// The value.
        value: String,
    },
    /// A database URL this build does not know.
    #[error("unsupported database URL {0:?}: use sqlite:PATH or postgres://…")]
    UnsupportedUrl(String),
}
