//! Correction requests end to end over the intent API: a servant proposes, HR decides, the
//! record changes at most once and a decision never changes.

use serde_json::{Value, json};
use uuid::Uuid;
use xodim_domain::ErrorCode;
use xodim_domain::records::{RequestAddress, Section};
use xodim_domain::sync::IntentStatus;
use xodim_tests::cast::office;
use xodim_tests::fixtures::PASSWORD;
use xodim_tests::records::education;

#[tokio::test]
async fn a_servant_proposes_an_edit_and_hr_approves_it_into_the_record() {
    let o = office().await;
    let (_, request) = o.propose("TDIU (kechki)").await;

    let inbox = o.app.request_view(&o.hr_token, request).await;
    assert_eq!(inbox["state"], "submitted");
    assert_eq!(inbox["base"]["fields"]["institution"], "TDIU");
    assert_eq!(inbox["proposed"]["fields"]["institution"], "TDIU (kechki)");

    let decided = o
        .step(
            &o.hr_token,
            "correction.approve",
            request,
            json!({"note": "Diploma checked"}),
        )
        .await;
    assert_eq!(
        (decided.status, decided.code),
        (IntentStatus::Applied, None)
    );

    let records = o.app.records_of(&o.hr_token, o.servant.employee).await;
    assert_eq!(records[0]["fields"]["institution"], "TDIU (kechki)");
    assert_eq!(records[0]["version"], 2);
    assert_eq!(records[0]["source"], "self_request");
    assert_eq!(records[0]["verified_by"], json!(o.hr.account));
    let view = o.app.request_view(&o.hr_token, request).await;
    assert_eq!(
        (view["state"].as_str(), view["note"].as_str()),
        (Some("applied"), Some("Diploma checked"))
    );
}

#[tokio::test]
async fn approving_after_the_item_changed_goes_to_conflict_with_base_current_and_proposed() {
    let o = office().await;
    let (item, request) = o.propose("TDIU (kechki)").await;
    o.hr_edits(
        &item,
        "institution",
        "Toshkent davlat iqtisodiyot universiteti",
    )
    .await;

    o.step(&o.hr_token, "correction.approve", request, json!({}))
        .await;
    let view = o.app.request_view(&o.hr_token, request).await;
    assert_eq!(view["state"], "conflict");
    assert_eq!(view["base"]["fields"]["institution"], "TDIU");
    assert_eq!(
        view["current"]["fields"]["institution"],
        "Toshkent davlat iqtisodiyot universiteti"
    );
    assert_eq!(view["proposed"]["fields"]["institution"], "TDIU (kechki)");
    let records = o.app.records_of(&o.hr_token, o.servant.employee).await;
    assert_eq!(
        records[0]["version"], 2,
        "a conflict leaves the record alone"
    );

    o.step(&o.hr_token, "correction.rebase", request, json!({}))
        .await;
    let approved = o
        .step(&o.hr_token, "correction.approve", request, json!({}))
        .await;
    assert_eq!(
        (approved.status, approved.code),
        (IntentStatus::Applied, None)
    );
    let records = o.app.records_of(&o.hr_token, o.servant.employee).await;
    assert_eq!(
        (
            records[0]["version"].as_i64(),
            records[0]["fields"]["institution"].as_str()
        ),
        (Some(3), Some("TDIU (kechki)"))
    );
}

#[tokio::test]
async fn two_officers_deciding_at_once_the_first_wins_and_the_other_is_told_why() {
    let o = office().await;
    let tree_root = o.hr.unit;
    o.app.hr_officer(tree_root, "c.hr2").await;
    let second = o.app.token("c.hr2", PASSWORD).await;
    for round in 0..4 {
        let (item, request) = o.propose(&format!("TDIU {round}")).await;
        let (a, b) = tokio::join!(
            o.step(&o.hr_token, "correction.approve", request, json!({})),
            o.step(
                &second,
                "correction.reject",
                request,
                json!({"note": "No diploma attached"})
            ),
        );
        let outcomes = [(a.status, a.code), (b.status, b.code)];
        let winners = outcomes
            .iter()
            .filter(|s| s.0 == IntentStatus::Applied)
            .count();
        assert_eq!(winners, 1, "round {round}: {outcomes:?}");
        let loser = outcomes
            .iter()
            .find(|s| s.0 == IntentStatus::Rejected)
            .unwrap();
        assert_eq!(
            loser.1,
            Some(ErrorCode::RequestDecided),
            "round {round}: {outcomes:?}"
        );
        let view = o.app.request_view(&o.hr_token, request).await;
        let expected = if a.status == IntentStatus::Applied {
            "applied"
        } else {
            "rejected"
        };
        assert_eq!(view["state"], expected, "round {round}");
        let records = o.app.records_of(&o.hr_token, o.servant.employee).await;
        let now = records.iter().find(|r| r["id"] == json!(item.id)).unwrap();
        assert_eq!(
            now["version"],
            if expected == "applied" { 2 } else { 1 },
            "round {round}"
        );
    }
}

#[tokio::test]
async fn a_decided_request_never_changes_decision_and_a_retry_gets_the_same_answer() {
    let o = office().await;
    let (_, request) = o.propose("TDIU (kechki)").await;
    let approve = Uuid::now_v7();
    let send = || {
        o.app.intent_as(
            &o.hr_token,
            approve,
            "correction.approve",
            RequestAddress(request),
            json!({}),
        )
    };
    let (first, again) = (send().await, send().await);
    assert_eq!(
        first, again,
        "a resent intent is answered from its stored outcome"
    );
    let late = o
        .step(
            &o.hr_token,
            "correction.reject",
            request,
            json!({"note": "Too late"}),
        )
        .await;
    assert_eq!(
        (late.status, late.code),
        (IntentStatus::Rejected, Some(ErrorCode::RequestDecided))
    );
    assert_eq!(
        late.message.as_deref(),
        Some("This request has already been decided.")
    );
    let withdrawn = o
        .step(&o.servant_token, "correction.withdraw", request, json!({}))
        .await;
    assert_eq!(
        (withdrawn.status, withdrawn.code),
        (IntentStatus::Rejected, Some(ErrorCode::RequestDecided))
    );
    let records = o.app.records_of(&o.hr_token, o.servant.employee).await;
    assert_eq!(records[0]["version"], 2, "applied once");
}

#[tokio::test]
async fn nobody_reviews_their_own_request() {
    let o = office().await;
    let item = o
        .app
        .record(o.hr.employee, Section::Education, education("TDIU"))
        .await;
    let (request, outcome) = o
        .app
        .propose_edit(&o.hr_token, &item, "TDIU (kechki)")
        .await;
    assert_eq!(
        (outcome.status, outcome.code),
        (IntentStatus::Applied, None)
    );
    let own = o
        .step(&o.hr_token, "correction.approve", request, json!({}))
        .await;
    assert_eq!(
        (own.status, own.code),
        (IntentStatus::Rejected, Some(ErrorCode::OwnRequest))
    );
}

#[tokio::test]
async fn a_servant_cannot_decide_and_hr_outside_the_subtree_cannot_review() {
    let o = office().await;
    let tree = &o.tree;
    o.app.hr_officer(tree.unit_b, "c.far-hr").await;
    let far = o.app.token("c.far-hr", PASSWORD).await;
    let (_, request) = o.propose("TDIU (kechki)").await;
    let by_servant = o
        .step(&o.servant_token, "correction.approve", request, json!({}))
        .await;
    assert_eq!(
        (by_servant.status, by_servant.code),
        (IntentStatus::Rejected, Some(ErrorCode::Forbidden))
    );
    let by_far = o.step(&far, "correction.claim", request, json!({})).await;
    assert_eq!(
        (by_far.status, by_far.code),
        (IntentStatus::Rejected, Some(ErrorCode::NotFound))
    );
}

#[tokio::test]
async fn hr_asks_for_information_and_the_servant_answers_with_a_file() {
    let o = office().await;
    let (_, request) = o.propose("TDIU (kechki)").await;
    o.step(&o.hr_token, "correction.claim", request, json!({}))
        .await;
    let asked = o
        .step(
            &o.hr_token,
            "correction.ask",
            request,
            json!({"note": "Attach the diploma"}),
        )
        .await;
    assert_eq!((asked.status, asked.code), (IntentStatus::Applied, None));
    let pdf = b"%PDF-1.4\n% diploma scan\n".to_vec();
    let (hash, _) = o
        .app
        .upload_evidence(&o.servant_token, &pdf, "application/pdf")
        .await;
    let answered = o
        .step(
            &o.servant_token,
            "correction.answer",
            request,
            json!({"note": "Attached", "evidence": [hash]}),
        )
        .await;
    assert_eq!(
        (answered.status, answered.code),
        (IntentStatus::Applied, None)
    );
    let view = o.app.request_view(&o.hr_token, request).await;
    assert_eq!(
        (view["state"].as_str(), view["answer"].as_str()),
        (Some("submitted"), Some("Attached"))
    );
    assert_eq!(view["evidence"], json!([hash]));
}

#[tokio::test]
async fn an_open_request_follows_a_transferred_servant_to_the_hr_officers_of_the_new_unit() {
    let o = office().await;
    let tree = &o.tree;
    o.app.hr_officer(tree.unit_b, "c.hr-b").await;
    let hr_b = o.app.token("c.hr-b", PASSWORD).await;
    let (_, request) = o.propose("TDIU (kechki)").await;
    let holds = |page: &Value| {
        page["changes"].as_array().unwrap().iter().any(|c| {
            c["kind"] == "correction_request" && c["id"] == json!(request) && !c["data"].is_null()
        })
    };
    let before = o.app.pull(&hr_b, "").await;
    assert!(!holds(&before), "not B's request yet");

    o.app
        .transfer(&o.hr_token, o.servant.employee, tree.unit_b)
        .await;
    let after = o.app.pull(&hr_b, "").await;
    assert!(holds(&after), "B's HR officers now review it");
    let decided = o
        .step(&hr_b, "correction.approve", request, json!({}))
        .await;
    assert_eq!(
        (decided.status, decided.code),
        (IntentStatus::Applied, None)
    );
}
