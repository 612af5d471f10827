//! Schema migrations for the xodim database.
//!
//! Migrations run unchanged on SQLite and PostgreSQL. A migration is frozen once released: it never
//! imports the server's entities, so later changes to them cannot rewrite history.

pub use sea_orm_migration::prelude::*;

mod m20261124_000001_organisation;
mod m20261124_000002_identity;
mod m20261124_000003_sync;
mod m20261124_000004_records;
mod m20261124_000005_audit;
mod m20261203_000001_request_conflicts;
mod m20261204_000001_push;
mod m20261204_000002_inbox_read;

/// Applies every migration in order; used at start-up and by `xodim-server migrate`.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_organisation::Migration),
            Box::new(m20261124_000002_identity::Migration),
            Box::new(m20261124_000003_sync::Migration),
            Box::new(m20261124_000004_records::Migration),
            Box::new(m20261124_000005_audit::Migration),
            Box::new(m20261203_000001_request_conflicts::Migration),
            Box::new(m20261204_000001_push::Migration),
            Box::new(m20261204_000002_inbox_read::Migration),
        ]
    }
}
