//! The sync engine: push intents, pull changes, plan-then-apply.
//!
//! Planning (`plan`, `overlay`) is pure; `apply` writes a plan in one transaction; `push` and
//! `pull` do the HTTP (`evidence` uploads the files a batch names before it goes); [`run`] puts
//! them in order.

pub(crate) mod apply;
pub(crate) mod batch;
pub(crate) mod evidence;
pub(crate) mod overlay;
pub(crate) mod plan;
pub(crate) mod pull;
pub(crate) mod push;
pub(crate) mod wire;

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::context::Context;
use crate::error::{Error, Result};
use crate::store::{meta, outbox};

/// Told about a sync while it runs. Called on the syncing thread: keep the work short and do not
/// start another sync from inside.
#[uniffi::export(with_foreign)]
pub trait SyncListener: Send + Sync {
    /// After each pulled page: how many changes arrived so far in this sync.
    fn on_progress(&self, received: u64);
    /// After stored data changed: the kinds touched (`contact`, `employee_card`, `unit`,
    /// `record`, `correction_request`, `inbox`, and `intent` when the state of queued intents
    /// changed).
    fn on_changed(&self, kinds: Vec<String>);
}

/// What a sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct SyncReport {
    /// Intents sent (a resend counts again).
    pub sent: u32,
    /// Intents the server applied.
    pub applied: u32,
    /// Intents refused for good.
    pub rejected: u32,
    /// Intents that conflicted.
    pub conflicts: u32,
    /// Changes pulled.
    pub received: u64,
    /// Intents still waiting to be sent.
    pub pending: u32,
    /// When the first intent now backing off may be sent (Unix milliseconds): a good time for
    /// the next sync. `None` when no intent is backing off.
    pub retry_at_ms: Option<i64>,
}

/// Passes events to the app's listener, if it gave one.
pub(crate) struct Notifier(Option<Arc<dyn SyncListener>>);

impl Notifier {
    /// Wraps the app's listener.
    pub fn new(listener: Option<Arc<dyn SyncListener>>) -> Self {
        Self(listener)
    }

    fn progress(&self, received: u64) {
        if let Some(listener) = &self.0 {
            listener.on_progress(received);
        }
    }

    fn changed<S: Into<String>>(&self, kinds: impl IntoIterator<Item = S>) {
        let kinds: BTreeSet<String> = kinds.into_iter().map(Into::into).collect();
        if let (Some(listener), false) = (&self.0, kinds.is_empty()) {
            listener.on_changed(kinds.into_iter().collect());
        }
    }
}

/// One sync: push, pull until done, push what became due, and pull again if that push applied
/// anything (to receive its effects). Each push sends batches until nothing more is due.
pub(crate) fn run(ctx: &Context, notify: &Notifier) -> Result<SyncReport> {
    if ctx.store.read(meta::session)?.is_none() {
        return Err(Error::SignedOut);
    }
    let mut report = SyncReport::default();
    push::push_all(ctx, &mut report, notify)?;
    pull::pull(ctx, &mut report, notify)?;
    let applied = report.applied;
    push::push_all(ctx, &mut report, notify)?;
    if report.applied > applied {
        pull::pull(ctx, &mut report, notify)?;
    }
    evidence::purge(ctx)?;
    let waiting: Vec<_> = ctx
        .store
        .read(outbox::all)?
        .into_iter()
        .filter(|row| row.state.is_pending())
        .collect();
    report.pending = u32::try_from(waiting.len()).unwrap_or(u32::MAX);
    let now = ctx.clock.now();
    report.retry_at_ms = waiting
        .iter()
        .filter_map(|row| row.next_attempt_at)
        .filter(|at| *at > now)
        .min()
        .map(|at| at.timestamp_millis());
    Ok(report)
}
