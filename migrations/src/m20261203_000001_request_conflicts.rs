//! The fields in which a rebased correction request overrides a change HR made meanwhile.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("correction_requests")
                    .add_column(ColumnDef::new("conflicts").text().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("correction_requests")
                    .drop_column("conflicts")
                    .to_owned(),
            )
            .await
    }
}
