//! Informal crossings in the browser: the analyst's overview (a map of the points drawn here,
//! the points and plans, the estimates with their intervals and the month-by-month total flow,
//! as tables and files), a plan's blocks and who watches them, and the enumerator's count form,
//! made for a phone, which keeps what was typed and sends later when the link drops
//! (`static/count.js`; the form works without it, sent at once).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike, Months};
use frontera_app::informal::{
    Assignment, DrawsDraft, EstimateRequest, FlowRequest, InformalEstimate, KeptPoint, Measure,
    MonitoringPlan, PlanDraft, TotalFlow, parse_day, parse_month,
};
use frontera_app::stats::TableFormat;
use frontera_app::{App, AppError};
use frontera_domain::access::{Action, Resource, can};
use frontera_domain::informal::PointDraft;
use frontera_domain::{Lang, Rule, ValidationError};
use serde::Deserialize;

use super::guard::Guarded;
use super::i18n::Tr;
use super::protection::{back_or_error, opt, repeated};
use super::session::Viewer;
use super::shell::Choice;
use super::shell::{Bar, error_page, page};

pub(super) fn choice(value: &str, label: String, selected: bool) -> Choice {
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
