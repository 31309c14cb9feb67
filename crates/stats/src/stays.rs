//! Stays and overstays: each entry linked to the same traveller's next exit on the same side of
//! the border, how long the stays last, and who left after their permitted stay ended or has
//! not left at all.
//!
//! A traveller is a document's holder, and documents are linked to one traveller when their
//! holders agree on the folded name, the whole birth date, sex and nationality ([`link`]): a
//! passport renewed between an entry and an exit still closes the stay.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use frontera_domain::{AgeGroup, Category, CountryCode, Direction, Rule, Sex, ValidationError};
use serde::Serialize;

use crate::dimension::Dimension;
use crate::disclosure::Cell;
use crate::table::Table;
use crate::view::View;

/// What linking a document to its holder compares.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Identity {
    /// The holder's names, folded ([`frontera_domain::fold_name`]).
    pub name_key: String,
    /// The whole birth date; a partial or missing one links nothing.
    pub birth_date: Option<NaiveDate>,
    /// Sex.
    pub sex: Sex,
    /// Nationality.
    pub nationality: CountryCode,
}

/// Links documents to travellers: documents whose holders have the same folded name, whole
/// birth date, sex and nationality are one traveller's (a renewed passport, an identity card
/// and a passport); a document whose holder's birth date is not whole is a traveller of its
/// own. Returns each document's traveller, numbered from 0 in the order first met.
pub fn link(identities: &[Identity]) -> Vec<u32> {
    let mut seen: HashMap<&Identity, u32> = HashMap::new();
    let mut next = 0u32;
    let mut fresh = || {
        next += 1;
        next - 1
    };
    identities
        .iter()
        .map(|id| {
            if id.birth_date.is_none() || id.name_key.is_empty() {
                fresh()
            } else {
                *seen.entry(id).or_insert_with(&mut fresh)
            }
        })
        .collect()
}

/// One crossing, as the study of stays sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Movement {
    /// The traveller ([`link`]).
    pub traveller: u32,
    /// The document crossed on (any number the caller gives each document).
    pub document: u32,
    /// The instant, in any unit that orders a traveller's crossings.
    pub at: i64,
    /// The port's local day.
    pub day: NaiveDate,
    /// Entry or exit.
    pub direction: Direction,
    /// The traveller's category at this crossing.
    pub category: Category,
    /// The traveller's nationality.
    pub nationality: CountryCode,
    /// The traveller's sex.
    pub sex: Sex,
    /// The traveller's birth date (a partial one as the first day it allows).
    pub birth_date: Option<NaiveDate>,
    /// At an entry, the days the traveller was admitted for.
    pub permitted_stay_days: Option<u16>,
}

impl Movement {
    /// Whether the crossing is made on a card for frequent local crossing (a regional visitor's
    /// or a border worker's): mobility, not migration.
    pub fn is_local_mobility(&self) -> bool {
        matches!(self.category, Category::RegionalVisitor | Category::BorderWorker)
    }
}

/// How a stay ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// By the exit recorded.
    Exited,
    /// The traveller entered again on `next_entry` with no exit recorded in between: they left
    /// on or before that day, nobody knows when.
    ExitNotRecorded {
        /// The day of the next entry.
        next_entry: NaiveDate,
    },
    /// It has not: the traveller is in the country.
    Open,
}

/// One stay in a country: an entry and the exit that ended it. An exit with no entry before it
/// is a stay with no entry (the traveller came in before the records begin, or unrecorded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stay {
    /// The entry that began it.
    pub entry: Option<Movement>,
    /// The exit that ended it.
    pub exit: Option<Movement>,
    /// How it ended.
    pub end: End,
}

/// Where a stay with a permitted stay stands against it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The permitted stay has not ended: nothing is due yet.
    NotDue,
    /// Left within the permitted stay (or, exit not recorded, re-entered within it).
    OnTime,
    /// Left after the permitted stay ended.
    LateExit,
    /// Still in the country after the permitted stay ended: a suspected overstay.
    Overstaying,
    /// Re-entered after the permitted stay ended with no exit recorded: when they left is
    /// not known.
    ExitNotRecorded,
}

impl Outcome {
    /// The name in tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::NotDue => "not_due",
            Outcome::OnTime => "on_time",
            Outcome::LateExit => "late_exit",
            Outcome::Overstaying => "overstaying",
            Outcome::ExitNotRecorded => "exit_not_recorded",
        }
    }
}

impl Stay {
    /// Calendar days present, the days of entry and exit both counted, when both are recorded.
    pub fn days(&self) -> Option<i64> {
        Some((self.exit?.day - self.entry?.day).num_days() + 1)
    }

    /// The last day the entry allowed the traveller to be in the country.
    pub fn permitted_until(&self) -> Option<NaiveDate> {
        let entry = self.entry?;
        Some(entry.day + Duration::days(i64::from(entry.permitted_stay_days?)))
    }

    /// Whether the traveller left on another document than the one they entered on.
    pub fn document_changed(&self) -> bool {
        matches!((self.entry, self.exit), (Some(e), Some(x)) if e.document != x.document)
    }

    /// Where the stay stands against its permitted stay on `as_of` (the last day the records
    /// cover); `None` when no permitted stay was granted at its entry.
    pub fn outcome(&self, as_of: NaiveDate) -> Option<Outcome> {
        let until = self.permitted_until()?;
        Some(match (self.end, self.exit) {
            (End::Exited, Some(exit)) if exit.day <= until => Outcome::OnTime,
            (End::Exited, _) => Outcome::LateExit,
            (End::ExitNotRecorded { next_entry }, _) if next_entry <= until => Outcome::OnTime,
            _ if until >= as_of => Outcome::NotDue,
            (End::ExitNotRecorded { .. }, _) => Outcome::ExitNotRecorded,
            (End::Open, _) => Outcome::Overstaying,
        })
    }

    /// The days the traveller was in the country, as far as the records show, through `as_of`:
    /// from the entry to the exit; an open stay to `as_of`; a stay whose exit is not recorded to
    /// the end of its permitted stay (or its entry day when none was granted) or the day before
    /// the next entry, whichever is sooner; an exit with no entry on its day alone.
    pub fn presence(&self, as_of: NaiveDate) -> (NaiveDate, NaiveDate) {
        match (self.entry, self.exit, self.end) {
            (Some(e), Some(x), _) => (e.day, x.day),
            (Some(e), None, End::ExitNotRecorded { next_entry }) => {
                let before = next_entry.pred_opt().unwrap_or(next_entry);
                let until = self.permitted_until().unwrap_or(e.day);
                (e.day, until.min(before).max(e.day))
            }
            (Some(e), None, _) => (e.day, as_of.max(e.day)),
            (None, Some(x), _) => (x.day, x.day),
            // `stays` makes no stay with neither.
            (None, None, _) => (as_of, as_of),
        }
    }
}

/// Pairs each entry with the same traveller's next exit. `movements` are one country's (its
/// ports'); they are sorted here by traveller and instant. Stays come out by traveller, oldest
/// first.
pub fn stays(movements: &mut [Movement]) -> Vec<Stay> {
    movements.sort_unstable_by_key(|m| (m.traveller, m.at));
    let mut out = Vec::with_capacity(movements.len() / 2 + 1);
    let mut open: Option<Movement> = None;
    let mut traveller = None;
    for m in movements.iter() {
        if traveller != Some(m.traveller) {
            if let Some(entry) = open.take() {
                out.push(Stay { entry: Some(entry), exit: None, end: End::Open });
            }
            traveller = Some(m.traveller);
        }
        match m.direction {
            Direction::Entry => {
                if let Some(entry) = open.replace(*m) {
                    out.push(Stay {
                        entry: Some(entry),
                        exit: None,
                        end: End::ExitNotRecorded { next_entry: m.day },
                    });
                }
            }
            Direction::Exit => out.push(Stay { entry: open.take(), exit: Some(*m), end: End::Exited }),
        }
    }
    if let Some(entry) = open {
        out.push(Stay { entry: Some(entry), exit: None, end: End::Open });
    }
    out
}

/// The lengths of stay tables group by, in days (the last group open-ended).
pub const LENGTHS: [(i64, i64, &str); 9] = [
    (1, 1, "1"),
    (2, 3, "2-3"),
    (4, 7, "4-7"),
    (8, 14, "8-14"),
    (15, 30, "15-30"),
    (31, 90, "31-90"),
    (91, 180, "91-180"),
    (181, 365, "181-365"),
    (366, i64::MAX, "366+"),
];

/// The group of a length of stay.
pub fn length_group(days: i64) -> &'static str {
    LENGTHS.iter().find(|(lo, hi, _)| (*lo..=*hi).contains(&days)).map_or("1", |g| g.2)
}

/// What a table of stays can be broken down by.
pub const STAY_DIMENSIONS: &[&str] =
    &["month", "quarter", "year", "category", "nationality", "sex", "age_group"];

/// Parses a `--by` for stays or overstays: a comma-separated subset of `allowed`, each once, at
/// most one period.
pub fn parse_by(text: &str, allowed: &'static [&'static str]) -> Result<Vec<&'static str>, ValidationError> {
    let mut out: Vec<&'static str> = Vec::new();
    for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let d = allowed
            .iter()
            .copied()
            .find(|a| *a == name)
            .ok_or_else(|| ValidationError::new("by", Rule::OneOf { allowed }))?;
        if out.contains(&d) {
            return Err(ValidationError::new(
                "by",
                Rule::syntax(format!("{name} is given twice"), format!("{name} se indica dos veces")),
            ));
        }
        if let Some(other) = out.iter().find(|o| is_period(o) && is_period(d)) {
            return Err(ValidationError::new(
                "by",
                Rule::syntax(
                    format!("{name} and {other} are both periods: give one"),
                    format!("{name} y {other} son ambos periodos: indique uno"),
                ),
            ));
        }
        out.push(d);
    }
    Ok(out)
}

pub(crate) fn is_period(name: &str) -> bool {
    matches!(name, "day" | "week" | "month" | "quarter" | "year")
}

/// The value of a stay dimension for a traveller's movement on `day`.
pub(crate) fn value(name: &str, m: &Movement, day: NaiveDate) -> String {
    match name {
        "category" => m.category.as_str().to_string(),
        "nationality" => m.nationality.as_str().to_string(),
        "sex" => m.sex.code().to_string(),
        "age_group" => AgeGroup::of(m.birth_date, day).as_str().to_string(),
        period => Dimension::parse(period).and_then(|p| p.period(day)).unwrap_or_default(),
    }
}

/// The days a table of stays covers (either end open).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Span {
    /// The first day.
    pub from: Option<NaiveDate>,
    /// The last day.
    pub to: Option<NaiveDate>,
}

impl Span {
    /// Whether `day` is in it.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from.is_none_or(|f| day >= f) && self.to.is_none_or(|t| day <= t)
    }
}

/// Lengths of the stays that ended (an exit recorded after an entry) on a day of `span`, by
/// `by` (of [`STAY_DIMENSIONS`]; the period is the exit's, the rest the entry's) and `length`.
pub fn length_of_stay(stays: &[Stay], by: &[&'static str], span: Span) -> Table {
    let mut counts: HashMap<Vec<String>, u64> = HashMap::new();
    for s in stays {
        let (Some(entry), Some(exit), Some(days)) = (s.entry, s.exit, s.days()) else { continue };
        if !span.contains(exit.day) {
            continue;
        }
        let mut key: Vec<String> = by
            .iter()
            .map(|d| if is_period(d) { value(d, &exit, exit.day) } else { value(d, &entry, entry.day) })
            .collect();
        key.push(length_group(days).to_string());
        *counts.entry(key).or_default() += 1;
    }
    let mut dims = by.to_vec();
    dims.push("length");
    Table::from_counts(&dims, counts)
}

/// The stays whose permitted stay ended on a day of `span` before `as_of`, by `by` (the
/// period is the month, quarter or year of that day, the expected departure) and `outcome`.
pub fn overstays(stays: &[Stay], by: &[&'static str], span: Span, as_of: NaiveDate) -> Table {
    let mut counts: HashMap<Vec<String>, u64> = HashMap::new();
    for s in stays {
        let (Some(entry), Some(until), Some(outcome)) = (s.entry, s.permitted_until(), s.outcome(as_of))
        else {
            continue;
        };
        // Only departures already due: a month still running counts the days gone by.
        if outcome == Outcome::NotDue || until >= as_of || !span.contains(until) {
            continue;
        }
        let mut key: Vec<String> = by.iter().map(|d| value(d, &entry, until)).collect();
        key.push(outcome.as_str().to_string());
        *counts.entry(key).or_default() += 1;
    }
    let mut dims = by.to_vec();
    dims.push("outcome");
    Table::from_counts(&dims, counts)
}

/// One line of an overstay table: the expected departures of a group and how they went.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OverstayRate {
    /// The group's values, in the table's dimension order.
    pub key: Vec<String>,
    /// Stays whose permitted stay ended: every outcome below.
    pub expected: Cell,
    /// Left in time.
    pub on_time: Cell,
    /// Left late.
    pub late_exit: Cell,
    /// Still in the country.
    pub overstaying: Cell,
    /// Re-entered late, exit not recorded.
    pub exit_not_recorded: Cell,
    /// (late exits + overstaying) ÷ expected departures; none where a part is withheld.
    pub rate: Option<f64>,
}

/// The overstay rate of each group of an [`overstays`] table (whose last dimension is
/// `outcome`), as counted or after disclosure control: its rows grouped by every other value.
pub fn overstay_rates(table: &View<'_>) -> Vec<OverstayRate> {
    let dims = table.dimensions().len();
    let rows: Vec<(&[String], Cell)> =
        table.lines().into_iter().map(|l| (l.key, l.count.map_or(Cell::Suppressed, Cell::Shown))).collect();
    let Some(group_len) = dims.checked_sub(1) else { return Vec::new() };
    let mut groups: Vec<OverstayRate> = Vec::new();
    let mut index: HashMap<&[String], usize> = HashMap::new();
    for (key, cell) in rows {
        let (group, outcome) = key.split_at(group_len);
        if group.iter().any(|v| v == crate::disclosure::TOTAL) {
            continue;
        }
        let at = *index.entry(group).or_insert_with(|| {
            groups.push(OverstayRate {
                key: group.to_vec(),
                expected: Cell::Shown(0),
                on_time: Cell::Shown(0),
                late_exit: Cell::Shown(0),
                overstaying: Cell::Shown(0),
                exit_not_recorded: Cell::Shown(0),
                rate: None,
            });
            groups.len() - 1
        });
        let g = &mut groups[at];
        let slot = match outcome.first().map(String::as_str) {
            Some("on_time") => &mut g.on_time,
            Some("late_exit") => &mut g.late_exit,
            Some("overstaying") => &mut g.overstaying,
            Some("exit_not_recorded") => &mut g.exit_not_recorded,
            Some(crate::disclosure::TOTAL) => &mut g.expected,
            _ => continue,
        };
        *slot = cell;
    }
    for g in &mut groups {
        let parts = [g.on_time, g.late_exit, g.overstaying, g.exit_not_recorded];
        if !table.is_protected() || g.expected == Cell::Shown(0) {
            g.expected = match parts.iter().try_fold(0, |sum, c| c.shown().map(|n| sum + n)) {
                Some(n) => Cell::Shown(n),
                None => g.expected,
            };
        }
        g.rate = match (g.expected, g.late_exit, g.overstaying) {
            (Cell::Shown(e), Cell::Shown(l), Cell::Shown(o)) if e > 0 => Some((l + o) as f64 / e as f64),
            _ => None,
        };
    }
    groups.sort_by(|a, b| a.key.cmp(&b.key));
    groups
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a date")
    }

    /// A crossing of traveller `t` on document `doc` on `day`, a Mexican visitor by default.
    pub(crate) fn m(t: u32, doc: u32, day: &str, direction: Direction, stay: Option<u16>) -> Movement {
        let day = d(day);
        Movement {
            traveller: t,
            document: doc,
            at: day.and_hms_opt(12, 0, 0).map_or(0, |t| t.and_utc().timestamp()),
            day,
            direction,
            category: Category::Visitor,
            nationality: CountryCode::MEX,
            sex: Sex::Female,
            birth_date: Some(d("1990-05-01")),
            permitted_stay_days: stay,
        }
    }

    use Direction::{Entry, Exit};

    #[test]
    fn documents_are_linked_by_name_whole_birth_date_sex_and_nationality() {
        let id = |name: &str, birth: Option<&str>| Identity {
            name_key: name.into(),
            birth_date: birth.map(d),
            sex: Sex::Female,
            nationality: CountryCode::MEX,
        };
        let ids = [
            id("ANA PECH", Some("1990-05-01")),
            id("LUIS CHAN", Some("1980-01-01")),
            id("ANA PECH", Some("1990-05-01")),
            id("ANA PECH", None),
            id("ANA PECH", None),
            Identity { nationality: CountryCode::BLZ, ..id("ANA PECH", Some("1990-05-01")) },
        ];
        assert_eq!(link(&ids), [0, 1, 0, 2, 3, 4]);
    }

    #[test]
    fn an_entry_is_paired_with_the_next_exit_even_on_a_renewed_document() {
        let mut ms = vec![
            m(0, 1, "2026-03-20", Exit, None),
            m(0, 0, "2026-01-10", Entry, Some(90)),
            m(1, 5, "2026-02-01", Exit, None),
            m(2, 7, "2026-02-01", Entry, Some(30)),
            m(2, 7, "2026-02-20", Entry, Some(30)),
        ];
        let s = stays(&mut ms);
        assert_eq!(s.len(), 4);
        assert_eq!((s[0].days(), s[0].document_changed(), s[0].end), (Some(70), true, End::Exited));
        assert_eq!(s[0].outcome(d("2026-12-31")), Some(Outcome::OnTime));
        // An exit with no entry: no length, no permitted stay.
        assert_eq!((s[1].entry, s[1].days(), s[1].outcome(d("2026-12-31"))), (None, None, None));
        // An entry after an entry: the first one's exit was not recorded, and they came back in
        // time; the second is open.
        assert_eq!(s[2].end, End::ExitNotRecorded { next_entry: d("2026-02-20") });
        assert_eq!(s[2].outcome(d("2026-12-31")), Some(Outcome::OnTime));
        assert_eq!(s[2].presence(d("2026-12-31")), (d("2026-02-01"), d("2026-02-19")));
        assert_eq!(s[3].end, End::Open);
    }

    #[test]
    fn late_exits_and_overstays_are_told_apart_and_nothing_is_due_before_the_stay_ends() {
        let as_of = d("2026-06-30");
        let mut ms = vec![
            // Permitted to 2026-01-31; left 2026-02-03: late.
            m(0, 0, "2026-01-01", Entry, Some(30)),
            m(0, 0, "2026-02-03", Exit, None),
            // Permitted to 2026-01-31; left that very day: on time.
            m(1, 1, "2026-01-01", Entry, Some(30)),
            m(1, 1, "2026-01-31", Exit, None),
            // Permitted to 2026-03-03; never left: overstaying.
            m(2, 2, "2026-02-01", Entry, Some(30)),
            // Permitted to 2026-07-30: not due on the 30th of June.
            m(3, 3, "2026-06-30", Entry, Some(30)),
            // Permitted to 2026-01-31; came back in April, exit unknown.
            m(4, 4, "2026-01-01", Entry, Some(30)),
            m(4, 4, "2026-04-01", Entry, Some(30)),
            m(4, 4, "2026-04-15", Exit, None),
        ];
        let s = stays(&mut ms);
        let outcomes: Vec<Option<Outcome>> = s.iter().map(|s| s.outcome(as_of)).collect();
        assert_eq!(
            outcomes,
            [
                Some(Outcome::LateExit),
                Some(Outcome::OnTime),
                Some(Outcome::Overstaying),
                Some(Outcome::NotDue),
                Some(Outcome::ExitNotRecorded),
                Some(Outcome::OnTime),
            ]
        );
        let t = overstays(&s, &["month"], Span::default(), as_of);
        assert_eq!(t.dimensions, ["month", "outcome"]);
        let rates = overstay_rates(&View::Counted(&t));
        let jan = &rates[0];
        assert_eq!(jan.key, ["2026-01"]);
        assert_eq!(
            (jan.expected, jan.on_time, jan.late_exit, jan.exit_not_recorded),
            (Cell::Shown(3), Cell::Shown(1), Cell::Shown(1), Cell::Shown(1))
        );
        assert_eq!(jan.rate, Some(1.0 / 3.0));
        let march = &rates[1];
        assert_eq!(
            (march.key[0].as_str(), march.overstaying, march.rate),
            ("2026-03", Cell::Shown(1), Some(1.0))
        );
        // April's stay was on time, May's is not due: both only in the months they belong to.
        assert_eq!(
            rates.iter().map(|r| r.key[0].as_str()).collect::<Vec<_>>(),
            ["2026-01", "2026-03", "2026-05"]
        );
    }

    #[test]
    fn lengths_of_stay_fall_in_groups_by_the_exit_period() {
        let mut ms = vec![
            m(0, 0, "2026-01-01", Entry, None),
            m(0, 0, "2026-01-01", Exit, None),
            m(1, 1, "2026-01-01", Entry, None),
            m(1, 1, "2026-02-02", Exit, None),
            m(2, 2, "2026-01-30", Entry, None),
            m(2, 2, "2026-02-01", Exit, None),
        ];
        let s = stays(&mut ms);
        let t = length_of_stay(&s, &["month"], Span::default());
        let rows: Vec<(Vec<&str>, u64)> =
            t.rows.iter().map(|r| (r.key.iter().map(String::as_str).collect(), r.count)).collect();
        assert_eq!(
            rows,
            [(vec!["2026-01", "1"], 1), (vec!["2026-02", "2-3"], 1), (vec!["2026-02", "31-90"], 1)]
        );
        let feb = length_of_stay(&s, &[], Span { from: Some(d("2026-02-01")), to: None });
        assert_eq!(feb.total(), 2);
        assert_eq!((length_group(365), length_group(366)), ("181-365", "366+"));
    }

    #[test]
    fn a_list_of_stay_dimensions_is_checked() {
        assert_eq!(parse_by("month,category", STAY_DIMENSIONS).expect("valid"), ["month", "category"]);
        let e = parse_by("port", STAY_DIMENSIONS).expect_err("not for stays");
        assert_eq!((e.field.as_str(), e.rule.code()), ("by", "one_of"));
        assert!(parse_by("month,year", STAY_DIMENSIONS).is_err());
        assert!(parse_by("sex,sex", STAY_DIMENSIONS).is_err());
    }
}
