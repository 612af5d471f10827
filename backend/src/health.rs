//! Liveness and readiness for load balancers and orchestrators.

use std::time::Duration;

use actix_web::{HttpResponse, web};
use serde_json::json;

use crate::state::AppState;

/// How long `/ready` waits for the database before calling it down.
const DATABASE_PING: Duration = Duration::from_millis(1500);

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

/// Ready when the database answers. Redis is a cache and a relay: without it the instance still
/// serves, `degraded`, so a load balancer keeps it; 503 only when the database does not answer.
#[utoipa::path(get, path = "/ready", tag = "operations",
    responses((status = 200, description = "serving; `status` is `ok` or `degraded`"),
        (status = 503, description = "the database is down")))]
async fn ready(state: web::Data<AppState>) -> HttpResponse {
    let database = match tokio::time::timeout(DATABASE_PING, state.db.ping()).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(err)) => Err(err.to_string()),
        Err(_) => Err("no answer within 1.5 s".to_owned()),
    };
    let redis = state.kv.ping().await.map_err(|err| err.to_string());
    let status = |r: &Result<(), String>| match r {
        Ok(()) => json!("ok"),
        Err(err) => json!({ "error": err }),
    };
    let overall = match (&database, &redis) {
        (Err(_), _) => "unavailable",
        (Ok(()), Err(_)) => "degraded",
        (Ok(()), Ok(())) => "ok",
    };
    let body = json!({
        "status": overall,
        "database": status(&database),
        "redis": if state.kv.is_shared() { status(&redis) } else { json!("not configured") },
    });
    if database.is_ok() {
        HttpResponse::Ok().json(body)
    } else {
        tracing::warn!(%body, "not ready");
        HttpResponse::ServiceUnavailable()
            .insert_header(("Retry-After", "1"))
            .json(body)
    }
}
