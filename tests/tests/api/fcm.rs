//! The FCM HTTP v1 sender against a fake FCM: what it sends, how it authorises itself, and
//! what each of FCM's answers means for the message. The delivery worker is not involved.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::future::join_all;
use uuid::Uuid;
use xodim_server::Settings;
use xodim_server::push::{
    Alert, FcmConfigError, FcmSender, PushMessage, PushSender, SendOutcome, sender_from_settings,
};
use xodim_tests::fake_fcm::{Answer, FakeFcm, PROJECT_ID, assert_no_payload_contains};

/// A sender pointed at the fake, with a short timeout so that a hang ends quickly.
fn sender_for(fake: &FakeFcm, adjust: impl FnOnce(&mut Settings)) -> FcmSender {
    let mut settings = Settings {
        fcm_timeout_ms: 2_000,
        ..Settings::default()
    };
    fake.configure(&mut settings);
    adjust(&mut settings);
    FcmSender::from_settings(&settings)
        .expect("usable settings")
        .expect("credentials are configured")
}

/// A message as the worker builds one: ids only in the data, a fixed alert text.
fn message(urgent: bool, alert: bool) -> PushMessage {
    let (user, request, id) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let data = BTreeMap::from([
        ("kind".to_owned(), "correction_decided".to_owned()),
        ("scope".to_owned(), format!("own:{user}")),
        ("entity".to_owned(), "request".to_owned()),
        ("id".to_owned(), request.to_string()),
        ("message_id".to_owned(), id.to_string()),
    ]);
    PushMessage {
        id,
        token: format!("device-token-{}", Uuid::new_v4().simple()),
        data,
        alert: alert.then(|| Alert {
            title: "xodim".into(),
            body: "Your request has been decided".into(),
        }),
        collapse_key: format!("correction_decided:{user}"),
        urgent,
        time_to_live: Duration::from_secs(3600),
    }
}

fn retry_after(outcome: &SendOutcome) -> Option<Duration> {
    match outcome {
        SendOutcome::Retry { after, .. } => *after,
        other => panic!("expected a retry, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_message_reaches_fcm_with_its_token_data_alert_and_delivery_options() {
    let fake = FakeFcm::start().await;
    let sender = sender_for(&fake, |_| {});
    let sent = message(false, true);

    assert_eq!(sender.send(&sent).await, SendOutcome::Sent);

    assert_eq!(fake.delivered_message_ids(), vec![sent.id.to_string()]);
    assert_eq!(fake.assertion_errors(), Vec::<String>::new());
    assert_eq!(fake.token_requests(), 1);
    let received = fake.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].project, PROJECT_ID);
    let body = &received[0].body["message"];
    assert_eq!(body["token"], sent.token.as_str());
    assert_eq!(body["data"], serde_json::to_value(&sent.data).unwrap());
    assert_eq!(body["notification"]["title"], "xodim");
    assert_eq!(
        body["notification"]["body"],
        "Your request has been decided"
    );
    assert_eq!(body["android"]["priority"], "normal");
    assert_eq!(body["android"]["collapse_key"], sent.collapse_key.as_str());
    assert_eq!(body["android"]["ttl"], "3600s");
    let apns = &body["apns"]["headers"];
    assert_eq!(apns["apns-collapse-id"], sent.collapse_key.as_str());
    assert_eq!(apns["apns-priority"], "5");
    let expiry: i64 = apns["apns-expiration"].as_str().unwrap().parse().unwrap();
    let in_an_hour = chrono::Utc::now().timestamp() + 3600;
    assert!((in_an_hour - 60..=in_an_hour).contains(&expiry), "{expiry}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_fake_remembers_every_payload_so_the_suite_can_look_for_personal_data() {
    let fake = FakeFcm::start().await;
    let sender = sender_for(&fake, |_| {});
    let mut leaky = message(false, true);
    let marker = format!("Karimov-{}", Uuid::new_v4().simple());
    leaky.data.insert("name".into(), marker.clone());

    assert_eq!(sender.send(&leaky).await, SendOutcome::Sent);
    drop(fake);

    assert_eq!(
        FakeFcm::start().await.delivered_message_ids(),
        Vec::<String>::new()
    );
    let found = std::panic::catch_unwind(|| assert_no_payload_contains(&marker));
    assert!(
        found.is_err(),
        "the check missed a payload of a stopped fake"
    );
    assert_no_payload_contains(&format!("Karimov-{}", Uuid::new_v4().simple()));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_urgent_alert_goes_at_high_priority_and_a_silent_message_wakes_the_app_quietly() {
    let fake = FakeFcm::start().await;
    let sender = sender_for(&fake, |_| {});

    assert_eq!(sender.send(&message(true, true)).await, SendOutcome::Sent);
    assert_eq!(sender.send(&message(true, false)).await, SendOutcome::Sent);

    let received = fake.received();
    let (alert, silent) = (&received[0].body["message"], &received[1].body["message"]);
    assert_eq!(alert["android"]["priority"], "high");
    assert_eq!(alert["apns"]["headers"]["apns-priority"], "10");
    assert!(silent.get("notification").is_none());
    assert_eq!(silent["android"]["priority"], "high");
    // APNs refuses priority 10 for a background message.
    assert_eq!(silent["apns"]["headers"]["apns-priority"], "5");
    assert_eq!(silent["apns"]["payload"]["aps"]["content-available"], 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn one_access_token_serves_many_messages_and_is_renewed_before_it_expires() {
    let fake = FakeFcm::start().await;
    fake.token_lifetime(2);
    let sender = sender_for(&fake, |_| {});

    let burst: Vec<PushMessage> = (0..8).map(|_| message(false, true)).collect();
    let outcomes = join_all(burst.iter().map(|m| sender.send(m))).await;
    assert!(
        outcomes.iter().all(|o| *o == SendOutcome::Sent),
        "{outcomes:?}"
    );
    assert_eq!(
        fake.token_requests(),
        1,
        "concurrent senders share one refresh"
    );

    // A two-second token is used for half its life.
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    assert_eq!(sender.send(&message(false, true)).await, SendOutcome::Sent);
    assert_eq!(fake.token_requests(), 2);
    assert_eq!(fake.assertion_errors(), Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread")]
async fn too_many_requests_is_retried_after_the_delay_fcm_names() {
    let fake = FakeFcm::start().await;
    let sender = sender_for(&fake, |_| {});

    fake.answer_next(Answer::TooManyRequests("17".into()));
    let outcome = sender.send(&message(false, true)).await;
    assert_eq!(retry_after(&outcome), Some(Duration::from_secs(17)));

    let at = chrono::Utc::now() + chrono::Duration::seconds(90);
    fake.answer_next(Answer::Unavailable(at.to_rfc2822().replace("+0000", "GMT")));
    let wait = retry_after(&sender.send(&message(false, true)).await).unwrap();
    assert!(
        wait > Duration::from_secs(80) && wait <= Duration::from_secs(90),
        "{wait:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_error_is_retried_without_a_named_delay() {
    let fake = FakeFcm::start().await;
    let sender = sender_for(&fake, |_| {});
    fake.answer_next(Answer::ServerError);

    let outcome = sender.send(&message(false, true)).await;

    assert_eq!(retry_after(&outcome), None);
    assert_eq!(sender.send(&message(false, true)).await, SendOutcome::Sent);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hanging_fcm_is_given_up_after_the_timeout_and_retried() {
    let fake = FakeFcm::start().await;
    let sender = sender_for(&fake, |s| s.fcm_timeout_ms = 300);
    sender.send(&message(false, true)).await; // the access token, before the hang
    fake.answer_next(Answer::Hang);

    let started = Instant::now();
    let outcome = sender.send(&message(false, true)).await;

    assert_eq!(
        outcome,
        SendOutcome::Retry {
            after: None,
            reason: "timeout".into()
        }
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unregistered_token_is_gone() {
    let fake = FakeFcm::start().await;
    let sender = sender_for(&fake, |_| {});
    fake.answer_next(Answer::Unregistered);

    assert_eq!(
        sender.send(&message(false, true)).await,
        SendOutcome::TokenGone {
            reason: "UNREGISTERED".into()
        }
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_invalid_argument_on_the_token_means_the_token_is_gone() {
    let fake = FakeFcm::start().await;
    let sender = sender_for(&fake, |_| {});
    fake.answer_next(Answer::InvalidToken);

    assert_eq!(
        sender.send(&message(false, true)).await,
        SendOutcome::TokenGone {
            reason: "INVALID_ARGUMENT".into()
        }
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_permission_denied_fails_the_message_for_good() {
    let fake = FakeFcm::start().await;
    let sender = sender_for(&fake, |_| {});
    fake.answer_next(Answer::PermissionDenied);

    assert_eq!(
        sender.send(&message(false, true)).await,
        SendOutcome::Failed {
            reason: "PERMISSION_DENIED".into()
        }
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_access_token_is_renewed_once_and_the_message_sent_again() {
    let fake = FakeFcm::start().await;
    let sender = sender_for(&fake, |_| {});
    fake.answer_next(Answer::Unauthenticated);

    assert_eq!(sender.send(&message(false, true)).await, SendOutcome::Sent);
    assert_eq!(fake.token_requests(), 2);
    assert_eq!(fake.received().len(), 2);

    fake.answer_always(Answer::Unauthenticated);
    let outcome = sender.send(&message(false, true)).await;
    assert_eq!(
        outcome,
        SendOutcome::Failed {
            reason: "UNAUTHENTICATED".into()
        }
    );
    assert_eq!(fake.received().len(), 4, "one renewal, not a loop");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_service_account_fails_the_message_and_sends_nothing() {
    let fake = FakeFcm::start().await;
    fake.refuse_grants();
    let sender = sender_for(&fake, |_| {});

    let outcome = sender.send(&message(false, true)).await;

    assert!(
        matches!(&outcome, SendOutcome::Failed { reason } if reason.contains("invalid_grant")),
        "{outcome:?}"
    );
    assert!(fake.received().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn the_configured_token_uri_overrides_the_files_and_an_unreachable_one_is_retried() {
    let fake = FakeFcm::start().await;
    let mut settings = Settings::default();
    fake.configure(&mut settings);
    settings.fcm_credentials =
        Some(fake.service_account_file("https://oauth2.googleapis.com/token"));
    settings.fcm_token_uri = Some(fake.token_uri.clone());
    let sender = FcmSender::from_settings(&settings).unwrap().unwrap();

    assert_eq!(sender.send(&message(false, true)).await, SendOutcome::Sent);
    assert_eq!(fake.assertion_errors(), Vec::<String>::new());

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let nowhere = format!("http://{}/token", closed.local_addr().unwrap());
    drop(closed);
    let sender = sender_for(&fake, |s| s.fcm_token_uri = Some(nowhere));
    let outcome = sender.send(&message(false, true)).await;
    assert_eq!(retry_after(&outcome), None);
}

#[tokio::test]
async fn an_unusable_service_account_file_stops_the_start_without_quoting_the_key() {
    let fake = FakeFcm::start().await;
    let mut settings = Settings::default();
    fake.configure(&mut settings);
    let path = settings.fcm_credentials.clone().unwrap();

    settings.fcm_credentials = Some(path.with_extension("missing"));
    assert!(matches!(
        sender_from_settings(&settings),
        Err(FcmConfigError::Read { .. })
    ));

    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("BEGIN PRIVATE KEY", "BEGIN NOTHING")).unwrap();
    settings.fcm_credentials = Some(path);
    let error = sender_from_settings(&settings).err().unwrap();
    assert!(matches!(error, FcmConfigError::Malformed(_)), "{error}");
    assert!(!error.to_string().contains("MII"), "{error}");
}

/// Collects what the log sender writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn without_credentials_messages_are_logged_with_ids_only_and_the_start_says_so() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let sender = sender_from_settings(&Settings::default()).unwrap();
    let sent = message(false, true);
    let outcome = sender.send(&sent).await;

    assert_eq!(sender.name(), "log");
    assert_eq!(outcome, SendOutcome::Sent);
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        log.contains("WARN") && log.contains("no FCM credentials"),
        "{log}"
    );
    assert!(log.contains(&sent.id.to_string()), "{log}");
    assert!(log.contains("correction_decided"), "{log}");
    assert!(log.contains(&sent.collapse_key), "{log}");
    assert!(
        !log.contains(&sent.token),
        "the whole token is logged: {log}"
    );
    assert!(
        !log.contains(&sent.data["id"]),
        "a data value is logged: {log}"
    );
    assert!(!log.contains("Your request has been decided"), "{log}");
}
