//! What records, requests and inbox entries write into the change log.
//!
//! Items and the inbox go to the servant's own scope (if the employee has an account). A
//! request goes there too, and to the `hr` scope of the servant's unit while it waits for a
//! decision; once decided it leaves the HR officers' phones.

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use serde::Serialize;
use uuid::Uuid;
use xodim_domain::records::{CorrectionRequest, RecordItem, RequestState};
use xodim_domain::sync::{EntityKind, Scope};
use xodim_domain::{AccountId, UnitId};

use super::items;
use crate::db::entities::{account, correction_request, employee, position};
use crate::sync::log::Entry;

fn json<T: Serialize>(value: &T) -> Result<serde_json::Value, DbErr> {
    serde_json::to_value(value).map_err(|e| DbErr::Custom(e.to_string()))
}

/// The own scope of the employee's account, if the employee has one.
pub async fn own_scope(db: &impl ConnectionTrait, employee: Uuid) -> Result<Option<Scope>, DbErr> {
    Ok(account::Entity::find()
        .filter(account::Column::EmployeeId.eq(employee))
        .one(db)
        .await?
        .map(|a| Scope::Own(AccountId::from_uuid(a.id))))
}

/// The unit whose HR officers review the employee's requests: the unit of their post.
pub async fn hr_scope(db: &impl ConnectionTrait, employee: Uuid) -> Result<Option<Scope>, DbErr> {
    let Some(employee) = employee::Entity::find_by_id(employee).one(db).await? else {
        return Ok(None);
    };
    Ok(position::Entity::find_by_id(employee.position_id)
        .one(db)
        .await?
        .map(|p| Scope::Hr(UnitId::from_uuid(p.unit_id))))
}

/// The item in its owner's scope.
pub async fn record_entries(
    db: &impl ConnectionTrait,
    item: &RecordItem,
) -> Result<Vec<Entry>, DbErr> {
    let Some(scope) = own_scope(db, item.employee_id).await? else {
        return Ok(Vec::new());
    };
    Ok(vec![Entry {
        scope,
        kind: EntityKind::Record,
        id: item.id,
        data: Some(json(item)?),
    }])
}

/// The removal of a deleted item from its owner's phone.
pub async fn record_removal(
    db: &impl ConnectionTrait,
    employee: Uuid,
    id: Uuid,
) -> Result<Vec<Entry>, DbErr> {
    Ok(own_scope(db, employee)
        .await?
        .map(|scope| Entry {
            scope,
            kind: EntityKind::Record,
            id,
            data: None,
        })
        .into_iter()
        .collect())
}

/// Every live item of an employee into the scope of the account that has just been opened.
pub async fn all_records(
    db: &impl ConnectionTrait,
    employee: Uuid,
    account: AccountId,
) -> Result<Vec<Entry>, DbErr> {
    let mut entries = Vec::new();
    for row in items::of_employee(db, employee).await? {
        entries.push(Entry {
            scope: Scope::Own(account),
            kind: EntityKind::Record,
            id: row.id,
            data: Some(json(&items::item_of(&row)?)?),
        });
    }
    Ok(entries)
}

/// The request for its requester and, while undecided, for the HR officers of the unit.
pub async fn request_entries(
    db: &impl ConnectionTrait,
    request: &CorrectionRequest,
    requester: Uuid,
) -> Result<Vec<Entry>, DbErr> {
    let data = json(request)?;
    let mut entries = vec![Entry {
        scope: Scope::Own(AccountId::from_uuid(requester)),
        kind: EntityKind::CorrectionRequest,
        id: request.id,
        data: Some(data.clone()),
    }];
    if let Some(scope) = hr_scope(db, request.employee_id).await? {
        entries.push(Entry {
            scope,
            kind: EntityKind::CorrectionRequest,
            id: request.id,
            data: (!request.state.is_final()).then_some(data),
        });
    }
    Ok(entries)
}

/// The undecided requests about an item, again, after the item changed: the HR officers' and
/// the servant's copies show the item as it is now.
pub async fn requests_about(db: &impl ConnectionTrait, record: Uuid) -> Result<Vec<Entry>, DbErr> {
    let rows = undecided()
        .filter(correction_request::Column::RecordId.eq(record))
        .all(db)
        .await?;
    let mut entries = Vec::new();
    for row in rows {
        let request = super::requests::view(db, &row).await?;
        entries.extend(request_entries(db, &request, row.requester_account_id).await?);
    }
    Ok(entries)
}

fn undecided() -> sea_orm::Select<correction_request::Entity> {
    let open = RequestState::ALL
        .iter()
        .filter(|s| !s.is_final())
        .map(|s| s.as_str());
    correction_request::Entity::find().filter(correction_request::Column::State.is_in(open))
}

/// After a transfer: the employee's undecided requests leave the old unit's HR scope and
/// appear in the new one.
pub async fn requests_moved(
    db: &impl ConnectionTrait,
    employee: Uuid,
    old_unit: Uuid,
) -> Result<Vec<Entry>, DbErr> {
    let rows = undecided()
        .filter(correction_request::Column::EmployeeId.eq(employee))
        .all(db)
        .await?;
    let mut entries = Vec::new();
    for row in rows {
        entries.push(Entry {
            scope: Scope::Hr(UnitId::from_uuid(old_unit)),
            kind: EntityKind::CorrectionRequest,
            id: row.id,
            data: None,
        });
        let request = super::requests::view(db, &row).await?;
        entries.extend(request_entries(db, &request, row.requester_account_id).await?);
    }
    Ok(entries)
}
