//! The append-only, hash-chained audit trail.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The hash the first event links to: there is no event before it.
const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One row per event, never updated or deleted by the server. `hash` covers every other column,
/// `prev_hash` the event before, so an edit, a removal or a reordering breaks the chain.
/// `before` and `after` hold JSON text exactly as it was hashed.
fn audit_events() -> TableCreateStatement {
    Table::create()
        .table("audit_events")
        .col(big_integer("seq").primary_key())
        .col(string("prev_hash"))
        .col(string("hash"))
        .col(uuid_null("actor_account"))
        .col(uuid_null("on_behalf_of"))
        .col(uuid_null("device_session"))
        .col(string("action"))
        .col(string("entity"))
        .col(uuid("entity_id"))
        .col(text_null("before"))
        .col(text_null("after"))
        .col(uuid_null("intent_id"))
        .col(timestamp_with_time_zone_null("client_time"))
        .col(timestamp_with_time_zone("server_time"))
        .to_owned()
}

/// A single row holding the last event's seq and hash. Appending locks it, which orders
/// concurrent writers into one gap-free chain.
fn audit_head() -> TableCreateStatement {
    Table::create()
        .table("audit_head")
        .col(integer("id").primary_key())
        .col(big_integer("seq"))
        .col(string("hash"))
        .to_owned()
}

fn seed_head() -> Result<InsertStatement, DbErr> {
    Ok(Query::insert()
        .into_table("audit_head")
        .columns(["id", "seq", "hash"])
        .values([1i32.into(), 0i64.into(), GENESIS_HASH.into()])
        .map_err(|e| DbErr::Custom(e.to_string()))?
        .to_owned())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_table(audit_events()).await?;
        manager.create_table(audit_head()).await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_events_entity")
                    .table("audit_events")
                    .col("entity")
                    .col("entity_id")
                    .to_owned(),
            )
            .await?;
        manager.execute(seed_head()?).await
    }
}
