//! What changes to the organisation write into the change log: the units of the catalogue in
//! their organisation's scope and the employee cards in their unit's scope.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;
use xodim_domain::sync::{EmployeeCard, EntityKind, Scope, UnitRecord};
use xodim_domain::{OrgId, UnitId};

use crate::db::entities::{account, contact, employee, org_unit, person, position};
use crate::sync::engine::Publication;
use crate::sync::log::Entry;

fn json<T: serde::Serialize>(value: &T) -> Result<serde_json::Value, DbErr> {
    serde_json::to_value(value).map_err(|e| DbErr::Custom(e.to_string()))
}

/// The card of an employee and the unit it belongs to.
pub async fn card(
    db: &impl ConnectionTrait,
    employee_id: Uuid,
) -> Result<Option<(Uuid, EmployeeCard)>, DbErr> {
    let Some(employee) = employee::Entity::find_by_id(employee_id).one(db).await? else {
        return Ok(None);
    };
    let person = person::Entity::find_by_id(employee.person_id)
        .one(db)
        .await?;
    let post = position::Entity::find_by_id(employee.position_id)
        .one(db)
        .await?;
    let (Some(person), Some(post)) = (person, post) else {
        return Ok(None);
    };
    let account = account::Entity::find()
        .filter(account::Column::EmployeeId.eq(employee.id))
        .one(db)
        .await?;
    let contact = match &account {
        Some(a) => contact::Entity::find_by_id(a.id).one(db).await?,
        None => None,
    };
    let card = EmployeeCard {
        employee_id: employee.id,
        full_name_latn: person.full_name_latn(),
        full_name_cyrl: person.full_name_cyrl(),
        post: post.title_uz_latn,
        unit_id: post.unit_id,
        phone: contact.as_ref().and_then(|c| c.phone.clone()),
        email: contact.and_then(|c| c.email),
    };
    Ok(Some((post.unit_id, card)))
}

/// The card entry of an employee in their unit's scope.
pub async fn card_entry(
    db: &impl ConnectionTrait,
    employee_id: Uuid,
) -> Result<Option<Entry>, DbErr> {
    Ok(match card(db, employee_id).await? {
        Some((unit, card)) => Some(Entry {
            scope: Scope::Unit(UnitId::from_uuid(unit)),
            kind: EntityKind::EmployeeCard,
            id: employee_id,
            data: Some(json(&card)?),
        }),
        None => None,
    })
}

/// The removal of an employee's card from a unit they left.
pub fn card_removal(unit: Uuid, employee_id: Uuid) -> Entry {
    Entry {
        scope: Scope::Unit(UnitId::from_uuid(unit)),
        kind: EntityKind::EmployeeCard,
        id: employee_id,
        data: None,
    }
}

/// A unit of the catalogue in its organisation's scope.
pub fn unit_entry(unit: &org_unit::Model) -> Result<Entry, DbErr> {
    let record = UnitRecord {
        unit_id: unit.id,
        parent_id: unit.parent_id,
        code: unit.code.clone(),
        name: unit.name_uz_latn.clone(),
    };
    Ok(Entry {
        scope: Scope::Org(OrgId::from_uuid(unit.org_id)),
        kind: EntityKind::Unit,
        id: unit.id,
        data: Some(json(&record)?),
    })
}

/// The cards of these employees, after they were hired.
pub async fn cards(txn: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Publication, DbErr> {
    let mut entries = Vec::with_capacity(ids.len());
    for id in ids {
        entries.extend(card_entry(txn, *id).await?);
    }
    Ok(entries.into())
}

/// Every unit and every employee card: for a database filled outside the API (the demo, a
/// first administrator).
pub async fn catalogue(txn: &impl ConnectionTrait) -> Result<Publication, DbErr> {
    let mut entries = Vec::new();
    for unit in org_unit::Entity::find().all(txn).await? {
        entries.push(unit_entry(&unit)?);
    }
    let posts: HashMap<Uuid, position::Model> = position::Entity::find()
        .all(txn)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    for employee in employee::Entity::find().all(txn).await? {
        if posts.contains_key(&employee.position_id) {
            entries.extend(card_entry(txn, employee.id).await?);
        }
    }
    Ok(entries.into())
}

/// Writes [`cards`] in the caller's transaction, which the caller commits: for seeding.
pub async fn employees(
    txn: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<Vec<(Scope, i64)>, DbErr> {
    Ok(cards(txn, ids).await?.write(txn).await?.into_heads())
}

/// Writes [`catalogue`] in the caller's transaction, which the caller commits: for seeding.
pub async fn everything(txn: &impl ConnectionTrait) -> Result<Vec<(Scope, i64)>, DbErr> {
    Ok(catalogue(txn).await?.write(txn).await?.into_heads())
}
