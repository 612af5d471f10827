//! Test harness: a real xodim server on port 0 with a database of its own, and an HTTP client.
//!
//! Without `DATABASE_URL` (or with a `sqlite:` one) each app gets a fresh SQLite file; with a
//! `postgres://` URL it gets a new PostgreSQL database, dropped afterwards; any other URL is an
//! error. With `REDIS_URL` it uses Redis under a key prefix
//! of its own.

#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod bench;
pub mod cast;
pub mod fake_fcm;
pub mod fixtures;
pub mod intents;
pub mod phones;
pub mod records;
pub mod services;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use xodim_server::auth::limiter::{Clock, SystemClock};

use actix_web::web;
use reqwest::{Method, RequestBuilder, Response};
use sea_orm::{ConnectionTrait, Database};
use serde_json::Value;
use uuid::Uuid;
use xodim_server::state::AppState;
use xodim_server::{Application, Settings};

/// A running server and what it needs to be torn down.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`
    pub address: String,
    /// A client without cookies or redirects.
    pub client: reqwest::Client,
    /// The server's state, for fixtures written straight to the database.
    pub state: web::Data<AppState>,
    /// Stops the server (the database stays), to simulate a crash or a deploy.
    pub server: actix_web::dev::ServerHandle,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(PathBuf),
    Postgres {
        server_url: String,
        database: String,
    },
}

fn install_crypto() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Settings of a test server: port 0, low limits and its own database.
async fn test_settings() -> (Settings, Cleanup) {
    let mut settings = Settings {
        listen: "127.0.0.1:0".into(),
        database_max_connections: 5,
        ..Settings::default()
    };
    let name = format!("xodim_test_{}", Uuid::new_v4().simple());
    let cleanup = match fixtures::TestDatabase::from_env() {
        fixtures::TestDatabase::Postgres(url) => {
            let admin = Database::connect(&url)
                .await
                .expect("connect to PostgreSQL");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create test database");
            admin.close().await.ok();
            let (server, _) = url.rsplit_once('/').expect("database URL has a path");
            settings.database_url = format!("{server}/{name}");
            Cleanup::Postgres {
                server_url: url,
                database: name.clone(),
            }
        }
        fixtures::TestDatabase::Sqlite => {
            let path = std::env::temp_dir().join(format!("{name}.db"));
            settings.database_url = format!("sqlite://{}?mode=rwc", path.display());
            Cleanup::Sqlite(path)
        }
    };
    settings.redis_url = std::env::var("REDIS_URL").ok();
    settings.redis_prefix = format!("{name}:");
    (settings, cleanup)
}

impl TestApp {
    /// Starts a server with the default test settings.
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    /// Starts a server after `adjust` has changed the test settings.
    pub async fn spawn_with(adjust: impl FnOnce(&mut Settings)) -> Self {
        Self::spawn_with_clock(adjust, std::sync::Arc::new(SystemClock)).await
    }

    /// A server whose sign-in limiter reads the time from `clock`; push notifications go
    /// through the sender its settings call for (FCM when `adjust` names credentials, as
    /// [`fake_fcm::FakeFcm::configure`] does, a log sender otherwise).
    pub async fn spawn_with_clock(
        adjust: impl FnOnce(&mut Settings),
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self::spawn_with_sender_of(adjust, clock, |settings| {
            xodim_server::push::sender_from_settings(settings).expect("a usable push sender")
        })
        .await
    }

    /// A server whose push delivery worker sends through `sender`.
    pub async fn spawn_with_sender(
        adjust: impl FnOnce(&mut Settings),
        clock: Arc<dyn Clock>,
        sender: Arc<dyn xodim_server::push::PushSender>,
    ) -> Self {
        Self::spawn_with_sender_of(adjust, clock, |_| sender).await
    }

    async fn spawn_with_sender_of(
        adjust: impl FnOnce(&mut Settings),
        clock: Arc<dyn Clock>,
        sender_of: impl FnOnce(&Settings) -> Arc<dyn xodim_server::push::PushSender>,
    ) -> Self {
        install_crypto();
        if std::env::var_os("TEST_LOG").is_some() {
            xodim_server::telemetry::init(xodim_server::config::LogFormat::Text);
        }
        let (mut settings, cleanup) = test_settings().await;
        adjust(&mut settings);
        let sender = sender_of(&settings);
        let app = Application::build_with_sender(settings, clock, sender)
            .await
            .expect("build the application");
        let address = format!("http://127.0.0.1:{}", app.port());
        let state = app.state();
        let server = app.handle();
        tokio::spawn(app.run_until_stopped());
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Self {
            address,
            client,
            state,
            server,
            cleanup,
        }
    }

    /// Stops the server at once and starts another on the same database at a new address, as a
    /// crash or a deploy would. The old server's connections die with its workers, so fixtures
    /// use the new server's state from here on.
    pub async fn restart(&mut self) {
        self.server.stop(false).await;
        let mut settings = self.state.settings.clone();
        settings.listen = "127.0.0.1:0".into();
        let app = Application::build(settings)
            .await
            .expect("rebuild the application");
        self.address = format!("http://127.0.0.1:{}", app.port());
        self.state = app.state();
        self.server = app.handle();
        tokio::spawn(app.run_until_stopped());
    }

    /// A request to a path of this server.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client
            .request(method, format!("{}{path}", self.address))
    }

    /// A request with a bearer token.
    pub fn authed(&self, method: Method, path: &str, token: &str) -> RequestBuilder {
        self.request(method, path).bearer_auth(token)
    }

    /// The JSON answer of a GET with a bearer token, failing the test unless it is a 200.
    pub async fn get_json(&self, path: &str, token: &str) -> Value {
        let response = self.authed(Method::GET, path, token).send().await.unwrap();
        assert_eq!(response.status(), 200, "GET {path}");
        response.json().await.unwrap()
    }

    /// One page of changes past `cursor` ("" for a first sync), failing the test on an error.
    pub async fn pull(&self, token: &str, cursor: &str) -> Value {
        let response = self
            .authed(Method::GET, "/api/v1/sync/changes", token)
            .query(&[("cursor", cursor)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    /// Signs in and returns the token response.
    pub async fn login(&self, login: &str, password: &str) -> Response {
        self.request(Method::POST, "/api/v1/auth/login")
            .json(&serde_json::json!({
                "login": login,
                "password": password,
                "device": { "installation_id": Uuid::new_v4(), "platform": "android", "name": "test phone" }
            }))
            .send()
            .await
            .unwrap()
    }

    /// Signs in and returns the access token, failing the test otherwise.
    pub async fn token(&self, login: &str, password: &str) -> String {
        let response = self.login(login, password).await;
        assert_eq!(response.status(), 200, "sign-in of {login} failed");
        let body: Value = response.json().await.unwrap();
        body["access_token"].as_str().unwrap().to_owned()
    }
}

/// The `code` of an error body, after checking the status.
pub async fn error_code(response: Response, status: u16) -> String {
    assert_eq!(response.status().as_u16(), status, "unexpected status");
    let body: Value = response.json().await.unwrap();
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "error without message: {body}"
    );
    body["code"].as_str().unwrap().to_owned()
}

impl Drop for TestApp {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Sqlite(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::Postgres {
                server_url,
                database,
            } => {
                let (url, sql) = (
                    server_url.clone(),
                    format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"),
                );
                // Drop cannot await; a short-lived runtime on its own thread does the work.
                let _ = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .ok()?;
                    runtime.block_on(async {
                        let admin = Database::connect(&url).await.ok()?;
                        admin.execute_unprepared(&sql).await.ok()
                    })
                })
                .join();
            }
        }
    }
}

/// A clock that stands still until a test moves it.
pub struct ManualClock(Mutex<DateTime<Utc>>);

impl ManualClock {
    pub fn at(now: DateTime<Utc>) -> Arc<Self> {
        Arc::new(Self(Mutex::new(now)))
    }

    pub fn advance(&self, by: chrono::Duration) {
        let mut now = self.0.lock().unwrap();
        *now += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}
