//! Device tokens and notification settings over HTTP.

use reqwest::Method;
use serde_json::json;
use xodim_tests::error_code;
use xodim_tests::fixtures::PASSWORD;

use super::{office_without_worker, outbox, register, set_notifications, tokens};

#[tokio::test]
async fn a_new_token_replaces_the_session_s_old_one() {
    let o = office_without_worker().await;
    register(&o.app, &o.servant_token, "first").await;
    assert_eq!(
        register(&o.app, &o.servant_token, "rotated").await.status(),
        204
    );

    let held: Vec<String> = tokens(&o.app).await.into_iter().map(|t| t.token).collect();
    assert_eq!(held, vec!["rotated".to_owned()]);
}

#[tokio::test]
async fn a_token_registered_by_a_new_session_moves_to_it() {
    let o = office_without_worker().await;
    register(&o.app, &o.servant_token, "the-phone").await;
    // The app is reinstalled: a new sign-in, and the OS hands out the same token.
    let reinstalled = o.app.token(&o.servant.login, PASSWORD).await;
    register(&o.app, &reinstalled, "the-phone").await;

    let held = tokens(&o.app).await;
    assert_eq!(held.len(), 1);
    let (_, request) = o.propose("TDIU (kechki)").await;
    o.step(&o.hr_token, "correction.approve", request, json!({}))
        .await;
    let rows = outbox(&o.app).await;
    assert_eq!(
        rows.len(),
        1,
        "one delivery, to the session that holds the token now"
    );
    assert_eq!(rows[0].session_id, held[0].session_id);
}

#[tokio::test]
async fn deleting_the_token_is_idempotent() {
    let o = office_without_worker().await;
    register(&o.app, &o.servant_token, "the-phone").await;
    for _ in 0..2 {
        let deleted = o
            .app
            .authed(
                Method::DELETE,
                "/api/v1/devices/current/push-token",
                &o.servant_token,
            )
            .send()
            .await
            .unwrap();
        assert_eq!(deleted.status(), 204);
    }
    assert!(tokens(&o.app).await.is_empty());
}

#[tokio::test]
async fn signing_out_forgets_the_token_and_what_was_queued_for_it() {
    let o = office_without_worker().await;
    register(&o.app, &o.servant_token, "the-phone").await;
    let (_, request) = o.propose("TDIU (kechki)").await;
    o.step(&o.hr_token, "correction.approve", request, json!({}))
        .await;
    assert_eq!(outbox(&o.app).await.len(), 1);

    let out = o
        .app
        .authed(Method::POST, "/api/v1/auth/logout", &o.servant_token)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 204);

    assert!(tokens(&o.app).await.is_empty());
    assert!(outbox(&o.app).await.is_empty());
}

#[tokio::test]
async fn an_empty_overlong_or_malformed_token_is_refused() {
    let o = office_without_worker().await;
    for token in [String::new(), "x".repeat(4097), "has space".into()] {
        let refused = register(&o.app, &o.servant_token, &token).await;
        assert_eq!(error_code(refused, 400).await, "invalid_field");
    }
    let unknown_platform = o
        .app
        .authed(
            Method::PUT,
            "/api/v1/devices/current/push-token",
            &o.servant_token,
        )
        .json(&json!({"token": "t", "platform": "windows"}))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(unknown_platform, 400).await, "invalid_field");
    let missing = o
        .app
        .authed(
            Method::PUT,
            "/api/v1/devices/current/push-token",
            &o.servant_token,
        )
        .json(&json!({"platform": "ios"}))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(missing, 400).await, "missing_field");
    assert!(
        register(&o.app, &o.servant_token, &"x".repeat(4096))
            .await
            .status()
            == 204
    );
}

#[tokio::test]
async fn notification_settings_default_to_quiet_nights_in_tashkent_with_every_kind_on() {
    let o = office_without_worker().await;
    let settings = o
        .app
        .get_json("/api/v1/me/notifications", &o.servant_token)
        .await;
    assert_eq!(
        settings,
        json!({
            "quiet_hours": {"start": "22:00", "end": "07:00"},
            "time_zone": "Asia/Tashkent",
            "kinds": [
                {"kind": "correction_decided", "enabled": true},
                {"kind": "correction_waiting", "enabled": true},
            ],
        })
    );
}

#[tokio::test]
async fn a_change_to_one_setting_keeps_the_others() {
    let o = office_without_worker().await;
    set_notifications(
        &o.app,
        &o.servant_token,
        json!({"quiet_hours": {"start": "23:30", "end": "06:00"}}),
    )
    .await;
    let after = set_notifications(
        &o.app,
        &o.servant_token,
        json!({"time_zone": "Asia/Samarkand"}),
    )
    .await;
    assert_eq!(
        after["quiet_hours"],
        json!({"start": "23:30", "end": "06:00"})
    );
    assert_eq!(after["time_zone"], "Asia/Samarkand");
    let off = set_notifications(&o.app, &o.servant_token, json!({"quiet_hours": null})).await;
    assert_eq!(off["quiet_hours"], json!(null));
    let again = o
        .app
        .get_json("/api/v1/me/notifications", &o.servant_token)
        .await;
    assert_eq!(again, off);
}

#[tokio::test]
async fn malformed_settings_are_refused() {
    let o = office_without_worker().await;
    for change in [
        json!({"quiet_hours": {"start": "25:00", "end": "07:00"}}),
        json!({"time_zone": "Mars/Olympus"}),
        json!({"kinds": [{"kind": "gossip", "enabled": false}]}),
    ] {
        let refused = o
            .app
            .authed(Method::PUT, "/api/v1/me/notifications", &o.servant_token)
            .json(&change)
            .send()
            .await
            .unwrap();
        assert_eq!(error_code(refused, 400).await, "invalid_field", "{change}");
    }
}
