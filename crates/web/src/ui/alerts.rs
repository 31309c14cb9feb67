//! Screening in the browser: the hits waiting for a decision, and the alert lists with their
//! entries, kept by hand or loaded from a file.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use frontera_app::alerts::hits::HitDecision;
use frontera_app::alerts::{
    AlertListDraft, AlertListView, AlertView, HitView, ListFormat, ListImport, ScreenRequest, csv_list,
};
use frontera_app::{App, AppError};
use frontera_domain::access::{Action, Resource, can};
use frontera_domain::alert::{AlertKind, HitAction, HitStatus};
use serde::Deserialize;

use super::guard::Guarded;
use super::i18n::Tr;
use super::session::Viewer;
use super::shell::Choice;
use super::shell::{Bar, datetime, error_page, page, partial_date};

/// A hit as a row the officer reads and decides on.
pub struct HitRow {
    /// The stored hit's id, when it waits for a decision here.
    pub id: String,
    /// `list / reference`.
    pub entry: String,
    /// What the entry is about, in words.
    pub kind: String,
    /// What a confirmed hit asks for, in words.
    pub action: String,
    /// The score, two decimals.
    pub score: String,
    /// The listed names.
    pub names: String,
    /// Why it matched, in the viewer's language.
    pub why: String,
    /// Where it stands, in words (for stored hits).
    pub status: String,
    /// Whether the viewer may decide on it now.
    pub decide: bool,
    /// Whether a decision may escalate it (open hits only).
    pub escalate: bool,
    /// Whether it is a missing child.
    pub protect: bool,
    /// When the crossing was screened, and who decided with their note.
    pub when: String,
    /// Who decided last, and their note.
    pub decided: String,
    /// The traveller screened, for hits waiting for a decision.
    pub traveller: Option<String>,
}

impl HitRow {
    /// The row of `h` for `viewer`.
    pub fn of(app: &App, viewer: &Viewer, h: &HitView) -> HitRow {
        let tr = viewer.tr;
        let actor = &viewer.actor;
        let decide = match (h.id, h.status, &h.port_id) {
            (Some(_), Some(status), Some(port)) => {
                let here = Resource::at(actor.scope.country, Some(port));
                let allowed = can(actor, Action::ResolveHit, here).allowed();
                let supervisor = can(actor, Action::DecideEscalatedHit, here).allowed();
                allowed && (status == HitStatus::Open || (status == HitStatus::Escalated && supervisor))
            }
            _ => false,
        };
        let tz = h.port_id.as_ref().and_then(|p| app.ports.get(p)).map_or(chrono_tz::UTC, |p| p.time_zone);
        let decided = match (&h.resolved_by, &h.note) {
            (Some(by), Some(note)) => format!("{by}: {note}"),
            (Some(by), None) => by.clone(),
            _ => String::new(),
        };
        HitRow {
            id: h.id.map(|i| i.to_string()).unwrap_or_default(),
            entry: format!("{} / {}", h.list, h.reference),
            kind: tr.t(&format!("alert-kind-{}", h.kind.as_str())),
            action: tr.t(&format!("hit-action-{}", h.action.as_str())),
            score: format!("{:.2}", h.score),
            names: h.names.join(" · "),
            why: h.explanation.sentence(tr.lang),
            status: h.status.map(|s| tr.t(&format!("hit-status-{}", s.as_str()))).unwrap_or_default(),
            decide,
            escalate: h.status == Some(HitStatus::Open),
            protect: h.kind == AlertKind::MissingChild,
            when: h.screened_at.map(|t| datetime(tr.lang, t.with_timezone(&tz))).unwrap_or_default(),
            decided,
            traveller: h.traveller.as_ref().map(|t| {
                let born = t.birth_date.as_deref().and_then(|b| frontera_domain::PartialDate::parse(b).ok());
                let born = born.map(|b| format!(" · {}", partial_date(tr.lang, &b))).unwrap_or_default();
                let kind = tr.t(&format!("document-{}", t.document_kind));
                format!(
                    "{} · {kind} {} ({}) · {}{born}",
                    t.name, t.document_number, t.issuing_state, t.nationality
                )
            }),
        }
    }
}

#[derive(Template)]
#[template(path = "hits.html")]
struct HitsPage {
    tr: Tr,
    bar: Option<Bar>,
    next: String,
    csrf: String,
    hits: Vec<HitRow>,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct HitsQuery {
    done: Option<String>,
}

/// The hits waiting for the viewer's decision.
pub(super) async fn pending(State(app): State<App>, viewer: Viewer, Query(q): Query<HitsQuery>) -> Response {
    let tr = viewer.tr;
    let notice = q
        .done
        .as_deref()
        .and_then(|d| frontera_domain::alert::HitStatus::parse(d).ok())
        .map(|s| tr.t1("hits-decided", "status", &tr.t(&format!("hit-status-{}", s.as_str()))));
    render_pending(&app, &viewer, notice, None, StatusCode::OK).await
}

async fn render_pending(
    app: &App,
    viewer: &Viewer,
    notice: Option<String>,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    match app.pending_hits(&viewer.actor, 200).await {
        Ok(hits) => {
            let hits = hits.iter().map(|h| HitRow::of(app, viewer, h)).collect();
            let p = HitsPage {
                tr: viewer.tr,
                bar: Bar::of(viewer),
                next: "/hits".into(),
                csrf: viewer.session.csrf_token.clone(),
                hits,
                notice,
                error,
            };
            page(status, &p)
        }
        Err(e) => error_page(viewer.tr, Bar::of(viewer), &e),
    }
}

/// A decision on a hit, as the form sends it.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct DecisionForm {
    csrf: String,
    resolution: String,
    note: String,
    next: String,
}

/// Decide on a hit, then back to where the form was (the counter or the hits page).
pub(super) async fn decide(
    State(app): State<App>,
    Path(id): Path<String>,
    Guarded { viewer, form, .. }: Guarded<DecisionForm>,
) -> Response {
    let next = if form.next == "/counter" { "/counter" } else { "/hits" };
    let Ok(id) = uuid::Uuid::parse_str(&id) else {
        return error_page(viewer.tr, Bar::of(&viewer), &AppError::NotFound(format!("hit {id}")));
    };
    let decision = HitDecision { resolution: form.resolution.clone(), note: Some(form.note.clone()) };
    match app.resolve_hit(&viewer.actor, id, &decision).await {
        Ok(hit) => {
            let status = hit.status.map(|s| s.as_str()).unwrap_or("open");
            Redirect::to(&format!("{next}?done={status}")).into_response()
        }
        Err(AppError::Invalid(v)) => {
            let error = Some(format!(
                "{}: {}",
                viewer.tr.t(&format!("hits-field-{}", v.field)),
                v.message(viewer.tr.lang)
            ));
            render_pending(&app, &viewer, None, error, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(AppError::Conflict(_)) => {
            let error = Some(viewer.tr.t("hits-decided-meanwhile"));
            render_pending(&app, &viewer, None, error, StatusCode::CONFLICT).await
        }
        Err(e) => error_page(viewer.tr, Bar::of(&viewer), &e),
    }
}

/// A list as a row.
pub struct ListRow {
    name: String,
    kind: String,
    threshold: String,
    active: u64,
    retired: u64,
    updated: String,
    source: String,
}

impl ListRow {
    fn of(tr: Tr, l: &AlertListView) -> ListRow {
        ListRow {
            name: l.name.clone(),
            kind: tr.t(&format!("alert-kind-{}", l.kind.as_str())),
            threshold: format!("{:.2}", l.threshold),
            active: l.active,
            retired: l.retired,
            updated: datetime(tr.lang, l.updated_at.with_timezone(&chrono_tz::UTC)),
            source: l.source.clone().unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "alerts.html")]
struct AlertsPage {
    tr: Tr,
    bar: Option<Bar>,
    next: String,
    csrf: String,
    manage: bool,
    lists: Vec<ListRow>,
    kinds: Vec<Choice>,
    query: ScreenForm,
    screened: bool,
    hits: Vec<HitRow>,
    screened_note: String,
    notice: Option<String>,
    error: Option<String>,
}

/// The screening form of the lists page.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(super) struct ScreenForm {
    name: String,
    birth_date: String,
    nationality: String,
    document: String,
}

fn manages(viewer: &Viewer) -> bool {
    let here = Resource::of(viewer.actor.scope.country);
    can(&viewer.actor, Action::ManageAlerts, here).allowed()
}

fn kinds(tr: Tr, chosen: &str) -> Vec<Choice> {
    AlertKind::NAMES
        .iter()
        .map(|k| Choice {
            value: (*k).into(),
            label: tr.t(&format!("alert-kind-{k}")),
            selected: *k == chosen,
        })
        .collect()
}

/// The lists, and a name checked against them.
pub(super) async fn lists(State(app): State<App>, viewer: Viewer, Query(q): Query<ScreenForm>) -> Response {
    render_lists(&app, &viewer, q, None, None, StatusCode::OK).await
}

async fn render_lists(
    app: &App,
    viewer: &Viewer,
    q: ScreenForm,
    notice: Option<String>,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let tr = viewer.tr;
    let lists = match app.alert_lists(&viewer.actor).await {
        Ok(l) => l,
        Err(e) => return error_page(tr, Bar::of(viewer), &e),
    };
    let screened = [&q.name, &q.document].iter().any(|v| !v.trim().is_empty());
    let (mut hits, mut entries, mut error) = (Vec::new(), 0, error);
    if screened {
        let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let request = ScreenRequest {
            name: opt(&q.name),
            birth_date: opt(&q.birth_date),
            nationality: opt(&q.nationality),
            document: opt(&q.document),
            candidates: Some(10),
            ..ScreenRequest::default()
        };
        match app.screen(&viewer.actor, &request).await {
            Ok(found) => {
                hits = found.hits.iter().map(|h| HitRow::of(app, viewer, h)).collect();
                for (row, h) in hits.iter_mut().zip(&found.hits) {
                    row.status = tr.t(if h.hit { "alerts-is-hit" } else { "alerts-below-threshold" });
                }
                entries = found.entries;
            }
            Err(AppError::Invalid(v)) => {
                error = Some(field_error(tr, &v));
            }
            Err(e) => return error_page(tr, Bar::of(viewer), &e),
        }
    }
    let p = AlertsPage {
        tr,
        bar: Bar::of(viewer),
        next: "/alerts".into(),
        csrf: viewer.session.csrf_token.clone(),
        manage: manages(viewer),
        lists: lists.iter().map(|l| ListRow::of(tr, l)).collect(),
        kinds: kinds(tr, "wanted"),
        query: q,
        screened,
        hits,
        screened_note: tr.t_args("alerts-screened", &[("entries", entries.into())]),
        notice,
        error,
    };
    page(status, &p)
}

/// A list's settings, or a file for it, as the forms send them.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct ListForm {
    csrf: String,
    list: String,
    kind: String,
    threshold: String,
    format: String,
    file: String,
}

/// The threshold typed (a decimal comma allowed); what is not a number reaches the use case as
/// one that breaks the threshold's rule, so the rule and its message live in one place.
fn threshold_of(text: &str) -> Option<f64> {
    let text = text.trim().replace(',', ".");
    (!text.is_empty()).then(|| text.parse::<f64>().unwrap_or(f64::NAN))
}

/// A broken rule in words: the field's name in the viewer's language (`names[2].surnames` is
/// the names' field), then the rule.
fn field_error(tr: Tr, v: &frontera_domain::ValidationError) -> String {
    let field = v.field.split(['[', '.']).next().unwrap_or(&v.field);
    format!("{}: {}", tr.t(&format!("alerts-field-{field}")), v.message(tr.lang))
}

/// Create a list or change its threshold.
pub(super) async fn save_list(
    State(app): State<App>,
    Guarded { viewer, form, .. }: Guarded<ListForm>,
) -> Response {
    let tr = viewer.tr;
    let draft = AlertListDraft {
        kind: Some(form.kind.clone()).filter(|k| !k.is_empty()),
        threshold: threshold_of(&form.threshold),
    };
    match app.save_alert_list(&viewer.actor, &form.list, &draft).await {
        Ok(l) => {
            let notice = Some(tr.t1("alerts-list-saved", "list", &l.name));
            render_lists(&app, &viewer, ScreenForm::default(), notice, None, StatusCode::OK).await
        }
        Err(AppError::Invalid(v)) => {
            let error = Some(field_error(tr, &v));
            render_lists(&app, &viewer, ScreenForm::default(), None, error, StatusCode::UNPROCESSABLE_ENTITY)
                .await
        }
        Err(e) => error_page(tr, Bar::of(&viewer), &e),
    }
}

/// Load a list's new version from the file pasted or chosen in the form.
pub(super) async fn import(
    State(app): State<App>,
    Guarded { viewer, form, .. }: Guarded<ListForm>,
) -> Response {
    let tr = viewer.tr;
    let format = match ListFormat::parse(&form.format) {
        Ok(f) => f,
        Err(v) => {
            let error = Some(format!("{}: {}", tr.t("alerts-field-format"), v.message(tr.lang)));
            return render_lists(
                &app,
                &viewer,
                ScreenForm::default(),
                None,
                error,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let threshold = threshold_of(&form.threshold);
    let import = ListImport {
        list: form.list.clone(),
        format,
        kind: Some(form.kind.clone()).filter(|k| !k.is_empty()),
        threshold,
        source: Some("browser".into()),
        country: None,
        lang: tr.lang,
    };
    match app.import_alert_list(&viewer.actor, &import, &form.file).await {
        Ok(r) if r.errors.is_empty() => {
            let notice = Some(tr.t_args(
                "alerts-imported",
                &[
                    ("list", r.list.clone().into()),
                    ("added", (r.added as u64).into()),
                    ("updated", (r.updated as u64).into()),
                    ("unchanged", r.unchanged.into()),
                    ("retired", (r.retired as u64).into()),
                ],
            ));
            render_lists(&app, &viewer, ScreenForm::default(), notice, None, StatusCode::OK).await
        }
        Ok(r) => {
            let lines: Vec<String> = r
                .errors
                .iter()
                .take(20)
                .map(|e| {
                    tr.t_args(
                        "alerts-bad-row",
                        &[
                            ("line", e.line.into()),
                            ("field", e.field.clone().into()),
                            ("message", e.message.clone().into()),
                        ],
                    )
                })
                .collect();
            let error = Some(format!(
                "{} {}",
                tr.t1("alerts-nothing-imported", "count", &r.errors.len().to_string()),
                lines.join(" · ")
            ));
            render_lists(&app, &viewer, ScreenForm::default(), None, error, StatusCode::UNPROCESSABLE_ENTITY)
                .await
        }
        Err(AppError::Invalid(v)) => {
            let error = Some(field_error(tr, &v));
            render_lists(&app, &viewer, ScreenForm::default(), None, error, StatusCode::UNPROCESSABLE_ENTITY)
                .await
        }
        Err(e) => error_page(tr, Bar::of(&viewer), &e),
    }
}

/// An entry as a row of its list.
pub struct EntryRow {
    reference: String,
    kind: String,
    names: String,
    birth: String,
    validity: String,
    retired: bool,
}

#[derive(Template)]
#[template(path = "alert_list.html")]
struct ListPage {
    tr: Tr,
    bar: Option<Bar>,
    next: String,
    list: String,
    manage: bool,
    entries: Vec<EntryRow>,
    more: Option<String>,
    retired: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct ListQuery {
    after: Option<String>,
    retired: Option<String>,
}

/// A list's entries, a page at a time.
pub(super) async fn list(
    State(app): State<App>,
    viewer: Viewer,
    Path(list): Path<String>,
    Query(q): Query<ListQuery>,
) -> Response {
    let tr = viewer.tr;
    let retired = q.retired.is_some();
    let page_size = 100;
    let entries = match app.alerts_page(&viewer.actor, &list, q.after.as_deref(), retired, page_size).await {
        Ok(e) => e,
        Err(e) => return error_page(tr, Bar::of(&viewer), &e),
    };
    let more = (entries.len() as u32 == page_size)
        .then(|| entries.last().map(|e| e.entry.reference.clone()))
        .flatten();
    let rows = entries
        .iter()
        .map(|a: &AlertView| {
            let e = &a.entry;
            let validity = match (e.valid_from, e.valid_until) {
                (None, None) => String::new(),
                (from, until) => format!(
                    "{} – {}",
                    from.map(|d| super::shell::date(tr.lang, d)).unwrap_or_default(),
                    until.map(|d| super::shell::date(tr.lang, d)).unwrap_or_default()
                ),
            };
            EntryRow {
                reference: e.reference.clone(),
                kind: tr.t(&format!("alert-kind-{}", e.kind.as_str())),
                names: e.display_names().join(" · "),
                birth: e.birth_dates.iter().map(|d| partial_date(tr.lang, d)).collect::<Vec<_>>().join(", "),
                validity,
                retired: a.retired_at.is_some(),
            }
        })
        .collect();
    let p = ListPage {
        tr,
        bar: Bar::of(&viewer),
        next: format!("/alerts/{list}"),
        manage: manages(&viewer),
        list,
        entries: rows,
        more,
        retired,
    };
    page(StatusCode::OK, &p)
}

/// An entry as its form holds it.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(super) struct EntryForm {
    csrf: String,
    create: String,
    reference: String,
    kind: String,
    action: String,
    given_names: String,
    surnames: String,
    aliases: String,
    sex: String,
    birth_dates: String,
    nationalities: String,
    documents: String,
    reason: String,
    authority: String,
    valid_from: String,
    valid_until: String,
}

impl EntryForm {
    fn of(e: &frontera_domain::alert::AlertEntry) -> EntryForm {
        let aliases: Vec<String> = e
            .names
            .iter()
            .skip(1)
            .map(|n| {
                if n.given_names.is_empty() {
                    n.surnames.clone()
                } else {
                    format!("{}/{}", n.given_names, n.surnames)
                }
            })
            .collect();
        let primary = e.names.first();
        EntryForm {
            csrf: String::new(),
            create: String::new(),
            reference: e.reference.clone(),
            kind: e.kind.as_str().into(),
            action: e.action.as_str().into(),
            given_names: primary.map(|n| n.given_names.clone()).unwrap_or_default(),
            surnames: primary.map(|n| n.surnames.clone()).unwrap_or_default(),
            aliases: aliases.join("\n"),
            sex: e.sex.map(|s| s.code().to_string()).unwrap_or_default(),
            birth_dates: e.birth_dates.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("; "),
            nationalities: e
                .nationalities
                .iter()
                .map(|c| c.as_str().to_string())
                .collect::<Vec<_>>()
                .join("; "),
            documents: e
                .documents
                .iter()
                .map(|d| match d.issuing_state {
                    Some(s) => format!("{}:{}", s.as_str(), d.number),
                    None => d.number.clone(),
                })
                .collect::<Vec<_>>()
                .join("; "),
            reason: e.reason.clone(),
            authority: e.authority.clone(),
            valid_from: e.valid_from.map(|d| d.to_string()).unwrap_or_default(),
            valid_until: e.valid_until.map(|d| d.to_string()).unwrap_or_default(),
        }
    }

    /// The entry the form describes, read by the same rules as a CSV row.
    fn entry(
        &self,
        list_kind: AlertKind,
    ) -> Result<frontera_domain::alert::AlertEntry, frontera_domain::ValidationError> {
        let aliases: Vec<&str> = self.aliases.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        let aliases = aliases.join(";");
        let cell = |name: &str| -> String {
            match name {
                "reference" => self.reference.clone(),
                "kind" => self.kind.clone(),
                "action" => self.action.clone(),
                "given_names" => self.given_names.clone(),
                "surnames" => self.surnames.clone(),
                "aliases" => aliases.clone(),
                "sex" => self.sex.clone(),
                "birth_dates" => self.birth_dates.clone(),
                "nationalities" => self.nationalities.clone(),
                "documents" => self.documents.clone(),
                "reason" => self.reason.clone(),
                "authority" => self.authority.clone(),
                "valid_from" => self.valid_from.clone(),
                "valid_until" => self.valid_until.clone(),
                _ => String::new(),
            }
        };
        csv_list::entry(&cell, list_kind)
    }
}

#[derive(Template)]
#[template(path = "alert_entry.html")]
struct EntryPage {
    tr: Tr,
    bar: Option<Bar>,
    next: String,
    csrf: String,
    list: String,
    create: bool,
    manage: bool,
    retired: bool,
    form: EntryForm,
    kinds: Vec<Choice>,
    actions: Vec<Choice>,
    sexes: Vec<Choice>,
    error: Option<String>,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct EntryQuery {
    reference: Option<String>,
}

#[allow(clippy::too_many_arguments)]
fn entry_page(
    viewer: &Viewer,
    list: String,
    create: bool,
    retired: bool,
    form: EntryForm,
    error: Option<String>,
    notice: Option<String>,
    status: StatusCode,
) -> Response {
    let tr = viewer.tr;
    let actions = HitAction::NAMES
        .iter()
        .map(|a| Choice {
            value: (*a).into(),
            label: tr.t(&format!("hit-action-{a}")),
            selected: *a == form.action,
        })
        .collect();
    let sexes = ["", "F", "M", "X"]
        .iter()
        .map(|s| Choice {
            value: (*s).into(),
            label: if s.is_empty() { tr.t("counter-not-chosen") } else { tr.t(&format!("sex-{s}")) },
            selected: *s == form.sex,
        })
        .collect();
    let p = EntryPage {
        tr,
        bar: Bar::of(viewer),
        next: format!("/alerts/{list}/entry"),
        csrf: viewer.session.csrf_token.clone(),
        manage: manages(viewer),
        kinds: kinds(tr, &form.kind),
        actions,
        sexes,
        list,
        create,
        retired,
        form,
        error,
        notice,
    };
    page(status, &p)
}

/// An entry's page: its form (empty for a new one).
pub(super) async fn entry(
    State(app): State<App>,
    viewer: Viewer,
    Path(list): Path<String>,
    Query(q): Query<EntryQuery>,
) -> Response {
    match q.reference.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        None => {
            if !manages(&viewer) {
                return error_page(viewer.tr, Bar::of(&viewer), &AppError::Forbidden("alerts".into()));
            }
            let form = EntryForm { kind: "wanted".into(), action: "refer".into(), ..EntryForm::default() };
            entry_page(&viewer, list, true, false, form, None, None, StatusCode::OK)
        }
        Some(reference) => match app.alert(&viewer.actor, &list, reference).await {
            Ok(a) => {
                let retired = a.retired_at.is_some();
                entry_page(&viewer, list, false, retired, EntryForm::of(&a.entry), None, None, StatusCode::OK)
            }
            Err(e) => error_page(viewer.tr, Bar::of(&viewer), &e),
        },
    }
}

/// Save an entry (new or changed).
pub(super) async fn save_entry(
    State(app): State<App>,
    Path(list): Path<String>,
    Guarded { viewer, form, .. }: Guarded<EntryForm>,
) -> Response {
    let tr = viewer.tr;
    let create = form.create == "1";
    let list_kind = AlertKind::parse(&form.kind).unwrap_or(AlertKind::Wanted);
    let saved = match form.entry(list_kind) {
        Ok(entry) => app.save_alert(&viewer.actor, &list, &entry, create).await,
        Err(v) => Err(v.into()),
    };
    match saved {
        Ok(a) => {
            let notice = Some(tr.t1("alerts-entry-saved", "reference", &a.entry.reference));
            let retired = a.retired_at.is_some();
            entry_page(&viewer, list, false, retired, EntryForm::of(&a.entry), None, notice, StatusCode::OK)
        }
        Err(AppError::Invalid(v)) => {
            let error = Some(field_error(tr, &v));
            entry_page(&viewer, list, create, false, form, error, None, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(AppError::Conflict(_)) => {
            let error = Some(tr.t1("alerts-reference-taken", "reference", &form.reference));
            entry_page(&viewer, list, create, false, form, error, None, StatusCode::CONFLICT)
        }
        Err(e) => error_page(tr, Bar::of(&viewer), &e),
    }
}

/// The reference of the entry to retire.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct RetireForm {
    csrf: String,
    reference: String,
}

/// Retire an entry.
pub(super) async fn retire(
    State(app): State<App>,
    Path(list): Path<String>,
    Guarded { viewer, form, .. }: Guarded<RetireForm>,
) -> Response {
    match app.retire_alert(&viewer.actor, &list, &form.reference).await {
        Ok(a) => {
            let notice = Some(viewer.tr.t1("alerts-entry-retired", "reference", &a.entry.reference));
            entry_page(&viewer, list, false, true, EntryForm::of(&a.entry), None, notice, StatusCode::OK)
        }
        Err(e) => error_page(viewer.tr, Bar::of(&viewer), &e),
    }
}
