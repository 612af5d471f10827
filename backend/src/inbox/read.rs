//! The `inbox.read` intent: the user marks one of their own entries read. Read wins: the first
//! read stands, a later one from another device is applied and changes nothing.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use xodim_domain::inbox::{InboxAddress, ReadDecision, decide_read};
use xodim_domain::records::InboxItem;
use xodim_domain::sync::Intent;
use xodim_domain::{DomainError, ErrorCode};

use crate::auth::Actor;
use crate::db::entities::inbox;
use crate::error::{ApiError, ApiResult};
use crate::sync::engine::Decision;
use crate::sync::log::Entry;

/// Decides the read and, when the entry was unread, writes it and republishes the entry.
pub async fn apply(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    intent: &Intent,
) -> ApiResult<Decision> {
    let address: InboxAddress = match intent.aggregate.parse() {
        Ok(address) => address,
        Err(err) => return Ok(Decision::rejected(err)),
    };
    // Another account's entry answers exactly like a missing one, so ids cannot be probed.
    let row = inbox::Entity::find_by_id(address.0)
        .filter(inbox::Column::AccountId.eq(actor.account.as_uuid()))
        .one(txn)
        .await?;
    let Some(row) = row else {
        return Ok(Decision::rejected(DomainError::new(
            ErrorCode::NotFound,
            "no such inbox entry",
        )));
    };
    let at = match decide_read(row.read_at, Utc::now()) {
        ReadDecision::AlreadyRead => return Ok(Decision::applied(Vec::<Entry>::new())),
        ReadDecision::MarkRead { at } => at,
    };
    if !mark(txn, &row, at).await? {
        // Another device's read committed first; it published the entry already.
        return Ok(Decision::applied(Vec::<Entry>::new()));
    }
    let mut item: InboxItem = serde_json::from_str(&row.data).map_err(ApiError::internal)?;
    item.read_at = Some(at);
    Ok(Decision::applied(vec![super::entry(actor.account, &item)?]))
}

/// Sets the read time if the entry is still unread; false when another read got there first.
async fn mark(
    txn: &impl ConnectionTrait,
    row: &inbox::Model,
    at: DateTime<Utc>,
) -> ApiResult<bool> {
    let updated = inbox::Entity::update_many()
        .col_expr(inbox::Column::ReadAt, Expr::value(Some(at)))
        .filter(inbox::Column::Id.eq(row.id))
        .filter(inbox::Column::ReadAt.is_null())
        .exec(txn)
        .await?;
    Ok(updated.rows_affected == 1)
}
