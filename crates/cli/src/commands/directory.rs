//! `frontera directory`: the service directory (HSDS 3.0).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;

use crate::common::{Node, console, failed, load, open, say, write_out};

#[derive(Subcommand)]
pub(crate) enum DirectoryWhat {
    /// Load services with their organisations and locations from HSDS 3.0: a JSON file (an
    /// array of services, or a page of an HSDS API) or a folder of HSDS CSV tables
    /// (`organizations.csv`, `services.csv`, …): all or nothing, every fault named by its path
    /// (JSON) or its file, line and column (CSV).
    Import {
        /// The JSON file, or the folder of CSV tables.
        file: PathBuf,
        #[command(flatten)]
        node: Node,
    },
    /// Write the whole directory as HSDS 3.0: JSON (nested services), or CSV tables with a
    /// `datapackage.json` in a folder.
    Export {
        /// The file (default: standard output); for `csv`, the folder to write the tables in.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// `json` or `csv`.
        #[arg(long, default_value = "json", value_parser = ["json", "csv"])]
        format: String,
        #[command(flatten)]
        node: Node,
    },
    /// Find services: by kind (shelter, legal_aid, …), place, language and the person's age.
    Search {
        /// A kind of service (a taxonomy code).
        #[arg(long)]
        kind: Option<String>,
        /// A city or region.
        #[arg(long)]
        place: Option<String>,
        /// A language (ISO 639: es, en, …).
        #[arg(long)]
        language: Option<String>,
        /// The person's age.
        #[arg(long)]
        age: Option<u8>,
        /// Only services in this country (alpha-3).
        #[arg(long)]
        country: Option<String>,
        #[command(flatten)]
        node: Node,
    },
}

pub(crate) async fn directory(cli_config: &Option<PathBuf>, what: DirectoryWhat) -> Result<ExitCode, String> {
    use frontera_app::directory::{ServiceQuery, read_hsds, write_hsds};
    match what {
        DirectoryWhat::Import { file, node } => {
            let config = load(cli_config, &node, None)?;
            let part = if file.is_dir() {
                let mut files = std::collections::HashMap::new();
                for (name, _) in frontera_app::directory::tabular::TABLES {
                    let path = file.join(name);
                    if path.exists() {
                        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                        files.insert(name.to_string(), bytes);
                    }
                }
                frontera_app::directory::tabular::read_tabular(&files, config.country)
            } else {
                let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
                read_hsds(&text, config.country)
            }
            .map_err(|e| failed(e.into()))?;
            let app = open(&config).await?;
            let source = file.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            let c = app.save_directory(&console(&config), &part, &source).await.map_err(failed)?;
            eprintln!(
                "{}",
                say(
                    format!("{} records added, {} updated, {} unchanged.", c.added, c.updated, c.unchanged),
                    format!(
                        "{} registros añadidos, {} actualizados, {} sin cambios.",
                        c.added, c.updated, c.unchanged
                    ),
                )
            );
            Ok(ExitCode::SUCCESS)
        }
        DirectoryWhat::Export { output, format, node } => {
            let config = load(cli_config, &node, None)?;
            let app = open(&config).await?;
            let services = frontera_app::directory::nest(&app.directory().await.map_err(failed)?);
            if format == "csv" {
                let Some(folder) = output else {
                    return Err(say(
                        "--output: the folder to write the CSV tables in is required with --format csv"
                            .into(),
                        "--output: con --format csv hace falta la carpeta donde escribir las tablas CSV"
                            .into(),
                    ));
                };
                let files =
                    frontera_app::directory::tabular::write_tabular(&services).map_err(|e| e.to_string())?;
                std::fs::create_dir_all(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
                for (name, bytes) in &files {
                    let path = folder.join(name);
                    std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
                }
                eprintln!(
                    "{}",
                    say(
                        format!(
                            "{} services in {} files in {}.",
                            services.len(),
                            files.len(),
                            folder.display()
                        ),
                        format!(
                            "{} servicios en {} archivos en {}.",
                            services.len(),
                            files.len(),
                            folder.display()
                        ),
                    )
                );
            } else {
                let body = serde_json::to_vec_pretty(&write_hsds(&services)).map_err(|e| e.to_string())?;
                write_out(output.as_deref(), &body)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        DirectoryWhat::Search { kind, place, language, age, country, node } => {
            let config = load(cli_config, &node, None)?;
            let app = open(&config).await?;
            let query = ServiceQuery { kind, place, language, age, country };
            let services = app.search_services(&query).await.map_err(failed)?;
            let body = serde_json::to_vec_pretty(&write_hsds(&services)).map_err(|e| e.to_string())?;
            write_out(None, &body)?;
            eprintln!(
                "{}",
                say(format!("{} services.", services.len()), format!("{} servicios.", services.len()))
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
