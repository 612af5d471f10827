//! Which scopes an account holds, derived from the organisation model and cached.
//!
//! Everyone holds their `Own` scope and their organisation's `Org` catalogue. A manager (the
//! occupant of a unit's head post, or holder of a `manager` grant) holds the `Unit` scope of that
//! unit and of every unit below it; an HR officer holds the `Hr` scope of each unit their grants
//! cover. Any change to the structure (a transfer, a new head, a grant)
//! bumps the membership epoch, which retires every cached scope set at once.

use std::time::Duration;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;
use xodim_domain::sync::Scope;
use xodim_domain::{AccountId, OrgId, Role, UnitId};

use crate::db::entities::{account, employee, org_unit, role_grant};
use crate::error::{ApiError, ApiResult};
use crate::kv::Kv;
use crate::sync::notify;

const EPOCH_KEY: &str = "sync:membership-epoch";
const CACHE_TTL: Duration = Duration::from_secs(300);

/// Retires every cached scope set; call after committing a change to who manages whom.
pub async fn membership_changed(kv: &Kv) -> ApiResult<()> {
    kv.increment(EPOCH_KEY, Duration::from_secs(30 * 24 * 3600))
        .await
        .map_err(ApiError::internal)?;
    Ok(())
}

/// The account's scopes, from the cache when the structure has not changed since. The cached
/// set carries the epoch it was computed in, so one round trip reads both.
pub async fn scopes_of(
    db: &impl ConnectionTrait,
    kv: &Kv,
    account: AccountId,
) -> ApiResult<Vec<Scope>> {
    let key = set_key(account);
    // Without the cache (Redis away) the set is read from the database and not kept.
    let Ok(found) = kv.get_many(&[EPOCH_KEY.to_owned(), key.clone()]).await else {
        return compute(db, account).await;
    };
    let epoch = found.first().cloned().flatten().unwrap_or_default();
    let cached = found.get(1).cloned().flatten();
    if let Some(scopes) = cached
        .as_deref()
        .and_then(|text| parse_cached(text, &epoch))
    {
        return Ok(scopes);
    }
    let scopes = compute(db, account).await?;
    let text = scopes.iter().map(Scope::key).collect::<Vec<_>>().join(",");
    if let Err(err) = kv.set(&key, &format!("{epoch}|{text}"), CACHE_TTL).await {
        tracing::debug!(error = %err, "scope set not cached");
    }
    Ok(scopes)
}

/// The account's scopes with their cached heads (`None` where not cached): a no-change pull
/// needs nothing else, and with Redis it takes one round trip when the set is cached.
pub async fn scopes_with_heads(
    db: &impl ConnectionTrait,
    kv: &Kv,
    account: AccountId,
) -> ApiResult<(Vec<Scope>, Vec<Option<i64>>)> {
    let read = kv
        .versioned_list(EPOCH_KEY, &set_key(account), notify::HEAD_PREFIX)
        .await
        .unwrap_or_default();
    let parsed: Option<Vec<Scope>> = read
        .items
        .map(|items| items.iter().map(|s| s.parse()).collect::<Result<_, _>>())
        .and_then(Result::ok);
    if let Some(scopes) = parsed {
        let heads = read
            .values
            .into_iter()
            .map(|v| v.and_then(|v| v.parse().ok()))
            .collect();
        return Ok((scopes, heads));
    }
    let scopes = scopes_of(db, kv, account).await?;
    let heads = notify::cached_heads(kv, &scopes).await?;
    Ok((scopes, heads))
}

fn set_key(account: AccountId) -> String {
    format!("sync:scopes:{account}")
}

/// A cached set, if it was computed in `epoch` and reads back.
fn parse_cached(text: &str, epoch: &str) -> Option<Vec<Scope>> {
    let (computed_in, list) = text.split_once('|')?;
    if computed_in != epoch {
        return None;
    }
    list.split(',')
        .filter(|s| !s.is_empty())
        .map(str::parse)
        .collect::<Result<Vec<Scope>, _>>()
        .ok()
}

/// Reads the scopes from the database.
pub async fn compute(db: &impl ConnectionTrait, account_id: AccountId) -> ApiResult<Vec<Scope>> {
    let mut scopes = vec![Scope::Own(account_id)];
    let Some(account) = account::Entity::find_by_id(account_id.as_uuid())
        .one(db)
        .await?
    else {
        return Ok(scopes);
    };
    let Some(employee) = employee::Entity::find_by_id(account.employee_id)
        .one(db)
        .await?
    else {
        return Ok(scopes);
    };
    scopes.push(Scope::Org(OrgId::from_uuid(employee.org_id)));
    let mut managed: Vec<String> = org_unit::Entity::find()
        .filter(org_unit::Column::HeadPositionId.eq(employee.position_id))
        .all(db)
        .await?
        .into_iter()
        .map(|u| u.path)
        .collect();
    let granted = role_grant::Entity::find()
        .filter(role_grant::Column::AccountId.eq(account.id))
        .filter(role_grant::Column::Role.eq(Role::Manager.as_str()))
        .find_also_related(org_unit::Entity)
        .all(db)
        .await?;
    managed.extend(
        granted
            .into_iter()
            .filter_map(|(_, unit)| unit.map(|u| u.path)),
    );
    scopes.extend(
        subtree_units(db, managed)
            .await?
            .into_iter()
            .map(|u| Scope::Unit(UnitId::from_uuid(u))),
    );
    scopes.extend(
        reviewed_units(db, account.id)
            .await?
            .into_iter()
            .map(|u| Scope::Hr(UnitId::from_uuid(u))),
    );
    Ok(scopes)
}

/// Every unit at or below the given unit paths, each once.
async fn subtree_units(db: &impl ConnectionTrait, paths: Vec<String>) -> ApiResult<Vec<Uuid>> {
    let mut units: Vec<Uuid> = Vec::new();
    for path in paths {
        let subtree = org_unit::Entity::find()
            .filter(org_unit::Column::Path.starts_with(&path))
            .all(db)
            .await?;
        units.extend(subtree.into_iter().map(|u| u.id));
    }
    units.sort();
    units.dedup();
    Ok(units)
}

/// The units whose correction requests the account reviews: those its HR grants cover.
async fn reviewed_units(db: &impl ConnectionTrait, account: Uuid) -> ApiResult<Vec<Uuid>> {
    let granted = role_grant::Entity::find()
        .filter(role_grant::Column::AccountId.eq(account))
        .filter(role_grant::Column::Role.eq(Role::HrOfficer.as_str()))
        .find_also_related(org_unit::Entity)
        .all(db)
        .await?;
    let mut wide = Vec::new();
    let mut single = Vec::new();
    for (grant, unit) in granted {
        match unit {
            Some(unit) if grant.include_descendants => wide.push(unit.path),
            Some(unit) => single.push(unit.id),
            None => {}
        }
    }
    let mut units = subtree_units(db, wide).await?;
    units.extend(single);
    units.sort();
    units.dedup();
    Ok(units)
}
