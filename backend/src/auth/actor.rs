//! The signed-in caller of a request, and what they may do where.

use std::future::Future;
use std::pin::Pin;

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header, web};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QuerySelect,
    RelationTrait,
};
use uuid::Uuid;
use xodim_domain::{
    AccountId, ErrorCode, Grant, Permission, Role, SessionId, UnitPath, covering_units,
};

use crate::auth::sessions;
use crate::db::entities::{account, employee, org_unit, position, role_grant};
use crate::error::{ApiError, ApiResult};
use crate::org::queries::{self, EmployeeRecord, path_of};
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

    /// What `permission` lets the caller reach. Every route takes its scope before it looks
    /// at a target, so a caller none of whose roles carries the permission is refused the
    /// same way whatever the target (`403 forbidden`).
    pub async fn scope(&self, state: &AppState, permission: Permission) -> ApiResult<Scope> {
        let scope = Scope::of(self.grants(state).await?, permission);
        if scope.covering.is_empty() {
            return Err(forbidden());
        }
        Ok(scope)
    }
}

/// The units one permission lets the caller reach. A target is shown only through
/// [`Scope::reveal`]: one outside answers exactly like an id that does not exist, so neither
/// its existence nor its contents leak before the caller is authorised.
#[derive(Debug, Clone)]
pub struct Scope {
    covering: Vec<Grant>,
    grants: Vec<Grant>,
}

impl Scope {
    fn of(grants: Vec<Grant>, permission: Permission) -> Self {
        let covering = covering_units(&grants, permission)
            .into_iter()
            .cloned()
            .collect();
        Self { covering, grants }
    }

    /// The same caller's reach for another permission (possibly nothing), e.g. what they may
    /// see of a target they are about to change.
    pub fn with(&self, permission: Permission) -> Self {
        Self::of(self.grants.clone(), permission)
    }

    /// Whether the scope reaches the unit.
    pub fn covers(&self, unit: &UnitPath) -> bool {
        self.covering.iter().any(|grant| grant.covers(unit))
    }

    /// The target, found in `unit`, when the scope reaches it; otherwise the `not_found` an
    /// unknown `what` answers.
    pub fn reveal<T>(&self, what: &str, target: T, unit: &UnitPath) -> ApiResult<T> {
        if self.covers(unit) {
            Ok(target)
        } else {
            Err(ApiError::not_found(what))
        }
    }

    /// Every grant of the caller, for the checks on what a grant may hand on.
    pub fn grants(&self) -> &[Grant] {
        &self.grants
    }

    /// The filter of a list: units some covering grant reaches.
    pub fn condition(&self) -> Condition {
        self.covering.iter().fold(Condition::any(), |cond, grant| {
            if grant.include_descendants {
                cond.add(org_unit::Column::Path.starts_with(grant.unit.as_str()))
            } else {
                cond.add(org_unit::Column::Id.eq(grant.unit.unit_id().as_uuid()))
            }
        })
    }

    /// A unit by id, when in scope.
    pub async fn unit(&self, db: &impl ConnectionTrait, id: Uuid) -> ApiResult<org_unit::Model> {
        let unit = queries::unit(db, id).await?;
        let path = path_of(&unit)?;
        self.reveal("unit", unit, &path)
    }

    /// A post and its unit, when in scope.
    pub async fn position(
        &self,
        db: &impl ConnectionTrait,
        id: Uuid,
    ) -> ApiResult<(position::Model, org_unit::Model)> {
        let found = queries::position_with_unit(db, id).await?;
        let path = path_of(&found.1)?;
        self.reveal("position", found, &path)
    }

    /// An employee with person, post and unit, when in scope.
    pub async fn employee(&self, db: &impl ConnectionTrait, id: Uuid) -> ApiResult<EmployeeRecord> {
        let found = queries::employee_record(db, id).await?;
        let path = path_of(&found.unit)?;
        self.reveal("employee", found, &path)
    }

    /// An account and the unit of its employee, when in scope.
    pub async fn account(
        &self,
        db: &impl ConnectionTrait,
        id: Uuid,
    ) -> ApiResult<(account::Model, org_unit::Model)> {
        let account = account::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or_else(|| ApiError::not_found("account"))?;
        let record = queries::employee_record(db, account.employee_id).await?;
        let path = path_of(&record.unit)?;
        self.reveal("account", (account, record.unit), &path)
    }
}

/// Refusal for a role that lacks the permission everywhere.
pub fn forbidden() -> ApiError {
    ApiError::new(ErrorCode::Forbidden, "no role of yours allows this action")
}

/// Refusal for a grant that would reach further than the granter's own grants.
pub fn out_of_scope() -> ApiError {
    ApiError::new(
        ErrorCode::OutOfScope,
        "the grant would reach beyond your own",
    )
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
