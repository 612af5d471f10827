//! Correction requests end to end over the intent API: a servant proposes, HR decides, the
//! record changes at most once and a decision never changes.

use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;
use xodim_domain::Role;
use xodim_domain::records::{RecordItem, Section};
use xodim_tests::TestApp;
use xodim_tests::fixtures::{PASSWORD, Person, Tree};
use xodim_tests::records::education;

pub struct Office {
    pub app: TestApp,
    pub tree: Tree,
    pub servant: Person,
    pub hr: Person,
    pub servant_token: String,
    pub hr_token: String,
}

pub async fn office() -> Office {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let servant = app.person(tree.unit_a, "c.servant", &[]).await;
    let hr = app
        .person(tree.root, "c.hr", &[(Role::HrOfficer, tree.root)])
        .await;
    let servant_token = app.token("c.servant", PASSWORD).await;
    let hr_token = app.token("c.hr", PASSWORD).await;
    Office {
        app,
        tree,
        servant,
        hr,
        servant_token,
        hr_token,
    }
}

impl Office {
    /// An education item of the servant and their request to change its institution.
    pub async fn propose(&self, institution: &str) -> (RecordItem, Uuid) {
        let item = self
            .app
            .record(self.servant.employee, Section::Education, education("TDIU"))
            .await;
        let (request, outcome) = self
            .app
            .propose_edit(&self.servant_token, &item, institution)
            .await;
        assert_eq!(status(&outcome), ("applied", None));
        (item, request)
    }

    /// One step on a request by the holder of `token`.
    pub async fn step(&self, token: &str, kind: &str, request: Uuid, args: Value) -> Value {
        self.app
            .intent(token, kind, &aggregate(request), args)
            .await
    }
}

pub fn aggregate(request: Uuid) -> String {
    format!("request:{request}")
}

pub fn status(outcome: &Value) -> (&str, Option<&str>) {
    (
        outcome["status"].as_str().unwrap(),
        outcome["code"].as_str(),
    )
}

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
    assert_eq!(status(&decided), ("applied", None));

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
    let changed = o
        .app
        .authed(Method::PUT, &format!("/api/v1/hr/records/{}", item.id), &o.hr_token)
        .json(&json!({ "version": 1, "fields": education("Toshkent davlat iqtisodiyot universiteti") }))
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200);

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
    assert_eq!(status(&approved), ("applied", None));
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
    o.app
        .person(tree_root, "c.hr2", &[(Role::HrOfficer, tree_root)])
        .await;
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
        let outcomes = [status(&a), status(&b)];
        let winners = outcomes.iter().filter(|s| s.0 == "applied").count();
        assert_eq!(winners, 1, "round {round}: {outcomes:?}");
        let loser = outcomes.iter().find(|s| s.0 == "rejected").unwrap();
        assert!(
            matches!(loser.1, Some("request_decided")),
            "round {round}: {outcomes:?}"
        );
        let view = o.app.request_view(&o.hr_token, request).await;
        let expected = if a["status"] == "applied" {
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
    let target = aggregate(request);
    let send = || {
        o.app.intent_as(
            &o.hr_token,
            approve,
            "correction.approve",
            &target,
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
    assert_eq!(status(&late), ("rejected", Some("request_decided")));
    assert_eq!(late["message"], "This request has already been decided.");
    let withdrawn = o
        .step(&o.servant_token, "correction.withdraw", request, json!({}))
        .await;
    assert_eq!(status(&withdrawn), ("rejected", Some("request_decided")));
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
    assert_eq!(status(&outcome), ("applied", None));
    let own = o
        .step(&o.hr_token, "correction.approve", request, json!({}))
        .await;
    assert_eq!(status(&own), ("rejected", Some("own_request")));
}

#[tokio::test]
async fn a_servant_cannot_decide_and_hr_outside_the_subtree_cannot_review() {
    let o = office().await;
    let tree = &o.tree;
    o.app
        .person(tree.unit_b, "c.far-hr", &[(Role::HrOfficer, tree.unit_b)])
        .await;
    let far = o.app.token("c.far-hr", PASSWORD).await;
    let (_, request) = o.propose("TDIU (kechki)").await;
    let by_servant = o
        .step(&o.servant_token, "correction.approve", request, json!({}))
        .await;
    assert_eq!(status(&by_servant), ("rejected", Some("forbidden")));
    let by_far = o.step(&far, "correction.claim", request, json!({})).await;
    assert_eq!(status(&by_far), ("rejected", Some("not_found")));
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
    assert_eq!(status(&asked), ("applied", None));
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
    assert_eq!(status(&answered), ("applied", None));
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
    o.app
        .person(tree.unit_b, "c.hr-b", &[(Role::HrOfficer, tree.unit_b)])
        .await;
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
    assert_eq!(status(&decided), ("applied", None));
}
