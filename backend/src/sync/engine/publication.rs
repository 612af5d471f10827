//! The one commit path of a business change: what it publishes is written in its transaction,
//! the transaction commits, then the phones are told.
//!
//! Everything a change publishes travels in a [`Publication`] and is written by
//! [`Publication::write`] alone, so a further kind of row written with the change (a push
//! notification, say) is added there once and every writer gets it.

use chrono::Utc;
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbErr};
use uuid::Uuid;
use xodim_domain::AccountId;
use xodim_domain::notify::NotificationKind;
use xodim_domain::sync::{EntityKind, Scope};

use crate::error::ApiResult;
use crate::push::outbox::{self, Notice};
use crate::state::AppState;
use crate::sync::log::{self, Entry};
use crate::sync::scopes;

/// What one business change publishes, gathered before it is written.
#[derive(Debug, Default)]
pub struct Publication {
    entries: Vec<Entry>,
    notices: Vec<Notice>,
    membership_changed: bool,
}

impl From<Vec<Entry>> for Publication {
    fn from(entries: Vec<Entry>) -> Self {
        Self {
            entries,
            ..Self::default()
        }
    }
}

impl Publication {
    /// Adds change-log entries.
    pub fn extend(&mut self, entries: impl IntoIterator<Item = Entry>) {
        self.entries.extend(entries);
    }

    /// Adds what another part of the same change publishes.
    pub fn join(&mut self, other: Publication) {
        self.entries.extend(other.entries);
        self.notices.extend(other.notices);
        self.membership_changed |= other.membership_changed;
    }

    /// Tells `account` in the background that `entity` of `kind`, which `scope` carries, is
    /// worth a look: one outbox row per device token of the account, unless the account
    /// turned `notification` off (the entry itself still syncs).
    pub fn notify(
        &mut self,
        account: AccountId,
        notification: NotificationKind,
        scope: Scope,
        kind: EntityKind,
        id: Uuid,
    ) {
        self.notices.push(Notice {
            account,
            kind: notification,
            scope,
            entity: kind,
            id,
        });
    }

    /// Marks a change to who manages or reviews whom (a unit, a head, a transfer): once it is
    /// committed, every cached set of scopes is retired before the phones are told.
    pub fn with_membership_changed(mut self) -> Self {
        self.membership_changed = true;
        self
    }

    /// Writes everything the change publishes in its transaction.
    pub async fn write(self, txn: &impl ConnectionTrait) -> Result<Written, DbErr> {
        let now = Utc::now();
        let heads = log::record(txn, self.entries, now).await?;
        let queued = outbox::enqueue(txn, &self.notices, now).await?;
        Ok(Written {
            heads,
            membership_changed: self.membership_changed,
            queued,
        })
    }
}

/// A publication written in a transaction that is not committed yet.
#[must_use = "commit it with `commit_and_poke`, or `commit` when the caller pokes later"]
pub struct Written {
    heads: Vec<(Scope, i64)>,
    membership_changed: bool,
    /// Outbox rows written: the worker of this instance is woken once they are committed.
    queued: u64,
}

impl Written {
    /// The versions the scopes will have once the transaction commits.
    pub fn heads(&self) -> &[(Scope, i64)] {
        &self.heads
    }

    /// Commits, then tells the caches and the phones.
    pub async fn commit_and_poke(
        self,
        state: &AppState,
        txn: DatabaseTransaction,
    ) -> ApiResult<Vec<(Scope, i64)>> {
        let membership_changed = self.membership_changed;
        let queued = self.queued;
        let heads = self.commit(txn).await?;
        if queued > 0 {
            state.push_wake.notify_one();
        }
        if membership_changed {
            scopes::membership_changed(&state.kv).await?;
        }
        poke(state, &heads).await?;
        Ok(heads)
    }

    /// Commits without telling anyone: for one chunk of a long write (an import) whose caller
    /// pokes once, with [`poke`], when every chunk is in.
    pub async fn commit(self, txn: DatabaseTransaction) -> Result<Vec<(Scope, i64)>, DbErr> {
        txn.commit().await?;
        Ok(self.heads)
    }

    /// The heads, for a transaction its caller commits as part of something larger (seeding
    /// a database before any server reads it), with nothing to tell.
    pub fn into_heads(self) -> Vec<(Scope, i64)> {
        self.heads
    }
}

/// Tells the caches and live phones of this and every other instance that committed changes
/// moved these scopes.
pub async fn poke(state: &AppState, heads: &[(Scope, i64)]) -> ApiResult<()> {
    state.notifier.moved(&state.kv, heads).await
}

/// Writes the publication in the transaction, commits it, then tells the phones: the whole
/// path of a change made in one transaction.
pub async fn commit_and_poke(
    state: &AppState,
    txn: DatabaseTransaction,
    publication: Publication,
) -> ApiResult<Vec<(Scope, i64)>> {
    publication
        .write(&txn)
        .await?
        .commit_and_poke(state, txn)
        .await
}
