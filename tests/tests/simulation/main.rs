//! A seeded, deterministic simulation of phones, a manager and an HR officer against a real
//! server with lost requests, lost answers, duplicated deliveries, app kills, server restarts,
//! expired cursors and transfers. One seed decides every choice; a failure names the seed and
//! the step, and `XODIM_SIM_SEED=<seed>` replays the same run.
//!
//! `XODIM_SIM_STEPS` sets the length (default 10,000), `XODIM_SIM_SEEDS` how many seeds.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod checks;
mod corrections;
mod net;
mod world;

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::SeedableRng;
use tokio::runtime::Handle;
use xodim_core::CoreError;

use net::Fault;
use world::World;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phones_converge_and_nothing_is_lost_or_applied_twice_under_faults() {
    let steps = env_number("XODIM_SIM_STEPS", 10_000);
    let seeds: Vec<u64> = match std::env::var("XODIM_SIM_SEED") {
        Ok(seed) => vec![seed.parse().unwrap()],
        Err(_) => (0..env_number("XODIM_SIM_SEEDS", 1))
            .map(|n| 20261124 + n)
            .collect(),
    };
    for seed in seeds {
        let world = world::build(seed).await;
        let handle = Handle::current();
        let world = tokio::task::spawn_blocking(move || run(world, seed, steps, &handle))
            .await
            .unwrap();
        let handle = Handle::current();
        tokio::task::spawn_blocking(move || checks::heal_and_check(world, seed, steps, &handle))
            .await
            .unwrap();
    }
}

/// What the simulation does at one step.
enum Action {
    ChangeContact(usize),
    Sync(usize, Fault, u32),
    Kill(usize),
    Wait(usize, i64),
    RestartServer,
    ExpireCursors,
    Transfer(usize),
    Propose(usize),
    Review(usize),
    HrEdit,
}

fn choose(rng: &mut ChaCha8Rng, world: &World) -> Action {
    let device = rng.random_range(0..world.devices.len());
    match rng.random_range(0..100) {
        0..25 => Action::ChangeContact(device),
        25..33 => Action::Propose(device),
        33..40 => {
            let hr_phones: Vec<usize> = (0..world.devices.len())
                .filter(|&d| world.devices[d].owner == world.hr)
                .collect();
            Action::Review(hr_phones[rng.random_range(0..hr_phones.len())])
        }
        40..70 => {
            let fault = match rng.random_range(0..40) {
                0..19 => Fault::None,
                19..25 => Fault::DropRequest,
                25..31 => Fault::DropAnswer,
                31..35 => Fault::Duplicate,
                35..37 => Fault::KillMidPush,
                37 => Fault::RestartMidPush,
                _ => Fault::Offline,
            };
            Action::Sync(device, fault, rng.random_range(0..4))
        }
        70..80 => Action::Kill(device),
        80..92 => Action::Wait(device, rng.random_range(1..600)),
        92..94 => Action::RestartServer,
        94..95 => Action::ExpireCursors,
        95..97 => Action::HrEdit,
        // Staff only: the HR officer stays at the root.
        _ => Action::Transfer(rng.random_range(1..world.hr)),
    }
}

fn run(mut world: World, seed: u64, steps: u64, rt: &Handle) -> World {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    for step in 0..steps {
        let fail =
            |what: String| -> ! { panic!("simulation failed: seed {seed}, step {step}: {what}") };
        match choose(&mut rng, &world) {
            Action::ChangeContact(d) => {
                let phone = format!("+99890{:07}", rng.random_range(0..10_000_000));
                let core = world.devices[d].open();
                match core.update_contact(Some(phone), None, None) {
                    Ok(intent) => world.devices[d].created.push(intent.id),
                    Err(err) => fail(format!("device {d} could not queue a change: {err}")),
                }
            }
            Action::Sync(d, fault, nth) => {
                sync(&mut world, d, fault, nth, rt)
                    .unwrap_or_else(|err| fail(format!("device {d} sync under {fault:?}: {err}")));
                corrections::observe(&mut world, d).unwrap_or_else(|what| fail(what));
            }
            Action::Propose(d) => {
                corrections::propose(&mut world, d, &mut rng).unwrap_or_else(|what| fail(what))
            }
            Action::Review(d) => {
                corrections::review(&mut world, d, &mut rng).unwrap_or_else(|what| fail(what))
            }
            Action::HrEdit => rt.block_on(corrections::hr_edit(&world, &mut rng)),
            Action::Kill(d) => {
                world.devices[d].kill();
                world.network.faults.count("kill");
            }
            Action::Wait(d, secs) => world.devices[d].clock.advance_secs(secs),
            Action::RestartServer => {
                restart(&mut world, rt);
                world.network.faults.count("restart");
            }
            Action::ExpireCursors => {
                let later = chrono::Utc::now() + chrono::Duration::days(1);
                let removed =
                    rt.block_on(xodim_server::sync::log::compact(&world.app.state.db, later));
                if removed.unwrap() > 0 {
                    world.network.faults.count("expired cursors");
                }
            }
            Action::Transfer(p) => {
                rt.block_on(transfer(&mut world, p, &mut rng));
                world.network.faults.count("transfer");
            }
        }
    }
    world
}

/// One sync of a phone under a fault. A phone killed in the middle of its push loses what it
/// held in memory; a server stopped in the middle of a push starts again on the same database.
fn sync(world: &mut World, d: usize, fault: Fault, nth: u32, rt: &Handle) -> Result<(), String> {
    let device = &mut world.devices[d];
    device.link.arm(fault, nth);
    let core = device.open();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| core.sync(None)));
    device.link.arm(Fault::None, 0);
    drop(core);
    let outcome = match result {
        Ok(Ok(_) | Err(CoreError::Network { .. })) => Ok(()),
        Ok(Err(err)) => Err(err.to_string()),
        Err(payload) if payload.is::<net::Killed>() => {
            device.kill();
            Ok(())
        }
        Err(payload) => std::panic::resume_unwind(payload),
    };
    if world
        .network
        .stopped
        .load(std::sync::atomic::Ordering::SeqCst)
    {
        restart(world, rt);
    }
    outcome
}

/// Stops the server and starts another on the same database; the phones follow it.
fn restart(world: &mut World, rt: &Handle) {
    rt.block_on(world.app.restart());
    world
        .network
        .moved(&world.app.address, world.app.server.clone());
}

/// HR moves a person to a new post in the other unit.
async fn transfer(world: &mut World, person: usize, rng: &mut ChaCha8Rng) {
    let unit = world.units[rng.random_range(0..2)];
    let employee = world.people[person].employee;
    world.app.transfer(&world.hr_token, employee, unit).await;
    world.people[person].unit = unit;
}
