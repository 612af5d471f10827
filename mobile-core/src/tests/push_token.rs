//! The device's push token: stored, registered with the session, sent again after being
//! offline, never sent twice, replaced by the newest, dropped on sign-out.

use serde_json::json;

use super::fake_server::{self, Fault};
use super::*;
use crate::CoreError;

const PATH: &str = "/api/v1/devices/current/push-token";

fn puts(world: &World) -> usize {
    world.server.count(&format!("PUT {PATH}"))
}

fn held(world: &World) -> Option<serde_json::Value> {
    world.server.with(|s| s.push_token.clone())
}

#[test]
fn a_token_is_stored_and_registered_with_the_session_at_once() {
    let world = World::new();
    let core = world.synced();
    core.set_push_token("fcm-1".into(), "android".into())
        .unwrap();
    assert_eq!(
        held(&world),
        Some(json!({"token": "fcm-1", "platform": "android"}))
    );
    let stored = core.push_token().unwrap();
    assert_eq!(
        (
            stored.token.as_str(),
            stored.platform.as_str(),
            stored.registered
        ),
        ("fcm-1", "android", true)
    );
}

#[test]
fn the_same_token_again_sends_nothing() {
    let world = World::new();
    let core = world.synced();
    core.set_push_token("fcm-1".into(), "ios".into()).unwrap();
    core.set_push_token("fcm-1".into(), "ios".into()).unwrap();
    core.sync(None).unwrap();
    assert_eq!(puts(&world), 1);
}

#[test]
fn a_token_given_offline_goes_with_the_next_sync_and_the_newest_wins() {
    let world = World::new();
    let core = world.synced();
    world.server.fail_next(PATH, Fault::Offline);
    core.set_push_token("fcm-old".into(), "android".into())
        .unwrap();
    world.server.fail_next(PATH, Fault::Unavailable(None));
    core.set_push_token("fcm-new".into(), "android".into())
        .unwrap();
    assert_eq!(held(&world), None);
    assert!(!core.push_token().unwrap().registered);
    drop(core);

    let core = world.open("en");
    core.sync(None).unwrap();
    assert_eq!(held(&world).unwrap()["token"], "fcm-new");
    assert!(core.push_token().unwrap().registered);
    core.sync(None).unwrap();
    assert_eq!(puts(&world), 3, "two lost, one delivered, none after");
}

#[test]
fn a_token_given_before_sign_in_is_registered_by_the_sign_in() {
    let world = World::new();
    let core = world.open("en");
    core.set_push_token("fcm-1".into(), "android".into())
        .unwrap();
    assert_eq!(puts(&world), 0, "no session to register it with");
    core.login(fake_server::LOGIN.into(), fake_server::PASSWORD.into())
        .unwrap();
    assert_eq!(held(&world).unwrap()["token"], "fcm-1");
}

#[test]
fn sign_out_asks_the_server_to_drop_the_token_and_the_device_forgets_it() {
    let world = World::new();
    let core = world.synced();
    core.set_push_token("fcm-1".into(), "android".into())
        .unwrap();
    core.logout().unwrap();
    assert_eq!(world.server.count(&format!("DELETE {PATH}")), 1);
    assert_eq!(held(&world), None);
    assert_eq!(core.push_token(), None);
}

#[test]
fn a_blank_token_or_an_unknown_platform_is_refused_and_nothing_is_stored() {
    let world = World::new();
    let core = world.synced();
    for (token, platform) in [("", "android"), ("fcm-1", "windows")] {
        let err = core
            .set_push_token(token.into(), platform.into())
            .unwrap_err();
        assert!(matches!(err, CoreError::Validation { code, .. } if code == "invalid_field"));
    }
    assert_eq!(core.push_token(), None);
    assert_eq!(puts(&world), 0);
}
