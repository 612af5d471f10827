//! Carries plans out, each in one SQLite transaction.

use std::collections::BTreeSet;

use rusqlite::Transaction;

use crate::error::Result;
use crate::store::{entities, meta, outbox};
use crate::sync::plan::{EntityWrite, OutboxUpdate, PullPlan};

/// Applies a pull plan; returns the kinds of entity that changed.
pub(crate) fn apply_pull(tx: &Transaction<'_>, plan: &PullPlan) -> Result<BTreeSet<String>> {
    let mut kinds = BTreeSet::new();
    if plan.purge_all {
        kinds.extend(entities::purge_all(tx)?);
    }
    for scope in &plan.purge_scopes {
        kinds.extend(entities::purge_scope(tx, scope)?);
    }
    for write in &plan.writes {
        match write {
            EntityWrite::Upsert(row) => {
                entities::upsert(tx, row)?;
                kinds.insert(row.kind.clone());
            }
            EntityWrite::Delete { scope, kind, id } => {
                entities::delete(tx, scope, kind, id)?;
                kinds.insert(kind.clone());
            }
        }
    }
    match &plan.cursor {
        Some(cursor) => meta::set(tx, meta::Key::Cursor, cursor)?,
        None => meta::delete(tx, meta::Key::Cursor)?,
    }
    Ok(kinds)
}

/// Records the outcome of a push.
pub(crate) fn apply_outbox(tx: &Transaction<'_>, updates: &[OutboxUpdate]) -> Result<()> {
    for (id, settlement) in updates {
        outbox::settle(tx, *id, settlement)?;
    }
    Ok(())
}
