//! The delivery worker: claims due outbox rows in small batches, sends them through a
//! [`PushSender`] with bounded concurrency, and records what became of each.
//!
//! A claim moves a row's due time to the end of a lease, so a claimer that dies leaves rows
//! that fall due again by themselves; on PostgreSQL the claim skips rows another instance is
//! claiming (`FOR UPDATE SKIP LOCKED`), so each row goes to one worker at a time.

use std::sync::Arc;
use std::time::Duration;

use actix_web::web;
use chrono::{DateTime, SubsecRound, Utc};
use futures_util::StreamExt;
use sea_orm::sea_query::{Expr, LockBehavior, LockType, Order, Query};
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult, StatementBuilder};

use super::delivery::{self, Claimed};
use super::{PushSender, outbox};
use crate::db::entities::push_outbox::{self, Column};
use crate::state::AppState;

/// Rows claimed at once, per unit of concurrency.
const BATCH_PER_SLOT: u64 = 4;

/// What one round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    /// Rows claimed.
    pub claimed: usize,
    /// Accepted by the provider.
    pub sent: usize,
}

/// Delivers the outbox of one database through one sender.
pub struct Worker {
    state: web::Data<AppState>,
    sender: Arc<dyn PushSender>,
    concurrency: usize,
    lease: chrono::Duration,
}

impl Worker {
    /// A worker with the concurrency the settings name (at least one).
    pub fn new(state: web::Data<AppState>, sender: Arc<dyn PushSender>) -> Self {
        let concurrency = state.settings.push_worker_concurrency.max(1);
        let lease = i64::try_from(state.settings.push_lease_secs).unwrap_or(i64::MAX / 2);
        Self {
            state,
            sender,
            concurrency,
            lease: chrono::Duration::seconds(lease.max(1)),
        }
    }

    /// Claims the rows due at `now` (one batch) and delivers them.
    pub async fn round(&self, now: DateTime<Utc>) -> Result<Round, DbErr> {
        let batch = BATCH_PER_SLOT * self.concurrency as u64;
        // On SQLite the worker's writes take the server's write turn like every other
        // writer, so that an intent's transaction is never overtaken; sending does not.
        let (claimed, ready) = {
            let _turn = self.state.write_turn().await;
            let rows = claim(&self.state.db, now, now + self.lease, batch).await?;
            (rows.len(), delivery::prepare(&self.state, rows, now).await?)
        };
        let sender = &self.sender;
        let outcomes: Vec<_> = futures_util::stream::iter(ready)
            .map(|item| async move {
                let outcome = sender.send(&item.message).await;
                (item, outcome)
            })
            .buffer_unordered(self.concurrency)
            .collect()
            .await;
        let mut sent = 0;
        let _turn = self.state.write_turn().await;
        for (item, outcome) in outcomes {
            if delivery::settle(&self.state, &item, outcome, now).await? {
                sent += 1;
            }
        }
        Ok(Round { claimed, sent })
    }

    /// Runs rounds at `now` until nothing more is due.
    pub async fn drain(&self, now: DateTime<Utc>) -> Result<Round, DbErr> {
        self.drain_with(|| now).await
    }

    /// Runs rounds, each at the instant `clock` gives, until nothing more is due: a long
    /// drain never claims with a lease that already ran out.
    async fn drain_with(&self, clock: impl Fn() -> DateTime<Utc>) -> Result<Round, DbErr> {
        let mut total = Round::default();
        loop {
            let now = clock();
            let round = self.round(now).await?;
            total.claimed += round.claimed;
            total.sent += round.sent;
            if round.claimed == 0 {
                delivery::observe_queue(&self.state, now).await?;
                return Ok(total);
            }
        }
    }
}

/// Takes up to `limit` due rows under a lease, in due order.
async fn claim(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<Claimed>, DbErr> {
    // In scope here only: its blanket methods would shadow `Ord::max` on plain numbers.
    use sea_orm::sea_query::ExprTrait as _;
    // PostgreSQL keeps microseconds: the lease is compared for equality when settling.
    let lease = until.trunc_subsecs(6);
    let mut due = Query::select();
    due.column(Column::Id)
        .from(push_outbox::Entity)
        .and_where(Expr::col(Column::State).eq(Expr::val(outbox::PENDING)))
        .and_where(Expr::col(Column::NextAttemptAt).lte(now))
        .order_by(Column::NextAttemptAt, Order::Asc)
        .limit(limit);
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        due.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let update = Query::update()
        .table(push_outbox::Entity)
        .value(Column::NextAttemptAt, lease)
        .value(Column::LeaseUntil, lease)
        .value(Column::Attempts, Expr::col(Column::Attempts).add(1))
        .and_where(Expr::col(Column::Id).in_subquery(due))
        .returning_all()
        .to_owned();
    let statement = StatementBuilder::build(&update, &db.get_database_backend());
    let rows = push_outbox::Model::find_by_statement(statement)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|row| Claimed { row, lease }).collect())
}

/// Runs a worker until the server stops: a round whenever a commit in this instance queued
/// notifications, and at least every poll interval for the rest (other instances' commits,
/// quiet hours ending, retries falling due).
pub fn spawn(
    state: web::Data<AppState>,
    sender: Arc<dyn PushSender>,
) -> Option<tokio::task::JoinHandle<()>> {
    if state.settings.push_worker_concurrency == 0 {
        return None;
    }
    let poll = Duration::from_millis(state.settings.push_poll_interval_ms.max(10));
    let worker = Worker::new(state.clone(), sender);
    Some(tokio::spawn(async move {
        loop {
            if let Err(err) = worker.drain_with(Utc::now).await {
                tracing::warn!(error = %err, "push delivery round failed; trying again");
            }
            tokio::select! {
                () = state.push_wake.notified() => {}
                () = tokio::time::sleep(poll) => {}
            }
        }
    }))
}
