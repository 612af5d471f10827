//! What every target of a unit shares: an open correction request of someone in the unit, with
//! an evidence file attached, made once per unit because reading it changes nothing.

use serde_json::json;
use uuid::Uuid;
use xodim_domain::records::{RequestAddress, Section};
use xodim_domain::sync::IntentStatus;
use xodim_tests::TestApp;
use xodim_tests::fixtures::PASSWORD;
use xodim_tests::records::education;

/// The unit's request, its evidence and whose file it is about.
pub struct Shared {
    pub request: Uuid,
    pub evidence: String,
    pub subject: Uuid,
}

impl Shared {
    /// For targets whose requests are never read.
    pub fn none() -> Self {
        Self {
            request: Uuid::nil(),
            evidence: String::new(),
            subject: Uuid::nil(),
        }
    }
}

/// Files a request with evidence as a servant of `unit`.
pub async fn shared(app: &TestApp, unit: Uuid, tag: &str) -> Shared {
    let login = format!("subject.{tag}");
    let subject = app.person(unit, &login, &[]).await;
    let token = app.token(&login, PASSWORD).await;
    let pdf = format!("%PDF-1.7\n% evidence of {tag}\n").into_bytes();
    let (evidence, status) = app.upload_evidence(&token, &pdf, "application/pdf").await;
    assert_eq!(status, 201);
    let item = app
        .record(subject.employee, Section::Education, education("TDIU"))
        .await;
    let request = Uuid::now_v7();
    let outcome = app
        .intent(
            &token,
            "correction.submit",
            RequestAddress(request),
            json!({
                "section": "education", "op": "edit", "record_id": item.id,
                "base_version": item.version, "proposed": education("TDIU (kechki)"),
                "reason": "The diploma says otherwise", "evidence": [evidence]
            }),
        )
        .await;
    assert_eq!(outcome.status, IntentStatus::Applied, "{outcome:?}");
    Shared {
        request,
        evidence,
        subject: subject.employee,
    }
}
