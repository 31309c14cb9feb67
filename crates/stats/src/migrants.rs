//! Migrants, not just crossings: the 12/16-month rule of the UN Recommendations on Statistics of
//! International Migration (2021 revision).
//!
//! A non-resident who enters and spends at least 12 of the next 16 months in the country,
//! counted cumulatively across breaks, is a long-term arrival (an immigrant) and a resident from
//! that day; a resident who leaves and spends 12 of the next 16 months abroad is a long-term
//! departure (an emigrant) and a non-resident from that day. Crossings on a regional-visitor or
//! border-worker card are frequent local crossing: counted as mobility, not migration. Until
//! the 16 months have passed a figure may still change: it is provisional, projected as if the
//! traveller stays where the records last saw them.

use std::collections::HashMap;

use chrono::{Months, NaiveDate};
use frontera_domain::{Category, CountryCode, Direction, Lang, Rule, ValidationError};
use serde::Serialize;

use crate::stays::{Movement, Stay, is_period, value};
use crate::table::Table;

/// The thresholds of the rule: `present` months out of a `window` of months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MigrationRule {
    /// Months that make a change of residence (12).
    pub present_months: u32,
    /// The window they are counted in, from the crossing (16).
    pub window_months: u32,
}

impl Default for MigrationRule {
    fn default() -> Self {
        MigrationRule { present_months: 12, window_months: 16 }
    }
}

impl MigrationRule {
    /// A rule from its thresholds: 1 ≤ present ≤ window ≤ 36 months.
    pub fn new(present_months: u32, window_months: u32) -> Result<MigrationRule, ValidationError> {
        if !(1..=36).contains(&window_months) {
            return Err(ValidationError::new("window_months", Rule::OutOfRange { min: 1, max: 36 }));
        }
        if !(1..=window_months).contains(&present_months) {
            return Err(ValidationError::new(
                "present_months",
                Rule::OutOfRange { min: 1, max: i64::from(window_months) },
            ));
        }
        Ok(MigrationRule { present_months, window_months })
    }
}

/// What a crossing was, as migration goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Flow {
    /// A non-resident's entry followed by the months of presence the rule asks: an immigrant.
    LongTermArrival,
    /// A resident's exit followed by the months of absence the rule asks: an emigrant.
    LongTermDeparture,
    /// A non-resident's entry that is not a long-term arrival: a visit.
    ShortTermArrival,
    /// A resident's exit that is not a long-term departure: a trip abroad.
    ShortTermDeparture,
    /// An entry on a regional-visitor or border-worker card: mobility, not migration.
    LocalMobility,
}

impl Flow {
    /// Every flow.
    pub const ALL: [Flow; 5] = [
        Flow::LongTermArrival,
        Flow::LongTermDeparture,
        Flow::ShortTermArrival,
        Flow::ShortTermDeparture,
        Flow::LocalMobility,
    ];

    /// The name in tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Flow::LongTermArrival => "long_term_arrival",
            Flow::LongTermDeparture => "long_term_departure",
            Flow::ShortTermArrival => "short_term_arrival",
            Flow::ShortTermDeparture => "short_term_departure",
            Flow::LocalMobility => "local_mobility",
        }
    }

    /// What the figure counts, under `rule`, in `lang`.
    pub fn definition(self, rule: MigrationRule, lang: Lang) -> String {
        let (p, w) = (rule.present_months, rule.window_months);
        match (self, lang) {
            (Flow::LongTermArrival, Lang::En) => format!(
                "Entries of non-residents who then spent at least {p} of the following {w} months in the country, counted cumulatively across absences (UN Recommendations on Statistics of International Migration, 2021 revision). The traveller is a resident from that day."
            ),
            (Flow::LongTermArrival, Lang::Es) => format!(
                "Entradas de no residentes que después pasaron al menos {p} de los {w} meses siguientes en el país, contados en conjunto a través de las ausencias (Recomendaciones de la ONU sobre Estadísticas de Migración Internacional, revisión de 2021). Desde ese día la persona es residente."
            ),
            (Flow::LongTermDeparture, Lang::En) => format!(
                "Exits of residents who then spent at least {p} of the following {w} months abroad, counted cumulatively. The traveller is a non-resident from that day."
            ),
            (Flow::LongTermDeparture, Lang::Es) => format!(
                "Salidas de residentes que después pasaron al menos {p} de los {w} meses siguientes fuera del país, contados en conjunto. Desde ese día la persona es no residente."
            ),
            (Flow::ShortTermArrival, Lang::En) => {
                format!("Entries of non-residents who did not stay {p} of the following {w} months: visits.")
            }
            (Flow::ShortTermArrival, Lang::Es) => format!(
                "Entradas de no residentes que no permanecieron {p} de los {w} meses siguientes: visitas."
            ),
            (Flow::ShortTermDeparture, Lang::En) => {
                format!("Exits of residents who did not stay abroad {p} of the following {w} months: trips.")
            }
            (Flow::ShortTermDeparture, Lang::Es) => format!(
                "Salidas de residentes que no permanecieron fuera {p} de los {w} meses siguientes: viajes."
            ),
            (Flow::LocalMobility, Lang::En) => "Entries on a regional-visitor or border-worker card: frequent local crossing, counted as mobility, not migration.".to_string(),
            (Flow::LocalMobility, Lang::Es) => "Entradas con tarjeta de visitante regional o de trabajador fronterizo: cruce local frecuente, contado como movilidad y no como migración.".to_string(),
        }
    }
}

/// Whether a figure can still change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Settled: the window has closed, or what happens in the rest of it cannot change it.
    Final,
    /// The window is still open: projected as if the traveller stays where last seen.
    Provisional,
}

impl Status {
    /// The name in tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Final => "final",
            Status::Provisional => "provisional",
        }
    }
}

/// One classified crossing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    /// The crossing.
    pub movement: Movement,
    /// What it was.
    pub flow: Flow,
    /// Whether that can still change.
    pub status: Status,
}

/// Classifies the crossings of one country's travellers by `rule`, as the records stand on
/// `as_of`. `movements` and `stays` are as [`crate::stays::stays`] leaves them: sorted by
/// traveller and instant, and the stays made from them. A resident's entry and a non-resident's
/// exit are no event.
pub fn classify(
    movements: &[Movement],
    stays: &[Stay],
    country: CountryCode,
    rule: MigrationRule,
    as_of: NaiveDate,
) -> Vec<Event> {
    let mut events = Vec::new();
    let mut stays = stays.iter().peekable();
    let mut presence: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    for mine in movements.chunk_by(|a, b| a.traveller == b.traveller) {
        let traveller = mine[0].traveller;
        presence.clear();
        let mut inside = false;
        while let Some(s) = stays.next_if(|s| s.entry.or(s.exit).is_some_and(|m| m.traveller == traveller)) {
            presence.push(s.presence(as_of));
            inside = s.exit.is_none() && s.end == crate::stays::End::Open;
        }
        merge(&mut presence);
        let first = &mine[0];
        let mut resident = first.nationality == country
            || matches!(
                first.category,
                Category::Resident | Category::ReturningNational | Category::DepartingNational
            );
        for m in mine {
            if m.is_local_mobility() {
                if m.direction == Direction::Entry {
                    events.push(Event { movement: *m, flow: Flow::LocalMobility, status: Status::Final });
                }
                continue;
            }
            let (flow, status) = match (m.direction, resident) {
                (Direction::Entry, false) => {
                    let (long, status) = judge(&presence, m.day, rule, as_of, true, inside);
                    resident = long;
                    (if long { Flow::LongTermArrival } else { Flow::ShortTermArrival }, status)
                }
                (Direction::Exit, true) => {
                    let start = m.day.succ_opt().unwrap_or(m.day);
                    let (long, status) = judge(&presence, start, rule, as_of, false, !inside);
                    resident = !long;
                    (if long { Flow::LongTermDeparture } else { Flow::ShortTermDeparture }, status)
                }
                _ => continue,
            };
            events.push(Event { movement: *m, flow, status });
        }
    }
    events
}

/// Sorts and joins overlapping or touching spans.
fn merge(spans: &mut Vec<(NaiveDate, NaiveDate)>) {
    spans.sort_unstable();
    let mut out: Vec<(NaiveDate, NaiveDate)> = Vec::with_capacity(spans.len());
    for &(a, b) in spans.iter() {
        match out.last_mut() {
            Some(last) if a <= last.1.succ_opt().unwrap_or(last.1) => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    *spans = out;
}

/// Days of `spans` (merged) in `[from, to)`.
fn days_in(spans: &[(NaiveDate, NaiveDate)], from: NaiveDate, to: NaiveDate) -> i64 {
    spans
        .iter()
        .map(|&(a, b)| {
            let (lo, hi) = (a.max(from), b.succ_opt().unwrap_or(b).min(to));
            (hi - lo).num_days().max(0)
        })
        .sum()
}

/// Whether the window from `start` holds the months the rule asks of presence (`present`) or
/// of absence, and whether that is settled. Days after `as_of` are not observed: the projection
/// counts them as the traveller's state then (`continues`: still present, or still absent).
fn judge(
    presence: &[(NaiveDate, NaiveDate)],
    start: NaiveDate,
    rule: MigrationRule,
    as_of: NaiveDate,
    present: bool,
    continues: bool,
) -> (bool, Status) {
    let months = |n: u32| start.checked_add_months(Months::new(n)).unwrap_or(NaiveDate::MAX);
    let (end, needed) = (months(rule.window_months), (months(rule.present_months) - start).num_days());
    let observed_end = as_of.succ_opt().unwrap_or(as_of).clamp(start, end);
    let observed_days = (observed_end - start).num_days();
    let here = days_in(presence, start, observed_end);
    let counted = if present { here } else { observed_days - here };
    let unobserved = (end - observed_end).num_days();
    if counted >= needed {
        (true, Status::Final)
    } else if counted + unobserved < needed {
        (false, Status::Final)
    } else {
        (counted + if continues { unobserved } else { 0 } >= needed, Status::Provisional)
    }
}

/// What a table of migrants can be broken down by.
pub const MIGRANT_DIMENSIONS: &[&str] =
    &["month", "quarter", "year", "category", "nationality", "sex", "age_group"];

/// Events of days in `span` by `by` (of [`MIGRANT_DIMENSIONS`]), `flow` and `status`: every
/// flow of every group, provisional figures apart from final ones.
pub fn migrants(events: &[Event], by: &[&'static str], span: crate::stays::Span) -> Table {
    let mut counts: HashMap<Vec<String>, u64> = HashMap::new();
    for e in events.iter().filter(|e| span.contains(e.movement.day)) {
        let mut key: Vec<String> = by.iter().map(|d| value(d, &e.movement, e.movement.day)).collect();
        key.push(e.flow.as_str().to_string());
        key.push(e.status.as_str().to_string());
        *counts.entry(key).or_default() += 1;
    }
    let mut dims = by.to_vec();
    dims.extend(["flow", "status"]);
    debug_assert!(by.iter().filter(|d| is_period(d)).count() <= 1);
    Table::from_counts(&dims, counts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stays::tests::{d, m};
    use crate::stays::{Span, stays};
    use Direction::{Entry, Exit};

    fn run(mut ms: Vec<Movement>, as_of: &str) -> Vec<(u32, String, Flow, Status)> {
        let s = stays(&mut ms);
        classify(&ms, &s, CountryCode::BLZ, MigrationRule::default(), d(as_of))
            .into_iter()
            .map(|e| (e.movement.traveller, e.movement.day.to_string(), e.flow, e.status))
            .collect()
    }

    #[test]
    fn twelve_months_in_three_stays_within_sixteen_is_one_long_term_arrival() {
        // 2025-01-01 to 2025-04-30 (120 days), 2025-06-01 to 2025-09-30 (122 days) and
        // 2025-11-01 to 2026-03-05 (125 days): 367 days, 365 of them by 2026-04-30.
        let ms = vec![
            m(0, 0, "2025-01-01", Entry, None),
            m(0, 0, "2025-04-30", Exit, None),
            m(0, 0, "2025-06-01", Entry, None),
            m(0, 0, "2025-09-30", Exit, None),
            m(0, 0, "2025-11-01", Entry, None),
            m(0, 0, "2026-03-05", Exit, None),
        ];
        let events = run(ms, "2027-12-31");
        assert_eq!(
            events,
            [
                (0, "2025-01-01".into(), Flow::LongTermArrival, Status::Final),
                // Now a resident: the exits are trips until one keeps them away 12 months.
                (0, "2025-04-30".into(), Flow::ShortTermDeparture, Status::Final),
                (0, "2025-09-30".into(), Flow::ShortTermDeparture, Status::Final),
                (0, "2026-03-05".into(), Flow::LongTermDeparture, Status::Final),
            ]
        );
    }

    #[test]
    fn a_day_short_of_twelve_months_is_a_visit() {
        // 2025-01-01 + 12 months = 2026-01-01: 365 days needed. 2025-01-01..=2025-12-30 is 364.
        let short = vec![m(0, 0, "2025-01-01", Entry, None), m(0, 0, "2025-12-30", Exit, None)];
        assert_eq!(
            run(short, "2027-01-01"),
            [(0, "2025-01-01".into(), Flow::ShortTermArrival, Status::Final)]
        );
        let enough = vec![m(0, 0, "2025-01-01", Entry, None), m(0, 0, "2025-12-31", Exit, None)];
        assert_eq!(run(enough, "2027-01-01")[0].2, Flow::LongTermArrival);
    }

    #[test]
    fn figures_are_provisional_while_the_window_is_open_and_final_once_settled() {
        // In the country since March, seen on 1 August: projected to stay, provisional.
        let inside = vec![m(0, 0, "2026-03-01", Entry, None)];
        let seen = &run(inside.clone(), "2026-08-01")[0];
        assert_eq!((seen.2, seen.3), (Flow::LongTermArrival, Status::Provisional));
        // A year later the 12 months are reached: final before the 16 are over.
        assert_eq!(run(inside, "2027-03-01")[0].3, Status::Final);
        // Left after two weeks and not back: projected a visit, still provisional…
        let visit = vec![m(1, 1, "2026-03-01", Entry, None), m(1, 1, "2026-03-14", Exit, None)];
        let seen = &run(visit.clone(), "2026-04-01")[0];
        assert_eq!((seen.2, seen.3), (Flow::ShortTermArrival, Status::Provisional));
        // …until coming back could no longer make 12 months: final.
        assert_eq!(run(visit, "2026-07-20")[0].3, Status::Final);
    }

    #[test]
    fn a_regional_visitor_crossing_daily_is_mobility_not_migration() {
        let mut ms = Vec::new();
        for day in 1..=28 {
            for (dir, hour) in [(Entry, 8), (Exit, 18)] {
                let mut c = m(0, 0, &format!("2026-02-{day:02}"), dir, None);
                c.category = Category::RegionalVisitor;
                c.at += hour;
                ms.push(c);
            }
        }
        let events = run(ms, "2027-12-31");
        assert_eq!(events.len(), 28);
        assert!(events.iter().all(|e| e.2 == Flow::LocalMobility && e.3 == Status::Final));
    }

    #[test]
    fn residents_are_nationals_or_hold_residence_and_their_long_absences_are_departures() {
        let mut national = m(0, 0, "2025-02-01", Exit, None);
        national.nationality = CountryCode::BLZ;
        let mut back = m(0, 0, "2026-03-01", Entry, None);
        back.nationality = CountryCode::BLZ;
        // Away 13 months: a long-term departure. Home since: a returning emigrant is a
        // long-term arrival like any other.
        let events = run(vec![national, back], "2027-12-31");
        assert_eq!(
            events.iter().map(|e| e.2).collect::<Vec<_>>(),
            [Flow::LongTermDeparture, Flow::LongTermArrival]
        );
        // A foreign resident's exit with a month abroad is a trip.
        let mut resident = m(1, 1, "2025-02-01", Exit, None);
        resident.category = Category::Resident;
        let mut home = m(1, 1, "2025-03-01", Entry, None);
        home.category = Category::Resident;
        assert_eq!(run(vec![resident, home], "2027-12-31")[0].2, Flow::ShortTermDeparture);
    }

    #[test]
    fn a_migrant_table_keeps_provisional_figures_apart() {
        let mut ms = vec![
            m(0, 0, "2025-01-01", Entry, None),
            m(1, 1, "2026-11-01", Entry, None),
            m(2, 2, "2026-11-02", Entry, None),
            m(2, 2, "2026-11-03", Exit, None),
        ];
        let s = stays(&mut ms);
        let events = classify(&ms, &s, CountryCode::BLZ, MigrationRule::default(), d("2026-11-27"));
        let t = migrants(&events, &["year"], Span::default());
        assert_eq!(t.dimensions, ["year", "flow", "status"]);
        let rows: Vec<(Vec<&str>, u64)> =
            t.rows.iter().map(|r| (r.key.iter().map(String::as_str).collect(), r.count)).collect();
        assert_eq!(
            rows,
            [
                (vec!["2025", "long_term_arrival", "final"], 1),
                (vec!["2026", "long_term_arrival", "provisional"], 1),
                (vec!["2026", "short_term_arrival", "provisional"], 1),
            ]
        );
        assert!(MigrationRule::new(17, 16).is_err() && MigrationRule::new(6, 12).is_ok());
        assert!(
            Flow::LongTermArrival.definition(MigrationRule::default(), Lang::Es).contains("12 de los 16")
        );
    }
}
