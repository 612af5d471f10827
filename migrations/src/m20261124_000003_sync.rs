//! The sync spine: per-scope versions, the compacted change log, processed intents, and the
//! first aggregate carried by intents (contact details).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One row a scope: its version is bumped under the row's lock by every transaction that writes
/// to the scope, so versions become visible in commit order and a reader never skips one.
fn sync_scopes() -> TableCreateStatement {
    Table::create()
        .table("sync_scopes")
        .col(string("id").primary_key())
        .col(big_integer("version"))
        .col(big_integer("compacted_through"))
        .to_owned()
}

/// One row per (scope, entity), replaced on each change: the log is compacted by construction.
/// `data` is null for an entity that left the scope (a tombstone).
fn change_log() -> TableCreateStatement {
    Table::create()
        .table("change_log")
        .col(string("scope_id"))
        .col(string("kind"))
        .col(uuid("entity_id"))
        .col(big_integer("version"))
        .col(text_null("data"))
        .col(timestamp_with_time_zone("changed_at"))
        .primary_key(Index::create().col("scope_id").col("kind").col("entity_id"))
        .to_owned()
}

/// Every intent a server has decided, with its stored outcome, for idempotent retries.
fn sync_intents() -> TableCreateStatement {
    Table::create()
        .table("sync_intents")
        .col(pk_uuid("id"))
        .col(uuid("account_id"))
        .col(uuid("device_session_id"))
        .col(string("kind"))
        .col(string("aggregate"))
        .col(string("fingerprint"))
        .col(text("outcome"))
        .col(timestamp_with_time_zone_null("client_time"))
        .col(timestamp_with_time_zone("processed_at"))
        .to_owned()
}

fn contacts() -> TableCreateStatement {
    Table::create()
        .table("contacts")
        .col(pk_uuid("account_id"))
        .col(string_null("phone"))
        .col(string_null("email"))
        .col(string_null("address"))
        .col(big_integer("version"))
        .col(timestamp_with_time_zone("updated_at"))
        .foreign_key(
            ForeignKey::create()
                .from("contacts", "account_id")
                .to("accounts", "id"),
        )
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [sync_scopes(), change_log(), sync_intents(), contacts()] {
            manager.create_table(table).await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_change_log_scope_version")
                    .table("change_log")
                    .col("scope_id")
                    .col("version")
                    .to_owned(),
            )
            .await
    }
}
