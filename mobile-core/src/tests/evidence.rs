//! Evidence files on their way to the server: uploaded before the intents naming them, retried
//! like any unanswered request, and turned into a rejection when the server refuses a file.

use xodim_domain::{ErrorCode, Locale};

use super::fake_records::SCHOOL;
use super::fake_server::Fault;
use super::records::{INTENTS, PDF, propose_edit, seeded, stored_evidence};
use crate::{CoreError, IntentState};

#[test]
fn an_interrupted_evidence_upload_is_retried_by_the_next_sync_and_the_intent_sent_once_after_it() {
    let (world, core) = seeded("en");
    let hash = core
        .attach_evidence(PDF.to_vec(), "application/pdf".to_owned())
        .unwrap();
    propose_edit(&core, SCHOOL, "Litsey 2", vec![hash]).unwrap();
    world.server.fail_next("/evidence/", Fault::Offline);

    assert!(matches!(core.sync(None), Err(CoreError::Network { .. })));
    let intent = &core.intents()[0];
    assert_eq!((intent.state, intent.attempts), (IntentState::Queued, 1));
    assert_eq!(world.server.count(INTENTS), 0, "no intent without its file");
    assert_eq!(stored_evidence(&core), 1);

    let report = core.sync(None).unwrap();
    assert_eq!(
        (report.sent, report.pending),
        (0, 1),
        "the back-off holds it"
    );

    world.clock.advance(1);
    let report = core.sync(None).unwrap();
    assert_eq!((report.sent, report.applied), (1, 1));
    assert_eq!(world.server.count(INTENTS), 1);
    assert_eq!(
        world.server.with(|s| (s.evidence.len(), s.applications)),
        (1, 1)
    );
    assert_eq!(core.intents()[0].state, IntentState::Applied);
}

#[test]
fn an_upload_whose_answer_was_lost_is_sent_again_harmlessly() {
    let (world, core) = seeded("en");
    let hash = core
        .attach_evidence(PDF.to_vec(), "application/pdf".to_owned())
        .unwrap();
    propose_edit(&core, SCHOOL, "Litsey 2", vec![hash.clone()]).unwrap();
    world.server.fail_next("/evidence/", Fault::LoseAnswer);

    assert!(matches!(core.sync(None), Err(CoreError::Network { .. })));
    world.clock.advance(1);
    core.sync(None).unwrap();
    let puts = format!("PUT /api/v1/evidence/{hash}");
    assert_eq!(world.server.count(&puts), 2);
    assert_eq!(core.intents()[0].state, IntentState::Applied);
}

#[test]
fn a_file_the_server_refuses_rejects_the_request_with_the_servers_reason() {
    let (world, core) = seeded("en");
    world
        .server
        .with(|s| s.refuse_uploads = Some((413, ErrorCode::EvidenceTooLarge)));
    let hash = core
        .attach_evidence(PDF.to_vec(), "application/pdf".to_owned())
        .unwrap();
    propose_edit(&core, SCHOOL, "Litsey 2", vec![hash]).unwrap();

    let report = core.sync(None).unwrap();
    assert_eq!((report.rejected, report.pending), (1, 0));
    let intent = &core.intents()[0];
    assert_eq!(intent.state, IntentState::Rejected);
    assert_eq!(intent.code.as_deref(), Some("evidence_too_large"));
    assert_eq!(
        intent.message.as_deref(),
        Some(ErrorCode::EvidenceTooLarge.message(Locale::En))
    );
    assert_eq!(world.server.count(INTENTS), 0);
    assert!(core.correction_requests().is_empty());
    assert_eq!(stored_evidence(&core), 0);
}

#[test]
fn a_text_file_passed_off_as_a_photo_is_refused_when_attached() {
    let (_world, core) = seeded("en");
    let err = core
        .attach_evidence(b"hello".to_vec(), "image/jpeg".to_owned())
        .unwrap_err();
    assert!(matches!(err, CoreError::Validation { code, .. } if code == "evidence_type"));
    assert_eq!(stored_evidence(&core), 0);
}

#[test]
fn a_correction_with_its_file_survives_a_restart_of_the_app_before_it_is_sent() {
    let (world, core) = seeded("en");
    let hash = core
        .attach_evidence(PDF.to_vec(), "application/pdf".to_owned())
        .unwrap();
    propose_edit(&core, SCHOOL, "Litsey 2", vec![hash.clone()]).unwrap();
    world.server.fail_next("/evidence/", Fault::Offline);
    assert!(matches!(core.sync(None), Err(CoreError::Network { .. })));
    drop(core);

    let core = world.open("en");
    assert_eq!(core.correction_requests()[0].state, "submitted");
    world.clock.advance(1);
    core.sync(None).unwrap();
    assert_eq!(core.intents()[0].state, IntentState::Applied);
    assert!(world.server.with(|s| s.evidence.contains_key(&hash)));
    assert_eq!(stored_evidence(&core), 0);
}
