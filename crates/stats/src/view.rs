//! A table as counted or after disclosure control, line by line: what exports and derived
//! figures read.

use serde::Serialize;

use crate::disclosure::{Cell, ProtectedTable};
use crate::table::Table;

/// A table as counted, or after disclosure control: what exports and derived figures read.
#[derive(Debug, Clone, Copy)]
pub enum View<'a> {
    /// Every count.
    Counted(&'a Table),
    /// After disclosure control.
    Protected(&'a ProtectedTable),
}

/// Whether a published value may be shown (the codes of SDMX's `CONF_STATUS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidentiality {
    /// Shown (`F`, free).
    Free,
    /// Withheld for counting fewer persons than the threshold (`C`, confidential).
    Primary,
    /// Withheld to protect another (`D`, secondary confidentiality).
    Secondary,
}

impl Confidentiality {
    /// The SDMX `CONF_STATUS` code.
    pub fn sdmx(self) -> &'static str {
        match self {
            Confidentiality::Free => "F",
            Confidentiality::Primary => "C",
            Confidentiality::Secondary => "D",
        }
    }
}

/// One line of a [`View`]: the values, the count unless withheld, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line<'a> {
    /// The values, in the table's dimension order (`_T` for a total).
    pub key: &'a [String],
    /// The count, unless withheld.
    pub count: Option<u64>,
    /// Whether it is shown.
    pub status: Confidentiality,
}

impl<'a> View<'a> {
    /// The dimensions' names.
    pub fn dimensions(&self) -> &'a [&'static str] {
        match self {
            View::Counted(t) => &t.dimensions,
            View::Protected(t) => &t.dimensions,
        }
    }

    /// The lines, in the table's order.
    pub fn lines(&self) -> Vec<Line<'a>> {
        match self {
            View::Counted(t) => t
                .rows
                .iter()
                .map(|r| Line { key: &r.key, count: Some(r.count), status: Confidentiality::Free })
                .collect(),
            View::Protected(t) => t
                .rows
                .iter()
                .map(|r| Line {
                    key: &r.key,
                    count: r.cell.shown(),
                    status: match (r.cell, r.primary) {
                        (Cell::Shown(_), _) => Confidentiality::Free,
                        (_, true) => Confidentiality::Primary,
                        (_, false) => Confidentiality::Secondary,
                    },
                })
                .collect(),
        }
    }

    /// Whether it went through disclosure control.
    pub fn is_protected(&self) -> bool {
        matches!(self, View::Protected(_))
    }
}
