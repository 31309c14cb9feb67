//! The dimensions a table of crossings can be broken down by, and each one's value for a crossing.

use chrono::Datelike;
use frontera_domain::{Rule, ValidationError};
use serde::Serialize;

use std::borrow::Cow;

use chrono::NaiveDate;
use frontera_domain::CountKey;

/// A dimension of a table of crossings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// The local day at the port, `YYYY-MM-DD`.
    Day,
    /// The ISO 8601 week, `YYYY-Www`.
    Week,
    /// The month, `YYYY-MM`.
    Month,
    /// The quarter, `YYYY-Qn`.
    Quarter,
    /// The year, `YYYY`.
    Year,
    /// The port's id.
    Port,
    /// `entry` or `exit`.
    Direction,
    /// The traveller's nationality, ISO 3166-1 alpha-3.
    Nationality,
    /// The traveller's migratory category.
    Category,
    /// `F`, `M` or `X`.
    Sex,
    /// The traveller's age at the crossing, in the groups of [`frontera_domain::AgeGroup`].
    AgeGroup,
}

impl Dimension {
    /// Every dimension, in the order the contract names them.
    pub const ALL: [Dimension; 11] = [
        Dimension::Day,
        Dimension::Week,
        Dimension::Month,
        Dimension::Quarter,
        Dimension::Year,
        Dimension::Port,
        Dimension::Direction,
        Dimension::Nationality,
        Dimension::Category,
        Dimension::Sex,
        Dimension::AgeGroup,
    ];

    /// Every dimension's name.
    pub const NAMES: &'static [&'static str] = &[
        "day",
        "week",
        "month",
        "quarter",
        "year",
        "port",
        "direction",
        "nationality",
        "category",
        "sex",
        "age_group",
    ];

    /// The dimension's name, as `--by` and the CSV header spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Day => "day",
            Dimension::Week => "week",
            Dimension::Month => "month",
            Dimension::Quarter => "quarter",
            Dimension::Year => "year",
            Dimension::Port => "port",
            Dimension::Direction => "direction",
            Dimension::Nationality => "nationality",
            Dimension::Category => "category",
            Dimension::Sex => "sex",
            Dimension::AgeGroup => "age_group",
        }
    }

    /// The dimension a name designates.
    pub fn parse(name: &str) -> Option<Dimension> {
        Dimension::ALL.into_iter().find(|d| d.as_str() == name)
    }

    /// Whether the dimension is a period of time.
    pub fn is_period(self) -> bool {
        matches!(
            self,
            Dimension::Day | Dimension::Week | Dimension::Month | Dimension::Quarter | Dimension::Year
        )
    }

    /// The period a day falls in, for a period dimension (`None` for the others).
    pub fn period(self, day: NaiveDate) -> Option<String> {
        match self {
            Dimension::Day => Some(day.format("%Y-%m-%d").to_string()),
            Dimension::Week => {
                let week = day.iso_week();
                Some(format!("{:04}-W{:02}", week.year(), week.week()))
            }
            Dimension::Month => Some(format!("{:04}-{:02}", day.year(), day.month())),
            Dimension::Quarter => Some(format!("{:04}-Q{}", day.year(), day.month0() / 3 + 1)),
            Dimension::Year => Some(format!("{:04}", day.year())),
            _ => None,
        }
    }

    /// The value of this dimension for a cell.
    pub fn value(self, k: &CountKey) -> Cow<'_, str> {
        match self {
            Dimension::Port => Cow::Borrowed(k.port_id.as_str()),
            Dimension::Direction => Cow::Borrowed(k.direction.as_str()),
            Dimension::Nationality => Cow::Borrowed(k.nationality.as_str()),
            Dimension::Category => Cow::Borrowed(k.category.as_str()),
            Dimension::Sex => Cow::Borrowed(k.sex.code()),
            Dimension::AgeGroup => Cow::Borrowed(k.age_group.as_str()),
            period => Cow::Owned(period.period(k.day).unwrap_or_default()),
        }
    }
}

/// Parses `--by` (or `?by=`): a comma-separated subset of [`Dimension::NAMES`], each at most
/// once, with at most one period. An empty list is the grand total.
pub fn parse_dimensions(text: &str) -> Result<Vec<Dimension>, ValidationError> {
    let mut out: Vec<Dimension> = Vec::new();
    for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let d = Dimension::parse(name)
            .ok_or_else(|| ValidationError::new("by", Rule::OneOf { allowed: Dimension::NAMES }))?;
        if out.contains(&d) {
            return Err(ValidationError::new(
                "by",
                Rule::syntax(format!("{name} is given twice"), format!("{name} se indica dos veces")),
            ));
        }
        if let Some(other) = out.iter().find(|o| o.is_period() && d.is_period()) {
            return Err(ValidationError::new(
                "by",
                Rule::syntax(
                    format!("{name} and {} are both periods: give one", other.as_str()),
                    format!("{name} y {} son ambos periodos: indique uno", other.as_str()),
                ),
            ));
        }
        out.push(d);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
    }

    #[test]
    fn a_list_of_dimensions_is_read_in_order_and_checked() {
        assert_eq!(
            parse_dimensions("month, port,direction").expect("valid"),
            [Dimension::Month, Dimension::Port, Dimension::Direction]
        );
        assert_eq!(parse_dimensions("").expect("the grand total"), []);
        let e = parse_dimensions("month,colour").expect_err("unknown");
        assert_eq!((e.field.as_str(), e.rule.code()), ("by", "one_of"));
        let e = parse_dimensions("port,port").expect_err("twice");
        assert!(e.message(frontera_domain::Lang::En).contains("twice"), "{e:?}");
        let e = parse_dimensions("day,month").expect_err("two periods");
        assert!(e.message(frontera_domain::Lang::En).contains("both periods"), "{e:?}");
    }

    #[test]
    fn periods_follow_the_calendar_and_iso_weeks() {
        let o = |date| CountKey { day: date, ..crate::table::example() };
        // 2027-01-01 is a Friday: it belongs to the last ISO week of 2026.
        let new_year = o(day(2027, 1, 1));
        assert_eq!(Dimension::Week.value(&new_year), "2026-W53");
        assert_eq!(Dimension::Month.value(&new_year), "2027-01");
        assert_eq!(Dimension::Quarter.value(&new_year), "2027-Q1");
        assert_eq!(Dimension::Quarter.value(&o(day(2026, 9, 30))), "2026-Q3");
        assert_eq!(Dimension::Quarter.value(&o(day(2026, 10, 1))), "2026-Q4");
        assert_eq!(Dimension::Day.value(&o(day(2026, 3, 9))), "2026-03-09");
        assert_eq!(Dimension::Year.value(&o(day(2026, 3, 9))), "2026");
    }
}
