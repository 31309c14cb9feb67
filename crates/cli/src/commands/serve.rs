//! `frontera serve` and `frontera demo`: run a node, and fill one with demo traffic.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use chrono::{NaiveDate, Utc};
use frontera_app::App;
use frontera_app::demo::DemoOptions;

use crate::common::{Node, console, failed, load, open, say};
use crate::progress::Bar;

/// The arguments of `frontera serve` (documented on the command).
#[derive(clap::Args)]
pub(crate) struct ServeArgs {
    #[command(flatten)]
    pub(crate) node: Node,
    /// The address to listen on (default 127.0.0.1:8080).
    #[arg(long, env = "FRONTERA_LISTEN")]
    pub(crate) listen: Option<String>,
    #[command(flatten)]
    pub(crate) tls: Tls,
}

/// The arguments of `frontera demo` (documented on the command).
#[derive(clap::Args)]
pub(crate) struct DemoArgs {
    #[command(flatten)]
    pub(crate) node: Node,
    /// The address to listen on (default 127.0.0.1:8080).
    #[arg(long, env = "FRONTERA_LISTEN")]
    pub(crate) listen: Option<String>,
    /// Days of traffic, ending now (or at the end of the day --until names).
    #[arg(long, default_value_t = 365)]
    pub(crate) days: u32,
    /// The seed: the same seed gives the same traffic.
    #[arg(long, default_value_t = 2026)]
    pub(crate) seed: u64,
    /// The last day of traffic, YYYY-MM-DD (default: today, up to now).
    #[arg(long)]
    pub(crate) until: Option<NaiveDate>,
    /// Only generate; do not serve.
    #[arg(long)]
    pub(crate) no_serve: bool,
}

/// A certificate chain and its key, both PEM, for the node to serve HTTPS itself.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Tls {
    /// The certificate chain (PEM) to serve HTTPS with; with --tls-key.
    #[arg(long, env = "FRONTERA_TLS_CERT", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// The certificate's private key (PEM).
    #[arg(long, env = "FRONTERA_TLS_KEY", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
}

pub(crate) async fn serve(app: App, listen: &str, tls: &Tls) -> Result<(), String> {
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

/// `frontera serve`.
pub(crate) async fn run_serve(cli_config: &Option<PathBuf>, args: ServeArgs) -> Result<ExitCode, String> {
    let ServeArgs { node, listen, tls } = args;
    let config = load(cli_config, &node, listen)?;
    serve(open(&config).await?, &config.listen, &tls).await?;
    Ok(ExitCode::SUCCESS)
}

/// `frontera demo`.
pub(crate) async fn demo(cli_config: &Option<PathBuf>, args: DemoArgs) -> Result<ExitCode, String> {
    let DemoArgs { node, listen, days, seed, until, no_serve } = args;
    let config = load(cli_config, &node, listen)?;
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
    let db = crate::config::redact(&config.database);
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
