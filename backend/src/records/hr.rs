//! The HR API over personnel files under `/api/v1/hr`: read an employee's items, add, change
//! and delete them, and see the correction requests of the units one reviews.

use actix_web::{HttpResponse, web};
use sea_orm::TransactionTrait;
use serde::Deserialize;
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use xodim_domain::records::{RecordData, RecordItem, RecordSource, Section};
use xodim_domain::{ErrorCode, Permission};

use super::items::{self, Author};
use crate::audit::{self, AuditEvent};
use crate::auth::Actor;
use crate::db::entities::record;
use crate::error::{ApiError, ApiResult};
use crate::org::queries::{self, path_of};
use crate::state::AppState;
use crate::sync::engine::commit_and_poke;
use crate::sync::log::Entry;

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/employees/{id}/records", web::get().to(list))
        .route("/employees/{id}/records", web::post().to(create))
        .route("/records/{id}", web::put().to(update))
        .route("/records/{id}", web::delete().to(delete));
}

/// A new item.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewItem {
    /// education, certificate, work_history, knowledge_test or relative.
    pub section: String,
    /// The section's fields.
    pub fields: Value,
}

/// New contents for an item, guarded by the version the officer saw.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ChangedItem {
    pub version: i64,
    pub fields: Value,
}

/// The version the officer saw when deleting.
#[derive(Debug, Deserialize, IntoParams)]
pub struct Seen {
    pub version: i64,
}

fn author(actor: &Actor) -> Author {
    Author {
        account: Some(actor.account.as_uuid()),
        session: Some(actor.session.as_uuid()),
        ..Author::default()
    }
}

/// The employee whose file is addressed, when the permission reaches their unit.
async fn employee_in(
    state: &AppState,
    actor: &Actor,
    employee: Uuid,
    permission: Permission,
) -> ApiResult<()> {
    let scope = actor.scope(state, permission).await?;
    scope.employee(&state.db, employee).await?;
    Ok(())
}

/// A live item in the caller's reach: one outside it answers like an unknown id, before any
/// version is compared or content shown.
async fn item_in(state: &AppState, actor: &Actor, id: Uuid) -> ApiResult<record::Model> {
    let scope = actor.scope(state, Permission::ManageRecords).await?;
    let row = items::find(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("record"))?;
    let found = queries::employee_record(&state.db, row.employee_id).await?;
    scope.reveal("record", row, &path_of(&found.unit)?)
}

/// Commits the entries and tells the phones.
async fn finish(
    state: &AppState,
    txn: sea_orm::DatabaseTransaction,
    entries: Vec<Entry>,
) -> ApiResult<()> {
    commit_and_poke(state, txn, entries.into()).await?;
    Ok(())
}

#[utoipa::path(get, path = "/api/v1/hr/employees/{id}/records", tag = "records",
    responses((status = 200, description = "RecordItem list")), security(("bearer" = [])))]
pub(crate) async fn list(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    employee_in(&state, &actor, *id, Permission::ViewRecords).await?;
    let rows = items::of_employee(&state.db, *id).await?;
    let list = rows
        .iter()
        .map(items::item_of)
        .collect::<Result<Vec<RecordItem>, _>>()?;
    if list.iter().any(|i| i.data.section() == Section::Relative) {
        relatives_read(&state, &actor, &[("employee", *id)]).await?;
    }
    Ok(HttpResponse::Ok().json(list))
}

/// Relatives are sensitive: every read by someone else leaves a trace, one event per file or
/// request shown.
pub(super) async fn relatives_read(
    state: &AppState,
    actor: &Actor,
    shown: &[(&str, Uuid)],
) -> ApiResult<()> {
    if shown.is_empty() {
        return Ok(());
    }
    let _turn = state.write_turn().await;
    let txn = state.db.begin().await?;
    for (entity, id) in shown {
        audit::append(
            &txn,
            AuditEvent {
                actor: Some(actor.account.as_uuid()),
                on_behalf_of: None,
                device: Some(actor.session.as_uuid()),
                action: "record.read_relatives",
                entity,
                entity_id: *id,
                before: None,
                after: None,
                intent_id: None,
                client_time: None,
            },
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

#[utoipa::path(post, path = "/api/v1/hr/employees/{id}/records", tag = "records", request_body = NewItem,
    responses((status = 201, description = "The RecordItem")), security(("bearer" = [])))]
pub(crate) async fn create(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
    body: web::Json<NewItem>,
) -> ApiResult<HttpResponse> {
    employee_in(&state, &actor, *id, Permission::ManageRecords).await?;
    let section: Section = body.section.parse()?;
    let data = RecordData::parse(section, &body.fields)?;
    let _turn = state.write_turn().await;
    let txn = state.db.begin().await?;
    let (item, entries) = items::create(
        &txn,
        *id,
        Uuid::now_v7(),
        &data,
        RecordSource::Hr,
        &author(&actor),
    )
    .await?;
    finish(&state, txn, entries).await?;
    Ok(HttpResponse::Created().json(item))
}

/// A refusal when the item, which the caller may see, is not at the version they saw.
fn seen(row: &record::Model, version: i64) -> ApiResult<()> {
    if row.version != version {
        let current = serde_json::to_value(items::item_of(row)?).map_err(ApiError::internal)?;
        return Err(ApiError::new(
            ErrorCode::VersionConflict,
            format!("the item is at version {}", row.version),
        )
        .with_details(current));
    }
    Ok(())
}

#[utoipa::path(put, path = "/api/v1/hr/records/{id}", tag = "records", request_body = ChangedItem,
    responses((status = 200, description = "The RecordItem"), (status = 409, description = "version_conflict")),
    security(("bearer" = [])))]
pub(crate) async fn update(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
    body: web::Json<ChangedItem>,
) -> ApiResult<HttpResponse> {
    let row = item_in(&state, &actor, *id).await?;
    seen(&row, body.version)?;
    let section: Section = row.section.parse()?;
    let data = RecordData::parse(section, &body.fields)?;
    let _turn = state.write_turn().await;
    let txn = state.db.begin().await?;
    let Some((item, entries)) =
        items::update(&txn, &row, &data, RecordSource::Hr, &author(&actor)).await?
    else {
        return Err(ApiError::new(
            ErrorCode::VersionConflict,
            "changed meanwhile",
        ));
    };
    finish(&state, txn, entries).await?;
    Ok(HttpResponse::Ok().json(item))
}

#[utoipa::path(delete, path = "/api/v1/hr/records/{id}", tag = "records", params(Seen),
    responses((status = 204, description = "Deleted"), (status = 409, description = "version_conflict")),
    security(("bearer" = [])))]
pub(crate) async fn delete(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
    version: web::Query<Seen>,
) -> ApiResult<HttpResponse> {
    let row = item_in(&state, &actor, *id).await?;
    seen(&row, version.version)?;
    let _turn = state.write_turn().await;
    let txn = state.db.begin().await?;
    let Some(entries) = items::delete(&txn, &row, &author(&actor)).await? else {
        return Err(ApiError::new(
            ErrorCode::VersionConflict,
            "changed meanwhile",
        ));
    };
    finish(&state, txn, entries).await?;
    Ok(HttpResponse::NoContent().finish())
}
