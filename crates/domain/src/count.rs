//! What the statistics count a crossing under: its port's local day and the traveller's
//! attributes, no name, no document.

use chrono::{Datelike, NaiveDate};
use chrono_tz::Tz;

use crate::{Category, CountryCode, Crossing, Direction, PortId, Sex};

/// Age groups of the standard tables: under 15, then ten-year groups from 15 to 64, then 65 and
/// over, as the UN Recommendations on Statistics of International Migration tabulate them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AgeGroup {
    /// 0 to 14.
    Under15,
    /// 15 to 24.
    From15To24,
    /// 25 to 34.
    From25To34,
    /// 35 to 44.
    From35To44,
    /// 45 to 54.
    From45To54,
    /// 55 to 64.
    From55To64,
    /// 65 and over.
    From65,
    /// No birth date recorded (or one after the crossing).
    Unknown,
}

impl AgeGroup {
    /// Every group.
    pub const ALL: [AgeGroup; 8] = [
        AgeGroup::Under15,
        AgeGroup::From15To24,
        AgeGroup::From25To34,
        AgeGroup::From35To44,
        AgeGroup::From45To54,
        AgeGroup::From55To64,
        AgeGroup::From65,
        AgeGroup::Unknown,
    ];

    /// The group of someone born on `birth` on `day`. (A birth date recorded without its day or
    /// month is handed in as the first day it allows.)
    pub fn of(birth: Option<NaiveDate>, day: NaiveDate) -> AgeGroup {
        let Some(birth) = birth.filter(|b| *b <= day) else { return AgeGroup::Unknown };
        let mut age = day.year() - birth.year();
        if (day.month(), day.day()) < (birth.month(), birth.day()) {
            age -= 1;
        }
        match age {
            ..15 => AgeGroup::Under15,
            15..25 => AgeGroup::From15To24,
            25..35 => AgeGroup::From25To34,
            35..45 => AgeGroup::From35To44,
            45..55 => AgeGroup::From45To54,
            55..65 => AgeGroup::From55To64,
            _ => AgeGroup::From65,
        }
    }

    /// The group's label.
    pub fn as_str(self) -> &'static str {
        match self {
            AgeGroup::Under15 => "0-14",
            AgeGroup::From15To24 => "15-24",
            AgeGroup::From25To34 => "25-34",
            AgeGroup::From35To44 => "35-44",
            AgeGroup::From45To54 => "45-54",
            AgeGroup::From55To64 => "55-64",
            AgeGroup::From65 => "65+",
            AgeGroup::Unknown => "unknown",
        }
    }

    /// The group a label names.
    pub fn parse(label: &str) -> Option<AgeGroup> {
        AgeGroup::ALL.into_iter().find(|g| g.as_str() == label)
    }
}

/// The finest cell the statistics keep a count of: one per local day, port, direction and
/// traveller's nationality, category, sex and age group.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CountKey {
    /// The country that holds the crossing (the port's).
    pub country: CountryCode,
    /// The local day at the port.
    pub day: NaiveDate,
    /// The port.
    pub port_id: PortId,
    /// Entry or exit.
    pub direction: Direction,
    /// The traveller's nationality.
    pub nationality: CountryCode,
    /// The traveller's category.
    pub category: Category,
    /// The traveller's sex.
    pub sex: Sex,
    /// The traveller's age group on that day.
    pub age_group: AgeGroup,
}

impl CountKey {
    /// The same cell a month at a time: the day is the month's first.
    pub fn month(&self) -> CountKey {
        CountKey { day: self.day.with_day(1).unwrap_or(self.day), ..self.clone() }
    }

    /// The cell's columns as stored and shown: country, day, port, direction, nationality,
    /// category, sex, age group.
    pub fn columns(&self) -> [String; 8] {
        [
            self.country.to_string(),
            self.day.to_string(),
            self.port_id.to_string(),
            self.direction.to_string(),
            self.nationality.to_string(),
            self.category.to_string(),
            self.sex.code().to_string(),
            self.age_group.as_str().to_string(),
        ]
    }

    /// The cell `c` counts in, its port keeping the time of `zone`.
    pub fn of(c: &Crossing, zone: Tz) -> CountKey {
        let day = c.occurred_at.with_timezone(&zone).date_naive();
        CountKey {
            country: c.country,
            day,
            port_id: c.port_id.clone(),
            direction: c.direction,
            nationality: c.person.nationality,
            category: c.category,
            sex: c.person.sex,
            age_group: AgeGroup::of(c.person.birth_date.and_then(|b| b.earliest()), day),
        }
    }
}

/// Daily counts added up by month (each cell's day the month's first).
pub fn by_month<'k>(
    cells: impl IntoIterator<Item = (&'k CountKey, u64)>,
) -> std::collections::HashMap<CountKey, u64> {
    let mut months = std::collections::HashMap::new();
    for (k, n) in cells {
        *months.entry(k.month()).or_default() += n;
    }
    months
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
    }

    #[test]
    fn an_age_turns_on_the_birthday() {
        let born = Some(day(2011, 6, 15));
        assert_eq!(AgeGroup::of(born, day(2026, 6, 14)), AgeGroup::Under15);
        assert_eq!(AgeGroup::of(born, day(2026, 6, 15)), AgeGroup::From15To24);
        assert_eq!(AgeGroup::of(Some(day(1961, 1, 1)), day(2026, 1, 1)), AgeGroup::From65);
        assert_eq!(AgeGroup::of(Some(day(1961, 1, 2)), day(2026, 1, 1)), AgeGroup::From55To64);
        assert_eq!(AgeGroup::of(None, day(2026, 1, 1)), AgeGroup::Unknown);
        assert_eq!(AgeGroup::of(Some(day(2027, 1, 1)), day(2026, 1, 1)), AgeGroup::Unknown);
        for g in AgeGroup::ALL {
            assert_eq!(AgeGroup::parse(g.as_str()), Some(g));
        }
    }
}
