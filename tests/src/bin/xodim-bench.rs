//! `cargo run --release -p xodim-tests --bin xodim-bench -- [--servants N] [--quick]`: the sync
//! benchmark. See `xodim_tests::bench`.

use xodim_tests::bench::{self, Options};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Options::parse(std::env::args().skip(1))? {
        Some(options) => bench::run(options).await,
        None => Ok(()),
    }
}
