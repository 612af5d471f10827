//! OAuth2 access tokens for FCM: a service-account assertion (an RS256 JWT) exchanged at the
//! token endpoint, cached until shortly before it expires.

use std::time::{Duration, Instant};

use jsonwebtoken::{Algorithm, Header};
use reqwest::StatusCode;
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;

use super::credentials::ServiceAccount;
use crate::push::SendOutcome;

/// The one scope FCM's `messages:send` needs.
const SCOPE: &str = "https://www.googleapis.com/auth/firebase.messaging";
/// Google's assertions live at most an hour.
const ASSERTION_LIFETIME_SECS: i64 = 3600;
/// A token is replaced this long before it expires, so none expires in flight.
const REFRESH_MARGIN: Duration = Duration::from_secs(300);

#[derive(Serialize)]
struct Claims<'a> {
    iss: &'a str,
    scope: &'a str,
    aud: &'a str,
    iat: i64,
    exp: i64,
}

#[derive(Deserialize)]
struct Granted {
    access_token: String,
    expires_in: u64,
}

#[derive(Deserialize)]
struct Refused {
    #[serde(default)]
    error: Option<String>,
}

struct Cached {
    token: String,
    refresh_at: Instant,
}

/// Why no access token could be had.
#[derive(Debug)]
pub(super) enum TokenError {
    /// The endpoint was unreachable, slow or overloaded: the message waits.
    Transient(String),
    /// The endpoint refused the service account (`invalid_grant`): retrying cannot help.
    Refused(String),
}

impl From<TokenError> for SendOutcome {
    fn from(error: TokenError) -> Self {
        match error {
            TokenError::Transient(reason) => SendOutcome::Retry {
                after: None,
                reason: format!("token endpoint: {reason}"),
            },
            TokenError::Refused(reason) => SendOutcome::Failed {
                reason: format!("token endpoint: {reason}"),
            },
        }
    }
}

/// The cached access token of one service account.
pub(super) struct AccessTokens {
    account: ServiceAccount,
    http: reqwest::Client,
    // A tokio mutex held across the exchange: concurrent senders wait for one refresh
    // rather than each starting its own.
    cached: Mutex<Option<Cached>>,
}

impl AccessTokens {
    pub(super) fn new(account: ServiceAccount, http: reqwest::Client) -> Self {
        Self {
            account,
            http,
            cached: Mutex::new(None),
        }
    }

    pub(super) fn project_id(&self) -> &str {
        &self.account.project_id
    }

    /// A token valid for a while yet, fetched only when the cached one is due.
    pub(super) async fn current(&self) -> Result<String, TokenError> {
        let mut cached = self.cached.lock().await;
        if let Some(c) = cached.as_ref().filter(|c| Instant::now() < c.refresh_at) {
            return Ok(c.token.clone());
        }
        let fresh = self.fetch().await?;
        let token = fresh.token.clone();
        *cached = Some(fresh);
        Ok(token)
    }

    /// Forgets `stale` after FCM refused it, unless another sender already replaced it.
    pub(super) async fn forget(&self, stale: &str) {
        let mut cached = self.cached.lock().await;
        if cached.as_ref().is_some_and(|c| c.token == stale) {
            *cached = None;
        }
    }

    async fn fetch(&self) -> Result<Cached, TokenError> {
        let assertion = self.assertion()?;
        let form = [
            ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
            ("assertion", assertion.as_str()),
        ];
        let response = self
            .http
            .post(&self.account.token_uri)
            .form(&form)
            .send()
            .await
            .map_err(|e| TokenError::Transient(super::transport_reason(&e).into()))?;
        let status = response.status();
        let body = response
            .text()
            .await
            .map_err(|e| TokenError::Transient(super::transport_reason(&e).into()))?;
        if !status.is_success() {
            return Err(refusal(status, &body));
        }
        let granted: Granted = serde_json::from_str(&body)
            .map_err(|_| TokenError::Transient("malformed token answer".into()))?;
        let lifetime = Duration::from_secs(granted.expires_in);
        // A token shorter-lived than twice the margin is used for half its life.
        let margin = REFRESH_MARGIN.min(lifetime / 2);
        Ok(Cached {
            token: granted.access_token,
            refresh_at: Instant::now() + lifetime - margin,
        })
    }

    fn assertion(&self) -> Result<String, TokenError> {
        let iat = chrono::Utc::now().timestamp();
        let claims = Claims {
            iss: &self.account.client_email,
            scope: SCOPE,
            aud: &self.account.token_uri,
            iat,
            exp: iat + ASSERTION_LIFETIME_SECS,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::RS256), &claims, &self.account.key)
            .map_err(|_| TokenError::Refused("cannot sign the assertion".into()))
    }
}

/// A refusal by the token endpoint: overload is transient, a refused grant is not.
fn refusal(status: StatusCode, body: &str) -> TokenError {
    let error = serde_json::from_str::<Refused>(body)
        .ok()
        .and_then(|r| r.error)
        .unwrap_or_else(|| format!("HTTP {}", status.as_u16()));
    if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
        TokenError::Transient(error)
    } else {
        TokenError::Refused(error)
    }
}
