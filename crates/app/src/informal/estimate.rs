//! The estimates of informal crossings from the plans' samples, and the month-by-month total
//! flow that puts them beside the crossings the posts recorded.
//!
//! A period or a group of points narrower than a plan is a domain of its sample: a block drawn
//! outside it counts zero, so the design's estimator and variance hold as they are. Plans are
//! independent samples: their estimates add ([`design::combine`]).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike, Months, NaiveDate};
use frontera_domain::access::{Action, Actor};
use frontera_domain::informal::Tally;
use frontera_domain::{CountryCode, Direction, Lang, Rule, ValidationError};
use frontera_stats::informal::{self as design, Descriptive, Estimate};
use frontera_store::CountQuery;
use serde::{Deserialize, Serialize};

use super::records::{KeptInterview, KeptPoint, KeptSession, MonitoringPlan, from_json};
use crate::{App, AppError};

/// The breakdowns an estimate may be asked by: what the enumerators saw of every passer-by
/// (direction, sex, age, means, goods, the nationality declared, `_U` where none was) and what
/// the interviewed said (purpose, document).
pub const BREAKDOWNS: &[&str] =
    &["direction", "sex", "age", "means", "goods", "nationality", "purpose", "document"];

/// The breakdowns known from the interviews only: a block's crossings are shared out as its
/// interviewed passers-by answered (its stratum's answers where it has none).
const FROM_INTERVIEWS: &[&str] = &["purpose", "document"];

/// What is estimated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Measure {
    /// One-way crossings.
    Crossings,
    /// Distinct persons who crossed in the period.
    Persons,
}

impl Measure {
    /// Parses `crossings` or `persons`.
    pub fn parse(text: Option<&str>) -> Result<Measure, ValidationError> {
        match text.map(str::trim).unwrap_or("crossings") {
            "" | "crossings" => Ok(Measure::Crossings),
            "persons" => Ok(Measure::Persons),
            _ => Err(ValidationError::new("measure", Rule::OneOf { allowed: &["crossings", "persons"] })),
        }
    }

    /// Its name.
    pub fn as_str(self) -> &'static str {
        match self {
            Measure::Crossings => "crossings",
            Measure::Persons => "persons",
        }
    }
}

/// What an estimate asks for.
#[derive(Debug, Clone)]
pub struct EstimateRequest {
    /// The country whose monitoring (the actor's when none).
    pub country: Option<CountryCode>,
    /// The first day.
    pub from: NaiveDate,
    /// The last day.
    pub to: NaiveDate,
    /// A group of points (a stretch); none: all.
    pub group: Option<String>,
    /// A breakdown of [`BREAKDOWNS`]; none: the total only.
    pub by: Option<String>,
    /// Crossings or persons.
    pub measure: Measure,
}

/// One line of an estimate: a value of the breakdown (`_T`, the total) with its interval.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EstimateLine {
    /// The value (`_T` for the total).
    pub value: String,
    /// The estimate.
    pub total: f64,
    /// Its standard error.
    pub standard_error: f64,
    /// The 95% interval's lower end.
    pub low: f64,
    /// Its upper end.
    pub high: f64,
    /// The degrees of freedom of the interval's t.
    pub degrees_of_freedom: u32,
    /// The coefficient of variation (standard error over the estimate; 0 for a zero).
    pub cv: f64,
}

impl EstimateLine {
    fn of(value: &str, e: &Estimate) -> EstimateLine {
        EstimateLine {
            value: value.to_string(),
            total: e.total,
            standard_error: e.standard_error,
            low: e.low,
            high: e.high,
            degrees_of_freedom: e.degrees_of_freedom,
            cv: if e.total > 0.0 { e.standard_error / e.total } else { 0.0 },
        }
    }
}

/// An estimate of informal crossings, with what it rests on.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InformalEstimate {
    /// The country.
    pub country: CountryCode,
    /// The first day.
    pub from: NaiveDate,
    /// The last day.
    pub to: NaiveDate,
    /// The group of points, if one.
    pub group: Option<String>,
    /// The breakdown, if one.
    pub by: Option<String>,
    /// `crossings` or `persons`.
    pub measure: Measure,
    /// The plans whose samples it rests on.
    pub plans: Vec<String>,
    /// Blocks drawn and watched in the period and group.
    pub blocks_drawn: u64,
    /// Interviews it used.
    pub interviews: u64,
    /// The total (`_T`) first, then each value.
    pub lines: Vec<EstimateLine>,
    /// What was counted in the period and group, in or out of a sample: descriptive only.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub descriptive: Descriptive,
}

/// What the total-flow view asks for.
#[derive(Debug, Clone)]
pub struct FlowRequest {
    /// The country (the actor's when none).
    pub country: Option<CountryCode>,
    /// The first month.
    pub from: NaiveDate,
    /// The last month (its first day).
    pub to: NaiveDate,
    /// A group of points; the official crossings are then those of the ports near its points.
    pub group: Option<String>,
}

/// A month of the total flow.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FlowMonth {
    /// `YYYY-MM`.
    pub month: String,
    /// Entries recorded at the posts.
    pub official_entries: u64,
    /// Exits recorded at the posts.
    pub official_exits: u64,
    /// Informal crossings estimated, when a sample covers the month.
    pub informal: Option<EstimateLine>,
    /// The informal estimate's share of all crossings (official and informal).
    pub informal_share: Option<f64>,
    /// Why there is no estimate, in English and Spanish.
    pub note: Option<[String; 2]>,
}

/// The total flow, month by month.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TotalFlow {
    /// The country.
    pub country: CountryCode,
    /// The group of points, if one.
    pub group: Option<String>,
    /// The ports whose crossings are counted as official.
    pub ports: Vec<String>,
    /// The months.
    pub months: Vec<FlowMonth>,
}

/// How the estimates are made, in English and Spanish: the metadata of every export.
pub const METHOD: [&str; 2] = [
    "Design-based estimate after Mexico's southern-border survey (EMIF Sur): a probability sample of \
     point-days (strata: group of points × weekday, market day, weekend), drawn without replacement, \
     and of hour blocks within them; every passer-by in a drawn block is counted. Horvitz–Thompson \
     expansion by the inverse of each block's inclusion probability; unbiased two-stage variance \
     (Cochran 1977, §10.8, §11.6); 95% interval with Student's t, Satterthwaite's degrees of freedom \
     across plans. Persons: each crossing counts 1/k of a person, k the crossings the interviewed \
     make in the period by how often they say they cross. Breakdowns by purpose and document share \
     a block's crossings as its interviewed answered. Descriptive indicators (per day, shares) are \
     what was seen, not representative.",
    "Estimación basada en el diseño, según la Encuesta sobre Migración en la Frontera Sur (EMIF Sur): \
     muestra probabilística de días-punto (estratos: grupo de puntos × día laborable, día de mercado, \
     fin de semana), sin reemplazo, y de bloques horarios en ellos; se cuenta a toda persona que \
     cruza en un bloque sorteado. Expansión de Horvitz–Thompson por el inverso de la probabilidad de \
     inclusión de cada bloque; varianza insesgada en dos etapas (Cochran 1977, §10.8, §11.6); \
     intervalo del 95% con t de Student, grados de libertad de Satterthwaite entre planes. Personas: \
     cada cruce cuenta 1/k de persona, k los cruces que hacen las personas entrevistadas en el \
     periodo según su frecuencia declarada. Los desgloses por motivo y documento reparten los cruces \
     de un bloque según las respuestas de sus entrevistados. Los indicadores descriptivos (por día, \
     proporciones) son lo observado, no representativos.",
];

/// The values a passer-by counted in `t` takes in breakdown `by`.
fn tally_value(t: &Tally, by: &str) -> Option<String> {
    Some(match by {
        "direction" => t.direction.to_string(),
        "sex" => t.sex.code().to_string(),
        "age" => t.age.to_string(),
        "means" => t.means.to_string(),
        "goods" => if t.goods { "yes" } else { "no" }.to_string(),
        "nationality" => t.nationality.map_or_else(|| "_U".to_string(), |c| c.to_string()),
        _ => return None,
    })
}

fn interview_value(i: &KeptInterview, by: &str) -> String {
    match by {
        "purpose" => i.interview.purpose.to_string(),
        _ => if i.interview.holds_document { "yes" } else { "no" }.to_string(),
    }
}

/// A session's persons by value (`_T` the total).
fn session_counts(s: &KeptSession, by: Option<&str>) -> HashMap<String, f64> {
    let mut out = HashMap::new();
    for t in &s.session.tallies {
        let n = f64::from(t.persons);
        *out.entry("_T".to_string()).or_default() += n;
        if let Some(v) = by.and_then(|b| tally_value(t, b)) {
            *out.entry(v).or_default() += n;
        }
    }
    out
}

/// Shares of answers: value → share.
fn shares(answers: &[String]) -> Option<HashMap<String, f64>> {
    if answers.is_empty() {
        return None;
    }
    let mut out: HashMap<String, f64> = HashMap::new();
    for a in answers {
        *out.entry(a.clone()).or_default() += 1.0 / answers.len() as f64;
    }
    Some(out)
}

/// One plan's contribution to an estimate: its blocks' values in the domain.
struct PlanSample<'a> {
    plan: &'a MonitoringPlan,
    /// The sample as observed: the blocks that could not be watched left out.
    design: design::Plan,
    /// What each block drawn counted, by value (`None`: in the domain and not counted).
    counted: Vec<Option<HashMap<String, f64>>>,
    /// The crossings in the period of each of its interviewed (empty outside the domain).
    crossings: Vec<Vec<f64>>,
    blocks: u64,
    interviews: u64,
}

impl App {
    /// Estimates informal crossings (or persons) for a period and group of points, by a
    /// breakdown, from every plan whose period meets it; with what was counted, described.
    pub async fn estimate_informal(
        &self,
        actor: &Actor,
        req: &EstimateRequest,
    ) -> Result<InformalEstimate, AppError> {
        let country = req.country.unwrap_or(actor.scope.country);
        self.may(actor, Action::ReadTables, country)?;
        if req.to < req.from {
            return Err(ValidationError::new("to", Rule::Before { other: "from" }).into());
        }
        if let Some(by) = &req.by
            && !BREAKDOWNS.contains(&by.as_str())
        {
            return Err(ValidationError::new("by", Rule::OneOf { allowed: BREAKDOWNS }).into());
        }
        let plans: Vec<MonitoringPlan> = self
            .country_plans(country)
            .await?
            .into_iter()
            .filter(|p| p.from <= req.to && p.to >= req.from)
            .collect();
        if plans.is_empty() {
            return Err(ValidationError::refused(
                "from",
                format!(
                    "no sampling plan of {country} covers {} to {}: nothing can be estimated",
                    req.from, req.to
                ),
                format!(
                    "ningún plan de muestreo de {country} cubre del {} al {}: no puede estimarse nada",
                    req.from, req.to
                ),
            )
            .into());
        }
        let days = u32::try_from((req.to - req.from).num_days() + 1).unwrap_or(u32::MAX);
        let mut samples = Vec::new();
        for plan in &plans {
            samples.push(self.plan_sample(plan, req, days).await?);
        }
        let mut values: BTreeSet<String> = BTreeSet::new();
        for s in &samples {
            values.extend(s.counted.iter().flatten().flat_map(|c| c.keys().filter(|k| *k != "_T").cloned()));
        }
        let mut lines = Vec::new();
        for value in std::iter::once("_T".to_string()).chain(values) {
            let value = &value;
            let mut parts = Vec::new();
            let mut seen = 0.0;
            for s in &samples {
                let ys: Vec<Option<f64>> = s
                    .counted
                    .iter()
                    .map(|c| c.as_ref().map(|c| c.get(value).copied().unwrap_or(0.0)))
                    .collect();
                let estimate = match req.measure {
                    Measure::Crossings => {
                        seen += ys.iter().flatten().sum::<f64>();
                        s.design.estimate(&ys)
                    }
                    Measure::Persons => s.design.estimate_persons(&ys, &s.crossings),
                };
                parts.push(estimate.map_err(|e| uncounted(e, s.plan))?);
            }
            let floor =
                if req.by.as_deref().is_some_and(|b| FROM_INTERVIEWS.contains(&b)) { 0.0 } else { seen };
            lines.push(EstimateLine::of(value, &design::combine(&parts, floor)));
        }
        let descriptive = self.described(country, req).await?;
        Ok(InformalEstimate {
            country,
            from: req.from,
            to: req.to,
            group: req.group.clone(),
            by: req.by.clone(),
            measure: req.measure,
            plans: plans.iter().map(|p| p.id.clone()).collect(),
            blocks_drawn: samples.iter().map(|s| s.blocks).sum(),
            interviews: samples.iter().map(|s| s.interviews).sum(),
            lines,
            descriptive,
        })
    }

    /// A plan's blocks in the domain of `req`, with what was counted and answered in them.
    async fn plan_sample<'a>(
        &self,
        plan: &'a MonitoringPlan,
        req: &EstimateRequest,
        days: u32,
    ) -> Result<PlanSample<'a>, AppError> {
        let sessions = self.plan_sessions(&plan.id).await?;
        let query = frontera_store::InformalQuery {
            kind: Some("interview".into()),
            plan: Some(plan.id.clone()),
            ..frontera_store::InformalQuery::default()
        };
        let mut answered: HashMap<uuid::Uuid, Vec<KeptInterview>> = HashMap::new();
        for r in self.store.informal_records(&query).await? {
            let i: KeptInterview = from_json(&r)?;
            answered.entry(i.interview.session).or_default().push(i);
        }
        let by = req.by.as_deref();
        let shared = by.filter(|b| FROM_INTERVIEWS.contains(b));
        let mut counted = Vec::new();
        let mut crossings = Vec::new();
        let mut answers: Vec<Vec<String>> = Vec::new();
        let (mut blocks, mut interviews) = (0, 0);
        // A block that could not be watched is missing from the sample, whatever the domain.
        let missed: Vec<bool> = plan
            .design
            .assignments
            .iter()
            .map(|a| {
                let unit = &plan.design.strata[a.stratum].units[a.unit];
                NaiveDate::parse_from_str(&unit.day, "%Y-%m-%d")
                    .ok()
                    .and_then(|d| sessions.get(&(unit.point.clone(), d, a.block)))
                    .is_some_and(|s| s.session.not_watched.is_some())
            })
            .collect();
        let (observed, _) = plan.design.observed(&missed).map_err(|e| uncounted(e, plan))?;
        for a in &observed.assignments {
            let unit = &observed.strata[a.stratum].units[a.unit];
            let day = NaiveDate::parse_from_str(&unit.day, "%Y-%m-%d").ok();
            let group = plan.points.iter().find(|p| p.id == unit.point).map(|p| p.group.as_str());
            let inside = day.is_some_and(|d| d >= req.from && d <= req.to)
                && req.group.as_deref().is_none_or(|g| Some(g) == group);
            if !inside {
                counted.push(Some(HashMap::new()));
                crossings.push(Vec::new());
                answers.push(Vec::new());
                continue;
            }
            blocks += 1;
            let session = day.and_then(|d| sessions.get(&(unit.point.clone(), d, a.block)));
            let asked: &[KeptInterview] =
                session.and_then(|s| answered.get(&s.session.id)).map_or(&[], Vec::as_slice);
            interviews += asked.len() as u64;
            counted.push(session.map(|s| session_counts(s, if shared.is_some() { None } else { by })));
            crossings.push(asked.iter().map(|i| i.interview.frequency.crossings_in(days)).collect());
            answers.push(
                shared.map(|b| asked.iter().map(|i| interview_value(i, b)).collect()).unwrap_or_default(),
            );
        }
        if let Some(by) = shared {
            share_out(&observed, &mut counted, &answers, by)?;
        }
        Ok(PlanSample { plan, design: observed, counted, crossings, blocks, interviews })
    }

    /// The descriptive indicators of every session counted in the period and group.
    async fn described(&self, country: CountryCode, req: &EstimateRequest) -> Result<Descriptive, AppError> {
        let sessions: Vec<KeptSession> = self.kept(country, "session", req.from, req.to).await?;
        let points: Vec<KeptPoint> = self.kept_points(country).await?;
        let group_of = |id: &str| points.iter().find(|p| p.point.id == id).map(|p| p.point.stretch.as_str());
        let by = req.by.as_deref().filter(|b| !FROM_INTERVIEWS.contains(b)).unwrap_or("direction");
        let rows: Vec<(String, HashMap<String, f64>)> = sessions
            .iter()
            .filter(|s| s.session.not_watched.is_none())
            .filter(|s| req.group.as_deref().is_none_or(|g| group_of(&s.session.point) == Some(g)))
            .map(|s| {
                let mut c = session_counts(s, Some(by));
                c.remove("_T");
                (s.session.day.to_string(), c)
            })
            .collect();
        Ok(design::descriptive(&rows))
    }

    /// The total flow month by month: the crossings the posts recorded beside the informal
    /// crossings estimated, with their interval, where a sample covers the month.
    pub async fn total_flow(&self, actor: &Actor, req: &FlowRequest) -> Result<TotalFlow, AppError> {
        let country = req.country.unwrap_or(actor.scope.country);
        self.may(actor, Action::ReadTables, country)?;
        let first = req.from.with_day(1).unwrap_or(req.from);
        let last = req.to.with_day(1).unwrap_or(req.to);
        if last < first {
            return Err(ValidationError::new("to", Rule::Before { other: "from" }).into());
        }
        if first.checked_add_months(Months::new(60)).is_some_and(|limit| last >= limit) {
            return Err(ValidationError::new("to", Rule::OutOfRange { min: 1, max: 60 }).into());
        }
        let ports: Vec<String> = match &req.group {
            Some(g) => {
                let mut near: Vec<String> = self
                    .kept_points(country)
                    .await?
                    .iter()
                    .filter(|p| &p.point.stretch == g)
                    .flat_map(|p| p.point.nearby_ports.iter().map(|p| p.as_str().to_string()))
                    .collect();
                near.sort();
                near.dedup();
                near
            }
            None => Vec::new(),
        };
        let end = last.checked_add_months(Months::new(1)).and_then(|d| d.pred_opt()).unwrap_or(last);
        let counts = self
            .store
            .crossing_counts(&CountQuery {
                countries: vec![country],
                from: Some(first),
                to: Some(end),
                monthly: true,
            })
            .await?;
        let mut official: BTreeMap<NaiveDate, (u64, u64)> = BTreeMap::new();
        for (key, n) in counts {
            if !ports.is_empty() && !ports.iter().any(|p| p == key.port_id.as_str()) {
                continue;
            }
            let cell = official.entry(key.day.with_day(1).unwrap_or(key.day)).or_default();
            match key.direction {
                Direction::Entry => cell.0 += n,
                Direction::Exit => cell.1 += n,
            }
        }
        let mut months = Vec::new();
        let mut month = first;
        while month <= last {
            let month_end =
                month.checked_add_months(Months::new(1)).and_then(|d| d.pred_opt()).unwrap_or(month);
            let req = EstimateRequest {
                country: Some(country),
                from: month,
                to: month_end,
                group: req.group.clone(),
                by: None,
                measure: Measure::Crossings,
            };
            let (entries, exits) = official.get(&month).copied().unwrap_or_default();
            let (informal, note) = match self.estimate_informal(actor, &req).await {
                Ok(e) => (e.lines.into_iter().next(), None),
                Err(AppError::Invalid(v)) => (None, Some(reason(&v))),
                Err(other) => return Err(other),
            };
            let informal_share = informal.as_ref().map(|i| {
                let all = i.total + (entries + exits) as f64;
                if all > 0.0 { i.total / all } else { 0.0 }
            });
            months.push(FlowMonth {
                month: month.format("%Y-%m").to_string(),
                official_entries: entries,
                official_exits: exits,
                informal,
                informal_share,
                note,
            });
            month = month.checked_add_months(Months::new(1)).unwrap_or(NaiveDate::MAX);
        }
        Ok(TotalFlow { country, group: req.group.clone(), ports, months })
    }
}

/// Shares each counted block's crossings out by its interviewed's answers (its stratum's where
/// it has none, the plan's where the stratum has none).
fn share_out(
    plan: &design::Plan,
    counted: &mut [Option<HashMap<String, f64>>],
    answers: &[Vec<String>],
    by: &str,
) -> Result<(), AppError> {
    let assignments = &plan.assignments;
    let overall = shares(&answers.concat());
    for (i, c) in counted.iter_mut().enumerate() {
        let Some(c) = c else { continue };
        let total = c.get("_T").copied().unwrap_or(0.0);
        if total == 0.0 {
            continue;
        }
        let stratum = assignments[i].stratum;
        let share = shares(&answers[i])
            .or_else(|| {
                let pooled: Vec<String> = assignments
                    .iter()
                    .zip(answers)
                    .filter(|(a, _)| a.stratum == stratum)
                    .flat_map(|(_, ans)| ans.iter().cloned())
                    .collect();
                shares(&pooled)
            })
            .or_else(|| overall.clone());
        let Some(share) = share else {
            return Err(ValidationError::refused(
                "by",
                format!(
                    "crossings were counted but nobody was interviewed: they cannot be broken down by {by}"
                ),
                format!("se contaron cruces pero no se entrevistó a nadie: no pueden desglosarse por {by}"),
            )
            .into());
        };
        for (value, s) in share {
            c.insert(value, total * s);
        }
    }
    Ok(())
}

/// Why an estimate was refused, in English and Spanish, without the field's framing.
fn reason(v: &ValidationError) -> [String; 2] {
    match &v.rule {
        Rule::Refused { en, es } => [en.clone(), es.clone()],
        _ => [v.message(Lang::En), v.message(Lang::Es)],
    }
}

/// A block drawn but not counted, said with the plan's name.
fn uncounted(e: ValidationError, plan: &MonitoringPlan) -> AppError {
    let [en, es] = reason(&e);
    ValidationError::refused(
        "plan",
        format!("{} ({}): {en}", plan.name, plan.id),
        format!("{} ({}): {es}", plan.name, plan.id),
    )
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_parse_and_name_themselves() {
        assert_eq!(Measure::parse(None).unwrap(), Measure::Crossings);
        assert_eq!(Measure::parse(Some("persons")).unwrap().as_str(), "persons");
        assert_eq!(Measure::parse(Some("trips")).unwrap_err().field, "measure");
    }

    #[test]
    fn answers_become_shares() {
        let s = shares(&["work".into(), "work".into(), "trade".into(), "family".into()]).unwrap();
        assert_eq!(s["work"], 0.5);
        assert_eq!(s["trade"], 0.25);
        assert!(shares(&[]).is_none());
    }
}
