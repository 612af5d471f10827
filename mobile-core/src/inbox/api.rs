//! The inbox on [`XodimCore`]. Every method blocks: call it from a background thread. A read
//! is queued and sent by the next sync, so it works offline.

use super::view::{self, InboxView};
use crate::api::XodimCore;
use crate::error::CoreError;

#[uniffi::export]
impl XodimCore {
    /// The user's inbox, newest first, in the user's language, each entry read or not.
    pub fn inbox(&self) -> Vec<InboxView> {
        // The list screens have no error state; an unreadable store shows as empty.
        view::inbox(&self.ctx).unwrap_or_default()
    }

    /// Marks an entry read on every device of the user: it shows read here at once, and the
    /// next sync tells the server. Reading an entry already read does nothing.
    pub fn mark_read(&self, entry_id: String) -> Result<(), CoreError> {
        super::intents::mark_read(&self.ctx, &entry_id).map_err(|e| self.fail(e))
    }

    /// How many entries of the inbox are unread: the app's badge.
    pub fn unread_count(&self) -> u32 {
        view::unread_count(&self.ctx).unwrap_or_default()
    }
}
