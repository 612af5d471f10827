//! Correction requests carried by intents: the servant submits, withdraws and answers; HR
//! officers in scope claim, ask, approve, reject and rebase. Each step is decided by the
//! domain's state machine and written with a conditional update, so when two officers decide
//! at once the first valid decision wins and the other is told why.

mod effect;
mod steps;
mod submit;

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use serde_json::Value;
use uuid::Uuid;
use xodim_domain::records::{
    CorrectionRequest, RecordData, RequestAddress, RequestState, Section, rebase,
};
use xodim_domain::sync::Intent;
use xodim_domain::{DomainError, ErrorCode};

use super::items;
use crate::db::entities::{correction_request, employee, person, request_evidence};
use crate::sync::engine::Decision;

pub use steps::apply_step;
pub use submit::submit;

fn corrupt(err: impl std::fmt::Display) -> DbErr {
    DbErr::Custom(format!("stored request is unreadable: {err}"))
}

/// The request an intent addresses (its aggregate, a [`RequestAddress`]) and its arguments; a
/// rejection when either is malformed.
fn addressed<A: serde::de::DeserializeOwned>(
    intent: &Intent,
) -> Result<(RequestAddress, A), Decision> {
    let address: RequestAddress = intent.aggregate.parse().map_err(Decision::rejected)?;
    let args = serde_json::from_value(intent.args.clone()).map_err(|err| {
        Decision::rejected(DomainError::new(ErrorCode::InvalidIntent, err.to_string()))
    })?;
    Ok((address, args))
}

/// The employee's full name in Latin script.
async fn name_of(db: &impl ConnectionTrait, employee_id: Uuid) -> Result<String, DbErr> {
    let found = employee::Entity::find_by_id(employee_id)
        .find_also_related(person::Entity)
        .one(db)
        .await?;
    Ok(found
        .and_then(|(_, person)| person)
        .map(|p| p.full_name_latn())
        .unwrap_or_default())
}

/// A stored request as its requester and reviewers see it: the base, current and proposed
/// contents side by side.
pub async fn view(
    db: &impl ConnectionTrait,
    row: &correction_request::Model,
) -> Result<CorrectionRequest, DbErr> {
    let section: Section = row.section.parse().map_err(corrupt)?;
    let proposed = match &row.proposed {
        Some(text) => {
            let fields: Value = serde_json::from_str(text).map_err(corrupt)?;
            Some(RecordData::parse(section, &fields).map_err(corrupt)?)
        }
        None => None,
    };
    let (base, current) = side_by_side(db, row).await?;
    let state: RequestState = row.state.parse().map_err(corrupt)?;
    let mut conflicts = stored_conflicts(row)?;
    if let (false, Some(base), Some(current), Some(proposed)) =
        (state.is_final(), &base, &current, &proposed)
    {
        conflicts.extend(rebase(base, proposed, current).conflicts);
    }
    let evidence = request_evidence::Entity::find()
        .filter(request_evidence::Column::RequestId.eq(row.id))
        .all(db)
        .await?
        .into_iter()
        .map(|e| e.hash)
        .collect();
    Ok(CorrectionRequest {
        id: row.id,
        employee_id: row.employee_id,
        employee_name: name_of(db, row.employee_id).await?,
        section,
        op: row.op.parse().map_err(corrupt)?,
        record_id: row.record_id,
        base_version: row.base_version,
        base,
        current,
        proposed,
        conflicts: conflicts.into_iter().collect(),
        reason: row.reason.clone(),
        evidence,
        state,
        reviewer: row.reviewer_account_id,
        note: row.note.clone(),
        answer: row.answer.clone(),
        version: row.version,
        submitted_at: row.submitted_at,
        decided_at: row.decided_at,
    })
}

/// The fields a rebase left in conflict, as stored with the request.
pub(super) fn stored_conflicts(
    row: &correction_request::Model,
) -> Result<std::collections::BTreeSet<String>, DbErr> {
    match &row.conflicts {
        Some(text) => serde_json::from_str(text).map_err(corrupt),
        None => Ok(std::collections::BTreeSet::new()),
    }
}

/// The item at the request's base version and, when it has moved on, as it is now.
async fn side_by_side(
    db: &impl ConnectionTrait,
    row: &correction_request::Model,
) -> Result<(Option<RecordData>, Option<RecordData>), DbErr> {
    let (Some(record), Some(base_version)) = (row.record_id, row.base_version) else {
        return Ok((None, None));
    };
    let section: Section = row.section.parse().map_err(corrupt)?;
    let base = items::at_version(db, record, base_version, section).await?;
    let current = match items::find(db, record).await? {
        Some(now) if now.version != base_version => Some(items::data_of(&now)?),
        _ => None,
    };
    Ok((base, current))
}
