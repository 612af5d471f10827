//! `xodim-server import-employees FILE.csv`

use std::path::PathBuf;
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};
use sea_orm::DatabaseConnection;
use xodim_domain::Locale;
use xodim_domain::sync::Scope;

use crate::admin::import::plan::RowError;
use crate::admin::import::{Outcome, ProgressEvent, run as import};
use crate::config::Settings;
use crate::db;
use crate::kv::Kv;
use crate::sync::notify;

#[derive(clap::Args)]
pub struct Args {
    /// The CSV file (header as in docs/api.md).
    file: PathBuf,
    /// Write the created logins and their first-password codes to this CSV instead of the screen.
    #[arg(long)]
    codes_out: Option<PathBuf>,
    /// Language of error messages: uz-Latn, uz-Cyrl, ru or en.
    #[arg(long, default_value = "en")]
    locale: String,
}

/// The database of the settings, migrated: imports run beside or without a server.
pub(super) async fn open_database(settings: &Settings) -> anyhow::Result<DatabaseConnection> {
    let conn = db::connect(&settings.database_url, 2).await?;
    db::migrate(&conn).await?;
    Ok(conn)
}

/// Servers cache scope heads; raising them here lets them see an import at once.
pub(super) async fn raise_heads(settings: &Settings, heads: &[(Scope, i64)]) -> anyhow::Result<()> {
    let kv = Kv::connect(settings.redis_url.as_deref(), &settings.redis_prefix).await?;
    notify::remember(&kv, heads)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))
}

/// Prints every bad row of a refused file, in `locale`.
pub(super) fn report_rejection(errors: &[RowError], locale: Locale) {
    eprintln!("Nothing was imported; {} rows have errors:", errors.len());
    for error in errors {
        eprintln!(
            "  line {}: {} ({}: {})",
            error.line,
            error.code.message(locale),
            error.code.as_str(),
            error.detail
        );
    }
}

/// A progress bar counting rows.
pub(super) fn rows_bar() -> anyhow::Result<ProgressBar> {
    let bar = ProgressBar::new(0);
    bar.set_style(ProgressStyle::with_template(
        "{bar:40} {pos}/{len} rows {elapsed}",
    )?);
    Ok(bar)
}

/// Moves the bar as an import reports its progress.
pub(super) fn show(bar: &ProgressBar, event: ProgressEvent) {
    match event {
        ProgressEvent::Planned(rows) => bar.set_length(u64::try_from(rows).unwrap_or(u64::MAX)),
        ProgressEvent::Written => bar.inc(1),
    }
}

pub async fn run(args: Args, settings: Settings) -> anyhow::Result<ExitCode> {
    let locale: Locale = args.locale.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
    let bytes = std::fs::read(&args.file)?;
    let conn = open_database(&settings).await?;
    let bar = rows_bar()?;
    let progress = |event| show(&bar, event);
    let outcome = import(
        &conn,
        &bytes,
        None,
        settings.activation_code_ttl_hours,
        None,
        &progress,
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    bar.finish();
    match outcome {
        Outcome::Rejected(errors) => {
            report_rejection(&errors, locale);
            Ok(ExitCode::FAILURE)
        }
        Outcome::Imported(report) => {
            raise_heads(&settings, &report.heads).await?;
            println!(
                "Imported {} employees and {} accounts.",
                report.imported,
                report.accounts.len()
            );
            let mut lines = String::from("login,activation_code\n");
            for account in &report.accounts {
                lines.push_str(&format!("{},{}\n", account.login, account.activation_code));
            }
            match args.codes_out {
                Some(path) => std::fs::write(path, lines)?,
                None if !report.accounts.is_empty() => print!("{lines}"),
                None => {}
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
