//! The enumerator's screens: the count form and the interview, kept on the phone while the
//! link is down and sent when it is back.

use askama::Template;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use frontera_app::informal::{InterviewDraft, SessionDraft, parse_day};
use frontera_app::protection::CaseDraft;
use frontera_app::{App, AppError};
use frontera_domain::access::{Action, Resource, can};
use frontera_domain::informal::{
    Frequency, Interview, InterviewConsent, Means, NoDocument, Purpose, SightAge, Stay, Tally,
};
use frontera_domain::{CountryCode, Direction, Rule, Sex, ValidationError};
use serde::Deserialize;
use uuid::Uuid;

use super::guard::Guarded;
use super::i18n::Tr;
use super::informal::choice;
use super::protection::{back_or_error, opt};
use super::session::Viewer;
use super::shell::Choice;
use super::shell::{Bar, error_page, page};

struct CountBlock {
    plan: String,
    point: String,
    point_name: String,
    day: String,
    day_label: String,
    block: u32,
    time: String,
    counted: bool,
    today: bool,
}

#[derive(Template)]
#[template(path = "informal_count.html")]
struct CountPage {
    tr: Tr,
    bar: Option<Bar>,
    next: String,
    csrf: String,
    session_id: String,
    interview_id: String,
    blocks: Vec<CountBlock>,
    slots: Vec<Choice>,
    today: String,
    chosen: Option<(String, String, u32)>,
    directions: Vec<Choice>,
    sexes: Vec<Choice>,
    ages: Vec<Choice>,
    means: Vec<Choice>,
    purposes: Vec<Choice>,
    frequencies: Vec<Choice>,
    stays: Vec<Choice>,
    reasons: Vec<Choice>,
    done: Option<String>,
    last_session: String,
}

/// What the count page asks: a block chosen from the list, a message after sending.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CountQuery {
    point: String,
    day: String,
    block: String,
    done: String,
    session: String,
}

fn options(tr: Tr, prefix: &str, values: &[&str]) -> Vec<Choice> {
    values.iter().map(|v| choice(v, tr.t(&format!("informal-{prefix}-{v}")), false)).collect()
}

/// The enumerator's page: the blocks they are assigned, the count form and the interview form.
pub async fn count(State(app): State<App>, viewer: Viewer, Query(q): Query<CountQuery>) -> Response {
    let tr = viewer.tr;
    let r = Resource::of(viewer.actor.scope.country);
    if !can(&viewer.actor, Action::RecordCount, r).allowed() {
        return error_page(tr, Bar::of(&viewer), &AppError::Forbidden("counting is not yours to do".into()));
    }
    let mine = frontera_app::informal::works_own_blocks(&viewer.actor);
    let enumerator = (!mine).then_some(viewer.actor.name.as_str());
    let (blocks, points) =
        match (app.assignments(&viewer.actor, None, enumerator).await, app.points(&viewer.actor, None).await)
        {
            (Ok(b), Ok(p)) => (b, p),
            (Err(e), _) | (_, Err(e)) => return error_page(tr, Bar::of(&viewer), &e),
        };
    let today = app.now().date_naive();
    // Blocks from a week back (late counts) to two weeks ahead.
    let shown: Vec<CountBlock> = blocks
        .iter()
        .filter(|b| b.day >= today - chrono::Duration::days(7) && b.day <= today + chrono::Duration::days(14))
        .map(|b| CountBlock {
            plan: b.plan_name.clone(),
            point: b.point.clone(),
            point_name: b.point_name.clone(),
            day: b.day.to_string(),
            day_label: super::shell::date(tr.lang, b.day),
            block: b.block,
            time: format!("{}–{}", b.start, b.end),
            counted: b.session.is_some(),
            today: b.day == today,
        })
        .collect();
    let chosen = match (opt(&q.point), opt(&q.day), q.block.trim().parse::<u32>().ok()) {
        (Some(p), Some(d), Some(b)) => Some((p, d, b)),
        _ => shown.iter().find(|b| !b.counted && b.today).map(|b| (b.point.clone(), b.day.clone(), b.block)),
    };
    page(
        StatusCode::OK,
        &CountPage {
            tr,
            bar: Bar::of(&viewer),
            next: "/informal/count".into(),
            csrf: viewer.session.csrf_token.clone(),
            session_id: Uuid::now_v7().to_string(),
            interview_id: Uuid::now_v7().to_string(),
            blocks: shown,
            slots: points
                .iter()
                .filter(|p| p.state == "active")
                .flat_map(|p| {
                    p.point.blocks.iter().enumerate().map(|(i, b)| {
                        let value = format!("{}/{i}", p.point.id);
                        let label = format!(
                            "{} · {}–{}",
                            p.point.name,
                            b.start.format("%H:%M"),
                            b.end.format("%H:%M")
                        );
                        let selected =
                            chosen.as_ref().is_some_and(|(cp, _, cb)| *cp == p.point.id && *cb as usize == i);
                        choice(&value, label, selected)
                    })
                })
                .collect(),
            today: today.to_string(),
            chosen,
            directions: options(tr, "direction", &["entry", "exit"]),
            sexes: options(tr, "sex", &["F", "M", "X"]),
            ages: options(tr, "age", &["adult", "child", "older"]),
            means: options(tr, "means", &["foot", "boat", "bicycle", "vehicle"]),
            purposes: options(tr, "purpose", &["work", "trade", "family", "services", "transit", "other"]),
            frequencies: options(
                tr,
                "frequency",
                &["daily", "weekly", "monthly", "occasionally", "first_time"],
            ),
            stays: options(tr, "stay", &["same_day", "under_week", "under_month", "longer"]),
            reasons: options(
                tr,
                "why",
                &["no_need", "cost", "distance", "time", "not_eligible", "lost", "other"],
            ),
            done: opt(&q.done).map(|d| tr.t(&format!("informal-done-{d}"))),
            last_session: q.session.trim().to_string(),
        },
    )
}

/// The count form as posted without the script: `d{i}`, `s{i}`, `a{i}`, `m{i}`, `c{i}`, `g{i}`,
/// `n{i}` for each line.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct CountForm {
    csrf: String,
    id: String,
    slot: String,
    day: String,
    groups: String,
    note: String,
    missed: String,
    not_watched: String,
}

fn lines(body: &str) -> Result<Vec<Tally>, ValidationError> {
    let fields: std::collections::HashMap<String, String> =
        form_urlencoded::parse(body.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let mut out = Vec::new();
    for i in 0..50 {
        let Some(n) = fields.get(&format!("n{i}")) else { continue };
        let n = n.trim();
        if n.is_empty() || n == "0" {
            continue;
        }
        let get = |k: &str| fields.get(&format!("{k}{i}")).cloned().unwrap_or_default();
        let at = |f: &str| format!("tallies[{i}].{f}");
        out.push(Tally {
            direction: parsed(Direction::parse(&get("d")), &at("direction"))?,
            sex: parsed(Sex::parse(&get("s")), &at("sex"))?,
            age: parsed(SightAge::parse(&get("a")), &at("age"))?,
            means: parsed(Means::parse(&get("m")), &at("means"))?,
            nationality: optional_country(&get("c"), &at("nationality"))?,
            goods: get("g") == "on",
            persons: n
                .parse()
                .map_err(|_| ValidationError::new(at("persons"), Rule::OutOfRange { min: 1, max: 10_000 }))?,
        });
    }
    Ok(out)
}

/// A value of a form's select, parsed, or the rule it broke named with its field.
fn parsed<T>(result: Result<T, Rule>, field: &str) -> Result<T, ValidationError> {
    result.map_err(|rule| ValidationError::new(field, rule))
}

/// A nationality typed on a form (`GTM`), none when left empty.
fn optional_country(text: &str, field: &str) -> Result<Option<CountryCode>, ValidationError> {
    match text.trim() {
        "" => Ok(None),
        t => CountryCode::parse_field(&t.to_ascii_uppercase(), field).map(Some),
    }
}

/// A count session posted by the plain form.
pub(super) async fn send_form(
    State(app): State<App>,
    Guarded { viewer, form, body }: Guarded<CountForm>,
) -> Response {
    let result = async {
        let missed = form.missed == "on";
        let draft = SessionDraft {
            not_watched: missed.then(|| form.not_watched.trim().to_string()),
            id: Uuid::parse_str(form.id.trim()).map_err(|_| ValidationError::new("id", Rule::NotAUuid))?,
            point: form.slot.rsplit_once('/').map(|(p, _)| p.trim().to_string()).unwrap_or_default(),
            day: parse_day(&form.day, "day")?,
            block: form
                .slot
                .rsplit_once('/')
                .and_then(|(_, b)| b.trim().parse().ok())
                .ok_or_else(|| ValidationError::new("slot", Rule::Required))?,
            groups: if missed { 0 } else { form.groups.trim().parse().unwrap_or(0) },
            tallies: if missed { Vec::new() } else { lines(&body)? },
            note: opt(&form.note),
            sent_at: None,
        };
        let stored = app.record_session(&viewer.actor, &draft).await?;
        Ok::<_, AppError>(format!("/informal/count?done=session&session={}", stored.id))
    };
    back_or_error(&viewer, result.await)
}

/// A session or an interview sent by the count page's script, as JSON, with the session's CSRF
/// token in `x-csrf-token`: the answer is JSON, an error naming its field in the viewer's
/// language.
pub async fn send_json(
    State(app): State<App>,
    viewer: Viewer,
    Path(what): Path<String>,
    headers: HeaderMap,
    body: String,
) -> Response {
    let token = headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).unwrap_or_default();
    if !viewer.csrf_ok(token) {
        return (StatusCode::FORBIDDEN, Json(serde_json::json!({"error": {"code": "form_expired", "message": viewer.tr.t("form-expired")}})))
            .into_response();
    }
    let result = async {
        let invalid = |e: serde_json::Error| {
            AppError::from(ValidationError::new(
                "body",
                Rule::syntax(format!("not JSON: {e}"), format!("no es JSON: {e}")),
            ))
        };
        match what.as_str() {
            "session" => {
                let draft: SessionDraft = serde_json::from_str(&body).map_err(invalid)?;
                app.record_session(&viewer.actor, &draft).await
            }
            "interview" => {
                let draft: InterviewDraft = serde_json::from_str(&body).map_err(invalid)?;
                app.record_interview(&viewer.actor, &draft).await
            }
            other => Err(AppError::NotFound(other.to_string())),
        }
    };
    match result.await {
        Ok(stored) => Json(stored).into_response(),
        Err(e) => {
            let (status, field) = match &e {
                AppError::Invalid(v) => (StatusCode::UNPROCESSABLE_ENTITY, Some(v.field.clone())),
                AppError::Conflict(_) | AppError::Refused { .. } => (StatusCode::CONFLICT, None),
                AppError::Forbidden(_) => (StatusCode::FORBIDDEN, None),
                AppError::NotFound(_) => (StatusCode::NOT_FOUND, None),
                _ => (StatusCode::INTERNAL_SERVER_ERROR, None),
            };
            let message = match &e {
                AppError::Invalid(v) => format!("{}: {}", v.field, v.message(viewer.tr.lang)),
                other => other.message(viewer.tr.lang),
            };
            (status, Json(serde_json::json!({"error": {"message": message, "field": field}}))).into_response()
        }
    }
}

/// The interview form as posted without the script.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct InterviewForm {
    csrf: String,
    id: String,
    session: String,
    consent: String,
    referral: String,
    direction: String,
    sex: String,
    age: String,
    nationality: String,
    origin: String,
    destination: String,
    purpose: String,
    frequency: String,
    stay: String,
    holds_document: String,
    why_not: String,
    needs: String,
    concern: String,
    given_names: String,
    surnames: String,
    profile: String,
}

/// An interview posted by the plain form.
pub(super) async fn interview_form(
    State(app): State<App>,
    Guarded { viewer, form: f, .. }: Guarded<InterviewForm>,
) -> Response {
    let result = async {
        let referral = f.referral == "on";
        let uuid = |text: &str, field: &str| {
            Uuid::parse_str(text.trim()).map_err(|_| ValidationError::new(field, Rule::NotAUuid))
        };
        let interview = Interview {
            id: uuid(&f.id, "id")?,
            session: uuid(&f.session, "session")?,
            consent: InterviewConsent { given: f.consent == "on", referral },
            direction: parsed(Direction::parse(&f.direction), "direction")?,
            sex: parsed(Sex::parse(&f.sex), "sex")?,
            age: parsed(SightAge::parse(&f.age), "age")?,
            nationality: optional_country(&f.nationality, "nationality")?,
            origin: f.origin.trim().to_string(),
            destination: f.destination.trim().to_string(),
            purpose: parsed(Purpose::parse(&f.purpose), "purpose")?,
            frequency: parsed(Frequency::parse(&f.frequency), "frequency")?,
            stay: parsed(Stay::parse(&f.stay), "stay")?,
            holds_document: f.holds_document == "yes",
            why_not: opt(&f.why_not).map(|w| parsed(NoDocument::parse(&w), "why_not")).transpose()?,
            needs: opt(&f.needs),
            protection_concern: f.concern == "on",
        };
        let refer = referral.then(|| CaseDraft {
            given_names: opt(&f.given_names),
            surnames: opt(&f.surnames),
            sex: opt(&f.sex),
            nationality: opt(&f.nationality).map(|n| n.to_ascii_uppercase()),
            profiles: opt(&f.profile).into_iter().collect(),
            ..CaseDraft::default()
        });
        let draft = InterviewDraft { interview, refer };
        let stored = app.record_interview(&viewer.actor, &draft).await?;
        Ok::<_, AppError>(format!(
            "/informal/count?done={}&session={}",
            if stored.case.is_some() { "referred" } else { "interview" },
            draft.interview.session
        ))
    };
    back_or_error(&viewer, result.await)
}
