//! The feature-free part of the sync spine: what a feature is handed to decide an intent, what
//! it answers, and the one path by which a business change reaches the change log and the
//! phones.
//!
//! Nothing here knows a feature. Features implement [`Feature`] and are listed once, in the
//! composition root `features.rs`; the intent route finds the feature of an intent by its
//! namespace in the [`Registry`] built from that list.

mod decision;
mod publication;
mod registry;

use actix_web::web;
use async_trait::async_trait;
use sea_orm::DatabaseTransaction;
use xodim_domain::sync::Intent;
use xodim_domain::{AccountId, EmployeeId};

use crate::auth::Actor;
use crate::error::ApiResult;
use crate::state::AppState;

pub use decision::Decision;
pub(super) use decision::Verdict;
pub use publication::{Publication, Written, commit_and_poke, poke};
pub use registry::{DuplicateNamespace, Registry};

/// What a feature is handed to decide one intent: the transaction the engine opened, in which
/// the decision's effects, its change-log entries and its stored outcome are all written.
pub struct IntentContext<'a> {
    /// The shared state, for lookups outside the transaction (grants, caches).
    pub state: &'a AppState,
    /// The open transaction; the engine commits it after storing the outcome.
    pub txn: &'a DatabaseTransaction,
    /// Who sent the intent, from which device session.
    pub actor: &'a Actor,
    /// The intent, whose type is in the feature's namespace.
    pub intent: &'a Intent,
}

/// An account that has just been opened for an employee whose data may predate it.
#[derive(Debug, Clone, Copy)]
pub struct AccountOpened {
    /// The employee the account signs in as.
    pub employee: EmployeeId,
    /// The new account, whose own scope the phones will sync.
    pub account: AccountId,
}

/// A feature of the server as the sync engine sees it: the intents it owns, the routes it
/// serves and what it publishes when an account opens.
#[async_trait]
pub trait Feature: Send + Sync {
    /// The intent namespace it owns: every intent type `<namespace>.<verb>` comes to it.
    fn namespace(&self) -> &'static str;

    /// Decides one intent of its namespace inside the open transaction. The decision's
    /// publication is written by the engine in that transaction; a feature never writes the
    /// change log itself.
    async fn decide(&self, cx: &IntentContext<'_>) -> ApiResult<Decision>;

    /// Registers the feature's HTTP routes; none by default.
    fn configure(&self, _cfg: &mut web::ServiceConfig) {}

    /// The OpenAPI description of the routes [`Feature::configure`] registers.
    fn openapi(&self) -> utoipa::openapi::OpenApi {
        utoipa::openapi::OpenApi::default()
    }

    /// What the phones of a newly opened account must receive of the data the feature kept
    /// before the account existed; nothing by default.
    async fn account_opened(
        &self,
        _txn: &DatabaseTransaction,
        _opened: AccountOpened,
    ) -> ApiResult<Publication> {
        Ok(Publication::default())
    }
}
