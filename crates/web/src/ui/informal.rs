//! Informal crossings in the browser: the analyst's overview (a map of the points drawn here,
//! the points and plans, the estimates with their intervals and the month-by-month total flow,
//! as tables and files), a plan's blocks and who watches them, and the enumerator's count form,
//! made for a phone, which keeps what was typed and sends later when the link drops
//! (`static/count.js`; the form works without it, sent at once).

use askama::Template;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike, Months};
use frontera_app::informal::{
    Assignment, DrawsDraft, EstimateRequest, FlowRequest, InformalEstimate, InterviewDraft, KeptPoint,
    Measure, MonitoringPlan, PlanDraft, SessionDraft, TotalFlow, parse_day, parse_month,
};
use frontera_app::protection::CaseDraft;
use frontera_app::stats::TableFormat;
use frontera_app::{App, AppError};
use frontera_domain::access::{Action, Resource, can};
use frontera_domain::informal::{
    Frequency, Interview, InterviewConsent, Means, NoDocument, PointDraft, Purpose, SightAge, Stay, Tally,
};
use frontera_domain::{CountryCode, Direction, Lang, Rule, Sex, ValidationError};
use serde::Deserialize;
use uuid::Uuid;

use super::guard::Guarded;
use super::i18n::Tr;
use super::protection::{back_or_error, opt, repeated};
use super::session::Viewer;
use super::shell::Choice;
use super::shell::{Bar, error_page, page};

fn choice(value: &str, label: String, selected: bool) -> Choice {
    Choice { value: value.to_string(), label, selected }
}

fn plans_monitoring(viewer: &Viewer) -> bool {
    let r = Resource::of(viewer.actor.scope.country);
    can(&viewer.actor, Action::ManageMonitoring, r).allowed()
}

/// A point on the map: its place in the drawing's box.
struct Dot {
    x: f64,
    y: f64,
    label: String,
    port: bool,
}

/// Points and the ports near them, projected into a 600 × 360 box (equirectangular: the
/// stretch is a few dozen kilometres, where that is true enough).
fn map(points: &[KeptPoint], ports: &[(String, f64, f64)]) -> Vec<Dot> {
    let all: Vec<(f64, f64)> = points
        .iter()
        .map(|p| (p.point.longitude, p.point.latitude))
        .chain(ports.iter().map(|p| (p.1, p.2)))
        .collect();
    if all.is_empty() {
        return Vec::new();
    }
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for (x, y) in &all {
        (x0, x1, y0, y1) = (x0.min(*x), x1.max(*x), y0.min(*y), y1.max(*y));
    }
    let span = (x1 - x0).max(y1 - y0).max(0.01);
    let place = |lon: f64, lat: f64| (40.0 + (lon - x0) / span * 520.0, 330.0 - (lat - y0) / span * 300.0);
    let mut dots: Vec<Dot> = points
        .iter()
        .map(|p| {
            let (x, y) = place(p.point.longitude, p.point.latitude);
            Dot { x, y, label: p.point.name.clone(), port: false }
        })
        .collect();
    dots.extend(ports.iter().map(|(name, lon, lat)| {
        let (x, y) = place(*lon, *lat);
        Dot { x, y, label: name.clone(), port: true }
    }));
    dots
}

struct PointLine {
    id: String,
    name: String,
    state: String,
    stretch: String,
    terrain: String,
    settlements: String,
    ports: String,
    blocks: String,
    coordinates: String,
}

struct PlanLine {
    id: String,
    name: String,
    period: String,
    blocks: usize,
    assigned: usize,
}

struct EstimateRow {
    value: String,
    total: String,
    low: String,
    high: String,
    se: String,
    cv: String,
}

struct FlowRow {
    month: String,
    official: u64,
    informal: String,
    interval: String,
    share: String,
    note: String,
}

#[derive(Template)]
#[template(path = "informal.html")]
struct OverviewPage {
    tr: Tr,
    bar: Option<Bar>,
    next: String,
    csrf: String,
    planner: bool,
    dots: Vec<Dot>,
    points: Vec<PointLine>,
    plans: Vec<PlanLine>,
    groups: Vec<Choice>,
    breakdowns: Vec<Choice>,
    measures: Vec<Choice>,
    from: String,
    to: String,
    estimate: Option<Vec<EstimateRow>>,
    estimate_error: Option<String>,
    estimate_meta: String,
    descriptive: Vec<(String, String)>,
    query: String,
    flow: Vec<FlowRow>,
    flow_query: String,
    done: Option<String>,
}

/// What the overview asks.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OverviewQuery {
    from: String,
    to: String,
    group: String,
    by: String,
    measure: String,
    done: String,
}

fn number(lang: Lang, n: f64) -> String {
    let rounded = n.round() as i64;
    let digits = rounded.unsigned_abs().to_string();
    let sep = if lang == Lang::Es { ' ' } else { ',' };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    if rounded < 0 { format!("-{out}") } else { out }
}

fn value_label(tr: Tr, by: Option<&str>, value: &str) -> String {
    if value == "_T" {
        return tr.t("informal-total");
    }
    if by == Some("nationality")
        && let Ok(country) = frontera_domain::CountryCode::parse(value)
    {
        return country.name(tr.lang).to_string();
    }
    match by {
        Some(b) => {
            let key = format!("informal-{b}-{value}");
            let label = tr.t(&key);
            if label == key { value.to_string() } else { label }
        }
        None => value.to_string(),
    }
}

fn estimate_rows(tr: Tr, e: &InformalEstimate) -> Vec<EstimateRow> {
    e.lines
        .iter()
        .map(|l| EstimateRow {
            value: value_label(tr, e.by.as_deref(), &l.value),
            total: number(tr.lang, l.total),
            low: number(tr.lang, l.low),
            high: number(tr.lang, l.high),
            se: number(tr.lang, l.standard_error),
            cv: format!("{:.1} %", l.cv * 100.0),
        })
        .collect()
}

fn flow_rows(tr: Tr, f: &TotalFlow) -> Vec<FlowRow> {
    f.months
        .iter()
        .map(|m| FlowRow {
            month: m.month.clone(),
            official: m.official_entries + m.official_exits,
            informal: m.informal.as_ref().map(|i| number(tr.lang, i.total)).unwrap_or_default(),
            interval: m
                .informal
                .as_ref()
                .map(|i| format!("{} – {}", number(tr.lang, i.low), number(tr.lang, i.high)))
                .unwrap_or_default(),
            share: m.informal_share.map(|s| format!("{:.0} %", s * 100.0)).unwrap_or_default(),
            note: m.note.as_ref().map(|n| n[usize::from(tr.lang == Lang::Es)].clone()).unwrap_or_default(),
        })
        .collect()
}

/// The overview: map, points, plans, estimates and the total flow.
pub async fn overview(State(app): State<App>, viewer: Viewer, Query(q): Query<OverviewQuery>) -> Response {
    let tr = viewer.tr;
    if frontera_app::informal::works_own_blocks(&viewer.actor) {
        return Redirect::to("/informal/count").into_response();
    }
    let (points, plans) = match (app.points(&viewer.actor, None).await, app.plans(&viewer.actor, None).await)
    {
        (Ok(p), Ok(l)) => (p, l),
        (Err(e), _) | (_, Err(e)) => return error_page(tr, Bar::of(&viewer), &e),
    };
    // The period shown: asked, or the latest plan's.
    let (from, to) = match (parse_day(&q.from, "from"), parse_day(&q.to, "to")) {
        (Ok(f), Ok(t)) => (f, t),
        _ => plans
            .iter()
            .find(|p| p.to < app.now().date_naive())
            .or(plans.first())
            .map_or_else(|| (app.now().date_naive(), app.now().date_naive()), |p| (p.from, p.to)),
    };
    let group = opt(&q.group);
    let by = opt(&q.by);
    let measure = Measure::parse(Some(&q.measure)).unwrap_or(Measure::Crossings);
    let request = EstimateRequest { country: None, from, to, group: group.clone(), by: by.clone(), measure };
    let (estimate, estimate_error) = if plans.is_empty() {
        (None, None)
    } else {
        match app.estimate_informal(&viewer.actor, &request).await {
            Ok(e) => (Some(e), None),
            Err(AppError::Invalid(v)) => (
                None,
                Some(match v.rule {
                    Rule::Refused { en, es } => {
                        if tr.lang == Lang::Es {
                            es
                        } else {
                            en
                        }
                    }
                    rule => ValidationError { rule, ..v }.message(tr.lang),
                }),
            ),
            Err(e) => return error_page(tr, Bar::of(&viewer), &e),
        }
    };
    let last = to.with_day(1).unwrap_or(to);
    let first = last.checked_sub_months(Months::new(5)).unwrap_or(last);
    let flow = match app
        .total_flow(
            &viewer.actor,
            &FlowRequest { country: None, from: first, to: last, group: group.clone() },
        )
        .await
    {
        Ok(f) => f,
        Err(e) => return error_page(tr, Bar::of(&viewer), &e),
    };
    let mut stretches: Vec<String> = points.iter().map(|p| p.point.stretch.clone()).collect();
    stretches.sort();
    stretches.dedup();
    let nearby: Vec<(String, f64, f64)> = app
        .ports
        .all()
        .filter(|port| points.iter().any(|p| p.point.nearby_ports.contains(&port.id)))
        .filter_map(|port| port.location.map(|[lat, lon]| (port.name.clone(), lon, lat)))
        .collect();
    let query = format!(
        "from={from}&to={to}&group={}&by={}&measure={}",
        group.clone().unwrap_or_default(),
        by.clone().unwrap_or_default(),
        measure.as_str()
    );
    let descriptive = estimate
        .as_ref()
        .map(|e| {
            let d = &e.descriptive;
            let mut out = vec![
                (tr.t("informal-sessions"), d.sessions.to_string()),
                (tr.t("informal-days"), d.days.to_string()),
                (tr.t("informal-counted"), number(tr.lang, d.persons)),
                (tr.t("informal-per-day"), format!("{:.1}", d.per_day)),
                (tr.t("informal-per-session"), format!("{:.1}", d.per_session)),
            ];
            let shown_by =
                by.as_deref().filter(|b| !matches!(*b, "purpose" | "document")).unwrap_or("direction");
            out.extend(
                d.shares
                    .iter()
                    .map(|(v, s)| (value_label(tr, Some(shown_by), v), format!("{:.0} %", s * 100.0))),
            );
            out
        })
        .unwrap_or_default();
    let estimate_meta = estimate
        .as_ref()
        .map(|e| {
            tr.t1("informal-rests-on", "blocks", &e.blocks_drawn.to_string())
                + " "
                + &tr.t1("informal-interviews-used", "count", &e.interviews.to_string())
        })
        .unwrap_or_default();
    page(
        StatusCode::OK,
        &OverviewPage {
            tr,
            bar: Bar::of(&viewer),
            next: "/informal".into(),
            csrf: viewer.session.csrf_token.clone(),
            planner: plans_monitoring(&viewer),
            dots: map(&points, &nearby),
            points: points
                .iter()
                .map(|p| PointLine {
                    id: p.point.id.clone(),
                    name: p.point.name.clone(),
                    state: tr.t(&format!("informal-state-{}", p.state)),
                    stretch: p.point.stretch.clone(),
                    terrain: tr.t(&format!("informal-terrain-{}", p.point.terrain)),
                    settlements: p.point.settlements.join(" ↔ "),
                    ports: p.point.nearby_ports.iter().map(|n| n.as_str()).collect::<Vec<_>>().join(", "),
                    blocks: p
                        .point
                        .blocks
                        .iter()
                        .map(|b| format!("{}–{}", b.start.format("%H:%M"), b.end.format("%H:%M")))
                        .collect::<Vec<_>>()
                        .join(", "),
                    coordinates: format!("{:.4}, {:.4}", p.point.latitude, p.point.longitude),
                })
                .collect(),
            plans: plans
                .iter()
                .map(|p| PlanLine {
                    id: p.id.clone(),
                    name: p.name.clone(),
                    period: format!("{} – {}", p.from, p.to),
                    blocks: p.design.assignments.len(),
                    assigned: p.enumerators.iter().flatten().count(),
                })
                .collect(),
            groups: stretches.iter().map(|s| choice(s, s.clone(), group.as_deref() == Some(s))).collect(),
            breakdowns: frontera_app::informal::BREAKDOWNS
                .iter()
                .map(|b| choice(b, tr.t(&format!("informal-by-{b}")), by.as_deref() == Some(*b)))
                .collect(),
            measures: ["crossings", "persons"]
                .iter()
                .map(|m| choice(m, tr.t(&format!("informal-measure-{m}")), measure.as_str() == *m))
                .collect(),
            from: from.to_string(),
            to: to.to_string(),
            estimate: estimate.as_ref().map(|e| estimate_rows(tr, e)),
            estimate_error,
            estimate_meta,
            descriptive,
            query,
            flow: flow_rows(tr, &flow),
            flow_query: format!(
                "from={}&to={}&group={}",
                first.format("%Y-%m"),
                last.format("%Y-%m"),
                group.unwrap_or_default()
            ),
            done: opt(&q.done).map(|d| tr.t(&format!("informal-done-{d}"))),
        },
    )
}

/// What a download asks.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DownloadQuery {
    from: String,
    to: String,
    group: String,
    by: String,
    measure: String,
    format: String,
}

/// An estimate or the total flow as a file (`estimate` or `flow`).
pub async fn download(
    State(app): State<App>,
    viewer: Viewer,
    Path(what): Path<String>,
    Query(q): Query<DownloadQuery>,
) -> Response {
    let tr = viewer.tr;
    let result = async {
        let format = TableFormat::parse(Some(&q.format), TableFormat::Csv)?;
        if format == TableFormat::Json {
            return Err(ValidationError::new(
                "format",
                Rule::OneOf { allowed: &["csv", "sdmx-csv", "hxl", "xlsx"] },
            )
            .into());
        }
        let bytes = match what.as_str() {
            "estimate" => {
                let request = EstimateRequest {
                    country: None,
                    from: parse_day(&q.from, "from")?,
                    to: parse_day(&q.to, "to")?,
                    group: opt(&q.group),
                    by: opt(&q.by),
                    measure: Measure::parse(Some(&q.measure))?,
                };
                app.estimate_informal(&viewer.actor, &request).await?.render(format, tr.lang)?
            }
            "flow" => {
                let request = FlowRequest {
                    country: None,
                    from: parse_month(&q.from, "from")?,
                    to: parse_month(&q.to, "to")?,
                    group: opt(&q.group),
                };
                app.total_flow(&viewer.actor, &request).await?.render(format, tr.lang)?
            }
            other => return Err(AppError::NotFound(format!("download {other}"))),
        };
        Ok::<_, AppError>((format, bytes))
    };
    match result.await {
        Ok((format, bytes)) => {
            let name = format!("informal-{what}.{}", format.extension());
            (
                [
                    (header::CONTENT_TYPE, format.content_type().to_string()),
                    (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
                ],
                bytes,
            )
                .into_response()
        }
        Err(e) => error_page(tr, Bar::of(&viewer), &e),
    }
}

struct BlockLine {
    index: usize,
    day: String,
    time: String,
    point: String,
    stratum: String,
    weight: String,
    enumerator: String,
    counted: bool,
    not_watched: String,
}

#[derive(Template)]
#[template(path = "informal_plan.html")]
struct PlanPage {
    tr: Tr,
    bar: Option<Bar>,
    next: String,
    csrf: String,
    planner: bool,
    plan_id: String,
    name: String,
    period: String,
    seed: u64,
    market_days: String,
    strata: Vec<(String, usize, usize, u32)>,
    blocks: Vec<BlockLine>,
    enumerators: Vec<String>,
    done: Option<String>,
}

/// What a plan's page asks.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

/// A plan: its strata, its blocks with their weights, who watches each and whether it was counted.
pub async fn plan(
    State(app): State<App>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let tr = viewer.tr;
    let (plan, blocks): (MonitoringPlan, Vec<Assignment>) =
        match (app.plan(&viewer.actor, &id).await, app.assignments(&viewer.actor, Some(&id), None).await) {
            (Ok(p), Ok(b)) => (p, b),
            (Err(e), _) | (_, Err(e)) => return error_page(tr, Bar::of(&viewer), &e),
        };
    let planner = plans_monitoring(&viewer);
    let enumerators = if planner {
        app.enumerators(&viewer.actor, plan.country).await.unwrap_or_default()
    } else {
        Vec::new()
    };
    page(
        StatusCode::OK,
        &PlanPage {
            tr,
            bar: Bar::of(&viewer),
            next: format!("/informal/plans/{id}"),
            csrf: viewer.session.csrf_token.clone(),
            planner,
            plan_id: plan.id.clone(),
            name: plan.name.clone(),
            period: format!("{} – {}", plan.from, plan.to),
            seed: plan.seed,
            market_days: plan
                .market_days
                .iter()
                .map(|d| tr.t(&format!("informal-weekday-{d}")))
                .collect::<Vec<_>>()
                .join(", "),
            strata: plan
                .design
                .strata
                .iter()
                .map(|s| (s.name.clone(), s.units.len(), s.draw_units, s.draw_blocks))
                .collect(),
            blocks: blocks
                .iter()
                .map(|b| BlockLine {
                    index: b.index,
                    day: super::shell::date(tr.lang, b.day),
                    time: format!("{}–{}", b.start, b.end),
                    point: b.point_name.clone(),
                    stratum: b.stratum.clone(),
                    weight: format!("{:.1}", 1.0 / b.probability),
                    enumerator: b.enumerator.clone().unwrap_or_default(),
                    counted: b.session.is_some(),
                    not_watched: b.not_watched.clone().unwrap_or_default(),
                })
                .collect(),
            enumerators,
            done: opt(&q.done).map(|d| tr.t(&format!("informal-done-{d}"))),
        },
    )
}

/// The forms of the overview and the plan page.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct InformalForm {
    csrf: String,
    id: String,
    name: String,
    latitude: String,
    longitude: String,
    terrain: String,
    stretch: String,
    blocks: String,
    ports: String,
    from: String,
    to: String,
    market_days: String,
    weekday: String,
    market: String,
    weekend: String,
    seed: String,
}

fn float(text: &str, field: &str) -> Result<Option<f64>, ValidationError> {
    match text.trim() {
        "" => Ok(None),
        t => t.replace(',', ".").parse().map(Some).map_err(|_| {
            ValidationError::new(
                field,
                Rule::syntax("a number of degrees, as 18.49", "un número de grados, como 18.49"),
            )
        }),
    }
}

fn split(text: &str) -> Vec<String> {
    text.split([',', ' ', '\n']).map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
}

/// A form posted: `point`, `plan`, `retire-{point}` or `assign-{plan}`.
pub(super) async fn act(
    State(app): State<App>,
    Path(action): Path<String>,
    Guarded { viewer, form, body }: Guarded<InformalForm>,
) -> Response {
    let a = &viewer.actor;
    let result: Result<String, AppError> = async {
        match action.as_str() {
            "point" => {
                let settlements = repeated(&body, "settlements");
                let draft = PointDraft {
                    id: opt(&form.id),
                    name: opt(&form.name),
                    latitude: float(&form.latitude, "latitude")?,
                    longitude: float(&form.longitude, "longitude")?,
                    terrain: opt(&form.terrain),
                    stretch: opt(&form.stretch),
                    settlements,
                    nearby_ports: split(&form.ports),
                    blocks: split(&form.blocks),
                };
                app.save_point(a, &draft).await.map(|_| "/informal?done=point".to_string())
            }
            "plan" => {
                let by_kind = DrawsDraft::by_kind(&form.weekday, &form.market, &form.weekend)?;
                let draft = PlanDraft {
                    name: opt(&form.name),
                    from: opt(&form.from),
                    to: opt(&form.to),
                    points: repeated(&body, "points").into_iter().filter(|p| !p.is_empty()).collect(),
                    market_days: repeated(&body, "market_days")
                        .into_iter()
                        .filter(|d| !d.is_empty())
                        .collect(),
                    draws: by_kind,
                    seed: match form.seed.trim() {
                        "" => None,
                        s => Some(s.parse().map_err(|_| {
                            ValidationError::new("seed", Rule::OutOfRange { min: 0, max: i64::MAX })
                        })?),
                    },
                };
                app.draw_plan(a, &draft).await.map(|p| format!("/informal/plans/{}?done=plan", p.id))
            }
            other => {
                if let Some(point) = other.strip_prefix("retire-") {
                    return app.retire_point(a, point).await.map(|_| "/informal?done=retire".to_string());
                }
                let Some(plan) = other.strip_prefix("assign-") else {
                    return Err(AppError::NotFound(format!("action {other}")));
                };
                // `e{index}` = enumerator, for every block on the page.
                let list: Vec<(usize, String)> = form_urlencoded::parse(body.as_bytes())
                    .filter_map(|(k, v)| Some((k.strip_prefix('e')?.parse().ok()?, v.into_owned())))
                    .collect();
                app.assign(a, plan, &list).await.map(|_| format!("/informal/plans/{plan}?done=assign"))
            }
        }
    }
    .await;
    back_or_error(&viewer, result)
}

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
