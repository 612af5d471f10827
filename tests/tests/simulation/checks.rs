//! What must hold once the faults heal.

use std::collections::{BTreeMap, BTreeSet};

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use tokio::runtime::Handle;
use xodim_core::IntentState;
use xodim_domain::AccountId;
use xodim_server::db::entities::{employee, position};
use xodim_server::sync::contact;

use crate::net::Fault;
use crate::world::World;

const ROUNDS: usize = 40;

/// Heals the network, lets every phone sync until it has nothing left to send, then checks:
/// every intent reached a final state; each servant's contact version equals the number of
/// their intents applied (so none applied twice or lost after being applied); every phone shows
/// exactly the server's contact details; the manager's phones hold exactly the current staff of
/// the unit; nobody else holds any staff; and the correction invariants of
/// [`crate::corrections::check`] hold.
pub fn heal_and_check(mut world: World, seed: u64, steps: u64, rt: &Handle) {
    let fail = |what: String| -> ! {
        panic!("simulation failed: seed {seed} after {steps} steps: {what}")
    };
    settle(&mut world).unwrap_or_else(|what| fail(what));
    let mut applied: BTreeMap<usize, i64> = BTreeMap::new();
    for (d, device) in world.devices.iter_mut().enumerate() {
        let intents = device.open().intents();
        let states: BTreeMap<String, (IntentState, &str)> = intents
            .iter()
            .map(|i| (i.id.clone(), (i.state, i.kind.as_str())))
            .collect();
        for id in &device.created {
            match states.get(id) {
                Some((IntentState::Applied, "contact.update")) => {
                    *applied.entry(device.owner).or_default() += 1
                }
                Some((IntentState::Applied, _)) => {}
                Some((IntentState::Rejected | IntentState::Conflict, _)) => {}
                other => fail(format!("device {d}: intent {id} ended as {other:?}")),
            }
        }
        if intents.len() != device.created.len() {
            fail(format!(
                "device {d} holds {} intents, created {}",
                intents.len(),
                device.created.len()
            ));
        }
    }
    crate::corrections::check(&mut world, rt).unwrap_or_else(|what| fail(what));
    let staff = rt.block_on(staff_of(&world, world.units[0]));
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
            fail(format!(
                "person {}: server at version {}, {expected} intents applied",
                device.owner, server.version
            ));
        }
        let core = device.open();
        let shown = core.contact().unwrap();
        let shown_phone = shown.as_ref().and_then(|c| c.phone.clone());
        let server_phone = server.details.phone.as_ref().map(|p| p.as_str().to_owned());
        if shown_phone != server_phone
            || shown
                .as_ref()
                .is_some_and(|c| c.pending || c.version != server.version)
        {
            fail(format!(
                "device {d} shows {shown:?}, the server holds {server:?}"
            ));
        }
        let team: BTreeSet<String> = core
            .team()
            .into_iter()
            .map(|card| card.employee_id)
            .collect();
        let expected_team = if device.owner == 0 {
            staff.clone()
        } else {
            BTreeSet::new()
        };
        if team != expected_team {
            fail(format!(
                "device {d} holds staff {team:?}, expected {expected_team:?}"
            ));
        }
    }
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
