//! Writing record items: every change keeps its version in the history, leaves an audit event
//! and reaches the servant's phone through the change log, all in the caller's transaction. A
//! change also republishes the open requests about the item, which show it as it is now.

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};
use serde_json::Value;
use uuid::Uuid;
use xodim_domain::records::{RecordData, RecordItem, RecordSource, Section};

use super::publish;
use crate::audit::{self, AuditEvent};
use crate::db::entities::{record, record_version};
use crate::sync::log::Entry;

/// Who makes a change, for the history and the audit trail.
#[derive(Debug, Clone, Copy, Default)]
pub struct Author {
    /// The account acting.
    pub account: Option<Uuid>,
    /// Its device session.
    pub session: Option<Uuid>,
    /// The account on whose behalf (the servant whose request is applied).
    pub on_behalf_of: Option<Uuid>,
    /// The intent that carried the change.
    pub intent: Option<Uuid>,
    /// When the person acted, by their device's clock.
    pub client_time: Option<DateTime<Utc>>,
}

fn corrupt(err: impl std::fmt::Display) -> DbErr {
    DbErr::Custom(format!("stored record is unreadable: {err}"))
}

/// The contents of a stored row.
pub fn data_of(row: &record::Model) -> Result<RecordData, DbErr> {
    let section: Section = row.section.parse().map_err(corrupt)?;
    let fields: Value = serde_json::from_str(&row.data).map_err(corrupt)?;
    RecordData::parse(section, &fields).map_err(corrupt)
}

/// A stored row as clients see it.
pub fn item_of(row: &record::Model) -> Result<RecordItem, DbErr> {
    Ok(RecordItem {
        id: row.id,
        employee_id: row.employee_id,
        version: row.version,
        source: row.source.parse().map_err(corrupt)?,
        verified_by: row.verified_by,
        verified_at: row.verified_at,
        data: data_of(row)?,
    })
}

/// A live (not deleted) item.
pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<record::Model>, DbErr> {
    record::Entity::find_by_id(id)
        .filter(record::Column::DeletedAt.is_null())
        .one(db)
        .await
}

/// Every live item of an employee, by section then id.
pub async fn of_employee(
    db: &impl ConnectionTrait,
    employee: Uuid,
) -> Result<Vec<record::Model>, DbErr> {
    record::Entity::find()
        .filter(record::Column::EmployeeId.eq(employee))
        .filter(record::Column::DeletedAt.is_null())
        .order_by_asc(record::Column::Section)
        .order_by_asc(record::Column::Id)
        .all(db)
        .await
}

/// The contents of an item of `section` at one of its past versions (none for a deletion).
pub async fn at_version(
    db: &impl ConnectionTrait,
    id: Uuid,
    version: i64,
    section: Section,
) -> Result<Option<RecordData>, DbErr> {
    let past = record_version::Entity::find_by_id((id, version))
        .one(db)
        .await?;
    let Some(data) = past.and_then(|row| row.data) else {
        return Ok(None);
    };
    let fields: Value = serde_json::from_str(&data).map_err(corrupt)?;
    RecordData::parse(section, &fields)
        .map(Some)
        .map_err(corrupt)
}

fn text_of(data: &RecordData) -> String {
    data.fields_json().to_string()
}

fn verified(source: RecordSource, author: &Author) -> (Option<Uuid>, Option<DateTime<Utc>>) {
    match source {
        RecordSource::Integration => (None, None),
        RecordSource::Hr | RecordSource::SelfRequest => (author.account, Some(now())),
    }
}

/// Adds an item; returns it and its change-log entries.
pub async fn create(
    txn: &impl ConnectionTrait,
    employee: Uuid,
    id: Uuid,
    data: &RecordData,
    source: RecordSource,
    author: &Author,
) -> Result<(RecordItem, Vec<Entry>), DbErr> {
    let (verified_by, verified_at) = verified(source, author);
    let row = record::ActiveModel {
        id: Set(id),
        employee_id: Set(employee),
        section: Set(data.section().as_str().to_owned()),
        data: Set(text_of(data)),
        version: Set(1),
        source: Set(source.as_str().to_owned()),
        verified_by: Set(verified_by),
        verified_at: Set(verified_at),
        deleted_at: Set(None),
        updated_at: Set(now()),
    }
    .insert(txn)
    .await?;
    let item = item_of(&row)?;
    remember(txn, &row, author, "record.create", None).await?;
    let entries = publish::record_entries(txn, &item).await?;
    Ok((item, entries))
}

/// Changes an item that is still at `row.version`; `None` when another writer changed it
/// first, which the caller reports as a conflict.
pub async fn update(
    txn: &impl ConnectionTrait,
    row: &record::Model,
    data: &RecordData,
    source: RecordSource,
    author: &Author,
) -> Result<Option<(RecordItem, Vec<Entry>)>, DbErr> {
    let (verified_by, verified_at) = verified(source, author);
    let new = record::Model {
        data: text_of(data),
        version: row.version + 1,
        source: source.as_str().to_owned(),
        verified_by,
        verified_at,
        updated_at: now(),
        ..row.clone()
    };
    if !replace(txn, row, &new).await? {
        return Ok(None);
    }
    let item = item_of(&new)?;
    remember(txn, &new, author, "record.update", Some(row)).await?;
    let mut entries = publish::record_entries(txn, &item).await?;
    entries.extend(publish::requests_about(txn, row.id).await?);
    Ok(Some((item, entries)))
}

/// Deletes an item that is still at `row.version`; `None` when it changed first.
pub async fn delete(
    txn: &impl ConnectionTrait,
    row: &record::Model,
    author: &Author,
) -> Result<Option<Vec<Entry>>, DbErr> {
    let at = now();
    let gone = record::Model {
        version: row.version + 1,
        deleted_at: Some(at),
        updated_at: at,
        ..row.clone()
    };
    if !replace(txn, row, &gone).await? {
        return Ok(None);
    }
    remember(txn, &gone, author, "record.delete", Some(row)).await?;
    let mut entries = publish::record_removal(txn, row.employee_id, row.id).await?;
    entries.extend(publish::requests_about(txn, row.id).await?);
    Ok(Some(entries))
}

/// The time of a write, in the microseconds both databases keep.
fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// Writes `new` over a live item still at `old.version`; false when another writer got there
/// first.
async fn replace(
    txn: &impl ConnectionTrait,
    old: &record::Model,
    new: &record::Model,
) -> Result<bool, DbErr> {
    let done = record::Entity::update_many()
        .col_expr(record::Column::Data, Expr::value(new.data.clone()))
        .col_expr(record::Column::Version, Expr::value(new.version))
        .col_expr(record::Column::Source, Expr::value(new.source.clone()))
        .col_expr(record::Column::VerifiedBy, Expr::value(new.verified_by))
        .col_expr(record::Column::VerifiedAt, Expr::value(new.verified_at))
        .col_expr(record::Column::DeletedAt, Expr::value(new.deleted_at))
        .col_expr(record::Column::UpdatedAt, Expr::value(new.updated_at))
        .filter(record::Column::Id.eq(old.id))
        .filter(record::Column::Version.eq(old.version))
        .filter(record::Column::DeletedAt.is_null())
        .exec(txn)
        .await?;
    Ok(done.rows_affected == 1)
}

/// Keeps the new version in the history and the change in the audit trail.
async fn remember(
    txn: &impl ConnectionTrait,
    new: &record::Model,
    author: &Author,
    action: &str,
    old: Option<&record::Model>,
) -> Result<(), DbErr> {
    let deleted = new.deleted_at.is_some();
    record_version::ActiveModel {
        record_id: Set(new.id),
        version: Set(new.version),
        data: Set((!deleted).then(|| new.data.clone())),
        source: Set(new.source.clone()),
        changed_by: Set(author.account),
        changed_at: Set(new.updated_at),
    }
    .insert(txn)
    .await?;
    let snapshot = |row: &record::Model| {
        serde_json::json!({
            "employee_id": row.employee_id,
            "section": row.section,
            "version": row.version,
            "source": row.source,
            "fields": serde_json::from_str::<Value>(&row.data).unwrap_or(Value::Null),
        })
    };
    audit::append(
        txn,
        AuditEvent {
            actor: author.account,
            on_behalf_of: author.on_behalf_of,
            device: author.session,
            action,
            entity: "record",
            entity_id: new.id,
            before: old.map(snapshot),
            after: (!deleted).then(|| snapshot(new)),
            intent_id: author.intent,
            client_time: author.client_time,
        },
    )
    .await?;
    Ok(())
}
