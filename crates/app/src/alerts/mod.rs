//! Alert lists and screening: loading lists from the formats their keepers publish, keeping
//! entries by hand, screening a person or a crossing, and resolving the hits.

pub mod csv_list;
mod explain;
pub mod hits;
pub mod screener;
pub mod un_xml;

use frontera_domain::access::{Action, Actor, Decision, Resource, can};
use frontera_domain::alert::{AlertEntry, AlertKind, NameQuality, parse_list_name, parse_threshold};
use frontera_domain::audit::AuditDraft;
use frontera_domain::{CountryCode, Lang, PartialDate, Rule, ValidationError};
use frontera_matching::NameTokens;
use frontera_matching::screening::Query;
use frontera_store::{AlertListSettings, AlertQuery, StoredAlert};
use serde::{Deserialize, Serialize};

pub use explain::{Explanation, NameExplanation, TokenExplanation};
pub use hits::{HitView, ScreeningView, TravellerSummary};

use crate::formats::RowError;
use crate::{App, AppError};

/// The threshold a list gets unless it is given one.
pub const DEFAULT_THRESHOLD: f64 = 0.85;

/// How much a hit on a name the list itself calls weak (the UN list's `Low` aliases) counts less.
const WEAK_ALIAS_PENALTY: f64 = 0.05;

/// The formats a list is imported from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListFormat {
    /// The CSV of [`csv_list`].
    Csv,
    /// The UN Security Council Consolidated List's XML.
    UnXml,
}

impl ListFormat {
    /// Every format's name.
    pub const NAMES: &'static [&'static str] = &["csv", "un-xml"];

    /// Parse a format's name.
    pub fn parse(text: &str) -> Result<ListFormat, ValidationError> {
        match text.trim() {
            "csv" => Ok(ListFormat::Csv),
            "un-xml" => Ok(ListFormat::UnXml),
            _ => Err(ValidationError::new("format", Rule::OneOf { allowed: ListFormat::NAMES })),
        }
    }
}

/// A list's import as asked.
#[derive(Debug, Clone)]
pub struct ListImport {
    /// The list's name.
    pub list: String,
    /// The file's format.
    pub format: ListFormat,
    /// The kind of its entries (default: `travel_ban` for the UN list, else the list's kind, else
    /// `wanted`).
    pub kind: Option<String>,
    /// Its threshold (default: the list's, else [`DEFAULT_THRESHOLD`]).
    pub threshold: Option<f64>,
    /// Where the file came from (its name), kept with the list.
    pub source: Option<String>,
    /// Whose list it is (default: the actor's country).
    pub country: Option<String>,
    /// The language of the rows' error messages.
    pub lang: Lang,
}

/// What an import did, or why it did nothing.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListImportReport {
    /// The list.
    pub list: String,
    /// Entries the file holds.
    pub entries: usize,
    /// Entries new to the list.
    pub added: usize,
    /// Entries changed (retired ones brought back included).
    pub updated: usize,
    /// Entries as they were.
    pub unchanged: u64,
    /// Entries the file no longer holds, now retired.
    pub retired: usize,
    /// Organisations the UN list holds, left out (a border screens persons).
    pub entities_skipped: usize,
    /// Country names the file gives that this node does not know (left out of the entries).
    pub unknown_countries: Vec<String>,
    /// The bad rows; when there are any, nothing was stored.
    pub errors: Vec<RowError>,
}

/// An alert list as a user sees it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AlertListView {
    /// The country that keeps it.
    pub country: CountryCode,
    /// Its name.
    pub name: String,
    /// The kind of its entries unless they say otherwise.
    pub kind: AlertKind,
    /// The score at or above which a candidate is a hit.
    pub threshold: f64,
    /// Where its last import came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// When it last changed.
    pub updated_at: chrono::DateTime<chrono::Utc>,
    /// Entries in force or waiting to be.
    pub active: u64,
    /// Entries retired.
    pub retired: u64,
}

/// An alert entry as a user sees it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AlertView {
    /// The country whose list holds it.
    pub country: CountryCode,
    /// The list.
    pub list: String,
    /// The entry.
    pub entry: AlertEntry,
    /// When it was first stored.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When it last changed.
    pub updated_at: chrono::DateTime<chrono::Utc>,
    /// When it was retired.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retired_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl From<StoredAlert> for AlertView {
    fn from(s: StoredAlert) -> AlertView {
        AlertView {
            country: s.country,
            list: s.list,
            entry: s.entry,
            created_at: s.created_at,
            updated_at: s.updated_at,
            retired_at: s.retired_at,
        }
    }
}

/// A list's settings as sent.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AlertListDraft {
    /// The kind of its entries unless they say otherwise.
    pub kind: Option<String>,
    /// The score, above 0 and at most 1, at or above which a candidate is a hit.
    pub threshold: Option<f64>,
}

/// A person to screen, as the API and the console send them.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScreenRequest {
    /// The whole name, in any order (or give `given_names` and `surnames`).
    #[serde(default)]
    pub name: Option<String>,
    /// Given names.
    #[serde(default)]
    pub given_names: Option<String>,
    /// Surnames.
    #[serde(default)]
    pub surnames: Option<String>,
    /// Birth date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    #[serde(default)]
    pub birth_date: Option<String>,
    /// Nationality, ISO 3166-1 alpha-3.
    #[serde(default)]
    pub nationality: Option<String>,
    /// A document number.
    #[serde(default)]
    pub document: Option<String>,
    /// Sex: `F`, `M` or `X`.
    #[serde(default)]
    pub sex: Option<String>,
    /// Show the best N candidates whatever their score (1–100), not only the hits.
    #[serde(default)]
    pub candidates: Option<u32>,
    /// The country whose lists to screen against (default: the caller's).
    #[serde(default)]
    pub country: Option<String>,
}

/// What a screening found.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScreenResult {
    /// The hits (or, with `candidates`, the best candidates), best first.
    pub hits: Vec<HitView>,
    /// How many entries in force were screened against.
    pub entries: u64,
}

fn some(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl ScreenRequest {
    /// The screening query, checked.
    pub fn parse(&self) -> Result<(Query, Option<usize>), ValidationError> {
        let name = match (some(&self.name), some(&self.given_names), some(&self.surnames)) {
            (Some(n), None, None) => NameTokens::whole(n),
            (None, g, s) => NameTokens::new(g.unwrap_or(""), s.unwrap_or("")),
            (Some(_), _, _) => {
                return Err(ValidationError::new(
                    "name",
                    Rule::NotAllowedWith { other: "given_names or surnames" },
                ));
            }
        };
        for (field, value) in
            [("name", &self.name), ("given_names", &self.given_names), ("surnames", &self.surnames)]
        {
            if value.as_deref().is_some_and(|v| v.chars().count() > 200) {
                return Err(ValidationError::new(field, Rule::TooLong { max: 200 }));
            }
        }
        let document = some(&self.document).map(str::to_string);
        if let Some(d) = &document
            && d.chars().count() > 64
        {
            return Err(ValidationError::new("document", Rule::TooLong { max: 64 }));
        }
        if name.is_empty() && document.is_none() {
            return Err(ValidationError::new("name", Rule::Required));
        }
        let birth_date = some(&self.birth_date)
            .map(|b| PartialDate::parse(b).map_err(|r| ValidationError::new("birth_date", r)))
            .transpose()?;
        let nationality = some(&self.nationality)
            .map(|n| CountryCode::parse_field(n, "nationality").map(|c| c.as_str().to_string()))
            .transpose()?;
        let candidates = match self.candidates {
            None => None,
            Some(n) if (1..=100).contains(&n) => Some(n as usize),
            Some(_) => return Err(ValidationError::new("candidates", Rule::OutOfRange { min: 1, max: 100 })),
        };
        let sex = some(&self.sex)
            .map(|x| frontera_domain::Sex::parse(x).map_err(|r| ValidationError::new("sex", r)))
            .transpose()?;
        Ok((Query { name, birth_date, nationality, document, sex }, candidates))
    }
}

fn denied(decision: Decision, what: &str) -> AppError {
    match decision {
        Decision::DenyRole => AppError::Forbidden(format!("your role may not {what}")),
        _ => AppError::Forbidden(format!("{what} is outside your country")),
    }
}

fn audit(
    actor: &Actor,
    action: &str,
    kind: &str,
    id: &str,
    country: CountryCode,
    detail: serde_json::Value,
) -> AuditDraft {
    AuditDraft::new(&actor.name, action, kind, id, Some(country.as_str()), detail)
}

impl App {
    /// The country whose lists an actor means: the one named (the console may name any; others
    /// only their own), or their own.
    fn list_country(&self, actor: &Actor, named: Option<&str>) -> Result<CountryCode, AppError> {
        match named.map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(actor.scope.country),
            Some(text) => Ok(CountryCode::parse_field(text, "country")?),
        }
    }

    fn allow(&self, actor: &Actor, action: Action, country: CountryCode, what: &str) -> Result<(), AppError> {
        let decision = can(actor, action, Resource::of(country));
        if decision.allowed() { Ok(()) } else { Err(denied(decision, what)) }
    }

    /// Import a new version of a list from a file's text: entries new to it are added, changed
    /// ones updated and those it no longer holds retired, in one transaction; a file with a bad
    /// row stores nothing and names every bad row.
    pub async fn import_alert_list(
        &self,
        actor: &Actor,
        import: &ListImport,
        text: &str,
    ) -> Result<ListImportReport, AppError> {
        let country = self.list_country(actor, import.country.as_deref())?;
        self.allow(actor, Action::ManageAlerts, country, "import alert lists")?;
        let name = parse_list_name(&import.list).map_err(|r| ValidationError::new("list", r))?;
        let existing =
            self.store.alert_lists(Some(country)).await?.into_iter().find(|l| l.settings.name == name);
        let kind = match import.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
            Some(k) => AlertKind::parse(k).map_err(|r| ValidationError::new("kind", r))?,
            None => match (&existing, import.format) {
                (Some(l), _) => l.settings.kind,
                (None, ListFormat::UnXml) => AlertKind::TravelBan,
                (None, ListFormat::Csv) => AlertKind::Wanted,
            },
        };
        let threshold = match import.threshold {
            Some(t) => parse_threshold(t).map_err(|r| ValidationError::new("threshold", r))?,
            None => existing.as_ref().map_or(DEFAULT_THRESHOLD, |l| l.settings.threshold),
        };
        let mut report = ListImportReport { list: name.clone(), ..ListImportReport::default() };
        let entries = match import.format {
            ListFormat::UnXml => {
                let list = un_xml::parse(text)?;
                report.entities_skipped = list.entities;
                report.unknown_countries = list.unknown_countries.into_iter().collect();
                list.entries
            }
            ListFormat::Csv => match csv_list::parse(text, kind) {
                Ok(entries) => entries,
                Err(bad) => {
                    report.errors = bad
                        .into_iter()
                        .map(|b| RowError {
                            line: b.line,
                            field: b.error.field.clone(),
                            rule: b.error.rule.code(),
                            message: b.error.message(import.lang),
                        })
                        .collect();
                    return Ok(report);
                }
            },
        };
        report.entries = entries.len();
        let settings =
            AlertListSettings { country, name: name.clone(), kind, threshold, source: import.source.clone() };
        let event = audit(
            actor,
            "alerts.import",
            "alert_list",
            &name,
            country,
            serde_json::json!({"source": import.source, "entries": entries.len(), "kind": kind, "threshold": threshold}),
        );
        let changes = self.store.import_alerts(&settings, entries, self.now(), event).await?;
        report.added = changes.added.len();
        report.updated = changes.updated.len();
        report.unchanged = changes.unchanged;
        report.retired = changes.retired.len();
        self.alerts.rebuild(self.store.as_ref(), country).await?;
        Ok(report)
    }

    /// The alert lists of the actor's country.
    pub async fn alert_lists(&self, actor: &Actor) -> Result<Vec<AlertListView>, AppError> {
        let country = actor.scope.country;
        self.allow(actor, Action::Screen, country, "read alert lists")?;
        Ok(self
            .store
            .alert_lists(Some(country))
            .await?
            .into_iter()
            .map(|l| AlertListView {
                country: l.settings.country,
                name: l.settings.name,
                kind: l.settings.kind,
                threshold: l.settings.threshold,
                source: l.settings.source,
                updated_at: l.updated_at,
                active: l.active,
                retired: l.retired,
            })
            .collect())
    }

    /// Create a list of the actor's country, or change its kind and threshold.
    pub async fn save_alert_list(
        &self,
        actor: &Actor,
        name: &str,
        draft: &AlertListDraft,
    ) -> Result<AlertListView, AppError> {
        let country = actor.scope.country;
        self.allow(actor, Action::ManageAlerts, country, "change alert lists")?;
        let name = parse_list_name(name).map_err(|r| ValidationError::new("list", r))?;
        let existing =
            self.store.alert_lists(Some(country)).await?.into_iter().find(|l| l.settings.name == name);
        let kind = match draft.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
            Some(k) => AlertKind::parse(k).map_err(|r| ValidationError::new("kind", r))?,
            None => existing.as_ref().map_or(AlertKind::Wanted, |l| l.settings.kind),
        };
        let threshold = match draft.threshold {
            Some(t) => parse_threshold(t).map_err(|r| ValidationError::new("threshold", r))?,
            None => existing.as_ref().map_or(DEFAULT_THRESHOLD, |l| l.settings.threshold),
        };
        let settings = AlertListSettings { country, name: name.clone(), kind, threshold, source: None };
        let before = existing
            .as_ref()
            .map(|l| serde_json::json!({"kind": l.settings.kind, "threshold": l.settings.threshold}));
        let event = audit(
            actor,
            "alerts.list",
            "alert_list",
            &name,
            country,
            serde_json::json!({"kind": kind, "threshold": threshold, "before": before}),
        );
        self.store.save_alert_list(&settings, event).await?;
        self.alerts.rebuild(self.store.as_ref(), country).await?;
        self.alert_lists(actor)
            .await?
            .into_iter()
            .find(|l| l.name == name)
            .ok_or_else(|| AppError::NotFound(format!("alert list {name}")))
    }

    /// A page of a list's entries (of the actor's country), by reference, after `after`.
    pub async fn alerts_page(
        &self,
        actor: &Actor,
        list: &str,
        after: Option<&str>,
        include_retired: bool,
        limit: u32,
    ) -> Result<Vec<AlertView>, AppError> {
        let country = actor.scope.country;
        self.allow(actor, Action::Screen, country, "read alert lists")?;
        let list = parse_list_name(list).map_err(|r| ValidationError::new("list", r))?;
        if !(1..=1000).contains(&limit) {
            return Err(ValidationError::new("limit", Rule::OutOfRange { min: 1, max: 1000 }).into());
        }
        let query = AlertQuery {
            country: Some(country),
            list: Some(list.clone()),
            include_retired,
            after: after.map(|a| (list.clone(), a.to_string())),
            limit,
        };
        let page: Vec<AlertView> =
            self.store.alerts(&query).await?.into_iter().map(AlertView::from).collect();
        // The entries name wanted and missing people: the page read is audited, naming them.
        let shown: Vec<&str> = page.iter().map(|a| a.entry.reference.as_str()).collect();
        let event = crate::audit::list_read(actor, "alert.list_read", "alert_list", &list, country, &shown);
        self.store.append_audit(event).await?;
        Ok(page)
    }

    /// One entry of a list of the actor's country. Audited.
    pub async fn alert(&self, actor: &Actor, list: &str, reference: &str) -> Result<AlertView, AppError> {
        let country = actor.scope.country;
        self.allow(actor, Action::Screen, country, "read alert lists")?;
        let stored = self.store.alert(country, list, reference).await?;
        let view = stored
            .map(AlertView::from)
            .ok_or_else(|| AppError::NotFound(format!("alert {list}/{reference}")))?;
        let event = AuditDraft::new(
            &actor.name,
            "alert.read",
            "alert",
            format!("{list}/{reference}"),
            Some(country.as_str()),
            serde_json::json!({}),
        );
        self.store.append_audit(event).await?;
        Ok(view)
    }

    /// Add an entry to a list of the actor's country (`create`), or change one.
    pub async fn save_alert(
        &self,
        actor: &Actor,
        list: &str,
        entry: &AlertEntry,
        create: bool,
    ) -> Result<AlertView, AppError> {
        let country = actor.scope.country;
        self.allow(actor, Action::ManageAlerts, country, "change alert lists")?;
        let list = parse_list_name(list).map_err(|r| ValidationError::new("list", r))?;
        let mut entry = entry.clone();
        entry.reference = entry.reference.trim().to_string();
        entry.validate()?;
        let before = if create { None } else { self.store.alert(country, &list, &entry.reference).await? };
        let event = audit(
            actor,
            if create { "alerts.create" } else { "alerts.update" },
            "alert",
            &format!("{list}/{}", entry.reference),
            country,
            serde_json::json!({"before": before.map(|b| b.entry), "after": &entry}),
        );
        let stored = self.store.save_alert(country, &list, &entry, create, self.now(), event).await?;
        self.alerts.rebuild(self.store.as_ref(), country).await?;
        Ok(stored.into())
    }

    /// Retire an entry of a list of the actor's country.
    pub async fn retire_alert(
        &self,
        actor: &Actor,
        list: &str,
        reference: &str,
    ) -> Result<AlertView, AppError> {
        let country = actor.scope.country;
        self.allow(actor, Action::ManageAlerts, country, "change alert lists")?;
        let event = audit(
            actor,
            "alerts.retire",
            "alert",
            &format!("{list}/{reference}"),
            country,
            serde_json::json!({}),
        );
        let stored = self.store.retire_alert(country, list, reference, self.now(), event).await?;
        self.alerts.rebuild(self.store.as_ref(), country).await?;
        Ok(stored.into())
    }

    /// Screen a person against a country's lists: the hits, best first (or the best candidates).
    pub async fn screen(&self, actor: &Actor, request: &ScreenRequest) -> Result<ScreenResult, AppError> {
        let country = self.list_country(actor, request.country.as_deref())?;
        self.allow(actor, Action::Screen, country, "screen against the alert lists")?;
        let (query, candidates) = request.parse()?;
        let (hits, entries) = self.screen_query(country, &query, candidates).await?;
        let refs: Vec<String> =
            hits.iter().filter(|h| h.hit).map(|h| format!("{}/{}", h.list, h.reference)).collect();
        let event = audit(
            actor,
            "alerts.screen",
            "screening",
            "query",
            country,
            serde_json::json!({"hits": refs, "candidates": candidates}),
        );
        self.store.append_audit(event).await?;
        Ok(ScreenResult { hits, entries })
    }

    /// The hits of `query` against `country`'s lists in force today, best first; with
    /// `candidates`, the best that many whatever their score. Also the number of entries in force.
    pub(crate) async fn screen_query(
        &self,
        country: CountryCode,
        query: &Query,
        candidates: Option<usize>,
    ) -> Result<(Vec<HitView>, u64), AppError> {
        let lists = self.alerts.lists(self.store.as_ref(), country).await?;
        let today = self.now().date_naive();
        let (min, limit) = match candidates {
            Some(n) => (0.0, n * 4 + 20),
            None => ((lists.lowest_threshold() - WEAK_ALIAS_PENALTY).max(0.0), 200),
        };
        let found = {
            let lists = std::sync::Arc::clone(&lists);
            let query = query.clone();
            tokio::task::spawn_blocking(move || lists.index.screen(&query, min, limit))
                .await
                .map_err(|e| AppError::Internal(format!("screening: {e}")))?
        };
        let mut hits: Vec<HitView> = found
            .into_iter()
            .filter_map(|c| {
                let info = lists.info.get(c.entry)?;
                if !info.in_force(today) {
                    return None;
                }
                let quality =
                    info.qualities.get(c.explanation.name_index).copied().unwrap_or(NameQuality::Primary);
                let weak = quality == NameQuality::Low && c.explanation.document.is_none();
                let score = if weak { (c.score - WEAK_ALIAS_PENALTY).max(0.0) } else { c.score };
                let threshold = lists.threshold(&info.list);
                let listed = lists.index.entries().get(c.entry)?;
                let matched_name = info.names.get(c.explanation.name_index).cloned().unwrap_or_default();
                let explanation =
                    Explanation::of(&c.explanation, matched_name, quality, listed.names.is_empty());
                Some(HitView {
                    score: (score * 1000.0).round() / 1000.0,
                    list: info.list.clone(),
                    reference: info.reference.clone(),
                    kind: info.kind,
                    action: info.action,
                    names: info.names.clone(),
                    explanation,
                    threshold,
                    hit: score >= threshold,
                    ..HitView::default()
                })
            })
            .filter(|h| candidates.is_some() || h.hit)
            .collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.reference.cmp(&b.reference)));
        hits.truncate(candidates.unwrap_or(100));
        let entries = lists.in_force(today);
        Ok((hits, entries))
    }
}
