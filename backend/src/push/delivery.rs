//! One delivery: from a claimed row to a message, and from the sender's answer to the row's
//! next state.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;
use xodim_domain::Locale;
use xodim_domain::notify::{NotificationKind, Priority};

use super::outbox::{DROPPED, FAILED, PENDING, SENT};
use super::{Alert, PushMessage, SendOutcome};
use crate::db::entities::{account, push_outbox, push_token};
use crate::state::AppState;

/// A row this worker holds under a lease until `lease`.
pub struct Claimed {
    /// The row as claimed.
    pub row: push_outbox::Model,
    /// When the lease ends.
    pub lease: DateTime<Utc>,
}

/// A message ready to send, and the row it came from.
pub struct Ready {
    pub(super) row: push_outbox::Model,
    pub(super) lease: DateTime<Utc>,
    pub(super) message: PushMessage,
}

/// Builds the messages of the claimed rows; rows too old or whose device has no token any
/// more are dropped here and counted.
pub async fn prepare(
    state: &AppState,
    claimed: Vec<Claimed>,
    now: DateTime<Utc>,
) -> Result<Vec<Ready>, DbErr> {
    if claimed.is_empty() {
        return Ok(Vec::new());
    }
    let (tokens, locales) = recipients(state, &claimed).await?;
    let cap = chrono::Duration::seconds(
        i64::try_from(state.settings.push_time_to_live_secs).unwrap_or(i64::MAX / 2),
    );
    let mut ready = Vec::new();
    for Claimed { row, lease } in claimed {
        let expires_at = row.expires_at.min(row.created_at + cap);
        if now >= expires_at {
            drop_row(state, &row, lease, "expired").await?;
            continue;
        }
        let Some(token) = tokens.get(&row.session_id) else {
            drop_row(state, &row, lease, "no_token").await?;
            continue;
        };
        let locale = locales.get(&row.account_id).copied().unwrap_or_default();
        let Some(message) = message_of(&row, token, locale, expires_at - now) else {
            fail(state, &row, lease, "unknown_kind", now).await?;
            continue;
        };
        ready.push(Ready {
            row,
            lease,
            message,
        });
    }
    Ok(ready)
}

/// The current token of each claimed row's session and the language of its account.
async fn recipients(
    state: &AppState,
    claimed: &[Claimed],
) -> Result<(HashMap<Uuid, String>, HashMap<Uuid, Locale>), DbErr> {
    let sessions: Vec<Uuid> = claimed.iter().map(|c| c.row.session_id).collect();
    let tokens = push_token::Entity::find()
        .filter(push_token::Column::SessionId.is_in(sessions))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|t| (t.session_id, t.token))
        .collect();
    let accounts: Vec<Uuid> = claimed.iter().map(|c| c.row.account_id).collect();
    let locales = account::Entity::find()
        .filter(account::Column::Id.is_in(accounts))
        .all(&state.db)
        .await?
        .into_iter()
        .filter_map(|a| Locale::from_tag(&a.locale).map(|l| (a.id, l)))
        .collect();
    Ok((tokens, locales))
}

/// The message of a row: ids only in the data, the kind's fixed alert text.
fn message_of(
    row: &push_outbox::Model,
    token: &str,
    locale: Locale,
    remaining: chrono::Duration,
) -> Option<PushMessage> {
    let kind: NotificationKind = row.kind.parse().ok()?;
    let data = BTreeMap::from([
        ("kind".to_owned(), row.kind.clone()),
        ("scope".to_owned(), row.scope.clone()),
        ("entity".to_owned(), row.entity.clone()),
        ("id".to_owned(), row.entity_id.clone()),
        ("message_id".to_owned(), row.id.to_string()),
    ]);
    Some(PushMessage {
        id: row.id,
        token: token.to_owned(),
        data,
        alert: Some(Alert {
            title: kind.alert_title().render(locale),
            body: kind.alert_body().render(locale),
        }),
        collapse_key: row.collapse_key.clone(),
        urgent: row.priority == Priority::Urgent.as_str(),
        time_to_live: remaining.to_std().unwrap_or_default(),
    })
}

/// Records what the sender answered; true when the message was accepted.
pub async fn settle(
    state: &AppState,
    ready: &Ready,
    outcome: SendOutcome,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let (row, lease) = (&ready.row, ready.lease);
    let metrics = &state.metrics.push;
    match outcome {
        SendOutcome::Sent => {
            held(row.id, lease)
                .col_expr(push_outbox::Column::State, Expr::value(SENT))
                .col_expr(push_outbox::Column::SentAt, Expr::value(now))
                .col_expr(
                    push_outbox::Column::LeaseUntil,
                    Expr::value(None::<DateTime<Utc>>),
                )
                .exec(&state.db)
                .await?;
            metrics.sent.inc();
            return Ok(true);
        }
        SendOutcome::Retry { after, reason } => {
            let due = super::backoff::not_before(now + super::backoff::delay(row.attempts, after));
            held(row.id, lease)
                .col_expr(push_outbox::Column::NextAttemptAt, Expr::value(due))
                .col_expr(
                    push_outbox::Column::LeaseUntil,
                    Expr::value(None::<DateTime<Utc>>),
                )
                .col_expr(
                    push_outbox::Column::LastError,
                    Expr::value(bounded(&reason)),
                )
                .exec(&state.db)
                .await?;
            metrics.retried.inc();
        }
        SendOutcome::TokenGone { reason } => {
            token_gone(state, row, &ready.message.token, &reason).await?;
        }
        SendOutcome::Failed { reason } => fail(state, row, lease, &reason, now).await?,
    }
    Ok(false)
}

/// The token is dead: forget it, and everything still queued for it.
async fn token_gone(
    state: &AppState,
    row: &push_outbox::Model,
    token: &str,
    reason: &str,
) -> Result<(), DbErr> {
    push_token::Entity::delete_many()
        .filter(push_token::Column::SessionId.eq(row.session_id))
        .filter(push_token::Column::Token.eq(token))
        .exec(&state.db)
        .await?;
    let dropped = push_outbox::Entity::update_many()
        .col_expr(push_outbox::Column::State, Expr::value(DROPPED))
        .col_expr(push_outbox::Column::LastError, Expr::value(bounded(reason)))
        .filter(push_outbox::Column::SessionId.eq(row.session_id))
        .filter(push_outbox::Column::State.eq(PENDING))
        .exec(&state.db)
        .await?;
    state
        .metrics
        .push
        .failed
        .with_label_values(&["token_gone"])
        .inc();
    let others = dropped.rows_affected.saturating_sub(1);
    state
        .metrics
        .push
        .dropped
        .with_label_values(&["no_token"])
        .inc_by(others);
    Ok(())
}

async fn fail(
    state: &AppState,
    row: &push_outbox::Model,
    lease: DateTime<Utc>,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let reason = bounded(reason);
    held(row.id, lease)
        .col_expr(push_outbox::Column::State, Expr::value(FAILED))
        .col_expr(push_outbox::Column::LastError, Expr::value(reason.clone()))
        .col_expr(push_outbox::Column::NextAttemptAt, Expr::value(now))
        .exec(&state.db)
        .await?;
    state
        .metrics
        .push
        .failed
        .with_label_values(&[&reason])
        .inc();
    Ok(())
}

async fn drop_row(
    state: &AppState,
    row: &push_outbox::Model,
    lease: DateTime<Utc>,
    reason: &str,
) -> Result<(), DbErr> {
    held(row.id, lease)
        .col_expr(push_outbox::Column::State, Expr::value(DROPPED))
        .col_expr(push_outbox::Column::LastError, Expr::value(reason))
        .exec(&state.db)
        .await?;
    state
        .metrics
        .push
        .dropped
        .with_label_values(&[reason])
        .inc();
    Ok(())
}

/// An update of a row this worker still holds: once its lease ran out and another worker
/// claimed it, the other worker's answer is the one recorded.
fn held(id: Uuid, lease: DateTime<Utc>) -> sea_orm::UpdateMany<push_outbox::Entity> {
    push_outbox::Entity::update_many()
        .filter(push_outbox::Column::Id.eq(id))
        .filter(push_outbox::Column::LeaseUntil.eq(lease))
}

/// A provider's reason cut to a size fit for a column and a metric label.
fn bounded(reason: &str) -> String {
    reason.chars().take(64).collect()
}

/// Sets the queue gauges: how many deliveries wait and how old the oldest is.
pub async fn observe_queue(state: &AppState, now: DateTime<Utc>) -> Result<(), DbErr> {
    let pending = push_outbox::Entity::find().filter(push_outbox::Column::State.eq(PENDING));
    let depth = pending.clone().count(&state.db).await?;
    let oldest = pending
        .order_by_asc(push_outbox::Column::CreatedAt)
        .limit(1)
        .one(&state.db)
        .await?;
    let metrics = &state.metrics.push;
    metrics
        .queue_depth
        .set(i64::try_from(depth).unwrap_or(i64::MAX));
    let age = oldest.map_or(0, |row| (now - row.created_at).num_seconds().max(0));
    metrics.oldest_age_seconds.set(age);
    Ok(())
}
