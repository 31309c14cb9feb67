//! `frontera bench`: whole workloads measured on this machine.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;

use crate::commands::stats::print_figures;
use crate::common::{failed, tempfile_dir};

#[derive(Subcommand)]
pub(crate) enum BenchWhat {
    /// MRZ parsing, demo generation, bulk insert and CSV import into SQLite.
    Ingest {
        /// Days of demo traffic to ingest (about 8 700 crossings a day).
        #[arg(long, default_value_t = 60)]
        days: u32,
        /// Also generate and load a whole demo of this many days.
        #[arg(long)]
        demo_days: Option<u32>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// The screening index: a synthetic alert list of the demo's name model (plus the UN list
    /// when given), queried with corrupted names of listed people and with people on no list.
    Screening {
        /// Synthetic alert persons.
        #[arg(long, default_value_t = 1_000_000)]
        entries: usize,
        /// Queries of each kind (listed people, people on no list).
        #[arg(long, default_value_t = 10_000)]
        queries: usize,
        /// The UN Consolidated List's XML, added to the list.
        #[arg(long)]
        un_list: Option<PathBuf>,
        /// The seed.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// The score at or above which a candidate is a hit.
        #[arg(long, default_value_t = frontera_app::bench::screening::THRESHOLD)]
        threshold: f64,
        /// How many misses and false hits to show.
        #[arg(long, default_value_t = 8)]
        examples: usize,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
}

pub(crate) async fn bench(what: BenchWhat) -> Result<ExitCode, String> {
    use frontera_app::bench;
    let (days, demo_days, json) = match what {
        BenchWhat::Ingest { days, demo_days, json } => (days, demo_days, json),
        BenchWhat::Screening { entries, queries, un_list, seed, threshold, examples, json } => {
            return bench_screening(entries, queries, un_list, seed, threshold, examples, json);
        }
    };
    let dir = tempfile_dir()?;
    let mut figures = vec![bench::mrz(2_000_000)];
    figures.push(bench::generate(days).map_err(failed)?);
    figures.extend(bench::ingest(dir.path(), days).await.map_err(failed)?);
    if let Some(d) = demo_days {
        figures.push(bench::demo(dir.path(), d).await.map_err(failed)?);
    }
    print_figures(&figures, json)?;
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn bench_screening(
    entries: usize,
    queries: usize,
    un_list: Option<PathBuf>,
    seed: u64,
    threshold: f64,
    examples: usize,
    json: bool,
) -> Result<ExitCode, String> {
    use frontera_matching::screening::Entry;
    let extra = match un_list {
        Some(path) => {
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let list = frontera_app::alerts::un_xml::parse(&text).map_err(|e| failed(e.into()))?;
            list.entries.iter().map(Entry::of).collect()
        }
        None => Vec::new(),
    };
    let f = frontera_app::bench::screening::run(entries, queries, extra, seed, threshold, examples);
    if json {
        println!("{}", serde_json::to_string_pretty(&f).map_err(|e| e.to_string())?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("entries                      {}", f.entries);
    println!("index build                  {:.2} s", f.build_seconds);
    println!("resident memory              {:.0} MiB", f.resident_mib);
    println!("threshold                    {:.2}", f.threshold);
    println!("recall (corrupted, listed)   {:.4} of {}", f.recall, f.true_queries);
    println!("false hits per 1 000 clean   {:.2} ({} queried)", f.false_hits_per_1000, f.clean_queries);
    println!("  of which on homonyms       {:.2}", f.homonym_hits_per_1000);
    println!("one query, p50 / p99         {:.3} / {:.3} ms", f.p50_ms, f.p99_ms);
    println!("queries per second, all cores {:.0}", f.queries_per_second);
    for m in &f.missed_examples {
        println!("missed: {}  (listed: {}, score {:.3})", m.asked, m.listed, m.score);
    }
    for h in &f.false_hit_examples {
        let kind = if h.homonym { "false hit, homonym" } else { "false hit" };
        println!("{kind}: {}  (hit {}, score {:.3})", h.asked, h.hit, h.score);
    }
    Ok(ExitCode::SUCCESS)
}
