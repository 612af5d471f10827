//! What an approval does to the file: the proposed item is added, changed or deleted in the
//! same transaction as the decision, or the request goes to conflict when the item moved.

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::Value;
use uuid::Uuid;
use xodim_domain::records::{
    CorrectionOp, RecordData, RecordSource, RequestState, Section, rebase,
};
use xodim_domain::sync::Intent;

use crate::auth::Actor;
use crate::db::entities::correction_request;
use crate::error::{ApiError, ApiResult};
use crate::records::items::{self, Author};
use crate::sync::log::Entry;

/// The change-log entries of what a step did to the file.
pub struct Effect {
    pub entries: Vec<Entry>,
}

impl Effect {
    /// A step that leaves the file alone.
    pub fn none() -> Self {
        Self {
            entries: Vec::new(),
        }
    }
}

/// Whether the item is still at the version the request is based on (always, for an addition).
pub async fn base_is_current(
    db: &impl ConnectionTrait,
    row: &correction_request::Model,
) -> ApiResult<bool> {
    let (Some(record), Some(base)) = (row.record_id, row.base_version) else {
        return Ok(row.op == CorrectionOp::Add.as_str());
    };
    Ok(items::find(db, record)
        .await?
        .is_some_and(|now| now.version == base))
}

/// Carries out an approval (state `applied`) or a rebase (state `in_review` after conflict).
pub async fn carry_out(
    txn: &impl ConnectionTrait,
    row: &correction_request::Model,
    state: RequestState,
    actor: &Actor,
    intent: &Intent,
) -> ApiResult<Effect> {
    match state {
        RequestState::Applied => {
            let author = Author {
                account: Some(actor.account.as_uuid()),
                session: Some(actor.session.as_uuid()),
                on_behalf_of: Some(row.requester_account_id),
                intent: Some(intent.id),
                client_time: intent.client_time,
            };
            match change_file(txn, row, &author).await? {
                Some(effect) => Ok(effect),
                None => {
                    undo_approval(txn, row).await?;
                    Ok(Effect::none())
                }
            }
        }
        RequestState::InReview => {
            rebase_onto_current(txn, row).await?;
            Ok(Effect::none())
        }
        _ => Ok(Effect::none()),
    }
}

/// The item moved between the check and the write: the request goes to conflict as it would
/// have had the move come first, undecided and with the note it had before.
async fn undo_approval(
    txn: &impl ConnectionTrait,
    row: &correction_request::Model,
) -> ApiResult<()> {
    correction_request::Entity::update_many()
        .col_expr(
            correction_request::Column::State,
            Expr::value(RequestState::Conflict.as_str()),
        )
        .col_expr(
            correction_request::Column::DecidedAt,
            Expr::value(None::<chrono::DateTime<chrono::Utc>>),
        )
        .col_expr(
            correction_request::Column::Note,
            Expr::value(row.note.clone()),
        )
        .filter(correction_request::Column::Id.eq(row.id))
        .exec(txn)
        .await?;
    Ok(())
}

/// Takes the item as it is now as the request's base and carries onto it only the fields the
/// servant changed; fields HR changed too stay named as conflicts.
async fn rebase_onto_current(
    txn: &impl ConnectionTrait,
    row: &correction_request::Model,
) -> ApiResult<()> {
    let Some(id) = row.record_id else {
        return Ok(());
    };
    let Some(now) = items::find(txn, id).await? else {
        return Ok(());
    };
    let mut update = correction_request::Entity::update_many().col_expr(
        correction_request::Column::BaseVersion,
        Expr::value(now.version),
    );
    if let (Some(proposed), Some(base_version)) = (proposed(row)?, row.base_version) {
        let section = proposed.section();
        if let Some(base) = items::at_version(txn, now.id, base_version, section).await? {
            let rebased = rebase(&base, &proposed, &items::data_of(&now)?);
            let mut conflicts = super::stored_conflicts(row)?;
            conflicts.extend(rebased.conflicts);
            let conflicts = (!conflicts.is_empty())
                .then(|| serde_json::to_string(&conflicts))
                .transpose()
                .map_err(ApiError::internal)?;
            update = update
                .col_expr(
                    correction_request::Column::Proposed,
                    Expr::value(rebased.proposed.fields_json().to_string()),
                )
                .col_expr(
                    correction_request::Column::Conflicts,
                    Expr::value(conflicts),
                );
        }
    }
    update
        .filter(correction_request::Column::Id.eq(row.id))
        .exec(txn)
        .await?;
    Ok(())
}

async fn set(
    txn: &impl ConnectionTrait,
    id: Uuid,
    column: correction_request::Column,
    value: impl Into<sea_orm::Value>,
) -> ApiResult<()> {
    correction_request::Entity::update_many()
        .col_expr(column, Expr::value(value))
        .filter(correction_request::Column::Id.eq(id))
        .exec(txn)
        .await?;
    Ok(())
}

fn proposed(row: &correction_request::Model) -> ApiResult<Option<RecordData>> {
    let Some(text) = &row.proposed else {
        return Ok(None);
    };
    let section: Section = row.section.parse()?;
    let fields: Value = serde_json::from_str(text).map_err(ApiError::internal)?;
    Ok(Some(RecordData::parse(section, &fields)?))
}

/// Adds, changes or deletes the item; `None` when the item changed underneath.
async fn change_file(
    txn: &impl ConnectionTrait,
    row: &correction_request::Model,
    author: &Author,
) -> ApiResult<Option<Effect>> {
    let op: CorrectionOp = row.op.parse()?;
    let data = proposed(row)?;
    let current = match row.record_id {
        Some(id) => items::find(txn, id).await?,
        None => None,
    };
    let entries = match (op, data, current) {
        (CorrectionOp::Add, Some(data), _) => {
            let id = Uuid::now_v7();
            let (_, entries) = items::create(
                txn,
                row.employee_id,
                id,
                &data,
                RecordSource::SelfRequest,
                author,
            )
            .await?;
            set(txn, row.id, correction_request::Column::RecordId, id).await?;
            Some(entries)
        }
        (CorrectionOp::Edit, Some(data), Some(now)) if Some(now.version) == row.base_version => {
            items::update(txn, &now, &data, RecordSource::SelfRequest, author)
                .await?
                .map(|(_, entries)| entries)
        }
        (CorrectionOp::Delete, _, Some(now)) if Some(now.version) == row.base_version => {
            items::delete(txn, &now, author).await?
        }
        _ => None,
    };
    Ok(entries.map(|entries| Effect { entries }))
}
