//! The HR inbox online: the correction requests of the units an officer reviews, with the
//! base, current and proposed contents side by side. Decisions are intents, like on the phone.

use actix_web::{HttpResponse, web};
use sea_orm::{
    ColumnTrait, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect, RelationTrait,
};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;
use xodim_domain::Permission;
use xodim_domain::records::{RequestState, Section};

use super::hr::relatives_read;
use super::requests;
use crate::auth::Actor;
use crate::db::entities::{correction_request, employee, position};
use crate::error::{ApiError, ApiResult};
use crate::org::queries::{self, path_of};
use crate::org::views::PageView;
use crate::state::AppState;

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/requests", web::get().to(list))
        .route("/requests/{id}", web::get().to(get));
}

/// Filter and page of the inbox.
#[derive(Debug, Deserialize, IntoParams)]
pub struct InboxQuery {
    /// Only requests in this state (default: every undecided one).
    pub state: Option<String>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<String>,
    /// The `next_after` of the previous page.
    pub after: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/hr/requests", tag = "records", params(InboxQuery),
    responses((status = 200, description = "Page of CorrectionRequest")), security(("bearer" = [])))]
pub(crate) async fn list(
    state: web::Data<AppState>,
    actor: Actor,
    query: web::Query<InboxQuery>,
) -> ApiResult<HttpResponse> {
    let scope = actor.scope(&state, Permission::ReviewCorrections).await?;
    let page = xodim_domain::Page::parse(query.limit.as_deref(), query.after.as_deref())?;
    let mut select = correction_request::Entity::find()
        .join(
            JoinType::InnerJoin,
            correction_request::Relation::Employee.def(),
        )
        .join(JoinType::InnerJoin, employee::Relation::Position.def())
        .join(JoinType::InnerJoin, position::Relation::OrgUnit.def())
        .filter(scope.condition());
    select = match query.state.as_deref() {
        Some(wanted) => {
            let wanted: RequestState = wanted.parse()?;
            select.filter(correction_request::Column::State.eq(wanted.as_str()))
        }
        None => select.filter(
            correction_request::Column::State.is_in(
                RequestState::ALL
                    .iter()
                    .filter(|s| !s.is_final())
                    .map(|s| s.as_str()),
            ),
        ),
    };
    if let Some(after) = page.after {
        select = select.filter(correction_request::Column::Id.gt(after));
    }
    let rows = select
        .order_by_asc(correction_request::Column::Id)
        .limit(u64::from(page.limit) + 1)
        .all(&state.db)
        .await?;
    let mut views = Vec::with_capacity(rows.len());
    for row in rows {
        views.push(requests::view(&state.db, &row).await?);
    }
    let relatives: Vec<(&str, Uuid)> = views
        .iter()
        .take(usize::try_from(page.limit).unwrap_or(usize::MAX))
        .filter(|r| r.section == Section::Relative)
        .map(|r| ("correction_request", r.id))
        .collect();
    relatives_read(&state, &actor, &relatives).await?;
    Ok(HttpResponse::Ok().json(PageView::from_rows(
        views,
        page.limit,
        |r| r.id,
        Clone::clone,
    )))
}

#[utoipa::path(get, path = "/api/v1/hr/requests/{id}", tag = "records",
    responses((status = 200, description = "CorrectionRequest")), security(("bearer" = [])))]
pub(crate) async fn get(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let scope = actor.scope(&state, Permission::ReviewCorrections).await?;
    let row = correction_request::Entity::find_by_id(*id)
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("request"))?;
    let found = queries::employee_record(&state.db, row.employee_id).await?;
    let row = scope.reveal("request", row, &path_of(&found.unit)?)?;
    let request = requests::view(&state.db, &row).await?;
    if request.section == Section::Relative {
        relatives_read(&state, &actor, &[("correction_request", request.id)]).await?;
    }
    Ok(HttpResponse::Ok().json(request))
}
