//! Protection in the browser: the inbox (cases worked, referrals sent and received) with the
//! screening form that opens a case, a case's page (notes, steps, consents, referrals) and a
//! referral's page (the packet, its steps, the side's next step).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use frontera_app::protection::{
    Case, CaseDraft, ConsentDraft, Referral, ReferralDraft, ReferralView, StoredConsent,
};
use frontera_app::{App, AppError};
use frontera_domain::protection::{CaseStep, DataCategory, Event, Party, Profile, RiskLevel};
use serde::Deserialize;

use super::guard::Guarded;
use super::i18n::Tr;
use super::session::Viewer;
use super::shell::{Bar, date, error_page, form_expired, may, page};

/// A choice of a form.
pub(super) struct Pick {
    value: String,
    label: String,
    checked: bool,
}

fn picks(tr: Tr, prefix: &str, values: &[&str], checked: &[&str]) -> Vec<Pick> {
    values
        .iter()
        .map(|v| Pick {
            value: v.to_string(),
            label: tr.t(&format!("{prefix}-{v}")),
            checked: checked.contains(v),
        })
        .collect()
}

fn profile_names(tr: Tr, profiles: &[Profile]) -> String {
    profiles.iter().map(|p| tr.t(&format!("profile-{}", p.as_str()))).collect::<Vec<_>>().join(", ")
}

/// A case's line in the inbox.
pub(super) struct CaseLine {
    href: String,
    name: String,
    profiles: String,
    risk: String,
    step: String,
    opened: String,
}

/// A referral's line.
pub(super) struct ReferralLine {
    href: String,
    name: String,
    side: String,
    to: String,
    priority: String,
    state: String,
    overdue: bool,
}

fn referral_line(tr: Tr, v: &ReferralView) -> ReferralLine {
    let r = &v.referral;
    ReferralLine {
        href: format!("/protection/referrals/{}", r.id),
        name: r.packet.name.clone(),
        side: tr.t(if v.side == Party::Sender { "protection-sent" } else { "protection-received" }),
        to: r.receiver.0.clone(),
        priority: tr.t(&format!("priority-{}", r.lifecycle.priority.as_str())),
        state: tr.t(&format!("referral-state-{}", r.lifecycle.state.as_str())),
        overdue: v.overdue,
    }
}

#[derive(Template)]
#[template(path = "protection.html")]
struct InboxPage {
    tr: Tr,
    bar: Option<Bar>,
    next: String,
    csrf: String,
    opens: bool,
    cases: Vec<CaseLine>,
    referrals: Vec<ReferralLine>,
    profiles: Vec<Pick>,
    risks: Vec<Pick>,
    crossing: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct InboxQuery {
    /// The crossing the case is opened from (the counter's button).
    crossing: String,
}

/// The protection inbox, and the form that opens a case.
pub async fn inbox(State(app): State<App>, viewer: Viewer, Query(q): Query<InboxQuery>) -> Response {
    let tr = viewer.tr;
    let cases = match app.my_cases(&viewer.actor).await {
        Ok(c) => c,
        Err(e) => return error_page(tr, Bar::of(&viewer), &e),
    };
    let referrals = match app.referrals(&viewer.actor).await {
        Ok(r) => r,
        Err(e) => return error_page(tr, Bar::of(&viewer), &e),
    };
    let cases = cases
        .iter()
        .map(|c| CaseLine {
            href: format!("/protection/cases/{}", c.id),
            name: format!("{} {}", c.person.given_names, c.person.surnames),
            profiles: profile_names(tr, &c.profiles),
            risk: tr.t(&format!("risk-{}", c.risk.as_str())),
            step: tr.t(&format!("step-{}", c.step.as_str())),
            opened: date(tr.lang, c.opened_at.date_naive()),
        })
        .collect();
    let opens = may(&viewer.actor, frontera_domain::Action::OpenCase);
    page(
        StatusCode::OK,
        &InboxPage {
            tr,
            bar: Bar::of(&viewer),
            next: "/protection".into(),
            csrf: viewer.session.csrf_token.clone(),
            opens,
            cases,
            referrals: referrals.iter().map(|v| referral_line(tr, v)).collect(),
            profiles: picks(tr, "profile", Profile::NAMES, &[]),
            risks: picks(tr, "risk", RiskLevel::NAMES, &["medium"]),
            crossing: q.crossing,
        },
    )
}

/// The screening form, as posted.
#[derive(Debug, Default, Deserialize)]
pub struct CaseForm {
    #[serde(default)]
    given_names: String,
    #[serde(default)]
    surnames: String,
    #[serde(default)]
    birth_date: String,
    #[serde(default)]
    sex: String,
    #[serde(default)]
    nationality: String,
    #[serde(default)]
    languages: String,
    #[serde(default)]
    risk: String,
    #[serde(default)]
    caregiver_informed: String,
    #[serde(default)]
    crossing: String,
    #[serde(default)]
    note: String,
}

pub(super) fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

/// The repeated fields of a posted form (`profiles`, `data`, `service_kinds`).
pub(super) fn repeated(body: &str, name: &str) -> Vec<String> {
    form_urlencoded::parse(body.as_bytes()).filter(|(k, _)| k == name).map(|(_, v)| v.into_owned()).collect()
}

pub(super) fn back_or_error(viewer: &Viewer, result: Result<String, AppError>) -> Response {
    match result {
        Ok(to) => Redirect::to(&to).into_response(),
        Err(e) => error_page(viewer.tr, Bar::of(viewer), &e),
    }
}

/// Opens a case from the screening form.
pub async fn open(State(app): State<App>, Guarded { viewer, form, body }: Guarded<CaseForm>) -> Response {
    let draft = CaseDraft {
        given_names: opt(&form.given_names),
        surnames: opt(&form.surnames),
        birth_date: opt(&form.birth_date),
        sex: opt(&form.sex),
        nationality: opt(&form.nationality),
        languages: form
            .languages
            .split(',')
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect(),
        profiles: repeated(&body, "profiles"),
        risk: opt(&form.risk),
        caregiver_informed: (form.caregiver_informed == "on").then_some(true),
        crossing_id: opt(&form.crossing),
        note: opt(&form.note),
    };
    let result = app.open_case(&viewer.actor, &draft).await;
    back_or_error(&viewer, result.map(|c| format!("/protection/cases/{}", c.id)))
}

/// A service at a location, for the referral form.
pub(super) struct Place {
    id: String,
    label: String,
}

#[derive(Template)]
#[template(path = "protection_case.html")]
struct CasePage {
    tr: Tr,
    bar: Option<Bar>,
    next: String,
    csrf: String,
    case: Case,
    name: String,
    birth: String,
    profiles: String,
    risk: String,
    step: String,
    pending: Option<String>,
    notes: Vec<(String, String, String)>,
    tasks: Vec<(u32, String, String, Option<String>)>,
    consents: Vec<(StoredConsent, String)>,
    referrals: Vec<ReferralLine>,
    places: Vec<Place>,
    kinds: Vec<Pick>,
    data: Vec<Pick>,
    priorities: Vec<Pick>,
    last_step: bool,
    files: Vec<FileLine>,
    owners: Vec<Pick>,
}

/// An attachment's line on a case's page.
pub(super) struct FileLine {
    href: String,
    name: String,
    about: String,
}

/// A size in words: bytes, KiB or MiB.
fn size_of(bytes: u64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{:.1} KiB", b as f64 / 1024.0),
        b => format!("{:.1} MiB", b as f64 / (1024.0 * 1024.0)),
    }
}

/// A case's page.
pub async fn case(State(app): State<App>, viewer: Viewer, Path(id): Path<String>) -> Response {
    let tr = viewer.tr;
    let loaded = async {
        let case = app.case(&viewer.actor, &id).await?;
        let (consents, referrals) = app.case_file(&viewer.actor, &id).await?;
        let directory = app.directory().await?;
        let files = app.case_attachments(&viewer.actor, &id).await?;
        let owners = app.case_owners(&viewer.actor, &id).await?;
        Ok::<_, AppError>((case, consents, referrals, directory, files, owners))
    }
    .await;
    let (case, consents, referrals, directory, files, owners) = match loaded {
        Ok(l) => l,
        Err(e) => return error_page(tr, Bar::of(&viewer), &e),
    };
    let places = directory
        .service_at_locations
        .iter()
        .filter_map(|sal| {
            let s = directory.services.iter().find(|s| s.id == sal.service_id)?;
            let l = directory.locations.iter().find(|l| l.id == sal.location_id)?;
            Some(Place {
                id: sal.id.clone(),
                label: format!("{} · {}, {} ({})", s.name, l.city, l.region, l.country),
            })
        })
        .collect();
    let consent_lines = consents
        .into_iter()
        .map(|c| {
            let state = match (c.consent.withdrawn_at, c.consent.expires_at) {
                (Some(w), _) => tr.t1("protection-consent-withdrawn", "date", &date(tr.lang, w.date_naive())),
                (None, Some(e)) => tr.t1("protection-consent-until", "date", &date(tr.lang, e.date_naive())),
                (None, None) => tr.t("protection-consent-given"),
            };
            (c, state)
        })
        .collect();
    let views: Vec<ReferralLine> = referrals
        .into_iter()
        .map(|r: Referral| {
            let overdue = r.lifecycle.is_overdue(app.now());
            let answer_due = r.lifecycle.answer_due();
            referral_line(tr, &ReferralView { side: Party::Sender, referral: r, answer_due, overdue })
        })
        .collect();
    let page_data = CasePage {
        tr,
        bar: Bar::of(&viewer),
        next: format!("/protection/cases/{id}"),
        csrf: viewer.session.csrf_token.clone(),
        name: format!("{} {}", case.person.given_names, case.person.surnames),
        birth: case.person.birth_date.map(|b| b.to_string()).unwrap_or_else(|| "—".into()),
        profiles: profile_names(tr, &case.profiles),
        risk: tr.t(&format!("risk-{}", case.risk.as_str())),
        step: tr.t(&format!("step-{}", case.step.as_str())),
        pending: case.pending.as_ref().map(|(s, by)| {
            tr.t_args(
                "protection-pending",
                &[("step", tr.t(&format!("step-{}", s.as_str())).into()), ("by", by.clone().into())],
            )
        }),
        notes: case
            .notes
            .iter()
            .map(|n| (date(tr.lang, n.at.date_naive()), n.by.clone(), n.text.clone()))
            .collect(),
        tasks: case
            .tasks
            .iter()
            .map(|t| {
                let done = t.done.as_ref().map(|(at, by)| {
                    tr.t_args(
                        "protection-task-done-by",
                        &[("by", by.clone().into()), ("date", date(tr.lang, at.date_naive()).into())],
                    )
                });
                (t.number, date(tr.lang, t.due), t.text.clone(), done)
            })
            .collect(),
        consents: consent_lines,
        referrals: views,
        places,
        kinds: picks(tr, "kind", &frontera_domain::directory::taxonomy_codes(), &[]),
        data: picks(tr, "data", DataCategory::NAMES, &["identity", "needs"]),
        priorities: picks(tr, "priority", frontera_domain::protection::Priority::NAMES, &["normal"]),
        last_step: case.step == CaseStep::Closure || case.closed_at.is_some(),
        owners: owners
            .iter()
            .map(|o| Pick { value: o.clone(), label: o.clone(), checked: *o == case.owner })
            .collect(),
        files: files
            .iter()
            .map(|f| FileLine {
                href: format!("/protection/cases/{id}/attachments/{}", f.id),
                name: f.name.clone(),
                about: tr.t_args(
                    "protection-file-about",
                    &[
                        ("kind", f.media_type.split(';').next().unwrap_or_default().to_string().into()),
                        ("size", size_of(f.size).into()),
                        ("by", f.added_by.clone().into()),
                        ("date", date(tr.lang, f.added_at.date_naive()).into()),
                    ],
                ),
            })
            .collect(),
        case,
    };
    page(StatusCode::OK, &page_data)
}

/// A form on a case's page: the CSRF token and whatever it carries.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CaseAction {
    csrf: String,
    text: String,
    owner: String,
    due: String,
    guardian_name: String,
    guardian_relationship: String,
    purpose: String,
    organisations: String,
    expires_at: String,
    service_at_location: String,
    priority: String,
    reason: String,
    override_reason: String,
}

/// Acts on a case: `note`, `step`, `approve`, `consent`, `withdraw/{consent}`, `refer`.
pub async fn act(
    State(app): State<App>,
    Path((id, action)): Path<(String, String)>,
    Guarded { viewer, form, body }: Guarded<CaseAction>,
) -> Response {
    let back = format!("/protection/cases/{id}");
    let a = &viewer.actor;
    let result: Result<String, AppError> = match action.as_str() {
        "note" => app.add_case_note(a, &id, &form.text).await.map(|_| back.clone()),
        "owner" => app.reassign_case(a, &id, &form.owner).await.map(|_| back.clone()),
        "task" => app.add_case_task(a, &id, &form.text, &form.due).await.map(|_| back.clone()),
        "step" => app.advance_case(a, &id).await.map(|_| back.clone()),
        "approve" => app.approve_case_step(a, &id).await.map(|_| back.clone()),
        "consent" => {
            let draft = ConsentDraft {
                guardian_name: opt(&form.guardian_name),
                guardian_relationship: opt(&form.guardian_relationship),
                purpose: opt(&form.purpose),
                organisations: form
                    .organisations
                    .split(',')
                    .map(|o| o.trim().to_string())
                    .filter(|o| !o.is_empty())
                    .collect(),
                service_kinds: repeated(&body, "service_kinds"),
                data: repeated(&body, "data"),
                expires_at: opt(&form.expires_at)
                    .map(|d| if d.len() == 10 { format!("{d}T23:59:59Z") } else { d }),
            };
            app.add_consent(a, &id, &draft).await.map(|_| back.clone())
        }
        "refer" => {
            let draft = ReferralDraft {
                service_at_location: opt(&form.service_at_location),
                priority: opt(&form.priority),
                reason: opt(&form.reason),
                services: Vec::new(),
                data: repeated(&body, "data"),
                override_reason: opt(&form.override_reason),
            };
            app.refer(a, &id, &draft).await.map(|r| format!("/protection/referrals/{}", r.id))
        }
        other => {
            match (other.strip_prefix("withdraw-"), other.strip_prefix("task-done-").map(str::parse::<u32>)) {
                (Some(consent), _) => app.withdraw_consent(a, &id, consent).await.map(|_| back.clone()),
                (_, Some(Ok(n))) => app.complete_case_task(a, &id, n).await.map(|_| back.clone()),
                _ => Err(AppError::NotFound(format!("action {other}"))),
            }
        }
    };
    back_or_error(&viewer, result)
}

#[derive(Template)]
#[template(path = "protection_referral.html")]
struct ReferralPage {
    tr: Tr,
    bar: Option<Bar>,
    next: String,
    csrf: String,
    view: ReferralView,
    state: String,
    priority: String,
    needs: String,
    due: String,
    steps: Vec<(String, String, String, String)>,
    actions: Vec<Pick>,
    case_href: Option<String>,
}

/// A referral's page.
pub async fn referral(State(app): State<App>, viewer: Viewer, Path(id): Path<String>) -> Response {
    let tr = viewer.tr;
    let view = match app.referral(&viewer.actor, &id).await {
        Ok(v) => v,
        Err(e) => return error_page(tr, Bar::of(&viewer), &e),
    };
    let l = &view.referral.lifecycle;
    let events: &[&str] = match view.side {
        Party::Receiver => &["receive", "accept", "reject", "start", "complete", "fail"],
        Party::Sender => &["follow_up", "cancel", "close"],
    };
    let steps = l
        .steps
        .iter()
        .map(|s| {
            let note = s.event.text().unwrap_or_default().to_string();
            (
                super::shell::datetime(tr.lang, s.at.with_timezone(&chrono_tz::Tz::UTC)),
                tr.t(&format!("referral-event-{}", s.event.name())),
                tr.t(&format!("referral-state-{}", s.state.as_str())),
                note,
            )
        })
        .collect();
    let page_data = ReferralPage {
        tr,
        bar: Bar::of(&viewer),
        next: format!("/protection/referrals/{id}"),
        csrf: viewer.session.csrf_token.clone(),
        state: tr.t(&format!("referral-state-{}", l.state.as_str())),
        priority: tr.t(&format!("priority-{}", l.priority.as_str())),
        needs: profile_names(tr, &view.referral.packet.needs),
        due: super::shell::datetime(tr.lang, view.answer_due.with_timezone(&chrono_tz::Tz::UTC)),
        steps,
        actions: picks(tr, "referral-event", events, &[]),
        case_href: (view.side == Party::Sender && !view.referral.case_id.is_empty())
            .then(|| format!("/protection/cases/{}", view.referral.case_id)),
        view,
    };
    page(StatusCode::OK, &page_data)
}

/// A step on a referral, as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StepForm {
    csrf: String,
    event: String,
    text: String,
}

/// Takes a step on a referral.
pub async fn step(
    State(app): State<App>,
    Path(id): Path<String>,
    Guarded { viewer, form, .. }: Guarded<StepForm>,
) -> Response {
    let back = format!("/protection/referrals/{id}");
    let text = form.text.trim().to_string();
    let event = match form.event.as_str() {
        "receive" => Event::Receive,
        "accept" => Event::Accept,
        "reject" => Event::Reject { reason: text },
        "start" => Event::Start,
        "complete" => Event::Complete { feedback: text },
        "fail" => Event::Fail { reason: text },
        "cancel" => Event::Cancel { reason: text },
        "follow_up" => Event::FollowUp { note: text },
        "close" => Event::Close,
        _ => {
            let e = frontera_domain::ValidationError::new(
                "event",
                frontera_domain::Rule::OneOf {
                    allowed: &[
                        "receive",
                        "accept",
                        "reject",
                        "start",
                        "complete",
                        "fail",
                        "cancel",
                        "follow_up",
                        "close",
                    ],
                },
            );
            return error_page(viewer.tr, Bar::of(&viewer), &e.into());
        }
    };
    let result = app.act_on_referral(&viewer.actor, &id, event).await.map(|_| back.clone());
    back_or_error(&viewer, result)
}

/// Attaches a file from the case page's upload form (`multipart/form-data`: `csrf`, `file`).
pub async fn upload(
    State(app): State<App>,
    viewer: Viewer,
    Path(id): Path<String>,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let back = format!("/protection/cases/{id}");
    let too_large = || AppError::Invalid(frontera_app::attachments::too_large());
    let Some(fields) = super::shell::posted(multipart).await else {
        return error_page(viewer.tr, Bar::of(&viewer), &too_large());
    };
    if !viewer.csrf_ok(&fields.get("csrf").map(super::shell::Part::text).unwrap_or_default()) {
        return form_expired(&viewer, &back);
    }
    let Some(file) = fields.get("file") else {
        let missing =
            AppError::Invalid(frontera_domain::ValidationError::new("file", frontera_domain::Rule::Required));
        return error_page(viewer.tr, Bar::of(&viewer), &missing);
    };
    let (name, claimed, bytes) =
        (file.file_name.clone().unwrap_or_default(), file.content_type.clone(), &file.bytes);
    let result = app.attach(&viewer.actor, &id, &name, claimed.as_deref(), bytes).await.map(|_| back.clone());
    back_or_error(&viewer, result)
}

/// Downloads a case's attachment (audited).
pub async fn attachment(
    State(app): State<App>,
    viewer: Viewer,
    Path((id, attachment)): Path<(String, String)>,
) -> Response {
    match app.read_attachment(&viewer.actor, &id, &attachment).await {
        Ok((a, content)) => crate::api::attachments::download(&a, content),
        Err(e) => error_page(viewer.tr, Bar::of(&viewer), &e),
    }
}

#[derive(Template)]
#[template(path = "protection_overview.html")]
struct OverviewPage {
    tr: Tr,
    bar: Option<Bar>,
    next: String,
    country: String,
    public: bool,
    controlled: bool,
    cases: Vec<Vec<String>>,
    referrals: Vec<Vec<String>>,
    overdue: u64,
    to_acceptance: String,
    to_completion: String,
}

/// What the overview page asks for.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OverviewQuery {
    /// The country (alpha-3; default: the viewer's).
    country: String,
    /// Under disclosure control (`on`).
    public: String,
}

/// A table of the overview as lines of words: each value in the viewer's language, the count
/// or that it is withheld.
fn overview_lines(
    tr: Tr,
    stats: &frontera_app::stats::CrossingStats,
    prefixes: [&str; 2],
) -> Vec<Vec<String>> {
    let view = stats.view();
    view.lines()
        .iter()
        .map(|l| {
            let mut row: Vec<String> = l
                .key
                .iter()
                .zip(prefixes)
                .map(|(v, prefix)| {
                    if v == frontera_stats::disclosure::TOTAL {
                        tr.t("bulletin-total")
                    } else if prefix.is_empty() {
                        super::notices::organisation_name(tr, v)
                    } else {
                        tr.t(&format!("{prefix}-{v}"))
                    }
                })
                .collect();
            row.push(l.count.map_or_else(|| tr.t("bulletin-withheld"), |c| c.to_string()));
            row
        })
        .collect()
}

/// The overview of a country's protection work: for its protection officers whole, for the
/// binational group under disclosure control.
pub async fn overview(State(app): State<App>, viewer: Viewer, Query(q): Query<OverviewQuery>) -> Response {
    let tr = viewer.tr;
    let o = match app.protection_overview(&viewer.actor, Some(&q.country), q.public == "on").await {
        Ok(o) => o,
        Err(e) => return error_page(tr, Bar::of(&viewer), &e),
    };
    let hours = |h: Option<f64>| {
        h.map_or_else(|| "—".to_string(), |h| tr.t1("protection-hours", "hours", &format!("{h:.1}")))
    };
    let controlled = matches!(o.cases, frontera_app::stats::CrossingStats::Controlled { .. });
    page(
        StatusCode::OK,
        &OverviewPage {
            tr,
            bar: Bar::of(&viewer),
            next: format!("/protection/overview?country={}", o.country),
            country: o.country.to_string(),
            public: q.public == "on",
            controlled,
            cases: overview_lines(tr, &o.cases, ["profile", "risk"]),
            referrals: overview_lines(tr, &o.referrals, ["referral-state", ""]),
            overdue: o.overdue,
            to_acceptance: hours(o.median_hours_to_acceptance),
            to_completion: hours(o.median_hours_to_completion),
        },
    )
}
