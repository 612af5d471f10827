//! The contact details on [`XodimCore`]. Every method blocks: call it from a background
//! thread. A change is queued and sent by the next sync, so it works offline.

use super::view::{self, ContactView};
use crate::api::XodimCore;
use crate::error::CoreError;
use crate::views::{self as intent_views, QueuedIntent};

#[uniffi::export]
impl XodimCore {
    /// The account's contact details with the user's pending changes on top.
    pub fn contact(&self) -> Result<Option<ContactView>, CoreError> {
        view::contact(&self.ctx).map_err(|e| self.fail(e))
    }

    /// Queues a change of the contact details (blank means none), after checking it with the
    /// same rules as the server. It is sent by the next sync.
    pub fn update_contact(
        &self,
        phone: Option<String>,
        email: Option<String>,
        address: Option<String>,
    ) -> Result<QueuedIntent, CoreError> {
        let row = super::intents::update_contact(
            &self.ctx,
            phone.as_deref(),
            email.as_deref(),
            address.as_deref(),
        )
        .map_err(|e| self.fail(e))?;
        Ok(intent_views::intent(row, self.ctx.locale()))
    }
}
