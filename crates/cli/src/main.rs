//! `frontera`: the one program a border post or a national hub runs.
//!
//! This file only reads the command line, opens the node and calls the `app` use cases; every
//! rule lives in the library crates.

mod config;
mod informal;
mod progress;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use chrono::{NaiveDate, Utc};
use clap::{Args, Parser, Subcommand};
use frontera_app::App;
use frontera_app::alerts::{AlertListDraft, ListFormat, ListImport, ScreenRequest};
use frontera_app::audit::Verification;
use frontera_app::crossings::CrossingFilter;
use frontera_app::demo::DemoOptions;
use frontera_app::login::Password;
use frontera_app::stats::TableFormat;
use frontera_app::stats::stays::{Study, StudyRequest};
use frontera_app::transfer::ImportOptions;
use frontera_app::users::NewUser;
use frontera_domain::Lang;
use frontera_domain::access::Actor;
use frontera_domain::mrz;

use crate::config::Config;
use crate::progress::Bar;

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

#[derive(Args, Clone)]
struct Node {
    /// Where the node keeps its records: sqlite:PATH (default sqlite:frontera.db) or postgres://…
    #[arg(long, env = "FRONTERA_DATABASE")]
    database: Option<String>,
    /// The node's signing key, outside the database (default: beside an SQLite file, PATH.key;
    /// frontera.key for PostgreSQL); made when missing.
    #[arg(long, env = "FRONTERA_KEY_FILE")]
    key_file: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the node: the API on --listen, the records in --database.
    Serve {
        #[command(flatten)]
        node: Node,
        /// The address to listen on (default 127.0.0.1:8080).
        #[arg(long, env = "FRONTERA_LISTEN")]
        listen: Option<String>,
        #[command(flatten)]
        tls: Tls,
    },
    /// Fill a database with a synthetic year of Belize–Mexico border traffic, create one user per
    /// role and country, print their tokens, and serve.
    Demo {
        #[command(flatten)]
        node: Node,
        /// The address to listen on (default 127.0.0.1:8080).
        #[arg(long, env = "FRONTERA_LISTEN")]
        listen: Option<String>,
        /// Days of traffic, ending now (or at the end of the day --until names).
        #[arg(long, default_value_t = 365)]
        days: u32,
        /// The seed: the same seed gives the same traffic.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// The last day of traffic, YYYY-MM-DD (default: today, up to now).
        #[arg(long)]
        until: Option<NaiveDate>,
        /// Only generate; do not serve.
        #[arg(long)]
        no_serve: bool,
    },
    /// Import records from a file.
    Import {
        #[command(subcommand)]
        what: ImportWhat,
    },
    /// Export records to a file or standard output.
    Export {
        #[command(subcommand)]
        what: ExportWhat,
    },
    /// Read machine-readable zones of travel documents.
    Mrz {
        #[command(subcommand)]
        what: MrzWhat,
    },
    /// Manage users.
    User {
        #[command(subcommand)]
        what: UserWhat,
    },
    /// Alert lists: import them, list them, set their thresholds.
    Alerts {
        #[command(subcommand)]
        what: AlertsWhat,
    },
    /// Protection records: their retention.
    Protection {
        #[command(subcommand)]
        what: ProtectionWhat,
    },
    /// The service directory protection officers refer people to (HSDS 3.0).
    Directory {
        #[command(subcommand)]
        what: DirectoryWhat,
    },
    /// The labour registry: its employers, workers and permits as CSV or XLSX files.
    Labour {
        #[command(subcommand)]
        what: LabourWhat,
    },
    /// Informal crossings: points, sampling plans, assignments, estimates and the total flow.
    Informal {
        #[command(subcommand)]
        what: informal::InformalWhat,
    },
    /// Statistics of the crossings this node holds.
    Stats {
        #[command(subcommand)]
        what: StatsWhat,
    },
    /// Publications drawn from the statistics.
    Report {
        #[command(subcommand)]
        what: ReportWhat,
    },
    /// Screen a person against the alert lists: the hits, best first, with why each matched.
    Screen {
        /// The name, in any order (given names and surnames).
        #[arg(long)]
        name: Option<String>,
        /// Given names (with --surnames, instead of --name).
        #[arg(long, conflicts_with = "name")]
        given_names: Option<String>,
        /// Surnames (with --given-names, instead of --name).
        #[arg(long, conflicts_with = "name")]
        surnames: Option<String>,
        /// Birth date: YYYY, YYYY-MM or YYYY-MM-DD.
        #[arg(long)]
        birth_date: Option<String>,
        /// Nationality (ISO 3166-1 alpha-3).
        #[arg(long)]
        nationality: Option<String>,
        /// A document number.
        #[arg(long)]
        document: Option<String>,
        /// Sex: F, M or X.
        #[arg(long)]
        sex: Option<String>,
        /// Show the best N candidates whatever their score, not only the hits.
        #[arg(long)]
        candidates: Option<u32>,
        /// The country whose lists to screen against (default: the node's).
        #[arg(long)]
        country: Option<String>,
        /// Print `{"hits": [...]}` as JSON.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        node: Node,
    },
    /// Check the audit trail.
    Audit {
        #[command(subcommand)]
        what: AuditWhat,
    },
    /// Measure whole workloads on this machine and print the figures.
    Bench {
        #[command(subcommand)]
        what: BenchWhat,
    },
}

#[derive(Subcommand)]
enum BenchWhat {
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

#[derive(Subcommand)]
enum ImportWhat {
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
enum ExportWhat {
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

#[derive(Subcommand)]
enum StatsWhat {
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

#[derive(Subcommand)]
enum ProtectionWhat {
    /// Purge the protection cases closed more than --keep-days ago, with their consents and
    /// referrals, leaving only anonymous counts (cases by profile and risk, referrals by how
    /// they ended, by the month each case closed). Audited.
    Purge {
        /// How long a closed case is kept, in days.
        #[arg(long, default_value_t = 365)]
        keep_days: u32,
        #[command(flatten)]
        node: Node,
    },
    /// Print the anonymous counts purged cases left, as CSV: month, measure, value, count.
    Statistics {
        #[command(flatten)]
        node: Node,
    },
}

#[derive(Subcommand)]
enum LabourWhat {
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

#[derive(Subcommand)]
enum DirectoryWhat {
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

#[derive(Subcommand)]
enum ReportWhat {
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

/// What a table of travellers' histories asks for.
#[derive(clap::Args)]
struct StudyArgs {
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

#[derive(Subcommand)]
enum MrzWhat {
    /// Parse an MRZ given as its lines and print it as JSON. Exits 0 when valid, 1 when a check
    /// digit fails, 2 when the text is not an MRZ.
    Parse {
        /// The lines of the zone (quote each: they contain '<').
        #[arg(required = true)]
        lines: Vec<String>,
    },
}

#[derive(Subcommand)]
enum UserWhat {
    /// Create a user.
    Add {
        /// The user name.
        name: String,
        /// officer, supervisor, registrar, protection, provider, analyst, liaison, admin or auditor.
        #[arg(long)]
        role: String,
        /// The user's country (ISO 3166-1 alpha-3).
        #[arg(long)]
        country: String,
        /// The user's port, for post staff.
        #[arg(long)]
        port: Option<String>,
        /// The user's organisation: a service provider's in the directory, an employer's id in the labour registry.
        #[arg(long)]
        organisation: Option<String>,
        /// Also create an API token and print it (shown once).
        #[arg(long)]
        token: bool,
        /// Read a password for the browser from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        node: Node,
    },
    /// Issue a new API token for a user and print it (shown once), working for --days (the
    /// node's token_days, 90 unless configured); or, with --revoke, revoke all of its tokens.
    Token {
        /// The user name.
        name: String,
        /// How many days the new token works (1 to 3650).
        #[arg(long, conflicts_with = "revoke")]
        days: Option<u32>,
        /// Revoke every token of the user instead (a lost laptop, a leaked token).
        #[arg(long)]
        revoke: bool,
        #[command(flatten)]
        node: Node,
    },
    /// Set a user's password (read from standard input), ending their sessions and lifting any
    /// lock-out.
    Password {
        /// The user name.
        name: String,
        /// Read the password from the first line of standard input (the only way offered, so
        /// that it never shows in the process list or the shell's history).
        #[arg(long, required = true)]
        password_stdin: bool,
        #[command(flatten)]
        node: Node,
    },
}

/// The password on the first line of standard input, checked against the password rules.
fn password_from_stdin() -> Result<Password, String> {
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).map_err(|e| {
        say(format!("cannot read standard input: {e}"), format!("no se puede leer la entrada estándar: {e}"))
    })?;
    let text = line.strip_suffix('\n').unwrap_or(&line);
    let text = text.strip_suffix('\r').unwrap_or(text);
    Password::parse(text).map_err(|e| failed(e.into()))
}

#[derive(Subcommand)]
enum AlertsWhat {
    /// Load a new version of an alert list from a file: entries new to it are added, changed ones
    /// updated, and those the file no longer holds retired; all in one transaction, audited. A
    /// file with a bad row stores nothing and names every bad row.
    Import {
        /// The list's name (letters, digits, '.', '_', '-').
        #[arg(long)]
        list: String,
        /// csv (see ARCHITECTURE.md for its columns) or un-xml (the UN Security Council
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

#[derive(Subcommand)]
enum AuditWhat {
    /// Walk the audit trail's hash chain, held to every head the node signed; exit 1 naming the
    /// first broken event.
    Verify {
        #[command(flatten)]
        node: Node,
        /// Also hold it to the signed heads in this file (a copy kept elsewhere: a hub's, a
        /// printed one), one JSON object a line, as `audit anchor` prints them.
        #[arg(long)]
        anchors: Vec<PathBuf>,
    },
    /// Sign the audit trail's head with the node's key, append it to the node's anchors file
    /// and print it (one JSON line) for whoever keeps a copy outside this machine.
    Anchor {
        #[command(flatten)]
        node: Node,
    },
}

/// The operator's language, from `LC_ALL`, `LC_MESSAGES` or `LANG` (`es_MX.UTF-8` → Spanish).
fn lang() -> Lang {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|l| !l.is_empty()))
        .map(|l| Lang::negotiate(&l.replace('_', "-")))
        .unwrap_or_default()
}

/// A message in the operator's language.
fn say(en: String, es: String) -> String {
    match lang() {
        Lang::En => en,
        Lang::Es => es,
    }
}

/// A use case's error, in the operator's language.
fn failed(e: frontera_app::AppError) -> String {
    e.message(lang())
}

fn console(config: &Config) -> Actor {
    let who = std::env::var("USER").unwrap_or_else(|_| "console".into());
    Actor::console(&who, config.country)
}

async fn open(config: &Config) -> Result<App, String> {
    let mut app = App::open(&config.database, config.ports.clone()).await.map_err(|e| {
        let db = config::redact(&config.database);
        let e = failed(e);
        say(format!("cannot open {db}: {e}"), format!("no se puede abrir {db}: {e}"))
    })?;
    app.exchange = std::sync::Arc::new(config.peers.clone());
    app.permit_warning_days = config.permit_warning_days;
    app.disclosure_threshold = config.disclosure_threshold;
    app.token_days = config.token_days;
    let anchoring =
        frontera_app::anchors::Anchoring::open(&config.key_file, &config.anchors_file).map_err(failed)?;
    app.anchoring = Some(std::sync::Arc::new(anchoring));
    Ok(app)
}

/// A certificate chain and its key, both PEM, for the node to serve HTTPS itself.
#[derive(Debug, Clone, clap::Args)]
struct Tls {
    /// The certificate chain (PEM) to serve HTTPS with; with --tls-key.
    #[arg(long, env = "FRONTERA_TLS_CERT", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// The certificate's private key (PEM).
    #[arg(long, env = "FRONTERA_TLS_KEY", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
}

async fn serve(app: App, listen: &str, tls: &Tls) -> Result<(), String> {
    let tls = match (&tls.tls_cert, &tls.tls_key) {
        (Some(cert), Some(key)) => Some(frontera_web::tls::server_config(cert, key)?),
        _ => None,
    };
    let listener =
        tokio::net::TcpListener::bind(listen).await.map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    eprintln!("Frontera node {} ({}) listening on {scheme}://{addr}", app.node_id, app.engine());
    eprintln!(
        "  API: {scheme}://{addr}/api/v1   OpenAPI: {scheme}://{addr}/api/v1/openapi.json   Ctrl-C stops it"
    );
    match tls {
        Some(config) => frontera_web::tls::serve_tls(app, listener, config).await,
        None => frontera_web::serve(app, listener).await,
    }
    .map_err(|e| e.to_string())
}

fn load(cli_config: &Option<PathBuf>, node: &Node, listen: Option<String>) -> Result<Config, String> {
    Config::load(cli_config.as_deref(), node.database.clone(), listen, node.key_file.clone())
}

async fn run(cli: Cli) -> Result<ExitCode, String> {
    match cli.command {
        Command::Serve { node, listen, tls } => {
            let config = load(&cli.config, &node, listen)?;
            serve(open(&config).await?, &config.listen, &tls).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo { node, listen, days, seed, until, no_serve } => {
            let config = load(&cli.config, &node, listen)?;
            let app = open(&config).await?;
            let actor = console(&config);
            // Up to now, by default: the last day is today where it is earliest, cut at this
            // instant, so that the counters' dashboards show today's traffic so far.
            let now = Utc::now();
            let (last_day, cutoff) = match until {
                Some(day) => (day, None),
                None => {
                    let today = app.ports.all().map(|p| now.with_timezone(&p.time_zone).date_naive()).min();
                    (today.unwrap_or_else(|| now.date_naive()), Some(now))
                }
            };
            let options = DemoOptions { days, seed, last_day, cutoff };
            let key = format!("seed={seed} days={days} until={last_day}");
            let db = config::redact(&config.database);
            if app.demo_loaded().await.map_err(failed)?.as_deref() == Some(key.as_str()) {
                eprintln!(
                    "{}",
                    say(
                        format!("The demo traffic ({key}) is already in {db}."),
                        format!("El tráfico de demostración ({key}) ya está en {db}."),
                    )
                );
            } else {
                let started = std::time::Instant::now();
                let bar = Arc::new(Bar::new(false));
                let report = app.load_demo(&actor, options, bar.clone()).await.map_err(failed)?;
                bar.finish();
                app.remember_demo(&key).await.map_err(failed)?;
                let (n, new, secs) = (report.generated, report.inserted, started.elapsed().as_secs_f64());
                eprintln!(
                    "{}",
                    say(
                        format!(
                            "Generated {n} crossings over {days} days to {last_day} (seed {seed}); stored {new} new in {secs:.1} s."
                        ),
                        format!(
                            "Se generaron {n} cruces en {days} días hasta {last_day} (semilla {seed}); {new} nuevos guardados en {secs:.1} s."
                        ),
                    )
                );
            }
            let listed = app.load_demo_alerts(&actor, seed).await.map_err(failed)?;
            eprintln!(
                "{}",
                say(
                    format!(
                        "Alert lists of both countries: {listed} entries (wanted, missing children, lost documents)."
                    ),
                    format!(
                        "Listas de alerta de ambos países: {listed} entradas (personas buscadas, menores desaparecidos, documentos perdidos)."
                    ),
                )
            );
            let users = app.demo_users(&actor).await.map_err(failed)?;
            let p = app.load_demo_protection(&actor, &users).await.map_err(failed)?;
            eprintln!(
                "{}",
                say(
                    format!(
                        "Service directory: {} services in both countries; {} protection cases opened.",
                        p.services, p.cases
                    ),
                    format!(
                        "Directorio de servicios: {} servicios en ambos países; {} casos de protección abiertos.",
                        p.services, p.cases
                    ),
                )
            );
            let l = app.load_demo_labour(&actor, options).await.map_err(failed)?;
            if l.permits > 0 {
                eprintln!(
                    "{}",
                    say(
                        format!(
                            "Labour registries: {} employers, {} border workers with their permits, {} requests of seasonal demand.",
                            l.employers, l.workers, l.demands
                        ),
                        format!(
                            "Registros laborales: {} empleadores, {} trabajadores fronterizos con sus permisos, {} solicitudes de demanda de temporada.",
                            l.employers, l.workers, l.demands
                        ),
                    )
                );
            }
            let m = app.load_demo_informal(&actor, options).await.map_err(failed)?;
            if m.points > 0 {
                eprintln!(
                    "{}",
                    say(
                        format!(
                            "Informal crossings: {} points on the Río Hondo, {} sampling plans, {} count sessions and {} interviews.",
                            m.points, m.plans, m.sessions, m.interviews
                        ),
                        format!(
                            "Cruces informales: {} puntos en el Río Hondo, {} planes de muestreo, {} sesiones de conteo y {} entrevistas.",
                            m.points, m.plans, m.sessions, m.interviews
                        ),
                    )
                );
            }
            let header = say(
                "user role country port password token".into(),
                "usuario rol país puerto contraseña token".into(),
            );
            let h: Vec<&str> = header.split(' ').collect();
            println!("{:<16} {:<11} {:<8} {:<22} {:<21} {}", h[0], h[1], h[2], h[3], h[4], h[5]);
            for u in &users {
                println!(
                    "{:<16} {:<11} {:<8} {:<22} {:<21} {}",
                    u.name,
                    u.role,
                    u.country,
                    u.port.as_deref().unwrap_or("-"),
                    u.password,
                    u.token
                );
            }
            if no_serve {
                return Ok(ExitCode::SUCCESS);
            }
            if let Some(officer) = users.first() {
                let (token, listen) = (&officer.token, &config.listen);
                eprintln!(
                    "{}",
                    say(
                        format!(
                            "Try: curl -H 'Authorization: Bearer {token}' http://{listen}/api/v1/crossings?limit=5"
                        ),
                        format!(
                            "Pruebe: curl -H 'Authorization: Bearer {token}' http://{listen}/api/v1/crossings?limit=5"
                        ),
                    )
                );
            }
            serve(app, &config.listen, &Tls { tls_cert: None, tls_key: None }).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Import { what: ImportWhat::Crossings { file, skip_invalid, dry_run, node } } => {
            let config = load(&cli.config, &node, None)?;
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
        Command::Stats { what: StatsWhat::Check { repair, node } } => {
            let config = load(&cli.config, &node, None)?;
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
        Command::Stats {
            what: StatsWhat::Crossings { by, from, to, format, output, public, threshold, country, node },
        } => {
            let format = TableFormat::parse(Some(&format), TableFormat::Csv).map_err(|e| failed(e.into()))?;
            let config = load(&cli.config, &node, None)?;
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
        Command::Directory { what } => directory(&cli.config, what).await,
        Command::Labour { what } => labour(&cli.config, what).await,
        Command::Informal { what } => informal::informal(&cli.config, what).await,
        Command::Protection { what: ProtectionWhat::Purge { keep_days, node } } => {
            let config = load(&cli.config, &node, None)?;
            let app = open(&config).await?;
            let p = app.purge_closed_cases(&console(&config), keep_days, app.now()).await.map_err(failed)?;
            eprintln!(
                "{}",
                say(
                    format!(
                        "{} closed cases and {} referrals handed over purged ({} records); their counts are kept.",
                        p.cases, p.handed_over, p.records
                    ),
                    format!(
                        "{} casos cerrados y {} remisiones recibidas del otro país depurados ({} registros); se conservan sus recuentos.",
                        p.cases, p.handed_over, p.records
                    ),
                )
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Protection { what: ProtectionWhat::Statistics { node } } => {
            let config = load(&cli.config, &node, None)?;
            let app = open(&config).await?;
            let mut out = String::from("month,measure,value,count\n");
            for (month, measure, value, n) in app.protection_statistics().await.map_err(failed)? {
                out.push_str(&format!("{month},{measure},{value},{n}\n"));
            }
            write_out(None, out.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Report {
            what: ReportWhat::Bulletin { month, lang: code, country, threshold, output, json, node },
        } => {
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
            let config = load(&cli.config, &node, None)?;
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
        Command::Stats { what: StatsWhat::Structure { output, node } } => {
            let config = load(&cli.config, &node, None)?;
            let app = open(&config).await?;
            write_out(output.as_deref(), app.sdmx_structure().as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Stats { what: StatsWhat::Stays { args } } => {
            study(&cli.config, Study::Stays, args, None).await
        }
        Command::Stats { what: StatsWhat::Overstays { args } } => {
            study(&cli.config, Study::Overstays, args, None).await
        }
        Command::Stats { what: StatsWhat::Migrants { args, present_months, window_months } } => {
            study(&cli.config, Study::Migrants, args, Some((present_months, window_months))).await
        }
        Command::Stats { what: StatsWhat::Commuting { args } } => {
            study(&cli.config, Study::Commuting, args, None).await
        }
        Command::Stats { what: StatsWhat::Circularity { args } } => {
            study(&cli.config, Study::Circularity, args, None).await
        }
        Command::Export { what: ExportWhat::Crossings { output, port, from, to, node } } => {
            let config = load(&cli.config, &node, None)?;
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
        Command::Mrz { what: MrzWhat::Parse { lines } } => {
            let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
            match mrz::parse(&lines) {
                Ok(zone) => {
                    let mut json = serde_json::to_value(&zone).map_err(|e| e.to_string())?;
                    if let (Some(first), Some(map)) = (zone.failed_checks.first(), json.as_object_mut()) {
                        map.insert("failed_check".into(), first.as_str().into());
                    }
                    println!("{json}");
                    Ok(if zone.valid { ExitCode::SUCCESS } else { ExitCode::from(1) })
                }
                Err(e) => {
                    println!("{}", serde_json::json!({"valid": false, "error": e.to_string()}));
                    eprintln!("error: {e}");
                    Ok(ExitCode::from(2))
                }
            }
        }
        Command::User {
            what: UserWhat::Add { name, role, country, port, organisation, token, password_stdin, node },
        } => {
            let password = if password_stdin { Some(password_from_stdin()?) } else { None };
            let config = load(&cli.config, &node, None)?;
            let app = open(&config).await?;
            let new = NewUser { name, role, country, port, organisation, password };
            let (user, token) = app.add_user(&console(&config), &new, token).await.map_err(failed)?;
            let (name, role, country) = (&user.name, user.role, user.country);
            let port = user.port.as_ref().map(|p| format!(", {p}")).unwrap_or_default();
            eprintln!(
                "{}",
                say(
                    format!("created {name} ({role}, {country}{port})"),
                    format!("creado {name} ({role}, {country}{port})")
                )
            );
            if let Some(token) = token {
                println!("{}", token.expose());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::User { what: UserWhat::Password { name, password_stdin: _, node } } => {
            let password = password_from_stdin()?;
            let config = load(&cli.config, &node, None)?;
            let app = open(&config).await?;
            let user = app.set_password(&console(&config), &name, &password).await.map_err(failed)?;
            let name = &user.name;
            eprintln!(
                "{}",
                say(format!("password set for {name}"), format!("contraseña establecida para {name}"))
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::User { what: UserWhat::Token { name, days, revoke, node } } => {
            let config = load(&cli.config, &node, None)?;
            let app = open(&config).await?;
            if revoke {
                let n = app.revoke_tokens(&console(&config), &name).await.map_err(failed)?;
                eprintln!(
                    "{}",
                    say(format!("{n} tokens of {name} revoked"), format!("{n} tokens de {name} revocados"))
                );
                return Ok(ExitCode::SUCCESS);
            }
            let days = days.unwrap_or(app.token_days);
            let (_, token) = app.issue_token_for(&console(&config), &name, days).await.map_err(failed)?;
            println!("{}", token.expose());
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench { what } => bench(what).await,
        Command::Alerts { what } => alerts(&cli.config, what).await,
        Command::Screen {
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
        } => {
            let config = load(&cli.config, &node, None)?;
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
        Command::Audit { what: AuditWhat::Anchor { node } } => {
            let config = load(&cli.config, &node, None)?;
            let app = open(&config).await?;
            let anchor = app.anchor_audit().await.map_err(failed)?;
            println!("{}", serde_json::to_string(&anchor).map_err(|e| e.to_string())?);
            eprintln!(
                "{}",
                say(
                    format!("audit head {} signed and kept in {}", anchor.seq, config.anchors_file.display()),
                    format!(
                        "cabeza de auditoría {} firmada y guardada en {}",
                        anchor.seq,
                        config.anchors_file.display()
                    ),
                )
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit { what: AuditWhat::Verify { node, anchors } } => {
            let config = load(&cli.config, &node, None)?;
            let app = open(&config).await?;
            let mut also = Vec::new();
            for file in &anchors {
                also.extend(frontera_app::anchors::read_anchors(file).map_err(failed)?);
            }
            match app.verify_audit_with(&also).await.map_err(failed)? {
                Verification::Intact(n) => {
                    println!(
                        "{}",
                        say(
                            format!("audit trail intact: {n} events, every hash and link verified"),
                            format!(
                                "bitácora de auditoría íntegra: {n} eventos, cada hash y enlace verificado"
                            ),
                        )
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Verification::Broken(b) => {
                    eprintln!(
                        "{}",
                        say(
                            format!("AUDIT TRAIL BROKEN: {b}"),
                            format!("BITÁCORA DE AUDITORÍA ROTA: {}", b.message_es())
                        )
                    );
                    Ok(ExitCode::FAILURE)
                }
            }
        }
    }
}

/// `frontera directory import|export|search`.
async fn labour(cli_config: &Option<PathBuf>, what: LabourWhat) -> Result<ExitCode, String> {
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

async fn directory(cli_config: &Option<PathBuf>, what: DirectoryWhat) -> Result<ExitCode, String> {
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

/// Writes a rendered table to `path`, or to standard output.
fn write_out(path: Option<&std::path::Path>, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write as _;
    match path {
        Some(p) => std::fs::write(p, bytes).map_err(|e| format!("{}: {e}", p.display())),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes).and_then(|_| out.flush()).map_err(|e| e.to_string())
        }
    }
}

/// `frontera stats stays|overstays|migrants`: the table on standard output, a progress bar on
/// standard error, and a summary of what the records lack.
async fn study(
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

async fn alerts(cli_config: &Option<PathBuf>, what: AlertsWhat) -> Result<ExitCode, String> {
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

fn print_figures(figures: &[frontera_app::bench::Figure], json: bool) -> Result<(), String> {
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

async fn bench(what: BenchWhat) -> Result<ExitCode, String> {
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

fn bench_screening(
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

/// A scratch directory beside the working directory's files, removed afterwards.
fn tempfile_dir() -> Result<tempfile::TempDir, String> {
    tempfile::Builder::new().prefix("frontera-bench-").tempdir().map_err(|e| e.to_string())
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
