//! Sign-in accounts of employees: creation, first-password codes, disabling.

use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use xodim_domain::{AccountId, EmployeeId, ErrorCode, Locale, LoginName, Permission};

use super::keepers;
use crate::auth::{Actor, secrets, sessions};
use crate::db::entities::{account, activation_code};
use crate::db::is_unique_violation;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::sync::engine::{AccountOpened, commit_and_poke};

/// Registers the account routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/accounts", web::post().to(create))
        .route("/accounts/{id}", web::get().to(get))
        .route("/accounts/{id}/activation-code", web::post().to(issue_code))
        .route("/accounts/{id}/disable", web::post().to(disable));
}

/// A new account for an employee.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateAccount {
    pub employee_id: Uuid,
    /// Lower-case login name, unique.
    pub login: String,
    /// Interface language; uz-Latn when absent.
    pub locale: Option<String>,
}

/// An account as administrators see it (never its password).
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountView {
    pub id: Uuid,
    pub employee_id: Uuid,
    pub login: String,
    pub locale: String,
    /// Whether a password has been set.
    pub activated: bool,
    pub disabled: bool,
    pub last_login_at: Option<DateTime<Utc>>,
}

impl From<&account::Model> for AccountView {
    fn from(m: &account::Model) -> Self {
        Self {
            id: m.id,
            employee_id: m.employee_id,
            login: m.login.clone(),
            locale: m.locale.clone(),
            activated: m.password_hash.is_some(),
            disabled: m.disabled_at.is_some(),
            last_login_at: m.last_login_at,
        }
    }
}

/// A one-time code to hand to the employee, shown only once.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActivationCodeView {
    pub code: String,
    pub expires_at: DateTime<Utc>,
}

/// An account with a fresh code.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedAccount {
    pub account: AccountView,
    pub activation_code: ActivationCodeView,
}

/// Replaces any unused code of the account with a new one.
pub async fn new_activation_code(
    db: &impl ConnectionTrait,
    account: Uuid,
    issued_by: Option<Uuid>,
    ttl_hours: u32,
) -> ApiResult<ActivationCodeView> {
    let now = Utc::now();
    activation_code::Entity::update_many()
        .col_expr(activation_code::Column::UsedAt, Expr::value(now))
        .filter(activation_code::Column::AccountId.eq(account))
        .filter(activation_code::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    let code = secrets::new_code()?;
    let expires_at = now + chrono::Duration::hours(i64::from(ttl_hours));
    activation_code::ActiveModel {
        id: Set(Uuid::now_v7()),
        account_id: Set(account),
        code_hash: Set(secrets::digest_code(&code)),
        issued_by: Set(issued_by),
        created_at: Set(now),
        expires_at: Set(expires_at),
        used_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(ActivationCodeView { code, expires_at })
}

/// Inserts an account without a password.
pub async fn insert_account(
    db: &impl ConnectionTrait,
    employee: Uuid,
    login: &LoginName,
    locale: Locale,
) -> ApiResult<account::Model> {
    account::ActiveModel {
        id: Set(Uuid::now_v7()),
        employee_id: Set(employee),
        login: Set(login.as_str().to_owned()),
        password_hash: Set(None),
        locale: Set(locale.tag().to_owned()),
        disabled_at: Set(None),
        last_login_at: Set(None),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await
    .map_err(|err| {
        if is_unique_violation(&err) {
            ApiError::new(
                ErrorCode::LoginTaken,
                "the login is taken or the employee already has an account",
            )
        } else {
            err.into()
        }
    })
}

#[utoipa::path(post, path = "/api/v1/admin/accounts", tag = "admin", request_body = CreateAccount,
    responses((status = 201, body = CreatedAccount)), security(("bearer" = [])))]
pub(crate) async fn create(
    state: web::Data<AppState>,
    actor: Actor,
    body: web::Json<CreateAccount>,
) -> ApiResult<HttpResponse> {
    let scope = actor.scope(&state, Permission::ManageAccounts).await?;
    let record = scope.employee(&state.db, body.employee_id).await?;
    let login = LoginName::parse(&body.login)?;
    let locale = match &body.locale {
        Some(tag) => tag.parse::<Locale>()?,
        None => Locale::default(),
    };
    let txn = state.db.begin().await?;
    let account = insert_account(&txn, record.employee.id, &login, locale).await?;
    let ttl = state.settings.activation_code_ttl_hours;
    let code = new_activation_code(&txn, account.id, Some(actor.account.as_uuid()), ttl).await?;
    let opened = AccountOpened {
        employee: EmployeeId::from_uuid(record.employee.id),
        account: AccountId::from_uuid(account.id),
    };
    let publication = state.features.account_opened(&txn, opened).await?;
    commit_and_poke(&state, txn, publication).await?;
    Ok(HttpResponse::Created().json(CreatedAccount {
        account: (&account).into(),
        activation_code: code,
    }))
}

#[utoipa::path(get, path = "/api/v1/admin/accounts/{id}", tag = "admin",
    responses((status = 200, body = AccountView)), security(("bearer" = [])))]
pub(crate) async fn get(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let scope = actor.scope(&state, Permission::ViewEmployees).await?;
    let (account, _) = scope.account(&state.db, *id).await?;
    Ok(HttpResponse::Ok().json(AccountView::from(&account)))
}

#[utoipa::path(post, path = "/api/v1/admin/accounts/{id}/activation-code", tag = "admin",
    responses((status = 201, body = ActivationCodeView)), security(("bearer" = [])))]
pub(crate) async fn issue_code(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let scope = actor.scope(&state, Permission::ManageAccounts).await?;
    let (account, _) = scope.account(&state.db, *id).await?;
    let ttl = state.settings.activation_code_ttl_hours;
    let txn = state.db.begin().await?;
    let code = new_activation_code(&txn, account.id, Some(actor.account.as_uuid()), ttl).await?;
    txn.commit().await?;
    Ok(HttpResponse::Created().json(code))
}

#[utoipa::path(post, path = "/api/v1/admin/accounts/{id}/disable", tag = "admin",
    responses((status = 200, body = AccountView)), security(("bearer" = [])))]
pub(crate) async fn disable(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let scope = actor.scope(&state, Permission::ManageAccounts).await?;
    let (account, _) = scope.account(&state.db, *id).await?;
    if account.id == actor.account.as_uuid() {
        return Err(keepers::own_account());
    }
    let account_id = AccountId::from_uuid(account.id);
    let turn = state.write_turn().await;
    let txn = state.db.begin().await?;
    keepers::may_disable(&txn, account.id).await?;
    let mut model: account::ActiveModel = account.into();
    model.disabled_at = Set(Some(Utc::now()));
    let account = model.update(&txn).await?;
    txn.commit().await?;
    drop(turn);
    sessions::revoke_all(&state, account_id, "account_disabled").await?;
    Ok(HttpResponse::Ok().json(AccountView::from(&account)))
}
