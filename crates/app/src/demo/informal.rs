//! The demo's monitoring of informal crossings: points along the Río Hondo on both banks (the
//! upper river by La Unión and Blue Creek, the lower river by Ucum, Subteniente López and
//! Santa Elena), a plan for the last whole month and one for the month under way, each drawn
//! with the design's probabilities and assigned to the country's enumerator, the blocks counted
//! (the month under way up to the demo's last day, never today) from a flow with daily and weekly rhythms,
//! and a few consented interviews in each, one of which asks for a referral.

use chrono::{DateTime, Datelike, Months, NaiveDate, TimeZone, Utc, Weekday};
use frontera_domain::access::{Actor, Scope};
use frontera_domain::informal::{InterviewConsent, PointDraft, Tally};
use frontera_domain::{CountryCode, Direction, Sex};
use frontera_store::InformalQuery;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use super::DemoOptions;
use crate::informal::{DrawsDraft, InterviewDraft, PlanDraft, SessionDraft};
use crate::protection::CaseDraft;
use crate::{App, AppError};

/// What the demo's monitoring holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DemoInformal {
    /// Points of both countries.
    pub points: usize,
    /// Plans drawn.
    pub plans: usize,
    /// Count sessions sent.
    pub sessions: usize,
    /// Interviews.
    pub interviews: usize,
}

/// `(id, name, latitude, longitude, stretch, settlement here, settlement across, port nearby,
/// persons a block on an ordinary weekday)`.
type PointRow =
    (&'static str, &'static str, f64, f64, &'static str, &'static str, &'static str, &'static str, f64);

const MEXICAN_POINTS: &[PointRow] = &[
    (
        "mx-paso-la-union",
        "Paso de La Unión",
        17.898,
        -88.874,
        "rio-hondo-alto",
        "La Unión",
        "Blue Creek",
        "mx-la-union",
        14.0,
    ),
    (
        "mx-paso-botes",
        "Paso de Botes",
        18.043,
        -88.724,
        "rio-hondo-alto",
        "Botes",
        "San Antonio",
        "mx-la-union",
        9.0,
    ),
    (
        "mx-paso-ucum",
        "Paso de Ucum",
        18.496,
        -88.517,
        "rio-hondo-bajo",
        "Ucum",
        "Douglas",
        "mx-subteniente-lopez",
        11.0,
    ),
    (
        "mx-paso-subteniente",
        "Ribera de Subteniente López",
        18.487,
        -88.395,
        "rio-hondo-bajo",
        "Subteniente López",
        "Santa Elena",
        "mx-subteniente-lopez",
        22.0,
    ),
];

const BELIZEAN_POINTS: &[PointRow] = &[
    (
        "bz-paso-blue-creek",
        "Blue Creek landing",
        17.897,
        -88.877,
        "rio-hondo-alto",
        "Blue Creek",
        "La Unión",
        "bz-blue-creek",
        12.0,
    ),
    (
        "bz-paso-san-antonio",
        "San Antonio riverside",
        18.040,
        -88.727,
        "rio-hondo-alto",
        "San Antonio",
        "Botes",
        "bz-blue-creek",
        8.0,
    ),
    (
        "bz-paso-douglas",
        "Douglas crossing",
        18.493,
        -88.521,
        "rio-hondo-bajo",
        "Douglas",
        "Ucum",
        "bz-santa-elena",
        10.0,
    ),
    (
        "bz-paso-santa-elena",
        "Santa Elena riverside",
        18.484,
        -88.399,
        "rio-hondo-bajo",
        "Santa Elena",
        "Subteniente López",
        "bz-santa-elena",
        20.0,
    ),
];

const BLOCKS: [&str; 4] = ["06:00-09:00", "09:00-12:00", "12:00-15:00", "15:00-18:00"];

/// How busy each block is against the day's mean: the morning rush to work and to market.
const BLOCK_RHYTHM: [f64; 4] = [1.5, 1.2, 0.7, 0.6];

/// A Poisson draw (Knuth's method; the means here are small).
fn poisson(rng: &mut ChaCha8Rng, mean: f64) -> u32 {
    let limit = (-mean).exp();
    let (mut k, mut p) = (0u32, 1.0);
    loop {
        p *= rng.gen_range(0.0..1.0);
        if p <= limit || k > 10_000 {
            return k;
        }
        k += 1;
    }
}

fn pick<T: Copy>(rng: &mut ChaCha8Rng, weighted: &[(T, u32)]) -> T {
    let total: u32 = weighted.iter().map(|w| w.1).sum();
    let mut roll = rng.gen_range(0..total.max(1));
    for (v, w) in weighted {
        if roll < *w {
            return *v;
        }
        roll -= w;
    }
    weighted[0].0
}

/// The persons a block sees: the point's weekday mean, more on the market day and fewer on
/// Sunday, shaped by the hour.
fn expected(row: &PointRow, day: NaiveDate, block: usize) -> f64 {
    let day_factor = match day.weekday() {
        Weekday::Sat => 1.8,
        Weekday::Sun => 0.6,
        _ => 1.0,
    };
    row.8 * day_factor * BLOCK_RHYTHM[block.min(3)]
}

fn tallies(rng: &mut ChaCha8Rng, persons: u32, river: bool) -> Vec<Tally> {
    let mut out: Vec<Tally> = Vec::new();
    for _ in 0..persons {
        let t = Tally {
            direction: pick(rng, &[(Direction::Entry, 52), (Direction::Exit, 48)]),
            sex: pick(rng, &[(Sex::Male, 58), (Sex::Female, 42)]),
            age: pick(
                rng,
                &[
                    (frontera_domain::informal::SightAge::Adult, 84),
                    (frontera_domain::informal::SightAge::Child, 11),
                    (frontera_domain::informal::SightAge::Older, 5),
                ],
            ),
            nationality: None,
            means: if river {
                pick(
                    rng,
                    &[
                        (frontera_domain::informal::Means::Boat, 80),
                        (frontera_domain::informal::Means::Foot, 20),
                    ],
                )
            } else {
                pick(
                    rng,
                    &[
                        (frontera_domain::informal::Means::Foot, 60),
                        (frontera_domain::informal::Means::Bicycle, 40),
                    ],
                )
            },
            goods: rng.gen_bool(0.3),
            persons: 1,
        };
        match out.iter().position(|o| *o == Tally { persons: o.persons, ..t.clone() }) {
            Some(i) => out[i].persons += 1,
            None => out.push(t),
        }
    }
    out
}

fn interview(rng: &mut ChaCha8Rng, session: Uuid, here: &str, across: &str) -> InterviewDraft {
    use frontera_domain::informal::{Frequency, NoDocument, Purpose, SightAge, Stay};
    let purpose = pick(
        rng,
        &[
            (Purpose::Work, 45),
            (Purpose::Trade, 25),
            (Purpose::Family, 15),
            (Purpose::Services, 9),
            (Purpose::Transit, 4),
            (Purpose::Other, 2),
        ],
    );
    let frequency = match purpose {
        Purpose::Work => {
            pick(rng, &[(Frequency::Daily, 70), (Frequency::Weekly, 25), (Frequency::Monthly, 5)])
        }
        Purpose::Trade => {
            pick(rng, &[(Frequency::Weekly, 60), (Frequency::Daily, 25), (Frequency::Monthly, 15)])
        }
        Purpose::Transit => Frequency::FirstTime,
        _ => pick(rng, &[(Frequency::Monthly, 50), (Frequency::Weekly, 30), (Frequency::Occasionally, 20)]),
    };
    let holds_document = rng.gen_bool(0.4);
    let inbound = rng.gen_bool(0.5);
    InterviewDraft {
        interview: frontera_domain::informal::Interview {
            id: Uuid::now_v7(),
            session,
            consent: InterviewConsent { given: true, referral: false },
            direction: if inbound { Direction::Entry } else { Direction::Exit },
            sex: pick(rng, &[(Sex::Male, 58), (Sex::Female, 42)]),
            age: pick(rng, &[(SightAge::Adult, 90), (SightAge::Older, 6), (SightAge::Child, 4)]),
            nationality: CountryCode::parse(pick(rng, &[("MEX", 45), ("BLZ", 40), ("GTM", 10), ("HND", 5)]))
                .ok(),
            origin: if inbound { across.to_string() } else { here.to_string() },
            destination: if inbound { here.to_string() } else { across.to_string() },
            purpose,
            frequency,
            stay: if purpose == Purpose::Transit {
                Stay::Longer
            } else {
                pick(rng, &[(Stay::SameDay, 80), (Stay::UnderWeek, 15), (Stay::UnderMonth, 5)])
            },
            holds_document,
            why_not: (!holds_document).then(|| {
                pick(
                    rng,
                    &[
                        (NoDocument::NoNeed, 40),
                        (NoDocument::Distance, 20),
                        (NoDocument::Cost, 15),
                        (NoDocument::Time, 15),
                        (NoDocument::NotEligible, 7),
                        (NoDocument::Lost, 3),
                    ],
                )
            }),
            needs: None,
            protection_concern: false,
        },
        refer: None,
    }
}

impl App {
    /// Fills both countries' monitoring of informal crossings for the demo, once: a node that
    /// holds points is left as it is. The enumerators `enumerator.mx` and `enumerator.bz` must
    /// exist (the demo's users).
    pub async fn load_demo_informal(
        &self,
        console: &Actor,
        options: DemoOptions,
    ) -> Result<DemoInformal, AppError> {
        let any = InformalQuery { kind: Some("point".into()), ..InformalQuery::default() };
        if !self.store.informal_records(&any).await?.is_empty() {
            return Ok(DemoInformal::default());
        }
        let mut rng = ChaCha8Rng::seed_from_u64(options.seed ^ 0x696e_666f_726d);
        // Counted through the last day, but never today: today's blocks are the enumerators' to
        // count.
        let today = options.last_day.min(self.now().date_naive().pred_opt().unwrap_or(options.last_day));
        let this_month = today.with_day(1).unwrap_or(today);
        let last_month = this_month.checked_sub_months(Months::new(1)).unwrap_or(this_month);
        let mut done = DemoInformal::default();
        for (country, rows, suffix) in
            [(CountryCode::MEX, MEXICAN_POINTS, "mx"), (CountryCode::BLZ, BELIZEAN_POINTS, "bz")]
        {
            let planner =
                Actor { scope: Scope { country, port: None, organisation: None }, ..console.clone() };
            for row in rows {
                let draft = PointDraft {
                    id: Some(row.0.into()),
                    name: Some(row.1.into()),
                    latitude: Some(row.2),
                    longitude: Some(row.3),
                    terrain: Some("river".into()),
                    stretch: Some(row.4.into()),
                    settlements: vec![row.5.into(), row.6.into()],
                    nearby_ports: vec![row.7.into()],
                    blocks: BLOCKS.iter().map(|b| b.to_string()).collect(),
                };
                self.save_point(&planner, &draft).await?;
                done.points += 1;
            }
            let name = format!("enumerator.{suffix}");
            let Some(user) = self.store.user_by_name(&name).await? else {
                return Err(AppError::NotFound(format!("user {name}")));
            };
            let enumerator = Actor {
                id: user.id,
                name: user.name.clone(),
                role: user.role,
                scope: Scope { country, port: None, organisation: None },
            };
            let mut referred = false;
            for (first, label) in [(last_month, "last"), (this_month, "this")] {
                let last =
                    first.checked_add_months(Months::new(1)).and_then(|d| d.pred_opt()).unwrap_or(first);
                let title = match (country, label) {
                    (CountryCode::MEX, _) => format!("Río Hondo, {}", first.format("%m/%Y")),
                    _ => format!("Rio Hondo, {}", first.format("%B %Y")),
                };
                let plan = self
                    .draw_plan(
                        &planner,
                        &PlanDraft {
                            name: Some(title),
                            from: Some(first.to_string()),
                            to: Some(last.to_string()),
                            points: Vec::new(),
                            market_days: vec!["sat".into()],
                            draws: [
                                ("weekday".to_string(), DrawsDraft { units: 6, blocks: 2 }),
                                ("market".to_string(), DrawsDraft { units: 3, blocks: 2 }),
                                ("weekend".to_string(), DrawsDraft { units: 3, blocks: 2 }),
                            ]
                            .into_iter()
                            .collect(),
                            seed: Some(rng.r#gen()),
                        },
                    )
                    .await?;
                done.plans += 1;
                let all: Vec<(usize, String)> =
                    (0..plan.design.assignments.len()).map(|i| (i, name.clone())).collect();
                self.assign(&planner, &plan.id, &all).await?;
                for a in self.assignments(&enumerator, Some(&plan.id), None).await? {
                    if a.day > today {
                        continue;
                    }
                    let Some(row) = rows.iter().find(|r| r.0 == a.point) else { continue };
                    // Now and then the river is too high to watch it from the bank.
                    let flooded = rng.gen_bool(0.02);
                    let persons =
                        if flooded { 0 } else { poisson(&mut rng, expected(row, a.day, a.block as usize)) };
                    let sent_at: DateTime<Utc> = Utc
                        .from_local_datetime(&a.day.and_hms_opt(23, 0, 0).unwrap_or_default())
                        .single()
                        .unwrap_or_else(|| self.now());
                    let t = tallies(&mut rng, persons, true);
                    let groups = if persons == 0 { 0 } else { (persons * 2).div_ceil(3).max(1) };
                    let session = SessionDraft {
                        id: Uuid::now_v7(),
                        point: a.point.clone(),
                        day: a.day,
                        block: a.block,
                        groups,
                        tallies: t,
                        note: None,
                        not_watched: flooded.then(|| "river in flood".to_string()),
                        sent_at: Some(sent_at),
                    };
                    self.record_session(&enumerator, &session).await?;
                    done.sessions += 1;
                    for _ in 0..persons.min(rng.gen_range(1..=3)) {
                        let mut draft = interview(&mut rng, session.id, row.5, row.6);
                        if !referred && draft.interview.purpose == frontera_domain::informal::Purpose::Transit
                        {
                            referred = true;
                            draft.interview.protection_concern = true;
                            draft.interview.consent.referral = true;
                            draft.interview.needs = Some("shelter for the night, water".into());
                            draft.refer = Some(CaseDraft {
                                given_names: Some("Rosa".into()),
                                surnames: Some(
                                    if country == CountryCode::MEX { "Ajú Coc" } else { "Pop Caal" }.into(),
                                ),
                                sex: Some("F".into()),
                                nationality: Some("GTM".into()),
                                languages: vec!["es".into(), "kek".into()],
                                profiles: vec!["asylum".into()],
                                note: Some("Travelling alone; says she fears going back.".into()),
                                ..CaseDraft::default()
                            });
                        }
                        self.record_interview(&enumerator, &draft).await?;
                        done.interviews += 1;
                    }
                }
            }
        }
        Ok(done)
    }
}
