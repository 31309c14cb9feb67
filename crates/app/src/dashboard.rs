//! A post's (or a country's) dashboard: today's and the last seven days' entries and exits by
//! hour, day and category, the counters' processing times, and the open overstays.

use chrono::{Duration, NaiveDate, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use frontera_domain::access::{Action, Actor, Resource, can};
use frontera_domain::audit::AuditDraft;
use frontera_domain::{Category, CountryCode, Crossing, Direction, PortId};
use frontera_store::{CrossingFact, CrossingQuery};

use crate::{App, AppError};

/// How many days "this week" covers, today included.
pub const WEEK_DAYS: i64 = 7;

/// How many open overstays the dashboard names (to those who may read names).
pub const OVERSTAYS_LISTED: u32 = 25;

/// Entries and exits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flow {
    /// Entries.
    pub entries: u32,
    /// Exits.
    pub exits: u32,
}

impl Flow {
    fn add(&mut self, direction: Direction) {
        match direction {
            Direction::Entry => self.entries += 1,
            Direction::Exit => self.exits += 1,
        }
    }

    /// Entries and exits together.
    pub fn total(&self) -> u32 {
        self.entries + self.exits
    }
}

/// The counters' processing times over some crossings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProcessingTimes {
    /// Crossings timed at a counter.
    pub timed: u32,
    /// Their median, in milliseconds.
    pub median_ms: u32,
    /// Their 90th percentile (nearest rank), in milliseconds.
    pub p90_ms: u32,
}

impl ProcessingTimes {
    /// The times of `values` (in any order); `None` when there are none.
    pub fn of(mut values: Vec<u32>) -> Option<ProcessingTimes> {
        if values.is_empty() {
            return None;
        }
        values.sort_unstable();
        let n = values.len();
        // Nearest rank: the smallest value with at least p of the values at or below it.
        let rank = |p: usize| values[(n * p).div_ceil(100).clamp(1, n) - 1];
        Some(ProcessingTimes { timed: n as u32, median_ms: rank(50), p90_ms: rank(90) })
    }
}

/// The counts of one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// Its first day.
    pub first: NaiveDate,
    /// Its last day (today).
    pub last: NaiveDate,
    /// Every crossing.
    pub total: Flow,
    /// By hour of the day (local), 0–23.
    pub by_hour: [Flow; 24],
    /// By day, first to last.
    pub by_day: Vec<(NaiveDate, Flow)>,
    /// By category, in [`Category::ALL`] order, those with crossings only.
    pub by_category: Vec<(Category, Flow)>,
    /// The counters' times.
    pub processing: Option<ProcessingTimes>,
}

impl Period {
    fn of(facts: &[CrossingFact], tz: Tz, first: NaiveDate, last: NaiveDate) -> Period {
        let days = (last - first).num_days().max(0) as usize + 1;
        let mut by_day: Vec<(NaiveDate, Flow)> =
            (0..days).map(|d| (first + Duration::days(d as i64), Flow::default())).collect();
        let mut by_hour = [Flow::default(); 24];
        let mut by_category: Vec<(Category, Flow)> =
            Category::ALL.iter().map(|c| (*c, Flow::default())).collect();
        let mut total = Flow::default();
        let mut times = Vec::new();
        for f in facts {
            let local = f.occurred_at.with_timezone(&tz);
            let date = local.date_naive();
            if date < first || date > last {
                continue;
            }
            total.add(f.direction);
            by_hour[local.hour() as usize].add(f.direction);
            if let Some((_, flow)) = by_day.get_mut((date - first).num_days() as usize) {
                flow.add(f.direction);
            }
            if let Some((_, flow)) = by_category.iter_mut().find(|(c, _)| *c == f.category) {
                flow.add(f.direction);
            }
            times.extend(f.processing_ms);
        }
        by_category.retain(|(_, flow)| flow.total() > 0);
        Period { first, last, total, by_hour, by_day, by_category, processing: ProcessingTimes::of(times) }
    }
}

/// A dashboard.
#[derive(Debug, Clone)]
pub struct Dashboard {
    /// The country.
    pub country: CountryCode,
    /// The port, or `None` for every port of the country.
    pub port: Option<PortId>,
    /// The time zone its days and hours are counted in.
    pub time_zone: Tz,
    /// Today.
    pub today: Period,
    /// The last [`WEEK_DAYS`] days, today included.
    pub week: Period,
    /// Whether the viewer sees processing times (supervisors, administrators, statisticians).
    pub shows_processing: bool,
    /// Open overstays: travellers whose permitted stay has ended without an exit.
    pub overstays: u64,
    /// The longest overdue of them, for those who may read names (else empty).
    pub overstayers: Vec<Crossing>,
}

/// Whether a role sees the counters' processing times: those who run or study the posts, not
/// the officers timed.
pub fn shows_processing(actor: &Actor) -> bool {
    can(actor, Action::SeeProcessingTimes, Resource::of(actor.scope.country)).allowed()
}

impl App {
    /// The dashboard of a port (by id), or of a country's ports (`port` empty: the actor's
    /// country, or `country` for the binational group).
    pub async fn dashboard(
        &self,
        actor: &Actor,
        port: Option<&str>,
        country: Option<&str>,
    ) -> Result<Dashboard, AppError> {
        let port = port.map(str::trim).filter(|p| !p.is_empty());
        let port = port.map(|p| self.ports.resolve(p, "port")).transpose()?;
        let country = match (port, country.map(str::trim).filter(|c| !c.is_empty())) {
            (Some(p), _) => p.country,
            (None, Some(c)) => CountryCode::parse_field(c, "country")?,
            (None, None) => actor.scope.country,
        };
        let port_id = port.map(|p| p.id.clone());
        let resource = Resource::at(country, port_id.as_ref());
        if !can(actor, Action::ReadTables, resource).allowed() {
            return Err(AppError::Forbidden(format!("the dashboard of {country} is outside your scope")));
        }
        let time_zone = match port {
            Some(p) => p.time_zone,
            None => self.ports.all().find(|p| p.country == country).map_or(Tz::UTC, |p| p.time_zone),
        };
        let now = self.now();
        let today = now.with_timezone(&time_zone).date_naive();
        let first = today - Duration::days(WEEK_DAYS - 1);
        let from = time_zone
            .from_local_datetime(&first.and_hms_opt(0, 0, 0).unwrap_or_default())
            .earliest()
            .map_or(now - Duration::days(WEEK_DAYS), |t| t.with_timezone(&Utc));
        let query = CrossingQuery {
            countries: vec![country],
            port: port_id.clone(),
            from: Some(from),
            to: Some(now + Duration::minutes(1)),
            ..CrossingQuery::default()
        };
        let facts = self.store.crossing_facts(&query).await?;
        let (overstays, overstayers) =
            if can(actor, Action::ReadPersonalData, Resource::of(country)).allowed() {
                let event = AuditDraft::new(
                    &actor.name,
                    "overstay.list",
                    "person",
                    port_id.as_ref().map_or("all", PortId::as_str),
                    Some(country.as_str()),
                    serde_json::json!({}),
                );
                self.store.overstays(country, port_id.as_ref(), now, OVERSTAYS_LISTED, Some(event)).await?
            } else {
                self.store.overstays(country, port_id.as_ref(), now, 0, None).await?
            };
        Ok(Dashboard {
            country,
            port: port_id,
            time_zone,
            today: Period::of(&facts, time_zone, today, today),
            week: Period::of(&facts, time_zone, first, today),
            shows_processing: shows_processing(actor),
            overstays,
            overstayers,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_take_the_nearest_rank() {
        assert_eq!(ProcessingTimes::of(vec![]), None);
        let one = ProcessingTimes::of(vec![7]).unwrap();
        assert_eq!((one.median_ms, one.p90_ms), (7, 7));
        let t = ProcessingTimes::of((1..=10).rev().map(|s| s * 1000).collect()).unwrap();
        assert_eq!((t.timed, t.median_ms, t.p90_ms), (10, 5_000, 9_000));
        let t = ProcessingTimes::of(vec![40, 10, 30, 20]).unwrap();
        assert_eq!((t.median_ms, t.p90_ms), (20, 40));
    }
}
