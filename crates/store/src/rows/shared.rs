//! What every row form shares: time stamps, bound parameters, corrupt values.

use chrono::{DateTime, Utc};

use crate::error::StoreError;

pub(crate) fn corrupt(column: &'static str, value: &str) -> StoreError {
    StoreError::Corrupt { column, value: value.to_string() }
}

pub(crate) fn micros(at: DateTime<Utc>) -> i64 {
    at.timestamp_micros()
}

pub(crate) fn from_micros(column: &'static str, value: i64) -> Result<DateTime<Utc>, StoreError> {
    DateTime::from_timestamp_micros(value).ok_or_else(|| corrupt(column, &value.to_string()))
}

/// A value bound to a traveller search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Param {
    Text(String),
    Int(i64),
}
