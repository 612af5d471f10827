//! Liveness and readiness for load balancers and orchestrators.

use actix_web::{HttpResponse, web};
use serde_json::json;

use crate::state::AppState;

/// Registers `/health` and `/ready`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/health", web::get().to(health))
        .route("/ready", web::get().to(ready));
}

/// The process is up.
#[utoipa::path(get, path = "/health", tag = "operations", responses((status = 200)))]
async fn health() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

/// The database and Redis answer; 503 names the one that does not.
#[utoipa::path(get, path = "/ready", tag = "operations",
    responses((status = 200), (status = 503, description = "a dependency is down")))]
async fn ready(state: web::Data<AppState>) -> HttpResponse {
    let database = state.db.ping().await.map_err(|err| err.to_string());
    let redis = state.kv.ping().await.map_err(|err| err.to_string());
    let status = |r: &Result<(), String>| match r {
        Ok(()) => json!("ok"),
        Err(err) => json!({ "error": err }),
    };
    let body = json!({
        "database": status(&database),
        "redis": if state.kv.is_shared() { status(&redis) } else { json!("not configured") },
    });
    if database.is_ok() && redis.is_ok() {
        HttpResponse::Ok().json(body)
    } else {
        tracing::warn!(%body, "not ready");
        HttpResponse::ServiceUnavailable().json(body)
    }
}
