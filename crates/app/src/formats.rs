//! What every file import shares: progress reporting, a bad row, an unreadable CSV.

use frontera_domain::Rule;
use serde::Serialize;

/// Reports progress of a long operation (a terminal bar in the CLI, nothing in tests).
pub trait Progress: Send + Sync {
    /// A new phase of `total` units begins.
    fn phase(&self, name: &str, total: u64);
    /// `n` more units are done.
    fn advance(&self, n: u64);
}

/// Progress reported nowhere.
pub struct Silent;

impl Progress for Silent {
    fn phase(&self, _: &str, _: u64) {}
    fn advance(&self, _: u64) {}
}

/// One bad row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RowError {
    /// The line of the file the row starts on (the header is line 1).
    pub line: u64,
    /// The column.
    pub field: String,
    /// The rule's code.
    pub rule: &'static str,
    /// What is wrong, in words.
    pub message: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}: {}", self.line, self.field, self.message)
    }
}

/// The rule a CSV record or header the reader cannot read breaks, the reader's reason kept.
pub(crate) fn unreadable_csv(e: &csv::Error) -> Rule {
    Rule::syntax(e.to_string(), format!("CSV ilegible: {e}"))
}
