//! HR officers on the phone: the review queue of their `hr:` scopes and decisions taken
//! offline, checked by the same state machine as on the server.

use xodim_domain::records::intents::NAMESPACE as CORRECTION;
use xodim_domain::records::{CORRECTION_APPROVE, RequestState};
use xodim_domain::{ErrorCode, Locale};

use super::fake_records::{IN_REVIEW, SCHOOL, WAITING, publishes};
use super::fake_server::{Verdict, verdict};
use super::records::{propose_edit, seeded};
use crate::{Clock, CoreError, IntentState};

#[test]
fn the_review_queue_shows_the_open_requests_of_hr_scopes_oldest_first_and_never_the_users_own() {
    let (_world, core) = seeded("en");
    propose_edit(&core, SCHOOL, "Litsey 2", vec![]).unwrap();
    core.sync(None).unwrap();

    let queue = core.review_queue();
    let ids: Vec<&str> = queue.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, [WAITING.to_string(), IN_REVIEW.to_string()]);
    assert_eq!(queue[0].employee_name.as_deref(), Some("Xodim 1"));
    assert_eq!(
        queue[1].state_label,
        RequestState::InReview.label(Locale::En)
    );
    let own: Vec<String> = core
        .correction_requests()
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(own.len(), 1);
    assert!(!own.contains(&WAITING.to_string()));
}

#[test]
fn an_officer_claims_and_approves_offline_and_the_request_leaves_the_queue_once_applied() {
    let (world, core) = seeded("en");
    let id = WAITING.to_string();
    core.claim_request(id.clone()).unwrap();
    let claimed = core
        .review_queue()
        .into_iter()
        .find(|r| r.id == id)
        .unwrap();
    assert_eq!(
        (claimed.state.as_str(), claimed.pending),
        ("in_review", true)
    );
    core.approve_request(id.clone(), Some("Diplom tekshirildi".to_owned()))
        .unwrap();
    let approved = core
        .review_queue()
        .into_iter()
        .find(|r| r.id == id)
        .unwrap();
    assert_eq!(
        (approved.state.as_str(), approved.note.as_deref()),
        ("applied", Some("Diplom tekshirildi"))
    );

    world.server.with(|s| {
        s.answer_next(CORRECTION, publishes(RequestState::InReview));
        s.answer_next(CORRECTION, publishes(RequestState::Applied));
    });
    let report = core.sync(None).unwrap();
    assert_eq!((report.sent, report.applied), (2, 2));
    let ids: Vec<String> = core.review_queue().into_iter().map(|r| r.id).collect();
    assert_eq!(ids, [IN_REVIEW.to_string()]);
    let sent = world.server.with(|s| s.answered.clone());
    let steps: Vec<&str> = sent.iter().map(|i| i.kind.as_str()).collect();
    assert_eq!(
        steps,
        ["correction.claim", CORRECTION_APPROVE],
        "in the order taken"
    );
    assert_eq!(sent[1].args["note"], "Diplom tekshirildi");
}

#[test]
fn a_step_the_state_machine_forbids_is_refused_on_the_device() {
    let (_world, core) = seeded("ru");
    let err = core
        .ask_for_info(IN_REVIEW.to_string(), "Qaysi yil?".to_owned())
        .unwrap_err();
    assert_eq!(
        err,
        CoreError::Validation {
            code: "request_claimed".to_owned(),
            reason: ErrorCode::RequestClaimed.message(Locale::Ru).to_owned(),
            field_name: None,
        }
    );
    let err = core
        .reject_request(WAITING.to_string(), "".to_owned())
        .unwrap_err();
    assert!(matches!(err, CoreError::Validation { code, .. } if code == "missing_field"));
    let err = core
        .claim_request(uuid::Uuid::from_u128(1).to_string())
        .unwrap_err();
    assert!(matches!(err, CoreError::Validation { code, .. } if code == "not_found"));
    assert!(core.intents().is_empty());
}

#[test]
fn a_decision_on_a_request_another_officer_decided_first_is_rejected_as_decided() {
    let (world, core) = seeded("en");
    core.approve_request(WAITING.to_string(), None).unwrap();
    let now = world.clock.now();
    world.server.with(|s| {
        s.decided_elsewhere(WAITING, RequestState::Rejected, now);
        let decided = Verdict::Rejected(ErrorCode::RequestDecided);
        s.answer_next(CORRECTION, verdict(decided));
    });

    let report = core.sync(None).unwrap();
    assert_eq!(report.rejected, 1);
    let intent = &core.intents()[0];
    assert_eq!(
        (intent.state, intent.code.as_deref()),
        (IntentState::Rejected, Some("request_decided"))
    );
    assert!(
        core.review_queue()
            .iter()
            .all(|r| r.id != WAITING.to_string())
    );
}
