//! The protection overview (counts, no names) and the retention of closed cases.

use chrono::{DateTime, Utc};
use frontera_domain::access::{Action, Actor, Resource, can};
use frontera_domain::audit::AuditDraft;
use frontera_domain::protection::{Event, Party, State};
use frontera_domain::{CountryCode, Rule, ValidationError};
use frontera_store::ProtectionQuery;
use serde::Serialize;
use serde_json::json;

use super::{Case, Referral, from_json};
use crate::{App, AppError};

/// The state of protection in a country, as counts: for protection officers and, under
/// disclosure control, the binational technical group.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Overview {
    /// The country.
    pub country: CountryCode,
    /// Open cases by profile and risk (a case counts once under each of its profiles).
    pub cases: crate::stats::CrossingStats,
    /// Referrals by state and receiving organisation.
    pub referrals: crate::stats::CrossingStats,
    /// Referrals whose answer is overdue now.
    pub overdue: u64,
    /// Median hours from request to acceptance, of those accepted.
    pub median_hours_to_acceptance: Option<f64>,
    /// Median hours from request to completion, of those completed.
    pub median_hours_to_completion: Option<f64>,
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) { (values[mid - 1] + values[mid]) / 2.0 } else { values[mid] })
}

/// What a purge did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Purged {
    /// Cases purged.
    pub cases: u64,
    /// Records deleted (cases, consents, referrals).
    pub records: u64,
    /// Referrals the other country's hub handed over, over and purged.
    pub handed_over: u64,
}

impl App {
    /// The overview of a country's protection work (default: the caller's): protection
    /// officers see their country's counts whole unless `public`; the binational group sees
    /// either country's only under disclosure control. No names. Audited.
    pub async fn protection_overview(
        &self,
        actor: &Actor,
        country: Option<&str>,
        public: bool,
    ) -> Result<Overview, AppError> {
        let country = match country.map(str::trim).filter(|c| !c.is_empty()) {
            Some(c) => CountryCode::parse_field(c, "country")?,
            None => actor.scope.country,
        };
        if !can(actor, Action::ReadProtectionOverview, Resource::of(country)).allowed() {
            return Err(AppError::Forbidden(format!(
                "the protection overview of {country} is outside your scope"
            )));
        }
        // Counts leave the country, or go to someone who reads no records, only protected.
        let public = public
            || !actor.is_console() && actor.scope.country != country
            || !can(actor, Action::ReadDeidentified, Resource::of(country)).allowed();
        let now = self.now();
        let query = ProtectionQuery { country: Some(country), ..ProtectionQuery::default() };
        let records = self.store.protection_records(&query).await?;
        let mut cases: std::collections::HashMap<Vec<String>, u64> = std::collections::HashMap::new();
        let mut referrals: std::collections::HashMap<Vec<String>, u64> = std::collections::HashMap::new();
        let (mut overdue, mut to_accept, mut to_complete) = (0u64, Vec::new(), Vec::new());
        for r in &records {
            match r.kind.as_str() {
                "case" => {
                    let case: Case = from_json(r)?;
                    if case.closed_at.is_none() {
                        for p in &case.profiles {
                            *cases
                                .entry(vec![p.as_str().to_string(), case.risk.as_str().to_string()])
                                .or_default() += 1;
                        }
                    }
                }
                "referral" => {
                    let referral: Referral = from_json(r)?;
                    let l = &referral.lifecycle;
                    *referrals
                        .entry(vec![l.state.as_str().to_string(), referral.receiver.0.clone()])
                        .or_default() += 1;
                    overdue += u64::from(l.is_overdue(now));
                    let hours = |e: &Event| {
                        l.steps
                            .iter()
                            .find(|s| std::mem::discriminant(&s.event) == std::mem::discriminant(e))
                            .map(|s| (s.at - l.requested_at).num_seconds() as f64 / 3600.0)
                    };
                    to_accept.extend(hours(&Event::Accept));
                    to_complete.extend(hours(&Event::Complete { feedback: String::new() }));
                }
                _ => {}
            }
        }
        let wrap = |t: frontera_stats::Table| {
            if public {
                crate::stats::CrossingStats::Controlled {
                    table: frontera_stats::protect(&t, self.disclosure_threshold),
                }
            } else {
                crate::stats::CrossingStats::None { table: t }
            }
        };
        let event = AuditDraft::new(
            &actor.name,
            "protection.overview",
            "table",
            "protection",
            Some(country.as_str()),
            json!({"public": public}),
        );
        self.store.append_audit(event).await?;
        Ok(Overview {
            country,
            cases: wrap(frontera_stats::Table::from_counts(&["profile", "risk"], cases)),
            referrals: wrap(frontera_stats::Table::from_counts(&["state", "organisation"], referrals)),
            overdue,
            median_hours_to_acceptance: median(to_accept),
            median_hours_to_completion: median(to_complete),
        })
    }
    /// Purges the cases closed more than `keep_days` days before `now`, with their consents
    /// and referrals, leaving only anonymous counts by the month each closed (cases by profile
    /// and by risk, referrals by how they ended). The node's console runs it; each purge is
    /// audited with the case's id and nothing that names anyone.
    pub async fn purge_closed_cases(
        &self,
        actor: &Actor,
        keep_days: u32,
        now: DateTime<Utc>,
    ) -> Result<Purged, AppError> {
        if !actor.is_console() {
            return Err(AppError::Forbidden("only the node's console purges protection records".into()));
        }
        if keep_days == 0 {
            return Err(ValidationError::new("keep_days", Rule::OutOfRange { min: 1, max: 36_500 }).into());
        }
        let cutoff = now - chrono::Duration::days(i64::from(keep_days));
        let query = ProtectionQuery {
            kind: Some("case".into()),
            states: vec!["closed".into()],
            ..ProtectionQuery::default()
        };
        let mut purged = Purged::default();
        for r in self.store.protection_records(&query).await? {
            let case: Case = from_json(&r)?;
            let Some(closed_at) = case.closed_at.filter(|c| *c < cutoff) else { continue };
            let month = closed_at.format("%Y-%m").to_string();
            let mut counts: Vec<(String, String, String, u64)> = case
                .profiles
                .iter()
                .map(|p| (month.clone(), "cases_by_profile".to_string(), p.as_str().to_string(), 1))
                .collect();
            counts.push((month.clone(), "cases_by_risk".into(), case.risk.as_str().into(), 1));
            let referrals = ProtectionQuery {
                kind: Some("referral".into()),
                case_id: Some(case.id.clone()),
                ..ProtectionQuery::default()
            };
            for rr in self.store.protection_records(&referrals).await? {
                let referral: Referral = from_json(&rr)?;
                let ended = referral.lifecycle.ending();
                counts.push((month.clone(), "referrals_by_outcome".into(), ended.as_str().into(), 1));
            }
            let event = AuditDraft::new(
                &actor.name,
                "case.purge",
                "case",
                &case.id,
                Some(case.country.as_str()),
                json!({"closed": month}),
            );
            purged.records += self.store.purge_protection(&case.id, &counts, event).await?;
            purged.cases += 1;
        }
        // The referrals handed over from the other hub have no case here: each goes once it is
        // over (closed or cancelled by the sender) and its last step is older than the cutoff.
        let handed = ProtectionQuery {
            kind: Some("referral".into()),
            states: vec![State::Closed.as_str().into(), State::Cancelled.as_str().into()],
            ..ProtectionQuery::default()
        };
        for r in self.store.protection_records(&handed).await? {
            let referral: Referral = from_json(&r)?;
            if !referral.exchange.is_some_and(|c| c.here == Party::Receiver) {
                continue;
            }
            let last = referral.lifecycle.steps.last().map_or(referral.lifecycle.requested_at, |s| s.at);
            if last >= cutoff {
                continue;
            }
            let month = last.format("%Y-%m").to_string();
            let ended = referral.lifecycle.ending();
            let counts =
                [(month.clone(), "handed_over_by_outcome".to_string(), ended.as_str().to_string(), 1)];
            let event = AuditDraft::new(
                &actor.name,
                "referral.purge",
                "referral",
                &referral.id,
                Some(r.country.as_str()),
                json!({"over": month}),
            );
            purged.records += self.store.purge_protection(&r.case_id, &counts, event).await?;
            purged.handed_over += 1;
        }
        if purged.records > 0 {
            self.store.compact_protection().await?;
        }
        Ok(purged)
    }

    /// The anonymous statistics purged cases left: (month, measure, value, count).
    pub async fn protection_statistics(&self) -> Result<Vec<(String, String, String, u64)>, AppError> {
        Ok(self.store.protection_statistics().await?)
    }
}
