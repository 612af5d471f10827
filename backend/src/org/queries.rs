//! Lookups shared by the profile and the administration API.

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;
use xodim_domain::UnitPath;

use crate::db::entities::{employee, org_unit, person, position};
use crate::error::{ApiError, ApiResult};

/// The unit an employee's post belongs to; `None` for an unknown employee or post.
pub async fn unit_of_employee(
    db: &impl ConnectionTrait,
    employee: Uuid,
) -> Result<Option<org_unit::Model>, DbErr> {
    let Some(employee) = employee::Entity::find_by_id(employee).one(db).await? else {
        return Ok(None);
    };
    let found = position::Entity::find_by_id(employee.position_id)
        .find_also_related(org_unit::Entity)
        .one(db)
        .await?;
    Ok(found.and_then(|(_, unit)| unit))
}

/// A unit by id, or `not_found`.
pub async fn unit(db: &impl ConnectionTrait, id: Uuid) -> ApiResult<org_unit::Model> {
    org_unit::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("unit"))
}

/// The materialised path of a unit row.
pub fn path_of(unit: &org_unit::Model) -> ApiResult<UnitPath> {
    Ok(UnitPath::parse(&unit.path)?)
}

/// A post by id with its unit, or `not_found`.
pub async fn position_with_unit(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> ApiResult<(position::Model, org_unit::Model)> {
    let found = position::Entity::find_by_id(id)
        .find_also_related(org_unit::Entity)
        .one(db)
        .await?;
    match found {
        Some((position, Some(unit))) => Ok((position, unit)),
        _ => Err(ApiError::not_found("position")),
    }
}

/// An employee with the person, post and unit, or `not_found`.
pub struct EmployeeRecord {
    pub employee: employee::Model,
    pub person: person::Model,
    pub position: position::Model,
    pub unit: org_unit::Model,
}

/// Loads an employee and what the API shows with it.
pub async fn employee_record(db: &impl ConnectionTrait, id: Uuid) -> ApiResult<EmployeeRecord> {
    let employee = employee::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("employee"))?;
    let person = person::Entity::find_by_id(employee.person_id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("person"))?;
    let (position, unit) = position_with_unit(db, employee.position_id).await?;
    Ok(EmployeeRecord {
        employee,
        person,
        position,
        unit,
    })
}

/// The occupant of a post, if any.
pub async fn occupant(
    db: &impl ConnectionTrait,
    position: Uuid,
) -> ApiResult<Option<employee::Model>> {
    Ok(employee::Entity::find()
        .filter(employee::Column::PositionId.eq(position))
        .one(db)
        .await?)
}

/// The manager of an employee: the occupant of the head post of their unit, or, for the head
/// themself (or a unit without an occupied head post), of the nearest unit above.
pub async fn manager_of(
    db: &impl ConnectionTrait,
    record: &EmployeeRecord,
) -> ApiResult<Option<EmployeeRecord>> {
    let mut unit = Some(record.unit.clone());
    while let Some(current) = unit {
        if let Some(head) = current.head_position_id
            && head != record.position.id
            && let Some(manager) = occupant(db, head).await?
        {
            return Ok(Some(employee_record(db, manager.id).await?));
        }
        unit = match current.parent_id {
            Some(parent) => org_unit::Entity::find_by_id(parent).one(db).await?,
            None => None,
        };
    }
    Ok(None)
}
