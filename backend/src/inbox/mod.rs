//! The user's inbox: entries other features create (a decided correction request, …) and their
//! read state, shared by every device of the user through the account's own scope.

mod read;

use async_trait::async_trait;
use sea_orm::DbErr;
use xodim_domain::AccountId;
use xodim_domain::inbox::{INBOX_READ, NAMESPACE};
use xodim_domain::records::InboxItem;
use xodim_domain::sync::{EntityKind, Scope};

use crate::error::ApiResult;
use crate::sync::engine::{Decision, Feature, IntentContext};
use crate::sync::log::Entry;

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

/// An inbox entry as every device of its account pulls it from the own scope: what a feature
/// publishes when it creates one, and what a read republishes.
pub fn entry(account: AccountId, item: &InboxItem) -> Result<Entry, DbErr> {
    Ok(Entry {
        scope: Scope::Own(account),
        kind: EntityKind::Inbox,
        id: item.id,
        data: Some(serde_json::to_value(item).map_err(|e| DbErr::Custom(e.to_string()))?),
    })
}
