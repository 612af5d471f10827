//! A servant's own contact details, changed from the phone with the `contact.update` intent:
//! the smallest feature, and the pattern of the others.

mod publish;
mod update;

use async_trait::async_trait;
use xodim_domain::contact::{CONTACT_UPDATE, NAMESPACE};

use crate::error::ApiResult;
use crate::sync::engine::{Decision, Feature, IntentContext};

pub use update::current;

/// The contact feature: owns the `contact` intent namespace; it has no routes of its own and
/// nothing to publish when an account opens, since a new account has no details yet.
pub struct Contact;

#[async_trait]
impl Feature for Contact {
    fn namespace(&self) -> &'static str {
        NAMESPACE
    }

    async fn decide(&self, cx: &IntentContext<'_>) -> ApiResult<Decision> {
        match cx.intent.kind.as_str() {
            CONTACT_UPDATE => update::apply(cx.txn, cx.actor, cx.intent).await,
            other => Ok(Decision::unknown_intent(other)),
        }
    }
}
