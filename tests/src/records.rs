//! Personnel-record fixtures and intent helpers for the records and correction specifications.

use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;
use xodim_domain::records::{RecordData, RecordItem, RecordSource, RequestAddress, Section};
use xodim_domain::sync::IntentOutcome;
use xodim_server::records::items::{self, Author};
use xodim_server::sync::log;

use crate::TestApp;

/// An education item's fields.
pub fn education(institution: &str) -> Value {
    json!({
        "institution": institution, "level": "bachelor", "specialty": "Iqtisodiyot",
        "diploma_series": "B", "diploma_no": "1234567", "start_year": 2008, "end_year": 2012
    })
}

/// A relative's fields.
pub fn relative(name: &str) -> Value {
    json!({ "relation": "mother", "full_name": name, "birth_year": 1961, "residence": "Toshkent shahri" })
}

impl TestApp {
    /// An item written straight to the file of `employee`, as HR would.
    pub async fn record(&self, employee: Uuid, section: Section, fields: Value) -> RecordItem {
        let data = RecordData::parse(section, &fields).unwrap();
        let txn = sea_orm::TransactionTrait::begin(&self.state.db)
            .await
            .unwrap();
        let (item, entries) = items::create(
            &txn,
            employee,
            Uuid::now_v7(),
            &data,
            RecordSource::Hr,
            &Author::default(),
        )
        .await
        .unwrap();
        let heads = log::record(&txn, entries, chrono::Utc::now())
            .await
            .unwrap();
        txn.commit().await.unwrap();
        self.state
            .notifier
            .moved(&self.state.kv, &heads)
            .await
            .unwrap();
        item
    }

    /// A servant's request to change an education item, with a new request id.
    pub async fn propose_edit(
        &self,
        token: &str,
        item: &RecordItem,
        institution: &str,
    ) -> (Uuid, IntentOutcome) {
        let request = Uuid::now_v7();
        let outcome = self
            .intent(
                token,
                "correction.submit",
                RequestAddress(request),
                json!({
                    "section": "education", "op": "edit", "record_id": item.id,
                    "base_version": item.version, "proposed": education(institution),
                    "reason": "The diploma says otherwise", "evidence": []
                }),
            )
            .await;
        (request, outcome)
    }

    /// The request as an HR officer sees it online.
    pub async fn request_view(&self, token: &str, request: Uuid) -> Value {
        self.get_json(&format!("/api/v1/hr/requests/{request}"), token)
            .await
    }

    /// The live items of an employee as HR reads them.
    pub async fn records_of(&self, token: &str, employee: Uuid) -> Vec<Value> {
        let items = self
            .get_json(&format!("/api/v1/hr/employees/{employee}/records"), token)
            .await;
        serde_json::from_value(items).unwrap()
    }
}

/// The lowercase hex SHA-256 of a file, as evidence is named.
pub fn sha256(content: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(content)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl TestApp {
    /// Uploads an evidence file; returns its hash and the HTTP status.
    pub async fn upload_evidence(&self, token: &str, content: &[u8], kind: &str) -> (String, u16) {
        let hash = sha256(content);
        let response = self
            .authed(Method::PUT, &format!("/api/v1/evidence/{hash}"), token)
            .header("Content-Type", kind)
            .body(content.to_vec())
            .send()
            .await
            .unwrap();
        (hash, response.status().as_u16())
    }

    /// How many audit events of an action exist.
    pub async fn audit_actions(&self, action: &str) -> i64 {
        use sea_orm::{ConnectionTrait, Statement};
        let backend = self.state.db.get_database_backend();
        let sql = match backend {
            sea_orm::DatabaseBackend::Postgres => {
                "SELECT COUNT(*) AS n FROM audit_events WHERE action = $1"
            }
            _ => "SELECT COUNT(*) AS n FROM audit_events WHERE action = ?",
        };
        let row = self
            .state
            .db
            .query_one_raw(Statement::from_sql_and_values(
                backend,
                sql,
                [action.into()],
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get("", "n").unwrap()
    }
}
