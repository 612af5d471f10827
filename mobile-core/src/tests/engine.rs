use std::sync::Arc;

use xodim_domain::contact::NAMESPACE as CONTACT;
use xodim_domain::{ErrorCode, Locale};

use super::fake_contact::{self, FIRST_PHONE};
use super::fake_server::{Fault, LOGIN, PASSWORD, Verdict, verdict};
use super::{Recorder, World};
use crate::{CoreError, IntentState, SyncListener};

const INTENTS: &str = "POST /api/v1/sync/intents";
const NEW_PHONE: &str = "+998 93 555-44-33";

fn phone(core: &crate::XodimCore) -> Option<String> {
    core.contact().unwrap().and_then(|c| c.phone)
}

fn change_phone(core: &crate::XodimCore, phone: &str) {
    core.update_contact(Some(phone.to_owned()), None, None)
        .unwrap();
}

#[test]
fn signing_in_keeps_the_session_and_one_installation_id() {
    let world = World::new();
    let core = world.open("en");
    assert!(!core.is_signed_in());

    let session = core.login(LOGIN.to_owned(), PASSWORD.to_owned()).unwrap();
    assert_eq!(session.account_id, "00000000-0000-0000-0000-00000000000a");
    assert!(core.is_signed_in());
    assert_eq!(
        core.account_id().as_deref(),
        Some(session.account_id.as_str())
    );

    core.login(LOGIN.to_owned(), PASSWORD.to_owned()).unwrap();
    let ids = world.server.with(|s| s.installation_ids.clone());
    assert_eq!(ids.len(), 2);
    assert_eq!(ids[0], ids[1], "the installation id is made once and kept");
}

#[test]
fn a_wrong_password_is_explained_in_the_users_language() {
    let world = World::new();
    let core = world.open("ru");
    let err = core
        .login(LOGIN.to_owned(), "wrong password!".to_owned())
        .unwrap_err();
    assert_eq!(
        err,
        CoreError::Unauthorized {
            code: "invalid_credentials".to_owned(),
            reason: ErrorCode::InvalidCredentials.message(Locale::Ru).to_owned(),
        }
    );
    assert!(!core.is_signed_in());
}

#[test]
fn a_malformed_login_is_refused_without_asking_the_server() {
    let world = World::new();
    let core = world.open("en");
    let err = core
        .login("1 bad".to_owned(), PASSWORD.to_owned())
        .unwrap_err();
    assert!(matches!(err, CoreError::Validation { code, .. } if code == "invalid_login"));
    assert!(world.server.with(|s| s.requests.is_empty()));
}

#[test]
fn a_first_sync_pulls_every_page_and_reports_progress() {
    let world = World::new();
    let core = world.open("uz-Cyrl");
    core.login(LOGIN.to_owned(), PASSWORD.to_owned()).unwrap();
    let recorder = Arc::new(Recorder::default());

    let report = core
        .sync(Some(recorder.clone() as Arc<dyn SyncListener>))
        .unwrap();

    assert_eq!(report.received, 13);
    assert_eq!(*recorder.progress.lock().unwrap(), [3, 6, 9, 12, 13]);
    assert_eq!(
        recorder.changed_kinds(),
        ["contact", "employee_card", "unit"]
    );
    assert_eq!(phone(&core).as_deref(), Some(FIRST_PHONE));
    assert_eq!(core.units().len(), 7);
    let team = core.team();
    assert_eq!(team.len(), 5);
    assert_eq!(
        team[0].full_name, "Ходим 0",
        "names follow the user's script"
    );

    let again = core.sync(None).unwrap();
    assert_eq!(again.received, 0, "a second sync only asks for what is new");
}

#[test]
fn a_change_made_offline_shows_at_once_and_is_sent_when_the_network_returns() {
    let world = World::new();
    let core = world.synced();
    world.server.fail_next("/sync/intents", Fault::Offline);

    change_phone(&core, NEW_PHONE);
    let view = core.contact().unwrap().unwrap();
    assert_eq!(
        (view.phone.as_deref(), view.pending),
        (Some("+998935554433"), true)
    );

    assert!(matches!(core.sync(None), Err(CoreError::Network { .. })));
    let queued = &core.intents()[0];
    assert_eq!((queued.state, queued.attempts), (IntentState::Queued, 1));
    assert_eq!(phone(&core).as_deref(), Some("+998935554433"));

    let sent_before = world.server.count(INTENTS);
    let report = core.sync(None).unwrap();
    assert_eq!(
        report.sent, 0,
        "the back-off holds it until the clock passes it"
    );
    assert_eq!((report.pending, report.retry_at_ms.is_some()), (1, true));
    assert_eq!(world.server.count(INTENTS), sent_before);

    world.clock.advance(1);
    let report = core.sync(None).unwrap();
    assert_eq!((report.sent, report.applied, report.pending), (1, 1, 0));
    assert_eq!(core.intents()[0].state, IntentState::Applied);
    let view = core.contact().unwrap().unwrap();
    assert_eq!(
        (view.phone.as_deref(), view.version, view.pending),
        (Some("+998935554433"), 2, false)
    );
    assert_eq!(world.server.with(|s| fake_contact::published(s).version), 2);
}

#[test]
fn an_answer_lost_after_the_server_applied_is_resent_and_applied_once() {
    let world = World::new();
    let core = world.synced();
    world.server.fail_next("/sync/intents", Fault::LoseAnswer);
    change_phone(&core, NEW_PHONE);

    assert!(matches!(core.sync(None), Err(CoreError::Network { .. })));
    assert_eq!(world.server.with(|s| s.applications), 1);
    assert_eq!(
        core.intents()[0].state,
        IntentState::Queued,
        "not applied without an answer"
    );

    world.clock.advance(1);
    core.sync(None).unwrap();
    assert_eq!(world.server.with(|s| s.applications), 1);
    assert_eq!(world.server.count(INTENTS), 2);
    assert_eq!(core.intents()[0].state, IntentState::Applied);
    assert_eq!(core.contact().unwrap().unwrap().version, 2);
}

#[test]
fn a_rejected_intent_is_final_and_explained() {
    let world = World::new();
    let core = world.synced();
    core.set_locale("ru".to_owned());
    world.server.with(|s| {
        s.answer_next(CONTACT, verdict(Verdict::Rejected(ErrorCode::Forbidden)));
    });
    change_phone(&core, NEW_PHONE);

    let report = core.sync(None).unwrap();
    assert_eq!(report.rejected, 1);
    let rejected = &core.intents()[0];
    assert_eq!(rejected.state, IntentState::Rejected);
    assert_eq!(rejected.code.as_deref(), Some("forbidden"));
    assert_eq!(
        rejected.message.as_deref(),
        Some(ErrorCode::Forbidden.message(Locale::Ru))
    );
    assert_eq!(
        phone(&core).as_deref(),
        Some(FIRST_PHONE),
        "no longer shown"
    );

    world.clock.advance(600);
    core.sync(None).unwrap();
    assert_eq!(world.server.count(INTENTS), 1, "never sent again");
}

#[test]
fn a_conflict_keeps_the_servers_current_state_and_what_followed_it_conflicts_too() {
    let world = World::new();
    let core = world.synced();
    change_phone(&core, NEW_PHONE);
    change_phone(&core, "+998 94 000 00 01");
    world.server.with(|s| {
        fake_contact::change_elsewhere(s, "+998977777777");
        s.answer_next(CONTACT, fake_contact::conflict());
    });

    let report = core.sync(None).unwrap();
    assert_eq!((report.applied, report.conflicts), (0, 2));
    let intents = core.intents();
    assert!(intents.iter().all(|i| i.state == IntentState::Conflict));
    assert!(
        intents[0]
            .current
            .as_deref()
            .unwrap()
            .contains("+998977777777")
    );
    assert_eq!(
        intents[1].message.as_deref(),
        Some(ErrorCode::VersionConflict.message(Locale::En))
    );
    assert_eq!(phone(&core).as_deref(), Some("+998977777777"));
    assert_eq!(
        world.server.with(|s| fake_contact::published(s).version),
        2,
        "nothing overwritten"
    );
}

#[test]
fn consecutive_offline_changes_apply_one_after_the_other() {
    let world = World::new();
    let core = world.synced();
    change_phone(&core, NEW_PHONE);
    change_phone(&core, "+998 94 000 00 01");
    assert_eq!(core.contact().unwrap().unwrap().version, 3);

    let report = core.sync(None).unwrap();
    assert_eq!((report.sent, report.applied), (2, 2));
    assert_eq!(
        world.server.count(INTENTS),
        2,
        "the second waits for the first's decision"
    );
    let view = core.contact().unwrap().unwrap();
    assert_eq!(
        (view.phone.as_deref(), view.version, view.pending),
        (Some("+998940000001"), 3, false)
    );
}

#[test]
fn a_bad_phone_is_refused_at_once_and_nothing_is_queued() {
    let world = World::new();
    let core = world.synced();
    core.set_locale("uz".to_owned());
    let err = core
        .update_contact(Some("+7 916 123 45 67".to_owned()), None, None)
        .unwrap_err();
    assert_eq!(
        err,
        CoreError::Validation {
            code: "invalid_phone".to_owned(),
            reason: ErrorCode::InvalidPhone.message(Locale::UzLatn).to_owned(),
            field_name: None,
        }
    );
    assert!(core.intents().is_empty());
}

#[test]
fn losing_a_scope_deletes_its_data() {
    let world = World::new();
    let core = world.synced();
    assert_eq!(core.team().len(), 5);
    world.server.with(|s| {
        let unit = s.unit_scope();
        s.held.retain(|scope| *scope != unit);
    });
    let recorder = Arc::new(Recorder::default());

    core.sync(Some(recorder.clone() as Arc<dyn SyncListener>))
        .unwrap();
    assert!(core.team().is_empty());
    assert_eq!(recorder.changed_kinds(), ["employee_card"]);
    assert_eq!(core.units().len(), 7, "other scopes stay");
}

#[test]
fn a_refused_cursor_resyncs_from_scratch_and_keeps_queued_intents() {
    let world = World::new();
    let core = world.synced();
    world.server.fail_next("/sync/intents", Fault::Offline);
    change_phone(&core, NEW_PHONE);
    let _ = core.sync(None);
    world.server.with(|s| s.refuse_cursor_once = true);

    let report = core.sync(None).unwrap();
    assert_eq!(report.received, 13);
    assert_eq!((core.units().len(), core.team().len()), (7, 5));
    assert_eq!(core.intents().len(), 1);
    assert_eq!(phone(&core).as_deref(), Some("+998935554433"));
}

#[test]
fn an_expired_token_is_refreshed_and_the_request_retried() {
    let world = World::new();
    let core = world.synced();
    let now = crate::Clock::now(world.clock.as_ref());
    world.server.with(|s| s.expire_access_tokens(now));
    change_phone(&core, NEW_PHONE);

    let report = core.sync(None).unwrap();
    assert_eq!(report.applied, 1);
    assert_eq!(world.server.count("POST /api/v1/auth/refresh"), 1);
    assert!(core.is_signed_in());

    world.clock.advance(3600);
    core.sync(None).unwrap();
    assert_eq!(
        world.server.count("POST /api/v1/auth/refresh"),
        2,
        "expiry by the clock"
    );
}

#[test]
fn a_session_ended_on_the_server_signs_the_device_out_and_keeps_nothing() {
    let world = World::new();
    let core = world.synced();
    change_phone(&core, NEW_PHONE);
    world.server.with(|s| s.end_sessions());

    let err = core.sync(None).unwrap_err();
    assert!(matches!(err, CoreError::Unauthorized { code, .. } if code == "refresh_token_invalid"));
    assert!(!core.is_signed_in());
    assert!(core.intents().is_empty());
    assert_eq!(core.contact().unwrap(), None);
    assert!(core.units().is_empty());
}

#[test]
fn logging_out_wipes_the_device_even_offline() {
    let world = World::new();
    let core = world.synced();
    change_phone(&core, NEW_PHONE);
    world.server.fail_next("/auth/logout", Fault::Offline);

    core.logout().unwrap();
    assert!(!core.is_signed_in());
    assert_eq!(core.account_id(), None);
    drop(core);

    let reopened = world.open("en");
    assert!(!reopened.is_signed_in());
    assert!(reopened.intents().is_empty());
    assert!(reopened.units().is_empty() && reopened.team().is_empty());
    assert_eq!(reopened.contact().unwrap(), None);
    assert!(matches!(
        reopened.sync(None),
        Err(CoreError::Unauthorized { .. })
    ));
}

#[test]
fn logging_out_ends_the_session_on_the_server() {
    let world = World::new();
    let core = world.synced();
    core.logout().unwrap();
    assert_eq!(world.server.count("POST /api/v1/auth/logout"), 1);
    assert!(world.server.with(|s| s.installation_ids.len()) == 1);
}

#[test]
fn queued_intents_survive_a_restart_of_the_app() {
    let world = World::new();
    let core = world.synced();
    world.server.fail_next("/sync/intents", Fault::LoseAnswer);
    change_phone(&core, NEW_PHONE);
    let _ = core.sync(None);
    drop(core);

    let core = world.open("en");
    assert!(core.is_signed_in());
    let intents = core.intents();
    assert_eq!((intents.len(), intents[0].state), (1, IntentState::Queued));
    assert_eq!(phone(&core).as_deref(), Some("+998935554433"));

    world.clock.advance(1);
    core.sync(None).unwrap();
    assert_eq!(core.intents()[0].state, IntentState::Applied);
    assert_eq!(world.server.with(|s| s.applications), 1);
}

#[test]
fn signing_in_as_someone_else_starts_from_an_empty_device() {
    let world = World::new();
    let core = world.synced();
    change_phone(&core, NEW_PHONE);
    world
        .server
        .with(|s| s.account = uuid::Uuid::from_u128(0xB));

    core.login(LOGIN.to_owned(), PASSWORD.to_owned()).unwrap();
    assert!(core.intents().is_empty());
    assert!(core.units().is_empty());
}
