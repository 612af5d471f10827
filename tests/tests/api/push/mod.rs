//! Push notifications on the server: the outbox written with each change, device tokens,
//! preferences, and the delivery worker.

mod delivery;
mod end_to_end;
mod instances;
mod outbox;
mod tokens;

use std::sync::Arc;

use reqwest::Method;
use sea_orm::{EntityTrait, QueryOrder};
use serde_json::{Value, json};
use xodim_server::auth::limiter::SystemClock;
use xodim_server::db::entities::{push_outbox, push_token};
use xodim_server::push::{MemorySender, PushSender, Worker};
use xodim_tests::TestApp;
use xodim_tests::cast::{Office, office_on};

/// The office cast on a server that runs no delivery worker of its own: the tests drive one,
/// at instants of their choosing.
pub async fn office_without_worker() -> Office {
    let app = TestApp::spawn_with(|s| s.push_worker_concurrency = 0).await;
    office_on(app).await
}

/// The office cast on a server whose own worker sends through `sender`, polling often.
pub async fn office_sending_to(sender: Arc<dyn PushSender>) -> Office {
    let app = TestApp::spawn_with_sender(
        |s| s.push_poll_interval_ms = 50,
        Arc::new(SystemClock),
        sender,
    )
    .await;
    office_on(app).await
}

/// Registers `token` for the device session of `access`.
pub async fn register(app: &TestApp, access: &str, token: &str) -> reqwest::Response {
    app.authed(Method::PUT, "/api/v1/devices/current/push-token", access)
        .json(&json!({"token": token, "platform": "android"}))
        .send()
        .await
        .unwrap()
}

/// Changes the notification settings of the holder of `access`; the new settings.
pub async fn set_notifications(app: &TestApp, access: &str, change: Value) -> Value {
    let response = app
        .authed(Method::PUT, "/api/v1/me/notifications", access)
        .json(&change)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// Every outbox row, oldest first.
pub async fn outbox(app: &TestApp) -> Vec<push_outbox::Model> {
    push_outbox::Entity::find()
        .order_by_asc(push_outbox::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap()
}

/// Every registered push token.
pub async fn tokens(app: &TestApp) -> Vec<push_token::Model> {
    push_token::Entity::find().all(&app.state.db).await.unwrap()
}

/// A worker on the server's database, sending to a fresh recording sender.
pub fn worker(app: &TestApp) -> (Worker, Arc<MemorySender>) {
    let sender = Arc::new(MemorySender::new());
    (Worker::new(app.state.clone(), sender.clone()), sender)
}
