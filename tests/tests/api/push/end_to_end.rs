//! The whole way of a notification: the phone registers its token, HR decides, and the
//! server's own worker sends through FCM HTTP v1 to a fake FCM that checks the service account.

use std::time::Duration;

use serde_json::json;
use xodim_tests::TestApp;
use xodim_tests::cast::office_on;
use xodim_tests::fake_fcm::{FakeFcm, Received, assert_no_payload_contains};
use xodim_tests::phones::on;

use super::set_notifications;

const DEVICE_TOKEN: &str = "servant-device-token";

/// The first message the fake received for the servant's device, waiting up to ten seconds.
async fn first_for_the_device(fcm: &FakeFcm) -> Received {
    for _ in 0..200 {
        let found = fcm
            .received()
            .into_iter()
            .find(|r| r.body["message"]["token"] == DEVICE_TOKEN);
        if let Some(message) = found {
            return message;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no message reached the servant's device")
}

#[tokio::test]
async fn a_decision_reaches_the_servants_phone_through_fcm_carrying_ids_only() {
    let fcm = FakeFcm::start().await;
    let app = TestApp::spawn_with(|s| {
        fcm.configure(s);
        s.push_poll_interval_ms = 50;
    })
    .await;
    let o = office_on(app).await;
    set_notifications(&o.app, &o.servant_token, json!({"quiet_hours": null})).await;
    let phone = o.servant_phone().await;
    on(&phone.core, |c| {
        c.set_push_token(DEVICE_TOKEN.into(), "android".into())
    })
    .await
    .unwrap();
    let held = on(&phone.core, |c| c.push_token()).await.unwrap();
    assert!(held.registered, "the server took the token at once");

    let (_, request) = o.propose("Samarqand davlat universiteti").await;
    o.step(
        &o.hr_token,
        "correction.approve",
        request,
        json!({"note": "Diploma checked"}),
    )
    .await;

    let message = first_for_the_device(&fcm).await;
    assert_eq!(message.status, 200);
    let data = &message.body["message"]["data"];
    assert_eq!(data["kind"], "correction_decided");
    assert_eq!(data["entity"], "inbox");
    assert!(
        fcm.assertion_errors().is_empty(),
        "{:?}",
        fcm.assertion_errors()
    );
    for needle in [
        o.servant.pinfl.as_str(),
        "Samarqand davlat",
        "Diploma checked",
        &o.servant.login,
    ] {
        assert_no_payload_contains(needle);
    }
}
