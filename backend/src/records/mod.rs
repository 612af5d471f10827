//! Personnel records and correction requests: the HR API, the intents that carry requests, what
//! they publish to phones, and evidence files.

pub mod evidence;
pub mod hr;
pub mod import;
pub mod items;
pub mod publish;
pub mod requests;
pub mod review;

use actix_web::web;

/// Registers every records route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1/hr")
            .configure(import::configure)
            .configure(hr::configure)
            .configure(review::configure),
    )
    .configure(evidence::configure);
}
