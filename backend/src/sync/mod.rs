//! The sync spine: the change log per scope, pulls, intents, and live pokes.

pub mod contact;
pub mod intents;
pub mod live;
pub mod log;
pub mod notify;
pub mod publish;
pub mod pull;
pub mod scopes;

use actix_web::web;

/// Registers the sync routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1/sync")
            .route("/changes", web::get().to(pull::changes))
            .route("/intents", web::post().to(intents::submit))
            .route("/live", web::get().to(live::live)),
    );
}
