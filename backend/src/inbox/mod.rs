//! The user's inbox: entries other features create (a decided correction request, …) and their
//! read state, shared by every device of the user through the account's own scope.

mod read;

use async_trait::async_trait;
use xodim_domain::inbox::{INBOX_READ, NAMESPACE};

use crate::error::ApiResult;
use crate::sync::engine::{Decision, Feature, IntentContext};

/// The inbox feature: owns the `inbox` intent namespace. Its entries are created by the
/// features they are about, so it has no routes and nothing to publish when an account opens.
pub struct Inbox;

#[async_trait]
impl Feature for Inbox {
    fn namespace(&self) -> &'static str {
        NAMESPACE
    }

    async fn decide(&self, cx: &IntentContext<'_>) -> ApiResult<Decision> {
        match cx.intent.kind.as_str() {
            INBOX_READ => read::apply(cx.txn, cx.actor, cx.intent).await,
            other => Ok(Decision::unknown_intent(other)),
        }
    }
}
