//! Intents sent straight to a test server, as a phone would send them, with their outcomes
//! read into the protocol's own types so that specifications compare decisions, not strings.

use std::fmt::Display;

use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;
use xodim_domain::AccountId;
use xodim_domain::contact::ContactAddress;
use xodim_domain::sync::{Expectation, Intent, IntentBatch, IntentOutcome, IntentResults};

use crate::TestApp;

/// An intent of `kind` on `aggregate`, decided by its sender against version `seen`.
pub fn intent(kind: &str, aggregate: impl Display, seen: i64, args: Value) -> Intent {
    Intent {
        id: Uuid::now_v7(),
        kind: kind.to_owned(),
        aggregate: aggregate.to_string(),
        expectation: Some(Expectation { version: seen }),
        args,
        client_time: Some(chrono::Utc::now()),
    }
}

/// A servant's change of their phone number (and a fixed e-mail), made against version `seen`
/// of their contact details.
pub fn contact_update(account: Uuid, seen: i64, phone: &str) -> Intent {
    intent(
        "contact.update",
        ContactAddress(AccountId::from_uuid(account)),
        seen,
        json!({ "phone": phone, "email": "ali@adliya.uz", "address": null }),
    )
}

impl TestApp {
    /// Sends one batch and returns the outcomes in order, messages in English.
    pub async fn send_intents(&self, token: &str, intents: &[Intent]) -> Vec<IntentOutcome> {
        let batch = IntentBatch {
            intents: intents.to_vec(),
        };
        let response = self
            .authed(Method::POST, "/api/v1/sync/intents", token)
            .header("Accept-Language", "en")
            .json(&batch)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let answer: IntentResults = response.json().await.unwrap();
        assert_eq!(
            answer.results.len(),
            intents.len(),
            "one outcome per intent"
        );
        answer.results
    }

    /// Sends one intent, seen at version 0, and returns its outcome.
    pub async fn intent(
        &self,
        token: &str,
        kind: &str,
        aggregate: impl Display,
        args: Value,
    ) -> IntentOutcome {
        self.intent_as(token, Uuid::now_v7(), kind, aggregate, args)
            .await
    }

    /// Sends one intent with a chosen id and returns its outcome.
    pub async fn intent_as(
        &self,
        token: &str,
        id: Uuid,
        kind: &str,
        aggregate: impl Display,
        args: Value,
    ) -> IntentOutcome {
        let sent = Intent {
            id,
            ..intent(kind, aggregate, 0, args)
        };
        self.send_intents(token, &[sent]).await.remove(0)
    }
}
