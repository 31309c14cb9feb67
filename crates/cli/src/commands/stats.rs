//! `frontera stats`: the tables and studies of the crossings this node holds.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use frontera_app::stats::TableFormat;
use frontera_app::stats::stays::{Study, StudyRequest};
use frontera_domain::Lang;

use crate::common::{Node, console, failed, lang, load, open, say, write_out};
use crate::progress::Bar;

#[derive(Subcommand)]
pub(crate) enum StatsWhat {
    /// Recompute the kept counts from the raw records and fail, listing every difference, when
    /// they disagree.
    Check {
        /// Replace the kept counts with the recomputed ones when they differ.
        #[arg(long)]
        repair: bool,
        #[command(flatten)]
        node: Node,
    },
    /// Count crossings by any dimensions: one column per dimension and a `count` column.
    Crossings {
        /// Comma-separated, any of: day, week, month, quarter, year, port, direction, nationality,
        /// category, sex, age_group (at most one period; none: the grand total).
        #[arg(long, default_value = "")]
        by: String,
        /// The first local day counted, YYYY-MM-DD.
        #[arg(long)]
        from: Option<String>,
        /// The last local day counted, YYYY-MM-DD.
        #[arg(long)]
        to: Option<String>,
        /// csv, sdmx-csv (needs a period in --by), hxl, xlsx or json.
        #[arg(long, default_value = "csv")]
        format: String,
        /// Write the table to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Apply disclosure control, as for a table that leaves the hub: counts under the
        /// threshold, and what would give them away, are withheld; totals are added (`_T`).
        #[arg(long)]
        public: bool,
        /// The smallest count a public table shows.
        #[arg(long, default_value_t = frontera_app::stats::DISCLOSURE_THRESHOLD)]
        threshold: u64,
        /// Only this country's crossings (alpha-3; default: every country the node holds).
        #[arg(long)]
        country: Option<String>,
        #[command(flatten)]
        node: Node,
    },
    /// Print the SDMX-ML 2.1 structure message (data structure definition, dataflow, concepts
    /// and code lists) that `--format sdmx-csv` tables name.
    Structure {
        /// Write it to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
        #[command(flatten)]
        node: Node,
    },
    /// Lengths of the stays that ended: each entry linked to the same traveller's next exit
    /// (by document, then by identity where the document changed), by `length` in days.
    Stays {
        #[command(flatten)]
        args: StudyArgs,
    },
    /// Expected departures by the month the permitted stay ended: on time, late exits, still in
    /// the country (suspected overstays), exit not recorded, and the overstay rate.
    Overstays {
        #[command(flatten)]
        args: StudyArgs,
    },
    /// Crossings classified by the 12/16-month rule: long- and short-term arrivals and
    /// departures, and local mobility (regional-visitor and border-worker cards); provisional
    /// figures flagged until their window has closed.
    Migrants {
        #[command(flatten)]
        args: StudyArgs,
        /// Months of presence (or absence) that make a change of residence.
        #[arg(long, default_value_t = 12)]
        present_months: u32,
        /// The window those months are counted in, from the crossing.
        #[arg(long, default_value_t = 16)]
        window_months: u32,
    },
    /// Border workers by commuting pattern (daily, weekly, seasonal, occasional), each once per
    /// period of `--by` (once over the span without one).
    Commuting {
        #[command(flatten)]
        args: StudyArgs,
    },
    /// Border workers by the round trips each made each month (circularity).
    Circularity {
        #[command(flatten)]
        args: StudyArgs,
    },
}

/// What a table of travellers' histories asks for.
#[derive(clap::Args)]
pub(crate) struct StudyArgs {
    /// Comma-separated, any of: month, quarter, year, category, nationality, sex, age_group (at
    /// most one period).
    #[arg(long, default_value = "")]
    by: String,
    /// The first local day covered, YYYY-MM-DD.
    #[arg(long)]
    from: Option<String>,
    /// The last local day covered, YYYY-MM-DD.
    #[arg(long)]
    to: Option<String>,
    /// The last day the records are taken to cover, YYYY-MM-DD (default: today).
    #[arg(long)]
    as_of: Option<String>,
    /// csv, hxl, xlsx or json.
    #[arg(long, default_value = "csv")]
    format: String,
    /// Write the table to this file instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Apply disclosure control, as for a table that leaves the hub.
    #[arg(long)]
    public: bool,
    /// The smallest count a public table shows.
    #[arg(long, default_value_t = frontera_app::stats::DISCLOSURE_THRESHOLD)]
    threshold: u64,
    /// The country whose travellers are studied (alpha-3; default: the node's).
    #[arg(long)]
    country: Option<String>,
    /// The language of the definitions in JSON: en or es (default: the terminal's).
    #[arg(long)]
    lang: Option<String>,
    #[command(flatten)]
    node: Node,
}

/// `frontera stats stays|overstays|migrants`: the table on standard output, a progress bar on
/// standard error, and a summary of what the records lack.
pub(crate) async fn study(
    cli_config: &Option<PathBuf>,
    which: Study,
    args: StudyArgs,
    rule: Option<(u32, u32)>,
) -> Result<ExitCode, String> {
    let format = TableFormat::parse(Some(&args.format), TableFormat::Csv).map_err(|e| failed(e.into()))?;
    let config = load(cli_config, &args.node, None)?;
    let app = open(&config).await?;
    let request = StudyRequest {
        by: Some(args.by),
        from: args.from,
        to: args.to,
        as_of: args.as_of,
        country: args.country,
        public: args.public,
        threshold: Some(args.threshold),
        present_months: rule.map(|r| r.0),
        window_months: rule.map(|r| r.1),
        lang: Some(args.lang.unwrap_or_else(|| if lang() == Lang::Es { "es" } else { "en" }.to_string())),
    };
    let bar = Bar::new(false);
    let result = app.study(&console(&config), which, &request, &bar).await;
    bar.finish();
    let table = result.map_err(failed)?;
    write_out(args.output.as_deref(), &table.render(format, lang()).map_err(failed)?)?;
    let q = table.quality;
    eprintln!(
        "{}",
        say(
            format!(
                "{} crossings of {} travellers ({} documents) up to {}; {} exits with no entry, {} exits not recorded, {} in the country.",
                q.crossings,
                q.travellers,
                q.documents,
                table.as_of,
                q.exits_without_entry,
                q.exits_not_recorded,
                q.open_stays
            ),
            format!(
                "{} cruces de {} personas ({} documentos) hasta el {}; {} salidas sin entrada, {} salidas sin registrar, {} en el país.",
                q.crossings,
                q.travellers,
                q.documents,
                table.as_of,
                q.exits_without_entry,
                q.exits_not_recorded,
                q.open_stays
            ),
        )
    );
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn print_figures(figures: &[frontera_app::bench::Figure], json: bool) -> Result<(), String> {
    if json {
        println!("{}", serde_json::to_string_pretty(figures).map_err(|e| e.to_string())?);
        return Ok(());
    }
    println!("{:<42} {:>12} {:>10} {:>14} {:>12}", "workload", "items", "seconds", "per second", "ns/item");
    for f in figures {
        println!(
            "{:<42} {:>12} {:>10.3} {:>14.0} {:>12.1}",
            f.name, f.items, f.seconds, f.per_second, f.ns_per_item
        );
    }
    Ok(())
}

/// `frontera stats`.
pub(crate) async fn stats(cli_config: &Option<PathBuf>, what: StatsWhat) -> Result<ExitCode, String> {
    match what {
        StatsWhat::Check { repair, node } => {
            let config = load(cli_config, &node, None)?;
            let app = open(&config).await?;
            let check = app.check_counts(&console(&config), repair).await.map_err(failed)?;
            for d in check.differences.iter().take(50) {
                eprintln!("{} {}: kept {}, recomputed {}", d.grain, d.cell.join(" "), d.kept, d.recomputed);
            }
            let (n, cells, wrong) = (check.crossings, check.cells, check.differences.len());
            if wrong == 0 {
                eprintln!(
                    "{}",
                    say(
                        format!("The counts of {cells} cells match the {n} crossings stored."),
                        format!("Los recuentos de {cells} celdas coinciden con los {n} cruces guardados."),
                    )
                );
                return Ok(ExitCode::SUCCESS);
            }
            let fixed = if check.repaired {
                say(" They were replaced.".to_string(), " Se reemplazaron.".to_string())
            } else {
                say(" --repair replaces them.".to_string(), " --repair los reemplaza.".to_string())
            };
            eprintln!(
                "{}{fixed}",
                say(
                    format!("{wrong} of {cells} cells differ from the {n} crossings stored."),
                    format!("{wrong} de {cells} celdas difieren de los {n} cruces guardados."),
                )
            );
            Ok(ExitCode::FAILURE)
        }
        StatsWhat::Crossings { by, from, to, format, output, public, threshold, country, node } => {
            let format = TableFormat::parse(Some(&format), TableFormat::Csv).map_err(|e| failed(e.into()))?;
            let config = load(cli_config, &node, None)?;
            let app = open(&config).await?;
            let request = frontera_app::stats::StatsRequest {
                by: Some(by),
                from,
                to,
                country,
                public,
                threshold: Some(threshold),
            };
            let table = app.crossing_stats(&console(&config), &request).await.map_err(failed)?;
            let bytes = table.render(format, lang()).map_err(failed)?;
            write_out(output.as_deref(), &bytes)?;
            Ok(ExitCode::SUCCESS)
        }
        StatsWhat::Structure { output, node } => {
            let config = load(cli_config, &node, None)?;
            let app = open(&config).await?;
            write_out(output.as_deref(), app.sdmx_structure().as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        StatsWhat::Stays { args } => study(cli_config, Study::Stays, args, None).await,
        StatsWhat::Overstays { args } => study(cli_config, Study::Overstays, args, None).await,
        StatsWhat::Migrants { args, present_months, window_months } => {
            study(cli_config, Study::Migrants, args, Some((present_months, window_months))).await
        }
        StatsWhat::Commuting { args } => study(cli_config, Study::Commuting, args, None).await,
        StatsWhat::Circularity { args } => study(cli_config, Study::Circularity, args, None).await,
    }
}
