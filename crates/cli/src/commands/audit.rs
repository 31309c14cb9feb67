//! `frontera audit`: anchoring and verifying the audit trail.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use frontera_app::audit::Verification;

use crate::common::{Node, failed, load, open, say};

#[derive(Subcommand)]
pub(crate) enum AuditWhat {
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

/// `frontera audit`.
pub(crate) async fn audit(cli_config: &Option<PathBuf>, what: AuditWhat) -> Result<ExitCode, String> {
    match what {
        AuditWhat::Anchor { node } => {
            let config = load(cli_config, &node, None)?;
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
        AuditWhat::Verify { node, anchors } => {
            let config = load(cli_config, &node, None)?;
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
