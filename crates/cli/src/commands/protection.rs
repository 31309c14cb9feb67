//! `frontera protection`: the retention of protection records.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;

use crate::common::{Node, console, failed, load, open, say, write_out};

#[derive(Subcommand)]
pub(crate) enum ProtectionWhat {
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

/// `frontera protection`.
pub(crate) async fn protection(
    cli_config: &Option<PathBuf>,
    what: ProtectionWhat,
) -> Result<ExitCode, String> {
    match what {
        ProtectionWhat::Purge { keep_days, node } => {
            let config = load(cli_config, &node, None)?;
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
        ProtectionWhat::Statistics { node } => {
            let config = load(cli_config, &node, None)?;
            let app = open(&config).await?;
            let mut out = String::from("month,measure,value,count\n");
            for (month, measure, value, n) in app.protection_statistics().await.map_err(failed)? {
                out.push_str(&format!("{month},{measure},{value},{n}\n"));
            }
            write_out(None, out.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
