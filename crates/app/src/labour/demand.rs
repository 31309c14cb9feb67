//! Seasonal labour demand, and the registry's figures: demand against the permits in force and
//! issued and against the border workers actually crossing, by month; permits in force by any
//! of their dimensions, under disclosure control when asked.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike, Months, NaiveDate};
use frontera_domain::access::{Action, Actor, Resource, can};
use frontera_domain::audit::AuditDraft;
use frontera_domain::labour::{PermitKind, parse_region, parse_sector};
use frontera_domain::{AgeGroup, Category, CountryCode, Rule, ValidationError, fold_name};
use frontera_stats::{Table, protect};
use frontera_store::{LabourQuery, LabourRecord};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use super::records::{Employer, Permit, Worker, country_prefix, from_json, not_here, registry_zone};
use crate::formats::Silent;
use crate::protection::{required, text, to_json};
use crate::stats::{CrossingStats, labour_scope};
use crate::{App, AppError};

/// Workers an employer or an association of them asks for, for some months.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Demand {
    /// Its id.
    pub id: String,
    /// Who asks: the employer's or the association's name.
    pub requester: String,
    /// The employer of the registry that asks, when one does.
    pub employer_id: Option<String>,
    /// The sector (ISIC Rev. 4 section).
    pub sector: String,
    /// How many workers.
    pub workers: u32,
    /// The first month (`YYYY-MM`).
    pub from: String,
    /// The last month.
    pub to: String,
    /// Where (ISO 3166-2).
    pub region: String,
    /// The registry's country.
    pub country: CountryCode,
    /// Anything the requester added.
    pub note: Option<String>,
}

/// What registering demand asks for.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DemandDraft {
    /// The employer of the registry that asks (its name, sector and place are the defaults).
    pub employer_id: Option<String>,
    /// Who asks, when not an employer of the registry (an association of growers, …).
    pub requester: Option<String>,
    /// The sector (ISIC section).
    pub sector: Option<String>,
    /// How many workers (1 to 100 000).
    pub workers: Option<u32>,
    /// The first month, `YYYY-MM`.
    pub from: Option<String>,
    /// The last month, `YYYY-MM` (at most twelve months after the first).
    pub to: Option<String>,
    /// Where (ISO 3166-2 subdivision of the registry's country).
    pub region: Option<String>,
    /// A note.
    pub note: Option<String>,
}

/// Which months, sector and place a demand report covers.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct DemandReportRequest {
    /// The first month, `YYYY-MM` (default: this month).
    pub from: Option<String>,
    /// The last month, `YYYY-MM` (default: eleven months after the first).
    pub to: Option<String>,
    /// Only this sector (ISIC section).
    pub sector: Option<String>,
    /// Only this subdivision (demand there, permits valid there).
    pub region: Option<String>,
}

/// One month of a demand report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DemandMonth {
    /// The month, `YYYY-MM`.
    pub month: String,
    /// Workers asked for in the month.
    pub demanded: u64,
    /// Permits in force some day of the month.
    pub permits_in_force: u64,
    /// Permits issued in the month.
    pub permits_issued: u64,
    /// Border workers who crossed in the month (distinct travellers, any sector or place).
    pub workers_crossing: u64,
    /// Workers asked for beyond the permits in force (0 when covered).
    pub gap: u64,
}

/// The registry's figures for a season.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DemandReport {
    /// The registry's country.
    pub country: CountryCode,
    /// The sector, when one was asked.
    pub sector: Option<String>,
    /// The subdivision, when one was asked.
    pub region: Option<String>,
    /// Month by month.
    pub months: Vec<DemandMonth>,
}

/// What a table of permits in force asks for.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct PermitTableRequest {
    /// A comma-separated subset of `kind, sector, region, nationality, sex, age_group`.
    pub by: Option<String>,
    /// The day the permits are in force on, `YYYY-MM-DD` (default: today).
    pub as_of: Option<String>,
    /// Apply disclosure control.
    #[serde(default)]
    pub public: bool,
    /// The smallest count disclosure control shows (default 5).
    pub threshold: Option<u64>,
}

/// What a table of permit holders' crossings asks for.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct HolderCrossingsRequest {
    /// A comma-separated subset of `month, port, direction, kind, sector, standing`.
    pub by: Option<String>,
    /// The first local day, `YYYY-MM-DD`.
    pub from: Option<String>,
    /// The last local day, `YYYY-MM-DD`.
    pub to: Option<String>,
    /// Apply disclosure control.
    #[serde(default)]
    pub public: bool,
    /// The smallest count disclosure control shows (default 5).
    pub threshold: Option<u64>,
}

/// The dimensions of a table of permit holders' crossings.
pub const HOLDER_DIMENSIONS: &[&str] = &["month", "port", "direction", "kind", "sector", "standing"];

/// The dimensions of a table of permits.
pub const PERMIT_DIMENSIONS: &[&str] = &["kind", "sector", "region", "nationality", "sex", "age_group"];

/// A new demand's record.
pub(crate) fn demand_record(demand: &Demand) -> Result<LabourRecord, AppError> {
    Ok(LabourRecord {
        kind: "demand".into(),
        id: demand.id.clone(),
        country: demand.country,
        holder: None,
        employer: demand.employer_id.clone(),
        search_key: Some(fold_name(&demand.requester)),
        state: "open".into(),
        record: to_json(demand)?,
        version: 1,
    })
}

/// A month, `YYYY-MM`, as its first day.
fn month(text: &str, field: &str) -> Result<NaiveDate, ValidationError> {
    NaiveDate::parse_from_str(&format!("{}-01", text.trim()), "%Y-%m-%d")
        .map_err(|_| ValidationError::refused(field, "a month, YYYY-MM", "un mes, AAAA-MM"))
}

fn month_end(first: NaiveDate) -> NaiveDate {
    first.checked_add_months(Months::new(1)).and_then(|d| d.pred_opt()).unwrap_or(first)
}

impl App {
    /// The employer whose demand alone the actor declares and reads: its own, for one who does
    /// not keep the registry.
    fn own_demand_only(&self, actor: &Actor) -> Option<String> {
        let keeps = can(actor, Action::ManageLabour, Resource::of(actor.scope.country)).allowed();
        (!keeps).then(|| actor.scope.organisation.clone().unwrap_or_default())
    }

    fn may_declare(&self, actor: &Actor, country: CountryCode) -> Result<(), AppError> {
        if can(actor, Action::DeclareDemand, Resource::of(country)).allowed() {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!("seasonal demand in {country} is not yours to declare")))
        }
    }

    /// Registers workers asked for by an employer of the registry or an association, for
    /// some months in a place of the registrar's country.
    pub async fn register_demand(&self, actor: &Actor, draft: &DemandDraft) -> Result<Demand, AppError> {
        let country = actor.scope.country;
        self.may_declare(actor, country)?;
        // An employer declares its own demand, under its own name.
        let own = self.own_demand_only(actor);
        if let (Some(own), Some(given)) = (&own, text(&draft.employer_id))
            && given != own
        {
            return Err(AppError::Forbidden("an employer declares its own demand only".into()));
        }
        let employer_id = own.clone().or_else(|| text(&draft.employer_id).map(str::to_string));
        let employer = match employer_id.as_deref() {
            Some(id) => match self.store.labour_record("employer", id).await? {
                Some(r) if r.country == country => Some(from_json::<Employer>(&r)?),
                _ => {
                    return Err(ValidationError::refused(
                        "employer_id",
                        "no employer of this registry has this id",
                        "ningún empleador de este registro tiene este id",
                    )
                    .into());
                }
            },
            None => None,
        };
        let requester = match (text(&draft.requester).filter(|_| own.is_none()), &employer) {
            (Some(r), _) => r.to_string(),
            (None, Some(e)) => e.name.clone(),
            (None, None) => return Err(ValidationError::new("requester", Rule::Required).into()),
        };
        let sector = match (text(&draft.sector), &employer) {
            (Some(s), _) => parse_sector(s).map_err(|r| ValidationError::new("sector", r))?.to_string(),
            (None, Some(e)) => e.sector.clone(),
            (None, None) => return Err(ValidationError::new("sector", Rule::Required).into()),
        };
        let region = match (text(&draft.region), &employer) {
            (Some(r), _) => {
                let region = parse_region(r).map_err(|rule| ValidationError::new("region", rule))?;
                if !region.starts_with(&country_prefix(country)) {
                    return Err(not_here("region", country).into());
                }
                region.to_string()
            }
            (None, Some(e)) => e.region.clone(),
            (None, None) => return Err(ValidationError::new("region", Rule::Required).into()),
        };
        let workers = match draft.workers {
            None => return Err(ValidationError::new("workers", Rule::Required).into()),
            Some(n @ 1..=100_000) => n,
            Some(_) => {
                return Err(ValidationError::new("workers", Rule::OutOfRange { min: 1, max: 100_000 }).into());
            }
        };
        let from = month(required(&draft.from, "from")?, "from")?;
        let to = month(required(&draft.to, "to")?, "to")?;
        if to < from {
            return Err(ValidationError::new("to", Rule::Before { other: "from" }).into());
        }
        if to > from.checked_add_months(Months::new(11)).unwrap_or(from) {
            return Err(ValidationError::new("to", Rule::OutOfRange { min: 1, max: 12 }).into());
        }
        let demand = Demand {
            id: Uuid::now_v7().to_string(),
            requester,
            employer_id: employer.map(|e| e.id),
            sector,
            workers,
            from: from.format("%Y-%m").to_string(),
            to: to.format("%Y-%m").to_string(),
            region,
            country,
            note: text(&draft.note).map(str::to_string),
        };
        let record = demand_record(&demand)?;
        self.save_labour(
            actor,
            record,
            "labour.demand",
            json!({"sector": demand.sector, "workers": demand.workers, "from": demand.from, "to": demand.to}),
        )
        .await?;
        Ok(demand)
    }

    /// The demand registered in the registrar's country, newest first; an employer's own only.
    pub async fn demands(&self, actor: &Actor) -> Result<Vec<Demand>, AppError> {
        let country = actor.scope.country;
        self.may_declare(actor, country)?;
        let own = self.own_demand_only(actor);
        let q = LabourQuery {
            kind: Some("demand".into()),
            country: Some(country),
            employer: own,
            ..LabourQuery::default()
        };
        let mut all: Vec<Demand> =
            self.store.labour_records(&q).await?.iter().map(from_json).collect::<Result<_, _>>()?;
        all.sort_by(|a, b| b.id.cmp(&a.id));
        Ok(all)
    }

    /// Month by month: the workers asked for, the permits in force and issued (of the sector
    /// and place asked), and the border workers who crossed. The registrar's figure for
    /// planning a season; audited.
    pub async fn demand_report(
        &self,
        actor: &Actor,
        request: &DemandReportRequest,
    ) -> Result<DemandReport, AppError> {
        let country = actor.scope.country;
        self.may_keep(actor, country)?;
        let zone = registry_zone(country);
        let today = self.now().with_timezone(&zone).date_naive();
        let from = match text(&request.from) {
            Some(m) => month(m, "from")?,
            None => today.with_day(1).unwrap_or(today),
        };
        let to = match text(&request.to) {
            Some(m) => month(m, "to")?,
            None => from.checked_add_months(Months::new(11)).unwrap_or(from),
        };
        if to < from {
            return Err(ValidationError::new("to", Rule::Before { other: "from" }).into());
        }
        if to > from.checked_add_months(Months::new(35)).unwrap_or(from) {
            return Err(ValidationError::new("to", Rule::OutOfRange { min: 1, max: 36 }).into());
        }
        let sector = text(&request.sector)
            .map(|s| parse_sector(s).map_err(|r| ValidationError::new("sector", r)))
            .transpose()?
            .map(str::to_string);
        let region = text(&request.region)
            .map(|r| parse_region(r).map_err(|rule| ValidationError::new("region", rule)))
            .transpose()?
            .map(str::to_string);
        let mut months: Vec<NaiveDate> = Vec::new();
        let mut m = from;
        while m <= to {
            months.push(m);
            m = m.checked_add_months(Months::new(1)).unwrap_or(NaiveDate::MAX);
        }
        let of = |kind: &str| LabourQuery {
            kind: Some(kind.into()),
            country: Some(country),
            ..LabourQuery::default()
        };
        let demands: Vec<Demand> = self
            .store
            .labour_records(&of("demand"))
            .await?
            .iter()
            .map(from_json::<Demand>)
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .filter(|d| {
                sector.as_ref().is_none_or(|s| &d.sector == s)
                    && region.as_ref().is_none_or(|r| &d.region == r)
            })
            .collect();
        let permits: Vec<Permit> = self
            .store
            .labour_records(&of("permit"))
            .await?
            .iter()
            .map(from_json::<Permit>)
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .filter(|p| {
                sector.as_ref().is_none_or(|s| &p.sector == s)
                    && region.as_ref().is_none_or(|r| p.regions.is_empty() || p.regions.contains(r))
            })
            .collect();
        // Border workers crossing: distinct travellers a month, from the linked crossings.
        let as_of = month_end(to).min(today);
        let mut crossing: HashMap<(i32, u32), BTreeSet<u32>> = HashMap::new();
        if from <= today {
            let h = self.histories(country, as_of, &Silent).await?;
            for mv in h.movements.iter().filter(|m| m.category == Category::BorderWorker) {
                crossing.entry((mv.day.year(), mv.day.month())).or_default().insert(mv.traveller);
            }
        }
        let rows = months
            .iter()
            .map(|&first| {
                let last = month_end(first);
                let key = first.format("%Y-%m").to_string();
                let demanded: u64 = demands
                    .iter()
                    .filter(|d| d.from <= key && key <= d.to)
                    .map(|d| u64::from(d.workers))
                    .sum();
                let in_force =
                    permits.iter().filter(|p| p.life.in_force_within(first, last, zone)).count() as u64;
                let issued = permits
                    .iter()
                    .filter(|p| p.life.issued_on(zone).is_some_and(|d| d >= first && d <= last))
                    .count() as u64;
                DemandMonth {
                    month: key,
                    demanded,
                    permits_in_force: in_force,
                    permits_issued: issued,
                    workers_crossing: crossing
                        .get(&(first.year(), first.month()))
                        .map_or(0, |s| s.len() as u64),
                    gap: demanded.saturating_sub(in_force),
                }
            })
            .collect();
        let event = AuditDraft::new(
            &actor.name,
            "labour.demand_report",
            "demand",
            "",
            Some(country.as_str()),
            json!({"from": from, "to": to, "sector": sector, "region": region}),
        );
        self.store.append_audit(event).await?;
        Ok(DemandReport { country, sector, region, months: rows })
    }

    /// The crossings of the registry's workers held by its country (by their travel document
    /// and their permits' cards), by any of [`HOLDER_DIMENSIONS`]: `standing` is how their
    /// permits stood on the crossing's local day (`in_force`, `lapsed` after a last day or a
    /// revocation, `none` before any was issued), `kind` and `sector` the permit's then in force
    /// (else the latest). Under disclosure control when asked; audited.
    pub async fn holder_crossings(
        &self,
        actor: &Actor,
        request: &HolderCrossingsRequest,
    ) -> Result<CrossingStats, AppError> {
        let by = frontera_stats::stays::parse_by(request.by.as_deref().unwrap_or(""), HOLDER_DIMENSIONS)?;
        let scope = labour_scope(self, actor, None, request.public, request.threshold)?;
        let country = scope.country.unwrap_or(actor.scope.country);
        let (from, to) = crate::stats::days(&request.from, &request.to)?;
        let zone = registry_zone(country);
        let of = |kind: &str| LabourQuery {
            kind: Some(kind.into()),
            country: Some(country),
            ..LabourQuery::default()
        };
        let workers: Vec<Worker> = self
            .store
            .labour_records(&of("worker"))
            .await?
            .iter()
            .map(from_json)
            .collect::<Result<_, _>>()?;
        let mut permits: HashMap<String, Vec<Permit>> = HashMap::new();
        for r in self.store.labour_records(&of("permit")).await? {
            let p: Permit = from_json(&r)?;
            permits.entry(p.worker_id.clone()).or_default().push(p);
        }
        // Each person the registry's country holds for a worker's document or card, to the
        // worker's permits.
        let mut holders: HashMap<frontera_domain::PersonId, &Vec<Permit>> = HashMap::new();
        for w in &workers {
            let Some(held) = permits.get(&w.id) else { continue };
            for person in super::records::worker_persons(w, held)? {
                holders.insert(person, held);
            }
        }
        let facts = self.store.movements(country, None).await?;
        let zones: Vec<chrono_tz::Tz> = facts
            .ports
            .iter()
            .map(|p| self.ports.get(p).map_or(chrono_tz::Tz::UTC, |p| p.time_zone))
            .collect();
        let mut counts: HashMap<Vec<String>, u64> = HashMap::new();
        for r in &facts.rows {
            let Some(held) = facts.holders.get(r.holder as usize).and_then(|h| holders.get(&h.person_id))
            else {
                continue;
            };
            let Some(at) = chrono::DateTime::from_timestamp_micros(r.occurred_at) else { continue };
            let day = at.with_timezone(&zones[usize::from(r.port)]).date_naive();
            if from.is_some_and(|f| day < f) || to.is_some_and(|t| day > t) {
                continue;
            }
            let in_force = held.iter().find(|p| p.life.in_force_within(day, day, zone));
            let (standing, permit) = match in_force {
                Some(p) => ("in_force", Some(p)),
                None => {
                    let lapsed = held
                        .iter()
                        .filter(|p| p.life.last_day(zone).is_some_and(|d| d < day))
                        .max_by_key(|p| p.life.last_day(zone));
                    match lapsed {
                        Some(p) => ("lapsed", Some(p)),
                        None => ("none", held.iter().max_by(|a, b| a.id.cmp(&b.id))),
                    }
                }
            };
            let key: Vec<String> = by
                .iter()
                .map(|d| match *d {
                    "month" => day.format("%Y-%m").to_string(),
                    "port" => facts.ports[usize::from(r.port)].to_string(),
                    "direction" => r.direction.as_str().to_string(),
                    "kind" => permit.map(|p| p.kind.clone()).unwrap_or_default(),
                    "sector" => permit.map(|p| p.sector.clone()).unwrap_or_default(),
                    _ => standing.to_string(),
                })
                .collect();
            *counts.entry(key).or_default() += 1;
        }
        let table = Table::from_counts(&by, counts);
        let event = AuditDraft::new(
            &actor.name,
            "stats.permit_holders",
            "table",
            by.join(","),
            Some(country.as_str()),
            json!({"from": from, "to": to, "public": scope.public, "cells": table.rows.len()}),
        );
        self.store.append_audit(event).await?;
        Ok(if scope.public {
            CrossingStats::Controlled { table: protect(&table, scope.threshold) }
        } else {
            CrossingStats::None { table }
        })
    }

    /// Permits in force on a day in the actor's country by any of [`PERMIT_DIMENSIONS`] (the
    /// holder's nationality, sex and age group on that day), under disclosure control when
    /// asked (always for a liaison). Audited.
    pub async fn permit_table(
        &self,
        actor: &Actor,
        request: &PermitTableRequest,
    ) -> Result<CrossingStats, AppError> {
        let by = frontera_stats::stays::parse_by(request.by.as_deref().unwrap_or(""), PERMIT_DIMENSIONS)?;
        let scope = labour_scope(self, actor, None, request.public, request.threshold)?;
        let country = scope.country.unwrap_or(actor.scope.country);
        let zone = registry_zone(country);
        let as_of = match text(&request.as_of) {
            Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|_| ValidationError::refused("as_of", "a day, YYYY-MM-DD", "un día, AAAA-MM-DD"))?,
            None => self.now().with_timezone(&zone).date_naive(),
        };
        let of = |kind: &str| LabourQuery {
            kind: Some(kind.into()),
            country: Some(country),
            ..LabourQuery::default()
        };
        let workers: BTreeMap<String, Worker> = self
            .store
            .labour_records(&of("worker"))
            .await?
            .iter()
            .map(|r| from_json::<Worker>(r).map(|w| (w.id.clone(), w)))
            .collect::<Result<_, _>>()?;
        let mut counts: HashMap<Vec<String>, u64> = HashMap::new();
        for r in self.store.labour_records(&of("permit")).await? {
            let p: Permit = from_json(&r)?;
            if !p.life.in_force_within(as_of, as_of, zone) {
                continue;
            }
            let Some(w) = workers.get(&p.worker_id) else { continue };
            let regions: Vec<String> = if p.regions.is_empty() {
                PermitKind::parse(&p.kind)
                    .map(|k| k.regions.iter().map(|r| r.to_string()).collect())
                    .unwrap_or_default()
            } else {
                p.regions.clone()
            };
            // A permit valid in several places counts once in each (and once in a table not
            // broken down by place).
            let places: Vec<String> = if by.contains(&"region") {
                if regions.is_empty() { vec!["_national".into()] } else { regions }
            } else {
                vec![String::new()]
            };
            for place in places {
                let key: Vec<String> = by
                    .iter()
                    .map(|d| match *d {
                        "kind" => p.kind.clone(),
                        "sector" => p.sector.clone(),
                        "region" => place.clone(),
                        "nationality" => w.nationality.as_str().to_string(),
                        "sex" => w.sex.code().to_string(),
                        _ => {
                            AgeGroup::of(w.birth_date.and_then(|b| b.earliest()), as_of).as_str().to_string()
                        }
                    })
                    .collect();
                *counts.entry(key).or_default() += 1;
            }
        }
        let table = Table::from_counts(&by, counts);
        let event = AuditDraft::new(
            &actor.name,
            "stats.permits",
            "table",
            by.join(","),
            Some(country.as_str()),
            json!({"as_of": as_of, "public": scope.public, "cells": table.rows.len()}),
        );
        self.store.append_audit(event).await?;
        Ok(if scope.public {
            CrossingStats::Controlled { table: protect(&table, scope.threshold) }
        } else {
            CrossingStats::None { table }
        })
    }
}
