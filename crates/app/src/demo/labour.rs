//! The demo's labour registries: each country's employers (sugar, agriculture, construction,
//! retail in the Free Zone and in Chetumal, tourism, domestic work), the border workers of the
//! demo traffic registered with the documents they cross on, their permits (Mexico's TVTF for
//! Belizeans and Central Americans working in Chetumal, Belize's temporary and seasonal permits
//! for Mexicans working in Corozal, the Free Zone and the cane fields; the card each is is the
//! card they cross with), and the season's demand.

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc};
use frontera_domain::access::Actor;
use frontera_domain::audit::AuditDraft;
use frontera_domain::labour::{PermitEvent, PermitKind, PermitLife};
use frontera_domain::{CountryCode, DocumentKind, DocumentNumber, PartialDate, PersonId};
use frontera_store::{LabourQuery, LabourRecord};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::json;

use super::{DemoOptions, Generator, Pattern};
use crate::labour::{
    Demand, Employer, Permit, Worker, demand_record, employer_record, permit_record, worker_record,
};
use crate::{App, AppError};

/// What the demo's registries hold.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DemoLabour {
    /// Employers of both countries.
    pub employers: usize,
    /// Workers.
    pub workers: usize,
    /// Permits.
    pub permits: usize,
    /// Demand registered for the season.
    pub demands: usize,
}

/// `(id, name, registration, sector, region, weight)`: who employs border workers.
type EmployerRow = (&'static str, &'static str, &'static str, &'static str, &'static str, u32);

const MEXICAN_EMPLOYERS: &[EmployerRow] = &[
    ("emp-mx-pucte", "Ingenio San Rafael de Pucté", "IPU-720315-QR", "A", "MX-ROO", 6),
    ("emp-mx-rio-hondo", "Productores Cañeros del Río Hondo", "PCR-950810-QR", "A", "MX-ROO", 4),
    ("emp-mx-constructora", "Constructora Bahía de Chetumal", "CBC-030422-QR", "F", "MX-ROO", 5),
    ("emp-mx-mercado", "Comercializadora Mercado Nuevo", "CMN-110905-QR", "G", "MX-ROO", 4),
    ("emp-mx-hotel", "Hotel Los Cocos Chetumal", "HLC-880120-QR", "I", "MX-ROO", 2),
    ("emp-mx-hogares", "Hogares de Chetumal (empleo doméstico)", "HCH-DOM-001", "T", "MX-ROO", 3),
];

const BELIZEAN_EMPLOYERS: &[EmployerRow] = &[
    ("emp-bz-freezone", "Corozal Free Zone Traders Ltd.", "CFZ-2004-118", "G", "BZ-CZL", 7),
    ("emp-bz-duty-free", "Santa Elena Duty Free Plaza", "CFZ-2011-342", "G", "BZ-CZL", 4),
    ("emp-bz-cane", "Northern Cane Growers Cooperative", "COOP-OW-0087", "A", "BZ-OW", 4),
    ("emp-bz-builders", "Corozal Builders & Hardware", "BRN-15-2231", "F", "BZ-CZL", 3),
    ("emp-bz-resort", "Ambergris Caye Beach Resort", "BTB-H-0412", "I", "BZ-BZ", 2),
    ("emp-bz-households", "Corozal households (domestic work)", "LAB-DOM-CZL", "T", "BZ-CZL", 2),
];

fn pick_weighted(rng: &mut ChaCha8Rng, rows: &'static [EmployerRow]) -> &'static EmployerRow {
    let total: u32 = rows.iter().map(|r| r.5).sum();
    let mut roll = rng.gen_range(0..total.max(1));
    for r in rows {
        if roll < r.5 {
            return r;
        }
        roll -= r.5;
    }
    &rows[0]
}

fn employer(row: &EmployerRow, country: CountryCode) -> Employer {
    Employer {
        id: row.0.into(),
        name: row.1.into(),
        registration: row.2.into(),
        sector: row.3.into(),
        region: row.4.into(),
        country,
    }
}

/// The first day of the sugar-cane harvest that `day` falls in or comes before: November.
fn season_start(day: NaiveDate) -> NaiveDate {
    let year = if day.month() >= 7 { day.year() } else { day.year() - 1 };
    NaiveDate::from_ymd_opt(year, 11, 1).unwrap_or(day)
}

impl App {
    /// Fills both countries' labour registries for the demo traffic of `options` (its seed's
    /// population), once: a registry that holds permits is left as it is.
    pub async fn load_demo_labour(
        &self,
        console: &Actor,
        options: DemoOptions,
    ) -> Result<DemoLabour, AppError> {
        let any = LabourQuery { kind: Some("permit".into()), ..LabourQuery::default() };
        if !self.store.labour_records(&any).await?.is_empty() {
            return Ok(DemoLabour::default());
        }
        let generator = Generator::new(options)?;
        let today = options.last_day;
        let mut rng = ChaCha8Rng::seed_from_u64(options.seed ^ 0x6c61_626f_7572);
        let mut done = DemoLabour::default();
        for country in [CountryCode::MEX, CountryCode::BLZ] {
            let (rows, pattern) = if country == CountryCode::MEX {
                (MEXICAN_EMPLOYERS, Pattern::BelizeanWorker)
            } else {
                (BELIZEAN_EMPLOYERS, Pattern::MexicanWorker)
            };
            let mut records: Vec<LabourRecord> = Vec::new();
            for row in rows {
                records.push(employer_record(&employer(row, country))?);
            }
            done.employers += rows.len();
            for t in generator.travellers.iter().filter(|t| t.pattern == pattern) {
                let Some(card) = t.card.clone() else { continue };
                let Ok(passport) = DocumentNumber::parse(&t.passport) else { continue };
                let worker = Worker {
                    id: format!("wrk-{}-{}", country.as_str().to_ascii_lowercase(), t.id),
                    given_names: t.given.clone(),
                    surnames: [Some(t.first.as_str()), t.second.as_deref()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" "),
                    birth_date: PartialDate::parse(&t.birth.to_string()).ok(),
                    sex: t.sex,
                    nationality: t.nationality,
                    document_number: passport.to_string(),
                    document_kind: DocumentKind::Passport,
                    issuing_state: t.nationality,
                    person_id: PersonId::for_document_key(
                        country,
                        DocumentKind::Passport,
                        t.nationality,
                        &passport,
                    )
                    .to_string(),
                    country,
                };
                let hired = pick_weighted(&mut rng, rows);
                // In Belize, most cane cutters come for the season on a seasonal permit.
                let seasonal = country == CountryCode::BLZ && hired.3 == "A" && rng.gen_bool(0.7);
                let code = match (country, seasonal) {
                    (CountryCode::MEX, _) => "mx-tvtf",
                    (_, true) => "bz-seasonal-agricultural",
                    _ => "bz-temporary-employment",
                };
                let kind = PermitKind::parse(code).map_err(|r| AppError::Internal(r.message_en()))?;
                let life = demo_life(&mut rng, kind, today, seasonal);
                let regions: Vec<String> = match code {
                    // Most TVTF holders work in Quintana Roo; some ask for all four states.
                    "mx-tvtf" if rng.gen_bool(0.8) => vec!["MX-ROO".into()],
                    "mx-tvtf" => kind.regions.iter().map(|r| r.to_string()).collect(),
                    "bz-seasonal-agricultural" => vec!["BZ-OW".into(), "BZ-CZL".into()],
                    _ => Vec::new(),
                };
                let reason = (life.state == frontera_domain::labour::PermitState::Revoked)
                    .then(|| "the employer reported the worker left".to_string());
                let permit = Permit {
                    id: format!("prm-{}-{}", country.as_str().to_ascii_lowercase(), t.id),
                    kind: code.into(),
                    worker_id: worker.id.clone(),
                    employer_ids: vec![hired.0.into()],
                    sector: hired.3.into(),
                    regions,
                    life,
                    reason,
                    card_number: Some(card),
                };
                records.push(worker_record(&worker)?);
                records.push(permit_record(&permit, country, 1)?);
                done.workers += 1;
                done.permits += 1;
            }
            for demand in demand_of(country, today) {
                records.push(demand_record(&demand)?);
                done.demands += 1;
            }
            let event = AuditDraft::new(
                &console.name,
                "labour.demo",
                "registry",
                "",
                Some(country.as_str()),
                json!({"records": records.len()}),
            );
            self.store.save_labour(&records, self.now(), event).await?;
        }
        Ok(done)
    }
}

/// A permit's life as the demo has it: most in force, some near their end, a few lapsed,
/// revoked or still waiting, each change on the day it was made.
fn demo_life(
    rng: &mut ChaCha8Rng,
    kind: &'static PermitKind,
    today: NaiveDate,
    seasonal: bool,
) -> PermitLife {
    let noon = |d: NaiveDate| Utc.from_utc_datetime(&d.and_hms_opt(18, 0, 0).unwrap_or_default());
    let mut life = PermitLife::applied();
    let length = if seasonal { 226 } else { 364 };
    let roll: f64 = rng.gen_range(0.0..1.0);
    if roll < 0.03 {
        return life;
    }
    let from = if seasonal {
        season_start(today) + Duration::days(rng.gen_range(0..40))
    } else if roll < 0.09 {
        // Near its last day: within the counter's warning.
        today - Duration::days(length - rng.gen_range(1..30))
    } else if roll < 0.13 {
        // Lapsed a few weeks ago, not renewed.
        today - Duration::days(length + rng.gen_range(5..60))
    } else {
        today - Duration::days(rng.gen_range(0..(length - 30)))
    };
    let from = from.min(today);
    let until = from + Duration::days(length);
    if life
        .apply(kind, PermitEvent::Issue { valid_from: from, valid_until: until }, from, noon(from))
        .is_err()
    {
        return PermitLife::applied();
    }
    if until < today && roll < 0.11 {
        let day = until + Duration::days(1);
        let _ = life.apply(kind, PermitEvent::Expire, day, noon(day));
    } else if (0.13..0.15).contains(&roll) && from < today {
        let day = from + Duration::days(rng.gen_range(0..=(today - from).num_days()));
        let reason = "the employer reported the worker left".to_string();
        let _ = life.apply(kind, PermitEvent::Revoke { reason }, day, noon(day));
    }
    life
}

/// `(id, employer, requester, sector, workers, first month, last month, region)`, the months
/// counted from the season's November.
type DemandRow =
    (&'static str, Option<&'static str>, &'static str, &'static str, u32, u32, u32, &'static str);

/// The season's demand: the harvest, the Christmas trade, the building and tourist seasons.
fn demand_of(country: CountryCode, today: NaiveDate) -> Vec<Demand> {
    let season = season_start(today);
    let month = |offset: u32| {
        season.checked_add_months(chrono::Months::new(offset)).unwrap_or(season).format("%Y-%m").to_string()
    };
    let rows: &[DemandRow] = if country == CountryCode::MEX {
        &[
            ("dem-mx-zafra", Some("emp-mx-pucte"), "Ingenio San Rafael de Pucté", "A", 250, 1, 6, "MX-ROO"),
            (
                "dem-mx-canaverales",
                None,
                "Unión Local de Productores de Caña del Río Hondo",
                "A",
                180,
                0,
                7,
                "MX-ROO",
            ),
            (
                "dem-mx-obra",
                Some("emp-mx-constructora"),
                "Constructora Bahía de Chetumal",
                "F",
                60,
                2,
                7,
                "MX-ROO",
            ),
        ]
    } else {
        &[
            ("dem-bz-harvest", None, "Belize Sugar Cane Farmers Association", "A", 400, 1, 7, "BZ-OW"),
            ("dem-bz-christmas", None, "Corozal Free Zone Management Authority", "G", 150, 0, 2, "BZ-CZL"),
            ("dem-bz-tourism", Some("emp-bz-resort"), "Ambergris Caye Beach Resort", "I", 40, 1, 5, "BZ-BZ"),
        ]
    };
    rows.iter()
        .map(|(id, employer, requester, sector, workers, from, to, region)| Demand {
            id: (*id).into(),
            requester: (*requester).into(),
            employer_id: employer.map(str::to_string),
            sector: (*sector).into(),
            workers: *workers,
            from: month(*from),
            to: month(*to),
            region: (*region).into(),
            country,
            note: None,
        })
        .collect()
}
