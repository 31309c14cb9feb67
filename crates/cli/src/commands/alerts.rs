//! `frontera alerts` and `frontera screen`: the alert lists and screening against them.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use frontera_app::alerts::{AlertListDraft, ListFormat, ListImport, ScreenRequest};

use crate::common::{Node, console, failed, lang, load, open, say};

/// The arguments of `frontera screen` (documented on the command).
#[derive(clap::Args)]
pub(crate) struct ScreenArgs {
    /// The name, in any order (given names and surnames).
    #[arg(long)]
    pub(crate) name: Option<String>,
    /// Given names (with --surnames, instead of --name).
    #[arg(long, conflicts_with = "name")]
    pub(crate) given_names: Option<String>,
    /// Surnames (with --given-names, instead of --name).
    #[arg(long, conflicts_with = "name")]
    pub(crate) surnames: Option<String>,
    /// Birth date: YYYY, YYYY-MM or YYYY-MM-DD.
    #[arg(long)]
    pub(crate) birth_date: Option<String>,
    /// Nationality (ISO 3166-1 alpha-3).
    #[arg(long)]
    pub(crate) nationality: Option<String>,
    /// A document number.
    #[arg(long)]
    pub(crate) document: Option<String>,
    /// Sex: F, M or X.
    #[arg(long)]
    pub(crate) sex: Option<String>,
    /// Show the best N candidates whatever their score, not only the hits.
    #[arg(long)]
    pub(crate) candidates: Option<u32>,
    /// The country whose lists to screen against (default: the node's).
    #[arg(long)]
    pub(crate) country: Option<String>,
    /// Print `{"hits": [...]}` as JSON.
    #[arg(long)]
    pub(crate) json: bool,
    #[command(flatten)]
    pub(crate) node: Node,
}

#[derive(Subcommand)]
pub(crate) enum AlertsWhat {
    /// Load a new version of an alert list from a file: entries new to it are added, changed ones
    /// updated, and those the file no longer holds retired; all in one transaction, audited. A
    /// file with a bad row stores nothing and names every bad row.
    Import {
        /// The list's name (letters, digits, '.', '_', '-').
        #[arg(long)]
        list: String,
        /// csv (see README.md for its columns) or un-xml (the UN Security Council
        /// Consolidated List).
        #[arg(long)]
        format: String,
        /// The file.
        file: PathBuf,
        /// The kind of its entries, unless a row says otherwise: travel_ban, wanted,
        /// lost_document, missing_child or removal_order.
        #[arg(long)]
        kind: Option<String>,
        /// The list's threshold: the score, above 0 and at most 1, from which a candidate is a hit.
        #[arg(long)]
        threshold: Option<f64>,
        /// Whose list it is (default: the node's country).
        #[arg(long)]
        country: Option<String>,
        #[command(flatten)]
        node: Node,
    },
    /// List the alert lists with their thresholds and sizes.
    Lists {
        #[command(flatten)]
        node: Node,
    },
    /// Set a list's threshold (creating the list if it is new).
    Threshold {
        /// The list's name.
        #[arg(long)]
        list: String,
        /// The threshold, above 0 and at most 1.
        value: f64,
        #[command(flatten)]
        node: Node,
    },
}

pub(crate) async fn alerts(cli_config: &Option<PathBuf>, what: AlertsWhat) -> Result<ExitCode, String> {
    match what {
        AlertsWhat::Import { list, format, file, kind, threshold, country, node } => {
            let config = load(cli_config, &node, None)?;
            let format = ListFormat::parse(&format).map_err(|e| failed(e.into()))?;
            let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let app = open(&config).await?;
            let source = file.file_name().map(|n| n.to_string_lossy().into_owned());
            let import = ListImport { list, format, kind, threshold, source, country, lang: lang() };
            let report = app.import_alert_list(&console(&config), &import, &text).await.map_err(failed)?;
            if !report.errors.is_empty() {
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
                let bad = report.errors.len();
                eprintln!(
                    "{}",
                    say(
                        format!("nothing imported: {bad} bad rows"),
                        format!("no se importó nada: {bad} filas erróneas")
                    )
                );
                return Ok(ExitCode::FAILURE);
            }
            let r = &report;
            println!(
                "{}",
                say(
                    format!(
                        "{}: {} entries read; {} added, {} updated, {} unchanged, {} retired",
                        r.list, r.entries, r.added, r.updated, r.unchanged, r.retired
                    ),
                    format!(
                        "{}: {} entradas leídas; {} añadidas, {} actualizadas, {} sin cambios, {} retiradas",
                        r.list, r.entries, r.added, r.updated, r.unchanged, r.retired
                    ),
                )
            );
            if r.entities_skipped > 0 {
                let n = r.entities_skipped;
                eprintln!(
                    "{}",
                    say(
                        format!("{n} entities (organisations) left out: a border screens persons"),
                        format!(
                            "{n} entidades (organizaciones) omitidas: en la frontera se revisan personas"
                        )
                    )
                );
            }
            if !r.unknown_countries.is_empty() {
                let names = r.unknown_countries.join(", ");
                eprintln!(
                    "{}",
                    say(
                        format!("country names not known here, left out: {names}"),
                        format!("nombres de país desconocidos, omitidos: {names}")
                    )
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        AlertsWhat::Lists { node } => {
            let config = load(cli_config, &node, None)?;
            let app = open(&config).await?;
            let lists = app.alert_lists(&console(&config)).await.map_err(failed)?;
            let header = say(
                "list kind threshold active retired updated".into(),
                "lista tipo umbral vigentes retiradas actualizada".into(),
            );
            let h: Vec<&str> = header.split(' ').collect();
            println!("{:<24} {:<14} {:>9} {:>9} {:>9}  {}", h[0], h[1], h[2], h[3], h[4], h[5]);
            for l in lists {
                println!(
                    "{:<24} {:<14} {:>9.2} {:>9} {:>9}  {}",
                    l.name,
                    l.kind.as_str(),
                    l.threshold,
                    l.active,
                    l.retired,
                    l.updated_at.format("%Y-%m-%d %H:%M")
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        AlertsWhat::Threshold { list, value, node } => {
            let config = load(cli_config, &node, None)?;
            let app = open(&config).await?;
            let draft = AlertListDraft { kind: None, threshold: Some(value) };
            let l = app.save_alert_list(&console(&config), &list, &draft).await.map_err(failed)?;
            println!(
                "{}",
                say(
                    format!("{}: threshold {:.2}", l.name, l.threshold),
                    format!("{}: umbral {:.2}", l.name, l.threshold)
                )
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `frontera screen`.
pub(crate) async fn screen(cli_config: &Option<PathBuf>, args: ScreenArgs) -> Result<ExitCode, String> {
    let ScreenArgs {
        name,
        given_names,
        surnames,
        birth_date,
        nationality,
        document,
        sex,
        candidates,
        country,
        json,
        node,
    } = args;
    let config = load(cli_config, &node, None)?;
    let app = open(&config).await?;
    let request = ScreenRequest {
        name,
        given_names,
        surnames,
        birth_date,
        nationality,
        document,
        sex,
        candidates,
        country,
    };
    let result = app.screen(&console(&config), &request).await.map_err(failed)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&result).map_err(|e| e.to_string())?);
        return Ok(ExitCode::SUCCESS);
    }
    let n = result.entries;
    if result.hits.is_empty() {
        println!(
            "{}",
            say(
                format!("no hit among {n} entries in force"),
                format!("ningún resultado entre {n} entradas vigentes")
            )
        );
    }
    for h in &result.hits {
        let mark = if h.hit { "HIT" } else { "   " };
        let names = h.names.join(" | ");
        println!("{mark} {:.3}  {}/{}  {}  [{}]", h.score, h.list, h.reference, names, h.kind);
        println!("      {}", h.explanation.sentence(lang()));
    }
    Ok(ExitCode::SUCCESS)
}
