//! Command-line entry: parses arguments and runs one command.

mod audit;
mod create_admin;
mod import;
mod import_records;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::Settings;
use crate::startup::{Application, build_state};
use crate::sync::engine::commit_and_poke;
use crate::{auth, demo, telemetry};

#[derive(Parser)]
#[command(name = "xodim-server", version, about = "xodim backend")]
struct Cli {
    /// Optional TOML configuration file; `XODIM_*` variables override it.
    #[arg(long, global = true, env = "XODIM_CONFIG")]
    config: Option<PathBuf>,
    /// Address to listen on, e.g. 0.0.0.0:8080 (overrides XODIM_LISTEN).
    #[arg(long, global = true)]
    listen: Option<String>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (the default).
    Serve,
    /// Bring the database schema up to date and exit.
    Migrate,
    /// Seed a demo ministry if the database is empty, print the demo sign-ins, and serve.
    Demo,
    /// Create an administrator (and the organisation, if there is none yet).
    CreateAdmin(create_admin::Args),
    /// Import employees from a CSV file: all rows or none.
    ImportEmployees(import::Args),
    /// Import personnel records (education, relatives, …) from a CSV file: all rows or none.
    ImportRecords(import_records::Args),
    /// Check the audit trail.
    Audit(audit::Args),
}

/// Runs the command line; the exit code tells scripts whether it worked.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut settings = match Settings::load(cli.config.as_deref()) {
        Ok(settings) => settings,
        Err(err) => {
            eprintln!("configuration: {err}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(listen) = cli.listen {
        settings.listen = listen;
    }
    telemetry::init(settings.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command.unwrap_or(Command::Serve), settings)) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, settings: Settings) -> anyhow::Result<ExitCode> {
    match command {
        Command::Serve => serve(settings).await,
        Command::Migrate => {
            build_state(settings).await?;
            println!("database schema is up to date");
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo => run_demo(settings).await,
        Command::CreateAdmin(args) => create_admin::run(args, settings).await,
        Command::ImportEmployees(args) => import::run(args, settings).await,
        Command::Audit(args) => audit::run(args, settings).await,
        Command::ImportRecords(args) => import_records::run(args, settings).await,
    }
}

async fn serve(settings: Settings) -> anyhow::Result<ExitCode> {
    let app = Application::build(settings).await?;
    tracing::info!(port = app.port(), "xodim listening");
    app.run_until_stopped().await?;
    Ok(ExitCode::SUCCESS)
}

async fn run_demo(settings: Settings) -> anyhow::Result<ExitCode> {
    let password = settings.demo_password.clone();
    let app = Application::build(settings).await?;
    let state = app.state();
    let hash = auth::password::hash(password.clone())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let today = chrono::Utc::now().date_naive();
    match demo::seed_if_empty(&state.db, &hash, today).await? {
        Some(accounts) => {
            let txn = sea_orm::TransactionTrait::begin(&state.db).await?;
            let catalogue = crate::org::publish::catalogue(&txn).await?;
            commit_and_poke(&state, txn, catalogue)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("Seeded the demo ministry. Sign in with password '{password}' as:");
            for account in accounts {
                println!("  {:<16} {}", account.login, account.description);
            }
        }
        None => println!("The database already has data; demo seed skipped."),
    }
    println!(
        "Listening on http://{}",
        listen_address(&state.settings.listen, app.port())
    );
    app.run_until_stopped().await?;
    Ok(ExitCode::SUCCESS)
}

fn listen_address(listen: &str, port: u16) -> String {
    let host = listen.rsplit_once(':').map_or(listen, |(host, _)| host);
    format!("{host}:{port}")
}
