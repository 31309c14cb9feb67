//! A seeded, deterministic generator of a year of Belize–Mexico border traffic, and the demo node.
//!
//! The same seed, number of days and last day give the same crossings, ids included, so tests
//! and benchmarks can rely on it. Every generated crossing knows the traveller it belongs to
//! ([`Generated::traveller`]): the ground truth that record linkage and statistics are later
//! measured against, since the same person appears under different documents and spellings on
//! the two sides.

pub mod alerts;
pub mod informal;
pub mod labour;
pub(crate) mod names;
pub mod protection;

use std::sync::Arc;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use frontera_domain::access::Actor;
use frontera_domain::audit::AuditDraft;
use frontera_domain::document::{DocumentKind, DocumentNumber, TravelDocument};
use frontera_domain::mrz::MrzFormat;
use frontera_domain::{
    Category, CountryCode, Crossing, CrossingId, Direction, NewCrossing, PartialDate, PermittedStay, Person,
    PersonName, PortId, PortRegistry, Provenance, Purpose, Sex, TransportMode,
};
use frontera_store::ImportRow;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sha2::{Digest, Sha256};

use self::names::Community;
use crate::formats::Progress;
use crate::login::Password;
use crate::users::NewUser;
use crate::{App, AppError};

pub use self::names::mrz_style;

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct DemoOptions {
    /// How many days of traffic.
    pub days: u32,
    /// The seed.
    pub seed: u64,
    /// The last day generated (crossings after its end are not generated).
    pub last_day: NaiveDate,
    /// An earlier end than the last day's: when the last day is today, now (a trip under way
    /// has crossed only as far as it has got).
    pub cutoff: Option<DateTime<Utc>>,
}

/// A generated crossing with the traveller it belongs to.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The crossing.
    pub crossing: Crossing,
    /// Its content's fingerprint.
    pub fingerprint: String,
    /// The traveller's number in the generator's population: the linkage ground truth.
    pub traveller: u32,
}

/// How a traveller crosses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pattern {
    /// A Belizean shopping or visiting in Chetumal for the day.
    BelizeanDayTrip,
    /// A Mexican working in Corozal or the Free Zone, weekdays.
    MexicanWorker,
    /// A Belizean working in Chetumal with a border-worker card (TVTF).
    BelizeanWorker,
    /// A Mexican visiting Belize for one to four days.
    MexicanVisitor,
    /// A Mennonite farmer of Blue Creek trading in La Unión.
    BlueCreekFarmer,
    /// A truck driver.
    Driver,
}

#[derive(Debug, Clone)]
struct Traveller {
    id: u32,
    pattern: Pattern,
    nationality: CountryCode,
    given: String,
    first: String,
    second: Option<String>,
    sex: Sex,
    birth: NaiveDate,
    passport: String,
    passport_expiry: NaiveDate,
    /// A TVR, TVTF or Belizean work permit.
    card: Option<String>,
}

/// The population and the calendar of the generated traffic.
pub struct Generator {
    options: DemoOptions,
    travellers: Vec<Traveller>,
    by_pattern: Vec<(Pattern, Vec<u32>)>,
    ports: Ports,
}

struct Ports {
    santa_elena: PortId,
    subteniente_lopez: PortId,
    blue_creek: PortId,
    la_union: PortId,
    san_pedro: PortId,
    chetumal_sea: PortId,
    benque_viejo: PortId,
    belize_airport: PortId,
    cancun_airport: PortId,
    belize: Tz,
    quintana_roo: Tz,
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.gen_range(0..items.len())]
}

fn digits(rng: &mut ChaCha8Rng, n: usize) -> String {
    (0..n).map(|_| char::from(b'0' + rng.gen_range(0..10u8))).collect()
}

/// Who a new traveller is: community, nationality, number, pattern, age range and current year.
struct Profile<'a> {
    community: &'a Community,
    nationality: CountryCode,
    id: u32,
    pattern: Pattern,
    ages: (i32, i32),
    year: i32,
}

fn person_from(rng: &mut ChaCha8Rng, profile: Profile<'_>) -> Traveller {
    let Profile { community, nationality, id, pattern, ages: (min_age, max_age), year } = profile;
    let sex = if rng.gen_bool(0.5) { Sex::Female } else { Sex::Male };
    let given = community.given(rng, sex).to_string();
    let first = community.surname(rng).to_string();
    let second = rng.gen_bool(community.two_surnames).then(|| {
        let mut s = community.surname(rng);
        while *s == first {
            s = community.surname(rng);
        }
        s.to_string()
    });
    let age = rng.gen_range(min_age..=max_age);
    let birth =
        NaiveDate::from_ymd_opt(year - age, 1, 1).unwrap_or_default() + Duration::days(rng.gen_range(0..365));
    let passport = match nationality.as_str() {
        "BLZ" => format!("P{}", digits(rng, 7)),
        "MEX" => format!("{}{}", if rng.gen_bool(0.5) { 'G' } else { 'N' }, digits(rng, 8)),
        "GTM" => digits(rng, 9),
        "USA" => format!("5{}", digits(rng, 8)),
        _ => format!("{}{}", char::from(b'A' + rng.gen_range(0..26u8)), digits(rng, 8)),
    };
    let passport_expiry =
        NaiveDate::from_ymd_opt(year + rng.gen_range(1..10), rng.gen_range(1..=12), rng.gen_range(1..=28))
            .unwrap_or_default();
    Traveller {
        id,
        pattern,
        nationality,
        given,
        first,
        second,
        sex,
        birth,
        passport,
        passport_expiry,
        card: None,
    }
}

/// Traffic relative to an ordinary day: weekends for shoppers, the Christmas season, Holy Week.
fn season(date: NaiveDate, pattern: Pattern) -> f64 {
    let weekday = match (pattern, date.weekday()) {
        (Pattern::MexicanWorker | Pattern::BelizeanWorker, Weekday::Sat) => 0.35,
        (Pattern::MexicanWorker | Pattern::BelizeanWorker, Weekday::Sun) => 0.05,
        (Pattern::MexicanWorker | Pattern::BelizeanWorker, _) => 1.0,
        (_, Weekday::Sat) => 1.55,
        (_, Weekday::Sun) => 1.3,
        (_, Weekday::Fri) => 1.1,
        (_, _) => 0.85,
    };
    let (m, d) = (date.month(), date.day());
    let christmas = (m == 12 && d >= 15) || (m == 1 && d <= 6);
    let holy_week = holy_week(date.year()).is_some_and(|easter| (easter - date).num_days().abs() <= 4);
    let season = match pattern {
        Pattern::MexicanWorker | Pattern::BelizeanWorker | Pattern::Driver if christmas => 0.8,
        Pattern::MexicanWorker | Pattern::BelizeanWorker | Pattern::Driver => 1.0,
        _ if christmas => 1.7,
        _ if holy_week => 1.35,
        _ if m == 9 || m == 10 => 0.8,
        _ => 1.0,
    };
    weekday * season
}

/// Easter Sunday (anonymous Gregorian algorithm).
fn holy_week(year: i32) -> Option<NaiveDate> {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32)
}

/// A Poisson-distributed count (Knuth for small means, normal approximation for large ones).
fn poisson(rng: &mut ChaCha8Rng, mean: f64) -> u32 {
    if mean > 30.0 {
        let u1: f64 = rng.gen_range(f64::EPSILON..1.0);
        let u2: f64 = rng.gen_range(0.0..1.0);
        let z = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
        return (mean + z * mean.sqrt()).round().max(0.0) as u32;
    }
    let l = (-mean).exp();
    let mut k = 0;
    let mut p = 1.0;
    loop {
        p *= rng.gen_range(0.0..1.0);
        if p <= l {
            return k;
        }
        k += 1;
    }
}

/// A local time of day drawn around `peak_hour`, within the port's opening hours (06:00–23:59).
fn local_time(rng: &mut ChaCha8Rng, peak_hour: f64, spread: f64) -> NaiveTime {
    let u1: f64 = rng.gen_range(f64::EPSILON..1.0);
    let u2: f64 = rng.gen_range(0.0..1.0);
    let z = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
    let hours = (peak_hour + z * spread).clamp(6.0, 23.9);
    let secs = (hours * 3600.0) as u32;
    NaiveTime::from_num_seconds_from_midnight_opt(secs, 0).unwrap_or_default()
}

fn at_local(tz: Tz, date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    tz.from_local_datetime(&date.and_time(time))
        .single()
        .map_or_else(|| Utc.from_utc_datetime(&date.and_time(time)), |t| t.with_timezone(&Utc))
}

/// One crossing of a trip, before it is stamped.
struct Leg {
    port: PortId,
    country: CountryCode,
    direction: Direction,
    category: Category,
    purpose: Purpose,
    mode: TransportMode,
    stay: Option<u16>,
    at: DateTime<Utc>,
    document: DocUse,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum DocUse {
    Passport,
    Card,
}

impl Generator {
    /// The population of the options' seed.
    pub fn new(options: DemoOptions) -> Result<Generator, AppError> {
        let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
        let year = options.last_day.year();
        let mut travellers = Vec::new();
        let mut add = |rng: &mut ChaCha8Rng,
                       n: u32,
                       pattern: Pattern,
                       mix: &[(&Community, CountryCode, f64)],
                       ages: (i32, i32)| {
            for _ in 0..n {
                let roll: f64 = rng.gen_range(0.0..1.0);
                let mut acc = 0.0;
                let mut choice = mix[0];
                for m in mix {
                    acc += m.2;
                    if roll < acc {
                        choice = *m;
                        break;
                    }
                }
                let id = travellers.len() as u32;
                let mut t = person_from(
                    rng,
                    Profile { community: choice.0, nationality: choice.1, id, pattern, ages, year },
                );
                t.card = match pattern {
                    Pattern::BelizeanDayTrip if rng.gen_bool(0.6) => Some(format!("R{}", digits(rng, 9))),
                    Pattern::BelizeanWorker => Some(format!("T{}", digits(rng, 9))),
                    Pattern::MexicanWorker => Some(format!("WP{}", digits(rng, 7))),
                    _ => None,
                };
                travellers.push(t);
            }
        };
        let belizean: &[(&Community, CountryCode, f64)] = &[
            (&names::MESTIZO, CountryCode::BLZ, 0.52),
            (&names::CREOLE, CountryCode::BLZ, 0.26),
            (&names::MAYA, CountryCode::BLZ, 0.1),
            (&names::GARIFUNA, CountryCode::BLZ, 0.06),
            (&names::MENNONITE, CountryCode::BLZ, 0.06),
        ];
        let mexican: &[(&Community, CountryCode, f64)] = &[(&names::MEXICAN, CountryCode::MEX, 1.0)];
        let gtm = CountryCode::parse("GTM").unwrap_or(CountryCode::BLZ);
        let hnd = CountryCode::parse("HND").unwrap_or(CountryCode::BLZ);
        add(&mut rng, 25_000, Pattern::BelizeanDayTrip, belizean, (18, 80));
        add(&mut rng, 420, Pattern::MexicanWorker, mexican, (18, 60));
        add(
            &mut rng,
            260,
            Pattern::BelizeanWorker,
            &[
                (&names::MESTIZO, CountryCode::BLZ, 0.7),
                (&names::GUATEMALAN, gtm, 0.2),
                (&names::CENTRAL_AMERICAN, hnd, 0.1),
            ],
            (18, 60),
        );
        add(&mut rng, 6_000, Pattern::MexicanVisitor, mexican, (18, 80));
        add(
            &mut rng,
            1_500,
            Pattern::BlueCreekFarmer,
            &[(&names::MENNONITE, CountryCode::BLZ, 0.9), (&names::MESTIZO, CountryCode::BLZ, 0.1)],
            (18, 75),
        );
        add(
            &mut rng,
            180,
            Pattern::Driver,
            &[
                (&names::MEXICAN, CountryCode::MEX, 0.6),
                (&names::MESTIZO, CountryCode::BLZ, 0.3),
                (&names::GUATEMALAN, gtm, 0.1),
            ],
            (22, 65),
        );
        let mut by_pattern: Vec<(Pattern, Vec<u32>)> = Vec::new();
        for t in &travellers {
            match by_pattern.iter_mut().find(|(p, _)| *p == t.pattern) {
                Some((_, ids)) => ids.push(t.id),
                None => by_pattern.push((t.pattern, vec![t.id])),
            }
        }
        let registry = PortRegistry::builtin();
        let port = |id: &str| registry.resolve(id, "port").map(|p| p.id.clone()).map_err(AppError::Invalid);
        let tz = |id: &str| registry.resolve(id, "port").map(|p| p.time_zone).map_err(AppError::Invalid);
        Ok(Generator {
            options,
            travellers,
            by_pattern,
            ports: Ports {
                santa_elena: port("bz-santa-elena")?,
                subteniente_lopez: port("mx-subteniente-lopez")?,
                blue_creek: port("bz-blue-creek")?,
                la_union: port("mx-la-union")?,
                san_pedro: port("bz-san-pedro")?,
                chetumal_sea: port("mx-chetumal-muelle")?,
                benque_viejo: port("bz-benque-viejo")?,
                belize_airport: port("bz-pgia")?,
                cancun_airport: port("mx-cancun-aeropuerto")?,
                belize: tz("bz-santa-elena")?,
                quintana_roo: tz("mx-subteniente-lopez")?,
            },
        })
    }

    /// The days generated, first to last.
    pub fn days(&self) -> impl Iterator<Item = NaiveDate> + use<> {
        let first = self.options.last_day - Duration::days(i64::from(self.options.days.max(1)) - 1);
        (0..i64::from(self.options.days.max(1))).map(move |d| first + Duration::days(d))
    }

    /// The crossings of the trips that begin on `date`; crossings after the last day's end are
    /// left out.
    pub fn day(&self, date: NaiveDate) -> Vec<Generated> {
        let day_number = (date - NaiveDate::default()).num_days() as u64;
        let mut rng =
            ChaCha8Rng::seed_from_u64(self.options.seed ^ day_number.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let day_end =
            at_local(self.ports.quintana_roo, self.options.last_day + Duration::days(1), NaiveTime::MIN);
        let end = self.options.cutoff.map_or(day_end, |cutoff| cutoff.min(day_end));
        let mut out = Vec::with_capacity(10_000);
        // Mean trips per ordinary day for each pattern.
        let plan: [(Pattern, f64); 6] = [
            (Pattern::BelizeanDayTrip, 1_150.0),
            (Pattern::MexicanWorker, 400.0),
            (Pattern::BelizeanWorker, 240.0),
            (Pattern::MexicanVisitor, 140.0),
            (Pattern::BlueCreekFarmer, 45.0),
            (Pattern::Driver, 110.0),
        ];
        for (pattern, mean) in plan {
            let Some((_, pool)) = self.by_pattern.iter().find(|(p, _)| *p == pattern) else { continue };
            let n = poisson(&mut rng, mean * season(date, pattern));
            let chosen: Vec<u32> = if matches!(pattern, Pattern::MexicanWorker | Pattern::BelizeanWorker) {
                let mut pool = pool.clone();
                pool.shuffle(&mut rng);
                pool.into_iter().take(n as usize).collect()
            } else {
                (0..n).map(|_| *pick(&mut rng, pool)).collect()
            };
            for id in chosen {
                let Some(t) = self.travellers.get(id as usize) else { continue };
                let legs = self.trip(&mut rng, t, date);
                self.stamp(&mut rng, t, legs, end, &mut out);
            }
        }
        // Tourists and transit travellers: new people every day.
        let tourists = poisson(&mut rng, 190.0 * season(date, Pattern::MexicanVisitor));
        for k in 0..tourists {
            let id = 1_000_000 + (day_number as u32 % 100_000) * 1_000 + k;
            let (community, code, transit) = match rng.gen_range(0..100) {
                0..=39 => (&names::VISITOR, "USA", false),
                40..=54 => (&names::VISITOR, "CAN", false),
                55..=64 => (&names::VISITOR, "GBR", false),
                65..=74 => (&names::VISITOR, "D", false),
                75..=81 => (&names::VISITOR, "FRA", false),
                82..=87 => (&names::VISITOR, "ITA", false),
                88..=93 => (&names::GUATEMALAN, "GTM", true),
                _ => (&names::CENTRAL_AMERICAN, "HND", true),
            };
            let nationality = CountryCode::parse(code).unwrap_or(CountryCode::BLZ);
            let profile = Profile {
                community,
                nationality,
                id,
                pattern: Pattern::MexicanVisitor,
                ages: (20, 75),
                year: date.year(),
            };
            let t = person_from(&mut rng, profile);
            let legs = self.tourist_trip(&mut rng, date, transit);
            self.stamp(&mut rng, &t, legs, end, &mut out);
        }
        out
    }

    /// A round trip from the traveller's side of the border to the other and back.
    fn trip(&self, rng: &mut ChaCha8Rng, t: &Traveller, date: NaiveDate) -> Vec<Leg> {
        let p = &self.ports;
        let bz = (CountryCode::BLZ, p.belize);
        let mx = (CountryCode::MEX, p.quintana_roo);
        let ((home, home_port), (away, away_port)) = match t.pattern {
            Pattern::BlueCreekFarmer => ((bz, &p.blue_creek), (mx, &p.la_union)),
            Pattern::BelizeanDayTrip | Pattern::BelizeanWorker => {
                ((bz, &p.santa_elena), (mx, &p.subteniente_lopez))
            }
            Pattern::MexicanWorker | Pattern::MexicanVisitor | Pattern::Driver => {
                ((mx, &p.subteniente_lopez), (bz, &p.santa_elena))
            }
        };
        let worker = matches!(t.pattern, Pattern::MexicanWorker | Pattern::BelizeanWorker);
        let driver = t.pattern == Pattern::Driver;
        let out_t = at_local(
            home.1,
            date,
            if worker { local_time(rng, 6.9, 0.45) } else { local_time(rng, 10.5, 2.0) },
        );
        let nights = if t.pattern == Pattern::MexicanVisitor { rng.gen_range(0..4) } else { 0 };
        let back_t = if nights > 0 {
            at_local(away.1, date + Duration::days(nights), local_time(rng, 15.0, 2.0))
        } else {
            let minutes = match () {
                _ if worker => rng.gen_range(510..630),
                _ if driver => rng.gen_range(60..300),
                _ => rng.gen_range(120..420),
            };
            out_t + Duration::minutes(minutes)
        };
        let leisure = |rng: &mut ChaCha8Rng| {
            *pick(
                rng,
                &[
                    Purpose::Shopping,
                    Purpose::Shopping,
                    Purpose::Shopping,
                    Purpose::Family,
                    Purpose::Health,
                    Purpose::Tourism,
                ],
            )
        };
        let (away_category, purpose, stay, doc) = match t.pattern {
            Pattern::MexicanWorker | Pattern::BelizeanWorker => {
                (Category::BorderWorker, Purpose::Work, None, DocUse::Card)
            }
            Pattern::Driver => (Category::CrewDriver, Purpose::Work, Some(1), DocUse::Passport),
            Pattern::BelizeanDayTrip if t.card.is_some() => {
                (Category::RegionalVisitor, leisure(rng), Some(3), DocUse::Card)
            }
            Pattern::BelizeanDayTrip => (Category::Visitor, leisure(rng), Some(7), DocUse::Passport),
            Pattern::BlueCreekFarmer => (Category::Visitor, Purpose::Business, Some(7), DocUse::Passport),
            Pattern::MexicanVisitor => (Category::Visitor, leisure(rng), Some(30), DocUse::Passport),
        };
        let mode = match t.pattern {
            Pattern::BlueCreekFarmer | Pattern::Driver => TransportMode::Truck,
            _ => *pick(
                rng,
                &[
                    TransportMode::Car,
                    TransportMode::Car,
                    TransportMode::Bus,
                    TransportMode::Pedestrian,
                    TransportMode::Motorcycle,
                ],
            ),
        };
        let national = |country: CountryCode| t.nationality == country;
        let category = |country: CountryCode, direction: Direction| match direction {
            _ if !national(country) && country == away.0 => away_category,
            _ if !national(country) => {
                if driver {
                    Category::CrewDriver
                } else {
                    Category::Resident
                }
            }
            Direction::Entry => Category::ReturningNational,
            Direction::Exit => Category::DepartingNational,
        };
        let document = |country: CountryCode| if country == away.0 { doc } else { DocUse::Passport };
        let leg = |port: &PortId,
                   country: CountryCode,
                   direction: Direction,
                   purpose: Purpose,
                   at: DateTime<Utc>| Leg {
            port: port.clone(),
            country,
            direction,
            category: category(country, direction),
            purpose,
            mode,
            stay: if direction == Direction::Entry && !national(country) && country == away.0 {
                stay
            } else {
                None
            },
            at,
            document: document(country),
        };
        let gap = |rng: &mut ChaCha8Rng| Duration::seconds(rng.gen_range(240..1_500));
        let (in_t, home_t) = (out_t + gap(rng), back_t + gap(rng));
        vec![
            leg(home_port, home.0, Direction::Exit, purpose, out_t),
            leg(away_port, away.0, Direction::Entry, purpose, in_t),
            leg(away_port, away.0, Direction::Exit, Purpose::ReturnHome, back_t),
            leg(home_port, home.0, Direction::Entry, Purpose::ReturnHome, home_t),
        ]
    }

    fn tourist_trip(&self, rng: &mut ChaCha8Rng, date: NaiveDate, transit: bool) -> Vec<Leg> {
        let p = &self.ports;
        let by_sea = !transit && rng.gen_bool(0.3);
        let (mx, bz, mode) = if by_sea {
            (&p.chetumal_sea, &p.san_pedro, TransportMode::Boat)
        } else {
            (&p.subteniente_lopez, &p.santa_elena, TransportMode::Bus)
        };
        let southbound = rng.gen_bool(0.6);
        let category = if transit { Category::Transit } else { Category::Visitor };
        let purpose = if transit { Purpose::Transit } else { Purpose::Tourism };
        let first = at_local(
            p.quintana_roo,
            date,
            local_time(rng, if by_sea { 8.5 } else { 12.0 }, if by_sea { 0.3 } else { 2.5 }),
        );
        let second = first + Duration::seconds(rng.gen_range(if by_sea { 5_400..7_200 } else { 300..1_800 }));
        // Days granted at entry: Mexico gives visitors 180 and transit 7; Belize 30 and 3.
        let stay = |country: CountryCode| match (country == CountryCode::MEX, transit) {
            (true, false) => 180,
            (true, true) => 7,
            (false, false) => 30,
            (false, true) => 3,
        };
        // One passage across the border: the exit on one side, the entry on the other.
        let pass = |from: (&PortId, CountryCode), to: (&PortId, CountryCode), purpose, exit_at, entry_at| {
            let leg = |(port, country): (&PortId, CountryCode), direction, stay, at| Leg {
                port: port.clone(),
                country,
                direction,
                category,
                purpose,
                mode,
                stay,
                at,
                document: DocUse::Passport,
            };
            [leg(from, Direction::Exit, None, exit_at), leg(to, Direction::Entry, Some(stay(to.1)), entry_at)]
        };
        let (mexico, belize) = ((mx, CountryCode::MEX), (bz, CountryCode::BLZ));
        let (out, home) = if southbound { (mexico, belize) } else { (belize, mexico) };
        let mut legs = Vec::from(pass(out, home, purpose, first, second));
        // Half the visitors come back the same way after a few days.
        if !transit && rng.gen_bool(0.5) {
            let back = first + Duration::days(rng.gen_range(2..15));
            let back2 =
                back + Duration::seconds(rng.gen_range(if by_sea { 5_400..7_200 } else { 300..1_800 }));
            legs.extend(pass(home, out, Purpose::Tourism, back, back2));
        } else {
            // The others leave the country they entered some other way, within their stay: on to
            // Guatemala by Belize's western border (transit travellers, a day or two later), or home
            // by air. Mexico's transit travellers go north, out of this node's sight.
            let country = home.1;
            // A few stay on past their permitted stay: the overstays the dashboards count.
            let stays_on = rng.gen_bool(0.03);
            let onward = match (country == CountryCode::BLZ, transit) {
                _ if stays_on => None,
                (true, true) => Some((
                    &p.benque_viejo,
                    TransportMode::Bus,
                    first + Duration::hours(rng.gen_range(20..60)),
                )),
                (true, false) => Some((
                    &p.belize_airport,
                    TransportMode::Air,
                    first + Duration::days(rng.gen_range(3..21)),
                )),
                (false, false) => Some((
                    &p.cancun_airport,
                    TransportMode::Air,
                    first + Duration::days(rng.gen_range(3..30)),
                )),
                (false, true) => None,
            };
            if let Some((port, mode, at)) = onward {
                legs.push(Leg {
                    port: port.clone(),
                    country,
                    direction: Direction::Exit,
                    category,
                    purpose,
                    mode,
                    stay: None,
                    at,
                    document: DocUse::Passport,
                });
            }
        }
        legs
    }

    /// Turns legs into crossings: documents, names as each side's counter writes them, ids.
    fn stamp(
        &self,
        rng: &mut ChaCha8Rng,
        t: &Traveller,
        legs: Vec<Leg>,
        end: DateTime<Utc>,
        out: &mut Vec<Generated>,
    ) {
        for leg in legs {
            if leg.at >= end {
                continue;
            }
            let card = leg.document == DocUse::Card && t.card.is_some();
            let (kind, number, issuing_state, expiry) = if card {
                let number = t.card.clone().unwrap_or_default();
                let issuer = if number.starts_with("WP") { CountryCode::BLZ } else { CountryCode::MEX };
                (DocumentKind::BorderCard, number, issuer, NaiveDate::from_ymd_opt(leg.at.year() + 2, 12, 31))
            } else {
                (DocumentKind::Passport, t.passport.clone(), t.nationality, Some(t.passport_expiry))
            };
            let Ok(number) = DocumentNumber::parse(&number) else { continue };
            // Belize's counters scan passports (upper-case MRZ names); Mexico's type names as
            // printed in the visual zone, and scan only about half the passports.
            let scanned =
                kind == DocumentKind::Passport && (leg.country == CountryCode::BLZ || rng.gen_bool(0.5));
            let name = if scanned {
                let primary = match &t.second {
                    Some(s) => format!("{} {}", mrz_style(&t.first), mrz_style(s)),
                    None => mrz_style(&t.first),
                };
                PersonName::from_mrz(&primary, &mrz_style(&t.given), t.nationality)
            } else {
                PersonName {
                    given_names: t.given.clone(),
                    first_surname: t.first.clone(),
                    second_surname: t.second.clone(),
                }
            };
            let occurred_at = DateTime::from_timestamp(leg.at.timestamp(), 0).unwrap_or(leg.at);
            let mut random = [0u8; 10];
            rng.fill(&mut random);
            let id = CrossingId(
                uuid::Builder::from_unix_timestamp_millis(occurred_at.timestamp_millis() as u64, &random)
                    .into_uuid(),
            );
            let new = NewCrossing {
                id,
                port_id: leg.port,
                country: leg.country,
                direction: leg.direction,
                category: leg.category,
                purpose: Some(leg.purpose),
                transport_mode: Some(leg.mode),
                permitted_stay: leg.stay.and_then(|d| PermittedStay::parse(i64::from(d)).ok()),
                occurred_at,
                document: TravelDocument {
                    kind,
                    number,
                    issuing_state,
                    expiry_date: expiry,
                    mrz_format: scanned.then_some(MrzFormat::Td3),
                },
                person: Person {
                    name,
                    sex: t.sex,
                    birth_date: Some(PartialDate::full(t.birth)),
                    nationality: t.nationality,
                },
            };
            let fingerprint = new.fingerprint();
            let officer = if leg.country == CountryCode::BLZ { "officer.bz" } else { "officer.mx" };
            // The counter's time: a scanned passport is quicker than names typed from a card,
            // and a few travellers take much longer (questions, a supervisor called).
            let mut processing_ms: u32 =
                if scanned { rng.gen_range(18_000..55_000) } else { rng.gen_range(35_000..95_000) };
            if rng.gen_bool(0.04) {
                processing_ms += rng.gen_range(60_000..420_000);
            }
            let recorded_at = occurred_at + Duration::milliseconds(i64::from(processing_ms));
            let provenance = Provenance {
                recorded_by: officer.into(),
                node_id: "demo".into(),
                recorded_at,
                processing_ms: Some(processing_ms),
            };
            out.push(Generated {
                crossing: Crossing::from_new(new, provenance),
                fingerprint,
                traveller: t.id,
            });
        }
    }
}

/// A demo user and the token printed for it.
#[derive(Debug, Clone)]
pub struct DemoUser {
    /// The user name.
    pub name: String,
    /// The role.
    pub role: String,
    /// The country.
    pub country: String,
    /// The port, for officers.
    pub port: Option<String>,
    /// A fresh API token.
    pub token: String,
    /// A fresh password, for the browser.
    pub password: String,
}

/// What loading the demo did.
#[derive(Debug, Clone, Default)]
pub struct DemoReport {
    /// Crossings generated.
    pub generated: u64,
    /// Crossings stored now (the rest were stored by an earlier run with the same seed).
    pub inserted: u64,
}

impl App {
    /// The options of the demo traffic loaded last (as `remember_demo` wrote them), if any.
    pub async fn demo_loaded(&self) -> Result<Option<String>, AppError> {
        Ok(self.store.meta("demo").await?)
    }

    /// Remembers the options of the demo traffic just loaded, so that the same load is not
    /// repeated.
    pub async fn remember_demo(&self, options: &str) -> Result<(), AppError> {
        Ok(self.store.set_meta("demo", options).await?)
    }

    /// Generate and store the demo traffic, committing every `chunk_days` days.
    pub async fn load_demo(
        &self,
        actor: &Actor,
        options: DemoOptions,
        progress: Arc<dyn Progress>,
    ) -> Result<DemoReport, AppError> {
        let generator = Arc::new(Generator::new(options)?);
        let days: Vec<NaiveDate> = generator.days().collect();
        progress.phase("generating", days.len() as u64);
        // The generator runs on its own thread, a week ahead of the loader at most.
        let (tx, mut rx) = tokio::sync::mpsc::channel::<(u64, Vec<ImportRow>)>(2);
        let producer = {
            let (generator, app) = (Arc::clone(&generator), self.clone());
            tokio::task::spawn_blocking(move || {
                for chunk in days.chunks(7) {
                    let rows: Vec<ImportRow> = chunk
                        .iter()
                        .flat_map(|d| generator.day(*d))
                        .map(|g| {
                            let key = app.count_key(&g.crossing);
                            ImportRow { crossing: g.crossing, fingerprint: g.fingerprint, key }
                        })
                        .collect();
                    if tx.blocking_send((chunk.len() as u64, rows)).is_err() {
                        return;
                    }
                }
            })
        };
        let mut report = DemoReport::default();
        while let Some((n_days, rows)) = rx.recv().await {
            let n = rows.len() as u64;
            let (first, last) = (
                rows.iter().map(|r| r.crossing.occurred_at).min(),
                rows.iter().map(|r| r.crossing.occurred_at).max(),
            );
            let mut session = self.store.begin_import(n).await?;
            let counts = session.insert(rows).await?;
            report.generated += n;
            report.inserted += counts.inserted;
            let event = AuditDraft::new(
                &actor.name,
                "crossing.import",
                "crossing",
                "demo",
                None,
                serde_json::json!({
                    "source": "demo generator", "seed": options.seed, "from": first, "to": last,
                    "rows": n, "inserted": counts.inserted,
                }),
            );
            session.commit(event).await?;
            progress.advance(n_days);
        }
        producer.await.map_err(|e| AppError::Internal(format!("the demo generator stopped: {e}")))?;
        Ok(report)
    }

    /// Create the demo users, one per role and country (officers at the main road ports), and give
    /// each a fresh token and a fresh password; users that exist get new ones (which ends their
    /// browser sessions).
    pub async fn demo_users(&self, actor: &Actor) -> Result<Vec<DemoUser>, AppError> {
        self.load_demo_directory(actor).await?;
        let mut out = Vec::new();
        for (country, suffix, main_port) in
            [("BLZ", "bz", "bz-santa-elena"), ("MEX", "mx", "mx-subteniente-lopez")]
        {
            // The peer role is another hub's account for the exchange, not a person's: the demo,
            // one node for both countries, has none.
            for role in frontera_domain::Role::NAMES.iter().filter(|r| **r != "peer") {
                let name = format!("{role}.{suffix}");
                let port = (*role == "officer").then(|| main_port.to_string());
                let password = Password::generate();
                let token = match self.store.user_by_name(&name).await? {
                    Some(_) => {
                        self.set_password(actor, &name, &password).await?;
                        self.issue_token(actor, &name).await?.1
                    }
                    None => {
                        let new = NewUser {
                            name: name.clone(),
                            role: role.to_string(),
                            country: country.into(),
                            port: port.clone(),
                            // The demo's providers work for organisations of the demo directory.
                            // The demo's employers are a cane growers' cooperative and a sugar
                            // mill of the demo's labour registries.
                            organisation: match (*role, suffix) {
                                ("provider", "bz") => Some("org-bz-legal".to_string()),
                                ("provider", _) => Some("org-mx-ninez".to_string()),
                                ("employer", "bz") => Some("emp-bz-cane".to_string()),
                                ("employer", _) => Some("emp-mx-pucte".to_string()),
                                _ => None,
                            },
                            password: Some(password.clone()),
                        };
                        match self.add_user(actor, &new, true).await? {
                            (_, Some(token)) => token,
                            (_, None) => return Err(AppError::Internal("no token issued".into())),
                        }
                    }
                };
                out.push(DemoUser {
                    name,
                    role: role.to_string(),
                    country: country.into(),
                    port,
                    token: token.expose().to_string(),
                    password: password.expose().to_string(),
                });
            }
        }
        Ok(out)
    }
}

/// A stable digest of every generated crossing's id, to check determinism.
pub fn digest(generated: &[Generated]) -> String {
    let mut h = Sha256::new();
    for g in generated {
        h.update(g.crossing.id.0.as_bytes());
        h.update(g.fingerprint.as_bytes());
    }
    hex::encode(h.finalize())
}
