//! `frontera import` and `frontera export`: crossings in and out as files.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Subcommand;
use frontera_app::crossings::CrossingFilter;
use frontera_app::transfer::ImportOptions;

use crate::common::{Node, console, failed, lang, load, open, say};
use crate::progress::Bar;

#[derive(Subcommand)]
pub(crate) enum ImportWhat {
    /// Import crossings from a CSV file with the columns of `frontera export crossings` (at least
    /// occurred_at, port_id, direction, category, document_kind, document_number, issuing_state,
    /// first_surname, sex, nationality). Every row is checked and the import runs in one
    /// transaction: one bad row and nothing is stored, unless --skip-invalid is given. Each bad
    /// row is named by line, column and rule.
    Crossings {
        /// The CSV file.
        file: PathBuf,
        /// Store the good rows and report the bad ones.
        #[arg(long)]
        skip_invalid: bool,
        /// Only check every row and report; store nothing.
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        node: Node,
    },
}

#[derive(Subcommand)]
pub(crate) enum ExportWhat {
    /// Export crossings as CSV, oldest first.
    Crossings {
        /// Write here instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Only at this port.
        #[arg(long)]
        port: Option<String>,
        /// From this instant (RFC 3339).
        #[arg(long)]
        from: Option<String>,
        /// Before this instant (RFC 3339).
        #[arg(long)]
        to: Option<String>,
        #[command(flatten)]
        node: Node,
    },
}

/// `frontera import`.
pub(crate) async fn import(cli_config: &Option<PathBuf>, what: ImportWhat) -> Result<ExitCode, String> {
    match what {
        ImportWhat::Crossings { file, skip_invalid, dry_run, node } => {
            let config = load(cli_config, &node, None)?;
            let app = open(&config).await?;
            let bar = Arc::new(Bar::new(true));
            let options = ImportOptions { skip_invalid, dry_run, lang: lang() };
            let report =
                app.import_crossings(&console(&config), &file, options, bar.clone()).await.map_err(failed)?;
            bar.finish();
            for e in &report.errors {
                let (line, field, message) = (e.line, &e.field, &e.message);
                eprintln!(
                    "{}: {}",
                    file.display(),
                    say(
                        format!("line {line}: {field}: {message}"),
                        format!("línea {line}: {field}: {message}")
                    )
                );
            }
            let more = report.error_count - report.errors.len() as u64;
            if more > 0 {
                eprintln!(
                    "{}",
                    say(format!("… and {more} more bad rows"), format!("… y {more} filas erróneas más"))
                );
            }
            let (n, present, bad, rows) =
                (report.inserted, report.already_present, report.error_count, report.rows);
            if dry_run {
                let valid = report.valid;
                println!(
                    "{}",
                    say(
                        format!("checked {rows} rows: {valid} good, {bad} bad; nothing stored (--dry-run)"),
                        format!(
                            "se revisaron {rows} filas: {valid} correctas, {bad} erróneas; no se guardó nada (--dry-run)"
                        ),
                    )
                );
                return Ok(if bad == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE });
            }
            if report.committed {
                println!(
                    "{}",
                    say(
                        format!(
                            "imported {n} crossings ({present} already present, {bad} bad rows skipped) of {rows} rows"
                        ),
                        format!(
                            "se importaron {n} cruces ({present} ya presentes, {bad} filas erróneas omitidas) de {rows} filas"
                        ),
                    )
                );
                Ok(ExitCode::SUCCESS)
            } else {
                eprintln!(
                    "{}",
                    say(
                        format!(
                            "nothing imported: {bad} of {rows} rows are bad; fix them, or pass --skip-invalid to import the others"
                        ),
                        format!(
                            "no se importó nada: {bad} de {rows} filas son erróneas; corríjalas o use --skip-invalid para importar las demás"
                        ),
                    )
                );
                Ok(ExitCode::FAILURE)
            }
        }
    }
}

/// `frontera export`.
pub(crate) async fn export(cli_config: &Option<PathBuf>, what: ExportWhat) -> Result<ExitCode, String> {
    match what {
        ExportWhat::Crossings { output, port, from, to, node } => {
            let config = load(cli_config, &node, None)?;
            let app = open(&config).await?;
            let filter = CrossingFilter { port, from, to, ..CrossingFilter::default() };
            let bar = Bar::new(false);
            let n = match &output {
                Some(path) => {
                    let file = std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
                    let mut w = std::io::BufWriter::new(file);
                    app.export_crossings(&console(&config), &filter, &mut w, &bar).await
                }
                None => {
                    let mut w = std::io::BufWriter::new(std::io::stdout().lock());
                    app.export_crossings(&console(&config), &filter, &mut w, &bar).await
                }
            }
            .map_err(failed)?;
            bar.finish();
            eprintln!("{}", say(format!("exported {n} crossings"), format!("se exportaron {n} cruces")));
            Ok(ExitCode::SUCCESS)
        }
    }
}
