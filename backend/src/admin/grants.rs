//! Role grants: which role an account holds over which unit subtree.

use actix_web::{HttpResponse, web};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use xodim_domain::{Access, ErrorCode, Grant, Permission, Role, UnitPath, may_grant, may_issue};

use super::keepers;
use crate::auth::Actor;
use crate::auth::actor::{forbidden, out_of_scope};
use crate::db::entities::{account, role_grant};
use crate::db::is_unique_violation;
use crate::error::{ApiError, ApiResult};
use crate::org::queries::{self, path_of};
use crate::state::AppState;
use crate::sync::scopes;

/// Registers the grant routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/accounts/{id}/grants", web::get().to(list))
        .route("/role-grants", web::post().to(create))
        .route("/role-grants/{id}", web::delete().to(delete));
}

/// A role over a unit (and, usually, everything below it).
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateGrant {
    pub account_id: Uuid,
    /// `servant`, `manager`, `hr_officer`, `accountant`, `training_admin`, `org_admin`, `auditor`.
    pub role: String,
    pub unit_id: Uuid,
    /// Whether the grant covers the units below too (default true).
    pub include_descendants: Option<bool>,
}

/// A stored grant.
#[derive(Debug, Serialize, ToSchema)]
pub struct GrantView {
    pub id: Uuid,
    pub account_id: Uuid,
    pub role: String,
    pub unit_id: Uuid,
    pub include_descendants: bool,
    pub granted_by: Option<Uuid>,
}

impl From<&role_grant::Model> for GrantView {
    fn from(m: &role_grant::Model) -> Self {
        Self {
            id: m.id,
            account_id: m.account_id,
            role: m.role.clone(),
            unit_id: m.unit_id,
            include_descendants: m.include_descendants,
            granted_by: m.granted_by,
        }
    }
}

fn allowed(access: Access) -> ApiResult<()> {
    match access {
        Access::Allowed => Ok(()),
        Access::OutOfScope => Err(out_of_scope()),
        Access::Forbidden => Err(forbidden()),
    }
}

#[utoipa::path(get, path = "/api/v1/admin/accounts/{id}/grants", tag = "admin",
    responses((status = 200, body = [GrantView])), security(("bearer" = [])))]
pub(crate) async fn list(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let scope = actor.scope(&state, Permission::ViewEmployees).await?;
    let (account, _) = scope.account(&state.db, *id).await?;
    let grants = role_grant::Entity::find()
        .filter(role_grant::Column::AccountId.eq(account.id))
        .order_by_asc(role_grant::Column::Id)
        .all(&state.db)
        .await?;
    Ok(HttpResponse::Ok().json(grants.iter().map(GrantView::from).collect::<Vec<_>>()))
}

#[utoipa::path(post, path = "/api/v1/admin/role-grants", tag = "admin", request_body = CreateGrant,
    responses((status = 201, body = GrantView)), security(("bearer" = [])))]
pub(crate) async fn create(
    state: web::Data<AppState>,
    actor: Actor,
    body: web::Json<CreateGrant>,
) -> ApiResult<HttpResponse> {
    // What the granter cannot see answers like an unknown id; what they see but may not
    // hand on is `out_of_scope`.
    let scope = actor.scope(&state, Permission::ManageGrants).await?;
    let (account, account_unit) = scope
        .with(Permission::ViewEmployees)
        .account(&state.db, body.account_id)
        .await?;
    let unit = scope
        .with(Permission::ViewOrgStructure)
        .unit(&state.db, body.unit_id)
        .await?;
    let role: Role = body.role.parse()?;
    let include_descendants = body.include_descendants.unwrap_or(true);
    let grants = scope.grants();
    let new = Grant {
        role,
        unit: path_of(&unit)?,
        include_descendants,
    };
    allowed(may_issue(grants, &new))?;
    allowed(may_grant(grants, role, &path_of(&account_unit)?))?;
    let grant = role_grant::ActiveModel {
        id: Set(Uuid::now_v7()),
        account_id: Set(account.id),
        role: Set(role.as_str().to_owned()),
        unit_id: Set(unit.id),
        include_descendants: Set(include_descendants),
        granted_by: Set(Some(actor.account.as_uuid())),
        created_at: Set(Utc::now()),
    }
    .insert(&state.db)
    .await
    .map_err(|err| {
        if is_unique_violation(&err) {
            ApiError::new(
                ErrorCode::InvalidField,
                "the account already holds this role on this unit",
            )
        } else {
            err.into()
        }
    })?;
    scopes::membership_changed(&state.kv).await?;
    Ok(HttpResponse::Created().json(GrantView::from(&grant)))
}

#[utoipa::path(delete, path = "/api/v1/admin/role-grants/{id}", tag = "admin",
    responses((status = 204, description = "revoked")), security(("bearer" = [])))]
pub(crate) async fn delete(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let scope = actor.scope(&state, Permission::ManageGrants).await?;
    let grant = role_grant::Entity::find_by_id(*id)
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("role grant"))?;
    // A grant is seen where its holder is, as the list of the account's grants shows it.
    let holder = holder_unit(&state, grant.account_id).await?;
    let grant = scope
        .with(Permission::ViewEmployees)
        .reveal("role grant", grant, &holder)?;
    let unit = queries::unit(&state.db, grant.unit_id).await?;
    let role: Role = grant.role.parse()?;
    allowed(may_grant(scope.grants(), role, &path_of(&unit)?))?;
    let turn = state.write_turn().await;
    let txn = state.db.begin().await?;
    keepers::may_revoke(&txn, &grant).await?;
    role_grant::Entity::delete_by_id(grant.id)
        .exec(&txn)
        .await?;
    txn.commit().await?;
    drop(turn);
    scopes::membership_changed(&state.kv).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The unit of the employee whose account holds a grant.
async fn holder_unit(state: &AppState, account: Uuid) -> ApiResult<UnitPath> {
    let holder = account::Entity::find_by_id(account)
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("role grant"))?;
    let record = queries::employee_record(&state.db, holder.employee_id).await?;
    path_of(&record.unit)
}
