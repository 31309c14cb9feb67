//! `frontera`: the one program a border post or a national hub runs.
//!
//! This file only reads the command line, opens the node and calls the `app` use cases; every
//! rule lives in the library crates.

mod commands;
mod common;
mod config;
mod progress;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::common::say;

/// Imports and the demo allocate and free millions of small strings across threads; mimalloc
/// does that with far less contention than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "frontera", version, about = "Frontera: one node of a border's migration information system. It records entries and exits, keeps a tamper-evident audit trail, and serves the JSON API.", long_about = None)]
struct Cli {
    /// A TOML file with `database`, `listen`, `country` and `[[port]]` tables.
    #[arg(long, global = true, env = "FRONTERA_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("FRONTERA_LOG").unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("{}: {message}", say("error".into(), "error".into()));
            ExitCode::FAILURE
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Run the node: the API on --listen, the records in --database.
    Serve(commands::serve::ServeArgs),
    /// Fill a database with a synthetic year of Belize–Mexico border traffic, create one user per
    /// role and country, print their tokens, and serve.
    Demo(commands::serve::DemoArgs),
    /// Import records from a file.
    Import {
        #[command(subcommand)]
        what: commands::transfer::ImportWhat,
    },
    /// Export records to a file or standard output.
    Export {
        #[command(subcommand)]
        what: commands::transfer::ExportWhat,
    },
    /// Read machine-readable zones of travel documents.
    Mrz {
        #[command(subcommand)]
        what: commands::mrz::MrzWhat,
    },
    /// Manage users.
    User {
        #[command(subcommand)]
        what: commands::user::UserWhat,
    },
    /// Alert lists: import them, list them, set their thresholds.
    Alerts {
        #[command(subcommand)]
        what: commands::alerts::AlertsWhat,
    },
    /// Protection records: their retention.
    Protection {
        #[command(subcommand)]
        what: commands::protection::ProtectionWhat,
    },
    /// The service directory protection officers refer people to (HSDS 3.0).
    Directory {
        #[command(subcommand)]
        what: commands::directory::DirectoryWhat,
    },
    /// The labour registry: its employers, workers and permits as CSV or XLSX files.
    Labour {
        #[command(subcommand)]
        what: commands::labour::LabourWhat,
    },
    /// Informal crossings: points, sampling plans, assignments, estimates and the total flow.
    Informal {
        #[command(subcommand)]
        what: commands::informal::InformalWhat,
    },
    /// Statistics of the crossings this node holds.
    Stats {
        #[command(subcommand)]
        what: commands::stats::StatsWhat,
    },
    /// Publications drawn from the statistics.
    Report {
        #[command(subcommand)]
        what: commands::report::ReportWhat,
    },
    /// Screen a person against the alert lists: the hits, best first, with why each matched.
    Screen(commands::alerts::ScreenArgs),
    /// Check the audit trail.
    Audit {
        #[command(subcommand)]
        what: commands::audit::AuditWhat,
    },
    /// Measure whole workloads on this machine and print the figures.
    Bench {
        #[command(subcommand)]
        what: commands::bench::BenchWhat,
    },
}

async fn run(cli: Cli) -> Result<ExitCode, String> {
    match cli.command {
        Command::Serve(args) => commands::serve::run_serve(&cli.config, args).await,
        Command::Demo(args) => commands::serve::demo(&cli.config, args).await,
        Command::Import { what } => commands::transfer::import(&cli.config, what).await,
        Command::Stats { what } => commands::stats::stats(&cli.config, what).await,
        Command::Directory { what } => commands::directory::directory(&cli.config, what).await,
        Command::Labour { what } => commands::labour::labour(&cli.config, what).await,
        Command::Informal { what } => commands::informal::informal(&cli.config, what).await,
        Command::Protection { what } => commands::protection::protection(&cli.config, what).await,
        Command::Report { what } => commands::report::report(&cli.config, what).await,
        Command::Export { what } => commands::transfer::export(&cli.config, what).await,
        Command::Mrz { what } => commands::mrz::mrz(&cli.config, what).await,
        Command::User { what } => commands::user::user(&cli.config, what).await,
        Command::Bench { what } => commands::bench::bench(what).await,
        Command::Alerts { what } => commands::alerts::alerts(&cli.config, what).await,
        Command::Screen(args) => commands::alerts::screen(&cli.config, args).await,
        Command::Audit { what } => commands::audit::audit(&cli.config, what).await,
    }
}
