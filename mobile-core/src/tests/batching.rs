//! A long offline queue reaches the server whole: batches sized in bytes below the server's
//! limit, a batch refused as too large split and sent again, only an intent too large on its own
//! rejected; and an unavailable server only delays intents.

use std::collections::HashMap;

use xodim_domain::{ErrorCode, Locale};

use super::World;
use super::fake_server::Fault;
use super::records::{INTENTS, seeded};
use crate::{CoreError, IntentState, XodimCore};

/// A reason of `chars` Cyrillic letters: two bytes each on the wire.
fn long_reason(n: usize, chars: usize) -> String {
    let head = format!("{n} ");
    head.clone() + &"ж".repeat(chars - head.chars().count())
}

fn queue_a_relative(core: &XodimCore, n: usize, reason: &str) {
    let fields = HashMap::from([
        ("relation".to_owned(), "brother".to_owned()),
        ("full_name".to_owned(), format!("Karimov Aka{n}")),
        ("birth_year".to_owned(), "1990".to_owned()),
    ]);
    core.propose_correction(
        "relative".to_owned(),
        "add".to_owned(),
        None,
        fields,
        reason.to_owned(),
        vec![],
    )
    .unwrap();
}

fn states(core: &XodimCore) -> Vec<IntentState> {
    core.intents().into_iter().map(|i| i.state).collect()
}

fn bodies(world: &World) -> Vec<(usize, bool)> {
    world.server.with(|s| s.intent_bodies.clone())
}

#[test]
fn a_long_offline_queue_goes_in_batches_below_the_servers_limit_and_every_intent_is_applied() {
    let (world, core) = seeded("uz-Cyrl");
    for n in 0..80 {
        queue_a_relative(&core, n, &long_reason(n, 2000));
    }

    let report = core.sync(None).unwrap();

    assert_eq!(
        (report.applied, report.rejected, report.pending),
        (80, 0, 0)
    );
    assert_eq!(states(&core), vec![IntentState::Applied; 80]);
    let sent = bodies(&world);
    assert!(
        sent.len() >= 2,
        "the queue is larger than one body: {sent:?}"
    );
    let limit = world.server.with(|s| s.max_body);
    assert!(
        sent.iter()
            .all(|&(size, refused)| size <= limit && !refused),
        "{sent:?}"
    );
    let own = core.correction_requests();
    assert_eq!(own.iter().filter(|r| r.reason.ends_with("жжж")).count(), 80);
}

#[test]
fn a_device_that_does_not_know_the_limit_splits_a_refused_batch_and_loses_nothing() {
    let (world, core) = seeded("en");
    world.server.with(|s| {
        s.advertise_limit = false;
        s.max_body = 20 * 1024;
    });
    let _ = core
        .ctx
        .store
        .write(|tx| crate::store::meta::delete(tx, crate::store::meta::Key::MaxBody));
    for n in 0..30 {
        queue_a_relative(&core, n, &long_reason(n, 1500));
    }

    let report = core.sync(None).unwrap();

    assert_eq!(
        (report.applied, report.rejected, report.pending),
        (30, 0, 0)
    );
    let sent = bodies(&world);
    assert!(sent[0].1, "the first batch was too large: {sent:?}");
    let refused = sent.iter().filter(|(_, refused)| *refused).count();
    assert!(refused <= 3, "the batch halves until it fits: {sent:?}");
    assert_eq!(core.correction_requests().len(), 30);
}

#[test]
fn only_an_intent_that_alone_exceeds_the_limit_is_rejected_as_too_large() {
    let (world, core) = seeded("ru");
    world.server.with(|s| {
        s.advertise_limit = false;
        s.max_body = 3 * 1024;
    });
    let _ = core
        .ctx
        .store
        .write(|tx| crate::store::meta::delete(tx, crate::store::meta::Key::MaxBody));
    queue_a_relative(&core, 0, "Ukam");
    queue_a_relative(&core, 1, &long_reason(1, 2000));
    queue_a_relative(&core, 2, "Yana bir ukam");

    let report = core.sync(None).unwrap();

    assert_eq!((report.applied, report.rejected, report.pending), (2, 1, 0));
    let intents = core.intents();
    assert_eq!(
        states(&core),
        [
            IntentState::Applied,
            IntentState::Rejected,
            IntentState::Applied
        ]
    );
    assert_eq!(intents[1].code.as_deref(), Some("intent_too_large"));
    assert_eq!(
        intents[1].message.as_deref(),
        Some(ErrorCode::IntentTooLarge.message(Locale::Ru))
    );
    let refused: Vec<usize> = bodies(&world)
        .iter()
        .filter(|(_, refused)| *refused)
        .map(|(size, _)| *size)
        .collect();
    assert!(!refused.is_empty());
}

#[test]
fn an_unavailable_server_delays_intents_until_its_retry_after_and_rejects_none() {
    let (world, core) = seeded("en");
    queue_a_relative(&core, 0, "Ukam");
    queue_a_relative(&core, 1, "Yana bir ukam");
    world
        .server
        .fail_next("/sync/intents", Fault::Unavailable(Some(120)));

    let err = core.sync(None).unwrap_err();

    assert!(matches!(err, CoreError::Network { .. }), "{err:?}");
    assert_eq!(states(&core), [IntentState::Queued, IntentState::Queued]);
    assert!(core.intents().iter().all(|i| i.code.is_none()));
    world.clock.advance(60);
    let early = core.sync(None).unwrap();
    assert_eq!(
        (early.sent, early.pending),
        (0, 2),
        "not before Retry-After"
    );
    assert_eq!(early.retry_at_ms.map(|ms| ms / 1000), Some(1_800_000_120));
    world.clock.advance(60);
    let report = core.sync(None).unwrap();
    assert_eq!((report.applied, report.rejected), (2, 0));
    assert_eq!(world.server.count(INTENTS), 2);
}

#[test]
fn server_faults_and_a_lost_network_only_ever_requeue() {
    let (world, core) = seeded("en");
    queue_a_relative(&core, 0, "Ukam");
    for fault in [
        Fault::Unavailable(None),
        Fault::Offline,
        Fault::Unavailable(Some(5)),
    ] {
        world.server.fail_next("/sync/intents", fault);
        assert!(matches!(core.sync(None), Err(CoreError::Network { .. })));
        assert_eq!(states(&core), [IntentState::Queued]);
        world.clock.advance(10);
    }
    world
        .server
        .fail_next("/sync/changes", Fault::Unavailable(Some(1)));
    assert!(matches!(core.sync(None), Err(CoreError::Network { .. })));
    assert_eq!(
        states(&core),
        [IntentState::Applied],
        "a failed pull undoes no decision"
    );
    assert_eq!(core.intents()[0].attempts, 3);
}
