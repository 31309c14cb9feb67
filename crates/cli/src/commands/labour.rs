//! `frontera labour`: the labour registry as CSV or XLSX files.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;

use crate::common::{Node, console, failed, lang, load, open, say, write_out};

#[derive(Subcommand)]
pub(crate) enum LabourWhat {
    /// Import employers, workers or permits from a CSV or XLSX file (columns by name, in any
    /// order): every row checked first; any bad row and nothing is stored, each named by its
    /// line and column.
    Import {
        /// `employers`, `workers` or `permits`.
        #[arg(value_parser = ["employers", "workers", "permits"])]
        what: String,
        /// The file (CSV, or an XLSX workbook's first sheet).
        file: PathBuf,
        /// Check every row, store nothing.
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        node: Node,
    },
    /// Seasonal demand month by month against the permits in force and issued and the border
    /// workers who crossed, as CSV.
    Demand {
        /// The first month, `YYYY-MM` (default: this month).
        #[arg(long)]
        from: Option<String>,
        /// The last month, `YYYY-MM` (default: eleven months after the first).
        #[arg(long)]
        to: Option<String>,
        /// Only this sector (ISIC section).
        #[arg(long)]
        sector: Option<String>,
        /// Only this state or district (ISO 3166-2).
        #[arg(long)]
        region: Option<String>,
        #[command(flatten)]
        node: Node,
    },
    /// Permits in force on a day, by any of kind, sector, region, nationality, sex, age_group,
    /// as CSV.
    Permits {
        /// The dimensions, comma-separated.
        #[arg(long, default_value = "")]
        by: String,
        /// The day, `YYYY-MM-DD` (default: today).
        #[arg(long)]
        as_of: Option<String>,
        /// Apply disclosure control.
        #[arg(long)]
        public: bool,
        /// The smallest count shown under disclosure control.
        #[arg(long)]
        threshold: Option<u64>,
        #[command(flatten)]
        node: Node,
    },
    /// The crossings of permit holders, by any of month, port, direction, kind, sector and
    /// standing (in_force, lapsed, none on the day), as CSV.
    Holders {
        /// The dimensions, comma-separated.
        #[arg(long, default_value = "")]
        by: String,
        /// The first local day, `YYYY-MM-DD`.
        #[arg(long)]
        from: Option<String>,
        /// The last local day, `YYYY-MM-DD`.
        #[arg(long)]
        to: Option<String>,
        /// Apply disclosure control.
        #[arg(long)]
        public: bool,
        /// The smallest count shown under disclosure control.
        #[arg(long)]
        threshold: Option<u64>,
        #[command(flatten)]
        node: Node,
    },
    /// Write the registry's employers, workers or permits.
    Export {
        /// `employers`, `workers` or `permits`.
        #[arg(value_parser = ["employers", "workers", "permits"])]
        what: String,
        /// `csv` or `xlsx`.
        #[arg(long, default_value = "csv", value_parser = ["csv", "xlsx"])]
        format: String,
        /// The file (default: standard output).
        #[arg(long, short)]
        output: Option<PathBuf>,
        #[command(flatten)]
        node: Node,
    },
}

/// `frontera directory import|export|search`.
pub(crate) async fn labour(cli_config: &Option<PathBuf>, what: LabourWhat) -> Result<ExitCode, String> {
    use frontera_app::labour::{RegistryFile, SheetFormat};
    match what {
        LabourWhat::Import { what, file, dry_run, node } => {
            let config = load(cli_config, &node, None)?;
            let which = RegistryFile::parse(&what).map_err(|e| failed(e.into()))?;
            let bytes = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let app = open(&config).await?;
            let r = app
                .import_registry(&console(&config), which, &bytes, dry_run, lang())
                .await
                .map_err(failed)?;
            for e in &r.errors {
                eprintln!("{}:{}: {}: {}", file.display(), e.line, e.field, e.message);
            }
            if r.error_count > 0 {
                eprintln!(
                    "{}",
                    say(
                        format!("{} of {} rows are bad: nothing was imported.", r.error_count, r.rows),
                        format!("{} de {} filas tienen errores: no se importó nada.", r.error_count, r.rows),
                    )
                );
                return Ok(ExitCode::from(1));
            }
            eprintln!(
                "{}",
                say(
                    format!(
                        "{} rows read: {} imported, {} already in the registry{}.",
                        r.rows,
                        r.imported,
                        r.already_present,
                        if dry_run { " (a dry run: nothing stored)" } else { "" }
                    ),
                    format!(
                        "{} filas leídas: {} importadas, {} ya estaban en el registro{}.",
                        r.rows,
                        r.imported,
                        r.already_present,
                        if dry_run { " (prueba: no se guardó nada)" } else { "" }
                    ),
                )
            );
            Ok(ExitCode::SUCCESS)
        }
        LabourWhat::Demand { from, to, sector, region, node } => {
            let config = load(cli_config, &node, None)?;
            let app = open(&config).await?;
            let request = frontera_app::labour::DemandReportRequest { from, to, sector, region };
            let report = app.demand_report(&console(&config), &request).await.map_err(failed)?;
            let mut out =
                String::from("month,demanded,permits_in_force,permits_issued,workers_crossing,gap\n");
            for m in &report.months {
                out.push_str(&format!(
                    "{},{},{},{},{},{}\n",
                    m.month, m.demanded, m.permits_in_force, m.permits_issued, m.workers_crossing, m.gap
                ));
            }
            write_out(None, out.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        LabourWhat::Permits { by, as_of, public, threshold, node } => {
            let config = load(cli_config, &node, None)?;
            let app = open(&config).await?;
            let request = frontera_app::labour::PermitTableRequest { by: Some(by), as_of, public, threshold };
            let table = app.permit_table(&console(&config), &request).await.map_err(failed)?;
            let mut out = Vec::new();
            table.write_csv(&mut out).map_err(failed)?;
            write_out(None, &out)?;
            Ok(ExitCode::SUCCESS)
        }
        LabourWhat::Holders { by, from, to, public, threshold, node } => {
            let config = load(cli_config, &node, None)?;
            let app = open(&config).await?;
            let request =
                frontera_app::labour::HolderCrossingsRequest { by: Some(by), from, to, public, threshold };
            let table = app.holder_crossings(&console(&config), &request).await.map_err(failed)?;
            let mut out = Vec::new();
            table.write_csv(&mut out).map_err(failed)?;
            write_out(None, &out)?;
            Ok(ExitCode::SUCCESS)
        }
        LabourWhat::Export { what, format, output, node } => {
            let config = load(cli_config, &node, None)?;
            let which = RegistryFile::parse(&what).map_err(|e| failed(e.into()))?;
            let format = SheetFormat::parse(&format).map_err(|e| failed(e.into()))?;
            let app = open(&config).await?;
            let bytes = app.export_registry(&console(&config), which, format).await.map_err(failed)?;
            write_out(output.as_deref(), &bytes)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
