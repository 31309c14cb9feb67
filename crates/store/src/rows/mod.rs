//! The flat row forms of stored records and the SQL both engines share, one module per
//! feature.

mod accounts;
pub(crate) mod alerts;
mod crossings;
mod protection;
mod shared;
mod versioned;

pub(crate) use accounts::{ACCOUNT_SELECT, UserRecord, audit_search};
pub(crate) use crossings::{
    COLUMN_COUNT, COLUMNS, COUNT_KEY_COLUMNS, COUNT_TABLES, CrossingRecord, FACT_COLUMNS, FactRow,
    HOLDER_SELECT, LATEST_FIRST, LatestPerPerson, MOVEMENT_SELECT, MovementsBuilder, OVERDUE_FIRST,
    TRAVELLER_COLUMNS, TRAVELLER_UPSERT, TravellerRecord, count_filter, count_key, count_table, count_upsert,
    fact, into_page, overstays, push_filters, push_page, push_values, sort_skipped, tally, traveller_search,
};
pub(crate) use protection::{
    ATTACHMENT_COLUMNS, AttachmentRow, NOTIFICATION_COLUMNS, NotificationRow, PROTECTION_COLUMNS,
    ProtectionRow, QUEUED_COLUMNS, QueuedRow, attachment, notification, protection, protection_search,
    queued,
};
pub(crate) use shared::{Param, from_micros};
pub(crate) use versioned::{
    INFORMAL_COLUMNS, INFORMAL_RECORDS, InformalRow, LABOUR_COLUMNS, LABOUR_RECORDS, LabourRow, Versioned,
    VersionedRow, informal, informal_search, labour, labour_search,
};
