//! Short-lived access tokens: HS256 JWTs naming the account and its device session.

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, errors::ErrorKind};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection, EntityTrait};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use xodim_domain::{AccountId, ErrorCode, SessionId};

use crate::auth::secrets;
use crate::db::entities::setting;
use crate::error::ApiError;

const ISSUER: &str = "xodim";
const SECRET_KEY: &str = "jwt_secret";

/// What an access token says.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// The account.
    pub sub: AccountId,
    /// The device session (refresh-token family) the token belongs to.
    pub sid: SessionId,
    /// Issued at, seconds since the epoch.
    pub iat: i64,
    /// Expires at, seconds since the epoch.
    pub exp: i64,
    /// Token id.
    pub jti: Uuid,
    /// Always `xodim`.
    pub iss: String,
}

/// Keys and rules for access tokens.
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    ttl_secs: u64,
}

impl TokenKeys {
    /// Keys from a shared secret.
    pub fn new(secret: &[u8], ttl_secs: u64) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "iat", "sub", "iss"]);
        validation.leeway = 5;
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            ttl_secs,
        }
    }

    /// Lifetime of a token, for clients and for how long a revocation must be remembered.
    pub fn ttl_secs(&self) -> u64 {
        self.ttl_secs
    }

    /// Signs a token for the account's session.
    pub fn issue(
        &self,
        account: AccountId,
        session: SessionId,
        now: DateTime<Utc>,
    ) -> Result<String, ApiError> {
        let ttl = i64::try_from(self.ttl_secs).unwrap_or(i64::MAX);
        let claims = Claims {
            sub: account,
            sid: session,
            iat: now.timestamp(),
            exp: now.timestamp().saturating_add(ttl),
            jti: Uuid::now_v7(),
            iss: ISSUER.into(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(ApiError::internal)
    }

    /// Checks signature, algorithm, issuer and expiry.
    pub fn verify(&self, token: &str) -> Result<Claims, ApiError> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|err| match err.kind() {
                ErrorKind::ExpiredSignature => {
                    ApiError::new(ErrorCode::TokenExpired, "the access token has expired")
                }
                _ => ApiError::new(
                    ErrorCode::TokenInvalid,
                    format!("access token rejected: {err}"),
                ),
            })
    }
}

/// The configured secret, or the one this database generated on its first start, so that a
/// demo or a single server needs no configuration and restarts do not sign everyone out.
pub async fn signing_secret(
    db: &DatabaseConnection,
    configured: Option<&str>,
) -> Result<Vec<u8>, ApiError> {
    if let Some(secret) = configured {
        return Ok(secret.as_bytes().to_vec());
    }
    if let Some(row) = setting::Entity::find_by_id(SECRET_KEY.to_owned())
        .one(db)
        .await?
    {
        return Ok(row.value.into_bytes());
    }
    let generated = setting::ActiveModel {
        key: Set(SECRET_KEY.into()),
        value: Set(secrets::new_token()?),
    };
    if generated.insert(db).await.is_err() {
        tracing::debug!("another instance stored the signing secret first");
    }
    let row = setting::Entity::find_by_id(SECRET_KEY.to_owned())
        .one(db)
        .await?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("signing secret missing")))?;
    Ok(row.value.into_bytes())
}
