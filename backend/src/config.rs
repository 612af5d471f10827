//! Server configuration: an optional TOML file, then `XODIM_*` environment variables, then the
//! conventional `DATABASE_URL` and `REDIS_URL`, then command-line flags (later wins).

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines, for a terminal.
    #[default]
    Text,
    /// One JSON object a line, for a log collector.
    Json,
}

/// Everything the server reads at start-up. Field names are the lower-case environment names
/// without the `XODIM_` prefix (`XODIM_ACCESS_TOKEN_TTL_SECS` sets `access_token_ttl_secs`).
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Address and port to listen on; port 0 picks a free port.
    pub listen: String,
    /// `sqlite://FILE?mode=rwc` (the default) or `postgres://…`.
    pub database_url: String,
    /// Largest database pool.
    pub database_max_connections: u32,
    /// Redis for rate limits and token revocation shared by every instance; in-process without it.
    pub redis_url: Option<String>,
    /// Prefix of every Redis key, so that several deployments (or tests) share one Redis.
    pub redis_prefix: String,
    /// HMAC secret for access tokens. Without it a secret is generated once and kept in the database.
    pub jwt_secret: Option<String>,
    /// Lifetime of an access token.
    pub access_token_ttl_secs: u64,
    /// Lifetime of a refresh token (and so of an idle device session).
    pub refresh_token_ttl_days: u32,
    /// Lifetime of a first-password code handed out by an administrator.
    pub activation_code_ttl_hours: u32,
    /// Failed sign-ins allowed per account within the window.
    pub login_attempts_per_account: u32,
    /// Failed sign-ins allowed per client address within the window.
    pub login_attempts_per_address: u32,
    /// Length of the failed sign-in window.
    pub login_window_secs: u64,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_forwarded_for: bool,
    /// Largest JSON request body.
    pub max_json_bytes: usize,
    /// Largest CSV upload.
    pub max_upload_bytes: usize,
    /// Log line format.
    pub log_format: LogFormat,
    /// How long removals stay in the change log; a device away longer syncs the scope anew.
    pub sync_tombstone_retention_days: u32,
    /// Password of every demo account created by `xodim-server demo`.
    pub demo_password: String,
    /// The FCM service-account JSON file (`project_id`, `client_email`, `private_key`,
    /// `token_uri`). Without it push messages are logged, not sent.
    pub fcm_credentials: Option<PathBuf>,
    /// Base of the FCM HTTP v1 API; a test's fake or a proxy replaces it.
    pub fcm_base_url: String,
    /// Where the service-account assertion is exchanged for an access token; overrides the
    /// file's `token_uri`.
    pub fcm_token_uri: Option<String>,
    /// Longest wait for one answer from FCM or the token endpoint.
    pub fcm_timeout_ms: u64,
    /// Push messages one instance sends at once; 0 runs no delivery worker in this instance.
    pub push_worker_concurrency: usize,
    /// How often the delivery worker looks for due notifications besides being woken by
    /// this instance's commits.
    pub push_poll_interval_ms: u64,
    /// The longest a notification is worth delivering; older ones are dropped and counted.
    pub push_time_to_live_secs: u64,
    /// How long a worker holds the rows it claimed; a worker that dies leaves them to others
    /// after this long. Longer than the provider's slowest answer.
    pub push_lease_secs: u64,
}

/// The password of the demo accounts unless `XODIM_DEMO_PASSWORD` says otherwise.
pub const DEFAULT_DEMO_PASSWORD: &str = "xodim-demo-2026";

/// The FCM HTTP v1 API unless `XODIM_FCM_BASE_URL` says otherwise.
pub const DEFAULT_FCM_BASE_URL: &str = "https://fcm.googleapis.com";

impl Default for Settings {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            database_url: "sqlite://xodim.db?mode=rwc".into(),
            database_max_connections: 10,
            redis_url: None,
            redis_prefix: "xodim:".into(),
            jwt_secret: None,
            access_token_ttl_secs: 15 * 60,
            refresh_token_ttl_days: 60,
            activation_code_ttl_hours: 72,
            login_attempts_per_account: 5,
            login_attempts_per_address: 50,
            login_window_secs: 15 * 60,
            trust_forwarded_for: false,
            max_json_bytes: 256 * 1024,
            max_upload_bytes: 10 * 1024 * 1024,
            log_format: LogFormat::Text,
            sync_tombstone_retention_days: 30,
            demo_password: DEFAULT_DEMO_PASSWORD.into(),
            fcm_credentials: None,
            fcm_base_url: DEFAULT_FCM_BASE_URL.into(),
            fcm_token_uri: None,
            fcm_timeout_ms: 10_000,
            push_worker_concurrency: 8,
            push_poll_interval_ms: 1000,
            push_time_to_live_secs: 24 * 3600,
            push_lease_secs: 60,
        }
    }
}

impl Settings {
    /// Reads the optional file and the environment.
    pub fn load(file: Option<&Path>) -> Result<Self, config::ConfigError> {
        let mut builder = config::Config::builder();
        if let Some(file) = file {
            builder = builder.add_source(config::File::from(file).required(true));
        }
        builder = builder.add_source(
            config::Environment::with_prefix("XODIM")
                .prefix_separator("_")
                .try_parsing(true),
        );
        if let Ok(url) = std::env::var("DATABASE_URL") {
            builder = builder.set_override("database_url", url)?;
        }
        if let Ok(url) = std::env::var("REDIS_URL") {
            builder = builder.set_override("redis_url", url)?;
        }
        builder.build()?.try_deserialize()
    }

    /// True when the database is PostgreSQL rather than the embedded SQLite file.
    pub fn is_postgres(&self) -> bool {
        self.database_url.starts_with("postgres")
    }
}
