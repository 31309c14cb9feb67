//! The counter: the officer's main screen. Scan or type a document, see it checked and the
//! traveller's previous crossings on this side, choose what the history suggests, record.
//!
//! One form, two buttons: "read" parses the zone and looks the traveller up (nothing stored);
//! "record" records the crossing through the same use case as the API. Without scripts every
//! step works with the keyboard; `static/counter.js` only saves keys.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use frontera_app::alerts::ScreenRequest;
use frontera_app::labour::CounterCheck;
use frontera_app::{App, AppError};
use frontera_domain::alert::{AlertKind, HitStatus};
use frontera_domain::crossing::{DocumentDraft, MAX_PROCESSING_MS, PersonDraft};
use frontera_domain::labour::PermitCheck;
use frontera_domain::mrz::{self, Mrz};
use frontera_domain::{Category, CountryCode, Crossing, CrossingDraft, Direction, Purpose, TransportMode};
use serde::Deserialize;

use super::alerts::HitRow;
use super::i18n::Tr;
use super::session::Viewer;
use super::shell::{
    Bar, Choice, CrossingRow, date, error_page, form_expired, page, partial_date, records_crossings,
};

fn choices(tr: &Tr, prefix: &str, values: &[&str], chosen: &str, none: bool) -> Vec<Choice> {
    let mut out = Vec::new();
    if none {
        out.push(Choice {
            value: String::new(),
            label: tr.t("counter-not-chosen"),
            selected: chosen.is_empty(),
        });
    }
    out.extend(values.iter().map(|v| Choice {
        value: (*v).to_string(),
        label: tr.t(&format!("{prefix}-{v}")),
        selected: *v == chosen,
    }));
    out
}

/// The counter form as sent (and sent back, so nothing typed is lost on an error).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CounterForm {
    csrf: String,
    action: String,
    opened_at: String,
    mrz: String,
    document_kind: String,
    document_number: String,
    issuing_state: String,
    expiry_date: String,
    given_names: String,
    first_surname: String,
    second_surname: String,
    sex: String,
    birth_date: String,
    nationality: String,
    port_id: String,
    direction: String,
    category: String,
    purpose: String,
    transport_mode: String,
    permitted_stay_days: String,
    destination: String,
}

impl CounterForm {
    fn mrz_lines(&self) -> Vec<String> {
        self.mrz.lines().map(|l| l.trim().to_ascii_uppercase()).filter(|l| !l.is_empty()).collect()
    }

    fn typed(&self) -> bool {
        !self.document_number.trim().is_empty()
    }

    /// The crossing to record, timed from the form's opening (by this node's clock) to `now_ms`.
    fn draft(&self, now_ms: i64) -> CrossingDraft {
        let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let lines = self.mrz_lines();
        let (mrz, document, person) = if !lines.is_empty() {
            (Some(lines), None, None)
        } else {
            (
                None,
                Some(DocumentDraft {
                    kind: opt(&self.document_kind),
                    number: opt(&self.document_number),
                    issuing_state: opt(&self.issuing_state),
                    expiry_date: opt(&self.expiry_date),
                }),
                Some(PersonDraft {
                    given_names: opt(&self.given_names),
                    first_surname: opt(&self.first_surname),
                    second_surname: opt(&self.second_surname),
                    sex: opt(&self.sex),
                    birth_date: opt(&self.birth_date),
                    nationality: opt(&self.nationality),
                }),
            )
        };
        CrossingDraft {
            id: None,
            port_id: opt(&self.port_id),
            direction: opt(&self.direction),
            category: opt(&self.category),
            purpose: opt(&self.purpose),
            transport_mode: opt(&self.transport_mode),
            permitted_stay_days: self.permitted_stay_days.trim().parse().ok(),
            occurred_at: None,
            mrz,
            document,
            person,
            // A form left open for over a day measures nothing worth keeping.
            destination: opt(&self.destination),
            processing_ms: self
                .opened_at
                .trim()
                .parse::<i64>()
                .ok()
                .map(|opened| (now_ms - opened).max(0))
                .filter(|ms| *ms <= i64::from(MAX_PROCESSING_MS)),
        }
    }
}

/// A field of the parsed document.
pub struct Row {
    label: String,
    value: String,
    bad: bool,
    why: Option<String>,
}

/// The parsed document, for the officer to compare with the one in hand.
pub struct Parsed {
    valid: bool,
    rows: Vec<Row>,
    notes: Vec<String>,
}

fn parsed_view(tr: &Tr, m: &Mrz, today: chrono::NaiveDate) -> Parsed {
    let failed = |c: mrz::Check| m.failed_checks.contains(&c);
    let why = |c: mrz::Check| failed(c).then(|| tr.t(&format!("check-{}", c.as_str())));
    let bad_field = |name: &str| {
        m.bad_fields.iter().any(|b| {
            let field = match b {
                mrz::BadField::BirthDate => "birth_date",
                mrz::BadField::ExpiryDate => "expiry_date",
                mrz::BadField::Sex => "sex",
                mrz::BadField::Surname => "surname",
                mrz::BadField::DocumentNumber => "document_number",
            };
            field == name
        })
    };
    let row = |label: &str, value: &str, check: Option<mrz::Check>, field: &str| Row {
        label: tr.t(label),
        value: value.to_string(),
        bad: check.is_some_and(failed) || bad_field(field),
        why: check.and_then(why),
    };
    let birth = mrz::resolve_birth_date(&m.birth_date, today)
        .map_or_else(|| m.birth_date.clone(), |d| partial_date(tr.lang, &d));
    let expiry_date = mrz::resolve_expiry_date(&m.expiry_date, today);
    let expiry = expiry_date.map_or_else(|| m.expiry_date.clone(), |d| date(tr.lang, d));
    let mut rows = vec![
        row("field-format", m.format.as_str(), None, "format"),
        row("field-document_code", &m.document_code, None, "document_code"),
        row("field-document_number", &m.document_number, Some(mrz::Check::DocumentNumber), "document_number"),
        row("field-issuing_state", &m.issuing_state, None, "issuing_state"),
        row("field-surname", &m.surname, None, "surname"),
        row("field-given_names", &m.given_names, None, "given_names"),
        row("field-nationality", &m.nationality, None, "nationality"),
        row("field-birth_date", &birth, Some(mrz::Check::BirthDate), "birth_date"),
        row("field-sex", &m.sex, None, "sex"),
        row("field-expiry_date", &expiry, Some(mrz::Check::ExpiryDate), "expiry_date"),
    ];
    for extra in [mrz::Check::OptionalData, mrz::Check::Composite] {
        if failed(extra) {
            rows.push(Row {
                label: tr.t(&format!("check-label-{}", extra.as_str())),
                value: String::new(),
                bad: true,
                why: why(extra),
            });
        }
    }
    let mut notes = Vec::new();
    if let Some(expired) = expiry_date.filter(|d| *d < today) {
        notes.push(tr.t1("counter-expired", "date", &date(tr.lang, expired)));
    }
    if m.name_truncated {
        notes.push(tr.t("check-name-truncated"));
    }
    Parsed { valid: m.valid, rows, notes }
}

#[derive(Template)]
#[template(path = "counter.html")]
struct CounterPage {
    tr: Tr,
    bar: Option<Bar>,
    next: String,
    csrf: String,
    opened_at: String,
    form: CounterForm,
    ports: Vec<Choice>,
    directions: Vec<Choice>,
    categories: Vec<Choice>,
    purposes: Vec<Choice>,
    transports: Vec<Choice>,
    doc_kinds: Vec<Choice>,
    sexes: Vec<Choice>,
    parsed: Option<Parsed>,
    not_mrz: Option<String>,
    typed_open: bool,
    show_history: bool,
    history: Vec<CrossingRow>,
    history_more: Option<String>,
    error: Option<String>,
    recorded: Option<String>,
    protection_link: Option<(String, bool)>,
    screened: bool,
    screen_note: Option<String>,
    protection: bool,
    hits: Vec<HitRow>,
    destinations: Vec<Choice>,
    permit: Option<PermitPanel>,
}

/// What the counter shows of a border worker's permits: the status, and the decision owed or
/// taken.
pub struct PermitPanel {
    /// The crossing the check is kept with (none before recording).
    crossing_id: Option<String>,
    /// `notice`, `warn` or `error`.
    class: &'static str,
    /// The status in words.
    text: String,
    /// Whether the officer owes a decision now.
    decide: bool,
    /// The decision taken, in words.
    decided: Option<String>,
}

impl PermitPanel {
    fn of(tr: &Tr, check: &PermitCheck, kept: Option<&CounterCheck>) -> PermitPanel {
        let (key, args): (&str, Vec<(&str, String)>) = match check {
            PermitCheck::Valid { until, .. } => {
                ("permit-status-valid", vec![("until", date(tr.lang, *until))])
            }
            PermitCheck::Expiring { until, days_left, .. } => (
                "permit-status-expiring",
                vec![("until", date(tr.lang, *until)), ("days", days_left.to_string())],
            ),
            PermitCheck::NotValidThere { destination, valid_in, .. } => (
                "permit-status-not_valid_there",
                vec![
                    ("destination", region_name(destination)),
                    ("valid", valid_in.iter().map(|r| region_name(r)).collect::<Vec<_>>().join(", ")),
                ],
            ),
            PermitCheck::Expired { until, .. } => {
                ("permit-status-expired", vec![("until", date(tr.lang, *until))])
            }
            PermitCheck::Revoked { reason, .. } => {
                ("permit-status-revoked", vec![("reason", reason.clone())])
            }
            PermitCheck::None => ("permit-status-none", vec![]),
        };
        let args: Vec<(&str, fluent_bundle::FluentValue<'_>)> =
            args.into_iter().map(|(k, v)| (k, v.into())).collect();
        let class = match check {
            PermitCheck::Valid { .. } => "notice",
            PermitCheck::Expiring { .. } => "warn",
            _ => "error",
        };
        let decided = kept.and_then(|k| k.decision.as_ref()).map(|d| {
            tr.t_args(
                "permit-decided",
                &[
                    ("decision", d.decision.as_str().into()),
                    ("by", d.by.clone().into()),
                    ("reason", d.reason.clone().into()),
                ],
            )
        });
        PermitPanel {
            crossing_id: kept.map(|k| k.crossing_id.clone()),
            class,
            text: tr.t_args(key, &args),
            decide: kept.is_some_and(|k| k.needs_decision && k.decision.is_none()),
            decided,
        }
    }
}

/// A subdivision's name, with its code.
fn region_name(code: &str) -> String {
    frontera_domain::labour::REGIONS
        .iter()
        .find(|r| r.0 == code)
        .map_or(code.to_string(), |r| format!("{} ({code})", r.1))
}

/// What the history suggests for the next crossing: the other direction than the last one,
/// and the same category, purpose and transport.
fn suggest(
    form: &mut CounterForm,
    last: Option<&Crossing>,
    port_country: Option<CountryCode>,
    nationality: &str,
) {
    if let Some(last) = last {
        if form.direction.is_empty() {
            form.direction = match last.direction {
                Direction::Entry => Direction::Exit,
                Direction::Exit => Direction::Entry,
            }
            .as_str()
            .into();
        }
        if form.category.is_empty() {
            form.category = match last.category {
                Category::ReturningNational | Category::DepartingNational => String::new(),
                other => other.as_str().into(),
            };
        }
        if form.purpose.is_empty() {
            form.purpose = last.purpose.map(|p| p.as_str().to_string()).unwrap_or_default();
        }
        if form.transport_mode.is_empty() {
            form.transport_mode = last.transport_mode.map(|t| t.as_str().to_string()).unwrap_or_default();
        }
    }
    if form.direction.is_empty() {
        form.direction = Direction::Entry.as_str().into();
    }
    // A national of the port's country is a returning or departing national.
    if form.category.is_empty() && port_country.is_some_and(|c| c.as_str() == nationality) {
        form.category =
            if form.direction == "exit" { Category::DepartingNational } else { Category::ReturningNational }
                .as_str()
                .into();
    }
}

struct Outcome {
    parsed: Option<Parsed>,
    not_mrz: Option<String>,
    history: Option<Vec<Crossing>>,
    error: Option<String>,
    recorded: Option<String>,
    screening: Option<Screened>,
    /// Where to open (or find) the protection case of the crossing just recorded.
    protection_link: Option<(String, bool)>,
    /// A border worker's permits.
    permit: Option<PermitPanel>,
}

/// The traveller's screening, before the crossing is recorded or with it.
struct Screened {
    hits: Vec<HitRow>,
    note: String,
    protection: bool,
}

fn render(
    app: &App,
    viewer: &Viewer,
    mut form: CounterForm,
    outcome: Outcome,
    status: StatusCode,
) -> Response {
    let tr = viewer.tr;
    let scope = &viewer.actor.scope;
    let ports: Vec<_> = app
        .ports
        .all()
        .filter(|p| p.country == scope.country && scope.port.as_ref().is_none_or(|own| *own == p.id))
        .collect();
    if form.port_id.is_empty() {
        form.port_id = ports.first().map(|p| p.id.as_str().to_string()).unwrap_or_default();
    }
    let port = ports.iter().find(|p| p.id.as_str() == form.port_id).copied();
    let tz = port.map_or(chrono_tz::UTC, |p| p.time_zone);
    let history = outcome.history.unwrap_or_default();
    let show_history = outcome.parsed.is_some() || (form.typed() && outcome.recorded.is_none());
    let history_more = (history.len() > 10)
        .then(|| tr.t_args("counter-history-more", &[("count", (history.len() as u64).into())]));
    let rows: Vec<CrossingRow> =
        history.iter().rev().take(10).map(|c| CrossingRow::of(app, tr, c, Some(tz))).collect();
    let counter = CounterPage {
        tr,
        bar: Bar::of(viewer),
        next: "/counter".into(),
        csrf: viewer.session.csrf_token.clone(),
        opened_at: if form.opened_at.is_empty() || outcome.recorded.is_some() {
            app.now().timestamp_millis().to_string()
        } else {
            form.opened_at.clone()
        },
        ports: ports
            .iter()
            .map(|p| Choice {
                value: p.id.as_str().into(),
                label: p.name.clone(),
                selected: p.id.as_str() == form.port_id,
            })
            .collect(),
        directions: choices(&tr, "direction", Direction::NAMES, &form.direction, false),
        categories: choices(&tr, "category", Category::NAMES, &form.category, false),
        purposes: choices(&tr, "purpose", Purpose::NAMES, &form.purpose, true),
        transports: choices(&tr, "transport", TransportMode::NAMES, &form.transport_mode, true),
        doc_kinds: choices(
            &tr,
            "document",
            &["passport", "id_card", "visa", "border_card", "other"],
            if form.document_kind.is_empty() { "passport" } else { &form.document_kind },
            false,
        ),
        sexes: choices(&tr, "sex", &["F", "M", "X"], &form.sex, true),
        typed_open: form.typed(),
        parsed: outcome.parsed,
        not_mrz: outcome.not_mrz,
        show_history,
        history: rows,
        history_more,
        error: outcome.error,
        recorded: outcome.recorded,
        protection_link: outcome.protection_link,
        screened: outcome.screening.is_some(),
        protection: outcome.screening.as_ref().is_some_and(|s| s.protection),
        screen_note: outcome.screening.as_ref().map(|s| s.note.clone()),
        hits: outcome.screening.map(|s| s.hits).unwrap_or_default(),
        destinations: destinations(tr, port.map(|p| p.country), &form.destination),
        permit: outcome.permit,
        form,
    };
    page(status, &counter)
}

/// The states or districts of the port's country a border worker may be going to; the first
/// choice is the port's own.
fn destinations(tr: Tr, country: Option<CountryCode>, chosen: &str) -> Vec<Choice> {
    let prefix = country.and_then(|c| c.info()).map_or("", |i| i.alpha2);
    let mut all = vec![Choice {
        value: String::new(),
        label: tr.t("counter-destination-port"),
        selected: chosen.is_empty(),
    }];
    all.extend(frontera_domain::labour::REGIONS.iter().filter(|r| r.0.starts_with(prefix)).map(|r| Choice {
        value: r.0.into(),
        label: format!("{} ({})", r.1, r.0),
        selected: r.0 == chosen,
    }));
    all
}

fn empty() -> Outcome {
    Outcome {
        parsed: None,
        not_mrz: None,
        history: None,
        error: None,
        recorded: None,
        screening: None,
        protection_link: None,
        permit: None,
    }
}

/// What the counter's address may say: a hit just decided.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct CounterQuery {
    done: Option<String>,
}

pub(super) async fn show(State(app): State<App>, viewer: Viewer, Query(q): Query<CounterQuery>) -> Response {
    if let Err(e) = allowed(&viewer) {
        return error_page(viewer.tr, Bar::of(&viewer), &e);
    }
    let tr = viewer.tr;
    let recorded = q
        .done
        .as_deref()
        .and_then(|d| HitStatus::parse(d).ok())
        .map(|s| tr.t1("hits-decided", "status", &tr.t(&format!("hit-status-{}", s.as_str()))));
    render(&app, &viewer, CounterForm::default(), Outcome { recorded, ..empty() }, StatusCode::OK)
}

/// The traveller screened against the country's lists before anything is recorded.
async fn screen(app: &App, viewer: &Viewer, person: ScreenRequest) -> Screened {
    let tr = viewer.tr;
    match app.screen(&viewer.actor, &person).await {
        Ok(found) => {
            let hits: Vec<HitRow> = found.hits.iter().map(|h| HitRow::of(app, viewer, h)).collect();
            let note = if hits.is_empty() {
                tr.t_args("counter-screen-clear", &[("entries", found.entries.into())])
            } else {
                tr.t_args("counter-screen-hits", &[("count", (hits.len() as u64).into())])
            };
            let protection = found.hits.iter().any(|h| h.kind == AlertKind::MissingChild);
            Screened { hits, note, protection }
        }
        Err(e) => Screened { hits: Vec::new(), note: e.message(tr.lang), protection: false },
    }
}

/// The screening query of the document in the form: its zone's or its typed fields.
fn person_of(form: &CounterForm, zone: Option<&Mrz>, today: chrono::NaiveDate) -> ScreenRequest {
    let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    match zone {
        Some(m) => ScreenRequest {
            given_names: opt(&m.given_names),
            surnames: opt(&m.surname),
            birth_date: mrz::resolve_birth_date(&m.birth_date, today).map(|d| d.to_string()),
            nationality: opt(&m.nationality).filter(|n| CountryCode::parse(n).is_ok()),
            document: opt(&m.document_number),
            sex: opt(&m.sex).filter(|x| frontera_domain::Sex::parse(x).is_ok()),
            ..ScreenRequest::default()
        },
        None => ScreenRequest {
            given_names: opt(&form.given_names),
            surnames: Some(format!("{} {}", form.first_surname.trim(), form.second_surname.trim()))
                .filter(|s| !s.trim().is_empty()),
            birth_date: opt(&form.birth_date),
            nationality: opt(&form.nationality),
            document: opt(&form.document_number),
            sex: opt(&form.sex),
            ..ScreenRequest::default()
        },
    }
}

/// Only staff who record crossings use the counter.
fn allowed(viewer: &Viewer) -> Result<(), AppError> {
    if records_crossings(&viewer.actor) {
        Ok(())
    } else {
        Err(AppError::Forbidden("your role does not record crossings".into()))
    }
}

/// The answer to a counter form posted without this session's token or by someone who does
/// not record crossings; `None` when it may go ahead.
fn turned_away(viewer: &Viewer, csrf: &str) -> Option<Response> {
    if !viewer.csrf_ok(csrf) {
        return Some(form_expired(viewer, "/counter"));
    }
    allowed(viewer).err().map(|e| error_page(viewer.tr, Bar::of(viewer), &e))
}

pub(super) async fn submit(
    State(app): State<App>,
    viewer: Viewer,
    axum::Form(form): axum::Form<CounterForm>,
) -> Response {
    if let Some(refused) = turned_away(&viewer, &form.csrf) {
        return refused;
    }
    if form.action == "record" {
        return record(&app, &viewer, form).await;
    }
    read(&app, &viewer, form).await
}

/// The traveller's crossings on this side, by the document in hand.
async fn history(app: &App, viewer: &Viewer, number: &str, issuer: &str) -> Result<Vec<Crossing>, AppError> {
    let found = app.find_by_document(&viewer.actor, number, issuer).await?;
    let mut all: Vec<Crossing> = found.into_iter().flat_map(|(_, crossings)| crossings).collect();
    all.sort_by_key(|c| (c.occurred_at, c.id));
    Ok(all)
}

/// The form's zone, parsed; `None` when the form has none.
fn zone(form: &CounterForm) -> Option<Result<Mrz, mrz::NotAnMrz>> {
    let lines = form.mrz_lines();
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    (!refs.is_empty()).then(|| mrz::parse(&refs))
}

/// The traveller's history by the document in hand, with what it suggests put into `form`.
async fn look_up(
    app: &App,
    viewer: &Viewer,
    form: &mut CounterForm,
    number: &str,
    issuer: &str,
    nationality: &str,
) -> Outcome {
    let port_country = app
        .ports
        .all()
        .find(|p| p.id.as_str() == form.port_id)
        .map(|p| p.country)
        .or(Some(viewer.actor.scope.country));
    let (history, error) = match history(app, viewer, number, issuer).await {
        Ok(h) => (Some(h), None),
        Err(e) => (None, Some(e.message(viewer.tr.lang))),
    };
    suggest(form, history.as_ref().and_then(|h| h.last()), port_country, nationality);
    Outcome { history, error, ..empty() }
}

/// A border worker's permits as they stand for a crossing now, before it is recorded (nothing
/// kept but the audited read); `None` for another category.
async fn preview_permit(app: &App, viewer: &Viewer, form: &CounterForm, number: &str) -> Option<PermitPanel> {
    if form.category != Category::BorderWorker.as_str() {
        return None;
    }
    let port = app.ports.all().find(|p| p.id.as_str() == form.port_id)?;
    let destination = form.draft(0).destination_region(port).ok().flatten();
    let check = app
        .check_worker(
            &viewer.actor,
            port.country,
            number,
            app.now(),
            port.time_zone,
            destination,
            app.permit_warning_days,
        )
        .await
        .ok()?;
    Some(PermitPanel::of(&viewer.tr, &check, None))
}

/// The officer's decision on a border worker whose permits were not in order.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct DecisionForm {
    csrf: String,
    crossing: String,
    port_id: String,
    decision: String,
    reason: String,
}

pub(super) async fn decide(
    State(app): State<App>,
    viewer: Viewer,
    axum::Form(form): axum::Form<DecisionForm>,
) -> Response {
    let tr = viewer.tr;
    if let Some(refused) = turned_away(&viewer, &form.csrf) {
        return refused;
    }
    let next = CounterForm { port_id: form.port_id.clone(), ..CounterForm::default() };
    let Ok(id) = uuid::Uuid::parse_str(form.crossing.trim()) else {
        let e = AppError::NotFound(format!("crossing {}", form.crossing));
        return error_page(tr, Bar::of(&viewer), &e);
    };
    let id = frontera_domain::CrossingId(id);
    match app.decide_permit(&viewer.actor, id, &form.decision, &form.reason).await {
        Ok(kept) => {
            let permit = Some(PermitPanel::of(&tr, &kept.check, Some(&kept)));
            let recorded = Some(tr.t("permit-decision-kept"));
            render(&app, &viewer, next, Outcome { recorded, permit, ..empty() }, StatusCode::OK)
        }
        Err(e @ (AppError::Invalid(_) | AppError::Refused { .. })) => {
            // The panel again, with the error, for the officer to decide.
            let kept = app.permit_check_of(&viewer.actor, id).await.ok().flatten();
            let permit = kept.as_ref().map(|k| PermitPanel::of(&tr, &k.check, Some(k)));
            let error = Some(e.message(tr.lang));
            render(
                &app,
                &viewer,
                next,
                Outcome { error, permit, ..empty() },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(e) => error_page(tr, Bar::of(&viewer), &e),
    }
}

async fn read(app: &App, viewer: &Viewer, mut form: CounterForm) -> Response {
    let tr = viewer.tr;
    let not_mrz = |reason: String| Outcome {
        not_mrz: Some(tr.t_args("counter-not-mrz", &[("reason", reason.into())])),
        ..empty()
    };
    match zone(&form) {
        None if form.typed() => {
            let (number, issuer) = (form.document_number.clone(), form.issuing_state.clone());
            let nationality = form.nationality.trim().to_ascii_uppercase();
            let mut outcome = look_up(app, viewer, &mut form, &number, &issuer, &nationality).await;
            outcome.screening =
                Some(screen(app, viewer, person_of(&form, None, app.now().date_naive())).await);
            outcome.permit = preview_permit(app, viewer, &form, &number).await;
            render(app, viewer, form, outcome, StatusCode::OK)
        }
        None => render(app, viewer, form, not_mrz("—".into()), StatusCode::UNPROCESSABLE_ENTITY),
        Some(Err(e)) => {
            render(app, viewer, form, not_mrz(e.message(tr.lang)), StatusCode::UNPROCESSABLE_ENTITY)
        }
        Some(Ok(m)) => {
            form.mrz = form.mrz_lines().join("\n");
            let mut outcome =
                look_up(app, viewer, &mut form, &m.document_number, &m.issuing_state, &m.nationality).await;
            outcome.parsed = Some(parsed_view(&tr, &m, app.now().date_naive()));
            outcome.screening =
                Some(screen(app, viewer, person_of(&form, Some(&m), app.now().date_naive())).await);
            outcome.permit = preview_permit(app, viewer, &form, &m.document_number).await;
            render(app, viewer, form, outcome, StatusCode::OK)
        }
    }
}

async fn record(app: &App, viewer: &Viewer, form: CounterForm) -> Response {
    let tr = viewer.tr;
    match app.record_crossing(&viewer.actor, &form.draft(app.now().timestamp_millis())).await {
        Ok(recorded) => {
            let screening = recorded.screening.map(|s| {
                let hits: Vec<HitRow> = s.hits.iter().map(|h| HitRow::of(app, viewer, h)).collect();
                let note = if hits.is_empty() {
                    tr.t_args("counter-screen-clear", &[("entries", s.entries.into())])
                } else {
                    tr.t_args("counter-screen-recorded-hits", &[("count", (hits.len() as u64).into())])
                };
                Screened { hits, note, protection: s.protection }
            });
            // A case opened at once on a missing-child hit, or the form that opens one.
            let protection_link = Some(match &recorded.protection_case {
                Some(case) => (format!("/protection/cases/{case}"), true),
                None => (format!("/protection?crossing={}", recorded.crossing.id), false),
            });
            let permit = recorded.permit.as_ref().map(|k| PermitPanel::of(&tr, &k.check, Some(k)));
            let (crossing, new) = (recorded.crossing, recorded.created);
            let tz = app.ports.get(&crossing.port_id).map_or(chrono_tz::UTC, |p| p.time_zone);
            let n = &crossing.person.name;
            let name =
                [Some(n.given_names.as_str()), Some(n.first_surname.as_str()), n.second_surname.as_deref()]
                    .into_iter()
                    .flatten()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
            let text = if new {
                tr.t_args(
                    "counter-recorded",
                    &[
                        ("direction", tr.t(&format!("direction-{}", crossing.direction.as_str())).into()),
                        ("name", name.into()),
                        ("time", crossing.occurred_at.with_timezone(&tz).format("%H:%M").to_string().into()),
                    ],
                )
            } else {
                tr.t("counter-resent")
            };
            let next = CounterForm { port_id: form.port_id, ..CounterForm::default() };
            let outcome = Outcome { recorded: Some(text), screening, protection_link, permit, ..empty() };
            render(app, viewer, next, outcome, StatusCode::OK)
        }
        Err(e) => {
            let status = match e {
                AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
                AppError::Forbidden(_) => StatusCode::FORBIDDEN,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            };
            if status == StatusCode::INTERNAL_SERVER_ERROR {
                return error_page(tr, Bar::of(viewer), &e);
            }
            let parsed =
                zone(&form).and_then(Result::ok).map(|m| parsed_view(&tr, &m, app.now().date_naive()));
            let error = Some(e.message(tr.lang));
            render(app, viewer, form, Outcome { parsed, error, ..empty() }, status)
        }
    }
}
