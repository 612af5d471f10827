//! Push notifications: rows of a transactional outbox, written with the change that causes
//! them, delivered by a worker in every instance through a [`PushSender`] (FCM HTTP v1, or a
//! log sender when no credentials are configured).
//!
//! A notification carries ids only (kind, scope, entity); the app pulls for the truth. A
//! visible alert is a fixed text per kind in the device's language, with no personal data.

mod backoff;
mod delivery;
mod devices;
pub mod fcm;
pub mod log_sender;
mod memory;
pub mod outbox;
pub mod preferences;
mod sender;
pub mod worker;

use actix_web::web;

pub use fcm::{FcmConfigError, FcmSender, sender_from_settings};
pub use log_sender::LogSender;
pub use memory::MemorySender;
pub use sender::{Alert, PushMessage, PushSender, SendOutcome};
pub use worker::Worker;

/// Registers the device-token and notification-settings routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.configure(token_routes).configure(settings_routes);
}

fn token_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/api/v1/devices/current/push-token")
            .route(web::put().to(devices::put_token))
            .route(web::delete().to(devices::delete_token)),
    );
}

fn settings_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/api/v1/me/notifications")
            .route(web::get().to(preferences::get_settings))
            .route(web::put().to(preferences::put_settings)),
    );
}

/// The routes' descriptions, for the OpenAPI document.
pub(crate) mod paths {
    pub use super::devices::{__path_delete_token, __path_put_token};
    pub use super::preferences::{__path_get_settings, __path_put_settings};
}
