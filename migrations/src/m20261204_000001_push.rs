//! Push notifications: the push token of each device session, each account's notification
//! preferences, and the outbox of deliveries written with the change that causes them.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One token per device session; a token held by one session only (a reinstalled app moves
/// it to its new session).
fn push_tokens() -> TableCreateStatement {
    Table::create()
        .table("push_tokens")
        .col(pk_uuid("session_id"))
        .col(uuid("account_id"))
        .col(string_uniq("token"))
        .col(string("platform"))
        .col(timestamp_with_time_zone("updated_at"))
        .to_owned()
}

/// No row means the defaults; `quiet_start`/`quiet_end` null means no quiet hours.
fn notification_preferences() -> TableCreateStatement {
    Table::create()
        .table("notification_preferences")
        .col(pk_uuid("account_id"))
        .col(string_null("quiet_start"))
        .col(string_null("quiet_end"))
        .col(string("time_zone"))
        .col(text("disabled_kinds"))
        .col(timestamp_with_time_zone("updated_at"))
        .to_owned()
}

/// One delivery of one notification to one device session. `next_attempt_at` is the one due
/// time the worker reads: when the row is written it is `not_before`; a claim moves it to the
/// end of the lease, so a claimer that dies leaves rows that fall due again by themselves.
fn push_outbox() -> TableCreateStatement {
    Table::create()
        .table("push_outbox")
        .col(pk_uuid("id"))
        .col(uuid("account_id"))
        .col(uuid("session_id"))
        .col(string("kind"))
        .col(string("scope"))
        .col(string("entity"))
        .col(string("entity_id"))
        .col(string("priority"))
        .col(string("collapse_key"))
        .col(timestamp_with_time_zone("created_at"))
        .col(timestamp_with_time_zone("not_before"))
        .col(timestamp_with_time_zone("expires_at"))
        .col(string("state"))
        .col(integer("attempts"))
        .col(timestamp_with_time_zone("next_attempt_at"))
        .col(timestamp_with_time_zone_null("lease_until"))
        .col(string_null("last_error"))
        .col(timestamp_with_time_zone_null("sent_at"))
        .to_owned()
}

fn index(name: &str, table: &str, cols: &[&'static str]) -> IndexCreateStatement {
    let mut index = Index::create()
        .name(name)
        .table(table.to_owned())
        .to_owned();
    for col in cols {
        index.col(*col);
    }
    index
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [push_tokens(), notification_preferences(), push_outbox()] {
            manager.create_table(table).await?;
        }
        let indexes = [
            index("idx_push_tokens_account", "push_tokens", &["account_id"]),
            // The claim: pending rows in due order.
            index(
                "idx_push_outbox_due",
                "push_outbox",
                &["state", "next_attempt_at"],
            ),
            // Revocation and a token that is gone drop the session's pending rows.
            index("idx_push_outbox_session", "push_outbox", &["session_id"]),
        ];
        for index in indexes {
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["push_outbox", "notification_preferences", "push_tokens"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
