//! What must hold once the faults heal, and the work a run must have done to count.

use std::collections::{BTreeMap, BTreeSet};

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use tokio::runtime::Handle;
use xodim_core::IntentState;
use xodim_domain::AccountId;
use xodim_domain::contact::CONTACT_UPDATE;
use xodim_server::db::entities::{employee, position};
use xodim_server::{contact, org::publish};

use crate::net::Fault;
use crate::world::World;

const ROUNDS: usize = 40;

/// The fewest applied intents of each kind in 10,000 steps (fewer steps ask for proportionally
/// fewer). A run that applies less did not exercise what it claims to: a server that refused
/// every approval, say, would otherwise pass.
const APPLIED_PER_10K: &[(&str, u64)] = &[
    (CONTACT_UPDATE, 500),
    ("correction.submit", 300),
    ("correction.withdraw", 50),
    ("correction.answer", 2),
    ("correction.claim", 30),
    ("correction.ask", 2),
    // Approving an item that changed since the request was made ends in conflict until HR
    // rebases, which the simulated HR often does not do first: about a quarter of approvals apply.
    ("correction.approve", 20),
    ("correction.reject", 50),
    ("correction.rebase", 5),
];

/// The fewest injected faults of each kind in 10,000 steps.
const FAULTS_PER_10K: &[(&str, u64)] = &[
    ("lost request", 60),
    ("lost answer", 60),
    ("duplicate", 40),
    ("offline request", 40),
    ("kill", 400),
    ("kill mid-push", 20),
    ("restart", 80),
    ("restart mid-push", 15),
    ("expired cursors", 30),
    ("transfer", 120),
];

fn need(per_10k: u64, steps: u64) -> u64 {
    per_10k * steps / 10_000
}

/// Heals the network, lets every phone sync until it has nothing left to send, then checks:
/// every intent reached a final state and no contact change was rejected; the run applied
/// enough intents of every kind and injected every fault often enough; each servant's contact
/// version equals the number of their intents applied (so none applied twice or lost after
/// being applied); every phone shows exactly the server's contact details and, for the
/// manager, the server's cards of the current staff of the unit; nobody else holds any staff;
/// and the correction invariants of [`crate::corrections::check`] hold.
pub fn heal_and_check(mut world: World, seed: u64, steps: u64, rt: &Handle) {
    let fail = |what: String| -> ! {
        panic!("simulation failed: seed {seed} after {steps} steps: {what}")
    };
    eprintln!("seed {seed}, {steps} steps (XODIM_SIM_SEED={seed} replays this run)");
    settle(&mut world).unwrap_or_else(|what| fail(what));
    let applied = settled_intents(&mut world, steps).unwrap_or_else(|what| fail(what));
    faults_happened(&world, steps).unwrap_or_else(|what| fail(what));
    crate::corrections::check(&mut world, rt).unwrap_or_else(|what| fail(what));
    phones_match(&mut world, &applied, rt).unwrap_or_else(|what| fail(what));
}

/// Every intent ended; no contact change was refused; enough of each kind applied. Returns
/// the contact changes applied per person.
fn settled_intents(world: &mut World, steps: u64) -> Result<BTreeMap<usize, i64>, String> {
    let mut contacts: BTreeMap<usize, i64> = BTreeMap::new();
    let mut ended: BTreeMap<(String, String), u64> = BTreeMap::new();
    for (d, device) in world.devices.iter_mut().enumerate() {
        let intents = device.open().intents();
        if intents.len() != device.created.len() {
            return Err(format!(
                "device {d} holds {} intents, created {}",
                intents.len(),
                device.created.len()
            ));
        }
        let states: BTreeMap<&str, _> = intents.iter().map(|i| (i.id.as_str(), i)).collect();
        for id in &device.created {
            let Some(intent) = states.get(id.as_str()) else {
                return Err(format!("device {d}: intent {id} is gone"));
            };
            match (intent.state, intent.kind.as_str()) {
                (IntentState::Applied, CONTACT_UPDATE) => {
                    *contacts.entry(device.owner).or_default() += 1
                }
                (IntentState::Rejected, CONTACT_UPDATE) => {
                    return Err(format!(
                        "device {d}: contact change {id} was rejected: {:?} {:?}",
                        intent.code, intent.message
                    ));
                }
                (IntentState::Applied | IntentState::Rejected | IntentState::Conflict, _) => {}
                (state, _) => return Err(format!("device {d}: intent {id} ended as {state:?}")),
            }
            *ended
                .entry((format!("{:?}", intent.state), intent.kind.clone()))
                .or_default() += 1;
        }
    }
    eprintln!("intents by outcome and kind: {ended:?}");
    for (kind, per_10k) in APPLIED_PER_10K {
        let done = ended
            .get(&("Applied".to_owned(), (*kind).to_owned()))
            .copied()
            .unwrap_or(0);
        if done < need(*per_10k, steps) {
            return Err(format!(
                "only {done} {kind} intents applied, at least {} expected",
                need(*per_10k, steps)
            ));
        }
    }
    Ok(contacts)
}

/// Each fault the run injects actually happened, often enough to count.
fn faults_happened(world: &World, steps: u64) -> Result<(), String> {
    let faults = &world.network.faults;
    eprintln!("faults injected: {:?}", faults.all());
    for (what, per_10k) in FAULTS_PER_10K {
        if faults.get(what) < need(*per_10k, steps) {
            return Err(format!(
                "{what} happened {} times, at least {} expected",
                faults.get(what),
                need(*per_10k, steps)
            ));
        }
    }
    Ok(())
}

/// Each phone's contact details and team cards are the server's, field by field.
fn phones_match(
    world: &mut World,
    applied: &BTreeMap<usize, i64>,
    rt: &Handle,
) -> Result<(), String> {
    let staff = rt.block_on(staff_of(world, world.units[0]));
    let mut cards = BTreeMap::new();
    for employee in &staff {
        let card = rt
            .block_on(publish::card(
                &world.app.state.db,
                employee.parse().unwrap(),
            ))
            .unwrap()
            .map(|(_, card)| card_text(&card));
        cards.insert(employee.clone(), card);
    }
    for (d, device) in world.devices.iter_mut().enumerate() {
        let person = &world.people[device.owner];
        let server = rt
            .block_on(contact::current(
                &world.app.state.db,
                AccountId::from_uuid(person.account),
            ))
            .unwrap();
        let expected = applied.get(&device.owner).copied().unwrap_or(0);
        if server.version != expected {
            return Err(format!(
                "person {}: server at version {}, {expected} intents applied",
                device.owner, server.version
            ));
        }
        let core = device.open();
        let shown = core.contact().unwrap();
        let shown = shown.as_ref().map(|c| {
            (
                c.phone.clone(),
                c.email.clone(),
                c.address.clone(),
                c.version,
                c.pending,
            )
        });
        let details = &server.details;
        let held = (
            details.phone.as_ref().map(|p| p.as_str().to_owned()),
            details.email.as_ref().map(|e| e.as_str().to_owned()),
            details.address.clone(),
            server.version,
            false,
        );
        // A person who never changed their details may have no contact entity at all.
        if shown.as_ref() != Some(&held) && !(shown.is_none() && server.version == 0) {
            return Err(format!(
                "device {d} shows {shown:?}, the server holds {held:?}"
            ));
        }
        let team: BTreeMap<String, Option<[String; 6]>> = core
            .team()
            .into_iter()
            .map(|card| {
                let text = [
                    card.employee_id.clone(),
                    card.full_name,
                    card.post,
                    card.unit_id,
                    card.phone.unwrap_or_default(),
                    card.email.unwrap_or_default(),
                ];
                (card.employee_id, Some(text))
            })
            .collect();
        let expected_team = if device.owner == 0 {
            cards.clone()
        } else {
            BTreeMap::new()
        };
        if team != expected_team {
            return Err(format!(
                "device {d} holds staff {team:?}, expected {expected_team:?}"
            ));
        }
    }
    Ok(())
}

fn card_text(card: &xodim_domain::sync::EmployeeCard) -> [String; 6] {
    [
        card.employee_id.to_string(),
        card.full_name_latn.clone(),
        card.post.clone(),
        card.unit_id.to_string(),
        card.phone.clone().unwrap_or_default(),
        card.email.clone().unwrap_or_default(),
    ]
}

/// Syncs every phone, round after round, until none has anything left to send and a last
/// round brings nothing new.
fn settle(world: &mut World) -> Result<(), String> {
    for device in &world.devices {
        device.link.arm(Fault::None, 0);
    }
    for _ in 0..ROUNDS {
        let mut busy = false;
        for (d, device) in world.devices.iter_mut().enumerate() {
            device.clock.advance_secs(600);
            let report = device
                .open()
                .sync(None)
                .map_err(|err| format!("device {d} cannot sync after healing: {err}"))?;
            busy |= report.pending > 0 || report.sent > 0 || report.received > 0;
        }
        if !busy {
            return Ok(());
        }
    }
    Err(format!("phones still busy after {ROUNDS} rounds"))
}

/// Employees now on posts of the unit.
async fn staff_of(world: &World, unit: uuid::Uuid) -> BTreeSet<String> {
    let posts: Vec<uuid::Uuid> = position::Entity::find()
        .filter(position::Column::UnitId.eq(unit))
        .all(&world.app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.id)
        .collect();
    employee::Entity::find()
        .filter(employee::Column::PositionId.is_in(posts))
        .all(&world.app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.id.to_string())
        .collect()
}
