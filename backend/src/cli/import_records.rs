//! `xodim-server import-records FILE.csv`

use std::path::PathBuf;
use std::process::ExitCode;

use xodim_domain::Locale;

use super::import::{open_database, raise_heads, report_rejection, rows_bar, show};
use crate::config::Settings;
use crate::records::import::{Outcome, run as import};
use crate::records::items::Author;

#[derive(clap::Args)]
pub struct Args {
    /// The CSV file: pinfl, section and the fields' columns (see docs/api.md).
    file: PathBuf,
    /// Language of error messages: uz-Latn, uz-Cyrl, ru or en.
    #[arg(long, default_value = "en")]
    locale: String,
}

pub async fn run(args: Args, settings: Settings) -> anyhow::Result<ExitCode> {
    let locale: Locale = args.locale.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
    let bytes = std::fs::read(&args.file)?;
    let conn = open_database(&settings).await?;
    let bar = rows_bar()?;
    let progress = |event| show(&bar, event);
    // The operator at the command line acts for no account and may import anywhere.
    let outcome = import(&conn, &bytes, None, &Author::default(), None, &progress)
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
            println!("Imported {} personnel records.", report.imported);
            Ok(ExitCode::SUCCESS)
        }
    }
}
