//! Adding up the counts of cells by dimensions.

use std::collections::HashMap;

use chrono::NaiveDate;
use frontera_domain::CountKey;
#[cfg(test)]
use frontera_domain::{AgeGroup, Category, Direction, Sex};
use serde::Serialize;

use crate::dimension::Dimension;

/// A cell for tests: an adult Mexican visitor entering at Santa Elena.
#[cfg(test)]
pub(crate) fn example() -> CountKey {
    CountKey {
        country: frontera_domain::CountryCode::BLZ,
        day: chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap_or_default(),
        port_id: frontera_domain::PortId::parse("bz-santa-elena").unwrap_or_else(|_| unreachable!()),
        direction: Direction::Entry,
        nationality: frontera_domain::CountryCode::MEX,
        category: Category::Visitor,
        sex: Sex::Female,
        age_group: AgeGroup::From35To44,
    }
}

/// A row of a table: one value per dimension, and how many have them.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// The values, in the table's dimension order.
    pub key: Vec<String>,
    /// How many.
    pub count: u64,
}

/// Counts by some dimensions: one row per combination that occurs (a combination that does not
/// is a zero), sorted by key. Crossings by [`Dimension`]s, or stays, migrants and the like by
/// dimensions of their own.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Table {
    /// The dimensions' names, in column order.
    pub dimensions: Vec<&'static str>,
    /// The rows.
    pub rows: Vec<Row>,
}

impl Table {
    /// Counted in all.
    pub fn total(&self) -> u64 {
        self.rows.iter().map(|r| r.count).sum()
    }

    /// Adds up `counts` by their keys (values in `dimensions`' order), sorted by key.
    pub fn from_counts(dimensions: &[&'static str], counts: HashMap<Vec<String>, u64>) -> Table {
        let mut rows: Vec<Row> = counts.into_iter().map(|(key, count)| Row { key, count }).collect();
        rows.sort_unstable_by(|a, b| a.key.cmp(&b.key));
        Table { dimensions: dimensions.to_vec(), rows }
    }
}

/// Adds up the counts of `cells` by `dimensions` (none: one row, the grand total, even of
/// nothing).
pub fn tabulate<'a>(dimensions: &[Dimension], cells: impl IntoIterator<Item = (&'a CountKey, u64)>) -> Table {
    let cells: Vec<(&CountKey, u64)> = cells.into_iter().collect();
    // Each day's period is written once, not once a cell.
    let period = dimensions.iter().copied().find(|d| d.is_period());
    let periods: HashMap<NaiveDate, String> = match period {
        Some(p) => cells.iter().map(|(k, _)| (k.day, p.period(k.day).unwrap_or_default())).collect(),
        None => HashMap::new(),
    };
    let mut counts: HashMap<Vec<&str>, u64> = HashMap::new();
    for (k, n) in &cells {
        let key: Vec<&str> = dimensions
            .iter()
            .map(|d| match d.value(k) {
                std::borrow::Cow::Borrowed(v) => v,
                std::borrow::Cow::Owned(_) => periods.get(&k.day).map_or("", String::as_str),
            })
            .collect();
        *counts.entry(key).or_default() += n;
    }
    if dimensions.is_empty() && counts.is_empty() {
        counts.insert(Vec::new(), 0);
    }
    let mut rows: Vec<Row> = counts
        .into_iter()
        .map(|(key, count)| Row { key: key.into_iter().map(String::from).collect(), count })
        .collect();
    rows.sort_unstable_by(|a, b| a.key.cmp(&b.key));
    Table { dimensions: dimensions.iter().map(|d| d.as_str()).collect(), rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crossings_are_counted_by_every_combination_that_occurs() {
        let a = example();
        let b = CountKey { direction: Direction::Exit, ..a.clone() };
        let c = CountKey {
            port_id: frontera_domain::PortId::parse("mx-subteniente-lopez").expect("a port id"),
            sex: Sex::Male,
            ..a.clone()
        };
        let all = [a.clone(), a, b, c];
        let ones = || all.iter().map(|o| (o, 1));
        let t = tabulate(&[Dimension::Port, Dimension::Direction], ones());
        let rows: Vec<(Vec<&str>, u64)> =
            t.rows.iter().map(|r| (r.key.iter().map(String::as_str).collect(), r.count)).collect();
        assert_eq!(
            rows,
            [
                (vec!["bz-santa-elena", "entry"], 2),
                (vec!["bz-santa-elena", "exit"], 1),
                (vec!["mx-subteniente-lopez", "entry"], 1),
            ]
        );
        assert_eq!(t.total(), 4);
        let by_sex = tabulate(&[Dimension::Sex], ones());
        assert_eq!(by_sex.rows.iter().map(|r| r.count).collect::<Vec<_>>(), [3, 1]);
    }

    #[test]
    fn no_dimension_is_the_grand_total() {
        let one = example();
        let t = tabulate(&[], [(&one, 2), (&one, 3)]);
        assert_eq!(t.rows, [Row { key: vec![], count: 5 }]);
        assert_eq!(tabulate(&[], []).rows, [Row { key: vec![], count: 0 }]);
    }
}
