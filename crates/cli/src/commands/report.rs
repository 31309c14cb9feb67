//! `frontera report`: publications drawn from the statistics.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use frontera_domain::Lang;

use crate::common::{Node, console, failed, load, open, say};
use crate::progress::Bar;

#[derive(Subcommand)]
pub(crate) enum ReportWhat {
    /// The monthly statistical bulletin as a PDF: headline figures with their change on the
    /// previous month and on the same month last year, charts, the standard tables after
    /// disclosure control, definitions and data-quality notes.
    Bulletin {
        /// The month, YYYY-MM.
        #[arg(long)]
        month: String,
        /// The language: en or es.
        #[arg(long, default_value = "en")]
        lang: String,
        /// The country (alpha-3; default: the node's).
        #[arg(long)]
        country: Option<String>,
        /// The smallest count shown.
        #[arg(long, default_value_t = frontera_app::stats::DISCLOSURE_THRESHOLD)]
        threshold: u64,
        /// The PDF's path (default: bulletin-COUNTRY-YYYY-MM-LANG.pdf).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Also write the bulletin's figures as JSON to this path.
        #[arg(long)]
        json: Option<PathBuf>,
        #[command(flatten)]
        node: Node,
    },
}

/// `frontera report`.
pub(crate) async fn report(cli_config: &Option<PathBuf>, what: ReportWhat) -> Result<ExitCode, String> {
    match what {
        ReportWhat::Bulletin { month, lang: code, country, threshold, output, json, node } => {
            let lang = match code.trim() {
                "en" => Lang::En,
                "es" => Lang::Es,
                _ => {
                    let e = frontera_domain::ValidationError::new(
                        "lang",
                        frontera_domain::Rule::OneOf { allowed: &["en", "es"] },
                    );
                    return Err(failed(e.into()));
                }
            };
            let config = load(cli_config, &node, None)?;
            let app = open(&config).await?;
            let started = std::time::Instant::now();
            let bar = Bar::new(false);
            let result = app
                .bulletin(&console(&config), &month, country.as_deref(), lang, Some(threshold), &bar)
                .await;
            bar.finish();
            let bulletin = result.map_err(failed)?;
            let text = frontera_web::bulletin::text(&app, &bulletin);
            let (pdf, pages) = frontera_web::bulletin::pdf::render(&text)?;
            let path = output.unwrap_or_else(|| {
                PathBuf::from(format!("bulletin-{}-{}-{}.pdf", bulletin.country, &month.trim(), lang.code()))
            });
            std::fs::write(&path, &pdf).map_err(|e| format!("{}: {e}", path.display()))?;
            if let Some(json) = json {
                let body = serde_json::to_vec_pretty(&bulletin).map_err(|e| e.to_string())?;
                std::fs::write(&json, body).map_err(|e| format!("{}: {e}", json.display()))?;
            }
            let seconds = format!("{:.1}", started.elapsed().as_secs_f64());
            eprintln!(
                "{}",
                say(
                    format!("Wrote {} ({pages} pages, {} bytes) in {seconds} s.", path.display(), pdf.len()),
                    format!(
                        "Se escribió {} ({pages} páginas, {} bytes) en {seconds} s.",
                        path.display(),
                        pdf.len()
                    ),
                )
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
