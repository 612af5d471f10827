//! The outbox: one row per delivery of a notification to one device session, written in the
//! transaction of the change that causes it.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;
use xodim_domain::AccountId;
use xodim_domain::notify::{NotificationKind, Priority, release_at};
use xodim_domain::sync::{EntityKind, Scope};

use super::preferences;
use crate::db::entities::{push_outbox, push_token};
use crate::sync::log::kind_name;

/// A row waiting to be sent, or being sent under a lease.
pub const PENDING: &str = "pending";
/// Accepted by the provider.
pub const SENT: &str = "sent";
/// Refused for good; `last_error` says why.
pub const FAILED: &str = "failed";
/// Not sent: too old, or its token is gone.
pub const DROPPED: &str = "dropped";

/// How long a notification is worth delivering at all.
fn time_to_live(kind: NotificationKind) -> chrono::Duration {
    match kind {
        NotificationKind::CorrectionDecided | NotificationKind::CorrectionWaiting => {
            chrono::Duration::hours(24)
        }
    }
}

/// What a change wants one account to hear about.
#[derive(Debug, Clone)]
pub struct Notice {
    /// Who is told.
    pub account: AccountId,
    /// What about.
    pub kind: NotificationKind,
    /// The scope to pull.
    pub scope: Scope,
    /// The kind of the entity that changed.
    pub entity: EntityKind,
    /// Its id.
    pub id: Uuid,
}

/// Messages with one key replace each other on the device: one per kind and account.
fn collapse_key(notice: &Notice) -> String {
    format!("{}-{}", notice.kind.as_str(), notice.account)
}

/// Writes a row per device token of each notice's account, unless the account turned the
/// kind off; normal ones wait for the end of the account's quiet hours. Returns how many.
pub async fn enqueue(
    txn: &impl ConnectionTrait,
    notices: &[Notice],
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let mut queued = 0;
    for notice in notices {
        let prefs = preferences::load(txn, notice.account).await?;
        if !prefs.enabled(notice.kind) {
            continue;
        }
        let not_before = match notice.kind.priority() {
            Priority::Urgent => now,
            Priority::Normal => release_at(prefs.quiet_hours, prefs.time_zone, now),
        };
        let sessions = push_token::Entity::find()
            .filter(push_token::Column::AccountId.eq(notice.account.as_uuid()))
            .all(txn)
            .await?;
        for token in sessions {
            push_outbox::Entity::insert(row(notice, token.session_id, now, not_before))
                .exec_without_returning(txn)
                .await?;
            queued += 1;
        }
    }
    Ok(queued)
}

fn row(
    notice: &Notice,
    session: Uuid,
    now: DateTime<Utc>,
    not_before: DateTime<Utc>,
) -> push_outbox::ActiveModel {
    push_outbox::ActiveModel {
        id: Set(Uuid::now_v7()),
        account_id: Set(notice.account.as_uuid()),
        session_id: Set(session),
        kind: Set(notice.kind.as_str().into()),
        scope: Set(notice.scope.key()),
        entity: Set(kind_name(notice.entity)),
        entity_id: Set(notice.id.to_string()),
        priority: Set(notice.kind.priority().as_str().into()),
        collapse_key: Set(collapse_key(notice)),
        created_at: Set(now),
        not_before: Set(not_before),
        expires_at: Set(now + time_to_live(notice.kind)),
        state: Set(PENDING.into()),
        attempts: Set(0),
        next_attempt_at: Set(not_before),
        lease_until: Set(None),
        last_error: Set(None),
        sent_at: Set(None),
    }
}

/// Forgets the push tokens of these sessions and what was still to be sent to them, in the
/// caller's transaction (sign-out, revocation).
pub async fn forget_sessions(db: &impl ConnectionTrait, sessions: &[Uuid]) -> Result<(), DbErr> {
    if sessions.is_empty() {
        return Ok(());
    }
    push_token::Entity::delete_many()
        .filter(push_token::Column::SessionId.is_in(sessions.iter().copied()))
        .exec(db)
        .await?;
    push_outbox::Entity::delete_many()
        .filter(push_outbox::Column::SessionId.is_in(sessions.iter().copied()))
        .filter(push_outbox::Column::State.eq(PENDING))
        .exec(db)
        .await?;
    Ok(())
}

/// Deletes the rows that were settled (sent, failed, dropped) before `before`: they are kept
/// a while for inspection only.
pub async fn purge_settled(db: &impl ConnectionTrait, before: DateTime<Utc>) -> Result<u64, DbErr> {
    let done = push_outbox::Entity::delete_many()
        .filter(push_outbox::Column::State.ne(PENDING))
        .filter(push_outbox::Column::CreatedAt.lt(before))
        .exec(db)
        .await?;
    Ok(done.rows_affected)
}
