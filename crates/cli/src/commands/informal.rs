//! `frontera informal`: informal crossing points, sampling plans, assignments, estimates and
//! the total flow, from the node's console.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::Subcommand;
use frontera_app::informal::{
    DrawsDraft, EstimateRequest, FlowRequest, Measure, PlanDraft, parse_day, parse_month,
};
use frontera_app::stats::TableFormat;
use frontera_domain::Lang;
use frontera_domain::informal::PointDraft;

use crate::common::{Node, console, failed, load, open, say, write_out};

#[derive(Subcommand)]
pub(crate) enum InformalWhat {
    /// Add or change points from a JSON file (an array of points: `id`, `name`, `latitude`,
    /// `longitude`, `terrain`, `stretch`, `settlements`, `nearby_ports`, `blocks`).
    AddPoints {
        /// The JSON file.
        file: PathBuf,
        #[command(flatten)]
        node: Node,
    },
    /// The points of the node's country, as CSV.
    Points {
        #[command(flatten)]
        node: Node,
    },
    /// Draw a sampling plan and print its blocks as CSV, with their inclusion probabilities.
    Plan {
        /// Its name.
        #[arg(long)]
        name: String,
        /// The first day, `YYYY-MM-DD`.
        #[arg(long)]
        from: String,
        /// The last day (at most 92 days on).
        #[arg(long)]
        to: String,
        /// The points, comma-separated (default: every active point).
        #[arg(long, default_value = "")]
        points: String,
        /// The market weekdays, comma-separated (`mon` … `sun`).
        #[arg(long, default_value = "")]
        market_days: String,
        /// Point-days × blocks to draw on weekdays, as `UNITSxBLOCKS`.
        #[arg(long)]
        weekday: Option<String>,
        /// The same on market days.
        #[arg(long)]
        market: Option<String>,
        /// The same at weekends.
        #[arg(long)]
        weekend: Option<String>,
        /// The draw's seed (default: a fresh one, recorded with the plan).
        #[arg(long)]
        seed: Option<u64>,
        #[command(flatten)]
        node: Node,
    },
    /// The blocks of the plans, by day, with their enumerator and session, as CSV.
    Assignments {
        /// One plan's.
        #[arg(long)]
        plan: Option<String>,
        #[command(flatten)]
        node: Node,
    },
    /// Estimated informal crossings or persons, with their standard error and 95% interval.
    Estimate {
        /// The first day, `YYYY-MM-DD`.
        #[arg(long)]
        from: String,
        /// The last day.
        #[arg(long)]
        to: String,
        /// A group of points (their stretch).
        #[arg(long)]
        group: Option<String>,
        /// `direction`, `sex`, `age`, `means`, `goods`, `nationality`, `purpose` or `document`.
        #[arg(long)]
        by: Option<String>,
        /// `crossings` or `persons`.
        #[arg(long, default_value = "crossings")]
        measure: String,
        /// `csv`, `sdmx-csv`, `hxl`, `xlsx` or `json`.
        #[arg(long, default_value = "csv")]
        format: String,
        /// The file (default: standard output).
        #[arg(long, short)]
        output: Option<PathBuf>,
        #[command(flatten)]
        node: Node,
    },
    /// The total flow month by month: the posts' crossings beside the informal estimate.
    Flow {
        /// The first month, `YYYY-MM`.
        #[arg(long)]
        from: String,
        /// The last month.
        #[arg(long)]
        to: String,
        /// A group of points: the posts counted are then the ports near them.
        #[arg(long)]
        group: Option<String>,
        /// `csv`, `sdmx-csv`, `hxl`, `xlsx` or `json`.
        #[arg(long, default_value = "csv")]
        format: String,
        /// The file (default: standard output).
        #[arg(long, short)]
        output: Option<PathBuf>,
        #[command(flatten)]
        node: Node,
    },
}

fn day(text: &str, field: &str) -> Result<NaiveDate, String> {
    parse_day(text, field).map_err(|e| failed(e.into()))
}

fn month(text: &str, field: &str) -> Result<NaiveDate, String> {
    parse_month(text, field).map_err(|e| failed(e.into()))
}

/// The figures as `format` asks: JSON, or one of the files `render` writes.
fn file<T: serde::Serialize>(
    value: &T,
    format: TableFormat,
    render: impl FnOnce(Lang) -> Result<Vec<u8>, frontera_app::AppError>,
) -> Result<Vec<u8>, String> {
    if format == TableFormat::Json {
        serde_json::to_vec_pretty(value).map_err(|e| e.to_string())
    } else {
        render(crate::common::lang()).map_err(failed)
    }
}

fn list(text: &str) -> Vec<String> {
    text.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
}

fn format_of(text: &str) -> Result<TableFormat, String> {
    TableFormat::parse(Some(text), TableFormat::Csv).map_err(|e| failed(e.into()))
}

fn csv_line(cells: &[String]) -> String {
    let quoted: Vec<String> =
        cells
            .iter()
            .map(|c| {
                if c.contains([',', '"', '\n']) {
                    format!("\"{}\"", c.replace('"', "\"\""))
                } else {
                    c.clone()
                }
            })
            .collect();
    format!("{}\n", quoted.join(","))
}

/// `frontera informal …`.
pub(crate) async fn informal(cli_config: &Option<PathBuf>, what: InformalWhat) -> Result<ExitCode, String> {
    match what {
        InformalWhat::AddPoints { file, node } => {
            let config = load(cli_config, &node, None)?;
            let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let drafts: Vec<PointDraft> =
                serde_json::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?;
            let app = open(&config).await?;
            let actor = console(&config);
            for (i, d) in drafts.iter().enumerate() {
                app.save_point(&actor, d)
                    .await
                    .map_err(|e| format!("{}: [{i}] {}", file.display(), failed(e)))?;
            }
            eprintln!(
                "{}",
                say(format!("{} points saved.", drafts.len()), format!("{} puntos guardados.", drafts.len()))
            );
            Ok(ExitCode::SUCCESS)
        }
        InformalWhat::Points { node } => {
            let config = load(cli_config, &node, None)?;
            let app = open(&config).await?;
            let mut out = csv_line(
                &[
                    "id",
                    "name",
                    "state",
                    "terrain",
                    "stretch",
                    "latitude",
                    "longitude",
                    "settlements",
                    "nearby_ports",
                    "blocks",
                ]
                .map(String::from),
            );
            for p in app.points(&console(&config), None).await.map_err(failed)? {
                let q = &p.point;
                out.push_str(&csv_line(&[
                    q.id.clone(),
                    q.name.clone(),
                    p.state.clone(),
                    q.terrain.to_string(),
                    q.stretch.clone(),
                    q.latitude.to_string(),
                    q.longitude.to_string(),
                    q.settlements.join(" | "),
                    q.nearby_ports.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(" "),
                    q.blocks
                        .iter()
                        .map(|b| format!("{}-{}", b.start.format("%H:%M"), b.end.format("%H:%M")))
                        .collect::<Vec<_>>()
                        .join(" "),
                ]));
            }
            write_out(None, out.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        InformalWhat::Plan { name, from, to, points, market_days, weekday, market, weekend, seed, node } => {
            let config = load(cli_config, &node, None)?;
            let text = |d: &Option<String>| d.clone().unwrap_or_default();
            let by_kind = DrawsDraft::by_kind(&text(&weekday), &text(&market), &text(&weekend))
                .map_err(|e| failed(e.into()))?;
            let draft = PlanDraft {
                name: Some(name),
                from: Some(from),
                to: Some(to),
                points: list(&points),
                market_days: list(&market_days),
                draws: by_kind,
                seed,
            };
            let app = open(&config).await?;
            let actor = console(&config);
            let plan = app.draw_plan(&actor, &draft).await.map_err(failed)?;
            eprintln!(
                "{}",
                say(
                    format!(
                        "Plan {} drawn: {} blocks (seed {}).",
                        plan.id,
                        plan.design.assignments.len(),
                        plan.seed
                    ),
                    format!(
                        "Plan {} sorteado: {} bloques (semilla {}).",
                        plan.id,
                        plan.design.assignments.len(),
                        plan.seed
                    ),
                )
            );
            assignments_csv(&app, &actor, Some(&plan.id)).await?;
            Ok(ExitCode::SUCCESS)
        }
        InformalWhat::Assignments { plan, node } => {
            let config = load(cli_config, &node, None)?;
            let app = open(&config).await?;
            assignments_csv(&app, &console(&config), plan.as_deref()).await?;
            Ok(ExitCode::SUCCESS)
        }
        InformalWhat::Estimate { from, to, group, by, measure, format, output, node } => {
            let config = load(cli_config, &node, None)?;
            let format = format_of(&format)?;
            let request = EstimateRequest {
                country: None,
                from: day(&from, "from")?,
                to: day(&to, "to")?,
                group,
                by,
                measure: Measure::parse(Some(&measure)).map_err(|e| failed(e.into()))?,
            };
            let app = open(&config).await?;
            let e = app.estimate_informal(&console(&config), &request).await.map_err(failed)?;
            let bytes = file(&e, format, |lang| e.render(format, lang))?;
            write_out(output.as_deref(), &bytes)?;
            Ok(ExitCode::SUCCESS)
        }
        InformalWhat::Flow { from, to, group, format, output, node } => {
            let config = load(cli_config, &node, None)?;
            let format = format_of(&format)?;
            let request =
                FlowRequest { country: None, from: month(&from, "from")?, to: month(&to, "to")?, group };
            let app = open(&config).await?;
            let flow = app.total_flow(&console(&config), &request).await.map_err(failed)?;
            let bytes = file(&flow, format, |lang| flow.render(format, lang))?;
            write_out(output.as_deref(), &bytes)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn assignments_csv(
    app: &frontera_app::App,
    actor: &frontera_domain::access::Actor,
    plan: Option<&str>,
) -> Result<(), String> {
    let mut out = csv_line(
        &[
            "plan",
            "index",
            "day",
            "point",
            "block",
            "start",
            "end",
            "stratum",
            "probability",
            "enumerator",
            "session",
        ]
        .map(String::from),
    );
    for a in app.assignments(actor, plan, None).await.map_err(failed)? {
        out.push_str(&csv_line(&[
            a.plan,
            a.index.to_string(),
            a.day.to_string(),
            a.point,
            a.block.to_string(),
            a.start,
            a.end,
            a.stratum,
            format!("{:.6}", a.probability),
            a.enumerator.unwrap_or_default(),
            a.session.map(|s| s.to_string()).unwrap_or_default(),
            a.not_watched.unwrap_or_default(),
        ]));
    }
    write_out(None, out.as_bytes())
}
