//! The inbox's read state on the phone: a read shows at once, offline too, survives a restart,
//! reaches the server once and is kept by it; the badge counts what is unread.

use uuid::Uuid;

use super::fake_inbox;
use super::fake_server::Fault;
use super::*;
use crate::CoreError;

/// A signed-in phone holding three unread entries.
fn seeded() -> (World, Arc<XodimCore>, Vec<Uuid>) {
    let world = World::new();
    let now = world.clock.now();
    let ids = world.server.with(|s| fake_inbox::install(s, 3, now));
    let core = world.synced();
    (world, core, ids)
}

fn read_ids(core: &XodimCore) -> Vec<String> {
    core.inbox()
        .into_iter()
        .filter(|e| e.read)
        .map(|e| e.id)
        .collect()
}

#[test]
fn every_new_entry_counts_in_the_badge_and_the_newest_comes_first() {
    let (_world, core, ids) = seeded();
    assert_eq!(core.unread_count(), 3);
    let shown: Vec<String> = core.inbox().into_iter().map(|e| e.id).collect();
    let newest_first: Vec<String> = ids.iter().rev().map(Uuid::to_string).collect();
    assert_eq!(shown, newest_first);
    assert!(core.inbox().iter().all(|e| !e.read));
}

#[test]
fn a_read_made_offline_shows_at_once_and_survives_a_restart() {
    let (world, core, ids) = seeded();
    world
        .server
        .fail_next("/api/v1/sync/intents", Fault::Offline);
    core.mark_read(ids[0].to_string()).unwrap();
    assert_eq!(read_ids(&core), [ids[0].to_string()]);
    assert_eq!(core.unread_count(), 2);
    assert!(core.sync(None).is_err(), "offline");
    drop(core);

    let core = world.open("en");
    assert_eq!(read_ids(&core), [ids[0].to_string()]);
    assert_eq!(core.unread_count(), 2);
    assert!(
        fake_inbox::entry(&world.server.state.lock().unwrap(), ids[0])
            .unwrap()
            .read_at
            .is_none()
    );
}

#[test]
fn the_next_sync_tells_the_server_which_keeps_the_entry_read() {
    let (world, core, ids) = seeded();
    core.mark_read(ids[1].to_string()).unwrap();
    let report = core.sync(None).unwrap();
    assert_eq!((report.sent, report.applied, report.pending), (1, 1, 0));
    let on_server = world.server.with(|s| fake_inbox::entry(s, ids[1]).unwrap());
    assert!(on_server.read_at.is_some());
    assert_eq!(read_ids(&core), [ids[1].to_string()]);
    assert!(
        core.intents()
            .iter()
            .all(|i| i.state == crate::IntentState::Applied)
    );
}

#[test]
fn reading_an_entry_already_read_queues_nothing() {
    let (world, core, ids) = seeded();
    core.mark_read(ids[0].to_string()).unwrap();
    core.mark_read(ids[0].to_string()).unwrap();
    assert_eq!(core.intents().len(), 1, "one read queued");
    let now = world.clock.now();
    world
        .server
        .with(|s| fake_inbox::read_elsewhere(s, ids[2], now));
    core.sync(None).unwrap();
    core.mark_read(ids[2].to_string()).unwrap();
    assert_eq!(core.intents().len(), 1, "read elsewhere: nothing to send");
    assert_eq!(core.unread_count(), 1);
}

#[test]
fn a_read_on_another_device_shows_after_the_next_sync() {
    let (world, core, ids) = seeded();
    let now = world.clock.now();
    world
        .server
        .with(|s| fake_inbox::read_elsewhere(s, ids[0], now));
    assert_eq!(core.unread_count(), 3);
    core.sync(None).unwrap();
    assert_eq!(read_ids(&core), [ids[0].to_string()]);
    assert_eq!(core.unread_count(), 2);
}

#[test]
fn an_unknown_entry_or_a_malformed_id_is_refused_and_queues_nothing() {
    let (_world, core, _) = seeded();
    let unknown = core.mark_read(Uuid::from_u128(0xDEAD).to_string());
    assert!(matches!(unknown, Err(CoreError::Validation { code, .. }) if code == "not_found"));
    let malformed = core.mark_read("nope".to_owned());
    assert!(matches!(malformed, Err(CoreError::Validation { code, .. }) if code == "invalid_id"));
    assert!(core.intents().is_empty());
}

#[test]
fn signed_out_there_is_no_inbox_and_no_badge() {
    let (_world, core, _) = seeded();
    core.logout().unwrap();
    assert!(core.inbox().is_empty());
    assert_eq!(core.unread_count(), 0);
}
