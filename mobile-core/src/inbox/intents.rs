//! The one intent of the inbox: a read, queued in the outbox and sent by the next sync.

use serde_json::json;
use uuid::Uuid;
use xodim_domain::inbox::{INBOX_READ, InboxAddress};
use xodim_domain::{DomainError, ErrorCode};

use super::view;
use crate::context::Context;
use crate::error::Result;
use crate::store::outbox::{self, NewIntent};

/// Marks an entry of the user's inbox read. An entry already shown read queues nothing, so a
/// screen may call this every time the entry is opened.
pub(crate) fn mark_read(ctx: &Context, entry_id: &str) -> Result<()> {
    let id = Uuid::parse_str(entry_id.trim())
        .map_err(|_| DomainError::new(ErrorCode::InvalidId, "entry id must be a UUID"))?;
    ctx.store.write(|tx| {
        let shown = view::load(tx)?;
        let entry = shown
            .iter()
            .find(|s| s.item.id == id)
            .ok_or_else(|| DomainError::new(ErrorCode::NotFound, format!("no inbox entry {id}")))?;
        if entry.read {
            return Ok(());
        }
        let intent = NewIntent {
            intent_id: ctx.ids.next_intent_id(),
            kind: INBOX_READ.to_owned(),
            aggregate: InboxAddress(id).to_string(),
            expectation: None,
            args: json!({}),
            client_time: ctx.clock.now(),
        };
        outbox::insert(tx, &intent).map(|_| ())
    })
}
