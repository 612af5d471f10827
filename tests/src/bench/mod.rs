//! The sync benchmark (`xodim-bench`): servers started in-process on port 0, each with a database
//! of its own (SQLite, or PostgreSQL with `DATABASE_URL`; Redis with `REDIS_URL`), seeded in
//! bulk, then measured. It prints figures against their targets; it asserts nothing.

pub mod layout;
pub mod load;
pub mod phone;
pub mod report;
pub mod seed;
pub mod server;

use std::time::Duration;

use anyhow::{Context, Result, bail};

use layout::{Bench, Layout};
use load::Load;

/// What the command line asked for.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Employees in the big database.
    pub servants: usize,
    /// Small sizes and short runs, for a smoke run.
    pub quick: bool,
}

const USAGE: &str = "usage: xodim-bench [--servants N] [--quick]
  --servants N  employees in the big database (default 200000; 5000 with --quick)
  --quick       small sizes and short runs, for a smoke run
  DATABASE_URL=postgres://… runs against PostgreSQL, REDIS_URL=redis://… uses Redis";

impl Options {
    /// Reads the arguments (without the program name).
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Option<Self>> {
        let (mut servants, mut quick) = (None, false);
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--quick" => quick = true,
                "--servants" => {
                    let n = args.next().context("--servants needs a number")?;
                    servants = Some(n.parse().with_context(|| format!("--servants {n}"))?);
                }
                "-h" | "--help" => {
                    println!("{USAGE}");
                    return Ok(None);
                }
                other => bail!("unknown argument {other:?}\n{USAGE}"),
            }
        }
        let servants = servants.unwrap_or(if quick { 5_000 } else { 200_000 });
        Ok(Some(Self { servants, quick }))
    }
}

/// Sizes and durations of one run.
struct Plan {
    load: Load,
    plain: usize,
    latency_samples: usize,
    phone_runs: usize,
    push_batches: usize,
}

impl Plan {
    fn of(options: Options) -> Self {
        let secs = |quick: f64, full: f64| {
            Duration::from_secs_f64(if options.quick { quick } else { full })
        };
        Self {
            load: Load {
                workers: 32,
                warmup: secs(0.3, 1.0),
                slice: secs(0.5, 2.5),
                rounds: 2,
            },
            plain: if options.quick { 16 } else { 32 },
            latency_samples: if options.quick { 200 } else { 800 },
            phone_runs: if options.quick { 3 } else { 5 },
            push_batches: if options.quick { 40 } else { 200 },
        }
    }
}

/// Employees of the small database of figure 3.
const SMALL: usize = 1_000;
/// Entities of the first sync of figure 4.
const FIRST_SYNC: usize = 2_000;
/// The servers' database pools (the production default).
const CONNECTIONS: u32 = 10;

fn facts(options: Options, plan: &Plan) {
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, name)| name.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let database = match crate::fixtures::TestDatabase::from_env() {
        crate::fixtures::TestDatabase::Postgres(_) => "PostgreSQL (a new database per server)",
        crate::fixtures::TestDatabase::Sqlite => {
            "SQLite (a new file per server in the temporary directory)"
        }
    };
    let redis = std::env::var("REDIS_URL").map_or("no (in-process key-value store)".into(), |_| {
        "yes (REDIS_URL)".to_owned()
    });
    println!("xodim-bench{}", if options.quick { " --quick" } else { "" });
    println!("machine:   {cores} cores available, {cpu}");
    println!(
        "build:     {}",
        if cfg!(debug_assertions) {
            "debug — figures are not meaningful, use --release"
        } else {
            "release"
        }
    );
    println!("database:  {database}, pool of {CONNECTIONS} connections per server");
    println!("redis:     {redis}");
    println!(
        "load:      {} concurrent connections (tokio tasks, one reqwest client each) in this process, which also runs the servers; {:.1} s warm-up per request kind, then {} rounds of {:.1} s, the kinds alternating",
        plan.load.workers,
        plan.load.warmup.as_secs_f64(),
        plan.load.rounds,
        plan.load.slice.as_secs_f64()
    );
}

async fn seeded(name: &str, layout: Layout) -> Result<Bench> {
    let bench = layout::build(layout).await?;
    println!(
        "{name}: {} employees seeded in {:.1} s",
        bench.employees,
        bench.seeding.as_secs_f64()
    );
    Ok(bench)
}

async fn seed(options: Options, plan: &Plan) -> Result<(Bench, Bench)> {
    report::heading("Seeding");
    let small = seeded(
        "small database",
        Layout {
            servants: SMALL,
            plain: 0,
            pushers: 0,
            delta_units: 1,
            first_sync: None,
            connections: CONNECTIONS,
        },
    )
    .await?;
    let big = seeded(
        "big database  ",
        Layout {
            servants: options.servants,
            plain: plan.plain,
            pushers: 8,
            delta_units: 8,
            first_sync: Some(FIRST_SYNC),
            connections: CONNECTIONS,
        },
    )
    .await?;
    Ok((small, big))
}

async fn measure(small: &Bench, big: &Bench, plan: &Plan) -> Result<()> {
    report::heading("Measurements (on the big database unless said otherwise)");
    server::no_change(big, plan.load).await?;
    let big_delta = server::delta_sessions(big).await?;
    server::delta(big, &big_delta, plan.load).await?;
    let small_delta = server::delta_sessions(small).await?;
    let (Some(small_one), Some(big_one)) = (small_delta.first(), big_delta.first()) else {
        bail!("no delta manager");
    };
    server::scale(
        (small, small_one),
        (big, big_one),
        plan.latency_samples,
        plan.load,
    )
    .await?;
    let first = big.first.as_ref().context("the first-sync manager")?;
    phone::first_syncs(
        big.app.address.clone(),
        first.manager.login.clone(),
        first.entities,
        plan.phone_runs,
    )
    .await?;
    server::pushes(big, plan.push_batches).await
}

/// Runs every measurement and prints the figures.
pub async fn run(options: Options) -> Result<()> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let plan = Plan::of(options);
    facts(options, &plan);
    let (small, big) = seed(options, &plan).await?;
    measure(&small, &big, &plan).await?;
    report::summary();
    Ok(())
}
