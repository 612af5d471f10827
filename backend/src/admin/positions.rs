//! Staff posts within units.

use actix_web::{HttpResponse, web};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, JoinType, QueryFilter,
    QueryOrder, QuerySelect, RelationTrait,
};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;
use xodim_domain::{ErrorCode, Permission, PositionCategory};

use super::units::parse_code;
use super::{ListQuery, NamesInput};
use crate::auth::Actor;
use crate::db::{entities::position, is_unique_violation};
use crate::error::{ApiError, ApiResult};
use crate::org::views::{PageView, PositionView};
use crate::state::AppState;

/// Registers the post routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/positions", web::get().to(list))
        .route("/positions", web::post().to(create))
        .route("/positions/{id}", web::get().to(get))
        .route("/positions/{id}", web::patch().to(update));
}

/// A new post.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreatePosition {
    pub unit_id: Uuid,
    /// Staff-schedule code, unique across the service.
    pub code: String,
    pub title: NamesInput,
    /// `senior_head`, `deputy_or_central_staff` or `other` (sets travel caps).
    pub category: String,
    /// Whether the post is in the State Register of civil service positions.
    pub civil_service: bool,
}

/// Changes to a post; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdatePosition {
    pub title: Option<NamesInput>,
    pub category: Option<String>,
    pub civil_service: Option<bool>,
}

#[utoipa::path(get, path = "/api/v1/admin/positions", tag = "admin", params(ListQuery),
    responses((status = 200, body = PageView<PositionView>)), security(("bearer" = [])))]
pub(crate) async fn list(
    state: web::Data<AppState>,
    actor: Actor,
    query: web::Query<ListQuery>,
) -> ApiResult<HttpResponse> {
    let scope = actor.scope(&state, Permission::ViewOrgStructure).await?;
    let page = query.page()?;
    let mut select = position::Entity::find();
    if let Some(unit) = query.unit {
        let unit = scope.unit(&state.db, unit).await?;
        select = select.filter(position::Column::UnitId.eq(unit.id));
    } else {
        select = select
            .join(JoinType::InnerJoin, position::Relation::OrgUnit.def())
            .filter(scope.condition());
    }
    if let Some(after) = page.after {
        select = select.filter(position::Column::Id.gt(after));
    }
    let rows = select
        .order_by_asc(position::Column::Id)
        .limit(u64::from(page.limit) + 1)
        .all(&state.db)
        .await?;
    Ok(HttpResponse::Ok().json(PageView::from_rows(
        rows,
        page.limit,
        |p| p.id,
        |p| PositionView::from(p),
    )))
}

#[utoipa::path(post, path = "/api/v1/admin/positions", tag = "admin", request_body = CreatePosition,
    responses((status = 201, body = PositionView)), security(("bearer" = [])))]
pub(crate) async fn create(
    state: web::Data<AppState>,
    actor: Actor,
    body: web::Json<CreatePosition>,
) -> ApiResult<HttpResponse> {
    let scope = actor.scope(&state, Permission::ManageOrgStructure).await?;
    let unit = scope.unit(&state.db, body.unit_id).await?;
    let code = parse_code(&body.code)?;
    let title = body.title.parse()?;
    let category: PositionCategory = body.category.parse()?;
    let position = position::ActiveModel {
        id: Set(Uuid::now_v7()),
        unit_id: Set(unit.id),
        code: Set(code),
        title_uz_latn: Set(title.uz_latn),
        title_uz_cyrl: Set(title.uz_cyrl),
        title_ru: Set(title.ru),
        title_en: Set(title.en),
        category: Set(category.as_str().to_owned()),
        civil_service: Set(body.civil_service),
        created_at: Set(Utc::now()),
    }
    .insert(&state.db)
    .await
    .map_err(|err| {
        if is_unique_violation(&err) {
            ApiError::new(ErrorCode::PositionCodeTaken, "another post has this code")
        } else {
            err.into()
        }
    })?;
    Ok(HttpResponse::Created().json(PositionView::from(&position)))
}

#[utoipa::path(get, path = "/api/v1/admin/positions/{id}", tag = "admin",
    responses((status = 200, body = PositionView)), security(("bearer" = [])))]
pub(crate) async fn get(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let scope = actor.scope(&state, Permission::ViewOrgStructure).await?;
    let (position, _) = scope.position(&state.db, *id).await?;
    Ok(HttpResponse::Ok().json(PositionView::from(&position)))
}

#[utoipa::path(patch, path = "/api/v1/admin/positions/{id}", tag = "admin", request_body = UpdatePosition,
    responses((status = 200, body = PositionView)), security(("bearer" = [])))]
pub(crate) async fn update(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
    body: web::Json<UpdatePosition>,
) -> ApiResult<HttpResponse> {
    let scope = actor.scope(&state, Permission::ManageOrgStructure).await?;
    let (position, _) = scope.position(&state.db, *id).await?;
    let mut model: position::ActiveModel = position.into();
    if let Some(title) = &body.title {
        let title = title.parse()?;
        model.title_uz_latn = Set(title.uz_latn);
        model.title_uz_cyrl = Set(title.uz_cyrl);
        model.title_ru = Set(title.ru);
        model.title_en = Set(title.en);
    }
    if let Some(category) = &body.category {
        model.category = Set(category.parse::<PositionCategory>()?.as_str().to_owned());
    }
    if let Some(civil_service) = body.civil_service {
        model.civil_service = Set(civil_service);
    }
    let position = model.update(&state.db).await?;
    Ok(HttpResponse::Ok().json(PositionView::from(&position)))
}
