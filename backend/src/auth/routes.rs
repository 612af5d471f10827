//! HTTP handlers of the auth API.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, JoinType,
    QueryFilter, QuerySelect, RelationTrait,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use xodim_domain::{AccountId, DevicePlatform, ErrorCode, LoginIdentifier, NewPassword};

use crate::auth::sessions::{self, DeviceInfo, Issued};
use crate::auth::{Actor, password, secrets};
use crate::db::{
    self, entities::account, entities::activation_code, entities::employee, entities::person,
};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Registers the auth routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1/auth")
            .route("/login", web::post().to(login))
            .route("/refresh", web::post().to(refresh))
            .route("/logout", web::post().to(logout))
            .route("/activate", web::post().to(activate)),
    );
}

/// The app installation signing in.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DeviceRequest {
    /// Stable id the app generated at installation.
    pub installation_id: Uuid,
    /// `android`, `ios`, `web` or `other`.
    pub platform: String,
    /// Optional name of the device.
    pub name: Option<String>,
    /// Optional app version.
    pub app_version: Option<String>,
}

/// Sign-in by login name or PINFL.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    /// Login name or 14-digit PINFL.
    pub login: String,
    /// The password.
    pub password: String,
    /// The device; without it the sign-in counts as a new device of platform `other`.
    pub device: Option<DeviceRequest>,
}

/// Tokens for a device session.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    /// Bearer token for API calls.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    /// One-time token to obtain the next pair; keep it secret.
    pub refresh_token: String,
    /// The device session.
    pub session_id: Uuid,
    /// The signed-in account.
    pub account_id: Uuid,
}

/// Exchange of a refresh token.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RefreshRequest {
    /// The refresh token from the last sign-in or refresh.
    pub refresh_token: String,
}

/// First password set with a code from an administrator.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ActivateRequest {
    /// Login name or PINFL.
    pub login: String,
    /// The one-time code.
    pub code: String,
    /// The new password (at least 10 characters).
    pub password: String,
}

fn client_address(req: &HttpRequest, state: &AppState) -> String {
    let info = req.connection_info();
    let address = if state.settings.trust_forwarded_for {
        info.realip_remote_addr()
    } else {
        info.peer_addr()
    };
    address.unwrap_or("unknown").to_owned()
}

fn device_info(device: Option<DeviceRequest>) -> ApiResult<DeviceInfo> {
    let Some(device) = device else {
        return Ok(DeviceInfo {
            installation_id: Uuid::now_v7(),
            platform: DevicePlatform::Other,
            name: None,
            app_version: None,
        });
    };
    let platform = device.platform.parse::<DevicePlatform>()?;
    let clip = |text: Option<String>| text.map(|t| t.chars().take(100).collect::<String>());
    Ok(DeviceInfo {
        installation_id: device.installation_id,
        platform,
        name: clip(device.name),
        app_version: clip(device.app_version),
    })
}

/// Finds the account a login name or PINFL names.
pub async fn find_account(
    db: &DatabaseConnection,
    identifier: &LoginIdentifier,
) -> ApiResult<Option<account::Model>> {
    let query = account::Entity::find();
    let query = match identifier {
        LoginIdentifier::Login(login) => query.filter(account::Column::Login.eq(login.as_str())),
        LoginIdentifier::Pinfl(pinfl) => query
            .join(JoinType::InnerJoin, account::Relation::Employee.def())
            .join(JoinType::InnerJoin, employee::Relation::Person.def())
            .filter(person::Column::Pinfl.eq(pinfl.as_str())),
    };
    Ok(query.one(db).await?)
}

/// The failure budget an attempt counts against: the account's own, whether it is named by
/// login or by PINFL, or the identifier's when no account has it.
fn budget_key(identifier: &LoginIdentifier, account: Option<&account::Model>) -> String {
    match (account, identifier) {
        (Some(account), _) => format!("id:{}", account.id),
        (None, LoginIdentifier::Login(login)) => format!("login:{}", login.as_str()),
        (None, LoginIdentifier::Pinfl(pinfl)) => format!("pinfl:{}", pinfl.as_str()),
    }
}

fn tokens(state: &AppState, issued: Issued) -> ApiResult<HttpResponse> {
    let access_token = state
        .tokens
        .issue(issued.account, issued.session, Utc::now())?;
    Ok(HttpResponse::Ok().json(TokenResponse {
        access_token,
        token_type: "Bearer",
        expires_in: state.tokens.ttl_secs(),
        refresh_token: issued.refresh_token,
        session_id: issued.session.as_uuid(),
        account_id: issued.account.as_uuid(),
    }))
}

#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = TokenResponse), (status = 401, description = "invalid_credentials"),
              (status = 429, description = "rate_limited")))]
async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<LoginRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let identifier = LoginIdentifier::parse(&body.login)?;
    let device = device_info(body.device)?;
    let address = client_address(&req, &state);
    let account = find_account(&state.db, &identifier).await?;
    let key = budget_key(&identifier, account.as_ref());
    state.limiter.check(&key, &address).await?;
    let stored = account.as_ref().and_then(|a| a.password_hash.clone());
    let account = match account {
        Some(account) if password::verify(body.password, stored).await? => account,
        _ => {
            state.limiter.failed(&key, &address).await?;
            return Err(ApiError::new(
                ErrorCode::InvalidCredentials,
                "wrong login or password",
            ));
        }
    };
    if account.disabled_at.is_some() {
        return Err(ApiError::new(
            ErrorCode::AccountDisabled,
            "the account is disabled",
        ));
    }
    state.limiter.succeeded(&key).await?;
    let account_id = AccountId::from_uuid(account.id);
    let issued = sessions::open(&state, account_id, &device).await?;
    tokens(&state, issued)
}

#[utoipa::path(post, path = "/api/v1/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses((status = 200, body = TokenResponse),
              (status = 401, description = "refresh_token_invalid or refresh_token_reused")))]
async fn refresh(
    state: web::Data<AppState>,
    body: web::Json<RefreshRequest>,
) -> ApiResult<HttpResponse> {
    let issued = sessions::rotate(&state, &body.refresh_token).await?;
    let account = account::Entity::find_by_id(issued.account.as_uuid())
        .one(&state.db)
        .await?;
    if account.is_none_or(|a| a.disabled_at.is_some()) {
        sessions::revoke(&state, &[issued.session.as_uuid()], "account_disabled").await?;
        return Err(ApiError::new(
            ErrorCode::AccountDisabled,
            "the account is disabled",
        ));
    }
    tokens(&state, issued)
}

#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth",
    responses((status = 204, description = "the device session has ended")),
    security(("bearer" = [])))]
async fn logout(state: web::Data<AppState>, actor: Actor) -> ApiResult<HttpResponse> {
    sessions::revoke(&state, &[actor.session.as_uuid()], "logout").await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(post, path = "/api/v1/auth/activate", tag = "auth", request_body = ActivateRequest,
    responses((status = 204, description = "password set; sign in with it"),
              (status = 401, description = "activation_code_invalid")))]
async fn activate(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<ActivateRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let identifier = LoginIdentifier::parse(&body.login)?;
    let new_password = NewPassword::parse(&body.password)?;
    let address = client_address(&req, &state);
    let account = find_account(&state.db, &identifier).await?;
    let key = budget_key(&identifier, account.as_ref());
    state.limiter.check(&key, &address).await?;
    let invalid = || {
        ApiError::new(
            ErrorCode::ActivationCodeInvalid,
            "unknown, used or expired code",
        )
    };
    let now = Utc::now();
    let code = match &account {
        Some(account) => {
            activation_code::Entity::find()
                .filter(activation_code::Column::AccountId.eq(account.id))
                .filter(activation_code::Column::CodeHash.eq(secrets::digest_code(&body.code)))
                .filter(activation_code::Column::UsedAt.is_null())
                .filter(activation_code::Column::ExpiresAt.gt(now))
                .one(&state.db)
                .await?
        }
        None => None,
    };
    let (Some(account), Some(code)) = (account, code) else {
        state.limiter.failed(&key, &address).await?;
        return Err(invalid());
    };
    let hash = password::hash(new_password.expose().to_owned()).await?;
    let account_id = AccountId::from_uuid(account.id);
    let turn = state.write_turn().await;
    let txn = db::begin_write(&state.db).await?;
    let mut used: activation_code::ActiveModel = code.into();
    used.used_at = Set(Some(now));
    used.update(&txn).await?;
    let mut updated: account::ActiveModel = account.into();
    updated.password_hash = Set(Some(hash));
    updated.update(&txn).await?;
    txn.commit().await?;
    drop(turn);
    sessions::revoke_all(&state, account_id, "password_set").await?;
    Ok(HttpResponse::NoContent().finish())
}
