//! Firebase Cloud Messaging over HTTP v1: one `messages:send` per device token, authorised by
//! an access token from the service account's signed assertion.

mod credentials;
mod message;
mod token;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use reqwest::StatusCode;
use reqwest::header::RETRY_AFTER;

use self::credentials::ServiceAccount;
use self::token::AccessTokens;
use super::log_sender::LogSender;
use super::{PushMessage, PushSender, SendOutcome};
use crate::config::Settings;

/// Why the push configuration cannot be used; the server refuses to start.
#[derive(Debug, thiserror::Error)]
pub enum FcmConfigError {
    /// The service-account file cannot be read.
    #[error("cannot read the FCM service-account file {path}: {cause}")]
    Read {
        /// The configured path.
        path: String,
        /// The operating system's reason.
        cause: String,
    },
    /// The file is not a usable service account.
    #[error("the FCM service-account file is not usable: {0}")]
    Malformed(String),
    /// The HTTP client cannot be built.
    #[error("cannot build the FCM HTTP client: {0}")]
    Client(String),
}

/// The sender the settings call for: FCM with credentials, otherwise a [`LogSender`] that
/// records what would have been sent (and says so once, now).
pub fn sender_from_settings(settings: &Settings) -> Result<Arc<dyn PushSender>, FcmConfigError> {
    match FcmSender::from_settings(settings)? {
        Some(fcm) => {
            tracing::info!(base = %settings.fcm_base_url, "push messages go to FCM");
            Ok(Arc::new(fcm))
        }
        None => {
            tracing::warn!(
                "no FCM credentials (XODIM_FCM_CREDENTIALS): push messages are logged, not sent"
            );
            Ok(Arc::new(LogSender))
        }
    }
}

/// Sends through FCM HTTP v1.
pub struct FcmSender {
    http: reqwest::Client,
    tokens: AccessTokens,
    send_url: String,
}

/// How one POST to `messages:send` ended.
enum Attempt {
    Done(SendOutcome),
    /// 401: the access token was refused.
    Unauthorised,
}

impl FcmSender {
    /// The sender for the configured service account; `None` without `fcm_credentials`.
    pub fn from_settings(settings: &Settings) -> Result<Option<Self>, FcmConfigError> {
        let Some(path) = &settings.fcm_credentials else {
            return Ok(None);
        };
        let account = ServiceAccount::load(path, settings.fcm_token_uri.as_deref())?;
        // reqwest is built without a default TLS provider; the process uses ring throughout.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(Duration::from_millis(settings.fcm_timeout_ms))
            .build()
            .map_err(|e| FcmConfigError::Client(e.to_string()))?;
        let send_url = format!(
            "{}/v1/projects/{}/messages:send",
            settings.fcm_base_url.trim_end_matches('/'),
            account.project_id
        );
        Ok(Some(Self {
            tokens: AccessTokens::new(account, http.clone()),
            http,
            send_url,
        }))
    }

    /// The FCM project messages are sent for.
    pub fn project_id(&self) -> &str {
        self.tokens.project_id()
    }

    async fn post(&self, message: &PushMessage, access_token: &str) -> Attempt {
        let body = message::request_body(message, chrono::Utc::now());
        let sent = self
            .http
            .post(&self.send_url)
            .bearer_auth(access_token)
            .json(&body)
            .send()
            .await;
        let response = match sent {
            Ok(response) => response,
            Err(e) => return Attempt::Done(transient(&e)),
        };
        let status = response.status();
        if status == StatusCode::UNAUTHORIZED {
            return Attempt::Unauthorised;
        }
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        match response.text().await {
            Ok(text) => Attempt::Done(message::classify(
                status,
                retry_after.as_deref(),
                &text,
                chrono::Utc::now(),
            )),
            Err(e) => Attempt::Done(transient(&e)),
        }
    }

    async fn attempt(&self, message: &PushMessage) -> Result<Attempt, SendOutcome> {
        let token = self.tokens.current().await?;
        let attempt = self.post(message, &token).await;
        if let Attempt::Unauthorised = attempt {
            self.tokens.forget(&token).await;
        }
        Ok(attempt)
    }
}

#[async_trait]
impl PushSender for FcmSender {
    fn name(&self) -> &'static str {
        "fcm"
    }

    async fn send(&self, message: &PushMessage) -> SendOutcome {
        // A refused access token (revoked, or expired early) is replaced once; a second
        // refusal means the account itself is not allowed.
        for _ in 0..2 {
            match self.attempt(message).await {
                Ok(Attempt::Done(outcome)) => return outcome,
                Ok(Attempt::Unauthorised) => continue,
                Err(outcome) => return outcome,
            }
        }
        SendOutcome::Failed {
            reason: "UNAUTHENTICATED".into(),
        }
    }
}

fn transient(error: &reqwest::Error) -> SendOutcome {
    SendOutcome::Retry {
        after: None,
        reason: transport_reason(error).into(),
    }
}

/// A transport failure named without its URL or body.
fn transport_reason(error: &reqwest::Error) -> &'static str {
    if error.is_timeout() {
        "timeout"
    } else if error.is_connect() {
        "connection failed"
    } else {
        "transport error"
    }
}
