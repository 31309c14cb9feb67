//! Border workers' commuting and circularity, from their linked crossings.
//!
//! A border worker is a traveller with a stay in the country begun or ended in the
//! `border_worker` category. Their stays there are classified, per worker and period (or over
//! the whole span when the table has no period), by how long they last and how often they
//! recur:
//!
//! - **daily**: stays of at most two calendar days (in and out the same day, or overnight),
//!   at least four round trips a month;
//! - **weekly**: stays of three to eight days (a working week, weekends at home), at least
//!   two round trips a month;
//! - **seasonal**: a stay of 28 days or more (a harvest, a season), the one still open counted
//!   to the last day the records cover;
//! - **occasional**: anything else (a few trips, irregular lengths).
//!
//! The typical length is the median of the stays that ended; a month is a calendar month with
//! a stay begun in it. Circularity is the round trips (stays that ended) each worker made in
//! each month, in groups.

use std::collections::{BTreeSet, HashMap};

use chrono::{Datelike, NaiveDate};
use frontera_domain::Category;
use serde::Serialize;

use crate::stays::{End, Movement, Span, Stay, value};
use crate::table::Table;

/// The dimensions a commuting or circularity table may be broken down by.
pub const COMMUTING_DIMENSIONS: &[&str] = &["month", "quarter", "year", "nationality", "sex", "age_group"];

/// How a border worker crosses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Pattern {
    /// In and out within a day or two, four times a month or more.
    Daily,
    /// Stays of three to eight days, twice a month or more.
    Weekly,
    /// A stay of four weeks or more.
    Seasonal,
    /// Anything else.
    Occasional,
}

impl Pattern {
    /// Every pattern.
    pub const ALL: [Pattern; 4] = [Pattern::Daily, Pattern::Weekly, Pattern::Seasonal, Pattern::Occasional];

    /// The name in tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Pattern::Daily => "daily",
            Pattern::Weekly => "weekly",
            Pattern::Seasonal => "seasonal",
            Pattern::Occasional => "occasional",
        }
    }
}

/// The longest stay of a daily commuter, in calendar days counted both ends.
const DAILY_DAYS: i64 = 2;
/// The longest stay of a weekly commuter.
const WEEKLY_DAYS: i64 = 8;
/// The shortest seasonal stay.
const SEASONAL_DAYS: i64 = 28;

/// Classifies one worker's stays in a country (those of one period, or of the whole span), seen
/// from `as_of` (an open stay lasts until then), over `months` months with a stay begun.
pub fn classify(stays: &[&Stay], months: usize, as_of: NaiveDate) -> Pattern {
    let mut lengths: Vec<i64> = stays.iter().filter_map(|s| s.days()).collect();
    let longest_open = stays
        .iter()
        .filter(|s| s.end == End::Open)
        .filter_map(|s| s.entry)
        .map(|e| (as_of - e.day).num_days() + 1)
        .max()
        .unwrap_or(0);
    if lengths.iter().copied().max().unwrap_or(0).max(longest_open) >= SEASONAL_DAYS {
        return Pattern::Seasonal;
    }
    if lengths.is_empty() {
        return Pattern::Occasional;
    }
    lengths.sort_unstable();
    let median = lengths[(lengths.len() - 1) / 2];
    let per_month = lengths.len() as f64 / months.max(1) as f64;
    if median <= DAILY_DAYS && per_month >= 4.0 {
        Pattern::Daily
    } else if median > DAILY_DAYS && median <= WEEKLY_DAYS && per_month >= 2.0 {
        Pattern::Weekly
    } else {
        Pattern::Occasional
    }
}

/// Whether a stay is a border worker's.
fn is_work(s: &Stay) -> bool {
    [s.entry, s.exit].iter().flatten().any(|m| m.category == Category::BorderWorker)
}

/// The movement a stay is dated and described by: its entry, or its exit when it has none.
fn anchor(s: &Stay) -> Option<Movement> {
    s.entry.or(s.exit)
}

/// The border workers' stays begun in `span` (by their entry's day, or exit's when there is no
/// entry), grouped by worker and the values of `by`.
fn groups<'a>(
    stays: &'a [Stay],
    by: &[&'static str],
    span: Span,
) -> HashMap<(u32, Vec<String>), Vec<&'a Stay>> {
    let mut out: HashMap<(u32, Vec<String>), Vec<&Stay>> = HashMap::new();
    for s in stays.iter().filter(|s| is_work(s)) {
        let Some(m) = anchor(s) else { continue };
        if !span.contains(m.day) {
            continue;
        }
        let key: Vec<String> = by.iter().map(|d| value(d, &m, m.day)).collect();
        out.entry((m.traveller, key)).or_default().push(s);
    }
    out
}

/// The months with a stay begun among `stays`.
fn months(stays: &[&Stay]) -> usize {
    stays
        .iter()
        .filter_map(|s| anchor(s))
        .map(|m| (m.day.year(), m.day.month()))
        .collect::<BTreeSet<_>>()
        .len()
}

/// Border workers by `by` (of [`COMMUTING_DIMENSIONS`]) and `pattern`: each worker counted
/// once per period of `by` (once over the span when it has none), by the pattern of their
/// stays begun there.
pub fn commuting(stays: &[Stay], by: &[&'static str], span: Span, as_of: NaiveDate) -> Table {
    let mut counts: HashMap<Vec<String>, u64> = HashMap::new();
    for ((_, mut key), group) in groups(stays, by, span) {
        key.push(classify(&group, months(&group), as_of).as_str().to_string());
        *counts.entry(key).or_default() += 1;
    }
    let mut dims = by.to_vec();
    dims.push("pattern");
    Table::from_counts(&dims, counts)
}

/// The groups of round trips a month a circularity table counts workers in.
pub fn trips_group(trips: usize) -> &'static str {
    match trips {
        0 => "0",
        1 => "1",
        2..=3 => "2-3",
        4..=9 => "4-9",
        10..=19 => "10-19",
        _ => "20+",
    }
}

/// Border workers by `by` and `trips`: the round trips (stays that ended) each made in each
/// calendar month with a stay begun, so that a worker counts once a month. A period in `by`
/// coarser than a month (quarter, year) counts worker-months.
pub fn circularity(stays: &[Stay], by: &[&'static str], span: Span) -> Table {
    let mut monthly: Vec<&'static str> = by.to_vec();
    if !by.contains(&"month") {
        monthly.push("month");
    }
    let mut counts: HashMap<Vec<String>, u64> = HashMap::new();
    for ((_, key), group) in groups(stays, &monthly, span) {
        let mut key: Vec<String> = by.iter().zip(key).map(|(_, v)| v).collect();
        let trips = group.iter().filter(|s| s.days().is_some()).count();
        key.push(trips_group(trips).to_string());
        *counts.entry(key).or_default() += 1;
    }
    let mut dims = by.to_vec();
    dims.push("trips");
    Table::from_counts(&dims, counts)
}

/// The mean round trips a worker made a month, over the worker-months a circularity's stays
/// cover (`None` when there are none).
pub fn mean_trips(stays: &[Stay], span: Span) -> Option<f64> {
    let groups = groups(stays, &["month"], span);
    let trips: usize = groups.values().map(|g| g.iter().filter(|s| s.days().is_some()).count()).sum();
    (!groups.is_empty()).then(|| trips as f64 / groups.len() as f64)
}

#[cfg(test)]
mod tests {
    use chrono::Duration;
    use frontera_domain::{CountryCode, Direction, Sex};

    use super::*;
    use crate::stays::stays;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    /// A worker's crossings into Mexico and back: `(entry day, exit day)`, exit `None` for a
    /// stay still open.
    fn history(traveller: u32, trips: &[(NaiveDate, Option<NaiveDate>)]) -> Vec<Movement> {
        let mv = |day: NaiveDate, direction: Direction, hour: i64| Movement {
            traveller,
            document: traveller,
            at: (day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() + Duration::hours(hour))
                .timestamp_micros(),
            day,
            direction,
            category: Category::BorderWorker,
            nationality: CountryCode::BLZ,
            sex: Sex::Male,
            birth_date: NaiveDate::from_ymd_opt(1990, 1, 1),
            permitted_stay_days: None,
        };
        trips
            .iter()
            .flat_map(|(i, o)| {
                let mut v = vec![mv(*i, Direction::Entry, 7)];
                v.extend(o.map(|o| mv(o, Direction::Exit, 18)));
                v
            })
            .collect()
    }

    fn pattern_of(movements: &mut [Movement], as_of: NaiveDate) -> Vec<(String, u64)> {
        let all = stays(movements);
        let t = commuting(&all, &[], Span::default(), as_of);
        t.rows.iter().map(|r| (r.key[0].clone(), r.count)).collect()
    }

    #[test]
    fn a_worker_in_and_out_each_working_day_is_a_daily_commuter() {
        let days: Vec<_> = (1..=30)
            .map(|d| day(2026, 11, d))
            .filter(|d| d.weekday().num_days_from_monday() < 5)
            .map(|d| (d, Some(d)))
            .collect();
        assert_eq!(pattern_of(&mut history(0, &days), day(2026, 11, 30)), vec![("daily".into(), 1)]);
    }

    #[test]
    fn monday_to_friday_stays_are_weekly_and_a_harvest_is_seasonal() {
        let weeks: Vec<_> =
            [2, 9, 16, 23].iter().map(|d| (day(2026, 11, *d), Some(day(2026, 11, d + 4)))).collect();
        let mut w = history(0, &weeks);
        // The sugar-cane harvest: in in November, out in June.
        w.extend(history(1, &[(day(2025, 11, 20), Some(day(2026, 6, 10)))]));
        // Still in the country for a month now, no exit yet.
        w.extend(history(2, &[(day(2026, 10, 25), None)]));
        // Two short visits in a month.
        w.extend(history(
            3,
            &[(day(2026, 11, 3), Some(day(2026, 11, 3))), (day(2026, 11, 20), Some(day(2026, 11, 20)))],
        ));
        let found = pattern_of(&mut w, day(2026, 11, 30));
        assert_eq!(found, vec![("occasional".into(), 1), ("seasonal".into(), 2), ("weekly".into(), 1)],);
    }

    #[test]
    fn a_worker_counts_once_a_month_by_the_trips_of_that_month() {
        let mut trips: Vec<_> = (2..=13).map(|d| (day(2026, 10, d), Some(day(2026, 10, d)))).collect();
        trips.push((day(2026, 11, 3), Some(day(2026, 11, 4))));
        let mut m = history(0, &trips);
        // Not a border worker: a visitor's stays count nowhere.
        let mut visitor = history(1, &[(day(2026, 10, 5), Some(day(2026, 10, 6)))]);
        for v in &mut visitor {
            v.category = Category::Visitor;
        }
        m.extend(visitor);
        let all = stays(&mut m);
        let t = circularity(&all, &["month"], Span::default());
        let rows: Vec<(Vec<String>, u64)> = t.rows.iter().map(|r| (r.key.clone(), r.count)).collect();
        assert_eq!(
            rows,
            vec![(vec!["2026-10".into(), "10-19".into()], 1), (vec!["2026-11".into(), "1".into()], 1)]
        );
        assert_eq!(mean_trips(&all, Span::default()), Some(6.5));
        let by_month = commuting(&all, &["month"], Span::default(), day(2026, 11, 30));
        let rows: Vec<(Vec<String>, u64)> = by_month.rows.iter().map(|r| (r.key.clone(), r.count)).collect();
        assert_eq!(
            rows,
            vec![
                (vec!["2026-10".into(), "daily".into()], 1),
                (vec!["2026-11".into(), "occasional".into()], 1)
            ]
        );
        let span = Span { from: Some(day(2026, 11, 1)), to: None };
        assert_eq!(circularity(&all, &[], span).rows.len(), 1, "October is outside the span");
    }
}
