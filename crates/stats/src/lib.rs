//! Migration statistics from crossings: the standard tables (counts by any subset of period,
//! port, direction, nationality, category, sex and age group) and the disclosure control every
//! table that leaves a hub goes through.
//!
//! Pure computation: the app hands in the counts the store keeps per finest cell
//! ([`frontera_domain::CountKey`]) and gets [`Table`]s back; nothing here does IO.

pub mod commuting;
pub mod dimension;
pub mod disclosure;
pub mod export;
pub mod informal;
pub mod migrants;
pub mod stays;
pub mod table;
pub mod view;

pub use dimension::{Dimension, parse_dimensions};
pub use disclosure::{Cell, ProtectedRow, ProtectedTable, protect, protect_with};
pub use frontera_domain::AgeGroup;
pub use table::{Row, Table, tabulate};
pub use view::{Confidentiality, Line, View};
