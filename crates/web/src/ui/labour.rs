//! The labour registry in the browser, for each country's registrar: workers found and
//! registered, a worker's file (permits and their changes, crossings, the counter's checks),
//! employers, seasonal demand against permits and crossings, the registry's files, and the
//! counter's checks (which a post's supervisor reads too).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use frontera_app::labour::{
    CheckQuery, CounterCheck, Demand, DemandDraft, DemandReport, DemandReportRequest, EmployerDraft,
    PermitDraft, RegistryFile, SheetFormat, WorkerDraft, WorkerQuery,
};
use frontera_app::{App, AppError};
use frontera_domain::labour::{PERMIT_KINDS, PermitEvent, PermitState, REGIONS, SECTORS};
use frontera_domain::{Lang, Rule, ValidationError};
use serde::Deserialize;

use super::guard::Guarded;
use super::i18n::Tr;
use super::protection::{back_or_error, opt, repeated};
use super::session::Viewer;
use super::shell::Choice;
use super::shell::{Bar, date, datetime, error_page, form_expired, may, page};

/// A choice of a select, none chosen beforehand (the templates compare values).
fn choice(value: &str, label: String) -> Choice {
    Choice { value: value.to_string(), label, selected: false }
}

fn sectors(lang: Lang) -> Vec<Choice> {
    SECTORS
        .iter()
        .map(|(code, en, es)| choice(code, format!("{code} — {}", if lang == Lang::Es { es } else { en })))
        .collect()
}

fn regions(prefix: &str) -> Vec<Choice> {
    REGIONS
        .iter()
        .filter(|r| r.0.starts_with(prefix))
        .map(|r| choice(r.0, format!("{} ({})", r.1, r.0)))
        .collect()
}

fn sector_name(lang: Lang, code: &str) -> String {
    SECTORS
        .iter()
        .find(|s| s.0 == code)
        .map_or(code.to_string(), |s| format!("{code} — {}", if lang == Lang::Es { s.2 } else { s.1 }))
}

fn kind_name(lang: Lang, code: &str) -> String {
    frontera_domain::labour::PermitKind::parse(code).map_or(code.to_string(), |k| k.name(lang).to_string())
}

/// Only the country's registrar keeps the registry.
fn registrar(viewer: &Viewer) -> Result<(), AppError> {
    if super::shell::may(&viewer.actor, frontera_domain::Action::ManageLabour) {
        Ok(())
    } else {
        Err(AppError::Forbidden("the labour registry is not yours to keep".into()))
    }
}

/// A worker as lists show them.
pub(super) struct WorkerLine {
    id: String,
    name: String,
    nationality: String,
    document: String,
    birth: String,
}

/// An employer as lists show them.
pub(super) struct EmployerLine {
    id: String,
    name: String,
    registration: String,
    sector: String,
    region: String,
}

#[derive(Template)]
#[template(path = "labour.html")]
struct RegistryPage {
    tr: Tr,
    bar: Option<Bar>,
    next: String,
    csrf: String,
    q: String,
    employer: String,
    sector: String,
    status: String,
    statuses: Vec<Choice>,
    searched: bool,
    workers: Vec<WorkerLine>,
    employers: Vec<EmployerLine>,
    sectors: Vec<Choice>,
    regions: Vec<Choice>,
    done: Option<String>,
}

/// What the registry's page asks.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RegistryQuery {
    q: String,
    employer: String,
    sector: String,
    status: String,
    done: String,
}

fn done_text(tr: Tr, done: &str) -> Option<String> {
    match done {
        "" => None,
        "worker" | "employer" | "permit" | "demand" | "change" => Some(tr.t(&format!("labour-done-{done}"))),
        other => Some(other.to_string()),
    }
}

/// The registry's home: workers found, employers, the forms that register them, the files.
pub async fn registry(State(app): State<App>, viewer: Viewer, Query(q): Query<RegistryQuery>) -> Response {
    let tr = viewer.tr;
    if let Err(e) = registrar(&viewer) {
        return error_page(tr, Bar::of(&viewer), &e);
    }
    let searched = [&q.q, &q.employer, &q.sector, &q.status].iter().any(|v| !v.trim().is_empty());
    let query = WorkerQuery {
        q: opt(&q.q),
        employer: opt(&q.employer),
        sector: opt(&q.sector),
        status: opt(&q.status),
    };
    let found = if searched { app.find_workers(&viewer.actor, &query).await } else { Ok(Vec::new()) };
    let employers = app.employers(&viewer.actor).await;
    let (found, employers) = match (found, employers) {
        (Ok(f), Ok(e)) => (f, e),
        (Err(e), _) | (_, Err(e)) => return error_page(tr, Bar::of(&viewer), &e),
    };
    let prefix = viewer.actor.scope.country.info().map_or("", |i| i.alpha2);
    page(
        StatusCode::OK,
        &RegistryPage {
            tr,
            bar: Bar::of(&viewer),
            next: "/labour".into(),
            csrf: viewer.session.csrf_token.clone(),
            q: q.q.clone(),
            employer: q.employer.clone(),
            sector: q.sector.clone(),
            status: q.status.clone(),
            statuses: PermitState::NAMES
                .iter()
                .map(|s| choice(s, tr.t(&format!("permit-state-{s}"))))
                .collect(),
            searched,
            workers: found
                .into_iter()
                .map(|w| WorkerLine {
                    id: w.id,
                    name: format!("{}, {}", w.surnames, w.given_names),
                    nationality: w.nationality.to_string(),
                    document: format!("{} {}", w.document_kind.as_str(), w.document_number),
                    birth: w.birth_date.map(|b| b.to_string()).unwrap_or_default(),
                })
                .collect(),
            employers: employers
                .into_iter()
                .map(|e| EmployerLine {
                    id: e.id,
                    name: e.name,
                    registration: e.registration,
                    sector: sector_name(tr.lang, &e.sector),
                    region: e.region,
                })
                .collect(),
            sectors: sectors(tr.lang),
            regions: regions(prefix),
            done: done_text(tr, &q.done),
        },
    )
}

/// Every form of the registry's pages, its fields as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LabourForm {
    csrf: String,
    // A worker.
    given_names: String,
    surnames: String,
    birth_date: String,
    sex: String,
    nationality: String,
    document_kind: String,
    document_number: String,
    issuing_state: String,
    person_id: String,
    // An employer.
    name: String,
    registration: String,
    sector: String,
    region: String,
    // A permit and its changes.
    kind: String,
    worker_id: String,
    card_number: String,
    event: String,
    valid_from: String,
    valid_until: String,
    reason: String,
    // Demand.
    employer_id: String,
    requester: String,
    workers: String,
    from: String,
    to: String,
    note: String,
}

/// A registry form posted: `worker`, `employer`, `permit`, `demand`, or `change-{permit}`.
pub async fn act(
    State(app): State<App>,
    Path(action): Path<String>,
    Guarded { viewer, form, body }: Guarded<LabourForm>,
) -> Response {
    let a = &viewer.actor;
    let result: Result<String, AppError> = match action.as_str() {
        "worker" => {
            let draft = WorkerDraft {
                given_names: opt(&form.given_names),
                surnames: opt(&form.surnames),
                birth_date: opt(&form.birth_date),
                sex: opt(&form.sex),
                nationality: opt(&form.nationality),
                document_number: opt(&form.document_number),
                document_kind: opt(&form.document_kind),
                issuing_state: opt(&form.issuing_state),
                person_id: opt(&form.person_id),
            };
            app.register_worker(a, &draft).await.map(|w| format!("/labour/workers/{}?done=worker", w.id))
        }
        "employer" => {
            let draft = EmployerDraft {
                name: opt(&form.name),
                registration: opt(&form.registration),
                sector: opt(&form.sector),
                region: opt(&form.region),
            };
            app.register_employer(a, &draft).await.map(|_| "/labour?done=employer".to_string())
        }
        "permit" => {
            let draft = PermitDraft {
                kind: opt(&form.kind),
                worker_id: opt(&form.worker_id),
                employer_ids: repeated(&body, "employer_ids").into_iter().filter(|e| !e.is_empty()).collect(),
                sector: opt(&form.sector),
                regions: repeated(&body, "regions").into_iter().filter(|r| !r.is_empty()).collect(),
                card_number: opt(&form.card_number),
            };
            app.apply_permit(a, &draft).await.map(|p| format!("/labour/workers/{}?done=permit", p.worker_id))
        }
        "demand" => {
            let draft = DemandDraft {
                employer_id: opt(&form.employer_id),
                requester: opt(&form.requester),
                sector: opt(&form.sector),
                workers: match form.workers.trim() {
                    "" => None,
                    n => match n.parse::<u32>() {
                        Ok(n) => Some(n),
                        Err(_) => {
                            let e =
                                ValidationError::new("workers", Rule::OutOfRange { min: 1, max: 100_000 });
                            return error_page(viewer.tr, Bar::of(&viewer), &AppError::Invalid(e));
                        }
                    },
                },
                from: opt(&form.from),
                to: opt(&form.to),
                region: opt(&form.region),
                note: opt(&form.note),
            };
            app.register_demand(a, &draft).await.map(|_| "/labour/demand?done=demand".to_string())
        }
        other => match other.strip_prefix("change-") {
            Some(permit) => match permit_event(&form) {
                Ok(event) => app
                    .change_permit(a, permit, event)
                    .await
                    .map(|p| format!("/labour/workers/{}?done=change", p.worker_id)),
                Err(e) => Err(AppError::Invalid(e)),
            },
            None => Err(AppError::NotFound(format!("action {other}"))),
        },
    };
    back_or_error(&viewer, result)
}

fn day(text: &str, field: &str) -> Result<NaiveDate, ValidationError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| match text.trim() {
        "" => ValidationError::new(field, Rule::Required),
        _ => ValidationError::new(field, Rule::syntax("a day, YYYY-MM-DD", "un día, AAAA-MM-DD")),
    })
}

/// The change a permit's form asks for.
fn permit_event(form: &LabourForm) -> Result<PermitEvent, ValidationError> {
    Ok(match form.event.as_str() {
        "issue" => PermitEvent::Issue {
            valid_from: day(&form.valid_from, "valid_from")?,
            valid_until: day(&form.valid_until, "valid_until")?,
        },
        "renew" => PermitEvent::Renew { valid_until: day(&form.valid_until, "valid_until")? },
        "expire" => PermitEvent::Expire,
        "refuse" => PermitEvent::Refuse { reason: form.reason.trim().to_string() },
        "revoke" => PermitEvent::Revoke { reason: form.reason.trim().to_string() },
        _ => {
            return Err(ValidationError::new(
                "event",
                Rule::OneOf { allowed: &["issue", "renew", "expire", "refuse", "revoke"] },
            ));
        }
    })
}

/// A permit as the worker's page shows it.
pub(super) struct PermitLine {
    id: String,
    kind: String,
    state: String,
    state_code: String,
    valid: String,
    regions: String,
    sector: String,
    employers: String,
    card: String,
    reason: String,
    changes: Vec<String>,
    /// The changes its state allows: `issue`, `refuse`, `renew`, `expire`, `revoke`.
    allows: Vec<&'static str>,
}

/// A crossing as the worker's page lists it.
pub(super) struct CrossingLine {
    when: String,
    port: String,
    direction: String,
    category: String,
    document: String,
}

/// A counter check as pages list it.
pub(super) struct CheckLine {
    when: String,
    port: String,
    document: String,
    status: String,
    state: String,
    decision: String,
    worker: Option<String>,
}

#[derive(Template)]
#[template(path = "labour_worker.html")]
struct WorkerPage {
    tr: Tr,
    bar: Option<Bar>,
    next: String,
    csrf: String,
    id: String,
    name: String,
    facts: Vec<(String, String)>,
    permits: Vec<PermitLine>,
    crossings: Vec<CrossingLine>,
    checks: Vec<CheckLine>,
    kinds: Vec<Choice>,
    employers: Vec<Choice>,
    regions: Vec<Choice>,
    done: Option<String>,
}

fn check_line(app: &App, tr: Tr, c: &CounterCheck, link: bool) -> CheckLine {
    let zone = app.ports.all().find(|p| p.id.as_str() == c.port_id);
    CheckLine {
        when: datetime(tr.lang, c.occurred_at.with_timezone(&zone.map_or(chrono_tz::UTC, |p| p.time_zone))),
        port: zone.map_or(c.port_id.clone(), |p| p.name.clone()),
        document: c.document_number.clone(),
        status: tr.t(&format!("permit-check-{}", c.check.status())),
        state: c.state().to_string(),
        decision: c
            .decision
            .as_ref()
            .map(|d| {
                tr.t_args(
                    "permit-decided",
                    &[
                        ("decision", d.decision.as_str().into()),
                        ("by", d.by.clone().into()),
                        ("reason", d.reason.clone().into()),
                    ],
                )
            })
            .unwrap_or_default(),
        worker: c.worker_id.clone().filter(|_| link),
    }
}

/// A worker's file.
pub async fn worker(
    State(app): State<App>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<RegistryQuery>,
) -> Response {
    let tr = viewer.tr;
    let file = match app.worker_file(&viewer.actor, &id).await {
        Ok(f) => f,
        Err(e) => return error_page(tr, Bar::of(&viewer), &e),
    };
    let all_employers = app.employers(&viewer.actor).await.unwrap_or_default();
    let w = &file.worker;
    let lang = tr.lang;
    let facts = vec![
        (tr.t("field-given_names"), w.given_names.clone()),
        (tr.t("labour-surnames"), w.surnames.clone()),
        (tr.t("field-birth_date"), w.birth_date.map(|b| b.to_string()).unwrap_or_default()),
        (tr.t("field-sex"), w.sex.code().to_string()),
        (tr.t("field-nationality"), w.nationality.to_string()),
        (
            tr.t("field-document_number"),
            format!("{} {} ({})", w.document_kind.as_str(), w.document_number, w.issuing_state),
        ),
    ];
    let employer_name =
        |id: &str| file.employers.iter().find(|e| e.id == id).map_or(id.to_string(), |e| e.name.clone());
    let permits = file
        .permits
        .iter()
        .map(|p| {
            let allows: Vec<&'static str> = match p.life.state {
                PermitState::Applied => vec!["issue", "refuse"],
                PermitState::Issued | PermitState::Renewed => vec!["renew", "expire", "revoke"],
                PermitState::Expired => vec!["renew"],
                PermitState::Refused | PermitState::Revoked => vec![],
            };
            PermitLine {
                id: p.id.clone(),
                kind: kind_name(lang, &p.kind),
                state: tr.t(&format!("permit-state-{}", p.life.state.as_str())),
                state_code: p.life.state.as_str().into(),
                valid: match (p.life.valid_from, p.life.valid_until) {
                    (Some(f), Some(u)) => format!("{} – {}", date(lang, f), date(lang, u)),
                    _ => String::new(),
                },
                regions: p.regions.join(", "),
                sector: sector_name(lang, &p.sector),
                employers: p.employer_ids.iter().map(|e| employer_name(e)).collect::<Vec<_>>().join(", "),
                card: p.card_number.clone().unwrap_or_default(),
                reason: p.reason.clone().unwrap_or_default(),
                changes: p
                    .life
                    .changes
                    .iter()
                    .map(|c| {
                        format!(
                            "{} · {} → {}",
                            date(lang, c.at.date_naive()),
                            tr.t(&format!("permit-event-{}", c.event.name())),
                            tr.t(&format!("permit-state-{}", c.state.as_str()))
                        )
                    })
                    .collect(),
                allows,
            }
        })
        .collect();
    let crossings = file
        .crossings
        .iter()
        .take(100)
        .map(|c| {
            let port = app.ports.all().find(|p| p.id.as_str() == c.port_id);
            CrossingLine {
                when: datetime(
                    lang,
                    c.occurred_at.with_timezone(&port.map_or(chrono_tz::UTC, |p| p.time_zone)),
                ),
                port: port.map_or(c.port_id.clone(), |p| p.name.clone()),
                direction: tr.t(&format!("direction-{}", c.direction)),
                category: tr.t(&format!("category-{}", c.category)),
                document: tr.t(&format!("document-{}", c.document_kind)),
            }
        })
        .collect();
    let prefix = w.country.info().map_or("", |i| i.alpha2);
    page(
        StatusCode::OK,
        &WorkerPage {
            tr,
            bar: Bar::of(&viewer),
            next: format!("/labour/workers/{id}"),
            csrf: viewer.session.csrf_token.clone(),
            id: w.id.clone(),
            name: format!("{} {}", w.given_names, w.surnames),
            facts,
            permits,
            crossings,
            checks: file.checks.iter().map(|c| check_line(&app, tr, c, false)).collect(),
            kinds: PERMIT_KINDS
                .iter()
                .filter(|k| k.country == w.country)
                .map(|k| choice(k.code, k.name(lang).into()))
                .collect(),
            employers: all_employers
                .iter()
                .map(|e| choice(&e.id, format!("{} ({})", e.name, e.registration)))
                .collect(),
            regions: regions(prefix),
            done: done_text(tr, &q.done),
        },
    )
}

/// A month of the demand report, as shown.
pub(super) struct MonthLine {
    month: String,
    demanded: u64,
    in_force: u64,
    issued: u64,
    crossing: u64,
    gap: u64,
}

#[derive(Template)]
#[template(path = "labour_demand.html")]
struct DemandPage {
    tr: Tr,
    bar: Option<Bar>,
    next: String,
    csrf: String,
    employer: bool,
    from: String,
    to: String,
    sector: String,
    region: String,
    months: Vec<MonthLine>,
    demands: Vec<(String, String, String, u32, String, String)>,
    sectors: Vec<Choice>,
    regions: Vec<Choice>,
    employers: Vec<Choice>,
    done: Option<String>,
}

/// What the demand page asks.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DemandQuery {
    from: String,
    to: String,
    sector: String,
    region: String,
    done: String,
}

/// Seasonal demand against permits and crossings, month by month, and the form that records
/// more.
pub async fn demand(State(app): State<App>, viewer: Viewer, Query(q): Query<DemandQuery>) -> Response {
    let tr = viewer.tr;
    let request = DemandReportRequest {
        from: opt(&q.from),
        to: opt(&q.to),
        sector: opt(&q.sector),
        region: opt(&q.region),
    };
    // An employer sees and declares its own demand; the registrar, everyone's against the
    // registry's figures.
    let employer = !may(&viewer.actor, frontera_domain::Action::ManageLabour);
    let figures = async {
        if employer {
            return Ok((None, Vec::new()));
        }
        Ok::<_, AppError>((
            Some(app.demand_report(&viewer.actor, &request).await?),
            app.employers(&viewer.actor).await?,
        ))
    };
    let (report, demands, employers): (Option<DemandReport>, Vec<Demand>, _) =
        match (figures.await, app.demands(&viewer.actor).await) {
            (Ok((r, e)), Ok(d)) => (r, d, e),
            (Err(e), _) | (_, Err(e)) => return error_page(tr, Bar::of(&viewer), &e),
        };
    let months = report.as_ref().map(|r| r.months.as_slice()).unwrap_or_default();
    let prefix = viewer.actor.scope.country.info().map_or("", |i| i.alpha2);
    page(
        StatusCode::OK,
        &DemandPage {
            tr,
            bar: Bar::of(&viewer),
            next: "/labour/demand".into(),
            csrf: viewer.session.csrf_token.clone(),
            employer,
            from: months.first().map(|m| m.month.clone()).unwrap_or_default(),
            to: months.last().map(|m| m.month.clone()).unwrap_or_default(),
            sector: q.sector.clone(),
            region: q.region.clone(),
            months: months
                .iter()
                .map(|m| MonthLine {
                    month: m.month.clone(),
                    demanded: m.demanded,
                    in_force: m.permits_in_force,
                    issued: m.permits_issued,
                    crossing: m.workers_crossing,
                    gap: m.gap,
                })
                .collect(),
            demands: demands
                .into_iter()
                .map(|d| (d.requester, sector_name(tr.lang, &d.sector), d.region, d.workers, d.from, d.to))
                .collect(),
            sectors: sectors(tr.lang),
            regions: regions(prefix),
            employers: employers.iter().map(|e| choice(&e.id, e.name.clone())).collect(),
            done: done_text(tr, &q.done),
        },
    )
}

#[derive(Template)]
#[template(path = "labour_checks.html")]
struct ChecksPage {
    tr: Tr,
    bar: Option<Bar>,
    next: String,
    state: String,
    states: Vec<Choice>,
    checks: Vec<CheckLine>,
    registrar: bool,
}

/// What the checks page asks.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ChecksQuery {
    state: String,
}

/// The counter's permit checks: the registrar's country's, a post supervisor's post's.
pub async fn checks(State(app): State<App>, viewer: Viewer, Query(q): Query<ChecksQuery>) -> Response {
    let tr = viewer.tr;
    let query = CheckQuery { state: opt(&q.state), limit: Some(500) };
    let registrar = super::shell::may(&viewer.actor, frontera_domain::Action::ManageLabour);
    let found = match app.permit_checks(&viewer.actor, &query).await {
        Ok(c) => c,
        Err(e) => return error_page(tr, Bar::of(&viewer), &e),
    };
    page(
        StatusCode::OK,
        &ChecksPage {
            tr,
            bar: Bar::of(&viewer),
            next: "/labour/checks".into(),
            state: q.state.clone(),
            states: ["pending", "refuse", "admit", "clear"]
                .iter()
                .map(|s| choice(s, tr.t(&format!("permit-check-state-{s}"))))
                .collect(),
            checks: found.iter().map(|c| check_line(&app, tr, c, registrar)).collect(),
            registrar,
        },
    )
}

/// What an export asks.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ExportQuery {
    format: String,
}

/// The registry's employers, workers or permits as a download.
pub async fn export(
    State(app): State<App>,
    viewer: Viewer,
    Path(file): Path<String>,
    Query(q): Query<ExportQuery>,
) -> Response {
    let tr = viewer.tr;
    let result = async {
        let which = RegistryFile::parse(&file)?;
        let format = SheetFormat::parse(if q.format.is_empty() { "csv" } else { &q.format })?;
        let bytes = app.export_registry(&viewer.actor, which, format).await?;
        Ok::<_, AppError>((which, format, bytes))
    }
    .await;
    match result {
        Ok((which, format, bytes)) => {
            let ext = if format == SheetFormat::Xlsx { "xlsx" } else { "csv" };
            let disposition = format!("attachment; filename=\"{}.{ext}\"", which.as_str());
            (
                [
                    (header::CONTENT_TYPE, format.content_type().to_string()),
                    (header::CONTENT_DISPOSITION, disposition),
                ],
                bytes,
            )
                .into_response()
        }
        Err(e) => error_page(tr, Bar::of(&viewer), &e),
    }
}

#[derive(Template)]
#[template(path = "labour_import.html")]
struct ImportPage {
    tr: Tr,
    bar: Option<Bar>,
    next: String,
    file: String,
    summary: String,
    errors: Vec<(u64, String, String)>,
    error_count: u64,
}

/// Imports a file into the registry (`multipart/form-data`: `csrf`, `file` the registry part,
/// `upload` the file): all or nothing; the rows at fault listed by line and column.
pub async fn import(
    State(app): State<App>,
    viewer: Viewer,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let tr = viewer.tr;
    let unreadable = || {
        AppError::Invalid(ValidationError::new(
            "upload",
            Rule::syntax("the file could not be read", "no se pudo leer el archivo"),
        ))
    };
    let Some(fields) = super::shell::posted(multipart).await else {
        return error_page(tr, Bar::of(&viewer), &unreadable());
    };
    if !viewer.csrf_ok(&fields.get("csrf").map(super::shell::Part::text).unwrap_or_default()) {
        return form_expired(&viewer, "/labour");
    }
    let which = fields.get("file").map(super::shell::Part::text).unwrap_or_default();
    let bytes = fields.get("upload").map(|p| p.bytes.clone());
    let result = async {
        let part = RegistryFile::parse(&which)?;
        let bytes =
            bytes.filter(|b| !b.is_empty()).ok_or_else(|| ValidationError::new("upload", Rule::Required))?;
        app.import_registry(&viewer.actor, part, &bytes, false, tr.lang).await
    }
    .await;
    match result {
        Ok(r) => {
            let status = if r.error_count > 0 { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
            page(
                status,
                &ImportPage {
                    tr,
                    bar: Bar::of(&viewer),
                    next: "/labour".into(),
                    file: tr.t(&format!("labour-file-{which}")),
                    summary: if r.error_count > 0 {
                        tr.t_args(
                            "labour-import-refused",
                            &[("bad", r.error_count.into()), ("rows", r.rows.into())],
                        )
                    } else {
                        tr.t_args(
                            "labour-import-done",
                            &[
                                ("rows", r.rows.into()),
                                ("imported", r.imported.into()),
                                ("already", r.already_present.into()),
                            ],
                        )
                    },
                    errors: r.errors.into_iter().map(|e| (e.line, e.field, e.message)).collect(),
                    error_count: r.error_count,
                },
            )
        }
        Err(e) => error_page(tr, Bar::of(&viewer), &e),
    }
}

/// What a figure's download asks.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FigureQuery {
    by: String,
}

/// The registry's figures as CSV downloads: `permits` (in force today), `holders` (crossings of
/// permit holders), `commuting` and `circularity` (border workers), each by `by` or by its
/// usual breakdown.
pub async fn figures(
    State(app): State<App>,
    viewer: Viewer,
    Path(name): Path<String>,
    Query(q): Query<FigureQuery>,
) -> Response {
    use frontera_app::labour::{HolderCrossingsRequest, PermitTableRequest};
    use frontera_app::stats::TableFormat;
    use frontera_app::stats::stays::{Study, StudyRequest};
    let tr = viewer.tr;
    let by = |default: &str| Some(if q.by.trim().is_empty() { default.to_string() } else { q.by.clone() });
    let a = &viewer.actor;
    let result: Result<Vec<u8>, AppError> = async {
        let mut out = Vec::new();
        match name.trim_end_matches(".csv") {
            "permits" => {
                let request =
                    PermitTableRequest { by: by("kind,sector,region"), ..PermitTableRequest::default() };
                app.permit_table(a, &request).await?.write_csv(&mut out)?;
            }
            "holders" => {
                let request = HolderCrossingsRequest { by: by("month,kind,standing"), ..Default::default() };
                app.holder_crossings(a, &request).await?.write_csv(&mut out)?;
            }
            study @ ("commuting" | "circularity") => {
                let which = if study == "commuting" { Study::Commuting } else { Study::Circularity };
                let request = StudyRequest { by: by("month"), ..StudyRequest::default() };
                let progress = frontera_app::transfer::Silent;
                out = app.study(a, which, &request, &progress).await?.render(TableFormat::Csv, tr.lang)?;
            }
            other => return Err(AppError::NotFound(format!("figure {other}"))),
        }
        Ok(out)
    }
    .await;
    match result {
        Ok(bytes) => {
            let file = format!("attachment; filename=\"{}.csv\"", name.trim_end_matches(".csv"));
            (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                    (header::CONTENT_DISPOSITION, file),
                ],
                bytes,
            )
                .into_response()
        }
        Err(e) => error_page(tr, Bar::of(&viewer), &e),
    }
}
