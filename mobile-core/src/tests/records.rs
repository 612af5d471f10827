//! The personnel file, correction requests, evidence, review and inbox, end to end against the
//! fake server.

use std::collections::HashMap;
use std::sync::Arc;

use xodim_domain::Locale;
use xodim_domain::records::intents::NAMESPACE as CORRECTION;
use xodim_domain::records::{CORRECTION_SUBMIT, RecordData, RequestState, Section};

use super::fake_records::{CERTIFICATE, MOTHER, SCHOOL, UNIVERSITY, publishes};
use super::fake_server::{LOGIN, PASSWORD};
use super::{Recorder, World};
use crate::records::evidence::content_hash;
use crate::{Clock, CoreError, IntentState, QueuedIntent, SyncListener, XodimCore};

pub(super) const INTENTS: &str = "POST /api/v1/sync/intents";
pub(super) const PDF: &[u8] = b"%PDF-1.4\n% diploma scan\n";

/// A world whose account has a personnel file and reviews a colleague's requests, and a core
/// in `locale` that signed in and synced.
pub(super) fn seeded(locale: &str) -> (World, Arc<XodimCore>) {
    let world = World::new();
    let now = world.clock.now();
    world.server.with(|s| s.seed_records(now));
    let core = world.open(locale);
    core.login(LOGIN.to_owned(), PASSWORD.to_owned()).unwrap();
    core.sync(None).unwrap();
    (world, core)
}

pub(super) fn fields_of(core: &XodimCore, id: uuid::Uuid) -> HashMap<String, String> {
    let id = id.to_string();
    core.records()
        .into_iter()
        .find(|r| r.id == id)
        .unwrap()
        .fields
}

/// Proposes to rename the institution of an education item, with `evidence`.
pub(super) fn propose_edit(
    core: &XodimCore,
    record: uuid::Uuid,
    institution: &str,
    evidence: Vec<String>,
) -> Result<QueuedIntent, CoreError> {
    let mut fields = fields_of(core, record);
    fields.insert("institution".to_owned(), institution.to_owned());
    core.propose_correction(
        "education".to_owned(),
        "edit".to_owned(),
        Some(record.to_string()),
        fields,
        "Diplomda nomi boshqacha".to_owned(),
        evidence,
    )
}

pub(super) fn stored_evidence(core: &XodimCore) -> usize {
    core.ctx
        .store
        .read(crate::store::evidence::entries)
        .unwrap()
        .len()
}

fn position(world: &World, prefix: &str) -> Option<usize> {
    world
        .server
        .with(|s| s.requests.iter().position(|r| r.starts_with(prefix)))
}

#[test]
fn the_file_shows_by_section_in_file_order_then_id_with_labels_in_the_users_language() {
    let world = World::new();
    let now = world.clock.now();
    world.server.with(|s| s.seed_records(now));
    let core = world.open("ru");
    core.login(LOGIN.to_owned(), PASSWORD.to_owned()).unwrap();
    let recorder = Arc::new(Recorder::default());
    core.sync(Some(recorder.clone() as Arc<dyn SyncListener>))
        .unwrap();

    let records = core.records();
    let order: Vec<(&str, String)> = records
        .iter()
        .map(|r| (r.section.as_str(), r.id.clone()))
        .collect();
    let expected = [
        ("education", SCHOOL.to_string()),
        ("education", UNIVERSITY.to_string()),
        ("certificate", CERTIFICATE.to_string()),
        ("relative", MOTHER.to_string()),
    ];
    assert_eq!(
        order, expected,
        "in the order of the file, not of the names"
    );
    assert_eq!(
        records[0].section_label,
        Section::Education.label(Locale::Ru)
    );
    assert_eq!(
        records[3].section_label,
        Section::Relative.label(Locale::Ru)
    );
    assert_eq!(records[2].fields["issued_at"], "2024-05-01");
    assert_eq!(records[1].fields["institution"], "TDIU");
    assert_eq!(records[1].fields["end_year"], "2012");
    assert_eq!((records[1].version, records[1].source.as_str()), (1, "hr"));
    assert!(records.iter().all(|r| r.pending_request.is_none()));
    let kinds = recorder.changed_kinds();
    assert!(
        kinds.contains(&"record".to_owned()) && kinds.contains(&"correction_request".to_owned())
    );
}

#[test]
fn a_correction_proposed_offline_shows_at_once_and_its_evidence_reaches_the_server_before_it() {
    let (world, core) = seeded("en");
    let hash = core
        .attach_evidence(PDF.to_vec(), "application/pdf".to_owned())
        .unwrap();
    assert_eq!(hash, content_hash(PDF));

    let queued = propose_edit(
        &core,
        UNIVERSITY,
        "Toshkent davlat iqtisodiyot universiteti",
        vec![hash.clone()],
    )
    .unwrap();
    assert_eq!(
        (queued.kind.as_str(), queued.state),
        ("correction.submit", IntentState::Queued)
    );
    let mine = core.correction_requests();
    assert_eq!(mine.len(), 1);
    let request = &mine[0];
    assert_eq!(
        (request.state.as_str(), request.pending, request.op.as_str()),
        ("submitted", true, "edit")
    );
    assert_eq!(queued.aggregate, format!("request:{}", request.id));
    assert_ne!(request.id, queued.id, "the request has its own id");
    assert_eq!(request.base.as_ref().unwrap()["institution"], "TDIU");
    assert_eq!(
        request.proposed.as_ref().unwrap()["institution"],
        "Toshkent davlat iqtisodiyot universiteti"
    );
    let university = UNIVERSITY.to_string();
    let record = core
        .records()
        .into_iter()
        .find(|r| r.id == university)
        .unwrap();
    assert_eq!(record.pending_request.as_deref(), Some(request.id.as_str()));

    let report = core.sync(None).unwrap();
    assert_eq!(report.applied, 1);
    let upload = position(&world, &format!("PUT /api/v1/evidence/{hash}")).unwrap();
    assert!(
        upload < position(&world, INTENTS).unwrap(),
        "the file goes first"
    );
    let sent = world.server.with(|s| s.answered_of(CORRECTION_SUBMIT));
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].aggregate, queued.aggregate);
    assert_eq!(
        (&sent[0].args["base_version"], &sent[0].args["evidence"]),
        (&serde_json::json!(1), &serde_json::json!([hash]))
    );
    let synced = &core.correction_requests()[0];
    assert_eq!(
        (synced.state.as_str(), synced.pending, synced.version),
        ("submitted", false, 1)
    );
    assert_eq!(
        stored_evidence(&core),
        0,
        "a file leaves the phone once its request is decided"
    );
}

#[test]
fn a_bad_field_is_refused_on_the_device_with_the_servers_code_in_the_users_language() {
    let (world, core) = seeded("ru");
    let asked = world.server.with(|s| s.requests.len());
    let mut fields = fields_of(&core, UNIVERSITY);
    fields.insert("end_year".to_owned(), "2005".to_owned());
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let server_code = RecordData::from_text(Section::Education, pairs)
        .unwrap_err()
        .code;

    let err = core
        .propose_correction(
            "education".to_owned(),
            "edit".to_owned(),
            Some(UNIVERSITY.to_string()),
            fields,
            "sabab".to_owned(),
            vec![],
        )
        .unwrap_err();
    assert_eq!(
        err,
        CoreError::Validation {
            code: server_code.as_str().to_owned(),
            reason: server_code.message(Locale::Ru).to_owned(),
            field_name: Some("end_year".to_owned()),
        }
    );
    assert_eq!(server_code.as_str(), "invalid_date");
    let unknown = core
        .propose_correction(
            "education".to_owned(),
            "edit".to_owned(),
            Some(uuid::Uuid::from_u128(0xBAD).to_string()),
            fields_of(&core, SCHOOL),
            "sabab".to_owned(),
            vec![],
        )
        .unwrap_err();
    assert!(matches!(unknown, CoreError::Validation { code, .. } if code == "not_found"));
    let unattached =
        propose_edit(&core, SCHOOL, "X", vec![content_hash(b"never attached")]).unwrap_err();
    assert!(matches!(unattached, CoreError::Validation { code, .. } if code == "evidence_missing"));
    let no_reason = core
        .propose_correction(
            "relative".to_owned(),
            "delete".to_owned(),
            Some(MOTHER.to_string()),
            HashMap::new(),
            " ".to_owned(),
            vec![],
        )
        .unwrap_err();
    assert!(matches!(no_reason, CoreError::Validation { code, .. } if code == "missing_field"));
    assert!(core.intents().is_empty());
    assert_eq!(
        world.server.with(|s| s.requests.len()),
        asked,
        "the server was not asked"
    );
}

#[test]
fn the_servant_sees_the_record_changed_and_the_decision_in_the_inbox_in_their_language() {
    let (world, core) = seeded("uz-Cyrl");
    propose_edit(&core, UNIVERSITY, "TDIU (Toshkent)", vec![]).unwrap();
    core.sync(None).unwrap();
    let id = core.correction_requests()[0].id.clone();
    let now = world.clock.now();
    world
        .server
        .with(|s| s.approved_elsewhere(id.parse().unwrap(), now));

    core.sync(None).unwrap();
    assert_eq!(
        fields_of(&core, UNIVERSITY)["institution"],
        "TDIU (Toshkent)"
    );
    let university = UNIVERSITY.to_string();
    let record = core
        .records()
        .into_iter()
        .find(|r| r.id == university)
        .unwrap();
    assert_eq!(
        (
            record.version,
            record.source.as_str(),
            record.pending_request
        ),
        (2, "self_request", None)
    );
    let request = &core.correction_requests()[0];
    assert_eq!(request.state, "applied");
    assert_eq!(
        request.state_label,
        RequestState::Applied.label(Locale::UzCyrl)
    );
    let inbox = core.inbox();
    assert_eq!(inbox.len(), 1);
    assert_eq!(inbox[0].request_id, id);
    assert_eq!(
        inbox[0].text,
        RequestState::Applied.notice(Section::Education, Locale::UzCyrl)
    );
}

#[test]
fn a_withdrawal_shows_at_once_and_a_second_one_is_refused_as_decided() {
    let (world, core) = seeded("en");
    propose_edit(&core, SCHOOL, "Litsey 2", vec![]).unwrap();
    core.sync(None).unwrap();
    let id = core.correction_requests()[0].id.clone();

    core.withdraw_request(id.clone()).unwrap();
    let shown = &core.correction_requests()[0];
    assert_eq!((shown.state.as_str(), shown.pending), ("withdrawn", true));
    assert!(core.records().iter().all(|r| r.pending_request.is_none()));
    let err = core.withdraw_request(id.clone()).unwrap_err();
    assert!(matches!(err, CoreError::Validation { code, .. } if code == "request_decided"));

    world.server.with(|s| {
        s.answer_next(CORRECTION, publishes(RequestState::Withdrawn));
    });
    let report = core.sync(None).unwrap();
    assert_eq!(
        (report.sent, report.applied),
        (1, 1),
        "the withdrawal alone"
    );
    let synced = &core.correction_requests()[0];
    assert_eq!(
        (synced.state.as_str(), synced.pending),
        ("withdrawn", false)
    );
}
