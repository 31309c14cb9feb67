//! What every command shares: the node's flags, opening it, the operator's language.

use std::path::PathBuf;

use clap::Args;
use frontera_app::App;
use frontera_domain::Lang;
use frontera_domain::access::Actor;

use crate::config::Config;

#[derive(Args, Clone)]
pub(crate) struct Node {
    /// Where the node keeps its records: sqlite:PATH (default sqlite:frontera.db) or postgres://…
    #[arg(long, env = "FRONTERA_DATABASE")]
    pub(crate) database: Option<String>,
    /// The node's signing key, outside the database (default: beside an SQLite file, PATH.key;
    /// frontera.key for PostgreSQL); made when missing.
    #[arg(long, env = "FRONTERA_KEY_FILE")]
    pub(crate) key_file: Option<PathBuf>,
}

/// The operator's language, from `LC_ALL`, `LC_MESSAGES` or `LANG` (`es_MX.UTF-8` → Spanish).
pub(crate) fn lang() -> Lang {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|l| !l.is_empty()))
        .map(|l| Lang::negotiate(&l.replace('_', "-")))
        .unwrap_or_default()
}

/// A message in the operator's language.
pub(crate) fn say(en: String, es: String) -> String {
    match lang() {
        Lang::En => en,
        Lang::Es => es,
    }
}

/// A use case's error, in the operator's language.
pub(crate) fn failed(e: frontera_app::AppError) -> String {
    e.message(lang())
}

pub(crate) fn console(config: &Config) -> Actor {
    let who = std::env::var("USER").unwrap_or_else(|_| "console".into());
    Actor::console(&who, config.country)
}

pub(crate) async fn open(config: &Config) -> Result<App, String> {
    let mut app = App::open(&config.database, config.ports.clone()).await.map_err(|e| {
        let db = crate::config::redact(&config.database);
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

pub(crate) fn load(
    cli_config: &Option<PathBuf>,
    node: &Node,
    listen: Option<String>,
) -> Result<Config, String> {
    Config::load(cli_config.as_deref(), node.database.clone(), listen, node.key_file.clone())
}

/// Writes a rendered table to `path`, or to standard output.
pub(crate) fn write_out(path: Option<&std::path::Path>, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write as _;
    match path {
        Some(p) => std::fs::write(p, bytes).map_err(|e| format!("{}: {e}", p.display())),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes).and_then(|_| out.flush()).map_err(|e| e.to_string())
        }
    }
}

/// A scratch directory beside the working directory's files, removed afterwards.
pub(crate) fn tempfile_dir() -> Result<tempfile::TempDir, String> {
    tempfile::Builder::new().prefix("frontera-bench-").tempdir().map_err(|e| e.to_string())
}
