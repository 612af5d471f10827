//! Evidence files: `PUT /api/v1/evidence/{sha256}` stores a photo or PDF once by its content
//! hash (a retried upload is harmless); `GET` returns it to its uploader and to the HR officers
//! who review a request it is attached to.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use sha2::{Digest, Sha256};
use xodim_domain::records::{EvidenceType, MAX_EVIDENCE_BYTES, is_content_hash};
use xodim_domain::{Access, ErrorCode, Permission, check_access};

use crate::auth::Actor;
use crate::db::entities::{correction_request, evidence, evidence_upload, request_evidence};
use crate::error::{ApiError, ApiResult};
use crate::org::queries::{self, path_of};
use crate::state::AppState;

/// Registers the routes, with a body limit that fits the largest accepted file.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/api/v1/evidence/{hash}")
            .app_data(web::PayloadConfig::new(MAX_EVIDENCE_BYTES + 1))
            .route(web::put().to(upload))
            .route(web::get().to(download)),
    );
}

fn checked_hash(hash: &str) -> ApiResult<String> {
    if is_content_hash(hash) {
        Ok(hash.to_owned())
    } else {
        Err(ApiError::new(
            ErrorCode::InvalidField,
            "the path names a lowercase hex SHA-256",
        ))
    }
}

/// A body the payload limit cut off is a file over the evidence limit, like one just over it.
fn oversized_evidence(err: actix_web::Error) -> ApiError {
    if err.as_response_error().status_code() == actix_web::http::StatusCode::PAYLOAD_TOO_LARGE {
        let detail = format!("at most {MAX_EVIDENCE_BYTES} bytes");
        ApiError::new(ErrorCode::EvidenceTooLarge, detail)
    } else {
        ApiError::new(ErrorCode::InvalidField, err.to_string())
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[utoipa::path(put, path = "/api/v1/evidence/{hash}", tag = "records",
    request_body(content = Vec<u8>, content_type = "application/pdf"),
    responses((status = 201, description = "Stored"), (status = 200, description = "Already stored"),
        (status = 413, description = "evidence_too_large"), (status = 415, description = "evidence_type")),
    security(("bearer" = [])))]
pub(crate) async fn upload(
    req: HttpRequest,
    state: web::Data<AppState>,
    actor: Actor,
    hash: web::Path<String>,
    body: Result<web::Bytes, actix_web::Error>,
) -> ApiResult<HttpResponse> {
    let hash = checked_hash(&hash)?;
    let body = body.map_err(oversized_evidence)?;
    let declared = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let kind = EvidenceType::check(declared, &body)?;
    if hex(&Sha256::digest(&body)) != hash {
        return Err(ApiError::new(
            ErrorCode::EvidenceHashMismatch,
            "the content's SHA-256 differs from the path",
        ));
    }
    let size = i64::try_from(body.len()).map_err(ApiError::internal)?;
    let row = evidence::ActiveModel {
        hash: Set(hash.clone()),
        content_type: Set(kind.as_str().to_owned()),
        size: Set(size),
        content: Set(body.to_vec()),
        uploaded_by: Set(actor.account.as_uuid()),
        uploaded_at: Set(Utc::now()),
    };
    let inserted = evidence::Entity::insert(row)
        .on_conflict(
            OnConflict::column(evidence::Column::Hash)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&state.db)
        .await?;
    let uploader = evidence_upload::ActiveModel {
        hash: Set(hash.clone()),
        account_id: Set(actor.account.as_uuid()),
    };
    evidence_upload::Entity::insert(uploader)
        .on_conflict(
            OnConflict::columns([
                evidence_upload::Column::Hash,
                evidence_upload::Column::AccountId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(&state.db)
        .await?;
    let answer = json!({ "hash": hash, "size": size, "content_type": kind.as_str() });
    Ok(if inserted == 1 {
        HttpResponse::Created().json(answer)
    } else {
        HttpResponse::Ok().json(answer)
    })
}

#[utoipa::path(get, path = "/api/v1/evidence/{hash}", tag = "records",
    responses((status = 200, description = "The file")), security(("bearer" = [])))]
pub(crate) async fn download(
    state: web::Data<AppState>,
    actor: Actor,
    hash: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let hash = checked_hash(&hash)?;
    let file = evidence::Entity::find_by_id(hash.clone())
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("evidence"))?;
    if !uploaded_by(&state.db, &hash, actor.account.as_uuid()).await?
        && !reviews_a_request_with(&state, &actor, &hash).await?
    {
        // Invisible rather than forbidden: whether a file exists is itself personal data.
        return Err(ApiError::not_found("evidence"));
    }
    Ok(HttpResponse::Ok()
        .content_type(file.content_type)
        .body(file.content))
}

/// Whether the account has uploaded this content (it may have been stored by someone else first).
pub async fn uploaded_by(
    db: &impl sea_orm::ConnectionTrait,
    hash: &str,
    account: uuid::Uuid,
) -> ApiResult<bool> {
    Ok(
        evidence_upload::Entity::find_by_id((hash.to_owned(), account))
            .one(db)
            .await?
            .is_some(),
    )
}

/// Whether the caller reviews (in scope) a request the file is attached to.
async fn reviews_a_request_with(state: &AppState, actor: &Actor, hash: &str) -> ApiResult<bool> {
    let links = request_evidence::Entity::find()
        .filter(request_evidence::Column::Hash.eq(hash))
        .all(&state.db)
        .await?;
    let grants = actor.grants(state).await?;
    for link in links {
        let Some(request) = correction_request::Entity::find_by_id(link.request_id)
            .one(&state.db)
            .await?
        else {
            continue;
        };
        let found = queries::employee_record(&state.db, request.employee_id).await?;
        if check_access(
            &grants,
            Permission::ReviewCorrections,
            &path_of(&found.unit)?,
        ) == Access::Allowed
        {
            return Ok(true);
        }
    }
    Ok(false)
}
