//! Who hears about a correction request in the background: the servant when HR decided or
//! asked something, the HR officers in scope when a request waits for them.

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;
use xodim_domain::notify::NotificationKind;
use xodim_domain::records::{CorrectionRequest, InboxItem};
use xodim_domain::sync::{EntityKind, Scope};
use xodim_domain::{AccountId, Grant, Permission, Role, UnitId, UnitPath};

use super::publish;
use crate::db::entities::{org_unit, role_grant};
use crate::org::queries::unit_of_employee;
use crate::sync::engine::Publication;

/// The servant's new inbox entry is worth an alert.
pub fn decided(requester: Uuid, item: &InboxItem) -> Publication {
    let account = AccountId::from_uuid(requester);
    let mut publication = Publication::default();
    publication.notify(
        account,
        NotificationKind::CorrectionDecided,
        Scope::Own(account),
        EntityKind::Inbox,
        item.id,
    );
    publication
}

/// The request waits for the HR officers whose grant covers the servant's unit; the servant
/// is not told about their own request even when they are one of them.
pub async fn waiting(
    db: &impl ConnectionTrait,
    request: &CorrectionRequest,
    requester: Uuid,
) -> Result<Publication, DbErr> {
    let mut publication = Publication::default();
    let Some(scope) = publish::hr_scope(db, request.employee_id).await? else {
        return Ok(publication);
    };
    for reviewer in reviewers(db, request.employee_id).await? {
        if reviewer.as_uuid() != requester {
            publication.notify(
                reviewer,
                NotificationKind::CorrectionWaiting,
                scope,
                EntityKind::CorrectionRequest,
                request.id,
            );
        }
    }
    Ok(publication)
}

/// The accounts whose explicit grants let them review the employee's requests.
async fn reviewers(db: &impl ConnectionTrait, employee: Uuid) -> Result<Vec<AccountId>, DbErr> {
    let unit = unit_of_employee(db, employee).await?;
    let Some(Ok(path)) = unit.map(|u| UnitPath::parse(&u.path)) else {
        return Ok(Vec::new());
    };
    let units: Vec<Uuid> = path.units().iter().map(UnitId::as_uuid).collect();
    let grants = role_grant::Entity::find()
        .filter(role_grant::Column::UnitId.is_in(units))
        .find_also_related(org_unit::Entity)
        .all(db)
        .await?;
    let mut accounts = Vec::new();
    for (grant, unit) in grants {
        let (Ok(role), Some(unit)) = (grant.role.parse::<Role>(), unit) else {
            continue;
        };
        let Ok(unit) = UnitPath::parse(&unit.path) else {
            continue;
        };
        let grant_value = Grant {
            role,
            unit,
            include_descendants: grant.include_descendants,
        };
        let account = AccountId::from_uuid(grant.account_id);
        if role.allows(Permission::ReviewCorrections)
            && grant_value.covers(&path)
            && !accounts.contains(&account)
        {
            accounts.push(account);
        }
    }
    Ok(accounts)
}
