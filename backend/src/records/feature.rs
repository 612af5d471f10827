//! Records as a feature of the sync engine: the `correction` intents, the HR routes, and the
//! file published to an account when it opens.

use actix_web::web;
use async_trait::async_trait;
use sea_orm::DatabaseTransaction;
use utoipa::OpenApi;
use xodim_domain::records::CORRECTION_SUBMIT;
use xodim_domain::records::intents::NAMESPACE;

use super::{evidence, hr, import, publish, requests, review};
use crate::error::ApiResult;
use crate::sync::engine::{AccountOpened, Decision, Feature, IntentContext, Publication};

/// Personnel records and correction requests.
pub struct Records;

#[derive(OpenApi)]
#[openapi(paths(
    hr::list,
    hr::create,
    hr::update,
    hr::delete,
    review::list,
    review::get,
    evidence::upload,
    evidence::download,
    import::import,
))]
struct RecordsApi;

#[async_trait]
impl Feature for Records {
    fn namespace(&self) -> &'static str {
        NAMESPACE
    }

    async fn decide(&self, cx: &IntentContext<'_>) -> ApiResult<Decision> {
        match cx.intent.kind.as_str() {
            CORRECTION_SUBMIT => requests::submit(cx.txn, cx.actor, cx.intent).await,
            _ => requests::apply_step(cx.state, cx.txn, cx.actor, cx.intent).await,
        }
    }

    fn configure(&self, cfg: &mut web::ServiceConfig) {
        cfg.service(
            web::scope("/api/v1/hr")
                .configure(import::configure)
                .configure(hr::configure)
                .configure(review::configure),
        )
        .configure(evidence::configure);
    }

    fn openapi(&self) -> utoipa::openapi::OpenApi {
        RecordsApi::openapi()
    }

    /// The file was kept before there was an account to sync it to.
    async fn account_opened(
        &self,
        txn: &DatabaseTransaction,
        opened: AccountOpened,
    ) -> ApiResult<Publication> {
        let entries = publish::all_records(txn, opened.employee.as_uuid(), opened.account).await?;
        Ok(entries.into())
    }
}
