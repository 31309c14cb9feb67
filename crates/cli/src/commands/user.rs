//! `frontera user`: accounts, passwords and API tokens.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use frontera_app::login::Password;
use frontera_app::users::NewUser;

use crate::common::{Node, console, failed, load, open, say};

#[derive(Subcommand)]
pub(crate) enum UserWhat {
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
pub(crate) fn password_from_stdin() -> Result<Password, String> {
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).map_err(|e| {
        say(format!("cannot read standard input: {e}"), format!("no se puede leer la entrada estándar: {e}"))
    })?;
    let text = line.strip_suffix('\n').unwrap_or(&line);
    let text = text.strip_suffix('\r').unwrap_or(text);
    Password::parse(text).map_err(|e| failed(e.into()))
}

/// `frontera user`.
pub(crate) async fn user(cli_config: &Option<PathBuf>, what: UserWhat) -> Result<ExitCode, String> {
    match what {
        UserWhat::Add { name, role, country, port, organisation, token, password_stdin, node } => {
            let password = if password_stdin { Some(password_from_stdin()?) } else { None };
            let config = load(cli_config, &node, None)?;
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
        UserWhat::Password { name, password_stdin: _, node } => {
            let password = password_from_stdin()?;
            let config = load(cli_config, &node, None)?;
            let app = open(&config).await?;
            let user = app.set_password(&console(&config), &name, &password).await.map_err(failed)?;
            let name = &user.name;
            eprintln!(
                "{}",
                say(format!("password set for {name}"), format!("contraseña establecida para {name}"))
            );
            Ok(ExitCode::SUCCESS)
        }
        UserWhat::Token { name, days, revoke, node } => {
            let config = load(cli_config, &node, None)?;
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
    }
}
