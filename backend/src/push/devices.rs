//! `PUT`/`DELETE /api/v1/devices/current/push-token`: the push token of the caller's device
//! session. A session holds at most one token and a token belongs to one session: a token
//! registered again by a new session (a reinstalled app) moves to it.

use actix_web::{HttpResponse, web};
use chrono::Utc;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};
use serde::Deserialize;
use utoipa::ToSchema;
use xodim_domain::notify::{PushPlatform, PushToken};

use super::outbox::forget_sessions;
use crate::auth::Actor;
use crate::db::entities::push_token;
use crate::error::ApiResult;
use crate::state::AppState;

/// The token the push service gave the app.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PushTokenBody {
    /// The FCM registration token, at most 4096 characters.
    pub token: String,
    /// `android` or `ios`.
    #[schema(value_type = String)]
    pub platform: PushPlatform,
}

#[utoipa::path(put, path = "/api/v1/devices/current/push-token", tag = "devices",
    request_body = PushTokenBody,
    responses((status = 204, description = "registered"), (status = 400, description = "invalid token")),
    security(("bearer" = [])))]
pub(crate) async fn put_token(
    state: web::Data<AppState>,
    actor: Actor,
    body: web::Json<PushTokenBody>,
) -> ApiResult<HttpResponse> {
    let token = PushToken::parse(&body.token)?;
    let _turn = state.write_turn().await;
    let txn = state.db.begin().await?;
    // The same token held by another session: the app was reinstalled or signed in anew.
    push_token::Entity::delete_many()
        .filter(push_token::Column::Token.eq(token.as_str()))
        .filter(push_token::Column::SessionId.ne(actor.session.as_uuid()))
        .exec(&txn)
        .await?;
    let row = push_token::ActiveModel {
        session_id: Set(actor.session.as_uuid()),
        account_id: Set(actor.account.as_uuid()),
        token: Set(token.as_str().to_owned()),
        platform: Set(body.platform.as_str().to_owned()),
        updated_at: Set(Utc::now()),
    };
    push_token::Entity::insert(row)
        .on_conflict(
            OnConflict::column(push_token::Column::SessionId)
                .update_columns([
                    push_token::Column::Token,
                    push_token::Column::Platform,
                    push_token::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(delete, path = "/api/v1/devices/current/push-token", tag = "devices",
    responses((status = 204, description = "removed, or there was none")),
    security(("bearer" = [])))]
pub(crate) async fn delete_token(
    state: web::Data<AppState>,
    actor: Actor,
) -> ApiResult<HttpResponse> {
    let _turn = state.write_turn().await;
    let txn = state.db.begin().await?;
    forget_sessions(&txn, &[actor.session.as_uuid()]).await?;
    txn.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}
