//! The sync spine: the change log per scope, pulls, intents, and live pokes. It imports no
//! feature: features plug in through [`engine::Feature`].

pub mod engine;
pub mod intents;
pub mod live;
pub mod log;
pub mod notify;
pub mod pull;
pub mod scopes;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::{Next, from_fn};
use actix_web::web;

use crate::state::AppState;

/// The header of every answer of the sync routes that names the largest JSON request body, in
/// bytes, the server accepts (`XODIM_MAX_JSON_BYTES`), so that devices size their batches of
/// intents below it.
pub const MAX_BODY_HEADER: &str = "xodim-max-body-bytes";

/// Registers the sync routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1/sync")
            .wrap(from_fn(advertise_body_limit))
            .route("/changes", web::get().to(pull::changes))
            .route("/intents", web::post().to(intents::submit))
            .route("/live", web::get().to(live::live)),
    );
}

async fn advertise_body_limit(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let limit = req
        .app_data::<web::Data<AppState>>()
        .map(|state| state.settings.max_json_bytes);
    let mut res = next.call(req).await?;
    if let Some(limit) = limit {
        res.headers_mut().insert(
            HeaderName::from_static(MAX_BODY_HEADER),
            HeaderValue::from(limit),
        );
    }
    Ok(res)
}
