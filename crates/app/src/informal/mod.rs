//! Informal crossings (issue 8): the points where people cross outside the posts, the sampling
//! plans that say which point, day and hour block to watch, the enumerators' count sessions and
//! anonymous interviews, and the design-based estimates of the flow ([`estimate`]).
//!
//! Analysts (and admins) keep the points and draw the plans; enumerators see the blocks they
//! are assigned and send what they counted. A session and an interview carry the id minted on
//! the enumerator's device: sent again, it is the same one, stored once. Nothing here names a
//! person; an interview whose person agreed to be referred opens a protection case, which alone
//! holds the name they gave.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc, Weekday};
use frontera_domain::access::{Action, Actor, Resource, can};
use frontera_domain::audit::AuditDraft;
use frontera_domain::informal::{CountSession, Interview, PointDraft, Tally};
use frontera_domain::{CountryCode, Rule, ValidationError};
use frontera_stats::informal::{self as design, Draws};
use frontera_store::{InformalQuery, InformalRecord};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use crate::protection::{CaseDraft, required, text, to_json};
use crate::{App, AppError};

pub mod estimate;
mod export;
mod records;

pub use estimate::{
    BREAKDOWNS, EstimateLine, EstimateRequest, FlowMonth, FlowRequest, InformalEstimate, Measure, TotalFlow,
};
use records::from_json;
pub use records::{KeptInterview, KeptPoint, KeptSession, MonitoringPlan, PlanPoint, Stored};

/// What drawing a plan asks for.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanDraft {
    /// Its name (`March 2027, Río Hondo`).
    pub name: Option<String>,
    /// The first day, `YYYY-MM-DD`.
    pub from: Option<String>,
    /// The last day, `YYYY-MM-DD`; at most 92 days after the first.
    pub to: Option<String>,
    /// The points of the frame (none: every active point of the country).
    #[serde(default)]
    pub points: Vec<String>,
    /// The market weekdays (`mon` … `sun`), a stratum apart.
    #[serde(default)]
    pub market_days: Vec<String>,
    /// By kind of day (`weekday`, `market`, `weekend`): point-days to draw in each stratum and
    /// blocks in each point-day drawn.
    #[serde(default)]
    pub draws: BTreeMap<String, DrawsDraft>,
    /// The draw's seed (none: a fresh one, recorded).
    pub seed: Option<u64>,
}

/// What to draw in the strata of one kind of day.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DrawsDraft {
    /// Point-days to draw in each stratum of that kind.
    pub units: usize,
    /// Hour blocks to watch in each point-day drawn.
    pub blocks: u32,
}

impl DrawsDraft {
    /// What to draw by kind of day, each written `UNITSxBLOCKS` (`6x2`; `×` too), an empty one
    /// drawing nothing there; a bad one is refused naming its kind.
    pub fn by_kind(
        weekday: &str,
        market: &str,
        weekend: &str,
    ) -> Result<BTreeMap<String, DrawsDraft>, ValidationError> {
        let mut out = BTreeMap::new();
        for (kind, text) in [("weekday", weekday), ("market", market), ("weekend", weekend)] {
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            let draws = text
                .split_once(['x', '×'])
                .and_then(|(u, b)| {
                    Some(DrawsDraft { units: u.trim().parse().ok()?, blocks: b.trim().parse().ok()? })
                })
                .ok_or_else(|| {
                    ValidationError::new(
                        kind,
                        Rule::syntax("point-days × blocks, as 6x2", "puntos-día × bloques, como 6x2"),
                    )
                })?;
            out.insert(kind.to_string(), draws);
        }
        Ok(out)
    }
}

/// A block to watch, as an enumerator's list shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assignment {
    /// The plan.
    pub plan: String,
    /// The plan's name.
    pub plan_name: String,
    /// The block's number in the plan.
    pub index: usize,
    /// The point.
    pub point: String,
    /// Its name.
    pub point_name: String,
    /// The day.
    pub day: NaiveDate,
    /// The block's index in the point's schedule.
    pub block: u32,
    /// When it begins, `HH:MM`.
    pub start: String,
    /// When it ends.
    pub end: String,
    /// The stratum it was drawn in.
    pub stratum: String,
    /// Its inclusion probability.
    pub probability: f64,
    /// The enumerator, once assigned.
    pub enumerator: Option<String>,
    /// The session that counted it, once sent.
    pub session: Option<Uuid>,
    /// Why it could not be watched, when its session says so.
    pub not_watched: Option<String>,
}

/// A count session as the enumerator's form sends it.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionDraft {
    /// Minted on the device when the form was opened: sent again, the same session.
    pub id: Uuid,
    /// The point.
    pub point: String,
    /// The local day.
    pub day: NaiveDate,
    /// The block's index in the point's schedule.
    pub block: u32,
    /// Groups that passed.
    pub groups: u32,
    /// The persons, by kind.
    #[serde(default)]
    pub tallies: Vec<Tally>,
    /// A note.
    pub note: Option<String>,
    /// Why the block could not be watched, when it could not (nothing is counted then).
    #[serde(default)]
    pub not_watched: Option<String>,
    /// When the device sent it (the node's clock when absent).
    pub sent_at: Option<DateTime<Utc>>,
}

/// An interview as the enumerator's form sends it, with the person to refer when they agreed.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InterviewDraft {
    /// The interview: no name, no document.
    #[serde(flatten)]
    pub interview: Interview,
    /// Whom to refer, when the person agreed (`consent.referral`): the name they chose to
    /// give and the profiles seen. Kept in the protection case alone, never with the interview.
    pub refer: Option<CaseDraft>,
}

const WEEKDAYS: [(&str, Weekday); 7] = [
    ("mon", Weekday::Mon),
    ("tue", Weekday::Tue),
    ("wed", Weekday::Wed),
    ("thu", Weekday::Thu),
    ("fri", Weekday::Fri),
    ("sat", Weekday::Sat),
    ("sun", Weekday::Sun),
];

/// The longest plan, in days.
const LONGEST_PLAN: i64 = 92;

/// A day written `YYYY-MM-DD`, for `field`.
pub fn parse_day(text: &str, field: &str) -> Result<NaiveDate, ValidationError> {
    match text.trim() {
        "" => Err(ValidationError::new(field, Rule::Required)),
        t => NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map_err(|_| ValidationError::new(field, Rule::NotADate { format: "YYYY-MM-DD" })),
    }
}

/// A month written `YYYY-MM`, for `field`: its first day.
pub fn parse_month(text: &str, field: &str) -> Result<NaiveDate, ValidationError> {
    match text.trim() {
        "" => Err(ValidationError::new(field, Rule::Required)),
        t => NaiveDate::parse_from_str(&format!("{t}-01"), "%Y-%m-%d")
            .map_err(|_| ValidationError::new(field, Rule::NotADate { format: "YYYY-MM" })),
    }
}

/// Whether the actor counts the blocks assigned to them, and sees only those (an enumerator;
/// not those who plan the monitoring, nor the console).
pub fn works_own_blocks(actor: &Actor) -> bool {
    let own = Resource::of(actor.scope.country);
    can(actor, Action::WorkBlocks, own).allowed() && !can(actor, Action::ManageMonitoring, own).allowed()
}

impl App {
    /// Whether `actor` may `action` on `country`'s monitoring.
    fn may(&self, actor: &Actor, action: Action, country: CountryCode) -> Result<(), AppError> {
        if can(actor, action, Resource::of(country)).allowed() {
            return Ok(());
        }
        Err(AppError::Forbidden(match action {
            Action::ManageMonitoring => {
                format!("the informal-crossing monitoring of {country} is not yours to plan")
            }
            Action::RecordCount => format!("counting at informal crossings of {country} is not yours to do"),
            _ => format!("the informal-crossing figures of {country} are not yours to read"),
        }))
    }

    /// Whether `actor` may read `country`'s monitoring as records: what was counted, and who
    /// counts where. Never the other country's, nor a liaison's (they read estimates).
    fn may_read_monitoring(&self, actor: &Actor, country: CountryCode) -> Result<(), AppError> {
        let r = Resource::of(country);
        if [Action::ManageMonitoring, Action::RecordCount, Action::ReadDeidentified]
            .into_iter()
            .any(|a| can(actor, a, r).allowed())
        {
            return Ok(());
        }
        self.may(actor, Action::ReadDeidentified, country)
    }

    /// Whether `actor` may read `country`'s monitoring design: its points and plans, which
    /// name no one (the binational group reads them beside the estimates).
    fn may_read_design(&self, actor: &Actor, country: CountryCode) -> Result<(), AppError> {
        if can(actor, Action::ReadTables, Resource::of(country)).allowed() {
            return Ok(());
        }
        self.may_read_monitoring(actor, country)
    }

    async fn save_informal(
        &self,
        actor: &Actor,
        records: &[InformalRecord],
        action: &str,
        detail: serde_json::Value,
    ) -> Result<(), AppError> {
        let Some(first) = records.first() else { return Ok(()) };
        let event = AuditDraft::new(
            &actor.name,
            action,
            &first.kind,
            &first.id,
            Some(first.country.as_str()),
            detail,
        );
        Ok(self.store.save_informal(records, self.now(), event).await?)
    }

    /// Adds a point to the actor's country, or changes one (the same id).
    pub async fn save_point(&self, actor: &Actor, draft: &PointDraft) -> Result<KeptPoint, AppError> {
        let country = actor.scope.country;
        self.may(actor, Action::ManageMonitoring, country)?;
        let point = draft.parse(country, |p| self.ports.get(p).is_some())?;
        let stored = self.store.informal_record("point", &point.id).await?;
        if let Some(s) = &stored
            && s.country != country
        {
            return Err(AppError::Conflict(format!("point {} belongs to {}", point.id, s.country)));
        }
        let kept = KeptPoint { point, state: "active".into() };
        let record = InformalRecord {
            kind: "point".into(),
            id: kept.point.id.clone(),
            country,
            point: Some(kept.point.id.clone()),
            plan: None,
            day: None,
            state: kept.state.clone(),
            record: to_json(&kept)?,
            version: stored.as_ref().map_or(1, |s| s.version + 1),
        };
        let action = if stored.is_some() { "informal.point_change" } else { "informal.point" };
        self.save_informal(actor, &[record], action, json!({"terrain": kept.point.terrain})).await?;
        Ok(kept)
    }

    /// Retires a point: kept with what was counted there, never drawn again.
    pub async fn retire_point(&self, actor: &Actor, id: &str) -> Result<KeptPoint, AppError> {
        let (mut kept, record) = self.kept_point(id).await?;
        self.may(actor, Action::ManageMonitoring, record.country)?;
        kept.state = "retired".into();
        let record = InformalRecord {
            state: kept.state.clone(),
            record: to_json(&kept)?,
            version: record.version + 1,
            ..record
        };
        self.save_informal(actor, &[record], "informal.point_retire", json!({})).await?;
        Ok(kept)
    }

    async fn kept_point(&self, id: &str) -> Result<(KeptPoint, InformalRecord), AppError> {
        let Some(r) = self.store.informal_record("point", id.trim()).await? else {
            return Err(AppError::NotFound(format!("point {}", id.trim())));
        };
        Ok((from_json(&r)?, r))
    }

    /// The points of the actor's country (those of `country` for the binational group), by id.
    pub async fn points(
        &self,
        actor: &Actor,
        country: Option<CountryCode>,
    ) -> Result<Vec<KeptPoint>, AppError> {
        let country = country.unwrap_or(actor.scope.country);
        self.may_read_design(actor, country)?;
        self.kept_points(country).await
    }

    /// The points of `country`, by id, read without asking who reads.
    pub(crate) async fn kept_points(&self, country: CountryCode) -> Result<Vec<KeptPoint>, AppError> {
        let query =
            InformalQuery { kind: Some("point".into()), country: Some(country), ..InformalQuery::default() };
        self.store.informal_records(&query).await?.iter().map(from_json).collect()
    }

    /// Draws a sampling plan for the actor's country.
    pub async fn draw_plan(&self, actor: &Actor, draft: &PlanDraft) -> Result<MonitoringPlan, AppError> {
        let country = actor.scope.country;
        self.may(actor, Action::ManageMonitoring, country)?;
        let name = required(&draft.name, "name")?.to_string();
        let from = parse_day(draft.from.as_deref().unwrap_or_default(), "from")?;
        let to = parse_day(draft.to.as_deref().unwrap_or_default(), "to")?;
        if to < from {
            return Err(ValidationError::new("to", Rule::Before { other: "from" }).into());
        }
        if (to - from).num_days() >= LONGEST_PLAN {
            return Err(ValidationError::refused(
                "to",
                format!("a plan covers at most {LONGEST_PLAN} days; draw one a month or a quarter"),
                format!("un plan cubre a lo sumo {LONGEST_PLAN} días; sortee uno por mes o por trimestre"),
            )
            .into());
        }
        let mut market = Vec::new();
        for (i, d) in draft.market_days.iter().enumerate() {
            let d = d.trim().to_ascii_lowercase();
            let Some((name, day)) = WEEKDAYS.iter().find(|(n, _)| *n == d) else {
                return Err(ValidationError::new(
                    format!("market_days[{i}]"),
                    Rule::OneOf { allowed: &["mon", "tue", "wed", "thu", "fri", "sat", "sun"] },
                )
                .into());
            };
            if !market.iter().any(|(n, _)| n == name) {
                market.push((name.to_string(), *day));
            }
        }
        let mut draws = BTreeMap::new();
        for (kind, d) in &draft.draws {
            if !design::DAY_KINDS.contains(&kind.as_str()) {
                return Err(ValidationError::new(
                    format!("draws.{kind}"),
                    Rule::OneOf { allowed: design::DAY_KINDS },
                )
                .into());
            }
            draws.insert(kind.clone(), Draws { units: d.units, blocks: d.blocks });
        }
        let kept = self.points(actor, Some(country)).await?;
        let chosen: Vec<&KeptPoint> = if draft.points.is_empty() {
            kept.iter().filter(|p| p.state == "active").collect()
        } else {
            let mut chosen = Vec::new();
            for (i, id) in draft.points.iter().enumerate() {
                let p = kept.iter().find(|p| p.point.id == id.trim()).ok_or_else(|| {
                    ValidationError::refused(
                        format!("points[{i}]"),
                        format!("{} is not a point of {country}", id.trim()),
                        format!("{} no es un punto de {country}", id.trim()),
                    )
                })?;
                if p.state != "active" {
                    return Err(ValidationError::refused(
                        format!("points[{i}]"),
                        format!("{} is retired", p.point.name),
                        format!("{} está retirado", p.point.name),
                    )
                    .into());
                }
                if !chosen.iter().any(|c: &&KeptPoint| c.point.id == p.point.id) {
                    chosen.push(p);
                }
            }
            chosen
        };
        if chosen.is_empty() {
            return Err(ValidationError::refused(
                "points",
                format!("{country} has no active point to watch"),
                format!("{country} no tiene ningún punto activo que observar"),
            )
            .into());
        }
        let points: Vec<PlanPoint> = chosen
            .iter()
            .map(|p| PlanPoint {
                id: p.point.id.clone(),
                name: p.point.name.clone(),
                group: p.point.stretch.clone(),
                blocks: p.point.blocks.clone(),
            })
            .collect();
        let frame_points: Vec<(String, String, u32)> =
            points.iter().map(|p| (p.id.clone(), p.group.clone(), p.blocks.len() as u32)).collect();
        let market_days: Vec<Weekday> = market.iter().map(|(_, d)| *d).collect();
        let by_kind: std::collections::HashMap<String, Draws> =
            draws.iter().map(|(k, d)| (k.clone(), *d)).collect();
        let strata = design::frame(&frame_points, from, to, &market_days, &by_kind);
        let seed = draft.seed.unwrap_or_else(rand::random);
        let sample = design::draw(&strata, &mut ChaCha8Rng::seed_from_u64(seed))?;
        let plan = MonitoringPlan {
            id: Uuid::now_v7().to_string(),
            name,
            country,
            from,
            to,
            market_days: market.into_iter().map(|(n, _)| n).collect(),
            points,
            draws,
            seed,
            enumerators: vec![None; sample.assignments.len()],
            design: sample,
            drawn_by: actor.name.clone(),
            drawn_at: self.now(),
        };
        let record = plan_record(&plan, 1)?;
        self.save_informal(
            actor,
            &[record],
            "informal.plan",
            json!({"from": plan.from, "to": plan.to, "blocks": plan.design.assignments.len(), "seed": seed}),
        )
        .await?;
        Ok(plan)
    }

    async fn plan_record(&self, id: &str) -> Result<(MonitoringPlan, InformalRecord), AppError> {
        let Some(r) = self.store.informal_record("plan", id.trim()).await? else {
            return Err(AppError::NotFound(format!("plan {}", id.trim())));
        };
        Ok((from_json(&r)?, r))
    }

    /// One plan.
    pub async fn plan(&self, actor: &Actor, id: &str) -> Result<MonitoringPlan, AppError> {
        let (plan, _) = self.plan_record(id).await?;
        self.may_read_design(actor, plan.country)?;
        Ok(plan)
    }

    /// The plans of `country` (the actor's when none), the latest first.
    pub async fn plans(
        &self,
        actor: &Actor,
        country: Option<CountryCode>,
    ) -> Result<Vec<MonitoringPlan>, AppError> {
        let country = country.unwrap_or(actor.scope.country);
        self.may_read_design(actor, country)?;
        self.country_plans(country).await.map(|mut p| {
            p.reverse();
            p
        })
    }

    pub(crate) async fn country_plans(&self, country: CountryCode) -> Result<Vec<MonitoringPlan>, AppError> {
        let query =
            InformalQuery { kind: Some("plan".into()), country: Some(country), ..InformalQuery::default() };
        self.store.informal_records(&query).await?.iter().map(from_json).collect()
    }

    /// Assigns blocks of a plan to enumerators (`(block number, enumerator)`; an empty name
    /// takes the block back). Each must be an active enumerator of the plan's country.
    pub async fn assign(
        &self,
        actor: &Actor,
        plan_id: &str,
        assignments: &[(usize, String)],
    ) -> Result<MonitoringPlan, AppError> {
        let (mut plan, record) = self.plan_record(plan_id).await?;
        self.may(actor, Action::ManageMonitoring, plan.country)?;
        let accounts = self.store.accounts(Some(plan.country)).await?;
        for (i, (index, name)) in assignments.iter().enumerate() {
            let Some(slot) = plan.enumerators.get_mut(*index) else {
                return Err(ValidationError::new(
                    format!("assignments[{i}].index"),
                    Rule::OutOfRange { min: 0, max: plan.design.assignments.len() as i64 - 1 },
                )
                .into());
            };
            let name = name.trim();
            if name.is_empty() {
                *slot = None;
                continue;
            }
            let works = Resource::of(plan.country);
            let ok = accounts.iter().any(|a| {
                a.user.name == name
                    && a.disabled_at.is_none()
                    && can(&a.user.as_actor(), Action::WorkBlocks, works).allowed()
            });
            if !ok {
                return Err(ValidationError::refused(
                    format!("assignments[{i}].enumerator"),
                    format!("{name} is not an active enumerator of {}", plan.country),
                    format!("{name} no es un encuestador activo de {}", plan.country),
                )
                .into());
            }
            *slot = Some(name.to_string());
        }
        let record = plan_record(&plan, record.version + 1)?;
        self.save_informal(actor, &[record], "informal.assign", json!({"blocks": assignments.len()})).await?;
        Ok(plan)
    }

    /// The names of the active enumerators of `country`, for those who assign them.
    pub async fn enumerators(&self, actor: &Actor, country: CountryCode) -> Result<Vec<String>, AppError> {
        self.may(actor, Action::ManageMonitoring, country)?;
        let accounts = self.store.accounts(Some(country)).await?;
        Ok(accounts
            .into_iter()
            .filter(|a| {
                a.disabled_at.is_none()
                    && can(&a.user.as_actor(), Action::WorkBlocks, Resource::of(country)).allowed()
            })
            .map(|a| a.user.name)
            .collect())
    }

    /// The blocks to watch: an enumerator's own; for those who plan, every block of the
    /// country's plans (of one plan, or one enumerator's, when asked), by day.
    pub async fn assignments(
        &self,
        actor: &Actor,
        plan: Option<&str>,
        enumerator: Option<&str>,
    ) -> Result<Vec<Assignment>, AppError> {
        let country = actor.scope.country;
        let mine = works_own_blocks(actor);
        if mine {
            self.may(actor, Action::RecordCount, country)?;
        } else {
            self.may_read_monitoring(actor, country)?;
        }
        let plans = match plan {
            Some(id) => {
                let p = self.plan(actor, id).await?;
                vec![p]
            }
            None => self.country_plans(country).await?,
        };
        let who = if mine {
            Some(actor.name.as_str())
        } else {
            enumerator.map(str::trim).filter(|e| !e.is_empty())
        };
        let mut out = Vec::new();
        for plan in &plans {
            let sessions = self.plan_sessions(&plan.id).await?;
            for (index, a) in plan.design.assignments.iter().enumerate() {
                let enumerator = plan.enumerators.get(index).cloned().flatten();
                if who.is_some() && enumerator.as_deref() != who {
                    continue;
                }
                let unit = &plan.design.strata[a.stratum].units[a.unit];
                let Some(point) = plan.points.iter().find(|p| p.id == unit.point) else { continue };
                let Ok(day) = NaiveDate::parse_from_str(&unit.day, "%Y-%m-%d") else { continue };
                let block = point.blocks.get(a.block as usize);
                out.push(Assignment {
                    plan: plan.id.clone(),
                    plan_name: plan.name.clone(),
                    index,
                    point: point.id.clone(),
                    point_name: point.name.clone(),
                    day,
                    block: a.block,
                    start: block.map(|b| b.start.format("%H:%M").to_string()).unwrap_or_default(),
                    end: block.map(|b| b.end.format("%H:%M").to_string()).unwrap_or_default(),
                    stratum: plan.design.strata[a.stratum].name.clone(),
                    probability: a.probability,
                    enumerator,
                    session: sessions.get(&(point.id.clone(), day, a.block)).map(|s| s.session.id),
                    not_watched: sessions
                        .get(&(point.id.clone(), day, a.block))
                        .and_then(|s| s.session.not_watched.clone()),
                });
            }
        }
        out.sort_by(|a, b| (a.day, &a.start, &a.point).cmp(&(b.day, &b.start, &b.point)));
        Ok(out)
    }

    /// The sessions counted in a plan's sample, by point, day and block.
    pub(crate) async fn plan_sessions(
        &self,
        plan: &str,
    ) -> Result<BTreeMap<(String, NaiveDate, u32), KeptSession>, AppError> {
        let query = InformalQuery {
            kind: Some("session".into()),
            plan: Some(plan.into()),
            ..InformalQuery::default()
        };
        let mut out = BTreeMap::new();
        for r in self.store.informal_records(&query).await? {
            let s: KeptSession = from_json(&r)?;
            out.insert((s.session.point.clone(), s.session.day, s.session.block), s);
        }
        Ok(out)
    }

    /// Stores a count session. Sent again unchanged, nothing changes (`already_present`); sent
    /// changed, by whoever counted it or someone who plans, it is corrected. A session of a
    /// block drawn in a plan counts in its sample, once: a second session of the same block is
    /// refused.
    pub async fn record_session(&self, actor: &Actor, draft: &SessionDraft) -> Result<Stored, AppError> {
        let (point, point_record) = self.kept_point(&draft.point).await?;
        self.may(actor, Action::RecordCount, point_record.country)?;
        let session = CountSession {
            id: draft.id,
            point: point.point.id.clone(),
            day: draft.day,
            block: draft.block,
            enumerator: actor.name.clone(),
            groups: draft.groups,
            tallies: draft.tallies.clone(),
            note: text(&draft.note).map(String::from),
            not_watched: draft.not_watched.as_ref().map(|w| w.trim().to_string()),
            sent_at: draft.sent_at.unwrap_or_else(|| self.now()),
        };
        let today = self.now().date_naive().succ_opt().unwrap_or(NaiveDate::MAX);
        session.check(&point.point, today)?;
        let id = session.id.to_string();
        let stored = self.store.informal_record("session", &id).await?;
        if let Some(s) = &stored {
            let before: KeptSession = from_json(s)?;
            let same = CountSession {
                enumerator: before.session.enumerator.clone(),
                sent_at: before.session.sent_at,
                ..session.clone()
            };
            if same == before.session {
                return Ok(Stored { id, outcome: "already_present".into(), plan: before.plan, case: None });
            }
            let planner = can(actor, Action::ManageMonitoring, Resource::of(s.country)).allowed();
            if before.session.enumerator != actor.name && !planner {
                return Err(AppError::Conflict(format!(
                    "session {id} was sent by {} with other figures",
                    before.session.enumerator
                )));
            }
        }
        let plan = self.plan_of(point_record.country, &session).await?;
        let kept = KeptSession { session, plan: plan.clone() };
        let record = InformalRecord {
            kind: "session".into(),
            id: id.clone(),
            country: point_record.country,
            point: Some(kept.session.point.clone()),
            plan: plan.clone(),
            day: Some(kept.session.day.to_string()),
            state: if kept.session.not_watched.is_some() { "not_watched" } else { "active" }.into(),
            record: to_json(&kept)?,
            version: stored.as_ref().map_or(1, |s| s.version + 1),
        };
        let corrected = stored.is_some();
        self.save_informal(
            actor,
            &[record],
            if corrected { "informal.session_correct" } else { "informal.session" },
            json!({"point": kept.session.point, "day": kept.session.day, "block": kept.session.block, "persons": kept.session.persons(), "plan": plan}),
        )
        .await?;
        Ok(Stored { id, outcome: if corrected { "corrected" } else { "stored" }.into(), plan, case: None })
    }

    /// The plan whose sample holds the session's block, refusing a second session of it.
    async fn plan_of(
        &self,
        country: CountryCode,
        session: &CountSession,
    ) -> Result<Option<String>, AppError> {
        for plan in self.country_plans(country).await? {
            if session.day < plan.from || session.day > plan.to {
                continue;
            }
            let day = session.day.to_string();
            let drawn = plan.design.assignments.iter().any(|a| {
                let u = &plan.design.strata[a.stratum].units[a.unit];
                u.point == session.point && u.day == day && a.block == session.block
            });
            if !drawn {
                continue;
            }
            // The plan's sessions at this point on this day, not the whole plan's.
            let query = InformalQuery {
                kind: Some("session".into()),
                plan: Some(plan.id.clone()),
                point: Some(session.point.clone()),
                from_day: Some(day.clone()),
                to_day: Some(day),
                ..InformalQuery::default()
            };
            let same_day: Vec<KeptSession> =
                self.store.informal_records(&query).await?.iter().map(from_json).collect::<Result<_, _>>()?;
            if let Some(other) =
                same_day.iter().find(|o| o.session.block == session.block && o.session.id != session.id)
            {
                return Err(AppError::Conflict(format!(
                    "block {} at {} on {} was already counted (session {})",
                    session.block, session.point, session.day, other.session.id
                )));
            }
            return Ok(Some(plan.id));
        }
        Ok(None)
    }

    /// Stores an anonymous interview drawn in a count session: refused without consent. With
    /// consent to a referral and a protection concern, it opens a protection case in the
    /// country's pool with the name the person gave; the interview keeps only that it did.
    pub async fn record_interview(&self, actor: &Actor, draft: &InterviewDraft) -> Result<Stored, AppError> {
        let interview = &draft.interview;
        interview.check()?;
        let Some(session_record) =
            self.store.informal_record("session", &interview.session.to_string()).await?
        else {
            return Err(ValidationError::refused(
                "session",
                "the count session it was drawn in must be sent first",
                "primero debe enviarse la sesión de conteo en que se hizo",
            )
            .into());
        };
        self.may(actor, Action::RecordCount, session_record.country)?;
        let session: KeptSession = from_json(&session_record)?;
        let id = interview.id.to_string();
        let refer = if interview.may_refer() {
            Some(draft.refer.as_ref().ok_or_else(|| ValidationError::new("refer", Rule::Required))?)
        } else {
            None
        };
        // The anonymous answers are stored first, then the referral made and noted: a retry
        // after a failure in between finishes the referral, and never opens a second case.
        let (mut kept, record) = match self.store.informal_record("interview", &id).await? {
            Some(s) => {
                let before: KeptInterview = from_json(&s)?;
                if before.interview != *interview {
                    return Err(AppError::Conflict(format!("interview {id} was sent with other answers")));
                }
                if before.referred || refer.is_none() {
                    return Ok(Stored {
                        id,
                        outcome: "already_present".into(),
                        plan: session.plan,
                        case: None,
                    });
                }
                (before, s)
            }
            None => {
                let kept = KeptInterview {
                    interview: interview.clone(),
                    point: session.session.point.clone(),
                    day: session.session.day,
                    enumerator: actor.name.clone(),
                    referred: false,
                };
                let record = InformalRecord {
                    kind: "interview".into(),
                    id: id.clone(),
                    country: session_record.country,
                    point: Some(kept.point.clone()),
                    plan: session.plan.clone(),
                    day: Some(kept.day.to_string()),
                    state: "active".into(),
                    record: to_json(&kept)?,
                    version: 1,
                };
                self.save_informal(
                    actor,
                    std::slice::from_ref(&record),
                    "informal.interview",
                    json!({"session": interview.session, "referral": refer.is_some()}),
                )
                .await?;
                (kept, record)
            }
        };
        let Some(person) = refer else {
            return Ok(Stored { id, outcome: "stored".into(), plan: session.plan, case: None });
        };
        let mut person = person.clone();
        let seen = format!(
            "Referred from an interview at the informal crossing {} on {}{}.",
            session.session.point,
            session.session.day,
            interview.needs.as_deref().map(|n| format!("; needs: {n}")).unwrap_or_default()
        );
        person.note = Some(match text(&person.note) {
            Some(n) => format!("{seen} {n}"),
            None => seen,
        });
        person.crossing_id = None;
        let case = self.open_case_from_interview(actor, &person).await?.id;
        kept.referred = true;
        let record = InformalRecord { record: to_json(&kept)?, version: record.version + 1, ..record };
        self.save_informal(actor, &[record], "informal.interview_referred", json!({})).await?;
        Ok(Stored { id, outcome: "stored".into(), plan: session.plan, case: Some(case) })
    }

    /// The sessions of `country` from `from` through `to`, by day.
    pub async fn sessions(
        &self,
        actor: &Actor,
        country: Option<CountryCode>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<KeptSession>, AppError> {
        let country = country.unwrap_or(actor.scope.country);
        self.may_read_monitoring(actor, country)?;
        self.kept(country, "session", from, to).await
    }

    /// The interviews of `country` from `from` through `to`, by day: anonymous answers, for
    /// those who plan and read de-identified data.
    pub async fn interviews(
        &self,
        actor: &Actor,
        country: Option<CountryCode>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<KeptInterview>, AppError> {
        let country = country.unwrap_or(actor.scope.country);
        self.may(actor, Action::ReadDeidentified, country)?;
        self.kept(country, "interview", from, to).await
    }

    pub(crate) async fn kept<T: for<'de> Deserialize<'de>>(
        &self,
        country: CountryCode,
        kind: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<T>, AppError> {
        let query = InformalQuery {
            kind: Some(kind.into()),
            country: Some(country),
            from_day: Some(from.to_string()),
            to_day: Some(to.to_string()),
            ..InformalQuery::default()
        };
        self.store.informal_records(&query).await?.iter().map(from_json).collect()
    }
}

fn plan_record(plan: &MonitoringPlan, version: i64) -> Result<InformalRecord, AppError> {
    Ok(InformalRecord {
        kind: "plan".into(),
        id: plan.id.clone(),
        country: plan.country,
        point: None,
        plan: Some(plan.id.clone()),
        day: Some(plan.from.to_string()),
        state: "drawn".into(),
        record: to_json(plan)?,
        version,
    })
}
