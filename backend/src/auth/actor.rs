//! The signed-in caller of a request, and what they may do where.

use std::future::Future;
use std::pin::Pin;

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header, web};
use sea_orm::{ColumnTrait, EntityTrait, JoinType, QueryFilter, QuerySelect, RelationTrait};
use uuid::Uuid;
use xodim_domain::{
    Access, AccountId, ErrorCode, Grant, Permission, Role, SessionId, UnitPath, check_access,
};

use crate::auth::sessions;
use crate::db::entities::{account, employee, org_unit, position, role_grant};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// A request with a valid, unrevoked access token.
#[derive(Debug, Clone, Copy)]
pub struct Actor {
    /// The signed-in account.
    pub account: AccountId,
    /// The device session the token belongs to.
    pub session: SessionId,
}

impl FromRequest for Actor {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer(req);
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::internal(anyhow::anyhow!("no state")))?;
            let token = token?;
            let claims = state.tokens.verify(&token)?;
            if sessions::is_revoked(&state, claims.sid).await? {
                return Err(ApiError::new(
                    ErrorCode::TokenRevoked,
                    "this session has ended",
                ));
            }
            Ok(Actor {
                account: claims.sub,
                session: claims.sid,
            })
        })
    }
}

fn bearer(req: &HttpRequest) -> ApiResult<String> {
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or_else(|| ApiError::new(ErrorCode::Unauthenticated, "no Authorization header"))?;
    let text = value.to_str().unwrap_or_default();
    match text.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(token.trim().to_owned())
        }
        _ => Err(ApiError::new(
            ErrorCode::Unauthenticated,
            "expected 'Authorization: Bearer <token>'",
        )),
    }
}

impl Actor {
    /// Every role the account holds: explicit grants, plus `servant` in its own unit and
    /// `manager` over the unit whose head post it occupies.
    pub async fn grants(&self, state: &AppState) -> ApiResult<Vec<Grant>> {
        load_grants(state, self.account).await
    }

    /// The grants, if one of them allows `permission` on `target`; otherwise the reason why not.
    pub async fn authorize(
        &self,
        state: &AppState,
        permission: Permission,
        target: &UnitPath,
    ) -> ApiResult<Vec<Grant>> {
        let grants = self.grants(state).await?;
        match check_access(&grants, permission, target) {
            Access::Allowed => Ok(grants),
            Access::OutOfScope => Err(out_of_scope()),
            Access::Forbidden => Err(forbidden()),
        }
    }
}

/// Refusal for a role that lacks the permission everywhere.
pub fn forbidden() -> ApiError {
    ApiError::new(ErrorCode::Forbidden, "no role of yours allows this action")
}

/// Refusal for a target outside the units the caller is responsible for.
pub fn out_of_scope() -> ApiError {
    ApiError::new(ErrorCode::OutOfScope, "the target lies outside your units")
}

/// Loads the grants of an account, explicit and implied.
pub async fn load_grants(state: &AppState, account_id: AccountId) -> ApiResult<Vec<Grant>> {
    let explicit: Vec<(role_grant::Model, Option<org_unit::Model>)> = role_grant::Entity::find()
        .filter(role_grant::Column::AccountId.eq(account_id.as_uuid()))
        .find_also_related(org_unit::Entity)
        .all(&state.db)
        .await?;
    let mut grants = Vec::with_capacity(explicit.len() + 2);
    for (grant, unit) in explicit {
        let (Ok(role), Some(unit)) = (grant.role.parse::<Role>(), unit) else {
            continue;
        };
        grants.push(Grant {
            role,
            unit: UnitPath::parse(&unit.path)?,
            include_descendants: grant.include_descendants,
        });
    }
    for implied in implied_grants(state, account_id).await? {
        if !grants.contains(&implied) {
            grants.push(implied);
        }
    }
    Ok(grants)
}

async fn implied_grants(state: &AppState, account_id: AccountId) -> ApiResult<Vec<Grant>> {
    let own: Option<(String, Option<Uuid>, Uuid)> =
        account::Entity::find_by_id(account_id.as_uuid())
            .join(JoinType::InnerJoin, account::Relation::Employee.def())
            .join(JoinType::InnerJoin, employee::Relation::Position.def())
            .join(JoinType::InnerJoin, position::Relation::OrgUnit.def())
            .select_only()
            .column(org_unit::Column::Path)
            .column(org_unit::Column::HeadPositionId)
            .column(position::Column::Id)
            .into_tuple()
            .one(&state.db)
            .await?;
    let Some((path, head, position)) = own else {
        return Ok(Vec::new());
    };
    let path = UnitPath::parse(&path)?;
    let mut grants = vec![Grant {
        role: Role::Servant,
        unit: path.clone(),
        include_descendants: false,
    }];
    if head == Some(position) {
        grants.push(Grant {
            role: Role::Manager,
            unit: path,
            include_descendants: true,
        });
    }
    Ok(grants)
}
