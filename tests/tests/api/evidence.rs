//! Evidence files: stored once by content, refused when they are not what they claim, shown
//! only to the servant and the HR officers who review a request they are attached to.

use reqwest::Method;
use serde_json::json;
use uuid::Uuid;
use xodim_domain::ErrorCode;
use xodim_domain::records::{RequestAddress, Section};
use xodim_domain::sync::IntentStatus;
use xodim_tests::cast::office;
use xodim_tests::fixtures::PASSWORD;
use xodim_tests::records::{education, sha256};

#[tokio::test]
async fn evidence_is_stored_once_by_content_and_shown_only_to_the_servant_and_hr_in_scope() {
    let o = office().await;
    let pdf = b"%PDF-1.7\n1 0 obj\n".to_vec();
    let (hash, first) = o
        .app
        .upload_evidence(&o.servant_token, &pdf, "application/pdf")
        .await;
    let (_, retried) = o
        .app
        .upload_evidence(&o.servant_token, &pdf, "application/pdf")
        .await;
    assert_eq!((first, retried), (201, 200), "a retried upload is harmless");

    let item = o
        .app
        .record(o.servant.employee, Section::Education, education("TDIU"))
        .await;
    let request = Uuid::now_v7();
    let missing = sha256(b"never uploaded");
    let args = |evidence: Vec<String>| {
        json!({
            "section": "education", "op": "edit", "record_id": item.id, "base_version": 1,
            "proposed": education("TDIU (kechki)"), "reason": "Diploma", "evidence": evidence
        })
    };
    let refused = o
        .app
        .intent(
            &o.servant_token,
            "correction.submit",
            RequestAddress(request),
            args(vec![missing]),
        )
        .await;
    assert_eq!(
        (refused.status, refused.code),
        (IntentStatus::Rejected, Some(ErrorCode::EvidenceMissing))
    );
    let submitted = o
        .app
        .intent(
            &o.servant_token,
            "correction.submit",
            RequestAddress(Uuid::now_v7()),
            args(vec![hash.clone()]),
        )
        .await;
    assert_eq!(
        (submitted.status, submitted.code),
        (IntentStatus::Applied, None)
    );

    let get = |token: String| {
        let request = o
            .app
            .authed(Method::GET, &format!("/api/v1/evidence/{hash}"), &token);
        async move { request.send().await.unwrap() }
    };
    let by_hr = get(o.hr_token.clone()).await;
    assert_eq!(by_hr.status(), 200);
    assert_eq!(by_hr.bytes().await.unwrap().to_vec(), pdf);
    let tree = &o.tree;
    o.app.person(tree.unit_a, "c.colleague", &[]).await;
    let colleague = o.app.token("c.colleague", PASSWORD).await;
    assert_eq!(get(colleague).await.status(), 404);
}

#[tokio::test]
async fn a_file_that_is_not_a_photo_or_pdf_or_does_not_match_its_hash_is_refused() {
    let o = office().await;
    let (_, text_as_photo) = o
        .app
        .upload_evidence(&o.servant_token, b"just text", "image/jpeg")
        .await;
    assert_eq!(text_as_photo, 415);
    let response = o
        .app
        .authed(
            Method::PUT,
            &format!("/api/v1/evidence/{}", sha256(b"other")),
            &o.servant_token,
        )
        .header("Content-Type", "application/pdf")
        .header("Accept-Language", "ru")
        .body(b"%PDF-1.4 real".to_vec())
        .send()
        .await
        .unwrap();
    let code = xodim_tests::error_code(response, 400).await;
    assert_eq!(code, "evidence_hash_mismatch");
}

#[tokio::test]
async fn the_same_file_uploaded_by_two_servants_can_be_attached_by_both() {
    let o = office().await;
    let tree = &o.tree;
    let other = o.app.person(tree.unit_a, "c.other", &[]).await;
    let other_token = o.app.token("c.other", PASSWORD).await;
    let form = b"%PDF-1.4\n% the same blank form\n".to_vec();
    let (hash, first) = o
        .app
        .upload_evidence(&o.servant_token, &form, "application/pdf")
        .await;
    let (_, second) = o
        .app
        .upload_evidence(&other_token, &form, "application/pdf")
        .await;
    assert_eq!((first, second), (201, 200));
    let item = o
        .app
        .record(other.employee, Section::Education, education("TDIU"))
        .await;
    let submitted = o
        .app
        .intent(&other_token, "correction.submit", RequestAddress(Uuid::now_v7()), json!({
            "section": "education", "op": "edit", "record_id": item.id, "base_version": 1,
            "proposed": education("TDIU (kechki)"), "reason": "Form attached", "evidence": [hash]
        }))
        .await;
    assert_eq!(
        (submitted.status, submitted.code),
        (IntentStatus::Applied, None)
    );
}
