//! An item that HR changed under an open correction request: the approval says it ended in
//! conflict, a rebase carries only the servant's changes onto HR's version, fields both changed
//! are named for the reviewer, and the HR officer's phone sees the item as it is now.

use serde_json::{Value, json};
use uuid::Uuid;
use xodim_core::IntentState;
use xodim_domain::ErrorCode;
use xodim_domain::sync::IntentStatus;
use xodim_tests::cast::{Office, office};
use xodim_tests::phones::{on, sync};

fn fields_of(view: &Value, side: &str) -> (Option<String>, Option<String>) {
    let text = |name: &str| view[side]["fields"][name].as_str().map(str::to_owned);
    (text("institution"), text("specialty"))
}

#[tokio::test]
async fn a_rebase_keeps_hrs_edit_of_another_field_and_the_approval_applies_both() {
    let o = office().await;
    let (item, request) = o.propose("TDIU (kechki)").await;
    o.hr_edits(&item, "specialty", "Moliya").await;

    let approved = o
        .step(
            &o.hr_token,
            "correction.approve",
            request,
            json!({"note": "Diploma checked"}),
        )
        .await;
    assert_eq!(
        (approved.status, approved.code),
        (IntentStatus::Conflict, Some(ErrorCode::VersionConflict))
    );
    assert_eq!(approved.current.unwrap()["state"], "conflict");

    let rebased = o
        .step(&o.hr_token, "correction.rebase", request, json!({}))
        .await;
    assert_eq!(
        (rebased.status, rebased.code),
        (IntentStatus::Applied, None)
    );
    let view = o.app.request_view(&o.hr_token, request).await;
    assert_eq!(view["state"], "in_review");
    assert_eq!(view["base_version"], 2);
    assert_eq!(
        fields_of(&view, "proposed"),
        (Some("TDIU (kechki)".into()), Some("Moliya".into())),
        "the servant's field on HR's version"
    );
    assert_eq!(view.get("conflicts"), None, "no field was changed by both");
    assert!(view["current"].is_null());

    let approved = o
        .step(&o.hr_token, "correction.approve", request, json!({}))
        .await;
    assert_eq!(
        (approved.status, approved.code),
        (IntentStatus::Applied, None)
    );
    let records = o.app.records_of(&o.hr_token, o.servant.employee).await;
    assert_eq!(records[0]["version"], 3);
    assert_eq!(
        (
            records[0]["fields"]["institution"].as_str(),
            records[0]["fields"]["specialty"].as_str()
        ),
        (Some("TDIU (kechki)"), Some("Moliya"))
    );
}

#[tokio::test]
async fn a_field_both_changed_is_named_a_conflict_at_the_desk_before_and_after_the_rebase() {
    let o = office().await;
    let (item, request) = o.propose("TDIU (kechki)").await;
    o.hr_edits(
        &item,
        "institution",
        "Toshkent davlat iqtisodiyot universiteti",
    )
    .await;

    let open = o.app.request_view(&o.hr_token, request).await;
    assert_eq!(open["conflicts"], json!(["institution"]));
    o.step(&o.hr_token, "correction.approve", request, json!({}))
        .await;
    o.step(&o.hr_token, "correction.rebase", request, json!({}))
        .await;

    let view = o.app.request_view(&o.hr_token, request).await;
    assert_eq!(view["state"], "in_review");
    assert_eq!(view["conflicts"], json!(["institution"]));
    assert_eq!(
        fields_of(&view, "base").0.as_deref(),
        Some("Toshkent davlat iqtisodiyot universiteti")
    );
    assert_eq!(
        fields_of(&view, "proposed").0.as_deref(),
        Some("TDIU (kechki)")
    );
}

#[tokio::test]
async fn an_approval_that_ends_in_conflict_keeps_no_approval_note_and_tells_the_servant_nothing() {
    let o = office().await;
    let (item, request) = o.propose("TDIU (kechki)").await;
    o.step(&o.hr_token, "correction.claim", request, json!({}))
        .await;
    o.hr_edits(&item, "specialty", "Moliya").await;

    let approved = o
        .step(
            &o.hr_token,
            "correction.approve",
            request,
            json!({"note": "Approved, all fine"}),
        )
        .await;
    assert_eq!(
        (approved.status, approved.code),
        (IntentStatus::Conflict, Some(ErrorCode::VersionConflict))
    );
    assert!(approved.message.is_some_and(|m| !m.is_empty()));
    let view = o.app.request_view(&o.hr_token, request).await;
    assert_eq!(
        (
            view["state"].as_str(),
            view["note"].as_str(),
            view["decided_at"].as_str()
        ),
        (Some("conflict"), None, None)
    );

    let page = o.app.pull(&o.servant_token, "").await;
    let changes = page["changes"].as_array().unwrap();
    assert!(
        !changes.iter().any(|c| c["kind"] == "inbox"),
        "no decision to announce: {changes:?}"
    );
    let mine = changes
        .iter()
        .find(|c| c["kind"] == "correction_request" && c["id"] == json!(request))
        .unwrap();
    assert_eq!(
        (
            mine["data"]["state"].as_str(),
            mine["data"]["note"].as_str()
        ),
        (Some("conflict"), None)
    );
}

/// The request as the HR officer's phone holds it, from a first pull.
async fn hr_copy(o: &Office, request: Uuid) -> Value {
    let page = o.app.pull(&o.hr_token, "").await;
    page["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| {
            c["kind"] == "correction_request"
                && c["id"] == json!(request)
                && c["scope"].as_str().is_some_and(|s| s.starts_with("hr:"))
        })
        .map(|c| c["data"].clone())
        .unwrap()
}

#[tokio::test]
async fn an_hr_edit_of_an_item_republishes_its_open_requests_with_the_current_item() {
    let o = office().await;
    let (item, request) = o.propose("TDIU (kechki)").await;
    assert!(hr_copy(&o, request).await["current"].is_null());

    o.hr_edits(&item, "specialty", "Moliya").await;
    let copy = hr_copy(&o, request).await;
    assert_eq!(copy["current"]["fields"]["specialty"], "Moliya");
    assert_eq!(copy, o.app.request_view(&o.hr_token, request).await);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_hr_phone_sees_the_item_change_the_conflict_and_the_rebased_proposal() {
    let o = office().await;
    let (item, _) = o.propose("TDIU (kechki)").await;
    let phone_h = o.hr_phone().await;
    sync(&phone_h.core).await.unwrap();
    let queue = on(&phone_h.core, |c| c.review_queue()).await;
    assert_eq!((queue.len(), queue[0].current.is_none()), (1, true));

    o.hr_edits(&item, "specialty", "Moliya").await;
    sync(&phone_h.core).await.unwrap();
    let queue = on(&phone_h.core, |c| c.review_queue()).await;
    let current = queue[0].current.clone().expect("the item as it is now");
    assert_eq!(current.get("specialty").map(String::as_str), Some("Moliya"));

    let id = queue[0].id.clone();
    let approve = on(&phone_h.core, move |c| {
        c.approve_request(id, Some("Looks right".into()))
    })
    .await
    .unwrap();
    let shown = on(&phone_h.core, |c| c.review_queue()).await;
    assert_eq!(
        (shown[0].state.as_str(), shown[0].note.as_deref()),
        ("conflict", None),
        "offline the phone already knows the approval cannot apply"
    );
    sync(&phone_h.core).await.unwrap();
    let intents = on(&phone_h.core, |c| c.intents()).await;
    let sent = intents.iter().find(|i| i.id == approve.id).unwrap();
    assert_eq!(
        (sent.state, sent.code.as_deref()),
        (IntentState::Conflict, Some("version_conflict"))
    );
    let queue = on(&phone_h.core, |c| c.review_queue()).await;
    assert_eq!(
        (
            queue[0].state.as_str(),
            queue[0].note.as_deref(),
            queue[0].pending
        ),
        ("conflict", None, false)
    );

    let id = queue[0].id.clone();
    on(&phone_h.core, move |c| c.rebase_request(id))
        .await
        .unwrap();
    let pending = on(&phone_h.core, |c| c.review_queue()).await;
    let synced = {
        sync(&phone_h.core).await.unwrap();
        on(&phone_h.core, |c| c.review_queue()).await
    };
    for shown in [&pending[0], &synced[0]] {
        let proposed = shown.proposed.clone().unwrap();
        assert_eq!(
            (
                shown.state.as_str(),
                proposed.get("institution").map(String::as_str),
                proposed.get("specialty").map(String::as_str),
                shown.current.is_none(),
            ),
            ("in_review", Some("TDIU (kechki)"), Some("Moliya"), true),
            "pending {}: the phone rebases as the server does",
            shown.pending
        );
    }
}
