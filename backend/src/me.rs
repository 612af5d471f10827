//! `GET /api/v1/me`: who the caller is, where they work and what they may do.

use actix_web::{HttpResponse, web};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use xodim_domain::Locale;

use crate::auth::Actor;
use crate::db::entities::{account, org_unit, organization};
use crate::error::{ApiError, ApiResult};
use crate::org::queries::{self, EmployeeRecord};
use crate::org::views::{EmployeeView, Names, OrganizationView, UnitView};
use crate::state::AppState;

/// Registers the profile routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/me", web::get().to(me))
        .route("/api/v1/me", web::patch().to(update_me));
}

/// The caller's account.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileAccount {
    pub id: Uuid,
    pub login: String,
    pub locale: String,
}

/// A role the caller holds and where.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoleView {
    pub role: String,
    pub unit_id: Uuid,
    pub unit_name: Names,
    pub include_descendants: bool,
}

/// The caller's manager.
#[derive(Debug, Serialize, ToSchema)]
pub struct ManagerView {
    pub employee_id: Uuid,
    pub full_name_latn: String,
    pub full_name_cyrl: String,
    pub post: Names,
}

/// Everything the profile screen shows.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeView {
    pub account: ProfileAccount,
    pub employee: EmployeeView,
    pub unit: UnitView,
    pub organization: OrganizationView,
    pub manager: Option<ManagerView>,
    pub roles: Vec<RoleView>,
}

fn manager_view(record: &EmployeeRecord) -> ManagerView {
    let p = &record.person;
    ManagerView {
        employee_id: record.employee.id,
        full_name_latn: p.full_name_latn(),
        full_name_cyrl: p.full_name_cyrl(),
        post: crate::org::views::PositionView::from(&record.position).title,
    }
}

async fn roles(state: &AppState, actor: &Actor) -> ApiResult<Vec<RoleView>> {
    let mut views = Vec::new();
    for grant in actor.grants(state).await? {
        let unit = queries::unit(&state.db, grant.unit.unit_id().as_uuid()).await?;
        views.push(RoleView {
            role: grant.role.as_str().to_owned(),
            unit_id: unit.id,
            unit_name: UnitView::from(&unit).name,
            include_descendants: grant.include_descendants,
        });
    }
    Ok(views)
}

async fn load_account(state: &AppState, actor: &Actor) -> ApiResult<account::Model> {
    account::Entity::find_by_id(actor.account.as_uuid())
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("account"))
}

#[utoipa::path(get, path = "/api/v1/me", tag = "profile",
    responses((status = 200, body = MeView), (status = 401, description = "not signed in")),
    security(("bearer" = [])))]
async fn me(state: web::Data<AppState>, actor: Actor) -> ApiResult<HttpResponse> {
    let account = load_account(&state, &actor).await?;
    let record = queries::employee_record(&state.db, account.employee_id).await?;
    let organization = organization::Entity::find_by_id(record.unit.org_id)
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("organization"))?;
    let manager = queries::manager_of(&state.db, &record).await?;
    let unit: &org_unit::Model = &record.unit;
    Ok(HttpResponse::Ok().json(MeView {
        account: ProfileAccount {
            id: account.id,
            login: account.login.clone(),
            locale: account.locale.clone(),
        },
        employee: EmployeeView::new(&record.employee, &record.person, &record.position),
        unit: unit.into(),
        organization: (&organization).into(),
        manager: manager.as_ref().map(manager_view),
        roles: roles(&state, &actor).await?,
    }))
}

/// Settings the servant may change themself.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateMe {
    /// `uz-Latn`, `uz-Cyrl`, `ru` or `en`.
    pub locale: String,
}

#[utoipa::path(patch, path = "/api/v1/me", tag = "profile", request_body = UpdateMe,
    responses((status = 204, description = "saved")), security(("bearer" = [])))]
async fn update_me(
    state: web::Data<AppState>,
    actor: Actor,
    body: web::Json<UpdateMe>,
) -> ApiResult<HttpResponse> {
    let locale: Locale = body.locale.parse()?;
    let mut account: account::ActiveModel = load_account(&state, &actor).await?.into();
    account.locale = Set(locale.tag().to_owned());
    account.update(&state.db).await?;
    Ok(HttpResponse::NoContent().finish())
}
