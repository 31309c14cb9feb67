//! Counting crossings by dimensions.

use std::collections::HashMap;

use chrono::NaiveDate;
use frontera_domain::{AgeGroup, Category, CountKey, Direction, Sex};
use serde::Serialize;

use crate::dimension::Dimension;

/// One crossing as the statistics see it: no name, no document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observation {
    /// The local day at the port.
    pub date: NaiveDate,
    /// The port's id.
    pub port: String,
    /// Entry or exit.
    pub direction: Direction,
    /// The traveller's nationality (alpha-3).
    pub nationality: String,
    /// The traveller's category.
    pub category: Category,
    /// The traveller's sex.
    pub sex: Sex,
    /// The traveller's age group on that day.
    pub age_group: AgeGroup,
}

impl From<&CountKey> for Observation {
    fn from(k: &CountKey) -> Observation {
        Observation {
            date: k.day,
            port: k.port_id.to_string(),
            direction: k.direction,
            nationality: k.nationality.to_string(),
            category: k.category,
            sex: k.sex,
            age_group: k.age_group,
        }
    }
}

impl Observation {
    /// An observation for tests: an adult visitor entering at Santa Elena.
    #[cfg(test)]
    pub(crate) fn example() -> Observation {
        Observation {
            date: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap_or_default(),
            port: "bz-santa-elena".into(),
            direction: Direction::Entry,
            nationality: "MEX".into(),
            category: Category::Visitor,
            sex: Sex::Female,
            age_group: AgeGroup::From35To44,
        }
    }
}

/// A row of a table: one value per dimension, and how many crossings have them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// The values, in the table's dimension order.
    pub key: Vec<String>,
    /// Crossings.
    pub count: u64,
}

/// Counts of crossings by some dimensions: one row per combination that occurs (a combination
/// that does not is a zero), sorted by key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Table {
    /// The dimensions, in column order.
    pub dimensions: Vec<Dimension>,
    /// The rows.
    pub rows: Vec<Row>,
}

impl Table {
    /// Crossings in all.
    pub fn total(&self) -> u64 {
        self.rows.iter().map(|r| r.count).sum()
    }
}

/// Counts `observations`, each standing for as many crossings as given, by `dimensions` (none:
/// one row, the grand total, even of nothing).
pub fn tabulate<'a>(
    dimensions: &[Dimension],
    observations: impl IntoIterator<Item = (&'a Observation, u64)>,
) -> Table {
    let mut counts: HashMap<Vec<String>, u64> = HashMap::new();
    for (o, n) in observations {
        *counts.entry(dimensions.iter().map(|d| d.value(o)).collect()).or_default() += n;
    }
    if dimensions.is_empty() && counts.is_empty() {
        counts.insert(Vec::new(), 0);
    }
    let mut rows: Vec<Row> = counts.into_iter().map(|(key, count)| Row { key, count }).collect();
    rows.sort_unstable_by(|a, b| a.key.cmp(&b.key));
    Table { dimensions: dimensions.to_vec(), rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crossings_are_counted_by_every_combination_that_occurs() {
        let a = Observation::example();
        let b = Observation { direction: Direction::Exit, ..a.clone() };
        let c = Observation { port: "mx-subteniente-lopez".into(), sex: Sex::Male, ..a.clone() };
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
        let one = Observation::example();
        let t = tabulate(&[], [(&one, 2), (&one, 3)]);
        assert_eq!(t.rows, [Row { key: vec![], count: 5 }]);
        assert_eq!(tabulate(&[], []).rows, [Row { key: vec![], count: 0 }]);
    }
}
