//! A fake FCM on port 0: Google's OAuth token endpoint and FCM's `messages:send`, checking
//! what a real one checks (the assertion's signature, claims and audience; the access token
//! on each message) and recording every message it receives.
//!
//! It answers 200 unless told otherwise, per next call ([`FakeFcm::answer_next`]) or standing
//! ([`FakeFcm::answer_always`]). Every message any fake received in this process is kept, so
//! the suite can check that no payload ever carried a name or a personal number
//! ([`assert_no_payload_contains`]).

use std::collections::{HashMap, VecDeque};
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;
use xodim_server::Settings;

mod answer;

pub use answer::Answer;
use answer::{respond, status_of};

/// The test service account's private key (PKCS#8 PEM). A fixed pair, because generating an
/// RSA key in an unoptimised build takes seconds; it signs nothing but tests.
pub const TEST_PRIVATE_KEY: &str = include_str!("../data/fcm-test-key.pem");
/// Its public half, PKCS#1 DER in base64.
const TEST_PUBLIC_KEY: &str = include_str!("../data/fcm-test-key.pub.der.b64");
/// The project the test service account sends for.
pub const PROJECT_ID: &str = "xodim-test";
/// The test service account.
pub const CLIENT_EMAIL: &str = "push@xodim-test.iam.gserviceaccount.com";
const SCOPE: &str = "https://www.googleapis.com/auth/firebase.messaging";

/// Every `messages:send` body any fake received in this process.
static EVERY_PAYLOAD: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Panics if any message any fake received so far, in any test of this process, contains
/// `needle` (a name, a PINFL, a record's text).
pub fn assert_no_payload_contains(needle: &str) {
    let found = every_payload()
        .iter()
        .filter(|body| body.contains(needle))
        .count();
    assert_eq!(found, 0, "{found} push payload(s) contain {needle:?}");
}

/// The record survives a test that panicked while holding it.
fn every_payload() -> std::sync::MutexGuard<'static, Vec<String>> {
    EVERY_PAYLOAD
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// One `messages:send` the fake received.
#[derive(Debug, Clone)]
pub struct Received {
    /// The project of the URL.
    pub project: String,
    /// The request body (`{"message": …}`).
    pub body: Value,
    /// The status the fake answered.
    pub status: u16,
}

#[derive(Default)]
struct Inner {
    next: VecDeque<Answer>,
    standing: Option<Answer>,
    token_lifetime_secs: u64,
    refuse_grants: bool,
    issued: HashMap<String, Instant>,
    token_requests: usize,
    assertion_errors: Vec<String>,
    received: Vec<Received>,
}

type Shared = Arc<Mutex<Inner>>;

/// A running fake FCM; stops when dropped.
pub struct FakeFcm {
    /// What `XODIM_FCM_BASE_URL` points at.
    pub base_url: String,
    /// Its OAuth token endpoint.
    pub token_uri: String,
    state: Shared,
    server: actix_web::dev::ServerHandle,
    dir: PathBuf,
}

impl FakeFcm {
    /// Starts it on a free port; access tokens live an hour unless told otherwise.
    pub async fn start() -> Self {
        let state: Shared = Arc::new(Mutex::new(Inner {
            token_lifetime_secs: 3600,
            ..Inner::default()
        }));
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the fake FCM");
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let token_uri = format!("{base_url}/token");
        let data = web::Data::new(Context {
            state: state.clone(),
            token_uri: token_uri.clone(),
            key: public_key(),
        });
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .route("/token", web::post().to(grant))
                .route("/v1/projects/{project}/messages:send", web::post().to(send))
        })
        .workers(2)
        .disable_signals()
        .shutdown_timeout(0)
        .listen(listener)
        .expect("listen")
        .run();
        let handle = server.handle();
        tokio::spawn(server);
        let dir = std::env::temp_dir().join(format!("xodim-fcm-{}", Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        Self {
            base_url,
            token_uri,
            state,
            server: handle,
            dir,
        }
    }

    /// Writes a service-account file of the test account naming `token_uri`; returns its path.
    pub fn service_account_file(&self, token_uri: &str) -> PathBuf {
        let path = self.dir.join(format!("{}.json", Uuid::new_v4().simple()));
        let file = json!({
            "type": "service_account",
            "project_id": PROJECT_ID,
            "private_key_id": "0123456789abcdef",
            "private_key": TEST_PRIVATE_KEY,
            "client_email": CLIENT_EMAIL,
            "token_uri": token_uri,
        });
        std::fs::write(&path, file.to_string()).unwrap();
        path
    }

    /// Points `settings` at this fake, with a service-account file naming its token endpoint.
    pub fn configure(&self, settings: &mut Settings) {
        settings.fcm_credentials = Some(self.service_account_file(&self.token_uri));
        settings.fcm_base_url = self.base_url.clone();
        settings.fcm_token_uri = None;
    }

    /// Answers the next message so (queued after earlier ones).
    pub fn answer_next(&self, answer: Answer) {
        self.state.lock().unwrap().next.push_back(answer);
    }

    /// Answers every message so once the queued answers are used up.
    pub fn answer_always(&self, answer: Answer) {
        self.state.lock().unwrap().standing = Some(answer);
    }

    /// Grants access tokens that expire after `secs`.
    pub fn token_lifetime(&self, secs: u64) {
        self.state.lock().unwrap().token_lifetime_secs = secs;
    }

    /// Refuses every assertion with `invalid_grant`, as for a deleted service account.
    pub fn refuse_grants(&self) {
        self.state.lock().unwrap().refuse_grants = true;
    }

    /// How many access tokens were asked for.
    pub fn token_requests(&self) -> usize {
        self.state.lock().unwrap().token_requests
    }

    /// Why assertions were refused; empty when every one was valid.
    pub fn assertion_errors(&self) -> Vec<String> {
        self.state.lock().unwrap().assertion_errors.clone()
    }

    /// The `message_id` of every message answered 200, in order of arrival.
    pub fn delivered_message_ids(&self) -> Vec<String> {
        let state = self.state.lock().unwrap();
        state
            .received
            .iter()
            .filter(|r| r.status == 200)
            .filter_map(|r| r.body["message"]["data"]["message_id"].as_str())
            .map(str::to_owned)
            .collect()
    }

    /// Every message received, in order, whatever it was answered.
    pub fn received(&self) -> Vec<Received> {
        self.state.lock().unwrap().received.clone()
    }
}

impl Drop for FakeFcm {
    fn drop(&mut self) {
        drop(self.server.stop(false));
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

struct Context {
    state: Shared,
    token_uri: String,
    key: DecodingKey,
}

fn public_key() -> DecodingKey {
    let der = base64::engine::general_purpose::STANDARD
        .decode(TEST_PUBLIC_KEY.trim())
        .expect("the test public key is base64");
    DecodingKey::from_rsa_der(&der)
}

#[derive(Deserialize)]
struct GrantForm {
    grant_type: String,
    assertion: String,
}

#[derive(Deserialize)]
struct AssertionClaims {
    iss: String,
    scope: String,
    iat: i64,
    exp: i64,
}

async fn grant(context: web::Data<Context>, form: web::Form<GrantForm>) -> HttpResponse {
    let verdict = check_assertion(&context, &form);
    let mut state = context.state.lock().unwrap();
    state.token_requests += 1;
    if let Err(error) = verdict {
        state.assertion_errors.push(error);
        return HttpResponse::BadRequest().json(json!({"error": "invalid_grant"}));
    }
    if state.refuse_grants {
        return HttpResponse::BadRequest()
            .json(json!({"error": "invalid_grant", "error_description": "account deleted"}));
    }
    let token = format!("fake-access-{}", Uuid::new_v4().simple());
    let lifetime = state.token_lifetime_secs;
    let expires = Instant::now() + Duration::from_secs(lifetime);
    state.issued.insert(token.clone(), expires);
    HttpResponse::Ok().json(json!({
        "access_token": token, "expires_in": lifetime, "token_type": "Bearer",
    }))
}

/// What Google checks: RS256 by the account's key, the audience is this endpoint, the scope
/// is FCM's, and the assertion lives at most an hour and has not expired.
fn check_assertion(context: &Context, form: &GrantForm) -> Result<(), String> {
    if form.grant_type != "urn:ietf:params:oauth:grant-type:jwt-bearer" {
        return Err(format!("grant type {}", form.grant_type));
    }
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_audience(&[&context.token_uri]);
    validation.set_issuer(&[CLIENT_EMAIL]);
    validation.set_required_spec_claims(&["exp", "iat", "iss", "aud"]);
    validation.leeway = 0;
    let claims =
        jsonwebtoken::decode::<AssertionClaims>(&form.assertion, &context.key, &validation)
            .map_err(|e| format!("assertion: {e}"))?
            .claims;
    if claims.scope != SCOPE {
        return Err(format!("scope {}", claims.scope));
    }
    if claims.exp - claims.iat > 3600 || claims.iss != CLIENT_EMAIL {
        return Err("assertion lives longer than an hour".into());
    }
    Ok(())
}

async fn send(
    context: web::Data<Context>,
    request: HttpRequest,
    project: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let text = String::from_utf8_lossy(&body).into_owned();
    every_payload().push(text.clone());
    let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    let answer = {
        let mut state = context.state.lock().unwrap();
        let authorised = bearer(&request)
            .and_then(|token| state.issued.get(token))
            .is_some_and(|expires| Instant::now() < *expires);
        let answer = if authorised {
            let standing = state.standing.clone().unwrap_or(Answer::Ok);
            state.next.pop_front().unwrap_or(standing)
        } else {
            Answer::Unauthenticated
        };
        state.received.push(Received {
            project: project.into_inner(),
            body,
            status: status_of(&answer),
        });
        answer
    };
    respond(answer).await
}

fn bearer(request: &HttpRequest) -> Option<&str> {
    request
        .headers()
        .get("authorization")?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
}
