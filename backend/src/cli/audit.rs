//! `xodim-server audit verify`

use std::process::ExitCode;

use crate::config::Settings;
use crate::{audit, db};

/// Exit code of a broken chain, apart from 1 (the check could not run) so that monitoring can
/// tell tampering from an outage.
const BROKEN: u8 = 2;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand)]
enum Command {
    /// Check the hash chain of the audit trail and name the first broken link.
    Verify,
}

pub async fn run(args: Args, settings: Settings) -> anyhow::Result<ExitCode> {
    match args.command {
        Command::Verify => verify(settings).await,
    }
}

async fn verify(settings: Settings) -> anyhow::Result<ExitCode> {
    let conn = db::connect(&settings.database_url, 1).await?;
    let outcome = audit::verify(&conn).await.map_err(|e| {
        anyhow::anyhow!(
            "reading the audit trail (is the schema up to date? `xodim-server migrate`): {e}"
        )
    })?;
    conn.close().await.ok();
    println!("{outcome}");
    Ok(match outcome {
        audit::Verification::Intact { .. } => ExitCode::SUCCESS,
        audit::Verification::Broken { .. } => ExitCode::from(BROKEN),
    })
}
