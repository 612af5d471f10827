//! An organisation always keeps an administrator: nobody disables their own account, and
//! neither disabling an account nor revoking a grant may remove the last active org admin.
//!
//! Both checks run in the writing transaction after locking the organisation's row, so two
//! requests that would each remove one of the last two administrators are decided one after
//! the other and the second sees the first (SQLite has one writer at a time anyway).

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, JoinType, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, RelationTrait,
};
use uuid::Uuid;
use xodim_domain::{ErrorCode, Role};

use crate::db::entities::{account, org_unit, organization, role_grant};
use crate::error::{ApiError, ApiResult};

fn last_admin() -> ApiError {
    ApiError::new(
        ErrorCode::LastOrgAdmin,
        "the organisation would have no active org admin",
    )
}

/// The refusal for disabling one's own account.
pub fn own_account() -> ApiError {
    ApiError::new(ErrorCode::OwnAccount, "you cannot disable your own account")
}

/// The organisations in which the account holds `org_admin`.
async fn administered(db: &impl ConnectionTrait, account: Uuid) -> ApiResult<Vec<Uuid>> {
    let mut orgs: Vec<Uuid> = role_grant::Entity::find()
        .join(JoinType::InnerJoin, role_grant::Relation::OrgUnit.def())
        .filter(role_grant::Column::AccountId.eq(account))
        .filter(role_grant::Column::Role.eq(Role::OrgAdmin.as_str()))
        .select_only()
        .column(org_unit::Column::OrgId)
        .into_tuple()
        .all(db)
        .await?;
    orgs.sort();
    orgs.dedup();
    Ok(orgs)
}

/// Holds the organisations' rows until the transaction ends, in one order for everyone.
async fn lock(db: &impl ConnectionTrait, orgs: &[Uuid]) -> ApiResult<()> {
    organization::Entity::find()
        .filter(organization::Column::Id.is_in(orgs.iter().copied()))
        .order_by_asc(organization::Column::Id)
        .lock_exclusive()
        .all(db)
        .await?;
    Ok(())
}

/// How many active accounts other than `account` hold `org_admin` in `org`, not counting the
/// grant `except`.
async fn other_admins(
    db: &impl ConnectionTrait,
    org: Uuid,
    account: Uuid,
    except: Option<Uuid>,
) -> ApiResult<u64> {
    let mut holders = role_grant::Entity::find()
        .join(JoinType::InnerJoin, role_grant::Relation::OrgUnit.def())
        .filter(org_unit::Column::OrgId.eq(org))
        .filter(role_grant::Column::Role.eq(Role::OrgAdmin.as_str()));
    if let Some(grant) = except {
        holders = holders.filter(role_grant::Column::Id.ne(grant));
    }
    let holders: Vec<Uuid> = holders
        .select_only()
        .column(role_grant::Column::AccountId)
        .into_tuple()
        .all(db)
        .await?;
    let mut active = account::Entity::find()
        .filter(account::Column::Id.is_in(holders))
        .filter(account::Column::DisabledAt.is_null());
    if except.is_none() {
        active = active.filter(account::Column::Id.ne(account));
    }
    Ok(active.count(db).await?)
}

/// Refuses disabling `account` when it is the last active org admin of an organisation.
pub async fn may_disable(db: &impl ConnectionTrait, account: Uuid) -> ApiResult<()> {
    let orgs = administered(db, account).await?;
    lock(db, &orgs).await?;
    for org in orgs {
        if other_admins(db, org, account, None).await? == 0 {
            return Err(last_admin());
        }
    }
    Ok(())
}

/// Refuses revoking an `org_admin` grant that is the last one of an active account in its
/// organisation.
pub async fn may_revoke(db: &impl ConnectionTrait, grant: &role_grant::Model) -> ApiResult<()> {
    if grant.role != Role::OrgAdmin.as_str() {
        return Ok(());
    }
    let Some(unit) = org_unit::Entity::find_by_id(grant.unit_id).one(db).await? else {
        return Ok(());
    };
    lock(db, &[unit.org_id]).await?;
    let holder_active = account::Entity::find_by_id(grant.account_id)
        .filter(account::Column::DisabledAt.is_null())
        .one(db)
        .await?
        .is_some();
    if !holder_active {
        return Ok(());
    }
    if other_admins(db, unit.org_id, grant.account_id, Some(grant.id)).await? == 0 {
        return Err(last_admin());
    }
    Ok(())
}
