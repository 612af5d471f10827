//! Organisational units: the tree every scope is cut from.

use actix_web::{HttpResponse, web};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;
use xodim_domain::{ErrorCode, Permission, UnitId};

use super::{ListQuery, NamesInput};
use crate::auth::Actor;
use crate::db::{entities::org_unit, is_unique_violation};
use crate::error::{ApiError, ApiResult};
use crate::org::publish;
use crate::org::queries::path_of;
use crate::org::views::{PageView, UnitView};
use crate::state::AppState;
use crate::sync::engine::{Publication, commit_and_poke};

/// Registers the unit routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/org-units", web::get().to(list))
        .route("/org-units", web::post().to(create))
        .route("/org-units/{id}", web::get().to(get))
        .route("/org-units/{id}", web::patch().to(update));
}

/// A new unit under an existing one.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateUnit {
    pub parent_id: Uuid,
    /// Short code, unique across the service (for imports and reports).
    pub code: String,
    pub name: NamesInput,
}

/// Changes to a unit; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateUnit {
    pub code: Option<String>,
    pub name: Option<NamesInput>,
    /// The head post; it must belong to this unit. `null` clears it.
    #[serde(default, deserialize_with = "super::present")]
    #[schema(value_type = Option<Uuid>)]
    pub head_position_id: Option<Option<Uuid>>,
}

/// Validates a unit or post code: 1 to 40 letters, digits, `-`, `_` or `.`.
pub fn parse_code(code: &str) -> ApiResult<String> {
    let code = code.trim();
    let valid = !code.is_empty()
        && code.len() <= 40
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if valid {
        Ok(code.to_ascii_uppercase())
    } else {
        Err(ApiError::new(
            ErrorCode::InvalidField,
            "code: 1 to 40 of A-Z, 0-9, '-', '_', '.'",
        ))
    }
}

#[utoipa::path(get, path = "/api/v1/admin/org-units", tag = "admin", params(ListQuery),
    responses((status = 200, body = PageView<UnitView>)), security(("bearer" = [])))]
pub(crate) async fn list(
    state: web::Data<AppState>,
    actor: Actor,
    query: web::Query<ListQuery>,
) -> ApiResult<HttpResponse> {
    let scope = actor.scope(&state, Permission::ViewOrgStructure).await?;
    let page = query.page()?;
    let mut select = org_unit::Entity::find();
    if let Some(parent) = query.unit {
        let parent = scope.unit(&state.db, parent).await?;
        select = select.filter(org_unit::Column::ParentId.eq(parent.id));
    } else {
        select = select.filter(scope.condition());
    }
    if let Some(after) = page.after {
        select = select.filter(org_unit::Column::Id.gt(after));
    }
    let rows = select
        .order_by_asc(org_unit::Column::Id)
        .limit(u64::from(page.limit) + 1)
        .all(&state.db)
        .await?;
    Ok(HttpResponse::Ok().json(PageView::from_rows(
        rows,
        page.limit,
        |u| u.id,
        |u| UnitView::from(u),
    )))
}

#[utoipa::path(post, path = "/api/v1/admin/org-units", tag = "admin", request_body = CreateUnit,
    responses((status = 201, body = UnitView)), security(("bearer" = [])))]
pub(crate) async fn create(
    state: web::Data<AppState>,
    actor: Actor,
    body: web::Json<CreateUnit>,
) -> ApiResult<HttpResponse> {
    let scope = actor.scope(&state, Permission::ManageOrgStructure).await?;
    let parent = scope.unit(&state.db, body.parent_id).await?;
    let parent_path = path_of(&parent)?;
    let code = parse_code(&body.code)?;
    let name = body.name.parse()?;
    let id = Uuid::now_v7();
    let txn = state.db.begin().await?;
    let unit = org_unit::ActiveModel {
        id: Set(id),
        org_id: Set(parent.org_id),
        parent_id: Set(Some(parent.id)),
        path: Set(parent_path.child(UnitId::from_uuid(id)).as_str().to_owned()),
        code: Set(code),
        name_uz_latn: Set(name.uz_latn),
        name_uz_cyrl: Set(name.uz_cyrl),
        name_ru: Set(name.ru),
        name_en: Set(name.en),
        head_position_id: Set(None),
        created_at: Set(Utc::now()),
    }
    .insert(&txn)
    .await
    .map_err(code_taken)?;
    commit_and_poke(&state, txn, unit_published(&unit)?).await?;
    Ok(HttpResponse::Created().json(UnitView::from(&unit)))
}

/// A unit in the catalogue; its place in the tree decides who manages and reviews whom.
fn unit_published(unit: &org_unit::Model) -> ApiResult<Publication> {
    let entries = vec![publish::unit_entry(unit)?];
    Ok(Publication::from(entries).with_membership_changed())
}

fn code_taken(err: sea_orm::DbErr) -> ApiError {
    if is_unique_violation(&err) {
        ApiError::new(ErrorCode::UnitCodeTaken, "another unit has this code")
    } else {
        err.into()
    }
}

#[utoipa::path(get, path = "/api/v1/admin/org-units/{id}", tag = "admin",
    responses((status = 200, body = UnitView)), security(("bearer" = [])))]
pub(crate) async fn get(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let scope = actor.scope(&state, Permission::ViewOrgStructure).await?;
    let unit = scope.unit(&state.db, *id).await?;
    Ok(HttpResponse::Ok().json(UnitView::from(&unit)))
}

#[utoipa::path(patch, path = "/api/v1/admin/org-units/{id}", tag = "admin", request_body = UpdateUnit,
    responses((status = 200, body = UnitView)), security(("bearer" = [])))]
pub(crate) async fn update(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
    body: web::Json<UpdateUnit>,
) -> ApiResult<HttpResponse> {
    let scope = actor.scope(&state, Permission::ManageOrgStructure).await?;
    let unit = scope.unit(&state.db, *id).await?;
    let mut model: org_unit::ActiveModel = unit.clone().into();
    if let Some(code) = &body.code {
        model.code = Set(parse_code(code)?);
    }
    if let Some(name) = &body.name {
        let name = name.parse()?;
        model.name_uz_latn = Set(name.uz_latn);
        model.name_uz_cyrl = Set(name.uz_cyrl);
        model.name_ru = Set(name.ru);
        model.name_en = Set(name.en);
    }
    if let Some(head) = body.head_position_id {
        if let Some(head) = head {
            let (position, _) = scope.position(&state.db, head).await?;
            if position.unit_id != unit.id {
                return Err(ApiError::new(
                    ErrorCode::InvalidField,
                    "head_position_id: the post belongs to another unit",
                ));
            }
        }
        model.head_position_id = Set(head);
    }
    let txn = state.db.begin().await?;
    let unit = model.update(&txn).await.map_err(code_taken)?;
    commit_and_poke(&state, txn, unit_published(&unit)?).await?;
    Ok(HttpResponse::Ok().json(UnitView::from(&unit)))
}
