//! The node's configuration: command-line flags, then `FRONTERA_*` variables, then the TOML file
//! named by `--config` (or `FRONTERA_CONFIG`), then the defaults.

use std::path::{Path, PathBuf};

use frontera_domain::{CountryCode, PortRegistry};
use serde::Deserialize;

/// The default database: an SQLite file in the working directory.
pub const DEFAULT_DATABASE: &str = "sqlite:frontera.db";
/// The default address to listen on.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

/// The TOML file's keys; `[[port]]` tables add ports, `[[peer]]` tables the other countries'
/// hubs this one exchanges referrals with (`country`, `url`, `token`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    database: Option<String>,
    listen: Option<String>,
    country: Option<String>,
    /// How many days before a work permit's last day the counter warns (default 30).
    permit_warning_days: Option<u32>,
    /// The smallest count a protected table shows (default 5; CTDC uses 11): every table that
    /// leaves the country, or goes to a role that sees only protected tables, uses at least it.
    disclosure_threshold: Option<u64>,
    /// How many days a new API token works (default 90).
    token_days: Option<u32>,
    /// The node's signing key (Ed25519, PKCS#8), outside the database; made when missing.
    key_file: Option<PathBuf>,
    /// The file the node appends its signed audit heads to, outside the database.
    anchors_file: Option<PathBuf>,
    /// Read by [`PortRegistry::with_config`]; named here so the file may hold it.
    #[serde(default, rename = "port")]
    _ports: Vec<toml::Value>,
    #[serde(default, rename = "peer")]
    peers: Vec<frontera_app::exchange::Peer>,
}

/// The resolved configuration.
pub struct Config {
    /// The database URL.
    pub database: String,
    /// The listening address.
    pub listen: String,
    /// The country the node's console acts for.
    pub country: CountryCode,
    /// The ports.
    pub ports: PortRegistry,
    /// The hubs this one exchanges referrals with.
    pub peers: frontera_app::exchange::Peers,
    /// How many days before a work permit's last day the counter warns.
    pub permit_warning_days: u32,
    /// The smallest count a protected table shows.
    pub disclosure_threshold: u64,
    /// How many days a new API token works.
    pub token_days: u32,
    /// The node's signing key.
    pub key_file: PathBuf,
    /// The node's signed audit heads.
    pub anchors_file: PathBuf,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A PostgreSQL URL may carry a password.
        f.debug_struct("Config")
            .field("database", &redact(&self.database))
            .field("listen", &self.listen)
            .field("country", &self.country)
            .field("peers", &"[…]")
            .finish()
    }
}

/// A database URL with any password hidden.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

impl Config {
    /// Resolve from the flags given (already merged with their `FRONTERA_*` variables by clap).
    pub fn load(
        file: Option<&Path>,
        database: Option<String>,
        listen: Option<String>,
        key_file: Option<PathBuf>,
    ) -> Result<Config, String> {
        let (parsed, text) = match file {
            Some(path) => {
                let text =
                    std::fs::read_to_string(path).map_err(|e| format!("config {}: {e}", path.display()))?;
                let parsed: File =
                    toml::from_str(&text).map_err(|e| format!("config {}: {e}", path.display()))?;
                (parsed, text)
            }
            None => (File::default(), String::new()),
        };
        let ports = PortRegistry::with_config(&text).map_err(|e| format!("config: {e}"))?;
        let country = match parsed.country.as_deref() {
            Some(c) => CountryCode::parse_field(c, "country").map_err(|e| format!("config: {e}"))?,
            None => CountryCode::BLZ,
        };
        let peers = frontera_app::exchange::Peers::new(parsed.peers).map_err(|e| format!("config: {e}"))?;
        let database = database.or(parsed.database).unwrap_or_else(|| DEFAULT_DATABASE.to_string());
        // Beside an SQLite file by default (`post.db.key`, `post.db.anchors`), in the working
        // directory for PostgreSQL; never inside the database.
        let beside = |suffix: &str| match database.strip_prefix("sqlite:") {
            Some(path) if !path.starts_with(':') => PathBuf::from(format!("{path}.{suffix}")),
            _ => PathBuf::from(format!("frontera.{suffix}")),
        };
        let key_file = key_file.or(parsed.key_file).unwrap_or_else(|| beside("key"));
        let anchors_file = parsed.anchors_file.unwrap_or_else(|| beside("anchors"));
        Ok(Config {
            database,
            listen: listen.or(parsed.listen).unwrap_or_else(|| DEFAULT_LISTEN.to_string()),
            country,
            ports,
            peers,
            permit_warning_days: match parsed.permit_warning_days {
                Some(days @ 0..=365) => days,
                Some(_) => return Err("config: permit_warning_days: must be 0 to 365".into()),
                None => 30,
            },
            disclosure_threshold: match parsed.disclosure_threshold {
                Some(n @ 1..=1_000) => n,
                Some(_) => return Err("config: disclosure_threshold: must be 1 to 1000".into()),
                None => frontera_app::stats::DISCLOSURE_THRESHOLD,
            },
            token_days: match parsed.token_days {
                Some(days @ 1..=3_650) => days,
                Some(_) => return Err("config: token_days: must be 1 to 3650".into()),
                None => 90,
            },
            key_file,
            anchors_file,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_show() {
        assert_eq!(redact("postgres://app:s3cret@db:5432/frontera"), "postgres://app:***@db:5432/frontera");
        assert_eq!(redact("sqlite:frontera.db"), "sqlite:frontera.db");
    }
}
