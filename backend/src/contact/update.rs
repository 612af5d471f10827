//! The `contact.update` intent: a servant changes their own contact details, guarded by the
//! version they saw. Every applied change is an audit event, like every change to a person's
//! data.

use chrono::Utc;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Deserialize;
use xodim_domain::contact::{
    CONTACT_UPDATE, ContactAddress, ContactDecision, ContactDetails, ContactRecord,
    decide_contact_update,
};
use xodim_domain::sync::Intent;
use xodim_domain::{AccountId, DomainError, ErrorCode};

use super::publish::contact_entry;
use crate::audit::{self, AuditEvent};
use crate::auth::Actor;
use crate::db::entities::{account, contact};
use crate::error::ApiResult;
use crate::org::publish::card_entry;
use crate::sync::engine::Decision;

#[derive(Deserialize)]
struct Args {
    phone: Option<String>,
    email: Option<String>,
    address: Option<String>,
}

/// The record as stored, version 0 when the servant never gave any.
pub async fn current(db: &impl ConnectionTrait, account: AccountId) -> ApiResult<ContactRecord> {
    let row = contact::Entity::find_by_id(account.as_uuid())
        .one(db)
        .await?;
    Ok(match row {
        Some(row) => ContactRecord {
            details: ContactDetails::parse(
                row.phone.as_deref(),
                row.email.as_deref(),
                row.address.as_deref(),
            )
            .unwrap_or_default(),
            version: row.version,
        },
        None => ContactRecord {
            details: ContactDetails::default(),
            version: 0,
        },
    })
}

/// Decides and, when it applies, writes the change and its log entries.
pub async fn apply(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    intent: &Intent,
) -> ApiResult<Decision> {
    let account = actor.account;
    if intent.aggregate != ContactAddress(account).to_string() {
        return Ok(Decision::rejected(DomainError::new(
            ErrorCode::Forbidden,
            "only your own contact details",
        )));
    }
    let Some(expectation) = intent.expectation else {
        return Ok(Decision::rejected(DomainError::new(
            ErrorCode::InvalidIntent,
            "expectation.version is required",
        )));
    };
    let args: Args = match serde_json::from_value(intent.args.clone()) {
        Ok(args) => args,
        Err(err) => {
            return Ok(Decision::rejected(DomainError::new(
                ErrorCode::InvalidIntent,
                err.to_string(),
            )));
        }
    };
    let details = match ContactDetails::parse(
        args.phone.as_deref(),
        args.email.as_deref(),
        args.address.as_deref(),
    ) {
        Ok(details) => details,
        Err(err) => return Ok(Decision::rejected(err)),
    };
    let now_record = current(txn, account).await?;
    let new_version = match decide_contact_update(now_record.version, expectation.version) {
        ContactDecision::Conflict => {
            return Ok(Decision::conflict(serde_json::to_value(&now_record).ok()));
        }
        ContactDecision::Apply { new_version } => new_version,
    };
    if !store(txn, account, &details, now_record.version, new_version).await? {
        let latest = current(txn, account).await?;
        return Ok(Decision::conflict(serde_json::to_value(&latest).ok()));
    }
    let record = ContactRecord {
        details,
        version: new_version,
    };
    remember(txn, actor, intent, &now_record, &record).await?;
    let mut entries = vec![contact_entry(account, &record)?];
    if let Some(owner) = account::Entity::find_by_id(account.as_uuid())
        .one(txn)
        .await?
    {
        entries.extend(card_entry(txn, owner.employee_id).await?);
    }
    Ok(Decision::applied(entries))
}

/// The change in the audit trail: who, from which device, the details before and after.
async fn remember(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    intent: &Intent,
    before: &ContactRecord,
    after: &ContactRecord,
) -> ApiResult<()> {
    audit::append(
        txn,
        AuditEvent {
            actor: Some(actor.account.as_uuid()),
            on_behalf_of: None,
            device: Some(actor.session.as_uuid()),
            action: CONTACT_UPDATE,
            entity: "contact",
            entity_id: actor.account.as_uuid(),
            before: (before.version > 0)
                .then(|| serde_json::to_value(before).ok())
                .flatten(),
            after: serde_json::to_value(after).ok(),
            intent_id: Some(intent.id),
            client_time: intent.client_time,
        },
    )
    .await?;
    Ok(())
}

/// Writes the details if the row is still at `seen` (0: absent); false when another writer got
/// there first, which the caller reports as a conflict.
async fn store(
    txn: &impl ConnectionTrait,
    account: AccountId,
    details: &ContactDetails,
    seen: i64,
    version: i64,
) -> ApiResult<bool> {
    let phone = details.phone.as_ref().map(|p| p.as_str().to_owned());
    let email = details.email.as_ref().map(|e| e.as_str().to_owned());
    if seen == 0 {
        // DO NOTHING rather than catching the violation: on PostgreSQL a failed statement would
        // abort the whole transaction.
        let model = contact::ActiveModel {
            account_id: Set(account.as_uuid()),
            phone: Set(phone),
            email: Set(email),
            address: Set(details.address.clone()),
            version: Set(version),
            updated_at: Set(Utc::now()),
        };
        let inserted = contact::Entity::insert(model)
            .on_conflict(
                OnConflict::column(contact::Column::AccountId)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
        return Ok(inserted == 1);
    }
    let updated = contact::Entity::update_many()
        .col_expr(contact::Column::Phone, Expr::value(phone))
        .col_expr(contact::Column::Email, Expr::value(email))
        .col_expr(
            contact::Column::Address,
            Expr::value(details.address.clone()),
        )
        .col_expr(contact::Column::Version, Expr::value(version))
        .col_expr(contact::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(contact::Column::AccountId.eq(account.as_uuid()))
        .filter(contact::Column::Version.eq(seen))
        .exec(txn)
        .await?;
    Ok(updated.rows_affected == 1)
}
