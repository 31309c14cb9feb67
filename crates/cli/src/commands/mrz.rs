//! `frontera mrz`: machine-readable zones of travel documents.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use frontera_domain::mrz;

#[derive(Subcommand)]
pub(crate) enum MrzWhat {
    /// Parse an MRZ given as its lines and print it as JSON. Exits 0 when valid, 1 when a check
    /// digit fails, 2 when the text is not an MRZ.
    Parse {
        /// The lines of the zone (quote each: they contain '<').
        #[arg(required = true)]
        lines: Vec<String>,
    },
}

/// `frontera mrz`.
pub(crate) async fn mrz(_cli_config: &Option<PathBuf>, what: MrzWhat) -> Result<ExitCode, String> {
    match what {
        MrzWhat::Parse { lines } => {
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
    }
}
